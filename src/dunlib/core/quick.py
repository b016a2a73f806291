"""The switch and the caches of dunlib's quick paths (internal: shared by dunlib's areas;
:func:`plain` is for debugging).

dunlib is fast through code generated at run time, the engine's compiled form and a few
caches. Every one of them gives what the plain code gives (laws in ``tests/test_quick.py``
state it), and :func:`plain` switches them all off, for a debugger or a doubt:

- the documents' readers generated per class (:mod:`dunlib.io.reader`): ``from_json`` and
  ``from_dict`` read every document through the general path (cattrs and the
  constructors);
- the documents' writers generated per class (:mod:`dunlib.io._writer`): ``to_dict`` and
  ``to_json`` write every value through the converter and then walk the document for its
  limits;
- the constructors generated for parts already checked (:func:`dunlib.core.generated.trusted`)
  call the validating constructor;
- ``plan`` decides every invoice with ``next_dunning_action`` instead of the engine's
  compiled form (:mod:`dunlib.dunning.decider`);
- every cache below is passed by: nothing is looked up and nothing kept.

What stays is what a value computes once and keeps on itself (an invoice's amounts, its
history read once) and the tables of one entry per currency or per class (a currency's
smallest amount, the generated code itself).

The caches and their bounds (a cache never holds more entries than its bound):

=====================================  ======  ==========================================
cache                                  bound   of
=====================================  ======  ==========================================
the reader's dates                     4 096   a date read, by its text
the reader's decimals                  4 096   a decimal read, by its text
the reader's objects, one per class    4 096   an object of scalars alone (an amount, a
                                               customer, payment terms), by its values
matching's number patterns             4 096   the patterns of an invoice number
the compiled form's accounts           4 096   what a customer's account says on the
                                               run's day, per compiled rules
the run's compiled rules               64      the compiled form of a rules object a rules
                                               function gave, per run
a currency's minor unit                512     by its code
a locale's validity                    256     by its tag
a tax rate's key and its percent       256     by the rate, each
a country's holidays                   256     by country, subdivision and year
TARGET2's closing days                 256     by year
a direct debit's return window         2 048   its last day, by collection day and length
an invoice's counts of bookings        1 024   the counts per kind, by the counts
=====================================  ======  ==========================================

The reader's caches keep nothing more once full (a portfolio repeats its customers,
amounts and dates early on); the compiled form's accounts and the run's rules start again
when full; the others drop the least recently used entry. Generated code is kept once
per class (and per set of fields fixed in a constructor): as many as the classes dunlib
defines.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = [
    "ACCOUNTS",
    "COUNTS",
    "HOLIDAY_YEARS",
    "LOCALES",
    "MINOR_UNITS",
    "PATTERNS",
    "RATES",
    "READ",
    "RETURN_WINDOWS",
    "RULES",
    "cached",
    "forget",
    "kept",
    "memo",
    "on",
    "plain",
]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

READ = 4096
"""Entries in each of the reader's caches (dates, decimals, objects of a class)."""
PATTERNS = 4096
"""Invoice numbers whose patterns matching keeps."""
ACCOUNTS = 4096
"""Customers' accounts the compiled form keeps read, per compiled rules."""
RULES = 64
"""Rules objects one run keeps compiled (rules functions return a few)."""
MINOR_UNITS = 512
"""Currencies whose minor unit is kept."""
LOCALES = 256
"""Locale tags whose validity is kept."""
RATES = 256
"""Tax rates whose key, and whose percent, are kept."""
HOLIDAY_YEARS = 256
"""Years of a country's (and subdivision's) holidays kept."""
RETURN_WINDOWS = 2048
"""Direct debits' return windows kept (their last day, by collection day and length)."""
COUNTS = 1024
"""Counts of an invoice's bookings per kind kept, one tuple shared by every invoice."""

on = True
"""Whether the quick paths are on: False within :func:`plain`."""

_plain_depth = 0
_MEMOS: list[dict[Any, Any]] = []
_CACHED: list[Any] = []  # the functools caches made by cached()


def memo() -> dict[Any, Any]:
    """A new cache of the reader, of at most :data:`READ` entries (see :func:`kept`)."""
    _MEMOS.append({})
    return _MEMOS[-1]


def kept(cache: dict[Any, T], key: Any, value: T) -> T:
    """``value``, kept in ``cache`` under ``key`` while the cache holds fewer than
    :data:`READ` entries."""
    if len(cache) < READ:
        cache[key] = value
    return value


def cached(bound: int) -> Callable[[F], F]:
    """The function decorated, keeping its last ``bound`` results by their arguments
    (:func:`functools.lru_cache`); :func:`plain` puts the function itself in its module's
    place, so it must be called through its module's name for it."""

    def keep(function: F) -> F:
        kept_results = functools.lru_cache(maxsize=bound)(function)
        _CACHED.append(kept_results)
        return kept_results  # type: ignore[return-value]

    return keep


def forget() -> None:
    """Empty every cache above (benchmarks read each document as the first time)."""
    for cache in _MEMOS:
        cache.clear()
    for function in _CACHED:
        function.cache_clear()


@contextmanager
def plain() -> Iterator[None]:
    """Within the block, dunlib without its quick paths: no generated reader or writer,
    trusted constructors that validate, the engine deciding every invoice of a run, no cache.

    For debugging: every result is the same, only slower. It switches the whole process
    (every thread) and may be nested.
    """
    global on, _plain_depth
    if not _plain_depth:
        _swap(lambda function: function.__wrapped__)
    _plain_depth += 1
    on = False
    try:
        yield
    finally:
        _plain_depth -= 1
        if not _plain_depth:
            on = True
            _swap(lambda function: function)


def _swap(choose: Callable[[Any], Any]) -> None:
    """Put ``choose(cache)`` in the place of each cached function in its module."""
    for function in _CACHED:
        setattr(sys.modules[function.__module__], function.__name__, choose(function))
