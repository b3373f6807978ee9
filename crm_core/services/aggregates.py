"""Reading the maintained deal totals (crm_core/models/report_aggregate.py) for a report.

The totals are kept per close month, so a period is answered in two parts: its whole
months from `deal_aggregates` (a few rows per owner and month, however many deals there
are) and the days before its first or after its last whole month, if any, from the deals
themselves (the index on stage and close date finds just the deals closing on those days).
Both give the same integer sums (cents, cents x basis points), added before anything is
rounded, so the report is identical to one computed from the deals alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.sql.elements import ColumnElement

from crm_core.models import DealAggregate
from crm_core.models.enums import CLOSED_STAGES
from crm_core.money import SPLIT
from crm_core.periods import month_end

Period = tuple[date, date]


def month_key(day: date) -> str:
    """A close month as the aggregates (and the report by month) spell it: "2026-11"."""
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class Split:
    """A period as whole months (`months`: first and last "YYYY-MM", or None when it holds
    no whole month) and the days around them (`edges`) that must be read from the deals."""

    months: tuple[str, str] | None
    edges: list[Period]


def split_period(period: Period) -> Split:
    start, end = period
    first = start if start.day == 1 else month_end(start.year, start.month) + timedelta(days=1)
    last = end if end == month_end(end.year, end.month) else end.replace(day=1) - timedelta(days=1)
    if start > end or first > last:
        return Split(None, [period])
    edges = []
    if start < first:
        edges.append((start, first - timedelta(days=1)))
    if last < end:
        edges.append((last + timedelta(days=1), end))
    return Split((month_key(first), month_key(last)), edges)


def aggregate_query(
    *columns: Any,
    stages: ColumnElement[bool],
    owner_ids: list[int] | None,
    months: tuple[str, str] | None,
) -> Select[Any]:
    """Rows of `deal_aggregates` meeting `stages` (a condition on DealAggregate.stage), for
    these owners and close months (every month, undated included, when `months` is None),
    rows that have come down to no deals left out."""
    conditions: list[ColumnElement[bool]] = [stages, DealAggregate.deal_count > 0]
    if owner_ids is not None:
        conditions.append(DealAggregate.owner_id.in_(owner_ids))
    if months is not None:
        conditions.append(DealAggregate.close_month.between(*months))
    return select(*columns).where(*conditions)


def aggregate_units(
    stage: str, cents: int, unset_cents: int, set_high: int, set_low: int, points: dict[str, int]
) -> int:
    """Amount x probability of an aggregate row, in cents x basis points: as the direct
    query weighs each deal (won 1 and lost 0 whatever their own probability; an open deal by
    its own probability, else by its stage's `points`), summed."""
    if stage in CLOSED_STAGES:
        return points.get(stage, 0) * int(cents)
    return int(set_high) * SPLIT + int(set_low) + points.get(stage, 0) * int(unset_cents)


def add_sums(cells: dict[Any, list[int]], key: Any, *values: object) -> None:
    """Add integer sums (ints on SQLite, Decimals on PostgreSQL) onto the cell `key`."""
    cell = cells.setdefault(key, [0] * len(values))
    for i, value in enumerate(values):
        cell[i] += int(value or 0)  # type: ignore[call-overload]


SUMS = tuple(
    func.sum(column)
    for column in (
        DealAggregate.deal_count,
        DealAggregate.cents,
        DealAggregate.unset_cents,
        DealAggregate.set_high,
        DealAggregate.set_low,
    )
)
