"""Hypothesis strategies that generate valid dunlib values, for your own test suites.

Install with the ``testing`` extra (``pip install dunlib[testing]``). Every
strategy is a plural noun with keyword-only arguments, built bottom-up so that a
failing example shrinks to a small invoice. Registering the package also makes
``st.from_type(Invoice)`` work.

The strategies live in modules by topic (money and customers, rules, invoices, the states
dunning sees, events and what-if, workflow, billing, portfolios) and are all importable from here.
"""

from __future__ import annotations

from hypothesis import strategies as st

from dunlib.strategies.billing import contract_items, contracts, order_items, orders
from dunlib.strategies.events import (
    ageing_reports,
    comparisons,
    pauses,
    resumes,
    schedules,
    suspension_events,
    what_if_events,
)
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
    currencies,
    customers,
    dates,
    delivery_periods,
    line_items,
    payment_splits,
    payment_terms,
    payments,
)
from dunlib.strategies.portfolio import (
    account_changes,
    customer_accounts,
    dunning_actions,
    prepared_letters,
)
from dunlib.strategies.registry import registered
from dunlib.strategies.rules import (
    base_rate_tables,
    calendars,
    dunning_rules,
    dunning_stages,
    fee_rules,
    holds,
    stage_repeats,
)
from dunlib.strategies.states import (
    closed_invoices,
    dunnable_invoices,
    dunned_invoices,
    held_invoices,
    receivable_invoices,
)
from dunlib.strategies.workflow import (
    actors,
    authorities,
    number_sequences,
    permissions,
    rows,
)

__all__ = [
    "account_changes",
    "actors",
    "addresses",
    "ageing_reports",
    "amounts",
    "authorities",
    "bank_transactions",
    "base_rate_tables",
    "calendars",
    "closed_invoices",
    "comparisons",
    "contract_items",
    "contracts",
    "credit_notes",
    "currencies",
    "customer_accounts",
    "customers",
    "dates",
    "delivery_periods",
    "dunnable_invoices",
    "dunned_invoices",
    "dunning_actions",
    "dunning_rules",
    "dunning_stages",
    "fee_rules",
    "held_invoices",
    "history_entries",
    "holds",
    "interest_charges",
    "invoices",
    "issued_stages",
    "line_items",
    "number_sequences",
    "order_items",
    "orders",
    "pauses",
    "payment_splits",
    "payment_terms",
    "payments",
    "permissions",
    "prepared_letters",
    "receivable_invoices",
    "registered",
    "resumes",
    "rows",
    "schedules",
    "sent_invoices",
    "stage_repeats",
    "suspension_events",
    "what_if_events",
    "write_offs",
]


def _hypothesis_setup_hook() -> None:
    """Register dunlib's types with Hypothesis so ``st.from_type`` finds them (runs on import)."""
    for cls, strategy in registered().items():
        st.register_type_strategy(cls, strategy)


_hypothesis_setup_hook()
