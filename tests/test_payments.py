"""Recording payments: allocation order, partial, over- and discounted payment, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ANN, ISSUED, eur, notice_action, reached, sent, sent_as_decided
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    CreditNote,
    DunningRules,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    NoAction,
    NoActionReason,
    Payment,
    PaymentTerms,
    PermissionDeniedError,
    Status,
    balance,
    next_dunning_action,
    record_credit_note,
    record_interest,
    record_payment,
    record_stage,
    write_off,
)
from dunlib.core import (
    CurrencyMismatchError,
    EventKind,
    GuardFailedError,
    HistoryEntry,
    InterestCharge,
    IssuedStage,
    PaymentCurrencyError,
    PaymentRejectedError,
    PaymentStateError,
    WrittenOffPaymentError,
)
from dunlib.payments.allocation import _CHARGE_FEE, Allocation, _Replay, allocations, discount_offer
from dunlib.payments.recording import PAYABLE_STATES
from dunlib.strategies import (
    dates,
    dunnable_invoices,
    dunning_rules,
    payment_splits,
    payments,
    receivable_invoices,
)


def pay(on: dt.date, amount: str) -> Payment:
    return Payment(on=on, amount=eur(amount))


def dunned(invoice: Invoice, fee: str, on: dt.date = dt.date(2026, 5, 24)) -> Invoice:
    """``invoice`` with a dunning notice charging ``fee`` booked on ``on`` by record_stage."""
    return record_stage(
        invoice, notice_action(invoice, on, fee), actor=AUTOMATIC, authority=Authority()
    )


# -- the seed's cases ---------------------------------------------------------


def test_seed_dunned_invoice_paid_its_gross_settles_the_fee_first() -> None:
    """Seed 002, state 5: a dunned invoice (fee 5.00) paid its original gross of 119.00.

    The fee is deducted first and the rest (114.00) counts as a partial payment;
    5.00 stays open and the invoice stays DUNNED, with the payment in its history.
    """
    invoice = dunned(sent("119.00"), fee="5.00")
    result = record_payment(
        invoice, pay(dt.date(2026, 5, 26), "119.00"), actor=AUTOMATIC, authority=Authority()
    )
    assert result.allocation == Allocation(
        fees=eur("5.00"), interest=eur("0.00"), principal=eur("114.00"), discount=eur("0.00")
    )
    assert result.overpayment == eur("0.00")
    assert result.invoice.status is Status.DUNNED
    assert result.invoice.open_amount == eur("5.00")
    assert not result.is_settled
    assert balance(result.invoice).principal == eur("5.00")
    assert balance(result.invoice).fees == eur("0.00")
    last = result.invoice.history[-1]
    assert (last.kind, last.from_status, last.to_status) == (
        EventKind.PAYMENT,
        Status.DUNNED,
        Status.DUNNED,
    )
    assert last.detail == "payment of 119.00 EUR received; open 5.00 EUR"


def test_paying_the_rest_settles_through_the_workflow_table() -> None:
    """The remaining 5.00 brings the open amount to zero: DUNNED -> PAID by SETTLE."""
    first = record_payment(
        dunned(sent(), fee="5.00"),
        pay(dt.date(2026, 5, 26), "119.00"),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    second = record_payment(
        first.invoice, pay(dt.date(2026, 5, 28), "5.00"), actor=AUTOMATIC, authority=Authority()
    )
    assert second.invoice.status is Status.PAID
    assert second.is_settled
    assert second.invoice.open_amount == eur("0.00")
    assert second.allocation.principal == eur("5.00")
    last = second.invoice.history[-1]
    assert (last.kind, last.from_status, last.to_status) == (
        EventKind.PAYMENT,
        Status.DUNNED,
        Status.PAID,
    )


def test_overpayment_settles_and_returns_the_surplus() -> None:
    """150.00 on 119.00 open: 119.00 is stored, 31.00 comes back as the overpayment."""
    result = record_payment(
        sent("119.00"), pay(dt.date(2026, 5, 2), "150.00"), actor=AUTOMATIC, authority=Authority()
    )
    assert result.invoice.status is Status.PAID
    assert result.payment == pay(dt.date(2026, 5, 2), "119.00")
    assert result.invoice.payments == (result.payment,)
    assert result.allocation.principal == eur("119.00")
    assert result.overpayment == eur("31.00")
    assert "overpaid by 31.00 EUR" in result.invoice.history[-1].detail


def test_exact_payment_from_sent_goes_to_paid() -> None:
    """Paying exactly the open amount in SENT settles: SENT -> PAID, no overpayment."""
    result = record_payment(
        sent("119.00"), pay(dt.date(2026, 5, 2), "119.00"), actor=AUTOMATIC, authority=Authority()
    )
    assert result.invoice.status is Status.PAID
    assert result.overpayment == eur("0.00")
    assert result.invoice.history[-1].from_status is Status.SENT


# -- cash discount -------------------------------------------------------------

SKONTO = PaymentTerms(net_days=30, discount_percent=Decimal(2), discount_days=10)


def test_discount_is_rounded_half_up_once() -> None:
    """2 % of 118.75 is 2.375, rounded half-up to 2.38 (the one rounding point)."""
    assert discount_offer(sent("118.75", terms=SKONTO), today=ISSUED) == eur("2.38")


def test_discounted_payment_on_the_deadline_settles() -> None:
    """On the last discount day (issue + 10 days, inclusive) 116.37 settles 118.75."""
    invoice = sent("118.75", terms=SKONTO)
    deadline = dt.date(2026, 5, 6)
    result = record_payment(
        invoice, pay(deadline, "116.37"), actor=AUTOMATIC, authority=Authority()
    )
    assert result.invoice.status is Status.PAID
    assert result.payment is not None
    assert result.payment.discount == eur("2.38")
    assert result.allocation == Allocation(
        fees=eur("0.00"), interest=eur("0.00"), principal=eur("116.37"), discount=eur("2.38")
    )
    assert result.overpayment == eur("0.00")
    assert "cash discount 2.38 EUR granted" in result.invoice.history[-1].detail


def test_no_discount_the_day_after_the_deadline() -> None:
    """A day late, the same 116.37 is a partial payment and 2.38 stays open."""
    result = record_payment(
        sent("118.75", terms=SKONTO),
        pay(dt.date(2026, 5, 7), "116.37"),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert result.invoice.status is Status.SENT
    assert result.invoice.open_amount == eur("2.38")
    assert result.payment is not None
    assert result.payment.discount is None


def test_discount_recorded_is_what_the_customer_deducted() -> None:
    """Paying 117.00 of 118.75 in the period settles with a discount of 1.75, not 2.38."""
    result = record_payment(
        sent("118.75", terms=SKONTO),
        pay(dt.date(2026, 5, 1), "117.00"),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert result.invoice.status is Status.PAID
    assert result.allocation.discount == eur("1.75")


def test_paying_less_than_the_discounted_amount_is_partial() -> None:
    """116.36 (one cent short of 118.75 - 2.38) is only a partial payment."""
    result = record_payment(
        sent("118.75", terms=SKONTO),
        pay(dt.date(2026, 5, 1), "116.36"),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert result.invoice.status is Status.SENT
    assert result.invoice.open_amount == eur("2.39")


def test_full_payment_in_the_period_takes_no_discount() -> None:
    """Paying the whole amount in the period grants no discount; the surplus is overpaid."""
    result = record_payment(
        sent("118.75", terms=SKONTO),
        pay(dt.date(2026, 5, 1), "120.00"),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert result.allocation.discount == eur("0.00")
    assert result.overpayment == eur("1.25")


def test_discount_base_excludes_fees_and_interest_and_counts_credit_notes() -> None:
    """Base = gross less credit notes (100.00 - 10.00 = 90.00 -> 1.80). Fees and interest are
    never in it: none can be charged within the discount period, which ends on the due date
    at the latest, since the debtor is late only from the day after (interest on the due
    date is refused by the INTEREST row's guard overdue).

    Open: 100.00 - 10.00 credit = 90.00; the least settling payment is 90.00 - 1.80 = 88.20.
    """
    terms = PaymentTerms(net_days=10, discount_percent=Decimal(2), discount_days=10)
    day = ISSUED + dt.timedelta(days=10)  # the due date, and the discount's last day
    note = CreditNote(id="GS-1", on=day, amount=eur("10.00"), drafted_by="dora")
    invoice = record_credit_note(
        sent("100.00", terms=terms), note, actor=ANN, on=day, authority=Authority()
    )
    with pytest.raises(GuardFailedError, match="overdue"):
        record_interest(
            invoice,
            InterestCharge(on=day, amount=eur("1.00")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    assert discount_offer(invoice, today=day) == eur("1.80")
    short = record_payment(invoice, pay(day, "88.19"), actor=AUTOMATIC, authority=Authority())
    assert short.invoice.status is Status.SENT
    result = record_payment(invoice, pay(day, "88.20"), actor=AUTOMATIC, authority=Authority())
    assert result.invoice.status is Status.PAID
    assert result.allocation == Allocation(
        fees=eur("0.00"), interest=eur("0.00"), principal=eur("88.20"), discount=eur("1.80")
    )


def test_discount_is_taken_once_and_only_with_discount_terms() -> None:
    """After a discount was granted no further one is offered; none without terms or base."""
    invoice = sent("100.00", terms=SKONTO)
    granted = record_payment(
        invoice, pay(ISSUED, "98.00"), actor=AUTOMATIC, authority=Authority()
    ).invoice
    assert granted.discounts == eur("2.00")
    assert discount_offer(granted, today=ISSUED) == eur("0.00")
    late = ISSUED + dt.timedelta(days=11)  # after the discount period: none granted
    nearly_paid = record_payment(
        invoice, pay(late, "99.00"), actor=AUTOMATIC, authority=Authority()
    ).invoice
    assert discount_offer(nearly_paid, today=ISSUED) == eur("2.00")
    assert discount_offer(sent("100.00"), today=ISSUED) == eur("0.00")
    note = CreditNote(id="GS-1", on=ISSUED, amount=eur("100.00"), drafted_by="dora")
    credited = record_credit_note(invoice, note, actor=ANN, on=ISSUED, authority=Authority())
    assert discount_offer(credited, today=ISSUED) == eur("0.00")


# -- replay ----------------------------------------------------------------------


def test_payment_before_a_fee_went_to_principal() -> None:
    """Replay in date order: 50.00 paid on 20 May went to principal; the fee of 24 May is open."""
    paid = record_payment(
        sent("119.00"), pay(dt.date(2026, 5, 20), "50.00"), actor=AUTOMATIC, authority=Authority()
    ).invoice
    invoice = dunned(paid, "5.00")
    assert allocations(invoice)[0].principal == eur("50.00")
    assert balance(invoice).fees == eur("5.00")
    assert balance(invoice).principal == eur("69.00")
    assert balance(invoice, today=dt.date(2026, 5, 23)).fees == eur("0.00")


def test_charges_come_before_payments_on_the_same_day() -> None:
    """A fee and a payment on one day: the fee is charged first, so the payment settles it."""
    day = dt.date(2026, 5, 24)
    invoice = record_payment(
        dunned(sent("119.00"), "5.00", on=day),
        pay(day, "10.00"),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    assert allocations(invoice)[0].fees == eur("5.00")
    assert allocations(invoice)[0].principal == eur("5.00")


def test_backdated_payment_after_a_later_fee_is_refused() -> None:
    """History never goes back: a payment dated 20 May on an invoice whose last step is the
    notice of 24 May is refused (InvalidValueError naming record_payment.on), nothing changes."""
    invoice = dunned(sent("100.00"), "5.00")
    before = attrs.evolve(invoice)
    with pytest.raises(InvalidValueError, match=r"record_payment\.on"):
        record_payment(
            invoice, pay(dt.date(2026, 5, 20), "105.00"), actor=AUTOMATIC, authority=Authority()
        )
    assert invoice == before
    assert record_payment(
        invoice, pay(dt.date(2026, 5, 24), "105.00"), actor=AUTOMATIC, authority=Authority()
    ).invoice.status is (Status.PAID)


def test_payment_dated_before_the_last_history_entry_is_refused() -> None:
    """Rule: a payment dated before the invoice's last history entry (here 1990-01-01 after
    the entry of 2026-04-26) is refused with InvalidValueError; the invoice is unchanged."""
    invoice = sent()
    assert invoice.history[-1].on == dt.date(2026, 4, 26)
    before = attrs.evolve(invoice)
    with pytest.raises(InvalidValueError, match=r"record_payment\.on") as raised:
        record_payment(
            invoice, pay(dt.date(1990, 1, 1), "10.00"), actor=AUTOMATIC, authority=Authority()
        )
    assert raised.value.value == dt.date(1990, 1, 1)
    assert invoice == before
    assert invoice.payments == ()
    assert invoice.history == before.history
    on_the_day = record_payment(
        invoice, pay(dt.date(2026, 4, 26), "10.00"), actor=AUTOMATIC, authority=Authority()
    ).invoice
    assert on_the_day.open_amount == eur("109.00")


def test_payment_needs_the_right_to_pay() -> None:
    """Rule: record_payment books the PAY row, granted to accountants and automation; an
    actor without it (a clerk) is refused with PermissionDeniedError and nothing changes."""
    clerk = Actor(id="carl", roles={"clerk"})
    invoice = sent()
    with pytest.raises(PermissionDeniedError) as raised:
        record_payment(
            invoice, pay(dt.date(2026, 5, 2), "10.00"), actor=clerk, authority=Authority()
        )
    assert raised.value.actor == "carl"
    assert raised.value.command == "PAY"
    assert raised.value.invoice_id == invoice.id
    assert set(raised.value.required) == {"accountant", "automation"}
    assert invoice == sent()
    booked = record_payment(
        invoice, pay(dt.date(2026, 5, 2), "10.00"), actor=ANN, authority=Authority()
    ).invoice
    assert booked.history[-1].actor == "ann"


def test_credit_note_reduces_principal_first_then_fees() -> None:
    """A credit note of 105.00 on 100.00 + 5.00 fee clears the principal, then the fee."""
    note = CreditNote(id="GS-1", on=dt.date(2026, 5, 25), amount=eur("105.00"), drafted_by="dora")
    invoice = record_credit_note(
        dunned(sent("100.00"), "5.00"),
        note,
        actor=ANN,
        on=dt.date(2026, 5, 25),
        authority=Authority(eyes=4),
    )
    assert invoice.status is Status.PAID
    assert balance(invoice).total == eur("0.00")
    assert balance(invoice).fees == eur("0.00")


def test_zero_invoice_owes_nothing_and_a_payment_on_it_is_overpaid() -> None:
    """A booked invoice of 0.00 owes nothing: the whole payment comes back, and it is PAID
    (a booked invoice of -10.00 cannot exist: negative totals exist only in DRAFT)."""
    with pytest.raises(InvalidValueError, match="PAID, or an amount open"):
        sent("-10.00")
    invoice = sent("0.00")
    assert balance(invoice).total == invoice.open_amount == eur("0.00")
    result = record_payment(invoice, pay(ISSUED, "3.00"), actor=AUTOMATIC, authority=Authority())
    assert result.payment is None
    assert result.allocation == Allocation.zero("EUR")
    assert result.overpayment == eur("3.00")
    assert result.invoice.status is Status.PAID


# -- refusals ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [s for s in Status if s not in PAYABLE_STATES])
def test_states_without_payments_are_refused(status: Status) -> None:
    """Only SENT and DUNNED take payments; every other state raises PaymentStateError."""
    invoice = reached(status)
    with pytest.raises(PaymentStateError, match="PAY is not allowed on invoice") as raised:
        record_payment(
            invoice, pay(invoice.history[-1].on, "1.00"), actor=AUTOMATIC, authority=Authority()
        )
    assert raised.value.status is status
    assert raised.value.accepted == (Status.SENT, Status.DUNNED)
    assert raised.value.invoice_id == invoice.id


def test_written_off_invoice_points_to_the_recovery() -> None:
    """Seed 002, state 7: money received after a write-off is no payment of the invoice; the
    error names the function that books it, dunlib.payments.record_recovery (issue 24,
    item 10)."""
    invoice = write_off(
        dunned(sent(), "5.00"), actor=ANN, on=dt.date(2026, 6, 30), authority=Authority()
    )
    assert invoice.status is Status.WRITTEN_OFF
    with pytest.raises(WrittenOffPaymentError, match=r"dunlib\.payments\.record_recovery"):
        record_payment(
            invoice, pay(dt.date(2026, 7, 1), "1.00"), actor=AUTOMATIC, authority=Authority()
        )


def test_foreign_currency_is_refused() -> None:
    """A USD payment on a EUR invoice: PaymentCurrencyError, also a CurrencyMismatchError,
    naming the invoice by its number (with the id where it differs)."""
    with pytest.raises(PaymentCurrencyError, match="in USD on invoice RE-2026-0001 in EUR") as e:
        record_payment(
            sent(),
            Payment(on=ISSUED, amount=Money("1.00", "USD")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    assert isinstance(e.value, CurrencyMismatchError)
    assert isinstance(e.value, PaymentRejectedError)
    assert (e.value.left, e.value.right) == ("EUR", "USD")
    drafted = attrs.evolve(sent(number="RE-2026-0042"), id="D-7")
    with pytest.raises(PaymentCurrencyError, match=r"invoice RE-2026-0042 \(id D-7\) in EUR"):
        record_payment(
            drafted,
            Payment(on=ISSUED, amount=Money("1.00", "USD")),
            actor=AUTOMATIC,
            authority=Authority(),
        )


def test_bad_arguments_are_typed_errors() -> None:
    """Not an invoice, not a payment, a discount given by the caller, a datetime: refused."""
    with pytest.raises(InvalidTypeError, match="invoice"):
        record_payment("RE-1", pay(ISSUED, "1.00"), actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="payment"):
        record_payment(sent(), eur("1.00"), actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="Payment.discount"):
        record_payment(
            sent(),
            Payment(on=ISSUED, amount=eur("1.00"), discount=eur("0.10")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(InvalidTypeError, match="balance.today"):
        balance(sent(), today=dt.datetime(2026, 1, 1, 9, 0))
    with pytest.raises(InvalidTypeError, match="discount_offer.today"):
        discount_offer(sent(), today="2026-01-01")  # type: ignore[arg-type]


# -- laws ------------------------------------------------------------------------


@st.composite
def invoices_with_payment(draw: st.DrawFn) -> tuple[Invoice, Payment]:
    invoice = draw(receivable_invoices())
    first = invoice.history[-1].on  # history never goes back
    window = dates(min_value=first, max_value=max(first, invoice.due_date) + dt.timedelta(60))
    payment = draw(
        payments(currency=invoice.currency, on=window, max_value=invoice.open_amount.amount * 2)
    )
    return invoice, payment


@given(case=invoices_with_payment())
def test_law_allocation_plus_overpayment_equals_payment(case: tuple[Invoice, Payment]) -> None:
    """Law (conservation): fees + interest + principal + overpayment == the amount received."""
    invoice, payment = case
    result = record_payment(invoice, payment, actor=AUTOMATIC, authority=Authority())
    parts = result.allocation
    assert parts.fees + parts.interest + parts.principal + result.overpayment == payment.amount
    assert parts.received + result.overpayment == payment.amount
    stored = result.payment
    assert stored is None or stored.amount == parts.received


@given(case=invoices_with_payment())
def test_law_open_amount_is_never_negative(case: tuple[Invoice, Payment]) -> None:
    """Law: after any payment the open amount is zero or more, and zero exactly when PAID."""
    invoice, payment = case
    result = record_payment(invoice, payment, actor=AUTOMATIC, authority=Authority())
    assert not result.invoice.open_amount.is_negative
    assert result.invoice.open_amount.is_zero == (result.invoice.status is Status.PAID)
    assert result.invoice.status in (invoice.status, Status.PAID)


@given(case=invoices_with_payment())
def test_law_fees_then_interest_then_principal(case: tuple[Invoice, Payment]) -> None:
    """Law (BGB §367): a payment after every booking settles fees, then interest, then principal."""
    invoice, payment = case
    last = max((p.on for p in invoice.payments), default=invoice.issue_date)
    charges = [n.on for n in invoice.issued_stages] + [c.on for c in invoice.interest_charges]
    late = attrs.evolve(payment, on=max([last, payment.on, invoice.history[-1].on, *charges]))
    before = balance(invoice)
    result = record_payment(invoice, late, actor=AUTOMATIC, authority=Authority())
    money = result.allocation
    assert money.fees == min(late.amount, before.fees)
    assert money.interest == min(late.amount - money.fees, before.interest)
    assert money.principal == min(late.amount - money.fees - money.interest, before.principal)


@given(invoice=receivable_invoices())
def test_law_replay_accounts_for_every_cent(invoice: Invoice) -> None:
    """Law (replay): the open parts add up to the open amount, each split to its payment."""
    assert balance(invoice).total == invoice.open_amount
    assert balance(invoice).credit.is_zero
    for payment, split in zip(invoice.payments, allocations(invoice), strict=True):
        assert split.received == payment.amount
        assert split.settled == payment.settled


@st.composite
def split_payments(draw: st.DrawFn) -> tuple[Invoice, tuple[Money, ...], list[int], dt.date]:
    """An invoice, an amount around its open amount split into parts, an order, and a day."""
    invoice = draw(receivable_invoices(max_payments=1))
    day = max(draw(st.sampled_from((invoice.issue_date, invoice.due_date))), invoice.history[-1].on)
    open_amount = invoice.open_amount
    offer = discount_offer(invoice, today=day)
    choices = [open_amount, open_amount + open_amount, open_amount.allocate([1, 1])[0]]
    if offer.is_positive:  # within the discount period, mostly try the discounted amounts
        choices = [open_amount - offer, open_amount - offer.allocate([1, 1])[1], *choices]
    total = draw(st.sampled_from([c for c in choices if c.is_positive]))
    parts = draw(payment_splits(total=total, max_size=4))
    order = draw(st.permutations(range(len(parts))))
    return invoice, parts, list(order), day


def _record_all(invoice: Invoice, parts: tuple[Money, ...], day: dt.date) -> Invoice:
    """Record the parts one by one; once PAID, the rest would be refused, so stop there."""
    for part in parts:
        if invoice.status is Status.PAID:
            with pytest.raises(PaymentStateError):
                record_payment(
                    invoice, Payment(on=day, amount=part), actor=AUTOMATIC, authority=Authority()
                )
            break
        invoice = record_payment(
            invoice, Payment(on=day, amount=part), actor=AUTOMATIC, authority=Authority()
        ).invoice
    return invoice


@given(case=split_payments())
def test_law_any_split_in_any_order_ends_alike(
    case: tuple[Invoice, tuple[Money, ...], list[int], dt.date],
) -> None:
    """Law: one amount paid on one day as one payment, or split in any order, ends in the same
    open amount and state (cash discount included)."""
    invoice, parts, order, day = case
    total = sum((p.amount for p in parts), Decimal(0))
    whole = record_payment(
        invoice,
        Payment(on=day, amount=Money(total, invoice.currency)),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    in_order = _record_all(invoice, parts, day)
    shuffled = _record_all(invoice, tuple(parts[i] for i in order), day)
    assert in_order.open_amount == shuffled.open_amount == whole.open_amount
    assert in_order.status is shuffled.status is whole.status


@st.composite
def refused_payments(draw: st.DrawFn) -> tuple[Invoice, Payment]:
    invoice = draw(receivable_invoices(currency="EUR"))
    if draw(st.booleans()):
        closed = [s for s in Status if s.is_booked and s not in PAYABLE_STATES]
        status = draw(st.sampled_from(closed))
        closed_invoice = reached(status)
        payment = draw(payments(currency="EUR"))  # on a day the history allows
        payment = attrs.evolve(payment, on=max(payment.on, closed_invoice.history[-1].on))
        return closed_invoice, payment
    return invoice, draw(payments(currency=draw(st.sampled_from(("USD", "JPY", "CHF")))))


@given(case=refused_payments())
def test_law_rejected_payment_leaves_invoice_unchanged(case: tuple[Invoice, Payment]) -> None:
    """Law: a refused payment (wrong state or currency) raises and leaves the invoice as it was."""
    invoice, payment = case
    before = attrs.evolve(invoice)
    with pytest.raises(PaymentRejectedError):
        record_payment(invoice, payment, actor=AUTOMATIC, authority=Authority())
    assert invoice == before
    assert invoice.history == before.history
    assert invoice.payments == before.payments


# -- dunning and payments together ---------------------------------------------------


@st.composite
def dunning_with_payments(
    draw: st.DrawFn,
) -> tuple[Invoice, DunningRules, dict[dt.date, tuple[Money, ...]]]:
    """A dunnable invoice, rules with an active stage, and payments spread over 90 days from
    the due date (parts of the open amount, at times all of it or more)."""
    invoice = draw(dunnable_invoices(dunning_enabled=True))
    rules = draw(dunning_rules(currency=invoice.currency, min_active=1))
    open_amount = invoice.open_amount
    shares = (open_amount.allocate([1, 3])[0], open_amount, open_amount + open_amount)
    paid: dict[dt.date, tuple[Money, ...]] = {}
    first = max(invoice.due_date, invoice.history[-1].on)
    for offset in draw(st.lists(st.integers(0, 90), max_size=3)):
        day = first + dt.timedelta(days=offset)
        share = draw(st.sampled_from([s for s in shares if s.is_positive]))
        paid[day] = (*paid.get(day, ()), share)
    return invoice, rules, paid


@given(case=dunning_with_payments())
def test_law_dunning_follows_what_payments_left_open(
    case: tuple[Invoice, DunningRules, dict[dt.date, tuple[Money, ...]]],
) -> None:
    """Law (engine and payments agree): run daily, payments booked before the day's run.
    A stage is issued only while something is open, on exactly what the payments left
    (balance total plus the new fee), and recording it adds just that fee; once a payment
    settles the invoice it is PAID and never dunned again."""
    invoice, rules, paid = case
    day = max(invoice.due_date, invoice.history[-1].on)
    for _ in range(91):
        for amount in paid.get(day, ()):
            if invoice.status is not Status.PAID:
                invoice = record_payment(
                    invoice, Payment(on=day, amount=amount), actor=AUTOMATIC, authority=Authority()
                ).invoice
        action = next_dunning_action(invoice, rules, today=day)
        if invoice.status is Status.PAID:
            assert action == NoAction(invoice_id=invoice.id, reason=NoActionReason.SETTLED)
        elif isinstance(action, IssueStage):
            assert invoice.open_amount.is_positive
            assert action.open_amount == balance(invoice).total + action.fee + action.interest
            invoice = sent_as_decided(invoice, action)
            assert invoice.open_amount == action.open_amount
            assert balance(invoice).total == invoice.open_amount
        day += dt.timedelta(days=1)
    assert (invoice.status is Status.PAID) == (not invoice.open_amount.is_positive)


def test_the_replay_uses_credit_piece_by_piece() -> None:
    """Credit larger than a charge settles it and keeps the rest, oldest first, for the next
    charge or clearing; what no credit covers stays owed."""
    replay = _Replay(currency="EUR", credit=[(None, Decimal("8.00"))])
    replay.charge(_CHARGE_FEE, Decimal("5.00"))
    assert (replay.fees, replay.credit) == (Decimal(0), [(None, Decimal("3.00"))])
    replay.use_credit(Decimal("2.00"))
    assert replay.credit == [(None, Decimal("1.00"))]
    replay.charge(_CHARGE_FEE, Decimal("5.00"))
    assert (replay.fees, replay.credit) == (Decimal("4.00"), [])


def test_replay_holds_money_paid_before_a_later_discount_as_credit() -> None:
    """Replay of a stored invoice (built by hand, each booking with its entry): 99.00 paid
    on the issue day, a 5.00 fee on the due date, then 4.00 with a 2.00 discount. Replay
    takes the discount off the principal first (98.00), so 1.00 of the first payment is
    held as credit and pays the later fee; nothing is left open."""
    terms = PaymentTerms(net_days=10, discount_percent=Decimal(2), discount_days=10)
    base, due = sent("100.00", terms=terms), ISSUED + dt.timedelta(days=10)

    def entry(on: dt.date, kind: EventKind, source: Status, target: Status, detail: str) -> Any:
        return HistoryEntry(on=on, kind=kind, from_status=source, to_status=target, detail=detail)

    invoice = attrs.evolve(
        base,
        status=Status.PAID,
        payments=(pay(ISSUED, "99.00"),
                  Payment(on=due, amount=eur("4.00"), discount=eur("2.00"))),
        issued_stages=(IssuedStage(level=1, on=due, due_date=due + dt.timedelta(7),
                                   fee=eur("5.00")),),
        history=(*base.history,
                 entry(ISSUED, EventKind.PAYMENT, Status.SENT, Status.SENT,
                       "payment of 99.00 EUR received; open 1.00 EUR"),
                 entry(due, EventKind.STAGE_ISSUED, Status.SENT, Status.DUNNED,
                       "level 1 notice sent, due 2026-05-13, fee 5.00 EUR"),
                 entry(due, EventKind.PAYMENT, Status.DUNNED, Status.PAID,
                       "payment of 4.00 EUR received; cash discount 2.00 EUR granted; "
                       "open 0.00 EUR")),
    )  # fmt: skip
    assert allocations(invoice)[0].principal == eur("98.00")
    assert balance(invoice).total == invoice.open_amount == eur("0.00")
