"""The public API: every exported name exists, is documented and is listed once; every public
function is reachable; and every public function refuses junk with a DunlibError."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import inspect
import pkgutil
import pydoc
import subprocess
import sys
from collections.abc import Callable
from typing import Any, cast

import attrs
import pytest
from docs_hooks import AREAS
from hypothesis import given, settings
from hypothesis import strategies as st

import dunlib
import dunlib.core.transitions
import dunlib.testing
from builders import ACME, TWO, call_with_junk, clerk
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    BankTransaction,
    CreditNote,
    DunlibError,
    DunningRules,
    DunningStage,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    Pause,
    Payment,
    Resume,
    StageKind,
)
from dunlib import strategies as ds
from dunlib.billing import SERIES_ACTOR
from dunlib.core import DeliveryChannel, InterestCharge, WeekendCalendar

PUBLIC_MODULES = [
    "dunlib",
    "dunlib.dunning.accounts",
    "dunlib.payments.allocation",
    "dunlib.dunning.actions",
    "dunlib.workflow.audit",
    "dunlib.billing.contracts",
    "dunlib.billing.orders",
    "dunlib.core.calendars",
    "dunlib.analytics.comparison",
    "dunlib.core.dates",
    "dunlib.dunning.decisions",
    "dunlib.workflow.documents",
    "dunlib.workflow.dispatch",
    "dunlib.workflow.drafts",
    "dunlib.dunning.engine",
    "dunlib.core.errors",
    "dunlib.dunning.escalation",
    "dunlib.io.chain",
    "dunlib.io.external",
    "dunlib.dunning.fees",
    "dunlib.core.history",
    "dunlib.dunning.holds",
    "dunlib.dunning.instalments",
    "dunlib.core.instalments",
    "dunlib.payments.recovery",
    "dunlib.payments.reversal",
    "dunlib.payments.waivers",
    "dunlib.dunning.interest",
    "dunlib.dunning.interest_charges",
    "dunlib.core.invoice",
    "dunlib.payments.matching",
    "dunlib.core.money",
    "dunlib.dunning.issuing",
    "dunlib.core.numbering",
    "dunlib.payments.recording",
    "dunlib.analytics.plots",
    "dunlib.workflow.policy",
    "dunlib.portfolio.prepared",
    "dunlib.analytics.receivables",
    "dunlib.core.records",
    "dunlib.portfolio.run",
    "dunlib.analytics.schedule",
    "dunlib.analytics.statement",
    "dunlib.io.reader",
    "dunlib.io.schema",
    "dunlib.io.serialize",
    "dunlib.dunning.stages",
    "dunlib.core.status",
    "dunlib.strategies",
    "dunlib.strategies.billing",
    "dunlib.strategies.events",
    "dunlib.strategies.invoices",
    "dunlib.strategies.money",
    "dunlib.strategies.portfolio",
    "dunlib.strategies.registry",
    "dunlib.strategies.rules",
    "dunlib.strategies.states",
    "dunlib.strategies.workflow",
    "dunlib.dunning.suspension",
    "dunlib.core.templates",
    "dunlib.core.transitions",
    "dunlib.analytics.whatif",
    "dunlib.workflow.steps",
    "dunlib.testing",
    "dunlib.testing.machine",
    "dunlib.drafts",
    "dunlib.matching",
    "dunlib.numbering",
    "dunlib.policy",
    "dunlib.serialize",
    "dunlib.core",
    "dunlib.workflow",
    "dunlib.payments",
    "dunlib.billing",
    "dunlib.dunning",
    "dunlib.portfolio",
    "dunlib.analytics",
    "dunlib.io",
    "dunlib.core.validate",
    "dunlib.core.exact",
    "dunlib.core.generated",
    "dunlib.core.quick",
    "dunlib.workflow.booking",
    "dunlib.dunning.decider",
    "dunlib.dunning.wakeup",
    "dunlib.cli",
    "dunlib.cli.demo",
    "dunlib.store",
    "dunlib.store.chained",
    "dunlib.store.daily",
    "dunlib.store.errors",
    "dunlib.store.rows",
    "dunlib.store.schema",
    "dunlib.store.store",
    "dunlib.documents",
    "dunlib.documents.sender",
    "dunlib.documents.girocode",
    "dunlib.documents.message",
    "dunlib.documents.pdf",
    "dunlib.documents.einvoice",
    "dunlib.bank",
    "dunlib.bank.statement",
    "dunlib.bank.camt",
    "dunlib.bank.imports",
    "dunlib.bank.returns",
    "dunlib.bank.swift",
    "dunlib.bank.csv_export",
    "dunlib.ledger",
    "dunlib.ledger.accounts",
    "dunlib.ledger.entries",
    "dunlib.ledger.datev",
    "dunlib.ledger.beancount_text",
    "dunlib.ledger.bookings",
]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_module_lists_documented_names(name: str) -> None:
    """Each public module has a docstring and an ``__all__`` of unique, documented names."""
    module = importlib.import_module(name)
    assert module.__doc__
    exported = module.__all__
    assert len(exported) == len(set(exported))
    for attribute in exported:
        obj = getattr(module, attribute)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{name}.{attribute} has no docstring"


def test_package_re_exports_resolve() -> None:
    """Every name in ``dunlib.__all__`` is importable from the package."""
    for attribute in dunlib.__all__:
        assert hasattr(dunlib, attribute), attribute


def test_every_module_is_public_and_listed_or_private() -> None:
    """Every module of the package is either listed here as public (and documented) or named
    with a leading underscore as plumbing: nothing is public by accident."""
    names = {info.name for info in pkgutil.walk_packages(dunlib.__path__, "dunlib.")}
    public = {name for name in PUBLIC_MODULES if name != "dunlib"}
    plumbing = {name for name in names if any(p.startswith("_") for p in name.split("."))}
    assert names - plumbing == public


INTERNAL = {
    "dunlib.core.validate",
    "dunlib.core.exact",
    "dunlib.core.generated",
    "dunlib.core.quick",
    "dunlib.workflow.booking",
    "dunlib.dunning.decider",
}
"""Modules used across areas but not by users (no function of theirs is re-exported)."""


def test_every_public_function_is_reachable_from_the_root_or_its_area() -> None:
    """Every function a module of an area exports is exported by its area package (the
    home of its names), and every name the area exports is one of its modules'; the root's
    names are all some area's (or the testing kit's)."""
    homes: set[int] = set()
    for area in AREAS:
        package = importlib.import_module(f"dunlib.{area}")
        exported = {id(getattr(package, name)) for name in package.__all__}
        homes |= exported
        own: set[int] = set()
        for name in PUBLIC_MODULES:
            if not name.startswith(f"dunlib.{area}.") or name in INTERNAL:
                continue
            module = importlib.import_module(name)
            for attribute in module.__all__:
                obj = getattr(module, attribute)
                own.add(id(obj))
                if inspect.isfunction(obj):
                    assert id(obj) in exported, f"{name}.{attribute} is not in dunlib.{area}"
        if area == "workflow":  # the table's commands, beside the steps that take them
            own.add(id(dunlib.core.transitions.Command))
        assert exported <= own, f"dunlib.{area} exports a name none of its modules has"
    testing = {id(getattr(dunlib.testing, name)) for name in dunlib.testing.__all__}
    for name in dunlib.__all__:
        assert id(getattr(dunlib, name)) in homes | testing, f"dunlib.{name} has no area"


KEPT_PATHS = {
    "dunlib.drafts": "dunlib.workflow.drafts",
    "dunlib.matching": "dunlib.payments.matching",
    "dunlib.numbering": "dunlib.core.numbering",
    "dunlib.policy": "dunlib.workflow.policy",
    "dunlib.serialize": "dunlib.io.serialize",
}
"""The module paths earlier docs named, kept: each gives exactly its new home's names."""


