"""Strategies for money and customers: currencies, dates, amounts, customers, line items, payment
terms, payments and bank statement lines.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from dunlib.core.errors import InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit, sum_money
from dunlib.core.records import (
    Address,
    Customer,
    CustomerKind,
    DeliveryChannel,
    DeliveryPeriod,
    LineItem,
    Payment,
    PaymentTerms,
    SendMode,
    TaxCategory,
)
from dunlib.payments.allocation import discount_offer
from dunlib.payments.matching import BankTransaction
from dunlib.strategies import _checks as checks
from dunlib.strategies._common import (
    _CURRENCIES,
    _LOCALES,
    _NAMES,
    _amounts_in,
    _at_least_one_unit,
    _cached,
)

__all__ = [
    "addresses",
    "amounts",
    "bank_transactions",
    "currencies",
    "customers",
    "dates",
    "delivery_periods",
    "line_items",
    "payment_splits",
    "payment_terms",
    "payments",
]


@checks.checked({})
def currencies() -> st.SearchStrategy[str]:
    """ISO 4217 codes with 0, 2 and 3 decimal places."""
    return st.sampled_from(_CURRENCIES)


@checks.checked(
    {"min_value": checks.day(), "max_value": checks.day()}, ordered=(("min_value", "max_value"),)
)
def dates(
    *, min_value: _dt.date = _dt.date(2020, 1, 1), max_value: _dt.date = _dt.date(2030, 12, 31)
) -> st.SearchStrategy[_dt.date]:
    """Calendar dates (never datetimes)."""
    return st.dates(min_value=min_value, max_value=max_value)


@checks.checked(
    {
        "currency": checks.currency(optional=True),
        "min_value": checks.amount(),
        "max_value": checks.amount(),
        "around": checks.members(checks.amount(), "amounts (Decimal, int or Money)"),
    }
)
@_cached
def amounts(
    *,
    currency: str | None = None,
    min_value: Decimal | int | Money = 0,
    max_value: Decimal | int | Money = 100_000,
    around: tuple[Decimal | int | Money, ...] = (),
) -> st.SearchStrategy[Money]:
    """Money between ``min_value`` and ``max_value`` (inclusive), exact to the minor unit.

    Spread over orders of magnitude (as many 3-digit as 6-digit amounts), with the bounds
    and round amounts (whole units, multiples of 5, 10, 50, …) drawn often. A threshold of
    your rules goes in ``around``: the marks and one minor unit either side of each (within
    the bounds) are drawn from a branch of their own, the first one, so every one of them is
    drawn in at least one draw in 30 for one mark (the kit's tests measure it), several times
    in Hypothesis's default 100 examples. Hypothesis cannot promise a value in every run:
    pin one that must be tried with ``@example``.
    Bounds and marks are in ``currency``'s units (or Money in it); no filtering.

    >>> from hypothesis import find
    >>> find(amounts(currency="EUR", min_value=40, max_value=60), lambda m: m.amount == 50)
    Money(amount=Decimal('50.00'), currency='EUR')
    """

    def build(code: str) -> st.SearchStrategy[Money]:
        fields = ("amounts.min_value", "amounts.max_value", "amounts.around")
        return _amounts_in(code, min_value, max_value, around, fields)

    if currency is not None:
        return build(currency)
    return st.one_of(*(build(code) for code in _CURRENCIES))


_PLACES = (
    ("10115", "Berlin", "DE"),
    ("80331", "München", "DE"),
    ("1010", "Wien", "AT"),
    ("90-001", "Łódź", "PL"),
    ("75001", "Paris", "FR"),
    ("SW1A 1AA", "London", "GB"),
)
_STREETS = ("Hauptstraße 1", "Lindenallee 23a", "ul. Piotrkowska 104", "1 Rue de Rivoli")


@checks.checked({})
@_cached
def addresses() -> st.SearchStrategy[Address]:
    """Postal addresses in Germany, Austria, Poland, France and the United Kingdom, some
    with a further line (c/o, a department); names with "ß" and "Ł"."""
    return st.builds(
        lambda place, street, extra: Address(
            street=street, postcode=place[0], city=place[1], country=place[2], extra=extra
        ),
        st.sampled_from(_PLACES),
        st.sampled_from(_STREETS),
        st.sampled_from(("", "c/o Buchhaltung", "Abteilung Einkauf")),
    )


@checks.checked(
    {"min_value": checks.day(), "max_value": checks.day()}, ordered=(("min_value", "max_value"),)
)
def delivery_periods(
    *, min_value: _dt.date = _dt.date(2020, 1, 1), max_value: _dt.date = _dt.date(2030, 12, 31)
) -> st.SearchStrategy[DeliveryPeriod]:
    """Deliveries on one day or over a period of up to 92 days, between the bounds."""

    @st.composite
    def build(draw: st.DrawFn) -> DeliveryPeriod:
        start = draw(st.dates(min_value=min_value, max_value=max_value))
        days = draw(st.integers(min_value=0, max_value=min(92, (max_value - start).days)))
        return DeliveryPeriod(start=start, end=start + _dt.timedelta(days=days))

    return build()


@checks.checked(
    {
        "kind": checks.one_of(tuple(CustomerKind), optional=True),
        "dunning_enabled": checks.flag(optional=True),
        "fees_enabled": checks.flag(optional=True),
        "locale": checks.instance(str, "a locale such as 'de_DE'", optional=True),
        "legal": checks.flag(),
    }
)
@_cached
def customers(
    *,
    kind: CustomerKind | None = None,
    dunning_enabled: bool | None = None,
    fees_enabled: bool | None = None,
    locale: str | None = None,
    legal: bool = False,
) -> st.SearchStrategy[Customer]:
    """Customers, business or consumer, with dunning and fees on or off.

    Each argument fixes what a dunning rule may depend on (None draws it): ``kind``,
    the customer's ``dunning_enabled`` and ``fees_enabled`` switches and ``locale``.
    Names fit the kind (a company or a person). Nothing is filtered. With ``legal``, each
    also has what a legal invoice names of its recipient and how invoices reach it: a
    postal address, a billing e-mail address, a VAT id (a business: of its address's
    country), sometimes a buyer reference, a send mode and a channel.

    >>> from hypothesis import find
    >>> consumers = customers(kind=CustomerKind.CONSUMER, dunning_enabled=True, fees_enabled=False)
    >>> find(consumers, lambda customer: True)
    Customer(id='C-0', name='Erika Mustermann', kind=CustomerKind.CONSUMER, fees_enabled=False)
    """

    @st.composite
    def build(draw: st.DrawFn) -> Customer:
        chosen = draw(st.sampled_from(tuple(CustomerKind))) if kind is None else kind
        name = draw(st.sampled_from(_NAMES[chosen]))
        customer = Customer(
            id=f"C-{draw(st.integers(min_value=0, max_value=99_999))}",
            name=name,
            locale=draw(st.sampled_from(_LOCALES)) if locale is None else locale,
            kind=chosen,
            dunning_enabled=draw(st.booleans()) if dunning_enabled is None else dunning_enabled,
            fees_enabled=draw(st.booleans()) if fees_enabled is None else fees_enabled,
        )
        if not legal:
            return customer
        address = draw(addresses())
        business = chosen is CustomerKind.BUSINESS
        return attrs.evolve(
            customer,
            address=address,
            email="billing@example.com",
            vat_id=f"{address.country}{draw(st.integers(10**8, 10**9 - 1))}" if business else "",
            buyer_reference=draw(st.sampled_from(("", "04011000-12345-67", "PO 4711"))),
            send_mode=draw(st.sampled_from(SendMode)),
            channel=draw(st.sampled_from(DeliveryChannel)),
        )

    return build()


_UNITS = ("C62", "H87", "HUR", "DAY", "MON", "KGM", "MTR", "LTR", "KWH")
_CATEGORIES_AT = {
    Decimal(0): (
        TaxCategory.ZERO,
        TaxCategory.EXEMPT,
        TaxCategory.REVERSE_CHARGE,
        TaxCategory.INTRA_COMMUNITY,
        TaxCategory.EXPORT,
    ),
    Decimal(7): (TaxCategory.REDUCED,),
    Decimal(19): (TaxCategory.STANDARD,),
    Decimal(20): (TaxCategory.STANDARD,),
}


@checks.checked(
    {"currency": checks.currency(), "allow_negative": checks.flag(), "legal": checks.flag()}
)
@_cached
def line_items(
    *, currency: str = "EUR", allow_negative: bool = False, legal: bool = False
) -> st.SearchStrategy[LineItem]:
    """Line items with quantities of up to three decimals and common tax rates; with
    ``legal``, each also with a unit, a tax category that fits its rate (a tax-free one at
    0 %) and sometimes a section."""
    low = -1000 if allow_negative else 1
    lines = st.builds(
        LineItem,
        description=st.sampled_from(("Consulting", "Licence", "Hardware", "Support", "Travel")),
        quantity=st.integers(min_value=low, max_value=100_000).map(lambda n: Decimal(n) / 1000),
        unit_price=amounts(currency=currency, min_value=0, max_value=10_000),
        tax_rate=st.sampled_from((Decimal(0), Decimal(7), Decimal(19), Decimal("20"))),
    )
    if not legal:
        return lines

    @st.composite
    def build(draw: st.DrawFn) -> LineItem:
        line = draw(lines)
        return attrs.evolve(
            line,
            unit=draw(st.sampled_from(_UNITS)),
            tax_category=draw(st.sampled_from(_CATEGORIES_AT[line.tax_rate])),
            section=draw(st.sampled_from(("", "", "Hardware", "Services"))),
        )

    return build()


@checks.checked({})
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


@checks.checked(
    {
        "currency": checks.currency(),
        "on": checks.strategy(optional=True),
        "max_value": checks.instance((Decimal, int), "an amount (Decimal or int)"),
        "discount": checks.flag(optional=True),
    }
)
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
    smallest = _at_least_one_unit(max_value, currency, "payments.max_value")

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


@checks.checked(
    {"total": checks.money, "min_size": checks.count(1), "max_size": checks.count(1)},
    ordered=(("min_size", "max_size"),),
)
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


@checks.checked(
    {
        "currency": checks.currency(),
        "invoices": checks.members(checks.invoice, "Invoice"),
        "min_value": checks.instance((Decimal, int), "an amount (Decimal or int)"),
        "max_value": checks.instance((Decimal, int), "an amount (Decimal or int)"),
    },
    ordered=(("min_value", "max_value"),),
    also=lambda given: _at_least_one_unit(
        given["min_value"], given["currency"], "bank_transactions.min_value"
    ),
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
        money = max(open_amount - discount_offer(invoice, today=on), smallest)
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
