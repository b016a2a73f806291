"""Money: construction, arithmetic within one currency, rounding and allocation."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, Inexact, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import InvalidTypeError, InvalidValueError, Money
from dunlib.core import CurrencyMismatchError
from dunlib.core.money import NO_MINOR_UNIT, minor_unit, sum_money
from dunlib.strategies import amounts, currencies


def test_amount_forms_are_equal() -> None:
    """A decimal string, a Decimal and an int give the same value, stored at the minor unit."""
    assert Money("119.00", "EUR") == Money(Decimal("119"), "EUR") == Money(119, "EUR")
    assert Money(119, "EUR").amount.as_tuple().exponent == -2


@pytest.mark.parametrize(("code", "places"), [("EUR", 2), ("JPY", 0), ("KWD", 3), ("CHF", 2)])
def test_minor_units_come_from_cldr(code: str, places: int) -> None:
    """The minor unit of each currency matches ISO 4217 (EUR 2, JPY 0, KWD 3)."""
    assert minor_unit(code) == places


def test_float_is_refused() -> None:
    """A float cannot hold cents exactly, so it is refused with a typed error."""
    with pytest.raises(InvalidTypeError, match="Money.amount: got 0.1"):
        Money(0.1, "EUR")


@pytest.mark.parametrize(
    ("amount", "currency", "error", "text"),
    [
        ("1.005", "EUR", InvalidValueError, "at most 2 decimal places"),
        ("1.5", "JPY", InvalidValueError, "at most 0 decimal places"),
        ("abc", "EUR", InvalidValueError, "a decimal number"),
        ("NaN", "EUR", InvalidValueError, "finite"),
        ("Infinity", "EUR", InvalidValueError, "finite"),
        ("1e40", "EUR", InvalidValueError, "at most 25 digits"),
        (True, "EUR", InvalidTypeError, "Money.amount"),
        (None, "EUR", InvalidTypeError, "Money.amount"),
        ("1", "eur", InvalidValueError, "ISO 4217"),
        ("1", "ZZZ", InvalidValueError, "ISO 4217"),
        ("1", 978, InvalidValueError, "ISO 4217"),
    ],
)
def test_bad_money_is_refused(amount: object, currency: object, error: type, text: str) -> None:
    """Each kind of bad amount or currency raises its typed error naming what is valid."""
    with pytest.raises(error, match=text):
        Money(amount, currency)  # type: ignore[arg-type]


def test_rounded_is_half_up() -> None:
    """Money.rounded rounds half-up to the minor unit (the documented rounding point)."""
    assert Money.rounded("1.005", "EUR") == Money("1.01", "EUR")
    assert Money.rounded("-1.005", "EUR") == Money("-1.01", "EUR")
    assert Money.rounded("2.5", "JPY") == Money(3, "JPY")
    assert Money("10.00", "EUR").scaled(Decimal("0.19")) == Money("1.90", "EUR")
    assert Money("0.05", "EUR").scaled(Decimal("0.5")) == Money("0.03", "EUR")


def test_rounded_refuses_huge_amounts() -> None:
    """An amount too large to hold at the minor unit is refused, not silently truncated."""
    with pytest.raises(InvalidValueError, match="at most 25 digits"):
        Money.rounded("1e40", "EUR")


def test_scaled_refuses_float() -> None:
    """Scaling by a float is refused like constructing from one."""
    with pytest.raises(InvalidTypeError):
        Money("1.00", "EUR").scaled(0.5)  # type: ignore[arg-type]


def test_currency_mismatch_names_both() -> None:
    """Adding, subtracting or comparing across currencies names both currencies."""
    euro, dollar = Money(1, "EUR"), Money(1, "USD")
    with pytest.raises(CurrencyMismatchError, match="EUR and USD"):
        euro + dollar
    with pytest.raises(CurrencyMismatchError):
        euro - dollar
    for compare in (euro.__lt__, euro.__le__, euro.__gt__, euro.__ge__):
        with pytest.raises(CurrencyMismatchError, match="compare"):
            compare(dollar)
    with pytest.raises(InvalidTypeError):
        euro + 1  # type: ignore[operator]


def test_signs_and_order() -> None:
    """Negation, absolute value, comparisons and sign predicates behave as on numbers."""
    five = Money("5.00", "EUR")
    assert -five == Money("-5.00", "EUR")
    assert abs(-five) == five
    assert Money.zero("EUR").is_zero
    assert five.is_positive
    assert (-five).is_negative
    assert Money(1, "EUR") < five <= five
    assert five > Money(1, "EUR")
    assert five >= five
    assert str(five) == "5.00 EUR"
    assert str(-Money.zero("EUR")) == str(Money("-0.00", "EUR")) == "0.00 EUR"  # no negative zero
    assert sum_money([five, five], "EUR") == Money(10, "EUR")
    assert sum_money([], "JPY") == Money(0, "JPY")


@given(a=amounts(currency="EUR"), b=amounts(currency="EUR"), c=amounts(currency="EUR"))
def test_addition_is_associative_and_commutative(a: Money, b: Money, c: Money) -> None:
    """Law: within one currency, (a + b) + c == a + (b + c) and a + b == b + a."""
    assert (a + b) + c == a + (b + c)
    assert a + b == b + a
    assert (a + b) - b == a


@given(
    whole=currencies().flatmap(lambda code: amounts(currency=code, min_value=-10_000)),
    ratios=st.lists(
        st.integers(min_value=0, max_value=1000)
        | st.decimals(min_value=0, max_value=1000, places=6, allow_nan=False),
        min_size=1,
        max_size=12,
    ).filter(any),
)
def test_allocate_sums_to_whole_within_one_minor_unit(
    whole: Money, ratios: list[int | Decimal]
) -> None:
    """Law: allocated parts add up exactly to the whole, and each part is less than one minor
    unit away from its exact share (computed here as an exact fraction)."""
    parts = whole.allocate(ratios)
    assert len(parts) == len(ratios)
    assert sum_money(parts, whole.currency) == whole
    unit = Fraction(1, 10 ** minor_unit(whole.currency))
    total = sum(Fraction(ratio) for ratio in ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        exact = Fraction(whole.amount) * Fraction(ratio) / total
        assert abs(Fraction(part.amount) - exact) < unit


def test_allocate_example_and_ties() -> None:
    """Ten euros in three: the leftover cent goes to the first part (earlier part wins a tie)."""
    assert Money("10.00", "EUR").allocate([1, 1, 1]) == (
        Money("3.34", "EUR"),
        Money("3.33", "EUR"),
        Money("3.33", "EUR"),
    )
    assert Money("0.05", "EUR").allocate([Decimal("0.5"), Decimal("0.5")]) == (
        Money("0.03", "EUR"),
        Money("0.02", "EUR"),
    )


@pytest.mark.parametrize(
    ("ratios", "error"),
    [
        ([], InvalidValueError),
        ([0, 0], InvalidValueError),
        ([1, -1], InvalidValueError),
        ([1.5], InvalidTypeError),
        ([True], InvalidTypeError),
        ([Decimal("NaN")], InvalidValueError),
    ],
)
def test_allocate_refuses_bad_ratios(ratios: list[object], error: type) -> None:
    """Empty, all-zero, negative, float or non-finite ratios raise typed errors."""
    with pytest.raises(error):
        Money("1.00", "EUR").allocate(ratios)  # type: ignore[arg-type]


def test_arithmetic_ignores_the_callers_decimal_context() -> None:
    """Money computes in dunlib's own decimal context: a caller's low precision, other
    rounding mode or trapped Inexact changes no result and leaks no decimal signal."""
    with localcontext() as context:
        context.prec = 6
        context.rounding = ROUND_DOWN
        context.traps[Inexact] = True
        assert Money("12345.67", "EUR").amount == Decimal("12345.67")
        assert Money("9999.99", "EUR") + Money("0.01", "EUR") == Money("10000.00", "EUR")
        assert Money("99.99", "EUR") - Money("9999.99", "EUR") == Money("-9900.00", "EUR")
        assert -Money("12345.67", "EUR") == Money("-12345.67", "EUR")
        assert Money("10.00", "EUR").scaled(Decimal("0.3333")) == Money("3.33", "EUR")
        assert Money("0.05", "EUR").scaled(Decimal("0.5")) == Money("0.03", "EUR")  # half-up
        assert Money.rounded("1.005", "EUR") == Money("1.01", "EUR")
        assert Money("12345.67", "EUR").allocate([1, 1]) == (
            Money("6172.84", "EUR"),
            Money("6172.83", "EUR"),
        )


def test_scaled_rounds_the_exact_product_once() -> None:
    """scaled rounds the exact product half-up once: 1.00 x 0.00499... (31 digits) is 0.00,
    not 0.01 from first rounding the product to 28 digits (0.00500...)."""
    factor = Decimal("0.004" + "9" * 30)
    assert Money("1.00", "EUR").scaled(factor) == Money("0.00", "EUR")


def test_amounts_have_at_most_25_integer_digits_in_every_currency() -> None:
    """The documented limit holds for every currency: 25 digits before the decimal point,
    whatever the minor unit (CLF has 4 decimal places, JPY none); 26 digits are refused."""
    assert Money("9" * 25 + ".99", "EUR").amount == Decimal("9" * 25 + ".99")
    assert Money("9" * 25 + ".9999", "CLF").amount == Decimal("9" * 25 + ".9999")
    assert Money("9" * 25, "JPY").amount == Decimal("9" * 25)
    for code in ("EUR", "JPY"):
        with pytest.raises(InvalidValueError, match="at most 25 digits"):
            Money("1" * 26, code)
    with pytest.raises(InvalidValueError, match="at most 25 digits"):
        Money.rounded("9" * 25 + ".995", "EUR")  # rounds up to 26 digits
    assert Money(Decimal("0E+40"), "EUR") == Money.zero("EUR")


def test_sums_beyond_28_digits_stay_exact() -> None:
    """Adding never rounds, even past the 28 digits of Python's default decimal context."""
    largest = Money("9" * 25 + ".99", "EUR")
    total = sum_money([largest] * 100, "EUR")
    assert total.amount == Decimal("9" * 27 + ".00")  # 29 digits
    assert largest + total - total == largest
    assert total - sum_money([largest] * 99, "EUR") == largest


