"""Default interest (Verzugszinsen), the flat fee and the start of default, German law.

**Rates (§ 288 (1), (2) BGB).** Default interest runs at the base rate (Basiszinssatz,
§ 247 BGB) plus 5 percentage points, or plus 9 where no consumer is a party (a
business debtor, :attr:`~dunlib.core.records.CustomerKind.BUSINESS`).

**The old 8-point rule (Art. 229 § 34 EGBGB).** § 288 BGB as in force since 29 July
2014 (9 points, the flat fee of § 288 (5)) applies only to an obligation that arose
after 28 July 2014. Pass ``concluded_on``, the day the contract was concluded, to
:func:`default_interest`, :func:`accrued_interest` and :func:`flat_fee`: for an
obligation concluded before :data:`NEW_RULES_FROM` a business debtor owes the base
rate plus :data:`OLD_BUSINESS_MARGIN` (8 points) and no flat fee; a consumer's rate
(5 points) did not change. A continuing obligation (Dauerschuldverhältnis) concluded
earlier falls under the new rules for counter-performance rendered after 30 June 2016
(Art. 229 § 34 sentence 2): leave ``concluded_on`` out (None) for such claims.

**Base rates.** :data:`BASE_RATES` holds every base rate since 1 January 2002 with the
day it took effect, as published by the Deutsche Bundesbank in the Bundesanzeiger
(§ 247 (2) BGB). Source: Deutsche Bundesbank, "Basiszinssatz nach § 247 BGB",
https://www.bundesbank.de/de/bundesbank/organisation/agb-und-regelungen/basiszinssatz-607820
(the official table of all values), and its announcements, e.g. "Basiszinssatz bleibt
ab 1. Januar 2026 bei 1,27 %" (published in the Bundesanzeiger on 24 December 2025).
Every entry was compared with the Bundesbank's statistics series of the base rate
(BBIN1, M.DE.BBK.BBKBAS2.EUR.ME, as of October 2025), and the values to 2007 with the
Federal Law Gazette notices listed with § 247 BGB (``tests/test_interest.py`` names the
copies compared). The table is plain data, pairs of (day it took effect, rate in percent
as an exact ``Decimal``), oldest first; pass your own (``BASE_RATES + ((day, rate),)``,
or another country's reference rate) as ``base_rates``, or give it to the engine as
:attr:`dunlib.dunning.stages.DunningRules.base_rates`; :func:`checked_base_rates` checks one.

**Day count: act/365.** Interest for a day is ``principal x rate / 100 / 365``, in every
year: a leap year's 29 February is a day like any other, so a whole leap year yields
366/365 of the annual rate. That is the "Tageszinsformel" of the German courts and the
common calculators (Kapital x Tage x Prozentsatz / (365 x 100)); it keeps interest per
day constant within a rate period. Other conventions found in published computations
are available through :class:`DayCount` (``day_count=`` of :func:`default_interest`):
``ACT_360`` (actual days over a 360-day year, as some lawyers' programs and cost
computations count) and ``ACT_ACT`` (each day over the days of its own calendar year,
366 in a leap year). Every convention counts actual days; the 30-day-month count
(30/360) is not offered.

**Periods.** A period is half open, ``[start, end)``: ``start`` counts, ``end`` does not.
It is split wherever the base rate changes (1 January and 1 July).

**One rounding point.** The exact sum over all parts of a period (and, in
:func:`accrued_interest`, over all parts of constant principal) is rounded once, half up
to the currency's minor unit (:meth:`~dunlib.core.money.Money.rounded`). Interest over
``[a, c)`` therefore differs from interest over ``[a, b)`` plus ``[b, c)`` by at most one
minor unit (three roundings of at most half a unit each, on a whole number of units).

**Start of default (§ 286 BGB).** :func:`default_begins` names the first day interest
runs for: the day after the first dunning notice dated on or after the due date (the
notice's date is taken as the day it reaches the debtor), or, at the latest, the day
after the 30-day period from the later of the due date and receipt of the invoice
(§ 286 (3): no payment within 30 days) -- for a consumer only when the invoice said so
(:attr:`~dunlib.core.invoice.Invoice.warns_of_default`). When the contract fixed the
payment date by the calendar (§ 286 (2) no. 1: "Der Mahnung bedarf es nicht, wenn für
die Leistung eine Zeit nach dem Kalender bestimmt ist"), pass ``due_date_agreed=True``:
default then begins without a notice on the day after the due date, for consumers too.
A due date the creditor alone sets on the invoice is no such agreement.

**Deadlines on a day off (§ 193 BGB).** A period or a payment date that ends on a
Saturday, a Sunday or a public holiday ends on the next working day (for the 30 days of
§ 286 (3): BGH, judgment of 1 February 2007, III ZR 159/06). The 30-day period and the
agreed due date move by the ``calendar`` given (the engine: its rules' calendar), and
never end on a Saturday or Sunday even without one (:data:`WEEKDAYS`): with day 30 on
Saturday 2 May 2026, the period ends on Monday 4 May and default begins on Tuesday 5 May.

**Claims.** :func:`accrued_interest` is the interest not yet charged on an invoice up to a
day, computed per period of constant principal (a partial payment reduces the principal
from its value date on). An :class:`~dunlib.core.records.InterestCharge` booked on day ``d`` is
taken to cover every day before ``d``: the next claim starts on ``d``, so successive
claims never count a day twice.

:func:`dunlib.dunning.interest_charges.record_interest` books an
:class:`~dunlib.core.records.InterestCharge` through the one booking path (the table's INTEREST
row, SENT and DUNNED, once the invoice is due): payments then settle it after fees and
before the principal (BGB §367).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import itertools
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Context, Decimal, Inexact, InvalidOperation, Overflow
from enum import Enum
from typing import Any

from dunlib.core.calendars import Calendar, WeekendCalendar, roll_forward
from dunlib.core.dates import add_days, as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.instalments import held_days
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money
from dunlib.core.records import CustomerKind
from dunlib.payments.allocation import replay

__all__ = [
    "BASE_RATES",
    "BUSINESS_MARGIN",
    "CONSUMER_MARGIN",
    "DAYS_PER_YEAR",
    "FLAT_FEE",
    "NEW_RULES_FROM",
    "OLD_BUSINESS_MARGIN",
    "WEEKDAYS",
    "BaseRates",
    "DayCount",
    "accrued_interest",
    "checked_base_rates",
    "default_begins",
    "default_interest",
    "flat_fee",
]

BaseRates = tuple[tuple[_dt.date, Decimal], ...]
"""A base-rate table: (day it took effect, rate in percent) pairs, oldest first."""


def _d(text: str) -> Decimal:
    return Decimal(text)


BASE_RATES: BaseRates = (
    (_dt.date(2002, 1, 1), _d("2.57")),
    (_dt.date(2002, 7, 1), _d("2.47")),
    (_dt.date(2003, 1, 1), _d("1.97")),
    (_dt.date(2003, 7, 1), _d("1.22")),
    (_dt.date(2004, 1, 1), _d("1.14")),
    (_dt.date(2004, 7, 1), _d("1.13")),
    (_dt.date(2005, 1, 1), _d("1.21")),
    (_dt.date(2005, 7, 1), _d("1.17")),
    (_dt.date(2006, 1, 1), _d("1.37")),
    (_dt.date(2006, 7, 1), _d("1.95")),
    (_dt.date(2007, 1, 1), _d("2.70")),
    (_dt.date(2007, 7, 1), _d("3.19")),
    (_dt.date(2008, 1, 1), _d("3.32")),
    (_dt.date(2008, 7, 1), _d("3.19")),
    (_dt.date(2009, 1, 1), _d("1.62")),
    (_dt.date(2009, 7, 1), _d("0.12")),
    (_dt.date(2011, 7, 1), _d("0.37")),
    (_dt.date(2012, 1, 1), _d("0.12")),
    (_dt.date(2013, 1, 1), _d("-0.13")),
    (_dt.date(2013, 7, 1), _d("-0.38")),
    (_dt.date(2014, 1, 1), _d("-0.63")),
    (_dt.date(2014, 7, 1), _d("-0.73")),
    (_dt.date(2015, 1, 1), _d("-0.83")),
    (_dt.date(2016, 7, 1), _d("-0.88")),
    (_dt.date(2023, 1, 1), _d("1.62")),
    (_dt.date(2023, 7, 1), _d("3.12")),
    (_dt.date(2024, 1, 1), _d("3.62")),
    (_dt.date(2024, 7, 1), _d("3.37")),
    (_dt.date(2025, 1, 1), _d("2.27")),
    (_dt.date(2025, 7, 1), _d("1.27")),
)
"""The base rate (Basiszinssatz, § 247 BGB) in percent, with the day each value took
effect, oldest first. Only changes are listed: a half-year whose rate stayed the same
(such as 1 January 2026, unchanged at 1.27) keeps the previous entry. See the module
docs for the source."""

CONSUMER_MARGIN = Decimal(5)
"""Percentage points above the base rate when a consumer owes (§ 288 (1) BGB)."""
BUSINESS_MARGIN = Decimal(9)
"""Percentage points above the base rate when no consumer is a party (§ 288 (2) BGB)."""
OLD_BUSINESS_MARGIN = Decimal(8)
"""Percentage points above the base rate for a business debtor under an obligation that
arose before :data:`NEW_RULES_FROM` (§ 288 (2) BGB as in force until 28 July 2014,
Art. 229 § 34 EGBGB)."""
NEW_RULES_FROM = _dt.date(2014, 7, 29)
"""The first day of § 288 BGB as amended by the law against late payment in commercial
transactions: obligations that arose from this day on owe 9 points and the flat fee
(Art. 229 § 34 EGBGB)."""
DAYS_PER_YEAR = 365
"""The day-count divisor (act/365, in leap years too; see the module docs)."""
FLAT_FEE = Money("40.00", "EUR")
"""The flat fee a business debtor in default owes (§ 288 (5) BGB)."""


class DayCount(Enum):
    """How a day's share of the annual rate is counted (actual days in every convention)."""

    ACT_365 = "act/365"
    """A day is 1/365 of a year, in leap years too: the German courts' day formula (the
    default)."""
    ACT_360 = "act/360"
    """A day is 1/360 of a year (the banks' year, used by some lawyers' programs)."""
    ACT_ACT = "act/act"
    """A day is 1/365 of a year, or 1/366 in a leap year."""


