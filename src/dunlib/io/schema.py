"""What a dunlib document is: its schema version and the keys it writes, the limits a
document is read within, and the shapes of the types its values are made of. Shared by the
general reader and writer (:mod:`dunlib.io.serialize`) and the fast reader
(:mod:`dunlib.io.reader`).
"""

from __future__ import annotations

import re
from typing import Any, get_args, get_origin

__all__ = [
    "CHAIN_KEY",
    "MAX_INT_DIGITS",
    "MAX_NESTING",
    "SCHEMA_VERSION",
    "TAG_KEY",
    "VERSION_KEY",
]

SCHEMA_VERSION = 4
"""The schema version :func:`to_dict` writes; every version from 0 up to it can be read."""


VERSION_KEY = "schema_version"
"""The key of a document's top-level object that holds its schema version."""


CHAIN_KEY = "chain"
"""The key of a stored invoice's document that holds its audit chain (from version 4; see
:mod:`dunlib.io.chain`). Reading a document leaves it out."""

_CHAINED: set[type] = set()
"""The classes whose documents may carry a chain (the invoice; registered by
:mod:`dunlib.io.serialize`)."""


MAX_NESTING = 32
"""How many levels of objects and lists a document may nest (the top-level object is one)."""


MAX_INT_DIGITS = 100
"""How many digits a whole number in a document may have."""

_INT_LIMIT = 10**MAX_INT_DIGITS


_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d")


TAG_KEY = "type"
"""Where a member of a union (a suspension event, a dunning decision) writes its class name."""


_TAGGED: dict[Any, dict[str, type]] = {}
"""The unions written with a tag, and their members by tag."""


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_fixed_tuple(cls: Any) -> bool:
    return get_origin(cls) is tuple and Ellipsis not in get_args(cls)


def _is_set(cls: Any) -> bool:
    return get_origin(cls) in (frozenset, set) and len(get_args(cls)) == 1
