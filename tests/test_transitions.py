"""The transition table: every (Status, Command) pair is in the table or refused."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from dunlib import (
    TRANSITIONS,
    Command,
    Customer,
    InvalidTypeError,
    Invoice,
    Money,
    Status,
    TransitionNotAllowedError,
    apply_transition,
)
from dunlib.transitions import ROWS, render_table

INVOICE = Invoice.sent(
    number="RE-1",
    customer=Customer(id="C-1", name="ACME GmbH"),
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


@pytest.mark.parametrize(("status", "command"), list(itertools.product(Status, Command)))
def test_every_pair_is_in_table_or_refused(status: Status, command: Command) -> None:
    """Exhaustive: each (Status, Command) either moves per the table or raises the typed error."""
    invoice = (
        INVOICE
        if status.is_booked
        else Invoice(
            id="D-1", customer=INVOICE.customer, currency="EUR", issue_date=dt.date(2026, 1, 1)
        )
    )
    invoice = invoice.with_entry(INVOICE.history[0], status=status)
    key = (status, command)
    if key in TRANSITIONS:
        number = "RE-9" if command is Command.SEND else invoice.number
        moved = apply_transition(
            invoice, command, on=dt.date(2026, 2, 1), actor="alice", number=number
        )
        assert moved.status is TRANSITIONS[key]
        assert moved.history[:-1] == invoice.history
        assert moved.history[-1].from_status is status
        assert moved.history[-1].actor == "alice"
    else:
        with pytest.raises(TransitionNotAllowedError, match=command.name) as raised:
            apply_transition(invoice, command, on=dt.date(2026, 2, 1))
        assert raised.value.status is status
        assert raised.value.allowed == sorted(c.name for (s, c) in TRANSITIONS if s is status)


def test_final_states_say_so() -> None:
    """In PAID, CANCELLED and WRITTEN_OFF the message says nothing is allowed."""
    paid = INVOICE.with_entry(INVOICE.history[0], status=Status.PAID)
    with pytest.raises(TransitionNotAllowedError, match="a final state"):
        apply_transition(paid, Command.SEND, on=dt.date(2026, 2, 1))


def test_step_date_must_be_a_date() -> None:
    """The day of a step is a date, never a datetime."""
    with pytest.raises(InvalidTypeError):
        apply_transition(INVOICE, Command.DUN, on=dt.datetime(2026, 2, 1, 8, 0))


def test_rendered_table_lists_every_row() -> None:
    """The Markdown rendering has a header and one line per row."""
    table = render_table()
    assert table.count("\n") == len(ROWS) + 2
    assert "| 0 DRAFT | SUBMIT | 1 CREATED | step |" in table
