"""Invoices from orders and contract series (seed 002, sections 2.1 and 2.2): billing flags,
partial billing, series periods that never drift, and no item billed twice."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, DORA, FOUR, ROBOT, SIX, TWO, clerk, eur, line
from dunlib import (
    Authority,
    BillingFlag,
    BillingFlagError,
    Contract,
    ContractItem,
    DunlibError,
    Interval,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    LineItem,
    NumberSequence,
    Order,
    OrderItem,
    OrderState,
    Status,
    invoice_from_order,
    invoices_due,
    remove_line,
    replace_line,
    send_order_invoice,
    split_order_item,
)
from dunlib import strategies as ds
from dunlib.billing import SERIES_ACTOR, delete_order_invoice
from dunlib.core.dates import add_months
from dunlib.workflow import Sent

DAY = dt.date(2026, 3, 2)


def order(*items: OrderItem, state: OrderState = OrderState.GRANTED) -> Order:
    return Order(id="A-1", customer=ACME, currency="EUR", state=state, items=items)


def item(id: str, quantity: int = 1, price: str = "10.00") -> OrderItem:
    return OrderItem(id=id, line=line(price, quantity, description=f"Part {id}"))


FIRST = NumberSequence()


def send_it(invoice: Invoice, taken: Order, sequence: NumberSequence = FIRST) -> tuple[Sent, Order]:
    done = send_order_invoice(invoice, taken, actor=ROBOT, on=DAY, authority=TWO, sequence=sequence)
    return done.sent, done.order


# -- orders: scenarios --------------------------------------------------------------------


def test_seed_3_of_5_partial_billing_bills_every_piece_once() -> None:
    """Seed 002, 2.1: bill 3 of 5 pieces now and the other 2 later. The item is split into
    3 and 2 (the clean equivalent of editing the quantity and clearing the flag by hand)."""
    start = order(item("screws", 5, "2.00"))
    split = split_order_item(start, "screws", quantity=3, new_id="screws-rest")
    assert [(i.id, i.line.quantity) for i in split.items] == [
        ("screws", Decimal(3)),
        ("screws-rest", Decimal(2)),
    ]
    drafted = invoice_from_order(split, draft_id="D-1", on=DAY, actor=DORA)
    first, taken = drafted.invoice, drafted.order
    assert [(ln.source, ln.quantity) for ln in first.lines] == [
        ("screws", Decimal(3)),
        ("screws-rest", Decimal(2)),
    ]
    drafted = invoice_from_order(split, draft_id="D-1", on=DAY, actor=DORA, items=["screws"])
    first, taken = drafted.invoice, drafted.order
    assert taken.item("screws").flag is BillingFlag.TRANSFERRED
    assert taken.item("screws-rest").flag is BillingFlag.NOT_BILLED
    sent, billed = send_it(first, taken)
    assert sent.invoice.net == eur("6.00")
    assert billed.item("screws").flag is BillingFlag.BILLED
    drafted = invoice_from_order(billed, draft_id="D-2", on=DAY, actor=DORA)
    second, taken = drafted.invoice, drafted.order
    assert [ln.source for ln in second.lines] == ["screws-rest"]
    sent2, done = send_it(second, taken, sent.sequence)
    assert sent.invoice.net + sent2.invoice.net == eur("10.00")
    assert {i.flag for i in done.items} == {BillingFlag.BILLED}
    with pytest.raises(InvalidValueError, match="at least one item"):
        invoice_from_order(done, draft_id="D-3", on=DAY, actor=DORA)


def test_seed_route_of_editing_the_quantity_is_refused_before_sending() -> None:
    """Editing 5 down to 3 on the invoice would leave 2 pieces flagged billed (or, with the
    flag cleared by hand, 5 billable again): the send is refused and nothing changes."""
    drafted = invoice_from_order(order(item("screws", 5)), draft_id="D-1", on=DAY, actor=clerk("d"))
    draft, taken = drafted.invoice, drafted.order
    edited = replace_line(
        draft,
        0,
        attrs.evolve(draft.lines[0], quantity=3),
        actor=clerk("d"),
        on=DAY,
        authority=Authority(),
    )
    with pytest.raises(InvalidValueError, match="split_order_item"):
        send_it(edited, taken)


def test_taking_an_item_twice_raises_naming_item_and_flag() -> None:
    """Only NOT_BILLED items are taken: the second take names the item and its flag."""
    drafted = invoice_from_order(
        order(item("1"), item("2")), draft_id="D-1", on=DAY, actor=clerk("d")
    )
    taken = drafted.order
    with pytest.raises(BillingFlagError) as raised:
        invoice_from_order(taken, draft_id="D-2", on=DAY, actor=clerk("d"), items=["2"])
    assert raised.value.item == "2"
    assert raised.value.flag is BillingFlag.TRANSFERRED
    assert "item 2 is TRANSFERRED" in str(raised.value)


def test_orders_not_granted_or_done_are_not_invoiced() -> None:
    """Seed 002, 2.1: only orders 3 - Erteilt and 4 - Erledigt are invoiced."""
    assert {s for s in OrderState if s.invoiceable} == {OrderState.GRANTED, OrderState.DONE}
    for state in (OrderState.DRAFT, OrderState.CANCELLED):
        with pytest.raises(InvalidValueError, match="GRANTED or DONE"):
            invoice_from_order(
                order(item("1"), state=state), draft_id="D", on=DAY, actor=clerk("d")
            )


def test_delete_releases_and_a_removed_line_is_released_when_sent() -> None:
    """Deleting the unsent invoice releases its items; a line removed from the draft
    releases its item when the invoice is sent."""
    drafted = invoice_from_order(
        order(item("1"), item("2")), draft_id="D-1", on=DAY, actor=clerk("d")
    )
    draft, taken = drafted.invoice, drafted.order
    assert delete_order_invoice(draft, taken) == order(item("1"), item("2"))
    sent, after = send_it(
        remove_line(draft, 1, actor=clerk("d"), on=DAY, authority=Authority()), taken
    )
    assert [i.flag for i in after.items] == [BillingFlag.BILLED, BillingFlag.NOT_BILLED]
    assert after.item("2").invoice_id is None
    with pytest.raises(InvalidValueError, match="not sent yet"):
        delete_order_invoice(sent.invoice, after)


def test_selection_and_consistency_errors_are_typed() -> None:
    """Unknown, repeated and foreign ids, a stale invoice and bad arguments raise typed errors."""
    two = order(item("1"), item("2"))
    with pytest.raises(InvalidValueError, match="an item of order"):
        invoice_from_order(two, draft_id="D", on=DAY, actor=clerk("d"), items=["9"])
    with pytest.raises(InvalidValueError, match="distinct"):
        invoice_from_order(two, draft_id="D", on=DAY, actor=clerk("d"), items=["1", "1"])
    with pytest.raises(InvalidTypeError):
        invoice_from_order("order", draft_id="D", on=DAY, actor=DORA)  # type: ignore[arg-type]
    drafted = invoice_from_order(two, draft_id="D-1", on=DAY, actor=clerk("d"), items=["1"])
    draft, taken = drafted.invoice, drafted.order
    foreign = attrs.evolve(draft, lines=(attrs.evolve(draft.lines[0], source="9"),))
    with pytest.raises(InvalidValueError, match="an item of order"):
        send_it(foreign, taken)
    twice = attrs.evolve(draft, lines=draft.lines * 2)
    with pytest.raises(InvalidValueError, match="one line only"):
        send_it(twice, taken)
    released = delete_order_invoice(draft, taken)
    drafted = invoice_from_order(released, draft_id="D-2", on=DAY, actor=clerk("d"), items=["1"])
    again = drafted.order
    with pytest.raises(BillingFlagError, match="on invoice D-2"):
        send_it(draft, again)  # the deleted D-1 is stale
    with pytest.raises(BillingFlagError, match="TRANSFERRED to invoice D-1$"):
        send_it(draft, released)
    with pytest.raises(InvalidTypeError):
        send_it(draft, "order")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        delete_order_invoice(draft, "order")  # type: ignore[arg-type]
    hand = attrs.evolve(draft, lines=(*draft.lines, line()))
    sent, _ = send_it(hand, taken)
    assert sent.invoice.lines[-1].source is None


def test_split_refuses_what_would_not_be_a_split() -> None:
    """A split keeps a quantity strictly between 0 and the item's, of an item on no invoice."""
    five = order(item("1", 5), OrderItem(id="neg", line=line(quantity=-4)))
    assert split_order_item(five, "neg", quantity=-1, new_id="n2").item("n2").line.quantity == -3
    for bad in (0, 5, 6, -1):
        with pytest.raises(InvalidValueError, match="strictly between"):
            split_order_item(five, "1", quantity=bad, new_id="2")
    with pytest.raises(InvalidValueError, match="finite Decimal"):
        split_order_item(five, "1", quantity=1.5, new_id="2")
    with pytest.raises(InvalidValueError, match="distinct item ids"):
        split_order_item(five, "1", quantity=2, new_id="neg")
    drafted = invoice_from_order(five, draft_id="D", on=DAY, actor=clerk("d"), items=["1"])
    taken = drafted.order
    with pytest.raises(BillingFlagError, match="split it"):
        split_order_item(taken, "1", quantity=2, new_id="2")
    with pytest.raises(InvalidValueError, match="an item of order"):
        split_order_item(five, "9", quantity=2, new_id="2")
    with pytest.raises(InvalidTypeError):
        split_order_item("order", "1", quantity=2, new_id="2")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        split_order_item(five, 1, quantity=2, new_id="2")  # type: ignore[arg-type]


