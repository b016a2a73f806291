"""Looking ahead and back: simulated schedules, what-if, comparisons, receivables ageing, a
customer's statement of account, pictures and data frames.

Each module holds one concept; this package exports the names of its area."""

from __future__ import annotations

from dunlib.analytics.comparison import Comparison, compare
from dunlib.analytics.plots import (
    DPI,
    LANE_HEIGHT,
    MAX_LANES,
    TIMELINE_WIDTH,
    Ageing,
    Lane,
    ageing_chart,
    timeline,
)
from dunlib.analytics.receivables import (
    DEFAULT_BUCKETS,
    AgeingItem,
    AgeingReport,
    AgeingRow,
    ageing,
)
from dunlib.analytics.schedule import Schedule, ScheduleEntry, simulate
from dunlib.analytics.statement import (
    Movement,
    MovementKind,
    OpenItem,
    StatementOfAccount,
    statement_of_account,
)
from dunlib.analytics.whatif import WHAT_IF_ACCOUNTANT, WhatIfEvent

__all__ = [
    "DEFAULT_BUCKETS",
    "DPI",
    "LANE_HEIGHT",
    "MAX_LANES",
    "TIMELINE_WIDTH",
    "WHAT_IF_ACCOUNTANT",
    "Ageing",
    "AgeingItem",
    "AgeingReport",
    "AgeingRow",
    "Comparison",
    "Lane",
    "Movement",
    "MovementKind",
    "OpenItem",
    "Schedule",
    "ScheduleEntry",
    "StatementOfAccount",
    "WhatIfEvent",
    "ageing",
    "ageing_chart",
    "compare",
    "simulate",
    "statement_of_account",
    "timeline",
]
