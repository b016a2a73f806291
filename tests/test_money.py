"""Money: construction, arithmetic within one currency, rounding and allocation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import CurrencyMismatchError, InvalidTypeError, InvalidValueError, Money
from dunlib.money import minor_unit, sum_money
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
    ratios=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12).filter(any),
)
def test_allocate_sums_to_whole_within_one_minor_unit(whole: Money, ratios: list[int]) -> None:
    """Law: allocated parts add up exactly to the whole, and each part is less than one minor
    unit away from its exact share."""
    parts = whole.allocate(ratios)
    assert len(parts) == len(ratios)
    assert sum_money(parts, whole.currency) == whole
    unit = Decimal(1).scaleb(-minor_unit(whole.currency))
    total = sum(ratios)
    for part, ratio in zip(parts, ratios, strict=True):
        exact = whole.amount * Decimal(ratio) / Decimal(total)
        assert abs(part.amount - exact) < unit


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
