"""A bank statement as the readers give it: its entries, its balances and what it says of itself.

:class:`BankStatement` is what one statement of one account says: the account, the
statement's id and sequence number, the opening and closing balances with their days and the
entries in booking order. :class:`StatementEntry` is one entry: booking day and value day,
the amount as signed :class:`~dunlib.core.money.Money` (money in positive, money out
negative) in the account's currency, the counterparty, the references, and for a SEPA
R-transaction (a returned direct debit, a returned transfer) its reason code and the bank's
return fee, kept apart. A batch booking the file itemises carries its items in ``parts``.

Only incoming money is ever matched: :meth:`BankStatement.transactions` gives the
:class:`~dunlib.payments.matching.BankTransaction` values of the credits that are neither
returns nor reversals (a batch by its items), and :meth:`StatementEntry.transaction`
refuses the rest. :attr:`BankStatement.balance_problem` reports a closing balance that is
not the opening balance plus the entries; :func:`statement_gaps` reports gaps and overlaps
between consecutive statements.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from collections.abc import Iterable
from enum import Enum
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.money import Money, sum_money
from dunlib.payments.matching import BankTransaction

__all__ = [
    "RETURN_REASONS",
    "BankStatement",
    "CreditDebit",
    "GapKind",
    "StatementBalance",
    "StatementEntry",
    "StatementError",
    "StatementFormat",
    "StatementGap",
    "statement_gaps",
]

RETURN_REASONS: dict[str, str] = {
    "AC01": "account identifier incorrect (IBAN wrong)",
    "AC04": "account closed",
    "AC06": "account blocked, or direct debits blocked by the payer",
    "AC13": "the payer is a consumer (SEPA B2B direct debit)",
    "AG01": "transaction forbidden on this kind of account",
    "AG02": "operation or transaction code invalid",
    "AM04": "insufficient funds",
    "AM05": "duplicate collection",
    "BE05": "creditor identifier incorrect",
    "CNOR": "creditor bank not registered",
    "DNOR": "debtor bank not registered",
    "FF01": "invalid file format",
    "FOCR": "return following a cancellation request",
    "MD01": "no valid mandate",
    "MD02": "mandate data missing or incorrect",
    "MD06": "refund requested by the payer (disputed authorised debit)",
    "MD07": "payer deceased",
    "MS02": "refused by the payer, reason not specified",
    "MS03": "reason not specified by the bank",
    "RC01": "bank identifier (BIC) incorrect",
    "RR01": "regulatory reason: payer's account or id missing",
    "RR02": "regulatory reason: payer's name or address missing",
    "RR03": "regulatory reason: creditor's name or address missing",
    "RR04": "regulatory reason",
    "SL01": "specific service offered by the payer's bank",
}
"""The ISO 20022 reason codes of SEPA R-transactions (returns, refunds, rejects) the
readers recognise in text, with what each means (EPC guidance on reason codes). A code
given in a file's structured return information is kept even when it is not listed here."""

_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}")


class StatementError(InvalidValueError):
    """A statement file cannot be read, or a statement's values do not fit together.

    ``source`` names the format (``camt.053``, ``MT940``, ``CSV``) and ``position`` the
    place in the file (``statement 1, entry 3, Amt``, ``line 12, column Betrag``); both make
    up :attr:`field`. ``value`` is what was found there and ``expected`` what would be valid.
    Also an :class:`~dunlib.core.errors.InvalidValueError`.
    """

    def __init__(self, source: str, position: str, value: Any, expected: str) -> None:
        self.source = source
        self.position = position
        super().__init__(f"{source} {position}".strip(), value, expected)


class StatementFormat(Enum):
    """Which kind of file a statement was read from."""

    CAMT053 = "camt.053"
    """ISO 20022 bank-to-customer statement (Kontoauszug)."""
    CAMT054 = "camt.054"
    """ISO 20022 debit/credit notification (no balances; often itemises a batch)."""
    MT940 = "MT940"
    """SWIFT customer statement message."""
    CSV = "CSV"
    """An online-banking export read through a :class:`~dunlib.bank.csv_export.CsvMapping`."""


class CreditDebit(Enum):
    """Whether an entry brought money into the account (credit) or took it out (debit)."""

    CREDIT = "CRDT"
    DEBIT = "DBIT"


