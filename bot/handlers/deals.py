"""create_deal and update_deal ("Acme is in negotiation", "Hooli deal won!!")."""

from __future__ import annotations

from bot import format as fmt
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import require_act_for
from bot.reply import Reply
from crm_core.models import Deal
from crm_core.services import deals

_UNSET = deals._UNSET


def create_deal(ctx: Context) -> Reply:
    customer = ctx.customer(write=True, question="Which customer is the deal with?")
    assert customer is not None
    amount = ctx.require("amount", f"How much is the {customer.name} deal worth?")
    ctx.ready_to_write()
    deal = deals.create_deal(
        session=ctx.session,
        actor=ctx.actor,
        customer_id=customer.id,
        amount=amount,
        name=ctx.entities.get("name"),
        stage=ctx.entities.get("stage") or "prospecting",
        probability=ctx.entities.get("probability"),
        close_date=ctx.day(ctx.entities.get("close_date")),
        owner_id=ctx.user.id,
        now=ctx.now,
    )
    ctx.moved.add(deal.owner_id)
    closing = f", closing {fmt.day(deal.close_date, today=ctx.today)}" if deal.close_date else ""
    text = (
        f"New deal #{deal.id}: {deal.name}, {fmt.money(deal.amount, deal.currency)}, "
        f"{deal.stage}{closing}."
    )
    return Reply(" ".join([text, *ctx.notes]))


def _the_deal(ctx: Context) -> Deal:
    deal_id = ctx.entities.get("deal_id")
    if deal_id:
        return deals.get_deal(ctx.session, int(deal_id))
    customer = ctx.customer(write=True, question="Which customer's deal?")
    assert customer is not None
    found = deals.open_deals_for(ctx.session, customer.id)
    if not found:
        raise LookupError(
            f"{customer.name} has no open deal. Open one with "
            f"“new deal {customer.name} 20k closing next month”."
        )
    if len(found) > 1:
        raise NeedSlot(
            "deal_id",
            f"{customer.name} has {len(found)} open deals. Which one?",
            [
                Choice(f"{d.name} ({fmt.money(d.amount, d.currency)}, {d.stage})", str(d.id))
                for d in found[:6]
            ],
        )
    return found[0]


def update_deal(ctx: Context) -> Reply:
    changes = {
        k: ctx.entities[k]
        for k in ("stage", "amount", "close_date", "probability")
        if ctx.entities.get(k) not in (None, "")
    }
    deal = _the_deal(ctx)
    require_act_for(ctx.session, ctx.user, deal.owner_id, f"the deal {deal.name}")
    if not changes:
        raise NeedSlot(
            "stage",
            f"What changed on {deal.name}? A stage (e.g. negotiation, won, "
            "lost), an amount, a close date or a probability.",
        )
    if changes.get("stage") == "lost":
        ctx.confirm("lost", f"Mark {deal.name} ({fmt.money(deal.amount, deal.currency)}) as lost?")
    before_stage, before_amount = deal.stage, deal.amount
    ctx.ready_to_write()
    deals.update_deal(
        session=ctx.session,
        actor=ctx.actor,
        deal_id=deal.id,
        stage=changes.get("stage"),
        amount=changes.get("amount"),
        close_date=ctx.day(changes["close_date"]) if "close_date" in changes else _UNSET,
        probability=changes["probability"] if "probability" in changes else _UNSET,
        now=ctx.now,
    )
    ctx.moved.add(deal.owner_id)
    said = []
    if deal.stage != before_stage:
        said.append(f"{before_stage} → {deal.stage}")
    if deal.amount != before_amount:
        said.append(f"amount {fmt.money(before_amount)} → {fmt.money(deal.amount, deal.currency)}")
    if "close_date" in changes and deal.close_date:
        said.append(f"closing {fmt.day(deal.close_date, today=ctx.today)}")
    if "probability" in changes:
        said.append(f"probability {fmt.percent(deal.probability)}")
    text = f"Updated {deal.name}: {', '.join(said) or 'no change'}."
    if deal.stage == "won":
        text = f"🎉 {deal.name} won: {fmt.money(deal.amount, deal.currency)}. " + text
    return Reply(" ".join([text, *ctx.notes]))
