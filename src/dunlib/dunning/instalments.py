"""Instalment plans (Ratenzahlungsvereinbarung; ERPNext's payment schedule): agreeing one,
cancelling it, and how it stands.

An agreed plan of dated instalments (:class:`~dunlib.core.instalments.InstalmentPlan`) holds
dunning while each instalment arrives on time, within the plan's grace days:

- agreeing it (:func:`agree_plan`) is a booking of the table's AGREE_PLAN row (SENT or
  DUNNED, an accountant by default): its instalments add up to exactly what is open on its
  day (guard ``covers-open``; :func:`~dunlib.core.instalments.split_amount` and
  :meth:`~dunlib.core.instalments.InstalmentPlan.monthly` split an amount so), and no other
  plan holds then (guard ``no-plan``). The history entry names the instalments, the grace
  and whether interest is waived;
- payments and credit notes dated on or after its day count toward the instalments in
  date order, cumulatively: paying early or more counts toward the next instalments, paying
  less leaves the instalment unkept until the rest arrives
  (:mod:`dunlib.core.instalments`);
- while it holds, :func:`dunlib.next_dunning_action` answers a
  :class:`~dunlib.dunning.actions.NoAction` with reason ``INSTALMENT_PLAN`` and ``next_on``
  the day the next instalment not yet covered is missed unless it arrives (its due date
  plus the grace, plus one); nothing is charged, claimed or escalated (guard ``unheld``);
- it ends when paid in full (``PAID``: the invoice is settled), on the day after the grace
  of an instalment missed (``MISSED``), or when cancelled (:func:`cancel_plan`, the
  CANCEL_PLAN row: ``CANCELLED`` from that day). :func:`instalment_plan` shows how it stands
  and how it ended;
- from the day it ends, dunning resumes on what is open as after any hold: the engine
  catches up one stage per run, each later stage counted from the document actually sent;
- default interest (§ 288 BGB) runs on what is open over the plan's days, unless the plan
  waives it (``waives_interest``): then :func:`dunlib.accrued_interest` leaves out every day
  the plan held, from its day up to the day before it ended (for a missed plan: up to the
  last day of the missed instalment's grace). Interest is never charged while the plan
  holds; interest not waived is claimed by the first notice after a miss. A plan kept to
  the end settles the invoice: to have interest accrued so far paid by the plan, charge it
  (:func:`dunlib.record_interest`) before agreeing, so that the plan covers it.
"""

from __future__ import annotations

import datetime as _dt

import attrs

from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.history import EventKind
from dunlib.core.instalments import (
    Instalment,
    InstalmentPlan,
    PlanEnd,
    PlanState,
    plan_state,
    split_amount,
)
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.transitions import Command
from dunlib.workflow import booking as _booking
from dunlib.workflow.policy import Actor, Authority

__all__ = [
    "Instalment",
    "InstalmentPlan",
    "PlanEnd",
    "PlanState",
    "agree_plan",
    "cancel_plan",
    "instalment_plan",
    "split_amount",
]


def agree_plan(
    invoice: Invoice,
    plan: InstalmentPlan,
    *,
    actor: Actor,
    authority: Authority,
) -> Invoice:
    """``invoice`` with ``plan`` agreed on ``plan.on`` by ``actor`` (see the module docs).

    A booking of the AGREE_PLAN row: ``actor`` needs the right to, ``plan.on`` may not be
    before the invoice's last step, something must be open (guard ``open``), no plan may
    hold that day (guard ``no-plan``), and the instalments add up to exactly what is open,
    nothing paid or credited on the plan's day before it (guard ``covers-open``).
    """
    checked_invoice(invoice, "agree_plan")
    if not isinstance(plan, InstalmentPlan):
        raise InvalidTypeError("agree_plan.plan", plan, "an InstalmentPlan")
    if plan.cancelled_on is not None:
        raise InvalidValueError("agree_plan.plan.cancelled_on", plan.cancelled_on, "None")
    if plan.currency != invoice.currency:
        raise InvalidValueError(
            "agree_plan.plan.instalments", plan.total, f"amounts in {invoice.currency}"
        )
    return _booking.book(
        invoice,
        Command.AGREE_PLAN,
        operation="agree_plan",
        actor=actor,
        on=plan.on,
        authority=authority,
        kind=EventKind.PLAN_AGREED,
        detail=plan.described(),
        changes={"instalment_plans": (*invoice.instalment_plans, plan)},
    )


def cancel_plan(
    invoice: Invoice,
    *,
    on: _dt.date,
    actor: Actor,
    authority: Authority,
    reason: str = "",
) -> Invoice:
    """``invoice`` with the instalment plan that holds on ``on`` cancelled that day by
    ``actor``: dunning resumes that day.

    A booking of the CANCEL_PLAN row: ``actor`` needs the right to, ``on`` may not be
    before the invoice's last step, and a plan must hold on ``on`` (guard ``planned``).
    ``reason`` goes into the history entry.
    """
    checked_invoice(invoice, "cancel_plan")
    if not isinstance(reason, str):
        raise InvalidTypeError("cancel_plan.reason", reason, "a str")
    day = as_date(on, "cancel_plan.on")
    plans = tuple(
        attrs.evolve(plan, cancelled_on=day)
        if plan_state(plan, invoice.kept_payments, invoice.credit_notes, today=day).holds
        else plan
        for plan in invoice.instalment_plans
    )
    return _booking.book(
        invoice,
        Command.CANCEL_PLAN,
        operation="cancel_plan",
        actor=actor,
        on=day,
        authority=authority,
        kind=EventKind.PLAN_CANCELLED,
        detail="instalment plan cancelled" + (f": {reason}" if reason else ""),
        changes={"instalment_plans": plans},
    )


def instalment_plan(invoice: Invoice, *, today: _dt.date) -> PlanState | None:
    """How the last plan agreed for ``invoice`` on or before ``today`` stands at the end of
    ``today`` (whether it holds, the instalments kept, how and when it ended, the day the
    next instalment is missed), or None when none was agreed by then."""
    checked_invoice(invoice, "instalment_plan")
    day = as_date(today, "instalment_plan.today")
    agreed = [plan for plan in invoice.instalment_plans if plan.on <= day]
    if not agreed:
        return None
    return plan_state(agreed[-1], invoice.kept_payments, invoice.credit_notes, today=day)


def _holding_plan(invoice: Invoice, *, today: _dt.date) -> PlanState | None:
    """The state of the plan that holds ``invoice`` on ``today``, or None (the engine's
    check)."""
    state = instalment_plan(invoice, today=today)
    return state if state is not None and state.holds else None
