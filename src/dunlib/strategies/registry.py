"""Every public value class of dunlib with the strategy ``st.from_type`` uses for it."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any, cast

import attrs
from hypothesis import strategies as st

from dunlib.analytics.comparison import Comparison
from dunlib.analytics.receivables import AgeingItem, AgeingReport, AgeingRow, ageing
from dunlib.analytics.schedule import Schedule, ScheduleEntry, simulate
from dunlib.analytics.statement import (
    Movement,
    MovementKind,
    OpenItem,
    StatementOfAccount,
    statement_of_account,
)
from dunlib.billing.contracts import Contract, ContractItem, SeriesBilled, SeriesSent
from dunlib.billing.orders import Order, OrderDrafted, OrderItem, OrderSent
from dunlib.core.calendars import HolidayCalendar, Target2Calendar, WeekendCalendar
from dunlib.core.errors import DocumentProblem
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.instalments import Instalment, InstalmentPlan, PlanState, plan_state
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import (
    Address,
    CreditNote,
    Customer,
    CustomerKind,
    DeliveryPeriod,
    Hold,
    InterestCharge,
    IssuedStage,
    LineItem,
    Payment,
    PaymentTerms,
    WriteOff,
)
from dunlib.core.status import Status
from dunlib.core.templates import Template, TemplateValues
from dunlib.core.transitions import Row
from dunlib.dunning.accounts import (
    AccountChange,
    CreditUse,
    CustomerAccount,
    keep_credit,
    use_credit,
)
from dunlib.dunning.actions import Escalate, IssueStage, LetterDocuments, NoAction
from dunlib.dunning.decisions import Decision, DunningLetter, group_letters
from dunlib.dunning.engine import next_dunning_action
from dunlib.dunning.fees import FeeRule
from dunlib.dunning.issuing import record_stage
from dunlib.dunning.stages import (
    DunningRules,
    DunningStage,
    StageKind,
    StageRepeat,
    StageTexts,
    StageWording,
)
from dunlib.dunning.suspension import Pause, Resume
from dunlib.io.chain import ChainBreak, seal_invoice, verify_chain
from dunlib.io.external import ExternalStatus, external_status
from dunlib.ledger.accounts import Role
from dunlib.ledger.entries import JournalEntry, Posting
from dunlib.payments import PaymentResult, record_payment
from dunlib.payments.allocation import Allocation, Balance, balance
from dunlib.payments.matching import (
    Ambiguous,
    BankTransaction,
    Match,
    MatchedInvoice,
    Matching,
    Unmatched,
    match_payments,
)
from dunlib.payments.recovery import Recovery, RecoveryResult, record_recovery
from dunlib.payments.reversal import (
    Rebooked,
    Reversal,
    ReversalResult,
    rebook_payment,
    reverse_payment,
)
from dunlib.payments.waivers import FeeWaiver, waive_fees
from dunlib.portfolio.prepared import LetterSent, LetterStep, PreparedLetter
from dunlib.portfolio.run import plan
from dunlib.strategies._common import _BOOKKEEPER, _DAY, _LOCALES, _NAMES, _TWO_EYES, _unpaid
from dunlib.strategies.billing import contract_items, contracts, order_items, orders
from dunlib.strategies.events import ageing_reports, comparisons, pauses, resumes, schedules
from dunlib.strategies.invoices import (
    credit_notes,
    history_entries,
    interest_charges,
    invoices,
    issued_stages,
    sent_invoices,
    write_offs,
)
from dunlib.strategies.money import (
    addresses,
    amounts,
    bank_transactions,
    customers,
    dates,
    delivery_periods,
    line_items,
    payment_terms,
    payments,
)
from dunlib.strategies.portfolio import (
    _AT_ONCE,
    _EUR_DUNNABLE,
    _escalations,
    _issued_stages,
    _no_actions,
    account_changes,
    customer_accounts,
    prepared_letters,
)
from dunlib.strategies.rules import (
    _holiday_calendars,
    dunning_rules,
    dunning_stages,
    fee_rules,
    holds,
    stage_repeats,
)
from dunlib.strategies.states import dunnable_invoices, receivable_invoices
from dunlib.strategies.workflow import (
    actors,
    authorities,
    number_sequences,
    permissions,
    rows,
)
from dunlib.workflow import (
    Actor,
    Authority,
    BookedByHand,
    DocumentRecord,
    Permissions,
    Sent,
    send,
)
from dunlib.workflow.documents import (
    Cancellation,
    Credited,
    DeliveryNote,
    cancel,
    credit,
    derive_delivery_note,
    write_off,
)
from dunlib.workflow.policy import AUTOMATIC

__all__ = ["registered"]


def _decisions() -> st.SearchStrategy[Decision]:
    return st.builds(
        lambda invoice, rules, day: next(plan([invoice], rules, today=day, explain=True)),
        _EUR_DUNNABLE,
        dunning_rules(max_stages=3),
        dates(),
    )


def _dunning_letters() -> st.SearchStrategy[DunningLetter]:
    return st.builds(
        lambda invoice: group_letters(plan([invoice], _AT_ONCE, today=invoice.due_date + _DAY))[0],
        _EUR_DUNNABLE,
    )


def _schedule_entries() -> st.SearchStrategy[ScheduleEntry]:
    return st.builds(
        lambda invoice: simulate(invoice, _AT_ONCE, until=invoice.due_date + _DAY)[0],
        _EUR_DUNNABLE,
    )


def _payment_results() -> st.SearchStrategy[PaymentResult]:
    def pay(invoice: Invoice, share: int, late: int) -> PaymentResult:
        amount = Money.rounded(invoice.open_amount.amount * share / 100, invoice.currency)
        amount = max(
            amount, Money(Decimal(1).scaleb(-minor_unit(invoice.currency)), invoice.currency)
        )
        on = invoice.history[-1].on + late * _DAY
        return record_payment(
            invoice, Payment(on=on, amount=amount), actor=AUTOMATIC, authority=_TWO_EYES
        )

    return st.builds(
        pay, dunnable_invoices(), st.integers(min_value=1, max_value=150), st.integers(0, 60)
    )


def _template_values() -> st.SearchStrategy[TemplateValues]:
    return st.builds(
        TemplateValues,
        invoice_number=st.from_regex(r"RE-20[23][0-9]-[0-9]{5}", fullmatch=True),
        invoice_date=dates(),
        total_gross=amounts(currency="EUR", min_value=1),
        due_date=dates(),
        tenant_name=st.sampled_from(("Muster GmbH", "Example Ltd")),
        customer_name=st.sampled_from(_NAMES[CustomerKind.BUSINESS]),
        locale=st.sampled_from(_LOCALES),
    )


_TEXTS = st.none() | st.sampled_from(
    ("{{ level }}. {{ fee }}", "{{ invoiceList }}", "{{ paidAmount }}", "")
)


def _stage_texts() -> st.SearchStrategy[StageTexts]:
    """Overrides of some of a stage's texts in English or German, by language or locale."""
    return st.builds(
        StageTexts,
        language=st.sampled_from(("en", "en_US", "de", "de_AT")),
        email_subject=_TEXTS,
        email_body=_TEXTS,
        pdf_text=_TEXTS,
        email_subject_several=_TEXTS,
        email_body_several=_TEXTS,
        pdf_text_several=_TEXTS,
        invoice_line=_TEXTS,
    )


