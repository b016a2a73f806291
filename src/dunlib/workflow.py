"""The approval workflow: who may take which step, under which eyes policy, with what effect.

The table in :mod:`dunlib.transitions` says which steps exist. This module adds:

- **rights**: a :class:`Permissions` set says which roles may perform which command in
  which state (by default the roles written in the table's rows);
- **the eyes policy** (:class:`ApprovalPolicy`), read over the acts each row performs
  (:class:`~dunlib.transitions.Act`: draft, review, send): reviewing and sending in the
  current approval round (everything since the invoice last went back to DRAFT, or since
  its creation), drafting over the whole history (a rejection does not make the author
  of the lines a stranger to them):

  - 2 eyes: one actor may take an invoice from 0 to 3;
  - 4 eyes: whoever drafted (created the invoice or took it out of DRAFT) may not send it;
  - 6 eyes: drafting, reviewing and sending by three distinct actors;
  - skips (rows of kind ``skip``) are for automatic actors only, and only those the
    policy allows: 2 eyes all three (0→2, 0→3, 1→3); 4 eyes 0→2 and 1→3 (0→3 would
    make one actor drafter and sender); 6 eyes none (every skip merges two acts);

- **guards and effects** named by the rows: a draft leaves DRAFT only with at least one
  line and a total of zero or more; SEND takes the next number of a
  :class:`~dunlib.numbering.NumberSequence`, dates the invoice on the send day and
  recomputes its due date from the terms;
- :func:`due_for_auto_send`, the selection of the automatic sending run.

Every refusal is a typed error saying who, what and which rule.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, assert_never, overload

import attrs

from dunlib import _validate as v
from dunlib.dates import as_date
from dunlib.errors import (
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    PermissionDeniedError,
    PolicyViolationError,
)
from dunlib.history import EventKind
from dunlib.invoice import DeliveryChannel, Invoice
from dunlib.numbering import NumberSequence
from dunlib.status import Status
from dunlib.transitions import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    REVIEWER,
    ROWS,
    TRANSITIONS,
    Act,
    Command,
    Effect,
    Guard,
    Row,
    RowKind,
    apply_transition,
    row_for,
    step_day,
)

__all__ = [
    "ACCOUNTANT",
    "AUTOMATION",
    "CLERK",
    "DEFAULT_PERMISSIONS",
    "REVIEWER",
    "TRANSITIONS",
    "Act",
    "Actor",
    "ApprovalPolicy",
    "Command",
    "Permissions",
    "PolicyRule",
    "Status",
    "Transitioned",
    "actor_id",
    "check_step",
    "due_for_auto_send",
    "round_acts",
    "transition",
]


def _roles(value: Any) -> Any:
    """Any iterable of role names becomes a frozenset (a bare string is left to the validator)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value
    return frozenset(value)


def _role_set(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, frozenset) or not all(
        isinstance(role, str) and role.strip() for role in value
    ):
        raise InvalidTypeError(
            v.field_name(instance, attribute),
            value,
            "a collection of non-empty role names such as {'clerk', 'reviewer'}",
        )


