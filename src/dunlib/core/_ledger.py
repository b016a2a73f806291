"""The ledger of an invoice's history (internal to :mod:`dunlib.core`): what reads each
history entry and ties the payment, notice, interest charge, credit note, write-off, hold,
recovery or plan it booked to it (kind, order, day, and the amounts its detail names), each
step checked as the transition table allows it at its time. :mod:`dunlib.core._bookings`
walks the history with it.

The invoice is read through :class:`Booked`, the fields these checks read."""

from __future__ import annotations

import datetime as _dt
import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

import attrs

from dunlib.core.errors import InvalidValueError
from dunlib.core.exact import EXACT
from dunlib.core.history import DOCUMENT_DETAIL, EventKind, HistoryEntry
from dunlib.core.instalments import InstalmentPlan, plan_state
from dunlib.core.money import Money, sum_money
from dunlib.core.records import (
    CreditNote,
    DeliveryChannel,
    FeeWaiver,
    Hold,
    HoldKind,
    InterestCharge,
    IssuedStage,
    Payment,
    PaymentTerms,
    Recovery,
    Reversal,
    WriteOff,
)
from dunlib.core.status import Status
from dunlib.core.transitions import ROWS, Command

_ZERO = Decimal(0)
_BOOKED = frozenset(status for status in Status if status.is_booked)


def _default_due_date(invoice: Booked) -> _dt.date:
    """Issue date plus the terms' net days (bad inputs are left for their own validators)."""
    issue_date, terms = invoice.issue_date, invoice.terms
    is_day = isinstance(issue_date, _dt.date) and not isinstance(issue_date, _dt.datetime)
    if not isinstance(terms, PaymentTerms) or not is_day:
        return issue_date
    try:
        return terms.due_date(issue_date)
    except InvalidValueError:
        raise InvalidValueError(
            "Invoice.terms", terms, f"net days that keep the due date of {issue_date} before 10000"
        ) from None


_Gross = Callable[["Booked"], Decimal]
"""What gives an invoice's gross (from its lines and currency)."""


class Booked(Protocol):
    """What the checks read of an invoice."""

    @property
    def status(self) -> Status: ...
    @property
    def currency(self) -> str: ...
    @property
    def issue_date(self) -> _dt.date: ...
    @property
    def due_date(self) -> _dt.date: ...
    @property
    def terms(self) -> PaymentTerms: ...
    @property
    def paused_since(self) -> _dt.date | None: ...
    @property
    def channel(self) -> DeliveryChannel: ...
    @property
    def history(self) -> tuple[HistoryEntry, ...]: ...
    @property
    def payments(self) -> tuple[Payment, ...]: ...
    @property
    def issued_stages(self) -> tuple[IssuedStage, ...]: ...
    @property
    def interest_charges(self) -> tuple[InterestCharge, ...]: ...
    @property
    def credit_notes(self) -> tuple[CreditNote, ...]: ...
    @property
    def write_offs(self) -> tuple[WriteOff, ...]: ...
    @property
    def holds(self) -> tuple[Hold, ...]: ...
    @property
    def recoveries(self) -> tuple[Recovery, ...]: ...
    @property
    def instalment_plans(self) -> tuple[InstalmentPlan, ...]: ...
    @property
    def reversals(self) -> tuple[Reversal, ...]: ...
    @property
    def fee_waivers(self) -> tuple[FeeWaiver, ...]: ...
    @property
    def known_as(self) -> str: ...
    @property
    def _amounts(self) -> Any: ...


class _Marks:
    """What an invoice's history tells its dunning, read once (private): the day of its
    latest entry (None: no entry), whether it was escalated (handed to collection or its
    service blocked), the kind of its last pause or resume entry (None: neither), and how
    many entries were read; and where reading them left the bookings: how many of each
    kind the entries booked (:data:`_BOOKINGS`), the open amount less the gross that far,
    and the day of the pause in force (None: dunning runs).

    Read when the invoice is built, and checked as they are read: the entries in date
    order, each taking the invoice from where the one before left it (from DRAFT, for the
    first) by a move the transition table has, of the kind that move's operation records,
    and nothing after the draft dated before the issue date; each booking tied to the
    entry that booked it (:class:`_Ledger`). An invoice :func:`extended` from another one
    reads only the entries it appended, from the other's marks.
    """

    __slots__ = ("count", "escalated", "latest", "open_less_gross", "paused", "switch", "taken")

    def __init__(
        self,
        latest: _dt.date | None,
        escalated: bool,
        switch: EventKind | None,
        count: int,
        taken: tuple[int, ...] = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        open_less_gross: Decimal = _ZERO,
        paused: _dt.date | None = None,
    ) -> None:
        self.latest, self.escalated, self.switch, self.count = latest, escalated, switch, count
        self.taken, self.open_less_gross, self.paused = taken, open_less_gross, paused


