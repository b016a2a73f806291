"""The dunning engine: decide the next step for one invoice on one day, and record it.

:func:`next_dunning_action` is a pure function of the invoice, the rules and
``today``: it reads no clock and changes nothing. It looks, in this order, at

1. the processing state: only SENT and DUNNED invoices are dunned
   (drafts: ``NOT_BOOKED``; PAID: ``SETTLED``; cancelled or written off: ``CLOSED``);
2. the open amount: nothing owed (zero or less) is ``SETTLED``; an escalation already
   carried out (handed to collection, service blocked) is ``ESCALATED``;
3. suspension (:func:`dunlib.dunning.suspension.suspension`): no active stage
   (``NO_ACTIVE_STAGE``), customer's dunning off (``CUSTOMER_DISABLED``),
   invoice paused (``PAUSED``);
3a. the customer's account, holds and credit (only with an ``account`` or ``credit``,
   or a hold on the invoice): the account's dunning off (``CUSTOMER_DISABLED``), a
   dispute, promise-to-pay or direct-debit hold on the invoice or the account
   (``DISPUTED``, ``PROMISED_TO_PAY``, ``DIRECT_DEBIT_PENDING``, with the day it ends),
   the open amount covered by the customer's credit (``COVERED_BY_CREDIT``), an
   instalment plan kept so far (``INSTALMENT_PLAN``, with the day the next instalment is
   missed unless it arrives; :mod:`dunlib.dunning.instalments`); an issued
   stage charges no fee while the account has fees off and nets the credit against the
   amount it claims (:mod:`dunlib.dunning.holds`, :mod:`dunlib.dunning.accounts`);
4. the minimum open amount of the invoice's currency: below it, ``BELOW_MINIMUM``
   (an amount equal to the minimum is dunned);
5. the ladder: the next stage is the first active stage after the one last issued
   (each document records its stage's position in the rules,
   :attr:`~dunlib.core.records.IssuedStage.stage_number`; a document recorded before that
   counts as the ``level``-th active stage), so switching a stage off never shifts the
   ladder for invoices past it and no stage is issued twice. After the last stage, a
   :class:`~dunlib.dunning.stages.StageRepeat` on it issues it again (no further fee). It fires on
   its trigger date
   (:func:`trigger_date`, inclusive) or later; before that, ``NOT_YET_DUE`` with
   the date. Only a pre-due reminder fires before the due date. With every
   active stage sent, :class:`~dunlib.dunning.actions.Escalate` once
   the rules' escalation is due (a DUNNED invoice only), or ``EXHAUSTED`` when the rules
   name none; :func:`dunlib.record_escalation` carries it out.

One evaluation issues at most one stage. After a gap (a pause, a missed run) the
engine catches up one stage per run, and each later stage counts from the
document actually created: with the previous-document basis, its days from that
document's date (the seed's rule); with the due-date basis, no earlier than that
document's date plus the configured spacing between the two stages. The engine
never applies anything: it decides, and :func:`dunlib.record_stage` books an
:class:`~dunlib.dunning.actions.IssueStage` through the one booking path.

A notice whose stage claims interest carries the default interest accrued up to its
date (:func:`dunlib.dunning.interest.accrued_interest`, from the start of default that
:func:`dunlib.dunning.interest.default_begins` names, the invoice's issue date taken as the day
it was received, at the rules' ``base_rates`` or else :data:`dunlib.dunning.interest.BASE_RATES`;
act/365, the new rules of § 288 BGB, no due date agreed by the calendar); a stage that
claims the flat fee adds it to the notice's fee. With a calendar in the rules, a
document's due date on a day off moves to the next working day (§ 193 BGB).
"""

from __future__ import annotations

import datetime as _dt
from typing import assert_never

import attrs

from dunlib.core.calendars import Calendar, roll_forward
from dunlib.core.dates import add_days, as_date
from dunlib.core.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money
from dunlib.core.records import CustomerKind, HoldKind
from dunlib.core.status import Status
from dunlib.dunning import _ladder
from dunlib.dunning.accounts import CustomerAccount, account_for
from dunlib.dunning.actions import (
    DunningAction,
    Escalate,
    IssueStage,
    NoAction,
    NoActionReason,
)
from dunlib.dunning.holds import Hold, holds_on
from dunlib.dunning.instalments import _holding_plan
from dunlib.dunning.interest import (
    BASE_RATES,
    BaseRates,
    accrued_interest,
    default_begins,
    flat_fee,
)
from dunlib.dunning.stages import DunningRules, DunningStage, TriggerBasis
from dunlib.dunning.suspension import Suspension, suspension_level
from dunlib.payments.allocation import balance

