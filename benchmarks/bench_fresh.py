"""Just-loaded invoices: a decision on a fresh invoice against a warm one, from_json against
json.loads of the same text, and the bytes an invoice's derived amounts take.

On 2 000 invoices of the seeded portfolio (benchmarks/portfolio.py), each written with
to_json: every figure is a median of 5 runs, and every ratio compares two timings of the
same run (the machine is shared, so absolute figures are noisy).

from_json is timed per invoice shape (1, 3 and 10 lines, each plain and with bookings: a
payment, a dunning notice and their history entries), on 300 distinct invoices of each
shape, and on the portfolio's. Both sides run in the same state: a garbage collection
before every run, and each document read and dropped, as a daily run reads its invoices
one at a time. (Keeping every result alive in a list makes the collector walk a growing
heap: both sides then pay the same extra microseconds per document, which pulls the ratio
towards 1 and hides how far from_json is from json.loads.) Each figure is a median of 7
runs of the process's CPU time; the ratio is the median of the 7 runs' ratios.

    .venv/bin/python benchmarks/bench_fresh.py
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from dunlib import AUTOMATIC, Authority

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import TODAY, portfolio, rules_for

from dunlib import (
    Customer,
    DunningRules,
    DunningStage,
    Invoice,
    IssueStage,
    LineItem,
    Money,
    Payment,
    StageKind,
    next_dunning_action,
    plan,
    record_payment,
    record_stage,
)
from dunlib.core.invoice import _has_amounts
from dunlib.core.quick import forget
from dunlib.io.serialize import from_json, to_json

SAMPLE = 2_000
RUNS = 5


def per_invoice_us(work: Callable[[], object], count: int) -> float:
    return statistics.median(_timed(work) for _ in range(RUNS)) / count * 1e6


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


SHAPED = 300
READ_RUNS = 7
_REMINDER = DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=14),))


def shaped(lines: int, booked: bool, k: int) -> Invoice:
    """Invoice ``k`` of a shape: ``lines`` lines; ``booked``: partly paid, then reminded (a
    payment, a notice and three history entries), booked as an app books them."""
    invoice = Invoice.sent(
        number=f"RE-{k}",
        customer=Customer(id=f"C-{k % 97}", name=f"Customer {k % 97} GmbH"),
        lines=[
            LineItem(
                description=f"Item {n} of order {k}",
                quantity=Decimal(n + k % 5),
                unit_price=Money(f"{9 + k % 13}.{k % 100:02}", "EUR"),
                tax_rate=19 if n % 2 else 7,
            )
            for n in range(1, lines + 1)
        ],
        issue_date=dt.date(2026, 1, 1 + k % 20),
    )
    if booked:
        payment = Payment(on=dt.date(2026, 1, 25), amount=Money(f"{1 + k % 5}.00", "EUR"))
        invoice = record_payment(invoice, payment, actor=AUTOMATIC, authority=Authority()).invoice
        action = next_dunning_action(invoice, _REMINDER, today=dt.date(2026, 2, 28))
        assert isinstance(action, IssueStage)
        invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    return invoice


def _read_each(read: Callable[[str], object], texts: list[str]) -> float:
    """CPU seconds to read every text, one at a time, each result dropped; collected before.

    CPU time of this process, not wall time: on a shared machine the time spent waiting for
    a core would otherwise land on whichever side happened to be running. The quick path's
    caches (texts of dates and amounts, objects such as a customer read before) are emptied
    first, so that each run reads its texts as a daily run does, for the first time: values
    repeated across invoices are found again, a text read in an earlier run is not.
    """
    forget()
    gc.collect()
    start = time.process_time()
    for text in texts:
        read(text)
    return time.process_time() - start


def print_read(name: str, texts: list[str]) -> None:
    """One row: from_json and json.loads of the same texts, in turns, and their ratio."""
    ours, floors = [], []
    for _ in range(READ_RUNS):
        ours.append(_read_each(lambda text: from_json(text, Invoice), texts))
        floors.append(_read_each(json.loads, texts))
    ratio = statistics.median(a / b for a, b in zip(ours, floors, strict=True))
    read = statistics.median(ours) / len(texts) * 1e6
    floor = statistics.median(floors) / len(texts) * 1e6
    size = sum(map(len, texts)) / len(texts)
    print(f"  {name:24} {size:7.0f} {read:11.1f} {floor:12.1f} {ratio:7.1f}")


def decide(invoices: list[Invoice]) -> None:
    for invoice in invoices:
        next_dunning_action(invoice, rules_for(invoice), today=TODAY)


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, shared")
    texts = [to_json(invoice) for invoice in portfolio(SAMPLE, seed=7)]

    fresh_times, warm_times, plan_fresh, plan_warm = [], [], [], []
    for _ in range(RUNS):
        loaded = [from_json(text, Invoice) for text in texts]
        fresh_times.append(_timed(lambda loaded=loaded: decide(loaded)))
        warm_times.append(_timed(lambda loaded=loaded: decide(loaded)))
        loaded = [from_json(text, Invoice) for text in texts]
        plan_fresh.append(_timed(lambda loaded=loaded: list(plan(loaded, rules_for, today=TODAY))))
        plan_warm.append(_timed(lambda loaded=loaded: list(plan(loaded, rules_for, today=TODAY))))
    fresh = statistics.median(fresh_times) / SAMPLE * 1e6
    warm = statistics.median(warm_times) / SAMPLE * 1e6
    print(f"next_dunning_action, just loaded: {fresh:6.1f} us, warm: {warm:6.1f} us, "
          f"fresh/warm {fresh / warm:.2f}")  # fmt: skip
    fresh = statistics.median(plan_fresh) / SAMPLE * 1e6
    warm = statistics.median(plan_warm) / SAMPLE * 1e6
    print(f"plan per invoice, just loaded:    {fresh:6.1f} us, warm: {warm:6.1f} us, "
          f"fresh/warm {fresh / warm:.2f}")  # fmt: skip

    print("from_json against json.loads of the same text (CPU us per document, median of 7):")
    print("  shape                      bytes   from_json   json.loads   ratio")
    for lines in (1, 3, 10):
        for booked in (False, True):
            shape = [to_json(shaped(lines, booked, k)) for k in range(SHAPED)]
            name = f"{lines} line{'s' if lines > 1 else ''}" + (", booked" if booked else "")
            print_read(name, shape)
    print_read(f"portfolio ({SAMPLE})", texts)

    loaded = [from_json(text, Invoice) for text in texts]
    bare = [invoice for invoice in loaded if not _has_amounts(invoice)]
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    for invoice in bare:
        invoice.open_amount  # noqa: B018  (computes and keeps the derived amounts)
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"derived amounts kept per invoice: {(after - before) / len(bare):.0f} bytes "
          f"(tracemalloc, {len(bare)} invoices read without them)")  # fmt: skip
    paid = [invoice for invoice in loaded if invoice.payments]
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    again = [from_json(to_json(invoice), Invoice) for invoice in paid]
    for invoice in again:
        object.__delattr__(invoice, "_amounts")
    middle, _ = tracemalloc.get_traced_memory()
    for invoice in again:
        invoice.open_amount  # noqa: B018
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  partly paid invoices: {(after - middle) / len(again):.0f} bytes "
          f"({len(again)} invoices)")  # fmt: skip
    for invoice in loaded:  # read while loading (the invoice checks its history): read again
        object.__delattr__(invoice, "_marks")
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    for invoice in loaded:
        invoice._marks  # noqa: B018  (reads the history once and keeps what dunning needs)
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"the history read once for dunning: {(after - before) / len(loaded):.0f} bytes "
          f"per invoice ({len(loaded)} invoices)")  # fmt: skip


if __name__ == "__main__":
    main()
