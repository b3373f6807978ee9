"""Money, exact end to end: sums in SQL, each deal's currency, and how an amount reads.

Why integer cents: SQLite keeps NUMERIC values as floats, so `SUM(amount)` adds binary
fractions and the same pipeline came out $734,915.08 grouped by stage and $734,915.07 grouped
by owner. Every sum therefore adds whole cents as integers (`SUM(CAST(ROUND(amount * 100) AS
BIGINT))`), which is exact on SQLite and on PostgreSQL alike, and the result becomes a
Decimal here. A weighted sum (amount x probability) multiplies integer cents by integer basis
points (a probability kept to four decimals), so it is exact too and only the final total is
rounded to the cent, once.

Currencies are never added together: a total is kept per currency and converted to the team
currency (`CRMBOT_CURRENCY`, default USD) only at the rates the team configured
(`CRMBOT_FX_RATES="EUR=1.08,GBP=1.27"`: one EUR is 1.08 of the team currency). An amount in
a currency with no rate stays apart, named with its own sign.

Formatting goes through babel (CLDR data): "-$1,234", "€40,000", "$1.2M".
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from babel.numbers import format_compact_currency, format_currency, get_currency_symbol
from sqlalchemy import BigInteger, SQLColumnExpression, cast, func, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from crm_core.settings import ConfigError

CENT = Decimal("0.01")
SPLIT = 1_000_000  # see `weighted`
DEFAULT_CURRENCY = "USD"
LOCALE = "en_US"

# --- exact sums in SQL ---------------------------------------------------------------------


def cents(amount: SQLColumnExpression[Any]) -> ColumnElement[int]:
    """An amount column as whole cents, an integer on both engines."""
    return cast(func.round(amount * literal_column("100")), BigInteger)


def basis_points(probability: SQLColumnExpression[Any]) -> ColumnElement[int]:
    """A probability (0..1) as integer basis points: the four decimals it is kept to."""
    return cast(func.round(probability * literal_column("10000")), BigInteger)


def sum_money(amount: SQLColumnExpression[Any]) -> ColumnElement[int]:
    """SUM of an amount in integer cents (0 over no rows); read it back with `to_decimal`."""
    return func.coalesce(func.sum(cents(amount)), 0)


def weighted(
    amount: SQLColumnExpression[Any], probability: SQLColumnExpression[Any]
) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """SUM of amount x probability as two integer sums (select both; read them back with
    `weighted_to_decimal(high, low)`): cents x basis points reach 10**18 for one large deal,
    and SQLite's SUM stops at 2**63, so the cents are split at a million first, each part
    multiplied by the basis points (cents are never negative: amounts are validated)."""
    whole, points = cents(amount), basis_points(probability)
    split = literal_column(str(SPLIT), BigInteger)
    return (
        func.coalesce(func.sum((whole // split) * points), 0),
        func.coalesce(func.sum((whole % split) * points), 0),
    )


def to_decimal(value: object) -> Decimal:
    """An integer-cents sum from SQL (int on SQLite, Decimal on PostgreSQL) as exact dollars."""
    return (Decimal(int(value or 0)) / 100).quantize(CENT)  # type: ignore[call-overload]


def weighted_to_decimal(high: object, low: object, *, exact: bool = False) -> Decimal:
    """The two sums of `weighted` as an amount, rounded half up to the cent (or, `exact`, kept
    to the millionth so that partial sums can be added and rounded once, at the end)."""
    units = int(high or 0) * SPLIT + int(low or 0)  # type: ignore[call-overload]
    whole = Decimal(units).scaleb(-6)
    return whole if exact else round_cent(whole)


def round_cent(value: Decimal) -> Decimal:
    """Half up to the cent: the one rounding a money total gets."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- currencies ----------------------------------------------------------------------------


def team_currency() -> str:
    """`CRMBOT_CURRENCY` (an ISO 4217 code), default USD: what converted totals are in."""
    code = (os.environ.get("CRMBOT_CURRENCY") or DEFAULT_CURRENCY).strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ConfigError(f"CRMBOT_CURRENCY={code!r} is not a three-letter currency code")
    return code


def fx_rates() -> dict[str, Decimal]:
    """`CRMBOT_FX_RATES`, e.g. "EUR=1.08,GBP=1.27": the team-currency value of one unit."""
    text = os.environ.get("CRMBOT_FX_RATES") or ""
    rates: dict[str, Decimal] = {}
    for part in text.replace(";", ",").split(","):
        if not part.strip():
            continue
        code, _, rate = part.partition("=")
        code = code.strip().upper()
        try:
            value = Decimal(rate.strip())
        except InvalidOperation:
            value = Decimal(0)
        if len(code) != 3 or not code.isalpha() or not value.is_finite() or value <= 0:
            raise ConfigError(f"CRMBOT_FX_RATES: {part.strip()!r} is not CODE=RATE (e.g. EUR=1.08)")
        rates[code] = value
    return rates


