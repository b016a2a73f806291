"""A Hypothesis state machine over every operation, for your rules: subclass
:class:`ReceivablesMachine` and every public operation that changes an invoice or a
customer's account is tried under your dunning rules, whoever attempts it, in whatever order,
with every law below checked after every step.

Needs the ``testing`` extra (Hypothesis); ``import dunlib`` never imports this module.

.. code-block:: python

    from dunlib import ApprovalPolicy
    from dunlib.testing.machine import ReceivablesMachine

    from ladder import rules_for  # your function Invoice -> DunningRules (or a DunningRules)


    class OurLadderMachine(ReceivablesMachine):
        dunning_rules = staticmethod(rules_for)
        policies = (ApprovalPolicy(eyes=4),)  # the policies a run draws from (default: 2, 4, 6)
        # permissions = Permissions.from_table().revoking(...)  # default: the table's


    test_our_ladder_keeps_every_law = OurLadderMachine.TestCase

A subclass's test runs :data:`SETTINGS` (25 runs of at most 40 steps); give your own with
``@settings(...)`` on the class or by assigning ``OurLadderMachine.TestCase.settings``. A
rules *function* is given as ``staticmethod(rules_for)`` (so that a type checker does not
read it as a method), a DunningRules value as it is; override
:meth:`ReceivablesMachine.rules_for_run` to draw rules per run. Your own ``@rule`` methods
can drive the portfolio with the machine's ``*_by`` steps (``pay_by``, ``book_by``,
``run_by``, ``dun_by``, …), which check what they book.

A small portfolio (a business and a consumer customer, each with a CustomerAccount, amounts
in EUR) is worked on by actors drawn from a pool (:data:`CAST`, a cast holding one role each
and the automatic actors, and strangers with random role sets) under a policy drawn from
``policies``: drafts are created, their lines added, replaced and removed, merged, taken
through the workflow and sent; invoices are paid (overpayments kept as the customer's credit,
credit used), credited, cancelled, written off, held and lifted, paused and resumed, charged
interest, dunned by the engine's decisions (booked directly, by the daily run, or prepared,
approved or rejected and sent; now and then followed to the end by the people each step
needs), escalated; the accounts are switched, held, lifted and credited. The day only moves
forward. Decisions are kept and now and then booked later (stale), and many steps are tried
by the wrong person, in the wrong state or on the wrong day. Every act is called with the
machine's ``permissions``, and the audit reads them.

Laws:

- a refused step raises a DunlibError (never a bare builtin) and leaves every value it was
  given as it was;
- after every step every invoice is a state the table can produce: its own constructor
  accepts it again, its history is a chain of table rows in date order ending in its status,
  PAID, CANCELLED and WRITTEN_OFF owe nothing, DUNNED has a notice, its bookings lie between
  its issue day and its last step, and as_of its last step is itself;
- money is conserved: per invoice gross + fees + interest = paid + discounts + credited +
  written off + open (and the replayed balance is the open amount); per customer the credit
  kept is the credit left plus the credit used, it is what the overpayments (each kept once)
  and the credit kept by hand add up to, the credit used is what invoices took as customer
  credit, and the money received is what invoices took plus what was overpaid;
- nobody did what their role or the eyes policy forbids: every history entry is a row of the
  table its actor holds a role for (skips by automatic actors the policy allows), drafters
  (line editors included) never send under 4 and 6 eyes, reviewers never send under 6 eyes,
  notices are prepared, approved and sent by the roles and distinct people the policy asks,
  and account changes and line edits are made by those allowed to
  (:func:`history_breaches`, :func:`notice_breaches`, :func:`cancelling_breaches`);
- every document booked is the one the engine decides for that invoice on that day, never
  while a hold holds or dunning is paused, and a customer notice lists an invoice once.

Each operation is called through one small adapter method, so that a changed signature is a
one-line change.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar, TypeVar, cast

import attrs
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from dunlib.core.errors import DunlibError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import (
    CreditNote,
    Customer,
    CustomerKind,
    Hold,
    HoldKind,
    InterestCharge,
    LineItem,
    Payment,
)
from dunlib.core.status import Status
from dunlib.core.transitions import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    REVIEWER,
    ROLES,
    ROWS,
    Act,
    Command,
    Row,
    RowKind,
)
from dunlib.dunning.accounts import (
    CreditUse,
    CustomerAccount,
    hold_account,
    keep_credit,
    keep_overpayment,
    lift_account_hold,
    switch_dunning,
    switch_fees,
    use_credit,
)
from dunlib.dunning.actions import Escalate, IssueStage
from dunlib.dunning.decisions import CustomerNotice, Decision, group_notices
from dunlib.dunning.engine import next_dunning_action
from dunlib.dunning.escalation import apply_escalation
from dunlib.dunning.fees import FeeRule
from dunlib.dunning.holds import holds_on, lift_hold, place_hold
from dunlib.dunning.interest import accrued_interest
from dunlib.dunning.interest_charges import record_interest
from dunlib.dunning.notices import record_notice
from dunlib.dunning.stages import (
    DispatchMode,
    DunningRules,
    DunningStage,
    Escalation,
    StageKind,
    TriggerBasis,
)
from dunlib.dunning.suspension import pause, resume
from dunlib.payments import PaymentResult, record_payment
from dunlib.payments.allocation import balance
from dunlib.portfolio.prepared import (
    NoticeState,
    NoticeStep,
    PreparedNotice,
    approve_notice,
    prepare_notice,
    prepare_reminder,
    reject_notice,
    send_notice,
)
from dunlib.portfolio.run import RulesFor, plan, record_notices
from dunlib.workflow import Sent, send, transition
from dunlib.workflow.audit import as_of
from dunlib.workflow.documents import (
    Cancellation,
    Credited,
    apply_credit_note,
    cancel,
    credit,
    derive_credit_note,
    write_off,
)
from dunlib.workflow.drafts import (
    add_line,
    create_draft,
    merge_drafts,
    remove_line,
    replace_line,
)
from dunlib.workflow.policy import AUTOMATIC, Actor, ApprovalPolicy, Operation, Permissions

__all__ = [
    "CAST",
    "CUSTOMERS",
    "SETTINGS",
    "START",
    "ReceivablesMachine",
    "cancelling_breaches",
    "history_breaches",
    "kit_rules",
    "notice_breaches",
]

_T = TypeVar("_T")

SETTINGS = settings(
    max_examples=25,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
"""The settings a subclass's ``TestCase`` starts with: 25 runs of up to 40 steps (a few
seconds), no deadline. Give yours with ``@settings(...)`` on the subclass or by assigning
``YourMachine.TestCase.settings``."""

# -- the portfolio ----------------------------------------------------------------------------

START = dt.date(2026, 1, 5)
"""The day every run starts on."""
FAR = dt.date(9999, 12, 31)
EUR = "EUR"
ZERO = Money.zero(EUR)
CREDIT_REFERENCE = "customer credit"
"""The reference dunlib.use_credit books the customer's credit under."""

CUSTOMERS = (
    Customer(id="C-1", name="ACME GmbH"),
    Customer(id="C-2", name="Erika Mustermann", kind=CustomerKind.CONSUMER),
)
"""The portfolio's customers: a business and a consumer."""
PRICES = ("100.00", "19.99", "0.01", "250.00", "0.00")

CAST = (
    Actor(id="dora", roles={CLERK}),
    Actor(id="rita", roles={REVIEWER}),
    Actor(id="sam", roles={ACCOUNTANT}),
    Actor(id="ann", roles={ACCOUNTANT, REVIEWER}),
    Actor(id="robot", roles={AUTOMATION}, automatic=True),
    AUTOMATIC,
)
"""Who works here: one role each, and the automatic actors."""
STRANGERS = st.tuples(
    *(
        st.builds(
            Actor,
            id=st.just(name),
            roles=st.frozensets(st.sampled_from(sorted(ROLES))),
            automatic=st.booleans(),
        )
        for name in ("x1", "x2", "x3")
    )
)
"""Three more actors with random role sets, automatic or not, drawn per run."""