@attrs.frozen(kw_only=True)
class Actor:
    """Someone or something that performs workflow steps.

    ``id`` identifies the actor (it is written into the history and compared by the
    eyes policy), ``roles`` are the role names it holds and ``automatic`` marks an
    automatic process (a contract series, the sending run); only automatic actors
    may skip states.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    roles: frozenset[str] = attrs.field(converter=_roles, validator=_role_set)
    automatic: bool = attrs.field(default=False, validator=v.of_type(bool, expected="a bool"))


def actor_id(actor: Actor | str, field: str) -> str:
    """The id written into the history for ``actor``: an :class:`Actor`'s id, or a non-empty id.

    Steps outside the eyes policy (creating a draft, booking a credit note) take either.
    """
    if isinstance(actor, Actor):
        return actor.id
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidValueError(
            field, actor, "an Actor or the non-empty id of whoever performs the step"
        )
    return actor


class PolicyRule(StrEnum):
    """The rules of the eyes policy; a :class:`~dunlib.errors.PolicyViolationError` names one."""

    PEOPLE_DO_NOT_SKIP = "people-do-not-skip"
    """Only automatic actors perform skips; a person takes the states one by one."""
    SKIP_NOT_ALLOWED = "skip-not-allowed"
    """The policy does not allow this skip (see :attr:`ApprovalPolicy.allowed_skips`)."""
    SENDER_NOT_DRAFTER = "sender-not-drafter"
    """4 and 6 eyes: whoever drafted the invoice (in any round) may not send it."""
    REVIEWER_NOT_DRAFTER = "reviewer-not-drafter"
    """6 eyes: whoever drafted the invoice (in any round) may not review it."""
    SENDER_NOT_REVIEWER = "sender-not-reviewer"
    """6 eyes: whoever reviewed the invoice in this round may not send it."""


_EYES = (2, 4, 6)


def _eyes(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not int or value not in _EYES:
        raise InvalidValueError(v.field_name(instance, attribute), value, "2, 4 or 6")


def _acts_allowed_together(eyes: int, acts: frozenset[Act]) -> bool:
    """Whether one actor may perform all of ``acts`` under an ``eyes`` policy."""
    if eyes == 2:
        return True
    if eyes == 4:
        return not {Act.DRAFT, Act.SEND} <= acts
    return len(acts) <= 1


@attrs.frozen(kw_only=True)
class ApprovalPolicy:
    """The 2-, 4- or 6-eye principle (see the module docs for the exact rules)."""

    eyes: int = attrs.field(default=4, validator=_eyes)

    @property
    def allowed_skips(self) -> frozenset[tuple[Status, Command]]:
        """The skip rows automatic actors may perform: those whose acts one actor may combine."""
        return frozenset(
            (row.source, row.command)
            for row in ROWS
            if row.kind is RowKind.SKIP and _acts_allowed_together(self.eyes, row.acts)
        )


def _grants(value: Any) -> Any:
    if isinstance(value, Iterable) and not isinstance(value, str):
        return frozenset(value)
    return value


def _grant_set(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    expected = "(Status, Command, role) triples for rows of the transition table"
    if not isinstance(value, frozenset):
        raise InvalidTypeError(field, value, f"a collection of {expected}")
    for grant in value:
        if not (
            isinstance(grant, tuple)
            and len(grant) == 3
            and isinstance(grant[0], Status)
            and isinstance(grant[1], Command)
            and isinstance(grant[2], str)
            and grant[2].strip()
            and (grant[0], grant[1]) in TRANSITIONS
        ):
            raise InvalidValueError(field, grant, expected)


@attrs.frozen(kw_only=True)
class Permissions:
    """Which roles may perform which command in which state.

    ``grants`` holds ``(status, command, role)`` triples, each for a row of the
    transition table: an actor may perform a command in a state when it holds any
    role granted there. :meth:`from_table` gives the roles written in the table.
    """

    grants: frozenset[tuple[Status, Command, str]] = attrs.field(
        converter=_grants, validator=_grant_set
    )

    @classmethod
    def from_table(cls) -> Permissions:
        """The default rights: the roles each row of the table names."""
        return cls(
            grants=frozenset((row.source, row.command, role) for row in ROWS for role in row.roles)
        )

    def roles_for(self, status: Status, command: Command) -> frozenset[str]:
        """The roles that may perform ``command`` in ``status`` (empty: nobody may)."""
        return frozenset(role for (s, c, role) in self.grants if s is status and c is command)

    def allows(self, actor: Actor, status: Status, command: Command) -> bool:
        """Whether ``actor`` holds a role that may perform ``command`` in ``status``."""
        return not actor.roles.isdisjoint(self.roles_for(status, command))

    def granting(self, status: Status, command: Command, role: str) -> Permissions:
        """These permissions with ``role`` also allowed to perform ``command`` in ``status``."""
        return Permissions(grants=self.grants | {(status, command, role)})

    def revoking(self, status: Status, command: Command, role: str) -> Permissions:
        """These permissions without ``role``'s right to perform ``command`` in ``status``."""
        return Permissions(grants=self.grants - {(status, command, role)})


DEFAULT_PERMISSIONS = Permissions.from_table()
"""The rights written in the transition table's rows."""


