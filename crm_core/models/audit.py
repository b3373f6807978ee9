"""Who changed what, when, and through which message; also what "undo" reads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, JSONType, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(160))
    source_platform: Mapped[str | None] = mapped_column(String(20))
    source_message_id: Mapped[str | None] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column()
    # Field values before and after, so a write can be explained and reversed.
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


Index("ix_audit_entity", AuditEntry.entity_type, AuditEntry.entity_id)
Index("ix_audit_actor_at", AuditEntry.actor_id, AuditEntry.at)
