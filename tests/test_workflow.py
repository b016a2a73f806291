"""transition() and send(): the table, rights, the 2/4/6-eye policy, guards, booking;
the one booking path behind every change to an invoice; automatic sending."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given

from builders import (
    ACME,
    D0,
    DORA,
    FOUR,
    RITA,
    ROBOT,
    SAM,
    SIX,
    TWO,
    clerk,
    draft,
    eur,
    line,
    notice_action,
)
from dunlib import (
    AUTOMATIC,
    Command,
    CreditNote,
    Decision,
    DunlibError,
    DunningRules,
    Escalate,
    Escalation,
    GuardFailedError,
    HistoryEntry,
    Hold,
    HoldKind,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PermissionDeniedError,
    PolicyViolationError,
    PreparedLetter,
    Status,
    StepRefusedError,
    TransitionNotAllowedError,
    approve_letter,
    cancel,
    create_draft,
    lift_hold,
    pause,
    place_hold,
    prepare_letter,
    prepare_manual_letter,
    record_credit_note,
    record_escalation,
    record_interest,
    record_payment,
    record_stage,
    reject_letter,
    resume,
    send,
    supersede_letters,
    withdraw_letter,
    write_off,
)
from dunlib.core import DeliveryChannel, EventKind, InterestCharge, SendMode, WriteOff
from dunlib.core.transitions import (
    ROLES,
    ROWS,
    TRANSITIONS,
    Act,
    Effect,
    Row,
    RowKind,
    row_for,
)
from dunlib.dunning import InstalmentPlan, agree_plan, cancel_plan
from dunlib.dunning.stages import DunningStage, StageKind
from dunlib.payments import (
    FeeWaiver,
    Recovery,
    Reversal,
    record_recovery,
    reverse_payment,
    waive_fees,
)
from dunlib.strategies import actors, authorities
from dunlib.workflow import (
    Sent,
    book_by_hand,
    record_document,
    record_printed,
    record_resent,
)
from dunlib.workflow.policy import DEFAULT_PERMISSIONS, round_acts
from dunlib.workflow.steps import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    REVIEWER,
    Actor,
    Authority,
    Permissions,
    PolicyRule,
    due_for_auto_send,
    transition,
)

DUE = dt.date(2026, 1, 19)  # D0 + 14 days net
LATE = dt.date(2026, 1, 20)  # the first day the debtor is late
ON = dt.date(2026, 3, 2)
SEQ = NumberSequence(prefix="RE-", width=4)
ALL_ROLES = frozenset({CLERK, REVIEWER, ACCOUNTANT, AUTOMATION})

REMINDER = DunningStage(StageKind.REMINDER, days_overdue=0)
NOTICE = DunningStage(StageKind.NOTICE, days_overdue=0, fee=Money("5.00", "EUR"))

# Pinned from the policy reading in docs/workflow.md.
ALLOWED_SKIPS = {
    2: {
        (Status.DRAFT, Command.APPROVE),
        (Status.DRAFT, Command.SEND),
        (Status.CREATED, Command.SEND),
    },
    4: {(Status.DRAFT, Command.APPROVE), (Status.CREATED, Command.SEND)},
    6: set(),
}
# The rows transition() refuses, pinned from docs/workflow.md: every booking and effect
# has a function of its own; SEND is send().
OPERATIONS = {
    Command.DUN: "dunlib.record_stage",
    Command.ISSUE_EARLY: "dunlib.record_stage",
    Command.SETTLE: "dunlib.record_payment or dunlib.record_credit_note",
    Command.CANCEL: "dunlib.cancel",
    Command.WRITE_OFF: "dunlib.write_off",
    Command.PAY: "dunlib.record_payment",
    Command.CREDIT: "dunlib.record_credit_note",
    Command.PAUSE: "dunlib.pause",
    Command.RESUME: "dunlib.resume",
    Command.SEND: "dunlib.send",
}


def new_draft(*lines: LineItem, creator: str = "dora") -> Invoice:
    """A draft by ``creator`` on D0, of one line of 100.00 unless ``lines`` are given."""
    return draft(*(lines or (line(),)), by=creator)


def notice(invoice: Invoice, on: dt.date, fee: str = "5.00") -> IssueStage:
    """The next dunning document for ``invoice`` on ``on``, charging ``fee``."""
    return notice_action(invoice, on, fee, stage=NOTICE if eur(fee).is_positive else REMINDER)


def in_state(status: Status) -> Invoice:
    """An invoice brought into ``status`` through the public functions, by distinct actors
    (valid under every policy)."""
    invoice = new_draft()
    if status is Status.DRAFT:
        return invoice
    invoice = transition(invoice, Command.SUBMIT, actor=DORA, on=D0, authority=SIX)
    if status is Status.CREATED:
        return invoice
    invoice = transition(invoice, Command.APPROVE, actor=RITA, on=D0, authority=SIX)
    if status is Status.REVIEWED:
        return invoice
    invoice = send(invoice, actor=SAM, on=D0, authority=SIX, sequence=SEQ).invoice
    if status is Status.SENT:
        return invoice
    if status is Status.PAID:
        return record_payment(
            invoice,
            Payment(on=D0, amount=invoice.open_amount),
            actor=AUTOMATIC,
            authority=Authority(),
        ).invoice
    if status is Status.CANCELLED:
        return cancel(
            invoice, id="S-1", actor=SAM, on=D0, sequence=SEQ.take()[1], authority=Authority()
        ).original
    invoice = record_stage(invoice, notice(invoice, LATE), actor=SAM, authority=Authority())
    if status is Status.DUNNED:
        return invoice
    return write_off(invoice, actor=SAM, on=LATE, authority=Authority())


def start_for(status: Status, command: Command) -> Invoice:
    """:func:`in_state`, where ``command`` may be taken in ``status``: a paid invoice is
    one a notice dunned before it was paid for REOPEN_DUNNED."""
    if (status, command) != (Status.PAID, Command.REOPEN_DUNNED):
        return in_state(status)
    dunned = in_state(Status.DUNNED)
    payment = Payment(on=LATE, amount=dunned.open_amount)
    return record_payment(dunned, payment, actor=AUTOMATIC, authority=Authority()).invoice


def perform(
    invoice: Invoice,
    row: Row,
    *,
    actor: Actor,
    on: dt.date,
    policy: Authority,
    permissions: Permissions = DEFAULT_PERMISSIONS,
) -> Invoice:
    """``actor`` performs ``row`` on ``invoice`` through the public function the row names
    (a reminder on the day of the invoice's last step, before its due date; a resume after
    a pause by the automatic actor)."""
    match row.operation:
        case "":
            if row.effect is Effect.BOOK:
                return send(
                    invoice,
                    actor=actor,
                    on=on,
                    authority=attrs.evolve(policy, permissions=permissions),
                    sequence=SEQ,
                ).invoice
            return transition(
                invoice,
                row.command,
                actor=actor,
                on=on,
                authority=attrs.evolve(policy, permissions=permissions),
            )
        case "dunlib.record_payment":
            payment = Payment(on=on, amount=eur("1.00"))
            return record_payment(
                invoice, payment, actor=actor, authority=Authority(permissions=permissions)
            ).invoice
        case "dunlib.record_payment or dunlib.record_credit_note":
            payment = Payment(on=on, amount=invoice.open_amount)
            return record_payment(
                invoice, payment, actor=actor, authority=Authority(permissions=permissions)
            ).invoice
        case "dunlib.record_credit_note":
            note = CreditNote(id="G-1", on=on, amount=eur("10.00"), drafted_by="clara")
            return record_credit_note(
                invoice,
                note,
                actor=actor,
                on=on,
                authority=attrs.evolve(policy, permissions=permissions),
            )
        case "dunlib.record_stage":
            if row.command is Command.ISSUE_EARLY:
                day = invoice.history[-1].on
                assert day <= invoice.due_date
                return record_stage(
                    invoice,
                    notice(invoice, day, fee="0"),
                    actor=actor,
                    authority=Authority(permissions=permissions),
                )
            return record_stage(
                invoice,
                notice(invoice, on),
                actor=actor,
                authority=Authority(permissions=permissions),
            )
        case "dunlib.record_interest":
            charge = InterestCharge(on=on, amount=eur("1.50"))
            return record_interest(
                invoice, charge, actor=actor, authority=Authority(permissions=permissions)
            )
        case "dunlib.pause":
            return pause(invoice, on=on, actor=actor, authority=Authority(permissions=permissions))
        case "dunlib.resume":
            if invoice.paused_since is None:
                invoice = pause(invoice, on=on, actor=AUTOMATIC, authority=Authority())
            return resume(invoice, on=on, actor=actor, authority=Authority(permissions=permissions))
        case "dunlib.cancel":
            return cancel(
                invoice,
                id="S-1",
                actor=actor,
                on=on,
                sequence=SEQ.take()[1],
                authority=Authority(permissions=permissions),
            ).original
        case "dunlib.write_off":
            return write_off(
                invoice, actor=actor, on=on, authority=Authority(permissions=permissions)
            )
        case (
            "dunlib.prepare_letter"
            | "dunlib.prepare_manual_letter"
            | "dunlib.approve_letter"
            | "dunlib.reject_letter"
            | "dunlib.withdraw_letter"
            | "dunlib.supersede_letters"
        ):
            perform_notice_step(
                invoice, row, actor=actor, on=on, policy=policy, permissions=permissions
            )
            return invoice
        case "dunlib.record_escalation":
            kind = (
                Escalation.COLLECTION
                if row.command is Command.COLLECT
                else Escalation.BLOCK_SERVICE
            )
            action = Escalate(
                invoice_id=invoice.id,
                escalation=kind,
                on=on,
                due_since=on,
                level=invoice.dunning_level,
                open_amount=invoice.open_amount,
            )
            return record_escalation(
                invoice, action, actor=actor, authority=Authority(permissions=permissions)
            )
        case "dunlib.place_hold":
            hold = Hold.dispute(on=on, reason="contested")
            return place_hold(
                invoice, hold, actor=actor, authority=Authority(permissions=permissions)
            )
        case "dunlib.lift_hold":
            if not invoice.holds:
                invoice = place_hold(
                    invoice, Hold.dispute(on=on, reason="x"), actor=AUTOMATIC, authority=Authority()
                )
            return lift_hold(
                invoice,
                HoldKind.DISPUTE,
                on=on,
                actor=actor,
                authority=Authority(permissions=permissions),
            )
        case "dunlib.workflow.book_by_hand":
            return book_by_hand(
                negative(invoice),
                actor=actor,
                on=on,
                authority=attrs.evolve(policy, permissions=permissions),
                sequence=SEQ,
            ).invoice
        case "dunlib.payments.record_recovery":
            recovery = Recovery(on=on, amount=eur("10.00"), reference="collector")
            return record_recovery(
                invoice, recovery, actor=actor, authority=Authority(permissions=permissions)
            ).invoice
        case "dunlib.dunning.agree_plan":
            plan = InstalmentPlan.monthly(invoice.open_amount, on=on, first_due=on, count=2)
            return agree_plan(
                invoice, plan, actor=actor, authority=Authority(permissions=permissions)
            )
        case "dunlib.dunning.cancel_plan":
            if not invoice.instalment_plans:
                plan = InstalmentPlan.monthly(invoice.open_amount, on=on, first_due=on, count=2)
                invoice = agree_plan(invoice, plan, actor=SAM, authority=Authority())
            return cancel_plan(
                invoice, on=on, actor=actor, authority=Authority(permissions=permissions)
            )
        case (
            "dunlib.workflow.record_document"
            | "dunlib.workflow.record_resent"
            | "dunlib.workflow.record_printed"
        ):
            record = {
                Command.MAKE_DOCUMENT: record_document,
                Command.RESEND: record_resent,
                Command.PRINT: record_printed,
            }[row.command]
            return record(  # by e-mail and on paper: resent and printed alike
                attrs.evolve(invoice, channel=DeliveryChannel.BOTH),
                document="RE.pdf",
                content=b"%PDF-1.4",
                actor=actor,
                on=on,
                authority=Authority(permissions=permissions),
            )
        case "dunlib.payments.waive_fees":
            waiver = FeeWaiver(on=on, amount=eur("1.00"), reason="goodwill")
            return waive_fees(
                invoice, waiver, actor=actor, authority=Authority(permissions=permissions)
            )
        case "dunlib.payments.reverse_payment":
            if invoice.status is not Status.PAID:
                partly = row.target is invoice.status
                invoice = record_payment(
                    invoice,
                    Payment(on=on, amount=eur("1.00") if partly else invoice.open_amount),
                    actor=AUTOMATIC,
                    authority=Authority(),
                ).invoice
            return reverse_payment(
                invoice,
                Reversal(on=on, payment=0),
                actor=actor,
                authority=Authority(permissions=permissions),
            ).invoice
        case _:
            pytest.fail(f"no test performs {row.operation!r} yet")


def negative(draft: Invoice) -> Invoice:
    """``draft`` with its lines negated: a negative total, booked only by hand."""
    return attrs.evolve(draft, lines=tuple(line.negated() for line in draft.lines))


def perform_notice_step(
    invoice: Invoice,
    row: Row,
    *,
    actor: Actor,
    on: dt.date,
    policy: Authority,
    permissions: Permissions,
) -> PreparedLetter:
    """``actor`` performs a notice row on ``invoice``'s next notice dated ``on`` (approving
    under ``policy`` and rejecting a notice the automatic run prepared, needing approval)."""
    decision = Decision(invoice=invoice, action=notice(invoice, on))
    if row.command is Command.PREPARE_LETTER:
        return prepare_letter(decision, actor=actor, authority=Authority(permissions=permissions))
    if row.command is Command.PREPARE_MANUAL_LETTER:
        rules = DunningRules(stages=(NOTICE, NOTICE))
        return prepare_manual_letter(
            invoice, rules, on=on, actor=actor, authority=Authority(permissions=permissions)
        )
    prepared = prepare_letter(
        decision, customer_approval=True, actor=AUTOMATIC, authority=Authority()
    )
    if row.command is Command.APPROVE_LETTER:
        return approve_letter(
            prepared, actor=actor, on=on, authority=attrs.evolve(policy, permissions=permissions)
        )
    if row.command is Command.WITHDRAW_LETTER:
        return withdraw_letter(
            prepared, actor=actor, on=on, authority=Authority(permissions=permissions)
        )
    if row.command is Command.SUPERSEDE_LETTER:
        changed = record_payment(
            invoice,
            Payment(on=on, amount=Money("0.01", invoice.currency)),
            actor=AUTOMATIC,
            authority=Authority(),
        ).invoice
        (superseded,) = supersede_letters(
            [prepared], [changed], actor=actor, on=on, authority=Authority(permissions=permissions)
        )
        return superseded
    return reject_letter(prepared, actor=actor, on=on, authority=Authority(permissions=permissions))


@pytest.mark.parametrize("status", list(Status))
def test_in_state_builds_each_state_through_the_public_functions(status: Status) -> None:
    """The helper reaches every state, each history a chain of entries dated in order."""
    invoice = in_state(status)
    assert invoice.status is status
    assert [e.on for e in invoice.history] == sorted(e.on for e in invoice.history)
    assert invoice.history[-1].to_status is status


@pytest.mark.parametrize(
    ("status", "command", "eyes"), list(itertools.product(Status, Command, (2, 4, 6)))
)
def test_every_pair_under_every_policy(status: Status, command: Command, eyes: int) -> None:
    """Exhaustive: each (Status, Command) moves per the table or raises the typed error.

    The actor holds every role and is automatic exactly for skips. A pair outside the table
    is TransitionNotAllowedError (from transition, and from send for SEND); transition
    refuses the rows of other functions, naming the function; a skip the policy forbids is
    PolicyViolationError; everything else moves through its own function.
    """
    policy = Authority(eyes=eyes)
    invoice = start_for(status, command)
    key, history = (status, command), invoice.history
    zoe = Actor(id="zoe", roles=ALL_ROLES)
    if key not in TRANSITIONS:
        with pytest.raises(TransitionNotAllowedError, match=command.name) as refused:
            transition(invoice, command, actor=zoe, on=ON, authority=policy)
        assert refused.value.operation == ""
        assert refused.value.allowed == sorted(c.name for (s, c) in TRANSITIONS if s is status)
        if command is Command.SEND:
            with pytest.raises(TransitionNotAllowedError, match="SEND"):
                send(invoice, actor=zoe, on=ON, authority=policy, sequence=SEQ)
        return
    row = row_for(status, command)
    zoe = attrs.evolve(zoe, automatic=row.kind is RowKind.SKIP)
    if row.kind in (RowKind.BOOKING, RowKind.EFFECT) or row.effect is Effect.BOOK:
        with pytest.raises(TransitionNotAllowedError, match="performed by") as refused:
            transition(invoice, command, actor=zoe, on=ON, authority=policy)
        assert refused.value.operation == (row.operation or "dunlib.send")
        assert invoice.history == history
    if row.kind is RowKind.SKIP and key not in ALLOWED_SKIPS[eyes]:
        with pytest.raises(PolicyViolationError) as violated:
            perform(invoice, row, actor=zoe, on=ON, policy=policy)
        assert violated.value.rule == PolicyRule.SKIP_NOT_ALLOWED
        return
    moved = perform(invoice, row, actor=zoe, on=ON, policy=policy)
    if row.kind is RowKind.LETTER:  # recorded on the prepared letter; the invoice is unchanged
        assert moved == invoice
        return
    assert moved.status is TRANSITIONS[key]
    assert moved.history[: len(invoice.history)] == invoice.history
    assert (moved.history[-1].to_status, moved.history[-1].actor) == (moved.status, "zoe")
    by_hand = command is Command.BOOK_BY_HAND
    assert moved.lines == (negative(invoice) if by_hand else invoice).lines


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.source.name}-{row.command.name}")
def test_every_row_needs_a_granted_role(row: Row) -> None:
    """Every row, the bookings included, is refused to an actor holding none of its roles,
    and to anyone once its grants are revoked: the error says who, what and the roles needed."""
    invoice = start_for(row.source, row.command)
    others = Actor(id="nina", roles=ROLES - row.roles, automatic=True)
    permissions = DEFAULT_PERMISSIONS
    if row.command is Command.SETTLE:  # nina may book the payment, not settle by it
        for role in others.roles:
            permissions = permissions.granting(row.source, Command.PAY, role)
    with pytest.raises(PermissionDeniedError) as refused:
        perform(invoice, row, actor=others, on=ON, policy=TWO, permissions=permissions)
    error = refused.value
    assert (error.actor, error.command, error.status) == ("nina", row.command.name, row.source)
    assert (error.invoice_id, error.roles) == ("INV-1", sorted(others.roles))
    assert error.required == sorted(row.roles)
    assert f"nina (roles: {', '.join(sorted(others.roles)) or 'none'}) may not" in str(error)

    holder = Actor(id="hank", roles=row.roles, automatic=True)
    revoked = DEFAULT_PERMISSIONS
    for role in row.roles:
        revoked = revoked.revoking(row.source, row.command, role)
    with pytest.raises(PermissionDeniedError, match="nobody is granted it") as refused:
        perform(invoice, row, actor=holder, on=ON, policy=TWO, permissions=revoked)
    assert (refused.value.actor, refused.value.required) == ("hank", [])


@pytest.mark.parametrize("eyes", [2, 4, 6])
@pytest.mark.parametrize("key", sorted(ALLOWED_SKIPS[2], key=str))
def test_people_never_skip(key: tuple[Status, Command], eyes: int) -> None:
    """A person (not automatic) may not skip a state under any policy, even with the role."""
    person = Actor(id="pat", roles=ALL_ROLES)
    with pytest.raises(PolicyViolationError, match="people-do-not-skip") as refused:
        perform(in_state(key[0]), row_for(*key), actor=person, on=ON, policy=Authority(eyes=eyes))
    assert refused.value.rule == PolicyRule.PEOPLE_DO_NOT_SKIP


@pytest.mark.parametrize("eyes", [2, 4, 6])
def test_allowed_skips_per_policy(eyes: int) -> None:
    """2 eyes: all three skips; 4 eyes: 0→2 and 1→3; 6 eyes: none."""
    assert Authority(eyes=eyes).allowed_skips == ALLOWED_SKIPS[eyes]


def test_two_eyes_one_person_from_draft_to_sent() -> None:
    """2 eyes: one person may take an invoice from 0 to 3 step by step."""
    solo = Actor(id="solo", roles=ALL_ROLES)
    invoice = create_draft(
        id="I", customer=ACME, currency="EUR", actor=clerk("solo"), on=D0, lines=[line()]
    )
    invoice = transition(invoice, Command.SUBMIT, actor=solo, on=D0, authority=TWO)
    invoice = transition(invoice, Command.APPROVE, actor=solo, on=D0, authority=TWO)
    assert send(invoice, actor=solo, on=D0, authority=TWO, sequence=SEQ).invoice.number == "RE-0001"
    for policy in (FOUR, SIX):
        with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
            send(invoice, actor=solo, on=D0, authority=policy, sequence=SEQ)


def test_four_eyes_creator_may_not_send() -> None:
    """4 eyes: whoever created the draft counts as drafter, even if another submitted it."""
    clerk = Actor(id="carl", roles={CLERK, REVIEWER})
    invoice = transition(
        new_draft(creator="alice"), Command.SUBMIT, actor=clerk, on=D0, authority=FOUR
    )
    invoice = transition(invoice, Command.APPROVE, actor=clerk, on=D0, authority=FOUR)
    alice = Actor(id="alice", roles={ACCOUNTANT})
    with pytest.raises(PolicyViolationError) as refused:
        send(invoice, actor=alice, on=D0, authority=FOUR, sequence=SEQ)
    assert str(refused.value) == (
        "alice may not SEND invoice INV-1 in state 2 REVIEWED: 4-eye policy, rule "
        "sender-not-drafter: alice drafted this invoice; someone else must send it"
    )
    assert (
        send(invoice, actor=SAM, on=D0, authority=FOUR, sequence=SEQ).invoice.status is Status.SENT
    )


def test_four_eyes_drafter_may_review() -> None:
    """4 eyes: the drafter may also review; only the sender must differ."""
    invoice = transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, authority=FOUR)
    both = Actor(id="dora", roles={REVIEWER})
    assert (
        transition(invoice, Command.APPROVE, actor=both, on=D0, authority=FOUR).status
        is Status.REVIEWED
    )


def test_six_eyes_needs_three_people() -> None:
    """6 eyes: the drafter may not review, the reviewer may not send; three people pass."""
    invoice = transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, authority=SIX)
    with pytest.raises(PolicyViolationError, match="reviewer-not-drafter"):
        transition(
            invoice, Command.APPROVE, actor=Actor(id="dora", roles={REVIEWER}), on=D0, authority=SIX
        )
    invoice = transition(invoice, Command.APPROVE, actor=RITA, on=D0, authority=SIX)
    with pytest.raises(PolicyViolationError, match="sender-not-reviewer"):
        send(
            invoice, actor=Actor(id="rita", roles={ACCOUNTANT}), on=D0, authority=SIX, sequence=SEQ
        )
    with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
        send(
            invoice, actor=Actor(id="dora", roles={ACCOUNTANT}), on=D0, authority=SIX, sequence=SEQ
        )
    assert (
        send(invoice, actor=SAM, on=D0, authority=SIX, sequence=SEQ).invoice.status is Status.SENT
    )


def test_rejection_starts_a_new_round_for_review_and_sending() -> None:
    """After a rejection earlier reviews no longer count (the old reviewer may now send), but
    the drafter stays a drafter."""
    invoice = transition(
        in_state(Status.REVIEWED), Command.REJECT, actor=RITA, on=D0, authority=SIX
    )
    assert round_acts(invoice) == {
        Act.DRAFT: frozenset({"dora"}),
        Act.REVIEW: frozenset(),
        Act.SEND: frozenset(),
    }
    bob = Actor(id="bob", roles={CLERK})
    invoice = transition(invoice, Command.SUBMIT, actor=bob, on=D0, authority=SIX)
    with pytest.raises(PolicyViolationError, match="reviewer-not-drafter"):
        transition(
            invoice, Command.APPROVE, actor=Actor(id="dora", roles={REVIEWER}), on=D0, authority=SIX
        )
    invoice = transition(
        invoice, Command.APPROVE, actor=Actor(id="vera", roles={REVIEWER}), on=D0, authority=SIX
    )
    rita = Actor(id="rita", roles={ACCOUNTANT})
    assert (
        send(invoice, actor=rita, on=D0, authority=SIX, sequence=SEQ).invoice.status is Status.SENT
    )


@pytest.mark.parametrize("resubmit_by_robot", [True, False])
def test_four_eyes_author_may_not_send_after_a_rejection(resubmit_by_robot: bool) -> None:
    """4 eyes: an author who rejects her own draft and has it resubmitted (by a robot's
    0→2 skip or by a colleague) still may not send it herself."""
    alice = Actor(id="alice", roles={CLERK, REVIEWER, ACCOUNTANT})
    invoice = transition(
        new_draft(creator="alice"), Command.SUBMIT, actor=alice, on=D0, authority=FOUR
    )
    invoice = transition(invoice, Command.REJECT, actor=alice, on=D0, authority=FOUR)
    if resubmit_by_robot:
        invoice = transition(invoice, Command.APPROVE, actor=ROBOT, on=D0, authority=FOUR)
    else:
        invoice = transition(invoice, Command.SUBMIT, actor=DORA, on=D0, authority=FOUR)
        invoice = transition(invoice, Command.APPROVE, actor=RITA, on=D0, authority=FOUR)
    with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
        send(invoice, actor=alice, on=D0, authority=FOUR, sequence=SEQ)
    assert send(invoice, actor=SAM, on=D0, authority=FOUR, sequence=SEQ).invoice.number


def test_automatic_skips_under_four_eyes() -> None:
    """4 eyes: a robot may book 1→3 a draft a person submitted, not one it drafted itself."""
    submitted = transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, authority=FOUR)
    sent = send(submitted, actor=ROBOT, on=D0, authority=FOUR, sequence=SEQ).invoice
    assert sent.history[-1].detail.endswith("[automatic]")
    robot = Actor(id="robot", roles={AUTOMATION, CLERK}, automatic=True)
    own = transition(new_draft(creator="robot"), Command.SUBMIT, actor=robot, on=D0, authority=FOUR)
    with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
        send(own, actor=robot, on=D0, authority=FOUR, sequence=SEQ)
    reviewed = transition(
        new_draft(creator="robot"), Command.APPROVE, actor=robot, on=D0, authority=FOUR
    )
    assert round_acts(reviewed)[Act.REVIEW] == {"robot"}
    assert (
        send(reviewed, actor=SAM, on=D0, authority=FOUR, sequence=SEQ).invoice.number == "RE-0001"
    )


def test_creation_straight_into_reviewed_counts_as_draft_and_review() -> None:
    """An invoice created straight into REVIEWED (a contract series, imported as a value) was
    drafted and reviewed by its creator, so under 4 and 6 eyes the creator may not send it."""
    base = new_draft(creator="series")
    entry = attrs.evolve(base.history[0], to_status=Status.REVIEWED)
    invoice = attrs.evolve(base, status=Status.REVIEWED, history=(entry,))
    series = Actor(id="series", roles={AUTOMATION}, automatic=True)
    assert round_acts(invoice)[Act.REVIEW] == {"series"}
    with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
        send(invoice, actor=series, on=D0, authority=FOUR, sequence=SEQ)
    assert send(invoice, actor=series, on=D0, authority=TWO, sequence=SEQ).invoice.number


def test_steps_without_actor_are_not_acts() -> None:
    """History entries without an actor (a booking imported with Invoice.sent) count for nobody."""
    imported = Invoice.sent(number="RE-9", customer=ACME, gross=eur("1.00"), issue_date=D0)
    assert imported.history[0].actor == ""
    assert round_acts(imported) == {act: frozenset() for act in Act}


def test_send_books_number_date_and_due_date() -> None:
    """SEND: next number; invoice date becomes the send day (no back- or forward-dating);
    due date recomputed from the terms."""
    reviewed = in_state(Status.REVIEWED)
    late = dt.date(2026, 2, 20)
    result = send(reviewed, actor=SAM, on=late, authority=FOUR, sequence=SEQ)
    assert isinstance(result, Sent)
    assert result.invoice.number == "RE-0001"
    assert result.invoice.issue_date == late
    assert result.invoice.due_date == dt.date(2026, 3, 6)  # 14 days net
    assert result.sequence.next_number == "RE-0002"
    assert (
        result.invoice.history[-1].detail == "booked as RE-0001, dated 2026-02-20, due 2026-03-06"
    )


def test_refused_send_consumes_no_number() -> None:
    """A refused send raises before taking a number: the next send still gets RE-0001."""
    reviewed = in_state(Status.REVIEWED)
    with pytest.raises(PolicyViolationError):
        send(
            reviewed, actor=Actor(id="dora", roles={ACCOUNTANT}), on=D0, authority=SIX, sequence=SEQ
        )
    assert send(reviewed, actor=SAM, on=D0, authority=SIX, sequence=SEQ).invoice.number == "RE-0001"


def test_send_needs_a_sequence_and_transition_returns_the_invoice() -> None:
    """send() without a NumberSequence is a caller mistake; transition() always returns the
    invoice (it takes no sequence: it never books)."""
    with pytest.raises(InvalidTypeError, match="send.sequence"):
        send(in_state(Status.REVIEWED), actor=SAM, on=D0, authority=FOUR, sequence="RE-1")  # type: ignore[arg-type]
    submitted = transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, authority=FOUR)
    assert isinstance(submitted, Invoice)
    with pytest.raises(TypeError):
        transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, authority=FOUR, sequence=SEQ)  # type: ignore[call-arg]


def test_negative_or_empty_draft_cannot_leave_draft() -> None:
    """Negative totals exist only in DRAFT; the refusal points to the credit-note conversion."""
    negative = new_draft(line("10.00", quantity=-1))
    with pytest.raises(GuardFailedError, match="complete-draft.*convert_to_credit_note") as refused:
        transition(negative, Command.SUBMIT, actor=DORA, on=D0, authority=FOUR)
    assert (refused.value.guard, refused.value.actor) == ("complete-draft", "dora")
    empty = create_draft(id="E", customer=ACME, currency="EUR", actor=clerk("r"), on=D0)
    with pytest.raises(GuardFailedError, match="no lines"):
        send(empty, actor=ROBOT, on=D0, authority=TWO, sequence=SEQ)


def test_settling_follows_the_payment_that_leaves_nothing_open() -> None:
    """SETTLE is no step of its own: a partial payment keeps the state, the payment that
    leaves nothing open moves to PAID, each in one history entry."""
    sent = in_state(Status.SENT)
    with pytest.raises(TransitionNotAllowedError, match="dunlib.record_payment"):
        transition(sent, Command.SETTLE, actor=SAM, on=ON, authority=FOUR)
    part = record_payment(
        sent, Payment(on=ON, amount=eur("19.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    assert (part.status, part.open_amount) == (Status.SENT, eur("100.00"))
    assert part.history[-1].kind is EventKind.PAYMENT
    rest = record_payment(
        part, Payment(on=ON, amount=eur("100.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    assert rest.status is Status.PAID
    assert len(rest.history) == len(part.history) + 1
    entry = rest.history[-1]
    assert (entry.kind, entry.from_status, entry.to_status) == (
        EventKind.PAYMENT,
        Status.SENT,
        Status.PAID,
    )


def test_dunning_from_the_due_date_on() -> None:
    """record_stage dunns from the day after the due date while open (the debtor is late
    then); on or before it the document is a fee-less reminder that keeps the invoice SENT."""
    sent = in_state(Status.SENT)
    for early in (dt.date(2026, 1, 18), DUE):
        with pytest.raises(GuardFailedError, match="guard no-fee") as refused:
            record_stage(sent, notice(sent, early), actor=SAM, authority=Authority())
        assert refused.value.command == "ISSUE_EARLY"
        reminded = record_stage(
            sent, notice(sent, early, fee="0"), actor=SAM, authority=Authority()
        )
        assert (reminded.status, reminded.dunning_level) == (Status.SENT, 1)
    dunned = record_stage(sent, notice(sent, LATE), actor=SAM, authority=Authority())
    assert (dunned.status, dunned.fees) == (Status.DUNNED, eur("5.00"))
    assert (
        record_stage(reminded, notice(reminded, LATE), actor=SAM, authority=Authority()).status
        is Status.DUNNED
    )


def test_nothing_open_is_not_dunned() -> None:
    """An invoice with nothing open is not dunned: guard overdue (a zero invoice), or no row
    at all once it is PAID."""
    zero = transition(new_draft(line("0.00")), Command.SUBMIT, actor=DORA, on=D0, authority=FOUR)
    zero = transition(zero, Command.APPROVE, actor=RITA, on=D0, authority=FOUR)
    zero = send(zero, actor=SAM, on=D0, authority=FOUR, sequence=SEQ).invoice
    with pytest.raises(GuardFailedError, match="nothing is open"):
        record_stage(zero, notice(zero, ON), actor=SAM, authority=Authority())
    with pytest.raises(TransitionNotAllowedError, match="DUN"):
        record_stage(
            in_state(Status.PAID),
            notice(in_state(Status.PAID), ON),
            actor=SAM,
            authority=Authority(),
        )


def test_write_off_needs_something_open() -> None:
    """A dunned invoice with nothing open cannot exist (the payment settled it: PAID), and
    PAID has no WRITE_OFF row; otherwise what is open is recorded as a WriteOff and
    nothing is open afterwards."""
    dunned = in_state(Status.DUNNED)
    with pytest.raises(InvalidValueError, match="PAID, or an amount open"):
        attrs.evolve(dunned, payments=(Payment(on=ON, amount=dunned.open_amount),))
    dunned = in_state(Status.DUNNED)
    written = write_off(dunned, actor=SAM, on=ON, reason="insolvent", authority=Authority())
    assert written.write_offs == (WriteOff(on=ON, amount=eur("124.00"), reason="insolvent"),)
    assert (written.status, written.open_amount) == (Status.WRITTEN_OFF, eur("0.00"))
    with pytest.raises(TransitionNotAllowedError, match="WRITE_OFF"):
        write_off(in_state(Status.SENT), actor=SAM, on=ON, authority=Authority())


def test_steps_are_dated_in_order() -> None:
    """A step may not be dated before the invoice's last step."""
    with pytest.raises(InvalidValueError, match=r"transition.on.*on or after 2026-01-05"):
        transition(new_draft(), Command.SUBMIT, actor=DORA, on=dt.date(2026, 1, 4), authority=FOUR)
    with pytest.raises(InvalidValueError, match=r"record_payment.on.*on or after 2026-01-20"):
        record_payment(
            in_state(Status.DUNNED),
            Payment(on=D0, amount=eur("1.00")),
            actor=AUTOMATIC,
            authority=Authority(),
        )


