"""An invoice's documents made, sent again and printed, recorded in its history through the one
booking path (seed 002: "Dokument erstellen", "Versenden" again in states 3 and 4, paper
invoices printed by hand)."""

from __future__ import annotations

import datetime as dt
import hashlib

import attrs
import pytest

from builders import ACME, TWO
from dunlib import Payment, record_payment
from dunlib.core import (
    DeliveryChannel,
    EventKind,
    GuardFailedError,
    HistoryEntry,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    PermissionDeniedError,
    Status,
    TransitionNotAllowedError,
)
from dunlib.io import from_json, to_json
from dunlib.workflow import (
    AUTOMATIC,
    Actor,
    Authority,
    DocumentRecord,
    create_draft,
    document_records,
    record_document,
    record_printed,
    record_resent,
    still_to_print,
)

DAY = dt.date(2026, 5, 4)
LATER = dt.date(2026, 5, 20)
SAM = Actor(id="sam", roles={"accountant"})
CLERK = Actor(id="dora", roles={"clerk"})
PDF = b"%PDF-1.7 the invoice"
DIGEST = hashlib.sha256(PDF).hexdigest()


def booked(channel: DeliveryChannel = DeliveryChannel.ONLINE) -> Invoice:
    """A booked invoice of 119.00 EUR going out by ``channel``."""
    return Invoice.sent(
        number="RE-2026-0001",
        customer=ACME,
        issue_date=DAY,
        gross=Money("119.00", "EUR"),
        channel=channel,
    )


def test_a_document_made_is_recorded_with_who_when_and_its_hash() -> None:
    """Making (or making again) records the document's name and the SHA-256 of its bytes, by
    the actor on the day; the state and every amount stay as they were."""
    invoice = booked()
    made = record_document(
        invoice, document="RE-2026-0001.pdf", content=PDF, actor=SAM, on=LATER, authority=TWO
    )
    assert made.history[:-1] == invoice.history
    entry = made.history[-1]
    assert (entry.kind, entry.on, entry.actor, entry.detail) == (
        EventKind.DOCUMENT_MADE,
        LATER,
        "sam",
        f"RE-2026-0001.pdf sha256:{DIGEST}",
    )
    assert (made.status, made.open_amount) == (invoice.status, invoice.open_amount)
    assert document_records(made) == (
        DocumentRecord(
            on=LATER,
            kind=EventKind.DOCUMENT_MADE,
            actor="sam",
            document="RE-2026-0001.pdf",
            sha256=DIGEST,
        ),
    )
    assert from_json(to_json(made), Invoice) == made


def test_a_draft_s_preview_is_made_by_its_clerk() -> None:
    """Seed 002: a document at every step, the preview of a draft by whoever drafts it."""
    draft = create_draft(id="D-1", customer=ACME, currency="EUR", actor=CLERK, on=DAY)
    made = record_document(
        draft, document="preview.pdf", content=b"%PDF", actor=CLERK, on=DAY, authority=TWO
    )
    assert [record.document for record in document_records(made)] == ["preview.pdf"]
    assert made.status is Status.DRAFT


def test_an_online_invoice_is_resent_in_states_3_and_4_only() -> None:
    """Versenden again: in 3 SENT and 4 PAID; a dunned invoice has no such row, and a paper
    invoice is not sent by e-mail (guard online)."""
    invoice = booked()
    resent = record_resent(
        invoice, document="RE-2026-0001.pdf", content=PDF, actor=SAM, on=DAY, authority=TWO
    )
    assert resent.history[-1].kind is EventKind.DOCUMENT_RESENT
    paid = record_payment(
        invoice, Payment(on=DAY, amount=invoice.gross), actor=AUTOMATIC, authority=Authority()
    ).invoice
    assert paid.status is Status.PAID
    assert (
        record_resent(paid, document="RE.pdf", content=PDF, actor=AUTOMATIC, on=DAY, authority=TWO)
        .history[-1]
        .to_status
        is Status.PAID
    )
    with pytest.raises(GuardFailedError, match="online.*a paper invoice is not sent by e-mail"):
        record_resent(
            booked(DeliveryChannel.PAPER), document="RE.pdf", content=PDF, actor=SAM, on=DAY,
            authority=TWO,
        )  # fmt: skip
    draft = create_draft(id="D-1", customer=ACME, currency="EUR", actor=CLERK, on=DAY)
    with pytest.raises(TransitionNotAllowedError, match="RESEND"):
        record_resent(draft, document="RE.pdf", content=PDF, actor=SAM, on=DAY, authority=TWO)


