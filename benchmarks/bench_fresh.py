"""Just-loaded invoices: a decision on a fresh invoice against a warm one, from_json against
json.loads of the same text, and the bytes an invoice's derived amounts take.

On 2 000 invoices of the seeded portfolio (benchmarks/portfolio.py), each written with
to_json: every figure is a median of 5 runs, and every ratio compares two timings of the
same run (the machine is shared, so absolute figures are noisy).

    .venv/bin/python benchmarks/bench_fresh.py
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from portfolio import TODAY, portfolio, rules_for

from dunlib import Invoice, next_dunning_action, plan
from dunlib.invoice import _has_amounts
from dunlib.serialize import from_json, to_json

SAMPLE = 2_000
RUNS = 5


def per_invoice_us(work: Callable[[], object], count: int) -> float:
    return statistics.median(_timed(work) for _ in range(RUNS)) / count * 1e6


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def decide(invoices: list[Invoice]) -> None:
    for invoice in invoices:
        next_dunning_action(invoice, rules_for(invoice), TODAY)


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, shared")
    texts = [to_json(invoice) for invoice in portfolio(SAMPLE, seed=7)]

    fresh_times, warm_times, plan_fresh, plan_warm = [], [], [], []
    for _ in range(RUNS):
        loaded = [from_json(text, Invoice) for text in texts]
        fresh_times.append(_timed(lambda loaded=loaded: decide(loaded)))
        warm_times.append(_timed(lambda loaded=loaded: decide(loaded)))
        loaded = [from_json(text, Invoice) for text in texts]
        plan_fresh.append(_timed(lambda loaded=loaded: list(plan(loaded, rules_for, TODAY))))
        plan_warm.append(_timed(lambda loaded=loaded: list(plan(loaded, rules_for, TODAY))))
    fresh = statistics.median(fresh_times) / SAMPLE * 1e6
    warm = statistics.median(warm_times) / SAMPLE * 1e6
    print(f"next_dunning_action, just loaded: {fresh:6.1f} us, warm: {warm:6.1f} us, "
          f"fresh/warm {fresh / warm:.2f}")  # fmt: skip
    fresh = statistics.median(plan_fresh) / SAMPLE * 1e6
    warm = statistics.median(plan_warm) / SAMPLE * 1e6
    print(f"plan per invoice, just loaded:    {fresh:6.1f} us, warm: {warm:6.1f} us, "
          f"fresh/warm {fresh / warm:.2f}")  # fmt: skip

    read = per_invoice_us(lambda: [from_json(text, Invoice) for text in texts], SAMPLE)
    floor = per_invoice_us(lambda: [json.loads(text) for text in texts], SAMPLE)
    size = sum(map(len, texts)) / SAMPLE
    print(f"from_json: {read:6.1f} us, json.loads: {floor:5.1f} us, ratio {read / floor:.1f} "
          f"(mean document {size:.0f} bytes)")  # fmt: skip

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
    del before


if __name__ == "__main__":
    main()
