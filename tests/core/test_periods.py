"""The one quarter / month helper that reports, alerts, digests and the parser share."""

from __future__ import annotations

from datetime import date

import pytest

from crm_core.periods import month_end, month_of, quarter_bounds, quarter_number, quarter_of


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 3, 31), (date(2026, 1, 1), date(2026, 3, 31))),
        (date(2026, 4, 1), (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 11, 23), (date(2026, 10, 1), date(2026, 12, 31))),
        (date(2026, 12, 31), (date(2026, 10, 1), date(2026, 12, 31))),
    ],
)
def test_quarter_of_a_day(day: date, expected: tuple[date, date]) -> None:
    assert quarter_of(day) == expected


def test_quarters_tile_the_year_without_gaps() -> None:
    ends = [quarter_bounds(2028, q) for q in range(1, 5)]
    assert ends[0][0] == date(2028, 1, 1) and ends[-1][1] == date(2028, 12, 31)
    for (_, end), (start, _) in zip(ends, ends[1:], strict=False):
        assert (start - end).days == 1
    assert [quarter_number(q[0]) for q in ends] == [1, 2, 3, 4]


def test_month_ends_know_leap_years() -> None:
    assert month_end(2028, 2) == date(2028, 2, 29)
    assert month_end(2027, 2) == date(2027, 2, 28)
    assert month_of(date(2026, 12, 15)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_a_quarter_outside_one_to_four_is_refused() -> None:
    with pytest.raises(ValueError):
        quarter_bounds(2026, 5)
