"""Two rule sets side by side: "what if we waited 10 days instead of 14?".

:func:`compare` simulates one invoice under two dunning rule sets with the same events and
runs (:func:`dunlib.simulate`) and pairs the documents by level. A :class:`Comparison`
prints as a table (one row per level reached under either rule set, the day each was
issued, its kind and fee, and how many days later or earlier the second rule set issues
it), shows as HTML in a notebook, exports to pandas and polars (one row per level) and
plots both timelines one above the other.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import attrs

from dunlib.analytics._frames import (
    Column,
    Kind,
    amount_scale,
    html_table,
    pandas_frame,
    polars_frame,
)
from dunlib.analytics.schedule import Schedule, ScheduleEntry, simulate
from dunlib.analytics.whatif import WhatIfEvent
from dunlib.core import validate as v
from dunlib.core.dates import days_between
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.dunning.accounts import CustomerAccount
from dunlib.dunning.stages import DunningRules

if TYPE_CHECKING:
    import pandas
    import polars
    from matplotlib.figure import Figure

__all__ = ["Comparison", "compare"]


def _labels(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        not isinstance(value, tuple)
        or len(value) != 2
        or not all(isinstance(label, str) and label.strip() for label in value)
        or value[0] == value[1]
    ):
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "two different non-empty texts"
        )


def _shift(a: ScheduleEntry | None, b: ScheduleEntry | None) -> int | None:
    return None if a is None or b is None else days_between(a.on, b.on)


def _shift_text(days: int | None) -> str:
    if days is None:
        return ""
    return "same day" if days == 0 else f"{days:+d} days"


@attrs.frozen(kw_only=True)
class Comparison:
    """One invoice simulated under two rule sets: schedule ``a`` and schedule ``b``, named
    by ``labels`` (by default "A" and "B")."""

    a: Schedule = attrs.field(validator=v.of_type(Schedule, expected="a Schedule"))
    b: Schedule = attrs.field(validator=v.of_type(Schedule, expected="a Schedule"))
    labels: tuple[str, str] = attrs.field(default=("A", "B"), validator=_labels)

    def __attrs_post_init__(self) -> None:
        if self.a.invoice.id != self.b.invoice.id:
            raise InvalidValueError(
                "Comparison.b",
                self.b.invoice.id,
                f"a schedule of invoice {self.a.invoice.known_as}",
            )

    def pairs(self) -> tuple[tuple[int, ScheduleEntry | None, ScheduleEntry | None], ...]:
        """``(level, entry under a, entry under b)`` for every level either issued (None
        where one did not)."""
        first = {entry.level: entry for entry in self.a}
        second = {entry.level: entry for entry in self.b}
        return tuple(
            (level, first.get(level), second.get(level)) for level in sorted({*first, *second})
        )

    def rows(self) -> tuple[tuple[str, ...], ...]:
        """The table's rows, header first: one per level, then the escalation if any."""
        one, two = self.labels
        header: tuple[str, ...] = ("level", f"{one}: date", f"{one}: what", f"{one}: fee")
        header += (f"{two}: date", f"{two}: what", f"{two}: fee", "shift")

        def cells(entry: ScheduleEntry | None) -> tuple[str, str, str]:
            if entry is None:
                return ("", "", "")
            return (entry.on.isoformat(), entry.kind.value, str(entry.fee))

        rows = [header]
        for level, a, b in self.pairs():
            rows.append((str(level), *cells(a), *cells(b), _shift_text(_shift(a, b))))
        ups = (self.a.escalation, self.b.escalation)
        if any(up is not None for up in ups):

            def up_cells(index: int) -> tuple[str, str, str]:
                up = ups[index]
                if up is None:
                    return ("", "", "")
                return (up.on.isoformat(), f"escalate: {up.escalation.value}", "")

            first, second = ups
            shift = None
            if first is not None and second is not None:
                shift = days_between(first.on, second.on)
            rows.append(("", *up_cells(0), *up_cells(1), _shift_text(shift)))
        return tuple(rows)

    def summary(self) -> tuple[str, ...]:
        """Lines below the table: fees charged and the amount open at the end, per rule set."""
        lines = []
        for label, schedule in zip(self.labels, (self.a, self.b), strict=True):
            last = schedule.entries[-1].on.isoformat() if schedule.entries else "-"
            lines.append(
                f"{label}: {len(schedule)} document(s), last on {last}, fees {schedule.fees}, "
                f"open at the end {schedule.invoice.open_amount}"
            )
        return tuple(lines)

    def _title(self) -> str:
        invoice = self.a.invoice
        return (
            f"{self.labels[0]} vs {self.labels[1]}: dunning of "
            f"{invoice.number or invoice.id} (due {invoice.due_date.isoformat()}) "
            f"until {self.a.until.isoformat()}"
        )

    def __str__(self) -> str:
        rows = self.rows()
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        right = {0, 3, 6, 7}

        def line(row: tuple[str, ...]) -> str:
            return "  ".join(
                cell.rjust(width) if i in right else cell.ljust(width)
                for i, (cell, width) in enumerate(zip(row, widths, strict=True))
            ).rstrip()

        rule = "  ".join("-" * width for width in widths)
        body = [line(row) for row in rows[1:]]
        return "\n".join([self._title(), line(rows[0]), rule, *body, *self.summary()])

    def _repr_html_(self) -> str:
        """The table as HTML (what a notebook shows), every text escaped."""
        rows = self.rows()
        return html_table(
            css_class="dunlib-comparison",
            caption=f"{self._title()} ({self.a.invoice.customer.name})",
            header=rows[0],
            rows=rows[1:],
            right=(0, 3, 6, 7),
            notes=self.summary(),
        )

    def _columns(self) -> tuple[Column, ...]:
        pairs = self.pairs()
        invoice = self.a.invoice
        columns = [
            Column("invoice_id", Kind.TEXT, (invoice.id,) * len(pairs)),
            Column("level", Kind.INT, tuple(level for level, _, _ in pairs)),
        ]
        for prefix, index in (("a", 1), ("b", 2)):
            chosen: list[Any] = [pair[index] for pair in pairs]
            columns += [
                Column(f"{prefix}_on", Kind.DATE, tuple(e and e.on for e in chosen)),
                Column(f"{prefix}_kind", Kind.TEXT, tuple(e and e.kind.value for e in chosen)),
                Column(f"{prefix}_fee", Kind.AMOUNT, tuple(e and e.fee.amount for e in chosen)),
                Column(f"{prefix}_due_date", Kind.DATE, tuple(e and e.due_date for e in chosen)),
                Column(
                    f"{prefix}_open_amount",
                    Kind.AMOUNT,
                    tuple(e and e.open_amount.amount for e in chosen),
                ),
            ]
        columns.append(
            Column("shift_days", Kind.OPTIONAL_INT, tuple(_shift(a, b) for _, a, b in pairs))
        )
        columns.append(Column("currency", Kind.TEXT, (invoice.currency,) * len(pairs)))
        return tuple(columns)

    def to_pandas(self) -> pandas.DataFrame:
        """One row per level as a pandas frame (extra ``dunlib[pandas]``): ``a_…`` and
        ``b_…`` columns for the two rule sets (None where one issued no such level) and
        ``shift_days`` (b's day minus a's, nullable ``Int64``). Dates as
        :class:`datetime.date`, amounts as :class:`~decimal.Decimal`."""
        return pandas_frame(self._columns())

    def to_polars(self) -> polars.DataFrame:
        """As :meth:`to_pandas`, as a polars frame (extra ``dunlib[polars]``)."""
        return polars_frame(self._columns(), scale=amount_scale([self.a.invoice.currency]))

    def plot(self) -> Figure:
        """Both timelines, ``a`` above ``b`` (extra ``dunlib[plot]``; see
        :func:`dunlib.analytics.timeline`); returned, never shown."""
        from dunlib.analytics.plots import timeline

        invoice = self.a.invoice
        return timeline(
            [self.a, self.b],
            labels=list(self.labels),
            title=f"Dunning of {invoice.number or invoice.id}: "
            f"{self.labels[0]} vs {self.labels[1]}",
        )


def compare(
    invoice: Invoice,
    rules_a: DunningRules,
    rules_b: DunningRules,
    until: _dt.date,
    *,
    events: Sequence[WhatIfEvent] = (),
    every: int = 1,
    labels: Sequence[str] = ("A", "B"),
    account: CustomerAccount | None = None,
) -> Comparison:
    """``invoice`` simulated up to ``until`` under ``rules_a`` and under ``rules_b`` with the
    same ``events``, runs every ``every`` days and customer ``account`` (see
    :func:`dunlib.simulate`), side by side; ``labels`` name the two rule sets."""
    if isinstance(labels, str | bytes) or not isinstance(labels, Sequence):
        raise InvalidTypeError("compare.labels", labels, "two texts")
    names = tuple(labels)
    a = simulate(invoice, rules_a, until, events=events, every=every, account=account)
    b = simulate(invoice, rules_b, until, events=events, every=every, account=account)
    return Comparison(a=a, b=b, labels=names)  # type: ignore[arg-type]
