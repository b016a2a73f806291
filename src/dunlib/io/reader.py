"""The fast reader of documents as dunlib writes them (the quick path of
:func:`dunlib.io.serialize.from_json` and :func:`~dunlib.io.serialize.from_dict`).

A document as dunlib writes it is read by a reader made once per class from its fields
(field by field, with the same rules as the converter), and the value it describes is
checked as its constructor checks it. Anything unusual (a wrong type, an unknown, missing
or repeated field, an older schema version, a value a check refuses) makes the reader give
up, and the general path reads the document again and names every problem.

Each reader comes in two kinds. The *dict* reader reads a document given as Python objects
(from_dict): an object is a dict, a list a list or a tuple; it builds each value with its
constructor. The *pairs* reader reads what ``json.loads(text, object_pairs_hook=tuple)``
gives (from_json): an object is a tuple of its (key, value) pairs in text order, a list a
list. The parser builds those tuples in C, where the general path calls a Python function
per object to find keys given twice. The pairs reader of a value class is generated as
Python source (:func:`_generated`) for objects exactly as to_json writes them: their keys,
in sorted order, must be the class's fields (which also rules out a key given twice); it
reads every field in line, sets the fields as the constructor would and makes the
constructor's checks, leaving out only the validators that check nothing but a type the
reader has just built. Dates and decimals are read once per text, and objects of scalars
alone (amounts, customers, payment terms) once per set of values, in bounded caches: a
portfolio repeats them from invoice to invoice.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from types import NoneType, UnionType
from typing import Any, TypeVar, Union, cast, get_args, get_origin

import attrs

from dunlib.core import quick
from dunlib.core import validate as _validate
from dunlib.core.generated import FACTORY, run_source
from dunlib.core.money import to_decimal as _money_amount
from dunlib.core.quick import kept as _kept
from dunlib.core.quick import memo as _memo
from dunlib.io.schema import (
    _CHAINED,
    _DATE,
    _DECIMAL,
    _INT_LIMIT,
    _TAGGED,
    CHAIN_KEY,
    SCHEMA_VERSION,
    TAG_KEY,
    VERSION_KEY,
    _is_fixed_tuple,
    _is_homogeneous_tuple,
    _is_set,
)

__all__: list[str] = []  # internal: from_json and from_dict are its face

T = TypeVar("T")

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


_DATES: dict[str, _dt.date] = _memo()
_DECIMALS: dict[str, Decimal] = _memo()
"""The texts of dates and decimals read, with the value read from each (see
:mod:`dunlib.core.quick` for their bound): a text seen again is not read again."""


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
    bounded cache (see :mod:`dunlib.core.quick`). None for a class a field of which no quick
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
    run_source(lines, f"reader of {cls.__name__}", namespace)
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
    current schema version describes, read by the quick reader; raises if it gives up
    (always when :func:`dunlib.core.quick.plain` switched it off)."""
    if not quick.on:
        raise _Slow
    chained = cls in _CHAINED  # its audit chain is left out (see dunlib.io.chain)
    if pairs:
        if chained and type(document) is tuple:
            document = tuple(pair for pair in document if pair[0] != CHAIN_KEY)
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
    if chained:
        body.pop(CHAIN_KEY, None)
    return cast("T", reader(body))


_PAIRS = json.JSONDecoder(object_pairs_hook=tuple)
"""The parser of the quick path: every object as the tuple of its (key, value) pairs."""

_SCAN: Callable[[str, int], tuple[Any, int]] = _PAIRS.scan_once  # type: ignore[attr-defined]
"""The JSON value that starts at an index of a text, and the index after it."""
