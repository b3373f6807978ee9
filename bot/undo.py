"""“undo”: reverse the writes of the person's last message, within 10 minutes.

The audit log holds what each write changed (before and after); all writes that came from one
message (same platform message id) are reversed together, newest first, and the undo itself
is audited, so an undone write is never undone twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bot import texts
from crm_core.models import (
    AlertRule,
    AuditEntry,
    Campaign,
    Contact,
    Customer,
    Deal,
    DealStageChange,
    Feedback,
    Interaction,
    Lead,
    Task,
    User,
)
from crm_core.services.audit import from_jsonable, record
from crm_core.services.context import Actor
from crm_core.services.interactions import untouch_open_work
from crm_core.services.unmerge import undo_merge

UNDO_WINDOW = timedelta(minutes=10)
CREATED = {
    "interaction.create": Interaction,
    "task.create": Task,
    "deal.create": Deal,
    "lead.create": Lead,
    "customer.create": Customer,
    "contact.create": Contact,
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
            "reason",
        ),
    ),
    "lead.assign": (Lead, ("owner_id",)),
    "lead.status": (Lead, ("status", "contacted_at")),
    "lead.convert": (Lead, ("status", "customer_id", "deal_id", "converted_at")),
    "customer.update": (Customer, ("lifecycle",)),
    "contact.update": (Contact, ("email", "phone", "title")),
    "task.complete": (Task, ("status", "completed_at")),
    "task.cancel": (Task, ("status", "completed_at")),
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
        raise NothingToUndo(texts.NOTHING_TO_UNDO)
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
        raise NothingToUndo(texts.NOTHING_OF_YOURS_TO_UNDO)
    message = recent[0].source_message_id
    batch = [e for e in recent if message is not None and e.source_message_id == message] or recent[
        :1
    ]
    done: list[str] = []
    kept: list[str] = []
    kept_ids: list[int] = []
    for entry in batch:  # newest first
        other = _changed_by_others(session, entry)
        if other is not None:
            kept.append(_kept(session, entry, other))
            kept_ids.append(entry.id)
        else:
            done.append(_reverse(session, actor, entry))
    # Entries left as they are count as handled too: the next "undo" moves on to the
    # message before instead of refusing the same one again.
    record(
        session,
        actor,
        "undo",
        entity_type="audit_log",
        entity_id=batch[0].id,
        extra={"undid": [e.id for e in batch], "kept": kept_ids},
    )
    session.flush()
    if not done:
        return texts.UNDO_NOTHING_DONE.format(kept="; ".join(kept))
    out = texts.UNDONE.format(done="; ".join(done))
    if kept:
        out += " " + texts.UNDO_KEPT.format(kept="; ".join(kept))
    return out


def _changed_by_others(session: Session, entry: AuditEntry) -> AuditEntry | None:
    """The first later write to the same row by someone other than the undoing person
    (another user, or a job): their change is not ours to overwrite."""
    if entry.entity_id is None:
        return None
    return session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.entity_type == entry.entity_type,
            AuditEntry.entity_id == entry.entity_id,
            AuditEntry.id > entry.id,
            AuditEntry.action != "undo",
            or_(AuditEntry.actor_id.is_(None), AuditEntry.actor_id != entry.actor_id),
        )
        .order_by(AuditEntry.id)
        .limit(1)
    )


def _kept(session: Session, entry: AuditEntry, other: AuditEntry) -> str:
    user = session.get(User, other.actor_id) if other.actor_id is not None else None
    name = user.display_name if user is not None else other.actor_label
    return texts.UNDO_KEPT_ONE.format(
        what=entry.action.split(".")[0], id=entry.entity_id, name=name
    )


def _reverse(session: Session, actor: Actor, entry: AuditEntry) -> str:
    what = entry.action.split(".")[0]
    if entry.action in CREATED:
        model = CREATED[entry.action]
        obj = session.get(model, entry.entity_id)
        if obj is None:
            return texts.UNDO_ALREADY_GONE.format(what=what, id=entry.entity_id)
        if model is Deal:
            session.execute(
                delete(DealStageChange).where(DealStageChange.deal_id == entry.entity_id)
            )
        if isinstance(obj, Interaction) and entry.data.get("touched"):
            untouch_open_work(session, entry.data["touched"], obj.occurred_at)
        if isinstance(obj, AlertRule):
            obj.active = False
        else:
            session.delete(obj)
        session.flush()
        return texts.UNDO_REMOVED.format(what=what, id=entry.entity_id)
    if entry.action in RESTORED:
        restored_model, fields = RESTORED[entry.action]
        row = session.get(restored_model, entry.entity_id)
        before: dict[str, Any] = entry.data.get("before", {})
        if row is None:
            return texts.UNDO_GONE.format(what=what, id=entry.entity_id)
        after: dict[str, Any] = entry.data.get("after", {})
        for field in fields:
            if field not in before:
                continue
            # Only a field still as this write left it goes back: one moved since by a
            # write the audit does not name (a call touching last activity) stays.
            if field in after and from_jsonable(restored_model, field, after[field]) != getattr(
                row, field
            ):
                continue
            setattr(row, field, from_jsonable(restored_model, field, before[field]))
        change_id = entry.data.get("stage_change_id")
        if change_id is not None:
            session.execute(delete(DealStageChange).where(DealStageChange.id == change_id))
        session.flush()
        return texts.UNDO_RESTORED.format(what=what, id=entry.entity_id)
    if entry.action == "customer.merge":
        back = undo_merge(session=session, actor=actor, entry=entry)
        return texts.UNDO_UNMERGED.format(name=back.name)
    raise NothingToUndo(texts.CANT_UNDO.format(action=entry.action.replace(".", " ")))
