"""Logging calls, emails, meetings, demos, notes and messages: the customer's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from crm_core.errors import ValidationError
from crm_core.models import Deal, Interaction, Lead, Task
from crm_core.models.base import utcnow
from crm_core.models.enums import OPEN_STAGES, InteractionKind, LeadStatus, TaskKind
from crm_core.services.atomic import atomic
from crm_core.services.audit import from_jsonable, jsonable, record, snapshot
from crm_core.services.context import Actor
from crm_core.services.customers import find_contact, get_customer
from crm_core.validation import clean_choice, clean_name, clean_text, require_aware

# Clocks of chat platforms and servers drift; a message stamped a minute ahead is still "now".
_FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class LoggedInteraction:
    interaction: Interaction
    follow_up: Task | None
    duplicate: bool  # True when this source message had been logged before


@atomic
def log_interaction(
    *,
    session: Session,
    actor: Actor,
    customer_id: int,
    kind: str,
    summary: str = "",
    occurred_at: datetime | None = None,
    contact_name: str | None = None,
    contact_id: int | None = None,
    follow_up_at: datetime | None = None,
    follow_up_text: str | None = None,
    now: datetime | None = None,
) -> LoggedInteraction:
    """Store one interaction; the same platform message logged again returns the first copy.

    A follow-up date creates a task for the actor. Logging touches the customer's open deals
    (their last activity) and marks its open leads as contacted.
    """
    kind_value = clean_choice(kind, InteractionKind, field="kind").value
    summary = clean_text(summary, field="summary")
    now = now or utcnow()
    occurred_at = require_aware(occurred_at, field="when") if occurred_at else now
    if occurred_at > now + _FUTURE_SLACK:
        raise ValidationError("an interaction cannot be logged in the future", field="when")
    if actor.platform and actor.message_id:
        existing = session.scalar(
            select(Interaction).where(
                Interaction.source_platform == actor.platform,
                Interaction.source_message_id == actor.message_id,
            )
        )
        if existing is not None:
            task = session.scalar(select(Task).where(Task.interaction_id == existing.id))
            return LoggedInteraction(existing, task, duplicate=True)
    customer = get_customer(session, customer_id)
    if contact_name and contact_id is None:
        contact_name = clean_name(contact_name, field="contact name", max_len=120)
        contact = find_contact(session, customer.id, contact_name)
        contact_id = contact.id if contact else None
        if contact is None:
            summary = (
                f"{summary} (with {contact_name})".strip() if summary else f"with {contact_name}"
            )
    interaction = Interaction(
        customer_id=customer.id,
        contact_id=contact_id,
        user_id=actor.user_id,
        kind=kind_value,
        summary=summary,
        occurred_at=occurred_at,
        source_platform=actor.platform if actor.message_id else None,
        source_message_id=actor.message_id,
    )
    session.add(interaction)
    session.flush()
    touched = _touch_open_work(session, customer.id, occurred_at)
    # The side effects go in the same audit row, so undo can put them back.
    record(
        session,
        actor,
        "interaction.create",
        interaction,
        after=snapshot(interaction),
        extra={"touched": touched} if touched else None,
    )
    task = None
    if follow_up_at is not None:
        require_aware(follow_up_at, field="follow_up")
        task = Task(
            kind=TaskKind.FOLLOW_UP.value,
            text=clean_text(follow_up_text, field="follow-up")
            or f"Follow up with {customer.name} after the {kind_value}",
            due_at=follow_up_at,
            owner_id=actor.user_id,
            target_user_id=actor.user_id,
            customer_id=customer.id,
            interaction_id=interaction.id,
            created_by=actor.user_id,
        )
        session.add(task)
        session.flush()
        record(session, actor, "task.create", task, after=snapshot(task))
    return LoggedInteraction(interaction, task, duplicate=False)


def _touch_open_work(
    session: Session, customer_id: int, occurred_at: datetime
) -> dict[str, dict[str, Any]]:
    """Mark the customer's open deals active and its new leads contacted.

    Concurrent calls on one customer must not deadlock: an UPDATE by customer locks rows in
    whatever order the plan visits them, which differs between two transactions (and every
    update moves the row). So the rows are locked first, in id order, and only rows that
    change are updated: a deal already active at or after `occurred_at` is left alone, which
    also keeps a call logged for last week from moving a deal's last activity backwards.
    Returns what it changed, as it was before ({"deals": {id: last activity}, "leads": {id:
    contacted_at}}), or {} when nothing changed.
    """
    previous = dict(
        session.execute(
            select(Deal.id, Deal.last_activity_at)
            .where(
                Deal.customer_id == customer_id,
                Deal.stage.in_([s.value for s in OPEN_STAGES]),
                or_(Deal.last_activity_at.is_(None), Deal.last_activity_at < occurred_at),
            )
            .order_by(Deal.id)
            .with_for_update()
        ).all()
    )
    deal_ids = list(previous)
    if deal_ids:
        session.execute(
            update(Deal)
            .where(
                Deal.id.in_(deal_ids),
                or_(Deal.last_activity_at.is_(None), Deal.last_activity_at < occurred_at),
            )
            .values(last_activity_at=occurred_at)
            .execution_options(synchronize_session=False)
        )
    leads_before = dict(
        session.execute(
            select(Lead.id, Lead.contacted_at)
            .where(Lead.customer_id == customer_id, Lead.status == LeadStatus.NEW.value)
            .order_by(Lead.id)
            .with_for_update()
        ).all()
    )
    lead_ids = list(leads_before)
    if lead_ids:
        session.execute(
            update(Lead)
            .where(Lead.id.in_(lead_ids), Lead.status == LeadStatus.NEW.value)
            .values(status=LeadStatus.CONTACTED.value, contacted_at=occurred_at)
            .execution_options(synchronize_session=False)
        )
    if not deal_ids and not lead_ids:
        return {}
    return {
        "deals": {str(i): jsonable(at) for i, at in previous.items()},
        "leads": {str(i): jsonable(at) for i, at in leads_before.items()},
    }


def recent_interactions(
    session: Session, customer_id: int, *, limit: int = 10, kind: str | None = None
) -> list[Interaction]:
    query = (
        select(Interaction)
        .where(Interaction.customer_id == customer_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(limit)
    )
    if kind:
        query = query.where(
            Interaction.kind == clean_choice(kind, InteractionKind, field="kind").value
        )
    return list(session.scalars(query))


def untouch_open_work(session: Session, touched: dict[str, Any], occurred_at: datetime) -> None:
    """Put back what logging an interaction did to the customer's deals and leads (undo):
    a deal's last activity, a lead's status. A row changed again since (its value is no longer
    the one this interaction set) is left as it is."""
    for deal_id, before in (touched.get("deals") or {}).items():
        deal = session.get(Deal, int(deal_id))
        if deal is not None and deal.last_activity_at == occurred_at:
            deal.last_activity_at = from_jsonable(Deal, "last_activity_at", before)
    for lead_id, before in (touched.get("leads") or {}).items():
        lead = session.get(Lead, int(lead_id))
        if (
            lead is not None
            and lead.status == LeadStatus.CONTACTED.value
            and lead.contacted_at == occurred_at
        ):
            lead.status = LeadStatus.NEW.value
            lead.contacted_at = from_jsonable(Lead, "contacted_at", before)
    session.flush()
