"""One refusal, one family: a refused step is a StepRefusedError, and the same refusal (the
same command in the same state) raises the same class with the same message from every
function that attempts it, decided by the table alone."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import D0, DORA, RITA, SAM, TWO, draft, line, notice_action
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    Command,
    CreditNote,
    Hold,
    HoldKind,
    Invoice,
    Payment,
    StepRefusedError,
    TransitionNotAllowedError,
    cancel,
    lift_hold,
    pause,
    place_hold,
    record_credit_note,
    record_payment,
    record_stage,
    resume,
    send,
    transition,
    write_off,
)
from dunlib.core import PaymentStateError
from dunlib.core.numbering import NumberSequence
from dunlib.core.status import Status
from dunlib.core.transitions import DERIVED_FROM, ROLES, TRANSITIONS, sources
from dunlib.payments.recording import PAYABLE_STATES
from dunlib.workflow.documents import ALLOWED_FROM, DocumentKind
from dunlib.workflow.drafts import book_by_hand

ZOE = Actor(id="zoe", roles=ROLES)
"""Holds every role: what refuses her is the table, the eyes policy or a guard."""
SEQ = NumberSequence(prefix="RE-", width=4)
ON = dt.date(2026, 6, 1)
"""A day after every step of the invoices below."""


@functools.cache
def in_state(status: Status) -> Invoice:
    """An invoice brought into ``status`` through the public functions."""
    invoice = draft(line("100.00"), by="dora")
    if status is Status.DRAFT:
        return invoice
    invoice = transition(invoice, Command.SUBMIT, actor=DORA, on=D0, authority=TWO)
    if status is Status.CREATED:
        return invoice
    invoice = transition(invoice, Command.APPROVE, actor=RITA, on=D0, authority=TWO)
    if status is Status.REVIEWED:
        return invoice
    invoice = send(invoice, actor=SAM, on=D0, authority=TWO, sequence=SEQ).invoice
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
            invoice, id="S-0", actor=SAM, on=D0, sequence=SEQ.take()[1], authority=Authority()
        ).original
    late = invoice.due_date + dt.timedelta(days=1)
    invoice = record_stage(invoice, notice_action(invoice, late), actor=SAM, authority=Authority())
    if status is Status.DUNNED:
        return invoice
    return write_off(invoice, actor=SAM, on=late, authority=Authority())


def _note(invoice: Invoice) -> CreditNote:
    return CreditNote(id="G-1", on=ON, amount=invoice.gross, drafted_by="dora")


# The function that performs each command (the commands whose functions take no value that
# dunlib decides itself, such as a notice or an interest charge), called by Zoe on ON.
OPERATIONS: dict[Command, Callable[[Invoice], object]] = {
    **{
        command: functools.partial(
            lambda inv, command: transition(inv, command, actor=ZOE, on=ON, authority=TWO),
            command=command,
        )
        for command in (Command.SUBMIT, Command.APPROVE, Command.REJECT)
    },
    Command.SEND: lambda inv: send(inv, actor=ZOE, on=ON, authority=TWO, sequence=SEQ),
    Command.PAY: lambda inv: record_payment(
        inv, Payment(on=ON, amount=inv.gross), actor=ZOE, authority=Authority()
    ),
    Command.CREDIT: lambda inv: record_credit_note(
        inv, _note(inv), actor=ZOE, on=ON, authority=TWO
    ),
    Command.PAUSE: lambda inv: pause(inv, on=ON, actor=ZOE, authority=Authority()),
    Command.RESUME: lambda inv: resume(inv, on=ON, actor=ZOE, authority=Authority()),
    Command.CANCEL: lambda inv: cancel(
        inv, id="S-1", actor=ZOE, on=ON, sequence=SEQ, authority=Authority()
    ),
    Command.WRITE_OFF: lambda inv: write_off(inv, actor=ZOE, on=ON, authority=Authority()),
    Command.HOLD: lambda inv: place_hold(
        inv, Hold.dispute(on=ON, reason="x"), actor=ZOE, authority=Authority()
    ),
    Command.LIFT_HOLD: lambda inv: lift_hold(
        inv, HoldKind.DISPUTE, on=ON, actor=ZOE, authority=Authority()
    ),
    Command.BOOK_BY_HAND: lambda inv: book_by_hand(
        inv, actor=ZOE, on=ON, authority=TWO, sequence=SEQ
    ),
}


def test_one_refused_step_raises_one_error_from_every_function() -> None:
    """A payment, a credit note and a cancellation on a PAID invoice (no row for PAY, CREDIT
    or CANCEL in 4 PAID) each raise the same StepRefusedError, with the same message naming
    the invoice by its number, from their own function and from transition; the payment's
    is a PaymentStateError, which is also a TransitionNotAllowedError."""
    paid = in_state(Status.PAID)
    assert paid.number is not None
    for command in (Command.PAY, Command.CREDIT, Command.CANCEL):
        with pytest.raises(StepRefusedError) as own:
            OPERATIONS[command](paid)
        with pytest.raises(StepRefusedError) as general:
            transition(paid, command, actor=ZOE, on=ON, authority=TWO)
        assert type(own.value) is type(general.value)
        assert str(own.value) == str(general.value)
        assert isinstance(own.value, TransitionNotAllowedError)
        assert (own.value.status, own.value.command) == (Status.PAID, command.name)
        assert f"invoice {paid.number} (id {paid.id})" in str(own.value)
        if command is Command.PAY:
            assert isinstance(own.value, PaymentStateError)


@given(status=st.sampled_from(Status), command=st.sampled_from(sorted(OPERATIONS, key=str)))
def test_law_an_operation_refuses_for_want_of_a_row_exactly_when_the_table_has_none(
    status: Status, command: Command
) -> None:
    """Law: the function that performs a command raises TransitionNotAllowedError (a
    StepRefusedError naming the state and the command) exactly when the table has no row
    for the command in the invoice's state; where the row exists it books the step or
    refuses it otherwise (the eyes policy, a guard), never for want of a row."""
    invoice = in_state(status)
    if (status, command) not in TRANSITIONS:
        with pytest.raises(TransitionNotAllowedError) as refused:
            OPERATIONS[command](invoice)
        assert (refused.value.status, refused.value.command) == (status, command.name)
        states = [f"{s.value} {s.name}" for s in sorted(sources(command))]
        assert refused.value.allowed_in == states
        return
    try:
        OPERATIONS[command](invoice)
    except TransitionNotAllowedError:
        pytest.fail(f"{command.name} refused for want of a row in {status.name}, which has one")
    except StepRefusedError:
        pass  # the eyes policy or a guard: the row exists


def test_shadow_tables_are_the_tables_own() -> None:
    """The states that take payments and those a cancellation is made from are the table's
    PAY and CANCEL rows; the derived documents' states are kept next to the table."""
    assert set(PAYABLE_STATES) == {s for (s, c) in TRANSITIONS if c is Command.PAY}
    assert ALLOWED_FROM[DocumentKind.CANCELLATION] == sources(Command.CANCEL)
    assert {kind: ALLOWED_FROM[kind] for kind in DERIVED_FROM} == dict(DERIVED_FROM)
