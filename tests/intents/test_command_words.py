"""A closed command word that opens a message says the intent, however the classifier weighs
the rest of it (intents.registry: Intent.commands); the same word inside a sentence does not."""

from __future__ import annotations

import pytest

from intents.registry import COMMANDS
from tests.intents.checks import ParseFn, check_parse

CASES = [
    ("disqualify pinecrest supply co, they picked a local vendor", "update_lead",
     {"status": "disqualified", "customer": "pinecrest supply co"}),
    ("pls dq Marlow Optics - budget frozen till 2028", "update_lead",
     {"status": "disqualified", "customer": "Marlow Optics"}),
    ("disqualification rules for the olympics?", "unknown", {}),
    # a log said by how it went, however many of its words are names nobody knows
    ("lvm for Teodora Vasquez at Cerro Azul Mineria, re the renewal", "log_interaction",
     {"kind": "call", "customer": "Cerro Azul Mineria", "contact": "Teodora Vasquez"}),
    ("voicemail for ximena okonkwo-brandt at tlaquepaque ceramica again", "log_interaction",
     {"kind": "call"}),
    ("dm'd Wren Ashby at Foxglove Analytics on linkedin about the pilot", "log_interaction",
     {"customer": "Foxglove Analytics", "contact": "Wren Ashby"}),
    ("left vm for birch hollow landscaping", "log_interaction",
     {"kind": "call", "customer": "birch hollow landscaping"}),
    ("whatsapp from Teo (Caffè Orvieto): the order arrived, two cases damaged", "log_interaction",
     {"customer": "Caffè Orvieto", "contact": "Teo"}),
    ("Note: Marlow Bistro always pays late, two invoices open", "log_interaction",
     {"kind": "note", "customer": "Marlow Bistro"}),
    # ... but says whom it was with: without anyone, no log
    ("note to self: buy milk", "unknown", {}),
    ("texted my brother about the match lol", "unknown", {}),
    ("voicemail box is full again", "unknown", {}),
]  # fmt: skip


@pytest.mark.parametrize(("text", "intent", "entities"), CASES)
def test_an_opening_command_word_says_the_intent(
    parse: ParseFn, text: str, intent: str, entities: dict
) -> None:
    check_parse(parse(text), intent, entities)


@pytest.mark.parametrize(("word", "intent"), sorted(COMMANDS.items()))
def test_every_command_word_opens_its_intent(parse: ParseFn, word: str, intent: str) -> None:
    assert parse(f"{word} Harbor Labs, too small for us")["intent"] == intent
