"""Importing statements once: what of an account's statements was imported, so that the same
statement, or one overlapping it, books nothing twice.

An :class:`ImportLog` remembers, for one account, every entry imported by its key and the
last statement imported. :func:`import_statements` takes statements of that account and
gives an :class:`Imported`: the entries not imported before (in booking order), the ones
that were (skipped), the gaps and overlaps between the last statement and these (see
:func:`~dunlib.bank.statement.statement_gaps`), and the log that now includes them. The
application keeps the log (it is a value; :mod:`dunlib.io` writes it as JSON) and matches
only :attr:`Imported.transactions`, the money received among the new entries.

An entry's key is the bank's reference where the file gives one (camt ``AcctSvcrRef``,
MT940 ``//``: the bank keeps it for the entry whatever statement repeats it). Without one
(a CSV export, an MT940 line without it) the key is what the entry says (booking and value
date, amount, counterparty, references, text) and how many entries of the statement before
it say the same: two equal transfers on one day are two payments, and a statement that
repeats the day repeats both, so each is taken once.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

import attrs

from dunlib.bank.statement import BankStatement, StatementEntry, StatementGap, statement_gaps
from dunlib.core import validate as v
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.payments.matching import BankTransaction

__all__ = ["ImportLog", "Imported", "entry_keys", "import_statements"]


def entry_keys(statement: BankStatement) -> tuple[str, ...]:
    """The key of each entry of ``statement``, in its order (see the module docs): the
    bank's reference where given, else a digest of what the entry says and its count among
    the statement's entries that say the same."""
    if not isinstance(statement, BankStatement):
        raise InvalidTypeError("entry_keys.statement", statement, "a BankStatement")
    seen: Counter[str] = Counter()
    keys = []
    for entry in statement.entries:
        if entry.bank_reference:
            keys.append(f"ref:{entry.bank_reference}")
            continue
        said = repr(_content(entry))
        seen[said] += 1
        digest = hashlib.sha256(f"{said}#{seen[said]}".encode()).hexdigest()
        keys.append(f"sha256:{digest}")
    return tuple(keys)


def _content(entry: StatementEntry) -> tuple[object, ...]:
    """What an entry without a bank reference says, for its key."""
    return (
        entry.booking_date.isoformat(),
        entry.value_date.isoformat(),
        str(entry.amount.amount),
        entry.amount.currency,
        entry.counterparty_name,
        entry.counterparty_iban,
        entry.creditor_reference,
        entry.remittance,
        entry.end_to_end_id,
        entry.returned,
        entry.reversal,
    )


def _key_set(value: object) -> object:
    """Keys given as any collection of strings, kept as a frozenset (anything else as given,
    for the validator to refuse)."""
    if isinstance(value, set | frozenset | list | tuple) and all(isinstance(k, str) for k in value):
        return frozenset(value)
    return value


@attrs.frozen(kw_only=True)
class ImportLog:
    """What was imported of the statements of one ``account`` (its IBAN, as the statements
    name it): the key of every entry imported (:func:`entry_keys`) and the ``last``
    statement imported, without its entries (its number and closing balance tell the gap
    to the next). Starts empty: ``ImportLog(account="DE…")``."""

    account: str = attrs.field(validator=v.non_empty_text)
    keys: frozenset[str] = attrs.field(
        default=frozenset(),
        converter=_key_set,
        validator=v.of_type(frozenset, expected="a set of entry keys (strings)"),
    )
    last: BankStatement | None = attrs.field(
        default=None, validator=v.optional(v.of_type(BankStatement, expected="a BankStatement"))
    )


@attrs.frozen(kw_only=True)
class Imported:
    """What importing statements gave: ``entries`` not imported before, in booking order;
    ``repeated``, those that were and are skipped; ``gaps``, the gaps, overlaps and balance
    breaks from the last statement imported on; ``log``, the log with these imported."""

    log: ImportLog
    entries: tuple[StatementEntry, ...]
    repeated: tuple[StatementEntry, ...]
    gaps: tuple[StatementGap, ...]

    @property
    def transactions(self) -> tuple[BankTransaction, ...]:
        """The money received among the new entries, for
        :func:`~dunlib.payments.matching.match_payments`: incoming credits only, a batch
        by its items (returns, reversals and debits are never money received)."""
        return tuple(
            one.transaction()
            for entry in self.entries
            for one in (entry.parts or (entry,))
            if one.incoming
        )


def import_statements(log: ImportLog, statements: Iterable[BankStatement]) -> Imported:
    """Import ``statements`` of ``log``'s account, in the order given, on top of ``log``:
    each entry whose key the log (or an earlier statement of these) holds is ``repeated``,
    every other one new. Importing a statement twice, or one overlapping another, thus
    gives each entry once; the gaps between the log's last statement and these are
    reported, never hidden. A statement of another account is refused
    (:class:`~dunlib.core.errors.InvalidValueError` naming it)."""
    if not isinstance(log, ImportLog):
        raise InvalidTypeError("import_statements.log", log, "an ImportLog")
    items = v.items_of(statements, BankStatement, "import_statements.statements", "statements")
    keys = set(log.keys)
    new: list[StatementEntry] = []
    repeated: list[StatementEntry] = []
    for index, statement in enumerate(items):
        if statement.account != log.account:
            raise InvalidValueError(
                f"import_statements.statements[{index}].account",
                statement.account,
                f"the log's account {log.account} (keep one log per account)",
            )
        for entry, key in zip(statement.entries, entry_keys(statement), strict=True):
            (repeated if key in keys else new).append(entry)
            keys.add(key)
    chain = ([] if log.last is None else [log.last]) + items
    last = attrs.evolve(items[-1], entries=()) if items else log.last
    return Imported(
        log=ImportLog(account=log.account, keys=frozenset(keys), last=last),
        entries=tuple(new),
        repeated=tuple(repeated),
        gaps=statement_gaps(chain),
    )
