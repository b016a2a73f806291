"""A kit for testing your own dunning rules: assertions with readable diffs, standard data.

:func:`assert_schedule` compares a simulated :class:`~dunlib.analytics.schedule.Schedule` with the
documents you expect, each as ``(kind, days after the due date, fee)``;
:func:`assert_decision` compares one decision of the engine (or of a run) with what you
expect. Both raise ``AssertionError`` with a table of expected against actual, the
differing rows marked, so a failing test says what changed in your rules.

:data:`STANDARD_RULES`, :data:`TODAY` and :func:`sample_portfolio` are the values behind
the pytest fixtures ``dunlib_rules``, ``dunlib_today`` and ``dunlib_portfolio`` (the
``pytest11`` plugin :mod:`dunlib_pytest`, installed with the ``testing`` extra),
which also registers the Hypothesis profile ``dunlib`` (:func:`register_profiles`). Nothing
here imports Hypothesis or pytest unless asked to.

>>> from datetime import date
>>> from dunlib import simulate
>>> invoice = sample_portfolio()[1]
>>> schedule = simulate(invoice, STANDARD_RULES, until=date(2026, 8, 31))
>>> assert_schedule(schedule, [("reminder", 14, 0), ("reminder", 21, 0), ("reminder", 28, 0),
...                            ("notice", 35, "5.00")])
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from decimal import Decimal

from dunlib.analytics.schedule import Schedule
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.records import Customer, CustomerKind, Payment
from dunlib.dunning.actions import Escalate, IssueStage, NoAction, NoActionReason
from dunlib.dunning.decisions import Decision
from dunlib.dunning.notices import record_notice
from dunlib.dunning.stages import DunningRules, DunningStage, Escalation, StageKind
from dunlib.dunning.suspension import pause
from dunlib.payments.recording import record_payment
from dunlib.workflow.policy import AUTOMATIC

__all__ = [
    "STANDARD_RULES",
    "TODAY",
    "ExpectedDocument",
    "assert_decision",
    "assert_schedule",
    "register_profiles",
    "sample_portfolio",
    "schedule_rows",
]

ExpectedDocument = tuple[StageKind | str, int, Money | Decimal | int | str]
"""One expected document: its kind (``StageKind`` or ``"reminder"``/``"notice"``), its day
counted from the invoice's due date, and its fee (Money, or a number in the invoice's
currency)."""

STANDARD_RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=14),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=Money("5.00", "EUR")),
    )
)
"""The standard rules of the dunning set-up (seed 003): reminders 14, 7 and 7 days after
the due date and the previous document, then a notice with a fee of 5.00 EUR 7 days on."""

TODAY = _dt.date(2026, 6, 1)
"""A fixed day to ask on, so tests never read the clock."""


def sample_portfolio(today: _dt.date = TODAY) -> tuple[Invoice, ...]:
    """Eight sent EUR invoices as a dunning run finds them on ``today``, one of each case.

    In order: not yet due; due 14 days before ``today`` (the standard rules' first
    reminder is due); 40 days overdue and reminded once; a consumer's, 20 days overdue;
    a customer without fees, 30 days overdue; a customer with dunning off; one paused
    10 days ago; one partly paid, with 0.50 EUR left open.
    """
    day = _dt.timedelta(days=1)
    business = Customer(id="C-1", name="ACME GmbH")
    consumer = Customer(id="C-2", name="Erika Mustermann", kind=CustomerKind.CONSUMER)
    no_fees = Customer(id="C-3", name="Muster AG", fees_enabled=False)
    switched_off = Customer(id="C-4", name="Globex Ltd", locale="en_GB", dunning_enabled=False)

    def sent(number: int, customer: Customer, gross: str, due: _dt.date) -> Invoice:
        return Invoice.sent(
            number=f"RE-{today.year}-{number:04d}",
            customer=customer,
            gross=Money(gross, "EUR"),
            issue_date=due - 14 * day,
            due_date=due,
        )

    reminded = sent(3, business, "1190.00", today - 40 * day)
    first = STANDARD_RULES.stages[0]
    reminded = record_notice(
        reminded,
        IssueStage(
            invoice_id=reminded.id,
            level=1,
            stage_number=1,
            stage=first,
            on=reminded.due_date + 14 * day,
            due_date=reminded.due_date + 21 * day,
            fee=Money.zero("EUR"),
            total_gross=reminded.gross,
            open_amount=reminded.open_amount,
            channels=first.channels,
            attach_invoice=first.attach_invoice,
            dispatch=first.dispatch,
            requires_approval=first.requires_approval,
        ),
    )
    paused = pause(
        sent(7, business, "80.00", today - 25 * day), on=today - 10 * day, actor=AUTOMATIC
    )
    partly = sent(8, consumer, "19.50", today - 15 * day)
    paid = record_payment(partly, Payment(on=partly.due_date, amount=Money("19.00", "EUR")))
    return (
        sent(1, business, "119.00", today + 10 * day),
        sent(2, business, "119.00", today - 14 * day),
        reminded,
        sent(4, consumer, "49.99", today - 20 * day),
        sent(5, no_fees, "250.00", today - 30 * day),
        sent(6, switched_off, "500.00", today - 60 * day),
        paused,
        paid.invoice,
    )


def register_profiles() -> None:
    """Register the Hypothesis profile ``dunlib`` (needs the ``testing`` extra); load it with
    ``settings.load_profile("dunlib")`` or ``pytest --hypothesis-profile=dunlib``.

    Derandomized (the same examples on every run, as CI wants), 100 examples, no deadline
    (a dunning simulation takes its time) and no example database; registering it loads
    nothing, so the profile in use stays what it was.
    """
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "dunlib",
        derandomize=True,
        max_examples=100,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
        print_blob=True,
    )


# -- assertions ------------------------------------------------------------------------------


def _kind(value: object, where: str) -> StageKind:
    if isinstance(value, StageKind):
        return value
    if isinstance(value, str) and value in {kind.value for kind in StageKind}:
        return StageKind(value)
    raise InvalidValueError(where, value, "a StageKind or 'reminder' / 'notice'")


def _fee(value: object, currency: str, where: str) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, int | Decimal | str) and not isinstance(value, bool):
        return Money(value, currency)
    raise InvalidTypeError(where, value, f"a Money or an amount in {currency}")


def schedule_rows(schedule: Schedule) -> tuple[tuple[StageKind, int, Money], ...]:
    """The schedule's documents as ``(kind, days after the due date, fee)``."""
    if not isinstance(schedule, Schedule):
        raise InvalidTypeError("schedule_rows.schedule", schedule, "a Schedule")
    due = schedule.invoice.due_date
    return tuple((entry.kind, (entry.on - due).days, entry.fee) for entry in schedule)


