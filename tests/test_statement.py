"""The statement of account (dunlib.analytics.statement): a customer's open items by part,
the payments and credits booked up to a day, the credit and the balance; as text in the
customer's language and as exact frames."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, ANN, DUE, ISSUED, SEED_RULES, TWO, draft, eur, sent
from dunlib import (
    AUTOMATIC,
    Customer,
    CustomerAccount,
    Invoice,
    IssueStage,
    Money,
    Payment,
    balance,
    credit,
    keep_credit,
    next_dunning_action,
    record_interest,
    record_payment,
    record_stage,
)
from dunlib.analytics import (
    MovementKind,
    StatementOfAccount,
    statement_of_account,
)
from dunlib.core import InterestCharge, Recovery
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.payments import record_recovery
from dunlib.strategies import receivable_invoices

DAY = dt.date(2026, 7, 1)


def paid(invoice: Invoice, amount: str, on: dt.date, reference: str = "") -> Invoice:
    payment = Payment(on=on, amount=eur(amount), reference=reference)
    return record_payment(invoice, payment, actor=AUTOMATIC, authority=TWO).invoice


def dunned(invoice: Invoice) -> Invoice:
    """``invoice`` with seed 003's notice (fee 5.00) and interest of 1.23 booked."""
    day = DUE
    while True:
        day += dt.timedelta(days=1)
        action = next_dunning_action(invoice, SEED_RULES, today=day)
        if isinstance(action, IssueStage):
            invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=TWO)
            if action.fee.is_positive:
                break
    return record_interest(
        invoice, InterestCharge(on=day, amount=eur("1.23")), actor=AUTOMATIC, authority=TWO
    )


def book() -> list[Invoice]:
    """ACME's invoices: one dunned (fee, interest; a payment after DAY left out), one
    credited and paid in part,
    one paid in full, one issued after DAY; a draft, and
    another customer's invoice."""
    first = paid(dunned(sent(number="RE-1")), "5.00", dt.date(2026, 7, 2))  # after DAY
    second = credit(
        sent("238.00", number="RE-2", issue_date=dt.date(2026, 5, 2), due_date=dt.date(2026, 6, 1)),
        id="GS-1", actor=ANN, on=dt.date(2026, 6, 5), authority=TWO, amount=eur("38.00"),
    ).invoice  # fmt: skip
    second = paid(second, "50.00", dt.date(2026, 6, 20), "ÜW 1")
    third = paid(sent("59.50", number="RE-3", issue_date=dt.date(2026, 5, 3)), "59.50", DUE)
    later = sent(number="RE-4", issue_date=dt.date(2026, 7, 2), due_date=dt.date(2026, 7, 16))
    other = sent(number="RE-9", customer=Customer(id="C-2", name="Other"))
    return [first, second, third, later, draft(), other]


def account() -> CustomerAccount:
    kept = keep_credit(
        CustomerAccount(customer_id=ACME.id), eur("7.50"), on=dt.date(2026, 6, 30), actor=ANN,
        reason="money for no invoice", authority=TWO,
    )  # fmt: skip
    return kept


def test_the_open_items_their_parts_the_movements_credit_and_balance() -> None:
    """Each item is open by part as balance(today=) splits it; the movements are every
    payment, credit note and discount booked by DAY; the account's credit and the money
    paid beyond an invoice count as credit; the balance is the open total less it."""
    invoices = book()
    made = statement_of_account(invoices, customer=ACME, today=DAY, account=account())
    assert [item.number for item in made.items] == ["RE-1", "RE-2"]
    first, second = made.items
    assert (first.principal, first.fees, first.interest) == (
        eur("119.00"),
        eur("5.00"),
        eur("1.23"),
    )
    assert first.open_amount == balance(invoices[0], today=DAY).total == eur("125.23")
    assert first.level == invoices[0].dunning_level
    assert first.days_past_due == (DAY - DUE).days
    assert second.open_amount == eur("150.00")
    assert second.gross == eur("238.00")
    assert made.open_total == eur("275.23")
    assert made.fees == eur("5.00")
    assert made.interest == eur("1.23")
    assert made.credit == eur("7.50")
    assert made.balance == eur("267.73")
    assert [(m.on, m.kind, m.invoice, m.amount) for m in made.movements] == [
        (dt.date(2026, 5, 10), MovementKind.PAYMENT, "RE-3", eur("59.50")),
        (dt.date(2026, 6, 5), MovementKind.CREDIT_NOTE, "RE-2", eur("38.00")),
        (dt.date(2026, 6, 20), MovementKind.PAYMENT, "RE-2", eur("50.00")),
    ]
    assert made.movements[2].reference == "ÜW 1"
    assert made.currency == "EUR"
    assert made.today == DAY


