"""Every example of ../shared/INTENTS.md, verbatim (now = 2026-11-23, Europe/Berlin)."""

from __future__ import annotations

import pytest

EXAMPLES = [
    (
        "log call with Acme, follow up Friday",
        "log_interaction",
        {"kind": "call", "customer": "Acme", "follow_up": "2026-11-27"},
    ),
    ("log call with Acme", "log_interaction", {"kind": "call", "customer": "Acme"}),
    (
        "had a demo with Priya at Northwind yesterday",
        "log_interaction",
        {"kind": "demo", "contact": "Priya", "customer": "Northwind", "when": "2026-11-22"},
    ),
    ("what's going on with Globex?", "customer_history", {"customer": "Globex"}),
    (
        "new lead Sam Lee from Initech, sam@initech.io",
        "create_lead",
        {"contact": "Sam Lee", "customer": "Initech", "email": "sam@initech.io"},
    ),
    ("give Initech to @dana", "assign_lead", {"customer": "Initech", "assignee": "dana"}),
    (
        "new deal Umbrella 25k closing Dec 15",
        "create_deal",
        {"customer": "Umbrella", "amount": 25000, "close_date": "2026-12-15"},
    ),
    ("Acme is in negotiation", "update_deal", {"customer": "Acme", "stage": "negotiation"}),
    ("pipeline by stage", "pipeline_report", {"group_by": "stage"}),
    (
        "forecast for this quarter",
        "forecast",
        {"period": {"start": "2026-10-01", "end": "2026-12-31"}},
    ),
    (
        "remind me to send Globex the contract on Thursday",
        "set_reminder",
        {"customer": "Globex", "when": "2026-11-26", "target": "me"},
    ),
    (
        "alert #sales when pipeline drops below 200k",
        "set_alert",
        {"metric": "pipeline", "comparator": "<", "threshold": 200000, "target": "#sales"},
    ),
    ("which customers might churn?", "segment_customers", {"segment": "at_risk"}),
    ("tell me a joke", "unknown", {}),
]


@pytest.mark.parametrize(("text", "intent", "entities"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_contract_example(parse, text, intent, entities):
    got = parse(text)
    assert got["text"] == text
    assert got["intent"] == intent
    for key, value in entities.items():
        assert got["entities"].get(key) == value, (key, got)
    if intent == "unknown":
        assert got["entities"] == {}


def test_output_shape(parse):
    got = parse("log call with Acme")
    assert list(got) == ["text", "intent", "confidence", "entities"]
    assert isinstance(got["confidence"], float)
    assert 0.0 <= got["confidence"] <= 1.0
    assert got["confidence"] == round(got["confidence"], 3)
    assert all(v is not None for v in got["entities"].values())


def test_intents_tuple():
    from intents import INTENTS

    assert len(INTENTS) == 18
    assert INTENTS[-1] == "unknown"
    assert {"log_interaction", "help", "set_alert", "log_feedback"} <= set(INTENTS)
