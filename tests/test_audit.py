"""as_of: an invoice as it stood on a past day, replayed from its history, and its laws."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import ANN, SEED_RULES, eur, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    CreditNote,
    Hold,
    HoldKind,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Pause,
    Payment,
    Resume,
    Status,
    as_of,
    balance,
    lift_hold,
    place_hold,
    record_payment,
    simulate,
)
from dunlib.analytics import Schedule
from dunlib.strategies import (
    closed_invoices,
    dates,
    dunned_invoices,
    invoices,
    receivable_invoices,
    schedules,
)

ALL_INVOICES = st.one_of(invoices(), receivable_invoices(), dunned_invoices(), closed_invoices())


def _story() -> Invoice:
    """The seed invoice dunned from 24.05., paused 25.05., half paid 30.05., resumed 01.06.,
    credited 10.00 on 05.06., and dunned on to the notice."""
    events = (
        Pause(on=date(2026, 5, 25)),
        Payment(on=date(2026, 5, 30), amount=eur("59.50")),
        Resume(on=date(2026, 6, 1)),
        CreditNote(id="GS-1", on=date(2026, 6, 5), amount=eur("10.00")),
    )
    return simulate(sent(), SEED_RULES, until=date(2026, 6, 30), events=events).invoice


def test_the_invoice_as_it_stood_when_the_first_reminder_was_sent() -> None:
    """On 24.05. (the 1st reminder's day) the invoice was DUNNED at level 1, owed 119.00 and
    was not paused; the later steps are gone from its history."""
    then = as_of(_story(), today=date(2026, 5, 24))
    assert then.status is Status.DUNNED
    assert then.dunning_level == 1
    assert then.open_amount == eur("119.00")
    assert then.paused_since is None
    assert then.payments == ()
    assert then.credit_notes == ()
    assert then.history[-1].on == date(2026, 5, 24)


def test_the_invoice_while_it_was_paused() -> None:
    """On 31.05. it was paused (since 25.05.) and half paid; on 01.06. it runs again."""
    story = _story()
    paused = as_of(story, today=date(2026, 5, 31))
    assert paused.paused_since == date(2026, 5, 25)
    assert paused.open_amount == eur("59.50")
    assert as_of(story, today=date(2026, 6, 1)).paused_since is None


def test_before_the_first_reminder_it_was_sent() -> None:
    """On the issue day the invoice was just SENT, with nothing booked on it."""
    then = as_of(_story(), today=sent().issue_date)
    assert then == sent()


def test_a_day_on_or_after_the_last_step_gives_the_invoice_itself() -> None:
    """as_of on or after the last step returns the very invoice."""
    story = _story()
    assert as_of(story, today=story.history[-1].on) is story
    assert as_of(story, today=date(2030, 1, 1)) is story


def test_days_that_cannot_be_replayed_are_refused() -> None:
    """Before the issue day of a booked invoice, or before a draft's last step: the draft's
    earlier lines are not kept. Wrong types are refused too."""
    with pytest.raises(InvalidValueError, match="as_of.today"):
        as_of(_story(), today=date(2026, 4, 25))
    from builders import draft

    with pytest.raises(InvalidValueError, match="as_of.today"):
        as_of(draft(), today=date(2000, 1, 1))
    assert as_of(draft(), today=date(2100, 1, 1)) == draft()
    with pytest.raises(InvalidTypeError, match="as_of.invoice"):
        as_of(None, today=date(2026, 5, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="as_of.today"):
        as_of(sent(), today="2026-05-01")  # type: ignore[arg-type]


def test_a_booked_invoice_always_has_the_history_its_state_is_read_from() -> None:
    """A booked invoice without history cannot be built, so as_of always reads the state
    from the history: bookings are filtered by day, the state is the last kept step's."""
    with pytest.raises(InvalidValueError, match="without a history"):
        attrs.evolve(sent(), history=())
    paid = record_payment(
        sent(),
        Payment(on=date(2026, 5, 20), amount=eur("19.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    assert as_of(paid, today=date(2026, 5, 16)).payments == ()
    assert as_of(paid, today=date(2026, 5, 10)).status is Status.SENT


def test_a_pause_the_history_does_not_record_is_refused() -> None:
    """paused_since is the day of the pause in force by the history's pause and resume
    entries: a pause without its entry is refused, so as_of reads every pause from them."""
    with pytest.raises(InvalidValueError, match=r"Invoice.paused_since.*records no pause"):
        attrs.evolve(sent(), paused_since=date(2026, 4, 26))


# -- laws ----------------------------------------------------------------------------------


@settings(max_examples=min(100, settings().max_examples))
@given(invoice=ALL_INVOICES, data=st.data())
def test_as_of_laws_identity_idempotence_earlier_views_and_balance(
    invoice: Invoice, data: st.DataObject
) -> None:
    """Laws, for every invoice booked through dunlib (drafts, sent, dunned, paid, cancelled,
    written off) and days d1 <= d2 from its issue day on:

    - as_of(i, day of its last history entry) == i;
    - idempotent: as_of(as_of(i, d2), d2) == as_of(i, d2);
    - an earlier view of a later view is the earlier view: as_of(as_of(i, d2), d1) ==
      as_of(i, d1);
    - as_of(i, d1).open_amount == balance(i, today=d1).total, and the view keeps exactly the
      history entries dated on or before d1, its state the last one's.
    """
    assert as_of(invoice, today=invoice.history[-1].on) == invoice
    if not invoice.status.is_booked:
        return
    days = dates(min_value=invoice.issue_date, max_value=invoice.history[-1].on + timedelta(5))
    first, second = sorted((data.draw(days), data.draw(days)))
    later = as_of(invoice, today=second)
    assert as_of(later, today=second) == later
    earlier = as_of(invoice, today=first)
    assert as_of(later, today=first) == earlier
    assert earlier.open_amount == balance(invoice, today=first).total
    assert earlier.history == tuple(e for e in invoice.history if e.on <= first)
    assert earlier.status is earlier.history[-1].to_status


@settings(max_examples=min(50, settings().max_examples))
@given(schedule=schedules())
def test_as_of_the_last_day_of_a_simulation_is_its_invoice_law(schedule: Schedule) -> None:
    """Law: the invoice a simulation with payments and credit notes ends with is its own
    view as of its last step."""
    invoice = schedule.invoice
    assert as_of(invoice, today=invoice.history[-1].on) == invoice


def test_a_pause_by_hand_is_replayed() -> None:
    """pause() by a person is in the history: the day before it, the invoice ran."""
    from dunlib import pause

    paused = pause(sent(), on=date(2026, 5, 12), actor=ANN, authority=Authority())
    assert as_of(paused, today=date(2026, 5, 11)).paused_since is None
    assert as_of(paused, today=date(2026, 5, 12)) is paused


def test_a_hold_lifted_later_still_held_on_an_earlier_day() -> None:
    """A dispute placed 26.05. and lifted 05.06.: on 31.05. the invoice was held, with no
    lift yet; on 05.06. the lift is there."""
    held = place_hold(
        sent(),
        Hold.dispute(on=date(2026, 5, 26), reason="wrong amount"),
        actor=ANN,
        authority=Authority(),
    )
    lifted = lift_hold(
        held, HoldKind.DISPUTE, on=date(2026, 6, 5), actor=ANN, authority=Authority()
    )
    then = as_of(lifted, today=date(2026, 5, 31))
    assert then.holds == held.holds
    assert then.holds[0].holds_on(today=date(2026, 5, 31))
    assert as_of(lifted, today=date(2026, 6, 5)).holds == lifted.holds


def test_a_hold_lifted_before_the_day_asked_about_stays_lifted() -> None:
    """A dispute placed 26.05. and lifted 28.05., then a payment on 05.06.: on 31.05. the
    hold is there as it was, lift included."""
    held = place_hold(
        sent(),
        Hold.dispute(on=date(2026, 5, 26), reason="wrong amount"),
        actor=ANN,
        authority=Authority(),
    )
    lifted = lift_hold(
        held, HoldKind.DISPUTE, on=date(2026, 5, 28), actor=ANN, authority=Authority()
    )
    paid = record_payment(
        lifted,
        Payment(on=date(2026, 6, 5), amount=eur("1.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    assert as_of(paid, today=date(2026, 5, 31)).holds == lifted.holds
