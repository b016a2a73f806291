"""Constructors of value classes for parts already checked
(internal: shared by dunlib's areas, not
called by users).

The daily run (:mod:`dunlib.portfolio.run`) builds the engine's actions for hundreds of thousands
of invoices from values that were validated when they were made (the invoice, the rules,
sums of exact amounts). :func:`trusted` makes, for an attrs class, a function that sets
its fields positionally without running the validators again, as attrs generates its own
``__init__``. Laws keep what is built this way equal to what the validating constructor
and the engine give; within :func:`dunlib.core.quick.plain` it is the validating
constructor that builds.
"""

from __future__ import annotations

import linecache
import types
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from dunlib.core import quick

__all__ = ["FACTORY", "run_source", "trusted"]

T = TypeVar("T")

FACTORY: Any = type(attrs.Factory(list))
"""The class of attrs' default factories (its stubs type ``Factory`` as a function)."""

_MADE: dict[tuple[type, frozenset[str]], Callable[..., Any]] = {}
"""The constructor made for each class and set of fixed fields (its code is compiled once)."""


def trusted(cls: type[T], **fixed: Any) -> Callable[..., T]:
    """A constructor of the slotted attrs class ``cls`` taking every field positionally,
    in the order of ``attrs.fields(cls)``, with no converter or validator run (but within
    :func:`dunlib.core.quick.plain`, which calls the validating constructor); the last
    fields may be left out where each of them has a constant default (not a factory).

    ``fixed`` gives fields the same value in everything the constructor builds (a stage's
    parts on a run's day, say): they are not among its parameters.
    """
    key = (cls, frozenset(fixed))
    made = _MADE.get(key)
    if made is None:
        made = _MADE[key] = _compiled(cls, key[1])
    if not fixed:
        return made
    constants = {f"_fixed_{name}": value for name, value in fixed.items()}
    build = types.FunctionType(
        made.__code__, {**made.__globals__, **constants}, made.__name__, made.__defaults__
    )
    build.__qualname__ = made.__qualname__
    return build


def run_source(lines: list[str], name: str, namespace: dict[str, Any]) -> None:
    """Run the generated Python ``lines`` in ``namespace``, compiled under the file name
    ``<dunlib generated: name>``, which is registered with :mod:`linecache` so that a
    traceback through the generated code shows its lines (and a debugger can step them)."""
    source = "\n".join(lines) + "\n"
    filename = f"<dunlib generated: {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)


def _compiled(cls: type[T], fixed: frozenset[str]) -> Callable[..., T]:
    fields = attrs.fields(cls)  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_quick": quick}
    given = [field for field in fields if field.name not in fixed]
    parameters = [field.name for field in given]
    for index in reversed(range(len(given))):  # the last fields with constant defaults
        default = given[index].default
        if default is attrs.NOTHING or isinstance(default, FACTORY):
            break
        namespace[f"_default_{given[index].name}"] = default
        parameters[index] += f"=_default_{given[index].name}"
    values = {f.name: f"_fixed_{f.name}" if f.name in fixed else f.name for f in fields}
    checked = ", ".join(  # the validating constructor's arguments, for plain()
        f"{field.alias or field.name}={values[field.name]}" for field in fields if field.init
    )
    lines = [
        f"def build({', '.join(parameters)}):",
        "    if not _quick.on:",
        f"        return _cls({checked})",
        "    self = _new(_cls)",
    ]
    for field in fields:
        namespace[f"_set_{field.name}"] = getattr(cls, field.name).__set__
        lines.append(f"    _set_{field.name}(self, {values[field.name]})")
    lines.append("    return self")
    run_source(lines, f"constructor of {cls.__name__}", namespace)
    build: Callable[..., T] = namespace["build"]
    build.__qualname__ = build.__name__ = f"trusted_{cls.__name__}"
    return build
