"""Every example of ../shared/INTENTS.md, verbatim (now = 2026-11-23, Europe/Berlin)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.intents.checks import ParseFn

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
    (
        "which of my deals close next month?",
        "list_deals",
        {"owner": "me", "period": {"start": "2026-12-01", "end": "2026-12-31"}},
    ),
    ("done #90", "update_task", {"task_id": 90, "status": "done"}),
    (
        "snooze the Umbrella follow-up till Monday",
        "update_task",
        {"customer": "Umbrella", "when": "2026-11-30"},
    ),
    (
        "mark the Wei Cohen lead as contacted",
        "update_lead",
        {"contact": "Wei Cohen", "status": "contacted"},
    ),
    (
        "add Jane Roe to Acme as CFO, jane@acme.com",
        "save_contact",
        {"contact": "Jane Roe", "customer": "Acme", "title": "CFO", "email": "jane@acme.com"},
    ),
    (
        "merge Acme Inc into Acme Corp",
        "merge_customers",
        {"customer": "Acme Inc", "into": "Acme Corp"},
    ),
    ("open feedback for product", "list_feedback", {"team": "product", "status": "open"}),
]

COMPOUND = (
    "called umbrella, they agreed to 35k, move the deal to negotiation "
    "and remind me to send the contract tmrw"
)


@pytest.mark.parametrize(("text", "intent", "entities"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_contract_example(parse: ParseFn, text: str, intent: str, entities: dict[str, Any]) -> None:
    got = parse(text)
    assert got["text"] == text
    assert got["intent"] == intent
    for key, value in entities.items():
        assert got["entities"].get(key) == value, (key, got)
    if intent == "unknown":
        assert got["entities"] == {}


def test_output_shape(parse: ParseFn) -> None:
    got = parse("log call with Acme")
    assert list(got) == ["text", "intent", "confidence", "entities"]
    assert isinstance(got["confidence"], float)
    assert 0.0 <= got["confidence"] <= 1.0
    assert got["confidence"] == round(got["confidence"], 3)
    assert all(v is not None for v in got["entities"].values())


def test_intents_tuple() -> None:
    from intents import INTENTS

    assert len(INTENTS) == 24
    assert INTENTS[-1] == "unknown"
    assert {"log_interaction", "help", "set_alert", "log_feedback"} <= set(INTENTS)
    new = {"list_deals", "update_task", "update_lead", "save_contact", "merge_customers"}
    assert new | {"list_feedback"} <= set(INTENTS)


def test_compound_contract_example(parse: ParseFn) -> None:
    """The contract's `also` example: three asks, the customer carried over, amounts kept."""
    got = parse(COMPOUND)
    assert got["intent"] == "log_interaction", got
    assert got["entities"]["kind"] == "call"
    assert got["entities"]["customer"] == "umbrella"
    assert got["entities"]["summary"] == "they agreed to 35k"
    assert [a["intent"] for a in got["also"]] == ["update_deal", "set_reminder"], got
    deal, reminder = got["also"]
    assert deal["entities"]["customer"] == "umbrella"
    assert deal["entities"]["amount"] == 35000
    assert deal["entities"]["stage"] == "negotiation"
    assert reminder["entities"] == {
        "text": "send the contract",
        "when": "2026-11-24",
        "target": "me",
    }
    assert all(0.0 <= a["confidence"] <= 1.0 for a in got["also"])


def test_single_ask_has_no_also(parse: ParseFn) -> None:
    assert "also" not in parse("log call with Acme, follow up Friday")
    assert "also" not in parse("remind me to call Acme and send them the deck on Friday")
