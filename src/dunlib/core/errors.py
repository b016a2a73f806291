"""Every error dunlib raises.

One root, :class:`DunlibError`, and a few families below it. Each error carries
its facts as attributes and builds its message from them, so a caller can both
read the message and act on the fields. Errors are for caller mistakes only;
business outcomes ("nothing to do", "overpaid by 1.50") are returned as values.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

__all__ = [
    "AccountPermissionDeniedError",
    "BillingFlagError",
    "CurrencyMismatchError",
    "DocumentError",
    "DocumentNotAllowedError",
    "DocumentProblem",
    "DunlibError",
    "GuardFailedError",
    "InvalidTypeError",
    "InvalidValueError",
    "InvoiceLockedError",
    "LetterNotApprovedError",
    "LetterStateError",
    "MissingExtraError",
    "PaymentCurrencyError",
    "PaymentRejectedError",
    "PaymentStateError",
    "PermissionDeniedError",
    "PolicyViolationError",
    "StepRefusedError",
    "TransitionNotAllowedError",
    "WrittenOffPaymentError",
]


class DunlibError(Exception):
    """The root of every error raised by dunlib: ``except DunlibError`` catches them all."""


def _shown(value: Any, limit: int = 200) -> str:
    """``repr(value)`` for a message: cut in the middle beyond ``limit`` characters, and never
    failing (a value whose repr raises is shown by its type, a whole number too long to print
    by its size: the message stays the same from run to run)."""
    try:
        text = repr(value)
    except Exception:
        text = f"<{type(value).__name__} that cannot be printed>"
        if isinstance(value, int):
            text = f"<int of about {int(value.bit_length() * 0.30103) + 1} digits>"
    return text if len(text) <= limit else f"{text[: limit - 50]}...{text[-40:]}"


class InvalidValueError(DunlibError, ValueError):
    """A value given to dunlib is not valid for the field it was given to.

    Raised at construction of a value object (or at the call that received the
    value), never later. ``field`` names where the value went (``LineItem.quantity``),
    ``value`` is what was given and ``expected`` says what would be valid.
    """

    def __init__(self, field: str, value: Any, expected: str) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        super().__init__(f"{field}: got {_shown(value)}; expected {expected}")


class InvalidTypeError(InvalidValueError, TypeError):
    """A value of the wrong type was given, such as a float where money belongs.

    Also a :class:`TypeError`, so code that already catches that keeps working.
    """


class CurrencyMismatchError(DunlibError, ValueError):
    """Two amounts in different currencies were combined or compared.

    dunlib never converts currencies; ``left`` and ``right`` are the two codes
    and ``operation`` what was attempted.
    """

    def __init__(self, left: str, right: str, operation: str) -> None:
        self.left = left
        self.right = right
        self.operation = operation
        super().__init__(
            f"cannot {operation} amounts in {left} and {right}: "
            f"amounts must share one currency (convert first, outside dunlib)"
        )


class StepRefusedError(DunlibError):
    """A step on an invoice was refused; the invoice is left unchanged.

    The one family of refused steps, whichever function was called: the four refusals of
    the booking path (no row in the table, no right, the eyes policy, a guard), a payment
    in a state that takes none and a document derived from a state that allows none. Each
    carries the same facts: ``invoice_id`` names the invoice and ``number`` its number
    (None before it is booked), ``status`` its processing state, ``command`` what was
    attempted (a :class:`~dunlib.core.transitions.Command` name, or the kind of document
    derived) and ``actor`` who attempted it (an actor id; empty when nobody was named).
    The message names the invoice by its number, and by its id where that differs. The
    same refusal (the same command in the same state) raises the same class with the same
    message from every function that attempts it. Catch this to handle every refused step.
    """

    def __init__(
        self,
        message: str,
        *,
        invoice_id: str,
        status: Any,
        command: str,
        actor: str,
        number: str | None = None,
    ) -> None:
        self.invoice_id = invoice_id
        self.number = number
        self.status = status
        self.command = command
        self.actor = actor
        super().__init__(message)


def _invoice(invoice_id: str, number: str | None) -> str:
    """The invoice as a message names it: by its number, and its id where that differs."""
    if number and number != invoice_id:
        return f"{number} (id {invoice_id})"
    return invoice_id


class TransitionNotAllowedError(StepRefusedError):
    """The workflow table has no row for this command in the invoice's current state, or the
    row is performed by another operation than the one called.

    ``allowed`` are the commands the table does allow there and ``allowed_in`` the states
    the table has the command in (empty when not given); ``remedy``, when given, ends the
    message with what to do instead; ``operation`` names the public function that performs
    the row when the row exists but belongs to it (``record_stage`` for DUN, say), else it
    is empty.
    """

    def __init__(
        self,
        *,
        status: Any,
        command: str,
        allowed: list[str],
        invoice_id: str = "",
        actor: str = "",
        operation: str = "",
        number: str | None = None,
        allowed_in: list[str] | None = None,
        remedy: str = "",
    ) -> None:
        self.allowed = allowed
        self.allowed_in = [] if allowed_in is None else allowed_in
        self.operation = operation
        where = f" on invoice {_invoice(invoice_id, number)}" if invoice_id else ""
        if operation:
            text = (
                f"{command}{where} in state {_state(status)} is not a workflow step of its own: "
                f"it is performed by {operation}"
            )
        else:
            options = ", ".join(allowed) if allowed else "none (a final state)"
            text = (
                f"{command} is not allowed{where} in state {_state(status)}"
                + (f" (only in {', '.join(self.allowed_in)})" if self.allowed_in else "")
                + f"; allowed there: {options}"
                + (f"; {remedy}" if remedy else "")
            )
        super().__init__(
            text,
            invoice_id=invoice_id,
            status=status,
            command=command,
            actor=actor,
            number=number,
        )


@attrs.frozen(kw_only=True)
class DocumentProblem:
    """One thing wrong with a stored document: where (``path``) and what (``message``).

    ``path`` is written the way the document is read: ``stages[2].fee.amount``
    (``$`` for the document as a whole).
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DocumentError(DunlibError, ValueError):
    """A document handed to :mod:`dunlib.io.serialize` cannot be read.

    Raised once per document, listing every problem found (not just the first)
    in ``problems``, each with its path. ``document`` names what was being read
    (``Invoice``, ``DunningRules``). Fix the listed fields and load again; the
    message says what each field expects.
    """

    def __init__(self, document: str, problems: Iterable[DocumentProblem]) -> None:
        self.document = document
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "".join(f"\n  {problem}" for problem in self.problems)
        super().__init__(
            f"cannot read the {document} document, {count} problem{'s' if count != 1 else ''}:"
            f"{lines}"
        )


