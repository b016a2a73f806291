"""Notebook displays: HTML tables that escape what they show, and typed pandas and polars
frames (dates as dates, amounts as Decimal, never float) for schedules, comparisons and
ageing reports; a missing extra is named."""

from __future__ import annotations

import datetime as dt
import html
import re
import sys
from decimal import Decimal

import attrs
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings

from builders import SEED_RULES, eur
from dunlib import (
    CreditNote,
    Customer,
    Invoice,
    Money,
    Pause,
    Payment,
    Resume,
    ageing,
    compare,
    simulate,
)
from dunlib.analytics import AgeingReport, Schedule
from dunlib.core import MissingExtraError
from dunlib.strategies import ageing_reports, schedules

NASTY = Customer(id="C-<1>", name="<script>alert('x')</script>")
UNTIL = dt.date(2026, 7, 31)


def nasty_invoice(number: str = "RE-1 & <b>2</b>") -> Invoice:
    """The seed invoice for a customer named <script> with an invoice number holding &."""
    return Invoice.sent(
        number=number,
        customer=NASTY,
        gross=eur("119.00"),
        issue_date=dt.date(2026, 4, 26),
        due_date=dt.date(2026, 5, 10),
    )


def story() -> Schedule:
    """Seed ladder, paused and resumed, half paid, credited: every kind of row."""
    events = (
        Pause(on=dt.date(2026, 5, 25)),
        Payment(on=dt.date(2026, 5, 30), amount=eur("59.50")),
        Resume(on=dt.date(2026, 6, 1)),
        CreditNote(id="GS-<1>", on=dt.date(2026, 6, 5), amount=eur("10.00")),
    )
    return simulate(nasty_invoice(), SEED_RULES, until=UNTIL, events=events)


def cells(markup: str) -> list[list[str]]:
    """The unescaped texts of the table's rows (header first)."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", markup, flags=re.S)
    return [
        [html.unescape(text) for text in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


# -- HTML -------------------------------------------------------------------------------


def test_schedule_html_is_a_table_of_every_row_with_nothing_unescaped() -> None:
    """The schedule's HTML holds one table with a row per document, event and escalation
    (the same rows as str()); the customer's <script> and the & of the number are text."""
    schedule = story()
    markup = schedule._repr_html_()
    assert markup.count("<table") == 1
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in markup
    assert "RE-1 &amp; &lt;b&gt;2&lt;/b&gt;" in markup
    assert "<b>" not in markup
    assert cells(markup) == [list(row) for row in schedule.rows()]
    assert len(cells(markup)) == 1 + len(schedule) + len(schedule.events)
    for entry in schedule:
        assert any(row[0] == entry.on.isoformat() and row[2] == str(entry.level)
                   for row in cells(markup))  # fmt: skip


def test_comparison_and_ageing_html_escape_too() -> None:
    """Comparison and ageing report: every row in the table, every text escaped."""
    comparison = compare(nasty_invoice(), SEED_RULES, SEED_RULES, UNTIL, labels=("<i>", "&"))
    markup = comparison._repr_html_()
    assert "<i>" not in markup
    assert "<script>" not in markup
    assert cells(markup) == [list(row) for row in comparison.rows()]
    report = ageing([nasty_invoice(), nasty_invoice("RE-2")], today=UNTIL, sales=[eur("1.00")],
                    period_days=30)  # fmt: skip
    markup = report._repr_html_()
    assert "<script>" not in markup
    assert cells(markup) == [list(row) for row in report.table()]
    assert '<tr style="font-weight: bold">' in markup  # the total
    assert "<p>DSO EUR: 7140.0 days" in markup


@settings(max_examples=min(50, settings().max_examples))
@given(schedule=schedules())
def test_html_shows_every_row_of_any_schedule_law(schedule: Schedule) -> None:
    """Law: the HTML table of any schedule has exactly the rows of its text table."""
    assert cells(schedule._repr_html_()) == [list(row) for row in schedule.rows()]


# -- frames -----------------------------------------------------------------------------


def test_schedule_frames_have_one_typed_row_per_entry() -> None:
    """pandas: dates as datetime.date, amounts as Decimal (object columns), levels int64;
    polars: Date, Decimal(38, 2), Int64. One row per entry, in order, never a float."""
    schedule = story()
    frame = schedule.to_pandas()
    assert list(frame.columns) == [
        "invoice_id", "invoice_number", "customer_id", "on", "level", "stage_number", "kind",
        "fee", "due_date", "open_amount", "currency",
    ]  # fmt: skip
    assert len(frame) == len(schedule)
    assert list(frame["on"]) == [entry.on for entry in schedule]
    assert all(type(day) is dt.date for day in frame["due_date"])
    assert list(frame["open_amount"]) == [entry.open_amount.amount for entry in schedule]
    assert all(type(amount) is Decimal for amount in (*frame["fee"], *frame["open_amount"]))
    assert str(frame["level"].dtype) == "int64"
    assert not any(str(dtype).startswith("float") for dtype in frame.dtypes)
    polars = schedule.to_polars()
    assert polars.height == len(schedule)
    assert polars.schema["on"] == pl.Date
    assert polars.schema["open_amount"] == pl.Decimal(38, 2)
    assert polars.schema["level"] == pl.Int64
    assert polars["open_amount"].to_list() == [e.open_amount.amount for e in schedule]
    assert polars["invoice_number"].to_list() == ["RE-1 & <b>2</b>"] * len(schedule)


