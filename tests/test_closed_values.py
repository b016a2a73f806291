"""An invoice holds only states the transition table leads to (issue 21, finding 11): built
by hand, with ``attrs.evolve`` or read by ``from_json``, a state no path produces is refused."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import attrs
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from builders import SAM, TWO, eur, reached, sent
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    Command,
    CreditNote,
    DunlibError,
    HistoryEntry,
    Hold,
    HoldKind,
    InvalidValueError,
    Invoice,
    Money,
    NumberSequence,
    Payment,
    PaymentTerms,
    Status,
    cancel,
    create_draft,
    lift_hold,
    pause,
    place_hold,
    record_credit_note,
    record_interest,
    record_payment,
    record_stage,
    resume,
    send,
    transition,
    write_off,
)
from dunlib.core import EventKind, InterestCharge, IssuedStage, WriteOff
from dunlib.core.invoice import extended
from dunlib.core.transitions import TRANSITIONS
from dunlib.io.serialize import from_json, to_json
from dunlib.strategies import closed_invoices, dunned_invoices, invoices
from dunlib.strategies._common import _issue
from dunlib.workflow.steps import ACCOUNTANT, CLERK, REVIEWER

DAY = dt.date(2026, 6, 1)


def test_closed_states_with_money_open_are_refused() -> None:
    """PAID and CANCELLED have nothing open: with 119.00 open, each is refused (the last
    step of the history leading there, so the amount is what is wrong); so is a payment
    leaving 100.00 open whose entry leads to PAID, read by from_json."""
    base = sent()
    for status in (Status.PAID, Status.CANCELLED):
        step = attrs.evolve(base.history[-1], on=DAY, from_status=Status.SENT, to_status=status)
        with pytest.raises(InvalidValueError, match="while 119.00 EUR is open"):
            attrs.evolve(base, status=status, history=(*base.history, step))
    document = json.loads(to_json(_paid_in_part()))
    document["history"][-1]["to_status"] = document["status"] = "PAID"
    with pytest.raises(DunlibError, match="while 100.00 EUR is open"):
        from_json(json.dumps(document, sort_keys=True), Invoice)


def test_dunned_without_a_notice_that_dunned_is_refused() -> None:
    """DUNNED (and WRITTEN_OFF, reached only from it) needs a notice dated on or after the
    due date; a SENT invoice with one is refused, since that notice dunned it."""
    base = sent()
    step = attrs.evolve(base.history[-1], on=DAY, from_status=Status.SENT, to_status=Status.DUNNED)
    with pytest.raises(InvalidValueError, match="a stage issued after the due date"):
        attrs.evolve(base, status=Status.DUNNED, history=(*base.history, step))
    dunned = reached(Status.DUNNED)
    with pytest.raises(InvalidValueError, match="DUNNED or later"):
        attrs.evolve(dunned, status=Status.SENT, history=sent().history)


def test_a_history_whose_last_step_leads_elsewhere_is_refused() -> None:
    """The status is where the last history step led: PAID after a step into SENT is
    refused, and so is a step that does not start where the one before led."""
    paid = reached(Status.PAID)
    with pytest.raises(InvalidValueError, match=r"Invoice.status.*SENT, where the last history"):
        attrs.evolve(paid, history=paid.history[:-1])
    jump = attrs.evolve(paid.history[-1], from_status=Status.DUNNED)
    with pytest.raises(InvalidValueError, match=r"history\[1\].from_status"):
        attrs.evolve(paid, history=(*paid.history[:-1], jump))


def test_a_history_out_of_date_order_is_refused() -> None:
    """History only grows forward: an entry dated before the one before it is refused."""
    dunned = reached(Status.DUNNED)
    early = attrs.evolve(dunned.history[-1], on=dunned.history[0].on - dt.timedelta(days=1))
    with pytest.raises(InvalidValueError, match=r"history\[1\].on"):
        attrs.evolve(dunned, history=(dunned.history[0], early))


def test_from_json_refuses_a_paid_invoice_with_money_open() -> None:
    """A stored PAID invoice with 124.00 open is not read (the engine would never dun it):
    a DocumentError, by both readers, naming the status."""
    paid = reached(Status.PAID)
    document = json.loads(to_json(paid))
    document["payments"] = []
    with pytest.raises(DunlibError, match="SENT or DUNNED while 119.00 EUR is open"):
        from_json(json.dumps(document, sort_keys=True), Invoice)
    with pytest.raises(DunlibError, match="SENT or DUNNED while 119.00 EUR is open"):
        from_json(json.dumps(document, indent=1), Invoice)


def test_nothing_is_booked_before_the_issue_date() -> None:
    """A payment, or a pause, dated 1990 on an invoice issued in 2026 is refused, and an
    invoice beyond DRAFT without history cannot be built to take one."""
    base = sent()
    with pytest.raises(InvalidValueError, match=r"Invoice.payments\[0\].on"):
        attrs.evolve(base, payments=(Payment(on=dt.date(1990, 1, 1), amount=eur("1.00")),))
    with pytest.raises(InvalidValueError, match="Invoice.paused_since"):
        attrs.evolve(base, paused_since=dt.date(1990, 1, 1))
    with pytest.raises(InvalidValueError, match="without a history"):
        attrs.evolve(base, history=())


def test_the_cancelling_invoice_is_booked_through_the_path() -> None:
    """cancel books the cancelling invoice as the table leads: drafted, booked by the
    DRAFT to SENT skip and cleared by the SETTLE row, each step in its history."""
    result = cancel(
        sent(),
        id="S-1",
        actor=SAM,
        on=DAY,
        sequence=NumberSequence(prefix="ST-", next_value=1),
        authority=Authority(),
    )
    steps = [(e.kind, e.from_status, e.to_status) for e in result.cancelling.history]
    assert steps == [
        (EventKind.CREATED, Status.DRAFT, Status.DRAFT),
        (EventKind.TRANSITION, Status.DRAFT, Status.SENT),
        (EventKind.WRITE_OFF, Status.SENT, Status.PAID),
    ]
    assert {e.actor for e in result.cancelling.history} == {SAM.id}
    assert result.cancelling.open_amount == eur("0.00")


def test_evolve_cannot_set_a_state_the_table_forbids() -> None:
    """attrs.evolve(invoice, status=...) alone is refused for every other state: the
    history says where the invoice is."""
    base = sent()
    for status in Status:
        if status is not Status.SENT:
            with pytest.raises(InvalidValueError, match=r"Invoice\.(status|number)"):
                attrs.evolve(base, status=status)


# -- the law -------------------------------------------------------------------------------


def _holds_the_table(invoice: Invoice) -> bool:
    """Independently of dunlib's own checks: the history is a path through the table in
    date order ending in the status, and the amounts and notices agree with the state."""
    before, day = Status.DRAFT, None
    for entry in invoice.history:
        moves = entry.from_status is entry.to_status or (entry.from_status, entry.to_status) in {
            (source, target) for (source, _), target in TRANSITIONS.items()
        }
        if entry.from_status is not before or not moves or (day and entry.on < day):
            return False
        before, day = entry.to_status, entry.on
    if before is not invoice.status:
        return False
    dunned = any(n.on >= invoice.due_date for n in invoice.issued_stages)
    opened = invoice.open_amount
    match invoice.status:
        case Status.PAID | Status.CANCELLED:
            return opened.is_zero
        case Status.WRITTEN_OFF:
            return opened.is_zero and dunned
        case Status.DUNNED:
            return opened.is_positive and dunned
        case Status.SENT:
            settled = invoice.payments or invoice.credit_notes
            return not dunned and (opened.is_positive or (opened.is_zero and not settled))
        case _:
            return not invoice.payments and not invoice.issued_stages


_ANYONE = frozenset({CLERK, REVIEWER, ACCOUNTANT})
_SUBMITTED = {
    (Status.DRAFT, Status.CREATED): Command.SUBMIT,
    (Status.CREATED, Status.REVIEWED): Command.APPROVE,
}


def _person(name: str) -> Actor:
    """The actor a history entry names: the automatic run, or a person with every role a
    person may hold (the 2-eye policy then lets them take each step)."""
    return AUTOMATIC if name == AUTOMATIC.id else Actor(id=name, roles=_ANYONE)


def _sequence(number: str) -> NumberSequence:
    """A number sequence whose next number is ``number`` (a prefix and its digits)."""
    found = re.fullmatch(r"(.*?)(\d+)", number)
    assert found is not None, f"no sequence gives {number!r}"
    return NumberSequence(prefix=found[1], next_value=int(found[2]), width=len(found[2]))


def _replayed(invoice: Invoice) -> Invoice:
    """``invoice`` booked again through the public operations, step by step as its history
    records them (each step's day and actor from its entry, each booking from the
    invoice's bookings in order), from its draft (or from ``Invoice.sent``, the one-call
    booking, for a history that starts with its DRAFT to SENT skip). Raises an
    AssertionError for a step no operation is replayed for here (a finding), and the
    operation's DunlibError for a step an operation refuses."""
    first, *steps = invoice.history
    if first.kind is EventKind.CREATED:
        replay = create_draft(
            id=invoice.id,
            customer=invoice.customer,
            currency=invoice.currency,
            actor=_person(first.actor),
            on=first.on,
            lines=invoice.lines,
            terms=invoice.terms,
            channel=invoice.channel,
            issue_date=invoice.issue_date,
        )
    else:
        replay = Invoice.sent(
            id=invoice.id,
            number=invoice.number,
            customer=invoice.customer,
            issue_date=first.on,
            lines=invoice.lines,
            due_date=invoice.due_date,
            terms=invoice.terms,
            channel=invoice.channel,
            warns_of_default=invoice.warns_of_default,
        )
    payments, notices = iter(invoice.payments), iter(invoice.issued_stages)
    charges, notes = iter(invoice.interest_charges), iter(invoice.credit_notes)
    write_offs = iter(invoice.write_offs)
    for entry in steps:
        actor, on, move = _person(entry.actor), entry.on, (entry.from_status, entry.to_status)
        if entry.kind is EventKind.TRANSITION and move in _SUBMITTED:
            replay = transition(replay, _SUBMITTED[move], actor=actor, on=on, authority=TWO)
        elif entry.kind is EventKind.TRANSITION and entry.to_status is Status.CANCELLED:
            number = entry.detail.removeprefix("cancelled by ").partition(";")[0]
            replay = cancel(
                replay,
                id=f"{invoice.id}-ST",
                actor=actor,
                on=on,
                sequence=_sequence(number),
                authority=Authority(),
            ).original
        elif entry.kind is EventKind.PAYMENT:
            paid = next(payments)
            again = Payment(on=paid.on, amount=paid.amount, reference=paid.reference)
            replay = record_payment(replay, again, actor=actor, authority=Authority()).invoice
        elif entry.kind is EventKind.STAGE_ISSUED:
            replay = record_stage(
                replay, _issue(replay, next(notices)), actor=actor, authority=Authority()
            )
        elif entry.kind is EventKind.INTEREST:
            replay = record_interest(replay, next(charges), actor=actor, authority=Authority())
        elif entry.kind is EventKind.CREDIT_NOTE:
            replay = record_credit_note(replay, next(notes), actor=actor, on=on, authority=TWO)
        elif entry.kind is EventKind.DUNNING_PAUSED:
            replay = pause(replay, on=on, actor=actor, authority=Authority())
        elif entry.kind is EventKind.DUNNING_RESUMED:
            replay = resume(replay, on=on, actor=actor, authority=Authority())
        elif entry.kind is EventKind.WRITE_OFF and entry.to_status is Status.WRITTEN_OFF:
            written = next(write_offs, None)
            reason = "uncollectible" if written is None else written.reason
            replay = write_off(replay, actor=actor, on=on, reason=reason, authority=Authority())
        else:
            raise AssertionError(f"no operation replays {entry.kind.name} {move} here")
    return replay


