"""Holds on dunning: a dispute, a promise to pay, a pending SEPA direct debit.

Beside pausing (:mod:`dunlib.dunning.suspension`, until someone resumes), an invoice's dunning can
be *held* for a reason and, usually, up to a day (a :class:`~dunlib.core.records.Hold`):

- a **dispute** (:meth:`~dunlib.core.records.Hold.dispute`): the customer
  contests the invoice; held until ``until`` or, without one, until lifted;
- a **promise to pay** (:meth:`~dunlib.core.records.Hold.promise_to_pay`):
  the customer promised to pay by ``until``; still open the day after, the promise is
  broken and dunning resumes on that day with the next stage;
- a pending **SEPA direct debit**
  (:meth:`~dunlib.core.records.Hold.direct_debit`): held up to the
  collection date plus the return window, ``return_days`` on the hold (by default
  :data:`~dunlib.core.records.DIRECT_DEBIT_RETURN_DAYS`, 5 interbank business days on the
  TARGET2 calendar, :data:`~dunlib.core.calendars.TARGET2`: the window in which the
  debtor's bank may return a SEPA Core debit). A debit that comes
  back is a hold lifted (:func:`lift_hold`): dunning resumes on that day; a debit
  collected is a payment (:func:`dunlib.record_payment`).

Placing a hold (:func:`place_hold`) and lifting it early (:func:`lift_hold`) are bookings
of the table's HOLD and LIFT_HOLD rows (SENT and DUNNED invoices): the actor needs the
right to, history never goes back, at most one hold of a kind holds at a time (guard
``not-held``), and only a hold that holds can be lifted (guard ``held``). Each appends a
history entry; the placing entry names the day the hold ends by itself. The hold is kept
in :attr:`~dunlib.core.invoice.Invoice.holds`, a lifted one with its
``lifted_on`` day.

While a hold holds, :func:`dunlib.next_dunning_action` issues nothing and answers a
:class:`~dunlib.dunning.actions.NoAction` naming the hold (``DISPUTED``, ``PROMISED_TO_PAY``,
``DIRECT_DEBIT_PENDING``) with ``next_on`` the day the hold ends by itself, where known.
From that day the engine decides as if there had been no hold: the next stage (one, never
several) as soon as its trigger date is reached. A hold only ever delays dunning.
"""

from __future__ import annotations

import datetime as _dt

import attrs

from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.records import DIRECT_DEBIT_RETURN_DAYS, Hold, HoldKind
from dunlib.core.transitions import Command
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import Actor, Authority

__all__ = [
    "DIRECT_DEBIT_RETURN_DAYS",
    "Hold",
    "HoldKind",
    "holds_on",
    "lift_hold",
    "place_hold",
]


def _ends(hold: Hold) -> str:
    if hold.until is None:
        return "until lifted"
    if hold.kind is HoldKind.DIRECT_DEBIT:
        return f"collection on {hold.until}, held up to {hold.ends_on}"
    return f"up to {hold.until}"


def place_hold(
    invoice: Invoice,
    hold: Hold,
    *,
    actor: Actor,
    authority: Authority,
) -> Invoice:
    """``invoice`` with ``hold`` placed on its dunning on ``hold.on`` by ``actor``.

    A booking of the HOLD row (SENT or DUNNED): ``actor`` needs the right to, ``hold.on``
    may not be before the invoice's last step, and a hold of the same kind that holds on
    that day is refused (:class:`~dunlib.core.errors.GuardFailedError`, guard ``not-held``).
    The history entry names the kind, the reason and the day the hold ends by itself.
    """
    checked_invoice(invoice, "place_hold")
    if not isinstance(hold, Hold):
        raise InvalidTypeError("place_hold.hold", hold, "a Hold")
    if hold.lifted_on is not None:
        raise InvalidValueError("place_hold.hold.lifted_on", hold.lifted_on, "None: a new hold")
    return _booking.book(
        invoice,
        Command.HOLD,
        operation="place_hold",
        actor=actor,
        on=hold.on,
        authority=authority,
        kind=EventKind.HOLD_PLACED,
        detail=f"{hold.kind.value} hold: {hold.reason} ({_ends(hold)})",
        changes={"holds": (*invoice.holds, hold)},
    )


def lift_hold(
    invoice: Invoice,
    kind: HoldKind,
    *,
    on: _dt.date,
    actor: Actor,
    reason: str = "",
    authority: Authority,
) -> Invoice:
    """``invoice`` with its hold of ``kind`` lifted on ``on`` by ``actor``: dunning resumes
    that day (a dispute settled, a direct debit returned).

    A booking of the LIFT_HOLD row: ``actor`` needs the right to, ``on`` may not be before
    the invoice's last step, and a hold of ``kind`` must hold on ``on``
    (:class:`~dunlib.core.errors.GuardFailedError`, guard ``held``). ``reason`` goes into the
    history entry.
    """
    checked_invoice(invoice, "lift_hold")
    if not isinstance(kind, HoldKind):
        raise InvalidTypeError("lift_hold.kind", kind, "a HoldKind")
    if not isinstance(reason, str):
        raise InvalidTypeError("lift_hold.reason", reason, "a str")
    day = as_date(on, "lift_hold.on")
    holds = tuple(
        attrs.evolve(hold, lifted_on=day)
        if hold.kind is kind and hold.holds_on(today=day)
        else hold
        for hold in invoice.holds
    )
    return _booking.book(
        invoice,
        Command.LIFT_HOLD,
        operation="lift_hold",
        actor=actor,
        on=day,
        authority=authority,
        kind=EventKind.HOLD_LIFTED,
        detail=f"{kind.value} hold lifted" + (f": {reason}" if reason else ""),
        changes={"holds": holds},
    )


def holds_on(invoice: Invoice, *, today: _dt.date) -> tuple[Hold, ...]:
    """The holds on ``invoice`` that hold on ``today``, in the order placed."""
    checked_invoice(invoice, "holds_on")
    day = as_date(today, "holds_on.today")
    return tuple(hold for hold in invoice.holds if hold.holds_on(today=day))
