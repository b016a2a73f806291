"""How an invoice's history books its bookings (internal to :mod:`dunlib.core`): the walk
along the history, each entry on the table's path, and the marks the dunning reads from it,
once per invoice; the ledger that ties each booking to the entry that booked it is
:mod:`dunlib.core._ledger`.

The invoice is read through :class:`~dunlib.core._ledger.Booked`, the fields these checks
read, so this module sits below :mod:`dunlib.core.invoice` (which builds its values with
them)."""

from __future__ import annotations

import datetime as _dt
from typing import Any, NoReturn

from dunlib.core import quick
from dunlib.core._ledger import (
    _ALL_BOOKINGS,
    _BOOKED,
    _BOOKED_BY,
    _BOOKINGS,
    _CREATED,
    _STEPS,
    _TRANSITION,
    Booked,
    _default_due_date,
    _Gross,
    _kind_expected,
    _Ledger,
    _Marks,
)
from dunlib.core.errors import InvalidValueError
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.status import Status
from dunlib.core.transitions import ROWS

__all__ = ["_BOOKED", "_Marks", "_default_due_date", "marks_of", "walk"]


def marks_of(
    invoice: Booked, prior: _Marks | None = None
) -> tuple[_Marks, tuple[str, Any, str] | None]:
    """The marks of ``invoice``'s history, read on from ``prior``'s, and the first problem
    with a booking (None: none); raises for a history off the table's path."""
    ledger = walk(invoice, prior)
    return ledger.marks, ledger.found


def walk(invoice: Booked, prior: _Marks | None = None, gross: _Gross | None = None) -> _Ledger:
    """Read ``invoice``'s history once, from ``prior``'s marks (the invoice it extends; None:
    from the start), each entry checked as it is read (see :class:`_Marks`): the ledger that
    read it, with the :attr:`_Ledger.marks` it leaves, the first problem with a booking
    (:attr:`_Ledger.found`) and, read from the start, what it booked of each amount.
    ``gross`` gives the invoice's gross from its lines and currency when first needed (None:
    taken from its derived amounts).

    Raises InvalidValueError for an entry off the table's path (see :func:`_off_the_path`)
    and for a status other than where the history leads."""
    history = invoice.history
    if prior is None:
        prior = _NO_MARKS
    start = prior.count
    before = history[start - 1].to_status if start else Status.DRAFT
    latest = prior.latest or _FIRST_DAY
    issued = invoice.issue_date
    ledger = _Ledger(invoice, prior, gross)
    found: tuple[str, Any, str] | None = None  # the first problem with a booking
    for index in range(start, len(history)):
        entry = history[index]
        day, source, target = entry.on, entry.from_status, entry.to_status
        step = _STEPS.get((entry.kind._name_, source, target))  # None: no such step
        if (
            day < latest
            or source is not before
            or (step is None and (source, target) not in _MOVES)
            or (day < issued and source in _BOOKED)
        ):
            _off_the_path(invoice, index, entry, latest, before)
        if found is not None:  # the first problem with a kind or a booking, kept for later
            pass
        elif step is None or (
            (entry.kind is _CREATED) is not (not index) and (index or entry.kind is not _TRANSITION)
        ):  # the first entry drafts (CREATED) or takes a draft a step on, no other drafts
            found = f"history[{index}].kind", entry.kind, _kind_expected(index, source, target)
        else:
            found = step(ledger, index, entry)
        latest, before = day, target
    if before is not invoice.status:
        raise InvalidValueError(
            "Invoice.status",
            invoice.status,
            f"{before}, where the last history step led (invoice {invoice.known_as})"
            if history
            else f"DRAFT without a history: build a booked invoice through the "
            f"operations, or Invoice.sent (invoice {invoice.known_as})",
        )
    taken = ledger.taken
    ledger.marks = _Marks(
        latest if history else None,
        ledger.escalated,
        ledger.switch,
        len(history),
        _counts(*taken),
        ledger.open_less_gross,
        ledger.paused,
    )
    if found is None and (
        list(map(len, _ALL_BOOKINGS(invoice))) != taken or invoice.paused_since != ledger.paused
    ):
        found = _unbooked(invoice, taken, ledger.paused)
    if found is None and invoice.holds:
        found = _unlifted(invoice)
    if found is None and invoice.instalment_plans:
        found = _uncancelled(invoice)
    ledger.found = found
    return ledger


