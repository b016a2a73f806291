"""The store's audit chain (issue 28): documents sealed as written and carried on by changes
and runs, the migration that chains a store's documents once, a stored past changed behind
the store's back found and refused, and a customer's personal data erased with every chain
still verifying. On SQLite (the chain is computed in Python, the same on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from dunlib import AUTOMATIC, Authority, InvalidTypeError, Invoice, Payment, record_payment
from dunlib.io import CHAIN_KEY, ERASED_NAME, ChainBrokenError, to_json, verify_chain
from dunlib.store import Store, schema
from dunlib.store.chained import MIGRATION_KEY
from stores import MINIMUMS, RULES, portfolio

D = dt.date


def _documents(store: Store) -> dict[str, Any]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(schema.invoices.c.id, schema.invoices.c.document))
        return {key: json.loads(text) for key, text in rows}


def _meta(store: Store, key: str) -> str | None:
    with store.engine.connect() as connection:
        value = connection.execute(
            sa.select(schema.meta.c.value).where(schema.meta.c.key == key)
        ).scalar_one_or_none()
    return None if value is None else str(value)


def _pay(invoice: Invoice) -> Invoice:
    payment = Payment(on=D(2026, 5, 20), amount=invoice.open_amount)
    return record_payment(invoice, payment, actor=AUTOMATIC, authority=Authority()).invoice


def test_a_stores_invoices_are_sealed_as_written_and_carried_on(tmp_path: Path) -> None:
    """Every invoice is stored sealed (chained as written, not migrated); a change and a
    daily run carry each chain on, keeping its links; every chain verifies."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store.create(url, rules=RULES, minimums=MINIMUMS) as store:
        invoices = portfolio(12, customers=3)
        store.add_invoices(invoices)
        assert store.add_invoices(invoices) == 0  # as stored: passed over
        before = _documents(store)
        assert all(doc[CHAIN_KEY]["migrated"] == 0 for doc in before.values())
        first = invoices[0]
        store.change(first.id, _pay)
        store.run_day(D(2026, 5, 25))
        after = _documents(store)
        links = after[first.id][CHAIN_KEY]["links"]
        assert links[:1] == before[first.id][CHAIN_KEY]["links"]
        assert len(links) == 2
        assert store.verify_chains() == ()
        assert _meta(store, MIGRATION_KEY) is None  # nothing was chained late


def test_a_store_of_version_2_is_chained_once_by_its_migration(tmp_path: Path) -> None:
    """A store of schema version 2 holds its invoices unchained (version-3 documents):
    opened, each is chained once and recorded as chained by the migration (its chain counts
    the entries it had), the meta table records how many, and every chain verifies; opened
    again, nothing is chained twice."""
    url = f"sqlite:///{tmp_path / 'v2.db'}"
    invoices = portfolio(8, customers=2)
    with Store.create(url, rules=RULES) as made:
        made.add_invoices(invoices)
        with made.engine.begin() as connection:  # back to a store of version 2
            for invoice in invoices:
                old = json.loads(to_json(invoice))
                old["schema_version"] = 3
                connection.execute(
                    schema.invoices.update()
                    .where(schema.invoices.c.id == invoice.id)
                    .values(document=json.dumps(old, sort_keys=True))
                )
            connection.execute(
                schema.meta.update().where(schema.meta.c.key == "schema_version").values(value="2")
            )
    with Store.open(url) as opened:
        documents = _documents(opened)
        for invoice in invoices:
            chain = documents[invoice.id][CHAIN_KEY]
            assert chain["migrated"] == len(invoice.history)
            assert opened.invoice(invoice.id) == invoice
        assert opened.verify_chains() == ()
        assert json.loads(_meta(opened, MIGRATION_KEY) or "") == {
            "chained": len(invoices),
            "step": 3,
        }
        assert _meta(opened, "schema_version") == "3"
    with opened.engine.begin() as connection:
        connection.execute(
            schema.meta.update().where(schema.meta.c.key == "schema_version").values(value="2")
        )
    with Store.open(url) as again:
        assert _documents(again) == documents


def test_a_past_changed_behind_the_stores_back_is_found_and_refused(tmp_path: Path) -> None:
    """An amount changed in the database by hand: verify_chains names the invoice and the
    entry; a change of that invoice through the store is refused (ChainBrokenError), the
    row left as it was."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store.create(url, rules=RULES) as store:
        invoices = portfolio(4, customers=2)
        store.add_invoices(invoices)
        target = invoices[1]
        document = _documents(store)[target.id]
        document["lines"][0]["unit_price"]["amount"] = "1.00"
        with store.engine.begin() as connection:
            connection.execute(
                schema.invoices.update()
                .where(schema.invoices.c.id == target.id)
                .values(document=json.dumps(document, sort_keys=True))
            )
        (found,) = store.verify_chains()
        assert (found.invoice, found.entry) == (target.number, 0)
        with pytest.raises(ChainBrokenError, match=rf"{target.number}: history\[0\]"):
            store.change(target.id, _pay)
        assert _documents(store)[target.id] == document


def test_erasing_a_customer_blanks_their_personal_data_and_keeps_every_chain(
    tmp_path: Path,
) -> None:
    """Store.erase_customer blanks the customer's name (and e-mail, address, VAT id) and
    the salt in each of their invoices; every chain still verifies, the others' data stays,
    and the store carries on changing the erased invoices."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store.create(url, rules=RULES) as store:
        invoices = portfolio(9, customers=3)
        store.add_invoices(invoices)
        customer = invoices[0].customer.id
        theirs = [i for i in invoices if i.customer.id == customer]
        assert store.erase_customer(customer) == len(theirs)
        assert store.verify_chains() == ()
        for invoice in store.invoices():
            erased = invoice.customer.id == customer
            assert (invoice.customer.name == ERASED_NAME) is erased
        for key, document in _documents(store).items():
            salt = document[CHAIN_KEY]["salt"]
            assert (salt == "") is (key in {i.id for i in theirs})
            assert verify_chain(document) is None
        paid = store.change(theirs[0].id, _pay)
        assert paid.customer.name == ERASED_NAME
        assert store.verify_chains() == ()
        assert store.erase_customer("nobody") == 0
        with pytest.raises(InvalidTypeError, match=r"Store\.erase_customer\.customer"):
            store.erase_customer("")
