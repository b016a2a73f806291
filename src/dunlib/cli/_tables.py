"""What ``dunlib`` prints (:mod:`dunlib.cli`): rich tables of runs, letters and ageing, and
the progress bar of a run."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dunlib.analytics.receivables import AgeingReport, AgeingRow
from dunlib.core.money import Money
from dunlib.io.serialize import from_dict
from dunlib.store import OutboxLetter, RunSummary

__all__ = ["COUNTS", "ageing", "counted", "open_amount", "outbox", "progress", "runs", "styled"]

COUNTS = ("customers", "invoices", "letters", "prepared", "escalated")
"""The counts of a run the tables show, in order."""
_HEADERS = ("customers\nwoken", "invoices\ndecided", "letters", "prepared", "escalated")


def progress(out: Console) -> Progress:
    """A progress bar on ``out`` that goes away when done."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=out,
        transient=True,
    )


def styled(title: str) -> Table:
    """An empty table in the style of every table ``dunlib`` prints."""
    return Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        collapse_padding=True,
        pad_edge=False,
        title_justify="left",
    )


def counted(table: Table, first: Sequence[str]) -> Table:
    """``table`` with the columns ``first`` and those of a run's counts."""
    for name in first:
        table.add_column(name)
    for name in _HEADERS:
        table.add_column(name, justify="right")
    return table


def runs(summaries: Sequence[RunSummary]) -> Table:
    """One row per day run, and the totals."""
    table = counted(styled("Days run"), ["day"])
    for summary in summaries:
        counts = summary.counts()
        table.add_row(summary.day.isoformat(), *(str(counts[name]) for name in COUNTS))
    table.add_section()
    totals = [sum(s.counts()[name] for s in summaries) for name in COUNTS]
    table.add_row("total", *(str(count) for count in totals), style="bold")
    return table


def open_amount(letter: OutboxLetter) -> Money:
    """The open amount a letter of the outbox claims (from its document)."""
    return from_dict(json.loads(letter.document)["open_amount"], Money)


def outbox(letters: Sequence[OutboxLetter], title: str = "") -> Table:
    """One row per letter of the outbox, under ``title`` (by default, how many)."""
    table = styled(title or f"Outbox ({len(letters)})")
    for name in ("day", "customer", "currency", "invoice@level"):
        table.add_column(name)
    table.add_column("open amount", justify="right")
    table.add_column("sent")
    for letter in letters:
        table.add_row(
            letter.day.isoformat(),
            letter.customer,
            letter.currency,
            ", ".join(f"{number}@{level}" for number, level in letter.pairs),
            str(open_amount(letter).amount),
            "yes" if letter.sent else "no",
        )
    return table


def ageing(report: AgeingReport) -> Table:
    """The ageing report: each currency's customers, then its total."""
    table = styled(f"Receivables ageing on {report.today.isoformat()}")
    table.add_column("customer")
    table.add_column("currency")
    for name in ("invoices", *report.labels, "total"):
        table.add_column(name, justify="right")

    def row(line: AgeingRow, style: str = "") -> None:
        amounts = (str(amount.amount) for amount in (*line.amounts, line.total))
        cells = (line.customer_name, line.currency, str(line.invoices), *amounts)
        table.add_row(*cells, style=style)

    for total in report.totals:
        for line in report.rows_of(total.currency):
            row(line)
        row(total, "bold")
        table.add_section()
    if not report.totals:
        table.add_row("(nothing open)")
    return table
