"""Payments taken back (issue 27): a payment booked to the wrong invoice, or a returned SEPA
direct debit, is reversed through the one booking path; the invoice reopens and money is
conserved."""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest

from builders import ANN, DUE, eur, notice_action, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    NumberSequence,
    Payment,
    PaymentTerms,
    Status,
    as_of,
    cancel,
    from_json,
    record_interest,
    record_payment,
    record_stage,
    to_json,
)
from dunlib.core import EventKind, InterestCharge
from dunlib.dunning import InstalmentPlan, agree_plan, instalment_plan
from dunlib.io import seal_invoice, verify_chain
from dunlib.ledger import SKR03, Role, journal
from dunlib.payments import (
    FeeWaiver,
    Reversal,
    allocations,
    balance,
    rebook_payment,
    reverse_payment,
    waive_fees,
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


def reopened() -> Invoice:
    """The paid seed invoice with its payment taken back two days later (MD06)."""
    return reverse_payment(
        paid(), Reversal(on=D(2026, 5, 12), payment=0, reason="MD06"), actor=ANN, authority=AUTH
    ).invoice


def test_an_invoice_refuses_reversals_its_history_did_not_book() -> None:
    """A reversal no entry booked, one of a payment not booked before, a detail that names
    another amount, and a reopened state other than where the table leads are each refused,
    naming the field."""
    invoice = reopened()
    with pytest.raises(InvalidValueError, match=r"Invoice\.status.*open: 0\.00 EUR"):
        attrs.evolve(invoice, reversals=())  # the entry reopened it: nothing would be open
    part = reverse_payment(paid("50.00"), Reversal(on=DUE, payment=0), actor=ANN, authority=AUTH)
    with pytest.raises(InvalidValueError, match=r"Invoice\.history\[\d+\]\.kind"):
        attrs.evolve(part.invoice, reversals=())
    later = record_payment(
        part.invoice, Payment(on=DUE, amount=eur("20.00")), actor=ANN, authority=AUTH
    ).invoice
    ahead = attrs.evolve(later.reversals[0], payment=1)  # a payment booked after it
    with pytest.raises(InvalidValueError, match=r"Invoice\.reversals\[0\]\.payment"):
        attrs.evolve(later, reversals=(ahead,))
    entry = invoice.history[-1]
    wrong = attrs.evolve(entry, detail=entry.detail.replace("MD06", "AC04"))
    with pytest.raises(InvalidValueError, match=r"Invoice\.history\[\d+\]\.detail"):
        attrs.evolve(invoice, history=(*invoice.history[:-1], wrong))
    dunned = record_stage(
        sent(), notice_action(sent(), D(2026, 5, 24), fee="5.00"), actor=AUTOMATIC,
        authority=AUTH,
    )  # fmt: skip
    settled = record_payment(
        dunned, Payment(on=D(2026, 5, 30), amount=eur("124.00")), actor=ANN, authority=AUTH
    ).invoice
    again = reverse_payment(
        settled, Reversal(on=D(2026, 6, 2), payment=0), actor=ANN, authority=AUTH
    ).invoice
    again = record_stage(
        again, notice_action(again, D(2026, 6, 10), fee="0.00"), actor=AUTOMATIC,
        authority=AUTH,
    )  # fmt: skip
    *before, taken, notice = again.history
    as_sent = attrs.evolve(taken, to_status=Status.SENT)  # reopened as sent, then dunned
    redunned = attrs.evolve(notice, from_status=Status.SENT)
    with pytest.raises(InvalidValueError, match=r"to_status.*DUNNED: a notice dunned it"):
        attrs.evolve(again, history=(*before, as_sent, redunned))
    with pytest.raises(InvalidValueError, match=r"Invoice\.reversals\[0\]\.bank_fee"):
        attrs.evolve(
            invoice,
            reversals=(attrs.evolve(invoice.reversals[0], bank_fee=Money("1.00", "USD")),),
        )


def test_an_invoice_refuses_fee_waivers_its_history_did_not_book() -> None:
    dunned = record_stage(
        sent(), notice_action(sent(), D(2026, 5, 24), fee="5.00"), actor=AUTOMATIC,
        authority=AUTH,
    )  # fmt: skip
    waived = waive_fees(
        dunned, FeeWaiver(on=D(2026, 5, 25), amount=eur("2.00")), actor=ANN, authority=AUTH
    )
    with pytest.raises(InvalidValueError, match=r"Invoice\.history\[\d+\]\.kind"):
        attrs.evolve(waived, fee_waivers=())
    entry = waived.history[-1]
    more = attrs.evolve(waived.fee_waivers[0], amount=eur("6.00"))
    with pytest.raises(InvalidValueError, match=r"Invoice\.fee_waivers\[0\]\.amount"):
        attrs.evolve(waived, fee_waivers=(more,))
    wrong = attrs.evolve(entry, detail=entry.detail.replace("2.00", "3.00"))
    with pytest.raises(InvalidValueError, match=r"Invoice\.history\[\d+\]\.detail"):
        attrs.evolve(waived, history=(*waived.history[:-1], wrong))
    usd = attrs.evolve(waived.fee_waivers[0], amount=Money("2.00", "USD"))
    with pytest.raises(InvalidValueError, match=r"Invoice\.fee_waivers\[0\]\.amount"):
        attrs.evolve(waived, fee_waivers=(usd,))


def test_a_payment_taken_back_no_longer_keeps_an_instalment_plan() -> None:
    """An instalment paid and taken back counts for nothing: the plan, read along the
    history, sees it gone (a cancellation after it is read with the payments kept)."""
    invoice = sent()
    plan = InstalmentPlan.monthly(invoice.open_amount, on=DUE, first_due=DUE, count=2)
    planned = agree_plan(invoice, plan, actor=ANN, authority=AUTH)
    first = Payment(on=D(2026, 5, 11), amount=plan.instalments[0].amount)
    paid_once = record_payment(planned, first, actor=ANN, authority=AUTH).invoice
    back = reverse_payment(
        paid_once, Reversal(on=D(2026, 5, 12), payment=0), actor=ANN, authority=AUTH
    ).invoice
    assert instalment_plan(back, today=D(2026, 5, 13)) is not None
    charged = record_interest(
        back, InterestCharge(on=D(2026, 5, 20), amount=eur("0.10")), actor=ANN, authority=AUTH
    )  # read along the history: the plan no longer holds, the instalment taken back
    assert charged.interest_charged == eur("0.10")
    assert from_json(to_json(charged), Invoice) == charged


def test_a_discounted_payment_taken_back_takes_its_discount_back_in_the_journal() -> None:
    terms = PaymentTerms(net_days=30, discount_percent=2, discount_days=10)
    invoice = sent("119.00", terms=terms)
    discounted = record_payment(
        invoice, Payment(on=invoice.issue_date, amount=eur("116.62")), actor=ANN,
        authority=AUTH,
    ).invoice  # fmt: skip
    back = reverse_payment(
        discounted, Reversal(on=D(2026, 5, 1), payment=0), actor=ANN, authority=AUTH
    ).invoice
    assert back.open_amount == eur("119.00")
    taken = journal(back, chart=SKR03)[-1]
    roles = (Role.DISCOUNTS_GRANTED, Role.OUTPUT_VAT)
    back_out = sum((p.amount for p in taken.postings if p.role in roles), Money.zero("EUR"))
    assert back_out == -discounted.payments[0].settled + discounted.payments[0].amount


def test_an_invoice_whose_only_payment_was_taken_back_may_be_cancelled() -> None:
    """Nothing settled stands once the payment is taken back: the cancellation is allowed
    (guard nothing-settled reads the payments kept), and the history reads back."""
    back = reverse_payment(
        paid("50.00"), Reversal(on=DUE, payment=0), actor=ANN, authority=AUTH
    ).invoice
    done = cancel(
        back, id="S-1", actor=ANN, on=D(2026, 5, 12), sequence=NumberSequence(prefix="ST-"),
        authority=AUTH,
    )  # fmt: skip
    assert done.original.status is Status.CANCELLED
    assert from_json(to_json(done.original), Invoice) == done.original


def test_the_audit_chain_ties_a_reversal_and_a_waiver_to_the_entries_that_booked_them() -> None:
    """A sealed invoice with a payment taken back and a fee waived: a changed reversal or
    waiver is named as the history entry that booked it."""
    dunned = record_stage(
        sent(), notice_action(sent(), D(2026, 5, 24), fee="5.00"), actor=AUTOMATIC,
        authority=AUTH,
    )  # fmt: skip
    waived = waive_fees(
        dunned, FeeWaiver(on=D(2026, 5, 25), amount=eur("1.00")), actor=ANN, authority=AUTH
    )
    part = record_payment(
        waived, Payment(on=D(2026, 5, 26), amount=eur("20.00")), actor=ANN, authority=AUTH
    ).invoice
    back = reverse_payment(
        part, Reversal(on=D(2026, 5, 27), payment=0), actor=ANN, authority=AUTH
    ).invoice
    sealed = seal_invoice(back, salt="ab" * 16)
    assert verify_chain(sealed) is None
    changed = json.loads(json.dumps(sealed))
    changed["reversals"][0]["reason"] = "changed"
    assert verify_chain(changed).entry == len(back.history) - 1  # type: ignore[union-attr]
    changed = json.loads(json.dumps(sealed))
    changed["fee_waivers"][0]["reason"] = "changed"
    assert verify_chain(changed).entry == len(back.history) - 3  # type: ignore[union-attr]
