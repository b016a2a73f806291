"""A customer's rows: reading them, the wake-up days, and writing a change over what was read.

Every writer of the store goes through here: :func:`writing` is the one way to open a
transaction that writes (holding the customer's lock), :func:`write_outcome` writes invoices,
letters and outbox rows over the versions read (raising :class:`Lost` when a row moved, so
the caller reads afresh and tries again), and :func:`wakes` gives every receivable invoice
its wake-up day (see :mod:`dunlib.store.daily` for what a wake-up day is in a store).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from dunlib.core.errors import InvalidTypeError, InvalidValueError, MissingExtraError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit
from dunlib.core.status import Status
from dunlib.dunning.accounts import CustomerAccount
from dunlib.dunning.decisions import DunningLetter
from dunlib.dunning.stages import DunningRules
from dunlib.dunning.wakeup import wakes_on
from dunlib.io.serialize import from_json, to_dict, to_json
from dunlib.portfolio.prepared import PreparedLetter
from dunlib.store import schema
from dunlib.store.chained import sealed_text

__all__ = [
    "ATTEMPTS",
    "BATCH",
    "ONE_DAY",
    "RECEIVABLE",
    "CustomerRows",
    "Lost",
    "Outcome",
    "Settings",
    "after",
    "digest",
    "engine_for",
    "invoice_row",
    "keeps_past",
    "letter_row",
    "one_row",
    "outbox_row",
    "pairs_of",
    "read_customers",
    "row_key",
    "wake_customers",
    "wake_day",
    "wakes",
    "write_outcome",
    "writing",
]


@attrs.frozen(kw_only=True)
class Settings:
    """What a store decides by: its ``rules``, the customer ``minimums``, the ``tenant``'s
    name for letters, and ``next_day``, the day after the latest day run (None before the
    first run)."""

    rules: DunningRules
    minimums: tuple[Money, ...]
    tenant: str
    next_day: _dt.date | None


RECEIVABLE = frozenset({Status.SENT, Status.DUNNED})
"""The states the daily run decides over: booked and not settled, closed or escalated."""

ATTEMPTS = 5
"""How often a change that lost a race is read afresh and tried again."""


class Lost(Exception):
    """A row's version moved between the read and the write: read afresh and try again."""


