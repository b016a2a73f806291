"""Time the daily run: plan() against a minimal hand-written loop on the same invoices.

For 10 000, 100 000 and 1 000 000 invoices of the seeded portfolio (benchmarks/portfolio.py,
rules per currency) on its run day, prints the decisions per second of ``plan`` (median
of 5 rounds, the loop and the runs taking turns), with ``explain=True`` too, the ratio of
each to a minimal loop that applies only the seed's trigger rule to the same invoices in
the same run, the ratio of the "nothing today" invoices alone, the cost per invoice at 1M
against 10k, and the peak memory ``plan`` adds to its input (tracemalloc, a run of its
own).

The portfolio has 100 000 distinct invoices, built once; 10k is its first tenth and 1M
is a generator that goes through it ten times. The machine is shared, so absolute figures
are noisy: compare the ratios, which come from the same run.

    .venv/bin/python benchmarks/bench_plan.py
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attrs
from portfolio import RULES, TODAY, minimal_loop, portfolio, rules_for

from dunlib import (
    CustomerAccount,
    DunningRules,
    Hold,
    Invoice,
    IssueStage,
    Money,
    NoAction,
    accrued_interest,
    plan,
)
from dunlib.core.generated import trusted
from dunlib.dunning import AccountChange, AccountChangeKind
from dunlib.dunning.decider import new_escalate as _new_escalate
from dunlib.dunning.decider import new_money as _new_money
from dunlib.portfolio.run import _new_decision

_OWN = ("invoice_id", "level", "fee", "total_gross", "open_amount", "interest", "credit")
"""The fields of an IssueStage the run sets per invoice; the others are the stage's on the
run's day, fixed in the constructor the run makes per stage (``dunlib.dunning.decider._Issued``)."""

RUNS = 5
DISTINCT = 100_000


def source(invoices: list[Invoice], size: int) -> Callable[[], Iterable[Invoice]]:
    """A fresh iterable of ``size`` invoices: a slice of the list, or a generator that goes
    through the list as often as it takes."""
    if size <= len(invoices):
        part = invoices[:size]
        return lambda: part
    rounds = size // len(invoices)
    return lambda: itertools.chain.from_iterable(itertools.repeat(invoices, rounds))


def median_seconds(*works: Callable[[], object]) -> list[float]:
    """The median time of each of ``works`` over RUNS rounds, the works taking turns within
    a round, so that a change in the machine's load touches all of them alike."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(RUNS):
        for work, taken in zip(works, times, strict=True):
            start = time.perf_counter()
            work()
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) for taken in times]


def drain(items: Iterator[object]) -> int:
    count = 0
    for _ in items:
        count += 1
    return count


def peak_bytes(work: Callable[[], object]) -> int:
    """The peak memory allocated while ``work`` runs (tracemalloc)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before, _ = tracemalloc.get_traced_memory()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - before


def where_the_time_goes(invoices: list[Invoice], quiet: list[Invoice]) -> None:
    """Per invoice, over the distinct portfolio: the invoices needing nothing and those
    needing something, by plan and by the loop, and what building the decisions of the
    latter costs alone (the run's own constructors: each stage's parts fixed once, the
    decision's two amounts made, nothing checked), and what calling the rules function for
    every invoice costs alone: the least any run that yields them adds to the loop."""
    decisions = list(plan(invoices, rules_for, today=TODAY))
    busy = [d.invoice for d in decisions]
    builders: dict[tuple[object, ...], Callable[..., IssueStage]] = {}
    stages, escalations = [], []
    for d in decisions:
        action = d.action
        if isinstance(action, IssueStage):
            fixed = {f.name: getattr(action, f.name) for f in attrs.fields(IssueStage)
                     if f.name not in _OWN}  # fmt: skip
            key = tuple(map(id, fixed.values()))
            if key not in builders:
                builders[key] = trusted(IssueStage, **fixed)
            own = [getattr(action, name) for name in _OWN]
            own[3:5] = [(m.amount, m.currency) for m in own[3:5]]  # the run makes these two
            stages.append((d.invoice, builders[key], own))
        else:
            fields = [getattr(action, f.name) for f in attrs.fields(type(action))]
            escalations.append((d.invoice, fields))

    def build() -> None:
        for invoice, builder, (key, level, fee, total, still, interest, credit) in stages:
            stage = builder(
                key, level, fee, _new_money(*total), _new_money(*still), interest, credit
            )
            _new_decision(invoice, stage)
        for invoice, fields in escalations:
            _new_decision(invoice, _new_escalate(*fields))

    def choose() -> None:  # what the rules function costs alone (the loop calls none)
        for invoice in invoices:
            rules_for(invoice)

    loop, run, calm_loop, calm_run, busy_loop, busy_run, made, chosen = (
        seconds * 1e6
        for seconds in median_seconds(
            lambda: minimal_loop(invoices, TODAY),
            lambda: drain(plan(invoices, rules_for, today=TODAY)),
            lambda: minimal_loop(quiet, TODAY),
            lambda: drain(plan(quiet, rules_for, today=TODAY)),
            lambda: minimal_loop(busy, TODAY),
            lambda: drain(plan(busy, rules_for, today=TODAY)),
            build,
            choose,
        )
    )
    calm, some = len(quiet), len(busy)
    print(f"where the time goes, per invoice (of {len(invoices)}, {some} needing something):")
    print(f"  needing nothing:   plan {calm_run / calm:5.2f} us, loop {calm_loop / calm:5.2f} us")
    print(f"  needing something: plan {busy_run / some:5.2f} us, loop {busy_loop / some:5.2f} us, "
          f"building the decision alone {made / some:5.2f} us")  # fmt: skip
    print(f"  the loop plus building the decisions: {(loop + made) / loop:.2f}x the loop; "
          f"plus calling the rules function: {(loop + made + chosen) / loop:.2f}x; "
          f"plan {run / loop:.2f}x")  # fmt: skip


