"""The persistence boundary: dunlib values to JSON documents and back, exactly.

A *document* is a JSON object holding one value object's fields plus
``"schema_version"`` (currently :data:`SCHEMA_VERSION`). Inside it:

* money is an object ``{"amount": "119.00", "currency": "EUR"}`` whose amount is a
  decimal *string* with every digit kept; a JSON number with a fraction (a float)
  is refused, a whole number such as ``119`` is accepted;
* other decimals (quantities, tax rates, discount percentages) are decimal strings
  too, written with exactly the digits the value has (``"0.500"``, ``"19"``);
* dates are ISO 8601 calendar dates (``"2026-05-10"``); a date and time is refused
  where a date belongs;
* enums are written by member name (``"SENT"``, ``"NOTICE"``);
* collections are JSON arrays; every field is written, and a field that has a
  default may be left out when reading.

Reading checks everything the value objects check, and more: unknown fields,
wrong types and invalid values anywhere in the document are all reported at once
in one :class:`~dunlib.core.errors.DocumentError`, each with its path
(``stages[2].fee.amount``). A document of an older schema version is upgraded
step by step (:data:`UPGRADES`); a newer or unknown version is refused.

A document nests objects and lists at most :data:`MAX_NESTING` (32) levels deep and
holds whole numbers of at most :data:`MAX_INT_DIGITS` (100) digits; dunlib's own
documents need far less. Deeper or longer input is refused quickly with a
:class:`~dunlib.core.errors.DocumentError` saying so, and :func:`to_dict` refuses a value
whose document would break these limits (a day count of 10**200, say) with an
:class:`~dunlib.core.errors.InvalidValueError`.

:func:`to_json` writes keys sorted and without insignificant whitespace, so the
same value always gives the same text (ASCII only: other characters are escaped).
The structuring itself is done by ``cattrs``.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import reprlib
import tomllib
from collections.abc import Callable, Mapping
from decimal import Decimal
from enum import Enum, IntEnum, StrEnum
from os import PathLike
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import Any, TypeVar, Union, cast, get_args, get_origin

import attrs
import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from dunlib.analytics.whatif import WhatIfEvent
from dunlib.core import validate as _validate
from dunlib.core.calendars import HolidayCalendar, WeekendCalendar
from dunlib.core.errors import (
    DocumentError,
    DocumentProblem,
    DunlibError,
    InvalidTypeError,
    InvalidValueError,
)
from dunlib.core.generated import FACTORY
from dunlib.core.money import Money
from dunlib.core.money import to_decimal as _money_amount
from dunlib.dunning.actions import DunningAction
from dunlib.dunning.stages import DunningRules
from dunlib.dunning.suspension import SuspensionEvent

__all__ = [
    "MAX_INT_DIGITS",
    "MAX_NESTING",
    "SCHEMA_VERSION",
    "TAG_KEY",
    "UPGRADES",
    "VERSION_KEY",
    "from_dict",
    "from_json",
    "load_rules",
    "to_dict",
    "to_json",
    "upgrade_legacy_money",
]

T = TypeVar("T")

SCHEMA_VERSION = 1
"""The schema version :func:`to_dict` writes; every version from 0 up to it can be read."""

VERSION_KEY = "schema_version"
"""The key of a document's top-level object that holds its schema version."""

MAX_NESTING = 32
"""How many levels of objects and lists a document may nest (the top-level object is one)."""

MAX_INT_DIGITS = 100
"""How many digits a whole number in a document may have."""

_INT_LIMIT = 10**MAX_INT_DIGITS

_MISSING: Any = object()


# -- problems found in a document ---------------------------------------------


class _Refused(Exception):
    """A value at one point of a document (or at its field ``key``) is not what belongs there."""

    def __init__(self, value: Any, expected: str, *, key: str = "", missing: bool = False) -> None:
        got = "required field missing" if missing else f"got {_short(value)}"
        super().__init__(f"{got}; expected {expected}")
        self.key = key


class _Repr(reprlib.Repr):
    def repr_instance(self, x: Any, level: int) -> str:
        return repr(x)  # a failure is reported by _short by type, not by address


_REPR = _Repr()
_REPR.maxlevel = 3
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = 80
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = _REPR.maxfrozenset = 12


def _short(value: Any) -> str:
    """At most 60 characters of ``repr(value)``, quickly, whatever the value's size or depth."""
    if isinstance(value, Money):
        text = f"{value} (Money)"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
        text = f"a whole number of about {int(value.bit_length() * 0.30103) + 1} digits"
    else:
        if isinstance(value, str):
            value = value[:60]  # the cut below keeps no more; repr only what is shown
        try:
            text = _REPR.repr(value)
        except Exception:  # a repr that fails, or a number too long to print
            text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else f"{text[:57]}..."


class _LongNumber:
    """A JSON whole number with more than :data:`MAX_INT_DIGITS` digits, left unconverted so
    that the problem is reported at its path."""

    __slots__ = ("digits",)

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _parse_int(text: str) -> int | _LongNumber:
    digits = len(text) - text.startswith("-")
    return _LongNumber(digits) if digits > MAX_INT_DIGITS else int(text)


_TOO_DEEP = f"nested too deeply: at most {MAX_NESTING} levels of objects and lists"
_TOO_LONG = f"expected a whole number of at most {MAX_INT_DIGITS} digits"


def _key(path: str, key: object) -> str:
    name = key if isinstance(key, str) else _short(key)
    return _join(path, name if len(name) <= 60 else f"{name[:57]}...")


