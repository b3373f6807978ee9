"""set_alert: "alert #sales when pipeline drops below 200k"."""

from __future__ import annotations

from bot import format as fmt
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import require_act_for, require_manager
from bot.reply import Reply
from crm_core.services import alerts, metrics

METRICS = ["pipeline", "forecast", "won", "stale_days", "deal_amount"]
METRIC_WORDS = {
    "pipeline": "open pipeline",
    "forecast": "this quarter's forecast",
    "won": "won this quarter",
    "stale_days": "days since activity on the stalest deal",
    "deal_amount": "largest open deal",
}


def _show(metric: str, value: object) -> str:
    return f"{value} days" if metric == "stale_days" else fmt.money(value)  # type: ignore[arg-type]


def set_alert(ctx: Context) -> Reply:
    metric = ctx.entities.get("metric")
    if metric not in METRICS:
        raise NeedSlot("metric", "Which number should I watch?", [Choice(m, m) for m in METRICS])
    comparator = ctx.entities.get("comparator")
    if comparator not in ("<", ">"):
        raise NeedSlot(
            "comparator",
            "Tell you when it goes above or below?",
            [Choice("above", ">"), Choice("below", "<")],
        )
    threshold = ctx.require("threshold", "At what number?")
    recipient = ctx.recipient("Tell whom?")
    owner_value = ctx.entities.get("owner")
    scope_owner = (
        ctx.person(owner_value, slot="owner", question="Whose numbers?") if owner_value else None
    )
    scope_team = None
    if scope_owner is not None:
        require_act_for(
            ctx.session, ctx.user, scope_owner.id, f"{scope_owner.display_name}'s numbers"
        )
    elif ctx.user.role == "rep":
        scope_owner = ctx.user
    elif ctx.user.role == "manager":
        scope_team = ctx.user.team
    if recipient.channel and scope_owner is None:
        require_manager(ctx.user, "send team-wide alerts to a channel")
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
        f"{scope_owner.display_name}'s"
        if scope_owner and scope_owner.id != ctx.user.id
        else "your"
        if scope_owner
        else f"team {scope_team}'s"
        if scope_team
        else "the whole"
    )
    direction = "drops below" if comparator == "<" else "goes above"
    return Reply(
        f"Alert #{rule.id} set: I'll tell {recipient.name} when {whose} {METRIC_WORDS[metric]} "
        f"{direction} {_show(metric, rule.threshold)} (now {_show(metric, now_value)})."
    )