def _stage_wordings() -> st.SearchStrategy[StageWording]:
    """A stage's texts chosen for a locale and a number of invoices."""
    return st.builds(
        lambda stage, locale, count: stage.wording(locale, invoices=count),
        dunning_stages(),
        st.sampled_from(_LOCALES),
        st.integers(min_value=1, max_value=3),
    )


def _matching_parts() -> dict[type, st.SearchStrategy[Any]]:
    paid = _EUR_DUNNABLE.map(
        lambda invoice: (
            invoice,
            BankTransaction(
                on=invoice.due_date,
                amount=invoice.open_amount,
                payer=invoice.customer.name,
                text=f"Rechnung {invoice.number}",
            ),
        )
    )
    matches = paid.map(lambda pair: match_payments([pair[1]], [pair[0]]).matches[0])
    twins = _EUR_DUNNABLE.map(
        lambda invoice: (
            invoice,
            attrs.evolve(invoice, id=invoice.id + "-2", number=invoice.number + "-2"),
        )
    )
    ambiguous = twins.map(
        lambda pair: match_payments(
            [
                BankTransaction(
                    on=pair[0].due_date, amount=pair[0].open_amount, payer=pair[0].customer.name
                )
            ],
            list(pair),
        ).ambiguous[0]
    )
    unmatched = st.builds(lambda line: match_payments([line], []).unmatched[0], bank_transactions())
    return {
        Match: matches,
        MatchedInvoice: matches.map(lambda match: match.invoices[0]),
        Ambiguous: ambiguous,
        Unmatched: unmatched,
        Matching: st.builds(
            lambda invoice, lines: match_payments(lines, [invoice]),
            _EUR_DUNNABLE,
            st.lists(bank_transactions(), max_size=2),
        ),
    }


