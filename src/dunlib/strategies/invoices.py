"""Strategies for invoices and what is booked on them: invoices from DRAFT to SENT, history
entries, credit notes, write-offs, interest charges and dunning notices.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit
from dunlib.core.records import (
    CreditNote,
    DeliveryChannel,
    InterestCharge,
    IssuedStage,
    LineItem,
    Payment,
    TaxCategory,
    WriteOff,
)
from dunlib.core.status import Status
from dunlib.core.transitions import CLERK, REVIEWER, Command
from dunlib.strategies import _checks as checks
from dunlib.strategies._common import _BEFORE_SENT, _CLERK, _TWO_EYES, _at_least_one_unit, _booked
from dunlib.strategies.money import (
    amounts,
    currencies,
    customers,
    dates,
    delivery_periods,
    line_items,
    payment_terms,
    payments,
)
from dunlib.workflow import Actor, transition
from dunlib.workflow.drafts import create_draft

__all__ = [
    "credit_notes",
    "history_entries",
    "interest_charges",
    "invoices",
    "issued_stages",
    "sent_invoices",
    "write_offs",
]


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


_BUSINESS_ONLY = (TaxCategory.REVERSE_CHARGE, TaxCategory.INTRA_COMMUNITY)


def _for_a_consumer(line: LineItem) -> LineItem:
    """``line`` as it may be invoiced to a consumer: exempt where it was in a category only
    a business with a VAT id can be invoiced in."""
    if line.tax_category in _BUSINESS_ONLY:
        return attrs.evolve(line, tax_category=TaxCategory.EXEMPT)
    return line


@checks.checked(
    {
        "currency": checks.currency(optional=True),
        "status": checks.one_of(_BEFORE_SENT, optional=True),
        "min_lines": checks.count(1),
        "max_lines": checks.count(1),
        "legal": checks.flag(),
    },
    ordered=(("min_lines", "max_lines"),),
)
@st.composite
def invoices(
    draw: st.DrawFn,
    *,
    currency: str | None = None,
    status: Status | None = None,
    min_lines: int = 1,
    max_lines: int = 5,
    legal: bool = False,
) -> Invoice:
    """Invoices in DRAFT to SENT (or the given status up to SENT) with partial payments.

    Payments are drawn only for SENT invoices and never exceed the gross amount. With
    ``legal``, each has every field a legal invoice names (§ 14 UStG, EN 16931): a
    customer with an address (:func:`customers`), lines with a unit and a tax category
    (:func:`line_items`), and the day or period of delivery, ending on or before the issue
    date. A line taxed in reverse charge or as an intra-community supply goes to a business
    only (with its VAT id): a consumer's such lines are taxed at 0 % as exempt instead.
    """
    code = draw(currencies()) if currency is None else currency
    state = draw(st.sampled_from((Status.DRAFT, Status.CREATED, Status.REVIEWED, Status.SENT)))
    state = state if status is None else status
    lines = draw(
        st.lists(line_items(currency=code, legal=legal), min_size=min_lines, max_size=max_lines)
    )
    issued = draw(dates())
    terms = draw(payment_terms())
    ident = draw(st.from_regex(r"INV-[0-9]{1,6}", fullmatch=True))
    customer = draw(customers(legal=legal))
    channel = draw(st.sampled_from(DeliveryChannel))
    delivery = None
    if legal:
        delivery = draw(delivery_periods(max_value=issued))
        if not customer.vat_id:
            lines = [_for_a_consumer(line) for line in lines]
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
        sent = attrs.evolve(sent, delivery=delivery)
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
        delivery=delivery,
    )
    if state is Status.DRAFT:
        return draft
    people = {
        CLERK: _CLERK,
        REVIEWER: Actor(id="reviewer-1", roles={REVIEWER}),
    }
    invoice = transition(draft, Command.SUBMIT, actor=people[CLERK], on=issued, authority=_TWO_EYES)
    if state is Status.REVIEWED:
        invoice = transition(
            invoice, Command.APPROVE, actor=people[REVIEWER], on=issued, authority=_TWO_EYES
        )
    return invoice


@checks.checked({"currency": checks.currency(optional=True)})
def sent_invoices(*, currency: str | None = None) -> st.SearchStrategy[Invoice]:
    """Booked invoices in state SENT, possibly partly paid."""
    return invoices(currency=currency, status=Status.SENT)


@checks.checked({"on": checks.strategy(optional=True)})
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


@checks.checked(
    {
        "currency": checks.currency(),
        "max_value": checks.instance((Decimal, int), "an amount (Decimal or int)"),
    }
)
def credit_notes(
    *, currency: str = "EUR", max_value: Decimal | int = 10_000
) -> st.SearchStrategy[CreditNote]:
    """Credit notes of at least one minor unit, with or without the lines they credit."""
    smallest = _at_least_one_unit(max_value, currency, "credit_notes.max_value")
    return st.builds(
        CreditNote,
        id=st.from_regex(r"GS-[0-9]{1,6}", fullmatch=True),
        on=dates(),
        amount=amounts(currency=currency, min_value=smallest, max_value=max_value),
        reason=st.sampled_from(("", "goods returned", "price correction")),
        lines=st.lists(line_items(currency=currency), max_size=2).map(tuple),
    )


@checks.checked({"currency": checks.currency()})
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


@checks.checked({"currency": checks.currency(), "on": checks.strategy(optional=True)})
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


@checks.checked(
    {
        "currency": checks.currency(),
        "level": checks.count(1, optional=True),
        "on": checks.strategy(optional=True),
    }
)
@st.composite
def issued_stages(
    draw: st.DrawFn,
    *,
    currency: str = "EUR",
    level: int | None = None,
    on: st.SearchStrategy[_dt.date] | None = None,
) -> IssuedStage:
    """Dunning documents of ``level`` (drawn from 1 to 5 when None), due 0 to 30 days after."""
    day = draw(dates() if on is None else on)
    return IssuedStage(
        level=draw(st.integers(min_value=1, max_value=5)) if level is None else level,
        on=day,
        due_date=day + _dt.timedelta(days=draw(st.integers(min_value=0, max_value=30))),
        fee=draw(amounts(currency=currency, min_value=0, max_value=20)),
        stage_number=draw(st.none() | st.integers(min_value=1, max_value=9)),
    )
