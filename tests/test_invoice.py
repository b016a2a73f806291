"""Customers, line items, terms, payments and invoices: validation and derived amounts."""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import pydoc
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, eur, line
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    CreditNote,
    Customer,
    DunlibError,
    HistoryEntry,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PaymentTerms,
    Status,
    cancel,
    record_payment,
)
from dunlib.core import EventKind, InterestCharge, IssuedStage
from dunlib.core.money import sum_money
from dunlib.strategies import history_entries, invoices, line_items

EUR = "EUR"


def test_tax_is_rounded_per_rate_not_per_line() -> None:
    """Tax per rate: the nets of one rate are summed first, then rounded half-up once.

    Three lines of 0.10 at 19 %: per line 0.019 would round to 0.02 each (0.06);
    summed first, 0.30 x 19 % = 0.057 rounds to 0.06 too, but four lines show the
    difference: 0.40 x 19 % = 0.076 -> 0.08, where per-line rounding gives 0.08 as well,
    while 0.10 x 7 % x 5 lines = 0.035 -> 0.04 summed, 5 x 0.01 = 0.05 per line.
    """
    invoice = Invoice.sent(
        number="RE-1",
        customer=ACME,
        lines=[line("0.10", "1", 7) for _ in range(5)],
        issue_date=dt.date(2026, 1, 1),
    )
    assert invoice.net == eur("0.50")
    assert invoice.tax_by_rate == ((Decimal(7), eur("0.04")),)
    assert invoice.gross == eur("0.54")


def test_mixed_rates_and_line_rounding() -> None:
    """Line nets round half-up; taxes are listed per rate in ascending order."""
    invoice = Invoice(
        id="D-1",
        customer=ACME,
        currency=EUR,
        issue_date=dt.date(2026, 1, 1),
        lines=(line("9.99", "3", 19), line("1.01", "0.5", 7)),
    )
    assert [item.net for item in invoice.lines] == [eur("29.97"), eur("0.51")]
    assert invoice.tax_by_rate == ((Decimal(7), eur("0.04")), (Decimal(19), eur("5.69")))
    assert invoice.gross == eur("36.21")
    assert invoice.due_date == dt.date(2026, 1, 15)  # default terms: 14 days net


def test_sent_builds_a_booked_invoice() -> None:
    """Invoice.sent gives state SENT, the number as id, one tax-free line and a history entry."""
    invoice = Invoice.sent(
        number="RE-2026-0001",
        customer=ACME,
        gross=eur("119.00"),
        issue_date=dt.date(2026, 4, 26),
        due_date=dt.date(2026, 5, 10),
    )
    assert invoice.status is Status.SENT
    assert invoice.id == "RE-2026-0001"
    assert invoice.gross == invoice.open_amount == eur("119.00")
    assert invoice.tax == eur("0.00")
    assert len(invoice.history) == 1
    assert invoice.history[0].to_status is Status.SENT
    assert invoice.dunning_level == 0
    assert invoice.last_issued_stage is None


