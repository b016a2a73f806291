"""The example billing app (examples/billing_app) over a simulated quarter.

The quarter runs once, on an SQLite file, and every test reads its outcome: who paid,
who was dunned and how, that every cent received is accounted for, and that the
database, opened anew, holds exactly the invoices the run kept in memory.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from billing_app import Quarter, run_quarter
from billing_app.__main__ import main
from billing_app.quarter import ANNA, BEN, CUSTOMERS, START, open_app
from dunlib import Command, Invoice, LineItem, Money, PermissionDeniedError, StageKind, Status
from dunlib.core import sum_money

EUR = "EUR"


@pytest.fixture(scope="module")
def quarter(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Quarter, Path]]:
    path = tmp_path_factory.mktemp("billing_app") / "billing.db"
    connection = sqlite3.connect(path)
    try:
        yield run_quarter(connection), path
    finally:
        connection.close()


def day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


def by_id(quarter: Quarter) -> dict[str, Invoice]:
    return {invoice.id: invoice for invoice in quarter.app.invoices()}


def test_every_invoice_was_sent_with_a_gapless_number(quarter: tuple[Quarter, Path]) -> None:
    """Sixteen invoices went through the 6-eye workflow and took RE-2026-0001 to -0016."""
    run, _ = quarter
    invoices = run.app.invoices()
    assert sorted(invoice.number for invoice in invoices) == [
        f"RE-2026-{n:04d}" for n in range(1, 17)
    ]
    assert run.app.sequence().next_number == "RE-2026-0017"
    rejected = by_id(run)["C-2-2"]
    assert [entry.actor for entry in rejected.history[:6]] == [
        "anna",  # created
        "anna",  # submitted
        "ben",  # rejected
        "anna",  # submitted again
        "ben",  # approved
        "carla",  # sent
    ]


def test_the_customers_who_pay_are_paid(quarter: tuple[Quarter, Path]) -> None:
    """C-1 (with cash discount), C-2 (after a reminder), C-5 and two of C-3's are PAID."""
    invoices = by_id(quarter[0])
    paid = {key for key, invoice in invoices.items() if invoice.status is Status.PAID}
    assert paid == {"C-1-1", "C-1-2", "C-1-3", "C-2-1", "C-2-2", "C-2-3", "C-3-1", "C-3-2"} | {
        "C-5-1",
        "C-5-2",
        "C-5-3",
    }
    assert all(invoices[f"C-1-{n}"].discounts.is_positive for n in (1, 2, 3))
    assert all(invoices[f"C-2-{n}"].dunning_level == 1 for n in (1, 2, 3))
    half_paid = invoices["C-3-3"]
    assert half_paid.status is Status.DUNNED
    assert half_paid.paid == half_paid.gross.allocate([1, 1])[0]


def test_the_silent_customer_is_dunned_up_to_the_notice(quarter: tuple[Quarter, Path]) -> None:
    """C-4 got reminders 14, 21 and 28 days after the due date and a notice with a fee
    7 days later, its set-up and first invoices in one letter each time."""
    run, _ = quarter
    invoices = by_id(run)
    first = invoices["C-4-1"]
    assert [(n.level, n.on) for n in first.issued_stages] == [
        (1, day(28)),
        (2, day(35)),
        (3, day(42)),
        (4, day(49)),
    ]
    assert first.fees == Money("5.00", EUR)
    assert invoices["C-4-2"].dunning_level == 4
    assert invoices["C-4-3"].dunning_level == 1
    letters = [row for row in run.app.outbox() if row.customer_id == "C-4"]
    assert [row.invoice_ids for row in letters[:4]] == [("C-4-0", "C-4-1")] * 4
    assert letters[3].fee == Money("10.00", EUR)
    letter = next(n for n in run.letters if n.customer.id == "C-4" and n.fee.is_positive)
    assert letter.lead.kind is StageKind.NOTICE
    assert letter.open_amount == Money("926.30", EUR)  # 183.50 + 742.80, fees included
    assert "926,30" in letter.documents(tenant_name="Muster").email_body