@dataclass
class Totals:
    """Amounts kept per currency: added within a currency, never across."""

    by_currency: dict[str, Decimal] = field(default_factory=dict)

    def add(self, currency: str | None, amount: Decimal) -> None:
        code = (currency or DEFAULT_CURRENCY).upper()
        self.by_currency[code] = self.by_currency.get(code, Decimal("0.00")) + amount

    def merge(self, other: Totals) -> None:
        for code, amount in other.by_currency.items():
            self.add(code, amount)


@dataclass(frozen=True)
class Converted:
    """Totals in the team currency: `amount` holds the team currency plus every currency that
    has a rate; `converted` says whether a rate was used; `unconverted` keeps the rest apart."""

    amount: Decimal
    currency: str
    converted: bool
    unconverted: dict[str, Decimal]


def convert(
    totals: Totals | Mapping[str, Decimal],
    *,
    currency: str | None = None,
    rates: Mapping[str, Decimal] | None = None,
) -> Converted:
    """Fold per-currency totals into the team currency at the configured rates, rounded half
    up to the cent once; currencies without a rate are returned apart, unconverted."""
    by_currency = totals.by_currency if isinstance(totals, Totals) else dict(totals)
    team = currency or team_currency()
    table = fx_rates() if rates is None else rates
    amount = Decimal("0.00")
    used = False
    apart: dict[str, Decimal] = {}
    for code, value in sorted(by_currency.items()):
        if code == team:
            amount += value
        elif code in table:
            if value:
                used = True
            amount += value * table[code]
        elif value:
            apart[code] = value
    return Converted(round_cent(amount), team, used, apart)


# --- formatting ----------------------------------------------------------------------------


def _symbol_is_code(currency: str) -> bool:
    return get_currency_symbol(currency, locale=LOCALE).isalpha()


def format_money(amount: Decimal | float | int | None, currency: str | None = None) -> str:
    """ "$40,000", "-$1,234", "$1,234.50", "€40,000", "100 CHF": whole amounts without cents."""
    value = Decimal(str(amount or 0))
    code = (currency or team_currency()).upper()
    digits = "" if value == value.to_integral_value() else ".00"
    if _symbol_is_code(code):
        return format_currency(
            value, code, format=f"#,##0{digits} ¤", locale=LOCALE, currency_digits=False
        )
    return format_currency(
        value, code, format=f"¤#,##0{digits}", locale=LOCALE, currency_digits=False
    )


def format_compact(amount: Decimal | float | int | None, currency: str | None = None) -> str:
    """ "$500K", "$1.2M", "-$2.5M": for axes and tight cells, where cents would be noise."""
    value = Decimal(str(amount or 0))
    code = (currency or team_currency()).upper()
    return format_compact_currency(value, code, locale=LOCALE, fraction_digits=1)


def format_totals(by_currency: Mapping[str, Decimal]) -> str:
    """ "$120,000 + €40,000": each currency with its own sign, the team currency first."""
    team = team_currency()
    codes = sorted(by_currency, key=lambda c: (c != team, c))
    shown = [format_money(by_currency[c], c) for c in codes if by_currency[c] or len(codes) == 1]
    return " + ".join(shown) if shown else format_money(0, team)


def decimal_total(values: Iterable[Decimal]) -> Decimal:
    """Decimal sum starting from 0.00 (so an empty list is "0.00", not 0)."""
    return sum(values, Decimal("0.00"))


# --- totals of deals ------------------------------------------------------------------------


def deal_totals(
    session: Session,
    *conditions: ColumnElement[bool],
    key: SQLColumnExpression[Any] | None = None,
    amount: SQLColumnExpression[Any] | None = None,
) -> dict[Any, Converted]:
    """Exact SUM of deal amounts meeting `conditions`, per currency in SQL, converted to the
    team currency at the configured rates; per value of `key` when given (else under None).
    `amount` defaults to the deal amount (a CASE over it counts some deals only)."""
    from crm_core.models import Deal

    column: SQLColumnExpression[Any] = Deal.amount if amount is None else amount
    columns: list[Any] = [Deal.currency, sum_money(column)]
    query = select(*columns, key) if key is not None else select(*columns)
    query = query.where(*conditions).group_by(Deal.currency)
    if key is not None:
        query = query.group_by(key)
    per_key: dict[Any, Totals] = {}
    for row in session.execute(query):
        k = row[2] if key is not None else None
        per_key.setdefault(k, Totals()).add(row[0], to_decimal(row[1]))
    team = team_currency()
    return {k: convert(t, currency=team) for k, t in per_key.items()}


def deal_total(session: Session, *conditions: ColumnElement[bool]) -> Decimal:
    """The team-currency total of the deals meeting `conditions` (see `deal_totals`)."""
    found = deal_totals(session, *conditions).get(None)
    return found.amount if found is not None else Decimal("0.00")
