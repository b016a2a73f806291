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
The structuring itself is done by ``cattrs``. Each way has a quick path that gives the
same result: a value is written by a writer generated once per class
(:mod:`dunlib.io._writer`), which builds the converter's very document and checks the
limits as it goes, and a document as dunlib writes it is read by a reader generated per
class (:mod:`dunlib.io.reader`); where either gives up, the general path does the work.
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
from typing import Any, TypeVar, Union, get_args, get_origin

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
from dunlib.billing.orders import OrderItem
from dunlib.core import quick
from dunlib.core.calendars import HolidayCalendar, Target2Calendar, WeekendCalendar
from dunlib.core.errors import (
    DocumentError,
    DocumentProblem,
    DunlibError,
    InvalidTypeError,
    InvalidValueError,
)
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.dunning.actions import DunningAction, NoActionReason
from dunlib.dunning.stages import Channel, DunningRules
from dunlib.dunning.suspension import SuspensionEvent
from dunlib.io._writer import OPTIONAL_TAGGED, document_writer, json_key
from dunlib.io.reader import _SCAN, _quick_document
from dunlib.io.schema import (
    _CHAINED,
    _DATE,
    _DATE_TIME,
    _DECIMAL,
    _INT_LIMIT,
    _TAGGED,
    CHAIN_KEY,
    MAX_INT_DIGITS,
    MAX_NESTING,
    SCHEMA_VERSION,
    TAG_KEY,
    VERSION_KEY,
    _is_fixed_tuple,
    _is_homogeneous_tuple,
    _is_set,
)
from dunlib.portfolio.prepared import PreparedLetter

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
    "upgrade_history_chain",
    "upgrade_legacy_money",
    "upgrade_legal_fields",
    "upgrade_vocabulary",
]

T = TypeVar("T")


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


def _tuple_hook(cls: Any) -> Callable[[Any, Any], tuple[Any, ...]]:
    items = homogenous_tuple_structure_factory(cls, _converter)

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise _Refused(value, "a list")
        result: tuple[Any, ...] = items(value, cls)
        return result

    return structure


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
        return sorted(items, key=json_key)

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


_CALENDARS = WeekendCalendar | HolidayCalendar | Target2Calendar
for _union in (SuspensionEvent, DunningAction, _CALENDARS, WhatIfEvent):
    _register_tagged_union(_union)


def _register_optional(union: Any) -> None:
    """``union | None``: null or a tagged member of ``union``."""

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else _converter.structure(value, union)

    def unstructure(value: Any) -> Any:
        return None if value is None else _converter.unstructure(value, union)

    _converter.register_structure_hook(union | None, structure)
    _converter.register_unstructure_hook(union | None, unstructure)
    OPTIONAL_TAGGED.add(union)


_register_optional(_CALENDARS)


# -- schema versions ----------------------------------------------------------------

_CHAINED.add(Invoice)  # a stored invoice's document may carry its audit chain
_CHAIN_SINCE = 4
"""The schema version from which an invoice's document may carry its audit chain."""

_LEGACY_MONEY = re.compile(r"\s*([+-]?\d+(?:\.\d+)?)\s+([A-Z]{3})\s*")


def _without_none(cls: Any) -> Any:
    if get_origin(cls) in (Union, UnionType):
        rest = [arg for arg in get_args(cls) if arg is not NoneType]
        if len(rest) == 1:
            return rest[0]
    return cls


_Leaf = Callable[[Any, Any], Any]
"""An upgrade step's change to one value of class ``cls``: the new value, or :data:`_MISSING`
where the step does not change values of that class (the walk then looks inside)."""


def _upgrade(value: Any, cls: Any, leaf: _Leaf, renamed: Mapping[type, Mapping[str, str]]) -> Any:
    """``value``, a document's part of class ``cls``, with ``leaf`` applied to every value
    inside it and the fields of each class renamed as ``renamed`` says: the one walk every
    upgrade step takes (through objects, lists and tagged union members)."""
    cls = _without_none(cls)
    changed = leaf(value, cls)
    if changed is not _MISSING:
        return changed
    if cls in _TAGGED and isinstance(value, Mapping):
        tag = value.get(TAG_KEY)
        member = _TAGGED[cls].get(tag) if isinstance(tag, str) else None
        return value if member is None else _upgrade(value, member, leaf, renamed)
    if attrs.has(cls) and isinstance(value, Mapping):
        names = renamed.get(cls, {})
        fields = attrs.fields_dict(attrs.resolve_types(cls))
        upgraded = {}
        for key, item in value.items():
            key = names.get(key, key)
            upgraded[key] = (
                _upgrade(item, fields[key].type, leaf, renamed) if key in fields else item
            )
        return upgraded
    if (_is_homogeneous_tuple(cls) or _is_set(cls)) and isinstance(value, list):
        return [_upgrade(item, get_args(cls)[0], leaf, renamed) for item in value]
    return value


def _legacy_money(value: Any, cls: Any) -> Any:
    if cls is not Money:
        return _MISSING
    match = _LEGACY_MONEY.fullmatch(value) if isinstance(value, str) else None
    return {"amount": match[1], "currency": match[2]} if match else value


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
    upgraded: dict[str, Any] = _upgrade(body, cls, _legacy_money, {})
    return upgraded


