"""dunlib: accounts receivable as a library.

Outgoing invoices, their approval workflow, payments and dunning, as immutable
values and pure functions. Nothing here reads the clock: ``today`` is always a
parameter.

Everything a user calls is importable from here. The submodules named in the
docs (:mod:`dunlib.transitions` for the table, :mod:`dunlib.policy` for roles and
rights, :mod:`dunlib.matching`, :mod:`dunlib.serialize`, :mod:`dunlib.templates`,
:mod:`dunlib.dates`, :mod:`dunlib.strategies`)
hold the same names plus their constants; modules whose names start with an
underscore are plumbing.

Dates: an operation that *acts* on an invoice takes the day of the act as ``on``;
a question *about* an invoice takes the day it is asked as ``today``.
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
from dunlib.documents import (
    Cancellation,
    Credited,
    DeliveryNote,
    DocumentKind,
    allowed_documents,
    apply_credit_note,
    cancel,
    credit,
    derive_credit_note,
    derive_delivery_note,
    derive_invoice,
    write_off,
)
from dunlib.drafts import (
    add_line,
    convert_to_credit_note,
    create_draft,
    merge_drafts,
    remove_line,
    replace_line,
)
from dunlib.engine import next_dunning_action, trigger_date
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
    PaymentCurrencyError,
    PaymentRejectedError,
    PaymentStateError,
    PermissionDeniedError,
    PolicyViolationError,
    StepRefusedError,
    TransitionNotAllowedError,
    WrittenOffPaymentError,
)
from dunlib.external import ExternalStatus, ExternalStatusKind, external_status
from dunlib.history import EventKind, HistoryEntry
from dunlib.interest import record_interest
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
    WriteOff,
)
from dunlib.matching import (
    AmbiguityReason,
    Ambiguous,
    BankTransaction,
    Match,
    MatchedInvoice,
    Matching,
    MatchReason,
    Unmatched,
    UnmatchedReason,
    explain,
    match_payments,
)
from dunlib.money import ROUNDING, Money, minor_unit, sum_money
from dunlib.notices import record_notice
from dunlib.numbering import NumberSequence
from dunlib.payments import (
    Allocation,
    Balance,
    PaymentResult,
    allocations,
    balance,
    discount_offer,
    record_payment,
)
from dunlib.policy import AUTOMATIC, Actor, ApprovalPolicy, Permissions, PolicyRule
from dunlib.schedule import Schedule, ScheduleEntry, simulate
from dunlib.serialize import from_dict, from_json, load_rules, to_dict, to_json
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
    suspension_level,
)
from dunlib.templates import PLACEHOLDERS, Template, TemplateValues
from dunlib.transitions import Command
from dunlib.workflow import Sent, due_for_auto_send, send, transition

__all__ = [
    "AUTOMATIC",
    "PLACEHOLDERS",
    "ROUNDING",
    "Actor",
    "Allocation",
    "AmbiguityReason",
    "Ambiguous",
    "ApprovalPolicy",
    "Balance",
    "BankTransaction",
    "Cancellation",
    "Channel",
    "Command",
    "CreditNote",
    "Credited",
    "CurrencyMismatchError",
    "Customer",
    "CustomerKind",
    "DeliveryChannel",
    "DeliveryNote",
    "DispatchMode",
    "DocumentError",
    "DocumentKind",
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
    "ExternalStatus",
    "ExternalStatusKind",
    "GuardFailedError",
    "HistoryEntry",
    "InterestCharge",
    "InvalidTypeError",
    "InvalidValueError",
    "Invoice",
    "InvoiceLockedError",
    "IssueStage",
    "LineItem",
    "Match",
    "MatchReason",
    "MatchedInvoice",
    "Matching",
    "Money",
    "NoAction",
    "NoActionReason",
    "NoticeDocuments",
    "NumberSequence",
    "Pause",
    "Payment",
    "PaymentCurrencyError",
    "PaymentRejectedError",
    "PaymentResult",
    "PaymentStateError",
    "PaymentTerms",
    "PermissionDeniedError",
    "Permissions",
    "PolicyRule",
    "PolicyViolationError",
    "Resume",
    "Schedule",
    "ScheduleEntry",
    "Sent",
    "StageKind",
    "Status",
    "StepRefusedError",
    "Suspension",
    "SuspensionEvent",
    "Template",
    "TemplateValues",
    "TransitionNotAllowedError",
    "TriggerBasis",
    "Unmatched",
    "UnmatchedReason",
    "WriteOff",
    "WrittenOffPaymentError",
    "add_line",
    "allocations",
    "allowed_documents",
    "apply_credit_note",
    "apply_event",
    "balance",
    "cancel",
    "convert_to_credit_note",
    "create_draft",
    "credit",
    "derive_credit_note",
    "derive_delivery_note",
    "derive_invoice",
    "discount_offer",
    "due_for_auto_send",
    "explain",
    "external_status",
    "from_dict",
    "from_json",
    "is_paused",
    "load_rules",
    "match_payments",
    "merge_drafts",
    "minor_unit",
    "next_dunning_action",
    "pause",
    "record_interest",
    "record_notice",
    "record_payment",
    "remove_line",
    "replace_line",
    "resume",
    "send",
    "simulate",
    "sum_money",
    "suspension_level",
    "to_dict",
    "to_json",
    "transition",
    "trigger_date",
    "write_off",
]
