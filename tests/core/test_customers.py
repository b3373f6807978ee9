from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_core.errors import DuplicateError, ValidationError
from crm_core.models import AuditEntry, Contact, Customer, CustomerAlias, Deal, Interaction
from crm_core.names import name_key
from crm_core.services import customers
from crm_core.services.merge import merge_customers
from tests.factories import Factory


def test_name_key_drops_case_punctuation_and_legal_suffixes() -> None:
    assert name_key("Acme Corp, Inc.") == "acme"
    assert name_key("The Hooli Group") == "hooli"
    assert name_key("Müller & Söhne GmbH") == "muller and sohne"
    assert name_key("Inc") == "inc"  # a lone suffix is a name, not a suffix


def test_create_customer_refuses_duplicates_by_key(session: Session, make: Factory) -> None:
    make.customer("Acme Corp, Inc.")
    with pytest.raises(DuplicateError, match="Acme Corp, Inc."):
        make.customer("ACME corp")
    assert session.scalar(select(func.count(Customer.id))) == 1


@pytest.mark.parametrize("bad", ["", "   ", "x" * 201, "bad\x00name"])
def test_bad_customer_names_are_refused_and_nothing_written(
    session: Session, make: Factory, bad: str
) -> None:
    with pytest.raises(ValidationError):
        make.customer(bad)
    assert session.scalar(select(func.count(Customer.id))) == 0
    assert session.scalar(select(func.count(AuditEntry.id))) == 0


def test_resolve_exact_prefix_alias_and_fuzzy(session: Session, make: Factory) -> None:
    acme = make.customer("Acme Corp, Inc.")
    wonka = make.customer("Wonka Industries")
    globex = make.customer("Globex Corporation", aliases=["GBX"])
    make.customer("Initech")

    exact = customers.resolve_customer(session, "acme")
    assert (exact.customer_id, exact.how, exact.name) == (acme.id, "exact", "Acme Corp, Inc.")
    prefix = customers.resolve_customer(session, "wonka")
    assert (prefix.customer_id, prefix.how) == (wonka.id, "prefix")
    alias = customers.resolve_customer(session, "gbx")
    assert (alias.customer_id, alias.how) == (globex.id, "alias")
    typo = customers.resolve_customer(session, "Globx")
    assert typo.customer_id == globex.id and typo.how == "fuzzy" and typo.score >= 88
    nothing = customers.resolve_customer(session, "Zyxwvut")
    assert not nothing.resolved and nothing.candidates == []


def test_ambiguous_names_return_candidates_instead_of_a_guess(
    session: Session, make: Factory
) -> None:
    a = make.customer("Acme Logistics")
    b = make.customer("Acme Foods")
    result = customers.resolve_customer(session, "acme")
    assert not result.resolved and result.how == "ambiguous"
    assert {c.id for c in result.candidates} == {a.id, b.id}


def test_index_sees_customers_added_later(session: Session, make: Factory) -> None:
    make.customer("Initech")
    assert not customers.resolve_customer(session, "Hooli").resolved
    hooli = make.customer("Hooli")
    assert customers.resolve_customer(session, "hooli").customer_id == hooli.id


def test_alias_of_another_customer_is_refused(session: Session, make: Factory) -> None:
    make.customer("Globex", aliases=["GBX"])
    other = make.customer("Initech")
    with pytest.raises(DuplicateError, match="already names"):
        customers.add_alias(session=session, actor=make.system, customer_id=other.id, alias="gbx")


def test_merge_moves_everything_and_keeps_the_old_name(session: Session, make: Factory) -> None:
    keep = make.customer("Northwind Traders")
    dup = make.customer("North Wind Trading")
    customers.add_contact(session=session, actor=make.system, customer_id=dup.id, name="Priya Shah")
    make.touch(dup, days_ago=2)
    make.deal(dup, 1000)
    merge_customers(session=session, actor=make.system, keep=keep.id, drop=dup.id)
    assert session.get(Customer, dup.id) is None
    assert (
        session.scalar(select(func.count(Interaction.id)).where(Interaction.customer_id == keep.id))
        == 1
    )
    assert session.scalar(select(func.count(Deal.id)).where(Deal.customer_id == keep.id)) == 1
    assert (
        session.scalar(select(Contact.name).where(Contact.customer_id == keep.id)) == "Priya Shah"
    )
    aliases = session.scalars(
        select(CustomerAlias.alias).where(CustomerAlias.customer_id == keep.id)
    ).all()
    assert "North Wind Trading" in aliases
    assert customers.resolve_customer(session, "north wind trading").customer_id == keep.id


def test_bad_contact_email_and_phone_are_refused(session: Session, make: Factory) -> None:
    c = make.customer("Initech")
    with pytest.raises(ValidationError, match="email"):
        customers.add_contact(
            session=session, actor=make.system, customer_id=c.id, name="Sam", email="sam@@initech"
        )
    with pytest.raises(ValidationError, match="phone"):
        customers.add_contact(
            session=session, actor=make.system, customer_id=c.id, name="Sam", phone="call me maybe"
        )
    assert session.scalar(select(func.count(Contact.id))) == 0
