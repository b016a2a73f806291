"""Constructors of value classes for parts already checked (private).

The daily run (:mod:`dunlib.run`) builds the engine's actions for hundreds of thousands
of invoices from values that were validated when they were made (the invoice, the rules,
sums of exact amounts). :func:`trusted` makes, for an attrs class, a function that sets
its fields positionally without running the validators again, as attrs generates its own
``__init__``. Laws keep what is built this way equal to what the validating constructor
and the engine give.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

T = TypeVar("T")

_FACTORY: type = type(attrs.Factory(list))
"""The class of attrs' default factories (its stubs type ``Factory`` as a function)."""


def trusted(cls: type[T]) -> Callable[..., T]:
    """A constructor of the slotted attrs class ``cls`` taking every field positionally,
    in the order of ``attrs.fields(cls)``, with no converter or validator run; the last
    fields may be left out where each of them has a constant default (not a factory)."""
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    parameters = [field.name for field in fields]
    for index in reversed(range(len(fields))):  # the last fields with constant defaults
        default = fields[index].default
        if default is attrs.NOTHING or isinstance(default, _FACTORY):
            break
        namespace[f"_default_{fields[index].name}"] = default
        parameters[index] += f"=_default_{fields[index].name}"
    lines = [f"def build({', '.join(parameters)}):", "    self = _new(_cls)"]
    for field in fields:
        namespace[f"_set_{field.name}"] = getattr(cls, field.name).__set__
        lines.append(f"    _set_{field.name}(self, {field.name})")
    lines.append("    return self")
    exec("\n".join(lines), namespace)
    build: Callable[..., T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"trusted_{cls.__name__}"
    return build
