"""dunlib: accounts receivable as a library.

Outgoing invoices, their approval workflow, payments and dunning, as immutable
values and pure functions. Nothing here reads the clock: ``today`` is always a
parameter.
"""

from __future__ import annotations

from dunlib.errors import (
    CurrencyMismatchError,
    DocumentError,
    DocumentProblem,
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
from dunlib.stages import (
    Channel,
    DispatchMode,
    DunningRules,
    DunningStage,
    Escalation,
    StageKind,
    TriggerBasis,
)
from dunlib.status import Status
from dunlib.templates import PLACEHOLDERS, Template, TemplateValues
from dunlib.transitions import TRANSITIONS, Command, apply_transition

__all__ = [
    "PLACEHOLDERS",
    "ROUNDING",
    "TRANSITIONS",
    "Channel",
    "Command",
    "CreditNote",
    "CurrencyMismatchError",
    "Customer",
    "CustomerKind",
    "DeliveryChannel",
    "DispatchMode",
    "DocumentError",
    "DocumentProblem",
    "DunlibError",
    "DunningNotice",
    "DunningRules",
    "DunningStage",
    "Escalation",
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
    "StageKind",
    "Status",
    "Template",
    "TemplateValues",
    "TransitionNotAllowedError",
    "TriggerBasis",
    "apply_transition",
    "minor_unit",
    "sum_money",
]