def test_the_paths_earlier_docs_named_still_import() -> None:
    """Each old path the docs promised exports what its new home exports, the same objects."""
    for old, new in KEPT_PATHS.items():
        kept, home = importlib.import_module(old), importlib.import_module(new)
        assert kept.__all__ == home.__all__
        assert all(getattr(kept, name) is getattr(home, name) for name in home.__all__)


def test_submodules_are_not_shadowed_by_re_exports() -> None:
    """``import dunlib.<module> as m`` gives the module: no exported name equals a module's."""
    names = {info.name for info in pkgutil.iter_modules(dunlib.__path__)}
    assert not names & set(dunlib.__all__)
    for area in AREAS:
        package = importlib.import_module(f"dunlib.{area}")
        inner = {info.name for info in pkgutil.iter_modules(package.__path__)}
        assert not inner & set(package.__all__), area
    import dunlib.dunning.suspension as module

    assert inspect.ismodule(module)


def test_help_of_an_operation_is_short() -> None:
    """``help()`` of an operation shows its signature and docs, not a default value's whole
    repr (the default permissions are named by None)."""
    text = pydoc.render_doc(dunlib.transition, renderer=pydoc.plaintext)  # type: ignore[attr-defined]
    assert len(text) < 3000
    assert "grants=" not in text


