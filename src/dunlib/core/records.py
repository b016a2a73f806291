"""What an invoice is made of and what is booked against it: the customer, line items and
payment terms, and the records of payments, credit notes, dunning notices, interest
charges, write-offs and holds.

Rounding point (half-up, see :mod:`dunlib.core.money`): a line's net amount (quantity x unit
price).
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from enum import Enum
from functools import cached_property
from typing import Any

import attrs

from dunlib.core import quick
from dunlib.core import validate as v
from dunlib.core.calendars import TARGET2, add_working_days
from dunlib.core.dates import add_days, as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.money import Money, _scaled

__all__ = [
    "DIRECT_DEBIT_RETURN_DAYS",
    "LEAST_STANDARD_RATE",
    "Address",
    "CreditNote",
    "Customer",
    "CustomerKind",
    "DeliveryChannel",
    "DeliveryPeriod",
    "FeeWaiver",
    "Hold",
    "HoldKind",
    "InterestCharge",
    "IssuedStage",
    "LineItem",
    "Payment",
    "PaymentTerms",
    "Recovery",
    "Reversal",
    "SendMode",
    "TaxCategory",
    "WriteOff",
]

HUNDRED = Decimal(100)
_ZERO = Decimal(0)


class CustomerKind(Enum):
    """Whether a customer is a business or a consumer (statutory rules differ)."""

    BUSINESS = "business"
    CONSUMER = "consumer"


class DeliveryChannel(Enum):
    """How an invoice reaches the customer (seed 002: Onlinerechnung or Papierrechnung).

    Paper invoices are never sent automatically: they are printed and posted by hand, and
    listed as still to print until their printing is recorded
    (:func:`dunlib.workflow.still_to_print`)."""

    ONLINE = "online"
    """By e-mail, to the customer's billing address (an online invoice)."""
    PAPER = "paper"
    """As a printed letter (a paper invoice)."""
    BOTH = "both"
    """By e-mail and as a printed letter: sent like an online invoice, printed like a paper
    one."""


class SendMode(Enum):
    """Whether the customer's online invoices are sent by the automatic sending run (seed
    000: the send mode pre-selected per customer; seed 002: the automatic run sends online
    invoices in 2 REVIEWED) or only by a person."""

    AUTOMATIC = "automatic"
    MANUAL = "manual"


class TaxCategory(Enum):
    """The VAT category of an invoice line (EN 16931 BT-151, code list UNCL5305).

    Standard and reduced rates charge tax (a rate above 0); every other category charges
    none (rate 0) and the invoice must say why (§ 14 (4) Nr. 8 UStG): exempt (§ 4 UStG),
    reverse charge (§ 13b UStG: the customer owes the tax), an intra-community supply
    (§ 4 Nr. 1b UStG), an export (§ 4 Nr. 1a UStG), zero-rated, or outside the scope of VAT.
    """

    STANDARD = "standard"
    REDUCED = "reduced"
    ZERO = "zero"
    EXEMPT = "exempt"
    REVERSE_CHARGE = "reverse-charge"
    INTRA_COMMUNITY = "intra-community"
    EXPORT = "export"
    OUTSIDE_SCOPE = "outside-scope"

    @property
    def code(self) -> str:
        """The category's code in EN 16931 (UNCL5305): S, Z, E, AE, K, G or O (a reduced
        rate is S, told apart by its rate)."""
        return _CATEGORY_CODES[self]

    @property
    def charges_tax(self) -> bool:
        """Whether the category charges tax: standard and reduced (a rate above 0)."""
        return self in (TaxCategory.STANDARD, TaxCategory.REDUCED)


_CATEGORY_CODES = {
    TaxCategory.STANDARD: "S",
    TaxCategory.REDUCED: "S",
    TaxCategory.ZERO: "Z",
    TaxCategory.EXEMPT: "E",
    TaxCategory.REVERSE_CHARGE: "AE",
    TaxCategory.INTRA_COMMUNITY: "K",
    TaxCategory.EXPORT: "G",
    TaxCategory.OUTSIDE_SCOPE: "O",
}


