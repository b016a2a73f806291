"""Every error dunlib raises.

One root, :class:`DunlibError`, and a few families below it. Each error carries
its facts as attributes and builds its message from them, so a caller can both
read the message and act on the fields. Errors are for caller mistakes only;
business outcomes ("nothing to do", "overpaid by 1.50") are returned as values.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "CurrencyMismatchError",
    "DunlibError",
    "InvalidTypeError",
    "InvalidValueError",
    "PaymentCurrencyError",
    "PaymentRejectedError",
    "PaymentStateError",
    "TransitionNotAllowedError",
    "WrittenOffPaymentError",
]


class DunlibError(Exception):
    """The root of every error raised by dunlib: ``except DunlibError`` catches them all."""


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
        super().__init__(f"{field}: got {value!r}; expected {expected}")


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


class TransitionNotAllowedError(DunlibError):
    """The workflow table has no row for this command in the invoice's current state.

    ``status`` is the invoice's state, ``command`` what was attempted and
    ``allowed`` the commands the table does allow there.
    """

    def __init__(self, *, status: Any, command: str, allowed: list[str]) -> None:
        self.status = status
        self.command = command
        self.allowed = allowed
        options = ", ".join(allowed) if allowed else "none (a final state)"
        super().__init__(
            f"{command} is not allowed in state {int(status)} {status.name}; "
            f"allowed there: {options}"
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
    ``right`` the payment's. Convert the amount outside dunlib, then record it.
    """

    def __init__(self, *, invoice_id: str, invoice_currency: str, payment_currency: str) -> None:
        self.invoice_id = invoice_id
        self.left = invoice_currency
        self.right = payment_currency
        self.operation = "record a payment"
        Exception.__init__(
            self,
            f"cannot record a payment in {payment_currency} on invoice {invoice_id} "
            f"in {invoice_currency}: convert it to {invoice_currency} first, outside dunlib",
        )


class PaymentStateError(PaymentRejectedError):
    """The invoice's processing state takes no payment.

    ``status`` is the invoice's state and ``accepted`` the states that take
    payments (SENT and DUNNED).
    """

    def __init__(self, *, invoice_id: str, status: Any, accepted: tuple[Any, ...]) -> None:
        self.invoice_id = invoice_id
        self.status = status
        self.accepted = accepted
        names = ", ".join(f"{int(s)} {s.name}" for s in accepted)
        super().__init__(self._message(names))

    def _message(self, names: str) -> str:
        return (
            f"invoice {self.invoice_id} is in state {int(self.status)} {self.status.name}, "
            f"which takes no payment; payments are recorded in: {names}"
        )


class WrittenOffPaymentError(PaymentStateError):
    """The invoice was written off: payments on it go only against its dunning.

    The source (seed 002, state 7) books money received after a write-off on the
    dunning procedure (collection), not on the invoice. Record it there.
    """

    def _message(self, names: str) -> str:
        return (
            f"invoice {self.invoice_id} is written off (state {int(self.status)} "
            f"{self.status.name}): record the payment against its dunning (collection), "
            f"not the invoice; invoices take payments only in: {names}"
        )
