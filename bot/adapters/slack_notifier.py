"""Delivering scheduled pushes through Slack: to a person's DM (by their Slack id) or to a
channel named like #sales (resolved with conversations.list, cached)."""

from __future__ import annotations

import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.adapters import attachments
from bot.render import slack as render
from chat.reply import Reply
from jobs.notifier import (
    PermanentDeliveryError,
    PushTarget,
    TemporaryDeliveryError,
    UncertainDeliveryError,
)

log = logging.getLogger(__name__)

# Errors that no retry can fix; anything else ok:false is treated as temporary.
PERMANENT = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "user_not_found",
    "account_inactive",
    "invalid_auth",
    "not_authed",
    "token_revoked",
    "msg_too_long",
    "invalid_blocks",
    "cannot_dm_bot",
    "user_disabled",
    "missing_scope",
    "restricted_action",
}
CHANNEL_TTL = 600.0
HISTORY_LOOKBACK = 100  # messages per page of a conversation's history
HISTORY_PAGES = 10  # pages read at most when a push is looked for (its newest 1,000 messages)
SCAN_TTL = 120.0  # a conversation read this recently is not read again for another key


class SlackNotifier:
    """Every push's first message carries its key in Slack message metadata, so whether a push
    reached Slack can be asked afterwards, even by another process after a crash: the
    target's conversation history is read for the key (`already_delivered`). That is what
    lets the delivery job mark many sends in one commit (`confirms_delivery`). It needs the
    history scopes (`channels:history`, `groups:history`, `im:history`); without them the
    answer is "cannot tell" and a resend is reported as a possible duplicate."""

    platform = "slack"
    confirms_delivery = True

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._channels: dict[str, str] = {}
        self._loaded_at = 0.0
        self._lock = threading.Lock()
        self._sent: set[str] = set()
        self._uncertain: dict[str, str] = {}  # key -> channel of a send that timed out
        self._parts: dict[str, int] = {}  # key -> messages of a long push already posted
        self._dms: dict[str, str] = {}  # Slack user id -> their DM conversation with the bot
        self._scanned: dict[str, float] = {}  # conversation -> when its history was last read

    def channel_id(self, name: str) -> str | None:
        """A channel's id by its name (#sales), from a cached conversations.list."""
        wanted = name.lstrip("#").lower()
        with self._lock:
            fresh = time.monotonic() - self._loaded_at < CHANNEL_TTL
            if fresh and wanted in self._channels:
                return self._channels[wanted]
        channels: dict[str, str] = {}
        try:
            for page in self.client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=200
            ):
                for channel in page.get("channels", []):
                    channels[str(channel.get("name", "")).lower()] = channel["id"]
        except SlackApiError as exc:
            raise _classify(exc) from exc
        with self._lock:
            self._channels, self._loaded_at = channels, time.monotonic()
            return channels.get(wanted)

    def can_deliver(self, target: PushTarget) -> bool:
        if target.kind == "user":
            return self.platform in target.identities
        try:
            return bool(target.channel) and self.channel_id(target.channel or "") is not None
        except (TemporaryDeliveryError, PermanentDeliveryError):
            return False

    def send(self, target: PushTarget, reply: Reply, *, key: str, kind: str = "") -> None:
        if target.kind == "user":
            channel = target.identities.get(self.platform)
            if not channel:
                raise PermanentDeliveryError(f"{target.display or target.user_id} has no Slack id")
        else:
            channel = self.channel_id(target.channel or "")
            if channel is None:
                raise PermanentDeliveryError(f"no Slack channel {target.channel}")
        try:
            for n, payload in enumerate(render.payloads(reply)):  # a long push: several messages
                if n < self._parts.get(key, 0):
                    continue  # posted by an earlier try that failed on a later part
                if n == 0:  # the first message carries the push's key (see already_delivered)
                    payload["metadata"] = {
                        "event_type": "crmbot_push",
                        "event_payload": {"key": key},
                    }
                self.client.chat_postMessage(channel=channel, **payload)
                self._parts[key] = n + 1
        except SlackApiError as exc:
            raise _classify(exc) from exc
        except TimeoutError as exc:  # the request went out, the answer did not come back
            self._uncertain[key] = channel
            raise UncertainDeliveryError(f"Slack did not answer in time: {exc}") from exc
        except OSError as exc:  # connection refused, timeout after the client's retries
            raise TemporaryDeliveryError(f"Slack unreachable: {exc}") from exc
        self._sent.add(key)
        self._uncertain.pop(key, None)
        if reply.attachment is not None:  # after the text, best effort (see attachments)
            if target.kind == "user":  # a file goes to a conversation id, not a user id
                attachments.slack_upload_private(self.client, channel, reply.attachment)
            else:
                attachments.slack_upload(self.client, channel, reply.attachment)

    def already_delivered(self, key: str, target: PushTarget | None = None) -> bool | None:
        """True for a push this process sent, or whose key is in the metadata of a message
        among the newest HISTORY_PAGES pages of the conversation it went to (a send that timed
        out, or any send of a process that stopped before recording it); False when that
        history was read and the key is not in it; None when it cannot be read (no target,
        no history scope, Slack unreachable)."""
        if key in self._sent:
            return True
        channel = self._uncertain.get(key)
        timed_out = channel is not None  # sent after any earlier read: read again
        if channel is None and target is not None:
            channel = self._conversation_of(target)
        if channel is None:
            return None
        with self._lock:
            fresh = time.monotonic() - self._scanned.get(channel, -SCAN_TTL) < SCAN_TTL
        if (timed_out or not fresh) and not self._read_keys(channel):
            return None
        return key in self._sent

    def _conversation_of(self, target: PushTarget) -> str | None:
        """The conversation a push to this target went to: a channel's id, or the user's DM
        with the bot (conversations.open, cached)."""
        try:
            if target.kind != "user":
                return self.channel_id(target.channel or "")
            user = target.identities.get(self.platform)
            if not user:
                return None
            if user not in self._dms:
                opened = self.client.conversations_open(users=user)
                self._dms[user] = str((opened.get("channel") or {})["id"])
            return self._dms[user]
        except (SlackApiError, OSError, KeyError, TemporaryDeliveryError, PermanentDeliveryError):
            log.warning("cannot find the conversation of %s", target.display or target.user_id)
            return None

    def _read_keys(self, channel: str) -> bool:
        """Read the conversation's newest messages and remember every push key in them;
        False when the history cannot be read."""
        found: set[str] = set()
        cursor: str | None = None
        try:
            for _ in range(HISTORY_PAGES):
                page = self.client.conversations_history(
                    channel=channel,
                    limit=HISTORY_LOOKBACK,
                    include_all_metadata=True,
                    cursor=cursor,
                )
                for message in page.get("messages") or []:
                    payload = (message.get("metadata") or {}).get("event_payload") or {}
                    if payload.get("key"):
                        found.add(str(payload["key"]))
                cursor = ((page.get("response_metadata") or {}).get("next_cursor")) or None
                if not page.get("has_more") or not cursor:
                    break
        except (SlackApiError, OSError) as exc:
            log.warning("cannot read the history of %s: %s", channel, exc)
            return False
        with self._lock:
            self._sent |= found
            self._scanned[channel] = time.monotonic()
        return True


def _classify(exc: SlackApiError) -> Exception:
    response = exc.response
    status = getattr(response, "status_code", 200)
    error = response.get("error") if hasattr(response, "get") else None
    if status == 429 or error == "ratelimited":
        retry = response.headers.get("Retry-After") if hasattr(response, "headers") else None
        return TemporaryDeliveryError(
            "Slack rate limit", retry_after=float(retry) if retry else None
        )
    if status >= 500:
        return TemporaryDeliveryError(f"Slack error {status}")
    if error in PERMANENT:
        return PermanentDeliveryError(f"Slack refused: {error}")
    return TemporaryDeliveryError(f"Slack error: {error}")
