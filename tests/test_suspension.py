"""Suspension: pausing and resuming an invoice, and the one question over three levels."""

from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, ANN, sent
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    DunningRules,
    DunningStage,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Money,
    Pause,
    Payment,
    PermissionDeniedError,
    Resume,
    StageKind,
    Status,
    TransitionNotAllowedError,
    apply_event,
    is_paused,
    pause,
    record_payment,
    resume,
)
from dunlib.core import EventKind
from dunlib.dunning import Suspension, SuspensionEvent, suspension_level
from dunlib.strategies import suspension_events

RULES = DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=14),))


def test_pause_and_resume_record_history() -> None:
    """pause() sets paused_since and appends DUNNING_PAUSED; resume() clears it and appends
    DUNNING_RESUMED; neither changes the processing state."""
    paused = pause(sent(), on=date(2026, 5, 25), actor=ANN, authority=Authority())
    assert paused.paused_since == date(2026, 5, 25)
    entry = paused.history[-1]
    assert (entry.kind, entry.on, entry.actor) == (
        EventKind.DUNNING_PAUSED,
        date(2026, 5, 25),
        "ann",
    )
    assert entry.from_status is entry.to_status is Status.SENT
    resumed = resume(paused, on=date(2026, 6, 1), actor=ANN, authority=Authority())
    assert resumed.paused_since is None
    assert resumed.history[-1].kind is EventKind.DUNNING_RESUMED
    assert "paused since 2026-05-25" in resumed.history[-1].detail
    assert len(resumed.history) == len(sent().history) + 2


def test_is_paused_from_the_pause_day_on() -> None:
    """A pause counts from its own day (inclusive), not before."""
    paused = pause(sent(), on=date(2026, 5, 25), actor=ANN, authority=Authority())
    assert not is_paused(paused, today=date(2026, 5, 24))
    assert is_paused(paused, today=date(2026, 5, 25))
    assert not is_paused(sent(), today=date(2026, 5, 25))


def test_resume_on_the_pause_day_is_allowed() -> None:
    """Pausing and resuming on the same day leaves dunning running."""
    paused = pause(sent(), on=date(2026, 5, 25), actor=ANN, authority=Authority())
    invoice = resume(paused, on=date(2026, 5, 25), actor=ANN, authority=Authority())
    assert not is_paused(invoice, today=date(2026, 5, 25))


def test_mistakes_are_refused() -> None:
    """Pausing twice (guard running), resuming what is not paused (guard paused), resuming
    before the pause, bad types."""
    paused = pause(sent(), on=date(2026, 5, 25), actor=ANN, authority=Authority())
    with pytest.raises(GuardFailedError, match="paused since 2026-05-25") as twice:
        pause(paused, on=date(2026, 5, 26), actor=ANN, authority=Authority())
    assert (twice.value.guard, twice.value.command) == ("running", "PAUSE")
    with pytest.raises(GuardFailedError, match="not paused") as running:
        resume(sent(), on=date(2026, 5, 26), actor=ANN, authority=Authority())
    assert (running.value.guard, running.value.command) == ("paused", "RESUME")
    with pytest.raises(InvalidValueError, match="resume.on"):
        resume(paused, on=date(2026, 5, 24), actor=ANN, authority=Authority())
    with pytest.raises(InvalidTypeError, match="pause.on"):
        pause(sent(), on="2026-05-25", actor=ANN, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="resume.invoice"):
        resume("RE-1", on=date(2026, 5, 25), actor=ANN, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="pause.actor"):
        pause(sent(), on=date(2026, 5, 25), actor="ann", authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="apply_event.event"):
        apply_event(sent(), "pause", authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="Pause.on"):
        Pause(on=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="Pause.actor"):
        Pause(on=date(2026, 5, 25), actor="ann")  # type: ignore[arg-type]


def test_pause_and_resume_are_never_back_dated() -> None:
    """Rule: history never goes back: pausing or resuming on a day before the invoice's last
    history entry (1990-01-01 after the entry of 2026-04-26) is refused with
    InvalidValueError naming the operation's ``on``, and the invoice is unchanged."""
    invoice = sent()
    assert invoice.history[-1].on == date(2026, 4, 26)
    with pytest.raises(InvalidValueError, match=r"pause\.on"):
        pause(invoice, on=date(1990, 1, 1), actor=ANN, authority=Authority())
    assert invoice == sent()
    paused = pause(invoice, on=date(2026, 5, 25), actor=ANN, authority=Authority())
    before = attrs.evolve(paused)
    with pytest.raises(InvalidValueError, match=r"resume\.on"):
        resume(paused, on=date(1990, 1, 1), actor=ANN, authority=Authority())
    assert paused == before
    with pytest.raises(InvalidValueError, match=r"apply_event|pause\.on"):
        apply_event(invoice, Pause(on=date(1990, 1, 1)), authority=Authority())


