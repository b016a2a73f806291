"""Time the journal of a portfolio's year: journal_of against a floor loop on the same invoices.

The 100 000 invoices of the seeded portfolio (benchmarks/portfolio.py: sent, partly paid,
paid in full, dunned with reminders and a notice's fee) are built once; then, taking turns
in each of 5 rounds (median), ``journal_of`` streams the journal entries of the year 2026
(every sending, payment and fee: balanced postings on a chart) and the floor walks the
same histories building the same postings as plain tuples, by a loop that knows this
portfolio's bookings: no chart, no table of bookers, no value classes. Prints entries
per second of each, their ratio (the goal: within 3x of the floor), and the peak memory
the stream adds (tracemalloc, a run of its own): constant, since entries are made one
invoice at a time and dropped as they are counted. The machine is shared, so absolute
figures are noisy: compare the ratio, which comes from the same run.

    .venv/bin/python benchmarks/bench_journal.py [size]
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import portfolio

from dunlib import Invoice
from dunlib.core import EventKind, TaxCategory
from dunlib.ledger import Role, journal_of

RUNS = 5
SIZE = 100_000
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)

NUMBERS = {
    Role.RECEIVABLES: "1400",
    Role.BANK: "1200",
    Role.REVENUE: "8400",
    Role.OUTPUT_VAT: "1776",
    Role.DISCOUNTS_GRANTED: "8736",
    Role.BAD_DEBTS: "2400",
    Role.RECOVERIES: "2732",
    Role.FEE_INCOME: "2650",
    Role.INTEREST_INCOME: "2650",
    Role.CUSTOMER_CREDIT: "1495",
}


class Chart:
    """A chart of the SKR03 numbers (one per role: the account lookup is cached per role
    and category by the journal, so the chart's own speed does not count)."""

    def account(self, role: Role, category: TaxCategory | None = None) -> str:
        return NUMBERS[role]


def journal_count(invoices: Iterable[Invoice]) -> int:
    """The number of journal entries of the year, streamed and dropped."""
    count = 0
    for _ in journal_of(invoices, chart=Chart(), start=START, end=END):
        count += 1
    return count


_SENT, _PAYMENT, _STAGE = EventKind.TRANSITION, EventKind.PAYMENT, EventKind.STAGE_ISSUED
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def floor_count(invoices: Iterable[Invoice]) -> int:
    """The floor: the same bookings' postings as plain tuples (day, document, position,
    ((account, amount), ...)), read off the history and the bookings' amounts by a loop
    that knows this portfolio (EUR and CHF, standard rates, no discounts, credit notes or
    write-offs): sending as receivables against revenue and VAT per rate, a payment as bank
    against receivables, a fee as receivables against fee income."""
    count = 0
    for invoice in invoices:
        number = invoice.number
        payments = stages = 0
        for index, entry in enumerate(invoice.history):
            kind, day = entry.kind, entry.on
            if kind is _SENT:
                nets: dict[Decimal, Decimal] = {}
                for line in invoice.lines:
                    nets[line.tax_rate] = nets.get(line.tax_rate, Decimal(0)) + line.net.amount
                lines = []
                gross = Decimal(0)
                for rate, net in nets.items():
                    tax = (net * rate / _HUNDRED).quantize(_CENT, ROUND_HALF_UP)
                    lines.append(("8400", -net))
                    lines.append(("1776", -tax))
                    gross += net + tax
                row = (day, number, index, (("1400", gross), *lines))
            elif kind is _PAYMENT:
                amount = invoice.payments[payments].amount.amount
                payments += 1
                row = (day, number, index, (("1200", amount), ("1400", -amount)))
            elif kind is _STAGE:
                fee = invoice.issued_stages[stages].fee.amount
                stages += 1
                if not fee:
                    continue
                row = (day, number, index, (("1400", fee), ("2650", -fee)))
            else:
                continue
            if START <= row[0] <= END:
                count += 1
    return count


def median_seconds(*works: Callable[[], object]) -> list[float]:
    """The median time of each of ``works`` over RUNS rounds, taking turns within a round."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(RUNS):
        for work, taken in zip(works, times, strict=True):
            start = time.perf_counter()
            work()
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) for taken in times]


def main(size: int) -> None:
    gc.disable()
    invoices = list(portfolio(size))
    gc.enable()
    gc.freeze()  # the portfolio lives for the whole run, as an app's loaded invoices do
    entries, rows = journal_count(invoices), floor_count(invoices)
    journal_time, floor_time = median_seconds(
        lambda: journal_count(invoices), lambda: floor_count(invoices)
    )
    tracemalloc.start()
    journal_count(invoices)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"portfolio: {size} invoices, {entries} journal entries of 2026 ({rows} floor rows)")
    print(f"journal_of: {entries / journal_time:>10,.0f} entries/s  ({journal_time:.2f} s)")
    print(f"floor loop: {rows / floor_time:>10,.0f} rows/s     ({floor_time:.2f} s)")
    print(f"ratio journal_of / floor: {journal_time / floor_time:.2f}x (goal: at most 3x)")
    print(f"peak memory the stream adds: {peak / 1024:.0f} KiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else SIZE)