_MUTATIONS = ("status", "history-day", "history-target", "payment-day", "notices", "amount")


def _mutated(document: dict[str, Any], how: str, pick: int, shift: int, status: Status) -> None:
    """``document`` with one field changed in place: the way ``how`` names."""
    history, payments = document["history"], document["payments"]
    kind = (how.partition("-")[0] + "s").replace("creditss", "credit_notes")
    items = {"issued_stages": document["issued_stages"], "interests": document["interest_charges"],
             "credits": document["credit_notes"], "payments": payments}.get(kind)  # fmt: skip
    if how == "status":
        document["status"] = status.name
    elif how == "history-day" and history:
        entry = history[pick % len(history)]
        entry["on"] = (dt.date.fromisoformat(entry["on"]) + dt.timedelta(days=shift)).isoformat()
    elif how == "history-target" and history:
        history[pick % len(history)]["to_status"] = status.name
    elif how == "history-kind" and history:
        history[pick % len(history)]["kind"] = list(EventKind)[pick % len(EventKind)].name
    elif how.endswith("-day") and items:
        booking = items[pick % len(items)]
        booking["on"] = (
            dt.date.fromisoformat(booking["on"]) + dt.timedelta(days=shift)
        ).isoformat()
    elif how == "payment-amount" and payments:
        payments[pick % len(payments)]["amount"]["amount"] = f"{abs(shift) + 1}.00"
    elif how == "notices" and document["issued_stages"]:
        document["issued_stages"] = document["issued_stages"][:-1]
    elif how == "amount":
        line = document["lines"][pick % len(document["lines"])]
        line["unit_price"]["amount"] = str(abs(shift) * 100)
    elif how == "due-date":
        day = dt.date.fromisoformat(document["due_date"]) + dt.timedelta(days=shift)
        document["due_date"] = day.isoformat()


