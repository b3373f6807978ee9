"""“undo”: reverse the writes of the person's last message, within 10 minutes.

The audit log holds what each write changed (before and after); all writes that came from one
message (same platform message id) are reversed together, newest first, and the undo itself
is audited, so an undone write is never undone twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Numeric, delete, select
from sqlalchemy.orm import Session

from crm_core.models import (
    AlertRule,
    AuditEntry,
    Campaign,
    Customer,
    Deal,
    DealStageChange,
    Feedback,
    Interaction,
    Lead,
    Task,
)
from crm_core.models.types import Money, Probability, UTCDateTime
from crm_core.services.audit import record
from crm_core.services.context import Actor

UNDO_WINDOW = timedelta(minutes=10)
CREATED = {
    "interaction.create": Interaction,
    "task.create": Task,
    "deal.create": Deal,
    "lead.create": Lead,
    "customer.create": Customer,
    "feedback.create": Feedback,
    "campaign.create": Campaign,
    "alert.create": AlertRule,
}
RESTORED = {
    "deal.update": (
        Deal,
        (
            "stage",
            "amount",
            "probability",
            "close_date",
            "closed_at",
            "owner_id",
            "last_activity_at",
        ),
    ),
    "lead.assign": (Lead, ("owner_id",)),
    "task.complete": (Task, ("status", "completed_at")),
    "task.snooze": (Task, ("due_at", "snooze_count")),
    "alert.delete": (AlertRule, ("active",)),
}


class NothingToUndo(Exception):
    pass


def _undone_ids(session: Session, user_id: int, since: datetime) -> set[int]:
    ids: set[int] = set()
    for data in session.scalars(
        select(AuditEntry.data).where(
            AuditEntry.actor_id == user_id, AuditEntry.action == "undo", AuditEntry.at >= since
        )
    ):
        ids.update(data.get("undid", []))
    return ids


def undo_last(session: Session, actor: Actor, now: datetime) -> str:
    if actor.user_id is None:
        raise NothingToUndo("nothing to undo")
    since = now - UNDO_WINDOW
    undone = _undone_ids(session, actor.user_id, since)
    recent = [
        e
        for e in session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.actor_id == actor.user_id,
                AuditEntry.at >= since,
                AuditEntry.action != "undo",
            )
            .order_by(AuditEntry.id.desc())
            .limit(50)
        )
        if e.id not in undone
    ]
    if not recent:
        raise NothingToUndo("There's nothing of yours from the last 10 minutes to undo.")
    message = recent[0].source_message_id
    batch = [e for e in recent if message is not None and e.source_message_id == message] or recent[
        :1
    ]
    done: list[str] = []
    for entry in batch:  # newest first
        done.append(_reverse(session, entry))
    record(
        session,
        actor,
        "undo",
        entity_type="audit_log",
        entity_id=batch[0].id,
        extra={"undid": [e.id for e in batch]},
    )
    session.flush()
    return "Undone: " + "; ".join(done) + "."


def _reverse(session: Session, entry: AuditEntry) -> str:
    what = entry.action.split(".")[0]
    if entry.action in CREATED:
        model = CREATED[entry.action]
        obj = session.get(model, entry.entity_id)
        if obj is None:
            return f"{what} #{entry.entity_id} was already gone"
        if model is Deal:
            session.execute(delete(DealStageChange).where(DealStageChange.deal_id == obj.id))
        if model is AlertRule:
            obj.active = False
        else:
            session.delete(obj)
        session.flush()
        return f"removed the {what} #{entry.entity_id}"
    if entry.action in RESTORED:
        model, fields = RESTORED[entry.action]
        obj = session.get(model, entry.entity_id)
        before: dict[str, Any] = entry.data.get("before", {})
        if obj is None:
            return f"{what} #{entry.entity_id} is gone"
        for field in fields:
            if field in before:
                setattr(obj, field, _value(model, field, before[field]))
        change_id = entry.data.get("stage_change_id")
        if change_id is not None:
            session.execute(delete(DealStageChange).where(DealStageChange.id == change_id))
        session.flush()
        return f"restored the {what} #{entry.entity_id}"
    raise NothingToUndo(f"I can't undo a {entry.action.replace('.', ' ')}; nothing was changed.")


def _value(model: type, field: str, raw: Any) -> Any:
    """JSON from the audit log back to the column's Python type."""
    if raw is None:
        return None
    column_type = model.__table__.c[field].type  # type: ignore[attr-defined]
    if isinstance(column_type, UTCDateTime | DateTime):
        return datetime.fromisoformat(raw)
    if isinstance(column_type, Date):
        return date.fromisoformat(raw)
    if isinstance(column_type, Money | Probability | Numeric):
        return Decimal(raw)
    return raw
