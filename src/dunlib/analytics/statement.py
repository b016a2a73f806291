"""The statement of account of one customer (Kontoauszug): what is open on a day, item by
item, what was paid and credited up to it, the customer's credit and the balance.

:func:`statement_of_account` reads the customer's invoices as they stood at the end of
``today`` (:func:`dunlib.as_of`: a booking dated later does not count, an invoice issued
later is left out, drafts are no receivables) and gives a :class:`StatementOfAccount`:

- **open items** (:class:`OpenItem`): every booked invoice with something open, its date,
  due date, days past due, dunning level, gross, and what is open of it by part as
  :func:`dunlib.balance` splits it: principal, dunning fees, interest;
- **movements** (:class:`Movement`): every payment, cash discount, credit note, write-off
  and recovery booked on the customer's invoices up to ``today``, in date order (a
  cancelling invoice's own bookings are left out: they mirror the write-off that cancels
  the original, which is listed);
- **credit**: money of the customer not allocated to an invoice on ``today``: the credit
  of its :class:`~dunlib.dunning.accounts.CustomerAccount` (when given) and what was paid
  on an invoice beyond its open amount (:attr:`dunlib.payments.allocation.Balance.credit`);
- **balance**: the open total less the credit, what the customer owes on the day (negative
  when the credit exceeds it).

One statement is in one currency: amounts of two currencies are never added. The law
(tests/test_statement.py): the items' parts add up to each item's open amount, the items
to the open total, and the open total of each invoice equals
``balance(invoice, today=today).total``.

A statement prints in the customer's language (:meth:`StatementOfAccount.text`), exports
its open items or movements to pandas and polars (:meth:`StatementOfAccount.to_pandas`,
exact decimals, never floats) and is printed as a letter by
:func:`dunlib.documents.statement_pdf`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

import attrs

from dunlib.analytics._frames import Column, Kind, amount_scale, pandas_frame, polars_frame
from dunlib.core import validate as v
from dunlib.core.dates import as_date, days_between
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, sum_money
from dunlib.core.records import Customer
from dunlib.core.templates import format_amount, format_day, written_in
from dunlib.dunning.accounts import CustomerAccount
from dunlib.payments.allocation import balance
from dunlib.workflow.audit import as_of

if TYPE_CHECKING:
    import pandas
    import polars

__all__ = ["Movement", "MovementKind", "OpenItem", "StatementOfAccount", "statement_of_account"]


@attrs.frozen(kw_only=True)
class OpenItem:
    """An invoice with something open on the statement's day.

    ``principal``, ``fees`` and ``interest`` are what is open of the gross, of the dunning
    fees and of the interest charged (:func:`dunlib.balance`); ``open_amount`` is their
    sum. ``days_past_due`` counts from the due date (negative while not yet due);
    ``level`` is the number of dunning documents sent by the day."""

    number: str
    issue_date: _dt.date
    due_date: _dt.date
    days_past_due: int
    level: int
    gross: Money
    principal: Money
    fees: Money
    interest: Money

    @property
    def open_amount(self) -> Money:
        """Principal plus fees plus interest open."""
        return self.principal + self.fees + self.interest


class MovementKind(Enum):
    """What a :class:`Movement` booked against an invoice."""

    PAYMENT = "payment"
    DISCOUNT = "discount"
    CREDIT_NOTE = "credit-note"
    WRITE_OFF = "write-off"
    RECOVERY = "recovery"
    FEE_WAIVER = "fee-waiver"
    """Dunning fees taken back."""
    REVERSAL = "reversal"
    """A payment taken back (returned by the bank, or booked to the wrong invoice): the
    amount it had settled, its cash discount included, is owed again."""


@attrs.frozen(kw_only=True)
class Movement:
    """A payment, cash discount, credit note, write-off, recovery, payment taken back or fee
    waiver of ``amount`` booked on day ``on`` against invoice ``invoice`` (its number);
    ``reference`` is the payment's reference, the credit note's id, the reason of the
    write-off, the reversal or the waiver."""

    on: _dt.date
    kind: MovementKind
    invoice: str
    reference: str
    amount: Money


_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "title": "Kontoauszug",
        "heading": "Kontoauszug für {name} (Kundennummer {id}) zum {day}",
        "items": "Offene Posten",
        "no_items": "Keine offenen Posten.",
        "item_columns": "Rechnung|Datum|Fällig|Tage|Stufe|Betrag|Rest|Gebühren|Zinsen|Offen",
        "movements": "Zahlungen und Gutschriften",
        "no_movements": "Keine Zahlungen oder Gutschriften.",
        "movement_columns": "Datum|Art|Rechnung|Referenz|Betrag",
        "open_total": "Offener Gesamtbetrag",
        "fees": "davon Mahngebühren",
        "interest": "davon Zinsen",
        "credit": "Guthaben",
        "balance": "Saldo zu Ihren Lasten",
        "balance_credit": "Saldo zu Ihren Gunsten",
        MovementKind.PAYMENT.value: "Zahlung",
        MovementKind.DISCOUNT.value: "Skonto",
        MovementKind.CREDIT_NOTE.value: "Gutschrift",
        MovementKind.WRITE_OFF.value: "Ausbuchung",
        MovementKind.RECOVERY.value: "Zahlungseingang nach Ausbuchung",
        MovementKind.REVERSAL.value: "Rückbuchung",
        MovementKind.FEE_WAIVER.value: "Mahngebühr erlassen",
    },
    "en": {
        "title": "Statement of account",
        "heading": "Statement of account for {name} (customer number {id}) as of {day}",
        "items": "Open items",
        "no_items": "No open items.",
        "item_columns": "Invoice|Date|Due|Days|Level|Amount|Unpaid|Fees|Interest|Open",
        "movements": "Payments and credits",
        "no_movements": "No payments or credits.",
        "movement_columns": "Date|Kind|Invoice|Reference|Amount",
        "open_total": "Total open",
        "fees": "of which dunning fees",
        "interest": "of which interest",
        "credit": "Credit",
        "balance": "Balance due",
        "balance_credit": "Balance in your favour",
        MovementKind.PAYMENT.value: "Payment",
        MovementKind.DISCOUNT.value: "Cash discount",
        MovementKind.CREDIT_NOTE.value: "Credit note",
        MovementKind.WRITE_OFF.value: "Write-off",
        MovementKind.RECOVERY.value: "Received after write-off",
        MovementKind.REVERSAL.value: "Payment taken back",
        MovementKind.FEE_WAIVER.value: "Dunning fee waived",
    },
}


def statement_words(locale: str) -> dict[str, str]:
    """The words of a statement for ``locale``: German for a German-speaking customer,
    English for any other (the PDF reads them too)."""
    return _WORDS[written_in(locale)]


@attrs.frozen(kw_only=True)
class StatementOfAccount:
    """The statement of account of ``customer`` at the end of ``today``, in ``currency``
    (see the module docs): its open ``items`` by due date, the ``movements`` booked up to
    the day in date order, and the customer's ``credit``."""

    customer: Customer
    today: _dt.date
    currency: str
    items: tuple[OpenItem, ...]
    movements: tuple[Movement, ...]
    credit: Money

    @property
    def open_total(self) -> Money:
        """What is open on every item: principal, fees and interest."""
        return sum_money((item.open_amount for item in self.items), self.currency)

    @property
    def fees(self) -> Money:
        """The dunning fees open on the items."""
        return sum_money((item.fees for item in self.items), self.currency)

    @property
    def interest(self) -> Money:
        """The interest open on the items."""
        return sum_money((item.interest for item in self.items), self.currency)

    @property
    def balance(self) -> Money:
        """The open total less the credit: what the customer owes on the day (negative when
        the credit exceeds what is open)."""
        return self.open_total - self.credit

    def item_rows(self) -> list[list[str]]:
        """The open items as the customer reads them: one row of text per item, the columns
        of ``item_columns`` in the customer's locale."""
        locale = self.customer.locale
        return [
            [
                item.number,
                format_day(item.issue_date, locale),
                format_day(item.due_date, locale),
                str(max(item.days_past_due, 0)),
                str(item.level),
                format_amount(item.gross, locale),
                format_amount(item.principal, locale),
                format_amount(item.fees, locale),
                format_amount(item.interest, locale),
                format_amount(item.open_amount, locale),
            ]
            for item in self.items
        ]

    def movement_rows(self) -> list[list[str]]:
        """The movements as the customer reads them: date, kind, invoice, reference and
        amount, in the customer's locale."""
        locale = self.customer.locale
        words = statement_words(locale)
        return [
            [
                format_day(move.on, locale),
                words[move.kind.value],
                move.invoice,
                move.reference,
                format_amount(move.amount, locale),
            ]
            for move in self.movements
        ]

    def total_rows(self) -> list[tuple[str, str]]:
        """The totals under the items: the open total, the fees and interest in it (when
        any), the credit (when any) and the balance, labelled in the customer's language."""
        locale = self.customer.locale
        words = statement_words(locale)
        rows = [(words["open_total"], format_amount(self.open_total, locale))]
        if not self.fees.is_zero:
            rows.append((words["fees"], format_amount(self.fees, locale)))
        if not self.interest.is_zero:
            rows.append((words["interest"], format_amount(self.interest, locale)))
        if not self.credit.is_zero:
            rows.append((words["credit"], format_amount(self.credit, locale)))
        owed = self.balance
        label = words["balance_credit"] if owed.is_negative else words["balance"]
        rows.append((label, format_amount(abs(owed), locale)))
        return rows

    def text(self) -> str:
        """The statement as plain text in the customer's language and locale: a heading,
        the open items as a table, the payments and credits, and the totals."""
        locale = self.customer.locale
        words = statement_words(locale)
        heading = words["heading"].format(
            name=self.customer.name, id=self.customer.id, day=format_day(self.today, locale)
        )
        parts = [heading, "", words["items"]]
        items = self.item_rows()
        parts.append(
            _aligned(words["item_columns"].split("|"), items, right_from=1)
            if items
            else words["no_items"]
        )
        parts += ["", words["movements"]]
        moves = self.movement_rows()
        parts.append(
            _aligned(words["movement_columns"].split("|"), moves, right_from=4)
            if moves
            else words["no_movements"]
        )
        totals = self.total_rows()
        width = max(len(label) for label, _ in totals)
        figures = max(len(value) for _, value in totals)
        parts.append("")
        parts += [f"{label:<{width}}  {value:>{figures}}" for label, value in totals]
        return "\n".join(parts).replace("\xa0", " ") + "\n"

    def _columns(self, table: str) -> tuple[Column, ...]:
        if table == "items":
            items = self.items
            return (
                Column("invoice", Kind.TEXT, tuple(i.number for i in items)),
                Column("issue_date", Kind.DATE, tuple(i.issue_date for i in items)),
                Column("due_date", Kind.DATE, tuple(i.due_date for i in items)),
                Column("days_past_due", Kind.INT, tuple(i.days_past_due for i in items)),
                Column("level", Kind.INT, tuple(i.level for i in items)),
                Column("currency", Kind.TEXT, tuple(self.currency for _ in items)),
                Column("gross", Kind.AMOUNT, tuple(i.gross.amount for i in items)),
                Column("principal", Kind.AMOUNT, tuple(i.principal.amount for i in items)),
                Column("fees", Kind.AMOUNT, tuple(i.fees.amount for i in items)),
                Column("interest", Kind.AMOUNT, tuple(i.interest.amount for i in items)),
                Column("open_amount", Kind.AMOUNT, tuple(i.open_amount.amount for i in items)),
            )
        if table == "movements":
            moves = self.movements
            return (
                Column("on", Kind.DATE, tuple(m.on for m in moves)),
                Column("kind", Kind.TEXT, tuple(m.kind.value for m in moves)),
                Column("invoice", Kind.TEXT, tuple(m.invoice for m in moves)),
                Column("reference", Kind.TEXT, tuple(m.reference for m in moves)),
                Column("currency", Kind.TEXT, tuple(self.currency for _ in moves)),
                Column("amount", Kind.AMOUNT, tuple(m.amount.amount for m in moves)),
            )
        raise InvalidValueError("StatementOfAccount.table", table, "'items' or 'movements'")

    def to_pandas(self, table: str = "items") -> pandas.DataFrame:
        """The open items (``table="items"``: one row per invoice, its parts open) or the
        movements (``"movements"``) as a pandas frame (extra ``dunlib[pandas]``): amounts
        exact :class:`~decimal.Decimal` values, dates :class:`datetime.date`; never floats."""
        return pandas_frame(self._columns(table))

    def to_polars(self, table: str = "items") -> polars.DataFrame:
        """As :meth:`to_pandas`, as a polars frame (extra ``dunlib[polars]``): amounts as
        ``pl.Decimal`` at the currency's minor unit."""
        return polars_frame(self._columns(table), scale=amount_scale([self.currency]))