def claiming_interest(rules: DunningRules) -> DunningRules:
    """``rules`` with the last stage (the notice) claiming default interest."""
    stages = rules.stages
    return attrs.evolve(rules, stages=(*stages[:-1], attrs.evolve(stages[-1], claim_interest=True)))


INTEREST_RULES = {code: claiming_interest(rules) for code, rules in RULES.items()}


def interest_rules_for(invoice: Invoice) -> DunningRules:
    """The portfolio's rules with the notice claiming default interest."""
    return INTEREST_RULES[invoice.currency]


def accounts_of(invoices: list[Invoice], every: int) -> dict[str, CustomerAccount]:
    """An account for every customer of ``invoices``: one in ``every`` with changes (fees
    switched off, credit of 10.00 kept, or a dispute on every invoice, in turn), the others
    without any (as an app keeps one per customer)."""
    accounts: dict[str, CustomerAccount] = {}
    day = TODAY - dt.timedelta(days=30)
    for invoice in invoices:
        customer = invoice.customer.id
        if customer in accounts:
            continue
        account = CustomerAccount(customer_id=customer)
        turn = len(accounts)
        if every and turn % every == 0:
            kinds = (AccountChangeKind.FEES_OFF, AccountChangeKind.CREDIT_KEPT,
                     AccountChangeKind.HOLD_PLACED)  # fmt: skip
            kind = kinds[turn // every % 3]
            change = AccountChange(
                on=day,
                kind=kind,
                actor="clerk",
                amount=Money("10.00", invoice.currency) if kind is kinds[1] else None,
                hold=Hold.dispute(on=day, reason="contested") if kind is kinds[2] else None,
            )
            account = attrs.evolve(account, history=(change,))
        accounts[customer] = account
    return accounts


def the_rules_users_write(invoices: list[Invoice]) -> None:
    """Per invoice, over the distinct portfolio: plan with the customers' accounts passed
    (every customer's, without changes; then one in ten with changes) and with the notice
    claiming interest, against plan over the bare ladder in the same rounds, and the
    interest computation itself (``accrued_interest`` for every invoice whose decision
    claims interest); the targets: accounts without changes cost nothing, interest claimed
    within 2x of the bare ladder plus the interest computation."""
    empty, real = accounts_of(invoices, 0), accounts_of(invoices, 10)
    claims = [
        d.invoice
        for d in plan(invoices, interest_rules_for, today=TODAY)
        if isinstance(d.action, IssueStage) and d.action.stage.claim_interest
    ]

    def interest() -> None:
        for invoice in claims:
            accrued_interest(invoice, TODAY)

    bare, blank, some, claimed, both, alone = (
        seconds * 1e6 / len(invoices)
        for seconds in median_seconds(
            lambda: drain(plan(invoices, rules_for, today=TODAY)),
            lambda: drain(plan(invoices, rules_for, today=TODAY, accounts=empty)),
            lambda: drain(plan(invoices, rules_for, today=TODAY, accounts=real)),
            lambda: drain(plan(invoices, interest_rules_for, today=TODAY)),
            lambda: drain(plan(invoices, interest_rules_for, today=TODAY, accounts=real)),
            interest,
        )
    )
    per_call = alone * len(invoices) / max(len(claims), 1)
    floor = bare + alone
    print(f"the rules users write, per invoice (of {len(invoices)}, {len(empty)} customers' "
          f"accounts, {len(claims)} decisions claiming interest):")  # fmt: skip

    def verdict(met: bool) -> str:
        return "met" if met else "not met"

    print(f"  bare ladder:                        {bare:5.2f} us")
    print(f"  accounts without changes:           {blank:5.2f} us, {blank / bare:.2f}x the "
          f"bare ladder (target: nothing added) {verdict(blank <= bare * 1.05)}")  # fmt: skip
    print(f"  accounts, one in ten with changes:  {some:5.2f} us, {some / bare:.2f}x")
    print(f"  interest alone:                     {alone:5.2f} us "
          f"({per_call:.1f} us per accrued_interest call)")  # fmt: skip
    print(f"  notice claiming interest:           {claimed:5.2f} us, {claimed / floor:.2f}x the "
          f"bare ladder plus the interest (target 2x) {verdict(claimed <= 2 * floor)}")  # fmt: skip
    print(f"  interest and accounts:              {both:5.2f} us, {both / floor:.2f}x "
          f"{verdict(both <= 2 * floor)}")  # fmt: skip


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, shared")
    started = time.perf_counter()
    gc.disable()
    invoices = list(portfolio(DISTINCT))
    gc.enable()
    gc.freeze()  # the portfolio lives for the whole run, as an app's loaded invoices do
    print(f"portfolio: {DISTINCT} invoices built in {time.perf_counter() - started:.1f} s")
    if "--users" in sys.argv:  # only the rules users write
        the_rules_users_write(invoices)
        return
    actionable = sum(1 for _ in plan(invoices, rules_for, today=TODAY))
    print(f"actionable on {TODAY}: {actionable / DISTINCT:.1%}")
    quiet = [d.invoice for d in plan(invoices, rules_for, today=TODAY, explain=True)
             if isinstance(d.action, NoAction)]  # fmt: skip
    per_invoice: dict[int, float] = {}
    print()
    print("invoices   plan/s      loop/s      plan:loop  explain/s   explain:loop  quiet:loop")
    for size in (10_000, 100_000, 1_000_000):
        make, calm = source(invoices, size), source(quiet, size)
        loop, run, told, calm_loop, calm_run = median_seconds(
            lambda make=make: minimal_loop(make(), TODAY),
            lambda make=make: drain(plan(make(), rules_for, today=TODAY)),
            lambda make=make: drain(plan(make(), rules_for, today=TODAY, explain=True)),
            lambda calm=calm: minimal_loop(calm(), TODAY),
            lambda calm=calm: drain(plan(calm(), rules_for, today=TODAY)),
        )
        per_invoice[size] = run / size
        print(
            f"{size:>9}  {size / run:>10,.0f}  {size / loop:>10,.0f}  {run / loop:>8.2f}x"
            f"  {size / told:>10,.0f}  {told / loop:>11.2f}x  {calm_run / calm_loop:>9.2f}x"
        )
    print()
    print(f"cost per invoice at 1M / at 10k: {per_invoice[1_000_000] / per_invoice[10_000]:.2f}")
    print()
    where_the_time_goes(invoices, quiet)
    print()
    the_rules_users_write(invoices)
    print()
    print("peak memory plan adds to its input (tracemalloc):")
    for size in (10_000, 100_000, 1_000_000):
        make = source(invoices, size)
        floor = peak_bytes(lambda make=make: drain(iter(make())))
        used = peak_bytes(lambda make=make: drain(plan(make(), rules_for, today=TODAY)))
        kind = "list" if size <= len(invoices) else "generator"
        line = f"{size:>9} ({kind}): input alone {floor / 2**10:.1f} KB, plan +"
        line += f"{(used - floor) / 2**10:.1f} KB"
        if size <= len(invoices):  # tracemalloc slows the explained run of 1M to minutes
            told = peak_bytes(
                lambda make=make: drain(plan(make(), rules_for, today=TODAY, explain=True))
            )
            line += f", explain +{(told - floor) / 2**10:.1f} KB"
        print(line)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
