"""transition(): the table, rights, the 2/4/6-eye policy, guards, booking; automatic sending."""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import given

from dunlib import (
    Customer,
    DeliveryChannel,
    EventKind,
    GuardFailedError,
    HistoryEntry,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PermissionDeniedError,
    PolicyViolationError,
    TransitionNotAllowedError,
)
from dunlib.documents import cancel, credit
from dunlib.drafts import create_draft
from dunlib.strategies import actors, approval_policies
from dunlib.transitions import ROWS, Guard, RowKind
from dunlib.workflow import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    DEFAULT_PERMISSIONS,
    REVIEWER,
    TRANSITIONS,
    Act,
    Actor,
    ApprovalPolicy,
    Command,
    Permissions,
    PolicyRule,
    Status,
    Transitioned,
    check_step,
    due_for_auto_send,
    round_acts,
    transition,
)

ACME = Customer(id="C-1", name="ACME GmbH")
D0 = dt.date(2026, 1, 5)
ON = dt.date(2026, 3, 2)
SEQ = NumberSequence(prefix="RE-", width=4)
TWO, FOUR, SIX = ApprovalPolicy(eyes=2), ApprovalPolicy(eyes=4), ApprovalPolicy(eyes=6)
ALL_ROLES = frozenset({CLERK, REVIEWER, ACCOUNTANT, AUTOMATION})

DORA = Actor(id="dora", roles={CLERK})
RITA = Actor(id="rita", roles={REVIEWER})
SAM = Actor(id="sam", roles={ACCOUNTANT})
ROBOT = Actor(id="robot", roles={AUTOMATION}, automatic=True)

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


def line(price: str = "100.00", quantity: int = 1) -> LineItem:
    return LineItem(
        description="Consulting", quantity=quantity, unit_price=Money(price, "EUR"), tax_rate=19
    )


def new_draft(*lines: LineItem, creator: str = "dora") -> Invoice:
    return create_draft(
        id="INV-1",
        customer=ACME,
        currency="EUR",
        actor=creator,
        on=D0,
        lines=lines or (line(),),
    )


def in_state(status: Status) -> Invoice:
    """An invoice brought into ``status`` by distinct actors (valid under every policy)."""
    invoice = new_draft()
    if status is Status.DRAFT:
        return invoice
    invoice = transition(invoice, Command.SUBMIT, actor=DORA, on=D0, policy=SIX)
    if status is Status.CREATED:
        return invoice
    invoice = transition(invoice, Command.APPROVE, actor=RITA, on=D0, policy=SIX)
    if status is Status.REVIEWED:
        return invoice
    invoice = send(invoice, actor=SAM, on=D0, policy=SIX, sequence=SEQ).invoice
    if status is Status.SENT:
        return invoice
    if status is Status.PAID:
        return credit(invoice, id="G-1", actor="sam", on=D0).invoice
    if status is Status.CANCELLED:
        return cancel(invoice, id="S-1", actor=SAM, on=D0, sequence=SEQ.take()[1]).original
    invoice = transition(invoice, Command.DUN, actor=SAM, on=invoice.due_date, policy=SIX)
    if status is Status.DUNNED:
        return invoice
    return transition(invoice, Command.WRITE_OFF, actor=SAM, on=invoice.due_date, policy=SIX)


def paid_up(invoice: Invoice) -> Invoice:
    """The invoice with a payment of its whole open amount recorded (status unchanged)."""
    payment = Payment(on=invoice.history[-1].on, amount=invoice.open_amount)
    return attrs.evolve(invoice, payments=(payment,))


