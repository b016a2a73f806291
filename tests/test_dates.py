"""Calendar arithmetic: signed differences, whole days only."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given

from dunlib import InvalidTypeError, InvalidValueError
from dunlib.core.dates import add_days, add_months, as_date, days_between
from dunlib.strategies import dates


def test_days_between_is_signed() -> None:
    """The difference is negative when the end lies before the start (unlike pendulum's diff)."""
    assert days_between(dt.date(2026, 5, 10), dt.date(2026, 5, 24)) == 14
    assert days_between(dt.date(2026, 5, 24), dt.date(2026, 5, 10)) == -14
    with pytest.raises(InvalidTypeError, match="days_between.start"):
        days_between(dt.datetime(2026, 5, 10, 12), dt.date(2026, 5, 24))


def test_pendulum_dates_become_plain_dates() -> None:
    """A pendulum.Date is accepted and returned as a plain datetime.date."""
    result = add_days(pendulum.Date(2026, 5, 10), 14)
    assert type(result) is dt.date
    assert result == dt.date(2026, 5, 24)
    assert type(as_date(pendulum.Date(2026, 1, 1))) is dt.date


def test_datetime_is_refused() -> None:
    """A datetime carries a time of day and is refused where a date belongs."""
    with pytest.raises(InvalidTypeError, match="not a datetime"):
        as_date(dt.datetime(2026, 5, 10, 12, 0), "Invoice.issue_date")
    with pytest.raises(InvalidTypeError, match="Invoice.issue_date"):
        as_date("2026-05-10", "Invoice.issue_date")


def test_add_months_clamps_to_month_end() -> None:
    """31 January plus one month is the last day of February."""
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 3, 15), -3) == dt.date(2025, 12, 15)


@given(start=dates(), end=dates())
def test_add_days_inverts_days_between(start: dt.date, end: dt.date) -> None:
    """Law: moving start by days_between(start, end) lands on end."""
    assert add_days(start, days_between(start, end)) == end


def test_moving_past_year_9999_is_refused() -> None:
    """A shift that leaves the calendar raises InvalidValueError naming the shift, not a bare
    OverflowError or ValueError from the date library."""
    with pytest.raises(InvalidValueError, match="days: got 40"):
        add_days(dt.date(9999, 12, 1), 40)
    with pytest.raises(InvalidValueError, match="days: got 1000000000"):
        add_days(dt.date(2026, 1, 1), 10**9)
    with pytest.raises(InvalidValueError, match="months: got 1"):
        add_months(dt.date(9999, 12, 1), 1)