LEAST_STANDARD_RATE = Decimal(15)
"""The least standard VAT rate in the EU (Council Directive 2006/112/EC, Art. 97: "not less
than 15 %"; reduced rates, Art. 98 and 99, are at least 5 %): a line at a rate above 0 that
names no category is standard from this rate on and reduced below it."""


@attrs.frozen(kw_only=True)
class Address:
    """A postal address: ``street`` (with the house number), ``postcode``, ``city`` and
    ``country`` (ISO 3166 alpha-2, ``DE``); ``extra`` is a further line above the street
    (c/o, a department, a PO box)."""

    street: str = attrs.field(validator=v.non_empty_text)
    postcode: str = attrs.field(validator=v.non_empty_text)
    city: str = attrs.field(validator=v.non_empty_text)
    country: str = attrs.field(validator=v.country)
    extra: str = attrs.field(default="", validator=v.text)


_BUYER_REFERENCE = re.compile(r"\S(?:.{0,198}\S)?")


@attrs.frozen(kw_only=True)
class Customer:
    """The billing account (debtor) an invoice is addressed to.

    ``dunning_enabled`` off suspends dunning for every invoice of this customer;
    ``fees_enabled`` off keeps dunning but charges no dunning fees. ``locale``
    decides the language of every document to this customer and how its dates and amounts
    are written.

    What a legal invoice names of its recipient (§ 14 (4) UStG, EN 16931): the postal
    ``address``, the ``vat_id`` (with its country prefix, kept in capitals without spaces;
    required where the customer owes the tax, reverse charge) and the ``buyer_reference``
    the customer asks to be quoted (EN 16931 BT-10; for a German public buyer its
    Leitweg-ID, which XRechnung requires). Each is optional here; a document that needs one
    refuses an invoice without it, naming the field.

    How invoices reach the customer (seed 000): ``send_mode`` whether the automatic sending
    run sends them, ``channel`` the channel a new draft takes (e-mail, paper or both),
    ``email`` the billing address e-mails go to.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    name: str = attrs.field(validator=v.non_empty_text)
    locale: str = attrs.field(default="de_DE", validator=v.locale)
    kind: CustomerKind = attrs.field(
        default=CustomerKind.BUSINESS,
        validator=v.of_type(CustomerKind, expected="a CustomerKind"),
    )
    dunning_enabled: bool = attrs.field(default=True, validator=v.of_type(bool, expected="a bool"))
    fees_enabled: bool = attrs.field(default=True, validator=v.of_type(bool, expected="a bool"))
    email: str = attrs.field(default="", validator=v.text)
    address: Address | None = attrs.field(
        default=None, validator=v.optional(v.of_type(Address, expected="an Address"))
    )
    vat_id: str = attrs.field(default="", converter=v.compact, validator=v.vat_id)
    buyer_reference: str = attrs.field(
        default="",
        validator=v.matching(_BUYER_REFERENCE, "a reference of 1 to 200 characters, or ''"),
    )
    send_mode: SendMode = attrs.field(
        default=SendMode.AUTOMATIC, validator=v.of_type(SendMode, expected="a SendMode")
    )
    channel: DeliveryChannel = attrs.field(
        default=DeliveryChannel.ONLINE,
        validator=v.of_type(DeliveryChannel, expected="a DeliveryChannel"),
    )


@attrs.frozen(kw_only=True)
class DeliveryPeriod:
    """When the goods were delivered or the service rendered (§ 14 (4) Nr. 6 UStG): the
    days from ``start`` to ``end``, both included; one day where they are equal (EN 16931:
    the actual delivery date BT-72, or the invoicing period BT-73/74)."""

    start: _dt.date = attrs.field(validator=v.calendar_date)
    end: _dt.date = attrs.field(validator=v.calendar_date)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError(
                "DeliveryPeriod.end", self.end, f"on or after the start {self.start}"
            )


_UNIT = re.compile(r"[A-Z0-9]{1,3}")


@v.passes_when("0 <= {0} < 100")
def _tax_rate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.finite_decimal(instance, attribute, value)
    if not _ZERO <= value < HUNDRED:
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "a percentage from 0 up to (not incl.) 100"
        )


@attrs.frozen(kw_only=True)
class LineItem:
    """One position on an invoice: ``quantity`` x ``unit_price`` (net) at ``tax_rate`` percent.

    The quantity may be negative (a deduction); a line's net amount is rounded
    half-up to the minor unit, the first rounding point of an invoice. ``source`` is
    the id of the order or contract item the line was taken from (None for a line
    written by hand); :mod:`dunlib.billing` reads it to keep the items' billing flags.

    ``unit`` is the quantity's unit as a UN/ECE Recommendation 20 code (``C62`` one piece,
    ``HUR`` hour, ``DAY`` day, ``KGM`` kilogram). ``tax_category`` is the line's VAT
    category (:class:`TaxCategory`); a standard or reduced category needs a rate above 0,
    every other one a rate of 0. Left as None it is taken from the rate (:attr:`category`:
    standard above 0, unknown at 0, which an e-invoice refuses). ``section`` is the heading
    the line falls under: consecutive lines of one section are printed under it, with
    their subtotal.
    """

    description: str = attrs.field(validator=v.non_empty_text)
    quantity: Decimal = attrs.field(converter=v.to_decimal, validator=v.finite_decimal)
    unit_price: Money = attrs.field(validator=v.money)
    tax_rate: Decimal = attrs.field(default=Decimal(0), converter=v.to_decimal, validator=_tax_rate)
    source: str | None = attrs.field(default=None, validator=v.optional(v.non_empty_text))
    unit: str = attrs.field(
        default="C62",
        validator=v.matching(_UNIT, "a UN/ECE Recommendation 20 unit code such as 'C62' or 'HUR'"),
    )
    tax_category: TaxCategory | None = attrs.field(
        default=None, validator=v.optional(v.of_type(TaxCategory, expected="a TaxCategory"))
    )
    section: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        category = self.tax_category
        if category is not None and category.charges_tax is not (self.tax_rate > 0):
            raise InvalidValueError(
                "LineItem.tax_category",
                category,
                f"a category that charges tax at {self.tax_rate} %: "
                + ("standard or reduced" if self.tax_rate > 0 else "not standard or reduced"),
            )
        net = _scaled(self.unit_price, self.quantity)  # kept, so a line too large fails here
        if net is None:
            raise InvalidValueError(
                "LineItem.quantity",
                self.quantity,
                f"a quantity that keeps the net amount below 10**25 {self.unit_price.currency}",
            )
        _set_net(self, net)

    @property
    def net(self) -> Money:
        """Quantity x unit price, rounded half-up to the minor unit."""
        return self._net

    @cached_property
    def _net(self) -> Money:
        return self.unit_price.scaled(self.quantity)

    @property
    def category(self) -> TaxCategory | None:
        """The line's VAT category: the one given; else, above 0 %, standard from
        :data:`LEAST_STANDARD_RATE` on and reduced below it (19 % standard, 7 % reduced in
        Germany); None (not known) at 0 %."""
        if self.tax_category is not None:
            return self.tax_category
        rate = self.tax_rate
        if rate >= LEAST_STANDARD_RATE:
            return TaxCategory.STANDARD
        return TaxCategory.REDUCED if rate > 0 else None

    def negated(self) -> LineItem:
        """This line with its quantity negated: exactly the opposite net amount (half-up is
        symmetric around zero), the same price and tax rate."""
        return attrs.evolve(self, quantity=-self.quantity)


_set_net = LineItem.__dict__["_net"].__set__


def _discount_percent(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    v.finite_decimal(instance, attribute, value)
    if not _ZERO < value < HUNDRED:
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "a percentage above 0 and below 100"
        )


@attrs.frozen(kw_only=True)
class PaymentTerms:
    """When an invoice is due, and the cash discount for paying early.

    The invoice is due ``net_days`` after its issue date. With a cash discount,
    a payment made at most ``discount_days`` after the issue date (inclusive)
    may deduct ``discount_percent`` percent of the gross amount.
    """

    net_days: int = attrs.field(default=14, validator=v.non_negative_int)
    discount_percent: Decimal | None = attrs.field(
        default=None,
        converter=v.to_decimal,
        validator=_discount_percent,
    )
    discount_days: int | None = attrs.field(default=None, validator=v.optional(v.non_negative_int))

    def __attrs_post_init__(self) -> None:
        if (self.discount_percent is None) != (self.discount_days is None):
            raise InvalidValueError(
                "PaymentTerms.discount_days",
                self.discount_days,
                "discount_percent and discount_days given together or not at all",
            )
        if self.discount_days is not None and self.discount_days > self.net_days:
            raise InvalidValueError(
                "PaymentTerms.discount_days",
                self.discount_days,
                f"at most net_days ({self.net_days})",
            )

    def due_date(self, issue_date: _dt.date) -> _dt.date:
        """The due date of an invoice issued on ``issue_date``."""
        return add_days(as_date(issue_date, "PaymentTerms.due_date.issue_date"), self.net_days)

    def discount_deadline(self, issue_date: _dt.date) -> _dt.date | None:
        """The last day (inclusive) a cash discount may be taken, or None without one."""
        day = as_date(issue_date, "PaymentTerms.discount_deadline.issue_date")
        if self.discount_days is None:
            return None
        return add_days(day, self.discount_days)

    def discount_on(self, base: Money, *, issue_date: _dt.date, on: _dt.date) -> Money:
        """The cash discount these terms give a payment made on ``on`` towards an invoice
        issued on ``issue_date`` whose gross less its credit notes is ``base``:
        ``discount_percent`` percent of ``base``, rounded half-up to the minor unit, up to
        the deadline (inclusive); zero after it, without a cash discount, or when ``base``
        is not positive."""
        if not isinstance(base, Money):
            raise InvalidTypeError("PaymentTerms.discount_on.base", base, "a Money")
        day = as_date(on, "PaymentTerms.discount_on.on")
        deadline = self.discount_deadline(issue_date)
        percent = self.discount_percent
        if percent is None or deadline is None or day > deadline or not base.is_positive:
            return Money.zero(base.currency)
        return base.scaled(percent.scaleb(-2))  # one half-up rounding, in Money's exact context


@attrs.frozen(kw_only=True)
class Payment:
    """Money received for an invoice, booked on day ``on``.

    ``discount`` is the cash discount granted with this payment (it settles part
    of the invoice without money changing hands); None when none was taken.
    ``value_date`` is the day the money arrived on the account (the bank statement's value
    date, Wertstellung), when it differs from the day it is booked: it decides the cash
    discount, the interest and the fees of notices sent after it (:attr:`valued`).
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    amount: Money = attrs.field(validator=v.positive_money)
    reference: str = attrs.field(default="", validator=v.text)
    discount: Money | None = attrs.field(default=None, validator=v.optional(v.non_negative_money))
    value_date: _dt.date | None = attrs.field(default=None, validator=v.optional(v.calendar_date))

    @v.passes_when("{discount} is None")
    def __attrs_post_init__(self) -> None:
        if self.discount is not None and self.discount.currency != self.amount.currency:
            raise InvalidValueError(
                "Payment.discount", self.discount, f"an amount in {self.amount.currency}"
            )

    @property
    def settled(self) -> Money:
        """What this payment settles: the amount received plus any cash discount."""
        return self.amount if self.discount is None else self.amount + self.discount

    @property
    def valued(self) -> _dt.date:
        """The day the money counts from: its value date, else the day it was booked."""
        return self.on if self.value_date is None else self.value_date


