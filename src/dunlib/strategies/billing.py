"""Strategies for billing: orders, contracts and their items."""

from __future__ import annotations

import datetime as _dt

import attrs
from hypothesis import strategies as st

from dunlib.billing.contracts import Contract, ContractItem, Interval
from dunlib.billing.orders import BillingFlag, Order, OrderItem, OrderState
from dunlib.core.records import DeliveryChannel
from dunlib.core.status import Status
from dunlib.strategies import _checks as checks
from dunlib.strategies._common import _BEFORE_SENT
from dunlib.strategies.money import customers, dates, line_items, payment_terms

__all__ = ["contract_items", "contracts", "order_items", "orders"]


def _item_ids(count: int) -> list[str]:
    return [f"item-{index + 1}" for index in range(count)]


@checks.checked({"currency": checks.currency(), "id": checks.text})
def order_items(*, currency: str = "EUR", id: str = "item-1") -> st.SearchStrategy[OrderItem]:
    """Order items of one positive line each, with any billing flag (and an invoice id for
    items not NOT_BILLED)."""
    return st.builds(
        lambda line, flag: OrderItem(
            id=id,
            line=line,
            flag=flag,
            invoice_id=None if flag is BillingFlag.NOT_BILLED else "D-1",
        ),
        line_items(currency=currency),
        st.sampled_from(BillingFlag),
    )


@checks.checked(
    {
        "currency": checks.currency(),
        "states": checks.members(checks.one_of(tuple(OrderState)), "OrderState", non_empty=True),
        "max_items": checks.count(),
        "not_billed": checks.flag(),
    }
)
@st.composite
def orders(
    draw: st.DrawFn,
    *,
    currency: str = "EUR",
    states: tuple[OrderState, ...] = tuple(OrderState),
    max_items: int = 5,
    not_billed: bool = False,
) -> Order:
    """Orders of 0 to ``max_items`` items with distinct ids (``item-1``, ``item-2``, …) in
    one of ``states``; every item NOT_BILLED when ``not_billed``."""
    count = draw(st.integers(min_value=0, max_value=max_items))
    items = [
        draw(order_items(currency=currency, id=id))
        if not not_billed
        else OrderItem(id=id, line=draw(line_items(currency=currency)))
        for id in _item_ids(count)
    ]
    return Order(
        id=draw(st.sampled_from(("A-1", "A-2", "AU-2026-7"))),
        customer=draw(customers()),
        currency=currency,
        state=draw(st.sampled_from(states)),
        items=items,
    )


@checks.checked({"currency": checks.currency(), "id": checks.text})
@st.composite
def contract_items(draw: st.DrawFn, *, currency: str = "EUR", id: str = "item-1") -> ContractItem:
    """Contract items, recurring or one-off, with any billing flag: a one-off item not
    NOT_BILLED on an invoice (or none), a recurring one with periods waiting and billed."""
    line, flag = draw(line_items(currency=currency)), draw(st.sampled_from(BillingFlag))
    if not draw(st.booleans()):
        on = None if flag is BillingFlag.NOT_BILLED else draw(st.sampled_from((None, "V-1-1")))
        return ContractItem(id=id, line=line, recurring=False, flag=flag, invoice_id=on)
    marks = draw(st.lists(st.sampled_from((None, True, False)), max_size=4))
    return ContractItem(
        id=id,
        line=line,
        flag=flag,
        periods=[k for k, mark in enumerate(marks) if mark is False],
        billed_periods=[k for k, mark in enumerate(marks) if mark is True],
    )


@checks.checked(
    {
        "currency": checks.currency(),
        "max_items": checks.count(),
        "targets": checks.members(checks.one_of(_BEFORE_SENT), "Status up to SENT", non_empty=True),
        "min_date": checks.day(),
        "max_date": checks.day(),
    },
    ordered=(("min_date", "max_date"),),
)
@st.composite
def contracts(
    draw: st.DrawFn,
    *,
    currency: str = "EUR",
    max_items: int = 3,
    targets: tuple[Status, ...] = (Status.DRAFT, Status.CREATED, Status.REVIEWED, Status.SENT),
    min_date: _dt.date = _dt.date(2020, 1, 1),
    max_date: _dt.date = _dt.date(2030, 12, 31),
) -> Contract:
    """Contract series starting between ``min_date`` and ``max_date`` (month ends often),
    with or without an end, any interval and day in the period, not yet billed."""
    start = draw(
        st.one_of(
            dates(min_value=min_date, max_value=max_date),
            st.integers(min_value=min_date.year, max_value=max_date.year).flatmap(
                lambda year: st.sampled_from(
                    [_dt.date(year, month, 1) - _dt.timedelta(days=1) for month in (2, 3, 5, 12)]
                )
            ),
        )
    )
    end = draw(
        st.none()
        | st.integers(min_value=0, max_value=800).map(lambda days: start + _dt.timedelta(days=days))
    )
    count = draw(st.integers(min_value=0, max_value=max_items))
    return Contract(
        id=draw(st.sampled_from(("V-1", "V-2", "VS-2026-3"))),
        customer=draw(customers()),
        currency=currency,
        start=start,
        interval=draw(st.sampled_from(Interval)),
        items=[
            attrs.evolve(
                draw(contract_items(currency=currency, id=id)), periods=(), billed_periods=()
            )
            for id in _item_ids(count)
        ],
        end=end,
        day=draw(st.integers(min_value=1, max_value=28)),
        target=draw(st.sampled_from(targets)),
        terms=draw(payment_terms()),
        channel=draw(st.sampled_from(DeliveryChannel)),
    )