_QUOTIENT = Context(prec=80, rounding=ROUND_HALF_UP, traps=[InvalidOperation, Overflow])
"""For the one division by 36 500: 80 digits, far beyond any amount's, before the single
rounding to the minor unit."""
_EXACT = Context(prec=200, traps=[InvalidOperation, Overflow, Inexact])


def checked_base_rates(base_rates: object, field: str = "base_rates") -> BaseRates:
    """``base_rates`` as a checked table (a tuple of (date, Decimal) pairs), or an
    :class:`~dunlib.core.errors.InvalidValueError` / :class:`~dunlib.core.errors.InvalidTypeError`
    naming ``field``: at least one pair, days strictly increasing, each rate a finite
    Decimal above -5."""
    expected = (
        "pairs (datetime.date, Decimal percent) in strictly increasing date order, "
        "at least one, each rate a finite Decimal above -5"
    )
    if not isinstance(base_rates, Iterable) or isinstance(base_rates, str | bytes):
        raise InvalidTypeError(field, base_rates, expected)
    pairs: list[tuple[_dt.date, Decimal]] = []
    for item in base_rates:
        if not isinstance(item, tuple) or len(item) != 2:
            raise InvalidTypeError(field, item, expected)
        day, rate = item
        day = as_date(day, f"{field}[{len(pairs)}][0]")
        if not isinstance(rate, Decimal) or not rate.is_finite() or rate <= -CONSUMER_MARGIN:
            raise InvalidValueError(f"{field}[{len(pairs)}][1]", rate, expected)
        if pairs and day <= pairs[-1][0]:
            raise InvalidValueError(f"{field}[{len(pairs)}][0]", day, expected)
        pairs.append((day, rate))
    if not pairs:
        raise InvalidValueError(field, base_rates, expected)
    return tuple(pairs)


