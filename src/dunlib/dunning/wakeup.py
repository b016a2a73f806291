"""The wake-up day: the first day the engine may do something about an invoice.

For most "nothing today" answers the engine knows when the answer can change
(:attr:`~dunlib.dunning.actions.NoAction.next_on`: the next stage's trigger, a hold's end, a
promise day, the next missed instalment, the account's next recorded change). A store that
keeps that day per invoice runs a day over what is due, not over everything it holds.

:func:`wakes_on` follows those days from ``today`` until the engine acts: its answer is the
first day, on or after ``today``, on which :func:`~dunlib.dunning.engine.next_dunning_action`
answers anything but a :class:`~dunlib.dunning.actions.NoAction`, provided nothing is booked
in between; None when only a booking can change the answer (the invoice is settled, closed,
escalated, paused without end, below the minimum, held without a known end). The law, tested
for generated invoices, rules, accounts and holds: the engine says NoAction on every day from
``today`` to the day before it, and acts on it.
"""

from __future__ import annotations

import datetime as _dt

from dunlib.core.dates import as_date
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.dunning.accounts import CustomerAccount
from dunlib.dunning.actions import NoAction
from dunlib.dunning.engine import next_dunning_action
from dunlib.dunning.stages import DunningRules

__all__ = ["MAX_HOPS", "wakes_on"]

MAX_HOPS = 64
"""How many of the engine's ``next_on`` days :func:`wakes_on` follows at most; past them it
answers the last one (a day the engine may act on, never a day after one it acts on)."""


def wakes_on(
    invoice: Invoice,
    rules: DunningRules,
    *,
    today: _dt.date,
    account: CustomerAccount | None = None,
    credit: Money | None = None,
) -> _dt.date | None:
    """The first day on or after ``today`` on which the engine acts on ``invoice`` under
    ``rules`` (and ``account``, ``credit`` as :func:`~dunlib.dunning.engine.next_dunning_action`
    takes them) if nothing is booked in between; None when only a booking can change its
    "nothing to do".

    A store passes ``credit`` zero for a customer whose credit is netted over several
    invoices: credit only ever holds an invoice back, so the day without it is never later.
    """
    day = as_date(today, "wakes_on.today")
    for _ in range(MAX_HOPS):
        action = next_dunning_action(invoice, rules, today=day, account=account, credit=credit)
        if not isinstance(action, NoAction):
            return day
        if action.next_on is None:
            return None
        day = max(action.next_on, day + _dt.timedelta(days=1))
    return day