__all__ = ["next_dunning_action", "trigger_date"]

_SUSPENDED = {
    Suspension.GLOBAL: NoActionReason.NO_ACTIVE_STAGE,
    Suspension.CUSTOMER: NoActionReason.CUSTOMER_DISABLED,
    Suspension.INVOICE: NoActionReason.PAUSED,
}


def _offset(stage: DunningStage) -> int | None:
    """Days from the due date a stage counts from it (None: it counts from the last
    document or from the invoice date)."""
    match stage.basis:
        case TriggerBasis.BEFORE_DUE_DATE:
            return -stage.days_overdue
        case TriggerBasis.DUE_DATE:
            return stage.days_overdue
        case TriggerBasis.PREVIOUS_DOCUMENT | TriggerBasis.ISSUE_DATE:
            return None
        case _:
            assert_never(stage.basis)


def _late_from(invoice: Invoice) -> _dt.date:
    """The first day the debtor is late: the day after the due date (the last date stays)."""
    due = invoice.due_date
    return due if due == _dt.date.max else add_days(due, 1)


def _trigger(
    stage: DunningStage,
    previous: DunningStage | None,
    invoice: Invoice,
    repeat_day: _dt.date | None = None,
) -> _dt.date:
    """The first day ``stage`` may fire as the invoice's next level (inclusive); ``previous``
    is the stage last issued (None for the first); ``repeat_day`` the day a repetition of
    the stage is due (None for a first issue)."""
    last = invoice.last_issued_stage
    offset = _offset(stage)
    if repeat_day is not None:
        day = repeat_day
    elif stage.basis is TriggerBasis.ISSUE_DATE:
        day = add_days(invoice.issue_date, stage.days_overdue)
    elif offset is None:
        day = add_days(invoice.due_date if last is None else last.on, stage.days_overdue)
    else:
        day = add_days(invoice.due_date, offset)
        before = None if previous is None else _offset(previous)
        if last is not None and before is not None:
            # after a gap, keep the configured spacing from the document actually created
            day = max(day, add_days(last.on, offset - before))
    if not stage.basis.courtesy:
        day = max(day, _late_from(invoice))  # dunned only once the due date has passed
    if last is not None:
        day = max(day, add_days(last.on, 1))
    if invoice.history:  # a decision is recordable: never before the invoice's last step
        day = max(day, invoice.history[-1].on)
    return max(day, invoice.issue_date)


def trigger_date(invoice: Invoice, rules: DunningRules) -> _dt.date | None:
    """The first day the invoice's next stage under ``rules`` may fire (inclusive), or None
    when every active stage was sent.

    ``days_overdue`` counted from the previous document's date (the seed's rule; from
    the due date while none was sent), from the due date, or back from the due date, as
    the stage's basis says, or from the invoice date. A stage counted from the due date
    keeps its configured spacing after a gap: never earlier than the previous document's
    date plus the difference between the two stages' days. Only a courtesy stage (counted
    back from the due date or from the invoice date, at the start of the ladder) fires on
    or before the due date; every other stage waits for the day after it, the first day
    the debtor is late (seed 002). Never before the invoice's issue date or its last
    history entry (a document the engine decides can always be recorded: history never
    goes back), and never on or before the day of the previous document: an invoice gets
    at most one document a day.
    """
    checked_invoice(invoice, "trigger_date")
    if not isinstance(rules, DunningRules):
        raise InvalidTypeError("trigger_date.rules", rules, "a DunningRules")
    step = _ladder.next_stage(invoice, rules)
    return None if step is None else _step_trigger(step, invoice)


def _step_trigger(step: _ladder.Next, invoice: Invoice) -> _dt.date:
    """The first day ``step`` may fire: a stage after the one last issued (stable stage
    identity), or a repetition of the repeating last stage."""
    repeat_day = None
    last = invoice.last_issued_stage
    if step.repeat and step.stage.repeat is not None and last is not None:
        repeat_day = _ladder.repeat_trigger(invoice, step, step.stage.repeat, last.on)
    return _trigger(step.stage, step.previous, invoice, repeat_day)


def _escalated_reason(invoice: Invoice) -> NoActionReason | None:
    """ESCALATED once the invoice was handed to collection or its service blocked."""
    if invoice._marks.escalated:  # an entry of either kind, read once per invoice
        return NoActionReason.ESCALATED
    return None


