"""Opportunities, their stage history, and the stage table the forecast reads."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.models.base import Base, TimestampMixin, utcnow
from crm_core.models.customer import Customer
from crm_core.models.types import Money, Probability
from crm_core.models.user import User


class PipelineStage(Base):
    """A stage and its default win probability; NULL means "use the historical win rate"."""

    __tablename__ = "pipeline_stages"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int] = mapped_column()
    default_probability: Mapped[Decimal | None] = mapped_column(Probability())
    is_closed: Mapped[bool] = mapped_column(default=False)


class Deal(TimestampMixin, Base):
    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money())
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    stage: Mapped[str] = mapped_column(ForeignKey("pipeline_stages.name"))
    probability: Mapped[Decimal | None] = mapped_column(Probability())
    close_date: Mapped[date | None] = mapped_column()
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(index=True)
    last_activity_at: Mapped[datetime | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Why it was won or lost, as another CRM recorded it.
    reason: Mapped[str | None] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(120), index=True)

    customer: Mapped[Customer] = relationship()
    owner: Mapped[User | None] = relationship()
    history: Mapped[list[DealStageChange]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", order_by="DealStageChange.id"
    )


class DealStageChange(Base):
    __tablename__ = "deal_stage_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    deal: Mapped[Deal] = relationship(back_populates="history")


# Covers both a deal's history lookup and the historical win-rate scan (deal -> stages).
Index("ix_deal_stage_history_deal_stage", DealStageChange.deal_id, DealStageChange.to_stage)
Index("ix_deals_stage_close", Deal.stage, Deal.close_date)
Index("ix_deals_owner_stage", Deal.owner_id, Deal.stage)
Index("ix_deals_customer_stage", Deal.customer_id, Deal.stage)
