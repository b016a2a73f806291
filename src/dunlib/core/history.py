"""Append-only history of what happened to an invoice."""

from __future__ import annotations

import datetime as _dt
import re
from enum import Enum

import attrs

from dunlib.core import validate as v
from dunlib.core.status import Status

__all__ = ["DOCUMENT_DETAIL", "EventKind", "HistoryEntry"]

DOCUMENT_DETAIL = re.compile(r"(?P<document>\S(?:[^\n]*\S)?) sha256:(?P<sha256>[0-9a-f]{64})")
"""The detail of an entry recording a document (made, sent again, printed): the document's
name and the SHA-256 of its bytes, ``RE-2026-0001.pdf sha256:<64 lower-case hex digits>``."""


class EventKind(Enum):
    """What kind of step a history entry records."""

    CREATED = "created"
    TRANSITION = "transition"
    PAYMENT = "payment"
    CREDIT_NOTE = "credit_note"
    STAGE_ISSUED = "stage_issued"
    DUNNING_PAUSED = "dunning_paused"
    DUNNING_RESUMED = "dunning_resumed"
    INTEREST = "interest"
    NOTE = "note"
    MERGED = "merged"
    """Lines of another draft were merged in; the entry's actor drafted them."""
    LINES_EDITED = "lines_edited"
    """A line of the draft was added, replaced or removed; the entry's actor drafted it."""
    WRITE_OFF = "write_off"
    """An amount was written off (by a cancellation, or as uncollectible)."""
    HANDED_TO_COLLECTION = "handed_to_collection"
    """The claim was handed to a debt collector (an escalation,
    :func:`dunlib.record_escalation`)."""
    SERVICE_BLOCKED = "service_blocked"
    """The customer's service was blocked until the invoice is paid (an escalation)."""
    HOLD_PLACED = "hold_placed"
    """Dunning was put on hold (a dispute, a promise to pay, a pending direct debit)."""
    HOLD_LIFTED = "hold_lifted"
    """A hold on dunning was lifted before its end."""
    BOOKED_BY_HAND = "booked_by_hand"
    """A draft with a negative total was booked by hand by an accountant: numbered, dated,
    and its credit to the customer cleared (booked outside dunlib)."""
    RECOVERY = "recovery"
    """Money was received for an invoice written off: a recovery
    (:func:`dunlib.payments.record_recovery`)."""
    PLAN_AGREED = "plan_agreed"
    """An instalment plan was agreed (:func:`dunlib.dunning.agree_plan`)."""
    PLAN_CANCELLED = "plan_cancelled"
    """An instalment plan was cancelled before it ended (:func:`dunlib.dunning.cancel_plan`)."""
    DOCUMENT_MADE = "document_made"
    """A document of the invoice was made or made again; the detail names it and its hash
    (:func:`dunlib.workflow.record_document`)."""
    DOCUMENT_RESENT = "document_resent"
    """The invoice's document was sent to the customer again by e-mail; the detail names it
    and its hash (:func:`dunlib.workflow.record_resent`)."""
    FEE_WAIVED = "fee_waived"
    """Dunning fees were taken back (:func:`dunlib.payments.waive_fees`)."""
    PAYMENT_REVERSED = "payment_reversed"
    """A payment was taken back: booked to the wrong invoice, or returned by the bank
    (:func:`dunlib.payments.reverse_payment`)."""
    DOCUMENT_PRINTED = "document_printed"
    """The paper invoice's document was printed to be posted; the detail names it and its
    hash (:func:`dunlib.workflow.record_printed`)."""


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """One step in an invoice's life, kept forever.

    ``on`` is the day it happened, ``kind`` what happened, ``actor`` who did it
    (empty for steps nobody performed, such as settlement by payment),
    ``from_status``/``to_status`` the processing state before and after, and
    ``detail`` a short human-readable description.
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    kind: EventKind = attrs.field(validator=v.of_type(EventKind, expected="an EventKind"))
    from_status: Status = attrs.field(validator=v.of_type(Status, expected="a Status"))
    to_status: Status = attrs.field(validator=v.of_type(Status, expected="a Status"))
    actor: str = attrs.field(default="", validator=v.text)
    detail: str = attrs.field(default="", validator=v.text)
