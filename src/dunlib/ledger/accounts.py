"""Charts of accounts: which account number each role of a booking is posted to.

A :class:`Chart` is data: the caller may replace any account (:meth:`Chart.replaced`,
``attrs.evolve`` or a chart of their own). :data:`SKR03` and :data:`SKR04` are the DATEV
standard charts' accounts for the roles dunlib books. Revenue, output VAT, cash discounts
granted, bad debts and recoveries are chosen by the line's tax category
(:class:`~dunlib.core.records.TaxCategory`), never by its rate; the other roles take none.

Every default number and name below was checked against a published source (docs/ledger.md
lists them with their addresses):

- odoo's German charts, built from DATEV's (``addons/l10n_de/data/template/
  account.account-de_skr03.csv`` and ``-de_skr04.csv`` in github.com/odoo/odoo): names and
  numbers of 1700, 1771, 1776, 2400, 2401, 2406, 2650, 2732, 2742 (SKR 03) and 4100, 4120,
  4125, 4300, 4337, 4338, 4400, 4730, 4731, 4736, 4741, 4743, 4925, 4970, 3500, 6930, 6931,
  6936, 7100 (SKR 04);
- buchungssatz.de's SKR 03 class 8 (https://www.buchungssatz.de/de/konto/skr03/klasse8/
  8000.html and .../kontenrahmen/skr03/seite26.html): 8100, 8120, 8125, 8300, 8337, 8338,
  8730, 8731, 8736, 8741, 8743;
- Haufe Finance Office (Forderungsberichtigung 9.3 Forderungsausfall): 1776/3806, 1771/3801,
  and that 2406/2401 (SKR 03) and 6936/6931 (SKR 04) are automatic accounts; Haufe's
  "Zinsen 1": 1200/1800 Bank and 2650/7100 Sonstige Zinsen und ähnliche Erträge;
- intex-publishing.de's Buchungsmuster (SKR03/SKR04): 1410/1210 Forderungen aus L+L ohne
  Kontokorrent, 1400/1200 "nicht bebuchbar", 2732/4925;
- infoportal-buchhaltung.com "Gewährte Skonti": 8736/4736 and that the discount's VAT is
  corrected automatically;
- Buhl (buhl.de FAQ 2696) and Lexware (FAQ 000031929) for 8290/4290 "Erlöse 0 % USt": not a
  labelled account of DATEV's standard chart, to be set up in DATEV alike.

Choices, with their reasons:

- **Receivables** are 1410/1210 "Forderungen aus Lieferungen und Leistungen ohne
  Kontokorrent": 1400/1200 are DATEV's collective accounts of the debtors and cannot be
  booked directly. A caller keeping a debtor account per customer (10000-69999) replaces the
  receivables account with it (``SKR03.replaced(Role.RECEIVABLES, "10001")``).
- **Customer credit** (an overpayment or a credit note kept for later invoices) is a debt to
  the customer, not an advance payment on an order (which would carry VAT under § 13 (1)
  Nr. 1a Satz 4 UStG): it goes to 1700/3500 "Sonstige Verbindlichkeiten", where HGB shows
  debtors with a credit balance ("kreditorische Debitoren", § 246 (2) HGB forbids netting
  them with receivables).
- **Dunning fees** are damages, not consideration (no VAT): 2742/4970
  "Versicherungsentschädigungen und Schadenersatzleistungen". **Default interest** is damages
  too (Abschn. 1.3 (6) UStAE): 2650/7100 "Sonstige Zinsen und ähnliche Erträge".
- **Outside the scope** of VAT is 8338/4338 (services taxable in a third country); use
  8339/4339 for services taxable in another EU country.

An *automatic account* (DATEV function AM) computes the output VAT of what is booked on it
from the gross amount: 8400, 8300, 8736, 8731, 2406, 2401 (SKR 03) and 4400, 4300, 4736,
4731, 6936, 6931 (SKR 04). :attr:`Chart.automatic` names them with their rate, which the
DATEV export needs (:mod:`dunlib.ledger.datev`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import DunlibError, InvalidTypeError, InvalidValueError
from dunlib.core.records import TaxCategory

__all__ = ["CATEGORIZED", "SKR03", "SKR04", "Chart", "MissingAccountError", "Role"]


class Role(Enum):
    """What an account is for in dunlib's bookings."""

    RECEIVABLES = "receivables"
    BANK = "bank"
    REVENUE = "revenue"
    OUTPUT_VAT = "output_vat"
    DISCOUNTS_GRANTED = "discounts_granted"
    BAD_DEBTS = "bad_debts"
    RECOVERIES = "recoveries"
    FEE_INCOME = "fee_income"
    INTEREST_INCOME = "interest_income"
    CUSTOMER_CREDIT = "customer_credit"


