"""Every error is a DunlibError, and every value a caller builds refuses junk with one.

The law is checked across all value objects a caller constructs: take a valid
value, replace one field with junk, and construction either succeeds (the junk
happened to be valid) or raises a :class:`DunlibError` subclass — never a bare
``TypeError``, ``ValueError``, ``AttributeError`` or anything from deep inside.
"""

from __future__ import annotations

import contextlib
import inspect
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dunlib
from dunlib import (
    Actor,
    Authority,
    BankTransaction,
    CreditNote,
    Customer,
    DunlibError,
    DunningRules,
    DunningStage,
    HistoryEntry,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    Pause,
    Payment,
    PaymentTerms,
    PreparedLetter,
    Resume,
)
from dunlib import strategies as ds
from dunlib.core import InterestCharge, IssuedStage, WriteOff
from dunlib.core import errors as errors_module
from dunlib.portfolio import LetterState, LetterStep

VALID: dict[type, st.SearchStrategy[Any]] = {
    Money: ds.amounts(),
    Customer: ds.customers(),
    LineItem: ds.line_items(),
    PaymentTerms: ds.payment_terms(),
    Payment: ds.payments(),
    CreditNote: ds.credit_notes(),
    IssuedStage: ds.issued_stages(),
    InterestCharge: ds.interest_charges(),
    HistoryEntry: ds.history_entries(),
    Invoice: ds.invoices(max_lines=2),
    DunningStage: ds.dunning_stages(),
    DunningRules: ds.dunning_rules(max_stages=3),
    Actor: ds.actors(),
    Authority: ds.authorities(),
    NumberSequence: ds.number_sequences(),
    BankTransaction: ds.bank_transactions(),
    Pause: st.builds(Pause, on=ds.dates(), actor=st.none() | ds.actors()),
    Resume: st.builds(Resume, on=ds.dates(), actor=st.none() | ds.actors()),
    PreparedLetter: ds.prepared_letters(),
    LetterStep: st.builds(
        LetterStep,
        on=ds.dates(),
        state=st.sampled_from(LetterState),
        actor=st.sampled_from(("ann", "automatic")),
        note=st.text(max_size=4),
    ),
    WriteOff: st.builds(
        WriteOff,
        on=ds.dates(),
        amount=ds.amounts(min_value=1) | ds.amounts(min_value=-1000, max_value=-1),
        reason=st.sampled_from(("", "uncollectible")),
    ),
}

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.text(max_size=6),
    st.decimals(allow_nan=True),
    st.datetimes(),
    st.dates(),
    st.tuples(st.integers()),
    st.lists(st.text(max_size=2), max_size=2),
    st.frozensets(st.text(max_size=2), max_size=2),
    st.just(Money("1.00", "USD")),
    st.just(Money(1, "JPY")),
    st.just(object()),
)


def _rebuild(cls: type, value: Any, field: str, junk: Any) -> None:
    kwargs = {a.name: getattr(value, a.name) for a in attrs.fields(cls) if a.init}
    kwargs[field] = junk
    positional = [
        name
        for name, parameter in inspect.signature(cls).parameters.items()
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY
    ]
    cls(*[kwargs.pop(name) for name in positional], **kwargs)


@settings(max_examples=max(1000, settings().max_examples))
@given(data=st.data())
def test_any_junk_in_any_field_raises_only_dunlib_errors(data: st.DataObject) -> None:
    """Law: a value object given junk in any one field either builds or raises a DunlibError
    subclass, never another exception."""
    cls = data.draw(st.sampled_from(sorted(VALID, key=lambda c: c.__name__)), label="class")
    value = data.draw(VALID[cls], label="valid value")
    field = data.draw(st.sampled_from([a.name for a in attrs.fields(cls) if a.init]))
    junk = data.draw(JUNK, label="junk")
    with contextlib.suppress(DunlibError):
        _rebuild(cls, value, field, junk)


@given(data=st.data())
def test_valid_values_rebuild_unchanged(data: st.DataObject) -> None:
    """The strategies' values are valid: rebuilding one from its own fields gives an equal value
    (so the junk law above starts from valid input)."""
    cls = data.draw(st.sampled_from(sorted(VALID, key=lambda c: c.__name__)))
    value = data.draw(VALID[cls])
    assert attrs.evolve(value) == value


