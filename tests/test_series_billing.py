"""Issue 24, item 8: a contract series's invoices created before SENT are sent or deleted
with their items' billing marks (seed 002, 2.1 and 2.2): a one-off item's dash becomes a
tick when its invoice is sent, deleting the draft releases it for the next run, and
recurring items get the mark too, period by period."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import ACME, RITA, SAM, TWO, clerk, line
from dunlib import (
    Authority,
    BillingFlag,
    BillingFlagError,
    Contract,
    ContractItem,
    Interval,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    NumberSequence,
    OrderItem,
    Status,
    invoices_due,
    remove_line,
    replace_line,
    transition,
)
from dunlib.billing import (
    SERIES_ACTOR,
    SeriesSent,
    delete_series_invoice,
    send_series_invoice,
)
from dunlib.core import Command

FOUR = Authority(eyes=4)
DORA = clerk("dora")
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


def reviewed(invoice: Invoice, on: dt.date) -> Invoice:
    """A series draft taken through review by a clerk and a reviewer."""
    created = transition(invoice, Command.SUBMIT, actor=DORA, on=on, authority=FOUR)
    return transition(created, Command.APPROVE, actor=RITA, on=on, authority=FOUR)


def send_it(invoice: Invoice, series: Contract, on: dt.date) -> SeriesSent:
    return send_series_invoice(
        invoice, series, actor=SAM, on=on, authority=FOUR, sequence=NumberSequence(prefix="RE-")
    )


def marks(series: Contract) -> list[tuple[str, str, str | None, tuple[int, ...], tuple[int, ...]]]:
    return [(i.id, i.flag.name, i.invoice_id, i.periods, i.billed_periods) for i in series.items]


def test_sending_a_series_draft_ticks_its_one_off_item_and_bills_its_period() -> None:
    """Seed 002, 2.2: "Der Status der Abrechnung zeigt sich in der Spalte Abgerechnet durch
    einen waagerechten Strich (in Vorgang übernommen) oder einen Haken (abgerechnet und
    gebucht) ... Artikel mit anderen Abrechnungsintervallen erhalten ebenfalls das
    Abrechnungsmerkmal". Series V-1 from 31 Jan 2027, monthly, created in 0 DRAFT: on
    28 Feb it creates V-1-1 (Hosting 10.00 + Setup 99.00 = 109.00 net, 129.71 with 19 %
    tax) and V-1-2 (Hosting 10.00 net, 11.90). Setup is "-" on V-1-1, Hosting "-" for
    periods 1 and 2. V-1-1 reviewed and sent on 1 Mar as RE-1 (129.71): Setup "✓" on
    V-1-1, Hosting billed for period 1 and still "-" for period 2;
    V-1-2 sent too: Hosting "✓" for both periods."""
    billed = invoices_due(contract(), on=dt.date(2027, 2, 28), actor=SERIES_ACTOR, authority=TWO)
    first, second = billed.invoices
    series = billed.contract
    assert [str(i.net.amount) for i in billed.invoices] == ["109.00", "10.00"]
    assert [str(i.gross.amount) for i in billed.invoices] == ["129.71", "11.90"]
    assert marks(series) == [
        ("hosting", "TRANSFERRED", None, (0, 1), ()),
        ("setup", "TRANSFERRED", "V-1-1", (), ()),
    ]
    day = dt.date(2027, 3, 1)
    done = send_it(reviewed(first, day), series, day)
    assert (done.sent.invoice.number, done.sent.invoice.status) == ("RE-1", Status.SENT)
    assert str(done.sent.invoice.gross.amount) == "129.71"
    assert done.sent.sequence.next_value == 2
    series = done.contract
    assert marks(series) == [
        ("hosting", "TRANSFERRED", None, (1,), (0,)),
        ("setup", "BILLED", "V-1-1", (), ()),
    ]
    done = send_it(reviewed(second, day), series, day)
    assert marks(done.contract) == [
        ("hosting", "BILLED", None, (), (0, 1)),
        ("setup", "BILLED", "V-1-1", (), ()),
    ]
    later = invoices_due(done.contract, on=dt.date(2027, 3, 31), actor=SERIES_ACTOR, authority=TWO)
    assert [[ln.source for ln in i.lines] for i in later.invoices] == [["hosting"]]


def test_deleting_a_series_draft_releases_its_items_so_the_next_run_bills_them() -> None:
    """Seed 002, 2.1/2.2: "Sollte die Rechnung vor dem Versand gelöscht werden, wird der
    Artikel wieder freigegeben" and "Bis zu diesen Bearbeitungsständen können Sie
    Ausgangsrechnungen noch verändern bzw. löschen". V-1-1 (109.00 net, state 1 CREATED) is
    deleted: Setup is NOT_BILLED again, Hosting loses period 1, and period 1 is due again.
    The next run on 28 Feb creates V-1-1 anew (109.00: Hosting + Setup) and V-1-2
    (10.00 net); nothing is billed twice and nothing is lost."""
    billed = invoices_due(
        contract(target=Status.CREATED), on=dt.date(2027, 1, 31), actor=SERIES_ACTOR, authority=TWO
    )
    (first,) = billed.invoices
    assert first.status is Status.CREATED
    released = delete_series_invoice(first, billed.contract)
    assert marks(released) == [
        ("hosting", "NOT_BILLED", None, (), ()),
        ("setup", "NOT_BILLED", None, (), ()),
    ]
    assert (released.next_period, released.due_again) == (1, (0,))
    again = invoices_due(released, on=dt.date(2027, 2, 28), actor=SERIES_ACTOR, authority=TWO)
    assert [(i.id, str(i.net.amount)) for i in again.invoices] == [
        ("V-1-1", "109.00"),
        ("V-1-2", "10.00"),
    ]
    assert [ln.description for ln in again.invoices[0].lines] == [
        "Hosting (2027-01-31 to 2027-02-27)",
        "Setup",
    ]
    assert (again.contract.next_period, again.contract.due_again) == (2, ())
    assert marks(again.contract)[1] == ("setup", "TRANSFERRED", "V-1-1", (), ())


def test_a_period_due_again_waits_for_its_day_and_a_run_with_nothing_drops_it() -> None:
    """A period deleted and due again is created again only once its invoice date has
    come (a run asked for an earlier day leaves it due); a period due again with nothing
    left to bill (only one-off items, billed since) gets no invoice and is done."""
    billed = invoices_due(contract(), on=dt.date(2027, 2, 28), actor=SERIES_ACTOR, authority=TWO)
    second = billed.invoices[1]
    support = ContractItem(id="support", line=line("5.00"))  # added after V-1-2 was created
    grown = attrs.evolve(billed.contract, items=(*billed.contract.items, support))
    released = delete_series_invoice(second, grown)
    assert released.due_again == (1,)
    assert released.items[2] == support
    early = invoices_due(released, on=dt.date(2027, 2, 1), actor=SERIES_ACTOR, authority=TWO)
    assert (early.invoices, early.contract.due_again) == ((), (1,))
    only_setup = contract(items=(SETUP,))
    billed = invoices_due(only_setup, on=dt.date(2027, 1, 31), actor=SERIES_ACTOR, authority=TWO)
    day = dt.date(2027, 2, 1)
    done = send_it(reviewed(billed.invoices[0], day), billed.contract, day)
    assert done.contract.items[0].flag is BillingFlag.BILLED
    dropped = attrs.evolve(done.contract, next_period=2, due_again=(1,))
    after = invoices_due(dropped, on=dt.date(2027, 3, 31), actor=SERIES_ACTOR, authority=TWO)
    assert (after.invoices, after.contract.due_again, after.contract.next_period) == ((), (), 3)


def test_a_line_removed_from_a_series_draft_releases_its_item_when_sent() -> None:
    """The Setup line removed from draft V-1-1 before sending: V-1-1 is sent with Hosting
    only (10.00 net); Setup is NOT_BILLED again and the next invoice (V-1-2, 109.00 net) takes it.
    Hosting's line removed from V-1-2 instead: period 2 is not billed for Hosting."""
    billed = invoices_due(contract(), on=dt.date(2027, 1, 31), actor=SERIES_ACTOR, authority=TWO)
    day = dt.date(2027, 2, 1)
    edited = remove_line(billed.invoices[0], 1, actor=DORA, on=day, authority=FOUR)
    done = send_it(reviewed(edited, day), billed.contract, day)
    assert str(done.sent.invoice.net.amount) == "10.00"
    assert marks(done.contract) == [
        ("hosting", "BILLED", None, (), (0,)),
        ("setup", "NOT_BILLED", None, (), ()),
    ]
    nxt = invoices_due(done.contract, on=dt.date(2027, 2, 28), actor=SERIES_ACTOR, authority=TWO)
    assert [str(i.net.amount) for i in nxt.invoices] == ["109.00"]
    day = dt.date(2027, 3, 1)
    without_hosting = remove_line(nxt.invoices[0], 0, actor=DORA, on=day, authority=FOUR)
    done = send_it(reviewed(without_hosting, day), nxt.contract, day)
    assert marks(done.contract) == [
        ("hosting", "BILLED", None, (), (0,)),
        ("setup", "BILLED", "V-1-2", (), ()),
    ]


