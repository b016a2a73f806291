"""The receivables ageing report: buckets, customers, currencies, DSO, and the sum law."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import ACME, ANN, SEED_RULES, draft, eur, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    Payment,
    ageing,
    record_payment,
    simulate,
    write_off,
)
from dunlib.analytics import AgeingItem, AgeingReport, AgeingRow
from dunlib.strategies import ageing_reports, dunnable_invoices

TODAY = date(2026, 6, 30)
BETA = Customer(id="C-2", name="Beta AG")


def invoice(number: str, due: date, gross: str = "100.00", currency: str = "EUR") -> Invoice:
    return Invoice.sent(
        number=number,
        customer=ACME if number.endswith("A") else BETA,
        gross=Money(gross, currency),
        issue_date=due - timedelta(days=14),
        due_date=due,
    )


def test_each_invoice_lands_in_its_bucket() -> None:
    """Due today or later: not due; 1, 30 days past due: 1-30; 31 and 60: 31-60; 61, 90:
    61-90; 91: over 90. Bounds are inclusive."""
    days = {"n-A": 0, "a-A": 1, "b-A": 30, "c-A": 31, "d-A": 60, "e-A": 61, "f-A": 90, "g-A": 91}
    report = ageing([invoice(n, TODAY - timedelta(days=d)) for n, d in days.items()], today=TODAY)
    assert report.labels == ("not due", "1-30", "31-60", "61-90", "over 90")
    assert [report.labels[report.bucket(item)] for item in report.items] == [
        "not due",
        "1-30",
        "1-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        "over 90",
    ]
    (total,) = report.totals
    assert total.amounts == (eur("100.00"), eur("200.00"), eur("200.00"), eur("200.00"),
                             eur("100.00"))  # fmt: skip
    assert total.total == eur("800.00")


def test_customers_and_currencies_are_never_added_together() -> None:
    """One row per customer and currency; one total per currency, sorted by code."""
    report = ageing(
        [
            invoice("1-A", TODAY - timedelta(days=10), "10.00"),
            invoice("2-A", TODAY - timedelta(days=40), "20.00", "USD"),
            invoice("3-B", TODAY, "30.00"),
            invoice("4-B", TODAY - timedelta(days=100), "1000", "JPY"),
        ],
        today=TODAY,
    )
    assert [(r.customer_name, r.currency, r.total) for r in report.rows] == [
        ("ACME GmbH", "EUR", eur("10.00")),
        ("Beta AG", "EUR", eur("30.00")),
        ("Beta AG", "JPY", Money(1000, "JPY")),
        ("ACME GmbH", "USD", Money("20.00", "USD")),
    ]
    assert [(t.currency, t.total, t.invoices) for t in report.totals] == [
        ("EUR", eur("40.00"), 2),
        ("JPY", Money(1000, "JPY"), 1),
        ("USD", Money("20.00", "USD"), 1),
    ]
    assert report.totals[0].customer_name == "all customers"
    assert report.total("GBP") == Money.zero("GBP")


def test_open_amounts_are_as_of_the_report_day() -> None:
    """Payments after today do not count; paid, written-off and not yet issued invoices and
    drafts are left out; fees and interest of dunning count with the invoice."""
    paid = record_payment(
        sent(),
        Payment(on=date(2026, 5, 2), amount=eur("119.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    later = record_payment(
        sent(number="RE-2"),
        Payment(on=date(2026, 7, 5), amount=eur("19")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    dunned = simulate(sent(number="RE-3"), SEED_RULES, until=TODAY).invoice
    gone = write_off(
        attrs.evolve(dunned, id="RE-4", number="RE-4"), actor=ANN, on=TODAY, authority=Authority()
    )
    future = sent(number="RE-5", issue_date=date(2026, 7, 1), due_date=date(2026, 7, 15))
    report = ageing([paid, later.invoice, dunned, gone, future, draft()], today=TODAY)
    assert [(i.number, i.open_amount) for i in report.items] == [
        ("RE-2", eur("119.00")),
        ("RE-3", eur("124.00")),  # the notice's fee of 5.00
    ]
    assert [i.days_past_due for i in report.items] == [51, 51]


def test_buckets_are_configurable() -> None:
    """Bounds (7, 14): not due, 1-7, 8-14, over 14; a single-day bucket is named by its day;
    no bounds at all: not due and past due."""
    items = [invoice(f"{d}-A", TODAY - timedelta(days=d)) for d in (0, 1, 7, 8, 15)]
    report = ageing(items, today=TODAY, buckets=(1, 7, 14))
    assert report.labels == ("not due", "1", "2-7", "8-14", "over 14")
    assert [report.bucket(i) for i in report.items] == [0, 1, 2, 3, 4]
    plain = ageing(items, today=TODAY, buckets=())
    assert plain.labels == ("not due", "past due")
    assert plain.totals[0].amounts == (eur("100.00"), eur("400.00"))


def test_days_sales_outstanding() -> None:
    """DSO = open / sales x days: 800.00 open, 2400.00 sold in 90 days: 30.0 days; rounded
    half-up to one decimal; zero sales: undefined (None)."""
    items = [invoice(f"{d}-A", TODAY - timedelta(days=d)) for d in range(8)]
    report = ageing(items, today=TODAY, sales=[eur("2400.00")], period_days=90)
    assert report.dso == {"EUR": Decimal("30.0")}
    assert "DSO EUR: 30.0 days (open 800.00 EUR / sales 2400.00 EUR x 90 days)" in str(report)
    odd = ageing(items, today=TODAY, sales=[eur("7000.00"), Money(0, "JPY")], period_days=30)
    assert odd.dso == {"EUR": Decimal("3.4"), "JPY": None}  # 3.428… days
    assert "DSO JPY: undefined, no sales" in str(odd)


def test_the_report_prints_as_a_table() -> None:
    """str() is a table: customers, then each currency's total."""
    report = ageing([invoice("1-A", TODAY - timedelta(days=3)), invoice("2-B", TODAY)], today=TODAY)
    assert str(report) == "\n".join(
        [
            "Receivables ageing on 2026-06-30",
            "customer       currency  invoices  not due    1-30  31-60  61-90  over 90   total",
            "-------------  --------  --------  -------  ------  -----  -----  -------  ------",
            "ACME GmbH      EUR              1     0.00  100.00   0.00   0.00     0.00  100.00",
            "Beta AG        EUR              1   100.00    0.00   0.00   0.00     0.00  100.00",
            "all customers  EUR              2   100.00  100.00   0.00   0.00     0.00  200.00",
        ]
    )
    assert str(ageing([], today=TODAY)).endswith("(nothing open)")


