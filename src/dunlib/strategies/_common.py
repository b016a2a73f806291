"""Shared plumbing of the strategies: the people and policy they act with, booking an invoice's
history as a billing app would, and spreading amounts.
"""

from __future__ import annotations

import datetime as _dt
import functools
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import ParamSpec, TypeVar

import attrs
from hypothesis import strategies as st

from dunlib.core.errors import InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit
from dunlib.core.records import (
    CreditNote,
    CustomerKind,
    InterestCharge,
    IssuedStage,
    LineItem,
    Payment,
)
from dunlib.core.status import Status
from dunlib.core.transitions import ACCOUNTANT, CLERK
from dunlib.dunning.actions import IssueStage
from dunlib.dunning.interest_charges import record_interest
from dunlib.dunning.issuing import record_stage
from dunlib.dunning.stages import DunningStage, StageKind
from dunlib.dunning.suspension import Pause, pause
from dunlib.payments import record_payment
from dunlib.payments.allocation import discount_offer
from dunlib.workflow import Actor, Authority
from dunlib.workflow.documents import record_credit_note
from dunlib.workflow.policy import AUTOMATIC

_CURRENCIES = ("EUR", "USD", "CHF", "GBP", "JPY", "KWD")


_BEFORE_SENT = (Status.DRAFT, Status.CREATED, Status.REVIEWED, Status.SENT)
"""The states an invoice passes through until it is sent."""

_BOOKKEEPER = Actor(id="bookkeeper", roles={ACCOUNTANT})


_CLERK = Actor(id="clerk-1", roles={CLERK})


_TWO_EYES = Authority(eyes=2)


_NOTICE_STAGE = DunningStage(kind=StageKind.NOTICE, days_overdue=0)


_REMINDER_STAGE = DunningStage(kind=StageKind.REMINDER, days_overdue=0)


def _issue(invoice: Invoice, notice: IssuedStage) -> IssueStage:
    """The engine's decision that would have produced ``notice`` (to book it as the engine's
    caller does)."""
    stage = _REMINDER_STAGE
    if notice.fee.is_positive:  # the stage charges the fee booked
        stage = attrs.evolve(_NOTICE_STAGE, fee=notice.fee)
    return IssueStage(
        invoice_id=invoice.id,
        level=notice.level,
        stage_number=notice.level,
        stage=stage,
        on=notice.on,
        due_date=notice.due_date,
        fee=notice.fee,
        total_gross=invoice.gross + invoice.fees + invoice.interest_charged + notice.fee,
        open_amount=invoice.open_amount + notice.fee,
        channels=stage.channels,
        attach_invoice=stage.attach_invoice,
        dispatch=stage.dispatch,
        requires_approval=stage.requires_approval,
    )


def _dunning_on(invoice: Invoice) -> Invoice:
    """``invoice`` of a customer whose dunning is on: dunning sends no notice to any other
    (whose fees are off keeps them off: :func:`_booked` then books notices without fees)."""
    return attrs.evolve(invoice, customer=attrs.evolve(invoice.customer, dunning_enabled=True))


_Booking = IssuedStage | InterestCharge | CreditNote | Payment | Pause


_ORDER = {IssuedStage: 0, InterestCharge: 1, CreditNote: 2, Payment: 3, Pause: 4}


def _unpaid(base: Invoice) -> Invoice:
    """``base`` as booked, without its payments, with at least two minor units open."""
    code = base.currency
    smallest = Money(Decimal(1).scaleb(-minor_unit(code)), code)
    lines = base.lines
    if base.gross < smallest + smallest:
        lines = (
            *lines,
            LineItem(description="Service", quantity=Decimal(1), unit_price=Money(10, code)),
        )
    return Invoice.sent(
        id=base.id,
        number=base.number,
        customer=base.customer,
        issue_date=base.issue_date,
        lines=lines,
        terms=base.terms,
        channel=base.channel,
    )


def _booked(invoice: Invoice, bookings: list[_Booking]) -> Invoice:
    """``invoice`` with ``bookings`` applied in date order through the public operations, as
    a billing app would have booked them (charges before credits before payments on a day).

    A payment that would take a cash discount or settle the invoice, and a credit note that
    would settle it, are cut to leave at least one minor unit open (beyond the discount), so
    later bookings still apply.
    """
    smallest = Money(Decimal(1).scaleb(-minor_unit(invoice.currency)), invoice.currency)
    for booking in sorted(bookings, key=lambda b: (b.on, _ORDER[type(b)])):
        match booking:
            case IssuedStage():
                if not invoice.customer.fees_enabled:  # the engine charges such a customer none
                    booking = attrs.evolve(booking, fee=Money.zero(invoice.currency))
                invoice = record_stage(
                    invoice, _issue(invoice, booking), actor=AUTOMATIC, authority=_TWO_EYES
                )
            case InterestCharge():
                invoice = record_interest(invoice, booking, actor=AUTOMATIC, authority=_TWO_EYES)
            case CreditNote():
                room = invoice.open_amount - smallest
                if room.is_positive:
                    note = attrs.evolve(booking, amount=min(booking.amount, room))
                    invoice = record_credit_note(
                        invoice, note, actor=_BOOKKEEPER, on=booking.on, authority=_TWO_EYES
                    )
            case Payment():
                room = invoice.open_amount - discount_offer(invoice, today=booking.on) - smallest
                if room.is_positive:
                    paid = Payment(on=booking.on, amount=min(booking.amount, room),
                                   reference=booking.reference)  # fmt: skip
                    invoice = record_payment(
                        invoice, paid, actor=AUTOMATIC, authority=_TWO_EYES
                    ).invoice
            case _:  # a Pause, the last kind of booking
                invoice = pause(invoice, on=booking.on, actor=_BOOKKEEPER, authority=_TWO_EYES)
    return invoice


