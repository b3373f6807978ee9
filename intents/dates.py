"""Relative date, time and period resolution for chat text.

Public API (reused by the engine for answers to "when?" questions):

- ``resolve_date(text, now, prefer="future") -> date | datetime | None``: one date expression
  ("Friday", "next Thursday", "in 2 weeks", "Dec 15", "end of quarter", "tomorrow at 9").
  A ``datetime`` (aware, in ``now``'s zone) comes back only when a time of day was said.
- ``resolve_period(text, now, prefer="future") -> (date, date) | None``: an inclusive range
  ("this quarter", "Q1", "next month", "December", "this week", "last 30 days", "ytd").
- ``find_date_spans(text)`` / ``find_period_spans(text)``: (start, end) character offsets of
  the expressions the resolvers understand, for entity extraction.

The common relative forms are written by hand (their semantics are fixed below and tested);
dateparser (``languages=["en"]``) is only the fallback for the long tail of absolute dates.

Conventions (``now`` = Monday 2026-11-23):
- a bare weekday prefers the future strictly ("Monday" -> 2026-11-30) or, with
  ``prefer="past"``, today or earlier ("Monday" -> 2026-11-23, "Friday" -> 2026-11-20);
- "this Friday" is the Friday of the current week, "next Friday" the Friday of next week
  (2026-12-04), "last Friday" the most recent Friday before today;
- a day of a month without a year ("Dec 15", "Jan 5") is the next such day (or the previous one
  with ``prefer="past"``), so on Dec 28 "Jan 5" is next year's;
- "end of week" is Friday, "end of month/quarter/year" the last day;
- "at 9" without am/pm: 7..11 are morning, 12 is noon, 1..6 are afternoon.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from crm_core.periods import month_end, quarter_bounds
from crm_core.settings import date_order

__all__ = [
    "find_date_spans",
    "find_period_spans",
    "resolve_date",
    "resolve_period",
    "to_iso",
]

WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "weds": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple": 2,
    "a couple of": 2,
    "few": 3,
    "a few": 3,
}

# Days said in another language by people who mix it into English ("follow up mañana", "RDV
# jeudi"), read as the English day. Words that are also names or places are left out
# ("domingo", "morgen", "quinta").
FOREIGN_DAYS = {
    "mañana": "tomorrow",
    "manana": "tomorrow",
    "hoy": "today",
    "ayer": "yesterday",
    "demain": "tomorrow",
    "aujourd'hui": "today",
    "hier": "yesterday",
    "amanhã": "tomorrow",
    "amanha": "tomorrow",
    "hoje": "today",
    "ontem": "yesterday",
    "domani": "tomorrow",
    "oggi": "today",
    "ieri": "yesterday",
    "heute": "today",
    "gestern": "yesterday",
    "lunes": "monday",
    "martes": "tuesday",
    "miércoles": "wednesday",
    "miercoles": "wednesday",
    "jueves": "thursday",
    "viernes": "friday",
    "lundi": "monday",
    "mardi": "tuesday",
    "mercredi": "wednesday",
    "jeudi": "thursday",
    "vendredi": "friday",
    "samedi": "saturday",
    "dimanche": "sunday",
    "segunda-feira": "monday",
    "terça-feira": "tuesday",
    "quarta-feira": "wednesday",
    "quinta-feira": "thursday",
    "sexta-feira": "friday",
    "lunedì": "monday",
    "martedì": "tuesday",
    "mercoledì": "wednesday",
    "giovedì": "thursday",
    "venerdì": "friday",
    "montag": "monday",
    "dienstag": "tuesday",
    "mittwoch": "wednesday",
    "donnerstag": "thursday",
    "freitag": "friday",
}
_FOREIGN_DAY = "|".join(sorted(map(re.escape, FOREIGN_DAYS), key=len, reverse=True))
_FOREIGN_DAY_RE = re.compile(rf"(?<![\w'])(?:{_FOREIGN_DAY})(?![\w'-])", re.I)
_WD = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu(?:rs?)?|fri"
    rf"|{_FOREIGN_DAY})"
)
_MON = (
    r"(?:january|february|march|april|may|june|july|august|september|sept|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)"
)
_NUM = (
    r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a couple of|a few|couple|few)"
)
_UNIT = r"(?:days?|weeks?|wks?|fortnights?|months?|mos?|years?|yrs?|hours?|hrs?|minutes?|mins?)"
# a day of the month said in words, as dictation writes it: "December eleventh", "the first"
_ORDINAL_UNITS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
ORDINAL_WORDS = {w: i for i, w in enumerate(_ORDINAL_UNITS, 1)}
ORDINAL_WORDS.update({"twentieth": 20, "thirtieth": 30})
ORDINAL_WORDS.update({f"twenty {w}": 20 + i for w, i in list(ORDINAL_WORDS.items()) if i < 10})
ORDINAL_WORDS.update({"thirty first": 31})
_ORD_WORD = (
    r"(?:(?:twenty|thirty)[\s-]+(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
    + "|".join(w for w in ORDINAL_WORDS if " " not in w)
    + r")\b"
)
_ORD = r"(?:\d{1,2})(?:st|nd|rd|th)?"
# an hour said in words before am/pm or o'clock: "at eight am", "nine o'clock"
_HOUR_WORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_HOUR_SAID = rf"{_HOUR_WORD}\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock)"
_TIME = (
    r"(?:(?:at|@|by|around|before|after)\s+)?(?:"
    r"\d{1,2}:\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)|noon|midday|midnight"
    r"|(?<=at )\d{1,2}(?!\d|[:/.,]\d|-\w|[^\W\d_]| ?%| ?k\b| ?(?:days?|weeks?|months?)))"
)
# "half two" (British): half past two, 2:30
_HALF_PAST = (
    r"half\s+(?:past\s+)?(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"1[0-2]|[1-9])(?![:\d])"
)
_TIME_AT = (
    r"(?:at|@|by|around)\s+(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?"
    rf"|(?:[01]?\d|2[0-3])h(?:[0-5]\d)?|{_HOUR_SAID}|noon|midday|midnight|{_HALF_PAST})(?![\d/.%]|,\d|-\w|[^\W\d_]|\s?k\b|"
    r"\s?(?:days?|weeks?|months?|deals?|leads?)\b|"
    r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))"
)
_TIME_BARE = (
    rf"(?:\d{{1,2}}:\d{{2}}\s*(?:am|pm)?|\d{{1,2}}\s*(?:am|pm)|{_HOUR_SAID}|noon|midnight)\b"
)
_TIME_ANY = rf"(?:{_TIME_AT}|{_TIME_BARE})"
_EOD = r"(?:eod|cob|end of (?:the )?day|(?:end|close) of (?:play|business))"  # "end of play Friday"
_PART = rf"(?:morning|afternoon|evening|night|tonight|{_EOD})"

_DAY_CORE = (
    rf"(?:the\s+)?day after tomorrow|day before yesterday|today|tonight|tomorrow|tmrw|tmr|"
    rf"(?:{_FOREIGN_DAY})(?![\w'-])|"
    rf"tmw|2morrow|"
    rf"yesterday|yday|yest|last\s+night|(?:this|earlier|later)\s+(?:morning|afternoon|evening|today|am|pm)|"
    rf"(?:(?:at\s+)?the\s+)?(?:start|beginning)\s+of\s+{_MON}\b\.?|"
    rf"(?:(?:at\s+the\s+)?end|eo|mid|early|late)(?:\s+of|-)?\s+{_MON}\b\.?|"
    rf"(?:(?:next|this|last|coming|past|on|by|until|till|before|after)\s+)?{_WD}(?:\s+(?:morning|afternoon|evening|night))?(?:\s+(?:next|this|last)\s+week)?|"
    rf"(?:in|within|after)\s+{_NUM}\s+{_UNIT}|{_NUM}\s+{_UNIT}\s+(?:ago|from now|from today|later|"
    rf"back|before)|"
    rf"(?:a|one)\s+(?:week|month|fortnight)\s+from\s+(?:now|today)|"
    rf"(?:a|one)\s+(?:week|fortnight)\s+(?:today|tomorrow)|"
    rf"(?:next|this|last|the)\s+(?:week|month)(?:end)?|(?:this|next|last)\s+weekend|"
    rf"(?:at\s+the\s+)?(?:end|eo)\s+of\s+(?:the\s+)?(?:this\s+|next\s+)?(?:day|week|month|quarter|year|q[1-4])|eod|eow|eom|eoq|eoy|"
    rf"(?:start|beginning)\s+of\s+(?:the\s+)?(?:next\s+)?(?:week|month|quarter|year)|"
    rf"\d{{4}}-\d{{2}}-\d{{2}}(?:[t ]\d{{2}}:\d{{2}}(?::\d{{2}})?)?|"
    rf"\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?|"
    # day first with dots, as most of Europe writes it: "1.12.", "15.01.2027" (never "2.5k")
    rf"(?:[12]\d|3[01]|0?[1-9])\.(?:1[0-2]|0?[1-9])\.(?:\d{{4}}(?!\d)|\d{{2}}(?!\d))?|"
    # ... and without the last dot when the month has two digits: "closing 15.12", "send 7.12"
    # (never an amount: "4.20 PLN/km", "1.05 EUR", "2.10k", "£1.10")
    rf"(?<![$€£¥₹\d.,])(?:[12]\d|3[01]|0?[1-9])\.(?:1[0-2]|0[1-9])"
    rf"(?![\d.,%/]|\s?(?:[a-z]{{3}}\b|[kKmM]\b|[$€£¥₹]|x\b|pcs\b|per\b|/))|"
    rf"{_MON}\.?\s+{_ORD}(?:,?\s+\d{{4}})?|{_ORD}\s+(?:of\s+)?{_MON}\.?(?:,?\s+\d{{4}})?|"
    # in words, after the month or as "the first of May" ("First of May Credit Union" is a name)
    rf"{_MON}\.?\s+(?:the\s+)?{_ORD_WORD}(?:,?\s+\d{{4}})?|the\s+(?-i:{_ORD_WORD})\s+of\s+{_MON}\b\.?|"
    rf"the\s+\d{{1,2}}(?:st|nd|rd|th)(?:\s+of\s+(?:this|next)\s+month)?|"
    # "remind me on the first": a day of the month in words, with nothing it could count
    rf"(?<=on )the\s+{_ORD_WORD}"
    r"(?=\s+(?:of\s+(?:this|next)\s+month|to|at|and)\b|\s*[,.!?]|\s*$)"
)
DATE_RE = re.compile(
    rf"(?<![\w@#])(?:(?:{_EOD}\s+)?(?:{_DAY_CORE})"
    rf"(?:\s*,?\s*{_TIME_ANY}|\s+(?:in the\s+)?{_PART}(?:\s*,?\s*{_TIME_ANY})?)?|"
    rf"{_TIME_AT}(?:\s+(?:{_DAY_CORE}))?|{_TIME_BARE}(?:\s+(?:{_DAY_CORE}))?)(?![\w@])",
    re.IGNORECASE,
)

PERIOD_RE = re.compile(
    rf"(?<![\w@#])(?:"
    rf"(?:this|next|last|current|previous|prior|the\s+last|the\s+past|past|coming|the\s+next)\s+(?:fiscal\s+)?(?:week|wk|month|quarter|qtr|q|year|yr|half)\b|"
    rf"(?:the\s+)?(?:last|past|next|coming)\s+{_NUM}\s+(?:days|weeks|months|quarters|years)|"
    rf"(?<=\bfor )the\s+(?:quarter|qtr|month|year)\b(?!\s+(?:before|after|ahead|to)\b)|"
    rf"(?:the\s+)?(?:first|second|1st|2nd)\s+half(?:\s+of\s+(?:(?:this|next|last)\s+year|\d{{4}})|"
    rf"(?!\s+of\b))|"
    rf"q[1-4](?:\s*(?:'|20)?\d{{2}})?|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of\s+)?\d{{4}})?|h[12](?:\s+\d{{4}})?|"
    rf"ytd|year\s+to\s+date|mtd|month\s+to\s+date|qtd|quarter\s+to\s+date|"
    rf"today|yesterday|tomorrow|this\s+weekend|"
    rf"(?:{_MON})\.?\s*(?:to|through|thru|until|till|-|–|~)\s*(?:{_MON})\.?(?:\s+\d{{4}})?|"
    rf"(?:{_MON})(?:\s+\d{{4}})?(?!\s*\d{{1,2}}\b)|20\d\d(?![\d,.]|\s?[kKmM%])"
    rf")(?![\w@])",
    re.IGNORECASE,
)
_YEAR_ONLY = re.compile(r"^\d{4}$")


def _tz(now: datetime) -> tzinfo | None:
    return now.tzinfo


def _add_months(d: date, months: int) -> date:
    month_index = d.month - 1 + months
    year = d.year + month_index // 12
    month = month_index % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _ordinal_digits(word: str) -> str:
    day = ORDINAL_WORDS[re.sub(r"[\s-]+", " ", word)]
    return f"{day}th"


def _in_digits(expr: str) -> str:
    """Days and hours said in words, written in digits: "december eleventh" -> "december
    11th", "at eight am" -> "at 8 am", "18h" -> "18:00"."""
    expr = re.sub(_ORD_WORD, lambda m: _ordinal_digits(m.group(0)), expr)
    expr = re.sub(
        rf"\b({_HOUR_WORD})(?=\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock))",
        lambda m: str(NUMBER_WORDS[m.group(1)]),
        expr,
    )
    expr = re.sub(r"(\d)\s*o'?clock", r"\1", expr)
    return re.sub(
        r"\b([01]?\d|2[0-3])h([0-5]\d)?\b", lambda m: f"{m.group(1)}:{m.group(2) or '00'}", expr
    )


