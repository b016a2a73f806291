"""An invoice as it stood on a past day, replayed from its history: for audits, and for
"what did the invoice look like when that reminder was sent".

An invoice keeps every booking with its day (payments, credit notes, dunning notices,
interest charges, write-offs) and an append-only history whose entries record each
step's day and the state it led to. :func:`as_of` keeps what is dated on or before the
day asked about and reads the rest from the history:

- every dated booking and history entry on or before ``day`` (inclusive: the invoice at
  the end of that day) stays, later ones go;
- the processing state is the state the last history entry kept led to;
- the pause is replayed from the history's pause and resume entries (the invoice's
  ``paused_since`` is the day of the pause they leave in force);
- a hold placed on or before ``day`` stays, and a lift booked after ``day`` is undone (the
  hold still held at the end of that day); so for an instalment plan and its cancellation;
- recoveries are dated bookings like the others.

Amounts are derived, so the open amount as of a day follows: it equals
``dunlib.balance(invoice, today=day).total``. Laws (tests/test_audit.py):
``as_of(invoice, invoice.history[-1].on) == invoice`` for an invoice booked through
dunlib, ``as_of`` of ``as_of`` on the same day changes nothing, and an earlier day of a
later view is the earlier view: ``as_of(as_of(i, d2), d1) == as_of(i, d1)`` for d1 <= d2.

Only a booked invoice (3 SENT and later) can be looked at before its last step, and only
from its issue day (the day it was booked and sent) on: before that it was a draft, whose
earlier lines the history does not keep.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import attrs

from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidValueError
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.records import Hold

__all__ = ["as_of"]


def _dated(value: Any) -> bool:
    """Whether ``value`` is a tuple of dated items (bookings, history entries)."""
    return (
        isinstance(value, tuple)
        and bool(value)
        and all(isinstance(getattr(item, "on", None), _dt.date) for item in value)
    )


def _last_day(invoice: Invoice) -> _dt.date | None:
    """The last day anything dated happened on ``invoice`` (None when nothing is dated)."""
    days = [
        item.on
        for field in attrs.fields(Invoice)
        if field.init and _dated(value := getattr(invoice, field.name))
        for item in value
    ]
    return max(days, default=None)


def _paused_since(kept: tuple[HistoryEntry, ...]) -> Any:
    since = None
    for entry in kept:
        if entry.kind is EventKind.DUNNING_PAUSED:
            since = entry.on
        elif entry.kind is EventKind.DUNNING_RESUMED:
            since = None
    return since


def _unlifted_after(hold: Hold, day: _dt.date) -> Hold:
    """``hold`` as it stood at the end of ``day``: a lift booked later had not happened yet."""
    if hold.lifted_on is not None and hold.lifted_on > day:
        return attrs.evolve(hold, lifted_on=None)
    return hold


def as_of(invoice: Invoice, *, today: _dt.date) -> Invoice:
    """``invoice`` as it stood at the end of ``today``: bookings and history entries dated
    after it removed, state and pause replayed from the history (see the module docs).

    A day on or after the invoice's last dated step gives the invoice itself. Raises
    :class:`~dunlib.core.errors.InvalidValueError` for an earlier day of an invoice that is
    not booked yet, and for a day before a booked invoice's issue day.
    """
    checked_invoice(invoice, "as_of")
    on = as_date(today, "as_of.today")
    last = _last_day(invoice)
    if last is None or on >= last:
        return invoice
    if not invoice.status.is_booked:
        raise InvalidValueError(
            "as_of.today",
            on,
            f"on or after {last}, the draft's last step (a draft's earlier lines are not kept)",
        )
    if on < invoice.issue_date:
        raise InvalidValueError(
            "as_of.today",
            on,
            f"on or after {invoice.issue_date}, the day invoice {invoice.known_as} was booked "
            "(before it, it was a draft whose lines the history does not keep)",
        )
    changes: dict[str, Any] = {}
    for field in attrs.fields(Invoice):
        value = getattr(invoice, field.name)
        if field.init and _dated(value):
            changes[str(field.alias)] = tuple(item for item in value if item.on <= on)
    if "holds" in changes:
        changes["holds"] = tuple(_unlifted_after(hold, on) for hold in changes["holds"])
    if "instalment_plans" in changes:
        changes["instalment_plans"] = tuple(
            attrs.evolve(plan, cancelled_on=None)
            if plan.cancelled_on is not None and plan.cancelled_on > on
            else plan
            for plan in changes["instalment_plans"]
        )
    kept: tuple[HistoryEntry, ...] = changes.get("history", invoice.history)
    changes["status"] = kept[-1].to_status  # a booked invoice has a history from its issue day
    changes["paused_since"] = _paused_since(kept)
    return attrs.evolve(invoice, **changes)
