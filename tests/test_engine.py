"""The dunning engine: next_dunning_action decides, record_stage applies an IssueStage."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, ANN, DUE, reached, sent, sent_as_decided
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    Customer,
    CustomerAccount,
    CustomerKind,
    DispatchMode,
    DunlibError,
    DunningRules,
    DunningStage,
    Escalate,
    Escalation,
    GuardFailedError,
    Hold,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    NoAction,
    NoActionReason,
    Pause,
    Payment,
    Resume,
    StageKind,
    Status,
    TransitionNotAllowedError,
    TriggerBasis,
    next_dunning_action,
    pause,
    record_payment,
    record_stage,
    simulate,
    trigger_date,
)
from dunlib.core import CurrencyMismatchError, EventKind, quick
from dunlib.dunning import AccountChange, AccountChangeKind, Channel
from dunlib.dunning._ladder import next_stage
from dunlib.dunning.decider import Decider
from dunlib.dunning.engine import _trigger_terms
from dunlib.strategies import (
    closed_invoices,
    dates,
    dunnable_invoices,
    dunned_invoices,
    dunning_rules,
)

FEE = Money("5.00", "EUR")
RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=14),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=FEE, payment_term_days=10),
    )
)


def issue(invoice: Invoice, rules: DunningRules, day: date) -> IssueStage:
    action = next_dunning_action(invoice, rules, today=day)
    assert isinstance(action, IssueStage), action
    return action


def dunned(levels: int, rules: DunningRules = RULES, invoice: Invoice | None = None) -> Invoice:
    """An invoice with ``levels`` documents recorded, each issued on its trigger day."""
    current = sent() if invoice is None else invoice
    for _ in range(levels):
        on = trigger_date(current, rules)
        assert on is not None
        current = record_stage(
            current, issue(current, rules, on), actor=AUTOMATIC, authority=Authority()
        )
    return current


def reason(invoice: Invoice, rules: DunningRules, day: date) -> NoActionReason:
    action = next_dunning_action(invoice, rules, today=day)
    assert isinstance(action, NoAction), action
    return action.reason


# -- what an IssueStage carries ---------------------------------------------------------


def test_first_stage_fires_on_the_fourteenth_day_after_the_due_date() -> None:
    """Inclusive threshold: due 10.05. + 14 days fires on 24.05., not the day after; on 23.05.
    the answer is NOT_YET_DUE with the date it will be."""
    early = next_dunning_action(sent(), RULES, today=date(2026, 5, 23))
    assert early == NoAction(
        invoice_id="RE-2026-0001", reason=NoActionReason.NOT_YET_DUE, next_on=date(2026, 5, 24)
    )
    action = issue(sent(), RULES, date(2026, 5, 24))
    assert action.level == 1
    assert action.stage_number == 1
    assert action.stage is RULES.stages[0]
    assert action.kind is StageKind.REMINDER
    assert action.on == date(2026, 5, 24)
    assert action.due_date == date(2026, 5, 31)  # default payment term: 7 days
    assert action.fee == Money("0.00", "EUR")
    assert action.total_gross == action.open_amount == Money("119.00", "EUR")
    assert action.channels == (Channel.EMAIL,)
    assert not action.attach_invoice
    assert not action.requires_approval
    assert action.dispatch is DispatchMode.AUTOMATIC


def test_notice_carries_its_fee_and_term() -> None:
    """The notice (level 4) charges 5.00: total gross 124.00; due 10 days after its date."""
    action = issue(dunned(3), RULES, date(2026, 6, 14))
    assert action.level == 4
    assert action.kind is StageKind.NOTICE
    assert action.fee == FEE
    assert action.total_gross == Money("124.00", "EUR")
    assert action.due_date == date(2026, 6, 24)


def test_customer_with_fees_off_gets_notices_without_fee() -> None:
    """Customer fees off: the notice is still issued, with a zero fee."""
    invoice = dunned(3, invoice=sent(customer=attrs.evolve(ACME, fees_enabled=False)))
    action = issue(invoice, RULES, date(2026, 6, 14))
    assert action.fee == Money("0.00", "EUR")
    assert action.total_gross == Money("119.00", "EUR")


def test_partly_paid_invoice_is_dunned_on_its_open_amount() -> None:
    """A partial payment lowers the open amount; the total gross stays gross plus fees."""
    paid = Payment(on=date(2026, 6, 7), amount=Money("100.00", "EUR"))
    invoice = record_payment(dunned(3), paid, actor=AUTOMATIC, authority=Authority()).invoice
    action = issue(invoice, RULES, date(2026, 6, 14))
    assert action.open_amount == Money("24.00", "EUR")
    assert action.total_gross == Money("124.00", "EUR")


def test_dispatch_mode_decides_approval() -> None:
    """Automatic after approval sets requires_approval; manual is reported as manual."""
    for mode in DispatchMode:
        rules = DunningRules(
            stages=(DunningStage(StageKind.REMINDER, days_overdue=0, dispatch=mode),)
        )
        action = issue(sent(), rules, DUE + timedelta(days=1))
        assert action.dispatch is mode
        assert action.requires_approval is (mode is DispatchMode.AFTER_APPROVAL)


def test_inactive_stages_are_skipped() -> None:
    """With stage 2 inactive, level 2 uses stage 3, counted from the level-1 document."""
    stages = list(RULES.stages)
    stages[1] = attrs.evolve(stages[1], active=False, days_overdue=1)
    stages[2] = attrs.evolve(stages[2], days_overdue=3)
    rules = DunningRules(stages=tuple(stages))
    invoice = dunned(1, rules)
    assert reason(invoice, rules, date(2026, 5, 26)) is NoActionReason.NOT_YET_DUE
    action = issue(invoice, rules, date(2026, 5, 27))
    assert (action.level, action.stage_number) == (2, 3)


# -- trigger bases -----------------------------------------------------------------------


def test_due_date_basis_counts_every_stage_from_the_due_date() -> None:
    """Tryton/Odoo counting: on time, stage 2 fires at due + 21 days; when stage 1 went out
    late (28.05. instead of 24.05.), stage 2 keeps the configured 7 days from it (04.06.)."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=14, basis=TriggerBasis.DUE_DATE),
            DunningStage(StageKind.REMINDER, days_overdue=21, basis=TriggerBasis.DUE_DATE),
        )
    )
    on_time = record_stage(
        sent(), issue(sent(), rules, date(2026, 5, 24)), actor=AUTOMATIC, authority=Authority()
    )
    assert reason(on_time, rules, date(2026, 5, 30)) is NoActionReason.NOT_YET_DUE
    assert issue(on_time, rules, date(2026, 5, 31)).level == 2
    late = record_stage(
        sent(), issue(sent(), rules, date(2026, 5, 28)), actor=AUTOMATIC, authority=Authority()
    )
    assert next_dunning_action(late, rules, today=date(2026, 5, 31)) == NoAction(
        invoice_id=late.id, reason=NoActionReason.NOT_YET_DUE, next_on=date(2026, 6, 4)
    )
    assert issue(late, rules, date(2026, 6, 4)).level == 2


