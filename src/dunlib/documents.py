"""Documents derived from an invoice: credit notes, cancellation, delivery notes, new invoices.

Each may be made only from the states the source document gives (:data:`ALLOWED_FROM`):

- credit notes from 1 CREATED on, but not in 6 or 7 and never from a cancelling invoice;
  applied to a booked invoice they reduce its open amount and settle it at zero;
- cancellation only from 3 SENT and 5 DUNNED, and only while nothing is paid or credited
  (with payments, credit the invoice instead): a cancelling invoice with the lines negated
  is booked under the next number and settled by matching (straight to 4 PAID), and the
  original goes to 6 CANCELLED;
- delivery notes and new invoices from 2 REVIEWED on, in every later state (in 6 and 7
  they are the only documents left).

All lines or a selection (line indices from 0) are taken; amounts of a selection are
computed like an invoice's (tax per rate, rounded half-up once per rate).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from enum import Enum
from types import MappingProxyType

import attrs

from dunlib import _validate as v
from dunlib.dates import as_date
from dunlib.drafts import create_draft, negated
from dunlib.errors import (
    DocumentNotAllowedError,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
)
from dunlib.history import EventKind, HistoryEntry
from dunlib.invoice import CreditNote, Customer, Invoice, LineItem
from dunlib.money import Money
from dunlib.numbering import NumberSequence
from dunlib.status import Status
from dunlib.transitions import Command, Guard, apply_transition, step_day
from dunlib.workflow import (
    DEFAULT_PERMISSIONS,
    Actor,
    ApprovalPolicy,
    Permissions,
    actor_id,
    check_step,
)

__all__ = [
    "ALLOWED_FROM",
    "Cancellation",
    "Credited",
    "DeliveryNote",
    "DocumentKind",
    "allowed_documents",
    "apply_credit_note",
    "cancel",
    "credit",
    "derive_credit_note",
    "derive_delivery_note",
    "derive_invoice",
]


class DocumentKind(Enum):
    """A kind of document that can be derived from an invoice."""

    CREDIT_NOTE = "credit note"
    CANCELLATION = "cancellation"
    DELIVERY_NOTE = "delivery note"
    NEW_INVOICE = "new invoice"


_FROM_REVIEWED = frozenset(
    {
        Status.REVIEWED,
        Status.SENT,
        Status.PAID,
        Status.DUNNED,
        Status.CANCELLED,
        Status.WRITTEN_OFF,
    }
)

ALLOWED_FROM: Mapping[DocumentKind, frozenset[Status]] = MappingProxyType(
    {
        DocumentKind.CREDIT_NOTE: frozenset(
            {Status.CREATED, Status.REVIEWED, Status.SENT, Status.PAID, Status.DUNNED}
        ),
        DocumentKind.CANCELLATION: frozenset({Status.SENT, Status.DUNNED}),
        DocumentKind.DELIVERY_NOTE: _FROM_REVIEWED,
        DocumentKind.NEW_INVOICE: _FROM_REVIEWED,
    }
)
"""The states each document may be derived from (seed 002, states 1 to 7 and section 3)."""

_NOT_FROM_CANCELLING = frozenset({DocumentKind.CREDIT_NOTE, DocumentKind.CANCELLATION})

# CANCEL rows perform no eyes-policy act and skip nothing, so any policy gives the same answer.
_EFFECT_POLICY = ApprovalPolicy(eyes=6)


def allowed_documents(invoice: Invoice) -> frozenset[DocumentKind]:
    """The documents that may be derived from ``invoice`` in its current state."""
    return frozenset(
        kind
        for kind, states in ALLOWED_FROM.items()
        if invoice.status in states and not (invoice.cancels and kind in _NOT_FROM_CANCELLING)
    )


def _require(kind: DocumentKind, invoice: Invoice) -> None:
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError(f"{kind.value}.invoice", invoice, "an Invoice")
    if kind not in allowed_documents(invoice):
        states = [] if invoice.cancels and kind in _NOT_FROM_CANCELLING else ALLOWED_FROM[kind]
        raise DocumentNotAllowedError(
            document=kind.value,
            invoice=invoice.id,
            status=invoice.status,
            allowed=[f"{s.value} {s.name}" for s in sorted(states)],
        )


def _selected(
    invoice: Invoice, selection: Sequence[int] | None, field: str
) -> tuple[LineItem, ...]:
    if selection is None:
        if not invoice.lines:
            raise InvalidValueError(field, selection, "an invoice with lines to take")
        return invoice.lines
    indices = tuple(selection)
    if not indices or len(set(indices)) != len(indices):
        raise InvalidValueError(field, selection, "distinct line indices, at least one")
    for index in indices:
        if isinstance(index, bool) or not isinstance(index, int):
            raise InvalidTypeError(field, index, "line indices (ints)")
        if not 0 <= index < len(invoice.lines):
            raise InvalidValueError(
                field, index, f"a line index from 0 to {len(invoice.lines) - 1}"
            )
    return tuple(invoice.lines[index] for index in sorted(indices))


def _gross(invoice: Invoice, lines: tuple[LineItem, ...]) -> Money:
    """The gross amount of ``lines`` computed as an invoice's (tax per rate)."""
    return Invoice(
        id=invoice.id,
        customer=invoice.customer,
        currency=invoice.currency,
        issue_date=invoice.issue_date,
        lines=lines,
    ).gross


