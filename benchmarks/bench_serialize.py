"""Time writing and reading an invoice and the seed's dunning rules as JSON; prints medians."""

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
from dunlib.io.serialize import from_json, load_rules, to_json

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
RULES_TEXT = (Path(__file__).resolve().parents[1] / "examples" / "dunning_rules.toml").read_text(
    encoding="utf-8"
)


def median_us(function: Callable[[], object], runs: int = 500) -> float:
    """Median time of one call, in microseconds, over 7 repeats of ``runs`` calls."""
    return statistics.median(timeit.repeat(function, number=runs, repeat=7)) / runs * 1e6


if __name__ == "__main__":
    write = median_us(lambda: to_json(INVOICE))
    read = median_us(lambda: from_json(INVOICE_TEXT, Invoice))
    floor = median_us(lambda: json.loads(INVOICE_TEXT))
    rules = median_us(lambda: load_rules(RULES_TEXT))
    build = median_us(lambda: attrs.evolve(INVOICE))
    print(f"invoice (10 lines, 1 payment, 1 notice), {len(INVOICE_TEXT)} bytes of JSON:")
    print(f"  to_json:   {write:.1f} us (median of 7)")
    print(f"  from_json: {read:.1f} us (json.loads alone: {floor:.1f} us, "
          f"ratio {read / floor:.1f})")  # fmt: skip
    print(f"  rebuilding the validated invoice alone (attrs.evolve): {build:.1f} us")
    print(f"seed rules from TOML text, load_rules: {rules:.1f} us")
