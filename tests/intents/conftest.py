from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest

from tests.intents.checks import ParseFn

if TYPE_CHECKING:
    from intents.parser import Parser, ParseResult


BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)  # a Monday


@pytest.fixture(autouse=True)
def _berlin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMBOT_TIMEZONE", "Europe/Berlin")


@pytest.fixture(scope="session")
def parser() -> Parser:
    from intents import Parser

    p = Parser.load()
    p.raise_errors = True
    return p


@pytest.fixture()
def parse(parser: Parser) -> ParseFn:
    def _parse(text: str, now: datetime = NOW) -> ParseResult:
        return parser.parse(text, now=now)

    return _parse
