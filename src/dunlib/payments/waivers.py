"""Dunning fees taken back (Mahngebühr erlassen).

A fee is owed only for a notice sent while money was open. Money booked after a notice went
out may have arrived before it: a payment carries the day the money arrived (its value date,
:attr:`~dunlib.core.records.Payment.valued`), and a notice sent on or after that day, when
the money that had arrived covered the invoice's amount, should have charged no fee.
:func:`dunlib.record_payment` then books the waiver of those fees first, as
:func:`unearned_fees` finds them. A dunning fee is damages for the debtor's default (§§ 280,
286 BGB); a notice sent when the money had arrived and nothing was open caused none the
debtor owes, so the fee is taken back, not claimed, and the journal books the waiver as less
fee income (:mod:`dunlib.ledger`), never as a credit of the invoice's revenue.

:func:`waive_fees` books any waiver through the table's WAIVE_FEE row (in DUNNED): at most
the fees charged and not waived yet, and at most what is open (guard ``within-fees``);
one that leaves nothing open settles the invoice (PAID). The notices stay as sent.
"""

from __future__ import annotations

from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money, sum_money
from dunlib.core.records import FeeWaiver, Payment
from dunlib.core.transitions import Command
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import Actor, Authority

__all__ = ["FeeWaiver", "unearned_fees", "waive_fees"]


def waive_fees(
    invoice: Invoice, waiver: FeeWaiver, *, actor: Actor, authority: Authority
) -> Invoice:
    """``invoice`` with the fees ``waiver`` names taken back on ``waiver.on`` by ``actor``.

    A booking of the WAIVE_FEE row (DUNNED only; any other state is refused with a
    :class:`~dunlib.core.errors.TransitionNotAllowedError`): ``actor`` needs the right to,
    the day may not be before the invoice's last step, and the amount must be within the
    fees charged and not waived and within what is open (guard ``within-fees``). The history
    entry names the amount, the reason and what is open afterwards; a waiver that leaves
    nothing open settles the invoice.
    """
    checked_invoice(invoice, "waive_fees")
    if not isinstance(waiver, FeeWaiver):
        raise InvalidTypeError("waive_fees.waiver", waiver, "a FeeWaiver")
    if waiver.amount.currency != invoice.currency:
        raise InvalidValueError(
            "waive_fees.waiver.amount", waiver.amount, f"an amount in {invoice.currency}"
        )
    return _booking.book(
        invoice,
        Command.WAIVE_FEE,
        operation="waive_fees",
        actor=actor,
        on=waiver.on,
        authority=authority,
        kind=EventKind.FEE_WAIVED,
        detail=waiver.described(left=invoice.open_amount - waiver.amount),
        changes={"fee_waivers": (*invoice.fee_waivers, waiver)},
        settles=True,
    )


def unearned_fees(invoice: Invoice, payment: Payment) -> Money:
    """The fees of ``invoice``'s notices that ``payment`` shows were charged after the money
    had arrived, not waived yet: those of the notices dated on or after the payment's value
    date by which the money valued that far (this payment, the payments not taken back and
    the credit notes) covered the invoice's amount (its gross). Zero without a value date
    before the day the payment is booked."""
    checked_invoice(invoice, "unearned_fees")
    if not isinstance(payment, Payment):
        raise InvalidTypeError("unearned_fees.payment", payment, "a Payment")
    code = invoice.currency
    nothing = Money.zero(code)
    arrived = payment.valued
    if arrived >= payment.on or payment.amount.currency != code:
        return nothing
    gross = invoice.gross
    unearned = nothing
    for notice in invoice.issued_stages:
        if notice.on < arrived or not notice.fee.is_positive:
            continue
        day = notice.on
        money = sum_money(
            [
                payment.amount,
                *(p.settled for p in invoice.kept_payments if p.valued <= day),
                *(n.amount for n in invoice.credit_notes if n.on <= day),
            ],
            code,
        )
        if money >= gross:
            unearned += notice.fee
    waived = sum_money((w.amount for w in invoice.fee_waivers), code)
    return max(unearned - waived, nothing)


def waived_before(
    invoice: Invoice, payment: Payment, *, actor: Actor, authority: Authority
) -> Invoice:
    """``invoice`` with the fees ``payment`` shows unearned (:func:`unearned_fees`) waived on
    the day it is booked, before it (for :func:`dunlib.record_payment`); unchanged when
    there are none, or when waiving them would leave nothing open for the payment (a person
    decides then)."""
    amount = unearned_fees(invoice, payment)
    if not amount.is_positive or amount >= invoice.open_amount:
        return invoice
    reason = f"notice sent after the money arrived on {payment.valued}"
    waiver = FeeWaiver(on=payment.on, amount=amount, reason=reason)
    return waive_fees(invoice, waiver, actor=actor, authority=authority)
