"""The dunning engine: decide the next step for one invoice on one day, and record it.

:func:`next_dunning_action` is a pure function of the invoice, the rules and
``today``: it reads no clock and changes nothing. It looks, in this order, at

1. the processing state: only SENT and DUNNED invoices are dunned
   (drafts: ``NOT_BOOKED``; PAID: ``SETTLED``; cancelled or written off: ``CLOSED``);
2. the open amount: nothing owed (zero or less) is ``SETTLED``;
3. suspension (:func:`dunlib.suspension.suspension`): no active stage
   (``NO_ACTIVE_STAGE``), customer's dunning off (``CUSTOMER_DISABLED``),
   invoice paused (``PAUSED``);
4. the minimum open amount of the invoice's currency: below it, ``BELOW_MINIMUM``
   (an amount equal to the minimum is dunned);
5. the ladder: level ``n + 1`` uses the ``(n + 1)``-th active stage, where ``n``
   is the number of documents already sent. It fires on its trigger date
   (:func:`trigger_date`, inclusive) or later; before that, ``NOT_YET_DUE`` with
   the date. With every active stage sent, :class:`~dunlib.actions.Escalate` once
   the rules' escalation is due, or ``EXHAUSTED`` when the rules name none.

One evaluation issues at most one stage. After a gap (a pause, a missed run) the
engine catches up one stage per run, and each later stage counts from the
document actually created. The engine never imports the approval workflow: it
decides, and :func:`record_notice` applies an :class:`~dunlib.actions.IssueStage`
through the transition table.
"""

from __future__ import annotations

import datetime as _dt
from typing import assert_never

from dunlib.actions import DunningAction, Escalate, IssueStage, NoAction, NoActionReason
from dunlib.dates import add_days, as_date
from dunlib.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from dunlib.history import EventKind
from dunlib.invoice import Invoice
from dunlib.money import Money
from dunlib.stages import DunningRules, DunningStage, StageKind, TriggerBasis
from dunlib.status import Status
from dunlib.suspension import Suspension, suspension
from dunlib.transitions import Command, apply_transition

__all__ = ["next_dunning_action", "record_notice", "trigger_date"]

_SUSPENDED = {
    Suspension.GLOBAL: NoActionReason.NO_ACTIVE_STAGE,
    Suspension.CUSTOMER: NoActionReason.CUSTOMER_DISABLED,
    Suspension.INVOICE: NoActionReason.PAUSED,
}


def trigger_date(stage: DunningStage, invoice: Invoice) -> _dt.date:
    """The first day ``stage`` may fire as the invoice's next level (inclusive).

    ``days_overdue`` counted from the previous document's date (the seed's rule;
    from the due date while none was sent), from the due date, or back from the
    due date, as the stage's basis says. Never before the invoice's issue date (a
    pre-due reminder longer than the payment term waits for the invoice to exist),
    and never on or before the day of the previous document: an invoice gets at
    most one document a day.
    """
    last = invoice.last_notice
    days = stage.days_overdue
    match stage.basis:
        case TriggerBasis.BEFORE_DUE_DATE:
            day = add_days(invoice.due_date, -days)
        case TriggerBasis.DUE_DATE:
            day = add_days(invoice.due_date, days)
        case TriggerBasis.PREVIOUS_DOCUMENT:
            day = add_days(invoice.due_date if last is None else last.on, days)
        case _:
            assert_never(stage.basis)
    if last is not None:
        day = max(day, add_days(last.on, 1))
    return max(day, invoice.issue_date)


def _state_reason(invoice: Invoice) -> NoActionReason | None:
    if invoice.status in (Status.SENT, Status.DUNNED):
        return NoActionReason.SETTLED if invoice.is_settled else None
    if invoice.status is Status.PAID:
        return NoActionReason.SETTLED
    if invoice.status.is_booked:
        return NoActionReason.CLOSED
    return NoActionReason.NOT_BOOKED


def _fee(stage: DunningStage, invoice: Invoice) -> Money:
    if stage.fee is None or not invoice.customer.fees_enabled:
        return Money.zero(invoice.currency)
    if stage.fee.currency != invoice.currency:
        raise CurrencyMismatchError(invoice.currency, stage.fee.currency, "charge a fee across")
    return stage.fee


