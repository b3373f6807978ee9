"""Calendar periods: the one home of quarter and month arithmetic.

Reports, alerts, digests, the engine's default period and the parser's "Q1" / "next
quarter" all need the same bounds; a second copy of this arithmetic is how a forecast and
an alert come to disagree about where a quarter ends. Pure functions over dates, so the
parser may import this module without pulling in the database layer.
"""

from __future__ import annotations

import calendar
from datetime import date


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def month_of(day: date) -> tuple[date, date]:
    """The calendar month containing `day`, both ends inclusive."""
    return day.replace(day=1), month_end(day.year, day.month)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """Quarter 1..4 of `year`, both ends inclusive."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"a quarter is 1 to 4, not {quarter}")
    first_month = 3 * (quarter - 1) + 1
    return date(year, first_month, 1), month_end(year, first_month + 2)


def quarter_number(day: date) -> int:
    """Which quarter (1..4) `day` falls in."""
    return (day.month - 1) // 3 + 1


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter containing `day`, both ends inclusive."""
    return quarter_bounds(day.year, quarter_number(day))
