"""The daily dunning run over a portfolio: decide for every invoice, then record what was sent.

A billing app runs dunning once a day over every open invoice it holds. :func:`plan`
asks the engine about each invoice of any iterable, lazily (a generator of millions of
invoices runs in constant memory), and yields a :class:`Decision` for every invoice that
needs something today; :func:`group_notices` gathers the documents of one customer in
one currency into one :class:`CustomerNotice` (one letter per customer, as seed 003 and
every peer send); :func:`record_notices` books the documents sent back onto the
invoices. The decisions are exactly those of :func:`dunlib.next_dunning_action`.

**A customer notice** lists every invoice due for a stage, each at its own level. It is
worded by the stage of the highest level among them (the first such invoice's, in the
order given); its fee, interest, open amount and gross are the sums of its invoices';
its due date the latest of theirs; it goes out on every channel any of them names, with
the invoice attached when any says so; and it is sent in the strictest dispatch mode
among them (manual before after-approval before automatic), needing approval when any
of them does.

**Chosen invoices only** (seed 003): ``plan(..., only=ids)`` runs over the chosen
invoices alone; the others get no decision (explained: ``NOT_SELECTED``).

**Notices on their way**: ``plan(..., waiting=notices)`` passes over the invoices of
prepared notices (:mod:`dunlib.prepared`) still waiting for approval or for sending, so
that the next day's run does not decide their stage again (explained: ``NOTICE_WAITING``).

**A customer-level minimum** (:func:`hold_below_minimum`) runs between :func:`plan` and
:func:`group_notices`, where the whole day's decisions are seen: a customer whose overdue
open amounts in a currency add up to less than that currency's minimum gets no document;
each of their stages becomes a ``NoAction`` ``BELOW_CUSTOMER_MINIMUM`` showing the minimum
and the sum. The engine's answer per invoice stays that of
:func:`dunlib.next_dunning_action`.

A notice that needs approval is prepared, approved and sent with :mod:`dunlib.prepared`.

``rules`` is one :class:`~dunlib.stages.DunningRules` for the whole portfolio, or a
function ``Invoice -> DunningRules`` choosing the rules per invoice (per customer group,
say, or per currency); it is called once per invoice and must return DunningRules.
"""

from __future__ import annotations

import datetime as _dt
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from dunlib import _booking
from dunlib import _validate as v
from dunlib.accounts import CustomerAccount
from dunlib.actions import (
    DunningAction,
    Escalate,
    IssueStage,
    NoAction,
    NoActionReason,
    NoticeDocuments,
)
from dunlib.dates import as_date
from dunlib.engine import (
    _escalated_reason,
    _state_reason,
    _trigger_terms,
    next_dunning_action,
)
from dunlib.errors import InvalidTypeError, InvalidValueError
from dunlib.invoice import Customer, Invoice
from dunlib.money import Money, sum_money
from dunlib.notices import record_notice
from dunlib.policy import AUTOMATIC, Actor, Permissions
from dunlib.stages import Channel, DispatchMode, DunningRules, DunningStage
from dunlib.status import Status
from dunlib.templates import TemplateValues, format_amount, format_day

if TYPE_CHECKING:  # dunlib.prepared imports this module
    from dunlib.prepared import PreparedNotice

__all__ = [
    "AccountsFor",
    "CustomerNotice",
    "Decision",
    "RulesFor",
    "group_notices",
    "hold_below_minimum",
    "plan",
    "record_notices",
]

RulesFor = DunningRules | Callable[[Invoice], DunningRules]
"""The rules of a run: one set for every invoice, or a function choosing them per invoice."""

AccountsFor = Mapping[str, CustomerAccount] | Callable[[Invoice], CustomerAccount | None]
"""The customers' accounts in a run: by customer id, or a function finding an invoice's."""


@attrs.frozen(kw_only=True)
class Decision:
    """What the engine decided about ``invoice`` today: ``action`` (an
    :class:`~dunlib.actions.IssueStage`, :class:`~dunlib.actions.Escalate` or, when the
    run explains itself, a :class:`~dunlib.actions.NoAction`)."""

    invoice: Invoice = attrs.field(validator=v.of_type(Invoice, expected="an Invoice"))
    action: DunningAction = attrs.field(
        validator=v.of_type(IssueStage, NoAction, Escalate, expected="a DunningAction")
    )

    def __attrs_post_init__(self) -> None:
        if self.action.invoice_id != self.invoice.id:
            raise InvalidValueError(
                "Decision.action", self.action, f"an action about invoice {self.invoice.id!r}"
            )


