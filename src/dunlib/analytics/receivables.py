"""The receivables ageing report: open amounts by how long they are past due.

:func:`ageing` looks at a list of invoices on one day and puts each invoice's open
amount into a bucket by the days since its due date:

- **not due**: due today or later (0 days past due or fewer);
- then one bucket per bound of ``buckets`` (days past due, each bound inclusive): the
  default ``(30, 60, 90)`` gives **1-30**, **31-60**, **61-90**;
- and **over 90** (over the last bound).

Which invoices count: every booked invoice (3 SENT and later; drafts are no receivables)
as it stood at the end of ``today`` (:func:`dunlib.as_of`: bookings dated later do not
count, and an invoice issued after ``today`` is left out), with an open amount other than
zero. The open amount includes dunning fees and interest charged; it is bucketed by the
invoice's own due date (a reminder's deadline does not make a claim younger). A negative
open amount (a credit balance) is listed as it is, so the buckets always add up.

Totals are per customer and currency (:attr:`AgeingReport.rows`) and per currency
(:attr:`AgeingReport.totals`); amounts of two currencies are never added. The law
(tests/test_receivables.py): for each currency the buckets add up exactly to the total
open amount of its invoices, and the customers' rows add up to the currency's total.

**Days sales outstanding.** Given the sales of a period (one amount per currency) and the
period's length in days, ``DSO = open receivables on today / sales of the period x days
of the period``, per currency, rounded half-up to one decimal place (the only rounding
here; a DSO is a number of days, not money). With sales of zero the DSO is undefined
(None).

An :class:`AgeingReport` prints as a table, shows as HTML in a notebook, exports to
pandas and polars (one row per customer and currency, per invoice, or per currency:
``by="customer" | "invoice" | "currency"``) and plots as stacked bars
(:func:`dunlib.analytics.ageing_chart`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from dunlib.analytics._frames import (
    Column,
    Kind,
    amount_scale,
    html_table,
    pandas_frame,
    polars_frame,
)
from dunlib.core import validate as v
from dunlib.core.dates import as_date, days_between
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, sum_money
from dunlib.core.records import Customer
from dunlib.workflow.audit import as_of

if TYPE_CHECKING:
    import pandas
    import polars
    from matplotlib.figure import Figure

__all__ = ["DEFAULT_BUCKETS", "AgeingItem", "AgeingReport", "AgeingRow", "ageing"]

DEFAULT_BUCKETS: tuple[int, ...] = (30, 60, 90)
"""The usual bounds (days past due, inclusive): not due, 1-30, 31-60, 61-90, over 90."""

_MAX_BUCKETS = 20
_DSO = Context(prec=60, rounding=ROUND_HALF_UP)
_TENTH = Decimal("0.1")


def _bounds(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    expected = (
        f"a tuple of at most {_MAX_BUCKETS} whole numbers of days, each above 0 and above "
        "the one before (the inclusive upper bounds of the past-due buckets)"
    )
    if not isinstance(value, tuple) or len(value) > _MAX_BUCKETS:
        raise InvalidValueError(v.field_name(instance, attribute), value, expected)
    previous = 0
    for bound in value:
        if isinstance(bound, bool) or not isinstance(bound, int) or bound <= previous:
            raise InvalidValueError(v.field_name(instance, attribute), value, expected)
        previous = bound


def _labels(bounds: tuple[int, ...]) -> tuple[str, ...]:
    labels = ["not due"]
    low = 1
    for bound in bounds:
        labels.append(str(bound) if bound == low else f"{low}-{bound}")
        low = bound + 1
    labels.append(f"over {bounds[-1]}" if bounds else "past due")
    return tuple(labels)


def _bucket(bounds: tuple[int, ...], days: int) -> int:
    if days <= 0:
        return 0
    for index, bound in enumerate(bounds, start=1):
        if days <= bound:
            return index
    return len(bounds) + 1


@attrs.frozen(kw_only=True)
class AgeingItem:
    """One invoice in an ageing report: its ``open_amount`` on the report's day, its
    ``due_date`` and how many ``days_past_due`` that is (0 or fewer: not due yet)."""

    invoice_id: str = attrs.field(validator=v.non_empty_text)
    number: str = attrs.field(validator=v.text)
    customer: Customer = attrs.field(validator=v.of_type(Customer, expected="a Customer"))
    due_date: _dt.date = attrs.field(validator=v.calendar_date)
    days_past_due: int = attrs.field(validator=v.of_type(int, expected="a whole number of days"))
    open_amount: Money = attrs.field(validator=v.money)

    @property
    def currency(self) -> str:
        """The currency of the open amount."""
        return self.open_amount.currency


@attrs.frozen(kw_only=True)
class AgeingRow:
    """The open amounts of one customer (or, with ``customer`` None, of every customer) in
    one currency: ``amounts`` one per bucket (in the report's order), over ``invoices``
    invoices."""

    customer: Customer | None = attrs.field(
        validator=v.optional(v.of_type(Customer, expected="a Customer"))
    )
    currency: str = attrs.field(validator=v.non_empty_text)
    invoices: int = attrs.field(validator=v.non_negative_int)
    amounts: tuple[Money, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(Money, "Money")
    )

    @property
    def customer_name(self) -> str:
        """The customer's name ("all customers" for a currency's total)."""
        return "all customers" if self.customer is None else self.customer.name

    @property
    def total(self) -> Money:
        """The row's buckets added up."""
        return sum_money(self.amounts, self.currency)


