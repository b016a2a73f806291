"""dunlib: accounts receivable as a library.

Outgoing invoices, their approval workflow, payments and dunning, as immutable
values and pure functions. Nothing here reads the clock: ``today`` is always a
parameter.
"""

from __future__ import annotations

from dunlib.errors import (
    CurrencyMismatchError,
    DocumentNotAllowedError,
    DunlibError,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    InvoiceLockedError,
    PermissionDeniedError,
    PolicyViolationError,
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
from dunlib.numbering import NumberSequence
from dunlib.status import Status
from dunlib.transitions import TRANSITIONS, Command, apply_transition
from dunlib.workflow import Actor, ApprovalPolicy, Permissions, due_for_auto_send, transition

__all__ = [
    "ROUNDING",
    "TRANSITIONS",
    "Actor",
    "ApprovalPolicy",
    "Command",
    "CreditNote",
    "CurrencyMismatchError",
    "Customer",
    "CustomerKind",
    "DeliveryChannel",
    "DocumentNotAllowedError",
    "DunlibError",
    "DunningNotice",
    "EventKind",
    "GuardFailedError",
    "HistoryEntry",
    "InterestCharge",
    "InvalidTypeError",
    "InvalidValueError",
    "Invoice",
    "InvoiceLockedError",
    "LineItem",
    "Money",
    "NumberSequence",
    "Payment",
    "PaymentTerms",
    "PermissionDeniedError",
    "Permissions",
    "PolicyViolationError",
    "Status",
    "TransitionNotAllowedError",
    "apply_transition",
    "due_for_auto_send",
    "minor_unit",
    "sum_money",
    "transition",
]