def _limit_problems(document: Any) -> list[DocumentProblem]:
    """Where ``document`` nests too deeply or holds too long a number, in document order.

    Walks without recursion and visits each object or list once, so it is quick and ends
    on any input (a document built in Python may even contain itself).
    """
    problems: list[DocumentProblem] = []
    seen: set[int] = set()
    stack: list[tuple[Any, str, int]] = [(document, "", 1)]
    while stack:
        value, path, level = stack.pop()
        where = path or "$"
        if isinstance(value, _LongNumber):
            message = f"got a number of {value.digits} digits; {_TOO_LONG}"
            problems.append(DocumentProblem(path=where, message=message))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
            message = f"got {_short(value)}; {_TOO_LONG}"
            problems.append(DocumentProblem(path=where, message=message))
        elif isinstance(value, Mapping | list | tuple) and id(value) not in seen:
            seen.add(id(value))
            if level > MAX_NESTING:
                problems.append(DocumentProblem(path=where, message=_TOO_DEEP))
                continue
            if isinstance(value, Mapping):
                children = [(item, _key(path, key)) for key, item in value.items()]
            else:
                children = [(item, f"{path}[{index}]") for index, item in enumerate(value)]
            stack.extend((item, at, level + 1) for item, at in reversed(children))
    return problems


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _problems(error: BaseException, path: str, owner: type | None) -> list[DocumentProblem]:
    """Every problem inside ``error`` (found at ``path``), in document order."""
    if isinstance(error, ClassValidationError):
        noted, other = error.group_exceptions()
        found = [p for sub, note in noted for p in _problems(sub, _join(path, note.name), None)]
        return found + [p for sub in other for p in _problems(sub, path, error.cl)]
    if isinstance(error, IterableValidationError):
        noted_items, other = error.group_exceptions()
        found = [
            p for sub, item in noted_items for p in _problems(sub, f"{path}[{item.index}]", None)
        ]
        return found + [p for sub in other for p in _problems(sub, path, None)]
    where = path or "$"
    if isinstance(error, ForbiddenExtraKeysError):
        known = ", ".join(field.name for field in attrs.fields(error.cl) if field.init)
        message = f"unknown field; {error.cl.__name__} has: {known}"
        paths = sorted(_key(path, key) for key in error.extra_fields)  # keys of any type
        return [DocumentProblem(path=at, message=message) for at in paths]
    if isinstance(error, InvalidValueError):
        head, _, rest = error.field.partition(".")
        message = f"got {_short(error.value)}; expected {error.expected}"
        if owner is not None and head == owner.__name__ and rest:
            return [DocumentProblem(path=_join(path, rest), message=message)]
        return [DocumentProblem(path=where, message=f"{error.field}: {message}")]
    if isinstance(error, _Refused):
        at = _join(path, error.key) if error.key else where
        return [DocumentProblem(path=at, message=str(error))]
    if isinstance(error, KeyError):
        return [DocumentProblem(path=where, message="required field missing")]
    message = f"cannot be read ({type(error).__name__}: {error})"
    return [DocumentProblem(path=where, message=message)]


# -- the converter ---------------------------------------------------------------

_converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d")


def _structure_str(value: Any, _: Any) -> str:
    if not isinstance(value, str):
        raise _Refused(value, "a string")
    return value


