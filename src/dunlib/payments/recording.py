"""Recording payments: partial, over- and discounted payment, allocated to fees, interest
and principal as :mod:`dunlib.payments.allocation` describes.

A payment booked here is split as :mod:`dunlib.payments.allocation` replays it: fees first, then
interest, then principal (BGB §367), with the cash discount (Skonto) it takes.
"""

from __future__ import annotations

import attrs

from dunlib.core.errors import InvalidTypeError, InvalidValueError, PaymentCurrencyError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money
from dunlib.core.records import Payment
from dunlib.core.status import Status
from dunlib.core.transitions import Command, sources
from dunlib.payments.allocation import Allocation, allocated, discount_offer
from dunlib.payments.waivers import waived_before
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import Actor, Authority

__all__ = ["PAYABLE_STATES", "PaymentResult", "record_payment"]

PAYABLE_STATES: tuple[Status, ...] = tuple(sorted(sources(Command.PAY)))
"""The processing states in which an invoice takes payments (seed 002, states 3 and 5):
those the workflow table has a PAY row in."""


@attrs.frozen(kw_only=True)
class PaymentResult:
    """The outcome of :func:`record_payment`.

    ``invoice`` is the invoice with the payment booked (PAID when nothing is open
    any more), ``payment`` the payment as stored on it (only the part applied,
    with the discount granted; None when nothing could be applied),
    ``allocation`` its split and ``overpayment`` the money received beyond what
    was open: a credit for the customer, zero when there is none.
    """

    invoice: Invoice
    payment: Payment | None
    allocation: Allocation
    overpayment: Money

    @property
    def is_settled(self) -> bool:
        """True when the payment left nothing open on the invoice (it is PAID now)."""
        return self.invoice.status is Status.PAID


def overpaid_step(result: PaymentResult, operation: str) -> int | None:
    """The position in ``result.invoice.history`` of the payment step that left
    ``result.overpayment`` over, checked against the invoice; None when nothing was overpaid.

    A result is trusted only as far as its invoice bears it out: the invoice's last step is
    the payment that settled it (PAID), ``result.payment`` is the payment booked last on it
    (None when nothing was applied), and the step records exactly this overpayment.
    Anything else is refused with an :class:`~dunlib.core.errors.InvalidValueError` naming the
    field of the result (``<operation>.result.invoice``, ``….payment``, ``….overpayment``).
    """
    field = f"{operation}.result"
    invoice = checked_invoice(result.invoice, field)
    code = invoice.currency
    over = result.overpayment
    if not isinstance(over, Money) or over.currency != code or over.is_negative:
        raise InvalidValueError(
            f"{field}.overpayment", over, f"an amount of zero or more in {code}"
        )
    if not over.is_positive:
        return None
    name = invoice.known_as
    last = invoice.history[-1] if invoice.history else None
    if last is None or last.kind is not EventKind.PAYMENT or last.to_status is not Status.PAID:
        raise InvalidValueError(
            f"{field}.invoice",
            name,
            "the invoice as record_payment returned it: its last step the payment that "
            "settled it and left the overpayment",
        )
    paid = result.payment
    if paid is not None and (invoice.payments[-1:] != (paid,) or paid.on != last.on):
        raise InvalidValueError(
            f"{field}.payment", paid, f"the payment booked last on invoice {name}, or None"
        )
    applied = Money.zero(code) if paid is None else paid.amount
    if last.detail != _describe(applied + over, applied, None, over, applied):
        raise InvalidValueError(
            f"{field}.overpayment",
            over,
            f"what the payment left over on invoice {name}, as its step says: {last.detail!r}",
        )
    return len(invoice.history) - 1


def _check_currency(invoice: Invoice, payment: Payment) -> None:
    if payment.amount.currency != invoice.currency:
        raise PaymentCurrencyError(
            invoice_id=invoice.id,
            number=invoice.number,
            invoice_currency=invoice.currency,
            payment_currency=payment.amount.currency,
        )


