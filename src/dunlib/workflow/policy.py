"""Who may change an invoice: actors, their roles, the rights per table row and the eyes policy.

- **Actors** (:class:`Actor`) hold roles, each one of :data:`~dunlib.core.transitions.ROLES`
  (a misspelt role is refused when the actor is built). :data:`AUTOMATIC` is the
  automatic actor of the seed's automatic processes: matching and booking payments,
  the dunning run, automatic sending.
- **Rights**: a :class:`Permissions` set says which roles may perform which command in
  which state (by default the roles written in the table's rows). Every row is checked,
  the bookkeeping ones included: recording a payment, booking a credit note, sending a
  dunning document, pausing, cancelling and writing off. So is every other change a
  person makes (:class:`Operation`): editing a draft's lines and changing a customer's
  account, by default for the roles :data:`OPERATIONS` names.
- **Authority** (:class:`Authority`): the eyes policy and the rights together, the one
  value every act takes (``authority=``), so an act can never be checked under another
  policy or other rights than the one beside it.
- **The eyes policy** (:attr:`Authority.eyes`), read over the acts each row performs
  (:class:`~dunlib.core.transitions.Act`: draft, review, send): reviewing and sending in the
  current approval round (everything since the invoice last went back to DRAFT, or since
  its creation), drafting over the whole history (a rejection does not make the author
  of the lines a stranger to them; merging drafts keeps every author of merged lines):

  - 2 eyes: one actor may take an invoice from 0 to 3;
  - 4 eyes: whoever drafted (created the invoice, edited or merged lines into it or took
    it out of DRAFT) may not send it;
  - 6 eyes: drafting, reviewing and sending by three distinct actors;
  - skips (rows of kind ``skip``) are for automatic actors only, and only those the
    policy allows: 2 eyes all three (0→2, 0→3, 1→3); 4 eyes 0→2 and 1→3 (0→3 would
    make one actor drafter and sender); 6 eyes none (every skip merges two acts);
  - a credit note is a document of its own: under 4 and 6 eyes whoever drafted it may
    not book it (:func:`dunlib.record_credit_note`);
  - so is a dunning letter waiting for approval: under 4 and 6 eyes whoever prepared it
    may not approve it (:func:`dunlib.approve_letter`); under 6 eyes whoever prepared or
    approved it may not send it (:func:`dunlib.send_letter`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from enum import Enum, StrEnum
from types import MappingProxyType
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import InvalidTypeError, InvalidValueError, PolicyViolationError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice
from dunlib.core.status import Status
from dunlib.core.transitions import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    ROLES,
    ROWS,
    TRANSITIONS,
    Act,
    Command,
    Row,
    RowKind,
)

__all__ = [
    "AUTOMATIC",
    "DEFAULT_PERMISSIONS",
    "OPERATIONS",
    "Actor",
    "Authority",
    "Operation",
    "Permissions",
    "PolicyRule",
    "check_policy",
    "checked_authority",
    "round_acts",
]

_ROLE_NAMES = ", ".join(sorted(ROLES))


def checked_roles(value: Any) -> Any:
    """Any iterable of role names becomes a frozenset (a bare string is left to the validator)."""
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value
    try:
        return frozenset(value)
    except TypeError:  # unhashable items: left to the validator
        return tuple(value)


def role_set(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    if not isinstance(value, frozenset) or not all(isinstance(role, str) for role in value):
        raise InvalidTypeError(
            field, value, "a collection of role names such as {'clerk', 'reviewer'}"
        )
    for role in sorted(value):
        _known_role(field, role)


def _known_role(field: str, role: str) -> None:
    if role not in ROLES:
        close = difflib.get_close_matches(role, sorted(ROLES), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise InvalidValueError(field, role, f"one of the roles {_ROLE_NAMES}{hint}")


@attrs.frozen(kw_only=True)
class Actor:
    """Someone or something that performs workflow steps.

    ``id`` identifies the actor (it is written into the history and compared by the
    eyes policy; a person may not take the automatic run's id ``"automatic"``), ``roles``
    are the role names it holds and ``automatic`` marks an automatic process (a contract
    series, the sending run); only automatic actors may skip states.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    roles: frozenset[str] = attrs.field(converter=checked_roles, validator=role_set)
    automatic: bool = attrs.field(default=False, validator=v.of_type(bool, expected="a bool"))

    def __attrs_post_init__(self) -> None:
        if self.id == _AUTOMATIC_ID and not self.automatic:
            raise InvalidValueError(
                "Actor.id",
                self.id,
                f"another id for a person: {_AUTOMATIC_ID!r} is the automatic run's "
                "(the eyes policy tells actors apart by id)",
            )


_AUTOMATIC_ID = "automatic"
"""The id of :data:`AUTOMATIC`, which no person may take."""


class PolicyRule(StrEnum):
    """The rules of the eyes policy; a :class:`~dunlib.core.errors.PolicyViolationError` names
    one."""

    PEOPLE_DO_NOT_SKIP = "people-do-not-skip"
    """Only automatic actors perform skips; a person takes the states one by one."""
    SKIP_NOT_ALLOWED = "skip-not-allowed"
    """The policy does not allow this skip (see :attr:`Authority.allowed_skips`)."""
    SENDER_NOT_DRAFTER = "sender-not-drafter"
    """4 and 6 eyes: whoever drafted the invoice (in any round) may not send it."""
    REVIEWER_NOT_DRAFTER = "reviewer-not-drafter"
    """6 eyes: whoever drafted the invoice (in any round) may not review it."""
    SENDER_NOT_REVIEWER = "sender-not-reviewer"
    """6 eyes: whoever reviewed the invoice in this round may not send it."""
    BOOKER_NOT_DRAFTER = "booker-not-drafter"
    """4 and 6 eyes: whoever drafted a credit note may not book it."""
    APPROVER_NOT_PREPARER = "approver-not-preparer"
    """4 and 6 eyes: whoever prepared a dunning notice may not approve it
    (:func:`dunlib.approve_letter`); the automatic run's preparing binds no person."""
    SENDER_NOT_PREPARER_OR_APPROVER = "sender-not-preparer-or-approver"
    """6 eyes: whoever prepared or approved a dunning notice may not send it
    (:func:`dunlib.send_letter`); the automatic run's preparing or approving binds no
    person."""


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


class Operation(Enum):
    """A change a person makes outside the rows of the transition table that still needs a
    right: editing a draft's lines, changing a customer's account. Its value names the
    function that performs it."""

    EDIT_LINES = "edit_lines"
    """Adding, replacing or removing a line of a draft, or merging drafts
    (:func:`dunlib.add_line`, :func:`dunlib.replace_line`, :func:`dunlib.remove_line`,
    :func:`dunlib.merge_drafts`), in 0 DRAFT only; the eyes policy counts it as drafting."""
    SWITCH_DUNNING = "switch_dunning"
    """Switching dunning of a customer's invoices on or off (:func:`dunlib.switch_dunning`)."""
    SWITCH_FEES = "switch_fees"
    """Switching a customer's dunning fees on or off (:func:`dunlib.switch_fees`)."""
    HOLD_ACCOUNT = "hold_account"
    """Placing a hold on every invoice of a customer (:func:`dunlib.hold_account`)."""
    LIFT_ACCOUNT_HOLD = "lift_account_hold"
    """Lifting a customer-level hold (:func:`dunlib.lift_account_hold`)."""
    KEEP_CREDIT = "keep_credit"
    """Keeping money as a customer's credit by hand (:func:`dunlib.keep_credit`)."""
    KEEP_OVERPAYMENT = "keep_overpayment"
    """Keeping a payment's overpayment as the customer's credit
    (:func:`dunlib.keep_overpayment`)."""
    USE_CREDIT = "use_credit"
    """Booking a customer's credit onto an invoice as a payment (:func:`dunlib.use_credit`;
    the payment is also checked as the invoice's PAY row)."""


OPERATIONS: Mapping[Operation, frozenset[str]] = MappingProxyType(
    {
        Operation.EDIT_LINES: frozenset({CLERK}),
        Operation.SWITCH_DUNNING: frozenset({ACCOUNTANT}),
        Operation.SWITCH_FEES: frozenset({ACCOUNTANT}),
        Operation.HOLD_ACCOUNT: frozenset({ACCOUNTANT, AUTOMATION}),
        Operation.LIFT_ACCOUNT_HOLD: frozenset({ACCOUNTANT, AUTOMATION}),
        Operation.KEEP_CREDIT: frozenset({ACCOUNTANT}),
        Operation.KEEP_OVERPAYMENT: frozenset({ACCOUNTANT, AUTOMATION}),
        Operation.USE_CREDIT: frozenset({ACCOUNTANT, AUTOMATION}),
    }
)
"""``Operation -> roles``: the roles the default permission set grants each operation
(any one suffices). Clerks edit drafts' lines; accountants change customers' accounts;
automatic processes may hold, keep an overpayment and use credit, as they may book
payments and holds on invoices."""


def _grants(value: Any) -> Any:
    if isinstance(value, Iterable) and not isinstance(value, str):
        try:
            return frozenset(value)
        except TypeError:  # unhashable items: left to the validator
            return tuple(value)
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
            and (grant[0], grant[1]) in TRANSITIONS
        ):
            raise InvalidValueError(field, grant, expected)
        _known_role(field, grant[2])


