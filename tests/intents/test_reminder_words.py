"""A reminder's text is what to do, without the customer it is for (its own key), as a task's
words are; whatever else was said stays (now = Monday 2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

# (message, customer, text)
WORDS = [
    ("remind me friday to mail the samples to Oakridge Dental", "Oakridge Dental",
     "mail the samples"),
    ("remind me tomorrow to chase Tidewater Freight for the signed order", "Tidewater Freight",
     "chase for the signed order"),
    ("remind me to get the Lakeshore Bakery survey booked on thursday", "Lakeshore Bakery",
     "get the survey booked"),
    ("remind me on wednesday to check in w/ Copperline Labs about the pilot", "Copperline Labs",
     "check in about the pilot"),
    ("remind me tmrw about Pine & Oak Realty - chase their signed lease", "Pine & Oak Realty",
     "chase their signed lease"),
    ("remind me monday to ask Dana at Birchfield Mills about the budget", "Birchfield Mills",
     "ask Dana about the budget"),
    # the customer as the subject of what to check stays
    ("remind me friday to check whether Vantage Print has paid", "Vantage Print",
     "check whether Vantage Print has paid"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "customer", "what"), WORDS)
def test_the_text_is_what_to_do_for_the_customer(
    parse: ParseFn, text: str, customer: str, what: str
) -> None:
    check_parse(parse(text), "set_reminder", {"customer": customer, "text": what})


def test_a_reminder_that_only_names_whom_has_its_verb_as_text(parse: ParseFn) -> None:
    check_parse(
        parse("remind me to call Quillfeather Press tomorrow"),
        "set_reminder",
        {"customer": "Quillfeather Press", "text": "call", "when": "2026-11-24"},
    )
