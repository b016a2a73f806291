"""The persistence boundary: exact JSON round trips, versioned documents, rules files, errors."""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from collections.abc import Callable
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import Any
from unittest.mock import patch

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import builders
import dunlib
from builders import ACME, EXPORTED, SEED_RULES, eur
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    BankTransaction,
    Contract,
    ContractItem,
    CreditNote,
    Customer,
    CustomerAccount,
    Decision,
    DocumentError,
    DunlibError,
    DunningLetter,
    DunningRules,
    DunningStage,
    Escalate,
    Escalation,
    HistoryEntry,
    Hold,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    LineItem,
    Money,
    NoAction,
    NoActionReason,
    NumberSequence,
    Order,
    OrderItem,
    Pause,
    Payment,
    PaymentTerms,
    PreparedLetter,
    Resume,
    StageKind,
    balance,
    external_status,
    group_letters,
    match_payments,
    next_dunning_action,
    plan,
    simulate,
)
from dunlib import strategies as ds
from dunlib.analytics import (
    AgeingItem,
    AgeingRow,
    Movement,
    OpenItem,
    Schedule,
    ScheduleEntry,
    StatementOfAccount,
)
from dunlib.billing import OrderDrafted, OrderSent, SeriesBilled, SeriesSent
from dunlib.core import (
    Address,
    DeliveryPeriod,
    DocumentProblem,
    HolidayCalendar,
    InterestCharge,
    IssuedStage,
    Target2Calendar,
    Template,
    TemplateValues,
    WeekendCalendar,
    WriteOff,
    quick,
)
from dunlib.core import validate as v
from dunlib.core.transitions import Row
from dunlib.dunning import (
    AccountChange,
    Channel,
    CreditUse,
    Instalment,
    InstalmentPlan,
    LetterDocuments,
    PlanState,
    StageWording,
    agree_plan,
    cancel_plan,
    instalment_plan,
)
from dunlib.io import ExternalStatus, reader, serialize
from dunlib.io._writer import document_writer
from dunlib.io.reader import _PAIRS, _quick, _quick_document, _quick_tagged, _Slow
from dunlib.io.serialize import (
    SCHEMA_VERSION,
    UPGRADES,
    VERSION_KEY,
    _converter,
    _parse_json,
    from_dict,
    from_json,
    load_rules,
    to_dict,
    to_json,
    upgrade_legacy_money,
    upgrade_legal_fields,
    upgrade_vocabulary,
)
from dunlib.ledger import JournalEntry, Posting
from dunlib.payments import (
    Allocation,
    Ambiguous,
    Balance,
    FeeWaiver,
    Match,
    MatchedInvoice,
    Matching,
    PaymentResult,
    Rebooked,
    Recovery,
    RecoveryResult,
    Reversal,
    ReversalResult,
    Unmatched,
    record_recovery,
)
from dunlib.portfolio import LetterSent, LetterStep
from dunlib.workflow import (
    BookedByHand,
    Cancellation,
    Credited,
    DeliveryNote,
    DocumentRecord,
    Permissions,
    Sent,
    derive_delivery_note,
)
from dunlib.workflow.policy import DEFAULT_PERMISSIONS

EXAMPLE_RULES = Path(__file__).resolve().parents[1] / "examples" / "dunning_rules.toml"
DOCS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "serialization.md"


def paid_invoice() -> Invoice:
    """A sent invoice of 119.00 EUR with one payment of 100.00 EUR."""
    invoice = Invoice.sent(
        number="RE-2026-0001",
        customer=ACME,
        lines=[
            LineItem(description="Consulting", quantity=2, unit_price=eur("50.00"), tax_rate=19)
        ],
        issue_date=dt.date(2026, 4, 26),
        due_date=dt.date(2026, 5, 10),
    )
    return dunlib.record_payment(
        invoice,
        Payment(on=dt.date(2026, 5, 2), amount=eur("100.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice


# -- the laws ---------------------------------------------------------------------

_REMIND_AT_ONCE = DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=0),))
"""Rules that remind a dunnable invoice from its due date on."""

VALUE_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "amounts": ds.amounts(),
    "customers": ds.customers(),
    "legal_customers": ds.customers(legal=True),
    "addresses": ds.addresses(),
    "delivery_periods": ds.delivery_periods(),
    "legal_line_items": ds.line_items(legal=True),
    "legal_invoices": ds.invoices(legal=True),
    "line_items": ds.line_items(allow_negative=True),
    "payment_terms": ds.payment_terms(),
    "payments": ds.payments(),
    "credit_notes": ds.credit_notes(),
    "interest_charges": ds.interest_charges(),
    "issued_stages": ds.issued_stages(),
    "fee_rules": ds.fee_rules() | ds.fee_rules(currency=None),
    "stage_repeats": ds.stage_repeats(),
    "stage_texts": st.from_type(dunlib.dunning.StageTexts),
    "stages_with_texts": st.builds(
        lambda stage, texts: attrs.evolve(stage, texts=(texts,)),
        ds.dunning_stages(),
        st.from_type(dunlib.dunning.StageTexts),
    ),
    "history_entries": ds.history_entries(),
    "document_records": st.from_type(DocumentRecord),
    "invoices": ds.invoices(),
    "dunned_invoices": ds.dunned_invoices(),
    "closed_invoices": ds.closed_invoices(),
    "write_offs": ds.write_offs(),
    "delivery_notes": st.builds(
        lambda invoice: derive_delivery_note(invoice, id="LS-1", on=invoice.issue_date),
        ds.sent_invoices(),
    ),
    "dunning_stages": ds.dunning_stages(),
    "dunning_rules": ds.dunning_rules(),
    "calendars": ds.calendars(),
    # stored state and configuration of the workflow, payments and suspension
    "actors": ds.actors(),
    "authorities": ds.authorities(),
    "permissions": ds.permissions(),
    "number_sequences": ds.number_sequences(),
    "bank_transactions": ds.bank_transactions(),
    "suspension_events": ds.suspension_events(max_size=2).filter(bool).map(lambda e: e[-1]),
    "templates": ds.dunning_stages().map(lambda stage: Template(source=stage.email_body)),
    # decisions and results, which callers store as they were made
    "dunning_actions": st.builds(
        next_dunning_action,
        ds.dunnable_invoices(currency="EUR"),
        ds.dunning_rules(),
        today=ds.dates(),
    ),
    "schedules": ds.schedules(currency="EUR"),  # with pauses, payments and credit notes
    "matchings": st.lists(
        ds.sent_invoices(currency="EUR"), max_size=2, unique_by=lambda i: i.id
    ).flatmap(
        lambda invoices: st.lists(ds.bank_transactions(invoices=tuple(invoices)), max_size=3).map(
            lambda transactions: match_payments(transactions, invoices)
        )
    ),
    "balances": st.builds(balance, ds.receivable_invoices()),
    "customer_notices": ds.dunnable_invoices(currency="EUR").map(
        lambda invoice: group_letters(
            plan([invoice], _REMIND_AT_ONCE, today=invoice.due_date + dt.timedelta(days=1))
        )[0]
    ),
    "decisions": st.builds(
        lambda invoice, rules, day: next(plan([invoice], rules, today=day, explain=True)),
        ds.dunnable_invoices(currency="EUR"),
        ds.dunning_rules(),
        ds.dates(),
    ),
    "held_actions": st.builds(
        lambda invoice, minimum, share: NoAction(
            invoice_id=invoice.id,
            reason=NoActionReason.BELOW_CUSTOMER_MINIMUM,
            minimum=minimum,
            overdue_total=Money.rounded(minimum.amount * share / 100, minimum.currency),
        ),
        ds.dunnable_invoices(),
        ds.amounts(currency="EUR", min_value=1),
        st.integers(min_value=0, max_value=99),
    ),
    "prepared_letters": ds.prepared_letters(),
    "external_statuses": st.builds(external_status, ds.invoices(), today=ds.dates()),
    "template_values": st.builds(
        TemplateValues,
        invoice_number=st.text(min_size=1, max_size=8),
        invoice_date=ds.dates(),
        total_gross=ds.amounts(),
        due_date=ds.dates(),
        tenant_name=st.text(max_size=8),
        customer_name=st.text(max_size=8),
    ),
    "document_problems": st.builds(DocumentProblem, path=st.text(), message=st.text()),
    "orders": ds.orders(),
    "order_items": ds.order_items(),
    "contracts": ds.contracts(),
    "contract_items": ds.contract_items(),
    "line_items_with_source": ds.line_items().map(lambda line: attrs.evolve(line, source="item-1")),
    "comparisons": ds.comparisons(currency="EUR"),
    "ageing_reports": ds.ageing_reports(max_invoices=3),
    "ageing_rows": ds.ageing_reports(max_invoices=3).map(
        lambda report: (
            report.rows[-1]
            if report.rows
            else AgeingRow(customer=None, currency="EUR", invoices=0, amounts=())
        )
    ),
    "ageing_items": st.builds(
        AgeingItem,
        invoice_id=st.just("RE-1"),
        number=st.text(max_size=5),
        customer=ds.customers(),
        due_date=ds.dates(),
        days_past_due=st.integers(-100, 1000),
        open_amount=ds.amounts(),
    ),
    "holds": ds.holds(lifted=None),
    "recoveries": st.builds(
        Recovery,
        on=ds.dates(),
        amount=ds.amounts(currency="EUR", min_value=Decimal("0.01")),
        reference=st.sampled_from(("", "collector's statement 7")),
    ),
    "instalment_plans": st.builds(
        lambda day, first, count, grace, waived, cancelled: attrs.evolve(
            InstalmentPlan.monthly(
                eur("1000.00"),
                on=day,
                first_due=day + dt.timedelta(days=first),
                count=count,
                grace_days=grace,
                waives_interest=waived,
                reason="agreed by phone",
            ),
            cancelled_on=day + dt.timedelta(days=cancelled) if cancelled >= 0 else None,
        ),
        ds.dates(),
        st.integers(0, 40),
        st.integers(1, 6),
        st.integers(0, 10),
        st.booleans(),
        st.integers(-1, 90),
    ),
    "planned_invoices": st.builds(
        lambda invoice, days, count, paid, cancel: _planned(invoice, days, count, paid, cancel),
        ds.dunnable_invoices(currency="EUR"),
        st.integers(0, 30),
        st.integers(1, 4),
        st.booleans(),
        st.booleans(),
    ),
    "recovered_invoices": st.builds(
        lambda invoice, cents: _recovered(invoice, cents),
        ds.dunnable_invoices(currency="EUR"),
        st.integers(1, 10_000_000),
    ),
    "held_invoices": ds.held_invoices(),
    "reversals": st.from_type(Reversal),
    "fee_waivers": st.from_type(FeeWaiver),
    "reversed_invoices": st.from_type(ReversalResult).map(lambda result: result.invoice),
    "journal_entries": st.from_type(JournalEntry),
    "postings": st.from_type(Posting),
    "customer_accounts": ds.customer_accounts(),
    "account_changes": ds.account_changes(),
    "credited_actions": st.builds(
        lambda invoice, day, cents: next_dunning_action(
            invoice, _REMIND_AT_ONCE, today=day, credit=Money(Decimal(cents).scaleb(-2), "EUR")
        ),
        ds.dunnable_invoices(currency="EUR"),
        ds.dates(),
        st.integers(min_value=0, max_value=100_000),
    ),
}
"""Strategies for every public value object; the decisions of a union appear as its members."""

