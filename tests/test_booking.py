"""The one booking path: every operation passes the same checks, and what it keeps is exact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, ANN, TWO
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    Command,
    CreditNote,
    DunningRules,
    DunningStage,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    Payment,
    PermissionDeniedError,
    StageKind,
    Status,
    TransitionNotAllowedError,
    TriggerBasis,
    balance,
    cancel,
    next_dunning_action,
    pause,
    record_credit_note,
    record_interest,
    record_payment,
    record_stage,
    resume,
    write_off,
)
from dunlib import strategies as ds
from dunlib.core import EventKind, InterestCharge, minor_unit
from dunlib.core.invoice import extended
from dunlib.core.numbering import NumberSequence
from dunlib.payments import allocations
from dunlib.workflow import booking as _booking

CLARA = Actor(id="clara", roles={"clerk"})
RULES = DunningRules(
    stages=(
        DunningStage(kind=StageKind.REMINDER, days_overdue=14),
        DunningStage(kind=StageKind.NOTICE, days_overdue=7, fee=Money("5.00", "EUR")),
    )
)
LATE = dt.date(2026, 6, 1)
EARLY = dt.date(1990, 1, 1)


def _dunned() -> Invoice:
    invoice = Invoice.sent(
        number="RE-1", customer=ACME, gross=Money("119.00", "EUR"), issue_date=dt.date(2026, 4, 1)
    )
    action = next_dunning_action(invoice, RULES, today=dt.date(2026, 5, 1))
    assert isinstance(action, IssueStage)
    return record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())


DUNNED = _dunned()

# Each operation on a booked invoice, called on a given day by a given actor.
OPERATIONS: dict[str, Callable[[Invoice, dt.date, Actor], Any]] = {
    "record_payment": lambda inv, on, who: record_payment(
        inv, Payment(on=on, amount=Money("1.00", "EUR")), actor=who, authority=Authority()
    ),
    "record_credit_note": lambda inv, on, who: record_credit_note(
        inv,
        CreditNote(id="GS-1", on=on, amount=Money("1.00", "EUR"), drafted_by="bo"),
        actor=who,
        on=on,
        authority=TWO,
    ),
    "record_interest": lambda inv, on, who: record_interest(
        inv, InterestCharge(on=on, amount=Money("1.00", "EUR")), actor=who, authority=Authority()
    ),
    "pause": lambda inv, on, who: pause(inv, on=on, actor=who, authority=Authority()),
    "resume": lambda inv, on, who: resume(
        pause(inv, on=LATE, actor=ANN, authority=Authority()),
        on=on,
        actor=who,
        authority=Authority(),
    ),
    "cancel": lambda inv, on, who: cancel(
        inv,
        id="ST-1",
        actor=who,
        on=on,
        sequence=NumberSequence(prefix="ST-"),
        authority=Authority(),
    ),
    "write_off": lambda inv, on, who: write_off(inv, actor=who, on=on, authority=Authority()),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_refuses_a_day_before_the_last_step(name: str) -> None:
    """History never goes back: every operation refuses a day before the invoice's last
    history entry (a payment on 1990-01-01 after an entry of 2026-05-01), naming its field."""
    with pytest.raises(InvalidValueError, match=r"\.on: got datetime.date\(1990, 1, 1\)"):
        OPERATIONS[name](DUNNED, EARLY, ANN)


@pytest.mark.parametrize("name", sorted(set(OPERATIONS) - {"resume"}))
def test_every_operation_checks_the_actors_rights(name: str) -> None:
    """A clerk may not book money, dunning, pauses, cancellations or write-offs."""
    with pytest.raises(PermissionDeniedError) as raised:
        OPERATIONS[name](DUNNED, LATE, CLARA)
    assert raised.value.invoice_id == DUNNED.id
    assert raised.value.actor == "clara"
    assert raised.value.status is Status.DUNNED


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_every_operation_works_for_whoever_holds_the_right(name: str) -> None:
    """The same calls go through for an accountant on a later day (so the refusals above
    are the checks, not broken calls)."""
    OPERATIONS[name](DUNNED, LATE, ANN)


def test_a_fee_before_the_due_date_is_refused() -> None:
    """Nothing is owed before the due date: a document with a fee recorded before it is
    refused by the ISSUE_EARLY row's guard, and the invoice stays SENT."""
    invoice = Invoice.sent(
        number="RE-2", customer=ACME, gross=Money("100.00", "EUR"), issue_date=dt.date(2026, 4, 1)
    )
    pre_due = DunningRules(
        stages=(
            DunningStage(
                kind=StageKind.REMINDER, days_overdue=3, basis=TriggerBasis.BEFORE_DUE_DATE
            ),
        )
    )
    action = next_dunning_action(invoice, pre_due, today=dt.date(2026, 4, 12))
    assert isinstance(action, IssueStage)
    reminded = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    assert reminded.status is Status.SENT
    assert reminded.dunning_level == 1
    fee = Money("40.00", "EUR")  # the amounts with it: the guard is what refuses it
    with_fee = attrs.evolve(
        action, fee=fee, total_gross=action.total_gross + fee, open_amount=action.open_amount + fee
    )
    with pytest.raises(GuardFailedError, match="guard no-fee"):
        record_stage(invoice, with_fee, actor=AUTOMATIC, authority=Authority())


