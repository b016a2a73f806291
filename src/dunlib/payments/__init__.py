"""Payments: how they are allocated (the read side the engine uses), booking them, and matching
bank lines to invoices; money received after a write-off booked as a recovery; payments taken
back; fees waived.

Each module holds one concept; this package exports the names of its area."""

from __future__ import annotations

from dunlib.payments.allocation import Allocation, Balance, allocations, balance, discount_offer
from dunlib.payments.matching import (
    MAX_SUBSET_CANDIDATES,
    MAX_SUBSET_SIZE,
    MIN_DIGITS_WITHOUT_PREFIX,
    PAYER_SIMILARITY,
    AmbiguityReason,
    Ambiguous,
    BankTransaction,
    Match,
    MatchedInvoice,
    Matching,
    MatchReason,
    Outcome,
    Unmatched,
    UnmatchedReason,
    describe_match,
    match_payments,
)
from dunlib.payments.recording import PAYABLE_STATES, PaymentResult, record_payment
from dunlib.payments.recovery import Recovery, RecoveryResult, record_recovery
from dunlib.payments.reversal import (
    Rebooked,
    Reversal,
    ReversalResult,
    rebook_payment,
    reverse_payment,
)
from dunlib.payments.waivers import FeeWaiver, unearned_fees, waive_fees

__all__ = [
    "MAX_SUBSET_CANDIDATES",
    "MAX_SUBSET_SIZE",
    "MIN_DIGITS_WITHOUT_PREFIX",
    "PAYABLE_STATES",
    "PAYER_SIMILARITY",
    "Allocation",
    "AmbiguityReason",
    "Ambiguous",
    "Balance",
    "BankTransaction",
    "FeeWaiver",
    "Match",
    "MatchReason",
    "MatchedInvoice",
    "Matching",
    "Outcome",
    "PaymentResult",
    "Rebooked",
    "Recovery",
    "RecoveryResult",
    "Reversal",
    "ReversalResult",
    "Unmatched",
    "UnmatchedReason",
    "allocations",
    "balance",
    "describe_match",
    "discount_offer",
    "match_payments",
    "rebook_payment",
    "record_payment",
    "record_recovery",
    "reverse_payment",
    "unearned_fees",
    "waive_fees",
]
