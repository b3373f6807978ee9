"""Who is acting and through which message: stamped on every audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    label: str
    platform: str | None = None
    message_id: str | None = None
    # The message's time: audit rows carry it, so a fixed clock (--now) and "undo within 10
    # minutes" agree. None means the real clock.
    at: datetime | None = None

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(user_id=None, label=label, platform="system")
