"""The fast writer of documents (the quick path of :func:`dunlib.io.serialize.to_dict` and
so of :func:`~dunlib.io.serialize.to_json`).

The general path unstructures a value with the converter (cattrs), one hook per field, and
then walks the whole document once more for its limits (:data:`~dunlib.io.schema.MAX_NESTING`
levels, :data:`~dunlib.io.schema.MAX_INT_DIGITS` digits). The writer of a class is generated
once as Python source from its fields (as the reader of :mod:`dunlib.io.reader` is) and
builds the very dict the converter builds, in the same key order: text and flags as they
are, decimals by ``str``, dates by ``date.isoformat``, enum members by name, tuples as
lists, fixed tuples as tuples, sets as lists sorted by each item's JSON text, the members
of a tagged union with their class name under :data:`~dunlib.io.schema.TAG_KEY`.

The limits are checked where they can be broken, not by a walk: a whole number as it is
written, and the nesting once per class from the types of its fields (a class whose
documents could nest deeper than the limit, or a type that contains itself, gets no
writer). A value whose part is not of its field's exact type (which only an object built
around its constructor can hold) makes the writer give up (:class:`_Slow`); the general
path then writes the value, or refuses it, as it always did. A class with a field of a
type this module does not write (a mapping, ``Any``) gets no writer at all.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from functools import reduce
from operator import or_
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

import attrs

from dunlib.core.generated import run_source
from dunlib.io.reader import _Slow
from dunlib.io.schema import (
    _INT_LIMIT,
    _TAGGED,
    MAX_NESTING,
    SCHEMA_VERSION,
    TAG_KEY,
    VERSION_KEY,
    _is_fixed_tuple,
    _is_homogeneous_tuple,
    _is_set,
)

_Write = Callable[[Any], Any]

_Made = tuple[_Write, int]
"""A writer of values of one type, and how many levels of objects and lists its values
nest at most (0 for a scalar)."""

_Inline = tuple[list[str], str, int]
"""How a generated writer writes a local holding a value of one type: the lines that check
it (raising :class:`_Slow`), the expression of its JSON value, and its levels (see
:data:`_Made`)."""

OPTIONAL_TAGGED: set[Any] = set()
"""The tagged unions whose optional (``union | None``) the converter writes as the union
or null (registered by :mod:`dunlib.io.serialize`)."""


def json_key(item: Any) -> str:
    """The JSON text of a set's item as written: sets are written sorted by it."""
    return json.dumps(item, sort_keys=True)


_MADE: dict[Any, _Made | None] = {}
"""The writers of types (classes, lists, sets, unions), made once; None for a type not
written here."""

_DOCUMENTS: dict[type, _Write | None] = {}
"""The writers of documents (a class's fields and the schema version), by class."""


def document_writer(cls: type) -> _Write | None:
    """The writer of the document of a value of the attrs class ``cls`` (its fields and
    ``"schema_version"``), made once; None for a class a field of which is not written
    here, or whose documents could nest deeper than :data:`MAX_NESTING` levels."""
    if cls not in _DOCUMENTS:
        _DOCUMENTS[cls] = None  # while it is made (or if making it fails)
        made = _class_writer(cls, (VERSION_KEY, SCHEMA_VERSION))
        _DOCUMENTS[cls] = made[0] if made is not None and made[1] <= MAX_NESTING else None
    return _DOCUMENTS[cls]


def _made(kind: Any) -> _Made | None:
    """The writer of values of type ``kind``, made once (see :data:`_MADE`)."""
    if kind not in _MADE:
        _MADE[kind] = None  # while it is made: a type that contains itself gets no writer
        _MADE[kind] = _make(kind)
    return _MADE[kind]


def _make(kind: Any) -> _Made | None:
    if isinstance(kind, type) and attrs.has(kind):
        return _class_writer(kind, None)
    if kind in _TAGGED:
        return _tagged_writer(_TAGGED[kind])
    namespace = _namespace()
    inline = _inline(kind, "value", namespace)
    if inline is None:
        return None
    checks, expression, levels = inline
    lines = ["def write(value):", *(f"    {line}" for line in checks), f"    return {expression}"]
    run_source(lines, f"writer of {kind}", namespace)
    return namespace["write"], levels


def _namespace() -> dict[str, Any]:
    return {
        "_Slow": _Slow,
        "_INT_LIMIT": _INT_LIMIT,
        "_str": str,
        "_isoformat": _dt.date.isoformat,
        "_sorted": sorted,
        "_json_key": json_key,
    }