def test_order_values_are_validated_at_construction() -> None:
    """An item on no invoice names none; ids are distinct; amounts are in the currency."""
    with pytest.raises(InvalidValueError, match="NOT_BILLED"):
        OrderItem(id="1", line=line(), invoice_id="D-1")
    with pytest.raises(InvalidValueError, match="distinct item ids"):
        order(item("1"), item("1"))
    with pytest.raises(InvalidValueError, match="an amount in USD"):
        Order(id="A", customer=ACME, currency="USD", state=OrderState.DONE, items=[item("1")])
    with pytest.raises(InvalidValueError, match="ISO 4217"):
        Order(id="A", customer=ACME, currency="XX", state=OrderState.DONE)


# -- orders: the law ----------------------------------------------------------------------

OPS = st.lists(
    st.tuples(
        st.sampled_from(("take", "delete", "send", "split")),
        st.lists(st.integers(min_value=0, max_value=5), max_size=3),
    ),
    max_size=15,
)


@given(start=ds.orders(states=(OrderState.GRANTED,), not_billed=True), ops=OPS)
def test_no_item_is_ever_billed_twice_over_any_take_delete_send_sequence(
    start: Order, ops: list[tuple[str, list[int]]]
) -> None:
    """Law: over any sequence of take / delete / send (and split) operations, stale invoices
    included, no item is on two sent invoices, and every item is in exactly one flag state
    matching the invoices: BILLED on one sent invoice, TRANSFERRED on one open invoice,
    NOT_BILLED on none."""
    current, sequence = start, NumberSequence()
    open_: dict[str, Invoice] = {}
    deleted: list[Invoice] = []
    sent: list[Invoice] = []
    for step, (op, picks) in enumerate(ops):
        ids = [i.id for i in current.items]
        if op == "take":
            chosen = sorted({ids[p % len(ids)] for p in picks}) if ids and picks else None
            try:
                drafted = invoice_from_order(
                    current, draft_id=f"D-{step}", on=DAY, actor=DORA, items=chosen
                )
                draft, current = drafted.invoice, drafted.order
            except DunlibError:
                continue
            open_[draft.id] = draft
        elif op == "split" and ids:
            target = current.items[picks[0] % len(ids) if picks else 0]
            try:
                current = split_order_item(
                    current, target.id, quantity=target.line.quantity / 2, new_id=f"s-{step}"
                )
            except DunlibError:
                continue
        elif op in ("delete", "send") and (open_ or deleted):
            pool = [*open_.values(), *deleted]
            invoice = pool[(picks[0] if picks else 0) % len(pool)]
            try:
                if op == "delete":
                    current = delete_order_invoice(invoice, current)
                else:
                    done, current = send_it(invoice, current, sequence)
                    sequence = done.sequence
                    sent.append(done.invoice)
            except DunlibError:
                assert invoice in deleted  # only a stale (deleted) invoice is refused
                continue
            if invoice.id in open_:
                deleted.append(open_.pop(invoice.id)) if op == "delete" else open_.pop(invoice.id)
    on_sent = [ln.source for inv in sent for ln in inv.lines]
    assert len(on_sent) == len(set(on_sent))
    on_open = {ln.source: inv.id for inv in open_.values() for ln in inv.lines}
    for each in current.items:
        if each.id in on_sent:
            assert each.flag is BillingFlag.BILLED
        elif each.id in on_open:
            assert each.flag is BillingFlag.TRANSFERRED
            assert each.invoice_id == on_open[each.id]
        else:
            assert each.flag is BillingFlag.NOT_BILLED