def engine_for(url: str) -> sa.Engine:
    """An engine for ``url``: SQLite with real transactions (BEGIN on every one, so reads in a
    transaction see one state) and a wait for locks; PostgreSQL through psycopg 3."""
    if not isinstance(url, str) or not url:
        raise InvalidTypeError("Store.url", url, "a database URL such as 'sqlite:///dunlib.db'")
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    try:
        engine = sa.create_engine(url)
    except ModuleNotFoundError as error:  # the database's driver is an extra of its own
        raise MissingExtraError(package=error.name or "psycopg", extra="postgresql") from None
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as error:
        raise InvalidValueError(
            "Store.url", url, "a database URL: 'sqlite:///file.db' or 'postgresql://…'"
        ) from error
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _connect(connection: Any, _: Any) -> None:
            connection.isolation_level = None  # transactions begin below, not by the driver
            connection.execute("PRAGMA busy_timeout = 30000")

        @sa.event.listens_for(engine, "begin")
        def _begin(connection: sa.Connection) -> None:
            writes = connection.get_execution_options().get("dunlib_writes", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


@contextlib.contextmanager
def writing(engine: sa.Engine, customer: str | None) -> Iterator[sa.Connection]:
    """A transaction that writes, holding ``customer``'s lock until it ends (None: the whole
    store's): every writer of a customer's rows takes it, so what the transaction reads of
    the customer stays as read. On SQLite the transaction takes the database's write lock
    at its start (BEGIN IMMEDIATE); on PostgreSQL a transaction-level advisory lock per
    customer."""
    with engine.connect() as connection:
        connection.execution_options(dunlib_writes=True)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(
                    sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                    {"key": "dunlib:" + (customer or "")},
                )
            yield connection


def digest(rules: DunningRules) -> str:
    """The digest of ``rules``' document: the store recomputes wake-up days when it changes."""
    return hashlib.sha256(to_json(rules).encode("ascii")).hexdigest()


def minor(money: Money) -> int:
    """``money`` in its currency's minor units, exactly."""
    return int(money.amount.scaleb(minor_unit(money.currency)))


def invoice_row(invoice: Invoice, wake: _dt.date | None, document: str) -> dict[str, Any]:
    """The columns of ``invoice``'s row beside its ``document``."""
    return {
        "number": invoice.number,
        "customer": invoice.customer.id,
        "currency": invoice.currency,
        "status": invoice.status.name,
        "receivable": invoice.status in RECEIVABLE,
        "open_minor": minor(invoice.open_amount),
        "wake_on": wake,
        "document": document,
    }


def keeps_past(old: Invoice, new: object, operation: str) -> Invoice:
    """``new`` when it is ``old`` carried on by dunlib's operations: the same invoice whose
    history begins with ``old``'s whole history."""
    if not isinstance(new, Invoice):
        raise InvalidTypeError(f"{operation}.change", new, "a change that returns an Invoice")
    if new.id != old.id or new.history[: len(old.history)] != old.history:
        raise InvalidValueError(
            f"{operation}.change",
            new.known_as,
            f"invoice {old.known_as} carried on by dunlib's operations (its history kept)",
        )
    return new


ONE_DAY = _dt.timedelta(days=1)


@attrs.define
class CustomerRows:
    """What a run read of one customer: its receivable invoices with their row versions, its
    account and its letters still holding something; and the stored documents of the
    invoices by id (each written anew carries on its chain)."""

    invoices: list[tuple[Invoice, int]]
    account: CustomerAccount | None
    letters: list[tuple[str, PreparedLetter, int]]
    documents: dict[str, str] = attrs.field(factory=dict)


def wake_day(
    invoice: Invoice, rules: DunningRules, since: _dt.date | None, account: CustomerAccount | None
) -> _dt.date | None:
    """``invoice``'s wake-up day from ``since`` (None: the day of its last step) with the
    customer's credit taken as zero; None for an invoice that is not receivable."""
    if invoice.status not in RECEIVABLE:
        return None
    start = invoice.history[-1].on if since is None else since
    zero = Money.zero(invoice.currency)
    return wakes_on(invoice, rules, today=start, account=account, credit=zero)


def wakes(
    read: CustomerRows,
    rules: DunningRules,
    since: _dt.date | None,
    below: dict[str, _dt.date | None] | None = None,
) -> dict[str, _dt.date | None]:
    """The wake-up day from ``since`` of each of a customer's receivable invoices (see the
    module docs); ``below`` gives those the customer minimum held back, with their day."""
    held = {
        invoice.id
        for invoice, _ in read.invoices
        for _, letter, _ in read.letters
        if letter.holds(invoice, today=since or invoice.history[-1].on)
    }
    wakes: dict[str, _dt.date | None] = {}
    for invoice, _ in read.invoices:
        if invoice.id in held:
            wakes[invoice.id] = None
        elif below is not None and invoice.id in below:
            wakes[invoice.id] = below[invoice.id]
        else:
            wakes[invoice.id] = wake_day(invoice, rules, since, read.account)
    return wakes


def read_customers(connection: sa.Connection, customers: Sequence[str]) -> dict[str, CustomerRows]:
    """What the run reads of ``customers``: receivable invoices, accounts, held letters."""
    read = {customer: CustomerRows([], None, []) for customer in customers}
    table = schema.invoices
    rows = connection.execute(
        sa.select(table.c.customer, table.c.version, table.c.document)
        .where(table.c.customer.in_(customers), table.c.receivable)
        .order_by(table.c.customer, table.c.id)
    )
    for customer, version, document in rows:
        invoice = from_json(document, Invoice)
        read[customer].invoices.append((invoice, version))
        read[customer].documents[invoice.id] = document
    accounts = connection.execute(
        sa.select(schema.accounts.c.customer, schema.accounts.c.document).where(
            schema.accounts.c.customer.in_(customers)
        )
    )
    for customer, document in accounts:
        read[customer].account = from_json(document, CustomerAccount)
    letters = connection.execute(
        sa.select(
            schema.letters.c.customer,
            schema.letters.c.key,
            schema.letters.c.version,
            schema.letters.c.document,
        )
        .where(schema.letters.c.customer.in_(customers), schema.letters.c.state.in_(HOLDING))
        .order_by(schema.letters.c.key)
    )
    for customer, key, version, document in letters:
        read[customer].letters.append((key, from_json(document, PreparedLetter), version))
    return read


HOLDING = ("PREPARED", "APPROVED", "REJECTED")
"""The letter states that may still hold an invoice (:meth:`PreparedLetter.holds`)."""


def wake_customers(
    connection: sa.Connection,
    customers: Sequence[str],
    rules: DunningRules,
    since: _dt.date | None,
) -> int:
    """Compute afresh the wake-up days of ``customers``' receivable invoices from ``since``,
    inside the caller's transaction, a batch of customers at a time; returns how many
    invoices there are."""
    count = 0
    for start in range(0, len(customers), BATCH):
        batch = customers[start : start + BATCH]
        for read in read_customers(connection, batch).values():
            woken = wakes(read, rules, since)
            write_wakes(connection, woken)
            count += len(woken)
    return count


BATCH = 200
"""How many customers are read at once (by the daily run and when waking afresh)."""


def write_wakes(connection: sa.Connection, wakes: dict[str, _dt.date | None]) -> None:
    """Write the wake-up days ``wakes`` (by invoice id), in one statement sent for all."""
    if wakes:
        connection.execute(
            _WAKE, [{"_id": key, "_wake": day} for key, day in sorted(wakes.items())]
        )


_WAKE = (
    schema.invoices.update()
    .where(schema.invoices.c.id == sa.bindparam("_id"))
    .values(wake_on=sa.bindparam("_wake"))
)


def row_key(*parts: object) -> str:
    """A row key: the digest of ``parts`` (the same parts, the same key, on every run)."""
    return hashlib.sha256(json.dumps([str(p) for p in parts]).encode()).hexdigest()[:32]


def pairs_of(letter: DunningLetter) -> list[tuple[str, int]]:
    """The (invoice number, level) pairs ``letter`` dunns, in its order."""
    return [
        (d.invoice.number, stage.level)
        for d, stage in zip(letter.decisions, letter.actions, strict=True)
    ]


@attrs.define
class Outcome:
    """What deciding one customer made: invoices to write (by id), outbox rows, letter rows
    (new or superseded), and counts."""

    invoices: dict[str, Invoice] = attrs.field(factory=dict)
    outbox: list[dict[str, Any]] = attrs.field(factory=list)
    letters: list[dict[str, Any]] = attrs.field(factory=list)
    below: dict[str, _dt.date | None] = attrs.field(factory=dict)
    counts: dict[str, int] = attrs.field(factory=lambda: defaultdict(int))


def letter_row(key: str, letter: PreparedLetter, version: int | None) -> dict[str, Any]:
    """The letters row of ``letter`` under ``key`` (``version`` None: a new row)."""
    return {
        "key": key,
        "customer": letter.invoices[0].customer.id,
        "currency": letter.invoices[0].currency,
        "day": letter.on,
        "state": letter.state.name,
        "document": to_json(letter),
        "version": version,
    }


def outbox_row(
    key: str,
    customer: str,
    day: _dt.date,
    letter: DunningLetter,
    pairs: list[tuple[str, int]],
    tenant: str,
) -> dict[str, Any]:
    """The outbox row of ``letter``: its texts in the customer's language and its amounts."""
    texts = letter.documents(tenant_name=tenant)
    document = {
        "customer": to_dict(letter.customer),
        "language": texts.language,
        "email_subject": texts.email_subject,
        "email_body": texts.email_body,
        "pdf_text": texts.pdf_text,
        "fee": to_dict(letter.fee),
        "interest": to_dict(letter.interest),
        "open_amount": to_dict(letter.open_amount),
        "channels": sorted(channel.name for channel in letter.channels),
    }
    return {
        "key": key,
        "customer": customer,
        "currency": letter.currency,
        "day": day,
        "pairs": json.dumps(pairs),
        "sent": False,
        "document": json.dumps(document, sort_keys=True, ensure_ascii=True),
    }


def _statements() -> tuple[sa.Update, sa.Update, sa.Insert, sa.Insert]:
    """The statements :func:`write_outcome` writes with, built once: a row of the version
    read (``row_id``, ``row_version``) gets the columns given as parameters."""
    table, letters = schema.invoices, schema.letters
    invoice = table.c.id == sa.bindparam("row_id")
    letter = letters.c.key == sa.bindparam("row_key")
    return (
        table.update().where(invoice, table.c.version == sa.bindparam("row_version")),
        letters.update().where(letter, letters.c.version == sa.bindparam("row_version")),
        letters.insert(),
        schema.outbox.insert(),
    )


_WRITE_INVOICE, _WRITE_LETTER, _NEW_LETTER, _NEW_OUTBOX = _statements()


def write_outcome(
    connection: sa.Connection,
    read: CustomerRows,
    outcome: Outcome,
    wakes: dict[str, _dt.date | None],
) -> None:
    """Write one customer's outcome over what was read (raises Lost when a row moved), each
    invoice's document sealed on from the one read (:mod:`dunlib.store.chained`; a stored
    past that does not fit its chain is refused, :class:`~dunlib.io.chain.ChainBrokenError`).

    The statements are built once (:func:`_statements`) and given each row's values as
    parameters: a run writes thousands of rows, and building a statement per row cost
    about as much as the database's work on it."""
    versions = {invoice.id: version for invoice, version in read.invoices}
    try:
        for key, invoice in outcome.invoices.items():
            document = sealed_text(invoice, read.documents.get(key))
            written = invoice_row(invoice, wakes.get(key), document)
            one_row(
                connection.execute(
                    _WRITE_INVOICE,
                    {
                        "row_id": key,
                        "row_version": versions[key],
                        "version": versions[key] + 1,
                        **written,
                    },
                )
            )
        for key in sorted(wakes.keys() - outcome.invoices.keys()):
            one_row(
                connection.execute(
                    _WRITE_INVOICE,
                    {"row_id": key, "row_version": versions[key], "wake_on": wakes[key]},
                )
            )
        for row in outcome.letters:
            if row["version"] is None:  # a new letter: its key is taken if another run made it
                connection.execute(_NEW_LETTER, {**row, "version": 1})
            else:
                one_row(
                    connection.execute(
                        _WRITE_LETTER,
                        {
                            **row,
                            "row_key": row["key"],
                            "row_version": row["version"],
                            "version": row["version"] + 1,
                        },
                    )
                )
        for row in outcome.outbox:  # a letter in the outbox once: its key is taken otherwise
            connection.execute(_NEW_OUTBOX, row)
    except sa.exc.IntegrityError as error:
        raise Lost from error


def one_row(done: sa.CursorResult[Any]) -> None:
    """Raise Lost unless the statement changed exactly one row (the one of the version read)."""
    if done.rowcount != 1:
        raise Lost


def after(outcome: Outcome, read: CustomerRows) -> CustomerRows:
    """What the customer holds once ``outcome`` is written."""
    invoices = [
        (outcome.invoices.get(invoice.id, invoice), version) for invoice, version in read.invoices
    ]
    letters = {key: (key, letter, version) for key, letter, version in read.letters}
    for row in outcome.letters:
        letters[row["key"]] = (row["key"], from_json(row["document"], PreparedLetter), 0)
    return CustomerRows(invoices, read.account, list(letters.values()))