@pytest.mark.parametrize(
    "factor",
    [
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        Decimal("1E+999999999999999999"),  # a product far beyond 25 digits
        Decimal("9E+999999999999999999"),  # a product beyond the range of Decimal
    ],
)
def test_scaled_refuses_non_finite_and_huge_factors(factor: Decimal) -> None:
    """A factor that is not a finite number, or beyond Decimal's range, raises a typed error
    naming the factor (never a bare decimal.InvalidOperation or Overflow)."""
    with pytest.raises(InvalidValueError, match="Money.scaled.factor"):
        Money("100.00", "EUR").scaled(factor)


def test_non_iterables_are_refused_with_typed_errors() -> None:
    """allocate and sum_money given something that is not a collection raise InvalidTypeError."""
    with pytest.raises(InvalidTypeError, match="Money.allocate.ratios"):
        Money("1.00", "EUR").allocate(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="sum_money.amounts"):
        sum_money(None, "EUR")  # type: ignore[arg-type]


def test_sum_money_refuses_non_money_and_other_currencies() -> None:
    """sum_money names a non-Money item and both currencies of a mismatched one."""
    with pytest.raises(InvalidTypeError, match="Money.add: got 1"):
        sum_money([Money(1, "EUR"), 1], "EUR")  # type: ignore[list-item]
    with pytest.raises(CurrencyMismatchError, match="EUR and USD"):
        sum_money([Money(1, "EUR"), Money(1, "USD")], "EUR")


