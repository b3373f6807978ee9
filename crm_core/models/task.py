"""Follow-ups and reminders: something someone must do or be told at a given time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.models.base import Base, TimestampMixin
from crm_core.models.customer import Customer
from crm_core.models.user import User


class Task(TimestampMixin, Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="reminder")
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="open")
    # Whose task it is (lists, permissions) ...
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # ... and who is told when it falls due: another user, or a channel such as "#sales".
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    target_channel: Mapped[str | None] = mapped_column(String(120))
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id", ondelete="SET NULL"))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL")
    )
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    completed_at: Mapped[datetime | None] = mapped_column()
    snooze_count: Mapped[int] = mapped_column(default=0)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id])
    customer: Mapped[Customer | None] = relationship()


Index("ix_tasks_status_due", Task.status, Task.due_at)
Index("ix_tasks_owner_status_due", Task.owner_id, Task.status, Task.due_at)
