"""Charts of accounts: which account number each role of a booking is posted to.

A :class:`Chart` is data: the caller may replace any account. :data:`SKR03` and
:data:`SKR04` are the DATEV standard charts' accounts for the roles dunlib books.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Chart", "Role"]


class Role(Enum):
    """What an account is for in dunlib's bookings."""

    RECEIVABLES = "receivables"
    BANK = "bank"
    REVENUE = "revenue"
    OUTPUT_VAT = "output_vat"
    DISCOUNTS_GRANTED = "discounts_granted"
    BAD_DEBTS = "bad_debts"
    RECOVERIES = "recoveries"
    FEE_INCOME = "fee_income"
    INTEREST_INCOME = "interest_income"
    CUSTOMER_CREDIT = "customer_credit"


class Chart:
    """Placeholder: the chart of accounts (to be built)."""
