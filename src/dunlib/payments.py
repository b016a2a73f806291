"""Recording payments: allocation to fees, interest and principal; partial, over- and
discounted payment.

**Allocation order (BGB §367, seed 002 state 5).** Money received settles dunning
fees first, then interest, then the principal (the invoice's gross). A cash
discount only ever reduces the principal; a credit note reduces the principal
first (it corrects the goods amount) and only what is left of it goes to fees,
then interest.

**The split is derived, never stored.** A :class:`~dunlib.records.Payment` keeps
only its date, amount and discount; :func:`balance` and :func:`allocations`
recompute how every payment was split by *replaying* the invoice's bookings in
date order. On one day, charges (dunning fees, interest) come before credit
notes, and credit notes before payments: a fee or interest dated on a day is owed
from that day, a credit note corrects the claim itself, and a bank booking is
taken to arrive at the end of its value date; write-offs come last. Bookings of
one kind keep the order in which they were recorded. A write-off clears the
principal first, then fees, then interest; the negative write-off that clears a
cancelling invoice against its original uses up the credit its negative total
left. Money that arrives while nothing is open (a payment
dated before a fee that was charged later) is held as a credit and settles the
next charge, so no cent is ever unaccounted for.

**Cash discount (Skonto).** Within the discount period (the issue date plus the
terms' ``discount_days``, inclusive), a payment that brings the open amount down
to at most the discount settles the invoice, and the shortfall is recorded as
:attr:`Payment.discount`. The discount base is the invoice's gross less its
credit notes; fees and interest are never discounted (they must be paid in
full). The discount is ``base x percent / 100`` rounded half-up to the minor
unit (this module's only rounding point), taken at most once per invoice. A
payment of the full open amount takes no discount: the discount recorded is what
the customer actually deducted. A discount lowers the price, so the replay takes
it off the principal before any money is applied: money that paid the principal
before the discount was taken may then settle a later fee instead. That keeps
the outcome independent of how a sum was split into payments.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs

from dunlib import _booking
from dunlib.dates import as_date
from dunlib.errors import (
    InvalidTypeError,
    InvalidValueError,
    PaymentCurrencyError,
)
from dunlib.history import EventKind
from dunlib.invoice import Invoice
from dunlib.money import Money
from dunlib.policy import AUTOMATIC, Actor, Permissions
from dunlib.records import Payment
from dunlib.status import Status
from dunlib.transitions import Command, sources

__all__ = [
    "PAYABLE_STATES",
    "Allocation",
    "Balance",
    "PaymentResult",
    "allocations",
    "balance",
    "discount_offer",
    "record_payment",
]

PAYABLE_STATES: tuple[Status, ...] = tuple(sorted(sources(Command.PAY)))
"""The processing states in which an invoice takes payments (seed 002, states 3 and 5):
those the workflow table has a PAY row in."""


@attrs.frozen(kw_only=True)
class Allocation:
    """How one payment was applied to an invoice.

    ``fees``, ``interest`` and ``principal`` are the parts of the money received
    that settled dunning fees, interest and the invoice's gross; ``discount`` is
    the cash discount granted with the payment (zero when none). Money received
    beyond what was open is not part of an allocation: it is the overpayment.
    """

    fees: Money
    interest: Money
    principal: Money
    discount: Money

    @classmethod
    def zero(cls, currency: str) -> Allocation:
        """Nothing applied, in ``currency``."""
        nothing = Money.zero(currency)
        return cls(fees=nothing, interest=nothing, principal=nothing, discount=nothing)

    @property
    def received(self) -> Money:
        """The money applied: fees plus interest plus principal (the discount is no money)."""
        return self.fees + self.interest + self.principal

    @property
    def settled(self) -> Money:
        """What the payment cleared: the money applied plus the cash discount."""
        return self.received + self.discount


@attrs.frozen(kw_only=True)
class Balance:
    """What is open on an invoice, by part, after replaying its bookings.

    ``fees``, ``interest`` and ``principal`` are never negative. ``credit`` is
    money received (or credited) while nothing was open that no later charge has
    used yet; it is non-zero only when every part is zero.
    """

    fees: Money
    interest: Money
    principal: Money
    credit: Money

    @property
    def total(self) -> Money:
        """Fees plus interest plus principal, less any credit (equals the open amount)."""
        return self.fees + self.interest + self.principal - self.credit


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
    Anything else is refused with an :class:`~dunlib.errors.InvalidValueError` naming the
    field of the result (``<operation>.result.invoice``, ``….payment``, ``….overpayment``).
    """
    field = f"{operation}.result"
    invoice = _booking.checked_invoice(result.invoice, field)
    code = invoice.currency
    over = result.overpayment
    if not isinstance(over, Money) or over.currency != code or over.is_negative:
        raise InvalidValueError(
            f"{field}.overpayment", over, f"an amount of zero or more in {code}"
        )
    if not over.is_positive:
        return None
    name = invoice.number or invoice.id
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