def _structure_int(value: Any, _: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Refused(value, "a whole number such as 14 (no fraction, not in quotes)")
    return value


def _structure_bool(value: Any, _: Any) -> bool:
    if not isinstance(value, bool):
        raise _Refused(value, "true or false")
    return value


def _structure_decimal(value: Any, _: Any) -> Decimal:
    if isinstance(value, float):
        raise _Refused(
            value,
            'a decimal string such as "119.00" (a JSON number with a fraction is read as a '
            "float, which cannot hold decimals exactly)",
        )
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return Decimal(value)
    raise _Refused(value, 'a decimal string such as "119.00"')


def _structure_date(value: Any, _: Any) -> _dt.date:
    if type(value) is _dt.date:  # a TOML date
        return value
    if isinstance(value, _dt.datetime) or (isinstance(value, str) and _DATE_TIME.match(value)):
        raise _Refused(
            value, 'a date such as "2026-05-10", not a date and time (dunlib works in whole days)'
        )
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            raise _Refused(value, "a date that exists in the calendar") from None
    raise _Refused(value, 'an ISO 8601 date such as "2026-05-10"')


def _structure_enum(value: Any, cls: type[Enum]) -> Enum:
    if isinstance(value, str) and value in cls.__members__:
        return cls[value]
    names = ", ".join(cls.__members__)
    raise _Refused(value, f"the name of a {cls.__name__}: one of {names}")


def _enum_name(member: Enum) -> str:
    return member.name


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_hook(cls: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    items = homogenous_tuple_structure_factory(cls, _converter)

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise _Refused(value, "a list")
        result: tuple[Any, ...] = items(value, cls)
        return result

    return structure


def _is_fixed_tuple(cls: Any) -> bool:
    return get_origin(cls) is tuple and Ellipsis not in get_args(cls)


def _fixed_tuple_hook(cls: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    """A tuple of fixed length, such as a ``(Status, Command, role)`` grant: a list of its items."""
    kinds = get_args(cls)
    expected = f"a list of {len(kinds)} items: " + ", ".join(
        getattr(kind, "__name__", str(kind)) for kind in kinds
    )

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple) or len(value) != len(kinds):
            raise _Refused(value, expected)
        items: list[Any] = []
        errors: list[Exception] = []
        for index, (item, kind) in enumerate(zip(value, kinds, strict=True)):
            try:
                items.append(_converter.structure(item, kind))
            except Exception as error:  # gathered, so every item's problem is listed
                error.__notes__ = [IterableValidationNote(f"item {index}", index, kind)]
                errors.append(error)
        if errors:
            raise IterableValidationError(f"while reading {cls}", errors, cls)
        return tuple(items)

    return structure


def _is_set(cls: Any) -> bool:
    return get_origin(cls) in (frozenset, set) and len(get_args(cls)) == 1


def _set_structure_hook(cls: Any) -> Callable[[Any, Any], frozenset[Any]]:
    items = _tuple_hook(tuple[get_args(cls)[0], ...])  # type: ignore[misc]

    def structure(value: Any, _: Any) -> frozenset[Any]:
        return frozenset(items(value, cls))

    return structure


def _set_unstructure_hook(cls: Any) -> Callable[[Any], list[Any]]:
    """A set as a list sorted by each item's JSON text, so equal sets give equal documents."""
    item_type = get_args(cls)[0]

    def unstructure(value: Any) -> list[Any]:
        items = [_converter.unstructure(item, item_type) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))

    return unstructure


def _validator_problems(
    cls: type, data: Mapping[str, Any], skip: set[str]
) -> list[InvalidValueError]:
    """The field validators' complaints about the fields of ``data`` not in ``skip``.

    Only used once reading ``cls`` has failed, so that every field's problem is
    listed, not just the first one the constructor met. The validators are given a
    bare instance of ``cls`` that only serves to name the class in their message.
    """
    probe: Any = object.__new__(cls)
    found: list[InvalidValueError] = []
    for field in attrs.fields(cls):
        if field.name in skip or field.name not in data or field.validator is None:
            continue
        try:
            value = _converter.structure(data[field.name], field.type)
            if callable(field.converter):
                value = field.converter(value)
            field.validator(probe, field, value)
        except InvalidValueError as problem:
            found.append(problem)
        except Exception:  # a validator that needs the other fields: the constructor reports
            continue
    return found


def _attrs_hook(cls: type[T]) -> Callable[[Any, Any], T]:
    """Read a value class with cattrs' generated function, then add what its validators say.

    cattrs reports every field it could not read but stops before the constructor;
    the constructor stops at its first complaint. Either way the validators of the
    remaining fields are asked too, so one object's problems are all listed. When
    they find something, a cross-field complaint of the constructor is dropped: it
    is the same problem or may be a consequence of one.
    """
    fields = make_dict_structure_fn(
        cls, _converter, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
    )

    expected = (
        'an amount with its currency, such as {"amount": "5.00", "currency": "EUR"}'
        if cls is Money
        else f"an object with the fields of {cls.__name__}"
    )

    def structure(value: Any, _: Any) -> T:
        if not isinstance(value, Mapping):
            raise _Refused(value, expected)
        try:
            return fields(value, cls)
        except ClassValidationError as error:
            noted, other = error.group_exceptions()
            failed = {note.name for _, note in noted}
            more = _validator_problems(cls, value, failed)
            if more and not noted:
                other = [sub for sub in other if not isinstance(sub, DunlibError)]
            raise ClassValidationError(
                error.message, [*(sub for sub, _ in noted), *other, *more], cls
            ) from None

    return structure


_converter.register_structure_hook(str, _structure_str)
_converter.register_structure_hook(int, _structure_int)
_converter.register_structure_hook(bool, _structure_bool)
_converter.register_structure_hook(Decimal, _structure_decimal)
_converter.register_structure_hook(_dt.date, _structure_date)
# Enums by name; IntEnum and StrEnum named too, or they would be read as an int or a str.
for _base in (Enum, IntEnum, StrEnum):
    _converter.register_structure_hook(_base, _structure_enum)
_converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_hook)
_converter.register_structure_hook_factory(_is_fixed_tuple, _fixed_tuple_hook)
_converter.register_structure_hook_factory(_is_set, _set_structure_hook)
_converter.register_unstructure_hook_factory(_is_set, _set_unstructure_hook)
_converter.register_structure_hook_factory(attrs.has, _attrs_hook)
_converter.register_unstructure_hook(Decimal, str)
_converter.register_unstructure_hook(_dt.date, _dt.date.isoformat)
for _base in (Enum, IntEnum, StrEnum):
    _converter.register_unstructure_hook(_base, _enum_name)

TAG_KEY = "type"
"""Where a member of a union (a suspension event, a dunning decision) writes its class name."""

_TAGGED: dict[Any, dict[str, type]] = {}
"""The unions written with a tag, and their members by tag."""


def _register_tagged_union(union: Any) -> None:
    """A member of ``union`` is an object with its class name under :data:`TAG_KEY`."""
    members: dict[str, type] = {cls.__name__: cls for cls in get_args(union)}
    _TAGGED[union] = members
    expected = f"one of {', '.join(members)}"

    def structure(value: Any, _: Any) -> Any:
        if not isinstance(value, Mapping):
            raise _Refused(value, f"an object with {TAG_KEY!r} {expected}")
        tag = value.get(TAG_KEY, _MISSING)
        if tag is _MISSING:
            raise _Refused(value, expected, key=TAG_KEY, missing=True)
        if not isinstance(tag, str) or tag not in members:
            raise _Refused(tag, expected, key=TAG_KEY)
        body = {key: item for key, item in value.items() if key != TAG_KEY}
        return _converter.structure(body, members[tag])

    def unstructure(value: Any) -> dict[str, Any]:
        fields: dict[str, Any] = _converter.unstructure(value, type(value))
        return {TAG_KEY: type(value).__name__, **fields}

    _converter.register_structure_hook(union, structure)
    _converter.register_unstructure_hook(union, unstructure)


for _union in (SuspensionEvent, DunningAction, WeekendCalendar | HolidayCalendar, WhatIfEvent):
    _register_tagged_union(_union)


def _register_optional(union: Any) -> None:
    """``union | None``: null or a tagged member of ``union``."""

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else _converter.structure(value, union)

    def unstructure(value: Any) -> Any:
        return None if value is None else _converter.unstructure(value, union)

    _converter.register_structure_hook(union | None, structure)
    _converter.register_unstructure_hook(union | None, unstructure)


_register_optional(WeekendCalendar | HolidayCalendar)


# -- schema versions ----------------------------------------------------------------

_LEGACY_MONEY = re.compile(r"\s*([+-]?\d+(?:\.\d+)?)\s+([A-Z]{3})\s*")


def _without_none(cls: Any) -> Any:
    if get_origin(cls) in (Union, UnionType):
        rest = [arg for arg in get_args(cls) if arg is not NoneType]
        if len(rest) == 1:
            return rest[0]
    return cls


