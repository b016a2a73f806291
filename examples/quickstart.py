"""Quickstart (``python examples/quickstart.py``): the seed's standard dunning example as a
schedule.

Rules: a reminder 14 days after the due date, two more reminders 7 days after the
previous document each, then a dunning notice with a fee of 5.00 EUR 7 days later.
The invoice is due on 10 May 2026; the documents fall on 24 May, 31 May, 7 June and
14 June. The second run pauses dunning on 25 May and resumes it on 1 June, as in the
seed's second example.
"""

from __future__ import annotations

from datetime import date

from dunlib import (
    Customer,
    DunningRules,
    DunningStage,
    Invoice,
    IssueStage,
    Money,
    Pause,
    Resume,
    StageKind,
    next_dunning_action,
    simulate,
)


def main() -> None:
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=14),
            DunningStage(StageKind.REMINDER, days_overdue=7),
            DunningStage(StageKind.REMINDER, days_overdue=7),
            DunningStage(StageKind.NOTICE, days_overdue=7, fee=Money("5.00", "EUR")),
        )
    )
    invoice = Invoice.sent(
        number="RE-2026-0001",
        customer=Customer(id="C-1", name="ACME GmbH"),
        gross=Money("119.00", "EUR"),
        issue_date=date(2026, 4, 26),
        due_date=date(2026, 5, 10),
    )
    print(simulate(invoice, rules, until=date(2026, 6, 30)))
    print()
    print(
        simulate(
            invoice,
            rules,
            until=date(2026, 6, 30),
            events=(Pause(on=date(2026, 5, 25)), Resume(on=date(2026, 6, 1))),
        )
    )
    print()
    notice_day = date(2026, 6, 14)
    dunned = simulate(invoice, rules, until=date(2026, 6, 13)).invoice
    action = next_dunning_action(dunned, rules, today=notice_day)
    if isinstance(action, IssueStage):
        print(f"The notice of {notice_day:%d.%m.%Y}, as e-mailed:")
        print(action.documents(dunned, tenant_name="Muster GmbH").email_body)


if __name__ == "__main__":
    main()
