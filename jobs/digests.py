"""Digests: each rep's morning summary and the managers' weekly one, at a local hour.

The hour is wall-clock time in the person's zone (their own, else the team's), so 08:00 stays
08:00 across a daylight-saving change. A digest is due from that hour until the end of that
local day (a bot started at 10:00 still sends today's), keyed by person and local date, so it
goes out once a day. A morning digest with nothing in it is not sent.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from chat.reply import Attachment, Reply, Section
from crm_core.models import Customer, Deal, Task, User
from crm_core.models.enums import OPEN_STAGES, Role, Stage, TaskStatus
from crm_core.models.types import as_utc
from crm_core.money import deal_total
from crm_core.periods import quarter_of
from crm_core.services.performance import rep_performance
from crm_core.services.reports import forecast
from crm_core.services.targets import progress, target_for, team_subject
from jobs import charts, texts
from jobs.clock import day_bounds, local_at, zone_of
from jobs.format import money, plural, when
from jobs.outbox import Push, enqueue, existing_keys, make_key, user_target
from jobs.team_config import TeamConfigs, load_team_configs

LIST_LIMIT = 8


def _due_today(now: datetime, tz: tzinfo, hour: int) -> tuple[date, datetime] | None:
    """(local date, due instant) when a digest at `hour` is due at `now`, else None."""
    today = now.astimezone(tz).date()
    due = local_at(today, hour, tz)
    _, end = day_bounds(today, tz)
    return (today, due) if due <= now < end else None


def _task_lines(
    session: Session, user_id: int, start: datetime | None, end: datetime, tz: tzinfo
) -> tuple[int, list[str]]:
    where = [Task.owner_id == user_id, Task.status == TaskStatus.OPEN.value, Task.due_at < end]
    if start is not None:
        where.append(Task.due_at >= start)
    count = session.scalar(select(func.count(Task.id)).where(*where)) or 0
    rows = session.execute(
        select(Task.id, Task.text, Task.due_at)
        .where(*where)
        .order_by(Task.due_at, Task.id)
        .limit(LIST_LIMIT)
    ).all()
    return count, [f"#{i} {text} ({when(due, tz)})" for i, text, due in rows]


def _stale_lines(session: Session, user_id: int, now: datetime, days: int) -> tuple[int, list[str]]:
    last = func.coalesce(Deal.last_activity_at, Deal.created_at)
    where = [
        Deal.owner_id == user_id,
        Deal.stage.in_([s.value for s in OPEN_STAGES]),
        last <= now - timedelta(days=days),
    ]
    count = session.scalar(select(func.count(Deal.id)).where(*where)) or 0
    rows = session.execute(
        select(Deal.id, Deal.name, Customer.name, last)
        .join(Customer, Customer.id == Deal.customer_id)
        .where(*where)
        .order_by(last, Deal.id)
        .limit(LIST_LIMIT)
    ).all()
    return count, [
        texts.STALE_DEAL_LINE.format(
            name=name,
            customer=customer,
            days=(now - as_utc(at)).days,  # type: ignore[operator]
        )
        for _, name, customer, at in rows
    ]


def _section(title: str, count: int, lines: list[str]) -> Section:
    more = count - len(lines)
    return Section(
        title=f"{title} ({count})",
        text="\n".join(lines) + (texts.LIST_MORE.format(n=more) if more > 0 else ""),
    )


def morning_digest(
    session: Session, user: User, *, now: datetime, tz: tzinfo, day: date, stale_days: int
) -> Reply | None:
    start, end = day_bounds(day, tz)
    today_n, today = _task_lines(session, user.id, start, end, tz)
    overdue_n, overdue = _task_lines(session, user.id, None, start, tz)
    stale_n, stale = _stale_lines(session, user.id, now, stale_days)
    if not (today_n or overdue_n or stale_n):
        return None
    sections = []
    if today_n:
        sections.append(_section(texts.TODAYS_TASKS_TITLE, today_n, today))
    if overdue_n:
        sections.append(_section(texts.OVERDUE_TITLE, overdue_n, overdue))
    if stale_n:
        sections.append(_section(texts.STALE_DEALS_TITLE.format(days=stale_days), stale_n, stale))
    text = texts.MORNING_DIGEST.format(
        name=user.display_name,
        tasks=plural(today_n, "task"),
        overdue=overdue_n,
        stale=plural(stale_n, "stale deal"),
    )
    return Reply(text, sections)


def sweep_morning_digests(session: Session, *, now: datetime) -> int:
    configs = load_team_configs(session)
    users = list(
        session.scalars(
            select(User)
            .where(User.active.is_(True), User.role.in_([Role.REP.value, Role.MANAGER.value]))
            .order_by(User.id)
        )
    )
    plans = []
    for user in users:
        tz = zone_of(user.timezone)
        config = configs.for_team(user.team)
        due = _due_today(now, tz, config.digest_hour)
        if due is not None:
            day, at = due
            plans.append(
                (
                    make_key("digest", f"user-{user.id}", day.isoformat()),
                    user,
                    tz,
                    day,
                    at,
                    config.stale_deal_days,
                )
            )
    known = existing_keys(session, [p[0] for p in plans])
    pushes = []
    for key, user, tz, day, at, stale_days in plans:
        if key in known:
            continue
        reply = morning_digest(session, user, now=now, tz=tz, day=day, stale_days=stale_days)
        if reply is not None:
            pushes.append(Push(key, "digest", user_target(user.id), reply, at))
    return enqueue(session, pushes, now=now)


def _open_amount(session: Session, owners: list[int], extra: list[ColumnElement[bool]]) -> Decimal:
    # Exact, in the team currency (other currencies at the configured rates).
    return deal_total(session, Deal.owner_id.in_(owners), *extra)


def weekly_digest(session: Session, manager: User, *, now: datetime, day: date) -> Reply:
    team = manager.team
    owners = (
        list(session.scalars(select(User.id).where(User.team == team)))
        if team
        else list(session.scalars(select(User.id)))
    )
    week_ago = now - timedelta(days=7)
    is_open = Deal.stage.in_([s.value for s in OPEN_STAGES])
    closed = Deal.stage.in_([Stage.WON.value, Stage.LOST.value])
    open_now = _open_amount(session, owners, [is_open])
    added = _open_amount(session, owners, [Deal.created_at > week_ago])
    won = _open_amount(session, owners, [Deal.stage == Stage.WON.value, Deal.closed_at > week_ago])
    lost = _open_amount(
        session, owners, [Deal.stage == Stage.LOST.value, Deal.closed_at > week_ago]
    )
    # Open a week ago = created before then and either still open or closed since.
    then = _open_amount(session, owners, [is_open, Deal.created_at <= week_ago]) + _open_amount(
        session, owners, [closed, Deal.closed_at > week_ago, Deal.created_at <= week_ago]
    )
    change = open_now - then
    period = quarter_of(day)
    outlook = forecast(session, period=period, owner_ids=owners)
    board = rep_performance(session, period=(day - timedelta(days=6), day), team=team)
    rows = [list(texts.WEEKLY_LEADERBOARD_COLUMNS)] + [
        [p.name, money(p.won_value), str(p.deals_won), str(p.activities)] for p in board[:5]
    ]
    sign = "+" if change >= 0 else "-"
    text = texts.WEEKLY_DIGEST.format(
        scope=texts.WEEKLY_SCOPE_TEAM.format(team=team) if team else texts.WEEKLY_SCOPE_EVERYBODY,
        open=money(open_now),
        change=sign + money(abs(change)),
        forecast=money(outlook.weighted),
    )
    target = target_for(session, team_subject(team), period) if team else None
    target_fields = []
    if target is not None:
        text += texts.WEEKLY_TARGET.format(progress=_progress(outlook.weighted, target))
        target_fields.append((texts.FIELD_TARGET, money(target)))
    chart_title = texts.WEEKLY_CHART_TITLE.format(start=period[0], end=period[1])
    return Reply(
        text,
        [
            Section(
                title=texts.WEEKLY_PIPELINE_TITLE,
                fields=[
                    (texts.FIELD_OPEN_NOW, money(open_now)),
                    (texts.FIELD_CHANGE, f"{sign}{money(abs(change))}"),
                    (texts.FIELD_NEW_DEALS, money(added)),
                    (texts.FIELD_WON, money(won)),
                    (texts.FIELD_LOST, money(lost)),
                ],
            ),
            Section(
                title=texts.WEEKLY_FORECAST_TITLE.format(start=period[0], end=period[1]),
                fields=[
                    (texts.FIELD_WEIGHTED, money(outlook.weighted)),
                    (texts.FIELD_WON_SO_FAR, money(outlook.won)),
                    (texts.FIELD_OPEN_WEIGHTED, money(outlook.open_weighted)),
                    *target_fields,
                ],
            ),
            Section(title=texts.WEEKLY_LEADERBOARD_TITLE, rows=rows),
        ],
        attachment=Attachment(
            texts.CHART_FORECAST_FILE.format(start=period[0], end=period[1]),
            chart_title,
            charts.forecast_png(outlook, chart_title, target),
        ),
    )


def _progress(actual: Decimal, target: Decimal) -> str:
    """ "$438,882 of the $500,000 target, 88 %; $61,118 to go" (or "... over")."""
    p = progress(actual, target)
    if p.reached:
        return texts.TARGET_REACHED.format(
            actual=money(actual), target=money(target), percent=p.percent, over=money(-p.remaining)
        )
    return texts.TARGET_PROGRESS.format(
        actual=money(actual), target=money(target), percent=p.percent, remaining=money(p.remaining)
    )


def sweep_weekly_digests(session: Session, *, now: datetime) -> int:
    configs: TeamConfigs = load_team_configs(session)
    managers = list(
        session.scalars(
            select(User)
            .where(User.active.is_(True), User.role == Role.MANAGER.value)
            .order_by(User.id)
        )
    )
    pushes = []
    for manager in managers:
        tz = zone_of(manager.timezone)
        config = configs.for_team(manager.team)
        due = _due_today(now, tz, config.weekly_digest_hour)
        if due is None or due[0].weekday() != config.weekly_digest_weekday:
            continue
        day, at = due
        iso = day.isocalendar()
        key = make_key("digest", f"weekly-user-{manager.id}", f"{iso.year}-W{iso.week:02d}")
        if existing_keys(session, [key]):
            continue
        pushes.append(
            Push(
                key,
                "digest",
                user_target(manager.id),
                weekly_digest(session, manager, now=now, day=day),
                at,
            )
        )
    return enqueue(session, pushes, now=now)