@pytest.mark.parametrize(
    ("status", "command", "eyes"), list(itertools.product(Status, Command, (2, 4, 6)))
)
def test_every_pair_under_every_policy(status: Status, command: Command, eyes: int) -> None:
    """Exhaustive: each (Status, Command) moves per the table or raises the typed error.

    The actor holds every role and is automatic exactly for skips; a pair outside the
    table is TransitionNotAllowedError, a skip the policy forbids PolicyViolationError,
    CANCEL outside documents.cancel GuardFailedError, and everything else moves.
    """
    policy = ApprovalPolicy(eyes=eyes)
    invoice = in_state(status)
    if command is Command.SETTLE and status in (Status.SENT, Status.DUNNED):
        invoice = paid_up(invoice)
    key = (status, command)
    if key not in TRANSITIONS:
        with pytest.raises(TransitionNotAllowedError, match=command.name):
            transition(
                invoice, command, actor=Actor(id="zoe", roles=ALL_ROLES), on=ON, policy=policy
            )
        return
    row = next(row for row in ROWS if (row.source, row.command) == key)
    zoe = Actor(id="zoe", roles=ALL_ROLES, automatic=row.kind is RowKind.SKIP)
    if row.kind is RowKind.SKIP and key not in ALLOWED_SKIPS[eyes]:
        with pytest.raises(PolicyViolationError) as refused:
            transition(invoice, command, actor=zoe, on=ON, policy=policy, sequence=SEQ)
        assert refused.value.rule == PolicyRule.SKIP_NOT_ALLOWED
        return
    if command is Command.CANCEL:
        with pytest.raises(GuardFailedError, match="documents.cancel"):
            transition(invoice, command, actor=zoe, on=ON, policy=policy, sequence=SEQ)
        return
    moved = transition(invoice, command, actor=zoe, on=ON, policy=policy, sequence=SEQ).invoice
    assert moved.status is TRANSITIONS[key]
    assert moved.history[:-1] == invoice.history
    assert (moved.history[-1].from_status, moved.history[-1].actor) == (status, "zoe")
    assert moved.lines == invoice.lines


@pytest.mark.parametrize(("status", "command"), sorted(TRANSITIONS, key=str))
def test_every_row_needs_a_granted_role(status: Status, command: Command) -> None:
    """Without a granted role, every row is refused with who, what and the roles needed."""
    nobody = Actor(id="nina", roles={"intern"}, automatic=True)
    with pytest.raises(PermissionDeniedError) as refused:
        transition(in_state(status), command, actor=nobody, on=ON, policy=TWO, sequence=SEQ)
    error = refused.value
    assert (error.actor, error.command, error.status) == ("nina", command.name, status)
    assert error.roles == ["intern"]
    row = next(row for row in ROWS if (row.source, row.command) == (status, command))
    assert error.required == sorted(row.roles)
    assert "nina (roles: intern) may not" in str(error)


@pytest.mark.parametrize("eyes", [2, 4, 6])
@pytest.mark.parametrize("key", sorted(ALLOWED_SKIPS[2], key=str))
def test_people_never_skip(key: tuple[Status, Command], eyes: int) -> None:
    """A person (not automatic) may not skip a state under any policy, even with the role."""
    person = Actor(id="pat", roles=ALL_ROLES)
    with pytest.raises(PolicyViolationError, match="people-do-not-skip") as refused:
        transition(
            in_state(key[0]),
            key[1],
            actor=person,
            on=ON,
            policy=ApprovalPolicy(eyes=eyes),
            sequence=SEQ,
        )
    assert refused.value.rule == PolicyRule.PEOPLE_DO_NOT_SKIP


@pytest.mark.parametrize("eyes", [2, 4, 6])
def test_allowed_skips_per_policy(eyes: int) -> None:
    """2 eyes: all three skips; 4 eyes: 0→2 and 1→3; 6 eyes: none."""
    assert ApprovalPolicy(eyes=eyes).allowed_skips == ALLOWED_SKIPS[eyes]


