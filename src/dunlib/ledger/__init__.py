"""Bookkeeping: the journal entries an invoice's bookings imply, on a chart of accounts.

Every booking of an invoice (sent, paid, discounted, credited, cancelled, written off,
recovered, dunned with a fee, charged interest) implies balanced journal entries. They are
derived from the invoice's history whenever asked, never stored twice.
"""

from __future__ import annotations

from dunlib.ledger.accounts import Chart, Role
from dunlib.ledger.bookings import BOOKINGS, CREDIT_REFERENCE, ChartLike, journal, journal_of
from dunlib.ledger.entries import JournalEntry, Posting

__all__ = [
    "BOOKINGS",
    "CREDIT_REFERENCE",
    "Chart",
    "ChartLike",
    "JournalEntry",
    "Posting",
    "Role",
    "journal",
    "journal_of",
]
