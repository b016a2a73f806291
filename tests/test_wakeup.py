"""The wake-up day (issue 25): the first day the engine may act on an invoice if nothing is
booked in between, the day a store wakes it on."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import DUE, SAM, SEED_RULES, eur, sent
from dunlib import (
    Authority,
    Hold,
    HoldKind,
    InvalidTypeError,
    Invoice,
    NoAction,
    Payment,
    next_dunning_action,
    record_payment,
)
from dunlib import strategies as ds
from dunlib.dunning import InstalmentPlan, agree_plan, place_hold, wakes_on, wakeup
from dunlib.dunning.accounts import CustomerAccount
from dunlib.dunning.stages import DunningRules

D = dt.date
ONE = dt.timedelta(days=1)
HORIZON = 400
"""Days after ``today`` the law is checked on, day by day (the longest trigger, hold or plan
of the strategies ends well within it)."""


def check_law(
    invoice: Invoice, rules: DunningRules, today: dt.date, account: CustomerAccount | None
) -> dt.date | None:
    """Check the wake-up law for one case day by day and return the wake-up day."""
    woken = wakes_on(invoice, rules, today=today, account=account)
    last = today + dt.timedelta(days=HORIZON) if woken is None else woken
    day = today
    while day < last and day < today + dt.timedelta(days=HORIZON):
        action = next_dunning_action(invoice, rules, today=day, account=account)
        assert isinstance(action, NoAction), (day, action, woken)
        day += ONE
    if woken is not None:
        action = next_dunning_action(invoice, rules, today=woken, account=account)
        assert not isinstance(action, NoAction), (woken, action)
    return woken


@st.composite
def cases(
    draw: st.DrawFn,
) -> tuple[Invoice, DunningRules, dt.date, CustomerAccount | None]:
    """An invoice in any state dunning sees (held, dunned, settled, closed, under a plan),
    rules in its currency, maybe its customer's account, and a today near its due date or
    its last step."""
    invoice = draw(
        st.one_of(
            ds.dunnable_invoices(currency="EUR"),
            ds.receivable_invoices(currency="EUR"),
            ds.held_invoices(currency="EUR"),
            ds.closed_invoices(currency="EUR"),
            ds.invoices(currency="EUR"),
        )
    )
    rules = draw(ds.dunning_rules(currency="EUR", with_fee_rules=True, with_repeat=True))
    account = draw(
        st.none() | ds.customer_accounts(customer_id=invoice.customer.id, currency="EUR")
    )
    anchor = draw(st.sampled_from((invoice.due_date, invoice.history[-1].on)))
    today = anchor + dt.timedelta(days=draw(st.integers(min_value=-20, max_value=90)))
    return invoice, rules, today, account


@given(cases())
def test_law_the_engine_says_nothing_before_the_wake_up_day_and_acts_on_it(
    case: tuple[Invoice, DunningRules, dt.date, CustomerAccount | None],
) -> None:
    """Law: for any invoice, rules, account and today, the engine answers NoAction on every
    day from ``today`` to the day before ``wakes_on``, and acts on that day; with no
    wake-up day, it answers NoAction on every day of the horizon."""
    check_law(*case)


@given(
    offset=st.integers(min_value=-3, max_value=3),
    kind=st.sampled_from((HoldKind.DISPUTE, HoldKind.PROMISE_TO_PAY, HoldKind.DIRECT_DEBIT)),
    length=st.integers(min_value=1, max_value=40),
)
def test_law_around_a_hold_end_the_wake_up_day_is_exact(
    offset: int, kind: HoldKind, length: int
) -> None:
    """Law: around the end of a hold (a dispute, a promise, a direct debit) the wake-up day
    is the first day the engine acts, counted from any day near the end."""
    start = DUE + dt.timedelta(days=20)
    held = place_hold(
        sent("1200.00"),
        _hold(kind, start, start + dt.timedelta(days=length)),
        actor=SAM,
        authority=Authority(),
    )
    ends = next_dunning_action(held, SEED_RULES, today=start)
    assert isinstance(ends, NoAction)
    assert ends.next_on is not None
    woken = check_law(held, SEED_RULES, ends.next_on + dt.timedelta(days=offset), None)
    assert woken is not None
    assert woken >= ends.next_on


def _hold(kind: HoldKind, start: dt.date, end: dt.date) -> Hold:
    """A hold of ``kind`` from ``start`` to ``end`` (a direct debit collected on ``end`` with
    a return window of five TARGET2 days)."""
    days = 5 if kind is HoldKind.DIRECT_DEBIT else 0
    return Hold(kind=kind, on=start, until=end, return_days=days, reason="Klärung")


@given(offset=st.integers(min_value=-40, max_value=120))
def test_law_around_the_triggers_and_an_instalment_plan(offset: int) -> None:
    """Law: from any day around the seed's triggers and the days of an agreed plan's
    instalments, the wake-up day is exact: NoAction until it, an action on it."""
    invoice = sent("1200.00")
    check_law(invoice, SEED_RULES, DUE + dt.timedelta(days=offset), None)
    plan = InstalmentPlan.monthly(
        eur("1200.00"), on=D(2026, 5, 20), first_due=D(2026, 6, 1), count=3, grace_days=5
    )
    agreed = agree_plan(invoice, plan, actor=SAM, authority=Authority())
    woken = check_law(agreed, SEED_RULES, D(2026, 5, 20) + dt.timedelta(days=max(offset, 0)), None)
    assert woken is not None


def test_the_seed_invoice_wakes_on_its_reminder_trigger_and_never_once_paid() -> None:
    """Worked (seed 003): the invoice due 10.05.2026 under the seed rules wakes on its
    reminder's trigger; asked on that day, that day; fully paid, never."""
    invoice = sent("1200.00")
    action = next_dunning_action(invoice, SEED_RULES, today=D(2026, 5, 1))
    assert isinstance(action, NoAction)
    assert action.next_on is not None
    assert wakes_on(invoice, SEED_RULES, today=D(2026, 5, 1)) == action.next_on
    assert wakes_on(invoice, SEED_RULES, today=action.next_on) == action.next_on
    paid = record_payment(
        invoice, Payment(amount=eur("1200.00"), on=D(2026, 5, 5)), actor=SAM, authority=Authority()
    )
    assert wakes_on(paid.invoice, SEED_RULES, today=D(2026, 5, 5)) is None


def test_wakes_on_refuses_a_today_that_is_not_a_day() -> None:
    """A today that is not a date is a typed error naming ``wakes_on.today``."""
    with pytest.raises(InvalidTypeError, match=r"wakes_on\.today"):
        wakes_on(sent("1200.00"), SEED_RULES, today="2026-05-01")  # type: ignore[arg-type]


def test_past_max_hops_the_last_day_followed_is_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    """A chain of more "not yet" days than MAX_HOPS ends on the last day followed: a day the
    engine may act on, never later than the first it acts on."""
    invoice = sent("1200.00")
    first = next_dunning_action(invoice, SEED_RULES, today=D(2026, 4, 1))
    assert isinstance(first, NoAction)
    monkeypatch.setattr(wakeup, "MAX_HOPS", 1)
    assert wakes_on(invoice, SEED_RULES, today=D(2026, 4, 1)) == first.next_on