# -- replay -----------------------------------------------------------------

_CHARGE_FEE, _CHARGE_INTEREST, _CREDIT_NOTE, _PAYMENT, _WRITE_OFF = range(5)
"""Event kinds; their numeric order is also the order of events on one day."""


@attrs.define
class _Replay:
    """Mutable state of one replay (private; never leaves this module)."""

    currency: str
    fees: Decimal = Decimal(0)
    interest: Decimal = Decimal(0)
    principal: Decimal = Decimal(0)
    # Unused credit, oldest first: (payment index or None, amount).
    credit: list[tuple[int | None, Decimal]] = attrs.Factory(list)
    # Per payment: [fees, interest, principal] of the money received.
    parts: dict[int, list[Decimal]] = attrs.Factory(dict)
    # The sort key of the last event replayed (a later payment may extend this state).
    last: tuple[_dt.date, int, int] | None = None

    def charge(self, kind: int, amount: Decimal) -> None:
        while amount > 0 and self.credit:
            source, available = self.credit[0]
            used = min(amount, available)
            amount -= used
            if source is not None:
                self.parts[source][0 if kind == _CHARGE_FEE else 1] += used
            if used == available:
                self.credit.pop(0)
            else:
                self.credit[0] = (source, available - used)
        if kind == _CHARGE_FEE:
            self.fees += amount
        else:
            self.interest += amount

    def settle(self, amount: Decimal, source: int | None) -> None:
        """Apply ``amount`` in the order fees, interest, principal; keep the rest as credit."""
        split = [Decimal(0), Decimal(0), Decimal(0)]
        for slot, name in enumerate(("fees", "interest", "principal")):
            used = min(amount, getattr(self, name))
            setattr(self, name, getattr(self, name) - used)
            split[slot] = used
            amount -= used
        if source is not None:
            self.parts[source] = split
        if amount > 0:
            self.credit.append((source, amount))

    def reduce_principal(self, amount: Decimal) -> Decimal:
        """Take up to ``amount`` off the principal; return what is left over."""
        used = min(amount, self.principal)
        self.principal -= used
        return amount - used

    def write_off(self, amount: Decimal) -> None:
        """Clear ``amount``: principal, then fees, then interest; a negative amount uses up
        credit instead (the cancelling invoice's negative total)."""
        if amount < 0:
            self.use_credit(-amount)
            return
        amount = self.reduce_principal(amount)
        for name in ("fees", "interest"):
            used = min(amount, getattr(self, name))
            setattr(self, name, getattr(self, name) - used)
            amount -= used

    def use_credit(self, amount: Decimal) -> None:
        while amount > 0 and self.credit:
            source, available = self.credit[0]
            used = min(amount, available)
            amount -= used
            if used == available:
                self.credit.pop(0)
            else:
                self.credit[0] = (source, available - used)

    def copy(self) -> _Replay:
        return _Replay(
            currency=self.currency,
            fees=self.fees,
            interest=self.interest,
            principal=self.principal,
            credit=list(self.credit),
            parts=dict(self.parts),
            last=self.last,
        )


