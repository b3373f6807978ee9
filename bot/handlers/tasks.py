"""set_reminder ("remind me to send Globex the contract on Thursday") and list_tasks."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.flow import NeedSlot
from bot.permissions import visible_owner_ids
from chat.reply import Button, Reply, Section
from crm_core.models import Task
from crm_core.services import tasks

TASK_PAGE = 12
ASKS_OVERDUE = re.compile(r"\b(?:overdue|past due|late|missed|behind on)\b", re.I)


def set_reminder(ctx: Context) -> Reply:
    due = ctx.at(ctx.entities.get("when"))
    if due is None:
        raise NeedSlot("when", texts.ASK_WHEN)
    if due <= ctx.now:
        ctx.entities.pop("when", None)
        raise NeedSlot("when", texts.WHEN_PASSED.format(when=ctx.when(due)))
    customer = ctx.customer(write=True, required=False)
    recipient = ctx.recipient(texts.ASK_REMIND_WHOM)
    text = str(ctx.entities.get("text") or "").strip()
    if not text:
        text = (
            texts.FOLLOW_UP_TASK.format(name=customer.name)
            if customer
            else ctx.message.text.strip()[:200]
        )
    ctx.ready_to_write()
    task = tasks.create_task(
        session=ctx.session,
        actor=ctx.actor,
        text=text,
        due_at=due,
        kind="reminder",
        target_user_id=recipient.user.id if recipient.user else None,
        target_channel=recipient.channel,
        customer_id=customer.id if customer else None,
    )
    return Reply(
        " ".join(
            [
                fmt.sentence(
                    texts.REMINDER_SET.format(
                        who=recipient.name, when=ctx.when(task.due_at), text=task.text
                    )
                ),
                *ctx.notes,
            ]
        )
    )


def list_tasks(ctx: Context) -> Reply:
    owner_value = ctx.entities.get("owner")
    owner = (
        ctx.person(owner_value, slot="owner", question=texts.ASK_WHOSE_TASKS)
        if owner_value
        else None
    )
    owner_ids, label = visible_owner_ids(ctx.session, ctx.user, owner or ctx.user)
    if ASKS_OVERDUE.search(ctx.message.text):
        return _overdue(ctx, owner_ids, label)
    day = ctx.day(ctx.entities.get("when"))
    if ctx.entities.get("period"):
        start_day, end_day = ctx.period(default="week")
    elif day is not None:  # "what's due tomorrow": that day only
        start_day = end_day = day
    else:
        start_day, end_day = default_days(ctx)
    start, end = day_bounds(ctx, start_day, end_day)
    found = tasks.list_tasks(
        ctx.session,
        owner_ids=owner_ids,
        start=start,
        end=end,
        now=ctx.now,
        include_overdue=start_day <= ctx.today,  # a later period shows that period only
        limit=200,
    )
    if not found:
        return Reply(texts.NOTHING_DUE.format(period=fmt.period(start_day, end_day), label=label))
    overdue = sum(1 for t in found if t.due_at < ctx.now)
    first_n = int(ctx.entities.get("offset") or 0) + 1
    lines = _numbered(ctx, ctx.page(found, TASK_PAGE), first_n)
    text = texts.TASKS_DUE.format(
        label=fmt.upfirst(label),
        period=fmt.period(start_day, end_day),
        n=len(found),
        overdue=texts.TASKS_OVERDUE.format(n=overdue) if overdue else "",
    )
    first = found[0]
    return Reply(
        text,
        sections=[Section(text="\n".join(lines))],
        buttons=[
            Button(texts.DONE_BUTTON.format(id=first.id), "task_done", str(first.id), "primary"),
            Button(texts.SNOOZE_BUTTON.format(id=first.id), "task_snooze", f"{first.id}:1d"),
        ],
    )


def _overdue(ctx: Context, owner_ids: list[int] | None, label: str) -> Reply:
    """Only what is late: "what's overdue?"."""
    late = tasks.overdue_tasks(ctx.session, now=ctx.now, owner_ids=owner_ids, limit=200)
    if not late:
        return Reply(texts.NOTHING_OVERDUE.format(label=label))
    first_n = int(ctx.entities.get("offset") or 0) + 1
    lines = _numbered(ctx, ctx.page(late, TASK_PAGE), first_n)
    first = late[0]
    return Reply(
        texts.TASKS_LATE.format(label=fmt.upfirst(label), n=len(late)),
        sections=[Section(text="\n".join(lines))],
        buttons=[
            Button(texts.DONE_BUTTON.format(id=first.id), "task_done", str(first.id), "primary"),
            Button(texts.SNOOZE_BUTTON.format(id=first.id), "task_snooze", f"{first.id}:1d"),
        ],
    )


def default_days(ctx: Context) -> tuple[date, date]:
    """What "my tasks" covers when no period is said: today and the six days after."""
    return ctx.today, ctx.today + timedelta(days=6)


def day_bounds(ctx: Context, start_day: date, end_day: date) -> tuple[datetime, datetime]:
    """[start of the first day, start of the day after the last) in the person's zone."""
    start = datetime.combine(start_day, time.min).replace(tzinfo=ctx.tz)
    return start, datetime.combine(end_day + timedelta(days=1), time.min).replace(tzinfo=ctx.tz)


def _numbered(ctx: Context, shown: list[Task], first: int) -> list[str]:
    """ "2. #91 tomorrow 09:00 – send the deck": the number is what "done 2" refers to."""
    return [
        f"{n}. " + ("⚠️ " if t.due_at < ctx.now else "") + f"#{t.id} {ctx.when(t.due_at)} – {t.text}"
        for n, t in enumerate(shown, first)
    ]
