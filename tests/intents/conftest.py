from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)  # a Monday


@pytest.fixture(autouse=True)
def _berlin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMBOT_TIMEZONE", "Europe/Berlin")


@pytest.fixture(scope="session")
def parser():
    from intents import Parser

    p = Parser.load()
    p.raise_errors = True
    return p


@pytest.fixture()
def parse(parser):
    def _parse(text: str, now: datetime = NOW) -> dict:
        return parser.parse(text, now=now)

    return _parse