TriggerTerm = tuple[str, int]
"""One term of a trigger date: the invoice's day named ``"due"`` (due date), ``"last"`` (the
last document's date), ``"history"`` (the last history entry's day, when there is one) or
``"issue"`` (issue date), and the days added to it."""


def _trigger_terms(
    stage: DunningStage, previous: DunningStage | None, has_last: bool
) -> tuple[TriggerTerm, ...]:
    """:func:`_trigger` as data: the trigger date of ``stage`` (after ``previous``, with or
    without a document sent before) is the latest of ``day + days`` over these terms.

    The daily run (:func:`dunlib.plan`) precomputes them once per rules to decide the
    common "nothing today" case without building a date; a law keeps them equal to
    :func:`trigger_date`, so whoever changes :func:`_trigger` changes this alongside.
    """
    terms: list[TriggerTerm] = []
    offset = _offset(stage)
    if stage.basis is TriggerBasis.ISSUE_DATE:
        terms.append(("issue", stage.days_overdue))
    elif offset is None:
        terms.append(("last" if has_last else "due", stage.days_overdue))
    else:
        terms.append(("due", offset))
        before = None if previous is None else _offset(previous)
        if has_last and before is not None:
            terms.append(("last", offset - before))
    if not stage.basis.courtesy:
        terms.append(("due", 1))
    if has_last:
        terms.append(("last", 1))
    terms.append(("history", 0))
    terms.append(("issue", 0))
    return tuple(terms)


def _state_reason(invoice: Invoice) -> NoActionReason | None:
    if invoice.status in (Status.SENT, Status.DUNNED):
        return NoActionReason.SETTLED if invoice.is_settled else None
    return _undunned(invoice.status)


def _undunned(status: Status) -> NoActionReason:
    """Why an invoice in ``status``, neither SENT nor DUNNED, is never dunned."""
    if status is Status.PAID:
        return NoActionReason.SETTLED
    if status.is_booked:
        return NoActionReason.CLOSED
    return NoActionReason.NOT_BOOKED


def _fee(stage: DunningStage, invoice: Invoice, day: _dt.date) -> Money:
    """The stage's fee by its rule for the invoice's currency
    (:meth:`~dunlib.dunning.fees.FeeRule.fee_on` the open principal), or zero: without one, for a
    customer whose fees are off, and on or before the due date (the debtor is not late
    yet, so nothing can cost a fee)."""
    if not invoice.customer.fees_enabled or day <= invoice.due_date:
        return Money.zero(invoice.currency)
    rule = stage.fee_rule(invoice.currency)
    if rule is None:
        return Money.zero(invoice.currency)
    if rule.percent is None:  # a fixed fee needs no replay of the bookings
        return rule.fee_on(Money.zero(invoice.currency))
    return rule.fee_on(balance(invoice).principal)


def _flat_fee_pending(rules: DunningRules, number: int) -> bool:
    """True when an active stage up to stage ``number`` (from 1) claims the flat fee: the
    stage ``number`` claims it when it is still owed (:func:`_flat_fee`)."""
    return any(stage.claim_flat_fee and stage.active for stage in rules.stages[:number])


def _flat_fee(pending: bool, invoice: Invoice, day: _dt.date, calendar: Calendar | None) -> Money:
    """The § 288 (5) BGB flat fee a stage issued on ``day`` claims, or zero: only where a
    stage up to it claims it (``pending``), for a business debtor whose fees are on, once:
    never after a stage that claimed it, and only on a day the debtor is in default
    (:func:`~dunlib.dunning.interest.default_begins` on ``calendar``). A flat-fee stage
    whose notice itself puts the debtor in default leaves it to the next stage issued."""
    zero = Money.zero(invoice.currency)
    if not pending or not invoice.customer.fees_enabled or day <= invoice.due_date:
        return zero
    if invoice.customer.kind is not CustomerKind.BUSINESS:
        return zero
    fee = flat_fee(True)
    if fee.currency != invoice.currency:
        raise CurrencyMismatchError(invoice.currency, fee.currency, "charge the flat fee across")
    if any(issued.flat_fee.amount for issued in invoice.issued_stages):
        return zero
    begins = default_begins(invoice, calendar=calendar)
    return fee if begins is not None and begins <= day else zero


def _interest(
    stage: DunningStage,
    invoice: Invoice,
    day: _dt.date,
    base_rates: BaseRates | None,
    calendar: Calendar | None,
) -> Money:
    """The default interest the stage claims up to ``day`` (exclusive), or zero, at the
    rules' base rates (None: the built-in table), default reckoned on ``calendar``."""
    if not stage.claim_interest or day <= invoice.due_date:
        return Money.zero(invoice.currency)
    return accrued_interest(invoice, day, base_rates=base_rates or BASE_RATES, calendar=calendar)