NESTED_ONLY = {
    StatementOfAccount: "statement_of_account's result, read from invoices, never stored",
    dunlib.io.ChainBreak: "verify_chain's answer about a stored document, never stored",
    OpenItem: "inside statements of account",
    Movement: "inside statements of account",
    ScheduleEntry: "inside schedules",
    Match: "inside matchings",
    MatchedInvoice: "inside matchings",
    Unmatched: "inside matchings",
    Ambiguous: "inside matchings",
    Allocation: "inside payment results",
    PaymentResult: "record_payment's result; its parts are covered",
    LetterDocuments: "rendered texts, rebuilt from the stage and the invoice",
    StageWording: "a stage's texts chosen for a locale, rebuilt by DunningStage.wording",
    Sent: "send's result; its invoice and sequence are covered",
    LetterSent: "send_letter's result; its notice and invoices are covered",
    OrderSent: "send_order_invoice's result; its Sent and order are covered",
    OrderDrafted: "invoice_from_order's result; its invoice and order are covered",
    SeriesBilled: "invoices_due's result; its invoices and contract are covered",
    SeriesSent: "send_series_invoice's result; its Sent and contract are covered",
    BookedByHand: "book_by_hand's result; its invoice, credit and sequence are covered",
    Credited: "credit's result; its credit note and invoice are covered",
    Cancellation: "cancel's result; its invoices and sequence are covered",
    LetterStep: "inside prepared letters",
    Row: "a row of the workflow table: data of the code, not a document",
    CreditUse: "use_credit's result; its account and invoice are covered",
    Instalment: "inside instalment plans",
    PlanState: "instalment_plan's result; its plan is covered",
    RecoveryResult: "record_recovery's result; its recovery and invoice are covered",
    ReversalResult: "reverse_payment's result; its reversal, payment and invoice are covered",
    Rebooked: "rebook_payment's result; its results' parts are covered",
}
"""Public value classes whose round trip is shown as a part of another document (or not
needed), with the reason."""


def _planned(invoice: Invoice, days: int, count: int, paid: bool, cancel: bool) -> Invoice:
    """``invoice`` with an instalment plan for what is open agreed ``days`` after its last
    step and a day (``count`` monthly instalments, where the open amount has a cent for each), the
    first instalment paid on its due date when ``paid``, the plan cancelled a day later
    when ``cancel`` and it still holds."""
    day = invoice.history[-1].on + dt.timedelta(days=days + 1)  # after the day's payments
    count = min(count, int(invoice.open_amount.amount * 100))
    plan = InstalmentPlan.monthly(
        invoice.open_amount, on=day, first_due=day, count=count, grace_days=3
    )
    sam = Actor(id="sam", roles={"accountant"})
    invoice = agree_plan(invoice, plan, actor=sam, authority=Authority())
    if paid:
        first = Payment(on=day, amount=plan.instalments[0].amount)
        invoice = dunlib.record_payment(
            invoice, first, actor=AUTOMATIC, authority=Authority()
        ).invoice
    later = day + dt.timedelta(days=1)
    state = instalment_plan(invoice, today=later)
    if cancel and state is not None and state.holds:
        invoice = cancel_plan(invoice, on=later, actor=sam, authority=Authority())
    return invoice


def _recovered(invoice: Invoice, cents: int) -> Invoice:
    """``invoice`` dunned, written off and ``cents`` recovered a day later (at most what was
    written off)."""
    written = builders.reached(dunlib.Status.WRITTEN_OFF, invoice)
    amount = min(Money(Decimal(cents).scaleb(-2), "EUR"), written.written_off)
    recovery = Recovery(
        on=written.history[-1].on + dt.timedelta(days=1), amount=amount, reference="collector"
    )
    return record_recovery(
        written, recovery, actor=Actor(id="sam", roles={"accountant"}), authority=Authority()
    ).invoice


PRODUCES: dict[str, tuple[type, ...]] = {
    "amounts": (Money,),
    "customers": (Customer,),
    "legal_customers": (Customer,),
    "addresses": (Address,),
    "delivery_periods": (DeliveryPeriod,),
    "legal_line_items": (LineItem,),
    "legal_invoices": (Invoice,),
    "line_items": (LineItem,),
    "payment_terms": (PaymentTerms,),
    "payments": (Payment,),
    "credit_notes": (CreditNote,),
    "interest_charges": (InterestCharge,),
    "issued_stages": (IssuedStage,),
    "fee_rules": (dunlib.FeeRule,),
    "stage_repeats": (dunlib.StageRepeat,),
    "stage_texts": (dunlib.dunning.StageTexts,),
    "stages_with_texts": (dunlib.DunningStage,),
    "history_entries": (HistoryEntry,),
    "document_records": (DocumentRecord,),
    "invoices": (Invoice,),
    "dunned_invoices": (Invoice,),
    "closed_invoices": (Invoice,),
    "write_offs": (WriteOff,),
    "delivery_notes": (DeliveryNote,),
    "dunning_stages": (DunningStage,),
    "dunning_rules": (DunningRules,),
    "calendars": (WeekendCalendar, HolidayCalendar, Target2Calendar),
    "actors": (Actor,),
    "authorities": (Authority,),
    "permissions": (Permissions,),
    "number_sequences": (NumberSequence,),
    "bank_transactions": (BankTransaction,),
    "suspension_events": (Pause, Resume),
    "templates": (Template,),
    "dunning_actions": (IssueStage, NoAction, Escalate),
    "schedules": (Schedule,),
    "matchings": (Matching,),
    "balances": (Balance,),
    "decisions": (Decision,),
    "customer_notices": (DunningLetter,),
    "held_actions": (NoAction,),
    "prepared_letters": (PreparedLetter,),
    "external_statuses": (ExternalStatus,),
    "template_values": (TemplateValues,),
    "document_problems": (DocumentProblem,),
    "orders": (Order,),
    "order_items": (OrderItem,),
    "contracts": (Contract,),
    "contract_items": (ContractItem,),
    "line_items_with_source": (LineItem,),
    "comparisons": (dunlib.analytics.Comparison,),
    "ageing_reports": (dunlib.analytics.AgeingReport,),
    "ageing_rows": (dunlib.analytics.AgeingRow,),
    "ageing_items": (dunlib.analytics.AgeingItem,),
    "holds": (Hold,),
    "recoveries": (Recovery,),
    "instalment_plans": (InstalmentPlan,),
    "planned_invoices": (Invoice,),
    "recovered_invoices": (Invoice,),
    "held_invoices": (Invoice,),
    "reversals": (Reversal,),
    "fee_waivers": (FeeWaiver,),
    "reversed_invoices": (Invoice,),
    "journal_entries": (JournalEntry,),
    "postings": (Posting,),
    "customer_accounts": (CustomerAccount,),
    "account_changes": (AccountChange,),
    "credited_actions": (IssueStage, NoAction),
}
"""The classes each strategy above draws (checked by the round-trip law on every draw)."""


def test_round_trip_law_covers_every_public_value_class() -> None:
    """Every attrs class dunlib exports (root and areas) is drawn by a round-trip strategy or is
    listed, with its reason, as shown inside another document."""
    public = {obj for obj in EXPORTED if isinstance(obj, type) and attrs.has(obj)}
    covered = {cls for classes in PRODUCES.values() for cls in classes}
    assert set(PRODUCES) == set(VALUE_STRATEGIES)
    assert public - covered - set(NESTED_ONLY) == set()


@pytest.mark.parametrize("name", sorted(VALUE_STRATEGIES))
@given(data=st.data())
def test_round_trip_law_from_json_inverts_to_json(name: str, data: st.DataObject) -> None:
    """Round-trip law: from_json(to_json(x), type(x)) == x for every strategy's values."""
    value = data.draw(VALUE_STRATEGIES[name])
    assert isinstance(value, PRODUCES[name])
    assert from_json(to_json(value), type(value)) == value


@pytest.mark.parametrize("name", sorted(VALUE_STRATEGIES))
@given(data=st.data())
def test_stable_bytes_law_same_value_same_sorted_ascii_text(name: str, data: st.DataObject) -> None:
    """Stable-bytes law: an equal value read back writes the very same text, keys sorted, ASCII."""
    value = data.draw(VALUE_STRATEGIES[name])
    text = to_json(value)
    assert to_json(from_json(text, type(value))) == text
    assert json.dumps(json.loads(text), sort_keys=True, separators=(",", ":")) == text
    assert text.isascii()