def _num(word: str) -> int | None:
    word = word.strip().lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _parse_time(text: str) -> time | None:
    t = text.strip().lower()
    t = re.sub(r"^(?:at|@|by|around|before|after)\s+", "", t)
    t = t.replace("a.m.", "am").replace("p.m.", "pm")
    if t in ("noon", "midday"):
        return time(12, 0)
    if t == "midnight":
        return time(0, 0)
    half = re.fullmatch(r"half\s+(?:past\s+)?(\w+)", t)
    if half:  # "half two": thirty minutes past the hour, a working hour like "at 2"
        t = f"{_num(half.group(1)) or half.group(1)}:30"
    m = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", t)
    if not m:
        return None
    hour, minute, ampm = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if minute > 59:
        return None
    if ampm == "am":
        if hour == 12:
            hour = 0
    elif ampm == "pm":
        if hour < 12:
            hour += 12
    elif 1 <= hour <= 6:
        hour += 12  # "at 3", "3:30": working hours, not the middle of the night
    if hour > 23:
        return None
    return time(hour, minute)


_PART_TIMES = {
    "morning": time(9, 0),
    "afternoon": time(14, 0),
    "evening": time(18, 0),
    "night": time(20, 0),
    "tonight": time(20, 0),
    "eod": time(17, 0),
    "end of day": time(17, 0),
    "end of the day": time(17, 0),
}


