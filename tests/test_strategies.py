"""The public Hypothesis strategies produce valid values and are registered for from_type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.internal.conjecture.data import Status as DataStatus

from builders import EXPORTED
from dunlib import (
    BankTransaction,
    CreditNote,
    Customer,
    CustomerKind,
    HistoryEntry,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    Pause,
    Payment,
    PaymentTerms,
    Resume,
    Status,
)
from dunlib import strategies as ds
from dunlib.core import EventKind, InterestCharge, IssuedStage, sum_money
from dunlib.core.numbering import NumberSequence
from dunlib.strategies import (
    _hypothesis_setup_hook,
    actors,
    amounts,
    authorities,
    bank_transactions,
    closed_invoices,
    credit_notes,
    dunnable_invoices,
    dunned_invoices,
    history_entries,
    interest_charges,
    invoices,
    issued_stages,
    number_sequences,
    payment_splits,
    receivable_invoices,
    sent_invoices,
)
from dunlib.workflow.steps import Actor, Authority


@given(invoice=sent_invoices(currency="JPY"))
def test_sent_invoices_are_booked(invoice: Invoice) -> None:
    """sent_invoices() gives SENT invoices with a number in the requested currency."""
    assert invoice.status is Status.SENT
    assert invoice.number
    assert invoice.currency == "JPY"


@given(invoice=invoices(status=Status.DRAFT))
def test_drafts_have_no_number_and_no_payments(invoice: Invoice) -> None:
    """Drafts carry no invoice number and no payments."""
    assert invoice.number == ""
    assert invoice.payments == ()


@given(money=amounts(currency="KWD", min_value=1, max_value=2))
def test_amounts_respect_bounds(money: Money) -> None:
    """amounts() stays within its inclusive bounds and currency."""
    assert money.currency == "KWD"
    assert Money(1, "KWD") <= money <= Money(2, "KWD")


_hypothesis_setup_hook()


@given(data=st.data())
def test_types_are_registered_for_from_type(data: st.DataObject) -> None:
    """After the entry-point hook, st.from_type builds every registered dunlib type."""
    cls = data.draw(
        st.sampled_from(
            (
                Money,
                Customer,
                LineItem,
                PaymentTerms,
                Invoice,
                Actor,
                Authority,
                NumberSequence,
            )
        )
    )
    assert isinstance(data.draw(st.from_type(cls)), cls)


@given(invoice=dunned_invoices(currency="EUR"))
def test_dunned_invoices_carry_notices_in_order_and_stay_valid(invoice: Invoice) -> None:
    """dunned_invoices() gives DUNNED invoices with levels 1, 2, … at rising dates after the due
    date, one history entry per notice, and never more settled than is due."""
    assert invoice.status is Status.DUNNED
    assert [notice.level for notice in invoice.issued_stages] == list(
        range(1, len(invoice.issued_stages) + 1)
    )
    days = [notice.on for notice in invoice.issued_stages]
    assert days == sorted(days)
    assert days[0] > invoice.due_date
    dunning_entries = [e for e in invoice.history if e.kind is EventKind.STAGE_ISSUED]
    assert [entry.on for entry in dunning_entries] == days
    assert invoice.settled <= invoice.total_due


@given(data=st.data())
def test_new_value_strategies_are_registered_for_from_type(data: st.DataObject) -> None:
    """History entries, credit notes, interest charges and notices are registered too."""
    cls = data.draw(st.sampled_from((HistoryEntry, CreditNote, InterestCharge, IssuedStage)))
    assert isinstance(data.draw(st.from_type(cls)), cls)


@given(notice=issued_stages(currency="JPY", level=2), note=credit_notes(max_value=1))
def test_notices_and_credit_notes_respect_their_arguments(
    notice: IssuedStage, note: CreditNote
) -> None:
    """issued_stages(level=, currency=) and credit_notes(max_value=) keep to their arguments."""
    assert notice.level == 2
    assert notice.fee.currency == "JPY"
    assert notice.due_date >= notice.on
    assert Money("0.01", "EUR") <= note.amount <= Money(1, "EUR")


@given(entry=history_entries(), charge=interest_charges(currency="KWD"))
def test_history_entries_and_interest_charges_are_valid(
    entry: HistoryEntry, charge: InterestCharge
) -> None:
    """history_entries() and interest_charges() build valid values."""
    assert isinstance(entry.detail, str)
    assert charge.amount.currency == "KWD"
    assert charge.amount.is_positive


@given(actor=actors(automatic=True), policy=authorities(), sequence=number_sequences())
def test_workflow_strategies_build_valid_values(
    actor: Actor, policy: Authority, sequence: NumberSequence
) -> None:
    """actors(), authorities() and number_sequences() give valid workflow values."""
    assert actor.automatic
    assert actor.roles <= {"clerk", "reviewer", "accountant", "automation"}
    assert policy.eyes in (2, 4, 6)
    assert sequence.next_number.startswith(sequence.prefix)


@given(invoice=receivable_invoices())
def test_receivable_invoices_take_payments_and_owe_something(invoice: Invoice) -> None:
    """receivable_invoices() are SENT or DUNNED (DUNNED exactly when notices exist), open > 0."""
    assert invoice.status in (Status.SENT, Status.DUNNED)
    assert (invoice.status is Status.DUNNED) == bool(invoice.issued_stages)
    assert invoice.open_amount.is_positive
    assert all(payment.discount is None for payment in invoice.payments)


@given(data=st.data())
def test_receivable_invoices_refuse_other_states(data: st.DataObject) -> None:
    """Asking for a state that takes no payment is a typed error."""
    with pytest.raises(InvalidValueError, match="receivable_invoices.status"):
        data.draw(receivable_invoices(status=Status.PAID))


@given(data=st.data(), total=amounts(currency="EUR", min_value=Decimal("0.01"), max_value=50))
def test_payment_splits_add_up_exactly(data: st.DataObject, total: Money) -> None:
    """Law: payment_splits() gives positive parts that add up exactly to the total."""
    parts = data.draw(payment_splits(total=total, min_size=2, max_size=4))
    assert all(part.is_positive for part in parts)
    assert sum_money(parts, "EUR") == total
    assert 1 <= len(parts) <= 4


@given(data=st.data())
def test_payment_splits_refuse_nothing(data: st.DataObject) -> None:
    """A total below one minor unit cannot be split into payments."""
    with pytest.raises(InvalidValueError, match="payment_splits.total"):
        data.draw(payment_splits(total=Money("0.00", "EUR")))


@given(data=st.data(), books=st.lists(receivable_invoices(currency="EUR"), max_size=3))
def test_bank_transactions_are_valid_lines(data: st.DataObject, books: list[Invoice]) -> None:
    """bank_transactions() gives non-zero lines in the requested currency."""
    line = data.draw(bank_transactions(invoices=tuple(books)))
    assert isinstance(line, BankTransaction)
    assert line.amount.currency == "EUR"
    assert not line.amount.is_zero


@given(invoice=dunnable_invoices(currency="JPY"))
def test_dunnable_invoices_always_owe_something(invoice: Invoice) -> None:
    """dunnable_invoices() keeps something open, even where rounding a share of a tiny JPY
    gross would reach the whole gross (found by the long profile)."""
    assert invoice.status is Status.SENT
    assert invoice.open_amount.is_positive


def test_bookings_that_would_settle_are_cut_or_left_out() -> None:
    """The strategies book a payment or credit note only as far as it leaves a minor unit
    open: on an invoice with one cent open, both are left out."""
    from dunlib.strategies._common import _booked

    invoice = Invoice.sent(
        number="RE-1",
        customer=Customer(id="C", name="C GmbH"),
        gross=Money("0.01", "EUR"),
        issue_date=dt.date(2026, 4, 1),
    )
    later = dt.date(2026, 4, 2)
    booked = _booked(
        invoice,
        [
            Payment(on=later, amount=Money("5.00", "EUR")),
            CreditNote(id="G", on=later, amount=Money("5.00", "EUR")),
        ],
    )
    assert booked == invoice


def test_closed_invoices_include_cancelled_ones() -> None:
    """closed_invoices draws cancelled invoices (cancelled by a cancelling invoice) too."""
    found = find(
        closed_invoices(),
        lambda invoice: invoice.status is Status.CANCELLED,
        settings=settings(
            derandomize=True, max_examples=2000, database=None, phases=[Phase.generate]
        ),  # the first one found will do: no shrinking
    )
    assert found.status is Status.CANCELLED


# -- every public value class for from_type -----------------------------------------------

PUBLIC_VALUE_CLASSES = sorted(
    {
        obj
        for obj in EXPORTED
        if isinstance(obj, type) and attrs.has(obj) and not issubclass(obj, BaseException)
    },
    key=lambda cls: cls.__name__,
)
"""Every attrs value class dunlib exports (errors aside), from the root and the areas."""


def _realistic(value: object) -> None:
    """What a realistic value of a few classes satisfies beyond its validators."""
    low, high = dt.date(2019, 1, 1), dt.date(2031, 12, 31)
    match value:
        case Payment():
            assert value.amount.is_positive
            assert value.discount is None or value.discount.currency == value.amount.currency
        case Pause() | Resume():
            assert low <= value.on <= high
        case Invoice() if value.status.is_booked:
            assert value.due_date == value.terms.due_date(value.issue_date)
            assert low <= value.issue_date <= high
        case _:
            pass


def test_every_public_value_class_is_registered() -> None:
    """Every attrs class in dunlib.__all__ (new ones included) has a strategy registered
    for st.from_type; the test names any class that has none."""
    assert [cls.__name__ for cls in PUBLIC_VALUE_CLASSES if cls not in ds.registered()] == []


@pytest.mark.parametrize("cls", PUBLIC_VALUE_CLASSES, ids=lambda cls: cls.__name__)
@settings(max_examples=10)
@given(data=st.data())
def test_from_type_draws_valid_realistic_values_of_every_class(
    cls: type, data: st.DataObject
) -> None:
    """st.from_type(cls) draws instances of cls that pass their own validators again
    (attrs.evolve re-runs them) and are realistic: payments positive with a discount in their
    currency, pauses and resumes in this decade, due dates from the payment terms."""
    drawn = data.draw(st.from_type(cls))
    assert isinstance(drawn, cls)
    value: Any = drawn
    assert attrs.evolve(value) == value
    _realistic(value)


# -- constraining the strategies -------------------------------------------------------------


def test_amounts_reach_their_bounds_round_amounts_and_marks() -> None:
    """amounts(min_value=40, max_value=60) draws 40.00, 50.00 and 60.00; marks in around= and a
    minor unit either side are drawn too."""
    quick = settings(derandomize=True, max_examples=500, database=None)
    within = ds.amounts(currency="EUR", min_value=40, max_value=60)
    for target in (Money(40, "EUR"), Money(50, "EUR"), Money(60, "EUR")):
        assert find(within, target.__eq__, settings=quick) == target
    marked = ds.amounts(currency="EUR", min_value=0, max_value=1000, around=(Decimal("49.99"),))
    for target in (Money("49.98", "EUR"), Money("49.99", "EUR"), Money(50, "EUR")):
        assert find(marked, target.__eq__, settings=quick) == target


@given(money=ds.amounts(currency="EUR", min_value=Decimal("0.01"), max_value=100_000))
def test_amounts_spread_over_orders_of_magnitude(money: Money) -> None:
    """Every draw stays within the bounds (the spread itself is measured below)."""
    assert Money("0.01", "EUR") <= money <= Money(100_000, "EUR")


def test_amounts_spread_counts_each_order_of_magnitude() -> None:
    """Of 400 draws from 0.01 to 100000 EUR, every order of magnitude (cents to 100000s)
    gets at least 5 %: small amounts are drawn about as often as large ones."""
    seen: list[int] = []

    @settings(derandomize=True, max_examples=400, database=None)
    @given(money=ds.amounts(currency="EUR", min_value=Decimal("0.01"), max_value=100_000))
    def record(money: Money) -> None:
        seen.append(len(str(int(money.amount * 100))))

    record()
    for digits in range(1, 8):
        assert seen.count(digits) >= 0.05 * len(seen), (digits, seen.count(digits))


@given(
    money=ds.amounts(currency="EUR", min_value=-1000, max_value=Money("-0.01", "EUR")),
    either=ds.amounts(currency="JPY", min_value=-50, max_value=5000),
)
def test_amounts_take_negative_and_money_bounds(money: Money, either: Money) -> None:
    """Bounds may be negative (a cancelling invoice's write-off) and given as Money."""
    assert Money(-1000, "EUR") <= money <= Money("-0.01", "EUR")
    assert Money(-50, "JPY") <= either <= Money(5000, "JPY")


def test_amounts_refuse_bounds_they_cannot_meet() -> None:
    """Bounds the wrong way round, finer than the minor unit or in another currency are
    typed errors when the strategy is built."""
    with pytest.raises(InvalidValueError, match="amounts.min_value"):
        ds.amounts(currency="EUR", min_value=2, max_value=1).example()
    with pytest.raises(InvalidValueError, match="amounts.min_value"):
        ds.amounts(currency="JPY", min_value=Decimal("0.5")).example()
    with pytest.raises(InvalidValueError, match="amounts.around"):
        ds.amounts(currency="EUR", around=(Money(1, "USD"),)).example()


@given(
    customer=ds.customers(
        kind=CustomerKind.CONSUMER, dunning_enabled=False, fees_enabled=True, locale="fr_FR"
    )
)
def test_customers_keep_to_their_arguments(customer: Customer) -> None:
    """customers(kind=, dunning_enabled=, fees_enabled=, locale=) fixes each of them."""
    assert customer.kind is CustomerKind.CONSUMER
    assert (customer.dunning_enabled, customer.fees_enabled) == (False, True)
    assert customer.locale == "fr_FR"


@given(payment=ds.payments(currency="KWD", discount=True))
def test_payments_with_discount_keep_one_currency(payment: Payment) -> None:
    """Discounted payments are positive, their discount in the payment's currency."""
    assert payment.amount.is_positive
    assert payment.discount is not None
    assert payment.discount.currency == "KWD"


_MAY, _JUNE = dt.date(2026, 5, 1), dt.date(2026, 6, 30)


@given(
    invoice=ds.dunnable_invoices(
        currency="EUR",
        kind=CustomerKind.BUSINESS,
        fees_enabled=False,
        locale="en_GB",
        min_open=40,
        max_open=60,
        around=(50,),
        min_issue_date=dt.date(2026, 4, 1),
        max_issue_date=_JUNE,
        min_due_date=_MAY,
        max_due_date=_JUNE,
        status=Status.DUNNED,
        min_stages=2,
        max_stages=3,
        min_payments=1,
        max_payments=2,
    )
)
def test_dunnable_invoices_keep_to_every_argument(invoice: Invoice) -> None:
    """dunnable_invoices() fixes the customer, currency, open amount, date ranges, status and
    the numbers of notices and payments; the due date follows from the terms; payments fall
    on or before the first notice and no notice charges a fee the customer's switch forbids."""
    assert invoice.customer.kind is CustomerKind.BUSINESS
    assert (invoice.customer.dunning_enabled, invoice.customer.fees_enabled) == (True, False)
    assert invoice.customer.locale == "en_GB"
    assert Money(40, "EUR") <= invoice.open_amount <= Money(60, "EUR")
    assert dt.date(2026, 4, 1) <= invoice.issue_date <= _JUNE
    assert _MAY <= invoice.due_date <= _JUNE
    assert invoice.due_date == invoice.terms.due_date(invoice.issue_date)
    assert invoice.status is Status.DUNNED
    assert 2 <= len(invoice.issued_stages) <= 3
    assert 1 <= len(invoice.payments) <= 2
    assert all(payment.on <= invoice.issued_stages[0].on for payment in invoice.payments)
    assert all(
        notice.fee.is_zero and notice.on > invoice.due_date for notice in invoice.issued_stages
    )


@given(invoice=ds.dunnable_invoices(currency="JPY", min_open=1, max_open=1, max_payments=3))
def test_dunnable_invoices_hit_the_smallest_open_amount_exactly(invoice: Invoice) -> None:
    """Even one yen open, with payments, is drawn exactly: fees and payments never eat it."""
    assert invoice.open_amount == Money(1, "JPY")
    assert invoice.status is Status.SENT


@given(invoice=ds.dunnable_invoices(status=None, max_stages=2, fees_enabled=True))
def test_dunnable_invoices_of_either_status_carry_notices_exactly_when_dunned(
    invoice: Invoice,
) -> None:
    """status=None draws SENT and DUNNED invoices; DUNNED exactly when notices exist."""
    assert (invoice.status is Status.DUNNED) == bool(invoice.issued_stages)
    assert invoice.open_amount.is_positive


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"min_due_date": dt.date(2031, 6, 1)}, "dunnable_invoices.min_due_date"),
        ({"max_due_date": dt.date(2019, 6, 1)}, "dunnable_invoices.max_due_date"),
        ({"status": Status.PAID}, "dunnable_invoices.status"),
        ({"status": Status.DUNNED, "max_stages": 0, "min_stages": 2}, "max_stages"),
        ({"status": Status.DUNNED, "max_stages": 0}, "dunnable_invoices.max_stages"),
        ({"min_payments": 3, "max_payments": 1}, "dunnable_invoices.min_payments"),
    ],
)
def test_dunnable_invoices_refuse_impossible_combinations(
    arguments: dict[str, object], field: str
) -> None:
    """Ranges that do not meet, a status dunning never sees, or counts the wrong way round
    are typed errors when the strategy is built, never a filter that rejects every draw."""
    with pytest.raises(InvalidValueError, match=field):
        ds.dunnable_invoices(**arguments)  # type: ignore[arg-type]


