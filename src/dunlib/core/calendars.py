"""Working days and deadlines (§ 193 BGB).

A :class:`Calendar` answers one question: is a day a working day? Three come with
dunlib: :class:`WeekendCalendar` (every Saturday and Sunday is off),
:class:`Target2Calendar` (the interbank business days of TARGET2, by which SEPA counts)
and :class:`HolidayCalendar` (weekends and the public holidays of a country and, where
given, one of its subdivisions, from the ``holidays`` package). The holiday data is an
optional extra: install ``dunlib[holidays]``; without it, building a
:class:`HolidayCalendar` raises :class:`~dunlib.core.errors.MissingExtraError` naming the
extra. Importing dunlib never imports ``holidays``.

:func:`roll_forward` moves a deadline that falls on a day off to the next working day,
as § 193 BGB does with a deadline on a Saturday, Sunday or public holiday. The
dunning engine uses it for a document's due date when the rules carry a calendar
(:attr:`dunlib.dunning.stages.DunningRules.calendar`).
"""

from __future__ import annotations

import datetime as _dt
import importlib
from typing import Any, Protocol, runtime_checkable

import attrs
from dateutil.easter import easter

from dunlib.core import quick
from dunlib.core import validate as v
from dunlib.core.dates import add_days, as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError, MissingExtraError

__all__ = [
    "TARGET2",
    "Calendar",
    "HolidayCalendar",
    "Target2Calendar",
    "WeekendCalendar",
    "add_working_days",
    "roll_forward",
]

_SATURDAY = 5
_LOOK_AHEAD = 366
"""How many days :func:`roll_forward` looks ahead for a working day before giving up."""


@runtime_checkable
class Calendar(Protocol):
    """Anything that says whether a day is a working day."""

    def is_working_day(self, day: _dt.date) -> bool:
        """True when ``day`` is a working day (a deadline may end on it)."""
        ...  # pragma: no cover


@attrs.frozen(kw_only=True)
class WeekendCalendar:
    """Monday to Friday are working days; Saturday and Sunday are not."""

    def is_working_day(self, day: _dt.date) -> bool:
        """True from Monday to Friday."""
        return as_date(day, "WeekendCalendar.is_working_day.day").weekday() < _SATURDAY


@quick.cached(quick.HOLIDAY_YEARS)
def _target2_closed(year: int) -> frozenset[_dt.date]:
    good_friday = easter(year) - _dt.timedelta(days=2)
    days = {
        _dt.date(year, 1, 1),
        good_friday,
        good_friday + _dt.timedelta(days=3),  # Easter Monday
        _dt.date(year, 5, 1),
        _dt.date(year, 12, 25),
        _dt.date(year, 12, 26),
    }
    if year < 2002:  # 31 December closed TARGET in its first years (1999-2001)
        days.add(_dt.date(year, 12, 31))
    return frozenset(days)


@attrs.frozen(kw_only=True)
class Target2Calendar:
    """The interbank business days of TARGET2 (since March 2023: T2), by which the SEPA
    rulebooks count their deadlines: every day but Saturdays, Sundays and the TARGET
    closing days -- New Year's Day, Good Friday, Easter Monday, 1 May, 25 and 26
    December (and 31 December up to 2001).

    Source: European Central Bank, "TARGET2 closing days" (press releases of 14 December
    2000 and 16 March 2001, confirmed for T2 by the ECB's "T2 -- closing days"); the same
    days as the ``holidays`` package's ``financial_holidays("XECB")``, which the tests
    compare for 2002 to 2040. Easter is computed by ``dateutil.easter`` (Gregorian)."""

    def is_working_day(self, day: _dt.date) -> bool:
        """True on a TARGET2 business day."""
        plain = as_date(day, "Target2Calendar.is_working_day.day")
        if plain.weekday() >= _SATURDAY:
            return False
        return plain not in _target2_closed(plain.year)


TARGET2 = Target2Calendar()
"""The TARGET2 calendar (:class:`Target2Calendar`): SEPA's business days."""


def _holidays_module() -> Any:
    try:
        return importlib.import_module("holidays")
    except ImportError:
        raise MissingExtraError(package="holidays", extra="holidays") from None


@quick.cached(quick.HOLIDAY_YEARS)
def _days_off(country: str, subdivision: str | None, year: int) -> frozenset[_dt.date]:
    table = _holidays_module().country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(table)


def _country(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.non_empty_text(instance, attribute, value)
    if value not in _holidays_module().list_supported_countries():
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "an ISO 3166 country code such as 'DE'"
        )


def _subdivision(instance: HolidayCalendar, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    v.non_empty_text(instance, attribute, value)
    known = _holidays_module().list_supported_countries()[instance.country]
    if value not in known:
        raise InvalidValueError(
            v.field_name(instance, attribute),
            value,
            f"None or a subdivision of {instance.country}, one of: {', '.join(known)}",
        )


@attrs.frozen(kw_only=True)
class HolidayCalendar:
    """Weekends and the public holidays of ``country`` (ISO 3166 code, such as ``'DE'``)
    and, where given, its ``subdivision`` (such as ``'BY'`` for Bavaria) are days off.

    The holidays come from the ``holidays`` package (extra ``dunlib[holidays]``); the
    country and subdivision are checked against it when the calendar is built.
    """

    country: str = attrs.field(validator=_country)
    subdivision: str | None = attrs.field(default=None, validator=_subdivision)

    def is_working_day(self, day: _dt.date) -> bool:
        """True from Monday to Friday unless ``day`` is a public holiday there."""
        plain = as_date(day, "HolidayCalendar.is_working_day.day")
        if plain.weekday() >= _SATURDAY:
            return False
        return plain not in _days_off(self.country, self.subdivision, plain.year)


def roll_forward(day: _dt.date, calendar: Calendar) -> _dt.date:
    """``day`` itself when it is a working day of ``calendar``, else the next working day.

    Never earlier than ``day``. Raises :class:`~dunlib.core.errors.InvalidValueError` when the
    calendar has no working day within a year after ``day`` (or beyond the year 9999).
    """
    current = as_date(day, "roll_forward.day")
    if not isinstance(calendar, Calendar):
        raise InvalidTypeError(
            "roll_forward.calendar", calendar, "a Calendar (an object with is_working_day)"
        )
    for _ in range(_LOOK_AHEAD):
        if calendar.is_working_day(current):
            return current
        current = add_days(current, 1)
    raise InvalidValueError(
        "roll_forward.calendar", calendar, f"a calendar with a working day within a year of {day}"
    )


def add_working_days(day: _dt.date, days: int, calendar: Calendar) -> _dt.date:
    """The ``days``-th working day of ``calendar`` after ``day`` (``day`` itself for zero).

    Five TARGET2 business days after Wednesday 3 June 2026 is Wednesday 10 June. Raises
    :class:`~dunlib.core.errors.InvalidValueError` for a negative count, or when the
    calendar has no working day within a year (or beyond the year 9999).
    """
    current = as_date(day, "add_working_days.day")
    if type(days) is not int or days < 0:
        raise InvalidValueError("add_working_days.days", days, "a whole number of 0 or more")
    for _ in range(days):
        current = roll_forward(add_days(current, 1), calendar)
    return current
