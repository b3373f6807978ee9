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

from sqlalchemy import Float, SQLColumnExpression, case, cast, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from crm_core.errors import ValidationError
from crm_core.models import Customer, Deal, User
from crm_core.models.enums import OPEN_STAGES, Stage
from crm_core.services.probability import with_probability

GROUPS = ("stage", "owner", "region", "month")
CENTS = Decimal("0.01")


def money(value: object) -> Decimal:
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
            func.count(Deal.id),
            func.sum(cast(Deal.amount, Float)),
            func.sum(cast(Deal.amount, Float) * probability),
        )
        .where(stage.in_([s.value for s in OPEN_STAGES]))
        .group_by(key)
    )
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    if period is not None:
        query = query.where(Deal.close_date.between(*period))
    rows = [ReportRow(str(k), n, money(a), money(w)) for k, n, a, w in session.execute(query)]
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
        amount=sum((r.amount for r in rows), Decimal("0.00")),
        weighted=sum((r.weighted for r in rows), Decimal("0.00")),
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
    amount = cast(Deal.amount, Float)
    is_open = Deal.stage.in_([s.value for s in OPEN_STAGES])
    query = (
        base.with_only_columns(
            Deal.owner_id,
            func.coalesce(User.display_name, "(unassigned)"),
            func.sum(amount * probability),
            func.sum(case((Deal.stage == Stage.WON.value, amount), else_=0.0)),
            func.sum(case((is_open, amount), else_=0.0)),
            func.count(Deal.id),
        )
        .where(Deal.close_date.between(start, end), Deal.stage != Stage.LOST.value)
        .group_by(Deal.owner_id, User.display_name)
    )
    if owner_ids is not None:
        query = query.where(Deal.owner_id.in_(owner_ids))
    by_owner = [
        OwnerForecast(oid, name, money(w), money(won), money(open_amt), n)
        for oid, name, w, won, open_amt, n in session.execute(query)
    ]
    by_owner.sort(key=lambda o: (-o.weighted, o.owner))
    weighted = sum((o.weighted for o in by_owner), Decimal("0.00"))
    won = sum((o.won for o in by_owner), Decimal("0.00"))
    return Forecast(
        period=period,
        weighted=weighted,
        won=won,
        open_amount=sum((o.open_amount for o in by_owner), Decimal("0.00")),
        open_weighted=weighted - won,
        deals=sum(o.deals for o in by_owner),
        by_owner=by_owner,
    )
