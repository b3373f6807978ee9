"""segment_customers ("which customers might churn?") and create_campaign."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot import format as fmt
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import require_manager
from bot.reply import Reply, Section
from crm_core.services import campaigns, segments

SEGMENTS = ["top", "at_risk", "loyal", "potential", "dormant", "new"]
SEGMENT_WORDS = {
    "top": "top customers",
    "at_risk": "customers at risk of churning",
    "loyal": "loyal customers",
    "potential": "promising customers",
    "dormant": "dormant customers",
    "new": "new customers",
}


def _segment(ctx: Context) -> str:
    segment = ctx.entities.get("segment")
    if segment not in SEGMENTS:
        raise NeedSlot(
            "segment", "Which segment?", [Choice(s.replace("_", " "), s) for s in SEGMENTS]
        )
    return str(segment)


def segment_customers(ctx: Context) -> Reply:
    segment = _segment(ctx)
    limit = max(1, min(int(ctx.entities.get("limit") or 10), 50))
    members = segments.segment_customers(ctx.session, segment, now=ctx.now)
    if not members:
        return Reply(f"No {SEGMENT_WORDS[segment]} right now.")
    rows = [["Customer", "Last contact", "Contacts/yr", "Won"]] + [
        [
            m.name,
            f"{m.recency_days} days ago" if m.recency_days is not None else "never",
            str(m.frequency),
            fmt.money(m.monetary),
        ]
        for m in members[:limit]
    ]
    more = (
        f" (top {limit} by value; and {len(members) - limit} more)" if len(members) > limit else ""
    )
    return Reply(
        f"{fmt.plural(len(members), SEGMENT_WORDS[segment][:-1], SEGMENT_WORDS[segment])}{more}.",
        sections=[Section(rows=rows)],
    )


def create_campaign(ctx: Context) -> Reply:
    require_manager(ctx.user, "plan campaigns")
    segment = _segment(ctx)
    channel = ctx.entities.get("channel") or "email"
    starts = ctx.at(ctx.entities.get("when"))
    if starts is None:
        starts = datetime.combine(ctx.today + timedelta(days=1), time(9)).replace(tzinfo=ctx.tz)
    name = (
        ctx.entities.get("name")
        or f"{segment.replace('_', ' ').title()} {channel} {starts.astimezone(ctx.tz):%b %Y}"
    )
    target = ctx.entities.get("target")
    ctx.ready_to_write()
    campaign = campaigns.create_campaign(
        session=ctx.session,
        actor=ctx.actor,
        name=name,
        segment=segment,
        channel=channel,
        starts_at=starts,
        now=ctx.now,
        notify_channel=target if isinstance(target, str) and target.startswith("#") else None,
    )
    count = campaigns.member_count(ctx.session, campaign.id)
    return Reply(
        f"Campaign #{campaign.id} “{campaign.name}” planned: {channel} to "
        f"{fmt.plural(count, SEGMENT_WORDS[segment][:-1], SEGMENT_WORDS[segment])}, "
        f"starting {ctx.when(campaign.starts_at)}. Owners get their lists as tasks then."
    )