def test_two_eyes_one_person_from_draft_to_sent() -> None:
    """2 eyes: one person may take an invoice from 0 to 3 step by step."""
    solo = Actor(id="solo", roles=ALL_ROLES)
    invoice = create_draft(
        id="I", customer=ACME, currency="EUR", actor="solo", on=D0, lines=[line()]
    )
    invoice = transition(invoice, Command.SUBMIT, actor=solo, on=D0, policy=TWO)
    invoice = transition(invoice, Command.APPROVE, actor=solo, on=D0, policy=TWO)
    assert send(invoice, actor=solo, on=D0, policy=TWO, sequence=SEQ).invoice.number == "RE-0001"
    for policy in (FOUR, SIX):
        with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
            send(invoice, actor=solo, on=D0, policy=policy, sequence=SEQ)


def test_four_eyes_creator_may_not_send() -> None:
    """4 eyes: whoever created the draft counts as drafter, even if another submitted it."""
    clerk = Actor(id="carl", roles={CLERK, REVIEWER})
    invoice = transition(
        new_draft(creator="alice"), Command.SUBMIT, actor=clerk, on=D0, policy=FOUR
    )
    invoice = transition(invoice, Command.APPROVE, actor=clerk, on=D0, policy=FOUR)
    alice = Actor(id="alice", roles={ACCOUNTANT})
    with pytest.raises(PolicyViolationError) as refused:
        send(invoice, actor=alice, on=D0, policy=FOUR, sequence=SEQ)
    assert str(refused.value) == (
        "alice may not SEND invoice INV-1 in state 2 REVIEWED: 4-eye policy, rule "
        "sender-not-drafter: alice drafted this invoice; someone else must send it"
    )
    assert send(invoice, actor=SAM, on=D0, policy=FOUR, sequence=SEQ).invoice.status is Status.SENT


def test_four_eyes_drafter_may_review() -> None:
    """4 eyes: the drafter may also review; only the sender must differ."""
    invoice = transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, policy=FOUR)
    both = Actor(id="dora", roles={REVIEWER})
    assert (
        transition(invoice, Command.APPROVE, actor=both, on=D0, policy=FOUR).status
        is Status.REVIEWED
    )


def test_six_eyes_needs_three_people() -> None:
    """6 eyes: the drafter may not review, the reviewer may not send; three people pass."""
    invoice = transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, policy=SIX)
    with pytest.raises(PolicyViolationError, match="reviewer-not-drafter"):
        transition(
            invoice, Command.APPROVE, actor=Actor(id="dora", roles={REVIEWER}), on=D0, policy=SIX
        )
    invoice = transition(invoice, Command.APPROVE, actor=RITA, on=D0, policy=SIX)
    with pytest.raises(PolicyViolationError, match="sender-not-reviewer"):
        send(invoice, actor=Actor(id="rita", roles={ACCOUNTANT}), on=D0, policy=SIX, sequence=SEQ)
    with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
        send(invoice, actor=Actor(id="dora", roles={ACCOUNTANT}), on=D0, policy=SIX, sequence=SEQ)
    assert send(invoice, actor=SAM, on=D0, policy=SIX, sequence=SEQ).invoice.status is Status.SENT


def test_rejection_starts_a_new_round_for_review_and_sending() -> None:
    """After a rejection earlier reviews no longer count (the old reviewer may now send), but
    the drafter stays a drafter."""
    invoice = transition(in_state(Status.REVIEWED), Command.REJECT, actor=RITA, on=D0, policy=SIX)
    assert round_acts(invoice) == {
        Act.DRAFT: frozenset({"dora"}),
        Act.REVIEW: frozenset(),
        Act.SEND: frozenset(),
    }
    bob = Actor(id="bob", roles={CLERK})
    invoice = transition(invoice, Command.SUBMIT, actor=bob, on=D0, policy=SIX)
    with pytest.raises(PolicyViolationError, match="reviewer-not-drafter"):
        transition(
            invoice, Command.APPROVE, actor=Actor(id="dora", roles={REVIEWER}), on=D0, policy=SIX
        )
    invoice = transition(
        invoice, Command.APPROVE, actor=Actor(id="vera", roles={REVIEWER}), on=D0, policy=SIX
    )
    rita = Actor(id="rita", roles={ACCOUNTANT})
    assert send(invoice, actor=rita, on=D0, policy=SIX, sequence=SEQ).invoice.status is Status.SENT


