"""Derived documents: credit notes, cancellation, delivery notes and new invoices."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import (
    CreditNote,
    Customer,
    DocumentNotAllowedError,
    EventKind,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PermissionDeniedError,
    Status,
)
from dunlib.documents import (
    ALLOWED_FROM,
    DeliveryNote,
    DocumentKind,
    allowed_documents,
    apply_credit_note,
    cancel,
    credit,
    derive_credit_note,
    derive_delivery_note,
    derive_invoice,
)
from dunlib.drafts import create_draft
from dunlib.strategies import line_items
from dunlib.workflow import (
    ACCOUNTANT,
    CLERK,
    REVIEWER,
    Actor,
    ApprovalPolicy,
    Command,
    transition,
)

ACME = Customer(id="C-1", name="ACME GmbH")
D0 = dt.date(2026, 1, 5)
ON = dt.date(2026, 2, 1)
SEQ = NumberSequence(prefix="RE-", width=4)
SIX = ApprovalPolicy(eyes=6)
DORA = Actor(id="dora", roles={CLERK})
RITA = Actor(id="rita", roles={REVIEWER})
SAM = Actor(id="sam", roles={ACCOUNTANT})


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def line(price: str, rate: int = 19, description: str = "Item") -> LineItem:
    return LineItem(description=description, quantity=1, unit_price=eur(price), tax_rate=rate)


LINES = (line("100.00", description="Consulting"), line("50.00", 7, "Book"), line("20.00"))


def in_state(status: Status, lines: tuple[LineItem, ...] = LINES) -> Invoice:
    """An invoice with ``lines`` brought into ``status`` by three distinct people."""
    invoice = create_draft(
        id="INV-1", customer=ACME, currency="EUR", actor="dora", on=D0, lines=lines
    )
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
        return credit(invoice, id="G-0", actor="sam", on=D0).invoice
    if status is Status.CANCELLED:
        return cancel(invoice, id="S-0", actor=SAM, on=D0, sequence=SEQ.take()[1]).original
    invoice = transition(invoice, Command.DUN, actor=SAM, on=invoice.due_date, policy=SIX)
    if status is Status.DUNNED:
        return invoice
    return transition(invoice, Command.WRITE_OFF, actor=SAM, on=invoice.due_date, policy=SIX)


def test_allowed_states_follow_the_seed() -> None:
    """Credit notes from 1 to 5; cancellation in 3 and 5; delivery notes, new invoices 2 to 7."""
    assert ALLOWED_FROM[DocumentKind.CREDIT_NOTE] == {1, 2, 3, 4, 5}
    assert ALLOWED_FROM[DocumentKind.CANCELLATION] == {3, 5}
    assert ALLOWED_FROM[DocumentKind.DELIVERY_NOTE] == {2, 3, 4, 5, 6, 7}
    assert ALLOWED_FROM[DocumentKind.NEW_INVOICE] == {2, 3, 4, 5, 6, 7}


@pytest.mark.parametrize(("status", "kind"), list(itertools.product(Status, DocumentKind)))
def test_every_document_in_every_state(status: Status, kind: DocumentKind) -> None:
    """Exhaustive: each document is made exactly in the states ALLOWED_FROM gives,
    and refused elsewhere with DocumentNotAllowedError naming the allowed states."""
    invoice = in_state(status)
    attempts: dict[DocumentKind, Callable[[], object]] = {
        DocumentKind.CREDIT_NOTE: lambda: derive_credit_note(invoice, id="G-1", on=ON),
        DocumentKind.CANCELLATION: lambda: cancel(
            invoice, id="S-1", actor=SAM, on=ON, sequence=SEQ.take()[1]
        ),
        DocumentKind.DELIVERY_NOTE: lambda: derive_delivery_note(invoice, id="L-1", on=ON),
        DocumentKind.NEW_INVOICE: lambda: derive_invoice(invoice, id="N-1", actor="x", on=ON),
    }
    if status in ALLOWED_FROM[kind]:
        assert kind in allowed_documents(invoice)
        attempts[kind]()
    else:
        assert kind not in allowed_documents(invoice)
        with pytest.raises(DocumentNotAllowedError, match=kind.value) as refused:
            attempts[kind]()
        assert refused.value.allowed == [f"{s.value} {s.name}" for s in sorted(ALLOWED_FROM[kind])]


def test_full_credit_note_settles_the_invoice() -> None:
    """A credit note over all lines takes the whole gross and settles the invoice (3 -> 4)."""
    sent = in_state(Status.SENT)
    result = credit(sent, id="G-1", actor="sam", on=ON, reason="goodwill")
    assert result.note.amount == sent.gross == eur("196.30")  # 119.00 + 53.50 + 23.80
    assert result.invoice.status is Status.PAID
    assert result.invoice.open_amount == eur("0.00")
    kinds = [(e.kind, e.to_status) for e in result.invoice.history[-2:]]
    assert kinds == [(EventKind.CREDIT_NOTE, Status.SENT), (EventKind.TRANSITION, Status.PAID)]
    assert result.invoice.history[-1].detail == "settled by credit note G-1"


def test_partial_credit_note_reduces_the_open_amount() -> None:
    """A credit note for selected lines (the 7 % book) reduces the open amount by their gross."""
    sent = in_state(Status.SENT)
    result = credit(sent, id="G-1", actor="sam", on=ON, selection=[1])
    assert result.note.amount == eur("53.50")
    assert result.note.lines == (LINES[1],)
    assert result.invoice.status is Status.SENT
    assert result.invoice.open_amount == sent.gross - eur("53.50")
    assert result.invoice.lines == sent.lines


def test_credit_notes_on_dunned_invoices_settle_to_paid() -> None:
    """In 5 DUNNED a credit note over the rest settles the invoice (5 -> 4)."""
    dunned = in_state(Status.DUNNED)
    first = credit(dunned, id="G-1", actor="sam", on=ON, selection=[0, 2]).invoice
    assert first.status is Status.DUNNED
    assert credit(first, id="G-2", actor="sam", on=ON, selection=[1]).invoice.status is Status.PAID


def test_credit_note_cannot_exceed_the_open_amount() -> None:
    """A credit note beyond the open amount is refused (refunds are outside dunlib)."""
    sent = in_state(Status.SENT)
    paid_some = attrs.evolve(sent, payments=(Payment(on=ON, amount=eur("100.00")),))
    with pytest.raises(InvalidValueError, match="at most the open amount 96.30 EUR"):
        credit(paid_some, id="G-1", actor="sam", on=ON)
    other = CreditNote(id="G-2", on=ON, amount=Money("1.00", "USD"))
    with pytest.raises(InvalidValueError, match="note.amount"):
        apply_credit_note(sent, other, actor="sam", on=ON)
    with pytest.raises(InvalidTypeError, match="note"):
        apply_credit_note(sent, "G-1", actor="sam", on=ON)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [Status.CREATED, Status.REVIEWED, Status.PAID])
def test_credit_notes_from_unbooked_or_paid_invoices_are_documents_only(status: Status) -> None:
    """From 1, 2 and 4 a credit note can be derived but not booked against the invoice."""
    invoice = in_state(status)
    note = derive_credit_note(invoice, id="G-1", on=ON, selection=[2])
    assert note.amount == eur("23.80")
    with pytest.raises(InvalidValueError, match="3 SENT or 5 DUNNED"):
        apply_credit_note(invoice, note, actor="sam", on=ON)


def test_no_credit_note_or_cancellation_from_a_cancelling_invoice() -> None:
    """Seed state 1: the credit-note button is not shown for cancelling invoices."""
    cancelling = cancel(in_state(Status.SENT), id="S-1", actor=SAM, on=ON, sequence=SEQ.take()[1])
    assert allowed_documents(cancelling.cancelling) == {
        DocumentKind.DELIVERY_NOTE,
        DocumentKind.NEW_INVOICE,
    }
    with pytest.raises(DocumentNotAllowedError, match="not from a cancelling invoice"):
        derive_credit_note(cancelling.cancelling, id="G-1", on=ON)
    as_sent = attrs.evolve(cancelling.cancelling, status=Status.SENT)
    with pytest.raises(DocumentNotAllowedError, match="cancellation"):
        cancel(as_sent, id="S-2", actor=SAM, on=ON, sequence=SEQ)


def test_selection_must_name_lines_with_a_positive_total() -> None:
    """Selections are distinct, existing line indices; a credit note needs a positive total."""
    sent = in_state(Status.SENT)
    for selection in ([], [0, 0], [3], [-1]):
        with pytest.raises(InvalidValueError, match="selection"):
            derive_credit_note(sent, id="G-1", on=ON, selection=selection)
    with pytest.raises(InvalidTypeError, match="selection"):
        derive_delivery_note(sent, id="L-1", on=ON, selection=["0"])  # type: ignore[list-item]
    mixed = in_state(Status.SENT, lines=(line("100.00"), line("-30.00")))
    with pytest.raises(InvalidValueError, match="total above zero"):
        derive_credit_note(mixed, id="G-1", on=ON, selection=[1])


def test_cancellation_books_and_settles_a_cancelling_invoice() -> None:
    """Storno: a cancelling invoice with negated lines is booked under the next number and
    settled at once (4); the original goes to 6 CANCELLED (seed state 6)."""
    sent = in_state(Status.SENT)
    result = cancel(sent, id="S-1", actor=SAM, on=ON, sequence=SEQ.take()[1])
    assert result.original.status is Status.CANCELLED
    assert result.original.lines == sent.lines
    assert result.original.history[-1].detail == "cancelled by RE-0002"
    cancelling = result.cancelling
    assert (cancelling.cancels, cancelling.number, cancelling.status) == ("INV-1", "RE-0002", 4)
    assert cancelling.gross == -sent.gross
    assert cancelling.issue_date == ON
    assert [e.to_status for e in cancelling.history] == [Status.SENT, Status.PAID]
    assert cancelling.history[-1].detail == "settled by matching against RE-0001"
    assert result.sequence.next_number == "RE-0003"


def test_cancellation_of_a_dunned_invoice() -> None:
    """An invoice in 5 DUNNED can be cancelled too (5 -> 6)."""
    result = cancel(in_state(Status.DUNNED), id="S-1", actor=SAM, on=ON, sequence=SEQ)
    assert result.original.status is Status.CANCELLED


def test_no_cancellation_after_payments() -> None:
    """With payments recorded, cancellation is refused: credit the invoice instead."""
    paid_some = attrs.evolve(in_state(Status.SENT), payments=(Payment(on=ON, amount=eur("10.00")),))
    with pytest.raises(GuardFailedError, match="nothing-settled.*credit the invoice instead"):
        cancel(paid_some, id="S-1", actor=SAM, on=ON, sequence=SEQ)


def test_cancellation_needs_the_right_and_a_fresh_id() -> None:
    """Cancelling needs the CANCEL right, a NumberSequence and an id of its own."""
    sent = in_state(Status.SENT)
    with pytest.raises(PermissionDeniedError, match="CANCEL"):
        cancel(sent, id="S-1", actor=DORA, on=ON, sequence=SEQ)
    with pytest.raises(InvalidValueError, match="cancel.id"):
        cancel(sent, id="INV-1", actor=SAM, on=ON, sequence=SEQ)
    with pytest.raises(InvalidTypeError, match="cancel.sequence"):
        cancel(sent, id="S-1", actor=SAM, on=ON, sequence="RE-2")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="cancel.on"):
        cancel(sent, id="S-1", actor=SAM, on=dt.date(2026, 1, 1), sequence=SEQ)


def test_delivery_note_and_new_invoice_from_selected_lines() -> None:
    """Partial delivery notes and new invoices take the marked lines, customer and terms."""
    reviewed = in_state(Status.REVIEWED)
    note = derive_delivery_note(reviewed, id="L-1", on=ON, selection=[2, 0])
    assert note == DeliveryNote(
        id="L-1", on=ON, invoice_id="INV-1", customer=ACME, lines=(LINES[0], LINES[2])
    )
    new = derive_invoice(reviewed, id="N-1", actor="dora", on=ON, selection=[1])
    assert (new.status, new.lines, new.terms, new.customer) == (
        Status.DRAFT,
        (LINES[1],),
        reviewed.terms,
        ACME,
    )
    assert new.history[0].actor == "dora"
    assert derive_invoice(reviewed, id="N-2", actor="d", on=ON).lines == LINES


def test_documents_need_an_invoice_with_lines() -> None:
    """A document needs an Invoice, and taking all lines needs at least one."""
    with pytest.raises(InvalidTypeError):
        derive_delivery_note("INV-1", id="L-1", on=ON)  # type: ignore[arg-type]
    empty = attrs.evolve(in_state(Status.REVIEWED), lines=())
    with pytest.raises(InvalidValueError, match="lines to take"):
        derive_delivery_note(empty, id="L-1", on=ON)


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
        total = total + derive_credit_note(invoice, id="G", on=ON, selection=part).amount
    assert abs(total - invoice.gross) <= Money("0.01", "EUR").scaled(rates * 2)