_PREPARED: dict[int, tuple[object, BaseRates, tuple[_dt.date, ...]]] = {}
"""Base-rate tables already checked, by the id of the tuple given (kept with it, so the id
is not reused), with the days their rates take effect: a table is checked once, not on
every computation."""
_MAX_PREPARED = 64


def _prepared(base_rates: object) -> tuple[BaseRates, tuple[_dt.date, ...]]:
    """``base_rates`` checked (:func:`checked_base_rates`) and the days of its rates, looked
    up once per tuple (a tuple of (date, Decimal) pairs cannot change)."""
    kept = _PREPARED.get(id(base_rates))
    if kept is not None and kept[0] is base_rates:
        return kept[1], kept[2]
    rates = checked_base_rates(base_rates)
    days = tuple(day for day, _ in rates)
    if isinstance(base_rates, tuple):
        if len(_PREPARED) >= _MAX_PREPARED:
            _PREPARED.clear()
        _PREPARED[id(base_rates)] = (base_rates, rates, days)
    return rates, days


def _checked_period(start: object, end: object, rates: BaseRates) -> tuple[_dt.date, _dt.date]:
    first = as_date(start, "default_interest.start")
    last = as_date(end, "default_interest.end")
    if last < first:
        raise InvalidValueError("default_interest.end", last, f"on or after the start {first}")
    if first < rates[0][0] and first != last:
        raise InvalidValueError(
            "default_interest.start", first, f"on or after {rates[0][0]}, the first base rate"
        )
    return first, last


