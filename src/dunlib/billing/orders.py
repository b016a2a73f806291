"""Orders: invoices made from an order's items, without billing an item twice.

Each :class:`OrderItem` carries a :class:`BillingFlag`: NOT_BILLED, TRANSFERRED
(taken into an invoice that is not sent yet: the seed's dash) or BILLED (the invoice was
sent: "✓"). Only NOT_BILLED items are taken into an invoice (:func:`invoice_from_order`,
all of them or a selection, from an order GRANTED or DONE); sending the invoice
(:func:`send_order_invoice`) turns its items BILLED, deleting it before it is sent
(:func:`delete_order_invoice`) releases them. Each invoice line keeps the id of the item it
came from in :attr:`~dunlib.core.records.LineItem.source`. An item is billed whole: to bill 3 of
5 pieces, split it first into 3 and 2 (:func:`split_order_item`) and take the 3; the 2 stay
NOT_BILLED for a later invoice. (The seed edits the quantity on the invoice and later
clears the item's flag by hand; that route can bill the item twice, so a line whose
quantity differs from its item's is refused when sent.) A line removed from the draft
releases its item when the invoice is sent.

Contract series are :mod:`dunlib.billing.contracts`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from enum import Enum
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import BillingFlagError, InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import minor_unit
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import Customer, DeliveryChannel, LineItem, PaymentTerms
from dunlib.workflow.drafts import create_draft
from dunlib.workflow.policy import Actor, Authority, checked_actor
from dunlib.workflow.steps import Sent, send

__all__ = [
    "BillingFlag",
    "Order",
    "OrderDrafted",
    "OrderItem",
    "OrderSent",
    "OrderState",
    "delete_order_invoice",
    "invoice_from_order",
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


def unique_ids(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    ids = [item.id for item in value]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise InvalidValueError(v.field_name(instance, attribute), repeated, "distinct item ids")


def same_currency(owner: str, currency: str, lines: Iterable[LineItem]) -> None:
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
    invoice_id: str | None = attrs.field(default=None, validator=v.optional(v.non_empty_text))

    def __attrs_post_init__(self) -> None:
        if self.flag is BillingFlag.NOT_BILLED and self.invoice_id is not None:
            raise InvalidValueError(
                "OrderItem.invoice", self.invoice_id, "None for an item NOT_BILLED (on no invoice)"
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
        validator=[v.tuple_of(OrderItem, "OrderItem"), unique_ids],
    )

    def __attrs_post_init__(self) -> None:
        same_currency("Order", self.currency, (item.line for item in self.items))

    def item(self, id: str) -> OrderItem:
        """The item with ``id``; :class:`~dunlib.core.errors.InvalidValueError` when there is
        none."""
        for item in self.items:
            if item.id == id:
                return item
        raise InvalidValueError("Order.item.id", id, f"the id of an item of order {self.id}")


def _with_items(order: Order, changed: dict[str, OrderItem]) -> Order:
    return attrs.evolve(order, items=tuple(changed.get(i.id, i) for i in order.items))


@attrs.frozen(kw_only=True)
class OrderDrafted:
    """What :func:`invoice_from_order` did: the new DRAFT invoice and the order with the
    invoice's items TRANSFERRED to it."""

    invoice: Invoice
    order: Order


def invoice_from_order(
    order: Order,
    *,
    draft_id: str,
    on: _dt.date,
    actor: Actor,
    items: Iterable[str] | None = None,
    terms: PaymentTerms | None = None,
    channel: DeliveryChannel = DeliveryChannel.ONLINE,
) -> OrderDrafted:
    """A new DRAFT invoice of the order's items ``items`` (ids; all NOT_BILLED items when None),
    and the order with those items TRANSFERRED to it.

    Each line is its item's line with ``source`` set to the item's id, in the order's
    order. Raises :class:`~dunlib.core.errors.BillingFlagError` for an item that is not
    NOT_BILLED, and :class:`~dunlib.core.errors.InvalidValueError` for an order that may not
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
        item.id: attrs.evolve(item, flag=BillingFlag.TRANSFERRED, invoice_id=draft.id)
        for item in chosen
    }
    return OrderDrafted(invoice=draft, order=_with_items(order, taken))


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
        if item.flag is not BillingFlag.TRANSFERRED or item.invoice_id != invoice.id:
            raise BillingFlagError(
                item=item.id,
                flag=item.flag,
                attempted=f"{attempted} invoice {invoice.known_as}",
                expected=f"TRANSFERRED to invoice {invoice.known_as}"
                + (f" (it is on invoice {item.invoice_id})" if item.invoice_id else ""),
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
            f"an invoice not sent yet (0 to 2; invoice {invoice.known_as} is "
            f"{invoice.status.name})",
        )
    return invoice


@attrs.frozen(kw_only=True)
class OrderSent:
    """What :func:`send_order_invoice` did: the invoice sent (with the number sequence to
    pass on) and the order with the invoice's items BILLED."""

    sent: Sent
    order: Order


def send_order_invoice(
    invoice: Invoice,
    order: Order,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
    sequence: NumberSequence,
) -> OrderSent:
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
    sent = send(invoice, actor=actor, on=on, authority=authority, sequence=sequence)
    changed: dict[str, OrderItem] = {}
    for item in order.items:
        if item.id in on_lines:
            changed[item.id] = attrs.evolve(item, flag=BillingFlag.BILLED)
        elif item.flag is BillingFlag.TRANSFERRED and item.invoice_id == invoice.id:
            changed[item.id] = attrs.evolve(item, flag=BillingFlag.NOT_BILLED, invoice_id=None)
    return OrderSent(sent=sent, order=_with_items(order, changed))


def delete_order_invoice(invoice: Invoice, order: Order) -> Order:
    """The order after ``invoice`` (not sent yet) is deleted: its items NOT_BILLED again.

    Every item TRANSFERRED to the invoice is released. The caller discards the invoice.
    A sent invoice is never deleted: it is cancelled (:func:`dunlib.cancel`).
    """
    _unsent(invoice, "delete_order_invoice")
    if not isinstance(order, Order):
        raise InvalidTypeError("delete_order_invoice.order", order, "an Order")
    released = {
        item.id: attrs.evolve(item, flag=BillingFlag.NOT_BILLED, invoice_id=None)
        for item in order.items
        if item.flag is BillingFlag.TRANSFERRED and item.invoice_id == invoice.id
    }
    return _with_items(order, released)


def split_order_item(order: Order, item: str, *, quantity: Any, new_id: str) -> Order:
    """The order with the NOT_BILLED item ``item`` split in two: ``quantity`` stays with it,
    the rest becomes a new NOT_BILLED item ``new_id`` right after it (same price and rate).

    This bills part of an item (the seed's 3 of 5) without ever billing a piece twice.
    ``quantity`` lies strictly between zero and the item's quantity. Each part rounds its
    own net amount, and the parts bill exactly the whole: a split whose parts' nets do not
    add up to the item's net (1 x 0.03 into 0.5 + 0.5 would bill 0.02 + 0.02) is refused
    with an :class:`~dunlib.core.errors.InvalidValueError` naming both parts' nets; with whole
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
