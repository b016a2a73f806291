"""Holds on dunning: dispute, promise to pay, pending direct debit; placed and lifted as
bookings, read by the engine, ended by themselves."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, ANN, DUE, SEED_RULES, eur, sent
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    CustomerAccount,
    GuardFailedError,
    Hold,
    HoldKind,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    NoAction,
    NoActionReason,
    Payment,
    PermissionDeniedError,
    Status,
    TransitionNotAllowedError,
    hold_account,
    lift_hold,
    next_dunning_action,
    place_hold,
    record_payment,
    record_stage,
    simulate,
    trigger_date,
)
from dunlib.core import EventKind
from dunlib.dunning import holds_on
from dunlib.strategies import customer_accounts, dates, dunning_rules, held_invoices, holds

D = dt.date
HELD = {
    HoldKind.DISPUTE: NoActionReason.DISPUTED,
    HoldKind.PROMISE_TO_PAY: NoActionReason.PROMISED_TO_PAY,
    HoldKind.DIRECT_DEBIT: NoActionReason.DIRECT_DEBIT_PENDING,
}


def reminded() -> tuple[Invoice, IssueStage]:
    """The seed invoice with its first reminder, sent on 24.05.2026."""
    invoice = sent()
    action = next_dunning_action(invoice, SEED_RULES, today=D(2026, 5, 24))
    assert isinstance(action, IssueStage)
    return record_stage(invoice, action, actor=AUTOMATIC, authority=Authority()), action


# -- scenarios --------------------------------------------------------------------------


def test_a_broken_promise_to_pay_by_the_10th_resumes_dunning_on_the_11th() -> None:
    """Reminded on 24.05., the customer promises on 28.05. to pay by 10.06.: the second
    reminder (due 31.05.) waits; still open on 11.06., it goes out that day, and the third
    counts from it (18.06.), not from the day it would have been due: no burst."""
    invoice, _ = reminded()
    promise = Hold.promise_to_pay(on=D(2026, 5, 28), until=D(2026, 6, 10), reason="by phone")
    held = place_hold(invoice, promise, actor=ANN, authority=Authority())
    for day in (D(2026, 5, 28), D(2026, 5, 31), D(2026, 6, 10)):
        action = next_dunning_action(held, SEED_RULES, today=day)
        assert action == NoAction(
            invoice_id=held.id, reason=NoActionReason.PROMISED_TO_PAY, next_on=D(2026, 6, 11)
        )
    schedule = simulate(held, SEED_RULES, until=D(2026, 7, 31))
    assert [(entry.on, entry.level) for entry in schedule] == [
        (D(2026, 6, 11), 2),
        (D(2026, 6, 18), 3),
        (D(2026, 6, 25), 4),
    ]


def test_a_promise_kept_ends_dunning() -> None:
    """Paid by the promised day, nothing more is sent."""
    invoice, _ = reminded()
    promise = Hold.promise_to_pay(on=D(2026, 5, 28), until=D(2026, 6, 10), reason="by mail")
    held = place_hold(invoice, promise, actor=ANN, authority=Authority())
    paid = record_payment(
        held,
        Payment(on=D(2026, 6, 9), amount=eur("119.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    assert paid.status is Status.PAID
    assert list(simulate(paid, SEED_RULES, until=D(2026, 7, 31))) == []


def test_a_direct_debit_returned_after_the_collection_date_resumes_dunning_that_day() -> None:
    """A direct debit to be collected on Friday 22.05. holds dunning up to the end of its
    return window of five TARGET2 business days (Friday 29.05.); the first reminder, due
    24.05., waits. The debit comes back on
    25.05., after the collection date: the hold is lifted and the reminder goes out that day."""
    invoice = sent()
    debit = Hold.direct_debit(on=D(2026, 5, 5), collection_date=D(2026, 5, 22))
    assert debit.return_days == 5
    assert debit.ends_on == D(2026, 5, 29)
    held = place_hold(invoice, debit, actor=ANN, authority=Authority())
    assert next_dunning_action(held, SEED_RULES, today=D(2026, 5, 24)) == NoAction(
        invoice_id=held.id, reason=NoActionReason.DIRECT_DEBIT_PENDING, next_on=D(2026, 5, 30)
    )
    waited = simulate(held, SEED_RULES, until=D(2026, 6, 1))
    assert [entry.on for entry in waited] == [D(2026, 5, 30)]

    returned = lift_hold(
        held,
        HoldKind.DIRECT_DEBIT,
        on=D(2026, 5, 25),
        actor=ANN,
        reason="returned: MD06",
        authority=Authority(),
    )
    assert returned.holds[0].lifted_on == D(2026, 5, 25)
    assert holds_on(returned, today=D(2026, 5, 25)) == ()
    assert holds_on(returned, today=D(2026, 5, 24)) == (returned.holds[0],)
    action = next_dunning_action(returned, SEED_RULES, today=D(2026, 5, 25))
    assert isinstance(action, IssueStage)
    assert action.level == 1
    entry = returned.history[-1]
    assert (entry.kind, entry.on, entry.actor) == (EventKind.HOLD_LIFTED, D(2026, 5, 25), "ann")
    assert entry.detail == "direct_debit hold lifted: returned: MD06"


def test_a_direct_debit_collected_settles_the_invoice() -> None:
    """The debit is collected: a payment; nothing more is dunned."""
    held = place_hold(
        sent(),
        Hold.direct_debit(on=D(2026, 5, 5), collection_date=DUE),
        actor=ANN,
        authority=Authority(),
    )
    paid = record_payment(
        held, Payment(on=DUE, amount=eur("119.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    action = next_dunning_action(paid, SEED_RULES, today=D(2026, 5, 30))
    assert isinstance(action, NoAction)
    assert action.reason is NoActionReason.SETTLED


def test_an_open_ended_dispute_holds_until_lifted() -> None:
    """A dispute without an end holds on (no next day known) until it is lifted."""
    dispute = Hold.dispute(on=D(2026, 5, 12), reason="goods damaged")
    held = place_hold(sent(), dispute, actor=ANN, authority=Authority())
    assert next_dunning_action(held, SEED_RULES, today=D(2027, 1, 1)) == NoAction(
        invoice_id=held.id, reason=NoActionReason.DISPUTED
    )
    assert list(simulate(held, SEED_RULES, until=D(2026, 12, 31))) == []
    settled = lift_hold(held, HoldKind.DISPUTE, on=D(2026, 7, 1), actor=ANN, authority=Authority())
    assert settled.history[-1].detail == "dispute hold lifted"
    assert [e.on for e in simulate(settled, SEED_RULES, until=D(2026, 7, 1))] == [D(2026, 7, 1)]


def test_holds_of_two_kinds_name_the_one_that_ends_last() -> None:
    """A dispute and a promise at once: the reason is the hold ending last, next_on the day
    neither holds any more; an open-ended one leaves next_on unknown."""
    invoice = place_hold(
        sent(),
        Hold.promise_to_pay(on=D(2026, 5, 20), until=D(2026, 6, 1), reason="by phone"),
        actor=ANN,
        authority=Authority(),
    )
    both = place_hold(
        invoice,
        Hold.dispute(on=D(2026, 5, 21), until=D(2026, 6, 5), reason="quantity"),
        actor=ANN,
        authority=Authority(),
    )
    assert next_dunning_action(both, SEED_RULES, today=D(2026, 5, 30)) == NoAction(
        invoice_id=both.id, reason=NoActionReason.DISPUTED, next_on=D(2026, 6, 6)
    )
    open_ended = place_hold(
        invoice,
        Hold.dispute(on=D(2026, 5, 21), reason="quantity"),
        actor=ANN,
        authority=Authority(),
    )
    assert next_dunning_action(open_ended, SEED_RULES, today=D(2026, 5, 30)) == NoAction(
        invoice_id=both.id, reason=NoActionReason.DISPUTED
    )


def test_placing_a_hold_is_a_booking_in_the_history() -> None:
    """The HOLD row: history entry with the kind, the reason and the end; the state stays."""
    promise = Hold.promise_to_pay(on=D(2026, 5, 28), until=D(2026, 6, 10), reason="by phone")
    held = place_hold(sent(), promise, actor=ANN, authority=Authority())
    entry = held.history[-1]
    assert held.status is Status.SENT
    assert held.holds == (promise,)
    assert (entry.kind, entry.on, entry.actor) == (EventKind.HOLD_PLACED, D(2026, 5, 28), "ann")
    assert entry.detail == "promise_to_pay hold: by phone (up to 2026-06-10)"
    debit = place_hold(
        sent(),
        Hold.direct_debit(on=D(2026, 5, 5), collection_date=D(2026, 5, 22)),
        actor=ANN,
        authority=Authority(),
    )
    assert debit.history[-1].detail == (
        "direct_debit hold: SEPA direct debit pending "
        "(collection on 2026-05-22, held up to 2026-05-29)"
    )
    dispute = place_hold(sent(), Hold.dispute(on=DUE, reason="x"), actor=ANN, authority=Authority())
    assert dispute.history[-1].detail == "dispute hold: x (until lifted)"
    dunned, _ = reminded()
    assert place_hold(dunned, promise, actor=ANN, authority=Authority()).status is Status.DUNNED


def test_hold_bookings_check_rights_days_guards_and_state() -> None:
    """Rights, no back-dating, one hold of a kind at a time, only a holding hold is lifted,
    and only SENT and DUNNED invoices are held."""
    promise = Hold.promise_to_pay(on=D(2026, 5, 28), until=D(2026, 6, 10), reason="by phone")
    clerk = Actor(id="dora", roles={"clerk"})
    with pytest.raises(PermissionDeniedError):
        place_hold(sent(), promise, actor=clerk, authority=Authority())
    with pytest.raises(InvalidValueError, match="place_hold.on"):
        place_hold(
            sent(),
            attrs.evolve(promise, on=D(2026, 4, 1), until=D(2026, 4, 2)),
            actor=ANN,
            authority=Authority(),
        )
    held = place_hold(sent(), promise, actor=ANN, authority=Authority())
    with pytest.raises(GuardFailedError, match="not-held"):
        place_hold(held, attrs.evolve(promise, on=D(2026, 6, 1)), actor=ANN, authority=Authority())
    again = place_hold(
        held,
        attrs.evolve(promise, on=D(2026, 6, 11), until=D(2026, 6, 20)),
        actor=ANN,
        authority=Authority(),
    )
    assert len(again.holds) == 2
    with pytest.raises(GuardFailedError, match="held"):
        lift_hold(held, HoldKind.DISPUTE, on=D(2026, 6, 1), actor=ANN, authority=Authority())
    with pytest.raises(GuardFailedError, match="held"):
        lift_hold(
            held, HoldKind.PROMISE_TO_PAY, on=D(2026, 6, 11), actor=ANN, authority=Authority()
        )
    with pytest.raises(InvalidValueError, match="lift_hold.on"):
        lift_hold(held, HoldKind.PROMISE_TO_PAY, on=D(2026, 5, 1), actor=ANN, authority=Authority())
    with pytest.raises(PermissionDeniedError):
        lift_hold(
            held, HoldKind.PROMISE_TO_PAY, on=D(2026, 6, 1), actor=clerk, authority=Authority()
        )
    paid = record_payment(
        sent(),
        Payment(on=D(2026, 5, 1), amount=eur("119.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    with pytest.raises(TransitionNotAllowedError):
        place_hold(paid, promise, actor=ANN, authority=Authority())
    with pytest.raises(InvalidValueError, match="lifted_on"):
        place_hold(
            sent(), attrs.evolve(promise, lifted_on=D(2026, 6, 1)), actor=ANN, authority=Authority()
        )


def test_a_hold_lifted_the_day_it_was_placed_never_held() -> None:
    """Lifted on its own day, a hold holds on no day."""
    held = place_hold(
        sent(), Hold.dispute(on=D(2026, 5, 28), reason="x"), actor=ANN, authority=Authority()
    )
    lifted = lift_hold(held, HoldKind.DISPUTE, on=D(2026, 5, 28), actor=ANN, authority=Authority())
    hold = lifted.holds[0]
    assert not hold.holds_on(today=D(2026, 5, 28))
    assert hold.resumes_on == D(2026, 5, 28)


def test_holds_are_checked_when_built() -> None:
    """A promise and a direct debit need their day; the end is not before the start; only a
    direct debit has a return window; a lift is not before the hold."""
    with pytest.raises(InvalidValueError, match="Hold.until"):
        Hold(kind=HoldKind.PROMISE_TO_PAY, on=DUE, reason="x")
    with pytest.raises(InvalidValueError, match="Hold.until"):
        Hold.dispute(on=DUE, until=D(2026, 5, 1), reason="x")
    with pytest.raises(InvalidValueError, match="Hold.return_days"):
        Hold(kind=HoldKind.DISPUTE, on=DUE, reason="x", until=DUE, return_days=3)
    with pytest.raises(InvalidValueError, match="Hold.return_days"):
        Hold.direct_debit(on=DUE, collection_date=D(9999, 12, 30), return_days=1)
    with pytest.raises(InvalidValueError, match="Hold.lifted_on"):
        Hold(kind=HoldKind.DISPUTE, on=DUE, reason="x", lifted_on=D(2026, 5, 1))
    with pytest.raises(InvalidValueError, match="Hold.reason"):
        Hold.dispute(on=DUE, reason=" ")
    lifted = Hold(kind=HoldKind.DISPUTE, on=DUE, reason="x", until=D(2026, 6, 1))
    assert attrs.evolve(lifted, lifted_on=D(2026, 7, 1)).ends_on == D(2026, 6, 1)
    assert attrs.evolve(lifted, lifted_on=D(2026, 5, 20)).ends_on == D(2026, 5, 19)
    with pytest.raises(InvalidTypeError, match="place_hold.hold"):
        place_hold(sent(), "hold", actor=ANN, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="lift_hold.kind"):
        lift_hold(sent(), "dispute", on=DUE, actor=ANN, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="lift_hold.reason"):
        lift_hold(sent(), HoldKind.DISPUTE, on=DUE, actor=ANN, reason=1, authority=Authority())  # type: ignore[arg-type]


def test_a_customer_level_hold_holds_every_invoice_of_the_customer() -> None:
    """A promise to pay on the customer's account holds each of its invoices."""
    account = hold_account(
        CustomerAccount(customer_id=ACME.id),
        Hold.promise_to_pay(on=D(2026, 5, 20), until=D(2026, 6, 10), reason="all open items"),
        actor=ANN,
        authority=Authority(),
    )
    for number in ("RE-1", "RE-2"):
        invoice = sent(number=number)
        assert next_dunning_action(invoice, SEED_RULES, today=D(2026, 5, 24), account=account) == (
            NoAction(
                invoice_id=number, reason=NoActionReason.PROMISED_TO_PAY, next_on=D(2026, 6, 11)
            )
        )
        schedule = simulate(invoice, SEED_RULES, until=D(2026, 6, 11), account=account)
        assert [entry.on for entry in schedule] == [D(2026, 6, 11)]


