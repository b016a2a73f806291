"""What-if events for :func:`dunlib.simulate`: pauses, resumes, payments and credit notes.

A what-if asks how dunning would go if something happened on a given day: "what if
dunning is paused from 25 May", "what if the customer pays half on day 20", "what if we
credit 20.00 EUR on 3 June". :func:`dunlib.simulate` takes such events in date order and
applies each one at the start of its day, before that day's run, through the same
booking path as the real operation:

- a :class:`~dunlib.dunning.suspension.Pause` or :class:`~dunlib.dunning.suspension.Resume` with
  :func:`dunlib.apply_event` (by its actor, the automatic actor when it names none);
- a :class:`~dunlib.core.records.Payment` with :func:`dunlib.record_payment` by the automatic
  actor (the seed's automatic matching): fees first, then interest, then principal; a
  cash discount is taken as the terms allow, and money beyond what is open is the
  overpayment, which is not kept on the invoice;
- a :class:`~dunlib.core.records.CreditNote` with :func:`dunlib.record_credit_note` by
  :data:`WHAT_IF_ACCOUNTANT` under the 2-eye policy (a what-if plays the people too).

:func:`apply_what_if`, :func:`describe_event` and :func:`checked_events` are the
helpers :func:`dunlib.simulate` uses (not exported).

An event the real operation refuses is refused in the simulation with the same typed
error: a payment on an invoice that an earlier event already settled, a pause of a paid
invoice, a credit note above the open amount.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.records import CreditNote, Payment
from dunlib.core.transitions import ACCOUNTANT
from dunlib.dunning.suspension import Pause, Resume, apply_event
from dunlib.payments.recording import record_payment
from dunlib.workflow.documents import record_credit_note
from dunlib.workflow.policy import AUTOMATIC, Actor, Authority

__all__ = ["WHAT_IF_ACCOUNTANT", "WHAT_IF_AUTHORITY", "WhatIfEvent"]

WhatIfEvent = Pause | Resume | Payment | CreditNote
"""A dated event :func:`dunlib.simulate` applies: a pause, a resume, a payment or a credit
note."""

WHAT_IF_ACCOUNTANT = Actor(id="what-if", roles={ACCOUNTANT})
"""Who books a simulated credit note: an accountant that exists only in simulations."""

WHAT_IF_AUTHORITY = Authority(eyes=2)
"""The authority a what-if books under: the 2-eye policy and the table's rights."""


def apply_what_if(invoice: Invoice, event: WhatIfEvent) -> Invoice:
    """``invoice`` with ``event`` booked as :func:`dunlib.simulate` books it (see the module
    docs); raises the typed error of the real operation when it refuses the event."""
    match event:
        case Pause() | Resume():
            return apply_event(invoice, event, authority=WHAT_IF_AUTHORITY)
        case Payment():
            return record_payment(
                invoice, event, actor=AUTOMATIC, authority=WHAT_IF_AUTHORITY
            ).invoice
        case CreditNote():
            return record_credit_note(
                invoice, event, actor=WHAT_IF_ACCOUNTANT, on=event.on, authority=WHAT_IF_AUTHORITY
            )
        case _:
            raise InvalidTypeError(
                "apply_what_if.event", event, "a Pause, Resume, Payment or CreditNote"
            )


def describe_event(event: WhatIfEvent) -> str:
    """A short text for ``event`` in a schedule's table ("dunning paused", "payment of …")."""
    match event:
        case Pause():
            return "dunning paused"
        case Resume():
            return "dunning resumed"
        case Payment():
            return f"payment of {event.amount}"
        case CreditNote():
            return f"credit note {event.id} of {event.amount}"
        case _:
            raise InvalidTypeError(
                "describe_event.event", event, "a Pause, Resume, Payment or CreditNote"
            )


def checked_events(events: Any, last: _dt.date, field: str) -> tuple[WhatIfEvent, ...]:
    """``events`` as a tuple when every one is a what-if event, in date order, none before
    ``last`` (the day of the invoice's last step: history never goes back)."""
    if not isinstance(events, tuple | list):
        raise InvalidTypeError(
            field, events, "a tuple of Pause, Resume, Payment and CreditNote events"
        )
    checked = tuple(events)
    for index, event in enumerate(checked):
        if not isinstance(event, Pause | Resume | Payment | CreditNote):
            raise InvalidTypeError(
                f"{field}[{index}]", event, "a Pause, a Resume, a Payment or a CreditNote"
            )
        if event.on < last:
            raise InvalidValueError(
                f"{field}[{index}].on",
                event.on,
                f"on or after {last}, the day of the invoice's last step (history never goes "
                "back; what happened before is already in the invoice)",
            )
        if index and event.on < checked[index - 1].on:
            raise InvalidValueError(
                f"{field}[{index}].on",
                event.on,
                f"events in date order (on or after {checked[index - 1].on})",
            )
    return checked
