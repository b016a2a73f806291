"""Hypothesis strategies that generate valid dunlib values, for your own test suites.

Install with the ``testing`` extra (``pip install dunlib[testing]``). Every
strategy is a plural noun with keyword-only arguments, built bottom-up so that a
failing example shrinks to a small invoice. Registering the package also makes
``st.from_type(Invoice)`` work.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from dunlib.errors import InvalidValueError
from dunlib.invoice import (
    CreditNote,
    Customer,
    CustomerKind,
    DeliveryChannel,
    DunningNotice,
    InterestCharge,
    Invoice,
    LineItem,
    Payment,
    PaymentTerms,
)
from dunlib.matching import BankTransaction
from dunlib.money import Money, minor_unit, sum_money
from dunlib.payments import discount_offer
from dunlib.status import Status

__all__ = [
    "amounts",
    "bank_transactions",
    "currencies",
    "customers",
    "dates",
    "invoices",
    "line_items",
    "payment_splits",
    "payment_terms",
    "payments",
    "receivable_invoices",
    "sent_invoices",
]

_CURRENCIES = ("EUR", "USD", "CHF", "GBP", "JPY", "KWD")


def currencies() -> st.SearchStrategy[str]:
    """ISO 4217 codes with 0, 2 and 3 decimal places."""
    return st.sampled_from(_CURRENCIES)


def dates(
    *, min_value: _dt.date = _dt.date(2020, 1, 1), max_value: _dt.date = _dt.date(2030, 12, 31)
) -> st.SearchStrategy[_dt.date]:
    """Calendar dates (never datetimes)."""
    return st.dates(min_value=min_value, max_value=max_value)


def amounts(
    *,
    currency: str | None = None,
    min_value: Decimal | int = 0,
    max_value: Decimal | int = 100_000,
) -> st.SearchStrategy[Money]:
    """Money between ``min_value`` and ``max_value`` (inclusive), exact to the minor unit."""

    def build(code: str) -> st.SearchStrategy[Money]:
        scale = 10 ** minor_unit(code)
        low = int(Decimal(min_value) * scale)
        high = int(Decimal(max_value) * scale)
        return st.integers(min_value=low, max_value=high).map(
            lambda units: Money(Decimal(units).scaleb(-minor_unit(code)), code)
        )

    if currency is not None:
        return build(currency)
    return currencies().flatmap(build)


def customers() -> st.SearchStrategy[Customer]:
    """Customers, business or consumer, with dunning and fees on or off."""
    return st.builds(
        Customer,
        id=st.from_regex(r"C-[0-9]{1,5}", fullmatch=True),
        name=st.sampled_from(("ACME GmbH", "Muster AG", "Erika Mustermann", "Globex Ltd")),
        locale=st.sampled_from(("de_DE", "en_GB", "en_US", "fr_FR")),
        kind=st.sampled_from(CustomerKind),
        dunning_enabled=st.booleans(),
        fees_enabled=st.booleans(),
    )


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
) -> st.SearchStrategy[Payment]:
    """Payments of at least one minor unit."""
    smallest = Decimal(1).scaleb(-minor_unit(currency))
    return st.builds(
        Payment,
        on=dates() if on is None else on,
        amount=amounts(currency=currency, min_value=smallest, max_value=max_value),
        reference=st.sampled_from(("", "SEPA transfer", "cash")),
    )


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
    booked = state.is_booked
    draft = Invoice(
        id=draw(st.from_regex(r"INV-[0-9]{1,6}", fullmatch=True)),
        customer=draw(customers()),
        currency=code,
        issue_date=issued,
        terms=terms,
        lines=lines,
        number=f"RE-{issued.year}-{draw(st.integers(1, 99999)):05d}" if booked else "",
        channel=draw(st.sampled_from(DeliveryChannel)),
        status=state,
    )
    if not booked or not draft.gross.is_positive:
        return draft
    received: list[Payment] = []
    left = draft.gross
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        if not left.is_positive:
            break
        payment = draw(
            payments(
                currency=code,
                on=dates(min_value=issued, max_value=issued + _dt.timedelta(days=120)),
                max_value=left.amount,
            )
        )
        received.append(payment)
        left = left - payment.amount
    return attrs.evolve(draft, payments=tuple(received))


def sent_invoices(*, currency: str | None = None) -> st.SearchStrategy[Invoice]:
    """Booked invoices in state SENT, possibly partly paid."""
    return invoices(currency=currency, status=Status.SENT)


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
    lines = base.lines
    if base.gross < smallest + smallest:
        lines = (
            *lines,
            LineItem(description="Service", quantity=Decimal(1), unit_price=Money(10, code)),
        )
    day = base.issue_date
    notices: list[DunningNotice] = []
    if state is Status.DUNNED:
        on = base.due_date
        for level in range(1, draw(st.integers(1, max(1, max_notices))) + 1):
            on = on + _dt.timedelta(days=draw(st.integers(1, 21)))
            notices.append(
                DunningNotice(
                    level=level,
                    on=on,
                    due_date=on + _dt.timedelta(days=draw(st.integers(0, 14))),
                    fee=draw(amounts(currency=code, min_value=0, max_value=10)),
                )
            )
    interest = [
        InterestCharge(
            on=base.due_date + _dt.timedelta(days=draw(st.integers(1, 90))),
            amount=draw(amounts(currency=code, min_value=smallest.amount, max_value=20)),
        )
        for _ in range(draw(st.integers(0, max_interest)))
    ]
    invoice = attrs.evolve(
        base, lines=lines, payments=(), notices=tuple(notices), interest=tuple(interest),
        status=state,
    )  # fmt: skip
    left = invoice.gross - smallest
    credit_notes: list[CreditNote] = []
    if draw(st.booleans()) and left.is_positive:
        credit = draw(amounts(currency=code, min_value=smallest.amount, max_value=left.amount))
        credit_notes.append(
            CreditNote(
                id="GS-1", on=day + _dt.timedelta(days=draw(st.integers(0, 60))), amount=credit
            )
        )
        left = left - credit
    received: list[Payment] = []
    for _ in range(draw(st.integers(0, max_payments))):
        if not left.is_positive:
            break
        payment = draw(
            payments(
                currency=code,
                on=dates(min_value=day, max_value=day + _dt.timedelta(days=120)),
                max_value=left.amount,
            )
        )
        received.append(payment)
        left = left - payment.amount
    return attrs.evolve(invoice, payments=tuple(received), credit_notes=tuple(credit_notes))


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


def _hypothesis_setup_hook() -> None:
    """Register dunlib's types with Hypothesis so ``st.from_type`` finds them."""
    st.register_type_strategy(Money, amounts())
    st.register_type_strategy(Customer, customers())
    st.register_type_strategy(LineItem, line_items())
    st.register_type_strategy(PaymentTerms, payment_terms())
    st.register_type_strategy(Invoice, invoices())
