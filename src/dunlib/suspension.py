"""Suspending dunning: globally, per customer and per invoice, as one question.

The seed suspends dunning on three levels: globally (every stage of the rules
inactive), per customer (``Customer.dunning_enabled`` off) and per invoice
(paused and later resumed). :func:`suspension` answers "is dunning of this
invoice suspended today, and on which level?" for all three.

Pausing and resuming an invoice are dated values (:class:`Pause`,
:class:`Resume`) applied with :func:`pause`, :func:`resume` or
:func:`apply_event`; each records the day in ``Invoice.paused_since`` and appends
a history entry. Documents sent before a pause stay valid; on resume the next
stage follows from the invoice's current state.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum

import attrs

from dunlib import _validate as v
from dunlib.dates import as_date
from dunlib.errors import InvalidTypeError, InvalidValueError
from dunlib.history import EventKind, HistoryEntry
from dunlib.invoice import Invoice
from dunlib.stages import DunningRules

__all__ = [
    "Pause",
    "Resume",
    "Suspension",
    "SuspensionEvent",
    "apply_event",
    "is_paused",
    "pause",
    "resume",
    "suspension",
]


@attrs.frozen(kw_only=True)
class Pause:
    """Pause dunning of an invoice from day ``on`` (inclusive) until it is resumed."""

    on: _dt.date = attrs.field(validator=v.calendar_date)
    actor: str = attrs.field(default="", validator=v.text)


@attrs.frozen(kw_only=True)
class Resume:
    """Resume dunning of a paused invoice from day ``on`` (inclusive)."""

    on: _dt.date = attrs.field(validator=v.calendar_date)
    actor: str = attrs.field(default="", validator=v.text)


SuspensionEvent = Pause | Resume
"""A dated change to an invoice's pause: :class:`Pause` or :class:`Resume`."""


class Suspension(Enum):
    """The level on which dunning is suspended, broadest first."""

    GLOBAL = "global"
    """The rules have no active stage."""
    CUSTOMER = "customer"
    """Dunning is switched off for the customer."""
    INVOICE = "invoice"
    """This invoice is paused."""


def _invoice(invoice: object, field: str) -> Invoice:
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError(field, invoice, "an Invoice")
    return invoice


def is_paused(invoice: Invoice, today: _dt.date) -> bool:
    """True when ``invoice`` is paused on ``today`` (paused on or before it, not resumed)."""
    day = as_date(today, "today")
    return invoice.paused_since is not None and invoice.paused_since <= day


def suspension(invoice: Invoice, rules: DunningRules, today: _dt.date) -> Suspension | None:
    """The broadest level on which dunning of ``invoice`` is suspended today, or None."""
    _invoice(invoice, "suspension.invoice")
    if not isinstance(rules, DunningRules):
        raise InvalidTypeError("suspension.rules", rules, "a DunningRules")
    if not rules.active_stages:
        return Suspension.GLOBAL
    if not invoice.customer.dunning_enabled:
        return Suspension.CUSTOMER
    if is_paused(invoice, today):
        return Suspension.INVOICE
    return None


def _recorded(
    invoice: Invoice,
    day: _dt.date,
    kind: EventKind,
    actor: str,
    detail: str,
    paused_since: _dt.date | None,
) -> Invoice:
    """``invoice`` with ``paused_since`` set and the step in its history (state unchanged)."""
    entry = HistoryEntry(
        on=day,
        kind=kind,
        from_status=invoice.status,
        to_status=invoice.status,
        actor=actor,
        detail=detail,
    )
    return invoice.with_entry(entry, paused_since=paused_since)


def pause(invoice: Invoice, on: _dt.date, *, actor: str = "") -> Invoice:
    """``invoice`` with dunning paused from ``on``, recorded in its history.

    Raises :class:`~dunlib.errors.InvalidValueError` when it is already paused.
    """
    _invoice(invoice, "pause.invoice")
    day = as_date(on, "pause.on")
    if invoice.paused_since is not None:
        raise InvalidValueError(
            "pause.invoice",
            invoice.id,
            f"an invoice whose dunning runs (it is paused since {invoice.paused_since})",
        )
    return _recorded(invoice, day, EventKind.DUNNING_PAUSED, actor, "dunning paused", day)


def resume(invoice: Invoice, on: _dt.date, *, actor: str = "") -> Invoice:
    """``invoice`` with dunning resumed from ``on``, recorded in its history.

    Raises :class:`~dunlib.errors.InvalidValueError` when it is not paused, or
    when ``on`` is before the day it was paused.
    """
    _invoice(invoice, "resume.invoice")
    day = as_date(on, "resume.on")
    if invoice.paused_since is None:
        raise InvalidValueError("resume.invoice", invoice.id, "a paused invoice")
    if day < invoice.paused_since:
        raise InvalidValueError(
            "resume.on", day, f"on or after the day dunning was paused ({invoice.paused_since})"
        )
    detail = f"dunning resumed (paused since {invoice.paused_since})"
    return _recorded(invoice, day, EventKind.DUNNING_RESUMED, actor, detail, None)


def apply_event(invoice: Invoice, event: SuspensionEvent) -> Invoice:
    """``invoice`` with ``event`` (a :class:`Pause` or :class:`Resume`) applied."""
    match event:
        case Pause():
            return pause(invoice, event.on, actor=event.actor)
        case Resume():
            return resume(invoice, event.on, actor=event.actor)
        case _:
            raise InvalidTypeError("apply_event.event", event, "a Pause or a Resume")
