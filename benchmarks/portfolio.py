"""A seeded generator of realistic portfolios for the daily-run benchmarks.

Customers hold one to eight invoices each, in EUR or CHF (one currency per customer,
four in five in EUR). Invoices are issued over the 80 days before the run day on 14 or
30 days' terms, with one to three lines at the usual tax rates. Past their due date they
climb the seed's ladder (reminders after 14, 7 and 7 days, a notice with a 5.00 fee 7 days
later, each counted from the previous document): an app that runs every day sends each
document on its trigger day or a day or two late, and now and then a document is still
waiting (a missed run, an approval pending), which makes the invoice actionable today.
Some invoices are partly paid, a few paid in full, a few paused (and so is every
invoice handed over to collection after the last notice), and a few customers have
dunning switched off. About 10 % of the invoices need a document or an escalation on the
run day (the script prints the share).

Invoices are built directly with their bookings and history (as an app loads them from
its database), not through the booking path, so that 100 000 of them take seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator
from decimal import Decimal

from dunlib import (
    Customer,
    DunningRules,
    DunningStage,
    Escalation,
    HistoryEntry,
    Invoice,
    LineItem,
    Money,
    Payment,
    PaymentTerms,
    StageKind,
    Status,
)
from dunlib.core import EventKind, IssuedStage

TODAY = dt.date(2026, 6, 1)
"""The run day of the benchmarks."""

LADDER_DAYS = (14, 7, 7, 7)
"""The seed's ladder: days after the due date, then after each previous document."""

FEE = Decimal("5.00")
"""The notice's fee, in the invoice's currency."""

ESCALATION_DAYS = 14
"""Days after the last notice until the rules escalate (the portfolio pauses such invoices)."""

TAX_RATES = {"EUR": (Decimal(19), Decimal(7)), "CHF": (Decimal("8.1"), Decimal("2.6"))}


def seed_rules(currency: str) -> DunningRules:
    """The seed's rules with the notice's fee in ``currency``; escalation after 14 days."""
    return DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=LADDER_DAYS[0]),
            DunningStage(StageKind.REMINDER, days_overdue=LADDER_DAYS[1]),
            DunningStage(StageKind.REMINDER, days_overdue=LADDER_DAYS[2]),
            DunningStage(StageKind.NOTICE, days_overdue=LADDER_DAYS[3], fee=Money(FEE, currency)),
        ),
        escalation=Escalation.COLLECTION,
        escalation_days=ESCALATION_DAYS,
    )


RULES = {code: seed_rules(code) for code in ("EUR", "CHF")}


def rules_for(invoice: Invoice) -> DunningRules:
    """The rules of an invoice: the seed's, with the fee in the invoice's currency."""
    return RULES[invoice.currency]


