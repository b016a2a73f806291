"""The approval workflow's transition table: data in one place.

Each row says that ``command`` moves an invoice from ``source`` to ``target``.
:data:`ROWS` is the single source of truth, and it lists every change an invoice
can undergo once it exists: the workflow steps (``step``/``skip`` rows, performed
with :func:`dunlib.transition`), the bookkeeping operations (``booking`` rows:
payments, credit notes, dunning documents, pause and resume, cancellation and
write-off, each performed by a function of its own, named in the row's
``operation``) and the settling that follows a booking (``effect`` rows). Every
one of them is applied by one private booking path, which checks the row, the
actor's rights, the eyes policy where it applies, the row's guards and that
history never goes back in time.

Besides source, command and target, each row carries as plain data the acts it
performs for the eyes policy (:class:`Act`), the roles the default permission set
grants it to, the guards that must hold (:class:`Guard`) and its effect
(:class:`Effect`). The rows never hold code.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

import attrs

from dunlib.core.errors import (
    InvalidTypeError,
    PaymentStateError,
    TransitionNotAllowedError,
    WrittenOffPaymentError,
)
from dunlib.core.status import Status

__all__ = [
    "ACCOUNTANT",
    "AUTOMATION",
    "CLERK",
    "DERIVED_FROM",
    "REVIEWER",
    "ROLES",
    "ROWS",
    "TRANSITIONS",
    "Act",
    "Command",
    "DocumentKind",
    "Effect",
    "Guard",
    "Row",
    "RowKind",
    "allowed_commands",
    "render_table",
    "row_for",
    "sources",
]

CLERK = "clerk"
"""Default role that drafts invoices and submits them for review."""
REVIEWER = "reviewer"
"""Default role that reviews: approves or rejects."""
ACCOUNTANT = "accountant"
"""Default role that books and sends, and records bookkeeping effects."""
AUTOMATION = "automation"
"""Default role of automatic processes: the skips, automatic sending and effects."""


class Command(Enum):
    """A step that changes an invoice's processing state."""

    SUBMIT = "submit"
    """Zur Prüfung: hand a finished draft over for review."""
    APPROVE = "approve"
    """Geprüft: confirm the review."""
    REJECT = "reject"
    """Zurückweisen: send back to drafting."""
    SEND = "send"
    """Versenden: book and send; the invoice becomes legally binding."""
    SETTLE = "settle"
    """The open amount reached zero (by payment, discount or credit note)."""
    PAY = "pay"
    """A payment was received (:func:`dunlib.record_payment`)."""
    CREDIT = "credit"
    """A credit note was booked against the invoice (:func:`dunlib.record_credit_note`)."""
    INTEREST = "interest"
    """Default interest was charged (:func:`dunlib.record_interest`)."""
    ISSUE_EARLY = "issue_early"
    """A stage was issued before the due date: a document, no fee, not yet dunned
    (:func:`dunlib.record_stage`)."""
    DUN = "dun"
    """A dunning document was sent on or after the due date (:func:`dunlib.record_stage`)."""
    PAUSE = "pause"
    """Dunning of the invoice was paused (:func:`dunlib.pause`)."""
    RESUME = "resume"
    """Dunning of the invoice was resumed (:func:`dunlib.resume`)."""
    CANCEL = "cancel"
    """A cancelling invoice was booked (:func:`dunlib.cancel`)."""
    WRITE_OFF = "write_off"
    """The dunning reached "uncollectible" (:func:`dunlib.write_off`)."""
    PREPARE_LETTER = "prepare_letter"
    """A dunning notice the run decided was prepared (:func:`dunlib.prepare_letter`)."""
    PREPARE_MANUAL_LETTER = "prepare_manual_letter"
    """Erinnerung vorbereiten: a letter prepared by hand outside the ladder's schedule
    (:func:`dunlib.prepare_manual_letter`)."""
    APPROVE_LETTER = "approve_letter"
    """Freigabe: a prepared letter was approved for sending (:func:`dunlib.approve_letter`)."""
    REJECT_LETTER = "reject_letter"
    """A prepared letter was rejected; it is never sent (:func:`dunlib.reject_letter`)."""
    WITHDRAW_LETTER = "withdraw_letter"
    """A prepared or approved letter was withdrawn by a person; it is never sent
    (:func:`dunlib.withdraw_letter`)."""
    SUPERSEDE_LETTER = "supersede_letter"
    """A prepared or approved letter was superseded: one of its invoices changed since it was
    prepared, so it is never sent and the run decides afresh (:func:`dunlib.supersede_letters`)."""
    COLLECT = "collect"
    """Inkasso: the claim was handed to a debt collector (:func:`dunlib.record_escalation`)."""
    BLOCK = "block"
    """The customer's service was blocked until payment (:func:`dunlib.record_escalation`)."""
    HOLD = "hold"
    """Dunning of the invoice was put on hold: a dispute, a promise to pay or a pending
    direct debit (:func:`dunlib.place_hold`)."""
    LIFT_HOLD = "lift_hold"
    """A hold on dunning of the invoice was lifted before its end (:func:`dunlib.lift_hold`)."""
    BOOK_BY_HAND = "book_by_hand"
    """Manuell verbuchen: a draft with a negative total is booked by hand by an accountant
    (:func:`dunlib.workflow.book_by_hand`); seed 002: "Negative Rechnungen können später nur
    manuell verbucht werden"."""
    RECOVER = "recover"
    """Money was received for a written-off invoice: booked as a recovery
    (:func:`dunlib.payments.record_recovery`)."""
    AGREE_PLAN = "agree_plan"
    """Ratenzahlungsvereinbarung: an instalment plan was agreed for what is open
    (:func:`dunlib.dunning.agree_plan`)."""
    CANCEL_PLAN = "cancel_plan"
    """An instalment plan was cancelled before it ended (:func:`dunlib.dunning.cancel_plan`)."""
    MAKE_DOCUMENT = "make_document"
    """Dokument erstellen: a document of the invoice was made, or made again (seed 002: the
    preview of a draft at each step, the invoice once booked, anew on request)
    (:func:`dunlib.workflow.record_document`)."""
    RESEND = "resend"
    """Versenden, again: the booked invoice's document was sent to the customer again by
    e-mail (seed 002, states 3 and 4) (:func:`dunlib.workflow.record_resent`)."""
    PRINT = "print"
    """The paper invoice was printed to be posted (seed 002: paper invoices are printed and
    sent by hand) (:func:`dunlib.workflow.record_printed`)."""
    WAIVE_FEE = "waive_fee"
    """Mahngebühr erlassen: dunning fees charged were taken back, the notice having gone out
    after the money arrived, or as goodwill (:func:`dunlib.payments.waive_fees`)."""
    REVERSE = "reverse"
    """Storno der Zahlung: a payment was taken back, booked to the wrong invoice or returned
    by the customer's bank; what it settled is open again
    (:func:`dunlib.payments.reverse_payment`)."""
    REOPEN_DUNNED = "reopen_dunned"
    """A payment taken back reopened a paid invoice that dunning notices had dunned: it is
    dunned again (:func:`dunlib.payments.reverse_payment`)."""


