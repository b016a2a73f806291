"""The testing kit's strategies as a test-suite user meets them: events that apply in order,
counts drawn as asked, customers' switches kept, rows of the table, thresholds drawn, and a
typed error naming the argument for every bad argument."""

from __future__ import annotations

import datetime as dt
import doctest
import importlib
import inspect
import pkgutil
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dunlib import (
    Customer,
    CustomerKind,
    DunningRules,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    Status,
    simulate,
)
from dunlib import strategies as ds
from dunlib.analytics.whatif import apply_what_if
from dunlib.core.records import HoldKind
from dunlib.core.transitions import ROWS, Row, RowKind

_CENTS = Decimal("0.02")


@pytest.mark.parametrize(
    "invoices",
    [
        ds.dunnable_invoices(currency="EUR", min_open=_CENTS, max_open=_CENTS, status=None),
        ds.dunnable_invoices(status=None, dunning_enabled=None),
        ds.held_invoices(),
    ],
    ids=["0.02 EUR open", "dunnable", "held"],
)
@given(data=st.data())
def test_what_if_events_apply_one_after_another_and_keep_the_invoice_open(
    invoices: st.SearchStrategy[Invoice], data: st.DataObject
) -> None:
    """Every list of what_if_events() applies in its order (each event after the ones before
    it, as simulate applies them) and leaves something open, even with 0.02 EUR open; and
    simulate takes the list."""
    invoice = data.draw(invoices)
    events = data.draw(ds.what_if_events(invoice=invoice))
    assert [event.on for event in events] == sorted(event.on for event in events)
    booked = invoice
    for event in events:
        booked = apply_what_if(booked, event)
        assert booked.open_amount.is_positive
    last = max([invoice.due_date, *(event.on for event in events)])
    simulate(invoice, DunningRules(stages=()), last, events=events, every=30)


@pytest.mark.parametrize("arguments", [{"min_stages": 2}, {"min_stages": 1, "max_stages": 3}])
def test_dunnable_invoices_refuse_notices_for_the_status_without_notices(
    arguments: dict[str, int],
) -> None:
    """dunnable_invoices(min_stages=2) with the default status SENT (which has no notice) is
    a typed error naming min_stages, never invoices without the notices asked for."""
    with pytest.raises(InvalidValueError, match=r"dunnable_invoices\.min_stages: got"):
        ds.dunnable_invoices(**arguments)  # type: ignore[arg-type]


@given(invoice=ds.dunnable_invoices(status=None, max_stages=0))
def test_dunnable_invoices_draw_at_most_max_notices(invoice: Invoice) -> None:
    """With status None, max_stages=0 draws invoices without notices (SENT), as asked."""
    assert invoice.issued_stages == ()
    assert invoice.status is Status.SENT


@given(invoice=st.one_of(ds.dunned_invoices(), ds.receivable_invoices(), ds.closed_invoices()))
def test_dunned_receivable_and_closed_invoices_keep_the_customers_switches(
    invoice: Invoice,
) -> None:
    """A customer whose dunning is off has no notice and one whose fees are off pays no fee:
    the invoices of dunned_invoices, receivable_invoices and closed_invoices are as dunning
    leaves them."""
    if not invoice.customer.dunning_enabled:
        assert invoice.issued_stages == ()
    if not invoice.customer.fees_enabled:
        assert not invoice.fees.is_positive
        assert not any(notice.fee.is_positive for notice in invoice.issued_stages)


@given(data=st.data())
def test_rows_are_rows_of_the_table_of_the_kinds_asked_for(data: st.DataObject) -> None:
    """rows(kinds=…) draws rows of the transition table of those kinds, and st.from_type(Row)
    draws rows of the table."""
    kinds = data.draw(st.lists(st.sampled_from(RowKind), min_size=1, unique=True).map(tuple))
    row = data.draw(ds.rows(kinds=kinds))
    assert row in ROWS
    assert row.kind in kinds
    assert data.draw(st.from_type(Row)) in ROWS


