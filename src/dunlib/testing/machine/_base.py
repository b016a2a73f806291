"""The machine's state (the portfolio, its accounts, the decisions and prepared letters
kept) and the helpers every topic's rules use: drawing an actor or an invoice,
attempting a step, storing what it booked."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from hypothesis import strategies as st

from dunlib.core.errors import DunlibError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.numbering import NumberSequence
from dunlib.core.status import Status
from dunlib.dunning.accounts import CustomerAccount
from dunlib.dunning.actions import Escalate, IssueStage
from dunlib.dunning.decisions import Decision
from dunlib.dunning.engine import next_dunning_action
from dunlib.dunning.holds import holds_on
from dunlib.dunning.instalments import instalment_plan
from dunlib.dunning.stages import DunningRules, Escalation
from dunlib.payments import PaymentResult
from dunlib.portfolio.prepared import PreparedLetter
from dunlib.portfolio.run import RulesFor
from dunlib.testing.machine._model import (
    CAST,
    CUSTOMERS,
    SERIES,
    SETTINGS,
    START,
    ZERO,
    _event,
    _granted,
    _law,
    _no_refusal_changes,
    kit_rules,
)
from dunlib.testing.machine._operations import Operations
from dunlib.workflow.policy import Actor, Authority, Operation, Permissions

_T = TypeVar("_T")


class MachineBase(Operations):
    """What every topic's rules share: what a subclass gives (rules, policies,
    permissions), the portfolio and its bookkeeping, and the helpers."""

    dunning_rules: ClassVar[RulesFor | None] = None
    """Your dunning rules: DunningRules, or a function ``Invoice -> DunningRules`` as
    :func:`dunlib.plan` takes (fees in EUR). None: the kit's ladder (:func:`kit_rules`)
    with its approval and escalation drawn per run."""
    policies: ClassVar[tuple[Authority, ...]] = (
        Authority(eyes=2),
        Authority(eyes=4),
        Authority(eyes=6),
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
        self.policy = Authority(eyes=4)
        self.dunning: RulesFor = self.rules_for_run(False, Escalation.COLLECTION)
        self._editing = _granted(self.permissions, Operation.EDIT_LINES)
        self.pool: list[Actor] = list(CAST)
        self.actors: dict[str, Actor] = {actor.id: actor for actor in CAST}
        self.invoices: dict[str, Invoice] = {}
        self.editors: dict[str, set[str]] = {}
        self.accounts = {c.id: CustomerAccount(customer_id=c.id) for c in CUSTOMERS}
        self.sequence = NumberSequence(prefix="RE-", next_value=1, width=4)
        self.series = SERIES
        self.decisions: list[tuple[Decision, CustomerAccount]] = []
        self.prepared: list[PreparedLetter] = []
        self.results: list[PaymentResult] = []
        self.kept: dict[str, set[int]] = {c.id: set() for c in CUSTOMERS}
        self.kept_by_hand = {c.id: ZERO for c in CUSTOMERS}
        self.received = {c.id: ZERO for c in CUSTOMERS}
        self.overpaid = {c.id: ZERO for c in CUSTOMERS}
        self.recovered_in: dict[str, Money] = {}  # money received after a write-off, by invoice
        self.recovered_over: dict[str, Money] = {}  # of it, what came back as overpayment
        self.counter = 0

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
        action = next_dunning_action(invoice, self._rules(invoice), today=day, account=account)
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
        """``after`` booked ``action`` on ``before``: never while a hold or an instalment plan
        holds or dunning is paused on its day, and (given the ``account`` it was decided with)
        the very document the engine decides for ``before`` on that day."""
        day = action.on
        paused = before.paused_since is not None and before.paused_since <= day
        if holds_on(before, today=day) or paused:
            raise AssertionError(f"{before.id}: booked under a hold or a pause on {day}")
        plan = instalment_plan(before, today=day)
        if plan is not None and plan.holds:
            raise AssertionError(f"{before.id}: booked under an instalment plan on {day}")
        if account is None or not isinstance(action, IssueStage):
            return
        fresh = next_dunning_action(
            before, self._rules(before), today=day, account=account, credit=action.credit
        )
        facts = ("level", "stage_number", "fee", "interest", "due_date", "open_amount")
        booked = {name: getattr(action, name) for name in facts}
        decided = {name: getattr(fresh, name, None) for name in facts}
        _law(booked == decided, f"{before.id}: booked {booked}, the engine decides {fresh}")
        _law(after.issued_stages[-1] == action.issued())
