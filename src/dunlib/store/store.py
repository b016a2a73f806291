"""A store: a portfolio of invoices, accounts and letters kept on SQLite or PostgreSQL.

:class:`Store` keeps dunlib's values as their versioned JSON documents
(:mod:`dunlib.store.schema`) and changes them only through dunlib's operations: a change is
a function from the current value to the next (``lambda invoice: record_payment(invoice, …)
.invoice``), and the store checks that the result keeps the value's past (append-only
history) before it writes it. Each row carries a version: a change read from an older version
than the row has now is read afresh and tried again (optimistic concurrency, the same on
SQLite and PostgreSQL), and fails with :class:`~dunlib.store.errors.ConflictError` when the row
keeps moving. The daily run over a store is :meth:`Store.run_day` (:mod:`dunlib.store.daily`).

This module is at the edge: it opens databases. ``sqlite:///file.db`` is the embedded
default; ``postgresql://…`` uses psycopg 3 (the ``postgresql`` extra).
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import IO, Any

import attrs
import sqlalchemy as sa

from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.dunning.accounts import CustomerAccount
from dunlib.dunning.stages import DunningRules
from dunlib.io.chain import ChainBreak, verify_chain
from dunlib.io.serialize import from_json, to_json
from dunlib.portfolio.prepared import LetterSent, PreparedLetter
from dunlib.store import daily, schema
from dunlib.store.chained import erased_text, sealed_text, unsealed
from dunlib.store.errors import ConflictError, SchemaVersionError
from dunlib.store.rows import (
    ATTEMPTS,
    CustomerRows,
    Lost,
    Outcome,
    Settings,
    digest,
    engine_for,
    invoice_row,
    keeps_past,
    one_row,
    wake_customers,
    write_outcome,
    writing,
)
from dunlib.workflow.policy import AUTOMATIC, Actor, Authority

__all__ = ["OutboxLetter", "RunRecord", "Store"]


@attrs.frozen(kw_only=True)
class OutboxLetter:
    """One letter to send: to ``customer`` in ``currency`` on ``day``, for the ``pairs`` of
    (invoice number, level) it dunns; ``document`` its texts and amounts as JSON; ``sent``
    once the app marked it sent. ``key`` identifies it (a digest of the rest)."""

    key: str
    customer: str
    currency: str
    day: _dt.date
    pairs: tuple[tuple[str, int], ...]
    sent: bool
    document: str


@attrs.frozen(kw_only=True)
class RunRecord:
    """One entry of the run journal: the run of ``day`` by ``runner``, ``started`` and
    ``finished`` (ISO timestamps; None while running or after a crash) and its ``counts``."""

    day: _dt.date
    runner: str
    started: str
    finished: str | None
    counts: dict[str, int] | None


_CHUNK = 1000
"""How many invoices :meth:`Store.add_invoices` looks up and inserts at once."""


class Store:
    """A portfolio kept in a database (see the module docs). Open one with :meth:`create` or
    :meth:`open`; close it with :meth:`close` or use it as a context manager."""

    def __init__(self, engine: sa.Engine, url: str) -> None:
        self._engine = engine
        self.url = url
        self._rules: DunningRules | None = None
        self._rules_digest = ""

    # -- opening ---------------------------------------------------------------

    @classmethod
    def create(
        cls,
        url: str,
        *,
        rules: DunningRules,
        minimums: Iterable[Money] = (),
        tenant: str = "",
    ) -> Store:
        """A new store at ``url`` (an empty database) with the dunning ``rules``, the
        customer ``minimums`` of the run (:func:`dunlib.customer_minimum`) and the
        ``tenant``'s name for letters. A database that already holds a store is refused."""
        if not isinstance(rules, DunningRules):
            raise InvalidTypeError("Store.create.rules", rules, "a DunningRules")
        amounts = tuple(minimums)
        for index, amount in enumerate(amounts):
            if not isinstance(amount, Money):
                raise InvalidTypeError(f"Store.create.minimums[{index}]", amount, "a Money")
        if not isinstance(tenant, str):
            raise InvalidTypeError("Store.create.tenant", tenant, "a str")
        engine = engine_for(url)
        with engine.begin() as connection:
            if sa.inspect(connection).has_table(schema.meta.name):
                raise InvalidValueError("Store.create.url", url, "a database without a store")
            _migrate(connection, 0)
            connection.execute(
                schema.meta.insert(),
                [
                    {"key": "rules", "value": to_json(rules)},
                    {"key": "rules_digest", "value": digest(rules)},
                    {"key": "minimums", "value": json.dumps([to_json(m) for m in amounts])},
                    {"key": "tenant", "value": tenant},
                    {"key": "next_day", "value": ""},
                ],
            )
        return cls(engine, url)

    @classmethod
    def open(cls, url: str) -> Store:
        """The store at ``url``, upgraded to this dunlib's schema version when it is older;
        a database without a store, or with a newer one, is refused
        (:class:`~dunlib.store.errors.SchemaVersionError`)."""
        engine = engine_for(url)
        with engine.begin() as connection:
            found = _version(connection)
            if found is not None and found <= schema.SCHEMA_VERSION:
                _migrate(connection, found)
        if found is None or found > schema.SCHEMA_VERSION:
            engine.dispose()
            raise SchemaVersionError(url, found, schema.SCHEMA_VERSION)
        return cls(engine, url)

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for the app's own queries and for tests' hooks)."""
        return self._engine

    def close(self) -> None:
        """Close every connection of the store."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    # -- settings --------------------------------------------------------------

    def _meta(self, connection: sa.Connection, key: str) -> str:
        value = connection.execute(
            sa.select(schema.meta.c.value).where(schema.meta.c.key == key)
        ).scalar_one()
        return str(value)

    def _set_meta(self, connection: sa.Connection, key: str, value: str) -> None:
        connection.execute(schema.meta.update().where(schema.meta.c.key == key).values(value=value))

    @property
    def rules(self) -> DunningRules:
        """The store's dunning rules."""
        with self._engine.connect() as connection:
            text = self._meta(connection, "rules")
            if self._rules is None or self._rules_digest != self._meta(connection, "rules_digest"):
                self._rules = from_json(text, DunningRules)
                self._rules_digest = digest(self._rules)
        return self._rules

    @property
    def minimums(self) -> tuple[Money, ...]:
        """The customer minimums of the daily run, one per currency at most."""
        with self._engine.connect() as connection:
            texts = json.loads(self._meta(connection, "minimums"))
        return tuple(from_json(text, Money) for text in texts)

    @property
    def tenant(self) -> str:
        """The sending organisation's name, for the letters' texts."""
        with self._engine.connect() as connection:
            return self._meta(connection, "tenant")

    @property
    def next_day(self) -> _dt.date | None:
        """The day after the latest day run, None before the first run."""
        with self._engine.connect() as connection:
            return _day(self._meta(connection, "next_day"))

    @property
    def settings(self) -> Settings:
        """The rules, minimums, tenant and next day the store decides by, read together."""
        return Settings(
            rules=self.rules, minimums=self.minimums, tenant=self.tenant, next_day=self.next_day
        )

    def set_rules(self, rules: DunningRules) -> int:
        """Make ``rules`` the store's rules. When their digest differs from the stored rules',
        every receivable invoice's wake-up day is computed afresh under them, in the same
        transaction; returns how many invoices were woken afresh (0: the same rules)."""
        if not isinstance(rules, DunningRules):
            raise InvalidTypeError("Store.set_rules.rules", rules, "a DunningRules")
        new = digest(rules)
        with writing(self._engine, None) as connection:
            if self._meta(connection, "rules_digest") == new:
                return 0
            self._set_meta(connection, "rules", to_json(rules))
            self._set_meta(connection, "rules_digest", new)
            since = _day(self._meta(connection, "next_day"))
            customers = connection.execute(
                sa.select(schema.invoices.c.customer)
                .where(schema.invoices.c.receivable)
                .distinct()
                .order_by(schema.invoices.c.customer)
            ).scalars()
            count = wake_customers(connection, [str(c) for c in customers], rules, since)
        self._rules = rules
        self._rules_digest = new
        return count

    # -- invoices --------------------------------------------------------------

    def add_invoices(self, invoices: Iterable[Invoice]) -> int:
        """Put ``invoices`` into the store, in one transaction; returns how many were new.

        An invoice already stored exactly so is passed over (importing a file twice adds
        nothing); one stored with another content is refused: change it with :meth:`change`.
        Every invoice of the new invoices' customers then wakes afresh as
        :func:`dunlib.dunning.wakes_on` says, from the next day to run (or, before the first
        run, from the day of its last step): a new invoice can bring a customer's others over
        the customer minimum."""
        rules = self.rules
        added = 0
        customers: set[str] = set()
        given = iter(invoices)
        with writing(self._engine, None) as connection:
            since = _day(self._meta(connection, "next_day"))
            start = 0
            while chunk := list(itertools.islice(given, _CHUNK)):
                new = self._new_rows(connection, chunk, start)
                start += len(chunk)
                if new:
                    connection.execute(schema.invoices.insert(), new)
                customers.update(row["customer"] for row in new)
                added += len(new)
            wake_customers(connection, sorted(customers), rules, since)
        return added

    def _new_rows(
        self, connection: sa.Connection, chunk: list[Invoice], start: int
    ) -> list[dict[str, Any]]:
        """The rows of the invoices of ``chunk`` not yet stored (see :meth:`add_invoices`)."""
        for index, invoice in enumerate(chunk, start):
            if not isinstance(invoice, Invoice):
                raise InvalidTypeError(
                    f"Store.add_invoices.invoices[{index}]", invoice, "an Invoice"
                )
        table = schema.invoices
        stored = dict(
            connection.execute(
                sa.select(table.c.id, table.c.document).where(
                    table.c.id.in_([invoice.id for invoice in chunk])
                )
            ).all()
        )
        rows: dict[str, dict[str, Any]] = {}
        for index, invoice in enumerate(chunk, start):
            known = stored.get(invoice.id, rows.get(invoice.id, {}).get("document"))
            if known is None:
                rows[invoice.id] = {
                    "id": invoice.id,
                    "version": 1,
                    **invoice_row(invoice, None, sealed_text(invoice, None)),
                }
            elif unsealed(known) != to_json(invoice):
                raise InvalidValueError(
                    f"Store.add_invoices.invoices[{index}]",
                    invoice.known_as,
                    f"an invoice not yet stored, or as stored (invoice {invoice.known_as} is "
                    "stored with another content: change it with Store.change)",
                )
        return list(rows.values())

    def invoice(self, invoice_id: str) -> Invoice:
        """The stored invoice of id ``invoice_id`` (a KeyError-like typed error when none)."""
        with self._engine.connect() as connection:
            document = connection.execute(
                sa.select(schema.invoices.c.document).where(schema.invoices.c.id == invoice_id)
            ).scalar_one_or_none()
        if document is None:
            raise InvalidValueError("Store.invoice.invoice_id", invoice_id, "a stored invoice's id")
        return from_json(document, Invoice)

    def invoices(self, *, customer: str | None = None) -> Iterator[Invoice]:
        """Every stored invoice (of ``customer`` when given), by id, read lazily in pages."""
        after = ""
        while True:
            query = (
                sa.select(schema.invoices.c.id, schema.invoices.c.document)
                .where(schema.invoices.c.id > after)
                .order_by(schema.invoices.c.id)
                .limit(1000)
            )
            if customer is not None:
                query = query.where(schema.invoices.c.customer == customer)
            with self._engine.connect() as connection:
                page = connection.execute(query).all()
            if not page:
                return
            for _, document in page:
                yield from_json(document, Invoice)
            after = page[-1][0]

    def wake_days(self) -> dict[str, _dt.date | None]:
        """Every stored invoice's wake-up day, by id."""
        with self._engine.connect() as connection:
            rows = connection.execute(sa.select(schema.invoices.c.id, schema.invoices.c.wake_on))
            return {str(key): wake for key, wake in rows}

    def change(self, invoice_id: str, change: Callable[[Invoice], Invoice]) -> Invoice:
        """Apply ``change`` (one of dunlib's operations on an invoice) to the stored invoice
        and store what it returns, with the wake-up days of the customer's invoices computed
        afresh. A row changed meanwhile by someone else is read afresh and ``change`` applied
        again, up to :data:`ATTEMPTS` times (then :class:`~dunlib.store.errors.ConflictError`).
        dunlib's own refusals (a typed error) leave the store as it was."""
        for _ in range(ATTEMPTS):
            with self._engine.connect() as connection:
                row = connection.execute(
                    sa.select(schema.invoices.c.version, schema.invoices.c.document).where(
                        schema.invoices.c.id == invoice_id
                    )
                ).one_or_none()
            if row is None:
                raise InvalidValueError(
                    "Store.change.invoice_id", invoice_id, "a stored invoice's id"
                )
            old = from_json(row.document, Invoice)
            new = keeps_past(old, change(old), "Store.change")
            try:
                with writing(self._engine, new.customer.id) as connection:
                    read = CustomerRows([(old, row.version)], None, [], {old.id: row.document})
                    write_outcome(connection, read, Outcome(invoices={new.id: new}), {})
                    since = _day(self._meta(connection, "next_day"))
                    wake_customers(connection, [new.customer.id], self.rules, since)
            except Lost:
                continue
            return new
        raise ConflictError("invoice", invoice_id, ATTEMPTS)

    def verify_chains(self) -> tuple[ChainBreak, ...]:
        """Every stored invoice whose document does not fit its audit chain, by id, each
        with the first part that does not fit (:func:`dunlib.io.chain.verify_chain`); empty
        when every stored past is as it was sealed."""
        breaks: list[ChainBreak] = []
        after = ""
        while True:
            with self._engine.connect() as connection:
                page = connection.execute(
                    sa.select(schema.invoices.c.id, schema.invoices.c.document)
                    .where(schema.invoices.c.id > after)
                    .order_by(schema.invoices.c.id)
                    .limit(1000)
                ).all()
            if not page:
                return tuple(breaks)
            for _, document in page:
                found = verify_chain(document)
                if found is not None:
                    breaks.append(found)
            after = page[-1][0]

    def erase_customer(self, customer: str) -> int:
        """Erase the personal data of ``customer`` (GDPR Art. 17) from every stored invoice
        of theirs, in one transaction: name, e-mail address, address and VAT id blanked and
        each chain's salt removed (:func:`dunlib.io.chain.erase_personal_data`); every chain
        still verifies. Returns how many invoices were erased. The customer's id stays, and
        so do the texts of letters already prepared or sent (see ``docs/audit.md``)."""
        if not isinstance(customer, str) or not customer:
            raise InvalidTypeError("Store.erase_customer.customer", customer, "a customer id")
        table = schema.invoices
        with writing(self._engine, customer) as connection:
            rows = connection.execute(
                sa.select(table.c.id, table.c.version, table.c.document)
                .where(table.c.customer == customer)
                .order_by(table.c.id)
            ).all()
            for key, version, document in rows:
                connection.execute(
                    table.update()
                    .where(table.c.id == key)
                    .values(version=version + 1, document=erased_text(document))
                )
        return len(rows)

    # -- accounts --------------------------------------------------------------

    def _account(self, connection: sa.Connection, customer: str) -> CustomerAccount | None:
        document = connection.execute(
            sa.select(schema.accounts.c.document).where(schema.accounts.c.customer == customer)
        ).scalar_one_or_none()
        return None if document is None else from_json(document, CustomerAccount)

    def account(self, customer: str) -> CustomerAccount:
        """The account of ``customer`` (one without changes when none is stored)."""
        with self._engine.connect() as connection:
            account = self._account(connection, customer)
        return CustomerAccount(customer_id=customer) if account is None else account

    def change_account(
        self, customer: str, change: Callable[[CustomerAccount], CustomerAccount]
    ) -> CustomerAccount:
        """Apply ``change`` (one of dunlib's account operations, such as
        :func:`dunlib.dunning.hold_account`) to ``customer``'s account and store it, the wake-up
        days of the customer's invoices computed afresh; retried as :meth:`change` is."""
        table = schema.accounts
        for _ in range(ATTEMPTS):
            with self._engine.connect() as connection:
                row = connection.execute(
                    sa.select(table.c.version, table.c.document).where(table.c.customer == customer)
                ).one_or_none()
            old = (
                CustomerAccount(customer_id=customer)
                if row is None
                else from_json(row.document, CustomerAccount)
            )
            new = change(old)
            if not isinstance(new, CustomerAccount):
                raise InvalidTypeError(
                    "Store.change_account.change", new, "a change that returns a CustomerAccount"
                )
            if new.customer_id != customer or new.history[: len(old.history)] != old.history:
                raise InvalidValueError(
                    "Store.change_account.change",
                    new.customer_id,
                    f"the account of {customer} carried on by dunlib's operations",
                )
            try:
                with writing(self._engine, customer) as connection:
                    if row is None:
                        try:
                            connection.execute(
                                table.insert().values(
                                    customer=customer, version=1, document=to_json(new)
                                )
                            )
                        except sa.exc.IntegrityError as error:
                            raise Lost from error
                    else:
                        one_row(
                            connection.execute(
                                table.update()
                                .where(table.c.customer == customer, table.c.version == row.version)
                                .values(version=row.version + 1, document=to_json(new))
                            )
                        )
                    since = _day(self._meta(connection, "next_day"))
                    wake_customers(connection, [customer], self.rules, since)
            except Lost:
                continue
            return new
        raise ConflictError("account", customer, ATTEMPTS)

    # -- letters and the outbox ----------------------------------------------------

    def letters(self, *, customer: str | None = None) -> tuple[tuple[str, PreparedLetter], ...]:
        """The prepared letters (key and letter), by key; ``customer``'s only when given."""
        query = sa.select(schema.letters.c.key, schema.letters.c.document).order_by(
            schema.letters.c.key
        )
        if customer is not None:
            query = query.where(schema.letters.c.customer == customer)
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return tuple((str(key), from_json(document, PreparedLetter)) for key, document in rows)

    def outbox(
        self, *, day: _dt.date | None = None, pending: bool = False
    ) -> tuple[OutboxLetter, ...]:
        """The letters to send (and sent), by day, customer and key; ``day``'s only when
        given, those not yet marked sent only with ``pending``."""
        table = schema.outbox
        query = sa.select(table).order_by(table.c.day, table.c.customer, table.c.key)
        if day is not None:
            query = query.where(table.c.day == day)
        if pending:
            query = query.where(sa.not_(table.c.sent))
        with self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return tuple(
            OutboxLetter(
                key=row.key,
                customer=row.customer,
                currency=row.currency,
                day=row.day,
                pairs=tuple((str(number), int(level)) for number, level in json.loads(row.pairs)),
                sent=bool(row.sent),
                document=row.document,
            )
            for row in rows
        )

    def mark_sent(self, key: str) -> None:
        """Mark the outbox letter ``key`` as sent by the app."""
        with self._engine.begin() as connection:
            done = connection.execute(
                schema.outbox.update().where(schema.outbox.c.key == key).values(sent=True)
            )
        if done.rowcount != 1:
            raise InvalidValueError("Store.mark_sent.key", key, "the key of an outbox letter")

    def runs(self) -> tuple[RunRecord, ...]:
        """The run journal, oldest first."""
        table = schema.runs
        with self._engine.connect() as connection:
            rows = connection.execute(sa.select(table).order_by(table.c.id)).all()
        return tuple(
            RunRecord(
                day=row.day,
                runner=row.runner,
                started=row.started,
                finished=row.finished,
                counts=None if row.counts is None else json.loads(row.counts),
            )
            for row in rows
        )

    # -- the daily run and the letters it prepared ------------------------------------

    def run_day(
        self,
        day: _dt.date,
        *,
        runner: str = "dunlib",
        actor: Actor = AUTOMATIC,
        authority: Authority | None = None,
        progress: Callable[[int, int], None] | None = None,
        clock: Callable[[], str] | None = None,
    ) -> daily.RunSummary:
        """Run dunning for ``day`` over the store (:func:`dunlib.store.daily.run_day`): what
        wakes on or before ``day`` is decided and booked by ``actor`` under ``authority``,
        per customer in one transaction, and the run is kept in the journal. ``clock`` gives
        the journal's started and finished timestamps (the command line passes the machine's
        time); dunlib reads no clock, so without one they are empty."""
        day = as_date(day, "Store.run_day.day")
        return daily.run_day(
            self._engine,
            self.settings,
            day,
            runner=runner,
            actor=actor,
            authority=authority,
            clock=_no_clock if clock is None else clock,
            progress=progress,
        )

    def move_letter(
        self,
        key: str,
        move: Callable[[PreparedLetter, tuple[Invoice, ...]], PreparedLetter | LetterSent],
    ) -> PreparedLetter:
        """Apply ``move`` (approving, rejecting, withdrawing or sending the prepared letter
        ``key``, as :func:`dunlib.approve_letter` and its kin do; it gets the letter and the
        customer's current receivable invoices) and store the letter, the invoices a sending
        booked, the outbox row of a letter sent, and the customer's new wake-up days, in one
        transaction; retried as :meth:`change` is."""
        for _ in range(ATTEMPTS):
            with self._engine.connect() as connection:
                row = connection.execute(
                    sa.select(schema.letters).where(schema.letters.c.key == key)
                ).one_or_none()
            if row is None:
                raise InvalidValueError("Store.move_letter.key", key, "a prepared letter's key")
            try:
                return daily.letter_moved(self._engine, self.settings, row, move)
            except Lost:
                continue
        raise ConflictError("letter", key, ATTEMPTS)

    # -- backup -----------------------------------------------------------------

    def export(self, stream: IO[str]) -> int:
        """Write the whole store to ``stream`` as JSON lines, read in one transaction (a
        consistent copy while others write): a header line with the schema version, then
        one line per row, table by table in key order. Returns the number of rows."""
        count = 0
        with self._engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                header = {"dunlib_store": schema.SCHEMA_VERSION}
                stream.write(json.dumps(header, sort_keys=True) + "\n")
                for table in schema.tables:
                    keys = list(table.primary_key.columns)
                    for row in connection.execute(sa.select(table).order_by(*keys)):
                        values = {k: _plain(v) for k, v in row._mapping.items()}
                        line = {"table": table.name, "row": values}
                        stream.write(json.dumps(line, sort_keys=True) + "\n")
                        count += 1
        return count

    @classmethod
    def restore(cls, url: str, lines: Iterable[str]) -> Store:
        """A new store at ``url`` (an empty database) holding what :meth:`export` wrote, in
        one transaction: the same rows, byte for byte."""
        engine = engine_for(url)
        given = iter(lines)
        header = json.loads(next(given, "null") or "null")
        if not isinstance(header, dict) or not isinstance(header.get("dunlib_store"), int):
            raise InvalidValueError(
                "Store.restore.lines[0]", header, 'a header {"dunlib_store": <schema version>}'
            )
        version = header["dunlib_store"]
        if version > schema.SCHEMA_VERSION:
            raise SchemaVersionError(url, version, schema.SCHEMA_VERSION)
        by_name = {table.name: table for table in schema.tables}
        with engine.begin() as connection:
            if sa.inspect(connection).has_table(schema.meta.name):
                raise InvalidValueError("Store.restore.url", url, "a database without a store")
            for step in range(1, version + 1):
                schema.STEPS[step](connection)
            for number, text in enumerate(given, start=1):
                line = json.loads(text)
                table = by_name.get(str(line.get("table"))) if isinstance(line, dict) else None
                if table is None:
                    raise InvalidValueError(
                        f"Store.restore.lines[{number}]", text[:80], "a row of a store table"
                    )
                connection.execute(table.insert().values(**_typed(table, line["row"])))
            _migrate(connection, version)
            if connection.dialect.name == "postgresql":  # the journal's ids go on after the last
                connection.exec_driver_sql(
                    "SELECT setval(pg_get_serial_sequence('dunlib_runs', 'id'), "
                    "coalesce(max(id), 0) + 1, false) FROM dunlib_runs"
                )
        return cls(engine, url)