# -- laws -------------------------------------------------------------------------------


@given(data=st.data())
def test_no_document_while_a_hold_holds_and_the_next_stage_on_its_end_law(
    data: st.DataObject,
) -> None:
    """Law: an invoice on any hold gets no document while the hold holds (the engine names
    the hold and the day it ends); on the day it ends by itself, a stage that fell due
    during the hold is issued at once, one stage only (never a burst of several), and the
    stages that follow count from that document."""
    invoice = data.draw(held_invoices(currency="EUR"))
    hold = invoice.holds[-1]
    rules = data.draw(dunning_rules(currency="EUR", min_active=1, max_stages=4))
    until = hold.on + dt.timedelta(days=150)
    schedule = simulate(invoice, rules, until=until)
    assert not any(hold.holds_on(today=entry.on) for entry in schedule)
    end, resumes = hold.ends_on, hold.resumes_on
    day = data.draw(dates(min_value=hold.on, max_value=end or until))
    action = next_dunning_action(invoice, rules, today=day)
    assert isinstance(action, NoAction)
    assert action.reason in (HELD[hold.kind], NoActionReason.BELOW_MINIMUM, NoActionReason.SETTLED)
    if action.reason is HELD[hold.kind]:
        assert action.next_on == resumes
    if end is None or resumes is None or resumes > until:
        return
    before = simulate(invoice, rules, until=end)
    due = trigger_date(before.invoice, rules)
    after = [entry for entry in schedule if entry.on >= resumes]
    if due is not None and due <= resumes and before.escalation is None:
        first = next_dunning_action(before.invoice, rules, today=resumes)
        if isinstance(first, IssueStage):
            assert after[0].on == resumes
            assert after[0].level == before.invoice.dunning_level + 1
            if len(after) > 1:
                assert after[1].on > resumes