def _sent() -> st.SearchStrategy[Sent]:
    """A reviewed invoice sent with a drawn number sequence."""
    return st.builds(
        lambda invoice, sequence: send(
            invoice,
            actor=_BOOKKEEPER,
            on=invoice.issue_date,
            authority=_TWO_EYES,
            sequence=sequence,
        ),
        invoices(currency="EUR", status=Status.REVIEWED),
        number_sequences(),
    )


def _documents() -> dict[type, st.SearchStrategy[Any]]:
    sent = sent_invoices(currency="EUR")
    return {
        DeliveryNote: st.builds(
            lambda invoice: derive_delivery_note(invoice, id="LS-1", on=invoice.issue_date), sent
        ),
        Credited: st.builds(
            lambda invoice: credit(
                invoice,
                id="GS-1",
                actor=_BOOKKEEPER,
                on=invoice.history[-1].on,
                authority=_TWO_EYES,
            ),
            invoices(currency="EUR", status=Status.SENT, max_lines=3).map(_unpaid),
        ),
        Cancellation: st.builds(
            lambda invoice: cancel(
                invoice,
                id=f"{invoice.id}-ST",
                actor=_BOOKKEEPER,
                on=invoice.history[-1].on,
                sequence=NumberSequence(prefix="ST-"),
                authority=_TWO_EYES,
            ),
            sent.map(_unpaid),
        ),
        Sent: _sent(),
        ExternalStatus: st.builds(external_status, invoices(), today=dates()),
        Balance: st.builds(balance, receivable_invoices()),
    }


def _results() -> dict[type, st.SearchStrategy[Any]]:
    """The named results of the acts that produce two values, from drawn parts (a result is
    a plain pair of values; the acts' own tests check what they pair)."""
    return {
        LetterSent: prepared_letters().map(
            lambda prepared: LetterSent(letter=prepared, invoices=prepared.invoices)
        ),
        OrderSent: st.builds(OrderSent, sent=_sent(), order=orders()),
        OrderDrafted: st.builds(
            OrderDrafted, invoice=invoices(currency="EUR", status=Status.DRAFT), order=orders()
        ),
        SeriesBilled: st.builds(
            SeriesBilled,
            invoices=st.lists(invoices(currency="EUR"), max_size=2).map(tuple),
            contract=contracts(),
        ),
        SeriesSent: st.builds(SeriesSent, sent=_sent(), contract=contracts()),
        BookedByHand: st.builds(
            BookedByHand,
            invoice=invoices(currency="EUR"),
            credit=amounts(currency="EUR", min_value=Decimal("0.01"), max_value=500),
            sequence=number_sequences(),
        ),
    }


def _credit_uses() -> st.SearchStrategy[CreditUse]:
    def use(invoice: Invoice, kept: Money) -> CreditUse:
        day = invoice.history[-1].on
        account = keep_credit(CustomerAccount(customer_id=invoice.customer.id), kept, on=day,
                              actor=_BOOKKEEPER, reason="overpaid",
                              authority=_TWO_EYES)  # fmt: skip
        return use_credit(account, invoice, on=day, actor=AUTOMATIC, authority=_TWO_EYES)

    return st.builds(
        use, _EUR_DUNNABLE, amounts(currency="EUR", min_value=Decimal("0.01"), max_value=500)
    )


def _one_ageing() -> st.SearchStrategy[AgeingReport]:
    """Ageing reports of one dunnable invoice, asked on its due date or up to 200 days on."""
    return st.builds(
        lambda invoice, late: ageing([invoice], today=invoice.due_date + late * _DAY),
        _EUR_DUNNABLE,
        st.integers(min_value=0, max_value=200),
    )


