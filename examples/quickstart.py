"""Quickstart: a few invoices and what is still open on them."""

from __future__ import annotations

from datetime import date

import attrs

from dunlib import Customer, Invoice, LineItem, Money, Payment


def main() -> None:
    acme = Customer(id="C-1", name="ACME GmbH")
    consulting = LineItem(
        description="Consulting", quantity=8, unit_price=Money("120.00", "EUR"), tax_rate=19
    )
    first = Invoice.sent(
        number="RE-2026-0001",
        customer=acme,
        gross=Money("119.00", "EUR"),
        issue_date=date(2026, 4, 26),
        due_date=date(2026, 5, 10),
    )
    second = Invoice.sent(
        number="RE-2026-0002", customer=acme, lines=[consulting], issue_date=date(2026, 5, 2)
    )
    second = attrs.evolve(
        second, payments=(Payment(on=date(2026, 5, 10), amount=Money("500.00", "EUR")),)
    )
    print(f"{'number':<14} {'due':<10} {'gross':>12} {'open':>12}")
    for invoice in (first, second):
        print(
            f"{invoice.number:<14} {invoice.due_date.isoformat():<10} "
            f"{invoice.gross!s:>12} {invoice.open_amount!s:>12}"
        )


if __name__ == "__main__":
    main()
