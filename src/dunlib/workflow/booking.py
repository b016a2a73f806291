"""The one booking path: every change to an existing invoice passes here
(internal: shared by dunlib's areas, not
called by users).

Workflow steps, payments, credit notes, dunning documents, pause and resume,
cancellation and write-off all call :func:`book` with the table row's command.
It checks, in this order, and raises the typed error of the first check that
fails, leaving the invoice unchanged:

1. the arguments' types;
2. the day: a plain date, not before the invoice's last history entry (history
   is append-only and never goes back);
3. the table has a row for the command in the invoice's state
   (:class:`~dunlib.core.errors.TransitionNotAllowedError`);
4. the actor's roles grant it under the authority's permissions
   (:class:`~dunlib.core.errors.PermissionDeniedError`);
5. the eyes policy of the authority, for the rows whose acts it counts
   (:class:`~dunlib.core.errors.PolicyViolationError`);
6. the row's guards (:class:`~dunlib.core.errors.GuardFailedError`).

Then the changes are applied, the state moves to the row's target (or on to
PAID through the SETTLE row when a payment or credit note leaves nothing open,
with that row's rights checked for the same actor) and one history entry
records the step.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from typing import Any, assert_never

from dunlib.core.errors import GuardFailedError, PermissionDeniedError
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.instalments import plan_state
from dunlib.core.invoice import Invoice, appended_amounts, checked_invoice, extended, step_day
from dunlib.core.records import DeliveryChannel
from dunlib.core.status import Status
from dunlib.core.transitions import Command, Guard, Row, row_for
from dunlib.workflow.policy import (
    Actor,
    Authority,
    Permissions,
    check_policy,
    checked_actor,
    checked_authority,
)

__all__ = ["book", "check", "was_dunned"]

_NO_CHANGES: Mapping[str, Any] = {}


def _failed_guard(
    guard: Guard, invoice: Invoice, day: _dt.date, changes: Mapping[str, Any]
) -> str | None:
    """Why ``guard`` does not hold for the step on ``invoice`` on ``day``, or None."""
    match guard:
        case Guard.COMPLETE_DRAFT:
            if not invoice.lines:
                return "the draft has no lines"
            if invoice.gross.is_negative and invoice.cancels is None:
                return (
                    f"the total {invoice.gross} is negative; negative totals exist only in "
                    "DRAFT (convert the draft with dunlib.workflow.drafts.convert_to_credit_note)"
                )
            return None
        case Guard.NEGATIVE_TOTAL:
            if not invoice.gross.is_negative:
                return (
                    f"the total {invoice.gross} is not below zero; a draft of zero or more is "
                    "submitted, reviewed and sent (dunlib.transition, dunlib.send)"
                )
            return None
        case Guard.SETTLED:
            return None if invoice.is_settled else f"{invoice.open_amount} is still open"
        case Guard.OVERDUE:
            if day <= invoice.due_date:
                return (
                    f"not late yet: the due date is {invoice.due_date}, the debtor is late "
                    "from the day after"
                )
            return "nothing is open" if invoice.is_settled else None
        case Guard.NOT_YET_DUE:
            if day > invoice.due_date:
                return f"the due date {invoice.due_date} has passed; this is dunning (DUN)"
            return None
        case Guard.NO_FEE:
            fee = changes["issued_stages"][-1].fee
            if fee.is_positive:
                return (
                    f"a fee of {fee} on or before the due date {invoice.due_date}; "
                    "the debtor is not late yet"
                )
            return None
        case Guard.OPEN:
            return "nothing is open" if invoice.is_settled else None
        case Guard.WITHIN_OPEN:
            amount = changes["credit_notes"][-1].amount
            if amount > invoice.open_amount:
                return (
                    f"{amount} is more than the open amount {invoice.open_amount} "
                    "(refund the rest outside dunlib)"
                )
            return None
        case Guard.RUNNING:
            if invoice.paused_since is not None:
                return f"dunning is paused since {invoice.paused_since}"
            return None
        case Guard.PAUSED:
            return None if invoice.paused_since is not None else "dunning is not paused"
        case Guard.NOT_ESCALATED:
            escalations = (EventKind.HANDED_TO_COLLECTION, EventKind.SERVICE_BLOCKED)
            done = next((e for e in invoice.history if e.kind in escalations), None)
            return None if done is None else f"already escalated on {done.on}: {done.detail}"
        case Guard.NOTHING_SETTLED:
            if invoice.kept_payments or invoice.credit_notes:
                return (
                    "payments or credit notes are recorded; credit the invoice instead "
                    "(dunlib.credit)"
                )
            return None
        case Guard.NOT_HELD:
            new = changes["holds"][-1]
            for hold in invoice.holds:
                if hold.kind is new.kind and hold.holds_on(today=day):
                    return f"a {hold.kind.value} hold holds since {hold.on} ({hold.reason})"
            return None
        case Guard.UNHELD:
            for hold in invoice.holds:
                if hold.holds_on(today=day):
                    return f"a {hold.kind.value} hold holds since {hold.on} ({hold.reason})"
            return _plan_holds(invoice, day)
        case Guard.NO_PLAN:
            return _plan_holds(invoice, day)
        case Guard.PLANNED:
            if changes["instalment_plans"] == invoice.instalment_plans:
                return f"no instalment plan holds on {day}"
            return None
        case Guard.COVERS_OPEN:
            plan = changes["instalment_plans"][-1]
            if plan.total != invoice.open_amount:
                return (
                    f"the instalments add up to {plan.total}, not to what is open "
                    f"({invoice.open_amount})"
                )
            if any(p.on == day for p in invoice.payments) or any(
                n.on == day for n in invoice.credit_notes
            ):
                return (
                    f"a payment or credit note is booked on {day}: the plan's day starts its "
                    "count (agree it the next day)"
                )
            return None
        case Guard.RECOVERABLE:
            if invoice.recovered >= invoice.written_off:
                return f"all {invoice.written_off} written off is recovered"
            return None
        case Guard.HELD:
            if changes["holds"] == invoice.holds:
                return f"no hold of that kind holds on {day}"
            return None
        case Guard.WITHIN_FEES:
            amount = changes["fee_waivers"][-1].amount
            limit = min(invoice.fees, invoice.open_amount)
            if amount > limit:
                return (
                    f"{amount} is more than the fees charged and not waived ({invoice.fees}) "
                    f"or than what is open ({invoice.open_amount})"
                )
            return None
        case Guard.REVERSIBLE:
            position = changes["reversals"][-1].payment
            if position >= len(invoice.payments):
                return f"payment {position} is not booked: the invoice has {len(invoice.payments)}"
            if any(r.payment == position for r in invoice.reversals):
                return f"payment {position} was taken back before"
            return None
        case Guard.UNDUNNED:
            return "a dunning notice dunned the invoice" if was_dunned(invoice) else None
        case Guard.DUNNED_BEFORE:
            return None if was_dunned(invoice) else "no dunning notice dunned the invoice"
        case Guard.ONLINE:
            if invoice.channel is DeliveryChannel.PAPER:
                return "a paper invoice is not sent by e-mail (print it: record_printed)"
            return None
        case Guard.ON_PAPER:
            if invoice.channel is DeliveryChannel.ONLINE:
                return "an online invoice goes out by e-mail and is not printed (resend it)"
            return None
        case _:
            assert_never(guard)


def was_dunned(invoice: Invoice) -> bool:
    """Whether a dunning notice dunned ``invoice`` (moved it to DUNNED) at some step."""
    return any(
        e.kind is EventKind.STAGE_ISSUED and e.to_status is Status.DUNNED for e in invoice.history
    )


def _plan_holds(invoice: Invoice, day: _dt.date) -> str | None:
    """Why an instalment plan holds ``invoice`` on ``day`` (the last one agreed), or None."""
    for plan in invoice.instalment_plans:
        state = plan_state(plan, invoice.kept_payments, invoice.credit_notes, today=day)
        if state.holds:
            return (
                f"an instalment plan holds since {plan.on} ({state.kept} of "
                f"{len(plan.instalments)} instalments kept; next missed on {state.next_on})"
            )
    return None


def _check_guards(
    row: Row, invoice: Invoice, actor: Actor, day: _dt.date, changes: Mapping[str, Any]
) -> None:
    for guard in row.guards:
        reason = _failed_guard(guard, invoice, day, changes)
        if reason is not None:
            raise GuardFailedError(
                actor=actor.id,
                command=row.command.name,
                status=invoice.status,
                invoice_id=invoice.id,
                number=invoice.number,
                guard=guard.value,
                reason=reason,
            )


def _row(invoice: Invoice, command: Command, actor: Actor) -> Row:
    return row_for(
        invoice.status, command, invoice_id=invoice.id, number=invoice.number, actor=actor.id
    )


def _check_rights(row: Row, invoice: Invoice, actor: Actor, permissions: Permissions) -> None:
    if not permissions.allows(actor, row.source, row.command):
        raise PermissionDeniedError(
            actor=actor.id,
            roles=sorted(actor.roles),
            command=row.command.name,
            status=invoice.status,
            invoice_id=invoice.id,
            number=invoice.number,
            required=sorted(permissions.roles_for(row.source, row.command)),
        )


def check(
    invoice: Invoice,
    command: Command,
    *,
    operation: str,
    actor: Actor,
    on: object,
    authority: Authority,
    changes: Mapping[str, Any] = _NO_CHANGES,
    policy_rule: Callable[[], None] | None = None,
    decided: Callable[[], None] | None = None,
) -> tuple[Row, _dt.date]:
    """Every check of a step (see the module docs); the row and the day, nothing changed.

    ``decided`` checks, last, that a decision booked from outside is what dunlib decides
    for the invoice (so the table, the rights, the eyes and the guards refuse first).
    """
    checked_invoice(invoice, operation)
    checked_actor(actor, operation)
    checked_authority(authority, operation)
    day = step_day(invoice, on, f"{operation}.on")
    row = _row(invoice, command, actor)
    _check_rights(row, invoice, actor, authority.permissions)
    check_policy(invoice, row, actor, authority)
    if policy_rule is not None:
        policy_rule()
    _check_guards(row, invoice, actor, day, changes)
    if decided is not None:
        decided()
    return row, day


def book(
    invoice: Invoice,
    command: Command,
    *,
    operation: str,
    actor: Actor,
    on: object,
    authority: Authority,
    kind: EventKind,
    detail: str,
    changes: Mapping[str, Any] = _NO_CHANGES,
    settles: bool = False,
    policy_rule: Callable[[], None] | None = None,
    decided: Callable[[], None] | None = None,
) -> Invoice:
    """``invoice`` after ``actor`` performed ``command`` on ``on``, every check passed.

    ``changes`` are the field changes the step makes (a payment appended, a number
    assigned); ``settles`` lets a payment or credit note that leaves nothing open move on
    to PAID by the SETTLE row; ``policy_rule`` is a further eyes-policy check of the
    operation's own, run after the table's; ``decided`` the check of a decision (see
    :func:`check`). One history entry of ``kind`` records the step.
    """
    row, day = check(
        invoice,
        command,
        operation=operation,
        actor=actor,
        on=on,
        authority=authority,
        changes=changes,
        policy_rule=policy_rule,
        decided=decided,
    )
    target = row.target
    if settles and _leaves_nothing_open(invoice, changes):  # the SETTLE row, in the same step
        settle = row_for(row.target, Command.SETTLE)
        _check_rights(settle, invoice, actor, authority.permissions)
        target = settle.target
    entry = HistoryEntry(
        on=day,
        kind=kind,
        from_status=invoice.status,
        to_status=target,
        actor=actor.id,
        detail=detail or row.meaning,
    )
    return extended(invoice, status=target, history=(*invoice.history, entry), **changes)


def _leaves_nothing_open(invoice: Invoice, changes: Mapping[str, Any]) -> bool:
    """Whether the bookings ``changes`` append leave nothing open on ``invoice`` (the SETTLED
    guard of the SETTLE row, read before the invoice is built: no SENT or DUNNED invoice
    has nothing open)."""
    amounts = appended_amounts(invoice, dict(changes))
    return amounts is not None and not amounts.open_amount > 0