def _aligned(headings: list[str], rows: list[list[str]], *, right_from: int) -> str:
    """A plain-text table: each column as wide as its widest cell, the columns from
    ``right_from`` on set right (figures), two spaces between columns."""
    widths = [max(len(cell) for cell in column) for column in zip(headings, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(width) if index >= right_from else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([line(headings), *(line(row) for row in rows)])


def _movements(invoice: Invoice) -> list[Movement]:
    """The payments, discounts, credit notes, write-offs, recoveries, payments taken back and
    fees waived of ``invoice``: (day, kind, reference, amount) of each."""
    kind = MovementKind
    moved: list[tuple[_dt.date, MovementKind, str, Money]] = []
    for payment in invoice.payments:
        moved.append((payment.on, kind.PAYMENT, payment.reference, payment.amount))
        if payment.discount is not None and not payment.discount.is_zero:
            moved.append((payment.on, kind.DISCOUNT, payment.reference, payment.discount))
    moved += [(n.on, kind.CREDIT_NOTE, n.id, n.amount) for n in invoice.credit_notes]
    moved += [(w.on, kind.WRITE_OFF, w.reason, w.amount) for w in invoice.write_offs]
    moved += [(r.on, kind.RECOVERY, r.reference, r.amount) for r in invoice.recoveries]
    moved += [
        (r.on, kind.REVERSAL, r.reason, invoice.payments[r.payment].settled)
        for r in invoice.reversals
    ]
    moved += [(w.on, kind.FEE_WAIVER, w.reason, w.amount) for w in invoice.fee_waivers]
    name = invoice.known_as
    return [
        Movement(on=on, kind=what, invoice=name, reference=reference, amount=amount)
        for on, what, reference, amount in moved
    ]


def statement_of_account(
    invoices: Iterable[Invoice],
    *,
    customer: Customer,
    today: _dt.date,
    account: CustomerAccount | None = None,
    currency: str | None = None,
) -> StatementOfAccount:
    """The statement of account of ``customer`` at the end of ``today`` (see the module
    docs): its open items, the payments and credits booked up to the day, its credit and
    balance.

    ``invoices`` may be the whole book: those of other customers (another customer id) are
    passed over, and so are drafts and invoices issued after ``today``. ``account`` is the
    customer's :class:`~dunlib.dunning.accounts.CustomerAccount`, whose credit on the day
    counts. ``currency`` is the statement's; it may be left out when the customer's
    invoices are all in one currency.

    Raises :class:`~dunlib.core.errors.InvalidValueError` for an account of another
    customer, an invoice given twice, a customer whose invoices are in several currencies
    (or who has none) when no ``currency`` is given, and a bad argument.
    """
    if not isinstance(customer, Customer):
        raise InvalidTypeError("statement_of_account.customer", customer, "a Customer")
    day = as_date(today, "statement_of_account.today")
    if isinstance(invoices, Mapping):
        raise InvalidTypeError("statement_of_account.invoices", invoices, "a list of Invoices")
    given = v.items_of(invoices, Invoice, "statement_of_account.invoices", "an Invoice")
    if account is not None:
        if not isinstance(account, CustomerAccount):
            raise InvalidTypeError(
                "statement_of_account.account", account, "a CustomerAccount, or None"
            )
        if account.customer_id != customer.id:
            raise InvalidValueError(
                "statement_of_account.account",
                account.customer_id,
                f"the account of customer {customer.id}",
            )
    own: list[Invoice] = []
    seen: set[str] = set()
    for index, invoice in enumerate(given):
        if invoice.customer.id != customer.id:
            continue
        if invoice.id in seen:
            raise InvalidValueError(
                f"statement_of_account.invoices[{index}].id",
                invoice.id,
                f"distinct invoice ids (invoice {invoice.known_as} twice)",
            )
        seen.add(invoice.id)
        if invoice.status.is_booked and invoice.issue_date <= day:
            own.append(invoice)
    code = _currency(currency, own)
    items: list[OpenItem] = []
    moves: list[Movement] = []
    credit = Money.zero(code) if account is None else account.credit(code, today=day)
    for invoice in own:
        if invoice.currency != code:
            continue
        then = as_of(invoice, today=day)
        if then.cancels is None:
            moves += _movements(then)
        parts = balance(then)
        credit = credit + parts.credit
        if (parts.principal + parts.fees + parts.interest).is_zero:
            continue
        items.append(
            OpenItem(
                number=then.known_as,
                issue_date=then.issue_date,
                due_date=then.due_date,
                days_past_due=days_between(then.due_date, day),
                level=then.dunning_level,
                gross=then.gross,
                principal=parts.principal,
                fees=parts.fees,
                interest=parts.interest,
            )
        )
    items.sort(key=lambda item: (item.due_date, item.issue_date, item.number))
    moves.sort(key=lambda move: (move.on, move.invoice))
    return StatementOfAccount(
        customer=customer,
        today=day,
        currency=code,
        items=tuple(items),
        movements=tuple(moves),
        credit=credit,
    )


def _currency(currency: Any, invoices: list[Invoice]) -> str:
    """The statement's currency: ``currency`` checked, or the one of ``invoices``."""
    if currency is not None:
        if not isinstance(currency, str):
            raise InvalidTypeError("statement_of_account.currency", currency, "a currency code")
        return Money.zero(currency).currency
    found = sorted({invoice.currency for invoice in invoices})
    if len(found) != 1:
        raise InvalidValueError(
            "statement_of_account.currency",
            None,
            "a currency: the customer's invoices are in "
            + (", ".join(found) if found else "no currency (there are none)"),
        )
    return found[0]