def test_due_date_basis_never_fires_twice_on_one_day() -> None:
    """A due-date stage already past when the previous document went out waits one day."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=14),
            DunningStage(StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.DUE_DATE),
        )
    )
    first = record_stage(
        sent(), issue(sent(), rules, date(2026, 5, 24)), actor=AUTOMATIC, authority=Authority()
    )
    action = next_dunning_action(first, rules, today=date(2026, 5, 24))
    assert action == NoAction(
        invoice_id=first.id, reason=NoActionReason.NOT_YET_DUE, next_on=date(2026, 5, 25)
    )


def test_pre_due_reminder_fires_before_the_due_date() -> None:
    """BEFORE_DUE_DATE: a friendly reminder 3 days before the due date; the next stage
    counts from that reminder."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.BEFORE_DUE_DATE),
            DunningStage(StageKind.REMINDER, days_overdue=14),
        )
    )
    assert reason(sent(), rules, date(2026, 5, 6)) is NoActionReason.NOT_YET_DUE
    first = record_stage(
        sent(), issue(sent(), rules, date(2026, 5, 7)), actor=AUTOMATIC, authority=Authority()
    )
    assert first.status is Status.SENT  # a reminder ahead of the due date is no dunning
    assert issue(first, rules, date(2026, 5, 21)).level == 2


PRE_DUE = DunningRules(
    stages=(
        DunningStage(
            StageKind.NOTICE, days_overdue=10, basis=TriggerBasis.BEFORE_DUE_DATE, fee=FEE
        ),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=FEE),
    )
)


def due_30_april() -> Invoice:
    return sent(
        "100.00", number="RE-2026-0030", issue_date=date(2026, 4, 1), due_date=date(2026, 4, 30)
    )


def test_pre_due_notice_charges_no_fee_and_does_not_dun() -> None:
    """Rule: a NOTICE stage with TriggerBasis.BEFORE_DUE_DATE never produces a fee before
    the due date and never makes the invoice DUNNED before it (due 30 April, decided on
    20 April): the reminder recorded leaves the invoice SENT, with nothing more owed. The
    second stage waits for 1 May, the first day the debtor is late (seed 002)."""
    invoice = due_30_april()
    action = issue(invoice, PRE_DUE, date(2026, 4, 20))
    assert action.on == date(2026, 4, 20)
    assert action.fee == Money("0.00", "EUR")
    assert action.open_amount == invoice.open_amount
    reminded = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    assert reminded.status is Status.SENT
    assert reminded.fees == Money("0.00", "EUR")
    assert reminded.open_amount == Money("100.00", "EUR")
    last = reminded.history[-1]
    assert (last.kind, last.from_status, last.to_status) == (
        EventKind.STAGE_ISSUED,
        Status.SENT,
        Status.SENT,
    )
    on_due = next_dunning_action(reminded, PRE_DUE, today=date(2026, 4, 30))
    assert on_due == NoAction(
        invoice_id=invoice.id, reason=NoActionReason.NOT_YET_DUE, next_on=date(2026, 5, 1)
    )
    second = issue(reminded, PRE_DUE, date(2026, 5, 1))  # the day after: stage 2 may dun
    assert second.fee == FEE
    assert (
        record_stage(reminded, second, actor=AUTOMATIC, authority=Authority()).status
        is Status.DUNNED
    )


