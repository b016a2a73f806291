"""Recording a dunning document the engine decided: the booking of an :class:`IssueStage`.

:func:`dunlib.next_dunning_action` decides; :func:`record_stage` books the decision
through the one booking path, by the table row the document's day calls for:

- after the due date, ``DUN``: the invoice becomes (or stays) DUNNED and the
  document's fee is owed (guard ``overdue``);
- on or before the due date, ``ISSUE_EARLY``: a payment reminder ahead of time is a
  document, not dunning; the invoice stays SENT and the reminder may charge no fee
  (guards ``not-yet-due`` and ``no-fee``). The debtor is late only from the day after the
  due date (seed 002 duns an invoice once its due date has passed), so nothing before
  can be dunned.

**Only what may be booked without a person.** :func:`record_stage` books what the engine
decided for the automatic run to send. It refuses, before anything is booked, a stage
that is sent after approval (``IssueStage.requires_approval``; its dispatch
``AFTER_APPROVAL``, seed 000's "automatisiert mit Freigabe") and a stage sent by hand
(dispatch ``MANUAL``) recorded by an automatic actor: those go through the letter's life
in :mod:`dunlib.portfolio.prepared` (:func:`dunlib.prepare_letter`, :func:`dunlib.approve_letter`,
:func:`dunlib.send_letter`), and only :func:`dunlib.send_letter` books them, once approved
(or, for a manual stage, sent by a person). A manual stage recorded by a person is
booked as the person sent it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from functools import partial

from dunlib.core.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from dunlib.core.exact import EXACT
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money
from dunlib.core.records import InterestCharge
from dunlib.core.transitions import Command
from dunlib.dunning.actions import IssueStage
from dunlib.dunning.engine import _fee, _flat_fee, _interest
from dunlib.dunning.stages import DispatchMode, StageKind
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import Actor, Authority, checked_actor

__all__ = ["record_stage"]


def record_stage(
    invoice: Invoice,
    action: IssueStage,
    *,
    actor: Actor,
    authority: Authority,
) -> Invoice:
    """``invoice`` with the document of ``action`` booked: the notice appended, its fee owed,
    and the default interest it claims booked with it as an
    :class:`~dunlib.core.records.InterestCharge` dated on the document's day (one step, one
    history entry; payments then settle it after fees and before the principal).

    Booked by ``actor`` (:data:`~dunlib.workflow.policy.AUTOMATIC` for the dunning run) on
    the action's day, through the table's ``DUN`` row (on or after the due date: state
    DUNNED) or ``ISSUE_EARLY`` row (before it: state stays SENT, no fee). Refuses, with an
    :class:`~dunlib.core.errors.InvalidValueError`, an action for another invoice, one already
    recorded, one for another level than the next, and one dated on or before the
    previous document; the booking path refuses a state without the row, an actor
    without the right, a day before the last step and a failed guard (among them
    ``running`` and ``unheld``: nothing is booked while dunning is paused or a dispute,
    promise-to-pay or direct-debit hold holds on the invoice).

    The action is checked against what the engine decides for ``invoice`` as it is now on
    the action's day, and refused with an :class:`~dunlib.core.errors.InvalidValueError` naming
    the field (``IssueStage.fee``, ``.interest``, ``.total_gross``, ``.open_amount``) and
    the invoice's number when it differs: the fee of its stage (or none, where the
    customer's account has fees off; none for a repetition), the interest not yet claimed
    up to its day (interest charged since is never claimed twice), and the invoice's
    amounts as they are (a decision made before a payment or credit note: decide again).

    Refuses too, with an :class:`~dunlib.core.errors.InvalidValueError` and before anything is
    booked, an action whose stage is sent after approval (field
    ``IssueStage.requires_approval``), and one whose stage is sent by hand (field
    ``IssueStage.dispatch``, MANUAL) when ``actor`` is automatic: prepare such a letter
    (:func:`dunlib.prepare_letter`), approve it (:func:`dunlib.approve_letter`) and send it
    (:func:`dunlib.send_letter`), which books it.
    """
    return book_stage(invoice, action, actor=actor, authority=authority, approved=False)


def check_dispatch(action: IssueStage, actor: Actor, field: str, *, approved: bool) -> None:
    """Refuse ``action`` (called ``field`` in the error) when it needs an approval it has
    not had (unless ``approved``), or is sent by hand and ``actor`` is automatic."""
    needs = action.requires_approval or action.dispatch is DispatchMode.AFTER_APPROVAL
    if needs and not approved:
        raise InvalidValueError(
            f"{field}.requires_approval",
            True,
            "a stage sent without approval: this stage is sent after approval, so prepare "
            "the letter (dunlib.prepare_letter), approve it (dunlib.approve_letter) and send "
            "it (dunlib.send_letter), which books it",
        )
    if action.dispatch is DispatchMode.MANUAL and actor.automatic:
        raise InvalidValueError(
            f"{field}.dispatch",
            action.dispatch,
            f"a stage the automatic actor {actor.id!r} may send: this stage is sent by hand, "
            "so a person records it, or prepare the letter (dunlib.prepare_letter) and let "
            "a person send it (dunlib.send_letter)",
        )


def book_stage(
    invoice: Invoice,
    action: IssueStage,
    *,
    actor: Actor,
    authority: Authority,
    approved: bool,
    policy_rule: Callable[[Invoice, Command], None] | None = None,
) -> Invoice:
    """:func:`record_stage`, with ``approved`` and ``policy_rule``.

    ``approved`` (no default: every caller says it) is True only where the letter's life
    already approved the document: :func:`dunlib.send_letter` sending a notice that was
    approved or needed no approval, and a what-if that models approval as given
    (:func:`dunlib.simulate`). With it False, a stage sent after approval is refused. A
    manual stage booked by an automatic actor is refused either way.

    ``policy_rule`` is an eyes-policy check of the caller's own (:func:`dunlib.send_letter`'s),
    given the invoice and the row's command, run where the booking path checks the eyes
    policy (after the rights, before the guards)."""
    checked_invoice(invoice, "record_stage")
    if not isinstance(action, IssueStage):
        raise InvalidTypeError(
            "record_stage.action", action, "an IssueStage (NoAction and Escalate record nothing)"
        )
    actor = checked_actor(actor, "record_stage")
    check_dispatch(action, actor, "IssueStage", approved=approved)
    if action.invoice_id != invoice.id:
        raise InvalidValueError(
            "IssueStage.invoice_id",
            action.invoice_id,
            f"the id {invoice.id!r} of invoice {invoice.known_as}",
        )
    expected = invoice.dunning_level + 1
    if action.level < expected:
        recorded = invoice.issued_stages[action.level - 1]
        raise InvalidValueError(
            "IssueStage.level",
            action.level,
            f"level {expected}: level {action.level} was already recorded on {recorded.on}",
        )
    if action.level > expected:
        raise InvalidValueError(
            "IssueStage.level", action.level, f"level {expected}, the invoice's next level"
        )
    last = invoice.last_issued_stage
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
    if action.interest.is_positive and before_due:
        raise InvalidValueError(
            "IssueStage.interest",
            action.interest,
            f"zero on or before the due date {invoice.due_date} (the debtor is not late yet)",
        )
    command = Command.ISSUE_EARLY if before_due else Command.DUN
    changes: dict[str, object] = {"issued_stages": (*invoice.issued_stages, action.issued())}
    claimed = ""
    if action.interest.is_positive:
        charge = InterestCharge(
            on=action.on,
            amount=action.interest,
            detail=f"default interest up to {action.on}, level {action.level}",
        )
        changes["interest_charges"] = (*invoice.interest_charges, charge)
        claimed = f", interest {action.interest}"
    word = "reminder" if action.kind is StageKind.REMINDER else "notice"
    return _booking.book(
        invoice,
        command,
        operation="record_stage",
        actor=actor,
        on=action.on,
        authority=authority,
        kind=EventKind.STAGE_ISSUED,
        detail=f"level {action.level} {word} sent, due {action.due_date}, fee {action.fee}"
        + claimed,
        changes=changes,
        policy_rule=None if policy_rule is None else partial(policy_rule, invoice, command),
        decided=partial(_check_decided, invoice, action),
    )


def _check_decided(invoice: Invoice, action: IssueStage) -> None:
    """Refuse ``action`` unless it is what the engine decides for ``invoice`` as it is now on
    the action's day: the stage's fee (or none, where the customer's account has fees off),
    the interest not yet claimed up to that day, and the amounts of the invoice as it is.

    The fee and interest are the engine's own rules (``engine._fee``, ``engine._flat_fee``,
    ``engine._interest``) applied to the action's stage, so a decision made before a
    payment, a credit note or an interest charge, and a value built by hand claiming more,
    are refused with an :class:`~dunlib.core.errors.InvalidValueError` naming the field. (A fee
    on or before the due date is left to the ISSUE_EARLY row's guard ``no-fee``.) Computed on the
    amounts' Decimals: the daily run books many decisions."""
    day, stage = action.on, action.stage
    fee, interest = action.fee.amount, action.interest.amount
    # no fee is the engine's where fees are off; a fee on or before the due date the guard's
    if fee and (fee < 0 or day > invoice.due_date):
        # the flat fee: the one still owed, or none where no stage up to this one claims it
        flat = action.flat_fee
        owed = flat
        if flat.amount or stage.claim_flat_fee:
            owed = _flat_fee(True, invoice, day, action.calendar)
        if flat.amount != owed.amount:
            raise _mismatch(
                invoice,
                "flat_fee",
                flat,
                f"{owed}, the § 288 (5) BGB flat fee still owed (once, in default) on",
            )
        due = flat
        if not action.repeat:  # a repetition charges no fee of its own
            due = _fee(stage, invoice, day) + flat
        if fee != due.amount:
            raise _mismatch(
                invoice,
                "fee",
                action.fee,
                f"{due}, the fee stage {action.stage_number} charges",
                " (or none where fees are off)",
            )
    if interest or stage.claim_interest:
        due = _interest(stage, invoice, day, action.base_rates, action.calendar)
        if interest != due.amount:
            raise _mismatch(
                invoice,
                "interest",
                action.interest,
                f"{due}, the default interest not yet claimed up to the document's day, on",
            )
    amounts, add = invoice._amounts, EXACT.add
    added = add(fee, interest)
    if action.total_gross.amount != add(amounts.total_due, added):
        raise _mismatch(
            invoice,
            "total_gross",
            action.total_gross,
            f"{invoice.total_due} plus {action.fee} and {action.interest}: the total due on",
        )
    claims = EXACT.subtract(add(amounts.open_amount, added), action.credit.amount)
    if action.open_amount.amount != claims:
        raise _mismatch(
            invoice,
            "open_amount",
            action.open_amount,
            f"{invoice.open_amount} "
            f"plus {action.fee} and {action.interest} less {action.credit}: "
            "what is owed on",
        )


def _mismatch(
    invoice: Invoice, field: str, value: Money, expected: str, note: str = ""
) -> InvalidValueError:
    """The refusal of a decision whose ``field`` is not what the engine decides for
    ``invoice`` as it is now."""
    return InvalidValueError(
        f"IssueStage.{field}",
        value,
        f"{expected} invoice {invoice.known_as} as it is now{note} (a decision made before "
        "the invoice changed, or built by hand: decide again)",
    )


def _before_due(invoice: Invoice, day: _dt.date) -> bool:
    """True on or before the due date: the debtor is not late yet (an early stage)."""
    return day <= invoice.due_date
