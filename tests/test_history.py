"""History entries: validated, immutable records of what happened."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from dunlib import HistoryEntry, InvalidTypeError, Status
from dunlib.core import EventKind


def test_entry_records_the_step() -> None:
    """An entry keeps the day, the kind, the states before and after, who and what."""
    entry = HistoryEntry(
        on=dt.date(2026, 5, 24),
        kind=EventKind.STAGE_ISSUED,
        from_status=Status.SENT,
        to_status=Status.DUNNED,
        actor="billing-bot",
        detail="dunning level 1",
    )
    assert entry.to_status is Status.DUNNED
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        entry.detail = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("on", dt.datetime(2026, 5, 24, 8, 0)),
        ("kind", "payment"),
        ("from_status", 3),
        ("to_status", None),
        ("actor", None),
        ("detail", 42),
    ],
)
def test_bad_fields_are_refused(field: str, value: object) -> None:
    """Every field is checked at construction and named in the error."""
    valid = {
        "on": dt.date(2026, 5, 24),
        "kind": EventKind.NOTE,
        "from_status": Status.SENT,
        "to_status": Status.SENT,
    }
    with pytest.raises(InvalidTypeError, match=f"HistoryEntry.{field}"):
        HistoryEntry(**{**valid, field: value})  # type: ignore[arg-type]