@attrs.frozen(kw_only=True)
class FeeWaiver:
    """Dunning fees of ``amount`` taken back on day ``on``
    (:func:`dunlib.payments.waive_fees`): no longer owed, the notices that charged them
    stay as sent. ``reason`` says why: most often that the notice went out after the money
    had arrived (its value date), when nothing was open any more, and so should not have
    charged a fee; or goodwill.
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    amount: Money = attrs.field(validator=v.positive_money)
    reason: str = attrs.field(default="", validator=v.text)

    def described(self, *, left: Money) -> str:
        """The history entry's detail booking this waiver, ``left`` open after it."""
        why = f": {self.reason}" if self.reason else ""
        return f"fees of {self.amount} waived{why}; open {left}"


@attrs.frozen(kw_only=True)
class Reversal:
    """A payment taken back on day ``on`` (:func:`dunlib.payments.reverse_payment`): booked to
    the wrong invoice, or a SEPA direct debit the customer's bank returned. ``payment`` is
    the position of the payment in the invoice's payments (from 0); the payment stays
    there, as booked, and counts for nothing from this day on: what it settled (with its
    cash discount) is open again. ``reason`` says why (a return's SEPA reason code and
    text, ``MD06 refund requested by the debtor``), and ``bank_fee`` what the bank charged
    for the return (None: nothing): kept apart, it is not owed on the invoice.
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    payment: int = attrs.field(validator=v.non_negative_int)
    reason: str = attrs.field(default="", validator=v.text)
    bank_fee: Money | None = attrs.field(default=None, validator=v.optional(v.positive_money))

    def described(self, payment: Payment, *, left: Money) -> str:
        """The history entry's detail booking this reversal of ``payment``, ``left`` open
        after it."""
        why = f": {self.reason}" if self.reason else ""
        fee = f"; bank fee {self.bank_fee} kept apart" if self.bank_fee is not None else ""
        return f"payment of {payment.amount} of {payment.on} reversed{why}{fee}; open {left}"


@attrs.frozen(kw_only=True)
class CreditNote:
    """A credit note (Gutschrift): reduces what the customer owes by ``amount`` (gross).

    ``drafted_by`` is the id of whoever drafted it (empty when unknown): under the 4- and
    6-eye policies someone else books it (:func:`dunlib.record_credit_note`).
    """

    id: str = attrs.field(validator=v.non_empty_text)
    on: _dt.date = attrs.field(validator=v.calendar_date)
    amount: Money = attrs.field(validator=v.positive_money)
    reason: str = attrs.field(default="", validator=v.text)
    drafted_by: str = attrs.field(default="", validator=v.text)
    lines: tuple[LineItem, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=v.tuple_of(LineItem, "LineItem")
    )


def _no_flat_fee(stage: IssuedStage) -> Money | None:
    """Zero in the fee's currency (None for a fee that is no Money: its validator says so)."""
    fee: object = stage.fee
    return Money.zero(fee.currency) if isinstance(fee, Money) else None