def test_every_row_of_the_table_is_drawn() -> None:
    """rows() reaches every row of the table (sampled, not filtered)."""
    seen: set[Row] = set()

    @settings(derandomize=True, max_examples=400, database=None)
    @given(row=ds.rows())
    def record(row: Row) -> None:
        seen.add(row)

    record()
    assert seen == set(ROWS)


def _draws(strategy: st.SearchStrategy[Money], count: int) -> Counter[Money]:
    """How often each amount is drawn in ``count`` examples (each example drawn with a number
    beside it, so that Hypothesis does not skip an amount it has drawn before)."""
    seen: Counter[Money] = Counter()

    @settings(derandomize=True, max_examples=count, database=None)
    @given(money=strategy, _=st.integers())
    def record(money: Money, _: int) -> None:
        seen[money] += 1

    record()
    return seen


@pytest.mark.parametrize(
    "strategy",
    [
        ds.amounts(currency="EUR", max_value=100_000, around=(Decimal("49.99"),)),
        ds.dunnable_invoices(currency="EUR", around=(Decimal("49.99"),)).map(
            lambda invoice: invoice.open_amount
        ),
    ],
    ids=["amounts", "dunnable_invoices"],
)
def test_a_threshold_in_around_and_its_neighbours_are_each_drawn_in_one_draw_in_thirty(
    strategy: st.SearchStrategy[Money],
) -> None:
    """around=(49.99,) draws 49.99, 49.98 and 50.00 EUR each in at least one draw in thirty
    (240 draws, derandomized): the threshold and its neighbours are drawn, not merely likely
    to be."""
    seen = _draws(strategy, 240)
    total = sum(seen.values())
    for value in ("49.98", "49.99", "50.00"):
        assert seen[Money(value, "EUR")] >= total / 30, (value, seen[Money(value, "EUR")], total)


# -- every argument of every strategy ----------------------------------------------------


_REQUIRED: dict[str, dict[str, object]] = {
    "payment_splits": {"total": Money(1, "EUR")},
    "what_if_events": {
        "invoice": Invoice.sent(
            number="RE-1",
            customer=Customer(id="C-1", name="ACME GmbH"),
            gross=Money(100, "EUR"),
            issue_date=dt.date(2026, 5, 4),
        )
    },
}
"""Valid values of the arguments a strategy requires, beside the one a test makes bad."""


def _parameters() -> list[tuple[str, str]]:
    return [
        (name, parameter)
        for name in ds.__all__
        for parameter in inspect.signature(getattr(ds, name)).parameters
    ]


@pytest.mark.parametrize(
    ("name", "parameter"), _parameters(), ids=[".".join(pair) for pair in _parameters()]
)
def test_every_argument_of_every_strategy_refuses_a_value_of_the_wrong_type(
    name: str, parameter: str
) -> None:
    """Each argument of each public strategy, given a value no argument takes, is refused
    when the strategy is built with a typed error naming strategy.argument and the value."""
    factory: Callable[..., object] = getattr(ds, name)
    with pytest.raises(InvalidTypeError, match=rf"^{name}\.{parameter}: got <object object"):
        factory(**{**_REQUIRED.get(name, {}), parameter: object()})


@pytest.mark.parametrize("name", sorted(set(ds.__all__) - {"registered"}))
def test_every_strategy_refuses_an_argument_it_does_not_take(name: str) -> None:
    """A keyword a strategy does not take, or a positional argument, is a typed error naming
    the strategy and what it takes, not a bare TypeError."""
    factory: Callable[..., object] = getattr(ds, name)
    calls: tuple[Callable[[], object], ...] = (
        lambda: factory(flavour="spicy"),
        lambda: factory("EUR", "spicy"),
    )
    for call in calls:
        with pytest.raises(InvalidTypeError, match=rf"^{name}: got .*; expected keyword"):
            call()


