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


def trusted(cls: type[T]) -> Callable[..., T]:
    """A constructor of the slotted attrs class ``cls`` taking every field positionally,
    in the order of ``attrs.fields(cls)``, with no converter, validator or default run."""
    names = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def build({', '.join(names)}):", "    self = _new(_cls)"]
    for name in names:
        namespace[f"_set_{name}"] = getattr(cls, name).__set__
        lines.append(f"    _set_{name}(self, {name})")
    lines.append("    return self")
    exec("\n".join(lines), namespace)
    build: Callable[..., T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"trusted_{cls.__name__}"
    return build
