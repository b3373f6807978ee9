"""set_reminder ("remind me to send Globex the contract on Thursday") and list_tasks."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot import format as fmt
from bot.context import Context
from bot.flow import NeedSlot
from bot.permissions import visible_owner_ids
from bot.reply import Button, Reply, Section
from crm_core.services import tasks


def set_reminder(ctx: Context) -> Reply:
    due = ctx.at(ctx.entities.get("when"))
    if due is None:
        raise NeedSlot("when", "When should I remind you? (e.g. “tomorrow at 9”, “Friday”)")
    if due <= ctx.now:
        ctx.entities.pop("when", None)
        raise NeedSlot("when", f"{ctx.when(due)} has passed. When should I remind you?")
    customer = ctx.customer(write=True, required=False)
    recipient = ctx.recipient("Remind whom?")
    text = str(ctx.entities.get("text") or "").strip()
    if not text:
        text = f"Follow up with {customer.name}" if customer else ctx.message.text.strip()[:200]
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
                    f"OK, I'll remind {recipient.name} {ctx.when(task.due_at)}: {task.text}"
                ),
                *ctx.notes,
            ]
        )
    )


def list_tasks(ctx: Context) -> Reply:
    owner_value = ctx.entities.get("owner")
    owner = ctx.person(owner_value, slot="owner", question="Whose tasks?") if owner_value else None
    owner_ids, label = visible_owner_ids(ctx.session, ctx.user, owner or ctx.user)
    if ctx.entities.get("period"):
        start_day, end_day = ctx.period(default="week")
    else:
        start_day, end_day = ctx.today, ctx.today + timedelta(days=6)
    start = datetime.combine(start_day, time.min).replace(tzinfo=ctx.tz)
    end = datetime.combine(end_day + timedelta(days=1), time.min).replace(tzinfo=ctx.tz)
    found = tasks.list_tasks(
        ctx.session, owner_ids=owner_ids, start=start, end=end, now=ctx.now, limit=200
    )
    if not found:
        return Reply(f"Nothing due {fmt.period(start_day, end_day)} ({label} tasks). 🎉")
    overdue = sum(1 for t in found if t.due_at < ctx.now)
    lines = [
        ("⚠️ " if t.due_at < ctx.now else "") + f"#{t.id} {ctx.when(t.due_at)} – {t.text}"
        for t in found
    ]
    text = (
        f"{fmt.upfirst(label)} tasks {fmt.period(start_day, end_day)}: {len(found)}"
        + (f" ({overdue} overdue)" if overdue else "")
        + "."
    )
    first = found[0]
    return Reply(
        text,
        sections=[Section(text="\n".join(fmt.top(lines, 12)))],
        buttons=[
            Button(f"Done #{first.id}", "task_done", str(first.id), "primary"),
            Button(f"Snooze #{first.id} 1 day", "task_snooze", f"{first.id}:1d"),
        ],
    )
