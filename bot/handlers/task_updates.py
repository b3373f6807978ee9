"""update_task: finish, cancel or move a task ("done #90", "mark task 91 as done", "snooze
the umbrella follow-up till monday").

The task is found by its number, else among the person's open tasks by customer and words;
several candidates become a choice, never a guess. Moving needs a time in the future.
"""

from __future__ import annotations

import re

from bot import texts
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.handlers.tasks import day_bounds, default_days
from chat.reply import Reply
from crm_core.models import Task
from crm_core.services import tasks

CHOICES = 6
# A bare small number after the verb is a position in the list just shown, not an id
# (which is written "#90" or "task 90").
BY_POSITION = re.compile(
    r"^(?:mark\s+)?(?:done|finished|complete|completed|cancel|snooze)\s+(\d{1,2})"
    r"(?:\s+(?:as\s+)?done)?\s*[.!]*$",
    re.I,
)


def update_task(ctx: Context) -> Reply:
    task = _the_task(ctx)
    status = str(ctx.entities.get("status") or "").lower()
    due = ctx.at(ctx.entities.get("when"))
    if status not in ("done", "cancelled") and due is None:
        raise NeedSlot("when", texts.ASK_TASK_CHANGE.format(id=task.id, text=task.text))
    ctx.ready_to_write()
    if status == "done":
        tasks.complete_task(session=ctx.session, actor=ctx.actor, task_id=task.id, now=ctx.now)
        said = texts.TASK_DONE.format(id=task.id, text=task.text)
    elif status == "cancelled":
        tasks.cancel_task(session=ctx.session, actor=ctx.actor, task_id=task.id, now=ctx.now)
        said = texts.TASK_CANCELLED.format(id=task.id, text=task.text)
    else:
        assert due is not None
        if due <= ctx.now:
            ctx.entities.pop("when", None)
            raise NeedSlot("when", texts.TASK_MOVE_PAST.format(when=ctx.when(due), id=task.id))
        tasks.snooze_task(
            session=ctx.session, actor=ctx.actor, task_id=task.id, until=due, now=ctx.now
        )
        said = texts.TASK_MOVED.format(id=task.id, when=ctx.when(task.due_at), text=task.text)
    return Reply(" ".join([said, *ctx.notes]))


def _the_task(ctx: Context) -> Task:
    task_id = ctx.entities.get("task_id")
    position = BY_POSITION.match(ctx.message.text.strip())
    if position is not None:  # "done 2": the second of my tasks as "my tasks" lists them
        start, end = day_bounds(ctx, *default_days(ctx))
        shown = tasks.list_tasks(
            ctx.session, owner_ids=[ctx.user.id], start=start, end=end, now=ctx.now, limit=200
        )
        n = int(position.group(1))
        if 1 <= n <= len(shown):
            return shown[n - 1]
    if task_id:
        return tasks.get_task(ctx.session, int(task_id))
    customer = ctx.customer(write=False, required=False)
    words = str(ctx.entities.get("text") or "").strip()
    found = tasks.open_tasks_for(
        ctx.session, ctx.user.id, customer_id=customer.id if customer else None, words=words
    )
    if not found and words and customer is not None:  # the words were chatter around a name
        found = tasks.open_tasks_for(ctx.session, ctx.user.id, customer_id=customer.id)
    about = f" for {customer.name}" if customer else (f" about “{words}”" if words else "")
    if not found:
        if customer is None and not words:
            raise LookupError(texts.NO_OPEN_TASKS.format(about=""))
        ctx.entities.pop("text", None)
        ctx.entities.pop("customer", None)
        ctx.entities.pop("customer_id", None)
        raise NeedSlot("task_id", texts.NO_TASK_MATCHES.format(about=about), _choices(ctx))
    if len(found) == 1:
        return found[0]
    raise NeedSlot("task_id", texts.ASK_WHICH_TASK, _choices(ctx, found[:CHOICES]))


def _choices(ctx: Context, candidates: list[Task] | None = None) -> list[Choice]:
    """The tasks offered to choose from: the candidates, else the person's next open ones."""
    if candidates is None:
        candidates = tasks.open_tasks_for(ctx.session, ctx.user.id, limit=CHOICES)
    return [
        Choice(texts.TASK_CHOICE.format(id=t.id, when=ctx.when(t.due_at), text=t.text), str(t.id))
        for t in candidates
    ]