@pytest.mark.parametrize("name", sorted(VALUE_STRATEGIES))
@settings(max_examples=25)  # pickling is generic per class: a few values of each suffice
@given(data=st.data())
def test_pickle_law_every_value_comes_back_equal(name: str, data: st.DataObject) -> None:
    """Pickle law: pickle.loads(pickle.dumps(x)) == x, of the same class and with the same
    document, for every strategy's values (which cover every public value class, see above),
    with the default and the highest protocol: a daily run can be spread over processes."""
    value = data.draw(VALUE_STRATEGIES[name])
    for protocol in (pickle.DEFAULT_PROTOCOL, pickle.HIGHEST_PROTOCOL):
        copied = pickle.loads(pickle.dumps(value, protocol))
        assert type(copied) is type(value)
        assert copied == value
        assert to_json(copied) == to_json(value)


def test_an_unpickled_line_item_computes_its_net_amount_again() -> None:
    """A line item keeps its net amount from when it was built; pickling leaves it out, and
    the copy computes the same amount when asked."""
    line = LineItem(description="Consulting", quantity=Decimal("2.5"), unit_price=eur("9.99"))
    copied = pickle.loads(pickle.dumps(line))
    assert copied.net == line.net == eur("24.98")


@pytest.mark.parametrize("name", sorted(VALUE_STRATEGIES))
@settings(max_examples=25)  # the readers are made per class: a few values of each suffice
@given(data=st.data())
def test_quick_path_law_reads_as_the_converter_does(name: str, data: st.DataObject) -> None:
    """Quick-path law: the reader made per class from its fields (what from_dict tries
    first) builds from a document exactly the value the converter builds from it."""
    value = data.draw(VALUE_STRATEGIES[name])
    document = to_dict(value)
    body = {key: item for key, item in document.items() if key != VERSION_KEY}
    reader = _quick(type(value))
    assert reader is not None
    assert reader(body) == _converter.structure(body, type(value)) == value


@pytest.mark.parametrize("name", sorted(VALUE_STRATEGIES))
@settings(max_examples=25)  # the writers are made per class: a few values of each suffice
@given(data=st.data())
def test_quick_path_law_the_writer_writes_as_the_general_path(
    name: str, data: st.DataObject
) -> None:
    """Quick-path law for writing: the writer generated per class (what to_dict and to_json
    try first, see tests/test_serialize_fast.py) writes every public value class's values
    into the very document the general path (the converter, then the walk for the limits)
    writes, and to_json writes the general path's text."""
    value = data.draw(VALUE_STRATEGIES[name])
    write = document_writer(type(value))
    assert write is not None
    with quick.plain():
        document, text = to_dict(value), to_json(value)
    assert write(value) == document
    assert to_json(value) == text


@attrs.frozen
class _Loose:
    """A value class with a field of a type the quick path does not read."""

    counts: dict[str, int]


def test_the_quick_path_leaves_unknown_types_to_the_converter() -> None:
    """A class, a tagged union member or an optional of a type the quick path does not know
    gets no quick reader; such documents are read by the converter alone. A document the
    quick path gives up on is read by the converter, which names every problem."""
    assert _quick(_Loose) is None
    assert _quick(_Loose | None) is None
    assert _quick_tagged({"_Loose": _Loose}) is None
    assert from_dict({VERSION_KEY: 1, "counts": {"a": 1}}, _Loose) == _Loose(counts={"a": 1})
    document = {VERSION_KEY: 1, "on": dt.date(2026, 5, 10), "amount": "x"}
    with pytest.raises(DocumentError) as raised:
        from_dict(document, WriteOff)
    assert [p.path for p in raised.value.problems] == ["amount"]


@pytest.mark.parametrize("name", sorted(VALUE_STRATEGIES))
@settings(max_examples=25)  # the readers are made per class: a few values of each suffice
@given(data=st.data())
def test_quick_path_law_the_pairs_reader_reads_as_the_general_path(
    name: str, data: st.DataObject
) -> None:
    """Quick-path law for text: the pairs reader (what from_json tries first) builds from
    a document's text exactly the value the general path (parse with the duplicate check,
    then the converter) builds from it."""
    value = data.draw(VALUE_STRATEGIES[name])
    text = to_json(value)
    general = from_dict(_parse_json(text, "x"), type(value))
    assert _quick_document(type(value), _PAIRS.decode(text), pairs=True) == general == value


class _Object(list[Any]):
    """A JSON object as the list of its (key, value) pairs, keys given twice kept."""


def _write(node: Any) -> str:
    """JSON text of ``node``, objects written pair by pair (so a key may appear twice)."""
    if isinstance(node, _Object):
        return "{" + ",".join(f"{json.dumps(key)}:{_write(item)}" for key, item in node) + "}"
    if isinstance(node, list):
        return "[" + ",".join(map(_write, node)) + "]"
    return json.dumps(node)


def _objects(node: Any) -> list[_Object]:
    """Every object inside ``node``, the top-level one first."""
    found: list[_Object] = []
    if isinstance(node, _Object):
        found.append(node)
    for item in (item for _, item in node) if isinstance(node, _Object) else node:
        if isinstance(item, list):
            found.extend(_objects(item))
    return found


_JUNK: list[Any] = [None, 0, -1, 10**150, 1.5, "", " ", "x", "2026-02-30", "1e3", [], True]


def _outcome(read: Callable[[], Any]) -> Any:
    """What reading gives: the value, or the error's class and every problem."""
    try:
        return read()
    except DocumentError as error:
        return (DocumentError, error.problems)


@settings(max_examples=100)
@given(
    invoice=st.one_of(ds.invoices(), ds.dunned_invoices(), ds.closed_invoices()),
    data=st.data(),
)
def test_quick_path_law_from_json_reads_and_refuses_as_the_general_path(
    invoice: Invoice, data: st.DataObject
) -> None:
    """Quick-path law for altered documents: for an invoice's text with one object altered
    (a key given twice, with the same or another value; a field dropped, added or replaced
    by junk; the text indented), from_json gives the value the general path gives, or
    refuses it with the very same problems."""
    document = json.loads(to_json(invoice), object_pairs_hook=_Object)
    target = data.draw(st.sampled_from(_objects(document)))
    change = data.draw(st.sampled_from(["twice", "twice, changed", "drop", "add", "junk", "none"]))
    if change != "none" and (target or change == "add"):
        index = data.draw(st.integers(0, max(len(target) - 1, 0)))
        junk = data.draw(st.sampled_from(_JUNK))
        if change == "add":
            target.insert(index, (data.draw(st.sampled_from(["type", "junk", "amount"])), junk))
        elif change == "drop":
            del target[index]
        else:
            key, item = target[index]
            target.insert(data.draw(st.integers(0, len(target))), (key, item))
            if change != "twice":
                target[index] = (key, junk)
    text = _write(document)
    if data.draw(st.booleans()):
        text = json.dumps(json.loads(text, object_pairs_hook=_Object), indent=1)
    general = _outcome(lambda: from_dict(_parse_json(text, "Invoice"), Invoice))
    assert _outcome(lambda: from_json(text, Invoice)) == general
    assert _outcome(lambda: from_json(text.encode(), Invoice)) == general


@pytest.mark.parametrize(
    ("cls", "text"),
    [
        pytest.param(Money, '{"schema_version":1,"amount":"1.00","currency":"EUR"}', id="money"),
        pytest.param(
            Money, '{"amount":"1.00","currency":"EUR","schema_version":1}\n', id="space after"
        ),
        pytest.param(Money, '{"schema_version":true,"amount":"1","currency":"EUR"}', id="bool"),
        pytest.param(Money, '{"schema_version":0,"amount":"1.00 EUR"}', id="version 0"),
        pytest.param(Money, '{"amount":"1.00","currency":"EUR"}', id="no version"),
        pytest.param(Money, '[{"amount":"1.00","currency":"EUR"}]', id="a list"),
        pytest.param(Money, '{"schema_version":1,"amount":"1.00","currency":3}', id="not text"),
        pytest.param(Money, '{"schema_version":1,"amount":"1.00"}', id="field missing"),
        pytest.param(_Loose, '{"schema_version":1,"counts":{"a":1}}', id="no quick reader"),
        pytest.param(
            LineItem,
            '{"schema_version":1,"description":"x","quantity":"1","source":5,'
            '"unit_price":{"amount":"1.00","currency":"EUR"}}',
            id="not text or null",
        ),
        pytest.param(
            DunningRules, '{"schema_version":1,"stages":[],"calendar":{}}', id="tagged, no tag"
        ),
        pytest.param(
            DunningRules,
            '{"schema_version":1,"stages":[],"calendar":{"type":"WeekendCalendar","type":'
            '"WeekendCalendar"}}',
            id="tag twice",
        ),
        pytest.param(
            DunningRules,
            '{"schema_version":1,"stages":[],"calendar":["WeekendCalendar"]}',
            id="tagged, a list",
        ),
        pytest.param(
            DunningRules,
            '{"schema_version":1,"stages":[],"calendar":{"type":"WeekendCalendar"}}',
            id="tagged",
        ),
        pytest.param(
            DunningRules,
            '{"schema_version":1,"stages":{"0":{"kind":"REMINDER","days_overdue":1}}}',
            id="an object for a list",
        ),
    ],
)
def test_from_json_reads_as_the_general_path_where_the_quick_path_gives_up(
    cls: type, text: str
) -> None:
    """Texts the pairs reader reads or gives up on (another version, a wrong shape, a
    missing or repeated tag, no quick reader): from_json, given the text or its UTF-8
    bytes, gives what the general path gives, value or problems."""
    general = _outcome(lambda: from_dict(_parse_json(text, cls.__name__), cls))
    assert _outcome(lambda: from_json(text, cls)) == general
    assert _outcome(lambda: from_json(text.encode(), cls)) == general


