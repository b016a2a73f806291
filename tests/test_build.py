"""The trusted constructors the daily run builds its actions with."""

from __future__ import annotations

import inspect
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import Decision, Escalate, IssueStage, NoAction
from dunlib._build import trusted
from dunlib.strategies import registered

BUILT = [Decision, Escalate, IssueStage, NoAction]
"""The classes :mod:`dunlib.run` builds from parts already checked."""


@pytest.mark.parametrize("cls", BUILT, ids=lambda cls: cls.__name__)
def test_trusted_constructor_takes_the_fields_in_class_order(cls: type) -> None:
    """Its parameters are the class's fields, in the order attrs lists them."""
    parameters = list(inspect.signature(trusted(cls)).parameters)
    assert parameters == [field.name for field in attrs.fields(cls)]


@pytest.mark.parametrize("cls", BUILT, ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_trusted_constructor_rebuilds_any_valid_value(cls: type, data: st.DataObject) -> None:
    """Given the fields of a valid value in class order, it builds an equal value of the
    same class (what the validating constructor built)."""
    value: Any = data.draw(registered()[cls])
    rebuilt: Any = trusted(cls)(*(getattr(value, field.name) for field in attrs.fields(cls)))
    assert type(rebuilt) is cls
    assert rebuilt == value
    assert repr(rebuilt) == repr(value)
