"""simulate(): the schedule of a dunning run over time, and the laws it keeps."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, SEED_RULES, sent, sent_as_decided
from dunlib import (
    AUTOMATIC,
    Authority,
    CustomerKind,
    DispatchMode,
    DunningRules,
    DunningStage,
    Escalate,
    Escalation,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    Pause,
    Payment,
    Resume,
    StageKind,
    Status,
    TriggerBasis,
    apply_event,
    next_dunning_action,
    record_payment,
    record_stage,
    simulate,
)
from dunlib.analytics import WHAT_IF_ACCOUNTANT, Schedule
from dunlib.core import EventKind
from dunlib.dunning import SuspensionEvent
from dunlib.dunning.interest import flat_fee
from dunlib.strategies import dunnable_invoices, dunning_rules, suspension_events

FEE = Money("5.00", "EUR")
RULES = SEED_RULES


def test_schedule_prints_as_a_table() -> None:
    """str(schedule) is a table of documents and events in date order (the demo's output);
    runs start on the invoice's last step (the first reminder, 24.05.), never before it."""
    first = next_dunning_action(sent(), RULES, today=date(2026, 5, 24))
    assert isinstance(first, IssueStage)
    schedule = simulate(
        record_stage(sent(), first, actor=AUTOMATIC, authority=Authority()),
        RULES,
        until=date(2026, 6, 30),
        events=(Pause(on=date(2026, 5, 25)), Resume(on=date(2026, 6, 1))),
    )
    assert str(schedule) == "\n".join(
        [
            "Dunning schedule of RE-2026-0001 (due 2026-05-10), runs every 1 day(s) "
            "from 2026-05-24 to 2026-06-30",
            "date        what                level       fee  due               open",
            "----------  ------------------  -----  --------  ----------  ----------",
            "2026-05-24  sent before             1  0.00 EUR  2026-05-31",
            "2026-05-25  dunning paused",
            "2026-06-01  dunning resumed",
            "2026-06-01  reminder (stage 2)      2  0.00 EUR  2026-06-08  119.00 EUR",
            "2026-06-08  reminder (stage 3)      3  0.00 EUR  2026-06-15  119.00 EUR",
            "2026-06-15  notice (stage 4)        4  5.00 EUR  2026-06-22  124.00 EUR",
        ]
    )
    assert len(schedule) == 3
    assert schedule[0].level == 2
    assert [e.level for e in schedule[1:]] == [3, 4]
    assert schedule.fees == FEE
    assert schedule.events == (Pause(on=date(2026, 5, 25)), Resume(on=date(2026, 6, 1)))


def test_simulate_models_stages_sent_after_approval_or_by_hand_as_sent_on_their_day() -> None:
    """Seed 000's three dispatch modes: a what-if sends every document on its day. The
    notice sent after approval is booked as approved that day and sent by the automatic
    run, the reminders sent by hand by the what-if accountant; the engine decides the same
    days as for an automatic ladder (record_stage itself refuses both kinds)."""
    modes = (
        DispatchMode.MANUAL,
        DispatchMode.AUTOMATIC,
        DispatchMode.MANUAL,
        DispatchMode.AFTER_APPROVAL,
    )
    rules = DunningRules(
        stages=tuple(
            attrs.evolve(stage, dispatch=mode)
            for stage, mode in zip(RULES.stages, modes, strict=True)
        )
    )
    until = date(2026, 6, 30)
    schedule = simulate(sent(), rules, until=until)
    automatic = simulate(sent(), RULES, until=until)
    assert [(e.on, e.level, e.fee) for e in schedule] == [(e.on, e.level, e.fee) for e in automatic]
    assert schedule.invoice.issued_stages == automatic.invoice.issued_stages
    assert schedule.invoice.status is Status.DUNNED
    booked = [e for e in schedule.invoice.history if e.kind is EventKind.STAGE_ISSUED]
    assert [e.actor for e in booked] == [WHAT_IF_ACCOUNTANT.id, "automatic", "what-if", "automatic"]


def test_escalation_ends_the_schedule() -> None:
    """The escalation appears as the last row, and nothing is evaluated after it."""
    rules = attrs.evolve(RULES, escalation=Escalation.COLLECTION, escalation_days=14)
    schedule = simulate(sent(), rules, until=date(2026, 12, 31))
    assert schedule.escalation is not None
    assert schedule.escalation.on == date(2026, 6, 28)
    assert str(schedule).splitlines()[-1] == (
        "2026-06-28  escalate: collection      4" + " " * 24 + "124.00 EUR"
    )


def test_weekly_runs_and_events_after_until() -> None:
    """every=7 runs on due date + 7k only; events after ``until`` are not applied."""
    schedule = simulate(
        sent(), RULES, until=date(2026, 6, 7), every=7, events=(Pause(on=date(2026, 6, 8)),)
    )
    assert [e.on for e in schedule] == [date(2026, 5, 24), date(2026, 5, 31), date(2026, 6, 7)]
    assert schedule.events == ()
    assert schedule.invoice.paused_since is None
    assert (schedule.start, schedule.every) == (date(2026, 5, 10), 7)


def test_weekly_runs_catch_up_late() -> None:
    """Runs every 10 days from the due date: the 14-day stage waits for day 20 (30.05.),
    and the next counts from that document (06.06. is no run day, so 09.06.)."""
    schedule = simulate(sent(), RULES, until=date(2026, 6, 9), every=10)
    assert [e.on for e in schedule] == [date(2026, 5, 30), date(2026, 6, 9)]


def test_pre_due_reminder_starts_the_runs_early() -> None:
    """With an active pre-due first stage, runs start on its trigger, before the due date."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.BEFORE_DUE_DATE),
        )
    )
    schedule = simulate(sent(), rules, until=date(2026, 6, 1))
    assert schedule.start == date(2026, 5, 7)
    assert [e.on for e in schedule] == [date(2026, 5, 7)]


def test_until_before_the_start_gives_an_empty_schedule() -> None:
    """Nothing runs when ``until`` is before the first run day."""
    schedule = simulate(sent(), RULES, until=date(2026, 5, 1))
    assert len(schedule) == 0
    assert schedule.invoice == sent()


def test_bad_arguments_are_refused() -> None:
    """Bad invoice, rules, until, every and events raise typed errors naming the argument."""
    with pytest.raises(InvalidTypeError, match="simulate.invoice"):
        simulate(None, RULES, until=date(2026, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="simulate.rules"):
        simulate(sent(), None, until=date(2026, 6, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="simulate.until"):
        simulate(sent(), RULES, until="2026-06-01")  # type: ignore[arg-type]
    for every in (0, True, 1.5):
        with pytest.raises(InvalidValueError, match="simulate.every"):
            simulate(sent(), RULES, until=date(2026, 6, 1), every=every)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="simulate.events"):
        simulate(sent(), RULES, until=date(2026, 6, 1), events=Pause(on=date(2026, 5, 1)))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"simulate.events\[0\]"):
        simulate(sent(), RULES, until=date(2026, 6, 1), events=("pause",))  # type: ignore[arg-type]
    backwards = (Pause(on=date(2026, 5, 20)), Resume(on=date(2026, 5, 19)))
    with pytest.raises(InvalidValueError, match=r"simulate.events\[1\].on"):
        simulate(sent(), RULES, until=date(2026, 6, 1), events=backwards)


def test_simulate_takes_the_rules_function_plan_takes() -> None:
    """simulate takes a function Invoice -> DunningRules as plan does, and asks it on every
    run day for the invoice as it stands: a payment that leaves less than 50.00 open
    switches to the function's quiet rules; a function giving anything else is refused
    naming the invoice."""
    quiet = attrs.evolve(RULES, stages=tuple(attrs.evolve(s, active=False) for s in RULES.stages))

    def rules_for(invoice: Invoice) -> DunningRules:
        return RULES if invoice.open_amount >= Money("50.00", "EUR") else quiet

    until = date(2026, 6, 30)
    assert simulate(sent(), rules_for, until) == simulate(sent(), RULES, until)
    payment = Payment(on=date(2026, 5, 30), amount=Money("100.00", "EUR"))
    paid = simulate(sent(), rules_for, until, events=(payment,))
    assert [entry.on for entry in paid] == [date(2026, 5, 24)]
    with pytest.raises(InvalidTypeError, match=r"simulate.rules\('RE-2026-0001'\)"):
        simulate(sent(), lambda invoice: None, until)  # type: ignore[arg-type,return-value]
    with pytest.raises(InvalidTypeError, match="a function Invoice -> DunningRules"):
        simulate(sent(), "rules", until)  # type: ignore[arg-type]


def test_events_before_the_invoice_s_last_step_are_refused() -> None:
    """History never goes back: an event dated before the invoice's last history entry
    (here the issue day, 26.04.) is refused with InvalidValueError."""
    with pytest.raises(InvalidValueError, match=r"simulate.events\[0\].on"):
        simulate(sent(), RULES, until=date(2026, 6, 1), events=(Pause(on=date(2026, 4, 25)),))
    assert (
        len(simulate(sent(), RULES, until=date(2026, 6, 1), events=(Pause(on=date(2026, 4, 26)),)))
        == 0
    )


def test_simulate_never_runs_before_the_last_history_entry() -> None:
    """An invoice paid in part on 25.04. (due 30.04.) with a reminder 10 days before the
    due date: the reminder cannot be dated 20.04. any more, so the first run is on 25.04."""
    invoice = Invoice.sent(
        number="RE-2026-0002",
        customer=ACME,
        gross=Money("100.00", "EUR"),
        issue_date=date(2026, 4, 1),
        due_date=date(2026, 4, 30),
    )
    paid = record_payment(
        invoice,
        Payment(on=date(2026, 4, 25), amount=Money("10.00", "EUR")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=10, basis=TriggerBasis.BEFORE_DUE_DATE),
        )
    )
    schedule = simulate(paid.invoice, rules, until=date(2026, 6, 1))
    assert schedule.start >= date(2026, 4, 25)
    assert [entry.on for entry in schedule] == [date(2026, 4, 25)]


def test_schedule_is_immutable() -> None:
    """A schedule is a frozen value."""
    schedule = simulate(sent(), RULES, until=date(2026, 6, 1))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        schedule.every = 2  # type: ignore[misc]


# -- laws --------------------------------------------------------------------------------

HORIZON = 200
EPOCH = date(2000, 1, 1)
EVENTS = suspension_events(min_value=EPOCH, max_value=EPOCH + timedelta(days=HORIZON + 10))


@st.composite
def scenarios(
    draw: st.DrawFn,
) -> tuple[Invoice, DunningRules, tuple[SuspensionEvent, ...]]:
    """A dunnable sent invoice, rules with an active stage, and pause/resume events."""
    invoice = draw(dunnable_invoices())
    rules = draw(dunning_rules(currency=invoice.currency, min_active=1))
    first = max(invoice.due_date - timedelta(days=10), invoice.history[-1].on)
    shift = first - EPOCH  # events never before the invoice's last step
    events = tuple(attrs.evolve(event, on=event.on + shift) for event in draw(EVENTS))
    return invoice, rules, events


def by_hand(
    invoice: Invoice,
    rules: DunningRules,
    until: date,
    events: tuple[SuspensionEvent, ...],
    start: date,
    every: int = 1,
) -> tuple[list[IssueStage], Invoice]:
    """The reference: evaluate every run day, apply events first, record every IssueStage,
    stop at an escalation."""
    issued: list[IssueStage] = []
    pending = list(events)
    day = start
    while day <= until:
        while pending and pending[0].on <= day:
            invoice = apply_event(invoice, pending.pop(0), authority=Authority())
        action = next_dunning_action(invoice, rules, today=day)
        if isinstance(action, Escalate):
            break
        if isinstance(action, IssueStage):
            invoice = sent_as_decided(invoice, action, by_hand=WHAT_IF_ACCOUNTANT)
            issued.append(action)
        day += timedelta(days=every)
    return issued, invoice


@given(scenario=scenarios(), every=st.sampled_from((1, 1, 3, 7)))
def test_simulate_equals_repeated_engine_calls_law(
    scenario: tuple[Invoice, DunningRules, tuple[SuspensionEvent, ...]], every: int
) -> None:
    """Law: simulate gives exactly the documents (and final invoice) of calling
    next_dunning_action + record_stage by hand on every run day."""
    invoice, rules, events = scenario
    until = invoice.due_date + timedelta(days=HORIZON)
    schedule = simulate(invoice, rules, until=until, events=events, every=every)
    issued, final = by_hand(invoice, rules, until, events, schedule.start, every)
    assert [(e.on, e.level, e.fee, e.due_date) for e in schedule] == [
        (a.on, a.level, a.fee, a.due_date) for a in issued
    ]
    assert schedule.invoice.issued_stages == final.issued_stages


@given(scenario=scenarios())
def test_weekly_runs_issue_the_daily_stages_no_earlier_law(
    scenario: tuple[Invoice, DunningRules, tuple[SuspensionEvent, ...]],
) -> None:
    """Law: weekly runs issue the same sequence of stages as daily runs (a prefix of it, as
    later ones may fall past the horizon), each on or after the daily date, with the same
    fees where the daily run issued the stage after the due date, but the § 288 (5) BGB
    flat fee: it is owed from the start of default, so a later run may claim it on an
    earlier stage. (A courtesy stage the daily run issues on or before the due date charges
    nothing; a weekly run may issue it later, with its fee.)"""
    invoice, rules, events = scenario
    until = invoice.due_date + timedelta(days=HORIZON)
    daily = simulate(invoice, rules, until=until, events=events)
    weekly = simulate(invoice, rules, until=until, events=events, every=7)
    assert len(weekly) <= len(daily)

    def flat(schedule: Schedule) -> list[Money]:
        return [stage.flat_fee for stage in schedule.invoice.issued_stages][-len(schedule) :]

    for week, day, week_flat, day_flat in zip(
        weekly, daily, flat(weekly), flat(daily), strict=False
    ):
        assert (week.level, week.stage_number, week.kind) == (
            day.level,
            day.stage_number,
            day.kind,
        )
        if day.on > invoice.due_date:
            assert week.fee - week_flat == day.fee - day_flat
        else:
            assert day.fee.is_zero
        assert week.on >= day.on


@given(scenario=scenarios(), every=st.sampled_from((1, 7)))
def test_nothing_is_issued_while_paused_law(
    scenario: tuple[Invoice, DunningRules, tuple[SuspensionEvent, ...]], every: int
) -> None:
    """Law: no document is dated on or after a pause and before its resume."""
    invoice, rules, events = scenario
    schedule = simulate(
        invoice, rules, until=invoice.due_date + timedelta(days=HORIZON), events=events, every=every
    )
    windows = [
        (event.on, events[i + 1].on if i + 1 < len(events) else date.max)
        for i, event in enumerate(events)
        if isinstance(event, Pause)
    ]
    for entry in schedule:
        assert not any(start <= entry.on < end for start, end in windows)


@given(scenario=scenarios())
def test_fees_owed_equal_the_fees_of_issued_notices_law(
    scenario: tuple[Invoice, DunningRules, tuple[SuspensionEvent, ...]],
) -> None:
    """Law: the fees an invoice owes are the sum of its issued notices' fees — stage fees
    for notices from the due date on (with the § 288 (5) flat fee where a stage claims it from
    a business debtor), nothing for reminders — and zero when the customer's fees are off;
    the open amount grows by those fees and the interest the notices claimed."""
    invoice, rules, events = scenario
    until = invoice.due_date + timedelta(days=HORIZON)
    schedule = simulate(invoice, rules, until=until, events=events)
    expected = Money.zero(invoice.currency)
    for entry in schedule:
        stage = rules.stages[entry.stage_number - 1]
        if stage.fee is not None and invoice.customer.fees_enabled and entry.on >= invoice.due_date:
            expected = expected + stage.fee  # a pre-due notice costs no fee (engine._fee)
        if stage.claim_flat_fee and invoice.customer.fees_enabled and entry.on >= invoice.due_date:
            expected = expected + flat_fee(invoice.customer.kind is CustomerKind.BUSINESS)
    assert schedule.invoice.fees == expected == schedule.fees
    if not invoice.customer.fees_enabled:
        assert schedule.invoice.fees.is_zero
    claimed = schedule.invoice.interest_charged - invoice.interest_charged
    assert schedule.invoice.open_amount == invoice.open_amount + expected + claimed


def test_a_schedule_is_a_sequence() -> None:
    """Schedule supports len, indexing, slicing and iteration over its entries."""
    schedule: Schedule = simulate(sent(), RULES, until=date(2026, 6, 30))
    assert [e.on.day for e in schedule] == [24, 31, 7, 14]
    assert schedule[-1].kind is StageKind.NOTICE
    assert len(schedule[:2]) == 2


def test_a_draft_without_history_is_simulated_from_its_due_date() -> None:
    """A draft built without history (as a caller may build one to preview its dunning) is
    simulated from its due date."""
    draft = Invoice(id="D-1", customer=ACME, currency="EUR", issue_date=date(2026, 4, 26))
    assert simulate(draft, SEED_RULES, until=date(2026, 7, 1)).start == draft.due_date
