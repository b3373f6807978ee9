"""Known customers (a gazetteer) resolve names to ids; building it is cheap and replaceable."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

if TYPE_CHECKING:
    from intents.parser import Parser


NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))

CUSTOMERS = [
    (1, "Wonka Industries", ["Wonka", "WI"]),
    (2, "Acme Corporation", ["Acme"]),
    (3, "Globex", []),
    (4, "Northwind Traders", []),
    (5, "Pied Piper", ["piedpiper"]),
]


@pytest.fixture()
def gz_parser(parser: Parser) -> Iterator[Parser]:
    parser.set_gazetteer(CUSTOMERS)
    yield parser
    parser.set_gazetteer([])


def test_called_wonka(gz_parser: Parser) -> None:
    got = gz_parser.parse("called wonka", now=NOW)
    assert got["intent"] == "log_interaction"
    assert got["entities"]["customer"] == "wonka"
    assert got["entities"]["customer_id"] == 1
    assert got["entities"]["kind"] == "call"


@pytest.mark.parametrize(
    ("text", "customer", "cid"),
    [
        ("log call with Wonka Industries", "Wonka Industries", 1),
        ("what's up with ACME?", "ACME", 2),
        ("what's going on with acme corporation", "acme corporation", 2),
        ("Northwind is in negotiation", "Northwind", 4),
        ("tell me about pied piper", "pied piper", 5),
        ("remind me to email globex tomorrow", "globex", 3),
        ("had a demo with Priya at northwind traders", "northwind traders", 4),
    ],
)
def test_known_names(gz_parser: Parser, text: str, customer: str, cid: int) -> None:
    got = gz_parser.parse(text, now=NOW)
    assert got["entities"].get("customer") == customer, got
    assert got["entities"].get("customer_id") == cid, got


def test_fuzzy_typo(gz_parser: Parser) -> None:
    got = gz_parser.parse("log call with Globexx", now=NOW)
    assert got["entities"]["customer"] == "Globexx"
    assert got["entities"]["customer_id"] == 3


def test_unknown_name_has_no_id(gz_parser: Parser) -> None:
    got = gz_parser.parse("log call with Initech", now=NOW)
    assert got["entities"]["customer"] == "Initech"
    assert "customer_id" not in got["entities"]


def test_replace_gazetteer(parser: Parser) -> None:
    parser.set_gazetteer([(7, "Hooli", [])])
    assert parser.parse("log call with hooli", now=NOW)["entities"].get("customer_id") == 7
    parser.set_gazetteer([(8, "Hooli", [])])
    assert parser.parse("log call with hooli", now=NOW)["entities"].get("customer_id") == 8
    parser.set_gazetteer([])
    assert "customer_id" not in parser.parse("log call with hooli", now=NOW)["entities"]


def test_hundred_thousand_customers(parser: Parser) -> None:
    """A large gazetteer still resolves exact names, aliases and short forms (timing: bench/)."""
    customers = [(i, f"Company{i:06d} Holdings", [f"C{i:06d}"]) for i in range(100_000)]
    customers.append((100_001, "Wonka Industries", ["Wonka"]))
    parser.set_gazetteer(customers)
    try:
        got = parser.parse("called wonka about the renewal", now=NOW)
        assert got["entities"]["customer_id"] == 100_001
        got = parser.parse("log call with company004242 holdings", now=NOW)
        assert got["entities"]["customer_id"] == 4242
        got = parser.parse("what's going on with C000017?", now=NOW)
        assert got["entities"].get("customer_id") == 17, got
    finally:
        parser.set_gazetteer([])
