"""One entry of a customer's history: a call, email, meeting, demo, note or message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.models.base import Base, TimestampMixin
from crm_core.models.customer import Contact, Customer
from crm_core.models.user import User


class Interaction(TimestampMixin, Base):
    __tablename__ = "interactions"
    # A platform retries an event it thinks was lost; the (platform, message id) pair makes the
    # retry a no-op instead of a second history entry. NULLs (typed in by hand) never collide.
    __table_args__ = (UniqueConstraint("source_platform", "source_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(Text, default="")
    occurred_at: Mapped[datetime] = mapped_column()
    source_platform: Mapped[str | None] = mapped_column(String(20))
    source_message_id: Mapped[str | None] = mapped_column(String(120))
    external_id: Mapped[str | None] = mapped_column(String(120), index=True)

    customer: Mapped[Customer] = relationship()
    contact: Mapped[Contact | None] = relationship()
    user: Mapped[User | None] = relationship()


Index("ix_interactions_customer_occurred", Interaction.customer_id, Interaction.occurred_at)
Index("ix_interactions_user_occurred", Interaction.user_id, Interaction.occurred_at)
Index("ix_interactions_occurred", Interaction.occurred_at)