def _weekday_date(wd: int, modifier: str | None, today: date, prefer: str) -> date:
    delta = wd - today.weekday()
    if modifier in ("next",):
        # the given weekday of next week
        monday_next = today + timedelta(days=7 - today.weekday())
        return monday_next + timedelta(days=wd)
    if modifier in ("this",):
        monday = today - timedelta(days=today.weekday())
        d = monday + timedelta(days=wd)
        if d < today and prefer == "future":
            d += timedelta(days=7)
        return d
    if modifier in ("coming",):
        return today + timedelta(days=(delta % 7) or 7)
    if modifier in ("last", "past"):
        return today - timedelta(days=((-delta) % 7) or 7)
    if prefer == "past":
        return today - timedelta(days=(-delta) % 7)
    return today + timedelta(days=(delta % 7) or 7)


def _day_of_month(month: int, day: int, year: int | None, today: date, prefer: str) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        d = date(today.year, month, day)
    except ValueError:
        # Feb 29 in a common year: take the next (or previous) leap year.
        if month == 2 and day == 29:
            y = today.year
            step = -1 if prefer == "past" else 1
            for _ in range(8):
                y += step
                if calendar.isleap(y):
                    return date(y, 2, 29)
        return None
    if prefer == "future" and d < today:
        d = date(today.year + 1, month, day)
    elif prefer == "past" and d > today:
        try:
            d = date(today.year - 1, month, day)
        except ValueError:
            return None
    return d


