"""The tests a billing team writes for its own dunning ladder (ladder.py), with dunlib's
testing kit only: strategies constrained to what the rules read, schedule and decision
assertions, and the plugin's fixtures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from ladder import rules_for

from dunlib import (
    Customer,
    CustomerKind,
    Invoice,
    Money,
    NoActionReason,
    Pause,
    Resume,
    StageKind,
    next_dunning_action,
    plan,
    simulate,
)
from dunlib.strategies import dunnable_invoices
from dunlib.testing import assert_decision, assert_schedule, schedule_rows

DAY = dt.timedelta(days=1)


def dun(invoice: Invoice) -> list[tuple[StageKind, int, Money]]:
    """Every document our ladder sends for ``invoice``: (kind, days after due, fee)."""
    schedule = simulate(invoice, rules_for, until=invoice.due_date + 60 * DAY)
    return list(schedule_rows(schedule))


def invoice_of(customer: Customer, gross: str) -> Invoice:
    return Invoice.sent(
        number="RE-2026-0042",
        customer=customer,
        gross=Money(gross, "EUR"),
        issue_date=dt.date(2026, 4, 26),
        due_date=dt.date(2026, 5, 10),
    )


ERIKA = Customer(id="K-1", name="Erika Mustermann", kind=CustomerKind.CONSUMER)
ACME = Customer(id="K-2", name="ACME GmbH", kind=CustomerKind.BUSINESS)


# -- properties: the rules over many invoices ------------------------------------------------


@given(invoice=dunnable_invoices(currency="EUR"))
def test_reminders_come_10_and_20_days_after_the_due_date(invoice: Invoice) -> None:
    documents = dun(invoice)
    assert documents[:2] == [
        (StageKind.REMINDER, 10, Money(0, "EUR")),
        (StageKind.REMINDER, 20, Money(0, "EUR")),
    ]


@given(invoice=dunnable_invoices(currency="EUR", kind=CustomerKind.CONSUMER, fees_enabled=True))
def test_the_notice_costs_7_50_on_day_30(invoice: Invoice) -> None:
    assert dun(invoice)[2:] == [(StageKind.NOTICE, 30, Money("7.50", "EUR"))]


@given(invoice=dunnable_invoices(currency="EUR", fees_enabled=False))
def test_customers_without_fees_pay_no_fee(invoice: Invoice) -> None:
    assert all(fee == Money(0, "EUR") for _, _, fee in dun(invoice))


@given(
    invoice=dunnable_invoices(
        currency="EUR", kind=CustomerKind.BUSINESS, max_open=1000, around=(Decimal(50),)
    )
)
def test_businesses_get_the_notice_exactly_from_50_euros_open(invoice: Invoice) -> None:
    kinds = [kind for kind, _, _ in dun(invoice)]
    assert (StageKind.NOTICE in kinds) == (invoice.open_amount >= Money(50, "EUR"))


@given(invoice=dunnable_invoices(currency="EUR", dunning_enabled=False))
def test_customers_with_dunning_off_get_nothing(invoice: Invoice) -> None:
    assert dun(invoice) == []


@given(invoice=dunnable_invoices(currency="EUR", kind=CustomerKind.CONSUMER))
def test_no_document_is_dated_inside_a_pause(invoice: Invoice) -> None:
    start, end = invoice.due_date + 5 * DAY, invoice.due_date + 25 * DAY
    schedule = simulate(
        invoice,
        rules_for,
        until=invoice.due_date + 60 * DAY,
        events=(Pause(on=start), Resume(on=end)),
    )
    assert all(not start <= entry.on < end for entry in schedule)
    assert [entry.kind for entry in schedule] == [
        StageKind.REMINDER,
        StageKind.REMINDER,
        StageKind.NOTICE,
    ]


# -- examples: the cases the team talked about ------------------------------------------------


def test_a_consumer_gets_two_reminders_and_the_notice() -> None:
    invoice = invoice_of(ERIKA, "119.00")
    schedule = simulate(invoice, rules_for, until=dt.date(2026, 7, 31))
    assert_schedule(schedule, [("reminder", 10, 0), ("reminder", 20, 0), ("notice", 30, "7.50")])


def test_a_business_owing_exactly_50_euros_gets_the_notice() -> None:
    invoice = invoice_of(ACME, "50.00")
    schedule = simulate(invoice, rules_for, until=dt.date(2026, 7, 31))
    assert_schedule(schedule, [("reminder", 10, 0), ("reminder", 20, 0), ("notice", 30, "7.50")])


def test_a_business_owing_49_99_gets_reminders_only() -> None:
    invoice = invoice_of(ACME, "49.99")
    schedule = simulate(invoice, rules_for, until=dt.date(2026, 7, 31))
    assert_schedule(schedule, [("reminder", 10, 0), ("reminder", 20, 0)])


def test_the_run_on_day_30_sends_the_notice() -> None:
    invoice = invoice_of(ERIKA, "119.00")
    reminded = simulate(invoice, rules_for, until=dt.date(2026, 5, 30)).invoice
    waiting = next_dunning_action(reminded, rules_for(reminded), today=dt.date(2026, 6, 8))
    assert_decision(waiting, NoActionReason.NOT_YET_DUE, next_on=dt.date(2026, 6, 9))
    assert_decision(
        next(plan([reminded], rules_for, today=dt.date(2026, 6, 9))), "notice", fee="7.50"
    )


def test_the_portfolio_run_sends_reminders_where_due(
    dunlib_portfolio: tuple[Invoice, ...], dunlib_today: dt.date
) -> None:
    decided = {
        decision.invoice.id for decision in plan(dunlib_portfolio, rules_for, today=dunlib_today)
    }
    overdue_by_ten = {
        invoice.id
        for invoice in dunlib_portfolio
        if invoice.customer.dunning_enabled
        and invoice.paused_since is None
        and (dunlib_today - invoice.due_date).days >= 10
    }
    assert decided == overdue_by_ten
