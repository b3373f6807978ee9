"""The date resolver with a fixed reference time (Monday 2026-11-23 10:00, Europe/Berlin)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from intents.dates import find_date_spans, find_period_spans, resolve_date, resolve_period, to_iso

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)


def _iso(value: date | None) -> str:
    """to_iso of a date the resolver must have found (None fails the test, not the type check)."""
    assert value is not None
    return to_iso(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2026-11-23"),
        ("tomorrow", "2026-11-24"),
        ("tmrw", "2026-11-24"),
        ("Friday", "2026-11-27"),
        ("Thursday", "2026-11-26"),
        ("on Thursday", "2026-11-26"),
        ("Monday", "2026-11-30"),  # a bare weekday that is today: the next one
        ("this Friday", "2026-11-27"),
        ("next Thursday", "2026-12-03"),  # the Thursday of next week
        ("next week", "2026-11-30"),
        ("in 2 weeks", "2026-12-07"),
        ("in two weeks", "2026-12-07"),
        ("in 3 days", "2026-11-26"),
        ("in a month", "2026-12-23"),
        ("end of quarter", "2026-12-31"),
        ("end of month", "2026-11-30"),
        ("end of the year", "2026-12-31"),
        ("end of week", "2026-11-27"),
        ("Dec 15", "2026-12-15"),
        ("December 20th", "2026-12-20"),
        ("15th of December", "2026-12-15"),
        ("Nov 20", "2027-11-20"),  # future preference: the next Nov 20
        ("Jan 5", "2027-01-05"),
        ("2027-02-01", "2027-02-01"),
        ("12/18", "2026-12-18"),
        ("the 30th", "2026-11-30"),
        ("the day after tomorrow", "2026-11-25"),
    ],
)
def test_future_dates(text: str, expected: str) -> None:
    assert _iso(resolve_date(text, NOW)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yesterday", "2026-11-22"),
        ("Friday", "2026-11-20"),
        ("Monday", "2026-11-23"),  # today counts in the past
        ("last Tuesday", "2026-11-17"),
        ("2 days ago", "2026-11-21"),
        ("a week ago", "2026-11-16"),
        ("Nov 20", "2026-11-20"),
        ("Dec 15", "2025-12-15"),
        ("this morning", "2026-11-23"),
    ],
)
def test_past_dates(text: str, expected: str) -> None:
    assert _iso(resolve_date(text, NOW, prefer="past")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow at 9", "2026-11-24T09:00:00+01:00"),
        ("Friday at 3pm", "2026-11-27T15:00:00+01:00"),
        ("at 4pm", "2026-11-23T16:00:00+01:00"),
        ("at 9", "2026-11-24T09:00:00+01:00"),  # 9:00 today has passed at 10:00
        ("at 3", "2026-11-23T15:00:00+01:00"),  # 1..6 without am/pm: afternoon
        ("tomorrow morning", "2026-11-24T09:00:00+01:00"),
        ("next tuesday at 10:30am", "2026-12-01T10:30:00+01:00"),
        ("Dec 15 at noon", "2026-12-15T12:00:00+01:00"),
    ],
)
def test_times(text: str, expected: str) -> None:
    assert _iso(resolve_date(text, NOW)) == expected


def test_year_rollover() -> None:
    dec28 = datetime(2026, 12, 28, 9, 0, tzinfo=BERLIN)
    assert resolve_date("Jan 5", dec28) == date(2027, 1, 5)
    assert resolve_date("tomorrow", datetime(2026, 12, 31, 9, tzinfo=BERLIN)) == date(2027, 1, 1)
    assert resolve_date("next week", dec28) == date(2027, 1, 4)
    assert resolve_period("Q1", dec28) == (date(2027, 1, 1), date(2027, 3, 31))
    assert resolve_period("next month", dec28) == (date(2027, 1, 1), date(2027, 1, 31))


def test_friday_on_a_friday() -> None:
    friday = datetime(2026, 11, 27, 10, 0, tzinfo=BERLIN)
    assert resolve_date("Friday", friday) == date(2026, 12, 4)
    assert resolve_date("Friday", friday, prefer="past") == date(2026, 11, 27)
    assert resolve_date("today", friday) == date(2026, 11, 27)


def test_leap_year() -> None:
    feb = datetime(2028, 2, 27, 12, 0, tzinfo=BERLIN)
    assert resolve_date("in 2 days", feb) == date(2028, 2, 29)
    assert resolve_date("Feb 29", feb) == date(2028, 2, 29)
    assert resolve_date("end of month", feb) == date(2028, 2, 29)
    # Feb 29 asked in a common year: the next leap day
    assert resolve_date("Feb 29", NOW) == date(2028, 2, 29)
    assert resolve_date("in a month", datetime(2028, 1, 31, tzinfo=BERLIN)) == date(2028, 2, 29)


def test_dst_offsets() -> None:
    # Berlin switches to summer time on 2027-03-28: the offset follows the date, not "now"
    before = datetime(2027, 3, 26, 10, 0, tzinfo=BERLIN)
    got = resolve_date("Monday at 9", before)
    assert _iso(got) == "2027-03-29T09:00:00+02:00"
    assert _iso(resolve_date("tomorrow at 9", before)) == "2027-03-27T09:00:00+01:00"


def test_other_zone() -> None:
    ny = datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("America/New_York"))
    assert resolve_date("tomorrow", ny) == date(2026, 11, 24)
    assert _iso(resolve_date("tomorrow at 9", ny)) == "2026-11-24T09:00:00-05:00"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("this quarter", "2026-10-01", "2026-12-31"),
        ("next month", "2026-12-01", "2026-12-31"),
        ("this month", "2026-11-01", "2026-11-30"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("Q1", "2027-01-01", "2027-03-31"),
        ("Q4", "2026-10-01", "2026-12-31"),
        ("Q2 2027", "2027-04-01", "2027-06-30"),
        ("December", "2026-12-01", "2026-12-31"),
        ("January", "2027-01-01", "2027-01-31"),
        ("this week", "2026-11-23", "2026-11-29"),
        ("next week", "2026-11-30", "2026-12-06"),
        ("this year", "2026-01-01", "2026-12-31"),
        ("last quarter", "2026-07-01", "2026-09-30"),
        ("ytd", "2026-01-01", "2026-11-23"),
        ("last 30 days", "2026-10-25", "2026-11-23"),
        ("today", "2026-11-23", "2026-11-23"),
    ],
)
def test_periods(text: str, start: str, end: str) -> None:
    got = resolve_period(text, NOW)
    assert got is not None
    assert (got[0].isoformat(), got[1].isoformat()) == (start, end)


def test_unresolvable() -> None:
    assert resolve_date("", NOW) is None
    assert resolve_date("the blue moon", NOW) is None
    assert resolve_period("whenever", NOW) is None
    with pytest.raises(ValueError):
        resolve_date("today", NOW, prefer="sideways")


def test_span_finders() -> None:
    text = "log call with Acme yesterday, follow up next Friday at 3pm; deal 50k closes Dec 15"
    spans = [text[a:b] for a, b in find_date_spans(text)]
    assert spans == ["yesterday", "next Friday at 3pm", "Dec 15"]
    text = "forecast for this quarter by stage and Q1"
    assert [text[a:b] for a, b in find_period_spans(text)] == ["this quarter", "Q1"]


def test_dateparser_fallback() -> None:
    # a form the hand rules do not cover goes to dateparser (languages=["en"])
    got = resolve_date("3 December 2027", NOW)
    assert got == date(2027, 12, 3)


@pytest.mark.parametrize(
    ("text", "span", "prefer", "expected"),
    [
        ("follow up 1.12.", "1.12.", "future", "2026-12-01"),
        ("closing 15.01.2027, fingers crossed", "15.01.2027", "future", "2027-01-15"),
        ("snooze it until 2.12.26", "2.12.26", "future", "2026-12-02"),
        ("met them on 17.11. in Lyon", "17.11.", "past", "2026-11-17"),
    ],
)
def test_day_first_dotted_dates(text: str, span: str, prefer: str, expected: str) -> None:
    """Most of Europe writes the day first, with dots ("1.12." is the first of December)."""
    [(start, end)] = find_date_spans(text)
    assert text[start:end] == span
    assert _iso(resolve_date(span, NOW, prefer=prefer)) == expected


@pytest.mark.parametrize("text", ["68.000 EUR", "a 2.5k deal", "version 3.2.1 broke", "31.13."])
def test_numbers_with_dots_are_no_dates(text: str) -> None:
    assert find_date_spans(text) == []


@pytest.mark.parametrize(
    ("text", "prefer", "order", "expected"),
    [
        # both orders read: the nearer reading in the direction the message points
        ("4/12", "future", "auto", "2026-12-04"),  # 4 December, not 12 April
        ("12/1", "future", "auto", "2026-12-01"),  # 1 December, not 12 January
        ("1/12", "future", "auto", "2026-12-01"),
        ("5/11", "past", "auto", "2026-11-05"),  # a meeting logged: 5 November
        ("11/5", "past", "auto", "2026-11-05"),
        ("3/3", "future", "auto", "2027-03-03"),
        # one order only
        ("11/20", "past", "dmy", "2026-11-20"),
        ("25/12", "future", "mdy", "2026-12-25"),
        # the team's setting
        ("4/12", "future", "mdy", "2027-04-12"),
        ("12/1", "future", "dmy", "2027-01-12"),
    ],
)
def test_slashed_dates_month_or_day_first(
    monkeypatch: pytest.MonkeyPatch, text: str, prefer: str, order: str, expected: str
) -> None:
    monkeypatch.setenv("CRMBOT_DATE_ORDER", order)
    assert _iso(resolve_date(text, NOW, prefer)) == expected


def test_an_unknown_date_order_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from crm_core.settings import ConfigError

    monkeypatch.setenv("CRMBOT_DATE_ORDER", "ymd")
    with pytest.raises(ConfigError, match="CRMBOT_DATE_ORDER"):
        resolve_date("4/12", NOW)
