"""Time the approval workflow: one invoice from draft to sent, and an automatic sending run."""

from __future__ import annotations

import statistics
import timeit
from datetime import date

from dunlib import Command, Customer, Invoice, LineItem, Money
from dunlib.core.numbering import NumberSequence
from dunlib.workflow.drafts import create_draft
from dunlib.workflow.steps import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    REVIEWER,
    Actor,
    Authority,
    due_for_auto_send,
    send,
    transition,
)

CUSTOMER = Customer(id="C-1", name="ACME GmbH")
DORA = Actor(id="dora", roles={CLERK})
RITA = Actor(id="rita", roles={REVIEWER})
SAM = Actor(id="sam", roles={ACCOUNTANT})
RUN = Actor(id="run", roles={AUTOMATION}, automatic=True)
SIX = Authority(eyes=6)
DAY = date(2026, 4, 20)
LINES = [
    LineItem(description=f"Item {n}", quantity=n, unit_price=Money("9.99", "EUR"), tax_rate=19)
    for n in range(1, 11)
]


def reviewed(index: int) -> Invoice:
    draft = create_draft(
        id=f"D-{index}", customer=CUSTOMER, currency="EUR", actor=DORA, on=DAY, lines=LINES
    )
    created = transition(draft, Command.SUBMIT, actor=DORA, on=DAY, authority=SIX)
    return transition(created, Command.APPROVE, actor=RITA, on=DAY, authority=SIX)


def draft_to_sent() -> str:
    return send(
        reviewed(0), actor=SAM, on=DAY, authority=SIX, sequence=NumberSequence()
    ).invoice.number


BATCH = [reviewed(n) for n in range(1000)]


def sending_run() -> int:
    sequence = NumberSequence()
    run_day = date(2026, 4, 21)
    for invoice in due_for_auto_send(BATCH, run_started=run_day, today=run_day):
        sequence = send(invoice, actor=RUN, on=run_day, authority=SIX, sequence=sequence).sequence
    return sequence.next_value


if __name__ == "__main__":
    runs = 200
    path = statistics.median(timeit.repeat(draft_to_sent, number=runs, repeat=7)) / runs
    batch = statistics.median(timeit.repeat(sending_run, number=1, repeat=7))
    print(
        f"draft -> created -> reviewed -> sent, 10 lines, 6 eyes: {path * 1e6:.0f} us (median of 7)"
    )
    print(f"sending run, 1000 reviewed invoices (select + send): {batch * 1e3:.0f} ms (median)")
