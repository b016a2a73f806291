"""The status words a receivables service reports back to the CRM (seed 000).

The seed names five common values: Entwurf (Draft), Fällig (Due: "must be
settled today"), Versendet (Sent), Bezahlt (Paid) and "Reminder n versendet"
("Reminder n sent"). :func:`external_status` maps an invoice's processing state
to them:

- DRAFT, CREATED and REVIEWED are **Draft**: created, not yet sent.
- SENT is **Due** from its due date on (inclusive): the invoice must be settled
  today, and an overdue one that has not been reminded yet all the more so;
  before the due date it is **Sent**. A SENT invoice reminded before its due date (a
  stage issued early, which leaves it SENT) reads as a DUNNED one: what was sent.
- PAID is **Paid**.
- DUNNED says what was sent last, n being the number of dunning documents sent
  (reminders and notices alike, as the seed counts them; at least 1): **Reminder n
  sent** (Reminder n versendet, the seed's words) when the last was a reminder, **Notice
  n sent** (Mahnung n versendet) when it was a notice, with the fee it charged when it
  charged one: **Notice 4 sent, fee 5.00 EUR** (Mahnung 4 versendet, Gebühr 5,00 €).
  With the ``rules`` the documents were issued under, the kind is the issued stage's
  (by its stage number, else its level among the active stages); without them, a
  document that charged a fee is a notice and one that charged none a reminder.
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
from dunlib.core.money import Money
from dunlib.core.records import IssuedStage
from dunlib.core.status import Status
from dunlib.core.templates import format_amount
from dunlib.dunning.stages import DunningRules, StageKind

__all__ = ["ExternalStatus", "ExternalStatusKind", "external_status"]


class ExternalStatusKind(Enum):
    """The status word, without the reminder count."""

    DRAFT = "Draft"
    DUE = "Due"
    SENT = "Sent"
    PAID = "Paid"
    REMINDED = "Reminder {n} sent"
    NOTICE_SENT = "Notice {n} sent"
    CANCELLED = "Cancelled"
    WRITTEN_OFF = "Written off"


_GERMAN = {
    ExternalStatusKind.DRAFT: "Entwurf",
    ExternalStatusKind.DUE: "Fällig",
    ExternalStatusKind.SENT: "Versendet",
    ExternalStatusKind.PAID: "Bezahlt",
    ExternalStatusKind.REMINDED: "Reminder {n} versendet",
    ExternalStatusKind.NOTICE_SENT: "Mahnung {n} versendet",
    ExternalStatusKind.CANCELLED: "Storniert",
    ExternalStatusKind.WRITTEN_OFF: "Abgeschrieben",
}


@attrs.frozen(kw_only=True)
class ExternalStatus:
    """A status word as the CRM shows it; ``reminders`` counts the dunning documents sent
    for REMINDED and NOTICE_SENT (else 0); ``fee`` is the fee the last notice charged
    (NOTICE_SENT only; None when it charged none).

    ``str()`` gives the English word (``Reminder 2 sent``, ``Notice 4 sent, fee 5.00 EUR``),
    :attr:`german` the seed's German one (``Reminder 2 versendet``, ``Mahnung 4 versendet,
    Gebühr 5,00 €``).
    """

    kind: ExternalStatusKind
    reminders: int = 0
    fee: Money | None = None

    def __str__(self) -> str:
        word = self.kind.value.format(n=self.reminders)
        return word if self.fee is None else f"{word}, fee {self.fee}"

    @property
    def german(self) -> str:
        """The word in the seed's German."""
        word = _GERMAN[self.kind].format(n=self.reminders)
        return word if self.fee is None else f"{word}, Gebühr {format_amount(self.fee, 'de_DE')}"


def _kind(issued: IssuedStage, rules: DunningRules | None) -> StageKind:
    """The kind of the stage ``issued`` was issued for (see the module docs)."""
    if rules is not None:
        stages = rules.stages
        number = issued.stage_number
        if number is not None and number <= len(stages):
            return stages[number - 1].kind
        active = rules.active_stages
        if issued.level <= len(active):
            return active[issued.level - 1].kind
    return StageKind.NOTICE if issued.fee.is_positive else StageKind.REMINDER


def _sent(invoice: Invoice, rules: DunningRules | None) -> ExternalStatus:
    """What the last dunning document sent for ``invoice`` was."""
    last = invoice.last_issued_stage
    count = max(invoice.dunning_level, 1)
    if last is None or _kind(last, rules) is StageKind.REMINDER:
        return ExternalStatus(kind=ExternalStatusKind.REMINDED, reminders=count)
    fee = last.fee if last.fee.is_positive else None
    return ExternalStatus(kind=ExternalStatusKind.NOTICE_SENT, reminders=count, fee=fee)


def external_status(
    invoice: Invoice, *, today: _dt.date, rules: DunningRules | None = None
) -> ExternalStatus:
    """The status word for ``invoice`` as of ``today`` (see the module docs for the mapping);
    ``rules`` are the dunning rules its documents were issued under, to tell a notice
    without a fee from a reminder."""
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("invoice", invoice, "an Invoice")
    today = as_date(today, "external_status.today")
    if rules is not None and not isinstance(rules, DunningRules):
        raise InvalidTypeError("external_status.rules", rules, "a DunningRules or None")
    status = invoice.status
    match status:
        case Status.DRAFT | Status.CREATED | Status.REVIEWED:
            return ExternalStatus(kind=ExternalStatusKind.DRAFT)
        case Status.SENT if invoice.issued_stages:
            return _sent(invoice, rules)
        case Status.SENT:
            due = today >= invoice.due_date
            return ExternalStatus(kind=ExternalStatusKind.DUE if due else ExternalStatusKind.SENT)
        case Status.PAID:
            return ExternalStatus(kind=ExternalStatusKind.PAID)
        case Status.DUNNED:
            return _sent(invoice, rules)
        case Status.CANCELLED:
            return ExternalStatus(kind=ExternalStatusKind.CANCELLED)
        case Status.WRITTEN_OFF:
            return ExternalStatus(kind=ExternalStatusKind.WRITTEN_OFF)
        case _:
            assert_never(status)
