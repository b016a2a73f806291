"""The outgoing invoice with its derived amounts (its parts: :mod:`dunlib.core.records`).

Amounts an invoice owes are derived, never stored: net and tax from the lines,
fees from the dunning notices recorded on it, interest from its interest
charges, and the open amount from all of those less payments, cash discounts,
credit notes and write-offs. They are computed together, once per invoice, the
first time one of them is read.

Rounding points (half-up, see :mod:`dunlib.core.money`): a line's net amount
(quantity x unit price) and the tax of each rate (the sum of the nets of that
rate times the rate). Nothing else rounds.
"""

from __future__ import annotations

import datetime as _dt
import operator
import re
from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property
from typing import Any

import attrs

from dunlib.core import quick
from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import DunlibError, InvalidTypeError, InvalidValueError, _invoice
from dunlib.core.exact import EXACT
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.money import _QUANTA, Money, _at_minor_unit, _quantum, sum_money
from dunlib.core.records import (
    CreditNote,
    Customer,
    DeliveryChannel,
    DunningNotice,
    Hold,
    InterestCharge,
    LineItem,
    Payment,
    PaymentTerms,
    WriteOff,
)
from dunlib.core.status import Status
from dunlib.core.transitions import ROWS, Command

__all__ = ["Invoice"]

_ZERO = Decimal(0)


def _default_due_date(invoice: Invoice) -> _dt.date:
    """Issue date plus the terms' net days (bad inputs are left for their own validators)."""
    issue_date, terms = invoice.issue_date, invoice.terms
    is_day = isinstance(issue_date, _dt.date) and not isinstance(issue_date, _dt.datetime)
    if not isinstance(terms, PaymentTerms) or not is_day:
        return issue_date
    try:
        return terms.due_date(issue_date)
    except InvalidValueError:
        raise InvalidValueError(
            "Invoice.terms", terms, f"net days that keep the due date of {issue_date} before 10000"
        ) from None


@quick.cached(quick.RATES)
def _rate_key(rate: Decimal) -> Decimal:
    """A tax rate in its shortest plain form: 19, 19.0 and 19.000 are one rate, shown as 19
    (and 20 stays 20, where ``Decimal.normalize`` alone would give 2E+1)."""
    if rate == rate.to_integral_value():
        return Decimal(int(rate))
    return rate.normalize(EXACT)


