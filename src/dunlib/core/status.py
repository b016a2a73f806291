"""The processing state of an outgoing invoice, numbered as in the source documents.

A :class:`Status` is an ``int`` (``Status.PAID == 4``, ordered, usable as an index) that
prints as its name: ``str(Status.PAID)`` and ``f"{Status.PAID}"`` are ``'PAID'``. A numeric
format specification formats the number (``f"{Status.PAID:d}"`` is ``'4'``); write
``int(status)`` for the number itself.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Status"]

_NUMERIC_FORMATS = frozenset("bcdoxXneEfFgG%")
"""The presentation types of a format specification that format a Status as its number."""


class Status(IntEnum):
    """Processing state (Bearbeitungsstand) of an invoice, 0 to 7."""

    DRAFT = 0
    """In Bearbeitung: lines may be added, edited and removed."""
    CREATED = 1
    """Erstellt: ready for review; lines are frozen."""
    REVIEWED = 2
    """Geprüft: final check; online invoices may be sent automatically from here."""
    SENT = 3
    """Versendet und gebucht: legally binding, booked, immutable."""
    PAID = 4
    """Bezahlt: fully settled."""
    DUNNED = 5
    """Angemahnt: a dunning document was sent."""
    CANCELLED = 6
    """Storniert: a cancelling invoice was booked."""
    WRITTEN_OFF = 7
    """Abgeschrieben: the dunning reached "uncollectible"."""

    def __str__(self) -> str:
        return self.name

    def __format__(self, format_spec: str) -> str:
        if format_spec and format_spec[-1] in _NUMERIC_FORMATS:
            return format(int(self), format_spec)
        return format(self.name, format_spec)

    @property
    def is_booked(self) -> bool:
        """True from SENT on: the invoice is legally binding and its lines are frozen."""
        return self >= Status.SENT
