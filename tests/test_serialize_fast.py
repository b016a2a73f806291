"""The fast writer (:mod:`dunlib.io._writer`): to_dict and to_json write through a writer
generated per class, which writes exactly what the general path (the converter and the
walk for the limits) writes, and gives the value to the general path where it cannot."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any
from unittest.mock import patch

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dunlib
from builders import eur
from dunlib import (
    CustomerAccount,
    DunningRules,
    DunningStage,
    InvalidValueError,
    Invoice,
    PreparedLetter,
    StageKind,
)
from dunlib import strategies as ds
from dunlib.core import HolidayCalendar, Target2Calendar, WeekendCalendar, quick
from dunlib.io import _writer as writer
from dunlib.io import schema, serialize
from dunlib.io.reader import _Slow
from dunlib.io.serialize import (
    MAX_NESTING,
    SCHEMA_VERSION,
    VERSION_KEY,
    from_json,
    to_dict,
    to_json,
)

DOCUMENTS = st.one_of(
    ds.invoices(),
    ds.dunned_invoices(),
    ds.closed_invoices(),
    ds.held_invoices(),
    ds.customer_accounts(),
    ds.prepared_letters(),
)
"""Invoices of every state with all they carry, customers' accounts and prepared letters."""


def _general(value: Any) -> tuple[dict[str, Any], str]:
    """The document and the text of ``value`` as the general path writes them."""
    with quick.plain():
        return to_dict(value), to_json(value)


def _shape(value: Any) -> Any:
    """``value`` with the class of every list, tuple and dict and the order of every dict's
    keys made visible, so that equal shapes mean the same dicts, lists and tuples."""
    if isinstance(value, dict):
        return ("dict", [(key, _shape(item)) for key, item in value.items()])
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_shape(item) for item in value])
    return (type(value).__name__, value)


@given(value=DOCUMENTS)
def test_law_the_fast_writer_writes_invoices_accounts_and_letters_as_the_general_path(
    value: Invoice | CustomerAccount | PreparedLetter,
) -> None:
    """Law: for any invoice, customer's account or prepared letter, the writer generated for
    its class (called itself, so it cannot hand the value on) builds the very dict the
    general path builds (same keys in the same order, lists and tuples where it has them),
    and to_json's text is byte for byte the general path's text."""
    write = writer.document_writer(type(value))
    assert write is not None
    document, text = _general(value)
    assert _shape(write(value)) == _shape(document)
    assert to_json(value) == text
    assert json.dumps(write(value), sort_keys=True, separators=(",", ":")) == text


@attrs.frozen
class _Leaves:
    """A value class with a field of every kind of leaf and container the writer writes."""

    text: str | None = None
    count: int | None = None
    flag: bool = False
    share: Decimal | None = None
    day: dt.date | None = None
    stage: StageKind | None = None
    rates: tuple[tuple[dt.date, Decimal], ...] = ()
    nothing: tuple[()] = ()
    days: frozenset[dt.date] = frozenset()
    calendar: WeekendCalendar | HolidayCalendar | Target2Calendar | None = None


_LEAVES = st.builds(
    _Leaves,
    text=st.none() | st.text(),
    count=st.none() | st.integers(-(10**100) + 1, 10**100 - 1),
    flag=st.booleans(),
    share=st.none() | st.decimals(allow_nan=False, allow_infinity=False),
    day=st.none() | st.dates(),
    stage=st.none() | st.sampled_from(StageKind),
    rates=st.lists(st.tuples(st.dates(), st.decimals(allow_nan=False))).map(tuple),
    days=st.frozensets(st.dates()),
    calendar=st.none() | ds.calendars(),
)


@given(value=_LEAVES)
def test_law_the_fast_writer_writes_every_leaf_as_the_general_path(value: _Leaves) -> None:
    """Law: text or null, any whole number or null, flags, decimals, dates, enum members,
    lists of fixed tuples, the empty tuple, sets (sorted by their items' text) and an
    optional tagged union are written as the general path writes them."""
    write = writer.document_writer(_Leaves)
    assert write is not None
    document, text = _general(value)
    assert _shape(write(value)) == _shape(document)
    assert to_json(value) == text


def test_a_number_too_long_for_a_document_is_refused_by_the_general_path() -> None:
    """The writer gives up on a whole number of more than MAX_INT_DIGITS digits; the general
    path refuses it, naming its field, whether the number is a field or inside an optional."""
    for value in (_Leaves(count=10**100), _Leaves(count=-(10**100))):
        with pytest.raises(_Slow):
            writer.document_writer(_Leaves)(value)  # type: ignore[misc]
        with pytest.raises(InvalidValueError, match=r"to_dict\.obj\.count: .*at most 100 dig"):
            to_json(value)
    assert to_dict(_Leaves(count=10**99))["count"] == 10**99


def _tampered(value: Any, **fields: Any) -> Any:
    """``value`` with ``fields`` set around its constructor (no check runs)."""
    copy = attrs.evolve(value)
    for name, item in fields.items():
        object.__setattr__(copy, name, item)
    return copy