def test_allocate_takes_ratios_of_any_magnitude() -> None:
    """Only the ratios' proportions matter: tiny and huge ratios split like small ones, and a
    sum beyond what a Decimal can hold raises a typed error, not decimal.InvalidOperation."""
    ten = Money("10.00", "EUR")
    assert ten.allocate([Decimal("1E+1000000"), Decimal("1E+1000000")]) == (
        Money("5.00", "EUR"),
        Money("5.00", "EUR"),
    )
    assert ten.allocate([Decimal("1E-999999999999999999")] * 2) == ten.allocate([1, 1])
    assert ten.allocate([Decimal("1E+999999999999999999"), 1]) == (ten, Money.zero("EUR"))
    with pytest.raises(InvalidValueError, match="Money.allocate.ratios"):
        ten.allocate([Decimal("9E+999999999999999999")] * 2)


@pytest.mark.parametrize("code", sorted(NO_MINOR_UNIT))
def test_currencies_without_a_minor_unit_are_refused(code: str) -> None:
    """ISO 4217 gives no minor unit to XXX, XTS, the metals and the units of account (CLDR
    reports 2 decimals for them): Money and minor_unit refuse them, naming the code and what
    is valid."""
    with pytest.raises(
        InvalidValueError,
        match=f"Money.currency: got '{code}'; expected a "
        f"currency with a minor unit, such as 'EUR' \\({code} has none",
    ):
        Money("1.00", code)
    for make in (Money.zero, lambda c: Money.rounded("1", c), minor_unit):
        with pytest.raises(InvalidValueError, match="a currency with a minor unit"):
            make(code)


