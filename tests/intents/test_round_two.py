"""Misreads found by trying the bot after the first round (now = Monday 2026-11-23 10:00).

Each case is our own phrasing of a general rule: a bare number after a task verb names a row of
"my tasks"; a reason is the why without the outcome words; a compound whose parts are confident is
confident; a legal form ("A/S", "aps", "Şti.") belongs to the company name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from intents.extract import record_id
from tests.intents.checks import ParseFn, check_parse

if TYPE_CHECKING:
    from intents.parser import Parser


# the rows of "my tasks" are numbered: a bare number after a task verb is the task
BARE_TASK_NUMBERS = [
    ("done 2", {"task_id": 2, "status": "done"}),
    ("cancel 2", {"task_id": 2, "status": "cancelled"}),
    ("done with 3", {"task_id": 3, "status": "done"}),
    ("snooze 1", {"task_id": 1}),
    ("mark 2 as done", {"task_id": 2, "status": "done"}),
    ("finished 4", {"task_id": 4, "status": "done"}),
    ("snooze 5 till friday", {"task_id": 5, "when": "2026-11-27"}),
]


@pytest.mark.parametrize(
    ("text", "entities"), BARE_TASK_NUMBERS, ids=[t[0] for t in BARE_TASK_NUMBERS]
)
def test_bare_task_number(parse: ParseFn, text: str, entities: dict[str, Any]) -> None:
    check_parse(parse(text), "update_task", entities)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("done 2", 2),
        ("mark 12 as done", 12),
        ("7 is done", 7),
        ("snooze the acme follow-up for 2 days", None),  # a duration, not a task
        ("move it to 3pm", None),
        ("push 4 to dec 3", 4),
        ("push the call to 12/5", None),
    ],
)
def test_record_id_bare_task_number(text: str, expected: int | None) -> None:
    assert record_id(text, "task_id", "update_task") == expected


def test_bare_number_is_no_task_elsewhere() -> None:
    assert record_id("done 2", "task_id", "list_tasks") is None
    assert record_id("close 5 deals", "deal_id", "update_deal") is None


# a reason is why the deal was won or lost, without the outcome words
REASONS = [
    ("mark the Acme deal as won because they signed", "won", "they signed"),
    ("mark Initech lost to a competitor", "lost", "a competitor"),
    ("we lost the Globex deal to Oracle", "lost", "Oracle"),
    ("Hooli is closed won - they loved the pilot", "won", "they loved the pilot"),
    ("mark Stark Industries as lost because of price", "lost", "price"),
]


@pytest.mark.parametrize(("text", "stage", "reason"), REASONS, ids=[t[0] for t in REASONS])
def test_reason_without_outcome_words(parse: ParseFn, text: str, stage: str, reason: str) -> None:
    check_parse(parse(text), "update_deal", {"stage": stage, "reason": reason})


def test_compound_of_confident_parts_is_confident(parse: ParseFn) -> None:
    got = parse(
        "called umbrella, they agreed to 35k, move the deal to negotiation and remind me to "
        "send the contract tmrw"
    )
    assert got["intent"] == "log_interaction"
    assert [a["intent"] for a in got["also"]] == ["update_deal", "set_reminder"]
    assert got["confidence"] >= 0.9
    assert all(a["confidence"] >= 0.9 for a in got["also"])
    assert got["also"][0]["entities"]["stage"] == "negotiation"
    assert got["also"][1]["entities"]["text"] == "send the contract"


# legal forms of other countries are part of the name
LEGAL_FORMS = [
    ("log a call with Lindqvist & Berg A/S", "Lindqvist & Berg A/S"),
    ("had a meeting with holm & søn aps", "holm & søn aps"),
    ("emailed Kaya Yapı Şti. about the renewal", "Kaya Yapı Şti."),
]


@pytest.mark.parametrize(("text", "customer"), LEGAL_FORMS, ids=[t[0] for t in LEGAL_FORMS])
def test_legal_form_in_name(parse: ParseFn, text: str, customer: str) -> None:
    got = parse(text)
    assert got["intent"] == "log_interaction", got
    assert got["entities"].get("customer", "").rstrip(".") == customer.rstrip("."), got


def test_unknown_lower_case_word_has_one_norm(parser: Parser) -> None:
    doc = parser.nlp("called zorbix and quiznor")
    assert doc[1].norm_ == doc[3].norm_ == "__oov__"
    assert parser.nlp("called square")[1].norm_ == "square"  # an English word stays itself


def test_gibberish_is_still_unknown(parse: ParseFn) -> None:
    assert parse("qwzx vbnmp lkjhg trewq")["intent"] == "unknown"


# a feedback text is the request: its verb stays, the team, the command words and the customer
# (its subject) go; after "feedback from X:" / "complaint from X about" there is no verb to keep
FEEDBACK = [
    ("tell product that acme wants SSO", "acme", "wants SSO", "product"),
    (
        "Globex is asking for a dark mode, can you let product know?",
        "Globex",
        "asking for a dark mode",
        "product",
    ),
    (
        "feedback from Initech: monthly invoices, pass to finance",
        "Initech",
        "monthly invoices",
        "finance",
    ),
    (
        "complaint from Hooli about slow exports, send to engineering",
        "Hooli",
        "slow exports",
        "engineering",
    ),
]


@pytest.mark.parametrize(
    ("text", "customer", "said", "team"), FEEDBACK, ids=[f[0] for f in FEEDBACK]
)
def test_feedback_text_keeps_the_request(
    parse: ParseFn, text: str, customer: str, said: str, team: str
) -> None:
    check_parse(parse(text), "log_feedback", {"customer": customer, "text": said, "team": team})


def test_support_as_a_verb_is_no_team(parse: ParseFn) -> None:
    got = parse("Acme asked if we can support SAML, can you pass that to engineering?")
    assert got["intent"] == "log_feedback", got
    assert got["entities"].get("team") == "engineering", got


@pytest.mark.parametrize("text", ["won the lottery!!", "we won!!", "lost my keys again lol"])
def test_outcome_words_without_a_record_are_no_update(parse: ParseFn, text: str) -> None:
    assert parse(text)["intent"] == "unknown"


# a reminder's text said without "to": after the command, whom and the date
REMINDER_TEXTS = [
    ("nudge @ola re renewal deck wed", "renewal deck", "ola"),
    ("remind #sales-dach: pipeline review due fri", "pipeline review due", "#sales-dach"),
    ("reminder dec 4 quota plans", "quota plans", "me"),
]


@pytest.mark.parametrize(
    ("text", "said", "target"), REMINDER_TEXTS, ids=[r[0] for r in REMINDER_TEXTS]
)
def test_reminder_text_without_to(parse: ParseFn, text: str, said: str, target: str) -> None:
    check_parse(parse(text), "set_reminder", {"text": said, "target": target})


def test_reminder_about_a_customer_has_no_text(parse: ParseFn) -> None:
    got = parse("remind me about Globex on monday")
    check_parse(got, "set_reminder", {"customer": "Globex", "text": None, "when": "2026-11-30"})
