"""The machine's world: the portfolio's customers, the cast, the kit's ladder, the
settings a subclass starts with, and the functions the laws are checked with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from dunlib.billing.contracts import Contract, ContractItem, Interval
from dunlib.core.money import Money
from dunlib.core.records import Customer, CustomerKind, DeliveryChannel, Hold, HoldKind, LineItem
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION, CLERK, REVIEWER, ROLES
from dunlib.dunning.fees import FeeRule
from dunlib.dunning.stages import (
    DispatchMode,
    DunningRules,
    DunningStage,
    Escalation,
    StageKind,
    TriggerBasis,
)
from dunlib.workflow.policy import AUTOMATIC, Actor, Operation, Permissions

SETTINGS = settings(
    max_examples=25,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
"""The settings a subclass's ``TestCase`` starts with: 25 runs of up to 40 steps (a few
seconds), no deadline. Give yours with ``@settings(...)`` on the subclass or by assigning
``YourMachine.TestCase.settings``."""

# -- the portfolio ----------------------------------------------------------------------------

START = dt.date(2026, 1, 5)
"""The day every run starts on."""
FAR = dt.date(9999, 12, 31)
EUR = "EUR"
ZERO = Money.zero(EUR)
CREDIT_REFERENCE = "customer credit"
"""The reference dunlib.use_credit books the customer's credit under."""

CUSTOMERS = (
    Customer(id="C-1", name="ACME GmbH"),
    Customer(
        id="C-2",
        name="Erika Mustermann",
        kind=CustomerKind.CONSUMER,
        channel=DeliveryChannel.BOTH,
    ),
)
"""The portfolio's customers: a business, and a consumer whose invoices go out by e-mail and
on paper."""
PRICES = ("100.00", "19.99", "0.01", "250.00", "0.00")

CAST = (
    Actor(id="dora", roles={CLERK}),
    Actor(id="rita", roles={REVIEWER}),
    Actor(id="sam", roles={ACCOUNTANT}),
    Actor(id="ann", roles={ACCOUNTANT, REVIEWER}),
    Actor(id="robot", roles={AUTOMATION}, automatic=True),
    AUTOMATIC,
)
"""Who works here: one role each, and the automatic actors."""
STRANGERS = st.tuples(
    *(
        st.builds(
            Actor,
            id=st.just(name),
            roles=st.frozensets(st.sampled_from(sorted(ROLES))),
            automatic=st.booleans(),
        )
        for name in ("x1", "x2", "x3")
    )
)
"""Three more actors with random role sets, automatic or not, drawn per run."""

_ACCOUNT_OPERATIONS = frozenset(Operation) - {Operation.EDIT_LINES}
"""The changes of a customer's account (dunning and fees switches, holds, credit)."""


def _granted(permissions: Permissions, *operations: Operation) -> frozenset[str]:
    """The roles ``permissions`` grant any of ``operations``."""
    return frozenset(role for operation, role in permissions.operations if operation in operations)


def _line(price: str, quantity: int = 1) -> LineItem:
    """A line of ``quantity`` x ``price`` EUR at 19 % tax."""
    return LineItem(
        description="Item", quantity=quantity, unit_price=Money(price, EUR), tax_rate=19
    )


SERIES = Contract(
    id="V-1",
    customer=Customer(id="C-1", name="ACME GmbH"),
    currency=EUR,
    start=START,
    interval=Interval.MONTHLY,
    items=(
        ContractItem(id="hosting", line=_line("19.99")),
        ContractItem(id="setup", line=_line("250.00"), recurring=False),
    ),
)
"""The contract series of the portfolio's business customer: hosting every month from the
start, and a setup billed once; its invoices are created in DRAFT."""


def kit_rules(approval: bool, escalation: Escalation) -> DunningRules:
    """A reminder before the due date; a notice with a fixed fee the day after it, claiming
    the § 288 (5) BGB flat fee (a business debtor is in default only after that notice, so
    the next notice claims it); a notice with a fee of 10 % of the open principal that
    claims interest (sent after approval, or not); then ``escalation``."""
    return DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.BEFORE_DUE_DATE),
            DunningStage(
                StageKind.NOTICE,
                days_overdue=0,
                basis=TriggerBasis.DUE_DATE,
                fee=Money("5.00", EUR),
                claim_flat_fee=True,
            ),
            DunningStage(
                StageKind.NOTICE,
                days_overdue=7,
                fee_rules=(FeeRule(percent=Decimal(10)),),
                claim_interest=True,
                dispatch=DispatchMode.AFTER_APPROVAL if approval else DispatchMode.AUTOMATIC,
            ),
        ),
        escalation=escalation,
        escalation_days=5,
    )


# -- the laws are checked with a function, not assert -----------------------------------------


def _law(holds: object, why: object = "") -> None:
    """Fail the machine's run when a law does not hold (an AssertionError, raised also
    under ``python -O``, which drops ``assert`` statements)."""
    __tracebackhide__ = True
    if not holds:
        raise AssertionError(why)


def _event(what: str) -> None:
    """Count ``what`` in Hypothesis's statistics (when run by Hypothesis)."""
    if currently_in_test_context():
        event(what)


def _no_refusal_changes(name: str, given: Sequence[object], before: Sequence[object]) -> None:
    for index, (value, copied) in enumerate(zip(given, before, strict=True)):
        _law(value == copied, f"{name}: a refused step changed argument {index}")


def _hold(kind: HoldKind, day: dt.date, days: int) -> Hold:
    """A hold of ``kind`` from ``day``, ending ``days`` later (a dispute without end at 0)."""
    until = day + dt.timedelta(days=days)
    if kind is HoldKind.DISPUTE:
        return Hold.dispute(on=day, reason="contested", until=until if days else None)
    if kind is HoldKind.PROMISE_TO_PAY:
        return Hold.promise_to_pay(on=day, until=until, reason="will pay")
    return Hold.direct_debit(on=day, collection_date=until)
