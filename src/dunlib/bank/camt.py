"""Reading ISO 20022 statements: camt.053 (bank-to-customer statement) and camt.054
(debit/credit notification), versions 001.02 to 001.08.

An edge module: it reads files that come from outside. The XML is parsed by the standard
library's expat behind ``defusedxml``: a file with a document type declaration is refused
(so no entity is ever expanded, no billion laughs, no external entity, nothing is fetched
from the network), and the file is read entry by entry, each entry's elements dropped once
read, so memory grows with the entries kept, not with the XML tree. A file larger than
``max_bytes`` is refused before it is parsed.

How the elements map (per ``Ntry``): ``Amt`` and ``CdtDbtInd`` give the signed amount in
the account's currency, ``RvslInd`` the reversal mark, ``BookgDt`` and ``ValDt`` the days
(``Dt`` or the day of ``DtTm``; no ``ValDt``: the booking day), ``AcctSvcrRef`` (else
``NtryRef``) the bank reference. From the transaction details (``NtryDtls/TxDtls``): the
debtor of a credit (the creditor of a debit; the debtor again for a return) as the
counterparty, ``RmtInf/Ustrd`` joined as the remittance text, a checked ``RF`` reference
of ``RmtInf/Strd/CdtrRefInf/Ref`` as the creditor reference (any other structured
reference joins the remittance text), ``Refs/EndToEndId``, and ``AmtDtls/InstdAmt`` as the
original amount when it is in another currency than the account. An entry with several
``TxDtls`` is a batch: each becomes a part (its amount from ``TxDtls/Amt`` or
``AmtDtls/TxAmt``, its bank reference ``Refs/AcctSvcrRef``, else the entry's followed by
``/1``, ``/2``, ...). A return is recognised by ``RtrInf`` or by the bank transaction code
(ISO sub-family ``UPDD`` or ``RRTN``; a German proprietary code with GVC 108, 109 or 159):
its reason is ``RtrInf/Rsn/Cd`` (or ``Prtry``; else a reason code in the text) and its fee
the ``Chrgs`` records. Only booked entries are read: a pending (``PDNG``) or information
(``INFO``) entry of a notification is left out. The opening balance is ``OPBD`` (else
``PRCD``), the closing balance ``CLBD``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import re
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from dunlib.bank._common import (
    DEFAULT_MAX_BYTES,
    at,
    checked_bytes,
    creditor_reference_in,
    iban,
    joined,
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
from dunlib.core.errors import MissingExtraError
from dunlib.core.money import Money, sum_money
from dunlib.core.validate import creditor_reference_valid

try:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse
except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
    raise MissingExtraError(package="defusedxml", extra="bank") from None

__all__ = ["DEFAULT_MAX_BYTES", "VERSIONS", "read_camt053", "read_camt054"]

VERSIONS = tuple(f"001.0{n}" for n in range(2, 9))
"""The message versions read: ``001.02`` to ``001.08`` of camt.053 and camt.054."""

_RETURN_SUBFAMILIES = frozenset({"UPDD", "RRTN"})
_RETURN_GVC = frozenset({"108", "109", "159"})
_AMOUNT = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,5})?")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SEQUENCE = re.compile(r"[0-9]{1,18}")


def read_camt053(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[BankStatement, ...]:
    """The statements of a camt.053 file (``BkToCstmrStmt``), in the file's order.

    ``data`` is the file's bytes; a file over ``max_bytes`` is refused unread. Raises
    :class:`~dunlib.bank.statement.StatementError` naming the place (line and column of
    broken XML; statement, entry and element of a bad value) for a file that is not a
    camt.053 of a version in :data:`VERSIONS`, not well-formed (truncated) or carries a
    document type declaration.
    """
    return _read(data, StatementFormat.CAMT053, max_bytes)


def read_camt054(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[BankStatement, ...]:
    """The notifications of a camt.054 file (``BkToCstmrDbtCdtNtfctn``), each as a
    :class:`~dunlib.bank.statement.BankStatement` without balances, in the file's order.

    Refuses what :func:`read_camt053` refuses, with the same error.
    """
    return _read(data, StatementFormat.CAMT054, max_bytes)


_KINDS = {
    StatementFormat.CAMT053: ("camt.053", "BkToCstmrStmt", "Stmt"),
    StatementFormat.CAMT054: ("camt.054", "BkToCstmrDbtCdtNtfctn", "Ntfctn"),
}


class _Paths:
    """Element paths in the file's namespace."""

    def __init__(self, namespace: str) -> None:
        self.prefix = f"{{{namespace}}}"
        self.cache: dict[str, str] = {}

    def path(self, path: str) -> str:
        full = self.cache.get(path)
        if full is None:
            full = "/".join(self.prefix + step for step in path.split("/"))
            self.cache[path] = full
        return full

    def one(self, element: Element, path: str) -> Element | None:
        return element.find(self.path(path))

    def all(self, element: Element, path: str) -> list[Element]:
        return element.findall(self.path(path))

    def text(self, element: Element, path: str) -> str:
        found = element.find(self.path(path))
        return "" if found is None or found.text is None else found.text.strip()


