"""Field validators shared by the value objects.

Each validator raises :class:`~dunlib.core.errors.InvalidValueError` (or its type
variant) naming ``Class.field``, the value given and what would be valid.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs
from babel import Locale, UnknownLocaleError

from dunlib.core import quick
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.money import Money

__all__ = [
    "VAT_ID",
    "Validator",
    "calendar_date",
    "compact",
    "countries",
    "country",
    "creditor_reference_valid",
    "field_name",
    "finite_decimal",
    "is_type_only",
    "items_of",
    "locale",
    "matching",
    "money",
    "non_empty_text",
    "non_negative_int",
    "non_negative_money",
    "of_type",
    "optional",
    "optional_of",
    "positive_int",
    "positive_money",
    "text",
    "to_decimal",
    "to_tuple",
    "tuple_of",
    "vat_id",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
_F = TypeVar("_F", bound=Callable[..., None])

_TYPE_ONLY: set[object] = set()


def _type_only(validator: Validator) -> Validator:
    """Mark ``validator`` as one that checks only the type of a value (see :func:`is_type_only`)."""
    _TYPE_ONLY.add(validator)
    return validator


def is_type_only(validator: object) -> bool:
    """Whether ``validator`` checks nothing but the type of a value (a str, a date, a
    finite Decimal, a Money, an instance of a class, a tuple of one): a reader that
    built a value of the field's type itself (:mod:`dunlib.io.serialize`) need not ask it."""
    return validator in _TYPE_ONLY


_PASSES: dict[object, str] = {}


def passes_when(test: str) -> Callable[[_F], _F]:
    """Mark a validator with ``test``: a Python expression of a value ``{0}`` already of
    the field's type, true only where the validator passes. A reader that built the value
    itself (:mod:`dunlib.io.serialize`) evaluates the test, and asks the validator only where
    it fails. An ``__attrs_post_init__`` is marked the same, its test naming the fields
    (``{level} >= 1``)."""

    def mark(validator: _F) -> _F:
        _PASSES[validator] = test
        return validator

    return mark


def passing_test(validator: object) -> str | None:
    """The test ``validator`` was marked with (:func:`passes_when`), or None."""
    return _PASSES.get(validator)


def field_name(instance: Any, attribute: attrs.Attribute[Any]) -> str:
    """``Class.field`` for messages."""
    return f"{type(instance).__name__}.{attribute.name}"


def of_type(*types: type, expected: str) -> Validator:
    """Accept only instances of ``types`` (``bool`` is never an ``int`` here)."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise InvalidTypeError(field_name(instance, attribute), value, expected)

    return _type_only(check)


def optional(validator: Validator) -> Validator:
    """Accept ``None`` or what ``validator`` accepts."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    _OPTIONAL[check] = validator
    return _type_only(check) if is_type_only(validator) else check


_OPTIONAL: dict[object, Validator] = {}


def optional_of(validator: object) -> Validator | None:
    """The validator that ``validator``, made by :func:`optional`, asks about a value other
    than None; None for any other validator."""
    return _OPTIONAL.get(validator)


@passes_when("{0}.strip()")
def non_empty_text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A string with at least one non-blank character."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidValueError(field_name(instance, attribute), value, "a non-empty string")


