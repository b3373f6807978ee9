"""Help shows only examples that work as written: each parses back to its own intent."""

from __future__ import annotations

import pytest

from intents.registry import SPECS, WRITE_INTENTS
from tests.intents.checks import ParseFn

SHOWN = [(spec.name, e) for spec in SPECS for e in spec.examples]


def test_every_write_has_a_help_example() -> None:
    assert WRITE_INTENTS <= {name for name, _ in SHOWN}


@pytest.mark.parametrize(("intent", "example"), SHOWN, ids=[e for _, e in SHOWN])
def test_help_example_parses_as_its_intent(parse: ParseFn, intent: str, example: str) -> None:
    assert parse(example)["intent"] == intent
