"""The processing state of an outgoing invoice, numbered as in the source documents."""

from __future__ import annotations

from enum import IntEnum

__all__ = ["Status"]


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

    @property
    def is_booked(self) -> bool:
        """True from SENT on: the invoice is legally binding and its lines are frozen."""
        return self >= Status.SENT
