"""The store's audit chain: every invoice's document is sealed as it is written, with its
past's links kept (:mod:`dunlib.io.chain`), and the migration that chained the documents a
store held before it had a chain.

This module is at the edge: a newly stored invoice's salt is drawn from the operating
system's randomness (:func:`secrets.token_hex`), the one value of the chain that is not
computed from the invoice.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import sqlalchemy as sa

from dunlib.core.invoice import Invoice
from dunlib.io.chain import CHAIN_KEY, erase_personal_data, seal_invoice
from dunlib.io.serialize import from_json

__all__ = ["MIGRATION_KEY", "chain_stored", "erased_text", "new_salt", "sealed_text", "unsealed"]

MIGRATION_KEY = "chain_migration"
"""The key of the store's meta table that records the migration that chained the invoices
stored before the chain: how many documents it chained, at which store schema step."""

_COMPACT = json.JSONEncoder(
    sort_keys=True, ensure_ascii=True, allow_nan=False, separators=(",", ":")
)


def new_salt() -> str:
    """A fresh random salt for a newly stored invoice's personal-data digest (16 bytes, hex)."""
    return secrets.token_hex(16)


def sealed_text(invoice: Invoice, previous: str | None, *, migration: bool = False) -> str:
    """``invoice``'s stored document with its chain, as compact JSON with sorted keys:
    carried on from the stored document ``previous`` (its past must fit, see
    :func:`dunlib.io.chain.seal_invoice`), or sealed afresh with a new salt (None)."""
    if previous is None:
        document = seal_invoice(invoice, salt=new_salt(), migration=migration)
    else:
        document = seal_invoice(invoice, previous=previous)
    return _COMPACT.encode(document)


def unsealed(text: str) -> str:
    """A stored document's text without its chain: what :func:`dunlib.to_json` writes of
    the invoice it holds (to compare an invoice given with the one stored)."""
    document: dict[str, Any] = json.loads(text)
    document.pop(CHAIN_KEY, None)
    return _COMPACT.encode(document)


def erased_text(text: str) -> str:
    """A stored document's text with its customer's personal data erased
    (:func:`dunlib.io.chain.erase_personal_data`): its chain still verifies."""
    return _COMPACT.encode(erase_personal_data(text))


def chain_stored(connection: sa.Connection, invoices: sa.Table, meta: sa.Table, step: int) -> int:
    """Chain every stored invoice whose document carries no chain, once, recording each as
    chained by a migration (its chain counts the entries it had then: their links show only
    that nothing changed since the migration, not before) and, when there were any, their
    count in the meta table under :data:`MIGRATION_KEY`; returns how many were chained."""
    count, after = 0, ""
    while True:
        page = connection.execute(
            sa.select(invoices.c.id, invoices.c.document)
            .where(invoices.c.id > after)
            .order_by(invoices.c.id)
            .limit(1000)
        ).all()
        if not page:
            break
        for key, text in page:
            if CHAIN_KEY not in json.loads(text):
                sealed = sealed_text(from_json(text, Invoice), None, migration=True)
                connection.execute(
                    invoices.update().where(invoices.c.id == key).values(document=sealed)
                )
                count += 1
        after = page[-1][0]
    if count:
        record = json.dumps({"chained": count, "step": step}, sort_keys=True)
        connection.execute(meta.delete().where(meta.c.key == MIGRATION_KEY))
        connection.execute(meta.insert().values(key=MIGRATION_KEY, value=record))
    return count