def plan(
    invoices: Iterable[Invoice],
    rules: RulesFor,
    today: _dt.date,
    *,
    explain: bool = False,
    accounts: AccountsFor | None = None,
    only: Collection[str] | None = None,
    waiting: Iterable[PreparedNotice] | None = None,
) -> Iterator[Decision]:
    """The decisions of a run on ``today`` over ``invoices``, in their order, lazily.

    Yields a :class:`Decision` for every invoice that needs something today (a stage to
    issue or an escalation); with ``explain``, one for every invoice, the
    :class:`~dunlib.actions.NoAction` and its reason included. The arguments are checked
    when ``plan`` is called; each invoice when it is reached.

    ``only``, the ids of chosen invoices, restricts the run to them (seed 003: dunning for
    all invoices or only for chosen ones): the others get no decision, or with ``explain``
    a NoAction :attr:`~dunlib.actions.NoActionReason.NOT_SELECTED`. The chosen ones get
    exactly the decisions of a run over them alone, which is the unrestricted run filtered
    to them when no ``accounts`` are given (with accounts, only chosen invoices use up a
    customer's credit).

    The common "nothing today" case is decided without asking the engine, from the
    engine's own trigger terms precomputed once per rules object the run meets (so a rules
    function should hand out the same few DunningRules, not build new ones per invoice);
    every decision is still exactly :func:`~dunlib.next_dunning_action`'s. See
    ``docs/performance.md``.

    ``accounts`` gives the customers' :class:`~dunlib.accounts.CustomerAccount` values: a
    mapping from customer id, or a function ``Invoice -> CustomerAccount | None``; a
    customer without one is decided from the invoice alone. A customer's credit is netted
    once per run and currency: invoices in the order given use up what earlier ones left
    (the credit that covers a skipped invoice, or is netted against a notice, is not
    offered again).

    ``waiting``, the app's :class:`~dunlib.prepared.PreparedNotice` values, holds the
    invoices of every notice still on its way (PREPARED: waiting for approval or for
    sending; APPROVED: waiting for sending): they get no decision, or with ``explain`` a
    NoAction :attr:`~dunlib.actions.NoActionReason.NOTICE_WAITING`, whatever else holds
    (``only`` included). A rejected or sent notice holds nothing (a sent one is on the
    invoice's history, which the engine reads). The other invoices get exactly the
    decisions of a run over them alone, which is the run without ``waiting`` filtered to
    them when no ``accounts`` are given.
    """
    day = as_date(today, "plan.today")
    if not isinstance(rules, DunningRules) and not callable(rules):
        raise InvalidTypeError(
            "plan.rules", rules, "a DunningRules or a function Invoice -> DunningRules"
        )
    if isinstance(invoices, str | bytes) or not isinstance(invoices, Iterable):
        raise InvalidTypeError("plan.invoices", invoices, "an iterable of Invoices")
    if not isinstance(explain, bool):
        raise InvalidTypeError("plan.explain", explain, "a bool")
    if accounts is not None and not isinstance(accounts, Mapping) and not callable(accounts):
        raise InvalidTypeError(
            "plan.accounts", accounts, "a mapping customer id -> CustomerAccount, or a function"
        )
    if waiting is not None:  # the run over the invoices no waiting notice holds
        return _passing_waiting(
            iter(invoices),
            explain,
            _held_by(waiting),
            lambda free: plan(free, rules, day, explain=explain, accounts=accounts, only=only),
        )
    if only is not None:
        selected = _selection(only)
        return _restricted(iter(invoices), rules, day, explain, _Credit(accounts, day), selected)
    return _decisions(iter(invoices), rules, day, explain, _Credit(accounts, day))


