"""Working-day calendars and deadlines rolled forward (§ 193 BGB)."""

from __future__ import annotations

import builtins
import datetime as dt
import importlib
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import (
    Customer,
    DunningRules,
    DunningStage,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    StageKind,
    next_dunning_action,
)
from dunlib.core import HolidayCalendar, MissingExtraError, WeekendCalendar, roll_forward
from dunlib.core import calendars as calendars_module
from dunlib.strategies import calendars

DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@given(day=DAYS, calendar=calendars())
def test_rolled_deadline_never_moves_back_and_lands_on_a_working_day_law(
    day: dt.date, calendar: WeekendCalendar | HolidayCalendar
) -> None:
    """Law: roll_forward never moves a day backwards and always lands on a working day of
    its calendar; a working day stays where it is."""
    rolled = roll_forward(day, calendar)
    assert rolled >= day
    assert calendar.is_working_day(rolled)
    if calendar.is_working_day(day):
        assert rolled == day


def test_german_holidays_and_weekends_are_days_off() -> None:
    """German Unity Day 2024 (a Thursday) is off; Epiphany only in Bavaria; Saturday off."""
    germany = HolidayCalendar(country="DE")
    bavaria = HolidayCalendar(country="DE", subdivision="BY")
    assert not germany.is_working_day(dt.date(2024, 10, 3))
    assert germany.is_working_day(dt.date(2024, 1, 5))
    assert not bavaria.is_working_day(dt.date(2025, 1, 6))
    assert germany.is_working_day(dt.date(2025, 1, 6))
    assert not WeekendCalendar().is_working_day(dt.date(2024, 10, 5))
    # Good Friday 2024 (29 March), then Saturday, Sunday, Easter Monday: Tuesday 2 April
    assert roll_forward(dt.date(2024, 3, 29), germany) == dt.date(2024, 4, 2)


def test_bad_calendars_are_refused() -> None:
    """An unknown country or subdivision, a non-calendar, a calendar without working days."""
    with pytest.raises(InvalidValueError, match="HolidayCalendar.country"):
        HolidayCalendar(country="XX")
    with pytest.raises(InvalidValueError, match="HolidayCalendar.subdivision"):
        HolidayCalendar(country="DE", subdivision="ZZ")
    with pytest.raises(InvalidTypeError, match="roll_forward.calendar"):
        roll_forward(dt.date(2024, 1, 1), "weekends")  # type: ignore[arg-type]

    class Never:
        def is_working_day(self, day: dt.date) -> bool:
            return False

    with pytest.raises(InvalidValueError, match="working day within a year"):
        roll_forward(dt.date(2024, 1, 1), Never())


def test_missing_holidays_package_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the holidays package, a HolidayCalendar raises MissingExtraError naming the
    extra dunlib[holidays] (a DunlibError and an ImportError)."""
    real = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "holidays":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", lambda name: refuse(name))
    with pytest.raises(MissingExtraError, match=r"dunlib\[holidays\]") as caught:
        calendars_module.HolidayCalendar(country="DE")
    assert caught.value.extra == "holidays"


def test_importing_dunlib_does_not_import_holidays() -> None:
    """The optional extra stays optional: import dunlib loads no holidays module."""
    code = "import sys, dunlib; print('holidays' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_engine_rolls_a_due_date_on_a_day_off_forward() -> None:
    """§ 193 BGB: with a calendar in the rules, a notice due on Saturday 5 October 2024 is
    due on Monday 7 October; without one, on the Saturday."""
    invoice = Invoice.sent(
        number="RE-C",
        customer=Customer(id="C", name="C"),
        gross=Money("10.00", "EUR"),
        issue_date=dt.date(2024, 9, 1),
        due_date=dt.date(2024, 9, 20),
    )
    stage = DunningStage(StageKind.NOTICE, days_overdue=8, payment_term_days=7)
    plain = next_dunning_action(invoice, DunningRules(stages=(stage,)), today=dt.date(2024, 9, 28))
    rolled = next_dunning_action(
        invoice,
        DunningRules(stages=(stage,), calendar=HolidayCalendar(country="DE")),
        today=dt.date(2024, 9, 28),
    )
    assert isinstance(plain, IssueStage)
    assert isinstance(rolled, IssueStage)
    assert plain.due_date == dt.date(2024, 10, 5)
    assert rolled.due_date == dt.date(2024, 10, 7)