def test_a_series_created_sent_marks_its_items_billed_at_once() -> None:
    """Target 3 SENT (2 eyes): V-1-1 and V-1-2 are booked as RE-1 and RE-2; Setup "✓" on
    V-1-1, Hosting billed for periods 1 and 2; such invoices are neither sent again nor
    deleted (a sent invoice is cancelled)."""
    billed = invoices_due(
        contract(target=Status.SENT),
        on=dt.date(2027, 2, 28),
        actor=SERIES_ACTOR,
        authority=TWO,
        sequence=NumberSequence(prefix="RE-"),
    )
    assert marks(billed.contract) == [
        ("hosting", "BILLED", None, (), (0, 1)),
        ("setup", "BILLED", "V-1-1", (), ()),
    ]
    with pytest.raises(InvalidValueError, match="not sent yet"):
        delete_series_invoice(billed.invoices[0], billed.contract)
    with pytest.raises(InvalidValueError, match="not sent yet"):
        send_it(billed.invoices[0], billed.contract, dt.date(2027, 3, 1))


def test_what_send_series_invoice_refuses_changes_nothing() -> None:
    """An invoice of another series, one deleted (its period due again), a line of an item
    not taken into it, an item twice, a quantity edited (3 of 5 is split on the order, an
    item is billed whole), an unknown item, and arguments of the wrong type."""
    billed = invoices_due(contract(), on=dt.date(2027, 2, 28), actor=SERIES_ACTOR, authority=TWO)
    first, second = billed.invoices
    series = billed.contract
    day = dt.date(2027, 3, 1)
    with pytest.raises(InvalidValueError, match="contract V-1 created"):
        send_it(attrs.evolve(first, id="V-2-1"), series, day)
    with pytest.raises(InvalidValueError, match="contract V-1 created"):
        send_it(attrs.evolve(first, id="V-1-x"), series, day)
    with pytest.raises(InvalidValueError, match="contract V-1 created"):
        send_it(attrs.evolve(first, id="V-1-3"), series, day)
    deleted = delete_series_invoice(second, series)
    with pytest.raises(InvalidValueError, match="not those due again"):
        send_it(second, deleted, day)
    once = send_it(reviewed(first, day), series, day).contract
    with pytest.raises(BillingFlagError, match="TRANSFERRED to invoice V-1-1 for period 1"):
        send_it(attrs.evolve(second, id="V-1-1"), once, day)
    setup_on_second = attrs.evolve(first, id="V-1-2", lines=(first.lines[0], first.lines[1]))
    with pytest.raises(BillingFlagError, match="TRANSFERRED to invoice V-1-2"):
        send_it(setup_on_second, series, day)
    twice = replace_line(first, 1, first.lines[0], actor=DORA, on=day, authority=FOUR)
    with pytest.raises(InvalidValueError, match="one line only"):
        send_it(reviewed(twice, day), series, day)
    three = attrs.evolve(first.lines[1], quantity=3)
    edited = replace_line(first, 1, three, actor=DORA, on=day, authority=FOUR)
    with pytest.raises(InvalidValueError, match="billed whole"):
        send_it(reviewed(edited, day), series, day)
    stranger = attrs.evolve(first.lines[1], source="other")
    with pytest.raises(InvalidValueError, match="an item of contract V-1"):
        send_it(replace_line(first, 1, stranger, actor=DORA, on=day, authority=FOUR), series, day)
    handwritten = attrs.evolve(first.lines[1], source=None)
    done = send_it(
        reviewed(replace_line(first, 1, handwritten, actor=DORA, on=day, authority=FOUR), day),
        series,
        day,
    )
    assert done.contract.items[1].flag is BillingFlag.NOT_BILLED
    with pytest.raises(InvalidTypeError):
        send_it(first, "contract", day)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        delete_series_invoice("invoice", series)  # type: ignore[arg-type]