class _Credit:
    """The customers' accounts of one run and the credit each has left per currency."""

    def __init__(self, accounts: AccountsFor | None, day: _dt.date) -> None:
        self.accounts, self.day = accounts, day
        self.left: dict[tuple[str, str], Money] = {}

    def account(self, invoice: Invoice) -> CustomerAccount | None:
        """The account of ``invoice``'s customer (the run asks only when it has accounts)."""
        accounts = self.accounts
        if isinstance(accounts, Mapping):
            found = accounts.get(invoice.customer.id)
        else:
            found = None if accounts is None else accounts(invoice)
        if found is not None and not isinstance(found, CustomerAccount):
            raise InvalidTypeError(
                f"plan.accounts({invoice.customer.id!r})", found, "a CustomerAccount or None"
            )
        return found

    def left_for(self, invoice: Invoice, account: CustomerAccount | None) -> Money | None:
        if account is None:
            return None
        key = (invoice.customer.id, invoice.currency)
        if key not in self.left:
            self.left[key] = account.credit(invoice.currency, self.day)
        return self.left[key]

    def spend(self, invoice: Invoice, action: DunningAction) -> None:
        key = (invoice.customer.id, invoice.currency)
        if key not in self.left:  # no account: no credit
            return
        if isinstance(action, IssueStage):
            self.left[key] = self.left[key] - action.credit
        elif isinstance(action, NoAction) and action.reason is NoActionReason.COVERED_BY_CREDIT:
            self.left[key] = self.left[key] - invoice.open_amount


def _selection(only: object) -> frozenset[str]:
    expected = "a collection of invoice ids (str), or None for every invoice"
    if isinstance(only, str | bytes) or not isinstance(only, Collection):
        raise InvalidTypeError("plan.only", only, expected)
    if not all(isinstance(key, str) for key in only):
        raise InvalidTypeError("plan.only", only, expected)
    return frozenset(only)


def _restricted(
    invoices: Iterator[Invoice],
    rules: RulesFor,
    day: _dt.date,
    explain: bool,
    credit: _Credit,
    selected: frozenset[str],
) -> Iterator[Decision]:
    """The run over the chosen invoices; the others are passed over (or explained)."""
    for index, invoice in enumerate(invoices):
        _booking.checked_invoice(invoice, f"plan.invoices[{index}]")
        if invoice.id in selected:
            yield from _decisions(iter((invoice,)), rules, day, explain, credit)
        elif explain:
            action = NoAction(invoice_id=invoice.id, reason=NoActionReason.NOT_SELECTED)
            yield Decision(invoice=invoice, action=action)


def _held_by(waiting: object) -> frozenset[str]:
    """The ids of the invoices on notices still on their way among ``waiting``."""
    from dunlib.prepared import NoticeState, PreparedNotice  # here: it imports this module

    notices = v.items_of(waiting, PreparedNotice, "plan.waiting", "PreparedNotices")
    on_the_way = (NoticeState.PREPARED, NoticeState.APPROVED)
    return frozenset(
        invoice.id
        for notice in notices
        if notice.state in on_the_way
        for invoice in notice.invoices
    )


def _passing_waiting(
    invoices: Iterator[Invoice],
    explain: bool,
    held: frozenset[str],
    run: Callable[[Iterator[Invoice]], Iterator[Decision]],
) -> Iterator[Decision]:
    """``run`` (the run without ``waiting``, its arguments checked now) over the invoices no
    waiting notice holds; explained, each held one is put back in its place as a NoAction
    ``NOTICE_WAITING``.

    Explained, ``run`` yields one decision per invoice it is given, in their order: the held
    invoices go back between them by position, however far ahead ``run`` reads.
    """
    passed: deque[int] = deque()
    pending: deque[tuple[int, Invoice]] = deque()

    def free() -> Iterator[Invoice]:
        for index, invoice in enumerate(invoices):
            if type(invoice) is not Invoice:
                _booking.checked_invoice(invoice, f"plan.invoices[{index}]")
            if invoice.id not in held:
                if explain:
                    passed.append(index)
                yield invoice
            elif explain:
                pending.append((index, invoice))

    def put_back(before: int | None) -> Iterator[Decision]:
        while pending and (before is None or pending[0][0] < before):
            invoice = pending.popleft()[1]
            action = NoAction(invoice_id=invoice.id, reason=NoActionReason.NOTICE_WAITING)
            yield Decision(invoice=invoice, action=action)

    def merged(decisions: Iterator[Decision]) -> Iterator[Decision]:
        for decision in decisions:
            if explain:
                yield from put_back(passed.popleft())
            yield decision
        yield from put_back(None)

    return merged(run(free()))