def _sales(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(Money, "Money")(instance, attribute, value)
    codes = [amount.currency for amount in value]
    if len(set(codes)) != len(codes) or any(amount.is_negative for amount in value):
        raise InvalidValueError(
            v.field_name(instance, attribute),
            value,
            "sales of zero or more, at most one amount per currency",
        )


@attrs.frozen(kw_only=True)
class AgeingReport:
    """The receivables ageing report of :func:`ageing` (see the module docs).

    ``today`` is the report's day, ``bounds`` the buckets' inclusive upper bounds in days
    past due, ``items`` the invoices with something open (in the order given),
    ``sales`` the period's sales per currency and ``period_days`` the period's length
    (None without sales). :attr:`rows`, :attr:`totals` and :attr:`dso` are derived.
    """

    today: _dt.date = attrs.field(validator=v.calendar_date)
    bounds: tuple[int, ...] = attrs.field(default=DEFAULT_BUCKETS, validator=_bounds)
    items: tuple[AgeingItem, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(AgeingItem, "AgeingItem")
    )
    sales: tuple[Money, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_sales)
    period_days: int | None = attrs.field(default=None, validator=v.optional(v.positive_int))

    def __attrs_post_init__(self) -> None:
        if bool(self.sales) != (self.period_days is not None):
            raise InvalidValueError(
                "AgeingReport.period_days",
                self.period_days,
                "the length of the sales period in days (>= 1) exactly when sales are given",
            )

    @property
    def labels(self) -> tuple[str, ...]:
        """The buckets' names: "not due", "1-30", …, "over 90"."""
        return _labels(self.bounds)

    def bucket(self, item: AgeingItem) -> int:
        """The index (into :attr:`labels`) of the bucket ``item`` falls into."""
        if not isinstance(item, AgeingItem):
            raise InvalidTypeError("AgeingReport.bucket.item", item, "an AgeingItem")
        return _bucket(self.bounds, item.days_past_due)

    @property
    def currencies(self) -> tuple[str, ...]:
        """The currencies with something open, sorted."""
        return tuple(sorted({item.currency for item in self.items}))

    def _row(self, customer: Customer | None, currency: str, items: list[AgeingItem]) -> AgeingRow:
        buckets = [Money.zero(currency)] * len(self.labels)
        for item in items:
            index = self.bucket(item)
            buckets[index] = buckets[index] + item.open_amount
        return AgeingRow(customer=customer, currency=currency, invoices=len(items), amounts=buckets)

    @cached_property
    def rows(self) -> tuple[AgeingRow, ...]:
        """One row per customer and currency: by currency, then customer name and id."""
        groups: dict[tuple[str, str], list[AgeingItem]] = {}
        customers: dict[str, Customer] = {}
        for item in self.items:
            customers.setdefault(item.customer.id, item.customer)
            groups.setdefault((item.currency, item.customer.id), []).append(item)
        keys = sorted(groups, key=lambda k: (k[0], customers[k[1]].name, k[1]))
        return tuple(self._row(customers[key[1]], key[0], groups[key]) for key in keys)

    @cached_property
    def totals(self) -> tuple[AgeingRow, ...]:
        """One row per currency (``customer`` None), sorted by currency."""
        return tuple(
            self._row(None, code, [item for item in self.items if item.currency == code])
            for code in self.currencies
        )

    def rows_of(self, currency: str) -> tuple[AgeingRow, ...]:
        """The customers' rows in ``currency``."""
        return tuple(row for row in self.rows if row.currency == currency)

    def total(self, currency: str) -> Money:
        """The total open amount in ``currency`` (zero when nothing is open in it)."""
        if not isinstance(currency, str):
            raise InvalidTypeError("AgeingReport.total.currency", currency, "a currency code")
        return sum_money(
            (item.open_amount for item in self.items if item.currency == currency), currency
        )

    @property
    def dso(self) -> Mapping[str, Decimal | None]:
        """Days sales outstanding per currency of :attr:`sales`: open on ``today`` / sales x
        ``period_days``, rounded half-up to one decimal; None where the sales are zero."""
        result: dict[str, Decimal | None] = {}
        for sold in self.sales:
            if sold.is_zero or self.period_days is None:
                result[sold.currency] = None
                continue
            open_amount = self.total(sold.currency).amount
            ratio = _DSO.divide(_DSO.multiply(open_amount, self.period_days), sold.amount)
            result[sold.currency] = ratio.quantize(_TENTH, ROUND_HALF_UP, _DSO)
        return MappingProxyType(result)

    # -- display -----------------------------------------------------------------------

    def table(self) -> tuple[tuple[str, ...], ...]:
        """The printed table's rows, header first: each currency's customers, then its
        total ("all customers")."""
        return self._table()[0]

    def _table(self) -> tuple[tuple[tuple[str, ...], ...], list[int]]:
        """The table's rows and the indices (among the rows after the header) of totals."""
        header = ("customer", "currency", "invoices", *self.labels, "total")
        rows: list[tuple[str, ...]] = [header]
        totals: list[int] = []
        for total in self.totals:
            for row in (*self.rows_of(total.currency), total):
                rows.append(
                    (
                        row.customer_name,
                        row.currency,
                        str(row.invoices),
                        *(str(amount.amount) for amount in row.amounts),
                        str(row.total.amount),
                    )
                )
            totals.append(len(rows) - 2)
        return tuple(rows), totals

    def _title(self) -> str:
        return f"Receivables ageing on {self.today.isoformat()}"

    def _notes(self) -> list[str]:
        notes = []
        dso = self.dso
        for sold in self.sales:
            days = dso[sold.currency]
            shown = "undefined, no sales" if days is None else f"{days} days"
            notes.append(
                f"DSO {sold.currency}: {shown} (open {self.total(sold.currency)} / "
                f"sales {sold} x {self.period_days} days)"
            )
        return notes

    def __str__(self) -> str:
        rows = self.table()
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

        def line(row: tuple[str, ...]) -> str:
            return "  ".join(
                cell.ljust(width) if i < 2 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()

        rule = "  ".join("-" * width for width in widths)
        body = [line(row) for row in rows[1:]] or ["(nothing open)"]
        return "\n".join([self._title(), line(rows[0]), rule, *body, *self._notes()])

    def _repr_html_(self) -> str:
        """The table as HTML (what a notebook shows), every text escaped; totals in bold."""
        rows, strong = self._table()
        return html_table(
            css_class="dunlib-ageing",
            caption=self._title(),
            header=rows[0],
            rows=rows[1:],
            right=range(2, len(rows[0])),
            strong=strong,
            notes=self._notes(),
        )

    # -- frames and plot ---------------------------------------------------------------

    def _columns(self, by: str) -> tuple[Column, ...]:
        if by == "invoice":
            items = self.items
            return (
                Column("invoice_id", Kind.TEXT, tuple(i.invoice_id for i in items)),
                Column("invoice_number", Kind.TEXT, tuple(i.number for i in items)),
                Column("customer_id", Kind.TEXT, tuple(i.customer.id for i in items)),
                Column("customer", Kind.TEXT, tuple(i.customer.name for i in items)),
                Column("currency", Kind.TEXT, tuple(i.currency for i in items)),
                Column("due_date", Kind.DATE, tuple(i.due_date for i in items)),
                Column("days_past_due", Kind.INT, tuple(i.days_past_due for i in items)),
                Column("bucket", Kind.TEXT, tuple(self.labels[self.bucket(i)] for i in items)),
                Column("open_amount", Kind.AMOUNT, tuple(i.open_amount.amount for i in items)),
            )
        if by == "customer":
            rows = self.rows
            first: tuple[Column, ...] = (
                Column("customer_id", Kind.TEXT, tuple(r.customer.id for r in rows if r.customer)),
                Column("customer", Kind.TEXT, tuple(r.customer_name for r in rows)),
            )
        elif by == "currency":
            rows = self.totals
            first = ()
        else:
            raise InvalidValueError("AgeingReport.by", by, "'customer', 'invoice' or 'currency'")
        columns = (
            *first,
            Column("currency", Kind.TEXT, tuple(r.currency for r in rows)),
            Column("invoices", Kind.INT, tuple(r.invoices for r in rows)),
            *(
                Column(label, Kind.AMOUNT, tuple(r.amounts[i].amount for r in rows))
                for i, label in enumerate(self.labels)
            ),
            Column("total", Kind.AMOUNT, tuple(r.total.amount for r in rows)),
        )
        if by == "currency" and self.sales:
            dso = self.dso
            columns = (*columns, Column("dso", Kind.DAYS, tuple(dso.get(r.currency) for r in rows)))
        return columns

    def to_pandas(self, by: str = "customer") -> pandas.DataFrame:
        """The report as a pandas frame (extra ``dunlib[pandas]``): one row per customer and
        currency (``by="customer"``), per invoice (``"invoice"``) or per currency
        (``"currency"``, with the DSO where sales were given). Amounts are exact
        :class:`~decimal.Decimal` values, dates :class:`datetime.date`; never floats."""
        return pandas_frame(self._columns(by))

    def to_polars(self, by: str = "customer") -> polars.DataFrame:
        """As :meth:`to_pandas`, as a polars frame (extra ``dunlib[polars]``): amounts as
        ``pl.Decimal`` with the largest minor unit among the currencies as scale."""
        return polars_frame(self._columns(by), scale=amount_scale(self.currencies))

    def plot(self, *, top: int = 10) -> Figure:
        """The report as stacked bars (extra ``dunlib[plot]``; see
        :func:`dunlib.analytics.ageing_chart`); returned, never shown."""
        from dunlib.analytics.plots import ageing_chart

        return ageing_chart(self, top=top)


def _checked_invoices(invoices: Any) -> list[Invoice]:
    if isinstance(invoices, str | bytes | Mapping) or not isinstance(invoices, Iterable):
        raise InvalidTypeError("ageing.invoices", invoices, "a list of Invoices")
    items = v.items_of(invoices, Invoice, "ageing.invoices", "an Invoice")
    seen: set[str] = set()
    for index, invoice in enumerate(items):
        if invoice.id in seen:
            raise InvalidValueError(
                f"ageing.invoices[{index}].id",
                invoice.id,
                f"distinct invoice ids (invoice {invoice.known_as} twice)",
            )
        seen.add(invoice.id)
    return items


def ageing(
    invoices: Iterable[Invoice],
    *,
    today: _dt.date,
    buckets: Sequence[int] = DEFAULT_BUCKETS,
    sales: Iterable[Money] = (),
    period_days: int | None = None,
) -> AgeingReport:
    """The receivables ageing report of ``invoices`` on ``today`` (see the module docs).

    ``buckets`` are the inclusive upper bounds, in days past due, of the buckets between
    "not due" and the last ("over" the last bound). ``sales`` are the period's sales, at
    most one amount per currency, and ``period_days`` the period's length; with both,
    :attr:`AgeingReport.dso` gives the days sales outstanding.
    """
    day = as_date(today, "ageing.today")
    checked = _checked_invoices(invoices)
    if isinstance(buckets, str | bytes) or not isinstance(buckets, Sequence):
        raise InvalidTypeError("ageing.buckets", buckets, "a sequence of whole numbers of days")
    if isinstance(sales, str | bytes | Mapping) or not isinstance(sales, Iterable):
        raise InvalidTypeError("ageing.sales", sales, "a list of Money, one per currency")
    items: list[AgeingItem] = []
    for invoice in checked:
        if not invoice.status.is_booked or invoice.issue_date > day:
            continue
        then = as_of(invoice, today=day)
        if then.open_amount.is_zero:
            continue
        items.append(
            AgeingItem(
                invoice_id=then.id,
                number=then.number,
                customer=then.customer,
                due_date=then.due_date,
                days_past_due=days_between(then.due_date, day),
                open_amount=then.open_amount,
            )
        )
    return AgeingReport(
        today=day,
        bounds=tuple(buckets),
        items=tuple(items),
        sales=tuple(v.items_of(sales, Money, "ageing.sales", "a Money")),
        period_days=period_days,
    )