@pytest.mark.parametrize("name", ["invoice", "command", "actor", "on", "authority"])
def test_arguments_are_type_checked(name: str) -> None:
    """Wrong argument types raise InvalidTypeError naming the parameter."""
    arguments: dict[str, object] = {
        "invoice": new_draft(),
        "command": Command.SUBMIT,
        "actor": DORA,
        "on": D0,
        "authority": FOUR,
    }
    arguments[name] = "nonsense"
    with pytest.raises(InvalidTypeError, match=f"transition.{name}"):
        transition(**arguments)  # type: ignore[arg-type]


def test_actor_and_policy_validation() -> None:
    """Roles are a collection of known role names (not one string); eyes are 2, 4 or 6."""
    assert Actor(id="a", roles=["clerk", "clerk"]).roles == {"clerk"}
    for roles in ("clerk", [1], 5):
        with pytest.raises(InvalidTypeError, match="Actor.roles"):
            Actor(id="a", roles=roles)
    for unknown in ([""], ["intern"]):
        with pytest.raises(InvalidValueError, match="Actor.roles.*one of the roles"):
            Actor(id="a", roles=unknown)
    for eyes in (0, 3, True, "4"):
        with pytest.raises(InvalidValueError, match="2, 4 or 6"):
            Authority(eyes=eyes)  # type: ignore[arg-type]


