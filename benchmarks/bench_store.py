"""The store's daily run: what a day costs against what wakes, against a hand-written floor.

A stored portfolio (SQLite file: 1 000 000 invoices; PostgreSQL through pgserver: 100 000)
in which the number of invoices waking on each run day is set by construction:

* waking cohorts: for each run day, customers whose every invoice (one to eight, SENT,
  real ``Invoice`` values) falls due 14 days before it, so that the first reminder of the
  demo's rules (``dunlib.cli.demo.DEMO_RULES``) wakes all of them on that day and nothing
  else of those customers is receivable;
* the rest sleeps: the demo's portfolio (``dunlib.cli.demo.portfolio``) issued four months
  after the run days, so that nothing of it wakes within them. It is built once as a
  template set and copied: each copy's documents are the template's JSON with the
  invoice numbers (id, number, the history's detail) and customer ids renamed; a sample of
  every copy is read back with ``from_json`` and written again with ``to_json`` byte for
  byte (the document without its audit chain: a copy's chain, renamed, no longer fits, and
  is never verified, as sleeping rows are never written).

Rows are written with SQLAlchemy Core ``executemany`` in chunks, the columns those the
store writes: ``dunlib.store.rows.invoice_row`` of the invoice, the sealed document
(``dunlib.store.chained.sealed_text``: ``to_json`` with the audit chain) and
``dunlib.store.rows.wake_day`` for the wake-up day (as ``Store.add_invoices`` computes them
before the first run); the first template invoices go in through
``Store.add_invoices`` itself, timed. Waking and sleeping rows are mixed in every chunk, so
the rows a day wakes lie scattered over the file as an app's do. The load is left to reach
the disk (PostgreSQL's CHECKPOINT, then ``sync``) before anything is timed.

The big store holds cohorts of N and of 10N invoices on alternating days, the small store
(a tenth of its size) cohorts of N: three rounds each (each round its own day, so that the
run's bookings of one round do not touch the next; a cohort woken wakes again only seven
days later). Before each run, the **floor** on the same rows: a hand-written loop that
selects the customers with an invoice waking (``wake_on <= day``), reads their waking
invoices' documents 200 customers at a time, parses each with ``json.loads``, and writes
the same bytes back (``UPDATE ... SET document = <the same>``) in one transaction per
customer, opened as the store opens its writing transactions (``dunlib.store.rows.writing``,
the same engine and driver). The rows waking are read once before the floor (nothing
written), so that the floor and the run both find them in the caches. The floor's UPDATE
also counts the row's version up, as the store's does: SQLite skips a write whose bytes
are those already stored, so an UPDATE of the same document alone leaves no page to write
and its commit never reaches the disk, which would leave the commit out of the floor.

Targets (issue 25): 10x the stored portfolio at the same number waking within 1.5x the
time; 10x waking within 12x; per woken invoice, the run within 3x the floor (on the clock).
Beside the clock's ratio, the ratio of this process's CPU time (``time.process_time``:
without the waits for the disk's syncs or for the server; for PostgreSQL the server's own
work is not in it) shows what dunlib adds in Python. The last line is the day's run over
the whole portfolio per stored invoice, the figure Tryton's "create dunnings" is measured
by.

    .venv/bin/python benchmarks/bench_store.py            # 1M SQLite, 100k PostgreSQL
    .venv/bin/python benchmarks/bench_store.py --quick    # small sizes (or DUNLIB_BENCH_QUICK=1)
    .venv/bin/python benchmarks/bench_store.py --quick --profile   # where a run's time goes
    .venv/bin/python benchmarks/bench_store.py --no-postgresql     # SQLite only
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import platform
import pstats
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from dunlib import Customer, Invoice, Money
from dunlib.cli.demo import DEMO_RULES, portfolio
from dunlib.io.serialize import from_json, to_json
from dunlib.store import Store, schema
from dunlib.store.chained import sealed_text, unsealed
from dunlib.store.daily import BATCH
from dunlib.store.rows import invoice_row, wake_day, writing

FIRST_DAY = dt.date(2026, 6, 1)
"""The first run day; every store runs consecutive days from it."""

DUE_BEFORE = 14
"""A waking invoice falls due this many days before its run day (the demo's first reminder)."""

ROUNDS = 3
"""Rounds per configuration (each a day of its own); figures are medians over them."""

TEMPLATES = 20_000
"""Distinct sleeping invoices built; the rest of the portfolio are renamed copies."""

CHUNK = 10_000
"""Rows per executemany."""

ADDED = 2_000
"""Sleeping invoices put in through ``Store.add_invoices`` (timed) before the bulk load."""


def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


# -- the portfolio ----------------------------------------------------------------------


def waking_cohort(tag: str, day: dt.date, count: int, rng: random.Random) -> list[Invoice]:
    """``count`` invoices of fresh customers (one to eight each) that all wake on ``day``."""
    due = day - dt.timedelta(days=DUE_BEFORE)
    invoices: list[Invoice] = []
    customer_no = 0
    while len(invoices) < count:
        customer_no += 1
        customer = Customer(id=f"{tag}-C{customer_no:06d}", name=f"Kunde {tag} {customer_no}")
        for _ in range(min(rng.randint(1, 8), count - len(invoices))):
            cents = rng.randint(2_000, 500_000)
            invoices.append(
                Invoice.sent(
                    number=f"{tag}-{len(invoices) + 1:07d}",
                    customer=customer,
                    gross=Money(Decimal(cents).scaleb(-2), "EUR"),
                    issue_date=due - dt.timedelta(days=rng.choice((14, 30))),
                    due_date=due,
                )
            )
    return invoices


def _row(invoice: Invoice, wake: dt.date | None, document: str) -> dict[str, Any]:
    """The row ``Store.add_invoices`` writes for ``invoice`` (a new row, version 1)."""
    return {"id": invoice.id, "version": 1, **invoice_row(invoice, wake, document)}


class Sleeping:
    """The sleeping part: ``TEMPLATES`` demo invoices issued four months after the run
    days, and renamed copies of them (see the module docs)."""

    def __init__(self, count: int, seed: int) -> None:
        self.count = count
        size = max(1, min(TEMPLATES, count))
        self.templates = portfolio(size, seed, FIRST_DAY + dt.timedelta(days=120))
        self.rows = [
            _row(invoice, wake_day(invoice, DEMO_RULES, None, None), sealed_text(invoice, None))
            for invoice in self.templates
        ]
        first = min(row["wake_on"] for row in self.rows)
        if first <= FIRST_DAY + dt.timedelta(days=30):
            raise SystemExit(f"a sleeping invoice wakes on {first}, within the run days")

    def row(self, index: int) -> dict[str, Any]:
        """Row ``index`` of the sleeping part (copy ``index // templates``)."""
        copy, at = divmod(index, len(self.rows))
        row = self.rows[at]
        if copy == 0:
            return row
        prefix = f"S{copy:03d}-"
        return {
            **row,
            "id": prefix + row["id"],
            "number": prefix + row["number"],
            "customer": prefix + row["customer"],
            "document": row["document"]
            .replace("RE-", prefix + "RE-")
            .replace('"id":"K-', f'"id":"{prefix}K-'),
        }

    def check(self) -> None:
        """Read back a sample of every copy: the renamed document is an invoice of the
        renamed number and customer, written again byte for byte."""
        copies = -(-self.count // len(self.rows))
        for copy in range(copies):
            for at in range(0, len(self.rows), max(1, len(self.rows) // 20)):
                index = copy * len(self.rows) + at
                if index >= self.count:
                    break
                row = self.row(index)
                invoice = from_json(row["document"], Invoice)
                if (
                    invoice.id != row["id"]
                    or invoice.number != row["number"]
                    or invoice.customer.id != row["customer"]
                    or to_json(invoice) != unsealed(row["document"])
                ):
                    raise SystemExit(f"sleeping copy {copy}: row {index} does not read back")


def chunks(
    waking: Sequence[dict[str, Any]], sleeping: Sleeping, start: int
) -> Iterator[list[dict[str, Any]]]:
    """Every row, the waking ones spread evenly over chunks of ``CHUNK`` rows, each chunk
    shuffled; the sleeping rows from ``start`` on."""
    total = len(waking) + sleeping.count - start
    rng = random.Random(7)
    produced = taken = 0
    while produced < total:
        size = min(CHUNK, total - produced)
        share = round(len(waking) * (produced + size) / total) - taken
        rows = list(waking[taken : taken + share])
        first = start + produced - taken
        rows += [sleeping.row(i) for i in range(first, first + size - share)]
        taken += share
        produced += size
        rng.shuffle(rows)
        yield rows


class Built:
    """A store with its cohorts: ``plan`` maps each run day to its cohort's size."""

    def __init__(self, store: Store, stored: int, plan: dict[dt.date, int], figures: str) -> None:
        self.store, self.stored, self.plan, self.figures = store, stored, plan, figures


def build(url: str, stored: int, plan: dict[dt.date, int], seed: int) -> Built:
    """A new store at ``url`` of ``stored`` invoices, ``plan[day]`` of them waking on each
    run day; prints how long the load took."""
    began = time.perf_counter()
    rng = random.Random(seed)
    waking: list[dict[str, Any]] = []
    for number, (day, count) in enumerate(sorted(plan.items())):
        for invoice in waking_cohort(f"W{number}", day, count, rng):
            wake = wake_day(invoice, DEMO_RULES, None, None)
            if wake != day:
                raise SystemExit(f"invoice {invoice.number} wakes on {wake}, not on {day}")
            waking.append(_row(invoice, wake, sealed_text(invoice, None)))
    sleeping = Sleeping(stored - len(waking), seed)
    sleeping.check()
    made = time.perf_counter() - began
    store = Store.create(url, rules=DEMO_RULES, tenant="Benchmark GmbH")
    added = min(ADDED, len(sleeping.templates))
    clock = time.perf_counter()
    store.add_invoices(sleeping.templates[:added])
    by_store = time.perf_counter() - clock
    clock = time.perf_counter()
    with store.engine.begin() as connection:
        for rows in chunks(waking, sleeping, added):
            connection.execute(schema.invoices.insert(), rows)
    bulk = time.perf_counter() - clock
    with store.engine.connect() as connection:
        found = connection.execute(
            sa.select(sa.func.count()).select_from(schema.invoices)
        ).scalar_one()
    if found != stored:
        raise SystemExit(f"the store holds {found} invoices, not {stored}")
    clock = time.perf_counter()
    settle(store.engine)
    settled = time.perf_counter() - clock
    figures = (
        f"{stored:,} invoices ({len(waking):,} waking on {len(plan)} days): made in {made:.1f} s, "
        f"{added:,} through Store.add_invoices in {by_store:.1f} s "
        f"({added / by_store:,.0f}/s), {stored - added:,} in bulk in {bulk:.1f} s "
        f"({(stored - added) / bulk:,.0f}/s); settled in {settled:.1f} s"
    )
    return Built(store, stored, plan, figures)


def settle(engine: sa.Engine) -> None:
    """Let the load reach the disk before anything is timed (PostgreSQL's CHECKPOINT, then
    the machine's ``sync``): otherwise the first rounds' commits wait behind the writing
    back of the whole load."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("CHECKPOINT")
    os.sync()


# -- the floor and the run --------------------------------------------------------------


def floor(engine: sa.Engine, day: dt.date) -> int:
    """The floor (see the module docs): how many documents it read and wrote."""
    table = schema.invoices
    with engine.connect() as connection:
        woken = connection.execute(
            sa.select(table.c.customer).where(table.c.wake_on <= day, table.c.receivable)
        ).scalars()
        customers = sorted(set(woken))
    count = 0
    for start in range(0, len(customers), BATCH):
        batch = customers[start : start + BATCH]
        with engine.connect() as connection:
            rows = connection.execute(
                sa.select(table.c.customer, table.c.id, table.c.document)
                .where(table.c.customer.in_(batch), table.c.wake_on <= day, table.c.receivable)
                .order_by(table.c.customer, table.c.id)
            ).all()
        by_customer: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for customer, key, document in rows:
            json.loads(document)
            by_customer[customer].append((key, document))
        for customer in batch:
            with writing(engine, customer) as connection:
                for key, document in by_customer[customer]:
                    connection.execute(
                        table.update()
                        .where(table.c.id == key)
                        .values(document=document, version=table.c.version + 1)
                    )
                    count += 1
    return count


class Round:
    """One day: the floor's and the run's seconds over ``woken`` invoices, on the clock and
    in this process's CPU time (``*_cpu``: without the waits for the disk or the server)."""

    def __init__(
        self, day: dt.date, woken: int, floor: tuple[float, float], run: tuple[float, float]
    ) -> None:
        self.day, self.woken = day, woken
        (self.floor_s, self.floor_cpu), (self.run_s, self.run_cpu) = floor, run


def warm(engine: sa.Engine, day: dt.date) -> None:
    """Read what wakes on ``day`` once, writing nothing, so that the floor and the run both
    find it in the caches."""
    table = schema.invoices
    with engine.connect() as connection:
        for (document,) in connection.execute(
            sa.select(table.c.document).where(table.c.wake_on <= day, table.c.receivable)
        ):
            json.loads(document)


def run_round(built: Built, day: dt.date) -> Round:
    """The floor, then the store's run of ``day``, both after the rows were read once."""
    expected = built.plan[day]
    warm(built.store.engine, day)
    began, cpu = time.perf_counter(), time.process_time()
    read = floor(built.store.engine, day)
    floor_s = time.perf_counter() - began, time.process_time() - cpu
    began, cpu = time.perf_counter(), time.process_time()
    summary = built.store.run_day(day)
    run_s = time.perf_counter() - began, time.process_time() - cpu
    if read != expected or summary.invoices != expected or summary.letters == 0:
        raise SystemExit(
            f"{day}: {expected} should wake; the floor read {read}, the run decided "
            f"{summary.invoices} and sent {summary.letters} letters"
        )
    return Round(day, expected, floor_s, run_s)


class Config:
    """The rounds of one store at one cohort size."""

    def __init__(self, name: str, stored: int, rounds: list[Round]) -> None:
        self.name, self.stored, self.rounds = name, stored, rounds
        self.woken = rounds[0].woken
        self.run_s = _median([r.run_s for r in rounds])
        self.floor_s = _median([r.floor_s for r in rounds])
        self.ratio = _median([r.run_s / r.floor_s for r in rounds])
        self.cpu_ratio = _median([r.run_cpu / r.floor_cpu for r in rounds])

    def line(self) -> str:
        return (
            f"{self.name:<11}{self.stored:>10,}{self.woken:>8,}{self.run_s:>9.2f}"
            f"{self.floor_s:>9.2f}{self.ratio:>8.2f}x"
            f"{self.run_s / self.woken * 1e6:>10.0f}{self.floor_s / self.woken * 1e6:>10.0f}"
            f"{self.cpu_ratio:>8.2f}x{self.run_s / self.stored * 1e6:>11.2f}"
        )


HEADER = (
    f"{'store':<11}{'stored':>10}{'waking':>8}{'run s':>9}{'floor s':>9}{'ratio':>9}"
    f"{'run us':>10}{'floor us':>10}{'CPU':>9}{'us/stored':>11}\n"
    f"{'':<11}{'':>10}{'':>8}{'':>9}{'':>9}{'':>9}{'/woken':>10}{'/woken':>10}{'ratio':>9}"
    f"{'(Tryton)':>11}"
)


def measure(engine_name: str, urls: tuple[str, str], big: int, waking: int, seed: int) -> list[str]:
    """Build the small and big stores of one database, run their rounds; returns the lines
    of the table and of the targets."""
    small_days = [FIRST_DAY + dt.timedelta(days=i) for i in range(ROUNDS)]
    big_days = [FIRST_DAY + dt.timedelta(days=i) for i in range(2 * ROUNDS)]
    big_plan = {day: waking * (10 if i % 2 else 1) for i, day in enumerate(big_days)}
    small = build(urls[0], big // 10, dict.fromkeys(small_days, waking), seed)
    print(f"{engine_name} small: {small.figures}", flush=True)
    small_rounds = [run_round(small, day) for day in small_days]
    small.store.close()
    large = build(urls[1], big, big_plan, seed)
    print(f"{engine_name} big:   {large.figures}", flush=True)
    large_rounds = [run_round(large, day) for day in big_days]
    large.store.close()
    tag = engine_name.lower()
    configs = [
        Config(f"{tag} {_size(big // 10)}", big // 10, small_rounds),
        Config(f"{tag} {_size(big)}", big, [r for r in large_rounds if r.woken == waking]),
        Config(f"{tag} {_size(big)}", big, [r for r in large_rounds if r.woken != waking]),
    ]
    lines = [c.line() for c in configs]
    for config in configs:
        print(
            f"{config.name} at {config.woken:,} waking, rounds (run/floor s): "
            + ", ".join(f"{r.run_s:.2f}/{r.floor_s:.2f}" for r in config.rounds),
            flush=True,
        )
    stored_x = configs[1].run_s / configs[0].run_s
    waking_x = configs[2].run_s / configs[1].run_s
    worst = max(c.ratio for c in configs)
    per_stored = configs[2].run_s / big * 1e6
    lines += [
        "",
        f"{engine_name}: 10x stored ({_size(big // 10)} -> {_size(big)}), {waking:,} waking: "
        f"{stored_x:.2f}x the time (target <= 1.5x) {_verdict(stored_x <= 1.5)}; the floor "
        f"{configs[1].floor_s / configs[0].floor_s:.2f}x",
        f"{engine_name}: 10x waking ({waking:,} -> {10 * waking:,}) in {_size(big)}: "
        f"{waking_x:.2f}x the time (target <= 12x) {_verdict(waking_x <= 12)}; the floor "
        f"{configs[2].floor_s / configs[1].floor_s:.2f}x",
        f"{engine_name}: run per woken invoice against the floor: "
        + ", ".join(f"{c.ratio:.2f}x" for c in configs)
        + f" (target <= 3x) {_verdict(worst <= 3)}; in this process's CPU time "
        + ", ".join(f"{c.cpu_ratio:.2f}x" for c in configs),
        f"{engine_name}: the day's run over {big:,} stored invoices, {10 * waking:,} waking "
        f"({10 * waking / big:.0%}): {configs[2].run_s:.1f} s, {per_stored:.1f} us per "
        "stored invoice (Tryton's 'create dunnings' figure)",
    ]
    return lines


def _size(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k"


def _verdict(met: bool) -> str:
    return "PASS" if met else "MISS"


# -- where the time goes ----------------------------------------------------------------

GROUPS = (
    ("json.loads/dumps (C)", ("json", "_json", "loads", "dumps", "encode")),
    ("sqlite3 / psycopg driver", ("sqlite3", "psycopg", "method 'execute'", "commit")),
    ("sqlalchemy", ("sqlalchemy",)),
    ("dunlib.io (from_json, to_json)", ("dunlib/io", "dunlib/core/quick", "<generated")),
    ("dunlib.texts (letter texts)", ("dunlib/texts", "babel", "string")),
    ("dunlib.store", ("dunlib/store",)),
    ("dunlib (decide, book, values)", ("dunlib/",)),
)


def profile(folder: Path, seed: int) -> None:
    """cProfile of one run of 3 000 waking invoices in a SQLite store of 20 000, and of the
    floor on the same rows: the top functions and the time by area."""
    day = FIRST_DAY
    built = build(f"sqlite:///{folder / 'profile.db'}", 20_000, {day: 3_000}, seed)
    for name, work in (
        ("floor", lambda: floor(built.store.engine, day)),
        ("run", lambda: built.store.run_day(day)),
    ):
        profiler = cProfile.Profile()
        profiler.enable()
        work()
        profiler.disable()
        stats = pstats.Stats(profiler)
        total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]
        by_group: dict[str, float] = defaultdict(float)
        for (file, _, function), row in stats.stats.items():  # type: ignore[attr-defined]
            where = f"{file} {function}"
            group = next((g for g, keys in GROUPS if any(k in where for k in keys)), "other")
            by_group[group] += row[2]
        print(f"\n{name}: {total:.2f} s of own time under the profiler, by area:")
        for group, seconds in sorted(by_group.items(), key=lambda item: -item[1]):
            print(f"  {group:<34}{seconds:>7.2f} s {seconds / total:>6.1%}")
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(30)
    built.store.close()


# -- the script -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (make bench)")
    parser.add_argument("--no-postgresql", action="store_true", help="SQLite only")
    parser.add_argument("--profile", action="store_true", help="profile one run and the floor")
    parser.add_argument("--seed", type=int, default=25)
    args = parser.parse_args()
    quick = args.quick or os.environ.get("DUNLIB_BENCH_QUICK", "") not in ("", "0")
    sqlite_big, sqlite_waking = (20_000, 200) if quick else (1_000_000, 3_000)
    pg_big, pg_waking = (10_000, 100) if quick else (100_000, 1_000)
    began = time.perf_counter()
    print(
        f"platform: {platform.platform()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLAlchemy {sa.__version__}, "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"date: {dt.date.today().isoformat()}; {'quick' if quick else 'full'} sizes")
    with tempfile.TemporaryDirectory(prefix="dunlib-bench-") as name:
        folder = Path(name)
        if args.profile:
            profile(folder, args.seed)
            return
        lines = measure(
            "SQLite",
            (f"sqlite:///{folder / 'small.db'}", f"sqlite:///{folder / 'big.db'}"),
            sqlite_big,
            sqlite_waking,
            args.seed,
        )
        size = (folder / "big.db").stat().st_size
        print(f"SQLite big file: {size / 1e6:,.0f} MB", flush=True)
        if not args.no_postgresql:
            lines += ["", *measure_postgresql(folder, pg_big, pg_waking, args.seed)]
    print()
    print(HEADER)
    for line in lines:
        print(line)
    print(f"\ntotal {time.perf_counter() - began:.0f} s")


def measure_postgresql(folder: Path, big: int, waking: int, seed: int) -> list[str]:
    """The same rounds on a PostgreSQL server started by pgserver for the run."""
    try:
        import pgserver
    except ImportError:
        return ["PostgreSQL: skipped (pip install pgserver psycopg[binary] to measure it)"]
    get_server = pgserver.get_server  # type: ignore[attr-defined]
    server = get_server(str(folder / "pg"), cleanup_mode="delete")
    try:
        uri = str(server.get_uri())
        engine = sa.create_engine("postgresql+psycopg://" + uri.split("://", 1)[1])
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("CREATE DATABASE bench_small")
            connection.exec_driver_sql("CREATE DATABASE bench_big")
        engine.dispose()
        print(f"PostgreSQL: pgserver {getattr(pgserver, '__version__', '')}".rstrip(), flush=True)
        urls = (
            uri.replace("/postgres?", "/bench_small?"),
            uri.replace("/postgres?", "/bench_big?"),
        )
        return measure("PostgreSQL", urls, big, waking, seed)
    finally:
        server.cleanup()


if __name__ == "__main__":
    main()
