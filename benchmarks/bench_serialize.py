"""Time writing and reading invoices and the seed's dunning rules as JSON; prints medians.

For each invoice: to_json against its floor, ``json.dumps`` of the invoice's document
already built (with to_json's options), and the ratio against the target of at most 3
times the floor; from_json against ``json.loads`` of the same text, for comparison.
Run: ``PYTHONPATH=src python benchmarks/bench_serialize.py``.
"""

from __future__ import annotations

import json
import statistics
import timeit
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs

from dunlib import (
    AUTOMATIC,
    Authority,
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
    record_payment,
    record_stage,
)
from dunlib.io.serialize import from_json, load_rules, to_dict, to_json

CUSTOMER = Customer(id="C-1", name="ACME GmbH")
_SENT = Invoice.sent(
    number="RE-1",
    customer=CUSTOMER,
    lines=[
        LineItem(
            description=f"Item {n}",
            quantity=Decimal(n),
            unit_price=Money("9.99", "EUR"),
            tax_rate=19,
        )
        for n in range(1, 11)
    ],
    issue_date=date(2026, 1, 1),
)
_PAID = record_payment(
    _SENT,
    Payment(on=date(2026, 1, 20), amount=Money("100.00", "EUR")),
    actor=AUTOMATIC,
    authority=Authority(),
)
_ACTION = next_dunning_action(
    _PAID.invoice,
    DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=14),)),
    today=date(2026, 1, 29),
)
assert isinstance(_ACTION, IssueStage)
INVOICE = record_stage(
    _PAID.invoice, _ACTION, actor=AUTOMATIC, authority=Authority()
)  # booked as an app would: paid, then dunned
INVOICE_TEXT = to_json(INVOICE)


def _larger() -> Invoice:
    """The invoice above paid in sixteen parts, dunned twice and paid once more: twenty
    entries of history, sixteen more payments and two issued stages."""
    invoice = _SENT
    for day in range(2, 18):
        payment = Payment(on=date(2026, 1, day), amount=Money("10.00", "EUR"))
        invoice = record_payment(invoice, payment, actor=AUTOMATIC, authority=Authority()).invoice
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=14),
            DunningStage(StageKind.NOTICE, days_overdue=14),
        )
    )
    for today in (date(2026, 1, 29), date(2026, 2, 28)):
        action = next_dunning_action(invoice, rules, today=today)
        assert isinstance(action, IssueStage)
        invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    last = Payment(on=date(2026, 3, 2), amount=Money("50.00", "EUR"))
    return record_payment(invoice, last, actor=AUTOMATIC, authority=Authority()).invoice


LARGER = _larger()
RULES_TEXT = (Path(__file__).resolve().parents[1] / "examples" / "dunning_rules.toml").read_text(
    encoding="utf-8"
)

TARGET = 3.0
"""to_json of an invoice should cost at most this many times json.dumps of its document."""


def median_us(function: Callable[[], object], runs: int = 500) -> float:
    """Median time of one call, in microseconds, over 7 repeats of ``runs`` calls."""
    return statistics.median(timeit.repeat(function, number=runs, repeat=7)) / runs * 1e6


def report(label: str, invoice: Invoice) -> None:
    """Print to_json and from_json of ``invoice`` against their floors."""
    text = to_json(invoice)
    document = to_dict(invoice)
    write = median_us(lambda: to_json(invoice))
    floor = median_us(
        lambda: json.dumps(
            document, sort_keys=True, ensure_ascii=True, allow_nan=False, separators=(",", ":")
        )
    )
    read = median_us(lambda: from_json(text, Invoice))
    loads = median_us(lambda: json.loads(text))
    ratio = write / floor
    verdict = "met" if ratio <= TARGET else "NOT met"
    print(f"{label}, {len(invoice.history)} history entries, {len(text)} bytes of JSON:")
    print(f"  to_json:   {write:.1f} us (median of 7)")
    print(f"  json.dumps of its dict (the floor): {floor:.1f} us")
    print(f"  ratio to_json / floor: {ratio:.2f}x (target <= {TARGET:.0f}x: {verdict})")
    print(f"  from_json: {read:.1f} us (json.loads alone: {loads:.1f} us, "
          f"ratio {read / loads:.1f}x)")  # fmt: skip
    print(f"  writing costs {write / read:.2f}x reading")


if __name__ == "__main__":
    report("invoice (10 lines, 1 payment, 1 notice)", INVOICE)
    report("larger invoice (10 lines, 17 payments, 2 notices)", LARGER)
    rules = median_us(lambda: load_rules(RULES_TEXT))
    build = median_us(lambda: attrs.evolve(INVOICE))
    print(f"rebuilding the validated invoice alone (attrs.evolve): {build:.1f} us")
    print(f"seed rules from TOML text, load_rules: {rules:.1f} us")