def test_a_misspelt_role_is_refused_with_a_hint() -> None:
    """A misspelt role fails when the actor is built, not when a step is silently refused."""
    with pytest.raises(InvalidValueError) as refused:
        Actor(id="sam", roles={"acountant"})
    error = refused.value
    assert (error.field, error.value) == ("Actor.roles", "acountant")
    assert "did you mean 'accountant'?" in str(error)
    assert "accountant, automation, clerk, reviewer" in str(error)
    with pytest.raises(InvalidValueError, match="did you mean 'reviewer'"):
        DEFAULT_PERMISSIONS.granting(Status.CREATED, Command.APPROVE, "reviwer")


def test_permissions_from_table_and_changes() -> None:
    """Default rights are the table's roles; granting and revoking return new sets."""
    assert DEFAULT_PERMISSIONS.roles_for(Status.CREATED, Command.APPROVE) == {REVIEWER}
    assert Permissions.from_table() == DEFAULT_PERMISSIONS
    custom = DEFAULT_PERMISSIONS.revoking(Status.DRAFT, Command.SUBMIT, CLERK).granting(
        Status.DRAFT, Command.SUBMIT, ACCOUNTANT
    )
    assert custom.roles_for(Status.DRAFT, Command.SUBMIT) == {ACCOUNTANT}
    assert (
        transition(
            new_draft(),
            Command.SUBMIT,
            actor=SAM,
            on=D0,
            authority=attrs.evolve(FOUR, permissions=custom),
        ).status
        is Status.CREATED
    )
    with pytest.raises(PermissionDeniedError, match="requires one of: accountant"):
        transition(
            new_draft(),
            Command.SUBMIT,
            actor=DORA,
            on=D0,
            authority=attrs.evolve(FOUR, permissions=custom),
        )
    empty = Permissions(grants=())
    with pytest.raises(PermissionDeniedError, match="nobody is granted it"):
        transition(
            new_draft(),
            Command.SUBMIT,
            actor=DORA,
            on=D0,
            authority=attrs.evolve(FOUR, permissions=empty),
        )
    with pytest.raises(PermissionDeniedError, match="PAY"):
        record_payment(
            in_state(Status.SENT),
            Payment(on=ON, amount=eur("1.00")),
            actor=DORA,
            authority=Authority(),
        )


