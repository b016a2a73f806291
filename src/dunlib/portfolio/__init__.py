"""The daily run over a portfolio and the letters prepared, approved and sent from it.

Each module holds one concept; this package exports the names of its area."""

from __future__ import annotations

from dunlib.portfolio.prepared import (
    LetterSent,
    LetterState,
    LetterStep,
    PreparedLetter,
    Rejection,
    approve_letter,
    prepare_letter,
    prepare_manual_letter,
    reject_letter,
    render_life,
    send_letter,
    supersede_letters,
    withdraw_letter,
)
from dunlib.portfolio.run import AccountsFor, RulesFor, customer_minimum, plan, record_stages

__all__ = [
    "AccountsFor",
    "LetterSent",
    "LetterState",
    "LetterStep",
    "PreparedLetter",
    "Rejection",
    "RulesFor",
    "approve_letter",
    "customer_minimum",
    "plan",
    "prepare_letter",
    "prepare_manual_letter",
    "record_stages",
    "reject_letter",
    "render_life",
    "send_letter",
    "supersede_letters",
    "withdraw_letter",
]