def derive_credit_note(
    invoice: Invoice,
    *,
    id: str,
    on: _dt.date,
    selection: Sequence[int] | None = None,
    reason: str = "",
) -> CreditNote:
    """A credit note for all lines of ``invoice`` or the selected ones (from 1 CREATED on).

    Its amount is the gross of those lines; it must be above zero.
    """
    _require(DocumentKind.CREDIT_NOTE, invoice)
    lines = _selected(invoice, selection, "derive_credit_note.selection")
    amount = _gross(invoice, lines)
    if not amount.is_positive:
        raise InvalidValueError(
            "derive_credit_note.selection", selection, f"lines with a total above zero ({amount})"
        )
    return CreditNote(
        id=id,
        on=as_date(on, "derive_credit_note.on"),
        amount=amount,
        reason=reason or f"credit for invoice {invoice.number or invoice.id}",
        lines=lines,
    )


def apply_credit_note(
    invoice: Invoice, note: CreditNote, *, actor: Actor | str, on: _dt.date
) -> Invoice:
    """``invoice`` with ``note`` booked against it, and settled (4 PAID) when nothing is open.

    Only a booked invoice with something open (3 SENT or 5 DUNNED) takes a credit note,
    and at most its open amount (refund anything beyond it outside dunlib). The settling
    is the table's SETTLE row, recorded with ``actor``.
    """
    _require(DocumentKind.CREDIT_NOTE, invoice)
    if not isinstance(note, CreditNote):
        raise InvalidTypeError("apply_credit_note.note", note, "a CreditNote")
    day = step_day(invoice, on, "apply_credit_note.on")
    who = actor_id(actor, "apply_credit_note.actor")
    if invoice.status not in (Status.SENT, Status.DUNNED):
        raise InvalidValueError(
            "apply_credit_note.invoice",
            f"{invoice.status.value} {invoice.status.name}",
            "an invoice in 3 SENT or 5 DUNNED: only a booked invoice with something open "
            "takes a credit note (derive_credit_note still makes the document)",
        )
    if note.amount.currency != invoice.currency or note.amount > invoice.open_amount:
        raise InvalidValueError(
            "apply_credit_note.note.amount",
            note.amount,
            f"at most the open amount {invoice.open_amount} (refund the rest outside dunlib)",
        )
    entry = HistoryEntry(
        on=day,
        kind=EventKind.CREDIT_NOTE,
        from_status=invoice.status,
        to_status=invoice.status,
        actor=who,
        detail=f"credit note {note.id} of {note.amount}",
    )
    credited = invoice.with_entry(entry, credit_notes=(*invoice.credit_notes, note))
    if not credited.is_settled:
        return credited
    return apply_transition(
        credited,
        Command.SETTLE,
        on=day,
        actor=who,
        detail=f"settled by credit note {note.id}",
    )


@attrs.frozen(kw_only=True)
class Credited:
    """A credit note and the invoice it was booked against."""

    note: CreditNote
    invoice: Invoice


def credit(
    invoice: Invoice,
    *,
    id: str,
    actor: Actor | str,
    on: _dt.date,
    selection: Sequence[int] | None = None,
    reason: str = "",
) -> Credited:
    """Derive a credit note from all or selected lines and book it against ``invoice``."""
    note = derive_credit_note(invoice, id=id, on=on, selection=selection, reason=reason)
    return Credited(note=note, invoice=apply_credit_note(invoice, note, actor=actor, on=on))


@attrs.frozen(kw_only=True)
class Cancellation:
    """The result of cancelling an invoice.

    ``original`` is the invoice, now in 6 CANCELLED; ``cancelling`` the cancelling
    invoice (``cancels`` set, lines negated), booked under its own number and settled
    by matching (4 PAID); ``sequence`` the number sequence to pass to the next send.
    """

    original: Invoice
    cancelling: Invoice
    sequence: NumberSequence