@pytest.mark.parametrize(
    "grant",
    [
        (Status.PAID, Command.SEND, "clerk"),
        (Status.DRAFT, Command.SUBMIT, ""),
        (Status.DRAFT, Command.SUBMIT, "intern"),
        ("0", "SUBMIT", "clerk"),
        (),
    ],
)
def test_permissions_only_for_table_rows(grant: object) -> None:
    """A grant must be a (Status, Command, role) triple for a row of the table and a known role."""
    with pytest.raises(InvalidValueError, match="Permissions.grants"):
        Permissions(grants=[grant])
    with pytest.raises(InvalidTypeError, match="Permissions.grants"):
        Permissions(grants=5)


@given(actor=actors(), policy=authorities())
def test_refusals_are_typed_and_leave_the_invoice_alone(actor: Actor, policy: Authority) -> None:
    """Law (atomic step): a random actor's SEND either books RE-0001 or raises a typed
    StepRefusedError; either way the input invoice is unchanged."""
    reviewed = in_state(Status.REVIEWED)
    before = reviewed.history
    refusal: StepRefusedError | None = None
    try:
        result = send(reviewed, actor=actor, on=ON, authority=policy, sequence=SEQ)
    except (PermissionDeniedError, PolicyViolationError) as refused:
        refusal = refused
    else:
        assert result.invoice.number == "RE-0001"
    if refusal is not None:
        assert (refusal.invoice_id, refusal.actor) == ("INV-1", actor.id)
    assert reviewed.history == before


