"""Lower-case company names made of ordinary words, found by the word they end in (a legal form
or an industry noun), with a street number in front when they have one; and the words around
them that are no part of the name (now = Monday 2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

# (message, intent, customer)
NAMED = [
    ("new deal 2210 larch ave llc 18k close jan 9", "create_deal", "2210 larch ave llc"),
    ("called 77 harbor road partners, left a voicemail", "log_interaction",
     "77 harbor road partners"),
    ("who owns 2nd avenue property mgmt", "customer_history", "2nd avenue property mgmt"),
    ("give friday night rentals to @tomas", "assign_lead", "friday night rentals"),
    ("move meadow creek feed and seed to proposal", "update_deal",
     "meadow creek feed and seed"),  # a feed-and-seed store
    ("pinged willow bend homeowners association about the vote", "log_interaction",
     "willow bend homeowners association"),
    ("stonegate realty demo done, they want a trial", "log_interaction", "stonegate realty"),
    ("fyi support: juniper ridge apartments cant log in", "log_feedback",
     "juniper ridge apartments"),
    ("emailed the cedar point auto parts guys the price list", "log_interaction",
     "cedar point auto parts"),
]  # fmt: skip

# (message, the customer it must not report)
NOT_NAMED = [
    ("log call with Brightline about the cold storage unit", "cold storage"),
    ("what have customers been asking engineering for", "asking engineering"),
    ("remind me to check whether legal signed off", "whether legal"),
    ("log call with quill, they want 25 acme labs seats", "25 acme labs"),
    ("note for Larkin: tell engineering the export is slow", "engineering"),
]


@pytest.mark.parametrize(("text", "intent", "customer"), NAMED)
def test_a_name_ending_in_its_business_is_found_whole(
    parse: ParseFn, text: str, intent: str, customer: str
) -> None:
    check_parse(parse(text), intent, {"customer": customer})


@pytest.mark.parametrize(("text", "wrong"), NOT_NAMED)
def test_words_around_a_business_noun_are_not_a_name(parse: ParseFn, text: str, wrong: str) -> None:
    got = parse(text)
    names = [got["entities"].get("customer")]
    names += [a["entities"].get("customer") for a in got.get("also", [])]
    assert wrong not in names, got


# (message, customer, contact): beside the company, a second name that starts with a first name
PEOPLE_BESIDE = [
    ("Rang Brockmann Kältetechnik GmbH, Helga Brandt was out, try again Thursday",
     "log_interaction", "Brockmann Kältetechnik GmbH", "Helga Brandt"),
    ("New lead Maria Lopez with Sierra Verde Nurseries, 555 201 7788",
     "create_lead", "Sierra Verde Nurseries", "Maria Lopez"),
    ("please add a lead for Hoogeveen Waterwerken, contact Anouk Visser",
     "create_lead", "Hoogeveen Waterwerken", "Anouk Visser"),
    ("met Tomasz Wójcik of Huta Stali Mielec S.A. today", "log_interaction",
     "Huta Stali Mielec S.A.", "Tomasz Wójcik"),
    ("New lead M/s Godavari Spices, contact Ramesh, 98450 12345", "create_lead",
     "M/s Godavari Spices", "Ramesh"),  # "M/s" as the text names the firm
    # after "contact is" / "owner is" / "buyer is": the lead's person, however written
    ("new lead quiet harbor books, owner is dee ramos, dee@quietharbor.com",
     "create_lead", "quiet harbor books", "dee ramos"),
    ("new lead pepper tree home goods, buyer is ana kowal", "create_lead",
     "pepper tree home goods", "ana kowal"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "customer", "contact"), PEOPLE_BESIDE)
def test_a_person_beside_the_company_is_the_contact(
    parse: ParseFn, text: str, intent: str, customer: str, contact: str
) -> None:
    check_parse(parse(text), intent, {"customer": customer, "contact": contact})


# (message, intent, customer): a lower-case name of no English words, after "at" or "from",
# kept whole: the word after "del" or after an unknown word is no typo of a command word
FOREIGN_LOWER = [
    ("rang ines at ferreteria del monte, she wants a quote", "log_interaction",
     "ferreteria del monte"),
    ("who owns carniceria del norte?", "customer_history", "carniceria del norte"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "customer"), FOREIGN_LOWER)
def test_a_lower_case_foreign_name_is_kept_whole(
    parse: ParseFn, text: str, intent: str, customer: str
) -> None:
    check_parse(parse(text), intent, {"customer": customer})


# (message, intent, customer): legal forms the world over end the name
LEGAL_FORMS = [
    ("talked with Jana Dvořák of Strojírny Kladno s.r.o., they want a quote", "log_interaction",
     "Strojírny Kladno s.r.o."),
    ("meeting with Ana at Bombas Tejo S.A. on Friday", "log_interaction", "Bombas Tejo S.A."),
    ("new deal Mehta Polymers Pvt. Ltd. 8 lakh", "create_deal", "Mehta Polymers Pvt. Ltd."),
    ("log call with Harrow & Finch LLP", "log_interaction", "Harrow & Finch LLP"),
    # a company's word makes "X of Y" one name, not a person of a company
    ("log meeting with Mercy Health of Ohio, they want a service plan", "log_interaction",
     "Mercy Health of Ohio"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "customer"), LEGAL_FORMS)
def test_legal_forms_end_the_name(parse: ParseFn, text: str, intent: str, customer: str) -> None:
    check_parse(parse(text), intent, {"customer": customer})


def test_a_piece_of_the_name_is_no_summary(parse: ParseFn) -> None:
    got = parse("called Mehta Polymers Pvt. Ltd. today")
    check_parse(got, "log_interaction", {"customer": "Mehta Polymers Pvt. Ltd.", "summary": None})


# (message, intent, customer): a name's own 's stays when the clause ends or a verb follows;
# a possessive before a noun goes
OWN_S = [
    ("zia's is in negotiation now", "update_deal", "zia's"),
    ("show me the last 3 calls with marco's", "customer_history", "marco's"),
    ("log call with Lenny's, they want 40 units", "log_interaction", "Lenny's"),
    ("move Brightline's deal to negotiation", "update_deal", "Brightline"),
    # an opener word, capitalised after a preposition, is the name's own first word
    ("had a call with Rosa from Hello Sunshine, they want a tasting", "log_interaction",
     "Hello Sunshine"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "customer"), OWN_S)
def test_a_names_own_words(parse: ParseFn, text: str, intent: str, customer: str) -> None:
    check_parse(parse(text), intent, {"customer": customer})
