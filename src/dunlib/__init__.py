"""dunlib: accounts receivable as a library.

Outgoing invoices, their approval workflow, payments and dunning, as immutable
values and pure functions. Nothing here reads the clock: ``today`` is always a
parameter.
"""

from __future__ import annotations

from dunlib.actions import (
    DunningAction,
    Escalate,
    IssueStage,
    NoAction,
    NoActionReason,
    NoticeDocuments,
)
from dunlib.engine import next_dunning_action, record_notice, trigger_date
from dunlib.errors import (
    CurrencyMismatchError,
    DocumentError,
    DocumentNotAllowedError,
    DocumentProblem,
    DunlibError,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    InvoiceLockedError,
    PermissionDeniedError,
    PolicyViolationError,
    TransitionNotAllowedError,
)
from dunlib.history import EventKind, HistoryEntry
from dunlib.invoice import (
    CreditNote,
    Customer,
    CustomerKind,
    DeliveryChannel,
    DunningNotice,
    InterestCharge,
    Invoice,
    LineItem,
    Payment,
    PaymentTerms,
)
from dunlib.money import ROUNDING, Money, minor_unit, sum_money
from dunlib.numbering import NumberSequence
from dunlib.schedule import Schedule, ScheduleEntry, simulate
from dunlib.stages import (
    Channel,
    DispatchMode,
    DunningRules,
    DunningStage,
    Escalation,
    StageKind,
    TriggerBasis,
)
from dunlib.status import Status
from dunlib.suspension import (
    Pause,
    Resume,
    Suspension,
    SuspensionEvent,
    apply_event,
    is_paused,
    pause,
    resume,
    suspension,
)
from dunlib.templates import PLACEHOLDERS, Template, TemplateValues
from dunlib.transitions import TRANSITIONS, Command, apply_transition
from dunlib.workflow import Actor, ApprovalPolicy, Permissions, due_for_auto_send, transition

__all__ = [
    "PLACEHOLDERS",
    "ROUNDING",
    "TRANSITIONS",
    "Actor",
    "ApprovalPolicy",
    "Channel",
    "Command",
    "CreditNote",
    "CurrencyMismatchError",
    "Customer",
    "CustomerKind",
    "DeliveryChannel",
    "DispatchMode",
    "DocumentError",
    "DocumentNotAllowedError",
    "DocumentProblem",
    "DunlibError",
    "DunningAction",
    "DunningNotice",
    "DunningRules",
    "DunningStage",
    "Escalate",
    "Escalation",
    "EventKind",
    "GuardFailedError",
    "HistoryEntry",
    "InterestCharge",
    "InvalidTypeError",
    "InvalidValueError",
    "Invoice",
    "InvoiceLockedError",
    "IssueStage",
    "LineItem",
    "Money",
    "NoAction",
    "NoActionReason",
    "NoticeDocuments",
    "NumberSequence",
    "Pause",
    "Payment",
    "PaymentTerms",
    "PermissionDeniedError",
    "Permissions",
    "PolicyViolationError",
    "Resume",
    "Schedule",
    "ScheduleEntry",
    "StageKind",
    "Status",
    "Suspension",
    "SuspensionEvent",
    "Template",
    "TemplateValues",
    "TransitionNotAllowedError",
    "TriggerBasis",
    "apply_event",
    "apply_transition",
    "due_for_auto_send",
    "is_paused",
    "minor_unit",
    "next_dunning_action",
    "pause",
    "record_notice",
    "resume",
    "simulate",
    "sum_money",
    "suspension",
    "transition",
    "trigger_date",
]