@given(invoice=ds.receivable_invoices(), cents=st.integers(min_value=1, max_value=10**7))
def test_amounts_kept_by_a_booking_equal_amounts_computed_afresh(
    invoice: Invoice, cents: int
) -> None:
    """Law: the derived amounts and the payment split a booking extends from the previous
    invoice's equal those computed afresh from the new invoice's bookings."""
    on = max(invoice.history[-1].on, invoice.issue_date)
    amount = Money(Decimal(cents).scaleb(-minor_unit(invoice.currency)), invoice.currency)
    result = record_payment(
        invoice, Payment(on=on, amount=amount), actor=AUTOMATIC, authority=Authority()
    )
    booked, fresh = result.invoice, attrs.evolve(result.invoice)
    for name in ("fees", "interest_charged", "total_due", "paid", "discounts", "credited",
                 "settled", "written_off", "open_amount"):  # fmt: skip
        assert getattr(booked, name) == getattr(fresh, name), name
    assert allocations(booked) == allocations(fresh)
    assert balance(booked) == balance(fresh)
    assert balance(booked).total == booked.open_amount


def test_guards_state_their_reasons() -> None:
    """The guards of the booking path refuse what their names say, whoever calls them: DUN on
    an invoice with nothing open, ISSUE_EARLY on or after the due date."""
    settled = Invoice.sent(
        number="RE-0", customer=ACME, gross=Money("0.00", "EUR"), issue_date=dt.date(2026, 4, 1)
    )
    with pytest.raises(GuardFailedError, match="guard overdue: nothing is open"):
        _booking.book(settled, Command.DUN, operation="test", actor=ANN, on=LATE,
                      authority=Authority(), kind=EventKind.NOTE, detail="")  # fmt: skip
    invoice = DUNNED
    with pytest.raises(TransitionNotAllowedError):  # a DUNNED invoice has no ISSUE_EARLY row
        _booking.book(invoice, Command.ISSUE_EARLY, operation="test", actor=ANN, on=LATE,
                      authority=Authority(), kind=EventKind.NOTE, detail="")  # fmt: skip
    sent = Invoice.sent(
        number="RE-3", customer=ACME, gross=Money("9.00", "EUR"), issue_date=dt.date(2026, 4, 1)
    )
    with pytest.raises(GuardFailedError, match="guard not-yet-due"):
        _booking.book(sent, Command.ISSUE_EARLY, operation="test", actor=ANN, on=LATE,
                      authority=Authority(), kind=EventKind.NOTE, detail="",
                      changes={"issued_stages": ()})  # fmt: skip


def test_wrong_authority_or_permissions_types_are_refused() -> None:
    """The authority, and the rights in it, must be what they say."""
    with pytest.raises(InvalidTypeError, match="Authority.permissions"):
        Authority(permissions="all")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="pause.authority"):
        pause(DUNNED, on=LATE, actor=ANN, authority=4)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="record_credit_note.authority"):
        record_credit_note(
            DUNNED,
            CreditNote(id="G", on=LATE, amount=Money("1.00", "EUR"), drafted_by="bo"),
            actor=ANN,
            on=LATE,
            authority=4,  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidTypeError, match="test.authority"):
        _booking.check(DUNNED, Command.PAY, operation="test", actor=ANN, on=LATE,
                       authority=4)  # type: ignore[arg-type]  # fmt: skip


def test_bookings_built_by_hand_are_summed_afresh() -> None:
    """Amounts are extended from the previous invoice's only when the new bookings are the old
    ones plus appended ones; anything else is summed afresh, and equals the fresh sums."""
    invoice = record_payment(
        DUNNED,
        Payment(on=LATE, amount=Money("10.00", "EUR")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    again = Payment(on=LATE, amount=Money("10.00", "EUR"))  # equal, not the same object
    replaced = extended(invoice, payments=(again,))
    assert replaced.paid == Money("10.00", "EUR")
    assert replaced.open_amount == attrs.evolve(replaced).open_amount
    with pytest.raises(InvalidTypeError, match=r"Invoice.payments\[1\]"):
        extended(invoice, payments=(*invoice.payments, "junk"))
