"""Recording a dunning document the engine decided: the booking of an :class:`IssueStage`.

:func:`dunlib.next_dunning_action` decides; :func:`record_notice` books the decision
through the one booking path, by the table row the document's day calls for:

- on or after the due date, ``DUN``: the invoice becomes (or stays) DUNNED and the
  document's fee is owed (guard ``overdue``);
- before the due date, ``REMIND``: a payment reminder ahead of the due date is a
  document, not dunning; the invoice stays SENT and the reminder may charge no fee
  (guards ``not-yet-due`` and ``no-fee``). Nothing is owed before the due date, so
  nothing can be dunned.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from functools import partial

from dunlib import _booking
from dunlib.actions import IssueStage
from dunlib.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from dunlib.history import EventKind
from dunlib.invoice import InterestCharge, Invoice
from dunlib.policy import AUTOMATIC, Actor, Permissions
from dunlib.stages import StageKind
from dunlib.transitions import Command

__all__ = ["record_notice"]


def record_notice(
    invoice: Invoice,
    action: IssueStage,
    *,
    actor: Actor = AUTOMATIC,
    permissions: Permissions | None = None,
) -> Invoice:
    """``invoice`` with the document of ``action`` booked: the notice appended, its fee owed,
    and the default interest it claims booked with it as an
    :class:`~dunlib.invoice.InterestCharge` dated on the document's day (one step, one
    history entry; payments then settle it after fees and before the principal).

    Booked by ``actor`` (by default :data:`~dunlib.policy.AUTOMATIC`, the dunning run) on
    the action's day, through the table's ``DUN`` row (on or after the due date: state
    DUNNED) or ``REMIND`` row (before it: state stays SENT, no fee). Refuses, with an
    :class:`~dunlib.errors.InvalidValueError`, an action for another invoice, one already
    recorded, one for another level than the next, and one dated on or before the
    previous document; the booking path refuses a state without the row, an actor
    without the right, a day before the last step and a failed guard.
    """
    return _record(invoice, action, actor=actor, permissions=permissions)


def _record(
    invoice: Invoice,
    action: IssueStage,
    *,
    actor: Actor,
    permissions: Permissions | None,
    policy_rule: Callable[[Invoice, Command], None] | None = None,
) -> Invoice:
    """:func:`record_notice`, with ``policy_rule``: an eyes-policy check of the caller's own
    (:func:`dunlib.send_notice`'s), given the invoice and the row's command, run where the
    booking path checks the eyes policy (after the rights, before the guards)."""
    _booking.checked_invoice(invoice, "record_notice")
    if not isinstance(action, IssueStage):
        raise InvalidTypeError(
            "record_notice.action", action, "an IssueStage (NoAction and Escalate record nothing)"
        )
    if action.invoice_id != invoice.id:
        raise InvalidValueError(
            "IssueStage.invoice_id", action.invoice_id, f"the invoice's id {invoice.id!r}"
        )
    expected = invoice.dunning_level + 1
    if action.level < expected:
        recorded = invoice.notices[action.level - 1]
        raise InvalidValueError(
            "IssueStage.level",
            action.level,
            f"level {expected}: level {action.level} was already recorded on {recorded.on}",
        )
    if action.level > expected:
        raise InvalidValueError(
            "IssueStage.level", action.level, f"level {expected}, the invoice's next level"
        )
    last = invoice.last_notice
    if last is not None and action.on <= last.on:
        raise InvalidValueError(
            "IssueStage.on", action.on, f"a day after the previous document's date {last.on}"
        )
    if last is not None and last.stage_number is not None:
        again = action.stage_number == last.stage_number and action.repeat > 0
        if action.stage_number <= last.stage_number and not again:
            raise InvalidValueError(
                "IssueStage.stage_number",
                action.stage_number,
                f"a stage after stage {last.stage_number}, the last one issued (an issued "
                "stage is issued again only as a repetition of the repeating last stage)",
            )
    if action.fee.currency != invoice.currency:
        raise CurrencyMismatchError(invoice.currency, action.fee.currency, "record a fee across")
    if action.interest.currency != invoice.currency:
        raise CurrencyMismatchError(
            invoice.currency, action.interest.currency, "record interest across"
        )
    before_due = _before_due(invoice, action.on)
    changes: dict[str, object] = {"notices": (*invoice.notices, action.notice())}
    claimed = ""
    if action.interest.is_positive:
        if before_due:
            raise InvalidValueError(
                "IssueStage.interest",
                action.interest,
                f"zero before the due date {invoice.due_date} (nothing is owed yet)",
            )
        charge = InterestCharge(
            on=action.on,
            amount=action.interest,
            detail=f"default interest up to {action.on}, level {action.level}",
        )
        changes["interest"] = (*invoice.interest, charge)
        claimed = f", interest {action.interest}"
    word = "reminder" if action.kind is StageKind.REMINDER else "notice"
    command = Command.REMIND if before_due else Command.DUN
    return _booking.book(
        invoice,
        command,
        operation="record_notice",
        actor=actor,
        on=action.on,
        permissions=permissions,
        kind=EventKind.DUNNING_NOTICE,
        detail=f"level {action.level} {word} sent, due {action.due_date}, fee {action.fee}"
        + claimed,
        changes=changes,
        policy_rule=None if policy_rule is None else partial(policy_rule, invoice, command),
    )


def _before_due(invoice: Invoice, day: _dt.date) -> bool:
    return day < invoice.due_date