def _upgrade_money(value: Any, cls: Any) -> Any:
    cls = _without_none(cls)
    if cls is Money:
        match = _LEGACY_MONEY.fullmatch(value) if isinstance(value, str) else None
        return {"amount": match[1], "currency": match[2]} if match else value
    if attrs.has(cls) and isinstance(value, Mapping):
        fields = attrs.fields_dict(attrs.resolve_types(cls))
        return {
            key: _upgrade_money(item, fields[key].type) if key in fields else item
            for key, item in value.items()
        }
    if _is_homogeneous_tuple(cls) and isinstance(value, list):
        return [_upgrade_money(item, get_args(cls)[0]) for item in value]
    return value


def upgrade_legacy_money(body: Mapping[str, Any], cls: type) -> dict[str, Any]:
    """Version 0 to 1: money written as one string ``"119.00 EUR"`` becomes an object.

    Version 0 wrote each amount as its decimal digits, one space and the currency
    code. Only fields that hold money are touched (a description that happens to
    read "10.00 EUR" stays text); a string that does not have that shape is left
    as it is, for the reader to report.
    """
    if not isinstance(body, Mapping):
        raise InvalidTypeError("upgrade_legacy_money.body", body, "a document's body (a mapping)")
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidTypeError("upgrade_legacy_money.cls", cls, "a dunlib value class")
    upgraded: dict[str, Any] = _upgrade_money(body, cls)
    return upgraded


UPGRADES: Mapping[int, Callable[[Mapping[str, Any], type], dict[str, Any]]] = MappingProxyType(
    {0: upgrade_legacy_money}
)
"""``UPGRADES[n]`` turns the body of a version-``n`` document of a class into version ``n + 1``.

A document is upgraded one step at a time up to :data:`SCHEMA_VERSION` before it is read.
"""


def _version_problem(version: Any) -> DocumentProblem | None:
    oldest = min(UPGRADES, default=SCHEMA_VERSION)
    readable = f"a version from {oldest} to {SCHEMA_VERSION}"
    if version is _MISSING:
        message = f"required field missing: the schema version of the document ({readable})"
    elif isinstance(version, bool) or not isinstance(version, int):
        message = f"got {_short(version)}; expected a whole number, {readable}"
    elif version > SCHEMA_VERSION:
        message = (
            f"got {_short(version)}; expected {readable}: the document was written by a newer "
            "dunlib, upgrade dunlib to read it"
        )
    elif version < oldest:
        message = f"got {_short(version)}; expected {readable}: no such schema version"
    else:
        return None
    return DocumentProblem(path=VERSION_KEY, message=message)


# -- the quick path ----------------------------------------------------------------------
#
# A document as dunlib writes it is read by a reader made once per class from its fields
# (field by field, with the same rules as the converter), and the value it describes is
# checked as its constructor checks it. Anything unusual (a wrong type, an unknown, missing
# or repeated field, an older schema version, a value a check refuses) makes the reader
# give up, and the general path reads the document again and names every problem.
#
# Each reader comes in two kinds. The *dict* reader reads a document given as Python
# objects (from_dict): an object is a dict, a list a list or a tuple; it builds each value
# with its constructor. The *pairs* reader reads what ``json.loads(text,
# object_pairs_hook=tuple)`` gives (from_json): an object is a tuple of its (key, value)
# pairs in text order, a list a list. The parser builds those tuples in C, where the
# general path calls a Python function per object to find keys given twice. The pairs
# reader of a value class is generated as Python source (:func:`_generated`) for objects
# exactly as to_json writes them: their keys, in sorted order, must be the class's fields
# (which also rules out a key given twice); it reads every field in line, sets the fields
# as the constructor would and makes the constructor's checks, leaving out only the
# validators that check nothing but a type the reader has just built. Dates and decimals
# are read once per text, and objects of scalars alone (amounts, customers, payment terms)
# once per set of values, in bounded caches: a portfolio repeats them from invoice to
# invoice.

_Read = Callable[[Any], Any]


class _Slow(Exception):
    """The quick path gives up: the general path reads the document."""


def _quick_str(value: Any) -> str:
    if type(value) is not str:
        raise _Slow
    return value


def _quick_int(value: Any) -> int:
    if type(value) is not int or not -_INT_LIMIT < value < _INT_LIMIT:
        raise _Slow
    return value


def _quick_bool(value: Any) -> bool:
    if type(value) is not bool:
        raise _Slow
    return value


_CACHE_SIZE = 4096
"""How many texts of dates and decimals (and objects read from texts alone) the quick
path keeps, each with the value read from it, so that a text seen again is not read again."""

_DATES: dict[str, _dt.date] = {}
_DECIMALS: dict[str, Decimal] = {}


_MEMOS: list[dict[Any, Any]] = [_DATES, _DECIMALS]
"""Every cache of the quick path: the texts of dates and decimals, and each generated
reader's objects by the values they were read from."""


def _memo() -> dict[Any, Any]:
    """A new cache of objects by the values they were read from."""
    _MEMOS.append({})
    return _MEMOS[-1]


def _forget() -> None:
    """Empty every cache of the quick path (benchmarks read each document as the first time)."""
    for cache in _MEMOS:
        cache.clear()


def _kept(cache: dict[Any, T], key: Any, value: T) -> T:
    """``value``, kept in ``cache`` under ``key`` while the cache is not full."""
    if len(cache) < _CACHE_SIZE:
        cache[key] = value
    return value


def _quick_decimal(value: Any) -> Decimal:
    if type(value) is str and _DECIMAL.fullmatch(value):
        return _kept(_DECIMALS, value, Decimal(value))
    if type(value) is int and -_INT_LIMIT < value < _INT_LIMIT:
        return Decimal(value)
    raise _Slow


def _quick_date(value: Any) -> _dt.date:
    if type(value) is str and _DATE.fullmatch(value):
        return _kept(_DATES, value, _dt.date.fromisoformat(value))
    if type(value) is _dt.date:
        return value
    raise _Slow


