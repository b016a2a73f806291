"""Gapless invoice number sequences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import InvalidTypeError, InvalidValueError, NumberSequence
from dunlib.core.numbering import MAX_VALUE
from dunlib.strategies import number_sequences


def test_numbers_are_zero_padded_with_prefix() -> None:
    """A sequence writes prefix + value padded to its width; values may outgrow the width."""
    sequence = NumberSequence(prefix="RE-2026-", next_value=7, width=4)
    assert sequence.next_number == "RE-2026-0007"
    assert NumberSequence(next_value=12345, width=3).next_number == "12345"


def test_take_returns_number_and_advanced_sequence() -> None:
    """take() gives the next number and a new sequence; the old value is unchanged."""
    sequence = NumberSequence(prefix="RE-", width=3)
    number, after = sequence.take()
    assert (number, after.next_number) == ("RE-001", "RE-002")
    assert sequence.next_number == "RE-001"


@given(sequence=number_sequences(), count=st.integers(min_value=1, max_value=30))
def test_taken_numbers_are_consecutive_and_unique(sequence: NumberSequence, count: int) -> None:
    """Law (gapless): n takes give the n consecutive values from next_value, all distinct."""
    numbers = []
    current = sequence
    for _ in range(count):
        number, current = current.take()
        numbers.append(number)
    start = sequence.next_value
    assert numbers == [sequence.format(value) for value in range(start, start + count)]
    assert len(set(numbers)) == count
    assert current.next_value == start + count


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("next_value", 0),
        ("next_value", True),
        ("next_value", 10**18 + 1),
        pytest.param("next_value", 10**5000, id="next_value-10**5000"),
        ("width", 0),
        ("width", 21),
        ("prefix", 5),
    ],
)
def test_bad_settings_are_refused(field: str, value: object) -> None:
    """Start values outside 1..10**18, widths outside 1..20 and non-text prefixes are refused."""
    with pytest.raises(InvalidValueError, match=f"NumberSequence.{field}"):
        NumberSequence(**{field: value})  # type: ignore[arg-type]


def test_next_value_is_bounded_so_every_number_prints() -> None:
    """next_value is at most 10**18 (a 5000-digit value used to fail when printed); the
    last number issued is 10**18 - 1, after which take() refuses with a typed error."""
    assert MAX_VALUE == 10**18
    with pytest.raises(InvalidValueError, match="NumberSequence.next_value.*from 1 to 10\\*\\*18"):
        NumberSequence(next_value=10**5000)
    last, used_up = NumberSequence(prefix="RE-", next_value=MAX_VALUE - 1).take()
    assert last == "RE-" + "9" * 18
    assert used_up.next_number == "RE-1" + "0" * 18
    with pytest.raises(InvalidValueError, match="used up"):
        used_up.take()


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (0, InvalidValueError),
        pytest.param(10**5000, InvalidValueError, id="10**5000"),
        (True, InvalidTypeError),
        ("7", InvalidTypeError),
    ],
)
def test_format_refuses_values_outside_the_sequence(value: object, error: type) -> None:
    """format() takes the values a sequence can hold, 1 to 10**18; others raise typed errors."""
    with pytest.raises(error, match="NumberSequence.format.value"):
        NumberSequence().format(value)  # type: ignore[arg-type]