_MUTANTS: list[Any] = [
    *(None, 7, 0, -1, 10**30, 1.5, True, [], [[]], {"amount": "1.00"}),  # wrong types, out of range
    *("", " ", "x", "XAU", "eur", "EURO", "1.001", "-5.00", "0.001", "1e3"),  # refused texts
    *("FUTURE_NAME", "2026-02-30", "2026-05-10", "9999-12-31", "de_DE", "C-1"),  # names, dates
]


def _result(read: Callable[[], Any]) -> Any:
    """What reading gives: the value, or the error's class and message."""
    try:
        return read()
    except Exception as error:
        return (type(error), str(error))


@pytest.mark.parametrize("name", sorted(VALUE_STRATEGIES))
@settings(max_examples=20)  # the readers are made per class: a few documents of each suffice
@given(data=st.data())
def test_refusal_law_from_json_refuses_exactly_what_the_general_path_refuses(
    name: str, data: st.DataObject
) -> None:
    """Refusal law: for the document of a value of any class with one field's value replaced
    (by a value of the wrong type, an empty string, a negative or huge number, an invalid
    currency, an amount with too many places, an unknown enum name, an impossible date, ...)
    or one key given twice, from_json gives what the general path alone gives: the same
    value, or the same error with the same message. So the generated readers accept exactly
    what the constructors (and the general path) accept."""
    value = data.draw(VALUE_STRATEGIES[name])
    document = json.loads(to_json(value), object_pairs_hook=_Object)
    target = data.draw(st.sampled_from([found for found in _objects(document) if found]))
    index = data.draw(st.integers(0, len(target) - 1))
    key, item = target[index]
    if data.draw(st.booleans()):
        target[index] = (key, data.draw(st.sampled_from(_MUTANTS)))
    else:
        target.insert(data.draw(st.integers(0, len(target))), (key, item))
    text = _write(document)
    with patch.object(serialize, "_quick_document", side_effect=_Slow):
        general = _result(lambda: from_json(text, type(value)))
    assert _result(lambda: from_json(text, type(value))) == general


def _held(invoice: Invoice, days: int) -> Invoice:
    """``invoice`` with a dispute hold placed ``days`` after its issue date."""
    hold = Hold.dispute(on=invoice.issue_date + dt.timedelta(days=days), reason="contested")
    return dunlib.place_hold(
        invoice, hold, actor=dunlib.Actor(id="sam", roles={"accountant"}), authority=Authority()
    )


def _changed(invoice: Invoice, *path: str | int, to: Any) -> str:
    """The text of ``invoice`` with the value at ``path`` (keys and indexes) set to ``to``."""
    document = to_dict(invoice)
    place: Any = document
    *inner, last = path
    for step in inner:
        place = place[step]
    place[last] = to
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


_SENT = Invoice.sent(
    number="RE-1", customer=ACME, gross=eur("119.00"), issue_date=dt.date(2026, 4, 26)
)
_OTHER = {"amount": "1.00", "currency": "USD"}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_changed(_SENT, "currency", to="XAU"), id="no currency"),
        pytest.param(_changed(_SENT, "due_date", to="2026-04-01"), id="due before issue"),
        pytest.param(_changed(_SENT, "number", to=" "), id="booked, no number"),
        pytest.param(to_json(builders.draft(builders.line())), id="a draft"),
        pytest.param(
            _changed(builders.draft(builders.line()), "number", to="RE-9"), id="draft, a number"
        ),
        pytest.param(_changed(_SENT, "lines", 0, "unit_price", to=_OTHER), id="line, currency"),
        pytest.param(_changed(_SENT, "paused_since", to="2026-04-01"), id="paused before"),
        pytest.param(to_json(builders.reached(dunlib.Status.WRITTEN_OFF)), id="written off"),
        pytest.param(to_json(builders.reached(dunlib.Status.CANCELLED)), id="cancelled"),
        pytest.param(
            _changed(builders.reached(dunlib.Status.DUNNED), "issued_stages", 0, "level", to=2),
            id="level",
        ),
        pytest.param(
            _changed(builders.reached(dunlib.Status.PAID), "payments", 0, "amount", to=_OTHER),
            id="payment, currency",
        ),
        pytest.param(
            _changed(builders.reached(dunlib.Status.PAID), "payments", 0, "on", to="2026-04-01"),
            id="payment before",
        ),
        pytest.param(
            _changed(paid_invoice(), "payments", 0, "amount", "amount", to="500.00"), id="overpaid"
        ),
        pytest.param(to_json(paid_invoice()), id="partly paid"),
        pytest.param(to_json(builders.reached(dunlib.Status.DUNNED)), id="dunned"),
        pytest.param(to_json(_held(_SENT, 3)), id="held"),
        pytest.param(
            _changed(_held(_SENT, 0), "holds", 0, "on", to="2026-04-01"), id="held before"
        ),
    ],
)
def test_an_invoice_is_read_with_the_checks_of_its_constructor(text: str) -> None:
    """The reader checks an invoice in one pass where its constructor checks field after
    field: for documents each breaking (or passing) one of those checks (a currency, the
    due date, the number, bookings on a draft, a line's or a booking's currency or day, the
    levels, write-offs, an overpayment, a hold's day), from_json gives what the general
    path alone gives: the same value, or the same error with the same message."""
    with patch.object(serialize, "_quick_document", side_effect=_Slow):
        general = _result(lambda: from_json(text, Invoice))
    assert _result(lambda: from_json(text, Invoice)) == general


def test_the_validators_that_check_only_a_type_are_marked() -> None:
    """The generated readers skip exactly the validators marked as checking only a type; an
    optional validator is marked when the one it wraps is, and names the one it wraps."""
    marked = [v.text, v.calendar_date, v.finite_decimal, v.money, v.of_type(str, expected="s")]
    assert all(map(v.is_type_only, [*marked, v.tuple_of(Money, "Money"), v.optional(v.text)]))
    checking = [v.non_empty_text, v.non_negative_int, v.positive_money, v.locale, v.positive_int]
    assert not any(map(v.is_type_only, [*checking, v.optional(v.non_empty_text)]))
    assert v.optional_of(v.optional(v.non_empty_text)) is v.non_empty_text
    assert v.optional_of(v.non_empty_text) is None


@attrs.frozen
class _LooseItems:
    """A value class with a list of items of a class no quick reader reads."""

    items: tuple[_Loose, ...] = ()


@attrs.frozen
class _LooseMaybe:
    """A value class with an optional field of a class no quick reader reads."""

    maybe: _Loose | None = None


@pytest.mark.parametrize(
    ("cls", "text"),
    [
        (_LooseItems, '{"items":[{"counts":{"a":1}}],"schema_version":1}'),
        (_LooseMaybe, '{"maybe":{"counts":{"a":1}},"schema_version":1}'),
    ],
)
def test_a_class_with_a_field_no_quick_reader_reads_is_read_by_the_general_path(
    cls: type, text: str
) -> None:
    """A list or an optional of a class without a quick reader: no generated reader; from_json
    reads such documents by the general path."""
    assert reader._generated(cls) is None
    assert from_json(text, cls) == from_dict(json.loads(text), cls)


def test_the_quick_paths_caches_are_bounded_and_can_be_emptied() -> None:
    """Dates, decimals and objects read from the same values are kept, at most quick.READ of
    each; a full cache keeps nothing more, and quick.forget empties them all. Either way the
    value read is the same."""
    invoice = from_json(to_json(paid_invoice()), Invoice)
    quick.forget()
    assert not any(quick._MEMOS)
    with patch.object(quick, "READ", 0):
        assert from_json(to_json(invoice), Invoice) == invoice
    assert not any(quick._MEMOS)
    assert from_json(to_json(invoice), Invoice) == invoice
    assert reader._DATES
    assert reader._DECIMALS
    assert any(m and m is not reader._DATES and m is not reader._DECIMALS for m in quick._MEMOS)
    assert from_json(to_json(invoice), Invoice) == invoice


def _decimals(value: Any) -> list[tuple[int, tuple[int, ...], int | str]]:
    """Every Decimal inside a value object, as (sign, digits, exponent), in field order."""
    found: list[tuple[int, tuple[int, ...], int | str]] = []
    if isinstance(value, Decimal):
        found.append(tuple(value.as_tuple()))  # type: ignore[arg-type]
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            found.extend(_decimals(getattr(value, field.name)))
    elif isinstance(value, tuple):
        for item in value:
            found.extend(_decimals(item))
    return found


@given(
    quantity=st.decimals(
        allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9
    ),
    price=ds.amounts(),
)
def test_exact_digits_law_decimals_keep_sign_digits_and_exponent(
    quantity: Decimal, price: Money
) -> None:
    """Exact-digits law: every Decimal read back has the same sign, digits and exponent."""
    item = LineItem(description="Item", quantity=quantity, unit_price=price)
    again = from_json(to_json(item), LineItem)
    assert _decimals(again) == _decimals(item)
    assert str(again.quantity) == str(quantity)


@given(invoice=ds.dunned_invoices())
def test_exact_digits_law_holds_across_a_whole_invoice(invoice: Invoice) -> None:
    """Exact-digits law, for every amount, quantity and rate of a dunned invoice."""
    assert _decimals(from_json(to_json(invoice), Invoice)) == _decimals(invoice)


@given(rules=ds.dunning_rules())
def test_round_trip_law_rules_through_load_rules(rules: DunningRules) -> None:
    """Round-trip law for configuration: load_rules reads back what to_json wrote."""
    assert load_rules(to_json(rules)) == rules
    assert load_rules(to_json(rules, indent=2).encode()) == rules


# -- the format, pinned ------------------------------------------------------------