def _decisions(
    invoices: Iterator[Invoice], rules: RulesFor, day: _dt.date, explain: bool, credit: _Credit
) -> Iterator[Decision]:
    cache: dict[int, _Quiet] = {}
    chosen: DunningRules | None = None
    known: _Quiet | None = None
    for index, invoice in enumerate(invoices):
        if type(invoice) is not Invoice:
            _booking.checked_invoice(invoice, f"plan.invoices[{index}]")
        these = rules if isinstance(rules, DunningRules) else rules(invoice)
        if these is not chosen or known is None:
            known = _known(cache, these, invoice, day)
            chosen = these
        account = None if credit.accounts is None else credit.account(invoice)
        if account is None:  # decided from the invoice alone: no credit to net
            if explain:
                certain = known.explained(invoice)
                if certain is not None:
                    yield _decision(invoice, certain)
                    continue
            elif known.is_quiet(invoice):
                continue
        action = next_dunning_action(
            invoice, chosen, day, account=account, credit=credit.left_for(invoice, account)
        )
        credit.spend(invoice, action)
        if explain or type(action) is not NoAction:
            yield _decision(invoice, action)


_MAX_RULES = 64
"""How many rules objects one run keeps precomputed (rules functions return a few)."""

_LIVE = (Status.SENT, Status.DUNNED)


def _known(cache: dict[int, _Quiet], rules: object, invoice: Invoice, day: _dt.date) -> _Quiet:
    """The precomputed :class:`_Quiet` of ``rules`` (checked), made once per rules object."""
    if not isinstance(rules, DunningRules):
        raise InvalidTypeError(
            f"plan.rules({invoice.id!r})", rules, "DunningRules from the rules function"
        )
    known = cache.get(id(rules))
    if known is None:  # the cache keeps the rules, so their id is not reused
        if len(cache) >= _MAX_RULES:  # a function making new rules every call: stay bounded
            cache.clear()
        known = cache[id(rules)] = _Quiet(rules, day)
    return known


def _decision(invoice: Invoice, action: DunningAction) -> Decision:
    """``Decision(invoice=invoice, action=action)`` for an action the engine made about
    ``invoice``: nothing to check."""
    decision: Decision = object.__new__(Decision)
    object.__setattr__(decision, "invoice", invoice)
    object.__setattr__(decision, "action", action)
    return decision


def _no_action(invoice: Invoice, reason: NoActionReason, next_on: _dt.date | None) -> NoAction:
    """``NoAction(invoice_id=invoice.id, reason=reason, next_on=next_on)``, as the engine
    would build it: nothing to check."""
    action: NoAction = object.__new__(NoAction)
    object.__setattr__(action, "invoice_id", invoice.id)
    object.__setattr__(action, "reason", reason)
    object.__setattr__(action, "next_on", next_on)
    object.__setattr__(action, "minimum", None)
    object.__setattr__(action, "overdue_total", None)
    return action


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


_Level = tuple[
    _dt.date | None,  # the due date is after it: not yet (None: never)
    _dt.date,  # the first and
    _dt.date,  # the last due date the engine can count from
    _dt.date | None,  # the last document's date is after it: not yet (None: never)
    _dt.date,  # the first and
    _dt.date,  # the last document date the engine can count from
    bool,  # not yet whatever the days (a stage counting beyond the first day)
]


def _level(
    stage: DunningStage, previous: DunningStage | None, level: int, today: _dt.date
) -> tuple[_Level, tuple[int, int]]:
    """The trigger of one level on ``today`` as comparisons, and the largest shifts.

    The trigger date is the latest of the engine's terms (``day + k``), so the stage
    cannot fire today exactly when some term's day is after ``today - k``; only the
    largest ``k`` of each kind of day matters. The windows hold the days for which the
    engine can add every ``k`` (outside them it refuses, so the run asks it).
    """
    terms = _trigger_terms(stage, previous, level > 0)
    due = [k for name, k in terms if name == "due"]
    last = [k for name, k in terms if name == "last"] or [0]
    due_after, last_after = _before(today, max(due)), _before(today, max(last))
    return (
        due_after if isinstance(due_after, _dt.date) else None,
        *_window(due),
        last_after if isinstance(last_after, _dt.date) and level else None,
        *_window(last),
        due_after is True or (last_after is True and level > 0),
    ), (max(due), max(last))


