"""The daily run over a portfolio and the notices prepared, approved and sent from it.

Each module holds one concept; this package exports the names of its area."""

from __future__ import annotations

from dunlib.portfolio.prepared import (
    LetterSent,
    LetterState,
    LetterStep,
    PreparedLetter,
    approve_letter,
    prepare_letter,
    prepare_manual_letter,
    reject_letter,
    send_letter,
)
from dunlib.portfolio.run import AccountsFor, RulesFor, customer_minimum, plan, record_stages

__all__ = [
    "AccountsFor",
    "LetterSent",
    "LetterState",
    "LetterStep",
    "PreparedLetter",
    "RulesFor",
    "approve_letter",
    "customer_minimum",
    "plan",
    "prepare_letter",
    "prepare_manual_letter",
    "record_stages",
    "reject_letter",
    "send_letter",
]
