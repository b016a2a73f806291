"""Where invoices come from: orders and contract series, without billing an item twice.

**Orders.** Each :class:`OrderItem` carries a :class:`BillingFlag`: NOT_BILLED, TRANSFERRED
(taken into an invoice that is not sent yet: the seed's dash) or BILLED (the invoice was
sent: "✓"). Only NOT_BILLED items are taken into an invoice (:func:`invoice_from_order`,
all of them or a selection, from an order GRANTED or DONE); sending the invoice
(:func:`send_order_invoice`) turns its items BILLED, deleting it before it is sent
(:func:`delete_order_invoice`) releases them. Each invoice line keeps the id of the item it
came from in :attr:`~dunlib.records.LineItem.source`. An item is billed whole: to bill 3 of
5 pieces, split it first into 3 and 2 (:func:`split_order_item`) and take the 3; the 2 stay
NOT_BILLED for a later invoice. (The seed edits the quantity on the invoice and later
clears the item's flag by hand; that route can bill the item twice, so a line whose
quantity differs from its item's is refused when sent.) A line removed from the draft
releases its item when the invoice is sent.

**Contract series.** A :class:`Contract` bills its items every period of its
:class:`Interval`, counted from ``start`` with :func:`dunlib.dates.add_months` (period
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
from collections.abc import Iterable
from enum import Enum
from typing import Any

import attrs

from dunlib import _validate as v
from dunlib.dates import add_days, add_months, as_date
from dunlib.drafts import create_draft
from dunlib.errors import BillingFlagError, InvalidTypeError, InvalidValueError
from dunlib.invoice import Invoice, checked_invoice
from dunlib.money import minor_unit
from dunlib.numbering import NumberSequence
from dunlib.policy import Actor, ApprovalPolicy, Permissions, checked_actor
from dunlib.records import Customer, DeliveryChannel, LineItem, PaymentTerms
from dunlib.status import Status
from dunlib.transitions import AUTOMATION, CLERK, Command
from dunlib.workflow import Sent, send, transition

__all__ = [
    "SERIES_ACTOR",
    "BillingFlag",
    "Contract",
    "ContractItem",
    "Interval",
    "Order",
    "OrderItem",
    "OrderState",
    "delete_order_invoice",
    "invoice_from_order",
    "invoices_due",
    "send_order_invoice",
    "split_order_item",
]


class BillingFlag(Enum):
    """Where an item stands in billing (the seed's column "Abgerechnet")."""

    NOT_BILLED = "not_billed"
    """Not taken into any invoice: the only flag from which an item can be taken."""
    TRANSFERRED = "transferred"
    """Taken into an invoice that is not sent yet (the seed's dash)."""
    BILLED = "billed"
    """Billed: its invoice was sent (the seed's "✓")."""


class OrderState(Enum):
    """The states of an order; invoices are created only from GRANTED and DONE."""

    DRAFT = "draft"
    """Being prepared: not yet granted, nothing to invoice."""
    GRANTED = "granted"
    """3 - Erteilt: the customer granted the order; it may be invoiced."""
    DONE = "done"
    """4 - Erledigt: the order is done; it may be invoiced."""
    CANCELLED = "cancelled"
    """Cancelled: nothing may be invoiced."""

    @property
    def invoiceable(self) -> bool:
        """Whether invoices may be created from an order in this state."""
        return self in (OrderState.GRANTED, OrderState.DONE)


def _unique_ids(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    ids = [item.id for item in value]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidValueError(v.field_name(instance, attribute), repeated, "distinct item ids")


def _same_currency(owner: str, currency: str, lines: Iterable[LineItem]) -> None:
    try:
        minor_unit(currency)
    except InvalidValueError:
        raise InvalidValueError(
            f"{owner}.currency", currency, "an ISO 4217 code such as 'EUR'"
        ) from None
    for index, line in enumerate(lines):
        if line.unit_price.currency != currency:
            raise InvalidValueError(
                f"{owner}.items[{index}].line", line.unit_price, f"an amount in {currency}"
            )


@attrs.frozen(kw_only=True)
class OrderItem:
    """One item of an order: its ``line`` and billing ``flag``.

    ``invoice`` is the id of the invoice the item was taken into (None while NOT_BILLED,
    and for a flag set by hand).
    """

    id: str = attrs.field(validator=v.non_empty_text)
    line: LineItem = attrs.field(validator=v.of_type(LineItem, expected="a LineItem"))
    flag: BillingFlag = attrs.field(
        default=BillingFlag.NOT_BILLED,
        validator=v.of_type(BillingFlag, expected="a BillingFlag"),
    )
    invoice: str | None = attrs.field(default=None, validator=v.optional(v.non_empty_text))

    def __attrs_post_init__(self) -> None:
        if self.flag is BillingFlag.NOT_BILLED and self.invoice is not None:
            raise InvalidValueError(
                "OrderItem.invoice", self.invoice, "None for an item NOT_BILLED (on no invoice)"
            )


@attrs.frozen(kw_only=True)
class Order:
    """An order (Auftrag) of ``customer`` with its ``items``, all in ``currency``."""

    id: str = attrs.field(validator=v.non_empty_text)
    customer: Customer = attrs.field(validator=v.of_type(Customer, expected="a Customer"))
    currency: str = attrs.field(validator=v.text)
    state: OrderState = attrs.field(validator=v.of_type(OrderState, expected="an OrderState"))
    items: tuple[OrderItem, ...] = attrs.field(
        default=(),
        converter=v.to_tuple,
        validator=[v.tuple_of(OrderItem, "OrderItem"), _unique_ids],
    )

    def __attrs_post_init__(self) -> None:
        _same_currency("Order", self.currency, (item.line for item in self.items))

    def item(self, id: str) -> OrderItem:
        """The item with ``id``; :class:`~dunlib.errors.InvalidValueError` when there is none."""
        for item in self.items:
            if item.id == id:
                return item
        raise InvalidValueError("Order.item.id", id, f"the id of an item of order {self.id}")


def _with_items(order: Order, changed: dict[str, OrderItem]) -> Order:
    return attrs.evolve(order, items=tuple(changed.get(i.id, i) for i in order.items))


def invoice_from_order(
    order: Order,
    *,
    draft_id: str,
    on: _dt.date,
    actor: Actor,
    items: Iterable[str] | None = None,
    terms: PaymentTerms | None = None,
    channel: DeliveryChannel = DeliveryChannel.ONLINE,
) -> tuple[Invoice, Order]:
    """A new DRAFT invoice of the order's items ``items`` (ids; all NOT_BILLED items when None),
    and the order with those items TRANSFERRED to it.

    Each line is its item's line with ``source`` set to the item's id, in the order's
    order. Raises :class:`~dunlib.errors.BillingFlagError` for an item that is not
    NOT_BILLED, and :class:`~dunlib.errors.InvalidValueError` for an order that may not
    be invoiced (not GRANTED or DONE), an unknown or repeated id, or nothing to take.
    """
    if not isinstance(order, Order):
        raise InvalidTypeError("invoice_from_order.order", order, "an Order")
    checked_actor(actor, "invoice_from_order")
    if not order.state.invoiceable:
        raise InvalidValueError(
            "invoice_from_order.order.state",
            order.state,
            f"an order GRANTED or DONE (order {order.id} is {order.state.name})",
        )
    if items is None:
        chosen = [item for item in order.items if item.flag is BillingFlag.NOT_BILLED]
    else:
        ids = v.items_of(items, str, "invoice_from_order.items", "item ids")
        if len(set(ids)) != len(ids):
            raise InvalidValueError("invoice_from_order.items", ids, "distinct item ids")
        wanted = set(ids)
        chosen = [item for item in order.items if item.id in wanted]
        known = {item.id for item in chosen}
        for index, id in enumerate(ids):
            if id not in known:
                raise InvalidValueError(
                    f"invoice_from_order.items[{index}]", id, f"an item of order {order.id}"
                )
    if not chosen:
        raise InvalidValueError(
            "invoice_from_order.items", items, f"at least one item of order {order.id} to take"
        )
    for item in chosen:
        if item.flag is not BillingFlag.NOT_BILLED:
            raise BillingFlagError(
                item=item.id,
                flag=item.flag,
                attempted=f"take it into invoice {draft_id!r}",
                expected="NOT_BILLED (an item is taken into one invoice only)",
            )
    draft = create_draft(
        id=draft_id,
        customer=order.customer,
        currency=order.currency,
        actor=actor,
        on=on,
        lines=[attrs.evolve(item.line, source=item.id) for item in chosen],
        terms=terms,
        channel=channel,
    )
    taken = {
        item.id: attrs.evolve(item, flag=BillingFlag.TRANSFERRED, invoice=draft.id)
        for item in chosen
    }
    return draft, _with_items(order, taken)


def _transferred_here(order: Order, invoice: Invoice, attempted: str) -> dict[str, OrderItem]:
    """The order's items on ``invoice``'s lines, checked: each TRANSFERRED to it, once, whole."""
    on_lines: dict[str, OrderItem] = {}
    for index, line in enumerate(invoice.lines):
        if line.source is None:
            continue
        item = next((i for i in order.items if i.id == line.source), None)
        if item is None:
            raise InvalidValueError(
                f"{attempted}.invoice.lines[{index}].source",
                line.source,
                f"the id of an item of order {order.id}",
            )
        if item.flag is not BillingFlag.TRANSFERRED or item.invoice != invoice.id:
            raise BillingFlagError(
                item=item.id,
                flag=item.flag,
                attempted=f"{attempted} invoice {invoice.id}",
                expected=f"TRANSFERRED to invoice {invoice.id}"
                + (f" (it is on invoice {item.invoice})" if item.invoice else ""),
            )
        if item.id in on_lines:
            raise InvalidValueError(
                f"{attempted}.invoice.lines[{index}].source", item.id, "each item on one line only"
            )
        if line.quantity != item.line.quantity:
            raise InvalidValueError(
                f"{attempted}.invoice.lines[{index}].quantity",
                line.quantity,
                f"the quantity of item {item.id} ({item.line.quantity}): to bill part of an "
                "item, split it first with dunlib.split_order_item",
            )
        on_lines[item.id] = item
    return on_lines


def _unsent(invoice: Invoice, attempted: str) -> Invoice:
    checked_invoice(invoice, attempted)
    if invoice.status.is_booked:
        raise InvalidValueError(
            f"{attempted}.invoice",
            invoice.id,
            f"an invoice not sent yet (0 to 2; invoice {invoice.id} is {invoice.status.name})",
        )
    return invoice


def send_order_invoice(
    invoice: Invoice,
    order: Order,
    *,
    actor: Actor,
    on: _dt.date,
    policy: ApprovalPolicy,
    sequence: NumberSequence,
    permissions: Permissions | None = None,
) -> tuple[Sent, Order]:
    """Send ``invoice`` taken from ``order`` (:func:`dunlib.send`) and mark its items BILLED.

    Checked before anything is sent: every line with a ``source`` is an item of ``order``
    TRANSFERRED to this invoice, each on one line and with its whole quantity. Items
    transferred to the invoice whose lines were removed from the draft are released
    (NOT_BILLED). Every check of :func:`dunlib.send` applies; a refused send changes
    neither the invoice nor the order.
    """
    _unsent(invoice, "send_order_invoice")
    if not isinstance(order, Order):
        raise InvalidTypeError("send_order_invoice.order", order, "an Order")
    on_lines = _transferred_here(order, invoice, "send_order_invoice")
    sent = send(
        invoice, actor=actor, on=on, policy=policy, sequence=sequence, permissions=permissions
    )
    changed: dict[str, OrderItem] = {}
    for item in order.items:
        if item.id in on_lines:
            changed[item.id] = attrs.evolve(item, flag=BillingFlag.BILLED)
        elif item.flag is BillingFlag.TRANSFERRED and item.invoice == invoice.id:
            changed[item.id] = attrs.evolve(item, flag=BillingFlag.NOT_BILLED, invoice=None)
    return sent, _with_items(order, changed)


def delete_order_invoice(invoice: Invoice, order: Order) -> Order:
    """The order after ``invoice`` (not sent yet) is deleted: its items NOT_BILLED again.

    Every item TRANSFERRED to the invoice is released. The caller discards the invoice.
    A sent invoice is never deleted: it is cancelled (:func:`dunlib.cancel`).
    """
    _unsent(invoice, "delete_order_invoice")
    if not isinstance(order, Order):
        raise InvalidTypeError("delete_order_invoice.order", order, "an Order")
    released = {
        item.id: attrs.evolve(item, flag=BillingFlag.NOT_BILLED, invoice=None)
        for item in order.items
        if item.flag is BillingFlag.TRANSFERRED and item.invoice == invoice.id
    }
    return _with_items(order, released)


def split_order_item(order: Order, item: str, *, quantity: Any, new_id: str) -> Order:
    """The order with the NOT_BILLED item ``item`` split in two: ``quantity`` stays with it,
    the rest becomes a new NOT_BILLED item ``new_id`` right after it (same price and rate).

    This bills part of an item (the seed's 3 of 5) without ever billing a piece twice.
    ``quantity`` lies strictly between zero and the item's quantity. Each part rounds its
    own net amount, and the parts bill exactly the whole: a split whose parts' nets do not
    add up to the item's net (1 x 0.03 into 0.5 + 0.5 would bill 0.02 + 0.02) is refused
    with an :class:`~dunlib.errors.InvalidValueError` naming both parts' nets; with whole
    quantities or prices in the minor unit every split is exact.
    """
    if not isinstance(order, Order):
        raise InvalidTypeError("split_order_item.order", order, "an Order")
    if not isinstance(item, str):
        raise InvalidTypeError("split_order_item.item", item, "an item id")
    found = order.item(item)
    if found.flag is not BillingFlag.NOT_BILLED:
        raise BillingFlagError(
            item=found.id,
            flag=found.flag,
            attempted="split it",
            expected="NOT_BILLED (only an item on no invoice is split)",
        )
    try:
        part = attrs.evolve(found.line, quantity=quantity)
    except InvalidValueError as error:
        raise InvalidValueError("split_order_item.quantity", quantity, error.expected) from None
    whole = found.line.quantity
    if not (0 < part.quantity < whole or whole < part.quantity < 0):
        raise InvalidValueError(
            "split_order_item.quantity",
            quantity,
            f"a quantity strictly between 0 and the item's {whole}",
        )
    rest = OrderItem(id=new_id, line=attrs.evolve(found.line, quantity=whole - part.quantity))
    if part.net + rest.line.net != found.line.net:
        raise InvalidValueError(
            "split_order_item.quantity",
            quantity,
            f"a quantity whose part and rest bill exactly item {found.id}'s net "
            f"{found.line.net} of order {order.id} (here {part.net} + {rest.line.net})",
        )
    items: list[OrderItem] = []
    for each in order.items:
        items.extend((attrs.evolve(each, line=part), rest) if each.id == item else (each,))
    return attrs.evolve(order, items=tuple(items))


# -- contract series --------------------------------------------------------------------


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
        validator=[v.tuple_of(ContractItem, "ContractItem"), _unique_ids],
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
        _same_currency("Contract", self.currency, (item.line for item in self.items))
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


def _route(target: Status, policy: ApprovalPolicy) -> tuple[Command, ...]:
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
"""The default actor of :func:`invoices_due`: an automatic process that drafts (creates and
submits) and takes the skips the eyes policy allows automatic actors."""


def invoices_due(
    contract: Contract,
    today: _dt.date,
    *,
    policy: ApprovalPolicy,
    actor: Actor = SERIES_ACTOR,
    sequence: NumberSequence | None = None,
    permissions: Permissions | None = None,
) -> tuple[tuple[Invoice, ...], Contract]:
    """Every invoice of ``contract`` due up to and including ``today`` not created before,
    one per period in order, and the contract updated to continue where this call stopped.

    A period is due when its invoice date is ``today`` or earlier; missed periods are
    caught up, each exactly once. Each invoice holds the recurring items and the one-off
    items still NOT_BILLED (the first invoice takes those, which then become TRANSFERRED,
    or BILLED when the invoice is created SENT); a period with no item to bill gets no
    invoice. Each line is its item's line with ``source`` set to the item's id and the
    period appended to its description for a recurring item. The series acts on each
    invoice's own date: ``actor`` creates the draft and takes it to ``contract.target``
    with :func:`dunlib.transition` / :func:`dunlib.send` (SUBMIT for CREATED; the skips
    0→2 for REVIEWED and 0→3 for SENT, which only an automatic actor may take and only
    where ``policy`` allows, else :class:`~dunlib.errors.InvalidValueError` before
    anything is created). For SENT a ``sequence`` is required; the invoices take its
    numbers in order, so the sequence after the call is ``sequence`` advanced by the
    number of invoices returned.
    """
    if not isinstance(contract, Contract):
        raise InvalidTypeError("invoices_due.contract", contract, "a Contract")
    day = as_date(today, "invoices_due.today")
    if not isinstance(policy, ApprovalPolicy):
        raise InvalidTypeError("invoices_due.policy", policy, "an ApprovalPolicy")
    route = _route(contract.target, policy)
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
                        policy=policy,
                        sequence=numbers,
                        permissions=permissions,
                    )
                    invoice, numbers = done.invoice, done.sequence
                else:
                    invoice = transition(
                        invoice,
                        command,
                        actor=actor,
                        on=dated,
                        policy=policy,
                        permissions=permissions,
                    )
            created.append(invoice)
            flag = BillingFlag.BILLED if invoice.status.is_booked else BillingFlag.TRANSFERRED
            items = tuple(
                item if item.recurring or not item.due else attrs.evolve(item, flag=flag)
                for item in items
            )
        period += 1
    return tuple(created), attrs.evolve(contract, items=items, next_period=period)


def _line(contract: Contract, item: ContractItem, first: _dt.date, upto: _dt.date) -> LineItem:
    """The invoice line of ``item``: recurring items of a periodic series name their period."""
    if not item.recurring or contract.interval is Interval.ONCE:
        return attrs.evolve(item.line, source=item.id)
    text = f"{item.line.description} ({first.isoformat()} to {upto.isoformat()})"
    return attrs.evolve(item.line, description=text, source=item.id)
