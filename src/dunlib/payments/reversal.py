"""Payments taken back: a payment booked to the wrong invoice, or a SEPA direct debit the
customer's bank returned (an R-transaction: return or refund, with its reason code).

:func:`reverse_payment` books a :class:`~dunlib.core.records.Reversal` through the table's
REVERSE row (REOPEN_DUNNED for a paid invoice that dunning notices had dunned): the payment
stays on the invoice as it was booked, and from the reversal's day on it counts for
nothing, so what it settled (its cash discount included) is open again and a paid invoice
reopens. Money is conserved: the invoice's ``paid`` falls by exactly the payment's amount.
:func:`rebook_payment` takes a payment off the wrong invoice and books it on the right one
in one step; a returned direct debit is booked from the bank statement by
:func:`dunlib.bank.book_returns`.

A reversal is dated the day it is booked; the days the payment stood on the invoice count
as paid (for interest, as :func:`dunlib.balance` shows the invoice on each day). A fee the
bank charged for a return is kept apart on the reversal (``bank_fee``): it is not owed on
the invoice, and claiming it from the customer is a matter of its own.
"""

from __future__ import annotations

import datetime as _dt

import attrs

from dunlib.core.errors import InvalidTypeError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.records import Payment, Reversal
from dunlib.core.status import Status
from dunlib.core.transitions import Command
from dunlib.payments.recording import PaymentResult, record_payment
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import Actor, Authority

__all__ = ["Rebooked", "Reversal", "ReversalResult", "rebook_payment", "reverse_payment"]


@attrs.frozen(kw_only=True)
class ReversalResult:
    """The outcome of :func:`reverse_payment`: ``invoice`` with the reversal booked (open
    again by what the payment settled), ``reversal`` as stored on it and ``payment`` the
    payment it took back."""

    invoice: Invoice
    reversal: Reversal
    payment: Payment


def reverse_payment(
    invoice: Invoice, reversal: Reversal, *, actor: Actor, authority: Authority
) -> ReversalResult:
    """Take back the payment at position ``reversal.payment`` of ``invoice.payments`` on
    ``reversal.on``.

    A booking of the REVERSE row in SENT, DUNNED and PAID (a paid invoice reopens as SENT),
    or of REOPEN_DUNNED in PAID when a dunning notice had dunned the invoice (it reopens as
    DUNNED); refused in any other state
    (:class:`~dunlib.core.errors.TransitionNotAllowedError`). ``actor`` needs the right to,
    the day may not be before the invoice's last step, and the payment must be booked and
    not taken back before (guard ``reversible``,
    :class:`~dunlib.core.errors.GuardFailedError`). The history entry names the payment, the
    reason, a bank fee kept apart, and what is open afterwards.
    """
    checked_invoice(invoice, "reverse_payment")
    if not isinstance(reversal, Reversal):
        raise InvalidTypeError("reverse_payment.reversal", reversal, "a Reversal")
    payments, position = invoice.payments, reversal.payment
    payment = payments[position] if position < len(payments) else None
    command = Command.REVERSE
    if invoice.status is Status.PAID and _booking.was_dunned(invoice):
        command = Command.REOPEN_DUNNED
    booked = _booking.book(
        invoice,
        command,
        operation="reverse_payment",
        actor=actor,
        on=reversal.on,
        authority=authority,
        kind=EventKind.PAYMENT_REVERSED,
        detail=""
        if payment is None
        else reversal.described(payment, left=invoice.open_amount + payment.settled),
        changes={"reversals": (*invoice.reversals, reversal)},
    )
    # booked: the guard reversible found the payment
    return ReversalResult(invoice=booked, reversal=reversal, payment=booked.payments[position])


@attrs.frozen(kw_only=True)
class Rebooked:
    """The outcome of :func:`rebook_payment`: ``wrong``, the invoice the payment was taken
    back from, and ``right``, the result of booking it on the invoice it belongs to."""

    wrong: ReversalResult
    right: PaymentResult


def rebook_payment(
    wrong: Invoice,
    payment: int,
    right: Invoice,
    *,
    on: _dt.date,
    actor: Actor,
    authority: Authority,
    reason: str = "booked to the wrong invoice",
) -> Rebooked:
    """Take the payment at position ``payment`` of ``wrong.payments`` back on ``on`` and
    book it on ``right`` the same day, with its amount, reference and value date (the day
    the money arrived decides the cash discount on ``right``): :func:`reverse_payment`, then
    :func:`~dunlib.payments.recording.record_payment`, each with all its checks. What
    ``right`` cannot take comes back as the overpayment of ``Rebooked.right``; money is
    conserved: ``wrong`` loses exactly what ``right`` and the overpayment gain.
    """
    taken = reverse_payment(
        wrong, Reversal(on=on, payment=payment, reason=reason), actor=actor, authority=authority
    )
    moved = taken.payment
    again = Payment(on=on, amount=moved.amount, reference=moved.reference, value_date=moved.valued)
    return Rebooked(
        wrong=taken, right=record_payment(right, again, actor=actor, authority=authority)
    )