@_type_only
def text(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Any string, possibly empty."""
    if not isinstance(value, str):
        raise InvalidTypeError(field_name(instance, attribute), value, "a string")


@passes_when("{0} >= 0")
def non_negative_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A whole number of zero or more (days, levels, counts)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValueError(field_name(instance, attribute), value, "an int >= 0")


@_type_only
def calendar_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A calendar date; a ``datetime`` is refused because it carries a time of day."""
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise InvalidTypeError(
            field_name(instance, attribute),
            value,
            "a datetime.date (not a datetime: dunlib works in whole days)",
        )


def to_decimal(value: Any) -> Any:
    """Read ints and decimal strings as ``Decimal``; leave anything else for the validator."""
    if type(value) is Decimal:  # the common case, first: a Decimal stays as it is
        return value
    if isinstance(value, int | str) and not isinstance(value, bool):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    return value


@_type_only
def finite_decimal(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A finite ``Decimal`` (no NaN, no infinity)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidTypeError(field_name(instance, attribute), value, "a finite Decimal")


def tuple_of(item_type: type, expected: str) -> Validator:
    """A tuple whose items are all ``item_type``."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is tuple and not value:  # the common case, first: nothing of this kind
            return
        if not isinstance(value, tuple):
            raise InvalidTypeError(field_name(instance, attribute), value, f"a tuple of {expected}")
        if all(map(isinstance, value, itertools.repeat(item_type))):
            return
        index = next(i for i, item in enumerate(value) if not isinstance(item, item_type))
        raise InvalidTypeError(
            f"{field_name(instance, attribute)}[{index}]", value[index], expected
        )

    return _type_only(check)


def to_tuple(value: Any) -> Any:
    """Turn a list into a tuple so collections stay immutable; leave other values alone."""
    return tuple(value) if isinstance(value, list) else value


def items_of(value: Any, item_type: type, field: str, expected: str) -> list[Any]:
    """The items of the iterable ``value`` as a list, each an ``item_type``.

    Raises :class:`~dunlib.core.errors.InvalidTypeError` naming ``field`` for a non-iterable
    (a string or bytes counts as one: they are never collections of values here) and
    ``field[i]`` for an item of another type.
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, f"an iterable of {expected}")
    items = list(value)
    for index, item in enumerate(items):
        if not isinstance(item, item_type):
            raise InvalidTypeError(f"{field}[{index}]", item, expected)
    return items


@quick.cached(quick.LOCALES)
def _is_locale(tag: str) -> bool:
    try:
        Locale.parse(tag)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def locale(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A CLDR locale tag babel knows, such as ``de_DE``."""
    if not isinstance(value, str) or not _is_locale(value):
        raise InvalidValueError(
            field_name(instance, attribute), value, "a CLDR locale such as 'de_DE' or 'en_GB'"
        )


@functools.cache
def countries() -> frozenset[str]:
    """The ISO 3166 alpha-2 country codes (the territories CLDR knows, read once)."""
    return frozenset(
        code
        for code in map(str, Locale("en").territories)
        if len(code) == 2 and code.isalpha() and code.isupper()
    )


def country(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An ISO 3166 alpha-2 country code, such as ``DE`` (the territories CLDR knows)."""
    if not isinstance(value, str) or value not in countries():
        raise InvalidValueError(
            field_name(instance, attribute), value, "an ISO 3166 alpha-2 country code, e.g. 'DE'"
        )


VAT_ID = re.compile(r"[A-Z]{2}[0-9A-Z+*]{2,12}")
"""A VAT identification number: its country prefix and 2 to 12 letters or digits."""


def compact(value: Any) -> Any:
    """An identifier in its electronic form: capitals without spaces (anything else as given)."""
    return "".join(value.split()).upper() if isinstance(value, str) else value


def matching(pattern: re.Pattern[str], expected: str) -> Validator:
    """A validator of an optional string: empty, or matching ``pattern`` as a whole."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        text(instance, attribute, value)
        if value and not pattern.fullmatch(value):
            raise InvalidValueError(field_name(instance, attribute), value, expected)

    return check


_CREDITOR_REFERENCE = re.compile(r"RF[0-9]{2}[0-9A-Z]{1,21}")


def creditor_reference_valid(reference: str) -> bool:
    """Whether ``reference`` is an ISO 11649 creditor reference (``RF18539007547034``):
    ``RF``, two check digits and 1 to 21 letters or digits whose mod-97 check is 1 (the
    structured reference a GiroCode carries and a payer's bank reports back)."""
    if not isinstance(reference, str):
        raise InvalidTypeError("reference", reference, "a string")
    if not _CREDITOR_REFERENCE.fullmatch(reference):
        return False
    digits = "".join(str(int(char, 36)) for char in reference[4:] + reference[:4])
    return int(digits) % 97 == 1


_VAT_ID = matching(VAT_ID, "a VAT id: a country prefix and 2 to 12 letters or digits")


def vat_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An optional VAT id: empty, or a country prefix and 2 to 12 letters or digits
    (:data:`VAT_ID`), in its electronic form (:func:`compact`)."""
    _VAT_ID(instance, attribute, value)


@passes_when("{0} >= 1")
def positive_int(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A whole number of one or more (levels, positions, sequence values)."""
    non_negative_int(instance, attribute, value)
    if value < 1:
        raise InvalidValueError(field_name(instance, attribute), value, "an int >= 1")


@_type_only
def money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A :class:`~dunlib.core.money.Money`."""
    if not isinstance(value, Money):
        raise InvalidTypeError(field_name(instance, attribute), value, "a Money")


@passes_when("{0}.amount > 0")
def positive_money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An amount above zero."""
    money(instance, attribute, value)
    if not value.is_positive:
        raise InvalidValueError(field_name(instance, attribute), value, "an amount above zero")


@passes_when("{0}.amount >= 0")
def non_negative_money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An amount of zero or more."""
    money(instance, attribute, value)
    if value.is_negative:
        raise InvalidValueError(field_name(instance, attribute), value, "an amount of zero or more")