_QUICK_SCALARS: dict[Any, _Read] = {
    str: _quick_str,
    int: _quick_int,
    bool: _quick_bool,
    Decimal: _quick_decimal,
    _dt.date: _quick_date,
}

_QUICK: dict[tuple[Any, bool], _Read | None] = {}


def _quick(cls: Any, pairs: bool = False) -> _Read | None:
    """The quick reader of values of type ``cls``, made once; None for a type it cannot
    read (the converter reads those). ``pairs``: the pairs reader, else the dict reader."""
    key = (cls, pairs)
    if key not in _QUICK:
        _QUICK[key] = None  # while it is made: a type that contains itself is not read quickly
        _QUICK[key] = _quick_reader(cls, pairs)
    return _QUICK[key]


def _quick_reader(cls: Any, pairs: bool) -> _Read | None:
    if cls in _QUICK_SCALARS:
        return _QUICK_SCALARS[cls]
    if isinstance(cls, type) and issubclass(cls, Enum):
        return _quick_enum(cls)
    if isinstance(cls, type) and attrs.has(cls):
        return _generated(cls) if pairs else _quick_attrs(cls)
    if cls in _TAGGED:
        return _quick_tagged(_TAGGED[cls], pairs)
    if _is_homogeneous_tuple(cls) or _is_set(cls):
        item = _quick(get_args(cls)[0], pairs)
        return None if item is None else _quick_items(item, _is_set(cls), pairs)
    if _is_fixed_tuple(cls):
        items = [_quick(kind, pairs) for kind in get_args(cls)]
        return None if None in items else _quick_fixed([i for i in items if i is not None], pairs)
    some = _optional_of(cls)
    if some is not None:
        reader = _quick(some, pairs)
        return None if reader is None else _quick_optional(reader)
    return None


def _optional_of(cls: Any) -> Any:
    """``T`` (or the union of the types other than None) for ``T | None``; None for any other."""
    if get_origin(cls) in (Union, UnionType) and NoneType in get_args(cls):
        rest = [arg for arg in get_args(cls) if arg is not NoneType]
        return rest[0] if len(rest) == 1 else Union[tuple(rest)]  # noqa: UP007
    return None


def _quick_enum(cls: type[Enum]) -> _Read:
    members = cls.__members__

    def read(value: Any) -> Enum:
        if type(value) is not str or value not in members:
            raise _Slow
        return members[value]

    return read


def _is_list(value: Any, pairs: bool) -> bool:
    """Whether ``value`` is a JSON list: a list, or (in a dict reader) a tuple."""
    return type(value) is list or (not pairs and type(value) is tuple)


def _quick_items(item: _Read, as_set: bool, pairs: bool) -> _Read:
    def read(value: Any) -> Any:
        if not _is_list(value, pairs):
            raise _Slow
        return frozenset(map(item, value)) if as_set else tuple(map(item, value))

    return read


def _quick_fixed(items: list[_Read], pairs: bool) -> _Read:
    def read(value: Any) -> tuple[Any, ...]:
        if not _is_list(value, pairs) or len(value) != len(items):
            raise _Slow
        return tuple(item(part) for item, part in zip(items, value, strict=True))

    return read


def _quick_optional(some: _Read) -> _Read:
    def read(value: Any) -> Any:
        return None if value is None else some(value)

    return read


def _object_pairs(value: Any, pairs: bool) -> Any:
    """The (key, value) pairs of the JSON object ``value``; gives up on anything else."""
    if pairs and type(value) is tuple:
        return value
    if not pairs and type(value) is dict:
        return value.items()
    raise _Slow


def _quick_tagged(members: dict[str, type], pairs: bool = False) -> _Read | None:
    found = {tag: _quick(cls, pairs) for tag, cls in members.items()}
    readers = {tag: reader for tag, reader in found.items() if reader is not None}
    if len(readers) != len(found):
        return None

    def read(value: Any) -> Any:
        items = _object_pairs(value, pairs)
        tags = [item for key, item in items if key == TAG_KEY]
        body = tuple((key, item) for key, item in items if key != TAG_KEY)
        if len(tags) != 1 or type(tags[0]) is not str:
            raise _Slow
        return readers[tags[0]](body if pairs else dict(body))

    return read


def _quick_attrs(cls: type) -> _Read | None:
    fields = attrs.fields(attrs.resolve_types(cls))
    table: dict[str, tuple[str, _Read | None]] = {}  # a text field: None, read right here
    required: set[str] = set()
    for field in fields:
        if not field.init:
            continue
        reader = _quick(field.type)
        if reader is None:
            return None
        alias = field.alias or field.name
        table[field.name] = (alias, None if reader is _quick_str else reader)
        if field.default is attrs.NOTHING:
            required.add(alias)

    def read(value: Any) -> Any:
        if type(value) is not dict:
            raise _Slow
        arguments = {}
        for key, item in value.items():
            alias, reader = table[key]  # an unknown field: KeyError, the converter names it
            if reader is not None:
                arguments[alias] = reader(item)
            elif type(item) is str:
                arguments[alias] = item
            else:
                raise _Slow
        if len(arguments) != len(table) and not required <= arguments.keys():
            raise _Slow  # a field missing
        return cls(**arguments)

    return read


_KEEPS: frozenset[Any] = frozenset({_validate.to_decimal, _validate.to_tuple, _money_amount})
"""The converters that give back unchanged a value of their field's type (a Decimal, a
tuple, a finite amount): the generated readers build such values and skip them."""

_TEXT_MEMOS: dict[type, dict[Any, Any]] = {}
"""The caches of the generated readers of objects of texts alone (amounts), by class: an
object's (key, value) pairs, as read, and the value read from them."""

_GENERATED: dict[type, _Read | None] = {}
"""The generated readers of documents (top-level objects), by class."""