# -- the one booking path ------------------------------------------------------------------


BOOKING_ROWS = [
    row
    for row in ROWS
    if row.kind in (RowKind.BOOKING, RowKind.EFFECT) or row.command is Command.SEND
]


def test_the_refused_rows_are_the_documented_ones() -> None:
    """transition() refuses exactly the bookings, the effect and SEND, each documented."""
    assert set(OPERATIONS) <= {row.command for row in BOOKING_ROWS}
    assert {row.command for row in ROWS if row.kind in (RowKind.STEP, RowKind.SKIP)} == {
        Command.SUBMIT,
        Command.APPROVE,
        Command.REJECT,
        Command.SEND,
    }


@pytest.mark.parametrize(
    "row", BOOKING_ROWS, ids=lambda row: f"{row.source.name}-{row.command.name}"
)
def test_transition_refuses_bookings_and_send_naming_the_operation(row: Row) -> None:
    """transition() performs workflow steps only: a booking or effect row (DUN, SETTLE,
    CANCEL, WRITE_OFF, PAY, CREDIT, ISSUE_EARLY, PAUSE, RESUME, …) and SEND are refused with
    TransitionNotAllowedError naming the function that performs them, even to an actor
    holding every role; the invoice is left unchanged."""
    invoice = start_for(row.source, row.command)
    before = invoice.history
    boss = Actor(id="boss", roles=ALL_ROLES, automatic=row.kind is RowKind.SKIP)
    expected = OPERATIONS.get(row.command, row.operation)
    with pytest.raises(TransitionNotAllowedError) as refused:
        transition(invoice, row.command, actor=boss, on=ON, authority=TWO)
    error = refused.value
    assert error.operation == expected
    assert f"it is performed by {expected}" in str(error)
    assert (error.invoice_id, error.status, error.command, error.actor) == (
        "INV-1",
        row.source,
        row.command.name,
        "boss",
    )
    assert invoice.history == before