def _state(status: Any) -> str:
    return f"{int(status)} {status.name}"


class PermissionDeniedError(StepRefusedError):
    """The actor's roles do not grant the command in the invoice's current state.

    ``roles`` are the roles the actor holds and ``required`` the roles the permission set
    accepts there (any one suffices). Grant one of them to the actor, or let someone who
    holds one act.
    """

    def __init__(
        self,
        *,
        actor: str,
        roles: list[str],
        command: str,
        status: Any,
        invoice_id: str,
        required: list[str],
        number: str | None = None,
    ) -> None:
        self.roles = roles
        self.required = required
        held = ", ".join(roles) if roles else "none"
        needed = ", ".join(required) if required else "nobody is granted it"
        super().__init__(
            f"{actor} (roles: {held}) may not {command} invoice "
            f"{_invoice(invoice_id, number)} in state {_state(status)}: rule permission, "
            f"requires one of: {needed}",
            invoice_id=invoice_id,
            status=status,
            command=command,
            actor=actor,
            number=number,
        )


class PolicyViolationError(StepRefusedError):
    """The step would break the approval (eyes) policy.

    ``eyes`` is the policy (2, 4 or 6), ``rule`` the rule broken (a
    :class:`dunlib.workflow.policy.PolicyRule`, also a plain string) and ``reason`` the facts behind
    it. Let another actor perform the step, or take the states one by one.
    """

    def __init__(
        self,
        *,
        actor: str,
        command: str,
        status: Any,
        invoice_id: str,
        eyes: int,
        rule: str,
        reason: str,
        number: str | None = None,
    ) -> None:
        self.eyes = eyes
        self.rule = rule
        self.reason = reason
        super().__init__(
            f"{actor} may not {command} invoice {_invoice(invoice_id, number)} "
            f"in state {_state(status)}: {eyes}-eye policy, rule {rule}: {reason}",
            invoice_id=invoice_id,
            status=status,
            command=command,
            actor=actor,
            number=number,
        )


