"""The seam between the outbox and the chat platforms.

Each adapter (console, Slack, Telegram) implements `Notifier`; the delivery job knows nothing
else about a platform. A notifier tells temporary failures (retry later, with back-off) from
permanent ones (record and give up) by the exception it raises, and may be able to say whether
a push with a given key already reached the platform, which is what turns an uncertain send
after a crash into "delivered" instead of a duplicate.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO, runtime_checkable

from chat.reply import Reply


@dataclass(frozen=True)
class PushTarget:
    """Who a push is for: a CRM user (with their platform ids) or a channel."""

    kind: str  # "user" | "channel"
    user_id: int | None = None
    channel: str | None = None
    identities: dict[str, str] = field(default_factory=dict)  # platform -> platform user id
    display: str = ""

    def __hash__(self) -> int:  # identities is a dict; hash on what identifies the target
        return hash((self.kind, self.user_id, self.channel))


class TemporaryDeliveryError(Exception):
    """The platform could not take the push now (timeout, 5xx, rate limit): try again later.
    `retry_after` (seconds) is honoured when the platform said how long to wait (HTTP 429)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UncertainDeliveryError(TemporaryDeliveryError):
    """The push was sent but no answer came (a timeout after the request went out): the
    platform may well have posted it. Treated like a crash mid-send: before any resend the
    delivery job asks `already_delivered`, and a resend it cannot rule out as a duplicate is
    flagged."""


class PermanentDeliveryError(Exception):
    """The push can never be delivered as it is (unknown channel, user blocked the bot)."""


@runtime_checkable
class Notifier(Protocol):
    platform: str

    def can_deliver(self, target: PushTarget) -> bool:
        """Whether this notifier can reach the target at all (identity, known channel)."""

    def send(self, target: PushTarget, reply: Reply, *, key: str) -> None:
        """Deliver one push; raise TemporaryDeliveryError or PermanentDeliveryError."""

    def already_delivered(self, key: str, target: PushTarget | None = None) -> bool | None:
        """Whether a push with this key (for this target, where it can be looked for) reached
        the platform; None when it cannot tell."""


def confirms(notifier: Notifier) -> bool:
    """Whether the notifier can tell afterwards that a key reached the platform (Slack, by
    the key in the metadata of a message in the target's conversation; a console writing to a
    file). Its pushes are marked in
    windows of many sends per commit, since a crash before the commit is settled by asking.
    A notifier that cannot be asked (a terminal, Telegram) says nothing and gets a commit
    after every send, so a crash repeats at most the one push in flight. Optional in the
    protocol: a notifier without `confirms_delivery` cannot be asked."""
    return bool(getattr(notifier, "confirms_delivery", False))


def route(target: PushTarget, notifiers: Sequence[Notifier]) -> Notifier | None:
    """The notifier that delivers a push: for a user, the first one whose platform the user
    has an identity on (or that says it can reach anyone, like the console); for a channel,
    the first that can deliver it. None when nobody can."""
    if target.kind == "user":
        for notifier in notifiers:
            if notifier.platform in target.identities and notifier.can_deliver(target):
                return notifier
    for notifier in notifiers:
        if notifier.can_deliver(target):
            return notifier
    return None


def render_text(target: PushTarget, reply: Reply, *, kind: str = "", key: str | None = None) -> str:
    """A push as plain text: one header line (target, kind, text), then the sections and the
    buttons indented under it."""
    head = f"-> {target.display or _describe(target)}"
    if kind:
        head += f" [{kind}]"
    first, *rest = (reply.text or "").splitlines() or [""]
    lines = [f"{head}: {first}"]
    lines += [f"     {line}" for line in rest]
    for section in reply.sections:
        if section.title:
            lines.append(f"     {section.title}")
        for line in section.text.splitlines():
            lines.append(f"       {line}")
        for label, value in section.fields:
            lines.append(f"       {label}: {value}")
        for row in section.rows:
            lines.append("       " + " | ".join(row))
    if reply.buttons:
        lines.append("     " + " ".join(f"[{b.label}]" for b in reply.buttons))
    if key is not None:
        lines[0] += f"  <{key}>"
    return "\n".join(lines)


def _describe(target: PushTarget) -> str:
    if target.kind == "channel":
        return target.channel or "?"
    return f"user #{target.user_id}"


class ConsoleNotifier:
    """Prints each push. Given `path`, appends to that file instead, with the push's key on
    its header line and flushed at once, so it can tell afterwards what it delivered (the
    restart test relies on this)."""

    platform = "console"

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        path: str | Path | None = None,
        show_keys: bool = False,
    ) -> None:
        self._path = Path(path) if path is not None else None
        self._stream = stream
        self._show_keys = show_keys or self._path is not None
        self._lock = threading.Lock()
        self.sent: list[tuple[PushTarget, Reply, str]] = []

    @property
    def confirms_delivery(self) -> bool:
        """A file can be read back (see `already_delivered`); a terminal cannot."""
        return self._path is not None

    def can_deliver(self, target: PushTarget) -> bool:
        return True  # the console shows everything to whoever is at the terminal

    def send(self, target: PushTarget, reply: Reply, *, key: str, kind: str = "") -> None:
        text = (
            render_text(
                target, reply, kind=kind or _kind_of(key), key=key if self._show_keys else None
            )
            + "\n"
        )
        with self._lock:
            if self._path is not None:
                # One write() of the whole push on an O_APPEND descriptor: after a SIGKILL the
                # file holds either all of it or nothing.
                fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    os.write(fd, text.encode("utf-8"))
                finally:
                    os.close(fd)
            else:
                stream = self._stream or sys.stdout
                stream.write(text)
                stream.flush()
            self.sent.append((target, reply, key))

    def already_delivered(self, key: str, target: PushTarget | None = None) -> bool | None:
        if self._path is None:
            return None  # a terminal keeps no record we could read back
        try:
            content = self._path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return False
        return f"<{key}>" in content


def _kind_of(key: str) -> str:
    return key.split(":", 1)[0]
