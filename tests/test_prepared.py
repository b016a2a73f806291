"""A letter's life before it counts: prepared, approved or rejected, sent (seeds 000, 002)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from builders import ANN, DORA, DUE, FOUR, RITA, ROBOT, SAM, SEED_RULES, SIX, TWO, eur, sent
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    Command,
    Customer,
    CustomerAccount,
    Decision,
    DispatchMode,
    DunningLetter,
    DunningRules,
    DunningStage,
    Escalation,
    GuardFailedError,
    Hold,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    NoAction,
    NoActionReason,
    NumberSequence,
    Payment,
    PermissionDeniedError,
    PolicyViolationError,
    PreparedLetter,
    StageKind,
    Status,
    TransitionNotAllowedError,
    TriggerBasis,
    approve_letter,
    cancel,
    group_letters,
    hold_account,
    keep_credit,
    next_dunning_action,
    pause,
    plan,
    prepare_letter,
    prepare_manual_letter,
    record_payment,
    record_stage,
    reject_letter,
    send_letter,
    supersede_letters,
    switch_dunning,
    switch_fees,
    withdraw_letter,
)
from dunlib import strategies as ds
from dunlib.core import LetterNotApprovedError, LetterStateError
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION, REVIEWER
from dunlib.dunning.issuing import book_stage
from dunlib.portfolio import LetterState, LetterStep
from dunlib.portfolio.prepared import ON_ITS_WAY
from dunlib.workflow import Permissions, PolicyRule
from dunlib.workflow.policy import DEFAULT_PERMISSIONS

MAY_24 = dt.date(2026, 5, 24)
APPROVAL_RULES = DunningRules(
    stages=tuple(
        attrs.evolve(stage, dispatch=DispatchMode.AFTER_APPROVAL) for stage in SEED_RULES.stages
    )
)
"""Seed 003's ladder sent "automatically with approval" (seed 000)."""


def _prepared(invoice: Invoice | None = None, **kwargs: object) -> PreparedLetter:
    """The seed invoice's first reminder on 24 May, prepared by the run, needing approval."""
    (notice,) = group_letters(plan([invoice or sent()], APPROVAL_RULES, today=MAY_24))
    given: dict[str, Any] = {"actor": AUTOMATIC, "authority": Authority(), **kwargs}
    return prepare_letter(notice, **given)


# -- laws -----------------------------------------------------------------------------------


@given(
    invoices=st.lists(ds.dunnable_invoices(currency="EUR"), max_size=5, unique_by=lambda i: i.id),
    rules=ds.dunning_rules(currency="EUR", min_active=1),
    today=ds.dates(),
    customer_approval=st.booleans(),
)
def test_nothing_is_owed_and_nothing_dunned_before_the_send_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date, customer_approval: bool
) -> None:
    """Law: preparing and approving a run's notices leaves every invoice as it was (no
    DUNNED state, no fee owed, no history entry); sending books exactly what recording each
    issued stage alone books: record_stage itself for a stage sent without approval, the
    private booking path with the approval given for one sent after approval (which
    record_stage refuses)."""
    for notice in group_letters(plan(invoices, rules, today=today)):
        prepared = prepare_letter(
            notice, customer_approval=customer_approval, actor=AUTOMATIC, authority=Authority()
        )
        assert prepared.needs_approval == (notice.requires_approval or customer_approval)
        if prepared.needs_approval:
            prepared = approve_letter(prepared, actor=RITA, on=today, authority=FOUR)
        assert prepared.invoices == tuple(d.invoice for d in notice.decisions)
        sender = SAM if prepared.dispatch is DispatchMode.MANUAL else AUTOMATIC
        notice_sent = send_letter(prepared, invoices, actor=sender, on=today, authority=FOUR)
        done, booked = notice_sent.letter, notice_sent.invoices
        assert done.state is LetterState.SENT
        assert booked == tuple(
            book_stage(d.invoice, stage, actor=sender, authority=FOUR, approved=True)
            for d, stage in zip(notice.decisions, notice.actions, strict=True)
        )
        for d, stage in zip(notice.decisions, notice.actions, strict=True):
            if stage.requires_approval:  # refused outside the letter's life
                with pytest.raises(InvalidValueError, match="IssueStage.requires_approval"):
                    record_stage(d.invoice, stage, actor=sender, authority=Authority())
            else:  # the same booking as recording it alone
                assert record_stage(d.invoice, stage, actor=sender, authority=Authority()) in booked


@given(
    actor=ds.actors(),
    permissions=ds.permissions() | st.just(DEFAULT_PERMISSIONS),
    approve=st.booleans(),
)
def test_only_an_actor_with_the_right_approves_or_rejects_law(
    actor: Actor, permissions: Permissions, approve: bool
) -> None:
    """Law: approving or rejecting succeeds exactly when the actor holds a role the
    permissions grant for that step in the invoice's state; a refusal leaves the notice as
    it was."""
    prepared = _prepared()
    command = Command.APPROVE_LETTER if approve else Command.REJECT_LETTER
    step = approve_letter if approve else reject_letter
    authority = Authority(eyes=4, permissions=permissions)
    if permissions.allows(actor, Status.SENT, command):
        moved = step(prepared, actor=actor, on=MAY_24, authority=authority)
        assert moved.steps[:-1] == prepared.steps
        assert moved.steps[-1].actor == actor.id
    else:
        with pytest.raises(PermissionDeniedError) as refused:
            step(prepared, actor=actor, on=MAY_24, authority=authority)
        assert refused.value.command == command.name


_STEPS = {
    "approve": lambda p, day: approve_letter(p, actor=RITA, on=day, authority=FOUR),
    "reject": lambda p, day: reject_letter(
        p, actor=RITA, on=day, reason="wrong address", authority=Authority()
    ),
    "send": lambda p, day: (
        send_letter(p, p.invoices, on=day, authority=FOUR, actor=AUTOMATIC).letter
    ),
    "withdraw": lambda p, day: withdraw_letter(p, actor=RITA, on=day, authority=Authority()),
    "supersede": lambda p, day: supersede_letters(
        [p],
        [attrs.evolve(p.invoices[0], history=p.invoices[0].history)],
        actor=ANN,
        on=day,
        authority=Authority(),
    )[0],
}


