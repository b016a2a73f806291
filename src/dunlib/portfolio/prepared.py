"""A dunning letter's life before it counts: prepared, approved or rejected, sent.

The run decides (:func:`dunlib.plan`) and groups (:func:`dunlib.group_letters`); a
letter is then *prepared* (:func:`prepare_letter`), or prepared by hand for an overdue
invoice outside the ladder's schedule (:func:`prepare_manual_letter`, seed 000's "Erinnerung
vorbereiten"). A letter that needs approval (its stage is sent "after approval", or the
customer's letters need approval) waits until an actor with the right approves
(:func:`approve_letter`) or rejects it (:func:`reject_letter`). Only sending it
(:func:`send_letter`) books it onto its invoices, as :func:`dunlib.record_stage` books a
document: the invoice becomes DUNNED and the fee is owed then, never before (seed 002:
the invoice goes to 5 once the dunning letter is sent).

**The one path.** :func:`send_letter` is the only way a document whose stage is sent after
approval reaches an invoice: :func:`dunlib.record_stage` and :func:`dunlib.record_stages`
refuse such a stage (and a stage sent by hand when an automatic actor records it) before
anything is booked. :func:`send_letter` books through the same private path, telling it
explicitly that the letter's life approved the document (it was approved, or needed no
approval); every other check of recording still applies.

**Where the life is kept.** A :class:`PreparedLetter` is a value of its own that the app
stores beside its invoices, as the seed's dunning document has its own processing state
beside the invoice's. Its ``steps`` say who prepared, approved, rejected and sent it, and
when. The invoices' histories are not touched until the letter is sent: preparing or
approving changes nothing owed, and the engine and every amount read the invoice alone.
So the app hands its letters still on their way to the next day's run
(``plan(..., waiting=letters)``), which then passes over their invoices instead of deciding
the same stage again.

**The same checks.** Preparing, approving and rejecting each pass the one booking path's
checks on every invoice of the letter (the table rows ``PREPARE_LETTER``,
``PREPARE_MANUAL_LETTER``, ``APPROVE_LETTER``, ``REJECT_LETTER``): the invoice's state has the
row, the actor holds a role granted there (by default the automatic run or an accountant
prepares, only an accountant prepares by hand, a reviewer or an accountant approves and
rejects), the day is not before the invoice's last step, and the row's guards hold
(something open and dunning not paused; by hand, the due date reached). Approving also
keeps the eyes policy: under 4 and 6 eyes whoever prepared a letter may not approve it.
Sending books each invoice through the same checks (its ``DUN`` or ``ISSUE_EARLY`` row) and
keeps the eyes policy too: under 6 eyes whoever prepared or approved a letter may not
send it, so preparing, approving and sending take three distinct actors. A letter is a
value from outside (stored by the app, read back with :func:`dunlib.from_json`): each step
records its actor's id and roles, and sending checks the recorded preparation and
approval again (the same rows, invoices and days, under the authority of
the send) instead of trusting them.
A reminder prepared by hand reads the customer's account and credit as the engine does.

**The letter's own states** (:class:`LetterState`)::

    PREPARED --approve--> APPROVED --send--> SENT
    PREPARED --reject---> REJECTED
    PREPARED --send-----> SENT          (only when it needs no approval)

A rejected letter is never sent, and no letter is approved twice. Sending a letter that
needs approval before it is approved raises :class:`~dunlib.core.errors.LetterNotApprovedError`;
every other step its state does not allow, :class:`~dunlib.core.errors.LetterStateError`. A
letter in the manual dispatch mode (its stage's, or one prepared by hand) is sent by a
person, not by an automatic actor.

**Dates.** The letter keeps the date of its documents (``on`` of its stages: the day it
was prepared; its due date, fee and interest were computed for that day) and is booked
with that date when sent. It is sent only onto the very invoices it was prepared from:
when one of them changed since (a payment, say), sending is refused and the run decides
afresh. Each step's day is on or after the previous step's.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from enum import Enum
from functools import partial
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import (
    DunlibError,
    InvalidTypeError,
    InvalidValueError,
    LetterNotApprovedError,
    LetterStateError,
    PolicyViolationError,
)
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money
from dunlib.core.transitions import Command
from dunlib.dunning.accounts import CustomerAccount, account_for
from dunlib.dunning.actions import IssueStage, NoAction
from dunlib.dunning.decisions import Decision, DunningLetter
from dunlib.dunning.engine import customer_credit, next_dunning_action
from dunlib.dunning.issuing import book_stage
from dunlib.dunning.stages import DispatchMode, DunningRules, TriggerBasis
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import (
    AUTOMATIC,
    Actor,
    Authority,
    PolicyRule,
    checked_actor,
    checked_authority,
    checked_roles,
    role_set,
)

__all__ = [
    "LetterSent",
    "LetterState",
    "LetterStep",
    "PreparedLetter",
    "Rejection",
    "approve_letter",
    "prepare_letter",
    "prepare_manual_letter",
    "reject_letter",
    "render_life",
    "send_letter",
    "supersede_letters",
    "withdraw_letter",
]


class LetterState(Enum):
    """Where a prepared letter is in its life (see the module docs)."""

    PREPARED = "prepared"
    """Prepared; waiting for approval, or for sending when it needs none."""
    APPROVED = "approved"
    """Freigegeben: approved by an actor with the right to; may be sent."""
    REJECTED = "rejected"
    """Rejected by a person: it is never sent; its :class:`Rejection` says when the run may
    prepare its stage again."""
    WITHDRAWN = "withdrawn"
    """Withdrawn by a person while on its way: it is never sent; the run decides afresh."""
    SUPERSEDED = "superseded"
    """Superseded: an invoice of it changed since it was prepared (a payment, a hold, ...),
    so it is never sent; the run decides afresh."""
    SENT = "sent"
    """Sent and booked onto its invoices (DUNNED, fee owed)."""


class Rejection(Enum):
    """What a rejection means for the next runs: when the run may prepare the rejected
    stage again for the letter's invoices."""

    NOT_TODAY = "not_today"
    """Not today: from the next day on, the run decides as if the letter had not been."""
    UNTIL_CHANGED = "until_changed"
    """Not until something is booked on the invoice (a payment, a credit note, a hold, a
    pause, ...): while it is as the letter was prepared from, the run passes over it. The
    default."""
    NEVER = "never"
    """Never this stage: the run passes over the invoice while its last issued stage is the
    one it had when the letter was prepared (a payment does not release it; a stage issued
    by hand does)."""


