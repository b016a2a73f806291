"""The rules of the customer's account: its credit kept and used, its switches, its holds."""

from __future__ import annotations

from decimal import Decimal

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from dunlib.core.money import Money
from dunlib.core.records import Customer, HoldKind
from dunlib.core.status import Status
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION
from dunlib.testing.machine._base import MachineBase
from dunlib.testing.machine._model import CUSTOMERS, EUR, _hold, _law
from dunlib.workflow.policy import Actor


class AccountSteps(MachineBase):
    """Overpayments and credit kept, credit used; the dunning and fees switches; account
    holds placed and lifted."""

    # -- the customer's credit ----------------------------------------------------------------

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
