"""What-if events: simulate takes payments and credit notes, booked as the real operations."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import ANN, SEED_RULES, eur, sent, sent_as_decided
from dunlib import (
    AUTOMATIC,
    CreditNote,
    DunningRules,
    Escalate,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Pause,
    Payment,
    Resume,
    Status,
    TransitionNotAllowedError,
    WhatIfEvent,
    apply_event,
    next_dunning_action,
    pause,
    record_credit_note,
    record_payment,
    simulate,
)
from dunlib.analytics import WHAT_IF_ACCOUNTANT
from dunlib.analytics.whatif import apply_what_if, describe_event
from dunlib.core import EventKind, PaymentStateError
from dunlib.strategies import dunnable_invoices, dunning_rules, what_if_events
from dunlib.workflow.policy import Authority

DUE = date(2026, 5, 10)


def test_what_if_the_customer_pays_half_on_day_20() -> None:
    """Seed ladder (14, 7, 7 and a 5.00 notice), 119.00 due 10.05.: half paid on day 20 after
    the due date (30.05.). The 1st reminder (24.05.) asks for 119.00, the 2nd (31.05.) for
    59.50, and the notice adds its fee to what is left."""
    schedule = simulate(
        sent(),
        SEED_RULES,
        until=date(2026, 6, 30),
        events=(Payment(on=DUE + timedelta(days=20), amount=eur("59.50")),),
    )
    assert [(e.on, e.open_amount) for e in schedule] == [
        (date(2026, 5, 24), eur("119.00")),
        (date(2026, 5, 31), eur("59.50")),
        (date(2026, 6, 7), eur("59.50")),
        (date(2026, 6, 14), eur("64.50")),
    ]
    assert schedule.invoice.paid == eur("59.50")
    assert schedule.events == (Payment(on=date(2026, 5, 30), amount=eur("59.50")),)
    assert "2026-05-30  payment of 59.50 EUR" in str(schedule)


def test_a_payment_in_full_ends_the_dunning() -> None:
    """Paying everything on 27.05. settles the invoice (PAID): no reminder after it."""
    schedule = simulate(
        sent(),
        SEED_RULES,
        until=date(2026, 6, 30),
        events=(Payment(on=date(2026, 5, 27), amount=eur("119.00")),),
    )
    assert [e.level for e in schedule] == [1]
    assert schedule.invoice.status is Status.PAID
    assert schedule.invoice.open_amount == eur("0.00")


def test_a_payment_on_the_day_of_a_run_counts_before_the_run() -> None:
    """Events apply at the start of their day: full payment on 24.05. means no reminder."""
    schedule = simulate(
        sent(),
        SEED_RULES,
        until=date(2026, 6, 30),
        events=(Payment(on=date(2026, 5, 24), amount=eur("119.00")),),
    )
    assert len(schedule) == 0


def test_a_credit_note_lowers_what_later_documents_ask_for() -> None:
    """A credit note of 19.00 on 01.06. is booked by the what-if accountant: later documents
    ask for 100.00 (plus the notice's fee)."""
    note = CreditNote(id="GS-1", on=date(2026, 6, 1), amount=eur("19.00"), reason="discount")
    schedule = simulate(sent(), SEED_RULES, until=date(2026, 6, 30), events=(note,))
    assert [e.open_amount for e in schedule] == [
        eur("119.00"),
        eur("119.00"),
        eur("100.00"),
        eur("105.00"),
    ]
    assert schedule.invoice.credit_notes == (note,)
    booked = [e for e in schedule.invoice.history if e.kind is EventKind.CREDIT_NOTE]
    assert [(e.on, e.actor) for e in booked] == [(date(2026, 6, 1), WHAT_IF_ACCOUNTANT.id)]
    assert "credit note GS-1 of 19.00 EUR" in str(schedule)


def test_an_overpayment_is_split_off_as_record_payment_does() -> None:
    """Paying 200.00 on 119.00 keeps only 119.00 on the invoice (the rest is the customer's
    credit, returned by record_payment, not kept)."""
    schedule = simulate(
        sent(), SEED_RULES, until=date(2026, 6, 1), events=(Payment(on=DUE, amount=eur("200")),)
    )
    assert schedule.invoice.paid == eur("119.00")
    assert schedule.invoice.status is Status.PAID


def test_refused_events_raise_the_real_operation_s_error() -> None:
    """A what-if the real operations refuse is refused the same way: paying a paid invoice,
    pausing it, a credit note above what is open, a payment in another currency."""
    paid = Payment(on=date(2026, 5, 20), amount=eur("119.00"))
    with pytest.raises(PaymentStateError):
        simulate(sent(), SEED_RULES, until=date(2026, 6, 30), events=(paid, attrs.evolve(paid)))
    with pytest.raises(TransitionNotAllowedError):
        simulate(
            sent(), SEED_RULES, until=date(2026, 6, 30), events=(paid, Pause(on=date(2026, 6, 1)))
        )
    too_much = CreditNote(id="GS-2", on=date(2026, 5, 20), amount=eur("500.00"))
    with pytest.raises(GuardFailedError, match="within-open"):
        simulate(sent(), SEED_RULES, until=date(2026, 6, 30), events=(too_much,))
    with pytest.raises(GuardFailedError, match="paused"):
        simulate(sent(), SEED_RULES, until=date(2026, 6, 30), events=(Resume(on=DUE),))


def test_events_are_checked_before_anything_runs() -> None:
    """Junk among the events, events out of order or before the invoice's last step are
    refused with typed errors naming the event."""
    with pytest.raises(InvalidTypeError, match=r"simulate.events\[1\]"):
        simulate(sent(), SEED_RULES, until=DUE, events=(Pause(on=DUE), "pay"))  # type: ignore[arg-type]
    late = (
        Payment(on=DUE, amount=eur("1")),
        CreditNote(id="G", on=DUE - timedelta(1), amount=eur("1")),
    )
    with pytest.raises(InvalidValueError, match=r"simulate.events\[1\].on"):
        simulate(sent(), SEED_RULES, until=DUE, events=late)
    with pytest.raises(InvalidValueError, match=r"simulate.events\[0\].on"):
        simulate(
            sent(), SEED_RULES, until=DUE, events=(Payment(on=date(2026, 1, 1), amount=eur("1")),)
        )


def test_helpers_refuse_what_is_no_event() -> None:
    """apply_what_if and describe_event name what they expected."""
    with pytest.raises(InvalidTypeError, match="apply_what_if.event"):
        apply_what_if(sent(), "pay")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="describe_event.event"):
        describe_event(None)  # type: ignore[arg-type]
    assert describe_event(Resume(on=DUE)) == "dunning resumed"


