"""A platform request the bot has already answered, with that answer.

Platforms deliver at least once: Slack retries an event it thinks was lost (also after our
restart), a signed slash command or button payload can be replayed, Telegram re-sends an
update whose offset was not confirmed. The row is written in the same transaction as the
request's writes, so either both exist or neither; a second delivery finds it and gets the
stored answer instead of doing the work again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, JSONType


class HandledRequest(Base):
    __tablename__ = "handled_requests"
    __table_args__ = (UniqueConstraint("platform", "request_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    # The platform's id of the request: a message's id, a slash command's trigger_id, a
    # button click's (message, person, action, value).
    request_key: Mapped[str] = mapped_column(String(200))
    user_key: Mapped[str] = mapped_column(String(120))  # the platform's id of the sender
    reply: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    handled_at: Mapped[datetime] = mapped_column(index=True)
