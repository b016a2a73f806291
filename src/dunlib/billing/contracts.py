"""Contract series: invoices billed every period, without billing an item twice.

A :class:`Contract` bills its items every period of its
:class:`Interval`, counted from ``start`` with :func:`dunlib.core.dates.add_months` (period
``k`` starts ``k`` intervals after ``start``: 31 January, 28/29 February, 31 March, …;
never drifting), dated on the ``day``-th day of the period, until ``end`` (no period
starts after it). :func:`invoices_due` creates every invoice due up to ``today`` that was
not created before and returns the contract updated to continue where it stopped.
Recurring items are billed every period; one-off items (``recurring=False``) once only,
and only while NOT_BILLED: an item moved from an order (:meth:`ContractItem.from_order_item`)
keeps its flag, so an item billed on the order is never billed again by the series.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Any

import attrs

from dunlib.billing.orders import BillingFlag, OrderItem, same_currency, unique_ids
from dunlib.core import validate as v
from dunlib.core.dates import add_days, add_months, as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import Customer, DeliveryChannel, LineItem, PaymentTerms
from dunlib.core.status import Status
from dunlib.core.transitions import AUTOMATION, CLERK, Command
from dunlib.workflow.drafts import create_draft
from dunlib.workflow.policy import Actor, Authority, checked_actor, checked_authority
from dunlib.workflow.steps import send, transition

__all__ = [
    "SERIES_ACTOR",
    "Contract",
    "ContractItem",
    "Interval",
    "SeriesBilled",
    "invoices_due",
]


class Interval(Enum):
    """How often a contract series bills its recurring items."""

    ONCE = "once"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def months(self) -> int:
        """The length of a period in months (0 for ONCE: a single period)."""
        return _MONTHS[self]


_MONTHS = {
    Interval.ONCE: 0,
    Interval.MONTHLY: 1,
    Interval.QUARTERLY: 3,
    Interval.HALF_YEARLY: 6,
    Interval.YEARLY: 12,
}


@attrs.frozen(kw_only=True)
class ContractItem:
    """One item of a contract: its ``line``, billed every period when ``recurring``, else once.

    ``flag`` says whether a one-off item was billed already (by this series, or on the
    order it was moved from): the series takes a one-off item only while NOT_BILLED. A
    recurring item is billed every period whatever its flag (which shows it was billed).
    """

    id: str = attrs.field(validator=v.non_empty_text)
    line: LineItem = attrs.field(validator=v.of_type(LineItem, expected="a LineItem"))
    recurring: bool = attrs.field(default=True, validator=v.of_type(bool, expected="a bool"))
    flag: BillingFlag = attrs.field(
        default=BillingFlag.NOT_BILLED,
        validator=v.of_type(BillingFlag, expected="a BillingFlag"),
    )

    @classmethod
    def from_order_item(cls, item: OrderItem, *, recurring: bool = False) -> ContractItem:
        """``item`` moved from an order into a contract, keeping its id, line and flag: a
        one-off item already taken or billed on the order is never billed by the series."""
        if not isinstance(item, OrderItem):
            raise InvalidTypeError("ContractItem.from_order_item.item", item, "an OrderItem")
        return cls(id=item.id, line=item.line, recurring=recurring, flag=item.flag)

    @property
    def due(self) -> bool:
        """Whether the series bills this item on its next invoice."""
        return self.recurring or self.flag is BillingFlag.NOT_BILLED


_TARGETS = (Status.DRAFT, Status.CREATED, Status.REVIEWED, Status.SENT)
_MAX_DAY = 28


def _target(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Status) or value not in _TARGETS:
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "Status.DRAFT, CREATED, REVIEWED or SENT"
        )


def _day(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.positive_int(instance, attribute, value)
    if value > _MAX_DAY:
        raise InvalidValueError(
            v.field_name(instance, attribute), value, f"a day of the period from 1 to {_MAX_DAY}"
        )


@attrs.frozen(kw_only=True)
class Contract:
    """A contract with a series: its ``items`` billed to ``customer`` every ``interval``.

    Period ``k`` (from 0) starts on ``add_months(start, k * interval.months)``; its invoice
    is dated on the period's ``day``-th day (1 to 28, so every period has it) and created
    in state ``target`` (0 DRAFT to 3 SENT). No period starts after ``end`` (inclusive;
    None: open-ended); ONCE has period 0 only. ``next_period`` counts the periods already
    handled (:func:`invoices_due` advances it). The invoice of period ``k`` has the id
    ``f"{id}-{k + 1}"``.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    customer: Customer = attrs.field(validator=v.of_type(Customer, expected="a Customer"))
    currency: str = attrs.field(validator=v.text)
    start: _dt.date = attrs.field(validator=v.calendar_date)
    interval: Interval = attrs.field(validator=v.of_type(Interval, expected="an Interval"))
    items: tuple[ContractItem, ...] = attrs.field(
        default=(),
        converter=v.to_tuple,
        validator=[v.tuple_of(ContractItem, "ContractItem"), unique_ids],
    )
    end: _dt.date | None = attrs.field(default=None, validator=v.optional(v.calendar_date))
    day: int = attrs.field(default=1, validator=_day)
    target: Status = attrs.field(default=Status.DRAFT, validator=_target)
    terms: PaymentTerms = attrs.field(
        factory=PaymentTerms, validator=v.of_type(PaymentTerms, expected="a PaymentTerms")
    )
    channel: DeliveryChannel = attrs.field(
        default=DeliveryChannel.ONLINE,
        validator=v.of_type(DeliveryChannel, expected="a DeliveryChannel"),
    )
    next_period: int = attrs.field(default=0, validator=v.non_negative_int)

    def __attrs_post_init__(self) -> None:
        same_currency("Contract", self.currency, (item.line for item in self.items))
        if self.end is not None and self.end < self.start:
            raise InvalidValueError("Contract.end", self.end, f"on or after start {self.start}")

    def period_start(self, period: int) -> _dt.date:
        """The first day of period ``period`` (from 0), counted from ``start``: never drifts."""
        months = _period(period, "Contract.period_start") * self.interval.months
        return add_months(self.start, months)

    def invoice_date(self, period: int) -> _dt.date:
        """The day the invoice of period ``period`` is dated: the period's ``day``-th day."""
        return add_days(self.period_start(period), self.day - 1)

    def has_period(self, period: int) -> bool:
        """Whether the series has period ``period`` (it starts on or before ``end``)."""
        if self.interval is Interval.ONCE:
            return _period(period, "Contract.has_period") == 0
        return self.end is None or self.period_start(period) <= self.end


