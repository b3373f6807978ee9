"""segment_customers ("which customers might churn?") and create_campaign."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import require_manager, visible_owner_ids
from chat.reply import Reply, Section
from crm_core.services import campaigns, segments

SEGMENTS = ["top", "at_risk", "loyal", "potential", "dormant", "new"]
SEGMENT_WORDS = texts.SEGMENT_WORDS


def _segment(ctx: Context) -> str:
    segment = ctx.entities.get("segment")
    if segment not in SEGMENTS:
        raise NeedSlot(
            "segment", texts.ASK_SEGMENT, [Choice(s.replace("_", " "), s) for s in SEGMENTS]
        )
    return str(segment)


def segment_customers(ctx: Context) -> Reply:
    segment = _segment(ctx)
    limit = max(1, min(int(ctx.entities.get("limit") or 10), 50))
    owner_value = ctx.owner_value()  # "my top accounts": mine only
    owner_ids = None
    if owner_value:
        owner = ctx.person(owner_value, slot="owner", question=texts.ASK_WHOSE_CUSTOMERS)
        owner_ids, _ = visible_owner_ids(ctx.session, ctx.user, owner)
    members = segments.segment_customers(ctx.session, segment, now=ctx.now, owner_ids=owner_ids)
    if not members:
        return Reply(texts.NO_SEGMENT_MEMBERS.format(segment=SEGMENT_WORDS[segment]))
    shown = ctx.page(members, limit)
    rows = [list(texts.SEGMENT_COLUMNS)] + [
        [
            m.name,
            texts.DAYS_AGO.format(n=m.recency_days) if m.recency_days is not None else texts.NEVER,
            str(m.frequency),
            fmt.money(m.monetary),
        ]
        for m in shown
    ]
    more = texts.SEGMENT_MORE.format(shown=len(shown)) if len(shown) < len(members) else ""
    return Reply(
        f"{fmt.plural(len(members), SEGMENT_WORDS[segment][:-1], SEGMENT_WORDS[segment])}{more}.",
        sections=[Section(rows=rows)],
    )


def create_campaign(ctx: Context) -> Reply:
    require_manager(ctx.user, texts.CAMPAIGNS_WHAT)
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
    # A manager's campaign covers his team's customers; an admin's, everybody's.
    owner_ids, _ = visible_owner_ids(ctx.session, ctx.user, None)
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
        owner_ids=owner_ids,
    )
    count = campaigns.member_count(ctx.session, campaign.id)
    return Reply(
        texts.CAMPAIGN_PLANNED.format(
            id=campaign.id,
            name=campaign.name,
            channel=channel,
            members=fmt.plural(count, SEGMENT_WORDS[segment][:-1], SEGMENT_WORDS[segment]),
            when=ctx.when(campaign.starts_at),
        )
    )