def test_every_refusal_carries_the_facts_of_the_step() -> None:
    """Every StepRefusedError subclass says which invoice, in which state, what was attempted
    and by whom; `except StepRefusedError` catches all four."""
    sent = in_state(Status.SENT)
    reviewed = in_state(Status.REVIEWED)

    def refusal(error_type: type[StepRefusedError], step: object) -> StepRefusedError:
        assert callable(step)
        with pytest.raises(StepRefusedError) as refused:
            step()
        assert type(refused.value) is error_type
        return refused.value

    cases = [
        (
            TransitionNotAllowedError,
            sent,
            Command.DUN,
            "sam",
            lambda: transition(sent, Command.DUN, actor=SAM, on=ON, authority=FOUR),
        ),
        (
            TransitionNotAllowedError,
            sent,
            Command.REJECT,
            "rita",
            lambda: transition(sent, Command.REJECT, actor=RITA, on=ON, authority=FOUR),
        ),
        (
            PermissionDeniedError,
            sent,
            Command.PAUSE,
            "dora",
            lambda: pause(sent, on=ON, actor=DORA, authority=Authority()),
        ),
        (
            PolicyViolationError,
            reviewed,
            Command.SEND,
            "dora",
            lambda: send(
                reviewed,
                actor=Actor(id="dora", roles={ACCOUNTANT}),
                on=ON,
                authority=FOUR,
                sequence=SEQ,
            ),
        ),
        (
            PolicyViolationError,
            sent,
            Command.CREDIT,
            "sam",
            lambda: record_credit_note(
                sent,
                CreditNote(id="G", on=ON, amount=eur("1.00"), drafted_by="sam"),
                actor=SAM,
                on=ON,
                authority=FOUR,
            ),
        ),
        (
            GuardFailedError,
            sent,
            Command.RESUME,
            "sam",
            lambda: resume(sent, on=ON, actor=SAM, authority=Authority()),
        ),
    ]
    for error_type, invoice, command, actor, step in cases:
        error = refusal(error_type, step)
        assert isinstance(error, DunlibError)
        assert (error.invoice_id, error.status, error.command, error.actor) == (
            invoice.id,
            invoice.status,
            command.name,
            actor,
        )
        assert not hasattr(error, "invoice")
        assert invoice.id in str(error)
    for error_type in (
        TransitionNotAllowedError,
        PermissionDeniedError,
        PolicyViolationError,
        GuardFailedError,
    ):
        assert issubclass(error_type, StepRefusedError)