_P = ParamSpec("_P")


_T = TypeVar("_T")


def _cached(factory: Callable[_P, _T]) -> Callable[_P, _T]:
    """Build each strategy once per argument set (strategies are immutable; building
    them inside a test's draw would otherwise dominate the run time)."""
    cached = functools.cache(factory)

    @functools.wraps(factory)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        return cached(*args, **kwargs)  # type: ignore[arg-type]

    return wrapper


def _units(value: Decimal | int | Money, code: str, field: str) -> int:
    """``value`` in minor units of ``code`` (a Money must be in ``code``; no rounding)."""
    if isinstance(value, Money):
        if value.currency != code:
            raise InvalidValueError(field, value, f"an amount in {code}")
        value = value.amount
    scaled = Decimal(value).scaleb(minor_unit(code))
    if scaled != scaled.to_integral_value():
        raise InvalidValueError(field, value, f"an amount exact to the minor unit of {code}")
    return int(scaled)


_ROUND_STEPS = tuple(m * 10**e for e in range(0, 9) for m in (1, 5))
"""Round amounts in whole currency units: multiples of 1, 5, 10, 50, 100, …"""


def _log_uniform(low: int, high: int) -> st.SearchStrategy[int]:
    """Integers from ``low`` to ``high`` (0 <= low <= high), each number of digits as likely."""
    return st.integers(min_value=len(str(low)), max_value=len(str(high))).flatmap(
        lambda d: st.integers(
            min_value=max(low, 10 ** (d - 1) if d > 1 else 0), max_value=min(high, 10**d - 1)
        )
    )


def _spread(low: int, high: int, marks: tuple[int, ...]) -> st.SearchStrategy[int]:
    """Integers in [low, high]: the bounds and a minor unit inside them, the ``marks`` and
    a minor unit either side, round numbers, any number of digits (log-uniform, drawn twice as
    often) and any value (uniform). Shrinks towards ``low``."""
    edges = sorted(
        {n for n in (low, low + 1, high - 1, high) if low <= n <= high}
        | {n for mark in marks for n in (mark - 1, mark, mark + 1) if low <= n <= high}
    )
    spreads: list[st.SearchStrategy[int]] = []
    if high >= 0:
        spreads.append(_log_uniform(max(low, 0), high))
    if low < 0:
        spreads.append(_log_uniform(max(-high, 1), -low).map(operator.neg))
    spread = st.one_of(*spreads)
    uniform = st.integers(min_value=low, max_value=high)
    return st.one_of(uniform, st.sampled_from(edges), spread, spread)


def _money(code: str, low: int, high: int, marks: tuple[int, ...] = ()) -> st.SearchStrategy[Money]:
    """Money in ``code`` from ``low`` to ``high`` minor units (see :func:`amounts`)."""
    scale = 10 ** minor_unit(code)
    rounds = [
        step * scale for step in _ROUND_STEPS if (high // (step * scale)) * step * scale >= low
    ]
    rounded = (
        st.sampled_from(rounds).flatmap(
            lambda step: st.integers(-(-low // step), high // step).map(lambda k: k * step)
        )
        if rounds
        else st.nothing()
    )
    units = _spread(low, high, marks) | rounded
    near = [n for mark in marks for n in (mark, mark - 1, mark + 1) if low <= n <= high]
    if near:  # a branch of their own, the first: the marks, then a minor unit either side
        units = st.one_of(st.sampled_from(tuple(dict.fromkeys(near))), units.map(int))
    return units.map(lambda n: Money(Decimal(n).scaleb(-minor_unit(code)), code))


def _at_least_one_unit(value: Decimal | int | Money, code: str, field: str) -> Money:
    """One minor unit of ``code``, after checking that ``value`` (given to ``field``) is at
    least that much."""
    smallest = Money(Decimal(1).scaleb(-minor_unit(code)), code)
    if _units(value, code, field) < 1:
        raise InvalidValueError(field, value, f"at least {smallest.amount} (one minor unit)")
    return smallest


def _amounts_in(
    code: str,
    min_value: Decimal | int | Money,
    max_value: Decimal | int | Money,
    around: tuple[Decimal | int | Money, ...],
    fields: tuple[str, str, str],
) -> st.SearchStrategy[Money]:
    """:func:`~dunlib.strategies.amounts` in ``code``, its arguments named by ``fields``
    (the strategy's names for the minimum, the maximum and the marks)."""
    low = _units(min_value, code, fields[0])
    high = _units(max_value, code, fields[1])
    if low > high:
        maximum = fields[1].rpartition(".")[2]
        raise InvalidValueError(fields[0], min_value, f"at most {maximum} ({max_value!r})")
    return _money(code, low, high, tuple(_units(mark, code, fields[2]) for mark in around))


_NAMES = {
    CustomerKind.BUSINESS: ("ACME GmbH", "Muster AG", "Globex Ltd", "Initech SARL"),
    CustomerKind.CONSUMER: ("Erika Mustermann", "Max Mustermann", "Jane Doe", "Jean Dupont"),
}


_LOCALES = ("de_DE", "en_GB", "en_US", "fr_FR", "de_AT", "de_CH")


_DAY = _dt.timedelta(days=1)
