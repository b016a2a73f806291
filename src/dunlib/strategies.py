"""Hypothesis strategies that generate valid dunlib values, for your own test suites.

Install with the ``testing`` extra (``pip install dunlib[testing]``). Every
strategy is a plural noun with keyword-only arguments, built bottom-up so that a
failing example shrinks to a small invoice. Registering the package also makes
``st.from_type(Invoice)`` work.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any, ParamSpec, TypeVar, cast

import attrs
from hypothesis import strategies as st

from dunlib.analytics.comparison import Comparison, compare
from dunlib.analytics.receivables import AgeingItem, AgeingReport, AgeingRow, ageing
from dunlib.analytics.schedule import Schedule, ScheduleEntry, simulate
from dunlib.analytics.whatif import WhatIfEvent
from dunlib.billing.contracts import Contract, ContractItem, Interval
from dunlib.billing.orders import BillingFlag, Order, OrderItem, OrderState
from dunlib.core.calendars import HolidayCalendar, WeekendCalendar
from dunlib.core.errors import DocumentProblem, InvalidValueError
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit, sum_money
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import (
    CreditNote,
    Customer,
    CustomerKind,
    DeliveryChannel,
    DunningNotice,
    Hold,
    HoldKind,
    InterestCharge,
    LineItem,
    Payment,
    PaymentTerms,
    WriteOff,
)
from dunlib.core.status import Status
from dunlib.core.templates import Template, TemplateValues
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION, CLERK, REVIEWER, ROWS, Command
from dunlib.dunning.accounts import (
    AccountChange,
    AccountChangeKind,
    CreditUse,
    CustomerAccount,
    hold_account,
    keep_credit,
    lift_account_hold,
    switch_dunning,
    switch_fees,
    use_credit,
)
from dunlib.dunning.actions import Escalate, IssueStage, NoAction, NoticeDocuments
from dunlib.dunning.decisions import CustomerNotice, Decision, group_notices
from dunlib.dunning.engine import next_dunning_action
from dunlib.dunning.fees import FeeRule
from dunlib.dunning.holds import place_hold
from dunlib.dunning.interest import BaseRates
from dunlib.dunning.interest_charges import record_interest
from dunlib.dunning.notices import record_notice
from dunlib.dunning.stages import (
    Channel,
    DispatchMode,
    DunningRules,
    DunningStage,
    Escalation,
    StageKind,
    StageRepeat,
    TriggerBasis,
)
from dunlib.dunning.suspension import Pause, Resume, SuspensionEvent, pause
from dunlib.io.external import ExternalStatus, external_status
from dunlib.payments.allocation import Allocation, Balance, balance, discount_offer
from dunlib.payments.matching import (
    Ambiguous,
    BankTransaction,
    Match,
    MatchedInvoice,
    Matching,
    Unmatched,
    match_payments,
)
from dunlib.payments.recording import PaymentResult, record_payment
from dunlib.portfolio.prepared import NoticeState, NoticeStep, PreparedNotice
from dunlib.portfolio.run import plan
from dunlib.workflow.documents import (
    Cancellation,
    Credited,
    DeliveryNote,
    apply_credit_note,
    cancel,
    credit,
    derive_delivery_note,
    write_off,
)
from dunlib.workflow.drafts import create_draft
from dunlib.workflow.policy import Operation
from dunlib.workflow.steps import Actor, ApprovalPolicy, Permissions, Sent, send, transition

__all__ = [
    "account_changes",
    "actors",
    "ageing_reports",
    "amounts",
    "approval_policies",
    "bank_transactions",
    "base_rate_tables",
    "calendars",
    "closed_invoices",
    "comparisons",
    "contract_items",
    "contracts",
    "credit_notes",
    "currencies",
    "customer_accounts",
    "customers",
    "dates",
    "dunnable_invoices",
    "dunned_invoices",
    "dunning_actions",
    "dunning_notices",
    "dunning_rules",
    "dunning_stages",
    "fee_rules",
    "held_invoices",
    "history_entries",
    "holds",
    "interest_charges",
    "invoices",
    "line_items",
    "number_sequences",
    "order_items",
    "orders",
    "pauses",
    "payment_splits",
    "payment_terms",
    "payments",
    "permissions",
    "prepared_notices",
    "receivable_invoices",
    "registered",
    "resumes",
    "schedules",
    "sent_invoices",
    "stage_repeats",
    "suspension_events",
    "what_if_events",
    "write_offs",
]

_CURRENCIES = ("EUR", "USD", "CHF", "GBP", "JPY", "KWD")

_BOOKKEEPER = Actor(id="bookkeeper", roles={ACCOUNTANT})
_CLERK = Actor(id="clerk-1", roles={CLERK})
_TWO_EYES = ApprovalPolicy(eyes=2)
_NOTICE_STAGE = DunningStage(kind=StageKind.NOTICE, days_overdue=0)
_REMINDER_STAGE = DunningStage(kind=StageKind.REMINDER, days_overdue=0)


def _issue(invoice: Invoice, notice: DunningNotice) -> IssueStage:
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


_Booking = DunningNotice | InterestCharge | CreditNote | Payment | Pause
_ORDER = {DunningNotice: 0, InterestCharge: 1, CreditNote: 2, Payment: 3, Pause: 4}


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
            case DunningNotice():
                if not invoice.customer.fees_enabled:  # the engine charges such a customer none
                    booking = attrs.evolve(booking, fee=Money.zero(invoice.currency))
                invoice = record_notice(invoice, _issue(invoice, booking))
            case InterestCharge():
                invoice = record_interest(invoice, booking)
            case CreditNote():
                room = invoice.open_amount - smallest
                if room.is_positive:
                    note = attrs.evolve(booking, amount=min(booking.amount, room))
                    invoice = apply_credit_note(
                        invoice, note, actor=_BOOKKEEPER, on=booking.on, policy=_TWO_EYES
                    )
            case Payment():
                room = invoice.open_amount - discount_offer(invoice, booking.on) - smallest
                if room.is_positive:
                    paid = Payment(on=booking.on, amount=min(booking.amount, room),
                                   reference=booking.reference)  # fmt: skip
                    invoice = record_payment(invoice, paid).invoice
            case _:  # a Pause, the last kind of booking
                invoice = pause(invoice, on=booking.on, actor=_BOOKKEEPER)
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


def currencies() -> st.SearchStrategy[str]:
    """ISO 4217 codes with 0, 2 and 3 decimal places."""
    return st.sampled_from(_CURRENCIES)


def dates(
    *, min_value: _dt.date = _dt.date(2020, 1, 1), max_value: _dt.date = _dt.date(2030, 12, 31)
) -> st.SearchStrategy[_dt.date]:
    """Calendar dates (never datetimes)."""
    return st.dates(min_value=min_value, max_value=max_value)


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
    return units.map(lambda n: Money(Decimal(n).scaleb(-minor_unit(code)), code))


@_cached
def amounts(
    *,
    currency: str | None = None,
    min_value: Decimal | int | Money = 0,
    max_value: Decimal | int | Money = 100_000,
    around: tuple[Decimal | int | Money, ...] = (),
) -> st.SearchStrategy[Money]:
    """Money between ``min_value`` and ``max_value`` (inclusive), exact to the minor unit.

    Spread over orders of magnitude (as many 3-digit as 6-digit amounts), with the bounds,
    round amounts (whole units, multiples of 5, 10, 50, …) and the amounts in ``around``
    and one minor unit either side of them drawn often: a threshold of your rules goes in
    ``around``. Bounds and marks are in ``currency``'s units (or Money in it); no filtering.

    >>> from hypothesis import find
    >>> find(amounts(currency="EUR", min_value=40, max_value=60), lambda m: m.amount == 50)
    Money(amount=Decimal('50.00'), currency='EUR')
    """

    def build(code: str) -> st.SearchStrategy[Money]:
        low = _units(min_value, code, "amounts.min_value")
        high = _units(max_value, code, "amounts.max_value")
        if low > high:
            raise InvalidValueError("amounts.max_value", max_value, f"at least {min_value}")
        marks = tuple(_units(mark, code, "amounts.around") for mark in around)
        return _money(code, low, high, marks)

    if currency is not None:
        return build(currency)
    return st.one_of(*(build(code) for code in _CURRENCIES))


_NAMES = {
    CustomerKind.BUSINESS: ("ACME GmbH", "Muster AG", "Globex Ltd", "Initech SARL"),
    CustomerKind.CONSUMER: ("Erika Mustermann", "Max Mustermann", "Jane Doe", "Jean Dupont"),
}
_LOCALES = ("de_DE", "en_GB", "en_US", "fr_FR", "de_AT", "de_CH")


@_cached
def customers(
    *,
    kind: CustomerKind | None = None,
    dunning_enabled: bool | None = None,
    fees_enabled: bool | None = None,
    locale: str | None = None,
) -> st.SearchStrategy[Customer]:
    """Customers, business or consumer, with dunning and fees on or off.

    Each argument fixes what a dunning rule may depend on (None draws it): ``kind``,
    the customer's ``dunning_enabled`` and ``fees_enabled`` switches and ``locale``.
    Names fit the kind (a company or a person). Nothing is filtered.

    >>> from hypothesis import find
    >>> consumers = customers(kind=CustomerKind.CONSUMER, dunning_enabled=True, fees_enabled=False)
    >>> find(consumers, lambda customer: True)
    Customer(id='C-0', name='Erika Mustermann', kind=CustomerKind.CONSUMER, fees_enabled=False)
    """

    @st.composite
    def build(draw: st.DrawFn) -> Customer:
        chosen = draw(st.sampled_from(tuple(CustomerKind))) if kind is None else kind
        name = draw(st.sampled_from(_NAMES[chosen]))
        return Customer(
            id=f"C-{draw(st.integers(min_value=0, max_value=99_999))}",
            name=name,
            locale=draw(st.sampled_from(_LOCALES)) if locale is None else locale,
            kind=chosen,
            dunning_enabled=draw(st.booleans()) if dunning_enabled is None else dunning_enabled,
            fees_enabled=draw(st.booleans()) if fees_enabled is None else fees_enabled,
        )

    return build()


@_cached
def line_items(
    *, currency: str = "EUR", allow_negative: bool = False
) -> st.SearchStrategy[LineItem]:
    """Line items with quantities of up to three decimals and common tax rates."""
    low = -1000 if allow_negative else 1
    return st.builds(
        LineItem,
        description=st.sampled_from(("Consulting", "Licence", "Hardware", "Support", "Travel")),
        quantity=st.integers(min_value=low, max_value=100_000).map(lambda n: Decimal(n) / 1000),
        unit_price=amounts(currency=currency, min_value=0, max_value=10_000),
        tax_rate=st.sampled_from((Decimal(0), Decimal(7), Decimal(19), Decimal("20"))),
    )


@_cached
def payment_terms() -> st.SearchStrategy[PaymentTerms]:
    """Net terms of 0 to 90 days, with or without a cash discount."""

    def build(net_days: int) -> st.SearchStrategy[PaymentTerms]:
        plain = st.just(PaymentTerms(net_days=net_days))
        discounted = st.builds(
            PaymentTerms,
            net_days=st.just(net_days),
            discount_percent=st.sampled_from((Decimal(2), Decimal(3), Decimal("1.5"))),
            discount_days=st.integers(min_value=0, max_value=net_days),
        )
        return plain | discounted

    return st.integers(min_value=0, max_value=90).flatmap(build)


def payments(
    *,
    currency: str = "EUR",
    on: st.SearchStrategy[_dt.date] | None = None,
    max_value: Decimal | int = 10_000,
    discount: bool | None = False,
) -> st.SearchStrategy[Payment]:
    """Payments of at least one minor unit (up to ``max_value``), in ``currency``.

    ``discount`` True gives every payment a cash discount (in the payment's currency,
    at most 3 % of what it settles), None draws whether it has one.

    >>> from hypothesis import find
    >>> find(payments(currency="JPY", discount=True), lambda p: True).discount.currency
    'JPY'
    """
    smallest = Decimal(1).scaleb(-minor_unit(currency))

    @st.composite
    def build(draw: st.DrawFn) -> Payment:
        amount = draw(amounts(currency=currency, min_value=smallest, max_value=max_value))
        taken = draw(st.booleans()) if discount is None else discount
        share = draw(st.integers(min_value=0, max_value=3)) if taken else 0
        return Payment(
            on=draw(dates() if on is None else on),
            amount=amount,
            reference=draw(st.sampled_from(("", "SEPA transfer", "cash"))),
            discount=Money.rounded(amount.amount * share / 97, currency) if taken else None,
        )

    return build()


@_cached
def pauses(
    *, min_value: _dt.date = _dt.date(2020, 1, 1), max_value: _dt.date = _dt.date(2030, 12, 31)
) -> st.SearchStrategy[Pause]:
    """Pauses of dunning on a day between ``min_value`` and ``max_value``, by the automatic
    actor (None) or a person holding the accountant's role."""
    return st.builds(
        Pause,
        on=dates(min_value=min_value, max_value=max_value),
        actor=st.none() | st.just(_BOOKKEEPER),
    )