def test_money_is_a_string_amount_with_its_currency() -> None:
    """Money is {"amount": "<digits>", "currency": "<code>"}; the amount is never a JSON number."""
    assert to_json(eur("119.00")) == '{"amount":"119.00","currency":"EUR","schema_version":4}'
    assert to_dict(Money(1000, "JPY")) == {"schema_version": 4, "amount": "1000", "currency": "JPY"}
    assert to_dict(Money("-0.005", "KWD"))["amount"] == "-0.005"


def test_payment_document_pinned() -> None:
    """Dates are ISO 8601, optional fields are written as null, keys are sorted (the spec)."""
    payment = Payment(on=dt.date(2026, 5, 2), amount=eur("100.00"), reference="SEPA")
    assert to_json(payment) == (
        '{"amount":{"amount":"100.00","currency":"EUR"},"discount":null,"on":"2026-05-02",'
        '"reference":"SEPA","schema_version":4,"value_date":null}'
    )


def test_enums_are_written_by_name_and_decimals_as_strings() -> None:
    """Status and other enums by member name; quantities and rates with their exact digits."""
    document = to_dict(paid_invoice())
    assert document["status"] == "SENT"
    assert document["channel"] == "ONLINE"
    assert document["history"][0]["to_status"] == "SENT"
    assert document["lines"][0]["quantity"] == "2"
    assert document["lines"][0]["tax_rate"] == "19"
    assert document["customer"]["kind"] == "BUSINESS"


def test_indent_changes_only_whitespace() -> None:
    """to_json(indent=2) is the same document, laid out for reading."""
    invoice = paid_invoice()
    assert json.loads(to_json(invoice, indent=2)) == json.loads(to_json(invoice))
    assert "\n  " in to_json(invoice, indent=2)


def test_non_ascii_text_is_escaped_and_read_back() -> None:
    """Umlauts and other characters are written as \\u escapes and read back unchanged."""
    customer = Customer(id="C-2", name="Müller & Söhne")
    text = to_json(customer)
    assert "M\\u00fcller" in text
    assert from_json(text, Customer) == customer
    assert from_json(text.encode("utf-8"), Customer) == customer


def test_derived_fields_are_not_written() -> None:
    """A field computed at construction (a template's placeholders) is left out and rebuilt."""
    template = Template(source="Bitte zahlen Sie bis zum {{ dueDate }}.")
    assert to_dict(template) == {"schema_version": 4, "source": template.source}
    assert from_json(to_json(template), Template).placeholders == ("dueDate",)


def test_defaults_may_be_left_out_when_reading() -> None:
    """A field with a default may be missing from a document; the default is used."""
    customer = from_dict({"schema_version": 1, "id": "C-1", "name": "ACME GmbH"}, Customer)
    assert customer == ACME


def test_toml_dates_are_accepted_as_dates() -> None:
    """A TOML date (already a date, not a string) is read where a date belongs."""
    document = {
        "schema_version": 1,
        "on": dt.date(2026, 5, 2),
        "amount": {"amount": "1.00", "currency": "EUR"},
    }
    assert from_dict(document, Payment).on == dt.date(2026, 5, 2)


def test_whole_number_amounts_are_exact_and_accepted() -> None:
    """A JSON integer is exact, so it is accepted as an amount (a float never is)."""
    document = {"schema_version": 1, "amount": 119, "currency": "EUR"}
    assert from_dict(document, Money) == eur("119.00")


# -- versions --------------------------------------------------------------------


def test_current_version_is_written_on_every_document() -> None:
    """Every document carries schema_version, the current one."""
    assert SCHEMA_VERSION == 4
    assert to_dict(ACME)["schema_version"] == 4
    assert json.loads(to_json(SEED_RULES))["schema_version"] == 4


def test_version_0_legacy_money_strings_are_upgraded() -> None:
    """Version 0 wrote money as "119.00 EUR"; reading it gives the same invoice as version 1."""
    document = to_dict(paid_invoice())
    document["schema_version"] = 0
    document["lines"][0]["unit_price"] = "50.00 EUR"
    document["payments"][0]["amount"] = "100.00 EUR"
    assert from_dict(document, Invoice) == paid_invoice()


def _invoice_as_version_1(document: dict[str, Any]) -> dict[str, Any]:
    """An invoice's document (without its version) in the words version 1 used."""
    document["notices"] = document.pop("issued_stages")
    document["interest"] = document.pop("interest_charges")
    for entry in document["history"]:
        entry["kind"] = "DUNNING_NOTICE" if entry["kind"] == "STAGE_ISSUED" else entry["kind"]
    return document


@given(invoice=ds.dunned_invoices())
def test_law_a_version_1_invoice_reads_as_the_invoice_it_was(invoice: Invoice) -> None:
    """Law: an invoice written in version 1's words (``notices``, ``interest``,
    ``DUNNING_NOTICE``) is read as the same invoice."""
    document = _invoice_as_version_1(to_dict(invoice))
    document["schema_version"] = 1
    assert from_dict(document, Invoice) == invoice


@given(letter=ds.prepared_letters())
def test_law_a_version_1_prepared_letter_reads_as_the_letter_it_was(letter: PreparedLetter) -> None:
    """Law: a prepared letter of version 1 (its letter under ``notice``, every invoice in
    version 1's words) is read as the same prepared letter."""
    document = to_dict(letter)
    document["notice"] = document.pop("letter")
    for decision in document["notice"]["decisions"]:
        _invoice_as_version_1(decision["invoice"])
    document["schema_version"] = 1
    assert from_dict(document, PreparedLetter) == letter


def test_version_1_order_items_and_channels_are_upgraded() -> None:
    """``OrderItem.invoice`` (an id) becomes ``invoice_id``; the channel ``LETTER`` becomes
    ``POST``; nothing else is touched, and the input is not changed."""
    line = to_dict(LineItem(description="x", quantity=Decimal(1), unit_price=eur("1.00")))
    del line["schema_version"]
    item = {"id": "A-1", "line": line, "flag": "BILLED", "invoice": "RE-1"}
    assert UPGRADES[1] is upgrade_vocabulary
    upgraded = upgrade_vocabulary(item, OrderItem)
    assert (upgraded["invoice_id"], "invoice" in upgraded) == ("RE-1", False)
    assert item["invoice"] == "RE-1"
    rules: dict[str, Any] = {
        "stages": [{"kind": "NOTICE", "days_overdue": 7, "channels": ["EMAIL", "LETTER"]}]
    }
    stage = upgrade_vocabulary(rules, DunningRules)["stages"][0]
    assert (stage["kind"], stage["channels"]) == ("NOTICE", ["EMAIL", "POST"])
    rules["schema_version"] = 1
    assert from_dict(rules, DunningRules).stages[0].channels == (Channel.EMAIL, Channel.POST)


def test_version_2_documents_read_with_the_legal_fields_at_their_defaults() -> None:
    """A version-2 invoice (without the customer's address, VAT id, buyer reference, send
    mode and channel, the lines' unit, category and section, the delivery) reads as the
    same invoice, each new field at its default; the upgrade changes nothing."""
    invoice = paid_invoice()
    document = to_dict(invoice)
    document["schema_version"] = 2
    for field in ("address", "vat_id", "buyer_reference", "send_mode", "channel"):
        del document["customer"][field]
    for line in document["lines"]:
        for field in ("unit", "tax_category", "section"):
            del line[field]
    del document["delivery"]
    assert UPGRADES[2] is upgrade_legal_fields
    assert upgrade_legal_fields(document, Invoice) == document
    read = from_dict(document, Invoice)
    assert read == invoice
    assert (read.customer.address, read.lines[0].unit, read.delivery) == (None, "C62", None)


@pytest.mark.parametrize("step", [upgrade_legacy_money, upgrade_vocabulary, upgrade_legal_fields])
def test_an_upgrade_step_refuses_what_is_no_document(step: Any) -> None:
    """Each upgrade step names its argument when it is not a document's body or a class."""
    with pytest.raises(InvalidTypeError, match=rf"{step.__name__}.body"):
        step([], Invoice)
    with pytest.raises(InvalidTypeError, match=rf"{step.__name__}.cls"):
        step({}, dict)


def test_a_document_of_date_objects_reads_as_one_of_iso_dates() -> None:
    """from_dict takes a date where the document has one as an object (not text): the same
    value as from its ISO text."""
    payment = Payment(on=dt.date(2026, 5, 2), amount=eur("100.00"), reference="SEPA")
    document = to_dict(payment)
    assert from_dict({**document, "on": dt.date(2026, 5, 2)}, Payment) == payment


def test_version_0_upgrade_touches_money_fields_only() -> None:
    """A text field that reads like money stays text; money inside lists and options is found."""
    body = {
        "id": "GS-1",
        "on": "2026-05-03",
        "amount": "10.00 EUR",
        "reason": "10.00 EUR back",
        "lines": [
            {"description": "5.00 EUR", "quantity": "1", "unit_price": "10.00 EUR"},
        ],
    }
    assert UPGRADES[0] is upgrade_legacy_money
    upgraded = upgrade_legacy_money(body, CreditNote)
    assert upgraded["amount"] == {"amount": "10.00", "currency": "EUR"}
    assert upgraded["reason"] == "10.00 EUR back"
    assert upgraded["lines"][0]["description"] == "5.00 EUR"
    assert upgraded["lines"][0]["unit_price"] == {"amount": "10.00", "currency": "EUR"}
    assert body["amount"] == "10.00 EUR"  # the input is not changed
    payment = {"on": "2026-05-03", "amount": "1.00 EUR", "discount": "0.10 EUR"}
    assert UPGRADES[0](payment, Payment)["discount"] == {"amount": "0.10", "currency": "EUR"}


