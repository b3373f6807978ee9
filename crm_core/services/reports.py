"""Pipeline report and weighted forecast, aggregated by the database.

Forecast for a period = sum over deals whose close date falls in it of amount x probability
(see `probability` for the rule): won deals count in full, lost ones not at all, open ones
weighted.
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
from crm_core.models import Customer, Deal, User
from crm_core.models.enums import OPEN_STAGES, Stage
from crm_core.money import (
    Totals,
    convert,
    sum_money,
    team_currency,
    to_decimal,
    weighted,
    weighted_to_decimal,
)
from crm_core.services.probability import with_probability

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
) -> PipelineReport:
    """Open deals (not won or lost), optionally closing in `period`, grouped in SQL."""
    if group_by not in GROUPS:
        raise ValidationError(f"group by one of {', '.join(GROUPS)}", field="group_by")
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
        key = func.coalesce(Customer.region, "(none)")
        base = base.join(Customer, Customer.id == Deal.customer_id)
    else:
        key = func.coalesce(_month(session, Deal.close_date), "(no date)")
    base, probability = with_probability(session, base)
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
    per_key: dict[str, list[tuple[str, int, Decimal, Decimal]]] = {}
    for k, currency, n, a, w_high, w_low in session.execute(query):
        code = (currency or "USD").upper()
        w_exact = weighted_to_decimal(w_high, w_low, exact=True)
        per_key.setdefault(str(k), []).append((code, n, to_decimal(a), w_exact))
    rows: list[ReportRow] = []
    apart = Totals()
    apart_count = 0
    was_converted = False
    team = team_currency()
    all_amounts, all_weights = Totals(), Totals()
    for k, parts in per_key.items():
        for c, _, a, w in parts:
            all_amounts.add(c, a)
            all_weights.add(c, w)
        amount = convert({c: a for c, _, a, _ in parts}, currency=team)
        weight = convert({c: w for c, _, _, w in parts}, currency=team)
        was_converted = was_converted or amount.converted
        apart.merge(Totals(amount.unconverted))
        left_out = sum(n for c, n, _, _ in parts if c in amount.unconverted)
        apart_count += left_out
        count = sum(n for _, n, _, _ in parts) - left_out
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
) -> Forecast:
    start, end = period
    if start > end:
        raise ValidationError("the period ends before it starts", field="period")
    base = select(Deal.id).outerjoin(User, User.id == Deal.owner_id)
    base, probability = with_probability(session, base)
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
        .where(Deal.close_date.between(start, end), Deal.stage != Stage.LOST.value)
        .group_by(Deal.owner_id, User.display_name, Deal.currency)
    )
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    team = team_currency()
    owners: dict[int | None, tuple[str, Totals, Totals, Totals, dict[str, int]]] = {}
    all_weighted, all_won, all_open = Totals(), Totals(), Totals()
    for oid, name, currency, w_high, w_low, won_cents, open_cents, n in session.execute(query):
        code = (currency or "USD").upper()
        _, ws, wons, opens, counts = owners.setdefault(
            oid, (name, Totals(), Totals(), Totals(), {})
        )
        for totals, every, value in (
            (ws, all_weighted, weighted_to_decimal(w_high, w_low, exact=True)),
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
    by_owner.sort(key=lambda o: (-o.weighted, o.owner))
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