def _numeric_date(month: int, day: int, year: str | None, today: date, prefer: str) -> date | None:
    """A date written in digits ("12/18", "1.12.26"): a two-digit year is this century's."""
    if month > 12:
        return None
    full = int(year) if year else None
    if full is not None and full < 100:
        full += 2000
    return _day_of_month(month, day, full, today, prefer)


def _resolve_day(expr: str, now: datetime, prefer: str) -> date | None:  # noqa: C901
    """The date part only; ``expr`` is lower-case, without a time of day."""
    today = now.date()
    e = re.sub(r"\s+", " ", expr.strip().lower()).strip(" ,.")
    e = re.sub(r"^(?:on|by|until|till|before|after|due|for|from) ", "", e)
    if e in (
        "today",
        "tonight",
        "eod",
        "end of day",
        "end of the day",
        "this morning",
        "this afternoon",
        "this evening",
        "earlier today",
        "later today",
    ):
        return today
    if e in ("tomorrow", "tmrw", "tmr", "tmw", "2morrow"):
        return today + timedelta(days=1)
    if e in ("the day after tomorrow", "day after tomorrow"):
        return today + timedelta(days=2)
    if e in ("yesterday", "yday", "yest"):
        return today - timedelta(days=1)
    if e == "day before yesterday":
        return today - timedelta(days=2)
    m = re.fullmatch(
        rf"(next|this|last|coming|past)?\s*({_WD})(?: (morning|afternoon|evening|"
        rf"night))?(?: (next|this|last) week)?",
        e,
    )
    if m:
        modifier = m.group(1) or m.group(4)
        return _weekday_date(WEEKDAYS[m.group(2)], modifier, today, prefer)
    if e == "last night":
        return today - timedelta(days=1)
    sm = re.fullmatch(rf"(?:(?:at )?the )?(?:start|beginning) of ({_MON})\.?", e)
    if sm:
        return _day_of_month(MONTHS[sm.group(1).rstrip(".")], 1, None, today, prefer)
    m = re.fullmatch(rf"(?:in|within|after) ({_NUM}) ({_UNIT})", e)
    if m or (m := re.fullmatch(rf"({_NUM}) ({_UNIT}) (?:from now|from today|later)", e)):
        n = _num(m.group(1)) or 1
        return _shift(today, n, m.group(2))
    m = re.fullmatch(rf"({_NUM}) ({_UNIT}) (?:ago|back|before)", e)
    if m:
        n = _num(m.group(1)) or 1
        return _shift(today, -n, m.group(2))
    m = re.fullmatch(r"(?:a|one) (week|month|fortnight) from (?:now|today)", e)
    if m:
        return _shift(today, 1, m.group(1))
    m = re.fullmatch(r"(?:a|one) (week|fortnight) (today|tomorrow)", e)
    if m:  # "a fortnight today" (British): two weeks from today
        return _shift(today + timedelta(days=m.group(2) == "tomorrow"), 1, m.group(1))
    if e in ("next week", "the week"):
        return today + timedelta(days=7 - today.weekday())
    if e == "this week":
        return today
    if e == "last week":
        return today - timedelta(days=today.weekday() + 7)
    if e in ("next month", "the month"):
        return _add_months(today.replace(day=1), 1)
    if e == "this month":
        return today
    if e == "last month":
        return _add_months(today.replace(day=1), -1)
    if e in ("this weekend", "the weekend", "weekend"):
        return today + timedelta(days=(5 - today.weekday()) % 7)
    if e == "next weekend":
        return today + timedelta(days=(5 - today.weekday()) % 7 + 7)
    if e == "last weekend":
        return today - timedelta(days=(today.weekday() - 5) % 7 or 7)
    m = re.fullmatch(
        r"(?:at the )?(?:end|eo) of (?:the )?(this |next )?(day|week|month|quarter|year|q[1-4])", e
    )
    m2 = re.fullmatch(rf"(?:at the )?(end|eo|mid|early|late)(?: of |-| )({_MON})\.?", e)
    if m2:  # "end of jan", "mid-march", "early feb": a day of the next such month
        mon = MONTHS[m2.group(2)]
        yr = today.year + (1 if mon < today.month else 0)
        part = m2.group(1)
        last = month_end(yr, mon).day
        return date(yr, mon, {"mid": 15, "early": 5, "late": last - 5}.get(part, last))
    if m or e in ("eow", "eom", "eoq", "eoy"):
        unit = {"eow": "week", "eom": "month", "eoq": "quarter", "eoy": "year"}.get(e) or (
            m.group(2) if m else "day"
        )
        nxt = bool(m and m.group(1) == "next ")
        return _end_of(unit, today, nxt)
    m = re.fullmatch(r"(?:start|beginning) of (?:the )?(next )?(week|month|quarter|year)", e)
    if m:
        start, _ = _period_of(m.group(2), today, 1 if m.group(1) else 0)
        if not m.group(1) and start < today and prefer == "future":
            start, _ = _period_of(m.group(2), today, 1)
        return start
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", e)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.fullmatch(rf"({_MON})\.? (\d{{1,2}})(?:st|nd|rd|th)?(?:,? (\d{{4}}))?", e)
    if m:
        return _day_of_month(
            MONTHS[m.group(1)],
            int(m.group(2)),
            int(m.group(3)) if m.group(3) else None,
            today,
            prefer,
        )
    m = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?({_MON})\.?(?:,? (\d{{4}}))?", e)
    if m:
        return _day_of_month(
            MONTHS[m.group(2)],
            int(m.group(1)),
            int(m.group(3)) if m.group(3) else None,
            today,
            prefer,
        )
    m = re.fullmatch(r"the (\d{1,2})(?:st|nd|rd|th)(?: of (this|next) month)?", e)
    if m:
        day = int(m.group(1))
        base = today.replace(day=1)
        if m.group(2) == "next":
            base = _add_months(base, 1)
        for _ in range(3):
            try:
                d = base.replace(day=day)
            except ValueError:
                d = None
            if (
                d
                and (m.group(2) or prefer != "future" or d >= today)
                and (prefer != "past" or d <= today or m.group(2))
            ):
                return d
            base = _add_months(base, -1 if prefer == "past" else 1)
        return None
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})(?:\.(\d{2}|\d{4}))?", e)
    if m:  # "1.12.", "15.01.2027": day first
        day, month = int(m.group(1)), int(m.group(2))
        return _numeric_date(month, day, m.group(3), today, prefer)
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?", e)
    if m:
        return _slashed_date(int(m.group(1)), int(m.group(2)), m.group(3), today, prefer)
    return _dateparser_day(e, now, prefer)


