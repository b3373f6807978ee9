"""log_interaction: "log call with Acme, follow up Friday"."""

from __future__ import annotations

from datetime import datetime, time

from bot import format as fmt
from bot import texts
from bot.context import Context
from bot.flow import Choice, NeedSlot
from chat.reply import Button, Reply
from crm_core.models import Customer
from crm_core.services import customers as customer_service
from crm_core.services import interactions

KINDS = ["call", "email", "meeting", "demo", "note", "message"]
NEW_CONTACT = "new_contact"  # the answer to "add them as a contact?": "add" or "skip"


def _occurred_at(ctx: Context) -> datetime:
    """`when` prefers the past; a bare date is that day at the current time of day (or noon
    for an earlier day), never later than now."""
    value = ctx.entities.get("when")
    if not value:
        return ctx.now
    if len(str(value)) <= 10:
        day = ctx.day(value)
        assert day is not None
        if day == ctx.today:
            return ctx.now
        moment = datetime.combine(day, time(12)).replace(tzinfo=ctx.tz)
    else:
        moment = ctx.at(value) or ctx.now
    return min(moment, ctx.now)


def log_interaction(ctx: Context) -> Reply:
    kind = ctx.entities.get("kind")
    if kind not in KINDS:
        raise NeedSlot(
            "kind",
            texts.ASK_KIND,
            [Choice(k, k) for k in KINDS],
        )
    customer = ctx.customer(write=True, question=texts.ASK_INTERACTION_CUSTOMER.format(kind=kind))
    assert customer is not None
    follow_up = ctx.at(ctx.entities.get("follow_up"))
    if follow_up is not None and follow_up <= ctx.now:
        follow_up = None
    contact_id = _contact(ctx, customer)
    ctx.ready_to_write()
    if contact_id is None and ctx.entities.get(NEW_CONTACT) == "add":
        contact_id = customer_service.add_contact(
            session=ctx.session,
            actor=ctx.actor,
            customer_id=customer.id,
            name=str(ctx.entities["contact"]),
        ).id
        ctx.notes.append(
            texts.CONTACT_ADDED_NOTE.format(contact=ctx.entities["contact"], customer=customer.name)
        )
    result = interactions.log_interaction(
        session=ctx.session,
        actor=ctx.actor,
        customer_id=customer.id,
        kind=kind,
        summary=str(ctx.entities.get("summary") or ""),
        occurred_at=_occurred_at(ctx),
        contact_name=ctx.entities.get("contact"),
        contact_id=contact_id,
        follow_up_at=follow_up,
        now=ctx.now,
    )
    ctx.moved.update({ctx.user.id, customer.owner_id})
    if result.duplicate:
        return Reply(texts.ALREADY_LOGGED.format(kind=kind, customer=customer.name))
    contact = ctx.entities.get("contact")
    who = (
        texts.LOGGED_WITH_CONTACT.format(contact=contact, customer=customer.name)
        if contact
        else texts.LOGGED_WITH.format(customer=customer.name)
    )
    moment = result.interaction.occurred_at
    said = "" if abs((ctx.now - moment).total_seconds()) < 300 else f" ({ctx.when(moment)})"
    article = "an" if kind[0] in "aeiou" else "a"
    text = fmt.sentence(texts.LOGGED.format(article=article, kind=kind, who=who, said=said))
    buttons = []
    if result.follow_up is not None:
        text += " " + texts.FOLLOW_UP_SET.format(when=ctx.when(result.follow_up.due_at))
    else:
        buttons.append(Button(texts.FOLLOW_UP_BUTTON, "follow_up", f"{customer.id}:3d"))
    return Reply(" ".join([text, *ctx.notes]), buttons=buttons)


def _contact(ctx: Context, customer: Customer) -> int | None:
    """The person named with the customer: linked when they are one of its contacts, else
    the rep is asked, once, whether to add them (or just log the call)."""
    name = str(ctx.entities.get("contact") or "").strip()
    if not name:
        return None
    known = customer_service.find_contact(ctx.session, customer.id, name)
    if known is not None:
        return known.id
    if ctx.entities.get(NEW_CONTACT) not in ("add", "skip"):
        raise NeedSlot(
            NEW_CONTACT,
            texts.ASK_ADD_CONTACT.format(contact=name, customer=customer.name),
            [
                Choice(texts.ADD_CONTACT_YES.format(contact=name), "add"),
                Choice(texts.ADD_CONTACT_NO, "skip"),
            ],
        )
    return None
