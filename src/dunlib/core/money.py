"""Money: an exact ``Decimal`` amount in one ISO 4217 currency.

Rounding rule (the only one in dunlib): **half-up to the currency's minor unit**
(``ROUND_HALF_UP``). It is applied only where a result can have more digits than
the currency allows, and every such place says so: :meth:`Money.rounded`,
:meth:`Money.scaled` and the tax computation of an invoice. Adding and
subtracting never round. :meth:`Money.allocate` splits without losing a cent.

The minor units (EUR 2, JPY 0, KWD 3) come from the Unicode CLDR data that
``babel`` ships, not from a hand-typed table. The codes that ISO 4217 gives no minor
unit at all (:data:`NO_MINOR_UNIT`: precious metals, units of account, the testing
code and "no currency"), which CLDR reports with 2 decimal places, are refused: an
amount in them has no smallest unit to round to.

All decimal arithmetic on amounts runs in dunlib's own ``decimal`` context, so
sums and products are exact and the result never depends on the precision,
rounding mode or traps of the caller's thread context. An amount has at most
25 digits before the decimal point.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import (
    MAX_EMAX,
    MIN_EMIN,
    ROUND_DOWN,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from functools import cache
from typing import Any

import attrs
from babel.numbers import get_currency_precision, list_currencies

from dunlib.core import quick
from dunlib.core.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from dunlib.core.exact import EXACT, ROUNDING

__all__ = ["NO_MINOR_UNIT", "ROUNDING", "Money", "minor_unit", "sum_money"]


_MAX_DIGITS = 25
_TOO_LARGE = f"an amount of at most {_MAX_DIGITS} digits before the decimal point"

_EXACT = EXACT

_SHARES = Context(
    prec=100,
    rounding=ROUNDING,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""For the quotients of :meth:`Money.allocate`, which need not terminate."""


NO_MINOR_UNIT: frozenset[str] = frozenset(
    {
        "XAG",  # silver
        "XAU",  # gold
        "XBA",  # bond markets unit: European Composite Unit (EURCO)
        "XBB",  # bond markets unit: European Monetary Unit (E.M.U.-6)
        "XBC",  # bond markets unit: European Unit of Account 9 (E.U.A.-9)
        "XBD",  # bond markets unit: European Unit of Account 17 (E.U.A.-17)
        "XDR",  # special drawing right (IMF)
        "XPD",  # palladium
        "XPT",  # platinum
        "XSU",  # sucre (ALBA unit of account)
        "XTS",  # reserved for testing
        "XUA",  # ADB unit of account
        "XXX",  # no currency involved
    }
)
"""The ISO 4217 codes whose minor unit is "N.A." (none): refused as a Money currency.

CLDR, and so ``babel``, reports 2 decimal places for each of them; ISO 4217 gives
them no minor unit, so there is no smallest amount to be exact to.
"""

_NO_MINOR_UNIT = "a currency with a minor unit, such as 'EUR' ({code} has none in ISO 4217)"


@cache
def _known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def _check_code(currency: object) -> str:
    if not isinstance(currency, str) or currency not in _known_currencies():
        raise InvalidValueError(
            "Money.currency", currency, "an ISO 4217 code in upper case, such as 'EUR'"
        )
    if currency in NO_MINOR_UNIT:
        raise InvalidValueError("Money.currency", currency, _NO_MINOR_UNIT.format(code=currency))
    return currency


def minor_unit(currency: str) -> int:
    """Number of decimal places of ``currency`` (EUR 2, JPY 0, KWD 3), from CLDR."""
    return _minor_unit(_check_code(currency))


@quick.cached(quick.MINOR_UNITS)
def _minor_unit(currency: str) -> int:
    return int(get_currency_precision(currency))


def _quantum(currency: str) -> Decimal:
    """The smallest amount of ``currency`` (0.01 for EUR)."""
    if type(currency) is str:
        quantum = _QUANTA.get(currency)
        if quantum is not None:
            return quantum
    quantum = Decimal(1).scaleb(-minor_unit(currency))
    _QUANTA[currency] = quantum
    return quantum


_QUANTA: dict[str, Decimal] = {}
_ZEROS: dict[str, Money] = {}


