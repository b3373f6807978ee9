"""pipeline_report, forecast and rep_performance: the manager's questions."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.permissions import is_manager, visible_owner_ids
from chat.reply import Attachment, Reply, Section
from crm_core.models import User
from crm_core.models.enums import Role
from crm_core.services import performance, reports, targets
from crm_core.services.deal_lists import undated_open_deals
from jobs import charts
from jobs import texts as job_texts


def _scope(ctx: Context) -> tuple[list[int] | None, str]:
    owner_value = ctx.entities.get("owner")
    owner = (
        ctx.person(owner_value, slot="owner", question=texts.ASK_WHOSE_NUMBERS)
        if owner_value
        else None
    )
    return visible_owner_ids(ctx.session, ctx.user, owner)


def pipeline_report(ctx: Context) -> Reply:
    owner_ids, label = _scope(ctx)
    group_by = ctx.entities.get("group_by") or "stage"
    period = ctx.period() if ctx.entities.get("period") else None
    report = reports.pipeline_report(
        ctx.session, group_by=group_by, owner_ids=owner_ids, period=period
    )
    when = texts.PIPELINE_CLOSING.format(period=fmt.period(*period)) if period else ""
    if not report.rows:
        return Reply(texts.NO_OPEN_DEALS.format(label=label, when=when))
    rows = [[group_by.capitalize(), *texts.PIPELINE_COLUMNS]] + [
        [r.key, str(r.count), fmt.money(r.amount), fmt.money(r.weighted)] for r in report.rows[:12]
    ]
    rows.append(
        [
            texts.PIPELINE_TOTAL,
            str(report.count),
            fmt.money(report.amount),
            fmt.money(report.weighted),
        ]
    )
    more = texts.PIPELINE_TOP.format(n=len(report.rows)) if len(report.rows) > 12 else ""
    text = texts.PIPELINE.format(
        label=fmt.upfirst(label),
        when=when,
        amount=fmt.money(report.amount),
        deals=fmt.plural(report.count, "deal"),
        weighted=fmt.money(report.weighted),
        more=more,
    )
    text += _currencies(report)
    if period:
        text += _undated(ctx, owner_ids)
    title = texts.PIPELINE_TITLE.format(group_by=group_by)
    reply = Reply(text, sections=[Section(title=title, rows=rows)])
    if _wants_chart(ctx):
        reply.attachment = Attachment(
            job_texts.CHART_PIPELINE_FILE.format(group_by=group_by),
            title,
            charts.pipeline_png(report, title),
        )
    return reply


def _currencies(figures: reports.PipelineReport | reports.Forecast) -> str:
    """Say which way several currencies were handled: converted at the team's rates, and the
    deals in currencies with no rate named with their own totals (never added in)."""
    text = texts.CONVERTED_AT_RATES.format(currency=figures.currency) if figures.converted else ""
    if figures.unconverted:
        text += texts.NO_RATE.format(
            deals=fmt.plural(figures.unconverted_count, "deal"),
            amounts=fmt.money_totals(figures.unconverted),
        )
    return text


def _wants_chart(ctx: Context) -> bool:
    """A manager who says "chart" ("pipeline chart", "forecast chart by owner") gets the
    picture as well as the table; the parser's intent stays pipeline_report / forecast."""
    words = re.findall(r"[a-z]+", ctx.message.text.lower())
    return is_manager(ctx.user) and any(w in texts.CHART_WORDS for w in words)


def _target_subject(ctx: Context, owner_ids: list[int] | None) -> targets.Subject | None:
    """Whose target a forecast is measured against: the person it is about (a rep's own, or
    the one a manager named), else a manager's team; nobody's for an admin's everybody."""
    named = bool(ctx.entities.get("owner"))
    if owner_ids is not None and len(owner_ids) == 1 and (named or not is_manager(ctx.user)):
        person = ctx.session.get(User, owner_ids[0])
        return targets.user_subject(person) if person is not None else None
    if ctx.user.role == Role.MANAGER.value and ctx.user.team:
        return targets.team_subject(ctx.user.team)
    return None


