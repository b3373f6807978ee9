"""Whom a lead is given to, said with a first name in any of the usual frames (now = Monday
2026-11-23 10:00, Berlin): "Priya can take ...", "can Jonas have ...", "give Tomasz the ...",
"let Ines have ...", "... to Hugo"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.intents.checks import ParseFn, check_parse

CASES: list[tuple[str, dict[str, Any]]] = [
    ("Priya can take the Marlow Joinery lead", {"assignee": "Priya", "customer": "Marlow Joinery"}),
    ("can Jonas have the lead from Vektor Steel?", {"assignee": "Jonas"}),
    ("give Tomasz the Harbourside Dental lead", {"assignee": "Tomasz"}),
    ("let Ines have the two webinar leads", {"assignee": "Ines"}),
    ("Hugo can have the Brightmoor Farms lead", {"assignee": "Hugo"}),
    ("pass the Tallow & Wick lead to Hugo", {"assignee": "Hugo"}),
]


@pytest.mark.parametrize("text, entities", CASES)
def test_whom_a_lead_goes_to(parse: ParseFn, text: str, entities: dict[str, Any]) -> None:
    check_parse(parse(text), "assign_lead", entities)


def test_the_name_of_a_thing_is_no_assignee(parse: ParseFn) -> None:
    got = parse("give the Lakeside lead to Ines")
    check_parse(got, "assign_lead", {"assignee": "Ines"})