def _slashed_date(a: int, b: int, year: str | None, today: date, prefer: str) -> date | None:
    """ "4/12": month first or day first, as `settings.date_order` says; by default, when
    both read as dates, the nearer of the two in the preferred direction (a reminder "on
    4/12" written on 23 November is 4 December, "12/1" is 1 December; a meeting "on 5/11"
    logged then was 5 November). A reading only one order allows is that one."""
    us = _numeric_date(a, b, year, today, prefer) if a <= 12 else None
    day_first = _numeric_date(b, a, year, today, prefer) if b <= 12 else None
    if us is None or day_first is None:
        return us or day_first
    order = date_order()
    if order == "mdy" or us == day_first:
        return us
    if order == "dmy":
        return day_first
    return min((us, day_first), key=lambda d: (abs((d - today).days), d != us))


def _shift(d: date, n: int, unit: str) -> date:
    unit = unit.lower()
    if unit.startswith(("day",)):
        return d + timedelta(days=n)
    if unit.startswith(("week", "wk")):
        return d + timedelta(weeks=n)
    if unit.startswith("fortnight"):
        return d + timedelta(weeks=2 * n)
    if unit.startswith(("month", "mo")):
        return _add_months(d, n)
    if unit.startswith(("year", "yr")):
        return _add_months(d, 12 * n)
    return d  # hours/minutes: same day


