"""The rules of instalment plans (agreed, paid by instalments, cancelled) and of recoveries
on written-off invoices, and their laws."""

from __future__ import annotations

import datetime as dt
from typing import cast

from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule

from dunlib.core.instalments import Instalment, InstalmentPlan, split_amount
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.status import Status
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION
from dunlib.dunning.actions import NoAction, NoActionReason
from dunlib.dunning.engine import next_dunning_action
from dunlib.dunning.instalments import PlanState, instalment_plan
from dunlib.payments.recovery import Recovery
from dunlib.testing.machine._model import EUR, ZERO, _law
from dunlib.testing.machine._payments import PaymentSteps
from dunlib.workflow.policy import Actor

_NOT_DUNNED_WHILE_PLANNED = frozenset(
    {
        NoActionReason.INSTALMENT_PLAN,  # the plan's own reason, or one the engine asks first
        NoActionReason.SETTLED,
        NoActionReason.CLOSED,
        NoActionReason.ESCALATED,
        NoActionReason.NO_ACTIVE_STAGE,
        NoActionReason.CUSTOMER_DISABLED,
        NoActionReason.PAUSED,
        NoActionReason.DISPUTED,
        NoActionReason.PROMISED_TO_PAY,
        NoActionReason.DIRECT_DEBIT_PENDING,
        NoActionReason.COVERED_BY_CREDIT,
    }
)


