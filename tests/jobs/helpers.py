"""Test helpers: reading the outbox, a scriptable fake notifier, aware datetimes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chat.reply import Reply
from crm_core.models import OutboxMessage
from jobs.notifier import PushTarget


def outbox(session: Session, kind: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(session.scalars(query))


def texts(session: Session, kind: str | None = None) -> list[str]:
    return [row.payload["text"] for row in outbox(session, kind)]


class FakeNotifier:
    """A notifier that records what it sends and fails on command: `script` is a list of
    exceptions (or None for success) consumed one per send."""

    def __init__(
        self,
        platform: str = "fake",
        *,
        script: list[Exception | None] | None = None,
        reachable: bool = True,
        knows: dict[str, bool] | None = None,
        anyone: bool = True,
    ) -> None:
        self.platform = platform
        self.script = list(script or [])
        self.reachable = reachable
        self.knows = knows
        self.anyone = anyone  # False: reaches only users with an identity on its platform
        self.sent: list[tuple[PushTarget, Reply, str]] = []
        self.calls = 0

    @property
    def confirms_delivery(self) -> bool:
        """Like a real notifier: only one that can look a key up is batched."""
        return self.knows is not None

    def can_deliver(self, target: PushTarget) -> bool:
        if target.kind == "user" and not self.anyone:
            return self.reachable and self.platform in target.identities
        return self.reachable

    def send(self, target: PushTarget, reply: Reply, *, key: str) -> None:
        self.calls += 1
        if self.script:
            outcome = self.script.pop(0)
            if outcome is not None:
                raise outcome
        self.sent.append((target, reply, key))

    def already_delivered(self, key: str, target: PushTarget | None = None) -> bool | None:
        if self.knows is None:
            return None
        return self.knows.get(key, False)

    def keys(self) -> list[str]:
        return [k for _, _, k in self.sent]


def at(text_value: str) -> datetime:
    """An aware datetime from ISO text ("2026-11-23T10:00:00+00:00")."""
    value = datetime.fromisoformat(text_value)
    assert value.tzinfo is not None
    return value