def test_a_fee_before_the_due_date_is_refused() -> None:
    """Rule: record_stage of an IssueStage carrying a fee before the due date raises
    GuardFailedError (guard no-fee): nothing is owed before the due date."""
    invoice = due_30_april()
    free = issue(invoice, PRE_DUE, date(2026, 4, 20))
    action = attrs.evolve(
        free, fee=FEE, total_gross=free.total_gross + FEE, open_amount=free.open_amount + FEE
    )
    assert action.on < invoice.due_date
    with pytest.raises(GuardFailedError, match="no-fee") as refused:
        record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    assert (refused.value.guard, refused.value.command) == ("no-fee", "ISSUE_EARLY")
    assert refused.value.status is Status.SENT


def test_pre_due_simulation_stays_sent_until_the_due_date() -> None:
    """Rule, run daily: the pre-due document of 20 April leaves the invoice SENT without a
    fee; the first fee and DUNNED come after the due date (30 April), on 1 May."""
    schedule = simulate(due_30_april(), PRE_DUE, until=date(2026, 6, 1))
    assert [(entry.on, entry.fee) for entry in schedule] == [
        (date(2026, 4, 20), Money("0.00", "EUR")),
        (date(2026, 5, 1), FEE),
    ]
    before = [e for e in schedule.invoice.history if e.on <= date(2026, 4, 30)]
    assert all(e.to_status is Status.SENT for e in before)


SPACED = DunningRules(
    stages=tuple(
        DunningStage(StageKind.REMINDER, days_overdue=days, basis=TriggerBasis.DUE_DATE)
        for days in (14, 28, 42, 56)
    )
)


def due_20_april() -> Invoice:
    return sent(
        "100.00", number="RE-2026-0020", issue_date=date(2026, 4, 6), due_date=date(2026, 4, 20)
    )


GAP = (Pause(on=date(2026, 5, 11), actor=ANN), Resume(on=date(2026, 9, 1), actor=ANN))


def test_due_date_basis_keeps_its_spacing_after_a_gap() -> None:
    """Rule: stages at 14/28/42/56 days after the due date (20 April), paused on 11 May and
    resumed on 1 September: the first stage went out before the pause (4 May), and the
    documents after the resume come 14 days apart (1, 15, 29 September), not as a burst on
    1, 2, 3 September."""
    schedule = simulate(due_20_april(), SPACED, until=date(2026, 12, 31), events=GAP)
    assert [entry.on for entry in schedule] == [
        date(2026, 5, 4),
        date(2026, 9, 1),
        date(2026, 9, 15),
        date(2026, 9, 29),
    ]
    days = [entry.on for entry in schedule]
    assert all((b - a).days >= 14 for a, b in itertools.pairwise(days))


def test_previous_document_basis_after_a_gap_counts_from_the_last_document() -> None:
    """With the previous-document basis (the seed's rule) the same gap gives documents
    ``days_overdue`` days after the previous document's date: resumed 1 September, the
    overdue stage goes out then, the next 14 days after it."""
    rules = DunningRules(
        stages=tuple(DunningStage(StageKind.REMINDER, days_overdue=14) for _ in range(4))
    )
    schedule = simulate(due_20_april(), rules, until=date(2026, 12, 31), events=GAP)
    days = [entry.on for entry in schedule]
    assert days == [date(2026, 5, 4), date(2026, 9, 1), date(2026, 9, 15), date(2026, 9, 29)]
    for level, day in enumerate(days[1:], start=2):
        stage = rules.active_stages[level - 1]
        assert day == max(days[level - 2] + timedelta(days=stage.days_overdue), date(2026, 9, 1))