def test_open_amount_counts_fees_interest_discounts_and_credits() -> None:
    """Open = gross + fees + interest - payments - discounts - credit notes (a cash discount
    settles the invoice within the discount period, before any notice: two invoices)."""
    base = Invoice.sent(
        number="RE-1", customer=ACME, gross=eur("100.00"), issue_date=dt.date(2026, 1, 1)
    )

    def step(
        on: dt.date, kind: EventKind, detail: str, source: Status, target: Status
    ) -> HistoryEntry:
        return HistoryEntry(on=on, kind=kind, from_status=source, to_status=target, detail=detail)

    feb, dunned = dt.date(2026, 2, 1), (Status.DUNNED, Status.DUNNED)
    steps = (
        step(feb, EventKind.STAGE_ISSUED, "level 1 notice sent, due 2026-02-08, fee 5.00 EUR, "
             "interest 1.20 EUR", Status.SENT, Status.DUNNED),
        step(feb, EventKind.PAYMENT, "payment of 50.00 EUR received; open 56.20 EUR", *dunned),
        step(feb, EventKind.CREDIT_NOTE, "credit note GS-1 of 10.00 EUR", *dunned),
    )  # fmt: skip
    invoice = attrs.evolve(  # built by hand, each booking with the entry that booked it
        base,
        status=Status.DUNNED,
        history=(*base.history, *steps),
        issued_stages=(
            IssuedStage(level=1, on=feb, due_date=dt.date(2026, 2, 8), fee=eur("5.00")),
        ),
        interest_charges=(InterestCharge(on=feb, amount=eur("1.20")),),
        payments=(Payment(on=feb, amount=eur("50.00")),),
        credit_notes=(CreditNote(id="GS-1", on=feb, amount=eur("10.00")),),
    )
    assert invoice.fees == eur("5.00")
    assert invoice.interest_charged == eur("1.20")
    assert invoice.total_due == eur("106.20")
    assert invoice.paid == eur("50.00")
    assert invoice.credited == eur("10.00")
    assert invoice.open_amount == eur("46.20")
    assert not invoice.is_settled
    assert invoice.dunning_level == 1
    terms = PaymentTerms(discount_percent=Decimal(2), discount_days=7)
    early = attrs.evolve(base, terms=terms, due_date=terms.due_date(base.issue_date))
    jan3, jan5 = dt.date(2026, 1, 3), dt.date(2026, 1, 5)
    credited = step(jan3, EventKind.CREDIT_NOTE, "credit note GS-1 of 10.00 EUR", Status.SENT,
                    Status.SENT)  # fmt: skip
    paid = step(jan5, EventKind.PAYMENT, "payment of 88.20 EUR received; cash discount 1.80 "
                "EUR granted; open 0.00 EUR", Status.SENT, Status.PAID)  # fmt: skip
    discounted = attrs.evolve(
        early,
        status=Status.PAID,
        history=(*early.history, credited, paid),
        credit_notes=(CreditNote(id="GS-1", on=jan3, amount=eur("10.00")),),
        payments=(Payment(on=jan5, amount=eur("88.20"), discount=eur("1.80")),),
    )
    assert discounted.discounts == eur("1.80")
    assert discounted.settled == discounted.total_due == eur("100.00")
    assert discounted.open_amount == eur("0.00")


@given(lines=st.lists(line_items(allow_negative=True), min_size=0, max_size=8))
def test_gross_equals_net_plus_tax(lines: list[LineItem]) -> None:
    """Law: for any lines, gross == net + tax, and net is the exact sum of the line nets."""
    invoice = Invoice(
        id="X", customer=ACME, currency=EUR, issue_date=dt.date(2026, 1, 1), lines=lines
    )
    assert invoice.gross == invoice.net + invoice.tax
    assert invoice.net == sum_money((item.net for item in lines), EUR)
    assert invoice.tax == sum_money((tax for _, tax in invoice.tax_by_rate), EUR)


@given(invoice=invoices())
def test_open_amount_is_gross_minus_payments_minus_credit_notes(invoice: Invoice) -> None:
    """Law: without fees or interest, open == gross - payments - credit notes (never below 0
    for generated invoices, whose payments never exceed the gross)."""
    expected = invoice.gross - invoice.paid - invoice.credited
    assert invoice.open_amount == expected
    if invoice.payments:
        assert not invoice.open_amount.is_negative


def test_terms_with_discount() -> None:
    """Due date and discount deadline count from the issue date; both days inclusive."""
    terms = PaymentTerms(net_days=30, discount_percent=Decimal(2), discount_days=10)
    assert terms.due_date(dt.date(2026, 1, 1)) == dt.date(2026, 1, 31)
    assert terms.discount_deadline(dt.date(2026, 1, 1)) == dt.date(2026, 1, 11)
    assert PaymentTerms().discount_deadline(dt.date(2026, 1, 1)) is None


