"""Saving a contact: the person right after "add" and the company after "to", the job title
however it is said (a role noun with its modifier, the C-suite by its letters, "he's the ...",
"the VP of X at Y"), and a person named before "is the <title> at" in any case (now = Monday
2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

# (message, entities of save_contact)
SAVED = [
    ("add Nell Quarry to Quarry Stone Supply, cell is 555-301-2299",
     {"contact": "Nell Quarry", "customer": "Quarry Stone Supply", "phone": "555-301-2299"}),
    ("add tomas reyes to blue heron marine as fleet mgr, tomas@blueheron.com",
     {"contact": "tomas reyes", "title": "fleet mgr", "email": "tomas@blueheron.com"}),
    ("add ines duarte to lisbon cork works, she's the export coordinator",
     {"contact": "ines duarte", "title": "export coordinator"}),
    ("Hana Sato is now CISO at Kinetic Rail, please update", {"contact": "Hana Sato",
     "title": "CISO", "customer": "Kinetic Rail"}),
    ("please add the head of facilities at Birchwood Academy, Carl Dunn, to our contacts",
     {"title": "head of facilities", "customer": "Birchwood Academy", "contact": "Carl Dunn"}),
    ("new contact at maple row hoa: Dee Park, treasurer", {"contact": "Dee Park",
     "title": "treasurer"}),
    ("ray is the yard foreman at Millbrook Aggregates now", {"contact": "ray",
     "title": "yard foreman", "customer": "Millbrook Aggregates"}),
    ("Wiremu's new email is wiremu.t@kauri-build.nz", {"contact": "Wiremu",
     "email": "wiremu.t@kauri-build.nz"}),
    ("marias new cell is 021 555 0199", {"contact": "maria", "phone": "021 555 0199"}),
    ("add Omar Haddad to St. Jude's Children's Hospital as chief pharmacist",
     {"contact": "Omar Haddad", "customer": "St. Jude's Children's Hospital",
      "title": "chief pharmacist"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "entities"), SAVED)
def test_a_contact_is_saved_with_its_details(
    parse: ParseFn, text: str, entities: dict[str, str]
) -> None:
    check_parse(parse(text), "save_contact", entities)


def test_a_cargo_is_no_c_suite_title(parse: ParseFn) -> None:
    got = parse("add Lena Ortiz to Portside Cargo, the cargo lead is her")
    assert got["entities"].get("title") != "cargo", got
