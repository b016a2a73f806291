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

Every item carries the seed's billing mark (column "Abgerechnet"): a one-off item is
TRANSFERRED (the dash) to the invoice that took it until that invoice is sent, then BILLED
(the tick); a recurring item keeps the periods whose invoices took it and are not sent yet
(``periods``, the dash) and those sent (``billed_periods``, the tick). An invoice the series
created before SENT is sent with :func:`send_series_invoice`, which marks its items billed, or
deleted with :func:`delete_series_invoice`, which releases them: its one-off items are
NOT_BILLED again and its period is due again, so the next run bills both.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Any

import attrs

from dunlib.billing.orders import BillingFlag, OrderItem, same_currency, unique_ids
from dunlib.core import validate as v
from dunlib.core.dates import add_days, add_months, as_date
from dunlib.core.errors import BillingFlagError, InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import Customer, DeliveryChannel, LineItem, PaymentTerms
from dunlib.core.status import Status
from dunlib.core.transitions import AUTOMATION, CLERK, Command
from dunlib.workflow.drafts import create_draft
from dunlib.workflow.policy import Actor, Authority, checked_actor, checked_authority
from dunlib.workflow.steps import Sent, send, transition

__all__ = [
    "SERIES_ACTOR",
    "Contract",
    "ContractItem",
    "Interval",
    "SeriesBilled",
    "SeriesSent",
    "delete_series_invoice",
    "invoices_due",
    "send_series_invoice",
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


def _periods(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Periods (from 0), each once, ascending."""
    if not isinstance(value, tuple) or not all(
        isinstance(k, int) and not isinstance(k, bool) and k >= 0 for k in value
    ):
        raise InvalidTypeError(v.field_name(instance, attribute), value, "a tuple of ints >= 0")
    if list(value) != sorted(set(value)):
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "distinct periods in ascending order"
        )


@attrs.frozen(kw_only=True)
class ContractItem:
    """One item of a contract: its ``line``, billed every period when ``recurring``, else once.

    ``flag`` is the item's billing mark (the seed's dash TRANSFERRED, its tick BILLED). For a
    one-off item it says whether it was billed already (by this series, or on the order it
    was moved from): the series takes a one-off item only while NOT_BILLED, and
    ``invoice_id`` names the invoice the mark refers to (None while NOT_BILLED, or for a
    flag set when the contract was made). A recurring item is billed every period whatever
    its flag; ``periods`` are the periods (from 0) whose invoices took it and are not sent
    yet, ``billed_periods`` those whose invoices were sent, and its flag is TRANSFERRED
    while ``periods`` holds one, else BILLED once a period was billed.
    """

    id: str = attrs.field(validator=v.non_empty_text)
    line: LineItem = attrs.field(validator=v.of_type(LineItem, expected="a LineItem"))
    recurring: bool = attrs.field(default=True, validator=v.of_type(bool, expected="a bool"))
    flag: BillingFlag = attrs.field(
        default=BillingFlag.NOT_BILLED,
        validator=v.of_type(BillingFlag, expected="a BillingFlag"),
    )
    invoice_id: str | None = attrs.field(default=None, validator=v.optional(v.non_empty_text))
    periods: tuple[int, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_periods)
    billed_periods: tuple[int, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=_periods
    )

    def __attrs_post_init__(self) -> None:
        if self.flag is BillingFlag.NOT_BILLED and self.invoice_id is not None:
            raise InvalidValueError(
                "ContractItem.invoice_id",
                self.invoice_id,
                "None for an item NOT_BILLED (on no invoice)",
            )
        if not self.recurring and (self.periods or self.billed_periods):
            raise InvalidValueError(
                "ContractItem.periods",
                (self.periods, self.billed_periods),
                "no periods for a one-off item (its flag and invoice_id say where it stands)",
            )
        both = sorted(set(self.periods) & set(self.billed_periods))
        if both:
            raise InvalidValueError(
                "ContractItem.billed_periods", both, "periods not also waiting to be sent"
            )

    @classmethod
    def from_order_item(cls, item: OrderItem, *, recurring: bool = False) -> ContractItem:
        """``item`` moved from an order into a contract, keeping its id, line, flag and
        invoice: a one-off item already taken or billed on the order is never billed by the
        series."""
        if not isinstance(item, OrderItem):
            raise InvalidTypeError("ContractItem.from_order_item.item", item, "an OrderItem")
        return cls(
            id=item.id,
            line=item.line,
            recurring=recurring,
            flag=item.flag,
            invoice_id=item.invoice_id,
        )

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
    handled (:func:`invoices_due` advances it); ``due_again`` the periods before it whose
    invoice was deleted before it was sent (:func:`delete_series_invoice`): the next run
    creates them again. The invoice of period ``k`` has the id ``f"{id}-{k + 1}"``.
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
    due_again: tuple[int, ...] = attrs.field(default=(), converter=v.to_tuple, validator=_periods)

    def __attrs_post_init__(self) -> None:
        same_currency("Contract", self.currency, (item.line for item in self.items))
        if self.end is not None and self.end < self.start:
            raise InvalidValueError("Contract.end", self.end, f"on or after start {self.start}")
        for index, item in enumerate(self.items):
            marked = (*item.periods, *item.billed_periods)
            if any(k >= self.next_period or k in self.due_again for k in marked):
                raise InvalidValueError(
                    f"Contract.items[{index}].periods",
                    (item.periods, item.billed_periods),
                    f"periods already billed (before next_period {self.next_period}) and not "
                    f"due again ({list(self.due_again)})",
                )
        if self.due_again and self.due_again[-1] >= self.next_period:
            raise InvalidValueError(
                "Contract.due_again",
                self.due_again,
                f"periods already handled (before next_period {self.next_period})",
            )

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
    caught up, each exactly once, and periods due again (``contract.due_again``, whose
    invoice was deleted before it was sent) are created again first. Each invoice holds
    the recurring items and the one-off items still NOT_BILLED (the first invoice takes
    those); a period with no item to bill gets no invoice. Each item gets its billing
    mark: a one-off item TRANSFERRED to its invoice (BILLED when the invoice is created
    SENT), a recurring item the period in ``periods`` (``billed_periods`` when SENT); an
    invoice created before SENT is sent with :func:`send_series_invoice` or deleted with
    :func:`delete_series_invoice`. Each line is its item's line with ``source`` set to the
    item's id and the period appended to its description for a recurring item. The series
    acts on each invoice's own date: ``actor`` creates the draft and takes it to
    ``contract.target`` with :func:`dunlib.transition` / :func:`dunlib.send` (SUBMIT for
    CREATED; the skips 0→2 for REVIEWED and 0→3 for SENT, which only an automatic actor
    may take and only where ``authority`` allows, else
    :class:`~dunlib.core.errors.InvalidValueError` before anything is created). For SENT a
    ``sequence`` is required; the invoices take its numbers in order, so the sequence after
    the call is ``sequence`` advanced by the number of invoices returned.
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
    again = tuple(k for k in contract.due_again if contract.invoice_date(k) > day)
    period = contract.next_period
    due = [k for k in contract.due_again if k not in again]
    while contract.has_period(period) and contract.invoice_date(period) <= day:
        due.append(period)
        period += 1
    for each in due:
        dated = contract.invoice_date(each)
        billed = [item for item in items if item.due]
        if not billed:
            continue
        first = contract.period_start(each)
        upto = add_days(add_months(contract.start, (each + 1) * contract.interval.months), -1)
        invoice = create_draft(
            id=f"{contract.id}-{each + 1}",
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
                done = send(invoice, actor=actor, on=dated, authority=authority, sequence=numbers)
                invoice, numbers = done.invoice, done.sequence
            else:
                invoice = transition(invoice, command, actor=actor, on=dated, authority=authority)
        created.append(invoice)
        sent = invoice.status.is_booked
        items = tuple(_taken(item, invoice.id, each, sent) if item.due else item for item in items)
    return SeriesBilled(
        invoices=tuple(created),
        contract=attrs.evolve(contract, items=items, next_period=period, due_again=again),
    )


def _mark(periods: tuple[int, ...], billed: tuple[int, ...]) -> BillingFlag:
    """A recurring item's mark: the dash while an invoice of it waits to be sent, else the
    tick once one was sent."""
    if periods:
        return BillingFlag.TRANSFERRED
    return BillingFlag.BILLED if billed else BillingFlag.NOT_BILLED


def _taken(item: ContractItem, invoice: str, period: int, sent: bool) -> ContractItem:
    """``item`` taken into ``invoice`` of ``period`` (sent already when ``sent``)."""
    if not item.recurring:
        flag = BillingFlag.BILLED if sent else BillingFlag.TRANSFERRED
        return attrs.evolve(item, flag=flag, invoice_id=invoice)
    periods = item.periods if sent else tuple(sorted((*item.periods, period)))
    billed = tuple(sorted((*item.billed_periods, period))) if sent else item.billed_periods
    return attrs.evolve(item, periods=periods, billed_periods=billed, flag=_mark(periods, billed))


def _released(item: ContractItem, invoice: str, period: int) -> ContractItem:
    """``item`` released from ``invoice`` of ``period`` (unchanged when not on it)."""
    if not item.recurring:
        if item.flag is BillingFlag.TRANSFERRED and item.invoice_id == invoice:
            return attrs.evolve(item, flag=BillingFlag.NOT_BILLED, invoice_id=None)
        return item
    if period not in item.periods:
        return item
    periods = tuple(k for k in item.periods if k != period)
    return attrs.evolve(item, periods=periods, flag=_mark(periods, item.billed_periods))


def _billed(item: ContractItem, invoice: str, period: int) -> ContractItem:
    """``item`` on ``invoice`` of ``period``, which was sent: the tick."""
    if not item.recurring:
        return attrs.evolve(item, flag=BillingFlag.BILLED)
    periods = tuple(k for k in item.periods if k != period)
    billed = tuple(sorted((*item.billed_periods, period)))
    return attrs.evolve(item, periods=periods, billed_periods=billed, flag=_mark(periods, billed))


def _period_of(contract: Contract, invoice: Invoice, attempted: str) -> int:
    """The period of ``contract`` whose unsent invoice ``invoice`` is (by its id)."""
    checked_invoice(invoice, attempted)
    if not isinstance(contract, Contract):
        raise InvalidTypeError(f"{attempted}.contract", contract, "a Contract")
    if invoice.status.is_booked:
        raise InvalidValueError(
            f"{attempted}.invoice",
            invoice.id,
            f"an invoice not sent yet (0 to 2; invoice {invoice.known_as} is "
            f"{invoice.status.name})",
        )
    prefix, _, number = invoice.id.rpartition("-")
    period = int(number) - 1 if number.isdigit() and prefix == contract.id else -1
    if not 0 <= period < contract.next_period or period in contract.due_again:
        raise InvalidValueError(
            f"{attempted}.invoice",
            invoice.id,
            f"an invoice contract {contract.id} created and not deleted "
            f"({contract.id}-1 to {contract.id}-{contract.next_period}, "
            f"not those due again {[k + 1 for k in contract.due_again]})",
        )
    return period


def _on_lines(contract: Contract, invoice: Invoice, period: int) -> set[str]:
    """The contract's items on ``invoice``'s lines, checked: each taken into this invoice
    (a one-off item TRANSFERRED to it, a recurring one for its period), once, whole."""
    on_lines: set[str] = set()
    by_id = {item.id: item for item in contract.items}
    for index, line in enumerate(invoice.lines):
        if line.source is None:
            continue
        field = f"send_series_invoice.invoice.lines[{index}]"
        item = by_id.get(line.source)
        if item is None:
            raise InvalidValueError(
                f"{field}.source", line.source, f"the id of an item of contract {contract.id}"
            )
        taken = (
            period in item.periods
            if item.recurring
            else (item.flag is BillingFlag.TRANSFERRED and item.invoice_id == invoice.id)
        )
        if not taken:
            raise BillingFlagError(
                item=item.id,
                flag=item.flag,
                attempted=f"send invoice {invoice.known_as} of contract {contract.id}",
                expected=f"TRANSFERRED to invoice {invoice.known_as}"
                + (f" for period {period + 1}" if item.recurring else ""),
            )
        if item.id in on_lines:
            raise InvalidValueError(f"{field}.source", item.id, "each item on one line only")
        if line.quantity != item.line.quantity:
            raise InvalidValueError(
                f"{field}.quantity",
                line.quantity,
                f"the quantity of item {item.id} of contract {contract.id} "
                f"({item.line.quantity}): an item is billed whole",
            )
        on_lines.add(item.id)
    return on_lines


@attrs.frozen(kw_only=True)
class SeriesSent:
    """What :func:`send_series_invoice` did: the invoice sent (with the number sequence to
    pass on) and the contract with the invoice's items marked billed."""

    sent: Sent
    contract: Contract


def send_series_invoice(
    invoice: Invoice,
    contract: Contract,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
    sequence: NumberSequence,
) -> SeriesSent:
    """Send ``invoice``, created by ``contract``'s series before SENT (:func:`dunlib.send`),
    and mark its items billed: a one-off item gets the tick (BILLED), a recurring one with the
    invoice's period moved to ``billed_periods``.

    Checked before anything is sent: the invoice is one the series created and did not
    delete (by its id, ``<contract id>-<period>``), and every line with a ``source`` is an
    item taken into it, each on one line and with its whole quantity. Items taken into the
    invoice whose lines were removed from the draft are released: a one-off item is
    NOT_BILLED again (the next invoice takes it), a recurring one is not billed for that
    period. Every check of :func:`dunlib.send` applies; a refused send changes neither the
    invoice nor the contract.
    """
    period = _period_of(contract, invoice, "send_series_invoice")
    on_lines = _on_lines(contract, invoice, period)
    sent = send(invoice, actor=actor, on=on, authority=authority, sequence=sequence)
    items = tuple(
        _billed(item, invoice.id, period)
        if item.id in on_lines
        else _released(item, invoice.id, period)
        for item in contract.items
    )
    return SeriesSent(sent=sent, contract=attrs.evolve(contract, items=items))


def delete_series_invoice(invoice: Invoice, contract: Contract) -> Contract:
    """The contract after ``invoice``, created by its series and not sent yet (0 to 2), is
    deleted: its items released and its period due again.

    Every one-off item TRANSFERRED to the invoice is NOT_BILLED again and every recurring
    item loses the invoice's period from ``periods``; the period joins ``due_again``, so the
    next :func:`invoices_due` creates its invoice anew (with the one-off items released)
    and nothing is left unbilled. The caller discards the invoice. A sent invoice is never
    deleted: it is cancelled (:func:`dunlib.cancel`).
    """
    period = _period_of(contract, invoice, "delete_series_invoice")
    return attrs.evolve(
        contract,
        items=tuple(_released(item, invoice.id, period) for item in contract.items),
        due_again=tuple(sorted((*contract.due_again, period))),
    )


def _line(contract: Contract, item: ContractItem, first: _dt.date, upto: _dt.date) -> LineItem:
    """The invoice line of ``item``: recurring items of a periodic series name their period."""
    if not item.recurring or contract.interval is Interval.ONCE:
        return attrs.evolve(item.line, source=item.id)
    text = f"{item.line.description} ({first.isoformat()} to {upto.isoformat()})"
    return attrs.evolve(item.line, description=text, source=item.id)
