"""Carrying out an escalation the engine decided: :func:`record_escalation`.

:func:`dunlib.next_dunning_action` returns an :class:`~dunlib.dunning.actions.Escalate` once every
stage of a DUNNED invoice was sent and the rules' escalation is due. The engine never
applies it; :func:`record_escalation` does, through the transition table like every other
step (the booking path checks the row, the actor's rights, the guards and that history
never goes back):

- :attr:`~dunlib.dunning.stages.Escalation.WRITE_OFF`: the WRITE_OFF row (DUNNED → WRITTEN_OFF),
  by :func:`dunlib.write_off`: what is open is written off as uncollectible;
- :attr:`~dunlib.dunning.stages.Escalation.COLLECTION`: the COLLECT row (DUNNED stays DUNNED): the
  hand-over to a debt collector is recorded in the history
  (:attr:`~dunlib.core.history.EventKind.HANDED_TO_COLLECTION`); payments still settle the
  invoice;
- :attr:`~dunlib.dunning.stages.Escalation.BLOCK_SERVICE`: the BLOCK row (DUNNED stays DUNNED):
  the blocking is recorded (:attr:`~dunlib.core.history.EventKind.SERVICE_BLOCKED`).

An escalation happens once: a written-off invoice has no further row, and the COLLECT and
BLOCK rows' guard ``not-escalated`` refuses an invoice already handed over or blocked.
Nor does a claim escalate while its dunning is paused or held (guards ``running`` and
``unheld``: a disputed claim is not handed to collection).
The engine answers ``NoActionReason.ESCALATED`` for such an invoice from then on.
"""

from __future__ import annotations

from functools import partial
from typing import assert_never

from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.transitions import Command
from dunlib.dunning.actions import Escalate
from dunlib.dunning.stages import Escalation
from dunlib.workflow import booking as _booking
from dunlib.workflow.documents import written_off
from dunlib.workflow.policy import Actor, Authority

__all__ = ["record_escalation"]


def record_escalation(
    invoice: Invoice,
    action: Escalate,
    *,
    actor: Actor,
    authority: Authority,
) -> Invoice:
    """``invoice`` with the escalation ``action`` carried out by ``actor`` on ``action.on``.

    A booking of the table's row for the escalation (see the module docs): the booking path
    refuses a state without the row, an actor without the right, a day before the last
    step and a failed guard (an escalation already carried out: ``not-escalated``); then,
    with an :class:`~dunlib.core.errors.InvalidValueError`, an action the engine does not decide
    for the invoice as it is (see :func:`_check_decided`).
    """
    checked_invoice(invoice, "record_escalation")
    if not isinstance(action, Escalate):
        raise InvalidTypeError("record_escalation.action", action, "an Escalate")
    if action.invoice_id != invoice.id:
        raise InvalidValueError(
            "Escalate.invoice_id",
            action.invoice_id,
            f"the id {invoice.id!r} of invoice {invoice.known_as}",
        )
    reason = f"escalation after level {action.level}, due since {action.due_since}"
    changes: dict[str, object] = {}
    match action.escalation:
        case Escalation.WRITE_OFF:  # as dunlib.write_off books it
            command, kind = Command.WRITE_OFF, EventKind.WRITE_OFF
            detail = f"written off as uncollectible ({reason}): {invoice.open_amount}"
            changes = written_off(invoice, action.on, f"uncollectible ({reason})")
        case Escalation.COLLECTION:
            command, kind = Command.COLLECT, EventKind.HANDED_TO_COLLECTION
            detail = f"handed to collection: {invoice.open_amount} open ({reason})"
        case Escalation.BLOCK_SERVICE:
            command, kind = Command.BLOCK, EventKind.SERVICE_BLOCKED
            detail = f"service blocked: {invoice.open_amount} open ({reason})"
        case _:
            assert_never(action.escalation)
    return _booking.book(
        invoice,
        command,
        operation="record_escalation",
        actor=actor,
        on=action.on,
        authority=authority,
        kind=kind,
        detail=detail,
        changes=changes,
        decided=partial(_check_decided, invoice, action),
    )


def _check_decided(invoice: Invoice, action: Escalate) -> None:
    """Refuse ``action`` unless the engine could decide it for ``invoice`` as it is now (a
    DUNNED one: the table has no escalation row elsewhere): at its level, for what is open,
    due after the last document (or the due date) and on or before the action's day. (The
    escalation and its delay are the rules'; they are not on the invoice.) A decision made
    before a payment or a new document, and a value built by hand, are refused with an
    :class:`~dunlib.core.errors.InvalidValueError` naming the field."""
    last = invoice.last_issued_stage
    since = invoice.due_date if last is None else last.on
    for field, value, expected, ok in (
        ("level", action.level, f"level {invoice.dunning_level}",
         action.level == invoice.dunning_level),
        ("open_amount", action.open_amount, f"{invoice.open_amount}, what is open",
         action.open_amount == invoice.open_amount),
        ("due_since", action.due_since, f"a day after {since} (the last document or the due "
         f"date) and on or before {action.on}", since < action.due_since <= action.on),
    ):  # fmt: skip
        if not ok:
            raise InvalidValueError(
                f"Escalate.{field}",
                value,
                f"{expected}: the engine's escalation of invoice {invoice.known_as} as it is now "
                "(a decision made before the invoice changed, or built by hand: decide again)",
            )
