"""The status words a receivables service reports back to the CRM (seed 000).

The seed names five common values: Entwurf (Draft), Fällig (Due: "must be
settled today"), Versendet (Sent), Bezahlt (Paid) and "Reminder n versendet"
("Reminder n sent"). :func:`external_status` maps an invoice's processing state
to them:

- DRAFT, CREATED and REVIEWED are **Draft**: created, not yet sent.
- SENT is **Due** from its due date on (inclusive): the invoice must be settled
  today, and an overdue one that has not been reminded yet all the more so;
  before the due date it is **Sent**.
- PAID is **Paid**.
- DUNNED is **Reminder n sent**, n being the number of dunning documents sent
  (reminders and notices alike, as the seed counts them; at least 1).
- The seed has no word for CANCELLED and WRITTEN_OFF. Neither is paid, and
  neither is open any more, so neither may look like one of the five: they are
  reported as **Cancelled** (Storniert) and **Written off** (Abgeschrieben), the
  words of seed 002's states 6 and 7.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import assert_never

import attrs

from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError
from dunlib.core.invoice import Invoice
from dunlib.core.status import Status

__all__ = ["ExternalStatus", "ExternalStatusKind", "external_status"]


class ExternalStatusKind(Enum):
    """The status word, without the reminder count."""

    DRAFT = "Draft"
    DUE = "Due"
    SENT = "Sent"
    PAID = "Paid"
    REMINDED = "Reminder {n} sent"
    CANCELLED = "Cancelled"
    WRITTEN_OFF = "Written off"


_GERMAN = {
    ExternalStatusKind.DRAFT: "Entwurf",
    ExternalStatusKind.DUE: "Fällig",
    ExternalStatusKind.SENT: "Versendet",
    ExternalStatusKind.PAID: "Bezahlt",
    ExternalStatusKind.REMINDED: "Reminder {n} versendet",
    ExternalStatusKind.CANCELLED: "Storniert",
    ExternalStatusKind.WRITTEN_OFF: "Abgeschrieben",
}


@attrs.frozen(kw_only=True)
class ExternalStatus:
    """A status word as the CRM shows it; ``reminders`` counts for REMINDED only (else 0).

    ``str()`` gives the English word (``Reminder 2 sent``), :attr:`german` the
    seed's German one (``Reminder 2 versendet``).
    """

    kind: ExternalStatusKind
    reminders: int = 0

    def __str__(self) -> str:
        return self.kind.value.format(n=self.reminders)

    @property
    def german(self) -> str:
        """The word in the seed's German."""
        return _GERMAN[self.kind].format(n=self.reminders)


def external_status(invoice: Invoice, *, today: _dt.date) -> ExternalStatus:
    """The status word for ``invoice`` as of ``today`` (see the module docs for the mapping)."""
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("invoice", invoice, "an Invoice")
    today = as_date(today, "external_status.today")
    status = invoice.status
    match status:
        case Status.DRAFT | Status.CREATED | Status.REVIEWED:
            return ExternalStatus(kind=ExternalStatusKind.DRAFT)
        case Status.SENT:
            due = today >= invoice.due_date
            return ExternalStatus(kind=ExternalStatusKind.DUE if due else ExternalStatusKind.SENT)
        case Status.PAID:
            return ExternalStatus(kind=ExternalStatusKind.PAID)
        case Status.DUNNED:
            count = max(invoice.dunning_level, 1)
            return ExternalStatus(kind=ExternalStatusKind.REMINDED, reminders=count)
        case Status.CANCELLED:
            return ExternalStatus(kind=ExternalStatusKind.CANCELLED)
        case Status.WRITTEN_OFF:
            return ExternalStatus(kind=ExternalStatusKind.WRITTEN_OFF)
        case _:
            assert_never(status)
