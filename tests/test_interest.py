"""Booking default interest: through the INTEREST row, settled after fees, before principal."""

from __future__ import annotations

import datetime as dt

import pytest

from dunlib import (
    Customer,
    GuardFailedError,
    InterestCharge,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    Payment,
    record_interest,
    record_payment,
)

INVOICE = Invoice.sent(
    number="RE-1",
    customer=Customer(id="C", name="C GmbH"),
    gross=Money("100.00", "EUR"),
    issue_date=dt.date(2026, 1, 1),
    due_date=dt.date(2026, 1, 15),
)


def test_interest_is_owed_and_paid_before_the_principal() -> None:
    """Interest booked after the due date raises what is owed, and a payment settles it
    before the principal."""
    charged = record_interest(
        INVOICE, InterestCharge(on=dt.date(2026, 2, 1), amount=Money("2.50", "EUR"))
    )
    assert charged.open_amount == Money("102.50", "EUR")
    assert charged.history[-1].detail == "default interest of 2.50 EUR charged"
    paid = record_payment(charged, Payment(on=dt.date(2026, 2, 2), amount=Money("3.00", "EUR")))
    assert paid.allocation.interest == Money("2.50", "EUR")
    assert paid.allocation.principal == Money("0.50", "EUR")


def test_interest_before_the_due_date_is_refused() -> None:
    """Nothing is in default before the due date (guard overdue)."""
    with pytest.raises(GuardFailedError, match="guard overdue"):
        record_interest(
            INVOICE, InterestCharge(on=dt.date(2026, 1, 5), amount=Money("1.00", "EUR"))
        )


def test_interest_in_another_currency_or_of_another_type_is_refused() -> None:
    """The charge must be an InterestCharge in the invoice's currency."""
    with pytest.raises(InvalidValueError, match="record_interest.charge.amount"):
        record_interest(
            INVOICE, InterestCharge(on=dt.date(2026, 2, 1), amount=Money("1.00", "USD"))
        )
    with pytest.raises(InvalidTypeError, match="record_interest.charge"):
        record_interest(INVOICE, Money("1.00", "EUR"))  # type: ignore[arg-type]
