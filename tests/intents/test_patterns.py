"""The failure patterns of issue 12, each with our own examples (now = Monday 2026-11-23 10:00)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from intents.registry import WRITE_INTENTS
from tests.intents.checks import ParseFn, check_parse

if TYPE_CHECKING:
    from intents.parser import Parser


# 1. typo correction is safe: real words and names are left alone, command-word typos are fixed
SAFE_TYPOS = [
    ("called initech and left them a message", "log_interaction", {"customer": "initech"}),
    ("tell me about hooli pls", "customer_history", {"customer": "hooli"}),
    ("log call with johnson & johnson", "log_interaction", {"customer": "johnson & johnson"}),
    ("emailed zorbix and left a voicemail", "log_interaction", {"customer": "zorbix"}),
    ("what do we have on quixly", "customer_history", {"customer": "quixly"}),
    ("remidn me to call Acme tomorrow", "set_reminder", {"when": "2026-11-24"}),
    ("shwo the piepline by stage", "pipeline_report", {"group_by": "stage"}),
]


@pytest.mark.parametrize(("text", "intent", "entities"), SAFE_TYPOS, ids=[t[0] for t in SAFE_TYPOS])
def test_safe_typo_correction(
    parse: ParseFn, text: str, intent: str, entities: dict[str, Any]
) -> None:
    check_parse(parse(text), intent, entities)


def test_normalizer_never_corrects_english_words(parser: Parser) -> None:
    norm: Any = parser.nlp.get_pipe("crm_normalizer")
    for word in ("left", "square", "visa", "gap", "johnson", "sun"):
        assert norm.correct(word) == word
    assert norm.correct("negotation") == "negotiation"
    doc = parser.nlp("tell me about hooli")
    assert doc[-1].lower_ == "hooli"  # not bent into a dictionary word
    assert doc[-1].norm_ == "__oov__"  # an unknown lower-case word: the placeholder of names


# 2.-4. names: ordinary words, weekday/month words, digits, symbols, "n", "of", apostrophes
NAMES = [
    ("log call with Square", "log_interaction", {"customer": "Square"}),
    ("Visa is in negotiation", "update_deal", {"customer": "Visa", "stage": "negotiation"}),
    ("had a call with Sun Microsystems", "log_interaction", {"customer": "Sun Microsystems"}),
    (
        "May Department Stores is in negotiation",
        "update_deal",
        {"customer": "May Department Stores", "close_date": None},
    ),
    ("log a meeting with Friday Harbor Foods", "log_interaction", {"when": None}),
    ("new deal Bank of Montreal 30k", "create_deal", {"customer": "Bank of Montreal"}),
    ("log call with 24 Hour Fitness", "log_interaction", {"customer": "24 Hour Fitness"}),
    ("met with D'Angelo Foods yesterday", "log_interaction", {"customer": "D'Angelo Foods"}),
    ("what's going on with Rolls-Royce?", "customer_history", {"customer": "Rolls-Royce"}),
]


@pytest.mark.parametrize(("text", "intent", "entities"), NAMES, ids=[t[0] for t in NAMES])
def test_hard_names(parse: ParseFn, text: str, intent: str, entities: dict[str, Any]) -> None:
    check_parse(parse(text), intent, entities)


# 5. contacts: lower-case first names, "Name, Company", a second person
CONTACTS = [
    ("called zoe from initech", {"contact": "zoe", "customer": "initech"}),
    ("met Priya, Northwind, about the rollout", {"contact": "Priya", "customer": "Northwind"}),
]


@pytest.mark.parametrize(("text", "entities"), CONTACTS, ids=[t[0] for t in CONTACTS])
def test_contacts(parse: ParseFn, text: str, entities: dict[str, Any]) -> None:
    check_parse(parse(text), "log_interaction", entities)


# 6. chatter is never a confident write; ordinary words never become customers
CHATTER = [
    "log me out",
    "log me out of spotify please",
    "could you create a new playlist for me",
    "could you make a new shopping list",
    "set the brightness to 50",
    "set the volume to 30",
    "turn the lights off",
    "call it a day",
    "deal me in",
]


@pytest.mark.parametrize("text", CHATTER)
def test_chatter_is_no_write(parse: ParseFn, text: str) -> None:
    got = parse(text)
    assert got["intent"] not in WRITE_INTENTS, got
    assert "customer" not in got["entities"], got


# 7.-9. short past-tense logs, history questions, someone else as the target, follow-ups
ROUTING = [
    (
        "pinged globex on linkedin, no answer",
        "log_interaction",
        {"kind": "message", "customer": "globex"},
    ),
    ("emailed umbrella, waiting to hear back", "log_interaction", {"kind": "email"}),
    ("rang hooli, they need more time", "log_interaction", {"kind": "call", "customer": "hooli"}),
    ("who do we know at initech", "customer_history", {"customer": "initech"}),
    (
        "show the last 3 emails we had with globex",
        "customer_history",
        {"customer": "globex", "limit": 3},
    ),
    ("where are we with Umbrella", "customer_history", {"customer": "Umbrella"}),
    ("remind dana to call initech on friday", "set_reminder", {"when": "2026-11-27"}),
    ("follow up with Globex in two days", "set_reminder", {"when": "2026-11-25"}),
]


@pytest.mark.parametrize(("text", "intent", "entities"), ROUTING, ids=[t[0] for t in ROUTING])
def test_routing(parse: ParseFn, text: str, intent: str, entities: dict[str, Any]) -> None:
    check_parse(parse(text), intent, entities)


def test_someone_else_is_the_target(parse: ParseFn) -> None:
    got = parse("remind sara to send Hooli the deck tomorrow")
    assert got["intent"] == "set_reminder"
    assert got["entities"]["target"].lower() == "sara", got
    got = parse("set a reminder for morgan to call Acme on Friday")
    assert got["entities"].get("target", "").lower() == "morgan", got


# 10.-11. amounts beside counts and names; chat shorthand for dates
AMOUNTS_DATES = [
    ("new deal Hooli - 60k - proposal", "create_deal", {"amount": 60000, "stage": "proposal"}),
    ("80 seats, new deal at 45k", "create_deal", {"amount": 45000}),
    ("new opp Acme 20k closing end of jan", "create_deal", {"close_date": "2027-01-31"}),
    (
        "called acme, they want a quote for 10 seats, f/u thurs",
        "log_interaction",
        {"follow_up": "2026-11-26", "when": None},
    ),
    ("forecast for q1", "forecast", {"period": {"start": "2027-01-01", "end": "2027-03-31"}}),
]


@pytest.mark.parametrize(
    ("text", "intent", "entities"), AMOUNTS_DATES, ids=[t[0] for t in AMOUNTS_DATES]
)
def test_amounts_and_shorthand(
    parse: ParseFn, text: str, intent: str, entities: dict[str, Any]
) -> None:
    check_parse(parse(text), intent, entities)


# 12. a summary keeps what was said, minus command words, names and dates
SUMMARIES = [
    ("just got off the phone w/ hooli, they want a 2 year contract", "they want a 2 year contract"),
    ("emailed the proposal to Initech", "the proposal"),
    ("called Acme yesterday, budget is approved", "budget is approved"),
]


@pytest.mark.parametrize(("text", "summary"), SUMMARIES, ids=[t[0] for t in SUMMARIES])
def test_summaries(parse: ParseFn, text: str, summary: str) -> None:
    check_parse(parse(text), "log_interaction", {"summary": summary})


# 13. negation
def test_negated_status(parse: ParseFn) -> None:
    check_parse(parse("leads no one has contacted yet"), "list_leads", {"status": "new"})
    check_parse(parse("show leads nobody has called"), "list_leads", {"status": "new"})


# the new intents and keys of the contract, with our own phrasings
NEW_INTENTS = [
    ("show deal #412", "list_deals", {"deal_id": 412}),
    ("deals over 100k closing this quarter", "list_deals", {"amount": 100000, "comparator": ">"}),
    ("cancel task 31", "update_task", {"task_id": 31, "status": "cancelled"}),
    ("disqualify lead #12, no budget", "update_lead", {"lead_id": 12, "status": "disqualified"}),
    ("mark Acme lost because they went with a competitor", "update_deal", {"stage": "lost"}),
    (
        "Ana Silva is the new head of procurement at Initech",
        "save_contact",
        {"contact": "Ana Silva", "customer": "Initech", "title": "head of procurement"},
    ),
    ("Globex Ltd is a duplicate of Globex", "merge_customers", {"into": "Globex"}),
    ("what has Hooli asked for", "list_feedback", {"customer": "Hooli"}),
]


@pytest.mark.parametrize(
    ("text", "intent", "entities"), NEW_INTENTS, ids=[t[0] for t in NEW_INTENTS]
)
def test_new_intents(parse: ParseFn, text: str, intent: str, entities: dict[str, Any]) -> None:
    check_parse(parse(text), intent, entities)


def test_reason_is_kept(parse: ParseFn) -> None:
    got = parse("mark Acme lost because they went with a competitor")
    assert got["entities"].get("reason") == "they went with a competitor", got


# compound messages
def test_compound_with_carry_over(parse: ParseFn) -> None:
    got = parse("demo with Hooli went well, new deal 30k closing Dec 15 and remind me friday")
    assert got["intent"] == "log_interaction", got
    assert [a["intent"] for a in got["also"]] == ["create_deal", "set_reminder"], got
    deal = got["also"][0]["entities"]
    assert deal["customer"] == "Hooli" and deal["amount"] == 30000
    assert deal["close_date"] == "2026-12-15"


def test_compound_reads(parse: ParseFn) -> None:
    got = parse("my tasks for today + pipeline by stage")
    assert got["intent"] == "list_tasks", got
    assert [a["intent"] for a in got.get("also", [])] == ["pipeline_report"], got
