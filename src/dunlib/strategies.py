"""Hypothesis strategies that generate valid dunlib values, for your own test suites.

Install with the ``testing`` extra (``pip install dunlib[testing]``). Every
strategy is a plural noun with keyword-only arguments, built bottom-up so that a
failing example shrinks to a small invoice. Registering the package also makes
``st.from_type(Invoice)`` work.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs
from hypothesis import strategies as st

from dunlib.invoice import (
    Customer,
    CustomerKind,
    DeliveryChannel,
    Invoice,
    LineItem,
    Payment,
    PaymentTerms,
)
from dunlib.money import Money, minor_unit
from dunlib.numbering import NumberSequence
from dunlib.status import Status
from dunlib.workflow import ACCOUNTANT, AUTOMATION, CLERK, REVIEWER, Actor, ApprovalPolicy

__all__ = [
    "actors",
    "amounts",
    "approval_policies",
    "currencies",
    "customers",
    "dates",
    "invoices",
    "line_items",
    "number_sequences",
    "payment_terms",
    "payments",
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


def _hypothesis_setup_hook() -> None:
    """Register dunlib's types with Hypothesis so ``st.from_type`` finds them."""
    st.register_type_strategy(Money, amounts())
    st.register_type_strategy(Customer, customers())
    st.register_type_strategy(LineItem, line_items())
    st.register_type_strategy(PaymentTerms, payment_terms())
    st.register_type_strategy(Invoice, invoices())
    st.register_type_strategy(Actor, actors())
    st.register_type_strategy(ApprovalPolicy, approval_policies())
    st.register_type_strategy(NumberSequence, number_sequences())