def test_a_day_before_a_booking_does_not_count_it() -> None:
    """The statement of an earlier day leaves out what was booked after it."""
    made = statement_of_account(book(), customer=ACME, today=dt.date(2026, 6, 1))
    assert [m.invoice for m in made.movements] == ["RE-3"]
    assert made.credit == eur("0.00")
    assert made.items[1].open_amount == eur("238.00")


def test_credit_beyond_what_is_open_is_a_balance_in_the_customers_favour() -> None:
    """With the account's credit above what is open, the balance is negative and the text
    says it is in the customer's favour."""
    kept = keep_credit(account(), eur("3.50"), on=DAY, actor=ANN, reason="overpaid", authority=TWO)
    made = statement_of_account([paid(sent(), "119.00", DUE)], customer=ACME, today=DAY,
                                account=kept)  # fmt: skip
    assert made.items == ()
    assert made.credit == eur("11.00")
    assert made.balance == eur("-11.00")
    assert "Keine offenen Posten." in made.text()
    assert "Saldo zu Ihren Gunsten  11,00 €" in made.text()


def test_the_text_in_german_lists_items_movements_and_totals() -> None:
    """The text names the customer and the day, a row per item with its parts, a row per
    movement, and the totals, as dunlib writes amounts and days for de_DE."""
    text = statement_of_account(book(), customer=ACME, today=DAY, account=account()).text()
    assert text.startswith("Kontoauszug für ACME GmbH (Kundennummer C-1) zum 01.07.2026\n")
    assert "Rechnung       Datum      Fällig  Tage  Stufe    Betrag      Rest  Gebühren" in text
    assert (
        "RE-1      26.04.2026  10.05.2026    52      4  119,00 €  119,00 €    5,00 €  1,23 €"
        in text
    )
    assert "20.06.2026  Zahlung     RE-2      ÜW 1      50,00 €" in text
    assert "05.06.2026  Gutschrift  RE-2      GS-1" in text
    assert "Offener Gesamtbetrag   275,23 €" in text
    assert "davon Mahngebühren       5,00 €" in text
    assert "davon Zinsen             1,23 €" in text
    assert "Guthaben                 7,50 €" in text
    assert "Keine offenen Posten." not in text
    assert "Saldo zu Ihren Lasten  267,73 €" in text


def test_the_text_in_english_for_an_english_speaking_customer() -> None:
    """A customer in en_GB reads English words and British formats."""
    british = attrs.evolve(ACME, locale="en_GB")
    bill = paid(sent(customer=british), "19.00", DUE, "bank")
    text = statement_of_account([bill], customer=british, today=DAY).text()
    assert "Statement of account for ACME GmbH (customer number C-1) as of 1 Jul 2026" in text
    assert "Open items" in text
    assert "Payment" in text
    assert "Balance due  €100.00" in text
    assert "No payments" not in text
    assert "No payments or credits." in statement_of_account([], customer=british, today=DAY,
                                                              currency="EUR").text()  # fmt: skip


def test_discounts_write_offs_and_recoveries_are_movements_a_cancelling_invoice_is_not() -> None:
    """A payment with a cash discount shows the discount beside it; a write-off, its
    recovery and the cancellation's write-off are listed; the cancelling invoice's own
    clearing is not."""
    from dunlib import NumberSequence, PaymentTerms, cancel, write_off

    terms = PaymentTerms(net_days=30, discount_percent=Decimal(2), discount_days=10)
    skonto = sent(number="RE-5", terms=terms)
    skonto = record_payment(
        skonto, Payment(on=ISSUED, amount=eur("116.62")),
        actor=AUTOMATIC, authority=TWO,
    ).invoice  # fmt: skip
    lost = write_off(dunned(sent(number="RE-6")), actor=ANN, on=DAY, authority=TWO)
    lost = record_recovery(
        lost, Recovery(on=DAY, amount=eur("20.00"), reference="Inkasso"), actor=ANN,
        authority=TWO,
    ).invoice  # fmt: skip
    cancelled = cancel(
        sent(number="RE-7"), id="ST-1", actor=ANN, on=DAY, sequence=NumberSequence(prefix="ST-"),
        authority=TWO,
    )  # fmt: skip
    made = statement_of_account(
        [skonto, lost, cancelled.original, cancelled.cancelling], customer=ACME, today=DAY
    )
    kinds = [(m.kind, m.invoice) for m in made.movements]
    assert (MovementKind.DISCOUNT, "RE-5") in kinds
    assert (MovementKind.WRITE_OFF, "RE-6") in kinds
    assert (MovementKind.RECOVERY, "RE-6") in kinds
    assert (MovementKind.WRITE_OFF, "RE-7") in kinds
    assert not any(m.invoice == cancelled.cancelling.number for m in made.movements)
    assert made.items == ()
    assert "Skonto" in made.text()


