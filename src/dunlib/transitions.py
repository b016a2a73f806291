"""The approval workflow's transition table: data in one place.

Each row says that ``command`` moves an invoice from ``source`` to ``target``.
:data:`TRANSITIONS` is the single source of truth; everything that changes an
invoice's processing state goes through :func:`apply_transition`, which checks
the table and appends the step to the invoice's history. Who may perform a row
(rights, the eyes policy) and what else it does (numbering, documents) is
decided on top of this table by :mod:`dunlib.workflow`; effect-driven rows
(settling, dunning) are applied by the payment and dunning code.

Besides source, command and target, each row carries as plain data the acts it
performs for the eyes policy (:class:`Act`), the roles the default permission set
grants it to, the guards that must hold (:class:`Guard`) and its effect
(:class:`Effect`). :mod:`dunlib.workflow` interprets them; the rows never hold code.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

import attrs

from dunlib import _validate as v
from dunlib.dates import as_date
from dunlib.errors import InvalidValueError, TransitionNotAllowedError
from dunlib.history import EventKind, HistoryEntry
from dunlib.invoice import Invoice
from dunlib.status import Status

__all__ = [
    "ACCOUNTANT",
    "AUTOMATION",
    "CLERK",
    "REVIEWER",
    "ROWS",
    "TRANSITIONS",
    "Act",
    "Command",
    "Effect",
    "Guard",
    "Row",
    "RowKind",
    "apply_transition",
    "render_table",
    "row_for",
    "step_day",
]

CLERK = "clerk"
"""Default role that drafts invoices and submits them for review."""
REVIEWER = "reviewer"
"""Default role that reviews: approves or rejects."""
ACCOUNTANT = "accountant"
"""Default role that books and sends, and records bookkeeping effects."""
AUTOMATION = "automation"
"""Default role of automatic processes: the skips, automatic sending and effects."""


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


class Act(Enum):
    """What a step counts as for the eyes policy (a skip performs several acts at once)."""

    DRAFT = "draft"
    """Drafting: creating the invoice or taking it out of DRAFT."""
    REVIEW = "review"
    """Reviewing: bringing the invoice to REVIEWED (or past it in a skip)."""
    SEND = "send"
    """Sending: booking the invoice into SENT."""


class Guard(Enum):
    """A condition that must hold before a row may be applied; its value names it in errors."""

    COMPLETE_DRAFT = "complete-draft"
    """At least one line and a total of zero or more; a negative draft converts into a
    credit note instead (negative totals exist only in DRAFT)."""
    SETTLED = "settled"
    """Nothing is open any more: the open amount is zero or less."""
    OVERDUE = "overdue"
    """The due date is reached (inclusive: on the due date itself) and an amount is open."""
    OPEN = "open"
    """An amount is still open."""
    CANCELLING_INVOICE = "cancelling-invoice"
    """Only together with its booked cancelling invoice: use ``dunlib.documents.cancel``."""


class Effect(Enum):
    """What a row does besides changing the state."""

    NONE = "none"
    """Nothing else."""
    BOOK = "book"
    """Booking: the next number of the sequence, the invoice date becomes the send day and
    the due date is recomputed from the payment terms."""


@attrs.frozen(kw_only=True)
class Row:
    """One transition: ``command`` takes an invoice from ``source`` to ``target``.

    ``acts`` is what the step counts as for the eyes policy, ``roles`` the roles the
    default permission set grants it to (any one suffices), ``guards`` the conditions
    checked before it applies and ``effect`` what it does besides changing the state.
    """

    source: Status
    command: Command
    target: Status
    kind: RowKind
    meaning: str
    roles: frozenset[str]
    acts: frozenset[Act] = frozenset()
    guards: tuple[Guard, ...] = ()
    effect: Effect = Effect.NONE


_D, _R, _S = Act.DRAFT, Act.REVIEW, Act.SEND

ROWS: tuple[Row, ...] = (
    Row(source=Status.DRAFT, command=Command.SUBMIT, target=Status.CREATED, kind=RowKind.STEP,
        meaning="Zur Prüfung: drafting is finished; lines are frozen for review.",
        roles=frozenset({CLERK}), acts=frozenset({_D}), guards=(Guard.COMPLETE_DRAFT,)),
    Row(source=Status.DRAFT, command=Command.APPROVE, target=Status.REVIEWED, kind=RowKind.SKIP,
        meaning="Created and reviewed in one step (automatic processes, small policies).",
        roles=frozenset({AUTOMATION}), acts=frozenset({_D, _R}),
        guards=(Guard.COMPLETE_DRAFT,)),
    Row(source=Status.DRAFT, command=Command.SEND, target=Status.SENT, kind=RowKind.SKIP,
        meaning="Drafted and booked in one step (automatic processes, 2-eye policy).",
        roles=frozenset({AUTOMATION}), acts=frozenset({_D, _R, _S}),
        guards=(Guard.COMPLETE_DRAFT,), effect=Effect.BOOK),
    Row(source=Status.CREATED, command=Command.APPROVE, target=Status.REVIEWED, kind=RowKind.STEP,
        meaning="Geprüft: the review found nothing to change.",
        roles=frozenset({REVIEWER}), acts=frozenset({_R})),
    Row(source=Status.CREATED, command=Command.REJECT, target=Status.DRAFT, kind=RowKind.STEP,
        meaning="Zurückweisen: wrong data; back to drafting.",
        roles=frozenset({REVIEWER})),
    Row(source=Status.CREATED, command=Command.SEND, target=Status.SENT, kind=RowKind.SKIP,
        meaning="Reviewed and booked in one step.",
        roles=frozenset({AUTOMATION}), acts=frozenset({_R, _S}), effect=Effect.BOOK),
    Row(source=Status.REVIEWED, command=Command.REJECT, target=Status.DRAFT, kind=RowKind.STEP,
        meaning="Zurückweisen at the final check; back to drafting.",
        roles=frozenset({REVIEWER, ACCOUNTANT})),
    Row(source=Status.REVIEWED, command=Command.SEND, target=Status.SENT, kind=RowKind.STEP,
        meaning="Versenden: number assigned, dated today, booked; legally binding.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), acts=frozenset({_S}), effect=Effect.BOOK),
    Row(source=Status.SENT, command=Command.SETTLE, target=Status.PAID, kind=RowKind.EFFECT,
        meaning="The open amount reached zero.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.SETTLED,)),
    Row(source=Status.SENT, command=Command.DUN, target=Status.DUNNED, kind=RowKind.EFFECT,
        meaning="The first dunning document was sent.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.OVERDUE,)),
    Row(source=Status.SENT, command=Command.CANCEL, target=Status.CANCELLED, kind=RowKind.EFFECT,
        meaning="A cancelling invoice was booked.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.CANCELLING_INVOICE,)),
    Row(source=Status.DUNNED, command=Command.SETTLE, target=Status.PAID, kind=RowKind.EFFECT,
        meaning="The open amount, fees included, reached zero.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.SETTLED,)),
    Row(source=Status.DUNNED, command=Command.DUN, target=Status.DUNNED, kind=RowKind.EFFECT,
        meaning="A further dunning document was sent.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.OVERDUE,)),
    Row(source=Status.DUNNED, command=Command.CANCEL, target=Status.CANCELLED,
        kind=RowKind.EFFECT, meaning="A cancelling invoice was booked.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.CANCELLING_INVOICE,)),
    Row(source=Status.DUNNED, command=Command.WRITE_OFF, target=Status.WRITTEN_OFF,
        kind=RowKind.EFFECT, meaning="The dunning reached uncollectible.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.OPEN,)),
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


def step_day(invoice: Invoice, on: _dt.date, field: str) -> _dt.date:
    """``on`` as a plain date for the next step on ``invoice``: history never goes back.

    Raises :class:`~dunlib.errors.InvalidTypeError` for anything but a calendar date and
    :class:`~dunlib.errors.InvalidValueError` (naming ``field``) for a day before the
    invoice's last history entry.
    """
    day = as_date(on, field)
    if invoice.history and day < invoice.history[-1].on:
        raise InvalidValueError(
            field, day, f"on or after {invoice.history[-1].on}, the day of the last step"
        )
    return day


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
        "| from | command | to | kind | acts | roles | guards | effect | meaning |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in ROWS:
        acts = ", ".join(act.value for act in Act if act in row.acts) or "-"
        roles = ", ".join(sorted(row.roles)) or "-"
        guards = ", ".join(guard.value for guard in row.guards) or "-"
        lines.append(
            f"| {row.source.value} {row.source.name} | {row.command.name} "
            f"| {row.target.value} {row.target.name} | {row.kind.value} | {acts} | {roles} "
            f"| {guards} | {row.effect.value} | {row.meaning} |"
        )
    return "\n".join(lines) + "\n"
