"""The public Hypothesis strategies produce valid values and are registered for from_type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from dunlib import (
    BankTransaction,
    CreditNote,
    Customer,
    DunningNotice,
    EventKind,
    HistoryEntry,
    InterestCharge,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    Payment,
    PaymentTerms,
    Status,
    sum_money,
)
from dunlib.numbering import NumberSequence
from dunlib.strategies import (
    _hypothesis_setup_hook,
    actors,
    amounts,
    approval_policies,
    bank_transactions,
    closed_invoices,
    credit_notes,
    dunnable_invoices,
    dunned_invoices,
    dunning_notices,
    history_entries,
    interest_charges,
    invoices,
    number_sequences,
    payment_splits,
    receivable_invoices,
    sent_invoices,
)
from dunlib.workflow import Actor, ApprovalPolicy


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
                ApprovalPolicy,
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
    assert [notice.level for notice in invoice.notices] == list(range(1, len(invoice.notices) + 1))
    days = [notice.on for notice in invoice.notices]
    assert days == sorted(days)
    assert days[0] > invoice.due_date
    dunning_entries = [e for e in invoice.history if e.kind is EventKind.DUNNING_NOTICE]
    assert [entry.on for entry in dunning_entries] == days
    assert invoice.settled <= invoice.total_due


@given(data=st.data())
def test_new_value_strategies_are_registered_for_from_type(data: st.DataObject) -> None:
    """History entries, credit notes, interest charges and notices are registered too."""
    cls = data.draw(st.sampled_from((HistoryEntry, CreditNote, InterestCharge, DunningNotice)))
    assert isinstance(data.draw(st.from_type(cls)), cls)


@given(notice=dunning_notices(currency="JPY", level=2), note=credit_notes(max_value=1))
def test_notices_and_credit_notes_respect_their_arguments(
    notice: DunningNotice, note: CreditNote
) -> None:
    """dunning_notices(level=, currency=) and credit_notes(max_value=) keep to their arguments."""
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


@given(actor=actors(automatic=True), policy=approval_policies(), sequence=number_sequences())
def test_workflow_strategies_build_valid_values(
    actor: Actor, policy: ApprovalPolicy, sequence: NumberSequence
) -> None:
    """actors(), approval_policies() and number_sequences() give valid workflow values."""
    assert actor.automatic
    assert actor.roles <= {"clerk", "reviewer", "accountant", "automation"}
    assert policy.eyes in (2, 4, 6)
    assert sequence.next_number.startswith(sequence.prefix)


@given(invoice=receivable_invoices())
def test_receivable_invoices_take_payments_and_owe_something(invoice: Invoice) -> None:
    """receivable_invoices() are SENT or DUNNED (DUNNED exactly when notices exist), open > 0."""
    assert invoice.status in (Status.SENT, Status.DUNNED)
    assert (invoice.status is Status.DUNNED) == bool(invoice.notices)
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
    from dunlib.strategies import _booked

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
        settings=settings(derandomize=True, max_examples=2000, database=None),
    )
    assert found.status is Status.CANCELLED
