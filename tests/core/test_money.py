"""Money exact end to end (crm_core.money): SQL sums against Decimal arithmetic on both
engines, each deal's currency kept apart or converted at the team's rates, babel formatting."""

from __future__ import annotations

import random
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy.orm import Session

from crm_core.models import Deal
from crm_core.models.enums import OPEN_STAGES, Stage
from crm_core.money import (
    convert,
    deal_total,
    format_compact,
    format_money,
    format_totals,
    fx_rates,
    team_currency,
)
from crm_core.services import reports
from crm_core.services.deal_lists import undated_open_deals
from crm_core.settings import ConfigError
from tests.factories import Factory

CENT = Decimal("0.01")
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture(autouse=True)
def _team_currency(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test states its rates; the developer's environment never leaks in."""
    monkeypatch.delenv("CRMBOT_FX_RATES", raising=False)
    monkeypatch.delenv("CRMBOT_CURRENCY", raising=False)


def _random_pipeline(make: Factory, seed: int, n: int, top: int) -> tuple[Decimal, Decimal]:
    """n open USD deals with cents (up to `top` cents), spread over owners, regions and months;
    returns the exact (amount, weighted) totals by Decimal arithmetic."""
    rng = random.Random(seed)
    owners = [make.user(f"rep{i}") for i in range(3)]
    customers = [
        make.customer(f"Customer {i}", region=rng.choice(["east", "west", None])) for i in range(6)
    ]
    amount_total = Decimal("0.00")
    weighted_total = Decimal("0")
    for _ in range(n):
        amount = Decimal(rng.randint(1, top)) / 100
        probability = Decimal(rng.randint(0, 10_000)) / 10_000
        make.deal(
            rng.choice(customers),
            amount,
            stage=rng.choice(OPEN_STAGES).value,
            probability=probability,
            owner_id=rng.choice(owners).id,
            close_date=rng.choice([None, date(2026, rng.randint(1, 12), rng.randint(1, 28))]),
        )
        amount_total += amount
        weighted_total += amount * probability
    return amount_total, weighted_total.quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(
    "seed, top",
    [
        (1, 99_999_999),
        # Up to NUMERIC(14,2)'s largest: float sums of these miss the cent (the old bug), and
        # cents x basis points of one deal near 10**18 would overflow a plain integer SUM.
        (2, 99_999_999_999_999),
    ],
)
def test_sums_equal_decimal_arithmetic_by_every_grouping(
    session: Session, make: Factory, seed: int, top: int
) -> None:
    amount, weighted = _random_pipeline(make, seed, 120, top)
    for group_by in reports.GROUPS:
        report = reports.pipeline_report(session, group_by=group_by)
        assert report.amount == amount, group_by
        assert report.weighted == weighted, group_by
        # The rows add up to the total to the cent (amounts are exact, never rounded).
        assert sum((r.amount for r in report.rows), Decimal("0.00")) == amount, group_by
        assert report.count == 120
        assert not report.converted and not report.unconverted
    open_deals = Deal.stage.in_([s.value for s in OPEN_STAGES])
    assert deal_total(session, open_deals) == amount


def test_forecast_weighted_is_exact(session: Session, make: Factory) -> None:
    rng = random.Random(7)
    acme = make.customer("Acme")
    expected = Decimal("0")
    won = Decimal("0.00")
    for i in range(60):
        amount = Decimal(rng.randint(1, 9_999_999)) / 100
        probability = Decimal(rng.randint(0, 10_000)) / 10_000
        stage = Stage.WON if i % 5 == 0 else rng.choice(OPEN_STAGES)
        make.deal(
            acme,
            amount,
            stage=stage.value,
            probability=probability,
            close_date=date(2026, 11, rng.randint(1, 28)),
        )
        if stage is Stage.WON:
            won += amount
            expected += amount
        else:
            expected += amount * probability
    fc = reports.forecast(session, period=YEAR)
    assert fc.won == won
    assert fc.weighted == expected.quantize(CENT, rounding=ROUND_HALF_UP)
    assert fc.open_weighted == fc.weighted - fc.won


def _mixed(make: Factory) -> None:
    acme = make.customer("Acme", region="east")
    make.deal(acme, "120000", currency="USD", probability="0.5")
    make.deal(acme, "40000", currency="EUR", probability="0.25")
    make.deal(acme, "10000.50", currency="GBP", probability="1")


def test_mixed_currencies_are_never_added_without_a_rate(session: Session, make: Factory) -> None:
    _mixed(make)
    report = reports.pipeline_report(session, group_by="owner")
    assert report.amount == Decimal("120000.00")
    assert report.weighted == Decimal("60000.00")
    assert report.count == 1
    assert report.unconverted == {"EUR": Decimal("40000.00"), "GBP": Decimal("10000.50")}
    assert report.unconverted_count == 2
    assert not report.converted
    assert format_totals(report.unconverted) == "€40,000 + £10,000.50"


def test_mixed_currencies_converted_at_the_configured_rates(
    session: Session, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMBOT_FX_RATES", "EUR=1.08, gbp=1.27")
    _mixed(make)
    for group_by in reports.GROUPS:
        report = reports.pipeline_report(session, group_by=group_by)
        # 120,000 + 40,000 x 1.08 + 10,000.50 x 1.27 = 175,900.635 -> 175,900.64
        assert report.amount == Decimal("175900.64"), group_by
        # 60,000 + 10,000 x 1.08 + 10,000.50 x 1.27 = 83,500.635 -> 83,500.64
        assert report.weighted == Decimal("83500.64"), group_by
        assert report.converted and not report.unconverted
        assert report.count == 3


def test_team_currency_and_partial_rates(
    session: Session, make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRMBOT_CURRENCY", "eur")
    monkeypatch.setenv("CRMBOT_FX_RATES", "USD=0.5")
    _mixed(make)
    report = reports.pipeline_report(session)
    assert report.currency == "EUR"
    assert report.amount == Decimal("100000.00")  # 40,000 EUR + 120,000 USD x 0.5
    assert report.unconverted == {"GBP": Decimal("10000.50")}
    count, amount = undated_open_deals(session, None)
    assert (count, amount) == (3, Decimal("100000.00"))


@pytest.mark.parametrize(
    "setting", ["EUR", "EUR=", "EUR=abc", "EURO=1.1", "EUR=-1", "EUR=0", "EUR=nan"]
)
def test_bad_rates_are_refused(monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    monkeypatch.setenv("CRMBOT_FX_RATES", setting)
    with pytest.raises(ConfigError, match="CRMBOT_FX_RATES"):
        fx_rates()


def test_bad_currency_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRMBOT_CURRENCY", "dollars")
    with pytest.raises(ConfigError, match="CRMBOT_CURRENCY"):
        team_currency()


def test_convert_rounds_once_at_the_end() -> None:
    # Three thirds of a cent each would round to 0.00 one by one; together they are 0.01.
    rates = {"EUR": Decimal("0.003333"), "GBP": Decimal("0.003334")}
    total = convert(
        {"USD": Decimal("0"), "EUR": Decimal("1.00"), "GBP": Decimal("1.00")},
        currency="USD",
        rates=rates,
    )
    assert total.amount == Decimal("0.01")
    assert total.converted


@pytest.mark.parametrize(
    "amount, currency, shown",
    [
        (Decimal("40000"), "USD", "$40,000"),
        (Decimal("-1234"), "USD", "-$1,234"),
        (Decimal("1234.5"), "USD", "$1,234.50"),
        (Decimal("0"), "USD", "$0"),
        (None, "USD", "$0"),
        (Decimal("40000"), "EUR", "€40,000"),
        (Decimal("-99.99"), "GBP", "-£99.99"),
        (Decimal("100"), "CHF", "100 CHF"),
        (Decimal("1500000"), "JPY", "¥1,500,000"),
    ],
)
def test_money_reads_the_usual_way(amount: Decimal | None, currency: str, shown: str) -> None:
    assert format_money(amount, currency) == shown


@pytest.mark.parametrize(
    "amount, shown",
    [
        (0, "$0"),
        (250, "$250"),
        (500_000, "$500K"),
        (1_000_000, "$1M"),
        (1_200_000, "$1.2M"),
        (-2_500_000, "-$2.5M"),
    ],
)
def test_compact_money(amount: int, shown: str) -> None:
    assert format_compact(amount, "USD") == shown