class GuardFailedError(StepRefusedError):
    """The table has the step, but a condition that guards it does not hold.

    ``guard`` is the condition's name and ``reason`` why it fails and what to do instead.
    """

    def __init__(
        self,
        *,
        actor: str,
        command: str,
        status: Any,
        invoice_id: str,
        guard: str,
        reason: str,
        number: str | None = None,
    ) -> None:
        self.guard = guard
        self.reason = reason
        who = actor or "nobody"
        super().__init__(
            f"{who} may not {command} invoice {_invoice(invoice_id, number)} "
            f"in state {_state(status)}: guard {guard}: {reason}",
            invoice_id=invoice_id,
            status=status,
            command=command,
            actor=actor,
            number=number,
        )


class InvoiceLockedError(DunlibError):
    """An attempt to change an invoice's lines or amounts outside the state that allows it.

    Lines may be added, edited and removed only in 0 DRAFT; from 1 CREATED on they are
    frozen, and from 3 SENT on the invoice changes only through bookkeeping steps
    (payments, credit notes, cancellation). ``invoice`` is the invoice's id (``number`` its
    number, when it has one), ``status`` its state and ``attempted`` what was tried. Reject
    the invoice back to DRAFT (from 1 or 2) or issue a credit note or cancellation (from 3 on).
    """

    def __init__(
        self, *, invoice: str, status: Any, attempted: str, number: str | None = None
    ) -> None:
        self.invoice = invoice
        self.number = number
        self.status = status
        self.attempted = attempted
        if int(status) >= 3:
            remedy = "from 3 SENT on only payments, credit notes or a cancellation change it"
        else:
            remedy = "reject it back to 0 DRAFT first"
        super().__init__(
            f"cannot {attempted} on invoice {_invoice(invoice, number)} in state {_state(status)}: "
            f"lines and amounts can be changed only in 0 DRAFT; {remedy}"
        )


class BillingFlagError(DunlibError, ValueError):
    """An order or contract item cannot take part in this billing step because of its flag.

    Only items NOT_BILLED are taken into an invoice; only items TRANSFERRED to the
    invoice at hand are billed or released with it. ``item`` is the item's id, ``flag``
    its :class:`~dunlib.billing.orders.BillingFlag`, ``attempted`` what was tried and
    ``expected`` what would have allowed it. This is what prevents billing an item twice.
    """

    def __init__(self, *, item: str, flag: Any, attempted: str, expected: str) -> None:
        self.item = item
        self.flag = flag
        self.attempted = attempted
        self.expected = expected
        name = getattr(flag, "name", flag)
        super().__init__(f"cannot {attempted}: item {item} is {name}; expected {expected}")


class DocumentNotAllowedError(StepRefusedError):
    """A document (credit note, delivery note, new invoice) was derived from an invoice in a
    state that does not allow it.

    ``document`` names the document kind (also the ``command``), ``invoice`` the invoice's
    id (also ``invoice_id``), ``status`` its state and ``allowed`` the states that allow it
    (empty for cancelling invoices, from which no credit note may be made). The states are
    :data:`dunlib.core.transitions.DERIVED_FROM`, next to the workflow table.
    """

    def __init__(
        self,
        *,
        document: str,
        invoice: str,
        status: Any,
        allowed: list[str],
        number: str | None = None,
        actor: str = "",
    ) -> None:
        self.document = document
        self.invoice = invoice
        self.allowed = allowed
        where = ", ".join(allowed) if allowed else "no state (not from a cancelling invoice)"
        super().__init__(
            f"cannot make a {document} from invoice {_invoice(invoice, number)} in state "
            f"{_state(status)}; allowed from: {where}",
            invoice_id=invoice,
            status=status,
            command=document,
            actor=actor,
            number=number,
        )


class PaymentRejectedError(DunlibError):
    """A payment cannot be recorded on this invoice; the invoice is left unchanged.

    ``invoice_id`` names the invoice. Catch this to handle every refused payment;
    the subclasses say why.
    """

    invoice_id: str


class PaymentCurrencyError(PaymentRejectedError, CurrencyMismatchError):
    """The payment is in another currency than the invoice (dunlib never converts).

    Also a :class:`CurrencyMismatchError`: ``left`` is the invoice's currency,
    ``right`` the payment's; ``invoice_id`` and ``number`` name the invoice. Convert the
    amount outside dunlib, then record it.
    """

    def __init__(
        self,
        *,
        invoice_id: str,
        invoice_currency: str,
        payment_currency: str,
        number: str | None = None,
    ) -> None:
        self.invoice_id = invoice_id
        self.number = number
        self.left = invoice_currency
        self.right = payment_currency
        self.operation = "record a payment"
        Exception.__init__(
            self,
            f"cannot record a payment in {payment_currency} on invoice "
            f"{_invoice(invoice_id, number)} "
            f"in {invoice_currency}: convert it to {invoice_currency} first, outside dunlib",
        )


