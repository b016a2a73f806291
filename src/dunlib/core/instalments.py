"""Instalment plans (Ratenzahlungsvereinbarung) as values: the dated instalments agreed
for what an invoice has open, and how a plan stands on a day by the money received.

A plan is agreed on its day ``on`` for exactly what is open then (:attr:`InstalmentPlan.total`
is the sum of its instalments; ERPNext's payment schedule likewise sums to the invoice's
total). Each instalment has a due date; it is *kept* when, by its due date plus the plan's
``grace_days``, the money counted toward the plan reaches the instalments due so far.

Counting (in date order): every payment (with its cash discount) and credit note dated on or
after the plan's day counts, cumulatively, toward the instalments in the order they fall
due. An overpayment of one instalment counts toward the next ones (paying early is always
kept); an underpayment leaves the instalment unkept until the rest arrives, and missed once
its grace has passed. Nothing can be paid beyond what the plan covers
(:func:`dunlib.record_payment` returns the excess as an overpayment).

A plan ends (:class:`PlanEnd`):

- ``PAID`` on the day the money counted reaches its total;
- ``MISSED`` on the day after the due date plus grace of the first instalment not kept;
- ``CANCELLED`` on the day it was cancelled (:attr:`InstalmentPlan.cancelled_on`).

It *holds* dunning on every day from its day up to the day before it ends (see
:func:`plan_state`); the first of those ends to come is the end.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.dates import add_days, add_months, as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.exact import EXACT
from dunlib.core.money import Money, _quantum, sum_money
from dunlib.core.records import CreditNote, Payment

__all__ = [
    "MAX_INSTALMENTS",
    "Instalment",
    "InstalmentPlan",
    "PlanEnd",
    "PlanState",
    "held_days",
    "plan_state",
    "split_amount",
]


@attrs.frozen(kw_only=True)
class Instalment:
    """One agreed instalment: ``amount`` (gross, above zero) to arrive by ``due``."""

    due: _dt.date = attrs.field(validator=v.calendar_date)
    amount: Money = attrs.field(validator=v.positive_money)


class PlanEnd(Enum):
    """How an instalment plan ended."""

    PAID = "paid"
    """Every instalment arrived: the money counted reached the plan's total."""
    MISSED = "missed"
    """An instalment did not arrive by its due date plus the grace days: dunning resumes
    the day after."""
    CANCELLED = "cancelled"
    """The plan was cancelled (:func:`dunlib.dunning.cancel_plan`): dunning resumes that day."""


