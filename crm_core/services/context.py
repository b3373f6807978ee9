"""Who is acting and through which message: stamped on every audit row."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    label: str
    platform: str | None = None
    message_id: str | None = None

    @classmethod
    def system(cls, label: str = "system") -> Actor:
        return cls(user_id=None, label=label, platform="system")