class _Quiet:
    """What a run needs to decide the common "nothing today" case of one set of rules
    without asking the engine, precomputed once per rules object and day.

    Every answer it gives is the engine's (:mod:`dunlib.engine`: the same checks in the
    same order, the trigger date from the engine's own terms, see
    ``engine._trigger_terms``); where it cannot be sure, it gives none and the run asks
    the engine.
    """

    __slots__ = (
        "count",
        "day",
        "escalation_after",
        "escalation_window",
        "exhausted",
        "ladder",
        "levels",
        "minimums",
        "numbers",
        "plain",
        "rules",
        "shifts",
    )

    def __init__(self, rules: DunningRules, today: _dt.date) -> None:
        self.rules = rules
        self.day = today
        ladder = rules.active_stages
        self.ladder = ladder
        # the engine reads the next stage from the one last issued (engine._ladder); the run
        # counts documents along the active stages, which agrees while the last document
        # names the active stage at its level and no stage repeats (see _agrees)
        self.numbers = tuple(n for n, stage in enumerate(rules.stages, start=1) if stage.active)
        self.plain = all(stage.repeat is None for stage in rules.stages)
        self.count = len(ladder)
        made = [
            _level(stage, ladder[n - 1] if n else None, n, today) for n, stage in enumerate(ladder)
        ]
        self.levels = tuple(level for level, _ in made)
        self.shifts = tuple(
            (_dt.timedelta(days=due), _dt.timedelta(days=last)) for _, (due, last) in made
        )
        self.minimums = {m.currency: m for m in rules.minimum_open_amounts}
        # the engine's escalation (engine._escalation) waits max(escalation_days, 1) days
        # after the last document; without an escalation (or a stage) nothing happens
        waits = max(rules.escalation_days, 1)
        after = _before(today, waits)
        self.exhausted = rules.escalation is None or not ladder
        self.escalation_after = after if isinstance(after, _dt.date) else None
        self.escalation_window = _window([waits, 1])

    def _waits(self, invoice: Invoice, level: int) -> bool:
        """Whether the invoice's next stage (at ``level``, below the ladder's end) certainly
        cannot fire today (False also when the engine cannot count its days)."""
        due_after, due_first, due_last, last_after, last_first, last_last, always = self.levels[
            level
        ]
        due = invoice.due_date
        if not due_first <= due <= due_last:
            return False
        notices = invoice.notices
        if notices:
            last = notices[-1].on
            if not last_first <= last <= last_last:
                return False
            if last_after is not None and last > last_after:
                return True
        if always or (due_after is not None and due > due_after):
            return True
        day = self.day
        history = invoice.history
        return (bool(history) and history[-1].on > day) or invoice.issue_date > day

    def _agrees(self, invoice: Invoice) -> bool:
        """Whether the engine's next stage is the active stage at the invoice's level: no
        stage repeats, and the last document came from the active stage at its level (or,
        an old document, names none)."""
        if not self.plain:
            return False
        notices = invoice.notices
        if not notices:
            return True
        number, level = notices[-1].stage_number, len(notices)
        return number is None or (level <= self.count and self.numbers[level - 1] == number)

    def _held(self, invoice: Invoice) -> bool:
        """Whether one of the engine's checks before the ladder stops it (each a NoAction)."""
        if invoice.status not in _LIVE:
            return True
        paused = invoice.paused_since
        return not invoice.customer.dunning_enabled or (paused is not None and paused <= self.day)

    def is_quiet(self, invoice: Invoice) -> bool:
        """True only when the engine does nothing about ``invoice`` today."""
        if not self._agrees(invoice):
            return False
        notices = invoice.notices
        level = len(notices)
        if level < self.count:
            if self._waits(invoice, level):
                return True
        elif self.exhausted:
            return True
        else:
            last, (first, last_day) = notices[-1].on, self.escalation_window
            after = self.escalation_after
            if after is not None and after < last and first <= last <= last_day:
                return True
        return self._held(invoice)

    def explained(self, invoice: Invoice) -> NoAction | None:
        """The engine's NoAction for ``invoice`` today when it is certain, else None."""
        reason = _state_reason(invoice) or _escalated_reason(invoice)
        if reason is None:
            if not self.count:
                reason = NoActionReason.NO_ACTIVE_STAGE
            elif not invoice.customer.dunning_enabled:
                reason = NoActionReason.CUSTOMER_DISABLED
            elif invoice.paused_since is not None and invoice.paused_since <= self.day:
                reason = NoActionReason.PAUSED
            elif invoice.holds:  # the engine's holds (engine._held_by) come next
                return None
            else:
                minimum = self.minimums.get(invoice.currency)
                if minimum is not None and invoice.open_amount < minimum:
                    reason = NoActionReason.BELOW_MINIMUM
        if reason is not None:
            return _no_action(invoice, reason, None)
        level = len(invoice.notices)
        if level >= self.count or not self._agrees(invoice) or not self._waits(invoice, level):
            return None
        return _no_action(invoice, NoActionReason.NOT_YET_DUE, self._trigger(invoice, level))

    def _trigger(self, invoice: Invoice, level: int) -> _dt.date:
        """The engine's trigger date (``engine._trigger``), from its terms: within the
        windows, so every sum is a date."""
        due_shift, last_shift = self.shifts[level]
        day = max(invoice.due_date + due_shift, invoice.issue_date)
        if level:
            day = max(day, invoice.notices[-1].on + last_shift)
        if invoice.history:
            day = max(day, invoice.history[-1].on)
        return day if type(day) is _dt.date else as_date(day)


