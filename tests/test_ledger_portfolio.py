"""The ledger of a generated portfolio (issue 28): its beancount text loads with zero errors,
and the balances beancount computes are dunlib's: the receivables are what the invoices
have open, the bank what they received."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import attrs
from beancount import loader
from hypothesis import given, settings
from hypothesis import strategies as st

from dunlib import Invoice
from dunlib import strategies as ds
from dunlib.ledger import SKR03, SKR04, Role, beancount_text, journal_of
from dunlib.payments import ReversalResult

_INVOICES = st.one_of(
    ds.receivable_invoices(currency="EUR"),
    ds.closed_invoices(currency="EUR"),
    st.from_type(ReversalResult).map(lambda result: result.invoice),
)
"""Invoices sent, dunned, paid in part or in full, cancelled, written off, paid and taken
back (EUR)."""


def _numbered(invoices: list[Invoice]) -> list[Invoice]:
    """``invoices`` with ids of their own (a portfolio holds each invoice once)."""
    return [attrs.evolve(invoice, id=f"I-{n}") for n, invoice in enumerate(invoices)]


def _loaded(text: str) -> dict[str, Decimal]:
    """The balance of each account beancount loads from ``text`` (its errors: none)."""
    loaded, errors, _options = loader.load_string(text)
    assert errors == []
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for directive in loaded:
        for posting in getattr(directive, "postings", None) or ():
            sums[posting.account] += posting.units.number
    return dict(sums)


@settings(max_examples=25, deadline=None)
@given(invoices=st.lists(_INVOICES, min_size=1, max_size=5), skr04=st.booleans())
def test_law_a_portfolio_s_beancount_ledger_loads_and_its_receivables_are_what_is_open(
    invoices: list[Invoice], skr04: bool
) -> None:
    """Law: for any portfolio, the beancount text of its journal loads with zero errors, the
    receivables account's balance is the sum of what the invoices have open, and every
    journal entry balances."""
    portfolio = _numbered(invoices)
    chart = SKR04 if skr04 else SKR03
    entries = list(journal_of(portfolio, chart=chart))
    balances = _loaded(beancount_text(entries))
    receivables = chart.account(Role.RECEIVABLES)
    booked = sum(
        (amount for name, amount in balances.items() if name.endswith(f":{receivables}")),
        Decimal(0),
    )
    assert booked == sum((invoice.open_amount.amount for invoice in portfolio), Decimal(0))
    assert all(sum(p.amount.amount for p in entry.postings) == 0 for entry in entries)
