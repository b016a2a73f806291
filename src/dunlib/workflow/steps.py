"""The approval workflow: taking an invoice from draft to sent, step by step.

The table in :mod:`dunlib.core.transitions` says which steps exist; :mod:`dunlib.workflow.policy`
says who may take them (rights, the eyes policy). This module performs them:

- :func:`transition` takes one workflow step (submit, approve, reject; the skips of
  automatic actors that do not book);
- :func:`send` books and sends: it takes the next number of a
  :class:`~dunlib.core.numbering.NumberSequence`, dates the invoice on the send day and
  recomputes its due date from the terms (from 2 REVIEWED, or by the skips 0→3 and 1→3);
- :func:`due_for_auto_send`, the selection of the automatic sending run.

Rows of kind ``booking`` and ``effect`` (payments, dunning, cancellation, …) are
refused here: each has a function of its own, named in the error. A draft leaves
DRAFT only with at least one line and a total of zero or more. Every refusal is a
typed :class:`~dunlib.core.errors.StepRefusedError` saying who, what and which rule.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

import attrs

from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError, TransitionNotAllowedError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import DeliveryChannel, SendMode
from dunlib.core.status import Status
from dunlib.core.transitions import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    REVIEWER,
    TRANSITIONS,
    Command,
    Effect,
    Row,
    RowKind,
    row_for,
)
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import AUTOMATIC, Actor, Authority, Permissions, PolicyRule

__all__ = [
    "ACCOUNTANT",
    "AUTOMATIC",
    "AUTOMATION",
    "CLERK",
    "REVIEWER",
    "Actor",
    "Authority",
    "Permissions",
    "PolicyRule",
    "Sent",
    "due_for_auto_send",
    "send",
    "transition",
]


def _own_row(invoice: Invoice, command: Command, actor: Actor, *, books: bool) -> Row | None:
    """The workflow row of ``command``, or None when the table has none (the booking path
    then reports it with every fact). Refuses rows that belong to another function:
    bookings and effects, and the rows that book the invoice (:func:`send`'s) or that do
    not (:func:`transition`'s)."""
    if not isinstance(command, Command):
        raise InvalidTypeError("transition.command", command, "a Command")
    if (invoice.status, command) not in TRANSITIONS:
        return None
    row = row_for(invoice.status, command)
    if row.kind in (RowKind.STEP, RowKind.SKIP) and (row.effect is Effect.BOOK) == books:
        return row
    if row.kind in (RowKind.BOOKING, RowKind.EFFECT, RowKind.LETTER):
        operation = row.operation
    else:
        operation = "dunlib.send" if row.effect is Effect.BOOK else "dunlib.transition"
    raise TransitionNotAllowedError(
        status=invoice.status,
        command=command.name,
        allowed=[],
        invoice_id=invoice.id,
        number=invoice.number,
        actor=actor.id if isinstance(actor, Actor) else "",
        operation=operation,
    )


def transition(
    invoice: Invoice,
    command: Command,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    """``actor`` performs the workflow step ``command`` on ``invoice`` on day ``on``.

    Checks, in this order: the day is not before the invoice's last step, the table has
    the step (:class:`~dunlib.core.errors.TransitionNotAllowedError`, also for bookings such
    as DUN or SETTLE, which have functions of their own, and for SEND, which is
    :func:`send`), the actor's roles allow it (:class:`~dunlib.core.errors.PermissionDeniedError`),
    the eyes policy allows it (:class:`~dunlib.core.errors.PolicyViolationError`) and the row's
    guards hold (:class:`~dunlib.core.errors.GuardFailedError`). Then the step is appended to
    the history. ``authority`` holds the eyes policy and the rights checked.
    """
    checked_invoice(invoice, "transition")
    row = _own_row(invoice, command, actor, books=False)
    suffix = " [automatic]" if isinstance(actor, Actor) and actor.automatic else ""
    return _booking.book(
        invoice,
        command,
        operation="transition",
        actor=actor,
        on=on,
        authority=authority,
        kind=EventKind.TRANSITION,
        detail=(row.meaning if row is not None else "") + suffix,
    )


@attrs.frozen(kw_only=True)
class Sent:
    """The result of :func:`send`: the booked ``invoice`` and the ``sequence`` to pass to
    the next send (advanced by exactly one)."""

    invoice: Invoice
    sequence: NumberSequence


def send(
    invoice: Invoice,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
    sequence: NumberSequence,
) -> Sent:
    """``actor`` books and sends ``invoice`` on ``on`` (Versenden): the invoice becomes SENT.

    From 2 REVIEWED by a person or an automatic actor; from 0 DRAFT or 1 CREATED by the
    skips automatic actors may take where the eyes policy allows. The invoice takes the
    next number of ``sequence``, is dated ``on`` and its due date is recomputed from its
    terms. Every check of :func:`transition` applies; a refused send raises before any
    number is consumed.
    """
    checked_invoice(invoice, "send")
    if not isinstance(sequence, NumberSequence):
        raise InvalidTypeError("send.sequence", sequence, "a NumberSequence")
    _own_row(invoice, Command.SEND, actor, books=True)
    day = as_date(on, "send.on")
    number, advanced = sequence.take()
    due = invoice.terms.due_date(day)
    suffix = " [automatic]" if isinstance(actor, Actor) and actor.automatic else ""
    sent = _booking.book(
        invoice,
        Command.SEND,
        operation="send",
        actor=actor,
        on=day,
        authority=authority,
        kind=EventKind.TRANSITION,
        detail=f"booked as {number}, dated {day}, due {due}{suffix}",
        changes={"number": number, "issue_date": day, "due_date": due},
    )
    return Sent(invoice=sent, sequence=advanced)


def _reviewed_on(invoice: Invoice) -> _dt.date | None:
    """The day of the last history entry that brought the invoice into REVIEWED."""
    days = [entry.on for entry in invoice.history if entry.to_status is Status.REVIEWED]
    return days[-1] if days else None


def due_for_auto_send(
    invoices: Iterable[Invoice], *, run_started: _dt.date, today: _dt.date
) -> tuple[Invoice, ...]:
    """The invoices an automatic sending run started on ``run_started`` sends ``today``.

    An invoice is due when it is in REVIEWED, goes out by e-mail (online, or online and on
    paper: paper invoices never), its customer's send mode is automatic (seed 000: a
    customer set to manual sending is sent by a person only), its invoice date is
    ``today`` or earlier (inclusive), its total is not negative, and its history shows it
    entered REVIEWED on a day *before* ``run_started`` (strictly: history is kept in whole
    days, so an invoice reviewed on the run's own day may have arrived after the run began
    and waits for the next run). An invoice without such an entry is never due. The order
    of ``invoices`` is kept.
    """
    run_started = as_date(run_started, "due_for_auto_send.run_started")
    today = as_date(today, "due_for_auto_send.today")
    if run_started > today:
        raise InvalidValueError(
            "due_for_auto_send.run_started", run_started, f"on or before today ({today})"
        )
    due: list[Invoice] = []
    for invoice in v.items_of(invoices, Invoice, "due_for_auto_send.invoices", "Invoices"):
        reviewed = _reviewed_on(invoice)
        if (
            invoice.status is Status.REVIEWED
            and invoice.channel is not DeliveryChannel.PAPER
            and invoice.customer.send_mode is SendMode.AUTOMATIC
            and invoice.issue_date <= today
            and not invoice.gross.is_negative
            and reviewed is not None
            and reviewed < run_started
        ):
            due.append(invoice)
    return tuple(due)