def record_notices(
    invoices: Iterable[Invoice],
    decisions: Iterable[Decision],
    *,
    actor: Actor = AUTOMATIC,
    permissions: Permissions | None = None,
) -> tuple[Invoice, ...]:
    """``invoices`` with the documents of ``decisions`` booked, in the order given.

    Every decision whose action is an :class:`~dunlib.actions.IssueStage` is recorded with
    :func:`dunlib.record_notice` (by ``actor``, by default the automatic one) on the
    invoice of the same id; decisions without a document (escalations, no action) change
    nothing, and invoices without a decision come back unchanged. A decision about an
    invoice that is not among ``invoices``, or two documents for one invoice, are refused.
    """
    books = v.items_of(invoices, Invoice, "record_notices.invoices", "Invoices")
    made = v.items_of(decisions, Decision, "record_notices.decisions", "Decisions")
    position: dict[str, int] = {}
    for index, invoice in enumerate(books):
        if invoice.id in position:
            raise InvalidValueError(
                f"record_notices.invoices[{index}].id", invoice.id, "invoice ids once each"
            )
        position[invoice.id] = index
    issued: set[str] = set()
    for index, decision in enumerate(made):
        if not isinstance(decision.action, IssueStage):
            continue
        key = decision.action.invoice_id
        if key not in position:
            raise InvalidValueError(
                f"record_notices.decisions[{index}]", key, "a decision about one of the invoices"
            )
        if key in issued:
            raise InvalidValueError(
                f"record_notices.decisions[{index}]", key, "one document per invoice and run"
            )
        issued.add(key)
        at = position[key]
        books[at] = record_notice(books[at], decision.action, actor=actor, permissions=permissions)
    return tuple(books)


_STRICTNESS = (DispatchMode.AUTOMATIC, DispatchMode.AFTER_APPROVAL, DispatchMode.MANUAL)


