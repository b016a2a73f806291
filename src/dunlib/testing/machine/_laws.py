"""The laws checked after every step (the module docs of dunlib.testing.machine list them)."""

from __future__ import annotations

import itertools

import attrs
from hypothesis.stateful import invariant

from dunlib.billing.orders import BillingFlag
from dunlib.core.status import Status
from dunlib.dunning.interest import default_begins
from dunlib.payments.allocation import balance
from dunlib.testing.machine._audit import cancelling_breaches, history_breaches, letter_breaches
from dunlib.testing.machine._base import MachineBase
from dunlib.testing.machine._model import (
    _ACCOUNT_OPERATIONS,
    CREDIT_REFERENCE,
    EUR,
    FAR,
    ZERO,
    _granted,
    _law,
)
from dunlib.workflow.audit import as_of


class Laws(MachineBase):
    """The invariants: every invoice a state the table can produce, money conserved per
    invoice and per customer, nobody beyond their rights, numbers gapless, notices unique."""

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
                _law(invoice.issued_stages, f"{invoice.id} is DUNNED without a notice")
            if not invoice.status.is_booked:
                continue
            last = history[-1].on
            days = [
                *(payment.on for payment in invoice.payments),
                *(note.on for note in invoice.credit_notes),
                *(notice.on for notice in invoice.issued_stages),
                *(charge.on for charge in invoice.interest_charges),
                *(entry.on for entry in invoice.write_offs),
                *(item.on for item in invoice.recoveries),
                *(plan.on for plan in invoice.instalment_plans),
            ]
            for day in days:
                _law(
                    invoice.issue_date <= day <= last,
                    f"{invoice.id}: a booking on {day}, outside {invoice.issue_date}..{last}",
                )
            _law(as_of(invoice, today=last) == invoice, f"{invoice.id}: as_of its last step")

    @invariant()
    def nothing_is_charged_before_default_and_the_flat_fee_once(self) -> None:
        for invoice in self.invoices.values():
            due = invoice.due_date
            for stage in invoice.issued_stages:
                if stage.on <= due:
                    _law(stage.fee.is_zero, f"{invoice.id}: a fee on {stage.on}, due {due}")
            flat = [stage for stage in invoice.issued_stages if stage.flat_fee.amount]
            _law(len(flat) <= 1, f"{invoice.id}: the flat fee claimed {len(flat)} times")
            for stage in flat:  # default by a holiday calendar begins no earlier than this
                begins = default_begins(invoice)
                _law(
                    begins is not None and begins <= stage.on,
                    f"{invoice.id}: the flat fee on {stage.on}, default from {begins}",
                )
            for charge in invoice.interest_charges:
                _law(charge.on > due, f"{invoice.id}: interest charged on {charge.on}")

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
                p
                for i in self.invoices.values()
                if i.customer.id == customer
                for p in i.kept_payments
            ]
            by_credit = sum((p.amount for p in payments if p.reference == CREDIT_REFERENCE), ZERO)
            in_cash = sum((p.amount for p in payments if p.reference != CREDIT_REFERENCE), ZERO)
            kept, used = account.credit_kept(EUR), account.credit_used(EUR)
            _law(kept == account.credit(EUR, today=FAR) + used, customer)
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
            _law(letter_breaches(prepared, self.actors, eyes, self.permissions) == [])
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

    @invariant()
    def a_series_bills_each_item_once(self) -> None:
        series = self.series
        booked = [i for i in self.invoices.values() if i.status.is_booked and i.cancels is None]
        setups = [i.id for i in booked for line in i.lines if line.source == "setup"]
        _law(len(setups) <= 1, f"the setup billed on {setups}")
        periods = [line.description for i in booked for line in i.lines if line.source == "hosting"]
        _law(len(periods) == len(set(periods)), f"a period billed twice: {sorted(periods)}")
        hosting, setup = series.items
        for period in (*hosting.periods, *hosting.billed_periods, *series.due_again):
            _law(period < series.next_period, f"period {period} marked before it was billed")
        if setup.flag is BillingFlag.BILLED:
            billed = self.invoices.get(setup.invoice_id or "")
            _law(billed is not None and billed.status.is_booked, "the setup marked billed unsent")
