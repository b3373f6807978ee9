"""Misreads found on held-out voices, round eight (now = Monday 2026-11-23 10:00, Berlin).

Each case is our own phrasing of a general rule; the comment above each group says the rule.
In short: a form of address is part of the name as written ("doctor Ramirez", "Aunty Grace",
"Alhaji Bello"); a person named with their firm, in brackets or after a job word, is the
contact; numbers read out ("deal two forty one") and days said in words ("January ninth", "on
the first") are numbers and dates; dictated punctuation is punctuation; a record named by its
number is an ask about it; a question put to the room is no ask of the bot.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.intents.checks import ParseFn, check_parse

CASES: list[tuple[str, str, dict[str, Any]]] = [
    # a form of address stays with the name, for a person-only customer too
    (
        "log a call with doctor Ramirez, she wants the new curing lights",
        "log_interaction",
        {"customer": "doctor Ramirez"},
    ),
    (
        "met Aunty Grace of Grace Fabrics Yaba today",
        "log_interaction",
        {"contact": "Aunty Grace", "customer": "Grace Fabrics Yaba"},
    ),
    # a job word before a form of address is no part of the name
    (
        "visited principal Mrs Okoro of Greenfield Academy, they need 30 tablets",
        "log_interaction",
        {"contact": "Mrs Okoro", "customer": "Greenfield Academy"},
    ),
    # the person, then their firm in brackets
    (
        "called Mallam Sani (Sani & Sons Hardware) no answer",
        "log_interaction",
        {"contact": "Mallam Sani", "customer": "Sani & Sons Hardware"},
    ),
    # a name that is no English word, "of" a firm of two words or more: a person and a firm
    (
        "hand the lead Graziela of Padaria Boa Sorte to <@U02AB3CD>",
        "assign_lead",
        {"contact": "Graziela", "customer": "Padaria Boa Sorte", "assignee": "U02AB3CD"},
    ),
    (
        "disqualify Dr Amaka Obi lead, she already signed with another provider",
        "update_lead",
        {"contact": "Dr Amaka Obi", "customer": None, "status": "disqualified"},
    ),
    # a national number in one run, and a number said to be someone's
    (
        "new lead Tolu Ade from Yaba Tech Hub, 08091234567",
        "create_lead",
        {"phone": "08091234567", "customer": "Yaba Tech Hub"},
    ),
    (
        "the phone of Maria Silva is now (21) 98765-4321",
        "save_contact",
        {"phone": "(21) 98765-4321", "contact": "Maria Silva"},
    ),
    # record numbers read out, group by group
    ("move deal two forty one to proposal", "update_deal", {"deal_id": 241, "customer": None}),
    ("lead thirty four is qualified", "update_lead", {"lead_id": 34, "customer": None}),
    ("push the follow up two days", "update_task", {"task_id": None}),
    # days of the month and hours in words, and the European "17h"
    (
        "remind me on December twenty-first to renew the SLA",
        "set_reminder",
        {"when": "2026-12-21"},
    ),
    (
        "new deal Harbor Dental 9k closing January ninth",
        "create_deal",
        {"close_date": "2027-01-09", "amount": 9000},
    ),
    ("remind me on the first to send the invoices", "set_reminder", {"when": "2026-12-01"}),
    (
        "remind me tuesday at seven am to load the van",
        "set_reminder",
        {"when": "2026-11-24T07:00:00+01:00"},
    ),
    (
        "remind me tomorrow at 17h to call the notary",
        "set_reminder",
        {"when": "2026-11-24T17:00:00+01:00"},
    ),
    # an ordinal in a capitalised name is no date
    (
        "emailed the First of May Bakery the price list",
        "log_interaction",
        {"customer": "First of May Bakery", "when": None},
    ),
    # punctuation dictated: "comma" is a comma; "period" ends a thought, not "this period"
    (
        "Hillcrest Dental lost comma they chose a cheaper scanner",
        "update_deal",
        {"stage": "lost", "reason": "they chose a cheaper scanner"},
    ),
    ("forecast for this period", "forecast", {}),
    # the why after a loss or a disqualification, with no comma before it
    (
        "disqualify Lakeview Clinic they already bought from a competitor",
        "update_lead",
        {"reason": "they already bought from a competitor", "status": "disqualified"},
    ),
    # a record named by its number is an ask about it, however unsure the model
    (
        "Deal 4410 should be at 72k now, procurement agreed this morning",
        "update_deal",
        {"deal_id": 4410, "amount": 72000},
    ),
    ("shout at me at 3 tomorrow to send the rota", "set_reminder", {"target": "me"}),
    # an ask that names no customer: a capitalised word that is no English one, where a rep is
    # named, is the rep, though no list of first names has them
    ("forecast for Obinna this quarter", "forecast", {"owner": "Obinna"}),
    ("show Emeka tasks for friday", "list_tasks", {"owner": "Emeka"}),
    ("list Ngozi qualified leads", "list_leads", {"owner": "Ngozi", "status": "qualified"}),
    ("forecast for EMEA this quarter", "forecast", {"owner": None}),
    # a title before the firm it is held at, or said last
    (
        "save contact: Deacon Ade, bursar of Holy Trinity College, ade@htc.edu.ng",
        "save_contact",
        {"title": "bursar", "customer": "Holy Trinity College"},
    ),
    (
        "save contact Ruth Mensah at Hilltop Family Clinic senior hygienist",
        "save_contact",
        {"title": "senior hygienist", "contact": "Ruth Mensah"},
    ),
    # a capitalised name that runs into one lower-case word: the word is what it is about
    (
        "nudge me friday about the Parkside Vet Clinic kennel quote",
        "set_reminder",
        {"customer": "Parkside Vet Clinic"},
    ),
    ("move the Orbit installment chase to 3/12", "update_task", {"customer": "Orbit"}),
    (
        "call w the owner at big tonys pizza, oven is down",
        "log_interaction",
        {"customer": "big tonys pizza"},
    ),
]


@pytest.mark.parametrize(("text", "intent", "entities"), CASES)
def test_round_eight(parse: ParseFn, text: str, intent: str, entities: dict[str, Any]) -> None:
    check_parse(parse(text), intent, entities)


@pytest.mark.parametrize(
    "text",
    [
        "does anyone know if the office is open on friday?",
        "did anybody grab the spare demo kit from the car?",
    ],
)
def test_question_to_the_room_is_no_ask(parse: ParseFn, text: str) -> None:
    assert parse(text)["intent"] == "unknown"
