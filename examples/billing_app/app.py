"""A billing application on SQLite that embeds dunlib.

The database holds every dunlib value as its JSON document (:mod:`dunlib.io.serialize`):
a customer, an invoice with its whole history, the number sequence. A few columns
beside the document (an invoice's customer and state) exist only to select rows; the
document is the truth. Every operation loads what it needs, calls dunlib, and stores
what dunlib returned in one SQL transaction, so a refused step (a typed
:class:`dunlib.DunlibError`) leaves the database as it was.

What the app adds to dunlib is what a library must not do: keeping state, sending
(here: writing each letter into the ``letters`` table, the outbox) and remembering
which bank lines were booked and why.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    BankTransaction,
    Command,
    Customer,
    Decision,
    DispatchMode,
    DunningLetter,
    DunningRules,
    Escalate,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    PaymentTerms,
    Status,
    create_draft,
    describe_match,
    from_json,
    group_letters,
    match_payments,
    plan,
    record_payment,
    record_stages,
    send,
    to_json,
    transition,
)
from dunlib.payments import Ambiguous, Match, Matching, Unmatched

__all__ = ["SCHEMA", "BillingApp", "OutboxEntry", "RunReport", "StatementReport"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    id TEXT PRIMARY KEY,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS invoices (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    status TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    document TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sent_on TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    invoice_ids TEXT NOT NULL,
    levels TEXT NOT NULL,
    fee TEXT NOT NULL,
    open_amount TEXT NOT NULL,
    channels TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS escalations (
    invoice_id TEXT NOT NULL,
    on_day TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (invoice_id, on_day)
);
CREATE TABLE IF NOT EXISTS bank_lines (
    id TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    outcome TEXT NOT NULL,
    explanation TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS customer_credits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id TEXT NOT NULL,
    on_day TEXT NOT NULL,
    amount TEXT NOT NULL,
    bank_line_id TEXT NOT NULL
);
"""
"""The tables; money columns hold Money documents, list columns JSON lists."""

BOOKED = (Status.SENT, Status.DUNNED, Status.PAID)
"""The states in which an invoice takes part in payment matching."""


@dataclass(frozen=True)
class RunReport:
    """What one daily dunning run did: the letters sent (and written to the outbox), the
    letters held back for a person's approval, the escalations due, and the invoices with
    the documents sent booked."""

    sent: tuple[DunningLetter, ...]
    held: tuple[DunningLetter, ...]
    escalations: tuple[Escalate, ...]
    invoices: tuple[Invoice, ...]


@dataclass(frozen=True)
class StatementReport:
    """What importing a bank statement did: the matching, and the invoices with the
    payments booked."""

    matching: Matching
    invoices: tuple[Invoice, ...]


@dataclass(frozen=True)
class OutboxEntry:
    """A letter as the outbox keeps it: when and to whom it went, about which invoices
    (at which level each), what it charged and asked for, and its subject."""

    sent_on: dt.date
    customer_id: str
    invoice_ids: tuple[str, ...]
    levels: tuple[int, ...]
    fee: Money
    open_amount: Money
    subject: str


