"""Pipeline report and weighted forecast, aggregated by the database.

Forecast for a period = sum over deals whose close date falls in it of amount x probability
(see `probability` for the rule): won deals count in full, lost ones not at all, open ones
weighted.

Both read the totals kept per owner, region, stage, close month and currency
(`services.aggregates`), so they cost what the answer costs rather than what the number of
deals does; `direct=True` computes the same from the deals, the reference the tests compare
with on random data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import SQLColumnExpression, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from crm_core.errors import ValidationError
from crm_core.models import Customer, Deal, DealAggregate, User
from crm_core.models.enums import OPEN_STAGES, Stage
from crm_core.models.report_aggregate import NO_CLOSE_MONTH, NO_OWNER, NO_REGION
from crm_core.money import (
    SPLIT,
    Totals,
    convert,
    sum_money,
    team_currency,
    to_decimal,
    weighted,
    weighted_to_decimal,
)
from crm_core.services.aggregates import (
    SUMS,
    add_sums,
    aggregate_query,
    aggregate_units,
    split_period,
)
from crm_core.services.probability import historical_win_rates, stage_points, with_probability

GROUPS = ("stage", "owner", "region", "month")
CENTS = Decimal("0.01")


def money(value: object) -> Decimal:
    """A value already exact (a Decimal, or a single stored amount) to the cent."""
    return Decimal(str(value or 0)).quantize(CENTS)


@dataclass(frozen=True)
class ReportRow:
    key: str
    count: int
    amount: Decimal
    weighted: Decimal


@dataclass
class PipelineReport:
    group_by: str
    rows: list[ReportRow]
    period: tuple[date, date] | None = None
    count: int = 0
    amount: Decimal = Decimal("0.00")
    weighted: Decimal = Decimal("0.00")
    # Amounts are in `currency`; `converted` when other currencies were converted at the
    # configured rates; deals in currencies with no rate are left out of the rows and kept
    # here per currency (amount, deal count) so the reply can name them.
    currency: str = "USD"
    converted: bool = False
    unconverted: dict[str, Decimal] = field(default_factory=dict)
    unconverted_count: int = 0


def _month(session: Session, column: SQLColumnExpression[date | None]) -> ColumnElement[str]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def pipeline_report(
    session: Session,
    *,
    group_by: str = "stage",
    owner_ids: list[int] | None = None,
    period: tuple[date, date] | None = None,
    direct: bool = False,
) -> PipelineReport:
    """Open deals (not won or lost), optionally closing in `period`, grouped: from the
    maintained aggregates (whole months) and the deals closing on the days around them, or
    with `direct` from the deals alone (the reference the aggregates are tested against)."""
    if group_by not in GROUPS:
        raise ValidationError(f"group by one of {', '.join(GROUPS)}", field="group_by")
    rates = historical_win_rates(session)
    parts: _Parts = {}
    if direct:
        _pipeline_from_deals(session, parts, group_by, owner_ids, period, rates)
    elif period is None:
        _pipeline_from_aggregates(session, parts, group_by, owner_ids, None, rates)
    else:
        split = split_period(period)
        if split.months is not None:
            _pipeline_from_aggregates(session, parts, group_by, owner_ids, split.months, rates)
        for edge in split.edges:
            _pipeline_from_deals(session, parts, group_by, owner_ids, edge, rates)
    per_key: dict[str, list[tuple[str, int, Decimal, Decimal]]] = {
        k: [
            ((currency or "USD").upper(), n, to_decimal(cents), _exact(units))
            for currency, (n, cents, units) in by_currency.items()
        ]
        for k, by_currency in parts.items()
    }
    rows: list[ReportRow] = []
    apart = Totals()
    apart_count = 0
    was_converted = False
    team = team_currency()
    all_amounts, all_weights = Totals(), Totals()
    for k, group in per_key.items():
        for c, _, a, w in group:
            all_amounts.add(c, a)
            all_weights.add(c, w)
        amount = convert({c: a for c, _, a, _ in group}, currency=team)
        weight = convert({c: w for c, _, _, w in group}, currency=team)
        was_converted = was_converted or amount.converted
        apart.merge(Totals(amount.unconverted))
        left_out = sum(n for c, n, _, _ in group if c in amount.unconverted)
        apart_count += left_out
        count = sum(n for _, n, _, _ in group) - left_out
        if count:
            rows.append(ReportRow(k, count, amount.amount, weight.amount))
    if group_by == "stage":
        order = {s.value: i for i, s in enumerate(OPEN_STAGES)}
        rows.sort(key=lambda r: order.get(r.key, 99))
    elif group_by == "month":
        rows.sort(key=lambda r: r.key)
    else:
        rows.sort(key=lambda r: (-r.amount, r.key))
    return PipelineReport(
        group_by=group_by,
        rows=rows,
        period=period,
        count=sum(r.count for r in rows),
        # Totals from the exact per-currency sums, rounded once (not the rounded rows added up).
        amount=convert(all_amounts, currency=team).amount,
        weighted=convert(all_weights, currency=team).amount,
        currency=team,
        converted=was_converted,
        unconverted=apart.by_currency,
        unconverted_count=apart_count,
    )


# Report key -> the deals' currency as stored -> [deals, cents, cents x basis points].
_Parts = dict[str, dict[str, list[int]]]


def _exact(units: int) -> Decimal:
    """Cents x basis points as an amount kept to the millionth (rounded once, at the end)."""
    return weighted_to_decimal(*divmod(units, SPLIT), exact=True)


def _pipeline_from_deals(
    session: Session,
    parts: _Parts,
    group_by: str,
    owner_ids: list[int] | None,
    period: tuple[date, date] | None,
    rates: dict[str, float],
) -> None:
    """The open deals closing in `period` (every one when None), summed by the database."""
    # For some owners' deals, let the planner start from the owner index: given the bare
    # stage column (to filter or group by) SQLite walks every open deal by stage and filters
    # owners row by row. An expression over it does not steer the plan.
    stage = func.coalesce(Deal.stage, "") if owner_ids is not None else Deal.stage
    key: SQLColumnExpression[Any]
    base = select(Deal.id)
    if group_by == "stage":
        key = stage
    elif group_by == "owner":
        key = func.coalesce(User.display_name, "(unassigned)")
        base = base.outerjoin(User, User.id == Deal.owner_id)
    elif group_by == "region":
        key = func.coalesce(Customer.region, NO_REGION)
        base = base.join(Customer, Customer.id == Deal.customer_id)
    else:
        key = func.coalesce(_month(session, Deal.close_date), "(no date)")
    base, probability = with_probability(session, base, rates=rates)
    query = (
        base.with_only_columns(
            key.label("key"),
            Deal.currency,
            func.count(Deal.id),
            sum_money(Deal.amount),
            *weighted(Deal.amount, probability),
        )
        .where(stage.in_([s.value for s in OPEN_STAGES]))
        .group_by(key, Deal.currency)
    )
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    if period is not None:
        query = query.where(Deal.close_date.between(*period))
    for k, currency, n, cents, w_high, w_low in session.execute(query):
        units = int(w_high or 0) * SPLIT + int(w_low or 0)
        add_sums(parts.setdefault(str(k), {}), currency, n, cents, units)


def _pipeline_from_aggregates(
    session: Session,
    parts: _Parts,
    group_by: str,
    owner_ids: list[int] | None,
    months: tuple[str, str] | None,
    rates: dict[str, float],
) -> None:
    """The same sums from `deal_aggregates`, for whole close months (every one when None)."""
    agg = DealAggregate
    key: SQLColumnExpression[Any]
    if group_by == "stage":
        key = agg.stage
    elif group_by == "owner":
        key = func.coalesce(User.display_name, "(unassigned)")
    elif group_by == "region":
        key = agg.region
    else:
        key = case((agg.close_month == NO_CLOSE_MONTH, "(no date)"), else_=agg.close_month)
    query = aggregate_query(
        key.label("key"),
        agg.currency,
        agg.stage,
        *SUMS,
        stages=agg.stage.in_([s.value for s in OPEN_STAGES]),
        owner_ids=owner_ids,
        months=months,
    ).group_by(key, agg.currency, agg.stage)
    if group_by == "owner":
        query = query.select_from(agg).outerjoin(User, User.id == agg.owner_id)
    points = stage_points(session, rates=rates)
    for k, currency, stage, n, cents, unset, high, low in session.execute(query):
        units = aggregate_units(stage, cents, unset, high, low, points)
        add_sums(parts.setdefault(str(k), {}), currency, n, cents, units)


@dataclass(frozen=True)
class OwnerForecast:
    owner_id: int | None
    owner: str
    weighted: Decimal
    won: Decimal
    open_amount: Decimal
    deals: int


@dataclass
class Forecast:
    period: tuple[date, date]
    weighted: Decimal  # won in full + open weighted: the number to quote
    won: Decimal
    open_amount: Decimal
    open_weighted: Decimal
    deals: int
    by_owner: list[OwnerForecast] = field(default_factory=list)
    # As in PipelineReport: the currency, whether rates were used, what had no rate (weighted).
    currency: str = "USD"
    converted: bool = False
    unconverted: dict[str, Decimal] = field(default_factory=dict)
    unconverted_count: int = 0


def forecast(
    session: Session,
    *,
    period: tuple[date, date],
    owner_ids: list[int] | None = None,
    direct: bool = False,
) -> Forecast:
    """Deals closing in `period` (lost ones left out): won in full, open weighted; from the
    aggregates and the days around their whole months, or with `direct` from the deals."""
    start, end = period
    if start > end:
        raise ValidationError("the period ends before it starts", field="period")
    rates = historical_win_rates(session)
    # (owner id, owner's name, currency as stored) -> [weighted units, won cents, open cents, n]
    cells: dict[tuple[int | None, str, str], list[int]] = {}
    if direct:
        _forecast_from_deals(session, cells, period, owner_ids, rates)
    else:
        split = split_period(period)
        if split.months is not None:
            _forecast_from_aggregates(session, cells, split.months, owner_ids, rates)
        for edge in split.edges:
            _forecast_from_deals(session, cells, edge, owner_ids, rates)
    team = team_currency()
    owners: dict[int | None, tuple[str, Totals, Totals, Totals, dict[str, int]]] = {}
    all_weighted, all_won, all_open = Totals(), Totals(), Totals()
    for (oid, name, currency), (units, won_cents, open_cents, n) in cells.items():
        code = (currency or "USD").upper()
        _, ws, wons, opens, counts = owners.setdefault(
            oid, (name, Totals(), Totals(), Totals(), {})
        )
        for totals, every, value in (
            (ws, all_weighted, _exact(units)),
            (wons, all_won, to_decimal(won_cents)),
            (opens, all_open, to_decimal(open_cents)),
        ):
            totals.add(code, value)
            every.add(code, value)
        counts[code] = counts.get(code, 0) + n
    by_owner: list[OwnerForecast] = []
    for oid, (name, ws, wons, opens, counts) in owners.items():
        w_conv = convert(ws, currency=team)
        deals = sum(n for c, n in counts.items() if c not in w_conv.unconverted)
        if deals:
            by_owner.append(
                OwnerForecast(
                    oid,
                    name,
                    w_conv.amount,
                    convert(wons, currency=team).amount,
                    convert(opens, currency=team).amount,
                    deals,
                )
            )
    # The owner's id last: two reps of the same name and forecast keep one order.
    by_owner.sort(key=lambda o: (-o.weighted, o.owner, o.owner_id or 0))
    total_weighted = convert(all_weighted, currency=team)
    won = convert(all_won, currency=team).amount
    apart_count = sum(
        n
        for _, _, _, _, counts in owners.values()
        for c, n in counts.items()
        if c in total_weighted.unconverted
    )
    return Forecast(
        period=period,
        weighted=total_weighted.amount,
        won=won,
        open_amount=convert(all_open, currency=team).amount,
        open_weighted=total_weighted.amount - won,
        deals=sum(o.deals for o in by_owner),
        by_owner=by_owner,
        currency=team,
        converted=total_weighted.converted or convert(all_open, currency=team).converted,
        unconverted=total_weighted.unconverted,
        unconverted_count=apart_count,
    )


def _forecast_from_deals(
    session: Session,
    cells: dict[tuple[int | None, str, str], list[int]],
    period: tuple[date, date],
    owner_ids: list[int] | None,
    rates: dict[str, float],
) -> None:
    """The deals closing in `period`, summed per owner and currency by the database."""
    base = select(Deal.id).outerjoin(User, User.id == Deal.owner_id)
    base, probability = with_probability(session, base, rates=rates)
    is_open = Deal.stage.in_([s.value for s in OPEN_STAGES])
    query = (
        base.with_only_columns(
            Deal.owner_id,
            func.coalesce(User.display_name, "(unassigned)"),
            Deal.currency,
            *weighted(Deal.amount, probability),
            sum_money(case((Deal.stage == Stage.WON.value, Deal.amount), else_=None)),
            sum_money(case((is_open, Deal.amount), else_=None)),
            func.count(Deal.id),
        )
        .where(Deal.close_date.between(*period), Deal.stage != Stage.LOST.value)
        .group_by(Deal.owner_id, User.display_name, Deal.currency)
    )
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    for oid, name, currency, w_high, w_low, won_cents, open_cents, n in session.execute(query):
        units = int(w_high or 0) * SPLIT + int(w_low or 0)
        add_sums(cells, (oid, name, currency), units, won_cents, open_cents, n)


def _forecast_from_aggregates(
    session: Session,
    cells: dict[tuple[int | None, str, str], list[int]],
    months: tuple[str, str],
    owner_ids: list[int] | None,
    rates: dict[str, float],
) -> None:
    """The same sums from `deal_aggregates` for whole close months."""
    agg = DealAggregate
    open_stages = {s.value for s in OPEN_STAGES}
    query = (
        aggregate_query(
            agg.owner_id,
            func.coalesce(User.display_name, "(unassigned)"),
            agg.currency,
            agg.stage,
            *SUMS,
            stages=agg.stage != Stage.LOST.value,
            owner_ids=owner_ids,
            months=months,
        )
        .select_from(agg)
        .outerjoin(User, User.id == agg.owner_id)
        .group_by(agg.owner_id, User.display_name, agg.currency, agg.stage)
    )
    points = stage_points(session, rates=rates)
    for oid, name, currency, stage, n, cents, unset, high, low in session.execute(query):
        units = aggregate_units(stage, cents, unset, high, low, points)
        won = cents if stage == Stage.WON.value else 0
        in_play = cents if stage in open_stages else 0
        owner = None if oid == NO_OWNER else oid
        add_sums(cells, (owner, name, currency), units, won, in_play, n)