def record_payment(
    invoice: Invoice,
    payment: Payment,
    *,
    actor: Actor,
    authority: Authority,
) -> PaymentResult:
    """Book ``payment`` on ``invoice``: fees first, then interest, then principal.

    The invoice goes to PAID (through the workflow table's SETTLE row) when nothing is
    open afterwards; a partial payment is recorded in the history without a change of
    state. Money beyond the open amount is returned as the overpayment, never stored on
    the invoice. Within the discount period a payment of at least the open amount less
    :func:`discount_offer` settles the invoice and records the discount taken.

    ``actor`` books it (:data:`~dunlib.workflow.policy.AUTOMATIC` for the seed's automatic
    matching) and needs the right to PAY (and to SETTLE when it settles) under
    ``authority``. The payment's day may not be before the invoice's last history entry;
    its value date (the day the money arrived) may be: it decides the cash discount, and
    the fees of notices sent after it are waived first, in a booking of their own
    (:func:`~dunlib.payments.waivers.unearned_fees`, :func:`~dunlib.payments.waive_fees`).
    ``payment.discount`` must be None: the discount is decided here, from the terms.
    Raises :class:`~dunlib.core.errors.PaymentCurrencyError` for another currency; the booking
    path raises :class:`~dunlib.core.errors.WrittenOffPaymentError` on a written-off invoice and
    :class:`~dunlib.core.errors.PaymentStateError` in any other state without a PAY row (all but
    SENT and DUNNED), as it does for every function that attempts PAY there; a refused
    payment changes nothing.

    Payments booked in date order extend the invoice's kept replay instead of replaying
    every booking again, so booking n payments one after another takes time linear in n.
    """
    checked_invoice(invoice, "record_payment")
    if not isinstance(payment, Payment):
        raise InvalidTypeError("record_payment.payment", payment, "a Payment")
    if payment.discount is not None:
        raise InvalidValueError(
            "Payment.discount",
            payment.discount,
            "None: record_payment decides the cash discount from the payment terms",
        )
    _check_currency(invoice, payment)
    if payment.value_date is not None:  # fees of notices sent after the money arrived
        invoice = waived_before(invoice, payment, actor=actor, authority=authority)

    code = invoice.currency
    nothing = Money.zero(code)
    open_amount = max(invoice.open_amount, nothing)
    received = payment.amount
    discount: Money | None = None
    if received >= open_amount:
        applied = open_amount
    else:
        applied = received
        offer = discount_offer(invoice, today=payment.valued)
        if offer.is_positive and received >= open_amount - offer:
            discount = open_amount - received
    overpayment = received - applied

    stored = (
        attrs.evolve(payment, amount=applied, discount=discount) if applied.is_positive else None
    )
    booked = _booking.book(
        invoice,
        Command.PAY,
        operation="record_payment",
        actor=actor,
        on=payment.on,
        authority=authority,
        kind=EventKind.PAYMENT,
        detail=_describe(received, applied, discount, overpayment, open_amount),
        changes={} if stored is None else {"payments": (*invoice.payments, stored)},
        settles=True,
    )
    if stored is None:
        return PaymentResult(
            invoice=booked,
            payment=None,
            allocation=Allocation.zero(code),
            overpayment=overpayment,
        )
    allocation = allocated(invoice, booked, stored)
    return PaymentResult(
        invoice=booked, payment=stored, allocation=allocation, overpayment=overpayment
    )


def _describe(
    received: Money,
    applied: Money,
    discount: Money | None,
    overpayment: Money,
    open_before: Money,
) -> str:
    parts = [f"payment of {received} received"]
    if discount is not None:
        parts.append(f"cash discount {discount} granted")
    if overpayment.is_positive:
        parts.append(f"overpaid by {overpayment}")
    left = open_before - applied - (discount or Money.zero(received.currency))
    parts.append(f"open {left}")
    return "; ".join(parts)
