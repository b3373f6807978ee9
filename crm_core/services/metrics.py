"""The numbers alert rules watch, each for a scope (one owner, a team, or everybody).

- pipeline: total amount of open deals;
- forecast: weighted forecast (see `reports.forecast`) for the current calendar quarter;
- won: amount won in the current calendar quarter;
- stale_days: days since the last activity on the stalest open deal;
- deal_amount: the largest open deal.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import Deal, User
from crm_core.models.base import utcnow
from crm_core.models.enums import OPEN_STAGES, Metric
from crm_core.models.types import as_utc
from crm_core.money import convert, fx_rates, team_currency
from crm_core.periods import quarter_of
from crm_core.services.reports import forecast, money, pipeline_report

_Q = TypeVar("_Q", bound=Select[*tuple[Any, ...]])


def scope_owner_ids(
    session: Session, *, owner_id: int | None, team: str | None
) -> list[int] | None:
    if owner_id is not None:
        return [owner_id]
    if team:
        return list(session.scalars(select(User.id).where(User.team == team.lower())))
    return None


def evaluate_metric(
    session: Session,
    metric: str,
    *,
    owner_id: int | None = None,
    team: str | None = None,
    now: datetime | None = None,
) -> Decimal:
    now = now or utcnow()
    try:
        which = Metric(metric)
    except ValueError as exc:
        raise ValidationError(f"unknown metric {metric!r}", field="metric") from exc
    owners = scope_owner_ids(session, owner_id=owner_id, team=team)
    open_deals = Deal.stage.in_([s.value for s in OPEN_STAGES])

    def scoped(query: _Q) -> _Q:
        return query.where(Deal.owner_id.in_(owners)) if owners is not None else query

    if which is Metric.PIPELINE:
        # Exact, in the team currency (other currencies at the configured rates); from the
        # maintained aggregates, like the pipeline report it equals.
        return pipeline_report(session, owner_ids=owners).amount
    if which is Metric.DEAL_AMOUNT:
        team, rates = team_currency(), fx_rates()
        largest = [
            convert({code or team: money(top)}, currency=team, rates=rates).amount
            for code, top in session.execute(
                scoped(select(Deal.currency, func.max(Deal.amount)).where(open_deals)).group_by(
                    Deal.currency
                )
            )
        ]
        return max(largest, default=money(0))
    if which is Metric.FORECAST:
        return forecast(session, period=quarter_of(now.date()), owner_ids=owners).weighted
    if which is Metric.WON:
        # The forecast's won part: the same exact sum, read from the aggregates.
        return forecast(session, period=quarter_of(now.date()), owner_ids=owners).won
    oldest = as_utc(
        session.scalar(
            scoped(
                select(func.min(func.coalesce(Deal.last_activity_at, Deal.created_at))).where(
                    open_deals
                )
            )
        )
    )
    if oldest is None:
        return Decimal(0)
    return Decimal(max((now - oldest).days, 0))
