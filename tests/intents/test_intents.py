"""At least a few fresh phrasings per intent (none of them is in the training data verbatim)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from tests.intents.checks import ParseFn

if TYPE_CHECKING:
    from intents.parser import Parser


NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))

CASES = {
    "log_interaction": [
        "log call with Acme",
        "just phoned Globex about the renewal",
        "had a meeting with Hooli today",
        "lgo call w/ acme",
    ],
    "customer_history": [
        "<@U0BOT> what's up with Globex?",
        "tell me about Initech",
        "show me the history for Hooli",
    ],
    "create_lead": [
        "new lead Sam Lee from Initech",
        "add a lead for Stark Industries",
        "create lead Dana Scully, dana@fbi.gov",
    ],
    "assign_lead": [
        "give Initech to @dana",
        "assign the Globex lead to <@U02AB3CD>",
        "distribute unassigned leads round robin",
    ],
    "list_leads": ["show my leads", "list new leads", "which leads does @dana have"],
    "create_deal": [
        "new deal Umbrella 25k closing Dec 15",
        "create an opportunity for Acme worth 50k",
    ],
    "update_deal": [
        "Acme is in negotiation",
        "Hooli deal won!! 🎉",
        "set Globex probability to 70%",
        "mark Initech as lost",
    ],
    "pipeline_report": ["pipeline by stage", "show my pipeline", "pipeline for this quarter"],
    "forecast": [
        "forecast for this quarter",
        "what's the forecast for Q1",
        "weighted forecast next month",
    ],
    "set_reminder": [
        "remind me to send Globex the contract on Thursday",
        "remind me tomorrow to call Acme",
        "set a reminder to update the forecast Friday",
    ],
    "list_tasks": ["what's on my plate today", "show my follow-ups", "what's due this week"],
    "set_alert": [
        "alert #sales when pipeline drops below 200k",
        "notify me if forecast goes above 1M",
        "alert me when a deal goes stale for 30 days",
    ],
    "create_campaign": [
        "plan a campaign for at-risk customers by email",
        "create an sms campaign for loyal customers",
    ],
    "segment_customers": [
        "which customers might churn?",
        "show top customers",
        "list dormant accounts",
    ],
    "rep_performance": [
        "how are the reps doing",
        "leaderboard this month",
        "how is @dana doing this quarter",
    ],
    "log_feedback": [
        "Acme wants SSO, tell product",
        "feedback from Globex: better reporting",
        "tell support that Hooli complained about slow replies",
    ],
    "help": ["help", "what can you do?", "how do I log a call?"],
    "unknown": [
        "tell me a joke",
        "what's the weather in Paris",
        "good morning",
        "order a pizza",
        "Wie spät ist es?",
        "¿Qué tal?",
        "SELECT * FROM users;",
        "<b>hi</b>",
        "🎉🎉",
    ],
}


@pytest.mark.parametrize(("intent", "text"), [(i, t) for i, ts in CASES.items() for t in ts])
def test_intent(parse: ParseFn, intent: str, text: str) -> None:
    got = parse(text)
    assert got["intent"] == intent, got


def test_confidence_orders(parse: ParseFn) -> None:
    """A clear command is more confident than chatter that was mapped to `unknown`."""
    clear = parse("log call with Acme")["confidence"]
    assert clear >= 0.8


def test_threshold_means_unknown(parser: Parser) -> None:
    old = parser.intent_threshold
    try:
        parser.intent_threshold = 1.01  # nothing can pass
        assert parser.parse("log call with Acme", now=NOW)["intent"] == "unknown"
        parser.intent_threshold = 0.0
        assert parser.parse("log call with Acme", now=NOW)["intent"] == "log_interaction"
    finally:
        parser.intent_threshold = old


def test_write_intent_never_guessed(parse: ParseFn) -> None:
    # chatter that shares words with a write intent must not become that write
    for text in [
        "call of duty is fun",
        "I lost my keys",
        "the meeting room is cold",
        "we won the football game lol",
        "won the lottery!!",
        "I called my mom yesterday",
        "note to self: buy milk",
        "my lead guitar broke",
    ]:
        assert parse(text)["intent"] in ("unknown", "help"), text


def test_parse_many_matches_parse(parser: Parser) -> None:
    texts = [t for ts in CASES.values() for t in ts]
    many = list(parser.parse_many(texts, now=NOW, batch_size=7))
    assert many == [parser.parse(t, now=NOW) for t in texts]
