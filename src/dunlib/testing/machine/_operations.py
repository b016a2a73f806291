"""One adapter per operation the machine calls, each with the machine's permissions: a
changed signature of an operation is a one-line change here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import ClassVar

from hypothesis.stateful import RuleBasedStateMachine

from dunlib.billing.contracts import (
    SERIES_ACTOR,
    Contract,
    SeriesBilled,
    SeriesSent,
    delete_series_invoice,
    invoices_due,
    send_series_invoice,
)
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import (
    CreditNote,
    Customer,
    FeeWaiver,
    Hold,
    HoldKind,
    InterestCharge,
    LineItem,
    Payment,
)
from dunlib.core.transitions import Command
from dunlib.dunning.accounts import (
    CreditUse,
    CustomerAccount,
    hold_account,
    keep_credit,
    keep_overpayment,
    lift_account_hold,
    switch_dunning,
    switch_fees,
    use_credit,
)
from dunlib.dunning.actions import Escalate, IssueStage
from dunlib.dunning.decisions import Decision, DunningLetter, group_letters
from dunlib.dunning.escalation import record_escalation
from dunlib.dunning.holds import lift_hold, place_hold
from dunlib.dunning.instalments import InstalmentPlan, agree_plan, cancel_plan
from dunlib.dunning.interest_charges import record_interest
from dunlib.dunning.issuing import record_stage
from dunlib.dunning.stages import DunningRules
from dunlib.dunning.suspension import pause, resume
from dunlib.payments import PaymentResult, record_payment
from dunlib.payments.recovery import Recovery, RecoveryResult, record_recovery
from dunlib.payments.reversal import Reversal, ReversalResult, reverse_payment
from dunlib.payments.waivers import waive_fees
from dunlib.portfolio.prepared import (
    LetterSent,
    PreparedLetter,
    Rejection,
    approve_letter,
    prepare_letter,
    prepare_manual_letter,
    reject_letter,
    send_letter,
    supersede_letters,
    withdraw_letter,
)
from dunlib.portfolio.run import RulesFor, plan, record_stages
from dunlib.testing.machine._model import EUR
from dunlib.workflow import Sent, send, transition
from dunlib.workflow.dispatch import record_document, record_printed, record_resent
from dunlib.workflow.documents import (
    Cancellation,
    Credited,
    cancel,
    credit,
    derive_credit_note,
    record_credit_note,
    write_off,
)
from dunlib.workflow.drafts import (
    BookedByHand,
    add_line,
    book_by_hand,
    create_draft,
    merge_drafts,
    remove_line,
    replace_line,
)
from dunlib.workflow.policy import Actor, Authority, Permissions


class Operations(RuleBasedStateMachine):
    """The operations the machine tries, called with :attr:`permissions` under the eyes
    policy of the run (:attr:`policy`)."""

    permissions: ClassVar[Permissions]
    policy: Authority

    def _under(self, policy: Authority) -> Authority:
        """``policy``'s eyes with the machine's permissions: the authority of every act."""
        return Authority(eyes=policy.eyes, permissions=self.permissions)

    def _create_draft(
        self, id: str, customer: Customer, actor: Actor, on: dt.date, lines: list[LineItem]
    ) -> Invoice:
        return create_draft(id=id, customer=customer, currency=EUR, actor=actor, on=on, lines=lines)

    def _add_line(self, invoice: Invoice, item: LineItem, actor: Actor, on: dt.date) -> Invoice:
        return add_line(invoice, item, actor=actor, on=on, authority=self._under(self.policy))

    def _replace_line(
        self, invoice: Invoice, index: int, item: LineItem, actor: Actor, on: dt.date
    ) -> Invoice:
        return replace_line(
            invoice, index, item, actor=actor, on=on, authority=self._under(self.policy)
        )

    def _remove_line(self, invoice: Invoice, index: int, actor: Actor, on: dt.date) -> Invoice:
        return remove_line(invoice, index, actor=actor, on=on, authority=self._under(self.policy))

    def _merge_drafts(self, drafts: list[Invoice], actor: Actor, on: dt.date) -> Invoice:
        return merge_drafts(drafts, actor=actor, on=on, authority=self._under(self.policy))

    def _transition(
        self, invoice: Invoice, command: Command, actor: Actor, on: dt.date, policy: Authority
    ) -> Invoice:
        return transition(invoice, command, actor=actor, on=on, authority=self._under(policy))

    def _send(
        self,
        invoice: Invoice,
        actor: Actor,
        on: dt.date,
        policy: Authority,
        sequence: NumberSequence,
    ) -> Sent:
        return send(
            invoice,
            actor=actor,
            on=on,
            authority=self._under(policy),
            sequence=sequence,
        )

    def _record_payment(self, invoice: Invoice, payment: Payment, actor: Actor) -> PaymentResult:
        return record_payment(invoice, payment, actor=actor, authority=self._under(self.policy))

    def _derive_credit_note(
        self,
        invoice: Invoice,
        id: str,
        on: dt.date,
        drafter: Actor,
        whole: bool,
        amount: Money | None = None,
    ) -> CreditNote:
        selection = None if whole or amount is not None else [0]
        return derive_credit_note(
            invoice, id=id, on=on, actor=drafter, selection=selection, amount=amount
        )

    def _apply_credit_note(
        self, invoice: Invoice, note: CreditNote, actor: Actor, on: dt.date, policy: Authority
    ) -> Invoice:
        return record_credit_note(invoice, note, actor=actor, on=on, authority=self._under(policy))

    def _credit(
        self,
        invoice: Invoice,
        id: str,
        actor: Actor,
        drafter: Actor,
        on: dt.date,
        policy: Authority,
        amount: Money | None = None,
    ) -> Credited:
        return credit(
            invoice,
            id=id,
            actor=actor,
            on=on,
            drafted_by=drafter,
            authority=self._under(policy),
            amount=amount,
        )

    def _book_by_hand(
        self, invoice: Invoice, actor: Actor, on: dt.date, sequence: NumberSequence
    ) -> BookedByHand:
        return book_by_hand(
            invoice, actor=actor, on=on, authority=self._under(self.policy), sequence=sequence
        )

    def _invoices_due(self, contract: Contract, on: dt.date) -> SeriesBilled:
        return invoices_due(contract, on=on, actor=SERIES_ACTOR, authority=self._under(self.policy))

    def _send_series_invoice(
        self,
        invoice: Invoice,
        contract: Contract,
        actor: Actor,
        on: dt.date,
        sequence: NumberSequence,
    ) -> SeriesSent:
        return send_series_invoice(
            invoice,
            contract,
            actor=actor,
            on=on,
            authority=self._under(self.policy),
            sequence=sequence,
        )

    def _delete_series_invoice(self, invoice: Invoice, contract: Contract) -> Contract:
        return delete_series_invoice(invoice, contract)

    def _cancel(
        self, invoice: Invoice, id: str, actor: Actor, on: dt.date, sequence: NumberSequence
    ) -> Cancellation:
        return cancel(
            invoice,
            id=id,
            actor=actor,
            on=on,
            sequence=sequence,
            authority=self._under(self.policy),
        )

    def _write_off(self, invoice: Invoice, actor: Actor, on: dt.date) -> Invoice:
        return write_off(invoice, actor=actor, on=on, authority=self._under(self.policy))

    def _place_hold(self, invoice: Invoice, hold: Hold, actor: Actor) -> Invoice:
        return place_hold(invoice, hold, actor=actor, authority=self._under(self.policy))

    def _lift_hold(self, invoice: Invoice, kind: HoldKind, actor: Actor, on: dt.date) -> Invoice:
        return lift_hold(invoice, kind, on=on, actor=actor, authority=self._under(self.policy))

    def _agree_plan(self, invoice: Invoice, plan: InstalmentPlan, actor: Actor) -> Invoice:
        return agree_plan(invoice, plan, actor=actor, authority=self._under(self.policy))

    def _cancel_plan(self, invoice: Invoice, actor: Actor, on: dt.date) -> Invoice:
        return cancel_plan(invoice, on=on, actor=actor, authority=self._under(self.policy))

    def _waive_fees(self, invoice: Invoice, waiver: FeeWaiver, actor: Actor) -> Invoice:
        return waive_fees(invoice, waiver, actor=actor, authority=self._under(self.policy))

    def _reverse_payment(
        self, invoice: Invoice, reversal: Reversal, actor: Actor
    ) -> ReversalResult:
        return reverse_payment(invoice, reversal, actor=actor, authority=self._under(self.policy))

    def _record_recovery(
        self, invoice: Invoice, recovery: Recovery, actor: Actor
    ) -> RecoveryResult:
        return record_recovery(invoice, recovery, actor=actor, authority=self._under(self.policy))

    def _record_document(
        self, invoice: Invoice, command: Command, actor: Actor, on: dt.date
    ) -> Invoice:
        """The invoice's PDF made (MAKE_DOCUMENT), sent again (RESEND) or printed (PRINT)."""
        record = {
            Command.MAKE_DOCUMENT: record_document,
            Command.RESEND: record_resent,
            Command.PRINT: record_printed,
        }[command]
        name = f"{invoice.number or invoice.id}.pdf"
        return record(
            invoice,
            document=name,
            content=f"%PDF {name} {len(invoice.history)}".encode(),
            actor=actor,
            on=on,
            authority=self._under(self.policy),
        )

    def _pause(self, invoice: Invoice, actor: Actor, on: dt.date) -> Invoice:
        return pause(invoice, on=on, actor=actor, authority=self._under(self.policy))

    def _resume(self, invoice: Invoice, actor: Actor, on: dt.date) -> Invoice:
        return resume(invoice, on=on, actor=actor, authority=self._under(self.policy))

    def _record_interest(self, invoice: Invoice, charge: InterestCharge, actor: Actor) -> Invoice:
        return record_interest(invoice, charge, actor=actor, authority=self._under(self.policy))

    def _record_stage(self, invoice: Invoice, action: IssueStage, actor: Actor) -> Invoice:
        return record_stage(invoice, action, actor=actor, authority=self._under(self.policy))

    def _apply_escalation(self, invoice: Invoice, action: Escalate, actor: Actor) -> Invoice:
        return record_escalation(invoice, action, actor=actor, authority=self._under(self.policy))

    def _plan(
        self,
        invoices: list[Invoice],
        rules: RulesFor,
        today: dt.date,
        accounts: Mapping[str, CustomerAccount],
        waiting: list[PreparedLetter],
    ) -> list[Decision]:
        return list(plan(invoices, rules, today=today, accounts=accounts, waiting=waiting))

    def _record_stages(
        self, invoices: list[Invoice], decisions: list[Decision], actor: Actor
    ) -> tuple[Invoice, ...]:
        return record_stages(invoices, decisions, actor=actor, authority=self._under(self.policy))

    def _group_letters(self, decisions: list[Decision]) -> tuple[DunningLetter, ...]:
        return group_letters(decisions)

    def _prepare_letter(
        self, notice: DunningLetter, actor: Actor, customer_approval: bool
    ) -> PreparedLetter:
        return prepare_letter(
            notice,
            actor=actor,
            customer_approval=customer_approval,
            authority=self._under(self.policy),
        )

    def _prepare_manual_letter(
        self,
        invoice: Invoice,
        rules: DunningRules,
        on: dt.date,
        actor: Actor,
        account: CustomerAccount,
    ) -> PreparedLetter:
        return prepare_manual_letter(
            invoice, rules, on=on, actor=actor, account=account, authority=self._under(self.policy)
        )

    def _approve_letter(
        self, prepared: PreparedLetter, actor: Actor, on: dt.date, policy: Authority
    ) -> PreparedLetter:
        return approve_letter(prepared, actor=actor, on=on, authority=self._under(policy))

    def _reject_letter(
        self,
        prepared: PreparedLetter,
        actor: Actor,
        on: dt.date,
        rejection: Rejection = Rejection.UNTIL_CHANGED,
    ) -> PreparedLetter:
        return reject_letter(
            prepared,
            actor=actor,
            on=on,
            reason="not now",
            rejection=rejection,
            authority=self._under(self.policy),
        )

    def _withdraw_letter(
        self, prepared: PreparedLetter, actor: Actor, on: dt.date
    ) -> PreparedLetter:
        return withdraw_letter(
            prepared, actor=actor, on=on, reason="called", authority=self._under(self.policy)
        )

    def _supersede_letters(
        self, letters: list[PreparedLetter], invoices: list[Invoice], actor: Actor, on: dt.date
    ) -> tuple[PreparedLetter, ...]:
        return supersede_letters(
            letters, invoices, actor=actor, on=on, authority=self._under(self.policy)
        )

    def _send_letter(
        self,
        prepared: PreparedLetter,
        invoices: list[Invoice],
        actor: Actor,
        on: dt.date,
        policy: Authority,
    ) -> LetterSent:
        return send_letter(prepared, invoices, actor=actor, on=on, authority=self._under(policy))

    def _switch_dunning(
        self, account: CustomerAccount, enabled: bool, on: dt.date, actor: Actor
    ) -> CustomerAccount:
        return switch_dunning(
            account, enabled=enabled, on=on, actor=actor, authority=self._under(self.policy)
        )

    def _switch_fees(
        self, account: CustomerAccount, enabled: bool, on: dt.date, actor: Actor
    ) -> CustomerAccount:
        return switch_fees(
            account, enabled=enabled, on=on, actor=actor, authority=self._under(self.policy)
        )

    def _hold_account(self, account: CustomerAccount, hold: Hold, actor: Actor) -> CustomerAccount:
        return hold_account(account, hold, actor=actor, authority=self._under(self.policy))

    def _lift_account_hold(
        self, account: CustomerAccount, kind: HoldKind, on: dt.date, actor: Actor
    ) -> CustomerAccount:
        return lift_account_hold(
            account, kind, on=on, actor=actor, authority=self._under(self.policy)
        )

    def _keep_credit(
        self, account: CustomerAccount, amount: Money, on: dt.date, actor: Actor
    ) -> CustomerAccount:
        return keep_credit(
            account,
            amount,
            on=on,
            actor=actor,
            reason="paid for no invoice",
            authority=self._under(self.policy),
        )

    def _keep_overpayment(
        self, account: CustomerAccount, result: PaymentResult, actor: Actor
    ) -> CustomerAccount:
        return keep_overpayment(account, result, actor=actor, authority=self._under(self.policy))

    def _use_credit(
        self,
        account: CustomerAccount,
        invoice: Invoice,
        on: dt.date,
        amount: Money | None,
        actor: Actor,
    ) -> CreditUse:
        return use_credit(
            account, invoice, on=on, amount=amount, actor=actor, authority=self._under(self.policy)
        )
