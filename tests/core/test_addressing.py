"""Forms of address: kept by the parser as written, dropped from the name the CRM stores and
matches (crm_core.addressing, customers.find_contact)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from crm_core.addressing import is_addressed, without_address
from crm_core.services import customers
from crm_core.services.context import Actor
from tests.factories import Factory


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Mr. Goh", "Goh"),
        ("Ms Anna Kowalska", "Anna Kowalska"),
        ("Frau Anke Schröder", "Anke Schröder"),
        ("Khun Somchai", "Somchai"),
        ("Tanaka-san", "Tanaka"),
        ("Kimura Akiko-san", "Kimura Akiko"),
        ("mrs. pruitt", "pruitt"),
        ("Dr.", "Dr."),  # nothing but the form: left as it is
        ("Anna Kowalska", "Anna Kowalska"),
        ("Sandra Sanchez", "Sandra Sanchez"),  # "san" inside a word is no suffix
    ],
)
def test_the_name_alone(written: str, name: str) -> None:
    assert without_address(written) == name
    assert is_addressed(written) == (written != name)


def test_a_contact_is_stored_by_name_and_found_by_any_form(session: Session, make: Factory) -> None:
    acme = make.customer("Acme Trading")
    actor = Actor.system("tests")
    goh = customers.add_contact(
        session=session, actor=actor, customer_id=acme.id, name="Mr. Goh Wei Ming"
    )
    tanaka = customers.add_contact(
        session=session, actor=actor, customer_id=acme.id, name="Hiroshi Tanaka"
    )
    assert goh.name == "Goh Wei Ming"
    assert customers.find_contact(session, acme.id, "Mr. Goh") is goh  # family name first
    assert customers.find_contact(session, acme.id, "Tanaka-san") is tanaka  # ... or last
    assert customers.find_contact(session, acme.id, "goh wei ming") is goh
    assert customers.find_contact(session, acme.id, "Tanaka") is None  # no form: a first name
    assert customers.find_contact(session, acme.id, "Hiroshi") is tanaka
    assert customers.contacts_named(session, "Ms. Hiroshi Tanaka") == [tanaka]
    assert customers.contacts_named(session, "hiroshi") == []  # one word names too little