def test_every_error_class_descends_from_the_root() -> None:
    """Every exception class dunlib defines or exports is a DunlibError subclass."""
    classes = {
        obj
        for module in (dunlib, errors_module)
        for obj in vars(module).values()
        if isinstance(obj, type) and issubclass(obj, BaseException)
    }
    assert classes
    for cls in classes:
        assert issubclass(cls, DunlibError), cls


def test_every_error_has_a_docstring_saying_when_it_is_raised() -> None:
    """Each error class documents itself."""
    for name in errors_module.__all__:
        obj = getattr(errors_module, name)
        if isinstance(obj, type) and issubclass(obj, BaseException):
            assert obj.__doc__, name
            assert len(obj.__doc__.split()) >= 5, name


def test_step_refusals_share_one_base_with_their_facts() -> None:
    """The four refusals of the booking path are StepRefusedErrors carrying invoice_id,
    status, command and actor."""
    refusals = (
        errors_module.TransitionNotAllowedError,
        errors_module.PermissionDeniedError,
        errors_module.PolicyViolationError,
        errors_module.GuardFailedError,
    )
    for cls in refusals:
        assert issubclass(cls, errors_module.StepRefusedError), cls
    error = errors_module.GuardFailedError(
        actor="ann", command="PAUSE", status=dunlib.Status.SENT, invoice_id="RE-1",
        guard="running", reason="dunning is paused since 2026-05-25",
    )  # fmt: skip
    assert (error.invoice_id, error.status, error.command, error.actor) == (
        "RE-1",
        dunlib.Status.SENT,
        "PAUSE",
        "ann",
    )
    assert "guard running" in str(error)


def test_every_refused_step_is_a_step_refused_error_with_the_same_facts() -> None:
    """Payments in a state that takes none and documents derived from a state that allows
    none are StepRefusedErrors too (a payment's a TransitionNotAllowedError for PAY and
    still a PaymentRejectedError), each naming the invoice by its number and id; a
    TransitionNotAllowedError built without the command's states names none."""
    for cls in (errors_module.PaymentStateError, errors_module.WrittenOffPaymentError):
        assert issubclass(cls, errors_module.TransitionNotAllowedError), cls
        assert issubclass(cls, errors_module.PaymentRejectedError), cls
    assert issubclass(errors_module.DocumentNotAllowedError, errors_module.StepRefusedError)
    document = errors_module.DocumentNotAllowedError(
        document="delivery note", invoice="D-1", status=dunlib.Status.CREATED,
        allowed=["2 REVIEWED"], number=None,
    )  # fmt: skip
    assert (document.invoice_id, document.command, document.number) == (
        "D-1",
        "delivery note",
        None,
    )
    assert "from invoice D-1 in state 1 CREATED" in str(document)
    bare = errors_module.TransitionNotAllowedError(
        status=dunlib.Status.PAID, command="SUBMIT", allowed=[], invoice_id="D-1", number="RE-1"
    )
    assert str(bare) == (
        "SUBMIT is not allowed on invoice RE-1 (id D-1) in state 4 PAID; "
        "allowed there: none (a final state)"
    )


def test_found_by_the_junk_law() -> None:
    """Cases the junk law once found: an unhashable currency, a signalling-NaN policy."""
    with pytest.raises(InvalidValueError, match="Money.currency"):
        Money("1.00", [])  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="Authority.eyes"):
        Authority(eyes=Decimal("sNaN"))  # type: ignore[arg-type]


def test_messages_stay_readable_for_huge_or_broken_values() -> None:
    """The message shows a huge value cut in the middle (the error keeps it whole in .value),
    and a value whose repr raises is still reported with an InvalidValueError."""
    huge = "1" * 10_000
    error = InvalidValueError("Money.amount", huge, "a decimal number")
    assert len(str(error)) < 300
    assert error.value == huge
    assert str(error).startswith("Money.amount: got '111")
    assert "..." in str(error)

    class Unprintable:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    with pytest.raises(InvalidValueError, match="Money.amount: got <Unprintable that cannot be"):
        Money(Unprintable(), "EUR")
    too_long = InvalidValueError("NumberSequence.next_value", 10**5000, "at most 10**18")
    assert "got <int of about 5001 digits>" in str(too_long)  # no memory address: deterministic
