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
from collections.abc import Iterable
from decimal import Decimal
from functools import cached_property
from typing import Any

import attrs

from dunlib.core import quick
from dunlib.core import validate as v
from dunlib.core._bookings import _BOOKED, _default_due_date, _Marks, marks_of, walk
from dunlib.core.dates import as_date
from dunlib.core.errors import DunlibError, InvalidTypeError, InvalidValueError, _invoice
from dunlib.core.exact import EXACT
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.instalments import InstalmentPlan
from dunlib.core.money import _QUANTA, Money, _at_minor_unit, _quantum, sum_money
from dunlib.core.records import (
    CreditNote,
    Customer,
    DeliveryChannel,
    DeliveryPeriod,
    FeeWaiver,
    Hold,
    InterestCharge,
    IssuedStage,
    LineItem,
    Payment,
    PaymentTerms,
    Recovery,
    Reversal,
    WriteOff,
)
from dunlib.core.status import Status

__all__ = ["Invoice"]

_ZERO = Decimal(0)


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
    ``recoveries`` is the money received after a write-off
    (:func:`dunlib.payments.record_recovery`), ``instalment_plans`` the plans agreed
    (:func:`dunlib.dunning.agree_plan`), in the order agreed. ``delivery`` is the day or
    period of the delivery or service (§ 14 (4) Nr. 6 UStG; None: not given, the documents
    then say it was the invoice date). ``reversals`` are the payments taken back
    (:func:`dunlib.payments.reverse_payment`): each payment stays in ``payments`` as booked,
    and one taken back counts for nothing from its reversal on (:attr:`kept_payments`).
    ``fee_waivers`` are the dunning fees taken back (:func:`dunlib.payments.waive_fees`):
    :attr:`fees` is what the notices charged less what was waived.
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
    delivery: DeliveryPeriod | None = attrs.field(
        default=None,
        validator=v.optional(v.of_type(DeliveryPeriod, expected="a DeliveryPeriod")),
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
    issued_stages: tuple[IssuedStage, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(IssuedStage, "IssuedStage")
    )
    interest_charges: tuple[InterestCharge, ...] = attrs.field(
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
    recoveries: tuple[Recovery, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Recovery, "Recovery")
    )
    instalment_plans: tuple[InstalmentPlan, ...] = attrs.field(
        default=(),
        converter=v.to_tuple,
        validator=v.tuple_of(InstalmentPlan, "InstalmentPlan"),
    )
    reversals: tuple[Reversal, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(Reversal, "Reversal")
    )
    fee_waivers: tuple[FeeWaiver, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(FeeWaiver, "FeeWaiver")
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
            for name in (
                "number",
                "payments",
                "credit_notes",
                "issued_stages",
                "interest_charges",
                "write_offs",
                "recoveries",
                "instalment_plans",
                "reversals",
                "fee_waivers",
            ):
                if getattr(self, name):
                    raise InvalidValueError(
                        f"Invoice.{name}",
                        getattr(self, name),
                        f"nothing before the invoice is sent (status is {self.status.name})",
                    )
        if self.issued_stages:
            levels = [notice.level for notice in self.issued_stages]
            if levels != list(range(1, len(levels) + 1)):
                raise InvalidValueError(
                    "Invoice.issued_stages",
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
        built field by field from values each checked on its own: the same checks, in one
        pass over the history that ties each booking to its entry and sums the amounts as
        it goes (the derived amounts are kept from it). At the first doubt the constructor's
        own checks run, and name the problem.

        A history read without a problem settles nothing beyond what was open at each
        payment and credit note, so nothing beyond what is due (the constructor's check of
        the payments' total); a document with write-offs is left to the constructor."""
        if _passes_read(self):
            try:
                ledger = walk(self, None, _gross)
            except DunlibError:
                ledger = None
            if ledger is not None and ledger.found is None:
                gross = ledger.gross
                if gross is not None:  # else computed when first asked for, as ever
                    _set_amounts(self, Amounts(
                        gross, ledger.fees, ledger.interest_charged, ledger.paid,
                        ledger.discounts, ledger.credited, ledger.written_off,
                        EXACT.add(gross, ledger.open_less_gross),
                    ))  # fmt: skip
                _set_marks(self, ledger.marks)
                if _state_problem(self, ledger.dunned) is not None:
                    self._check_state()  # names it
                return
        self.__attrs_post_init__()

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
        marks, problem = marks_of(self, prior)
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
        for index, plan in enumerate(self.instalment_plans):
            if plan.currency != code:
                raise InvalidValueError(
                    f"Invoice.instalment_plans[{index}]", plan.total, f"an amount in {code}"
                )
        for index, waiver in enumerate(self.fee_waivers):
            if waiver.amount.currency != code:
                raise InvalidValueError(
                    f"Invoice.fee_waivers[{index}].amount", waiver.amount, f"an amount in {code}"
                )
        for index, reversal in enumerate(self.reversals):
            fee = reversal.bank_fee
            if fee is not None and fee.currency != code:
                raise InvalidValueError(
                    f"Invoice.reversals[{index}].bank_fee", fee, f"an amount in {code}"
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
        return marks_of(self)[0]  # pragma: no cover  (read and kept when the invoice is built)

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
        """Dunning fees charged by the notices sent so far, less those waived."""
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
    def kept_payments(self) -> tuple[Payment, ...]:
        """The payments not taken back (:attr:`reversals`), in the order booked."""
        if not self.reversals:
            return self.payments
        taken_back = {reversal.payment for reversal in self.reversals}
        return tuple(p for i, p in enumerate(self.payments) if i not in taken_back)

    @property
    def paid(self) -> Money:
        """Money received and not taken back (cash discounts not included)."""
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
    def recovered(self) -> Money:
        """Money received after the invoice was written off (its recoveries): at most
        :attr:`written_off`, which stays as it was. Money received for the invoice is
        ``paid + recovered``; the loss is ``written_off - recovered``."""
        return sum_money((item.amount for item in self.recoveries), self.currency)

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
        return len(self.issued_stages)

    @property
    def last_issued_stage(self) -> IssuedStage | None:
        """The last dunning document sent, if any."""
        return self.issued_stages[-1] if self.issued_stages else None


_MONEY_FIELDS = (
    ("lines", "unit_price"),
    ("payments", "amount"),
    ("credit_notes", "amount"),
    ("issued_stages", "fee"),
    ("interest_charges", "amount"),
    ("write_offs", "amount"),
    ("recoveries", "amount"),
)
"""Every booking's amount, by field of the invoice and of the booking."""

_TAILS = (
    "payments",
    "credit_notes",
    "issued_stages",
    "interest_charges",
    "write_offs",
    "fee_waivers",
)
_BESIDE = ("recoveries", "instalment_plans")
"""Bookings beside the amounts: they change no derived amount of :class:`Amounts`."""


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
    if set(changes) - {*_TAILS, *_BESIDE, "status", "history", "paused_since", "holds"}:
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
            fees=EXACT.subtract(
                more(old.fees, (n.fee for n in added.get("issued_stages", ()))),
                sum_money((w.amount for w in added.get("fee_waivers", ())), code).amount,
            ),
            interest_charged=more(
                old.interest_charged, (c.amount for c in added.get("interest_charges", ()))
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
        gross: Decimal,
        fees: Decimal,
        interest_charged: Decimal,
        paid: Decimal,
        discounts: Decimal,
        credited: Decimal,
        written_off: Decimal,
        open_amount: Decimal | None = None,
    ) -> None:
        self.gross = gross
        self.fees = fees
        self.interest_charged = interest_charged
        self.paid = paid
        self.discounts = discounts
        self.credited = credited
        self.written_off = written_off
        if not (fees or interest_charged or paid or discounts or credited or written_off):
            self.open_amount = gross
        elif open_amount is not None:  # as the history was read (the same sum)
            self.open_amount = open_amount
        else:
            add = EXACT.add
            due = add(add(gross, fees), interest_charged)
            settled = add(add(paid, discounts), credited)
            self.open_amount = EXACT.subtract(EXACT.subtract(due, settled), written_off)

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
        gross = _gross(invoice)
        paid = discounts = fees = interest = credited = written_off = zero
        for payment in invoice.kept_payments:
            paid = add(paid, payment.amount.amount)
            if payment.discount is not None:
                discounts = add(discounts, payment.discount.amount)
        for notice in invoice.issued_stages:
            fees = add(fees, notice.fee.amount)
        for waiver in invoice.fee_waivers:
            fees = EXACT.subtract(fees, waiver.amount.amount)
        if invoice.interest_charges:
            interest = _total((charge.amount for charge in invoice.interest_charges), zero)
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


def _gross(invoice: Any) -> Decimal:
    """The gross of ``invoice``'s lines: per rate, the nets and their tax as
    :func:`_tax_by_rate` rounds it."""
    add = EXACT.add
    code = invoice.currency
    by_rate: dict[Decimal, Decimal] = {}  # equal rates (19, 19.0) are one key
    for line in invoice.lines:
        amount = line._net.amount
        rate = line.tax_rate
        by_rate[rate] = add(by_rate[rate], amount) if rate in by_rate else amount
    gross = Money.zero(code).amount
    quantum = _quantum(code)
    for rate, nets in by_rate.items():
        rounded = _at_minor_unit(EXACT.multiply(nets, _percent(rate)), quantum)
        if rounded is None:  # too large: Money.scaled says so
            rounded = Money._trusted(nets, code).scaled(_percent(rate)).amount
        gross = add(add(gross, nets), rounded if rounded else rounded.copy_abs())
    return gross


_ON = operator.attrgetter("on")
_DATED = (
    "payments",
    "credit_notes",
    "issued_stages",
    "interest_charges",
    "write_offs",
    "holds",
    "recoveries",
    "instalment_plans",
    "reversals",
    "fee_waivers",
)
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
        or invoice.recoveries
        or invoice.instalment_plans
        or invoice.reversals
        or invoice.fee_waivers
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
    for level, notice in enumerate(invoice.issued_stages, 1):
        if notice.level != level or notice.fee.currency != code or notice.on < issued:
            return False
    for bookings in (invoice.payments, invoice.credit_notes, invoice.interest_charges):
        for item in bookings:  # each an amount, in its field "amount"
            if item.amount.currency != code or item.on < issued:
                return False
    return not invoice.holds or min(map(_ON, invoice.holds)) >= issued


"""The states from SENT on (:attr:`Status.is_booked`), asked for often: a set to look in."""
_CLOSED = (Status.PAID, Status.CANCELLED, Status.WRITTEN_OFF)
_WRITTEN = (Status.CANCELLED, Status.WRITTEN_OFF)


def _state_problem(invoice: Invoice, dunned: bool | None = None) -> tuple[str, Any, str] | None:
    """Why ``invoice``'s state is one no path through the transition table leads to (the
    field, its value, what would be valid), or None. Only booked states carry bookings
    (checked before); what the table allows:

    - a stage issued on or before the due date is an early one (ISSUE_EARLY): it charges no
      fee and keeps the invoice SENT; one dated after it dunned (DUN), so the invoice is no
      longer SENT. DUNNED and WRITTEN_OFF (reached only from DUNNED) need one. A stage dated
      on the due date itself may also have dunned: records written while dunlib dunned
      from the due date on are read as they were (the table no longer books one);
    - write-offs only on a CANCELLED or WRITTEN_OFF invoice, on a cancelling one, or on a
      negative one booked by hand (PAID: its negative total cleared);
    - PAID, CANCELLED and WRITTEN_OFF have nothing open; SENT and DUNNED have money open,
      since the payment or credit note that leaves nothing open settles the invoice (PAID).
      Only a SENT invoice on which nothing was settled may have nothing open (a total of
      zero; dunning needs money open), and a cancelling invoice its negative total, until
      :func:`dunlib.cancel` clears it in the same step.

    ``dunned``: whether a notice dunned, as a history read without a problem found (its
    reminders charging no fee); None: found here.
    """
    status = invoice.status
    if status not in _BOOKED:
        return None
    due = invoice.due_date
    if dunned is None:
        dunned = False
        early_fee = None  # a fee on a stage on or before the due date
        for notice in invoice.issued_stages:
            if notice.on > due:
                dunned = True
            elif notice.on == due and status is not Status.SENT:
                dunned = True  # read as it was recorded (dunning from the due date on)
            elif notice.fee.amount:
                early_fee = notice
        if early_fee is not None:
            return (
                "issued_stages",
                early_fee,
                f"a stage issued on or before the due date {due}: no fee",
            )
    if dunned and status is Status.SENT:
        return "status", status, f"DUNNED or later: a stage issued after the due date {due}"
    if not dunned and status in (Status.DUNNED, Status.WRITTEN_OFF):
        return (
            "issued_stages",
            invoice.issued_stages,
            f"a stage issued after the due date {due}",
        )
    if (
        invoice.write_offs
        and status not in _WRITTEN
        and invoice.cancels is None
        and not (status is Status.PAID and invoice._amounts.gross < 0)
    ):
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
        positive = False
        for line in invoice.lines:
            net = line._net.amount
            if net < 0:
                break
            positive = positive or net > 0
        else:
            if status is Status.SENT or positive:
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
