"""Leads: create with duplicate detection, list, change status, convert to customer + deal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import or_, select, true
from sqlalchemy.orm import Session

from crm_core.errors import DuplicateError, NotFound, ValidationError
from crm_core.models import Customer, Deal, Lead
from crm_core.models.base import utcnow
from crm_core.models.enums import LeadStatus, Lifecycle
from crm_core.names import name_key
from crm_core.services.atomic import atomic
from crm_core.services.audit import record, snapshot
from crm_core.services.context import Actor
from crm_core.services.customers import add_contact, create_customer, find_by_key, find_contact
from crm_core.validation import clean_choice, clean_email, clean_name, clean_phone, clean_text

# Leads in these states are still being worked; a duplicate of one is refused.
LIVE_STATUSES = (LeadStatus.NEW.value, LeadStatus.CONTACTED.value, LeadStatus.QUALIFIED.value)


def find_duplicate_lead(
    session: Session, *, email: str | None, company: str | None, contact_name: str | None
) -> Lead | None:
    """Same email, or same company (by name key) and same or unnamed contact, among live leads."""
    conditions = []
    if email:
        conditions.append(Lead.email == email)
    if company:
        conditions.append(Lead.company_key == name_key(company))
    if not conditions:
        return None
    for lead in session.scalars(
        select(Lead).where(or_(*conditions), Lead.status.in_(LIVE_STATUSES)).order_by(Lead.id)
    ):
        if email and lead.email == email:
            return lead
        if company and lead.company_key == name_key(company):
            same_person = (
                not contact_name
                or not lead.contact_name
                or lead.contact_name.lower() == contact_name.lower()
            )
            if same_person:
                return lead
    return None


@atomic
def create_lead(
    *,
    session: Session,
    actor: Actor,
    contact_name: str | None = None,
    company: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    source: str | None = None,
    region: str | None = None,
    owner_id: int | None = None,
    allow_duplicate: bool = False,
    now: datetime | None = None,
) -> Lead:
    contact_name = (
        clean_name(contact_name, field="contact name", max_len=120) if contact_name else None
    )
    company = clean_name(company, field="company") if company else None
    if not contact_name and not company:
        raise ValidationError("a lead needs a person's name or a company", field="contact")
    email = clean_email(email)
    phone = clean_phone(phone)
    if not allow_duplicate:
        duplicate = find_duplicate_lead(
            session, email=email, company=company, contact_name=contact_name
        )
        if duplicate is not None:
            what = f"email {email}" if email and duplicate.email == email else f"company {company}"
            raise DuplicateError(f"lead #{duplicate.id} has the same {what} already", duplicate)
    existing_customer = find_by_key(session, company) if company else None
    lead = Lead(
        contact_name=contact_name,
        company=company,
        company_key=name_key(company) if company else None,
        email=email,
        phone=phone,
        source=source.strip()[:60] if source else None,
        region=region or (existing_customer.region if existing_customer else None),
        owner_id=owner_id,
        assigned_at=(now or utcnow()) if owner_id else None,
        customer_id=existing_customer.id if existing_customer else None,
    )
    session.add(lead)
    session.flush()
    record(session, actor, "lead.create", lead, after=snapshot(lead))
    return lead


def get_lead(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise NotFound(f"no lead #{lead_id}")
    return lead


def find_leads(session: Session, name: str, *, live_only: bool = True) -> list[Lead]:
    """Leads whose company or contact is `name` (case-insensitive, company by key); when none
    is, those whose company or contact contains it ("the cohen lead")."""
    key = name_key(name)
    live = Lead.status.in_(LIVE_STATUSES) if live_only else true()
    exact = list(
        session.scalars(
            select(Lead)
            .where(live, or_(Lead.company_key == key, Lead.contact_name.ilike(name.strip())))
            .order_by(Lead.id)
        )
    )
    words = name.strip()
    if exact or len(words) < 3:
        return exact
    pattern = f"%{words.replace('%', '').replace('_', '')}%"
    return list(
        session.scalars(
            select(Lead)
            .where(live, or_(Lead.company.ilike(pattern), Lead.contact_name.ilike(pattern)))
            .order_by(Lead.id)
            .limit(20)
        )
    )


def list_leads(
    session: Session,
    *,
    owner_id: int | None = None,
    owner_ids: list[int] | None = None,
    status: str | None = None,
    unassigned: bool = False,
    limit: int = 50,
) -> list[Lead]:
    query = select(Lead).order_by(Lead.created_at.desc(), Lead.id.desc()).limit(limit)
    if owner_id is not None:
        query = query.where(Lead.owner_id == owner_id)
    if owner_ids is not None:
        query = query.where(Lead.owner_id.in_(owner_ids))
    if unassigned:
        query = query.where(Lead.owner_id.is_(None))
    if status:
        query = query.where(Lead.status == clean_choice(status, LeadStatus, field="status").value)
    else:
        query = query.where(Lead.status.in_(LIVE_STATUSES))
    return list(session.scalars(query))


@atomic
def set_lead_status(
    *,
    session: Session,
    actor: Actor,
    lead_id: int,
    status: str,
    reason: str | None = None,
    now: datetime | None = None,
) -> Lead:
    """Move a lead to another status; a reason (why it was disqualified) is kept in the
    audit trail with the change."""
    lead = get_lead(session, lead_id)
    new_status = clean_choice(status, LeadStatus, field="status").value
    if new_status == LeadStatus.CONVERTED.value:
        raise ValidationError("use convert to turn a lead into a customer", field="status")
    before = snapshot(lead)
    lead.status = new_status
    if new_status == LeadStatus.CONTACTED.value and lead.contacted_at is None:
        lead.contacted_at = now or utcnow()
    session.flush()
    after = snapshot(lead)
    if reason:
        after["reason"] = clean_text(reason, field="reason")
    record(session, actor, "lead.status", lead, before=before, after=after)
    return lead


@dataclass(frozen=True)
class Conversion:
    lead: Lead
    customer: Customer
    deal: Deal | None


@atomic
def convert_lead(
    *,
    session: Session,
    actor: Actor,
    lead_id: int,
    deal_amount: Decimal | None = None,
    close_date: date | None = None,
    now: datetime | None = None,
) -> Conversion:
    """The lead becomes (or joins) a customer with its contact; a deal is opened when an
    amount is given."""
    from crm_core.services.deals import create_deal  # deals imports leads' neighbours

    lead = get_lead(session, lead_id)
    if lead.status == LeadStatus.CONVERTED.value:
        raise ValidationError(f"lead #{lead.id} is converted already")
    if lead.status == LeadStatus.DISQUALIFIED.value:
        raise ValidationError(f"lead #{lead.id} was disqualified; requalify it first")
    before = snapshot(lead)
    company = lead.company or lead.contact_name or f"Lead {lead.id}"
    customer = find_by_key(session, company)
    if customer is None:
        customer = create_customer(
            session=session,
            actor=actor,
            name=company,
            owner_id=lead.owner_id or actor.user_id,
            region=lead.region,
            lifecycle=Lifecycle.PROSPECT,
        )
    if lead.contact_name and find_contact(session, customer.id, lead.contact_name) is None:
        add_contact(
            session=session,
            actor=actor,
            customer_id=customer.id,
            name=lead.contact_name,
            email=lead.email,
            phone=lead.phone,
        )
    deal = None
    if deal_amount is not None:
        deal = create_deal(
            session=session,
            actor=actor,
            customer_id=customer.id,
            amount=deal_amount,
            close_date=close_date,
            owner_id=lead.owner_id or actor.user_id,
            name=f"{customer.name} (from lead #{lead.id})",
        )
    lead.status = LeadStatus.CONVERTED.value
    lead.customer_id = customer.id
    lead.deal_id = deal.id if deal else None
    lead.converted_at = now or utcnow()
    session.flush()
    record(session, actor, "lead.convert", lead, before=before, after=snapshot(lead))
    return Conversion(lead, customer, deal)
