"""Recoveries (issue 24, item 10): money received for a written-off invoice is booked as a
recovery beside the write-off, through the table's RECOVER row; money stays conserved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ANN, DORA, DUE, eur, notice_action, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    Payment,
    PermissionDeniedError,
    Status,
    TransitionNotAllowedError,
    as_of,
    from_json,
    record_payment,
    record_stage,
    to_json,
    write_off,
)
from dunlib.core import EventKind, PaymentCurrencyError, WrittenOffPaymentError
from dunlib.io import from_dict, to_dict
from dunlib.payments import Recovery, record_recovery

D = dt.date
WRITTEN_ON = D(2026, 6, 30)


def written_off(gross: str = "119.00", fee: str = "5.00", paid: str = "0.00") -> Invoice:
    """The seed invoice (``gross``, due 10.05.2026) with ``paid`` received on the due date,
    dunned on 24.05.2026 with a notice charging ``fee`` and written off as uncollectible on
    30.06.2026 by Ann."""
    invoice = sent(gross)
    if eur(paid).is_positive:
        invoice = record_payment(
            invoice, Payment(on=DUE, amount=eur(paid)), actor=AUTOMATIC, authority=Authority()
        ).invoice
    notice = notice_action(invoice, D(2026, 5, 24), fee=fee)
    invoice = record_stage(invoice, notice, actor=AUTOMATIC, authority=Authority())
    return write_off(invoice, actor=ANN, on=WRITTEN_ON, authority=Authority())


def recover(
    invoice: Invoice, amount: str, on: dt.date, reference: str = ""
) -> tuple[Invoice, Money]:
    """``invoice`` with ``amount`` recovered on ``on`` by Ann; and the overpayment."""
    result = record_recovery(
        invoice,
        Recovery(on=on, amount=eur(amount), reference=reference),
        actor=ANN,
        authority=Authority(),
    )
    return result.invoice, result.overpayment


def test_money_received_after_a_write_off_is_a_recovery_beside_the_write_off() -> None:
    """Issue 24, item 10 (seed 002, state 7: money received after a write-off goes against
    the dunning, not the invoice as a payment).

    Worked figures: 119.00 gross, 20.00 paid on the due date, a notice with a 5.00 fee, so
    104.00 is written off on 30.06.2026. On 15.07.2026 the collector pays 60.00
    ("Inkasso statement 7"), on 01.08.2026 another 50.00: 44.00 is left to recover, so
    44.00 is booked and 6.00 comes back as the overpayment. Afterwards:

    - recovered 104.00 = written off 104.00 (the write-off stays 104.00, open stays 0.00);
    - total due 124.00 = paid 20.00 + written off 104.00 + open 0.00 (the identity of every
      invoice, unchanged);
    - money received for the invoice = paid + recovered = 20.00 + 104.00 = 124.00;
    - loss = written off - recovered = 0.00;
    - the state stays 7 WRITTEN_OFF and each recovery is a RECOVERY entry of the history.
    """
    invoice = written_off(paid="20.00")
    assert (invoice.written_off, invoice.open_amount) == (eur("104.00"), eur("0.00"))

    first, over = recover(invoice, "60.00", D(2026, 7, 15), "Inkasso statement 7")
    assert over == eur("0.00")
    assert first.recoveries == (
        Recovery(on=D(2026, 7, 15), amount=eur("60.00"), reference="Inkasso statement 7"),
    )
    assert first.history[-1].kind is EventKind.RECOVERY
    assert first.history[-1].detail == (
        "recovery of 60.00 EUR received (Inkasso statement 7); "
        "recovered 60.00 EUR of 104.00 EUR written off"
    )
    assert (first.history[-1].from_status, first.history[-1].to_status) == (
        Status.WRITTEN_OFF,
        Status.WRITTEN_OFF,
    )
    assert first.history[-1].actor == "ann"

    second, over = recover(first, "50.00", D(2026, 8, 1))
    assert over == eur("6.00")
    assert second.recoveries[-1].amount == eur("44.00")
    assert second.history[-1].detail == (
        "recovery of 44.00 EUR received; recovered 104.00 EUR of 104.00 EUR written off"
    )
    assert second.status is Status.WRITTEN_OFF
    assert (second.recovered, second.written_off, second.open_amount) == (
        eur("104.00"),
        eur("104.00"),
        eur("0.00"),
    )
    assert second.total_due == eur("124.00")
    assert second.total_due == second.settled + second.written_off + second.open_amount
    assert second.paid + second.recovered == eur("124.00")
    assert second.written_off - second.recovered == eur("0.00")

    with pytest.raises(GuardFailedError, match="recoverable") as refused:
        recover(second, "1.00", D(2026, 8, 2))
    assert "all 104.00 EUR written off is recovered" in str(refused.value)


def test_a_payment_on_a_written_off_invoice_names_record_recovery() -> None:
    """Issue 24, item 10: the error a payment on a written-off invoice raises names the
    function that books the money (dunlib.payments.record_recovery), which then books it."""
    invoice = written_off()
    with pytest.raises(WrittenOffPaymentError) as refused:
        record_payment(
            invoice,
            Payment(on=D(2026, 7, 1), amount=eur("1.00")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    message = str(refused.value)
    assert "dunlib.payments.record_recovery" in message
    assert "the write-off stays" in message
    booked, _ = recover(invoice, "1.00", D(2026, 7, 1))
    assert booked.recovered == eur("1.00")


def test_only_a_written_off_invoice_takes_a_recovery() -> None:
    """The RECOVER row is in 7 WRITTEN_OFF only: a SENT invoice refuses it (its money is a
    payment), naming the state and where RECOVER is allowed."""
    with pytest.raises(TransitionNotAllowedError, match="RECOVER") as refused:
        recover(sent(), "1.00", D(2026, 5, 1))
    assert "7 WRITTEN_OFF" in str(refused.value)


def test_recovery_refusals_name_the_field_and_change_nothing() -> None:
    """A recovery in another currency, of a wrong type, by an actor without the right, or
    dated before the write-off, is refused with a typed error; the invoice is unchanged."""
    invoice = written_off()
    usd = Recovery(on=D(2026, 7, 1), amount=Money("1.00", "USD"))
    with pytest.raises(PaymentCurrencyError, match="in USD on invoice RE-2026-0001 in EUR"):
        record_recovery(invoice, usd, actor=ANN, authority=Authority())
    with pytest.raises(InvalidTypeError, match="record_recovery.recovery"):
        record_recovery(invoice, "1.00", actor=ANN, authority=Authority())  # type: ignore[arg-type]
    by_dora = Recovery(on=D(2026, 7, 1), amount=eur("1.00"))
    with pytest.raises(PermissionDeniedError, match="RECOVER"):
        record_recovery(invoice, by_dora, actor=DORA, authority=Authority())
    with pytest.raises(InvalidValueError, match="record_recovery.on"):
        recover(invoice, "1.00", D(2026, 6, 29))
    with pytest.raises(InvalidValueError, match="Recovery.amount"):
        Recovery(on=D(2026, 7, 1), amount=eur("0.00"))
    assert invoice == written_off()


def test_a_recovery_reads_back_and_as_of_before_it_has_none() -> None:
    """A recovered invoice round-trips through JSON, and as of the day before its recovery
    it has none (the history replayed)."""
    invoice, _ = recover(written_off(), "30.00", D(2026, 7, 15), "bank line 9")
    assert from_json(to_json(invoice), Invoice) == invoice
    before = as_of(invoice, today=D(2026, 7, 14))
    assert (before.recoveries, before.recovered) == ((), eur("0.00"))
    assert before.history[-1].kind is EventKind.WRITE_OFF


def test_an_invoice_refuses_recoveries_its_history_did_not_book() -> None:
    """The invoice checks its recoveries against its history: none without a RECOVERY entry,
    none beyond what was written off, each entry's detail naming its recovery, and none on
    another day than its entry's."""
    invoice, _ = recover(written_off(), "30.00", D(2026, 7, 15))
    extra = Recovery(on=D(2026, 7, 15), amount=eur("1.00"))
    with pytest.raises(InvalidValueError, match=r"recoveries\[1\]"):
        attrs.evolve(invoice, recoveries=(*invoice.recoveries, extra))
    too_much = Recovery(on=D(2026, 7, 15), amount=eur("125.00"))
    with pytest.raises(InvalidValueError, match=r"recoveries\[0\].amount"):
        attrs.evolve(invoice, recoveries=(too_much,))
    other = Recovery(on=D(2026, 7, 15), amount=eur("31.00"))
    with pytest.raises(InvalidValueError, match=r"history\[3\].detail"):
        attrs.evolve(invoice, recoveries=(other,))
    later = Recovery(on=D(2026, 7, 16), amount=eur("30.00"))
    with pytest.raises(InvalidValueError, match=r"recoveries\[0\].on"):
        attrs.evolve(invoice, recoveries=(later,))
    with pytest.raises(InvalidValueError, match="Invoice.recoveries"):
        attrs.evolve(sent(), status=Status.DRAFT, number="", recoveries=(extra,), history=())
    foreign = Recovery(on=D(2026, 7, 15), amount=Money("30.00", "USD"))
    with pytest.raises(InvalidValueError, match=r"Invoice.recoveries\[0\]"):
        attrs.evolve(invoice, recoveries=(foreign,))


