"""Issue 24, item 11: a credit note for an agreed amount (a price reduction) on the main road,
``dunlib.credit(invoice, amount=...)``, its tax split over the invoice's rates with no cent
lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import ACME, ANN, SAM, TWO, line
from dunlib import (
    Authority,
    CreditNote,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    PolicyViolationError,
    Status,
    credit,
    derive_credit_note,
)
from dunlib.workflow.documents import credit_note_tax

DAY = dt.date(2026, 4, 2)
MIXED = Invoice.sent(
    number="RE-1",
    customer=ACME,
    issue_date=dt.date(2026, 4, 1),
    lines=[line("100.00", rate=19), line("50.00", rate=7)],
)
"""100.00 net at 19 % (119.00 gross) and 50.00 net at 7 % (53.50 gross): 172.50 gross."""


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def test_a_price_reduction_of_20_splits_over_19_and_7_percent_without_losing_a_cent() -> None:
    """Seed 002, state 3: "Sollte bereits ein Zahlungsfluss stattgefunden haben, können Sie
    über Gutschrift Teile oder die gesamte Ausgangsrechnung gutschreiben" (parts, not only
    whole lines). Invoice RE-1, 172.50 gross (119.00 at 19 %, 53.50 at 7 %); agreed
    reduction 20.00. Shares by gross: 20 x 119/172.5 = 13.797 and 20 x 53.5/172.5 = 6.203;
    floored 13.79 + 6.20, the cent left goes to the larger remainder (0.7 > 0.3): 13.80 at
    19 %, 6.20 at 7 %. Tax each share contains: 13.80 x 19/119 = 2.2034 -> 2.20 (net
    11.60); 6.20 x 7/107 = 0.4056 -> 0.41 (net 5.79). The note is 20.00 exactly; RE-1 is
    left with 152.50 open and stays SENT."""
    done = credit(MIXED, id="GS-1", actor=SAM, on=DAY, authority=TWO, amount=eur("20.00"))
    note = done.note
    assert note.amount == eur("20.00")
    assert note.reason == "Preisnachlass zu Rechnung RE-1"  # in the customer's language
    assert [(ln.tax_rate, ln.net, ln.quantity) for ln in note.lines] == [
        (Decimal(7), eur("5.79"), Decimal(1)),
        (Decimal(19), eur("11.60"), Decimal(1)),
    ]
    assert [ln.description for ln in note.lines] == [
        "Preisnachlass von 6,20\xa0€ brutto zu 7 % USt.",
        "Preisnachlass von 13,80\xa0€ brutto zu 19 % USt.",
    ]
    assert done.invoice.open_amount == eur("152.50")
    assert done.invoice.credited == eur("20.00")
    assert done.invoice.status is Status.SENT
    assert done.invoice.history[-1].detail == "credit note GS-1 of 20.00 EUR"


def test_the_whole_open_amount_credited_as_an_amount_settles_the_invoice() -> None:
    """172.50 agreed off RE-1 (all of it): 119.00 at 19 % (tax 19.00, net 100.00) and 53.50
    at 7 % (tax 3.50, net 50.00), the invoice's own nets; RE-1 is PAID, nothing open."""
    done = credit(MIXED, id="GS-2", actor=SAM, on=DAY, authority=TWO, amount=eur("172.50"))
    assert [ln.net for ln in done.note.lines] == [eur("50.00"), eur("100.00")]
    assert done.invoice.status is Status.PAID
    assert done.invoice.open_amount.is_zero


def test_the_eyes_policy_and_the_guards_apply_as_to_any_credit_note() -> None:
    """Under 4 eyes the drafter may not book it (ann drafts, sam books: fine); more than
    what is open is refused by the CREDIT row's guard within-open; the reason given is
    kept."""
    four = Authority(eyes=4)
    with pytest.raises(PolicyViolationError):
        credit(MIXED, id="GS-3", actor=SAM, on=DAY, authority=four, amount=eur("1.00"))
    done = credit(
        MIXED,
        id="GS-3",
        actor=SAM,
        drafted_by=ANN,
        on=DAY,
        authority=four,
        amount=eur("1.00"),
        reason="scratched casing",
    )
    assert done.note.reason == "scratched casing"
    paid_half = credit(MIXED, id="GS-4", actor=SAM, on=DAY, authority=TWO, amount=eur("100.00"))
    with pytest.raises(Exception, match="within-open"):
        credit(paid_half.invoice, id="GS-5", actor=SAM, on=DAY, authority=TWO, amount=eur("80.00"))