def _statements() -> st.SearchStrategy[StatementOfAccount]:
    """Statements of account of one receivable invoice (dunned, charged interest, partly
    paid), on a day from its issue date up to 200 days on."""
    return st.builds(
        lambda invoice, late: statement_of_account(
            [invoice], customer=invoice.customer, today=invoice.issue_date + late * _DAY
        ),
        receivable_invoices(),
        st.integers(min_value=0, max_value=200),
    )


def _movements() -> st.SearchStrategy[Movement]:
    """Payments, discounts, credit notes, write-offs and recoveries of an invoice."""
    return st.builds(
        Movement,
        on=dates(),
        kind=st.sampled_from(MovementKind),
        invoice=st.sampled_from(("RE-2026-0001", "RE-2026-0042")),
        reference=st.sampled_from(("", "ÜW 1", "GS-1", "uncollectible")),
        amount=amounts(currency="EUR", min_value=Decimal("0.01"), max_value=10_000),
    )


def _instalment_plans() -> st.SearchStrategy[InstalmentPlan]:
    """Plans of 1 to 6 monthly instalments of 1.00 to 100 000.00 EUR, the first due 0 to 40
    days after the plan's day, a grace of 0 to 10 days, interest waived or not."""
    return st.builds(
        lambda amount, on, first, count, grace, waived: InstalmentPlan.monthly(
            amount,
            on=on,
            first_due=on + first * _DAY,
            count=count,
            grace_days=grace,
            waives_interest=waived,
            reason="agreed by phone",
        ),
        amounts(currency="EUR", min_value=1),
        dates(),
        st.integers(0, 40),
        st.integers(1, 6),
        st.integers(0, 10),
        st.booleans(),
    )


def _recovery_results() -> st.SearchStrategy[RecoveryResult]:
    """Money recovered, 0.01 to 1 000.00 EUR, after a dunnable EUR invoice was dunned the day
    after its due date (or on its last step, when later) and written off a day later."""

    def recovered(invoice: Invoice, cents: int) -> RecoveryResult:
        day = max(invoice.due_date + _DAY, invoice.history[-1].on)
        action = next_dunning_action(invoice, _AT_ONCE, today=day)
        dunned = record_stage(
            invoice, cast("IssueStage", action), actor=AUTOMATIC, authority=_TWO_EYES
        )
        gone = write_off(dunned, actor=_BOOKKEEPER, on=day + _DAY, authority=_TWO_EYES)
        recovery = Recovery(
            on=day + 2 * _DAY, amount=Money(Decimal(cents).scaleb(-2), "EUR"), reference="bank"
        )
        return record_recovery(gone, recovery, actor=_BOOKKEEPER, authority=_TWO_EYES)

    return st.builds(
        recovered,
        dunnable_invoices(currency="EUR", max_stages=0, max_payments=1),
        st.integers(1, 100_000),
    )


