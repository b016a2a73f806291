"""Strategies for events over time and what-if questions: pauses, resumes, suspension sequences,
what-if events, schedules, comparisons and ageing reports.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

from hypothesis import strategies as st

from dunlib.analytics.comparison import Comparison, compare
from dunlib.analytics.receivables import AgeingReport, ageing
from dunlib.analytics.schedule import Schedule, simulate
from dunlib.analytics.whatif import WhatIfEvent, apply_what_if
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit
from dunlib.core.records import CreditNote, Payment
from dunlib.dunning.suspension import Pause, Resume, SuspensionEvent
from dunlib.payments.allocation import discount_offer
from dunlib.strategies import _checks as checks
from dunlib.strategies._common import _BOOKKEEPER, _cached
from dunlib.strategies.money import amounts, dates
from dunlib.strategies.rules import dunning_rules
from dunlib.strategies.states import dunnable_invoices

__all__ = [
    "ageing_reports",
    "comparisons",
    "pauses",
    "resumes",
    "schedules",
    "suspension_events",
    "what_if_events",
]


@checks.checked(
    {"min_value": checks.day(), "max_value": checks.day()}, ordered=(("min_value", "max_value"),)
)
@_cached
def pauses(
    *, min_value: _dt.date = _dt.date(2020, 1, 1), max_value: _dt.date = _dt.date(2030, 12, 31)
) -> st.SearchStrategy[Pause]:
    """Pauses of dunning on a day between ``min_value`` and ``max_value``, by the automatic
    actor (None) or a person holding the accountant's role."""
    return st.builds(
        Pause,
        on=dates(min_value=min_value, max_value=max_value),
        actor=st.none() | st.just(_BOOKKEEPER),
    )


@checks.checked(
    {"min_value": checks.day(), "max_value": checks.day()}, ordered=(("min_value", "max_value"),)
)
@_cached
def resumes(
    *, min_value: _dt.date = _dt.date(2020, 1, 1), max_value: _dt.date = _dt.date(2030, 12, 31)
) -> st.SearchStrategy[Resume]:
    """Resumptions of dunning on a day between ``min_value`` and ``max_value``."""
    return st.builds(
        Resume,
        on=dates(min_value=min_value, max_value=max_value),
        actor=st.none() | st.just(_BOOKKEEPER),
    )


@checks.checked(
    {"min_value": checks.day(), "max_value": checks.day(), "max_size": checks.count()},
    ordered=(("min_value", "max_value"),),
)
@_cached
def suspension_events(
    *,
    min_value: _dt.date = _dt.date(2020, 1, 1),
    max_value: _dt.date = _dt.date(2030, 12, 31),
    max_size: int = 6,
) -> st.SearchStrategy[tuple[SuspensionEvent, ...]]:
    """Pause and resume events in date order: Pause, Resume, Pause, … on distinct days.

    The sequence may end paused (an odd number of events).
    """
    kinds = (Pause, Resume)

    def build(days: list[_dt.date]) -> tuple[SuspensionEvent, ...]:
        return tuple(kinds[index % 2](on=day) for index, day in enumerate(sorted(days)))

    return st.lists(
        dates(min_value=min_value, max_value=max_value), max_size=max_size, unique=True
    ).map(build)