def test_the_frames_are_exact() -> None:
    """The open items and the movements as pandas and polars frames: dates as dates,
    amounts as exact decimals, never floats."""
    made = statement_of_account(book(), customer=ACME, today=DAY, account=account())
    items = made.to_pandas()
    assert list(items["invoice"]) == ["RE-1", "RE-2"]
    assert items["issue_date"].tolist()[0] == ISSUED
    moves = made.to_polars("movements")
    assert moves["kind"].to_list() == ["payment", "credit-note", "payment"]
    assert str(moves.schema["amount"]) == "Decimal(precision=38, scale=2)"
    assert made.to_polars()["fees"].to_list() == [Decimal("5.00"), Decimal("0.00")]
    assert items["open_amount"].tolist() == [Decimal("125.23"), Decimal("150.00")]
    assert made.to_pandas("movements")["amount"].tolist()[0] == Decimal("59.50")


@given(invoice=receivable_invoices(), days=st.integers(min_value=0, max_value=400))
def test_law_an_invoices_item_is_its_balance_on_the_day(invoice: Invoice, days: int) -> None:
    """Law: for any receivable invoice and any day from its issue date, the statement's open
    total is what balance(today=) finds open (fees, interest, principal), its credit the
    invoice's credit, and its balance the balance's total."""
    day = invoice.issue_date + dt.timedelta(days=days)
    made = statement_of_account([invoice], customer=invoice.customer, today=day)
    parts = balance(invoice, today=day)
    assert made.open_total == parts.principal + parts.fees + parts.interest
    assert made.credit == parts.credit
    assert made.balance == parts.total
    for item in made.items:
        assert item.open_amount == item.principal + item.fees + item.interest


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: statement_of_account(book(), customer="C-1", today=DAY),  # type: ignore[arg-type]
         "statement_of_account.customer"),
        (lambda: statement_of_account(book(), customer=ACME, today="2026-07-01"),  # type: ignore[arg-type]
         "statement_of_account.today"),
        (lambda: statement_of_account({sent(): 1}, customer=ACME, today=DAY),
         "statement_of_account.invoices"),
        (lambda: statement_of_account([sent(), "RE-1"], customer=ACME, today=DAY),  # type: ignore[list-item]
         "statement_of_account.invoices[1]"),
        (lambda: statement_of_account([sent(), sent()], customer=ACME, today=DAY),
         "statement_of_account.invoices[1].id"),
        (lambda: statement_of_account(book(), customer=ACME, today=DAY, account="acct"),  # type: ignore[arg-type]
         "statement_of_account.account"),
        (lambda: statement_of_account(
            book(), customer=ACME, today=DAY, account=CustomerAccount(customer_id="C-2")),
         "statement_of_account.account"),
        (lambda: statement_of_account([], customer=ACME, today=DAY),
         "statement_of_account.currency"),
        (lambda: statement_of_account([sent(), Invoice.sent(
            number="RE-U", customer=ACME, gross=Money("1.00", "USD"), issue_date=ISSUED)],
            customer=ACME, today=DAY),
         "statement_of_account.currency"),
        (lambda: statement_of_account([], customer=ACME, today=DAY, currency=1),  # type: ignore[arg-type]
         "statement_of_account.currency"),
        (lambda: statement_of_account([], customer=ACME, today=DAY, currency="XX"),
         "Money.currency"),
        (lambda: statement_of_account(book(), customer=ACME, today=DAY).to_pandas("rows"),
         "StatementOfAccount.table"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_naming_the_field(call: object, field: str) -> None:
    """Each bad argument raises a dunlib error naming it."""
    with pytest.raises(InvalidValueError) as caught:
        call()  # type: ignore[operator]
    assert caught.value.field == field


def test_a_statement_in_another_currency_takes_only_that_currencys_invoices() -> None:
    """With invoices in two currencies, ``currency`` picks the statement's."""
    dollars = Invoice.sent(
        number="RE-U", customer=ACME, gross=Money("10.00", "USD"), issue_date=ISSUED
    )
    made = statement_of_account([sent(), dollars], customer=ACME, today=DAY, currency="USD")
    assert [item.number for item in made.items] == ["RE-U"]
    assert made.open_total == Money("10.00", "USD")
    assert isinstance(made, StatementOfAccount)
    with pytest.raises(InvalidTypeError):
        statement_of_account(3, customer=ACME, today=DAY)  # type: ignore[arg-type]