def _by_hand(
    invoice: Invoice, rules: DunningRules, until: date, events: tuple[WhatIfEvent, ...], start: date
) -> Invoice:
    """The reference: every day, the day's events through the public operations first, then
    the engine; an escalation ends it."""
    pending = list(events)
    day = start
    while day <= until:
        while pending and pending[0].on <= day:
            event = pending.pop(0)
            match event:
                case Payment():
                    invoice = record_payment(
                        invoice, event, actor=AUTOMATIC, authority=Authority()
                    ).invoice
                case CreditNote():
                    invoice = record_credit_note(
                        invoice,
                        event,
                        actor=WHAT_IF_ACCOUNTANT,
                        on=event.on,
                        authority=Authority(eyes=2),
                    )
                case _:
                    invoice = apply_event(invoice, event, authority=Authority())
        action = next_dunning_action(invoice, rules, today=day)
        if isinstance(action, IssueStage):
            invoice = sent_as_decided(invoice, action, by_hand=WHAT_IF_ACCOUNTANT)
        elif isinstance(action, Escalate):
            break
        day += timedelta(days=1)
    return invoice


@settings(max_examples=min(100, settings().max_examples))
@given(data=st.data())
def test_simulate_with_payments_equals_booking_them_by_hand_law(data: st.DataObject) -> None:
    """Law: simulate with pauses, resumes, payments and credit notes ends with exactly the
    invoice that booking the same events through the public operations and running the
    engine every day gives (same notices, payments, credit notes, history)."""
    invoice = data.draw(dunnable_invoices())
    rules = data.draw(dunning_rules(currency=invoice.currency, min_active=1))
    events = data.draw(what_if_events(invoice=invoice, max_days=60))
    until = invoice.due_date + timedelta(days=80)
    schedule = simulate(invoice, rules, until, events=events)
    assert schedule.invoice == _by_hand(invoice, rules, until, events, schedule.start)


@given(data=st.data())
def test_what_if_events_of_a_paused_invoice_resume_it_first(data: st.DataObject) -> None:
    """The strategy's events for a paused invoice start with a Resume, so every one applies."""
    invoice = pause(sent(), on=DUE, actor=ANN, authority=Authority())
    events = data.draw(what_if_events(invoice=invoice, max_size=3))
    turns = [e for e in events if isinstance(e, Pause | Resume)]
    assert all(isinstance(e, Resume if i % 2 == 0 else Pause) for i, e in enumerate(turns))
    simulate(invoice, SEED_RULES, until=DUE + timedelta(days=130), events=events)
