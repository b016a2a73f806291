"""Stateful: every public operation on invoices, by random actors under a random policy,
keeps the laws of the one booking path.

Random actors (random sets of the four roles, automatic or not) create, edit and merge
drafts, take workflow steps (``transition``, ``send``), derive and book credit notes
(``derive_credit_note`` + ``record_credit_note``, ``credit``), cancel, write off, record
dunning documents the engine decides (``next_dunning_action`` + ``record_stage``, over
rules with a fee), record interest and payments, pause and resume, under a 2-, 4- or
6-eye policy. Many attempts are refused: a refusal must be a typed DunlibError (a
StepRefusedError naming the invoice, its state, the command and the actor, for the
booking path) and must leave the invoice unchanged.

Line edits and merges need the clerk's right to edit lines. After every step: each
invoice's history is a chain of table rows (and drafting entries in DRAFT), dated in
order, and only grows; from SENT on lines and gross never change; no history breaks the eyes policy
(an oracle written from docs/workflow.md, not from the code); no money is created or lost
(gross + fees + interest == paid + discounts + credited + written off + open, and the
replayed balance equals the open amount); PAID, CANCELLED and WRITTEN_OFF invoices have
nothing open; a DUNNED one has a notice; invoice numbers are unique and gapless.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import attrs
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from builders import ACME, D0, line
from dunlib import (
    Actor,
    Authority,
    Command,
    CreditNote,
    DunlibError,
    DunningRules,
    DunningStage,
    InvalidValueError,
    Invoice,
    IssueStage,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PermissionDeniedError,
    StageKind,
    Status,
    StepRefusedError,
    TriggerBasis,
    add_line,
    balance,
    cancel,
    create_draft,
    credit,
    derive_credit_note,
    merge_drafts,
    next_dunning_action,
    pause,
    record_credit_note,
    record_interest,
    record_payment,
    record_stage,
    resume,
    send,
    transition,
    write_off,
)
from dunlib.core import (
    DocumentNotAllowedError,
    EventKind,
    InterestCharge,
    InvoiceLockedError,
    PaymentRejectedError,
)
from dunlib.core.transitions import ROLES, ROWS
from dunlib.strategies import authorities

START = D0
IDS = ("alice", "bob", "carol", "dave", "robot")

CAST = (
    Actor(id="ann", roles={"clerk", "reviewer", "accountant"}),
    Actor(id="ben", roles={"clerk", "reviewer", "accountant"}),
    Actor(id="cat", roles={"reviewer", "accountant"}),
    Actor(id="bot", roles={"automation", "accountant"}, automatic=True),
)
ACTORS = st.one_of(
    st.builds(
        Actor,
        id=st.sampled_from(IDS),
        roles=st.frozensets(st.sampled_from(sorted(ROLES))),
        automatic=st.booleans(),
    ),
    st.sampled_from(CAST),
)
"""Random actors: random role sets, automatic or not (one id may act with other roles
later), or half the time one of a cast that holds most roles, so runs get far."""

RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.BEFORE_DUE_DATE),
        DunningStage(StageKind.NOTICE, days_overdue=0, fee=Money("5.00", "EUR")),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=Money("10.00", "EUR")),
    )
)

# The docs' reading, restated independently of dunlib.core.transitions and dunlib.workflow.policy.
S = Status
SKIPS = {(S.DRAFT, S.REVIEWED), (S.DRAFT, S.SENT), (S.CREATED, S.SENT)}
ACTS = {
    (S.DRAFT, S.CREATED): {"draft"},
    (S.DRAFT, S.REVIEWED): {"draft", "review"},
    (S.DRAFT, S.SENT): {"draft", "review", "send"},
    (S.CREATED, S.REVIEWED): {"review"},
    (S.CREATED, S.SENT): {"review", "send"},
    (S.REVIEWED, S.SENT): {"send"},
}
SKIPS_ALLOWED = {2: SKIPS, 4: {(S.DRAFT, S.REVIEWED), (S.CREATED, S.SENT)}, 6: set()}
MOVES = {(row.source, row.target) for row in ROWS}
DRAFTING = (EventKind.CREATED, EventKind.MERGED, EventKind.LINES_EDITED)
"""Entries whose actor drafted: creating, merging, editing lines (in DRAFT, no move)."""
FINAL = (Status.PAID, Status.CANCELLED, Status.WRITTEN_OFF)
ZERO = Money.zero("EUR")

_T = TypeVar("_T")


def policy_breaches(invoice: Invoice, eyes: int, automatic: set[int]) -> list[str]:
    """Every place the history breaks the eyes policy of docs/workflow.md.

    ``automatic`` holds the indices of the history entries an automatic actor performed.
    """
    breaches: list[str] = []
    drafters: set[str] = set()
    reviewers: set[str] = set()
    notes = iter(invoice.credit_notes)
    for index, entry in enumerate(invoice.history):
        if entry.kind in DRAFTING:
            drafters.add(entry.actor)
            continue
        if entry.kind is EventKind.CREDIT_NOTE:
            note = next(notes)
            if eyes >= 4 and note.drafted_by in ("", entry.actor):
                breaches.append(f"{entry.actor} booked credit note {note.id} it drafted")
            continue
        if entry.kind is not EventKind.TRANSITION:
            continue
        move = (entry.from_status, entry.to_status)
        if entry.to_status is S.DRAFT:
            reviewers = set()  # a new round; the drafters of the lines stay drafters
            continue
        actor = entry.actor
        if move in SKIPS and index not in automatic:
            breaches.append(f"person {actor} skipped {move}")
        if move in SKIPS and move not in SKIPS_ALLOWED[eyes]:
            breaches.append(f"skip {move} under {eyes} eyes")
        acts = ACTS.get(move, set())
        drafters |= {actor} if "draft" in acts else set()
        reviewers |= {actor} if "review" in acts else set()
        if eyes >= 4 and "send" in acts and actor in drafters:
            breaches.append(f"{actor} drafted and sent")
        if eyes == 6 and "review" in acts and actor in drafters:
            breaches.append(f"{actor} drafted and reviewed")
        if eyes == 6 and "send" in acts and actor in reviewers:
            breaches.append(f"{actor} reviewed and sent")
    return breaches


class BookingMachine(RuleBasedStateMachine):
    """A ledger of invoices worked on by random actors under one policy."""

    def __init__(self) -> None:
        super().__init__()
        self.policy = Authority(eyes=2)
        self.invoices: dict[str, Invoice] = {}
        self.histories: dict[str, int] = {}
        self.frozen: dict[str, tuple[tuple[LineItem, ...], Money]] = {}
        self.automatic: dict[str, set[int]] = {}
        self.notes: list[tuple[str, CreditNote]] = []
        self.first = NumberSequence(prefix="RE-", next_value=1, width=4)
        self.sequence = self.first
        self.bookings: list[str] = []
        self.today = START
        self.counter = 0

    # -- helpers ------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def _pick(self, data: st.DataObject, *, status: Status | None = None) -> Invoice:
        """Any invoice; or one of those furthest along, or in ``status`` when there is one."""
        keys = sorted(self.invoices)
        preferred = [k for k in keys if self.invoices[k].status is status]
        prefer: bool = data.draw(st.booleans())
        if preferred and prefer:
            keys = preferred
        elif data.draw(st.booleans()):
            furthest = max(self.invoices[key].status for key in keys)
            keys = [key for key in keys if self.invoices[key].status is furthest]
        return self.invoices[data.draw(st.sampled_from(keys))]

    def _store(self, invoice: Invoice, actor: Actor | None = None) -> None:
        old = self.invoices.get(invoice.id)
        if old is not None:
            assert invoice.history[: len(old.history)] == old.history, "history rewritten"
            assert len(invoice.history) >= len(old.history)
        if actor is not None and actor.automatic:
            self.automatic.setdefault(invoice.id, set()).add(len(invoice.history) - 1)
        self.invoices[invoice.id] = invoice

    def _attempt(
        self,
        name: str,
        invoice: Invoice,
        step: Callable[[], _T],
        refusals: tuple[type[DunlibError], ...],
        actor: Actor | None = None,
    ) -> _T | None:
        """``step()``, or None when it is refused with one of ``refusals``: then ``invoice``
        is unchanged, and a refusal of the booking path names the invoice, its state and
        ``actor``."""
        before = copy.deepcopy(invoice)
        refusal: DunlibError | None = None
        try:
            result = step()
        except refusals as refused:
            refusal = refused
        if refusal is None:
            event(f"{name} in {invoice.status.name}: done")
            return result
        assert invoice == before, f"{name}: a refused step changed the invoice"
        assert invoice.history == before.history
        if isinstance(refusal, StepRefusedError):
            assert (refusal.invoice_id, refusal.status) == (invoice.id, invoice.status)
            if actor is not None:
                assert refusal.actor == actor.id
        event(f"{name} in {invoice.status.name}: refused {type(refusal).__name__}")
        return None

    # -- drafts -------------------------------------------------------------------------

    @initialize(policy=authorities(), creators=st.lists(ACTORS, min_size=2, max_size=3))
    def start(self, policy: Authority, creators: list[Actor]) -> None:
        self.policy = policy
        for creator in creators:
            self.create(creator, ["100.00", "19.99"], negative=False)

    @rule(
        actor=ACTORS,
        prices=st.lists(st.sampled_from(("10.00", "99.99", "0.01", "250.00", "0.00")), max_size=3),
        negative=st.booleans(),
    )
    def create(self, actor: Actor, prices: list[str], negative: bool) -> None:
        lines = [line(price) for price in prices]
        if negative:
            lines.append(line("300.00", quantity=-1))
        draft = create_draft(
            id=self._id("D"), customer=ACME, currency="EUR", actor=actor, on=self.today, lines=lines
        )
        self._store(draft)

    @rule(data=st.data(), actor=ACTORS, price=st.sampled_from(("5.00", "120.00")))
    def add_a_line(self, data: st.DataObject, actor: Actor, price: str) -> None:
        invoice = self._pick(data, status=Status.DRAFT)
        edited = self._attempt(
            "add_line",
            invoice,
            lambda: add_line(
                invoice, line(price), actor=actor, on=self.today, authority=Authority()
            ),
            (InvoiceLockedError, PermissionDeniedError),
            actor,
        )
        if edited is None:
            assert invoice.status is not Status.DRAFT or "clerk" not in actor.roles
            return
        assert invoice.status is Status.DRAFT
        assert "clerk" in actor.roles
        assert edited.history[-1].actor == actor.id
        self._store(edited)

    @rule(data=st.data(), actor=ACTORS)
    def merge(self, data: st.DataObject, actor: Actor) -> None:
        keys = sorted(self.invoices)
        if len(keys) < 2:
            return
        chosen = data.draw(st.lists(st.sampled_from(keys), min_size=2, max_size=3, unique=True))
        drafts = [self.invoices[key] for key in chosen]
        merged = self._attempt(
            "merge_drafts",
            drafts[0],
            lambda: merge_drafts(drafts, actor=actor, on=self.today, authority=Authority()),
            (InvoiceLockedError, PermissionDeniedError),
        )
        if merged is None:
            assert any(d.status is not Status.DRAFT for d in drafts) or "clerk" not in actor.roles
            return
        authors = {e.actor for d in drafts for e in d.history if e.kind is EventKind.CREATED}
        kept = {e.actor for e in merged.history if e.kind in (EventKind.CREATED, EventKind.MERGED)}
        assert authors | {actor.id} <= kept, "a drafter was lost in the merge"
        for other in drafts[1:]:
            del self.invoices[other.id]
            self.histories.pop(other.id, None)
            self.automatic.pop(other.id, None)
        self._store(merged)

    # -- the workflow -------------------------------------------------------------------

    @rule(
        data=st.data(),
        actor=ACTORS,
        command=st.sampled_from((Command.SUBMIT, Command.APPROVE, Command.REJECT))
        | st.sampled_from(Command),
    )
    def take_a_step(self, data: st.DataObject, actor: Actor, command: Command) -> None:
        self.step_by(self._pick(data), actor, command)

    def step_by(self, invoice: Invoice, actor: Actor, command: Command) -> None:
        moved = self._attempt(
            f"transition {command.name}",
            invoice,
            lambda: transition(invoice, command, actor=actor, on=self.today, authority=self.policy),
            (StepRefusedError,),
            actor,
        )
        if moved is not None:
            assert moved.status is not Status.SENT, "transition never books"
            self._store(moved, actor)

    @rule(data=st.data(), actor=ACTORS)
    def send_it(self, data: st.DataObject, actor: Actor) -> None:
        self.send_it_by(self._pick(data, status=Status.REVIEWED), actor)

    def send_it_by(self, invoice: Invoice, actor: Actor) -> None:
        sent = self._attempt(
            "send",
            invoice,
            lambda: send(
                invoice, actor=actor, on=self.today, authority=self.policy, sequence=self.sequence
            ),
            (StepRefusedError,),
            actor,
        )
        if sent is None:
            return
        assert sent.invoice.status is Status.SENT
        assert sent.invoice.number == self.sequence.next_number
        self.bookings.append(sent.invoice.number)
        self.sequence = sent.sequence
        self._store(sent.invoice, actor)

    # -- credit notes, cancellation, write-off ------------------------------------------

    @rule(data=st.data(), drafter=ACTORS, whole=st.booleans())
    def derive_a_credit_note(self, data: st.DataObject, drafter: Actor, whole: bool) -> None:
        invoice = self._pick(data, status=Status.SENT)
        note = self._attempt(
            "derive_credit_note",
            invoice,
            lambda: derive_credit_note(
                invoice,
                id=self._id("G"),
                on=self.today,
                actor=drafter,
                selection=None if whole else [0],
            ),
            (DocumentNotAllowedError, InvalidValueError),
        )
        if note is not None:
            assert note.drafted_by == drafter.id
            self.notes.append((invoice.id, note))

    @rule(data=st.data(), actor=ACTORS)
    def apply_a_credit_note(self, data: st.DataObject, actor: Actor) -> None:
        pending = [(key, note) for key, note in self.notes if key in self.invoices]
        if not pending:
            return
        key, drafted = data.draw(st.sampled_from(pending))
        invoice = self.invoices[key]
        note = attrs.evolve(drafted, on=self.today)  # a note takes effect the day it is booked
        booked = self._attempt(
            "record_credit_note",
            invoice,
            lambda: record_credit_note(
                invoice, note, actor=actor, on=self.today, authority=self.policy
            ),
            (StepRefusedError,),
            actor,
        )
        if booked is not None:
            assert booked.credit_notes == (*invoice.credit_notes, note)
            self.notes.remove((key, drafted))
            self._store(booked, actor)

    @rule(data=st.data(), actor=ACTORS, drafter=ACTORS, whole=st.booleans())
    def credit_it(self, data: st.DataObject, actor: Actor, drafter: Actor, whole: bool) -> None:
        invoice = self._pick(data, status=Status.DUNNED)
        result = self._attempt(
            "credit",
            invoice,
            lambda: credit(
                invoice,
                id=self._id("G"),
                actor=actor,
                on=self.today,
                authority=self.policy,
                drafted_by=drafter,
                selection=None if whole else [0],
            ),
            (StepRefusedError, DocumentNotAllowedError, InvalidValueError),
        )
        if result is not None:
            assert result.note.drafted_by == drafter.id
            self._store(result.invoice, actor)

    @rule(data=st.data(), actor=ACTORS)
    def cancel_it(self, data: st.DataObject, actor: Actor) -> None:
        self.cancel_by(self._pick(data, status=Status.SENT), actor)

    def cancel_by(self, invoice: Invoice, actor: Actor) -> None:
        result = self._attempt(
            "cancel",
            invoice,
            lambda: cancel(
                invoice,
                id=self._id("S"),
                actor=actor,
                on=self.today,
                sequence=self.sequence,
                authority=Authority(),
            ),
            (StepRefusedError, DocumentNotAllowedError),
            actor,
        )
        if result is None:
            return
        assert result.cancelling.number == self.sequence.next_number
        self.bookings.append(result.cancelling.number)
        self.sequence = result.sequence
        self._store(result.original, actor)
        self._store(result.cancelling)

    @rule(data=st.data(), actor=ACTORS)
    def write_it_off(self, data: st.DataObject, actor: Actor) -> None:
        self.write_off_by(self._pick(data, status=Status.DUNNED), actor)

    def write_off_by(self, invoice: Invoice, actor: Actor) -> None:
        written = self._attempt(
            "write_off",
            invoice,
            lambda: write_off(invoice, actor=actor, on=self.today, authority=Authority()),
            (StepRefusedError,),
            actor,
        )
        if written is not None:
            assert written.written_off == invoice.written_off + invoice.open_amount
            self._store(written, actor)

    # -- dunning, interest, payments, suspension ----------------------------------------

    @rule(data=st.data(), actor=ACTORS, fee_before_due=st.booleans())
    def record_a_notice(self, data: st.DataObject, actor: Actor, fee_before_due: bool) -> None:
        """Book what the engine decides today; now and then a pre-due reminder with a fee
        (refused: nothing is owed before the due date)."""
        self.notice_by(self._pick(data, status=Status.SENT), actor, fee_before_due=fee_before_due)

    def notice_by(self, invoice: Invoice, actor: Actor, *, fee_before_due: bool) -> None:
        action = next_dunning_action(invoice, RULES, today=self.today)
        if not isinstance(action, IssueStage):
            return
        if fee_before_due and action.on <= invoice.due_date:
            action = attrs.evolve(action, fee=Money("2.50", "EUR"))
        noticed = self._attempt(
            "record_stage",
            invoice,
            lambda: record_stage(invoice, action, actor=actor, authority=Authority()),
            (StepRefusedError,),
            actor,
        )
        if noticed is None:
            return
        assert noticed.dunning_level == invoice.dunning_level + 1
        expected = Status.DUNNED if action.on > invoice.due_date else Status.SENT
        assert noticed.status is expected
        self._store(noticed, actor)

    @rule(data=st.data(), actor=ACTORS, amount=st.sampled_from(("0.01", "0.50", "1.50")))
    def record_some_interest(self, data: st.DataObject, actor: Actor, amount: str) -> None:
        invoice = self._pick(data, status=Status.DUNNED)
        if any(done.on >= self.today for done in invoice.interest_charges):
            return  # a day is claimed once (record_interest refuses it, by its value)
        charge = InterestCharge(on=self.today, amount=Money(amount, "EUR"))
        charged = self._attempt(
            "record_interest",
            invoice,
            lambda: record_interest(invoice, charge, actor=actor, authority=Authority()),
            (StepRefusedError,),
            actor,
        )
        if charged is not None:
            assert charged.interest_charged == invoice.interest_charged + charge.amount
            self._store(charged, actor)

    @rule(
        data=st.data(),
        actor=ACTORS,
        share=st.sampled_from(("cent", "half", "whole", "over")),
    )
    def pay(self, data: st.DataObject, actor: Actor, share: str) -> None:
        self.pay_by(self._pick(data, status=Status.DUNNED), actor, share)

    def pay_by(self, invoice: Invoice, actor: Actor, share: str) -> None:
        open_amount = max(invoice.open_amount, Money("0.01", "EUR"))
        amount = {
            "cent": Money("0.01", "EUR"),
            "half": max(open_amount.allocate([1, 1])[0], Money("0.01", "EUR")),
            "whole": open_amount,
            "over": open_amount + Money("10.00", "EUR"),
        }[share]
        payment = Payment(on=self.today, amount=amount)
        result = self._attempt(
            "record_payment",
            invoice,
            lambda: record_payment(invoice, payment, actor=actor, authority=Authority()),
            (StepRefusedError, PaymentRejectedError),
            actor,
        )
        if result is None:
            return
        applied = ZERO if result.payment is None else result.payment.settled
        assert applied + result.overpayment == amount + (
            ZERO
            if result.payment is None or result.payment.discount is None
            else result.payment.discount
        )
        assert result.is_settled is (result.invoice.status is Status.PAID)
        assert len(result.invoice.history) == len(invoice.history) + 1
        self._store(result.invoice, actor)

    @rule(data=st.data(), actor=ACTORS, pausing=st.booleans())
    def pause_or_resume(self, data: st.DataObject, actor: Actor, pausing: bool) -> None:
        self.pause_or_resume_by(self._pick(data, status=Status.SENT), actor, pausing)

    def pause_or_resume_by(self, invoice: Invoice, actor: Actor, pausing: bool) -> None:
        operation = pause if pausing else resume
        changed = self._attempt(
            operation.__name__,
            invoice,
            lambda: operation(invoice, on=self.today, actor=actor, authority=Authority()),
            (StepRefusedError,),
            actor,
        )
        if changed is not None:
            assert (changed.paused_since is None) is not pausing
            self._store(changed, actor)

    @rule(data=st.data(), burst=st.integers(min_value=1, max_value=8))
    def advance(self, data: st.DataObject, burst: int) -> None:
        """Up to ``burst`` steps on one invoice, each one an operation its state takes, by a
        random actor; the clock may jump to the due date. This takes runs deep (dunned,
        written off, paid, cancelled) where the single rules mostly get refused."""
        open_ = [key for key, inv in self.invoices.items() if inv.status not in FINAL]
        if not open_:
            return
        key = data.draw(st.sampled_from(sorted(open_)))
        for _ in range(burst):
            invoice = self.invoices[key]
            actor = data.draw(ACTORS)
            status = invoice.status
            if status is Status.DRAFT:
                if data.draw(st.booleans()):
                    self.send_it_by(invoice, actor)
                else:
                    self.step_by(invoice, actor, Command.SUBMIT)
            elif status is Status.CREATED:
                command = data.draw(st.sampled_from((Command.APPROVE, Command.REJECT)))
                self.step_by(invoice, actor, command)
            elif status is Status.REVIEWED:
                self.send_it_by(invoice, actor)
            elif status in (Status.SENT, Status.DUNNED):
                if data.draw(st.booleans()):
                    self.today = max(self.today, invoice.due_date)
                choice = data.draw(
                    st.sampled_from(
                        ("notice", "notice", "notice", "pay", "pause", "write_off", "cancel")
                    )
                )
                if choice == "notice":
                    self.notice_by(invoice, actor, fee_before_due=data.draw(st.booleans()))
                elif choice == "pay":
                    share = data.draw(st.sampled_from(("cent", "half", "whole", "over")))
                    self.pay_by(invoice, actor, share)
                elif choice == "pause":
                    self.pause_or_resume_by(invoice, actor, invoice.paused_since is None)
                elif choice == "write_off":
                    self.write_off_by(invoice, actor)
                else:
                    self.cancel_by(invoice, actor)
            else:
                return

    @rule(days=st.integers(min_value=1, max_value=30))
    def next_days(self, days: int) -> None:
        self.today += dt.timedelta(days=days)

    # -- invariants -----------------------------------------------------------------------

    @invariant()
    def histories_are_chains_of_table_rows_in_date_order(self) -> None:
        for invoice in self.invoices.values():
            state = invoice.history[0].from_status
            for before, entry in zip(invoice.history, invoice.history[1:], strict=False):
                assert before.on <= entry.on, f"{invoice.id}: history goes back in time"
            for entry in invoice.history:
                assert entry.from_status is state, f"{invoice.id}: broken chain"
                if entry.kind in DRAFTING:
                    assert entry.from_status is Status.DRAFT
                else:
                    assert (entry.from_status, entry.to_status) in MOVES, entry
                state = entry.to_status
            assert state is invoice.status

    @invariant()
    def history_only_grows(self) -> None:
        for key, invoice in self.invoices.items():
            assert len(invoice.history) >= self.histories.get(key, 0)
            self.histories[key] = len(invoice.history)

    @invariant()
    def booked_lines_and_gross_never_change(self) -> None:
        for key, invoice in self.invoices.items():
            if not invoice.status.is_booked:
                assert key not in self.frozen, f"{key} left the booked states"
                continue
            snapshot = (invoice.lines, invoice.gross)
            assert self.frozen.setdefault(key, snapshot) == snapshot

    @invariant()
    def no_policy_is_violated(self) -> None:
        eyes = self.policy.eyes
        for invoice in self.invoices.values():
            if invoice.cancels is None:
                automatic = self.automatic.get(invoice.id, set())
                assert policy_breaches(invoice, eyes, automatic) == []

    @invariant()
    def no_money_is_created_or_lost(self) -> None:
        for invoice in self.invoices.values():
            charged = invoice.gross + invoice.fees + invoice.interest_charged
            cleared = invoice.paid + invoice.discounts + invoice.credited + invoice.written_off
            assert charged == cleared + invoice.open_amount, invoice.id
            if invoice.status.is_booked:
                assert balance(invoice).total == invoice.open_amount, invoice.id

    @invariant()
    def final_states_have_nothing_open(self) -> None:
        for invoice in self.invoices.values():
            if invoice.status in (Status.PAID, Status.CANCELLED, Status.WRITTEN_OFF):
                assert invoice.is_settled, f"{invoice.id} in {invoice.status.name} owes"
            if invoice.status in (Status.CANCELLED, Status.WRITTEN_OFF):
                assert invoice.open_amount.is_zero
            if invoice.status is Status.DUNNED:
                assert invoice.issued_stages, f"{invoice.id} is DUNNED without a notice"

    @invariant()
    def numbers_are_unique_and_gapless(self) -> None:
        expected = [self.first.format(n) for n in range(1, len(self.bookings) + 1)]
        assert self.bookings == expected
        numbers = [inv.number for inv in self.invoices.values() if inv.status.is_booked]
        assert sorted(numbers) == sorted(self.bookings)
        assert len(set(numbers)) == len(numbers)
        assert self.sequence.next_value == len(self.bookings) + 1


BookingMachine.TestCase.settings = settings(
    max_examples=max(75, settings().max_examples // 10), stateful_step_count=50
)
test_booking_laws_hold_for_random_runs = BookingMachine.TestCase