class RowKind(Enum):
    """Where a row comes from: a workflow step, an automatic skip, a bookkeeping operation
    or the effect that follows one."""

    STEP = "step"
    """A workflow step a person (or an automatic actor) performs with :func:`dunlib.transition`."""
    SKIP = "skip"
    """A workflow step that skips states; only automatic actors, where the eyes policy allows."""
    BOOKING = "booking"
    """A bookkeeping operation with a function of its own (payment, credit note, dunning
    document, pause, cancellation, write-off); :func:`dunlib.transition` refuses it."""
    EFFECT = "effect"
    """Follows from a booking in the same step (settling when nothing is open any more)."""
    DOCUMENT = "document"
    """A document of the invoice was made, sent again or printed, with a function of its
    own: checked like a booking (rights, day, guards) and recorded in the history with the
    document's name and hash; nothing owed changes. :func:`dunlib.transition` refuses it."""
    LETTER = "letter"
    """A step in the life of a prepared dunning letter (prepare, approve, reject), with a
    function of its own: checked on the invoice like a booking (rights, day, guards) and
    recorded on the :class:`~dunlib.portfolio.prepared.PreparedLetter`; the invoice is unchanged
    until the letter is sent. :func:`dunlib.transition` refuses it."""


class Act(Enum):
    """What a step counts as for the eyes policy (a skip performs several acts at once)."""

    DRAFT = "draft"
    """Drafting: creating the invoice or taking it out of DRAFT."""
    REVIEW = "review"
    """Reviewing: bringing the invoice to REVIEWED (or past it in a skip)."""
    SEND = "send"
    """Sending: booking the invoice into SENT."""


