"""set_alert: "alert #sales when pipeline drops below 200k"."""

from __future__ import annotations

from decimal import Decimal

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import require_act_for, require_manager
from chat.reply import Reply
from crm_core.services import alerts, metrics

METRICS = ["pipeline", "forecast", "won", "stale_days", "deal_amount"]
METRIC_WORDS = texts.METRIC_WORDS


def _show(metric: str, value: Decimal | int | float) -> str:
    if metric == "stale_days":
        return texts.STALE_DAYS.format(n=value)
    return fmt.money(value)


def set_alert(ctx: Context) -> Reply:
    metric = ctx.entities.get("metric")
    if metric not in METRICS:
        raise NeedSlot("metric", texts.ASK_METRIC, [Choice(m, m) for m in METRICS])
    comparator = ctx.entities.get("comparator")
    if comparator not in ("<", ">"):
        raise NeedSlot(
            "comparator",
            texts.ASK_COMPARATOR,
            [Choice(texts.CHOICE_ABOVE, ">"), Choice(texts.CHOICE_BELOW, "<")],
        )
    threshold = ctx.require("threshold", texts.ASK_THRESHOLD)
    recipient = ctx.recipient(texts.ASK_ALERT_WHOM)
    owner_value = ctx.entities.get("owner")
    scope_owner = (
        ctx.person(owner_value, slot="owner", question=texts.ASK_WHOSE_NUMBERS)
        if owner_value
        else None
    )
    scope_team = None
    if scope_owner is not None:
        require_act_for(
            ctx.session,
            ctx.user,
            scope_owner.id,
            texts.NUMBERS_WHAT.format(name=scope_owner.display_name),
        )
    elif ctx.user.role == "rep":
        scope_owner = ctx.user
    elif ctx.user.role == "manager":
        scope_team = ctx.user.team
    if recipient.channel and scope_owner is None:
        require_manager(ctx.user, texts.CHANNEL_ALERTS_WHAT)
    ctx.ready_to_write()
    rule = alerts.create_alert(
        session=ctx.session,
        actor=ctx.actor,
        metric=metric,
        comparator=comparator,
        threshold=threshold,
        target_user_id=recipient.user.id if recipient.user else None,
        target_channel=recipient.channel,
        scope_owner_id=scope_owner.id if scope_owner else None,
        scope_team=scope_team,
    )
    now_value = metrics.evaluate_metric(
        ctx.session, metric, owner_id=rule.scope_owner_id, team=rule.scope_team, now=ctx.now
    )
    whose = (
        texts.SCOPE_PERSON.format(name=scope_owner.display_name)
        if scope_owner and scope_owner.id != ctx.user.id
        else texts.SCOPE_YOUR
        if scope_owner
        else texts.SCOPE_TEAM.format(team=scope_team)
        if scope_team
        else texts.ALERT_SCOPE_ALL
    )
    direction = texts.DROPS_BELOW if comparator == "<" else texts.GOES_ABOVE
    return Reply(
        texts.ALERT_SET.format(
            id=rule.id,
            who=recipient.name,
            whose=whose,
            metric=METRIC_WORDS[metric],
            direction=direction,
            threshold=_show(metric, rule.threshold),
            now=_show(metric, now_value),
        )
    )
