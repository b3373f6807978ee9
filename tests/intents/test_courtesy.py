"""A formal writer's courtesy before the ask ("Please kindly tell me ...", "I would like to
kindly request to ...", "Kindly remind ...") does not hide the ask; chatter with the same
courtesy stays chatter (now = Monday 2026-11-23 10:00, Berlin)."""

from __future__ import annotations

import pytest

from tests.intents.checks import ParseFn, check_parse

ASKS = [
    ("Please kindly tell me the weighted forecast of Q1.", "forecast",
     {"period": {"start": "2027-01-01", "end": "2027-03-31"}}),
    ("Kindly remind Ueda-san to prepare the customs papers for Hakata-Lisbon Shipping B.V. by "
     "Friday.", "set_reminder", {"target": "Ueda-san", "when": "2026-11-27"}),
    ("Please convert 500 dollars to yen", "unknown", {}),
    ("could you tell me a joke", "unknown", {}),
    ("please tell me you brought the donuts", "unknown", {}),
    ("I would like to know if anyone has a spare phone charger", "unknown", {}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "entities"), ASKS)
def test_the_ask_behind_a_courtesy(parse: ParseFn, text: str, intent: str, entities: dict) -> None:
    check_parse(parse(text), intent, entities)