def _no_clock() -> str:
    """The journal's timestamp when the caller gives no clock: none."""
    return ""


def _plain(value: Any) -> Any:
    """A column value as JSON holds it (days as ISO text)."""
    return value.isoformat() if isinstance(value, _dt.date) else value


def _typed(table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row read back from JSON with its days as dates."""
    return {
        key: _dt.date.fromisoformat(value)
        if value is not None and isinstance(table.c[key].type, sa.Date)
        else value
        for key, value in row.items()
    }


def _day(text: str) -> _dt.date | None:
    return _dt.date.fromisoformat(text) if text else None


def _version(connection: sa.Connection) -> int | None:
    """The schema version of the store in the database, None when it holds none."""
    if not sa.inspect(connection).has_table(schema.meta.name):
        return None
    value = connection.execute(
        sa.select(schema.meta.c.value).where(schema.meta.c.key == "schema_version")
    ).scalar_one_or_none()
    return None if value is None else int(value)


def _migrate(connection: sa.Connection, found: int) -> None:
    """Run the numbered steps after ``found`` up to :data:`~dunlib.store.schema.SCHEMA_VERSION`
    and record the version reached."""
    for step in range(found + 1, schema.SCHEMA_VERSION + 1):
        schema.STEPS[step](connection)
    if found < schema.SCHEMA_VERSION:
        connection.execute(schema.meta.delete().where(schema.meta.c.key == "schema_version"))
        connection.execute(
            schema.meta.insert().values(key="schema_version", value=str(schema.SCHEMA_VERSION))
        )
