"""The daily run over a store: wake what is due, decide, book, and write it back per customer.

:func:`run_day` selects the customers with an invoice whose wake-up day
(:func:`dunlib.dunning.wakes_on`) is on or before the day, and for each such customer decides
over all of its receivable invoices at once, as :func:`dunlib.plan` over the whole portfolio
would: its account, credit netting, the customer minimum, its letters on their way and one
letter per currency all span the customer. Per customer, in one transaction:

1. letters on their way whose invoices changed are superseded
   (:func:`dunlib.portfolio.supersede_letters`);
2. :func:`dunlib.plan` decides (``explain``), :func:`dunlib.customer_minimum` holds back
   what is below the store's minimums, :func:`dunlib.group_letters` makes the letters;
3. a letter sent automatically is booked (:func:`dunlib.record_stages`) and put in the
   outbox; one that needs approval or a person is prepared
   (:func:`dunlib.prepare_letter`) and kept with the letters; an escalation due is
   recorded (:func:`dunlib.record_escalation`);
4. every invoice of the customer gets its new wake-up day, and what changed is written over
   the rows read (row versions checked: a row changed meanwhile makes the customer's
   transaction roll back and the customer decided afresh).

Running a day again books nothing new: the invoices already carry what the first run booked,
so the engine finds nothing due, and the outbox and letters are keyed by what they hold. A
crash anywhere leaves each customer as before or after its transaction; the rerun finishes
the rest. Two runners on one database decide the same customers; the second to write finds
the rows moved, reads them afresh and finds nothing left to do.

Wake-up days: an invoice held by a letter on its way wakes when the letter moves (the store's
letter operations recompute it); one held back by the customer minimum wakes when another of
the customer's invoices in that currency falls due; every other receivable invoice wakes as
:func:`~dunlib.dunning.wakes_on` says with the customer's credit taken as zero (credit is
netted across the customer's invoices and only holds an invoice back, so the day without it
is never later).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from dunlib.core.errors import InvalidTypeError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.dunning.actions import Escalate, NoAction, NoActionReason
from dunlib.dunning.decisions import Decision, group_letters
from dunlib.dunning.escalation import record_escalation
from dunlib.dunning.stages import DispatchMode, DunningRules
from dunlib.io.serialize import from_json, to_json
from dunlib.portfolio.prepared import LetterSent, PreparedLetter, prepare_letter, supersede_letters
from dunlib.portfolio.run import customer_minimum, plan, record_stages
from dunlib.store import schema
from dunlib.store.errors import ConflictError
from dunlib.store.rows import (
    ATTEMPTS,
    BATCH,
    ONE_DAY,
    CustomerRows,
    Lost,
    Outcome,
    Settings,
    after,
    letter_row,
    outbox_row,
    pairs_of,
    read_customers,
    row_key,
    wakes,
    write_outcome,
    writing,
)
from dunlib.workflow.policy import AUTOMATIC, Actor, Authority

__all__ = ["RunSummary", "letter_moved", "run_day"]


@attrs.frozen(kw_only=True)
class RunSummary:
    """What a run of ``day`` did: ``customers`` woken, ``invoices`` decided over, ``letters``
    put in the outbox, ``prepared`` letters kept for approval, ``escalated`` invoices,
    ``superseded`` letters, ``retried`` customers decided afresh after losing a race."""

    day: _dt.date
    customers: int = 0
    invoices: int = 0
    letters: int = 0
    prepared: int = 0
    escalated: int = 0
    superseded: int = 0
    retried: int = 0

    def counts(self) -> dict[str, int]:
        """The counts by name, for the run journal."""
        return {k: v for k, v in attrs.asdict(self).items() if k != "day"}


def _decide(
    read: CustomerRows,
    customer: str,
    day: _dt.date,
    rules: DunningRules,
    minimums: Sequence[Money],
    tenant: str,
    actor: Actor,
    authority: Authority,
) -> Outcome:
    """Decide one customer's day (steps 1 to 3 of the module docs), without writing."""
    outcome = Outcome()
    invoices = [invoice for invoice, _ in read.invoices]
    letters = [letter for _, letter, _ in read.letters]
    fresh = supersede_letters(letters, invoices, actor=actor, on=day, authority=authority)
    for (key, old, version), new in zip(read.letters, fresh, strict=True):
        if new is not old:
            outcome.letters.append(letter_row(key, new, version))
            outcome.counts["superseded"] += 1
    accounts = None if read.account is None else {customer: read.account}
    decisions: Sequence[Decision] = tuple(
        plan(invoices, rules, today=day, explain=True, accounts=accounts, waiting=fresh)
    )
    if minimums:
        decisions = customer_minimum(decisions, minimums, today=day)
    for decision in decisions:
        action = decision.action
        if isinstance(action, NoAction) and action.reason is NoActionReason.BELOW_CUSTOMER_MINIMUM:
            later = [
                i.due_date + ONE_DAY
                for i in invoices
                if i.currency == decision.invoice.currency and i.due_date >= day
            ]
            outcome.below[decision.invoice.id] = min(later, default=None)
        if isinstance(action, Escalate):
            outcome.invoices[action.invoice_id] = record_escalation(
                decision.invoice, action, actor=actor, authority=authority
            )
            outcome.counts["escalated"] += 1
    for letter in group_letters(decisions):
        pairs = pairs_of(letter)
        key = row_key(day, customer, letter.currency, pairs)
        if letter.dispatch is DispatchMode.AUTOMATIC:
            booked = record_stages(
                [d.invoice for d in letter.decisions],
                letter.decisions,
                actor=actor,
                authority=authority,
            )
            outcome.invoices.update((invoice.id, invoice) for invoice in booked)
            outcome.outbox.append(outbox_row(key, customer, day, letter, pairs, tenant))
            outcome.counts["letters"] += 1
        else:
            prepared = prepare_letter(letter, actor=actor, authority=authority)
            # keyed by its content too: a letter superseded the same day is prepared anew
            again = row_key(key, to_json(prepared))
            outcome.letters.append(letter_row(again, prepared, None))
            outcome.counts["prepared"] += 1
    return outcome