def _operation_grant_set(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    expected = "(Operation, role) pairs"
    if not isinstance(value, frozenset):
        raise InvalidTypeError(field, value, f"a collection of {expected}")
    for grant in value:
        if not (
            isinstance(grant, tuple)
            and len(grant) == 2
            and isinstance(grant[0], Operation)
            and isinstance(grant[1], str)
        ):
            raise InvalidValueError(field, grant, expected)
        _known_role(field, grant[1])


@attrs.frozen(kw_only=True)
class Permissions:
    """Which roles may perform which command in which state, and which operation.

    ``grants`` holds ``(status, command, role)`` triples, each for a row of the
    transition table: an actor may perform a command in a state when it holds any
    role granted there. ``operations`` holds ``(operation, role)`` pairs likewise for
    the changes outside the table (:class:`Operation`); a set built by hand grants
    none unless it lists them. :meth:`from_table` gives the roles written in the table
    and in :data:`OPERATIONS`.
    """

    grants: frozenset[tuple[Status, Command, str]] = attrs.field(
        converter=_grants, validator=_grant_set
    )
    operations: frozenset[tuple[Operation, str]] = attrs.field(
        default=frozenset(), converter=_grants, validator=_operation_grant_set
    )

    @classmethod
    def from_table(cls) -> Permissions:
        """The default rights: the roles each row of the table and :data:`OPERATIONS` name."""
        return cls(
            grants=frozenset((row.source, row.command, role) for row in ROWS for role in row.roles),
            operations=frozenset((op, role) for op, roles in OPERATIONS.items() for role in roles),
        )

    def roles_for(self, status: Status, command: Command) -> frozenset[str]:
        """The roles that may perform ``command`` in ``status`` (empty: nobody may)."""
        return frozenset(role for (s, c, role) in self.grants if s is status and c is command)

    def allows(self, actor: Actor, status: Status, command: Command) -> bool:
        """Whether ``actor`` holds a role that may perform ``command`` in ``status``."""
        if not isinstance(actor, Actor):
            raise InvalidTypeError("Permissions.allows.actor", actor, "an Actor")
        return not actor.roles.isdisjoint(self.roles_for(status, command))

    def granting(self, status: Status, command: Command, role: str) -> Permissions:
        """These permissions with ``role`` also allowed to perform ``command`` in ``status``."""
        return attrs.evolve(self, grants=[*self.grants, (status, command, role)])

    def revoking(self, status: Status, command: Command, role: str) -> Permissions:
        """These permissions without ``role``'s right to perform ``command`` in ``status``."""
        grant = (status, command, role)
        if not (isinstance(status, Status) and isinstance(command, Command)):
            raise InvalidTypeError("Permissions.revoking", grant, "a Status, a Command and a role")
        return attrs.evolve(self, grants=[g for g in self.grants if g != grant])

    def roles_for_operation(self, operation: Operation) -> frozenset[str]:
        """The roles that may perform ``operation`` (empty: nobody may)."""
        return frozenset(role for (o, role) in self.operations if o is operation)

    def allows_operation(self, actor: Actor, operation: Operation) -> bool:
        """Whether ``actor`` holds a role that may perform ``operation``."""
        if not isinstance(actor, Actor):
            raise InvalidTypeError("Permissions.allows_operation.actor", actor, "an Actor")
        return not actor.roles.isdisjoint(self.roles_for_operation(operation))

    def granting_operation(self, operation: Operation, role: str) -> Permissions:
        """These permissions with ``role`` also allowed to perform ``operation``."""
        return attrs.evolve(self, operations=[*self.operations, (operation, role)])

    def revoking_operation(self, operation: Operation, role: str) -> Permissions:
        """These permissions without ``role``'s right to perform ``operation``."""
        if not isinstance(operation, Operation):
            raise InvalidTypeError(
                "Permissions.revoking_operation.operation", operation, "an Operation"
            )
        return attrs.evolve(self, operations=[g for g in self.operations if g != (operation, role)])


DEFAULT_PERMISSIONS = Permissions.from_table()
"""The rights written in the transition table's rows."""


@attrs.frozen(kw_only=True)
class Authority:
    """Who may do what, one value every act takes: the 2-, 4- or 6-eye principle
    (``eyes``, see the module docs for the exact rules) and the rights (``permissions``,
    by default the roles the table's rows and :data:`OPERATIONS` name)."""

    eyes: int = attrs.field(default=4, validator=_eyes)
    permissions: Permissions = attrs.field(
        default=DEFAULT_PERMISSIONS, validator=v.of_type(Permissions, expected="a Permissions")
    )

    @property
    def allowed_skips(self) -> frozenset[tuple[Status, Command]]:
        """The skip rows automatic actors may perform: those whose acts one actor may combine."""
        return frozenset(
            (row.source, row.command)
            for row in ROWS
            if row.kind is RowKind.SKIP and _acts_allowed_together(self.eyes, row.acts)
        )


def checked_authority(authority: object, operation: str) -> Authority:
    """``authority`` itself; anything else an InvalidTypeError naming ``operation``'s field."""
    if not isinstance(authority, Authority):
        raise InvalidTypeError(f"{operation}.authority", authority, "an Authority")
    return authority


_ROW_BY_MOVE: Mapping[tuple[Status, Status], Row] = {
    (row.source, row.target): row for row in ROWS if row.kind in (RowKind.STEP, RowKind.SKIP)
}
_CREATION_ACTS = {False: frozenset({Act.DRAFT}), True: frozenset({Act.DRAFT, Act.REVIEW})}
_DRAFTING = (EventKind.LINES_EDITED, EventKind.MERGED)


def round_acts(invoice: Invoice) -> Mapping[Act, frozenset[str]]:
    """Who performed which act on the version of the invoice that is about to go out.

    Reviewing and sending count in the current approval round only: the history since
    the invoice last went back to DRAFT (a rejection), or its whole history. Drafting
    counts over the whole history, because the lines written in an earlier round are
    still in the draft: whoever drafted an invoice stays its drafter after a rejection
    (otherwise rejecting it would let its author send it under 4 eyes). Creating the
    invoice counts as drafting (and as reviewing when it was created straight into
    REVIEWED), and so does each entry of edited lines (:data:`Operation.EDIT_LINES`) and
    of merged lines (the authors of every merged draft stay drafters); a transition counts
    as the acts of its row. Steps without an actor are ignored.
    """
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("round_acts.invoice", invoice, "an Invoice")
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
        elif entry.kind in _DRAFTING:
            acts = _CREATION_ACTS[False]
        elif entry.kind is EventKind.TRANSITION:
            row = _ROW_BY_MOVE.get((entry.from_status, entry.to_status))
            acts = row.acts if row is not None else frozenset()
        for act in acts:
            if act is Act.DRAFT or index >= start:
                done[act].add(entry.actor)
    return {act: frozenset(actors) for act, actors in done.items()}


def check_policy(invoice: Invoice, row: Row, actor: Actor, authority: Authority) -> None:
    """Raise :class:`~dunlib.core.errors.PolicyViolationError` when ``actor`` performing ``row`` on
    ``invoice`` breaks the eyes policy of ``authority`` (see the module docs for the rules)."""
    for field, value, kind in (
        ("invoice", invoice, Invoice),
        ("row", row, Row),
        ("actor", actor, Actor),
        ("authority", authority, Authority),
    ):
        if not isinstance(value, kind):
            raise InvalidTypeError(f"check_policy.{field}", value, f"a {kind.__name__}")

    def violation(rule: PolicyRule, reason: str) -> PolicyViolationError:
        return PolicyViolationError(
            actor=actor.id,
            command=row.command.name,
            status=invoice.status,
            invoice_id=invoice.id,
            number=invoice.number,
            eyes=authority.eyes,
            rule=rule,
            reason=reason,
        )

    if row.kind is not RowKind.SKIP and not row.acts:
        return  # a booking row: no act the eyes policy counts
    move = f"{row.source.value}→{row.target.value}"
    if row.kind is RowKind.SKIP:
        if not actor.automatic:
            raise violation(
                PolicyRule.PEOPLE_DO_NOT_SKIP,
                f"{move} skips states, which only automatic actors may do; "
                "take the states one by one",
            )
        if (row.source, row.command) not in authority.allowed_skips:
            allowed = sorted(
                f"{s.value}→{TRANSITIONS[(s, c)].value}" for s, c in authority.allowed_skips
            )
            raise violation(
                PolicyRule.SKIP_NOT_ALLOWED,
                f"the skip {move} is not allowed; allowed skips: {', '.join(allowed) or 'none'}",
            )
    if authority.eyes == 2:
        return
    done = round_acts(invoice)
    drafters = done[Act.DRAFT] | ({actor.id} if Act.DRAFT in row.acts else set())
    reviewers = done[Act.REVIEW] | ({actor.id} if Act.REVIEW in row.acts else set())
    if Act.SEND in row.acts and actor.id in drafters:
        raise violation(
            PolicyRule.SENDER_NOT_DRAFTER,
            f"{actor.id} drafted this invoice; someone else must send it",
        )
    if authority.eyes == 6:
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


AUTOMATIC = Actor(id=_AUTOMATIC_ID, roles={AUTOMATION}, automatic=True)
"""The automatic actor: the seed's automatic processes (payment matching and booking, the
dunning run, automatic sending), passed as ``actor=`` where they act; it holds the
``automation`` role only."""


def checked_actor(actor: object, operation: str) -> Actor:
    """``actor`` when it is an :class:`Actor`; else InvalidTypeError naming the operation."""
    if not isinstance(actor, Actor):
        raise InvalidTypeError(
            f"{operation}.actor", actor, "an Actor (whoever performs the step, with roles)"
        )
    return actor


def actor_id(actor: Actor | str, field: str) -> str:
    """The id written into the history for ``actor``: an :class:`Actor`'s id, or a non-empty id.

    Steps that only record who acted (creating, merging or deriving a draft) take either.
    """
    if isinstance(actor, Actor):
        return actor.id
    if not isinstance(actor, str) or not actor.strip():
        raise InvalidValueError(
            field, actor, "an Actor or the non-empty id of whoever performs the step"
        )
    return actor