@attrs.frozen(kw_only=True)
class Transitioned:
    """The result of a step taken with a number sequence at hand.

    ``invoice`` is the invoice after the step and ``sequence`` the sequence to pass to
    the next send: advanced by one exactly when this step booked the invoice.
    """

    invoice: Invoice
    sequence: NumberSequence


_ROW_BY_MOVE: Mapping[tuple[Status, Status], Row] = {(row.source, row.target): row for row in ROWS}
_CREATION_ACTS = {False: frozenset({Act.DRAFT}), True: frozenset({Act.DRAFT, Act.REVIEW})}


def round_acts(invoice: Invoice) -> Mapping[Act, frozenset[str]]:
    """Who performed which act on the version of the invoice that is about to go out.

    Reviewing and sending count in the current approval round only: the history since
    the invoice last went back to DRAFT (a rejection), or its whole history. Drafting
    counts over the whole history, because the lines written in an earlier round are
    still in the draft: whoever drafted an invoice stays its drafter after a rejection
    (otherwise rejecting it would let its author send it under 4 eyes). Creating the
    invoice counts as drafting (and as reviewing when it was created straight into
    REVIEWED); a transition counts as the acts of its row. Steps without an actor are
    ignored.
    """
    start = 0
    for index, entry in enumerate(invoice.history):
        if entry.kind is EventKind.TRANSITION and entry.to_status is Status.DRAFT:
            start = index + 1
    done: dict[Act, set[str]] = {act: set() for act in Act}
    for index, entry in enumerate(invoice.history):
        if not entry.actor:
            continue
        acts: frozenset[Act] = frozenset()
        if entry.kind is EventKind.CREATED:
            acts = _CREATION_ACTS[entry.to_status is Status.REVIEWED]
        elif entry.kind is EventKind.TRANSITION:
            row = _ROW_BY_MOVE.get((entry.from_status, entry.to_status))
            acts = row.acts if row is not None else frozenset()
        for act in acts:
            if act is Act.DRAFT or index >= start:
                done[act].add(entry.actor)
    return {act: frozenset(actors) for act, actors in done.items()}


def _check_policy(invoice: Invoice, row: Row, actor: Actor, policy: ApprovalPolicy) -> None:
    def violation(rule: PolicyRule, reason: str) -> PolicyViolationError:
        return PolicyViolationError(
            actor=actor.id,
            command=row.command.name,
            status=invoice.status,
            invoice=invoice.id,
            eyes=policy.eyes,
            rule=rule,
            reason=reason,
        )

    move = f"{row.source.value}→{row.target.value}"
    if row.kind is RowKind.SKIP:
        if not actor.automatic:
            raise violation(
                PolicyRule.PEOPLE_DO_NOT_SKIP,
                f"{move} skips states, which only automatic actors may do; "
                "take the states one by one",
            )
        if (row.source, row.command) not in policy.allowed_skips:
            allowed = sorted(
                f"{s.value}→{TRANSITIONS[(s, c)].value}" for s, c in policy.allowed_skips
            )
            raise violation(
                PolicyRule.SKIP_NOT_ALLOWED,
                f"the skip {move} is not allowed; allowed skips: {', '.join(allowed) or 'none'}",
            )
    if policy.eyes == 2:
        return
    done = round_acts(invoice)
    drafters = done[Act.DRAFT] | ({actor.id} if Act.DRAFT in row.acts else set())
    reviewers = done[Act.REVIEW] | ({actor.id} if Act.REVIEW in row.acts else set())
    if Act.SEND in row.acts and actor.id in drafters:
        raise violation(
            PolicyRule.SENDER_NOT_DRAFTER,
            f"{actor.id} drafted this invoice; someone else must send it",
        )
    if policy.eyes == 6:
        if Act.REVIEW in row.acts and actor.id in drafters:
            raise violation(
                PolicyRule.REVIEWER_NOT_DRAFTER,
                f"{actor.id} drafted this invoice; someone else must review it",
            )
        if Act.SEND in row.acts and actor.id in reviewers:
            raise violation(
                PolicyRule.SENDER_NOT_REVIEWER,
                f"{actor.id} reviewed this invoice; someone else must send it",
            )


