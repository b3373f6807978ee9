"""How much a person or a channel wants to be pinged: muted kinds of push, quiet hours and
digest-only. Every job's pushes pass through these at delivery time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, JSONType, utcnow


class NotificationPreference(Base):
    """One row per user (user_id set) or per channel (channel set); no row = defaults."""

    __tablename__ = "notification_preferences"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    channel: Mapped[str | None] = mapped_column(String(120), unique=True)
    # Kinds of push never to send (e.g. ["stale_deal", "alert"]); recorded as skipped.
    muted_kinds: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # Quiet hours as minutes after local midnight; start > end wraps past midnight.
    quiet_start_minute: Mapped[int | None] = mapped_column()
    quiet_end_minute: Mapped[int | None] = mapped_column()
    digest_only: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