def _cells(row: tuple[StageKind, int, Money] | None) -> str:
    if row is None:
        return "-"
    kind, offset, fee = row
    return f"{kind.value:<8} {offset:+5d}  {fee}"


def assert_schedule(schedule: Schedule, expected: Iterable[ExpectedDocument]) -> None:
    """Assert that ``schedule`` issued exactly the ``expected`` documents, in order.

    Each expected document is ``(kind, days after the invoice's due date, fee)``; a fee
    given as a number is in the invoice's currency. On a difference, the ``AssertionError``
    lists both sides row by row and marks the rows that differ with ``!``.
    """
    actual = schedule_rows(schedule)
    currency = schedule.invoice.currency
    wanted = tuple(
        (
            _kind(item[0], f"assert_schedule.expected[{index}]"),
            int(item[1]),
            _fee(item[2], currency, f"assert_schedule.expected[{index}]"),
        )
        for index, item in enumerate(expected)
    )
    if wanted == actual:
        return
    invoice = schedule.invoice
    lines = [
        f"dunning schedule of {invoice.number or invoice.id} (due {invoice.due_date}) differs "
        "from the expected one (days counted from the due date):",
        f"     #  {'expected':<30} actual",
    ]
    for index in range(max(len(wanted), len(actual))):
        want = wanted[index] if index < len(wanted) else None
        got = actual[index] if index < len(actual) else None
        mark = "  " if want == got else " !"
        lines.append(f"{mark} {index + 1:>3}  {_cells(want):<30} {_cells(got)}")
    raise AssertionError("\n".join(lines))


def _describe(action: IssueStage | NoAction | Escalate) -> str:
    match action:
        case IssueStage():
            what = f"issue a {action.kind.value}"
            return f"{what} (level {action.level}, fee {action.fee}, on {action.on})"
        case NoAction():
            return f"nothing to do ({action.reason.name}" + (
                f", next on {action.next_on})" if action.next_on else ")"
            )
        case _:
            return f"escalate: {action.escalation.name} (on {action.on})"


def assert_decision(
    decision: IssueStage | NoAction | Escalate | Decision,
    expected: StageKind | str | NoActionReason | Escalation,
    *,
    fee: Money | Decimal | int | str | None = None,
    level: int | None = None,
    on: _dt.date | None = None,
) -> None:
    """Assert what the engine decided: a document of kind ``expected`` (with ``fee``,
    ``level`` and ``on`` when given), nothing for reason ``expected``, or escalation
    ``expected``. ``decision`` is an action or a run's :class:`~dunlib.dunning.decisions.Decision`.

    On a difference, the ``AssertionError`` names what was expected and what was decided.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this helper's
    action = decision.action if isinstance(decision, Decision) else decision
    if not isinstance(action, IssueStage | NoAction | Escalate):
        raise InvalidTypeError("assert_decision.decision", decision, "a DunningAction or Decision")
    problems: list[str] = []
    if isinstance(expected, NoActionReason):
        wanted = f"nothing to do ({expected.name})"
        if not isinstance(action, NoAction) or action.reason is not expected:
            problems.append("another decision")
    elif isinstance(expected, Escalation):
        wanted = f"escalate: {expected.name}"
        if not isinstance(action, Escalate) or action.escalation is not expected:
            problems.append("another decision")
    else:
        kind = _kind(expected, "assert_decision.expected")
        details = [
            f"{name} {value}"
            for name, value in (("level", level), ("fee", fee), ("on", on))
            if value is not None
        ]
        wanted = f"issue a {kind.value}" + (f" ({', '.join(details)})" if details else "")
        if not isinstance(action, IssueStage) or action.kind is not kind:
            problems.append("another decision")
        else:
            if fee is not None and action.fee != _fee(fee, action.fee.currency, "fee"):
                problems.append(f"fee {action.fee}")
            if level is not None and action.level != level:
                problems.append(f"level {action.level}")
            if on is not None and action.on != on:
                problems.append(f"on {action.on}")
    if problems:
        raise AssertionError(
            f"decision about {action.invoice_id} differs ({', '.join(problems)}):\n"
            f"  expected: {wanted}\n"
            f"  actual:   {_describe(action)}"
        )
