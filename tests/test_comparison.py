"""compare: one invoice under two rule sets, side by side."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from builders import ANN, SEED_RULES, eur, sent
from dunlib import (
    Authority,
    CustomerAccount,
    Escalation,
    InvalidTypeError,
    InvalidValueError,
    Payment,
    compare,
    simulate,
    switch_dunning,
)
from dunlib.analytics import Comparison

UNTIL = date(2026, 7, 31)
SOONER = attrs.evolve(
    SEED_RULES, stages=(attrs.evolve(SEED_RULES.stages[0], days_overdue=10), *SEED_RULES.stages[1:])
)


def test_waiting_10_days_instead_of_14() -> None:
    """The seed ladder with its first reminder after 10 days instead of 14: every document
    four days earlier; the table pairs them by level."""
    comparison = compare(sent(), SEED_RULES, SOONER, UNTIL, labels=("14 days", "10 days"))
    assert [(level, a.on, b.on) for level, a, b in comparison.pairs() if a and b] == [
        (1, date(2026, 5, 24), date(2026, 5, 20)),
        (2, date(2026, 5, 31), date(2026, 5, 27)),
        (3, date(2026, 6, 7), date(2026, 6, 3)),
        (4, date(2026, 6, 14), date(2026, 6, 10)),
    ]
    assert str(comparison).splitlines()[:4] == [
        "14 days vs 10 days: dunning of RE-2026-0001 (due 2026-05-10) until 2026-07-31",
        "level  14 days: date  14 days: what  14 days: fee  10 days: date  10 days: what"
        "  10 days: fee    shift",
        "-----  -------------  -------------  ------------  -------------  -------------"
        "  ------------  -------",
        "    1  2026-05-24     reminder           0.00 EUR  2026-05-20     reminder"
        "           0.00 EUR  -4 days",
    ]
    assert str(comparison).splitlines()[-2:] == [
        "14 days: 4 document(s), last on 2026-06-14, fees 5.00 EUR, open at the end 124.00 EUR",
        "10 days: 4 document(s), last on 2026-06-10, fees 5.00 EUR, open at the end 124.00 EUR",
    ]


def test_levels_only_one_side_reaches_and_escalations() -> None:
    """A level one rule set never reaches is blank on that side (no shift); escalations are
    a row of their own, with their shift when both escalate."""
    short = attrs.evolve(SEED_RULES, stages=SEED_RULES.stages[:2])
    escalating = attrs.evolve(SEED_RULES, escalation=Escalation.COLLECTION, escalation_days=7)
    comparison = compare(sent(), short, escalating, UNTIL)
    rows = comparison.rows()
    assert rows[3] == ("3", "", "", "", "2026-06-07", "reminder", "0.00 EUR", "")
    assert rows[-1] == ("", "", "", "", "2026-06-21", "escalate: collection", "", "")
    both = compare(sent(), escalating, attrs.evolve(escalating, escalation_days=10), UNTIL)
    assert both.rows()[-1][-1] == "+3 days"
    assert compare(sent(), SEED_RULES, SEED_RULES, UNTIL).rows()[1][-1] == "same day"
    nothing = compare(sent(), SEED_RULES, SEED_RULES, date(2026, 5, 1))
    assert nothing.summary()[0] == (
        "A: 0 document(s), last on -, fees 0.00 EUR, open at the end 119.00 EUR"
    )


def test_events_apply_to_both_sides() -> None:
    """The same what-if events (here half paid on 30.05.) apply under both rule sets."""
    half = (Payment(on=date(2026, 5, 30), amount=eur("59.50")),)
    comparison = compare(sent(), SEED_RULES, SOONER, UNTIL, events=half)
    assert comparison.a == simulate(sent(), SEED_RULES, UNTIL, events=half)
    assert comparison.b == simulate(sent(), SOONER, UNTIL, events=half)


def test_the_customer_account_applies_to_both_sides() -> None:
    """Dunning switched off for the customer from 20.05. stops both schedules alike."""
    invoice = sent()
    account = switch_dunning(
        CustomerAccount(customer_id=invoice.customer.id),
        enabled=False,
        on=date(2026, 5, 20),
        actor=ANN,
        authority=Authority(),
    )
    comparison = compare(invoice, SEED_RULES, SOONER, UNTIL, account=account)
    assert comparison.a == simulate(invoice, SEED_RULES, UNTIL, account=account)
    assert comparison.b == simulate(invoice, SOONER, UNTIL, account=account)
    assert list(comparison.a) == []


def test_bad_arguments_are_refused() -> None:
    """Labels must be two different texts; both schedules must be of one invoice."""
    with pytest.raises(InvalidTypeError, match="compare.labels"):
        compare(sent(), SEED_RULES, SOONER, UNTIL, labels="AB")
    for labels in (("A",), ("A", "A"), ("A", " "), ("A", 2)):
        with pytest.raises(InvalidValueError, match="Comparison.labels"):
            compare(sent(), SEED_RULES, SOONER, UNTIL, labels=labels)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="simulate.rules"):
        compare(sent(), SEED_RULES, None, UNTIL)  # type: ignore[arg-type]
    other = simulate(sent(number="RE-2"), SEED_RULES, UNTIL)
    with pytest.raises(InvalidValueError, match="Comparison.b"):
        Comparison(a=simulate(sent(), SEED_RULES, UNTIL), b=other)
