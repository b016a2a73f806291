"""Payments taken back (issue 27): a payment booked to the wrong invoice, or a returned SEPA
direct debit, is reversed through the one booking path; the invoice reopens and money is
conserved."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import ANN, DUE, eur, notice_action, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    GuardFailedError,
    InvalidTypeError,
    Invoice,
    Payment,
    Status,
    as_of,
    from_json,
    record_payment,
    record_stage,
    to_json,
)
from dunlib.core import EventKind
from dunlib.payments import (
    Reversal,
    allocations,
    balance,
    rebook_payment,
    reverse_payment,
)

D = dt.date
AUTH = Authority()


def paid(amount: str = "119.00", on: dt.date = DUE, gross: str = "119.00"):  # type: ignore[no-untyped-def]
    return record_payment(
        sent(gross),
        Payment(on=on, amount=eur(amount), reference="E2E-1"),
        actor=AUTOMATIC,
        authority=AUTH,
    ).invoice


def test_a_paid_invoice_reopens_when_its_payment_is_taken_back() -> None:
    invoice = paid()
    assert invoice.status is Status.PAID
    result = reverse_payment(
        invoice,
        Reversal(on=D(2026, 5, 12), payment=0, reason="MD06 refund"),
        actor=ANN,
        authority=AUTH,
    )
    after = result.invoice
    assert after.status is Status.SENT
    assert after.open_amount == eur("119.00")
    assert after.paid == eur("0.00")
    assert after.payments == invoice.payments  # the payment stays as booked
    assert after.kept_payments == ()
    assert result.payment == invoice.payments[0]
    entry = after.history[-1]
    assert entry.kind is EventKind.PAYMENT_REVERSED
    assert entry.detail == (
        "payment of 119.00 EUR of 2026-05-10 reversed: MD06 refund; open 119.00 EUR"
    )
    assert allocations(after)[0].received == eur("0.00")
    assert balance(after, today=D(2026, 5, 11)).total == eur("0.00")
    assert balance(after).principal == eur("119.00")
    assert as_of(after, today=D(2026, 5, 11)) == invoice
    assert from_json(to_json(after), Invoice) == after


def test_a_dunned_paid_invoice_reopens_as_dunned_and_the_bank_fee_stays_apart() -> None:
    invoice = sent()
    invoice = record_stage(
        invoice, notice_action(invoice, D(2026, 5, 24), fee="5.00"), actor=AUTOMATIC, authority=AUTH
    )
    invoice = record_payment(
        invoice, Payment(on=D(2026, 5, 30), amount=eur("124.00")), actor=AUTOMATIC, authority=AUTH
    ).invoice
    assert invoice.status is Status.PAID
    after = reverse_payment(
        invoice,
        Reversal(on=D(2026, 6, 2), payment=0, reason="AC04", bank_fee=eur("3.00")),
        actor=AUTOMATIC,
        authority=AUTH,
    ).invoice
    assert after.status is Status.DUNNED
    assert after.open_amount == eur("124.00")
    assert after.history[-1].detail.endswith("bank fee 3.00 EUR kept apart; open 124.00 EUR")


def test_a_partial_payment_taken_back_keeps_the_state_and_a_second_reversal_is_refused() -> None:
    invoice = paid("50.00")
    after = reverse_payment(invoice, Reversal(on=DUE, payment=0), actor=ANN, authority=AUTH).invoice
    assert after.status is Status.SENT
    assert after.open_amount == eur("119.00")
    with pytest.raises(GuardFailedError, match="taken back before"):
        reverse_payment(after, Reversal(on=DUE, payment=0), actor=ANN, authority=AUTH)
    with pytest.raises(GuardFailedError, match="not booked"):
        reverse_payment(after, Reversal(on=DUE, payment=3), actor=ANN, authority=AUTH)
    with pytest.raises(InvalidTypeError):
        reverse_payment(after, "0", actor=ANN, authority=AUTH)  # type: ignore[arg-type]
    again = record_payment(
        after, Payment(on=DUE, amount=eur("119.00")), actor=ANN, authority=AUTH
    ).invoice
    assert again.status is Status.PAID
    assert again.paid == eur("119.00")


def test_a_payment_on_the_wrong_invoice_is_rebooked_where_it_belongs_money_conserved() -> None:
    wrong = paid("119.00")
    right = sent("119.00", number="RE-2026-0002")
    moved = rebook_payment(wrong, 0, right, on=D(2026, 5, 12), actor=ANN, authority=AUTH)
    assert moved.wrong.invoice.status is Status.SENT
    assert moved.right.invoice.status is Status.PAID
    before = wrong.paid + right.paid
    after = moved.wrong.invoice.paid + moved.right.invoice.paid + moved.right.overpayment
    assert before == after == eur("119.00")
    assert moved.right.payment is not None
    assert moved.right.payment.value_date == DUE


def test_a_reversal_without_a_payment_is_refused_by_its_guard() -> None:
    invoice = sent()
    with pytest.raises(GuardFailedError, match="reversible"):
        reverse_payment(invoice, Reversal(on=DUE, payment=0), actor=ANN, authority=AUTH)