def _read(data: Any, kind: StatementFormat, max_bytes: Any) -> tuple[BankStatement, ...]:
    source, group, block = _KINDS[kind]
    raw = checked_bytes(data, max_bytes, source)
    reader = _Reader(kind, source, group, block)
    try:
        for event, element in iterparse(io.BytesIO(raw), events=("start", "end"), forbid_dtd=True):
            reader.take(event, element)
    except ParseError as error:
        line, column = error.position
        raise StatementError(
            source,
            f"line {line}, column {column}",
            str(error),
            "well-formed XML (the file may be truncated)",
        ) from None
    except DefusedXmlException as error:
        raise StatementError(
            source,
            "document type",
            type(error).__name__,
            "XML without a document type declaration or entities (refused: entities can "
            "expand without bound or reach outside)",
        ) from None
    if not reader.statements:
        raise StatementError(source, group, "no statement", f"at least one {block}")
    return tuple(reader.statements)


class _Reader:
    """Takes the parser's events and keeps the statements read."""

    def __init__(self, kind: StatementFormat, source: str, group: str, block: str) -> None:
        self.kind, self.source, self.group, self.block = kind, source, group, block
        self.paths: _Paths | None = None
        self.statements: list[BankStatement] = []
        self.current: Element | None = None
        self.entries: list[StatementEntry] = []
        self.count = 0

    def take(self, event: str, element: Element) -> None:
        if self.paths is None:
            self.paths = self._root(element)
            return
        paths = self.paths
        if event == "start":
            if element.tag == paths.path(self.block):
                self.current, self.entries = element, []
                self.count += 1
            return
        if element.tag == paths.path("Ntry") and self.current is not None:
            where = f"statement {self.count}, entry {len(self.entries) + 1}"
            entry = _entry(paths, element, self.source, where)
            if entry is not None:
                self.entries.append(entry)
            element.clear()
            with contextlib.suppress(ValueError):  # a child of the block: let it go
                self.current.remove(element)
        elif element.tag == paths.path(self.block):
            self.statements.append(self._statement(paths, element))
            element.clear()
            self.current = None

    def _root(self, element: Element) -> _Paths:
        tag = element.tag
        namespace = tag[1:].split("}")[0] if tag.startswith("{") else ""
        expected = [f"urn:iso:std:iso:20022:tech:xsd:{self.source}.{v}" for v in VERSIONS]
        if not tag.endswith("}Document") or namespace not in expected:
            raise StatementError(
                self.source,
                "Document",
                tag,
                f"a Document in the namespace of {self.source} {VERSIONS[0]} to {VERSIONS[-1]}",
            )
        return _Paths(namespace)

    def _statement(self, paths: _Paths, element: Element) -> BankStatement:
        source = self.source
        where = f"statement {self.count}"
        statement_id = paths.text(element, "Id")
        if not statement_id:
            raise StatementError(source, f"{where}, Id", "", "the statement's id")
        account = iban(paths.text(element, "Acct/Id/IBAN"), source, f"{where}, Acct/Id/IBAN")
        account = account or paths.text(element, "Acct/Id/Othr/Id")
        balances: dict[str, StatementBalance] = {}
        for number, balance in enumerate(paths.all(element, "Bal"), start=1):
            code = paths.text(balance, "Tp/CdOrPrtry/Cd")
            place = f"{where}, balance {number}"
            amount = _money(paths, balance, "Amt", source, place)
            sign = _credit_debit(paths, balance, source, place)
            on = _day(paths, balance, "Dt", source, place)
            with at(source, place):
                balances.setdefault(
                    code,
                    StatementBalance(
                        amount=amount if sign is CreditDebit.CREDIT else -amount, on=on
                    ),
                )
        opening = balances.get("OPBD") or balances.get("PRCD")
        closing = balances.get("CLBD")
        known = [b.amount.currency for b in (opening, closing) if b is not None]
        known += [entry.amount.currency for entry in self.entries]
        currency = paths.text(element, "Acct/Ccy") or (known[0] if known else "")
        if not currency:
            raise StatementError(source, f"{where}, Acct/Ccy", "", "the account's currency")
        sequence_text = paths.text(element, "ElctrncSeqNb") or paths.text(element, "LglSeqNb")
        if sequence_text and not _SEQUENCE.fullmatch(sequence_text):
            raise StatementError(source, f"{where}, ElctrncSeqNb", sequence_text, "a whole number")
        with at(source, where):
            return BankStatement(
                format=self.kind,
                account=account,
                statement_id=statement_id,
                currency=currency,
                sequence=int(sequence_text) if sequence_text else None,
                opening=opening,
                closing=closing,
                entries=tuple(self.entries),
            )


