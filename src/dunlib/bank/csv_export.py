"""Reading the CSV exports of online banking through a column mapping.

An edge module: it reads files that come from outside. A :class:`CsvMapping` says which
column holds what, how days and amounts are written, how the sign is shown (one signed
column, separate debit and credit columns, or an amount with a debit/credit column), the
encoding and the delimiter. Two mappings ship: :data:`SPARKASSE_CAMT` for the "CSV-CAMT"
export of the Sparkassen and :data:`GENERIC_SOLL_HABEN` for a plain export with separate
Soll and Haben columns. An export states no balances; its statement id is the digest of the
file, so the same file read twice has the same id. Rows newest first are put in booking
order.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import hashlib
import io
import re
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

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
    StatementEntry,
    StatementError,
    StatementFormat,
)
from dunlib.core import validate as v
from dunlib.core.errors import InvalidValueError
from dunlib.core.money import Money

__all__ = ["GENERIC_SOLL_HABEN", "SPARKASSE_CAMT", "CsvMapping", "Sign", "read_csv"]

_SOURCE = "CSV"
_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1")


class Sign(Enum):
    """How an export shows whether money came in or went out."""

    SIGNED = "signed"
    """One amount column, negative for money out."""
    SEPARATE = "separate"
    """A debit column and a credit column, one of them filled per row."""
    INDICATOR = "indicator"
    """An amount column without sign and a column saying debit or credit."""


def _column(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.text(instance, attribute, value)


def _choice(*allowed: str) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value not in allowed:
            raise InvalidValueError(
                v.field_name(instance, attribute), value, f"one of {', '.join(allowed)}"
            )

    return check


def _date_format(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.non_empty_text(instance, attribute, value)
    if "%" not in value:
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "a strptime format such as '%d.%m.%Y'"
        )


def _marks(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not all(isinstance(one, str) and one for one in value):
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "a tuple of non-empty strings"
        )


@attrs.frozen(kw_only=True)
class CsvMapping:
    """How to read one bank's CSV export: the columns by their heading and how values are
    written.

    ``booking_date`` and ``value_date`` (empty: the booking date) name the day columns,
    written in ``date_format`` (a strptime format, ``%d.%m.%Y``). ``sign`` says how the
    amount is shown: :attr:`Sign.SIGNED` in ``amount``; :attr:`Sign.SEPARATE` in ``debit``
    and ``credit`` (a debit may be written with or without its minus); :attr:`Sign.INDICATOR`
    in ``amount`` with ``indicator`` holding one of ``debit_marks`` or ``credit_marks``.
    ``decimal`` is the decimal mark (``,`` or ``.``; the other is taken as a thousands
    separator). ``currency`` names the currency column (empty: every row is in
    ``default_currency``). ``name``, ``iban``, ``text`` (several columns, joined by a space),
    ``end_to_end_id``, ``bank_reference``, ``account`` (the own IBAN) and ``return_fee``
    name optional columns (empty: not in the export). ``kind`` names the column of the
    booking text; a row whose booking text contains one of ``return_words`` is a return.
    ``encoding`` is one of ``utf-8``, ``utf-8-sig``, ``cp1252`` or ``latin-1``, ``delimiter``
    one character, and ``skip_lines`` the lines before the heading row.
    """

    booking_date: str = attrs.field(validator=v.non_empty_text)
    date_format: str = attrs.field(validator=_date_format)
    sign: Sign = attrs.field(validator=v.of_type(Sign, expected="a Sign"))
    amount: str = attrs.field(default="", validator=_column)
    debit: str = attrs.field(default="", validator=_column)
    credit: str = attrs.field(default="", validator=_column)
    indicator: str = attrs.field(default="", validator=_column)
    debit_marks: tuple[str, ...] = attrs.field(
        default=("S", "D", "DBIT"), converter=v.to_tuple, validator=_marks
    )
    credit_marks: tuple[str, ...] = attrs.field(
        default=("H", "C", "CRDT"), converter=v.to_tuple, validator=_marks
    )
    value_date: str = attrs.field(default="", validator=_column)
    decimal: str = attrs.field(default=",", validator=_choice(",", "."))
    currency: str = attrs.field(default="", validator=_column)
    default_currency: str = attrs.field(default="EUR", validator=v.non_empty_text)
    name: str = attrs.field(default="", validator=_column)
    iban: str = attrs.field(default="", validator=_column)
    text: tuple[str, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_marks)
    end_to_end_id: str = attrs.field(default="", validator=_column)
    bank_reference: str = attrs.field(default="", validator=_column)
    account: str = attrs.field(default="", validator=_column)
    kind: str = attrs.field(default="", validator=_column)
    return_words: tuple[str, ...] = attrs.field(
        default=("RUECKLASTSCHRIFT", "RÜCKLASTSCHRIFT", "RETOURE"),
        converter=v.to_tuple,
        validator=_marks,
    )
    return_fee: str = attrs.field(default="", validator=_column)
    encoding: str = attrs.field(default="utf-8", validator=_choice(*_ENCODINGS))
    delimiter: str = attrs.field(default=";", validator=_choice(";", ",", "\t", "|"))
    skip_lines: int = attrs.field(default=0, validator=v.non_negative_int)

    def __attrs_post_init__(self) -> None:
        needed = {
            Sign.SIGNED: ("amount",),
            Sign.SEPARATE: ("debit", "credit"),
            Sign.INDICATOR: ("amount", "indicator"),
        }[self.sign]
        for field in needed:
            if not getattr(self, field):
                raise InvalidValueError(
                    f"CsvMapping.{field}", "", f"the column's heading, for sign {self.sign.name}"
                )
        Money.zero(self.default_currency)


SPARKASSE_CAMT = CsvMapping(
    booking_date="Buchungstag",
    value_date="Valutadatum",
    date_format="%d.%m.%y",
    sign=Sign.SIGNED,
    amount="Betrag",
    currency="Waehrung",
    name="Beguenstigter/Zahlungspflichtiger",
    iban="Kontonummer/IBAN",
    text=("Verwendungszweck",),
    end_to_end_id="Kundenreferenz (End-to-End)",
    account="Auftragskonto",
    kind="Buchungstext",
    return_fee="Auslagenersatz Ruecklastschrift",
    encoding="cp1252",
    delimiter=";",
)
"""The "CSV-CAMT" export of the Sparkassen' online banking: ``;``, days as ``31.03.26``,
one signed amount with a decimal comma, Windows-1252."""

GENERIC_SOLL_HABEN = CsvMapping(
    booking_date="Buchungsdatum",
    value_date="Wertstellung",
    date_format="%d.%m.%Y",
    sign=Sign.SEPARATE,
    debit="Soll",
    credit="Haben",
    currency="Währung",
    name="Empfänger/Auftraggeber",
    iban="IBAN",
    text=("Verwendungszweck",),
    kind="Buchungstext",
    encoding="utf-8-sig",
    delimiter=";",
)
"""A plain export with separate ``Soll`` (debit) and ``Haben`` (credit) columns: ``;``,
days as ``31.03.2026``, decimal comma, UTF-8 (with or without a byte order mark)."""

_NUMBER = re.compile(r"[+-]?[0-9]{1,25}(?:\.[0-9]{1,10})?")


def read_csv(
    data: bytes, *, mapping: CsvMapping, max_bytes: int = DEFAULT_MAX_BYTES
) -> BankStatement:
    """The rows of a CSV export as one statement without balances, in booking order.

    ``data`` is the file's bytes, read as ``mapping`` says; a file over ``max_bytes`` is
    refused unread. Raises :class:`~dunlib.bank.statement.StatementError` naming the line
    and column of a value that cannot be read (an undecodable byte, a missing heading, a
    day or amount in another form, a row with neither debit nor credit).
    """
    raw = checked_bytes(data, max_bytes, _SOURCE)
    if not isinstance(mapping, CsvMapping):
        raise InvalidValueError("mapping", mapping, "a CsvMapping")
    try:
        text = raw.decode(codecs.lookup(mapping.encoding).name)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise StatementError(
            _SOURCE, f"line {line}", raw[error.start : error.end], f"text in {mapping.encoding}"
        ) from None
    lines = io.StringIO(text.removeprefix("\ufeff"), newline="")
    for _ in range(mapping.skip_lines):
        lines.readline()
    reader = csv.reader(lines, delimiter=mapping.delimiter)
    entries: list[tuple[_dt.date, int, StatementEntry]] = []
    account = ""
    try:
        heading = next(reader, None)
        if heading is None:
            raise StatementError(_SOURCE, "line 1", "", "a heading row")
        columns = {name.strip(): index for index, name in enumerate(heading)}
        for column in _wanted(mapping):
            if column not in columns:
                raise StatementError(
                    _SOURCE,
                    f"line {reader.line_num + mapping.skip_lines}",
                    sorted(columns),
                    f"a column headed {column!r}",
                )
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num + mapping.skip_lines
            cells = {
                name: row[index] if index < len(row) else "" for name, index in columns.items()
            }
            entry = _entry(mapping, cells, line)
            account = account or iban(
                _cell(cells, mapping.account), _SOURCE, f"line {line}, {mapping.account}"
            )
            entries.append((entry.booking_date, len(entries), entry))
    except csv.Error as error:
        raise StatementError(
            _SOURCE, f"line {reader.line_num + mapping.skip_lines}", str(error), "a CSV row"
        ) from None
    if entries and entries[0][0] > entries[-1][0]:  # newest first: turn round
        entries = [(day, -index, entry) for day, index, entry in entries]
    ordered = tuple(entry for _, _, entry in sorted(entries, key=lambda item: item[:2]))
    currency = ordered[0].amount.currency if ordered else mapping.default_currency
    with at(_SOURCE, "file"):
        return BankStatement(
            format=StatementFormat.CSV,
            account=account,
            statement_id=hashlib.sha256(raw).hexdigest()[:32],
            currency=currency,
            entries=ordered,
        )


def _wanted(mapping: CsvMapping) -> list[str]:
    """The headings the export must have."""
    single = (
        mapping.booking_date, mapping.value_date, mapping.amount, mapping.debit, mapping.credit,
        mapping.indicator, mapping.currency, mapping.name, mapping.iban, mapping.end_to_end_id,
        mapping.bank_reference, mapping.account, mapping.kind, mapping.return_fee,
    )  # fmt: skip
    return [column for column in (*single, *mapping.text) if column]


def _day(cells: dict[str, str], column: str, mapping: CsvMapping, line: int) -> _dt.date:
    text = cells[column].strip()
    try:
        return _dt.datetime.strptime(text, mapping.date_format).date()
    except ValueError:
        raise StatementError(
            _SOURCE, f"line {line}, column {column}", text, f"a day as {mapping.date_format}"
        ) from None


def _decimal(text: str, mapping: CsvMapping, line: int, column: str) -> Decimal | None:
    """The number written in a cell (None for an empty cell)."""
    thousands = "." if mapping.decimal == "," else ","
    plain = "".join(text.split()).replace(thousands, "").replace(mapping.decimal, ".")
    if not plain:
        return None
    if not _NUMBER.fullmatch(plain):
        raise StatementError(
            _SOURCE,
            f"line {line}, column {column}",
            text,
            f"an amount with {mapping.decimal!r} as decimal mark, such as 1.234,56",
        )
    return Decimal(plain)


def _entry(mapping: CsvMapping, cells: dict[str, str], line: int) -> StatementEntry:
    where = f"line {line}"
    booked = _day(cells, mapping.booking_date, mapping, line)
    value = _day(cells, mapping.value_date, mapping, line) if mapping.value_date else booked
    amount = _signed(mapping, cells, line)
    currency = _cell(cells, mapping.currency).strip() or mapping.default_currency
    text = " ".join(" ".join(cells[column].split()) for column in mapping.text).strip()
    kind = _cell(cells, mapping.kind).upper()
    returned = any(word in kind for word in mapping.return_words)
    facts: dict[str, Any] = {}
    with at(_SOURCE, where):
        money = Money(amount, currency)
        if returned:
            facts["return_reason"] = reason_in(text)
            fee = _decimal(_cell(cells, mapping.return_fee), mapping, line, mapping.return_fee)
            if fee:
                facts["return_fee"] = Money(abs(fee), currency)
        return StatementEntry(
            booking_date=booked,
            value_date=value,
            amount=money,
            credit_debit=CreditDebit.DEBIT if money.is_negative else CreditDebit.CREDIT,
            counterparty_name=_cell(cells, mapping.name).strip(),
            counterparty_iban=iban(
                _cell(cells, mapping.iban), _SOURCE, f"{where}, column {mapping.iban}"
            ),
            creditor_reference=creditor_reference_in(text),
            remittance=text,
            end_to_end_id=_reference(_cell(cells, mapping.end_to_end_id)),
            bank_reference=_cell(cells, mapping.bank_reference).strip(),
            returned=returned,
            **facts,
        )


def _cell(cells: dict[str, str], column: str) -> str:
    """The cell of an optional column (empty when the mapping names none)."""
    return cells[column] if column else ""


def _reference(text: str) -> str:
    text = text.strip()
    return "" if text == "NOTPROVIDED" else text


def _signed(mapping: CsvMapping, cells: dict[str, str], line: int) -> Decimal:
    """The row's amount, negative for money out."""
    if mapping.sign is Sign.SEPARATE:
        debit = _decimal(cells[mapping.debit], mapping, line, mapping.debit)
        credit = _decimal(cells[mapping.credit], mapping, line, mapping.credit)
        if (debit is None) == (credit is None):
            raise StatementError(
                _SOURCE,
                f"line {line}, columns {mapping.debit}/{mapping.credit}",
                (cells[mapping.debit], cells[mapping.credit]),
                "an amount in exactly one of the two columns",
            )
        return -abs(debit) if debit is not None else abs(credit or Decimal(0))
    amount = _decimal(cells[mapping.amount], mapping, line, mapping.amount)
    if amount is None:
        raise StatementError(_SOURCE, f"line {line}, column {mapping.amount}", "", "an amount")
    if mapping.sign is Sign.SIGNED:
        return amount
    mark = cells[mapping.indicator].strip().upper()
    if mark in {one.upper() for one in mapping.debit_marks}:
        return -abs(amount)
    if mark in {one.upper() for one in mapping.credit_marks}:
        return abs(amount)
    raise StatementError(
        _SOURCE,
        f"line {line}, column {mapping.indicator}",
        mark,
        f"one of {', '.join((*mapping.debit_marks, *mapping.credit_marks))}",
    )