class BillingApp:
    """The billing app over one SQLite connection.

    ``rules`` dun every invoice, ``authority`` is the eyes policy and rights of the workflow and
    ``tenant_name`` signs the letters. The tables are created when missing, and the
    number sequence starts at ``first_numbers`` unless the database has one.
    """

    def __init__(
        self,
        connection: sqlite3.Connection,
        *,
        rules: DunningRules,
        authority: Authority,
        tenant_name: str,
        first_numbers: NumberSequence | None = None,
    ) -> None:
        self.db = connection
        self.rules = rules
        self.authority = authority
        self.tenant_name = tenant_name
        with self.db:
            self.db.executescript(SCHEMA)
            start = first_numbers or NumberSequence(prefix="RE-", width=4)
            self.db.execute(
                "INSERT OR IGNORE INTO settings (key, document) VALUES ('sequence', ?)",
                (to_json(start),),
            )

    # -- master data and reading ----------------------------------------------------

    def add_customer(self, customer: Customer) -> None:
        """Store a new customer."""
        with self.db:
            self.db.execute(
                "INSERT INTO customers (id, document) VALUES (?, ?)",
                (customer.id, to_json(customer)),
            )

    def customer(self, customer_id: str) -> Customer:
        """The stored customer ``customer_id``."""
        row = self.db.execute(
            "SELECT document FROM customers WHERE id = ?", (customer_id,)
        ).fetchone()
        if row is None:
            raise KeyError(customer_id)
        return from_json(row[0], Customer)

    def invoice(self, invoice_id: str) -> Invoice:
        """The stored invoice ``invoice_id``, as its document describes it."""
        row = self.db.execute(
            "SELECT document FROM invoices WHERE id = ?", (invoice_id,)
        ).fetchone()
        if row is None:
            raise KeyError(invoice_id)
        return from_json(row[0], Invoice)

    def invoices(self, *states: Status) -> list[Invoice]:
        """The stored invoices (in the given states, or all), by id."""
        query = "SELECT document FROM invoices"
        names = [state.name for state in states]
        if names:
            query += f" WHERE status IN ({', '.join('?' * len(names))})"
        rows = self.db.execute(query + " ORDER BY id", names).fetchall()
        return [from_json(document, Invoice) for (document,) in rows]

    def sequence(self) -> NumberSequence:
        """The numbers the next invoices sent will take."""
        (document,) = self.db.execute(
            "SELECT document FROM settings WHERE key = 'sequence'"
        ).fetchone()
        return from_json(document, NumberSequence)

    def _store(self, invoice: Invoice) -> None:
        self.db.execute(
            "INSERT INTO invoices (id, customer_id, status, document) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
            "document = excluded.document",
            (invoice.id, invoice.customer.id, invoice.status.name, to_json(invoice)),
        )

    # -- the approval workflow -----------------------------------------------------

    def draft(
        self,
        invoice_id: str,
        *,
        customer_id: str,
        lines: Iterable[LineItem],
        actor: Actor,
        on: dt.date,
        terms: PaymentTerms | None = None,
        currency: str = "EUR",
    ) -> Invoice:
        """A new draft in ``currency`` for a stored customer, created by ``actor`` on ``on``."""
        customer = self.customer(customer_id)
        invoice = create_draft(
            id=invoice_id,
            customer=customer,
            currency=currency,
            actor=actor,
            on=on,
            lines=lines,
            terms=terms,
        )
        with self.db:
            self._store(invoice)
        return invoice

    def step(self, invoice_id: str, command: Command, *, actor: Actor, on: dt.date) -> Invoice:
        """``actor`` takes the workflow step ``command`` (submit, approve, reject)."""
        invoice = transition(
            self.invoice(invoice_id), command, actor=actor, on=on, authority=self.authority
        )
        with self.db:
            self._store(invoice)
        return invoice

    def send(self, invoice_id: str, *, actor: Actor, on: dt.date) -> Invoice:
        """``actor`` books and sends the invoice: it takes the next number of the sequence."""
        sent = send(
            self.invoice(invoice_id),
            actor=actor,
            on=on,
            authority=self.authority,
            sequence=self.sequence(),
        )
        with self.db:
            self._store(sent.invoice)
            self.db.execute(
                "UPDATE settings SET document = ? WHERE key = 'sequence'",
                (to_json(sent.sequence),),
            )
        return sent.invoice

    # -- the daily dunning run -----------------------------------------------------

    def dunning_run(self, today: dt.date) -> RunReport:
        """Dun every open invoice on ``today``: one letter per customer and currency.

        The letters sent automatically are rendered and written to the outbox and
        their documents booked on the invoices; those needing a person (an approval, or a
        sending by hand) are held (they come up again in the next run); escalations due
        are stored once.
        """
        decisions = list(plan(self.invoices(Status.SENT, Status.DUNNED), self.rules, today=today))
        letters = group_letters(decisions)
        sent = tuple(n for n in letters if n.dispatch is DispatchMode.AUTOMATIC)
        held = tuple(n for n in letters if n.dispatch is not DispatchMode.AUTOMATIC)
        escalations = tuple(d.action for d in decisions if isinstance(d.action, Escalate))
        booked: list[Decision] = [decision for letter in sent for decision in letter.decisions]
        with self.db:
            for letter in sent:
                self._outbox(letter, today)
            for escalation in escalations:
                self.db.execute(
                    "INSERT OR IGNORE INTO escalations (invoice_id, on_day, document) "
                    "VALUES (?, ?, ?)",
                    (escalation.invoice_id, today.isoformat(), to_json(escalation)),
                )
            dunned = record_stages(
                [d.invoice for d in booked], booked, actor=AUTOMATIC, authority=self.authority
            )
            for invoice in dunned:
                self._store(invoice)
        return RunReport(sent=sent, held=held, escalations=escalations, invoices=dunned)

    def _outbox(self, letter: DunningLetter, today: dt.date) -> None:
        documents = letter.documents(tenant_name=self.tenant_name)
        self.db.execute(
            "INSERT INTO letters (sent_on, customer_id, invoice_ids, levels, fee, open_amount, "
            "channels, subject, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                today.isoformat(),
                letter.customer.id,
                json.dumps([d.invoice.id for d in letter.decisions]),
                json.dumps([stage.level for stage in letter.actions]),
                to_json(letter.fee),
                to_json(letter.open_amount),
                json.dumps([channel.name for channel in letter.channels]),
                documents.email_subject,
                documents.email_body,
            ),
        )

    def outbox(self) -> list[OutboxEntry]:
        """Every letter sent, oldest first, as stored."""
        cursor = self.db.execute(
            "SELECT sent_on, customer_id, invoice_ids, levels, fee, open_amount, subject "
            "FROM letters ORDER BY id"
        )
        return [
            OutboxEntry(
                sent_on=dt.date.fromisoformat(sent_on),
                customer_id=customer_id,
                invoice_ids=tuple(json.loads(ids)),
                levels=tuple(json.loads(levels)),
                fee=from_json(fee, Money),
                open_amount=from_json(open_amount, Money),
                subject=subject,
            )
            for sent_on, customer_id, ids, levels, fee, open_amount, subject in cursor
        ]

    # -- bank statements -----------------------------------------------------------

    def import_statement(self, lines: Sequence[BankTransaction]) -> StatementReport:
        """Match a day's bank lines to the booked invoices and book what matched.

        Every line is stored with its outcome and the reason (:func:`dunlib.describe_match`);
        money beyond what an invoice had open becomes a credit of the customer. Lines
        that matched nothing, or several candidates, are left for a person.
        """
        books = self.invoices(*BOOKED)
        matching = match_payments(lines, books)
        by_id = {invoice.id: invoice for invoice in books}
        changed: dict[str, Invoice] = {}
        with self.db:
            for match in matching.matches:
                for invoice_id, payment in match.payments():
                    result = record_payment(
                        by_id[invoice_id], payment, actor=AUTOMATIC, authority=self.authority
                    )
                    by_id[invoice_id] = changed[invoice_id] = result.invoice
                    self._store(result.invoice)
                    if result.overpayment.is_positive:
                        self.db.execute(
                            "INSERT INTO customer_credits (customer_id, on_day, amount, "
                            "bank_line_id) VALUES (?, ?, ?, ?)",
                            (
                                result.invoice.customer.id,
                                payment.on.isoformat(),
                                to_json(result.overpayment),
                                match.transaction.id,
                            ),
                        )
            outcomes: tuple[Match | Unmatched | Ambiguous, ...] = (
                *matching.matches,
                *matching.unmatched,
                *matching.ambiguous,
            )
            for outcome in outcomes:
                self.db.execute(
                    "INSERT INTO bank_lines (id, document, outcome, explanation) "
                    "VALUES (?, ?, ?, ?)",
                    (
                        outcome.transaction.id,
                        to_json(outcome.transaction),
                        type(outcome).__name__,
                        describe_match(outcome),
                    ),
                )
        return StatementReport(matching=matching, invoices=tuple(changed.values()))

    def bank_lines(self, outcome: str | None = None) -> list[tuple[BankTransaction, str]]:
        """The stored bank lines (with the outcome ``Match``, ``Unmatched`` or ``Ambiguous``,
        or all) and the explanation of each, by id."""
        query = "SELECT document, explanation FROM bank_lines"
        arguments: tuple[str, ...] = ()
        if outcome is not None:
            query += " WHERE outcome = ?"
            arguments = (outcome,)
        rows = self.db.execute(query + " ORDER BY id", arguments).fetchall()
        return [(from_json(document, BankTransaction), why) for document, why in rows]

    def credits(self) -> list[tuple[str, Money]]:
        """The customers' credits from overpayments: ``(customer id, amount)``, oldest first."""
        rows = self.db.execute("SELECT customer_id, amount FROM customer_credits ORDER BY id")
        return [(customer_id, from_json(amount, Money)) for customer_id, amount in rows]
