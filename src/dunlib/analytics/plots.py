"""Pictures of schedules and receivables: dunning timelines and the ageing chart.

Needs the optional extra ``dunlib[plot]`` (matplotlib); without it the functions raise
:class:`~dunlib.core.errors.MissingExtraError` naming the extra. Importing dunlib never
imports matplotlib. Figures are drawn with matplotlib's Agg canvas, returned and never
shown: save one with ``figure.savefig("timeline.png")``, or let a notebook display it.

:func:`timeline` draws one lane per schedule (one invoice, or one invoice under two rule
sets for :meth:`dunlib.analytics.Comparison.plot`): the invoice's due date, each document as a
marker labelled with its kind and level (reminders as circles, notices as squares,
documents sent before the simulation in grey), each document's own due date as a thin
line ending in a tick, pauses as shaded spans, payments (triangles up) and credit notes
(triangles down) with their amounts, and the escalation as a cross.

:func:`ageing_chart` draws an :class:`~dunlib.analytics.receivables.AgeingReport` as stacked bars:
one panel per currency (amounts of two currencies are never drawn on one axis), one bar
per customer (the largest ``top``; the rest as one bar), one segment per bucket.

Amounts are converted to floats for drawing only: a figure is a picture, and every number
it shows as text is written from the exact amount.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from dunlib.analytics._frames import load
from dunlib.core.dates import add_days
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice
from dunlib.core.records import IssuedStage
from dunlib.dunning.actions import Escalate
from dunlib.dunning.stages import StageKind

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "LANE_HEIGHT",
    "MAX_LANES",
    "TIMELINE_WIDTH",
    "Ageing",
    "Lane",
    "ageing_chart",
    "timeline",
]


@runtime_checkable
class Lane(Protocol):
    """What a timeline lane draws: a :class:`~dunlib.analytics.schedule.Schedule` is one (the
    pictures take their inputs by shape, so the reports they draw may import them)."""

    @property
    def invoice(self) -> Invoice:
        """The invoice at the end of the schedule."""

    @property
    def entries(self) -> Sequence[Any]:
        """The stages issued, each with ``on``, ``due_date``, ``kind`` and ``level``."""

    @property
    def earlier(self) -> Sequence[IssuedStage]:
        """The documents sent before the schedule starts."""

    @property
    def escalation(self) -> Escalate | None:
        """The escalation reached, if any."""

    @property
    def until(self) -> _dt.date:
        """The last day simulated."""


@runtime_checkable
class Ageing(Protocol):
    """What the ageing chart draws: an :class:`~dunlib.analytics.receivables.AgeingReport` is
    one."""

    @property
    def today(self) -> _dt.date:
        """The day the report is as of."""

    @property
    def labels(self) -> tuple[str, ...]:
        """The buckets' names, from not yet due to the oldest."""

    @property
    def totals(self) -> tuple[Any, ...]:
        """One total row per currency."""

    def rows_of(self, currency: str) -> tuple[Any, ...]:
        """The rows of one currency."""


TIMELINE_WIDTH = 9.0
"""Width of a timeline figure in inches (900 pixels at :data:`DPI`)."""
LANE_HEIGHT = 1.0
"""Height of one timeline lane in inches; a figure adds :data:`_FRAME_HEIGHT` for title,
axis and legend."""
_FRAME_HEIGHT = 1.8
DPI = 100
"""Dots per inch of every figure: a one-lane timeline is 900 x 280 pixels."""
MAX_LANES = 40
"""The most schedules one timeline draws."""

_REMINDER = "tab:blue"
_NOTICE = "tab:red"
_EARLIER = "0.55"
_PAYMENT = "tab:green"
_CREDIT = "tab:purple"
_ESCALATION = "darkred"
_PAUSE = "0.6"