def _generated(cls: type, document: bool = False) -> _Read | None:
    """The pairs reader of the attrs class ``cls``, generated once as Python source (as
    attrs generates ``__init__``), for an object exactly as :func:`to_json` writes it:
    keys sorted, every field present; ``document``: the top-level object, which holds
    the current schema version among its keys.

    It reads each field in line (a nested object or a list by the reader of its type),
    builds the object without the keyword ``__init__``, then makes the checks the
    constructor makes: every validator that checks more than the type the reader built
    (:func:`dunlib.core.validate.is_type_only`; one marked with a test,
    :func:`dunlib.core.validate.passes_when`, asked only where its test fails), and the
    class's ``_check_read`` (the invoice's checks in one pass) or ``__attrs_post_init__``
    (likewise asked only where its test fails). Anything else gives up (:class:`_Slow`).
    An object of scalars alone that has such checks is kept, by the values it was read
    from (an object of texts alone, such as an amount, by its pairs themselves), in a
    bounded cache (see :data:`_CACHE_SIZE`). None for a class a field of which no quick
    reader reads.
    """
    fields = attrs.fields(attrs.resolve_types(cls))
    names = {field.name: f"x{index}" for index, field in enumerate(fields)}
    init = [field for field in fields if field.init]
    namespace: dict[str, Any] = {
        "_Slow": _Slow,
        "_new": object.__new__,
        "_cls": cls,
        "_dates": _DATES,
        "_quick_date": _quick_date,
        "_decimals": _DECIMALS,
        "_decimal": _quick_decimal,
        "_kept": _kept,
        "_memo": _memo(),
        "_version": SCHEMA_VERSION,
        "_INT_LIMIT": _INT_LIMIT,
    }
    keyed = sorted(
        [(field.alias or field.name, names[field.name]) for field in init]
        + ([(VERSION_KEY, "version")] if document else [])
    )
    tests = [_scalar(field.type) for field in init]
    checked = hasattr(cls, "__attrs_post_init__") or any(
        field.validator is not None and not _validate.is_type_only(field.validator)
        for field in init
    )
    memo = checked and bool(init) and not document and None not in tests
    texts = memo and all(test in _TEXT_TESTS for test in tests)
    lines = ["def read(value):", "    if type(value) is not tuple:", "        raise _Slow"]
    if texts:  # the pairs themselves are the key: equal to kept pairs only if all text
        _TEXT_MEMOS[cls] = namespace["_memo"]
        lines += ["    known = _memo.get(value)", "    if known is not None:",
                  "        return known"]  # fmt: skip
    pairs = ", ".join(f"(k{i}, {name})" for i, (_, name) in enumerate(keyed))
    lines.append(f"    [{pairs}] = value")
    # the keys in to_json's order, compared one by one (no tuple of them is built)
    other = " or ".join(f"k{i} != {key!r}" for i, (key, _) in enumerate(keyed)) or "False"
    lines += [f"    if {other}:", "        raise _Slow"]
    if document:
        lines += ["    if type(version) is not int or version != _version:", "        raise _Slow"]
    if memo:
        values = [names[field.name] for field in init]
        typed = " and ".join(str(t).format(v) for t, v in zip(tests, values, strict=True))
        if texts:
            lines.append(f"    key = value if {typed} else None")
        else:
            lines += [
                f"    key = ({', '.join(values)},)",
                f"    if {typed}:",
                "        known = _memo.get(key)",
                "        if known is not None:",
                "            return known",
                "    else:",
                "        key = None",
            ]
    sets, checks = [], []
    for field in fields:
        name = value = names[field.name]
        if field.init:
            read = _read_lines(field.type, name, namespace)
            if read is None:
                return None
            lines += [f"    {line}" for line in read]
            if field.converter is not None and field.converter not in _KEEPS:
                namespace[f"_convert_{name}"] = field.converter
                lines.append(f"    {name} = _convert_{name}({name})")
            if field.validator is not None and not _validate.is_type_only(field.validator):
                inner = _validate.optional_of(field.validator)  # asked only about a value
                namespace[f"_check_{name}"] = field.validator if inner is None else inner
                namespace[f"_field_{name}"] = field
                check = f"_check_{name}(self, _field_{name}, {name})"
                unless = [f"{name} is not None"] if inner else []
                test = _validate.passing_test(namespace[f"_check_{name}"])
                if test is not None:  # the validator asked only where the test fails
                    unless.append(f"not ({test.format(name)})")
                checks.append(
                    f"    if {' and '.join(unless)}: {check}" if unless else f"    {check}"
                )
        elif isinstance(field.default, FACTORY):
            namespace[f"_factory_{name}"] = field.default.factory
            value = f"_factory_{name}(self)" if field.default.takes_self else f"_factory_{name}()"
        else:
            namespace[f"_default_{name}"] = field.default
            value = f"_default_{name}"
        namespace[f"_set_{name}"] = getattr(cls, field.name).__set__
        sets.append(f"    _set_{name}(self, {value})")
    lines += ["    self = _new(_cls)", *sets, *checks]
    if hasattr(cls, "_check_read"):  # the constructor's checks, made for a reader
        lines.append("    self._check_read()")
    elif hasattr(cls, "__attrs_post_init__"):
        test = _validate.passing_test(cls.__attrs_post_init__)  # of the fields, by name
        check = "" if test is None else f"if not ({test.format(**names)}): "
        lines.append(f"    {check}self.__attrs_post_init__()")
    lines.append(
        f"    return {'self if key is None else _kept(_memo, key, self)' if memo else 'self'}"
    )
    exec(compile("\n".join(lines), f"<dunlib reader of {cls.__name__}>", "exec"), namespace)
    reader: _Read = namespace["read"]
    reader.__qualname__ = reader.__name__ = f"read_{cls.__name__}"
    return reader


_TEXT_TESTS = ("type({0}) is str", "({0} is None or type({0}) is str)")
"""The tests :func:`_scalar` gives for a value read from a string (or null) alone."""


