"""A quarter of the billing app: five customers, 91 days, every day as it would run.

Each morning the day's bank statement is imported (matched and booked), then the
invoices of the day go through the 6-eye workflow (a clerk drafts and submits, a
reviewer approves, an accountant sends), then the daily dunning run sends its letters.
Every customer bills on days 0, 28 and 56 and answers as its behaviour says:

- ``C-1`` pays within the discount period, quoting the number (and once pays twice);
- ``C-2`` pays everything a notice asks for, four days after the first reminder;
- ``C-3`` pays half on the due date and the rest after the second reminder;
- ``C-4`` never pays, and is dunned up to the notice with its fee (its set-up invoice of
  day 0 is dunned with the first month's, in one letter listing both);
- ``C-5`` pays the exact amount without a reference (once 10.00 too much).

A stranger's transfer on day 40 matches nobody. Nothing here is random: the same run
gives the same database. ``python -m billing_app`` (from ``examples/``) prints a summary.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from dunlib import (
    Actor,
    Authority,
    BankTransaction,
    Command,
    Customer,
    DunningLetter,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    PaymentTerms,
    load_rules,
)
from dunlib.workflow.steps import ACCOUNTANT, CLERK, REVIEWER

from .app import BillingApp

__all__ = ["CUSTOMERS", "DAYS", "RULES_FILE", "START", "Quarter", "open_app", "run_quarter"]

START = dt.date(2026, 1, 5)
"""The first day of the quarter."""
DAYS = 91
"""The number of days simulated, the first included."""
BILLING_DAYS = (0, 28, 56)
"""The days (counted from START) on which every customer is billed."""
RULES_FILE = Path(__file__).resolve().parent.parent / "dunning_rules.toml"
"""The dunning rules: seed 003's standard example (reminders 14/7/7, then a notice)."""

ANNA = Actor(id="anna", roles={CLERK})
BEN = Actor(id="ben", roles={REVIEWER})
CARLA = Actor(id="carla", roles={ACCOUNTANT})

CUSTOMERS = (
    Customer(id="C-1", name="Bäckerei Korn & Söhne"),
    Customer(id="C-2", name="Müller Bau GmbH"),
    Customer(id="C-3", name="Schmidt IT-Service"),
    Customer(id="C-4", name="Wagner Handel KG"),
    Customer(id="C-5", name="Lehmann Logistik AG"),
)
PRICES = {"C-1": "84.00", "C-2": "1250.00", "C-3": "399.90", "C-4": "620.00", "C-5": "310.00"}
"""Each customer's monthly unit price (net, 19 % tax on top)."""


def open_app(connection: sqlite3.Connection) -> BillingApp:
    """The app as the quarter runs it: 6 eyes, the rules file, numbers RE-2026-0001 on."""
    return BillingApp(
        connection,
        rules=load_rules(RULES_FILE),
        authority=Authority(eyes=6),
        tenant_name="Muster Software GmbH",
        first_numbers=NumberSequence(prefix="RE-2026-", width=4),
    )


