"""Time the dunning engine: one decision, one recorded notice, a year's simulation; medians."""

from __future__ import annotations

import statistics
import timeit
from datetime import date

from dunlib import (
    AUTOMATIC,
    Authority,
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
    record_stage,
    simulate,
)

RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=14),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=Money("5.00", "EUR")),
    )
)
INVOICE = Invoice.sent(
    number="RE-2026-0001",
    customer=Customer(id="C-1", name="ACME GmbH"),
    gross=Money("119.00", "EUR"),
    issue_date=date(2026, 4, 26),
    due_date=date(2026, 5, 10),
)
EVENTS = (Pause(on=date(2026, 5, 25)), Resume(on=date(2026, 6, 1)))


def decide_not_yet_due() -> object:
    return next_dunning_action(INVOICE, RULES, today=date(2026, 5, 20))


def decide_and_record() -> Invoice:
    action = next_dunning_action(INVOICE, RULES, today=date(2026, 5, 24))
    assert isinstance(action, IssueStage)
    return record_stage(INVOICE, action, actor=AUTOMATIC, authority=Authority())


def simulate_year() -> object:
    return simulate(INVOICE, RULES, until=date(2027, 5, 10), events=EVENTS)


def daily_loop_year() -> Invoice:
    """The same year evaluated on every single day (what simulate's skipping saves)."""
    invoice, day = INVOICE, INVOICE.due_date
    for offset in range(366):
        day = date.fromordinal(INVOICE.due_date.toordinal() + offset)
        action = next_dunning_action(invoice, RULES, today=day)
        if isinstance(action, IssueStage):
            invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    return invoice


def median_us(function: object, runs: int) -> float:
    times = timeit.repeat(function, number=runs, repeat=7)  # type: ignore[arg-type]
    return statistics.median(times) / runs * 1e6


if __name__ == "__main__":
    print(f"next_dunning_action, not yet due:    {median_us(decide_not_yet_due, 2000):8.1f} us")
    print(f"next_dunning_action + record_stage: {median_us(decide_and_record, 1000):8.1f} us")
    print(f"simulate, one year, pause + resume:  {median_us(simulate_year, 100):8.1f} us")
    print(f"daily loop by hand, one year:        {median_us(daily_loop_year, 20):8.1f} us")
    print("(medians of 7 repeats)")