def _end_of(unit: str, today: date, nxt: bool = False) -> date:
    if unit == "day":
        return today
    if unit == "week":
        d = today + timedelta(days=(4 - today.weekday()) % 7)
        return d + timedelta(days=7) if nxt else d
    if unit.startswith("q") and len(unit) == 2:
        q = int(unit[1])
        year = today.year if q >= (today.month - 1) // 3 + 1 else today.year + 1
        return quarter_bounds(year, q)[1]
    return _period_of(unit, today, 1 if nxt else 0)[1]


def _period_of(unit: str, today: date, offset: int) -> tuple[date, date]:
    unit = {"qtr": "quarter", "q": "quarter", "yr": "year", "wk": "week"}.get(unit, unit)
    if unit == "day":
        d = today + timedelta(days=offset)
        return d, d
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        start = _add_months(today.replace(day=1), offset)
        return start, month_end(start.year, start.month)
    if unit == "quarter":
        q0 = (today.month - 1) // 3 + offset
        year = today.year + q0 // 4
        return quarter_bounds(year, q0 % 4 + 1)
    if unit == "half":
        h0 = (today.month - 1) // 6 + offset
        year = today.year + h0 // 2
        h = h0 % 2
        return date(year, 6 * h + 1, 1), month_end(year, 6 * h + 6)
    if unit == "year":
        year = today.year + offset
        return date(year, 1, 1), date(year, 12, 31)
    raise ValueError(unit)


@lru_cache(maxsize=4096)
def _dateparser_cached(expr: str, base: datetime, prefer: str) -> datetime | None:
    try:
        import dateparser
    except ImportError:  # pragma: no cover
        return None
    settings = {
        "PREFER_DATES_FROM": prefer,
        "RELATIVE_BASE": base.replace(tzinfo=None),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PREFER_DAY_OF_MONTH": "first",
        "STRICT_PARSING": False,
    }
    try:
        return dateparser.parse(expr, languages=["en"], settings=settings)
    except Exception:  # noqa: BLE001 - a library failure is "no date", never a crash
        return None


def _dateparser_day(expr: str, now: datetime, prefer: str) -> date | None:
    if len(expr) > 40 or not re.search(r"\d|" + _MON, expr):
        return None
    base = now.replace(second=0, microsecond=0)
    got = _dateparser_cached(expr, base.replace(tzinfo=None), prefer)
    return got.date() if got else None


