"""Recording a dunning document: every decision of the engine passes the table's guards, and
no document whose stage needs approval (or is sent by hand) is booked without it."""

from __future__ import annotations

import contextlib
import pickle
from datetime import timedelta

import attrs
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from builders import DUE, FOUR, RITA, SAM, SEED_RULES, sent, sent_as_decided
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    Decision,
    DispatchMode,
    DunlibError,
    DunningRules,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Status,
    approve_letter,
    next_dunning_action,
    prepare_letter,
    record_stage,
    record_stages,
    send_letter,
    simulate,
)
from dunlib.core import EventKind, LetterNotApprovedError
from dunlib.core.transitions import TRANSITIONS, Command, row_for
from dunlib.strategies import actors, dates, dunnable_invoices, dunning_rules

DUNNED = Status.DUNNED


@given(data=st.data())
def test_every_engine_decision_passes_the_guards_of_its_row_law(data: st.DataObject) -> None:
    """Law: a document the engine decides is booked by the row its day calls for (ISSUE_EARLY
    before the due date, DUN on or after it) with every guard of that row holding, so the
    state after it is that row's target: a pre-due reminder leaves the invoice SENT, and an
    invoice is DUNNED only on or after its due date."""
    invoice = data.draw(dunnable_invoices())
    rules = data.draw(dunning_rules(currency=invoice.currency, min_active=1, with_repeat=True))
    horizon = data.draw(st.integers(min_value=0, max_value=200))
    current = simulate(invoice, rules, until=invoice.due_date + timedelta(days=horizon)).invoice
    day = data.draw(dates(min_value=current.history[-1].on, max_value=current.due_date
                          + timedelta(days=400)))  # fmt: skip
    action = next_dunning_action(current, rules, today=day)
    event("issued" if isinstance(action, IssueStage) else "nothing to issue")
    if not isinstance(action, IssueStage):
        return
    command = Command.ISSUE_EARLY if day < current.due_date else Command.DUN
    booked = sent_as_decided(current, action)
    assert booked.status is TRANSITIONS[(current.status, command)]
    assert row_for(current.status, command).guards  # the row has guards, and they held
    dunned = [e for e in booked.history if (e.from_status, e.to_status) == (Status.SENT, DUNNED)]
    assert all(entry.on >= current.due_date for entry in dunned)


# -- stages sent after approval or by hand (seed 000) ----------------------------------------


def _sent_as(rules: DunningRules, mode: DispatchMode) -> DunningRules:
    return DunningRules(stages=tuple(attrs.evolve(s, dispatch=mode) for s in rules.stages))


APPROVAL = _sent_as(SEED_RULES, DispatchMode.AFTER_APPROVAL)
"""Seed 003's ladder sent "automatically with approval" (seed 000)."""
MANUAL = _sent_as(SEED_RULES, DispatchMode.MANUAL)
"""Seed 003's ladder sent by hand (seed 000: "manuell")."""
MAY_24 = DUE + timedelta(days=14)
"""The seed invoice's first reminder day under seed 003's ladder."""


def _first(rules: DunningRules, invoice: Invoice | None = None) -> tuple[Invoice, IssueStage]:
    invoice = invoice or sent()
    action = next_dunning_action(invoice, rules, today=MAY_24)
    assert isinstance(action, IssueStage)
    return invoice, action


def test_record_notice_refuses_a_stage_sent_after_approval() -> None:
    """Seed 000, "automatisiert mit Freigabe": the run's reminder needs approval, so
    record_stage refuses it, by the automatic run and by a person alike, naming the field
    and the path to take; sending it once approved books it."""
    invoice, action = _first(APPROVAL)
    assert action.requires_approval
    for actor in (AUTOMATIC, SAM):
        with pytest.raises(InvalidValueError) as refused:
            record_stage(invoice, action, actor=actor, authority=Authority())
        assert refused.value.field == "IssueStage.requires_approval"
        assert refused.value.value is True
        for step in ("prepare_letter", "approve_letter", "send_letter"):
            assert step in refused.value.expected
    assert invoice.issued_stages == ()
    assert invoice.status is Status.SENT
    prepared = prepare_letter(
        Decision(invoice=invoice, action=action), actor=AUTOMATIC, authority=Authority()
    )
    with pytest.raises(LetterNotApprovedError):
        send_letter(prepared, (invoice,), on=MAY_24, authority=FOUR, actor=AUTOMATIC)
    approved = approve_letter(prepared, actor=RITA, on=MAY_24, authority=FOUR)
    notice_sent = send_letter(approved, (invoice,), on=MAY_24, authority=FOUR, actor=AUTOMATIC)
    (booked,) = notice_sent.invoices
    assert booked.status is Status.DUNNED
    assert booked.issued_stages == (action.issued(),)


def test_record_notice_refuses_a_stage_whose_dispatch_says_after_approval() -> None:
    """An IssueStage built by hand with dispatch AFTER_APPROVAL but requires_approval False
    is refused all the same: either field saying so is enough."""
    invoice, action = _first(APPROVAL)
    odd = attrs.evolve(action, requires_approval=False)
    with pytest.raises(InvalidValueError, match=r"IssueStage\.requires_approval"):
        record_stage(invoice, odd, actor=AUTOMATIC, authority=Authority())


def test_record_notice_refuses_a_manual_stage_recorded_by_the_automatic_run() -> None:
    """Seed 000, "manuell": a stage sent by hand is not recorded by the automatic run
    (field IssueStage.dispatch); a person who sent it records it, and the history says who."""
    invoice, action = _first(MANUAL)
    with pytest.raises(InvalidValueError) as refused:
        record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    assert refused.value.field == "IssueStage.dispatch"
    assert refused.value.value is DispatchMode.MANUAL
    assert "send_letter" in refused.value.expected
    booked = record_stage(invoice, action, actor=SAM, authority=Authority())
    assert booked.issued_stages == (action.issued(),)
    assert booked.history[-1].kind is EventKind.STAGE_ISSUED
    assert booked.history[-1].actor == SAM.id