def _failed_guard(invoice: Invoice, guard: Guard, on: _dt.date) -> str | None:
    """Why ``guard`` does not hold for ``invoice`` on ``on``, or None when it holds."""
    match guard:
        case Guard.COMPLETE_DRAFT:
            if not invoice.lines:
                return "the draft has no lines"
            if invoice.gross.is_negative:
                return (
                    f"the total {invoice.gross} is negative; negative totals exist only in "
                    "DRAFT (convert the draft with dunlib.drafts.convert_to_credit_note)"
                )
            return None
        case Guard.SETTLED:
            return None if invoice.is_settled else f"{invoice.open_amount} is still open"
        case Guard.OVERDUE:
            if on < invoice.due_date:
                return f"not due yet: the due date is {invoice.due_date}"
            return "nothing is open" if invoice.is_settled else None
        case Guard.OPEN:
            return "nothing is open" if invoice.is_settled else None
        case Guard.CANCELLING_INVOICE:
            return (
                "an invoice is cancelled only together with its booked cancelling invoice; "
                "use dunlib.documents.cancel"
            )
        case _:
            assert_never(guard)


def _check_guards(
    invoice: Invoice, row: Row, actor: Actor, on: _dt.date, *, skip: frozenset[Guard]
) -> None:
    for guard in row.guards:
        if guard in skip:
            continue
        reason = _failed_guard(invoice, guard, on)
        if reason is not None:
            raise GuardFailedError(
                actor=actor.id,
                command=row.command.name,
                status=invoice.status,
                invoice=invoice.id,
                guard=guard.value,
                reason=reason,
            )


def check_step(
    invoice: Invoice,
    command: Command,
    actor: Actor,
    on: _dt.date,
    policy: ApprovalPolicy,
    *,
    permissions: Permissions = DEFAULT_PERMISSIONS,
    skip_guards: frozenset[Guard] = frozenset(),
) -> Row:
    """The table row ``actor`` may apply to ``invoice`` on ``on``: every check of a step.

    Checks the arguments, that ``on`` is not before the last step, then the table, the
    rights, the eyes policy and the row's guards (except those in ``skip_guards``, for a
    caller that establishes them itself, as :func:`dunlib.documents.cancel` does for
    ``cancelling-invoice``), raising the typed error of the first check that fails (see
    :func:`transition`). Nothing is changed; :func:`transition` applies the row.
    """
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("transition.invoice", invoice, "an Invoice")
    if not isinstance(command, Command):
        raise InvalidTypeError("transition.command", command, "a Command")
    if not isinstance(actor, Actor):
        raise InvalidTypeError("transition.actor", actor, "an Actor")
    if not isinstance(policy, ApprovalPolicy):
        raise InvalidTypeError("transition.policy", policy, "an ApprovalPolicy")
    if not isinstance(permissions, Permissions):
        raise InvalidTypeError("transition.permissions", permissions, "a Permissions")
    on = step_day(invoice, on, "transition.on")
    row = row_for(invoice.status, command)
    if not permissions.allows(actor, invoice.status, command):
        raise PermissionDeniedError(
            actor=actor.id,
            roles=sorted(actor.roles),
            command=command.name,
            status=invoice.status,
            invoice=invoice.id,
            required=sorted(permissions.roles_for(invoice.status, command)),
        )
    _check_policy(invoice, row, actor, policy)
    _check_guards(invoice, row, actor, on, skip=skip_guards)
    return row


def _apply_row(
    invoice: Invoice, row: Row, actor: Actor, on: _dt.date, sequence: NumberSequence | None
) -> tuple[Invoice, NumberSequence | None]:
    """The invoice after ``row``'s step and effect, and the sequence after it."""
    suffix = " [automatic]" if actor.automatic else ""
    match row.effect:
        case Effect.NONE:
            moved = apply_transition(
                invoice, row.command, on=on, actor=actor.id, detail=row.meaning + suffix
            )
            return moved, sequence
        case Effect.BOOK:
            if sequence is None:
                raise InvalidValueError(
                    "transition.sequence",
                    None,
                    "a NumberSequence to take the invoice number from (SEND books the invoice)",
                )
            number, advanced = sequence.take()
            due = invoice.terms.due_date(on)
            sent = apply_transition(
                invoice,
                row.command,
                on=on,
                actor=actor.id,
                detail=f"booked as {number}, dated {on}, due {due}{suffix}",
                number=number,
                issue_date=on,
                due_date=due,
            )
            return sent, advanced
        case _:
            assert_never(row.effect)


