"""Booking many payments on one invoice: the cost per payment must not grow with the count.

Each payment booked in date order extends the invoice's kept replay instead of replaying
every booking again, so n payments take time linear in n. Prints, for n = 100 to 1000, the
median time of booking n payments in a row, the cost per payment, and its ratio to the cost
per payment at n = 100 (about 1 when linear; about n / 100 when every payment replays all).
The baseline is a loop in the same run that only builds the same Payment values and appends
them to a tuple, the floor of any booking.
"""

from __future__ import annotations

import statistics
import timeit
from collections.abc import Callable
from datetime import date, timedelta

from dunlib import AUTOMATIC, Authority, Customer, Invoice, Money, Payment, record_payment

ACME = Customer(id="K-1", name="ACME GmbH")
START = date(2026, 1, 1)


def fresh() -> Invoice:
    return Invoice.sent(
        number="RE-1", customer=ACME, gross=Money("1000000.00", "EUR"), issue_date=START
    )


def payments(count: int) -> list[Payment]:
    return [
        Payment(on=START + timedelta(days=1 + n // 3), amount=Money("10.00", "EUR"))
        for n in range(count)
    ]


def book(count: int) -> Invoice:
    invoice = fresh()
    for payment in payments(count):
        invoice = record_payment(invoice, payment, actor=AUTOMATIC, authority=Authority()).invoice
    return invoice


def baseline(count: int) -> tuple[Payment, ...]:
    stored: tuple[Payment, ...] = ()
    for payment in payments(count):
        stored = (*stored, payment)
    return stored


def median(function: Callable[[], object], repeat: int = 5) -> float:
    return statistics.median(timeit.repeat(function, number=1, repeat=repeat))


if __name__ == "__main__":
    print("record_payment, n part payments booked one after another on one invoice")
    print(f"{'n':>5}  {'total':>9}  {'per payment':>11}  {'vs n=100':>8}  {'baseline/pay':>12}")
    first = 0.0
    for count in (100, 250, 500, 1000):
        took = median(lambda count=count: book(count))
        floor = median(lambda count=count: baseline(count))
        per = took / count
        first = first or per
        print(
            f"{count:>5}  {took * 1e3:>7.0f} ms  {per * 1e6:>8.0f} us  {per / first:>8.2f}"
            f"  {floor / count * 1e6:>9.1f} us"
        )
