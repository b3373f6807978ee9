"""What an adapter hands the engine: one platform-neutral message or button click."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Message:
    """A person's message (or a click on one of the bot's buttons) from any platform.

    `message_id` is the platform's own id of the event; writes carry it into the audit log and
    the interaction's source, which is what makes a retried event a no-op.
    """

    platform: str  # console | slack | telegram
    user_id: str  # the platform's user id
    channel: str  # the platform's conversation id (a DM, a channel, a group)
    text: str
    time: datetime
    message_id: str | None = None
    user_name: str | None = None  # display name, for first-contact registration
    thread_id: str | None = None
    action: str | None = None  # set for a button click: the button's action
    action_value: str | None = None
    # An edit of an earlier message (Telegram's edited_message): it carries the original's
    # id, and the engine says that edits are not applied instead of acting a second time.
    edited: bool = False
    extra: dict[str, str] = field(default_factory=dict)