def _period(period: object, method: str) -> int:
    if isinstance(period, bool) or not isinstance(period, int) or period < 0:
        raise InvalidValueError(f"{method}.period", period, "an int >= 0")
    return period


def _route(target: Status, policy: Authority) -> tuple[Command, ...]:
    """The commands that take a new draft to ``target`` for an automatic actor."""
    if target is Status.DRAFT:
        return ()
    if target is Status.CREATED:
        return (Command.SUBMIT,)
    needed = (Status.DRAFT, Command.APPROVE if target is Status.REVIEWED else Command.SEND)
    if needed not in policy.allowed_skips:
        raise InvalidValueError(
            "invoices_due.policy",
            policy,
            f"a policy that lets an automatic actor create invoices in {target.name} "
            f"(the skip 0→{int(target)}; the {policy.eyes}-eye policy does not allow it)",
        )
    return (needed[1],)


SERIES_ACTOR = Actor(id="series", roles={CLERK, AUTOMATION}, automatic=True)
"""The actor of a contract series for :func:`invoices_due`: an automatic process that drafts
(creates and submits) and takes the skips the eyes policy allows automatic actors."""


@attrs.frozen(kw_only=True)
class SeriesBilled:
    """What :func:`invoices_due` did: the invoices created, one per period in order, and the
    contract updated to continue where the call stopped."""

    invoices: tuple[Invoice, ...]
    contract: Contract