@pytest.mark.parametrize("resubmit_by_robot", [True, False])
def test_four_eyes_author_may_not_send_after_a_rejection(resubmit_by_robot: bool) -> None:
    """4 eyes: an author who rejects her own draft and has it resubmitted (by a robot's
    0→2 skip or by a colleague) still may not send it herself."""
    alice = Actor(id="alice", roles={CLERK, REVIEWER, ACCOUNTANT})
    invoice = transition(
        new_draft(creator="alice"), Command.SUBMIT, actor=alice, on=D0, policy=FOUR
    )
    invoice = transition(invoice, Command.REJECT, actor=alice, on=D0, policy=FOUR)
    if resubmit_by_robot:
        robot = Actor(id="robot", roles={AUTOMATION}, automatic=True)
        invoice = transition(invoice, Command.APPROVE, actor=robot, on=D0, policy=FOUR)
    else:
        invoice = transition(invoice, Command.SUBMIT, actor=DORA, on=D0, policy=FOUR)
        invoice = transition(invoice, Command.APPROVE, actor=RITA, on=D0, policy=FOUR)
    with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
        send(invoice, actor=alice, on=D0, policy=FOUR, sequence=SEQ)
    assert send(invoice, actor=SAM, on=D0, policy=FOUR, sequence=SEQ).invoice.number


def test_automatic_skips_under_four_eyes() -> None:
    """4 eyes: a robot may book 1→3 a draft a person submitted, not one it drafted itself."""
    submitted = transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, policy=FOUR)
    sent = send(submitted, actor=ROBOT, on=D0, policy=FOUR, sequence=SEQ).invoice
    assert sent.history[-1].detail.endswith("[automatic]")
    robot = Actor(id="robot", roles={AUTOMATION, CLERK}, automatic=True)
    own = transition(new_draft(creator="robot"), Command.SUBMIT, actor=robot, on=D0, policy=FOUR)
    with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
        send(own, actor=robot, on=D0, policy=FOUR, sequence=SEQ)
    reviewed = transition(
        new_draft(creator="robot"), Command.APPROVE, actor=robot, on=D0, policy=FOUR
    )
    assert round_acts(reviewed)[Act.REVIEW] == {"robot"}
    assert send(reviewed, actor=SAM, on=D0, policy=FOUR, sequence=SEQ).invoice.number == "RE-0001"


def test_creation_straight_into_reviewed_counts_as_draft_and_review() -> None:
    """An invoice created straight into REVIEWED (a contract series) was drafted and reviewed
    by its creator, so under 4 and 6 eyes the creator may not send it."""
    base = new_draft(creator="series")
    entry = attrs.evolve(base.history[0], to_status=Status.REVIEWED)
    invoice = attrs.evolve(base, status=Status.REVIEWED, history=(entry,))
    series = Actor(id="series", roles={AUTOMATION}, automatic=True)
    assert round_acts(invoice)[Act.REVIEW] == {"series"}
    with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
        send(invoice, actor=series, on=D0, policy=FOUR, sequence=SEQ)
    assert send(invoice, actor=series, on=D0, policy=TWO, sequence=SEQ).invoice.number


def test_steps_without_actor_are_not_acts() -> None:
    """History entries without an actor (a booking imported with Invoice.sent) count for nobody."""
    imported = Invoice.sent(number="RE-9", customer=ACME, gross=Money("1.00", "EUR"), issue_date=D0)
    assert imported.history[0].actor == ""
    assert round_acts(imported) == {act: frozenset() for act in Act}


def test_send_books_number_date_and_due_date() -> None:
    """SEND: next number; invoice date becomes the send day (no back- or forward-dating);
    due date recomputed from the terms."""
    reviewed = in_state(Status.REVIEWED)
    late = dt.date(2026, 2, 20)
    result = send(reviewed, actor=SAM, on=late, policy=FOUR, sequence=SEQ)
    assert isinstance(result, Transitioned)
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
        send(reviewed, actor=Actor(id="dora", roles={ACCOUNTANT}), on=D0, policy=SIX, sequence=SEQ)
    assert send(reviewed, actor=SAM, on=D0, policy=SIX, sequence=SEQ).invoice.number == "RE-0001"


