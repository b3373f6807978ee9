"""Sales targets (quotas): an amount a team or one rep should win in a period.

A target belongs to exactly one subject, a team ("team:east") or a user ("user:12"); the
subject key makes "one target per subject and period" a plain unique constraint on both
databases (a pair of nullable team / user columns would let NULLs slip past it). The period
is kept as typed ("2026-Q4") for listing and as its first and last day for matching a
forecast's period.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, TimestampMixin, utcnow
from crm_core.models.types import Money


class Target(TimestampMixin, Base):
    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("subject", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(80))  # "team:east" or "user:12"
    team: Mapped[str | None] = mapped_column(String(60))  # set for a team's target
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(10))  # "2026-Q4", "2026-11", "2026"
    starts_on: Mapped[date] = mapped_column()
    ends_on: Mapped[date] = mapped_column()
    amount: Mapped[Decimal] = mapped_column(Money())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
