"""Process-wide configuration read from the environment.

Kept in one place so that every layer (core, parser, engine, jobs) agrees on the database and
the team's clock without passing them through every call.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_DATABASE_URL = "sqlite:///crmbot.db"


class ConfigError(ValueError):
    """A setting from the environment or the command line is unusable."""


def database_url(cli_value: str | None = None) -> str:
    """`--db` beats `CRMBOT_DATABASE_URL` beats the embedded SQLite default."""
    return cli_value or os.environ.get("CRMBOT_DATABASE_URL") or DEFAULT_DATABASE_URL


def _system_timezone() -> tzinfo:
    local = datetime.now().astimezone().tzinfo  # noqa: DTZ005 - asking the OS for its zone
    key = os.environ.get("TZ")
    if key:
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        with open("/etc/timezone", encoding="utf-8") as handle:
            return ZoneInfo(handle.read().strip())
    except (OSError, ZoneInfoNotFoundError, ValueError):
        return local or ZoneInfo("UTC")


def get_timezone() -> tzinfo:
    """The team's zone: `CRMBOT_TIMEZONE` (an IANA name), else the system's."""
    name = os.environ.get("CRMBOT_TIMEZONE")
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"CRMBOT_TIMEZONE={name!r} is not a known IANA time zone") from exc
    return _system_timezone()


DATE_ORDERS = ("auto", "mdy", "dmy")


def date_order() -> str:
    """How "4/12" is read: `CRMBOT_DATE_ORDER` = `mdy` (12 April), `dmy` (4 December), or
    `auto` (the default): of the two readings, the nearer one in the direction the message
    points (a reminder ahead, a logged call behind); a reading only one order allows is
    taken whatever the setting."""
    value = (os.environ.get("CRMBOT_DATE_ORDER") or "auto").strip().lower()
    if value not in DATE_ORDERS:
        raise ConfigError(f"CRMBOT_DATE_ORDER={value!r} is not one of {', '.join(DATE_ORDERS)}")
    return value


def now(tz: tzinfo | None = None) -> datetime:
    """The current time, always timezone-aware, in the team's zone."""
    return datetime.now(tz or get_timezone())