def to_decimal(value: Any) -> Decimal:
    if type(value) is Decimal and value.is_finite():
        return value
    if isinstance(value, float):
        raise InvalidTypeError(
            "Money.amount",
            value,
            "a Decimal, an int or a decimal string such as '119.00' (a float cannot hold "
            "cents exactly)",
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidTypeError("Money.amount", value, "a Decimal, an int or a decimal string")
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise InvalidValueError(
            "Money.amount", value, "a decimal number such as '119.00'"
        ) from None
    if not amount.is_finite():
        raise InvalidValueError("Money.amount", value, "a finite number")
    return amount


def _at_minor_unit(value: Decimal, quantum: Decimal) -> Decimal | None:
    """``value`` rounded half-up to ``quantum``, or None beyond 25 digits before the point."""
    if not value or value.adjusted() < _MAX_DIGITS:
        exact = value.quantize(quantum, ROUNDING, _EXACT)
        if exact.adjusted() < _MAX_DIGITS:
            return exact
    return None


def _exact_amount(currency: str, amount: Decimal) -> Decimal:
    """Quantise ``amount`` to the currency's minor unit, refusing anything that would round."""
    exact = _at_minor_unit(amount, _quantum(currency))
    if exact is None:
        raise InvalidValueError("Money.amount", amount, _TOO_LARGE)
    if exact != amount:
        raise InvalidValueError(
            "Money.amount",
            amount,
            f"at most {minor_unit(currency)} decimal places for {currency}; "
            f"round explicitly with Money.rounded()",
        )
    return exact


@attrs.frozen(order=False)
class Money:
    """An amount of one currency, exact to the currency's minor unit.

    ``Money("119.00", "EUR")``, ``Money(Decimal("119"), "EUR")`` and
    ``Money(119, "EUR")`` are the same value; the amount is stored with the
    currency's number of decimal places. Floats are refused, and so is an amount
    with more decimal places than the currency has: use :meth:`rounded` to round.
    A currency without a minor unit (:data:`NO_MINOR_UNIT`, such as ``XAU``) is refused.

    The builtin ``sum`` adds amounts of one currency: ``sum([a, b])`` is ``a + b``. It
    starts from the int ``0``, which is the only non-Money value an amount may be added
    to; ``sum`` of no amounts is that ``0``, so use :func:`sum_money` where the list may
    be empty or its currency must be checked.
    """

    amount: Decimal = attrs.field(converter=to_decimal)
    currency: str = attrs.field()

    def __attrs_post_init__(self) -> None:
        amount, currency = self.amount, self.currency
        quantum = _QUANTA.get(currency) if type(currency) is str else None
        if quantum is not None and amount and amount.adjusted() < _MAX_DIGITS:
            # the common case, first: a known currency, an amount other than zero that fits
            exact = amount.quantize(quantum, ROUNDING, _EXACT)
            if exact == amount and exact.adjusted() < _MAX_DIGITS:
                _set_amount(self, exact)
                return
        exact = _exact_amount(currency, amount)
        _set_amount(self, exact if exact else exact.copy_abs())

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str) -> Money:
        """A Money from an amount already exact in a known currency (results of arithmetic)."""
        money = object.__new__(cls)
        _set_amount(money, amount if amount else amount.copy_abs())
        _set_currency(money, currency)
        return money

    # -- construction -------------------------------------------------------

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Nothing, in ``currency``."""
        zero = _ZEROS.get(currency) if type(currency) is str else None
        if zero is None:
            zero = cls._trusted(_EXACT.multiply(_quantum(currency), 0), currency)  # 0.00 EUR
            _ZEROS[currency] = zero
        return zero

    @classmethod
    def rounded(cls, amount: Decimal | int | str, currency: str) -> Money:
        """Money from an amount with any number of digits, rounded half-up to the minor unit.

        This is a rounding point: use it where a computation (a percentage, a
        quotient) produced more digits than the currency has.
        """
        exact = _at_minor_unit(to_decimal(amount), _quantum(currency))
        if exact is None:
            raise InvalidValueError("Money.amount", amount, _TOO_LARGE)
        return cls._trusted(exact, currency)

    # -- arithmetic ---------------------------------------------------------

    def _same_currency(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            raise InvalidTypeError(f"Money.{operation}", other, "a Money")
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency, operation)
        return other

    def __add__(self, other: Money) -> Money:
        other = self._same_currency(other, "add")
        return Money._trusted(_EXACT.add(self.amount, other.amount), self.currency)

    def __radd__(self, other: int) -> Money:
        """``0 + amount`` is the amount: the start of the builtin ``sum``; nothing else."""
        if type(other) is int and other == 0:
            return self
        raise InvalidTypeError(
            "Money.add", other, "a Money (or the int 0 that the builtin sum() starts from)"
        )

    def __sub__(self, other: Money) -> Money:
        other = self._same_currency(other, "subtract")
        return Money._trusted(_EXACT.subtract(self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        return Money._trusted(self.amount.copy_negate(), self.currency)

    def __abs__(self) -> Money:
        return Money._trusted(self.amount.copy_abs(), self.currency)

    def scaled(self, factor: Decimal | int) -> Money:
        """This amount times ``factor``, rounded half-up to the minor unit (a rounding point)."""
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            raise InvalidTypeError("Money.scaled.factor", factor, "a Decimal or an int")
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise InvalidValueError("Money.scaled.factor", factor, "a finite number")
        scaled = _scaled(self, factor)
        if scaled is None:
            raise InvalidValueError(
                "Money.scaled.factor", factor, f"a factor that leaves {_TOO_LARGE}"
            )
        return scaled

    def allocate(self, ratios: Sequence[Decimal | int]) -> tuple[Money, ...]:
        """Split this amount by ``ratios`` so that the parts add up exactly to the whole.

        Largest-remainder method: every part gets its exact share rounded toward
        zero, then the minor units left over go one each to the parts with the
        largest remainders (the earlier part wins a tie). No part differs from its
        exact share by a whole minor unit or more. Ratios must be zero or more and
        not all zero.
        """
        try:
            weights = tuple(ratios)
        except TypeError:
            raise InvalidTypeError(
                "Money.allocate.ratios", ratios, "a sequence of ratios"
            ) from None
        if not weights:
            raise InvalidValueError("Money.allocate.ratios", weights, "at least one ratio")
        for weight in weights:
            if isinstance(weight, bool) or not isinstance(weight, Decimal | int):
                raise InvalidTypeError("Money.allocate.ratios", weight, "Decimals or ints")
            if not Decimal(weight).is_finite() or weight < 0:
                raise InvalidValueError("Money.allocate.ratios", weight, "ratios >= 0")
        if not any(weights):
            raise InvalidValueError("Money.allocate.ratios", weights, "ratios not all zero")
        quantum = _quantum(self.currency)
        units = int(self.amount.copy_abs().scaleb(minor_unit(self.currency), _EXACT))
        with localcontext(_SHARES):
            try:
                total_weight = sum((Decimal(w) for w in weights), Decimal(0))
            except Overflow:  # a sum beyond the exponent range of Decimal itself
                raise InvalidValueError(
                    "Money.allocate.ratios", weights, "ratios whose sum a Decimal can hold"
                ) from None
            exact = [units * (Decimal(w) / total_weight) for w in weights]
            floors = [int(share.to_integral_value(ROUND_DOWN)) for share in exact]
            remainders = [share - floor for share, floor in zip(exact, floors, strict=True)]
        left_over = units - sum(floors)
        by_remainder = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
        for index in by_remainder[:left_over]:
            floors[index] += 1
        sign = -1 if self.amount < 0 else 1
        return tuple(
            Money._trusted(_EXACT.multiply(sign * part, quantum), self.currency) for part in floors
        )

    # -- comparison ---------------------------------------------------------

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same_currency(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same_currency(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same_currency(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same_currency(other, "compare").amount

    @property
    def is_zero(self) -> bool:
        """True when the amount is exactly nothing."""
        return self.amount == 0

    @property
    def is_positive(self) -> bool:
        """True when the amount is more than nothing."""
        return self.amount > 0

    @property
    def is_negative(self) -> bool:
        """True when the amount is less than nothing."""
        return self.amount < 0

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def _scaled(money: Money, factor: Decimal | int) -> Money | None:
    """``money`` times the finite ``factor``, rounded half-up to the minor unit (a rounding
    point); None where the result would have more than 25 digits before the point."""
    currency = money.currency
    try:
        exact = _at_minor_unit(
            _EXACT.multiply(money.amount, factor), _QUANTA.get(currency) or _quantum(currency)
        )
    except DecimalException:  # beyond the exponent range of Decimal itself
        return None
    if exact is None:
        return None
    scaled = _new_money(Money)  # as Money._trusted makes it: every line item computes its net
    _set_amount(scaled, exact if exact else exact.copy_abs())
    _set_currency(scaled, currency)
    return scaled


_set_amount = Money.amount.__set__  # type: ignore[attr-defined]
_set_currency = Money.currency.__set__  # type: ignore[attr-defined]
"""The slots of an amount, set once when :meth:`Money._trusted` makes it."""
_new_money = object.__new__


def sum_money(amounts: Iterable[Money], currency: str) -> Money:
    """The exact sum of ``amounts``, all in ``currency`` (zero when there are none)."""
    total = Money.zero(currency).amount
    try:
        items = iter(amounts)
    except TypeError:
        raise InvalidTypeError("sum_money.amounts", amounts, "an iterable of Money") from None
    for amount in items:
        if not isinstance(amount, Money):
            raise InvalidTypeError("Money.add", amount, "a Money")
        if amount.currency != currency:
            raise CurrencyMismatchError(currency, amount.currency, "add")
        total = _EXACT.add(total, amount.amount)
    return Money._trusted(total, currency)