def test_send_needs_a_sequence() -> None:
    """SEND without a NumberSequence is a caller mistake; other steps return the invoice."""
    with pytest.raises(InvalidValueError, match="transition.sequence"):
        send(in_state(Status.REVIEWED), actor=SAM, on=D0, policy=FOUR)
    with pytest.raises(InvalidTypeError, match="transition.sequence"):
        send(in_state(Status.REVIEWED), actor=SAM, on=D0, policy=FOUR, sequence="RE-1")  # type: ignore[call-overload]
    submitted = transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, policy=FOUR)
    assert isinstance(submitted, Invoice)
    kept = transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, policy=FOUR, sequence=SEQ)
    assert kept.sequence is SEQ


def test_negative_or_empty_draft_cannot_leave_draft() -> None:
    """Negative totals exist only in DRAFT; the refusal points to the credit-note conversion."""
    negative = new_draft(line("10.00", quantity=-1))
    with pytest.raises(GuardFailedError, match="complete-draft.*convert_to_credit_note") as refused:
        transition(negative, Command.SUBMIT, actor=DORA, on=D0, policy=FOUR)
    assert (refused.value.guard, refused.value.actor) == ("complete-draft", "dora")
    empty = create_draft(id="E", customer=ACME, currency="EUR", actor="r", on=D0)
    robot = Actor(id="robot", roles={AUTOMATION}, automatic=True)
    with pytest.raises(GuardFailedError, match="no lines"):
        send(empty, actor=robot, on=D0, policy=TWO, sequence=SEQ)


def test_settle_needs_nothing_open() -> None:
    """SETTLE is refused while an amount is open."""
    with pytest.raises(GuardFailedError, match=r"119.00 EUR is still open"):
        transition(in_state(Status.SENT), Command.SETTLE, actor=SAM, on=ON, policy=FOUR)


def test_dunning_from_the_due_date_on() -> None:
    """DUN is refused before the due date and allowed on it (inclusive) while open."""
    sent = in_state(Status.SENT)
    with pytest.raises(GuardFailedError, match="not due yet: the due date is 2026-01-19"):
        transition(sent, Command.DUN, actor=SAM, on=dt.date(2026, 1, 18), policy=FOUR)
    assert (
        transition(sent, Command.DUN, actor=SAM, on=sent.due_date, policy=FOUR).status
        is Status.DUNNED
    )
    with pytest.raises(GuardFailedError, match="nothing is open"):
        transition(paid_up(sent), Command.DUN, actor=SAM, on=ON, policy=FOUR)


def test_write_off_needs_something_open() -> None:
    """WRITE_OFF of a dunned invoice with nothing open is refused."""
    with pytest.raises(GuardFailedError, match="guard open"):
        transition(
            paid_up(in_state(Status.DUNNED)), Command.WRITE_OFF, actor=SAM, on=ON, policy=FOUR
        )


def test_steps_are_dated_in_order() -> None:
    """A step may not be dated before the invoice's last step."""
    with pytest.raises(InvalidValueError, match="on or after 2026-01-05"):
        transition(new_draft(), Command.SUBMIT, actor=DORA, on=dt.date(2026, 1, 4), policy=FOUR)


@pytest.mark.parametrize("position", range(5))
def test_arguments_are_type_checked(position: int) -> None:
    """Wrong argument types raise InvalidTypeError naming the parameter."""
    arguments: list[object] = [new_draft(), Command.SUBMIT, DORA, D0, FOUR]
    arguments[position] = "nonsense"
    with pytest.raises(InvalidTypeError, match="transition"):
        transition(*arguments)  # type: ignore[call-overload]
    with pytest.raises(InvalidTypeError, match="permissions"):
        transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, policy=FOUR, permissions={})  # type: ignore[call-overload]


