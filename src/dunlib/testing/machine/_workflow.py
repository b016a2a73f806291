"""The rules of drafts and the approval workflow: create, edit lines, merge, step, send, and
record a document made, sent again or printed."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from hypothesis import strategies as st
from hypothesis.stateful import rule

from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice
from dunlib.core.records import Customer
from dunlib.core.status import Status
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION, CLERK, REVIEWER, Command
from dunlib.testing.machine._base import MachineBase
from dunlib.testing.machine._model import CUSTOMERS, PRICES, _law, _line
from dunlib.workflow.policy import Actor

_DOCUMENT_KINDS = (EventKind.DOCUMENT_MADE, EventKind.DOCUMENT_RESENT, EventKind.DOCUMENT_PRINTED)


class WorkflowSteps(MachineBase):
    """Drafts created, their lines edited, merged; workflow steps tried by anyone; sending."""

    # -- drafts -------------------------------------------------------------------------------

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

    @rule(
        data=st.data(),
        command=st.sampled_from((Command.MAKE_DOCUMENT, Command.RESEND, Command.PRINT)),
    )
    def record_a_document(self, data: st.DataObject, command: Command) -> None:
        """A document of an invoice made, sent again or printed: recorded in the history,
        the state and every amount unchanged."""
        invoice = self._invoice(data, Status.SENT, Status.PAID)
        actor = self._actor(data, ACCOUNTANT, CLERK)
        recorded = self._attempt(
            f"record {command.name}",
            lambda: self._record_document(invoice, command, actor, self.today),
            invoice,
        )
        if recorded is None:
            return
        _law(
            (recorded.status, recorded.open_amount) == (invoice.status, invoice.open_amount)
            and recorded.history[-1].kind in _DOCUMENT_KINDS,
            f"{invoice.id}: recording a document changed the invoice",
        )
        self._store(recorded)

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