def test_checks_come_in_order() -> None:
    """The booking path reports the first failing check: the day, then the table, then the
    rights, then the eyes policy, then the guards."""
    sent = in_state(Status.SENT)
    clerk = Actor(id="dora", roles={CLERK})
    with pytest.raises(InvalidValueError, match="transition.on"):
        transition(sent, Command.REJECT, actor=clerk, on=D0 - dt.timedelta(days=1), authority=SIX)
    with pytest.raises(TransitionNotAllowedError):
        transition(sent, Command.REJECT, actor=clerk, on=ON, authority=SIX)
    with pytest.raises(PermissionDeniedError):  # a clerk drafter: rights before the policy
        send(in_state(Status.REVIEWED), actor=clerk, on=ON, authority=SIX, sequence=SEQ)
    empty = create_draft(id="E", customer=ACME, currency="EUR", actor=ROBOT, on=D0)
    with pytest.raises(PolicyViolationError):  # a forbidden skip of an empty draft
        send(empty, actor=ROBOT, on=D0, authority=SIX, sequence=SEQ)
    with pytest.raises(GuardFailedError):
        send(empty, actor=ROBOT, on=D0, authority=TWO, sequence=SEQ)


def test_credit_note_policy_comes_before_its_guards() -> None:
    """The documented order holds for credit notes too: a drafter booking her own credit note
    is a policy violation even when the note also exceeds the open amount."""
    note = CreditNote(id="G", on=ON, amount=eur("500.00"), drafted_by="sam")
    with pytest.raises(PolicyViolationError, match="booker-not-drafter"):
        record_credit_note(in_state(Status.SENT), note, actor=SAM, on=ON, authority=FOUR)


