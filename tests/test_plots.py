"""Plots: timelines of schedules and comparisons, the ageing chart; figures, never shown."""

from __future__ import annotations

import datetime as dt
import struct
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.image import imread

from builders import SEED_RULES, eur, sent
from dunlib import (
    CreditNote,
    Customer,
    DunningRules,
    Escalation,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    Pause,
    Payment,
    Resume,
    ageing,
    compare,
    simulate,
)
from dunlib.analytics import Schedule, ageing_chart, timeline
from dunlib.analytics.plots import DPI, MAX_LANES, TIMELINE_WIDTH
from dunlib.core import MissingExtraError

DOCS_IMAGE = Path(__file__).resolve().parents[1] / "docs" / "img" / "paused-timeline.png"
DUE_PLUS = dt.date(2026, 5, 25)
SIZE = (900, 280)
"""A one-lane timeline: 9 x 2.8 inches at 100 dpi."""


def paused_example() -> Schedule:
    """The seed's suspended example (as tests/test_seed_examples.py and
    examples/docs_images.py): three reminders, paused 25.05., resumed 01.06."""
    rules = rules_of(3)
    invoice = Invoice.sent(
        number="RE-2026-0001",
        customer=Customer(id="C-1", name="ACME GmbH"),
        gross=Money("119.00", "EUR"),
        issue_date=dt.date(2026, 4, 26),
        due_date=dt.date(2026, 5, 10),
    )
    events = (Pause(on=dt.date(2026, 5, 25)), Resume(on=dt.date(2026, 6, 1)))
    return simulate(invoice, rules, until=dt.date(2026, 6, 30), events=events)


def rules_of(count: int) -> DunningRules:
    """The seed ladder's first ``count`` stages."""
    return attrs.evolve(SEED_RULES, stages=SEED_RULES.stages[:count])


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_paused_example_s_timeline_saved_as_png(tmp_path: Path) -> None:
    """The timeline of the seed's paused example saves as a 900 x 280 PNG that is not
    empty: a good share of its pixels are drawn, in more than one colour. The picture in
    the docs (docs/img/paused-timeline.png, from examples/docs_images.py) has the size too."""
    schedule = paused_example()
    assert [entry.on for entry in schedule] == [
        dt.date(2026, 5, 24),
        dt.date(2026, 6, 1),
        dt.date(2026, 6, 8),
    ]
    figure = schedule.plot()
    assert isinstance(figure, Figure)
    path = tmp_path / "paused-timeline.png"
    figure.savefig(path)
    assert path.stat().st_size > 10_000
    assert png_size(path) == SIZE == (int(TIMELINE_WIDTH * DPI), 280)
    pixels = imread(path)
    drawn = (pixels[:, :, :3] < 0.9).any(axis=2).mean()
    assert 0.01 < drawn < 0.5
    assert len({tuple(p) for p in pixels[::7, ::7, :3].reshape(-1, 3).round(1)}) > 5
    assert png_size(DOCS_IMAGE) == SIZE


def test_the_timeline_shows_each_stage_pause_payment_and_escalation() -> None:
    """Each document is a marker labelled with its kind and level, the due date is marked,
    a pause is a shaded span, payments and credit notes carry their amounts, and the
    escalation is labelled; the legend lists only what is shown."""
    rules = attrs.evolve(SEED_RULES, escalation=Escalation.COLLECTION, escalation_days=14)
    events = (
        Payment(on=dt.date(2026, 5, 30), amount=eur("59.50")),
        Pause(on=dt.date(2026, 6, 2)),
        CreditNote(id="GS-1", on=dt.date(2026, 6, 5), amount=eur("10.00")),
    )
    schedule = simulate(sent(), rules, until=dt.date(2026, 7, 31), events=events)
    figure = simulate(schedule.invoice, rules, until=dt.date(2026, 8, 31), events=(
        Resume(on=dt.date(2026, 8, 1)),)).plot()  # fmt: skip
    texts = {text.get_text() for text in figure.axes[0].texts}
    assert {"reminder 3", "notice 4"} <= texts
    assert {"level 1", "level 2", "paid 59.50", "credit 10.00", "due 10 May 2026"} <= texts
    assert "escalate: collection" in texts
    assert len(figure.axes[0].collections) == 1  # the pause
    labels = [text.get_text() for text in figure.legends[0].get_texts()]
    assert labels == [
        "due", "reminder", "notice", "sent before", "document's deadline", "paused",
        "payment", "credit note", "escalation",
    ]  # fmt: skip
    plain = simulate(sent(), SEED_RULES, until=dt.date(2026, 5, 1)).plot()
    assert [t.get_text() for t in plain.legends[0].get_texts()] == ["due"]