def invoices_due(
    contract: Contract,
    *,
    on: _dt.date,
    actor: Actor,
    authority: Authority,
    sequence: NumberSequence | None = None,
) -> SeriesBilled:
    """Every invoice of ``contract`` due up to and including ``on`` not created before,
    one per period in order, and the contract updated to continue where this call stopped.

    A period is due when its invoice date is ``on`` or earlier; missed periods are
    caught up, each exactly once. Each invoice holds the recurring items and the one-off
    items still NOT_BILLED (the first invoice takes those, which then become TRANSFERRED,
    or BILLED when the invoice is created SENT); a period with no item to bill gets no
    invoice. Each line is its item's line with ``source`` set to the item's id and the
    period appended to its description for a recurring item. The series acts on each
    invoice's own date: ``actor`` creates the draft and takes it to ``contract.target``
    with :func:`dunlib.transition` / :func:`dunlib.send` (SUBMIT for CREATED; the skips
    0→2 for REVIEWED and 0→3 for SENT, which only an automatic actor may take and only
    where ``authority`` allows, else :class:`~dunlib.core.errors.InvalidValueError` before
    anything is created). For SENT a ``sequence`` is required; the invoices take its
    numbers in order, so the sequence after the call is ``sequence`` advanced by the
    number of invoices returned.
    """
    if not isinstance(contract, Contract):
        raise InvalidTypeError("invoices_due.contract", contract, "a Contract")
    day = as_date(on, "invoices_due.on")
    route = _route(contract.target, checked_authority(authority, "invoices_due"))
    if sequence is not None and not isinstance(sequence, NumberSequence):
        raise InvalidTypeError("invoices_due.sequence", sequence, "a NumberSequence or None")
    if contract.target is Status.SENT and sequence is None:
        raise InvalidValueError(
            "invoices_due.sequence", sequence, "a NumberSequence (the series sends its invoices)"
        )
    numbers = NumberSequence() if sequence is None else sequence
    checked_actor(actor, "invoices_due")
    created: list[Invoice] = []
    items = contract.items
    period = contract.next_period
    while contract.has_period(period) and contract.invoice_date(period) <= day:
        dated = contract.invoice_date(period)
        billed = [item for item in items if item.due]
        if billed:
            first = contract.period_start(period)
            upto = add_days(add_months(contract.start, (period + 1) * contract.interval.months), -1)
            invoice = create_draft(
                id=f"{contract.id}-{period + 1}",
                customer=contract.customer,
                currency=contract.currency,
                actor=actor,
                on=dated,
                lines=[_line(contract, item, first, upto) for item in billed],
                terms=contract.terms,
                channel=contract.channel,
            )
            for command in route:
                if command is Command.SEND:
                    done = send(
                        invoice,
                        actor=actor,
                        on=dated,
                        authority=authority,
                        sequence=numbers,
                    )
                    invoice, numbers = done.invoice, done.sequence
                else:
                    invoice = transition(
                        invoice,
                        command,
                        actor=actor,
                        on=dated,
                        authority=authority,
                    )
            created.append(invoice)
            flag = BillingFlag.BILLED if invoice.status.is_booked else BillingFlag.TRANSFERRED
            items = tuple(
                item if item.recurring or not item.due else attrs.evolve(item, flag=flag)
                for item in items
            )
        period += 1
    return SeriesBilled(
        invoices=tuple(created),
        contract=attrs.evolve(contract, items=items, next_period=period),
    )


def _line(contract: Contract, item: ContractItem, first: _dt.date, upto: _dt.date) -> LineItem:
    """The invoice line of ``item``: recurring items of a periodic series name their period."""
    if not item.recurring or contract.interval is Interval.ONCE:
        return attrs.evolve(item.line, source=item.id)
    text = f"{item.line.description} ({first.isoformat()} to {upto.isoformat()})"
    return attrs.evolve(item.line, description=text, source=item.id)
