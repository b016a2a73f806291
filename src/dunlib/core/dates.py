"""The one place that does calendar arithmetic.

Every difference is signed and every function takes its dates as arguments:
nothing here reads the clock. Results are plain :class:`datetime.date` values,
whatever ``date`` subclass (such as ``pendulum.Date``) came in.
"""

from __future__ import annotations

import datetime as _dt

import pendulum

from dunlib.core.errors import InvalidTypeError, InvalidValueError

__all__ = ["add_days", "add_months", "as_date", "days_between"]


def as_date(value: object, field: str = "date") -> _dt.date:
    """Return ``value`` as a plain ``datetime.date``; refuse datetimes and other types."""
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise InvalidTypeError(
            field, value, "a datetime.date (not a datetime: dunlib works in whole days)"
        )
    if type(value) is _dt.date:
        return value
    return _dt.date(value.year, value.month, value.day)


def _whole(value: object, field: str) -> int:
    if type(value) is not int:
        raise InvalidTypeError(field, value, "a whole number (int)")
    return value


def days_between(start: _dt.date, end: _dt.date) -> int:
    """Signed number of days from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if type(start) is not _dt.date or type(end) is not _dt.date:
        start, end = as_date(start, "days_between.start"), as_date(end, "days_between.end")
    return (end - start).days


def add_days(day: _dt.date, days: int) -> _dt.date:
    """``day`` moved by ``days`` (which may be negative), within the years 1 to 9999."""
    if type(day) is not _dt.date or type(days) is not int:
        day, days = as_date(day, "add_days.day"), _whole(days, "add_days.days")
    try:
        return as_date(day + _dt.timedelta(days=days))
    except OverflowError:
        raise InvalidValueError("days", days, _IN_RANGE.format(day=day)) from None


def add_months(day: _dt.date, months: int) -> _dt.date:
    """``day`` moved by whole months, clamped to a shorter month's end (31 Jan + 1 = 28 Feb)."""
    day, months = as_date(day, "add_months.day"), _whole(months, "add_months.months")
    try:
        moved = pendulum.Date(day.year, day.month, day.day).add(months=months)
    except (OverflowError, ValueError):
        raise InvalidValueError("months", months, _IN_RANGE.format(day=day)) from None
    return _dt.date(moved.year, moved.month, moved.day)


_IN_RANGE = "a shift that keeps {day} within the years 1 to 9999"
