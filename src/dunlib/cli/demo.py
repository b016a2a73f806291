"""The demo's portfolio: invoices and their payments over a quarter, the same for a seed.

:func:`portfolio` makes ``n`` booked invoices in EUR for about ``n / 5`` customers, issued
from 60 days before ``start`` to 60 days after it and due 14 or 30 days after their issue, so
that due dates fall all over the quarter from ``start``. :func:`payments` says how their
customers pay: about four in ten pay in full around the due date, one in five pays in full
after a reminder or two, one in seven pays a part first, and the rest never pay (their
invoices go through every stage to the escalation of :data:`DEMO_RULES`).

Both draw from a :class:`random.Random` seeded with ``seed`` (not Hypothesis: the demo runs
with only the ``store`` extra installed), so one seed always gives the same invoices and
payments; ``dunlib demo`` (:mod:`dunlib.cli`) runs them through a store, and a benchmark
can take the same portfolio.
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Sequence
from decimal import Decimal

import attrs

from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.records import Customer
from dunlib.dunning.stages import DunningRules, DunningStage, Escalation, StageKind

__all__ = ["DEMO_RULES", "Settlement", "payments", "portfolio"]

DEMO_RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=14, payment_term_days=7),
        DunningStage(StageKind.REMINDER, days_overdue=7, payment_term_days=7),
        DunningStage(
            StageKind.NOTICE, days_overdue=7, payment_term_days=7, fee=Money("5.00", "EUR")
        ),
    ),
    escalation=Escalation.COLLECTION,
    escalation_days=14,
)
"""The demo's rules: a reminder 14 days after the due date, a second 7 days after it, a
dunning notice with a fee of 5.00 EUR 7 days later, and the claim handed to collection 14
days after the notice's deadline."""

_NAMES = (
    "Nordlicht",
    "Alpenblick",
    "Rheinwerk",
    "Bergmann",
    "Lindenhof",
    "Sonnenfeld",
    "Hafenkontor",
    "Eichenwald",
    "Mühlbach",
    "Seeblick",
    "Falkenstein",
    "Brückner",
)
_FORMS = ("GmbH", "AG", "KG", "e.K.", "OHG")


def _count(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field, value, "a whole number")
    if value < 1:
        raise InvalidValueError(field, value, "a whole number of 1 or more")
    return value


def _seed(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field, value, "a whole number")
    return value


def portfolio(n: int, seed: int, start: _dt.date) -> tuple[Invoice, ...]:
    """``n`` invoices in EUR (SENT, numbered ``RE-00001`` on), by number, for the customers
    ``K-001`` on (about one for every five invoices), issued from 60 days before ``start``
    to 60 days after it, of 20.00 to 5 000.00 EUR: the same for the same arguments."""
    count = _count(n, "portfolio.n")
    rng = random.Random(_seed(seed, "portfolio.seed"))
    day = as_date(start, "portfolio.start")
    customers = [
        Customer(
            id=f"K-{index:03d}",
            name=f"{_NAMES[index % len(_NAMES)]} {_FORMS[index // len(_NAMES) % len(_FORMS)]}"
            + ("" if index < len(_NAMES) * len(_FORMS) else f" {index}"),
        )
        for index in range(max(1, count // 5))
    ]
    invoices = []
    for index in range(1, count + 1):
        issued = day + _dt.timedelta(days=rng.randint(-60, 60))
        cents = rng.randint(2_000, 500_000)
        invoices.append(
            Invoice.sent(
                number=f"RE-{index:05d}",
                customer=rng.choice(customers),
                gross=Money(Decimal(cents).scaleb(-2), "EUR"),
                issue_date=issued,
                due_date=issued + _dt.timedelta(days=rng.choice((14, 30))),
            )
        )
    return tuple(invoices)


@attrs.frozen(kw_only=True)
class Settlement:
    """A payment the demo books: on day ``on``, for the invoice ``invoice_id``, of ``amount``
    (None: whatever is open on that day, fees included)."""

    on: _dt.date
    invoice_id: str
    amount: Money | None


def payments(invoices: Sequence[Invoice], seed: int, start: _dt.date) -> tuple[Settlement, ...]:
    """How the customers of ``invoices`` pay (see the module docs), by day then invoice; no
    payment falls before ``start`` or before the invoice's issue."""
    rng = random.Random(_seed(seed, "payments.seed"))
    day = as_date(start, "payments.start")
    found: list[Settlement] = []
    for invoice in invoices:
        if not isinstance(invoice, Invoice):
            raise InvalidTypeError("payments.invoices", invoice, "a sequence of Invoices")
        plan: list[tuple[int, Money | None]] = []
        luck = rng.random()
        if luck < 0.4:  # on time, or nearly
            plan.append((rng.randint(-10, 5), None))
        elif luck < 0.6:  # after a reminder or two
            plan.append((rng.randint(16, 30), None))
        elif luck < 0.75:  # a part first, the rest (perhaps) later
            first = rng.randint(0, 20)
            part = invoice.open_amount.scaled(Decimal(rng.randint(20, 70)) / 100)
            plan.append((first, part))
            if rng.random() < 0.5:
                plan.append((first + rng.randint(7, 30), None))
        floor = max(day, invoice.issue_date)
        found.extend(
            Settlement(
                on=max(floor, invoice.due_date + _dt.timedelta(days=offset)),
                invoice_id=invoice.id,
                amount=amount,
            )
            for offset, amount in plan
        )
    return tuple(sorted(found, key=lambda s: (s.on, s.invoice_id)))