def _split_time(expr: str) -> tuple[str, time | None]:
    e = expr.strip().lower()
    m = re.search(rf"\s*,?\s*(?:in the\s+)?\b({_PART})$", e)  # \b: not "fortnight"
    if m and m.start() > 0:
        return e[: m.start()], _PART_TIMES.get(m.group(1))
    m = re.search(rf"(?:^|\s*,?\s+)({_TIME_AT}|{_TIME_BARE})$", e)
    if m:
        t = _parse_time(m.group(1))
        if t is not None:
            return e[: m.start()].strip(" ,"), t
    m = re.match(rf"^({_TIME_AT}|{_TIME_BARE})(?:\s+|$)", e)
    if m:
        t = _parse_time(m.group(1))
        if t is not None:
            return e[m.end() :].strip(" ,"), t
    return e, None


def resolve_date(text: str, now: datetime, prefer: str = "future") -> date | datetime | None:
    """Resolve one date expression against ``now`` (aware). See the module doc for semantics."""
    if not text or not text.strip():
        return None
    if prefer not in ("future", "past"):
        raise ValueError("prefer must be 'future' or 'past'")
    expr = _in_digits(re.sub(r"\s+", " ", text.strip().lower()))
    expr = _FOREIGN_DAY_RE.sub(lambda m: FOREIGN_DAYS[m.group(0).lower()], expr)
    # "end of play Friday", "friday cob": the day at the end of the working day
    expr = re.sub(rf"^(?:by )?{_EOD} (.+)$", r"\1 eod", expr)
    expr = re.sub(rf"\b{_EOD}$", "eod", expr)
    expr = re.sub(rf"^after ({_NUM}) ({_UNIT})$", r"in \1 \2", expr)  # "after two days"
    if expr == "last night":
        return now.date() - timedelta(days=1)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2})(?::(\d{2}))?", expr)
    if m:
        try:
            yy, mo, dd, hh, mi, ss = (int(g) for g in m.groups(default="0"))
            return datetime(yy, mo, dd, hh, mi, ss, tzinfo=_tz(now))
        except ValueError:
            return None
    if re.fullmatch(r"(?:this|earlier|later) (?:morning|afternoon|evening|today|am|pm)", expr):
        return now.date()
    m = re.fullmatch(
        rf"(?:in|within) ({_NUM}) (hours?|hrs?|minutes?|mins?)|({_NUM}) (hours?|hrs?|"
        rf"minutes?|mins?) (?:from now|later)",
        expr,
    )
    if m:
        n = _num(m.group(1) or m.group(3)) or 1
        unit = m.group(2) or m.group(4)
        delta = timedelta(hours=n) if unit.startswith("h") else timedelta(minutes=n)
        return (now + delta).replace(second=0, microsecond=0)
    day_part, t = _split_time(expr)
    if prefer == "past" and t is not None and re.search(rf"\b{_PART}$", expr):
        t = None  # "met them yesterday evening": the day it happened; a clock time would be said
    if t is None and expr in ("tonight",):
        t = _PART_TIMES["tonight"]
    if not day_part:
        if t is None:
            return None
        today = now.date()
        candidate = datetime.combine(today, t, tzinfo=_tz(now))
        if prefer == "future" and candidate < now:
            candidate = datetime.combine(today + timedelta(days=1), t, tzinfo=_tz(now))
        return candidate
    if t is not None and re.fullmatch(
        r"(?:this|earlier|later) (?:morning|afternoon|evening)", day_part
    ):
        day_part = "today"  # "this afternoon at 3": today, at the clock time
    if t is not None:  # "tomorrow afternoon at 3pm": the clock time says when in the afternoon
        day_part = re.sub(rf"\s*,?\s*(?:in the\s+)?\b{_PART}$", "", day_part) or day_part
    d = _resolve_day(day_part, now, prefer)
    if d is None:
        return None
    if t is not None:
        return datetime.combine(d, t, tzinfo=_tz(now))
    return d