_ACCOUNT_OPERATIONS = frozenset(Operation) - {Operation.EDIT_LINES}
"""The changes of a customer's account (dunning and fees switches, holds, credit)."""


def _granted(permissions: Permissions, *operations: Operation) -> frozenset[str]:
    """The roles ``permissions`` grant any of ``operations``."""
    return frozenset(role for operation, role in permissions.operations if operation in operations)


def _line(price: str, quantity: int = 1) -> LineItem:
    """A line of ``quantity`` x ``price`` EUR at 19 % tax."""
    return LineItem(
        description="Item", quantity=quantity, unit_price=Money(price, EUR), tax_rate=19
    )


def kit_rules(approval: bool, escalation: Escalation) -> DunningRules:
    """A reminder before the due date, a notice with a fixed fee on it, a notice with a fee of
    10 % of the open principal that claims interest (sent after approval, or not), then
    ``escalation``."""
    return DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.BEFORE_DUE_DATE),
            DunningStage(
                StageKind.NOTICE,
                days_overdue=0,
                basis=TriggerBasis.DUE_DATE,
                fee=Money("5.00", EUR),
            ),
            DunningStage(
                StageKind.NOTICE,
                days_overdue=7,
                fee_rules=(FeeRule(percent=Decimal(10)),),
                claim_interest=True,
                dispatch=DispatchMode.AFTER_APPROVAL if approval else DispatchMode.AUTOMATIC,
            ),
        ),
        escalation=escalation,
        escalation_days=5,
    )


# -- the audit: rights and the eyes policy, read from the table's data ------------------------