def _money(paths: _Paths, element: Element, path: str, source: str, where: str) -> Money:
    found = paths.one(element, path)
    text = "" if found is None or found.text is None else found.text.strip()
    if found is None or not _AMOUNT.fullmatch(text):
        raise StatementError(
            source, f"{where}, {path}", text, "an amount of decimal digits such as 119.00"
        )
    with at(source, f"{where}, {path}"):
        return Money(text, found.get("Ccy", ""))


def _credit_debit(paths: _Paths, element: Element, source: str, where: str) -> CreditDebit:
    text = paths.text(element, "CdtDbtInd")
    if text not in ("CRDT", "DBIT"):
        raise StatementError(source, f"{where}, CdtDbtInd", text, "CRDT or DBIT")
    return CreditDebit(text)


def _day(paths: _Paths, element: Element, path: str, source: str, where: str) -> _dt.date:
    text = paths.text(element, f"{path}/Dt") or paths.text(element, f"{path}/DtTm")[:10]
    if _DAY.fullmatch(text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise StatementError(source, f"{where}, {path}", text, "a day as YYYY-MM-DD")


def _entry(paths: _Paths, element: Element, source: str, where: str) -> StatementEntry | None:
    status = paths.text(element, "Sts/Cd") or paths.text(element, "Sts")
    if status not in ("", "BOOK"):
        return None
    amount = _money(paths, element, "Amt", source, where)
    direction = _credit_debit(paths, element, source, where)
    booked = _day(paths, element, "BookgDt", source, where)
    value = booked
    if paths.one(element, "ValDt") is not None:
        value = _day(paths, element, "ValDt", source, where)
    reference = paths.text(element, "AcctSvcrRef") or paths.text(element, "NtryRef")
    family = paths.text(element, "BkTxCd/Domn/Fmly/SubFmlyCd")
    proprietary = paths.text(element, "BkTxCd/Prtry/Cd").split("+")
    coded_return = family in _RETURN_SUBFAMILIES or (
        len(proprietary) > 1 and proprietary[1] in _RETURN_GVC
    )
    common: dict[str, Any] = {
        "booking_date": booked,
        "value_date": value,
        "reversal": paths.text(element, "RvslInd").lower() in ("true", "1"),
    }
    details = paths.all(element, "NtryDtls/TxDtls")
    signed = amount if direction is CreditDebit.CREDIT else -amount
    with at(source, where):
        if len(details) <= 1:
            detail = details[0] if details else None
            facts = _details(paths, detail, amount, direction, coded_return, source, where)
            return StatementEntry(
                amount=signed, credit_debit=direction, bank_reference=reference, **common, **facts
            )
        parts = []
        for number, detail in enumerate(details, start=1):
            place = f"{where}, item {number}"
            part_amount = _part_amount(paths, detail, source, place)
            part_direction = (
                _credit_debit(paths, detail, source, place)
                if paths.one(detail, "CdtDbtInd") is not None
                else direction
            )
            facts = _details(
                paths, detail, part_amount, part_direction, coded_return, source, place
            )
            own = paths.text(detail, "Refs/AcctSvcrRef") or (
                f"{reference}/{number}" if reference else ""
            )
            part_signed = part_amount if part_direction is CreditDebit.CREDIT else -part_amount
            with at(source, place):
                parts.append(
                    StatementEntry(
                        amount=part_signed,
                        credit_debit=part_direction,
                        bank_reference=own,
                        **common,
                        **facts,
                    )
                )
        return StatementEntry(
            amount=signed,
            credit_debit=direction,
            bank_reference=reference,
            returned=any(part.returned for part in parts),
            parts=tuple(parts),
            **common,
        )


def _part_amount(paths: _Paths, detail: Element, source: str, where: str) -> Money:
    path = "Amt" if paths.one(detail, "Amt") is not None else "AmtDtls/TxAmt/Amt"
    return _money(paths, detail, path, source, where)


def _details(
    paths: _Paths,
    detail: Element | None,
    amount: Money,
    direction: CreditDebit,
    coded_return: bool,
    source: str,
    where: str,
) -> dict[str, Any]:
    """The facts of one transaction's details, as StatementEntry's keyword arguments."""
    if detail is None:
        return {"returned": coded_return}
    returned = coded_return or paths.one(detail, "RtrInf") is not None
    side = "Dbtr" if direction is CreditDebit.CREDIT or returned else "Cdtr"
    name = paths.text(detail, f"RltdPties/{side}/Nm") or paths.text(
        detail, f"RltdPties/{side}/Pty/Nm"
    )
    account = iban(
        paths.text(detail, f"RltdPties/{side}Acct/Id/IBAN"),
        source,
        f"{where}, RltdPties/{side}Acct/Id/IBAN",
    )
    lines = [found.text or "" for found in paths.all(detail, "RmtInf/Ustrd")]
    creditor = ""
    for structured in paths.all(detail, "RmtInf/Strd"):
        reference = paths.text(structured, "CdtrRefInf/Ref")
        compact = "".join(reference.split()).upper()
        if not creditor and creditor_reference_valid(compact):
            creditor = compact
        elif reference:
            lines.append(reference)
        lines.extend((found.text or "").strip() for found in paths.all(structured, "AddtlRmtInf"))
    remittance = joined([line for line in lines if line.strip()])
    end_to_end = paths.text(detail, "Refs/EndToEndId")
    facts: dict[str, Any] = {
        "counterparty_name": name,
        "counterparty_iban": account,
        "creditor_reference": creditor or creditor_reference_in(remittance),
        "remittance": remittance,
        "end_to_end_id": "" if end_to_end == "NOTPROVIDED" else end_to_end,
        "returned": returned,
    }
    original = paths.one(detail, "AmtDtls/InstdAmt/Amt")
    if original is not None and original.get("Ccy", "") != amount.currency:
        facts["original_amount"] = _money(paths, detail, "AmtDtls/InstdAmt/Amt", source, where)
    if returned:
        reason = paths.text(detail, "RtrInf/Rsn/Cd") or paths.text(detail, "RtrInf/Rsn/Prtry")
        facts["return_reason"] = reason or reason_in(
            " ".join([remittance, paths.text(detail, "RtrInf/AddtlInf")])
        )
        fees = [
            _money(paths, record, "Amt", source, f"{where}, Chrgs")
            for record in (*paths.all(detail, "Chrgs/Rcrd"), *paths.all(detail, "Chrgs"))
            if paths.one(record, "Amt") is not None
        ]
        for fee in fees:
            if fee.currency != amount.currency:
                raise StatementError(
                    source, f"{where}, Chrgs", str(fee), f"a charge in {amount.currency}"
                )
        if fees:
            facts["return_fee"] = sum_money(fees, amount.currency)
    return facts
