"""Helpers every command shares: the --db option, clock parsing, and turning a core error
into one clear line on stderr with a non-zero exit (never a traceback)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, NoReturn

import typer
from sqlalchemy.exc import SQLAlchemyError

from crm_core.errors import CrmError
from crm_core.settings import ConfigError, date_order, get_timezone

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $CRMBOT_DATABASE_URL, else sqlite:///crmbot.db)."
    ),
]
NowOption = Annotated[
    str | None,
    typer.Option("--now", help="Fix the clock: an ISO date or datetime (naive = team's zone)."),
]


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"crmbot: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Core and configuration errors become one line on stderr and exit code 1."""
    try:
        yield
    except (CrmError, ConfigError) as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        fail(f"database error: {reason}")
    except KeyboardInterrupt:
        typer.echo("", err=True)
        sys.exit(130)


def parse_now(value: str | None) -> datetime:
    """--now as an aware datetime; a bare date means 09:00 that day in the team's zone."""
    try:
        tz = get_timezone()
        date_order()
    except ConfigError as exc:
        fail(str(exc))
    if not value:
        return datetime.now(tz)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        fail(f"--now {value!r} is not an ISO date or datetime (e.g. 2026-11-23T10:00)", 2)
    if len(value.strip()) == 10:
        parsed = parsed.replace(hour=9)
    return parsed.replace(tzinfo=tz) if parsed.tzinfo is None else parsed
