"""Hostile or odd input: always a result (usually `unknown`), never an exception, and quick."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

if TYPE_CHECKING:
    from intents.parser import Parser


NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))

BAD = {
    "empty": "",
    "spaces": "   \t  ",
    "newlines": "\n\n\n",
    "huge": "log call with Acme " * 5600,  # ~100,000 characters
    "huge_one_word": "a" * 100_000,
    "huge_digits": "9" * 100_000,
    "control": "\x00\x01\x02log\x07 call\x1b[31m with \x7fAcme\x00",
    "only_control": "\x00\x01\x02\x03\x1b",
    "emoji_only": "🎉🔥👍😂🙏❤️",
    "german": "Wie ist das Wetter morgen in Berlin?",
    "french": "Bonjour, pouvez-vous m'aider avec ma facture ?",
    "chinese": "你好，请问今天天气怎么样？",
    "arabic": "مرحبا كيف حالك",
    "sql": "'; DROP TABLE customers; --",
    "sql2": "SELECT * FROM deals WHERE amount > 1000 UNION SELECT password FROM users",
    "html": "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "markdown": "**bold** _it_ `code` [link](http://x.y) > quote",
    "json": '{"intent": "create_deal", "amount": 1e309}',
    "lone_surrogate_like": "\ufffd\ufffe\uffff",
    "rtl_override": "\u202egnol\u202c call",
    "zero_width": "lo\u200bg ca\u200bll",
    "punctuation": "?!?!...,,,;;;:::",
    "numbers": "123 456 789 0.5 1e10 -4",
    "mentions_only": "<@U0BOT> <@U1234> @here #general",
    "slack_link": "<mailto:sam@acme.io|sam@acme.io> <https://example.com|link>",
    "very_long_token_dates": "Dec 15 " * 2000,
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_safe(parser: Parser, name: str) -> None:
    """Never raises, keeps the text, stays in the contract (its time is a bench/ figure)."""
    text = BAD[name]
    got = parser.parse(text, now=NOW)
    assert got["text"] == text
    assert got["intent"] in __import__("intents").INTENTS
    assert 0.0 <= got["confidence"] <= 1.0


@pytest.mark.parametrize(
    "name",
    [
        "empty",
        "spaces",
        "only_control",
        "emoji_only",
        "german",
        "french",
        "chinese",
        "arabic",
        "sql",
        "sql2",
        "html",
        "json",
        "punctuation",
        "numbers",
        "mentions_only",
    ],
)
def test_bad_input_is_unknown(parser: Parser, name: str) -> None:
    got = parser.parse(BAD[name], now=NOW)
    assert got["intent"] == "unknown", got
    assert got["entities"] == {}


def test_control_characters_do_not_hide_the_command(parser: Parser) -> None:
    got = parser.parse(BAD["control"], now=NOW)
    assert got["intent"] == "log_interaction"


def test_non_string_input_in_batches(parser: Parser) -> None:
    got = list(parser.parse_many(["", None, "log call with Acme"], now=NOW))  # type: ignore[list-item]
    assert [g["intent"] for g in got] == ["unknown", "unknown", "log_interaction"]
