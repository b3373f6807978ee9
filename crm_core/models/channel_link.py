"""A named channel (#sales) bound to a conversation on one platform (a Telegram group), so
alerts and campaign summaries addressed to the name reach it."""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, TimestampMixin


class ChannelLink(TimestampMixin, Base):
    __tablename__ = "channel_links"
    __table_args__ = (UniqueConstraint("platform", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))  # "#sales", lower case
    conversation_id: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(200))
