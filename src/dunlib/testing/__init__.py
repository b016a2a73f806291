"""A kit for testing your own dunning rules: assertions with readable diffs, standard data.

:func:`assert_schedule` compares a simulated :class:`~dunlib.analytics.schedule.Schedule` with the
documents you expect, each as ``(kind, days after the due date, fee)`` with its level and
the interest it claims when you state them, and the escalation that ends it;
:func:`assert_decision` compares one decision of the engine (or of a run) with what you
expect, down to the day a NoAction names for the next step. Both raise ``AssertionError``
with expected against actual, the differing rows marked, so a failing test says what changed
in your rules; pytest shows the line of your test that failed, not the kit's source.

:data:`STANDARD_RULES`, :data:`TODAY` and :func:`sample_portfolio` are the values behind
the pytest fixtures ``dunlib_rules``, ``dunlib_today`` and ``dunlib_portfolio`` (the
``pytest11`` plugin :mod:`dunlib_pytest`, installed with the ``testing`` extra),
which also registers the Hypothesis profile ``dunlib`` (:func:`register_profiles`). Nothing
here imports Hypothesis or pytest unless asked to. The state machine over every operation,
to subclass with your rules, is :mod:`dunlib.testing.machine`.

>>> from datetime import date
>>> from dunlib import simulate
>>> invoice = sample_portfolio()[1]
>>> schedule = simulate(invoice, STANDARD_RULES, until=date(2026, 8, 31))
>>> assert_schedule(schedule, [("reminder", 14, 0), ("reminder", 21, 0), ("reminder", 28, 0),
...                            ("notice", 35, "5.00")])
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Iterable
from decimal import Decimal

import attrs

from dunlib.analytics.schedule import Schedule
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.records import Customer, CustomerKind, Payment
from dunlib.dunning.actions import Escalate, IssueStage, NoAction, NoActionReason
from dunlib.dunning.decisions import Decision
from dunlib.dunning.issuing import record_stage
from dunlib.dunning.stages import DunningRules, DunningStage, Escalation, StageKind
from dunlib.dunning.suspension import pause
from dunlib.payments import record_payment
from dunlib.workflow.policy import AUTOMATIC, Authority

__all__ = [
    "STANDARD_RULES",
    "TODAY",
    "Amount",
    "ExpectedDocument",
    "assert_decision",
    "assert_schedule",
    "register_profiles",
    "sample_portfolio",
    "schedule_rows",
]

Amount = Money | Decimal | int | str
"""An amount: Money, or a number in the invoice's currency."""

ExpectedDocument = (
    tuple[StageKind | str, int, Amount]
    | tuple[StageKind | str, int, Amount, int]
    | tuple[StageKind | str, int, Amount, int, Amount]
    | tuple[Escalation | str, int]
)
"""One expected row of a schedule: a document as ``(kind, day, fee)``, ``(kind, day, fee,
level)`` or ``(kind, day, fee, level, interest)``, or the escalation that ends it as
``(escalation, day)``. The kind is a ``StageKind`` or ``"reminder"``/``"notice"``, the
escalation an ``Escalation`` or its value (``"collection"``, ``"write_off"``,
``"block_service"``), the day counted from the invoice's due date, the fee and the interest
the document claims an :data:`Amount`."""

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

_SAMPLE = Authority()
"""The authority the sample portfolio is booked under: 4 eyes, the table's rights."""


def sample_portfolio(*, today: _dt.date = TODAY) -> tuple[Invoice, ...]:
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
    reminded = record_stage(
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
        actor=AUTOMATIC,
        authority=_SAMPLE,
    )
    paused = pause(
        sent(7, business, "80.00", today - 25 * day),
        on=today - 10 * day,
        actor=AUTOMATIC,
        authority=_SAMPLE,
    )
    partly = sent(8, consumer, "19.50", today - 15 * day)
    paid = record_payment(
        partly,
        Payment(on=partly.due_date, amount=Money("19.00", "EUR")),
        actor=AUTOMATIC,
        authority=_SAMPLE,
    )
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
    __tracebackhide__ = True
    if isinstance(value, StageKind):
        return value
    if isinstance(value, str) and value in {kind.value for kind in StageKind}:
        return StageKind(value)
    raise InvalidValueError(where, value, "a StageKind or 'reminder' / 'notice'")


def _escalation(value: object, where: str) -> Escalation:
    __tracebackhide__ = True
    if isinstance(value, Escalation):
        return value
    if isinstance(value, str) and value in {kind.value for kind in Escalation}:
        return Escalation(value)
    raise InvalidValueError(where, value, "an Escalation or its value, such as 'collection'")


