"""The laws checked after every step (the module docs of dunlib.testing.machine list them)."""

from __future__ import annotations

import itertools

import attrs
from hypothesis.stateful import invariant

from dunlib.core.status import Status
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
