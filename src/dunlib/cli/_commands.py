"""The jobs of ``dunlib`` (:mod:`dunlib.cli`): each takes the parsed arguments and a console.

At the edge: reads files named on the command line and opens stores."""

from __future__ import annotations

import argparse
import datetime as _dt
import pathlib
from collections.abc import Callable

from rich.console import Console
from rich.progress import TaskID

from dunlib.analytics.receivables import ageing as ageing_report
from dunlib.cli import _tables, _tour
from dunlib.cli._clock import now
from dunlib.core.errors import DunlibError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.io.serialize import from_json, load_rules
from dunlib.store import RunSummary, Store

__all__ = ["COMMANDS", "day_of", "open_store", "url_of"]

ONE_DAY = _dt.timedelta(days=1)


def url_of(store: str) -> str:
    """The database URL a STORE argument names: a URL as it is, a file path as SQLite's."""
    return store if "://" in store else "sqlite:///" + store


def open_store(store: str) -> Store:
    """The store STORE names; a SQLite file that does not exist is refused, not created (nor
    is a store in memory opened: it would be gone when the command ends)."""
    url = url_of(store)
    if url.startswith("sqlite:///"):
        database = url.removeprefix("sqlite:///").split("?", 1)[0]
        if not pathlib.Path(database).is_file():
            raise InvalidValueError(
                "STORE", store, "a store made by `dunlib create` (no such file)"
            )
    return Store.open(url)


def day_of(text: str, field: str) -> _dt.date:
    """The day ``text`` writes as YYYY-MM-DD."""
    try:
        return _dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidValueError(field, text, "a day written YYYY-MM-DD") from None


def money_of(text: str) -> Money:
    """The amount ``text`` writes as AMOUNT:CURRENCY (``5.00:EUR``)."""
    amount, colon, currency = text.partition(":")
    if not colon:
        raise InvalidValueError("--minimum", text, "an amount and its currency, such as 5.00:EUR")
    return Money(amount, currency)


def read_text(name: str, field: str) -> str:
    """The text of the file ``name``; one that cannot be read is refused as ``field``."""
    try:
        return pathlib.Path(name).read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidValueError(field, name, f"a file to read ({error.strerror})") from None


def create(args: argparse.Namespace, out: Console) -> None:
    """``dunlib create``: a new store with the rules of a file."""
    try:
        rules = load_rules(pathlib.Path(args.rules))
    except OSError as error:
        raise InvalidValueError(
            "--rules", args.rules, f"a file to read ({error.strerror})"
        ) from None
    minimums = [money_of(text) for text in args.minimum]
    with Store.create(url_of(args.store), rules=rules, minimums=minimums, tenant=args.tenant):
        pass
    shown = ", ".join(str(m) for m in minimums) or "none"
    out.print(
        f"Created the store {args.store}: {len(rules.stages)} stages, minimums {shown}.",
        highlight=False,
    )


def import_invoices(args: argparse.Namespace, out: Console) -> None:
    """``dunlib import``: add the invoices of a JSON-lines file."""
    invoices = []
    for number, line in enumerate(read_text(args.file, "FILE").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            invoices.append(from_json(line, Invoice))
        except DunlibError as error:
            raise InvalidValueError(
                f"{args.file} line {number}", line, f"an Invoice as dunlib.to_json writes ({error})"
            ) from None
    with open_store(args.store) as store:
        new = store.add_invoices(invoices)
    out.print(
        f"Read {len(invoices)} invoices from {args.file}: {new} new, "
        f"{len(invoices) - new} already stored.",
        highlight=False,
    )


def run(args: argparse.Namespace, out: Console) -> None:
    """``dunlib run``: the daily run of each day from DAY to ``--to``."""
    first = day_of(args.day, "DAY")
    last = first if args.to is None else day_of(args.to, "--to")
    if last < first:
        raise InvalidValueError("--to", args.to, f"a day on or after DAY ({first})")
    days = [first + ONE_DAY * offset for offset in range((last - first).days + 1)]
    summaries: list[RunSummary] = []
    with open_store(args.store) as store, _tables.progress(out) as bar:
        over = bar.add_task("days", total=len(days))
        customers = bar.add_task("customers", total=None)
        for day in days:
            bar.update(customers, description=f"{day}", completed=0, total=None)

            def told(done: int, total: int, task: TaskID = customers) -> None:
                bar.update(task, completed=done, total=total)

            summaries.append(store.run_day(day, runner="dunlib run", progress=told, clock=now))
            bar.advance(over)
    out.print(_tables.runs(summaries))


def outbox(args: argparse.Namespace, out: Console) -> None:
    """``dunlib outbox``: the letters to send, of one day or all."""
    day = None if args.day is None else day_of(args.day, "--day")
    with open_store(args.store) as store:
        letters = store.outbox(day=day)
    if not letters:
        out.print("The outbox is empty" + ("" if day is None else f" on {day}") + ".")
        return
    out.print(_tables.outbox(letters))


def ageing(args: argparse.Namespace, out: Console) -> None:
    """``dunlib ageing``: the ageing report of the store's invoices on ``--today``."""
    today = day_of(args.today, "--today")
    with open_store(args.store) as store:
        report = ageing_report(store.invoices(), today=today)
    out.print(_tables.ageing(report))


def export(args: argparse.Namespace, out: Console) -> None:
    """``dunlib export``: the whole store into a JSON-lines file."""
    with open_store(args.store) as store:
        try:
            with pathlib.Path(args.file).open("w", encoding="utf-8") as stream:
                rows = store.export(stream)
        except OSError as error:
            raise InvalidValueError(
                "FILE", args.file, f"a file to write ({error.strerror})"
            ) from None
    out.print(f"Exported {rows} rows of {args.store} to {args.file}.", highlight=False)


def restore(args: argparse.Namespace, out: Console) -> None:
    """``dunlib restore``: a new store holding what an export wrote."""
    lines = read_text(args.file, "FILE").splitlines()
    with Store.restore(url_of(args.store), lines):
        pass
    out.print(f"Restored {len(lines) - 1} rows of {args.file} into {args.store}.", highlight=False)


COMMANDS: dict[str, Callable[[argparse.Namespace, Console], None]] = {
    "create": create,
    "import": import_invoices,
    "run": run,
    "outbox": outbox,
    "ageing": ageing,
    "export": export,
    "restore": restore,
    "demo": _tour.demo,
}
"""The job of each subcommand."""
