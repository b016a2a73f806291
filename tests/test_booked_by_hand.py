"""Issue 24, item 9: a negative invoice is booked by hand by an accountant (seed 002, state 0:
"Negative Rechnungen können später nur manuell verbucht werden"), through the one booking
path, recorded as such in its history."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from builders import ACME, ANN, DORA, RITA, ROBOT, SAM, line
from dunlib import (
    Authority,
    CustomerAccount,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    NumberSequence,
    PermissionDeniedError,
    PolicyViolationError,
    Status,
    TransitionNotAllowedError,
    create_draft,
    from_json,
    keep_credit,
    merge_drafts,
    to_json,
    transition,
)
from dunlib.core import Command, EventKind
from dunlib.workflow import as_of, book_by_hand

APRIL_1, APRIL_2 = dt.date(2026, 4, 1), dt.date(2026, 4, 2)
FOUR = Authority(eyes=4)
SEQUENCE = NumberSequence(prefix="RE-", next_value=7)


def merged() -> Invoice:
    """Seed 002, state 0: two drafts to ACME merged by Dora, still negative: 100.00 net and a
    deduction of -150.00 net, both at 19 %: total -59.50 (net -50.00, tax -9.50)."""
    plus = create_draft(
        id="D-1", customer=ACME, currency="EUR", actor=DORA, on=APRIL_1, lines=[line("100.00")]
    )
    minus = create_draft(
        id="D-2", customer=ACME, currency="EUR", actor=DORA, on=APRIL_1, lines=[line("-150.00")]
    )
    return merge_drafts([plus, minus], actor=DORA, on=APRIL_1, authority=FOUR)


def test_the_accountant_books_a_negative_draft_by_hand_and_the_history_says_so() -> None:
    """Seed 002, state 0: "Sollte der Rechnungsbetrag negativ sein, erscheint ein
    Warnhinweis ... Negative Rechnungen können später nur manuell verbucht werden." The
    merged draft totals -59.50 (100.00 - 150.00 net, 19 % tax -9.50). Sam (accountant)
    books it by hand on 2 April under 4 eyes: it takes number RE-7, is dated 2 April and
    due 16 April (14 days), its -59.50 is cleared by a write-off (the customer's credit of
    59.50, booked outside dunlib) and it is 4 PAID with 0.00 open; one BOOKED_BY_HAND entry
    by sam records it. The customer's account may keep the 59.50 as credit."""
    draft = merged()
    assert draft.gross == Money("-59.50", "EUR")
    with pytest.raises(GuardFailedError, match="complete-draft"):
        transition(draft, Command.SUBMIT, actor=DORA, on=APRIL_2, authority=FOUR)
    done = book_by_hand(draft, actor=SAM, on=APRIL_2, authority=FOUR, sequence=SEQUENCE)
    booked = done.invoice
    assert (booked.status, booked.number) == (Status.PAID, "RE-7")
    assert (booked.issue_date, booked.due_date) == (APRIL_2, dt.date(2026, 4, 16))
    assert booked.gross == Money("-59.50", "EUR")
    assert booked.written_off == Money("-59.50", "EUR")
    assert booked.open_amount == Money("0.00", "EUR")
    assert done.credit == Money("59.50", "EUR")
    assert done.sequence.next_value == 8
    entry = booked.history[-1]
    assert (entry.kind, entry.actor, entry.from_status, entry.to_status) == (
        EventKind.BOOKED_BY_HAND,
        "sam",
        Status.DRAFT,
        Status.PAID,
    )
    assert entry.detail == (
        "booked by hand as RE-7, dated 2026-04-02, due 2026-04-16; credit of 59.50 EUR owed "
        "to the customer, booked by hand outside dunlib"
    )
    assert from_json(to_json(booked), Invoice) == booked
    assert attrs.evolve(booked) == booked
    assert as_of(booked, today=APRIL_2) == booked
    account = keep_credit(
        CustomerAccount(customer_id="C-1"),
        done.credit,
        on=APRIL_2,
        actor=SAM,
        reason=f"negative invoice {booked.number} booked by hand",
        authority=FOUR,
    )
    assert account.credit("EUR", today=APRIL_2) == Money("59.50", "EUR")