def run_day(
    engine: sa.Engine,
    settings: Settings,
    day: _dt.date,
    *,
    runner: str = "dunlib",
    actor: Actor = AUTOMATIC,
    authority: Authority | None = None,
    clock: Callable[[], str],
    progress: Callable[[int, int], None] | None = None,
) -> RunSummary:
    """Run ``day`` over ``store`` (see the module docs); ``clock`` gives the journal's
    timestamps, ``progress`` is told (done, total) customers as the run goes."""
    authority = Authority() if authority is None else authority
    rules, minimums, tenant = settings.rules, settings.minimums, settings.tenant
    with writing(engine, None) as connection:
        started = clock()
        inserted = connection.execute(
            schema.runs.insert().values(day=day, runner=runner, started=started)
        ).inserted_primary_key
        run_id = int(inserted[0]) if inserted is not None else 0
    # The customers woken, made distinct and sorted here: with DISTINCT and ORDER BY in the
    # query, SQLite walks the customer index over the whole portfolio instead of the wake-up
    # days' index over what wakes (about 1.5 s a day at 1M invoices).
    with engine.connect() as connection:
        waking = connection.execute(
            sa.select(schema.invoices.c.customer).where(
                schema.invoices.c.wake_on <= day, schema.invoices.c.receivable
            )
        ).scalars()
        customers = sorted({str(customer) for customer in waking})
    counts: dict[str, int] = defaultdict(int)
    counts["customers"] = len(customers)
    done = 0
    for batch in _slices(customers, BATCH):
        with engine.connect() as connection:
            reads = read_customers(connection, batch)
        for customer in batch:
            read = reads[customer]
            for _ in range(ATTEMPTS):
                outcome = _decide(read, customer, day, rules, minimums, tenant, actor, authority)
                woken = wakes(after(outcome, read), rules, day + ONE_DAY, outcome.below)
                try:
                    with writing(engine, customer) as connection:
                        write_outcome(connection, read, outcome, woken)
                except Lost:
                    counts["retried"] += 1
                    with engine.connect() as connection:
                        read = read_customers(connection, [customer])[customer]
                    continue
                break
            else:
                raise ConflictError("customer", customer, ATTEMPTS)
            counts["invoices"] += len(read.invoices)
            for name, count in outcome.counts.items():
                counts[name] += count
            done += 1
            if progress is not None:
                progress(done, len(customers))
    summary = RunSummary(day=day, **counts)
    with writing(engine, None) as connection:
        connection.execute(
            schema.runs.update()
            .where(schema.runs.c.id == run_id)
            .values(finished=clock(), counts=json.dumps(summary.counts(), sort_keys=True))
        )
        next_day = connection.execute(
            sa.select(schema.meta.c.value).where(schema.meta.c.key == "next_day")
        ).scalar_one()
        if not next_day or _dt.date.fromisoformat(next_day) <= day:
            connection.execute(
                schema.meta.update()
                .where(schema.meta.c.key == "next_day")
                .values(value=(day + ONE_DAY).isoformat())
            )
    return summary


def _slices(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def letter_moved(
    engine: sa.Engine,
    settings: Settings,
    row: Any,
    move: Callable[[PreparedLetter, tuple[Invoice, ...]], PreparedLetter | LetterSent],
) -> PreparedLetter:
    """Apply ``move`` to the stored letter ``row`` and write what it did (see
    :meth:`dunlib.store.Store.move_letter`); raises Lost when a row moved meanwhile."""
    with engine.connect() as connection:
        read = read_customers(connection, [row.customer])[row.customer]
    letter = from_json(row.document, PreparedLetter)
    moved = move(letter, tuple(invoice for invoice, _ in read.invoices))
    outcome = Outcome()
    if isinstance(moved, LetterSent):
        outcome.invoices.update((invoice.id, invoice) for invoice in moved.invoices)
        sent = moved.letter
        grouped = sent.letter
        pairs = pairs_of(grouped)
        key = row_key(sent.steps[-1].on, row.customer, row.currency, pairs)
        outcome.outbox.append(
            outbox_row(key, row.customer, sent.steps[-1].on, grouped, pairs, settings.tenant)
        )
    else:
        sent = moved
    if not isinstance(sent, PreparedLetter):
        raise InvalidTypeError(
            "Store.move_letter.move", sent, "a move that returns a PreparedLetter or LetterSent"
        )
    outcome.letters.append(letter_row(row.key, sent, row.version))
    woken = wakes(after(outcome, read), settings.rules, settings.next_day)
    with writing(engine, row.customer) as connection:
        write_outcome(connection, read, outcome, woken)
    return sent
