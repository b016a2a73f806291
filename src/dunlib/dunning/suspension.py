"""Suspending dunning: globally, per customer and per invoice, as one question.

The seed suspends dunning on three levels: globally (every stage of the rules
inactive), per customer (``Customer.dunning_enabled`` off) and per invoice
(paused and later resumed). :func:`suspension_level` answers "is dunning of this
invoice suspended today, and on which level?" for all three.

Pausing and resuming an invoice are bookings of the table's PAUSE and RESUME
rows (SENT and DUNNED invoices), made with :func:`pause` and :func:`resume` by an
actor with the right to, or as dated values (:class:`Pause`, :class:`Resume`)
with :func:`apply_event`; each records the day in ``Invoice.paused_since`` and
appends a history entry, never dated before the invoice's last one. Documents
sent before a pause stay valid; on resume the next stage follows from the
invoice's current state.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.transitions import Command
from dunlib.dunning.stages import DunningRules
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import AUTOMATIC, Actor, Authority

__all__ = [
    "Pause",
    "Resume",
    "Suspension",
    "SuspensionEvent",
    "apply_event",
    "is_paused",
    "pause",
    "resume",
    "suspension_level",
]


def _optional_actor(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Actor):
        raise InvalidTypeError(
            v.field_name(instance, attribute), value, "an Actor, or None for the automatic actor"
        )


@attrs.frozen(kw_only=True)
class Pause:
    """Pause dunning of an invoice from day ``on`` (inclusive) until it is resumed.

    ``actor`` pauses it; None stands for :data:`~dunlib.workflow.policy.AUTOMATIC` (as in a what-if
    passed to :func:`dunlib.simulate`).
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    actor: Actor | None = attrs.field(default=None, validator=_optional_actor)


@attrs.frozen(kw_only=True)
class Resume:
    """Resume dunning of a paused invoice from day ``on`` (inclusive).

    ``actor`` resumes it; None stands for :data:`~dunlib.workflow.policy.AUTOMATIC`.
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    actor: Actor | None = attrs.field(default=None, validator=_optional_actor)


SuspensionEvent = Pause | Resume
"""A dated change to an invoice's pause: :class:`Pause` or :class:`Resume`."""


_SWITCHES = frozenset({EventKind.DUNNING_PAUSED, EventKind.DUNNING_RESUMED})


class Suspension(Enum):
    """The level on which dunning is suspended, broadest first."""

    GLOBAL = "global"
    """The rules have no active stage."""
    CUSTOMER = "customer"
    """Dunning is switched off for the customer."""
    INVOICE = "invoice"
    """This invoice is paused."""


def is_paused(invoice: Invoice, *, today: _dt.date) -> bool:
    """True when ``invoice`` was (or is) paused on ``today``, for any day, past ones too.

    Read from the invoice's history: the last pause or resume entry dated on or before
    ``today`` decides (a pause counts from its day, a resume from its day; of two on one
    day, the later entry). So after ``resume(pause(inv, on=d1), on=d2)`` every day from
    ``d1`` up to the day before ``d2`` is paused.
    """
    checked_invoice(invoice, "is_paused")
    day = as_date(today, "is_paused.today")
    if invoice.paused_since is not None and invoice.paused_since <= day:
        return True  # the current pause, from its day on
    if invoice._marks.switch is None:  # never paused nor resumed (read once per invoice)
        return False
    paused = False
    for entry in invoice.history:
        if entry.kind in _SWITCHES and entry.on <= day:
            paused = entry.kind is EventKind.DUNNING_PAUSED
    return paused


def suspension_level(
    invoice: Invoice, rules: DunningRules, *, today: _dt.date
) -> Suspension | None:
    """The broadest level on which dunning of ``invoice`` is suspended today, or None."""
    checked_invoice(invoice, "suspension_level")
    if not isinstance(rules, DunningRules):
        raise InvalidTypeError("suspension_level.rules", rules, "a DunningRules")
    if not rules.active_stages:
        return Suspension.GLOBAL
    if not invoice.customer.dunning_enabled:
        return Suspension.CUSTOMER
    if is_paused(invoice, today=today):
        return Suspension.INVOICE
    return None


def pause(
    invoice: Invoice,
    *,
    on: _dt.date,
    actor: Actor,
    authority: Authority,
) -> Invoice:
    """``invoice`` with dunning paused from ``on`` by ``actor``, recorded in its history.

    A booking of the PAUSE row (SENT or DUNNED): ``actor`` needs the right to, ``on`` may
    not be before the invoice's last step, and an invoice already paused is refused
    (:class:`~dunlib.core.errors.GuardFailedError`, guard ``running``).
    """
    return _booking.book(
        invoice,
        Command.PAUSE,
        operation="pause",
        actor=actor,
        on=on,
        authority=authority,
        kind=EventKind.DUNNING_PAUSED,
        detail="dunning paused",
        changes={"paused_since": as_date(on, "pause.on")},
    )


def resume(
    invoice: Invoice,
    *,
    on: _dt.date,
    actor: Actor,
    authority: Authority,
) -> Invoice:
    """``invoice`` with dunning resumed from ``on`` by ``actor``, recorded in its history.

    A booking of the RESUME row: ``actor`` needs the right to, ``on`` may not be before
    the invoice's last step (so never before the pause), and an invoice that is not
    paused is refused (:class:`~dunlib.core.errors.GuardFailedError`, guard ``paused``).
    """
    since = checked_invoice(invoice, "resume").paused_since
    return _booking.book(
        invoice,
        Command.RESUME,
        operation="resume",
        actor=actor,
        on=on,
        authority=authority,
        kind=EventKind.DUNNING_RESUMED,
        detail=f"dunning resumed (paused since {since})",
        changes={"paused_since": None},
    )


def apply_event(invoice: Invoice, event: SuspensionEvent, *, authority: Authority) -> Invoice:
    """``invoice`` with ``event`` (a :class:`Pause` or :class:`Resume`) applied by its actor
    (the automatic actor when it names none)."""
    match event:
        case Pause():
            return pause(invoice, on=event.on, actor=event.actor or AUTOMATIC, authority=authority)
        case Resume():
            return resume(invoice, on=event.on, actor=event.actor or AUTOMATIC, authority=authority)
        case _:
            raise InvalidTypeError("apply_event.event", event, "a Pause or a Resume")
