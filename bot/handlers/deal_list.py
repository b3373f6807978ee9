"""list_deals: deals as deals, one row each ("my deals closing next month", "stuck deals",
"deals over 50k"), and one deal's card by number ("deal #358").

Whose deals: the named owner if the asker may see them, else by role (a rep's own, a
manager's team, an admin's everybody's); "my" always means the asker's own. An open deal
without a close date is counted and named, since no forecast includes it.
"""

from __future__ import annotations

from decimal import Decimal

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.permissions import require_act_for, visible_owner_ids
from chat.reply import Reply, Section
from crm_core.models import Deal
from crm_core.services.deal_lists import STATUSES, DealFilter, deal_card, list_deals
from jobs.team_config import load_team_configs

PAGE = 15


def list_deals_reply(ctx: Context) -> Reply:
    deal_id = ctx.entities.get("deal_id")
    if deal_id:
        return _card(ctx, int(deal_id))
    owner_value = ctx.owner_value()
    owner = (
        ctx.person(owner_value, slot="owner", question=texts.ASK_WHOSE_DEALS)
        if owner_value
        else None
    )
    owner_ids, label = visible_owner_ids(ctx.session, ctx.user, owner)
    customer = ctx.customer(write=False, required=False)
    status = str(ctx.entities.get("status") or "open").lower()
    if status not in STATUSES:
        status = "open"
    start = end = None
    if ctx.entities.get("period"):
        start, end = ctx.period()
    amount = ctx.entities.get("amount")
    comparator = ctx.entities.get("comparator") or (">" if amount is not None else None)
    above = Decimal(str(amount)) if amount is not None and comparator == ">" else None
    below = Decimal(str(amount)) if amount is not None and comparator == "<" else None
    stage = ctx.entities.get("stage")
    if stage in ("won", "lost"):
        status, stage = str(stage), None
    wanted = DealFilter(
        owner_ids=owner_ids,
        customer_id=customer.id if customer else None,
        close_from=start,
        close_to=end,
        stage=str(stage) if stage else None,
        status=status,
        above=above,
        below=below,
        stale_days=load_team_configs(ctx.session).for_team(ctx.user.team).stale_deal_days,
    )
    limit = min(int(ctx.entities.get("limit") or PAGE), 50)
    offset = max(0, int(ctx.entities.get("offset") or 0))
    page = list_deals(ctx.session, wanted, now=ctx.now, limit=limit, offset=offset)
    if offset + len(page.deals) < page.total and not ctx.entities.get("limit"):
        ctx.next_offset = offset + len(page.deals)
    filters = "".join(
        part
        for part in (
            texts.FILTER_CUSTOMER.format(customer=customer.name) if customer else "",
            texts.FILTER_CLOSING.format(period=fmt.period(start, end)) if start and end else "",
            texts.FILTER_STAGE.format(stage=stage) if stage else "",
            texts.FILTER_ABOVE.format(amount=fmt.money(above)) if above is not None else "",
            texts.FILTER_BELOW.format(amount=fmt.money(below)) if below is not None else "",
        )
    )
    if not page.deals:
        scope = f" ({label})" if label != "your" else ""
        return Reply(texts.DEALS_NONE.format(status=status, scope=scope, filters=filters))
    header = texts.DEALS_HEADER.format(
        scope=fmt.upfirst(label),
        status=status,
        filters=filters,
        total=page.total,
        amount=fmt.money(page.total_amount),
    )
    parts = [header]
    if page.total > len(page.deals):
        parts.append(
            texts.DEALS_SHOWN.format(
                first=offset + 1, last=offset + len(page.deals), total=page.total
            )
        )
    if page.undated:
        parts.append(texts.DEALS_UNDATED.format(n=page.undated))
    rows = [texts.DEALS_COLUMNS] + [_row(ctx, d) for d in page.deals]
    return Reply(" ".join([*parts, *ctx.notes]), sections=[Section(rows=rows)])


def _row(ctx: Context, deal: Deal) -> list[str]:
    return [
        f"#{deal.id}",
        deal.name,
        deal.customer.name,
        deal.stage,
        fmt.money(deal.amount, deal.currency),
        fmt.day(deal.close_date, today=ctx.today) if deal.close_date else texts.DEAL_NO_DATE,
        deal.owner.display_name if deal.owner else "–",
    ]


def _card(ctx: Context, deal_id: int) -> Reply:
    stale = load_team_configs(ctx.session).for_team(ctx.user.team).stale_deal_days
    card = deal_card(ctx.session, deal_id, now=ctx.now, stale_days=stale)
    deal = card.deal
    require_act_for(ctx.session, ctx.user, deal.owner_id, f"deal #{deal.id}")
    line = texts.DEAL_CARD_LINE.format(
        customer=deal.customer.name,
        stage=deal.stage,
        amount=fmt.money(deal.amount, deal.currency),
        probability=fmt.percent(deal.probability) if deal.probability is not None else "–",
        closes=fmt.day(deal.close_date, today=ctx.today) if deal.close_date else texts.DEAL_NO_DATE,
        owner=deal.owner.display_name if deal.owner else "–",
    )
    stages = " → ".join(
        f"{c.to_stage} ({fmt.day(c.changed_at, ctx.tz, today=ctx.today)})" for c in card.history
    )
    fields = [
        (texts.DEAL_CARD_HISTORY, stages or deal.stage),
        (
            texts.DEAL_CARD_CONTACTS,
            ", ".join(c.name + (f" ({c.title})" if c.title else "") for c in card.contacts)
            or texts.DEAL_CARD_NO_CONTACTS,
        ),
        (
            texts.DEAL_CARD_LAST,
            ctx.when(card.last_activity) if card.last_activity else texts.DEAL_CARD_NEVER,
        ),
        (
            texts.DEAL_CARD_NEXT,
            f"#{card.next_task.id} {ctx.when(card.next_task.due_at)} – {card.next_task.text}"
            if card.next_task
            else texts.DEAL_CARD_NO_TASK.format(customer=deal.customer.name),
        ),
    ]
    health = (
        texts.DEAL_CARD_HEALTH.format(reasons="; ".join(card.health))
        if card.health
        else texts.DEAL_CARD_HEALTH_OK
    )
    text_parts = [line]
    if deal.reason and deal.stage in ("won", "lost"):
        text_parts.append(texts.DEAL_CARD_REASON.format(outcome=deal.stage, reason=deal.reason))
    elif deal.stage not in ("won", "lost"):
        text_parts.append(health)
    return Reply(
        "\n".join(text_parts),
        sections=[
            Section(title=texts.DEAL_CARD_TITLE.format(id=deal.id, name=deal.name), fields=fields)
        ],
    )
