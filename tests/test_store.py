"""The store (issue 25): a portfolio on SQLite and PostgreSQL, its daily run waking only what
is due, its schema versions, and its backup. Every test runs on both databases."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from dunlib import (
    Actor,
    Invoice,
)
from dunlib.store import (
    Store,
    daily,
)
from stores import MINIMUMS, RULES, START, dump, portfolio, quarter

D = dt.date
REVIEWER = Actor(id="rita", roles=frozenset({"reviewer"}))
ACCOUNTANT = Actor(id="anna", roles=frozenset({"accountant"}))


def new_store(url: str, count: int = 40) -> tuple[Store, list[Invoice]]:
    """A store of the test portfolio of ``count`` invoices, and the invoices."""
    store = Store.create(url, rules=RULES, minimums=MINIMUMS, tenant="Muster GmbH")
    invoices = portfolio(count)
    store.add_invoices(invoices)
    return store, invoices


def test_a_quarter_books_letters_once_and_a_rerun_books_nothing(store_url: str) -> None:
    """A quarter over the store sends reminders and notices, prepares the notices that need
    approval, escalates; running every day again books nothing new."""
    store, invoices = new_store(store_url)
    quarter(store, invoices)
    before = dump(store)
    outbox = store.outbox()
    assert len(outbox) > 10
    assert "SENT" in _letter_states(store)  # the notices needing approval went out approved
    assert sum(r.counts["escalated"] for r in store.runs() if r.counts) > 0
    pairs = [pair for letter in outbox for pair in letter.pairs]
    assert len(pairs) == len(set(pairs))  # every notice once
    for offset in range(75):
        summary = store.run_day(START + dt.timedelta(days=offset))
        assert (summary.letters, summary.prepared, summary.escalated) == (0, 0, 0)
    assert dump(store) == before
    store.close()


def _letter_states(store: Store) -> list[str]:
    return [letter.state.name for _, letter in store.letters()]


def test_law_waking_only_what_is_due_gives_the_run_over_everything(store_url: str) -> None:
    """Law: the store's run, which decides only the customers with an invoice waking on the
    day, books exactly what a run deciding every customer every day books (the same
    invoices, letters and outbox, byte for byte, the invoices' audit chains aside: their
    salts are random; every chain verifies)."""
    woken = Store.create(store_url, rules=RULES, minimums=MINIMUMS, tenant="Muster GmbH")
    invoices = portfolio()  # added day by day, as they are issued
    everything = Store.create(
        store_url.replace("store.db", "all.db") if "sqlite" in store_url else _other(store_url),
        rules=RULES,
        minimums=MINIMUMS,
        tenant="Muster GmbH",
    )
    original = daily.run_day

    def wake_all(engine: sa.Engine, *args: Any, **kwargs: Any) -> daily.RunSummary:
        with engine.begin() as connection:
            connection.execute(
                sa.update(sa.table("dunlib_invoices", sa.column("wake_on"))).values(
                    wake_on=D(2000, 1, 1)
                )
            )
        return original(engine, *args, **kwargs)

    quarter(woken, invoices)
    daily.run_day = wake_all
    try:
        quarter(everything, invoices)
    finally:
        daily.run_day = original
    assert _without_wakes(dump(woken, chains=False)) == _without_wakes(
        dump(everything, chains=False)
    )
    assert woken.verify_chains() == everything.verify_chains() == ()
    assert sum(r.counts["customers"] for r in woken.runs() if r.counts) < sum(
        r.counts["customers"] for r in everything.runs() if r.counts
    )


def _other(url: str) -> str:
    """A second database on the same PostgreSQL server."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    name = url.split("?")[0].rsplit("/", 1)[1]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}_all")
    engine.dispose()
    return url.replace(f"/{name}?", f"/{name}_all?")


def _without_wakes(lines: list[str]) -> list[str]:
    """The dump with the wake-up days and row versions left out (the store that wakes
    everything writes every row every day)."""
    kept = []
    for line in lines:
        row = json.loads(line)
        if row.get("table") == "dunlib_invoices":
            row["row"].pop("wake_on")
            row["row"].pop("version")
        kept.append(json.dumps(row, sort_keys=True))
    return kept
