"""Filling a missing entity from the person's answer to the bot's question."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.answers import is_none_of_these, normal, pick, pick_by_words
from bot.context import NEW_CUSTOMER, TYPED_CUSTOMER
from bot.flow import Pending
from intents.dates import resolve_date, resolve_period, to_iso
from intents.extract import parse_amount

CLOSED = {
    "kind": ["call", "email", "meeting", "demo", "note", "message"],
    "stage": ["prospecting", "qualification", "proposal", "negotiation", "won", "lost"],
    "segment": ["top", "at_risk", "loyal", "potential", "dormant", "new"],
    "metric": ["pipeline", "forecast", "won", "stale_days", "deal_amount"],
    "strategy": ["round_robin", "least_loaded", "territory"],
}
COMPARATOR_WORDS = {
    "<": {"below", "under", "less", "lower", "drops", "<"},
    ">": {"above", "over", "more", "higher", "exceeds", ">"},
}
FREE_TEXT = {"text", "summary", "contact", "name", "reason", "title"}
# Answers to "done, cancelled, or moved to when?" (tasks) and "contacted, qualified...?" (leads).
STATUS_WORDS = {
    "done": "done",
    "did it": "done",
    "finished": "done",
    "complete": "done",
    "completed": "done",
    "cancel it": "cancelled",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "new": "new",
    "contacted": "contacted",
    "qualified": "qualified",
    "disqualified": "disqualified",
    "disqualify": "disqualified",
    "convert": "converted",
    "convert it": "converted",
    "converted": "converted",
}
# "When will it close?" may be answered with "no idea": the deal is then kept without one.
NO_DATE = {"no date", "none", "no idea", "not sure", "unknown", "dont know", "tbd", "no close date"}
SKIPPED = "skipped"  # the value a skipped optional date question leaves in its slot
NEGATIVE = re.compile(r"(?:^|\s)(?:-\s*[$€£]?\d|minus\b|negative\b)", re.I)
LEADING = re.compile(r"^(?:with|at|for|to|from|it's|its|it is|the|customer|company)\s+", re.I)


def fill(pending: Pending, answer: str, parsed: dict[str, Any], now: datetime) -> bool:
    """Put the answer into `pending.entities`; False when it does not answer the question."""
    slot = pending.slot or ""
    entities = pending.entities
    found = parsed.get("entities", {})
    if pending.choices:
        index = pick(answer, len(pending.choices))
        wanted = normal(answer)
        if index is None:
            labels = [normal(c["label"]) for c in pending.choices]
            matches = [i for i, label in enumerate(labels) if label == wanted] or [
                i for i, label in enumerate(labels) if wanted and label.startswith(wanted)
            ]
            index = matches[0] + 1 if len(matches) == 1 else None
        if index is None:
            labels = [c["label"] for c in pending.choices]
            amount = found.get("amount") or parse_amount(answer)
            index = pick_by_words(
                answer, labels, amount if isinstance(amount, int | float) else None
            )
        if index is not None:
            entities[slot] = pending.choices[index - 1]["value"]
            return True
        if slot == "customer_id" and is_none_of_these(answer) and entities.get(TYPED_CUSTOMER):
            entities["customer"] = entities[TYPED_CUSTOMER]
            entities[NEW_CUSTOMER] = True
            return True
        if slot == "customer_id":  # typed another name instead of choosing
            entities["customer"] = found.get("customer") or LEADING.sub("", answer.strip())
            entities.pop("customer_id", None)
            return True
        if slot not in CLOSED and slot != "comparator":
            return False
    text = answer.strip()
    if slot == "customer":
        entities["customer"] = found.get("customer") or LEADING.sub("", text).strip(" ?.!")
        entities.pop("customer_id", None)
        return bool(entities["customer"])
    if slot in FREE_TEXT:
        entities[slot] = text
        return bool(text)
    if slot in ("amount", "threshold"):
        value = found.get(slot) or found.get("amount") or found.get("threshold")
        if value is None:
            value = parse_amount(text)
        if value is None:
            return False
        if NEGATIVE.search(text):  # keep the sign: the core refuses it with the reason
            value = -abs(value)
        entities[slot] = value
        return True
    if slot == "status":
        value = found.get("status") or STATUS_WORDS.get(normal(text).strip(" .!"))
        if value:
            entities["status"] = value
            return True
        day = found.get("when") or resolve_date(text, now, prefer="future")
        if day is None:
            return False
        entities["when"] = day if isinstance(day, str) else to_iso(day)
        return True
    if slot == "close_date" and normal(text).strip(" .!").replace("'", "") in NO_DATE:
        entities[slot] = SKIPPED
        return True
    if slot in ("when", "follow_up", "close_date"):
        value = resolve_date(text, now, prefer="future")
        if value is None:
            return False
        entities[slot] = to_iso(value)[:10] if slot == "close_date" else to_iso(value)
        return True
    if slot == "period":
        period = resolve_period(text, now)
        if period is None:
            return False
        entities["period"] = {"start": period[0].isoformat(), "end": period[1].isoformat()}
        return True
    if slot == "comparator":
        words = set(normal(text).split())
        for symbol, vocabulary in COMPARATOR_WORDS.items():
            if words & vocabulary:
                entities["comparator"] = symbol
                return True
        return False
    if slot in CLOSED:
        value = found.get(slot) or normal(text).replace(" ", "_")
        if value in CLOSED[slot]:
            entities[slot] = value
            if slot == "stage":  # "what changed?" may also be answered with an amount
                for key in ("amount", "close_date", "probability"):
                    if key in found:
                        entities[key] = found[key]
            return True
        if slot == "stage" and any(k in found for k in ("amount", "close_date", "probability")):
            for key in ("amount", "close_date", "probability"):
                if key in found:
                    entities[key] = found[key]
            return True
        return False
    if slot in ("assignee", "owner", "target", "team"):
        value = found.get(slot) or text.lstrip("@").strip()
        entities[slot] = value.lower() if slot == "team" else value
        return bool(value)
    entities[slot] = text
    return bool(text)