_PAUSED, _RESUMED = EventKind.DUNNING_PAUSED, EventKind.DUNNING_RESUMED
_HANDED_OVER, _BLOCKED = EventKind.HANDED_TO_COLLECTION, EventKind.SERVICE_BLOCKED
_CREATED, _TRANSITION = EventKind.CREATED, EventKind.TRANSITION
_KIND_OF = {
    Command.SUBMIT: _TRANSITION,
    Command.APPROVE: _TRANSITION,
    Command.REJECT: _TRANSITION,
    Command.SEND: _TRANSITION,
    Command.CANCEL: _TRANSITION,
    Command.PAY: EventKind.PAYMENT,
    Command.CREDIT: EventKind.CREDIT_NOTE,
    Command.ISSUE_EARLY: EventKind.STAGE_ISSUED,
    Command.DUN: EventKind.STAGE_ISSUED,
    Command.INTEREST: EventKind.INTEREST,
    Command.PAUSE: _PAUSED,
    Command.RESUME: _RESUMED,
    Command.WRITE_OFF: EventKind.WRITE_OFF,
    Command.COLLECT: _HANDED_OVER,
    Command.BLOCK: _BLOCKED,
    Command.HOLD: EventKind.HOLD_PLACED,
    Command.LIFT_HOLD: EventKind.HOLD_LIFTED,
    Command.BOOK_BY_HAND: EventKind.BOOKED_BY_HAND,
    Command.RECOVER: EventKind.RECOVERY,
    Command.AGREE_PLAN: EventKind.PLAN_AGREED,
    Command.CANCEL_PLAN: EventKind.PLAN_CANCELLED,
    Command.MAKE_DOCUMENT: EventKind.DOCUMENT_MADE,
    Command.RESEND: EventKind.DOCUMENT_RESENT,
    Command.PRINT: EventKind.DOCUMENT_PRINTED,
    Command.WAIVE_FEE: EventKind.FEE_WAIVED,
    Command.REVERSE: EventKind.PAYMENT_REVERSED,
    Command.REOPEN_DUNNED: EventKind.PAYMENT_REVERSED,
}
"""The kind of history entry each booking row's operation records (the notice rows record
nothing on the invoice; SETTLE, below, is the step of a payment, a credit note or the
clearing of a cancelling invoice)."""


def _kind_moves() -> dict[EventKind, frozenset[tuple[Status, Status]]]:
    moves: dict[EventKind, set[tuple[Status, Status]]] = {kind: set() for kind in EventKind}
    for row in ROWS:
        kinds = (
            (EventKind.PAYMENT, EventKind.CREDIT_NOTE, EventKind.WRITE_OFF, EventKind.FEE_WAIVED)
            if row.command is Command.SETTLE
            else (_KIND_OF[row.command],)
            if row.command in _KIND_OF
            else ()
        )
        for kind in kinds:
            moves[kind].add((row.source, row.target))
    for kind in (_CREATED, EventKind.LINES_EDITED, EventKind.MERGED):
        moves[kind].add((Status.DRAFT, Status.DRAFT))
    moves[_CREATED].add((Status.DRAFT, Status.REVIEWED))  # created reviewed (a series)
    return {kind: frozenset(pairs) for kind, pairs in moves.items()}


_KIND_MOVES = _kind_moves()
"""The (from, to) moves a history entry of each kind records: the rows whose operation
writes that kind, the drafting kinds in DRAFT, a creation also straight into REVIEWED (as
the workflow counts it: drafted and reviewed by its creator), NOTE none."""


def _kind_expected(index: int, source: Status, target: Status) -> str:
    """What kind the entry ``index`` moving from ``source`` to ``target`` may be."""
    if index == 0:
        return "CREATED or TRANSITION: the first entry drafts, or takes a draft a step on"
    kinds = [
        kind.name
        for kind, moves in _KIND_MOVES.items()
        if (source, target) in moves and kind is not _CREATED
    ]
    return f"a kind the move from {source} to {target} records ({', '.join(kinds) or 'none'})"


