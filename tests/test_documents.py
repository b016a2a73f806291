"""Derived documents: credit notes, cancellation, delivery notes and new invoices."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import (
    ACME,
    ANN,
    D0,
    DORA,
    FOUR,
    RITA,
    SAM,
    SIX,
    TWO,
    clerk,
    draft,
    eur,
    line,
    notice_action,
    sent,
)
from dunlib import (
    AUTOMATIC,
    Authority,
    Command,
    CreditNote,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PermissionDeniedError,
    PolicyViolationError,
    Status,
    StepRefusedError,
    TransitionNotAllowedError,
    as_of,
    balance,
    record_payment,
    record_stage,
)
from dunlib.core import DocumentNotAllowedError, EventKind, WriteOff
from dunlib.strategies import line_items
from dunlib.workflow import PolicyRule
from dunlib.workflow.documents import (
    ALLOWED_FROM,
    DeliveryNote,
    DocumentKind,
    allowed_documents,
    cancel,
    credit,
    credit_note_tax,
    derive_credit_note,
    derive_delivery_note,
    derive_invoice,
    record_credit_note,
    write_off,
)
from dunlib.workflow.steps import send, transition

ON = dt.date(2026, 2, 1)
SEQ = NumberSequence(prefix="RE-", width=4)
LINES = (
    line("100.00", description="Consulting"),
    line("50.00", rate=7, description="Book"),
    line("20.00"),
)


def in_state(status: Status, lines: tuple[LineItem, ...] = LINES) -> Invoice:
    """An invoice with ``lines`` brought into ``status`` by three distinct people."""
    invoice = draft(*lines)
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
        return credit(invoice, id="G-0", actor=SAM, drafted_by=DORA, on=D0, authority=SIX).invoice
    if status is Status.CANCELLED:
        return cancel(
            invoice, id="S-0", actor=SAM, on=D0, sequence=SEQ.take()[1], authority=Authority()
        ).original
    late = invoice.due_date + dt.timedelta(days=1)
    invoice = dun(invoice, on=late)
    if status is Status.DUNNED:
        return invoice
    return write_off(invoice, actor=SAM, on=late, authority=Authority())


def dun(invoice: Invoice, *, on: dt.date, fee: str = "0.00") -> Invoice:
    """``invoice`` with its next dunning notice (charging ``fee``) booked on ``on``."""
    return record_stage(
        invoice, notice_action(invoice, on, fee), actor=AUTOMATIC, authority=Authority()
    )


def test_allowed_states_follow_the_seed() -> None:
    """Credit notes from 1 to 5; cancellation in 3 and 5; delivery notes, new invoices 2 to 7."""
    assert ALLOWED_FROM[DocumentKind.CREDIT_NOTE] == {1, 2, 3, 4, 5}
    assert ALLOWED_FROM[DocumentKind.CANCELLATION] == {3, 5}
    assert ALLOWED_FROM[DocumentKind.DELIVERY_NOTE] == {2, 3, 4, 5, 6, 7}
    assert ALLOWED_FROM[DocumentKind.NEW_INVOICE] == {2, 3, 4, 5, 6, 7}


@pytest.mark.parametrize(("status", "kind"), list(itertools.product(Status, DocumentKind)))
def test_every_document_in_every_state(status: Status, kind: DocumentKind) -> None:
    """Exhaustive: each document is made exactly in the states ALLOWED_FROM gives, and
    refused elsewhere naming the allowed states: a derived document with
    DocumentNotAllowedError, a cancellation (the table's CANCEL row) with
    TransitionNotAllowedError like every step the table has no row for."""
    invoice = in_state(status)
    attempts: dict[DocumentKind, Callable[[], object]] = {
        DocumentKind.CREDIT_NOTE: lambda: derive_credit_note(invoice, id="G-1", on=ON, actor=DORA),
        DocumentKind.CANCELLATION: lambda: cancel(
            invoice, id="S-1", actor=SAM, on=ON, sequence=SEQ.take()[1], authority=Authority()
        ),
        DocumentKind.DELIVERY_NOTE: lambda: derive_delivery_note(invoice, id="L-1", on=ON),
        DocumentKind.NEW_INVOICE: lambda: derive_invoice(
            invoice, id="N-1", actor=clerk("x"), on=ON
        ),
    }
    if status in ALLOWED_FROM[kind]:
        assert kind in allowed_documents(invoice)
        attempts[kind]()
    else:
        assert kind not in allowed_documents(invoice)
        states = [f"{s.value} {s.name}" for s in sorted(ALLOWED_FROM[kind])]
        if kind is DocumentKind.CANCELLATION:  # the CANCEL row: refused as any step without one
            with pytest.raises(TransitionNotAllowedError, match="CANCEL") as no_row:
                attempts[kind]()
            assert no_row.value.allowed_in == states
        else:
            with pytest.raises(DocumentNotAllowedError, match=kind.value) as refused:
                attempts[kind]()
            assert refused.value.allowed == states


def test_full_credit_note_settles_the_invoice() -> None:
    """A credit note over all lines takes the whole gross and settles the invoice (3 -> 4)."""
    sent = in_state(Status.SENT)
    result = credit(sent, id="G-1", actor=SAM, on=ON, authority=TWO, reason="goodwill")
    assert result.note.amount == sent.gross == eur("196.30")  # 119.00 + 53.50 + 23.80
    assert result.note.drafted_by == "sam"
    assert result.invoice.status is Status.PAID
    assert result.invoice.open_amount == eur("0.00")
    assert len(result.invoice.history) == len(sent.history) + 1  # one entry per booking
    last = result.invoice.history[-1]
    assert (last.kind, last.from_status, last.to_status, last.actor) == (
        EventKind.CREDIT_NOTE,
        Status.SENT,
        Status.PAID,
        "sam",
    )
    assert last.detail == "credit note G-1 of 196.30 EUR"


def test_partial_credit_note_reduces_the_open_amount() -> None:
    """A credit note for selected lines (the 7 % book) reduces the open amount by their gross."""
    sent = in_state(Status.SENT)
    result = credit(sent, id="G-1", actor=SAM, on=ON, authority=TWO, selection=[1])
    assert result.note.amount == eur("53.50")
    assert result.note.lines == (LINES[1],)
    assert result.invoice.status is Status.SENT
    assert result.invoice.open_amount == sent.gross - eur("53.50")
    assert result.invoice.lines == sent.lines


def test_credit_notes_on_dunned_invoices_settle_to_paid() -> None:
    """In 5 DUNNED a credit note over the rest settles the invoice (5 -> 4)."""
    dunned = in_state(Status.DUNNED)
    first = credit(dunned, id="G-1", actor=SAM, on=ON, authority=TWO, selection=[0, 2]).invoice
    assert first.status is Status.DUNNED
    second = credit(first, id="G-2", actor=SAM, on=ON, authority=TWO, selection=[1]).invoice
    assert second.status is Status.PAID


def test_credit_note_cannot_exceed_the_open_amount() -> None:
    """A credit note beyond the open amount is refused (refunds are outside dunlib): guard
    within-open."""
    sent = in_state(Status.SENT)
    paid_some = record_payment(
        sent, Payment(on=ON, amount=eur("100.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    with pytest.raises(GuardFailedError, match="within-open.*more than the open amount 96.30 EUR"):
        credit(paid_some, id="G-1", actor=SAM, on=ON, authority=TWO)
    other = CreditNote(id="G-2", on=ON, amount=Money("1.00", "USD"), drafted_by="dora")
    with pytest.raises(InvalidValueError, match="note.amount"):
        record_credit_note(sent, other, actor=SAM, on=ON, authority=TWO)
    with pytest.raises(InvalidTypeError, match="note"):
        record_credit_note(sent, "G-1", actor=SAM, on=ON, authority=TWO)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [Status.CREATED, Status.REVIEWED, Status.PAID])
def test_credit_notes_from_unbooked_or_paid_invoices_are_documents_only(status: Status) -> None:
    """From 1, 2 and 4 a credit note can be derived but not booked against the invoice: the
    table has no CREDIT row there."""
    invoice = in_state(status)
    note = derive_credit_note(invoice, id="G-1", on=ON, actor=DORA, selection=[2])
    assert note.amount == eur("23.80")
    with pytest.raises(TransitionNotAllowedError, match="CREDIT") as refused:
        record_credit_note(invoice, note, actor=SAM, on=ON, authority=TWO)
    assert "CREDIT" not in refused.value.allowed


def test_no_credit_note_or_cancellation_from_a_cancelling_invoice() -> None:
    """Seed state 1: the credit-note button is not shown for cancelling invoices."""
    cancelling = cancel(
        in_state(Status.SENT),
        id="S-1",
        actor=SAM,
        on=ON,
        sequence=SEQ.take()[1],
        authority=Authority(),
    )
    assert allowed_documents(cancelling.cancelling) == {
        DocumentKind.DELIVERY_NOTE,
        DocumentKind.NEW_INVOICE,
    }
    with pytest.raises(DocumentNotAllowedError, match="not from a cancelling invoice"):
        derive_credit_note(cancelling.cancelling, id="G-1", on=ON, actor=DORA)
    with pytest.raises(StepRefusedError, match="CANCEL is not allowed"):  # it is PAID
        cancel(
            cancelling.cancelling, id="S-2", actor=SAM, on=ON, sequence=SEQ, authority=Authority()
        )


def test_selection_must_name_lines_with_a_positive_total() -> None:
    """Selections are distinct, existing line indices; a credit note needs a positive total."""
    sent = in_state(Status.SENT)
    for selection in ([], [0, 0], [3], [-1]):
        with pytest.raises(InvalidValueError, match="selection"):
            derive_credit_note(sent, id="G-1", on=ON, actor=DORA, selection=selection)
    with pytest.raises(InvalidTypeError, match="selection"):
        derive_delivery_note(sent, id="L-1", on=ON, selection=["0"])  # type: ignore[list-item]
    mixed = in_state(Status.SENT, lines=(line("100.00"), line("-30.00")))
    with pytest.raises(InvalidValueError, match="total above zero"):
        derive_credit_note(mixed, id="G-1", on=ON, actor=DORA, selection=[1])


def test_cancellation_books_and_settles_a_cancelling_invoice() -> None:
    """Storno: a cancelling invoice with negated lines is booked under the next number and
    settled at once (4); the original goes to 6 CANCELLED (seed state 6), its gross written
    off against the cancelling invoice."""
    sent = in_state(Status.SENT)
    result = cancel(sent, id="S-1", actor=SAM, on=ON, sequence=SEQ.take()[1], authority=Authority())
    assert result.original.status is Status.CANCELLED
    assert result.original.lines == sent.lines
    assert result.original.write_offs == (
        WriteOff(on=ON, amount=sent.gross, reason="offset by cancelling invoice RE-0002"),
    )
    assert result.original.history[-1].detail.startswith("cancelled by RE-0002")
    cancelling = result.cancelling
    assert (cancelling.cancels, cancelling.number, cancelling.status) == ("INV-1", "RE-0002", 4)
    assert cancelling.gross == -sent.gross
    assert cancelling.issue_date == ON
    assert [e.to_status for e in cancelling.history] == [Status.DRAFT, Status.SENT, Status.PAID]
    assert cancelling.history[-1].detail == "cleared against RE-0001"
    assert cancelling.open_amount == result.original.open_amount == eur("0.00")
    assert result.sequence.next_number == "RE-0003"


def test_cancellation_of_a_dunned_invoice() -> None:
    """An invoice in 5 DUNNED can be cancelled too (5 -> 6)."""
    result = cancel(
        in_state(Status.DUNNED), id="S-1", actor=SAM, on=ON, sequence=SEQ, authority=Authority()
    )
    assert result.original.status is Status.CANCELLED


def test_no_cancellation_after_payments() -> None:
    """With payments recorded, cancellation is refused: credit the invoice instead."""
    paid_some = record_payment(
        in_state(Status.SENT),
        Payment(on=ON, amount=eur("10.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    with pytest.raises(GuardFailedError, match="nothing-settled.*credit the invoice instead"):
        cancel(paid_some, id="S-1", actor=SAM, on=ON, sequence=SEQ, authority=Authority())


def test_cancellation_needs_the_right_and_a_fresh_id() -> None:
    """Cancelling needs the CANCEL right, a NumberSequence and an id of its own."""
    sent = in_state(Status.SENT)
    with pytest.raises(PermissionDeniedError, match="CANCEL"):
        cancel(sent, id="S-1", actor=DORA, on=ON, sequence=SEQ, authority=Authority())
    with pytest.raises(InvalidValueError, match="cancel.id"):
        cancel(sent, id="INV-1", actor=SAM, on=ON, sequence=SEQ, authority=Authority())
    with pytest.raises(InvalidTypeError, match="cancel.sequence"):
        cancel(sent, id="S-1", actor=SAM, on=ON, sequence="RE-2", authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="cancel.on"):
        cancel(
            sent, id="S-1", actor=SAM, on=dt.date(2026, 1, 1), sequence=SEQ, authority=Authority()
        )


def test_delivery_note_and_new_invoice_from_selected_lines() -> None:
    """Partial delivery notes and new invoices take the marked lines, customer and terms."""
    reviewed = in_state(Status.REVIEWED)
    note = derive_delivery_note(reviewed, id="L-1", on=ON, selection=[2, 0])
    assert note == DeliveryNote(
        id="L-1", on=ON, invoice_id="INV-1", customer=ACME, lines=(LINES[0], LINES[2])
    )
    new = derive_invoice(reviewed, id="N-1", actor=DORA, on=ON, selection=[1])
    assert (new.status, new.lines, new.terms, new.customer) == (
        Status.DRAFT,
        (LINES[1],),
        reviewed.terms,
        ACME,
    )
    assert new.history[0].actor == "dora"
    assert derive_invoice(reviewed, id="N-2", actor=clerk("d"), on=ON).lines == LINES


def test_documents_need_an_invoice_with_lines() -> None:
    """A document needs an Invoice, and taking all lines needs at least one."""
    with pytest.raises(InvalidTypeError):
        derive_delivery_note("INV-1", id="L-1", on=ON)  # type: ignore[arg-type]
    empty = attrs.evolve(in_state(Status.REVIEWED), lines=())
    with pytest.raises(InvalidValueError, match="lines to take"):
        derive_delivery_note(empty, id="L-1", on=ON)


def test_credit_needs_an_accountant_actor() -> None:
    """Rule: booking a credit note is the CREDIT row, granted to accountants only: a clerk
    can neither credit nor apply a credit note (PermissionDeniedError), and the booker must
    be an Actor, not an id string (InvalidTypeError). The invoice is left unchanged."""
    sent = in_state(Status.SENT)
    before = attrs.evolve(sent)
    note = derive_credit_note(sent, id="G-1", on=ON, actor=SAM, selection=[2])
    with pytest.raises(PermissionDeniedError, match="CREDIT") as denied:
        credit(sent, id="G-1", actor=DORA, on=ON, authority=TWO, selection=[2])
    assert (denied.value.actor, denied.value.required) == ("dora", ["accountant"])
    with pytest.raises(PermissionDeniedError, match="CREDIT"):
        record_credit_note(sent, note, actor=DORA, on=ON, authority=TWO)
    with pytest.raises(InvalidTypeError, match="actor"):
        record_credit_note(sent, note, actor="sam", on=ON, authority=TWO)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="actor"):
        credit(sent, id="G-1", actor="sam", on=ON, authority=TWO)  # type: ignore[arg-type]
    assert sent == before
    assert record_credit_note(sent, note, actor=SAM, on=ON, authority=TWO).credited == eur("23.80")


def test_under_four_eyes_the_drafter_of_a_credit_note_may_not_book_it() -> None:
    """Rule booker-not-drafter: under 4 eyes whoever drafted a credit note may not book it
    (PolicyViolationError); another accountant may."""
    sent = in_state(Status.SENT)
    note = derive_credit_note(sent, id="G-1", on=ON, actor=SAM, selection=[2])
    assert note.drafted_by == "sam"
    with pytest.raises(PolicyViolationError) as refused:
        record_credit_note(sent, note, actor=SAM, on=ON, authority=FOUR)
    assert refused.value.rule == PolicyRule.BOOKER_NOT_DRAFTER
    assert (refused.value.actor, refused.value.eyes) == ("sam", 4)
    with pytest.raises(PolicyViolationError, match="booker-not-drafter"):
        credit(sent, id="G-1", actor=SAM, on=ON, authority=FOUR, selection=[2])
    booked = record_credit_note(sent, note, actor=ANN, on=ON, authority=FOUR)
    assert booked.credit_notes == (note,)
    assert booked.history[-1].actor == "ann"
    both = credit(sent, id="G-1", actor=ANN, drafted_by=SAM, on=ON, authority=FOUR, selection=[2])
    assert both.invoice.credited == eur("23.80")


def test_cancelling_a_dunned_invoice_writes_off_gross_and_fees() -> None:
    """Rule: cancelling a DUNNED invoice with a 5.00 fee writes off its whole claim: the
    original is CANCELLED with nothing open and gross + fees written off (recorded in its
    history), its replayed balance agrees; the cancelling invoice is PAID with nothing open,
    and nothing is open over both."""
    sent = in_state(Status.SENT)
    dunned = dun(sent, on=sent.due_date + dt.timedelta(days=1), fee="5.00")
    assert (dunned.status, dunned.fees) == (Status.DUNNED, eur("5.00"))
    result = cancel(
        dunned, id="S-1", actor=SAM, on=ON, sequence=SEQ.take()[1], authority=Authority()
    )
    original, cancelling = result.original, result.cancelling
    assert original.status is Status.CANCELLED
    assert original.open_amount == eur("0.00")
    assert original.written_off == dunned.gross + dunned.fees == eur("201.30")
    assert original.total_due == original.settled + original.written_off + original.open_amount
    last = original.history[-1]
    assert (last.from_status, last.to_status, last.actor) == (
        Status.DUNNED,
        Status.CANCELLED,
        "sam",
    )
    assert "written off" in last.detail
    assert "5.00 EUR" in last.detail
    assert balance(original).total == original.open_amount
    assert cancelling.status is Status.PAID
    assert cancelling.open_amount == eur("0.00")
    assert balance(cancelling).total == cancelling.open_amount
    assert original.open_amount + cancelling.open_amount == eur("0.00")


def test_write_off_clears_what_is_open() -> None:
    """Rule: write_off() of a DUNNED invoice leaves nothing open, status WRITTEN_OFF, and
    records the open amount before it as written off."""
    sent = in_state(Status.SENT)
    dunned = dun(sent, on=sent.due_date + dt.timedelta(days=1), fee="5.00")
    dunned = record_payment(
        dunned, Payment(on=ON, amount=eur("50.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    open_before = dunned.open_amount
    assert open_before == eur("151.30")
    written = write_off(dunned, actor=SAM, on=ON, authority=Authority())
    assert written.status is Status.WRITTEN_OFF
    assert written.open_amount == eur("0.00")
    assert written.written_off == open_before
    assert written.history[-1].kind is EventKind.WRITE_OFF
    assert balance(written).total == eur("0.00")


@given(lines=st.lists(line_items(), min_size=2, max_size=6), data=st.data())
def test_credit_notes_for_a_partition_never_exceed_the_gross_by_more_than_rounding(
    lines: list[LineItem], data: st.DataObject
) -> None:
    """Law (partition): credit notes over disjoint selections covering all lines add up to
    the gross within one minor unit per tax rate (tax is rounded once per rate per document)."""
    invoice = in_state(Status.REVIEWED, lines=tuple(lines))
    split = data.draw(st.integers(min_value=1, max_value=len(lines) - 1))
    parts = [list(range(split)), list(range(split, len(lines)))]
    rates = len({item.tax_rate for item in lines})
    total = Money.zero("EUR")
    for part in parts:
        selected = [lines[i] for i in part]
        if not any(item.net.is_positive for item in selected):
            return
        note = derive_credit_note(invoice, id="G", on=ON, actor=DORA, selection=part)
        total = total + note.amount
    assert abs(total - invoice.gross) <= Money("0.01", "EUR").scaled(rates * 2)


def test_an_invoice_of_nothing_is_cancelled_without_write_offs() -> None:
    """A booked invoice over 0.00 cancels like any other; nothing is written off, since
    nothing was claimed (a write-off of zero is no write-off). Found by the stateful test."""
    booked = sent("0.00")
    done = cancel(
        booked, id="ST-0", actor=SAM, on=booked.issue_date, sequence=SEQ, authority=Authority()
    )
    assert done.original.status is Status.CANCELLED
    assert done.original.write_offs == ()
    assert done.cancelling.write_offs == ()
    assert done.original.open_amount.is_zero
    assert done.cancelling.open_amount.is_zero


@pytest.mark.parametrize("dated", [dt.date(1990, 1, 1), dt.date(2030, 1, 1)])
def test_a_credit_note_takes_effect_on_the_day_it_is_booked(dated: dt.date) -> None:
    """Issue 21, finding 6: a credit note booked on one day but dated another (1990: seen
    by as_of before it was booked and cutting interest; 2030: breaking as_of(inv, last) ==
    inv) is refused, naming the note's date and the booking day; a note dated its booking
    day is booked, and the invoice as of the day before does not see it."""
    sent = in_state(Status.SENT)
    note = derive_credit_note(sent, id="G-1", on=dated, actor=SAM, selection=[2])
    with pytest.raises(InvalidValueError) as refused:
        record_credit_note(sent, note, actor=ANN, on=ON, authority=FOUR)
    assert (refused.value.field, refused.value.value) == ("record_credit_note.note.on", dated)
    assert f"the booking day {ON}" in refused.value.expected
    booked = record_credit_note(sent, attrs.evolve(note, on=ON), actor=ANN, on=ON, authority=FOUR)
    assert as_of(booked, today=ON) == booked
    assert as_of(booked, today=ON - dt.timedelta(days=1)).credit_notes == ()


def test_a_credit_note_needs_whoever_derives_it() -> None:
    """An empty id for whoever derives a credit note is refused, naming the field."""
    with pytest.raises(InvalidValueError, match=r"derive_credit_note.actor"):
        derive_credit_note(sent(), id="G-1", on=ON, actor="  ", selection=[1])


def test_a_credit_note_s_tax_is_its_split_s_or_its_lines_as_an_invoice_s() -> None:
    """credit_note_tax: a price reduction's tax is what its split took out of each share;
    a note of lines (or one whose amount no split gives) has the tax of its lines computed as
    an invoice's, once per rate; a note without lines has none."""
    invoice = Invoice.sent(number="RE-7", customer=ACME, issue_date=D0, lines=[line()])
    reduction = derive_credit_note(invoice, id="G-1", on=D0, actor="ann", amount=eur("0.16"))
    ((_, tax),) = credit_note_tax(invoice, reduction)
    assert (reduction.lines[0].net, tax) == (eur("0.13"), eur("0.03"))
    of_lines = derive_credit_note(invoice, id="G-2", on=D0, actor="ann")
    assert credit_note_tax(invoice, of_lines) == invoice.tax_by_rate
    beyond = attrs.evolve(of_lines, amount=invoice.gross + eur("1.00"))
    assert credit_note_tax(invoice, beyond) == invoice.tax_by_rate
    assert credit_note_tax(invoice, attrs.evolve(of_lines, lines=())) == ()
    with pytest.raises(InvalidTypeError, match="credit_note_tax.note"):
        credit_note_tax(invoice, "G-1")  # type: ignore[arg-type]