def _figure(width: float, height: float) -> Figure:
    load("matplotlib", "plot")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _schedules(schedules: Any) -> list[Lane]:
    if isinstance(schedules, Lane):
        return [schedules]
    if isinstance(schedules, str | bytes) or not isinstance(schedules, Sequence):
        raise InvalidTypeError("timeline.schedules", schedules, "a Schedule or a list of them")
    items = list(schedules)
    for index, item in enumerate(items):
        if not isinstance(item, Lane):
            raise InvalidTypeError(f"timeline.schedules[{index}]", item, "a Schedule")
    if not 1 <= len(items) <= MAX_LANES:
        raise InvalidValueError(
            "timeline.schedules", len(items), f"from 1 to {MAX_LANES} schedules"
        )
    return items


def _labels(labels: Any, count: int) -> list[str] | None:
    if labels is None:
        return None
    if isinstance(labels, str | bytes) or not isinstance(labels, Sequence):
        raise InvalidTypeError("timeline.labels", labels, "a list of texts, one per schedule")
    names = list(labels)
    if len(names) != count or not all(isinstance(name, str) for name in names):
        raise InvalidValueError("timeline.labels", labels, f"{count} texts, one per schedule")
    return names


def _pauses(schedule: Lane, end: _dt.date) -> list[tuple[_dt.date, _dt.date]]:
    """The spans the invoice was paused, from its history (open ones end at ``end``)."""
    spans: list[tuple[_dt.date, _dt.date]] = []
    since: _dt.date | None = None
    for entry in schedule.invoice.history:
        if entry.kind is EventKind.DUNNING_PAUSED and since is None:
            since = entry.on
        elif entry.kind is EventKind.DUNNING_RESUMED and since is not None:
            spans.append((since, entry.on))
            since = None
    if since is not None:
        spans.append((since, max(end, since)))
    return spans


def _end(schedule: Lane) -> _dt.date:
    """The last day a lane shows: the escalation, else the simulation's end (or the last
    thing that happened, when that is later)."""
    if schedule.escalation is not None:
        return schedule.escalation.on
    days = [schedule.until, *(entry.on for entry in schedule.invoice.history)]
    days.extend(entry.due_date for entry in schedule.entries)
    return max(days)


def _x(*days: _dt.date) -> Any:
    """Days as x values (matplotlib's date units take them as they are)."""
    return list(days)


def _text(ax: Axes, text: str, x: _dt.date, y: float, dy: float, color: str) -> None:
    ax.annotate(
        text,
        (_x(x)[0], y),
        xytext=(0, dy),
        textcoords="offset points",
        ha="center",
        va="bottom" if dy > 0 else "top",
        fontsize=7.5,
        color=color,
        parse_math=False,
    )


def _lane(ax: Axes, y: float, schedule: Lane) -> None:
    invoice = schedule.invoice
    end = _end(schedule)
    ax.plot(_x(invoice.issue_date, end), [y, y], color="0.8", lw=1.2, zorder=1)
    for start, stop in _pauses(schedule, end):
        ax.fill_between(_x(start, stop), y - 0.32, y + 0.32, color=_PAUSE, alpha=0.3, lw=0)
    ax.plot(_x(invoice.due_date), [y], marker="|", ms=22, mew=2, color="black", zorder=3)
    _text(ax, f"due {invoice.due_date:%d %b %Y}", invoice.due_date, y - 0.05, -12, "black")
    documents: list[tuple[_dt.date, _dt.date, str, str, str]] = [
        (notice.on, notice.due_date, f"level {notice.level}", "o", _EARLIER)
        for notice in schedule.earlier
    ]
    for entry in schedule.entries:
        notice = entry.kind is StageKind.NOTICE
        documents.append(
            (
                entry.on,
                entry.due_date,
                f"{entry.kind.value} {entry.level}",
                "s" if notice else "o",
                _NOTICE if notice else _REMINDER,
            )
        )
    for number, (on, due, label, marker, color) in enumerate(documents):
        low = y - (0.14 if number % 2 == 0 else 0.24)  # alternate, so deadlines never touch
        ax.plot(_x(on, due), [low, low], color=color, lw=1, alpha=0.7, zorder=2)
        ax.plot(_x(due), [low], marker="|", ms=6, color=color, zorder=2)
        ax.plot(_x(on), [y], marker=marker, ms=8, color=color, zorder=4, ls="none")
        _text(ax, label, on, y + 0.05, 7 if number % 2 == 0 else 17, color)
    for payment in invoice.payments:
        ax.plot(_x(payment.on), [y], marker="^", ms=9, color=_PAYMENT, zorder=5, ls="none")
        _text(ax, f"paid {payment.amount.amount}", payment.on, y - 0.28, -4, _PAYMENT)
    for note in invoice.credit_notes:
        ax.plot(_x(note.on), [y], marker="v", ms=9, color=_CREDIT, zorder=5, ls="none")
        _text(ax, f"credit {note.amount.amount}", note.on, y - 0.28, -4, _CREDIT)
    if schedule.escalation is not None:
        up = schedule.escalation
        ax.plot(_x(up.on), [y], marker="X", ms=11, color=_ESCALATION, zorder=5, ls="none")
        _text(ax, f"escalate: {up.escalation.value}", up.on, y + 0.05, 7, _ESCALATION)