def test_the_terms_give_their_cash_discount_up_to_the_deadline() -> None:
    """The terms' cash discount on a base is its percentage, rounded half-up, on each day
    up to the deadline; nothing after it, without a discount, or on a base of zero or less;
    a base that is not an amount is refused."""
    terms = PaymentTerms(net_days=30, discount_percent=Decimal(2), discount_days=10)
    issued = dt.date(2026, 1, 1)
    assert terms.discount_on(eur("119.00"), issue_date=issued, on=dt.date(2026, 1, 11)) == eur(
        "2.38"
    )
    for base, on, these in (
        (eur("119.00"), dt.date(2026, 1, 12), terms),
        (eur("119.00"), issued, PaymentTerms()),
        (eur("0.00"), issued, terms),
    ):
        assert these.discount_on(base, issue_date=issued, on=on) == eur("0.00")
    with pytest.raises(InvalidTypeError, match="PaymentTerms.discount_on.base"):
        terms.discount_on("119.00", issue_date=issued, on=issued)  # type: ignore[arg-type]


def test_payment_settles_amount_plus_discount() -> None:
    """A payment settles what was received plus the cash discount taken with it."""
    paid = Payment(on=dt.date(2026, 1, 5), amount=eur("98.00"), discount=eur("2.00"))
    assert paid.settled == eur("100.00")
    assert Payment(on=dt.date(2026, 1, 5), amount=eur("1.00")).settled == eur("1.00")


# -- bad input -------------------------------------------------------------

DAY = dt.date(2026, 1, 1)
VALID: dict[type, dict[str, Any]] = {
    Customer: {"id": "C-1", "name": "ACME GmbH"},
    LineItem: {"description": "Item", "quantity": Decimal(1), "unit_price": eur("1.00")},
    PaymentTerms: {"net_days": 14},
    Payment: {"on": DAY, "amount": eur("1.00")},
    CreditNote: {"id": "GS-1", "on": DAY, "amount": eur("1.00")},
    IssuedStage: {"level": 1, "on": DAY, "due_date": DAY, "fee": eur("0.00")},
    InterestCharge: {"on": DAY, "amount": eur("1.00")},
    Invoice: {"id": "I-1", "customer": ACME, "currency": EUR, "issue_date": DAY},
}

