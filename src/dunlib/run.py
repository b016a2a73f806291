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

``rules`` is one :class:`~dunlib.stages.DunningRules` for the whole portfolio, or a
function ``Invoice -> DunningRules`` choosing the rules per invoice (per customer group,
say, or per currency); it is called once per invoice and must return DunningRules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

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
from dunlib.engine import next_dunning_action
from dunlib.errors import InvalidTypeError, InvalidValueError
from dunlib.invoice import Customer, Invoice
from dunlib.money import Money, sum_money
from dunlib.notices import record_notice
from dunlib.policy import AUTOMATIC, Actor, Permissions
from dunlib.stages import Channel, DispatchMode, DunningRules
from dunlib.templates import TemplateValues, format_amount, format_day

__all__ = [
    "AccountsFor",
    "CustomerNotice",
    "Decision",
    "RulesFor",
    "group_notices",
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
) -> Iterator[Decision]:
    """The decisions of a run on ``today`` over ``invoices``, in their order, lazily.

    Yields a :class:`Decision` for every invoice that needs something today (a stage to
    issue or an escalation); with ``explain``, one for every invoice, the
    :class:`~dunlib.actions.NoAction` and its reason included. The arguments are checked
    when ``plan`` is called; each invoice when it is reached.

    ``accounts`` gives the customers' :class:`~dunlib.accounts.CustomerAccount` values: a
    mapping from customer id, or a function ``Invoice -> CustomerAccount | None``; a
    customer without one is decided from the invoice alone. A customer's credit is netted
    once per run and currency: invoices in the order given use up what earlier ones left
    (the credit that covers a skipped invoice, or is netted against a notice, is not
    offered again).
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
    return _decisions(iter(invoices), rules, day, explain, _Credit(accounts, day))


class _Credit:
    """The customers' accounts of one run and the credit each has left per currency."""

    def __init__(self, accounts: AccountsFor | None, day: _dt.date) -> None:
        self.accounts, self.day = accounts, day
        self.left: dict[tuple[str, str], Money] = {}

    def account(self, invoice: Invoice) -> CustomerAccount | None:
        if self.accounts is None:
            return None
        if isinstance(self.accounts, Mapping):
            found = self.accounts.get(invoice.customer.id)
        else:
            found = self.accounts(invoice)
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


def _decisions(
    invoices: Iterator[Invoice], rules: RulesFor, day: _dt.date, explain: bool, credit: _Credit
) -> Iterator[Decision]:
    for index, invoice in enumerate(invoices):
        _booking.checked_invoice(invoice, f"plan.invoices[{index}]")
        chosen = rules if isinstance(rules, DunningRules) else rules(invoice)
        if not isinstance(chosen, DunningRules):
            raise InvalidTypeError(
                f"plan.rules({invoice.id!r})", chosen, "DunningRules from the rules function"
            )
        account = credit.account(invoice)
        action = next_dunning_action(
            invoice, chosen, day, account=account, credit=credit.left_for(invoice, account)
        )
        credit.spend(invoice, action)
        if explain or not isinstance(action, NoAction):
            yield Decision(invoice=invoice, action=action)


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