def test_record_notice_checks_its_actor() -> None:
    """An actor that is not an Actor is refused before anything else about the stage."""
    invoice, action = _first(SEED_RULES)
    with pytest.raises(InvalidTypeError, match="record_stage.actor"):
        record_stage(invoice, action, actor="automatic", authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="record_stages.actor"):
        record_stages([invoice], [], actor="automatic", authority=Authority())  # type: ignore[arg-type]


def test_record_notices_refuses_a_stage_needing_approval_or_sent_by_hand_naming_its_index() -> None:
    """record_stages refuses as record_stage does, naming the decision's index; what it
    was given stays as it was."""
    auto_invoice, auto = _first(SEED_RULES)
    other = sent(number="RE-2026-0002")
    _, needs = _first(APPROVAL, other)
    _, manual = _first(MANUAL, other)
    decisions = [
        Decision(invoice=auto_invoice, action=auto),
        Decision(invoice=other, action=needs),
    ]
    with pytest.raises(InvalidValueError) as refused:
        record_stages([auto_invoice, other], decisions, actor=AUTOMATIC, authority=Authority())
    assert refused.value.field == "record_stages.decisions[1].action.requires_approval"
    decisions[1] = Decision(invoice=other, action=manual)
    with pytest.raises(InvalidValueError) as refused:
        record_stages([auto_invoice, other], decisions, actor=AUTOMATIC, authority=Authority())
    assert refused.value.field == "record_stages.decisions[1].action.dispatch"
    assert auto_invoice.issued_stages == ()
    assert other.issued_stages == ()
    booked = record_stages([auto_invoice, other], decisions, actor=SAM, authority=Authority())
    assert [i.status for i in booked] == [Status.DUNNED, Status.DUNNED]


@given(
    invoice=dunnable_invoices(currency="EUR"),
    rules=dunning_rules(currency="EUR", min_active=1),
    late=st.integers(min_value=-10, max_value=120),
    actor=actors() | st.just(AUTOMATIC),
)
def test_no_invoice_is_dunned_by_a_stage_needing_approval_except_through_send_after_approve_law(
    invoice: Invoice, rules: DunningRules, late: int, actor: Actor
) -> None:
    """Law: a document whose stage is sent after approval never reaches an invoice by
    record_stage or record_stages (whoever records it) nor by sending it unapproved; only
    send_letter after approve_letter books it, and then exactly that document."""
    rules = _sent_as(rules, DispatchMode.AFTER_APPROVAL)
    day = max(invoice.due_date + timedelta(days=late), invoice.history[-1].on)
    action = next_dunning_action(invoice, rules, today=day)
    event("issued" if isinstance(action, IssueStage) else "nothing to issue")
    if not isinstance(action, IssueStage):
        return
    with pytest.raises(InvalidValueError, match=r"requires_approval"):
        record_stage(invoice, action, actor=actor, authority=Authority())
    with pytest.raises(InvalidValueError, match=r"decisions\[0\]\.action\.requires_approval"):
        record_stages(
            [invoice],
            [Decision(invoice=invoice, action=action)],
            actor=actor,
            authority=Authority(),
        )
    prepared = prepare_letter(
        Decision(invoice=invoice, action=action), actor=AUTOMATIC, authority=Authority()
    )
    with pytest.raises(LetterNotApprovedError):
        send_letter(prepared, (invoice,), on=day, authority=FOUR, actor=AUTOMATIC)
    approved = approve_letter(prepared, actor=RITA, on=day, authority=FOUR)
    notice_sent = send_letter(approved, (invoice,), on=day, authority=FOUR, actor=AUTOMATIC)
    (booked,) = notice_sent.invoices
    assert booked.issued_stages == (*invoice.issued_stages, action.issued())
    assert booked.status is (Status.DUNNED if day > invoice.due_date else Status.SENT)


@given(
    invoice=dunnable_invoices(currency="EUR"),
    rules=dunning_rules(currency="EUR", min_active=1),
    late=st.integers(min_value=-10, max_value=120),
    actor=actors() | st.just(AUTOMATIC),
)
def test_a_refused_record_notice_changes_nothing_law(
    invoice: Invoice, rules: DunningRules, late: int, actor: Actor
) -> None:
    """Law: record_stage refuses exactly the documents it may not book alone (a stage sent
    after approval, whoever records it; one sent by hand, by an automatic actor), and a
    refusal of any kind leaves the invoice as it was."""
    day = max(invoice.due_date + timedelta(days=late), invoice.history[-1].on)
    action = next_dunning_action(invoice, rules, today=day)
    event("issued" if isinstance(action, IssueStage) else "nothing to issue")
    if not isinstance(action, IssueStage):
        return
    before = pickle.dumps(invoice)
    needs = action.requires_approval
    by_machine = action.dispatch is DispatchMode.MANUAL and actor.automatic
    if needs or by_machine:
        with pytest.raises(InvalidValueError) as refused:
            record_stage(invoice, action, actor=actor, authority=Authority())
        field = "requires_approval" if needs else "dispatch"
        assert refused.value.field == f"IssueStage.{field}"
    else:
        with contextlib.suppress(DunlibError):  # the booking path's own: rights, guards
            record_stage(invoice, action, actor=actor, authority=Authority())
    assert invoice == pickle.loads(before)