def test_version_0_malformed_legacy_money_is_reported_with_its_path() -> None:
    """A version-0 money string of the wrong shape is left alone and reported where it is."""
    document = to_dict(paid_invoice())
    document["schema_version"] = 0
    document["payments"][0]["amount"] = "100,00 Euro"
    with pytest.raises(DocumentError) as caught:
        from_dict(document, Invoice)
    assert [p.path for p in caught.value.problems] == ["payments[0].amount"]


# -- broken documents ------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], object]


def _set(path: str, value: Any) -> Mutation:
    """Set the value at a dotted path such as ``stages.3.fee.amount`` (numbers are indices)."""

    def mutate(document: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = document
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is _DELETE:
            del target[last]
        elif last.isdigit():
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


_DELETE = object()

BROKEN: list[tuple[str, type, Mutation, str, str]] = [
    # rules documents (the seed's example, broken one way each)
    (
        "unknown placeholder",
        DunningRules,
        _set("stages.0.email_subject", "Rechnung {{ invoiceNumber }}"),
        "stages[0].email_subject",
        "a known placeholder",
    ),
    (
        "stray braces in a template",
        DunningRules,
        _set("stages.1.email_body", "Bitte zahlen {{ dueDate }"),
        "stages[1].email_body",
        "double braces",
    ),
    (
        "bad stage kind",
        DunningRules,
        _set("stages.0.kind", "WARNING"),
        "stages[0].kind",
        "REMINDER",
    ),
    (
        "enum by value, not name",
        DunningRules,
        _set("stages.0.kind", "reminder"),
        "stages[0].kind",
        "the name of a StageKind",
    ),
    (
        "negative days",
        DunningRules,
        _set("stages.2.days_overdue", -7),
        "stages[2].days_overdue",
        "an int >= 0",
    ),
    (
        "days as a string",
        DunningRules,
        _set("stages.1.days_overdue", "7"),
        "stages[1].days_overdue",
        "a whole number",
    ),
    (
        "days as a float",
        DunningRules,
        _set("stages.1.days_overdue", 7.0),
        "stages[1].days_overdue",
        "a whole number",
    ),
    (
        "missing days",
        DunningRules,
        _set("stages.1.days_overdue", _DELETE),
        "stages[1].days_overdue",
        "required field missing",
    ),
    (
        "float fee amount",
        DunningRules,
        _set("stages.3.fee.amount", 5.0),
        "stages[3].fee.amount",
        "float",
    ),
    ("fee as a bare number", DunningRules, _set("stages.3.fee", 5.0), "stages[3].fee", '"amount"'),
    (
        "legacy money string in a version-1 document",
        DunningRules,
        _set("stages.3.fee", "5.00 EUR"),
        "stages[3].fee",
        "an amount with its currency",
    ),
    (
        "fee with more decimals than the currency",
        DunningRules,
        _set("stages.3.fee.amount", "5.001"),
        "stages[3].fee.amount",
        "at most 2 decimal places",
    ),
    (
        "unknown currency",
        DunningRules,
        _set("stages.3.fee.currency", "EURO"),
        "stages[3].fee.currency",
        "ISO 4217",
    ),
    (
        "fee on a reminder",
        DunningRules,
        _set("stages.0.fee", {"amount": "1.00", "currency": "EUR"}),
        "stages[0].fee",
        "only notices carry a fee",
    ),
    (
        "active as text",
        DunningRules,
        _set("stages.0.active", "yes"),
        "stages[0].active",
        "true or false",
    ),
    (
        "unknown field (a typo)",
        DunningRules,
        _set("stages.1.days", 7),
        "stages[1].days",
        "unknown field; DunningStage has: kind, days_overdue",
    ),
    (
        "channels not a list",
        DunningRules,
        _set("stages.0.channels", "EMAIL"),
        "stages[0].channels",
        "a list",
    ),
    (
        "unknown channel",
        DunningRules,
        _set("stages.0.channels", ["FAX"]),
        "stages[0].channels[0]",
        "POST",
    ),
    (
        "no channel",
        DunningRules,
        _set("stages.0.channels", []),
        "stages[0].channels",
        "one or more",
    ),
    ("stages missing", DunningRules, _set("stages", _DELETE), "stages", "required field missing"),
    ("stages not a list", DunningRules, _set("stages", {"kind": "REMINDER"}), "stages", "a list"),
    ("a stage not an object", DunningRules, _set("stages.2", "REMINDER"), "stages[2]", "an object"),
    (
        "pre-due basis after a dunning stage",
        DunningRules,
        _set("stages.1.basis", "BEFORE_DUE_DATE"),
        "stages[1].basis",
        "only open the ladder",
    ),
    ("unknown escalation", DunningRules, _set("escalation", "LAWYER"), "escalation", "COLLECTION"),
    (
        "escalation days without an escalation",
        DunningRules,
        _set("escalation_days", 14),
        "escalation_days",
        "0 when there is no escalation",
    ),
    (
        "fees in two currencies",
        DunningRules,
        lambda d: d["stages"].append(
            {"kind": "NOTICE", "days_overdue": 7, "fee": {"amount": "5.00", "currency": "CHF"}}
        ),
        "stages",
        "one currency",
    ),
    (
        "negative minimum amount",
        DunningRules,
        _set("minimum_open_amounts", [{"amount": "-1.00", "currency": "EUR"}]),
        "minimum_open_amounts[0]",
        "above zero",
    ),
    # invoice documents
    ("missing field", Invoice, _set("currency", _DELETE), "currency", "required field missing"),
    ("null for a required date", Invoice, _set("issue_date", None), "issue_date", "ISO 8601 date"),
    (
        "a date and time where a date belongs",
        Invoice,
        _set("issue_date", "2026-04-26T09:30:00"),
        "issue_date",
        "not a date and time",
    ),
    (
        "a date not in the calendar",
        Invoice,
        _set("payments.0.on", "2026-02-30"),
        "payments[0].on",
        "exists in the calendar",
    ),
    ("a German date", Invoice, _set("due_date", "10.05.2026"), "due_date", "ISO 8601"),
    (
        "float money in a payment",
        Invoice,
        _set("payments.0.amount.amount", 100.0),
        "payments[0].amount.amount",
        "float",
    ),
    (
        "amount in words",
        Invoice,
        _set("payments.0.amount.amount", "hundred"),
        "payments[0].amount.amount",
        "a decimal string",
    ),
    (
        "NaN tax rate",
        Invoice,
        _set("lines.0.tax_rate", "NaN"),
        "lines[0].tax_rate",
        "a decimal string",
    ),
    ("float quantity", Invoice, _set("lines.0.quantity", 2.5), "lines[0].quantity", "float"),
    ("unknown status", Invoice, _set("status", "SENDED"), "status", "DRAFT, CREATED"),
    ("status by number", Invoice, _set("status", 3), "status", "the name of a Status"),
    ("customer not an object", Invoice, _set("customer", "C-1"), "customer", "fields of Customer"),
    ("unknown locale", Invoice, _set("customer.locale", "xx_YY"), "customer.locale", "CLDR locale"),
    (
        "payment in another currency",
        Invoice,
        _set("payments.0.amount.currency", "USD"),
        "payments[0]",
        "an amount in EUR",
    ),
    ("sent without a number", Invoice, _set("number", ""), "number", "an invoice number"),
    ("due before issued", Invoice, _set("due_date", "2026-04-01"), "due_date", "on or after"),
    (
        "bool for a number",
        Invoice,
        _set("terms.net_days", True),
        "terms.net_days",
        "a whole number",
    ),
    (
        "unknown history kind",
        Invoice,
        _set("history.0.kind", "STORNO"),
        "history[0].kind",
        "the name of a EventKind",
    ),
    (
        "overpaid beyond the total",
        Invoice,
        _set("payments.0.amount.amount", "500.00"),
        "payments",
        "at most 119.00 EUR",
    ),
    # the envelope
    (
        "version missing",
        Invoice,
        _set("schema_version", _DELETE),
        "schema_version",
        "required field missing",
    ),
    ("version newer", Invoice, _set("schema_version", 5), "schema_version", "newer dunlib"),
    ("version unknown", Invoice, _set("schema_version", -1), "schema_version", "no such schema"),
    ("version as text", Invoice, _set("schema_version", "1"), "schema_version", "a whole number"),
]


def _base(cls: type) -> dict[str, Any]:
    return to_dict(SEED_RULES) if cls is DunningRules else to_dict(paid_invoice())


def test_at_least_thirty_kinds_of_broken_documents() -> None:
    """The table below covers at least 30 distinct ways a document can be broken."""
    assert len({name for name, *_ in BROKEN}) == len(BROKEN) >= 30


@pytest.mark.parametrize(
    ("cls", "mutate", "path", "fragment"),
    [pytest.param(cls, m, path, fragment, id=name) for name, cls, m, path, fragment in BROKEN],
)
def test_broken_document_raises_document_error_with_path(
    cls: type, mutate: Mutation, path: str, fragment: str
) -> None:
    """Each broken document raises DocumentError naming the path and saying what is expected."""
    document = copy.deepcopy(_base(cls))
    mutate(document)
    text = json.dumps(document)
    with pytest.raises(DocumentError) as caught:
        from_json(text, cls)
    error = caught.value
    assert isinstance(error, DunlibError)
    assert isinstance(error, ValueError)
    assert error.document == cls.__name__
    messages = {problem.path: problem.message for problem in error.problems}
    assert path in messages, str(error)
    assert fragment in messages[path], str(error)
    assert f"{path}: " in str(error)


def test_every_problem_is_listed_not_just_the_first() -> None:
    """Problems in different fields, objects and list items are all reported together."""
    document = to_dict(SEED_RULES)
    document["stages"][0]["email_subject"] = "{{ invoiceNumber }}"
    document["stages"][2]["days_overdue"] = -1
    document["stages"][3]["fee"]["amount"] = 5.5
    document["stages"][3]["kind"] = "MAHNUNG"
    document["escalation"] = "LAWYER"
    with pytest.raises(DocumentError) as caught:
        from_dict(document, DunningRules)
    assert {problem.path for problem in caught.value.problems} == {
        "stages[0].email_subject",
        "stages[2].days_overdue",
        "stages[3].fee.amount",
        "stages[3].kind",
        "escalation",
    }
    assert str(caught.value).startswith("cannot read the DunningRules document, 5 problems:\n  ")


def test_every_invalid_field_of_one_object_is_listed() -> None:
    """Two fields of one object that its validators refuse are both reported, not the first only."""
    document = {"schema_version": 1, "id": " ", "name": "", "locale": "xx", "email": 3}
    with pytest.raises(DocumentError) as caught:
        from_dict(document, Customer)
    assert [problem.path for problem in caught.value.problems] == ["email", "id", "name", "locale"]


def test_cross_field_problem_is_reported_when_fields_are_fine() -> None:
    """A rule across fields (discount percent and days together) is reported on its field."""
    document = {"schema_version": 1, "net_days": 14, "discount_days": 3}
    with pytest.raises(DocumentError) as caught:
        from_dict(document, PaymentTerms)
    assert caught.value.problems == (
        DocumentProblem(
            path="discount_days",
            message="got 3; expected discount_percent and discount_days given together "
            "or not at all",
        ),
    )


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param('{"schema_version": 1, "amount": "1.00",', "not valid JSON", id="truncated"),
        pytest.param("", "not valid JSON", id="empty"),
        pytest.param(
            '{"schema_version": 1, "amount": "1.00", "amount": "2.00", "currency": "EUR"}',
            "the key 'amount' appears twice",
            id="duplicate key",
        ),
        pytest.param(b'{"amount": "\xff"}', "not UTF-8", id="not utf-8"),
        pytest.param("[1, 2]", "expected an object", id="not an object"),
    ],
)
def test_text_that_is_not_a_document_is_refused(text: str | bytes, fragment: str) -> None:
    """Malformed JSON, duplicate keys and a top level that is not an object: one problem at $."""
    with pytest.raises(DocumentError) as caught:
        from_json(text, Money)
    assert caught.value.problems[0].path == "$"
    assert fragment in caught.value.problems[0].message


