"""Bank statements booked (issue 27): a payment booked on the day it is recorded carries the
day the money arrived, which decides the cash discount and the interest; a returned direct
debit on a statement takes its payment back through the one booking path, ends the
direct-debit hold and keeps the bank's fee apart, with money conserved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from builders import ANN, eur, notice_action, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    CustomerKind,
    GuardFailedError,
    Hold,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    Payment,
    PaymentTerms,
    Status,
    accrued_interest,
    as_of,
    from_json,
    match_payments,
    place_hold,
    record_payment,
    record_stage,
    to_json,
)
from dunlib.analytics.statement import MovementKind, statement_of_account
from dunlib.bank import (
    CreditDebit,
    ImportLog,
    StatementEntry,
    book_returns,
    import_statements,
    read_camt053,
)
from dunlib.core import EventKind
from dunlib.payments import FeeWaiver, Reversal, reverse_payment, unearned_fees, waive_fees

D = dt.date
AUTH = Authority()
CAMT = Path(__file__).parent / "data" / "bank" / "camt053_v08.xml"
PAYER = Customer(id="C-7", name="Erika Beispiel")


def collected() -> Invoice:
    """Invoice RE-2026-0007 of 50.00 EUR, due 2026-03-16, held for the direct debit
    collected on 2026-03-31 (return window to 2026-04-08), and the debit booked as paid."""
    invoice = Invoice.sent(
        number="RE-2026-0007", customer=PAYER, gross=eur("50.00"), issue_date=D(2026, 3, 2)
    )
    hold = Hold.direct_debit(on=D(2026, 3, 20), collection_date=D(2026, 3, 31))
    invoice = place_hold(invoice, hold, actor=AUTOMATIC, authority=AUTH)
    debit = Payment(on=D(2026, 3, 31), amount=eur("50.00"), reference="RE-2026-0007")
    return record_payment(invoice, debit, actor=AUTOMATIC, authority=AUTH).invoice


def test_a_returned_direct_debit_reopens_its_invoice_and_ends_the_hold() -> None:
    """The camt.053 sample's return (MD06, 53.00 EUR debited of which 3.00 EUR the bank's
    fee) takes back the 50.00 EUR collected: the invoice is open again, the direct-debit
    hold ends that day, the fee stays apart, and importing the statement again books
    nothing more."""
    (camt,) = read_camt053(CAMT.read_bytes())
    invoice = collected()
    assert invoice.status is Status.PAID
    other = sent("53.00", number="RE-2026-0099")
    imported = import_statements(ImportLog(account=camt.account), [camt])
    assert all(t.amount.is_positive for t in imported.transactions)  # a return is no income
    day = D(2026, 4, 2)
    done = book_returns(imported.entries, [invoice, other], on=day, actor=ANN, authority=AUTH)
    reopened, untouched = done.invoices
    assert untouched == other
    assert [(entry.return_reason, key) for entry, key in done.booked] == [("MD06", invoice.id)]
    assert done.unmatched == ()
    assert reopened.status is Status.SENT
    assert reopened.open_amount == eur("50.00")
    assert reopened.paid + eur("50.00") == invoice.paid
    (reversal,) = reopened.reversals
    assert reversal.bank_fee == eur("3.00")
    assert reversal.reason.startswith("MD06 ")
    (hold,) = reopened.holds
    assert hold.lifted_on == day
    again = import_statements(imported.log, [camt])
    assert book_returns(again.entries, [reopened], on=day, actor=ANN, authority=AUTH).booked == ()


def test_a_return_whose_payment_is_not_found_once_is_left_for_a_person() -> None:
    (camt,) = read_camt053(CAMT.read_bytes())
    twice = [collected(), attrs.evolve(collected(), id="copy")]
    done = book_returns(camt.entries, twice, on=D(2026, 4, 2), actor=ANN, authority=AUTH)
    assert done.booked == ()
    assert [entry.return_reason for entry in done.unmatched] == ["MD06"]
    assert done.invoices == tuple(twice)
    none = book_returns(camt.entries, [], on=D(2026, 4, 2), actor=ANN, authority=AUTH)
    assert len(none.unmatched) == 1
    with pytest.raises(InvalidTypeError, match="book_returns.entries"):
        book_returns([1], [], on=D(2026, 4, 2), actor=ANN, authority=AUTH)  # type: ignore[list-item]


def test_money_booked_after_a_notice_keeps_its_value_date_for_the_discount() -> None:
    """A payment recorded on 2026-04-20 for money that arrived on 2026-03-10, within the
    discount period, is booked on the 20th (history in order) and takes the discount the
    day the money arrived gives."""
    terms = PaymentTerms(net_days=30, discount_percent=2, discount_days=10)
    invoice = Invoice.sent(
        number="RE-1", customer=PAYER, gross=eur("119.00"), issue_date=D(2026, 3, 2),
        terms=terms,
    )  # fmt: skip
    later = record_payment(
        invoice, Payment(on=D(2026, 3, 20), amount=eur("1.00")), actor=ANN, authority=AUTH
    ).invoice
    money = Payment(on=D(2026, 4, 20), amount=eur("115.62"), value_date=D(2026, 3, 10))
    result = record_payment(later, money, actor=ANN, authority=AUTH)
    assert result.invoice.status is Status.PAID
    assert result.payment is not None
    assert result.payment.discount == eur("2.38")
    assert result.invoice.history[-1].on == D(2026, 4, 20)
    with_on = attrs.evolve(money, value_date=None)
    no_discount = record_payment(later, with_on, actor=ANN, authority=AUTH)
    assert no_discount.invoice.status is Status.SENT


def test_interest_runs_to_the_day_the_money_arrived_not_the_day_it_was_booked() -> None:
    invoice = Invoice.sent(
        number="RE-2",
        customer=Customer(id="B", name="B GmbH", kind=CustomerKind.BUSINESS),
        gross=eur("1000.00"),
        issue_date=D(2026, 1, 2),
    )
    half = eur("500.00")
    booked_late = record_payment(
        invoice, Payment(on=D(2026, 6, 1), amount=half, value_date=D(2026, 3, 1)),
        actor=ANN, authority=AUTH,
    ).invoice  # fmt: skip
    on_arrival = record_payment(
        invoice, Payment(on=D(2026, 3, 1), amount=half), actor=ANN, authority=AUTH
    ).invoice
    until = D(2026, 7, 1)
    assert accrued_interest(booked_late, until) == accrued_interest(on_arrival, until)
    assert accrued_interest(booked_late, until) < accrued_interest(invoice, until)


def test_a_match_books_on_the_day_given_with_the_value_date_of_the_money() -> None:
    invoice = sent("119.00")
    entry = StatementEntry(
        booking_date=D(2026, 5, 11), value_date=D(2026, 5, 9), amount=eur("119.00"),
        credit_debit=CreditDebit.CREDIT, remittance="RE-2026-0001",
        counterparty_name=invoice.customer.name,
    )  # fmt: skip
    (match,) = match_payments([entry.transaction()], [invoice]).matches
    ((_, payment),) = match.payments(on=D(2026, 5, 12))
    assert (payment.on, payment.value_date, payment.valued) == (
        D(2026, 5, 12),
        D(2026, 5, 9),
        D(2026, 5, 9),
    )
    ((_, same_day),) = match.payments()
    assert same_day.value_date is None


def dunned_before_the_money_was_booked() -> Invoice:
    """Invoice RE-2026-0001 (119.00 EUR, due 2026-05-10) dunned on 2026-05-24 with a notice
    charging 5.00 EUR."""
    invoice = sent("119.00")
    return record_stage(
        invoice, notice_action(invoice, D(2026, 5, 24), fee="5.00"), actor=AUTOMATIC,
        authority=AUTH,
    )  # fmt: skip


def test_a_fee_charged_after_the_money_arrived_is_waived_by_a_booking_of_its_own() -> None:
    """The notice of 2026-05-24 went out after the 119.00 EUR had arrived (value date
    2026-05-20) and is booked on 2026-05-26: the fee is waived first (FEE_WAIVED, its own
    history entry, fees less the waiver), then the payment settles the invoice."""
    dunned = dunned_before_the_money_was_booked()
    money = Payment(on=D(2026, 5, 26), amount=eur("119.00"), value_date=D(2026, 5, 20))
    assert unearned_fees(dunned, money) == eur("5.00")
    result = record_payment(dunned, money, actor=AUTOMATIC, authority=AUTH)
    after = result.invoice
    assert after.status is Status.PAID
    assert result.overpayment == eur("0.00")
    waived, paid = after.history[-2:]
    assert (waived.kind, paid.kind) == (EventKind.FEE_WAIVED, EventKind.PAYMENT)
    assert waived.detail == (
        "fees of 5.00 EUR waived: notice sent after the money arrived on 2026-05-20; "
        "open 119.00 EUR"
    )
    assert after.fees == eur("0.00")
    assert after.fee_waivers[0].amount == eur("5.00")
    assert from_json(to_json(after), Invoice) == after
    assert as_of(after, today=D(2026, 5, 25)) == dunned


def test_a_fee_charged_while_money_was_open_stands() -> None:
    """Money that arrived after the notice (or too little before it) waives nothing."""
    dunned = dunned_before_the_money_was_booked()
    late = Payment(on=D(2026, 5, 26), amount=eur("124.00"), value_date=D(2026, 5, 25))
    part = Payment(on=D(2026, 5, 26), amount=eur("50.00"), value_date=D(2026, 5, 20))
    assert unearned_fees(dunned, late) == unearned_fees(dunned, part) == eur("0.00")
    assert record_payment(dunned, late, actor=AUTOMATIC, authority=AUTH).invoice.fee_waivers == ()


def test_fees_are_waived_by_hand_within_what_was_charged() -> None:
    dunned = dunned_before_the_money_was_booked()
    goodwill = FeeWaiver(on=D(2026, 5, 30), amount=eur("2.00"), reason="goodwill")
    after = waive_fees(dunned, goodwill, actor=ANN, authority=AUTH)
    assert after.open_amount == eur("122.00")
    assert after.status is Status.DUNNED
    too_much = FeeWaiver(on=D(2026, 5, 30), amount=eur("3.01"))
    with pytest.raises(GuardFailedError, match="within-fees"):
        waive_fees(after, too_much, actor=ANN, authority=AUTH)
    with pytest.raises(InvalidValueError, match="waive_fees.waiver.amount"):
        waive_fees(after, FeeWaiver(on=D(2026, 5, 30), amount=Money("1.00", "USD")),
                   actor=ANN, authority=AUTH)  # fmt: skip
    with pytest.raises(InvalidTypeError):
        waive_fees(after, "2.00", actor=ANN, authority=AUTH)  # type: ignore[arg-type]
    paid = record_payment(after, Payment(on=D(2026, 5, 30), amount=eur("119.00")),
                          actor=ANN, authority=AUTH).invoice  # fmt: skip
    rest = waive_fees(paid, FeeWaiver(on=D(2026, 5, 31), amount=eur("3.00")), actor=ANN,
                      authority=AUTH)  # fmt: skip
    assert rest.status is Status.PAID
    assert rest.open_amount == eur("0.00")


def test_a_return_without_a_reason_code_names_the_bank_and_lifts_no_hold() -> None:
    """A returned transfer without a reason code or a hold: taken back with the reason
    "returned by the bank"; a payment taken back before is never taken back twice."""
    invoice = sent("119.00")
    paid = record_payment(
        invoice, Payment(on=D(2026, 5, 11), amount=eur("119.00"), reference="RE-2026-0001"),
        actor=AUTOMATIC, authority=AUTH,
    ).invoice  # fmt: skip
    returned = StatementEntry(
        booking_date=D(2026, 5, 14), value_date=D(2026, 5, 14), amount=eur("-119.00"),
        credit_debit=CreditDebit.DEBIT, returned=True, remittance="RE-2026-0001",
    )  # fmt: skip
    done = book_returns([returned], [paid], on=D(2026, 5, 14), actor=ANN, authority=AUTH)
    (after,) = done.invoices
    assert after.reversals[0].reason == "returned by the bank"
    assert after.holds == ()
    twice = book_returns([returned], [after], on=D(2026, 5, 15), actor=ANN, authority=AUTH)
    assert twice.unmatched == (returned,)
    other = record_payment(
        invoice, Payment(on=D(2026, 5, 11), amount=eur("119.00"), reference="another"),
        actor=AUTOMATIC, authority=AUTH,
    ).invoice  # fmt: skip
    elsewhere = book_returns([returned], [other], on=D(2026, 5, 15), actor=ANN, authority=AUTH)
    assert elsewhere.unmatched == (returned,)


def test_the_statement_of_account_lists_a_fee_waived_and_a_payment_taken_back() -> None:
    dunned = dunned_before_the_money_was_booked()
    money = Payment(on=D(2026, 5, 26), amount=eur("119.00"), value_date=D(2026, 5, 20))
    paid = record_payment(dunned, money, actor=AUTOMATIC, authority=AUTH).invoice
    back = reverse_payment(
        paid, Reversal(on=D(2026, 5, 28), payment=0, reason="AC04"), actor=ANN, authority=AUTH
    ).invoice
    statement = statement_of_account([back], customer=back.customer, today=D(2026, 5, 31))
    kinds = [(move.kind, move.amount, move.reference) for move in statement.movements]
    assert (MovementKind.FEE_WAIVER, eur("5.00"), waiver_reason(D(2026, 5, 20))) in kinds
    assert (MovementKind.REVERSAL, eur("119.00"), "AC04") in kinds
    assert "Rückbuchung" in statement.text()  # the customer's language: German
    assert "Mahngebühr erlassen" in statement.text()


def waiver_reason(arrived: dt.date) -> str:
    return f"notice sent after the money arrived on {arrived}"
