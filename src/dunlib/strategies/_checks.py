"""Checks of the strategies' arguments: every bad argument is a typed error naming the
strategy's argument, the value and what is valid, raised when the strategy is built."""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import inspect
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar

from hypothesis import strategies as st

from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit

_P = ParamSpec("_P")
_T = TypeVar("_T")

Check = Callable[[str, Any], None]
"""A check of one argument: called with the argument's name (``strategy.argument``) and its
value, raises a typed error when the value is not valid."""


def _of_type(
    field: str, value: Any, types: tuple[type, ...], expected: str, optional: bool
) -> None:
    if value is None and optional:
        return
    if (type(value) is bool and bool not in types) or not isinstance(value, types):
        raise InvalidTypeError(field, value, expected + (" or None" if optional else ""))


def instance(types: type | tuple[type, ...], expected: str, *, optional: bool = False) -> Check:
    """A value of ``types`` (None too when ``optional``)."""
    kinds = types if isinstance(types, tuple) else (types,)
    return lambda field, value: _of_type(field, value, kinds, expected, optional)


def flag(*, optional: bool = False) -> Check:
    """True or False (None too when ``optional``: drawn)."""
    return instance(bool, "True or False", optional=optional)


def count(minimum: int = 0, *, optional: bool = False) -> Check:
    """A whole number of at least ``minimum`` (None too when ``optional``: drawn)."""

    def check(field: str, value: Any) -> None:
        _of_type(field, value, (int,), f"a whole number of at least {minimum}", optional)
        if value is not None and value < minimum:
            raise InvalidValueError(field, value, f"a whole number of at least {minimum}")

    return check


def day(*, optional: bool = False) -> Check:
    """A calendar date (never a datetime)."""

    def check(field: str, value: Any) -> None:
        if isinstance(value, _dt.datetime):
            raise InvalidTypeError(field, value, "a date (not a datetime)")
        _of_type(field, value, (_dt.date,), "a date", optional)

    return check


def currency(*, optional: bool = False) -> Check:
    """An ISO 4217 code such as 'EUR' (None too when ``optional``: drawn)."""
    expected = "an ISO 4217 code in upper case, such as 'EUR'"

    def check(field: str, value: Any) -> None:
        _of_type(field, value, (str,), expected, optional)
        if value is not None:
            try:
                minor_unit(value)
            except InvalidValueError:
                raise InvalidValueError(field, value, expected) from None

    return check


_AMOUNT = "an amount (Decimal, int or Money)"


def amount(*, optional: bool = False) -> Check:
    """An amount: a Decimal, an int or a Money (no float, no NaN)."""

    def check(field: str, value: Any) -> None:
        _of_type(field, value, (Decimal, int, Money), _AMOUNT, optional)
        if isinstance(value, Decimal) and not value.is_finite():
            raise InvalidValueError(field, value, "a finite amount")

    return check


def members(each: Check, expected: str, *, non_empty: bool = False) -> Check:
    """A tuple whose every element passes ``each`` (at least one when ``non_empty``)."""

    def check(field: str, value: Any) -> None:
        _of_type(field, value, (tuple,), f"a tuple of {expected}", False)
        if non_empty and not value:
            raise InvalidValueError(field, value, f"a tuple of at least one of {expected}")
        for element in value:
            try:
                each(field, element)
            except InvalidValueError:
                raise InvalidTypeError(field, value, f"a tuple of {expected}") from None

    return check


def one_of(allowed: tuple[Any, ...], *, optional: bool = False) -> Check:
    """One of ``allowed`` (members of one enum), None too when ``optional``."""
    names = ", ".join(f"{type(a).__name__}.{a.name}" for a in allowed)
    expected = f"one of {names}" + (" or None" if optional else "")

    def check(field: str, value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, enum.Enum):
            raise InvalidTypeError(field, value, expected)
        if value not in allowed:
            raise InvalidValueError(field, value, expected)

    return check


def strategy(*, optional: bool = False) -> Check:
    """A Hypothesis strategy (None too when ``optional``)."""
    return instance(st.SearchStrategy, "a Hypothesis strategy", optional=optional)


invoice = instance(Invoice, "an Invoice")
money = instance(Money, "a Money")
text = instance(str, "a str")


def checked(
    checks: dict[str, Check],
    *,
    ordered: tuple[tuple[str, str], ...] = (),
    also: Callable[[dict[str, Any]], object] | None = None,
) -> Callable[[Callable[_P, _T]], Callable[_P, _T]]:
    """Check a strategy's arguments (defaults included) when it is called: each argument by
    its check in ``checks`` (every keyword argument must have one), then each pair in
    ``ordered`` (low, high) that is not None: low at most high, else an error naming low;
    then ``also`` with the arguments by name (checks of several arguments together)."""

    def decorate(factory: Callable[_P, _T]) -> Callable[_P, _T]:
        signature = inspect.signature(factory)
        name = factory.__name__

        @functools.wraps(factory)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                expected = f"keyword arguments among {', '.join(checks) or 'none'}"
                raise InvalidTypeError(name, (args, kwargs), expected) from None
            bound.apply_defaults()
            values = dict(bound.arguments)
            for argument, check in checks.items():
                check(f"{name}.{argument}", values[argument])
            for low, high in ordered:
                if None not in (values[low], values[high]) and values[low] > values[high]:
                    raise InvalidValueError(
                        f"{name}.{low}", values[low], f"at most {high} ({values[high]!r})"
                    )
            if also is not None:
                also(values)
            return factory(*args, **kwargs)

        return wrapper

    return decorate