@attrs.frozen
class _Charges:
    """What a stage claims on an invoice: its ``fee`` (the flat fee included),
    ``flat_fee`` (the § 288 (5) BGB part of it) and ``interest``."""

    fee: Money
    flat_fee: Money
    interest: Money
    reckoned: bool
    """True when the flat fee was weighed (a stage up to this one claims it), so the start
    of default on the rules' calendar decided it."""


def _charges(
    stage: DunningStage,
    invoice: Invoice,
    day: _dt.date,
    rules: DunningRules,
    number: int,
    repeat: bool,
) -> _Charges:
    """The fee, flat fee and default interest stage ``number`` of ``rules`` claims on
    ``invoice`` issued on ``day``: its fee by its rule (none for a ``repeat``: a stage's fee
    is charged once) plus the flat fee still owed, and the interest it claims."""
    calendar = rules.calendar
    pending = _flat_fee_pending(rules, number)
    flat = _flat_fee(pending, invoice, day, calendar)
    fee = flat
    if not repeat:
        fee = _fee(stage, invoice, day) + flat
    interest = _interest(stage, invoice, day, rules.base_rates, calendar)
    return _Charges(fee, flat, interest, pending)


def _escalation(invoice: Invoice, rules: DunningRules, today: _dt.date) -> DunningAction:
    """Escalate once the rules' escalation is due; only a DUNNED invoice escalates (one that
    was only reminded before its due date was never dunned: EXHAUSTED)."""
    if rules.escalation is None or invoice.status is not Status.DUNNED:
        return NoAction(invoice_id=invoice.id, reason=NoActionReason.EXHAUSTED)
    last = invoice.last_issued_stage
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
    invoice: Invoice,
    rules: DunningRules,
    *,
    today: _dt.date,
    account: CustomerAccount | None = None,
    credit: Money | None = None,
) -> IssueStage | NoAction | Escalate:
    """What to do about ``invoice`` on ``today`` under ``rules``: one :data:`DunningAction`.

    Pure and deterministic (see the module docs for the order of the checks).
    ``account`` is the customer's :class:`~dunlib.dunning.accounts.CustomerAccount` (None: the
    customer as copied into the invoice decides alone); ``credit`` the customer's credit
    available to this invoice (None: the account's credit in the invoice's currency on
    ``today``, zero without an account).
    Raises only for caller mistakes: wrong types, an account of another customer, or a
    notice fee in another currency than the invoice
    (:class:`~dunlib.core.errors.CurrencyMismatchError`).
    """
    checked_invoice(invoice, "next_dunning_action")
    if not isinstance(rules, DunningRules):
        raise InvalidTypeError("next_dunning_action.rules", rules, "a DunningRules")
    day = as_date(today, "next_dunning_action.today")
    available = customer_credit(invoice, account, day, credit, "next_dunning_action")

    reason = _state_reason(invoice)
    if reason is None:
        reason = _escalated_reason(invoice)
    if reason is None:
        suspended = suspension_level(invoice, rules, today=day)
        reason = None if suspended is None else _SUSPENDED[suspended]
    if reason is None:
        held = _held_by(invoice, account, day, available)
        if held is not None:
            return held
        planned = _holding_plan(invoice, today=day) if invoice.instalment_plans else None
        if planned is not None:  # an instalment plan kept so far (dunlib.dunning.instalments)
            return NoAction(
                invoice_id=invoice.id,
                reason=NoActionReason.INSTALMENT_PLAN,
                next_on=planned.next_on,
            )
    if reason is None:
        minimum = rules.minimum_for(invoice.currency)
        if minimum is not None and invoice.open_amount < minimum:
            reason = NoActionReason.BELOW_MINIMUM
    if reason is not None:
        return NoAction(invoice_id=invoice.id, reason=reason)

    step = _ladder.next_stage(invoice, rules)
    if step is None:
        return _escalation(invoice, rules, day)
    number, stage = step.number, step.stage
    trigger = _step_trigger(step, invoice)
    if day < trigger:
        return NoAction(invoice_id=invoice.id, reason=NoActionReason.NOT_YET_DUE, next_on=trigger)
    charges = _charges(stage, invoice, day, rules, number, bool(step.repeat))
    due = add_days(day, stage.payment_term_days)
    if rules.calendar is not None:
        due = roll_forward(due, rules.calendar)
    action = IssueStage(
        invoice_id=invoice.id,
        level=invoice.dunning_level + 1,
        stage_number=number,
        stage=stage,
        on=day,
        due_date=due,
        fee=charges.fee,
        flat_fee=charges.flat_fee,
        interest=charges.interest,
        total_gross=invoice.total_due + charges.fee + charges.interest,
        open_amount=invoice.open_amount + charges.fee + charges.interest,
        channels=stage.channels,
        attach_invoice=stage.attach_invoice,
        dispatch=stage.dispatch,
        requires_approval=stage.requires_approval,
        repeat=step.repeat,
        base_rates=rules.base_rates if stage.claim_interest else None,
        calendar=rules.calendar if stage.claim_interest or charges.reckoned else None,
    )
    return _on_account(action, account, available)


