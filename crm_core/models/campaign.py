"""Campaigns aimed at a customer segment, with the members frozen when it was planned."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.models.base import Base, TimestampMixin
from crm_core.models.types import Money


class Campaign(TimestampMixin, Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    segment: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20), default="email")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    notify_channel: Mapped[str | None] = mapped_column(String(120))

    members: Mapped[list[CampaignMember]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )


class CampaignMember(Base):
    """A customer in a campaign, with the RFM figures that put it there at planning time."""

    __tablename__ = "campaign_members"
    __table_args__ = (UniqueConstraint("campaign_id", "customer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    customer_id: Mapped[int] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recency_days: Mapped[int | None] = mapped_column()
    frequency: Mapped[int] = mapped_column(default=0)
    monetary: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    contacted_at: Mapped[datetime | None] = mapped_column()
    responded_at: Mapped[datetime | None] = mapped_column()

    campaign: Mapped[Campaign] = relationship(back_populates="members")
