"""Time the journal of a portfolio's year: journal_of against a floor loop on the same invoices.

The 100 000 invoices of the seeded portfolio (benchmarks/portfolio.py: sent, partly paid,
paid in full, dunned with reminders and a notice's fee) are built once; then, taking turns
in each of 5 rounds, ``journal_of`` streams the journal entries of the year 2026 (every
sending, payment and fee: balanced postings on the SKR03 chart) and the floor walks the
same histories building the same postings as plain tuples, by a loop that knows this
portfolio's bookings and SKR03's accounts for them (read once): no table of bookers, no
value classes. Prints entries per second of each (medians), their ratio (the median of the
rounds' ratios: the goal is at most 3x the floor), and the peak memory the stream adds
(tracemalloc, a run of its own): constant, since entries are made one invoice at a time and
dropped as they are counted. Exits with status 1 where the ratio is above 3. The machine is
shared, so absolute figures are noisy: compare the ratio, which comes from the same run.

    .venv/bin/python benchmarks/bench_journal.py [size]
    .venv/bin/python benchmarks/bench_journal.py --quick   # 10 000 (or DUNLIB_BENCH_QUICK=1)
"""

from __future__ import annotations

import datetime as dt
import gc
import os
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
from dunlib.ledger import SKR03, Role, journal_of

RUNS = 5
SIZE = 100_000
QUICK_SIZE = 10_000
GOAL = 3.0
"""The most the journal may take, in times the floor's time (issue 28)."""
START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def journal_count(invoices: Iterable[Invoice]) -> int:
    """The number of journal entries of the year, streamed and dropped."""
    count = 0
    for _ in journal_of(invoices, chart=SKR03, start=START, end=END):
        count += 1
    return count


_SENT, _PAYMENT, _STAGE = EventKind.TRANSITION, EventKind.PAYMENT, EventKind.STAGE_ISSUED
_HUNDRED = Decimal(100)
_CENT = Decimal("0.01")


def floor_count(invoices: Iterable[Invoice]) -> int:
    """The floor: the same bookings' postings as plain tuples (day, document, position,
    ((account, amount), ...)), read off the history and the bookings' amounts by a loop
    that knows this portfolio (EUR and CHF, standard rates, lines of the standard category,
    no discounts, credit notes or write-offs): sending as receivables against revenue and
    VAT per rate, a payment as bank against receivables, a fee as receivables against fee
    income, on SKR03's accounts for them (read once, before the loop)."""
    receivables, bank = SKR03.account(Role.RECEIVABLES), SKR03.account(Role.BANK)
    revenue = SKR03.account(Role.REVENUE, TaxCategory.STANDARD)
    vat = SKR03.account(Role.OUTPUT_VAT, TaxCategory.STANDARD)
    fees = SKR03.account(Role.FEE_INCOME)
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
                    lines.append((revenue, -net))
                    lines.append((vat, -tax))
                    gross += net + tax
                row = (day, number, index, ((receivables, gross), *lines))
            elif kind is _PAYMENT:
                amount = invoice.payments[payments].amount.amount
                payments += 1
                row = (day, number, index, ((bank, amount), (receivables, -amount)))
            elif kind is _STAGE:
                fee = invoice.issued_stages[stages].fee.amount
                stages += 1
                if not fee:
                    continue
                row = (day, number, index, ((receivables, fee), (fees, -fee)))
            else:
                continue
            if START <= row[0] <= END:
                count += 1
    return count


def timed(*works: Callable[[], object]) -> list[list[float]]:
    """The times of each of ``works`` over RUNS rounds, taking turns within a round."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(RUNS):
        for work, taken in zip(works, times, strict=True):
            start = time.perf_counter()
            work()
            taken.append(time.perf_counter() - start)
    return times


def main(size: int) -> int:
    """Run the benchmark on ``size`` invoices; the exit status (1: the goal is missed)."""
    gc.disable()
    invoices = list(portfolio(size))
    gc.enable()
    gc.freeze()  # the portfolio lives for the whole run, as an app's loaded invoices do
    entries, rows = journal_count(invoices), floor_count(invoices)
    journal_times, floor_times = timed(
        lambda: journal_count(invoices), lambda: floor_count(invoices)
    )
    journal_time, floor_time = statistics.median(journal_times), statistics.median(floor_times)
    ratio = statistics.median(j / f for j, f in zip(journal_times, floor_times, strict=True))
    tracemalloc.start()
    journal_count(invoices)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    met = ratio <= GOAL
    print(f"portfolio: {size} invoices, {entries} journal entries of 2026 ({rows} floor rows)")
    print(f"journal_of: {entries / journal_time:>10,.0f} entries/s  ({journal_time:.2f} s)")
    print(f"floor loop: {rows / floor_time:>10,.0f} rows/s     ({floor_time:.2f} s)")
    print(
        f"ratio journal_of / floor: {ratio:.2f}x (median of {RUNS} rounds; goal: at most "
        f"{GOAL:.0f}x: {'met' if met else 'NOT met'})"
    )
    print(f"peak memory the stream adds: {peak / 1024:.0f} KiB")
    return 0 if met else 1


if __name__ == "__main__":
    quick = "--quick" in sys.argv[1:] or os.environ.get("DUNLIB_BENCH_QUICK", "") not in ("", "0")
    sizes = [int(arg) for arg in sys.argv[1:] if arg != "--quick"]
    sys.exit(main(sizes[0] if sizes else QUICK_SIZE if quick else SIZE))