_BAD: list[tuple[Callable[[], object], str]] = [
    (lambda: ds.amounts(around=[Decimal("49.99")]), "amounts.around"),  # type: ignore[arg-type]
    (lambda: ds.amounts(around=(1.5,)), "amounts.around"),  # type: ignore[arg-type]
    (lambda: ds.amounts(max_value=Decimal("NaN")), "amounts.max_value"),
    (lambda: ds.amounts(min_value=True), "amounts.min_value"),
    (lambda: ds.amounts(currency="eur"), "amounts.currency"),
    (lambda: ds.customers(kind="business"), "customers.kind"),  # type: ignore[arg-type]
    (lambda: ds.customers(dunning_enabled=1), "customers.dunning_enabled"),  # type: ignore[arg-type]
    (lambda: ds.dunnable_invoices(min_payments=3), "dunnable_invoices.min_payments"),
    (
        lambda: ds.dunnable_invoices(min_due_date=dt.date(2035, 1, 1)),
        "dunnable_invoices.min_due_date",
    ),
    (
        lambda: ds.dunnable_invoices(min_issue_date=dt.date(2031, 1, 1)),
        "dunnable_invoices.min_issue_date",
    ),
    (
        lambda: ds.dunnable_invoices(
            min_due_date=dt.date(2026, 6, 1), max_due_date=dt.date(2026, 5, 1)
        ),
        "dunnable_invoices.min_due_date",
    ),
    (lambda: ds.dunnable_invoices(min_open=0), "dunnable_invoices.min_open"),
    (lambda: ds.dunnable_invoices(min_open=60, max_open=50), "dunnable_invoices.min_open"),
    (lambda: ds.dunnable_invoices(around=(Decimal("0.001"),)), "dunnable_invoices.around"),
    (
        lambda: ds.dunnable_invoices(max_issue_date=dt.datetime(2026, 1, 1)),
        "dunnable_invoices.max_issue_date",
    ),
    (lambda: ds.dunnable_invoices(status=Status.PAID), "dunnable_invoices.status"),
    (lambda: ds.dunnable_invoices(max_stages=-1), "dunnable_invoices.max_stages"),
    (lambda: ds.dunning_rules(min_active=6), "dunning_rules.min_active"),
    (lambda: ds.dunning_rules(min_stages=6), "dunning_rules.min_stages"),
    (lambda: ds.dates(min_value=dt.date(2031, 1, 1)), "dates.min_value"),
    (lambda: ds.payments(max_value=0), "payments.max_value"),
    (lambda: ds.credit_notes(currency="JPY", max_value=0), "credit_notes.max_value"),
    (lambda: ds.bank_transactions(min_value=0), "bank_transactions.min_value"),
    (lambda: ds.issued_stages(level=0), "issued_stages.level"),
    (lambda: ds.holds(kinds=()), "holds.kinds"),
    (lambda: ds.holds(kinds=(HoldKind.DISPUTE, "dispute")), "holds.kinds"),  # type: ignore[arg-type]
    (lambda: ds.invoices(status=Status.DUNNED), "invoices.status"),
    (lambda: ds.receivable_invoices(status=Status.PAID), "receivable_invoices.status"),
    (lambda: ds.payment_splits(total=Money(1, "EUR"), min_size=3, max_size=2), "min_size"),
    (lambda: ds.rows(kinds=(RowKind.STEP, CustomerKind.BUSINESS)), "rows.kinds"),  # type: ignore[arg-type]
    (lambda: ds.schedules(every=0), "schedules.every"),
]


@pytest.mark.parametrize(("build", "field"), _BAD, ids=[field for _, field in _BAD])
def test_bad_arguments_are_typed_errors_naming_the_argument(
    build: Callable[[], object], field: str
) -> None:
    """Bad values the QA engineer met (a list for around, a string kind, a minimum above
    the maximum, a due date no issue date reaches) and their kin are refused when the
    strategy is built with a dunlib error naming the argument given, never a bare
    TypeError or KeyError nor another argument's name."""
    with pytest.raises(InvalidValueError) as caught:
        build()
    assert field in str(caught.value).partition(":")[0]


# -- the kit's docstrings ----------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    sorted(info.name for info in pkgutil.iter_modules(ds.__path__, "dunlib.strategies.")),
)
def test_docstring_examples_of_every_strategies_module_run(module: str) -> None:
    """The examples in the docstrings of every module of the strategies package run."""
    loaded: Any = importlib.import_module(module)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    assert doctest.testmod(loaded, optionflags=flags).failed == 0