RateDays = dict[int, Decimal]
"""Exact sums of percent x days, by the day-count divisor they are to be divided by."""


def _years(low: _dt.date, high: _dt.date, day_count: DayCount) -> Iterator[tuple[int, int]]:
    """(divisor, days) for the days of ``[low, high)``: one part, or one per calendar year
    under act/act."""
    if day_count is DayCount.ACT_360:
        yield 360, (high - low).days
    elif day_count is DayCount.ACT_365:
        yield DAYS_PER_YEAR, (high - low).days
    else:
        while low < high:
            rest_of_year = (_dt.date(low.year, 12, 31) - low).days + 1
            days = min((high - low).days, rest_of_year)
            yield (366 if calendar.isleap(low.year) else 365), days
            low = low + _dt.timedelta(days)


def _rate_days(
    start: _dt.date,
    end: _dt.date,
    margin: Decimal,
    rates: BaseRates,
    day_count: DayCount = DayCount.ACT_365,
    into: RateDays | None = None,
    weight: Decimal = Decimal(1),
    starts: tuple[_dt.date, ...] | None = None,
) -> RateDays:
    """The exact sums of weight x (base rate + margin) x days over the parts of
    ``[start, end)``, by divisor, added to ``into`` (``starts``: the days of ``rates``, to
    begin at the rate in force on ``start``)."""
    total: RateDays = {} if into is None else into
    first = 0 if starts is None else max(bisect.bisect_right(starts, start) - 1, 0)
    for index in range(first, len(rates)):  # the rates before ``first`` end before ``start``
        since, base = rates[index]
        if since >= end:
            break
        until = rates[index + 1][0] if index + 1 < len(rates) else _dt.date.max
        low, high = max(start, since), min(end, until)
        if low < high:
            rate = _EXACT.multiply(weight, _EXACT.add(base, margin))
            for divisor, days in _years(low, high, day_count):
                total[divisor] = _EXACT.add(
                    total.get(divisor, Decimal(0)), _EXACT.multiply(rate, days)
                )
    return total


