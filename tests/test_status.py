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
