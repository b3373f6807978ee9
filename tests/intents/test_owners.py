"""Whose numbers or records a read is about: a rep's possessive, with or without its apostrophe,
and a rep's full name; a first name inside a company's name is the company's (now = Monday
2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

# (message, intent, entities)
OWNED = [
    ("dianas forecast for next month", "forecast", {"owner": "diana"}),
    ("Okonkwo's tasks due tomorrow?", "list_tasks", {"owner": "Okonkwo"}),
    ("what are Ngozi's qualified leads?", "list_leads", {"owner": "Ngozi", "status": "qualified"}),
    ("pull up Sarah Lindqvist's pipeline", "pipeline_report", {"owner": "Sarah Lindqvist"}),
    ("bens deals in negotiation", "list_deals", {"owner": "ben", "stage": "negotiation",
                                                  "customer": None}),
    ("show the won deals for Harbor Victoria Freight", "list_deals", {"owner": None}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "entities"), OWNED)
def test_whose_numbers(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)