@checks.checked({"invoice": checks.invoice, "max_days": checks.count(), "max_size": checks.count()})
@st.composite
def what_if_events(
    draw: st.DrawFn, *, invoice: Invoice, max_days: int = 120, max_size: int = 4
) -> tuple[WhatIfEvent, ...]:
    """What-if events for :func:`dunlib.simulate` of ``invoice``, in date order, none before
    its last step, each applicable after the ones before it: pauses and resumes in turn (a
    resume first for a paused invoice), and at most one payment and one credit note, each of
    at most a quarter of what is open and never settling the invoice (at least one minor
    unit stays open beyond any cash discount the payment may take), so the invoice stays
    open and every later pause or resume applies. An invoice with too little open for
    either gets neither."""
    first = invoice.history[-1].on if invoice.history else invoice.issue_date
    last = first + _dt.timedelta(days=max_days)
    days = dates(min_value=first, max_value=last)
    suspension = draw(suspension_events(min_value=first, max_value=last, max_size=max_size))
    events: list[WhatIfEvent | tuple[_dt.date, type[Payment | CreditNote]]] = list(suspension)
    if invoice.paused_since is not None:  # a paused invoice is resumed first
        events = [Resume(on=e.on) if isinstance(e, Pause) else Pause(on=e.on) for e in suspension]
    events += [(draw(days), kind) for kind in (Payment, CreditNote) if draw(st.booleans())]
    code = invoice.currency
    smallest = Money(Decimal(1).scaleb(-minor_unit(code)), code)
    quarter = Money.rounded(invoice.open_amount.amount / 4, code)
    drawn: list[WhatIfEvent] = []
    for event in sorted(events, key=lambda e: e[0] if isinstance(e, tuple) else e.on):
        if isinstance(event, tuple):  # a payment or credit note: its amount as things stand
            day, kind = event
            cap = min(quarter, invoice.open_amount - discount_offer(invoice, today=day) - smallest)
            if cap < smallest:
                continue
            amount = draw(amounts(currency=code, min_value=smallest, max_value=cap))
            event = (
                Payment(on=day, amount=amount, reference="what-if")
                if kind is Payment
                else CreditNote(id="GS-WHAT-IF", on=day, amount=amount)
            )
        invoice = apply_what_if(invoice, event)
        drawn.append(event)
    return tuple(drawn)


@checks.checked({"currency": checks.currency(optional=True), "every": checks.count(1)})
@st.composite
def schedules(draw: st.DrawFn, *, currency: str | None = None, every: int = 7) -> Schedule:
    """Schedules of :func:`dunlib.simulate`: a dunnable invoice under drawn rules for 90
    days, with what-if events (runs every ``every`` days, weekly by default, to stay fast)."""
    invoice = draw(dunnable_invoices(currency=currency))
    rules = draw(dunning_rules(currency=invoice.currency, max_stages=3))
    events = draw(what_if_events(invoice=invoice, max_days=90, max_size=2))
    until = invoice.due_date + _dt.timedelta(days=90)
    return simulate(invoice, rules, until, events=events, every=every)


@checks.checked({"currency": checks.currency(optional=True)})
def comparisons(*, currency: str | None = None) -> st.SearchStrategy[Comparison]:
    """Comparisons of one dunnable invoice under two drawn rule sets (weekly runs)."""

    @st.composite
    def build(draw: st.DrawFn) -> Comparison:
        invoice = draw(dunnable_invoices(currency=currency))
        rules_a = draw(dunning_rules(currency=invoice.currency, max_stages=3))
        rules_b = draw(dunning_rules(currency=invoice.currency, max_stages=3))
        until = invoice.due_date + _dt.timedelta(days=90)
        return compare(invoice, rules_a, rules_b, until, every=7, labels=("now", "what if"))

    return build()


@checks.checked({"max_invoices": checks.count()})
@st.composite
def ageing_reports(draw: st.DrawFn, *, max_invoices: int = 4) -> AgeingReport:
    """Ageing reports of up to ``max_invoices`` dunnable invoices (several currencies and
    customers, partly paid) on a day up to 200 days after the first is due, with drawn
    buckets and, sometimes, the period's sales per currency."""
    found = draw(
        st.lists(dunnable_invoices(), max_size=max_invoices, unique_by=lambda invoice: invoice.id)
    )
    first = min((invoice.issue_date for invoice in found), default=_dt.date(2026, 1, 1))
    day = draw(dates(min_value=first, max_value=first + _dt.timedelta(days=200)))
    bounds = draw(st.lists(st.integers(1, 120), max_size=4, unique=True).map(sorted))
    codes = sorted({invoice.currency for invoice in found})
    sales = [
        draw(amounts(currency=code, min_value=0, max_value=10**6))
        for code in codes
        if draw(st.booleans())
    ]
    period = draw(st.integers(1, 366)) if sales else None
    return ageing(found, today=day, buckets=bounds, sales=sales, period_days=period)
