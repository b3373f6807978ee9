"""How numbers, dates and lists read in a reply: "$60,000", "Fri 27 Nov", "and 12 more"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, tzinfo
from decimal import Decimal

from bot import texts
from crm_core.money import format_money, format_totals


def money(amount: Decimal | float | int | None, currency: str | None = None) -> str:
    """ "$40,000", "-$1,234", "€1,234.50", "100 CHF": babel, through crm_core.money (one home);
    no currency means the team's (CRMBOT_CURRENCY)."""
    return format_money(amount, currency)


def money_totals(by_currency: Mapping[str, Decimal]) -> str:
    """ "$120,000 + €40,000": amounts that have no common currency, each with its sign."""
    return format_totals(by_currency)


def percent(value: float | Decimal | None) -> str:
    return "–" if value is None else f"{float(value) * 100:.0f}%"


def day(value: date | datetime, tz: tzinfo | None = None, *, today: date | None = None) -> str:
    """ "Fri 27 Nov", with the year only when it is not the current one."""
    if isinstance(value, datetime):
        value = value.astimezone(tz).date() if tz else value.date()
    text = f"{value:%a} {value.day} {value:%b}"
    if today is not None and value.year != today.year:
        text += f" {value.year}"
    return text


def when(value: datetime, tz: tzinfo, *, today: date | None = None) -> str:
    """ "Fri 27 Nov 09:00" in the team's zone; "today 14:30" / "tomorrow 09:00" nearby."""
    local = value.astimezone(tz)
    clock = f"{local:%H:%M}"
    if today is not None:
        delta = (local.date() - today).days
        if delta == 0:
            return texts.TODAY_AT.format(clock=clock)
        if delta == 1:
            return texts.TOMORROW_AT.format(clock=clock)
        if delta == -1:
            return texts.YESTERDAY_AT.format(clock=clock)
    return f"{day(local, today=today)} {clock}"


def period(start: date, end: date) -> str:
    """ "1 Dec – 31 Dec 2026"; one day is that day: "Tue 24 Nov 2026"."""
    if start == end:
        return f"{day(start)} {start.year}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b} {end.year}"
    return f"{start.day} {start:%b} {start.year} – {end.day} {end:%b} {end.year}"


def top(items: Sequence[str], n: int = 10) -> list[str]:
    """The first n lines, then "and 12 more"."""
    lines = list(items[:n])
    if len(items) > n:
        lines.append(texts.AND_MORE.format(n=len(items) - n))
    return lines


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def table(rows: list[list[str]], *, right: Sequence[int] = ()) -> str:
    """A monospaced table: the first row is the header."""
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        cells = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def sentence(text: str) -> str:
    """End with one full stop, whatever the last name ends with ("Acme Corp, Inc.")."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?")) else text + "."


def upfirst(text: str) -> str:
    """Capitalise the first letter only ("dana Scully's" -> "Dana Scully's")."""
    return text[:1].upper() + text[1:]