@_cached
def resumes(
    *, min_value: _dt.date = _dt.date(2020, 1, 1), max_value: _dt.date = _dt.date(2030, 12, 31)
) -> st.SearchStrategy[Resume]:
    """Resumptions of dunning on a day between ``min_value`` and ``max_value``."""
    return st.builds(
        Resume,
        on=dates(min_value=min_value, max_value=max_value),
        actor=st.none() | st.just(_BOOKKEEPER),
    )


def _partial_payments(
    draw: st.DrawFn, *, since: _dt.date, left: Money, max_count: int
) -> tuple[Payment, ...]:
    """Up to ``max_count`` payments within 120 days of ``since`` that never exceed ``left``."""
    received: list[Payment] = []
    for _ in range(draw(st.integers(min_value=0, max_value=max_count))):
        if not left.is_positive:
            break
        payment = draw(
            payments(
                currency=left.currency,
                on=dates(min_value=since, max_value=since + _dt.timedelta(days=120)),
                max_value=left.amount,
            )
        )
        received.append(payment)
        left = left - payment.amount
    return tuple(received)


@st.composite
def invoices(
    draw: st.DrawFn,
    *,
    currency: str | None = None,
    status: Status | None = None,
    min_lines: int = 1,
    max_lines: int = 5,
) -> Invoice:
    """Invoices in DRAFT to SENT (or the given status up to SENT) with partial payments.

    Payments are drawn only for SENT invoices and never exceed the gross amount.
    """
    code = draw(currencies()) if currency is None else currency
    state = draw(st.sampled_from((Status.DRAFT, Status.CREATED, Status.REVIEWED, Status.SENT)))
    state = state if status is None else status
    lines = draw(st.lists(line_items(currency=code), min_size=min_lines, max_size=max_lines))
    issued = draw(dates())
    terms = draw(payment_terms())
    ident = draw(st.from_regex(r"INV-[0-9]{1,6}", fullmatch=True))
    customer = draw(customers())
    channel = draw(st.sampled_from(DeliveryChannel))
    if state is Status.SENT:
        probe = Invoice(id=ident, customer=customer, currency=code, issue_date=issued, lines=lines)
        # booked totals are zero or more (the table's guard)
        lines = [line.negated() for line in lines] if probe.gross.is_negative else lines
        sent = Invoice.sent(
            id=ident,
            number=f"RE-{issued.year}-{draw(st.integers(1, 99999)):05d}",
            customer=customer,
            issue_date=issued,
            lines=lines,
            terms=terms,
            channel=channel,
            warns_of_default=draw(st.booleans()),
        )
        if not sent.gross.is_positive:
            return sent
        received = _partial_payments(draw, since=issued, left=sent.gross, max_count=3)
        return _booked(sent, list(received))
    draft = create_draft(
        id=ident,
        customer=customer,
        currency=code,
        actor=_CLERK,
        on=issued,
        lines=lines,
        terms=terms,
        channel=channel,
    )
    if state is Status.DRAFT:
        return draft
    people = {
        CLERK: _CLERK,
        REVIEWER: Actor(id="reviewer-1", roles={REVIEWER}),
    }
    invoice = transition(draft, Command.SUBMIT, actor=people[CLERK], on=issued, policy=_TWO_EYES)
    if state is Status.REVIEWED:
        invoice = transition(
            invoice, Command.APPROVE, actor=people[REVIEWER], on=issued, policy=_TWO_EYES
        )
    return invoice


def sent_invoices(*, currency: str | None = None) -> st.SearchStrategy[Invoice]:
    """Booked invoices in state SENT, possibly partly paid."""
    return invoices(currency=currency, status=Status.SENT)


