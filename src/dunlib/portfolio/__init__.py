"""The daily run over a portfolio and the notices prepared, approved and sent from it.

Each module holds one concept; this package exports the names of its area."""

from __future__ import annotations

from dunlib.portfolio.prepared import (
    NoticeSent,
    NoticeState,
    NoticeStep,
    PreparedNotice,
    approve_notice,
    prepare_notice,
    prepare_reminder,
    reject_notice,
    send_notice,
)
from dunlib.portfolio.run import AccountsFor, RulesFor, hold_below_minimum, plan, record_notices

__all__ = [
    "AccountsFor",
    "NoticeSent",
    "NoticeState",
    "NoticeStep",
    "PreparedNotice",
    "RulesFor",
    "approve_notice",
    "hold_below_minimum",
    "plan",
    "prepare_notice",
    "prepare_reminder",
    "record_notices",
    "reject_notice",
    "send_notice",
]
