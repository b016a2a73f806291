"""Time building invoices and deriving their open amounts; prints medians."""

from __future__ import annotations

import statistics
import timeit
from datetime import date
from decimal import Decimal

from dunlib import Customer, Invoice, LineItem, Money


def build() -> Money:
    lines = [
        LineItem(
            description=f"Item {n}",
            quantity=Decimal(n),
            unit_price=Money("9.99", "EUR"),
            tax_rate=19,
        )
        for n in range(1, 11)
    ]
    invoice = Invoice.sent(
        number="RE-1", customer=CUSTOMER, lines=lines, issue_date=date(2026, 1, 1)
    )
    return invoice.open_amount


def baseline() -> Decimal:
    """The same arithmetic on bare Decimals, as a floor to compare against."""
    total = Decimal(0)
    for n in range(1, 11):
        total += Decimal(n) * Decimal("9.99")
    return total + (total * Decimal("0.19")).quantize(Decimal("0.01"))


CUSTOMER = Customer(id="C-1", name="ACME GmbH")

if __name__ == "__main__":
    runs = 1000
    ours = statistics.median(timeit.repeat(build, number=runs, repeat=7)) / runs
    floor = statistics.median(timeit.repeat(baseline, number=runs, repeat=7)) / runs
    print(f"invoice with 10 lines, build + open amount: {ours * 1e6:.1f} us (median of 7)")
    print(f"bare Decimal baseline:                      {floor * 1e6:.1f} us")
    print(f"ratio: {ours / floor:.1f}x")
