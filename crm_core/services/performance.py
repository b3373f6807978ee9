"""Rep performance for a period: won value, deals won and lost, win rate, activities and
lead conversion, each aggregated by the database; the leaderboard sorts by won value."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from crm_core.models import Deal, DealAggregate, Interaction, Lead, User
from crm_core.models.enums import LeadStatus, Role, Stage
from crm_core.money import Totals, convert, sum_money, team_currency, to_decimal
from crm_core.services.aggregates import Split, add_sums, aggregate_query, split_period


@dataclass(frozen=True)
class RepPerformance:
    user_id: int
    name: str
    team: str | None
    won_value: Decimal
    deals_won: int
    deals_lost: int
    activities: int
    leads: int
    leads_converted: int

    @property
    def win_rate(self) -> float | None:
        closed = self.deals_won + self.deals_lost
        return self.deals_won / closed if closed else None

    @property
    def conversion_rate(self) -> float | None:
        return self.leads_converted / self.leads if self.leads else None


def rep_performance(
    session: Session,
    *,
    period: tuple[date, date],
    user_ids: list[int] | None = None,
    team: str | None = None,
    direct: bool = False,
) -> list[RepPerformance]:
    """Leaderboard of reps (and managers who sell) for the period, best won value first.
    Deals count by close date (from the maintained aggregates, or with `direct` from the
    deals); activities by when they happened; leads by assignment."""
    start, end = period
    t0 = datetime.combine(start, time.min, tzinfo=UTC)
    t1 = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    users_q = select(User).where(
        User.active.is_(True), User.role.in_([Role.REP.value, Role.MANAGER.value])
    )
    if user_ids is not None:
        users_q = users_q.where(User.id.in_(user_ids))
    if team:
        users_q = users_q.where(User.team == team.lower())
    users = list(session.scalars(users_q))
    ids = [u.id for u in users]
    if not ids:
        return []
    closed = closed_deals_by_owner(session, ids, period, direct=direct)
    activities = dict(
        session.execute(
            select(Interaction.user_id, func.count(Interaction.id))
            .where(
                Interaction.user_id.in_(ids),
                Interaction.occurred_at >= t0,
                Interaction.occurred_at < t1,
            )
            .group_by(Interaction.user_id)
        ).all()
    )
    leads = {
        uid: (n, c)
        for uid, n, c in session.execute(
            select(
                Lead.owner_id,
                func.count(Lead.id),
                func.sum(case((Lead.status == LeadStatus.CONVERTED.value, 1), else_=0)),
            )
            .where(Lead.owner_id.in_(ids), Lead.assigned_at >= t0, Lead.assigned_at < t1)
            .group_by(Lead.owner_id)
        )
    }
    team_code = team_currency()
    board = [
        RepPerformance(
            user_id=u.id,
            name=u.display_name,
            team=u.team,
            won_value=convert(closed[u.id].won, currency=team_code).amount
            if u.id in closed
            else Decimal("0.00"),
            deals_won=closed[u.id].deals_won if u.id in closed else 0,
            deals_lost=closed[u.id].deals_lost if u.id in closed else 0,
            activities=int(activities.get(u.id, 0)),
            leads=int(leads.get(u.id, (0, 0))[0]),
            leads_converted=int(leads.get(u.id, (0, 0))[1] or 0),
        )
        for u in users
    ]
    board.sort(key=lambda p: (-p.won_value, -p.deals_won, -p.activities, p.name))
    return board


@dataclass
class ClosedDeals:
    """One owner's deals won and lost in a period, and the value won per currency."""

    deals_won: int = 0
    deals_lost: int = 0
    won: Totals = field(default_factory=Totals)


def closed_deals_by_owner(
    session: Session, owner_ids: list[int], period: tuple[date, date], *, direct: bool = False
) -> dict[int, ClosedDeals]:
    """Won and lost deals per owner by close date: whole months of the period from
    `deal_aggregates`, the days around them (or, `direct`, all of it) from the deals."""
    # (owner, currency as stored, stage) -> [deals, cents]
    cells: dict[tuple[int, str, str], list[int]] = {}
    closed = [Stage.WON.value, Stage.LOST.value]
    split = Split(None, [period]) if direct else split_period(period)
    if split.months is not None:
        agg = DealAggregate
        query = aggregate_query(
            agg.owner_id,
            agg.currency,
            agg.stage,
            func.sum(agg.deal_count),
            func.sum(agg.cents),
            stages=agg.stage.in_(closed),
            owner_ids=owner_ids,
            months=split.months,
        ).group_by(agg.owner_id, agg.currency, agg.stage)
        for oid, currency, stage, n, cents in session.execute(query):
            add_sums(cells, (oid, currency, stage), n, cents)
    for edge in split.edges:
        direct_query = (
            select(Deal.owner_id, Deal.currency, Deal.stage, func.count(), sum_money(Deal.amount))
            .where(
                Deal.owner_id.in_(owner_ids),
                Deal.stage.in_(closed),
                Deal.close_date.between(*edge),
            )
            .group_by(Deal.owner_id, Deal.currency, Deal.stage)
        )
        for oid, currency, stage, n, cents in session.execute(direct_query):
            add_sums(cells, (oid, currency, stage), n, cents)
    owners: dict[int, ClosedDeals] = {}
    for (oid, currency, stage), (n, cents) in cells.items():
        mine = owners.setdefault(oid, ClosedDeals())
        if stage == Stage.WON.value:
            mine.deals_won += n
            mine.won.add(currency, to_decimal(cents))
        else:
            mine.deals_lost += n
    return owners
