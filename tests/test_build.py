"""The trusted constructors the daily run builds its actions with."""

from __future__ import annotations

import inspect
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dunlib import Decision, Escalate, IssueStage, NoAction, NoActionReason
from dunlib.core.generated import trusted
from dunlib.strategies import registered

BUILT = [Decision, Escalate, IssueStage, NoAction]
"""The classes :mod:`dunlib.portfolio.run` builds from parts already checked."""


@pytest.mark.parametrize("cls", BUILT, ids=lambda cls: cls.__name__)
def test_trusted_constructor_takes_the_fields_in_class_order(cls: type) -> None:
    """Its parameters are the class's fields, in the order attrs lists them."""
    parameters = list(inspect.signature(trusted(cls)).parameters)
    assert parameters == [field.name for field in attrs.fields(cls)]


@pytest.mark.parametrize("cls", BUILT, ids=lambda cls: cls.__name__)
@settings(max_examples=40)  # a copy of fields: the same code for any value, drawn widely
@given(data=st.data())
def test_trusted_constructor_rebuilds_any_valid_value(cls: type, data: st.DataObject) -> None:
    """Given the fields of a valid value in class order, it builds an equal value of the
    same class (what the validating constructor built)."""
    value: Any = data.draw(registered()[cls])
    rebuilt: Any = trusted(cls)(*(getattr(value, field.name) for field in attrs.fields(cls)))
    assert type(rebuilt) is cls
    assert rebuilt == value
    assert repr(rebuilt) == repr(value)


def test_trusted_constructor_leaves_out_the_last_constant_defaults_only() -> None:
    """The last fields with constant defaults may be left out; a field whose default a
    factory makes may not (the trusted constructor runs no factory)."""
    made = trusted(NoAction)("RE-1", NoActionReason.SETTLED)
    assert made == NoAction(invoice_id="RE-1", reason=NoActionReason.SETTLED)
    required = [
        name
        for name, parameter in inspect.signature(trusted(IssueStage)).parameters.items()
        if parameter.default is inspect.Parameter.empty
    ]
    assert required[-1] == "flat_fee"  # a factory's default: not left out (calendar may be)


@attrs.frozen
class _Defaults:
    first: int = 1
    second: str = "two"


def test_trusted_constructor_of_a_class_with_every_field_defaulted_takes_no_argument() -> None:
    """Every field has a constant default: nothing needs to be given."""
    assert trusted(_Defaults)() == _Defaults()
    assert trusted(_Defaults)(3) == _Defaults(first=3)


@pytest.mark.parametrize("cls", BUILT, ids=lambda cls: cls.__name__)
@settings(max_examples=40)  # a copy of fields: the same code for any value, drawn widely
@given(data=st.data())
def test_trusted_constructor_with_fixed_fields_rebuilds_any_valid_value(
    cls: type, data: st.DataObject
) -> None:
    """With any of the fields fixed, it takes the others in class order and builds a value
    equal to the original; the fixed ones are no longer its parameters."""
    value: Any = data.draw(registered()[cls])
    names = [field.name for field in attrs.fields(cls)]
    fixed = data.draw(st.sets(st.sampled_from(names)))
    build: Any = trusted(cls, **{name: getattr(value, name) for name in fixed})
    given_names = [name for name in names if name not in fixed]
    assert list(inspect.signature(build).parameters) == given_names
    rebuilt: Any = build(*(getattr(value, name) for name in given_names))
    assert type(rebuilt) is cls
    assert rebuilt == value


def test_trusted_constructors_with_other_fixed_values_do_not_share_them() -> None:
    """Two constructors fixing the same field to different values (compiled once) each
    build with their own."""
    settled = trusted(NoAction, reason=NoActionReason.SETTLED)
    paused = trusted(NoAction, reason=NoActionReason.PAUSED)
    assert settled("RE-1") == NoAction(invoice_id="RE-1", reason=NoActionReason.SETTLED)
    assert paused("RE-1") == NoAction(invoice_id="RE-1", reason=NoActionReason.PAUSED)


def test_generated_code_shows_its_lines_in_tracebacks() -> None:
    """Generated constructors and readers register their source with linecache: a
    traceback or a debugger shows the generated lines, not a blank."""
    import linecache
    import traceback

    from dunlib.core import Customer, Invoice
    from dunlib.io import reader

    build = trusted(Customer)
    code = build.__code__
    assert code.co_filename == "<dunlib generated: constructor of Customer>"
    assert linecache.getline(code.co_filename, code.co_firstlineno + 3) == "    self = _new(_cls)\n"
    read = reader._generated(Invoice, document=True)
    assert read is not None
    with pytest.raises(reader._Slow) as caught:  # a reader gives up on what it cannot read
        read(None)
    shown = "".join(traceback.format_exception(caught.value))
    assert "<dunlib generated: reader of Invoice>" in shown
    frames = traceback.extract_tb(caught.value.__traceback__)
    assert any(frame.filename.startswith("<dunlib generated") and frame.line for frame in frames)
