"""save_contact: add a person to a customer, or change their email, phone or title ("add
Jane Roe to Acme as CFO, jane@acme.com", "Priya's new number is +44 20 7946 0000").

An existing contact of that name (or the only one with that first name) is updated; anyone
else is added. Emails and phones are validated by the core, and a bad one changes nothing.
"""

from __future__ import annotations

from bot import texts
from bot.context import Context
from bot.flow import NeedSlot
from chat.reply import Reply
from crm_core.services import contacts as contact_service
from crm_core.services import customers as customer_service


def save_contact(ctx: Context) -> Reply:
    name = str(ctx.entities.get("contact") or "").strip()
    if not name:
        raise NeedSlot("contact", texts.ASK_CONTACT_NAME)
    customer = ctx.customer(write=True, question=texts.ASK_CONTACT_CUSTOMER.format(name=name))
    assert customer is not None
    email, phone, title = (ctx.entities.get(k) for k in ("email", "phone", "title"))
    existing = customer_service.find_contact(ctx.session, customer.id, name)
    if existing is not None:
        if not (email or phone or title):
            raise NeedSlot(
                "title",
                texts.ASK_CONTACT_CHANGE.format(name=existing.name, customer=customer.name),
            )
        ctx.ready_to_write()
        contact, changed = contact_service.update_contact(
            session=ctx.session,
            actor=ctx.actor,
            contact_id=existing.id,
            email=email,
            phone=phone,
            title=title,
        )
        if not changed:
            said = texts.CONTACT_UNCHANGED.format(name=contact.name, customer=customer.name)
        else:
            said = texts.CONTACT_UPDATED.format(
                name=contact.name,
                customer=customer.name,
                changes=", ".join(f"{field} {getattr(contact, field)}" for field in changed),
            )
        return Reply(" ".join([said, *ctx.notes]))
    ctx.ready_to_write()
    contact = customer_service.add_contact(
        session=ctx.session,
        actor=ctx.actor,
        customer_id=customer.id,
        name=name,
        email=email,
        phone=phone,
        title=title,
    )
    details = ", ".join(v for v in (contact.title, contact.email, contact.phone) if v)
    said = texts.CONTACT_ADDED.format(
        name=contact.name, customer=customer.name, details=f" ({details})" if details else ""
    )
    return Reply(" ".join([said, *ctx.notes]))
