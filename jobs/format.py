"""Small formatting helpers shared by the pushes (money, local times, plural words)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal

from crm_core.money import format_money


def money(value: Decimal | float | int | None) -> str:
    """Whole units in the team currency ("$438,882", "-$1,234"): a push summarises, no cents."""
    whole = Decimal(str(value or 0)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_money(whole)


def when(value: datetime, tz: tzinfo) -> str:
    return value.astimezone(tz).strftime("%a %d %b %H:%M")


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"
