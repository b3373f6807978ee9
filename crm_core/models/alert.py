"""Threshold alerts: a metric, a comparator and a number, told to a person or channel."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, TimestampMixin


class AlertRule(TimestampMixin, Base):
    __tablename__ = "alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(20))
    comparator: Mapped[str] = mapped_column(String(1))
    threshold: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Scope: one owner's numbers, one team's, or (both NULL) everybody's.
    scope_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    scope_team: Mapped[str | None] = mapped_column(String(60))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    target_channel: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(default=True, index=True)
    # Fire on crossing, not on every sweep: remember what the condition was last time.
    last_state: Mapped[bool] = mapped_column(default=False)
    last_value: Mapped[Decimal | None] = mapped_column(Numeric(16, 2))
    last_evaluated_at: Mapped[datetime | None] = mapped_column()
    last_fired_at: Mapped[datetime | None] = mapped_column()
