"""Simulating the dunning of one invoice over time, as an immutable :class:`Schedule`.

:func:`simulate` plays the role of a daily (or weekly, …) dunning run: on every
``every``-th day from the invoice's due date (or from a pre-due reminder's
trigger, when the first stage has one) up to ``until`` it asks
:func:`~dunlib.dunning.engine.next_dunning_action` what to do and applies the answer as
:func:`~dunlib.dunning.issuing.book_stage` books it, every document as sent on its day (see
below for stages sent after approval or by hand). Events (pause, resume, payments and credit
notes: :mod:`dunlib.analytics.whatif`) are applied at the start of their day, before that day's
run (or the next run after it, when runs are more than a day apart), through the same
booking path as the real operations. An :class:`~dunlib.dunning.actions.Escalate` ends the
simulation: what follows is the caller's business.

**Approval and manual stages.** A simulation is a what-if: it models every document the
engine decides as sent on its day. A stage sent after approval is modelled as approved
that day and sent by the automatic run; a stage sent by hand (dispatch MANUAL) as sent
that day by a person (:data:`~dunlib.analytics.whatif.WHAT_IF_ACCOUNTANT`, id ``"what-if"``, as
for simulated credit notes: a what-if plays the people too). Both are booked through the
same private path as :func:`dunlib.send_letter` books an approved notice, with the same
checks otherwise; :func:`dunlib.record_stage` itself refuses them, since outside a
what-if they go through the letter's life in :mod:`dunlib.portfolio.prepared`. The engine's
decisions are the same as for any other stage.

The result equals running the engine by hand on those days; days on which the
engine's answer cannot change (before a known trigger date, with no event in
between) are skipped without being evaluated.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, assert_never, overload

import attrs

from dunlib.analytics._frames import (
    Column,
    Kind,
    amount_scale,
    html_table,
    pandas_frame,
    polars_frame,
)
from dunlib.analytics.whatif import (
    WHAT_IF_ACCOUNTANT,
    WHAT_IF_AUTHORITY,
    WhatIfEvent,
    apply_what_if,
    checked_events,
    describe_event,
)
from dunlib.core.dates import add_days, as_date, days_between
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, sum_money
from dunlib.core.records import IssuedStage
from dunlib.dunning.accounts import CustomerAccount, account_for
from dunlib.dunning.actions import Escalate, IssueStage, NoAction
from dunlib.dunning.engine import next_dunning_action
from dunlib.dunning.issuing import book_stage
from dunlib.dunning.stages import DispatchMode, DunningRules, StageKind, TriggerBasis
from dunlib.workflow.policy import AUTOMATIC

if TYPE_CHECKING:
    import pandas
    import polars
    from matplotlib.figure import Figure

__all__ = ["Schedule", "ScheduleEntry", "simulate"]


@attrs.frozen(kw_only=True)
class ScheduleEntry:
    """One dunning document of a simulated schedule.

    ``on`` is the document's date, ``level`` its dunning level (from 1),
    ``stage_number`` the stage's position in the rules, ``kind`` reminder or
    notice, ``fee`` what it charged, ``due_date`` its own payment deadline,
    ``open_amount`` what was owed once it was sent and ``interest`` the default interest it
    claimed (zero when its stage claims none; left out, zero in the fee's currency).
    """

    on: _dt.date
    level: int
    stage_number: int
    kind: StageKind
    fee: Money
    due_date: _dt.date
    open_amount: Money
    interest: Money = attrs.field(
        default=attrs.Factory(lambda entry: Money.zero(entry.fee.currency), takes_self=True)
    )

    @classmethod
    def from_action(cls, action: IssueStage) -> ScheduleEntry:
        """The entry for an issued stage."""
        return cls(
            on=action.on,
            level=action.level,
            stage_number=action.stage_number,
            kind=action.kind,
            fee=action.fee,
            due_date=action.due_date,
            open_amount=action.open_amount,
            interest=action.interest,
        )


@attrs.frozen(kw_only=True)
class Schedule(Sequence[ScheduleEntry]):
    """The outcome of :func:`simulate`: the documents it issued, in order.

    Iterating (and indexing) gives the :class:`ScheduleEntry` values. ``earlier``
    are the documents the invoice had before the simulation started. ``events``
    are the what-if events applied (pauses, resumes, payments, credit notes),
    ``escalation`` the escalation reached (None when none was), ``invoice`` the invoice
    at the end and ``start``, ``until`` and ``every`` the runs that were simulated.

    ``str()`` is a table; in a notebook the schedule shows as an HTML table
    (``_repr_html_``); :meth:`to_pandas` and :meth:`to_polars` give one row per entry
    (the columns and their types are in docs/analytics.md) and :meth:`plot` draws its
    timeline.
    """

    entries: tuple[ScheduleEntry, ...]
    earlier: tuple[IssuedStage, ...]
    events: tuple[WhatIfEvent, ...]
    escalation: Escalate | None
    invoice: Invoice
    start: _dt.date
    until: _dt.date
    every: int

    def __iter__(self) -> Iterator[ScheduleEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    @overload
    def __getitem__(self, index: int) -> ScheduleEntry: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[ScheduleEntry, ...]: ...
    def __getitem__(self, index: int | slice) -> ScheduleEntry | tuple[ScheduleEntry, ...]:
        return self.entries[index]

    @property
    def fees(self) -> Money:
        """The fees of the documents issued in the simulation."""
        return sum_money((entry.fee for entry in self.entries), self.invoice.currency)

    def rows(self) -> tuple[tuple[str, ...], ...]:
        """The table's rows, header first, in date order (documents, events, escalation)."""
        rows: list[tuple[_dt.date, int, int, tuple[str, ...]]] = []
        for index, notice in enumerate(self.earlier):
            cells = (
                notice.on.isoformat(),
                "sent before",
                str(notice.level),
                str(notice.fee),
                notice.due_date.isoformat(),
                "",
            )
            rows.append((notice.on, -1, index, cells))
        for index, event in enumerate(self.events):
            what = describe_event(event)
            rows.append((event.on, 0, index, (event.on.isoformat(), what, "", "", "", "")))
        for index, entry in enumerate(self.entries):
            cells = (
                entry.on.isoformat(),
                f"{entry.kind.value} (stage {entry.stage_number})",
                str(entry.level),
                str(entry.fee),
                entry.due_date.isoformat(),
                str(entry.open_amount),
            )
            rows.append((entry.on, 1, index, cells))
        if self.escalation is not None:
            up = self.escalation
            cells = (
                up.on.isoformat(),
                f"escalate: {up.escalation.value}",
                str(up.level),
                "",
                "",
                str(up.open_amount),
            )
            rows.append((up.on, 2, 0, cells))
        rows.sort(key=lambda row: row[:3])
        header = ("date", "what", "level", "fee", "due", "open")
        return (header, *(row[3] for row in rows))

    def __str__(self) -> str:
        rows = self.rows()
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        right = {2, 3, 5}

        def line(row: tuple[str, ...]) -> str:
            cells = (
                cell.rjust(width) if i in right else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
            return "  ".join(cells).rstrip()

        title = (
            f"Dunning schedule of {self.invoice.number or self.invoice.id} "
            f"(due {self.invoice.due_date.isoformat()}), runs every {self.every} day(s) "
            f"from {self.start.isoformat()} to {self.until.isoformat()}"
        )
        rule = "  ".join("-" * width for width in widths)
        return "\n".join([title, line(rows[0]), rule, *(line(row) for row in rows[1:])])

    # -- notebooks: HTML, frames, plot ---------------------------------------------------

    def _repr_html_(self) -> str:
        """The table as HTML (what a notebook shows), every text escaped."""
        rows = self.rows()
        invoice = self.invoice
        caption = (
            f"Dunning schedule of {invoice.number or invoice.id} for {invoice.customer.name} "
            f"(due {invoice.due_date.isoformat()}), runs every {self.every} day(s) "
            f"from {self.start.isoformat()} to {self.until.isoformat()}"
        )
        return html_table(
            css_class="dunlib-schedule",
            caption=caption,
            header=rows[0],
            rows=rows[1:],
            right=(2, 3, 5),
        )

    def _frame_columns(self) -> tuple[Column, ...]:
        """The columns of :meth:`to_pandas` and :meth:`to_polars`: one row per entry."""
        invoice = self.invoice
        count = len(self.entries)
        return (
            Column("invoice_id", Kind.TEXT, (invoice.id,) * count),
            Column("invoice_number", Kind.TEXT, (invoice.number,) * count),
            Column("customer_id", Kind.TEXT, (invoice.customer.id,) * count),
            Column("on", Kind.DATE, tuple(e.on for e in self.entries)),
            Column("level", Kind.INT, tuple(e.level for e in self.entries)),
            Column("stage_number", Kind.INT, tuple(e.stage_number for e in self.entries)),
            Column("kind", Kind.TEXT, tuple(e.kind.value for e in self.entries)),
            Column("fee", Kind.AMOUNT, tuple(e.fee.amount for e in self.entries)),
            Column("due_date", Kind.DATE, tuple(e.due_date for e in self.entries)),
            Column("open_amount", Kind.AMOUNT, tuple(e.open_amount.amount for e in self.entries)),
            Column("currency", Kind.TEXT, (invoice.currency,) * count),
        )

    def to_pandas(self) -> pandas.DataFrame:
        """One row per entry as a pandas frame (extra ``dunlib[pandas]``): dates as
        :class:`datetime.date`, amounts (``fee``, ``open_amount``) as exact
        :class:`~decimal.Decimal` values, never floats."""
        return pandas_frame(self._frame_columns())

    def to_polars(self) -> polars.DataFrame:
        """One row per entry as a polars frame (extra ``dunlib[polars]``): ``pl.Date`` and
        ``pl.Decimal`` with the currency's decimal places, never floats."""
        return polars_frame(self._frame_columns(), scale=amount_scale([self.invoice.currency]))

    def plot(self) -> Figure:
        """The invoice's timeline as a matplotlib figure (extra ``dunlib[plot]``; see
        :func:`dunlib.analytics.timeline`); the figure is returned, never shown."""
        from dunlib.analytics.plots import timeline

        return timeline([self])


def _events(events: Any, invoice: Invoice) -> tuple[WhatIfEvent, ...]:
    last = invoice.history[-1].on if invoice.history else invoice.issue_date
    return checked_events(events, last, "simulate.events")


def _rules_for(
    rules: DunningRules | Callable[[Invoice], DunningRules], invoice: Invoice
) -> DunningRules:
    """The rules for ``invoice`` as it stands: ``rules`` itself, or what the rules function
    gives for it (checked)."""
    if isinstance(rules, DunningRules):
        return rules
    chosen = rules(invoice)
    if not isinstance(chosen, DunningRules):
        raise InvalidTypeError(
            f"simulate.rules({invoice.known_as!r})",
            chosen,
            "DunningRules from the rules function",
        )
    return chosen


def _start(invoice: Invoice, rules: DunningRules) -> _dt.date:
    start = invoice.due_date
    for stage in rules.stages:  # a courtesy stage may fire before the due date
        if stage.active and stage.basis is TriggerBasis.BEFORE_DUE_DATE:
            start = min(start, add_days(invoice.due_date, -stage.days_overdue))
        elif stage.active and stage.basis is TriggerBasis.ISSUE_DATE:
            start = min(start, add_days(invoice.issue_date, stage.days_overdue))
    start = max(start, invoice.issue_date)
    if invoice.history:  # runs never go back before what already happened
        start = max(start, invoice.history[-1].on)
    return start


def simulate(
    invoice: Invoice,
    rules: DunningRules | Callable[[Invoice], DunningRules],
    until: _dt.date,
    *,
    events: Sequence[WhatIfEvent] = (),
    every: int = 1,
    account: CustomerAccount | None = None,
) -> Schedule:
    """Run the dunning of ``invoice`` every ``every`` days up to ``until`` (inclusive).

    ``rules`` are the DunningRules, or a function ``Invoice -> DunningRules`` as
    :func:`~dunlib.portfolio.run.plan` takes: it is asked on every run day for the invoice as it
    stands that day (after the day's events and the documents issued before), as a daily
    run would ask it.

    Runs start on the invoice's due date (earlier when the first stage is an
    active pre-due reminder, but never before the issue date), or on the day of the
    invoice's last history entry when that is later: history never goes back. ``events``
    (:data:`~dunlib.analytics.whatif.WhatIfEvent`: pauses, resumes, payments, credit notes) must be
    in date order, none before the invoice's last step; each is booked at the start of its
    day as :mod:`dunlib.analytics.whatif` describes, and those after ``until`` (or after an
    escalation) are not applied. Returns the :class:`Schedule` of documents issued.

    ``account`` is the customer's :class:`~dunlib.dunning.accounts.CustomerAccount`, read on every
    run day as the engine reads it: its dated changes (dunning or fees switched, holds,
    credit), those ahead of the start included, take effect on their days. Holds on the
    invoice take effect as they are dated.

    Every document is modelled as sent on its day: one whose stage is sent after approval
    as approved that day and sent by the automatic run, one whose stage is sent by hand as
    sent by a person (:data:`~dunlib.analytics.whatif.WHAT_IF_ACCOUNTANT`), both booked through the
    private path :func:`dunlib.send_letter` uses (see the module docs); the engine decides
    as always.
    """
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("simulate.invoice", invoice, "an Invoice")
    if not isinstance(rules, DunningRules) and not callable(rules):
        raise InvalidTypeError(
            "simulate.rules", rules, "a DunningRules or a function Invoice -> DunningRules"
        )
    end = as_date(until, "simulate.until")
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise InvalidValueError("simulate.every", every, "a whole number of days >= 1")
    account_for(account, invoice, "simulate")
    pending = list(_events(events, invoice))
    start = _start(invoice, _rules_for(rules, invoice))
    earlier = invoice.issued_stages

    entries: list[ScheduleEntry] = []
    applied: list[WhatIfEvent] = []
    escalation: Escalate | None = None
    day = start
    while day <= end:
        while pending and pending[0].on <= day:
            event = pending.pop(0)
            invoice = apply_what_if(invoice, event)
            applied.append(event)
        action = next_dunning_action(
            invoice, _rules_for(rules, invoice), today=day, account=account
        )
        match action:
            case IssueStage():
                invoice = _as_sent(invoice, action)
                entries.append(ScheduleEntry.from_action(action))
                target = add_days(day, 1)
            case Escalate():
                escalation = action
                break
            case NoAction():
                target = action.next_on or _dt.date.max
            case _:
                assert_never(action)
        if pending:
            target = min(target, pending[0].on)
        if target == _dt.date.max:
            break
        day = _next_run(start, every, max(target, add_days(day, 1)))
    return Schedule(
        entries=tuple(entries),
        earlier=earlier,
        events=tuple(applied),
        escalation=escalation,
        invoice=invoice,
        start=start,
        until=end,
        every=every,
    )


def _as_sent(invoice: Invoice, action: IssueStage) -> Invoice:
    """``invoice`` with ``action`` booked as a what-if models it (see the module docs): sent
    on its day, approved that day when its stage is sent after approval, by the automatic
    run, or by :data:`~dunlib.analytics.whatif.WHAT_IF_ACCOUNTANT` when its stage is sent by
    hand."""
    manual = action.dispatch is DispatchMode.MANUAL
    actor = WHAT_IF_ACCOUNTANT if manual else AUTOMATIC
    return book_stage(invoice, action, actor=actor, authority=WHAT_IF_AUTHORITY, approved=True)


def _next_run(start: _dt.date, every: int, earliest: _dt.date) -> _dt.date:
    """The first run day (start + k x every) on or after ``earliest``."""
    steps = -(-days_between(start, earliest) // every)
    return add_days(start, steps * every)
