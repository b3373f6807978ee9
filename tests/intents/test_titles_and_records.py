"""A job title is no customer ("Chief of Radiology", "Director of Imaging at X"), a firm keeps
its "M/s", and a name said as the owner of a record is the customer in any case ("the tejas
tire lead"); what a reminder or a record's field is about is not (now = Monday 2026-11-23
10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

# (message, intent, entities)
NAMED = [
    ("had a call with Dr. Omar Reyes, Chief Nursing Officer at Lakeside General Hospital",
     "log_interaction", {"customer": "Lakeside General Hospital", "contact": "Dr. Omar Reyes"}),
    ("new lead: Priya Nair, Director of Pharmacy at Harborview Clinic, priya@hvc.org",
     "create_lead", {"customer": "Harborview Clinic", "contact": "Priya Nair"}),
    ("call with the director of Kestrel Labs about the pilot", "log_interaction",
     {"customer": "Kestrel Labs"}),
    ("log call with M/s Shree Ganesh Traders, they will revert on the PO", "log_interaction",
     {"customer": "M/s Shree Ganesh Traders"}),
    ("convert the salado feed mill lead into a deal, 9k", "update_lead",
     {"customer": "salado feed mill", "status": "converted"}),
    ("can dev take the juniper hollow lead", "assign_lead", {"customer": "juniper hollow"}),
    ("move the copper kettle quote to negotiation", "update_deal",
     {"customer": "copper kettle", "stage": "negotiation"}),
]  # fmt: skip

# (message, the customer it must not report)
NOT_NAMED = [
    ("spoke to Dr. Ann Wu, Head of Cardiology, she wants a demo", "Cardiology"),
    ("drop the board slides reminder", "board slides"),
    ("Could you change the amount on deal 4410 to 61,000?", "amount on"),
    ("the real deal is whether it rains before harvest", "real"),
]


@pytest.mark.parametrize(("text", "intent", "entities"), NAMED)
def test_the_customer_is_found(
    parse: ParseFn, text: str, intent: str, entities: dict[str, str]
) -> None:
    check_parse(parse(text), intent, entities)


@pytest.mark.parametrize(("text", "wrong"), NOT_NAMED)
def test_a_title_or_a_subject_is_no_customer(parse: ParseFn, text: str, wrong: str) -> None:
    got = parse(text)
    assert got["entities"].get("customer") != wrong, got


# how it was had, and which team it goes to, in the words of more trades
KINDS_AND_TEAMS = [
    ("catch up w/ Dana at Pinecrest Childcare last Tues, all good", "log_interaction",
     {"kind": "meeting", "customer": "Pinecrest Childcare"}),
    ("test drive w/ Omar from Tall Pines Tree Service fri, he loved it", "log_interaction",
     {"kind": "demo", "customer": "Tall Pines Tree Service"}),
    ("msg'd Jono at 9 Mile Builders on linkedin, no reply yet", "log_interaction",
     {"kind": "message"}),
    ("Hilltop Transit asked for a ramp upfit, send that to the parts dept", "log_feedback",
     {"team": "parts", "customer": "Hilltop Transit"}),
    ("Feedback for logistics: Weinhaus Brandt wants EUR pallets", "log_feedback",
     {"team": "logistics", "customer": "Weinhaus Brandt"}),
    ("Has Redwood Logistics raised anything with finance?", "list_feedback",
     {"team": "finance", "customer": "Redwood Logistics"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "entities"), KINDS_AND_TEAMS)
def test_kinds_and_teams_of_more_trades(
    parse: ParseFn, text: str, intent: str, entities: dict[str, str]
) -> None:
    check_parse(parse(text), intent, entities)
