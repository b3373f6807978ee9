"""A name said once carries over to a later ask that needs it: always to a write about the
record, and to a reminder or a deal list only when it points back at the customer ("them",
"their"), not at a person ("remind her") (now = Monday 2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn

# (message, the later ask's intent, its customer or None)
CARRIED = [
    ("demo at Quayside Optics went well, remind me friday to send them the quote",
     "set_reminder", "Quayside Optics"),
    ("who owns Larchmont Tiles? and what deals do they have open", "list_deals",
     "Larchmont Tiles"),
    ("called Quayside Optics, remind me friday to book the dentist", "set_reminder", None),
    ("give the Larchmont Tiles lead to Ines and remind her monday to call", "set_reminder", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "customer"), CARRIED)
def test_a_name_carries_over_where_it_is_pointed_at(
    parse: ParseFn, text: str, intent: str, customer: str | None
) -> None:
    got = parse(text)
    later = [a for a in got.get("also", []) if a["intent"] == intent]
    assert later, got
    assert later[0]["entities"].get("customer") == customer, got


# a name said first, then the ask: the name is the ask's, not a question of its own
NAME_FIRST = [
    ("Fenwick & Moss - remind me thurs to chase the signed terms", "set_reminder",
     {"customer": "Fenwick & Moss", "text": "chase the signed terms"}),
    ("Larchmont Tiles: remind me friday to send the deck", "set_reminder",
     {"customer": "Larchmont Tiles", "text": "send the deck"}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "entities"), NAME_FIRST)
def test_a_name_said_first_belongs_to_the_ask(
    parse: ParseFn, text: str, intent: str, entities: dict[str, str]
) -> None:
    got = parse(text)
    assert got["intent"] == intent and "also" not in got, got
    for key, value in entities.items():
        assert got["entities"].get(key) == value, got