BAD: list[tuple[type, dict[str, Any], str]] = [
    (Customer, {"id": ""}, "Customer.id"),
    (Customer, {"name": "   "}, "Customer.name"),
    (Customer, {"locale": "xx_YY_ZZ"}, "Customer.locale"),
    (Customer, {"locale": 7}, "Customer.locale"),
    (Customer, {"kind": "business"}, "Customer.kind"),
    (Customer, {"dunning_enabled": 1}, "Customer.dunning_enabled"),
    (Customer, {"fees_enabled": None}, "Customer.fees_enabled"),
    (Customer, {"email": None}, "Customer.email"),
    (LineItem, {"quantity": 1.5}, "LineItem.quantity"),
    (LineItem, {"quantity": "many"}, "LineItem.quantity"),
    (LineItem, {"quantity": Decimal("NaN")}, "LineItem.quantity"),
    (LineItem, {"unit_price": Decimal(1)}, "LineItem.unit_price"),
    (LineItem, {"tax_rate": 100}, "LineItem.tax_rate"),
    (LineItem, {"tax_rate": -1}, "LineItem.tax_rate"),
    (LineItem, {"tax_rate": 0.19}, "LineItem.tax_rate"),
    (LineItem, {"description": ""}, "LineItem.description"),
    (PaymentTerms, {"net_days": -1}, "PaymentTerms.net_days"),
    (PaymentTerms, {"net_days": True}, "PaymentTerms.net_days"),
    (PaymentTerms, {"discount_percent": 2}, "PaymentTerms.discount_days"),
    (PaymentTerms, {"discount_percent": 0, "discount_days": 3}, "PaymentTerms.discount_percent"),
    (PaymentTerms, {"discount_percent": 2, "discount_days": 30}, "PaymentTerms.discount_days"),
    (Payment, {"on": dt.datetime(2026, 1, 1, 9, 30)}, "Payment.on"),
    (Payment, {"on": "2026-01-01"}, "Payment.on"),
    (Payment, {"amount": eur("0.00")}, "Payment.amount"),
    (Payment, {"amount": eur("-1.00")}, "Payment.amount"),
    (Payment, {"discount": eur("-1.00")}, "Payment.discount"),
    (Payment, {"discount": Money("1.00", "USD")}, "Payment.discount"),
    (CreditNote, {"amount": eur("0.00")}, "CreditNote.amount"),
    (CreditNote, {"lines": ["x"]}, r"CreditNote.lines\[0\]"),
    (CreditNote, {"lines": "x"}, "CreditNote.lines"),
    (IssuedStage, {"level": 0}, "IssuedStage.level"),
    (IssuedStage, {"due_date": dt.date(2025, 12, 31)}, "IssuedStage.due_date"),
    (IssuedStage, {"fee": eur("-5.00")}, "IssuedStage.fee"),
    (InterestCharge, {"amount": eur("0.00")}, "InterestCharge.amount"),
    (Invoice, {"id": ""}, "Invoice.id"),
    (Invoice, {"customer": "C-1"}, "Invoice.customer"),
    (Invoice, {"currency": "Euro"}, "Invoice.currency"),
    (Invoice, {"issue_date": dt.datetime(2026, 1, 1, 0, 0)}, "Invoice.issue_date"),
    (Invoice, {"issue_date": None}, "Invoice.issue_date"),
    (Invoice, {"terms": 14}, "Invoice.terms"),
    (Invoice, {"terms": PaymentTerms(net_days=10**7)}, "Invoice.terms"),
    (LineItem, {"quantity": Decimal("1E+30")}, "LineItem.quantity"),
    (Invoice, {"due_date": dt.date(2025, 12, 1)}, "Invoice.due_date"),
    (Invoice, {"lines": [line("1.00", "1", 0), "x"]}, r"Invoice.lines\[1\]"),
    (
        Invoice,
        {"lines": [LineItem(description="x", quantity=1, unit_price=Money(1, "USD"))]},
        r"Invoice.lines\[0\]",
    ),
    (Invoice, {"status": 3}, "Invoice.status"),
    (Invoice, {"status": Status.SENT}, "Invoice.number"),
    (Invoice, {"number": "RE-1"}, "Invoice.number"),
    (Invoice, {"payments": (Payment(on=DAY, amount=eur("1.00")),)}, "Invoice.payments"),
    (Invoice, {"channel": "online"}, "Invoice.channel"),
    (Invoice, {"paused_since": "2026-01-01"}, "Invoice.paused_since"),
    (Invoice, {"cancels": ""}, "Invoice.cancels"),
    (Invoice, {"history": ("x",)}, r"Invoice.history\[0\]"),
    (
        Invoice,
        {
            "status": Status.SENT,
            "number": "RE-1",
            "lines": [line("1.00", "1", 0)],
            "payments": (Payment(on=DAY, amount=eur("2.00")),),
        },
        "Invoice.payments",
    ),
    (
        Invoice,
        {
            "status": Status.DUNNED,
            "number": "RE-1",
            "issued_stages": (IssuedStage(level=2, on=DAY, due_date=DAY, fee=eur("0.00")),),
        },
        "Invoice.issued_stages",
    ),
]


@pytest.mark.parametrize(("cls", "changes", "field"), BAD)
def test_bad_input_names_the_field(cls: type, changes: dict[str, Any], field: str) -> None:
    """Every bad field raises an InvalidValueError at construction naming Class.field."""
    with pytest.raises(InvalidValueError, match=field):
        cls(**{**VALID[cls], **changes})


def test_sent_needs_exactly_one_of_gross_and_lines() -> None:
    """Invoice.sent refuses both or neither of gross= and lines=, and wrong types for them."""
    common: dict[str, Any] = {"number": "RE-1", "customer": ACME, "issue_date": DAY}
    with pytest.raises(InvalidValueError, match="exactly one"):
        Invoice.sent(**common)
    with pytest.raises(InvalidValueError, match="exactly one"):
        Invoice.sent(**common, gross=eur("1.00"), lines=[line("1.00", "1", 0)])
    with pytest.raises(InvalidTypeError, match="gross"):
        Invoice.sent(**common, gross=Decimal(1))  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="lines"):
        Invoice.sent(**common, lines=[])
    with pytest.raises(InvalidTypeError, match="issue_date"):
        Invoice.sent(
            number="RE-1", customer=ACME, issue_date=dt.datetime(2026, 1, 1), gross=eur("1.00")
        )


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.decimals(allow_nan=True),
    st.datetimes(),
    st.dates(),
    st.tuples(st.integers()),
    st.just(Money("1.00", "USD")),
)


