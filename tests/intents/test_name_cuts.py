"""Names however the recogniser cuts them: a sentence's opening word is no customer ("Great
news: ...", "Another long call ..."), a legal form of any country ends the name ("Sp. z o.o.",
"JSC", "2019 Ltd"), and a lower-case place beside a person is no company (now = Monday
2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

CUTS = [
    ("Another long call with Ines Moreau (Brightwater Labs): she's supportive of the pilot",
     "log_interaction", {"customer": "Brightwater Labs", "contact": "Ines Moreau"}),
    ("Change e-mail of Jan Kowal to jan@kowal.pl", "save_contact",
     {"contact": "Jan Kowal", "customer": None}),
    ("New lead Ms. Ewa Nowak from Mazury Meble Sp. z o.o., ewa@mazury.pl", "create_lead",
     {"customer": "Mazury Meble Sp. z o.o.", "contact": "Ms. Ewa Nowak"}),
    ("emailed Harbour Civil 2019 Ltd the overdue statement", "log_interaction",
     {"customer": "Harbour Civil 2019 Ltd"}),
    ("I sent the email to Ms. Hoa of Hanoi Tea JSC about the new prices", "log_interaction",
     {"customer": "Hanoi Tea JSC", "contact": "Ms. Hoa"}),
    ("Unfortunately Hallstrom Kaffe AB deal is lost, they stay with their supplier",
     "update_deal", {"customer": "Hallstrom Kaffe AB"}),
    ("new deal Dayton County Fire District 6 rescue trucks $380k", "create_deal",
     {"customer": "Dayton County Fire District"}),
    ("is polar byte 7 at risk? give me the full picture", "customer_history",
     {"customer": "polar byte 7"}),
    ("txt from Wiremu Tane, wants the gib delivered to the te awamutu site not the yard",
     "log_interaction", {"customer": "Wiremu Tane"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "entities"), CUTS)
def test_names_however_cut(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)