def _escalation(invoice: Invoice, rules: DunningRules, today: _dt.date) -> DunningAction:
    if rules.escalation is None:
        return NoAction(invoice_id=invoice.id, reason=NoActionReason.EXHAUSTED)
    last = invoice.last_notice
    since = invoice.due_date if last is None else last.on
    due = max(add_days(since, rules.escalation_days), add_days(since, 1))
    if today < due:
        return NoAction(invoice_id=invoice.id, reason=NoActionReason.NOT_YET_DUE, next_on=due)
    return Escalate(
        invoice_id=invoice.id,
        escalation=rules.escalation,
        on=today,
        due_since=due,
        level=invoice.dunning_level,
        open_amount=invoice.open_amount,
    )


def next_dunning_action(
    invoice: Invoice, rules: DunningRules, today: _dt.date
) -> IssueStage | NoAction | Escalate:
    """What to do about ``invoice`` on ``today`` under ``rules``: one :data:`DunningAction`.

    Pure and deterministic (see the module docs for the order of the checks).
    Raises only for caller mistakes: wrong types, or a notice fee in another
    currency than the invoice (:class:`~dunlib.errors.CurrencyMismatchError`).
    """
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("next_dunning_action.invoice", invoice, "an Invoice")
    if not isinstance(rules, DunningRules):
        raise InvalidTypeError("next_dunning_action.rules", rules, "a DunningRules")
    day = as_date(today, "next_dunning_action.today")

    reason = _state_reason(invoice)
    if reason is None:
        level = suspension(invoice, rules, day)
        reason = None if level is None else _SUSPENDED[level]
    if reason is None:
        minimum = rules.minimum_for(invoice.currency)
        if minimum is not None and invoice.open_amount < minimum:
            reason = NoActionReason.BELOW_MINIMUM
    if reason is not None:
        return NoAction(invoice_id=invoice.id, reason=reason)

    ladder = [(n, stage) for n, stage in enumerate(rules.stages, start=1) if stage.active]
    if invoice.dunning_level >= len(ladder):
        return _escalation(invoice, rules, day)
    number, stage = ladder[invoice.dunning_level]
    trigger = trigger_date(stage, invoice)
    if day < trigger:
        return NoAction(invoice_id=invoice.id, reason=NoActionReason.NOT_YET_DUE, next_on=trigger)
    fee = _fee(stage, invoice)
    return IssueStage(
        invoice_id=invoice.id,
        level=invoice.dunning_level + 1,
        stage_number=number,
        stage=stage,
        on=day,
        due_date=add_days(day, stage.payment_term_days),
        fee=fee,
        total_gross=invoice.gross + invoice.fees + fee,
        open_amount=invoice.open_amount + fee,
        channels=stage.channels,
        attach_invoice=stage.attach_invoice,
        dispatch=stage.dispatch,
        requires_approval=stage.requires_approval,
    )


def record_notice(invoice: Invoice, action: IssueStage, *, actor: str = "") -> Invoice:
    """``invoice`` with the document of ``action`` recorded: state DUNNED, fee owed.

    The notice (level, document date, due date, fee) is appended to
    ``Invoice.notices`` and the step to the history, through the transition
    table (``Command.DUN``: SENT or DUNNED to DUNNED). Refuses, with an
    :class:`~dunlib.errors.InvalidValueError`, an action for another invoice, one
    already recorded, one for another level than the next, and one dated on or
    before the previous document; a state without a DUN row raises
    :class:`~dunlib.errors.TransitionNotAllowedError`.
    """
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("record_notice.invoice", invoice, "an Invoice")
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
    if action.fee.currency != invoice.currency:
        raise CurrencyMismatchError(invoice.currency, action.fee.currency, "record a fee across")
    word = "reminder" if action.kind is StageKind.REMINDER else "notice"
    return apply_transition(
        invoice,
        Command.DUN,
        on=action.on,
        actor=actor,
        kind=EventKind.DUNNING_NOTICE,
        detail=f"level {action.level} {word} sent, due {action.due_date}, fee {action.fee}",
        notices=(*invoice.notices, action.notice()),
    )
