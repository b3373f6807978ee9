"""People as they are written: a form of address stays with the name ("Mr. Ravindran",
"Okabe-san", "Khun Pornthip"), a household keeps its article ("the Pennywhistles"), and a
person named alone is the person-only customer of the record, unless a customer said earlier
in the message is whom they are with (the engine finds a contact so named; now = Monday
2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

# (message, intent, entities; None: the key must be absent)
PEOPLE = [
    ("Mr. Ravindran of Kovalam Spices Pvt. Ltd. has a new mobile +91 98470 12345", "save_contact",
     {"contact": "Mr. Ravindran", "customer": "Kovalam Spices Pvt. Ltd."}),
    ("visited Okabe-san at Shinwa Kogyo K.K. today, they want samples", "log_interaction",
     {"contact": "Okabe-san", "customer": "Shinwa Kogyo K.K."}),
    ("mail from Chaophraya Plastics Co., Ltd. (Khun Pornthip): they accept the quote",
     "log_interaction", {"contact": "Khun Pornthip"}),
    ("Frau Lindqvist email is now e.lindqvist@baltic-moebel.de", "save_contact",
     {"contact": "Frau Lindqvist"}),
    ("left a vm for mrs. okonkwo about the roof quote", "log_interaction",
     {"customer": "mrs. okonkwo", "contact": None}),
    ("met w/ Hemi Parata yesterday, wants 30 sheets of gib", "log_interaction",
     {"customer": "Hemi Parata", "contact": None}),
    ("Rawiri Tane called back, happy with the price", "log_interaction",
     {"customer": "Rawiri Tane", "contact": None}),
    ("tell eng Kestrel Labs wants a webhook", "log_feedback", {"customer": "Kestrel Labs"}),
    # a household is the customer with its article, as written
    ("called the Pennywhistles, they want to wait til spring", "log_interaction",
     {"customer": "the Pennywhistles"}),
    ("new deal for the Abernathy-Coles, 31k, proposal stage", "create_deal",
     {"customer": "the Abernathy-Coles"}),
    # a church, a club or a council is no person, whatever its first word
    ("lunch meeting w/ Grace Methodist Church of Kerrville last Thursday, they want 2 bids",
     "log_interaction", {"customer": "Grace Methodist Church of Kerrville", "contact": None}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "entities"), PEOPLE)
def test_people_as_written(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)


def test_a_person_after_a_customer_is_its_contact(parse: ParseFn) -> None:
    got = parse("Tarragon Foods renewal is won! also log that I emailed Priscilla a thank-you")
    assert got["intent"] == "update_deal", got
    logged = next(a for a in got.get("also", []) if a["intent"] == "log_interaction")
    assert logged["entities"].get("customer") == "Tarragon Foods", got
    assert logged["entities"].get("contact") == "Priscilla", got