def _fee(value: object, currency: str, where: str) -> Money:
    __tracebackhide__ = True
    if isinstance(value, Money):
        return value
    if isinstance(value, int | Decimal | str) and not isinstance(value, bool):
        return Money(value, currency)
    raise InvalidTypeError(where, value, f"a Money or an amount in {currency}")


def _whole(value: object, where: str) -> int:
    __tracebackhide__ = True
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise InvalidTypeError(where, value, "a whole number")


def schedule_rows(schedule: Schedule) -> tuple[tuple[StageKind, int, Money], ...]:
    """The schedule's documents as ``(kind, days after the due date, fee)``."""
    __tracebackhide__ = True
    if not isinstance(schedule, Schedule):
        raise InvalidTypeError("schedule_rows.schedule", schedule, "a Schedule")
    due = schedule.invoice.due_date
    return tuple((entry.kind, (entry.on - due).days, entry.fee) for entry in schedule)


@attrs.frozen
class _Row:
    """One row of a schedule's table: a document (fee, level and interest None where an
    expected row leaves them open) or the escalation."""

    what: StageKind | Escalation
    days: int
    fee: Money | None = None
    level: int | None = None
    interest: Money | None = None

    def matches(self, actual: _Row | None) -> bool:
        """Whether ``actual`` is this expected row in every part it states."""
        if actual is None or (self.what, self.days) != (actual.what, actual.days):
            return False
        return all(
            mine is None or mine == theirs
            for mine, theirs in (
                (self.fee, actual.fee),
                (self.level, actual.level),
                (self.interest, actual.interest),
            )
        )

    def cell(self, *, expected: bool, width: int) -> str:
        """The row as a cell of the table, its kind ``width`` wide."""
        text = f"{self.what.value:<{width}}{self.days:+5d}"
        if isinstance(self.what, Escalation):
            return text
        text += f"  level {'?' if self.level is None else self.level}  {self.fee}"
        interest = self.interest
        if interest is not None and (expected or not interest.is_zero):
            text += f"  interest {interest}"
        return text


def _expected_row(item: object, currency: str, where: str) -> _Row:
    __tracebackhide__ = True
    if not isinstance(item, tuple) or len(item) not in (2, 3, 4, 5):
        raise InvalidValueError(
            where, item, "(kind, day, fee[, level[, interest]]) or (escalation, day)"
        )
    days = _whole(item[1], f"{where}[1]")
    if len(item) == 2:
        return _Row(_escalation(item[0], f"{where}[0]"), days)
    return _Row(
        _kind(item[0], f"{where}[0]"),
        days,
        _fee(item[2], currency, f"{where}[2]"),
        _whole(item[3], f"{where}[3]") if len(item) > 3 else None,
        _fee(item[4], currency, f"{where}[4]") if len(item) > 4 else None,
    )


def _actual_rows(schedule: Schedule) -> list[_Row]:
    due = schedule.invoice.due_date
    rows = [
        _Row(entry.kind, (entry.on - due).days, entry.fee, entry.level, entry.interest)
        for entry in schedule
    ]
    if schedule.escalation is not None:
        rows.append(_Row(schedule.escalation.escalation, (schedule.escalation.on - due).days))
    return rows


def assert_schedule(schedule: Schedule, expected: Iterable[ExpectedDocument]) -> None:
    """Assert that ``schedule`` issued exactly the ``expected`` documents, in order, and
    ended in the expected escalation (or in none).

    Each document is ``(kind, days after the invoice's due date, fee)``, with its level and
    the interest it claims appended when you want them checked (see
    :data:`ExpectedDocument`); the escalation is ``(escalation, days after the due date)``.
    On a difference, the ``AssertionError`` lists both sides row by row (a level you left
    open shows as ``?``, interest when stated or claimed) and marks the rows that differ
    with ``!``.
    """
    __tracebackhide__ = True  # pytest shows the caller's line and the table, not this helper
    if not isinstance(schedule, Schedule):
        raise InvalidTypeError("assert_schedule.schedule", schedule, "a Schedule")
    actual = _actual_rows(schedule)
    invoice = schedule.invoice
    wanted = [
        _expected_row(item, invoice.currency, f"assert_schedule.expected[{index}]")
        for index, item in enumerate(expected)
    ]
    if len(wanted) == len(actual) and all(
        w.matches(a) for w, a in zip(wanted, actual, strict=True)
    ):
        return
    kind = max(len(row.what.value) for row in (*wanted, *actual)) + 1
    cells = [
        (
            want is not None and want.matches(got),
            "-" if want is None else want.cell(expected=True, width=kind),
            "-" if got is None else got.cell(expected=False, width=kind),
        )
        for want, got in itertools.zip_longest(wanted, actual)
    ]
    width = max(len("expected"), *(len(left) for _, left, _ in cells)) + 2
    lines = [
        f"dunning schedule of {invoice.known_as} (due {invoice.due_date}) differs "
        "from the expected one (days counted from the due date):",
        f"     #  {'expected':<{width}}actual",
    ]
    for index, (same, left, right) in enumerate(cells, start=1):
        lines.append(f"{'  ' if same else ' !'} {index:>3}  {left:<{width}}{right}".rstrip())
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
            return f"escalate: {action.escalation.name} (level {action.level}, on {action.on})"