# -- contract series ----------------------------------------------------------------------

HOSTING = ContractItem(id="hosting", line=line("10.00", description="Hosting"))
SETUP = ContractItem(id="setup", line=line("99.00", description="Setup"), recurring=False)


def contract(**changes: Any) -> Contract:
    base = Contract(
        id="V-1",
        customer=ACME,
        currency="EUR",
        start=dt.date(2027, 1, 31),
        interval=Interval.MONTHLY,
        items=(HOSTING, SETUP),
    )
    return attrs.evolve(base, **changes)


def test_contract_started_on_31_january_bills_month_ends_without_drifting() -> None:
    """Seed 002, 2.2 / issue 13: a series started 31 January bills on 31 Jan, 28 Feb,
    31 Mar, 30 Apr, 31 May (never drifting to the 28th); 29 Feb in a leap year."""
    billed = invoices_due(contract(), on=dt.date(2027, 5, 31), authority=TWO, actor=SERIES_ACTOR)
    invoices, after = billed.invoices, billed.contract
    assert [i.issue_date for i in invoices] == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 30),
        dt.date(2027, 5, 31),
    ]
    assert [i.id for i in invoices] == [f"V-1-{k}" for k in range(1, 6)]
    assert invoices[0].lines[0].description == "Hosting (2027-01-31 to 2027-02-27)"
    assert invoices[1].lines[0].description == "Hosting (2027-02-28 to 2027-03-30)"
    assert [ln.source for ln in invoices[0].lines] == ["hosting", "setup"]
    assert all([ln.source for ln in i.lines] == ["hosting"] for i in invoices[1:])
    assert all(i.status is Status.DRAFT for i in invoices)
    assert after.next_period == 5
    assert after.items[1].flag is BillingFlag.TRANSFERRED
    billed = invoices_due(
        contract(start=dt.date(2028, 1, 31)),
        on=dt.date(2028, 3, 31),
        authority=TWO,
        actor=SERIES_ACTOR,
    )
    leap = billed.invoices
    assert [i.issue_date for i in leap] == [
        dt.date(2028, 1, 31),
        dt.date(2028, 2, 29),
        dt.date(2028, 3, 31),
    ]