def test_pre_due_reminder_never_precedes_the_invoice() -> None:
    """A pre-due reminder 10 days before a due date 5 days after the issue date would fall
    before the invoice exists: it waits for the issue date (05.05.), and simulate starts
    its runs there too."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=10, basis=TriggerBasis.BEFORE_DUE_DATE),
        )
    )
    invoice = Invoice.sent(
        number="RE-2026-0002",
        customer=ACME,
        gross=Money("100.00", "EUR"),
        issue_date=date(2026, 5, 5),
        due_date=date(2026, 5, 10),
    )
    assert next_dunning_action(invoice, rules, today=date(2026, 4, 30)) == NoAction(
        invoice_id="RE-2026-0002", reason=NoActionReason.NOT_YET_DUE, next_on=date(2026, 5, 5)
    )
    assert issue(invoice, rules, date(2026, 5, 5)).on == date(2026, 5, 5)
    schedule = simulate(invoice, rules, until=date(2026, 6, 1))
    assert schedule.start == date(2026, 5, 5)
    assert [entry.on for entry in schedule] == [date(2026, 5, 5)]


def test_catches_up_one_stage_per_run() -> None:
    """After a gap, one stage per evaluation; the next counts from the document created."""
    late = issue(sent(), RULES, date(2026, 6, 30))
    assert late.level == 1
    invoice = record_stage(sent(), late, actor=AUTOMATIC, authority=Authority())
    assert reason(invoice, RULES, date(2026, 7, 6)) is NoActionReason.NOT_YET_DUE
    assert issue(invoice, RULES, date(2026, 7, 7)).level == 2


# -- nothing to do -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.DRAFT, NoActionReason.NOT_BOOKED),
        (Status.CREATED, NoActionReason.NOT_BOOKED),
        (Status.REVIEWED, NoActionReason.NOT_BOOKED),
        (Status.PAID, NoActionReason.SETTLED),
        (Status.CANCELLED, NoActionReason.CLOSED),
        (Status.WRITTEN_OFF, NoActionReason.CLOSED),
    ],
)
def test_states_that_are_never_dunned(status: Status, expected: NoActionReason) -> None:
    """Only SENT and DUNNED invoices are dunned; the reason says why not."""
    invoice = reached(status)
    assert reason(invoice, RULES, date(2026, 12, 31)) is expected


def test_settled_invoice_is_not_dunned() -> None:
    """A SENT invoice with nothing open (a total of zero: no payment to settle it) is settled."""
    invoice = sent("0.00")
    assert reason(invoice, RULES, date(2026, 12, 31)) is NoActionReason.SETTLED


def test_suspension_reasons() -> None:
    """All stages inactive: NO_ACTIVE_STAGE; customer off: CUSTOMER_DISABLED; paused: PAUSED."""
    late = date(2026, 12, 31)
    inactive = DunningRules(stages=tuple(attrs.evolve(s, active=False) for s in RULES.stages))
    assert reason(sent(), inactive, late) is NoActionReason.NO_ACTIVE_STAGE
    assert reason(sent(), DunningRules(stages=()), late) is NoActionReason.NO_ACTIVE_STAGE
    off = sent(customer=attrs.evolve(ACME, dunning_enabled=False))
    assert reason(off, RULES, late) is NoActionReason.CUSTOMER_DISABLED
    paused = pause(sent(), on=date(2026, 5, 20), actor=ANN, authority=Authority())
    assert reason(paused, RULES, late) is NoActionReason.PAUSED
    assert reason(paused, RULES, date(2026, 5, 19)) is NoActionReason.NOT_YET_DUE


def test_minimum_open_amount_is_inclusive() -> None:
    """Below the currency's minimum: BELOW_MINIMUM; exactly the minimum is dunned; other
    currencies' minimums do not apply."""
    rules = attrs.evolve(RULES, minimum_open_amounts=(Money("119.00", "EUR"),))
    assert issue(sent(), rules, date(2026, 5, 24)).level == 1
    assert reason(sent(gross="118.99"), rules, date(2026, 5, 24)) is (NoActionReason.BELOW_MINIMUM)
    usd = attrs.evolve(RULES, minimum_open_amounts=(Money("1000.00", "USD"),))
    assert issue(sent(gross="118.99"), usd, date(2026, 5, 24)).level == 1


def test_exhausted_without_escalation() -> None:
    """Every stage sent and no escalation in the rules: EXHAUSTED, nothing more to come."""
    action = next_dunning_action(dunned(4), RULES, today=date(2027, 1, 1))
    assert action == NoAction(invoice_id="RE-2026-0001", reason=NoActionReason.EXHAUSTED)


def test_escalation_after_the_rules_own_days() -> None:
    """Escalation 10 days after the last document (14.06.): not yet on 23.06., due 24.06."""
    rules = attrs.evolve(RULES, escalation=Escalation.COLLECTION, escalation_days=10)
    invoice = dunned(4, rules)
    early = next_dunning_action(invoice, rules, today=date(2026, 6, 23))
    assert early == NoAction(
        invoice_id=invoice.id, reason=NoActionReason.NOT_YET_DUE, next_on=date(2026, 6, 24)
    )
    action = next_dunning_action(invoice, rules, today=date(2026, 6, 30))
    assert action == Escalate(
        invoice_id=invoice.id,
        escalation=Escalation.COLLECTION,
        on=date(2026, 6, 30),
        due_since=date(2026, 6, 24),
        level=4,
        open_amount=Money("124.00", "EUR"),
    )


def test_escalation_after_deactivated_stages() -> None:
    """Stages deactivated after documents were sent shorten the ladder: the invoice is done
    with it and escalates, never on the day of its last document."""
    rules = DunningRules(
        stages=(attrs.evolve(RULES.stages[0]), attrs.evolve(RULES.stages[1], active=False)),
        escalation=Escalation.WRITE_OFF,
    )
    invoice = dunned(1, rules)
    assert reason(invoice, rules, date(2026, 5, 24)) is NoActionReason.NOT_YET_DUE
    action = next_dunning_action(invoice, rules, today=date(2026, 5, 25))
    assert isinstance(action, Escalate)
    assert action.escalation is Escalation.WRITE_OFF


# -- caller mistakes ---------------------------------------------------------------------


def test_fee_in_another_currency_is_a_caller_mistake() -> None:
    """A EUR notice fee cannot be charged on a USD invoice: CurrencyMismatchError."""
    usd = Invoice.sent(
        number="RE-9", customer=ACME, gross=Money("10.00", "USD"), issue_date=date(2026, 1, 1)
    )
    rules = DunningRules(stages=(RULES.stages[3],))
    with pytest.raises(CurrencyMismatchError, match="USD and EUR"):
        next_dunning_action(usd, rules, today=date(2026, 12, 31))
    fee_free = usd.customer.__class__(id="C-2", name="B", fees_enabled=False)
    assert issue(attrs.evolve(usd, customer=fee_free), rules, date(2026, 12, 31)).fee == Money(
        "0.00", "USD"
    )


