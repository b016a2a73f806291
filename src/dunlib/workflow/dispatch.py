"""What became of an invoice's documents: made, sent again and printed, each recorded in its
history through the one booking path (seed 002).

Seed 002 makes a document at every step: the preview of a draft, the invoice once booked,
anew on request ("Dokument erstellen", when the first one failed or its template was
wrong); it sends an online invoice again on request in states 3 and 4 ("Versenden"), and
leaves paper invoices to be printed and posted by hand. Each of these is a row of the
transition table (:data:`~dunlib.core.transitions.ROWS`, kind ``document``):

- :func:`record_document` (MAKE_DOCUMENT, in every state);
- :func:`record_resent` (RESEND, in 3 SENT and 4 PAID, guard ``online``: not a paper invoice);
- :func:`record_printed` (PRINT, in every booked state, guard ``on-paper``: not an invoice
  that goes out by e-mail only).

Each checks the row, the actor's rights, the guards and the day as every booking does, and
appends one history entry naming the document and the SHA-256 of its bytes
(``RE-2026-0001.pdf sha256:…``), by ``actor`` on ``on``; nothing owed changes.
:func:`document_records` reads them back, and :func:`still_to_print` lists the paper invoices
booked but not printed yet.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.history import DOCUMENT_DETAIL, EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.records import DeliveryChannel
from dunlib.core.transitions import Command
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import Actor, Authority

__all__ = [
    "DocumentRecord",
    "document_records",
    "record_document",
    "record_printed",
    "record_resent",
    "still_to_print",
]

_DOCUMENT_KINDS = (EventKind.DOCUMENT_MADE, EventKind.DOCUMENT_RESENT, EventKind.DOCUMENT_PRINTED)
_MAX_NAME = 200
"""How long a document's name may be (characters)."""


@attrs.frozen(kw_only=True)
class DocumentRecord:
    """One document of an invoice as its history records it: ``on`` the day, ``kind`` what
    happened (:attr:`~dunlib.core.history.EventKind.DOCUMENT_MADE`, ``DOCUMENT_RESENT`` or
    ``DOCUMENT_PRINTED``), ``actor`` who did it, ``document`` its name and ``sha256`` the
    SHA-256 of its bytes (64 lower-case hex digits), by which a copy is recognised."""

    on: _dt.date = attrs.field(validator=v.calendar_date)
    kind: EventKind = attrs.field(validator=v.of_type(EventKind, expected="an EventKind"))
    actor: str = attrs.field(validator=v.text)
    document: str = attrs.field(validator=v.non_empty_text)
    sha256: str = attrs.field(validator=v.non_empty_text)


def _detail(document: object, content: object, operation: str) -> str:
    """The entry's detail: the document's name and the SHA-256 of ``content``."""
    if not isinstance(content, bytes):
        raise InvalidTypeError(f"{operation}.content", content, "the document's bytes")
    name = document if isinstance(document, str) and len(document) <= _MAX_NAME else ""
    detail = f"{name} sha256:{hashlib.sha256(content).hexdigest()}"
    if DOCUMENT_DETAIL.fullmatch(detail) is None:
        raise InvalidValueError(
            f"{operation}.document",
            document,
            f"the document's name, such as 'RE-2026-0001.pdf': 1 to {_MAX_NAME} characters on "
            "one line, not starting or ending with a space",
        )
    return detail


def _record(
    invoice: Invoice,
    command: Command,
    kind: EventKind,
    operation: str,
    *,
    document: str,
    content: bytes,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    checked_invoice(invoice, operation)
    return _booking.book(
        invoice,
        command,
        operation=operation,
        actor=actor,
        on=on,
        authority=authority,
        kind=kind,
        detail=_detail(document, content, operation),
    )


def record_document(
    invoice: Invoice,
    *,
    document: str,
    content: bytes,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    """``invoice`` with its ``document`` (a name, such as ``RE-2026-0001.pdf``, and its bytes
    ``content``) recorded as made by ``actor`` on ``on``: the preview of a draft, the booked
    invoice, or one made again on request (MAKE_DOCUMENT, in every state)."""
    return _record(
        invoice, Command.MAKE_DOCUMENT, EventKind.DOCUMENT_MADE, "record_document",
        document=document, content=content, actor=actor, on=on, authority=authority,
    )  # fmt: skip


def record_resent(
    invoice: Invoice,
    *,
    document: str,
    content: bytes,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    """``invoice`` with its ``document`` recorded as sent to the customer again by e-mail by
    ``actor`` on ``on`` (RESEND: in 3 SENT and 4 PAID, for an invoice that goes out by
    e-mail; a paper invoice is refused with :class:`~dunlib.core.errors.GuardFailedError`)."""
    return _record(
        invoice, Command.RESEND, EventKind.DOCUMENT_RESENT, "record_resent",
        document=document, content=content, actor=actor, on=on, authority=authority,
    )  # fmt: skip


def record_printed(
    invoice: Invoice,
    *,
    document: str,
    content: bytes,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    """``invoice`` with its ``document`` recorded as printed to be posted by ``actor`` on
    ``on`` (PRINT: in every booked state, for an invoice that goes out on paper; one that
    goes by e-mail only is refused with :class:`~dunlib.core.errors.GuardFailedError`)."""
    return _record(
        invoice, Command.PRINT, EventKind.DOCUMENT_PRINTED, "record_printed",
        document=document, content=content, actor=actor, on=on, authority=authority,
    )  # fmt: skip


def document_records(invoice: Invoice) -> tuple[DocumentRecord, ...]:
    """Every document of ``invoice`` its history records, in the order recorded."""
    checked_invoice(invoice, "document_records")
    records = []
    for entry in invoice.history:
        if entry.kind in _DOCUMENT_KINDS:  # its detail checked when the invoice was made
            document, _, sha256 = entry.detail.rpartition(" sha256:")
            records.append(
                DocumentRecord(
                    on=entry.on, kind=entry.kind, actor=entry.actor, document=document,
                    sha256=sha256,
                )
            )  # fmt: skip
    return tuple(records)


def still_to_print(invoices: Iterable[Invoice]) -> tuple[Invoice, ...]:
    """The invoices of ``invoices`` that are booked, go out on paper (paper, or online and on
    paper) and have no printing recorded yet (seed 002: paper invoices the automatic run
    booked must still be printed and posted by hand), in the order given."""
    return tuple(
        invoice
        for invoice in v.items_of(invoices, Invoice, "still_to_print.invoices", "Invoices")
        if invoice.status.is_booked
        and invoice.channel is not DeliveryChannel.ONLINE
        and not any(entry.kind is EventKind.DOCUMENT_PRINTED for entry in invoice.history)
    )
