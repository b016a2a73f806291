"""The argument convention (docs/conventions.md), checked on every public function.

Every function exported by ``dunlib`` or one of its areas is introspected: the day of an
act is ``on=`` and the day of a question ``today=``, both keyword-only; every act takes a
required keyword-only ``actor`` and ``authority``; no function takes a ``policy`` or
``permissions`` of its own; no day is positional except the bounds and day arithmetic the
page lists; no act returns a bare tuple of different things.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import dunlib
from builders import AREAS

Function = Callable[..., Any]

MADE_OUTSIDE_THE_TABLE = frozenset(
    {
        "create_draft",
        "derive_invoice",
        "derive_credit_note",
        "derive_delivery_note",
        "convert_to_credit_note",
        "invoice_from_order",
        "split_order_item",
        "delete_order_invoice",
        "delete_series_invoice",
    }
)
"""Documents made outside the transition table: no row, so no authority to check."""

ACTOR_IN_THE_VALUE = frozenset({"apply_event"})
"""Acts whose value names its actor (a Pause or Resume)."""

BOUNDS = frozenset({"until", "start", "end"})
"""Positional days that bound a period a question is about."""

DAY_SUBJECTS = frozenset(
    {
        "add_days",
        "add_months",
        "add_working_days",
        "days_between",
        "roll_forward",
        "format_day",
        "as_date",
    }
)
"""Day arithmetic and formatting: the day is their subject."""


def public_functions() -> Iterator[tuple[str, Function]]:
    """Every public function of the root and of the areas, each once, by its public name."""
    seen: set[int] = set()
    for module in (dunlib, *AREAS):
        name = module.__name__
        for export in module.__all__:
            value = getattr(module, export)
            if inspect.isfunction(value) and id(value) not in seen:
                seen.add(id(value))
                yield f"{name}.{export}", value


FUNCTIONS = dict(public_functions())


def _parameters(function: Function) -> dict[str, inspect.Parameter]:
    return dict(inspect.signature(function).parameters)


def _is_act(name: str, function: Function) -> bool:
    """Whether ``function`` is an act: it takes a person (an ``Actor``) or an authority, and
    is not a check of one (``check_policy``, ``checked_authority``)."""
    parameters = _parameters(function)
    short = name.rpartition(".")[2]
    takes = {
        parameters[field].annotation for field in ("actor", "authority") if field in parameters
    }
    return (
        bool(takes & {"Actor", "Authority"})
        and not short.startswith("check")
        and short not in MADE_OUTSIDE_THE_TABLE
    )


ACTS = {name: function for name, function in FUNCTIONS.items() if _is_act(name, function)}


def test_the_convention_sees_every_area_and_the_main_acts() -> None:
    """The introspection is not vacuous: it finds the areas' functions and the acts the
    docs name."""
    assert len(FUNCTIONS) > 80
    assert len(ACTS) > 30
    for act in ("record_payment", "send", "pause", "place_hold", "switch_fees", "send_letter"):
        assert f"dunlib.{act}" in ACTS


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_the_day_of_an_act_or_a_question_is_keyword_only(name: str) -> None:
    """``on`` and ``today`` are keyword-only wherever they appear."""
    for parameter in _parameters(FUNCTIONS[name]).values():
        if parameter.name in ("on", "today"):
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, (name, parameter.name)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_no_day_is_positional_but_a_bound_or_a_days_own_arithmetic(name: str) -> None:
    """A positional parameter that is a day is a bound of a period or the subject of day
    arithmetic; every other day is ``on=`` or ``today=``."""
    if name.rpartition(".")[2] in DAY_SUBJECTS:
        return
    for parameter in _parameters(FUNCTIONS[name]).values():
        positional = parameter.kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        )
        if positional and "date" in str(parameter.annotation):
            assert parameter.name in BOUNDS, (name, parameter.name)


DAY_SUBJECT_METHODS = frozenset(
    {
        "PaymentTerms.due_date",
        "PaymentTerms.discount_deadline",
        "Calendar.is_working_day",
        "HolidayCalendar.is_working_day",
        "Target2Calendar.is_working_day",
        "WeekendCalendar.is_working_day",
    }
)
"""Methods whose day is their subject: the terms' arithmetic from an issue date, and a
calendar's question about a day."""