# -- health checks and rejections ------------------------------------------------------------

_NEED_ARGUMENTS = {"registered", "payment_splits", "what_if_events"}
PUBLIC_STRATEGIES: dict[str, st.SearchStrategy[object]] = {
    name: getattr(ds, name)() for name in ds.__all__ if name not in _NEED_ARGUMENTS
}
PUBLIC_STRATEGIES["payment_splits"] = ds.payment_splits(total=Money("12.34", "EUR"))
PUBLIC_STRATEGIES["what_if_events"] = ds.dunnable_invoices().flatmap(
    lambda invoice: ds.what_if_events(invoice=invoice)
)


def test_every_public_strategy_is_measured() -> None:
    """The measurements below cover every strategy the module exports."""
    assert set(PUBLIC_STRATEGIES) | {"registered"} == set(ds.__all__)


def _rejections(strategy: st.SearchStrategy[object]) -> dict[str, int]:
    """Test cases started and rejected as invalid while drawing from ``strategy`` with
    Hypothesis's default settings (every health check on; a failing one raises). Test cases
    Hypothesis cuts short for their size (overruns) are no rejection."""
    counts = {"started": 0, "rejected": 0}

    @settings(
        settings.get_profile("default"),
        max_examples=20,
        deadline=None,
        database=None,
        derandomize=True,
    )
    @given(data=st.data())
    def draw(data: st.DataObject) -> None:
        counts["started"] += 1
        try:
            data.draw(strategy)
        except BaseException:
            counts["rejected"] += data.conjecture_data.status is DataStatus.INVALID
            raise

    draw()
    return counts


@pytest.mark.parametrize("name", sorted(PUBLIC_STRATEGIES))
def test_public_strategy_passes_health_checks_and_rejects_under_ten_percent(name: str) -> None:
    """With Hypothesis's default settings (every health check on) each public strategy
    draws without a health check failing, and at most 10 % of the attempts to draw from it
    are rejected as invalid (a filter or assumption failing)."""
    counts = _rejections(PUBLIC_STRATEGIES[name])
    assert counts["rejected"] <= 0.1 * counts["started"], counts


def test_the_rejection_count_sees_a_filtering_strategy() -> None:
    """The measurement can fail: a strategy keeping one draw in ten is counted as rejecting
    more than 10 %."""
    counts = _rejections(st.integers(0, 10**6).filter(lambda n: n % 10 == 0))
    assert counts["rejected"] > 0.1 * counts["started"], counts
