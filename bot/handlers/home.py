"""A person's home: what they have to do and what they are selling. Slack shows it in the App
Home tab; other adapters may show it on /start."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import format as fmt
from bot import texts
from chat.reply import Button, Reply, Section
from crm_core.models import Deal, User
from crm_core.models.enums import OPEN_STAGES
from crm_core.services import tasks


def home(session: Session, user: User, now: datetime, tz: tzinfo) -> Reply:
    today = now.astimezone(tz).date()
    due = tasks.list_tasks(
        session, owner_ids=[user.id], start=now, end=now + timedelta(days=7), now=now, limit=50
    )
    deals = list(
        session.scalars(
            select(Deal)
            .where(Deal.owner_id == user.id, Deal.stage.in_([s.value for s in OPEN_STAGES]))
            .order_by(Deal.close_date.is_(None), Deal.close_date, Deal.id)
            .limit(50)
        )
    )
    sections = []
    if due:
        lines = [
            ("⚠️ " if t.due_at < now else "") + f"#{t.id} {fmt.when(t.due_at, tz, today=today)}"
            f" – {t.text}"
            for t in due
        ]
        sections.append(Section(title=texts.HOME_TASKS_TITLE, text="\n".join(fmt.top(lines, 15))))
    else:
        sections.append(Section(title=texts.HOME_NO_TASKS_TITLE, text=texts.HOME_NOTHING_DUE))
    if deals:
        rows = [list(texts.OPEN_DEAL_COLUMNS)] + [
            [
                d.name,
                d.stage,
                fmt.money(d.amount, d.currency),
                fmt.day(d.close_date, today=today) if d.close_date else "–",
            ]
            for d in deals[:15]
        ]
        sections.append(Section(title=texts.HOME_DEALS_TITLE.format(n=len(deals)), rows=rows))
    buttons = (
        [Button(texts.DONE_BUTTON.format(id=due[0].id), "task_done", str(due[0].id), "primary")]
        if due
        else []
    )
    return Reply(
        texts.HOME.format(
            name=user.display_name.split()[0],
            tasks=fmt.plural(len(due), "task"),
            deals=fmt.plural(len(deals), "open deal"),
        ),
        sections=sections,
        buttons=buttons,
    )