class Guard(Enum):
    """A condition that must hold before a row may be applied; its value names it in errors."""

    COMPLETE_DRAFT = "complete-draft"
    """At least one line and a total of zero or more; a negative draft converts into a
    credit note instead (negative totals exist only in DRAFT)."""
    SETTLED = "settled"
    """Nothing is open any more: the open amount is zero or less."""
    OVERDUE = "overdue"
    """The due date has passed (the debtor is late from the day after it) and an amount is
    open."""
    NOT_YET_DUE = "not-yet-due"
    """The step's day is on or before the due date: the debtor is not late yet."""
    NO_FEE = "no-fee"
    """The document booked charges no fee (no fee before the debtor is late)."""
    OPEN = "open"
    """An amount is still open."""
    WITHIN_OPEN = "within-open"
    """The booking takes at most what is open (nothing is credited below zero)."""
    RUNNING = "running"
    """Dunning of the invoice is not paused."""
    PAUSED = "paused"
    """Dunning of the invoice is paused."""
    NOTHING_SETTLED = "nothing-settled"
    """No payment (none, or each taken back) or credit note is recorded (cancel only what
    nobody paid; else credit)."""
    NOT_ESCALATED = "not-escalated"
    """The invoice was not escalated yet (not handed to collection, its service not
    blocked): an escalation happens once."""
    NOT_HELD = "not-held"
    """No hold of the same kind holds on the day (a new hold of a kind replaces none)."""
    HELD = "held"
    """A hold of the kind lifted holds on the day."""
    UNHELD = "unheld"
    """No hold on the invoice (a dispute, a promise to pay, a pending direct debit) and no
    instalment plan holds on the day: nothing is charged, claimed or escalated while one
    does."""
    NEGATIVE_TOTAL = "negative-total"
    """The draft has lines and a total below zero (one of zero or more is submitted, reviewed
    and sent as any invoice)."""
    RECOVERABLE = "recoverable"
    """Something written off is not recovered yet (recoveries add up to at most the
    write-off)."""
    NO_PLAN = "no-plan"
    """No instalment plan holds on the day (one plan at a time)."""
    PLANNED = "planned"
    """An instalment plan holds on the day."""
    ONLINE = "online"
    """The invoice goes out by e-mail (its channel is online, or online and on paper)."""
    ON_PAPER = "on-paper"
    """The invoice goes out on paper (its channel is paper, or online and on paper)."""
    COVERS_OPEN = "covers-open"
    """The plan's instalments add up to exactly what is open, and nothing was paid or
    credited on its day before it (its day starts the count)."""
    WITHIN_FEES = "within-fees"
    """The fees waived are at most the fees charged and not waived yet, and at most what
    is open."""
    REVERSIBLE = "reversible"
    """The payment taken back is one booked on the invoice and not taken back before."""
    UNDUNNED = "undunned"
    """No dunning notice dunned the invoice (it reopens as sent)."""
    DUNNED_BEFORE = "dunned-before"
    """A dunning notice dunned the invoice before it was paid (it reopens as dunned)."""


class Effect(Enum):
    """What a row does besides changing the state."""

    NONE = "none"
    """Nothing else."""
    BOOK = "book"
    """Booking: the next number of the sequence, the invoice date becomes the send day and
    the due date is recomputed from the payment terms."""


@attrs.frozen(kw_only=True)
class Row:
    """One transition: ``command`` takes an invoice from ``source`` to ``target``.

    ``acts`` is what the step counts as for the eyes policy, ``roles`` the roles the
    default permission set grants it to (any one suffices), ``guards`` the conditions
    checked before it applies and ``effect`` what it does besides changing the state.
    """

    source: Status
    command: Command
    target: Status
    kind: RowKind
    meaning: str
    roles: frozenset[str]
    acts: frozenset[Act] = frozenset()
    guards: tuple[Guard, ...] = ()
    effect: Effect = Effect.NONE
    operation: str = ""


_D, _R, _S = Act.DRAFT, Act.REVIEW, Act.SEND

