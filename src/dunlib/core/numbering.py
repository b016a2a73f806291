"""Gapless invoice numbers: an immutable sequence that a successful send advances.

German bookkeeping expects invoice numbers to be sequential and without gaps.
A :class:`NumberSequence` is a value: taking a number returns the number and the
advanced sequence, and the workflow takes one only after every check of a send
has passed, so a refused send consumes nothing. Keep the sequence the last send
returned and pass it to the next one.

>>> sequence = NumberSequence(prefix="RE-2026-", next_value=41, width=5)
>>> number, sequence = sequence.take()
>>> number, sequence.next_number
('RE-2026-00041', 'RE-2026-00042')
"""

from __future__ import annotations

from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import InvalidTypeError, InvalidValueError

__all__ = ["MAX_VALUE", "NumberSequence"]

_MAX_WIDTH = 20

MAX_VALUE = 10**18
"""The largest ``next_value`` a sequence may hold; the last value it issues is one less.

A sequence whose ``next_value`` is ``MAX_VALUE`` is used up: :meth:`NumberSequence.take`
refuses it. Numbers thus have at most 18 digits besides the prefix.
"""


def _next_value(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.positive_int(instance, attribute, value)
    if value > MAX_VALUE:
        raise InvalidValueError(v.field_name(instance, attribute), value, "an int from 1 to 10**18")


def _width(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.positive_int(instance, attribute, value)
    if value > _MAX_WIDTH:
        raise InvalidValueError(
            v.field_name(instance, attribute), value, f"an int from 1 to {_MAX_WIDTH}"
        )


@attrs.frozen(kw_only=True)
class NumberSequence:
    """The invoice numbers still to come: ``prefix`` + ``next_value`` zero-padded to ``width``.

    ``next_value`` is the value the next send will use (1 to :data:`MAX_VALUE`, 10**18);
    ``width`` the minimum number of digits (values that outgrow it simply get longer).
    """

    prefix: str = attrs.field(default="", validator=v.text)
    next_value: int = attrs.field(default=1, validator=_next_value)
    width: int = attrs.field(default=1, validator=_width)

    def format(self, value: int) -> str:
        """The invoice number for ``value`` (an int from 1 to 10**18) in this sequence's format."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidTypeError("NumberSequence.format.value", value, "an int")
        if not 1 <= value <= MAX_VALUE:
            raise InvalidValueError("NumberSequence.format.value", value, "an int from 1 to 10**18")
        return f"{self.prefix}{value:0{self.width}d}"

    @property
    def next_number(self) -> str:
        """The number the next successful send will get."""
        return self.format(self.next_value)

    def take(self) -> tuple[str, NumberSequence]:
        """The next number and the sequence after it (the number is then consumed).

        Raises :class:`~dunlib.core.errors.InvalidValueError` when the sequence is used up
        (``next_value`` is :data:`MAX_VALUE`): start another one, such as with a new prefix.
        """
        if self.next_value >= MAX_VALUE:
            raise InvalidValueError(
                "NumberSequence.next_value",
                self.next_value,
                f"a value below {MAX_VALUE} to take (this sequence is used up: start another "
                "one, such as with a new prefix)",
            )
        return self.next_number, attrs.evolve(self, next_value=self.next_value + 1)