@pytest.mark.parametrize(
    "fields",
    [
        {"text": 10**200},
        {"text": dunlib.Status.SENT},
        {"flag": 1},
        {"count": True},
        {"stage": "NOTICE"},
        {"rates": [(dt.date(2026, 1, 1), Decimal(1))]},
        {"rates": ((dt.date(2026, 1, 1),),)},
        {"nothing": []},
        {"days": [dt.date(2026, 1, 1)]},
        {"calendar": Decimal(1)},
    ],
    ids=repr,
)
def test_a_part_not_of_its_fields_type_is_written_by_the_general_path(
    fields: dict[str, Any],
) -> None:
    """A value holding a part not of its field's exact type (set around the constructor)
    makes the writer give up; to_dict and to_json then give what the general path gives:
    the same document, or the same refusal."""
    value = _tampered(_Leaves(), **fields)
    with pytest.raises(_Slow):
        writer.document_writer(_Leaves)(value)  # type: ignore[misc]
    with quick.plain():
        try:
            expected: Any = to_json(value)
        except Exception as error:  # the general path's own refusal
            expected = (type(error), str(error))
    try:
        got: Any = to_json(value)
    except Exception as error:
        got = (type(error), str(error))
    assert got == expected


class _Weekend(WeekendCalendar):
    """A calendar of a class the tagged union does not list."""


def test_a_tagged_member_of_another_class_is_written_by_the_general_path() -> None:
    """A union member's writer is chosen by its exact class; a value of a subclass is
    written by the general path (with its own class name as the tag)."""
    value = _tampered(_Leaves(), calendar=_Weekend())
    assert to_dict(value)["calendar"] == {"type": "_Weekend"}
    assert to_json(value) == _general(value)[1]


@attrs.frozen
class _Loose:
    """A value class with a field of a type the writer does not write."""

    counts: dict[str, int]


@attrs.frozen
class _Node:
    """A value class that contains itself."""

    label: str
    next: _Node | None = None


@attrs.frozen
class _Odd:
    """Value classes with a field of a union the writer does not write."""

    either: int | str = 0


@attrs.frozen
class _OddItems:
    either: tuple[int | str, ...] = ()


@attrs.frozen
class _OddPart:
    pair: tuple[int, Any] = (0, 0)


@attrs.frozen
class _OddSet:
    anything: frozenset[Any] = frozenset()


@attrs.frozen
class _OddMaybe:
    loose: _Loose | None = None


@attrs.frozen
class _OddAction:
    action: dunlib.IssueStage | dunlib.NoAction | dunlib.Escalate | None = None


@pytest.mark.parametrize(
    "value",
    [
        _Loose(counts={"a": 1}),
        _Node(label="a", next=_Node(label="b")),
        _Odd(either="x"),
        _OddItems(either=(1, "x")),
        _OddPart(pair=(1, "x")),
        _OddSet(anything=frozenset({"x"})),
        _OddMaybe(loose=_Loose(counts={})),
        _OddAction(),
    ],
    ids=lambda value: type(value).__name__,
)
def test_a_class_with_a_field_the_writer_does_not_write_is_written_by_the_general_path(
    value: Any,
) -> None:
    """A mapping, a type that contains itself, a union that is neither optional nor tagged,
    a list, a fixed tuple, a set or an optional of such a type, and an optional of a tagged
    union the converter does not write as one: no writer; the general path writes them."""
    assert writer.document_writer(type(value)) is None
    assert to_dict(value) == _general(value)[0]


def test_a_tagged_union_with_a_member_the_writer_does_not_write_gets_no_writer() -> None:
    """A tagged union one member of which has no writer gets none (the general path writes
    its members)."""
    union = WeekendCalendar | _Loose
    with patch.dict(
        schema._TAGGED, {union: {"WeekendCalendar": WeekendCalendar, "_Loose": _Loose}}
    ):
        assert writer._make(union) is None


def _nested(levels: int) -> type:
    """A value class whose documents nest ``levels`` objects deep (each an optional field
    ``inner`` of the next class)."""
    inner: Any = int | None
    cls: type = type(None)
    for level in range(levels):
        cls = attrs.make_class(
            f"Level{level}", {"inner": attrs.field(type=inner, default=None)}, frozen=True
        )
        inner = cls | None
    return cls


def test_a_class_whose_documents_could_nest_too_deeply_gets_no_writer() -> None:
    """A class whose documents nest at most MAX_NESTING levels gets a writer; one level more
    and it gets none: the general path writes its values, and refuses those nested too deeply."""
    assert writer.document_writer(_nested(MAX_NESTING)) is not None
    deeper = _nested(MAX_NESTING + 1)
    assert writer.document_writer(deeper) is None
    assert to_dict(deeper()) == {VERSION_KEY: SCHEMA_VERSION, "inner": None}


def test_switched_off_to_dict_runs_no_writer() -> None:
    """Within quick.plain() to_dict writes by the converter alone: the writer is not asked."""
    invoice = Invoice.sent(
        number="RE-1",
        customer=dunlib.Customer(id="C-1", name="ACME"),
        lines=[dunlib.LineItem(description="x", quantity=1, unit_price=eur("9.99"))],
        issue_date=dt.date(2026, 1, 1),
    )
    with patch.object(serialize, "document_writer", wraps=writer.document_writer) as asked:
        with quick.plain():
            text = to_json(invoice)
        asked.assert_not_called()
        assert to_json(invoice) == text
        asked.assert_called_once_with(Invoice)
    assert from_json(text, Invoice) == invoice


def test_to_json_with_an_indent_writes_the_same_text_as_the_general_path() -> None:
    """to_json with an indent writes the writer's dict with the whitespace it always had."""
    rules = DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=14),))
    with quick.plain():
        expected = to_json(rules, indent=2)
    assert to_json(rules, indent=2) == expected