def _legend(figure: Figure, items: list[Lane]) -> None:
    """The legend of what the lanes show (nothing that none of them has)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    def marker(symbol: str, color: str, label: str) -> Line2D:
        return Line2D([], [], marker=symbol, color=color, ls="none", ms=7, label=label)

    kinds = {entry.kind for schedule in items for entry in schedule.entries}
    shown = [
        (True, Line2D([], [], marker="|", color="black", ls="none", ms=10, mew=2, label="due")),
        (StageKind.REMINDER in kinds, marker("o", _REMINDER, "reminder")),
        (StageKind.NOTICE in kinds, marker("s", _NOTICE, "notice")),
        (any(s.earlier for s in items), marker("o", _EARLIER, "sent before")),
        (
            any(s.earlier or s.entries for s in items),
            Line2D([], [], color="0.3", lw=1, label="document's deadline"),
        ),
        (any(_pauses(s, _end(s)) for s in items), Patch(color=_PAUSE, alpha=0.3, label="paused")),
        (any(s.invoice.payments for s in items), marker("^", _PAYMENT, "payment")),
        (any(s.invoice.credit_notes for s in items), marker("v", _CREDIT, "credit note")),
        (any(s.escalation for s in items), marker("X", _ESCALATION, "escalation")),
    ]
    handles = [handle for show, handle in shown if show]
    figure.legend(
        handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=7.5
    )


def timeline(
    schedules: Lane | Sequence[Lane],
    *,
    labels: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """A timeline of one or several simulated schedules, one lane each (top to bottom).

    ``labels`` name the lanes (the invoice numbers by default) and ``title`` the figure.
    The figure is :data:`TIMELINE_WIDTH` inches wide and ``1.8 + 1.0 x lanes`` inches
    high at :data:`DPI` dots per inch (900 x 280 pixels for one lane). Returned, never
    shown.
    """
    items = _schedules(schedules)
    names = _labels(labels, len(items))
    if title is not None and not isinstance(title, str):
        raise InvalidTypeError("timeline.title", title, "a text, or None")
    lanes = len(items)
    height = _FRAME_HEIGHT + LANE_HEIGHT * lanes
    figure = _figure(TIMELINE_WIDTH, height)
    figure.subplots_adjust(left=0.13, right=0.98, bottom=0.95 / height, top=1 - 0.45 / height)
    ax = figure.add_subplot()
    mdates: Any = load("matplotlib.dates", "plot")

    for lane, schedule in enumerate(items):
        _lane(ax, lanes - 1 - lane, schedule)
    first = min(s.invoice.issue_date for s in items)
    last = max(_end(s) for s in items)
    ax.set_xlim(*_x(add_days(first, -3), add_days(last, 4)))
    ax.set_ylim(-0.7, lanes - 0.3)
    ticks = names or [s.invoice.number or s.invoice.id for s in items]
    ax.set_yticks(range(lanes - 1, -1, -1), ticks)
    for label in ax.get_yticklabels():
        label.set_parse_math(False)
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
    ax.tick_params(axis="both", labelsize=8)
    ax.grid(axis="x", color="0.92")
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if title is None:
        first_invoice = items[0].invoice
        title = (
            f"Dunning timeline of {first_invoice.number or first_invoice.id} "
            f"({first_invoice.customer.name})"
            if lanes == 1
            else f"Dunning timeline of {lanes} schedules"
        )
    ax.set_title(title, fontsize=10, loc="left", parse_math=False)
    _legend(figure, items)
    return figure


def ageing_chart(report: Ageing, *, top: int = 10) -> Figure:
    """An ageing report as stacked bars: one panel per currency, one bar per customer (the
    ``top`` customers with the most open; the others together as one bar), one segment
    per bucket, from not yet due (green) to the oldest (red). Returned, never shown."""
    if not isinstance(report, Ageing):
        raise InvalidTypeError("ageing_chart.report", report, "an AgeingReport")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise InvalidValueError("ageing_chart.top", top, "a whole number >= 1")
    totals = report.totals
    panels = max(len(totals), 1)
    bars = [min(len(report.rows_of(total.currency)), top + 1) for total in totals]
    height = 1.3 + sum(1.0 + 0.35 * count for count in bars) if totals else 2.0
    figure = _figure(TIMELINE_WIDTH, height)
    figure.set_layout_engine("constrained")
    axes = figure.subplots(panels, 1, squeeze=False)[:, 0]
    labels = report.labels
    colours = _bucket_colours(len(labels))
    if not totals:
        axes[0].set_axis_off()
        axes[0].text(0.5, 0.5, f"Nothing open on {report.today}", ha="center", va="center")
    for ax, total in zip(axes, totals, strict=False):
        rows = sorted(report.rows_of(total.currency), key=lambda row: -row.total.amount)
        shown: list[tuple[str, tuple[Any, ...]]] = [
            (row.customer_name, row.amounts) for row in rows[:top]
        ]
        if len(rows) > top:
            rest = rows[top:]
            sums = tuple(
                sum((row.amounts[i].amount for row in rest), Decimal(0)) for i in range(len(labels))
            )
            shown.append((f"{len(rest)} other customers", sums))
        names = [name for name, _ in shown][::-1]
        left = [0.0] * len(shown)
        for index, label in enumerate(labels):
            # bar lengths on screen only: the amounts themselves stay Decimal in the report
            widths = [float(_amount(amounts[index])) for _, amounts in shown][::-1]
            ax.barh(names, widths, left=left, color=colours[index], label=label)
            left = [a + b for a, b in zip(left, widths, strict=True)]
        for label in ax.get_yticklabels():
            label.set_parse_math(False)
        ax.set_xlabel(f"open amount ({total.currency})", fontsize=8)
        ax.tick_params(axis="both", labelsize=8)
        ax.set_title(
            f"{total.currency}: {total.total} open in {total.invoices} invoice(s)",
            fontsize=9,
            loc="left",
            parse_math=False,
        )
        ax.grid(axis="x", color="0.92")
        ax.set_axisbelow(True)
    figure.suptitle(f"Receivables ageing on {report.today}", fontsize=10)
    handles = [
        load("matplotlib.patches", "plot").Patch(color=colours[i], label=label)
        for i, label in enumerate(labels)
    ]
    figure.legend(
        handles=handles, loc="outside lower center", ncol=len(handles), frameon=False, fontsize=8
    )
    return figure


def _bucket_colours(count: int) -> list[Any]:
    """Green for "not due", then yellow to dark red as the buckets get older."""
    cmap = load("matplotlib", "plot").colormaps["YlOrRd"]
    later = count - 1
    return ["tab:green", *(cmap(0.3 + 0.7 * i / max(later - 1, 1)) for i in range(later))]


def _amount(value: Any) -> Decimal:
    """The Decimal of a Money or a Decimal (a bar's length)."""
    return value if isinstance(value, Decimal) else value.amount
