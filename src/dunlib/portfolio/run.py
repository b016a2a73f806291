"""The daily dunning run over a portfolio: decide for every invoice, then record what was sent.

A billing app runs dunning once a day over every open invoice it holds. :func:`plan`
asks the engine about each invoice of any iterable, lazily (a generator of millions of
invoices runs in constant memory), and yields a :class:`Decision` for every invoice that
needs something today; :func:`group_letters` gathers the documents of one customer in
one currency into one :class:`DunningLetter` (one letter per customer, as seed 003 and
every peer send); :func:`record_stages` books the documents sent back onto the
invoices. The decisions are exactly those of :func:`dunlib.next_dunning_action`.

A :class:`~dunlib.dunning.decisions.DunningLetter` is worded, totalled and dispatched as
:mod:`dunlib.dunning.decisions` describes.

**Chosen invoices only** (seed 003): ``plan(..., only=ids)`` runs over the chosen
invoices alone; the others get no decision (explained: ``NOT_SELECTED``).

**Letters on their way**: ``plan(..., waiting=letters)`` passes over the invoices of
prepared letters (:mod:`dunlib.portfolio.prepared`) still waiting for approval or for sending, so
that the next day's run does not decide their stage again (explained: ``LETTER_WAITING``).

**A customer-level minimum** (:func:`customer_minimum`) runs between :func:`plan` and
:func:`group_letters`, where the whole day's decisions are seen: a customer whose overdue
open amounts in a currency add up to less than that currency's minimum gets no document;
each of their stages becomes a ``NoAction`` ``BELOW_CUSTOMER_MINIMUM`` showing the minimum
and the sum. The engine's answer per invoice stays that of
:func:`dunlib.next_dunning_action`.

A letter that needs approval is prepared, approved and sent with :mod:`dunlib.portfolio.prepared`.

``rules`` is one :class:`~dunlib.dunning.stages.DunningRules` for the whole portfolio, or a
function ``Invoice -> DunningRules`` choosing the rules per invoice (per customer group,
say, or per currency); it is called once per invoice and must return DunningRules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

from dunlib.core import generated as _build
from dunlib.core import quick
from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money, sum_money
from dunlib.core.records import Customer
from dunlib.core.status import Status
from dunlib.dunning.accounts import CustomerAccount
from dunlib.dunning.actions import DunningAction, IssueStage, NoAction, NoActionReason
from dunlib.dunning.decider import Decider, no_action
from dunlib.dunning.decisions import Decision
from dunlib.dunning.issuing import check_dispatch, record_stage
from dunlib.dunning.stages import DunningRules
from dunlib.portfolio.prepared import ON_ITS_WAY, PreparedLetter
from dunlib.workflow.policy import Actor, Authority, checked_actor

__all__ = [
    "AccountsFor",
    "RulesFor",
    "customer_minimum",
    "plan",
    "record_stages",
]

RulesFor = DunningRules | Callable[[Invoice], DunningRules]
"""The rules of a run: one set for every invoice, or a function choosing them per invoice."""

AccountsFor = Mapping[str, CustomerAccount] | Callable[[Invoice], CustomerAccount | None]
"""The customers' accounts in a run: by customer id, or a function finding an invoice's."""


def plan(
    invoices: Iterable[Invoice],
    rules: RulesFor,
    *,
    today: _dt.date,
    explain: bool = False,
    accounts: AccountsFor | None = None,
    only: Collection[str] | None = None,
    waiting: Iterable[PreparedLetter] | None = None,
) -> Iterator[Decision]:
    """The decisions of a run on ``today`` over ``invoices``, in their order, lazily.

    Yields a :class:`Decision` for every invoice that needs something today (a stage to
    issue or an escalation); with ``explain``, one for every invoice, the
    :class:`~dunlib.dunning.actions.NoAction` and its reason included. The arguments are checked
    when ``plan`` is called; each invoice when it is reached.

    ``only``, the ids of chosen invoices, restricts the run to them (seed 003: dunning for
    all invoices or only for chosen ones): the others get no decision, or with ``explain``
    a NoAction :attr:`~dunlib.dunning.actions.NoActionReason.NOT_SELECTED`. The chosen ones get
    exactly the decisions of a run over them alone, which is the unrestricted run filtered
    to them when no ``accounts`` are given (with accounts, only chosen invoices use up a
    customer's credit).

    The run decides with the engine's rules compiled once per rules object it meets (so a
    rules function should hand out the same few DunningRules, not build new ones per
    invoice): the common "nothing today" case from the engine's own trigger terms, and the
    engine's reasons, stages, fees, interest and escalations from parts precomputed for the
    day, with the customer's account read once per customer; every decision is exactly
    :func:`~dunlib.next_dunning_action`'s, which decides wherever the compiled form is not
    sure. An account without changes decides nothing: given in a ``dict``, such accounts are
    set aside once when the run starts, so a run whose accounts have no changes costs what
    the run without them costs. See ``docs/performance.md``.

    ``accounts`` gives the customers' :class:`~dunlib.dunning.accounts.CustomerAccount` values: a
    mapping from customer id, or a function ``Invoice -> CustomerAccount | None``; a
    customer without one is decided from the invoice alone. A customer's credit is netted
    once per run and currency: invoices in the order given use up what earlier ones left
    (the credit that covers a skipped invoice, or is netted against a letter, is not
    offered again).

    ``waiting``, the app's :class:`~dunlib.portfolio.prepared.PreparedLetter` values, holds the
    invoices of every letter still on its way (PREPARED: waiting for approval or for
    sending; APPROVED: waiting for sending) while each is as the letter was prepared from:
    they get no decision, or with ``explain`` a NoAction
    :attr:`~dunlib.dunning.actions.NoActionReason.LETTER_WAITING`, whatever else holds (``only``
    included); a changed invoice is decided afresh (supersede the stale letter with
    :func:`~dunlib.portfolio.prepared.supersede_letters`). A rejected letter holds its
    invoices as its :class:`~dunlib.portfolio.prepared.Rejection` says (explained
    ``LETTER_REJECTED``); a withdrawn, superseded or sent letter holds nothing (a sent one is
    on the invoice's history, which the engine reads). The other invoices get exactly the
    decisions of a run over them alone, which is the run without ``waiting`` filtered to
    them when no ``accounts`` are given; the customer's credit that a letter on its way
    netted is kept for it, and only the rest is offered to the customer's other invoices.
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
    selected = None if only is None else _selection(only)
    held, reserved = _on_the_way(waiting)
    credit = _Credit(_deciding_accounts(accounts), day, reserved)
    return _decisions(iter(invoices), rules, day, explain, credit, selected, held)


def _deciding_accounts(accounts: AccountsFor | None) -> AccountsFor | None:
    """``accounts`` without the accounts that decide nothing (no changes, the customer's
    own), read once per run where they are a ``dict``; None where none is left, so the run
    goes as without accounts. (Another mapping may load its values lazily: it is asked per
    customer instead.)"""
    if type(accounts) is not dict:
        return accounts
    deciding = {
        customer: account
        for customer, account in accounts.items()
        if not isinstance(account, CustomerAccount)
        or account.history
        or account.customer_id != customer
    }
    return deciding or None


class _Credit:
    """The customers' accounts of one run and the credit each has left per currency."""

    def __init__(
        self, accounts: AccountsFor | None, day: _dt.date, reserved: dict[tuple[str, str], Money]
    ) -> None:
        self.accounts, self.day, self.reserved = accounts, day, reserved
        self.left: dict[tuple[str, str], Money] = {}
        self.by_id = accounts.get if isinstance(accounts, Mapping) else None
        self.customer: Customer | None = None  # the customer last looked up by id
        self.found: CustomerAccount | None = None  # and what deciding found for it

    def account(self, invoice: Invoice) -> CustomerAccount | None:
        """The account of ``invoice``'s customer (the run asks only when it has accounts)."""
        accounts = self.accounts
        if self.by_id is not None:
            found = self.by_id(invoice.customer.id)
        else:
            found = accounts(invoice) if callable(accounts) else None
        if found is not None and not isinstance(found, CustomerAccount):
            raise InvalidTypeError(
                f"plan.accounts({invoice.customer.id!r})", found, "a CustomerAccount or None"
            )
        return found

    def deciding(self, invoice: Invoice) -> CustomerAccount | None:
        """The account of ``invoice``'s customer where it may decide something: None without
        one, or for one of the customer without changes (it decides nothing). Kept as
        ``found`` for ``customer`` when looked up by customer id: the run reads it for the
        customer's invoices in a row."""
        customer = invoice.customer
        found = self.account(invoice)
        if found is not None and not found.history and found.customer_id == customer.id:
            found = None
        if self.by_id is not None:  # by customer id: the same for each of its invoices
            self.customer, self.found = customer, found
        return found

    def left_for(self, invoice: Invoice, account: CustomerAccount) -> Money:
        key = (invoice.customer.id, invoice.currency)
        if key not in self.left:  # less what letters on their way netted already
            credit = account.credit(invoice.currency, today=self.day)
            kept = self.reserved.get(key)
            if kept is not None:
                credit = max(credit - kept, Money.zero(invoice.currency))
            self.left[key] = credit
        return self.left[key]

    def spend(self, invoice: Invoice, action: DunningAction) -> None:
        key = (invoice.customer.id, invoice.currency)  # the credit left_for looked up
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


def _on_the_way(
    waiting: object,
) -> tuple[dict[str, list[PreparedLetter]], dict[tuple[str, str], Money]]:
    """The letters among ``waiting`` (None: none) that may hold an invoice, by invoice id,
    and the credit the letters still on their way netted, per customer and currency."""
    if waiting is None:
        return {}, {}
    letters: list[PreparedLetter] = v.items_of(
        waiting, PreparedLetter, "plan.waiting", "PreparedLetters"
    )
    held: dict[str, list[PreparedLetter]] = {}
    reserved: dict[tuple[str, str], Money] = {}
    for prepared in letters:
        if prepared.state in ON_ITS_WAY or prepared.rejection is not None:
            for invoice in prepared.invoices:
                held.setdefault(invoice.id, []).append(prepared)
        if prepared.state in ON_ITS_WAY:
            key = (prepared.letter.customer.id, prepared.letter.currency)
            netted = sum_money((stage.credit for stage in prepared.letter.actions), key[1])
            if netted.is_positive:
                reserved[key] = reserved.get(key, Money.zero(key[1])) + netted
    return held, reserved


def _holding(
    held: dict[str, list[PreparedLetter]], invoice: Invoice, day: _dt.date
) -> NoActionReason | None:
    """Why a letter keeps the run from deciding ``invoice`` today, or None."""
    for prepared in held.get(invoice.id, ()):
        if prepared.holds(invoice, today=day):
            waits = prepared.state in ON_ITS_WAY
            return NoActionReason.LETTER_WAITING if waits else NoActionReason.LETTER_REJECTED
    return None


def _decisions(
    invoices: Iterator[Invoice],
    rules: RulesFor,
    day: _dt.date,
    explain: bool,
    credit: _Credit,
    selected: frozenset[str] | None,
    held: dict[str, list[PreparedLetter]],
) -> Iterator[Decision]:
    """The decisions of the run over ``invoices``: the chosen ones (``selected``, None:
    all) that no letter on its way holds (``held``); the others are passed over."""
    cache: dict[int, Decider] = {}  # the engine's decider of each rules object the run met
    screened = selected is not None or bool(held)
    pick: Callable[[Invoice], DunningRules] | None = None
    if isinstance(rules, DunningRules):
        known = Decider(rules, day)
        quiet, decide = known.quiet, known.decide
    else:  # a rules function: its rules are looked up (and checked) when they change
        pick = rules
    chosen = rules if pick is None else None  # the rules the function chose last
    accounts = credit.accounts
    for index, invoice in enumerate(invoices):
        if type(invoice) is not Invoice:
            checked_invoice(invoice, f"plan.invoices[{index}]")
        if screened:
            reason = _holding(held, invoice, day) if invoice.id in held else None
            if reason is None and selected is not None and invoice.id not in selected:
                reason = NoActionReason.NOT_SELECTED
            if reason is not None:
                if explain:
                    yield _new_decision(invoice, no_action(invoice.id, reason))
                continue
        if pick is not None and ((these := pick(invoice)) is not chosen or chosen is None):
            known = cache.get(id(these)) or _known(cache, these, invoice, day)
            chosen, quiet, decide = these, known.quiet, known.decide
        if accounts is None:
            account = None
        elif invoice.customer is credit.customer:  # a customer's invoices in a row
            account = credit.found
        else:
            account = credit.deciding(invoice)
        if account is None:
            if not explain and quiet(invoice):
                continue
            action = decide(invoice)
        else:  # the customer's account and credit: a quiet invoice uses no credit
            left = credit.left_for(invoice, account)
            if (
                not explain
                and not left.amount
                and account.customer_id == invoice.customer.id
                and quiet(invoice)
            ):
                continue
            action = decide(invoice, account, left)
            credit.spend(invoice, action)
        if explain or type(action) is not NoAction:
            yield _new_decision(invoice, action)


def _known(cache: dict[int, Decider], rules: object, invoice: Invoice, day: _dt.date) -> Decider:
    """The engine's :class:`~dunlib.dunning.decider.Decider` of the ``rules`` a rules function
    chose for ``invoice`` (checked), kept in ``cache`` by the rules' id: compiled once per
    rules object."""
    if not isinstance(rules, DunningRules):
        raise InvalidTypeError(
            f"plan.rules({invoice.known_as!r})", rules, "DunningRules from the rules function"
        )
    known = Decider(rules, day)
    if quick.on:  # kept (not within dunlib.core.quick.plain)
        if len(cache) >= quick.RULES:  # a function making new rules every call: stay bounded
            cache.clear()
        cache[id(rules)] = known  # it keeps the rules: their id is not reused
    return known


_new_decision = _build.trusted(Decision)


def record_stages(
    invoices: Iterable[Invoice],
    decisions: Iterable[Decision],
    *,
    actor: Actor,
    authority: Authority,
) -> tuple[Invoice, ...]:
    """``invoices`` with the documents of ``decisions`` booked, in the order given.

    Every decision whose action is an :class:`~dunlib.dunning.actions.IssueStage` is recorded with
    :func:`dunlib.record_stage` (by ``actor``, for the daily run
    :data:`~dunlib.workflow.policy.AUTOMATIC`) on the invoice of the same id; decisions
    without a document (escalations, no action) change nothing, and invoices without a
    decision come back unchanged. A decision about an invoice that is not among
    ``invoices``, or two documents for one invoice, are refused.

    As :func:`dunlib.record_stage` does, it refuses (an
    :class:`~dunlib.core.errors.InvalidValueError` naming the decision's index, field
    ``record_stages.decisions[i].action.requires_approval`` or ``….dispatch``) a document
    whose stage is sent after approval, and one whose stage is sent by hand when ``actor``
    is automatic: prepare those (:func:`dunlib.prepare_letter`), approve them
    (:func:`dunlib.approve_letter`) and send them (:func:`dunlib.send_letter`), which books
    them. Nothing is returned then; the invoices given are values and stay as they were.

    A decision made on an invoice that changed since (a payment, a credit note, interest
    charged) is refused too (field ``record_stages.decisions[i].invoice``): plan again.
    """
    actor = checked_actor(actor, "record_stages")
    books = v.items_of(invoices, Invoice, "record_stages.invoices", "Invoices")
    made = v.items_of(decisions, Decision, "record_stages.decisions", "Decisions")
    position: dict[str, int] = {}
    for index, invoice in enumerate(books):
        if invoice.id in position:
            raise InvalidValueError(
                f"record_stages.invoices[{index}].id",
                invoice.id,
                f"invoice ids once each (invoice {invoice.known_as} twice)",
            )
        position[invoice.id] = index
    issued: set[str] = set()
    for index, decision in enumerate(made):
        if not isinstance(decision.action, IssueStage):
            continue
        key = decision.action.invoice_id
        if key not in position:
            raise InvalidValueError(
                f"record_stages.decisions[{index}]",
                key,
                f"a decision about one of the invoices (not about invoice "
                f"{decision.invoice.known_as})",
            )
        if key in issued:
            raise InvalidValueError(
                f"record_stages.decisions[{index}]",
                key,
                f"one document per invoice and run (invoice {decision.invoice.known_as} twice)",
            )
        check_dispatch(
            decision.action, actor, f"record_stages.decisions[{index}].action", approved=False
        )
        issued.add(key)
        at = position[key]
        if books[at] is not decision.invoice and books[at] != decision.invoice:
            raise InvalidValueError(
                f"record_stages.decisions[{index}].invoice",
                "changed",
                f"invoice {books[at].known_as} as the decision was made on (it changed since: "
                "plan again)",
            )
        books[at] = record_stage(books[at], decision.action, actor=actor, authority=authority)
    return tuple(books)


def _minimums(minimums: object) -> dict[str, Money]:
    field = "customer_minimum.minimums"
    amounts = v.items_of(minimums, Money, field, "Money amounts, at most one per currency")
    by_currency: dict[str, Money] = {}
    for index, amount in enumerate(amounts):
        if not amount.is_positive:
            raise InvalidValueError(f"{field}[{index}]", amount, "an amount above zero")
        if amount.currency in by_currency:
            raise InvalidValueError(f"{field}[{index}]", amount, "at most one minimum per currency")
        by_currency[amount.currency] = amount
    return by_currency


_HELD = frozenset(
    {
        NoActionReason.DISPUTED,
        NoActionReason.PROMISED_TO_PAY,
        NoActionReason.DIRECT_DEBIT_PENDING,
        NoActionReason.INSTALMENT_PLAN,
    }
)
"""The engine's reasons for an invoice held (on itself or by the customer's account, or by
an instalment plan kept)."""


def _overdue(decision: Decision, day: _dt.date) -> Money | None:
    """What the decision's invoice owes past its due date on ``day`` and may be dunned for
    (None: nothing late, or held: disputed, promised, being collected by direct debit)."""
    invoice, action = decision.invoice, decision.action
    if invoice.status not in (Status.SENT, Status.DUNNED) or day <= invoice.due_date:
        return None
    if isinstance(action, NoAction) and action.reason in _HELD:
        return None
    if invoice.holds and any(hold.holds_on(today=day) for hold in invoice.holds):
        return None
    open_amount = invoice.open_amount
    return open_amount if open_amount.is_positive else None


def customer_minimum(
    decisions: Iterable[Decision], minimums: Iterable[Money], *, today: _dt.date
) -> tuple[Decision, ...]:
    """``decisions`` with the documents of customers below their minimum held back.

    The customer-level threshold: for every customer and currency with a minimum among
    ``minimums`` (at most one amount per currency; currencies without one are never held),
    the overdue open amounts of the customer's invoices among ``decisions`` are added up
    (every invoice in SENT or DUNNED whose due date has passed on ``today`` and that has
    something open: paused ones too, since they are still owed and undisputed; but not the
    held ones -- disputed, promised to pay, being collected by direct debit (on the
    invoice or the customer's account) or under an instalment plan kept -- since nobody
    may claim them now, as Odoo leaves
    disputed lines out of the total due). When the sum is below the
    minimum, every :class:`~dunlib.dunning.actions.IssueStage` of that customer in that currency
    becomes a :class:`~dunlib.dunning.actions.NoAction`
    :attr:`~dunlib.dunning.actions.NoActionReason.BELOW_CUSTOMER_MINIMUM` carrying the minimum and
    the sum, so no letter goes out (a reminder before the due date included); at or above
    the minimum nothing changes. Other decisions keep their own reason (an escalation is not
    a letter; an invoice the engine passed over says why itself).

    It runs between :func:`plan` and :func:`group_letters`, because it needs every
    invoice of a customer: give it the run's explained decisions
    (``plan(..., explain=True)``) so that every overdue invoice counts; given only the
    actionable ones, only those are added up. The engine's answer per invoice
    (:func:`dunlib.next_dunning_action`) is unchanged by it. The decisions come back in
    their order.
    """
    made = v.items_of(decisions, Decision, "customer_minimum.decisions", "Decisions")
    floor = _minimums(minimums)
    day = as_date(today, "customer_minimum.today")
    totals: dict[tuple[str, str], Money] = {}
    for decision in made:
        invoice = decision.invoice
        if invoice.currency in floor:
            key = (invoice.customer.id, invoice.currency)
            owed = _overdue(decision, day)
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
