"""The daily run on a Dask cluster: plan over JSON-lines partitions (docs/dask.md).

Each file matching a pattern holds one invoice document (dunlib.io.serialize.to_json) a line
and is one partition of a Dask bag; each worker reads its invoices, runs dunlib.plan with
the rules of each invoice's currency and sends the decisions back. Needs the ``dask`` extra
(``python -m pip install ".[dask]"`` from a clone of dunlib), and this module importable on
the workers.
"""

from __future__ import annotations

import datetime as dt

import dask.bag as db

from dunlib import Decision, DunningRules, Invoice, plan
from dunlib.io.serialize import from_json


def plan_partition(
    lines: list[str], rules: dict[str, DunningRules], today: dt.date
) -> list[Decision]:
    """The decisions of one partition: each line an invoice's JSON document."""
    invoices = (from_json(line, Invoice) for line in lines)
    return list(plan(invoices, lambda invoice: rules[invoice.currency], today=today))


def daily_run(pattern: str, rules: dict[str, DunningRules], today: dt.date) -> list[Decision]:
    """The decisions of the whole portfolio (files matching ``pattern``), in file order,
    computed on the scheduler of the active ``dask.distributed.Client``."""
    bag = db.read_text(pattern, blocksize=None)  # type: ignore[no-untyped-call]
    decisions: list[Decision] = bag.map_partitions(plan_partition, rules, today).compute()
    return decisions
