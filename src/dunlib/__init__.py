"""dunlib: accounts receivable as a library.

Outgoing invoices, their approval workflow, payments and dunning, as immutable
values and pure functions. Nothing here reads the clock: ``today`` is always a
parameter.
"""

from __future__ import annotations

from dunlib.errors import (
    CurrencyMismatchError,
    DunlibError,
    InvalidTypeError,
    InvalidValueError,
    TransitionNotAllowedError,
)
from dunlib.history import EventKind, HistoryEntry
from dunlib.invoice import (
    CreditNote,
    Customer,
    CustomerKind,
    DeliveryChannel,
    DunningNotice,
    InterestCharge,
    Invoice,
    LineItem,
    Payment,
    PaymentTerms,
)
from dunlib.money import ROUNDING, Money, minor_unit, sum_money
from dunlib.status import Status
from dunlib.transitions import TRANSITIONS, Command, apply_transition

__all__ = [
    "ROUNDING",
    "TRANSITIONS",
    "Command",
    "CreditNote",
    "CurrencyMismatchError",
    "Customer",
    "CustomerKind",
    "DeliveryChannel",
    "DunlibError",
    "DunningNotice",
    "EventKind",
    "HistoryEntry",
    "InterestCharge",
    "InvalidTypeError",
    "InvalidValueError",
    "Invoice",
    "LineItem",
    "Money",
    "Payment",
    "PaymentTerms",
    "Status",
    "TransitionNotAllowedError",
    "apply_transition",
    "minor_unit",
    "sum_money",
]
