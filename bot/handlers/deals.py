"""create_deal and update_deal ("Acme is in negotiation", "Hooli deal won!!")."""

from __future__ import annotations

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.flow import Choice, NeedSlot
from bot.permissions import require_act_for
from bot.slots import SKIPPED
from chat.reply import Reply
from crm_core.models import Deal
from crm_core.services import deals
from crm_core.validation import clean_amount

_UNSET = deals._UNSET


def create_deal(ctx: Context) -> Reply:
    customer = ctx.customer(write=True, question=texts.ASK_DEAL_CUSTOMER)
    assert customer is not None
    amount = ctx.require("amount", texts.ASK_DEAL_AMOUNT.format(customer=customer.name))
    clean_amount(amount)  # a bad amount is refused before any further question
    close = ctx.require("close_date", texts.ASK_DEAL_CLOSE.format(customer=customer.name))
    ctx.ready_to_write()
    deal = deals.create_deal(
        session=ctx.session,
        actor=ctx.actor,
        customer_id=customer.id,
        amount=amount,
        name=ctx.entities.get("name"),
        stage=ctx.entities.get("stage") or "prospecting",
        probability=ctx.entities.get("probability"),
        close_date=None if close == SKIPPED else ctx.day(close),
        owner_id=ctx.user.id,
        now=ctx.now,
    )
    ctx.moved.add(deal.owner_id)
    closing = (
        texts.DEAL_CLOSING.format(day=fmt.day(deal.close_date, today=ctx.today))
        if deal.close_date
        else ""
    )
    text = texts.NEW_DEAL.format(
        id=deal.id,
        name=deal.name,
        amount=fmt.money(deal.amount, deal.currency),
        stage=deal.stage,
        closing=closing,
    )
    if deal.close_date is None:
        text += texts.DEAL_UNDATED
    return Reply(" ".join([text, *ctx.notes]))


def _the_deal(ctx: Context) -> Deal:
    deal_id = ctx.entities.get("deal_id")
    if deal_id:
        return deals.get_deal(ctx.session, int(deal_id))
    customer = ctx.customer(write=True, question=texts.ASK_DEAL_OWNER_CUSTOMER)
    assert customer is not None
    found = deals.open_deals_for(ctx.session, customer.id)
    if not found:
        raise LookupError(texts.NO_OPEN_DEAL.format(customer=customer.name))
    if len(found) > 1:
        raise NeedSlot(
            "deal_id",
            texts.WHICH_DEAL.format(customer=customer.name, n=len(found)),
            [
                Choice(
                    texts.DEAL_CHOICE.format(
                        id=d.id, name=d.name, amount=fmt.money(d.amount, d.currency), stage=d.stage
                    ),
                    str(d.id),
                )
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
    require_act_for(ctx.session, ctx.user, deal.owner_id, texts.DEAL_WHAT.format(name=deal.name))
    if not changes:
        raise NeedSlot("stage", texts.ASK_DEAL_CHANGE.format(name=deal.name))
    if changes.get("stage") == "lost":
        ctx.confirm(
            "lost",
            texts.CONFIRM_LOST.format(name=deal.name, amount=fmt.money(deal.amount, deal.currency)),
        )
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
        reason=ctx.entities.get("reason"),
        now=ctx.now,
    )
    ctx.moved.add(deal.owner_id)
    said = []
    if deal.stage != before_stage:
        said.append(f"{before_stage} → {deal.stage}")
    if deal.amount != before_amount:
        said.append(
            texts.DEAL_CHANGED_AMOUNT.format(
                before=fmt.money(before_amount), after=fmt.money(deal.amount, deal.currency)
            )
        )
    if "close_date" in changes and deal.close_date:
        said.append(
            texts.DEAL_CHANGED_CLOSING.format(day=fmt.day(deal.close_date, today=ctx.today))
        )
    if "probability" in changes:
        said.append(
            texts.DEAL_CHANGED_PROBABILITY.format(probability=fmt.percent(deal.probability))
        )
    text = texts.DEAL_UPDATED.format(
        name=deal.name, changes=", ".join(said) or texts.DEAL_NO_CHANGE
    )
    if deal.stage == "won":
        won = texts.DEAL_WON.format(name=deal.name, amount=fmt.money(deal.amount, deal.currency))
        text = won + " " + text
    return Reply(" ".join([text, *ctx.notes]))