def _replay(invoice: Invoice, until: _dt.date | None) -> _Replay:
    state = _Replay(currency=invoice.currency)
    discounts = sum(
        (
            payment.discount.amount
            for payment in invoice.payments
            if payment.discount is not None and (until is None or payment.on <= until)
        ),
        Decimal(0),
    )
    principal = invoice.gross.amount - discounts
    if principal >= 0:
        state.principal = principal
    else:
        state.credit.append((None, -principal))
    events: list[tuple[_dt.date, int, int]] = [
        *((notice.on, _CHARGE_FEE, i) for i, notice in enumerate(invoice.notices)),
        *((charge.on, _CHARGE_INTEREST, i) for i, charge in enumerate(invoice.interest)),
        *((note.on, _CREDIT_NOTE, i) for i, note in enumerate(invoice.credit_notes)),
        *((payment.on, _PAYMENT, i) for i, payment in enumerate(invoice.payments)),
        *((write_off.on, _WRITE_OFF, i) for i, write_off in enumerate(invoice.write_offs)),
    ]
    for on, kind, index in sorted(events):
        if until is not None and on > until:
            break
        state.last = (on, kind, index)
        if kind == _CHARGE_FEE:
            state.charge(kind, invoice.notices[index].fee.amount)
        elif kind == _CHARGE_INTEREST:
            state.charge(kind, invoice.interest[index].amount.amount)
        elif kind == _CREDIT_NOTE:
            left = state.reduce_principal(invoice.credit_notes[index].amount.amount)
            state.settle(left, None)
        elif kind == _PAYMENT:
            state.settle(invoice.payments[index].amount.amount, index)
        else:
            state.write_off(invoice.write_offs[index].amount.amount)
    return state


def _replayed(invoice: Invoice) -> _Replay:
    """The full replay of ``invoice``, kept with the invoice so it is computed once."""
    state = invoice._replay_memo
    if not isinstance(state, _Replay):
        state = _replay(invoice, None)
        object.__setattr__(invoice, "_replay_memo", state)
    return state


def balance(invoice: Invoice, *, today: _dt.date | None = None) -> Balance:
    """What is open on ``invoice`` by part (fees, interest, principal), by replay.

    With ``today``, what was open as of that day: only bookings dated on or before it
    count (inclusive). Without it, ``balance(invoice).total == invoice.open_amount``.
    """
    _check_invoice(invoice)
    if today is not None:
        today = as_date(today, "balance.today")
    state = _replayed(invoice) if today is None else _replay(invoice, today)
    code = invoice.currency
    return Balance(
        fees=Money(state.fees, code),
        interest=Money(state.interest, code),
        principal=Money(state.principal, code),
        credit=Money(sum((amount for _, amount in state.credit), Decimal(0)), code),
    )


def allocations(invoice: Invoice) -> tuple[Allocation, ...]:
    """How each of ``invoice.payments`` was split, by replay, in the order they are stored.

    For a valid invoice each allocation's :attr:`Allocation.received` equals its
    payment's amount and its discount the payment's discount.
    """
    _check_invoice(invoice)
    state = _replayed(invoice)
    code = invoice.currency
    result = []
    for index, payment in enumerate(invoice.payments):
        fees, interest, principal = state.parts[index]
        result.append(
            Allocation(
                fees=Money(fees, code),
                interest=Money(interest, code),
                principal=Money(principal, code),
                discount=payment.discount or Money.zero(code),
            )
        )
    return tuple(result)


# -- cash discount ----------------------------------------------------------


def discount_offer(invoice: Invoice, on: _dt.date) -> Money:
    """The cash discount a payment on ``on`` may deduct from ``invoice`` (zero when none).

    Zero outside the discount period (which ends on the deadline, inclusive),
    without discount terms, or once a discount was taken. Otherwise the gross
    less credit notes, times the percentage, rounded half-up to the minor unit.
    """
    _check_invoice(invoice)
    on = as_date(on, "discount_offer.on")
    nothing = Money.zero(invoice.currency)
    percent = invoice.terms.discount_percent
    deadline = invoice.terms.discount_deadline(invoice.issue_date)
    if percent is None or deadline is None or on > deadline:
        return nothing
    if any(payment.discount is not None for payment in invoice.payments):
        return nothing
    base = invoice.gross - invoice.credited
    if not base.is_positive:
        return nothing
    return base.scaled(percent.scaleb(-2))  # one half-up rounding, in Money's exact context


