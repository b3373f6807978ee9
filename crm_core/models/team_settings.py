"""Per-team knobs of the scheduled nudges and digests; a team without a row uses defaults."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from crm_core.models.base import Base, utcnow


class TeamSettings(Base):
    __tablename__ = "team_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    team: Mapped[str] = mapped_column(String(60), unique=True)
    # An open deal with no activity for this many days gets a follow-up nudge (N).
    stale_deal_days: Mapped[int] = mapped_column(default=14)
    # A lead not contacted this many days after assignment gets a nudge (M).
    lead_contact_days: Mapped[int] = mapped_column(default=2)
    # Morning digest at this local hour (each rep's own zone).
    digest_hour: Mapped[int] = mapped_column(default=8)
    # Managers' weekly digest: weekday (0 = Monday) and local hour.
    weekly_digest_weekday: Mapped[int] = mapped_column(default=0)
    weekly_digest_hour: Mapped[int] = mapped_column(default=8)
    # Where the team's pushes go (customers' feedback for product, support...): "#product".
    channel: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