def _class_writer(cls: type, lead: tuple[str, Any] | None) -> _Made | None:
    """The writer of a value of the attrs class ``cls``: its ``init`` fields by name in
    field order (as the converter writes them), after the entry ``lead`` if one is given
    (a document's schema version, a union member's tag)."""
    fields = [field for field in attrs.fields(attrs.resolve_types(cls)) if field.init]
    namespace = _namespace()
    lines = ["def write(value):"]
    entries = [f"{lead[0]!r}: {lead[1]!r}"] if lead is not None else []
    levels = 0
    for index, field in enumerate(fields):
        name = f"x{index}"
        inline = _inline(field.type, name, namespace)
        if inline is None:
            return None
        checks, expression, inner = inline
        lines += [f"    {name} = value.{field.name}", *(f"    {line}" for line in checks)]
        entries.append(f"{field.name!r}: {expression}")
        levels = max(levels, inner)
    lines.append(f"    return {{{', '.join(entries)}}}")
    run_source(lines, f"writer of {cls.__name__}", namespace)
    write: _Write = namespace["write"]
    write.__qualname__ = write.__name__ = f"write_{cls.__name__}"
    return write, levels + 1


def _tagged_writer(members: dict[str, type]) -> _Made | None:
    """The writer of a tagged union's member: dispatched on its class, tag first."""
    writers: dict[type, _Write] = {}
    levels = 0
    for cls in members.values():
        made = _class_writer(cls, (TAG_KEY, cls.__name__))
        if made is None:
            return None
        writers[cls] = made[0]
        levels = max(levels, made[1])

    def write(value: Any) -> Any:
        member = writers.get(type(value))
        if member is None:
            raise _Slow
        return member(value)

    return write, levels


def _inline(kind: Any, name: str, namespace: dict[str, Any]) -> _Inline | None:
    """How to write the local ``name`` of type ``kind`` (see :data:`_Inline`); None for a
    type not written here."""
    if kind is str or kind is bool:
        return [f"if type({name}) is not {kind.__name__}:", "    raise _Slow"], name, 0
    if kind is int:  # too long a number: the general path refuses it, naming its field
        return [f"if type({name}) is not int or not -_INT_LIMIT < {name} < _INT_LIMIT:",
                "    raise _Slow"], name, 0  # fmt: skip
    if kind is Decimal:
        return [], f"_str({name})", 0
    if kind is _dt.date:
        return [], f"_isoformat({name})", 0
    if isinstance(kind, type) and issubclass(kind, Enum):
        namespace[f"_enum_{name}"] = kind
        return [f"if type({name}) is not _enum_{name}:", "    raise _Slow"], f"{name}._name_", 0
    if get_origin(kind) in (Union, UnionType) and kind not in _TAGGED:
        some = _optional_of(kind)
        inline = None if some is None else _inline(some, name, namespace)
        if inline is None:
            return None
        checks, expression, levels = inline
        guarded = [f"if {name} is not None:", *(f"    {line}" for line in checks)]
        written = name if expression == name else f"None if {name} is None else {expression}"
        return guarded if checks else [], written, levels
    if _is_homogeneous_tuple(kind) or _is_set(kind):
        item = _made(get_args(kind)[0])
        if item is None:
            return None
        namespace[f"_item_{name}"] = item[0]
        written = f"map(_item_{name}, {name})"
        if _is_set(kind):
            test = f"type({name}) is not frozenset and type({name}) is not set"
            written = f"_sorted({written}, key=_json_key)"
        else:
            test = f"type({name}) is not tuple"
            written = f"list({written})"
        return [f"if {test}:", "    raise _Slow"], written, item[1] + 1
    if _is_fixed_tuple(kind):
        items = [_made(part) for part in get_args(kind)]
        parts: list[str] = []
        for index, item in enumerate(items):
            if item is None:
                return None
            namespace[f"_item{index}_{name}"] = item[0]
            parts.append(f"_item{index}_{name}({name}[{index}]), ")
        test = f"type({name}) is not tuple or len({name}) != {len(items)}"
        levels = max((item[1] for item in items if item is not None), default=0) + 1
        return [f"if {test}:", "    raise _Slow"], f"({''.join(parts)})", levels
    made = _made(kind)  # a value class or a tagged union
    if made is None:
        return None
    namespace[f"_write_{name}"] = made[0]
    return [], f"_write_{name}({name})", made[1]


def _optional_of(kind: Any) -> Any:
    """``T`` for the union ``T | None`` as the converter writes it (``T`` one type, or a
    tagged union of :data:`OPTIONAL_TAGGED`); None for any other union."""
    rest = [arg for arg in get_args(kind) if arg is not NoneType]
    if len(rest) == len(get_args(kind)):  # a union without None
        return None
    if len(rest) == 1:
        return rest[0]
    union = reduce(or_, rest)
    return union if union in OPTIONAL_TAGGED else None