# -- recording ----------------------------------------------------------------


def _check_invoice(invoice: object) -> None:
    _booking.checked_invoice(invoice, "payments")


def _check_currency(invoice: Invoice, payment: Payment) -> None:
    if payment.amount.currency != invoice.currency:
        raise PaymentCurrencyError(
            invoice_id=invoice.id,
            invoice_currency=invoice.currency,
            payment_currency=payment.amount.currency,
        )


def record_payment(
    invoice: Invoice,
    payment: Payment,
    *,
    actor: Actor = AUTOMATIC,
    permissions: Permissions | None = None,
) -> PaymentResult:
    """Book ``payment`` on ``invoice``: fees first, then interest, then principal.

    The invoice goes to PAID (through the workflow table's SETTLE row) when nothing is
    open afterwards; a partial payment is recorded in the history without a change of
    state. Money beyond the open amount is returned as the overpayment, never stored on
    the invoice. Within the discount period a payment of at least the open amount less
    :func:`discount_offer` settles the invoice and records the discount taken.

    ``actor`` books it (by default :data:`~dunlib.policy.AUTOMATIC`, the seed's automatic
    matching) and needs the right to PAY (and to SETTLE when it settles) under
    ``permissions``. The payment's day may not be before the invoice's last history entry.
    ``payment.discount`` must be None: the discount is decided here, from the terms.
    Raises :class:`~dunlib.errors.PaymentCurrencyError` for another currency; the booking
    path raises :class:`~dunlib.errors.WrittenOffPaymentError` on a written-off invoice and
    :class:`~dunlib.errors.PaymentStateError` in any other state without a PAY row (all but
    SENT and DUNNED), as it does for every function that attempts PAY there; a refused
    payment changes nothing.

    Payments booked in date order extend the invoice's kept replay instead of replaying
    every booking again, so booking n payments one after another takes time linear in n.
    """
    _booking.checked_invoice(invoice, "record_payment")
    if not isinstance(payment, Payment):
        raise InvalidTypeError("record_payment.payment", payment, "a Payment")
    if payment.discount is not None:
        raise InvalidValueError(
            "Payment.discount",
            payment.discount,
            "None: record_payment decides the cash discount from the payment terms",
        )
    _check_currency(invoice, payment)

    code = invoice.currency
    nothing = Money.zero(code)
    open_amount = max(invoice.open_amount, nothing)
    received = payment.amount
    discount: Money | None = None
    if received >= open_amount:
        applied = open_amount
    else:
        applied = received
        offer = discount_offer(invoice, payment.on)
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
        permissions=permissions,
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
    state = _extended(invoice, booked, stored)
    fees, interest, principal = state.parts[len(booked.payments) - 1]
    allocation = Allocation(
        fees=Money(fees, code),
        interest=Money(interest, code),
        principal=Money(principal, code),
        discount=stored.discount or nothing,
    )
    return PaymentResult(
        invoice=booked, payment=stored, allocation=allocation, overpayment=overpayment
    )


def _extended(before: Invoice, after: Invoice, payment: Payment) -> _Replay:
    """The replay of ``after``, which is ``before`` with ``payment`` appended: ``before``'s
    kept replay extended by the payment when it comes last in replay order and takes no
    discount (a discount changes the principal from the start), else replayed in full."""
    index = len(after.payments) - 1
    kept = before._replay_memo
    key = (payment.on, _PAYMENT, index)
    if (
        payment.discount is None
        and isinstance(kept, _Replay)
        and (kept.last is None or kept.last < key)
    ):
        state = kept.copy()
        state.settle(payment.amount.amount, index)
        state.last = key
        object.__setattr__(after, "_replay_memo", state)
        return state
    return _replayed(after)


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
