"""Asks the classifier reads as chatter, read by their words: a hand-off to a team, an arrow
to a rep, a merge said in the passive, a forecast over months, a message had with someone,
a memo; chatter with the same words stays chatter (now = Monday 2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

ASKS = [
    ("pass on to dispatch - Kauri Homes NZ Ltd says the drivers keep dumping stuff on the berm",
     "log_feedback", {"team": "dispatch", "customer": "Kauri Homes NZ Ltd"}),
    ("For quality team - Shinwa Gomu K.K. asks the RoHS certificate of the gasket material.",
     "log_feedback", {"team": "quality", "customer": "Shinwa Gomu K.K."}),
    ("Hemi Walker -> @jordan", "assign_lead", {"assignee": "jordan", "contact": "Hemi Walker"}),
    ("Marama Tipene → Aroha pls", "assign_lead", {"assignee": "Aroha"}),
    ("update: Acme -> lost", "update_deal", {"stage": "lost", "customer": "Acme"}),
    ("hanse feinkost (duplicated) should be merged to Hanse Feinkost GmbH", "merge_customers",
     {"customer": "hanse feinkost", "into": "Hanse Feinkost GmbH"}),
    ("dupe - T Rangi should be folded into Tama Rangi", "merge_customers",
     {"customer": "T Rangi", "into": "Tama Rangi"}),
    ("I would like to know forecast for Apr. to Jun. 2027 of whole team", "forecast",
     {"period": {"start": "2027-04-01", "end": "2027-06-30"}}),
    ("How is the forecast of Ueda-san for the second half of this fiscal year (Oct.~Mar.)?",
     "forecast", {}),
    ("LINE message from Ueda-san of Hakata Foods: the pallets arrive on the 4th", "log_interaction",
     {"kind": "message", "customer": "Hakata Foods", "contact": "Ueda-san"}),
    ("memo for Hanse Feinkost GmbH: they prefer the invoice in EUR", "log_interaction",
     {"kind": "note", "customer": "Hanse Feinkost GmbH",
      "summary": "they prefer the invoice in EUR"}),
    ("email from Riverbend Pte. Ltd., Mr. Lim confirmed the PO for USD 12,400", "log_interaction",
     {"kind": "email", "contact": "Mr. Lim", "summary": "confirmed the PO for USD 12,400"}),
    # chatter stays chatter
    ("Forecast the disk usage on the database for next month.", "unknown", {}),
    ("for the support team: can someone fix the printer", "unknown", {}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "entities"), ASKS)
def test_read_by_their_words(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)


def test_months_from_one_to_another() -> None:
    from datetime import date

    from intents.dates import resolve_period
    from intents.train import REFERENCE_NOW

    assert resolve_period("Jan. to Mar. 2027", REFERENCE_NOW) == (
        date(2027, 1, 1),
        date(2027, 3, 31),
    )
    # the months we are in, across the new year
    assert resolve_period("Oct.~Mar.", REFERENCE_NOW) == (date(2026, 10, 1), date(2027, 3, 31))
    assert resolve_period("april to june", REFERENCE_NOW, "past") == (
        date(2026, 4, 1),
        date(2026, 6, 30),
    )