def test_importing_dunlib_imports_no_optional_dependency() -> None:
    """Importing the package pulls in neither Hypothesis nor heavy extras."""
    code = (
        "import sys, dunlib; "
        "bad = [m for m in ('hypothesis', 'pandas', 'polars', 'matplotlib', 'dask', "
        "'sqlalchemy', 'psycopg', 'rich', 'segno', 'schwifty', 'fpdf', 'drafthorse', "
        "'facturx', 'saxonche', 'mt940', 'defusedxml', 'beancount') "
        "if m in sys.modules]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the junk law over every public function ----------------------------------------------

DAY = dt.date(2026, 5, 1)
ANN = Actor(id="ann", roles={"accountant", "reviewer", "clerk"})
RULES = DunningRules(
    stages=(
        DunningStage(kind=StageKind.REMINDER, days_overdue=14),
        DunningStage(kind=StageKind.NOTICE, days_overdue=7, fee=Money("5.00", "EUR")),
    )
)
SENT = Invoice.sent(
    number="RE-1", customer=ACME, gross=Money("119.00", "EUR"), issue_date=dt.date(2026, 4, 1)
)
SEALED = dunlib.io.seal_invoice(SENT, salt="ab" * 16)
DRAFT = dunlib.create_draft(
    id="D-1",
    customer=ACME,
    currency="EUR",
    actor=ANN,
    on=DAY,
    lines=[LineItem(description="Work", quantity=1, unit_price=Money("10.00", "EUR"))],
)
OTHER_DRAFT = dunlib.create_draft(
    id="D-2", customer=ACME, currency="EUR", actor=clerk("bo"), on=DAY
)
NEGATIVE_DRAFT = dunlib.add_line(
    OTHER_DRAFT, DRAFT.lines[0].negated(), actor=ANN, on=DAY, authority=Authority()
)
_ACTION = dunlib.next_dunning_action(SENT, RULES, today=DAY)
assert isinstance(_ACTION, dunlib.IssueStage)
ACTION: dunlib.IssueStage = _ACTION
DUNNED = dunlib.record_stage(SENT, ACTION, actor=AUTOMATIC, authority=Authority())
ESCALATE = dunlib.Escalate(
    invoice_id="RE-1",
    escalation=dunlib.Escalation.COLLECTION,
    on=DAY + dt.timedelta(days=1),
    due_since=DAY + dt.timedelta(days=1),
    level=1,
    open_amount=DUNNED.open_amount,
)
NOTE = CreditNote(id="GS-1", on=DAY, amount=Money("10.00", "EUR"), drafted_by="bo")
LINE = BankTransaction(on=DAY, amount=Money("119.00", "EUR"), payer="ACME", text="RE-1")
MATCHING = dunlib.match_payments([LINE], [SENT])
ORDER = dunlib.Order(
    id="A-1",
    customer=ACME,
    currency="EUR",
    state=dunlib.OrderState.GRANTED,
    items=[dunlib.OrderItem(id="1", line=DRAFT.lines[0])],
)
drafted = dunlib.invoice_from_order(ORDER, draft_id="D-5", on=DAY, actor=ANN)
ORDER_DRAFT, TAKEN = drafted.invoice, drafted.order
CONTRACT = dunlib.Contract(
    id="V-1",
    customer=ACME,
    currency="EUR",
    start=dt.date(2026, 1, 31),
    end=dt.date(2026, 12, 31),
    interval=dunlib.Interval.MONTHLY,
    items=[dunlib.ContractItem(id="h", line=DRAFT.lines[0])],
)
_SERIES = dunlib.invoices_due(CONTRACT, on=dt.date(2026, 1, 31), actor=SERIES_ACTOR, authority=TWO)
SERIES_DRAFT, SERIES = _SERIES.invoices[0], _SERIES.contract

DECISION = dunlib.Decision(invoice=SENT, action=ACTION)
PREPARED = dunlib.prepare_letter(
    DECISION, customer_approval=True, actor=AUTOMATIC, authority=Authority()
)
APPROVED = dunlib.approve_letter(PREPARED, actor=ANN, on=DAY, authority=TWO)
DISPUTE = dunlib.Hold.dispute(on=DAY, reason="contested")
PLAN = dunlib.dunning.InstalmentPlan.monthly(SENT.open_amount, on=DAY, first_due=DAY, count=2)
PLANNED = dunlib.dunning.agree_plan(SENT, PLAN, actor=ANN, authority=Authority())
WRITTEN_OFF = dunlib.write_off(DUNNED, actor=ANN, on=DAY, authority=Authority())
RECOVERY = dunlib.payments.Recovery(on=DAY, amount=Money("10.00", "EUR"), reference="collector")
PAID = dunlib.record_payment(
    SENT, dunlib.Payment(on=DAY, amount=Money("119.00", "EUR")), actor=ANN, authority=TWO
).invoice
REVERSAL = dunlib.payments.Reversal(on=DAY, payment=0, reason="AC04 account closed")
_CHARGING = DunningRules(
    stages=(DunningStage(kind=StageKind.NOTICE, days_overdue=14, fee=Money("5.00", "EUR")),)
)
FEE_DUNNED = dunlib.record_stage(
    SENT,
    cast("dunlib.IssueStage", dunlib.next_dunning_action(SENT, _CHARGING, today=DAY)),
    actor=AUTOMATIC,
    authority=Authority(),
)
WAIVER = dunlib.payments.FeeWaiver(on=DAY, amount=Money("1.00", "EUR"), reason="goodwill")
LATE_BOOKED = dunlib.Payment(
    on=DAY + dt.timedelta(days=3), amount=Money("119.00", "EUR"), value_date=DAY
)
ACCOUNT = dunlib.keep_credit(
    dunlib.CustomerAccount(customer_id=ACME.id),
    Money("5.00", "EUR"),
    on=DAY,
    actor=ANN,
    reason="credit note GS-9",
    authority=Authority(),
)
OVERPAID = dunlib.record_payment(
    SENT, Payment(on=DAY, amount=Money("120.00", "EUR")), actor=AUTOMATIC, authority=Authority()
)

# For each public function: a valid call as (positional arguments, keyword arguments).
CALLS: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {
    "add_days": ((DAY, 3), {}),
    "add_working_days": ((DAY, 3, WeekendCalendar()), {}),
    "add_months": ((DAY, 1), {}),
    "allowed_commands": ((dunlib.Status.SENT,), {}),
    "as_date": ((DAY,), {}),
    "days_between": ((DAY, DAY), {}),
    "format_amount": ((Money("1.00", "EUR"), "de_DE"), {}),
    "format_day": ((DAY, "de_DE"), {}),
    "language_of": (("de_DE",), {}),
    "written_in": (("fr_FR",), {}),
    "placeholders_in": (("Hallo {{ customer.name }}",), {}),
    "render_table": ((), {}),
    "row_for": ((dunlib.Status.SENT, dunlib.core.Command.PAY), {}),
    "sources": ((dunlib.core.Command.PAY,), {}),
    "check_policy": (
        (
            SENT,
            dunlib.core.row_for(dunlib.Status.SENT, dunlib.core.Command.PAY),
            ANN,
            dunlib.Authority(),
        ),
        {},
    ),
    "checked_authority": ((TWO, "operation"), {}),
    "round_acts": ((SENT,), {}),
    "upgrade_legacy_money": (({"amount": "1.00 EUR"}, Money), {}),
    "upgrade_vocabulary": (({"notices": [], "interest": []}, Invoice), {}),
    "upgrade_legal_fields": (({"lines": []}, Invoice), {}),
    "upgrade_history_chain": (({"lines": []}, Invoice), {}),
    "seal_invoice": ((SENT,), {"salt": "ab" * 16, "previous": None, "migration": False}),
    "verify_chain": ((SEALED,), {}),
    "erase_personal_data": ((SEALED,), {}),
    "personal_digest": ((SEALED["customer"], "ab" * 16), {}),
    "place_hold": ((SENT, DISPUTE), {"actor": ANN, "authority": TWO}),
    "lift_hold": (
        (
            dunlib.place_hold(SENT, DISPUTE, actor=ANN, authority=Authority()),
            dunlib.HoldKind.DISPUTE,
        ),
        {"on": DAY, "actor": ANN, "reason": "settled", "authority": TWO},
    ),
    "holds_on": ((SENT,), {"today": DAY}),
    "agree_plan": ((SENT, PLAN), {"actor": ANN, "authority": TWO}),
    "cancel_plan": ((PLANNED,), {"on": DAY, "actor": ANN, "authority": TWO, "reason": "x"}),
    "instalment_plan": ((PLANNED,), {"today": DAY}),
    "split_amount": ((Money("100.00", "EUR"), 3), {}),
    "plan_state": ((PLAN, SENT.payments, SENT.credit_notes), {"today": DAY}),
    "held_days": ((PLAN, SENT.payments, SENT.credit_notes), {}),
    "record_recovery": ((WRITTEN_OFF, RECOVERY), {"actor": ANN, "authority": TWO}),
    "reverse_payment": ((PAID, REVERSAL), {"actor": ANN, "authority": TWO}),
    "waive_fees": ((FEE_DUNNED, WAIVER), {"actor": ANN, "authority": TWO}),
    "unearned_fees": ((FEE_DUNNED, LATE_BOOKED), {}),
    "rebook_payment": ((PAID, 0, SENT), {"on": DAY, "actor": ANN, "authority": TWO}),
    "switch_dunning": ((ACCOUNT,), {"enabled": False, "on": DAY, "actor": ANN, "authority": TWO}),
    "switch_fees": ((ACCOUNT,), {"enabled": False, "on": DAY, "actor": ANN, "authority": TWO}),
    "hold_account": ((ACCOUNT, DISPUTE), {"actor": ANN, "authority": TWO}),
    "lift_account_hold": (
        (
            dunlib.hold_account(ACCOUNT, DISPUTE, actor=ANN, authority=Authority()),
            dunlib.HoldKind.DISPUTE,
        ),
        {"on": DAY, "actor": ANN, "authority": TWO},
    ),
    "keep_credit": (
        (ACCOUNT, Money("1.00", "EUR")),
        {"on": DAY, "actor": ANN, "reason": "x", "authority": TWO},
    ),
    "keep_overpayment": ((ACCOUNT, OVERPAID), {"actor": ANN, "authority": TWO}),
    "use_credit": (
        (ACCOUNT, SENT),
        {"on": DAY, "amount": Money("2.00", "EUR"), "actor": AUTOMATIC, "authority": TWO},
    ),
    "add_line": ((DRAFT, DRAFT.lines[0]), {"actor": ANN, "on": DAY, "authority": TWO}),
    "allocations": ((SENT,), {}),
    "allowed_documents": ((SENT,), {}),
    "record_credit_note": ((SENT, NOTE), {"actor": ANN, "on": DAY, "authority": TWO}),
    "credit_note_tax": ((SENT, NOTE), {}),
    "apply_event": ((SENT, Pause(on=DAY)), {"authority": TWO}),
    "accrued_interest": ((SENT, DAY), {}),
    "balance": ((SENT,), {"today": DAY}),
    "cancel": (
        (SENT,),
        {"id": "C-9", "actor": ANN, "on": DAY, "sequence": NumberSequence(), "authority": TWO},
    ),
    "delete_order_invoice": ((ORDER_DRAFT, TAKEN), {}),
    "invoice_from_order": (
        (ORDER,),
        {"draft_id": "D-6", "on": DAY, "actor": ANN, "items": ["1"]},
    ),
    "invoices_due": (
        (CONTRACT,),
        {"on": DAY, "actor": SERIES_ACTOR, "authority": TWO, "sequence": NumberSequence()},
    ),
    "send_order_invoice": (
        (ORDER_DRAFT, TAKEN),
        {"actor": AUTOMATIC, "on": DAY, "authority": TWO, "sequence": NumberSequence()},
    ),
    "split_order_item": ((ORDER, "1"), {"quantity": "0.5", "new_id": "2"}),
    "send_series_invoice": (
        (SERIES_DRAFT, SERIES),
        {"actor": AUTOMATIC, "on": DAY, "authority": TWO, "sequence": NumberSequence()},
    ),
    "delete_series_invoice": ((SERIES_DRAFT, SERIES), {}),
    "book_by_hand": (
        (NEGATIVE_DRAFT,),
        {"actor": ANN, "on": DAY, "authority": TWO, "sequence": NumberSequence()},
    ),
    "convert_to_credit_note": ((NEGATIVE_DRAFT,), {"id": "GS-2", "on": DAY, "actor": ANN}),
    "create_draft": (
        (),
        {"id": "D-3", "customer": ACME, "currency": "EUR", "actor": ANN, "on": DAY, "lines": ()},
    ),
    "credit": ((SENT,), {"id": "GS-3", "actor": ANN, "on": DAY, "authority": TWO}),
    "derive_credit_note": ((SENT,), {"id": "GS-4", "on": DAY, "actor": "ann"}),
    "derive_delivery_note": ((SENT,), {"id": "LS-1", "on": DAY, "selection": [0]}),
    "derive_invoice": ((SENT,), {"id": "D-4", "actor": ANN, "on": DAY}),
    "default_begins": ((SENT,), {"received_on": DAY, "due_date_agreed": True}),
    "default_interest": (
        (Money("100.00", "EUR"), dt.date(2024, 1, 1), dt.date(2024, 2, 1)),
        {"business": True, "day_count": dunlib.DayCount.ACT_ACT, "concluded_on": DAY},
    ),
    "checked_base_rates": ((dunlib.dunning.BASE_RATES,), {}),
    "discount_offer": ((SENT,), {"today": DAY}),
    "due_for_auto_send": (([DRAFT],), {"run_started": DAY, "today": DAY}),
    "record_document": (
        (SENT,),
        {"document": "RE.pdf", "content": b"%PDF", "actor": ANN, "on": DAY, "authority": TWO},
    ),
    "record_resent": (
        (SENT,),
        {"document": "RE.pdf", "content": b"%PDF", "actor": ANN, "on": DAY, "authority": TWO},
    ),
    "record_printed": (
        (attrs.evolve(SENT, channel=DeliveryChannel.PAPER),),
        {"document": "RE.pdf", "content": b"%PDF", "actor": ANN, "on": DAY, "authority": TWO},
    ),
    "document_records": ((SENT,), {}),
    "still_to_print": (([SENT, DRAFT],), {}),
    "describe_match": ((MATCHING.matches[0] if MATCHING.matches else MATCHING.unmatched[0],), {}),
    "external_status": ((SENT,), {"today": DAY}),
    "flat_fee": ((True,), {}),
    "from_dict": ((dunlib.io.to_dict(SENT), Invoice), {}),
    "from_json": ((dunlib.to_json(SENT), Invoice), {}),
    "is_paused": ((SENT,), {"today": DAY}),
    "load_rules": ((dunlib.to_json(RULES),), {}),
    "match_payments": (([LINE], [SENT]), {}),
    "merge_drafts": (([DRAFT, OTHER_DRAFT],), {"actor": ANN, "on": DAY, "authority": TWO}),
    "minor_unit": (("EUR",), {}),
    "next_dunning_action": ((SENT, RULES), {"today": DAY, "account": ACCOUNT, "credit": None}),
    "pause": ((SENT,), {"on": DAY, "actor": ANN, "authority": TWO}),
    "plan": (
        ([SENT, DUNNED], RULES),
        {
            "today": DAY,
            "explain": True,
            "accounts": {ACME.id: ACCOUNT},
            "only": [SENT.id],
            "waiting": [PREPARED],
        },
    ),
    "group_letters": (([dunlib.Decision(invoice=SENT, action=ACTION)],), {}),
    "record_interest": (
        (SENT, InterestCharge(on=DAY, amount=Money("1.00", "EUR"))),
        {"actor": AUTOMATIC, "authority": TWO},
    ),
    "record_stage": ((SENT, ACTION), {"actor": AUTOMATIC, "authority": TWO}),
    "record_stages": (
        ([SENT], [dunlib.Decision(invoice=SENT, action=ACTION)]),
        {"actor": AUTOMATIC, "authority": TWO},
    ),
    "record_payment": (
        (SENT, Payment(on=DAY, amount=Money("9.00", "EUR"))),
        {"actor": AUTOMATIC, "authority": TWO},
    ),
    "remove_line": ((DRAFT, 0), {"actor": ANN, "on": DAY, "authority": TWO}),
    "replace_line": ((DRAFT, 0, DRAFT.lines[0]), {"actor": ANN, "on": DAY, "authority": TWO}),
    "roll_forward": ((DAY, WeekendCalendar()), {}),
    "resume": (
        (dunlib.pause(SENT, on=DAY, actor=ANN, authority=Authority()),),
        {"on": DAY, "actor": ANN, "authority": TWO},
    ),
    "send": (
        (DRAFT,),
        {"actor": AUTOMATIC, "on": DAY, "authority": TWO, "sequence": NumberSequence()},
    ),
    "simulate": (
        (SENT, RULES),
        {
            "until": dt.date(2026, 7, 1),
            "events": (Pause(on=DAY), Resume(on=dt.date(2026, 5, 10))),
            "account": ACCOUNT,
        },
    ),
    "sum_money": (([Money("1.00", "EUR")], "EUR"), {}),
    "suspension_level": ((SENT, RULES), {"today": DAY}),
    "to_dict": ((SENT,), {}),
    "to_json": ((SENT,), {"indent": 2}),
    "transition": (
        (DRAFT, dunlib.Command.SUBMIT),
        {"actor": ANN, "on": DAY, "authority": TWO},
    ),
    "trigger_date": ((SENT, RULES), {}),
    "wakes_on": ((SENT, RULES), {"today": DAY}),
    "write_off": ((DUNNED,), {"actor": ANN, "on": DAY, "authority": TWO}),
    "customer_minimum": (([DECISION], [Money("500.00", "EUR")]), {"today": DAY}),
    "prepare_letter": (
        (DECISION,),
        {"customer_approval": True, "actor": AUTOMATIC, "authority": TWO},
    ),
    "prepare_manual_letter": (
        (SENT, RULES),
        {
            "on": DAY,
            "actor": ANN,
            "account": ACCOUNT,
            "credit": Money("1.00", "EUR"),
            "authority": TWO,
        },
    ),
    "approve_letter": ((PREPARED,), {"actor": ANN, "on": DAY, "authority": TWO}),
    "reject_letter": (
        (PREPARED,),
        {"actor": ANN, "on": DAY, "reason": "wrong address", "authority": TWO},
    ),
    "send_letter": ((APPROVED, [SENT]), {"on": DAY, "authority": TWO, "actor": AUTOMATIC}),
    "withdraw_letter": ((PREPARED,), {"actor": ANN, "on": DAY, "reason": "paid", "authority": TWO}),
    "supersede_letters": (([PREPARED], [SENT]), {"actor": ANN, "on": DAY, "authority": TWO}),
    "render_life": ((), {}),
    "record_escalation": ((DUNNED, ESCALATE), {"actor": ANN, "authority": TWO}),
    "ageing": (
        ([SENT, DRAFT],),
        {"today": DAY, "buckets": (30, 60), "sales": [Money("100.00", "EUR")], "period_days": 30},
    ),
    "ageing_chart": ((dunlib.ageing([SENT], today=dt.date(2026, 6, 1)),), {"top": 3}),
    "as_of": ((DUNNED,), {"today": DAY}),
    "compare": (
        (SENT, RULES, RULES, dt.date(2026, 6, 1)),
        {"events": (Payment(on=DAY, amount=Money("9.00", "EUR")),), "labels": ("a", "b")},
    ),
    "timeline": (([dunlib.simulate(SENT, RULES, until=dt.date(2026, 6, 1))],), {"title": "t"}),
    "statement_of_account": (
        ([DUNNED, DRAFT],),
        {"customer": ACME, "today": DAY, "account": ACCOUNT, "currency": "EUR"},
    ),
}


def _deep(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.just(10**5000),
    st.floats(allow_nan=True),
    st.text(max_size=6),
    st.just("x" * 100_000),
    st.just("9" * 5_000),
    st.decimals(allow_nan=True),
    st.datetimes(),
    st.dates(),
    st.just(_deep(10_000)),
    st.lists(st.text(max_size=2), max_size=2),
    st.frozensets(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(Money("1.00", "USD")),
    st.just(object()),
    st.just(SENT),
    st.just(DRAFT),
    st.just(ACME),
)

FUNCTIONS: dict[str, Callable[..., Any]] = {
    name: getattr(package, name)
    for package in (dunlib, *(importlib.import_module(f"dunlib.{a}") for a in AREAS))
    for name in package.__all__
    if inspect.isfunction(getattr(package, name))
}


def test_every_public_function_has_a_valid_call_for_the_junk_law() -> None:
    """The junk law below covers every public function of the root and the areas."""
    assert set(FUNCTIONS) == set(CALLS)


def test_the_valid_calls_are_valid() -> None:
    """Each valid call succeeds, so the junk law starts from calls that work."""
    for name, (args, kwargs) in CALLS.items():
        FUNCTIONS[name](*args, **kwargs)


@settings(max_examples=max(1000, settings().max_examples))
@given(data=st.data())
def test_any_junk_in_any_argument_of_any_public_function_raises_only_dunlib_errors(
    data: st.DataObject,
) -> None:
    """Law: a public function given junk in any one argument (None, wrong types,
    non-iterables, huge ints, 10^5-character strings, deep nesting, values of the wrong
    kind) either succeeds or raises a DunlibError subclass, never another exception."""
    name = data.draw(
        st.sampled_from(sorted(n for n in CALLS if CALLS[n] != ((), {}))), label="function"
    )
    args, kwargs = CALLS[name]
    call_with_junk(data, FUNCTIONS[name], args, kwargs, JUNK)


@pytest.mark.parametrize("value", [None, 1.5, "x", 10**5000], ids=["None", "float", "str", "huge"])
def test_found_by_the_junk_law(value: Any) -> None:
    """Cases the law found: the engine, suspension and matching given a non-invoice."""
    for call in (
        lambda: dunlib.trigger_date(value, RULES),
        lambda: dunlib.is_paused(value, today=DAY),
        lambda: dunlib.describe_match(value),
        lambda: dunlib.match_payments(value, []),
        lambda: dunlib.workflow.due_for_auto_send(value, run_started=DAY, today=DAY),
        lambda: dunlib.create_draft(
            id="D", customer=ACME, currency="EUR", actor=clerk("a"), on=DAY, lines=value
        ),
        lambda: dunlib.merge_drafts(value, actor=clerk("a"), on=DAY, authority=Authority()),
        lambda: dunlib.derive_credit_note(SENT, id="G", on=DAY, actor="a", selection=value or 1.5),  # type: ignore[arg-type]
    ):
        with pytest.raises(DunlibError):
            call()


_ = ds  # the strategies module is a documented home of its own


STAGE = RULES.stages[0]
SEQUENCE = NumberSequence(prefix="RE-")
TERMS = dunlib.PaymentTerms(discount_percent=2, discount_days=7)
SCHEDULE = dunlib.simulate(SENT, RULES, until=dt.date(2026, 7, 1))
AGEING = dunlib.ageing([SENT], today=dt.date(2026, 7, 1))
COMPARISON = dunlib.compare(SENT, RULES, RULES, dt.date(2026, 7, 1))
STATEMENT = dunlib.analytics.statement_of_account([SENT], customer=ACME, today=DAY)

# Public methods of value objects, each with a valid call.
METHOD_CALLS: dict[str, tuple[Callable[..., Any], tuple[Any, ...]]] = {
    "PaymentTerms.due_date": (TERMS.due_date, (DAY,)),
    "PaymentTerms.discount_deadline": (TERMS.discount_deadline, (DAY,)),
    "PaymentTerms.discount_on": (
        lambda base, issued, on: TERMS.discount_on(base, issue_date=issued, on=on),
        (Money("100.00", "EUR"), DAY, DAY),
    ),
    "Money.scaled": (Money("1.00", "EUR").scaled, (2,)),
    "Money.allocate": (Money("1.00", "EUR").allocate, ([1, 2],)),
    "Money.__add__": (Money("1.00", "EUR").__add__, (Money("1.00", "EUR"),)),
    "Money.__lt__": (Money("1.00", "EUR").__lt__, (Money("1.00", "EUR"),)),
    "NumberSequence.format": (SEQUENCE.format, (7,)),
    "Permissions.allows": (
        dunlib.workflow.policy.DEFAULT_PERMISSIONS.allows,
        (ANN, dunlib.Status.SENT, dunlib.Command.PAY),
    ),
    "Permissions.granting": (
        dunlib.workflow.policy.DEFAULT_PERMISSIONS.granting,
        (dunlib.Status.SENT, dunlib.Command.PAY, "clerk"),
    ),
    "Permissions.revoking": (
        dunlib.workflow.policy.DEFAULT_PERMISSIONS.revoking,
        (dunlib.Status.SENT, dunlib.Command.PAY, "automation"),
    ),
    "IssueStage.documents": (lambda invoice: ACTION.documents(invoice, tenant_name="T"), (SENT,)),
    "IssueStage.documents tenant": (lambda name: ACTION.documents(SENT, tenant_name=name), ("T",)),
    "Schedule.rows": (lambda: SCHEDULE.rows, ()),
    "Schedule._repr_html_": (SCHEDULE._repr_html_, ()),
    "Schedule.to_pandas": (SCHEDULE.to_pandas, ()),
    "Schedule.to_polars": (SCHEDULE.to_polars, ()),
    "AgeingReport.to_pandas": (AGEING.to_pandas, ("invoice",)),
    "AgeingReport.to_polars": (AGEING.to_polars, ("currency",)),
    "AgeingReport.plot": (lambda top: AGEING.plot(top=top), (2,)),
    "AgeingReport.bucket": (AGEING.bucket, (AGEING.items[0],)),
    "AgeingReport.total": (AGEING.total, ("EUR",)),
    "AgeingReport.rows_of": (AGEING.rows_of, ("EUR",)),
    "Comparison.to_pandas": (COMPARISON.to_pandas, ()),
    "Comparison.to_polars": (COMPARISON.to_polars, ()),
    "StatementOfAccount.to_pandas": (STATEMENT.to_pandas, ("movements",)),
    "StatementOfAccount.to_polars": (STATEMENT.to_polars, ("items",)),
    "StatementOfAccount.text": (STATEMENT.text, ()),
    "Hold.holds_on": (lambda day: DISPUTE.holds_on(today=day), (DAY,)),
    "CustomerAccount.dunning_enabled": (lambda day: ACCOUNT.dunning_enabled(today=day), (DAY,)),
    "CustomerAccount.fees_enabled": (lambda day: ACCOUNT.fees_enabled(today=day), (DAY,)),
    "CustomerAccount.next_dunning_on": (lambda day: ACCOUNT.next_dunning_on(today=day), (DAY,)),
    "CustomerAccount.next_change": (lambda day: ACCOUNT.next_change(today=day), (DAY,)),
    "CustomerAccount.holds": (lambda day: ACCOUNT.holds(today=day), (DAY,)),
    "CustomerAccount.holds_on": (lambda day: ACCOUNT.holds_on(today=day), (DAY,)),
    "CustomerAccount.credit": (lambda code, day: ACCOUNT.credit(code, today=day), ("EUR", DAY)),
    "CustomerAccount.credit_kept": (ACCOUNT.credit_kept, ("EUR",)),
    "CustomerAccount.credit_used": (ACCOUNT.credit_used, ("EUR",)),
    "Order.item": (ORDER.item, ("1",)),
    "FeeRule.fee_on": (dunlib.FeeRule(percent=2).fee_on, (Money("100.00", "EUR"),)),
    "DunningStage.fee_rule": (RULES.stages[1].fee_rule, ("EUR",)),
    "ContractItem.from_order_item": (dunlib.ContractItem.from_order_item, (ORDER.items[0],)),
    "Contract.period_start": (CONTRACT.period_start, (2,)),
    "Contract.invoice_date": (CONTRACT.invoice_date, (2,)),
    "Contract.has_period": (CONTRACT.has_period, (2,)),
    "Template.render": (
        dunlib.core.Template(source="{{ fee }}").render,
        (
            dunlib.core.TemplateValues(
                invoice_number="1",
                invoice_date=DAY,
                total_gross=Money("1.00", "EUR"),
                due_date=DAY,
                tenant_name="T",
            ),
        ),
    ),
}


def test_the_valid_method_calls_are_valid() -> None:
    """Each valid method call succeeds, so the law below starts from calls that work."""
    for method, args in METHOD_CALLS.values():
        method(*args)


@settings(max_examples=max(300, settings().max_examples))
@given(data=st.data())
def test_any_junk_in_any_argument_of_a_public_method_raises_only_dunlib_errors(
    data: st.DataObject,
) -> None:
    """Law: a public method of a value object given junk in any one argument either succeeds
    or raises a DunlibError subclass."""
    name = data.draw(st.sampled_from(sorted(METHOD_CALLS)), label="method")
    method, args = METHOD_CALLS[name]
    call_args = list(args)
    if args:
        slot = data.draw(st.integers(min_value=0, max_value=len(args) - 1), label="argument")
        call_args[slot] = data.draw(JUNK, label="junk")
    with contextlib.suppress(DunlibError):
        method(*call_args)


def test_the_root_exports_at_most_120_names() -> None:
    """A smaller face: the root exports the main road, at most 120 names; each area the rest."""
    assert len(dunlib.__all__) <= 120
