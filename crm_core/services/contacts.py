"""A customer's people: change what we know of a contact (email, phone, title).

Adding one is `customers.add_contact`; this is the other half of "save a contact", kept apart
so that each write has one home. Every value is validated the same way as on creation.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm_core.errors import NotFound, ValidationError
from crm_core.models import Contact
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.validation import clean_email, clean_phone, clean_text

MAX_TITLE = 120


@atomic
def update_contact(
    *,
    session: Session,
    actor: Actor,
    contact_id: int,
    email: str | None = None,
    phone: str | None = None,
    title: str | None = None,
) -> tuple[Contact, list[str]]:
    """Set the values given (None leaves a value as it is); returns the contact and the names
    of the fields that changed."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"no contact #{contact_id}")
    wanted = {
        "email": clean_email(email) if email is not None else None,
        "phone": clean_phone(phone) if phone is not None else None,
        "title": clean_text(title, field="title", max_len=MAX_TITLE) if title is not None else None,
    }
    if all(v is None for v in wanted.values()):
        raise ValidationError("give an email, a phone or a title to change", field="contact")
    before = snapshot(contact)
    changed = []
    for name, value in wanted.items():
        if value is not None and getattr(contact, name) != value:
            setattr(contact, name, value)
            changed.append(name)
    if changed:
        session.flush()
        record(session, actor, "contact.update", contact, before=before, after=snapshot(contact))
    return contact, changed
