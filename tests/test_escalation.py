"""Escalation carried out: record_escalation books the engine's Escalate through the table."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ANN, sent
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    DunningRules,
    DunningStage,
    Escalate,
    Escalation,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    NoAction,
    NoActionReason,
    Payment,
    PermissionDeniedError,
    StageKind,
    Status,
    StepRefusedError,
    TransitionNotAllowedError,
    TriggerBasis,
    next_dunning_action,
    record_escalation,
    record_payment,
    simulate,
)
from dunlib.core import EventKind
from dunlib.core.transitions import TRANSITIONS, Command
from dunlib.strategies import dunnable_invoices, dunning_rules

ONE_NOTICE = DunningRules(
    stages=(DunningStage(StageKind.NOTICE, days_overdue=14),),
    escalation=Escalation.COLLECTION,
    escalation_days=10,
)
COMMAND = {
    Escalation.WRITE_OFF: Command.WRITE_OFF,
    Escalation.COLLECTION: Command.COLLECT,
    Escalation.BLOCK_SERVICE: Command.BLOCK,
}


def escalated(escalation: Escalation) -> tuple[Invoice, Escalate]:
    """The seed invoice dunned once, and the engine's escalation 10 days after the notice."""
    rules = attrs.evolve(ONE_NOTICE, escalation=escalation)
    schedule = simulate(sent(), rules, until=date(2026, 7, 1))
    assert schedule.escalation is not None
    return schedule.invoice, schedule.escalation


