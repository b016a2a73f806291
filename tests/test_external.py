"""The status words of seed 000 (Draft, Due, Sent, Paid, "Reminder n sent") and the two added."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given

from builders import reached, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    DunningStage,
    InvalidTypeError,
    Invoice,
    IssueStage,
    Money,
    StageKind,
    Status,
    external_status,
    record_stage,
)
from dunlib.core import IssuedStage
from dunlib.core.errors import InvalidValueError
from dunlib.io import ExternalStatus, ExternalStatusKind
from dunlib.strategies import dates, invoices

SENT = sent()


def notice(level: int) -> IssuedStage:
    on = dt.date(2026, 5, 17 + 7 * level)
    return IssuedStage(level=level, on=on, due_date=on, fee=Money("0.00", "EUR"))


REMINDER = DunningStage(StageKind.REMINDER, days_overdue=0)


def issue(invoice: Invoice, document: IssuedStage) -> IssueStage:
    """The engine's decision for ``document`` (to book it with record_stage)."""
    return IssueStage(
        invoice_id=invoice.id,
        level=document.level,
        stage_number=document.level,
        stage=REMINDER,
        on=document.on,
        due_date=document.due_date,
        fee=document.fee,
        total_gross=invoice.gross + invoice.fees,
        open_amount=invoice.open_amount,
        channels=REMINDER.channels,
        attach_invoice=False,
        dispatch=REMINDER.dispatch,
        requires_approval=False,
    )


@pytest.mark.parametrize(
    ("today", "word"),
    [(dt.date(2026, 5, 9), "Sent"), (dt.date(2026, 5, 10), "Due"), (dt.date(2026, 5, 11), "Due")],
)
def test_sent_invoice_is_due_from_its_due_date_on(today: dt.date, word: str) -> None:
    """Sent until the day before the due date; Due on it (inclusive) and while not reminded."""
    assert str(external_status(SENT, today=today)) == word


def test_reminder_count_follows_the_notices_sent() -> None:
    """A dunned invoice with two documents sent reads "Reminder 2 sent" (German: versendet)."""
    dunned = SENT
    for level in (1, 2):
        dunned = record_stage(
            dunned, issue(dunned, notice(level)), actor=AUTOMATIC, authority=Authority()
        )
    assert dunned.status is Status.DUNNED
    status = external_status(dunned, today=dt.date(2026, 6, 1))
    assert status == ExternalStatus(kind=ExternalStatusKind.REMINDED, reminders=2)
    assert str(status) == "Reminder 2 sent"
    assert status.german == "Reminder 2 versendet"


def test_dunned_counts_the_notice_that_dunned_it() -> None:
    """DUNNED means a document went out, so the count is at least 1: an invoice DUNNED
    without a notice is refused when it is built (or read)."""
    dunned = reached(Status.DUNNED, SENT)
    assert str(external_status(dunned, today=dt.date(2026, 6, 1))) == "Reminder 1 sent"
    with pytest.raises(InvalidValueError, match="SENT, where the last history step led"):
        attrs.evolve(SENT, status=Status.DUNNED)


@pytest.mark.parametrize(
    ("status", "english", "german"),
    [
        (Status.PAID, "Paid", "Bezahlt"),
        (Status.CANCELLED, "Cancelled", "Storniert"),
        (Status.WRITTEN_OFF, "Written off", "Abgeschrieben"),
        (Status.SENT, "Sent", "Versendet"),
    ],
)
def test_words_of_the_booked_states(status: Status, english: str, german: str) -> None:
    """Paid as in the seed; CANCELLED and WRITTEN_OFF get the words of seed 002's states."""
    word = external_status(reached(status, SENT), today=dt.date(2026, 5, 1))
    assert (str(word), word.german) == (english, german)


@given(invoice=invoices(), today=dates())
def test_law_unsent_invoices_are_drafts(invoice: Invoice, today: dt.date) -> None:
    """Law: DRAFT, CREATED and REVIEWED always read Draft (Entwurf), whatever the day."""
    word = external_status(invoice, today=today)
    if invoice.status.is_booked:
        assert word.kind in (ExternalStatusKind.SENT, ExternalStatusKind.DUE)
    else:
        assert (str(word), word.german) == ("Draft", "Entwurf")


def test_today_must_be_a_date() -> None:
    """A datetime for today, or something that is not an invoice, is refused."""
    with pytest.raises(InvalidTypeError, match="external_status.today"):
        external_status(SENT, today=dt.datetime(2026, 5, 1, 8, 0))
    with pytest.raises(InvalidTypeError, match="invoice"):
        external_status("RE-1", today=dt.date(2026, 5, 1))  # type: ignore[arg-type]