def test_wrong_arguments_are_refused() -> None:
    """Wrong types for invoice, rules or today raise InvalidTypeError naming the argument."""
    with pytest.raises(InvalidTypeError, match="next_dunning_action.invoice"):
        next_dunning_action("RE-1", RULES, today=DUE)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="next_dunning_action.rules"):
        next_dunning_action(sent(), RULES.stages, today=DUE)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="next_dunning_action.today"):
        next_dunning_action(sent(), RULES, today="2026-05-24")  # type: ignore[arg-type]


# -- record_stage -----------------------------------------------------------------------


def test_record_notice_moves_to_dunned_and_records_the_document() -> None:
    """record_stage returns a new invoice: DUNNED, one notice, history entry; old unchanged."""
    original = sent()
    action = issue(original, RULES, date(2026, 5, 24))
    run = Actor(id="dunning-run", roles={"automation"}, automatic=True)
    invoice = record_stage(original, action, actor=run, authority=Authority())
    assert invoice.status is Status.DUNNED
    assert invoice.dunning_level == 1
    assert invoice.last_issued_stage == action.issued()
    assert invoice.last_issued_stage is not None
    assert invoice.last_issued_stage.on == date(2026, 5, 24)
    entry = invoice.history[-1]
    assert (entry.kind, entry.from_status, entry.to_status, entry.actor) == (
        EventKind.STAGE_ISSUED,
        Status.SENT,
        Status.DUNNED,
        "dunning-run",
    )
    assert "level 1 reminder" in entry.detail
    assert original.status is Status.SENT
    assert original.issued_stages == ()


def test_record_notice_adds_the_fee_to_what_is_owed() -> None:
    """The notice's fee is owed from then on: open amount 119.00 + 5.00."""
    invoice = dunned(4)
    assert invoice.fees == FEE
    assert invoice.open_amount == Money("124.00", "EUR")
    assert invoice.history[-1].from_status is Status.DUNNED


