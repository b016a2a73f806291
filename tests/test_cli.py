"""The command line (``dunlib.cli``): every subcommand run in-process on SQLite stores in a
temporary folder, what it prints, and its refusals (one red line, exit status 2)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dunlib import Customer, Invoice, Money, to_json
from dunlib.cli import main
from dunlib.cli._tour import START, pay
from dunlib.cli.demo import DEMO_RULES, Settlement, payments, portfolio
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.store import Store
from test_docs import blocks

ROOT = Path(__file__).resolve().parent.parent
RULES_TOML = ROOT / "examples" / "dunning_rules.toml"
DAY = dt.date(2026, 5, 1)

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``dunlib`` with the arguments given: its exit status, what it printed and its errors
    (printed 200 columns wide, so that no table cuts a cell)."""
    monkeypatch.setenv("COLUMNS", "200")

    def call(*args: str | Path) -> tuple[int, str, str]:
        status = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return status, out, err

    return call


def invoice(number: str, due: dt.date, cents: int = 11_900, customer: str = "C-1") -> Invoice:
    return Invoice.sent(
        number=number,
        customer=Customer(id=customer, name=f"Customer {customer}"),
        gross=Money(f"{cents // 100}.{cents % 100:02d}", "EUR"),
        issue_date=due - dt.timedelta(days=14),
        due_date=due,
    )


@pytest.fixture
def store(tmp_path: Path, run: Run) -> Path:
    """A store file with the example rules, a minimum of 5.00 EUR and three invoices of two
    customers due on 1 April 2026 (one of them of 3.00 EUR, below the minimum)."""
    path = tmp_path / "dunlib.db"
    status, out, _ = run("create", path, "--rules", RULES_TOML, "--minimum", "5.00:EUR")
    assert status == 0
    assert "3 stages" not in out
    assert "4 stages, minimums 5.00 EUR" in out
    lines = tmp_path / "invoices.jsonl"
    due = dt.date(2026, 4, 1)
    invoices = [invoice("RE-1", due), invoice("RE-2", due, 300, "C-2"), invoice("RE-3", due)]
    lines.write_text("\n".join(to_json(i) for i in invoices) + "\n\n", encoding="utf-8")
    status, out, _ = run("import", path, lines)
    assert (status, out) == (0, f"Read 3 invoices from {lines}: 3 new, 0 already stored.\n")
    return path