def test_precious_metals_and_no_currency_are_listed() -> None:
    """The list holds the codes named in ISO 4217 without a minor unit; currencies with one
    (the CFA francs, the East Caribbean dollar) stay valid."""
    assert {"XXX", "XTS", "XAU", "XAG", "XPD", "XPT", "XDR"} <= NO_MINOR_UNIT
    assert Money(5, "XOF").currency == "XOF"
    assert Money("5.00", "XCD").currency == "XCD"


def test_builtin_sum_adds_amounts() -> None:
    """The builtin sum works over Money: it starts from the int 0, which Money accepts on the
    left of + only as that start value."""
    five = Money("5.00", "EUR")
    assert sum([five, five, Money("0.01", "EUR")]) == Money("10.01", "EUR")
    assert sum([five]) is five
    assert sum([Money(3, "JPY"), Money(4, "JPY")]) == Money(7, "JPY")


@pytest.mark.parametrize("start", [1, -1, False, Decimal(0), 0.0, None, Money.zero("EUR")])
def test_only_the_int_zero_adds_to_money(start: object) -> None:
    """Any other left operand, and a sum() with another start, keeps the typed error (a Money
    start value is added as usual: here in another currency)."""
    error = CurrencyMismatchError if isinstance(start, Money) else InvalidTypeError
    with pytest.raises(error, match="add"):
        start + Money("5.00", "USD")  # type: ignore[operator]
    with pytest.raises(error, match="add"):
        sum([Money("5.00", "USD")], start)  # type: ignore[call-overload]
    with pytest.raises(InvalidTypeError, match="Money.add: got '0'"):
        Money("5.00", "USD").__radd__("0")  # type: ignore[operator]


def test_builtin_sum_refuses_mixed_currencies_and_non_money() -> None:
    """sum() across currencies or over a non-Money raises the same errors as +."""
    with pytest.raises(CurrencyMismatchError, match="EUR and USD"):
        sum([Money(1, "EUR"), Money(1, "USD")])
    with pytest.raises(InvalidTypeError, match="Money.add"):
        sum([Money(1, "EUR"), 1])  # type: ignore[list-item]