# -- holds, the customer's account and credit (dunlib.dunning.holds, dunlib.dunning.accounts)
# -------------

_HELD = {
    HoldKind.DISPUTE: NoActionReason.DISPUTED,
    HoldKind.PROMISE_TO_PAY: NoActionReason.PROMISED_TO_PAY,
    HoldKind.DIRECT_DEBIT: NoActionReason.DIRECT_DEBIT_PENDING,
}


def customer_credit(
    invoice: Invoice,
    account: CustomerAccount | None,
    day: _dt.date,
    credit: Money | None,
    operation: str,
) -> Money:
    """The customer's credit available to ``invoice`` on ``day``: ``credit`` when given (in
    the invoice's currency, not negative), else the account's, else zero."""
    checked = account_for(account, invoice, operation)
    if credit is not None:
        if not isinstance(credit, Money):
            raise InvalidTypeError(f"{operation}.credit", credit, "a Money or None")
        if credit.currency != invoice.currency or credit.is_negative:
            raise InvalidValueError(
                f"{operation}.credit", credit, f"an amount of zero or more in {invoice.currency}"
            )
        return credit
    if checked is None:
        return Money.zero(invoice.currency)
    return checked.credit(invoice.currency, today=day)


def _held_by(
    invoice: Invoice, account: CustomerAccount | None, day: _dt.date, available: Money
) -> NoAction | None:
    """Why the customer's account, a hold or the customer's credit keeps the engine from
    dunning an open, unsuspended ``invoice`` on ``day``, or None.

    In this order: the account's dunning switched off (``CUSTOMER_DISABLED``, ``next_on``
    the day a recorded change switches it on again); a hold that holds, on the invoice or
    the account (the reason names the hold that ends last, ``next_on`` the first day none
    of them holds, or the account's next recorded change when that comes first); credit
    covering the open amount (``COVERED_BY_CREDIT``, ``next_on`` the account's next
    recorded change).
    A hold only delays: from ``next_on`` the engine decides as without it.
    """
    if account is not None and not account.dunning_enabled(today=day):
        return NoAction(
            invoice_id=invoice.id,
            reason=NoActionReason.CUSTOMER_DISABLED,
            next_on=account.next_dunning_on(today=day),
        )
    holds: tuple[Hold, ...] = holds_on(invoice, today=day)
    if account is not None:
        holds += account.holds_on(today=day)
    later = None if account is None else account.next_change(today=day)
    if holds:
        ends = [hold.resumes_on for hold in holds]
        last = max(range(len(holds)), key=lambda i: (ends[i] or _dt.date.max, -i))
        known = [end for end in ends if end is not None]
        ended = max(known) if len(known) == len(ends) else None
        soonest = [when for when in (later, ended) if when is not None]
        return NoAction(
            invoice_id=invoice.id,
            reason=_HELD[holds[last].kind],
            next_on=min(soonest, default=None),
        )
    if available >= invoice.open_amount:
        return NoAction(
            invoice_id=invoice.id, reason=NoActionReason.COVERED_BY_CREDIT, next_on=later
        )
    return None


def _on_account(
    action: IssueStage, account: CustomerAccount | None, available: Money
) -> IssueStage:
    """``action`` under the customer's account: without a fee when the account has fees
    switched off on its day, and with the customer's credit (``available``, less than the
    open amount) netted against what it claims."""
    if account is not None and action.fee.is_positive and not account.fees_enabled(today=action.on):
        action = attrs.evolve(
            action,
            fee=Money.zero(action.fee.currency),
            flat_fee=Money.zero(action.fee.currency),
            total_gross=action.total_gross - action.fee,
            open_amount=action.open_amount - action.fee,
        )
    if available.is_positive:
        action = attrs.evolve(action, credit=available, open_amount=action.open_amount - available)
    return action
