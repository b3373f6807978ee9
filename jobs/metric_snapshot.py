"""Every alert metric for every scope from four grouped queries, for the scheduled sweep.

`crm_core.services.metrics.evaluate_metric` answers one metric for one scope; a sweep over
dozens of rules would run it dozens of times over the whole deals table. Here the database
aggregates once per owner (open amount, largest open deal, oldest activity, won this quarter,
weighted forecast) and a scope (an owner, a team, everybody) is a sum, max or min over its
owners in Python. The definitions are evaluate_metric's; a test checks they agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.models import Deal, User
from crm_core.models.enums import OPEN_STAGES, Metric, Stage
from crm_core.models.types import as_utc
from crm_core.money import convert, deal_totals, fx_rates, team_currency
from crm_core.periods import quarter_of
from crm_core.services.reports import forecast, money

Owner = int | None
T = TypeVar("T")


@dataclass
class MetricSnapshot:
    now: datetime
    open_amount: dict[Owner, Decimal]
    largest_open: dict[Owner, Decimal]
    oldest_activity: dict[Owner, datetime]
    won: dict[Owner, Decimal]
    weighted: dict[Owner, Decimal]
    teams: dict[str, list[int]]

    @classmethod
    def load(cls, session: Session, *, now: datetime) -> MetricSnapshot:
        is_open = Deal.stage.in_([s.value for s in OPEN_STAGES])
        # Money exact and in the team currency (other currencies at the configured rates).
        open_amount = {
            o: t.amount for o, t in deal_totals(session, is_open, key=Deal.owner_id).items()
        }
        currency, rates = team_currency(), fx_rates()
        largest: dict[Owner, Decimal] = {}
        for owner, code, top in session.execute(
            select(Deal.owner_id, Deal.currency, func.max(Deal.amount))
            .where(is_open)
            .group_by(Deal.owner_id, Deal.currency)
        ):
            value = convert({code or currency: money(top)}, currency=currency, rates=rates).amount
            largest[owner] = max(value, largest.get(owner, value))
        oldest: dict[Owner, datetime] = {}
        for owner, first in session.execute(
            select(Deal.owner_id, func.min(func.coalesce(Deal.last_activity_at, Deal.created_at)))
            .where(is_open)
            .group_by(Deal.owner_id)
        ):
            first_at = as_utc(first)
            if first_at is not None:
                oldest[owner] = first_at
        start, end = quarter_of(now.date())
        won = {
            o: t.amount
            for o, t in deal_totals(
                session,
                Deal.stage == Stage.WON.value,
                Deal.close_date.between(start, end),
                key=Deal.owner_id,
            ).items()
        }
        weighted = {o.owner_id: o.weighted for o in forecast(session, period=(start, end)).by_owner}
        teams: dict[str, list[int]] = {}
        for user_id, team in session.execute(
            select(User.id, User.team).where(User.team.is_not(None))
        ):
            if team is not None:
                teams.setdefault(team, []).append(user_id)
        return cls(now, open_amount, largest, oldest, won, weighted, teams)

    def owners(self, owner_id: int | None, team: str | None) -> list[Owner] | None:
        """The owners of a scope, as evaluate_metric's scope_owner_ids (None = everybody)."""
        if owner_id is not None:
            return [owner_id]
        if team:
            return list(self.teams.get(team.lower(), []))
        return None

    def value(
        self, metric: str, *, owner_id: int | None = None, team: str | None = None
    ) -> Decimal:
        owners = self.owners(owner_id, team)

        def pick(table: Mapping[Owner, T]) -> list[T]:
            if owners is None:
                return list(table.values())
            return [table[o] for o in owners if o in table]

        which = Metric(metric)
        if which is Metric.PIPELINE:
            values = pick(self.open_amount)
            return money(sum(values, Decimal("0.00")))
        if which is Metric.DEAL_AMOUNT:
            values = pick(self.largest_open)
            return money(max(values) if values else None)
        if which is Metric.WON:
            values = pick(self.won)
            return money(sum(values, Decimal("0.00")))
        if which is Metric.FORECAST:
            return sum(pick(self.weighted), Decimal("0.00"))
        oldest = pick(self.oldest_activity)
        if not oldest:
            return Decimal(0)
        return Decimal(max((self.now - min(oldest)).days, 0))