def _margin(business: object, field: str, concluded_on: _dt.date | None = None) -> Decimal:
    if not isinstance(business, bool):
        raise InvalidTypeError(field, business, "a bool (True for a business debtor)")
    if not business:
        return CONSUMER_MARGIN
    if concluded_on is not None and concluded_on < NEW_RULES_FROM:
        return OLD_BUSINESS_MARGIN
    return BUSINESS_MARGIN


def _concluded(value: object, field: str) -> _dt.date | None:
    return None if value is None else as_date(value, field)


def _day_count(value: object, field: str) -> DayCount:
    if not isinstance(value, DayCount):
        raise InvalidTypeError(field, value, "a DayCount")
    return value


def _rounded(rate_days: RateDays, currency: str) -> Money:
    """The one rounding point: exact principal x percent x days, divided by 100 x the
    day-count divisor (80 digits), summed, then rounded half up to the minor unit."""
    total = Decimal(0)
    for divisor, amount in sorted(rate_days.items()):
        total = _QUOTIENT.add(total, _QUOTIENT.divide(amount, 100 * divisor))
    return Money.rounded(total, currency)


def _principal(value: object, field: str) -> Money:
    if not isinstance(value, Money):
        raise InvalidTypeError(field, value, "a Money")
    if value.is_negative:
        raise InvalidValueError(field, value, "an amount of zero or more")
    return value


def default_interest(
    principal: Money,
    start: _dt.date,
    end: _dt.date,
    *,
    business: bool,
    base_rates: BaseRates = BASE_RATES,
    day_count: DayCount = DayCount.ACT_365,
    concluded_on: _dt.date | None = None,
) -> Money:
    """Default interest on ``principal`` over the days ``[start, end)`` (§ 288 BGB).

    Base rate plus :data:`BUSINESS_MARGIN` (``business``) or :data:`CONSUMER_MARGIN`,
    split at every change in ``base_rates``, act/365 unless ``day_count`` says
    otherwise, rounded once half up to the minor unit. A business debtor under a
    contract ``concluded_on`` a day before :data:`NEW_RULES_FROM` owes
    :data:`OLD_BUSINESS_MARGIN` instead (Art. 229 § 34 EGBGB). Zero for an empty period
    (``start == end``). Raises :class:`~dunlib.core.errors.InvalidValueError` for a period
    that ends before it starts or starts before the first base rate, a negative
    principal or malformed rates.
    """
    amount = _principal(principal, "default_interest.principal")
    margin = _margin(
        business,
        "default_interest.business",
        _concluded(concluded_on, "default_interest.concluded_on"),
    )
    count = _day_count(day_count, "default_interest.day_count")
    rates, days = _prepared(base_rates)
    first, last = _checked_period(start, end, rates)
    rate_days = _rate_days(first, last, margin, rates, count, weight=amount.amount, starts=days)
    return _rounded(rate_days, amount.currency)


def flat_fee(business: bool, *, concluded_on: _dt.date | None = None) -> Money:
    """The flat fee for a debtor in default (§ 288 (5) BGB): 40 EUR for a business debtor,
    zero for a consumer, and zero under a contract ``concluded_on`` a day before
    :data:`NEW_RULES_FROM` (the flat fee came with the amendment of 29 July 2014,
    Art. 229 § 34 EGBGB)."""
    day = _concluded(concluded_on, "flat_fee.concluded_on")
    if _margin(business, "flat_fee.business", day) is BUSINESS_MARGIN:
        return FLAT_FEE
    return Money.zero(FLAT_FEE.currency)