def test_actor_and_policy_validation() -> None:
    """Roles are a collection of names (not one string); eyes are 2, 4 or 6."""
    assert Actor(id="a", roles=["clerk", "clerk"]).roles == {"clerk"}
    for roles in ("clerk", [""], [1], 5):
        with pytest.raises(InvalidTypeError, match="Actor.roles"):
            Actor(id="a", roles=roles)
    for eyes in (0, 3, True, "4"):
        with pytest.raises(InvalidValueError, match="2, 4 or 6"):
            ApprovalPolicy(eyes=eyes)  # type: ignore[arg-type]


def test_permissions_from_table_and_changes() -> None:
    """Default rights are the table's roles; granting and revoking return new sets."""
    assert DEFAULT_PERMISSIONS.roles_for(Status.CREATED, Command.APPROVE) == {REVIEWER}
    custom = DEFAULT_PERMISSIONS.revoking(Status.DRAFT, Command.SUBMIT, CLERK).granting(
        Status.DRAFT, Command.SUBMIT, "intern"
    )
    intern = Actor(id="ian", roles={"intern"})
    assert (
        transition(
            new_draft(), Command.SUBMIT, actor=intern, on=D0, policy=FOUR, permissions=custom
        ).status
        is Status.CREATED
    )
    with pytest.raises(PermissionDeniedError, match="requires one of: intern"):
        transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, policy=FOUR, permissions=custom)
    empty = Permissions(grants=())
    with pytest.raises(PermissionDeniedError, match="nobody is granted it"):
        transition(new_draft(), Command.SUBMIT, actor=DORA, on=D0, policy=FOUR, permissions=empty)


@pytest.mark.parametrize(
    "grant",
    [
        (Status.PAID, Command.SEND, "x"),
        (Status.DRAFT, Command.SUBMIT, ""),
        ("0", "SUBMIT", "x"),
        (),
    ],
)
def test_permissions_only_for_table_rows(grant: object) -> None:
    """A grant must be a (Status, Command, role) triple for a row of the table."""
    with pytest.raises(InvalidValueError, match="Permissions.grants"):
        Permissions(grants=[grant])
    with pytest.raises(InvalidTypeError, match="Permissions.grants"):
        Permissions(grants=5)


@given(actor=actors(), policy=approval_policies())
def test_refusals_are_typed_and_leave_the_invoice_alone(
    actor: Actor, policy: ApprovalPolicy
) -> None:
    """Law (atomic step): a random actor's SEND either books RE-0001 or raises a DunlibError;
    either way the input invoice is unchanged."""
    reviewed = in_state(Status.REVIEWED)
    before = reviewed.history
    try:
        result = send(reviewed, actor=actor, on=ON, policy=policy, sequence=SEQ)
    except (PermissionDeniedError, PolicyViolationError):
        pass
    else:
        assert result.invoice.number == "RE-0001"
    assert reviewed.history == before


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
        actor="dora",
        on=dt.date(2026, 1, 1),
        lines=[line()],
        channel=channel,
        issue_date=issue_date,
    )
    submitted = transition(draft, Command.SUBMIT, actor=DORA, on=dt.date(2026, 1, 1), policy=FOUR)
    return transition(submitted, Command.APPROVE, actor=RITA, on=day, policy=FOUR)


def test_auto_send_takes_only_invoices_reviewed_before_the_run() -> None:
    """Seed: invoices in 2 before the run started are sent; those moved to 2 later wait."""
    run = dt.date(2026, 3, 2)
    early = reviewed_on(dt.date(2026, 3, 1), id="A")
    same_day = reviewed_on(run, id="B")
    assert due_for_auto_send([early, same_day], run, run) == (early,)
    assert due_for_auto_send([same_day], dt.date(2026, 3, 3), dt.date(2026, 3, 3)) == (same_day,)


