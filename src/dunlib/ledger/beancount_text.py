"""Journal entries as beancount text (https://beancount.github.io/docs/): a plain-text
ledger that the ``beancount`` package (the optional extra ``beancount``) loads and checks.

Writing the text needs no import of beancount. Each account used is opened once, on the
first day it is booked (or the given ``opened`` day); each journal entry is a transaction
on its booking day, its text the narration, with the metadata ``document`` (the invoice's
number), ``entry`` (its position in the invoice's history) and ``value-date`` where money
moved; a posting keeps its ``tax-code``. An account is named by its role's place in the
books and its number: receivables and bank are Assets, output VAT and customer credit
Liabilities, bad debts Expenses, revenue, discounts granted (a reduction of revenue),
recoveries, fees and interest Income, so SKR 03's 8400 is ``Income:Revenue:8400``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.ledger.accounts import Role
from dunlib.ledger.entries import JournalEntry, Posting

__all__ = ["BEANCOUNT_ACCOUNTS", "beancount_text"]

BEANCOUNT_ACCOUNTS: dict[Role, str] = {
    Role.RECEIVABLES: "Assets:Receivables",
    Role.BANK: "Assets:Bank",
    Role.REVENUE: "Income:Revenue",
    Role.OUTPUT_VAT: "Liabilities:OutputVAT",
    Role.DISCOUNTS_GRANTED: "Income:DiscountsGranted",
    Role.BAD_DEBTS: "Expenses:BadDebts",
    Role.RECOVERIES: "Income:Recoveries",
    Role.FEE_INCOME: "Income:DunningFees",
    Role.INTEREST_INCOME: "Income:DefaultInterest",
    Role.CUSTOMER_CREDIT: "Liabilities:CustomerCredit",
}
"""The beancount account each role's accounts sit under (the account number is the last
component)."""


def _string(value: str) -> str:
    one_line = " ".join(value.split())
    return '"' + one_line.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _account(posting: Posting) -> str:
    return f"{BEANCOUNT_ACCOUNTS[posting.role]}:{posting.account}"


def beancount_text(entries: Iterable[JournalEntry], *, opened: _dt.date | None = None) -> str:
    """The beancount ledger of ``entries``: an ``open`` directive for every account used
    (on ``opened``, by default the first day the account is booked) and one transaction per
    journal entry, in the order given. The module's docstring says how accounts are named.
    """
    if opened is not None and not (
        isinstance(opened, _dt.date) and not isinstance(opened, _dt.datetime)
    ):
        raise InvalidTypeError("beancount_text.opened", opened, "a date or None")
    if not isinstance(entries, Iterable):
        raise InvalidTypeError(
            "beancount_text.entries", entries, "an iterable of JournalEntry values"
        )
    opens: dict[str, _dt.date] = {}
    transactions: list[str] = []
    for entry in entries:
        if not isinstance(entry, JournalEntry):
            raise InvalidTypeError("beancount_text.entries", entry, "JournalEntry values")
        lines = [
            f"{entry.on.isoformat()} * {_string(entry.text or entry.document)}",
            f"  document: {_string(entry.document)}",
            f"  entry: {entry.entry}",
        ]
        if entry.value_date is not None:
            lines.append(f"  value-date: {entry.value_date.isoformat()}")
        for posting in entry.postings:
            name = _account(posting)
            opens[name] = min(opens.get(name, entry.on), entry.on)
            lines.append(f"  {name}  {posting.amount.amount} {posting.amount.currency}")
            if posting.tax_code:
                lines.append(f"    tax-code: {_string(posting.tax_code)}")
        transactions.append("\n".join(lines))
    if opened is not None and any(opened > day for day in opens.values()):
        raise InvalidValueError(
            "beancount_text.opened", opened, "a day on or before the first entry"
        )
    directives = [
        f"{(opened or day).isoformat()} open {name}" for name, day in sorted(opens.items())
    ]
    return "\n\n".join(["\n".join(directives), *transactions]) + "\n" if directives else ""
