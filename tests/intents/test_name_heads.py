"""Capitalised names whose first word is an ordinary one ("Good", "High", "St."), and
institutions "of" a place, taken whole in the middle of a sentence; a capitalised word that
opens the message, a date, a title or a first name is no part of the name (now = Monday
2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

# (message, intent, customer)
WHOLE = [
    ("lunch meeting with Silver Lining Bakery yesterday", "log_interaction",
     "Silver Lining Bakery"),
    ("log a call with Good Hope Veterinary Clinic, they want a quote", "log_interaction",
     "Good Hope Veterinary Clinic"),
    ("new deal for Big Timber Outfitters, 12k", "create_deal", "Big Timber Outfitters"),
    ("emailed St. Anne's Hospice the brochure", "log_interaction", "St. Anne's Hospice"),
    ("new deal for Lutheran Hospital of Indiana, 80k, proposal", "create_deal",
     "Lutheran Hospital of Indiana"),
    ("met the board of Credit Union of Texas on Friday", "log_interaction",
     "Credit Union of Texas"),
]  # fmt: skip

# (message, intent, customer): what stays out of the name
CUT = [
    ("Good call with Harbor Freight Lines today", "log_interaction", "Harbor Freight Lines"),
    ("call with Tuesday Morning Foods on Monday", "log_interaction", "Tuesday Morning Foods"),
    ("met Chief Engineer Ruth Okafor at Kestrel Dynamics", "log_interaction",
     "Kestrel Dynamics"),
    ("new deal for Osprey Health of 40k", "create_deal", "Osprey Health"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "customer"), WHOLE)
def test_an_ordinary_first_word_and_a_place_are_the_names(
    parse: ParseFn, text: str, intent: str, customer: str
) -> None:
    check_parse(parse(text), intent, {"customer": customer})


@pytest.mark.parametrize(("text", "intent", "customer"), CUT)
def test_what_is_no_part_of_the_name_stays_out(
    parse: ParseFn, text: str, intent: str, customer: str
) -> None:
    check_parse(parse(text), intent, {"customer": customer})