def test_wrong_arguments_are_type_errors_not_document_errors() -> None:
    """Passing something that is not a value object or class is a caller mistake."""
    with pytest.raises(InvalidTypeError):
        to_dict({"amount": "1.00"})
    with pytest.raises(InvalidTypeError):
        from_dict({"schema_version": 1}, dict)
    with pytest.raises(InvalidTypeError):
        from_json("{}", Decimal)
    with pytest.raises(InvalidTypeError):
        from_json(123, Money)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        load_rules(123)  # type: ignore[arg-type]


def test_unexpected_errors_inside_a_class_are_reported_not_swallowed() -> None:
    """An error that is not dunlib's own, raised while building a value, is listed as such."""

    @attrs.frozen(kw_only=True)
    class Strict:
        count: int = attrs.field()

        def __attrs_post_init__(self) -> None:
            if self.count > 1:
                raise RuntimeError("too many")

    with pytest.raises(DocumentError) as caught:
        from_dict({"schema_version": 1, "count": 2}, Strict)
    assert caught.value.problems == (
        DocumentProblem(path="$", message="cannot be read (RuntimeError: too many)"),
    )


# -- rules files --------------------------------------------------------------------


def test_example_rules_file_is_the_seed_configuration() -> None:
    """examples/dunning_rules.toml is seed 003's standard example: 14, 7, 7 days, then a notice."""
    rules = load_rules(EXAMPLE_RULES)
    assert [stage.kind for stage in rules.stages] == [StageKind.REMINDER] * 3 + [StageKind.NOTICE]
    assert [stage.days_overdue for stage in rules.stages] == [14, 7, 7, 7]
    assert [stage.fee for stage in rules.stages] == [None, None, None, eur("5.00")]
    assert rules.stages[3].channels == (Channel.EMAIL, Channel.POST)
    assert rules.stages[0].attach_invoice
    assert all(stage.active for stage in rules.stages)
    assert load_rules(str(EXAMPLE_RULES)) == rules


def test_rules_file_in_docs_is_the_example_file() -> None:
    """docs/serialization.md shows examples/dunning_rules.toml verbatim."""
    page = DOCS_PAGE.read_text(encoding="utf-8")
    block = page.split("```toml\n", 1)[1].split("```", 1)[0]
    assert block == EXAMPLE_RULES.read_text(encoding="utf-8")


def test_rules_from_toml_text_json_text_and_json_file(tmp_path: Path) -> None:
    """load_rules reads TOML text, JSON text, bytes and a .json file alike."""
    toml_text = """
        schema_version = 1
        [[stages]]
        kind = "REMINDER"
        days_overdue = 14
        [[stages]]
        kind = "NOTICE"
        days_overdue = 7
        fee = { amount = "5.00", currency = "EUR" }
    """
    expected = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=14),
            DunningStage(StageKind.NOTICE, days_overdue=7, fee=eur("5.00")),
        )
    )
    assert load_rules(toml_text) == expected
    assert load_rules(toml_text.encode()) == expected
    assert load_rules(to_json(expected)) == expected
    json_file = tmp_path / "rules.json"
    json_file.write_text(to_json(expected, indent=2), encoding="utf-8")
    assert load_rules(json_file) == expected
    assert load_rules(str(json_file)) == expected
    other = tmp_path / "rules.conf"
    other.write_text(toml_text, encoding="utf-8")
    assert load_rules(other) == expected


@pytest.mark.parametrize(
    ("text", "path", "fragment"),
    [
        pytest.param("schema_version = 1\n[[stages]\n", "$", "not valid TOML", id="toml syntax"),
        pytest.param(b"schema_version = 1\n\xff", "$", "not UTF-8", id="toml not utf-8"),
        pytest.param('{"schema_version": 1,}', "$", "not valid JSON", id="json syntax"),
        pytest.param(
            'schema_version = 1\n[[stages]]\nkind = "NOTICE"\ndays_overdue = 7\nfee = 5.0\n',
            "stages[0].fee",
            "an amount with its currency",
            id="toml float fee",
        ),
        pytest.param(
            'schema_version = 1\n[[stages]]\nkind = "NOTICE"\ndays_overdue = 7\n'
            'fee = { amount = 5.5, currency = "EUR" }\n',
            "stages[0].fee.amount",
            "float",
            id="toml float fee amount",
        ),
        pytest.param(
            "schema_version = 5\nstages = []\n", "schema_version", "newer dunlib", id="toml newer"
        ),
        pytest.param(
            'schema_version = 1\n[[stages]]\nkind = "REMINDER"\ndays_overdue = 14\n'
            'email_subject = "Hallo {{ tenant.nam }}"\n',
            "stages[0].email_subject",
            "tenant.name",
            id="toml unknown placeholder",
        ),
    ],
)
def test_broken_rules_files_are_refused_with_paths(
    text: str | bytes, path: str, fragment: str
) -> None:
    """Broken TOML or JSON rules raise DocumentError with the path of the problem."""
    with pytest.raises(DocumentError) as caught:
        load_rules(text)
    messages = {problem.path: problem.message for problem in caught.value.problems}
    assert path in messages, str(caught.value)
    assert fragment in messages[path]


def test_missing_rules_file_is_an_os_error(tmp_path: Path) -> None:
    """A rules file that does not exist raises the usual FileNotFoundError."""
    with pytest.raises(FileNotFoundError):
        load_rules(tmp_path / "missing.toml")


@pytest.mark.parametrize("path", ["rules\x00.toml", Path("rules\x00.toml"), "\ud800.toml"])
def test_a_path_no_file_can_have_is_refused_naming_the_field(path: str | Path) -> None:
    """load_rules("rules\\x00.toml") (a NUL character, a lone surrogate) is a typed error
    naming load_rules.path_or_text and what would be valid, not a bare ValueError."""
    with pytest.raises(InvalidValueError, match=r"^load_rules\.path_or_text: .*file path") as e:
        load_rules(path)
    assert e.value.value == path


def test_a_path_like_giving_bytes_is_refused_as_a_type() -> None:
    """A path-like whose path is bytes is an InvalidTypeError, not a bare TypeError."""

    class BytesPath(PathLike[bytes]):
        def __fspath__(self) -> bytes:
            return b"rules.toml"

    with pytest.raises(InvalidTypeError, match=r"^load_rules\.path_or_text"):
        load_rules(BytesPath())  # type: ignore[arg-type]


