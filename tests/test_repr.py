"""Reprs are Python: pasted back where dunlib's names are known, they rebuild the value."""

from __future__ import annotations

import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.vendor.pretty import pretty

import dunlib
from builders import AREAS, EXPORTED, SEED_RULES, sent
from dunlib import Customer, DunningStage, Money, PaymentTerms, StageKind, Status
from dunlib._repr import install, value_repr

NAMESPACE: dict[str, Any] = {
    name: getattr(module, name) for module in (dunlib, *AREAS) for name in module.__all__
}
NAMESPACE.update(datetime=datetime, Decimal=Decimal)
"""What a regression test has after ``from dunlib import *``, the same of the areas whose
values it holds (``from dunlib.core import *``, …), ``import datetime`` and
``from decimal import Decimal``."""

VALUE_CLASSES = sorted(
    {
        obj
        for obj in EXPORTED
        if isinstance(obj, type) and attrs.has(obj) and not issubclass(obj, BaseException)
    },
    key=lambda cls: cls.__name__,
)
ENUMS = sorted(
    {obj for obj in EXPORTED if isinstance(obj, type) and issubclass(obj, Enum)},
    key=lambda cls: cls.__name__,
)


@pytest.mark.parametrize("cls", VALUE_CLASSES, ids=lambda cls: cls.__name__)
@settings(max_examples=10)
@given(data=st.data())
def test_repr_law_eval_of_repr_rebuilds_every_value(cls: type, data: st.DataObject) -> None:
    """Law: eval(repr(x)) == x for every public value class (drawn through st.from_type),
    evaluated with dunlib's names, datetime and Decimal; Hypothesis prints the same text."""
    value = data.draw(st.from_type(cls))
    text = repr(value)
    assert eval(text, NAMESPACE) == value
    assert pretty(value) == text


@pytest.mark.parametrize("enum", ENUMS, ids=lambda cls: cls.__name__)
def test_enum_members_print_as_their_names(enum: type[Enum]) -> None:
    """Every public enum's members print as ``Kind.MEMBER``, which evaluates to the member."""
    for member in enum:
        assert repr(member) == f"{enum.__name__}.{member.name}"
        assert eval(repr(member), NAMESPACE) is member


def test_defaults_are_left_out_so_reprs_stay_short() -> None:
    """Fields equal to their defaults are left out: a customer shows its id and name, the
    seed invoice no terms and no due date (it follows from them), the seed rules no template."""
    assert repr(Customer(id="C-1", name="ACME GmbH")) == "Customer(id='C-1', name='ACME GmbH')"
    assert "due_date=" not in repr(sent())
    assert "terms=" not in repr(sent())
    moved = sent(due_date=datetime.date(2026, 6, 1))
    assert "due_date=datetime.date(2026, 6, 1)" in repr(moved)
    assert eval(repr(moved), NAMESPACE) == moved
    assert len(repr(SEED_RULES)) < 400
    assert eval(repr(SEED_RULES), NAMESPACE) == SEED_RULES
    assert repr(Status.SENT) == "Status.SENT"


def test_long_custom_templates_are_elided_but_kept() -> None:
    """A custom template over 30 characters shows its start and '…' (not Python: it cannot be
    rebuilt from the repr); the value keeps the text; a default template is left out."""
    body = "Bitte begleichen Sie {{ openAmount }} bis zum {{ dueDate }}."
    stage = DunningStage(StageKind.NOTICE, days_overdue=7, email_body=body)
    assert "email_body='Bitte begleichen Sie {{ openAm'…" in repr(stage)
    assert stage.email_body == body
    with pytest.raises(SyntaxError):
        eval(repr(stage), NAMESPACE)
    default = DunningStage(StageKind.NOTICE, days_overdue=7)
    assert repr(default) == "DunningStage(kind=StageKind.NOTICE, days_overdue=7)"


def test_money_and_terms_rebuild_exactly() -> None:
    """Amounts keep their minor units; terms with a discount show it."""
    assert eval(repr(Money("0.10", "EUR")), NAMESPACE) == Money("0.10", "EUR")
    terms = PaymentTerms(net_days=30, discount_percent=2, discount_days=10)
    assert repr(terms) == (
        "PaymentTerms(net_days=30, discount_percent=Decimal('2'), discount_days=10)"
    )


def test_install_keeps_reprs_of_their_own_and_shows_defaults_it_cannot_compute() -> None:
    """install() leaves a class's own repr alone and ignores what is no class; a default
    that cannot be computed for a value is shown rather than guessed."""

    @attrs.frozen
    class Own:
        x: int = 0

        def __repr__(self) -> str:
            return "own"

    def broken(self: Any) -> int:
        raise ValueError(self)

    @attrs.frozen
    class Fragile:
        x: int = attrs.field(default=attrs.Factory(broken, takes_self=True))
        y: int = attrs.field(factory=int)

    install([Own, Fragile, 42, "text"])
    assert repr(Own()) == "own"
    assert repr(Fragile(x=1)).endswith(".Fragile(x=1)")
    assert value_repr(Fragile(x=1, y=2)).endswith("Fragile(x=1, y=2)")
