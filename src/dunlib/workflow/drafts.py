"""Working on invoices in DRAFT: creating, editing lines, merging, converting into a credit note.

Only in 0 DRAFT may lines be added, edited and removed; every function here raises
:class:`~dunlib.core.errors.InvoiceLockedError` for an invoice in any other state. A draft
may have a negative total (several merged drafts may still end positive); it cannot be
submitted that way, but it can be converted into a credit note
(:func:`convert_to_credit_note`) or booked by hand by an accountant (:func:`book_by_hand`),
seed 002: "Negative Rechnungen können später nur manuell verbucht werden".

Every function takes the :class:`~dunlib.workflow.policy.Actor` who acts. Editing lines and
merging drafts need the right to :attr:`~dunlib.workflow.policy.Operation.EDIT_LINES` (clerks by
default; pass an ``authority`` whose permissions grant it to others), else
:class:`~dunlib.core.errors.PermissionDeniedError`; each edit is written into the history as a
``lines_edited`` entry with its author and day, and the eyes policy counts its author as a
drafter (who may not send the invoice under 4 eyes, nor review it under 6).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

import attrs

from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import (
    InvalidTypeError,
    InvalidValueError,
    InvoiceLockedError,
    PermissionDeniedError,
)
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.invoice import Invoice, step_day
from dunlib.core.money import Money
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import (
    CreditNote,
    Customer,
    DeliveryChannel,
    DeliveryPeriod,
    LineItem,
    PaymentTerms,
    WriteOff,
)
from dunlib.core.status import Status
from dunlib.core.transitions import Act, Command
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import (
    Actor,
    Authority,
    Operation,
    checked_actor,
    checked_authority,
    round_acts,
)

__all__ = [
    "BookedByHand",
    "add_line",
    "book_by_hand",
    "convert_to_credit_note",
    "create_draft",
    "merge_drafts",
    "remove_line",
    "replace_line",
]


def _require_draft(invoice: Invoice, attempted: str) -> None:
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError(f"{attempted}.invoice", invoice, "an Invoice")
    if invoice.status is not Status.DRAFT:
        raise InvoiceLockedError(
            invoice=invoice.id, number=invoice.number, status=invoice.status, attempted=attempted
        )


def _index(invoice: Invoice, index: int, field: str) -> int:
    if isinstance(index, bool) or not isinstance(index, int):
        raise InvalidTypeError(field, index, "an int")
    if not invoice.lines:
        raise InvalidValueError(field, index, "no index: the draft has no lines")
    if not 0 <= index < len(invoice.lines):
        raise InvalidValueError(field, index, f"a line index from 0 to {len(invoice.lines) - 1}")
    return index


def create_draft(
    *,
    id: str,
    customer: Customer,
    currency: str,
    actor: Actor,
    on: _dt.date,
    lines: Iterable[LineItem] = (),
    terms: PaymentTerms | None = None,
    channel: DeliveryChannel | None = None,
    issue_date: _dt.date | None = None,
    delivery: DeliveryPeriod | None = None,
) -> Invoice:
    """A new invoice in DRAFT, created by ``actor`` on ``on`` (dated ``on`` unless given).

    ``channel`` defaults to the customer's (:attr:`Customer.channel
    <dunlib.core.records.Customer.channel>`); ``delivery`` is the day or period of the
    delivery or service. The creation is the first history entry; the eyes policy counts
    its actor as a drafter.
    """
    creator = checked_actor(actor, "create_draft").id
    day = as_date(on, "create_draft.on")
    issued = day if issue_date is None else as_date(issue_date, "create_draft.issue_date")
    terms = PaymentTerms() if terms is None else terms
    if not isinstance(terms, PaymentTerms):
        raise InvalidTypeError("create_draft.terms", terms, "a PaymentTerms")
    entry = HistoryEntry(
        on=day,
        kind=EventKind.CREATED,
        from_status=Status.DRAFT,
        to_status=Status.DRAFT,
        actor=creator,
        detail="created",
    )
    return Invoice(
        id=id,
        customer=customer,
        currency=currency,
        issue_date=issued,
        terms=terms,
        due_date=terms.due_date(issued),
        lines=tuple(v.items_of(lines, LineItem, "create_draft.lines", "LineItems")),
        channel=customer.channel if channel is None and isinstance(customer, Customer) else channel,
        delivery=delivery,
        history=(entry,),
    )


def _edited(
    invoice: Invoice,
    lines: tuple[LineItem, ...],
    detail: str,
    *,
    operation: str,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    """The draft with ``lines``, the edit recorded as a ``lines_edited`` entry by ``actor``."""
    day = step_day(invoice, on, f"{operation}.on")
    _check_editor(invoice, actor, authority, operation)
    entry = HistoryEntry(
        on=day,
        kind=EventKind.LINES_EDITED,
        from_status=Status.DRAFT,
        to_status=Status.DRAFT,
        actor=actor.id,
        detail=detail,
    )
    return attrs.evolve(invoice, lines=lines, history=(*invoice.history, entry))


def _check_editor(invoice: Invoice, actor: Actor, authority: Authority, operation: str) -> None:
    """``actor``'s right to edit the lines of the draft ``invoice``, else PermissionDeniedError."""
    checked_actor(actor, operation)
    allowed = checked_authority(authority, operation).permissions
    if not allowed.allows_operation(actor, Operation.EDIT_LINES):
        raise PermissionDeniedError(
            actor=actor.id,
            roles=sorted(actor.roles),
            command=Operation.EDIT_LINES.name,
            status=invoice.status,
            invoice_id=invoice.id,
            number=invoice.number,
            required=sorted(allowed.roles_for_operation(Operation.EDIT_LINES)),
        )


def _line(line: object, field: str) -> LineItem:
    if not isinstance(line, LineItem):
        raise InvalidTypeError(field, line, "a LineItem")
    return line


def add_line(
    invoice: Invoice,
    line: LineItem,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    """The draft with ``line`` appended by ``actor`` on ``on``."""
    _require_draft(invoice, "add a line")
    new = _line(line, "add_line.line")
    return _edited(
        invoice,
        (*invoice.lines, new),
        f"added line {len(invoice.lines)}: {new.description}",
        operation="add_line",
        actor=actor,
        on=on,
        authority=authority,
    )


def replace_line(
    invoice: Invoice,
    index: int,
    line: LineItem,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    """The draft with the line at ``index`` (from 0) replaced by ``line``, by ``actor``
    on ``on``."""
    _require_draft(invoice, "edit a line")
    at = _index(invoice, index, "replace_line.index")
    new = _line(line, "replace_line.line")
    return _edited(
        invoice,
        (*invoice.lines[:at], new, *invoice.lines[at + 1 :]),
        f"replaced line {at}: {new.description}",
        operation="replace_line",
        actor=actor,
        on=on,
        authority=authority,
    )


def remove_line(
    invoice: Invoice,
    index: int,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    """The draft without the line at ``index`` (from 0), removed by ``actor`` on ``on``."""
    _require_draft(invoice, "remove a line")
    at = _index(invoice, index, "remove_line.index")
    return _edited(
        invoice,
        invoice.lines[:at] + invoice.lines[at + 1 :],
        f"removed line {at}: {invoice.lines[at].description}",
        operation="remove_line",
        actor=actor,
        on=on,
        authority=authority,
    )


def merge_drafts(
    drafts: Iterable[Invoice],
    *,
    actor: Actor,
    on: _dt.date,
    id: str | None = None,
    authority: Authority,
) -> Invoice:
    """Several drafts to the same recipient with the same payment terms, as one draft.

    The lines follow each other in the order given. The result keeps the first draft's
    id (unless ``id`` is given), dates, channel and history; appended to it are one
    ``merged`` entry for each author of another draft's lines (so the eyes policy still
    counts every author of the merged lines as a drafter, whatever the order given) and
    one for ``actor``, who merges and so drafts too (and needs the right to edit lines).
    The caller discards the other drafts. The total may be negative. Drafts must share
    customer, payment terms, currency and delivery channel (a paper and an online draft
    are not merged silently into one of the two).
    """
    drafts = tuple(v.items_of(drafts, Invoice, "merge_drafts.drafts", "Invoices in DRAFT"))
    if len(drafts) < 2:
        raise InvalidValueError("merge_drafts.drafts", drafts, "at least two drafts")
    for draft in drafts:
        _require_draft(draft, "merge")
    first = drafts[0]
    for index, draft in enumerate(drafts[1:], start=1):
        for name in ("customer", "terms", "currency", "channel"):
            if getattr(draft, name) != getattr(first, name):
                raise InvalidValueError(
                    f"merge_drafts.drafts[{index}].{name}",
                    getattr(draft, name),
                    f"the same {name} as the first draft ({getattr(first, name)!r}): "
                    "only drafts to one recipient with the same payment terms merge",
                )
    ids = [draft.id for draft in drafts]
    if len(set(ids)) != len(ids):
        raise InvalidValueError("merge_drafts.drafts", ids, "distinct drafts (ids repeat)")
    day = as_date(on, "merge_drafts.on")
    for index, draft in enumerate(drafts):
        step_day(draft, day, f"merge_drafts.on (drafts[{index}])")
    _check_editor(first, actor, authority, "merge_drafts")
    merger = actor.id
    entries = [
        HistoryEntry(
            on=day,
            kind=EventKind.MERGED,
            from_status=Status.DRAFT,
            to_status=Status.DRAFT,
            actor=author,
            detail=f"lines of {draft.id} drafted by {author}",
        )
        for draft in drafts[1:]
        for author in sorted(round_acts(draft)[Act.DRAFT])
    ]
    entries.append(
        HistoryEntry(
            on=day,
            kind=EventKind.MERGED,
            from_status=Status.DRAFT,
            to_status=Status.DRAFT,
            actor=merger,
            detail="merged from " + ", ".join(ids),
        )
    )
    return attrs.evolve(
        first,
        id=first.id if id is None else id,
        lines=tuple(line for draft in drafts for line in draft.lines),
        history=(*first.history, *entries),
    )


def convert_to_credit_note(
    draft: Invoice, *, id: str, on: _dt.date, actor: Actor, reason: str = ""
) -> CreditNote:
    """A draft with a negative total, as the credit note it really is, drafted by ``actor``.

    The credit note's lines are the draft's lines negated and its amount the draft's
    total with the sign turned (exactly: tax is summed per rate before rounding, and
    rounding is symmetric). The caller discards the draft.
    """
    _require_draft(draft, "convert into a credit note")
    drafter = checked_actor(actor, "convert_to_credit_note").id
    if not draft.gross.is_negative:
        raise InvalidValueError(
            "convert_to_credit_note.draft",
            draft.gross,
            "a draft with a negative total (a positive one is submitted as an invoice)",
        )
    return CreditNote(
        id=id,
        on=as_date(on, "convert_to_credit_note.on"),
        amount=-draft.gross,
        reason=reason or f"converted from draft {draft.id}",
        lines=tuple(line.negated() for line in draft.lines),
        drafted_by=drafter,
    )


@attrs.frozen(kw_only=True)
class BookedByHand:
    """What :func:`book_by_hand` did: the ``invoice`` booked (4 PAID, its negative total
    cleared), the ``credit`` it owes the customer (its total with the sign turned, for the
    books and, where the customer keeps it, :func:`dunlib.keep_credit`) and the ``sequence``
    to pass to the next send (advanced by exactly one)."""

    invoice: Invoice
    credit: Money
    sequence: NumberSequence


def book_by_hand(
    draft: Invoice,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
    sequence: NumberSequence,
    reason: str = "",
) -> BookedByHand:
    """``actor`` books the draft ``draft`` with a negative total by hand on ``on`` (seed 002:
    "Negative Rechnungen können später nur manuell verbucht werden").

    A booking of the table's BOOK_BY_HAND row, through the one booking path: only from
    0 DRAFT, only a draft whose total is below zero (guard ``negative-total``), by a role
    the row grants (accountants, never an automatic process: negative invoices are never
    booked automatically). The booking counts as sending for the eyes policy: under 4 and 6
    eyes whoever drafted the invoice (created it, edited or merged its lines) may not book
    it. Like sending, the invoice takes the next number of ``sequence``, is dated ``on`` and
    its due date is recomputed from its terms. Its negative total, a credit the customer is
    owed, is cleared on the invoice by a :class:`~dunlib.core.records.WriteOff` with
    ``reason`` (the bookkeeping of that credit is the accountant's, outside dunlib), so the
    invoice ends in 4 PAID with nothing open; one ``booked_by_hand`` history entry records
    the step. A refused booking raises before any number is consumed.
    """
    if not isinstance(draft, Invoice):
        raise InvalidTypeError("book_by_hand.draft", draft, "an Invoice")
    if not isinstance(sequence, NumberSequence):
        raise InvalidTypeError("book_by_hand.sequence", sequence, "a NumberSequence")
    v.text(draft, attrs.fields(WriteOff).reason, reason)
    day = as_date(on, "book_by_hand.on")
    number, advanced = sequence.take()
    due = draft.terms.due_date(day)
    owed = -draft.gross
    why = reason or f"credit of {owed} owed to the customer, booked by hand outside dunlib"
    changes: dict[str, object] = {"number": number, "issue_date": day, "due_date": due}
    if draft.gross.is_negative:
        changes["write_offs"] = (WriteOff(on=day, amount=draft.gross, reason=why),)
    booked = _booking.book(
        draft,
        Command.BOOK_BY_HAND,
        operation="book_by_hand",
        actor=actor,
        on=day,
        authority=authority,
        kind=EventKind.BOOKED_BY_HAND,
        detail=f"booked by hand as {number}, dated {day}, due {due}; {why}",
        changes=changes,
    )
    return BookedByHand(invoice=booked, credit=owed, sequence=advanced)