ROWS: tuple[Row, ...] = (
    Row(source=Status.DRAFT, command=Command.SUBMIT, target=Status.CREATED, kind=RowKind.STEP,
        meaning="Zur Prüfung: drafting is finished; lines are frozen for review.",
        roles=frozenset({CLERK}), acts=frozenset({_D}), guards=(Guard.COMPLETE_DRAFT,)),
    Row(source=Status.DRAFT, command=Command.APPROVE, target=Status.REVIEWED, kind=RowKind.SKIP,
        meaning="Created and reviewed in one step (automatic processes, small policies).",
        roles=frozenset({AUTOMATION}), acts=frozenset({_D, _R}),
        guards=(Guard.COMPLETE_DRAFT,)),
    Row(source=Status.DRAFT, command=Command.SEND, target=Status.SENT, kind=RowKind.SKIP,
        meaning="Drafted and booked in one step (automatic processes, 2-eye policy).",
        roles=frozenset({AUTOMATION}), acts=frozenset({_D, _R, _S}),
        guards=(Guard.COMPLETE_DRAFT,), effect=Effect.BOOK),
    Row(source=Status.CREATED, command=Command.APPROVE, target=Status.REVIEWED, kind=RowKind.STEP,
        meaning="Geprüft: the review found nothing to change.",
        roles=frozenset({REVIEWER}), acts=frozenset({_R})),
    Row(source=Status.CREATED, command=Command.REJECT, target=Status.DRAFT, kind=RowKind.STEP,
        meaning="Zurückweisen: wrong data; back to drafting.",
        roles=frozenset({REVIEWER})),
    Row(source=Status.CREATED, command=Command.SEND, target=Status.SENT, kind=RowKind.SKIP,
        meaning="Reviewed and booked in one step.",
        roles=frozenset({AUTOMATION}), acts=frozenset({_R, _S}), effect=Effect.BOOK),
    Row(source=Status.REVIEWED, command=Command.REJECT, target=Status.DRAFT, kind=RowKind.STEP,
        meaning="Zurückweisen at the final check; back to drafting.",
        roles=frozenset({REVIEWER, ACCOUNTANT})),
    Row(source=Status.REVIEWED, command=Command.SEND, target=Status.SENT, kind=RowKind.STEP,
        meaning="Versenden: number assigned, dated today, booked; legally binding.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), acts=frozenset({_S}), effect=Effect.BOOK),
    Row(source=Status.SENT, command=Command.PAY, target=Status.SENT, kind=RowKind.BOOKING,
        meaning="A payment was received; what is left stays open.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), operation="dunlib.record_payment"),
    Row(source=Status.SENT, command=Command.CREDIT, target=Status.SENT, kind=RowKind.BOOKING,
        meaning="A credit note reduced the open amount.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.OPEN, Guard.WITHIN_OPEN),
        operation="dunlib.record_credit_note"),
    Row(source=Status.SENT, command=Command.SETTLE, target=Status.PAID, kind=RowKind.EFFECT,
        meaning="The open amount reached zero.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.SETTLED,),
        operation="dunlib.record_payment or dunlib.record_credit_note"),
    Row(source=Status.SENT, command=Command.ISSUE_EARLY, target=Status.SENT, kind=RowKind.BOOKING,
        meaning="A stage issued on or before the due date: a document, no fee; not dunned.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.NOT_YET_DUE, Guard.NO_FEE, Guard.RUNNING, Guard.UNHELD),
        operation="dunlib.record_stage"),
    Row(source=Status.SENT, command=Command.DUN, target=Status.DUNNED, kind=RowKind.BOOKING,
        meaning="The first dunning document was sent.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.OVERDUE, Guard.RUNNING, Guard.UNHELD), operation="dunlib.record_stage"),
    Row(source=Status.SENT, command=Command.INTEREST, target=Status.SENT,
        kind=RowKind.BOOKING, meaning="Default interest was charged.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.OVERDUE, Guard.RUNNING, Guard.UNHELD), operation="dunlib.record_interest"),
    Row(source=Status.SENT, command=Command.PAUSE, target=Status.SENT, kind=RowKind.BOOKING,
        meaning="Dunning paused.", roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.RUNNING,), operation="dunlib.pause"),
    Row(source=Status.SENT, command=Command.RESUME, target=Status.SENT, kind=RowKind.BOOKING,
        meaning="Dunning resumed.", roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.PAUSED,), operation="dunlib.resume"),
    Row(source=Status.SENT, command=Command.CANCEL, target=Status.CANCELLED, kind=RowKind.BOOKING,
        meaning="A cancelling invoice was booked; the claim is offset.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.NOTHING_SETTLED,),
        operation="dunlib.cancel"),
    Row(source=Status.DUNNED, command=Command.PAY, target=Status.DUNNED, kind=RowKind.BOOKING,
        meaning="A payment was received; fees first, what is left stays open.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), operation="dunlib.record_payment"),
    Row(source=Status.DUNNED, command=Command.CREDIT, target=Status.DUNNED, kind=RowKind.BOOKING,
        meaning="A credit note reduced the open amount.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.OPEN, Guard.WITHIN_OPEN),
        operation="dunlib.record_credit_note"),
    Row(source=Status.DUNNED, command=Command.SETTLE, target=Status.PAID, kind=RowKind.EFFECT,
        meaning="The open amount, fees included, reached zero.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.SETTLED,),
        operation="dunlib.record_payment or dunlib.record_credit_note"),
    Row(source=Status.DUNNED, command=Command.DUN, target=Status.DUNNED, kind=RowKind.BOOKING,
        meaning="A further dunning document was sent.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.OVERDUE, Guard.RUNNING, Guard.UNHELD), operation="dunlib.record_stage"),
    Row(source=Status.DUNNED, command=Command.INTEREST, target=Status.DUNNED,
        kind=RowKind.BOOKING, meaning="Default interest was charged.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.OVERDUE, Guard.RUNNING, Guard.UNHELD), operation="dunlib.record_interest"),
    Row(source=Status.DUNNED, command=Command.PAUSE, target=Status.DUNNED, kind=RowKind.BOOKING,
        meaning="Dunning paused.", roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.RUNNING,), operation="dunlib.pause"),
    Row(source=Status.DUNNED, command=Command.RESUME, target=Status.DUNNED, kind=RowKind.BOOKING,
        meaning="Dunning resumed.", roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.PAUSED,), operation="dunlib.resume"),
    Row(source=Status.DUNNED, command=Command.CANCEL, target=Status.CANCELLED,
        kind=RowKind.BOOKING, meaning="A cancelling invoice was booked; the claim is offset, "
        "fees and interest written off.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.NOTHING_SETTLED,),
        operation="dunlib.cancel"),
    Row(source=Status.DUNNED, command=Command.WRITE_OFF, target=Status.WRITTEN_OFF,
        kind=RowKind.BOOKING, meaning="The dunning reached uncollectible; what is open is "
        "written off.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.OPEN,),
        operation="dunlib.write_off"),
    Row(source=Status.SENT, command=Command.PREPARE_LETTER, target=Status.SENT,
        kind=RowKind.LETTER, meaning="A letter the run decided is prepared; nothing owed yet.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.OPEN, Guard.RUNNING, Guard.UNHELD),
        operation="dunlib.prepare_letter"),
    Row(source=Status.SENT, command=Command.PREPARE_MANUAL_LETTER, target=Status.SENT,
        kind=RowKind.LETTER, meaning="Erinnerung vorbereiten: a letter prepared by hand "
        "outside the schedule; nothing owed yet.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.OVERDUE, Guard.RUNNING, Guard.UNHELD),
        operation="dunlib.prepare_manual_letter"),
    Row(source=Status.SENT, command=Command.APPROVE_LETTER, target=Status.SENT,
        kind=RowKind.LETTER, meaning="Freigabe: a prepared letter is approved for sending.",
        roles=frozenset({REVIEWER, ACCOUNTANT}), operation="dunlib.approve_letter"),
    Row(source=Status.SENT, command=Command.REJECT_LETTER, target=Status.SENT,
        kind=RowKind.LETTER, meaning="A prepared or approved letter is rejected; it is never sent.",
        roles=frozenset({REVIEWER, ACCOUNTANT}), operation="dunlib.reject_letter"),
    Row(source=Status.SENT, command=Command.WITHDRAW_LETTER, target=Status.SENT,
        kind=RowKind.LETTER, meaning="A letter on its way is withdrawn; it is never sent.",
        roles=frozenset({REVIEWER, ACCOUNTANT}), operation="dunlib.withdraw_letter"),
    Row(source=Status.SENT, command=Command.SUPERSEDE_LETTER, target=Status.SENT,
        kind=RowKind.LETTER, meaning="A letter whose invoices changed is superseded; the run "
        "decides afresh.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), operation="dunlib.supersede_letters"),
    Row(source=Status.DUNNED, command=Command.PREPARE_LETTER, target=Status.DUNNED,
        kind=RowKind.LETTER, meaning="A letter the run decided is prepared; nothing owed yet.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.OPEN, Guard.RUNNING, Guard.UNHELD),
        operation="dunlib.prepare_letter"),
    Row(source=Status.DUNNED, command=Command.PREPARE_MANUAL_LETTER, target=Status.DUNNED,
        kind=RowKind.LETTER, meaning="Erinnerung vorbereiten: a letter prepared by hand "
        "outside the schedule; nothing owed yet.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.OVERDUE, Guard.RUNNING, Guard.UNHELD),
        operation="dunlib.prepare_manual_letter"),
    Row(source=Status.DUNNED, command=Command.APPROVE_LETTER, target=Status.DUNNED,
        kind=RowKind.LETTER, meaning="Freigabe: a prepared letter is approved for sending.",
        roles=frozenset({REVIEWER, ACCOUNTANT}), operation="dunlib.approve_letter"),
    Row(source=Status.DUNNED, command=Command.REJECT_LETTER, target=Status.DUNNED,
        kind=RowKind.LETTER, meaning="A prepared or approved letter is rejected; it is never sent.",
        roles=frozenset({REVIEWER, ACCOUNTANT}), operation="dunlib.reject_letter"),
    Row(source=Status.DUNNED, command=Command.WITHDRAW_LETTER, target=Status.DUNNED,
        kind=RowKind.LETTER, meaning="A letter on its way is withdrawn; it is never sent.",
        roles=frozenset({REVIEWER, ACCOUNTANT}), operation="dunlib.withdraw_letter"),
    Row(source=Status.DUNNED, command=Command.SUPERSEDE_LETTER, target=Status.DUNNED,
        kind=RowKind.LETTER, meaning="A letter whose invoices changed is superseded; the run "
        "decides afresh.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), operation="dunlib.supersede_letters"),
    Row(source=Status.DUNNED, command=Command.COLLECT, target=Status.DUNNED,
        kind=RowKind.BOOKING, meaning="Escalation: the claim was handed to a debt collector; "
        "payments still settle it.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.OPEN, Guard.NOT_ESCALATED, Guard.RUNNING, Guard.UNHELD),
        operation="dunlib.record_escalation"),
    Row(source=Status.DUNNED, command=Command.BLOCK, target=Status.DUNNED,
        kind=RowKind.BOOKING, meaning="Escalation: the customer's service was blocked until "
        "the invoice is paid.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.OPEN, Guard.NOT_ESCALATED, Guard.RUNNING, Guard.UNHELD),
        operation="dunlib.record_escalation"),
    Row(source=Status.SENT, command=Command.HOLD, target=Status.SENT, kind=RowKind.BOOKING,
        meaning="Dunning held: a dispute, a promise to pay or a pending direct debit.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.NOT_HELD,),
        operation="dunlib.place_hold"),
    Row(source=Status.SENT, command=Command.LIFT_HOLD, target=Status.SENT, kind=RowKind.BOOKING,
        meaning="A hold on dunning lifted before its end.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.HELD,),
        operation="dunlib.lift_hold"),
    Row(source=Status.DUNNED, command=Command.HOLD, target=Status.DUNNED, kind=RowKind.BOOKING,
        meaning="Dunning held: a dispute, a promise to pay or a pending direct debit.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.NOT_HELD,),
        operation="dunlib.place_hold"),
    Row(source=Status.DUNNED, command=Command.LIFT_HOLD, target=Status.DUNNED,
        kind=RowKind.BOOKING, meaning="A hold on dunning lifted before its end.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.HELD,),
        operation="dunlib.lift_hold"),
    Row(source=Status.DUNNED, command=Command.WAIVE_FEE, target=Status.DUNNED,
        kind=RowKind.BOOKING, meaning="Mahngebühr erlassen: fees charged are taken back; what "
        "is left stays open.", roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.WITHIN_FEES,), operation="dunlib.payments.waive_fees"),
    *(Row(source=status, command=Command.REVERSE, target=status, kind=RowKind.BOOKING,
          meaning="A payment is taken back (booked to the wrong invoice, or returned by the "
          "bank); what it settled is open again.", roles=frozenset({ACCOUNTANT, AUTOMATION}),
          guards=(Guard.REVERSIBLE,), operation="dunlib.payments.reverse_payment")
      for status in (Status.SENT, Status.DUNNED)),
    Row(source=Status.PAID, command=Command.REVERSE, target=Status.SENT, kind=RowKind.BOOKING,
        meaning="A payment is taken back; the paid invoice is open again.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.REVERSIBLE, Guard.UNDUNNED),
        operation="dunlib.payments.reverse_payment"),
    Row(source=Status.PAID, command=Command.REOPEN_DUNNED, target=Status.DUNNED,
        kind=RowKind.BOOKING, meaning="A payment is taken back; the paid invoice, dunned "
        "before, is open and dunned again.", roles=frozenset({ACCOUNTANT, AUTOMATION}),
        guards=(Guard.REVERSIBLE, Guard.DUNNED_BEFORE),
        operation="dunlib.payments.reverse_payment"),
    Row(source=Status.DRAFT, command=Command.BOOK_BY_HAND, target=Status.PAID,
        kind=RowKind.BOOKING, meaning="Manuell verbucht: a negative draft booked by hand "
        "(number, date); its credit to the customer is cleared here and booked outside dunlib.",
        roles=frozenset({ACCOUNTANT}), acts=frozenset({_S}), guards=(Guard.NEGATIVE_TOTAL,),
        effect=Effect.BOOK, operation="dunlib.workflow.book_by_hand"),
    Row(source=Status.WRITTEN_OFF, command=Command.RECOVER, target=Status.WRITTEN_OFF,
        kind=RowKind.BOOKING, meaning="Money received for the written-off invoice is booked as "
        "a recovery; the write-off stays.",
        roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.RECOVERABLE,),
        operation="dunlib.payments.record_recovery"),
    Row(source=Status.SENT, command=Command.AGREE_PLAN, target=Status.SENT,
        kind=RowKind.BOOKING, meaning="Ratenzahlungsvereinbarung: an instalment plan for what "
        "is open holds dunning while each instalment arrives on time.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.OPEN, Guard.NO_PLAN, Guard.COVERS_OPEN),
        operation="dunlib.dunning.agree_plan"),
    Row(source=Status.SENT, command=Command.CANCEL_PLAN, target=Status.SENT,
        kind=RowKind.BOOKING, meaning="An instalment plan cancelled before it ended.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.PLANNED,),
        operation="dunlib.dunning.cancel_plan"),
    Row(source=Status.DUNNED, command=Command.AGREE_PLAN, target=Status.DUNNED,
        kind=RowKind.BOOKING, meaning="Ratenzahlungsvereinbarung: an instalment plan for what "
        "is open holds dunning while each instalment arrives on time.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.OPEN, Guard.NO_PLAN, Guard.COVERS_OPEN),
        operation="dunlib.dunning.agree_plan"),
    Row(source=Status.DUNNED, command=Command.CANCEL_PLAN, target=Status.DUNNED,
        kind=RowKind.BOOKING, meaning="An instalment plan cancelled before it ended.",
        roles=frozenset({ACCOUNTANT}), guards=(Guard.PLANNED,),
        operation="dunlib.dunning.cancel_plan"),
    *(Row(source=status, command=Command.MAKE_DOCUMENT, target=status, kind=RowKind.DOCUMENT,
          meaning="Dokument erstellen: the invoice's document (a draft's preview) is made, "
          "or made again.", roles=frozenset({CLERK, REVIEWER, ACCOUNTANT, AUTOMATION}),
          operation="dunlib.workflow.record_document") for status in Status),
    *(Row(source=status, command=Command.RESEND, target=status, kind=RowKind.DOCUMENT,
          meaning="Versenden: the booked invoice is sent to the customer again by e-mail.",
          roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.ONLINE,),
          operation="dunlib.workflow.record_resent") for status in (Status.SENT, Status.PAID)),
    *(Row(source=status, command=Command.PRINT, target=status, kind=RowKind.DOCUMENT,
          meaning="The booked paper invoice is printed to be posted.",
          roles=frozenset({ACCOUNTANT, AUTOMATION}), guards=(Guard.ON_PAPER,),
          operation="dunlib.workflow.record_printed")
      for status in Status if status.is_booked),
)  # fmt: skip

ROLES: frozenset[str] = frozenset({CLERK, REVIEWER, ACCOUNTANT, AUTOMATION})
"""Every role the table and a :class:`~dunlib.workflow.policy.Permissions` set may name."""

TRANSITIONS: Mapping[tuple[Status, Command], Status] = MappingProxyType(
    {(row.source, row.command): row.target for row in ROWS}
)
"""``(Status, Command) -> Status``: the single source of truth for the workflow."""

_ROW_BY_KEY: Mapping[tuple[Status, Command], Row] = MappingProxyType(
    {(row.source, row.command): row for row in ROWS}
)

_SOURCES: Mapping[Command, frozenset[Status]] = MappingProxyType(
    {
        command: frozenset(row.source for row in ROWS if row.command is command)
        for command in Command
    }
)


class DocumentKind(Enum):
    """A kind of document that can be made from an invoice (:mod:`dunlib.workflow.documents`)."""

    CREDIT_NOTE = "credit note"
    CANCELLATION = "cancellation"
    DELIVERY_NOTE = "delivery note"
    NEW_INVOICE = "new invoice"


_FROM_REVIEWED = frozenset(
    {Status.REVIEWED, Status.SENT, Status.PAID, Status.DUNNED, Status.CANCELLED, Status.WRITTEN_OFF}
)

DERIVED_FROM: Mapping[DocumentKind, frozenset[Status]] = MappingProxyType(
    {
        DocumentKind.CREDIT_NOTE: frozenset(
            {Status.CREATED, Status.REVIEWED, Status.SENT, Status.PAID, Status.DUNNED}
        ),
        DocumentKind.DELIVERY_NOTE: _FROM_REVIEWED,
        DocumentKind.NEW_INVOICE: _FROM_REVIEWED,
    }
)
"""The states a document may be derived from (seed 002, states 1 to 7 and section 3).

Deriving is no row of the table: it makes a new document and leaves the invoice as it
is. Credit notes are derived from 1 CREATED on, but not in 6 or 7 and never from a
cancelling invoice (booking one against the invoice is the CREDIT row); delivery notes
and new invoices from 2 REVIEWED on. A cancellation is the CANCEL row itself: its states
are the table's (:func:`sources`).
"""


def row_for(
    status: Status,
    command: Command,
    *,
    invoice_id: str = "",
    number: str | None = None,
    actor: str = "",
) -> Row:
    """The table row for ``command`` in ``status``.

    Without one, the refusal that every function attempting the step raises alike (the
    booking path calls this): :class:`~dunlib.core.errors.PaymentStateError` for PAY
    (:class:`~dunlib.core.errors.WrittenOffPaymentError` in 7 WRITTEN_OFF, whose money received
    is a recovery), else :class:`~dunlib.core.errors.TransitionNotAllowedError`; each
    names the states the table has the command in and the commands it allows in
    ``status``. ``invoice_id``, ``number`` and ``actor`` are the facts the error carries.
    """
    try:
        row = _ROW_BY_KEY.get((status, command))
    except TypeError:  # an unhashable argument: refused below
        row = None
    if row is not None:
        return row
    if not isinstance(status, Status) or not isinstance(command, Command):
        expected = ("row_for.status", status, "a Status")
        if isinstance(status, Status):
            expected = ("row_for.command", command, "a Command")
        raise InvalidTypeError(*expected)
    allowed = allowed_commands(status)
    states = tuple(sorted(sources(command)))
    if command is Command.PAY:
        refused = WrittenOffPaymentError if status is Status.WRITTEN_OFF else PaymentStateError
        raise refused(
            invoice_id=invoice_id,
            status=status,
            accepted=states,
            number=number,
            actor=actor,
            allowed=allowed,
        )
    raise TransitionNotAllowedError(
        status=status,
        command=command.name,
        allowed=allowed,
        invoice_id=invoice_id,
        number=number,
        actor=actor,
        allowed_in=[f"{state.value} {state.name}" for state in states],
    )


def sources(command: Command) -> frozenset[Status]:
    """The states the table has a row for ``command`` in (where the step may be taken)."""
    if not isinstance(command, Command):
        raise InvalidTypeError("sources.command", command, "a Command")
    return _SOURCES[command]


def allowed_commands(status: Status) -> list[str]:
    """The names of the commands the table has a row for in ``status``, sorted."""
    return sorted(c.name for (s, c) in TRANSITIONS if s is status)


def render_table() -> str:
    """The transition table as a Markdown table (the docs show exactly this)."""
    lines = [
        "| from | command | to | kind | acts | roles | guards | effect | meaning |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in ROWS:
        acts = ", ".join(act.value for act in Act if act in row.acts) or "-"
        roles = ", ".join(sorted(row.roles)) or "-"
        guards = ", ".join(guard.value for guard in row.guards) or "-"
        lines.append(
            f"| {row.source.value} {row.source.name} | {row.command.name} "
            f"| {row.target.value} {row.target.name} | {row.kind.value} | {acts} | {roles} "
            f"| {guards} | {row.effect.value} | {row.meaning} |"
        )
    return "\n".join(lines) + "\n"
