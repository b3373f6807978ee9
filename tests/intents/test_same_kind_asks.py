"""Two asks of one kind in one message (now = Monday 2026-11-23 10:00, Berlin): each names its
own record, by number or by what to do, so each is an ask of its own; a second clause about
the same record stays in the first ask. A later ask said to be at "the same day" takes the
earlier ask's time."""

from __future__ import annotations

from typing import Any

import pytest

from tests.intents.checks import ParseFn

CASES: list[tuple[str, list[tuple[str, dict[str, Any]]]]] = [
    (
        "close task 17 and push task 18 to Thursday",
        [
            ("update_task", {"task_id": 17, "status": "done"}),
            ("update_task", {"task_id": 18, "when": "2026-11-26"}),
        ],
    ),
    (
        "drop task 204, then mark task 209 as done",
        [
            ("update_task", {"task_id": 204, "status": "cancelled"}),
            ("update_task", {"task_id": 209, "status": "done"}),
        ],
    ),
    (
        "remind me on Friday to renew the Kessler quote, and remind me to book the venue",
        [
            ("set_reminder", {"text": "renew the Kessler quote", "when": "2026-11-27"}),
            ("set_reminder", {"text": "book the venue"}),
        ],
    ),
    (
        "remind me Thursday to chase the PO, and remind me the same day to call the printer",
        [
            ("set_reminder", {"text": "chase the PO", "when": "2026-11-26"}),
            ("set_reminder", {"text": "call the printer", "when": "2026-11-26"}),
        ],
    ),
]
# one ask: the second clause is about the same record, or goes on with the same reminder
ONE_ASK = [
    "mark deal 55 as won, and set it to 40k",
    "remind me tomorrow to call Acme and to send the deck",
    "close task 17, it's done",
]


@pytest.mark.parametrize("text, asks", CASES)
def test_two_asks_of_one_kind(parse: ParseFn, text: str, asks: list[tuple[str, dict]]) -> None:
    got = parse(text)
    parts = [(got["intent"], got["entities"])] + [
        (a["intent"], a["entities"]) for a in got.get("also", [])
    ]
    assert [intent for intent, _ in parts] == [intent for intent, _ in asks], got
    for (_, entities), (_, wanted) in zip(parts, asks, strict=True):
        assert {k: entities.get(k) for k in wanted} == wanted, got


@pytest.mark.parametrize("text", ONE_ASK)
def test_one_record_is_one_ask(parse: ParseFn, text: str) -> None:
    assert "also" not in parse(text), parse(text)
