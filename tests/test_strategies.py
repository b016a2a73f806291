"""The public Hypothesis strategies produce valid values and are registered for from_type."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import (
    BankTransaction,
    Customer,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    PaymentTerms,
    Status,
    sum_money,
)
from dunlib.strategies import (
    _hypothesis_setup_hook,
    amounts,
    bank_transactions,
    invoices,
    payment_splits,
    receivable_invoices,
    sent_invoices,
)


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
    cls = data.draw(st.sampled_from((Money, Customer, LineItem, PaymentTerms, Invoice)))
    assert isinstance(data.draw(st.from_type(cls)), cls)


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
