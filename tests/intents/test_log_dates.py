"""A logged interaction's dates and kind in a tradie's words: a date of something still to come
is what was said, not when it happened ("the ply arrives tuesday"); "call back 11/30" and
"try again 11/25" are follow-ups; "txt from", "dropped in on" say the kind (now = Monday
2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

# (message, entities; None: the key must be absent)
LOGS = [
    ("txted dave at kauri scaffolding, ply arrives tuesday",
     {"kind": "message", "when": None, "summary": "ply arrives tuesday"}),
    ("rang Totara Joinery, the order ships 12/3 now", {"kind": "call", "when": None}),
    ("called pukeko plumbing, owner away til monday, call back 11/30",
     {"kind": "call", "follow_up": "2026-11-30", "when": None}),
    ("left vm for mrs. okonkwo re: the roof quote, try again 11/25",
     {"follow_up": "2026-11-25", "summary": "the roof quote", "customer": "mrs. okonkwo"}),
    ("dropped in on Puriri Build Co, talked retaining walls", {"kind": "meeting"}),
    ("txt from Kauri Scaffolding - they want a quote on 200 planks",
     {"kind": "message", "customer": "Kauri Scaffolding"}),
    # an opening "rang" / "phoned" / "emailed" is a log; a firm named after its owner is a firm;
    # a product's code is no name
    ("rang hemi parata builders, keen on 40 lengths of 90x45 H3.2 for the te awamutu job",
     {"kind": "call", "customer": "hemi parata builders", "contact": None}),
    ("emailed kowhai joinery the revised quote", {"kind": "email", "customer": "kowhai joinery"}),
    # a past date said with the name is still when it happened
    ("met with Tui Freight Shipping on Friday, they want a rate card", {"when": "2026-11-20"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "entities"), LOGS)
def test_dates_and_kinds_of_a_log(parse: ParseFn, text: str, entities: dict) -> None:
    check_parse(parse(text), "log_interaction", entities)
