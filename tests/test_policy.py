"""Actors, roles and rights: what the policy module refuses when values are built."""

from __future__ import annotations

import datetime as dt

import pytest

from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    Payment,
    record_payment,
)
from dunlib.core.status import Status
from dunlib.core.transitions import Act, Command
from dunlib.workflow import Permissions, PolicyRule
from dunlib.workflow.policy import Actor, round_acts


def test_unhashable_roles_and_grants_are_refused_with_typed_errors() -> None:
    """Roles and grants that cannot form a set are refused by the validators, not by Python."""
    with pytest.raises(InvalidTypeError, match="Actor.roles"):
        Actor(id="a", roles=[["clerk"]])
    with pytest.raises(InvalidTypeError, match="Permissions.grants"):
        Permissions(grants=[[Status.SENT, Command.PAY, "clerk"]])


def test_no_person_takes_the_automatic_runs_id() -> None:
    """A person with the id "automatic" would be the automatic run to every eyes rule (they
    tell actors apart by id): refused; another automatic process may share the id."""
    with pytest.raises(InvalidValueError, match="Actor.id") as refused:
        Actor(id=AUTOMATIC.id, roles={"accountant"})
    assert "automatic run" in str(refused.value)
    assert Actor(id=AUTOMATIC.id, roles={"automation"}, automatic=True) == AUTOMATIC
    assert Actor(id="automatic-2", roles={"accountant"}).id == "automatic-2"


def test_bookings_are_no_acts_of_the_eyes_policy() -> None:
    """Who booked a payment (or any other booking) neither drafted, reviewed nor sent."""
    invoice = Invoice.sent(
        number="RE-1",
        customer=Customer(id="C", name="C GmbH"),
        gross=Money("10.00", "EUR"),
        issue_date=dt.date(2026, 1, 1),
    )
    paid = record_payment(
        invoice,
        Payment(on=dt.date(2026, 1, 2), amount=Money("1.00", "EUR")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert paid.invoice.history[-1].actor == AUTOMATIC.id
    assert round_acts(paid.invoice) == {act: frozenset() for act in Act}


def test_every_eyes_rule_is_named_in_one_style() -> None:
    """Each PolicyRule's value is its name in lower case with hyphens (who-not-whom, as
    sender-not-preparer-or-approver), so errors and docs name rules one way."""
    for rule in PolicyRule:
        assert rule.value == rule.name.lower().replace("_", "-")
    assert PolicyRule("sender-not-preparer-or-approver").name == "SENDER_NOT_PREPARER_OR_APPROVER"
