"""Time recording payments and matching a bank statement; prints medians."""

from __future__ import annotations

import functools
import random
import statistics
import timeit
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from dunlib import (
    AUTOMATIC,
    Authority,
    BankTransaction,
    Customer,
    Invoice,
    Money,
    Payment,
    match_payments,
    record_payment,
)

CUSTOMERS = [Customer(id=f"K-{n:04d}", name=f"Kunde {n} GmbH") for n in range(50)]


def statement(
    invoice_count: int, line_count: int, seed: int = 7
) -> tuple[list[Invoice], list[BankTransaction]]:
    """``invoice_count`` open invoices and ``line_count`` lines: a third by number, a third by
    amount, a third unrelated."""
    rng = random.Random(seed)
    books = [
        Invoice.sent(
            number=f"RE-2026-{n:05d}",
            customer=CUSTOMERS[n % len(CUSTOMERS)],
            gross=Money(Decimal(rng.randint(1_000, 500_000)).scaleb(-2), "EUR"),
            issue_date=date(2026, 4, 1) + timedelta(days=n % 30),
        )
        for n in range(invoice_count)
    ]
    lines = []
    for n in range(line_count):
        book = rng.choice(books)
        kind = n % 3
        lines.append(
            BankTransaction(
                on=date(2026, 5, 1) + timedelta(days=n % 28),
                amount=book.gross if kind < 2 else Money("12.34", "EUR"),
                payer=book.customer.name if kind < 2 else "Unbekannt",
                text=f"Rechnung {book.number}" if kind == 0 else "Zahlung",
            )
        )
    return books, lines


def payments_on_one_invoice(count: int) -> Invoice:
    """Record ``count`` part payments one after the other (each replays the history)."""
    invoice = Invoice.sent(
        number="RE-1",
        customer=CUSTOMERS[0],
        gross=Money("100000.00", "EUR"),
        issue_date=date(2026, 1, 1),
    )
    for n in range(count):
        payment = Payment(on=date(2026, 1, 2) + timedelta(days=n), amount=Money("10.00", "EUR"))
        invoice = record_payment(invoice, payment, actor=AUTOMATIC, authority=Authority()).invoice
    return invoice


def median(function: Callable[[], object], repeat: int = 5) -> float:
    return statistics.median(timeit.repeat(function, number=1, repeat=repeat))


if __name__ == "__main__":
    single = median(lambda: payments_on_one_invoice(1), repeat=200)
    many = median(lambda: payments_on_one_invoice(100))
    print(f"record_payment on a fresh invoice:            {single * 1e6:.0f} us (median)")
    print(f"100 part payments on one invoice, in a row:   {many * 1e3:.0f} ms (median of 5)")
    for invoices, lines in ((100, 100), (500, 1000), (2000, 2000)):
        books, bank = statement(invoices, lines)
        took = median(functools.partial(match_payments, bank, books))
        print(
            f"match_payments, {lines:>4} lines x {invoices:>4} invoices: "
            f"{took * 1e3:.0f} ms (median of 5)"
        )
