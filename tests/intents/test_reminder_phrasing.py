"""How "remind" is meant (now = Monday 2026-11-23 10:00, Berlin): "remind me who/what ..." asks
the question; "remind me never to ... again" is a sigh, no reminder; "I need a reminder ..."
asks for a reminder however the rest of the sentence reads."""

from __future__ import annotations

from typing import Any

import pytest

from tests.intents.checks import ParseFn, check_parse

CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("remind me who owns Halcyon Optics?", "customer_history", {"customer": "Halcyon Optics"}),
    ("can you remind me what's going on with Brightlane Foods", "customer_history", {}),
    ("remind me never to take a 7am call again", "unknown", {}),
    ("Remind me never to promise a demo on a Monday, lol", "unknown", {}),
    (
        "I need a reminder on Thursday to send Orchard Lane the renewal quote",
        "set_reminder",
        {"when": "2026-11-26", "target": "me"},
    ),
    ("I'd like a quick reminder tomorrow to call the accountant", "set_reminder", {}),
    # still a reminder, or still about one
    ("remind me to ask Dario what the budget is", "set_reminder", {}),
    ("cancel the reminder about the Orchard Lane quote", "update_task", {}),
]


@pytest.mark.parametrize("text, intent, entities", CASES)
def test_what_remind_means(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)
