"""Due tasks: reminders ("remind me ...") and follow-ups (the date given when logging an
interaction), pushed to their target (the owner, another rep, or a channel) when they fall due.

The key is the task and its due time, so a task pushes once per due time: snoozing it to a new
time makes a new push, sweeping again does not. Campaign tasks are left to the campaign job,
which sends each owner one list instead of a ping per customer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from chat.reply import Button, Reply, Section
from crm_core.models import Customer, Task, User
from crm_core.models.enums import TaskKind, TaskStatus
from jobs import texts
from jobs.clock import CATCH_UP, team_zone
from jobs.format import when
from jobs.outbox import Push, channel_target, enqueue, existing_keys, make_key, user_target


def task_buttons(task_id: int, customer_id: int | None) -> list[Button]:
    buttons = [
        Button(texts.DONE_BUTTON, "task_done", str(task_id), "primary"),
        Button(texts.SNOOZE_BUTTON, "task_snooze", f"{task_id}:1d"),
    ]
    if customer_id is not None:
        buttons.append(Button(texts.LOG_CALL_BUTTON, "log_call", str(customer_id)))
    return buttons


def sweep_due_tasks(session: Session, *, now: datetime) -> int:
    """Enqueue a push for every open task that fell due in (now - CATCH_UP, now]."""
    owner = aliased(User)
    rows = session.execute(
        select(
            Task.id,
            Task.kind,
            Task.text,
            Task.due_at,
            Task.owner_id,
            Task.target_user_id,
            Task.target_channel,
            Task.customer_id,
            Customer.name,
            owner.display_name,
        )
        .outerjoin(Customer, Customer.id == Task.customer_id)
        .outerjoin(owner, owner.id == Task.owner_id)
        .where(
            Task.status == TaskStatus.OPEN.value,
            Task.kind != TaskKind.CAMPAIGN.value,
            Task.due_at <= now,
            Task.due_at > now - CATCH_UP,
        )
        .order_by(Task.due_at, Task.id)
    ).all()
    keyed = [(make_key(_kind(r.kind), f"task-{r.id}", r.due_at), r) for r in rows]
    known = existing_keys(session, [k for k, _ in keyed])
    tz = team_zone()
    pushes = []
    for key, r in keyed:
        if key in known:
            continue
        if r.target_channel:
            target = channel_target(r.target_channel)
        elif r.target_user_id or r.owner_id:
            target = user_target(r.target_user_id or r.owner_id)
        else:
            continue  # nobody to tell (the owner was deleted); the task stays in the lists
        kind = _kind(r.kind)
        label = texts.FOLLOW_UP if kind == "follow_up" else texts.REMINDER
        by_other = r.owner_id is not None and (r.target_channel or r.target_user_id != r.owner_id)
        text = texts.TASK_DUE.format(label=label, text=r.text) + (
            texts.TASK_FOR.format(name=r.display_name) if by_other else ""
        )
        fields = [(texts.FIELD_DUE, when(r.due_at, tz))]
        if r.name:
            fields.append((texts.FIELD_CUSTOMER, r.name))
        fields.append((texts.FIELD_TASK, f"#{r.id}"))
        pushes.append(
            Push(
                key,
                kind,
                target,
                Reply(text, [Section(fields=fields)], task_buttons(r.id, r.customer_id)),
                r.due_at,
            )
        )
    return enqueue(session, pushes, now=now)


def _kind(task_kind: str) -> str:
    return "follow_up" if task_kind == TaskKind.FOLLOW_UP.value else "reminder"
