"""The engine's rules compiled for one day: the decider of the daily run
(internal: shared by dunlib's areas, not
called by users).

:func:`dunlib.next_dunning_action` decides one invoice, checking its arguments and reading
the rules as it goes. A daily run decides hundreds of thousands of invoices under a few
rules objects on one day, so :class:`Decider` compiles a set of rules for a day once, into
the engine's own checks in the engine's order with every part that does not depend on the
invoice precomputed: the trigger terms of each level (``engine._trigger_terms``) as days to
compare with, the escalation's wait, the minimums, each stage's parts of the
:class:`~dunlib.dunning.actions.IssueStage` it issues (its number, the day, its due date,
channels, dispatch) and its fee where that does not depend on the invoice. The fee, the
flat fee and the interest that do are computed by the engine's own functions
(``engine._charges``); a customer's account is read once per run (dunning and fees on or
off, holds, the next change), and an account with no changes decides nothing.

Rules with a stage counted from the invoice date are not compiled: the engine decides.
Every answer is the engine's: where the compiled form cannot be sure (holds, a customer's
account that holds or switched dunning off, history after the run day, a stage identity or
repeating stage that decides the next stage, days near the ends of the calendar), it asks
:func:`~dunlib.next_dunning_action`. Laws in ``tests/test_engine.py`` keep it equal to
the engine, so whoever changes a rule there sees where the compiled form follows.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal

from dunlib.core import generated as _build
from dunlib.core import quick
from dunlib.core.calendars import roll_forward
from dunlib.core.dates import add_days, as_date
from dunlib.core.errors import DunlibError
from dunlib.core.exact import EXACT
from dunlib.core.history import EventKind
from dunlib.core.invoice import Amounts, Invoice
from dunlib.core.money import Money
from dunlib.core.status import Status
from dunlib.dunning.accounts import CustomerAccount
from dunlib.dunning.actions import (
    DunningAction,
    Escalate,
    IssueStage,
    NoAction,
    NoActionReason,
)
from dunlib.dunning.engine import (
    _charges,
    _flat_fee_pending,
    _trigger_terms,
    _undunned,
    next_dunning_action,
)
from dunlib.dunning.stages import DunningRules, DunningStage, TriggerBasis

__all__ = ["Decider"]

_SENT, _DUNNED = _LIVE = (Status.SENT, Status.DUNNED)
_NOTHING = Decimal(0)
_PAUSED = EventKind.DUNNING_PAUSED

no_action = _build.trusted(NoAction)
new_escalate = _build.trusted(Escalate)
not_yet_due = _build.trusted(NoAction, reason=NoActionReason.NOT_YET_DUE)
new_money = _build.trusted(Money)  # of amounts above zero: no negative zero to turn
"""The decider builds the engine's actions from parts already checked, their fields given
in the order of the class (laws keep what it builds equal to the engine's)."""


def _before(day: _dt.date, days: int) -> _dt.date | bool:
    """``day - days``; True when that is before the first date (every day is after it),
    False when it is after the last (no day is)."""
    try:
        return day - _dt.timedelta(days=days)
    except OverflowError:
        return days > 0


def _window(shifts: list[int]) -> tuple[_dt.date, _dt.date]:
    """The days ``d`` for which ``d + k`` is a date for every ``k`` of ``shifts`` (empty: none)."""
    low, high = min(shifts, default=0), max(shifts, default=0)
    try:
        first = _dt.date.min - _dt.timedelta(days=low) if low < 0 else _dt.date.min
        last = _dt.date.max - _dt.timedelta(days=high) if high > 0 else _dt.date.max
    except OverflowError:
        return _dt.date.max, _dt.date.min
    return first, last


def _after(bound: _dt.date | bool, first: _dt.date) -> _dt.date:
    """The day a date must be after to pass ``bound`` (from :func:`_before`) within a window
    starting on ``first``: conservative at the window's first day, never passed for False."""
    if isinstance(bound, _dt.date):
        return max(bound, first)
    return first if bound else _dt.date.max


_Level = tuple[
    _dt.date,  # the due date is after it: not yet (the last date: never)
    _dt.date,  # the last document's date is after it: not yet (the last date: never)
    bool,  # not yet whatever the days (a stage counting beyond the first day)
    _dt.timedelta,  # the largest shift of the due date and
    _dt.timedelta,  # of the last document's date among the trigger's terms
]


def _level(
    stage: DunningStage, previous: DunningStage | None, level: int, today: _dt.date
) -> tuple[_Level, list[int]]:
    """The trigger of one level on ``today`` as comparisons, and every shift it adds.

    The trigger date is the latest of the engine's terms (``day + k``), so the stage
    cannot fire today exactly when some term's day is after ``today - k``; only the
    largest ``k`` of each kind of day matters. The shifts give the window of days for
    which the engine can add every ``k`` (outside it the engine refuses, so the run asks it).
    """
    terms = _trigger_terms(stage, previous, level > 0)
    due = [k for name, k in terms if name == "due"]
    last = [k for name, k in terms if name == "last"] or [0]
    due_after, last_after = _before(today, max(due)), _before(today, max(last))
    always = due_after is True or (last_after is True and level > 0)
    never = _dt.date.max
    return (
        due_after if isinstance(due_after, _dt.date) else never,
        last_after if isinstance(last_after, _dt.date) and level else never,
        always,
        _dt.timedelta(days=max(due)),
        _dt.timedelta(days=max(last)),
    ), due + last


class _OnAccount:
    """What a customer's account says on the run's day, read once per account: whether it
    leaves the decision to the engine (dunning off, a hold that holds), fees on or off, and
    the day of its next recorded change."""

    __slots__ = ("account", "engine", "fees_on", "later")

    def __init__(self, account: CustomerAccount, day: _dt.date) -> None:
        self.account = account
        self.engine = not account.dunning_enabled(today=day) or bool(account.holds_on(today=day))
        self.fees_on = account.fees_enabled(today=day)
        self.later = account.next_change(today=day)


class Decider:
    """The engine's rules ``rules`` compiled for the day ``today`` (see the module docs).

    :attr:`quiet` is True only when the engine certainly does nothing about an invoice
    today (a few date comparisons, nothing built); :attr:`decide` gives the engine's
    action for an invoice, with the customer's ``account`` and the credit available to the
    invoice (as the run keeps it) when there is one. Within
    :func:`dunlib.core.quick.plain` nothing is compiled: :attr:`quiet` is always False and
    :attr:`decide` asks :func:`~dunlib.next_dunning_action`.
    """

    __slots__ = (
        "accounts",
        "count",
        "day",
        "decide",
        "escalation_wait",
        "exhausted",
        "first",
        "issued",
        "last",
        "levels",
        "minimums",
        "numbers",
        "plain",
        "quiet",
        "quiet_due",
        "quiet_escalation",
        "quiet_last",
        "rules",
    )

    decide: Callable[..., DunningAction]
    """``decide(invoice, account=None, credit=None)``: the engine's action for ``invoice``
    today (``credit``: the customer's credit left for it, a Money in its currency)."""
    quiet: Callable[[Invoice], bool]
    """``quiet(invoice)``: True only when the engine certainly does nothing today (no
    account, or one whose credit left is zero)."""

    def __init__(self, rules: DunningRules, today: _dt.date) -> None:
        self.rules = rules
        self.day = today
        ladder = rules.active_stages
        # switched off (dunlib.core.quick.plain), or a stage counted from the invoice date
        # (a term of each invoice's own, not compiled): the engine decides every invoice
        if not quick.on or any(stage.basis is TriggerBasis.ISSUE_DATE for stage in ladder):
            self.quiet, self.decide = _never, _engine(rules, today)
            return
        # the engine reads the next stage from the one last issued (engine._ladder); the
        # decider counts documents along the active stages, which agrees while the last
        # document names the active stage at its level and no stage repeats
        self.numbers = tuple(n for n, stage in enumerate(rules.stages, start=1) if stage.active)
        self.plain = all(stage.repeat is None for stage in rules.stages)
        self.count = len(ladder)
        made = [
            _level(stage, ladder[n - 1] if n else None, n, today) for n, stage in enumerate(ladder)
        ]
        self.levels = tuple(level for level, _ in made)
        self.minimums = {m.currency: m for m in rules.minimum_open_amounts}
        # the engine's escalation (engine._escalation) waits max(escalation_days, 1) days
        # after the last document; without an escalation (or a stage) nothing happens
        waits = max(rules.escalation_days, 1)
        self.exhausted = rules.escalation is None or not ladder
        self.escalation_wait = _dt.timedelta(days=waits)
        # one window of days for which the engine can add every shift of every level
        self.first, self.last = _window([waits, 1, *(k for _, shifts in made for k in shifts)])
        self.quiet_due = _dt.date.max
        if made and self.plain:
            self.quiet_due = _after(self.levels[0][0], self.first)
        self.quiet_last = tuple(_after(level[1], self.first) for level in self.levels)
        self.quiet_escalation = _after(_before(today, waits), self.first)
        self.issued = tuple(
            _Issued(stage, self.numbers[n], today, rules) for n, stage in enumerate(ladder)
        )
        self.accounts: dict[int, _OnAccount] = {}
        self.quiet = _quiet(self)
        self.decide = _decide(self)

    def on_account(self, account: CustomerAccount) -> _OnAccount:
        """What ``account`` says on the day, read once per account object."""
        known = self.accounts.get(id(account))
        if known is None or known.account is not account:
            if len(self.accounts) >= quick.ACCOUNTS:
                self.accounts.clear()
            known = self.accounts[id(account)] = _OnAccount(account, self.day)
        return known

    def _escalation(
        self, invoice: Invoice, status: Status, last: _dt.date | None
    ) -> NoAction | Escalate:
        """The engine's answer with every stage sent (``engine._escalation``): EXHAUSTED,
        NOT_YET_DUE before the escalation's day, else the escalation."""
        escalation = self.rules.escalation
        if escalation is None or status is not Status.DUNNED or last is None:
            return no_action(invoice.id, NoActionReason.EXHAUSTED)
        due = last + self.escalation_wait
        if type(due) is not _dt.date:  # a subclass of date: the engine's own
            due = as_date(due)
        if self.day < due:
            return not_yet_due(invoice.id, due)
        return new_escalate(
            invoice.id, escalation, self.day, due, len(invoice.issued_stages), invoice.open_amount
        )


def _decide(known: Decider) -> Callable[..., DunningAction]:
    """The exact check of ``known``'s rules (see :class:`Decider`): the engine's action for
    an invoice today from the precomputed parts, or the engine's own where they do not
    decide it."""
    day, count, minimums, plain, rules = (
        known.day,
        known.count,
        known.minimums,
        known.plain,
        known.rules,
    )
    first, last_day, numbers, levels = known.first, known.last, known.numbers, known.levels
    stages, escalation, on_account = known.issued, known._escalation, known.on_account

    def decide(
        invoice: Invoice, account: CustomerAccount | None = None, credit: Money | None = None
    ) -> DunningAction:
        """The engine's action for ``invoice`` today (see :attr:`Decider.decide`)."""
        status = invoice.status
        if status is not _SENT and status is not _DUNNED:  # never dunned: the engine's reason
            return no_action(invoice.id, _undunned(status))
        amounts = invoice._amounts
        if not amounts.open_amount > _NOTHING:
            return no_action(invoice.id, NoActionReason.SETTLED)
        marks = invoice._marks  # the history, read once per invoice
        latest = marks.latest
        if latest is not None and latest > day:  # a run on a past day: the engine reads it
            return next_dunning_action(invoice, rules, today=day, account=account, credit=credit)
        if marks.escalated:
            return no_action(invoice.id, NoActionReason.ESCALATED)
        if not count:
            return no_action(invoice.id, NoActionReason.NO_ACTIVE_STAGE)
        if not invoice.customer.dunning_enabled:
            return no_action(invoice.id, NoActionReason.CUSTOMER_DISABLED)
        paused = invoice.paused_since
        if (paused is not None and paused <= day) or marks.switch is _PAUSED:
            return no_action(invoice.id, NoActionReason.PAUSED)
        fees_on = True
        if invoice.holds or invoice.instalment_plans:  # the engine's holds and plans come next
            return next_dunning_action(invoice, rules, today=day, account=account, credit=credit)
        if account is not None:
            if credit is None:
                credit = account.credit(invoice.currency, today=day)
            said = on_account(account)
            if said.engine or account.customer_id != invoice.customer.id:
                return next_dunning_action(
                    invoice, rules, today=day, account=account, credit=credit
                )
            if credit is not None and credit.amount >= amounts.open_amount:
                return no_action(invoice.id, NoActionReason.COVERED_BY_CREDIT, said.later)
            fees_on = said.fees_on
        if minimums:
            minimum = minimums.get(invoice.currency)
            if minimum is not None and amounts.open_amount < minimum.amount:
                return no_action(invoice.id, NoActionReason.BELOW_MINIMUM)
        notices = invoice.issued_stages
        level = len(notices)
        last = None
        if notices:  # the engine's next stage is the active stage at the invoice's level
            number = notices[-1].stage_number
            if not plain or (
                number is not None and (level > count or numbers[level - 1] != number)
            ):
                return next_dunning_action(
                    invoice, rules, today=day, account=account, credit=credit
                )
            last = notices[-1].on
            if not first <= last <= last_day:
                return next_dunning_action(
                    invoice, rules, today=day, account=account, credit=credit
                )
        if level >= count:
            return escalation(invoice, status, last)
        due = invoice.due_date
        if not first <= due <= last_day:
            return next_dunning_action(invoice, rules, today=day, account=account, credit=credit)
        due_after, last_after, always, due_shift, last_shift = levels[level]
        if (
            not always
            and due <= due_after
            and (last is None or last <= last_after)
            and invoice.issue_date <= day
        ):  # every term of the trigger date is on or before today (and so is the history)
            action = stages[level].action(invoice, amounts, level + 1, fees_on, credit)
            if action is None:
                return next_dunning_action(
                    invoice, rules, today=day, account=account, credit=credit
                )
            return action
        # the trigger date (engine._trigger): the latest of its terms, here after today; the
        # history is on or before today and a booked invoice's history reaches its issue
        # date, so neither of those terms decides it
        trigger = due + due_shift
        if last is not None and last + last_shift > trigger:
            trigger = last + last_shift
        if type(trigger) is not _dt.date:  # a subclass of date: the engine's own
            trigger = as_date(trigger)
        return not_yet_due(invoice.id, trigger)

    return decide


def _never(invoice: Invoice) -> bool:
    """Not quiet: ask :attr:`Decider.decide`."""
    return False


def _engine(rules: DunningRules, day: _dt.date) -> Callable[..., DunningAction]:
    """``decide`` by :func:`~dunlib.next_dunning_action` alone."""

    def decide(
        invoice: Invoice, account: CustomerAccount | None = None, credit: Money | None = None
    ) -> DunningAction:
        return next_dunning_action(invoice, rules, today=day, account=account, credit=credit)

    return decide


def _quiet(known: Decider) -> Callable[[Invoice], bool]:
    """A check of ``known``'s rules that is True only when the engine certainly does
    nothing about an invoice today: the common case, decided by a few comparisons with
    the precomputed days (False: it may, ask :attr:`Decider.decide`)."""
    quiet_due, quiet_last, quiet_escalation = (
        known.quiet_due,
        known.quiet_last,
        known.quiet_escalation,
    )
    first, last_day, day = known.first, known.last, known.day
    plain, count, numbers, exhausted = known.plain, known.count, known.numbers, known.exhausted

    def quiet(invoice: Invoice) -> bool:
        notices = invoice.issued_stages
        if not notices:
            if quiet_due < invoice.due_date <= last_day:
                return True
        elif plain:  # no repeating stage: the next one is the active stage at the level
            level, last = len(notices), notices[-1]
            number = last.stage_number
            if level < count:
                if (number is None or numbers[level - 1] == number) and (
                    quiet_last[level] < last.on <= last_day
                    and first <= invoice.due_date <= last_day
                ):
                    return True
            elif (number is None or (level == count and numbers[level - 1] == number)) and (
                exhausted or quiet_escalation < last.on <= last_day
            ):
                return True
        # one of the engine's checks before the ladder stops it (each gives a NoAction)
        if invoice.status not in _LIVE or not invoice.customer.dunning_enabled:
            return True
        paused = invoice.paused_since
        return paused is not None and paused <= day

    return quiet


class _Issued:
    """The parts of an :class:`~dunlib.dunning.actions.IssueStage` that one level of the rules
    gives on the decider's day, to build the engine's action from
    (``engine.next_dunning_action``)."""

    __slots__ = ("build", "day", "fees", "fixed", "number", "rules", "stage")

    def __init__(self, stage: DunningStage, number: int, today: _dt.date, rules: DunningRules):
        self.stage, self.number, self.day, self.rules = stage, number, today, rules
        self.fees: dict[str, tuple[Money, Money | None]] = {}
        # the flat fee and interest depend on the invoice: the engine's _charges gives them
        pending = _flat_fee_pending(rules, number)
        self.fixed = not stage.claim_interest and not pending
        # the stage's own fields, the same for every invoice it is issued for today (None:
        # its due date is beyond the calendar, the engine raises it for the invoice)
        self.build: Callable[..., IssueStage] | None = None
        try:
            due = add_days(today, stage.payment_term_days)
            if rules.calendar is not None:
                due = roll_forward(due, rules.calendar)
        except DunlibError:
            return
        self.build = _build.trusted(
            IssueStage,
            stage_number=number,
            stage=stage,
            on=today,
            due_date=due,
            channels=stage.channels,
            attach_invoice=stage.attach_invoice,
            dispatch=stage.dispatch,
            requires_approval=stage.requires_approval,
            repeat=0,
            base_rates=rules.base_rates if stage.claim_interest else None,
            calendar=rules.calendar if stage.claim_interest or pending else None,
        )

    def fee(self, currency: str) -> tuple[Money, Money | None]:
        """Nothing in ``currency``, and the stage's fee in it when that does not depend on
        the invoice (a fixed fee, or none), else None: the engine computes it
        (``engine._fee``). Kept in ``fees`` once computed."""
        zero = Money.zero(currency)
        fee: Money | None = None
        try:
            rule = self.stage.fee_rule(currency)
            if rule is None:
                fee = zero
            elif rule.percent is None:
                fee = rule.fee_on(zero)
        except DunlibError:  # the engine raises it for the invoice
            fee = None
        self.fees[currency] = (zero, fee)
        return zero, fee

    def action(
        self,
        invoice: Invoice,
        amounts: Amounts,
        level: int,
        fees_on: bool = True,
        credit: Money | None = None,
    ) -> IssueStage | None:
        """The engine's IssueStage for ``invoice`` at ``level``, whose stage is due on the
        decider's day (``amounts`` are its derived amounts; ``fees_on`` whether the
        customer's account has fees on, ``credit`` the customer's credit netted), or None
        when the engine must decide."""
        build = self.build
        if build is None:
            return None
        code = invoice.currency
        zero, charge = self.fees.get(code) or self.fee(code)
        fee, flat, interest = zero, zero, zero
        if charge is None or not self.fixed:  # by the engine's own rules
            charges = _charges(self.stage, invoice, self.day, self.rules, self.number, False)
            fee, flat, interest = charges.fee, charges.flat_fee, charges.interest
        elif charge.amount and invoice.customer.fees_enabled and self.day > invoice.due_date:
            fee = charge
        if not fees_on:  # the account's fee switch (engine._on_account)
            fee, flat = zero, zero
        total, still_open = amounts.total_due, amounts.open_amount
        extra = EXACT.add(fee.amount, interest.amount) if interest.amount else fee.amount
        if extra:
            total, still_open = EXACT.add(total, extra), EXACT.add(still_open, extra)
        netted = zero
        if credit is not None and credit.amount:
            netted, still_open = credit, EXACT.subtract(still_open, credit.amount)
        return build(
            invoice.id,  # invoice_id
            level,  # level
            fee,  # fee
            new_money(total, code),  # total_gross
            new_money(still_open, code),  # open_amount
            interest,  # interest
            netted,  # credit
            flat,  # flat_fee
        )
