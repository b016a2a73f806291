"""The Dask recipe of docs/dask.md: plan over partitions of a portfolio on a local cluster of
worker processes decides exactly as one plan in one process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from dask.distributed import Client, LocalCluster

from dask_daily_run import daily_run
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    DunningRules,
    DunningStage,
    Invoice,
    Money,
    Payment,
    StageKind,
    plan,
    record_payment,
    record_stages,
)
from dunlib.io.serialize import to_json

TODAY = dt.date(2026, 6, 1)
RULES = {
    code: DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=14),
            DunningStage(StageKind.REMINDER, days_overdue=7),
            DunningStage(StageKind.NOTICE, days_overdue=7, fee=Money("5.00", code)),
        )
    )
    for code in ("EUR", "CHF")
}


def _rules_for(invoice: Invoice) -> DunningRules:
    return RULES[invoice.currency]


def _portfolio(size: int) -> list[Invoice]:
    """``size`` invoices of four per customer, one in five in CHF, issued over 70 days, one
    in twenty partly paid, one in three dunned by an earlier run where due."""
    invoices = []
    for n in range(size):
        code = "CHF" if n // 4 % 5 == 0 else "EUR"
        issued = TODAY - dt.timedelta(days=n % 70)
        invoice = Invoice.sent(
            number=f"RE-{n:06d}",
            customer=Customer(id=f"C-{n // 4}", name=f"Customer {n // 4}"),
            gross=Money(Decimal(100 + n % 900), code),
            issue_date=issued,
        )
        if n % 20 == 0:
            paid = Payment(on=issued + dt.timedelta(days=1), amount=Money(50, code))
            invoice = record_payment(invoice, paid, actor=AUTOMATIC, authority=Authority()).invoice
        invoices.append(invoice)
    earlier = TODAY - dt.timedelta(days=10)
    dunned = [i for n, i in enumerate(invoices) if n % 3 == 0]
    return list(
        record_stages(
            invoices,
            plan(dunned, _rules_for, today=earlier),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    )


def test_plan_on_a_cluster_of_two_worker_processes_equals_plan_in_one_process(
    tmp_path: Path,
) -> None:
    """The recipe of docs/dask.md over 20 000 invoices in 8 JSON-lines files, on a local cluster of
    two worker processes: the decisions come back equal to one plan's, in order."""
    invoices = _portfolio(20_000)
    expected = list(plan(invoices, _rules_for, today=TODAY))
    assert 0 < len(expected) < len(invoices)
    size = len(invoices) // 8
    for part in range(8):
        lines = (to_json(i) for i in invoices[part * size : (part + 1) * size])
        (tmp_path / f"part-{part}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        workers = set(client.run(os.getpid).values())
        decisions = daily_run(str(tmp_path / "part-*.jsonl"), RULES, TODAY)
    assert len(workers) == 2
    assert os.getpid() not in workers
    assert decisions == expected


def test_importing_dunlib_does_not_import_dask() -> None:
    """dask is an optional extra: importing dunlib leaves it alone."""
    code = "import sys, dunlib; print('dask' in sys.modules, 'distributed' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