def _scalar(kind: Any) -> str | None:
    """The test that a JSON value ``{0}`` is exactly of the JSON type a value of type
    ``kind`` is read from (so that equal values are the same text, number or literal);
    None where ``kind`` is not read from a string, a bool, an int or null alone."""
    if kind in (str, Decimal, _dt.date) or (isinstance(kind, type) and issubclass(kind, Enum)):
        return "type({0}) is str"
    if kind is bool or kind is int:
        return f"type({{0}}) is {kind.__name__}"
    some = _optional_of(kind)
    test = None if some is None else _scalar(some)
    return None if test is None else f"({{0}} is None or {test})"


def _read_lines(kind: Any, name: str, namespace: dict[str, Any]) -> list[str] | None:
    """The lines that read the local ``name`` in place as a value of type ``kind``, raising
    :class:`_Slow` where it is not one; None where no quick reader reads ``kind``."""
    if kind is str or kind is bool:
        return [f"if type({name}) is not {kind.__name__}:", "    raise _Slow"]
    if kind is int:  # as _quick_int reads it
        return [f"if type({name}) is not int or not -_INT_LIMIT < {name} < _INT_LIMIT:",
                "    raise _Slow"]  # fmt: skip
    # Below, a dict keyed by texts is asked for the JSON value itself: only a text equals a
    # text (a list cannot be a key: TypeError, and the general path reads the document).
    if kind is _dt.date or kind is Decimal:  # a text seen before: the value read from it
        cache, read = ("_dates", "_quick_date") if kind is _dt.date else ("_decimals", "_decimal")
        return [f"known = {cache}.get({name})",
                f"{name} = {read}({name}) if known is None else known"]  # fmt: skip
    if isinstance(kind, type) and issubclass(kind, Enum):
        namespace[f"_members_{name}"] = dict(kind.__members__)
        return [f"{name} = _members_{name}.get({name})", f"if {name} is None:",
                "    raise _Slow"]  # fmt: skip
    some = _optional_of(kind)
    if some is not None and get_origin(some) not in (Union, UnionType):
        inner = _read_lines(some, name, namespace)
        if inner is None:
            return None
        return [f"if {name} is not None:", *(f"    {line}" for line in inner)]
    if _is_homogeneous_tuple(kind):
        item = _quick(get_args(kind)[0], pairs=True)
        if item is None:
            return None
        namespace[f"_item_{name}"] = item
        return [f"if type({name}) is not list:", "    raise _Slow",
                f"{name} = tuple(map(_item_{name}, {name})) if {name} else ()"]  # fmt: skip
    reader = _quick(kind, pairs=True)  # a whole number, a set, a fixed tuple, a tagged union
    if reader is None:
        return None
    namespace[f"_read_{name}"] = reader
    if kind in _TEXT_MEMOS:  # an object of texts seen before (an amount): the value read
        namespace[f"_texts_{name}"] = _TEXT_MEMOS[kind]
        return [f"known = _texts_{name}.get({name}) if type({name}) is tuple else None",
                f"{name} = _read_{name}({name}) if known is None else known"]  # fmt: skip
    return [f"{name} = _read_{name}({name})"]


def _quick_document(cls: type[T], document: Any, pairs: bool) -> T:
    """The value of class ``cls`` that ``document`` (a dict, or the pairs of one) of the
    current schema version describes, read by the quick reader; raises if it gives up."""
    if pairs:
        if cls not in _GENERATED:
            _GENERATED[cls] = _generated(cls, document=True)
        reader = _GENERATED[cls]
        if reader is None:
            raise _Slow
        return cast("T", reader(document))
    reader = _quick(cls)
    if reader is None or type(document) is not dict:
        raise _Slow
    body = dict(document)
    version = body.pop(VERSION_KEY, None)
    if type(version) is not int or version != SCHEMA_VERSION:
        raise _Slow
    return cast("T", reader(body))


_PAIRS = json.JSONDecoder(object_pairs_hook=tuple)
"""The parser of the quick path: every object as the tuple of its (key, value) pairs."""

_SCAN: Callable[[str, int], tuple[Any, int]] = _PAIRS.scan_once  # type: ignore[attr-defined]
"""The JSON value that starts at an index of a text, and the index after it."""


# -- the public functions --------------------------------------------------------------


def _check_class(cls: Any, where: str) -> None:
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidTypeError(where, cls, "a dunlib value class such as Invoice or DunningRules")


def to_dict(obj: Any) -> dict[str, Any]:
    """The document of ``obj``: a dict of JSON values (str, int, bool, None, list, dict).

    Carries ``"schema_version"``; the exact inverse of :func:`from_dict`. Raises
    :class:`~dunlib.core.errors.InvalidValueError` naming the field when a number of ``obj``
    has more than :data:`MAX_INT_DIGITS` digits (no document can hold it).
    """
    _check_class(type(obj), "to_dict.obj")
    fields: dict[str, Any] = _converter.unstructure(obj)
    document = {VERSION_KEY: SCHEMA_VERSION, **fields}
    for problem in _limit_problems(document):
        raise InvalidValueError(
            f"to_dict.obj.{problem.path}",
            obj,
            f"a value a document can hold ({problem.message})",
        )
    return document


def from_dict(data: Mapping[str, Any], cls: type[T]) -> T:
    """The value of class ``cls`` that the document ``data`` describes.

    Upgrades an older document first. Raises :class:`~dunlib.core.errors.DocumentError`
    listing every problem with its path when ``data`` is not a valid document.
    """
    _check_class(cls, "from_dict.cls")
    name = cls.__name__
    if not isinstance(data, Mapping):
        raise DocumentError(
            name, [DocumentProblem(path="$", message=f"got {_short(data)}; expected an object")]
        )
    try:
        return _quick_document(cls, data, pairs=False)
    except Exception:  # the converter reads it again and names every problem
        pass
    limits = _limit_problems(data)
    if limits:
        raise DocumentError(name, limits)
    body = dict(data)
    version = body.pop(VERSION_KEY, _MISSING)
    problem = _version_problem(version)
    if problem is not None:
        raise DocumentError(name, [problem])
    for step in range(version, SCHEMA_VERSION):
        body = UPGRADES[step](body, cls)
    try:
        read: T = _converter.structure(body, cls)
    except (BaseValidationError, _Refused) as error:
        raise DocumentError(name, _problems(error, "", None)) from None
    return read


