"""Misreads found on held-out voices, round four (now = Monday 2026-11-23 10:00, Berlin).

Each case is our own phrasing of a general rule: "half two" is a British clock time (14:30) and
never a name; a holiday, a count word, a sales region or a messaging product is not a customer.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.intents.checks import ParseFn, check_parse

CASES: list[tuple[str, str, dict[str, Any]]] = [
    # "half three": thirty minutes past a working hour, part of when, not a name
    (
        "remind me on thursday at half three to call Petra at Lindgren Optics",
        "set_reminder",
        {"when": "2026-11-26T15:30:00+01:00", "customer": "Lindgren Optics"},
    ),
    (
        "nudge me tomorrow at half nine to send the deck to Solvik Marine",
        "set_reminder",
        {"when": "2026-11-24T09:30:00+01:00", "customer": "Solvik Marine"},
    ),
    # a sales region, a holiday, a count word: no customer
    (
        "remind me tuesday to go over the APAC forecast",
        "set_reminder",
        {"customer": None, "text": "go over the APAC forecast"},
    ),
    (
        "remind me on friday to order the Easter hampers",
        "set_reminder",
        {"customer": None, "when": "2026-11-27"},
    ),
    ("Five largest deals closing this month", "list_deals", {"limit": 5, "customer": None}),
    # a messaging product is how it was sent, not whom it was sent to
    (
        "Sent a LinkedIn message to Tomas at Harrow Kitchens",
        "log_interaction",
        {"kind": "message", "customer": "Harrow Kitchens", "contact": "Tomas"},
    ),
]


@pytest.mark.parametrize(("text", "intent", "entities"), CASES, ids=[c[0] for c in CASES])
def test_round_four_rules(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)