def _is_business(invoice: Invoice) -> bool:
    return invoice.customer.kind is CustomerKind.BUSINESS


WEEKDAYS: Calendar = WeekendCalendar()
"""The working days every period ends on at the least (§ 193 BGB: never on a Saturday or
Sunday): the calendar of :func:`default_begins` when none is given."""


def default_begins(
    invoice: Invoice,
    *,
    received_on: _dt.date | None = None,
    due_date_agreed: bool = False,
    calendar: Calendar | None = None,
) -> _dt.date | None:
    """The first day of default on ``invoice`` (the first day interest runs for), or None.

    The earliest of (§ 286 BGB):

    * the day after the due date, when ``due_date_agreed``: the contract fixed the
      payment date by the calendar, so no notice is needed (§ 286 (2) no. 1), for
      consumers too; a due date on a day off moves to the next working day first
      (§ 193 BGB);

    * the day after the first dunning notice dated on or after the due date (§ 286 (1):
      the notice's date is taken as the day it reaches the debtor; a reminder before the
      due date does not count);
    * the day after the 30-day period that starts with the later of the due date and
      ``received_on``, the day the invoice reached the debtor (default: its issue date) --
      § 286 (3): no payment within 30 days. The period's 30th day on a Saturday, Sunday or
      public holiday ends it on the next working day (§ 193 BGB; BGH, judgment of
      1 February 2007, III ZR 159/06): default begins the day after that. For a consumer
      only when the invoice said so (:attr:`~dunlib.core.invoice.Invoice.warns_of_default`).

    ``calendar`` names the working days (None: :data:`WEEKDAYS`, Monday to Friday; pass a
    :class:`~dunlib.core.calendars.HolidayCalendar` for the public holidays at the place of
    performance). None when nothing applies (a consumer without that notice and without a
    dunning notice). The engine uses this same function, on its rules' calendar, for the
    interest and the flat fee a stage claims.
    """
    checked_invoice(invoice, "default_begins")
    received = _received(invoice, received_on, due_date_agreed)
    return _begins(invoice, received, due_date_agreed, _calendar(calendar, "default_begins"))


def _calendar(value: object, function: str) -> Calendar:
    if value is None:
        return WEEKDAYS
    if not isinstance(value, Calendar):
        raise InvalidTypeError(
            f"{function}.calendar", value, "a Calendar (an object with is_working_day) or None"
        )
    return value


def _received(invoice: Invoice, received_on: object, due_date_agreed: object) -> _dt.date:
    """The day ``invoice`` reached the debtor (``received_on``, else its issue date), with
    ``due_date_agreed`` checked: the arguments of :func:`default_begins`."""
    received = (
        invoice.issue_date
        if received_on is None
        else as_date(received_on, "default_begins.received_on")
    )
    if not isinstance(due_date_agreed, bool):
        raise InvalidTypeError(
            "default_begins.due_date_agreed",
            due_date_agreed,
            "a bool (True when the contract fixed the payment date by the calendar)",
        )
    return received


def _begins(
    invoice: Invoice, received: _dt.date, due_date_agreed: bool, calendar: Calendar = WEEKDAYS
) -> _dt.date | None:
    """:func:`default_begins` of arguments already checked."""
    due = invoice.due_date
    candidates: list[_dt.date] = []
    if due_date_agreed:
        candidates.append(add_days(_working(due, calendar), 1))
    notice = next((n for n in invoice.issued_stages if n.on >= due), None)
    if notice is not None:
        candidates.append(add_days(notice.on, 1))
    if _is_business(invoice) or invoice.warns_of_default:
        candidates.append(add_days(_working(add_days(max(due, received), 30), calendar), 1))
    return min(candidates, default=None)


def _working(day: _dt.date, calendar: Calendar) -> _dt.date:
    """``day``, or the next working day when it is a day off (§ 193 BGB)."""
    return day if calendar.is_working_day(day) else roll_forward(day, calendar)


