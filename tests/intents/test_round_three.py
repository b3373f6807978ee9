"""Misreads found by trying the parser on fresh voices (now = Monday 2026-11-23 10:00, Berlin).

Each case is our own phrasing of a general rule: an acronym is meant as typed; a title's full stop
("Mr.", "Dr.") ends no clause; a number inside a name ("7-Eleven", "3M") is no clock time; a bare
clock time is a working hour; a two-word kind ("Teams call", "zoom call") names no customer; a
fortnight is two weeks; national phone numbers ("07700 900123") are phones; "X's pipeline" is X's.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.intents.checks import ParseFn, check_parse

CASES: list[tuple[str, str, dict[str, Any]]] = [
    # acronyms are not typos of command words ("MSA" is no "msg")
    (
        "emailed Ola Nordmann at Fjord Freight the signed MSA",
        "log_interaction",
        {"kind": "email", "customer": "Fjord Freight", "summary": "the signed MSA"},
    ),
    (
        "sent Brightline the NDA and the SOW, waiting on legal",
        "log_interaction",
        {"customer": "Brightline"},
    ),
    # a title's full stop ends no clause: the summary is what was said, not the name
    (
        "call with Mr. Tanaka from Kiso Timber, he asked for a quote on 40 units",
        "log_interaction",
        {"kind": "call", "customer": "Kiso Timber", "summary": "he asked for a quote on 40 units"},
    ),
    (
        "met Dr. Olsen at Fjordlys Klinikk, they are ready to sign",
        "log_interaction",
        {"kind": "meeting", "customer": "Fjordlys Klinikk", "summary": "they are ready to sign"},
    ),
    # a number that starts a name is no clock time
    (
        "had coffee with the buyers at 7-Eleven",
        "log_interaction",
        {"kind": "meeting", "customer": "7-Eleven", "when": None},
    ),
    # a clock time without am/pm is a working hour
    (
        "remind me tomorrow at 3:30 to call Harbor Labs",
        "set_reminder",
        {
            "when": "2026-11-24T15:30:00+01:00",
            "customer": "Harbor Labs",
            "text": "call Harbor Labs",
        },
    ),
    # a two-word kind names the channel, not the customer
    (
        "had a Teams call with Lindqvist Marine",
        "log_interaction",
        {"kind": "call", "customer": "Lindqvist Marine"},
    ),
    (
        "zoom call w/ Pelican Paper, they want a pilot",
        "log_interaction",
        {"kind": "call", "customer": "Pelican Paper", "summary": "they want a pilot"},
    ),
    # a fortnight is two weeks ("night" inside it is no time of day)
    ("remind me in a fortnight to chase Orchard Row", "set_reminder", {"when": "2026-12-07"}),
    # national phone numbers with a five-digit trunk
    (
        "add Ann Lee to Bluebird Cafe, mobile 07700 900123",
        "save_contact",
        {"contact": "Ann Lee", "phone": "07700 900123"},
    ),
    # "X's pipeline": whose numbers
    ("Imogen's pipeline by stage", "pipeline_report", {"owner": "Imogen", "group_by": "stage"}),
]


@pytest.mark.parametrize(("text", "intent", "entities"), CASES, ids=[c[0] for c in CASES])
def test_fresh_voice_rules(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)


@pytest.mark.parametrize(
    ("text", "team"),
    [
        ("Initech asked about SSO, could you pass that to engineering?", "engineering"),
        ("Globex wants a dark mode, pls flag it for product", "product"),
        ("umbrella keep asking for invoices in euros - forward this to finance", "finance"),
    ],
)
def test_handing_on_to_a_team_continues_the_feedback(parse: ParseFn, text: str, team: str) -> None:
    got = parse(text)
    assert got["intent"] == "log_feedback", got
    assert got["entities"].get("team") == team, got
    assert not got.get("also"), got