def test_target_states_follow_the_eyes_policy_for_automatic_actors() -> None:
    """A series creates invoices in CREATED under any policy, in REVIEWED where the skip
    0→2 is allowed (2, 4 eyes) and SENT where 0→3 is (2 eyes); else it refuses up front."""
    today = dt.date(2027, 2, 28)
    billed = invoices_due(
        contract(target=Status.CREATED), on=today, authority=SIX, actor=SERIES_ACTOR
    )
    created = billed.invoices
    assert [i.status for i in created] == [Status.CREATED] * 2
    billed = invoices_due(
        contract(target=Status.REVIEWED), on=today, authority=FOUR, actor=SERIES_ACTOR
    )
    reviewed = billed.invoices
    assert [i.status for i in reviewed] == [Status.REVIEWED] * 2
    billed = invoices_due(
        contract(target=Status.SENT),
        on=today,
        authority=TWO,
        sequence=NumberSequence(prefix="RE-"),
        actor=SERIES_ACTOR,
    )
    sent, after = billed.invoices, billed.contract
    assert [(i.status, i.number, i.issue_date) for i in sent] == [
        (Status.SENT, "RE-1", dt.date(2027, 1, 31)),
        (Status.SENT, "RE-2", dt.date(2027, 2, 28)),
    ]
    assert after.items[1].flag is BillingFlag.BILLED
    with pytest.raises(InvalidValueError, match="4-eye policy does not allow"):
        invoices_due(
            contract(target=Status.SENT),
            on=today,
            authority=FOUR,
            sequence=NumberSequence(),
            actor=SERIES_ACTOR,
        )
    with pytest.raises(InvalidValueError, match="6-eye policy"):
        invoices_due(contract(target=Status.REVIEWED), on=today, authority=SIX, actor=SERIES_ACTOR)
    with pytest.raises(InvalidValueError, match="sends its invoices"):
        invoices_due(contract(target=Status.SENT), on=today, authority=TWO, actor=SERIES_ACTOR)
    with pytest.raises(InvalidTypeError):
        invoices_due(contract(), on=today, authority=TWO, sequence="RE-", actor=SERIES_ACTOR)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        invoices_due(contract(), on=today, authority=2, actor=SERIES_ACTOR)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        invoices_due("contract", on=today, authority=TWO, actor=SERIES_ACTOR)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        invoices_due(contract(), on=today, authority=TWO, actor="series")  # type: ignore[arg-type]
    assert SERIES_ACTOR.automatic