def test_only_an_accountant_who_did_not_draft_it_books_it_and_no_automatic_process() -> None:
    """The row grants accountants only: Dora (clerk) and the automatic actor are refused by
    their rights ("negative invoices are never booked automatically"); under 4 and 6 eyes
    whoever drafted it may not book it (booking counts as sending); under 2 eyes the drafter
    may. A refused booking consumes no number and changes nothing."""
    draft = merged()
    for actor in (DORA, RITA, ROBOT):
        with pytest.raises(PermissionDeniedError, match="BOOK_BY_HAND"):
            book_by_hand(draft, actor=actor, on=APRIL_2, authority=FOUR, sequence=SEQUENCE)
    drafter = attrs.evolve(SAM, id="dora")
    for eyes in (4, 6):
        with pytest.raises(PolicyViolationError, match="dora drafted"):
            book_by_hand(
                draft, actor=drafter, on=APRIL_2, authority=Authority(eyes=eyes), sequence=SEQUENCE
            )
    alone = book_by_hand(
        draft, actor=drafter, on=APRIL_2, authority=Authority(eyes=2), sequence=SEQUENCE
    )
    assert alone.invoice.status is Status.PAID
    assert draft == merged()


def test_a_draft_of_zero_or_more_is_not_booked_by_hand_and_nothing_else_is() -> None:
    """Guard negative-total: a draft of 119.00 (or of no lines) goes through review and
    sending, never by hand; a booked invoice has no BOOK_BY_HAND row; wrong types are typed
    errors."""
    positive = create_draft(
        id="D-3", customer=ACME, currency="EUR", actor=DORA, on=APRIL_1, lines=[line("100.00")]
    )
    empty = attrs.evolve(positive, lines=())
    for draft in (positive, empty):
        with pytest.raises(GuardFailedError, match="negative-total"):
            book_by_hand(draft, actor=ANN, on=APRIL_2, authority=FOUR, sequence=SEQUENCE)
    booked = book_by_hand(merged(), actor=SAM, on=APRIL_2, authority=FOUR, sequence=SEQUENCE)
    with pytest.raises(TransitionNotAllowedError, match="BOOK_BY_HAND"):
        book_by_hand(booked.invoice, actor=SAM, on=APRIL_2, authority=FOUR, sequence=SEQUENCE)
    with pytest.raises(TransitionNotAllowedError, match="dunlib.workflow.book_by_hand"):
        transition(merged(), Command.BOOK_BY_HAND, actor=SAM, on=APRIL_2, authority=FOUR)
    with pytest.raises(InvalidTypeError, match="book_by_hand.draft"):
        book_by_hand("D-1", actor=SAM, on=APRIL_2, authority=FOUR, sequence=SEQUENCE)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="book_by_hand.sequence"):
        book_by_hand(merged(), actor=SAM, on=APRIL_2, authority=FOUR, sequence="RE-")  # type: ignore[arg-type]


def test_an_invoice_claiming_to_be_booked_by_hand_without_its_write_off_is_refused() -> None:
    """The history ties the write-off to the entry that booked it: an entry naming another
    write-off, a second write-off, or a hand booking of a positive total are refused when
    the invoice is built (Invoice's own checks)."""
    booked = book_by_hand(
        merged(), actor=SAM, on=APRIL_2, authority=FOUR, sequence=SEQUENCE
    ).invoice
    entry = booked.history[-1]
    renamed = attrs.evolve(entry, detail="booked by hand as RE-7, dated 2026-04-02, due 2026-04-16")
    with pytest.raises(InvalidValueError, match="one write-off that clears"):
        attrs.evolve(booked, history=(*booked.history[:-1], renamed))
    half = attrs.evolve(booked.write_offs[0], amount=Money("-29.75", "EUR"))
    with pytest.raises(InvalidValueError, match="one write-off that clears"):
        attrs.evolve(booked, write_offs=(half, half))
    wrong_day = attrs.evolve(entry, on=dt.date(2026, 4, 3))
    with pytest.raises(InvalidValueError, match="issue date"):
        attrs.evolve(booked, history=(*booked.history[:-1], wrong_day))