_NEXT: dict[LetterState, tuple[LetterState, ...]] = {
    LetterState.PREPARED: (
        LetterState.APPROVED,
        LetterState.REJECTED,
        LetterState.SENT,
        LetterState.WITHDRAWN,
        LetterState.SUPERSEDED,
    ),
    LetterState.APPROVED: (
        LetterState.SENT,
        LetterState.REJECTED,
        LetterState.WITHDRAWN,
        LetterState.SUPERSEDED,
    ),
    LetterState.REJECTED: (),
    LetterState.WITHDRAWN: (),
    LetterState.SUPERSEDED: (),
    LetterState.SENT: (),
}
"""The letter's own table: the states each state may move to."""

_STEP = {
    LetterState.APPROVED: "approve",
    LetterState.REJECTED: "reject",
    LetterState.SENT: "send",
    LetterState.WITHDRAWN: "withdraw",
    LetterState.SUPERSEDED: "supersede",
}
"""The step that brings a letter to each state, by name."""

ON_ITS_WAY = frozenset({LetterState.PREPARED, LetterState.APPROVED})
"""The states of a letter still on its way: it may yet be sent."""


def render_life() -> str:
    """The letter's life as a Mermaid state diagram, generated from its table (docs/daily-run.md
    shows it)."""
    lines = ["stateDiagram-v2", "    [*] --> PREPARED"]
    for source, targets in _NEXT.items():
        lines.extend(f"    {source.name} --> {target.name}" for target in targets)
        if not targets:
            lines.append(f"    {source.name} --> [*]")
    return "\n".join(lines) + "\n"