@given(data=st.data())
def test_constructors_raise_only_dunlib_errors(data: st.DataObject) -> None:
    """Law: any constructor given any junk in any field either builds a value or raises a
    DunlibError subclass; never a bare TypeError/ValueError from deep inside."""
    cls = data.draw(st.sampled_from(sorted(VALID, key=lambda c: c.__name__)))
    field = data.draw(st.sampled_from([a.name for a in attrs.fields(cls) if a.init]))
    junk = data.draw(JUNK)
    with contextlib.suppress(DunlibError):
        cls(**{**VALID[cls], field: junk})


def test_values_are_frozen() -> None:
    """Value objects cannot be changed in place; attrs.evolve makes a new one."""
    invoice = Invoice(**VALID[Invoice])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        invoice.id = "other"  # type: ignore[misc]
    assert attrs.evolve(invoice, id="other").id == "other"
    assert invoice.id == "I-1"


def test_cancelled_invoice_owes_nothing() -> None:
    """Once CANCELLED, the claim is written off (offset by the cancelling invoice): nothing is
    open any more, and total_due == settled + written_off + open_amount still holds. The
    state alone clears nothing: open_amount has no special case for CANCELLED."""
    base = Invoice.sent(
        number="RE-1", customer=ACME, gross=eur("119.00"), issue_date=dt.date(2026, 1, 1)
    )
    accountant = Actor(id="ann", roles={"accountant"})
    result = cancel(
        base,
        id="S-1",
        actor=accountant,
        on=dt.date(2026, 1, 2),
        sequence=NumberSequence(prefix="RE-", next_value=2),
        authority=Authority(),
    )
    cancelled = result.original
    assert base.open_amount == eur("119.00")
    assert cancelled.status is Status.CANCELLED
    assert cancelled.open_amount == eur("0.00")
    assert cancelled.written_off == eur("119.00")
    assert cancelled.is_settled
    for invoice in (base, cancelled, result.cancelling):
        assert invoice.total_due == invoice.settled + invoice.written_off + invoice.open_amount
    with pytest.raises(InvalidValueError, match="SENT, where the last history step led"):
        attrs.evolve(base, status=Status.CANCELLED)  # the state alone: no path leads there


DERIVED = (
    "net",
    "tax_by_rate",
    "tax",
    "gross",
    "fees",
    "interest_charged",
    "total_due",
    "paid",
    "discounts",
    "credited",
    "settled",
    "written_off",
    "open_amount",
    "is_settled",
    "dunning_level",
    "last_issued_stage",
)


@pytest.mark.parametrize("name", DERIVED)
def test_every_derived_amount_is_documented(name: str) -> None:
    """Rule: every derived amount of an Invoice carries its docstring, so
    ``inspect.getdoc(Invoice.open_amount)`` and ``help(Invoice)`` explain it."""
    doc = inspect.getdoc(getattr(Invoice, name))
    assert doc, f"Invoice.{name} has no docstring"
    assert not doc.startswith(("property(", "cached_property(")), doc
    page = pydoc.plain(pydoc.render_doc(Invoice))
    assert doc.splitlines()[0] in page


def test_line_net_is_documented() -> None:
    """LineItem.net, derived too, keeps its docstring."""
    assert (
        inspect.getdoc(LineItem.net) == "Quantity x unit price, rounded half-up to the minor unit."
    )


