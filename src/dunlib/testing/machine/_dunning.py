"""The rules of holds, pauses, interest, booking the engine's decisions, following an invoice's
dunning to its end, and escalation."""

from __future__ import annotations

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import rule

from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.records import Hold, HoldKind, InterestCharge
from dunlib.core.status import Status
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION
from dunlib.dunning.accounts import CustomerAccount
from dunlib.dunning.actions import Escalate, IssueStage
from dunlib.dunning.decisions import Decision
from dunlib.dunning.interest import accrued_interest
from dunlib.dunning.stages import DispatchMode
from dunlib.testing.machine._letters import LetterSteps
from dunlib.testing.machine._model import CAST, EUR, _hold
from dunlib.testing.machine._payments import PaymentSteps
from dunlib.workflow.policy import Actor


class DunningSteps(LetterSteps, PaymentSteps):
    """Holds, pauses and interest; the engine's decisions booked (fresh, stale, forged or
    after a change), waited for, followed to the end; escalations."""

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
        self.lift_by(invoice, self._actor(data, ACCOUNTANT, AUTOMATION), kind)

    def lift_by(self, invoice: Invoice, actor: Actor, kind: HoldKind) -> None:
        """``actor`` lifts ``invoice``'s hold of ``kind`` today."""
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
        """``actor`` books ``action`` on ``invoice`` with record_stage, or as the run's one
        decision with record_stages."""
        if through_run:
            decision = Decision(invoice=invoice, action=action)
            books = self._attempt(
                "record_stages",
                lambda: self._record_stages([invoice], [decision], actor),
                invoice,
                decision,
            )
            done = None if books is None else books[0]
        else:
            done = self._attempt(
                "record_stage", lambda: self._record_stage(invoice, action, actor), invoice
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
            "record_escalation", lambda: self._apply_escalation(invoice, action, actor), invoice
        )
        if done is not None:
            self._booked_as_decided(invoice, done, action, account)
            self._store(done)

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
                self.letter_life(decision, robot, reviewer, accountant)
            elif action.next_on is not None and action.next_on > self.today:
                self.today = action.next_on
            else:
                return
            invoice = self.invoices[invoice.id]
