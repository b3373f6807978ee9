"""What the bot is waiting for from one person in one place (a question, a confirmation)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, JSONType, utcnow


class ConversationState(Base):
    __tablename__ = "conversation_state"
    __table_args__ = (UniqueConstraint("platform", "channel", "user_key"),)
    # A platform's retry of the same message, handled at the same moment by another worker,
    # may clear the pending state first: deleting a row already gone is the same outcome.
    __mapper_args__ = {"confirm_deleted_rows": False}

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(120))
    user_key: Mapped[str] = mapped_column(String(120))
    state: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