_BOOKINGS = (
    "payments",
    "issued_stages",
    "interest_charges",
    "credit_notes",
    "write_offs",
    "holds",
    "recoveries",
    "instalment_plans",
    "reversals",
    "fee_waivers",
)
"""The invoice's bookings (and holds), each tied to the history entry that booked it."""
_PAYMENTS, _NOTICES, _INTEREST, _CREDITS, _WRITE_OFFS, _HOLDS, _RECOVERIES, _PLANS = range(8)
_REVERSALS, _WAIVERS = 8, 9
_ALL_BOOKINGS = operator.attrgetter(*_BOOKINGS)
_BOOKED_BY = {
    _PAYMENTS: "PAYMENT",
    _NOTICES: "STAGE_ISSUED",
    _INTEREST: "INTEREST or STAGE_ISSUED",
    _CREDITS: "CREDIT_NOTE",
    _WRITE_OFFS: "WRITE_OFF, TRANSITION to CANCELLED, or BOOKED_BY_HAND",
    _HOLDS: "HOLD_PLACED",
    _RECOVERIES: "RECOVERY",
    _PLANS: "PLAN_AGREED",
    _REVERSALS: "PAYMENT_REVERSED",
    _WAIVERS: "FEE_WAIVED",
}
_PAYMENT_DETAIL = re.compile(
    r"payment of (\S+) \S+ received(?:; cash discount (\S+) \S+ granted)?"
    r"(?:; overpaid by (\S+) \S+)?; open (\S+) \S+"
)
"""The detail :func:`dunlib.record_payment` writes: received, discount, overpaid, open."""
_DUE_NAMED = re.compile(r", due (\d{4}-\d{2}-\d{2})\b")
"""The due date a sending entry names (:func:`dunlib.send`, :meth:`Invoice.sent`)."""
_UNBOOKED = frozenset(status for status in Status if not status.is_booked)
_UNFIT = {
    EventKind.DOCUMENT_RESENT: DeliveryChannel.PAPER,
    EventKind.DOCUMENT_PRINTED: DeliveryChannel.ONLINE,
}
"""The channel a document cannot be sent again by e-mail (paper) or printed for (online)."""


_LIFTED = {f"{kind.value} hold lifted": kind for kind in HoldKind}
"""The kind of hold a lift names (:func:`dunlib.lift_hold` writes '<kind> hold lifted')."""


def _held(hold: Hold, day: _dt.date) -> bool:
    """Whether ``hold`` held on ``day`` before it was lifted."""
    return attrs.evolve(hold, lifted_on=None).holds_on(today=day)


