"""Reprs that are Python: pasted back (a shrunk Hypothesis example), they rebuild the value.

:func:`install` gives every public attrs value class a ``__repr__`` that writes the
constructor call with keyword arguments, leaving out every field equal to its default
(so ``Customer(id='C-1', name='ACME GmbH')``, and an invoice's due date only when it
differs from the one its terms give), and every public enum a ``__repr__`` of the form
``StageKind.NOTICE``. Evaluated where the names of :mod:`dunlib`, ``datetime`` and
``Decimal`` are known (``from dunlib import *``, ``import datetime``, ``from decimal import
Decimal``), the text builds an equal value: ``eval(repr(x), namespace) == x``.

A field with a repr function of its own keeps it: a stage's template longer than 30
characters shows its first 30 and ``…`` (the value keeps the whole text), which is not
Python. A template equal to its default is left out like any default, so the repr of a
stage with default texts rebuilds it; one with a long custom text cannot be rebuilt from
its repr (build it from the rules file or the code it came from).

Hypothesis prints a failing example with its own pretty printer, which lists every field;
the classes also get ``_repr_pretty_`` so that it prints this repr instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

import attrs

__all__ = ["install", "value_repr"]


def _default(value: Any, field: attrs.Attribute[Any]) -> Any:
    default: Any = field.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        return default.factory(value) if default.takes_self else default.factory()
    return default


def _is_default(value: Any, field: attrs.Attribute[Any], current: Any) -> bool:
    if field.default is attrs.NOTHING:
        return False
    try:
        default = _default(value, field)
        return bool(type(current) is type(default) and current == default)
    except Exception:  # a default that cannot be computed for this value is shown
        return False


def value_repr(value: Any) -> str:
    """``value`` (an attrs instance) as its constructor call, defaults left out."""
    cls = type(value)
    parts: list[str] = []
    for field in attrs.fields(cls):
        if not field.init or field.repr is False:
            continue
        current = getattr(value, field.name)
        if _is_default(value, field, current):
            continue
        shown = field.repr(current) if callable(field.repr) else repr(current)
        parts.append(f"{field.alias}={shown}")
    return f"{cls.__qualname__}({', '.join(parts)})"


def _repr_pretty_(self: Any, printer: Any, cycle: bool) -> None:
    printer.text(repr(self))


def _enum_repr(self: Enum) -> str:
    return f"{type(self).__qualname__}.{self.name}"


def _generated(cls: type) -> bool:
    """True when ``cls``'s repr is the one attrs wrote (not one of the class's own)."""
    code = getattr(cls.__repr__, "__code__", None)
    return code is not None and "attrs generated" in code.co_filename


def install(objects: Iterable[object]) -> None:
    """Give the attrs value classes and enums among ``objects`` their Python reprs."""
    for obj in objects:
        if not isinstance(obj, type):
            continue
        if issubclass(obj, Enum):
            obj.__repr__ = _enum_repr  # type: ignore[method-assign,assignment]
        elif attrs.has(obj) and not issubclass(obj, BaseException):
            if _generated(obj):  # a repr of the class's own is kept (and printed)
                obj.__repr__ = value_repr  # type: ignore[method-assign]
            obj._repr_pretty_ = _repr_pretty_  # type: ignore[attr-defined]
