"""Stateful: random commands by random actors under a random policy keep the workflow's laws.

After every step: each invoice's state is reachable by the table and its history is a
chain of table rows; histories only grow; from SENT on lines and gross never change; no
history breaks the policy (checked by an oracle written from docs/workflow.md, not from
the code); invoice numbers are unique and gapless over every booking of the run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from dunlib import (
    Customer,
    DocumentNotAllowedError,
    EventKind,
    GuardFailedError,
    InvalidValueError,
    Invoice,
    InvoiceLockedError,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PermissionDeniedError,
    PolicyViolationError,
    TransitionNotAllowedError,
)
from dunlib.documents import cancel, credit
from dunlib.drafts import add_line, create_draft, remove_line
from dunlib.strategies import approval_policies
from dunlib.workflow import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    REVIEWER,
    TRANSITIONS,
    Actor,
    ApprovalPolicy,
    Command,
    Status,
    transition,
)

ACME = Customer(id="C-1", name="ACME GmbH")
START = dt.date(2026, 1, 5)

ACTORS = (
    Actor(id="alice", roles={CLERK, REVIEWER, ACCOUNTANT}),
    Actor(id="bob", roles={CLERK, REVIEWER, ACCOUNTANT}),
    Actor(id="carol", roles={REVIEWER, ACCOUNTANT}),
    Actor(id="dave", roles={CLERK}),
    Actor(id="robot", roles={AUTOMATION, ACCOUNTANT}, automatic=True),
    Actor(id="cron", roles={AUTOMATION, CLERK}, automatic=True),
)
AUTOMATIC = frozenset(actor.id for actor in ACTORS if actor.automatic)

REFUSALS = (
    TransitionNotAllowedError,
    PermissionDeniedError,
    PolicyViolationError,
    GuardFailedError,
)

# The docs' reading, restated independently of dunlib.transitions and dunlib.workflow.
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


def policy_breaches(invoice: Invoice, eyes: int) -> list[str]:
    """Every place the history breaks the eyes policy of docs/workflow.md."""
    breaches: list[str] = []
    drafters: set[str] = set()
    reviewers: set[str] = set()
    for entry in invoice.history:
        if entry.kind is EventKind.CREATED:
            drafters.add(entry.actor)
            continue
        if entry.kind is not EventKind.TRANSITION:
            continue
        move = (entry.from_status, entry.to_status)
        if entry.to_status is S.DRAFT:
            reviewers = set()  # a new round; the drafters of the lines stay drafters
            continue
        actor = entry.actor
        if move in SKIPS and actor not in AUTOMATIC:
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


def reachable() -> set[Status]:
    seen, frontier = {Status.DRAFT}, [Status.DRAFT]
    while frontier:
        state = frontier.pop()
        for (source, _), target in TRANSITIONS.items():
            if source is state and target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def commands_for(status: Status) -> st.SearchStrategy[Command]:
    """Half the time a command the table has for ``status``, else any command."""
    in_table = sorted((c for (s, c) in TRANSITIONS if s is status), key=lambda c: c.value)
    anything = st.sampled_from(list(Command))
    return st.sampled_from(in_table) | anything if in_table else anything


COMMANDS = {status: commands_for(status) for status in Status}
REACHABLE = reachable()
MOVES = {(source, target) for (source, _), target in TRANSITIONS.items()}


def item(price: str, quantity: int = 1) -> LineItem:
    return LineItem(
        description="Item", quantity=quantity, unit_price=Money(price, "EUR"), tax_rate=19
    )


class WorkflowMachine(RuleBasedStateMachine):
    """A ledger of invoices worked on by six actors under one policy."""

    def __init__(self) -> None:
        super().__init__()
        self.policy = ApprovalPolicy(eyes=2)
        self.invoices: dict[str, Invoice] = {}
        self.histories: dict[str, int] = {}
        self.frozen: dict[str, tuple[tuple[LineItem, ...], Money]] = {}
        self.first = NumberSequence(prefix="RE-", next_value=1, width=4)
        self.sequence = self.first
        self.bookings: list[str] = []
        self.today = START
        self.counter = 0

    def _id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def _pick(self, data: st.DataObject) -> Invoice:
        """Any invoice, or (half the time) one of those furthest along, to reach late states."""
        keys = sorted(self.invoices)
        if data.draw(st.booleans()):
            furthest = max(self.invoices[key].status for key in keys)
            keys = [key for key in keys if self.invoices[key].status is furthest]
        return self.invoices[data.draw(st.sampled_from(keys))]

    def _store(self, invoice: Invoice) -> None:
        old = self.invoices.get(invoice.id)
        if old is not None:
            assert invoice.history[: len(old.history)] == old.history, "history rewritten"
            assert len(invoice.history) >= len(old.history)
        self.invoices[invoice.id] = invoice

    @initialize(
        policy=approval_policies(),
        creators=st.lists(st.sampled_from(ACTORS), min_size=2, max_size=4),
    )
    def start(self, policy: ApprovalPolicy, creators: list[Actor]) -> None:
        self.policy = policy
        for creator in creators:
            self.create(creator, ["100.00", "19.99"], negative=False)

    @rule(
        actor=st.sampled_from(ACTORS),
        prices=st.lists(st.sampled_from(("10.00", "99.99", "0.01", "250.00")), max_size=3),
        negative=st.booleans(),
    )
    def create(self, actor: Actor, prices: list[str], negative: bool) -> None:
        lines = [item(price) for price in prices]
        if negative:
            lines.append(item("300.00", quantity=-1))
        draft = create_draft(
            id=self._id("D"),
            customer=ACME,
            currency="EUR",
            actor=actor.id,
            on=self.today,
            lines=lines,
        )
        self._store(draft)

    @rule(data=st.data(), add=st.booleans())
    def edit_lines(self, data: st.DataObject, add: bool) -> None:
        invoice = self._pick(data)
        try:
            edited = add_line(invoice, item("5.00")) if add else remove_line(invoice, 0)
        except InvoiceLockedError:
            assert invoice.status is not Status.DRAFT
            return
        except InvalidValueError:
            assert not invoice.lines
            return
        assert invoice.status is Status.DRAFT
        self._store(edited)

    @rule(data=st.data(), burst=st.integers(min_value=1, max_value=6))
    def steps(self, data: st.DataObject, burst: int) -> None:
        """Up to ``burst`` random commands by random actors on one invoice."""
        key = self._pick(data).id
        for _ in range(burst):
            invoice = self.invoices[key]
            actor = data.draw(st.sampled_from(ACTORS))
            command = data.draw(COMMANDS[invoice.status])
            try:
                result = transition(
                    invoice,
                    command,
                    actor=actor,
                    on=self.today,
                    policy=self.policy,
                    sequence=self.sequence,
                )
            except REFUSALS:
                continue
            event(f"{invoice.status.name} --{command.name}--> {result.invoice.status.name}")
            if result.sequence != self.sequence:
                self.bookings.append(result.invoice.number)
            self.sequence = result.sequence
            self._store(result.invoice)

    @rule(data=st.data(), actor=st.sampled_from(ACTORS), whole=st.booleans())
    def issue_credit_note(self, data: st.DataObject, actor: Actor, whole: bool) -> None:
        invoice = self._pick(data)
        selection = None if whole else [0]
        try:
            result = credit(
                invoice, id=self._id("G"), actor=actor.id, on=self.today, selection=selection
            )
        except (DocumentNotAllowedError, InvalidValueError):
            return
        event(f"credit note in {invoice.status.name} -> {result.invoice.status.name}")
        self._store(result.invoice)

    @rule(data=st.data(), whole=st.booleans())
    def record_payment(self, data: st.DataObject, whole: bool) -> None:
        """A payment recorded by the payments code (status changes only through SETTLE)."""
        invoice = self._pick(data)
        if invoice.status not in (Status.SENT, Status.DUNNED) or invoice.is_settled:
            return
        amount = invoice.open_amount if whole else invoice.open_amount.allocate([1, 1])[0]
        if not amount.is_positive:
            return
        payment = Payment(on=self.today, amount=amount)
        self._store(attrs.evolve(invoice, payments=(*invoice.payments, payment)))

    @rule(data=st.data(), actor=st.sampled_from(ACTORS))
    def cancel_invoice(self, data: st.DataObject, actor: Actor) -> None:
        invoice = self._pick(data)
        try:
            result = cancel(
                invoice, id=self._id("S"), actor=actor, on=self.today, sequence=self.sequence
            )
        except (DocumentNotAllowedError, PermissionDeniedError, GuardFailedError):
            return
        event("cancelled")
        self.bookings.append(result.cancelling.number)
        self.sequence = result.sequence
        self._store(result.original)
        self._store(result.cancelling)

    @rule(days=st.integers(min_value=1, max_value=20))
    def next_days(self, days: int) -> None:
        self.today += dt.timedelta(days=days)

    @invariant()
    def states_are_reachable_by_the_table(self) -> None:
        for invoice in self.invoices.values():
            assert invoice.status in REACHABLE
            state = invoice.history[0].from_status
            for entry in invoice.history:
                assert entry.from_status is state, f"{invoice.id}: broken chain"
                if entry.kind is EventKind.TRANSITION:
                    assert (entry.from_status, entry.to_status) in MOVES
                else:
                    assert entry.from_status is entry.to_status or (entry.kind is EventKind.CREATED)
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
        for invoice in self.invoices.values():
            if invoice.cancels is None:
                assert policy_breaches(invoice, self.policy.eyes) == []

    @invariant()
    def numbers_are_unique_and_gapless(self) -> None:
        expected = [self.first.format(n) for n in range(1, len(self.bookings) + 1)]
        assert self.bookings == expected
        numbers = [inv.number for inv in self.invoices.values() if inv.status.is_booked]
        assert sorted(numbers) == sorted(self.bookings)
        assert len(set(numbers)) == len(numbers)
        assert self.sequence.next_value == len(self.bookings) + 1

    @invariant()
    def paid_invoices_owe_nothing(self) -> None:
        for invoice in self.invoices.values():
            if invoice.status is Status.PAID and invoice.cancels is None:
                assert invoice.open_amount.amount <= Decimal(0)


WorkflowMachine.TestCase.settings = settings(stateful_step_count=50)
test_workflow_laws_hold_for_random_runs = WorkflowMachine.TestCase
