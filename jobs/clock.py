"""Local time for people: each rep's own zone, else the team's, and wall-clock times built in
that zone so that "08:00" stays 08:00 across a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crm_core.settings import ConfigError, get_timezone

# How far back a sweep looks for pushes that fell due while nothing was running (a weekend
# with the bot down). Older ones are not pushed one by one; they show in the digests.
CATCH_UP = timedelta(days=7)


def team_zone() -> tzinfo:
    try:
        return get_timezone()
    except ConfigError:
        return UTC


def zone_of(name: str | None, default: tzinfo | None = None) -> tzinfo:
    """A user's zone from its IANA name; an unknown or empty one falls back to the team's."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default or team_zone()


def local_at(day: date, hour: int, tz: tzinfo, minute: int = 0) -> datetime:
    """`day` at hour:minute wall-clock time in `tz`, as an aware UTC datetime. A time that a
    spring-forward change skips (02:30 on that night) moves forward by the gap, as zoneinfo
    resolves it; an ambiguous one (autumn) is its first occurrence."""
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day, in UTC (23 or 25 hours long on DST days)."""
    return local_at(day, 0, tz), local_at(day + timedelta(days=1), 0, tz)


def iso_minute(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")