@attrs.frozen(kw_only=True)
class Invoice:
    """An outgoing invoice (Ausgangsrechnung) and everything booked against it.

    ``number`` stays empty until the invoice is sent and is required from SENT on.
    ``notices`` are the dunning documents sent, ``paused_since`` the day dunning
    was paused (None while it runs), ``cancels`` the id of the invoice this one
    cancels (for a cancelling invoice). ``warns_of_default`` records that the invoice
    told the debtor they fall into default 30 days after due date and receipt (§ 286 (3)
    BGB), which makes that rule apply to a consumer too (see
    :func:`dunlib.dunning.interest.default_begins`). ``history`` only ever grows. ``holds`` are the
    holds placed on dunning (:mod:`dunlib.dunning.holds`), in the order placed.
    Amounts (:attr:`net`, :attr:`gross`, :attr:`open_amount`, …) are derived.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    customer: Customer = attrs.field(validator=v.of_type(Customer, expected="a Customer"))
    currency: str = attrs.field(validator=v.text)
    issue_date: _dt.date = attrs.field(validator=v.calendar_date)
    terms: PaymentTerms = attrs.field(
        factory=PaymentTerms, validator=v.of_type(PaymentTerms, expected="a PaymentTerms")
    )
    due_date: _dt.date = attrs.field(
        default=attrs.Factory(_default_due_date, takes_self=True),
        validator=v.calendar_date,
    )
    lines: tuple[LineItem, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(LineItem, "LineItem")
    )
    number: str = attrs.field(default="", validator=v.text)
    channel: DeliveryChannel = attrs.field(
        default=DeliveryChannel.ONLINE,
        validator=v.of_type(DeliveryChannel, expected="a DeliveryChannel"),
    )
    status: Status = attrs.field(
        default=Status.DRAFT, validator=v.of_type(Status, expected="a Status")
    )
    payments: tuple[Payment, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Payment, "Payment")
    )
    credit_notes: tuple[CreditNote, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(CreditNote, "CreditNote")
    )
    notices: tuple[DunningNotice, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(DunningNotice, "DunningNotice")
    )
    interest: tuple[InterestCharge, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(InterestCharge, "InterestCharge")
    )
    write_offs: tuple[WriteOff, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(WriteOff, "WriteOff")
    )
    paused_since: _dt.date | None = attrs.field(default=None, validator=v.optional(v.calendar_date))
    cancels: str | None = attrs.field(default=None, validator=v.optional(v.non_empty_text))
    warns_of_default: bool = attrs.field(
        default=False, validator=v.of_type(bool, expected="a bool")
    )
    history: tuple[HistoryEntry, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(HistoryEntry, "HistoryEntry")
    )
    holds: tuple[Hold, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Hold, "Hold")
    )
    # The replay of the bookings by dunlib.payments.allocation, kept once computed (not part of the
    # value).
    _replay_memo: object = attrs.field(default=None, init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        try:
            _quantum(self.currency)  # refuses a code that is not a currency with a minor unit
        except InvalidValueError:
            raise InvalidValueError(
                "Invoice.currency", self.currency, "an ISO 4217 code such as 'EUR'"
            ) from None
        fresh = not _has_amounts(self)
        if fresh:  # amounts extended by a booking checked their currencies
            self._check_currencies()
        if self.due_date < self.issue_date:
            raise InvalidValueError(
                "Invoice.due_date", self.due_date, f"on or after the issue date {self.issue_date}"
            )
        if self.status in _BOOKED:
            if not self.number.strip():
                raise InvalidValueError(
                    "Invoice.number",
                    self.number,
                    f"an invoice number once the status is {self.status.name}",
                )
        else:
            for name in ("number", "payments", "credit_notes", "notices", "interest", "write_offs"):
                if getattr(self, name):
                    raise InvalidValueError(
                        f"Invoice.{name}",
                        getattr(self, name),
                        f"nothing before the invoice is sent (status is {self.status.name})",
                    )
        if self.notices:
            levels = [notice.level for notice in self.notices]
            if levels != list(range(1, len(levels) + 1)):
                raise InvalidValueError(
                    "Invoice.notices",
                    levels,
                    "dunning levels 1, 2, 3, … in the order they were sent",
                )
        if fresh and (self.payments or self.credit_notes or self.write_offs):
            _set_amounts(self, Amounts.of(self))  # needed below: computed once, here
        if (self.payments or self.credit_notes) and self._amounts.settled > max(
            self._amounts.total_due, _ZERO
        ):
            raise InvalidValueError(
                "Invoice.payments",
                self.settled,
                f"payments, discounts and credit notes of at most {self.total_due} "
                "(record a payment with dunlib.record_payment to split off an overpayment)",
            )
        if self.write_offs:
            before, after = self.total_due - self.settled, self.open_amount
            low, high = min(before.amount, Decimal(0)), max(before.amount, Decimal(0))
            if not low <= after.amount <= high:
                raise InvalidValueError(
                    "Invoice.write_offs",
                    self.written_off,
                    f"write-offs of at most what is open before them ({before})",
                )
        self._check_days()
        self._read_history(_seeded_marks(self))

    def _check_read(self) -> None:
        """The constructor's checks, for an invoice that :mod:`dunlib.io.serialize` has just
        built field by field from values each checked on its own: the same checks, with one
        pass over the bookings where the constructor makes several (and nothing to take over
        from an invoice it extends). At the first doubt the constructor's own checks run,
        and name the problem."""
        if not _passes_read(self):
            self.__attrs_post_init__()
            return
        if self.payments or self.credit_notes:
            amounts = Amounts.of(self)
            if amounts.settled > max(amounts.total_due, _ZERO):
                self.__attrs_post_init__()  # refuses what was paid beyond what is due
            _set_amounts(self, amounts)
        self._read_history(None)

    @property
    def known_as(self) -> str:
        """The invoice as its users know it, for messages: its number, with the id where
        that differs (a draft, which has no number yet, by its id)."""
        return _invoice(self.id, self.number)

    def _check_days(self) -> None:
        """Nothing is booked before the issue date: every booking, hold and pause is dated on
        or after it (a booked invoice's issue date is the day it was booked and sent)."""
        issued = self.issue_date
        for name in _DATED:
            items = getattr(self, name)
            if items and min(map(_ON, items)) < issued:
                first = min(items, key=_ON)
                raise InvalidValueError(
                    f"Invoice.{name}[{items.index(first)}].on",
                    first.on,
                    f"on or after the issue date {issued} of invoice {self.known_as}",
                )
        if self.paused_since is not None and self.paused_since < issued:
            raise InvalidValueError(
                "Invoice.paused_since",
                self.paused_since,
                f"on or after the issue date {issued} of invoice {self.known_as}",
            )

    def _read_history(self, prior: _Marks | None) -> None:
        """Read the history (from ``prior``, the marks of the invoice this one extends) and
        check the state: the path through the table, then the state it leaves (see
        :func:`_state_problem`), then how each entry booked its bookings (:class:`_Ledger`)."""
        marks, problem = _Marks.of(self, prior)
        _set_marks(self, marks)
        self._check_state()
        if problem is not None:
            field, value, expected = problem
            raise InvalidValueError(
                f"Invoice.{field}", value, f"{expected} (invoice {self.known_as})"
            )

    def _check_state(self) -> None:
        """The state agrees with what was booked, as the transition table leaves it
        (see :func:`_state_problem`)."""
        problem = _state_problem(self)
        if problem is not None:
            field, value, expected = problem
            raise InvalidValueError(
                f"Invoice.{field}", value, f"{expected} (invoice {self.known_as})"
            )

    def _check_currencies(self) -> None:
        code = self.currency
        for name, field in _MONEY_FIELDS:
            for index, item in enumerate(getattr(self, name)):
                amount = getattr(item, field)
                if amount.currency != code:
                    raise InvalidValueError(
                        f"Invoice.{name}[{index}]", amount, f"an amount in {code}"
                    )

    # -- construction -------------------------------------------------------

    @classmethod
    def sent(
        cls,
        *,
        number: str,
        customer: Customer,
        issue_date: _dt.date,
        gross: Money | None = None,
        lines: Iterable[LineItem] | None = None,
        due_date: _dt.date | None = None,
        terms: PaymentTerms | None = None,
        id: str | None = None,
        channel: DeliveryChannel = DeliveryChannel.ONLINE,
        warns_of_default: bool = False,
    ) -> Invoice:
        """A booked invoice in state SENT, built in one call: a testing helper (for tests,
        notebooks, examples), not a way to book.

        Its history is the one entry the DRAFT to SENT skip writes, dated ``issue_date``;
        everything else happens to it through the operations, as to any invoice. Book real
        invoices with :func:`dunlib.send`; an invoice from another system is read with
        :func:`dunlib.from_json`, which refuses any state the transition table cannot produce.

        Give either ``gross`` (one tax-free line of that amount is created) or
        ``lines``. ``due_date`` defaults to the issue date plus the terms' net days (a
        due date given otherwise is named in the history entry, as sending names it);
        ``id`` defaults to ``number``.
        """
        if (gross is None) == (lines is None):
            raise InvalidValueError(
                "Invoice.sent", (gross, lines), "exactly one of gross= or lines="
            )
        if gross is not None:
            if not isinstance(gross, Money):
                raise InvalidTypeError("Invoice.sent.gross", gross, "a Money")
            items: tuple[LineItem, ...] = (
                LineItem(description="Invoice total", quantity=Decimal(1), unit_price=gross),
            )
        else:
            try:
                items = tuple(lines or ())
            except TypeError:
                items = ()
            if not items or not all(isinstance(item, LineItem) for item in items):
                raise InvalidValueError("Invoice.sent.lines", lines, "one or more LineItems")
        terms = PaymentTerms() if terms is None else terms
        if not isinstance(terms, PaymentTerms):
            raise InvalidTypeError("Invoice.sent.terms", terms, "a PaymentTerms")
        day = as_date(issue_date, "Invoice.issue_date")
        due = terms.due_date(day) if due_date is None else due_date
        named = "" if (due - day).days == terms.net_days else f", due {due}"
        return cls(
            id=number if id is None else id,
            number=number,
            customer=customer,
            currency=items[0].unit_price.currency,
            issue_date=day,
            terms=terms,
            due_date=due,
            lines=items,
            channel=channel,
            warns_of_default=warns_of_default,
            status=Status.SENT,
            history=(
                HistoryEntry(
                    on=day,
                    kind=EventKind.TRANSITION,
                    from_status=Status.DRAFT,
                    to_status=Status.SENT,
                    detail=f"booked and sent as {number}{named}",
                ),
            ),
        )

    # -- derived amounts ----------------------------------------------------

    @cached_property
    def _amounts(self) -> Amounts:
        return Amounts.of(self)

    @cached_property
    def _marks(self) -> _Marks:
        return _Marks.of(self)[0]  # pragma: no cover  (read and kept when the invoice is built)

    def _money(self, amount: Decimal) -> Money:
        return Money._trusted(amount, self.currency)

    @property
    def net(self) -> Money:
        """Sum of the lines' net amounts."""
        return sum_money((line.net for line in self.lines), self.currency)

    @property
    def tax_by_rate(self) -> tuple[tuple[Decimal, Money], ...]:
        """Tax per rate, ascending by rate: the nets of one rate summed, then rounded half-up."""
        return _tax_by_rate(self.lines, self.currency)

    @property
    def tax(self) -> Money:
        """Total tax: the sum of the per-rate taxes."""
        return sum_money((amount for _, amount in self.tax_by_rate), self.currency)

    @property
    def gross(self) -> Money:
        """Net plus tax: what the invoice itself asks for, without fees or interest."""
        return self._money(self._amounts.gross)

    @property
    def fees(self) -> Money:
        """Dunning fees charged by the notices sent so far."""
        return self._money(self._amounts.fees)

    @property
    def interest_charged(self) -> Money:
        """Default interest charged so far."""
        return self._money(self._amounts.interest_charged)

    @property
    def total_due(self) -> Money:
        """Gross plus fees plus interest: everything the customer was ever asked to pay."""
        return self._money(self._amounts.total_due)

    @property
    def paid(self) -> Money:
        """Money received (cash discounts not included)."""
        return self._money(self._amounts.paid)

    @property
    def discounts(self) -> Money:
        """Cash discounts granted with payments."""
        return self._money(self._amounts.discounts)

    @property
    def credited(self) -> Money:
        """Sum of the credit notes."""
        return self._money(self._amounts.credited)

    @property
    def settled(self) -> Money:
        """Paid plus discounts plus credited: how much of what is due has been cleared."""
        return self._money(self._amounts.settled)

    @property
    def written_off(self) -> Money:
        """Sum of the write-offs: cleared by a cancellation or as uncollectible."""
        return self._money(self._amounts.written_off)

    @property
    def open_amount(self) -> Money:
        """What the customer still owes: total due less what was settled and written off.

        Always ``total_due == settled + written_off + open_amount``; zero once the invoice is
        CANCELLED or WRITTEN_OFF, since both write off what was open.
        """
        return self._money(self._amounts.open_amount)

    @property
    def is_settled(self) -> bool:
        """True when nothing is owed any more (the open amount is zero or less)."""
        return not self._amounts.open_amount > 0

    @property
    def dunning_level(self) -> int:
        """The level of the last dunning document sent (0 when none was)."""
        return len(self.notices)

    @property
    def last_notice(self) -> DunningNotice | None:
        """The last dunning document sent, if any."""
        return self.notices[-1] if self.notices else None


_MONEY_FIELDS = (
    ("lines", "unit_price"),
    ("payments", "amount"),
    ("credit_notes", "amount"),
    ("notices", "fee"),
    ("interest", "amount"),
    ("write_offs", "amount"),
)
"""Every booking's amount, by field of the invoice and of the booking."""

_TAILS = ("payments", "credit_notes", "notices", "interest", "write_offs")


def extended(invoice: Invoice, **changes: Any) -> Invoice:
    """``attrs.evolve(invoice, **changes)``, validated the same, for the booking path.

    When ``changes`` only append to the invoice's bookings (payments, credit notes,
    notices, interest, write-offs) besides state and history, the new invoice's derived
    amounts are the old ones plus the appended bookings', instead of sums over every
    booking: booking n payments one after another stays linear in n.
    """
    new = object.__new__(Invoice)
    amounts = appended_amounts(invoice, changes)
    if amounts is not None:
        object.__setattr__(new, "_amounts", amounts)
        history = changes.get("history", invoice.history)
        old = invoice.history
        if (
            type(history) is tuple
            and len(history) >= len(old)
            and all(map(operator.is_, old, history))
        ):
            object.__setattr__(new, "_marks", invoice._marks)  # read on from its entries
    values: dict[str, Any] = {
        str(a.alias): getattr(invoice, a.name) for a in attrs.fields(Invoice) if a.init
    }
    values.update(changes)
    new.__init__(**values)  # type: ignore[misc]
    return new


_set_amounts = Invoice.__dict__["_amounts"].__set__
"""Keep an invoice's derived amounts, as reading :attr:`Invoice._amounts` does."""


def _has_amounts(invoice: Invoice) -> bool:
    """Whether ``invoice``'s derived amounts are already there (seeded by :func:`extended`)."""
    try:
        Invoice.__dict__["_amounts"].__get__(invoice, Invoice)
    except AttributeError:
        return False
    return True


def appended_amounts(invoice: Invoice, changes: dict[str, Any]) -> Amounts | None:
    """The derived amounts of ``invoice`` with ``changes``, from its own, when ``changes``
    only append bookings (anything else: None, computed afresh)."""
    if set(changes) - {*_TAILS, "status", "history", "paused_since", "holds"}:
        return None
    old = invoice._amounts
    code = invoice.currency
    added: dict[str, tuple[Any, ...]] = {}
    for name in _TAILS:
        if name not in changes:
            continue
        before, after = getattr(invoice, name), changes[name]
        if (
            not isinstance(after, tuple)
            or len(after) < len(before)
            or not all(map(operator.is_, before, after))
        ):
            return None
        added[name] = after[len(before) :]

    def more(old_total: Decimal, amounts: Iterable[Money]) -> Decimal:
        return _plus(old_total, sum_money(amounts, code).amount)

    try:
        new_payments = added.get("payments", ())
        return Amounts(
            gross=old.gross,
            fees=more(old.fees, (n.fee for n in added.get("notices", ()))),
            interest_charged=more(
                old.interest_charged, (c.amount for c in added.get("interest", ()))
            ),
            paid=more(old.paid, (p.amount for p in new_payments)),
            discounts=more(
                old.discounts, (p.discount for p in new_payments if p.discount is not None)
            ),
            credited=more(old.credited, (c.amount for c in added.get("credit_notes", ()))),
            written_off=more(old.written_off, (w.amount for w in added.get("write_offs", ()))),
        )
    except (AttributeError, DunlibError):
        return None  # junk in the appended bookings: left for the validators to name


def _plus(total: Decimal, amount: Decimal) -> Decimal:
    """``total + amount`` exactly; ``total`` itself (no new object) when ``amount`` is zero."""
    return EXACT.add(total, amount) if amount else total


def _total(amounts: Iterable[Money], zero: Decimal) -> Decimal:
    """The exact sum of ``amounts`` (of the invoice's currency, checked when it was built)."""
    total = zero
    for amount in amounts:
        total = EXACT.add(total, amount.amount)
    return total


def _tax_by_rate(lines: tuple[LineItem, ...], code: str) -> tuple[tuple[Decimal, Money], ...]:
    """Tax per rate, ascending: the nets of one rate summed, then rounded half-up."""
    nets: dict[Decimal, list[Money]] = {}
    for line in lines:
        nets.setdefault(_rate_key(line.tax_rate), []).append(line.net)
    return tuple(
        (rate, sum_money(nets[rate], code).scaled(_percent(rate))) for rate in sorted(nets)
    )


@quick.cached(quick.RATES)
def _percent(rate: Decimal) -> Decimal:
    """``rate / 100``, exactly."""
    return rate.scaleb(-2, EXACT)


class Amounts:
    """An invoice's derived amounts, computed together once (private).

    Kept small, since every invoice of a portfolio holds them: exact ``Decimal`` amounts
    in the invoice's currency (its properties make the Money), the zeros of what was not
    booked shared, the open amount the gross itself while nothing is booked, and net and
    tax left to be computed from the lines when asked for.
    """

    __slots__ = (
        "credited",
        "discounts",
        "fees",
        "gross",
        "interest_charged",
        "open_amount",
        "paid",
        "written_off",
    )

    def __init__(
        self,
        *,
        gross: Decimal,
        fees: Decimal,
        interest_charged: Decimal,
        paid: Decimal,
        discounts: Decimal,
        credited: Decimal,
        written_off: Decimal,
    ) -> None:
        self.gross = gross
        self.fees = fees
        self.interest_charged = interest_charged
        self.paid = paid
        self.discounts = discounts
        self.credited = credited
        self.written_off = written_off
        if fees or interest_charged or paid or discounts or credited or written_off:
            add = EXACT.add
            due = add(add(gross, fees), interest_charged)
            settled = add(add(paid, discounts), credited)
            self.open_amount = EXACT.subtract(EXACT.subtract(due, settled), written_off)
        else:
            self.open_amount = gross

    @property
    def total_due(self) -> Decimal:
        return _plus(_plus(self.gross, self.fees), self.interest_charged)

    @property
    def settled(self) -> Decimal:
        return _plus(_plus(self.paid, self.discounts), self.credited)

    @classmethod
    def of(cls, invoice: Invoice) -> Amounts:
        code = invoice.currency
        zero = Money.zero(code).amount
        add = EXACT.add
        by_rate: dict[Decimal, Decimal] = {}  # equal rates (19, 19.0) are one key
        for line in invoice.lines:
            amount = line._net.amount
            rate = line.tax_rate
            by_rate[rate] = add(by_rate[rate], amount) if rate in by_rate else amount
        gross = zero  # per rate, the nets and their tax as _tax_by_rate rounds it
        quantum = _quantum(code)
        for rate, nets in by_rate.items():
            rounded = _at_minor_unit(EXACT.multiply(nets, _percent(rate)), quantum)
            if rounded is None:  # too large: Money.scaled says so
                rounded = Money._trusted(nets, code).scaled(_percent(rate)).amount
            gross = add(add(gross, nets), rounded if rounded else rounded.copy_abs())
        paid = discounts = fees = interest = credited = written_off = zero
        for payment in invoice.payments:
            paid = add(paid, payment.amount.amount)
            if payment.discount is not None:
                discounts = add(discounts, payment.discount.amount)
        for notice in invoice.notices:
            fees = add(fees, notice.fee.amount)
        if invoice.interest:
            interest = _total((charge.amount for charge in invoice.interest), zero)
        if invoice.credit_notes:
            credited = _total((note.amount for note in invoice.credit_notes), zero)
        if invoice.write_offs:
            written_off = _total((w.amount for w in invoice.write_offs), zero)
        return cls(
            gross=gross,
            fees=fees,
            interest_charged=interest,
            paid=paid,
            discounts=discounts,
            credited=credited,
            written_off=written_off,
        )


class _Marks:
    """What an invoice's history tells its dunning, read once (private): the day of its
    latest entry (None: no entry), whether it was escalated (handed to collection or its
    service blocked), the kind of its last pause or resume entry (None: neither), and how
    many entries were read; and where reading them left the bookings: how many of each
    kind the entries booked (:data:`_BOOKINGS`), the open amount less the gross that far,
    and the day of the pause in force (None: dunning runs).

    Read when the invoice is built, and checked as they are read: the entries in date
    order, each taking the invoice from where the one before left it (from DRAFT, for the
    first) by a move the transition table has, of the kind that move's operation records,
    and nothing after the draft dated before the issue date; each booking tied to the
    entry that booked it (:class:`_Ledger`). An invoice :func:`extended` from another one
    reads only the entries it appended, from the other's marks.
    """

    __slots__ = ("count", "escalated", "latest", "open_less_gross", "paused", "switch", "taken")

    def __init__(
        self,
        latest: _dt.date | None,
        escalated: bool,
        switch: EventKind | None,
        count: int,
        taken: tuple[int, ...] = (0, 0, 0, 0, 0, 0),
        open_less_gross: Decimal = _ZERO,
        paused: _dt.date | None = None,
    ) -> None:
        self.latest, self.escalated, self.switch, self.count = latest, escalated, switch, count
        self.taken, self.open_less_gross, self.paused = taken, open_less_gross, paused

    @classmethod
    def of(
        cls, invoice: Invoice, prior: _Marks | None = None
    ) -> tuple[_Marks, tuple[str, Any, str] | None]:
        history = invoice.history
        if prior is None:
            prior = _NO_MARKS
        latest, switch, start = prior.latest, prior.switch, prior.count
        before = history[start - 1].to_status if start else Status.DRAFT
        issued = invoice.issue_date
        ledger: _Ledger | None = None  # made at the first entry that books something
        found: tuple[str, Any, str] | None = None  # the first problem with a booking
        for index in range(start, len(history)):
            entry = history[index]
            day, kind, source = entry.on, entry.kind, entry.from_status
            problem: tuple[str, Any, str] | None = None
            if latest is not None and day < latest:
                problem = "on", day, f"on or after {latest}, the day of the step before"
            elif source is not before:
                problem = "from_status", source, f"{before}, where the step before led"
            elif (source, entry.to_status) not in _MOVES:
                problem = "to_status", entry.to_status, f"a state the table leads to from {source}"
            elif source in _BOOKED and day < issued:
                problem = "on", day, f"on or after the issue date {issued}"
            if problem is not None:
                name, value, expected = problem
                raise InvalidValueError(
                    f"Invoice.history[{index}].{name}",
                    value,
                    f"{expected} (invoice {invoice.known_as})",
                )
            target = entry.to_status
            if found is not None:  # the first problem with a kind or a booking, kept for later
                pass
            elif (source, target) not in _KIND_MOVES[kind] or (
                (kind is _CREATED) is not (index == 0) and (index or kind is not _TRANSITION)
            ):
                found = f"history[{index}].kind", kind, _kind_expected(index, source, target)
            elif kind is not _TRANSITION:
                ledger = ledger or _Ledger(invoice, prior)
                found = ledger.read(index, entry)
            elif target is Status.CANCELLED:
                ledger = ledger or _Ledger(invoice, prior)
                found = ledger.cancelled(index, entry)
            elif target is Status.SENT and source in _UNBOOKED:
                found = _send_problem(invoice, index, entry)
            latest, before = day, entry.to_status
            if kind is _PAUSED or kind is _RESUMED:
                switch = kind
        if before is not invoice.status:
            raise InvalidValueError(
                "Invoice.status",
                invoice.status,
                f"{before}, where the last history step led (invoice {invoice.known_as})"
                if history
                else f"DRAFT without a history: build a booked invoice through the "
                f"operations, or Invoice.sent (invoice {invoice.known_as})",
            )
        if ledger is None:
            marks = cls(
                latest,
                prior.escalated,
                switch,
                len(history),
                prior.taken,
                prior.open_less_gross,
                prior.paused,
            )
        else:
            marks = cls(
                latest,
                ledger.escalated,
                switch,
                len(history),
                _counts(*ledger.taken),
                ledger.open_less_gross,
                ledger.paused,
            )
        return marks, found or _unbooked(invoice, marks.taken, marks.paused)


_NO_MARKS = _Marks(None, False, None, 0)


@quick.cached(quick.COUNTS)
def _counts(*taken: int) -> tuple[int, ...]:
    """``taken`` as one tuple shared by every invoice with as many bookings of each kind."""
    return taken


_MOVES = frozenset(
    {(row.source, row.target) for row in ROWS} | {(status, status) for status in Status}
)
"""Every (from, to) pair a history entry may record: a row of the table, or no move."""
_PAUSED, _RESUMED = EventKind.DUNNING_PAUSED, EventKind.DUNNING_RESUMED
_HANDED_OVER, _BLOCKED = EventKind.HANDED_TO_COLLECTION, EventKind.SERVICE_BLOCKED
_CREATED, _TRANSITION = EventKind.CREATED, EventKind.TRANSITION
_KIND_OF = {
    Command.SUBMIT: _TRANSITION,
    Command.APPROVE: _TRANSITION,
    Command.REJECT: _TRANSITION,
    Command.SEND: _TRANSITION,
    Command.CANCEL: _TRANSITION,
    Command.PAY: EventKind.PAYMENT,
    Command.CREDIT: EventKind.CREDIT_NOTE,
    Command.REMIND: EventKind.DUNNING_NOTICE,
    Command.DUN: EventKind.DUNNING_NOTICE,
    Command.INTEREST: EventKind.INTEREST,
    Command.PAUSE: _PAUSED,
    Command.RESUME: _RESUMED,
    Command.WRITE_OFF: EventKind.WRITE_OFF,
    Command.COLLECT: _HANDED_OVER,
    Command.BLOCK: _BLOCKED,
    Command.HOLD: EventKind.HOLD_PLACED,
    Command.LIFT_HOLD: EventKind.HOLD_LIFTED,
}
"""The kind of history entry each booking row's operation records (the notice rows record
nothing on the invoice; SETTLE, below, is the step of a payment, a credit note or the
clearing of a cancelling invoice)."""


def _kind_moves() -> dict[EventKind, frozenset[tuple[Status, Status]]]:
    moves: dict[EventKind, set[tuple[Status, Status]]] = {kind: set() for kind in EventKind}
    for row in ROWS:
        kinds = (
            (EventKind.PAYMENT, EventKind.CREDIT_NOTE, EventKind.WRITE_OFF)
            if row.command is Command.SETTLE
            else (_KIND_OF[row.command],)
            if row.command in _KIND_OF
            else ()
        )
        for kind in kinds:
            moves[kind].add((row.source, row.target))
    for kind in (_CREATED, EventKind.LINES_EDITED, EventKind.MERGED):
        moves[kind].add((Status.DRAFT, Status.DRAFT))
    moves[_CREATED].add((Status.DRAFT, Status.REVIEWED))  # created reviewed (a series)
    return {kind: frozenset(pairs) for kind, pairs in moves.items()}


_KIND_MOVES = _kind_moves()
"""The (from, to) moves a history entry of each kind records: the rows whose operation
writes that kind, the drafting kinds in DRAFT, a creation also straight into REVIEWED (as
the workflow counts it: drafted and reviewed by its creator), NOTE none."""


def _kind_expected(index: int, source: Status, target: Status) -> str:
    """What kind the entry ``index`` moving from ``source`` to ``target`` may be."""
    if index == 0:
        return "CREATED or TRANSITION: the first entry drafts, or takes a draft a step on"
    kinds = [
        kind.name
        for kind, moves in _KIND_MOVES.items()
        if (source, target) in moves and kind is not _CREATED
    ]
    return f"a kind the move from {source} to {target} records ({', '.join(kinds) or 'none'})"


_BOOKINGS = ("payments", "notices", "interest", "credit_notes", "write_offs", "holds")
"""The invoice's bookings (and holds), each tied to the history entry that booked it."""
_PAYMENTS, _NOTICES, _INTEREST, _CREDITS, _WRITE_OFFS, _HOLDS = range(6)
_ALL_BOOKINGS = operator.attrgetter(*_BOOKINGS)
_BOOKED_BY = {
    _PAYMENTS: "PAYMENT",
    _NOTICES: "DUNNING_NOTICE",
    _INTEREST: "INTEREST or DUNNING_NOTICE",
    _CREDITS: "CREDIT_NOTE",
    _WRITE_OFFS: "WRITE_OFF, or TRANSITION to CANCELLED",
    _HOLDS: "HOLD_PLACED",
}
_PAYMENT_DETAIL = re.compile(
    r"payment of (\S+) \S+ received(?:; cash discount (\S+) \S+ granted)?"
    r"(?:; overpaid by (\S+) \S+)?; open (\S+) \S+"
)
"""The detail :func:`dunlib.record_payment` writes: received, discount, overpaid, open."""
_DUE_NAMED = re.compile(r", due (\d{4}-\d{2}-\d{2})\b")
"""The due date a sending entry names (:func:`dunlib.send`, :meth:`Invoice.sent`)."""
_UNBOOKED = frozenset(status for status in Status if not status.is_booked)


def _send_problem(invoice: Invoice, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
    """Sending (entry ``index``) dates the invoice and sets its due date: the issue date is
    the entry's day, the due date the one it names (else the terms' from the issue date)."""
    day = entry.on
    if day != invoice.issue_date:
        return (
            f"history[{index}].on",
            day,
            f"the issue date {invoice.issue_date}: sending dates the invoice",
        )
    named = _DUE_NAMED.search(entry.detail) if ", due " in entry.detail else None
    if named is None and (invoice.due_date - day).days == invoice.terms.net_days:
        return None  # the terms' due date, as sending computes it
    due = _dt.date.fromisoformat(named[1]) if named else _default_due_date(invoice)
    if invoice.due_date != due:
        return "due_date", invoice.due_date, f"{due}, the due date set when it was sent"
    return None


def _unbooked(
    invoice: Invoice, taken: tuple[int, ...], paused: _dt.date | None
) -> tuple[str, Any, str] | None:
    """A booking no entry booked (``taken``: how many of each the entries booked), or a
    pause the history (``paused``: the pause it leaves in force) does not record."""
    counts = tuple(map(len, _ALL_BOOKINGS(invoice)))
    if counts != taken:  # a booking left over (none is taken twice)
        at = next(at for at, count in enumerate(counts) if taken[at] < count)
        return (
            f"{_BOOKINGS[at]}[{taken[at]}]",
            getattr(invoice, _BOOKINGS[at])[taken[at]],
            f"a booking of a history entry ({_BOOKED_BY[at]}) on its day",
        )
    if invoice.paused_since != paused:
        return (
            "paused_since",
            invoice.paused_since,
            f"{paused}, the day of the pause in force by the history"
            if paused
            else "None: the history records no pause in force",
        )
    return None


class _Ledger:
    """The bookings of an invoice read along its history (private), as the operations
    booked them: each booking (payment, notice, interest charge, credit note, write-off,
    hold) taken in order by the entry of the kind that booked it and dated on its day;
    the amounts an entry's detail names those of its bookings and of the amount open
    then; and the guards of the row each entry records (a reminder before the due date,
    dunning and interest only when due and with money open, only while dunning runs and
    no hold holds, payments and credit notes within what is open and settling it when
    nothing is left, pause and resume alternating, one escalation, a cancellation of
    nothing paid or credited).
    """

    __slots__ = ("escalated", "invoice", "open_less_gross", "paused", "taken")

    def __init__(self, invoice: Invoice, marks: _Marks) -> None:
        self.invoice = invoice
        self.taken = list(marks.taken)
        self.open_less_gross = marks.open_less_gross
        self.paused = marks.paused
        self.escalated = marks.escalated

    def _open(self) -> Decimal:
        """What was open before the entry being read."""
        return EXACT.add(self.invoice._amounts.gross, self.open_less_gross)

    def _less(self, amount: Decimal) -> None:
        self.open_less_gross = EXACT.subtract(self.open_less_gross, amount)

    def _take(self, at: int, index: int, day: _dt.date) -> tuple[Any, tuple[str, Any, str] | None]:
        """The next booking of ``_BOOKINGS[at]``, booked by entry ``index`` on ``day``; or
        the problem (it is missing, or dated on another day)."""
        name = _BOOKINGS[at]
        items, taken = getattr(self.invoice, name), self.taken[at]
        if taken == len(items):
            entry = self.invoice.history[index]
            return None, (
                f"history[{index}].kind",
                entry.kind,
                f"an entry that books no more {name}: the invoice has {taken} and entries "
                f"before this one booked them all",
            )
        item = items[taken]
        if item.on != day:
            return None, (
                f"{name}[{taken}].on",
                item.on,
                f"{day}, the day of history[{index}] that booked it",
            )
        self.taken[at] = taken + 1
        return item, None

    def _guards(self, day: _dt.date, *, open_: bool, due: bool = False) -> str | None:
        """Why a dunning step (notice, interest, escalation) on ``day`` is one the table
        refuses: before the due date (``due``), with nothing open (``open_``), while dunning
        is paused or held; None when it is not."""
        invoice = self.invoice
        if due and day < invoice.due_date:
            return f"a step on or after the due date {invoice.due_date}"
        if open_ and not self._open() > 0:
            return "a step on an invoice with money open"
        if self.paused is not None:
            return f"a step while dunning runs (paused since {self.paused})"
        for hold in invoice.holds[: self.taken[_HOLDS]] if invoice.holds else ():
            if hold.holds_on(day):
                return f"a step while no hold holds (a {hold.kind.value} hold since {hold.on})"
        return None

    def read(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """Read entry ``index``: the problem with it and its bookings, or None."""
        kind, day = entry.kind, entry.on
        if kind is EventKind.PAYMENT:
            return self._payment(index, entry)
        if kind is EventKind.CREDIT_NOTE:
            return self._credit_note(index, entry)
        if kind is EventKind.DUNNING_NOTICE:
            return self._notice(index, entry)
        if kind is EventKind.INTEREST:
            charge, problem = self._take(_INTEREST, index, day)
            if problem is not None:
                return problem
            amount = charge.amount
            if not entry.detail.startswith(f"default interest of {amount} charged"):
                return f"history[{index}].detail", entry.detail, f"one naming {amount} charged"
            reason = self._guards(day, open_=True, due=True)
            self.open_less_gross = EXACT.add(self.open_less_gross, amount.amount)
            return None if reason is None else (f"history[{index}].kind", kind, reason)
        if kind is EventKind.WRITE_OFF:
            self._written_off(day)
            return None
        if kind is _PAUSED or kind is _RESUMED:
            if (kind is _PAUSED) is (self.paused is not None):
                expected = "a pause while dunning runs" if self.paused is None else "a resume"
                return f"history[{index}].kind", kind, f"{expected} (pause, resume, alternating)"
            self.paused = day if kind is _PAUSED else None
            return None
        if kind is _HANDED_OVER or kind is _BLOCKED:
            reason = (  # a dunned invoice has money open
                "one escalation only" if self.escalated else self._guards(day, open_=False)
            )
            self.escalated = True
            return None if reason is None else (f"history[{index}].kind", kind, reason)
        if kind is EventKind.HOLD_PLACED:
            return self._take(_HOLDS, index, day)[1]
        return None

    def _settles(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A payment or credit note that leaves nothing open moves on to PAID (one that
        leaves money open in PAID, the last state, is refused as that state)."""
        if entry.to_status is not Status.PAID and not self._open() > 0:
            return f"history[{index}].to_status", entry.to_status, "PAID: nothing is left open"
        return None

    def _payment(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        payments, taken = self.invoice.payments, self.taken[_PAYMENTS]
        if taken < len(payments):  # the usual entry, as record_payment writes it
            payment = payments[taken]
            amount, code = payment.amount.amount, self.invoice.currency
            left = EXACT.subtract(self._open(), amount)
            if (
                payment.discount is None
                and payment.on == entry.on
                and left >= 0
                and entry.detail
                == "payment of "
                + str(amount)
                + " "
                + code
                + " received; open "
                + str(left)
                + " "
                + code
            ):
                self.taken[_PAYMENTS] = taken + 1
                self.open_less_gross = EXACT.subtract(self.open_less_gross, amount)
                return self._settles(index, entry) if not left > 0 else None
        found = _PAYMENT_DETAIL.fullmatch(entry.detail)
        if found is None:
            return (
                f"history[{index}].detail",
                entry.detail,
                "what record_payment writes: 'payment of … received[; …]; open …'",
            )
        received, discount, over, left = (
            _ZERO if text is None else Decimal(text) for text in found.groups()
        )
        applied = EXACT.subtract(received, over)
        before = max(self._open(), _ZERO)
        if applied:
            payment, problem = self._take(_PAYMENTS, index, entry.on)
            if problem is not None:
                return problem
            at = self.taken[_PAYMENTS] - 1
            if payment.amount.amount != applied:
                return (
                    f"payments[{at}].amount",
                    payment.amount,
                    f"{applied}, the amount history[{index}] booked",
                )
            granted = _ZERO if payment.discount is None else payment.discount.amount
            if granted != discount:
                return (
                    f"payments[{at}].discount",
                    payment.discount,
                    f"{discount or None}, the discount history[{index}] granted",
                )
            self._less(EXACT.add(applied, discount))
        expected = EXACT.subtract(EXACT.subtract(before, applied), discount)
        if left != expected or expected < 0:
            return (
                f"history[{index}].detail",
                entry.detail,
                f"a payment of at most {before} leaving {expected} open",
            )
        return self._settles(index, entry)

    def _credit_note(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        before = self._open()
        note, problem = self._take(_CREDITS, index, entry.on)
        if problem is not None:
            return problem
        at = self.taken[_CREDITS] - 1
        text = f"credit note {note.id} of {note.amount}"
        if entry.detail != text:
            return f"history[{index}].detail", entry.detail, repr(text)
        if note.amount.amount > before:
            return f"credit_notes[{at}].amount", note.amount, f"at most {before}, what was open"
        self._less(note.amount.amount)
        return self._settles(index, entry)

    def _notice(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        day = entry.on
        notice, problem = self._take(_NOTICES, index, day)
        if problem is not None:
            return problem
        dunned = day >= self.invoice.due_date
        if dunned is not (entry.to_status is Status.DUNNED):
            return (
                f"history[{index}].to_status",
                entry.to_status,
                f"DUNNED for a notice on or after the due date {self.invoice.due_date}, "
                f"{entry.from_status} for a reminder before it",
            )
        reason = self._guards(day, open_=dunned)
        if reason is not None:
            return f"history[{index}].kind", entry.kind, reason
        fee, detail = notice.fee, entry.detail  # the fee and interest it names (str: quick)
        named = ", fee " + str(fee.amount) + " " + fee.currency
        told = detail[detail.find(named) + len(named) :] if named in detail else None
        if told:  # interest claimed with the notice
            charge, problem = self._take(_INTEREST, index, day)
            if problem is not None:
                return problem
            amount = charge.amount
            if told != ", interest " + str(amount.amount) + " " + amount.currency:
                return f"history[{index}].detail", detail, f"one naming {amount} claimed"
            self.open_less_gross = EXACT.add(self.open_less_gross, amount.amount)
        elif told is None:
            return f"history[{index}].detail", detail, f"one naming the fee {fee}"
        if fee.amount:
            self.open_less_gross = EXACT.add(self.open_less_gross, fee.amount)
        return None

    def cancelled(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """Read a cancellation: of nothing paid or credited, writing off what it books."""
        if self.taken[_PAYMENTS] or self.taken[_CREDITS]:
            return (
                f"history[{index}].to_status",
                entry.to_status,
                f"{entry.from_status}: nothing paid or credited is cancelled",
            )
        self._written_off(entry.on)
        return None

    def _written_off(self, day: _dt.date) -> None:
        """Take every write-off dated ``day`` (a cancellation or a write-off books them)."""
        items = self.invoice.write_offs
        while self.taken[_WRITE_OFFS] < len(items) and items[self.taken[_WRITE_OFFS]].on == day:
            self._less(items[self.taken[_WRITE_OFFS]].amount.amount)
            self.taken[_WRITE_OFFS] += 1


_ON = operator.attrgetter("on")
_DATED = ("payments", "credit_notes", "notices", "interest", "write_offs", "holds")
"""The invoice's dated bookings and holds: none before the issue date."""
_set_marks = Invoice.__dict__["_marks"].__set__


def _seeded_marks(invoice: Invoice) -> _Marks | None:
    """The marks :func:`extended` seeded ``invoice`` with (the invoice it extends'), or None."""
    try:
        marks: _Marks = Invoice.__dict__["_marks"].__get__(invoice, Invoice)
    except AttributeError:
        return None
    return marks


def _passes_read(invoice: Invoice) -> bool:
    """Whether ``invoice`` (its fields each of their type, each booking checked on its own)
    passes the constructor's checks of its fields together, up to its amounts and history:
    a known currency, everything in it and dated on or after the issue date, no bookings
    before it is sent, notices by level; False at the first doubt (and for write-offs,
    which are rare: the constructor checks those)."""
    code, issued = invoice.currency, invoice.issue_date
    if (
        code not in _QUANTA
        or invoice.due_date < issued
        or invoice.write_offs
        or (
            not invoice.number.strip()
            if invoice.status in _BOOKED
            else invoice.number or any(getattr(invoice, name) for name in _TAILS)
        )
        or (invoice.paused_since is not None and invoice.paused_since < issued)
    ):
        return False
    for line in invoice.lines:
        if line.unit_price.currency != code:
            return False
    for level, notice in enumerate(invoice.notices, 1):
        if notice.level != level or notice.fee.currency != code or notice.on < issued:
            return False
    for name, field in _BOOKED_MONEY:
        for item in getattr(invoice, name):
            if getattr(item, field).currency != code or item.on < issued:
                return False
    return not invoice.holds or min(map(_ON, invoice.holds)) >= issued


_BOOKED_MONEY = (("payments", "amount"), ("credit_notes", "amount"), ("interest", "amount"))
"""The bookings besides notices and write-offs, each with the field of its amount."""


_BOOKED = frozenset(status for status in Status if status.is_booked)
"""The states from SENT on (:attr:`Status.is_booked`), asked for often: a set to look in."""
_CLOSED = (Status.PAID, Status.CANCELLED, Status.WRITTEN_OFF)
_WRITTEN = (Status.CANCELLED, Status.WRITTEN_OFF)


def _state_problem(invoice: Invoice) -> tuple[str, Any, str] | None:
    """Why ``invoice``'s state is one no path through the transition table leads to (the
    field, its value, what would be valid), or None. Only booked states carry bookings
    (checked before); what the table allows:

    - a notice dated before the due date is a reminder (REMIND): it charges no fee and
      keeps the invoice SENT; one dated on or after it dunned (DUN), so the invoice is no
      longer SENT. DUNNED and WRITTEN_OFF (reached only from DUNNED) need one;
    - write-offs only on a CANCELLED or WRITTEN_OFF invoice, or on a cancelling one;
    - PAID, CANCELLED and WRITTEN_OFF have nothing open; SENT and DUNNED have money open,
      since the payment or credit note that leaves nothing open settles the invoice (PAID).
      Only a SENT invoice on which nothing was settled may have nothing open (a total of
      zero; dunning needs money open), and a cancelling invoice its negative total, until
      :func:`dunlib.cancel` clears it in the same step.
    """
    status = invoice.status
    if status not in _BOOKED:
        return None
    due, dunned = invoice.due_date, False
    for notice in invoice.notices:
        if notice.on >= due:
            dunned = True
        elif notice.fee.amount:
            return "notices", notice, f"a reminder before the due date {due} charges no fee"
    if dunned and status is Status.SENT:
        return "status", status, f"DUNNED or later: a notice dunned on or after {due}"
    if not dunned and status in (Status.DUNNED, Status.WRITTEN_OFF):
        return "notices", invoice.notices, f"a notice dated on or after the due date {due}"
    if invoice.write_offs and status not in _WRITTEN and invoice.cancels is None:
        return (
            "write_offs",
            invoice.write_offs,
            "none until the invoice is cancelled or written off",
        )
    if status in _CLOSED:
        if invoice._amounts.open_amount:
            return "status", status, f"SENT or DUNNED while {invoice.open_amount} is open"
        return None
    settled = invoice.payments or invoice.credit_notes
    if not settled:  # no line below zero: a total of zero or more, fees and interest on it
        nets = [line._net.amount for line in invoice.lines]
        if min(nets, default=_ZERO) >= 0 and (status is Status.SENT or max(nets, default=_ZERO)):
            return None
    opened = invoice._amounts.open_amount
    if opened > 0 or (not settled and status is Status.SENT and (opened == 0 or invoice.cancels)):
        return None
    return "status", status, f"PAID, or an amount open (open: {invoice.open_amount})"


def checked_invoice(invoice: object, operation: str) -> Invoice:
    """``invoice`` when it is an :class:`Invoice`; else InvalidTypeError naming the operation."""
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError(f"{operation}.invoice", invoice, "an Invoice")
    return invoice


def step_day(invoice: Invoice, on: object, field: str) -> _dt.date:
    """``on`` as a plain date for the next step on ``invoice``: history never goes back.

    Raises :class:`~dunlib.core.errors.InvalidTypeError` for anything but a calendar date and
    :class:`~dunlib.core.errors.InvalidValueError` (naming ``field``) for a day before the
    invoice's last history entry.
    """
    day = as_date(on, field)
    if invoice.history and day < invoice.history[-1].on:
        raise InvalidValueError(
            field,
            day,
            f"on or after {invoice.history[-1].on}, the day of the last step of invoice "
            f"{invoice.known_as}",
        )
    return day
