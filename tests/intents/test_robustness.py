"""Typos, abbreviations, casing, politeness and rambling (fresh phrasings, not in the data)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.intents.checks import ParseFn

CASES = [
    ("LOG CALL WITH ACME", "log_interaction", {"kind": "call", "customer": "ACME"}),
    ("log a calll with acme", "log_interaction", {"kind": "call", "customer": "acme"}),
    ("lgo mtg w/ globex", "log_interaction", {"kind": "meeting", "customer": "globex"}),
    (
        "had a meetng with initech yesterday",
        "log_interaction",
        {"kind": "meeting", "customer": "initech", "when": "2026-11-22"},
    ),
    (
        "calld hooli about the contract",
        "log_interaction",
        {"kind": "call", "customer": "hooli", "summary": "the contract"},
    ),
    ("wats up with umbrella", "customer_history", {"customer": "umbrella"}),
    ("new lead sam lee frm initech", "create_lead", {"contact": "sam lee", "customer": "initech"}),
    ("asign initech to @dana", "assign_lead", {"customer": "initech", "assignee": "dana"}),
    (
        "nwe deal umbrella 25k closing dec 15",
        "create_deal",
        {"customer": "umbrella", "amount": 25000, "close_date": "2026-12-15"},
    ),
    ("acme is in negociation", "update_deal", {"customer": "acme", "stage": "negotiation"}),
    ("piepline by stage", "pipeline_report", {"group_by": "stage"}),
    (
        "forcast for this quarter",
        "forecast",
        {"period": {"start": "2026-10-01", "end": "2026-12-31"}},
    ),
    (
        "remnd me to send globex the contract on thursday",
        "set_reminder",
        {
            "customer": "globex",
            "when": "2026-11-26",
            "target": "me",
            "text": "send globex the contract",
        },
    ),
    (
        "alrt #sales when pipeline drops below 200k",
        "set_alert",
        {"target": "#sales", "metric": "pipeline", "comparator": "<", "threshold": 200000},
    ),
    ("which custmers might churn?", "segment_customers", {"segment": "at_risk"}),
    (
        "Hi! Sorry to bother you, but could you possibly tell me what's going on with "
        "the Globex account? Thanks a lot :)",
        "customer_history",
        {"customer": "Globex"},
    ),
    (
        "So the Initech deal - we finally closed it!! 🎉🎉 mark it won",
        "update_deal",
        {"customer": "Initech", "stage": "won"},
    ),
    (
        "Can you create a new deal for Hooli for about $45k "
        "that should close by the end of the quarter?",
        "create_deal",
        {"customer": "Hooli", "amount": 45000, "close_date": "2026-12-31"},
    ),
    (
        "I need to remember to call Acme tomorrow at 3pm, can you remind me?",
        "set_reminder",
        {
            "customer": "Acme",
            "when": "2026-11-24T15:00:00+01:00",
            "target": "me",
            "text": "call Acme",
        },
    ),
    (
        "Hey, please give the new Stark lead to <@U02AB3CD>, thanks!",
        "assign_lead",
        {"customer": "Stark", "assignee": "U02AB3CD"},
    ),
    (
        "Could you let me know when our pipeline goes under 100k?",
        "set_alert",
        {"target": "me", "metric": "pipeline", "comparator": "<", "threshold": 100000},
    ),
    (
        "remind me in 2 hours to call Acme",
        "set_reminder",
        {"when": "2026-11-23T12:00:00+01:00", "text": "call Acme"},
    ),
    (
        "ok so after a crazy morning @crmbot heads up to #revenue "
        "whenever the forecast falls below 1.5M",
        "set_alert",
        {"target": "#revenue", "metric": "forecast", "comparator": "<", "threshold": 1500000},
    ),
    (
        "<@U0BOT> can you nudge @noor on Friday to ping Globex about the renewal",
        "set_reminder",
        {"target": "noor", "when": "2026-11-27", "text": "ping Globex about the renewal"},
    ),
    (
        "quick note: Hooli wants to pause until January",
        "log_interaction",
        {"kind": "note", "customer": "Hooli"},
    ),
    (
        "Acme asked if we can support SAML, can you pass that to engineering?",
        "log_feedback",
        {"customer": "Acme", "team": "engineering"},
    ),
]


@pytest.mark.parametrize(("text", "intent", "entities"), CASES, ids=[c[0][:40] for c in CASES])
def test_fresh_phrasing(parse: ParseFn, text: str, intent: str, entities: dict[str, Any]) -> None:
    got = parse(text)
    assert got["intent"] == intent, got
    for key, value in entities.items():
        assert got["entities"].get(key) == value, (key, got)
