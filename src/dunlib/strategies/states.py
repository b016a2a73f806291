"""Strategies for invoices in the states dunning sees: dunnable, dunned, receivable, closed and
held invoices.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from dunlib.core.errors import InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit, sum_money
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import (
    CreditNote,
    CustomerKind,
    HoldKind,
    InterestCharge,
    IssuedStage,
    Payment,
    PaymentTerms,
)
from dunlib.core.status import Status
from dunlib.dunning.holds import place_hold
from dunlib.dunning.suspension import Pause
from dunlib.payments import (
    record_payment,
)
from dunlib.strategies import _checks as checks
from dunlib.strategies._common import (
    _BOOKKEEPER,
    _CURRENCIES,
    _DAY,
    _TWO_EYES,
    _amounts_in,
    _booked,
    _Booking,
    _cached,
    _dunning_on,
    _money,
    _units,
    _unpaid,
)
from dunlib.strategies.invoices import (
    _partial_payments,
    credit_notes,
    interest_charges,
    invoices,
    issued_stages,
    sent_invoices,
)
from dunlib.strategies.money import amounts, currencies, customers, dates, payment_splits
from dunlib.strategies.rules import holds
from dunlib.workflow.documents import cancel, write_off
from dunlib.workflow.policy import AUTOMATIC

__all__ = [
    "closed_invoices",
    "dunnable_invoices",
    "dunned_invoices",
    "held_invoices",
    "receivable_invoices",
]


@checks.checked(
    {
        "currency": checks.currency(optional=True),
        "kind": checks.one_of(tuple(CustomerKind), optional=True),
        "dunning_enabled": checks.flag(optional=True),
        "fees_enabled": checks.flag(optional=True),
        "locale": checks.instance(str, "a locale such as 'de_DE'", optional=True),
        "min_open": checks.amount(optional=True),
        "max_open": checks.amount(),
        "around": checks.members(checks.amount(), "amounts (Decimal, int or Money)"),
        "min_issue_date": checks.day(),
        "max_issue_date": checks.day(),
        "min_due_date": checks.day(optional=True),
        "max_due_date": checks.day(optional=True),
        "status": checks.one_of((Status.SENT, Status.DUNNED), optional=True),
        "min_stages": checks.count(),
        "max_stages": checks.count(),
        "min_payments": checks.count(),
        "max_payments": checks.count(),
    },
    ordered=(
        ("min_issue_date", "max_issue_date"),
        ("min_due_date", "max_due_date"),
        ("min_stages", "max_stages"),
        ("min_payments", "max_payments"),
    ),
)
@_cached
def dunnable_invoices(
    *,
    currency: str | None = None,
    kind: CustomerKind | None = None,
    dunning_enabled: bool | None = True,
    fees_enabled: bool | None = None,
    locale: str | None = None,
    min_open: Decimal | int | Money | None = None,
    max_open: Decimal | int | Money = 100_000,
    around: tuple[Decimal | int | Money, ...] = (),
    min_issue_date: _dt.date = _dt.date(2020, 1, 1),
    max_issue_date: _dt.date = _dt.date(2030, 12, 31),
    min_due_date: _dt.date | None = None,
    max_due_date: _dt.date | None = None,
    status: Status | None = Status.SENT,
    min_stages: int = 0,
    max_stages: int = 3,
    min_payments: int = 0,
    max_payments: int = 2,
) -> st.SearchStrategy[Invoice]:
    """Booked invoices with something open, as dunning finds them: what dunning acts on.

    Every argument fixes something dunning rules depend on; None draws it:

    * the customer: ``kind``, ``dunning_enabled`` (on unless you say otherwise),
      ``fees_enabled``, ``locale``; ``currency``;
    * the open amount, from ``min_open`` (one minor unit) to ``max_open`` (inclusive),
      spread over orders of magnitude with the bounds, round amounts and ``around`` (your
      thresholds, and a minor unit either side) drawn often;
    * the issue date (``min_issue_date`` to ``max_issue_date``) and the due date
      (``min_due_date`` to ``max_due_date``); the due date always follows from the
      payment terms (issue date plus net days, 0 to 90);
    * ``status``: SENT (no notice yet, the default; ``min_stages`` must be 0), DUNNED
      (``min_stages`` to ``max_stages`` earlier notices, at least one) or None (either:
      ``min_stages`` to ``max_stages`` of them);
    * ``min_payments`` to ``max_payments`` partial payments, made after any cash discount
      period and on or before the due date (or the first notice), so the open amount is
      exactly the one drawn and a simulation starts on the due date.

    Notices fall after the due date; their fees (zero when the customer's fees are off)
    never exceed the open amount. Built without filtering: impossible combinations are
    refused when the strategy is built (:class:`~dunlib.core.errors.InvalidValueError` naming
    the argument, such as ``min_stages=2`` with the default status SENT).

    >>> from hypothesis import find
    >>> invoice = find(
    ...     dunnable_invoices(currency="EUR", kind=CustomerKind.BUSINESS, min_open=50),
    ...     lambda invoice: True,
    ... )
    >>> invoice.open_amount, invoice.customer.kind, invoice.due_date == invoice.terms.due_date(
    ...     invoice.issue_date)
    (Money(amount=Decimal('50.00'), currency='EUR'), CustomerKind.BUSINESS, True)
    """
    latest_due = max_issue_date + 90 * _DAY  # the longest payment terms drawn
    if min_due_date is not None and min_due_date > latest_due:
        raise InvalidValueError(
            "dunnable_invoices.min_due_date",
            min_due_date,
            f"on or before {latest_due} (max_issue_date plus 90 days of payment terms)",
        )
    if max_due_date is not None and max_due_date < min_issue_date:
        raise InvalidValueError(
            "dunnable_invoices.max_due_date",
            max_due_date,
            f"on or after min_issue_date ({min_issue_date})",
        )
    due_low = min_issue_date if min_due_date is None else min_due_date
    due_high = latest_due if max_due_date is None else max_due_date
    issue_low, issue_high = max(min_issue_date, due_low - 90 * _DAY), min(max_issue_date, due_high)
    if status is Status.SENT and min_stages:
        raise InvalidValueError(
            "dunnable_invoices.min_stages",
            min_stages,
            "0 with status SENT (the default); status=Status.DUNNED or None draws notices",
        )
    if status is Status.DUNNED and not max_stages:
        raise InvalidValueError(
            "dunnable_invoices.max_stages", max_stages, "at least 1 with status DUNNED"
        )
    low_notices = 1 if status is Status.DUNNED else 0
    counts = (0, 0) if status is Status.SENT else (max(min_stages, low_notices), max_stages)
    codes = _CURRENCIES if currency is None else (currency,)
    opens = {}
    for code in codes:
        smallest = Decimal(1).scaleb(-minor_unit(code))
        low = smallest if min_open is None else min_open
        fields = ("dunnable_invoices.min_open", "dunnable_invoices.max_open")
        if _units(low, code, fields[0]) < 1:
            raise InvalidValueError(fields[0], low, f"at least {smallest} (something open)")
        opens[code] = _amounts_in(
            code, low, max_open, around, (*fields, "dunnable_invoices.around")
        )
    people = customers(
        kind=kind, dunning_enabled=dunning_enabled, fees_enabled=fees_enabled, locale=locale
    )

    @st.composite
    def build(draw: st.DrawFn) -> Invoice:
        code = draw(st.sampled_from(codes))
        smallest = Money(Decimal(1).scaleb(-minor_unit(code)), code)
        customer = draw(people)
        issued = draw(dates(min_value=issue_low, max_value=issue_high))
        net_days = draw(
            st.integers(
                min_value=max(0, (due_low - issued).days),
                max_value=min(90, (due_high - issued).days),
            )
        )
        paid_count = draw(st.integers(min_value=min_payments, max_value=max_payments))
        terms = PaymentTerms(net_days=net_days)
        if draw(st.booleans()) and (paid_count == 0 or net_days > 0):
            terms = PaymentTerms(
                net_days=net_days,
                discount_percent=draw(st.sampled_from((Decimal(2), Decimal(3), Decimal("1.5")))),
                discount_days=draw(
                    st.integers(min_value=0, max_value=net_days - (1 if paid_count else 0))
                ),
            )
        due = terms.due_date(issued)
        target = draw(opens[code])
        notices: list[IssuedStage] = []
        fees = Money.zero(code)
        day = due
        for level in range(1, draw(st.integers(min_value=counts[0], max_value=counts[1])) + 1):
            day = day + draw(st.integers(min_value=1, max_value=30)) * _DAY
            room = target - smallest - fees
            fee = Money.zero(code)
            if customer.fees_enabled and room.is_positive and draw(st.booleans()):
                fee = draw(_money(code, 0, _units(min(room.amount, Decimal(10)), code, "fee")))
            fees = fees + fee
            notices.append(
                IssuedStage(
                    level=level,
                    on=day,
                    due_date=day + draw(st.integers(min_value=0, max_value=14)) * _DAY,
                    fee=fee,
                )
            )
        parts: tuple[Money, ...] = ()
        if paid_count:
            paid = draw(_money(code, 0, _units(max(target.amount, Decimal(10)), code, "paid")))
            parts = draw(
                payment_splits(
                    total=paid + smallest.scaled(paid_count),
                    min_size=paid_count,
                    max_size=paid_count,
                )
            )
        gross = target - fees + sum_money(parts, code)
        deadline = terms.discount_deadline(issued)
        first = issued if deadline is None else deadline + _DAY
        last = notices[0].on if notices else due
        received = [
            Payment(
                on=draw(dates(min_value=first, max_value=last)), amount=part, reference="partial"
            )
            for part in parts
        ]
        invoice = Invoice.sent(
            number=f"RE-{issued.year}-{draw(st.integers(min_value=1, max_value=99_999)):05d}",
            customer=customer,
            gross=gross,
            issue_date=issued,
            terms=terms,
        )
        return _booked(invoice, [*notices, *received])

    return build()


@checks.checked({"currency": checks.currency(optional=True)})
@st.composite
def closed_invoices(draw: st.DrawFn, *, currency: str | None = None) -> Invoice:
    """Invoices dunning is over for, as the library closes them: paid in full, cancelled (with
    its write-offs) or written off as uncollectible, after the notices of
    :func:`dunned_invoices`."""
    invoice = draw(dunned_invoices(currency=currency))
    on = invoice.history[-1].on + _dt.timedelta(days=draw(st.integers(0, 30)))
    match draw(st.sampled_from((Status.PAID, Status.CANCELLED, Status.WRITTEN_OFF))):
        case Status.PAID:
            paid = Payment(on=on, amount=invoice.open_amount)
            return record_payment(invoice, paid, actor=AUTOMATIC, authority=_TWO_EYES).invoice
        case Status.WRITTEN_OFF:
            return write_off(invoice, actor=_BOOKKEEPER, on=on, authority=_TWO_EYES)
        case _:
            if invoice.payments or invoice.credit_notes:
                return write_off(invoice, actor=_BOOKKEEPER, on=on, authority=_TWO_EYES)
            sequence = NumberSequence(prefix="ST-")
            return cancel(invoice, id=f"{invoice.id}-ST", actor=_BOOKKEEPER, on=on,
                          sequence=sequence, authority=_TWO_EYES).original  # fmt: skip


@checks.checked({"currency": checks.currency(optional=True), "max_stages": checks.count(1)})
@st.composite
def dunned_invoices(
    draw: st.DrawFn, *, currency: str | None = None, max_stages: int = 4
) -> Invoice:
    """Invoices in state DUNNED with everything an invoice can carry.

    One to ``max_stages`` dunning notices (levels 1, 2, … at rising dates after
    the due date, each with its history entry) to a customer whose dunning is on, with
    fees unless the customer's fees are off, maybe interest, credit notes of at
    most the fees and interest, the payments of :func:`sent_invoices`, and maybe a
    pause.
    """
    base = _dunning_on(draw(sent_invoices(currency=currency)))
    code = base.currency
    if not base.open_amount.is_positive:
        base = _unpaid(base)
    notices: list[IssuedStage] = []
    day = max(base.due_date, base.history[-1].on)
    for level in range(1, draw(st.integers(min_value=1, max_value=max_stages)) + 1):
        day = day + _dt.timedelta(days=draw(st.integers(min_value=1, max_value=30)))
        notices.append(draw(issued_stages(currency=code, level=level, on=st.just(day))))
    later = dates(min_value=day, max_value=day + _dt.timedelta(days=60))
    interest = draw(
        st.lists(interest_charges(currency=code, on=later), max_size=2, unique_by=lambda c: c.on)
    )
    extra = sum((charge.amount for charge in interest), Money.zero(code))
    extra = sum((notice.fee for notice in notices), extra)
    bookings: list[_Booking] = [*notices, *interest]
    if extra.is_positive and draw(st.booleans()):
        note = draw(credit_notes(currency=code, max_value=extra.amount))
        bookings.append(attrs.evolve(note, on=draw(later)))
    charged = max([day, *(charge.on for charge in interest)])  # nothing is charged paused
    paused = draw(st.none() | dates(min_value=charged, max_value=day + _dt.timedelta(days=60)))
    if paused is not None:
        bookings.append(Pause(on=paused))
    return _booked(base, bookings)


@checks.checked(
    {
        "currency": checks.currency(optional=True),
        "status": checks.one_of((Status.SENT, Status.DUNNED), optional=True),
        "max_stages": checks.count(1),
        "max_interest": checks.count(),
        "max_payments": checks.count(),
    }
)
@st.composite
def receivable_invoices(
    draw: st.DrawFn,
    *,
    currency: str | None = None,
    status: Status | None = None,
    max_stages: int = 3,
    max_interest: int = 2,
    max_payments: int = 3,
) -> Invoice:
    """Invoices that take payments (SENT or DUNNED) with something still open.

    DUNNED invoices carry dunning notices (their customer's dunning on) with fees (none
    when the customer's fees are off), and any of them may carry
    interest charges, a credit note and partial payments, all dated after the
    issue date (notices after the due date). Payments and credit notes together
    stay below the gross, so the open amount is above zero. Cash discount terms
    are drawn too; no stored payment has taken a discount yet.
    """
    code = draw(currencies()) if currency is None else currency
    state = draw(st.sampled_from((Status.SENT, Status.DUNNED))) if status is None else status
    base = draw(invoices(currency=code, status=Status.SENT, max_lines=3))
    smallest = Money(Decimal(1).scaleb(-minor_unit(code)), code)
    base = _unpaid(base)
    day = base.issue_date
    bookings: list[_Booking] = []
    if state is Status.DUNNED:
        base = _dunning_on(base)
        on = base.due_date
        for level in range(1, draw(st.integers(1, max_stages)) + 1):
            on = on + _dt.timedelta(days=draw(st.integers(1, 21)))
            bookings.append(
                IssuedStage(
                    level=level,
                    on=on,
                    due_date=on + _dt.timedelta(days=draw(st.integers(0, 14))),
                    fee=draw(amounts(currency=code, min_value=0, max_value=10)),
                )
            )
    charges = {  # one charge a day: a charge claims the days before it once
        base.due_date + _dt.timedelta(days=draw(st.integers(1, 90))): draw(
            amounts(currency=code, min_value=smallest.amount, max_value=20)
        )
        for _ in range(draw(st.integers(0, max_interest)))
    }
    bookings.extend(InterestCharge(on=on, amount=amount) for on, amount in charges.items())
    left = base.gross - smallest
    if draw(st.booleans()) and left.is_positive:
        credit = draw(amounts(currency=code, min_value=smallest.amount, max_value=left.amount))
        bookings.append(
            CreditNote(
                id="GS-1", on=day + _dt.timedelta(days=draw(st.integers(0, 60))), amount=credit
            )
        )
        left = left - credit
    bookings.extend(_partial_payments(draw, since=day, left=left, max_count=max_payments))
    invoice = _booked(base, bookings)
    return invoice


@checks.checked(
    {
        "currency": checks.currency(optional=True),
        "kinds": checks.members(checks.one_of(tuple(HoldKind)), "HoldKind", non_empty=True),
    }
)
@_cached
def held_invoices(
    *, currency: str | None = None, kinds: tuple[HoldKind, ...] = tuple(HoldKind)
) -> st.SearchStrategy[Invoice]:
    """Dunnable invoices (:func:`dunnable_invoices`) with one hold of ``kinds`` placed, from a
    day on or after their last step, up to 60 days after their due date."""

    @st.composite
    def build(draw: st.DrawFn) -> Invoice:
        invoice = draw(dunnable_invoices(currency=currency))
        first = invoice.history[-1].on
        hold = draw(
            holds(
                kinds=kinds,
                min_value=first,
                max_value=max(first, invoice.due_date + _dt.timedelta(days=60)),
            )
        )
        return place_hold(invoice, hold, actor=_BOOKKEEPER, authority=_TWO_EYES)

    return build()
