"""A store under crashes and concurrency (issue 25): a run killed between any two statements
and run again leaves exactly the state of a run never killed; two runners on one PostgreSQL
database book every notice once, and a payment booked meanwhile is never lost."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import shutil
import signal
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from dunlib import Money
from dunlib.store import Store
from stores import MINIMUMS, RULES, START, dump, pay, portfolio, quarter

FORK = multiprocessing.get_context("fork")
DAYS = [START + dt.timedelta(days=offset) for offset in range(40, 48)]
"""The days the crashed run covers: reminders, notices, a letter for approval, escalations."""
POINTS = 50


def _statements(url: str) -> int:
    """How many statements an uninterrupted run of DAYS sends."""
    count = 0

    def counted(*_: Any) -> None:
        nonlocal count
        count += 1

    store = Store.open(url)
    sa.event.listen(store.engine, "before_cursor_execute", counted)
    for day in DAYS:
        store.run_day(day)
    store.close()
    return count


def _killed_at(url: str, point: int) -> None:
    """In a forked child: run DAYS over the store, killed (SIGKILL, no clean-up) just before
    its ``point``-th statement."""
    count = 0

    def kill(*_: Any) -> None:
        nonlocal count
        count += 1
        if count == point:
            os.kill(os.getpid(), signal.SIGKILL)

    store = Store.open(url)
    sa.event.listen(store.engine, "before_cursor_execute", kill)
    for day in DAYS:
        store.run_day(day)
    os._exit(0)  # pragma: no cover - the point lies within the run


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store of 60 invoices run up to the day before DAYS."""
    path = tmp_path_factory.mktemp("crash") / "before.db"
    store = Store.create(f"sqlite:///{path}", rules=RULES, minimums=MINIMUMS, tenant="Muster")
    invoices = portfolio(60, customers=10)
    store.add_invoices(invoices)
    quarter(store, invoices, days=40)
    store.close()
    return path


def test_a_run_killed_between_any_two_statements_and_run_again_is_the_run_never_killed(
    before: Path, tmp_path: Path
) -> None:
    """Killed before statement k (50 points spread over the whole run of eight days, first
    and last included) and run again: every invoice, account, letter and outbox row equals
    the uninterrupted run's, byte for byte (the run journal aside)."""
    reference = tmp_path / "reference.db"
    shutil.copy(before, reference)
    total = _statements(f"sqlite:///{reference}")
    with Store.open(f"sqlite:///{reference}") as store:
        expected = dump(store)
        assert len(store.outbox()) > len(Store.open(f"sqlite:///{before}").outbox())
    points = sorted({1 + (total - 1) * n // (POINTS - 1) for n in range(POINTS)})
    assert len(points) == POINTS
    for point in points:
        path = tmp_path / f"killed-{point}.db"
        shutil.copy(before, path)
        child = FORK.Process(target=_killed_at, args=(f"sqlite:///{path}", point))
        child.start()
        child.join()
        assert child.exitcode == -signal.SIGKILL, point
        with Store.open(f"sqlite:///{path}") as store:
            for day in DAYS:
                store.run_day(day)
            assert dump(store) == expected, point
        path.unlink()


def _runner(url: str, day: dt.date, results: Any) -> None:
    """In a forked child: run ``day`` and report the summary's counts."""
    with Store.open(url) as store:
        summary = store.run_day(day, runner=f"runner-{os.getpid()}")
    results.put(("run", summary.letters, summary.prepared, summary.retried))


def _payer(url: str, day: dt.date, ids: list[str], results: Any) -> None:
    """In a forked child: pay 1.00 on each of ``ids`` on ``day`` while the runners run."""
    with Store.open(url) as store:
        for invoice_id in ids:
            pay(store, invoice_id, Money("1.00", "EUR"), day)
    results.put(("paid", len(ids), 0, 0))


def test_two_runners_on_postgresql_book_every_notice_once_and_lose_no_payment(
    postgresql_url: str, report: Callable[[str], None]
) -> None:
    """Two processes run the same days against one PostgreSQL database while a third books
    payments: every notice is booked once (on the invoices and in the outbox), and every
    payment is on its invoice. (On SQLite, writers wait for the database's one write lock.)"""
    store_url = postgresql_url
    store = Store.create(store_url, rules=RULES, minimums=MINIMUMS, tenant="Muster")
    invoices = portfolio(120, customers=24)
    store.add_invoices(invoices)
    quarter(store, invoices, days=30)
    paying = sorted(
        invoice.id for invoice in store.invoices() if invoice.status.name in ("SENT", "DUNNED")
    )[::4]
    store.close()
    results = FORK.Queue()
    for offset in range(30, 45):
        day = START + dt.timedelta(days=offset)
        chosen = paying if offset == 38 else []
        children = [
            FORK.Process(target=_runner, args=(store_url, day, results)),
            FORK.Process(target=_runner, args=(store_url, day, results)),
            FORK.Process(target=_payer, args=(store_url, day, chosen, results)),
        ]
        for child in children:
            child.start()
        for child in children:
            child.join()
            assert child.exitcode == 0
    reports = [results.get() for _ in range(45)]
    retried = sum(r[3] for r in reports if r[0] == "run")
    report(f"store: two runners on PostgreSQL, 15 days: {retried} customers decided afresh")
    with Store.open(store_url) as store:
        outbox = store.outbox()
        pairs = Counter(pair for letter in outbox for pair in letter.pairs)
        assert pairs
        assert max(pairs.values()) == 1
        letters = sum(report[1] for report in reports if report[0] == "run")
        assert letters == len([o for o in outbox if o.day >= START + dt.timedelta(days=30)])
        for invoice in store.invoices():
            days = [notice.on for notice in invoice.issued_stages]
            assert len(days) == len(set(days)), invoice.number  # never two notices a day
            if invoice.id in paying:
                assert invoice.payments, invoice.number
