"""Claiming default interest: :func:`record_interest` books an
:class:`~dunlib.core.records.InterestCharge` (what :func:`dunlib.dunning.interest.accrued_interest`
computes) through the workflow table's INTEREST row.
"""

from __future__ import annotations

from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.records import InterestCharge
from dunlib.core.transitions import Command
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import Actor, Authority

__all__ = ["record_interest"]


def record_interest(
    invoice: Invoice,
    charge: InterestCharge,
    *,
    actor: Actor,
    authority: Authority,
) -> Invoice:
    """``invoice`` with default interest ``charge`` booked on ``charge.on`` by ``actor``.

    Only on a SENT or DUNNED invoice that is due (guard ``overdue``: on or after the due
    date, something open), whose dunning is neither paused nor held (guards ``running``,
    ``unheld``: the days are not lost, the next claim after it counts them), never dated
    before the invoice's last step, in its currency, and dated after every interest charge
    already booked (a charge covers the days before its date: a day is claimed once).
    """
    checked_invoice(invoice, "record_interest")
    if not isinstance(charge, InterestCharge):
        raise InvalidTypeError("record_interest.charge", charge, "an InterestCharge")
    if charge.amount.currency != invoice.currency:
        raise InvalidValueError(
            "record_interest.charge.amount", charge.amount, f"an amount in {invoice.currency}"
        )
    claimed = max((done.on for done in invoice.interest_charges), default=None)
    if claimed is not None and charge.on <= claimed:
        raise InvalidValueError(
            "record_interest.charge.on",
            charge.on,
            f"a day after {claimed}: interest on invoice {invoice.known_as} is "
            f"claimed for every day before {claimed} already (a day is claimed once)",
        )
    return _booking.book(
        invoice,
        Command.INTEREST,
        operation="record_interest",
        actor=actor,
        on=charge.on,
        authority=authority,
        kind=EventKind.INTEREST,
        detail=f"default interest of {charge.amount} charged"
        + (f" ({charge.detail})" if charge.detail else ""),
        changes={"interest_charges": (*invoice.interest_charges, charge)},
    )
