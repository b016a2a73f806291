"""The store's tables, and the numbered steps that create and upgrade them.

One schema for SQLite and PostgreSQL (SQLAlchemy Core). Every value is dunlib's versioned JSON
document (:mod:`dunlib.io.serialize`); the columns beside it exist only to select rows and are
written from the document by the store, never by hand:

* ``invoices``: id, number, customer, currency, status, ``receivable`` (SENT or DUNNED: the
  daily run decides over these), ``open_minor`` (the open amount in the currency's minor
  units, exact), ``wake_on`` (the wake-up day, :func:`dunlib.dunning.wakes_on`; NULL when
  only a booking can wake it), ``version`` (the row version of optimistic concurrency);
* ``accounts``: a customer's :class:`~dunlib.dunning.accounts.CustomerAccount`;
* ``letters``: prepared letters (:class:`~dunlib.portfolio.prepared.PreparedLetter`) by key;
* ``outbox``: one row per letter to send, keyed by customer, currency, day and its
  (invoice, level) pairs;
* ``runs``: the journal of daily runs (day, runner, started, finished, counts);
* ``meta``: the schema version, the rules and their digest, the customer minimums, the
  tenant's name, the next day to run, and the record of the migration that chained the
  invoices stored before the audit chain (:mod:`dunlib.store.chained`).

An invoice's document is stored sealed, with its audit chain (:mod:`dunlib.io.chain`).

:data:`STEPS` are the numbered migrations; step ``n`` brings a store of version ``n - 1`` to
version ``n`` (version 0 is an empty database). :data:`SCHEMA_VERSION` is the newest.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from dunlib.store.chained import chain_stored

__all__ = ["SCHEMA_VERSION", "STEPS", "metadata", "tables"]

metadata = sa.MetaData()

meta = sa.Table(
    "dunlib_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

invoices = sa.Table(
    "dunlib_invoices",
    metadata,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("number", sa.String(200), nullable=False),
    sa.Column("customer", sa.String(200), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("receivable", sa.Boolean, nullable=False),
    sa.Column("open_minor", sa.BigInteger, nullable=False),
    sa.Column("wake_on", sa.Date, nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("dunlib_invoices_wake_on", "wake_on"),
    sa.Index("dunlib_invoices_customer", "customer", "receivable"),
)

accounts = sa.Table(
    "dunlib_accounts",
    metadata,
    sa.Column("customer", sa.String(200), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
)

letters = sa.Table(
    "dunlib_letters",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("customer", sa.String(200), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("dunlib_letters_customer", "customer", "state"),
)

outbox = sa.Table(
    "dunlib_outbox",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("customer", sa.String(200), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("pairs", sa.Text, nullable=False),
    sa.Column("sent", sa.Boolean, nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Index("dunlib_outbox_day", "day", "customer"),
)

runs = sa.Table(
    "dunlib_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("day", sa.Date, nullable=False),
    sa.Column("runner", sa.String(200), nullable=False),
    sa.Column("started", sa.String(40), nullable=False),
    sa.Column("finished", sa.String(40), nullable=True),
    sa.Column("counts", sa.Text, nullable=True),
)

tables = (meta, invoices, accounts, letters, outbox, runs)
"""Every table of the store, in the order an export writes them."""


def _create_v1(connection: sa.Connection) -> None:
    """Version 1: the invoices, accounts, letters, outbox and run journal."""
    metadata.create_all(connection, tables=[meta, invoices, accounts, letters, outbox, runs])


def _pending_letters_v2(connection: sa.Connection) -> None:
    """Version 2: an index on the outbox's letters still to send (in SQL of its own, so
    that step 1 keeps creating the tables as version 1 had them)."""
    connection.exec_driver_sql("CREATE INDEX dunlib_outbox_pending ON dunlib_outbox (sent, day)")


def _chain_v3(connection: sa.Connection) -> None:
    """Version 3: every stored invoice's document sealed with its audit chain, once; the
    documents chained so are recorded as chained by this migration (see
    :func:`dunlib.store.chained.chain_stored`)."""
    chain_stored(connection, invoices, meta, 3)


STEPS: dict[int, Callable[[sa.Connection], None]] = {
    1: _create_v1,
    2: _pending_letters_v2,
    3: _chain_v3,
}
"""The numbered migrations: step ``n`` takes a store from version ``n - 1`` to ``n``."""

SCHEMA_VERSION = max(STEPS)
"""The newest schema version this dunlib writes and opens."""