def test_collection_is_recorded_and_dunning_ends() -> None:
    """Hand-over to collection: the COLLECT row keeps the invoice DUNNED and records the step
    in the history; the engine then answers ESCALATED, and payments still settle it."""
    invoice, action = escalated(Escalation.COLLECTION)
    assert (action.on, action.level) == (date(2026, 6, 3), 1)
    handed = record_escalation(invoice, action, actor=AUTOMATIC, authority=Authority())
    assert handed.status is Status.DUNNED
    entry = handed.history[-1]
    assert (entry.kind, entry.on, entry.actor) == (
        EventKind.HANDED_TO_COLLECTION,
        date(2026, 6, 3),
        "automatic",
    )
    assert "handed to collection: 119.00 EUR open" in entry.detail
    later = next_dunning_action(handed, ONE_NOTICE, today=date(2026, 9, 1))
    assert later == NoAction(invoice_id=handed.id, reason=NoActionReason.ESCALATED)
    paid = record_payment(
        handed,
        Payment(on=date(2026, 9, 1), amount=handed.open_amount),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert paid.invoice.status is Status.PAID
    again = next_dunning_action(paid.invoice, ONE_NOTICE, today=date(2026, 9, 2))
    assert isinstance(again, NoAction)
    assert again.reason is NoActionReason.SETTLED


def test_blocking_the_service_is_recorded() -> None:
    """Blocking the service: the BLOCK row, recorded as SERVICE_BLOCKED, by the actor given."""
    invoice, action = escalated(Escalation.BLOCK_SERVICE)
    blocked = record_escalation(invoice, action, actor=ANN, authority=Authority())
    assert blocked.status is Status.DUNNED
    assert (blocked.history[-1].kind, blocked.history[-1].actor) == (
        EventKind.SERVICE_BLOCKED,
        "ann",
    )


def test_write_off_goes_through_its_row() -> None:
    """Write-off: the WRITE_OFF row (DUNNED → WRITTEN_OFF) writes off what is open."""
    invoice, action = escalated(Escalation.WRITE_OFF)
    written = record_escalation(invoice, action, actor=AUTOMATIC, authority=Authority())
    assert written.status is Status.WRITTEN_OFF
    assert written.open_amount.is_zero
    assert written.history[-1].kind is EventKind.WRITE_OFF
    assert "escalation after level 1" in written.write_offs[-1].reason
    with pytest.raises(TransitionNotAllowedError):
        record_escalation(written, action, actor=AUTOMATIC, authority=Authority())


def test_an_escalation_never_happens_twice() -> None:
    """The COLLECT and BLOCK rows' guard ``not-escalated`` refuses a second escalation of
    either kind, naming the first."""
    invoice, action = escalated(Escalation.COLLECTION)
    handed = record_escalation(invoice, action, actor=AUTOMATIC, authority=Authority())
    with pytest.raises(GuardFailedError, match="guard not-escalated: already escalated on"):
        record_escalation(handed, action, actor=AUTOMATIC, authority=Authority())
    with pytest.raises(GuardFailedError, match="not-escalated"):
        record_escalation(
            handed,
            attrs.evolve(action, escalation=Escalation.BLOCK_SERVICE),
            actor=AUTOMATIC,
            authority=Authority(),
        )


def test_the_same_checks_as_any_other_step() -> None:
    """Wrong types, another invoice's or a stale decision, a back-dated day, an actor without
    the right and an invoice that is not DUNNED are refused, the invoice unchanged."""
    invoice, action = escalated(Escalation.COLLECTION)
    with pytest.raises(InvalidTypeError, match="record_escalation.invoice"):
        record_escalation("RE-1", action, actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="record_escalation.action"):
        record_escalation(invoice, "collect", actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="Escalate.invoice_id"):
        record_escalation(
            invoice,
            attrs.evolve(action, invoice_id="other"),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(InvalidValueError, match="Escalate.level"):
        record_escalation(
            invoice, attrs.evolve(action, level=0), actor=AUTOMATIC, authority=Authority()
        )
    with pytest.raises(InvalidValueError, match="record_escalation.on"):
        record_escalation(
            invoice,
            attrs.evolve(action, on=date(2026, 5, 1)),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(PermissionDeniedError, match="COLLECT"):
        record_escalation(
            invoice, action, actor=Actor(id="carl", roles={"clerk"}), authority=Authority()
        )
    with pytest.raises(TransitionNotAllowedError, match="COLLECT"):
        record_escalation(
            sent(), attrs.evolve(action, level=0), actor=AUTOMATIC, authority=Authority()
        )


def test_an_escalation_is_checked_against_what_the_engine_decides() -> None:
    """An escalation decided before a payment, one for more than is open, one due before the
    last notice or after its own day are refused naming the field; the table (a write-off of
    an invoice that is not DUNNED) and the rights refuse before the amounts are read."""
    invoice, action = escalated(Escalation.COLLECTION)
    paid = record_payment(
        invoice,
        Payment(on=action.on, amount=Money("50.00", "EUR")),
        actor=ANN,
        authority=Authority(),
    ).invoice
    with pytest.raises(InvalidValueError, match="Escalate.open_amount.*RE-2026-0001"):
        record_escalation(paid, action, actor=AUTOMATIC, authority=Authority())
    with pytest.raises(InvalidValueError, match="Escalate.open_amount"):
        record_escalation(
            invoice,
            attrs.evolve(action, open_amount=Money("1.00", "EUR")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    notice_day = invoice.issued_stages[-1].on
    with pytest.raises(InvalidValueError, match="Escalate.due_since"):
        record_escalation(
            invoice,
            attrs.evolve(action, due_since=notice_day),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(InvalidValueError, match="Escalate.due_since"):
        record_escalation(
            invoice,
            attrs.evolve(action, due_since=action.on + timedelta(1)),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    written = attrs.evolve(action, escalation=Escalation.WRITE_OFF, level=0)
    with pytest.raises(TransitionNotAllowedError, match="WRITE_OFF"):
        record_escalation(sent(), written, actor=ANN, authority=Authority())
    stale = attrs.evolve(action, open_amount=Money("1.00", "EUR"))
    with pytest.raises(PermissionDeniedError):
        record_escalation(
            invoice, stale, actor=Actor(id="carl", roles={"clerk"}), authority=Authority()
        )


def test_an_invoice_only_reminded_before_its_due_date_does_not_escalate() -> None:
    """Escalation follows dunning: an invoice whose only stage is a pre-due reminder stays
    SENT and is EXHAUSTED, not escalated (there is no row to escalate a SENT invoice)."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.BEFORE_DUE_DATE),
        ),
        escalation=Escalation.COLLECTION,
    )
    schedule = simulate(sent(), rules, until=date(2026, 8, 1))
    assert len(schedule) == 1
    assert schedule.escalation is None
    assert schedule.invoice.status is Status.SENT
    action = next_dunning_action(schedule.invoice, rules, today=date(2026, 8, 1))
    assert isinstance(action, NoAction)
    assert action.reason is NoActionReason.EXHAUSTED


@given(data=st.data())
def test_an_escalation_is_a_legal_transition_and_never_happens_twice_law(
    data: st.DataObject,
) -> None:
    """Law: every escalation the engine decides can be applied, by the table's row for it
    (the state is the row's target); afterwards the engine never decides an escalation
    again, and applying it a second time is refused."""
    invoice = data.draw(dunnable_invoices())
    rules = data.draw(
        dunning_rules(currency=invoice.currency, min_active=1, with_repeat=True).filter(
            lambda r: r.escalation is not None
        )
    )
    schedule = simulate(invoice, rules, until=invoice.due_date + timedelta(days=500))
    action = schedule.escalation
    if action is None:
        return
    before = schedule.invoice
    after = record_escalation(before, action, actor=AUTOMATIC, authority=Authority())
    assert after.status is TRANSITIONS[(before.status, COMMAND[action.escalation])]
    day = data.draw(st.integers(min_value=0, max_value=400))
    later = next_dunning_action(after, rules, today=action.on + timedelta(days=day))
    assert not isinstance(later, Escalate)
    with pytest.raises(StepRefusedError):
        record_escalation(after, action, actor=AUTOMATIC, authority=Authority())
