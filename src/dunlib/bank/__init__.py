"""Bank statements as banks send them: camt.053 and camt.054 (ISO 20022), MT940 and the
CSV exports of online banking, read into :class:`~dunlib.bank.statement.BankStatement`
values whose incoming money goes to :func:`dunlib.match_payments`.

Needs the ``bank`` extra (from the clone, ``python -m pip install ".[bank]"``: defusedxml,
mt-940); ``import dunlib`` never loads this package. See ``docs/bank.md``.
"""

from __future__ import annotations

from dunlib.bank.camt import DEFAULT_MAX_BYTES, VERSIONS, read_camt053, read_camt054
from dunlib.bank.csv_export import GENERIC_SOLL_HABEN, SPARKASSE_CAMT, CsvMapping, Sign, read_csv
from dunlib.bank.imports import Imported, ImportLog, entry_keys, import_statements
from dunlib.bank.returns import ReturnsBooked, book_returns
from dunlib.bank.statement import (
    RETURN_REASONS,
    BankStatement,
    CreditDebit,
    GapKind,
    StatementBalance,
    StatementEntry,
    StatementError,
    StatementFormat,
    StatementGap,
    statement_gaps,
)
from dunlib.bank.swift import read_mt940
from dunlib.core.validate import creditor_reference_valid

__all__ = [
    "DEFAULT_MAX_BYTES",
    "GENERIC_SOLL_HABEN",
    "RETURN_REASONS",
    "SPARKASSE_CAMT",
    "VERSIONS",
    "BankStatement",
    "CreditDebit",
    "CsvMapping",
    "GapKind",
    "ImportLog",
    "Imported",
    "ReturnsBooked",
    "Sign",
    "StatementBalance",
    "StatementEntry",
    "StatementError",
    "StatementFormat",
    "StatementGap",
    "book_returns",
    "creditor_reference_valid",
    "entry_keys",
    "import_statements",
    "read_camt053",
    "read_camt054",
    "read_csv",
    "read_mt940",
    "statement_gaps",
]