def _is_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.calendar_date(instance, attribute, value)


def _reference(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.text(instance, attribute, value)
    if value and not v.creditor_reference_valid(value):
        raise InvalidValueError(
            v.field_name(instance, attribute),
            value,
            "empty, or an ISO 11649 creditor reference (RF, check digits, up to 21 letters "
            "or digits) whose check digits are right",
        )


def _iban(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.text(instance, attribute, value)
    if value and not _IBAN.fullmatch(value):
        raise InvalidValueError(
            v.field_name(instance, attribute),
            value,
            "empty, or an IBAN in capitals without spaces (DE89370400440532013000)",
        )


@attrs.frozen(kw_only=True)
class StatementEntry:
    """One entry of a statement (or one item of a batch entry).

    ``amount`` is what the account moved, signed (credit positive, debit negative) and in
    the account's currency; ``credit_debit`` says the same in words and must agree with the
    sign. ``reversal`` marks an entry the bank books to undo an earlier one (CAMT
    ``RvslInd``, MT940 ``RC``/``RD``). ``original_amount`` is the instructed amount in
    another currency when the payer paid in one (a USD transfer credited in EUR: ``amount``
    the EUR credited, ``original_amount`` the USD instructed), else None.

    ``counterparty_name`` and ``counterparty_iban`` name the payer of a credit, the payee
    of a debit (for a return: the payer whose money went back). ``creditor_reference`` is a
    checked ISO 11649 reference or empty; ``remittance`` the unstructured remittance text,
    its 140-character lines joined (directly where a line is full, so a word broken across
    lines is whole again; by a space otherwise). ``end_to_end_id`` is the payer's id of the
    payment (empty for ``NOTPROVIDED``), ``bank_reference`` the bank's reference of the
    entry (unique in its statement when given).

    ``returned`` marks a SEPA R-transaction (a returned direct debit or transfer),
    ``return_reason`` its ISO reason code (``AM04``; empty when the file gives none) and
    ``return_fee`` the bank's charge for it when the file states one, kept apart (it is
    part of ``amount``). ``parts`` are the items of a batch booking the file itemises; they
    add up to ``amount``.
    """

    booking_date: _dt.date = attrs.field(validator=_is_date)
    value_date: _dt.date = attrs.field(validator=_is_date)
    amount: Money = attrs.field(validator=v.money)
    credit_debit: CreditDebit = attrs.field(
        validator=v.of_type(CreditDebit, expected="a CreditDebit")
    )
    reversal: bool = attrs.field(default=False, validator=v.of_type(bool, expected="a bool"))
    original_amount: Money | None = attrs.field(default=None, validator=v.optional(v.money))
    counterparty_name: str = attrs.field(default="", validator=v.text)
    counterparty_iban: str = attrs.field(default="", validator=_iban)
    creditor_reference: str = attrs.field(default="", validator=_reference)
    remittance: str = attrs.field(default="", validator=v.text)
    end_to_end_id: str = attrs.field(default="", validator=v.text)
    bank_reference: str = attrs.field(default="", validator=v.text)
    returned: bool = attrs.field(default=False, validator=v.of_type(bool, expected="a bool"))
    return_reason: str = attrs.field(default="", validator=v.text)
    return_fee: Money | None = attrs.field(default=None, validator=v.optional(v.money))
    parts: tuple[StatementEntry, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(object, "StatementEntry")
    )

    def __attrs_post_init__(self) -> None:
        name = "StatementEntry"
        sign_ok = (
            not self.amount.is_negative
            if self.credit_debit is CreditDebit.CREDIT
            else not self.amount.is_positive
        )
        if not sign_ok:
            raise InvalidValueError(
                f"{name}.amount",
                self.amount,
                f"an amount of the sign {self.credit_debit.name} says (credit >= 0, debit <= 0)",
            )
        currency = self.amount.currency
        if self.return_fee is not None:
            if self.return_fee.currency != currency or self.return_fee.is_negative:
                raise InvalidValueError(
                    f"{name}.return_fee",
                    self.return_fee,
                    f"an amount of zero or more in {currency}, the entry's currency",
                )
            if not self.returned:
                raise InvalidValueError(
                    f"{name}.return_fee", self.return_fee, "None for an entry that is no return"
                )
        if self.return_reason and not self.returned:
            raise InvalidValueError(
                f"{name}.return_reason", self.return_reason, "empty for an entry that is no return"
            )
        for index, part in enumerate(self.parts):
            if not isinstance(part, StatementEntry) or part.parts:
                raise InvalidValueError(
                    f"{name}.parts[{index}]", part, "a StatementEntry without parts of its own"
                )
            if part.amount.currency != currency:
                raise InvalidValueError(
                    f"{name}.parts[{index}].amount", part.amount, f"an amount in {currency}"
                )
        if self.parts and sum_money((p.amount for p in self.parts), currency) != self.amount:
            total = sum_money((p.amount for p in self.parts), currency)
            raise InvalidValueError(
                f"{name}.parts", total, f"items adding up to the entry's amount {self.amount}"
            )

    @property
    def incoming(self) -> bool:
        """Whether this is money a customer paid in: a credit above zero that is neither a
        return nor a reversal. Only incoming entries are ever matched."""
        return self.amount.is_positive and not self.returned and not self.reversal

    def transaction(self) -> BankTransaction:
        """This incoming entry as a :class:`~dunlib.payments.matching.BankTransaction` for
        :func:`~dunlib.payments.matching.match_payments`: on its value date, for its amount,
        from its counterparty, with the remittance text (the creditor reference before it,
        unless the text holds it) as its text and the bank reference (else the end-to-end
        id) as its id.

        Raises :class:`~dunlib.core.errors.InvalidValueError` for an entry that is not
        :attr:`incoming` (a debit, a return, a reversal): such money is never matched.
        A batch with parts is taken by its parts (:meth:`BankStatement.transactions`).
        """
        if not self.incoming:
            raise InvalidValueError(
                "StatementEntry",
                self.bank_reference or self.end_to_end_id or str(self.amount),
                "an incoming credit (above zero, no return, no reversal): returns and debits "
                "are never matched as money received",
            )
        text = self.remittance
        if self.creditor_reference not in text:  # a structured reference not in the text
            text = f"{self.creditor_reference} {text}".strip()
        return BankTransaction(
            on=self.value_date,
            amount=self.amount,
            payer=self.counterparty_name,
            text=text,
            id=self.bank_reference or self.end_to_end_id,
        )


@attrs.frozen(kw_only=True)
class StatementBalance:
    """A balance the statement states: ``amount`` signed (negative when overdrawn) on ``on``."""

    amount: Money = attrs.field(validator=v.money)
    on: _dt.date = attrs.field(validator=_is_date)


def _balance(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, StatementBalance):
        raise InvalidTypeError(
            v.field_name(instance, attribute), value, "a StatementBalance or None"
        )


def _sequence(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        v.non_negative_int(instance, attribute, value)


@attrs.frozen(kw_only=True)
class BankStatement:
    """One statement (or notification) of one account, as its file states it.

    ``format`` is the kind of file, ``account`` the account's IBAN (an MT940 ``:25:`` may
    give bank code and account number instead), ``statement_id`` the statement's id
    (for a CSV export, the file's digest, so the same file has the same id),
    ``sequence`` its electronic sequence number when the file gives one, ``currency``
    the account's currency. ``opening`` and ``closing`` are the balances with their days
    (None where the file states none: a camt.054 or a CSV export). ``entries`` are in
    booking order; their bank references are unique.
    """

    format: StatementFormat = attrs.field(
        validator=v.of_type(StatementFormat, expected="a StatementFormat")
    )
    account: str = attrs.field(validator=v.text)
    statement_id: str = attrs.field(validator=v.non_empty_text)
    currency: str = attrs.field(validator=v.non_empty_text)
    sequence: int | None = attrs.field(default=None, validator=_sequence)
    opening: StatementBalance | None = attrs.field(default=None, validator=_balance)
    closing: StatementBalance | None = attrs.field(default=None, validator=_balance)
    entries: tuple[StatementEntry, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(StatementEntry, "StatementEntry")
    )

    def __attrs_post_init__(self) -> None:
        Money.zero(self.currency)  # a known currency with a minor unit
        for name, balance in (("opening", self.opening), ("closing", self.closing)):
            if balance is not None and balance.amount.currency != self.currency:
                raise InvalidValueError(
                    f"BankStatement.{name}", balance.amount, f"an amount in {self.currency}"
                )
        seen: set[str] = set()
        for index, entry in enumerate(self.entries):
            if entry.amount.currency != self.currency:
                raise InvalidValueError(
                    f"BankStatement.entries[{index}].amount",
                    entry.amount,
                    f"an amount in {self.currency}, the account's currency",
                )
            for where, one in ((f"[{index}]", entry), *_parts(index, entry)):
                if one.bank_reference:
                    if one.bank_reference in seen:
                        raise InvalidValueError(
                            f"BankStatement.entries{where}.bank_reference",
                            one.bank_reference,
                            "a bank reference unique in the statement",
                        )
                    seen.add(one.bank_reference)

    @property
    def balance_problem(self) -> Money | None:
        """How far the closing balance is from the opening balance plus the entries
        (closing minus that sum); None when they agree or the file states no balances."""
        if self.opening is None or self.closing is None:
            return None
        total = sum_money((entry.amount for entry in self.entries), self.currency)
        difference = self.closing.amount - (self.opening.amount + total)
        return None if difference.is_zero else difference

    def transactions(self) -> tuple[BankTransaction, ...]:
        """The money received, for :func:`~dunlib.payments.matching.match_payments`: one
        :class:`~dunlib.payments.matching.BankTransaction` per incoming entry (a batch by
        its itemised parts), in booking order. Debits, returns and reversals are left out:
        they are never money received."""
        found: list[BankTransaction] = []
        for entry in self.entries:
            for one in entry.parts or (entry,):
                if one.incoming:
                    found.append(one.transaction())
        return tuple(found)


def _parts(index: int, entry: StatementEntry) -> list[tuple[str, StatementEntry]]:
    return [(f"[{index}].parts[{number}]", part) for number, part in enumerate(entry.parts)]


class GapKind(Enum):
    """What lies between two consecutive statements."""

    GAP = "gap"
    """Sequence numbers skip: statements are missing between them."""
    OVERLAP = "overlap"
    """The later statement's sequence number is not above the earlier one's: the same
    statement (or part of it) again."""
    BALANCE = "balance"
    """The later opening balance is not the earlier closing balance."""


@attrs.frozen(kw_only=True)
class StatementGap:
    """Something between two consecutive statements: ``earlier`` and ``later`` are their
    ids, ``kind`` what was found, ``missing`` how many sequence numbers lie between (for a
    :attr:`GapKind.GAP`; zero otherwise) and ``difference`` the later opening balance less
    the earlier closing balance (for a :attr:`GapKind.BALANCE`; None otherwise)."""

    earlier: str
    later: str
    kind: GapKind
    missing: int = 0
    difference: Money | None = None


def statement_gaps(statements: Iterable[BankStatement]) -> tuple[StatementGap, ...]:
    """What lies between each statement and the next, in the order given: sequence numbers
    that skip (:attr:`GapKind.GAP`) or go back or repeat (:attr:`GapKind.OVERLAP`), and an
    opening balance that is not the previous closing balance (:attr:`GapKind.BALANCE`).
    Pairs where either side lacks the number or the balance are not compared. Empty when
    the statements follow each other without a gap.

    Raises :class:`~dunlib.core.errors.InvalidValueError` for statements of different
    accounts or currencies (compare each account's statements on their own).
    """
    items = v.items_of(statements, BankStatement, "statements", "BankStatement values")
    found: list[StatementGap] = []
    for index, (earlier, later) in enumerate(itertools.pairwise(items), start=1):
        if (later.account, later.currency) != (earlier.account, earlier.currency):
            raise InvalidValueError(
                f"statements[{index}]",
                f"{later.account} {later.currency}",
                f"a statement of account {earlier.account} in {earlier.currency}, "
                "like the one before it",
            )
        pair = {"earlier": earlier.statement_id, "later": later.statement_id}
        if earlier.sequence is not None and later.sequence is not None:
            step = later.sequence - earlier.sequence
            if step > 1:
                found.append(StatementGap(kind=GapKind.GAP, missing=step - 1, **pair))
            elif step < 1:
                found.append(StatementGap(kind=GapKind.OVERLAP, **pair))
        if earlier.closing is not None and later.opening is not None:
            difference = later.opening.amount - earlier.closing.amount
            if not difference.is_zero:
                found.append(StatementGap(kind=GapKind.BALANCE, difference=difference, **pair))
    return tuple(found)