@attrs.frozen(kw_only=True)
class IssuedStage:
    """A dunning document (reminder or notice) sent for an invoice.

    ``level`` counts from 1, ``on`` is the document's date (later stages count
    from it), ``due_date`` the document's own payment deadline and ``fee`` the
    dunning fee it charged (zero when none), ``flat_fee`` the part of that fee that is
    the § 288 (5) BGB flat fee (zero when none; it is claimed once). ``stage_number`` is
    the position (from 1) in the rules of the stage the document was issued for, so that
    the ladder stays put
    when a stage is switched off later; None for documents recorded before it was kept
    (the engine then takes the ``level``-th active stage, as it always did).
    """

    level: int = attrs.field(validator=v.non_negative_int)
    on: _dt.date = attrs.field(validator=v.calendar_date)
    due_date: _dt.date = attrs.field(validator=v.calendar_date)
    fee: Money = attrs.field(validator=v.non_negative_money)
    stage_number: int | None = attrs.field(default=None, validator=v.optional(v.positive_int))
    flat_fee: Money = attrs.field(
        default=attrs.Factory(_no_flat_fee, takes_self=True), validator=v.non_negative_money
    )

    @v.passes_when("{level} >= 1 and {due_date} >= {on} and not {flat_fee}.amount")
    def __attrs_post_init__(self) -> None:
        if self.level < 1:
            raise InvalidValueError("IssuedStage.level", self.level, "a level of 1 or more")
        if self.due_date < self.on:
            raise InvalidValueError(
                "IssuedStage.due_date", self.due_date, f"on or after the document date {self.on}"
            )
        if self.flat_fee.amount and not (
            self.flat_fee.currency == self.fee.currency and self.flat_fee <= self.fee
        ):
            raise InvalidValueError(
                "IssuedStage.flat_fee", self.flat_fee, f"at most the fee {self.fee}, part of it"
            )


