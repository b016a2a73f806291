"""The approval workflow's transition table: data in one place.

Each row says that ``command`` moves an invoice from ``source`` to ``target``.
:data:`TRANSITIONS` is the single source of truth; everything that changes an
invoice's processing state goes through :func:`apply_transition`, which checks
the table and appends the step to the invoice's history. Who may perform a row
(rights, the eyes policy) and what else it does (numbering, documents) is
decided on top of this table by :mod:`dunlib.workflow`; effect-driven rows
(settling, dunning) are applied by the payment and dunning code.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

import attrs

from dunlib import _validate as v
from dunlib.errors import TransitionNotAllowedError
from dunlib.history import EventKind, HistoryEntry
from dunlib.invoice import Invoice
from dunlib.status import Status

__all__ = [
    "ROWS",
    "TRANSITIONS",
    "Command",
    "Row",
    "RowKind",
    "apply_transition",
    "render_table",
]


class Command(Enum):
    """A step that changes an invoice's processing state."""

    SUBMIT = "submit"
    """Zur Prüfung: hand a finished draft over for review."""
    APPROVE = "approve"
    """Geprüft: confirm the review."""
    REJECT = "reject"
    """Zurückweisen: send back to drafting."""
    SEND = "send"
    """Versenden: book and send; the invoice becomes legally binding."""
    SETTLE = "settle"
    """The open amount reached zero (by payment, discount or credit note)."""
    DUN = "dun"
    """A dunning document was sent."""
    CANCEL = "cancel"
    """A cancelling invoice was booked."""
    WRITE_OFF = "write_off"
    """The dunning reached "uncollectible"."""


class RowKind(Enum):
    """Where a row comes from: a person's step, an automatic skip, or a bookkeeping effect."""

    STEP = "step"
    """A step a person (or an automatic actor) performs."""
    SKIP = "skip"
    """A step that skips states; only where the eyes policy allows it."""
    EFFECT = "effect"
    """Follows from a bookkeeping event (payment, dunning, cancellation), not a decision."""


@attrs.frozen(kw_only=True)
class Row:
    """One transition: ``command`` takes an invoice from ``source`` to ``target``."""

    source: Status
    command: Command
    target: Status
    kind: RowKind
    meaning: str


ROWS: tuple[Row, ...] = (
    Row(source=Status.DRAFT, command=Command.SUBMIT, target=Status.CREATED, kind=RowKind.STEP,
        meaning="Zur Prüfung: drafting is finished; lines are frozen for review."),
    Row(source=Status.DRAFT, command=Command.APPROVE, target=Status.REVIEWED, kind=RowKind.SKIP,
        meaning="Created and reviewed in one step (automatic processes, small policies)."),
    Row(source=Status.DRAFT, command=Command.SEND, target=Status.SENT, kind=RowKind.SKIP,
        meaning="Drafted and booked in one step (automatic processes, 2-eye policy)."),
    Row(source=Status.CREATED, command=Command.APPROVE, target=Status.REVIEWED, kind=RowKind.STEP,
        meaning="Geprüft: the review found nothing to change."),
    Row(source=Status.CREATED, command=Command.REJECT, target=Status.DRAFT, kind=RowKind.STEP,
        meaning="Zurückweisen: wrong data; back to drafting."),
    Row(source=Status.CREATED, command=Command.SEND, target=Status.SENT, kind=RowKind.SKIP,
        meaning="Reviewed and booked in one step."),
    Row(source=Status.REVIEWED, command=Command.REJECT, target=Status.DRAFT, kind=RowKind.STEP,
        meaning="Zurückweisen at the final check; back to drafting."),
    Row(source=Status.REVIEWED, command=Command.SEND, target=Status.SENT, kind=RowKind.STEP,
        meaning="Versenden: number assigned, dated today, booked; legally binding."),
    Row(source=Status.SENT, command=Command.SETTLE, target=Status.PAID, kind=RowKind.EFFECT,
        meaning="The open amount reached zero."),
    Row(source=Status.SENT, command=Command.DUN, target=Status.DUNNED, kind=RowKind.EFFECT,
        meaning="The first dunning document was sent."),
    Row(source=Status.SENT, command=Command.CANCEL, target=Status.CANCELLED, kind=RowKind.EFFECT,
        meaning="A cancelling invoice was booked."),
    Row(source=Status.DUNNED, command=Command.SETTLE, target=Status.PAID, kind=RowKind.EFFECT,
        meaning="The open amount, fees included, reached zero."),
    Row(source=Status.DUNNED, command=Command.DUN, target=Status.DUNNED, kind=RowKind.EFFECT,
        meaning="A further dunning document was sent."),
    Row(source=Status.DUNNED, command=Command.CANCEL, target=Status.CANCELLED,
        kind=RowKind.EFFECT, meaning="A cancelling invoice was booked."),
    Row(source=Status.DUNNED, command=Command.WRITE_OFF, target=Status.WRITTEN_OFF,
        kind=RowKind.EFFECT, meaning="The dunning reached uncollectible."),
)  # fmt: skip

TRANSITIONS: Mapping[tuple[Status, Command], Status] = MappingProxyType(
    {(row.source, row.command): row.target for row in ROWS}
)
"""``(Status, Command) -> Status``: the single source of truth for the workflow."""

_ROW_BY_KEY: Mapping[tuple[Status, Command], Row] = MappingProxyType(
    {(row.source, row.command): row for row in ROWS}
)


def row_for(status: Status, command: Command) -> Row:
    """The table row for ``command`` in ``status``; TransitionNotAllowedError when there is none."""
    row = _ROW_BY_KEY.get((status, command))
    if row is None:
        allowed = sorted(c.name for (s, c) in TRANSITIONS if s is status)
        raise TransitionNotAllowedError(status=status, command=command.name, allowed=allowed)
    return row


def apply_transition(
    invoice: Invoice,
    command: Command,
    *,
    on: _dt.date,
    actor: str = "",
    detail: str = "",
    kind: EventKind = EventKind.TRANSITION,
    **changes: object,
) -> Invoice:
    """``invoice`` moved by ``command`` per the table, with the step appended to its history.

    ``changes`` are further field changes made in the same step (a number, a
    payment). Raises :class:`~dunlib.errors.TransitionNotAllowedError` when the
    table has no row for the invoice's state and ``command``.
    """
    v.calendar_date(invoice, attrs.fields(HistoryEntry).on, on)
    row = row_for(invoice.status, command)
    entry = HistoryEntry(
        on=on,
        kind=kind,
        from_status=invoice.status,
        to_status=row.target,
        actor=actor,
        detail=detail or row.meaning,
    )
    return invoice.with_entry(entry, status=row.target, **changes)


def render_table() -> str:
    """The transition table as a Markdown table (the docs show exactly this)."""
    lines = [
        "| from | command | to | kind | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in ROWS:
        lines.append(
            f"| {row.source.value} {row.source.name} | {row.command.name} "
            f"| {row.target.value} {row.target.name} | {row.kind.value} | {row.meaning} |"
        )
    return "\n".join(lines) + "\n"