def test_printing_is_for_invoices_that_go_out_on_paper() -> None:
    """Printing is recorded for a paper invoice (or one going both ways), in a booked state;
    an invoice going by e-mail only is not printed (guard on-paper)."""
    for channel in (DeliveryChannel.PAPER, DeliveryChannel.BOTH):
        printed = record_printed(
            booked(channel), document="RE.pdf", content=PDF, actor=SAM, on=DAY, authority=TWO
        )
        assert printed.history[-1].kind is EventKind.DOCUMENT_PRINTED
    with pytest.raises(GuardFailedError, match="on-paper.*is not printed"):
        record_printed(booked(), document="RE.pdf", content=PDF, actor=SAM, on=DAY, authority=TWO)


def test_recording_checks_rights_and_the_day_as_every_booking() -> None:
    """The one path: an actor without the role is refused, and so is a day before the last
    step (history never goes back)."""
    reviewer = Actor(id="rita", roles={"reviewer"})
    with pytest.raises(PermissionDeniedError, match="RESEND"):
        record_resent(
            booked(), document="RE.pdf", content=PDF, actor=reviewer, on=DAY, authority=TWO
        )
    with pytest.raises(InvalidValueError, match="record_document.on"):
        record_document(
            booked(), document="RE.pdf", content=PDF, actor=SAM, on=DAY - dt.timedelta(days=1),
            authority=TWO,
        )  # fmt: skip


@pytest.mark.parametrize("document", ["", " RE.pdf", "RE.pdf ", "two\nlines", "x" * 201, 7])
def test_a_document_needs_a_name_on_one_line(document: object) -> None:
    """The name is 1 to 200 characters on one line, without a space at either end."""
    with pytest.raises(InvalidValueError, match="record_document.document"):
        record_document(
            booked(), document=document, content=PDF, actor=SAM, on=DAY, authority=TWO,  # type: ignore[arg-type]
        )  # fmt: skip


def test_a_document_s_content_is_its_bytes() -> None:
    """The hash is dunlib's own, of the bytes given: text is refused."""
    with pytest.raises(InvalidTypeError, match="record_printed.content"):
        record_printed(
            booked(DeliveryChannel.PAPER), document="RE.pdf", content="%PDF", actor=SAM, on=DAY,  # type: ignore[arg-type]
            authority=TWO,
        )  # fmt: skip


def test_an_entry_built_by_hand_must_name_its_document_and_fit_the_channel() -> None:
    """A value cannot hold what the operations cannot produce: a document entry without a
    hash, or a resend of a paper invoice, is refused when the invoice is built."""
    invoice = booked()
    entry = HistoryEntry(
        on=DAY,
        kind=EventKind.DOCUMENT_MADE,
        from_status=Status.SENT,
        to_status=Status.SENT,
        actor="sam",
        detail="RE.pdf",
    )
    with pytest.raises(InvalidValueError, match=r"history\[1\].detail.*sha256"):
        attrs.evolve(invoice, history=(*invoice.history, entry))
    resent = record_resent(
        invoice, document="RE.pdf", content=PDF, actor=SAM, on=DAY, authority=TWO
    )
    with pytest.raises(InvalidValueError, match=r"history\[1\].kind.*\(PAPER\)"):
        attrs.evolve(resent, channel=DeliveryChannel.PAPER)


def test_paper_invoices_still_to_print_are_the_booked_unprinted_ones() -> None:
    """Seed 002: paper invoices the automatic run booked must still be printed and posted;
    once printing is recorded, an invoice leaves the list. Drafts and online invoices are
    never on it; the order given is kept."""
    paper, both, online = map(
        booked, (DeliveryChannel.PAPER, DeliveryChannel.BOTH, DeliveryChannel.ONLINE)
    )
    draft = create_draft(
        id="D-1", customer=ACME, currency="EUR", actor=CLERK, on=DAY,
        channel=DeliveryChannel.PAPER,
    )  # fmt: skip
    assert still_to_print([paper, both, online, draft]) == (paper, both)
    printed = record_printed(
        paper, document="RE.pdf", content=PDF, actor=SAM, on=DAY, authority=TWO
    )
    assert still_to_print([printed, both]) == (both,)
    with pytest.raises(InvalidTypeError, match="still_to_print.invoices"):
        still_to_print(["RE-2026-0001"])  # type: ignore[list-item]