def _stated(**details: object) -> str:
    shown = [
        f"{name.replace('_', ' ')} {value}" for name, value in details.items() if value is not None
    ]
    return f" ({', '.join(shown)})" if shown else ""


def assert_decision(
    decision: IssueStage | NoAction | Escalate | Decision,
    expected: StageKind | str | NoActionReason | Escalation,
    *,
    fee: Money | Decimal | int | str | None = None,
    level: int | None = None,
    on: _dt.date | None = None,
    next_on: _dt.date | None = None,
) -> None:
    """Assert what the engine decided: a document of kind ``expected`` (with ``fee``,
    ``level`` and ``on`` when given), nothing for reason ``expected`` (and the next step
    due on ``next_on`` when given: the day the NoAction names), or escalation ``expected``
    (with ``level`` and ``on`` when given). ``decision`` is an action or a run's
    :class:`~dunlib.dunning.decisions.Decision`. A detail that the expected kind of decision does
    not have (a fee of a NoAction, say) is refused.

    On a difference, the ``AssertionError`` names what was expected and what was decided.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this helper's
    action = decision.action if isinstance(decision, Decision) else decision
    if not isinstance(action, IssueStage | NoAction | Escalate):
        raise InvalidTypeError("assert_decision.decision", decision, "a DunningAction or Decision")
    unused = {"fee": fee, "level": level, "on": on, "next_on": next_on}
    problems: list[str] = []
    if isinstance(expected, NoActionReason):
        what = "a NoAction"
        del unused["next_on"]
        wanted = f"nothing to do ({expected.name}" + (f", next on {next_on})" if next_on else ")")
        if not isinstance(action, NoAction) or action.reason is not expected:
            problems.append("another decision")
        elif next_on is not None and action.next_on != next_on:
            problems.append(f"next on {action.next_on}")
    elif isinstance(expected, Escalation):
        what = "an escalation"
        del unused["level"], unused["on"]
        wanted = f"escalate: {expected.name}" + _stated(level=level, on=on)
        if not isinstance(action, Escalate) or action.escalation is not expected:
            problems.append("another decision")
        else:
            problems += _differences(action, level=level, on=on)
    else:
        kind = _kind(expected, "assert_decision.expected")
        what = "a document"
        del unused["fee"], unused["level"], unused["on"]
        wanted = f"issue a {kind.value}" + _stated(level=level, fee=fee, on=on)
        if not isinstance(action, IssueStage) or action.kind is not kind:
            problems.append("another decision")
        else:
            if fee is not None and action.fee != _fee(
                fee, action.fee.currency, "assert_decision.fee"
            ):
                problems.append(f"fee {action.fee}")
            problems += _differences(action, level=level, on=on)
    for name, value in unused.items():
        if value is not None:
            raise InvalidValueError(
                f"assert_decision.{name}", value, f"None: {what} has no {name.replace('_', ' ')}"
            )
    if problems:
        about = decision.invoice.known_as if isinstance(decision, Decision) else action.invoice_id
        raise AssertionError(
            f"decision about {about} differs ({', '.join(problems)}):\n"
            f"  expected: {wanted}\n"
            f"  actual:   {_describe(action)}"
        )


def _differences(
    action: IssueStage | Escalate, *, level: int | None, on: _dt.date | None
) -> list[str]:
    """The stated ``level`` and ``on`` that ``action`` does not have, as it has them."""
    found = []
    if level is not None and action.level != level:
        found.append(f"level {action.level}")
    if on is not None and action.on != on:
        found.append(f"on {action.on}")
    return found
