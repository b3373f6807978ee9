"""update_lead: move a lead on ("mark the Wei Cohen lead as contacted", "disqualify lead #29,
no budget", "convert the Initech lead with a 40k deal").

Converting makes (or joins) the customer, adds the lead's person as its contact and, given an
amount, opens a deal: one confirmed step, reversible by undo like any other write.
"""

from __future__ import annotations

from decimal import Decimal

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.flow import NeedSlot
from bot.handlers.leads import the_lead
from bot.permissions import require_act_for
from chat.reply import Reply
from crm_core.models import Lead
from crm_core.services import leads

STATUSES = ("new", "contacted", "qualified", "disqualified", "converted")


def update_lead(ctx: Context) -> Reply:
    lead = the_lead(ctx)
    who = _who(lead)
    require_act_for(ctx.session, ctx.user, lead.owner_id, f"lead #{lead.id}")
    status = str(ctx.entities.get("status") or "").lower()
    if status not in STATUSES:
        raise NeedSlot("status", texts.ASK_LEAD_CHANGE.format(id=lead.id, who=who))
    if status == "converted":
        return _convert(ctx, lead, who)
    reason = str(ctx.entities.get("reason") or "").strip() or None
    ctx.ready_to_write()
    leads.set_lead_status(
        session=ctx.session,
        actor=ctx.actor,
        lead_id=lead.id,
        status=status,
        reason=reason,
        now=ctx.now,
    )
    if status == "disqualified" and reason:
        said = texts.LEAD_DISQUALIFIED.format(id=lead.id, who=who, reason=reason)
    else:
        said = texts.LEAD_STATUS_SET.format(id=lead.id, who=who, status=status)
    return Reply(" ".join([said, *ctx.notes]))


def _convert(ctx: Context, lead: Lead, who: str) -> Reply:
    amount = ctx.entities.get("amount")
    value = Decimal(str(amount)) if amount is not None else None
    deal = texts.CONVERT_DEAL.format(amount=fmt.money(value)) if value is not None else ""
    ctx.ready_to_write()
    ctx.confirm("convert", texts.CONFIRM_CONVERT.format(id=lead.id, who=who, deal=deal))
    done = leads.convert_lead(
        session=ctx.session,
        actor=ctx.actor,
        lead_id=lead.id,
        deal_amount=value,
        close_date=ctx.day(ctx.entities.get("close_date")),
        now=ctx.now,
    )
    if done.deal is not None:
        ctx.moved.add(done.deal.owner_id)
    said = texts.LEAD_CONVERTED.format(
        id=lead.id,
        customer=done.customer.name,
        contact=texts.CONVERTED_CONTACT.format(contact=lead.contact_name)
        if lead.contact_name
        else "",
        deal=texts.CONVERTED_DEAL.format(
            deal_id=done.deal.id, amount=fmt.money(done.deal.amount, done.deal.currency)
        )
        if done.deal
        else "",
    )
    return Reply(" ".join([said, *ctx.notes]))


def _who(lead: Lead) -> str:
    return " at ".join(p for p in (lead.contact_name, lead.company) if p) or f"lead #{lead.id}"
