"""Deals as deals: one row each, filtered the way a rep asks ("my deals closing next month",
"stuck deals", "over 50k"), and one deal's card (its history, health and next step).

Reports (`reports.py`) aggregate; this module lists and describes. Filters combine with AND;
amounts compare in the deal's own currency units, exactly (Numeric, no float cast).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from crm_core.models import Contact, Deal, DealStageChange, Interaction, Task
from crm_core.models.enums import OPEN_STAGES, Stage, TaskStatus
from crm_core.models.types import as_utc
from crm_core.money import deal_total
from crm_core.services.audit import entries_for
from crm_core.services.deals import get_deal

STATUSES = ("open", "won", "lost", "stale")


@dataclass(frozen=True)
class DealFilter:
    owner_ids: list[int] | None = None  # None: everybody's
    customer_id: int | None = None
    close_from: date | None = None
    close_to: date | None = None
    stage: str | None = None
    status: str = "open"  # open | won | lost | stale
    above: Decimal | None = None
    below: Decimal | None = None
    stale_days: int = 14  # "stale": open with no activity for this many days


@dataclass(frozen=True)
class DealPage:
    deals: list[Deal]
    total: int  # matching deals, all pages
    total_amount: Decimal
    undated: int  # matching open deals with no close date (left out of every forecast)


def list_deals(
    session: Session, wanted: DealFilter, *, now: datetime, limit: int = 20, offset: int = 0
) -> DealPage:
    """Deals matching `wanted`, soonest close date first (undated last), then by id."""
    if wanted.status not in STATUSES:
        raise ValueError(f"deal status is one of {', '.join(STATUSES)}")
    conditions: list[ColumnElement[bool]] = []
    if wanted.status in ("open", "stale"):
        conditions.append(Deal.stage.in_([s.value for s in OPEN_STAGES]))
    else:
        conditions.append(Deal.stage == wanted.status)
    if wanted.status == "stale":
        since = now - timedelta(days=wanted.stale_days)
        conditions.append(
            func.coalesce(Deal.last_activity_at, Deal.created_at) < since,
        )
    if wanted.owner_ids is not None:
        conditions.append(Deal.owner_id.in_(wanted.owner_ids))
    if wanted.customer_id is not None:
        conditions.append(Deal.customer_id == wanted.customer_id)
    if wanted.close_from is not None:
        conditions.append(Deal.close_date >= wanted.close_from)
    if wanted.close_to is not None:
        conditions.append(Deal.close_date <= wanted.close_to)
    if wanted.stage:
        conditions.append(Deal.stage == Stage(wanted.stage).value)
    if wanted.above is not None:
        conditions.append(Deal.amount > wanted.above)
    if wanted.below is not None:
        conditions.append(Deal.amount < wanted.below)
    total = session.scalar(select(func.count(Deal.id)).where(*conditions)) or 0
    # Exact, in the team currency (other currencies at the configured rates).
    amount = deal_total(session, *conditions)
    undated = 0
    if wanted.status in ("open", "stale") and wanted.close_from is None:
        undated = (
            session.scalar(
                select(func.count(Deal.id)).where(*conditions, Deal.close_date.is_(None))
            )
            or 0
        )
    rows = session.scalars(
        select(Deal)
        .where(*conditions)
        .order_by(Deal.close_date.is_(None), Deal.close_date, Deal.id)
        .offset(offset)
        .limit(limit)
    )
    return DealPage(list(rows), int(total), amount, int(undated))


@dataclass(frozen=True)
class DealCard:
    deal: Deal
    history: list[DealStageChange]
    contacts: list[Contact]
    last_activity: datetime | None
    next_task: Task | None
    slipped: int  # times the close date was moved later
    health: list[str] = field(default_factory=list)  # reasons for concern, worst first


def deal_card(session: Session, deal_id: int, *, now: datetime, stale_days: int = 14) -> DealCard:
    """One deal with what a rep needs before a call about it."""
    deal = get_deal(session, deal_id)
    history = list(
        session.scalars(
            select(DealStageChange)
            .where(DealStageChange.deal_id == deal.id)
            .order_by(DealStageChange.changed_at, DealStageChange.id)
        )
    )
    contacts = list(
        session.scalars(
            select(Contact).where(Contact.customer_id == deal.customer_id).order_by(Contact.name)
        )
    )
    last = session.scalar(
        select(func.max(Interaction.occurred_at)).where(Interaction.customer_id == deal.customer_id)
    )
    last_activity = as_utc(max((t for t in (last, deal.last_activity_at) if t), default=None))
    next_task = session.scalars(
        select(Task)
        .where(
            Task.status == TaskStatus.OPEN.value,
            (Task.deal_id == deal.id) | (Task.customer_id == deal.customer_id),
        )
        .order_by(Task.due_at, Task.id)
        .limit(1)
    ).first()
    slipped = _slips(session, deal.id)
    health = _health(deal, now, last_activity, len(contacts), slipped, stale_days)
    return DealCard(deal, history, contacts, last_activity, next_task, slipped, health)


def _slips(session: Session, deal_id: int) -> int:
    """How often the close date moved later, from the deal's audit trail."""
    slips = 0
    for entry in entries_for(session, Deal.__tablename__, deal_id):
        before = (entry.data or {}).get("before") or {}
        after = (entry.data or {}).get("after") or {}
        old, new = before.get("close_date"), after.get("close_date")
        if old and new and str(new) > str(old):
            slips += 1
    return slips


def _health(
    deal: Deal,
    now: datetime,
    last_activity: datetime | None,
    contacts: int,
    slipped: int,
    stale_days: int,
) -> list[str]:
    if deal.stage not in {s.value for s in OPEN_STAGES}:
        return []
    reasons = []
    if deal.close_date is None:
        reasons.append("no close date (left out of the forecast)")
    elif deal.close_date < now.date():
        reasons.append(f"past its close date by {(now.date() - deal.close_date).days} days")
    idle = (now - last_activity).days if last_activity else None
    if idle is None:
        reasons.append("no activity logged")
    elif idle >= stale_days:
        reasons.append(f"{idle} days without activity")
    if slipped:
        reasons.append(f"close date slipped {slipped} time{'s' if slipped > 1 else ''}")
    if contacts <= 1:
        reasons.append("single contact" if contacts == 1 else "no contact")
    return reasons


def undated_open_deals(session: Session, owner_ids: list[int] | None) -> tuple[int, Decimal]:
    """Open deals with no close date (count, amount): no period's forecast includes them, so
    a report over a period names them instead of leaving them out in silence."""
    conditions = [Deal.stage.in_([s.value for s in OPEN_STAGES]), Deal.close_date.is_(None)]
    if owner_ids is not None:
        conditions.append(Deal.owner_id.in_(owner_ids))
    count = session.scalar(select(func.count(Deal.id)).where(*conditions)) or 0
    return int(count), deal_total(session, *conditions)