def test_contract_items_refuse_marks_no_series_could_leave() -> None:
    """An item NOT_BILLED names no invoice; a one-off item has no periods; a period is not
    both waiting and billed; periods are distinct ints in order; a period due again is one
    already handled. An item moved from an order keeps the invoice it was taken into."""
    with pytest.raises(InvalidValueError, match="ContractItem.invoice_id"):
        attrs.evolve(SETUP, invoice_id="V-1-1")
    with pytest.raises(InvalidValueError, match="one-off item"):
        attrs.evolve(SETUP, flag=BillingFlag.BILLED, billed_periods=(0,))
    with pytest.raises(InvalidValueError, match="not also waiting"):
        attrs.evolve(HOSTING, periods=(1,), billed_periods=(0, 1))
    with pytest.raises(InvalidValueError, match="ascending"):
        attrs.evolve(HOSTING, periods=(2, 1))
    with pytest.raises(InvalidTypeError):
        attrs.evolve(HOSTING, periods=(True,))
    with pytest.raises(InvalidTypeError):
        attrs.evolve(HOSTING, periods=5)
    with pytest.raises(InvalidValueError, match="before next_period 1"):
        contract(next_period=1, due_again=(1,))
    with pytest.raises(InvalidValueError, match=r"Contract.items\[0\].periods"):
        contract(items=(attrs.evolve(HOSTING, billed_periods=(0,)),))
    with pytest.raises(InvalidValueError, match="not due again"):
        contract(next_period=2, due_again=(1,), items=(attrs.evolve(HOSTING, periods=(1,)),))
    moved = ContractItem.from_order_item(
        OrderItem(id="x", line=line("5.00"), flag=BillingFlag.TRANSFERRED, invoice_id="D-9")
    )
    assert (moved.flag, moved.invoice_id) == (BillingFlag.TRANSFERRED, "D-9")