@dataclass
class Quarter:
    """A run of the quarter: the app, the invoices as the run last got them back from the
    app's operations (``memory``), every bank line sent to the app, and the letters."""

    app: BillingApp
    memory: dict[str, Invoice] = field(default_factory=dict)
    lines: list[BankTransaction] = field(default_factory=list)
    letters: list[DunningLetter] = field(default_factory=list)
    statements: dict[dt.date, list[BankTransaction]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def transfer(self, on: dt.date, amount: Money, payer: str, text: str = "") -> None:
        """Put a transfer on the statement of day ``on``."""
        ident = f"B-{len(self.lines) + 1:04d}"
        line = BankTransaction(on=on, amount=amount, payer=payer, text=text, id=ident)
        self.lines.append(line)
        self.statements[on].append(line)

    def keep(self, invoices: tuple[Invoice, ...] | list[Invoice]) -> None:
        for invoice in invoices:
            self.memory[invoice.id] = invoice

    def bill(self, customer: Customer, day: dt.date, month: int, *, setup: bool = False) -> Invoice:
        """Draft, review and send the customer's invoice of ``month`` (0, 1, 2) on ``day``
        (with ``setup``, the one-off set-up invoice ``<customer>-0`` instead)."""
        app = self.app
        invoice_id = f"{customer.id}-{0 if setup else month + 1}"
        price = Money(PRICES[customer.id], "EUR") + Money(f"{month * 5}.00", "EUR")
        if setup:
            price = Money("150.00", "EUR")
        line = LineItem(
            description="Set-up" if setup else "Service", quantity=1, unit_price=price, tax_rate=19
        )
        terms = (
            PaymentTerms(net_days=14, discount_percent=2, discount_days=10)
            if customer.id == "C-1"
            else PaymentTerms(net_days=14)
        )
        self.keep(
            [
                app.draft(
                    invoice_id,
                    customer_id=customer.id,
                    lines=[line],
                    actor=ANNA,
                    on=day,
                    terms=terms,
                )
            ]
        )
        self.keep([app.step(invoice_id, Command.SUBMIT, actor=ANNA, on=day)])
        if customer.id == "C-2" and month == 1:  # the reviewer sends one back once
            self.keep([app.step(invoice_id, Command.REJECT, actor=BEN, on=day)])
            self.keep([app.step(invoice_id, Command.SUBMIT, actor=ANNA, on=day)])
        self.keep([app.step(invoice_id, Command.APPROVE, actor=BEN, on=day)])
        sent = app.send(invoice_id, actor=CARLA, on=day)
        self.keep([sent])
        return sent


def _on_sent(quarter: Quarter, invoice: Invoice) -> None:
    """What the customer does when it receives an invoice."""
    number, gross, due = invoice.number, invoice.gross, invoice.due_date
    match invoice.customer.id:
        case "C-1":
            discounted = gross - gross.allocate([2, 98])[0]
            quarter.transfer(
                invoice.issue_date + dt.timedelta(days=8),
                discounted,
                "Baeckerei Korn und Soehne",
                f"Rechnung {number} abzgl. 2 % Skonto",
            )
            if invoice.id == "C-1-1":  # the bookkeeper pays it a second time
                quarter.transfer(due, gross, "Baeckerei Korn", f"Re. {number}")
        case "C-3":
            half = gross.allocate([1, 1])[0]
            quarter.transfer(due, half, "Schmidt IT Service", f"Teilzahlung {number}")
        case "C-5":
            if invoice.id == "C-5-3":
                extra = gross + Money("10.00", "EUR")
                quarter.transfer(due - dt.timedelta(days=2), extra, "LEHMANN LOGISTIK", number)
            else:
                quarter.transfer(due - dt.timedelta(days=2), gross, "LEHMANN LOGISTIK")
        case _:  # C-2 waits for a reminder, C-4 never pays
            pass


def _on_letter(quarter: Quarter, letter: DunningLetter, day: dt.date) -> None:
    """What the customer does when it receives a dunning letter."""
    numbers = " ".join(d.invoice.number for d in letter.decisions)
    match letter.customer.id:
        case "C-2":
            quarter.transfer(
                day + dt.timedelta(days=4), letter.open_amount, "Mueller Bau", f"Mahnung {numbers}"
            )
        case "C-3":
            for decision, stage in zip(letter.decisions, letter.actions, strict=True):
                if stage.level == 2:
                    quarter.transfer(
                        day + dt.timedelta(days=3),
                        stage.open_amount,
                        "Schmidt IT Service",
                        f"Rest {decision.invoice.number}",
                    )
        case _:
            pass


def run_quarter(
    connection: sqlite3.Connection, *, on_day: Callable[[dt.date], None] | None = None
) -> Quarter:
    """Run the quarter on ``connection`` (an empty database); ``on_day`` is called after
    each day with the day."""
    quarter = Quarter(app=open_app(connection))
    for customer in CUSTOMERS:
        quarter.app.add_customer(customer)
    for offset in range(DAYS):
        day = START + dt.timedelta(days=offset)
        if day == START + dt.timedelta(days=40):
            quarter.transfer(day, Money("50.00", "EUR"), "Unbekannt", "Spende")
        statement = quarter.statements.pop(day, [])
        if statement:
            quarter.keep(list(quarter.app.import_statement(statement).invoices))
        if offset in BILLING_DAYS:
            month = BILLING_DAYS.index(offset)
            for customer in CUSTOMERS:
                _on_sent(quarter, quarter.bill(customer, day, month))
                if customer.id == "C-4" and month == 0:
                    _on_sent(quarter, quarter.bill(customer, day, month, setup=True))
        report = quarter.app.dunning_run(day)
        quarter.keep(list(report.invoices))
        quarter.letters.extend(report.sent)
        for letter in report.sent:
            _on_letter(quarter, letter, day)
        if on_day is not None:
            on_day(day)
    return quarter


def summary(quarter: Quarter) -> str:
    """The quarter's outcome, one line per invoice, then the letters and the bank lines."""
    out = [f"{'invoice':8} {'number':13} {'status':7} {'gross':>12} {'fees':>9} {'open':>12}"]
    for invoice in quarter.app.invoices():
        out.append(
            f"{invoice.id:8} {invoice.number:13} {invoice.status.name:7} {invoice.gross!s:>12} "
            f"{invoice.fees!s:>9} {invoice.open_amount!s:>12}"
        )
    out.append("")
    for letter in quarter.app.outbox():
        out.append(f"{letter.sent_on} {letter.customer_id} {letter.subject}")
    out.append("")
    for line, why in quarter.app.bank_lines():
        out.append(f"{line.id} {why}")
    received = sum((line.amount.amount for line in quarter.lines), Decimal(0))
    out.append(f"\nreceived {received} EUR in {len(quarter.lines)} bank lines")
    return "\n".join(out)