class PlanSteps(PaymentSteps):
    """Instalment plans agreed for what is open (now and then for a cent less: refused),
    instalments paid in full, in part or late, plans cancelled; money recovered after a
    write-off, now and then more than is left (the rest an overpayment)."""

    # -- instalment plans ---------------------------------------------------------------------

    @rule(
        data=st.data(),
        count=st.integers(1, 4),
        first=st.integers(0, 20),
        grace=st.integers(0, 5),
        waived=st.booleans(),
        short=st.sampled_from((False, False, False, True)),
    )
    def agree_a_plan(
        self, data: st.DataObject, count: int, first: int, grace: int, waived: bool, short: bool
    ) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        actor = self._actor(data, ACCOUNTANT)
        self.agree_plan_by(invoice, actor, count, first, grace, waived=waived, short=short)

    def agree_plan_by(
        self,
        invoice: Invoice,
        actor: Actor,
        count: int,
        first: int,
        grace: int,
        *,
        waived: bool,
        short: bool,
    ) -> None:
        """``actor`` agrees a plan of ``count`` instalments, every 10 days from ``first`` days
        on, for what is open (a cent less when ``short`` and more than a cent is open:
        refused by the guard covers-open; a cent when nothing is open: refused)."""
        cent = Money("0.01", EUR)
        short = short and invoice.open_amount > cent
        total = max(invoice.open_amount - (cent if short else ZERO), cent)
        count = min(count, int(total.amount * 100))
        plan = InstalmentPlan(
            on=self.today,
            instalments=tuple(
                Instalment(due=self.today + dt.timedelta(days=first + 10 * k), amount=part)
                for k, part in enumerate(split_amount(total, count))
            ),
            grace_days=grace,
            waives_interest=waived,
            reason="agreed by phone",
        )
        done = self._attempt(
            "agree_plan", lambda: self._agree_plan(invoice, plan, actor), invoice, plan
        )
        if done is not None:
            _law(not short, f"{invoice.id}: a plan for less than is open was agreed")
            self._store(done)

    @rule(data=st.data(), share=st.sampled_from(("instalment", "half", "cent")))
    def pay_an_instalment(self, data: st.DataObject, share: str) -> None:
        """Pay the next instalment of the plan of an invoice that had one (whole, half of it,
        a cent), by the automatic matching or an accountant."""
        planned = sorted(i.id for i in self.invoices.values() if i.instalment_plans)
        if planned:
            invoice = self.invoices[data.draw(st.sampled_from(planned))]
            self.pay_instalment_by(invoice, self._actor(data, AUTOMATION, ACCOUNTANT), share)

    def pay_instalment_by(self, invoice: Invoice, actor: Actor, share: str) -> None:
        """``actor`` books a payment of the next instalment of ``invoice``'s last plan not yet
        covered (``share``: all of it, half of it, a cent)."""
        state = instalment_plan(invoice, today=self.today)
        # plans are agreed on the machine's day, which only moves on: the plan is there
        _law(state is not None, f"{invoice.id}: a plan agreed after {self.today}")
        state = cast("PlanState", state)
        cent = Money("0.01", EUR)
        covered = sum((i.amount for i in state.plan.instalments[: state.kept + 1]), ZERO)
        instalment = max(covered - state.counted, cent)
        amount = {
            "instalment": instalment,
            "half": max(instalment.allocate([1, 1])[0], cent),
            "cent": cent,
        }[share]
        self.pay_amount_by(invoice, actor, amount)

    @rule(data=st.data())
    def cancel_a_plan(self, data: st.DataObject) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        self.cancel_plan_by(invoice, self._actor(data, ACCOUNTANT))

    def cancel_plan_by(self, invoice: Invoice, actor: Actor) -> None:
        """``actor`` cancels the plan that holds on ``invoice`` today: it holds no more."""
        done = self._attempt(
            "cancel_plan", lambda: self._cancel_plan(invoice, actor, self.today), invoice
        )
        if done is not None:
            state = instalment_plan(done, today=self.today)
            _law(state is not None and not state.holds, f"{invoice.id}: cancelled, still held")
            self._store(done)

    # -- recoveries ---------------------------------------------------------------------------

    @rule(data=st.data(), share=st.sampled_from(("cent", "half", "rest", "more")))
    def recover_money(self, data: st.DataObject, share: str) -> None:
        invoice = self._invoice(data, Status.WRITTEN_OFF)
        self.recover_by(invoice, self._actor(data, ACCOUNTANT, AUTOMATION), share)

    def recover_by(self, invoice: Invoice, actor: Actor, share: str) -> None:
        """``actor`` books money received for ``invoice`` (most of the time a written-off
        one): a cent, half of what is left to recover, the rest, or 5.00 more than that."""
        cent = Money("0.01", EUR)
        left = max(invoice.written_off - invoice.recovered, cent)
        amount = {
            "cent": cent,
            "half": max(left.allocate([1, 1])[0], cent),
            "rest": left,
            "more": left + Money("5.00", EUR),
        }[share]
        recovery = Recovery(on=self.today, amount=amount, reference="collector's statement")
        done = self._attempt(
            "record_recovery",
            lambda: self._record_recovery(invoice, recovery, actor),
            invoice,
            recovery,
        )
        if done is None:
            return
        _law(done.recovery.amount + done.overpayment == amount, f"{invoice.id}: money lost")
        self.recovered_in[invoice.id] = self.recovered_in.get(invoice.id, ZERO) + amount
        self.recovered_over[invoice.id] = (
            self.recovered_over.get(invoice.id, ZERO) + done.overpayment
        )
        self._store(done.invoice)

    # -- laws ---------------------------------------------------------------------------------

    @invariant()
    def a_kept_plan_holds_dunning(self) -> None:
        """On the machine's day, an invoice whose plan holds is not dunned: the engine says
        NoAction, for the plan or a reason it asks before it; a plan holds only from its day
        until it ended, and its next day to look is after today."""
        for invoice in self.invoices.values():
            if not invoice.instalment_plans:
                continue
            state = instalment_plan(invoice, today=self.today)
            if state is None or not state.holds:
                continue
            _law(state.next_on is not None and state.next_on > self.today, state)
            action = next_dunning_action(invoice, self._rules(invoice), today=self.today)
            _law(isinstance(action, NoAction), f"{invoice.id}: dunned under a plan: {action}")
            action = cast("NoAction", action)
            _law(action.reason in _NOT_DUNNED_WHILE_PLANNED, f"{invoice.id}: {action}")
            if action.reason is NoActionReason.INSTALMENT_PLAN:
                _law(action.next_on == state.next_on, f"{invoice.id}: {action} {state}")

    @invariant()
    def recoveries_conserve_money(self) -> None:
        """A recovery keeps the write-off: 0 <= recovered <= written off, only on a written-off
        invoice, with nothing open; the money received for it is what was recovered plus what
        came back as the overpayment."""
        for invoice in self.invoices.values():
            recovered = invoice.recovered
            _law(ZERO <= recovered <= max(invoice.written_off, ZERO), invoice.id)
            if recovered.is_positive:
                _law(invoice.status is Status.WRITTEN_OFF, invoice.id)
                _law(invoice.open_amount.is_zero, invoice.id)
            received = self.recovered_in.get(invoice.id, ZERO)
            over = self.recovered_over.get(invoice.id, ZERO)
            _law(received == recovered + over, f"{invoice.id}: {received} in, {recovered}")
