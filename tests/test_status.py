"""Processing states carry the source document's numbers."""

from __future__ import annotations

from dunlib import Status


def test_values_are_the_seed_numbers() -> None:
    """DRAFT=0 … WRITTEN_OFF=7, exactly as the ERP document numbers its states."""
    assert [(s.name, int(s)) for s in Status] == [
        ("DRAFT", 0),
        ("CREATED", 1),
        ("REVIEWED", 2),
        ("SENT", 3),
        ("PAID", 4),
        ("DUNNED", 5),
        ("CANCELLED", 6),
        ("WRITTEN_OFF", 7),
    ]


def test_booked_from_sent_on() -> None:
    """An invoice is booked (legally binding) from 3 SENT on, never before."""
    assert [s for s in Status if s.is_booked] == [
        Status.SENT,
        Status.PAID,
        Status.DUNNED,
        Status.CANCELLED,
        Status.WRITTEN_OFF,
    ]


def test_str_and_format_give_the_name() -> None:
    """str() and an f-string give the state's name, not its number; the int value stays, and a
    numeric format specification still formats the number."""
    assert str(Status.PAID) == "PAID"
    assert f"{Status.PAID}" == "PAID"
    assert format(Status.WRITTEN_OFF) == "WRITTEN_OFF"
    assert f"{Status.SENT:>6}|" == "  SENT|"
    assert f"{Status.PAID:d}" == "4"
    assert f"{Status.PAID:03d}" == "004"
    assert Status.SENT < Status.PAID < 5
    assert int(Status.PAID) == 4
    assert Status(4) is Status.PAID
    assert repr(Status.PAID) == "Status.PAID"  # Python that rebuilds it
    assert ["a", "b", "c", "d", "e"][Status.PAID] == "e"
