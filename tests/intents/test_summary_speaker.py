"""A logged summary is what was said: without who said it (the contact and the customer are
entities of their own), without a leading "also,", and as typed ("w/" stays "w/")."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

CASES = [
    ("Called Rosenthal Kälte GmbH, Jonas Weber wants the quote in two parts",
     {"customer": "Rosenthal Kälte GmbH", "contact": "Jonas Weber",
      "summary": "wants the quote in two parts"}),
    ("log a call with Marisco Foods — Inés says the freezer order is late again",
     {"customer": "Marisco Foods", "summary": "the freezer order is late again"}),
    ("Note: Cafe Lumen owner is retiring, might sell up",
     {"customer": "Cafe Lumen", "summary": "owner is retiring, might sell up"}),
    ("Call with Brightwell Pumps, spoke with Ada Obi. Also, the install went fine",
     {"customer": "Brightwell Pumps", "summary": "the install went fine"}),
    ("called ostrander rentals, they went w/ a cheaper vendor",
     {"customer": "ostrander rentals", "summary": "they went w/ a cheaper vendor"}),
    # how it went is said too
    ("demo at Larkspur Dental went great, they want a second site",
     {"customer": "Larkspur Dental", "summary": "went great, they want a second site"}),
    ("call with Ostrava Steel went pretty badly, they want a discount",
     {"customer": "Ostrava Steel", "summary": "went pretty badly, they want a discount"}),
    # the name goes on: nothing is cut
    ("I called Dunmore Labs; Priya from their side agreed to a pilot",
     {"customer": "Dunmore Labs"}),
    # a legal form's own dots and commas, and a date said with the name, are the header's
    ("called Mekong Rice Trading Pte. Ltd. on 11/19, they said the freight is too high",
     {"customer": "Mekong Rice Trading Pte. Ltd.", "summary": "they said the freight is too high"}),
    ("phoned Selangor Tin Sdn. Bhd. yesterday, they want the MSDS",
     {"customer": "Selangor Tin Sdn. Bhd.", "summary": "they want the MSDS"}),
    ("Today I called Hoang Long Food Co., Ltd., they agreed the price for 3 containers",
     {"customer": "Hoang Long Food Co., Ltd.",
      "summary": "they agreed the price for 3 containers"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "entities"), CASES)
def test_a_summary_is_what_was_said(parse: ParseFn, text: str, entities: dict) -> None:
    check_parse(parse(text), "log_interaction", entities)


def test_a_name_that_goes_on_is_not_cut_from_the_summary(parse: ParseFn) -> None:
    summary = parse("I called Dunmore Labs; Priya from their side agreed to a pilot")["entities"]
    assert not str(summary.get("summary", "")).startswith("from their side")