@given(
    invoice=st.one_of(invoices(currency="EUR"), dunned_invoices(currency="EUR")),
    how=st.sampled_from(_MUTATIONS),
    pick=st.integers(0, 9),
    shift=st.integers(-400, 400),
    status=st.sampled_from(Status),
)
def test_law_every_invoice_from_json_accepts_is_one_the_operations_could_produce(
    invoice: Invoice, how: str, pick: int, shift: int, status: Status
) -> None:
    """Law: an invoice written by to_json with one field changed (its status, a history
    entry's day or target, a payment's day, its last notice dropped, a line's price) is
    either refused with a DunlibError or read as a state the table leads to: its history
    a path through the table in date order ending in its status, its open amount and
    notices as that status has them (checked here independently of dunlib's checks)."""
    assert _holds_the_table(invoice)  # the strategies produce only reachable invoices
    document = json.loads(to_json(invoice))
    _mutated(document, how, pick, shift, status)
    try:
        read = from_json(json.dumps(document, sort_keys=True), Invoice)
    except DunlibError:
        return
    assert read == invoice or _holds_the_table(read)


_REPLAYED = (
    "history-kind",
    "notice-day",
    "interest-day",
    "credit-day",
    "payment-amount",
    "due-date",
)
"""Changes besides those of the law above: an entry's kind, another booking's day, a
payment's amount, the due date."""


@settings(max_examples=60)
@given(
    invoice=st.one_of(
        invoices(currency="EUR"), dunned_invoices(currency="EUR"), closed_invoices(currency="EUR")
    )
)
def test_law_an_invoice_the_operations_booked_replays_from_its_history(invoice: Invoice) -> None:
    """Replay law: an invoice booked through the operations (drafted, submitted, approved,
    booked, paid, dunned, charged interest, credited, paused, written off, cancelled), read
    back by from_json, is booked again equal by replaying its history through the public
    operations (each step's day and actor from its entry, each booking from the invoice's
    bookings in order)."""
    read = from_json(to_json(invoice), Invoice)
    assert _replayed(read) == read == invoice