def test_tax_rates_group_by_value_and_print_plainly() -> None:
    """Rates equal in value are one rate (19, 19.000 and 1.9E+1), and each rate is given in
    plain form: 10 and 20 print as 10 and 20, not 1E+1 and 2E+1; 7.50 prints as 7.5."""
    invoice = Invoice(
        id="D-1",
        customer=ACME,
        currency=EUR,
        issue_date=DAY,
        lines=(
            line("10.00", "1", 19),
            LineItem(description="x", quantity=1, unit_price=eur("10.00"), tax_rate="19.000"),
            LineItem(description="y", quantity=1, unit_price=eur("10.00"), tax_rate="1.9E+1"),
            line("10.00", "1", 10),
            line("10.00", "1", 20),
            LineItem(description="z", quantity=1, unit_price=eur("10.00"), tax_rate="7.50"),
            LineItem(description="n", quantity=1, unit_price=eur("10.00"), tax_rate="-0"),
        ),
    )
    assert [str(rate) for rate, _ in invoice.tax_by_rate] == ["0", "7.5", "10", "19", "20"]
    assert [tax for _, tax in invoice.tax_by_rate] == [
        eur("0.00"),
        eur("0.75"),
        eur("1.00"),
        eur("5.70"),  # 30.00 x 19 %, rounded once
        eur("2.00"),
    ]


def test_pendulum_issue_date_gets_the_terms_due_date() -> None:
    """An issue date given as a pendulum.Date (a date subclass) still gets the default due date
    of issue date plus the terms' net days, as a plain date does."""
    invoice = Invoice(id="I-1", customer=ACME, currency=EUR, issue_date=pendulum.date(2026, 1, 1))
    assert invoice.due_date == dt.date(2026, 1, 15)


def test_sent_refuses_bad_terms_and_non_iterable_lines() -> None:
    """Invoice.sent names its own argument for terms that are not PaymentTerms and for lines
    that are not a collection of LineItems (no AttributeError or TypeError from inside)."""
    common: dict[str, Any] = {"number": "RE-1", "customer": ACME, "issue_date": DAY}
    with pytest.raises(InvalidTypeError, match="Invoice.sent.terms"):
        Invoice.sent(**common, gross=eur("1.00"), terms=14)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="Invoice.sent.lines"):
        Invoice.sent(**common, lines=5)  # type: ignore[arg-type]