def test_comparison_frames_have_one_row_per_level() -> None:
    """Levels one side lacks are None there; the shift is a nullable integer."""
    short = attrs.evolve(SEED_RULES, stages=SEED_RULES.stages[:2])
    comparison = compare(nasty_invoice(), short, SEED_RULES, UNTIL)
    frame = comparison.to_pandas()
    assert list(frame["level"]) == [1, 2, 3, 4]
    assert list(frame["a_on"])[2:] == [None, None]
    assert frame["b_fee"].iloc[3] == Decimal("5.00")
    assert str(frame["shift_days"].dtype) == "Int64"
    assert frame["shift_days"].isna().tolist() == [False, False, True, True]
    polars = comparison.to_polars()
    assert polars.schema["b_open_amount"] == pl.Decimal(38, 2)
    assert polars["a_on"].to_list()[:2] == [dt.date(2026, 5, 24), dt.date(2026, 5, 31)]


def test_ageing_frames_by_customer_invoice_and_currency() -> None:
    """One row per customer and currency, per invoice or per currency (with the DSO); the
    polars scale is the largest minor unit among the currencies (KWD: 3)."""
    kwd = Invoice.sent(number="K-1", customer=NASTY, gross=Money("1.234", "KWD"),
                       issue_date=dt.date(2026, 4, 1))  # fmt: skip
    report = ageing([nasty_invoice(), kwd], today=UNTIL, sales=[eur("119.00")], period_days=30)
    by_customer = report.to_pandas()
    assert list(by_customer["currency"]) == ["EUR", "KWD"]
    assert list(by_customer["over 90"]) == [Decimal("0.00"), Decimal("1.234")]
    assert list(by_customer["61-90"]) == [Decimal("119.00"), Decimal("0.000")]
    by_invoice = report.to_pandas(by="invoice")
    assert list(by_invoice["bucket"]) == ["61-90", "over 90"]
    assert all(type(day) is dt.date for day in by_invoice["due_date"])
    by_currency = report.to_polars(by="currency")
    assert by_currency.schema["total"] == pl.Decimal(38, 3)
    assert by_currency["total"].to_list() == [Decimal("119.000"), Decimal("1.234")]
    assert by_currency["dso"].to_list() == [Decimal("30.0"), None]
    assert report.to_polars(by="invoice").schema["days_past_due"] == pl.Int64
    assert isinstance(report.to_pandas(by="currency"), pd.DataFrame)


@settings(max_examples=min(50, settings().max_examples))
@given(report=ageing_reports())
def test_ageing_frames_add_up_like_the_report_law(report: AgeingReport) -> None:
    """Law: the frames carry the report's exact amounts: per currency, the invoice frame's
    open amounts add up to the currency frame's total."""
    by_invoice = report.to_pandas(by="invoice")
    by_currency = report.to_polars(by="currency")
    for currency, total in zip(by_currency["currency"], by_currency["total"], strict=True):
        amounts = by_invoice[by_invoice["currency"] == currency]["open_amount"]
        assert sum(amounts, Decimal(0)) == total == report.total(currency).amount


def test_empty_frames_keep_their_columns_and_types() -> None:
    """A schedule without entries gives empty frames with the same typed columns."""
    empty = simulate(nasty_invoice(), SEED_RULES, until=dt.date(2026, 5, 1))
    assert len(empty.to_pandas()) == 0
    assert empty.to_polars().schema["fee"] == pl.Decimal(38, 2)
    assert ageing([], today=UNTIL).to_polars(by="invoice").height == 0


@pytest.mark.parametrize(("package", "extra"), [("pandas", "pandas"), ("polars", "polars")])
def test_a_missing_extra_is_named(
    monkeypatch: pytest.MonkeyPatch, package: str, extra: str
) -> None:
    """Without pandas (or polars) a frame raises MissingExtraError naming the extra."""
    monkeypatch.setitem(sys.modules, package, None)
    schedule = story()
    with pytest.raises(MissingExtraError, match=rf"dunlib\[{extra}\]") as raised:
        schedule.to_pandas() if package == "pandas" else schedule.to_polars()
    assert raised.value.extra == extra
    assert isinstance(raised.value, ImportError)