def test_pause_needs_the_right_and_a_running_dunning() -> None:
    """Rule: PAUSE and RESUME are table rows of SENT and DUNNED invoices, granted to
    accountants and automation: a clerk is refused (PermissionDeniedError), and a PAID
    invoice has no such row (TransitionNotAllowedError)."""
    clerk = Actor(id="carl", roles={"clerk"})
    with pytest.raises(PermissionDeniedError, match="PAUSE"):
        pause(sent(), on=date(2026, 5, 25), actor=clerk, authority=Authority())
    paused = pause(sent(), on=date(2026, 5, 25), actor=ANN, authority=Authority())
    with pytest.raises(PermissionDeniedError, match="RESUME"):
        resume(paused, on=date(2026, 5, 26), actor=clerk, authority=Authority())
    paid = record_payment(
        sent(),
        Payment(on=date(2026, 5, 1), amount=Money("119.00", "EUR")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert paid.invoice.status is Status.PAID
    with pytest.raises(TransitionNotAllowedError, match="PAUSE"):
        pause(paid.invoice, on=date(2026, 5, 25), actor=ANN, authority=Authority())


def test_suspension_answers_broadest_level_first() -> None:
    """Global (no active stage) before customer (dunning off) before invoice (paused)."""
    day = date(2026, 6, 1)
    off = attrs.evolve(ACME, dunning_enabled=False)
    inactive = DunningRules(stages=(attrs.evolve(RULES.stages[0], active=False),))
    paused_off = pause(sent(customer=off), on=date(2026, 5, 1), actor=ANN, authority=Authority())
    assert suspension_level(paused_off, inactive, today=day) is Suspension.GLOBAL
    assert suspension_level(paused_off, RULES, today=day) is Suspension.CUSTOMER
    paused = pause(sent(), on=date(2026, 5, 1), actor=ANN, authority=Authority())
    assert suspension_level(paused, RULES, today=day) is Suspension.INVOICE
    assert suspension_level(sent(), RULES, today=day) is None
    with pytest.raises(InvalidTypeError, match="suspension_level.rules"):
        suspension_level(sent(), None, today=day)  # type: ignore[arg-type]


def test_fees_off_is_not_a_suspension() -> None:
    """A customer with fees off is still dunned: fees off is not a level of suspension."""
    no_fees = attrs.evolve(ACME, fees_enabled=False)
    assert suspension_level(sent(customer=no_fees), RULES, today=date(2026, 6, 1)) is None


@given(events=suspension_events(min_value=date(2026, 5, 1), max_value=date(2026, 8, 1)))
def test_paused_exactly_after_an_unmatched_pause_law(events: tuple[SuspensionEvent, ...]) -> None:
    """Law: applying a generated event sequence leaves the invoice paused iff the last event
    is a Pause, since that day; the history grows by one entry per event."""
    invoice = sent()
    for event in events:
        invoice = apply_event(invoice, event, authority=Authority())
    last = events[-1] if events else None
    expected = last.on if isinstance(last, Pause) else None
    assert invoice.paused_since == expected
    assert len(invoice.history) == 1 + len(events)
    assert all(isinstance(e, Pause) == (i % 2 == 0) for i, e in enumerate(events))
    assert all(isinstance(e, Pause | Resume) for e in events)


@given(
    events=suspension_events(min_value=date(2026, 4, 26), max_value=date(2026, 8, 31)),
    asked=st.dates(min_value=date(2026, 4, 1), max_value=date(2026, 9, 30)),
)
def test_is_paused_law_answers_for_any_day_from_the_history(
    events: tuple[SuspensionEvent, ...], asked: date
) -> None:
    """Law: after applying pause/resume events, is_paused(invoice, day) for any day, past
    ones included, is True exactly when the last event on or before that day is a Pause."""
    invoice = sent()
    for event in events:
        invoice = apply_event(invoice, event, authority=Authority())
    earlier = [event for event in events if event.on <= asked]
    assert is_paused(invoice, today=asked) == (bool(earlier) and isinstance(earlier[-1], Pause))


def test_a_past_pause_is_visible_to_questions_about_past_days() -> None:
    """After resume(pause(inv, d1), d2), a day between d1 and d2 is paused, d2 itself and
    the day before d1 are not; a pause and resume on one day leave that day running."""
    resumed = resume(
        pause(sent(), on=date(2026, 5, 20), actor=ANN, authority=Authority()),
        on=date(2026, 6, 1),
        actor=ANN,
        authority=Authority(),
    )
    assert is_paused(resumed, today=date(2026, 5, 20))
    assert is_paused(resumed, today=date(2026, 5, 31))
    assert not is_paused(resumed, today=date(2026, 6, 1))
    assert not is_paused(resumed, today=date(2026, 5, 19))
    same_day = resume(
        pause(sent(), on=date(2026, 5, 20), actor=ANN, authority=Authority()),
        on=date(2026, 5, 20),
        actor=ANN,
        authority=Authority(),
    )
    assert not is_paused(same_day, today=date(2026, 5, 20))
    paused = pause(sent(), on=date(2026, 5, 20), actor=ANN, authority=Authority())
    assert is_paused(paused, today=date(2026, 7, 1))
    assert not is_paused(paused, today=date(2026, 5, 19))
