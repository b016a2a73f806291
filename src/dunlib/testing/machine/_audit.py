"""The audit of rights and the eyes policy, read from the table's data: what is wrong
with an invoice's history, a cancelling invoice's, a prepared letter's life."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice
from dunlib.core.status import Status
from dunlib.core.transitions import ROWS, Act, Command, Row, RowKind
from dunlib.portfolio.prepared import LetterState, PreparedLetter
from dunlib.workflow.policy import Actor, Authority, Permissions

_COMMANDS_BY_KIND: dict[EventKind, tuple[Command, ...]] = {
    EventKind.PAYMENT: (Command.PAY,),
    EventKind.PAYMENT_REVERSED: (Command.REVERSE, Command.REOPEN_DUNNED),
    EventKind.FEE_WAIVED: (Command.WAIVE_FEE,),
    EventKind.CREDIT_NOTE: (Command.CREDIT,),
    EventKind.STAGE_ISSUED: (Command.ISSUE_EARLY, Command.DUN),
    EventKind.DUNNING_PAUSED: (Command.PAUSE,),
    EventKind.DUNNING_RESUMED: (Command.RESUME,),
    EventKind.INTEREST: (Command.INTEREST,),
    EventKind.WRITE_OFF: (Command.WRITE_OFF,),
    EventKind.HANDED_TO_COLLECTION: (Command.COLLECT,),
    EventKind.SERVICE_BLOCKED: (Command.BLOCK,),
    EventKind.HOLD_PLACED: (Command.HOLD,),
    EventKind.HOLD_LIFTED: (Command.LIFT_HOLD,),
    EventKind.BOOKED_BY_HAND: (Command.BOOK_BY_HAND,),
    EventKind.DOCUMENT_MADE: (Command.MAKE_DOCUMENT,),
    EventKind.DOCUMENT_RESENT: (Command.RESEND,),
    EventKind.DOCUMENT_PRINTED: (Command.PRINT,),
    EventKind.TRANSITION: tuple(
        {row.command for row in ROWS if row.kind in (RowKind.STEP, RowKind.SKIP)} | {Command.CANCEL}
    ),
}
"""The commands whose rows a history entry of each kind records (creating and merging a
draft are no rows: whoever drafts is counted by the eyes policy instead)."""
_DOCUMENT_KINDS = (EventKind.DOCUMENT_MADE, EventKind.DOCUMENT_RESENT, EventKind.DOCUMENT_PRINTED)
_SETTLE = {row.source: row for row in ROWS if row.command is Command.SETTLE}
_ACTS = {
    (row.source, row.target): row.acts
    for row in ROWS
    if row.kind in (RowKind.STEP, RowKind.SKIP) or row.command is Command.BOOK_BY_HAND
}


def _rows_of(from_status: Status, to_status: Status, kind: EventKind) -> list[Row] | None:
    """The rows an entry records (a booking and the SETTLE it led to), or None for none."""
    commands = _COMMANDS_BY_KIND[kind]
    for row in ROWS:
        if row.source is not from_status or row.command not in commands:
            continue
        if row.target is to_status:
            return [row]
        settle = _SETTLE.get(row.target)
        if settle is not None and settle.target is to_status and row.kind is RowKind.BOOKING:
            return [row, settle]
    return None


def cancelling_breaches(
    cancelling: Invoice,
    original: Invoice,
    actors: Mapping[str, Actor],
    permissions: Permissions | None = None,
) -> list[str]:
    """What is wrong with a cancelling invoice's history: it is drafted, booked by the skip of
    an automatic step and cleared by the SETTLE row on the day the original was cancelled,
    each step on behalf of whoever cancelled the original, who holds the CANCEL row's roles;
    the documents made of it since are audited as any invoice's steps."""
    cancel = next((e for e in original.history if e.to_status is Status.CANCELLED), None)
    if cancel is None:
        return [f"{cancelling.id}: cancels {original.id}, which is not cancelled"]
    history = cancelling.history
    moves = [(e.from_status, e.to_status, e.actor, e.on) for e in history[:3]]
    expected = [
        (Status.DRAFT, Status.DRAFT, cancel.actor, cancel.on),
        (Status.DRAFT, Status.SENT, cancel.actor, cancel.on),
        (Status.SENT, Status.PAID, cancel.actor, cancel.on),
    ]
    breaches = [] if moves == expected else [f"{cancelling.id}: {moves}"]
    rights = permissions or Permissions.from_table()
    for entry in history[3:]:
        rows = _rows_of(entry.from_status, entry.to_status, entry.kind)
        actor = actors.get(entry.actor)
        if rows is None or actor is None or entry.kind not in _DOCUMENT_KINDS:
            breaches.append(f"{cancelling.id} {entry.kind.value}: not a document of the table")
        elif actor.roles.isdisjoint(rights.roles_for(rows[0].source, rows[0].command)):
            breaches.append(f"{cancelling.id} {entry.kind.value}: {actor.id} has no right")
    roles = rights.roles_for(cancel.from_status, Command.CANCEL)
    if actors[cancel.actor].roles.isdisjoint(roles):
        breaches.append(f"{original.id}: cancelled by {cancel.actor} without the right")
    return breaches