def _instalments(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(Instalment, "Instalment")(instance, attribute, value)
    if not value:
        raise InvalidValueError("InstalmentPlan.instalments", value, "one instalment or more")
    currency = value[0].amount.currency
    for at, item in enumerate(value):
        if item.amount.currency != currency:
            raise InvalidValueError(
                f"InstalmentPlan.instalments[{at}].amount", item.amount, f"an amount in {currency}"
            )
        if at and item.due <= value[at - 1].due:
            raise InvalidValueError(
                f"InstalmentPlan.instalments[{at}].due",
                item.due,
                f"after {value[at - 1].due}: instalments fall due one after another",
            )


@attrs.frozen(kw_only=True)
class InstalmentPlan:
    """An agreed plan of dated instalments for what an invoice has open (see the module docs).

    ``on`` is the day it was agreed (the first day it holds); ``instalments`` fall due one
    after another, on or after ``on``; ``grace_days`` the days an instalment may arrive
    late and still count as kept; ``waives_interest`` that no default interest runs over
    the days the plan holds (:func:`dunlib.accrued_interest`); ``reason`` what was agreed
    (in the history); ``cancelled_on`` the day it was cancelled (None while it was not).
    Agree one with :func:`dunlib.dunning.agree_plan`; build the instalments with :meth:`monthly`
    or :func:`split_amount`.
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    instalments: tuple[Instalment, ...] = attrs.field(converter=v.to_tuple, validator=_instalments)
    grace_days: int = attrs.field(default=0, validator=v.non_negative_int)
    waives_interest: bool = attrs.field(default=False, validator=v.of_type(bool, expected="a bool"))
    reason: str = attrs.field(default="", validator=v.text)
    cancelled_on: _dt.date | None = attrs.field(default=None, validator=v.optional(v.calendar_date))

    def __attrs_post_init__(self) -> None:
        first = self.instalments[0].due
        if first < self.on:
            raise InvalidValueError(
                "InstalmentPlan.instalments[0].due", first, f"on or after the plan's day {self.on}"
            )
        if self.cancelled_on is not None and self.cancelled_on < self.on:
            raise InvalidValueError(
                "InstalmentPlan.cancelled_on", self.cancelled_on, f"on or after {self.on}"
            )
        add_days(self.instalments[-1].due, self.grace_days + 1)  # the last miss day exists

    @property
    def currency(self) -> str:
        """The currency of the instalments."""
        return self.instalments[0].amount.currency

    @property
    def total(self) -> Money:
        """What the plan covers: the sum of its instalments."""
        return sum_money((item.amount for item in self.instalments), self.currency)

    def described(self) -> str:
        """The history entry's detail agreeing this plan: its instalments, grace, whether
        interest is waived, and its reason."""
        first, last = self.instalments[0].due, self.instalments[-1].due
        count = len(self.instalments)
        text = (
            f"instalment plan: {count} instalment{'s' if count > 1 else ''} of {self.total} "
            f"in all, due {first} to {last}, grace {self.grace_days} days"
        )
        if self.waives_interest:
            text += ", interest waived"
        return text + (f" ({self.reason})" if self.reason else "")

    def deadline(self, index: int) -> _dt.date:
        """The last day instalment ``index`` counts as kept: its due date plus the grace."""
        return add_days(self.instalments[index].due, self.grace_days)

    @classmethod
    def monthly(
        cls,
        amount: Money,
        *,
        on: _dt.date,
        first_due: _dt.date,
        count: int,
        grace_days: int = 0,
        waives_interest: bool = False,
        reason: str = "",
    ) -> InstalmentPlan:
        """A plan agreed on ``on`` of ``count`` monthly instalments of ``amount``
        (:func:`split_amount`: equal parts, the remainder cent on the last), the first due
        ``first_due``, each next one a whole month after it (clamped to a shorter month's
        end: 31 January, 28 February, 31 March)."""
        day = as_date(first_due, "InstalmentPlan.monthly.first_due")
        parts = split_amount(amount, count)
        items = tuple(
            Instalment(due=add_months(day, k), amount=part) for k, part in enumerate(parts)
        )
        return cls(
            on=on,
            instalments=items,
            grace_days=grace_days,
            waives_interest=waives_interest,
            reason=reason,
        )


MAX_INSTALMENTS = 600
"""The most instalments an amount is split into: fifty years of monthly instalments."""


def split_amount(amount: Money, count: int) -> tuple[Money, ...]:
    """``amount`` in ``count`` instalments that sum to it exactly: each the amount divided by
    ``count`` rounded down to the minor unit, the cents left over on the last one
    (100.00 in 3: 33.33, 33.33, 33.34). ``amount`` above zero and at least one minor unit
    per instalment; at most :data:`MAX_INSTALMENTS` instalments."""
    if not isinstance(amount, Money):
        raise InvalidTypeError("split_amount.amount", amount, "a Money")
    if type(count) is not int or not 1 <= count <= MAX_INSTALMENTS:
        raise InvalidValueError(
            "split_amount.count", count, f"a whole number from 1 to {MAX_INSTALMENTS}"
        )
    quantum = _quantum(amount.currency)
    exponent = int(quantum.as_tuple().exponent)
    units = int(amount.amount.scaleb(-exponent, EXACT))
    if units < count:
        raise InvalidValueError(
            "split_amount.amount",
            amount,
            f"at least {Decimal(count).scaleb(exponent)} {amount.currency}: one minor unit "
            f"for each of {count} instalments",
        )
    base = units // count
    last = units - base * (count - 1)
    part = Money._trusted(Decimal(base).scaleb(exponent, EXACT), amount.currency)
    end = Money._trusted(Decimal(last).scaleb(exponent, EXACT), amount.currency)
    return (*([part] * (count - 1)), end)


@attrs.frozen(kw_only=True)
class PlanState:
    """How an instalment plan stands at the end of ``today``, by the money received up to
    then (:func:`plan_state`, :func:`dunlib.dunning.instalment_plan`).

    ``holds``: the plan holds dunning today. ``kept``: the instalments the money counted
    (``counted``) covers. ``end`` and ``ended_on``: how and on which day the plan ended
    (it holds no more from ``ended_on``), None while it runs. ``next_on``: while it holds,
    the day the next instalment not yet covered is missed unless it arrives (its due date
    plus grace, plus one): a daily run looks again then.
    """

    plan: InstalmentPlan
    today: _dt.date
    holds: bool
    kept: int
    counted: Money
    end: PlanEnd | None
    ended_on: _dt.date | None
    next_on: _dt.date | None


def _counted(
    plan: InstalmentPlan, payments: Iterable[Payment], credit_notes: Iterable[CreditNote]
) -> list[tuple[_dt.date, Decimal]]:
    """What counts toward ``plan``, in date order: each payment's settled amount and each
    credit note dated on or after the plan's day."""
    start = plan.on
    items = [(p.on, p.settled.amount) for p in payments if p.on >= start]
    items += [(n.on, n.amount.amount) for n in credit_notes if n.on >= start]
    items.sort(key=lambda item: item[0])
    return items


def _paid_by(counted: Sequence[tuple[_dt.date, Decimal]], day: _dt.date) -> Decimal:
    total = Decimal(0)
    for on, amount in counted:
        if on > day:
            break
        total = EXACT.add(total, amount)
    return total


def _end(
    plan: InstalmentPlan, counted: Sequence[tuple[_dt.date, Decimal]]
) -> tuple[_dt.date, PlanEnd]:
    """The first day ``plan`` no longer holds and why, by ``counted`` (every plan ends: the
    money counted reaches its total, or an instalment is missed)."""
    ends: list[tuple[_dt.date, int, PlanEnd]] = []
    total, running = plan.total.amount, Decimal(0)
    for on, amount in counted:
        running = EXACT.add(running, amount)
        if running >= total:
            ends.append((on, 0, PlanEnd.PAID))
            break
    due = Decimal(0)
    for index, item in enumerate(plan.instalments):
        due = EXACT.add(due, item.amount.amount)
        deadline = plan.deadline(index)
        if _paid_by(counted, deadline) < due:
            ends.append((add_days(deadline, 1), 1, PlanEnd.MISSED))
            break
    if plan.cancelled_on is not None:
        ends.append((plan.cancelled_on, 2, PlanEnd.CANCELLED))
    day, _, end = min(ends, key=lambda item: (item[0], item[1]))
    return day, end


def plan_state(
    plan: InstalmentPlan,
    payments: Iterable[Payment],
    credit_notes: Iterable[CreditNote] = (),
    *,
    today: _dt.date,
) -> PlanState:
    """How ``plan`` stands at the end of ``today`` by the ``payments`` and ``credit_notes``
    booked on its invoice (those dated after ``today`` are not known yet): see
    :class:`PlanState` and the module docs for how they count."""
    plan, received, notes = _checked(plan, payments, credit_notes, "plan_state")
    day = as_date(today, "plan_state.today")
    counted = [item for item in _counted(plan, received, notes) if item[0] <= day]
    end_day, how = _end(plan, counted)
    ended = (end_day, how) if end_day <= day else None
    paid = _paid_by(counted, day)
    due, kept, next_on = Decimal(0), 0, None
    for index, item in enumerate(plan.instalments):
        due = EXACT.add(due, item.amount.amount)
        if paid >= due:
            kept += 1
        elif next_on is None:
            next_on = add_days(plan.deadline(index), 1)
    holds = ended is None and plan.on <= day
    return PlanState(
        plan=plan,
        today=day,
        holds=holds,
        kept=kept,
        counted=Money._trusted(paid, plan.currency) if paid else Money.zero(plan.currency),
        end=None if ended is None else ended[1],
        ended_on=None if ended is None else ended[0],
        next_on=next_on if holds else None,
    )


def held_days(
    plan: InstalmentPlan, payments: Iterable[Payment], credit_notes: Iterable[CreditNote] = ()
) -> tuple[_dt.date, _dt.date]:
    """The days ``plan`` holds by everything booked: from its day (inclusive) to the day it
    ends (exclusive): paid in full, the day after the grace of the first instalment not
    covered, or cancelled. Whether it held on a day depends only on what was booked up to
    that day, so this agrees with :func:`plan_state` for every day."""
    plan, paid, notes = _checked(plan, payments, credit_notes, "held_days")
    return plan.on, _end(plan, _counted(plan, paid, notes))[0]


def _checked(
    plan: object, payments: object, credit_notes: object, operation: str
) -> tuple[InstalmentPlan, list[Payment], list[CreditNote]]:
    """The arguments of :func:`plan_state` and :func:`held_days`, checked: a plan, and
    payments and credit notes in its currency."""
    if not isinstance(plan, InstalmentPlan):
        raise InvalidTypeError(f"{operation}.plan", plan, "an InstalmentPlan")
    paid = v.items_of(payments, Payment, f"{operation}.payments", "Payment values")
    notes = v.items_of(credit_notes, CreditNote, f"{operation}.credit_notes", "CreditNote values")
    code = plan.currency
    for field, items in (("payments", paid), ("credit_notes", notes)):
        for at, item in enumerate(items):
            if item.amount.currency != code:
                raise InvalidValueError(
                    f"{operation}.{field}[{at}].amount", item.amount, f"an amount in {code}"
                )
    return plan, paid, notes