_FIRST_DAY = _dt.date.min
"""The day before any entry: no entry is dated before it."""


def _off_the_path(
    invoice: Booked, index: int, entry: HistoryEntry, latest: _dt.date, before: Status
) -> NoReturn:
    """Raise for entry ``index``, which does not follow the one before on the table's path:
    dated before it (``latest``), not starting where it led (``before``), a move the table
    does not have, or a booked step before the issue date."""
    day, source, target = entry.on, entry.from_status, entry.to_status
    value: object
    if day < latest:
        name, value, expected = "on", day, f"on or after {latest}, the day of the step before"
    elif source is not before:
        name, value, expected = "from_status", source, f"{before}, where the step before led"
    elif (source, target) not in _MOVES:
        name, value, expected = "to_status", target, f"a state the table leads to from {source}"
    else:
        name, value, expected = "on", day, f"on or after the issue date {invoice.issue_date}"
    raise InvalidValueError(
        f"Invoice.history[{index}].{name}", value, f"{expected} (invoice {invoice.known_as})"
    )


_NO_MARKS = _Marks(None, False, None, 0)


@quick.cached(quick.COUNTS)
def _counts(*taken: int) -> tuple[int, ...]:
    """``taken`` as one tuple shared by every invoice with as many bookings of each kind."""
    return taken


_MOVES = frozenset(
    {(row.source, row.target) for row in ROWS} | {(status, status) for status in Status}
)
"""Every (from, to) pair a history entry may record: a row of the table, or no move."""


def _unlifted(invoice: Booked) -> tuple[str, Any, str] | None:
    """A hold lifted on a day no history entry lifted a hold of its kind."""
    lifts = {
        (entry.on, entry.detail.partition(": ")[0])
        for entry in invoice.history
        if entry.kind is EventKind.HOLD_LIFTED
    }
    for at, hold in enumerate(invoice.holds):
        if (
            hold.lifted_on is not None
            and (hold.lifted_on, f"{hold.kind.value} hold lifted") not in lifts
        ):
            return (
                f"holds[{at}].lifted_on",
                hold.lifted_on,
                f"the day of a history entry that lifted the {hold.kind.value} hold "
                "(HOLD_LIFTED), or None",
            )
    return None


def _uncancelled(invoice: Booked) -> tuple[str, Any, str] | None:
    """A plan cancelled on a day no history entry cancelled a plan."""
    days = {entry.on for entry in invoice.history if entry.kind is EventKind.PLAN_CANCELLED}
    for at, plan in enumerate(invoice.instalment_plans):
        if plan.cancelled_on is not None and plan.cancelled_on not in days:
            return (
                f"instalment_plans[{at}].cancelled_on",
                plan.cancelled_on,
                "the day of a history entry that cancelled the plan (PLAN_CANCELLED), or None",
            )
    return None


def _unbooked(invoice: Booked, taken: list[int], paused: _dt.date | None) -> tuple[str, Any, str]:
    """A booking no entry booked (``taken``: how many of each the entries booked), or a
    pause the history (``paused``: the pause it leaves in force) does not record: asked
    only where one of them is so."""
    counts = list(map(len, _ALL_BOOKINGS(invoice)))
    if counts != taken:  # a booking left over (none is taken twice)
        at = next(at for at, count in enumerate(counts) if taken[at] < count)
        return (
            f"{_BOOKINGS[at]}[{taken[at]}]",
            getattr(invoice, _BOOKINGS[at])[taken[at]],
            f"a booking of a history entry ({_BOOKED_BY[at]}) on its day",
        )
    return (  # else the pause in force differs
        "paused_since",
        invoice.paused_since,
        f"{paused}, the day of the pause in force by the history"
        if paused
        else "None: the history records no pause in force",
    )