@attrs.frozen(kw_only=True)
class InterestCharge:
    """Default interest charged on day ``on`` (settled after fees, before principal)."""

    on: _dt.date = attrs.field(validator=v.calendar_date)
    amount: Money = attrs.field(validator=v.positive_money)
    detail: str = attrs.field(default="", validator=v.text)


@attrs.frozen(kw_only=True)
class WriteOff:
    """An amount cleared on day ``on`` without money changing hands, with its ``reason``.

    A cancellation writes off the original invoice's whole claim (its gross is offset by
    the cancelling invoice, its fees and interest are waived), and the cancelling invoice's
    negative claim is cleared against the original the same way (a negative amount); a
    write-off as uncollectible clears what is open. Written-off amounts are settled after
    money: the principal first, then fees, then interest.
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    amount: Money = attrs.field(validator=v.money)
    reason: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        if self.amount.is_zero:
            raise InvalidValueError("WriteOff.amount", self.amount, "an amount other than zero")


@attrs.frozen(kw_only=True)
class Recovery:
    """Money received on day ``on`` for an invoice written off as uncollectible
    (:func:`dunlib.payments.record_recovery`): a booking of its own, beside the write-off, which
    stays. ``reference`` names where it came from (a collector's statement, a bank line).

    The invoice's recoveries add up to at most what was written off
    (:attr:`~dunlib.core.invoice.Invoice.recovered`); money received for it is
    ``paid + recovered``, the loss ``written_off - recovered``.
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    amount: Money = attrs.field(validator=v.positive_money)
    reference: str = attrs.field(default="", validator=v.text)

    def described(self, *, recovered: Money, written_off: Money) -> str:
        """The history entry's detail booking this recovery: its amount and reference, and
        ``recovered`` (every recovery up to this one) of ``written_off``."""
        source = f" ({self.reference})" if self.reference else ""
        return (
            f"recovery of {self.amount} received{source}; "
            f"recovered {recovered} of {written_off} written off"
        )


DIRECT_DEBIT_RETURN_DAYS = 5
"""The default return window of a SEPA direct debit hold, in interbank (TARGET2) business
days after the collection date: the debtor's bank may return a SEPA Core direct debit up
to five of them after settlement (EPC SEPA Core Direct Debit Rulebook, returns: "within
5 Inter-Bank Business Days"); dunning waits until the window has passed (see
:class:`Hold`). The refund a consumer may ask for within eight weeks is not waited for:
it comes back as a return."""


MAX_RETURN_DAYS = 300
"""The longest return window a direct debit hold may have, in TARGET2 business days: more
than the 13 months in which a debtor may claim back an unauthorised SEPA debit."""


@quick.cached(quick.RETURN_WINDOWS)
def _returned_by(collected: _dt.date, days: int) -> _dt.date:
    """The last day of a direct debit's return window: ``days`` TARGET2 business days after
    the collection day."""
    return add_working_days(collected, days, TARGET2)


class HoldKind(Enum):
    """Why dunning of an invoice (or of a customer's account) is held."""

    DISPUTE = "dispute"
    """The customer contests the invoice; dunning waits until the dispute is settled."""
    PROMISE_TO_PAY = "promise_to_pay"
    """The customer promised to pay by a day; a broken promise resumes dunning the day
    after."""
    DIRECT_DEBIT = "direct_debit"
    """A SEPA direct debit is pending: dunning waits for its collection date and return
    window."""


@attrs.frozen(kw_only=True)
class Hold:
    """A dated hold on dunning: from ``on`` (inclusive) to its end, for ``reason``.

    ``until`` is the last day of the hold, after which dunning resumes by itself: for a
    dispute it is optional (None: until it is lifted), for a promise to pay it is the day
    the customer promised to pay by, for a direct debit the collection date. A direct
    debit holds ``return_days`` TARGET2 business days longer (the bank's return window,
    :data:`DIRECT_DEBIT_RETURN_DAYS` by default, counted on
    :data:`~dunlib.core.calendars.TARGET2`; zero for the other kinds): collected on
    Wednesday 3 June 2026, it holds up to Wednesday 10 June.
    ``lifted_on`` is the day the hold was lifted before its end (None while it was not):
    from that day on it no longer holds. Build one with :meth:`dispute`,
    :meth:`promise_to_pay` or :meth:`direct_debit`.
    """

    kind: HoldKind = attrs.field(validator=v.of_type(HoldKind, expected="a HoldKind"))
    on: _dt.date = attrs.field(validator=v.calendar_date)
    reason: str = attrs.field(validator=v.non_empty_text)
    until: _dt.date | None = attrs.field(default=None, validator=v.optional(v.calendar_date))
    return_days: int = attrs.field(default=0, validator=v.non_negative_int)
    lifted_on: _dt.date | None = attrs.field(default=None, validator=v.optional(v.calendar_date))

    def __attrs_post_init__(self) -> None:
        if self.until is None and self.kind is not HoldKind.DISPUTE:
            raise InvalidValueError(
                "Hold.until", None, f"the last day of the hold: a {self.kind.name} hold ends"
            )
        if self.until is not None and self.until < self.on:
            raise InvalidValueError(
                "Hold.until", self.until, f"on or after the hold's day {self.on}"
            )
        if self.return_days and self.kind is not HoldKind.DIRECT_DEBIT:
            raise InvalidValueError(
                "Hold.return_days", self.return_days, "0: only a direct debit has a return window"
            )
        if self.return_days > MAX_RETURN_DAYS:
            raise InvalidValueError(
                "Hold.return_days",
                self.return_days,
                f"at most {MAX_RETURN_DAYS} business days (the longest SEPA refund period, "
                "13 months)",
            )
        if self.until is not None:
            try:
                end = _returned_by(self.until, self.return_days)
            except InvalidValueError:
                end = _dt.date.max
            if end == _dt.date.max:
                raise InvalidValueError(
                    "Hold.return_days", self.return_days, f"a window ending before {_dt.date.max}"
                )
        if self.lifted_on is not None and self.lifted_on < self.on:
            raise InvalidValueError(
                "Hold.lifted_on", self.lifted_on, f"on or after the hold's day {self.on}"
            )

    @classmethod
    def dispute(cls, *, on: _dt.date, reason: str, until: _dt.date | None = None) -> Hold:
        """The customer contests the invoice from ``on``; dunning waits until ``until``
        (inclusive) or, without one, until the hold is lifted."""
        return cls(kind=HoldKind.DISPUTE, on=on, reason=reason, until=until)

    @classmethod
    def promise_to_pay(cls, *, on: _dt.date, until: _dt.date, reason: str) -> Hold:
        """On ``on`` the customer promised to pay by ``until``: no dunning up to that day;
        still open the day after, the promise is broken and dunning resumes."""
        return cls(kind=HoldKind.PROMISE_TO_PAY, on=on, reason=reason, until=until)

    @classmethod
    def direct_debit(
        cls,
        *,
        on: _dt.date,
        collection_date: _dt.date,
        return_days: int = DIRECT_DEBIT_RETURN_DAYS,
        reason: str = "SEPA direct debit pending",
    ) -> Hold:
        """A SEPA direct debit collects the invoice on ``collection_date``: no dunning up to
        that day plus ``return_days`` (the window in which the debit may still come back)."""
        return cls(
            kind=HoldKind.DIRECT_DEBIT,
            on=on,
            reason=reason,
            until=collection_date,
            return_days=return_days,
        )

    @property
    def ends_on(self) -> _dt.date | None:
        """The last day the hold holds (inclusive): the day before it was lifted, else
        ``until`` plus the return window (TARGET2 business days); None for an open-ended
        hold not lifted."""
        planned = self.until
        if planned is not None and self.return_days:
            planned = _returned_by(planned, self.return_days)
        if self.lifted_on is None:
            return planned
        # the day before the lift (before ``on`` when lifted the day it was placed: it never held)
        lifted = _dt.date.fromordinal(max(self.lifted_on.toordinal() - 1, 1))
        return lifted if planned is None else min(planned, lifted)

    @property
    def resumes_on(self) -> _dt.date | None:
        """The first day dunning is no longer held (the day after :attr:`ends_on`), or None."""
        end = self.ends_on
        return None if end is None else add_days(end, 1)

    def holds_on(self, *, today: _dt.date) -> bool:
        """True when the hold holds on ``today``: on or after ``on``, up to its end."""
        day = as_date(today, "Hold.holds_on.today")
        end = self.ends_on
        return self.on <= day and (end is None or day <= end)
