"""Rights everywhere a person acts: customer-account changes and draft line edits are
checked like an invoice's steps, and whoever edits a draft's lines counts as its drafter."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, D0, DORA, DUE, ROBOT, SAM, eur, line, sent
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    Command,
    CustomerAccount,
    DunlibError,
    Hold,
    HoldKind,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    NumberSequence,
    Payment,
    PermissionDeniedError,
    PolicyViolationError,
    Status,
    add_line,
    create_draft,
    hold_account,
    keep_credit,
    keep_overpayment,
    lift_account_hold,
    record_payment,
    remove_line,
    replace_line,
    send,
    switch_dunning,
    switch_fees,
    transition,
    use_credit,
)
from dunlib.core import AccountPermissionDeniedError
from dunlib.core.transitions import ACCOUNTANT, CLERK, REVIEWER, ROLES
from dunlib.strategies import customer_accounts, permissions
from dunlib.workflow.policy import DEFAULT_PERMISSIONS, Operation, Permissions

EMPTY = CustomerAccount(customer_id=ACME.id)
INTERN = Actor(id="intern", roles={CLERK})
HELD = hold_account(
    EMPTY, Hold.dispute(on=DUE, reason="contested"), actor=SAM, authority=Authority()
)
FUNDED = keep_credit(
    EMPTY, eur("50.00"), on=DUE, actor=SAM, reason="credit note GS-1", authority=Authority()
)
OVERPAID = record_payment(
    sent(), Payment(on=DUE, amount=eur("150.00")), actor=AUTOMATIC, authority=Authority()
)


def _under(rights: Permissions | None) -> Authority:
    """The authority with ``rights`` (None: the table's)."""
    return Authority() if rights is None else Authority(permissions=rights)


AccountChange = Callable[[CustomerAccount, Actor, Permissions | None], object]
"""One account change by an actor under permissions (None: the defaults), on or after DUE."""

CHANGES: dict[Operation, AccountChange] = {
    Operation.SWITCH_DUNNING: lambda account, actor, rights: switch_dunning(
        account, enabled=False, on=DUE, actor=actor, authority=_under(rights)
    ),
    Operation.SWITCH_FEES: lambda account, actor, rights: switch_fees(
        account, enabled=False, on=DUE, actor=actor, authority=_under(rights)
    ),
    Operation.HOLD_ACCOUNT: lambda account, actor, rights: hold_account(
        account,
        Hold.promise_to_pay(on=DUE, until=DUE, reason="by 10 May"),
        actor=actor,
        authority=_under(rights),
    ),
    Operation.LIFT_ACCOUNT_HOLD: lambda account, actor, rights: lift_account_hold(
        account, HoldKind.DISPUTE, on=DUE, actor=actor, authority=_under(rights)
    ),
    Operation.KEEP_CREDIT: lambda account, actor, rights: keep_credit(
        account,
        eur("119.00"),
        on=DUE,
        actor=actor,
        reason="x",
        authority=_under(rights),
    ),
    Operation.KEEP_OVERPAYMENT: lambda account, actor, rights: keep_overpayment(
        account, OVERPAID, actor=actor, authority=_under(rights)
    ),
    Operation.USE_CREDIT: lambda account, actor, rights: use_credit(
        account, sent(number="RE-2"), on=DUE, actor=actor, authority=_under(rights)
    ),
}
"""Every public function that changes a customer's account, by the operation it performs."""


def test_an_intern_cannot_make_credit_that_pays_an_invoice() -> None:
    """Finding: ``keep_credit(..., actor="intern")`` kept 119.00 of credit that
    ``use_credit`` (as AUTOMATIC) booked as a payment, and the invoice went to PAID. Now an
    id is no actor (InvalidTypeError naming the field), and an actor whose roles do not
    grant an account change is refused with a PermissionDeniedError naming the actor, the
    roles, the operation and the customer; the account is unchanged."""
    with pytest.raises(InvalidTypeError, match="keep_credit.actor"):
        keep_credit(EMPTY, eur("119.00"), on=DUE, actor="intern", reason="x", authority=Authority())  # type: ignore[arg-type]
    for operation, change in CHANGES.items():
        account = FUNDED if operation is Operation.USE_CREDIT else HELD
        before = copy.deepcopy(account)
        with pytest.raises(PermissionDeniedError) as refused:
            change(account, INTERN, None)
        assert account == before
        assert (refused.value.actor, refused.value.roles) == ("intern", ["clerk"])
        assert refused.value.command == operation.name
        assert f"the account of customer {ACME.id}" in str(refused.value)
    assert sent().status is Status.SENT
    kept = keep_credit(EMPTY, eur("119.00"), on=DUE, actor=SAM, reason="x", authority=Authority())
    assert kept.history[-1].actor == "sam"
    paid = use_credit(kept, sent(), on=DUE, actor=AUTOMATIC, authority=Authority())
    assert (paid.invoice.status, paid.account.history[-1].actor) == (Status.PAID, "automatic")


def test_account_rights_follow_the_callers_permissions() -> None:
    """``permissions=`` applies to account changes as to an invoice's steps: a right
    granted lets the intern keep credit, a right revoked refuses the accountant."""
    granted = DEFAULT_PERMISSIONS.granting_operation(Operation.KEEP_CREDIT, CLERK)
    assert CHANGES[Operation.KEEP_CREDIT](EMPTY, INTERN, granted) != EMPTY
    revoked = DEFAULT_PERMISSIONS.revoking_operation(Operation.SWITCH_DUNNING, ACCOUNTANT)
    with pytest.raises(PermissionDeniedError, match="requires one of: nobody is granted it"):
        CHANGES[Operation.SWITCH_DUNNING](EMPTY, SAM, revoked)
    with pytest.raises(InvalidTypeError, match="switch_fees.authority"):
        switch_fees(EMPTY, enabled=False, on=DUE, actor=SAM, authority=revoked)  # type: ignore[arg-type]
    assert keep_overpayment(EMPTY, OVERPAID, actor=ROBOT, authority=Authority()).credit(
        "EUR", today=DUE
    ) == eur("31.00")
    with pytest.raises(PermissionDeniedError, match="KEEP_CREDIT"):
        keep_credit(
            EMPTY, eur("1.00"), on=DUE, actor=AUTOMATIC, reason="automatic", authority=Authority()
        )


PEOPLE = st.builds(
    Actor,
    id=st.sampled_from(("ann", "bob", "cat")),
    roles=st.frozensets(st.sampled_from(sorted(ROLES))),
    automatic=st.booleans(),
)


@given(
    account=customer_accounts(customer_id=ACME.id, currency="EUR", max_size=3),
    operation=st.sampled_from(Operation).filter(lambda o: o is not Operation.EDIT_LINES),
    actor=PEOPLE,
    rights=st.none() | permissions(),
)
def test_law_account_changes_without_the_right_change_nothing_and_are_refused(
    account: CustomerAccount, operation: Operation, actor: Actor, rights: Permissions | None
) -> None:
    """Law: an account change by an actor none of whose roles the permissions (the
    defaults, or any) grant the operation raises PermissionDeniedError and leaves the
    account unchanged; with a role that grants it, the refusal is never about rights on
    the account."""
    day = max([DUE, *(change.on for change in account.history)])
    account = keep_credit(
        account, eur("10.00"), on=day, actor=SAM, reason="so credit is used", authority=Authority()
    )
    granted = (DEFAULT_PERMISSIONS if rights is None else rights).roles_for_operation(operation)
    before = copy.deepcopy(account)
    change = CHANGES[operation]
    if actor.roles.isdisjoint(granted):
        with pytest.raises(AccountPermissionDeniedError) as refused:
            change(account, actor, rights)
        assert account == before
        assert (refused.value.customer_id, refused.value.command) == (ACME.id, operation.name)
        assert refused.value.required == sorted(granted)
        return
    try:
        change(account, actor, rights)
    except AccountPermissionDeniedError:
        pytest.fail(f"{actor} holds a role granted {operation.name} and was refused")
    except DunlibError:  # a hold or a payment the drawn values do not allow: not the account's
        assert account == before


# -- line edits ---------------------------------------------------------------------------

NINE_THOUSAND = line("9000.00", rate=0, description="Consulting")
SEQ = NumberSequence(prefix="RE-", width=4)


def test_a_reviewer_who_adds_a_line_may_not_also_send_it_under_four_eyes() -> None:
    """Finding: under 4 eyes a reviewer added a 9 000.00 line to a clerk's draft, then
    approved and sent it on their own. Now a line edit needs the clerk's right
    (PermissionDeniedError for a reviewer without it), is recorded in the history with
    its author, and its author is a drafter: someone else must send the invoice."""
    draft = create_draft(
        id="D-1", customer=ACME, currency="EUR", actor=DORA, on=D0, lines=[line("100.00")]
    )
    rita = Actor(id="rita", roles={REVIEWER, ACCOUNTANT})
    with pytest.raises(PermissionDeniedError, match="rita .* may not EDIT_LINES invoice D-1"):
        add_line(draft, NINE_THOUSAND, actor=rita, on=D0, authority=Authority())
    rex = Actor(id="rex", roles={CLERK, REVIEWER, ACCOUNTANT})
    padded = add_line(draft, NINE_THOUSAND, actor=rex, on=D0, authority=Authority())
    assert (padded.history[-1].actor, padded.history[-1].detail) == (
        "rex",
        "added line 1: Consulting",
    )
    four = Authority(eyes=4)
    submitted = transition(padded, Command.SUBMIT, actor=DORA, on=D0, authority=four)
    approved = transition(submitted, Command.APPROVE, actor=rex, on=D0, authority=four)
    with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
        send(approved, actor=rex, on=D0, authority=four, sequence=SEQ)
    assert send(approved, actor=SAM, on=D0, authority=four, sequence=SEQ).invoice.gross == (
        eur("9119.00")
    )


PERSON_IDS = st.sampled_from(("ann", "bob", "cat", "dan"))


def person(id: str) -> Actor:
    """Someone who holds every role a person may: drafts, reviews and sends."""
    return Actor(id=id, roles={CLERK, REVIEWER, ACCOUNTANT})


EDITS: dict[str, Callable[[Invoice, Actor, dt.date], Invoice]] = {
    "add": lambda invoice, actor, on: add_line(
        invoice, line("5.00"), actor=actor, on=on, authority=Authority()
    ),
    "replace": lambda invoice, actor, on: replace_line(
        invoice, 0, line("7.00"), actor=actor, on=on, authority=Authority()
    ),
    "remove": lambda invoice, actor, on: remove_line(
        invoice, len(invoice.lines) - 1, actor=actor, on=on, authority=Authority()
    ),
}


@given(
    eyes=st.sampled_from((4, 6)),
    creator=PERSON_IDS,
    edits=st.lists(st.tuples(PERSON_IDS, st.sampled_from(sorted(EDITS))), min_size=1, max_size=3),
    submitter=PERSON_IDS,
    approver=PERSON_IDS,
    sender=PERSON_IDS,
)
def test_law_nobody_who_edited_a_drafts_lines_reviews_it_alone_or_sends_it(
    eyes: int,
    creator: str,
    edits: list[tuple[str, str]],
    submitter: str,
    approver: str,
    sender: str,
) -> None:
    """Law: under 4 and 6 eyes whoever edited a draft's lines (add, replace or remove) is
    a drafter: under 4 eyes they never send it (so never take it from 0 to 3 alone), under
    6 eyes they neither review nor send it. The step that would break this is refused
    with a PolicyViolationError; every other step goes through."""
    invoice = create_draft(
        id="D-1",
        customer=ACME,
        currency="EUR",
        actor=person(creator),
        on=D0,
        lines=[line("100.00"), line("10.00"), line("1.00"), line("0.10")],
    )
    for editor, edit in edits:
        invoice = EDITS[edit](invoice, person(editor), D0)
    editors = {editor for editor, _ in edits}
    drafters = editors | {creator, submitter}
    policy = Authority(eyes=eyes)
    submitted = transition(
        invoice, Command.SUBMIT, actor=person(submitter), on=D0, authority=policy
    )
    if eyes == 6 and approver in drafters:
        with pytest.raises(PolicyViolationError, match="reviewer-not-drafter"):
            transition(submitted, Command.APPROVE, actor=person(approver), on=D0, authority=policy)
        return
    approved = transition(
        submitted, Command.APPROVE, actor=person(approver), on=D0, authority=policy
    )
    if sender in drafters or (eyes == 6 and sender == approver):
        with pytest.raises(PolicyViolationError):
            send(approved, actor=person(sender), on=D0, authority=policy, sequence=SEQ)
        return
    booked = send(approved, actor=person(sender), on=D0, authority=policy, sequence=SEQ).invoice
    assert booked.status is Status.SENT
    assert sender not in editors
    assert eyes == 4 or approver not in editors


def test_operation_grants_are_checked_like_the_tables() -> None:
    """Operation grants are (Operation, role) pairs of known roles; the methods that read
    and change them refuse what is not an Actor or an Operation, naming the field."""
    assert Permissions(grants=()).roles_for_operation(Operation.EDIT_LINES) == frozenset()
    assert DEFAULT_PERMISSIONS.roles_for_operation(Operation.USE_CREDIT) == {
        ACCOUNTANT,
        "automation",
    }
    with pytest.raises(InvalidTypeError, match="Permissions.operations"):
        Permissions(grants=(), operations=5)
    with pytest.raises(InvalidValueError, match=r"\(Operation, role\) pairs"):
        Permissions(grants=(), operations=[("keep_credit", CLERK)])
    with pytest.raises(InvalidValueError, match="did you mean 'clerk'"):
        Permissions(grants=(), operations=[(Operation.EDIT_LINES, "clerc")])
    with pytest.raises(InvalidTypeError, match="allows_operation.actor"):
        DEFAULT_PERMISSIONS.allows_operation("sam", Operation.KEEP_CREDIT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="revoking_operation.operation"):
        DEFAULT_PERMISSIONS.revoking_operation("keep_credit", ACCOUNTANT)  # type: ignore[arg-type]
    revoked = DEFAULT_PERMISSIONS.revoking_operation(Operation.EDIT_LINES, CLERK)
    assert revoked.grants == DEFAULT_PERMISSIONS.grants
    assert revoked.granting_operation(Operation.EDIT_LINES, CLERK) == DEFAULT_PERMISSIONS
