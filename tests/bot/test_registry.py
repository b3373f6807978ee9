"""Every intent of the contract has a handler, a write is known as one everywhere, and every
write has the words the engine uses to confirm it."""

from __future__ import annotations

from bot.handlers import DESCRIPTIONS, HANDLERS, WRITES
from intents import INTENTS
from intents.registry import INTENT_KEYS


def test_one_handler_per_intent() -> None:
    assert set(HANDLERS) == set(INTENTS) == set(INTENT_KEYS)


def test_every_write_can_be_confirmed() -> None:
    assert WRITES <= set(INTENTS)
    assert set(WRITES) == set(DESCRIPTIONS)
    assert all(DESCRIPTIONS[name] for name in WRITES)
