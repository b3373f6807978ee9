"""pipeline_report, forecast and rep_performance: the manager's questions."""

from __future__ import annotations

from bot import format as fmt
from bot.context import Context
from bot.permissions import visible_owner_ids
from bot.reply import Reply, Section
from crm_core.services import performance, reports


def _scope(ctx: Context) -> tuple[list[int] | None, str]:
    owner_value = ctx.entities.get("owner")
    owner = (
        ctx.person(owner_value, slot="owner", question="Whose numbers?") if owner_value else None
    )
    return visible_owner_ids(ctx.session, ctx.user, owner)


def pipeline_report(ctx: Context) -> Reply:
    owner_ids, label = _scope(ctx)
    group_by = ctx.entities.get("group_by") or "stage"
    period = ctx.period() if ctx.entities.get("period") else None
    report = reports.pipeline_report(
        ctx.session, group_by=group_by, owner_ids=owner_ids, period=period
    )
    when = f" closing {fmt.period(*period)}" if period else ""
    if not report.rows:
        return Reply(f"No open deals in {label} pipeline{when}.")
    rows = [[group_by.capitalize(), "Deals", "Amount", "Weighted"]] + [
        [r.key, str(r.count), fmt.money(r.amount), fmt.money(r.weighted)] for r in report.rows[:12]
    ]
    rows.append(["Total", str(report.count), fmt.money(report.amount), fmt.money(report.weighted)])
    more = f" (top 12 of {len(report.rows)})" if len(report.rows) > 12 else ""
    text = (
        f"{fmt.upfirst(label)} open pipeline{when}: {fmt.money(report.amount)} in "
        f"{fmt.plural(report.count, 'deal')} ({fmt.money(report.weighted)} weighted){more}."
    )
    return Reply(text, sections=[Section(title=f"Pipeline by {group_by}", rows=rows)])


def forecast(ctx: Context) -> Reply:
    owner_ids, label = _scope(ctx)
    start, end = ctx.period()
    fc = reports.forecast(ctx.session, period=(start, end), owner_ids=owner_ids)
    text = (
        f"{fmt.upfirst(label)} forecast for {fmt.period(start, end)}: "
        f"{fmt.money(fc.weighted)} (won {fmt.money(fc.won)} + "
        f"{fmt.money(fc.open_weighted)} weighted from {fmt.money(fc.open_amount)} open)."
    )
    sections = []
    if len(fc.by_owner) > 1:
        rows = [["Owner", "Forecast", "Won", "Open"]] + [
            [o.owner, fmt.money(o.weighted), fmt.money(o.won), fmt.money(o.open_amount)]
            for o in fc.by_owner[:10]
        ]
        if len(fc.by_owner) > 10:
            rows.append([f"and {len(fc.by_owner) - 10} more", "", "", ""])
        sections.append(Section(title="By owner", rows=rows))
    return Reply(text, sections=sections)


def rep_performance(ctx: Context) -> Reply:
    owner_ids, label = _scope(ctx)
    start, end = ctx.period(default="month")
    board = performance.rep_performance(ctx.session, period=(start, end), user_ids=owner_ids)
    if not board:
        return Reply(f"No reps to report on ({label}).")
    rows = [["#", "Rep", "Won", "Deals W/L", "Win rate", "Activities", "Lead conv."]] + [
        [
            str(n),
            p.name,
            fmt.money(p.won_value),
            f"{p.deals_won}/{p.deals_lost}",
            fmt.percent(p.win_rate),
            str(p.activities),
            fmt.percent(p.conversion_rate),
        ]
        for n, p in enumerate(board[:10], 1)
    ]
    if len(board) > 10:
        rows.append(["", f"and {len(board) - 10} more", "", "", "", "", ""])
    best = board[0]
    if len(board) == 1:
        text = (
            f"{best.name}, {fmt.period(start, end)}: won {fmt.money(best.won_value)} "
            f"({best.deals_won} won, {best.deals_lost} lost, win rate "
            f"{fmt.percent(best.win_rate)}), "
            f"{fmt.plural(best.activities, 'activity', 'activities')}, "
            f"lead conversion {fmt.percent(best.conversion_rate)}."
        )
    else:
        text = (
            f"Leaderboard ({label}), {fmt.period(start, end)}: {best.name} leads with "
            f"{fmt.money(best.won_value)} won."
        )
    return Reply(text, sections=[Section(rows=rows)])
