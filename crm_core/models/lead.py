"""Prospects not yet worked into a customer and a deal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.models.base import Base, TimestampMixin
from crm_core.models.user import User


class Lead(TimestampMixin, Base):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_name: Mapped[str | None] = mapped_column(String(120))
    company: Mapped[str | None] = mapped_column(String(200))
    company_key: Mapped[str | None] = mapped_column(String(200), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(16), default="new")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    region: Mapped[str | None] = mapped_column(String(60))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime | None] = mapped_column()
    contacted_at: Mapped[datetime | None] = mapped_column()
    converted_at: Mapped[datetime | None] = mapped_column()
    external_id: Mapped[str | None] = mapped_column(String(120), index=True)

    owner: Mapped[User | None] = relationship()


Index("ix_leads_owner_status", Lead.owner_id, Lead.status)
# Partial: most leads are not (yet) linked to a customer, and with all those NULLs counted the
# planner would rather scan every "new" lead than use a plain index on customer_id.
Index(
    "ix_leads_customer_status",
    Lead.customer_id,
    Lead.status,
    sqlite_where=Lead.customer_id.isnot(None),
    postgresql_where=Lead.customer_id.isnot(None),
)
Index("ix_leads_status_region", Lead.status, Lead.region)