def _day(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


class _Builder:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.random = random.Random(seed)
        self.today = today
        self.count = 0

    def customer(self, number: int) -> tuple[Customer, str]:
        draw = self.random.random
        customer = Customer(
            id=f"C-{number:07d}",
            name=f"Customer {number} GmbH",
            locale="de_DE" if draw() < 0.8 else "de_CH",
            dunning_enabled=draw() >= 0.01,
            fees_enabled=draw() >= 0.1,
        )
        return customer, "EUR" if draw() < 0.8 else "CHF"

    def invoice(self, customer: Customer, currency: str) -> Invoice:
        rnd, today = self.random, self.today
        self.count += 1
        number = f"RE-{self.count:08d}"
        issued = _day(today, -rnd.randint(0, 80))
        terms = PaymentTerms(net_days=rnd.choice((14, 14, 30)))
        due = _day(issued, terms.net_days)
        lines = tuple(
            LineItem(
                description=f"Item {n}",
                quantity=Decimal(rnd.randint(1, 20)),
                unit_price=Money(Decimal(rnd.randint(100, 50_000)).scaleb(-2), currency),
                tax_rate=rnd.choice(TAX_RATES[currency]),
            )
            for n in range(rnd.randint(1, 3))
        )
        gross_guess = sum(line.net.amount for line in lines)
        events: list[tuple[dt.date, int, object]] = []
        notices: list[IssuedStage] = []
        since = due
        for level, days in enumerate(LADDER_DAYS, start=1):
            trigger = _day(since, days)
            if trigger >= today or rnd.random() < 0.03:  # not yet due, or still waiting
                break
            on = min(_day(trigger, rnd.choice((0, 0, 0, 0, 1, 2))), _day(today, -1))
            fee = Money(FEE if level == len(LADDER_DAYS) else 0, currency)
            notices.append(IssuedStage(level=level, on=on, due_date=_day(on, 7), fee=fee))
            events.append((on, 1, notices[-1]))
            since = on
        payments: list[Payment] = []
        status = Status.DUNNED if notices else Status.SENT
        chance = rnd.random()
        if chance < 0.15 and issued < today:
            share = Decimal(rnd.randint(20, 80)) / 100
            amount = Money.rounded(gross_guess * share, currency)
            payments.append(Payment(on=_day(issued, rnd.randint(1, (today - issued).days)),
                                    amount=amount, reference=number))  # fmt: skip
        paused = None
        if 0.15 <= chance < 0.18:
            paused = _day(today, -rnd.randint(0, 20))
            paused = max(paused, issued)
        if len(notices) == len(LADDER_DAYS) and _day(since, ESCALATION_DAYS) < today:
            paused = _day(since, ESCALATION_DAYS)  # handed over to collection: dunning paused
        history = [
            HistoryEntry(on=issued, kind=EventKind.TRANSITION, from_status=Status.DRAFT,
                         to_status=Status.SENT, detail=f"booked and sent as {number}"),
        ]  # fmt: skip
        level_status = Status.SENT
        owed = Invoice(id=number, customer=customer, currency=currency, issue_date=issued,
                       lines=lines).gross  # fmt: skip
        for on, _, booking in sorted(
            [*events, *((p.on, 0, p) for p in payments)], key=lambda e: (e[0], e[1])
        ):
            if isinstance(booking, IssuedStage):
                history.append(HistoryEntry(on=on, kind=EventKind.STAGE_ISSUED,
                                            from_status=level_status, to_status=Status.DUNNED,
                                            detail=f"level {booking.level} notice sent, due "
                                            f"{booking.due_date}, fee {booking.fee}"))  # fmt: skip
                level_status = Status.DUNNED
                owed += booking.fee
            else:  # as record_payment writes it
                assert isinstance(booking, Payment)
                owed -= booking.amount
                history.append(HistoryEntry(on=on, kind=EventKind.PAYMENT,
                                            from_status=level_status, to_status=level_status,
                                            detail=f"payment of {booking.amount} received; "
                                            f"open {owed}"))  # fmt: skip
        if paused is not None:
            paused = max(paused, history[-1].on)
            history.append(HistoryEntry(on=paused, kind=EventKind.DUNNING_PAUSED,
                                        from_status=status, to_status=status,
                                        actor="clerk", detail="dunning paused"))  # fmt: skip
        invoice = Invoice(
            id=number,
            number=number,
            customer=customer,
            currency=currency,
            issue_date=issued,
            terms=terms,
            due_date=due,
            lines=lines,
            status=status,
            payments=tuple(payments),
            issued_stages=tuple(notices),
            paused_since=paused,
            history=tuple(history),
        )
        if 0.18 <= chance < 0.21 and not notices and not payments:  # paid in full
            on = _day(issued, rnd.randint(0, max(0, (today - issued).days)))
            paid = Payment(on=on, amount=invoice.gross, reference=number)
            invoice = Invoice(
                id=number,
                number=number,
                customer=customer,
                currency=currency,
                issue_date=issued,
                terms=terms,
                due_date=due,
                lines=lines,
                status=Status.PAID,
                payments=(paid,),
                history=(
                    *history,
                    HistoryEntry(on=on, kind=EventKind.PAYMENT, from_status=Status.SENT,
                                 to_status=Status.PAID, detail=f"payment of {invoice.gross} "
                                 f"received; open {invoice.gross - invoice.gross}"),
                ),
            )  # fmt: skip
        return invoice


def portfolio(size: int, *, seed: int = 2026, today: dt.date = TODAY) -> Iterator[Invoice]:
    """``size`` invoices of a seeded portfolio (the same ones for the same seed), lazily."""
    builder = _Builder(seed, today)
    made, number = 0, 0
    while made < size:
        number += 1
        customer, currency = builder.customer(number)
        for _ in range(builder.random.randint(1, 8)):
            if made == size:
                return
            yield builder.invoice(customer, currency)
            made += 1


def minimal_loop(invoices: Iterable[Invoice], today: dt.date) -> list[Invoice]:
    """The floor: the invoices whose next stage of the seed's ladder is due today, by the
    seed's trigger rule alone (previous document, or due date, plus the stage's days)."""
    steps = tuple(dt.timedelta(days=days) for days in LADDER_DAYS)
    stages = len(steps)
    found = []
    for invoice in invoices:
        notices = invoice.issued_stages
        level = len(notices)
        if level < stages:
            since = notices[-1].on if notices else invoice.due_date
            if since + steps[level] <= today:
                found.append(invoice)
    return found
