"""Default interest (Verzugszinsen) booked on an invoice.

:func:`record_interest` books an :class:`~dunlib.invoice.InterestCharge` through the
one booking path (the table's INTEREST row, SENT and DUNNED, once the invoice is due):
payments then settle it after fees and before the principal (BGB §367).
"""

from __future__ import annotations

from dunlib import _booking
from dunlib.errors import InvalidTypeError, InvalidValueError
from dunlib.history import EventKind
from dunlib.invoice import InterestCharge, Invoice
from dunlib.policy import AUTOMATIC, Actor, Permissions
from dunlib.transitions import Command

__all__ = ["record_interest"]


def record_interest(
    invoice: Invoice,
    charge: InterestCharge,
    *,
    actor: Actor = AUTOMATIC,
    permissions: Permissions | None = None,
) -> Invoice:
    """``invoice`` with default interest ``charge`` booked on ``charge.on`` by ``actor``.

    Only on a SENT or DUNNED invoice that is due (guard ``overdue``: on or after the due
    date, something open), never dated before the invoice's last step, in its currency.
    """
    _booking.checked_invoice(invoice, "record_interest")
    if not isinstance(charge, InterestCharge):
        raise InvalidTypeError("record_interest.charge", charge, "an InterestCharge")
    if charge.amount.currency != invoice.currency:
        raise InvalidValueError(
            "record_interest.charge.amount", charge.amount, f"an amount in {invoice.currency}"
        )
    return _booking.book(
        invoice,
        Command.INTEREST,
        operation="record_interest",
        actor=actor,
        on=charge.on,
        permissions=permissions,
        kind=EventKind.INTEREST,
        detail=f"default interest of {charge.amount} charged"
        + (f" ({charge.detail})" if charge.detail else ""),
        changes={"interest": (*invoice.interest, charge)},
    )
