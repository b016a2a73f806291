"""The transition table: every (Status, Command) pair is in the table or refused."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import pathlib

import pytest

import dunlib
from builders import ACME, SAM
from dunlib import (
    AUTOMATIC,
    Command,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    Payment,
    Status,
    TransitionNotAllowedError,
    pause,
    record_payment,
    transition,
)
from dunlib.core.transitions import (
    ROLES,
    ROWS,
    TRANSITIONS,
    Act,
    Effect,
    RowKind,
    allowed_commands,
    render_table,
    row_for,
    sources,
)
from dunlib.workflow.steps import Authority

INVOICE = Invoice.sent(
    number="RE-1",
    customer=ACME,
    gross=Money("10.00", "EUR"),
    issue_date=dt.date(2026, 1, 1),
)


def test_table_has_one_row_per_key() -> None:
    """No (source, command) pair appears twice, so the table is a function."""
    assert len(TRANSITIONS) == len(ROWS)


def test_seed_transitions_are_present() -> None:
    """Every transition the source document names is in the table."""
    expected = {
        (Status.DRAFT, Command.SUBMIT): Status.CREATED,
        (Status.CREATED, Command.APPROVE): Status.REVIEWED,
        (Status.REVIEWED, Command.SEND): Status.SENT,
        (Status.CREATED, Command.REJECT): Status.DRAFT,
        (Status.REVIEWED, Command.REJECT): Status.DRAFT,
        (Status.DRAFT, Command.APPROVE): Status.REVIEWED,
        (Status.DRAFT, Command.SEND): Status.SENT,
        (Status.CREATED, Command.SEND): Status.SENT,
        (Status.SENT, Command.SETTLE): Status.PAID,
        (Status.DUNNED, Command.SETTLE): Status.PAID,
        (Status.SENT, Command.DUN): Status.DUNNED,
        (Status.SENT, Command.CANCEL): Status.CANCELLED,
        (Status.DUNNED, Command.CANCEL): Status.CANCELLED,
        (Status.DUNNED, Command.WRITE_OFF): Status.WRITTEN_OFF,
    }
    for key, target in expected.items():
        assert TRANSITIONS[key] is target


def test_bookings_keep_the_state_where_they_record_only() -> None:
    """Payments, credit notes, reminders, pause and resume are booked in SENT and DUNNED and
    keep the state (settling is the SETTLE row's effect); DUNNED is dunned again in place."""
    for status in (Status.SENT, Status.DUNNED):
        for command in (Command.PAY, Command.CREDIT, Command.PAUSE, Command.RESUME):
            assert TRANSITIONS[(status, command)] is status
    assert TRANSITIONS[(Status.SENT, Command.ISSUE_EARLY)] is Status.SENT
    assert (Status.DUNNED, Command.ISSUE_EARLY) not in TRANSITIONS
    assert TRANSITIONS[(Status.DUNNED, Command.DUN)] is Status.DUNNED
    assert (Status.SENT, Command.WRITE_OFF) not in TRANSITIONS


@pytest.mark.parametrize(("status", "command"), list(itertools.product(Status, Command)))
def test_every_pair_is_in_table_or_refused(status: Status, command: Command) -> None:
    """Exhaustive: each (Status, Command) has its row, or row_for raises the typed error that
    names the state and the commands allowed there."""
    key = (status, command)
    if key in TRANSITIONS:
        row = row_for(status, command)
        assert (row.source, row.command, row.target) == (status, command, TRANSITIONS[key])
        assert command.name in allowed_commands(status)
    else:
        with pytest.raises(TransitionNotAllowedError, match=f"^{command.name} ") as raised:
            row_for(status, command)
        assert raised.value.status is status
        assert raised.value.command == command.name
        assert raised.value.allowed == sorted(c.name for (s, c) in TRANSITIONS if s is status)
        assert raised.value.operation == ""


def test_final_states_say_so() -> None:
    """In PAID the message names the documents' rows (made, sent again, printed: seed 002),
    which keep the state, and taking a payment back (issue 27), which reopens it; in
    CANCELLED only the documents' rows; WRITTEN_OFF allows besides only booking a
    recovery (item 10 of issue 24), which keeps it WRITTEN_OFF."""
    paid = record_payment(
        INVOICE,
        Payment(on=dt.date(2026, 1, 2), amount=INVOICE.gross),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    assert paid.status is Status.PAID
    allowed = ["MAKE_DOCUMENT", "PRINT", "REOPEN_DUNNED", "RESEND", "REVERSE"]
    assert allowed_commands(Status.PAID) == allowed
    with pytest.raises(
        TransitionNotAllowedError, match=f"allowed there: {', '.join(allowed)}$"
    ) as raised:
        transition(
            paid, Command.SUBMIT, actor=AUTOMATIC, on=dt.date(2026, 2, 1), authority=Authority()
        )
    assert (raised.value.invoice_id, raised.value.status) == ("RE-1", Status.PAID)
    assert allowed_commands(Status.CANCELLED) == ["MAKE_DOCUMENT", "PRINT"]
    assert allowed_commands(Status.WRITTEN_OFF) == ["MAKE_DOCUMENT", "PRINT", "RECOVER"]
    assert {row.target for row in ROWS if row.source is Status.WRITTEN_OFF} == {Status.WRITTEN_OFF}


def test_step_date_must_be_a_date() -> None:
    """The day of a step is a date, never a datetime."""
    with pytest.raises(InvalidTypeError, match="pause.on"):
        pause(INVOICE, on=dt.datetime(2026, 2, 1, 8, 0), actor=SAM, authority=Authority())


def test_rendered_table_lists_every_row() -> None:
    """The Markdown rendering has a header and one line per row."""
    table = render_table()
    assert table.count("\n") == len(ROWS) + 2
    assert "| 0 DRAFT | SUBMIT | 1 CREATED | step |" in table
    assert "| 3 SENT | PAY | 3 SENT | booking |" in table


DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "workflow.md"
BEGIN = "<!-- BEGIN transition table: generated by dunlib.core.transitions.render_table() -->\n"
END = "<!-- END transition table -->"


def test_docs_show_the_generated_table() -> None:
    """docs/workflow.md holds exactly render_table() between its markers (no drift)."""
    text = DOC.read_text(encoding="utf-8")
    shown = text[text.index(BEGIN) + len(BEGIN) : text.index(END)]
    assert shown == render_table(), (
        "docs/workflow.md is out of date: paste the output of "
        "`python -c 'from dunlib.core.transitions import render_table; print(render_table())'`"
    )


def test_skip_rows_are_the_seed_skips() -> None:
    """The seed's automatic skips 0→2, 0→3 and 1→3 are exactly the rows of kind skip."""
    skips = {(row.source, row.target) for row in ROWS if row.kind is RowKind.SKIP}
    assert skips == {
        (Status.DRAFT, Status.REVIEWED),
        (Status.DRAFT, Status.SENT),
        (Status.CREATED, Status.SENT),
    }


def test_every_row_is_granted_to_known_roles_and_workflow_moves_are_unique() -> None:
    """Each row names at least one role, all of them in ROLES; no two workflow rows (steps
    and skips, which the eyes policy reads back from the history by their move) share a
    (source, target) move."""
    assert all(row.roles and row.roles <= ROLES for row in ROWS)
    moves = [(row.source, row.target) for row in ROWS if row.kind in (RowKind.STEP, RowKind.SKIP)]
    assert len(set(moves)) == len(moves)


def test_rows_that_book_are_the_send_rows() -> None:
    """Only the SEND rows and the booking by hand of a negative draft book (number, date, due
    date), and every SEND row does."""
    booking = {row.command for row in ROWS if row.effect is Effect.BOOK}
    assert booking == {Command.SEND, Command.BOOK_BY_HAND}
    assert all(row.effect is Effect.BOOK for row in ROWS if row.command is Command.SEND)


def test_only_decisions_count_as_acts() -> None:
    """Bookings, effects and rejections perform no act of the eyes policy, except booking a
    negative draft by hand, which sends (and only sends: no review precedes it); every SEND
    sends."""
    for row in ROWS:
        if row.command is Command.BOOK_BY_HAND:
            assert row.acts == frozenset({Act.SEND})
        elif row.kind in (RowKind.EFFECT, RowKind.BOOKING) or row.command is Command.REJECT:
            assert row.acts == frozenset()
        if row.command is Command.SEND:
            assert Act.SEND in row.acts


def test_effect_rows_are_settling_only() -> None:
    """RowKind.EFFECT is only SETTLE (it follows a payment or a credit note)."""
    assert {row.command for row in ROWS if row.kind is RowKind.EFFECT} == {Command.SETTLE}
    assert all(row.kind is RowKind.EFFECT for row in ROWS if row.command is Command.SETTLE)


def test_booking_rows_name_their_public_operation() -> None:
    """Every booking and effect row names the public dunlib function(s) that perform it, on
    the main road (``dunlib.record_payment``) or in its area (``dunlib.dunning.agree_plan``);
    workflow rows name none (they are dunlib.transition and dunlib.send)."""
    for row in ROWS:
        if row.kind in (RowKind.STEP, RowKind.SKIP):
            assert row.operation == ""
            continue
        assert row.operation, row
        for name in row.operation.split(" or "):
            assert name.startswith("dunlib.")
            assert callable(functools.reduce(getattr, name.split(".")[1:], dunlib))


def test_step_day_never_goes_back_in_history() -> None:
    """The next step's day may equal the last step's day, never precede it; dates only."""
    invoice = Invoice.sent(
        number="RE-1",
        customer=ACME,
        gross=Money("1.00", "EUR"),
        issue_date=dt.date(2026, 3, 2),
    )
    assert pause(invoice, on=dt.date(2026, 3, 2), actor=SAM, authority=Authority()).history[
        -1
    ].on == dt.date(2026, 3, 2)
    with pytest.raises(
        InvalidValueError,
        match=r"pause.on: got datetime.date\(2026, 3, 1\); expected on or after 2026-03-02",
    ):
        pause(invoice, on=dt.date(2026, 3, 1), actor=SAM, authority=Authority())
    with pytest.raises(InvalidTypeError, match="pause.on"):
        pause(invoice, on=dt.datetime(2026, 3, 3, 9, 0), actor=SAM, authority=Authority())


def test_row_for_refuses_what_is_no_state_or_command() -> None:
    """A state or command of another type, hashable or not, is a typed error naming it."""
    with pytest.raises(InvalidTypeError, match="row_for.status"):
        row_for([], Command.PAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="row_for.command"):
        row_for(Status.SENT, {})  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="sources.command"):
        sources("PAY")  # type: ignore[arg-type]