def calendars() -> st.SearchStrategy[WeekendCalendar | HolidayCalendar]:
    """Working-day calendars: weekends only, or German public holidays (nationwide or of a
    few states; needs the ``holidays`` extra when drawn)."""
    return st.one_of(st.builds(WeekendCalendar), _holiday_calendars())


def _holiday_calendars() -> st.SearchStrategy[HolidayCalendar]:
    return st.builds(
        HolidayCalendar,
        country=st.just("DE"),
        subdivision=st.sampled_from((None, "BY", "BE", "NW")),
    )


def base_rate_tables(*, max_size: int = 4) -> st.SearchStrategy[BaseRates]:
    """Base-rate tables shaped as :data:`dunlib.dunning.interest.BASE_RATES`: one to ``max_size``
    (day, percent) pairs in date order, the first no later than 1 January 2002 (so that
    every day the built-in table covers is covered), rates from -4.99 to 15.00 percent."""
    rates = st.decimals(min_value="-4.99", max_value=15, places=2)

    @st.composite
    def build(draw: st.DrawFn) -> BaseRates:
        first = draw(st.dates(min_value=_dt.date(1990, 1, 1), max_value=_dt.date(2002, 1, 1)))
        later = draw(
            st.lists(
                st.dates(min_value=first + _dt.timedelta(1), max_value=_dt.date(2035, 12, 31)),
                max_size=max_size - 1,
                unique=True,
            )
        )
        return tuple((day, draw(rates)) for day in [first, *sorted(later)])

    return build()


@_cached
def dunning_stages(
    *,
    currency: str = "EUR",
    kind: StageKind | None = None,
    basis: TriggerBasis | None = None,
    active: bool | None = None,
    max_days: int = 30,
    with_fee_rules: bool = False,
) -> st.SearchStrategy[DunningStage]:
    """Dunning stages of either kind (or ``kind``), with notices' fees in ``currency``.

    ``basis`` defaults to PREVIOUS_DOCUMENT or DUE_DATE (never BEFORE_DUE_DATE,
    which only a first stage may use); ``active`` None draws it. With ``with_fee_rules``,
    a notice may charge by :class:`~dunlib.dunning.fees.FeeRule` values instead of a fixed fee
    (one in ``currency``, one for any currency, or both).
    """

    def build(stage_kind: StageKind) -> st.SearchStrategy[DunningStage]:
        fee: st.SearchStrategy[Money | None] = st.none()
        rules: st.SearchStrategy[tuple[FeeRule, ...]] = st.just(())
        if stage_kind is StageKind.NOTICE:
            fee = st.none() | amounts(currency=currency, min_value=0, max_value=50)
            rules = st.lists(
                st.sampled_from((currency, None)).flatmap(lambda code: fee_rules(currency=code)),
                max_size=2,
                unique_by=lambda rule: rule.currency,
            ).map(tuple)
        stages = st.builds(
            DunningStage,
            st.just(stage_kind),
            days_overdue=st.integers(min_value=0, max_value=max_days),
            basis=st.sampled_from((TriggerBasis.PREVIOUS_DOCUMENT, TriggerBasis.DUE_DATE))
            if basis is None
            else st.just(basis),
            payment_term_days=st.integers(min_value=0, max_value=30),
            fee=fee,
            attach_invoice=st.booleans(),
            channels=st.sampled_from(
                ((Channel.EMAIL,), (Channel.LETTER,), (Channel.EMAIL, Channel.LETTER))
            ),
            active=st.booleans() if active is None else st.just(active),
            dispatch=st.sampled_from(DispatchMode),
            claim_interest=st.booleans() if stage_kind is StageKind.NOTICE else st.just(False),
            claim_flat_fee=st.booleans()
            if stage_kind is StageKind.NOTICE and currency == "EUR"
            else st.just(False),
        )

        @st.composite
        def with_rules(draw: st.DrawFn) -> DunningStage:
            stage = draw(stages)
            if with_fee_rules and stage.fee is None and draw(st.booleans()):
                stage = attrs.evolve(stage, fee_rules=draw(rules))
            return stage

        return with_rules()

    kinds = tuple(StageKind) if kind is None else (kind,)
    return st.one_of(*(build(each) for each in kinds))


@_cached
def dunning_rules(
    *,
    currency: str = "EUR",
    min_stages: int = 0,
    max_stages: int = 5,
    min_active: int = 0,
    max_days: int = 30,
    with_fee_rules: bool = False,
    with_repeat: bool = False,
) -> st.SearchStrategy[DunningRules]:
    """Dunning rules of ``min_stages`` to ``max_stages`` stages, at least ``min_active`` active.

    The first stage may be a pre-due reminder; fees and minimum amounts are in ``currency``.
    ``with_fee_rules`` lets notices charge by fee rules (see :func:`dunning_stages`);
    ``with_repeat`` lets the last stage repeat (:func:`stage_repeats`).
    """
    stage_lists = st.lists(
        dunning_stages(currency=currency, max_days=max_days, with_fee_rules=with_fee_rules),
        min_size=max(min_stages, min_active),
        max_size=max_stages,
    )
    minimums = st.lists(amounts(currency=currency, min_value=1, max_value=100), max_size=1)
    escalations = st.none() | st.sampled_from(Escalation)
    escalation_days = st.integers(min_value=0, max_value=max_days)
    one_in_five = st.integers(min_value=0, max_value=4)

    @st.composite
    def build(draw: st.DrawFn) -> DunningRules:
        stages = draw(stage_lists)
        for index in draw(st.permutations(range(len(stages))))[:min_active]:
            stages[index] = attrs.evolve(stages[index], active=True)
        if stages and draw(one_in_five) == 0:
            stages[0] = attrs.evolve(stages[0], basis=TriggerBasis.BEFORE_DUE_DATE)
        flat = [index for index, stage in enumerate(stages) if stage.claim_flat_fee]
        for index in flat[1:]:  # the flat fee is claimed by one stage at most
            stages[index] = attrs.evolve(stages[index], claim_flat_fee=False)
        if with_repeat and stages and draw(one_in_five) < 2:  # an endless reminder, capped
            stages[-1] = attrs.evolve(stages[-1], repeat=draw(stage_repeats()))
        escalation = draw(escalations)
        return DunningRules(
            stages=tuple(stages),
            minimum_open_amounts=tuple(draw(minimums)),
            escalation=escalation,
            escalation_days=0 if escalation is None else draw(escalation_days),
            calendar=draw(st.none() | calendars()),
            base_rates=draw(st.none() | base_rate_tables()),
        )

    return build()


@_cached
def suspension_events(
    *,
    min_value: _dt.date = _dt.date(2020, 1, 1),
    max_value: _dt.date = _dt.date(2030, 12, 31),
    max_size: int = 6,
) -> st.SearchStrategy[tuple[SuspensionEvent, ...]]:
    """Pause and resume events in date order: Pause, Resume, Pause, … on distinct days.

    The sequence may end paused (an odd number of events).
    """
    kinds = (Pause, Resume)

    def build(days: list[_dt.date]) -> tuple[SuspensionEvent, ...]:
        return tuple(kinds[index % 2](on=day) for index, day in enumerate(sorted(days)))

    return st.lists(
        dates(min_value=min_value, max_value=max_value), max_size=max_size, unique=True
    ).map(build)


