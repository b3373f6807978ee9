"""Where a name ends, however the recogniser cut it: a time, date or amount after it is not
the name's ("acme 4pm", "... Pvt. Ltd. 12 lakh"), a number under 100 standing alone is ("Red
Kite 7"), Norway's "AS" ends a name before "as", everything between "mark" and a stage is the
deal's customer, and the one capitalised word of a log that is no first name is the company
(now = Monday 2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

# (message, intent, entities)
BOUNDARIES = [
    ("log a call with kestrel 4pm", "log_interaction", {"customer": "kestrel"}),
    ("new deal Shree Ram Polymers Pvt. Ltd. 12 lakh", "create_deal",
     {"customer": "Shree Ram Polymers Pvt. Ltd.", "amount": 1200000}),
    ("emailed Shree Ram Polymers Pvt. Ltd. yesterday", "log_interaction",
     {"customer": "Shree Ram Polymers Pvt. Ltd."}),
    ("add Ola Nordmann to Bergen Fisk AS as CFO", "save_contact",
     {"customer": "Bergen Fisk AS", "contact": "Ola Nordmann", "title": "CFO"}),
    ("mark red kite 7 won", "update_deal", {"customer": "red kite 7", "stage": "won"}),
    ("demo with Zentrix went well", "log_interaction", {"customer": "Zentrix"}),
    ("The onboarding checklist task for Birchwood Dental is done.", "update_task",
     {"status": "done"}),
    ("nice one, move the Larkin deal to negotiation", "update_deal",
     {"stage": "negotiation"}),
    # two legal forms with a comma between, and the next sentence after the last one's dot
    ("who is our contact at Busan Harbour Foods Co., Ltd.?", "customer_history",
     {"customer": "Busan Harbour Foods Co., Ltd."}),
    # a currency code is no customer; payroll is a team; "aged care" is a business
    ("new deal for Tamsin Legal, AUD 22,000, closing 15/12", "create_deal",
     {"customer": "Tamsin Legal", "amount": 22000}),
    ("feedback for payroll: Ironbark Civil says the temps were paid late", "log_feedback",
     {"team": "payroll", "customer": "Ironbark Civil"}),
    ("assign wattle grove aged care to me", "assign_lead",
     {"customer": "wattle grove aged care"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "entities"), BOUNDARIES)
def test_the_name_ends_where_it_does(
    parse: ParseFn, text: str, intent: str, entities: dict
) -> None:
    check_parse(parse(text), intent, entities)


def test_the_next_sentence_is_no_part_of_the_name(parse: ParseFn) -> None:
    got = parse("met Ana Ruiz, the new buyer at Larkfield Ltd. Can you add her as a contact")
    assert got["entities"].get("customer", "").rstrip(".") == "Larkfield Ltd", got
    assert got["entities"].get("contact") == "Ana Ruiz", got
