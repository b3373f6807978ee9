"""Money in replies: a pipeline in several currencies says what it did with them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from crm_core.models import Customer
from crm_core.services import deals
from crm_core.services.context import Actor
from tests.bot.conftest import TestBot


def _deals(bot: TestBot, team: dict[str, int]) -> None:
    system = Actor.system("tests")
    with bot.db() as s:
        customer_ids = list(s.scalars(select(Customer.id).order_by(Customer.id)))
        for customer_id, amount, currency in [
            (customer_ids[0], "120000", "USD"),
            (customer_ids[1], "40000", "EUR"),
            (customer_ids[2], "5000.50", "GBP"),
        ]:
            deals.create_deal(
                session=s,
                actor=system,
                customer_id=customer_id,
                amount=amount,
                currency=currency,
                probability="0.5",
                owner_id=team["alex"],
                close_date=date(2026, 12, 15),
            )


@pytest.fixture(autouse=True)
def _no_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRMBOT_FX_RATES", raising=False)
    monkeypatch.delenv("CRMBOT_CURRENCY", raising=False)


def test_currencies_without_a_rate_are_named_not_added(
    testbot: TestBot, team: dict[str, int]
) -> None:
    _deals(testbot, team)
    out = testbot.say("pipeline by stage")
    assert out.startswith(
        "Your open pipeline: $120,000 in 1 deal ($60,000 weighted). "
        "Not included: 2 deals in €40,000 + £5,000.50 (no rate set in CRMBOT_FX_RATES)."
    )
    fc = testbot.say("forecast for this quarter")
    assert "$60,000" in fc and "Not included: 2 deals in €20,000 + £2,500.25" in fc


def test_currencies_converted_at_the_teams_rates(
    testbot: TestBot, team: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMBOT_FX_RATES", "EUR=1.08,GBP=1.27")
    _deals(testbot, team)
    out = testbot.say("pipeline by stage")
    # 120,000 + 43,200 + 6,350.635 -> $169,550.64; half of it weighted, rounded once.
    assert out.startswith(
        "Your open pipeline: $169,550.64 in 3 deals ($84,775.32 weighted). "
        "Other currencies converted to USD at your rates."
    )