def resolve_period(text: str, now: datetime, prefer: str = "future") -> tuple[date, date] | None:
    """Resolve a period expression to an inclusive (start, end) pair of dates."""
    if not text or not text.strip():
        return None
    today = now.date()
    e = re.sub(r"\s+", " ", text.strip().lower()).strip(" ,.?!")
    e = re.sub(r"^(?:for|in|during|over|of|since) (?:the )?", "", e)
    if e in ("the quarter", "the qtr", "the month", "the year"):
        e = "this " + e[4:]  # "the forecast for the quarter": the current one
    m = re.fullmatch(
        r"(this|current|next|coming|the next|last|previous|prior|past|the last|"
        r"the past) (?:fiscal )?(week|wk|month|quarter|qtr|q|year|yr|half)",
        e,
    )
    if m:
        offset = {"this": 0, "current": 0, "next": 1, "coming": 1, "the next": 1}.get(
            m.group(1), -1
        )
        return _period_of(m.group(2), today, offset)
    m = re.fullmatch(
        rf"(?:the )?(last|past|next|coming) ({_NUM}) (days|weeks|months|quarters|years)", e
    )
    if m:
        n = _num(m.group(2)) or 1
        unit = m.group(3)
        if unit == "quarters":
            unit, n = "months", 3 * n
        if m.group(1) in ("last", "past"):
            return _shift(today, -n, unit) + timedelta(days=1), today
        return today, _shift(today, n, unit) - timedelta(days=1)
    m = re.fullmatch(r"q([1-4])(?: ?(?:'|20)?(\d{2}))?", e) or re.fullmatch(
        r"(first|second|third|fourth|1st|2nd|3rd|4th) quarter(?: (?:of )?(?:20)?(\d{2}))?", e
    )
    if m:
        q = {
            "first": 1,
            "second": 2,
            "third": 3,
            "fourth": 4,
            "1st": 1,
            "2nd": 2,
            "3rd": 3,
            "4th": 4,
        }.get(m.group(1)) or int(m.group(1))
        if m.group(2):
            year = 2000 + int(m.group(2))
        else:
            year = today.year
            current_q = (today.month - 1) // 3 + 1
            if prefer == "future" and q < current_q:
                year += 1
            elif prefer == "past" and q > current_q:
                year -= 1
        return quarter_bounds(year, q)
    m = re.fullmatch(r"(?:the )?(first|second|1st|2nd) half of (this|next|last) year", e)
    if m:  # "the first half of next year": H1 of that year
        h = 1 if m.group(1) in ("first", "1st") else 2
        year = today.year + {"this": 0, "next": 1, "last": -1}[m.group(2)]
        return date(year, 6 * h - 5, 1), month_end(year, 6 * h)
    m = re.fullmatch(r"(?:the )?(first|second|1st|2nd) half(?: of (\d{4}))?", e)
    if m:
        e = f"h{1 if m.group(1) in ('first', '1st') else 2}" + (
            f" {m.group(2)}" if m.group(2) else ""
        )
    m = re.fullmatch(r"h([12])(?: (\d{4}))?", e)
    if m:
        h = int(m.group(1))
        year = int(m.group(2)) if m.group(2) else today.year
        if not m.group(2) and prefer == "future" and h == 1 and today.month > 6:
            year += 1
        return date(year, 6 * h - 5, 1), month_end(year, 6 * h)
    if e in ("ytd", "year to date"):
        return date(today.year, 1, 1), today
    if e in ("mtd", "month to date"):
        return today.replace(day=1), today
    if e in ("qtd", "quarter to date"):
        return _period_of("quarter", today, 0)[0], today
    if e in ("today", "tomorrow", "yesterday"):
        d = today + timedelta(days={"today": 0, "tomorrow": 1, "yesterday": -1}[e])
        return d, d
    if e in ("this weekend", "weekend"):
        sat = today + timedelta(days=(5 - today.weekday()) % 7)
        return sat, sat + timedelta(days=1)
    m = re.fullmatch(
        rf"({_MON})\.? ?(?:to|through|thru|until|till|-|–|~) ?({_MON})\.?(?: (\d{{4}}))?", e
    )
    if m:  # "Jan. to Mar. 2027", "april-june": from the first month's start to the last's end
        first, last = MONTHS[m.group(1)], MONTHS[m.group(2)]
        wraps = 1 if first > last else 0  # "Oct.~Mar.": into the next year

        def months_of(year: int) -> tuple[date, date]:
            return date(year, first, 1), month_end(year + wraps, last)

        if m.group(3):
            return months_of(int(m.group(3)) - wraps)
        for year in (today.year - 1, today.year):
            if months_of(year)[0] <= today <= months_of(year)[1]:
                return months_of(year)  # the months we are in
        start = resolve_period(m.group(1), now, prefer)
        assert start is not None
        return months_of(start[0].year)
    m = re.fullmatch(rf"({_MON})(?: (\d{{4}}))?", e)
    if m:
        month = MONTHS[m.group(1)]
        if m.group(2):
            year = int(m.group(2))
        else:
            year = today.year
            if prefer == "future" and month < today.month:
                year += 1
            elif prefer == "past" and month > today.month:
                year -= 1
        return date(year, month, 1), month_end(year, month)
    if _YEAR_ONLY.match(e):
        year = int(e)
        if 1900 < year < 2200:
            return date(year, 1, 1), date(year, 12, 31)
    return None


def find_date_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of date/time expressions (longest, left to right)."""
    return [(m.start(), m.end()) for m in DATE_RE.finditer(text)]


def find_period_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in PERIOD_RE.finditer(text)]


def to_iso(value: date | datetime) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()
