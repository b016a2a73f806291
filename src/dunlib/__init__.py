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
    PaymentCurrencyError,
    PaymentRejectedError,
    PaymentStateError,
    TransitionNotAllowedError,
    WrittenOffPaymentError,
)
from dunlib.external import ExternalStatus, ExternalStatusKind, external_status
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
from dunlib.matching import (
    AmbiguityReason,
    Ambiguous,
    BankTransaction,
    Match,
    MatchedInvoice,
    Matching,
    MatchReason,
    Unmatched,
    UnmatchedReason,
    match_payments,
)
from dunlib.money import ROUNDING, Money, minor_unit, sum_money
from dunlib.payments import (
    Allocation,
    Balance,
    PaymentResult,
    allocations,
    balance,
    discount_offer,
    record_payment,
)
from dunlib.status import Status
from dunlib.transitions import TRANSITIONS, Command, apply_transition

__all__ = [
    "ROUNDING",
    "TRANSITIONS",
    "Allocation",
    "AmbiguityReason",
    "Ambiguous",
    "Balance",
    "BankTransaction",
    "Command",
    "CreditNote",
    "CurrencyMismatchError",
    "Customer",
    "CustomerKind",
    "DeliveryChannel",
    "DunlibError",
    "DunningNotice",
    "EventKind",
    "ExternalStatus",
    "ExternalStatusKind",
    "HistoryEntry",
    "InterestCharge",
    "InvalidTypeError",
    "InvalidValueError",
    "Invoice",
    "LineItem",
    "Match",
    "MatchReason",
    "MatchedInvoice",
    "Matching",
    "Money",
    "Payment",
    "PaymentCurrencyError",
    "PaymentRejectedError",
    "PaymentResult",
    "PaymentStateError",
    "PaymentTerms",
    "Status",
    "TransitionNotAllowedError",
    "Unmatched",
    "UnmatchedReason",
    "WrittenOffPaymentError",
    "allocations",
    "apply_transition",
    "balance",
    "discount_offer",
    "external_status",
    "match_payments",
    "minor_unit",
    "record_payment",
    "sum_money",
]
