"""Reading SWIFT MT940 statements (as German banks still deliver them), through the
maintained ``mt-940`` package.

An edge module: it reads files that come from outside. The bytes are decoded here (the
``mt-940`` package is handed text, never a value it could take for a file name) and parsed
with every fix of ``mt940.Options`` switched on. One file may hold several statements, each
starting at ``:20:``; each must have its opening (``:60F:``/``:60M:``) and closing
(``:62F:``/``:62M:``) balance, so a truncated file is refused.

How the fields map: ``:25:`` is the account (an IBAN, or bank code and account number);
``:20:`` and ``:28C:`` the statement id (``STARTUMSE/00042/001``) and ``:28C:``'s statement
number its sequence. Per ``:61:``: the value date, the booking date (``MMDD``, its year
taken from the value date), the mark (``C``, ``D``, ``RC``, ``RD``: a reversal is marked
as one, ``RC`` is money out), the amount, and the bank reference after ``//``. Per
``:86:``, in the German structured form (``166?00...?20...?29...?30...?32``) over several
lines: the ``?20`` to ``?29`` subfields joined, with ``SVWZ+`` as the remittance text,
``EREF+`` as the end-to-end id, ``?31`` (else ``IBAN+``) and ``?32``/``?33`` as the
counterparty; an unstructured ``:86:`` is the remittance text as it stands. A checked
``RF`` reference in the remittance text becomes the creditor reference. A return is an
entry with GVC (``?00`` code) 108, 109 (a returned SEPA direct debit) or 159 (a returned
transfer); its reason is the first SEPA reason code in the text and its fee what the entry
took beyond the original amount ``OAMT+``, when given.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import io
import re
from decimal import Decimal
from typing import Any

from dunlib.bank._common import (
    DEFAULT_MAX_BYTES,
    at,
    checked_bytes,
    creditor_reference_in,
    iban,
    reason_in,
)
from dunlib.bank.statement import (
    BankStatement,
    CreditDebit,
    StatementBalance,
    StatementEntry,
    StatementError,
    StatementFormat,
)
from dunlib.core.errors import InvalidValueError, MissingExtraError
from dunlib.core.money import Money

try:
    import mt940
except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
    raise MissingExtraError(package="mt-940", extra="bank") from None

__all__ = ["read_mt940"]

_SOURCE = "MT940"
_RETURN_GVC = frozenset({"108", "109", "159"})
_BLOCK = re.compile(r"(?m)^(?=:20:)")
_ORIGINAL = re.compile(r"[0-9]{1,15}(?:,[0-9]{0,5})?")
_PARSER_ERRORS = (ValueError, KeyError, IndexError, TypeError, AttributeError, ArithmeticError)
"""What the ``mt-940`` package raises on a file it cannot make sense of."""


def read_mt940(
    data: bytes, *, encoding: str = "latin-1", max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[BankStatement, ...]:
    """The statements of an MT940 file, in the file's order.

    ``data`` is the file's bytes in ``encoding`` (``latin-1``, ISO 8859-1, the German
    banks' usual; ``utf-8`` or ``cp1252`` where the bank says so); a file over
    ``max_bytes`` is refused unread. Raises :class:`~dunlib.bank.statement.StatementError`
    naming the place (statement, entry and its ``:61:`` line; the line of an undecodable
    byte) for a file that cannot be read, has no statement, or lacks a statement's
    balances (a truncated file).
    """
    raw = checked_bytes(data, max_bytes, _SOURCE)
    if not isinstance(encoding, str):
        raise InvalidValueError("encoding", encoding, "the name of a text encoding")
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InvalidValueError(
            "encoding", encoding, "the name of a text encoding such as 'latin-1'"
        ) from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise StatementError(
            _SOURCE, f"line {line}", raw[error.start : error.end], f"text in {encoding}"
        ) from None
    text = text.removeprefix("\ufeff")
    blocks = [block for block in _BLOCK.split(text) if block.strip().startswith(":20:")]
    if not blocks:
        raise StatementError(_SOURCE, "file", text[:40], "a statement starting with :20:")
    first_lines = [1 + text.count("\n", 0, text.find(block)) for block in blocks]
    statements = []
    for number, (block, first) in enumerate(zip(blocks, first_lines, strict=True), start=1):
        statements.append(_statement(block, number, first))
    return tuple(statements)


def _statement(block: str, number: int, first: int) -> BankStatement:
    where = f"statement {number} (line {first})"
    try:
        parsed = mt940.parse(io.StringIO(block), options=mt940.Options.all())
        data = parsed.data
        transactions = list(parsed)
    except _PARSER_ERRORS as error:
        raise StatementError(_SOURCE, where, str(error), "a well-formed MT940 statement") from None
    opening: Any = data.get("final_opening_balance") or data.get("intermediate_opening_balance")
    closing: Any = data.get("final_closing_balance") or data.get("intermediate_closing_balance")
    for tag, balance in ((":60F:", opening), (":62F:", closing)):
        if balance is None:
            raise StatementError(
                _SOURCE, where, "no balance", f"a balance {tag} (the file may be truncated)"
            )
    currency = opening.amount.currency or ""
    reference = data.get("transaction_reference") or ""
    statement_number = data.get("statement_number") or ""
    sequence_number = data.get("sequence_number") or ""
    statement_id = "/".join(part for part in (reference, statement_number, sequence_number) if part)
    lines = [
        first + index for index, line in enumerate(block.splitlines()) if line.startswith(":61:")
    ]
    entries = []
    for index, transaction in enumerate(transactions):
        line = lines[index] if index < len(lines) else first
        entries.append(
            _entry(transaction.data, currency, f"{where}, entry {index + 1} (line {line})")
        )
    with at(_SOURCE, where):
        return BankStatement(
            format=StatementFormat.MT940,
            account=_account(data.get("account_identification") or ""),
            statement_id=statement_id or "MT940",
            currency=currency,
            sequence=int(statement_number) if statement_number.isdecimal() else None,
            opening=_balance(opening, currency, f"{where}, :60F:"),
            closing=_balance(closing, currency, f"{where}, :62F:"),
            entries=tuple(entries),
        )


def _account(text: str) -> str:
    compact = "".join(text.split()).upper()
    return compact if re.fullmatch(r"[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}", compact) else text.strip()


def _day(value: Any) -> _dt.date:
    return _dt.date(value.year, value.month, value.day)


def _balance(balance: Any, currency: str, where: str) -> StatementBalance:
    with at(_SOURCE, where):
        return StatementBalance(
            amount=Money(Decimal(balance.amount.amount), currency), on=_day(balance.date)
        )


def _entry(fields: dict[str, Any], currency: str, where: str) -> StatementEntry:
    mark = str(fields.get("status") or "").upper()
    value_date = fields["date"]  # every :61: has it: the parser refuses one without
    booking_date = fields.get("entry_date") or value_date
    details = fields.get("transaction_details")
    remittance = " ".join(
        str(fields.get(key) or "").strip() for key in ("purpose", "additional_purpose")
    ).strip()
    if details and not remittance:  # an unstructured :86:
        remittance = " ".join(str(details).split())
    code = str(fields.get("transaction_code") or "")
    returned = code in _RETURN_GVC
    counterparty = iban(
        str(fields.get("applicant_iban") or fields.get("gvc_applicant_iban") or ""),
        _SOURCE,
        f"{where}, ?31",
    )
    end_to_end = str(fields.get("end_to_end_reference") or "")
    with at(_SOURCE, where):
        amount = Money(Decimal(fields["amount"].amount), currency)
        facts: dict[str, Any] = {}
        if returned:
            facts["return_reason"] = reason_in(
                f"{remittance} {fields.get('return_debit_notes') or ''}"
            )
            facts["return_fee"] = _fee(amount, str(fields.get("original_amount") or ""), where)
        return StatementEntry(
            booking_date=_day(booking_date),
            value_date=_day(value_date),
            amount=amount,
            credit_debit=CreditDebit.DEBIT if mark in ("D", "RC") else CreditDebit.CREDIT,
            reversal=mark.startswith("R"),
            counterparty_name=str(fields.get("applicant_name") or "").strip(),
            counterparty_iban=counterparty,
            creditor_reference=creditor_reference_in(remittance),
            remittance=remittance,
            end_to_end_id="" if end_to_end == "NOTPROVIDED" else end_to_end,
            bank_reference=str(fields.get("bank_reference") or ""),
            returned=returned,
            **facts,
        )


def _fee(amount: Money, original: str, where: str) -> Money | None:
    """What a return took beyond the original amount ``OAMT+`` (None when not given)."""
    if not original:
        return None
    if not _ORIGINAL.fullmatch(original.strip()):
        raise StatementError(_SOURCE, f"{where}, OAMT+", original, "an amount such as 50,00")
    base = Money(Decimal(original.strip().replace(",", ".")), amount.currency)
    extra = abs(amount) - base
    return extra if extra.is_positive else None
