"""A small portfolio for the store's tests: customers, invoices, rules and a quarter's events,
all deterministic (a seeded random.Random), and a dump of a store to compare byte for byte."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from decimal import Decimal

from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    Customer,
    DispatchMode,
    DunningRules,
    DunningStage,
    Escalation,
    Invoice,
    Money,
    Payment,
    StageKind,
    approve_letter,
    record_payment,
    send_letter,
)
from dunlib.portfolio import LetterState
from dunlib.store import Store
from dunlib.store.chained import unsealed

START = dt.date(2026, 4, 1)
ONE = dt.timedelta(days=1)

RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=Money("5.00", "EUR")),
        DunningStage(
            StageKind.NOTICE,
            days_overdue=7,
            fee=Money("10.00", "EUR"),
            dispatch=DispatchMode.AFTER_APPROVAL,
        ),
    ),
    escalation=Escalation.COLLECTION,
    escalation_days=14,
)
"""A reminder, a notice with a fee, a last notice sent after approval, then collection."""

MINIMUMS = (Money("20.00", "EUR"),)


def portfolio(count: int = 40, *, seed: int = 7, customers: int = 8) -> list[Invoice]:
    """``count`` invoices of ``customers`` customers, issued over April 2026, due 14 to 30
    days later, 5.00 to 2 000.00 EUR; and a customer whose two small invoices reach the
    customer minimum only once the second, issued later, is due too."""
    pick = random.Random(seed)
    people = [Customer(id=f"C-{n:03}", name=f"Kunde {n}") for n in range(customers)]
    invoices = []
    for number in range(count):
        issued = START + dt.timedelta(days=pick.randrange(30))
        cents = pick.choice((500, 1500, 11900, 59500, 200000, pick.randrange(500, 200000)))
        invoices.append(
            Invoice.sent(
                number=f"RE-2026-{number:04}",
                customer=pick.choice(people),
                gross=Money(Decimal(cents).scaleb(-2), "EUR"),
                issue_date=issued,
                due_date=issued + dt.timedelta(days=pick.choice((14, 30))),
            )
        )
    small = Customer(id="C-SMALL", name="Klein KG")
    for number, (gross, after, due) in enumerate((("5.00", 0, 10), ("16.00", 20, 35)), count):
        invoices.append(
            Invoice.sent(
                number=f"RE-2026-{number:04}",
                customer=small,
                gross=Money(gross, "EUR"),
                issue_date=START + dt.timedelta(days=after),
                due_date=START + dt.timedelta(days=due),
            )
        )
    return invoices


def payments(invoices: list[Invoice], *, seed: int = 11) -> dict[dt.date, list[tuple[str, Money]]]:
    """Payments by day: about a third of the invoices paid in part or in full 0 to 40 days
    after their due date (never the small customer's: its sum must reach the minimum)."""
    pick = random.Random(seed)
    days: dict[dt.date, list[tuple[str, Money]]] = {}
    for invoice in invoices:
        if pick.random() < 0.35 and invoice.customer.id != "C-SMALL":
            day = invoice.due_date + dt.timedelta(days=pick.randrange(40))
            amount = (
                invoice.total_due
                if pick.random() < 0.6
                else invoice.total_due.scaled(Decimal("0.5"))
            )
            days.setdefault(day, []).append((invoice.id, amount))
    return days


def pay(store: Store, invoice_id: str, amount: Money, day: dt.date) -> None:
    """Book ``amount`` paid on ``day`` onto the stored invoice, through the store."""
    store.change(
        invoice_id,
        lambda invoice: (
            record_payment(
                invoice, Payment(on=day, amount=amount), actor=AUTOMATIC, authority=Authority()
            ).invoice
        ),
    )


REVIEWER = Actor(id="rita", roles=frozenset({"reviewer"}))
ACCOUNTANT = Actor(id="anna", roles=frozenset({"accountant"}))


def approve_and_send(store: Store, day: dt.date) -> None:
    """Each letter waiting for approval approved by the reviewer on ``day``, then sent by the
    accountant, through the store."""
    for key, letter in store.letters():
        if letter.state is LetterState.PREPARED:
            store.move_letter(
                key,
                lambda letter, _: approve_letter(
                    letter, actor=REVIEWER, on=day, authority=Authority()
                ),
            )
            store.move_letter(
                key,
                lambda letter, invoices: send_letter(
                    letter, invoices, actor=ACCOUNTANT, on=day, authority=Authority()
                ),
            )


def quarter(store: Store, invoices: list[Invoice], days: int = 75) -> None:
    """Run ``days`` days from START over ``store``: each morning the invoices issued that day
    added (those stored already are passed over), the day's payments and the letters of the
    day before approved and sent, then the daily run."""
    paid = payments(invoices)
    for offset in range(days):
        day = START + dt.timedelta(days=offset)
        store.add_invoices(invoice for invoice in invoices if invoice.issue_date == day)
        for invoice_id, amount in paid.get(day, ()):
            if store.invoice(invoice_id).open_amount.is_positive:
                pay(store, invoice_id, min(amount, store.invoice(invoice_id).open_amount), day)
        approve_and_send(store, day)
        store.run_day(day)


def dump(store: Store, *, chains: bool = True) -> list[str]:
    """The store's rows as JSON lines, the run journal left out (its timestamps differ);
    without ``chains``, the invoices' documents without their audit chains (two stores
    built alike differ in their random salts, and so in their chains)."""
    out = io.StringIO()
    store.export(out)
    lines = out.getvalue().splitlines()
    kept = [line for line in lines if json.loads(line).get("table") != "dunlib_runs"]
    return kept if chains else [_unchained(line) for line in kept]


def _unchained(line: str) -> str:
    """A dumped row with an invoice's document read without its chain."""
    row = json.loads(line)
    if row.get("table") == "dunlib_invoices":
        row["row"]["document"] = unsealed(row["row"]["document"])
    return json.dumps(row, sort_keys=True)
