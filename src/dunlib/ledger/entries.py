"""Journal entries: what one booking of an invoice moves between accounts."""

from __future__ import annotations

import datetime as _dt

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import InvalidValueError
from dunlib.core.money import Money, sum_money
from dunlib.ledger.accounts import Role

__all__ = ["JournalEntry", "Posting"]


@attrs.frozen(kw_only=True)
class Posting:
    """One line of a journal entry: ``amount`` on ``account`` (the number in the chart),
    a debit when positive and a credit when negative; ``role`` is what the account is for
    (receivables, revenue, output VAT, ...), and ``tax_code`` the tax key of a posting on a
    revenue or tax account where one applies (the line's tax category and rate, ``S19``)."""

    account: str = attrs.field(validator=v.non_empty_text)
    role: Role = attrs.field(validator=v.of_type(Role, expected="a Role"))
    amount: Money = attrs.field(validator=v.money)
    tax_code: str = attrs.field(default="", validator=v.text)


def _balanced(instance: JournalEntry, attribute: attrs.Attribute[object], value: object) -> None:
    postings = v.items_of(value, Posting, "JournalEntry.postings", "a tuple of Posting")
    if len(postings) < 2:
        raise InvalidValueError("JournalEntry.postings", value, "at least two postings")
    total = sum_money((posting.amount for posting in postings), postings[0].amount.currency)
    if total.amount:
        raise InvalidValueError(
            "JournalEntry.postings", value, f"postings that balance to zero, not to {total}"
        )


@attrs.frozen(kw_only=True)
class JournalEntry:
    """The postings one booking of an invoice implies, balanced to zero.

    ``on`` is the day it is booked (for a payment: the bank's booking date), ``value_date``
    the day the money moved where one did (else None), ``document`` the invoice's number,
    ``text`` the booking text, and ``entry`` the position in the invoice's history of the
    entry that booked it (each booking has exactly one journal entry)."""

    on: _dt.date = attrs.field(validator=v.calendar_date)
    document: str = attrs.field(validator=v.non_empty_text)
    text: str = attrs.field(validator=v.text)
    postings: tuple[Posting, ...] = attrs.field(converter=v.to_tuple, validator=_balanced)
    entry: int = attrs.field(validator=v.non_negative_int)
    value_date: _dt.date | None = attrs.field(default=None, validator=v.optional(v.calendar_date))