def public_methods() -> Iterator[tuple[str, Function]]:
    """Every public method of every public class of the root and the areas, each once."""
    seen: set[int] = set()
    for module in (dunlib, *AREAS):
        for export in module.__all__:
            cls = getattr(module, export)
            if not inspect.isclass(cls) or id(cls) in seen:
                continue
            seen.add(id(cls))
            for attribute, value in vars(cls).items():
                function = (
                    value.__func__ if isinstance(value, classmethod | staticmethod) else value
                )
                if not attribute.startswith("_") and inspect.isfunction(function):
                    yield f"{cls.__name__}.{attribute}", function


METHODS = dict(public_methods())


def test_the_convention_sees_the_methods_that_ask_about_a_day() -> None:
    """The introspection of methods is not vacuous: it finds the ones that take a day."""
    for method in ("Hold.holds_on", "CustomerAccount.credit", "CustomerAccount.holds_on"):
        assert method in METHODS


@pytest.mark.parametrize("name", sorted(METHODS))
def test_a_method_takes_its_day_by_keyword_too(name: str) -> None:
    """A method's day is ``on=`` or ``today=``, keyword-only, as a function's is; only the
    terms' arithmetic and a calendar take their day as their subject."""
    for parameter in _parameters(METHODS[name]).values():
        if parameter.name in ("on", "today"):
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, (name, parameter.name)
        positional = parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
        if positional and "date" in str(parameter.annotation) and parameter.name != "self":
            assert name in DAY_SUBJECT_METHODS or parameter.name in BOUNDS, (name, parameter.name)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_no_function_takes_a_policy_or_permissions_of_its_own(name: str) -> None:
    """The eyes policy and the rights travel together as one ``authority``."""
    assert not {"policy", "permissions"} & set(_parameters(FUNCTIONS[name])), name


@pytest.mark.parametrize("name", sorted(ACTS))
def test_every_act_takes_a_required_actor_and_authority_by_keyword(name: str) -> None:
    """An act names who acts and under which authority, by keyword, with no default: no
    act is booked by the automatic actor or under the default policy by accident."""
    parameters = _parameters(ACTS[name])
    required = ["authority"]
    if name.rpartition(".")[2] not in ACTOR_IN_THE_VALUE:
        required.append("actor")
    for field in required:
        assert field in parameters, (name, field)
        parameter = parameters[field]
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, (name, field)
        assert parameter.default is inspect.Parameter.empty, (name, field)


MAKERS = {
    name: function
    for name, function in FUNCTIONS.items()
    if name.rpartition(".")[2] in MADE_OUTSIDE_THE_TABLE
}


@pytest.mark.parametrize("name", sorted({**ACTS, **MAKERS}))
def test_no_act_returns_a_bare_tuple_of_different_things(name: str) -> None:
    """An act (documents made outside the table included) returns the value it changed, a
    tuple of values of one kind, or a named result."""
    returned = str(inspect.signature({**ACTS, **MAKERS}[name]).return_annotation)
    if returned.startswith("tuple["):
        assert returned.endswith(", ...]"), (name, returned)
        assert returned.count(",") == 1, (name, returned)


def test_the_exceptions_are_still_functions_of_dunlib() -> None:
    """Every exception the page lists names a public function, so the list cannot rot."""
    short = {name.rpartition(".")[2] for name in FUNCTIONS}
    assert short >= MADE_OUTSIDE_THE_TABLE | ACTOR_IN_THE_VALUE | DAY_SUBJECTS