@given(data=st.data())
def test_trigger_date_stays_a_lower_bound_under_holds_and_accounts_law(
    data: st.DataObject,
) -> None:
    """Law: with holds on the invoice and any customer account, the engine never issues a
    stage before engine.trigger_date (a hold or an account only ever delays dunning)."""
    invoice = data.draw(held_invoices())
    rules = data.draw(dunning_rules(currency=invoice.currency, min_active=1))
    account = data.draw(
        customer_accounts(customer_id=invoice.customer.id, currency=invoice.currency)
    )
    day = data.draw(dates(min_value=invoice.history[-1].on, max_value=D(2031, 12, 31)))
    action = next_dunning_action(invoice, rules, today=day, account=account)
    due = trigger_date(invoice, rules)
    if isinstance(action, IssueStage):
        assert due is not None
        assert day >= due


@given(hold=holds(lifted=None))
def test_a_hold_holds_exactly_from_its_day_to_its_end_law(hold: Hold) -> None:
    """Law: a hold holds on its first day (unless lifted that day), on its last day and on
    no day after; resumes_on is the day after ends_on."""
    end = hold.ends_on
    if hold.lifted_on != hold.on:
        assert hold.holds_on(today=hold.on)
    assert not hold.holds_on(today=hold.on - dt.timedelta(days=1))
    if end is not None:
        assert hold.resumes_on == end + dt.timedelta(days=1)
        assert not hold.holds_on(today=end + dt.timedelta(days=1))
        if end >= hold.on:
            assert hold.holds_on(today=end)
    else:
        assert hold.resumes_on is None
        assert hold.holds_on(today=hold.on + dt.timedelta(days=3650))
