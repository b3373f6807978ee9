"""The per-team knobs (N days for stale deals, M days for leads, digest hours), read once per
sweep from `team_settings`; a team without a row, or a user without a team, gets defaults."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.models import TeamSettings


@dataclass(frozen=True)
class TeamConfig:
    stale_deal_days: int = 14
    lead_contact_days: int = 2
    digest_hour: int = 8
    weekly_digest_weekday: int = 0  # Monday
    weekly_digest_hour: int = 8
    channel: str | None = None  # the team's channel, e.g. "#product"


DEFAULT = TeamConfig()


class TeamConfigs:
    def __init__(self, by_team: dict[str, TeamConfig]) -> None:
        self.by_team = by_team

    def for_team(self, team: str | None) -> TeamConfig:
        return self.by_team.get((team or "").lower(), DEFAULT)

    def all(self) -> list[TeamConfig]:
        return [DEFAULT, *self.by_team.values()]


def load_team_configs(session: Session) -> TeamConfigs:
    return TeamConfigs(
        {
            row.team.lower(): TeamConfig(
                row.stale_deal_days,
                row.lead_contact_days,
                row.digest_hour,
                row.weekly_digest_weekday,
                row.weekly_digest_hour,
                row.channel,
            )
            for row in session.scalars(select(TeamSettings))
        }
    )


def set_team_config(session: Session, team: str, **values: int | str) -> TeamSettings:
    """Create or change a team's settings (used by tests and, later, an admin command)."""
    row = session.scalar(select(TeamSettings).where(TeamSettings.team == team.lower()))
    if row is None:
        row = TeamSettings(team=team.lower())
        session.add(row)
    for name, value in values.items():
        if not hasattr(TeamConfig, name):
            raise ValueError(f"unknown team setting {name!r}")
        setattr(row, name, team_channel(str(value)) if name == "channel" else int(value))
    session.flush()
    return row


def team_channel(value: str) -> str:
    """A team channel as stored: "#product" (lower case, one word)."""
    name = value.strip().lower()
    if not name.startswith("#"):
        name = "#" + name
    if len(name) < 2 or len(name) > 120 or any(c.isspace() for c in name):
        raise ValueError(f"{value!r} is not a channel name like #product")
    return name