_MAX_INDENT = 16


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """The document of ``obj`` as JSON text: keys sorted, ASCII only, the same text every time.

    Compact by default; ``indent`` spaces per level (0 to 16) for reading by eye.
    """
    if indent is not None:
        if isinstance(indent, bool) or not isinstance(indent, int):
            raise InvalidTypeError("to_json.indent", indent, "None or an int from 0 to 16")
        if not 0 <= indent <= _MAX_INDENT:
            raise InvalidValueError("to_json.indent", indent, "None or an int from 0 to 16")
    return json.dumps(
        to_dict(obj),
        sort_keys=True,
        ensure_ascii=True,
        allow_nan=False,
        indent=indent,
        separators=(",", ":") if indent is None else (",", ": "),
    )


def from_json(text: str | bytes, cls: type[T]) -> T:
    """The value of class ``cls`` read from JSON ``text`` (see :func:`from_dict`).

    Text that is not JSON, or an object with the same key twice, is refused with a
    :class:`~dunlib.core.errors.DocumentError` as well.
    """
    _check_class(cls, "from_json.cls")
    try:  # the quick path: the text as pairs, read by the pairs reader (see above)
        decoded: Any = text.decode("utf-8") if type(text) is bytes else text
        document, end = _SCAN(decoded, 0)  # as to_json writes it: nothing before or after
        if end == len(decoded):
            return _quick_document(cls, document, pairs=True)
    except Exception:  # the general path reads it again and names every problem
        pass
    data = _parse_json(text, cls.__name__)
    return from_dict(data, cls)


def _parse_json(text: str | bytes, name: str) -> Any:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(items)  # the last value of a key, as a dict display keeps it
        if len(result) != len(items):
            seen: set[str] = set()
            for key, _ in items:
                if key in seen:
                    duplicates.append(key)
                seen.add(key)
        return result

    if not isinstance(text, str | bytes):
        raise InvalidTypeError("from_json.text", text, "JSON text (a str or UTF-8 bytes)")
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_int=_parse_int)
    except RecursionError:  # the parser's own limit: far deeper than MAX_NESTING
        raise DocumentError(name, [DocumentProblem(path="$", message=_TOO_DEEP)]) from None
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        raise DocumentError(name, [DocumentProblem(path="$", message=message)]) from None
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text: {error.reason} at byte {error.start}"
        raise DocumentError(name, [DocumentProblem(path="$", message=message)]) from None
    if duplicates:
        raise DocumentError(
            name,
            [
                DocumentProblem(
                    path="$", message=f"the key {_short(key)} appears twice in one object"
                )
                for key in duplicates
            ],
        )
    return data


def _rules_path(path: str | PathLike[str]) -> Path:
    try:
        return Path(path)
    except TypeError:  # a path-like that gives bytes, or nothing a path is made of
        raise InvalidTypeError(
            "load_rules.path_or_text", path, "a path (of str), or TOML or JSON text"
        ) from None


def load_rules(path_or_text: str | bytes | PathLike[str]) -> DunningRules:
    """Dunning rules read from a TOML or JSON document: a file, or the document's text.

    A :class:`pathlib.Path` (any path-like) is a file, and so is a one-line string
    ending in ``.toml`` or ``.json``; anything else is the document itself. The
    format follows the file's suffix; text (or a file with another suffix) whose
    first character other than whitespace is ``{`` is JSON, anything else TOML.
    The document is the one :func:`to_dict` writes for a
    :class:`~dunlib.dunning.stages.DunningRules` (TOML has no null: leave such fields out).
    Raises :class:`~dunlib.core.errors.DocumentError` listing every problem,
    :class:`~dunlib.core.errors.InvalidValueError` for a path no file can have (a NUL
    character, a lone surrogate), :class:`~dunlib.core.errors.InvalidTypeError` for anything
    but a path or text, and the :class:`OSError` of the file system when a file cannot be
    read (missing, a directory, no permission: the file's business, not the document's).
    """
    name = DunningRules.__name__
    suffix = ""
    if isinstance(path_or_text, PathLike) or (
        isinstance(path_or_text, str)
        and "\n" not in path_or_text
        and path_or_text.strip().lower().endswith((".toml", ".json"))
    ):
        path = _rules_path(path_or_text)
        suffix = path.suffix.lower()
        try:
            raw: str | bytes = path.read_bytes()
        except ValueError:  # not OSError: the name itself is none a file can have
            raise InvalidValueError(
                "load_rules.path_or_text",
                path_or_text,
                "a file path without NUL characters or lone surrogates, or TOML or JSON text",
            ) from None
    elif isinstance(path_or_text, str | bytes):
        raw = path_or_text
    else:
        raise InvalidTypeError(
            "load_rules.path_or_text", path_or_text, "a path, or TOML or JSON text"
        )
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        message = f"not UTF-8 text: {error.reason} at byte {error.start}"
        raise DocumentError(name, [DocumentProblem(path="$", message=message)]) from None
    if suffix == ".json" or (suffix != ".toml" and text.lstrip().startswith("{")):
        return from_dict(_parse_json(text, name), DunningRules)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise DocumentError(
            name, [DocumentProblem(path="$", message=f"not valid TOML: {error}")]
        ) from None
    except RecursionError:  # the parser's own limit: far deeper than MAX_NESTING
        raise DocumentError(name, [DocumentProblem(path="$", message=_TOO_DEEP)]) from None
    except ValueError:  # the only other ValueError: an integer too long for int()
        message = f"got a number too long to read; {_TOO_LONG}"
        raise DocumentError(name, [DocumentProblem(path="$", message=message)]) from None
    return from_dict(data, DunningRules)