class PaymentStateError(PaymentRejectedError, TransitionNotAllowedError):
    """The invoice's processing state takes no payment: the workflow table has no PAY row
    there.

    A :class:`TransitionNotAllowedError` for PAY, raised by the booking path for every
    function that attempts it (:func:`dunlib.record_payment`, :func:`dunlib.transition`).
    ``status`` is the invoice's state and ``accepted`` the states that take payments (those
    the table has a PAY row in: SENT and DUNNED).
    """

    _remedy = ""

    def __init__(
        self,
        *,
        invoice_id: str,
        status: Any,
        accepted: tuple[Any, ...],
        number: str | None = None,
        actor: str = "",
        allowed: list[str] | None = None,
    ) -> None:
        self.accepted = accepted
        TransitionNotAllowedError.__init__(
            self,
            status=status,
            command="PAY",
            allowed=[] if allowed is None else allowed,
            invoice_id=invoice_id,
            actor=actor,
            number=number,
            allowed_in=[_state(state) for state in accepted],
            remedy=self._remedy,
        )


class WrittenOffPaymentError(PaymentStateError):
    """The invoice was written off: money received for it is no payment but a recovery.

    The source (seed 002, state 7) books money received after a write-off on the
    dunning procedure (collection), not on the invoice as a payment: book it with
    :func:`dunlib.payments.record_recovery`, which keeps the write-off and records the money
    received beside it.
    """

    _remedy = (
        "book the money received as a recovery with dunlib.payments.record_recovery "
        "(the write-off stays), not as a payment"
    )


class MissingExtraError(DunlibError, ImportError):
    """An optional feature needs a package that is not installed.

    ``package`` is the missing package and ``extra`` the dunlib extra that installs it
    (``pip install 'dunlib[holidays]'``).
    """

    def __init__(self, *, package: str, extra: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"this needs the package {package!r}, which is not installed: "
            f"install the extra with pip install 'dunlib[{extra}]'"
        )


class LetterStateError(DunlibError):
    """A step on a prepared letter that its state does not allow: approving or
    rejecting a letter that is no longer waiting for approval (approved, rejected or sent
    already, or one that needs no approval), sending one that was rejected or sent.

    ``invoices`` are the ids of the letter's invoices, ``state`` its
    :class:`~dunlib.portfolio.prepared.LetterState`, ``attempted`` what was tried and ``allowed``
    the steps its state allows (empty once it is rejected or sent). The message names the
    invoices as their users know them (``names``: numbers, with ids where they differ).
    """

    def __init__(
        self,
        *,
        invoices: tuple[str, ...],
        state: Any,
        attempted: str,
        allowed: list[str],
        names: tuple[str, ...] = (),
    ) -> None:
        self.invoices = invoices
        self.state = state
        self.attempted = attempted
        self.allowed = allowed
        name = getattr(state, "name", state)
        options = ", ".join(allowed) if allowed else "none (its life is over)"
        super().__init__(
            f"cannot {attempted} the letter for {', '.join(names or invoices)}: it is {name}; "
            f"allowed: {options}"
        )


class LetterNotApprovedError(LetterStateError):
    """A letter that needs approval (its stage's dispatch is "after approval", or its
    customer's letters need approval) was sent before anyone approved it.

    Approve it first (:func:`dunlib.approve_letter`), by an actor with the right to.
    """


class AccountPermissionDeniedError(PermissionDeniedError):
    """The actor's roles do not grant the change to a customer's account.

    ``customer_id`` names the customer whose account it is and ``command`` the operation
    (a :class:`~dunlib.workflow.policy.Operation` name); ``roles`` and ``required`` are as for
    :class:`PermissionDeniedError`. An account is no invoice: ``invoice_id`` is empty and
    ``status`` None.
    """

    def __init__(
        self, *, actor: str, roles: list[str], command: str, customer_id: str, required: list[str]
    ) -> None:
        self.roles = roles
        self.required = required
        self.customer_id = customer_id
        held = ", ".join(roles) if roles else "none"
        needed = ", ".join(required) if required else "nobody is granted it"
        StepRefusedError.__init__(
            self,
            f"{actor} (roles: {held}) may not {command} the account of customer "
            f"{customer_id}: rule permission, requires one of: {needed}",
            invoice_id="",
            status=None,
            command=command,
            actor=actor,
        )
