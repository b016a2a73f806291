"""A Hypothesis state machine over every operation, for your rules: subclass
:class:`ReceivablesMachine` and every public operation that changes an invoice or a
customer's account is tried under your dunning rules, whoever attempts it, in whatever order,
with every law below checked after every step.

Needs the ``testing`` extra (Hypothesis); ``import dunlib`` never imports this module.

.. code-block:: python

    from dunlib import Authority
    from dunlib.testing.machine import ReceivablesMachine

    from ladder import rules_for  # your function Invoice -> DunningRules (or a DunningRules)


    class OurLadderMachine(ReceivablesMachine):
        dunning_rules = staticmethod(rules_for)
        policies = (Authority(eyes=4),)  # the policies a run draws from (default: 2, 4, 6)
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
through the workflow and sent, or booked by hand when negative; a contract series bills its
periods and its drafts are sent or deleted with their items' billing marks; invoices are
paid (overpayments kept as the customer's credit, credit used), credited (by lines or an
agreed amount), cancelled, written off (and money recovered after it), held and lifted,
given instalment plans (paid by instalments, cancelled), paused and resumed, charged
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
- nothing is charged before the debtor is late: no fee on a stage issued on or before the
  due date, no interest charged then, and the § 288 (5) BGB flat fee at most once, on a day
  the debtor is in default;
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
  (:func:`history_breaches`, :func:`letter_breaches`, :func:`cancelling_breaches`);
- every document booked is the one the engine decides for that invoice on that day, never
  while a hold or an instalment plan holds or dunning is paused, and a dunning letter lists
  an invoice once;
- the contract series bills its one-off item at most once and each period's recurring item
  at most once among the invoices booked, and its items' marks agree with them;
- while an instalment plan holds on the machine's day, the engine says NoAction (for the
  plan, with its ``next_on``, or for a reason it asks first);
- recoveries keep the write-off: 0 <= recovered <= written off, only on a written-off
  invoice, and the money received after the write-off is what was recovered plus what came
  back as the overpayment.

Each operation is called through one small adapter method, so that a changed signature is a
one-line change.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from hypothesis.stateful import initialize, rule

from dunlib.core.status import Status
from dunlib.core.transitions import Command
from dunlib.dunning.stages import Escalation
from dunlib.testing.machine._accounts import AccountSteps
from dunlib.testing.machine._audit import cancelling_breaches, history_breaches, letter_breaches
from dunlib.testing.machine._billing import BillingSteps
from dunlib.testing.machine._dunning import DunningSteps
from dunlib.testing.machine._laws import Laws
from dunlib.testing.machine._model import (
    CAST,
    CUSTOMERS,
    SETTINGS,
    START,
    STRANGERS,
    _law,
    kit_rules,
)
from dunlib.testing.machine._plans import PlanSteps
from dunlib.testing.machine._workflow import WorkflowSteps
from dunlib.workflow.policy import Actor, Authority

__all__ = [
    "CAST",
    "CUSTOMERS",
    "SETTINGS",
    "START",
    "ReceivablesMachine",
    "cancelling_breaches",
    "history_breaches",
    "kit_rules",
    "letter_breaches",
]


class ReceivablesMachine(PlanSteps, DunningSteps, AccountSteps, BillingSteps, WorkflowSteps, Laws):
    """A portfolio of two customers' invoices and accounts, worked on by a pool of actors
    under your rules, policies and permissions; every law of the module docs is checked
    after every step.

    Subclass it and give what is yours as class attributes (or override
    :meth:`rules_for_run`); run it as a test with ``TestCase`` (see the module docs).
    """

    @initialize(
        policy=st.runner().flatmap(lambda machine: st.sampled_from(machine.policies)),
        approval=st.booleans(),
        escalation=st.sampled_from(Escalation),
        strangers=STRANGERS,
        days=st.integers(0, 30),
    )
    def start(
        self,
        policy: Authority,
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

    # -- the day ------------------------------------------------------------------------------

    @rule(days=st.integers(0, 20))
    def advance(self, days: int) -> None:
        self.today += dt.timedelta(days=days)
