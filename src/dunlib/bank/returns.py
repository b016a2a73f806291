"""Returned payments booked back: a SEPA R-transaction on a statement (a direct debit the
customer's bank returned, a refund the payer asked for, a transfer sent back) takes back
the payment it returns.

A return is never money received (:attr:`~dunlib.bank.statement.StatementEntry.incoming`
is false for it). :func:`book_returns` finds, for each returned entry among the entries
imported, the payment it returns: on an invoice given, not taken back yet, of the amount
returned (the entry's amount less the bank's return fee), whose reference is the return's
remittance text or holds its end-to-end id. It books the reversal through the one booking
path (:func:`dunlib.payments.reverse_payment`: the invoice reopens, money is conserved),
with the reason code and its meaning as the reason and the return fee kept apart, and ends a
direct-debit hold that still holds on the invoice (the debit it waited for failed). A return
whose payment is not found, or found on more than one invoice, is left for a person
(:attr:`ReturnsBooked.unmatched`), never guessed.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

import attrs

from dunlib.bank.statement import RETURN_REASONS, StatementEntry
from dunlib.core import validate as v
from dunlib.core.invoice import Invoice
from dunlib.core.records import HoldKind, Reversal
from dunlib.dunning.holds import lift_hold
from dunlib.payments.reversal import reverse_payment
from dunlib.workflow.policy import Actor, Authority

__all__ = ["ReturnsBooked", "book_returns"]


@attrs.frozen(kw_only=True)
class ReturnsBooked:
    """What :func:`book_returns` did: ``invoices``, every invoice given, each with the
    returns booked on it (in the order given); ``booked``, the returned entries booked
    with the id of the invoice each reopened; ``unmatched``, the returned entries whose
    payment was not found on exactly one invoice (for a person)."""

    invoices: tuple[Invoice, ...]
    booked: tuple[tuple[StatementEntry, str], ...]
    unmatched: tuple[StatementEntry, ...]


def _reason(entry: StatementEntry) -> str:
    """The reason a reversal of ``entry`` names: the SEPA code and what it means."""
    code = entry.return_reason
    meaning = RETURN_REASONS.get(code, "")
    text = f"{code} {meaning}".strip() if code else "returned by the bank"
    return f"{text} ({entry.end_to_end_id})" if entry.end_to_end_id else text


def _returns(invoice: Invoice, entry: StatementEntry) -> list[int]:
    """The positions of the payments on ``invoice`` that ``entry`` may return."""
    fee = entry.return_fee.amount if entry.return_fee is not None else 0
    amount = -entry.amount.amount - fee
    back = {reversal.payment for reversal in invoice.reversals}
    found = []
    for position, payment in enumerate(invoice.payments):
        if position in back or payment.amount.amount != amount:
            continue
        reference = payment.reference
        if (entry.remittance and reference == entry.remittance) or (
            entry.end_to_end_id and entry.end_to_end_id in reference
        ):
            found.append(position)
    return found


def book_returns(
    entries: Iterable[StatementEntry],
    invoices: Iterable[Invoice],
    *,
    on: _dt.date,
    actor: Actor,
    authority: Authority,
) -> ReturnsBooked:
    """Book each returned entry among ``entries`` (batch items included) as the reversal,
    on ``on``, of the payment it returns on ``invoices`` (see the module docs); entries that
    are no return are left alone. Each booking passes every check of its row; a refused one
    raises its typed error and books nothing of that entry."""
    items = v.items_of(entries, StatementEntry, "book_returns.entries", "StatementEntry values")
    books = {
        invoice.id: invoice
        for invoice in v.items_of(invoices, Invoice, "book_returns.invoices", "Invoice values")
    }
    booked: list[tuple[StatementEntry, str]] = []
    unmatched: list[StatementEntry] = []
    for entry in (one for item in items for one in (item.parts or (item,))):
        if not entry.returned:
            continue
        candidates = [
            (key, found) for key, invoice in books.items() if (found := _returns(invoice, entry))
        ]
        if len(candidates) != 1 or len(candidates[0][1]) != 1:
            unmatched.append(entry)
            continue
        key, (position,) = candidates[0]
        reversal = Reversal(
            on=on, payment=position, reason=_reason(entry), bank_fee=entry.return_fee
        )
        invoice = reverse_payment(books[key], reversal, actor=actor, authority=authority).invoice
        if any(h.kind is HoldKind.DIRECT_DEBIT and h.holds_on(today=on) for h in invoice.holds):
            invoice = lift_hold(
                invoice,
                HoldKind.DIRECT_DEBIT,
                on=on,
                actor=actor,
                reason=f"direct debit returned: {reversal.reason}",
                authority=authority,
            )
        books[key] = invoice
        booked.append((entry, key))
    return ReturnsBooked(
        invoices=tuple(books.values()), booked=tuple(booked), unmatched=tuple(unmatched)
    )