CATEGORIZED = frozenset(
    {Role.REVENUE, Role.OUTPUT_VAT, Role.DISCOUNTS_GRANTED, Role.BAD_DEBTS, Role.RECOVERIES}
)
"""The roles whose account depends on the tax category of what is booked."""

Key = tuple[Role, TaxCategory | None]
"""Where an account is kept in a chart: its role, and its tax category where the role has
one (None otherwise)."""


class MissingAccountError(DunlibError, LookupError):
    """A chart has no account for a role (and tax category) a booking needs.

    ``chart`` is the chart's name, ``role`` the :class:`Role` and ``category`` the
    :class:`~dunlib.core.records.TaxCategory` asked for (None for a role without one).
    """

    def __init__(self, chart: str, role: Role, category: TaxCategory | None) -> None:
        self.chart = chart
        self.role = role
        self.category = category
        where = f"{role.name}" + (f" in category {category.name}" if category else "")
        super().__init__(
            f"the chart {chart!r} has no account for {where}: "
            "give it one with Chart.replaced(role, account, category)"
        )


def _key(key: Any) -> Key:
    if isinstance(key, Role):
        key = (key, None)
    if (
        not isinstance(key, tuple)
        or len(key) != 2
        or not isinstance(key[0], Role)
        or not (key[1] is None or isinstance(key[1], TaxCategory))
    ):
        raise InvalidTypeError(
            "Chart.accounts", key, "a Role, or a (Role, TaxCategory) pair for a role by category"
        )
    role, category = key
    if (role in CATEGORIZED) != (category is not None):
        expected = (
            f"{role.name} with a TaxCategory"
            if role in CATEGORIZED
            else f"{role.name} without a category"
        )
        raise InvalidValueError("Chart.accounts", key, expected)
    return (role, category)