def history_breaches(
    invoice: Invoice,
    actors: Mapping[str, Actor],
    editors: Iterable[str],
    eyes: int,
    permissions: Permissions | None = None,
) -> list[str]:
    """Every step in ``invoice``'s history its actor had no right to (the roles of the table's
    rows, ``actors`` telling each id's roles), or that the eyes policy of ``eyes`` forbids.

    Drafters are the creator, the authors of merged lines, whoever took the invoice out of
    DRAFT and ``editors`` (whoever edited its lines); reviewers count since the last return
    to DRAFT.
    """
    breaches: list[str] = []
    drafters = set(editors)
    reviewers: set[str] = set()
    skips = Authority(eyes=eyes).allowed_skips
    rights = permissions or Permissions.from_table()
    for entry in invoice.history:
        where = f"{invoice.id} {entry.kind.value} {entry.from_status.name}->{entry.to_status.name}"
        if entry.kind in (EventKind.CREATED, EventKind.MERGED):
            drafters.add(entry.actor)
            if entry.to_status is not Status.DRAFT:
                breaches.append(f"{where}: a draft created outside DRAFT")
            continue
        if entry.kind not in _COMMANDS_BY_KIND:
            continue
        rows = _rows_of(entry.from_status, entry.to_status, entry.kind)
        actor = actors.get(entry.actor)
        if rows is None or actor is None:
            breaches.append(f"{where}: no row of the table, or no known actor ({entry.actor!r})")
            continue
        for row in rows:
            roles = rights.roles_for(row.source, row.command)
            if actor.roles.isdisjoint(roles):
                breaches.append(f"{where}: {actor.id} holds none of {sorted(roles)}")
            if row.kind is RowKind.SKIP and (
                not actor.automatic or (row.source, row.command) not in skips
            ):
                breaches.append(f"{where}: a skip by {actor.id} under {eyes} eyes")
        if entry.to_status is Status.DRAFT:
            reviewers = set()
        acts = _ACTS.get((entry.from_status, entry.to_status), frozenset())
        if Act.DRAFT in acts:
            drafters.add(actor.id)
        if Act.REVIEW in acts:
            if eyes == 6 and actor.id in drafters:
                breaches.append(f"{where}: {actor.id} drafted and reviewed")
            reviewers.add(actor.id)
        if Act.SEND in acts and eyes >= 4 and actor.id in drafters:
            breaches.append(f"{where}: {actor.id} drafted and sent")
        if Act.SEND in acts and eyes == 6 and actor.id in reviewers:
            breaches.append(f"{where}: {actor.id} reviewed and sent")
    return breaches


def letter_breaches(
    prepared: PreparedLetter,
    actors: Mapping[str, Actor],
    eyes: int,
    permissions: Permissions | None = None,
) -> list[str]:
    """Every step of a prepared letter's life its actor had no right to, or that the eyes
    policy forbids (the invoices' SENT step is booked on them and audited there)."""
    by_state = {
        LetterState.PREPARED: Command.PREPARE_MANUAL_LETTER
        if prepared.manual
        else Command.PREPARE_LETTER,
        LetterState.APPROVED: Command.APPROVE_LETTER,
        LetterState.REJECTED: Command.REJECT_LETTER,
        LetterState.WITHDRAWN: Command.WITHDRAW_LETTER,
        LetterState.SUPERSEDED: Command.SUPERSEDE_LETTER,
    }
    rights = permissions or Permissions.from_table()
    breaches: list[str] = []
    people: dict[LetterState, str] = {}
    for step in prepared.steps:
        actor = actors[step.actor]
        people[step.state] = actor.id
        command = by_state.get(step.state)
        if command is None:
            continue
        for invoice in prepared.invoices:
            if actor.roles.isdisjoint(rights.roles_for(invoice.status, command)):
                breaches.append(f"{invoice.id}: {actor.id} may not {command.name}")
    preparer, approver = people.get(LetterState.PREPARED), people.get(LetterState.APPROVED)
    sender = people.get(LetterState.SENT)
    if eyes >= 4 and approver is not None and approver == preparer:
        breaches.append(f"{approver} prepared and approved a letter")
    if eyes == 6 and sender is not None and sender in (preparer, approver):
        breaches.append(f"{sender} prepared or approved the letter it sent")
    return breaches