def test_derived_amounts_follow_evolve() -> None:
    """Derived amounts are computed once per value: a new invoice made by attrs.evolve gets its
    own, never the amounts of the invoice it was made from."""
    base = Invoice.sent(number="RE-1", customer=ACME, gross=eur("100.00"), issue_date=DAY)
    assert base.open_amount == eur("100.00")
    paid = record_payment(
        base, Payment(on=DAY, amount=eur("40.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    assert paid.open_amount == eur("60.00")
    assert paid.settled == paid.paid == eur("40.00")
    assert base.open_amount == eur("100.00")
    assert paid == attrs.evolve(paid, payments=(Payment(on=DAY, amount=eur("40.00")),))
    assert len({base, paid, attrs.evolve(base)}) == 2


def test_write_offs_clear_at_most_what_is_open_and_never_nothing() -> None:
    """A write-off of zero is no write-off; write-offs beyond what is open, or in another
    currency, are refused when the invoice is built."""
    from dunlib.core import WriteOff

    day = dt.date(2026, 5, 1)
    with pytest.raises(InvalidValueError, match="WriteOff.amount"):
        WriteOff(on=day, amount=Money("0.00", "EUR"))
    sent = Invoice.sent(
        number="RE-9",
        customer=Customer(id="C", name="C GmbH"),
        gross=Money("10.00", "EUR"),
        issue_date=day,
    )
    with pytest.raises(InvalidValueError, match="Invoice.write_offs"):
        attrs.evolve(sent, write_offs=(WriteOff(on=day, amount=Money("10.01", "EUR")),))
    with pytest.raises(InvalidValueError, match=r"Invoice.write_offs\[0\]"):
        attrs.evolve(sent, write_offs=(WriteOff(on=day, amount=Money("1.00", "USD")),))
    with pytest.raises(InvalidValueError, match="none until the invoice is cancelled"):
        attrs.evolve(sent, write_offs=(WriteOff(on=day, amount=Money("10.00", "EUR")),))


def test_a_tax_beyond_25_digits_is_refused_when_the_amounts_are_read() -> None:
    """Lines whose nets add up to more than a tax of 25 digits can hold: reading the gross
    raises the typed error of Money.scaled, as computing the tax per rate does."""
    huge = [
        LineItem(description=f"Part {n}", quantity=1, unit_price=eur("9" * 24), tax_rate=19)
        for n in range(60)
    ]
    invoice = Invoice(id="RE-HUGE", customer=ACME, currency="EUR",
                      issue_date=dt.date(2026, 1, 1), lines=huge)  # fmt: skip
    with pytest.raises(InvalidValueError, match="Money.scaled.factor"):
        invoice.gross  # noqa: B018
    with pytest.raises(InvalidValueError, match="Money.scaled.factor"):
        invoice.tax_by_rate  # noqa: B018


def test_derived_amounts_are_shared_while_nothing_is_booked() -> None:
    """An invoice without bookings keeps its open amount as its gross (no second number),
    and once paid in part its open amount is the rest."""
    invoice = Invoice.sent(number="RE-S", customer=ACME, gross=eur("119.00"),
                           issue_date=dt.date(2026, 1, 1))  # fmt: skip
    assert invoice.open_amount == invoice.gross == invoice.total_due == eur("119.00")
    assert invoice.net == eur("119.00")
    assert invoice.tax == eur("0.00")
    assert invoice.settled == invoice.paid == invoice.credited == eur("0.00")


@given(invoice=invoices(), history_drawn=st.lists(history_entries(), max_size=6))
def test_what_the_history_tells_dunning_is_read_from_every_entry(
    invoice: Invoice, history_drawn: list[HistoryEntry]
) -> None:
    """The history read once per invoice (for the engine and the daily run) says what its
    entries say (any kinds, appended in date order): the latest day among them, whether
    any hands the claim to collection or blocks the service, and the kind of the last
    pause or resume entry."""
    state, last = invoice.status, (invoice.history[-1].on if invoice.history else None)
    history = [*invoice.history]  # entries in date order that keep the state: accepted
    paused, escalated = invoice.paused_since, invoice._marks.escalated
    for entry in sorted(history_drawn, key=lambda e: e.on):
        day = entry.on if last is None else max(entry.on, last)
        kind = _kept_state_kind(entry.kind, state, paused, escalated)
        if kind is None:  # no entry keeps this state (a kind books something, or none does)
            continue
        if kind in (EventKind.DUNNING_PAUSED, EventKind.DUNNING_RESUMED):
            paused = day if kind is EventKind.DUNNING_PAUSED else None
        escalated = escalated or kind in (EventKind.HANDED_TO_COLLECTION, EventKind.SERVICE_BLOCKED)
        entry = attrs.evolve(entry, on=day, kind=kind, from_status=state, to_status=state)
        history.append(entry)
        last = day
    invoice = attrs.evolve(invoice, history=history, paused_since=paused)
    marks = invoice._marks
    assert marks.latest == max((entry.on for entry in history), default=None)
    escalations = {EventKind.HANDED_TO_COLLECTION, EventKind.SERVICE_BLOCKED}
    assert marks.escalated == any(entry.kind in escalations for entry in history)
    switches = [e.kind for e in history if e.kind in (EventKind.DUNNING_PAUSED,
                                                       EventKind.DUNNING_RESUMED)]  # fmt: skip
    assert marks.switch == (switches[-1] if switches else None)


def _kept_state_kind(
    kind: EventKind, state: Status, paused: dt.date | None, escalated: bool
) -> EventKind | None:
    """The kind of an entry that keeps ``state`` and books nothing, closest to ``kind``:
    editing a draft; an escalation (once, while dunning runs on a dunned invoice), else
    pausing or resuming (alternating) on a sent or dunned one; None in any other state (no
    entry there keeps the state; lifting a hold needs a hold that holds)."""
    if state is Status.DRAFT:
        return EventKind.LINES_EDITED if kind is not EventKind.MERGED else kind
    if state not in (Status.SENT, Status.DUNNED):
        return None
    escalations = (EventKind.HANDED_TO_COLLECTION, EventKind.SERVICE_BLOCKED)
    if kind in escalations and state is Status.DUNNED and not (paused or escalated):
        return kind
    return EventKind.DUNNING_RESUMED if paused else EventKind.DUNNING_PAUSED