@given(
    steps=st.lists(st.sampled_from(sorted(_STEPS)), max_size=5),
    customer_approval=st.booleans(),
)
def test_a_notice_is_never_approved_twice_nor_sent_after_rejection_law(
    steps: list[str], customer_approval: bool
) -> None:
    """Law: whatever steps are tried, in any order, a letter that needs approval is sent only
    after one approval, one that needs none is never approved, an approved one may still be
    rejected or withdrawn, a rejected, withdrawn or sent letter takes no further step; each
    refusal is a LetterStateError (LetterNotApprovedError for sending unapproved) and
    leaves the letter unchanged."""
    rules = APPROVAL_RULES if customer_approval else SEED_RULES
    (notice,) = group_letters(plan([sent()], rules, today=MAY_24))
    prepared = prepare_letter(notice, actor=AUTOMATIC, authority=Authority())
    for offset, name in enumerate(steps):
        day = MAY_24 + dt.timedelta(days=offset)
        state = prepared.state
        allowed = {
            LetterState.PREPARED: {"approve", "reject"} if prepared.needs_approval else {"send"},
            LetterState.APPROVED: {"send", "reject"},
        }.get(state, set())
        if allowed:
            allowed |= {"withdraw", "supersede"}
        if name == "supersede" and state in ON_ITS_WAY:
            assert _STEPS[name](prepared, day) == prepared  # nothing changed: not superseded
            continue
        if name in allowed:
            prepared = _STEPS[name](prepared, day)
            assert prepared.steps[-1].on == day
            continue
        expected = LetterStateError
        if name == "send" and state is LetterState.PREPARED:
            expected = LetterNotApprovedError
        if name == "supersede":  # a letter no longer on its way is left as it is
            assert _STEPS[name](prepared, day) == prepared
            continue
        with pytest.raises(expected) as refused:
            _STEPS[name](prepared, day)
        assert type(refused.value) is expected
        assert refused.value.state is state
        assert set(refused.value.allowed) == allowed
    states = [step.state for step in prepared.steps]
    assert states.count(LetterState.APPROVED) <= 1
    if LetterState.SENT in states:
        assert not {LetterState.REJECTED, LetterState.WITHDRAWN} & set(states)
        assert (LetterState.APPROVED in states) == prepared.needs_approval


# -- seed 000 and 002: automatic with approval -------------------------------------------


def test_a_notice_needing_approval_counts_only_once_approved_and_sent() -> None:
    """Seed 000 "automatisch mit Genehmigung", seed 002 "goes to 5 once the notice is sent":
    the run prepares a notice (fee 5.00) sent after approval; sending it unapproved is
    refused; a clerk may not approve it; the reviewer approves; only the send makes the
    invoice DUNNED and the fee owed, the document dated the day it was prepared."""
    invoice = sent()
    stage = DunningStage(
        StageKind.NOTICE, days_overdue=14, fee=eur("5.00"), dispatch=DispatchMode.AFTER_APPROVAL
    )
    (notice,) = group_letters(
        plan([invoice], DunningRules(stages=(stage,)), today=dt.date(2026, 6, 14))
    )
    prepared = prepare_letter(notice, actor=AUTOMATIC, authority=Authority())
    assert (prepared.state, prepared.needs_approval, prepared.on) == (
        LetterState.PREPARED,
        True,
        dt.date(2026, 6, 14),
    )
    with pytest.raises(LetterNotApprovedError, match="allowed: approve, reject"):
        send_letter(prepared, [invoice], on=dt.date(2026, 6, 14), authority=FOUR, actor=AUTOMATIC)
    with pytest.raises(PermissionDeniedError, match="APPROVE_LETTER"):
        approve_letter(prepared, actor=DORA, on=dt.date(2026, 6, 15), authority=FOUR)
    approved = approve_letter(prepared, actor=RITA, on=dt.date(2026, 6, 15), authority=FOUR)
    assert approved.steps[-1] == LetterStep(
        on=dt.date(2026, 6, 15), state=LetterState.APPROVED, actor="rita", roles=RITA.roles
    )
    assert invoice.status is Status.SENT
    assert invoice.fees == eur("0.00")
    with pytest.raises(LetterStateError, match="cannot approve .* it is APPROVED"):
        approve_letter(approved, actor=RITA, on=dt.date(2026, 6, 15), authority=FOUR)
    notice_sent = send_letter(
        approved, [invoice], on=dt.date(2026, 6, 16), authority=FOUR, actor=AUTOMATIC
    )
    done, (booked,) = notice_sent.letter, notice_sent.invoices
    assert done.state is LetterState.SENT
    assert [s.on for s in done.steps] == [
        dt.date(2026, 6, 14),
        dt.date(2026, 6, 15),
        dt.date(2026, 6, 16),
    ]
    assert booked.status is Status.DUNNED
    assert booked.fees == eur("5.00")
    assert booked.history[-1].on == dt.date(2026, 6, 14)
    with pytest.raises(LetterStateError, match="it is SENT; allowed: none"):
        send_letter(done, [invoice], on=dt.date(2026, 6, 16), authority=FOUR, actor=AUTOMATIC)


def test_a_rejected_notice_is_never_sent() -> None:
    """The reviewer rejects with a reason: the notice keeps it; neither sending nor
    approving it afterwards is possible; the invoice never changed."""
    prepared = _prepared()
    rejected = reject_letter(
        prepared, actor=RITA, on=MAY_24, reason="customer called", authority=Authority()
    )
    assert rejected.state is LetterState.REJECTED
    assert rejected.steps[-1].note == "customer called"
    with pytest.raises(LetterStateError, match="cannot send"):
        send_letter(rejected, rejected.invoices, on=MAY_24, authority=FOUR, actor=AUTOMATIC)
    with pytest.raises(LetterStateError, match="cannot approve"):
        approve_letter(rejected, actor=RITA, on=MAY_24, authority=FOUR)
    with pytest.raises(LetterStateError, match="cannot reject"):
        reject_letter(rejected, actor=RITA, on=MAY_24, authority=Authority())


def test_a_refused_notice_names_its_invoices_by_their_numbers() -> None:
    """Issue 22: a refusal names each invoice as its users know it, by the number it was
    sent as, with the draft id beside it (not only the draft id)."""
    invoice = attrs.evolve(sent(number="RE-2026-0042"), id="D-00001")
    rejected = reject_letter(_prepared(invoice), actor=RITA, on=MAY_24, authority=Authority())
    with pytest.raises(LetterStateError) as refused:
        send_letter(rejected, rejected.invoices, on=MAY_24, authority=FOUR, actor=AUTOMATIC)
    assert "the letter for RE-2026-0042 (id D-00001)" in str(refused.value)
    assert refused.value.invoices == ("D-00001",)
    with pytest.raises(LetterNotApprovedError, match=r"RE-2026-0042 \(id D-00001\)"):
        send_letter(_prepared(invoice), [invoice], on=MAY_24, authority=FOUR, actor=AUTOMATIC)