def test_once_series_end_date_and_items_moved_from_an_order() -> None:
    """ONCE bills one period; no period starts after ``end``; a one-off item billed on the
    order keeps its flag in the contract and is never billed by the series (seed warning);
    a period with nothing to bill gets no invoice."""
    billed = invoices_due(
        contract(interval=Interval.ONCE), on=dt.date(2030, 1, 1), authority=TWO, actor=SERIES_ACTOR
    )
    once, after = billed.invoices, billed.contract
    assert [i.id for i in once] == ["V-1-1"]
    assert [ln.description for ln in once[0].lines] == ["Hosting", "Setup"]
    assert after.next_period == 1
    assert not after.has_period(1)
    ended = invoices_due(
        contract(end=dt.date(2027, 3, 30)),
        on=dt.date(2030, 1, 1),
        authority=TWO,
        actor=SERIES_ACTOR,
    ).invoices
    assert [i.issue_date for i in ended] == [dt.date(2027, 1, 31), dt.date(2027, 2, 28)]
    drafted = invoice_from_order(order(item("setup")), draft_id="D", on=DAY, actor=clerk("d"))
    draft, taken = drafted.invoice, drafted.order
    _, billed_order = send_it(draft, taken)
    moved = ContractItem.from_order_item(billed_order.item("setup"))
    assert moved.flag is BillingFlag.BILLED
    assert not moved.recurring
    assert not moved.due
    billed = invoices_due(
        contract(items=(moved,)), on=dt.date(2027, 3, 31), authority=TWO, actor=SERIES_ACTOR
    )
    nothing, later = billed.invoices, billed.contract
    assert nothing == ()
    assert later.next_period == 3
    with pytest.raises(InvalidTypeError):
        ContractItem.from_order_item("setup")  # type: ignore[arg-type]


def test_contract_values_are_validated() -> None:
    """End before start, a day beyond 28, a target past SENT and bad periods are refused."""
    with pytest.raises(InvalidValueError, match="on or after start"):
        contract(end=dt.date(2026, 1, 1))
    with pytest.raises(InvalidValueError, match="from 1 to 28"):
        contract(day=29)
    with pytest.raises(InvalidValueError, match="CREATED, REVIEWED or SENT"):
        contract(target=Status.PAID)
    with pytest.raises(InvalidValueError, match="an amount in USD"):
        contract(currency="USD")
    for bad in (-1, True, "1"):
        with pytest.raises(InvalidValueError):
            contract().period_start(bad)  # type: ignore[arg-type]
        with pytest.raises(InvalidValueError):
            contract(interval=Interval.ONCE).has_period(bad)  # type: ignore[arg-type]
    assert contract(day=5).invoice_date(1) == dt.date(2027, 3, 4)
    assert [i.months for i in Interval] == [0, 1, 3, 6, 12]


# -- contract series: the laws ------------------------------------------------------------

CALL_DAYS = st.lists(st.integers(min_value=0, max_value=1200), max_size=6).map(sorted)


@given(series=ds.contracts(targets=(Status.DRAFT, Status.REVIEWED, Status.SENT)), offsets=CALL_DAYS)
def test_billed_periods_of_any_call_dates_equal_those_of_one_call_at_the_end(
    series: Contract, offsets: list[int]
) -> None:
    """Law: for any series and any set of call dates, the invoices created (periods, dates,
    lines, numbers) and the contract left behind equal those of one call at the last date:
    no gap, no overlap, no duplicate."""
    days = [series.start + dt.timedelta(days=n) for n in offsets] or [series.start]
    sequence = NumberSequence()
    many: list[Invoice] = []
    current = series
    for day in days:
        billed = invoices_due(current, on=day, authority=TWO, sequence=sequence, actor=SERIES_ACTOR)
        made, current = billed.invoices, billed.contract
        sequence = attrs.evolve(sequence, next_value=sequence.next_value + len(made))
        many.extend(made)
    billed = invoices_due(
        series, on=days[-1], authority=TWO, sequence=NumberSequence(), actor=SERIES_ACTOR
    )
    once, final = billed.invoices, billed.contract
    assert many == list(once)
    assert current == final
    assert len({i.id for i in many}) == len(many)


