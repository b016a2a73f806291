"""The rules of payments, credit notes, cancellation and write-off."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from hypothesis.stateful import rule

from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.records import FeeWaiver, Payment, Reversal
from dunlib.core.status import Status
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION
from dunlib.testing.machine._base import MachineBase
from dunlib.testing.machine._model import CREDIT_REFERENCE, EUR, _law
from dunlib.workflow.policy import Actor


class PaymentSteps(MachineBase):
    """Payments of a cent, half, the whole or more; credit notes, cancellation, write-off."""

    # -- payments -----------------------------------------------------------------------------

    @rule(
        data=st.data(),
        share=st.sampled_from(("cent", "half", "whole", "over")),
        arrived=st.sampled_from((0, 0, 0, 3, 20)),
    )
    def pay(self, data: st.DataObject, share: str, arrived: int) -> None:
        """Book a payment today; now and then money that arrived ``arrived`` days before
        (its value date), which waives the fees of notices sent after it."""
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        self.pay_by(invoice, self._actor(data, AUTOMATION, ACCOUNTANT), share, arrived)

    @rule(data=st.data(), share=st.sampled_from(("cent", "all", "more")))
    def waive_a_fee(self, data: st.DataObject, share: str) -> None:
        """Waive a cent, all or more than the fees charged (dunlib.payments.waive_fees)."""
        invoice = self._invoice(data, Status.DUNNED)
        cent = Money("0.01", EUR)
        amount = {"cent": cent, "all": max(invoice.fees, cent), "more": invoice.fees + cent}[share]
        waiver = FeeWaiver(on=self.today, amount=amount, reason="goodwill")
        actor = self._actor(data, AUTOMATION, ACCOUNTANT)
        waived = self._attempt(
            "waive_fees", lambda: self._waive_fees(invoice, waiver, actor), invoice
        )
        if waived is not None:
            _law(waived.fees == invoice.fees - amount, invoice.id)
            self._store(waived)

    def pay_by(self, invoice: Invoice, actor: Actor, share: str, arrived: int = 0) -> None:
        cent = Money("0.01", EUR)
        open_amount = max(invoice.open_amount, cent)
        amount = {
            "cent": cent,
            "half": max(open_amount.allocate([1, 1])[0], cent),
            "whole": open_amount,
            "over": open_amount + Money("10.00", EUR),
        }[share]
        self.pay_amount_by(invoice, actor, amount, arrived)

    def pay_amount_by(
        self, invoice: Invoice, actor: Actor, amount: Money, arrived: int = 0
    ) -> None:
        """``actor`` books a payment of ``amount`` on ``invoice`` today for money that arrived
        ``arrived`` days before (not before the issue date), the money received and any
        overpayment kept in the machine's books."""
        valued = max(self.today - dt.timedelta(days=arrived), invoice.issue_date)
        payment = Payment(
            on=self.today, amount=amount, value_date=valued if valued < self.today else None
        )
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

    @rule(data=st.data(), fee=st.booleans())
    def take_back(self, data: st.DataObject, fee: bool) -> None:
        """Take a payment received in cash back today (a returned direct debit, with a bank
        fee or none, or one booked to the wrong invoice): now and then one taken back before
        or none at all, which the guard refuses (dunlib.payments.reverse_payment)."""
        invoice = self._invoice(data, Status.PAID, Status.SENT, Status.DUNNED)
        back = {reversal.payment for reversal in invoice.reversals}
        cash = [
            i
            for i, p in enumerate(invoice.payments)
            if i not in back and p.reference != CREDIT_REFERENCE
        ]
        position = data.draw(st.sampled_from(cash)) if cash else len(invoice.payments)
        reversal = Reversal(
            on=self.today,
            payment=position,
            reason="MD06 refund requested by the debtor",
            bank_fee=Money("3.50", EUR) if fee else None,
        )
        actor = self._actor(data, AUTOMATION, ACCOUNTANT)
        result = self._attempt(
            "reverse_payment", lambda: self._reverse_payment(invoice, reversal, actor), invoice
        )
        if result is None:
            return
        _law(result.invoice.paid == invoice.paid - result.payment.amount, invoice.id)
        self.received[invoice.customer.id] -= result.payment.amount
        self._store(result.invoice)

    # -- credit notes, cancellation, write-off ------------------------------------------------

    @rule(
        data=st.data(),
        whole=st.booleans(),
        at_once=st.booleans(),
        shift=st.sampled_from((0, 0, 0, -400, 400)),
        share=st.sampled_from((None, None, "cent", "half", "open", "more")),
    )
    def credit_it(
        self, data: st.DataObject, whole: bool, at_once: bool, shift: int, share: str | None
    ) -> None:
        """Derive a credit note (dated the day, or now and then another day) for lines or an
        agreed amount (a cent, half or all of what is open, or more) and book it, or both at
        once (dunlib.credit)."""
        invoice = self._invoice(data, Status.SENT, Status.DUNNED, Status.PAID)
        drafter, booker = self._actor(data, ACCOUNTANT), self._actor(data, ACCOUNTANT)
        key = self._id("G")
        cent = Money("0.01", EUR)
        open_amount = max(invoice.open_amount, cent)
        amount = {
            None: None,
            "cent": cent,
            "half": max(open_amount.allocate([1, 1])[0], cent),
            "open": open_amount,
            "more": open_amount + cent,
        }[share]
        if at_once:
            done = self._attempt(
                "credit",
                lambda: self._credit(
                    invoice, key, booker, drafter, self.today, self.policy, amount
                ),
                invoice,
            )
            if done is not None:
                _law(amount is None or done.note.amount == amount, f"{key}: not {amount}")
                self._store(done.invoice)
            return
        day = self.today + dt.timedelta(days=shift)
        note = self._attempt(
            "derive_credit_note",
            lambda: self._derive_credit_note(invoice, key, day, drafter, whole, amount),
            invoice,
        )
        if note is None:
            return
        booked = self._attempt(
            "record_credit_note",
            lambda: self._apply_credit_note(invoice, note, booker, self.today, self.policy),
            invoice,
            note,
        )
        if booked is not None:
            _law(amount is None or booked.credited - invoice.credited == note.amount == amount)
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
