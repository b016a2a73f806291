"""How an invoice's history books its bookings (internal to :mod:`dunlib.core`): the marks
the dunning reads from the history, once per invoice, and the ledger that ties each
payment, notice, interest charge, credit note, write-off and hold to the history entry that
booked it (kind, order, day, and the amounts its detail names), each step checked as the
transition table allows it at its time.

The invoice is read through :class:`Booked`, the fields these checks read, so this module
sits below :mod:`dunlib.core.invoice` (which builds its values with them)."""

from __future__ import annotations

import datetime as _dt
import operator
import re
from decimal import Decimal
from typing import Any, Protocol

from dunlib.core import quick
from dunlib.core.errors import InvalidValueError
from dunlib.core.exact import EXACT
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.records import (
    CreditNote,
    Hold,
    InterestCharge,
    IssuedStage,
    Payment,
    PaymentTerms,
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
        taken: tuple[int, ...] = (0, 0, 0, 0, 0, 0),
        open_less_gross: Decimal = _ZERO,
        paused: _dt.date | None = None,
    ) -> None:
        self.latest, self.escalated, self.switch, self.count = latest, escalated, switch, count
        self.taken, self.open_less_gross, self.paused = taken, open_less_gross, paused

    @classmethod
    def of(
        cls, invoice: Booked, prior: _Marks | None = None
    ) -> tuple[_Marks, tuple[str, Any, str] | None]:
        history = invoice.history
        if prior is None:
            prior = _NO_MARKS
        latest, switch, start = prior.latest, prior.switch, prior.count
        before = history[start - 1].to_status if start else Status.DRAFT
        issued = invoice.issue_date
        ledger: _Ledger | None = None  # made at the first entry that books something
        found: tuple[str, Any, str] | None = None  # the first problem with a booking
        for index in range(start, len(history)):
            entry = history[index]
            day, kind, source = entry.on, entry.kind, entry.from_status
            problem: tuple[str, Any, str] | None = None
            if latest is not None and day < latest:
                problem = "on", day, f"on or after {latest}, the day of the step before"
            elif source is not before:
                problem = "from_status", source, f"{before}, where the step before led"
            elif (source, entry.to_status) not in _MOVES:
                problem = "to_status", entry.to_status, f"a state the table leads to from {source}"
            elif source in _BOOKED and day < issued:
                problem = "on", day, f"on or after the issue date {issued}"
            if problem is not None:
                name, value, expected = problem
                raise InvalidValueError(
                    f"Invoice.history[{index}].{name}",
                    value,
                    f"{expected} (invoice {invoice.known_as})",
                )
            target = entry.to_status
            if found is not None:  # the first problem with a kind or a booking, kept for later
                pass
            elif (source, target) not in _KIND_MOVES[kind] or (
                (kind is _CREATED) is not (index == 0) and (index or kind is not _TRANSITION)
            ):
                found = f"history[{index}].kind", kind, _kind_expected(index, source, target)
            elif kind is not _TRANSITION:
                ledger = ledger or _Ledger(invoice, prior)
                found = ledger.read(index, entry)
            elif target is Status.CANCELLED:
                ledger = ledger or _Ledger(invoice, prior)
                found = ledger.cancelled(index, entry)
            elif target is Status.SENT and source in _UNBOOKED:
                found = _send_problem(invoice, index, entry)
            latest, before = day, entry.to_status
            if kind is _PAUSED or kind is _RESUMED:
                switch = kind
        if before is not invoice.status:
            raise InvalidValueError(
                "Invoice.status",
                invoice.status,
                f"{before}, where the last history step led (invoice {invoice.known_as})"
                if history
                else f"DRAFT without a history: build a booked invoice through the "
                f"operations, or Invoice.sent (invoice {invoice.known_as})",
            )
        if ledger is None:
            marks = cls(
                latest,
                prior.escalated,
                switch,
                len(history),
                prior.taken,
                prior.open_less_gross,
                prior.paused,
            )
        else:
            marks = cls(
                latest,
                ledger.escalated,
                switch,
                len(history),
                _counts(*ledger.taken),
                ledger.open_less_gross,
                ledger.paused,
            )
        return marks, found or _unbooked(invoice, marks.taken, marks.paused)


_NO_MARKS = _Marks(None, False, None, 0)


@quick.cached(quick.COUNTS)
def _counts(*taken: int) -> tuple[int, ...]:
    """``taken`` as one tuple shared by every invoice with as many bookings of each kind."""
    return taken


_MOVES = frozenset(
    {(row.source, row.target) for row in ROWS} | {(status, status) for status in Status}
)
"""Every (from, to) pair a history entry may record: a row of the table, or no move."""
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
}
"""The kind of history entry each booking row's operation records (the notice rows record
nothing on the invoice; SETTLE, below, is the step of a payment, a credit note or the
clearing of a cancelling invoice)."""