def test_what_an_amount_credit_note_refuses() -> None:
    """Not a Money; another currency; zero; more than the invoice's gross; an amount with a
    selection of lines."""
    for amount, kind in (
        ("20.00", InvalidTypeError),
        (Money("20.00", "USD"), InvalidValueError),
        (eur("0.00"), InvalidValueError),
        (eur("172.51"), InvalidValueError),
    ):
        with pytest.raises(kind, match="derive_credit_note.amount"):
            derive_credit_note(MIXED, id="GS-9", on=DAY, actor=SAM, amount=amount)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="not both"):
        derive_credit_note(MIXED, id="GS-9", on=DAY, actor=SAM, amount=eur("1.00"), selection=[0])


def test_a_rate_whose_lines_total_zero_or_less_takes_no_share() -> None:
    """An invoice of 100.00 at 19 % and a deduction of -10.00 at 7 % (gross -10.70): the
    whole reduction of 11.90 falls on 19 % (tax 1.90, net 10.00); no line at 7 %."""
    invoice = Invoice.sent(
        number="RE-2",
        customer=ACME,
        issue_date=dt.date(2026, 4, 1),
        lines=[line("100.00", rate=19), line("-10.00", rate=7)],
    )
    note = derive_credit_note(invoice, id="GS-6", on=DAY, actor=SAM, amount=eur("11.90"))
    assert [(ln.tax_rate, ln.net) for ln in note.lines] == [(Decimal(19), eur("10.00"))]


def _shares_of(invoice: Invoice, note: CreditNote) -> list[Money]:
    """Each line's share of the note's amount: its net and the tax its share holds."""
    taxes = dict(credit_note_tax(invoice, note))
    return [line.net + taxes[line.tax_rate] for line in note.lines]


@settings(max_examples=200, deadline=None)
@given(
    nets=st.lists(
        st.tuples(st.integers(1, 500_000), st.sampled_from((0, 7, 19))), min_size=1, max_size=4
    ),
    cents=st.integers(1, 10**9),
)
def test_law_an_amount_credit_note_is_the_amount_and_each_share_holds_the_tax_it_contains(
    nets: list[tuple[int, int]], cents: int
) -> None:
    """Law: for any invoice and any amount up to its gross, the note's amount is the amount;
    the shares (one per rate) add up to it exactly and lie within a cent of
    ``amount x gross of the rate / gross``; each share's tax is ``share x r / (100 + r)``
    rounded half-up and its line's net is the share less that tax (so net + tax = share:
    no cent lost); recomputed as an invoice's tax on that net, the share is off by at most
    the one cent the tax jumps at some nets (0.03 at 19 % contains no tax; 0.03 net would
    carry 0.01)."""
    invoice = Invoice.sent(
        number="RE-3",
        customer=ACME,
        issue_date=dt.date(2026, 4, 1),
        lines=[
            LineItem(
                description="x",
                quantity=1,
                unit_price=Money(Decimal(n).scaleb(-2), "EUR"),
                tax_rate=r,
            )
            for n, r in nets
        ],
    )
    amount = Money(Decimal(cents % int(invoice.gross.amount * 100) + 1).scaleb(-2), "EUR")
    note = derive_credit_note(invoice, id="GS-7", on=DAY, actor=SAM, amount=amount)
    assert note.amount == amount
    shares = _shares_of(invoice, note)
    assert sum((s.amount for s in shares), Decimal(0)) == amount.amount
    gross_by_rate = {}
    for rate, tax in invoice.tax_by_rate:
        net = sum((ln.net.amount for ln in invoice.lines if ln.tax_rate == rate), Decimal(0))
        gross_by_rate[rate] = net + tax.amount
    for note_line, share in zip(note.lines, shares, strict=True):
        rate = note_line.tax_rate
        exact = (
            Fraction(amount.amount) * Fraction(gross_by_rate[rate]) / Fraction(invoice.gross.amount)
        )
        assert abs(Fraction(share.amount) - exact) < Fraction(1, 100)
        contained = Fraction(share.amount) * Fraction(rate) / (100 + Fraction(rate))
        held = share.amount - note_line.net.amount
        assert abs(Fraction(held) - contained) <= Fraction(1, 200)
        recomputed = note_line.net.amount + note_line.net.scaled(rate / 100).amount
        assert abs(recomputed - share.amount) <= Decimal("0.01")


def test_a_price_reduction_speaks_the_customer_s_language() -> None:
    """The lines and reason dunlib writes are German for a German-speaking customer and
    English for any other (a French one too); the amounts are the same."""
    for locale in ("en_GB", "fr_FR"):
        invoice = attrs.evolve(MIXED, customer=attrs.evolve(ACME, locale=locale))
        note = derive_credit_note(invoice, id="GS-1", on=DAY, actor=SAM, amount=eur("20.00"))
        assert note.reason == "price reduction for invoice RE-1"
        assert [ln.description[:19] for ln in note.lines] == ["price reduction of "] * 2
        assert [ln.net for ln in note.lines] == [eur("5.79"), eur("11.60")]
