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
    DunningRules,
    DunningStage,
    InvalidTypeError,
    Invoice,
    IssueStage,
    Money,
    StageKind,
    Status,
    TriggerBasis,
    external_status,
    next_dunning_action,
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
        assert word.kind is not ExternalStatusKind.DRAFT
    else:
        assert (str(word), word.german) == ("Draft", "Entwurf")


def test_today_must_be_a_date() -> None:
    """A datetime for today, or something that is not an invoice, is refused."""
    with pytest.raises(InvalidTypeError, match="external_status.today"):
        external_status(SENT, today=dt.datetime(2026, 5, 1, 8, 0))
    with pytest.raises(InvalidTypeError, match="invoice"):
        external_status("RE-1", today=dt.date(2026, 5, 1))  # type: ignore[arg-type]


LADDER = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.BEFORE_DUE_DATE),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=Money("5.00", "EUR")),
        DunningStage(StageKind.NOTICE, days_overdue=7),
    )
)


def _run(invoice: Invoice, until: dt.date) -> list[tuple[dt.date, ExternalStatus]]:
    """Every document the engine issues for ``invoice`` up to ``until``, booked, with the
    status word of the day it went out."""
    words = []
    day = invoice.issue_date
    while day <= until:
        action = next_dunning_action(invoice, LADDER, today=day)
        if isinstance(action, IssueStage):
            invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
            words.append((day, external_status(invoice, today=day, rules=LADDER)))
        day += dt.timedelta(days=1)
    return words


def test_status_words_say_what_was_sent_reminder_or_notice_with_its_fee() -> None:
    """A reminder before the due date reads "Reminder 1 sent" (not "Sent"), the next
    reminder "Reminder 2 sent", the notice with a fee "Notice 3 sent, fee 5.00 EUR"
    (Mahnung 3 versendet, Gebühr 5,00 €) and a notice without one "Notice 4 sent"."""
    words = _run(SENT, dt.date(2026, 7, 1))
    assert [(str(word), word.german) for _, word in words] == [
        ("Reminder 1 sent", "Reminder 1 versendet"),
        ("Reminder 2 sent", "Reminder 2 versendet"),
        ("Notice 3 sent, fee 5.00 EUR", "Mahnung 3 versendet, Gebühr 5,00\xa0€"),
        ("Notice 4 sent", "Mahnung 4 versendet"),
    ]
    assert words[0][0] < SENT.due_date  # the first went out before the due date


def test_without_rules_a_document_with_a_fee_is_a_notice() -> None:
    """Without the rules, the fee tells the kind: a document that charged one is a notice,
    one that charged none a reminder; an issued stage the rules do not know (a stage number
    beyond them, or a level beyond the active stages) is told the same way."""
    invoice = SENT
    for day in (dt.date(2026, 5, 7), dt.date(2026, 5, 17), dt.date(2026, 5, 24)):
        action = next_dunning_action(invoice, LADDER, today=day)
        assert isinstance(action, IssueStage)
        invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    assert str(external_status(invoice, today=dt.date(2026, 6, 1))) == (
        "Notice 3 sent, fee 5.00 EUR"
    )
    short = DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=0),))
    assert str(external_status(invoice, today=dt.date(2026, 6, 1), rules=short)) == (
        "Notice 3 sent, fee 5.00 EUR"
    )
    unnumbered = attrs.evolve(
        invoice,
        issued_stages=tuple(
            attrs.evolve(stage, stage_number=None) for stage in invoice.issued_stages
        ),
    )
    assert str(external_status(unnumbered, today=dt.date(2026, 6, 1), rules=LADDER)) == (
        "Notice 3 sent, fee 5.00 EUR"
    )
    with pytest.raises(InvalidTypeError, match="external_status.rules"):
        external_status(invoice, today=dt.date(2026, 6, 1), rules="LADDER")  # type: ignore[arg-type]
