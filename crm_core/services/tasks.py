"""Follow-ups and reminders: create, list, overdue, complete, snooze."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_core.errors import NotFound, PermissionDenied, ValidationError
from crm_core.models import Task, User
from crm_core.models.base import utcnow
from crm_core.models.enums import Role, TaskKind, TaskStatus
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.validation import clean_choice, clean_text, require_aware

MAX_SNOOZE = timedelta(days=365)


def _channel(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value.startswith("#") or len(value) < 2 or len(value) > 120 or " " in value:
        raise ValidationError(f"{value!r} is not a channel name like #sales", field="target")
    return value.lower()


@atomic
def create_task(
    *,
    session: Session,
    actor: Actor,
    text: str,
    due_at: datetime,
    kind: str = TaskKind.REMINDER,
    owner_id: int | None = None,
    target_user_id: int | None = None,
    target_channel: str | None = None,
    customer_id: int | None = None,
    deal_id: int | None = None,
    campaign_id: int | None = None,
) -> Task:
    """A task belongs to `owner_id` (default: the actor) and is announced to one target: a
    user, a channel, or by default its owner."""
    require_aware(due_at, field="when")
    owner_id = owner_id if owner_id is not None else actor.user_id
    if target_user_id is None and target_channel is None:
        target_user_id = owner_id
    task = Task(
        kind=clean_choice(kind, TaskKind, field="kind").value,
        text=clean_text(text, field="reminder text", allow_empty=False),
        due_at=due_at,
        owner_id=owner_id,
        target_user_id=target_user_id,
        target_channel=_channel(target_channel),
        customer_id=customer_id,
        deal_id=deal_id,
        campaign_id=campaign_id,
        created_by=actor.user_id,
    )
    session.add(task)
    session.flush()
    record(session, actor, "task.create", task, after=snapshot(task))
    return task


def get_task(session: Session, task_id: int) -> Task:
    task = session.get(Task, task_id)
    if task is None:
        raise NotFound(f"no task #{task_id}")
    return task


def list_tasks(
    session: Session,
    *,
    owner_ids: list[int] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    status: str = TaskStatus.OPEN,
    include_overdue: bool = True,
    now: datetime | None = None,
    limit: int = 100,
) -> list[Task]:
    """Tasks due in [start, end) that these people own or are reminded of (a colleague's
    "remind dana to..." is Dana's task too); open ones already overdue come too unless asked
    not to."""
    query = select(Task).where(Task.status == status)
    if owner_ids is not None:
        query = query.where(Task.owner_id.in_(owner_ids) | Task.target_user_id.in_(owner_ids))
    if end is not None:
        query = query.where(Task.due_at < end)
    if start is not None:
        if include_overdue and status == TaskStatus.OPEN:
            query = query.where((Task.due_at >= start) | (Task.due_at < (now or utcnow())))
        else:
            query = query.where(Task.due_at >= start)
    return list(session.scalars(query.order_by(Task.due_at, Task.id).limit(limit)))


def overdue_tasks(
    session: Session,
    *,
    now: datetime | None = None,
    owner_ids: list[int] | None = None,
    limit: int = 1000,
) -> list[Task]:
    query = select(Task).where(
        Task.status == TaskStatus.OPEN.value, Task.due_at < (now or utcnow())
    )
    if owner_ids is not None:
        query = query.where(Task.owner_id.in_(owner_ids) | Task.target_user_id.in_(owner_ids))
    return list(session.scalars(query.order_by(Task.due_at, Task.id).limit(limit)))


def _check_may_change(session: Session, actor: Actor, task: Task) -> None:
    if actor.user_id is None or actor.user_id in (
        task.owner_id,
        task.target_user_id,
        task.created_by,
    ):
        return
    user = session.get(User, actor.user_id)
    owner = session.get(User, task.owner_id) if task.owner_id else None
    if user is not None and (
        user.role == Role.ADMIN.value
        or (user.role == Role.MANAGER.value and owner is not None and owner.team == user.team)
    ):
        return
    raise PermissionDenied(f"task #{task.id} belongs to someone else")


@atomic
def complete_task(
    *, session: Session, actor: Actor, task_id: int, now: datetime | None = None
) -> Task:
    return _close(session, actor, task_id, TaskStatus.DONE, "task.complete", now)


def _close(
    session: Session,
    actor: Actor,
    task_id: int,
    status: TaskStatus,
    action: str,
    now: datetime | None,
) -> Task:
    """An open task ends (done or cancelled): it stays, with its status, for the record."""
    task = get_task(session, task_id)
    _check_may_change(session, actor, task)
    if task.status != TaskStatus.OPEN.value:
        raise ValidationError(f"task #{task.id} is {task.status} already")
    before = snapshot(task)
    task.status = status.value
    task.completed_at = now or utcnow()
    session.flush()
    record(session, actor, action, task, before=before, after=snapshot(task))
    return task


@atomic
def snooze_task(
    *,
    session: Session,
    actor: Actor,
    task_id: int,
    until: datetime | None = None,
    delta: timedelta | None = None,
    now: datetime | None = None,
) -> Task:
    """Move an open task later: to `until`, or by `delta` from now (or from its due time if
    that is still ahead)."""
    task = get_task(session, task_id)
    _check_may_change(session, actor, task)
    if task.status != TaskStatus.OPEN.value:
        raise ValidationError(f"task #{task.id} is {task.status}; only open tasks can be snoozed")
    now = now or utcnow()
    if until is None:
        if delta is None or delta <= timedelta(0) or delta > MAX_SNOOZE:
            raise ValidationError("snooze by a positive time of at most a year")
        until = max(now, task.due_at) + delta
    require_aware(until, field="until")
    if until <= now:
        raise ValidationError("snooze to a time in the future")
    before = snapshot(task)
    task.due_at = until
    task.snooze_count += 1
    session.flush()
    record(session, actor, "task.snooze", task, before=before, after=snapshot(task))
    return task


@atomic
def cancel_task(
    *, session: Session, actor: Actor, task_id: int, now: datetime | None = None
) -> Task:
    """Drop an open task without doing it."""
    return _close(session, actor, task_id, TaskStatus.CANCELLED, "task.cancel", now)


def open_tasks_for(
    session: Session,
    user_id: int,
    *,
    customer_id: int | None = None,
    words: str | None = None,
    limit: int = 20,
) -> list[Task]:
    """Open tasks a person owns or is reminded of, soonest first; narrowed to one customer
    and/or to tasks whose text holds every one of `words` (case-insensitive)."""
    query = select(Task).where(
        Task.status == TaskStatus.OPEN.value,
        (Task.owner_id == user_id) | (Task.target_user_id == user_id),
    )
    if customer_id is not None:
        query = query.where(Task.customer_id == customer_id)
    for word in (words or "").split():
        query = query.where(Task.text.ilike(f"%{word}%"))
    return list(session.scalars(query.order_by(Task.due_at, Task.id).limit(limit)))