def test_create_takes_json_rules_a_url_and_a_tenant(tmp_path: Path, run: Run) -> None:
    """A store named by URL, with rules from JSON and a tenant's name for the letters."""
    rules = tmp_path / "rules.json"
    rules.write_text(to_json(DEMO_RULES), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    status, out, _ = run("create", url, "--rules", rules, "--tenant", "Muster GmbH")
    assert (status, out) == (0, f"Created the store {url}: 3 stages, minimums none.\n")
    with Store.open(url) as opened:
        assert (opened.rules, opened.tenant, opened.minimums) == (DEMO_RULES, "Muster GmbH", ())


def test_importing_again_adds_nothing(store: Path, tmp_path: Path, run: Run) -> None:
    status, out, _ = run("import", store, tmp_path / "invoices.jsonl")
    assert status == 0
    assert out.endswith("0 new, 3 already stored.\n")


def test_run_of_a_range_books_and_the_outbox_lists_the_letters(store: Path, run: Run) -> None:
    """The days from 14 to 16 April: only the 15th wakes the customers, for the reminders of
    C-1's invoices in one letter (C-2's 3.00 EUR are below the minimum); the table has a row
    a day and the totals."""
    status, out, _ = run("run", store, "2026-04-14", "--to", "2026-04-16")
    assert status == 0
    rows = {
        line.split()[0]: line.split()[1:] for line in out.splitlines() if line[:1] in ("2", "t")
    }
    assert rows["2026-04-14"] == rows["2026-04-16"] == ["0", "0", "0", "0", "0"]
    assert rows["2026-04-15"] == rows["total"] == ["2", "3", "1", "0", "0"]
    status, out, _ = run("outbox", store)
    assert status == 0
    assert "Outbox (1)" in out
    assert "RE-1@1, RE-3@1" in out
    assert "238.00" in out
    assert "C-1" in out
    assert run("outbox", store, "--day", "2026-04-15")[1] == out
    status, out, _ = run("outbox", store, "--day", "2026-04-14")
    assert (status, out) == (0, "The outbox is empty on 2026-04-14.\n")


def test_an_empty_outbox(store: Path, run: Run) -> None:
    assert run("outbox", store) == (0, "The outbox is empty.\n", "")


def test_ageing_lists_each_customer_and_the_total(store: Path, run: Run) -> None:
    status, out, _ = run("ageing", store, "--today", "2026-05-01")
    assert status == 0
    assert "Receivables ageing on 2026-05-01" in out
    (c1,) = [line for line in out.splitlines() if line.startswith("Customer C-1")]
    assert c1.split()[2:] == ["EUR", "2", "0.00", "238.00", "0.00", "0.00", "0.00", "238.00"]
    (total,) = [line for line in out.splitlines() if line.startswith("all customers")]
    assert total.split()[-1] == "241.00"


def test_ageing_of_nothing_open(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "empty.db"
    run("create", path, "--rules", RULES_TOML)
    status, out, _ = run("ageing", path, "--today", "2026-05-01")
    assert status == 0
    assert "(nothing open)" in out


def test_export_then_restore_gives_the_same_store(store: Path, tmp_path: Path, run: Run) -> None:
    run("run", store, "2026-04-15")
    lines = tmp_path / "backup.jsonl"
    status, out, _ = run("export", store, lines)
    rows = len(lines.read_text(encoding="utf-8").splitlines()) - 1
    assert (status, out) == (0, f"Exported {rows} rows of {store} to {lines}.\n")
    copy = tmp_path / "copy.db"
    status, out, _ = run("restore", copy, lines)
    assert (status, out) == (0, f"Restored {rows} rows of {lines} into {copy}.\n")
    again = tmp_path / "again.jsonl"
    run("export", copy, again)
    assert again.read_text(encoding="utf-8") == lines.read_text(encoding="utf-8")


def test_the_demo_runs_a_generated_portfolio(tmp_path: Path, run: Run) -> None:
    """A small demo in a store kept on file: the weeks, what is open, the last letters and
    the text of the strongest; the same seed prints the same, in a temporary store too."""
    path = tmp_path / "demo.db"
    status, out, _ = run("demo", "--store", path, "--invoices", "40", "--days", "21")
    assert status == 0
    assert "40 invoices of 8 customers" in out
    assert f"The store: {path}." in out
    assert "Week by week" in out
    assert "Open on 2026-04-21" in out
    assert "The last 5 of the" in out
    assert "Muster GmbH" in out
    with Store.open(f"sqlite:///{path}") as kept:
        assert len(kept.runs()) == 21
    status, again, _ = run("demo", "--invoices", "40", "--days", "21")
    assert status == 0
    assert "A temporary store" in again
    assert again.split("\n", 3)[3] == out.split("\n", 3)[3]


def test_a_demo_without_letters(tmp_path: Path, run: Run) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    status, out, _ = run("demo", "--store", url, "--invoices", "1", "--days", "1", "--seed", "1")
    assert status == 0
    assert out.endswith("No letter was sent.\n")


def test_a_payment_for_an_invoice_no_longer_receivable_is_passed_over(tmp_path: Path) -> None:
    """The demo books a payment only while the invoice is receivable."""
    paid = invoice("RE-1", dt.date(2026, 4, 1))
    with Store.create(f"sqlite:///{tmp_path / 'x.db'}", rules=DEMO_RULES) as kept:
        kept.add_invoices([paid])
        full = Settlement(on=START, invoice_id="RE-1", amount=None)
        assert pay(kept, full) is True
        assert kept.invoice("RE-1").open_amount == Money("0.00", "EUR")
        assert pay(kept, full) is False


def test_the_portfolio_is_the_same_for_a_seed() -> None:
    """One seed, the same invoices and payments; another seed, others. Customers get a name
    each, numbered once the names run out; no payment before the start or the issue."""
    first = portfolio(310, 3, START)
    assert first == portfolio(310, 3, START) != portfolio(310, 4, START)
    assert len({i.customer.name for i in first}) == len({i.customer.id for i in first}) > 60
    settlements = payments(first, 3, START)
    assert settlements == payments(first, 3, START)
    issued = {i.id: i.issue_date for i in first}
    assert all(s.on >= max(START, issued[s.invoice_id]) for s in settlements)
    assert any(s.amount is not None for s in settlements)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: portfolio(0, 1, START), InvalidValueError),
        (lambda: portfolio(True, 1, START), InvalidTypeError),
        (lambda: portfolio(3, "1", START), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: payments(["RE-1"], 1, START), InvalidTypeError),  # type: ignore[list-item]
    ],
)
def test_the_portfolio_refuses_junk(call: Callable[[], object], error: type[Exception]) -> None:
    with pytest.raises(error):
        call()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "{store}", "1 May"], "DAY: got '1 May'; expected a day written YYYY-MM-DD"),
        (["run", "{store}", "2026-05-02", "--to", "2026-05-01"], "a day on or after DAY"),
        (["outbox", "{tmp}/none.db"], "STORE: got"),
        (["outbox", "sqlite:///:memory:"], "STORE: got 'sqlite:///:memory:'"),
        (["outbox", "{tmp}/empty.db"], "holds no dunlib store"),
        (["outbox", "{tmp}/bad.toml"], "file is not a database"),
        (["outbox", "nosuch://db"], "expected a database URL"),
        (["ageing", "{store}", "--today", "x"], "--today: got 'x'"),
        (["create", "{tmp}/n.db", "--rules", "{tmp}/none.toml"], "--rules: got"),
        (["create", "{tmp}/n.db", "--rules", "{tmp}/bad.toml"], "the DunningRules document"),
        (["create", "{tmp}/n.db", "--rules", RULES_TOML, "--minimum", "5"], "such as 5.00:EUR"),
        (["create", "{tmp}/n.db", "--rules", RULES_TOML, "--minimum", "x:EUR"], "Money"),
        (["create", "{store}", "--rules", RULES_TOML], "a database without a store"),
        (["create", "{tmp}/no/such/folder/x.db", "--rules", RULES_TOML], "unable to open"),
        (["import", "{store}", "{tmp}/none.jsonl"], "FILE: got"),
        (["import", "{store}", "{tmp}/bad.jsonl"], "bad.jsonl line 2: got '{\"x\": 1}'"),
        (["export", "{store}", "{tmp}/no/such/folder/x.jsonl"], "a file to write"),
        (["restore", "{store}", "{tmp}/bad.jsonl"], "Store.restore.lines[0]"),
        (["demo", "--invoices", "0"], "--invoices: got 0"),
        (["demo", "--days", "-1"], "--days: got -1"),
    ],
)
def test_a_refusal_is_one_red_line_and_status_2(
    store: Path, tmp_path: Path, run: Run, args: list[str | Path], message: str
) -> None:
    (tmp_path / "empty.db").touch()
    (tmp_path / "bad.toml").write_text("[[stages]]\nkind = 'NOPE'\n", encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text("\n" + '{"x": 1}\n', encoding="utf-8")
    given = [str(a).format(store=store, tmp=tmp_path) for a in args]
    status, out, err = run(*given)
    assert (status, out) == (2, "")
    assert err.startswith("dunlib: ")
    assert err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_usage_errors_and_help_are_argparse_s(run: Run) -> None:
    status, _, err = run("run")
    assert status == 2
    assert "usage: dunlib run" in err
    status, out, _ = run("--help")
    assert status == 0
    assert "demo" in out


def test_the_outbox_shows_the_open_amount_of_the_letter_s_document(store: Path, run: Run) -> None:
    run("run", store, "2026-04-15")
    with Store.open(f"sqlite:///{store}") as opened:
        (letter,) = opened.outbox()
    document = json.loads(letter.document)
    assert document["open_amount"]["amount"] == "238.00"


def test_every_command_of_the_page_runs_as_shown(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/cli.md: each ``dunlib`` line of its shell blocks succeeds, in order, in a folder
    with the clone's example rules (its ``python`` line run by the shell, with this Python as
    ``python``); each refusal shown prints the line shown, with status 2."""
    (tmp_path / "examples").mkdir()
    shutil.copy(RULES_TOML, tmp_path / "examples")
    (tmp_path / "bin").mkdir()
    python = tmp_path / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    path = f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"
    ran = refused = 0
    for block in blocks((ROOT / "docs" / "cli.md").read_text(encoding="utf-8")):
        lines = block.source.splitlines()
        for index, line in enumerate(lines):
            if block.language == "sh" and line.startswith("dunlib "):
                status, _, err = run(*shlex.split(line)[1:])
                assert (line, status, err) == (line, 0, "")
                ran += 1
            elif block.language == "sh" and line.startswith("python -c"):
                env = {**os.environ, "PATH": path}
                subprocess.run(["sh", "-c", line], env=env, check=True, timeout=120)
            elif block.language == "text" and line.startswith("$ dunlib "):
                status, _, err = run(*shlex.split(line)[2:])
                assert (status, err) == (2, lines[index + 1] + "\n")
                refused += 1
    assert (ran, refused) == (10, 2)
    assert len((tmp_path / "invoices.jsonl").read_text(encoding="utf-8").splitlines()) == 50
