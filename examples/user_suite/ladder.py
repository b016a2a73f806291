"""Our dunning rules, as a billing team writes them down (the code under test).

Reminders 10 and 20 days after the due date, a notice with a fee of 7.50 EUR 30 days
after it; business customers get the notice only when at least 50.00 EUR are open.
"""

from __future__ import annotations

from dunlib import (
    CustomerKind,
    DunningRules,
    DunningStage,
    Invoice,
    Money,
    StageKind,
    TriggerBasis,
)

FIRST_REMINDER_DAYS = 10
SECOND_REMINDER_DAYS = 20
NOTICE_DAYS = 30
NOTICE_FEE = Money("7.50", "EUR")
B2B_NOTICE_MINIMUM = Money("50.00", "EUR")


def notice_allowed(invoice: Invoice) -> bool:
    """Consumers always get the notice; businesses only from 50.00 EUR open (inclusive)."""
    if invoice.customer.kind is CustomerKind.CONSUMER:
        return True
    return invoice.open_amount >= B2B_NOTICE_MINIMUM


def rules_for(invoice: Invoice) -> DunningRules:
    """The ladder for ``invoice`` (pass the function itself to ``dunlib.plan``)."""
    return DunningRules(
        stages=(
            DunningStage(
                StageKind.REMINDER, days_overdue=FIRST_REMINDER_DAYS, basis=TriggerBasis.DUE_DATE
            ),
            DunningStage(
                StageKind.REMINDER, days_overdue=SECOND_REMINDER_DAYS, basis=TriggerBasis.DUE_DATE
            ),
            DunningStage(
                StageKind.NOTICE,
                days_overdue=NOTICE_DAYS,
                basis=TriggerBasis.DUE_DATE,
                fee=NOTICE_FEE,
                active=notice_allowed(invoice),
            ),
        )
    )
