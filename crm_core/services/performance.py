"""Rep performance for a period: won value, deals won and lost, win rate, activities and
lead conversion, each aggregated by the database; the leaderboard sorts by won value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from crm_core.models import Deal, Interaction, Lead, User
from crm_core.models.enums import LeadStatus, Role, Stage
from crm_core.money import deal_totals


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
) -> list[RepPerformance]:
    """Leaderboard of reps (and managers who sell) for the period, best won value first.
    Deals count by close date; activities by when they happened; leads by assignment."""
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
    deals = dict(
        (uid, (nw, nl))
        for uid, nw, nl in session.execute(
            select(
                Deal.owner_id,
                func.sum(case((Deal.stage == Stage.WON.value, 1), else_=0)),
                func.sum(case((Deal.stage == Stage.LOST.value, 1), else_=0)),
            )
            .where(
                Deal.owner_id.in_(ids),
                Deal.stage.in_([Stage.WON.value, Stage.LOST.value]),
                Deal.close_date.between(start, end),
            )
            .group_by(Deal.owner_id)
        )
    )
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
    # Won value: exact, in the team currency (other currencies at the configured rates).
    won = deal_totals(
        session,
        Deal.owner_id.in_(ids),
        Deal.stage == Stage.WON.value,
        Deal.close_date.between(start, end),
        key=Deal.owner_id,
    )
    board = [
        RepPerformance(
            user_id=u.id,
            name=u.display_name,
            team=u.team,
            won_value=won[u.id].amount if u.id in won else Decimal("0.00"),
            deals_won=int(deals.get(u.id, (0, 0))[0] or 0),
            deals_lost=int(deals.get(u.id, (0, 0))[1] or 0),
            activities=int(activities.get(u.id, 0)),
            leads=int(leads.get(u.id, (0, 0))[0]),
            leads_converted=int(leads.get(u.id, (0, 0))[1] or 0),
        )
        for u in users
    ]
    board.sort(key=lambda p: (-p.won_value, -p.deals_won, -p.activities, p.name))
    return board