@given(series=ds.contracts(), offset=st.integers(min_value=0, max_value=1500))
def test_one_off_items_appear_on_exactly_one_invoice(series: Contract, offset: int) -> None:
    """Law: a one-off item NOT_BILLED is on exactly one invoice once any invoice is created;
    a one-off item already taken or billed is on none; a recurring item is on every one."""
    billed = invoices_due(
        series,
        on=series.start + dt.timedelta(days=offset),
        authority=TWO,
        sequence=NumberSequence(),
        actor=SERIES_ACTOR,
    )
    invoices, after = billed.invoices, billed.contract
    for each in series.items:
        holding = [i for i in invoices if each.id in {ln.source for ln in i.lines}]
        if each.recurring:
            assert holding == list(invoices)
        elif each.flag is BillingFlag.NOT_BILLED and invoices:
            assert len(holding) == 1
            assert next(x for x in after.items if x.id == each.id).flag is not (
                BillingFlag.NOT_BILLED
            )
        else:
            assert holding == []


@given(
    start=ds.dates(),
    interval=st.sampled_from([i for i in Interval if i is not Interval.ONCE]),
    periods=st.integers(min_value=1, max_value=40),
)
def test_a_period_day_never_drifts_after_a_short_month(
    start: dt.date, interval: Interval, periods: int
) -> None:
    """Law: period k starts on the series start's day of month, or on the month's last day
    when that month is shorter, for every k: a short month never pulls later periods back."""
    series = Contract(
        id="V", customer=ACME, currency="EUR", start=start, interval=interval, items=(HOSTING,)
    )
    today = add_months(start, periods * interval.months)
    billed = invoices_due(series, on=today, authority=TWO, actor=SERIES_ACTOR)
    invoices = billed.invoices
    assert len(invoices) == periods + 1
    for invoice in invoices:
        day = invoice.issue_date
        last = calendar.monthrange(day.year, day.month)[1]
        assert day.day == min(start.day, last)


def test_quantities_round_trip_through_a_split_exactly() -> None:
    """The parts of a split item add up to the whole quantity."""
    split = split_order_item(order(item("1", 7)), "1", quantity=Decimal("2.5"), new_id="2")
    assert sum(i.line.quantity for i in split.items) == 7


def test_a_split_bills_exactly_the_whole_item() -> None:
    """Issue 21, finding 7: splitting 1 x 0.03 into 0.5 + 0.5 would bill 0.02 + 0.02 =
    0.04 for an item of 0.03; the split is refused, naming the item's net and both parts'.
    A split whose parts round to the whole (0.6 + 0.4: 0.02 + 0.01) is made."""
    tiny = order(item("1", 1, "0.03"))
    with pytest.raises(InvalidValueError) as refused:
        split_order_item(tiny, "1", quantity=Decimal("0.5"), new_id="2")
    assert refused.value.field == "split_order_item.quantity"
    assert "net 0.03 EUR" in refused.value.expected
    assert "0.02 EUR + 0.02 EUR" in refused.value.expected
    split = split_order_item(tiny, "1", quantity=Decimal("0.6"), new_id="2")
    assert split.item("1").line.net + split.item("2").line.net == eur("0.03")


@given(whole=ds.line_items(), share=st.integers(1, 999))
def test_parts_of_a_split_bill_exactly_the_whole_law(whole: LineItem, share: int) -> None:
    """Law: a split is either refused or its two parts bill exactly the whole item's net
    (no cent made or lost by rounding each part)."""
    quantity = (whole.quantity * share / 1000).quantize(Decimal("0.001"))
    start = order(OrderItem(id="1", line=whole))
    try:
        split = split_order_item(start, "1", quantity=quantity, new_id="2")
    except InvalidValueError:
        return
    assert split.item("1").line.net + split.item("2").line.net == whole.net