_DAY = _dt.timedelta(days=1)


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
    min_notices: int = 0,
    max_notices: int = 3,
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
    * ``status``: SENT (no notice yet, the default), DUNNED (``min_notices`` to
      ``max_notices`` earlier notices, at least one) or None (either: ``min_notices`` to
      ``max_notices`` of them);
    * ``min_payments`` to ``max_payments`` partial payments, made after any cash discount
      period and on or before the due date (or the first notice), so the open amount is
      exactly the one drawn and a simulation starts on the due date.

    Notices fall after the due date; their fees (zero when the customer's fees are off)
    never exceed the open amount. Built without filtering: impossible combinations are
    refused when the strategy is built (:class:`~dunlib.core.errors.InvalidValueError`).

    >>> from hypothesis import find
    >>> invoice = find(
    ...     dunnable_invoices(currency="EUR", kind=CustomerKind.BUSINESS, min_open=50),
    ...     lambda invoice: True,
    ... )
    >>> invoice.open_amount, invoice.customer.kind, invoice.due_date == invoice.terms.due_date(
    ...     invoice.issue_date)
    (Money(amount=Decimal('50.00'), currency='EUR'), CustomerKind.BUSINESS, True)
    """
    due_low = min_issue_date if min_due_date is None else min_due_date
    due_high = max_issue_date + 90 * _DAY if max_due_date is None else max_due_date
    issue_low, issue_high = max(min_issue_date, due_low - 90 * _DAY), min(max_issue_date, due_high)
    if issue_low > issue_high or due_low > due_high:
        raise InvalidValueError(
            "dunnable_invoices.max_due_date",
            (min_issue_date, max_issue_date, min_due_date, max_due_date),
            "issue and due date ranges that meet (a due date 0 to 90 days after the issue date)",
        )
    if status not in (None, Status.SENT, Status.DUNNED):
        raise InvalidValueError("dunnable_invoices.status", status, "SENT, DUNNED or None")
    low_notices = 1 if status is Status.DUNNED else 0
    counts = (
        (0, 0) if status is Status.SENT else (max(min_notices, low_notices), max(max_notices, 1))
    )
    if counts[0] > counts[1] or min_payments > max_payments or min_payments < 0:
        raise InvalidValueError(
            "dunnable_invoices.max_notices",
            (status, min_notices, max_notices, min_payments, max_payments),
            "at most as many notices and payments as the maximum (SENT has none)",
        )
    codes = _CURRENCIES if currency is None else (currency,)
    opens = {
        code: amounts(
            currency=code,
            min_value=Decimal(1).scaleb(-minor_unit(code)) if min_open is None else min_open,
            max_value=max_open,
            around=around,
        )
        for code in codes
    }
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
        notices: list[DunningNotice] = []
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
                DunningNotice(
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


def history_entries(
    *, on: st.SearchStrategy[_dt.date] | None = None
) -> st.SearchStrategy[HistoryEntry]:
    """History entries of any kind, with a few actors and any text as the detail."""
    return st.builds(
        HistoryEntry,
        on=dates() if on is None else on,
        kind=st.sampled_from(EventKind),
        from_status=st.sampled_from(Status),
        to_status=st.sampled_from(Status),
        actor=st.sampled_from(("", "anna", "billing-bot")),
        detail=st.text(max_size=40),
    )


def credit_notes(
    *, currency: str = "EUR", max_value: Decimal | int = 10_000
) -> st.SearchStrategy[CreditNote]:
    """Credit notes of at least one minor unit, with or without the lines they credit."""
    smallest = Decimal(1).scaleb(-minor_unit(currency))
    return st.builds(
        CreditNote,
        id=st.from_regex(r"GS-[0-9]{1,6}", fullmatch=True),
        on=dates(),
        amount=amounts(currency=currency, min_value=smallest, max_value=max_value),
        reason=st.sampled_from(("", "goods returned", "price correction")),
        lines=st.lists(line_items(currency=currency), max_size=2).map(tuple),
    )


def write_offs(*, currency: str = "EUR") -> st.SearchStrategy[WriteOff]:
    """Write-offs of at least one minor unit either way (a cancelling invoice's is negative)."""
    smallest = Decimal(1).scaleb(-minor_unit(currency))
    return st.builds(
        WriteOff,
        on=dates(),
        amount=amounts(currency=currency, min_value=smallest, max_value=10_000)
        | amounts(currency=currency, min_value=smallest, max_value=100).map(lambda m: -m),
        reason=st.sampled_from(("", "uncollectible", "offset by cancelling invoice ST-1")),
    )


@st.composite
def closed_invoices(draw: st.DrawFn, *, currency: str | None = None) -> Invoice:
    """Invoices dunning is over for, as the library closes them: paid in full, cancelled (with
    its write-offs) or written off as uncollectible."""
    invoice = draw(dunned_invoices(currency=currency))
    on = invoice.history[-1].on + _dt.timedelta(days=draw(st.integers(0, 30)))
    match draw(st.sampled_from((Status.PAID, Status.CANCELLED, Status.WRITTEN_OFF))):
        case Status.PAID:
            paid = Payment(on=on, amount=invoice.open_amount)
            return record_payment(invoice, paid).invoice
        case Status.WRITTEN_OFF:
            return write_off(invoice, actor=_BOOKKEEPER, on=on)
        case _:
            if invoice.payments or invoice.credit_notes:
                return write_off(invoice, actor=_BOOKKEEPER, on=on)
            sequence = NumberSequence(prefix="ST-")
            return cancel(invoice, id=f"{invoice.id}-ST", actor=_BOOKKEEPER, on=on,
                          sequence=sequence).original  # fmt: skip


def interest_charges(
    *, currency: str = "EUR", on: st.SearchStrategy[_dt.date] | None = None
) -> st.SearchStrategy[InterestCharge]:
    """Default interest charges of at least one minor unit."""
    smallest = Decimal(1).scaleb(-minor_unit(currency))
    return st.builds(
        InterestCharge,
        on=dates() if on is None else on,
        amount=amounts(currency=currency, min_value=smallest, max_value=500),
        detail=st.sampled_from(("", "9 points above the base rate")),
    )


@st.composite
def dunning_notices(
    draw: st.DrawFn,
    *,
    currency: str = "EUR",
    level: int | None = None,
    on: st.SearchStrategy[_dt.date] | None = None,
) -> DunningNotice:
    """Dunning documents of ``level`` (drawn from 1 to 5 when None), due 0 to 30 days after."""
    day = draw(dates() if on is None else on)
    return DunningNotice(
        level=draw(st.integers(min_value=1, max_value=5)) if level is None else level,
        on=day,
        due_date=day + _dt.timedelta(days=draw(st.integers(min_value=0, max_value=30))),
        fee=draw(amounts(currency=currency, min_value=0, max_value=20)),
        stage_number=draw(st.none() | st.integers(min_value=1, max_value=9)),
    )


@st.composite
def dunned_invoices(
    draw: st.DrawFn, *, currency: str | None = None, max_notices: int = 4
) -> Invoice:
    """Invoices in state DUNNED with everything an invoice can carry.

    One to ``max_notices`` dunning notices (levels 1, 2, … at rising dates after
    the due date, each with its history entry), maybe interest, credit notes of at
    most the fees and interest, the payments of :func:`sent_invoices`, and maybe a
    pause.
    """
    base = draw(sent_invoices(currency=currency))
    code = base.currency
    if not base.open_amount.is_positive:
        base = _unpaid(base)
    notices: list[DunningNotice] = []
    day = max(base.due_date, base.history[-1].on)
    for level in range(1, draw(st.integers(min_value=1, max_value=max_notices)) + 1):
        day = day + _dt.timedelta(days=draw(st.integers(min_value=1, max_value=30)))
        notices.append(draw(dunning_notices(currency=code, level=level, on=st.just(day))))
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


def approval_policies() -> st.SearchStrategy[ApprovalPolicy]:
    """The 2-, 4- and 6-eye policies."""
    return st.sampled_from((2, 4, 6)).map(lambda eyes: ApprovalPolicy(eyes=eyes))


def actors(
    *,
    ids: st.SearchStrategy[str] | None = None,
    automatic: bool | None = None,
) -> st.SearchStrategy[Actor]:
    """Actors holding some of the default roles (clerk, reviewer, accountant, automation).

    ``automatic`` fixes whether the actor is an automatic process (drawn when None).
    """
    roles = st.frozensets(st.sampled_from((CLERK, REVIEWER, ACCOUNTANT, AUTOMATION)), max_size=4)
    return st.builds(
        Actor,
        id=st.sampled_from(("alice", "bob", "carol", "dave", "robot")) if ids is None else ids,
        roles=roles,
        automatic=st.booleans() if automatic is None else st.just(automatic),
    )


def number_sequences() -> st.SearchStrategy[NumberSequence]:
    """Invoice number sequences with a prefix, a start value and a width."""
    return st.builds(
        NumberSequence,
        prefix=st.sampled_from(("", "RE-", "RE-2026-", "INV/")),
        next_value=st.integers(min_value=1, max_value=10**6),
        width=st.integers(min_value=1, max_value=8),
    )


def permissions() -> st.SearchStrategy[Permissions]:
    """Rights: some rows of the transition table and some operations outside it
    (:class:`~dunlib.workflow.policy.Operation`), each granted to some of the roles."""
    roles = st.sampled_from((CLERK, REVIEWER, ACCOUNTANT, AUTOMATION))
    grants = st.tuples(st.sampled_from(ROWS), roles).map(
        lambda pair: (pair[0].source, pair[0].command, pair[1])
    )
    operations = st.tuples(st.sampled_from(Operation), roles)
    return st.builds(
        Permissions,
        grants=st.frozensets(grants, max_size=12),
        operations=st.frozensets(operations, max_size=6),
    )


@st.composite
def receivable_invoices(
    draw: st.DrawFn,
    *,
    currency: str | None = None,
    status: Status | None = None,
    max_notices: int = 3,
    max_interest: int = 2,
    max_payments: int = 3,
) -> Invoice:
    """Invoices that take payments (SENT or DUNNED) with something still open.

    DUNNED invoices carry dunning notices with fees, and any of them may carry
    interest charges, a credit note and partial payments, all dated after the
    issue date (notices after the due date). Payments and credit notes together
    stay below the gross, so the open amount is above zero. Cash discount terms
    are drawn too; no stored payment has taken a discount yet.
    """
    code = draw(currencies()) if currency is None else currency
    state = draw(st.sampled_from((Status.SENT, Status.DUNNED))) if status is None else status
    if state not in (Status.SENT, Status.DUNNED):
        raise InvalidValueError("receivable_invoices.status", state, "Status.SENT or Status.DUNNED")
    base = draw(invoices(currency=code, status=Status.SENT, max_lines=3))
    smallest = Money(Decimal(1).scaleb(-minor_unit(code)), code)
    base = _unpaid(base)
    day = base.issue_date
    bookings: list[_Booking] = []
    if state is Status.DUNNED:
        on = base.due_date
        for level in range(1, draw(st.integers(1, max(1, max_notices))) + 1):
            on = on + _dt.timedelta(days=draw(st.integers(1, 21)))
            bookings.append(
                DunningNotice(
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


@st.composite
def payment_splits(
    draw: st.DrawFn, *, total: Money, min_size: int = 1, max_size: int = 5
) -> tuple[Money, ...]:
    """``total`` split into ``min_size`` to ``max_size`` positive parts that add up exactly.

    Fewer parts are drawn when ``total`` has fewer minor units than ``min_size``
    (at least one part for a positive total).
    """
    quantum = Decimal(1).scaleb(-minor_unit(total.currency))
    units = int(total.amount / quantum)
    if units < 1:
        raise InvalidValueError(
            "payment_splits.total", total, "an amount of at least one minor unit"
        )
    size = draw(st.integers(min(min_size, units), min(max_size, units)))
    cuts = draw(
        st.lists(st.integers(1, units - 1), min_size=size - 1, max_size=size - 1, unique=True)
        if size > 1
        else st.just([])
    )
    edges = [0, *sorted(cuts), units]
    return tuple(
        Money(Decimal(high - low) * quantum, total.currency)
        for low, high in itertools.pairwise(edges)
    )


_PAYER_SPELLINGS = (
    "{name}",
    "{upper}",
    "{lower}",
    "{typo}",
)
_REFERENCE_SPELLINGS = (
    "{number}",
    "{number_lower}",
    "{number_spaced}",
    "{number_compact}",
    "Rechnung Nr. {number}",
    "RG {number_spaced} vielen Dank",
    "Invoice {number} / {name}",
)


def _spelled_reference(draw: st.DrawFn, invoice: Invoice) -> str:
    number = invoice.number
    return draw(st.sampled_from(_REFERENCE_SPELLINGS)).format(
        number=number,
        number_lower=number.lower(),
        number_spaced=" ".join(number.replace("-", " ").split()),
        number_compact=number.replace("-", ""),
        name=invoice.customer.name,
    )


@st.composite
def bank_transactions(
    draw: st.DrawFn,
    *,
    currency: str = "EUR",
    invoices: tuple[Invoice, ...] = (),
    min_value: Decimal | int = 1,
    max_value: Decimal | int = 10_000,
) -> BankTransaction:
    """Bank statement lines, some paying ``invoices`` the way customers really do.

    A line related to an invoice pays its open amount, part of it, a bit more,
    the amount less its cash discount within the discount period, or the open
    amounts of two invoices of one customer together. It names the payer in
    varied spellings (with a typo at times) and mentions the invoice numbers in
    varied spellings or not at all. Other lines are unrelated incoming or
    outgoing amounts between ``min_value`` and ``max_value``.
    """
    related = [invoice for invoice in invoices if invoice.currency == currency]
    pays_invoice: bool = draw(st.sampled_from((True, True, False)))
    if not related or not pays_invoice:
        on = draw(dates())
        money = draw(amounts(currency=currency, min_value=min_value, max_value=max_value))
        if draw(st.booleans()):
            money = -money
        payer = draw(st.sampled_from(("Stadtwerke", "Finanzamt", "Miete Lager", "Bank", "")))
        text = draw(st.sampled_from(("Abschlag", "Zinsen", "Erstattung", "Gehalt", "")))
        return BankTransaction(on=on, amount=money, payer=payer, text=text)

    invoice = draw(st.sampled_from(related))
    smallest = Money(Decimal(1).scaleb(-minor_unit(currency)), currency)
    open_amount = max(invoice.open_amount, smallest)
    kind = draw(st.sampled_from(("open", "open", "part", "more", "discounted", "combined")))
    deadline = invoice.terms.discount_deadline(invoice.issue_date)
    last_day = deadline if kind == "discounted" and deadline is not None else invoice.due_date
    on = draw(dates(min_value=invoice.issue_date, max_value=last_day))
    paid = [invoice]
    if kind == "part":
        money = draw(
            amounts(currency=currency, min_value=smallest.amount, max_value=open_amount.amount)
        )
    elif kind == "more":
        money = open_amount + draw(amounts(currency=currency, min_value=1, max_value=50))
    elif kind == "discounted":
        money = max(open_amount - discount_offer(invoice, on), smallest)
    elif kind == "combined":
        others = [o for o in related if o.customer == invoice.customer and o.id != invoice.id]
        if others:
            paid.append(draw(st.sampled_from(others)))
        money = sum_money((max(o.open_amount, smallest) for o in paid), currency)
    else:
        money = open_amount
    name = invoice.customer.name
    cut = draw(st.integers(0, max(0, len(name) - 1)))
    payer = draw(st.sampled_from(_PAYER_SPELLINGS)).format(
        name=name, upper=name.upper(), lower=name.lower(), typo=name[:cut] + name[cut + 1 :]
    )
    text = ""
    if draw(st.booleans()):
        text = " ".join(_spelled_reference(draw, one) for one in paid)
    return BankTransaction(on=on, amount=money, payer=payer, text=text)


def _item_ids(count: int) -> list[str]:
    return [f"item-{index + 1}" for index in range(count)]


def order_items(*, currency: str = "EUR", id: str = "item-1") -> st.SearchStrategy[OrderItem]:
    """Order items of one positive line each, with any billing flag (and an invoice id for
    items not NOT_BILLED)."""
    return st.builds(
        lambda line, flag: OrderItem(
            id=id,
            line=line,
            flag=flag,
            invoice=None if flag is BillingFlag.NOT_BILLED else "D-1",
        ),
        line_items(currency=currency),
        st.sampled_from(BillingFlag),
    )


@st.composite
def orders(
    draw: st.DrawFn,
    *,
    currency: str = "EUR",
    states: tuple[OrderState, ...] = tuple(OrderState),
    max_items: int = 5,
    not_billed: bool = False,
) -> Order:
    """Orders of 0 to ``max_items`` items with distinct ids (``item-1``, ``item-2``, …) in
    one of ``states``; every item NOT_BILLED when ``not_billed``."""
    count = draw(st.integers(min_value=0, max_value=max_items))
    items = [
        draw(order_items(currency=currency, id=id))
        if not not_billed
        else OrderItem(id=id, line=draw(line_items(currency=currency)))
        for id in _item_ids(count)
    ]
    return Order(
        id=draw(st.sampled_from(("A-1", "A-2", "AU-2026-7"))),
        customer=draw(customers()),
        currency=currency,
        state=draw(st.sampled_from(states)),
        items=items,
    )


def contract_items(*, currency: str = "EUR", id: str = "item-1") -> st.SearchStrategy[ContractItem]:
    """Contract items, recurring or one-off, with any billing flag."""
    return st.builds(
        ContractItem,
        id=st.just(id),
        line=line_items(currency=currency),
        recurring=st.booleans(),
        flag=st.sampled_from(BillingFlag),
    )


@st.composite
def contracts(
    draw: st.DrawFn,
    *,
    currency: str = "EUR",
    max_items: int = 3,
    targets: tuple[Status, ...] = (Status.DRAFT, Status.CREATED, Status.REVIEWED, Status.SENT),
    min_date: _dt.date = _dt.date(2020, 1, 1),
    max_date: _dt.date = _dt.date(2030, 12, 31),
) -> Contract:
    """Contract series starting between ``min_date`` and ``max_date`` (month ends often),
    with or without an end, any interval and day in the period, not yet billed."""
    start = draw(
        st.one_of(
            dates(min_value=min_date, max_value=max_date),
            st.integers(min_value=min_date.year, max_value=max_date.year).flatmap(
                lambda year: st.sampled_from(
                    [_dt.date(year, month, 1) - _dt.timedelta(days=1) for month in (2, 3, 5, 12)]
                )
            ),
        )
    )
    end = draw(
        st.none()
        | st.integers(min_value=0, max_value=800).map(lambda days: start + _dt.timedelta(days=days))
    )
    count = draw(st.integers(min_value=0, max_value=max_items))
    return Contract(
        id=draw(st.sampled_from(("V-1", "V-2", "VS-2026-3"))),
        customer=draw(customers()),
        currency=currency,
        start=start,
        interval=draw(st.sampled_from(Interval)),
        items=[draw(contract_items(currency=currency, id=id)) for id in _item_ids(count)],
        end=end,
        day=draw(st.integers(min_value=1, max_value=28)),
        target=draw(st.sampled_from(targets)),
        terms=draw(payment_terms()),
        channel=draw(st.sampled_from(DeliveryChannel)),
    )


@st.composite
def what_if_events(
    draw: st.DrawFn, *, invoice: Invoice, max_days: int = 120, max_size: int = 4
) -> tuple[WhatIfEvent, ...]:
    """What-if events for :func:`dunlib.simulate` of ``invoice``, in date order, none before
    its last step: pauses and resumes in turn (a resume first for a paused invoice), and at
    most one payment and one credit note, each of at most a quarter of what is open (so the
    invoice stays open and every event applies, unless a cash discount of more than half the
    gross settles it)."""
    first = invoice.history[-1].on if invoice.history else invoice.issue_date
    days = dates(min_value=first, max_value=first + _dt.timedelta(days=max_days))
    suspension = draw(suspension_events(min_value=first, max_value=first + _dt.timedelta(
        days=max_days), max_size=max_size))  # fmt: skip
    events: list[WhatIfEvent] = list(suspension)
    if invoice.paused_since is not None:  # a paused invoice is resumed first
        events = [Resume(on=e.on) if isinstance(e, Pause) else Pause(on=e.on) for e in events]
    code = invoice.currency
    quarter = Money.rounded(invoice.open_amount.amount / 4, code)
    smallest = Decimal(1).scaleb(-minor_unit(code))
    if quarter.amount >= smallest and draw(st.booleans()):
        amount = draw(amounts(currency=code, min_value=smallest, max_value=quarter.amount))
        events.append(Payment(on=draw(days), amount=amount, reference="what-if"))
    if quarter.amount >= smallest and draw(st.booleans()):
        amount = draw(amounts(currency=code, min_value=smallest, max_value=quarter.amount))
        events.append(CreditNote(id="GS-WHAT-IF", on=draw(days), amount=amount))
    return tuple(sorted(events, key=lambda event: event.on))


@st.composite
def schedules(draw: st.DrawFn, *, currency: str | None = None, every: int = 7) -> Schedule:
    """Schedules of :func:`dunlib.simulate`: a dunnable invoice under drawn rules for 90
    days, with what-if events (runs every ``every`` days, weekly by default, to stay fast)."""
    invoice = draw(dunnable_invoices(currency=currency))
    rules = draw(dunning_rules(currency=invoice.currency, max_stages=3))
    events = draw(what_if_events(invoice=invoice, max_days=90, max_size=2))
    until = invoice.due_date + _dt.timedelta(days=90)
    return simulate(invoice, rules, until, events=events, every=every)


def comparisons(*, currency: str | None = None) -> st.SearchStrategy[Comparison]:
    """Comparisons of one dunnable invoice under two drawn rule sets (weekly runs)."""

    @st.composite
    def build(draw: st.DrawFn) -> Comparison:
        invoice = draw(dunnable_invoices(currency=currency))
        rules_a = draw(dunning_rules(currency=invoice.currency, max_stages=3))
        rules_b = draw(dunning_rules(currency=invoice.currency, max_stages=3))
        until = invoice.due_date + _dt.timedelta(days=90)
        return compare(invoice, rules_a, rules_b, until, every=7, labels=("now", "what if"))

    return build()


@_cached
def fee_rules(*, currency: str | None = "EUR") -> st.SearchStrategy[FeeRule]:
    """Fee rules in ``currency`` (None: pure percentages, for any currency): a fixed fee, a
    percentage of 0.01 to 10 % with or without a minimum and a maximum, or both."""
    percents = st.decimals(min_value="0.01", max_value="10", places=2)
    if currency is None:
        return st.builds(FeeRule, percent=percents)
    money = amounts(currency=currency, min_value=0, max_value=50)

    @st.composite
    def build(draw: st.DrawFn) -> FeeRule:
        fixed = draw(st.none() | money)
        percent = draw(percents) if fixed is None else draw(st.none() | percents)
        if percent is None:
            return FeeRule(fixed=fixed)
        low, high = sorted(draw(st.tuples(money, money)))
        return FeeRule(
            fixed=fixed,
            percent=percent,
            minimum=draw(st.none() | st.just(low)),
            maximum=draw(st.none() | st.just(high)),
        )

    return build()


@_cached
def holds(
    *,
    kinds: tuple[HoldKind, ...] = tuple(HoldKind),
    min_value: _dt.date = _dt.date(2020, 1, 1),
    max_value: _dt.date = _dt.date(2030, 12, 31),
    max_days: int = 60,
    lifted: bool | None = False,
) -> st.SearchStrategy[Hold]:
    """Holds of ``kinds`` from a day between ``min_value`` and ``max_value``, lasting up to
    ``max_days`` (a dispute may be open-ended; a direct debit has a return window of up to
    10 days). ``lifted`` True draws holds lifted on a day within them, None either, False
    none (as placed)."""
    kind_of = st.sampled_from(kinds)
    reasons = st.sampled_from(("contested delivery", "promised by phone", "mandate M-1"))

    @st.composite
    def build(draw: st.DrawFn) -> Hold:
        kind = draw(kind_of)
        on = draw(dates(min_value=min_value, max_value=max_value))
        span = draw(st.integers(min_value=0, max_value=max_days))
        until = on + _dt.timedelta(days=span)
        match kind:
            case HoldKind.DISPUTE:
                open_ended = draw(st.booleans())
                hold = Hold.dispute(
                    on=on, reason=draw(reasons), until=None if open_ended else until
                )
            case HoldKind.PROMISE_TO_PAY:
                hold = Hold.promise_to_pay(on=on, until=until, reason=draw(reasons))
            case _:
                hold = Hold.direct_debit(
                    on=on, collection_date=until, return_days=draw(st.integers(0, 10))
                )
        lift = draw(st.booleans()) if lifted is None else lifted
        if lift:
            end = hold.ends_on or on + _dt.timedelta(days=max_days)
            lifted_on = draw(dates(min_value=on, max_value=end))
            hold = attrs.evolve(hold, lifted_on=lifted_on)
        return hold

    return build()


@st.composite
def ageing_reports(draw: st.DrawFn, *, max_invoices: int = 4) -> AgeingReport:
    """Ageing reports of up to ``max_invoices`` dunnable invoices (several currencies and
    customers, partly paid) on a day up to 200 days after the first is due, with drawn
    buckets and, sometimes, the period's sales per currency."""
    found = draw(
        st.lists(dunnable_invoices(), max_size=max_invoices, unique_by=lambda invoice: invoice.id)
    )
    first = min((invoice.issue_date for invoice in found), default=_dt.date(2026, 1, 1))
    day = draw(dates(min_value=first, max_value=first + _dt.timedelta(days=200)))
    bounds = draw(st.lists(st.integers(1, 120), max_size=4, unique=True).map(sorted))
    codes = sorted({invoice.currency for invoice in found})
    sales = [
        draw(amounts(currency=code, min_value=0, max_value=10**6))
        for code in codes
        if draw(st.booleans())
    ]
    period = draw(st.integers(1, 366)) if sales else None
    return ageing(found, day, buckets=bounds, sales=sales, period_days=period)


@_cached
def stage_repeats() -> st.SearchStrategy[StageRepeat]:
    """Repetitions of the last stage: 1 to 3 times, every 1 to 30 days or 1 to 3 months."""
    counts = st.integers(min_value=1, max_value=3)
    return st.builds(StageRepeat, count=counts, days=st.integers(min_value=1, max_value=30)) | (
        st.builds(StageRepeat, count=counts, months=st.integers(min_value=1, max_value=3))
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
        return place_hold(invoice, hold, actor=_BOOKKEEPER)

    return build()


@_cached
def customer_accounts(
    *,
    customer_id: str | None = None,
    currency: str | None = None,
    min_value: _dt.date = _dt.date(2020, 1, 1),
    max_size: int = 6,
) -> st.SearchStrategy[CustomerAccount]:
    """Customer accounts with up to ``max_size`` dated changes from ``min_value`` on:
    dunning and fees switched, customer-level holds placed and lifted, credit kept (in
    ``currency``, or any) and used, each change valid where it is made."""
    ids = (
        st.from_regex(r"C-[0-9]{1,5}", fullmatch=True)
        if customer_id is None
        else st.just(customer_id)
    )
    codes = currencies() if currency is None else st.just(currency)
    operations = st.sampled_from(("dunning", "fees", "hold", "lift", "keep", "use"))

    @st.composite
    def build(draw: st.DrawFn) -> CustomerAccount:
        account = CustomerAccount(customer_id=draw(ids))
        day = min_value
        for _ in range(draw(st.integers(min_value=0, max_value=max_size))):
            day += _dt.timedelta(days=draw(st.integers(min_value=0, max_value=20)))
            operation = draw(operations)
            code = draw(codes)
            credit = account.credit(code, day)
            holding = [hold.kind for hold in account.holds_on(day)]
            free = tuple(k for k in (HoldKind.DISPUTE, HoldKind.PROMISE_TO_PAY) if k not in holding)
            if operation in ("dunning", "fees"):
                switch = switch_dunning if operation == "dunning" else switch_fees
                account = switch(account, enabled=draw(st.booleans()), on=day, actor=_BOOKKEEPER)
            elif operation == "lift" and holding:
                account = lift_account_hold(account, holding[0], on=day, actor=_BOOKKEEPER)
            elif operation == "hold" and free:  # with both held, credit is kept instead
                hold = draw(holds(kinds=free, min_value=day, max_value=day))
                account = hold_account(account, hold, actor=_BOOKKEEPER)
            elif operation == "use" and credit.is_positive:
                used = draw(amounts(currency=code, min_value=0, max_value=credit.amount))
                if used.is_positive:
                    account = attrs.evolve(
                        account,
                        history=(
                            *account.history,
                            AccountChange(
                                on=day,
                                kind=AccountChangeKind.CREDIT_USED,
                                amount=used,
                                reason="booked onto an invoice",
                            ),
                        ),
                    )
            else:
                kept = draw(amounts(currency=code, min_value=1, max_value=500))
                account = keep_credit(account, kept, on=day, actor=_BOOKKEEPER, reason="overpaid")
        return account

    return build()


def account_changes() -> st.SearchStrategy[AccountChange]:
    """Single account changes of every kind (the last change of :func:`customer_accounts`;
    credit kept on its first day for an account that drew no change, rather than a filter)."""

    def last(account: CustomerAccount) -> AccountChange:
        if not account.history:
            kept = Money(10, "EUR")
            account = keep_credit(account, kept, on=_dt.date(2020, 1, 1), actor=_BOOKKEEPER,
                                  reason="overpaid")  # fmt: skip
        return account.history[-1]

    return st.builds(last, customer_accounts(max_size=4))


# -- every public value class for st.from_type -------------------------------------------

_AT_ONCE = DunningRules(
    stages=(DunningStage(StageKind.REMINDER, days_overdue=0, basis=TriggerBasis.DUE_DATE),)
)
_ESCALATING = attrs.evolve(_AT_ONCE, escalation=Escalation.COLLECTION, escalation_days=7)
_EUR_DUNNABLE = dunnable_invoices(currency="EUR", max_payments=1)


@_cached
def dunning_actions() -> st.SearchStrategy[IssueStage | NoAction | Escalate]:
    """What the engine decides for a dunnable invoice under some rules on some day: every
    kind of :data:`~dunlib.dunning.actions.DunningAction` (an issued stage, nothing with its
    reason, an escalation)."""
    return st.one_of(_issued_stages(), _no_actions(), _escalations())


@_cached
def _issued_stages() -> st.SearchStrategy[IssueStage]:
    def decide(invoice: Invoice, late: int) -> IssueStage:
        # the rules remind a dunnable invoice at once
        return cast(
            "IssueStage", next_dunning_action(invoice, _AT_ONCE, invoice.due_date + late * _DAY)
        )

    return st.builds(decide, _EUR_DUNNABLE, st.integers(min_value=0, max_value=60))


@_cached
def _no_actions() -> st.SearchStrategy[NoAction]:
    def decide(invoice: Invoice, early: int, rules: DunningRules) -> NoAction:
        # before the due date, without an active stage or with dunning off: nothing to do
        day = invoice.due_date - early * _DAY
        return cast("NoAction", next_dunning_action(invoice, rules, day))

    rules = st.sampled_from(
        (
            _AT_ONCE,
            DunningRules(stages=()),
            attrs.evolve(
                _AT_ONCE, stages=(DunningStage(StageKind.REMINDER, days_overdue=0, active=False),)
            ),
        )
    )
    return st.builds(
        decide,
        dunnable_invoices(currency="EUR", dunning_enabled=None, max_payments=0),
        st.integers(min_value=1, max_value=30),
        rules,
    )


@_cached
def _escalations() -> st.SearchStrategy[Escalate]:
    def decide(invoice: Invoice, late: int) -> Escalate:
        reminded = record_notice(invoice, _issue_on_due(invoice))
        # asked once the escalation days after the reminder are over
        return cast(
            "Escalate", next_dunning_action(reminded, _ESCALATING, invoice.due_date + late * _DAY)
        )

    return st.builds(decide, _EUR_DUNNABLE, st.integers(min_value=7, max_value=90))


def _issue_on_due(invoice: Invoice) -> IssueStage:
    return cast("IssueStage", next_dunning_action(invoice, _AT_ONCE, invoice.due_date))


def _decisions() -> st.SearchStrategy[Decision]:
    return st.builds(
        lambda invoice, rules, day: next(plan([invoice], rules, day, explain=True)),
        _EUR_DUNNABLE,
        dunning_rules(max_stages=3),
        dates(),
    )


def _customer_notices() -> st.SearchStrategy[CustomerNotice]:
    return st.builds(
        lambda invoice: group_notices(plan([invoice], _AT_ONCE, invoice.due_date))[0],
        _EUR_DUNNABLE,
    )


def _schedule_entries() -> st.SearchStrategy[ScheduleEntry]:
    return st.builds(
        lambda invoice: simulate(invoice, _AT_ONCE, until=invoice.due_date)[0], _EUR_DUNNABLE
    )


def _payment_results() -> st.SearchStrategy[PaymentResult]:
    def pay(invoice: Invoice, share: int, late: int) -> PaymentResult:
        amount = Money.rounded(invoice.open_amount.amount * share / 100, invoice.currency)
        amount = max(
            amount, Money(Decimal(1).scaleb(-minor_unit(invoice.currency)), invoice.currency)
        )
        on = invoice.history[-1].on + late * _DAY
        return record_payment(invoice, Payment(on=on, amount=amount))

    return st.builds(
        pay, dunnable_invoices(), st.integers(min_value=1, max_value=150), st.integers(0, 60)
    )


def _template_values() -> st.SearchStrategy[TemplateValues]:
    return st.builds(
        TemplateValues,
        invoice_number=st.from_regex(r"RE-20[23][0-9]-[0-9]{5}", fullmatch=True),
        invoice_date=dates(),
        total_gross=amounts(currency="EUR", min_value=1),
        due_date=dates(),
        tenant_name=st.sampled_from(("Muster GmbH", "Example Ltd")),
        customer_name=st.sampled_from(_NAMES[CustomerKind.BUSINESS]),
        locale=st.sampled_from(_LOCALES),
    )


def _matching_parts() -> dict[type, st.SearchStrategy[Any]]:
    paid = _EUR_DUNNABLE.map(
        lambda invoice: (
            invoice,
            BankTransaction(
                on=invoice.due_date,
                amount=invoice.open_amount,
                payer=invoice.customer.name,
                text=f"Rechnung {invoice.number}",
            ),
        )
    )
    matches = paid.map(lambda pair: match_payments([pair[1]], [pair[0]]).matches[0])
    twins = _EUR_DUNNABLE.map(
        lambda invoice: (
            invoice,
            attrs.evolve(invoice, id=invoice.id + "-2", number=invoice.number + "-2"),
        )
    )
    ambiguous = twins.map(
        lambda pair: match_payments(
            [
                BankTransaction(
                    on=pair[0].due_date, amount=pair[0].open_amount, payer=pair[0].customer.name
                )
            ],
            list(pair),
        ).ambiguous[0]
    )
    unmatched = st.builds(lambda line: match_payments([line], []).unmatched[0], bank_transactions())
    return {
        Match: matches,
        MatchedInvoice: matches.map(lambda match: match.invoices[0]),
        Ambiguous: ambiguous,
        Unmatched: unmatched,
        Matching: st.builds(
            lambda invoice, lines: match_payments(lines, [invoice]),
            _EUR_DUNNABLE,
            st.lists(bank_transactions(), max_size=2),
        ),
    }


def _documents() -> dict[type, st.SearchStrategy[Any]]:
    sent = sent_invoices(currency="EUR")
    reviewed = invoices(currency="EUR", status=Status.REVIEWED)
    return {
        DeliveryNote: st.builds(
            lambda invoice: derive_delivery_note(invoice, id="LS-1", on=invoice.issue_date), sent
        ),
        Credited: st.builds(
            lambda invoice: credit(
                invoice, id="GS-1", actor=_BOOKKEEPER, on=invoice.history[-1].on, policy=_TWO_EYES
            ),
            invoices(currency="EUR", status=Status.SENT, max_lines=3).map(_unpaid),
        ),
        Cancellation: st.builds(
            lambda invoice: cancel(
                invoice,
                id=f"{invoice.id}-ST",
                actor=_BOOKKEEPER,
                on=invoice.history[-1].on,
                sequence=NumberSequence(prefix="ST-"),
            ),
            sent.map(_unpaid),
        ),
        Sent: st.builds(
            lambda invoice, sequence: send(
                invoice,
                actor=_BOOKKEEPER,
                on=invoice.issue_date,
                policy=_TWO_EYES,
                sequence=sequence,
            ),
            reviewed,
            number_sequences(),
        ),
        ExternalStatus: st.builds(external_status, invoices(), dates()),
        Balance: st.builds(balance, receivable_invoices()),
    }


def _credit_uses() -> st.SearchStrategy[CreditUse]:
    def use(invoice: Invoice, kept: Money) -> CreditUse:
        day = invoice.history[-1].on
        account = keep_credit(CustomerAccount(customer_id=invoice.customer.id), kept, on=day,
                              actor=_BOOKKEEPER, reason="overpaid")  # fmt: skip
        return use_credit(account, invoice, on=day)

    return st.builds(
        use, _EUR_DUNNABLE, amounts(currency="EUR", min_value=Decimal("0.01"), max_value=500)
    )


def _one_ageing() -> st.SearchStrategy[AgeingReport]:
    """Ageing reports of one dunnable invoice, asked on its due date or up to 200 days on."""
    return st.builds(
        lambda invoice, late: ageing([invoice], invoice.due_date + late * _DAY),
        _EUR_DUNNABLE,
        st.integers(min_value=0, max_value=200),
    )


def registered() -> dict[type, st.SearchStrategy[Any]]:
    """The strategy ``st.from_type`` uses for every public value class of dunlib."""
    results = _payment_results()
    table: dict[type, st.SearchStrategy[Any]] = {
        Money: amounts(),
        Customer: customers(),
        LineItem: line_items(),
        PaymentTerms: payment_terms(),
        Payment: payments(discount=None),
        CreditNote: credit_notes(),
        InterestCharge: interest_charges(),
        DunningNotice: dunning_notices(),
        WriteOff: write_offs(),
        HistoryEntry: history_entries(),
        Invoice: invoices() | dunnable_invoices(status=None),
        DunningStage: dunning_stages(),
        DunningRules: dunning_rules(),
        WeekendCalendar: st.builds(WeekendCalendar),
        HolidayCalendar: _holiday_calendars(),
        Actor: actors(),
        ApprovalPolicy: approval_policies(),
        NumberSequence: number_sequences(),
        Permissions: permissions(),
        Order: orders(),
        OrderItem: order_items(),
        Contract: contracts(),
        ContractItem: contract_items(),
        BankTransaction: bank_transactions(),
        Pause: pauses(),
        Resume: resumes(),
        Template: dunning_stages().map(lambda stage: Template(source=stage.email_body)),
        TemplateValues: _template_values(),
        DocumentProblem: st.builds(
            DocumentProblem,
            path=st.sampled_from(("stages[0].fee", "minimum_open_amounts", "schema_version")),
            message=st.sampled_from(("a Money or None", "an amount above zero")),
        ),
        NoticeDocuments: st.builds(NoticeDocuments.of, dunning_stages(), _template_values()),
        IssueStage: _issued_stages(),
        NoAction: _no_actions(),
        Escalate: _escalations(),
        Decision: _decisions(),
        CustomerNotice: _customer_notices(),
        Schedule: schedules(),
        ScheduleEntry: _schedule_entries(),
        PaymentResult: results,
        Allocation: results.map(lambda result: result.allocation),
        **_matching_parts(),
        **_documents(),
        Hold: holds(lifted=None),
        CustomerAccount: customer_accounts(),
        AccountChange: account_changes(),
        CreditUse: _credit_uses(),
        Comparison: comparisons(),
        AgeingReport: ageing_reports(),
        AgeingItem: _one_ageing().map(lambda report: report.items[0]),
        AgeingRow: _one_ageing().map(lambda report: report.rows[0]),
        FeeRule: fee_rules(),
        StageRepeat: stage_repeats(),
        PreparedNotice: prepared_notices(),
        NoticeStep: prepared_notices().map(lambda prepared: prepared.steps[-1]),
    }
    return table


def _hypothesis_setup_hook() -> None:
    """Register dunlib's types with Hypothesis so ``st.from_type`` finds them (runs on import)."""
    for cls, strategy in registered().items():
        st.register_type_strategy(cls, strategy)


_LIVES = {
    True: (
        (),
        (NoticeState.APPROVED,),
        (NoticeState.REJECTED,),
        (NoticeState.APPROVED, NoticeState.SENT),
    ),
    False: ((), (NoticeState.SENT,)),
}


@st.composite
def prepared_notices(draw: st.DrawFn, *, currency: str | None = None) -> PreparedNotice:
    """Prepared notices of one dunnable invoice, at any point of their life: prepared,
    approved, rejected or sent (approval only for those that need it), by hand or not,
    each step on or after the one before. The invoice is as it was prepared."""
    invoice = draw(dunnable_invoices(currency=currency))
    stage = attrs.evolve(_REMINDER_STAGE, dispatch=draw(st.sampled_from(DispatchMode)))
    day = invoice.due_date + _dt.timedelta(days=draw(st.integers(1, 30)))
    action = next_dunning_action(invoice, DunningRules(stages=(stage,)), day)
    notice = CustomerNotice(decisions=(Decision(invoice=invoice, action=action),))
    needs = notice.requires_approval or draw(st.booleans())
    manual = draw(st.booleans())
    by_hand = manual or notice.dispatch is DispatchMode.MANUAL
    steps = [NoticeStep(on=day, state=NoticeState.PREPARED, actor="automatic", roles={AUTOMATION})]
    for state in draw(st.sampled_from(_LIVES[needs])):
        day += _dt.timedelta(days=draw(st.integers(0, 5)))
        people = {"ann": ACCOUNTANT, "rita": REVIEWER}
        if not (by_hand and state is NoticeState.SENT):  # a manual notice is sent by a person
            people["automatic"] = AUTOMATION
        actor = draw(st.sampled_from(sorted(people)))
        note = draw(st.text(max_size=8))
        steps.append(NoticeStep(on=day, state=state, actor=actor, note=note, roles={people[actor]}))
    return PreparedNotice(notice=notice, needs_approval=needs, steps=tuple(steps), manual=manual)


_hypothesis_setup_hook()
