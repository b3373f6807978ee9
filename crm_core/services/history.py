"""One customer at a glance: timeline, contacts, open deals, lifetime value, last contact, risk.

Risk rule (documented in README too). With d = days since the last interaction and g = the
customer's average days between interactions over the last year:
- "high": d > 90 for a paying customer (lifecycle customer), or d > max(3g, 60);
- "medium": d > max(2g, 30), or a deal was lost in the last 90 days;
- "low": otherwise; "unknown" when nothing was ever logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.models import Contact, Customer, Deal, Interaction, User
from crm_core.models.base import utcnow
from crm_core.models.enums import OPEN_STAGES, Lifecycle, Stage
from crm_core.models.types import as_utc
from crm_core.money import deal_total
from crm_core.services.customers import get_customer
from crm_core.services.interactions import recent_interactions


@dataclass(frozen=True)
class Risk:
    level: str  # low | medium | high | unknown
    reason: str


@dataclass
class CustomerHistory:
    customer: Customer
    owner: User | None
    interactions: list[Interaction]
    contacts: list[Contact]
    open_deals: list[Deal]
    lifetime_won: Decimal
    interaction_count: int
    last_contact_at: datetime | None
    risk: Risk
    users: dict[int, str] = field(default_factory=dict)


def assess_risk(
    *,
    lifecycle: str,
    last_at: datetime | None,
    year_count: int,
    year_first: datetime | None,
    year_last: datetime | None,
    lost_recently: bool,
    now: datetime,
) -> Risk:
    if last_at is None:
        return Risk("unknown", "nothing logged yet")
    days = (now - last_at).days
    gap = 365.0
    if year_count > 1 and year_first is not None and year_last is not None:
        gap = max((year_last - year_first).days / (year_count - 1), 1.0)
    if (lifecycle == Lifecycle.CUSTOMER and days > 90) or days > max(3 * gap, 60):
        return Risk("high", f"no contact for {days} days (usually every {gap:.0f})")
    if days > max(2 * gap, 30):
        return Risk("medium", f"no contact for {days} days (usually every {gap:.0f})")
    if lost_recently:
        return Risk("medium", "a deal was lost in the last 90 days")
    return Risk("low", f"last contact {days} days ago")


def customer_history(
    session: Session,
    customer_id: int,
    *,
    limit: int = 10,
    kind: str | None = None,
    now: datetime | None = None,
) -> CustomerHistory:
    now = now or utcnow()
    customer = get_customer(session, customer_id)
    interactions = recent_interactions(session, customer.id, limit=limit, kind=kind)
    year_ago = now - timedelta(days=365)
    count, last_at = session.execute(
        select(func.count(Interaction.id), func.max(Interaction.occurred_at)).where(
            Interaction.customer_id == customer.id
        )
    ).one()
    year_count, year_first, year_last = session.execute(
        select(
            func.count(Interaction.id),
            func.min(Interaction.occurred_at),
            func.max(Interaction.occurred_at),
        ).where(Interaction.customer_id == customer.id, Interaction.occurred_at >= year_ago)
    ).one()
    # Exact, in the team currency (other currencies at the configured rates).
    won = deal_total(session, Deal.customer_id == customer.id, Deal.stage == Stage.WON.value)
    lost_recently = session.scalar(
        select(func.count(Deal.id)).where(
            Deal.customer_id == customer.id,
            Deal.stage == Stage.LOST.value,
            Deal.closed_at >= now - timedelta(days=90),
        )
    )
    open_deals = list(
        session.scalars(
            select(Deal)
            .where(Deal.customer_id == customer.id, Deal.stage.in_([s.value for s in OPEN_STAGES]))
            .order_by(Deal.close_date.is_(None), Deal.close_date, Deal.id)
        )
    )
    contacts = list(
        session.scalars(
            select(Contact).where(Contact.customer_id == customer.id).order_by(Contact.name)
        )
    )
    user_ids = {i.user_id for i in interactions if i.user_id} | {customer.owner_id or 0}
    users = dict(
        session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()
    )
    # SQLite returns naive timestamps from aggregates; they are UTC by construction.
    last = as_utc(last_at)
    first_in_year, last_in_year = as_utc(year_first), as_utc(year_last)
    return CustomerHistory(
        customer=customer,
        owner=session.get(User, customer.owner_id) if customer.owner_id else None,
        interactions=interactions,
        contacts=contacts,
        open_deals=open_deals,
        lifetime_won=won,
        interaction_count=count,
        last_contact_at=last,
        risk=assess_risk(
            lifecycle=customer.lifecycle,
            last_at=last,
            year_count=year_count,
            year_first=first_in_year,
            year_last=last_in_year,
            lost_recently=bool(lost_recently),
            now=now,
        ),
        users=users,
    )