def _claim_start(
    invoice: Invoice, received: _dt.date, due_date_agreed: bool, calendar: Calendar
) -> _dt.date | None:
    begins = _begins(invoice, received, due_date_agreed, calendar)
    if begins is None or not invoice.interest_charges:
        return begins
    return max([begins, *(charge.on for charge in invoice.interest_charges)])


def _changes(invoice: Invoice) -> Iterable[_dt.date]:
    """The days the principal may change: each payment's value date, each credit note,
    write-off and payment taken back."""
    for payment in invoice.payments:
        yield payment.valued
    for group in (invoice.credit_notes, invoice.write_offs, invoice.reversals):
        item: Any
        for item in group:
            yield item.on


def _waived(invoice: Invoice) -> list[tuple[_dt.date, _dt.date]]:
    """The days instalment plans waiving interest held: from each plan's day to the day it
    ends (exclusive)."""
    return [
        held_days(plan, invoice.kept_payments, invoice.credit_notes)
        for plan in invoice.instalment_plans
        if plan.waives_interest
    ]


def accrued_interest(
    invoice: Invoice,
    until: _dt.date,
    *,
    received_on: _dt.date | None = None,
    base_rates: BaseRates = BASE_RATES,
    due_date_agreed: bool = False,
    concluded_on: _dt.date | None = None,
    calendar: Calendar | None = None,
) -> Money:
    """Default interest on ``invoice`` not yet charged, over the days before ``until``.

    From :func:`default_begins` (or from the date of the last
    :class:`~dunlib.core.records.InterestCharge`, which covers every day before it, if later)
    up to ``until`` (exclusive), per period of constant principal: the principal open at
    the start of each day, after the payments valued on or before it (a payment lowers the
    principal from its value date on, :attr:`~dunlib.core.records.Payment.valued`, even
    when it was booked later) and the credit notes, write-offs and payments taken back
    dated on or before it. The days an
    instalment plan that waives interest held (from its day up to the day before it ended:
    paid, missed or cancelled; :mod:`dunlib.dunning.instalments`) count for nothing. Rate by
    the customer's kind (and ``concluded_on``, as in :func:`default_interest`), act/365;
    one rounding for the whole sum. ``received_on``, ``due_date_agreed`` and ``calendar`` go
    to :func:`default_begins`. Zero before default.
    """
    checked_invoice(invoice, "accrued_interest")
    last = as_date(until, "accrued_interest.until")
    rates, days = _prepared(base_rates)
    margin = _margin(
        _is_business(invoice),
        "accrued_interest.business",
        _concluded(concluded_on, "accrued_interest.concluded_on"),
    )
    received = _received(invoice, received_on, due_date_agreed)
    days_off = _calendar(calendar, "accrued_interest")
    start = _claim_start(invoice, received, due_date_agreed, days_off)
    if start is None or last <= start:
        return Money.zero(invoice.currency)
    _checked_period(start, last, rates)
    total: RateDays = {}
    waived = _waived(invoice)
    if not (invoice.payments or invoice.credit_notes or invoice.write_offs or waived):
        gross = invoice.gross.amount  # the principal of every day: nothing lowers it
        if gross > 0:
            _rate_days(start, last, margin, rates, into=total, weight=gross, starts=days)
        return _rounded(total, invoice.currency)
    edges = [*_changes(invoice), *(day for period in waived for day in period)]
    bounds = sorted({start, last, *(day for day in edges if start < day < last)})
    for low, high in itertools.pairwise(bounds):
        if any(begin <= low < end for begin, end in waived):
            continue  # a day an instalment plan waiving interest held
        principal = replay(invoice, low, valued=True).principal  # open when ``low`` starts
        if principal > 0:
            _rate_days(low, high, margin, rates, into=total, weight=principal, starts=days)
    return _rounded(total, invoice.currency)
