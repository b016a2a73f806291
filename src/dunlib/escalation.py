"""Carrying out an escalation the engine decided: :func:`apply_escalation`.

:func:`dunlib.next_dunning_action` returns an :class:`~dunlib.actions.Escalate` once every
stage of a DUNNED invoice was sent and the rules' escalation is due. The engine never
applies it; :func:`apply_escalation` does, through the transition table like every other
step (the booking path checks the row, the actor's rights, the guards and that history
never goes back):

- :attr:`~dunlib.stages.Escalation.WRITE_OFF`: the WRITE_OFF row (DUNNED → WRITTEN_OFF),
  by :func:`dunlib.write_off`: what is open is written off as uncollectible;
- :attr:`~dunlib.stages.Escalation.COLLECTION`: the COLLECT row (DUNNED stays DUNNED): the
  hand-over to a debt collector is recorded in the history
  (:attr:`~dunlib.history.EventKind.HANDED_TO_COLLECTION`); payments still settle the
  invoice;
- :attr:`~dunlib.stages.Escalation.BLOCK_SERVICE`: the BLOCK row (DUNNED stays DUNNED):
  the blocking is recorded (:attr:`~dunlib.history.EventKind.SERVICE_BLOCKED`).

An escalation happens once: a written-off invoice has no further row, and the COLLECT and
BLOCK rows' guard ``not-escalated`` refuses an invoice already handed over or blocked.
Nor does a claim escalate while its dunning is paused or held (guards ``running`` and
``unheld``: a disputed claim is not handed to collection).
The engine answers ``NoActionReason.ESCALATED`` for such an invoice from then on.
"""

from __future__ import annotations

from typing import assert_never

from dunlib import _booking
from dunlib.actions import Escalate
from dunlib.documents import write_off
from dunlib.errors import InvalidTypeError, InvalidValueError
from dunlib.history import EventKind
from dunlib.invoice import Invoice
from dunlib.policy import AUTOMATIC, Actor, Permissions
from dunlib.stages import Escalation
from dunlib.transitions import Command

__all__ = ["apply_escalation"]


def apply_escalation(
    invoice: Invoice,
    action: Escalate,
    *,
    actor: Actor = AUTOMATIC,
    permissions: Permissions | None = None,
) -> Invoice:
    """``invoice`` with the escalation ``action`` carried out by ``actor`` on ``action.on``.

    A booking of the table's row for the escalation (see the module docs). Refuses, with an
    :class:`~dunlib.errors.InvalidValueError`, an action for another invoice or one decided
    at another level than the invoice's (a document was recorded since); the booking path
    refuses a state without the row, an actor without the right, a day before the last
    step and a failed guard (an escalation already carried out: ``not-escalated``).
    """
    _booking.checked_invoice(invoice, "apply_escalation")
    if not isinstance(action, Escalate):
        raise InvalidTypeError("apply_escalation.action", action, "an Escalate")
    if action.invoice_id != invoice.id:
        raise InvalidValueError(
            "Escalate.invoice_id", action.invoice_id, f"the invoice's id {invoice.id!r}"
        )
    if action.level != invoice.dunning_level:
        raise InvalidValueError(
            "Escalate.level",
            action.level,
            f"level {invoice.dunning_level}, the invoice's (decide again after a new document)",
        )
    reason = f"escalation after level {action.level}, due since {action.due_since}"
    match action.escalation:
        case Escalation.WRITE_OFF:
            return write_off(
                invoice,
                actor=actor,
                on=action.on,
                reason=f"uncollectible ({reason})",
                permissions=permissions,
            )
        case Escalation.COLLECTION:
            command, kind, what = (
                Command.COLLECT,
                EventKind.HANDED_TO_COLLECTION,
                "handed to collection",
            )
        case Escalation.BLOCK_SERVICE:
            command, kind, what = Command.BLOCK, EventKind.SERVICE_BLOCKED, "service blocked"
        case _:
            assert_never(action.escalation)
    return _booking.book(
        invoice,
        command,
        operation="apply_escalation",
        actor=actor,
        on=action.on,
        permissions=permissions,
        kind=kind,
        detail=f"{what}: {invoice.open_amount} open ({reason})",
    )