@attrs.frozen(kw_only=True)
class LetterStep:
    """One step in a letter's life: on ``on``, ``actor`` (an actor id) holding ``roles``
    brought it to ``state``; ``note`` is free text (a rejection's reason, say).

    ``rejection`` says, on a REJECTED step, what the rejection means for the next runs
    (None there reads as :attr:`Rejection.UNTIL_CHANGED`; None on every other step).
    ``roles`` are the roles the booking path checked the step's right against; sending
    checks the letter's preparation and approval again from them (see
    :func:`send_letter`), so a step nobody with the right took is never sent.
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    state: LetterState = attrs.field(validator=v.of_type(LetterState, expected="a LetterState"))
    actor: str = attrs.field(validator=v.non_empty_text)
    note: str = attrs.field(default="", validator=v.text)
    roles: frozenset[str] = attrs.field(
        default=frozenset(), converter=checked_roles, validator=role_set
    )
    rejection: Rejection | None = attrs.field(
        default=None, validator=v.optional(v.of_type(Rejection, expected="a Rejection"))
    )

    def __attrs_post_init__(self) -> None:
        if self.rejection is not None and self.state is not LetterState.REJECTED:
            raise InvalidValueError(
                "LetterStep.rejection", self.rejection, f"None for a {self.state.name} step"
            )

    @property
    def by(self) -> Actor:
        """The actor of the step as recorded: its id and roles (the automatic run's id
        marks the automatic run)."""
        return Actor(id=self.actor, roles=self.roles, automatic=self.actor == AUTOMATIC.id)


def _steps(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(LetterStep, "a LetterStep")(instance, attribute, value)
    field = v.field_name(instance, attribute)
    if not value or value[0].state is not LetterState.PREPARED:
        raise InvalidValueError(field, value, "steps starting with one PREPARED step")
    for index in range(1, len(value)):
        before, step = value[index - 1], value[index]
        if step.state not in _NEXT[before.state]:
            allowed = ", ".join(s.name for s in _NEXT[before.state]) or "nothing"
            raise InvalidValueError(
                f"{field}[{index}].state", step.state, f"after {before.state.name}: {allowed}"
            )
        if step.on < before.on:
            raise InvalidValueError(
                f"{field}[{index}].on", step.on, f"on or after the previous step's day {before.on}"
            )


@attrs.frozen(kw_only=True)
class PreparedLetter:
    """A customer letter on its way: prepared, then approved or rejected, then sent.

    ``letter`` is the :class:`~dunlib.dunning.decisions.DunningLetter` (one customer, one
    currency, one
    or more invoices, each with its stage) as prepared, the invoices as they were then;
    ``needs_approval`` says whether a person must approve it before it is sent (its stage
    is sent after approval, or the customer's letters need approval); ``manual`` marks a
    letter prepared by hand outside the schedule (:func:`prepare_manual_letter`); ``steps`` its
    life so far, the first one the preparation. Its documents all bear one date, the day it
    was prepared. Build it with :func:`prepare_letter` or :func:`prepare_manual_letter`.
    """

    letter: DunningLetter = attrs.field(
        validator=v.of_type(DunningLetter, expected="a DunningLetter")
    )
    needs_approval: bool = attrs.field(validator=v.of_type(bool, expected="a bool"))
    steps: tuple[LetterStep, ...] = attrs.field(converter=v.to_tuple, validator=_steps)
    manual: bool = attrs.field(default=False, validator=v.of_type(bool, expected="a bool"))

    def __attrs_post_init__(self) -> None:
        days = {stage.on for stage in self.letter.actions}
        if len(days) > 1:
            raise InvalidValueError(
                "PreparedLetter.letter", sorted(days), "documents that all bear one date"
            )
        (day,) = days
        if self.steps[0].on != day:
            raise InvalidValueError(
                "PreparedLetter.steps[0].on", self.steps[0].on, f"the documents' date {day}"
            )
        if self.letter.requires_approval and not self.needs_approval:
            raise InvalidValueError(
                "PreparedLetter.needs_approval",
                False,
                "True: a stage of the letter is sent after approval",
            )
        states = {step.state for step in self.steps}
        approved = LetterState.APPROVED in states
        if not self.needs_approval and states & {LetterState.APPROVED, LetterState.REJECTED}:
            raise InvalidValueError(
                "PreparedLetter.steps",
                self.steps,
                "no approval or rejection for a letter that needs no approval",
            )
        if self.state is LetterState.SENT and self.needs_approval and not approved:
            raise InvalidValueError(
                "PreparedLetter.steps", self.steps, "an approval before the sending"
            )
        last = self.steps[-1]
        manual = self.dispatch is DispatchMode.MANUAL
        if last.state is LetterState.SENT and manual and last.actor == AUTOMATIC.id:
            raise InvalidValueError(
                f"PreparedLetter.steps[{len(self.steps) - 1}].actor",
                AUTOMATIC.id,
                "a person: a manual letter is sent by hand",
            )

    @property
    def state(self) -> LetterState:
        """The state its last step brought it to."""
        return self.steps[-1].state

    @property
    def on(self) -> _dt.date:
        """The date of its documents: the day it was prepared."""
        return self.steps[0].on

    @property
    def invoices(self) -> tuple[Invoice, ...]:
        """Its invoices as they were when it was prepared, in the letter's order."""
        return tuple(decision.invoice for decision in self.letter.decisions)

    @property
    def dispatch(self) -> DispatchMode:
        """How it is sent: manual when prepared by hand, else the letter's mode."""
        return DispatchMode.MANUAL if self.manual else self.letter.dispatch

    def _ids(self) -> tuple[str, ...]:
        return tuple(invoice.id for invoice in self.invoices)

    @property
    def rejection(self) -> Rejection | None:
        """What its rejection means for the next runs (None unless it was rejected)."""
        last = self.steps[-1]
        if last.state is not LetterState.REJECTED:
            return None
        return last.rejection or Rejection.UNTIL_CHANGED

    def holds(self, invoice: Invoice, *, today: _dt.date) -> bool:
        """Whether the letter keeps the run of ``today`` from deciding ``invoice`` (the app's
        current one) afresh: while on its way and the invoice is as it was prepared from,
        or rejected and its :class:`Rejection` still holds; a letter of other invoices,
        and a withdrawn, superseded or sent one, holds nothing."""
        day = as_date(today, "PreparedLetter.holds.today")
        then = next((i for i in self.invoices if i.id == invoice.id), None)
        if then is None:
            return False
        rule = self.rejection
        if self.state in ON_ITS_WAY or rule is Rejection.UNTIL_CHANGED:
            return invoice == then
        if rule is Rejection.NOT_TODAY:
            return day <= self.steps[-1].on
        if rule is Rejection.NEVER:
            return invoice.last_issued_stage == then.last_issued_stage
        return False

    def _allowed(self) -> list[str]:
        """The steps its state allows, by name, from the letter's table: a prepared letter
        is approved or rejected when it needs approval, else sent."""
        skip: tuple[LetterState, ...] = ()
        if self.state is LetterState.PREPARED:
            needs = self.needs_approval
            skip = (LetterState.SENT,) if needs else (LetterState.APPROVED, LetterState.REJECTED)
        return [_STEP[state] for state in _NEXT[self.state] if state not in skip]

    def _moved(
        self,
        state: LetterState,
        actor: Actor,
        day: _dt.date,
        note: str,
        rejection: Rejection | None = None,
    ) -> PreparedLetter:
        step = LetterStep(
            on=day, state=state, actor=actor.id, note=note, roles=actor.roles, rejection=rejection
        )
        return attrs.evolve(self, steps=(*self.steps, step))


def _checked(prepared: object, operation: str) -> PreparedLetter:
    if not isinstance(prepared, PreparedLetter):
        raise InvalidTypeError(f"{operation}.prepared", prepared, "a PreparedLetter")
    return prepared


def _check_each(
    invoices: tuple[Invoice, ...],
    command: Command,
    *,
    operation: str,
    actor: Actor,
    on: object,
    authority: Authority,
    policy_rule: Callable[[Invoice], None] | None = None,
) -> _dt.date:
    """The booking path's checks of ``command`` on every invoice (one or more); the day.

    ``policy_rule``, an eyes-policy check of the step's own, runs on each invoice where the
    booking path checks the eyes policy (after the rights, before the guards)."""
    days = [
        _booking.check(
            invoice,
            command,
            operation=operation,
            actor=actor,
            on=on,
            authority=authority,
            policy_rule=None if policy_rule is None else partial(policy_rule, invoice),
        )[1]
        for invoice in invoices
    ]
    return days[0]


def _by_id(invoices: Iterable[Invoice], operation: str) -> dict[str, Invoice]:
    """The app's current ``invoices`` by id, each id once (else an InvalidValueError)."""
    current: dict[str, Invoice] = {}
    for index, invoice in enumerate(
        v.items_of(invoices, Invoice, f"{operation}.invoices", "Invoices")
    ):
        if invoice.id in current:
            raise InvalidValueError(
                f"{operation}.invoices[{index}].id",
                invoice.id,
                f"invoice ids once each (invoice {invoice.known_as} twice)",
            )
        current[invoice.id] = invoice
    return current


def _step_day(prepared: PreparedLetter, on: object, operation: str) -> _dt.date:
    day = as_date(on, f"{operation}.on")
    last = prepared.steps[-1].on
    if day < last:
        raise InvalidValueError(
            f"{operation}.on", day, f"on or after {last}, the day of the letter's last step"
        )
    return day


def _refuse(prepared: PreparedLetter, attempted: str) -> LetterStateError:
    return LetterStateError(
        invoices=prepared._ids(),
        names=tuple(invoice.known_as for invoice in prepared.invoices),
        state=prepared.state,
        attempted=attempted,
        allowed=prepared._allowed(),
    )


def prepare_letter(
    letter: DunningLetter | Decision,
    *,
    actor: Actor,
    authority: Authority,
    customer_approval: bool = False,
) -> PreparedLetter:
    """``letter`` prepared on the day of its documents, by ``actor`` (the automatic
    run is :data:`~dunlib.workflow.policy.AUTOMATIC`): a :class:`PreparedLetter` in state
    PREPARED. A single
    :class:`~dunlib.dunning.decisions.Decision` with an :class:`~dunlib.dunning.actions.IssueStage`
    stands for a letter of its one invoice.

    It needs approval when a stage of the letter is sent after approval, or when
    ``customer_approval`` says the customer's letters need approval (the app's setting per
    customer). Every invoice passes the booking path's checks of ``PREPARE_LETTER`` (see
    the module docs); the invoices are not changed.
    """
    if isinstance(letter, Decision):
        letter = DunningLetter(decisions=(letter,))
    if not isinstance(letter, DunningLetter):
        raise InvalidTypeError(
            "prepare_letter.letter", letter, "a DunningLetter or a Decision to issue a stage"
        )
    if not isinstance(customer_approval, bool):
        raise InvalidTypeError("prepare_letter.customer_approval", customer_approval, "a bool")
    return _prepared(
        letter,
        Command.PREPARE_LETTER,
        actor=actor,
        authority=authority,
        customer_approval=customer_approval,
        manual=False,
    )


def _prepared(
    letter: DunningLetter,
    command: Command,
    *,
    actor: Actor,
    authority: Authority,
    customer_approval: bool,
    manual: bool,
) -> PreparedLetter:
    operation = command.value
    days = sorted({stage.on for stage in letter.actions})
    if len(days) > 1:
        raise InvalidValueError(f"{operation}.letter", days, "documents that all bear one date")
    day = _check_each(
        tuple(d.invoice for d in letter.decisions),
        command,
        operation=operation,
        actor=actor,
        on=days[0],
        authority=authority,
    )
    return PreparedLetter(
        letter=letter,
        needs_approval=letter.requires_approval or customer_approval,
        steps=(LetterStep(on=day, state=LetterState.PREPARED, actor=actor.id, roles=actor.roles),),
        manual=manual,
    )


def prepare_manual_letter(
    invoice: Invoice,
    rules: DunningRules,
    *,
    on: _dt.date,
    actor: Actor,
    authority: Authority,
    customer_approval: bool = False,
    account: CustomerAccount | None = None,
    credit: Money | None = None,
) -> PreparedLetter:
    """Erinnerung vorbereiten (seed 000): the invoice's next stage prepared by hand on
    ``on``, outside the ladder's schedule, by ``actor`` (by default rights, an accountant).

    The document is the one the engine would issue for the invoice's next active stage if
    its day had come: the same level, fee, interest and due date. The invoice passes the
    booking path's checks of ``PREPARE_MANUAL_LETTER``: a paid, cancelled or written-off invoice
    has no such row (:class:`~dunlib.core.errors.TransitionNotAllowedError`), one not yet due or
    with nothing open, or one whose dunning is paused, fails a guard
    (:class:`~dunlib.core.errors.GuardFailedError`). An invoice the rules do not dun at all (its
    customer's dunning off, below the rules' minimum, no further active stage, a document
    already sent that day) is refused with an :class:`~dunlib.core.errors.InvalidValueError`
    naming the engine's reason. The result is a manual letter: a person sends it.

    ``account`` and ``credit`` are read exactly as :func:`dunlib.next_dunning_action`
    reads them: the customer's :class:`~dunlib.dunning.accounts.CustomerAccount` (None: the
    customer as copied into the invoice decides alone) and the customer's credit available
    to this invoice (None: the account's credit in the invoice's currency on ``on``, zero
    without an account). An account whose dunning is off (``customer_disabled``), a dispute,
    promise-to-pay or direct-debit hold on the invoice or the account (``disputed``,
    ``promised_to_pay``, ``direct_debit_pending``), or credit covering the open amount
    (``covered_by_credit``) refuses the reminder, naming the reason; while the account has
    fees off the document charges no fee, and the credit is netted against what it claims.
    """
    checked_invoice(invoice, "prepare_manual_letter")
    if not isinstance(rules, DunningRules):
        raise InvalidTypeError("prepare_manual_letter.rules", rules, "a DunningRules")
    if not isinstance(customer_approval, bool):
        raise InvalidTypeError(
            "prepare_manual_letter.customer_approval", customer_approval, "a bool"
        )
    account = account_for(account, invoice, "prepare_manual_letter")
    day = _check_each(
        (invoice,),
        Command.PREPARE_MANUAL_LETTER,
        operation="prepare_manual_letter",
        actor=actor,
        on=on,
        authority=authority,
    )
    available = customer_credit(invoice, account, day, credit, "prepare_manual_letter")
    action = next_dunning_action(
        invoice, _now(rules, invoice.dunning_level), today=day, account=account, credit=available
    )
    if not isinstance(action, IssueStage):
        said = action.reason.value if isinstance(action, NoAction) else "escalate"
        raise InvalidValueError(
            "prepare_manual_letter.invoice",
            invoice.id,
            f"an invoice the rules dun with a further stage on {day} (the engine says: {said})",
        )
    stage = rules.stages[action.stage_number - 1]
    decision = Decision(invoice=invoice, action=attrs.evolve(action, stage=stage))
    return _prepared(
        DunningLetter(decisions=(decision,)),
        Command.PREPARE_MANUAL_LETTER,
        actor=actor,
        authority=authority,
        customer_approval=customer_approval,
        manual=True,
    )


def _now(rules: DunningRules, level: int) -> DunningRules:
    """``rules`` with the stage of the next level due at once (the previous document's day
    aside: at most one document a day), escalation left as it is."""
    positions = [index for index, stage in enumerate(rules.stages) if stage.active]
    if level >= len(positions):
        return rules
    stages = list(rules.stages)
    at = positions[level]
    stage = stages[at]  # a courtesy stage keeps its basis: courtesy stages open the ladder
    basis = stage.basis if stage.basis.courtesy else TriggerBasis.PREVIOUS_DOCUMENT
    stages[at] = attrs.evolve(stage, days_overdue=0, basis=basis)
    return attrs.evolve(rules, stages=tuple(stages))


def approve_letter(
    prepared: PreparedLetter,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> PreparedLetter:
    """``prepared`` approved by ``actor`` on ``on`` (Freigabe): it may be sent now.

    Only a letter that needs approval and waits for it (PREPARED) is approved
    (:class:`~dunlib.core.errors.LetterStateError` otherwise: approved, rejected or sent
    already, or needing no approval); ``actor`` must hold the right of
    ``APPROVE_LETTER`` on every invoice (by default rights, a reviewer or an accountant).

    The approval is the second pair of eyes on the letter: under a 4- or 6-eye ``authority``
    whoever prepared it (by hand, :func:`prepare_manual_letter`, or a person given to
    :func:`prepare_letter`) may not approve it
    (:class:`~dunlib.core.errors.PolicyViolationError`, rule
    :attr:`~dunlib.workflow.policy.PolicyRule.APPROVER_NOT_PREPARER`). Actors are told apart by
    their ids, as everywhere in the eyes policy: a letter the automatic run prepared may
    be approved by any person. Under 2 eyes the preparer may approve it.
    """
    return _decide(
        prepared,
        Command.APPROVE_LETTER,
        LetterState.APPROVED,
        actor,
        on,
        authority,
        policy_rule=partial(_approver_not_preparer, prepared, actor, authority),
    )


def _approver_not_preparer(
    prepared: PreparedLetter, approver: Actor, authority: Authority, invoice: Invoice
) -> None:
    """Under 4 and 6 eyes, whoever prepared ``prepared`` may not approve it."""
    preparer = prepared.steps[0].actor
    if authority.eyes == 2 or approver.id != preparer:
        return
    raise PolicyViolationError(
        actor=approver.id,
        command=Command.APPROVE_LETTER.name,
        status=invoice.status,
        invoice_id=invoice.id,
        number=invoice.number,
        eyes=authority.eyes,
        rule=PolicyRule.APPROVER_NOT_PREPARER,
        reason=f"{preparer} prepared this letter; someone else must approve it",
    )


def _replayed(prepared: PreparedLetter, authority: Authority) -> None:
    """The letter's preparation and approval checked again from its recorded steps, as
    the booking path checked them (the same invoices, days and rows, under ``authority``):
    a step its recorded actor could not have taken is refused with an InvalidValueError
    naming it (``send_letter.prepared.steps[i]``)."""
    preparing = Command.PREPARE_MANUAL_LETTER if prepared.manual else Command.PREPARE_LETTER
    for index, step in enumerate(prepared.steps):  # PREPARED, then APPROVED if approved
        approval = step.state is LetterState.APPROVED
        try:
            _check_each(
                prepared.invoices,
                Command.APPROVE_LETTER if approval else preparing,
                operation="send_letter",
                actor=step.by,
                on=step.on,
                authority=authority,
                policy_rule=partial(_approver_not_preparer, prepared, step.by, authority)
                if approval
                else None,
            )
        except DunlibError as error:
            raise InvalidValueError(
                f"send_letter.prepared.steps[{index}]",
                step.actor,
                f"a {step.state.name} step its actor could take ({error})",
            ) from error


def reject_letter(
    prepared: PreparedLetter,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
    reason: str = "",
    rejection: Rejection = Rejection.UNTIL_CHANGED,
) -> PreparedLetter:
    """``prepared`` rejected by ``actor`` on ``on``, for ``reason``: it is never sent.

    A letter waiting for approval (PREPARED, needing approval) or approved and not yet sent
    (APPROVED) is rejected (:class:`~dunlib.core.errors.LetterStateError` otherwise);
    ``actor`` must hold the right of ``REJECT_LETTER`` on every invoice (by default rights, a
    reviewer or an accountant). ``rejection`` says what the rejection means for the next
    runs, which take the letter among ``plan(..., waiting=)``: by default
    :attr:`Rejection.UNTIL_CHANGED` (the stage is not prepared again until something is
    booked on the invoice), or :attr:`Rejection.NOT_TODAY`, or :attr:`Rejection.NEVER`.
    """
    if not isinstance(rejection, Rejection):
        raise InvalidTypeError("reject_letter.rejection", rejection, "a Rejection")
    return _decide(
        prepared,
        Command.REJECT_LETTER,
        LetterState.REJECTED,
        actor,
        on,
        authority,
        reason,
        rejection=rejection,
    )


def withdraw_letter(
    prepared: PreparedLetter,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
    reason: str = "",
) -> PreparedLetter:
    """``prepared`` withdrawn by ``actor`` on ``on``, for ``reason``: it is never sent, and
    the next run decides its invoices afresh.

    A letter still on its way (PREPARED or APPROVED) is withdrawn
    (:class:`~dunlib.core.errors.LetterStateError` otherwise); ``actor`` must hold the right of
    ``WITHDRAW_LETTER`` on every invoice (by default rights, a reviewer or an accountant).
    """
    return _decide(
        prepared, Command.WITHDRAW_LETTER, LetterState.WITHDRAWN, actor, on, authority, reason
    )


def supersede_letters(
    letters: Iterable[PreparedLetter],
    invoices: Iterable[Invoice],
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> tuple[PreparedLetter, ...]:
    """``letters``, each one still on its way whose invoices changed since it was prepared
    superseded by ``actor`` (the run: :data:`~dunlib.workflow.policy.AUTOMATIC`) on ``on``.

    ``invoices`` are the app's current invoices, each id once. A letter on its way (PREPARED
    or APPROVED) one of whose invoices is among them and differs from the invoice the letter
    was prepared from (something was booked on it since: it can no longer be sent, see
    :func:`send_letter`) becomes SUPERSEDED, its step's note naming the changed invoices;
    every other letter comes back as it was, in the order given. ``actor`` must hold the
    right of ``SUPERSEDE_LETTER`` on every invoice of a letter it supersedes (by default
    rights, the automatic run or an accountant). Run it before the day's :func:`dunlib.plan`
    and pass its result as ``waiting``, so no letter is left stuck.
    """
    current = _by_id(invoices, "supersede_letters")
    given: list[PreparedLetter] = v.items_of(
        letters, PreparedLetter, "supersede_letters.letters", "PreparedLetters"
    )
    result = []
    for prepared in given:
        changed = [
            then.known_as
            for then in prepared.invoices
            if then.id in current and current[then.id] != then
        ]
        if prepared.state in ON_ITS_WAY and changed:
            note = f"changed since it was prepared: {', '.join(changed)}"
            prepared = _decide(
                prepared,
                Command.SUPERSEDE_LETTER,
                LetterState.SUPERSEDED,
                actor,
                on,
                authority,
                note,
            )
        result.append(prepared)
    return tuple(result)


def _decide(
    prepared: PreparedLetter,
    command: Command,
    state: LetterState,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
    reason: str = "",
    policy_rule: Callable[[Invoice], None] | None = None,
    rejection: Rejection | None = None,
) -> PreparedLetter:
    """``prepared`` moved to ``state`` by ``actor`` on ``on`` (approved, rejected, withdrawn
    or superseded): only from a state that allows it, with ``command``'s right on every
    invoice (and ``policy_rule`` holding for each)."""
    operation = command.value
    prepared = _checked(prepared, operation)
    if not isinstance(reason, str):
        raise InvalidTypeError(f"{operation}.reason", reason, "a str")
    day = _step_day(prepared, on, operation)
    attempted = operation.removesuffix("_letter")
    if attempted not in prepared._allowed():
        raise _refuse(prepared, attempted)
    _check_each(
        prepared.invoices,
        command,
        operation=operation,
        actor=actor,
        on=day,
        authority=authority,
        policy_rule=policy_rule,
    )
    return prepared._moved(state, actor, day, reason, rejection)


@attrs.frozen(kw_only=True)
class LetterSent:
    """What :func:`send_letter` did: the letter, now SENT, and its invoices with their
    documents booked, in the letter's order."""

    letter: PreparedLetter
    invoices: tuple[Invoice, ...]


def send_letter(
    prepared: PreparedLetter,
    invoices: Iterable[Invoice],
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> LetterSent:
    """``prepared`` sent by ``actor`` on ``on``: the letter SENT, and its invoices with
    their documents booked as :func:`dunlib.record_stage` books them (with every check of
    it, dated the documents' day, the approval given by the letter's life): each invoice
    DUNNED (or SENT for a reminder before the due date) and its fee owed.

    ``invoices`` are the app's current invoices, each id once; each of the letter's must
    be among them and unchanged since the letter was prepared (else
    :class:`~dunlib.core.errors.InvalidValueError`: decide afresh). The invoices come back in
    the letter's order. Refused with :class:`~dunlib.core.errors.LetterNotApprovedError` when it
    needs approval and has none, with :class:`~dunlib.core.errors.LetterStateError` once it is
    rejected or sent, and with an InvalidValueError when an automatic actor sends a manual
    letter; the booking path refuses an actor without the right to record the letter.

    The sending is the third pair of eyes on the letter: under a 6-eye ``authority`` whoever
    prepared or approved it may not send it (:class:`~dunlib.core.errors.PolicyViolationError`,
    rule :attr:`~dunlib.workflow.policy.PolicyRule.SENDER_NOT_PREPARER_OR_APPROVER`), checked on
    each invoice where the booking path checks the eyes policy (after the rights, before
    the guards), as the invoice's own ``SEND`` step keeps its sender apart from its drafter
    and reviewer. Actors are told apart by their ids, as everywhere in the eyes policy: the
    automatic run's preparing or approving binds no person, but the automatic run does not
    send a letter it prepared itself. Under 2 and 4 eyes (the approval is the second pair)
    anyone with the right sends it.

    The letter's recorded life is checked, not trusted: its preparation (``PREPARE_LETTER``,
    or ``PREPARE_MANUAL_LETTER`` for one by hand) and its approval pass the booking path's
    checks again on the letter's invoices, each by its step's actor as recorded (id and
    roles) on the step's day, under ``authority`` (the approver not the
    preparer under 4 and 6 eyes). A step that fails (an approver without the right, or the
    preparer approving their own letter) is refused with an InvalidValueError naming it
    (``send_letter.prepared.steps[i]``), the cause chained.
    """
    prepared = _checked(prepared, "send_letter")
    actor = checked_actor(actor, "send_letter")
    checked_authority(authority, "send_letter")
    current = _by_id(invoices, "send_letter")
    day = _step_day(prepared, on, "send_letter")
    if prepared.state is LetterState.PREPARED and prepared.needs_approval:
        raise LetterNotApprovedError(
            invoices=prepared._ids(),
            names=tuple(invoice.known_as for invoice in prepared.invoices),
            state=prepared.state,
            attempted="send",
            allowed=prepared._allowed(),
        )
    if prepared.state not in (LetterState.PREPARED, LetterState.APPROVED):
        raise _refuse(prepared, "send")
    if prepared.dispatch is DispatchMode.MANUAL and actor.automatic:
        raise InvalidValueError(
            "send_letter.actor", actor.id, "a person: the letter is sent by hand (manual)"
        )
    _replayed(prepared, authority)

    def sender_not_preparer_or_approver(invoice: Invoice, command: Command) -> None:
        if authority.eyes != 6:
            return
        for step in prepared.steps:  # PREPARED, and APPROVED when it needed approval
            if step.actor == actor.id:
                did = "prepared" if step.state is LetterState.PREPARED else "approved"
                raise PolicyViolationError(
                    actor=actor.id,
                    command=command.name,
                    status=invoice.status,
                    invoice_id=invoice.id,
                    number=invoice.number,
                    eyes=authority.eyes,
                    rule=PolicyRule.SENDER_NOT_PREPARER_OR_APPROVER,
                    reason=f"{actor.id} {did} this letter; someone else must send it",
                )

    booked: list[Invoice] = []
    for decision, stage in zip(prepared.letter.decisions, prepared.letter.actions, strict=True):
        invoice = current.get(decision.invoice.id)
        if invoice != decision.invoice:
            raise InvalidValueError(
                f"send_letter.invoices[{decision.invoice.id!r}]",
                "missing" if invoice is None else "changed",
                f"invoice {decision.invoice.known_as} as the letter was prepared from (it changed "
                "since: plan again)",
            )
        booked.append(
            book_stage(
                invoice,
                stage,
                actor=actor,
                authority=authority,
                approved=True,  # approved above, or it needed no approval
                policy_rule=sender_not_preparer_or_approver,
            )
        )
    return LetterSent(
        letter=prepared._moved(LetterState.SENT, actor, day, ""), invoices=tuple(booked)
    )