def test_record_notice_refuses_actions_that_do_not_fit() -> None:
    """Another invoice's action, one already recorded, a skipped level, a date on or before
    the previous document, and anything but an IssueStage are refused."""
    action = issue(sent(), RULES, date(2026, 5, 24))
    once = record_stage(sent(), action, actor=AUTOMATIC, authority=Authority())
    with pytest.raises(InvalidValueError, match="already recorded on 2026-05-24"):
        record_stage(once, action, actor=AUTOMATIC, authority=Authority())
    other = attrs.evolve(sent(), id="RE-OTHER")
    with pytest.raises(InvalidValueError, match="IssueStage.invoice_id"):
        record_stage(other, action, actor=AUTOMATIC, authority=Authority())
    with pytest.raises(InvalidValueError, match="level 1, the invoice's next level"):
        record_stage(sent(), attrs.evolve(action, level=2), actor=AUTOMATIC, authority=Authority())
    with pytest.raises(InvalidValueError, match="IssueStage.on"):
        record_stage(once, attrs.evolve(action, level=2), actor=AUTOMATIC, authority=Authority())
    with pytest.raises(CurrencyMismatchError):
        record_stage(
            sent(),
            attrs.evolve(action, fee=Money("0.00", "USD")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    nothing = next_dunning_action(sent(), RULES, today=DUE)
    with pytest.raises(InvalidTypeError, match="an IssueStage"):
        record_stage(sent(), nothing, actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="record_stage.invoice"):
        record_stage(None, action, actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]


def test_record_notice_follows_the_transition_table() -> None:
    """A cancelled invoice has no DUN row: TransitionNotAllowedError from the table."""
    action = issue(sent(), RULES, date(2026, 5, 24))
    with pytest.raises(TransitionNotAllowedError):
        record_stage(reached(Status.CANCELLED), action, actor=AUTOMATIC, authority=Authority())


# -- laws --------------------------------------------------------------------------------


@given(data=st.data())
def test_determinism_law(data: st.DataObject) -> None:
    """Law (determinism): the same invoice, rules and day always give the same decision."""
    invoice = data.draw(dunnable_invoices(dunning_enabled=None))
    rules = data.draw(dunning_rules(currency=invoice.currency))
    day = data.draw(dates(min_value=invoice.issue_date, max_value=date(2031, 12, 31)))
    first = next_dunning_action(invoice, rules, today=day)
    assert next_dunning_action(attrs.evolve(invoice), attrs.evolve(rules), today=day) == first


def _closed_or_settled() -> st.SearchStrategy[Invoice]:
    """Invoices that must never be dunned: drafts, PAID/CANCELLED/WRITTEN_OFF, or settled."""

    def closed(invoice: Invoice, status: Status) -> Invoice:
        try:  # from the drawn invoice where the table leads there from its state
            return reached(status, invoice)
        except DunlibError:  # settled already (no cancel), held or paused (no dun)
            return reached(status)

    booked = dunnable_invoices(dunning_enabled=None)
    drafts = (Status.DRAFT, Status.CREATED, Status.REVIEWED)
    return st.one_of(
        st.sampled_from(drafts).map(reached),
        st.tuples(booked, st.sampled_from((Status.PAID, Status.CANCELLED, Status.WRITTEN_OFF))).map(
            lambda pair: closed(*pair)
        ),
        st.just(sent("0.00")),
    )


@given(data=st.data())
def test_never_acts_on_unbooked_closed_or_settled_invoices_law(data: st.DataObject) -> None:
    """Law: an invoice that is not SENT/DUNNED, or that is settled, only ever gets NoAction."""
    invoice = data.draw(_closed_or_settled())
    rules = data.draw(dunning_rules(currency=invoice.currency, min_active=1))
    day = data.draw(dates(min_value=invoice.issue_date, max_value=date(2031, 12, 31)))
    assert isinstance(next_dunning_action(invoice, rules, today=day), NoAction)


def expected_trigger(rules: DunningRules, invoice: Invoice, level: int) -> date:
    """The trigger date of ``level`` as the issue words it (an oracle written apart from the
    engine): stage 1 counts from the due date (or before it for a pre-due reminder, or
    from the invoice date), later stages from the previous document, or from the due date
    or the invoice date when they say so, keeping after a gap their spacing from the stage
    before (when both count from the due date); only the courtesy stages opening the
    ladder fire on or before the due date, the others from the day after it; never on the
    day of the previous document, and never before the invoice's issue date."""
    stage = rules.active_stages[level - 1]
    previous = invoice.issued_stages[level - 2].on if level > 1 else None

    def offset(one: DunningStage) -> int | None:
        if one.basis is TriggerBasis.BEFORE_DUE_DATE:
            return -one.days_overdue
        return one.days_overdue if one.basis is TriggerBasis.DUE_DATE else None

    mine = offset(stage)
    if stage.basis is TriggerBasis.ISSUE_DATE:
        day = invoice.issue_date + timedelta(days=stage.days_overdue)
    elif mine is not None:
        day = invoice.due_date + timedelta(days=mine)
        before = offset(rules.active_stages[level - 2]) if level > 1 else None
        if previous is not None and before is not None:
            day = max(day, previous + timedelta(days=mine - before))
    elif previous is None:
        day = invoice.due_date + timedelta(days=stage.days_overdue)
    else:
        day = previous + timedelta(days=stage.days_overdue)
    if stage.basis not in (TriggerBasis.BEFORE_DUE_DATE, TriggerBasis.ISSUE_DATE):
        day = max(day, invoice.due_date + timedelta(days=1))
    day = max(day, invoice.issue_date)
    return day if previous is None else max(day, previous + timedelta(days=1))


@given(data=st.data())
def test_each_stage_raises_the_level_by_one_and_skips_no_active_stage_law(
    data: st.DataObject,
) -> None:
    """Law: every issued stage has level = previous level + 1 and uses the next active stage
    in the rules' order: stage numbers rise and no active stage lies between two of them."""
    invoice = data.draw(dunnable_invoices())
    rules = data.draw(dunning_rules(currency=invoice.currency, min_active=1))
    schedule = simulate(invoice, rules, until=invoice.due_date + timedelta(days=240))
    assert [entry.level for entry in schedule] == list(range(1, len(schedule) + 1))
    numbers = [entry.stage_number for entry in schedule]
    active = [n for n, s in enumerate(rules.stages, start=1) if s.active]
    assert numbers == active[: len(numbers)]


@given(data=st.data())
def test_never_fires_before_its_trigger_date_law(data: st.DataObject) -> None:
    """Law: a stage is issued on or after its trigger date, never before; on a daily run
    without pauses it is issued exactly on its trigger date (or the first run day)."""
    invoice = data.draw(dunnable_invoices())
    rules = data.draw(dunning_rules(currency=invoice.currency, min_active=1))
    schedule = simulate(invoice, rules, until=invoice.due_date + timedelta(days=240))
    for entry in schedule:
        trigger = expected_trigger(rules, schedule.invoice, entry.level)
        assert entry.on == max(trigger, schedule.start)
    day = data.draw(dates(min_value=invoice.issue_date, max_value=date(2031, 12, 31)))
    current = schedule.invoice if data.draw(st.booleans()) else invoice
    action = next_dunning_action(current, rules, today=day)
    if isinstance(action, IssueStage) and day >= current.history[-1].on:  # no back-dating
        assert day >= expected_trigger(rules, sent_as_decided(current, action), action.level)


@given(invoice=dunnable_invoices(currency="KWD"))
def test_dunnable_invoices_are_sent_and_open(invoice: Invoice) -> None:
    """dunnable_invoices() gives SENT invoices with an open amount, dunning switched on."""
    assert invoice.status is Status.SENT
    assert invoice.open_amount.is_positive
    assert invoice.currency == "KWD"
    assert invoice.customer.dunning_enabled


def test_trigger_date_names_the_next_stage_or_none() -> None:
    """trigger_date gives the next stage's first day, None once every active stage was sent,
    and refuses rules that are not DunningRules."""
    rules = DunningRules(stages=(DunningStage(kind=StageKind.REMINDER, days_overdue=14),))
    invoice = Invoice.sent(
        number="RE-T",
        customer=Customer(id="C", name="C GmbH"),
        gross=Money("10.00", "EUR"),
        issue_date=date(2026, 4, 1),
        due_date=date(2026, 4, 15),
    )
    assert trigger_date(invoice, rules) == date(2026, 4, 29)
    action = next_dunning_action(invoice, rules, today=date(2026, 4, 29))
    assert isinstance(action, IssueStage)
    assert (
        trigger_date(record_stage(invoice, action, actor=AUTOMATIC, authority=Authority()), rules)
        is None
    )
    with pytest.raises(InvalidTypeError, match="trigger_date.rules"):
        trigger_date(invoice, None)  # type: ignore[arg-type]


def test_a_decision_is_never_dated_before_the_invoices_last_step() -> None:
    """The engine never decides a document for a day before the invoice's last history entry
    (found by the long Hypothesis profile): asked about an earlier day it says NOT_YET_DUE
    with that entry's day, and what it decides then can be recorded."""
    rules = DunningRules(
        stages=(
            DunningStage(
                kind=StageKind.REMINDER, days_overdue=1, basis=TriggerBasis.BEFORE_DUE_DATE
            ),
        )
    )
    invoice = Invoice.sent(
        number="RE-L",
        customer=ACME,
        gross=Money("1.00", "EUR"),
        issue_date=date(2029, 11, 9),
        due_date=date(2029, 11, 10),
    )
    paid = record_payment(
        invoice,
        Payment(on=date(2029, 11, 10), amount=Money("0.01", "EUR")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    early = next_dunning_action(paid.invoice, rules, today=date(2029, 11, 9))
    assert early == NoAction(
        invoice_id="RE-L", reason=NoActionReason.NOT_YET_DUE, next_on=date(2029, 11, 10)
    )
    action = next_dunning_action(paid.invoice, rules, today=date(2029, 11, 10))
    assert isinstance(action, IssueStage)
    assert (
        record_stage(paid.invoice, action, actor=AUTOMATIC, authority=Authority()).dunning_level
        == 1
    )


@given(data=st.data())
def test_trigger_date_is_the_earliest_day_the_engine_can_act_law(data: st.DataObject) -> None:
    """Law: on every day before ``trigger_date(invoice, rules)`` the engine does nothing
    (a NoAction), and on the trigger date itself an invoice nothing else holds back (open,
    not paused, its customer's dunning on, at or above the minimum) gets its stage. The daily
    run's "nothing today" path rests on this law; whoever changes the engine keeps it."""
    invoice = data.draw(
        st.one_of(dunnable_invoices(currency="EUR"), dunned_invoices(currency="EUR"))
    )
    rules = data.draw(dunning_rules(min_active=1))
    trigger = trigger_date(invoice, rules)
    if trigger is None:
        assert invoice.dunning_level >= len(rules.active_stages)
        return
    day_before = trigger - timedelta(days=1)
    earlier = data.draw(st.dates(min_value=date(2019, 1, 1), max_value=day_before))
    for day in (earlier, day_before):
        assert isinstance(next_dunning_action(invoice, rules, today=day), NoAction)
    minimum = rules.minimum_for("EUR")
    held = (
        (invoice.paused_since is not None and invoice.paused_since <= trigger)
        or not invoice.customer.dunning_enabled
        or (minimum is not None and invoice.open_amount < minimum)
    )
    action = next_dunning_action(invoice, rules, today=trigger)
    assert held or (isinstance(action, IssueStage) and action.on == trigger)


@given(data=st.data())
def test_trigger_terms_give_the_trigger_date_law(data: st.DataObject) -> None:
    """Law: the engine's trigger terms (what the daily run precomputes per rules) give
    trigger_date: the latest of each named day plus its days."""
    invoice = data.draw(
        st.one_of(dunnable_invoices(currency="EUR"), dunned_invoices(currency="EUR"))
    )
    rules = data.draw(dunning_rules(min_active=1))
    step = next_stage(invoice, rules)  # stable stage identity: after the stage last issued
    if step is None or step.repeat:
        return
    last = invoice.last_issued_stage
    terms = _trigger_terms(step.stage, step.previous, last is not None)
    days = {
        "due": invoice.due_date,
        "last": None if last is None else last.on,
        "history": invoice.history[-1].on if invoice.history else None,
        "issue": invoice.issue_date,
    }
    latest = max(day + timedelta(days=k) for name, k in terms if (day := days[name]) is not None)
    assert latest == trigger_date(invoice, rules)


# -- the engine's compiled form (dunlib.dunning.decider): the rules of the daily run -------------


def _accounts_of(customer_id: str, day: date) -> list[CustomerAccount | None]:
    """No account, an account without changes, and accounts that switch fees or dunning
    off, keep credit (some, or more than any invoice owes), or hold every invoice."""
    earlier, later = day - timedelta(days=3), day + timedelta(days=2)

    def account(*changes: AccountChange) -> CustomerAccount:
        return CustomerAccount(customer_id=customer_id, history=changes)

    def kept(amount: str, on: date = earlier) -> AccountChange:
        return AccountChange(on=on, kind=AccountChangeKind.CREDIT_KEPT, actor="ann",
                             amount=Money(amount, "EUR"))  # fmt: skip

    hold = Hold.dispute(on=earlier, reason="contested", until=later)
    return [
        None,
        account(),
        account(AccountChange(on=earlier, kind=AccountChangeKind.FEES_OFF, actor="ann")),
        account(AccountChange(on=earlier, kind=AccountChangeKind.DUNNING_OFF, actor="ann")),
        account(kept("20.00")),
        account(kept("20.00"), AccountChange(on=later, kind=AccountChangeKind.FEES_OFF)),
        account(kept("999999.00")),
        account(AccountChange(on=earlier, kind=AccountChangeKind.HOLD_PLACED, hold=hold)),
        account(kept("1.00", on=later)),
    ]


def _decided(
    invoice: Invoice,
    rules: DunningRules,
    day: date,
    account: CustomerAccount | None,
    credit: Money | None,
) -> tuple[object, object]:
    """The engine's action and the compiled form's (or the class of the error each raises)."""

    def answer(decide: Callable[[], object]) -> object:
        try:
            return decide()
        except DunlibError as error:
            return type(error)

    return (
        answer(
            lambda: next_dunning_action(invoice, rules, today=day, account=account, credit=credit)
        ),
        answer(lambda: Decider(rules, day).decide(invoice, account, credit)),
    )


@given(data=st.data())
def test_the_compiled_rules_decide_exactly_as_the_engine_law(data: st.DataObject) -> None:
    """Law: the engine's compiled form (what the daily run decides with) gives exactly the
    engine's action, error included, for open, dunned and closed invoices under any rules
    (interest and the flat fee claimed, fee rules, repeating stages, calendars, base
    rates), with no account, an account without changes or one that switches fees or
    dunning off, keeps credit or holds, on any day and around the invoice's trigger date;
    and where it calls an invoice quiet, the engine does nothing about it."""
    invoice = data.draw(
        st.one_of(
            dunnable_invoices(currency="EUR"),
            dunned_invoices(currency="EUR"),
            closed_invoices(currency="EUR"),
        )
    )
    rules = data.draw(dunning_rules(min_active=0, with_fee_rules=True, with_repeat=True))
    if data.draw(st.booleans()):
        business = attrs.evolve(invoice.customer, kind=CustomerKind.BUSINESS)
        invoice = attrs.evolve(invoice, customer=business)
    run_days = {data.draw(dates(min_value=date(2020, 1, 1), max_value=date(2031, 12, 31)))}
    trigger = trigger_date(invoice, rules)
    if trigger is not None:
        run_days |= {trigger - timedelta(days=1), trigger, trigger + timedelta(days=1)}
    for day in sorted(run_days):
        for account in _accounts_of(invoice.customer.id, day):
            credit = None
            if account is not None and data.draw(st.booleans()):
                credit = Money(data.draw(st.sampled_from(("0.00", "5.00", "1000000.00"))), "EUR")
            engine, compiled = _decided(invoice, rules, day, account, credit)
            assert compiled == engine
            assert repr(compiled) == repr(engine)
        if Decider(rules, day).quiet(invoice):
            assert isinstance(next_dunning_action(invoice, rules, today=day), NoAction)


def test_the_compiled_rules_claim_the_engines_interest_flat_fee_and_account() -> None:
    """The seed's notice claiming interest and the flat fee, issued to a business debtor
    by the compiled rules: the engine's fee, flat fee and interest, the fee dropped for an
    account with fees off, the customer's credit netted, and an account without changes
    deciding as none."""
    business = attrs.evolve(ACME, kind=CustomerKind.BUSINESS)
    rules = attrs.evolve(RULES, stages=(*RULES.stages[:3], attrs.evolve(
        RULES.stages[3], claim_interest=True, claim_flat_fee=True)))  # fmt: skip
    invoice = dunned(3, rules, attrs.evolve(sent(), customer=business))
    day = trigger_date(invoice, rules)
    assert day is not None
    for account in _accounts_of(business.id, day):
        engine, compiled = _decided(invoice, rules, day, account, None)
        assert repr(compiled) == repr(engine)
    action = Decider(rules, day).decide(invoice)
    assert isinstance(action, IssueStage)
    assert action.fee == FEE + Money("40.00", "EUR")
    assert action.interest.is_positive
    empty = CustomerAccount(customer_id=business.id)
    assert Decider(rules, day).decide(invoice, empty, Money("0.00", "EUR")) == action


def test_the_compiled_rules_read_accounts_again_once_they_keep_too_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A decider keeps the accounts it read up to a bound: read again past it, two
    customers' accounts in turn still give the engine's decisions."""
    monkeypatch.setattr(quick, "ACCOUNTS", 1)
    day = date(2026, 5, 24)
    other = attrs.evolve(ACME, id="C-2")
    invoices = [sent(), sent(number="RE-2026-0002"), attrs.evolve(sent(), customer=other)]
    fees_off = AccountChange(on=day, kind=AccountChangeKind.FEES_OFF, actor="ann")
    decider = Decider(RULES, day)
    for invoice in [*invoices, *invoices]:
        account = CustomerAccount(customer_id=invoice.customer.id, history=(fees_off,))
        for twice in (account, account):
            expected = next_dunning_action(invoice, RULES, today=day, account=twice)
            assert decider.decide(invoice, twice) == expected


def test_the_trigger_of_a_draft_without_history_counts_from_its_dates() -> None:
    """A draft built without history (the only invoice that may have none) gets its first
    stage's day from its due date and issue date alone."""
    draft = Invoice(id="D-1", customer=ACME, currency="EUR", issue_date=date(2026, 4, 26))
    assert draft.history == ()
    assert trigger_date(draft, RULES) == draft.due_date + timedelta(days=14)
