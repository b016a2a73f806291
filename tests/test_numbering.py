"""Gapless invoice number sequences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import InvalidValueError, NumberSequence
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
    [("next_value", 0), ("next_value", True), ("width", 0), ("width", 21), ("prefix", 5)],
)
def test_bad_settings_are_refused(field: str, value: object) -> None:
    """Start values below 1, widths outside 1..20 and non-text prefixes are refused."""
    with pytest.raises(InvalidValueError, match=f"NumberSequence.{field}"):
        NumberSequence(**{field: value})  # type: ignore[arg-type]