_RENAMED_FIELDS: Mapping[type, Mapping[str, str]] = MappingProxyType(
    {
        Invoice: {"notices": "issued_stages", "interest": "interest_charges"},
        OrderItem: {"invoice": "invoice_id"},
        PreparedLetter: {"notice": "letter"},
    }
)
"""Version 1 to 2: the fields renamed so that each word means one thing, by class."""

_RENAMED_MEMBERS: Mapping[type, Mapping[str, str]] = MappingProxyType(
    {
        EventKind: {"DUNNING_NOTICE": "STAGE_ISSUED"},
        Channel: {"LETTER": "POST"},
        NoActionReason: {"NOTICE_WAITING": "LETTER_WAITING"},
    }
)
"""Version 1 to 2: the enum members renamed, by enum."""


def _renamed_member(value: Any, cls: Any) -> Any:
    members = _RENAMED_MEMBERS.get(cls) if isinstance(cls, type) else None
    if members is None:
        return _MISSING
    return members.get(value, value) if isinstance(value, str) else value


def upgrade_vocabulary(body: Mapping[str, Any], cls: type) -> dict[str, Any]:
    """Version 1 to 2: one meaning per word.

    ``Invoice.notices`` became ``issued_stages`` and
    ``Invoice.interest`` became ``interest_charges``; ``OrderItem.invoice`` (an id) became
    ``invoice_id``; ``PreparedLetter.notice`` became ``letter``; the history's
    ``DUNNING_NOTICE`` entries became ``STAGE_ISSUED``, the channel ``LETTER`` became
    ``POST`` and the reason ``NOTICE_WAITING`` became ``LETTER_WAITING``. Nothing else is touched.
    """
    if not isinstance(body, Mapping):
        raise InvalidTypeError("upgrade_vocabulary.body", body, "a document's body (a mapping)")
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidTypeError("upgrade_vocabulary.cls", cls, "a dunlib value class")
    upgraded: dict[str, Any] = _upgrade(body, cls, _renamed_member, _RENAMED_FIELDS)
    return upgraded


def upgrade_legal_fields(body: Mapping[str, Any], cls: type) -> dict[str, Any]:
    """Version 2 to 3: the fields a legal invoice names were added, each with a default
    that keeps a version-2 document's meaning: ``Customer.address`` (None), ``vat_id``,
    ``buyer_reference`` (empty), ``send_mode`` (AUTOMATIC) and ``channel`` (ONLINE);
    ``LineItem.unit`` (C62, one piece), ``tax_category`` (None: taken from the rate) and
    ``section`` (none); ``Invoice.delivery`` (None); and the channel BOTH. A version-2
    document reads as it is: nothing is changed."""
    if not isinstance(body, Mapping):
        raise InvalidTypeError("upgrade_legal_fields.body", body, "a document's body (a mapping)")
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidTypeError("upgrade_legal_fields.cls", cls, "a dunlib value class")
    return dict(body)


def upgrade_history_chain(body: Mapping[str, Any], cls: type) -> dict[str, Any]:
    """Version 3 to 4: an invoice's stored document may carry its audit chain under
    ``"chain"`` (:mod:`dunlib.io.chain`), which reading leaves out. A version-3 document
    has none (it was not chained) and reads as it is: nothing is changed."""
    if not isinstance(body, Mapping):
        raise InvalidTypeError("upgrade_history_chain.body", body, "a document's body (a mapping)")
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise InvalidTypeError("upgrade_history_chain.cls", cls, "a dunlib value class")
    return dict(body)


UPGRADES: Mapping[int, Callable[[Mapping[str, Any], type], dict[str, Any]]] = MappingProxyType(
    {
        0: upgrade_legacy_money,
        1: upgrade_vocabulary,
        2: upgrade_legal_fields,
        3: upgrade_history_chain,
    }
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
    if quick.on:
        try:  # the quick path: the writer generated for the class (see dunlib.io._writer)
            write = document_writer(type(obj))
            if write is not None:
                written: dict[str, Any] = write(obj)
                return written
        except Exception:  # the general path writes it, or names what it cannot write
            pass
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
    if cls in _CHAINED and version >= _CHAIN_SINCE:
        body.pop(CHAIN_KEY, None)  # the audit chain: checked by dunlib.io.chain, not read
    try:
        read: T = _converter.structure(body, cls)
    except (BaseValidationError, _Refused) as error:
        raise DocumentError(name, _problems(error, "", None)) from None
    return read


_MAX_INDENT = 16

_COMPACT = json.JSONEncoder(
    sort_keys=True, ensure_ascii=True, allow_nan=False, separators=(",", ":")
)
"""The encoder of compact documents (what ``json.dumps`` with these options makes per call)."""


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """The document of ``obj`` as JSON text: keys sorted, ASCII only, the same text every time.

    Compact by default; ``indent`` spaces per level (0 to 16) for reading by eye.
    """
    if indent is not None:
        if isinstance(indent, bool) or not isinstance(indent, int):
            raise InvalidTypeError("to_json.indent", indent, "None or an int from 0 to 16")
        if not 0 <= indent <= _MAX_INDENT:
            raise InvalidValueError("to_json.indent", indent, "None or an int from 0 to 16")
    if indent is None:
        return _COMPACT.encode(to_dict(obj))
    return json.dumps(
        to_dict(obj),
        sort_keys=True,
        ensure_ascii=True,
        allow_nan=False,
        indent=indent,
        separators=(",", ": "),
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
