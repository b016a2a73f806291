"""The public Hypothesis strategies produce valid values and are registered for from_type."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dunlib import Customer, Invoice, LineItem, Money, PaymentTerms, Status
from dunlib.numbering import NumberSequence
from dunlib.strategies import (
    _hypothesis_setup_hook,
    actors,
    amounts,
    approval_policies,
    invoices,
    number_sequences,
    sent_invoices,
)
from dunlib.workflow import Actor, ApprovalPolicy


@given(invoice=sent_invoices(currency="JPY"))
def test_sent_invoices_are_booked(invoice: Invoice) -> None:
    """sent_invoices() gives SENT invoices with a number in the requested currency."""
    assert invoice.status is Status.SENT
    assert invoice.number
    assert invoice.currency == "JPY"


@given(invoice=invoices(status=Status.DRAFT))
def test_drafts_have_no_number_and_no_payments(invoice: Invoice) -> None:
    """Drafts carry no invoice number and no payments."""
    assert invoice.number == ""
    assert invoice.payments == ()


@given(money=amounts(currency="KWD", min_value=1, max_value=2))
def test_amounts_respect_bounds(money: Money) -> None:
    """amounts() stays within its inclusive bounds and currency."""
    assert money.currency == "KWD"
    assert Money(1, "KWD") <= money <= Money(2, "KWD")


_hypothesis_setup_hook()


@given(data=st.data())
def test_types_are_registered_for_from_type(data: st.DataObject) -> None:
    """After the entry-point hook, st.from_type builds every registered dunlib type."""
    cls = data.draw(
        st.sampled_from(
            (
                Money,
                Customer,
                LineItem,
                PaymentTerms,
                Invoice,
                Actor,
                ApprovalPolicy,
                NumberSequence,
            )
        )
    )
    assert isinstance(data.draw(st.from_type(cls)), cls)


@given(actor=actors(automatic=True), policy=approval_policies(), sequence=number_sequences())
def test_workflow_strategies_build_valid_values(
    actor: Actor, policy: ApprovalPolicy, sequence: NumberSequence
) -> None:
    """actors(), approval_policies() and number_sequences() give valid workflow values."""
    assert actor.automatic
    assert actor.roles <= {"clerk", "reviewer", "accountant", "automation"}
    assert policy.eyes in (2, 4, 6)
    assert sequence.next_number.startswith(sequence.prefix)