@overload
def transition(
    invoice: Invoice,
    command: Command,
    actor: Actor,
    on: _dt.date,
    policy: ApprovalPolicy,
    *,
    permissions: Permissions = ...,
    sequence: None = None,
) -> Invoice: ...


@overload
def transition(
    invoice: Invoice,
    command: Command,
    actor: Actor,
    on: _dt.date,
    policy: ApprovalPolicy,
    *,
    permissions: Permissions = ...,
    sequence: NumberSequence,
) -> Transitioned: ...


def transition(
    invoice: Invoice,
    command: Command,
    actor: Actor,
    on: _dt.date,
    policy: ApprovalPolicy,
    *,
    permissions: Permissions = DEFAULT_PERMISSIONS,
    sequence: NumberSequence | None = None,
) -> Invoice | Transitioned:
    """``actor`` performs ``command`` on ``invoice`` on day ``on`` under ``policy``.

    Checks, in this order: the table has the step
    (:class:`~dunlib.errors.TransitionNotAllowedError`), the actor's roles allow it
    (:class:`~dunlib.errors.PermissionDeniedError`), the eyes policy allows it
    (:class:`~dunlib.errors.PolicyViolationError`) and the row's guards hold
    (:class:`~dunlib.errors.GuardFailedError`). Then the step is appended to the
    history and its effect applied.

    Without ``sequence`` the new :class:`~dunlib.invoice.Invoice` is returned; SEND
    needs one. With ``sequence`` a :class:`Transitioned` holds the invoice and the
    sequence to use next, advanced by one only when the step booked the invoice: a
    refused step raises before any number is consumed.
    """
    if sequence is not None and not isinstance(sequence, NumberSequence):
        raise InvalidTypeError("transition.sequence", sequence, "a NumberSequence or None")
    row = check_step(invoice, command, actor, on, policy, permissions=permissions)
    moved, after = _apply_row(invoice, row, actor, as_date(on), sequence)
    if after is None:
        return moved
    return Transitioned(invoice=moved, sequence=after)


def _reviewed_on(invoice: Invoice) -> _dt.date | None:
    """The day of the last history entry that brought the invoice into REVIEWED."""
    days = [entry.on for entry in invoice.history if entry.to_status is Status.REVIEWED]
    return days[-1] if days else None


def due_for_auto_send(
    invoices: Iterable[Invoice], run_started: _dt.date, today: _dt.date
) -> tuple[Invoice, ...]:
    """The invoices an automatic sending run started on ``run_started`` sends ``today``.

    An invoice is due when it is in REVIEWED, goes out online (paper invoices never),
    its invoice date is ``today`` or earlier (inclusive), its total is not negative, and
    its history shows it entered REVIEWED on a day *before* ``run_started`` (strictly:
    history is kept in whole days, so an invoice reviewed on the run's own day may have
    arrived after the run began and waits for the next run). An invoice without such an
    entry is never due. The order of ``invoices`` is kept.
    """
    run_started = as_date(run_started, "due_for_auto_send.run_started")
    today = as_date(today, "due_for_auto_send.today")
    if run_started > today:
        raise InvalidValueError(
            "due_for_auto_send.run_started", run_started, f"on or before today ({today})"
        )
    due: list[Invoice] = []
    for invoice in invoices:
        if not isinstance(invoice, Invoice):
            raise InvalidTypeError("due_for_auto_send.invoices", invoice, "Invoices")
        reviewed = _reviewed_on(invoice)
        if (
            invoice.status is Status.REVIEWED
            and invoice.channel is DeliveryChannel.ONLINE
            and invoice.issue_date <= today
            and not invoice.gross.is_negative
            and reviewed is not None
            and reviewed < run_started
        ):
            due.append(invoice)
    return tuple(due)