def test_booking_path_is_atomic_for_every_operation() -> None:
    """A refused booking leaves the invoice as it was (no payment, note or notice on it)."""
    sent = in_state(Status.SENT)
    snapshot = attrs.asdict(sent, recurse=False)
    steps: list[Callable[[], object]] = [
        lambda: record_payment(
            sent, Payment(on=ON, amount=eur("1.00")), actor=DORA, authority=Authority()
        ),
        lambda: record_stage(sent, notice(sent, D0), actor=SAM, authority=Authority()),
        lambda: write_off(sent, actor=SAM, on=ON, authority=Authority()),
        lambda: resume(sent, on=ON, actor=SAM, authority=Authority()),
        lambda: record_credit_note(
            sent,
            CreditNote(id="G", on=ON, amount=eur("500.00"), drafted_by="clara"),
            actor=SAM,
            on=ON,
            authority=FOUR,
        ),
    ]
    for step in steps:
        with pytest.raises(StepRefusedError):
            step()
        assert attrs.asdict(sent, recurse=False) == snapshot


# -- automatic sending ---------------------------------------------------------------------


def reviewed_on(
    day: dt.date,
    *,
    issue_date: dt.date | None = None,
    channel: DeliveryChannel = DeliveryChannel.ONLINE,
    id: str = "INV-1",
) -> Invoice:
    draft = create_draft(
        id=id,
        customer=ACME,
        currency="EUR",
        actor=DORA,
        on=dt.date(2026, 1, 1),
        lines=[line()],
        channel=channel,
        issue_date=issue_date,
    )
    submitted = transition(
        draft, Command.SUBMIT, actor=DORA, on=dt.date(2026, 1, 1), authority=FOUR
    )
    return transition(submitted, Command.APPROVE, actor=RITA, on=day, authority=FOUR)


def test_auto_send_takes_only_invoices_reviewed_before_the_run() -> None:
    """Seed: invoices in 2 before the run started are sent; those moved to 2 later wait."""
    run = dt.date(2026, 3, 2)
    early = reviewed_on(dt.date(2026, 3, 1), id="A")
    same_day = reviewed_on(run, id="B")
    assert due_for_auto_send([early, same_day], run_started=run, today=run) == (early,)
    next_day = dt.date(2026, 3, 3)
    assert due_for_auto_send([same_day], run_started=next_day, today=next_day) == (same_day,)


def test_auto_send_waits_for_the_invoice_date() -> None:
    """Invoices dated after today wait; today or earlier (inclusive) go out."""
    run = dt.date(2026, 3, 2)
    future = reviewed_on(dt.date(2026, 2, 1), issue_date=dt.date(2026, 3, 3), id="F")
    today = reviewed_on(dt.date(2026, 2, 1), issue_date=run, id="T")
    assert due_for_auto_send([future, today], run_started=run, today=run) == (today,)
    assert due_for_auto_send([future], run_started=run, today=dt.date(2026, 3, 3)) == (future,)


def test_auto_send_ignores_paper_and_other_states() -> None:
    """Paper invoices are never sent automatically; only invoices in REVIEWED are."""
    run = dt.date(2026, 3, 2)
    paper = reviewed_on(dt.date(2026, 2, 1), channel=DeliveryChannel.PAPER)
    others = [paper, in_state(Status.CREATED), in_state(Status.SENT)]
    assert due_for_auto_send(others, run_started=run, today=run) == ()


def test_auto_send_sends_what_goes_by_e_mail_for_customers_sent_to_automatically() -> None:
    """Seed 000: the send mode is chosen per customer. An invoice for a customer set to
    manual sending waits for a person; one going by e-mail and on paper is sent like an
    online invoice (and printed like a paper one)."""
    run = dt.date(2026, 3, 2)
    both = reviewed_on(dt.date(2026, 2, 1), channel=DeliveryChannel.BOTH, id="B")
    manual = attrs.evolve(
        reviewed_on(dt.date(2026, 2, 1), id="M"),
        customer=attrs.evolve(ACME, send_mode=SendMode.MANUAL),
    )
    assert due_for_auto_send([both, manual], run_started=run, today=run) == (both,)


def test_a_draft_takes_its_customer_s_channel_unless_given() -> None:
    """A new draft goes out as its customer's invoices go (Customer.channel), unless the
    draft is given its own channel."""
    paper = attrs.evolve(ACME, channel=DeliveryChannel.PAPER)
    draft = create_draft(id="P", customer=paper, currency="EUR", actor=DORA, on=D0)
    assert draft.channel is DeliveryChannel.PAPER
    online = create_draft(
        id="O", customer=paper, currency="EUR", actor=DORA, on=D0,
        channel=DeliveryChannel.ONLINE,
    )  # fmt: skip
    assert online.channel is DeliveryChannel.ONLINE


def test_auto_send_needs_the_history_to_show_the_review() -> None:
    """An invoice whose history does not show when it entered REVIEWED is not sent."""
    with pytest.raises(InvalidValueError, match="DRAFT without a history"):
        Invoice(id="X", customer=ACME, currency="EUR", issue_date=D0, status=Status.REVIEWED)
    negative = attrs.evolve(reviewed_on(D0), lines=(line(quantity=-1),))
    assert due_for_auto_send([negative], run_started=ON, today=ON) == ()


def test_auto_send_checks_its_arguments() -> None:
    """The run cannot start after today; invoices must be an iterable of Invoices."""
    with pytest.raises(InvalidValueError, match="run_started"):
        due_for_auto_send([], run_started=dt.date(2026, 3, 3), today=dt.date(2026, 3, 2))
    with pytest.raises(InvalidTypeError, match="invoices"):
        due_for_auto_send(["INV-1"], run_started=ON, today=ON)  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="invoices"):
        due_for_auto_send(5, run_started=ON, today=ON)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        due_for_auto_send([], ON, ON)  # type: ignore[call-arg]


def test_auto_send_then_robot_sends() -> None:
    """The selected invoices are sent by the automatic actor, numbered in order."""
    run = dt.date(2026, 3, 2)
    batch = [reviewed_on(dt.date(2026, 3, 1), id=f"INV-{n}") for n in range(3)]
    sequence = SEQ
    numbers = []
    for invoice in due_for_auto_send(batch, run_started=run, today=run):
        result = send(invoice, actor=ROBOT, on=run, authority=SIX, sequence=sequence)
        sequence = result.sequence
        numbers.append(result.invoice.number)
    assert numbers == ["RE-0001", "RE-0002", "RE-0003"]


def test_history_entry_kinds_are_kept() -> None:
    """Steps are appended as TRANSITION entries after the CREATED entry; bookings by kind."""
    invoice = in_state(Status.SENT)
    assert [e.kind for e in invoice.history] == [EventKind.CREATED] + [EventKind.TRANSITION] * 3
    assert isinstance(invoice.history[0], HistoryEntry)
    assert in_state(Status.DUNNED).history[-1].kind is EventKind.STAGE_ISSUED
    assert in_state(Status.WRITTEN_OFF).history[-1].kind is EventKind.WRITE_OFF
