"""Small formatting helpers shared by the pushes (money, local times, plural words)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from decimal import Decimal


def money(value: Decimal | float | int | None) -> str:
    return f"${Decimal(str(value or 0)):,.0f}"


def when(value: datetime, tz: tzinfo) -> str:
    return value.astimezone(tz).strftime("%a %d %b %H:%M")


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"