def _kind_moves() -> dict[EventKind, frozenset[tuple[Status, Status]]]:
    moves: dict[EventKind, set[tuple[Status, Status]]] = {kind: set() for kind in EventKind}
    for row in ROWS:
        kinds = (
            (EventKind.PAYMENT, EventKind.CREDIT_NOTE, EventKind.WRITE_OFF)
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


_BOOKINGS = ("payments", "issued_stages", "interest_charges", "credit_notes", "write_offs", "holds")
"""The invoice's bookings (and holds), each tied to the history entry that booked it."""
_PAYMENTS, _NOTICES, _INTEREST, _CREDITS, _WRITE_OFFS, _HOLDS = range(6)
_ALL_BOOKINGS = operator.attrgetter(*_BOOKINGS)
_BOOKED_BY = {
    _PAYMENTS: "PAYMENT",
    _NOTICES: "STAGE_ISSUED",
    _INTEREST: "INTEREST or STAGE_ISSUED",
    _CREDITS: "CREDIT_NOTE",
    _WRITE_OFFS: "WRITE_OFF, or TRANSITION to CANCELLED",
    _HOLDS: "HOLD_PLACED",
}
_PAYMENT_DETAIL = re.compile(
    r"payment of (\S+) \S+ received(?:; cash discount (\S+) \S+ granted)?"
    r"(?:; overpaid by (\S+) \S+)?; open (\S+) \S+"
)
"""The detail :func:`dunlib.record_payment` writes: received, discount, overpaid, open."""
_DUE_NAMED = re.compile(r", due (\d{4}-\d{2}-\d{2})\b")
"""The due date a sending entry names (:func:`dunlib.send`, :meth:`Invoice.sent`)."""
_UNBOOKED = frozenset(status for status in Status if not status.is_booked)


def _send_problem(invoice: Booked, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
    """Sending (entry ``index``) dates the invoice and sets its due date: the issue date is
    the entry's day, the due date the one it names (else the terms' from the issue date)."""
    day = entry.on
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


def _unbooked(
    invoice: Booked, taken: tuple[int, ...], paused: _dt.date | None
) -> tuple[str, Any, str] | None:
    """A booking no entry booked (``taken``: how many of each the entries booked), or a
    pause the history (``paused``: the pause it leaves in force) does not record."""
    counts = tuple(map(len, _ALL_BOOKINGS(invoice)))
    if counts != taken:  # a booking left over (none is taken twice)
        at = next(at for at, count in enumerate(counts) if taken[at] < count)
        return (
            f"{_BOOKINGS[at]}[{taken[at]}]",
            getattr(invoice, _BOOKINGS[at])[taken[at]],
            f"a booking of a history entry ({_BOOKED_BY[at]}) on its day",
        )
    if invoice.paused_since != paused:
        return (
            "paused_since",
            invoice.paused_since,
            f"{paused}, the day of the pause in force by the history"
            if paused
            else "None: the history records no pause in force",
        )
    return None


class _Ledger:
    """The bookings of an invoice read along its history (private), as the operations
    booked them: each booking (payment, notice, interest charge, credit note, write-off,
    hold) taken in order by the entry of the kind that booked it and dated on its day;
    the amounts an entry's detail names those of its bookings and of the amount open
    then; and the guards of the row each entry records (a reminder before the due date,
    dunning and interest only when due and with money open, only while dunning runs and
    no hold holds, payments and credit notes within what is open and settling it when
    nothing is left, pause and resume alternating, one escalation, a cancellation of
    nothing paid or credited).
    """

    __slots__ = ("escalated", "invoice", "open_less_gross", "paused", "taken")

    def __init__(self, invoice: Booked, marks: _Marks) -> None:
        self.invoice = invoice
        self.taken = list(marks.taken)
        self.open_less_gross = marks.open_less_gross
        self.paused = marks.paused
        self.escalated = marks.escalated

    def _open(self) -> Decimal:
        """What was open before the entry being read."""
        return EXACT.add(self.invoice._amounts.gross, self.open_less_gross)

    def _less(self, amount: Decimal) -> None:
        self.open_less_gross = EXACT.subtract(self.open_less_gross, amount)

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
        if due and day < invoice.due_date:
            return f"a step on or after the due date {invoice.due_date}"
        if open_ and not self._open() > 0:
            return "a step on an invoice with money open"
        if self.paused is not None:
            return f"a step while dunning runs (paused since {self.paused})"
        for hold in invoice.holds[: self.taken[_HOLDS]] if invoice.holds else ():
            if hold.holds_on(today=day):
                return f"a step while no hold holds (a {hold.kind.value} hold since {hold.on})"
        return None

    def read(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """Read entry ``index``: the problem with it and its bookings, or None."""
        kind, day = entry.kind, entry.on
        if kind is EventKind.PAYMENT:
            return self._payment(index, entry)
        if kind is EventKind.CREDIT_NOTE:
            return self._credit_note(index, entry)
        if kind is EventKind.STAGE_ISSUED:
            return self._notice(index, entry)
        if kind is EventKind.INTEREST:
            charge, problem = self._take(_INTEREST, index, day)
            if problem is not None:
                return problem
            amount = charge.amount
            if not entry.detail.startswith(f"default interest of {amount} charged"):
                return f"history[{index}].detail", entry.detail, f"one naming {amount} charged"
            reason = self._guards(day, open_=True, due=True)
            self.open_less_gross = EXACT.add(self.open_less_gross, amount.amount)
            return None if reason is None else (f"history[{index}].kind", kind, reason)
        if kind is EventKind.WRITE_OFF:
            self._written_off(day)
            return None
        if kind is _PAUSED or kind is _RESUMED:
            if (kind is _PAUSED) is (self.paused is not None):
                expected = "a pause while dunning runs" if self.paused is None else "a resume"
                return f"history[{index}].kind", kind, f"{expected} (pause, resume, alternating)"
            self.paused = day if kind is _PAUSED else None
            return None
        if kind is _HANDED_OVER or kind is _BLOCKED:
            reason = (  # a dunned invoice has money open
                "one escalation only" if self.escalated else self._guards(day, open_=False)
            )
            self.escalated = True
            return None if reason is None else (f"history[{index}].kind", kind, reason)
        if kind is EventKind.HOLD_PLACED:
            return self._take(_HOLDS, index, day)[1]
        return None

    def _settles(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """A payment or credit note that leaves nothing open moves on to PAID (one that
        leaves money open in PAID, the last state, is refused as that state)."""
        if entry.to_status is not Status.PAID and not self._open() > 0:
            return f"history[{index}].to_status", entry.to_status, "PAID: nothing is left open"
        return None

    def _payment(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        payments, taken = self.invoice.payments, self.taken[_PAYMENTS]
        if taken < len(payments):  # the usual entry, as record_payment writes it
            payment = payments[taken]
            amount, code = payment.amount.amount, self.invoice.currency
            left = EXACT.subtract(self._open(), amount)
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
                self.open_less_gross = EXACT.subtract(self.open_less_gross, amount)
                return self._settles(index, entry) if not left > 0 else None
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
        expected = EXACT.subtract(EXACT.subtract(before, applied), discount)
        if left != expected or expected < 0:
            return (
                f"history[{index}].detail",
                entry.detail,
                f"a payment of at most {before} leaving {expected} open",
            )
        return self._settles(index, entry)

    def _credit_note(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
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
        return self._settles(index, entry)

    def _notice(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        day = entry.on
        notice, problem = self._take(_NOTICES, index, day)
        if problem is not None:
            return problem
        dunned = day >= self.invoice.due_date
        if dunned is not (entry.to_status is Status.DUNNED):
            return (
                f"history[{index}].to_status",
                entry.to_status,
                f"DUNNED for a notice on or after the due date {self.invoice.due_date}, "
                f"{entry.from_status} for a reminder before it",
            )
        reason = self._guards(day, open_=dunned)
        if reason is not None:
            return f"history[{index}].kind", entry.kind, reason
        fee, detail = notice.fee, entry.detail  # the fee and interest it names (str: quick)
        named = ", fee " + str(fee.amount) + " " + fee.currency
        told = detail[detail.find(named) + len(named) :] if named in detail else None
        if told:  # interest claimed with the notice
            charge, problem = self._take(_INTEREST, index, day)
            if problem is not None:
                return problem
            amount = charge.amount
            if told != ", interest " + str(amount.amount) + " " + amount.currency:
                return f"history[{index}].detail", detail, f"one naming {amount} claimed"
            self.open_less_gross = EXACT.add(self.open_less_gross, amount.amount)
        elif told is None:
            return f"history[{index}].detail", detail, f"one naming the fee {fee}"
        if fee.amount:
            self.open_less_gross = EXACT.add(self.open_less_gross, fee.amount)
        return None

    def cancelled(self, index: int, entry: HistoryEntry) -> tuple[str, Any, str] | None:
        """Read a cancellation: of nothing paid or credited, writing off what it books."""
        if self.taken[_PAYMENTS] or self.taken[_CREDITS]:
            return (
                f"history[{index}].to_status",
                entry.to_status,
                f"{entry.from_status}: nothing paid or credited is cancelled",
            )
        self._written_off(entry.on)
        return None

    def _written_off(self, day: _dt.date) -> None:
        """Take every write-off dated ``day`` (a cancellation or a write-off books them)."""
        items = self.invoice.write_offs
        while self.taken[_WRITE_OFFS] < len(items) and items[self.taken[_WRITE_OFFS]].on == day:
            self._less(items[self.taken[_WRITE_OFFS]].amount.amount)
            self.taken[_WRITE_OFFS] += 1