def _account(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        raise InvalidValueError(field, value, "an account number of digits, such as '8400'")
    return value


def _accounts(value: Any) -> Mapping[Key, str]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError("Chart.accounts", value, "a mapping of roles to account numbers")
    return MappingProxyType(
        {_key(key): _account(number, "Chart.accounts") for key, number in value.items()}
    )


def _rates(value: Any) -> Mapping[str, Decimal]:
    if not isinstance(value, Mapping):
        raise InvalidTypeError("Chart.automatic", value, "a mapping of accounts to VAT rates")
    rates: dict[str, Decimal] = {}
    for number, rate in value.items():
        percent = v.to_decimal(rate)
        if not isinstance(percent, Decimal) or not percent.is_finite() or percent <= 0:
            raise InvalidValueError("Chart.automatic", rate, "a VAT rate in percent above 0")
        rates[_account(number, "Chart.automatic")] = percent
    return MappingProxyType(rates)


@attrs.frozen(kw_only=True)
class Chart:
    """A chart of accounts: the account number for each role dunlib books.

    ``accounts`` maps a :class:`Role` to its account, or a ``(Role, TaxCategory)`` pair for
    the roles in :data:`CATEGORIZED`; ``automatic`` names the DATEV automatic accounts
    (function AM) with the VAT rate in percent they compute; ``skr`` is the DATEV chart's
    number for the export's header ("03", "04"; empty for a chart of one's own).
    """

    name: str = attrs.field(validator=v.non_empty_text)
    accounts: Mapping[Key, str] = attrs.field(converter=_accounts)
    automatic: Mapping[str, Decimal] = attrs.field(factory=dict, converter=_rates)
    skr: str = attrs.field(default="", validator=v.text)

    def account(self, role: Role, category: TaxCategory | None = None) -> str:
        """The account number ``role`` is booked to; for revenue, output VAT, discounts
        granted, bad debts and recoveries the one for the line's tax ``category``.

        Raises :class:`MissingAccountError` when the chart has none, and
        :class:`~dunlib.core.errors.InvalidValueError` when a category is given to a role
        without one, or missing for a role that needs one.
        """
        number = self.accounts.get(_key((role, category)))
        if number is None:
            raise MissingAccountError(self.name, role, category)
        return number

    def replaced(self, role: Role, account: str, category: TaxCategory | None = None) -> Chart:
        """This chart with ``account`` for ``role`` (in ``category``): for example a debtor
        account of its own per customer for :attr:`Role.RECEIVABLES`."""
        key = _key((role, category))
        return attrs.evolve(self, accounts={**self.accounts, key: account})

    def roles_of(self, account: str) -> tuple[Key, ...]:
        """Every (role, category) this chart books to ``account``, in the order kept."""
        return tuple(key for key, number in self.accounts.items() if number == account)


_ZERO = (
    TaxCategory.ZERO,
    TaxCategory.EXEMPT,
    TaxCategory.REVERSE_CHARGE,
    TaxCategory.INTRA_COMMUNITY,
    TaxCategory.EXPORT,
    TaxCategory.OUTSIDE_SCOPE,
)


def _chart(
    name: str,
    skr: str,
    plain: dict[Role, str],
    by_category: dict[Role, dict[TaxCategory, str]],
    automatic: dict[str, int],
) -> Chart:
    accounts: dict[Any, str] = dict(plain)
    for role, numbers in by_category.items():
        for category, number in numbers.items():
            accounts[(role, category)] = number
    return Chart(name=name, skr=skr, accounts=accounts, automatic=automatic)


def _each(number: str) -> dict[TaxCategory, str]:
    return dict.fromkeys(TaxCategory, number)


def _zero(number: str) -> dict[TaxCategory, str]:
    return dict.fromkeys(_ZERO, number)


SKR03 = _chart(
    "SKR03",
    "03",
    {
        Role.RECEIVABLES: "1410",  # Forderungen aus Lieferungen und Leistungen ohne Kontokorrent
        Role.BANK: "1200",  # Bank
        Role.FEE_INCOME: "2742",  # Versicherungsentschädigungen und Schadenersatzleistungen
        Role.INTEREST_INCOME: "2650",  # Sonstige Zinsen und ähnliche Erträge
        Role.CUSTOMER_CREDIT: "1700",  # Sonstige Verbindlichkeiten
    },
    {
        Role.REVENUE: {
            TaxCategory.STANDARD: "8400",  # Erlöse 19 % USt (AM)
            TaxCategory.REDUCED: "8300",  # Erlöse 7 % USt (AM)
            TaxCategory.ZERO: "8290",  # Erlöse 0 % USt (to be set up in DATEV)
            TaxCategory.EXEMPT: "8100",  # Steuerfreie Umsätze § 4 Nr. 8 ff. UStG
            TaxCategory.REVERSE_CHARGE: "8337",  # Erlöse aus Leistungen nach § 13b UStG
            TaxCategory.INTRA_COMMUNITY: "8125",  # Steuerfreie ig. Lieferungen § 4 Nr. 1b
            TaxCategory.EXPORT: "8120",  # Steuerfreie Umsätze § 4 Nr. 1a UStG
            TaxCategory.OUTSIDE_SCOPE: "8338",  # im Drittland steuerbare Leistungen
        },
        Role.OUTPUT_VAT: {
            TaxCategory.STANDARD: "1776",  # Umsatzsteuer 19 %
            TaxCategory.REDUCED: "1771",  # Umsatzsteuer 7 %
        },
        Role.DISCOUNTS_GRANTED: {
            **_zero("8730"),  # Gewährte Skonti
            TaxCategory.STANDARD: "8736",  # Gewährte Skonti 19 % USt (AM)
            TaxCategory.REDUCED: "8731",  # Gewährte Skonti 7 % USt (AM)
            TaxCategory.REVERSE_CHARGE: "8741",  # Gewährte Skonti ... § 13b UStG
            TaxCategory.INTRA_COMMUNITY: "8743",  # Gewährte Skonti ... § 4 Nr. 1b UStG
        },
        Role.BAD_DEBTS: {
            **_zero("2400"),  # Forderungsverluste (übliche Höhe)
            TaxCategory.STANDARD: "2406",  # Forderungsverluste 19 % USt (übliche Höhe) (AM)
            TaxCategory.REDUCED: "2401",  # Forderungsverluste 7 % USt (übliche Höhe) (AM)
        },
        Role.RECOVERIES: _each("2732"),  # Erträge aus abgeschriebenen Forderungen
    },
    {"8400": 19, "8300": 7, "8736": 19, "8731": 7, "2406": 19, "2401": 7},
)
"""DATEV's SKR 03 (Prozessgliederungsprinzip) for the roles dunlib books."""

SKR04 = _chart(
    "SKR04",
    "04",
    {
        Role.RECEIVABLES: "1210",  # Forderungen aus Lieferungen und Leistungen ohne Kontokorrent
        Role.BANK: "1800",  # Bank
        Role.FEE_INCOME: "4970",  # Versicherungsentschädigungen und Schadenersatzleistungen
        Role.INTEREST_INCOME: "7100",  # Sonstige Zinsen und ähnliche Erträge
        Role.CUSTOMER_CREDIT: "3500",  # Sonstige Verbindlichkeiten
    },
    {
        Role.REVENUE: {
            TaxCategory.STANDARD: "4400",  # Erlöse 19 % USt (AM)
            TaxCategory.REDUCED: "4300",  # Erlöse 7 % USt (AM)
            TaxCategory.ZERO: "4290",  # Erlöse 0 % USt (to be set up in DATEV)
            TaxCategory.EXEMPT: "4100",  # Steuerfreie Umsätze § 4 Nr. 8 ff. UStG
            TaxCategory.REVERSE_CHARGE: "4337",  # Erlöse aus Leistungen nach § 13b UStG
            TaxCategory.INTRA_COMMUNITY: "4125",  # Steuerfreie ig. Lieferungen § 4 Nr. 1b
            TaxCategory.EXPORT: "4120",  # Steuerfreie Umsätze nach § 4 Nr. 1a UStG
            TaxCategory.OUTSIDE_SCOPE: "4338",  # im Drittland steuerbare Leistungen
        },
        Role.OUTPUT_VAT: {
            TaxCategory.STANDARD: "3806",  # Umsatzsteuer 19 %
            TaxCategory.REDUCED: "3801",  # Umsatzsteuer 7 %
        },
        Role.DISCOUNTS_GRANTED: {
            **_zero("4730"),  # Gewährte Skonti
            TaxCategory.STANDARD: "4736",  # Gewährte Skonti 19 % USt (AM)
            TaxCategory.REDUCED: "4731",  # Gewährte Skonti 7 % USt (AM)
            TaxCategory.REVERSE_CHARGE: "4741",  # Gewährte Skonti ... § 13b UStG
            TaxCategory.INTRA_COMMUNITY: "4743",  # Gewährte Skonti ... § 4 Nr. 1b UStG
        },
        Role.BAD_DEBTS: {
            **_zero("6930"),  # Forderungsverluste (übliche Höhe)
            TaxCategory.STANDARD: "6936",  # Forderungsverluste 19 % USt (übliche Höhe) (AM)
            TaxCategory.REDUCED: "6931",  # Forderungsverluste 7 % USt (übliche Höhe) (AM)
        },
        Role.RECOVERIES: _each("4925"),  # Erträge aus abgeschriebenen Forderungen
    },
    {"4400": 19, "4300": 7, "4736": 19, "4731": 7, "6936": 19, "6931": 7},
)
"""DATEV's SKR 04 (Abschlussgliederungsprinzip) for the roles dunlib books."""