def _against_target(
    ctx: Context, owner_ids: list[int] | None, period: tuple[date, date], actual: Decimal
) -> tuple[str, Decimal | None]:
    """(" $438,882 of the $500,000 target, 88 %; $61,118 to go.", 500000) or ("", None)."""
    subject = _target_subject(ctx, owner_ids)
    target = targets.target_for(ctx.session, subject, period) if subject else None
    if target is None:
        return "", None
    p = targets.progress(actual, target)
    dollars = targets.whole  # a summary: "$438,882 of the $500,000 target", no cents
    if p.reached:
        sentence = texts.TARGET_REACHED.format(
            actual=fmt.money(dollars(actual)),
            target=fmt.money(dollars(target)),
            percent=p.percent,
            over=fmt.money(dollars(-p.remaining)),
        )
    else:
        sentence = texts.TARGET_PROGRESS.format(
            actual=fmt.money(dollars(actual)),
            target=fmt.money(dollars(target)),
            percent=p.percent,
            remaining=fmt.money(dollars(p.remaining)),
        )
    return sentence, target


def _undated(ctx: Context, owner_ids: list[int] | None) -> str:
    """ " 2 open deals ($78,000) have no close date, so no period counts them." or ""."""
    count, amount = undated_open_deals(ctx.session, owner_ids)
    if not count:
        return ""
    return " " + texts.UNDATED_DEALS.format(
        deals=fmt.plural(count, "open deal"), amount=fmt.money(amount)
    )


def forecast(ctx: Context) -> Reply:
    owner_ids, label = _scope(ctx)
    start, end = ctx.period()
    fc = reports.forecast(ctx.session, period=(start, end), owner_ids=owner_ids)
    text = texts.FORECAST.format(
        label=fmt.upfirst(label),
        period=fmt.period(start, end),
        weighted=fmt.money(fc.weighted),
        won=fmt.money(fc.won),
        open_weighted=fmt.money(fc.open_weighted),
        open_amount=fmt.money(fc.open_amount),
    )
    target_text, target = _against_target(ctx, owner_ids, (start, end), fc.weighted)
    text += _currencies(fc) + target_text + _undated(ctx, owner_ids)
    sections = []
    if len(fc.by_owner) > 1:
        rows = [list(texts.FORECAST_COLUMNS)] + [
            [o.owner, fmt.money(o.weighted), fmt.money(o.won), fmt.money(o.open_amount)]
            for o in fc.by_owner[:10]
        ]
        if len(fc.by_owner) > 10:
            rows.append([texts.AND_MORE.format(n=len(fc.by_owner) - 10), "", "", ""])
        sections.append(Section(title=texts.FORECAST_TITLE, rows=rows))
    reply = Reply(text, sections=sections)
    if _wants_chart(ctx):
        title = texts.CHART_FORECAST_TITLE.format(
            label=fmt.upfirst(label), period=fmt.period(start, end)
        )
        reply.attachment = Attachment(
            job_texts.CHART_FORECAST_FILE.format(start=start, end=end),
            title,
            charts.forecast_png(fc, title, target),
        )
    return reply


def rep_performance(ctx: Context) -> Reply:
    owner_ids, label = _scope(ctx)
    start, end = ctx.period(default="month")
    board = performance.rep_performance(ctx.session, period=(start, end), user_ids=owner_ids)
    if not board:
        return Reply(texts.NO_REPS.format(label=label))
    rows = [list(texts.LEADERBOARD_COLUMNS)] + [
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
        rows.append(["", texts.AND_MORE.format(n=len(board) - 10), "", "", "", "", ""])
    best = board[0]
    if len(board) == 1:
        text = texts.REP_SUMMARY.format(
            name=best.name,
            period=fmt.period(start, end),
            won=fmt.money(best.won_value),
            deals_won=best.deals_won,
            deals_lost=best.deals_lost,
            win_rate=fmt.percent(best.win_rate),
            activities=fmt.plural(best.activities, "activity", "activities"),
            conversion=fmt.percent(best.conversion_rate),
        )
    else:
        text = texts.LEADERBOARD.format(
            label=label,
            period=fmt.period(start, end),
            name=best.name,
            won=fmt.money(best.won_value),
        )
    return Reply(text, sections=[Section(rows=rows)])
