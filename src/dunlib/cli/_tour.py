"""``dunlib demo`` (:mod:`dunlib.cli`): a quarter of dunning over the portfolio of
:mod:`dunlib.cli.demo`, in a store, told week by week.

At the edge: creates a store (a temporary SQLite file unless ``--store`` names one)."""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import tempfile
from collections import Counter, defaultdict
from collections.abc import Sequence

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from dunlib.analytics.receivables import AgeingReport, ageing
from dunlib.cli import _tables
from dunlib.cli._clock import now
from dunlib.cli.demo import DEMO_RULES, Settlement, payments, portfolio
from dunlib.core.errors import InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import sum_money
from dunlib.core.records import Payment
from dunlib.payments.recording import record_payment
from dunlib.store import Store
from dunlib.store.rows import RECEIVABLE
from dunlib.workflow.policy import AUTOMATIC, Authority

__all__ = ["START", "TENANT", "demo", "pay"]

START = _dt.date(2026, 4, 1)
"""The demo's first day: the second quarter of 2026 (91 days)."""
TENANT = "Muster GmbH"
"""The sender of the demo's letters."""
_WEEK = ("new invoices", "payments")


def demo(args: argparse.Namespace, out: Console) -> None:
    """``dunlib demo``: generate, store, run every day, tell what happened."""
    for name, value in (("--invoices", args.invoices), ("--days", args.days)):
        if value < 1:
            raise InvalidValueError(name, value, "a whole number of 1 or more")
    invoices = portfolio(args.invoices, args.seed, START)
    customers = len({invoice.customer.id for invoice in invoices})
    gross = sum_money((invoice.open_amount for invoice in invoices), "EUR")
    last = START + _dt.timedelta(days=args.days - 1)
    out.print(
        f"[bold]dunlib demo[/]: {len(invoices)} invoices of {customers} customers, "
        f"{gross} in all (seed {args.seed}).",
        highlight=False,
    )
    out.print(f"Every day from {START} to {last}: new invoices, payments, the daily run.")
    if args.store is None:
        with tempfile.TemporaryDirectory(prefix="dunlib-demo-") as folder:
            out.print("A temporary store (keep one with --store FILE).")
            quarter(f"sqlite:///{folder}/demo.db", invoices, args, out)
    else:
        out.print(f"The store: {args.store}.", highlight=False)
        url = args.store if "://" in args.store else "sqlite:///" + args.store
        quarter(url, invoices, args, out)


def pay(store: Store, settlement: Settlement) -> bool:
    """Book ``settlement`` on its invoice in ``store`` (record_payment, by the automatic
    matching); False, booking nothing, when the invoice is no longer receivable."""
    if store.invoice(settlement.invoice_id).status not in RECEIVABLE:
        return False

    def change(invoice: Invoice) -> Invoice:
        amount = invoice.open_amount if settlement.amount is None else settlement.amount
        payment = Payment(on=settlement.on, amount=amount, reference=invoice.number)
        return record_payment(invoice, payment, actor=AUTOMATIC, authority=Authority()).invoice

    store.change(settlement.invoice_id, change)
    return True


def quarter(url: str, invoices: Sequence[Invoice], args: argparse.Namespace, out: Console) -> None:
    """Run the days of ``args`` over ``invoices`` in a new store at ``url`` and tell it."""
    issued: dict[_dt.date, list[Invoice]] = defaultdict(list)
    for invoice in invoices:
        issued[max(START, invoice.issue_date)].append(invoice)
    paying: dict[_dt.date, list[Settlement]] = defaultdict(list)
    for settlement in payments(invoices, args.seed, START):
        paying[settlement.on].append(settlement)
    weeks: list[Counter[str]] = [Counter() for _ in range((args.days + 6) // 7)]
    last = START + _dt.timedelta(days=args.days - 1)
    with (
        Store.create(url, rules=DEMO_RULES, tenant=TENANT) as store,
        _tables.progress(out) as bar,
    ):
        task = bar.add_task("the quarter", total=args.days)
        for offset in range(args.days):
            day = START + _dt.timedelta(days=offset)
            week = weeks[offset // 7]
            week["new invoices"] += store.add_invoices(issued[day])
            week["payments"] += sum(pay(store, s) for s in paying[day])
            week.update(store.run_day(day, runner="dunlib demo", clock=now).counts())
            bar.advance(task)
        letters = store.outbox()
        report = ageing(store.invoices(), today=last)
    for shown in (_weeks(weeks), _open(report)):
        out.print()
        out.print(shown)
    if not letters:
        out.print("No letter was sent.")
        return
    out.print()
    out.print(_tables.outbox(letters[-5:], f"The last 5 of the {len(letters)} letters sent"))
    strongest = max(letters, key=lambda letter: (max(lv for _, lv in letter.pairs), letter.day))
    texts = json.loads(strongest.document)
    out.print(
        Panel(
            texts["email_body"],
            title=texts["email_subject"],
            subtitle=f"to {strongest.customer} on {strongest.day}",
        )
    )


def _weeks(weeks: Sequence[Counter[str]]) -> Table:
    """One row per week of the run, and the totals."""
    table = _tables.styled("Week by week")
    table.add_column("week of")
    for name in ("new\ninvoices", "paid"):
        table.add_column(name, justify="right")
    _tables.counted(table, ())
    for index, week in enumerate(weeks):
        first = START + _dt.timedelta(days=7 * index)
        table.add_row(
            f"{first:%m-%d}",
            *(str(week[name]) for name in (*_WEEK, *_tables.COUNTS)),
        )
    table.add_section()
    total: Counter[str] = sum(weeks, Counter())
    table.add_row("total", *(str(total[name]) for name in (*_WEEK, *_tables.COUNTS)), style="bold")
    return table


def _open(report: AgeingReport) -> Table:
    """What is open on the report's day, by how long past due, a column per currency."""
    table = _tables.styled(f"Open on {report.today}")
    table.add_column("days past due")
    for total in report.totals:
        table.add_column(total.currency, justify="right")
    for index, label in enumerate(report.labels):
        table.add_row(label, *(str(total.amounts[index].amount) for total in report.totals))
    table.add_section()
    table.add_row("total", *(str(total.total.amount) for total in report.totals), style="bold")
    table.add_row("invoices", *(str(total.invoices) for total in report.totals))
    return table