def test_auto_send_waits_for_the_invoice_date() -> None:
    """Invoices dated after today wait; today or earlier (inclusive) go out."""
    run = dt.date(2026, 3, 2)
    future = reviewed_on(dt.date(2026, 2, 1), issue_date=dt.date(2026, 3, 3), id="F")
    today = reviewed_on(dt.date(2026, 2, 1), issue_date=run, id="T")
    assert due_for_auto_send([future, today], run, run) == (today,)
    assert due_for_auto_send([future], run, dt.date(2026, 3, 3)) == (future,)


def test_auto_send_ignores_paper_and_other_states() -> None:
    """Paper invoices are never sent automatically; only invoices in REVIEWED are."""
    run = dt.date(2026, 3, 2)
    paper = reviewed_on(dt.date(2026, 2, 1), channel=DeliveryChannel.PAPER)
    assert (
        due_for_auto_send([paper, in_state(Status.CREATED), in_state(Status.SENT)], run, run) == ()
    )


def test_auto_send_needs_the_history_to_show_the_review() -> None:
    """An invoice whose history does not show when it entered REVIEWED is not sent."""
    bare = Invoice(
        id="X", customer=ACME, currency="EUR", issue_date=D0, lines=[line()], status=Status.REVIEWED
    )
    assert due_for_auto_send([bare], ON, ON) == ()
    negative = attrs.evolve(reviewed_on(D0), lines=(line(quantity=-1),))
    assert due_for_auto_send([negative], ON, ON) == ()


def test_auto_send_checks_its_arguments() -> None:
    """The run cannot start after today; invoices must be Invoices."""
    with pytest.raises(InvalidValueError, match="run_started"):
        due_for_auto_send([], dt.date(2026, 3, 3), dt.date(2026, 3, 2))
    with pytest.raises(InvalidTypeError, match="invoices"):
        due_for_auto_send(["INV-1"], ON, ON)  # type: ignore[list-item]


def test_auto_send_then_robot_sends() -> None:
    """The selected invoices are sent by the automatic actor, numbered in order."""
    run = dt.date(2026, 3, 2)
    batch = [reviewed_on(dt.date(2026, 3, 1), id=f"INV-{n}") for n in range(3)]
    sequence = SEQ
    numbers = []
    for invoice in due_for_auto_send(batch, run, run):
        result = send(invoice, actor=ROBOT, on=run, policy=SIX, sequence=sequence)
        sequence = result.sequence
        numbers.append(result.invoice.number)
    assert numbers == ["RE-0001", "RE-0002", "RE-0003"]


def test_history_entry_kinds_are_kept() -> None:
    """Steps are appended as TRANSITION entries after the CREATED entry."""
    invoice = in_state(Status.SENT)
    assert [e.kind for e in invoice.history] == [EventKind.CREATED] + [EventKind.TRANSITION] * 3
    assert isinstance(invoice.history[0], HistoryEntry)


def test_check_step_checks_everything_and_changes_nothing() -> None:
    """check_step returns the row a step would apply after every check, and raises the same
    typed errors as transition; the invoice is not touched."""
    created = in_state(Status.CREATED)
    row = check_step(created, Command.APPROVE, RITA, D0, SIX)
    assert (row.source, row.command, row.target) == (
        Status.CREATED,
        Command.APPROVE,
        Status.REVIEWED,
    )
    assert created.status is Status.CREATED
    with pytest.raises(PermissionDeniedError):
        check_step(created, Command.APPROVE, DORA, D0, SIX)
    with pytest.raises(InvalidValueError, match="transition.on"):
        check_step(created, Command.APPROVE, RITA, D0 - dt.timedelta(days=1), SIX)
    sent = in_state(Status.SENT)
    with pytest.raises(GuardFailedError, match="cancelling-invoice"):
        check_step(sent, Command.CANCEL, SAM, D0, SIX)
    cancelling = frozenset({Guard.CANCELLING_INVOICE})
    assert check_step(sent, Command.CANCEL, SAM, D0, SIX, skip_guards=cancelling).target is (
        Status.CANCELLED
    )