def _issued(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(Decision, "a Decision")(instance, attribute, value)
    field = v.field_name(instance, attribute)
    if not value:
        raise InvalidValueError(field, value, "one or more decisions")
    first = value[0].invoice
    for index, decision in enumerate(value):
        invoice = decision.invoice
        if not isinstance(decision.action, IssueStage):
            raise InvalidValueError(f"{field}[{index}]", decision.action, "an IssueStage")
        if (invoice.customer.id, invoice.currency) != (first.customer.id, first.currency):
            raise InvalidValueError(
                f"{field}[{index}]",
                invoice.id,
                f"an invoice of customer {first.customer.id} in {first.currency}",
            )


@attrs.frozen(kw_only=True)
class CustomerNotice:
    """The documents of one run for one customer in one currency, sent as one.

    ``decisions`` are the invoices' decisions, each an :class:`~dunlib.actions.IssueStage`
    at the invoice's own level, in the order the run made them. See the module docs for
    how the notice is worded, totalled and dispatched.
    """

    decisions: tuple[Decision, ...] = attrs.field(converter=v.to_tuple, validator=_issued)

    @property
    def stages(self) -> tuple[IssueStage, ...]:
        """The issued stage of every invoice, in order."""
        return tuple(d.action for d in self.decisions if isinstance(d.action, IssueStage))

    @property
    def customer(self) -> Customer:
        """The customer, as on the first invoice."""
        return self.decisions[0].invoice.customer

    @property
    def currency(self) -> str:
        """The currency of every invoice of the notice."""
        return self.decisions[0].invoice.currency

    @property
    def lead(self) -> IssueStage:
        """The stage the notice is worded by: the highest level's (the first such)."""
        stages = self.stages
        return max(stages, key=lambda stage: stage.level)

    @property
    def fee(self) -> Money:
        """The fees of all its documents."""
        return sum_money((stage.fee for stage in self.stages), self.currency)

    @property
    def interest(self) -> Money:
        """The default interest all its documents claim."""
        return sum_money((stage.interest for stage in self.stages), self.currency)

    @property
    def open_amount(self) -> Money:
        """What the customer owes on these invoices once the fees are added."""
        return sum_money((stage.open_amount for stage in self.stages), self.currency)

    @property
    def total_gross(self) -> Money:
        """The invoices' gross amounts with all fees, these included."""
        return sum_money((stage.total_gross for stage in self.stages), self.currency)

    @property
    def due_date(self) -> _dt.date:
        """The latest due date of its documents."""
        return max(stage.due_date for stage in self.stages)

    @property
    def channels(self) -> tuple[Channel, ...]:
        """Every channel one of its documents goes out on, in the order of :class:`Channel`."""
        named = {channel for stage in self.stages for channel in stage.channels}
        return tuple(channel for channel in Channel if channel in named)

    @property
    def attach_invoice(self) -> bool:
        """Whether the invoices are attached (when any stage says so)."""
        return any(stage.attach_invoice for stage in self.stages)

    @property
    def dispatch(self) -> DispatchMode:
        """The strictest dispatch mode among its documents."""
        return max((stage.dispatch for stage in self.stages), key=_STRICTNESS.index)

    @property
    def requires_approval(self) -> bool:
        """Whether a person approves the notice before it is sent."""
        return any(stage.requires_approval for stage in self.stages)

    def documents(self, *, tenant_name: str) -> NoticeDocuments:
        """The lead stage's e-mail subject, body and PDF text for the whole notice.

        Placeholders about one invoice name the lead invoice's number and date; amounts
        are the notice's sums; ``{{ invoiceList }}`` lists every invoice, one a line.
        """
        if not isinstance(tenant_name, str):
            raise InvalidTypeError("CustomerNotice.documents.tenant_name", tenant_name, "a str")
        lead = self.lead
        invoice = next(d.invoice for d in self.decisions if d.action is lead)
        locale = self.customer.locale
        lines = [
            f"{d.invoice.number} {format_day(d.invoice.issue_date, locale)}: "
            f"{format_amount(stage.open_amount, locale)} (level {stage.level})"
            for d, stage in zip(self.decisions, self.stages, strict=True)
        ]
        values = TemplateValues(
            invoice_number=invoice.number,
            invoice_date=invoice.issue_date,
            total_gross=self.total_gross,
            due_date=self.due_date,
            tenant_name=tenant_name,
            customer_name=self.customer.name,
            open_amount=self.open_amount,
            fee=self.fee,
            level=lead.level,
            interest=self.interest,
            invoice_list="\n".join(lines) if len(lines) > 1 else "",
            locale=locale,
        )
        return NoticeDocuments.of(lead.stage, values)


def group_notices(decisions: Iterable[Decision]) -> tuple[CustomerNotice, ...]:
    """The issued stages of ``decisions`` as one :class:`CustomerNotice` per customer and
    currency, in the order each customer first appears; decisions without a document
    (escalations, no action) are left out. Nothing issued is lost and nothing invented."""
    made = v.items_of(decisions, Decision, "group_notices.decisions", "Decisions")
    groups: dict[tuple[str, str], list[Decision]] = {}
    for decision in made:
        if isinstance(decision.action, IssueStage):
            key = (decision.invoice.customer.id, decision.invoice.currency)
            groups.setdefault(key, []).append(decision)
    return tuple(CustomerNotice(decisions=tuple(group)) for group in groups.values())


def _minimums(minimums: object) -> dict[str, Money]:
    field = "hold_below_minimum.minimums"
    amounts = v.items_of(minimums, Money, field, "Money amounts, at most one per currency")
    by_currency: dict[str, Money] = {}
    for index, amount in enumerate(amounts):
        if not amount.is_positive:
            raise InvalidValueError(f"{field}[{index}]", amount, "an amount above zero")
        if amount.currency in by_currency:
            raise InvalidValueError(f"{field}[{index}]", amount, "at most one minimum per currency")
        by_currency[amount.currency] = amount
    return by_currency


def _overdue(invoice: Invoice, day: _dt.date) -> Money | None:
    """What ``invoice`` owes past its due date on ``day`` (None: nothing overdue)."""
    if invoice.status not in (Status.SENT, Status.DUNNED) or day < invoice.due_date:
        return None
    open_amount = invoice.open_amount
    return open_amount if open_amount.is_positive else None


def hold_below_minimum(
    decisions: Iterable[Decision], minimums: Iterable[Money], today: _dt.date
) -> tuple[Decision, ...]:
    """``decisions`` with the documents of customers below their minimum held back.

    The customer-level threshold: for every customer and currency with a minimum among
    ``minimums`` (at most one amount per currency; currencies without one are never held),
    the overdue open amounts of the customer's invoices among ``decisions`` are added up
    (every invoice in SENT or DUNNED whose due date is reached on ``today`` and that has
    something open: paused ones too, since they are still owed). When the sum is below the
    minimum, every :class:`~dunlib.actions.IssueStage` of that customer in that currency
    becomes a :class:`~dunlib.actions.NoAction`
    :attr:`~dunlib.actions.NoActionReason.BELOW_CUSTOMER_MINIMUM` carrying the minimum and
    the sum, so no notice goes out (a reminder before the due date included); at or above
    the minimum nothing changes. Other decisions keep their own reason (an escalation is not
    a notice; an invoice the engine passed over says why itself).

    It runs between :func:`plan` and :func:`group_notices`, because it needs every
    invoice of a customer: give it the run's explained decisions
    (``plan(..., explain=True)``) so that every overdue invoice counts; given only the
    actionable ones, only those are added up. The engine's answer per invoice
    (:func:`dunlib.next_dunning_action`) is unchanged by it. The decisions come back in
    their order.
    """
    made = v.items_of(decisions, Decision, "hold_below_minimum.decisions", "Decisions")
    floor = _minimums(minimums)
    day = as_date(today, "hold_below_minimum.today")
    totals: dict[tuple[str, str], Money] = {}
    for decision in made:
        invoice = decision.invoice
        if invoice.currency in floor:
            key = (invoice.customer.id, invoice.currency)
            owed = _overdue(invoice, day)
            zero = Money.zero(invoice.currency)
            totals[key] = totals.get(key, zero) + (zero if owed is None else owed)
    held: list[Decision] = []
    for decision in made:
        invoice, action = decision.invoice, decision.action
        minimum = floor.get(invoice.currency)
        if minimum is not None and isinstance(action, IssueStage):
            total = totals[(invoice.customer.id, invoice.currency)]
            if total < minimum:
                action = NoAction(
                    invoice_id=invoice.id,
                    reason=NoActionReason.BELOW_CUSTOMER_MINIMUM,
                    minimum=minimum,
                    overdue_total=total,
                )
                decision = Decision(invoice=invoice, action=action)
        held.append(decision)
    return tuple(held)
