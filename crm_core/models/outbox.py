"""Pushes waiting to be delivered: the hand-off between scheduling and the chat platforms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, JSONType, TimestampMixin


class OutboxMessage(TimestampMixin, Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # rule + subject + due time: the same push computed twice collides here and is kept once.
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    platform: Mapped[str | None] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(160))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    due_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None] = mapped_column()


Index("ix_outbox_status_next", OutboxMessage.status, OutboxMessage.next_attempt_at)