@settings(max_examples=150, phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking
@given(
    invoice=st.one_of(
        invoices(currency="EUR"), dunned_invoices(currency="EUR"), closed_invoices(currency="EUR")
    ),
    how=st.sampled_from((*_MUTATIONS, *_REPLAYED)),
    pick=st.integers(0, 9),
    shift=st.integers(-400, 400),
    status=st.sampled_from(Status),
)
def test_law_every_invoice_from_json_accepts_replays_from_its_history(
    invoice: Invoice, how: str, pick: int, shift: int, status: Status
) -> None:
    """Law: an invoice written by to_json with one field changed (its
    status or due date, a history entry's day, target or kind, a booking's day or amount,
    its last notice dropped, a line's price) is either refused with a DunlibError or is
    one the operations produce: replaying its history through the public operations gives
    an invoice equal to the one read."""
    document = json.loads(to_json(invoice))
    _mutated(document, how, pick, shift, status)
    try:
        read = from_json(json.dumps(document, sort_keys=True), Invoice)
    except DunlibError:
        return
    assert _replayed(read) == read


def test_a_booked_step_before_the_issue_date_is_refused() -> None:
    """A history whose booking and a later step both fall before the issue date is refused at
    the later step: nothing after sending happens before the invoice's date."""
    invoice = sent()
    booked = attrs.evolve(invoice.history[0], on=invoice.issue_date - dt.timedelta(days=2))
    later = HistoryEntry(
        on=invoice.issue_date - dt.timedelta(days=1),
        kind=EventKind.TRANSITION,
        from_status=Status.SENT,
        to_status=Status.SENT,
        detail="by hand",
    )
    with pytest.raises(InvalidValueError, match=r"history\[1\].on.*on or after the issue date"):
        attrs.evolve(invoice, history=(booked, later))


def test_a_reminder_before_the_due_date_with_a_fee_is_refused() -> None:
    """A document dated before the due date is a reminder, and a reminder charges no fee
    (with or without the entry that booked it)."""
    invoice = sent()
    reminder = IssuedStage(
        level=1,
        on=invoice.due_date - dt.timedelta(days=3),
        due_date=invoice.due_date,
        fee=eur("5.00"),
    )
    with pytest.raises(InvalidValueError, match="issued on or before the due date .*: no fee"):
        attrs.evolve(invoice, issued_stages=(reminder,))
    entry = _entry(reminder.on, EventKind.STAGE_ISSUED, "level 1 reminder sent, due "
                   f"{reminder.due_date}, fee 5.00 EUR")  # fmt: skip
    with pytest.raises(InvalidValueError, match="issued on or before the due date .*: no fee"):
        attrs.evolve(invoice, issued_stages=(reminder,), history=(*invoice.history, entry))


def test_a_history_of_new_but_equal_entries_is_read_afresh() -> None:
    """A booking whose history is not the old one extended (equal entries, new objects) reads
    the history again instead of carrying the old reading over, and gives the same invoice."""
    invoice = reached(Status.DUNNED)
    copied = tuple(attrs.evolve(entry) for entry in invoice.history)
    again = extended(invoice, history=copied)
    assert again == invoice
    assert again._marks.latest == invoice._marks.latest


# -- each booking tied to the entry that booked it -----------------------------------------


def _refused(invoice: Invoice, match: str, change: dict[str, Any], edit: Any) -> None:
    """``invoice`` with ``change`` is refused by attrs.evolve (an InvalidValueError matching
    ``match``), and its document with ``edit`` made to it by from_json, by both readers."""
    with pytest.raises(InvalidValueError, match=match):
        attrs.evolve(invoice, **change)
    document = json.loads(to_json(invoice))
    edit(document)
    for text in (json.dumps(document, sort_keys=True), json.dumps(document, indent=1)):
        with pytest.raises(DunlibError, match=match):
            from_json(text, Invoice)


def _paid_in_part() -> Invoice:
    """The seed's 119.00 invoice with 19.00 paid on DAY (open 100.00)."""
    return record_payment(
        sent(), Payment(on=DAY, amount=eur("19.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice


def test_a_history_entry_of_another_kind_than_its_booking_is_refused() -> None:
    """The entry that booked a payment is a PAYMENT entry: as a NOTE (a kind no move
    records) or as a CREDIT_NOTE (booking a credit note the invoice does not have) it is
    refused, naming the entry's kind."""
    paid = _paid_in_part()
    for kind in (EventKind.NOTE, EventKind.CREDIT_NOTE):
        entry = attrs.evolve(paid.history[-1], kind=kind)

        def edit(document: dict[str, Any], kind: EventKind = kind) -> None:
            document["history"][-1]["kind"] = kind.name

        _refused(paid, r"history\[1\].kind", {"history": (paid.history[0], entry)}, edit)


def test_more_bookings_than_entries_that_booked_them_are_refused() -> None:
    """Each booking has the entry that booked it: a payment no PAYMENT entry booked is
    refused, and so are two STAGE_ISSUED entries with one notice (the last dropped)."""
    base = sent()
    extra = Payment(on=DAY, amount=eur("1.00"))

    def add_payment(document: dict[str, Any]) -> None:
        document["payments"] = [{"on": DAY.isoformat(), "amount": {"amount": "1.00",
                                 "currency": "EUR"}}]  # fmt: skip

    _refused(base, r"payments\[0\].*a booking of a history entry", {"payments": (extra,)},
             add_payment)  # fmt: skip
    dunned = reached(Status.DUNNED)
    second = attrs.evolve(
        dunned.issued_stages[0], level=2, on=dunned.issued_stages[0].on + dt.timedelta(7)
    )
    twice = record_stage(dunned, _issue(dunned, second), actor=AUTOMATIC, authority=Authority())

    def drop_notice(document: dict[str, Any]) -> None:
        document["issued_stages"] = document["issued_stages"][:-1]

    _refused(twice, r"history\[2\].kind.*books no more issued_stages",
             {"issued_stages": twice.issued_stages[:-1]}, drop_notice)  # fmt: skip


def test_a_booking_dated_on_another_day_than_its_entry_is_refused() -> None:
    """A payment is dated on the day of the entry that booked it: a day later, it is
    refused, naming the payment's day and the entry's."""
    paid = _paid_in_part()
    later = attrs.evolve(paid.payments[0], on=DAY + dt.timedelta(days=1))

    def edit(document: dict[str, Any]) -> None:
        document["payments"][0]["on"] = later.on.isoformat()

    _refused(paid, r"payments\[0\].on.*2026-06-01, the day of history\[1\]",
             {"payments": (later,)}, edit)  # fmt: skip


def test_a_payment_other_than_its_entry_booked_is_refused() -> None:
    """The entry that booked 19.00 names it: a payment of 20.00 in its place is refused,
    naming the amount booked."""
    paid = _paid_in_part()
    more = attrs.evolve(paid.payments[0], amount=eur("20.00"))

    def edit(document: dict[str, Any]) -> None:
        document["payments"][0]["amount"]["amount"] = "20.00"

    _refused(paid, r"payments\[0\].amount.*19.00, the amount history\[1\] booked",
             {"payments": (more,)}, edit)  # fmt: skip


def test_a_line_price_other_than_the_payments_were_booked_against_is_refused() -> None:
    """The payment's entry names what it left open (100.00 of 119.00): with the line's
    price changed to 219.00 the invoice is refused, naming that entry's detail."""
    paid = _paid_in_part()
    dearer = attrs.evolve(paid.lines[0], unit_price=eur("219.00"))

    def edit(document: dict[str, Any]) -> None:
        document["lines"][0]["unit_price"]["amount"] = "219.00"

    _refused(paid, r"history\[1\].detail.*leaving 200.00 open", {"lines": (dearer,)},
             edit)  # fmt: skip


def test_a_due_date_other_than_sending_set_is_refused() -> None:
    """Sending sets the due date (the terms' from the issue date, or the one it names): a
    day later is refused, for an invoice sent by send as for one built by Invoice.sent."""
    for invoice in (_sent_from_a_draft(), sent()):
        later = invoice.due_date + dt.timedelta(days=1)

        def edit(document: dict[str, Any], later: dt.date = later) -> None:
            document["due_date"] = later.isoformat()

        _refused(invoice, r"due_date.*the due date set when it was sent",
                 {"due_date": later}, edit)  # fmt: skip


def _sent_from_a_draft() -> Invoice:
    """A draft of one line, submitted, approved and sent through the workflow."""
    made = reached(Status.REVIEWED)
    return send(made, actor=SAM, on=DAY, authority=TWO,
                sequence=NumberSequence(prefix="RE-", next_value=1)).invoice  # fmt: skip


def test_interest_booked_before_the_due_date_is_refused() -> None:
    """Interest is charged only once the invoice is due (the INTEREST row's guard): a
    charge with its entry dated before the due date is refused, naming the entry."""
    base = sent()
    day = base.due_date - dt.timedelta(days=1)
    charge = InterestCharge(on=day, amount=eur("1.00"))
    entry = HistoryEntry(on=day, kind=EventKind.INTEREST, from_status=Status.SENT,
                         to_status=Status.SENT, detail="default interest of 1.00 EUR charged",
                         )  # fmt: skip
    with pytest.raises(InvalidValueError, match=r"history\[1\].kind.*after the due date"):
        attrs.evolve(base, interest_charges=(charge,), history=(*base.history, entry))


def _entry(day: dt.date, kind: EventKind, detail: str = "", source: Status = Status.SENT,
           target: Status | None = None) -> HistoryEntry:  # fmt: skip
    """A history entry written by hand (as a document from elsewhere may hold it)."""
    target = source if target is None else target
    return HistoryEntry(on=day, kind=kind, from_status=source, to_status=target, detail=detail)


def _notice(day: dt.date, fee: str = "0.00", level: int = 1) -> IssuedStage:
    return IssuedStage(level=level, on=day, due_date=day + dt.timedelta(7), fee=eur(fee))


def _hand_built_cases() -> list[tuple[str, Any]]:
    """(what the refusal names, a function building the invoice by hand): each a step the
    table's row refuses at its time, or an entry that does not say what it booked."""
    base, may = sent(), dt.date(2026, 5, 20)
    first, nothing = (
        base.history[0],
        Invoice.sent(
            number="RE-0", customer=base.customer, gross=eur("0.00"), issue_date=base.issue_date
        ),
    )
    dunned = reached(Status.DUNNED)
    later = dunned.history[-1].on + dt.timedelta(days=1)
    notice_text = "level 1 notice sent, due 2026-05-27, fee 0.00 EUR"
    interest, held = (
        InterestCharge(on=may, amount=eur("1.00")),
        place_hold(
            base,
            Hold.dispute(on=dt.date(2026, 5, 12), reason="wrong amount"),
            actor=SAM,
            authority=Authority(),
        ),
    )
    dun = _entry(may, EventKind.STAGE_ISSUED, notice_text, target=Status.DUNNED)
    paid = record_payment(
        base,
        Payment(on=dt.date(2026, 5, 12), amount=eur("19.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    owed = (Status.DUNNED, Status.DUNNED)

    def evolve(invoice: Invoice, *steps: HistoryEntry, **changes: Any) -> Any:
        status = steps[-1].to_status if steps else invoice.status
        history = (*invoice.history, *steps)
        return lambda: attrs.evolve(invoice, history=history, status=status, **changes)

    return [
        (r"history\[0\].kind.*the first entry drafts",
         lambda: attrs.evolve(base, history=(attrs.evolve(first, kind=EventKind.PAYMENT),))),
        (r"history\[0\].on.*the issue date .*: sending dates",
         lambda: attrs.evolve(base, history=(attrs.evolve(first, on=base.issue_date - DAY0),))),
        (r"the move from PAID to PAID records \(DOCUMENT_MADE, DOCUMENT_RESENT, DOCUMENT_PRINTED\)",
         evolve(reached(Status.PAID), _entry(DAY, EventKind.NOTE, "", Status.PAID))),
        (r"history\[1\].kind.*books no more interest",
         evolve(base, _entry(may, EventKind.INTEREST))),
        (r"history\[1\].detail.*1.00 EUR charged",
         evolve(base, _entry(may, EventKind.INTEREST, "x"), interest_charges=(interest,))),
        (r"alternating", evolve(base, _entry(may, EventKind.DUNNING_PAUSED),
                                _entry(DAY, EventKind.DUNNING_PAUSED), paused_since=DAY)),
        (r"alternating", evolve(base, _entry(may, EventKind.DUNNING_RESUMED))),
        (r"one escalation only",
         evolve(dunned, _entry(later, EventKind.HANDED_TO_COLLECTION, "", *owed),
                _entry(later, EventKind.SERVICE_BLOCKED, "", *owed))),
        (r"while dunning runs", evolve(dunned, _entry(later, EventKind.DUNNING_PAUSED, "", *owed),
                                       _entry(later, EventKind.SERVICE_BLOCKED, "", *owed),
                                       paused_since=later)),
        (r"books no more holds", evolve(base, _entry(may, EventKind.HOLD_PLACED))),
        (r"while no hold holds", evolve(held, dun, issued_stages=(_notice(may),))),
        (r"history\[1\].to_status.*PAID: nothing is left open",
         evolve(base, _entry(dt.date(2026, 5, 12), EventKind.PAYMENT,
                             "payment of 119.00 EUR received; open 0.00 EUR"),
                attrs.evolve(dun, detail="level 1 notice sent, due 2026-05-27, fee 5.00 EUR"),
                issued_stages=(_notice(may, "5.00"),),
                payments=(Payment(on=dt.date(2026, 5, 12), amount=eur("119.00")),))),
        (r"history\[1\].detail.*what record_payment writes",
         lambda: attrs.evolve(paid, history=(first, attrs.evolve(paid.history[1], detail="paid")))),
        (r"payments\[0\].discount", lambda: attrs.evolve(paid, history=(first, attrs.evolve(
            paid.history[1], detail="payment of 19.00 EUR received; cash discount 2.00 EUR "
            "granted; open 98.00 EUR")))),
        (r"history\[1\].kind.*books no more payments",
         evolve(base, attrs.evolve(paid.history[1], on=may))),
        (r"history\[1\].kind.*books no more credit_notes",
         evolve(base, _entry(may, EventKind.CREDIT_NOTE))),
        (r"history\[1\].detail.*'credit note GS-1 of 10.00 EUR'",
         evolve(base, _entry(may, EventKind.CREDIT_NOTE, "x"), credit_notes=(
             CreditNote(id="GS-1", on=may, amount=eur("10.00")),))),
        (r"credit_notes\[0\].amount.*at most 24.00",
         evolve(base, attrs.evolve(dun, detail="level 1 notice sent, due 2026-05-27, fee 5.00 EUR"),
                _entry(DAY, EventKind.PAYMENT, "payment of 100.00 EUR received; open 24.00 EUR",
                       *owed),
                _entry(DAY, EventKind.CREDIT_NOTE, "credit note GS-1 of 30.00 EUR", *owed),
                _entry(DAY, EventKind.INTEREST, "default interest of 10.00 EUR charged", *owed),
                issued_stages=(_notice(may, "5.00"),),
                payments=(Payment(on=DAY, amount=eur("100.00")),),
                credit_notes=(CreditNote(id="GS-1", on=DAY, amount=eur("30.00")),),
                interest_charges=(InterestCharge(on=DAY, amount=eur("10.00")),))),
        (r"history\[1\].to_status.*DUNNED for a notice after",
         evolve(base, attrs.evolve(dun, to_status=Status.SENT),
                _entry(DAY, EventKind.STAGE_ISSUED, "level 2 notice sent, due 2026-06-08, "
                       "fee 0.00 EUR", target=Status.DUNNED),
                issued_stages=(_notice(may), _notice(DAY, level=2)))),
        (r"with money open", evolve(nothing, attrs.evolve(
            dun, detail="level 1 notice sent, due 2026-05-27, fee 5.00 EUR"),
            issued_stages=(_notice(may, "5.00"),))),
        (r"history\[1\].detail.*one naming the fee 0.00 EUR",
         evolve(base, attrs.evolve(dun, detail="x"), issued_stages=(_notice(may),))),
        (r"history\[1\].kind.*books no more interest",
         evolve(base, attrs.evolve(dun, detail=notice_text + ", interest 1.00 EUR"),
                issued_stages=(_notice(may),))),
        (r"history\[1\].detail.*one naming 1.00 EUR",
         evolve(base, attrs.evolve(dun, detail=notice_text + ", interest 2.00 EUR"),
                issued_stages=(_notice(may),), interest_charges=(interest,))),
        (r"history\[2\].to_status.*nothing paid or credited is cancelled",
         evolve(paid, _entry(may, EventKind.TRANSITION, "cancelled", target=Status.CANCELLED),
                write_offs=(WriteOff(on=may, amount=eur("100.00"), reason="cancelled"),))),
        (r"paused_since.*2026-05-20, the day of the pause",
         lambda: attrs.evolve(pause(base, on=may, actor=SAM, authority=Authority()),
                              paused_since=None)),
    ]  # fmt: skip


DAY0 = dt.timedelta(days=1)


def test_a_step_the_table_refuses_at_its_time_is_refused_when_built_by_hand() -> None:
    """Built by hand, an entry is refused when the row it records refuses the step at its
    time (interest before due, a notice or an escalation while paused or held, a pause
    twice, a second escalation, dunning with nothing open, a credit note beyond what is
    open, a cancellation of a paid invoice, a payment leaving nothing open outside PAID,
    a reminder after the due date), or when it does not say what it booked (a kind no move
    records, a detail other than its booking's, a booking it names that is missing); what
    the operations book is read back equal."""
    for match, build in _hand_built_cases():
        with pytest.raises(InvalidValueError, match=match):
            build()
    _bookings_the_operations_make_are_read_back_equal()


def _bookings_the_operations_make_are_read_back_equal() -> None:
    """What the operations book reads back equal: an overpayment, a payment on an invoice
    with nothing open, and a notice claiming interest with it (written by hand as
    record_stage writes it)."""
    base = sent()
    zero = Invoice.sent(
        number="RE-0", customer=base.customer, gross=eur("0.00"), issue_date=base.issue_date
    )
    may = dt.date(2026, 5, 20)
    claimed = attrs.evolve(
        base,
        status=Status.DUNNED,
        issued_stages=(_notice(may),),
        interest_charges=(InterestCharge(on=may, amount=eur("1.00")),),
        history=(*base.history, _entry(may, EventKind.STAGE_ISSUED, "level 1 notice sent, "
                 "due 2026-05-27, fee 0.00 EUR, interest 1.00 EUR", target=Status.DUNNED)),
    )  # fmt: skip
    for invoice in (
        record_payment(
            base, Payment(on=may, amount=eur("200.00")), actor=AUTOMATIC, authority=Authority()
        ).invoice,
        record_payment(
            zero, Payment(on=may, amount=eur("1.00")), actor=AUTOMATIC, authority=Authority()
        ).invoice,
        claimed,
    ):
        assert from_json(to_json(invoice), Invoice) == invoice
    assert claimed.open_amount == eur("120.00")


# -- what the terms and the guards decide, decided again by the value ------------------------


def _document_of(value: Any) -> dict[str, Any]:
    """``value`` as to_json writes it, as a part of an invoice's document."""
    document: dict[str, Any] = json.loads(to_json(value))
    del document["schema_version"]
    return document


def test_a_cash_discount_other_than_the_terms_give_or_not_settling_is_refused() -> None:
    """A payment's cash discount is the one the terms give on its day (2 % of 119.00 up to
    ten days after the issue date: at most 2.38) and settles the invoice: built by hand, a
    2.38 discount with a payment leaving 66.62 open, a 5.00 discount, and a discount after
    the deadline are each refused, naming the entry; the one record_payment grants reads
    back equal."""
    terms = PaymentTerms(net_days=30, discount_percent=2, discount_days=10)
    base = sent(terms=terms)
    early, late = base.issue_date + dt.timedelta(days=5), base.issue_date + dt.timedelta(days=11)
    granted = record_payment(base, Payment(on=early, amount=eur("116.62")), actor=AUTOMATIC,
                             authority=Authority()).invoice  # fmt: skip
    assert granted.payments[0].discount == eur("2.38")
    assert from_json(to_json(granted), Invoice) == granted
    cases = (
        (early, "50.00", "2.38", "66.62", Status.SENT),
        (early, "114.00", "5.00", "0.00", Status.PAID),
        (late, "116.62", "2.38", "0.00", Status.PAID),
    )
    for day, paid, discount, left, status in cases:
        entry = attrs.evolve(granted.history[-1], on=day, to_status=status, detail=(
            f"payment of {paid} EUR received; cash discount {discount} EUR granted; "
            f"open {left} EUR"))  # fmt: skip
        payment = Payment(on=day, amount=eur(paid), discount=eur(discount))

        def edit(document: dict[str, Any], entry: HistoryEntry = entry,
                 payment: Payment = payment) -> None:  # fmt: skip
            document["history"].append(_document_of(entry))
            document["payments"] = [_document_of(payment)]
            document["status"] = entry.to_status.name

        change = {"history": (base.history[0], entry), "payments": (payment,), "status": status}
        _refused(base, r"history\[1\].detail.*a cash discount of at most", change, edit)


def test_hold_guards_are_kept_by_the_value() -> None:
    """The HOLD and LIFT_HOLD rows' guards hold in the value as on the booking path: built
    by hand or read by from_json, a second dispute hold placed while the first holds, a
    lift of a dispute hold when none holds (or of no kind named), and a hold lifted
    without the entry that lifted it are each refused; what place_hold and lift_hold book
    reads back equal."""
    base, may = sent(), dt.date(2026, 5, 12)
    held = place_hold(base, Hold.dispute(on=may, reason="wrong amount"), actor=SAM,
                      authority=Authority())  # fmt: skip
    later = may + dt.timedelta(days=3)
    lifted = lift_hold(held, HoldKind.DISPUTE, on=later, actor=SAM, authority=Authority())
    assert from_json(to_json(lifted), Invoice) == lifted
    again = attrs.evolve(held.history[-1], on=later)
    second = Hold.dispute(on=later, reason="still wrong")

    def place_again(document: dict[str, Any]) -> None:
        document["history"].append(_document_of(again))
        document["holds"].append(_document_of(second))

    _refused(held, r"history\[2\].kind.*guard not-held",
             {"history": (*held.history, again), "holds": (*held.holds, second)},
             place_again)  # fmt: skip
    lift = attrs.evolve(lifted.history[-1], detail="dispute hold lifted: settled")

    def lift_none(document: dict[str, Any]) -> None:
        document["history"].append(_document_of(lift))

    _refused(base, r"history\[1\].kind.*guard held", {"history": (*base.history, lift)},
             lift_none)  # fmt: skip

    def unlift(document: dict[str, Any]) -> None:
        document["history"] = document["history"][:-1]

    _refused(lifted, r"holds\[0\].lifted_on", {"history": held.history}, unlift)
    with pytest.raises(InvalidValueError, match=r"history\[2\].detail.*what lift_hold writes"):
        attrs.evolve(lifted, history=(*held.history, attrs.evolve(lift, detail="lifted")))


def test_a_write_off_other_than_its_entry_names_is_refused() -> None:
    """A write-off is the one its entry names: written off as uncollectible, the entry names
    its reason and amount (another amount or reason is refused); a cancellation names what
    it wrote off, and a cancelling invoice's clearing gives its write-off's reason (others
    are refused); what write_off and cancel book reads back equal."""
    written = reached(Status.WRITTEN_OFF)
    (record,) = written.write_offs
    assert written.history[-1].detail == f"written off as {record.reason}: {record.amount}"
    for detail in (f"written off as {record.reason}: 999.00 EUR",
                   f"written off as insolvent: {record.amount}"):  # fmt: skip
        entry = attrs.evolve(written.history[-1], detail=detail)

        def edit(document: dict[str, Any], detail: str = detail) -> None:
            document["history"][-1]["detail"] = detail

        _refused(written, r"history\[\d\].detail.*naming its write-off",
                 {"history": (*written.history[:-1], entry)}, edit)  # fmt: skip
    result = cancel(sent(), id="S-1", actor=SAM, on=DAY, authority=Authority(),
                    sequence=NumberSequence(prefix="ST-", next_value=1))  # fmt: skip
    for invoice in (result.original, result.cancelling):
        assert from_json(to_json(invoice), Invoice) == invoice
    original = result.original
    other = attrs.evolve(original.write_offs[0], amount=eur("100.00"))

    def edit_original(document: dict[str, Any]) -> None:
        document["write_offs"][0]["amount"]["amount"] = "100.00"
        document["write_offs"].append(_document_of(WriteOff(on=DAY, amount=eur("19.00"))))

    _refused(original, r"history\[1\].detail.*naming what it wrote off",
             {"write_offs": (other, WriteOff(on=DAY, amount=eur("19.00")))},
             edit_original)  # fmt: skip
    cancelling = result.cancelling
    cleared = attrs.evolve(cancelling.write_offs[0], reason="cleared")

    def edit_cancelling(document: dict[str, Any]) -> None:
        document["write_offs"][0]["reason"] = "cleared"

    _refused(cancelling, r"history\[2\].detail.*the reason of the write-off",
             {"write_offs": (cleared,)}, edit_cancelling)  # fmt: skip


@pytest.mark.parametrize(
    ("fee", "flat_fee"),
    [("5.00", "40.00"), ("45.00", "40.00 USD")],
)
def test_a_notices_flat_fee_is_part_of_its_fee(fee: str, flat_fee: str) -> None:
    """The § 288 (5) BGB flat fee a notice claims is part of its fee, in its currency: a
    flat fee above the fee, or in another currency, is refused naming the field."""
    amount, _, currency = flat_fee.partition(" ")
    day = dt.date(2026, 5, 24)
    with pytest.raises(InvalidValueError, match=r"IssuedStage\.flat_fee"):
        IssuedStage(
            level=1,
            on=day,
            due_date=day + dt.timedelta(7),
            fee=eur(fee),
            flat_fee=Money(amount, currency or "EUR"),
        )