def test_bad_arguments_are_refused() -> None:
    """Typed errors naming the argument: invoices, today, buckets, sales, period, ids."""
    with pytest.raises(InvalidTypeError, match="ageing.invoices"):
        ageing(sent(), today=TODAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"ageing.invoices\[0\]"):
        ageing(["RE-1"], today=TODAY)  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match=r"ageing.invoices\[1\].id"):
        ageing([sent(), sent()], today=TODAY)
    with pytest.raises(InvalidTypeError, match="ageing.today"):
        ageing([], today="2026-06-30")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="ageing.buckets"):
        ageing([], today=TODAY, buckets=30)  # type: ignore[arg-type]
    for bad in ((30, 30), (0, 30), (60, 30), (1.5,), tuple(range(1, 30))):
        with pytest.raises(InvalidValueError, match="AgeingReport.bounds"):
            ageing([], today=TODAY, buckets=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="ageing.sales"):
        ageing([], today=TODAY, sales={"EUR": eur("1")})  # type: ignore[dict-item]
    with pytest.raises(InvalidValueError, match="AgeingReport.period_days"):
        ageing([], today=TODAY, sales=[eur("1.00")])
    with pytest.raises(InvalidValueError, match="AgeingReport.sales"):
        ageing([], today=TODAY, sales=[eur("1.00"), eur("2.00")], period_days=30)
    with pytest.raises(InvalidTypeError, match="AgeingReport.bucket.item"):
        ageing([], today=TODAY).bucket("x")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="AgeingReport.total.currency"):
        ageing([], today=TODAY).total(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="AgeingReport.by"):
        ageing([], today=TODAY).to_pandas(by="month")


def test_values_validate_their_fields() -> None:
    """AgeingItem and AgeingRow refuse wrong types at construction."""
    with pytest.raises(InvalidTypeError):
        AgeingItem(invoice_id="1", number="1", customer=ACME, due_date=TODAY,
                   days_past_due="3", open_amount=eur("1"))  # type: ignore[arg-type]  # fmt: skip
    with pytest.raises(InvalidTypeError):
        AgeingRow(customer="ACME", currency="EUR", invoices=1, amounts=())  # type: ignore[arg-type]
    assert AgeingReport(today=TODAY).labels[-1] == "over 90"


@settings(max_examples=min(100, settings().max_examples))
@given(report=ageing_reports())
def test_buckets_add_up_exactly_to_the_open_amount_per_currency_law(report: AgeingReport) -> None:
    """Law: per currency, the buckets of the total add up exactly to the sum of the open
    amounts of that currency's invoices; the customers' rows add up to the total bucket by
    bucket; every item is counted once; no amount is in another currency than its row."""
    for total in report.totals:
        items = [i for i in report.items if i.currency == total.currency]
        assert total.total == sum((i.open_amount for i in items), Money.zero(total.currency))
        assert total.total == report.total(total.currency)
        rows = report.rows_of(total.currency)
        for index, amount in enumerate(total.amounts):
            assert amount == sum((r.amounts[index] for r in rows), Money.zero(total.currency))
        assert sum(r.invoices for r in rows) == total.invoices == len(items)
        for row in (*rows, total):
            assert {a.currency for a in row.amounts} == {total.currency}
    assert sum(t.invoices for t in report.totals) == len(report.items)


@settings(max_examples=min(50, settings().max_examples))
@given(invoices=st.lists(dunnable_invoices(), max_size=4, unique_by=lambda i: i.id))
def test_every_open_invoice_is_reported_once_law(invoices: list[Invoice]) -> None:
    """Law: on the last day anything happened, the report lists exactly the invoices with
    something open, each with its open amount."""
    day = max((i.history[-1].on for i in invoices), default=TODAY)
    report = ageing(invoices, today=day)
    assert [(i.invoice_id, i.open_amount) for i in report.items] == [
        (i.id, i.open_amount) for i in invoices if i.issue_date <= day
    ]
