"""Giving leads to reps: explicitly, or sharing out the unassigned ones by a strategy.

- round_robin: reps in turn, the one assigned longest ago first (users.last_assigned_at), so
  the turn survives restarts and is fair across runs.
- least_loaded: the rep with the fewest live leads relative to capacity; ties by turn.
- territory: reps whose region is the lead's region, least loaded among them; a lead whose
  region no rep covers stays unassigned and is reported back.
Reps at capacity are skipped by every strategy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import NotFound, ValidationError
from crm_core.models import Lead, User
from crm_core.models.base import utcnow
from crm_core.models.enums import AssignmentStrategy, Role
from crm_core.services.atomic import atomic
from crm_core.services.audit import record
from crm_core.services.context import Actor
from crm_core.services.leads import LIVE_STATUSES, get_lead
from crm_core.validation import clean_choice

_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass
class AssignmentResult:
    assigned: list[tuple[Lead, User]] = field(default_factory=list)
    unassigned: list[Lead] = field(default_factory=list)
    reason: str = ""
    # A team's share-out leaves alone the leads of regions no rep of the team covers.
    other_regions: list[Lead] = field(default_factory=list)


def live_lead_counts(session: Session, user_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Lead.owner_id, func.count(Lead.id))
        .where(Lead.owner_id.in_(user_ids), Lead.status.in_(LIVE_STATUSES))
        .group_by(Lead.owner_id)
    ).all()
    counts = {uid: 0 for uid in user_ids}
    counts.update({uid: n for uid, n in rows if uid is not None})
    return counts


def _assign(session: Session, actor: Actor, lead: Lead, rep: User, now: datetime) -> None:
    before = {"owner_id": lead.owner_id}
    lead.owner_id = rep.id
    lead.assigned_at = now
    rep.last_assigned_at = now
    record(session, actor, "lead.assign", lead, before=before, after={"owner_id": rep.id})


@atomic
def assign_lead(
    *, session: Session, actor: Actor, lead_id: int, user_id: int, now: datetime | None = None
) -> Lead:
    lead = get_lead(session, lead_id)
    rep = session.get(User, user_id)
    if rep is None or not rep.active:
        raise NotFound(f"no active user with id {user_id}")
    if lead.status not in LIVE_STATUSES:
        raise ValidationError(f"lead #{lead.id} is {lead.status}; only live leads can be assigned")
    _assign(session, actor, lead, rep, now or utcnow())
    session.flush()
    return lead


@atomic
def distribute_leads(
    *,
    session: Session,
    actor: Actor,
    strategy: str,
    lead_ids: list[int] | None = None,
    team: str | None = None,
    now: datetime | None = None,
) -> AssignmentResult:
    """Share out the given leads (default: every live unassigned lead) among active reps."""
    strategy_value = clean_choice(strategy, AssignmentStrategy, field="strategy")
    now = now or utcnow()
    reps_query = select(User).where(User.active.is_(True), User.role == Role.REP.value)
    if team:
        reps_query = reps_query.where(User.team == team.lower())
    reps = list(session.scalars(reps_query.order_by(User.id)))
    query = select(Lead).where(Lead.status.in_(LIVE_STATUSES)).order_by(Lead.id)
    query = query.where(Lead.id.in_(lead_ids)) if lead_ids else query.where(Lead.owner_id.is_(None))
    leads = list(session.scalars(query))
    result = AssignmentResult()
    regions = {r.region.lower() for r in reps if r.region}
    if team and regions and not lead_ids:
        ours = [x for x in leads if not x.region or x.region.lower() in regions]
        result.other_regions = [x for x in leads if x not in ours]
        leads = ours
    if not reps:
        result.unassigned = leads
        result.reason = "no active reps" + (f" in team {team}" if team else "")
        return result
    load = live_lead_counts(session, [r.id for r in reps])

    def has_room(rep: User) -> bool:
        return load[rep.id] < rep.capacity

    def turn(rep: User) -> tuple[datetime, int]:
        return (rep.last_assigned_at or _NEVER, rep.id)

    def fill(rep: User) -> tuple[float, datetime, int]:
        return (load[rep.id] / max(rep.capacity, 1), rep.last_assigned_at or _NEVER, rep.id)

    # Turn stamps must keep increasing even when two runs share one clock reading (a fixed
    # --now, or the same instant): start after the latest earlier assignment.
    latest = max((r.last_assigned_at for r in reps if r.last_assigned_at), default=None)
    stamp = now if latest is None or latest < now else latest + timedelta(microseconds=1)
    for lead in leads:
        pool = [r for r in reps if has_room(r)]
        if strategy_value is AssignmentStrategy.TERRITORY:
            pool = [
                r
                for r in pool
                if r.region and lead.region and r.region.lower() == lead.region.lower()
            ]
        if not pool:
            result.unassigned.append(lead)
            continue
        if strategy_value is AssignmentStrategy.ROUND_ROBIN:
            rep = min(pool, key=turn)
        else:
            rep = min(pool, key=fill)
        if lead.owner_id in load:
            load[lead.owner_id] -= 1
        _assign(session, actor, lead, rep, stamp)
        stamp += timedelta(microseconds=1)
        load[rep.id] += 1
        result.assigned.append((lead, rep))
    if result.unassigned and not result.reason:
        result.reason = (
            "no rep covers their region"
            if strategy_value is AssignmentStrategy.TERRITORY
            else "every rep is at capacity"
        )
    session.flush()
    return result
