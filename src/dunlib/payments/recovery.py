"""Recoveries: money received for an invoice written off as uncollectible.

A written-off invoice (7 WRITTEN_OFF) takes no payment (seed 002: money received after a
write-off goes against the dunning procedure, not the invoice;
:class:`~dunlib.core.errors.WrittenOffPaymentError`). :func:`record_recovery` books it as a
:class:`~dunlib.core.records.Recovery`, a booking of its own through the table's RECOVER
row: the write-off stays as it was, and the invoice shows what came back.

The identity it keeps, beside every invoice's ``total_due == settled + written_off +
open_amount`` (unchanged: the invoice stays written off with nothing open)::

    0 <= recovered <= written_off
    money received for the invoice = paid + recovered
    loss                           = written_off - recovered

Money beyond what is left to recover (``written_off - recovered``) is returned as the
overpayment, never stored: a credit for the customer, as :func:`dunlib.record_payment`
returns one. The bookkeeping of a recovery (a journal entry reversing the tax correction
of the write-off) is derived from this booking, its day, amount and reference.
"""

from __future__ import annotations

import attrs

from dunlib.core.errors import InvalidTypeError, PaymentCurrencyError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money
from dunlib.core.records import Recovery
from dunlib.core.transitions import Command
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import Actor, Authority

__all__ = ["Recovery", "RecoveryResult", "record_recovery"]


@attrs.frozen(kw_only=True)
class RecoveryResult:
    """The outcome of :func:`record_recovery`: ``invoice`` with the recovery booked,
    ``recovery`` as stored on it (the part within what was left to recover) and
    ``overpayment`` the money received beyond that (zero when there is none)."""

    invoice: Invoice
    recovery: Recovery
    overpayment: Money


def record_recovery(
    invoice: Invoice,
    recovery: Recovery,
    *,
    actor: Actor,
    authority: Authority,
) -> RecoveryResult:
    """Book ``recovery``, money received on ``recovery.on`` for the written-off ``invoice``.

    A booking of the RECOVER row (7 WRITTEN_OFF only; the booking path refuses any other
    state with a :class:`~dunlib.core.errors.TransitionNotAllowedError`): ``actor`` needs
    the right to, the day may not be before the invoice's last step, and something written
    off must be left to recover (guard ``recoverable``). What exceeds it is returned as the
    overpayment. The history entry names the amount, the reference and the total
    recovered of what was written off.
    Raises :class:`~dunlib.core.errors.PaymentCurrencyError` for another currency.
    """
    checked_invoice(invoice, "record_recovery")
    if not isinstance(recovery, Recovery):
        raise InvalidTypeError("record_recovery.recovery", recovery, "a Recovery")
    if recovery.amount.currency != invoice.currency:
        raise PaymentCurrencyError(
            invoice_id=invoice.id,
            number=invoice.number,
            invoice_currency=invoice.currency,
            payment_currency=recovery.amount.currency,
        )
    left = invoice.written_off - invoice.recovered
    applied = min(recovery.amount, left) if left.is_positive else recovery.amount
    stored = attrs.evolve(recovery, amount=applied)
    booked = _booking.book(
        invoice,
        Command.RECOVER,
        operation="record_recovery",
        actor=actor,
        on=recovery.on,
        authority=authority,
        kind=EventKind.RECOVERY,
        detail=stored.described(
            recovered=invoice.recovered + applied, written_off=invoice.written_off
        ),
        changes={"recoveries": (*invoice.recoveries, stored)},
    )
    return RecoveryResult(invoice=booked, recovery=stored, overpayment=recovery.amount - applied)