def cancel(
    invoice: Invoice,
    *,
    id: str,
    actor: Actor,
    on: _dt.date,
    sequence: NumberSequence,
    permissions: Permissions = DEFAULT_PERMISSIONS,
) -> Cancellation:
    """Cancel ``invoice`` (Storno) with a cancelling invoice ``id`` booked on ``on``.

    Allowed from 3 SENT and 5 DUNNED, for an invoice that is not itself a cancelling one
    and on which nothing is paid or credited yet (then credit it instead). ``actor``
    needs the right to CANCEL in the invoice's state. Dunning fees and interest charged
    on the original are not reversed by the cancelling invoice.
    """
    _require(DocumentKind.CANCELLATION, invoice)
    if not isinstance(sequence, NumberSequence):
        raise InvalidTypeError("cancel.sequence", sequence, "a NumberSequence")
    day = step_day(invoice, on, "cancel.on")
    check_step(
        invoice,
        Command.CANCEL,
        actor,
        day,
        _EFFECT_POLICY,
        permissions=permissions,
        skip_guards=frozenset({Guard.CANCELLING_INVOICE}),
    )
    if invoice.payments or invoice.credit_notes:
        raise GuardFailedError(
            actor=actor.id,
            command=Command.CANCEL.name,
            status=invoice.status,
            invoice=invoice.id,
            guard="nothing-settled",
            reason="payments or credit notes are recorded; credit the invoice instead "
            "(dunlib.documents.credit)",
        )
    v.non_empty_text(invoice, attrs.fields(Invoice).id, id)
    if id == invoice.id:
        raise InvalidValueError("cancel.id", id, f"an id other than the original's ({invoice.id})")
    number, advanced = sequence.take()
    draft = Invoice(
        id=id,
        customer=invoice.customer,
        currency=invoice.currency,
        issue_date=day,
        terms=invoice.terms,
        lines=tuple(negated(line) for line in invoice.lines),
        channel=invoice.channel,
        cancels=invoice.id,
    )
    booked = apply_transition(
        draft,
        Command.SEND,
        on=day,
        actor=actor.id,
        detail=f"cancelling invoice for {invoice.number} booked as {number}",
        number=number,
    )
    settled = apply_transition(
        booked,
        Command.SETTLE,
        on=day,
        detail=f"settled by matching against {invoice.number}",
    )
    original = apply_transition(
        invoice, Command.CANCEL, on=day, actor=actor.id, detail=f"cancelled by {number}"
    )
    return Cancellation(original=original, cancelling=settled, sequence=advanced)


@attrs.frozen(kw_only=True)
class DeliveryNote:
    """A delivery note (Lieferschein) listing lines of invoice ``invoice_id`` for ``customer``."""

    id: str = attrs.field(validator=v.non_empty_text)
    on: _dt.date = attrs.field(validator=v.calendar_date)
    invoice_id: str = attrs.field(validator=v.non_empty_text)
    customer: Customer = attrs.field(validator=v.of_type(Customer, expected="a Customer"))
    lines: tuple[LineItem, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(LineItem, "LineItem")
    )


def derive_delivery_note(
    invoice: Invoice, *, id: str, on: _dt.date, selection: Sequence[int] | None = None
) -> DeliveryNote:
    """A delivery note for all lines of ``invoice`` or the selected ones (from 2 REVIEWED on)."""
    _require(DocumentKind.DELIVERY_NOTE, invoice)
    return DeliveryNote(
        id=id,
        on=on,
        invoice_id=invoice.id,
        customer=invoice.customer,
        lines=_selected(invoice, selection, "derive_delivery_note.selection"),
    )


def derive_invoice(
    invoice: Invoice,
    *,
    id: str,
    actor: Actor | str,
    on: _dt.date,
    selection: Sequence[int] | None = None,
) -> Invoice:
    """A new draft invoice with all or the selected lines of ``invoice`` (from 2 REVIEWED on).

    Customer, currency, payment terms and channel are taken over; ``actor`` is its creator.
    """
    _require(DocumentKind.NEW_INVOICE, invoice)
    return create_draft(
        id=id,
        customer=invoice.customer,
        currency=invoice.currency,
        actor=actor,
        on=on,
        lines=_selected(invoice, selection, "derive_invoice.selection"),
        terms=invoice.terms,
        channel=invoice.channel,
    )
