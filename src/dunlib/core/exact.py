"""The decimal context dunlib computes amounts in (internal: shared by dunlib's areas, not
called by users).

Exact: unlimited precision, so sums, differences and products of amounts never round, and
independent of the caller's decimal context. Rounding happens only where a module says so.
"""

from __future__ import annotations

from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

__all__ = ["EXACT", "ROUNDING"]

ROUNDING = ROUND_HALF_UP
"""The rounding mode used at every rounding point in dunlib."""

EXACT = Context(
    prec=MAX_PREC,
    rounding=ROUNDING,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""Unlimited precision: sums, differences and products of amounts are exact."""