@given(
    amounts=st.lists(st.integers(min_value=1, max_value=20_000), min_size=1, max_size=6),
    fee=st.sampled_from(("0.00", "5.00")),
)
def test_law_recoveries_never_exceed_the_write_off_and_conserve_money(
    amounts: list[int], fee: str
) -> None:
    """Law (item 10): whatever is received after a write-off, in whatever amounts, the
    recoveries add up to at most the write-off (which stays as it was), what was received is
    what was booked plus the overpayments, nothing is open, and
    ``total_due == settled + written_off + open_amount`` still holds."""
    invoice = written_off(fee=fee)
    written = invoice.written_off
    received = booked_over = eur("0.00")
    day = WRITTEN_ON
    for cents in amounts:
        day += dt.timedelta(days=1)
        amount = Money(Decimal(cents).scaleb(-2), "EUR")
        left = invoice.written_off - invoice.recovered
        if not left.is_positive:
            with pytest.raises(GuardFailedError, match="recoverable"):
                recover(invoice, str(amount.amount), day)
            continue
        invoice, over = recover(invoice, str(amount.amount), day)
        received += amount
        booked_over += over
        assert over == max(amount - left, eur("0.00"))
    assert invoice.written_off == written
    assert eur("0.00") <= invoice.recovered <= invoice.written_off
    assert received == invoice.recovered + booked_over
    assert invoice.open_amount == eur("0.00")
    assert invoice.total_due == invoice.settled + invoice.written_off + invoice.open_amount


def test_a_document_without_recoveries_or_plans_reads_unchanged() -> None:
    """The new fields are optional: a document written before them (no ``recoveries``, no
    ``instalment_plans``) reads as the same invoice, with neither."""
    invoice = written_off()
    document = to_dict(invoice)
    del document["recoveries"], document["instalment_plans"]
    read = from_dict(document, Invoice)
    assert read == invoice
    assert (read.recoveries, read.instalment_plans) == ((), ())
