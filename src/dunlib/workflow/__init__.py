"""The approval workflow: rights and the eyes policy, the one booking path, drafts, sending and the
documents that follow an invoice.

Each module holds one concept; this package exports the names of its area."""

from __future__ import annotations

from dunlib.core.transitions import Command
from dunlib.workflow.audit import as_of
from dunlib.workflow.documents import (
    ALLOWED_FROM,
    Cancellation,
    Credited,
    DeliveryNote,
    DocumentKind,
    allowed_documents,
    cancel,
    credit,
    credit_note_tax,
    derive_credit_note,
    derive_delivery_note,
    derive_invoice,
    record_credit_note,
    write_off,
)
from dunlib.workflow.drafts import (
    BookedByHand,
    add_line,
    book_by_hand,
    convert_to_credit_note,
    create_draft,
    merge_drafts,
    remove_line,
    replace_line,
)
from dunlib.workflow.policy import (
    AUTOMATIC,
    DEFAULT_PERMISSIONS,
    OPERATIONS,
    Actor,
    Authority,
    Operation,
    Permissions,
    PolicyRule,
    check_policy,
    checked_authority,
    round_acts,
)
from dunlib.workflow.steps import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    REVIEWER,
    Sent,
    due_for_auto_send,
    send,
    transition,
)

__all__ = [
    "ACCOUNTANT",
    "ALLOWED_FROM",
    "AUTOMATIC",
    "AUTOMATION",
    "CLERK",
    "DEFAULT_PERMISSIONS",
    "OPERATIONS",
    "REVIEWER",
    "Actor",
    "Authority",
    "BookedByHand",
    "Cancellation",
    "Command",
    "Credited",
    "DeliveryNote",
    "DocumentKind",
    "Operation",
    "Permissions",
    "PolicyRule",
    "Sent",
    "add_line",
    "allowed_documents",
    "as_of",
    "book_by_hand",
    "cancel",
    "check_policy",
    "checked_authority",
    "convert_to_credit_note",
    "create_draft",
    "credit",
    "credit_note_tax",
    "derive_credit_note",
    "derive_delivery_note",
    "derive_invoice",
    "due_for_auto_send",
    "merge_drafts",
    "record_credit_note",
    "remove_line",
    "replace_line",
    "round_acts",
    "send",
    "transition",
    "write_off",
]
