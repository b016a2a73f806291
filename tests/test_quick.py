"""The quick paths behind one switch (``dunlib.core.quick``): switched off they change no
result, and the switch really switches."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import SEED_RULES, sent
from dunlib import (
    BankTransaction,
    DunlibError,
    DunningRules,
    Invoice,
    NoAction,
    NoActionReason,
    match_payments,
    plan,
)
from dunlib import strategies as ds
from dunlib.core import quick
from dunlib.core.generated import trusted
from dunlib.dunning import CustomerAccount
from dunlib.dunning.decider import Decider
from dunlib.io import reader
from dunlib.io.serialize import from_dict, from_json, to_json
from dunlib.payments import matching

DOCUMENTS = st.one_of(ds.invoices(), ds.dunned_invoices(), ds.closed_invoices())
"""Invoices of every state, with what each state carries."""


def _outcome(work: Callable[[], Any]) -> Any:
    """What ``work`` gives, or the class and message of the error it raises."""
    try:
        return work()
    except DunlibError as error:
        return type(error), str(error)


def _both(work: Callable[[], Any]) -> tuple[Any, Any]:
    """The outcome of ``work`` with the quick paths, then within quick.plain()."""
    fast = _outcome(work)
    with quick.plain():
        slow = _outcome(work)
    return fast, slow


@contextmanager
def _calls() -> Iterator[set[tuple[str, str]]]:
    """The (file name, qualified name) of every Python function called within the block."""
    called: set[tuple[str, str]] = set()

    def profile(frame: Any, event: str, arg: object) -> None:
        if event == "call":
            called.add((frame.f_code.co_filename, frame.f_code.co_qualname))

    sys.setprofile(profile)
    try:
        yield called
    finally:
        sys.setprofile(None)


def _generated(called: set[tuple[str, str]]) -> set[str]:
    return {name for name, _ in called if name.startswith("<dunlib generated")}


# -- laws -----------------------------------------------------------------------------


@given(invoice=DOCUMENTS)
def test_law_switching_the_quick_paths_off_reads_every_document_the_same(
    invoice: Invoice,
) -> None:
    """Law: from_json and from_dict of any invoice's document (open, dunned or closed) give
    within quick.plain() what they give with the quick paths: the same value, written back
    as the same text."""
    text = to_json(invoice)
    fast, slow = _both(lambda: from_json(text, Invoice))
    assert fast == slow == invoice
    assert to_json(fast) == to_json(slow) == text
    fast, slow = _both(lambda: from_dict(json.loads(text), Invoice))
    assert fast == slow == invoice


@st.composite
def _statements(draw: st.DrawFn) -> tuple[list[Invoice], list[BankTransaction]]:
    books = draw(
        st.lists(
            st.one_of(ds.receivable_invoices(currency="EUR"), ds.closed_invoices(currency="EUR")),
            min_size=1,
            max_size=5,
            unique_by=(lambda book: book.id, lambda book: book.number),
        )
    )
    lines = draw(st.lists(ds.bank_transactions(invoices=tuple(books)), min_size=1, max_size=6))
    return books, lines


@settings(max_examples=100)  # a few invoices and lines each: the same passes for any
@given(case=_statements())
def test_law_switching_the_quick_paths_off_matches_every_statement_the_same(
    case: tuple[list[Invoice], list[BankTransaction]],
) -> None:
    """Law: match_payments of any bank lines against any booked invoices gives within
    quick.plain() (no kept number patterns) what it gives with them."""
    books, lines = case
    fast, slow = _both(lambda: match_payments(lines, books))
    assert fast == slow


@settings(max_examples=100)  # a small portfolio per example: the run's every path is drawn
@given(
    books=st.lists(
        st.one_of(ds.receivable_invoices(), ds.dunned_invoices(), ds.closed_invoices()),
        max_size=6,
    ),
    rules=ds.dunning_rules(max_stages=4, with_fee_rules=True, with_repeat=True),
    per_currency=st.booleans(),
    today=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    explain=st.booleans(),
)
def test_law_switching_the_quick_paths_off_plans_every_portfolio_the_same(
    books: list[Invoice],
    rules: DunningRules,
    per_currency: bool,
    today: dt.date,
    explain: bool,
) -> None:
    """Law: plan over any small portfolio, under rules or a rules function, explained or
    not, gives within quick.plain() (the engine deciding every invoice, the validating
    constructors building) the decisions, or the error, it gives with the quick paths."""

    def chosen(invoice: Invoice) -> DunningRules:
        return rules if invoice.currency == "EUR" else SEED_RULES

    rules_for: Any = chosen if per_currency else rules
    fast, slow = _both(lambda: list(plan(books, rules_for, today=today, explain=explain)))
    assert fast == slow


@settings(max_examples=50)  # each example reads a few documents
@given(bound=st.integers(0, 6), invoices=st.lists(DOCUMENTS, min_size=1, max_size=4))
def test_law_a_reader_cache_filled_past_its_bound_stays_within_it(
    bound: int, invoices: list[Invoice]
) -> None:
    """Law: however many documents are read, each of the reader's caches holds at most
    quick.READ entries, and every document reads as the value it was written from."""
    texts = [to_json(invoice) for invoice in invoices]
    quick.forget()
    with patch.object(quick, "READ", bound):
        for text, invoice in zip(texts * 2, invoices * 2, strict=True):
            assert from_json(text, Invoice) == invoice
            assert max(map(len, quick._MEMOS)) <= bound


def test_a_kept_function_filled_past_its_bound_keeps_its_bound() -> None:
    """A cached function keeps at most its bound: the tax rates' keys, asked for 300 rates,
    keep quick.RATES (256)."""
    from dunlib.core import invoice as invoice_module

    quick.forget()
    for hundredth in range(300):
        invoice_module._rate_key(Decimal(hundredth).scaleb(-2))
    assert invoice_module._rate_key.cache_info().currsize == quick.RATES  # type: ignore[attr-defined]


def test_the_compiled_forms_accounts_stay_within_their_bound() -> None:
    """The compiled form reads at most quick.ACCOUNTS accounts before starting again."""
    known = Decider(SEED_RULES, dt.date(2026, 6, 1))
    with patch.object(quick, "ACCOUNTS", 3):
        for n in range(10):
            known.on_account(CustomerAccount(customer_id=f"C-{n}"))
            assert len(known.accounts) <= 3


def test_every_cache_has_one_of_the_documented_bounds() -> None:
    """Each cached function keeps one of the bounds quick documents (its module's table)."""
    bounds = {
        quick.PATTERNS,
        quick.MINOR_UNITS,
        quick.LOCALES,
        quick.RATES,
        quick.HOLIDAY_YEARS,
        quick.RETURN_WINDOWS,
        quick.COUNTS,
    }
    kept = {function.__name__: function.cache_info().maxsize for function in quick._CACHED}
    assert kept == {
        "_number_pattern": quick.PATTERNS,
        "_minor_unit": quick.MINOR_UNITS,
        "_is_locale": quick.LOCALES,
        "_rate_key": quick.RATES,
        "_percent": quick.RATES,
        "_days_off": quick.HOLIDAY_YEARS,
        "_target2_closed": quick.HOLIDAY_YEARS,
        "_returned_by": quick.RETURN_WINDOWS,
        "_counts": quick.COUNTS,
    }
    assert set(kept.values()) == bounds
    table = quick.__doc__ or ""
    for bound in (quick.READ, quick.PATTERNS, quick.ACCOUNTS, quick.RULES, *bounds):
        assert f"{bound:,}".replace(",", " ") in table


# -- the switch switches ------------------------------------------------------------------


def test_switched_off_from_json_runs_no_generated_reader() -> None:
    """With the quick paths, from_json runs the reader generated for the class; within
    quick.plain() no generated code runs at all."""
    text = to_json(sent())
    with _calls() as fast:
        from_json(text, Invoice)
    with quick.plain(), _calls() as slow:
        from_json(text, Invoice)
    assert "<dunlib generated: reader of Invoice>" in _generated(fast)
    assert not _generated(slow)


def test_switched_off_trusted_constructors_validate() -> None:
    """A trusted constructor checks nothing; within quick.plain() it is the validating
    constructor, which refuses what is not valid."""
    build: Any = trusted(NoAction)
    assert build("", "no reason").reason == "no reason"  # nothing checked
    with quick.plain(), pytest.raises(DunlibError, match="NoAction"):
        build("", "no reason")
    with quick.plain():
        assert build("RE-1", NoActionReason.SETTLED) == NoAction(
            invoice_id="RE-1", reason=NoActionReason.SETTLED
        )
    fixed = trusted(NoAction, reason="no reason")
    with quick.plain(), pytest.raises(DunlibError):
        fixed("RE-1")


def test_switched_off_plan_decides_by_the_engine_alone() -> None:
    """With the quick paths, plan decides by the engine's compiled form; within
    quick.plain() every invoice goes to next_dunning_action, and the one generated
    constructor left, the decision's, hands its fields to the validating constructor."""
    invoice = sent()
    today = invoice.due_date + dt.timedelta(days=30)
    with _calls() as fast:
        assert list(plan([invoice], SEED_RULES, today=today))
    with quick.plain(), _calls() as slow:
        assert list(plan([invoice], SEED_RULES, today=today))
    compiled = {"_quiet.<locals>.quiet", "_decide.<locals>.decide"}
    assert compiled <= {code for _, code in fast}
    assert not compiled & {code for _, code in slow}
    assert "next_dunning_action" in {code for _, code in slow}
    assert _generated(slow) == {"<dunlib generated: constructor of Decision>"}
    assert "<dunlib generated: constructor of IssueStage>" in _generated(fast)
    checked = {name for name, code in slow if code == "__init__" and "Decision" in name}
    assert checked
    assert not checked & {name for name, _ in fast}


def test_switched_off_nothing_is_kept_and_the_switch_comes_back() -> None:
    """Within quick.plain(), reading documents, matching and computing amounts keep nothing
    in any cache; plain() nests, and after it every cache is back."""
    invoice = sent()
    text = to_json(invoice)
    line = BankTransaction(
        on=invoice.issue_date, amount=invoice.open_amount, payer="x", text=invoice.number
    )
    quick.forget()
    with quick.plain():
        with quick.plain():
            from_json(text, Invoice)
        assert not quick.on
        match_payments([line], [invoice])
        from_json(text, Invoice).tax_by_rate  # noqa: B018
    assert quick.on
    assert not any(quick._MEMOS)
    assert not any(function.cache_info().currsize for function in quick._CACHED)
    assert matching._number_pattern in quick._CACHED
    match_payments([line], [invoice])
    from_json(text, Invoice)
    assert matching._number_pattern.cache_info().currsize
    assert reader._DATES