def test_a_notice_without_approval_is_sent_at_once_and_never_approved() -> None:
    """An automatic stage's notice needs no approval: it is sent straight away; approving or
    rejecting it is refused. A customer whose notices need approval makes it need one."""
    (notice,) = group_letters(plan([sent()], SEED_RULES, today=MAY_24))
    prepared = prepare_letter(notice, actor=AUTOMATIC, authority=Authority())
    assert not prepared.needs_approval
    with pytest.raises(LetterStateError, match="allowed: send"):
        approve_letter(prepared, actor=RITA, on=MAY_24, authority=FOUR)
    with pytest.raises(LetterStateError, match="allowed: send"):
        reject_letter(prepared, actor=RITA, on=MAY_24, authority=Authority())
    notice_sent = send_letter(prepared, [sent()], on=MAY_24, authority=FOUR, actor=AUTOMATIC)
    (booked,) = notice_sent.invoices
    assert booked.dunning_level == 1
    assert prepare_letter(
        notice, customer_approval=True, actor=AUTOMATIC, authority=Authority()
    ).needs_approval
    single = prepare_letter(notice.decisions[0], actor=AUTOMATIC, authority=Authority())
    assert single.letter == notice


def test_sending_needs_the_very_invoices_it_was_prepared_from() -> None:
    """A payment after the preparation, or a missing invoice, refuses the send (decide
    afresh); the send day is never before the last step; other invoices given are left
    alone."""
    prepared = approve_letter(_prepared(), actor=RITA, on=dt.date(2026, 5, 25), authority=FOUR)
    paid = record_payment(
        sent(),
        Payment(on=dt.date(2026, 5, 25), amount=eur("10.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    with pytest.raises(InvalidValueError, match="changed since: plan again"):
        send_letter(prepared, [paid], on=dt.date(2026, 5, 26), authority=FOUR, actor=AUTOMATIC)
    with pytest.raises(InvalidValueError, match="'missing'"):
        send_letter(prepared, [], on=dt.date(2026, 5, 26), authority=FOUR, actor=AUTOMATIC)
    with pytest.raises(InvalidValueError, match="on or after 2026-05-25"):
        send_letter(prepared, [sent()], on=MAY_24, authority=FOUR, actor=AUTOMATIC)
    other = sent(number="RE-2026-0009")
    notice_sent = send_letter(
        prepared, [other, sent()], on=dt.date(2026, 5, 26), authority=FOUR, actor=AUTOMATIC
    )
    booked = notice_sent.invoices
    assert [i.id for i in booked] == [sent().id]


def test_a_manual_notice_is_sent_by_a_person() -> None:
    """A notice in the manual dispatch mode is sent by a person, not by the automatic run;
    a person without the right to record it is refused by the booking path."""
    stage = attrs.evolve(SEED_RULES.stages[0], dispatch=DispatchMode.MANUAL)
    (notice,) = group_letters(plan([sent()], DunningRules(stages=(stage,)), today=MAY_24))
    prepared = prepare_letter(notice, actor=AUTOMATIC, authority=Authority())
    assert prepared.dispatch is DispatchMode.MANUAL
    with pytest.raises(InvalidValueError, match="sent by hand"):
        send_letter(prepared, [sent()], on=MAY_24, authority=FOUR, actor=AUTOMATIC)
    with pytest.raises(PermissionDeniedError, match="DUN"):
        send_letter(prepared, [sent()], actor=DORA, on=MAY_24, authority=FOUR)
    notice_sent = send_letter(prepared, [sent()], actor=SAM, on=MAY_24, authority=FOUR)
    (booked,) = notice_sent.invoices
    assert booked.history[-1].actor == "sam"


def test_preparing_passes_the_booking_paths_checks() -> None:
    """The run prepares only for an actor with the right, on a running invoice, never
    before the invoice's last step; a notice of documents of two dates is refused."""
    invoice = sent()
    (notice,) = group_letters(plan([invoice], SEED_RULES, today=MAY_24))
    with pytest.raises(PermissionDeniedError, match="PREPARE_LETTER"):
        prepare_letter(notice, actor=RITA, authority=Authority())
    paused = pause(invoice, on=MAY_24, actor=AUTOMATIC, authority=Authority())
    stale = DunningLetter(decisions=(Decision(invoice=paused, action=notice.decisions[0].action),))
    with pytest.raises(GuardFailedError, match="guard running"):
        prepare_letter(stale, actor=AUTOMATIC, authority=Authority())
    later = record_payment(
        invoice,
        Payment(on=dt.date(2026, 5, 30), amount=eur("1.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    with pytest.raises(InvalidValueError, match="on or after 2026-05-30"):
        prepare_letter(
            Decision(invoice=later, action=notice.decisions[0].action),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    second = sent(number="RE-2026-0002", due_date=dt.date(2026, 5, 11))
    (other,) = group_letters(plan([second], SEED_RULES, today=dt.date(2026, 5, 25)))
    mixed = DunningLetter(decisions=(*notice.decisions, *other.decisions))
    with pytest.raises(InvalidValueError, match="all bear one date"):
        prepare_letter(mixed, actor=AUTOMATIC, authority=Authority())


# -- seed 000: "Erinnerung vorbereiten" ------------------------------------------------------


def test_a_reminder_prepared_by_hand_outside_the_schedule() -> None:
    """Seed 000: an accountant prepares a reminder for an overdue invoice on 12 May, before
    the ladder's first stage is due (24 May): the same document the engine would issue then,
    dated 12 May, a manual notice sent by a person; recorded, the next stage counts from it."""
    prepared = prepare_manual_letter(
        sent(), SEED_RULES, on=dt.date(2026, 5, 12), actor=ANN, authority=Authority()
    )
    (stage,) = prepared.letter.actions
    assert (stage.level, stage.on, stage.stage) == (1, dt.date(2026, 5, 12), SEED_RULES.stages[0])
    assert prepared.manual
    assert prepared.dispatch is DispatchMode.MANUAL
    assert prepared.steps == (
        LetterStep(
            on=dt.date(2026, 5, 12), state=LetterState.PREPARED, actor="ann", roles=ANN.roles
        ),
    )
    notice_sent = send_letter(
        prepared, [sent()], actor=ANN, on=dt.date(2026, 5, 12), authority=FOUR
    )
    (booked,) = notice_sent.invoices
    (decision,) = plan([booked], SEED_RULES, today=dt.date(2026, 5, 19))
    assert isinstance(decision.action, IssueStage)
    assert decision.action.level == 2
    with_approval = prepare_manual_letter(
        sent(),
        SEED_RULES,
        on=dt.date(2026, 5, 12),
        actor=ANN,
        customer_approval=True,
        authority=Authority(),
    )
    assert with_approval.needs_approval


@given(
    invoice=ds.dunnable_invoices(currency="EUR"),
    rules=ds.dunning_rules(currency="EUR", min_active=1),
    today=ds.dates(),
)
def test_a_reminder_by_hand_is_the_document_the_engine_issues_on_its_day_law(
    invoice: Invoice, rules: DunningRules, today: dt.date
) -> None:
    """Law: on a day the engine issues a stage for an overdue invoice, the reminder prepared
    by hand is exactly that document; on other days it is the same stage with the same
    level, only its day moved."""
    action = next_dunning_action(invoice, rules, today=today)
    if today <= invoice.due_date or not isinstance(action, IssueStage):
        return
    prepared = prepare_manual_letter(invoice, rules, on=today, actor=ANN, authority=Authority())
    assert prepared.letter.actions == (action,)
    early = max(invoice.due_date + dt.timedelta(days=1), invoice.history[-1].on)
    if early < today:
        (sooner,) = prepare_manual_letter(
            invoice, rules, on=early, actor=ANN, authority=Authority()
        ).letter.actions
        assert (sooner.level, sooner.stage, sooner.on) == (action.level, action.stage, early)


def test_a_reminder_by_hand_is_refused_where_dunning_is_not_possible() -> None:
    """Paid, cancelled: no such row; not yet due, paused: a guard fails; a clerk: no right;
    the rules do not dun it (customer's dunning off, a document already sent that day, the
    ladder at its end): InvalidValueError naming the engine's answer."""
    day = dt.date(2026, 5, 12)
    paid = record_payment(
        sent(), Payment(on=day, amount=eur("119.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    with pytest.raises(TransitionNotAllowedError, match="PREPARE_MANUAL_LETTER"):
        prepare_manual_letter(paid, SEED_RULES, on=day, actor=ANN, authority=Authority())
    cancelled = cancel(
        sent(), id="S-1", actor=ANN, on=day, sequence=NumberSequence(), authority=Authority()
    ).original
    with pytest.raises(TransitionNotAllowedError, match="PREPARE_MANUAL_LETTER"):
        prepare_manual_letter(cancelled, SEED_RULES, on=day, actor=ANN, authority=Authority())
    with pytest.raises(GuardFailedError, match="guard overdue"):
        prepare_manual_letter(
            sent(), SEED_RULES, on=dt.date(2026, 5, 9), actor=ANN, authority=Authority()
        )
    with pytest.raises(GuardFailedError, match="guard running"):
        prepare_manual_letter(
            pause(sent(), on=day, actor=ANN, authority=Authority()),
            SEED_RULES,
            on=day,
            actor=ANN,
            authority=Authority(),
        )
    with pytest.raises(PermissionDeniedError, match="PREPARE_MANUAL_LETTER"):
        prepare_manual_letter(sent(), SEED_RULES, on=day, actor=DORA, authority=Authority())
    off = sent(customer=Customer(id="C-9", name="Off AG", dunning_enabled=False))
    with pytest.raises(InvalidValueError, match="customer_disabled"):
        prepare_manual_letter(off, SEED_RULES, on=day, actor=ANN, authority=Authority())
    once = send_letter(
        prepare_manual_letter(sent(), SEED_RULES, on=day, actor=ANN, authority=Authority()),
        [sent()],
        actor=ANN,
        on=day,
        authority=FOUR,
    ).invoices[0]
    with pytest.raises(InvalidValueError, match="not_yet_due"):
        prepare_manual_letter(once, SEED_RULES, on=day, actor=ANN, authority=Authority())
    one_stage = DunningRules(stages=SEED_RULES.stages[:1])
    with pytest.raises(InvalidValueError, match="exhausted"):
        prepare_manual_letter(
            once, one_stage, on=DUE + dt.timedelta(days=5), actor=ANN, authority=Authority()
        )
    escalating = attrs.evolve(one_stage, escalation=Escalation.COLLECTION)
    with pytest.raises(InvalidValueError, match="escalate"):
        prepare_manual_letter(
            once, escalating, on=DUE + dt.timedelta(days=5), actor=ANN, authority=Authority()
        )
    with pytest.raises(InvalidTypeError, match="prepare_manual_letter.rules"):
        prepare_manual_letter(sent(), None, on=day, actor=ANN, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="customer_approval"):
        prepare_manual_letter(
            sent(),
            SEED_RULES,
            on=day,
            actor=ANN,
            customer_approval=1,  # type: ignore[arg-type]
            authority=Authority(),
        )


def test_a_reminder_by_hand_takes_the_next_active_stage() -> None:
    """With an inactive stage before it, the reminder is the next active stage's, numbered
    by its place in the rules."""
    inactive = DunningStage(StageKind.REMINDER, days_overdue=1, active=False)
    rules = DunningRules(stages=(inactive, *SEED_RULES.stages))
    (stage,) = prepare_manual_letter(
        sent(), rules, on=dt.date(2026, 5, 12), actor=ANN, authority=Authority()
    ).letter.actions
    assert (stage.level, stage.stage_number, stage.stage) == (1, 2, SEED_RULES.stages[0])


# -- the value and its arguments -------------------------------------------------------------


def test_a_prepared_notice_holds_a_life_that_can_have_happened() -> None:
    """Steps start with the preparation on the documents' day, follow the notice's states,
    never go back in time; approval only when needed, and before a send that needs it."""
    prepared = _prepared()
    day = prepared.on
    prepared_step = prepared.steps[0]
    sent_step = LetterStep(on=day, state=LetterState.SENT, actor="automatic")
    approved_step = LetterStep(on=day, state=LetterState.APPROVED, actor="rita")
    rebuild = attrs.evolve
    with pytest.raises(InvalidValueError, match="starting with one PREPARED"):
        rebuild(prepared, steps=())
    with pytest.raises(InvalidValueError, match="starting with one PREPARED"):
        rebuild(prepared, steps=(approved_step,))
    with pytest.raises(InvalidValueError, match=r"steps\[2\].state"):
        rebuild(prepared, steps=(prepared_step, approved_step, approved_step))
    rejected = LetterStep(on=day, state=LetterState.REJECTED, actor="rita")
    with pytest.raises(InvalidValueError, match="after REJECTED: nothing"):
        rebuild(prepared, steps=(prepared_step, rejected, sent_step))
    early = LetterStep(on=day - dt.timedelta(days=1), state=LetterState.APPROVED, actor="r")
    with pytest.raises(InvalidValueError, match="previous step's day"):
        rebuild(prepared, steps=(prepared_step, early))
    with pytest.raises(InvalidValueError, match="the documents' date"):
        rebuild(prepared, steps=(attrs.evolve(prepared_step, on=day + dt.timedelta(days=1)),))
    with pytest.raises(InvalidValueError, match="sent after approval"):
        rebuild(prepared, needs_approval=False)
    with pytest.raises(InvalidValueError, match="an approval before the sending"):
        rebuild(prepared, steps=(prepared_step, sent_step))
    automatic = prepare_letter(
        group_letters(plan([sent()], SEED_RULES, today=MAY_24))[0],
        actor=AUTOMATIC,
        authority=Authority(),
    )
    for step in (approved_step, rejected):
        with pytest.raises(InvalidValueError, match="a letter that needs no approval"):
            rebuild(automatic, steps=(automatic.steps[0], step))
    second = sent(number="RE-2026-0002", due_date=dt.date(2026, 5, 11))
    (other,) = group_letters(plan([second], APPROVAL_RULES, today=dt.date(2026, 5, 25)))
    mixed = DunningLetter(decisions=(*prepared.letter.decisions, *other.decisions))
    with pytest.raises(InvalidValueError, match="all bear one date"):
        rebuild(prepared, letter=mixed)


def test_the_steps_refuse_junk_arguments() -> None:
    """Every function names the argument it refuses."""
    prepared = _prepared()
    with pytest.raises(InvalidTypeError, match="prepare_letter.letter"):
        prepare_letter(None, actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="prepare_letter.customer_approval"):
        prepare_letter(
            prepared.letter,
            customer_approval="yes",  # type: ignore[arg-type]
            actor=AUTOMATIC,
            authority=Authority(),
        )
    for step in (approve_letter, reject_letter):
        with pytest.raises(InvalidTypeError, match="prepared"):
            step(None, actor=RITA, on=MAY_24, authority=FOUR)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="reject_letter.reason"):
        reject_letter(prepared, actor=RITA, on=MAY_24, reason=None, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="send_letter.actor"):
        send_letter(prepared, [], actor="rita", on=MAY_24, authority=FOUR)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="send_letter.invoices"):
        send_letter(prepared, [None], on=MAY_24, authority=FOUR, actor=AUTOMATIC)  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="approve_letter.on"):
        approve_letter(prepared, actor=RITA, on="2026-05-24", authority=FOUR)  # type: ignore[arg-type]


def test_every_role_may_be_granted_the_notice_steps() -> None:
    """The notice rows are granted like any other: an accountant approves by default, and a
    clerk may once the permissions grant it."""
    prepared = _prepared()
    assert (
        approve_letter(prepared, actor=ANN, on=MAY_24, authority=FOUR).state is LetterState.APPROVED
    )
    granted = DEFAULT_PERMISSIONS.granting(Status.SENT, Command.APPROVE_LETTER, "clerk")
    moved = approve_letter(
        prepared, actor=DORA, on=MAY_24, authority=attrs.evolve(FOUR, permissions=granted)
    )
    assert moved.steps[-1].actor == "dora"


# -- four eyes on the approval -----------------------------------------------------------


def _by(preparer: str, *, customer_approval: bool = True) -> PreparedLetter:
    """The seed invoice's first reminder, needing approval, prepared by ``preparer``: the
    automatic run, an accountant through prepare_letter, or one by hand (prepare_manual_letter)."""
    if preparer == "run":
        return _prepared()
    if preparer == "ann":
        return _prepared(actor=ANN)
    return prepare_manual_letter(
        sent(),
        SEED_RULES,
        on=MAY_24,
        actor=ANN,
        customer_approval=customer_approval,
        authority=Authority(),
    )


@given(
    preparer=st.sampled_from(("run", "ann", "ann by hand")),
    approver=st.sampled_from((ANN, SAM, RITA)),
    policy=ds.authorities(),
)
def test_under_four_or_six_eyes_the_preparer_never_approves_law(
    preparer: str, approver: Actor, policy: Authority
) -> None:
    """Law: a notice is approved by an actor with the right exactly when the policy has 2
    eyes or the approver is not its preparer; the automatic run's preparing never stops a
    person. A refusal is a PolicyViolationError naming the rule approver-not-preparer and
    the policy, and leaves the notice as it was."""
    prepared = _by(preparer)
    if policy.eyes == 2 or approver.id != prepared.steps[0].actor:
        approved = approve_letter(prepared, actor=approver, on=MAY_24, authority=policy)
        assert approved.steps == (
            *prepared.steps,
            LetterStep(
                on=MAY_24, state=LetterState.APPROVED, actor=approver.id, roles=approver.roles
            ),
        )
        return
    with pytest.raises(PolicyViolationError) as refused:
        approve_letter(prepared, actor=approver, on=MAY_24, authority=policy)
    assert refused.value.rule == PolicyRule.APPROVER_NOT_PREPARER
    assert (refused.value.eyes, refused.value.command) == (policy.eyes, "APPROVE_LETTER")
    assert prepared.state is LetterState.PREPARED


def test_a_reminder_prepared_by_hand_is_approved_by_someone_else() -> None:
    """Seed 000 with approval: Ann prepares a reminder by hand for a customer whose notices
    need approval; under 4 eyes she may not approve it herself (the error names the rule and
    her), Sam may; under 2 eyes she may. A notice the automatic run prepared is approved by
    Ann under 6 eyes."""
    by_hand = _by("ann by hand")
    assert by_hand.steps[0].actor == "ann"
    with pytest.raises(
        PolicyViolationError,
        match=r"ann may not APPROVE_LETTER invoice .* 4-eye policy, rule "
        r"approver-not-preparer: ann prepared this letter; someone else must approve it",
    ):
        approve_letter(by_hand, actor=ANN, on=MAY_24, authority=FOUR)
    with pytest.raises(PolicyViolationError, match="6-eye policy"):
        approve_letter(by_hand, actor=ANN, on=MAY_24, authority=SIX)
    assert approve_letter(by_hand, actor=SAM, on=MAY_24, authority=FOUR).steps[-1].actor == "sam"
    assert (
        approve_letter(by_hand, actor=ANN, on=MAY_24, authority=TWO).state is LetterState.APPROVED
    )
    by_the_run = _prepared()
    assert by_the_run.steps[0].actor == AUTOMATIC.id
    assert approve_letter(by_the_run, actor=ANN, on=MAY_24, authority=SIX).steps[-1].actor == "ann"


def test_the_approval_checks_rights_before_the_eyes_policy() -> None:
    """As on the booking path: an actor without the right is refused for that first, even
    as the preparer; the policy must be an Authority; rejecting by the preparer (taking
    back one's own notice) stays allowed."""
    prepared = _prepared(actor=ANN)
    revoked = DEFAULT_PERMISSIONS.revoking(Status.SENT, Command.APPROVE_LETTER, "accountant")
    with pytest.raises(PermissionDeniedError):
        approve_letter(
            prepared, actor=ANN, on=MAY_24, authority=attrs.evolve(FOUR, permissions=revoked)
        )
    with pytest.raises(InvalidTypeError, match="approve_letter.authority"):
        approve_letter(prepared, actor=RITA, on=MAY_24, authority=4)  # type: ignore[arg-type]
    assert (
        reject_letter(prepared, actor=ANN, on=MAY_24, authority=Authority()).state
        is LetterState.REJECTED
    )


# -- six eyes on the sending -------------------------------------------------------------

TOM = Actor(id="tom", roles={ACCOUNTANT})
"""An accountant who neither prepares nor approves any notice here: a third pair of eyes."""
APPROVING_RUN = DEFAULT_PERMISSIONS.granting(Status.SENT, Command.APPROVE_LETTER, AUTOMATION)
"""The default rights, and the automatic run may approve notices too."""
REVIEWERS_SEND = APPROVING_RUN.granting(Status.SENT, Command.DUN, REVIEWER)
"""The default rights, and reviewers may send notices too."""
_PREPARERS = {"run": AUTOMATIC, "ann": ANN, "ann by hand": ANN}
"""Who prepares: the automatic run, Ann through prepare_letter, Ann by hand."""
_APPROVERS = (None, RITA, ANN, SAM, AUTOMATIC)
"""Who approves (None: the notice needs no approval)."""
_SENDERS = (AUTOMATIC, ROBOT, ANN, SAM, TOM)
"""Who sends: the automatic run, another automatic process, three accountants."""


def _ready(preparer: str, approver: Actor | None, policy: Authority) -> PreparedLetter:
    """A notice ready to be sent on 24 May: the first reminder of RE-2026-0001 and
    RE-2026-0002 (one customer) prepared by ``preparer`` (by hand: of RE-2026-0001 alone),
    approved under ``policy`` by ``approver`` (None: it needs no approval)."""
    needs = approver is not None
    if preparer == "ann by hand":
        prepared = prepare_manual_letter(
            sent(), SEED_RULES, on=MAY_24, actor=ANN, customer_approval=needs, authority=Authority()
        )
    else:
        invoices = [sent(), sent(number="RE-2026-0002")]
        (notice,) = group_letters(plan(invoices, SEED_RULES, today=MAY_24))
        prepared = prepare_letter(
            notice, actor=_PREPARERS[preparer], customer_approval=needs, authority=Authority()
        )
    if approver is None:
        return prepared
    return approve_letter(
        prepared,
        actor=approver,
        on=MAY_24,
        authority=attrs.evolve(policy, permissions=APPROVING_RUN),
    )


def _may_approve(preparer: str, approver: Actor | None, policy: Authority) -> bool:
    """Whether ``approver`` may approve what ``preparer`` prepared (approver-not-preparer)."""
    return approver is None or policy.eyes == 2 or approver.id != _PREPARERS[preparer].id


def _may_send(preparer: str, sender: Actor) -> bool:
    """Whether ``sender`` may send the letter at all: a manual one (by hand) by a person."""
    return not (preparer == "ann by hand" and sender.automatic)


def _recorded(ready: PreparedLetter, sender: Actor) -> tuple[Invoice, ...]:
    """What recording each of the notice's stages alone books, by ``sender``."""
    return tuple(
        record_stage(invoice, stage, actor=sender, authority=Authority())
        for invoice, stage in zip(ready.invoices, ready.letter.actions, strict=True)
    )


@given(
    preparer=st.sampled_from(sorted(_PREPARERS)),
    approver=st.sampled_from(_APPROVERS),
    sender=st.sampled_from(_SENDERS),
)
def test_under_six_eyes_no_notice_is_sent_by_its_preparer_or_its_approver_law(
    preparer: str, approver: Actor | None, sender: Actor
) -> None:
    """Law: under six eyes a notice is sent by an actor with the right exactly when that
    actor neither prepared nor approved it (actors told apart by id: the automatic run's
    steps bind no person, and the run sends nothing it prepared or approved itself). A
    refusal is a PolicyViolationError naming the rule sender-not-preparer-or-approver, the
    6-eye policy and the invoice's row (DUN)."""
    assume(_may_approve(preparer, approver, SIX) and _may_send(preparer, sender))
    ready = _ready(preparer, approver, SIX)
    earlier = {_PREPARERS[preparer].id} | ({approver.id} if approver else set())
    if sender.id in earlier:
        with pytest.raises(PolicyViolationError) as refused:
            send_letter(
                ready,
                ready.invoices,
                actor=sender,
                on=MAY_24,
                authority=attrs.evolve(SIX, permissions=APPROVING_RUN),
            )
        assert refused.value.rule == PolicyRule.SENDER_NOT_PREPARER_OR_APPROVER
        assert (refused.value.eyes, refused.value.command) == (6, "DUN")
        assert refused.value.actor == sender.id
        return
    notice_sent = send_letter(
        ready,
        ready.invoices,
        actor=sender,
        on=MAY_24,
        authority=attrs.evolve(SIX, permissions=APPROVING_RUN),
    )
    done, booked = notice_sent.letter, notice_sent.invoices
    assert done.state is LetterState.SENT
    assert len({step.actor for step in done.steps}) == len(done.steps)
    assert booked == _recorded(ready, sender)


@given(
    policy=st.sampled_from((TWO, FOUR)),
    preparer=st.sampled_from(sorted(_PREPARERS)),
    approver=st.sampled_from(_APPROVERS),
    sender=st.sampled_from(_SENDERS),
)
def test_under_two_and_four_eyes_the_sending_rule_never_refuses_law(
    policy: Authority, preparer: str, approver: Actor | None, sender: Actor
) -> None:
    """Law: under two and four eyes every actor with the right sends a notice, its preparer
    and its approver included, and books exactly what recording each of its stages alone
    books (the approval is the second pair of eyes)."""
    assume(_may_approve(preparer, approver, policy) and _may_send(preparer, sender))
    ready = _ready(preparer, approver, policy)
    notice_sent = send_letter(
        ready,
        ready.invoices,
        actor=sender,
        on=MAY_24,
        authority=attrs.evolve(policy, permissions=APPROVING_RUN),
    )
    done, booked = notice_sent.letter, notice_sent.invoices
    assert done.steps == (
        *ready.steps,
        LetterStep(on=MAY_24, state=LetterState.SENT, actor=sender.id, roles=sender.roles),
    )
    assert booked == _recorded(ready, sender)


@given(
    preparer=st.sampled_from(sorted(_PREPARERS)),
    approver=st.sampled_from(_APPROVERS),
    data=st.data(),
)
def test_a_send_refused_by_the_eyes_policy_changes_nothing_law(
    preparer: str, approver: Actor | None, data: st.DataObject
) -> None:
    """Law: when six eyes refuse a send (its preparer or its approver sends), the notice and
    every invoice are as they were (equal to copies taken before, the notice still on its
    way); a third actor then sends it and books exactly what it would have booked had
    nobody tried before."""
    assume(_may_approve(preparer, approver, SIX))
    ready = _ready(preparer, approver, SIX)
    earlier = [_PREPARERS[preparer], *([approver] if approver else [])]
    sender = data.draw(st.sampled_from([a for a in earlier if _may_send(preparer, a)]))
    invoices = list(ready.invoices)
    notice_before, invoices_before = copy.deepcopy(ready), copy.deepcopy(invoices)
    with pytest.raises(PolicyViolationError):
        send_letter(
            ready,
            invoices,
            actor=sender,
            on=MAY_24,
            authority=attrs.evolve(SIX, permissions=REVIEWERS_SEND),
        )
    assert ready == notice_before
    assert invoices == invoices_before
    assert ready.state in (LetterState.PREPARED, LetterState.APPROVED)
    notice_sent = send_letter(
        ready,
        invoices,
        actor=TOM,
        on=MAY_24,
        authority=attrs.evolve(SIX, permissions=APPROVING_RUN),
    )
    done, booked = notice_sent.letter, notice_sent.invoices
    assert done.steps == (
        *notice_before.steps,
        LetterStep(on=MAY_24, state=LetterState.SENT, actor="tom", roles=TOM.roles),
    )
    assert booked == _recorded(notice_before, TOM)


def test_six_eyes_keep_the_sender_apart_from_preparer_and_approver() -> None:
    """Seed 000 with approval, under 6 eyes: Ann prepares a reminder by hand, Rita approves
    it. Ann may not send it (she prepared it), nor Rita once granted the right to (she
    approved it); the errors name the rule, the person and what she did. Sam sends it; the
    notice's steps name three people."""
    ready = _ready("ann by hand", RITA, SIX)
    with pytest.raises(
        PolicyViolationError,
        match=r"ann may not DUN invoice RE-2026-0001 in state 3 SENT: 6-eye policy, rule "
        r"sender-not-preparer-or-approver: ann prepared this letter; someone else must send it",
    ):
        send_letter(ready, [sent()], actor=ANN, on=MAY_24, authority=SIX)
    with pytest.raises(PolicyViolationError, match="rita approved this letter"):
        send_letter(
            ready,
            [sent()],
            actor=RITA,
            on=MAY_24,
            authority=attrs.evolve(SIX, permissions=REVIEWERS_SEND),
        )
    notice_sent = send_letter(ready, [sent()], actor=SAM, on=MAY_24, authority=SIX)
    done, (booked,) = notice_sent.letter, notice_sent.invoices
    assert [step.actor for step in done.steps] == ["ann", "rita", "sam"]
    assert booked.history[-1].actor == "sam"
    assert send_letter(ready, [sent()], actor=ANN, on=MAY_24, authority=FOUR).letter.state is (
        LetterState.SENT
    )


def test_under_six_eyes_the_run_does_not_send_what_it_prepared() -> None:
    """Seed 000 "automatisch mit Genehmigung" under 6 eyes: the run prepares, Rita approves;
    the run may not send it itself (it prepared it), a person or another automatic process
    may. Under 4 eyes the run sends it, as before. A pre-due reminder names its ISSUE_EARLY row."""
    ready = _ready("run", RITA, SIX)
    with pytest.raises(PolicyViolationError, match="automatic prepared this letter"):
        send_letter(ready, ready.invoices, on=MAY_24, authority=SIX, actor=AUTOMATIC)
    assert send_letter(
        ready, ready.invoices, actor=ROBOT, on=MAY_24, authority=SIX
    ).letter.state is (LetterState.SENT)
    assert (
        send_letter(ready, ready.invoices, on=MAY_24, authority=FOUR, actor=AUTOMATIC).letter.state
        is LetterState.SENT
    )
    early = DunningStage(StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.BEFORE_DUE_DATE)
    day = DUE - dt.timedelta(days=3)
    (notice,) = group_letters(plan([sent()], DunningRules(stages=(early,)), today=day))
    with pytest.raises(PolicyViolationError, match="automatic may not ISSUE_EARLY"):
        send_letter(
            prepare_letter(notice, actor=AUTOMATIC, authority=Authority()),
            [sent()],
            on=day,
            authority=SIX,
            actor=AUTOMATIC,
        )


def test_sending_checks_rights_before_the_eyes_policy() -> None:
    """As on the booking path and in approve_letter: an actor without the right is refused
    for that first, even as the approver; the authority is required and must be an
    Authority."""
    ready = _ready("run", RITA, SIX)
    with pytest.raises(PermissionDeniedError, match="DUN"):
        send_letter(ready, ready.invoices, actor=RITA, on=MAY_24, authority=SIX)
    with pytest.raises(InvalidTypeError, match="send_letter.authority"):
        send_letter(ready, ready.invoices, actor=SAM, on=MAY_24, authority=6)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="required keyword-only argument: 'authority'"):
        send_letter(ready, ready.invoices, actor=SAM, on=MAY_24)  # type: ignore[call-arg]


# -- a reminder by hand reads the customer's account ---------------------------------------

MAY_12 = dt.date(2026, 5, 12)
ACCOUNT = CustomerAccount(customer_id=sent().customer.id)
FEE_RULES = DunningRules(stages=(DunningStage(StageKind.NOTICE, days_overdue=14, fee=eur("5.00")),))
"""One notice with a fee of 5.00, due 14 days after the due date."""


@given(data=st.data())
def test_a_reminder_by_hand_reads_the_account_as_the_engine_does_law(data: st.DataObject) -> None:
    """Law: with the customer's account (and credit), on a day the engine issues a stage for
    an overdue invoice the reminder prepared by hand is exactly that document (fees off:
    no fee; the credit netted); on a day the engine stops for the account (dunning off, a
    hold, credit covering the invoice) the reminder is refused naming the same reason."""
    invoice = data.draw(ds.dunnable_invoices(currency="EUR"))
    rules = data.draw(ds.dunning_rules(currency="EUR", min_active=1))
    account = data.draw(ds.customer_accounts(customer_id=invoice.customer.id, currency="EUR"))
    late = invoice.due_date + dt.timedelta(days=1)  # a reminder by hand: once the debtor is late
    today = data.draw(ds.dates(min_value=late, max_value=dt.date(2031, 12, 31)))
    action = next_dunning_action(invoice, rules, today=today, account=account)
    if isinstance(action, IssueStage) and today >= invoice.history[-1].on:
        prepared = prepare_manual_letter(
            invoice, rules, on=today, actor=ANN, account=account, authority=Authority()
        )
        assert prepared.letter.actions == (action,)
    held = (
        NoActionReason.CUSTOMER_DISABLED,
        NoActionReason.DISPUTED,
        NoActionReason.PROMISED_TO_PAY,
        NoActionReason.DIRECT_DEBIT_PENDING,
        NoActionReason.COVERED_BY_CREDIT,
    )
    if (
        isinstance(action, NoAction)
        and action.reason in held
        and invoice.paused_since is None
        and today >= invoice.history[-1].on
    ):
        with pytest.raises(InvalidValueError, match=action.reason.value):
            prepare_manual_letter(
                invoice, rules, on=today, actor=ANN, account=account, authority=Authority()
            )


def test_a_reminder_by_hand_is_refused_where_the_account_stops_dunning() -> None:
    """The account's dunning switched off, or a dispute on the account, refuses the
    reminder naming the engine's reason, as does credit covering the whole invoice; the
    same invoice without the account is reminded."""
    off = switch_dunning(ACCOUNT, enabled=False, on=MAY_12, actor=ANN, authority=Authority())
    with pytest.raises(InvalidValueError, match="engine says: customer_disabled"):
        prepare_manual_letter(
            sent(), SEED_RULES, on=MAY_12, actor=ANN, account=off, authority=Authority()
        )
    disputed = hold_account(
        ACCOUNT, Hold.dispute(on=MAY_12, reason="contested"), actor=ANN, authority=Authority()
    )
    with pytest.raises(InvalidValueError, match="engine says: disputed"):
        prepare_manual_letter(
            sent(), SEED_RULES, on=MAY_12, actor=ANN, account=disputed, authority=Authority()
        )
    rich = keep_credit(
        ACCOUNT, eur("200.00"), on=MAY_12, actor=ANN, reason="overpaid", authority=Authority()
    )
    with pytest.raises(InvalidValueError, match="engine says: covered_by_credit"):
        prepare_manual_letter(
            sent(), SEED_RULES, on=MAY_12, actor=ANN, account=rich, authority=Authority()
        )
    with pytest.raises(InvalidValueError, match="engine says: covered_by_credit"):
        prepare_manual_letter(
            sent(), SEED_RULES, on=MAY_12, actor=ANN, credit=eur("119.00"), authority=Authority()
        )
    assert (
        prepare_manual_letter(sent(), SEED_RULES, on=MAY_12, actor=ANN, authority=Authority()).state
        is LetterState.PREPARED
    )


def test_a_reminder_by_hand_charges_no_fee_while_the_accounts_fees_are_off() -> None:
    """A notice with a fee of 5.00 prepared by hand on 12 May: with the account's fees off it
    charges nothing and claims the open 119.00; without the account, 5.00 and 124.00."""
    no_fees = switch_fees(ACCOUNT, enabled=False, on=MAY_12, actor=ANN, authority=Authority())
    (free,) = prepare_manual_letter(
        sent(), FEE_RULES, on=MAY_12, actor=ANN, account=no_fees, authority=Authority()
    ).letter.actions
    assert (free.fee, free.open_amount) == (eur("0.00"), eur("119.00"))
    (charged,) = prepare_manual_letter(
        sent(), FEE_RULES, on=MAY_12, actor=ANN, authority=Authority()
    ).letter.actions
    assert (charged.fee, charged.open_amount) == (eur("5.00"), eur("124.00"))


def test_a_reminder_by_hand_nets_the_customers_credit() -> None:
    """The account's credit of 19.00 is netted against what the notice claims (124.00 less
    19.00); a credit given explicitly wins over the account's, as in the engine."""
    kept = keep_credit(
        ACCOUNT,
        eur("19.00"),
        on=MAY_12,
        actor=ANN,
        reason="credit note GS-1",
        authority=Authority(),
    )
    (stage,) = prepare_manual_letter(
        sent(), FEE_RULES, on=MAY_12, actor=ANN, account=kept, authority=Authority()
    ).letter.actions
    assert (stage.credit, stage.open_amount) == (eur("19.00"), eur("105.00"))
    (given_credit,) = prepare_manual_letter(
        sent(),
        FEE_RULES,
        on=MAY_12,
        actor=ANN,
        account=kept,
        credit=eur("4.00"),
        authority=Authority(),
    ).letter.actions
    assert (given_credit.credit, given_credit.open_amount) == (eur("4.00"), eur("120.00"))


def test_a_reminder_by_hand_refuses_an_account_or_credit_that_does_not_fit() -> None:
    """Another customer's account, a credit in another currency or below zero, and junk are
    refused naming prepare_manual_letter's argument."""
    other = CustomerAccount(customer_id="C-2")
    with pytest.raises(InvalidValueError, match="prepare_manual_letter.account.customer_id"):
        prepare_manual_letter(
            sent(), SEED_RULES, on=MAY_12, actor=ANN, account=other, authority=Authority()
        )
    with pytest.raises(InvalidTypeError, match="prepare_manual_letter.account"):
        prepare_manual_letter(
            sent(),
            SEED_RULES,
            on=MAY_12,
            actor=ANN,
            account="C-1",  # type: ignore[arg-type]
            authority=Authority(),
        )
    with pytest.raises(InvalidValueError, match="prepare_manual_letter.credit"):
        prepare_manual_letter(
            sent(), SEED_RULES, on=MAY_12, actor=ANN, credit=eur("-1.00"), authority=Authority()
        )
    with pytest.raises(InvalidTypeError, match="prepare_manual_letter.credit"):
        prepare_manual_letter(
            sent(),
            SEED_RULES,
            on=MAY_12,
            actor=ANN,
            credit=1,  # type: ignore[arg-type]
            authority=Authority(),
        )


def test_send_checks_the_notice_s_recorded_steps_instead_of_trusting_them() -> None:
    """Issue 21, finding 10 (prepared letters): a notice whose steps carry an invented
    approval (an id with no right to approve, or its preparer's own under 4 eyes) is sent
    only if the recorded steps pass the booking path's checks again; else the send is
    refused naming the step, and nothing is booked. The steps record the roles checked."""
    prepared = _prepared(actor=ANN)
    assert prepared.steps[0].roles == ANN.roles
    invented = {
        "nobody": LetterStep(on=MAY_24, state=LetterState.APPROVED, actor="nobody"),
        "ann": LetterStep(on=MAY_24, state=LetterState.APPROVED, actor="ann", roles=ANN.roles),
    }
    for approver, step in invented.items():
        forged = attrs.evolve(prepared, steps=(*prepared.steps, step))
        with pytest.raises(InvalidValueError) as refused:
            send_letter(forged, forged.invoices, on=MAY_24, authority=FOUR, actor=AUTOMATIC)
        assert (refused.value.field, refused.value.value) == (
            "send_letter.prepared.steps[1]",
            approver,
        )
    approved = approve_letter(prepared, actor=RITA, on=MAY_24, authority=FOUR)
    assert approved.steps[-1].roles == RITA.roles
    notice_sent = send_letter(
        approved, approved.invoices, on=MAY_24, authority=FOUR, actor=AUTOMATIC
    )
    done = notice_sent.letter
    assert done.state is LetterState.SENT
    by_hand = prepare_manual_letter(sent(), SEED_RULES, on=MAY_24, actor=ANN, authority=Authority())
    with pytest.raises(InvalidValueError, match=r"PreparedLetter.steps\[1\].actor"):
        attrs.evolve(
            by_hand,
            steps=(
                *by_hand.steps,
                LetterStep(on=MAY_24, state=LetterState.SENT, actor="automatic"),
            ),
        )
