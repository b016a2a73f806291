"""Bookkeeping: the journal entries an invoice's bookings imply, on a chart of accounts.

Every booking of an invoice (sent, paid, discounted, credited, cancelled, written off,
recovered, dunned with a fee, charged interest) implies balanced journal entries. They are
derived from the invoice's history whenever asked, never stored twice. The entries go to
DATEV as a Buchungsstapel (:mod:`dunlib.ledger.datev`) or to beancount as text
(:mod:`dunlib.ledger.beancount_text`).
"""

from __future__ import annotations

from dunlib.ledger.accounts import CATEGORIZED, SKR03, SKR04, Chart, MissingAccountError, Role
from dunlib.ledger.beancount_text import beancount_text
from dunlib.ledger.bookings import BOOKINGS, CREDIT_REFERENCE, ChartLike, journal, journal_of
from dunlib.ledger.datev import (
    DatevBooking,
    DatevHeader,
    DatevStapel,
    datev_buchungsstapel,
    read_buchungsstapel,
)
from dunlib.ledger.entries import JournalEntry, Posting

__all__ = [
    "BOOKINGS",
    "CATEGORIZED",
    "CREDIT_REFERENCE",
    "SKR03",
    "SKR04",
    "Chart",
    "ChartLike",
    "DatevBooking",
    "DatevHeader",
    "DatevStapel",
    "JournalEntry",
    "MissingAccountError",
    "Posting",
    "Role",
    "beancount_text",
    "datev_buchungsstapel",
    "journal",
    "journal_of",
    "read_buchungsstapel",
]
