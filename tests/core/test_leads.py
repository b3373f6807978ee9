from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypedDict, Unpack

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import DuplicateError, ValidationError
from crm_core.models import Contact, Customer, Lead
from crm_core.services import assignment, leads
from tests.factories import Factory


class LeadFields(TypedDict, total=False):
    """The keywords of leads.create_lead these tests use."""

    contact_name: str | None
    company: str | None
    email: str | None
    region: str | None
    owner_id: int | None


def _lead(session: Session, make: Factory, **kwargs: Unpack[LeadFields]) -> Lead:
    return leads.create_lead(session=session, actor=make.system, **kwargs)


def test_duplicates_by_email_and_company_are_refused(session: Session, make: Factory) -> None:
    _lead(session, make, contact_name="Sam Lee", company="Initech", email="sam@initech.io")
    with pytest.raises(DuplicateError, match="same email"):
        _lead(session, make, contact_name="Samuel Lee", email="SAM@INITECH.IO".lower())
    with pytest.raises(DuplicateError, match="same company"):
        _lead(session, make, company="Initech Inc.")
    # another person at the same company is a new lead
    _lead(session, make, contact_name="Peter Gibbons", company="Initech")
    assert session.scalar(select(func.count(Lead.id))) == 2


def test_lead_needs_a_name_and_valid_email(session: Session, make: Factory) -> None:
    with pytest.raises(ValidationError, match="person's name or a company"):
        _lead(session, make, email="x@y.io")
    with pytest.raises(ValidationError, match="email"):
        _lead(session, make, contact_name="Sam", email="not-an-email")
    assert session.scalar(select(func.count(Lead.id))) == 0


def test_convert_creates_customer_contact_and_deal(session: Session, make: Factory) -> None:
    rep = make.user("alex")
    lead = _lead(
        session,
        make,
        contact_name="Sam Lee",
        company="Initech",
        email="sam@initech.io",
        owner_id=rep.id,
    )
    result = leads.convert_lead(
        session=session, actor=make.actor(rep), lead_id=lead.id, deal_amount=Decimal("25000")
    )
    assert result.lead.status == "converted" and result.lead.customer_id == result.customer.id
    assert result.customer.name == "Initech" and result.customer.owner_id == rep.id
    assert (
        session.scalar(select(Contact.email).where(Contact.customer_id == result.customer.id))
        == "sam@initech.io"
    )
    assert result.deal is not None and result.deal.amount == Decimal("25000.00")
    with pytest.raises(ValidationError, match="converted already"):
        leads.convert_lead(session=session, actor=make.system, lead_id=lead.id)


def test_convert_joins_an_existing_customer(session: Session, make: Factory) -> None:
    existing = make.customer("Initech Inc.")
    lead = _lead(session, make, contact_name="Sam Lee", company="initech")
    assert lead.customer_id == existing.id
    result = leads.convert_lead(session=session, actor=make.system, lead_id=lead.id)
    assert result.customer.id == existing.id
    assert session.scalar(select(func.count(Customer.id))) == 1


def test_round_robin_is_fair_and_keeps_its_turn(
    session: Session, make: Factory, now: datetime
) -> None:
    reps = [make.user(f"r{i}") for i in range(3)]
    for i in range(10):
        _lead(session, make, company=f"Company {i}")
    result = assignment.distribute_leads(
        session=session, actor=make.system, strategy="round_robin", now=now
    )
    order = [rep.id for _, rep in result.assigned]
    assert order == [reps[i % 3].id for i in range(10)]
    for i in range(2):
        _lead(session, make, company=f"Later {i}")
    later = assignment.distribute_leads(
        session=session, actor=make.system, strategy="round_robin", now=now
    )
    # r0 got the 10th lead, so the turn goes on with r1 and r2.
    assert [rep.id for _, rep in later.assigned] == [reps[1].id, reps[2].id]
    counts = assignment.live_lead_counts(session, [r.id for r in reps])
    assert sorted(counts.values()) == [4, 4, 4]


def test_least_loaded_fills_the_emptiest_rep(
    session: Session, make: Factory, now: datetime
) -> None:
    a, b, c = make.user("a"), make.user("b"), make.user("c")
    for i in range(5):
        _lead(session, make, company=f"A{i}", owner_id=a.id)
    for i in range(2):
        _lead(session, make, company=f"C{i}", owner_id=c.id)
    for i in range(4):
        _lead(session, make, company=f"New{i}")
    result = assignment.distribute_leads(
        session=session, actor=make.system, strategy="least_loaded", now=now
    )
    assert [rep.name for _, rep in result.assigned] == ["b", "b", "c", "b"]
    assert assignment.live_lead_counts(session, [a.id, b.id, c.id]) == {a.id: 5, b.id: 3, c.id: 3}


def test_territory_and_capacity(session: Session, make: Factory, now: datetime) -> None:
    emea = make.user("emea", region="EMEA", capacity=1)
    apac = make.user("apac", region="APAC")
    _lead(session, make, company="Berlin GmbH", region="EMEA")
    _lead(session, make, company="Paris SA", region="EMEA")
    _lead(session, make, company="Tokyo KK", region="APAC")
    _lead(session, make, company="Lima SAC", region="LATAM")
    result = assignment.distribute_leads(
        session=session, actor=make.system, strategy="territory", now=now
    )
    assigned = {lead.company: rep.id for lead, rep in result.assigned}
    assert assigned == {"Berlin GmbH": emea.id, "Tokyo KK": apac.id}
    assert {lead.company for lead in result.unassigned} == {"Paris SA", "Lima SAC"}
    assert "region" in result.reason


def test_explicit_assignment_and_unknown_strategy(
    session: Session, make: Factory, now: datetime
) -> None:
    rep = make.user("dana")
    lead = _lead(session, make, company="Initech")
    assignment.assign_lead(
        session=session, actor=make.system, lead_id=lead.id, user_id=rep.id, now=now
    )
    assert lead.owner_id == rep.id and lead.assigned_at == now
    with pytest.raises(ValidationError, match="strategy"):
        assignment.distribute_leads(session=session, actor=make.system, strategy="random")