@settings(max_examples=40, deadline=None)
@given(
    steps=st.lists(st.sampled_from(("run", "send", "delete")), min_size=1, max_size=12),
    picks=st.lists(st.integers(0, 5), min_size=12, max_size=12),
)
def test_law_every_period_and_every_one_off_item_is_billed_exactly_once(
    steps: list[str], picks: list[int]
) -> None:
    """Law (seed 002, 2.2: "Somit werden diese Artikel nicht mehrfach abgerechnet"): however
    runs, sends and deletions interleave, once every waiting draft is sent the sent
    invoices bill Setup exactly once and Hosting exactly once per period up to the last
    run, and the marks say so: Setup "✓", Hosting billed for exactly those periods."""
    series = contract()
    waiting: dict[str, Invoice] = {}
    sent: list[Invoice] = []
    day = dt.date(2027, 1, 31)
    numbers = NumberSequence()

    def send_one(invoice: Invoice) -> None:
        nonlocal series, numbers
        done = send_series_invoice(
            reviewed(invoice, day), series, actor=SAM, on=day, authority=FOUR, sequence=numbers
        )
        series, numbers = done.contract, done.sent.sequence
        sent.append(done.sent.invoice)
        del waiting[invoice.id]

    for step, pick in zip(steps, picks, strict=False):
        if step == "run" or not waiting:
            day = day + dt.timedelta(days=20 * (pick + 1))
            billed = invoices_due(series, on=day, actor=SERIES_ACTOR, authority=TWO)
            series = billed.contract
            waiting.update((i.id, i) for i in billed.invoices)
            continue
        chosen = waiting[sorted(waiting)[pick % len(waiting)]]
        if step == "send":
            send_one(chosen)
        else:
            series = delete_series_invoice(chosen, series)
            del waiting[chosen.id]
    billed = invoices_due(series, on=day, actor=SERIES_ACTOR, authority=TWO)
    series = billed.contract
    waiting.update((i.id, i) for i in billed.invoices)
    for key in sorted(waiting):
        send_one(waiting[key])
    sources = [ln.source for i in sent for ln in i.lines]
    periods = series.next_period
    assert sources.count("setup") == 1
    assert sources.count("hosting") == periods
    assert sorted(int(i.id.rpartition("-")[2]) for i in sent) == list(range(1, periods + 1))
    hosting, setup = series.items
    assert hosting.billed_periods == tuple(range(periods))
    assert (hosting.periods, series.due_again) == ((), ())
    assert setup.flag is BillingFlag.BILLED