def test_a_pause_never_resumed_is_shaded_to_the_lane_s_end() -> None:
    """Paused on 25.05. and never resumed: the span reaches the end of the simulation."""
    schedule = simulate(sent(), SEED_RULES, dt.date(2026, 6, 30), events=(Pause(on=DUE_PLUS),))
    figure = schedule.plot()
    (span,) = figure.axes[0].collections
    vertices: Any = span.get_paths()[0].vertices
    xs = [float(x) for x, _ in vertices]
    to_num: Any = date2num  # untyped in matplotlib
    assert (min(xs), max(xs)) == (to_num(DUE_PLUS), to_num(dt.date(2026, 6, 30)))


def test_several_invoices_and_a_comparison_get_one_lane_each() -> None:
    """timeline() of three schedules has three labelled lanes and is 1 inch taller per lane;
    a comparison plots its two schedules under its labels."""
    schedules = [
        simulate(sent(number=f"RE-{n}"), SEED_RULES, until=dt.date(2026, 6, 30)) for n in (1, 2, 3)
    ]
    figure = timeline(schedules, title="three invoices $x$")
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == ["RE-1", "RE-2", "RE-3"]
    assert tuple(figure.get_size_inches() * DPI) == (900, 480)
    assert figure.axes[0].get_title(loc="left") == "three invoices $x$"
    comparison = compare(sent(), SEED_RULES, rules_of(2), dt.date(2026, 6, 30))
    pair = comparison.plot()
    assert [t.get_text() for t in pair.axes[0].get_yticklabels()] == ["A", "B"]
    assert "A vs B" in pair.axes[0].get_title(loc="left")


def test_the_ageing_chart_stacks_buckets_per_customer_and_currency() -> None:
    """One panel per currency; the largest customers as bars, the rest together; one
    segment per bucket in the legend."""
    invoices = [
        Invoice.sent(
            number=f"RE-{n}",
            customer=Customer(id=f"C-{n % 4}", name=f"<Customer {n % 4}>"),
            gross=Money(f"{10 * (n + 1)}.00", "EUR" if n % 3 else "USD"),
            issue_date=dt.date(2026, 1, 1) + dt.timedelta(days=9 * n),
        )
        for n in range(12)
    ]
    report = ageing(invoices, today=dt.date(2026, 6, 30))
    figure = report.plot(top=2)
    assert len(figure.axes) == 2
    names = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert names[0] == "2 other customers"
    assert len(names) == 3
    assert [t.get_text() for t in figure.legends[0].get_texts()] == list(report.labels)
    assert figure.axes[0].get_title(loc="left").startswith("EUR: ")
    empty = ageing_chart(ageing([], today=dt.date(2026, 6, 30)))
    assert "Nothing open" in empty.axes[0].texts[0].get_text()


def test_bad_arguments_are_refused() -> None:
    """Typed errors naming the argument."""
    schedule = paused_example()
    with pytest.raises(InvalidTypeError, match="timeline.schedules"):
        timeline("RE-1")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"timeline.schedules\[1\]"):
        timeline([schedule, None])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match="timeline.schedules"):
        timeline([])
    with pytest.raises(InvalidValueError, match="timeline.schedules"):
        timeline([schedule] * (MAX_LANES + 1))
    with pytest.raises(InvalidTypeError, match="timeline.labels"):
        timeline(schedule, labels="A")
    with pytest.raises(InvalidValueError, match="timeline.labels"):
        timeline(schedule, labels=["A", "B"])
    with pytest.raises(InvalidTypeError, match="timeline.title"):
        timeline(schedule, title=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="ageing_chart.report"):
        ageing_chart(schedule)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="ageing_chart.top"):
        ageing_chart(ageing([], today=dt.date(2026, 6, 30)), top=0)


def test_without_matplotlib_the_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without matplotlib, plot() raises MissingExtraError naming dunlib[plot]."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(MissingExtraError, match=r"dunlib\[plot\]"):
        paused_example().plot()