def _needs_label(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value > len(instance.label):
        raise InvalidValueError("Odd.count", value, "at most the label's length")


def _named_elsewhere(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value:
        raise InvalidValueError("Elsewhere.label", value, "a label")


@attrs.frozen(kw_only=True)
class Odd:
    """A value class of a user's own, with validators dunlib's classes do not have."""

    count: int = attrs.field(validator=_needs_label)
    label: str = attrs.field(validator=_named_elsewhere)


@attrs.frozen(kw_only=True)
class Mixed:
    """A value class whose field may hold values of two types."""

    either: int | str = 0


def test_validators_of_other_shapes_are_still_reported() -> None:
    """A validator naming another class is reported at its object; one that reads other fields
    is left to the constructor (it cannot be run on its own)."""
    with pytest.raises(DocumentError) as caught:
        from_dict({"schema_version": 1, "count": 1, "label": ""}, Odd)
    assert caught.value.problems == (
        DocumentProblem(path="$", message="Elsewhere.label: got ''; expected a label"),
    )
    assert from_dict({"schema_version": 1, "count": 1, "label": "x"}, Odd) == Odd(
        count=1, label="x"
    )


def test_version_0_upgrade_leaves_fields_of_mixed_types_alone() -> None:
    """Only a field that holds money (or nothing) is upgraded; a field of several types is not."""
    assert upgrade_legacy_money({"either": "1.00 EUR"}, Mixed) == {"either": "1.00 EUR"}


def _schedule_document() -> dict[str, Any]:
    events = (Pause(on=dt.date(2026, 5, 25)), Resume(on=dt.date(2026, 6, 1)))
    return to_dict(simulate(paid_invoice(), SEED_RULES, dt.date(2026, 6, 30), events=events))


@pytest.mark.parametrize(
    ("cls", "document", "path", "fragment"),
    [
        pytest.param(
            Schedule,
            lambda d: d["events"][0].update(type="Pauze"),
            "events[0].type",
            "got 'Pauze'; expected one of Pause, Resume",
            id="unknown union member",
        ),
        pytest.param(
            Schedule,
            lambda d: d["events"][1].pop("type"),
            "events[1].type",
            "required field missing",
            id="union member without its type",
        ),
        pytest.param(
            Schedule,
            lambda d: d["events"].__setitem__(0, "Pause"),
            "events[0]",
            "an object with 'type'",
            id="union member not an object",
        ),
        pytest.param(
            Actor,
            lambda d: d.__setitem__("roles", "clerk"),
            "roles",
            "a list",
            id="roles as one string",
        ),
        pytest.param(
            Permissions,
            lambda d: d["grants"].__setitem__(0, ["SENT", "SETTLE"]),
            "grants[0]",
            "a list of 3 items: Status, Command, str",
            id="grant of two items",
        ),
        pytest.param(
            Permissions,
            lambda d: d["grants"].__setitem__(1, ["SENT", "PAYOUT", "accountant"]),
            "grants[1][1]",
            "the name of a Command",
            id="grant with an unknown command",
        ),
    ],
)
def test_broken_sets_tuples_and_unions_are_reported_with_paths(
    cls: type, document: Callable[[dict[str, Any]], object], path: str, fragment: str
) -> None:
    """Sets, fixed-size tuples and union members that are broken are reported where they are."""
    bases: dict[type, Callable[[], dict[str, Any]]] = {
        Schedule: _schedule_document,
        Actor: lambda: to_dict(Actor(id="alice", roles={"clerk"})),
        Permissions: lambda: to_dict(DEFAULT_PERMISSIONS),
    }
    base = bases[cls]()
    document(base)
    with pytest.raises(DocumentError) as caught:
        from_json(json.dumps(base), cls)
    messages = {problem.path: problem.message for problem in caught.value.problems}
    assert path in messages, str(caught.value)
    assert fragment in messages[path], str(caught.value)


def test_union_members_carry_their_class_name() -> None:
    """Inside a schedule, pause and resume events are told apart by "type"; equal sets of
    roles give the same text whatever order they were given in."""
    events = _schedule_document()["events"]
    assert events == [
        {"type": "Pause", "on": "2026-05-25", "actor": None},
        {"type": "Resume", "on": "2026-06-01", "actor": None},
    ]
    one = to_json(Actor(id="a", roles=["reviewer", "clerk"]))
    assert one == to_json(Actor(id="a", roles=("clerk", "reviewer")))
    assert '"roles":["clerk","reviewer"]' in one


# -- limits: nesting and number length ------------------------------------------------------


def _nested(depth: int) -> list[Any]:
    document: list[Any] = []
    for _ in range(depth - 1):
        document = [document]
    return document


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 100_000 + "1" + "}" * 100_000,
        '{"schema_version": 1, "stages": ' + "[" * 40 + "]" * 40 + "}",
    ],
    ids=["arrays", "objects", "just-too-deep"],
)
def test_deeply_nested_json_is_refused_quickly(text: str) -> None:
    """JSON nested beyond MAX_NESTING levels raises a DocumentError saying so (it used to
    escape as a RecursionError from the parser), read as JSON or as rules in JSON."""
    with pytest.raises(DocumentError, match="nested too deeply: at most 32 levels"):
        from_json(text, DunningRules)
    if text.startswith("{"):  # load_rules reads text beginning with '{' as JSON
        with pytest.raises(DocumentError, match="nested too deeply: at most 32 levels"):
            load_rules(text)


@pytest.mark.parametrize(
    "text",
    [
        "a = " + "[" * 100_000 + "]" * 100_000,
        "a = " + "{b = " * 10_000 + "1" + "}" * 10_000,
        "schema_version = 1\nstages = " + "[" * 40 + "]" * 40,
    ],
    ids=["arrays", "tables", "just-too-deep"],
)
def test_deeply_nested_toml_is_refused_quickly(text: str) -> None:
    """TOML nested beyond the limit raises a DocumentError too, not a RecursionError."""
    with pytest.raises(DocumentError, match="nested too deeply: at most 32 levels"):
        load_rules(text)


def test_documents_may_nest_up_to_the_limit() -> None:
    """MAX_NESTING levels are read as usual (here to a problem with the content, not its
    depth); one more is refused at the path where the limit is passed."""
    assert serialize.MAX_NESTING == 32
    deepest = {"schema_version": 1, "stages": _nested(31)}
    with pytest.raises(DocumentError) as caught:
        from_dict(deepest, DunningRules)
    assert "nested too deeply" not in str(caught.value)
    with pytest.raises(DocumentError) as caught:
        from_dict({"schema_version": 1, "stages": _nested(32)}, DunningRules)
    assert [str(p) for p in caught.value.problems] == [
        "stages" + "[0]" * 31 + ": nested too deeply: at most 32 levels of objects and lists"
    ]


def test_long_numbers_are_refused_with_their_path() -> None:
    """A whole number of more than 100 digits raises a DocumentError naming where it is (a
    5000-digit number used to raise Python's ValueError about int digit limits)."""
    assert serialize.MAX_INT_DIGITS == 100
    long = "1" * 5000
    json_text = '{"schema_version": 1, "stages": [], "escalation_days": -' + long + "}"
    expected = "escalation_days: got a number of 5000 digits; expected a whole number of at most"
    readers: list[Callable[[], object]] = [
        lambda: from_json(json_text, DunningRules),
        lambda: load_rules(json_text),
    ]
    for read in readers:
        with pytest.raises(DocumentError) as caught:
            read()
        assert [str(p) for p in caught.value.problems] == [f"{expected} 100 digits"]
    with pytest.raises(DocumentError, match=r"\$: got a number too long to read; expected a"):
        load_rules("schema_version = 1\nstages = []\nescalation_days = " + long)
    with pytest.raises(DocumentError, match="escalation_days: got a whole number of about 1000"):
        load_rules("schema_version = 1\nstages = []\nescalation_days = " + "1" * 1000)
    with pytest.raises(DocumentError, match=r"schema_version: got a whole number of about 5001"):
        from_dict({"schema_version": 10**5000}, DunningRules)


def test_numbers_up_to_the_limit_round_trip() -> None:
    """A 100-digit number is written and read back; one digit more cannot be written."""
    rules = DunningRules(stages=(), escalation=Escalation.COLLECTION, escalation_days=10**99)
    assert from_json(to_json(rules), DunningRules) == rules
    longer = attrs.evolve(rules, escalation_days=10**100)
    for write in (to_dict, to_json):
        with pytest.raises(InvalidValueError, match="to_dict.obj.escalation_days: got Dunning"):
            write(longer)
    stage = DunningStage(StageKind.NOTICE, days_overdue=10**5000)
    with pytest.raises(InvalidValueError, match="at most 100 digits"):
        to_json(stage)


def test_junk_documents_raise_document_errors() -> None:
    """Documents built in Python with junk (a cycle, keys that are no strings, huge texts and
    numbers) raise a DocumentError listing the problem, never a bare exception."""
    cycle: dict[Any, Any] = {"schema_version": 1}
    cycle["stages"] = [cycle]
    with pytest.raises(DocumentError, match=r"stages\[0\]"):
        from_dict(cycle, DunningRules)
    junk_keys: dict[Any, Any] = {"schema_version": 1, "stages": [], ("a",): 1, 5: 2, 10**200: 3}
    with pytest.raises(DocumentError) as caught:
        from_dict(junk_keys, DunningRules)
    assert [p.path for p in caught.value.problems] == [
        "('a',)",
        "5",
        "a whole number of about 201 digits",
    ]
    text = "x" * 100_000
    with pytest.raises(DocumentError) as caught:
        from_dict({"schema_version": 1, "stages": text, text: text}, DunningRules)
    assert all(len(str(problem)) < 300 for problem in caught.value.problems)

    class Unprintable:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    with pytest.raises(DocumentError, match="stages: got a Unprintable; expected a list"):
        from_dict({"schema_version": 1, "stages": Unprintable()}, DunningRules)
    huge_key: dict[Any, Any] = {"schema_version": 1, "stages": [], ("a", 10**5000): 1}
    with pytest.raises(DocumentError, match=r"a tuple: unknown field"):
        from_dict(huge_key, DunningRules)
    amounts: list[Any] = ["9" * 100_000, "1e999999999999999999999", 10**99, [[[]]]]
    for amount in amounts:
        with pytest.raises(DocumentError, match="amount"):
            from_dict({"schema_version": 1, "amount": amount, "currency": "EUR"}, Money)


@pytest.mark.parametrize(
    ("indent", "error"),
    [
        (-1, InvalidValueError),
        (17, InvalidValueError),
        (10**9, InvalidValueError),
        ("  ", InvalidTypeError),
        (True, InvalidTypeError),
        (2.0, InvalidTypeError),
    ],
)
def test_to_json_refuses_a_junk_indent(indent: object, error: type) -> None:
    """indent is None or 0 to 16 spaces; a huge one would build gigabytes of spaces."""
    with pytest.raises(error, match="to_json.indent"):
        to_json(Money("1.00", "EUR"), indent=indent)  # type: ignore[arg-type]
    assert to_json(Money("1.00", "EUR"), indent=16).count(" " * 16) == 3
