"""Draw the pictures the docs show (docs/img/*.png): ``python examples/docs_images.py``.

The timeline of the seed's paused example (reminders after 14, 7 and 7 days; due 10 May;
paused on 25 May, resumed on 1 June) is drawn by the same code the test suite checks
(tests/test_plots.py); run this after changing how timelines look, and commit the PNG.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dunlib import (
    Customer,
    DunningRules,
    DunningStage,
    Invoice,
    Money,
    Pause,
    Resume,
    StageKind,
    simulate,
)
from dunlib.analytics import Schedule

IMAGES = Path(__file__).resolve().parents[1] / "docs" / "img"


def paused_example() -> Schedule:
    """The seed's suspended example: 1st reminder 24 May, paused 25 May, resumed 1 June,
    2nd reminder 1 June, 3rd 8 June (simulated up to 30 June)."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=14),
            DunningStage(StageKind.REMINDER, days_overdue=7),
            DunningStage(StageKind.REMINDER, days_overdue=7),
        )
    )
    invoice = Invoice.sent(
        number="RE-2026-0001",
        customer=Customer(id="C-1", name="ACME GmbH"),
        gross=Money("119.00", "EUR"),
        issue_date=dt.date(2026, 4, 26),
        due_date=dt.date(2026, 5, 10),
    )
    events = (Pause(on=dt.date(2026, 5, 25)), Resume(on=dt.date(2026, 6, 1)))
    return simulate(invoice, rules, until=dt.date(2026, 6, 30), events=events)


def main() -> None:
    """Write docs/img/paused-timeline.png."""
    IMAGES.mkdir(parents=True, exist_ok=True)
    paused_example().plot().savefig(IMAGES / "paused-timeline.png")
    print(f"wrote {IMAGES / 'paused-timeline.png'}")


if __name__ == "__main__":
    main()