def _paid_in_part(invoice: Invoice, share: int) -> Invoice:
    """``invoice`` with ``share`` percent of what is open (at least 0.01 EUR) paid on its last
    step's day, with a reference."""
    amount = Money(max(invoice.open_amount.amount * share // 100, Decimal("0.01")), "EUR")
    payment = Payment(on=invoice.history[-1].on, amount=amount, reference="E2E")
    return record_payment(invoice, payment, actor=AUTOMATIC, authority=_TWO_EYES).invoice


_PAID_IN_PART = st.builds(
    _paid_in_part,
    dunnable_invoices(currency="EUR", max_stages=0, max_payments=1),
    st.integers(1, 100),
)


def _reversal_results() -> st.SearchStrategy[ReversalResult]:
    """The last payment of a part-paid dunnable EUR invoice taken back 0 to 30 days later, as
    a returned direct debit, with a bank fee or none."""

    def reversed_(paid: Invoice, days: int, fee: int) -> ReversalResult:
        reversal = Reversal(
            on=paid.history[-1].on + days * _DAY,
            payment=len(paid.payments) - 1,
            reason="MD06 refund requested by the debtor",
            bank_fee=Money(Decimal(fee).scaleb(-2), "EUR") if fee else None,
        )
        return reverse_payment(paid, reversal, actor=_BOOKKEEPER, authority=_TWO_EYES)

    return st.builds(reversed_, _PAID_IN_PART, st.integers(0, 30), st.integers(0, 1000))


def _rebooked() -> st.SearchStrategy[Rebooked]:
    """The last payment of a part-paid dunnable EUR invoice booked again on another one."""

    def moved(wrong: Invoice, right: Invoice) -> Rebooked:
        day = max(wrong.history[-1].on, right.history[-1].on)
        return rebook_payment(
            wrong,
            len(wrong.payments) - 1,
            right,
            on=day,
            actor=_BOOKKEEPER,
            authority=_TWO_EYES,
        )

    return st.builds(moved, _PAID_IN_PART, dunnable_invoices(currency="EUR", max_stages=0))


def _waived_invoices() -> st.SearchStrategy[Invoice]:
    """A dunnable EUR invoice dunned the day after its due date by a notice with a fee of
    0.01 to 20.00 EUR (as the fee rules charge it), part of the fee (a cent up to all of
    it) waived 0 to 30 days later."""

    def waived(invoice: Invoice, fee: int, share: int, days: int) -> Invoice:
        day = max(invoice.due_date + _DAY, invoice.history[-1].on)
        charged = Money(Decimal(fee).scaleb(-2), "EUR")
        rules = DunningRules(stages=(DunningStage(StageKind.NOTICE, days_overdue=0, fee=charged),))
        notice = cast("IssueStage", next_dunning_action(invoice, rules, today=day))
        dunned = record_stage(invoice, notice, actor=AUTOMATIC, authority=_TWO_EYES)
        if not dunned.fees.is_positive:  # a fee capped to nothing: no waiver (filtered)
            return dunned
        amount = max(dunned.fees.amount * share // 100, Decimal("0.01"))
        waiver = FeeWaiver(on=day + days * _DAY, amount=Money(amount, "EUR"), reason="goodwill")
        return waive_fees(dunned, waiver, actor=_BOOKKEEPER, authority=_TWO_EYES)

    return st.builds(
        waived,
        dunnable_invoices(currency="EUR", max_stages=0, max_payments=0),
        st.integers(1, 2000),
        st.integers(1, 100),
        st.integers(0, 30),
    ).filter(lambda invoice: bool(invoice.fee_waivers))


def _postings(currency: str = "EUR") -> st.SearchStrategy[Posting]:
    """Postings on a few accounts of every role, debit or credit, with or without a tax
    code."""
    return st.builds(
        Posting,
        account=st.sampled_from(("1400", "1200", "8400", "8300", "1776", "1771", "2650")),
        role=st.sampled_from(Role),
        amount=amounts(currency=currency, min_value=-10_000, max_value=10_000),
        tax_code=st.sampled_from(("", "S19", "S7", "E0", "AE0")),
    )


@st.composite
def _journal_entries(draw: st.DrawFn) -> JournalEntry:
    """Journal entries of one to four drawn postings and the receivables posting that
    balances them, booked by a drawn history entry on a drawn day, some with a value date."""
    code = draw(st.sampled_from(("EUR", "CHF", "JPY")))
    drawn = draw(st.lists(_postings(code), min_size=1, max_size=4))
    total = sum((posting.amount for posting in drawn), Money.zero(code))
    balance = Posting(account="1400", role=Role.RECEIVABLES, amount=-total)
    day = draw(dates())
    return JournalEntry(
        on=day,
        document=draw(st.sampled_from(("RE-2026-0001", "ST-7", "RE-1"))),
        text=draw(st.sampled_from(("invoice RE-1", "payment", "dunning level 2", ""))),
        postings=(*drawn, balance),
        entry=draw(st.integers(0, 40)),
        value_date=draw(st.none() | st.just(day)),
    )


def _chain_breaks() -> st.SearchStrategy[ChainBreak]:
    """What :func:`~dunlib.io.chain.verify_chain` finds in a sent EUR invoice's sealed
    document whose number, currency or last history entry's detail was changed afterwards."""

    def broken(invoice: Invoice, field: str) -> ChainBreak:
        document = seal_invoice(invoice, salt="5eed" * 8)
        if field == "detail":
            document["history"][-1]["detail"] += " (changed)"
        else:
            document[field] = {"number": "RE-CHANGED", "currency": "USD"}[field]
        return cast("ChainBreak", verify_chain(document))

    return st.builds(
        broken, sent_invoices(currency="EUR"), st.sampled_from(("number", "currency", "detail"))
    )


def registered() -> dict[type, st.SearchStrategy[Any]]:
    """The strategy ``st.from_type`` uses for every public value class of dunlib."""
    results = _payment_results()
    table: dict[type, st.SearchStrategy[Any]] = {
        Money: amounts(),
        Customer: customers() | customers(legal=True),
        LineItem: line_items() | line_items(legal=True),
        Address: addresses(),
        DeliveryPeriod: delivery_periods(),
        PaymentTerms: payment_terms(),
        Payment: payments(discount=None),
        CreditNote: credit_notes(),
        InterestCharge: interest_charges(),
        IssuedStage: issued_stages(),
        WriteOff: write_offs(),
        HistoryEntry: history_entries(),
        DocumentRecord: st.builds(
            DocumentRecord,
            on=dates(),
            kind=st.sampled_from(
                (EventKind.DOCUMENT_MADE, EventKind.DOCUMENT_RESENT, EventKind.DOCUMENT_PRINTED)
            ),
            actor=st.sampled_from(("sam", "automation")),
            document=st.sampled_from(("RE-2026-0001.pdf", "RE-2026-0001.xml")),
            sha256=st.binary(max_size=64).map(lambda content: hashlib.sha256(content).hexdigest()),
        ),
        Invoice: invoices() | dunnable_invoices(status=None),
        DunningStage: dunning_stages(),
        DunningRules: dunning_rules(),
        WeekendCalendar: st.builds(WeekendCalendar),
        Target2Calendar: st.builds(Target2Calendar),
        HolidayCalendar: _holiday_calendars(),
        Actor: actors(),
        Authority: authorities(),
        NumberSequence: number_sequences(),
        Permissions: permissions(),
        Row: rows(),
        Order: orders(),
        OrderItem: order_items(),
        Contract: contracts(),
        ContractItem: contract_items(),
        BankTransaction: bank_transactions(),
        Pause: pauses(),
        Resume: resumes(),
        Template: dunning_stages().map(lambda stage: Template(source=stage.email_body)),
        TemplateValues: _template_values(),
        DocumentProblem: st.builds(
            DocumentProblem,
            path=st.sampled_from(("stages[0].fee", "minimum_open_amounts", "schema_version")),
            message=st.sampled_from(("a Money or None", "an amount above zero")),
        ),
        LetterDocuments: st.builds(LetterDocuments.of, dunning_stages(), _template_values()),
        IssueStage: _issued_stages(),
        NoAction: _no_actions(),
        Escalate: _escalations(),
        Decision: _decisions(),
        DunningLetter: _dunning_letters(),
        Schedule: schedules(),
        ScheduleEntry: _schedule_entries(),
        PaymentResult: results,
        Allocation: results.map(lambda result: result.allocation),
        **_matching_parts(),
        **_documents(),
        Hold: holds(lifted=None),
        InstalmentPlan: _instalment_plans(),
        Instalment: _instalment_plans().map(lambda plan: plan.instalments[-1]),
        PlanState: st.builds(
            lambda plan, days: plan_state(plan, (), today=plan.on + days * _DAY),
            _instalment_plans(),
            st.integers(0, 90),
        ),
        Recovery: _recovery_results().map(lambda result: result.recovery),
        RecoveryResult: _recovery_results(),
        Reversal: _reversal_results().map(lambda result: result.reversal),
        ReversalResult: _reversal_results(),
        Rebooked: _rebooked(),
        ChainBreak: _chain_breaks(),
        FeeWaiver: _waived_invoices().map(lambda invoice: invoice.fee_waivers[-1]),
        CustomerAccount: customer_accounts(),
        AccountChange: account_changes(),
        CreditUse: _credit_uses(),
        Comparison: comparisons(),
        AgeingReport: ageing_reports(),
        AgeingItem: _one_ageing().map(lambda report: report.items[0]),
        AgeingRow: _one_ageing().map(lambda report: report.rows[0]),
        StatementOfAccount: _statements(),
        OpenItem: _EUR_DUNNABLE.map(
            lambda invoice: statement_of_account(
                [invoice], customer=invoice.customer, today=invoice.due_date
            ).items[0]
        ),
        Movement: _movements(),
        FeeRule: fee_rules(),
        StageRepeat: stage_repeats(),
        StageTexts: _stage_texts(),
        StageWording: _stage_wordings(),
        PreparedLetter: prepared_letters(),
        Posting: _postings(),
        JournalEntry: _journal_entries(),
        LetterStep: prepared_letters().map(lambda prepared: prepared.steps[-1]),
        **_results(),
    }
    return table
