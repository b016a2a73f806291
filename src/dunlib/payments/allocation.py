"""How payments are allocated to fees, interest and principal, read from an invoice's
bookings (the read side; booking a payment is :mod:`dunlib.payments.recording`).

**Allocation order (BGB §367, seed 002 state 5).** Money received settles dunning
fees first, then interest, then the principal (the invoice's gross). A cash
discount only ever reduces the principal; a credit note reduces the principal
first (it corrects the goods amount) and only what is left of it goes to fees,
then interest.

**The split is derived, never stored.** A :class:`~dunlib.core.records.Payment` keeps
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

from dunlib.core.dates import as_date
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money
from dunlib.core.records import Payment

__all__ = ["Allocation", "Balance", "allocations", "balance", "discount_offer"]


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


# -- replay -----------------------------------------------------------------

_CHARGE_FEE, _CHARGE_INTEREST, _CREDIT_NOTE, _PAYMENT, _WRITE_OFF, _WAIVER = range(6)
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

    def waive(self, amount: Decimal) -> None:
        """Take ``amount`` of fees back: off the fees still open; money that had paid fees
        waived pays the principal, then interest (a waiver is at most what is open: nothing
        is left over)."""
        used = min(amount, self.fees)
        self.fees -= used
        left = self.reduce_principal(amount - used)
        self.interest -= min(left, self.interest)

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


def replay(invoice: Invoice, until: _dt.date | None, *, valued: bool = False) -> _Replay:
    """The bookings of ``invoice`` replayed in date order up to ``until`` (inclusive; None:
    all), as booked by that day; ``valued``: each payment on the day its money arrived
    (:attr:`~dunlib.core.records.Payment.valued`) instead of the day it was booked, as
    interest counts it."""
    state = _Replay(currency=invoice.currency)
    back = {  # payments taken back by the day: as if never booked
        reversal.payment for reversal in invoice.reversals if until is None or reversal.on <= until
    }
    discounts = sum(
        (
            payment.discount.amount
            for i, payment in enumerate(invoice.payments)
            if payment.discount is not None
            and (until is None or (payment.valued if valued else payment.on) <= until)
            and i not in back
        ),
        Decimal(0),
    )
    principal = invoice.gross.amount - discounts
    if principal >= 0:
        state.principal = principal
    else:
        state.credit.append((None, -principal))
    events: list[tuple[_dt.date, int, int]] = [
        *((notice.on, _CHARGE_FEE, i) for i, notice in enumerate(invoice.issued_stages)),
        *((charge.on, _CHARGE_INTEREST, i) for i, charge in enumerate(invoice.interest_charges)),
        *((note.on, _CREDIT_NOTE, i) for i, note in enumerate(invoice.credit_notes)),
        *(
            (payment.valued if valued else payment.on, _PAYMENT, i)
            for i, payment in enumerate(invoice.payments)
            if i not in back
        ),
        *((write_off.on, _WRITE_OFF, i) for i, write_off in enumerate(invoice.write_offs)),
        *((waiver.on, _WAIVER, i) for i, waiver in enumerate(invoice.fee_waivers)),
    ]
    for on, kind, index in sorted(events):
        if until is not None and on > until:
            break
        state.last = (on, kind, index)
        if kind == _CHARGE_FEE:
            state.charge(kind, invoice.issued_stages[index].fee.amount)
        elif kind == _CHARGE_INTEREST:
            state.charge(kind, invoice.interest_charges[index].amount.amount)
        elif kind == _CREDIT_NOTE:
            left = state.reduce_principal(invoice.credit_notes[index].amount.amount)
            state.settle(left, None)
        elif kind == _PAYMENT:
            state.settle(invoice.payments[index].amount.amount, index)
        elif kind == _WAIVER:
            state.waive(invoice.fee_waivers[index].amount.amount)
        else:
            state.write_off(invoice.write_offs[index].amount.amount)
    return state


def _replayed(invoice: Invoice) -> _Replay:
    """The full replay of ``invoice``, kept with the invoice so it is computed once."""
    state = invoice._replay_memo
    if not isinstance(state, _Replay):
        state = replay(invoice, None)
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
    state = _replayed(invoice) if today is None else replay(invoice, today)
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
    payment's amount and its discount the payment's discount; a payment taken back
    (:attr:`~dunlib.core.invoice.Invoice.reversals`) settles nothing: its allocation is zero.
    """
    _check_invoice(invoice)
    state = _replayed(invoice)
    code = invoice.currency
    result = []
    for index, payment in enumerate(invoice.payments):
        if index not in state.parts:
            result.append(Allocation.zero(code))
            continue
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


def discount_offer(invoice: Invoice, *, today: _dt.date) -> Money:
    """The cash discount a payment on ``today`` may deduct from ``invoice`` (zero when none).

    Zero outside the discount period (which ends on the deadline, inclusive),
    without discount terms, or once a discount was taken. Otherwise the gross
    less credit notes, times the percentage, rounded half-up to the minor unit.
    """
    _check_invoice(invoice)
    on = as_date(today, "discount_offer.today")
    if any(payment.discount is not None for payment in invoice.kept_payments):
        return Money.zero(invoice.currency)
    base = invoice.gross - invoice.credited
    return invoice.terms.discount_on(base, issue_date=invoice.issue_date, on=on)


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


def allocated(before: Invoice, after: Invoice, payment: Payment) -> Allocation:
    """How ``payment``, booked on ``before`` to give ``after`` (where it is the last of
    ``after.payments``), was split (for :func:`~dunlib.payments.recording.record_payment`)."""
    state = _extended(before, after, payment)
    fees, interest, principal = state.parts[len(after.payments) - 1]
    code = after.currency
    return Allocation(
        fees=Money(fees, code),
        interest=Money(interest, code),
        principal=Money(principal, code),
        discount=payment.discount or Money.zero(code),
    )


def _check_invoice(invoice: object) -> None:
    checked_invoice(invoice, "payments")