def test_the_outbox_holds_exactly_the_documents_booked(quarter: tuple[Quarter, Path]) -> None:
    """Every document booked on an invoice was written to the outbox that day, and back."""
    run, _ = quarter
    booked = {
        (invoice.id, issued.level, issued.on)
        for invoice in run.app.invoices()
        for issued in invoice.issued_stages
    }
    sent = {
        (invoice_id, level, row.sent_on)
        for row in run.app.outbox()
        for invoice_id, level in zip(row.invoice_ids, row.levels, strict=True)
    }
    assert booked == sent
    assert len(booked) == 21  # C-2: 3 reminders, C-3: 5, C-4: 4 + 4 + 4 + 1
    fees = sum_money((row.fee for row in run.app.outbox()), EUR)
    assert fees == sum_money((invoice.fees for invoice in run.app.invoices()), EUR)
    assert fees == Money("15.00", EUR)


def test_no_cent_is_lost(quarter: tuple[Quarter, Path]) -> None:
    """Every cent received is booked on an invoice, a customer's credit or a line left for
    a person; every invoice's total due is settled, written off or open."""
    run, _ = quarter
    invoices = run.app.invoices()
    received = sum_money((line.amount for line in run.lines), EUR)
    booked = sum_money((invoice.paid for invoice in invoices), EUR)
    credits = sum_money((amount for _, amount in run.app.credits()), EUR)
    left = sum_money((line.amount for line, _ in run.app.bank_lines("Unmatched")), EUR)
    assert booked + credits + left == received
    assert credits == Money("10.00", EUR)
    unmatched = run.app.bank_lines("Unmatched")
    assert [line.payer for line, _ in unmatched] == ["Baeckerei Korn", "Unbekannt"]
    assert "nothing open" in unmatched[0][1]  # C-1 paid its first invoice twice
    assert run.app.bank_lines("Ambiguous") == []
    assert len(run.app.bank_lines()) == len(run.lines)
    for invoice in invoices:
        assert invoice.total_due == invoice.settled + invoice.written_off + invoice.open_amount
    assert received.amount > Decimal("7000")


def test_the_database_reopened_holds_what_the_run_kept(quarter: tuple[Quarter, Path]) -> None:
    """A new connection to the file reads back every invoice equal to the one in memory."""
    run, path = quarter
    connection = sqlite3.connect(path)
    try:
        reopened = open_app(connection)
        assert reopened.invoices() == [run.memory[key] for key in sorted(run.memory)]
        assert reopened.sequence() == run.app.sequence()
        assert reopened.outbox() == run.app.outbox()
        assert [reopened.customer(c.id) for c in CUSTOMERS] == list(CUSTOMERS)
    finally:
        connection.close()


def test_a_refused_step_changes_nothing() -> None:
    """The reviewer may not send: the error is dunlib's, and the database is unchanged."""
    app = open_app(sqlite3.connect(":memory:"))
    app.add_customer(CUSTOMERS[0])
    line = LineItem(description="Service", quantity=1, unit_price=Money("10.00", EUR))
    app.draft("D-1", customer_id="C-1", lines=[line], actor=ANNA, on=START)
    app.step("D-1", Command.SUBMIT, actor=ANNA, on=START)
    reviewed = app.step("D-1", Command.APPROVE, actor=BEN, on=START)
    with pytest.raises(PermissionDeniedError):
        app.send("D-1", actor=BEN, on=START)
    assert app.invoices() == [reviewed]
    assert app.sequence().next_number == "RE-2026-0001"
    app.db.close()


def test_the_command_line_prints_the_quarter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m billing_app DATABASE` runs the quarter into the file and prints it."""
    main([str(tmp_path / "quarter.db")])
    printed = capsys.readouterr().out
    assert "C-4-1    RE-2026-0004  DUNNED" in printed
    assert "C-4 Mahnung zu 2 Rechnungen" in printed  # RE-2026-0005 and its sibling
    assert "B-0010 2026-02-14 50.00 EUR from 'Unbekannt': not matched" in printed
    assert (tmp_path / "quarter.db").stat().st_size > 0