_COMMANDS_BY_KIND: dict[EventKind, tuple[Command, ...]] = {
    EventKind.PAYMENT: (Command.PAY,),
    EventKind.CREDIT_NOTE: (Command.CREDIT,),
    EventKind.DUNNING_NOTICE: (Command.REMIND, Command.DUN),
    EventKind.DUNNING_PAUSED: (Command.PAUSE,),
    EventKind.DUNNING_RESUMED: (Command.RESUME,),
    EventKind.INTEREST: (Command.INTEREST,),
    EventKind.WRITE_OFF: (Command.WRITE_OFF,),
    EventKind.HANDED_TO_COLLECTION: (Command.COLLECT,),
    EventKind.SERVICE_BLOCKED: (Command.BLOCK,),
    EventKind.HOLD_PLACED: (Command.HOLD,),
    EventKind.HOLD_LIFTED: (Command.LIFT_HOLD,),
    EventKind.TRANSITION: tuple(
        {row.command for row in ROWS if row.kind in (RowKind.STEP, RowKind.SKIP)} | {Command.CANCEL}
    ),
}
"""The commands whose rows a history entry of each kind records (creating and merging a
draft are no rows: whoever drafts is counted by the eyes policy instead)."""
_SETTLE = {row.source: row for row in ROWS if row.command is Command.SETTLE}
_ACTS = {
    (row.source, row.target): row.acts for row in ROWS if row.kind in (RowKind.STEP, RowKind.SKIP)
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
    each step on behalf of whoever cancelled the original, who holds the CANCEL row's roles."""
    cancel = next((e for e in original.history if e.to_status is Status.CANCELLED), None)
    if cancel is None:
        return [f"{cancelling.id}: cancels {original.id}, which is not cancelled"]
    moves = [(e.from_status, e.to_status, e.actor, e.on) for e in cancelling.history]
    expected = [
        (Status.DRAFT, Status.DRAFT, cancel.actor, cancel.on),
        (Status.DRAFT, Status.SENT, cancel.actor, cancel.on),
        (Status.SENT, Status.PAID, cancel.actor, cancel.on),
    ]
    breaches = [] if moves == expected else [f"{cancelling.id}: {moves}"]
    roles = (permissions or Permissions.from_table()).roles_for(cancel.from_status, Command.CANCEL)
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
    skips = ApprovalPolicy(eyes=eyes).allowed_skips
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


def notice_breaches(
    prepared: PreparedNotice,
    actors: Mapping[str, Actor],
    eyes: int,
    permissions: Permissions | None = None,
) -> list[str]:
    """Every step of a prepared notice's life its actor had no right to, or that the eyes
    policy forbids (the invoices' SENT step is booked on them and audited there)."""
    by_state = {
        NoticeState.PREPARED: Command.PREPARE_REMINDER
        if prepared.manual
        else Command.PREPARE_NOTICE,
        NoticeState.APPROVED: Command.APPROVE_NOTICE,
        NoticeState.REJECTED: Command.REJECT_NOTICE,
    }
    rights = permissions or Permissions.from_table()
    breaches: list[str] = []
    people: dict[NoticeState, str] = {}
    for step in prepared.steps:
        actor = actors[step.actor]
        people[step.state] = actor.id
        command = by_state.get(step.state)
        if command is None:
            continue
        for invoice in prepared.invoices:
            if actor.roles.isdisjoint(rights.roles_for(invoice.status, command)):
                breaches.append(f"{invoice.id}: {actor.id} may not {command.name}")
    preparer, approver = people.get(NoticeState.PREPARED), people.get(NoticeState.APPROVED)
    sender = people.get(NoticeState.SENT)
    if eyes >= 4 and approver is not None and approver == preparer:
        breaches.append(f"{approver} prepared and approved a notice")
    if eyes == 6 and sender is not None and sender in (preparer, approver):
        breaches.append(f"{sender} prepared or approved the notice it sent")
    return breaches


def _law(holds: object, why: object = "") -> None:
    """Fail the machine's run when a law does not hold (an AssertionError, raised also
    under ``python -O``, which drops ``assert`` statements)."""
    __tracebackhide__ = True
    if not holds:
        raise AssertionError(why)


def _event(what: str) -> None:
    """Count ``what`` in Hypothesis's statistics (when run by Hypothesis)."""
    if currently_in_test_context():
        event(what)


def _no_refusal_changes(name: str, given: Sequence[object], before: Sequence[object]) -> None:
    for index, (value, copied) in enumerate(zip(given, before, strict=True)):
        _law(value == copied, f"{name}: a refused step changed argument {index}")


class ReceivablesMachine(RuleBasedStateMachine):
    """A portfolio of two customers' invoices and accounts, worked on by a pool of actors
    under your rules, policies and permissions; every law of the module docs is checked
    after every step.

    Subclass it and give what is yours as class attributes (or override
    :meth:`rules_for_run`); run it as a test with ``TestCase`` (see the module docs).
    """

    dunning_rules: ClassVar[RulesFor | None] = None
    """Your dunning rules: DunningRules, or a function ``Invoice -> DunningRules`` as
    :func:`dunlib.plan` takes (fees in EUR). None: the kit's ladder (:func:`kit_rules`)
    with its approval and escalation drawn per run."""
    policies: ClassVar[tuple[ApprovalPolicy, ...]] = (
        ApprovalPolicy(eyes=2),
        ApprovalPolicy(eyes=4),
        ApprovalPolicy(eyes=6),
    )
    """The approval policies a run draws its one from."""
    permissions: ClassVar[Permissions] = Permissions.from_table()
    """Who may do what; every act is called with them and the audit reads them. They must
    let the cast's clerk submit, its reviewer approve and its accountant send (the first
    step of every run)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Every subclass's test starts with the modest :data:`SETTINGS`."""
        super().__init_subclass__(**kwargs)
        cls.TestCase.settings = SETTINGS

    def rules_for_run(self, approval: bool, escalation: Escalation) -> RulesFor:
        """The dunning rules of one run: :attr:`dunning_rules`, or when None the kit's ladder with
        ``approval`` and ``escalation`` as drawn for the run (override it to draw yours)."""
        rules = type(self).dunning_rules  # a function stays a function, not a method of the machine
        if rules is not None:
            return rules
        return kit_rules(approval, escalation)

    def __init__(self) -> None:
        super().__init__()
        self.today = START
        self.policy = ApprovalPolicy(eyes=4)
        self.dunning: RulesFor = self.rules_for_run(False, Escalation.COLLECTION)
        self._editing = _granted(self.permissions, Operation.EDIT_LINES)
        self.pool: list[Actor] = list(CAST)
        self.actors: dict[str, Actor] = {actor.id: actor for actor in CAST}
        self.invoices: dict[str, Invoice] = {}
        self.editors: dict[str, set[str]] = {}
        self.accounts = {c.id: CustomerAccount(customer_id=c.id) for c in CUSTOMERS}
        self.sequence = NumberSequence(prefix="RE-", next_value=1, width=4)
        self.decisions: list[tuple[Decision, CustomerAccount]] = []
        self.prepared: list[PreparedNotice] = []
        self.results: list[PaymentResult] = []
        self.kept: dict[str, set[int]] = {c.id: set() for c in CUSTOMERS}
        self.kept_by_hand = {c.id: ZERO for c in CUSTOMERS}
        self.received = {c.id: ZERO for c in CUSTOMERS}
        self.overpaid = {c.id: ZERO for c in CUSTOMERS}
        self.counter = 0

    # -- one adapter per operation: a changed signature is a one-line change here -------------

    def _create_draft(
        self, id: str, customer: Customer, actor: Actor, on: dt.date, lines: list[LineItem]
    ) -> Invoice:
        return create_draft(id=id, customer=customer, currency=EUR, actor=actor, on=on, lines=lines)

    def _add_line(self, invoice: Invoice, item: LineItem, actor: Actor, on: dt.date) -> Invoice:
        return add_line(invoice, item, actor=actor, on=on, permissions=self.permissions)

    def _replace_line(
        self, invoice: Invoice, index: int, item: LineItem, actor: Actor, on: dt.date
    ) -> Invoice:
        return replace_line(invoice, index, item, actor=actor, on=on, permissions=self.permissions)

    def _remove_line(self, invoice: Invoice, index: int, actor: Actor, on: dt.date) -> Invoice:
        return remove_line(invoice, index, actor=actor, on=on, permissions=self.permissions)

    def _merge_drafts(self, drafts: list[Invoice], actor: Actor, on: dt.date) -> Invoice:
        return merge_drafts(drafts, actor=actor, on=on, permissions=self.permissions)

    def _transition(
        self, invoice: Invoice, command: Command, actor: Actor, on: dt.date, policy: ApprovalPolicy
    ) -> Invoice:
        return transition(
            invoice, command, actor=actor, on=on, policy=policy, permissions=self.permissions
        )

    def _send(
        self,
        invoice: Invoice,
        actor: Actor,
        on: dt.date,
        policy: ApprovalPolicy,
        sequence: NumberSequence,
    ) -> Sent:
        return send(
            invoice,
            actor=actor,
            on=on,
            policy=policy,
            sequence=sequence,
            permissions=self.permissions,
        )

    def _record_payment(self, invoice: Invoice, payment: Payment, actor: Actor) -> PaymentResult:
        return record_payment(invoice, payment, actor=actor, permissions=self.permissions)

    def _derive_credit_note(
        self, invoice: Invoice, id: str, on: dt.date, drafter: Actor, whole: bool
    ) -> CreditNote:
        selection = None if whole else [0]
        return derive_credit_note(invoice, id=id, on=on, actor=drafter, selection=selection)

    def _apply_credit_note(
        self, invoice: Invoice, note: CreditNote, actor: Actor, on: dt.date, policy: ApprovalPolicy
    ) -> Invoice:
        return apply_credit_note(
            invoice, note, actor=actor, on=on, policy=policy, permissions=self.permissions
        )

    def _credit(
        self,
        invoice: Invoice,
        id: str,
        actor: Actor,
        drafter: Actor,
        on: dt.date,
        policy: ApprovalPolicy,
    ) -> Credited:
        return credit(
            invoice,
            id=id,
            actor=actor,
            on=on,
            policy=policy,
            drafted_by=drafter,
            permissions=self.permissions,
        )

    def _cancel(
        self, invoice: Invoice, id: str, actor: Actor, on: dt.date, sequence: NumberSequence
    ) -> Cancellation:
        return cancel(
            invoice, id=id, actor=actor, on=on, sequence=sequence, permissions=self.permissions
        )

    def _write_off(self, invoice: Invoice, actor: Actor, on: dt.date) -> Invoice:
        return write_off(invoice, actor=actor, on=on, permissions=self.permissions)

    def _place_hold(self, invoice: Invoice, hold: Hold, actor: Actor) -> Invoice:
        return place_hold(invoice, hold, actor=actor, permissions=self.permissions)

    def _lift_hold(self, invoice: Invoice, kind: HoldKind, actor: Actor, on: dt.date) -> Invoice:
        return lift_hold(invoice, kind, on=on, actor=actor, permissions=self.permissions)

    def _pause(self, invoice: Invoice, actor: Actor, on: dt.date) -> Invoice:
        return pause(invoice, on=on, actor=actor, permissions=self.permissions)

    def _resume(self, invoice: Invoice, actor: Actor, on: dt.date) -> Invoice:
        return resume(invoice, on=on, actor=actor, permissions=self.permissions)

    def _record_interest(self, invoice: Invoice, charge: InterestCharge, actor: Actor) -> Invoice:
        return record_interest(invoice, charge, actor=actor, permissions=self.permissions)

    def _record_notice(self, invoice: Invoice, action: IssueStage, actor: Actor) -> Invoice:
        return record_notice(invoice, action, actor=actor, permissions=self.permissions)

    def _apply_escalation(self, invoice: Invoice, action: Escalate, actor: Actor) -> Invoice:
        return apply_escalation(invoice, action, actor=actor, permissions=self.permissions)

    def _plan(
        self,
        invoices: list[Invoice],
        rules: RulesFor,
        today: dt.date,
        accounts: Mapping[str, CustomerAccount],
        waiting: list[PreparedNotice],
    ) -> list[Decision]:
        return list(plan(invoices, rules, today, accounts=accounts, waiting=waiting))

    def _record_notices(
        self, invoices: list[Invoice], decisions: list[Decision], actor: Actor
    ) -> tuple[Invoice, ...]:
        return record_notices(invoices, decisions, actor=actor, permissions=self.permissions)

    def _group_notices(self, decisions: list[Decision]) -> tuple[CustomerNotice, ...]:
        return group_notices(decisions)

    def _prepare_notice(
        self, notice: CustomerNotice, actor: Actor, customer_approval: bool
    ) -> PreparedNotice:
        return prepare_notice(
            notice, actor=actor, customer_approval=customer_approval, permissions=self.permissions
        )

    def _prepare_reminder(
        self,
        invoice: Invoice,
        rules: DunningRules,
        on: dt.date,
        actor: Actor,
        account: CustomerAccount,
    ) -> PreparedNotice:
        return prepare_reminder(
            invoice, rules, on, actor=actor, account=account, permissions=self.permissions
        )

    def _approve_notice(
        self, prepared: PreparedNotice, actor: Actor, on: dt.date, policy: ApprovalPolicy
    ) -> PreparedNotice:
        return approve_notice(
            prepared, actor=actor, on=on, policy=policy, permissions=self.permissions
        )

    def _reject_notice(self, prepared: PreparedNotice, actor: Actor, on: dt.date) -> PreparedNotice:
        return reject_notice(
            prepared, actor=actor, on=on, reason="not now", permissions=self.permissions
        )

    def _send_notice(
        self,
        prepared: PreparedNotice,
        invoices: list[Invoice],
        actor: Actor,
        on: dt.date,
        policy: ApprovalPolicy,
    ) -> tuple[PreparedNotice, tuple[Invoice, ...]]:
        return send_notice(
            prepared, invoices, actor=actor, on=on, policy=policy, permissions=self.permissions
        )

    def _switch_dunning(
        self, account: CustomerAccount, enabled: bool, on: dt.date, actor: Actor
    ) -> CustomerAccount:
        return switch_dunning(
            account, enabled=enabled, on=on, actor=actor, permissions=self.permissions
        )

    def _switch_fees(
        self, account: CustomerAccount, enabled: bool, on: dt.date, actor: Actor
    ) -> CustomerAccount:
        return switch_fees(
            account, enabled=enabled, on=on, actor=actor, permissions=self.permissions
        )

    def _hold_account(self, account: CustomerAccount, hold: Hold, actor: Actor) -> CustomerAccount:
        return hold_account(account, hold, actor=actor, permissions=self.permissions)

    def _lift_account_hold(
        self, account: CustomerAccount, kind: HoldKind, on: dt.date, actor: Actor
    ) -> CustomerAccount:
        return lift_account_hold(account, kind, on=on, actor=actor, permissions=self.permissions)

    def _keep_credit(
        self, account: CustomerAccount, amount: Money, on: dt.date, actor: Actor
    ) -> CustomerAccount:
        return keep_credit(
            account,
            amount,
            on=on,
            actor=actor,
            reason="paid for no invoice",
            permissions=self.permissions,
        )

    def _keep_overpayment(
        self, account: CustomerAccount, result: PaymentResult, actor: Actor
    ) -> CustomerAccount:
        return keep_overpayment(account, result, actor=actor, permissions=self.permissions)

    def _use_credit(
        self,
        account: CustomerAccount,
        invoice: Invoice,
        on: dt.date,
        amount: Money | None,
        actor: Actor,
    ) -> CreditUse:
        return use_credit(
            account, invoice, on=on, amount=amount, actor=actor, permissions=self.permissions
        )

    # -- helpers ------------------------------------------------------------------------------

    def _id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def _actor(self, data: st.DataObject, *roles: str) -> Actor:
        """An actor of the pool; most of the time one holding one of ``roles`` (when given)."""
        fitting = [actor for actor in self.pool if not actor.roles.isdisjoint(roles)]
        if fitting and data.draw(st.integers(0, 3)) > 0:
            return data.draw(st.sampled_from(fitting))
        return data.draw(st.sampled_from(self.pool))

    def _invoice(self, data: st.DataObject, *prefer: Status) -> Invoice:
        """Any invoice (the run starts with four); most of the time one in a state of
        ``prefer`` when there is one."""
        keys = sorted(self.invoices)
        preferred = [key for key in keys if self.invoices[key].status in prefer]
        if preferred and data.draw(st.integers(0, 3)) > 0:
            keys = preferred
        return self.invoices[data.draw(st.sampled_from(keys))]

    def _attempt(self, name: str, step: Callable[[], _T], *given: object) -> _T | None:
        """``step()``, or None when it is refused: then by a DunlibError, and every value in
        ``given`` is as it was. Any other exception fails the run."""
        before = copy.deepcopy(given)
        try:
            result = step()
        except DunlibError as refused:
            _no_refusal_changes(name, given, before)
            _event(f"{name}: refused {type(refused).__name__}")
            return None
        _event(f"{name}: done")
        return result

    def _store(self, invoice: Invoice) -> None:
        old = self.invoices.get(invoice.id)
        if old is not None:
            _law(invoice.history[: len(old.history)] == old.history, f"{invoice.id}: rewritten")
            _law(len(invoice.history) > len(old.history), f"{invoice.id}: a step unrecorded")
        self.invoices[invoice.id] = invoice

    def _store_account(self, account: CustomerAccount) -> None:
        old = self.accounts[account.customer_id]
        _law(account.history[: len(old.history)] == old.history, "account history rewritten")
        self.accounts[account.customer_id] = account

    def _rules(self, invoice: Invoice) -> DunningRules:
        """The rules of this run for ``invoice``."""
        rules = self.dunning
        return rules if isinstance(rules, DunningRules) else rules(invoice)

    def _decide(self, invoice: Invoice, day: dt.date) -> Decision:
        account = self.accounts[invoice.customer.id]
        action = next_dunning_action(invoice, self._rules(invoice), day, account=account)
        decision = Decision(invoice=invoice, action=action)
        self.decisions.append((decision, account))
        return decision

    def _booked_as_decided(
        self,
        before: Invoice,
        after: Invoice,
        action: IssueStage | Escalate,
        account: CustomerAccount | None,
    ) -> None:
        """``after`` booked ``action`` on ``before``: never while a hold holds or dunning is
        paused on its day, and (given the ``account`` it was decided with) the very document
        the engine decides for ``before`` on that day."""
        day = action.on
        paused = before.paused_since is not None and before.paused_since <= day
        if holds_on(before, day) or paused:
            raise AssertionError(f"{before.id}: booked under a hold or a pause on {day}")
        if account is None or not isinstance(action, IssueStage):
            return
        fresh = next_dunning_action(
            before, self._rules(before), day, account=account, credit=action.credit
        )
        facts = ("level", "stage_number", "fee", "interest", "due_date", "open_amount")
        booked = {name: getattr(action, name) for name in facts}
        decided = {name: getattr(fresh, name, None) for name in facts}
        _law(booked == decided, f"{before.id}: booked {booked}, the engine decides {fresh}")
        _law(after.notices[-1] == action.notice())

    # -- drafts -------------------------------------------------------------------------------

    @initialize(
        policy=st.runner().flatmap(lambda machine: st.sampled_from(machine.policies)),
        approval=st.booleans(),
        escalation=st.sampled_from(Escalation),
        strangers=STRANGERS,
        days=st.integers(0, 30),
    )
    def start(
        self,
        policy: ApprovalPolicy,
        approval: bool,
        escalation: Escalation,
        strangers: tuple[Actor, ...],
        days: int,
    ) -> None:
        """The policy, the rules and the strangers of this run; a draft and a sent invoice
        per customer, and a few days later."""
        self.policy = policy
        self.dunning = self.rules_for_run(approval, escalation)
        self.pool.extend(strangers)
        self.actors.update((actor.id, actor) for actor in strangers)
        dora, rita, sam = CAST[:3]
        for customer in CUSTOMERS:
            self.create_by(dora, customer, ["100.00", "19.99"])
            self.create_by(dora, customer, ["250.00"])
            invoice = self.invoices[f"D-{self.counter}"]
            self.step_by(invoice, dora, Command.SUBMIT)
            self.step_by(self.invoices[invoice.id], rita, Command.APPROVE)
            self.send_by(self.invoices[invoice.id], sam)
            _law(self.invoices[invoice.id].status is Status.SENT)
        self.advance(days)

    @rule(
        data=st.data(),
        customer=st.sampled_from(CUSTOMERS),
        prices=st.lists(st.sampled_from(PRICES), max_size=2),
    )
    def create(self, data: st.DataObject, customer: Customer, prices: list[str]) -> None:
        self.create_by(self._actor(data, CLERK), customer, prices)

    def create_by(self, actor: Actor, customer: Customer, prices: list[str]) -> None:
        lines = [_line(price) for price in prices]
        key = self._id("D")
        draft = self._attempt(
            "create_draft", lambda: self._create_draft(key, customer, actor, self.today, lines)
        )
        _law(draft is not None, "a draft of valid lines refused")
        made = cast("Invoice", draft)
        self.editors[made.id] = set()
        self._store(made)

    @rule(
        data=st.data(),
        edit=st.sampled_from(("add", "replace", "remove")),
        price=st.sampled_from(PRICES),
        index=st.integers(0, 2),
    )
    def edit_a_line(self, data: st.DataObject, edit: str, price: str, index: int) -> None:
        invoice = self._invoice(data, Status.DRAFT)
        actor = self._actor(data, CLERK)
        item = _line(price, quantity=-1 if price == "250.00" else 1)
        steps: dict[str, Callable[[], Invoice]] = {
            "add": lambda: self._add_line(invoice, item, actor, self.today),
            "replace": lambda: self._replace_line(invoice, index, item, actor, self.today),
            "remove": lambda: self._remove_line(invoice, index, actor, self.today),
        }
        edited = self._attempt(f"{edit}_line", steps[edit], invoice)
        if edited is None:
            return
        _law(invoice.status is Status.DRAFT, "lines are edited in DRAFT only")
        _law(not actor.roles.isdisjoint(self._editing), f"{actor.id} edited a draft")
        self.editors[invoice.id].add(actor.id)
        self.invoices[invoice.id] = edited

    @rule(data=st.data())
    def merge(self, data: st.DataObject) -> None:
        drafts = [inv for inv in self.invoices.values() if inv.status is Status.DRAFT]
        if len(drafts) < 2:
            return
        chosen = data.draw(st.lists(st.sampled_from(drafts), min_size=2, max_size=2, unique_by=id))
        actor = self._actor(data, CLERK)
        merged = self._attempt(
            "merge_drafts", lambda: self._merge_drafts(chosen, actor, self.today), *chosen
        )
        if merged is None:
            return
        _law(not actor.roles.isdisjoint(self._editing), f"{actor.id} merged drafts")
        for other in chosen[1:]:
            del self.invoices[other.id]
            self.editors[merged.id] |= self.editors.pop(other.id)
        self._store(merged)

    # -- the workflow -------------------------------------------------------------------------

    @rule(
        data=st.data(),
        command=st.sampled_from((Command.SUBMIT, Command.APPROVE, Command.REJECT))
        | st.sampled_from(Command),
    )
    def take_a_step(self, data: st.DataObject, command: Command) -> None:
        invoice = self._invoice(data, Status.DRAFT, Status.CREATED, Status.REVIEWED)
        self.step_by(invoice, self._actor(data, CLERK, REVIEWER), command)

    def step_by(self, invoice: Invoice, actor: Actor, command: Command) -> None:
        moved = self._attempt(
            f"transition {command.name}",
            lambda: self._transition(invoice, command, actor, self.today, self.policy),
            invoice,
        )
        if moved is not None:
            self._store(moved)

    @rule(data=st.data())
    def send_it(self, data: st.DataObject) -> None:
        invoice = self._invoice(data, Status.REVIEWED, Status.CREATED)
        self.send_by(invoice, self._actor(data, ACCOUNTANT, AUTOMATION))

    def send_by(self, invoice: Invoice, actor: Actor) -> None:
        sequence = self.sequence
        sent = self._attempt(
            "send",
            lambda: self._send(invoice, actor, self.today, self.policy, sequence),
            invoice,
            sequence,
        )
        if sent is None:
            return
        _law(sent.invoice.number == sequence.next_number)
        self.sequence = sent.sequence
        self._store(sent.invoice)

    @rule(data=st.data(), steps=st.integers(1, 4))
    def push(self, data: st.DataObject, steps: int) -> None:
        """The next workflow step of one draft, a few times, by actors of the roles it needs:
        takes runs to SENT, where most of the bookings begin."""
        invoice = self._invoice(data, Status.DRAFT, Status.CREATED, Status.REVIEWED)
        for _ in range(steps):
            if invoice.status.is_booked:
                return
            if invoice.status is Status.DRAFT:
                self.step_by(invoice, self._actor(data, CLERK), Command.SUBMIT)
            elif invoice.status is Status.CREATED:
                self.step_by(invoice, self._actor(data, REVIEWER), Command.APPROVE)
            else:
                self.send_by(invoice, self._actor(data, ACCOUNTANT))
            invoice = self.invoices[invoice.id]

    # -- payments and the customer's credit ---------------------------------------------------

    @rule(data=st.data(), share=st.sampled_from(("cent", "half", "whole", "over")))
    def pay(self, data: st.DataObject, share: str) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        self.pay_by(invoice, self._actor(data, AUTOMATION, ACCOUNTANT), share)

    def pay_by(self, invoice: Invoice, actor: Actor, share: str) -> None:
        cent = Money("0.01", EUR)
        open_amount = max(invoice.open_amount, cent)
        amount = {
            "cent": cent,
            "half": max(open_amount.allocate([1, 1])[0], cent),
            "whole": open_amount,
            "over": open_amount + Money("10.00", EUR),
        }[share]
        payment = Payment(on=self.today, amount=amount)
        result = self._attempt(
            "record_payment", lambda: self._record_payment(invoice, payment, actor), invoice
        )
        if result is None:
            return
        customer = invoice.customer.id
        self.received[customer] += amount
        self.overpaid[customer] += result.overpayment
        if result.overpayment.is_positive:
            self.results.append(result)
        self._store(result.invoice)

    @precondition(lambda self: self.results)
    @rule(data=st.data(), other_customer=st.booleans(), forged=st.booleans())
    def keep_an_overpayment(self, data: st.DataObject, other_customer: bool, forged: bool) -> None:
        """Keep an overpayment as credit: any one returned so far, kept already or not, or
        one made 10.00 larger by hand (``forged``)."""
        index = data.draw(st.integers(0, len(self.results) - 1))
        actor = self._actor(data, AUTOMATION, ACCOUNTANT)
        self.keep_overpayment_by(actor, index, other_customer=other_customer, forged=forged)

    def keep_overpayment_by(
        self, actor: Actor, index: int, *, other_customer: bool, forged: bool
    ) -> None:
        result = self.results[index]
        extra = Money("10.00" if forged else "0.00", EUR)
        if forged:
            result = attrs.evolve(result, overpayment=result.overpayment + extra)
        customer = result.invoice.customer.id
        account = self.accounts[customer]
        if other_customer:
            account = next(a for key, a in self.accounts.items() if key != customer)
        after = self._attempt(
            "keep_overpayment",
            lambda: self._keep_overpayment(account, result, actor),
            account,
            result,
        )
        if after is None:
            return
        _law(not forged, "a PaymentResult built by hand was kept")
        self.kept[account.customer_id].add(index)
        self.kept_by_hand[account.customer_id] += extra
        self._store_account(after)

    @rule(data=st.data(), customer=st.sampled_from(CUSTOMERS), cents=st.sampled_from((1, 1000)))
    def keep_some_credit(self, data: st.DataObject, customer: Customer, cents: int) -> None:
        account = self.accounts[customer.id]
        actor = self._actor(data, ACCOUNTANT)
        amount = Money(Decimal(cents).scaleb(-2), EUR)
        after = self._attempt(
            "keep_credit", lambda: self._keep_credit(account, amount, self.today, actor), account
        )
        if after is None:
            return
        self.kept_by_hand[customer.id] += amount
        self._store_account(after)

    @rule(data=st.data(), all_of_it=st.booleans())
    def use_some_credit(self, data: st.DataObject, all_of_it: bool) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        account = self.accounts[invoice.customer.id]
        actor = self._actor(data, AUTOMATION, ACCOUNTANT)
        amount = None if all_of_it else Money("0.01", EUR)
        used = self._attempt(
            "use_credit",
            lambda: self._use_credit(account, invoice, self.today, amount, actor),
            account,
            invoice,
        )
        if used is None:
            return
        self._store_account(used.account)
        self._store(used.invoice)

    # -- credit notes, cancellation, write-off ------------------------------------------------

    @rule(
        data=st.data(),
        whole=st.booleans(),
        at_once=st.booleans(),
        shift=st.sampled_from((0, 0, 0, -400, 400)),
    )
    def credit_it(self, data: st.DataObject, whole: bool, at_once: bool, shift: int) -> None:
        """Derive a credit note (dated the day, or now and then another day) and book it, or
        both at once (dunlib.credit)."""
        invoice = self._invoice(data, Status.SENT, Status.DUNNED, Status.PAID)
        drafter, booker = self._actor(data, ACCOUNTANT), self._actor(data, ACCOUNTANT)
        key = self._id("G")
        if at_once:
            done = self._attempt(
                "credit",
                lambda: self._credit(invoice, key, booker, drafter, self.today, self.policy),
                invoice,
            )
            if done is not None:
                self._store(done.invoice)
            return
        day = self.today + dt.timedelta(days=shift)
        note = self._attempt(
            "derive_credit_note",
            lambda: self._derive_credit_note(invoice, key, day, drafter, whole),
            invoice,
        )
        if note is None:
            return
        booked = self._attempt(
            "apply_credit_note",
            lambda: self._apply_credit_note(invoice, note, booker, self.today, self.policy),
            invoice,
            note,
        )
        if booked is not None:
            self._store(booked)

    @rule(data=st.data())
    def cancel_it(self, data: st.DataObject) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        actor, sequence, key = self._actor(data, ACCOUNTANT), self.sequence, self._id("S")
        done = self._attempt(
            "cancel",
            lambda: self._cancel(invoice, key, actor, self.today, sequence),
            invoice,
            sequence,
        )
        if done is None:
            return
        self.sequence = done.sequence
        self._store(done.original)
        self.editors[done.cancelling.id] = set()
        self._store(done.cancelling)

    @rule(data=st.data())
    def write_it_off(self, data: st.DataObject) -> None:
        invoice = self._invoice(data, Status.DUNNED)
        actor = self._actor(data, ACCOUNTANT)
        done = self._attempt(
            "write_off", lambda: self._write_off(invoice, actor, self.today), invoice
        )
        if done is not None:
            self._store(done)

    # -- holds, pause and resume --------------------------------------------------------------

    @rule(data=st.data(), kind=st.sampled_from(HoldKind), days=st.integers(0, 20))
    def hold_it(self, data: st.DataObject, kind: HoldKind, days: int) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        self.hold_by(
            invoice, self._actor(data, ACCOUNTANT, AUTOMATION), _hold(kind, self.today, days)
        )

    def hold_by(self, invoice: Invoice, actor: Actor, hold: Hold) -> None:
        held = self._attempt("place_hold", lambda: self._place_hold(invoice, hold, actor), invoice)
        if held is not None:
            self._store(held)

    @rule(data=st.data(), kind=st.sampled_from(HoldKind))
    def lift_it(self, data: st.DataObject, kind: HoldKind) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        actor = self._actor(data, ACCOUNTANT, AUTOMATION)
        lifted = self._attempt(
            "lift_hold", lambda: self._lift_hold(invoice, kind, actor, self.today), invoice
        )
        if lifted is not None:
            self._store(lifted)

    @rule(data=st.data(), pausing=st.booleans())
    def pause_or_resume(self, data: st.DataObject, pausing: bool) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        self.pause_by(invoice, self._actor(data, ACCOUNTANT, AUTOMATION), pausing)

    def pause_by(self, invoice: Invoice, actor: Actor, pausing: bool) -> None:
        operation = self._pause if pausing else self._resume
        done = self._attempt(
            operation.__name__, lambda: operation(invoice, actor, self.today), invoice
        )
        if done is not None:
            self._store(done)

    # -- interest, dunning, escalation --------------------------------------------------------

    @rule(data=st.data(), accrued=st.booleans())
    def charge_interest(self, data: st.DataObject, accrued: bool) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        self.charge_by(invoice, self._actor(data, AUTOMATION, ACCOUNTANT), accrued)

    def charge_by(self, invoice: Invoice, actor: Actor, accrued: bool) -> None:
        amount = Money("1.00", EUR)
        if accrued:
            amount = accrued_interest(invoice, self.today)
            if not amount.is_positive:
                return
        charge = InterestCharge(on=self.today, amount=amount)
        done = self._attempt(
            "record_interest", lambda: self._record_interest(invoice, charge, actor), invoice
        )
        if done is not None:
            self._store(done)

    def _stale(self, data: st.DataObject, kind: type) -> tuple[Decision, CustomerAccount] | None:
        """A decision made earlier of ``kind`` (IssueStage or Escalate), if any."""
        earlier = [(d, a) for d, a in self.decisions if isinstance(d.action, kind)]
        return data.draw(st.sampled_from(earlier)) if earlier else None

    @rule(data=st.data(), stale=st.booleans(), forged=st.booleans())
    def record_a_notice(self, data: st.DataObject, stale: bool, forged: bool) -> None:
        """Book the document the engine decides today, or one decided earlier, or one of
        them with a fee made up by hand (``forged``)."""
        made = self._stale(data, IssueStage) if stale else None
        if made is None:
            invoice = self._invoice(data, Status.SENT, Status.DUNNED)
            made = (self._decide(invoice, self.today), self.accounts[invoice.customer.id])
        decision, account = made
        action = decision.action
        current = self.invoices.get(decision.invoice.id)
        if current is None or not isinstance(action, IssueStage):
            return
        if forged:
            action = attrs.evolve(action, fee=action.fee + Money("2.50", EUR))
        actor = self._actor(data, AUTOMATION, ACCOUNTANT)
        self.book_by(actor, current, action, account, through_run=False)

    def book_by(
        self,
        actor: Actor,
        invoice: Invoice,
        action: IssueStage,
        account: CustomerAccount,
        *,
        through_run: bool,
    ) -> None:
        """``actor`` books ``action`` on ``invoice`` with record_notice, or as the run's one
        decision with record_notices."""
        if through_run:
            decision = Decision(invoice=invoice, action=action)
            books = self._attempt(
                "record_notices",
                lambda: self._record_notices([invoice], [decision], actor),
                invoice,
                decision,
            )
            done = None if books is None else books[0]
        else:
            done = self._attempt(
                "record_notice", lambda: self._record_notice(invoice, action, actor), invoice
            )
        if done is not None:
            self._booked_as_decided(invoice, done, action, account)
            self._store(done)

    @rule(
        data=st.data(),
        change=st.sampled_from(("pay", "interest", "hold", "pause")),
        through_run=st.booleans(),
    )
    def book_a_decision_after_a_change(
        self, data: st.DataObject, change: str, through_run: bool
    ) -> None:
        """Decide for an invoice, change it the same day (a part payment, its accrued
        interest charged, a dispute, a pause), then book the decision made before."""
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        self.book_after_change_by(self._actor(data, AUTOMATION), invoice, change, through_run)

    def book_after_change_by(
        self, actor: Actor, invoice: Invoice, change: str, through_run: bool
    ) -> None:
        decision = self._decide(invoice, self.today)
        if not isinstance(decision.action, IssueStage):
            return
        account = self.accounts[invoice.customer.id]
        if change == "pay":
            self.pay_by(invoice, actor, "half")
        elif change == "interest":
            self.charge_by(invoice, actor, accrued=True)
        elif change == "hold":
            self.hold_by(invoice, actor, _hold(HoldKind.DISPUTE, self.today, 0))
        else:
            self.pause_by(invoice, actor, pausing=True)
        current = self.invoices[invoice.id]
        self.book_by(actor, current, decision.action, account, through_run=through_run)

    @rule(data=st.data())
    def wait_for_dunning(self, data: st.DataObject) -> None:
        """On to the day the engine names for an invoice's next step, if it names one."""
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        action = self._decide(invoice, self.today).action
        next_on = getattr(action, "next_on", None)
        if next_on is not None and next_on > self.today:
            self.today = next_on

    @rule(data=st.data(), stale=st.booleans())
    def escalate(self, data: st.DataObject, stale: bool) -> None:
        made = self._stale(data, Escalate) if stale else None
        if made is None:
            invoice = self._invoice(data, Status.DUNNED)
            made = (self._decide(invoice, self.today), self.accounts[invoice.customer.id])
        decision, account = made
        action = decision.action
        current = self.invoices.get(decision.invoice.id)
        if current is None or not isinstance(action, Escalate):
            return
        self.escalate_by(self._actor(data, AUTOMATION, ACCOUNTANT), current, action, account)

    def escalate_by(
        self, actor: Actor, invoice: Invoice, action: Escalate, account: CustomerAccount
    ) -> None:
        done = self._attempt(
            "apply_escalation", lambda: self._apply_escalation(invoice, action, actor), invoice
        )
        if done is not None:
            self._booked_as_decided(invoice, done, action, account)
            self._store(done)

    # -- the daily run and prepared notices ---------------------------------------------------

    @rule(data=st.data(), twice=st.booleans(), book=st.booleans(), every=st.booleans())
    def daily_run(self, data: st.DataObject, twice: bool, book: bool, every: bool) -> None:
        """plan over the open invoices (now and then one of them passed twice), then either
        book the documents (those sent automatically, or ``every`` one) with record_notices,
        or group them into customer notices and prepare them (with the customer's approval,
        or not)."""
        actor = self._actor(data, AUTOMATION)
        self.run_by(actor, twice=twice, book=book, every=every, approval=data.draw(st.booleans()))

    def run_by(self, actor: Actor, *, twice: bool, book: bool, every: bool, approval: bool) -> None:
        books = [
            inv for inv in self.invoices.values() if inv.status in (Status.SENT, Status.DUNNED)
        ]
        if not books:
            return
        if twice:
            books.append(books[0])
        accounts = dict(self.accounts)
        waiting = list(self.prepared)
        decisions = self._attempt(
            "plan", lambda: self._plan(books, self.dunning, self.today, accounts, waiting), books
        )
        if not decisions:
            return
        self.decisions.extend((d, accounts[d.invoice.customer.id]) for d in decisions)
        if book:
            issued = [
                d
                for d in decisions
                if isinstance(d.action, IssueStage)
                and (every or d.action.dispatch is DispatchMode.AUTOMATIC)
            ]
            done = self._attempt(
                "record_notices", lambda: self._record_notices(books, issued, actor), books, issued
            )
            if done is None:
                return
            by_id = {d.invoice.id: d.action for d in issued}
            for before, after in zip(books, done, strict=True):
                action = by_id.get(before.id)
                if action is not None:
                    _law(isinstance(action, IssueStage), f"{action} where a stage was issued")
                    issued_stage = cast("IssueStage", action)
                    account = accounts[before.customer.id]
                    self._booked_as_decided(before, after, issued_stage, account)
                    self._store(after)
            return
        notices = self._attempt("group_notices", lambda: self._group_notices(decisions), decisions)
        for notice in notices or ():
            self.prepare_by(actor, notice, approval)

    def notice_life(
        self, decision: Decision, preparer: Actor, approver: Actor, sender: Actor
    ) -> None:
        """``decision``'s notice prepared, approved and sent by the three people given."""
        for notice in self._attempt("group_notices", lambda: self._group_notices([decision])) or ():
            if self.prepare_by(preparer, notice, False):
                self.decide_by(len(self.prepared) - 1, approver, True)
                self.send_notice_by(len(self.prepared) - 1, sender, False)

    def prepare_by(self, actor: Actor, notice: CustomerNotice, approval: bool) -> bool:
        """``actor`` prepares ``notice``; whether it was."""
        prepared = self._attempt(
            "prepare_notice", lambda: self._prepare_notice(notice, actor, approval), notice
        )
        if prepared is None:
            return False
        self.prepared.append(prepared)
        return True

    @rule(data=st.data())
    def prepare_a_reminder(self, data: st.DataObject) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        actor = self._actor(data, ACCOUNTANT)
        account = self.accounts[invoice.customer.id]
        prepared = self._attempt(
            "prepare_reminder",
            lambda: self._prepare_reminder(
                invoice, self._rules(invoice), self.today, actor, account
            ),
            invoice,
            account,
        )
        if prepared is not None:
            self.prepared.append(prepared)

    def _store_prepared(self, index: int, prepared: PreparedNotice) -> None:
        old = self.prepared[index]
        _law(prepared.steps[: len(old.steps)] == old.steps, "a notice's life rewritten")
        self.prepared[index] = prepared

    @precondition(lambda self: self.prepared)
    @rule(data=st.data(), approve=st.booleans())
    def decide_a_notice(self, data: st.DataObject, approve: bool) -> None:
        index = data.draw(st.integers(0, len(self.prepared) - 1))
        self.decide_by(index, self._actor(data, REVIEWER, ACCOUNTANT), approve)

    def decide_by(self, index: int, actor: Actor, approve: bool) -> None:
        prepared = self.prepared[index]
        if approve:
            done = self._attempt(
                "approve_notice",
                lambda: self._approve_notice(prepared, actor, self.today, self.policy),
                prepared,
            )
        else:
            done = self._attempt(
                "reject_notice", lambda: self._reject_notice(prepared, actor, self.today), prepared
            )
        if done is not None:
            self._store_prepared(index, done)

    @precondition(lambda self: self.prepared)
    @rule(data=st.data(), forged=st.booleans())
    def send_a_notice(self, data: st.DataObject, forged: bool) -> None:
        """Send a prepared notice; or one waiting for approval with an approval by an actor
        nobody knows written into its steps by hand (``forged``)."""
        index = data.draw(st.integers(0, len(self.prepared) - 1))
        self.send_notice_by(index, self._actor(data, ACCOUNTANT, AUTOMATION), forged)

    def send_notice_by(self, index: int, actor: Actor, forged: bool) -> None:
        prepared = self.prepared[index]
        forged = forged and prepared.state is NoticeState.PREPARED and prepared.needs_approval
        if forged:
            ghost = NoticeStep(on=self.today, state=NoticeState.APPROVED, actor="ghost")
            prepared = attrs.evolve(prepared, steps=(*prepared.steps, ghost))
        current = list(self.invoices.values())
        done = self._attempt(
            "send_notice",
            lambda: self._send_notice(prepared, current, actor, self.today, self.policy),
            prepared,
            current,
        )
        if done is None:
            return
        sent, booked = done
        _law(not forged, "a notice sent on an approval written by hand")
        self._store_prepared(index, sent)
        for decision, stage, after in zip(
            prepared.notice.decisions, prepared.notice.stages, booked, strict=True
        ):
            before = self.invoices[decision.invoice.id]
            self._booked_as_decided(before, after, stage, None)
            self._store(after)

    @rule(data=st.data(), through_run=st.booleans())
    def dun_to_the_end(self, data: st.DataObject, through_run: bool) -> None:
        """Follow one open invoice's dunning to its end by the people it needs: on each day
        the engine names, book what it decides (by the automatic actor; a stage sent after
        approval prepared by it, approved by the reviewer and sent by the accountant), and
        apply the escalation. Takes runs to the later stages and escalations."""
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        self.dun_by(invoice, through_run, steps=2 * len(self._rules(invoice).stages) + 2)

    def dun_by(self, invoice: Invoice, through_run: bool, *, steps: int) -> None:
        """At most ``steps`` steps of :meth:`dun_to_the_end`."""
        reviewer, accountant, robot = CAST[1], CAST[2], CAST[4]
        for _ in range(steps):
            account = self.accounts[invoice.customer.id]
            decision = self._decide(invoice, self.today)
            action = decision.action
            if isinstance(action, Escalate):
                self.escalate_by(robot, invoice, action, account)
                return
            if isinstance(action, IssueStage) and action.dispatch is DispatchMode.AUTOMATIC:
                self.book_by(robot, invoice, action, account, through_run=through_run)
            elif isinstance(action, IssueStage):
                self.notice_life(decision, robot, reviewer, accountant)
            elif action.next_on is not None and action.next_on > self.today:
                self.today = action.next_on
            else:
                return
            invoice = self.invoices[invoice.id]

    # -- the customer's account ---------------------------------------------------------------

    @rule(
        data=st.data(),
        customer=st.sampled_from(CUSTOMERS),
        fees=st.booleans(),
        enabled=st.booleans(),
    )
    def switch(self, data: st.DataObject, customer: Customer, fees: bool, enabled: bool) -> None:
        account, actor = self.accounts[customer.id], self._actor(data, ACCOUNTANT)
        operation = self._switch_fees if fees else self._switch_dunning
        after = self._attempt(
            operation.__name__, lambda: operation(account, enabled, self.today, actor), account
        )
        if after is not None:
            self._store_account(after)

    @rule(
        data=st.data(),
        customer=st.sampled_from(CUSTOMERS),
        kind=st.sampled_from(HoldKind),
        days=st.integers(0, 20),
        place=st.booleans(),
    )
    def hold_the_account(
        self, data: st.DataObject, customer: Customer, kind: HoldKind, days: int, place: bool
    ) -> None:
        account, actor = self.accounts[customer.id], self._actor(data, ACCOUNTANT)
        if place:
            hold = _hold(kind, self.today, days)
            after = self._attempt(
                "hold_account", lambda: self._hold_account(account, hold, actor), account
            )
        else:
            after = self._attempt(
                "lift_account_hold",
                lambda: self._lift_account_hold(account, kind, self.today, actor),
                account,
            )
        if after is not None:
            self._store_account(after)

    # -- the day ------------------------------------------------------------------------------

    @rule(days=st.integers(0, 20))
    def advance(self, days: int) -> None:
        self.today += dt.timedelta(days=days)

    # -- invariants ---------------------------------------------------------------------------

    @invariant()
    def every_invoice_is_a_state_the_table_can_produce(self) -> None:
        for invoice in self.invoices.values():
            _law(attrs.evolve(invoice) == invoice, f"{invoice.id}: its constructor refuses it")
            history = invoice.history
            _law(history, f"{invoice.id}: no history")
            state = Status.DRAFT
            for before, entry in itertools.pairwise(history):
                _law(before.on <= entry.on, f"{invoice.id}: history goes back in time")
            for entry in history:
                _law(entry.from_status is state, f"{invoice.id}: a broken chain at {entry}")
                state = entry.to_status
            _law(state is invoice.status, f"{invoice.id}: history leads to {state.name}")
            if invoice.status in (Status.PAID, Status.CANCELLED, Status.WRITTEN_OFF):
                _law(invoice.open_amount.is_zero, f"{invoice.id} {invoice.status.name} owes")
            if invoice.status is Status.DUNNED:
                _law(invoice.notices, f"{invoice.id} is DUNNED without a notice")
            if not invoice.status.is_booked:
                continue
            last = history[-1].on
            days = [
                *(payment.on for payment in invoice.payments),
                *(note.on for note in invoice.credit_notes),
                *(notice.on for notice in invoice.notices),
                *(charge.on for charge in invoice.interest),
                *(entry.on for entry in invoice.write_offs),
            ]
            for day in days:
                _law(
                    invoice.issue_date <= day <= last,
                    f"{invoice.id}: a booking on {day}, outside {invoice.issue_date}..{last}",
                )
            _law(as_of(invoice, last) == invoice, f"{invoice.id}: as_of its last step")

    @invariant()
    def money_is_conserved_per_invoice(self) -> None:
        for invoice in self.invoices.values():
            charged = invoice.gross + invoice.fees + invoice.interest_charged
            cleared = invoice.paid + invoice.discounts + invoice.credited + invoice.written_off
            _law(charged == cleared + invoice.open_amount, invoice.id)
            _law(invoice.total_due == invoice.settled + invoice.written_off + invoice.open_amount)
            if invoice.status.is_booked:
                _law(balance(invoice).total == invoice.open_amount, invoice.id)

    @invariant()
    def money_is_conserved_per_customer_with_credit(self) -> None:
        for customer, account in self.accounts.items():
            payments = [
                p for i in self.invoices.values() if i.customer.id == customer for p in i.payments
            ]
            by_credit = sum((p.amount for p in payments if p.reference == CREDIT_REFERENCE), ZERO)
            in_cash = sum((p.amount for p in payments if p.reference != CREDIT_REFERENCE), ZERO)
            kept, used = account.credit_kept(EUR), account.credit_used(EUR)
            _law(kept == account.credit(EUR, FAR) + used, customer)
            _law(used == by_credit, f"{customer}: credit used {used}, booked {by_credit}")
            _law(self.received[customer] == in_cash + self.overpaid[customer], customer)
            sources = sum(
                (self.results[i].overpayment for i in self.kept[customer]),
                self.kept_by_hand[customer],
            )
            _law(kept == sources, f"{customer}: credit kept {kept}, came in {sources}")

    @invariant()
    def nobody_did_what_their_role_or_the_eyes_policy_forbids(self) -> None:
        eyes = self.policy.eyes
        for invoice in self.invoices.values():
            editors = self.editors[invoice.id]
            if invoice.cancels is not None:
                original = self.invoices[invoice.cancels]
                breaches = cancelling_breaches(invoice, original, self.actors, self.permissions)
            else:
                breaches = history_breaches(invoice, self.actors, editors, eyes, self.permissions)
            _law(breaches == [], breaches)
        for prepared in self.prepared:
            _law(notice_breaches(prepared, self.actors, eyes, self.permissions) == [])
        account_roles = _granted(self.permissions, *_ACCOUNT_OPERATIONS)
        for account in self.accounts.values():
            for change in account.history:
                roles = self.actors[change.actor].roles
                _law(not roles.isdisjoint(account_roles), f"{change.actor}: {change.kind}")

    @invariant()
    def invoice_numbers_are_unique_and_gapless(self) -> None:
        numbers = sorted(inv.number for inv in self.invoices.values() if inv.status.is_booked)
        taken = range(1, self.sequence.next_value)
        _law(numbers == sorted(self.sequence.format(n) for n in taken), numbers)

    @invariant()
    def a_customer_notice_lists_an_invoice_once(self) -> None:
        for prepared in self.prepared:
            ids = [invoice.id for invoice in prepared.invoices]
            _law(len(set(ids)) == len(ids), f"a notice lists {ids}")


def _hold(kind: HoldKind, day: dt.date, days: int) -> Hold:
    """A hold of ``kind`` from ``day``, ending ``days`` later (a dispute without end at 0)."""
    until = day + dt.timedelta(days=days)
    if kind is HoldKind.DISPUTE:
        return Hold.dispute(on=day, reason="contested", until=until if days else None)
    if kind is HoldKind.PROMISE_TO_PAY:
        return Hold.promise_to_pay(on=day, until=until, reason="will pay")
    return Hold.direct_debit(on=day, collection_date=until)