class _Ledger:
    """The bookings of an invoice read along its history (private), as the operations
    booked them: each booking (payment, notice, interest charge, credit note, write-off,
    hold) taken in order by the entry of the kind that booked it and dated on its day;
    the amounts (and a write-off's reason) an entry's detail names those of its bookings
    and of the amount open then; and the guards of the row each entry records (a reminder
    before the due date, without a fee, dunning and interest only when due and with money
    open, only while dunning runs and no hold holds, payments and credit notes within what
    is open and settling it when nothing is left, a cash discount within what the terms
    give that day and settling, pause and resume alternating, one escalation, a hold
    placed while none of its kind holds and lifted while it holds, a cancellation of
    nothing paid or credited).

    Each method reading an entry (``index``, ``entry``) answers the problem with it and its
    bookings, or None; :data:`_STEPS` names the one for each kind of entry and move.
    """

    __slots__ = (
        "credited",
        "discounts",
        "dunned",
        "escalated",
        "fees",
        "found",
        "gross",
        "gross_of",
        "interest_charged",
        "invoice",
        "marks",
        "open_less_gross",
        "paid",
        "paused",
        "switch",
        "taken",
        "written_off",
    )
    gross: Decimal | None
    """The invoice's gross, once an entry needed it."""
    marks: _Marks
    """The marks the history leaves (once read, :func:`walk`)."""
    found: tuple[str, Any, str] | None
    """The first problem with a kind or a booking (None: none; once read)."""

    def __init__(self, invoice: Booked, marks: _Marks, gross_of: _Gross | None) -> None:
        self.invoice, self.gross, self.gross_of = invoice, None, gross_of
        self.taken = list(marks.taken)
        self.open_less_gross = marks.open_less_gross
        self.paused = marks.paused
        self.escalated = marks.escalated
        self.switch = marks.switch
        self.dunned = False  # whether a notice the entries read dunned
        # what the entries read booked of each amount (from the start: the invoice's own)
        zero = Money.zero(invoice.currency).amount
        self.fees = self.interest_charged = self.paid = self.discounts = zero
        self.credited = self.written_off = zero

    def _gross(self) -> Decimal:
        gross = self.gross
        if gross is None:
            invoice, gross_of = self.invoice, self.gross_of
            gross = invoice._amounts.gross if gross_of is None else gross_of(invoice)
            self.gross = gross
        return gross

    def _open(self) -> Decimal:
        """What was open before the entry being read."""
        gross = self.gross
        if gross is None:
            gross = self._gross()
        return EXACT.add(gross, self.open_less_gross)

    def _less(self, amount: Decimal) -> None:
        self.open_less_gross = EXACT.subtract(self.open_less_gross, amount)

    def _more(self, amount: Decimal) -> None:
        self.open_less_gross = EXACT.add(self.open_less_gross, amount)

    def _take(self, at: int, index: int, day: _dt.date) -> tuple[Any, tuple[str, Any, str] | None]:
        """The next booking of ``_BOOKINGS[at]``, booked by entry ``index`` on ``day``; or
        the problem (it is missing, or dated on another day)."""
        name = _BOOKINGS[at]
        items, taken = getattr(self.invoice, name), self.taken[at]
        if taken == len(items):
            entry = self.invoice.history[index]
            return None, (
                f"history[{index}].kind",
                entry.kind,
                f"an entry that books no more {name}: the invoice has {taken} and entries "
                f"before this one booked them all",
            )
        item = items[taken]
        if item.on != day:
            return None, (
                f"{name}[{taken}].on",
                item.on,
                f"{day}, the day of history[{index}] that booked it",
            )
        self.taken[at] = taken + 1
        return item, None

    def _guards(self, day: _dt.date, *, open_: bool, due: bool = False) -> str | None:
        """Why a dunning step (notice, interest, escalation) on ``day`` is one the table
        refuses: before the due date (``due``), with nothing open (``open_``), while dunning
        is paused or held; None when it is not."""
        invoice = self.invoice
        if due and day <= invoice.due_date:
            return f"a step after the due date {invoice.due_date}"
        if open_ and not self._open() > 0:
            return "a step on an invoice with money open"
        if self.paused is not None:
            return f"a step while dunning runs (paused since {self.paused})"
        for hold in invoice.holds[: self.taken[_HOLDS]] if invoice.holds else ():
            if hold.holds_on(today=day):
                return f"a step while no hold holds (a {hold.kind.value} hold since {hold.on})"
        if self.taken[_PLANS]:
            plan = self._plan_holding(day)
            if plan is not None:
                return f"a step while no instalment plan holds (one holds since {plan.on})"
        return None

    def _plan_holding(self, day: _dt.date, *, ignore_cancel: bool = False) -> Any:
        """The plan agreed in the entries read so far that holds on ``day`` by the payments
        and credit notes read so far (``ignore_cancel``: as if not cancelled), or None."""
        invoice, taken = self.invoice, self.taken
        payments = invoice.payments[: taken[_PAYMENTS]]
        if taken[_REVERSALS]:
            back = {r.payment for r in invoice.reversals[: taken[_REVERSALS]]}
            payments = tuple(p for i, p in enumerate(payments) if i not in back)
        notes = invoice.credit_notes[: taken[_CREDITS]]
        for plan in invoice.instalment_plans[: taken[_PLANS]]:
            read = plan
            if ignore_cancel and plan.cancelled_on == day:
                read = attrs.evolve(plan, cancelled_on=None)
            if plan_state(read, payments, notes, today=day).holds:
                return plan
        return None

    def recovery(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A recovery on a written-off invoice, within what was written off and not yet
        recovered (guard recoverable), its detail naming it and the total recovered."""
        invoice = self.invoice
        item, problem = self._take(_RECOVERIES, index, entry.on)
        if problem is not None:
            return problem
        code = invoice.currency
        written = sum_money((w.amount for w in invoice.write_offs), code)
        recovered = sum_money(
            (r.amount for r in invoice.recoveries[: self.taken[_RECOVERIES]]), code
        )
        if item.amount.currency != code or recovered > written:
            return (
                f"recoveries[{self.taken[_RECOVERIES] - 1}].amount",
                item.amount,
                f"at most {written - recovered + item.amount}, what was written off and not "
                "recovered yet",
            )
        text = item.described(recovered=recovered, written_off=written)
        if entry.detail != text:
            return f"history[{index}].detail", entry.detail, repr(text)
        return None

    def plan(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A plan agreed on its day for exactly what was open, nothing paid or credited on
        that day before it, while no other plan holds (guards open, no-plan, covers-open)."""
        invoice, day = self.invoice, entry.on
        earlier = self._plan_holding(day)
        item, problem = self._take(_PLANS, index, day)
        if problem is not None:
            return problem
        at = self.taken[_PLANS] - 1
        if entry.detail != item.described():
            return f"history[{index}].detail", entry.detail, repr(item.described())
        opened = self._open()
        settled_that_day = any(
            p.on == day for p in invoice.payments[: self.taken[_PAYMENTS]]
        ) or any(n.on == day for n in invoice.credit_notes[: self.taken[_CREDITS]])
        if item.currency != invoice.currency or item.total.amount != opened or settled_that_day:
            return (
                f"instalment_plans[{at}].instalments",
                item.instalments,
                f"instalments adding up to {self._money(opened)}, what was open, with nothing "
                f"paid or credited on {day} before (guard covers-open)",
            )
        if earlier is not None:
            return (
                f"history[{index}].kind",
                entry.kind,
                f"a plan agreed while no plan holds (one holds since {earlier.on})",
            )
        return None

    def plan_cancelled(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A cancellation of the plan that holds on its day, cancelled that day (guard
        planned)."""
        day = entry.on
        plan = self._plan_holding(day, ignore_cancel=True)
        if plan is None or plan.cancelled_on != day:
            return (
                f"history[{index}].kind",
                entry.kind,
                f"a cancellation of a plan that holds on {day}, cancelled that day (guard planned)",
            )
        return None

    def booked_nothing(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """An entry that books nothing (a step of the workflow, a draft's edit)."""
        return None

    def sent(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """Sending dates the invoice and sets its due date: the issue date is the entry's
        day, the due date the one it names (else the terms' from the issue date)."""
        invoice, day = self.invoice, entry.on
        if day != invoice.issue_date:
            return (
                f"history[{index}].on",
                day,
                f"the issue date {invoice.issue_date}: sending dates the invoice",
            )
        named = _DUE_NAMED.search(entry.detail) if ", due " in entry.detail else None
        if named is None and (invoice.due_date - day).days == invoice.terms.net_days:
            return None  # the terms' due date, as sending computes it
        due = _dt.date.fromisoformat(named[1]) if named else _default_due_date(invoice)
        if invoice.due_date != due:
            return "due_date", invoice.due_date, f"{due}, the due date set when it was sent"
        return None

    def interest(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        day = entry.on
        charge, problem = self._take(_INTEREST, index, day)
        if problem is not None:
            return problem
        amount = charge.amount
        if not entry.detail.startswith(f"default interest of {amount} charged"):
            return f"history[{index}].detail", entry.detail, f"one naming {amount} charged"
        reason = self._guards(day, open_=True, due=True)
        self._more(amount.amount)
        self.interest_charged = EXACT.add(self.interest_charged, amount.amount)
        return None if reason is None else (f"history[{index}].kind", entry.kind, reason)

    def write_off(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A write-off of what is open: as uncollectible (the WRITE_OFF row), one write-off
        its detail names with its reason and amount; a cancelling invoice cleared (SETTLE),
        with the reason its detail gives."""
        before = self._open()
        written = self._written_off(entry.on)
        detail = entry.detail
        if entry.to_status is Status.WRITTEN_OFF:
            one = written[0] if len(written) == 1 else None
            if one is None or detail != f"written off as {one.reason}: {one.amount}":
                return (
                    f"history[{index}].detail",
                    detail,
                    f"'written off as <reason>: {self._money(before)}' naming its write-off",
                )
        elif any(w.reason != detail for w in written):
            return f"history[{index}].detail", detail, "the reason of the write-off it books"
        return None  # of what was open: the state written off or paid has nothing open

    def switched(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A pause while dunning runs, a resume while it is paused."""
        kind = entry.kind
        self.switch = kind
        if (kind is _PAUSED) is (self.paused is not None):
            expected = "a pause while dunning runs" if self.paused is None else "a resume"
            return f"history[{index}].kind", kind, f"{expected} (pause, resume, alternating)"
        self.paused = entry.on if kind is _PAUSED else None
        return None

    def escalation(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        reason = (  # a dunned invoice has money open
            "one escalation only" if self.escalated else self._guards(entry.on, open_=False)
        )
        self.escalated = True
        return None if reason is None else (f"history[{index}].kind", entry.kind, reason)

    def hold(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A hold placed while no hold of its kind holds (the HOLD row's guard not-held)."""
        day = entry.on
        hold, problem = self._take(_HOLDS, index, day)
        if problem is not None:
            return problem
        for earlier in self.invoice.holds[: self.taken[_HOLDS] - 1]:
            if earlier.kind is hold.kind and earlier.holds_on(today=day):
                return (
                    f"history[{index}].kind",
                    entry.kind,
                    f"a hold placed while no {hold.kind.value} hold holds (guard not-held: "
                    f"one holds since {earlier.on})",
                )
        return None

    def lift(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A lift of the hold of the kind it names that holds on its day (the LIFT_HOLD
        row's guard held), which it lifted: the hold is lifted on that day."""
        day, detail = entry.on, entry.detail
        kind = _LIFTED.get(detail.partition(": ")[0])
        if kind is None:
            return (
                f"history[{index}].detail",
                detail,
                "what lift_hold writes: '<kind> hold lifted[: <reason>]'",
            )
        if not any(
            hold.kind is kind and hold.lifted_on == day and _held(hold, day)
            for hold in self.invoice.holds[: self.taken[_HOLDS]]
        ):
            return (
                f"history[{index}].kind",
                entry.kind,
                f"a lift of a {kind.value} hold that holds on {day}, lifted that day (guard held)",
            )
        return None

    def _money(self, amount: Decimal) -> Money:
        return Money._trusted(amount, self.invoice.currency)

    def _discount_offer(self, day: _dt.date) -> Decimal:
        """The cash discount the terms give a payment on ``day`` after the entries read so
        far, as :func:`dunlib.payments.discount_offer` decides it: on the gross less the
        credit notes booked so far (none was taken before: a discount settles the invoice,
        and nothing is paid after that)."""
        invoice = self.invoice
        notes = invoice.credit_notes[: self.taken[_CREDITS]]
        credited = sum_money((note.amount for note in notes), invoice.currency).amount
        base = self._money(EXACT.subtract(self._gross(), credited))
        return invoice.terms.discount_on(base, issue_date=invoice.issue_date, on=day).amount

    def _settles(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A payment or credit note that leaves nothing open moves on to PAID (one that
        leaves money open in PAID, the last state, is refused as that state)."""
        if entry.to_status is not Status.PAID and not self._open() > 0:
            return f"history[{index}].to_status", entry.to_status, "PAID: nothing is left open"
        return None

    def payment(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        invoice = self.invoice
        payments, taken = invoice.payments, self.taken[_PAYMENTS]
        if taken < len(payments):  # the usual entry, as record_payment writes it
            payment = payments[taken]
            amount, code = payment.amount.amount, invoice.currency
            less_gross = self.open_less_gross
            left = EXACT.subtract(EXACT.add(self.gross or self._gross(), less_gross), amount)
            if (
                payment.discount is None
                and payment.on == entry.on
                and left >= 0
                and entry.detail
                == "payment of "
                + str(amount)
                + " "
                + code
                + " received; open "
                + str(left)
                + " "
                + code
            ):
                self.taken[_PAYMENTS] = taken + 1
                self.open_less_gross = EXACT.subtract(less_gross, amount)
                self.paid = EXACT.add(self.paid, amount)
                return None if left > 0 else self._settles(index, entry)
        found = _PAYMENT_DETAIL.fullmatch(entry.detail)
        if found is None:
            return (
                f"history[{index}].detail",
                entry.detail,
                "what record_payment writes: 'payment of … received[; …]; open …'",
            )
        received, discount, over, left = (
            _ZERO if text is None else Decimal(text) for text in found.groups()
        )
        applied = EXACT.subtract(received, over)
        before = max(self._open(), _ZERO)
        if applied:
            payment, problem = self._take(_PAYMENTS, index, entry.on)
            if problem is not None:
                return problem
            at = self.taken[_PAYMENTS] - 1
            if payment.amount.amount != applied:
                return (
                    f"payments[{at}].amount",
                    payment.amount,
                    f"{applied}, the amount history[{index}] booked",
                )
            granted = _ZERO if payment.discount is None else payment.discount.amount
            if granted != discount:
                return (
                    f"payments[{at}].discount",
                    payment.discount,
                    f"{discount or None}, the discount history[{index}] granted",
                )
            self._less(EXACT.add(applied, discount))
            self.paid = EXACT.add(self.paid, applied)
            if payment.discount is not None:
                self.discounts = EXACT.add(self.discounts, discount)
        expected = EXACT.subtract(EXACT.subtract(before, applied), discount)
        valued = payment.valued if applied else entry.on  # the day the money arrived
        if discount and (over or expected or discount > self._discount_offer(valued)):
            return (  # as record_payment grants it: within the terms' offer, settling
                f"history[{index}].detail",
                entry.detail,
                f"a cash discount of at most {self._money(self._discount_offer(valued))}, "
                f"what the terms give on {valued}, granted with a payment that settles the "
                f"invoice ({before} open)",
            )
        if left != expected or expected < 0:
            return (
                f"history[{index}].detail",
                entry.detail,
                f"a payment of at most {before} leaving {expected} open",
            )
        return self._settles(index, entry)

    def reversal(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A payment taken back: one booked before and not taken back yet (guard
        reversible), what it settled open again, its detail naming it and what is open
        after; a paid invoice reopens as dunned when a notice dunned it, else as sent."""
        invoice = self.invoice
        item, problem = self._take(_REVERSALS, index, entry.on)
        if problem is not None:
            return problem
        at, position = self.taken[_REVERSALS] - 1, item.payment
        earlier = {r.payment for r in invoice.reversals[:at]}
        if position >= self.taken[_PAYMENTS] or position in earlier:
            return (
                f"reversals[{at}].payment",
                position,
                f"a payment booked before history[{index}] and not taken back yet",
            )
        payment = invoice.payments[position]
        settled = payment.settled.amount
        self._more(settled)
        self.paid = EXACT.subtract(self.paid, payment.amount.amount)
        if payment.discount is not None:
            self.discounts = EXACT.subtract(self.discounts, payment.discount.amount)
        text = item.described(payment, left=self._money(self._open()))
        if entry.detail != text:
            return f"history[{index}].detail", entry.detail, repr(text)
        if entry.from_status is Status.PAID:
            dunned = any(
                e.kind is EventKind.STAGE_ISSUED and e.to_status is Status.DUNNED
                for e in invoice.history[:index]
            )
            if (entry.to_status is Status.DUNNED) is not dunned:
                again = "DUNNED: a notice dunned it" if dunned else "SENT: no notice dunned it"
                return f"history[{index}].to_status", entry.to_status, again
        return None

    def waiver(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """Fees taken back: at most the fees charged and not waived yet, and what is open
        (guard within-fees), its detail naming it and what is open after; one that leaves
        nothing open settles the invoice."""
        before = self._open()
        item, problem = self._take(_WAIVERS, index, entry.on)
        if problem is not None:
            return problem
        invoice, code = self.invoice, self.invoice.currency
        at, amount = self.taken[_WAIVERS] - 1, item.amount.amount
        charged = sum_money((n.fee for n in invoice.issued_stages[: self.taken[_NOTICES]]), code)
        waived = sum_money((w.amount for w in invoice.fee_waivers[:at]), code)
        left = EXACT.subtract(charged.amount, waived.amount)
        if amount > min(left, before):
            return (
                f"fee_waivers[{at}].amount",
                item.amount,
                f"at most {self._money(min(left, before))}: the fees charged and not waived "
                "yet, and at most what is open",
            )
        self._less(amount)
        text = item.described(left=self._money(self._open()))
        if entry.detail != text:
            return f"history[{index}].detail", entry.detail, repr(text)
        return self._settles(index, entry)

    def credit_note(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        before = self._open()
        note, problem = self._take(_CREDITS, index, entry.on)
        if problem is not None:
            return problem
        at = self.taken[_CREDITS] - 1
        text = f"credit note {note.id} of {note.amount}"
        if entry.detail != text:
            return f"history[{index}].detail", entry.detail, repr(text)
        if note.amount.amount > before:
            return f"credit_notes[{at}].amount", note.amount, f"at most {before}, what was open"
        self._less(note.amount.amount)
        self.credited = EXACT.add(self.credited, note.amount.amount)
        return self._settles(index, entry)

    def notice(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        day, invoice = entry.on, self.invoice
        notices, taken = invoice.issued_stages, self.taken[_NOTICES]
        if taken == len(notices) or notices[taken].on != day:
            return self._take(_NOTICES, index, day)[1]
        notice = notices[taken]
        self.taken[_NOTICES] = taken + 1
        dunned = day > invoice.due_date
        if day == invoice.due_date and entry.from_status is not entry.to_status:
            dunned = True  # a stage on the due date that dunned: recorded under the older rule
        if dunned is not (entry.to_status is Status.DUNNED):
            return (
                f"history[{index}].to_status",
                entry.to_status,
                f"DUNNED for a notice after the due date {invoice.due_date}, "
                f"{entry.from_status} for a stage on or before it",
            )
        if (
            self.paused is not None
            or self.taken[_HOLDS]
            or self.taken[_PLANS]
            or (dunned and not self._open() > 0)
        ):
            reason = self._guards(day, open_=dunned)  # the guard that fails, named
            if reason is not None:
                return f"history[{index}].kind", entry.kind, reason
        fee, detail = notice.fee, entry.detail  # the fee and interest it names (str: quick)
        named = ", fee " + str(fee.amount) + " " + fee.currency
        at = detail.find(named)
        told = detail[at + len(named) :] if at >= 0 else None
        if told:  # interest claimed with the notice
            charge, problem = self._take(_INTEREST, index, day)
            if problem is not None:
                return problem
            amount = charge.amount
            if told != ", interest " + str(amount.amount) + " " + amount.currency:
                return f"history[{index}].detail", detail, f"one naming {amount} claimed"
            self._more(amount.amount)
            self.interest_charged = EXACT.add(self.interest_charged, amount.amount)
        elif told is None:
            return f"history[{index}].detail", detail, f"one naming the fee {fee}"
        charged = fee.amount
        if dunned:
            self.dunned = True
        elif charged:  # the state names it
            due = invoice.due_date
            return "issued_stages", notice, f"a stage issued before the due date {due}: no fee"
        if charged:
            self.open_less_gross = EXACT.add(self.open_less_gross, charged)
            self.fees = EXACT.add(self.fees, charged)
        return None

    def document(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A document made, sent again or printed: its detail names the document and its
        hash (:data:`~dunlib.core.history.DOCUMENT_DETAIL`), and one sent again by e-mail or
        printed goes out that way (the rows' guards online and on-paper)."""
        if DOCUMENT_DETAIL.fullmatch(entry.detail) is None:
            expected = "'<document> sha256:<64 lower-case hex digits>', naming it and its hash"
            return f"history[{index}].detail", entry.detail, expected
        channel = self.invoice.channel
        if _UNFIT.get(entry.kind) is channel:
            expected = f"a document made, or sent as the invoice goes out ({channel.name})"
            return f"history[{index}].kind", entry.kind, expected
        return None

    def booked_by_hand(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A negative draft booked by hand: dated and due as sending sets them, and its
        negative total cleared by the one write-off its detail names, leaving nothing open."""
        problem = self.sent(index, entry)
        if problem is not None:
            return problem
        written = self._written_off(entry.on)
        if len(written) != 1 or self._open() or not entry.detail.endswith(written[0].reason):
            return (
                f"history[{index}].detail",
                entry.detail,
                "one naming the one write-off that clears the negative total",
            )
        return None

    def cancelled(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """Read a cancellation: of nothing paid or credited, writing off what it books."""
        if self.taken[_PAYMENTS] > self.taken[_REVERSALS] or self.taken[_CREDITS]:
            return (
                f"history[{index}].to_status",
                entry.to_status,
                f"{entry.from_status}: nothing paid or credited is cancelled",
            )
        written = self._written_off(entry.on)
        named = ", ".join(f"{w.amount} ({w.reason})" for w in written)
        if not entry.detail.endswith("; written off: " + named):
            return (
                f"history[{index}].detail",
                entry.detail,
                f"'cancelled by <number>; written off: {named}', naming what it wrote off",
            )
        return None

    def _written_off(self, day: _dt.date) -> tuple[WriteOff, ...]:
        """Take every write-off dated ``day`` (a cancellation or a write-off books them)."""
        items, start = self.invoice.write_offs, self.taken[_WRITE_OFFS]
        end = start
        while end < len(items) and items[end].on == day:
            amount = items[end].amount.amount
            self._less(amount)
            self.written_off = EXACT.add(self.written_off, amount)
            end += 1
        self.taken[_WRITE_OFFS] = end
        return items[start:end]


_Step = Callable[[_Ledger, int, HistoryEntry], "tuple[str, Any, str] | None"]


def _steps() -> dict[tuple[str, Status, Status], _Step]:
    """For each kind of entry (by name) and each move it records (:data:`_KIND_MOVES`), the
    method of :class:`_Ledger` that reads such an entry."""
    by_kind: dict[EventKind, _Step] = {
        EventKind.PAYMENT: _Ledger.payment,
        EventKind.PAYMENT_REVERSED: _Ledger.reversal,
        EventKind.FEE_WAIVED: _Ledger.waiver,
        EventKind.CREDIT_NOTE: _Ledger.credit_note,
        EventKind.STAGE_ISSUED: _Ledger.notice,
        EventKind.INTEREST: _Ledger.interest,
        EventKind.WRITE_OFF: _Ledger.write_off,
        _PAUSED: _Ledger.switched,
        _RESUMED: _Ledger.switched,
        _HANDED_OVER: _Ledger.escalation,
        _BLOCKED: _Ledger.escalation,
        EventKind.HOLD_PLACED: _Ledger.hold,
        EventKind.HOLD_LIFTED: _Ledger.lift,
        EventKind.BOOKED_BY_HAND: _Ledger.booked_by_hand,
        EventKind.RECOVERY: _Ledger.recovery,
        EventKind.PLAN_AGREED: _Ledger.plan,
        EventKind.PLAN_CANCELLED: _Ledger.plan_cancelled,
        EventKind.DOCUMENT_MADE: _Ledger.document,
        EventKind.DOCUMENT_RESENT: _Ledger.document,
        EventKind.DOCUMENT_PRINTED: _Ledger.document,
    }
    steps: dict[tuple[str, Status, Status], _Step] = {}
    for kind, moves in _KIND_MOVES.items():
        for source, target in moves:
            step = by_kind.get(kind, _Ledger.booked_nothing)
            if kind is _TRANSITION and target is Status.CANCELLED:
                step = _Ledger.cancelled
            elif kind is _TRANSITION and target is Status.SENT and source in _UNBOOKED:
                step = _Ledger.sent
            steps[kind.name, source, target] = step
    return steps


_STEPS = _steps()
"""What reads an entry of each kind (by name) moving from one state to another: every
entry a move of the table records (:data:`_KIND_MOVES`), and no other."""
