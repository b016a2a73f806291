"""The rules of a contract series and of negative drafts: the series bills its periods, its
drafts are sent or deleted with their items' billing marks; a negative draft is booked by
hand."""

from __future__ import annotations

from typing import cast

from hypothesis import strategies as st
from hypothesis.stateful import rule

from dunlib.billing.contracts import SERIES_ACTOR, SeriesBilled
from dunlib.core.invoice import Invoice
from dunlib.core.status import Status
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION
from dunlib.testing.machine._base import MachineBase
from dunlib.testing.machine._model import _law


class BillingSteps(MachineBase):
    """The series of the business customer run on the day; its drafts sent or deleted by
    whoever tries; negative drafts booked by hand."""

    def _series_draft(self, data: st.DataObject) -> Invoice:
        """One of the series's invoices not sent yet; now and then (and when there is none)
        any invoice, which the series's steps refuse."""
        prefix = f"{self.series.id}-"
        keys = sorted(
            key
            for key, invoice in self.invoices.items()
            if key.startswith(prefix) and not invoice.status.is_booked
        )
        if not keys or data.draw(st.integers(0, 5)) == 0:
            return self._invoice(data)
        return self.invoices[data.draw(st.sampled_from(keys))]

    @rule()
    def bill_the_series(self) -> None:
        billed = self._attempt(
            "invoices_due", lambda: self._invoices_due(self.series, self.today), self.series
        )
        _law(billed is not None, "the series refused to bill its periods")
        billed = cast("SeriesBilled", billed)
        self.actors[SERIES_ACTOR.id] = SERIES_ACTOR
        for invoice in billed.invoices:
            _law(invoice.id not in self.invoices, f"{invoice.id}: created twice")
            _law(invoice.status is Status.DRAFT, f"{invoice.id}: {invoice.status.name}")
            self.editors[invoice.id] = set()
            self._store(invoice)
        self.series = billed.contract

    @rule(data=st.data())
    def send_a_series_invoice(self, data: st.DataObject) -> None:
        invoice = self._series_draft(data)
        actor, sequence, series = (
            self._actor(data, ACCOUNTANT, AUTOMATION),
            self.sequence,
            self.series,
        )
        done = self._attempt(
            "send_series_invoice",
            lambda: self._send_series_invoice(invoice, series, actor, self.today, sequence),
            invoice,
            series,
            sequence,
        )
        if done is None:
            return
        _law(done.sent.invoice.number == sequence.next_number)
        self.sequence = done.sent.sequence
        self.series = done.contract
        self._store(done.sent.invoice)

    @rule(data=st.data())
    def delete_a_series_invoice(self, data: st.DataObject) -> None:
        invoice = self._series_draft(data)
        series = self.series
        done = self._attempt(
            "delete_series_invoice",
            lambda: self._delete_series_invoice(invoice, series),
            invoice,
            series,
        )
        if done is None:
            return
        _law(not invoice.status.is_booked, f"{invoice.id}: a booked invoice deleted")
        del self.invoices[invoice.id]
        del self.editors[invoice.id]
        self.series = done

    @rule(data=st.data())
    def book_it_by_hand(self, data: st.DataObject) -> None:
        negative = sorted(
            key
            for key, invoice in self.invoices.items()
            if invoice.status is Status.DRAFT and invoice.gross.is_negative
        )
        if negative and data.draw(st.integers(0, 3)) > 0:
            invoice = self.invoices[data.draw(st.sampled_from(negative))]
        else:
            invoice = self._invoice(data, Status.DRAFT)
        actor, sequence = self._actor(data, ACCOUNTANT), self.sequence
        done = self._attempt(
            "book_by_hand",
            lambda: self._book_by_hand(invoice, actor, self.today, sequence),
            invoice,
            sequence,
        )
        if done is None:
            return
        _law(invoice.gross.is_negative, f"{invoice.id}: a total of {invoice.gross} by hand")
        _law(done.invoice.status is Status.PAID and done.credit == -invoice.gross)
        _law(done.invoice.number == sequence.next_number)
        self.sequence = done.sequence
        self._store(done.invoice)
