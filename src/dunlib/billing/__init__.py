"""Where invoices come from: orders and contract series.

Each module holds one concept; this package exports the names of its area."""

from __future__ import annotations

from dunlib.billing.contracts import (
    SERIES_ACTOR,
    Contract,
    ContractItem,
    Interval,
    SeriesBilled,
    SeriesSent,
    delete_series_invoice,
    invoices_due,
    send_series_invoice,
)
from dunlib.billing.orders import (
    BillingFlag,
    Order,
    OrderDrafted,
    OrderItem,
    OrderSent,
    OrderState,
    delete_order_invoice,
    invoice_from_order,
    send_order_invoice,
    split_order_item,
)

__all__ = [
    "SERIES_ACTOR",
    "BillingFlag",
    "Contract",
    "ContractItem",
    "Interval",
    "Order",
    "OrderDrafted",
    "OrderItem",
    "OrderSent",
    "OrderState",
    "SeriesBilled",
    "SeriesSent",
    "delete_order_invoice",
    "delete_series_invoice",
    "invoice_from_order",
    "invoices_due",
    "send_order_invoice",
    "send_series_invoice",
    "split_order_item",
]
