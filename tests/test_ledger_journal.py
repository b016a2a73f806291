"""The journal (dunlib.ledger.bookings): the entries an invoice's history implies, their laws
and worked examples with exact postings.

The chart used here, :data:`CHART`, is a stand-in of the SKR03 numbers for the roles
(the real charts are :mod:`dunlib.ledger.accounts`'); the journal asks only
``chart.account(role, category)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import ACME, DORA, RITA, SAM, TWO, call_with_junk, eur, notice_action, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    CustomerAccount,
    DunlibError,
    HistoryEntry,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PaymentTerms,
    Status,
    as_of,
    cancel,
    create_draft,
    credit,
    keep_overpayment,
    merge_drafts,
    record_payment,
    record_stage,
    use_credit,
    write_off,
)
from dunlib import strategies as ds
from dunlib.core import EventKind, InterestCharge, IssuedStage, TaxCategory, minor_unit, quick
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.transitions import Command
from dunlib.dunning import record_interest
from dunlib.ledger import BOOKINGS, SKR03, JournalEntry, Posting, Role, journal, journal_of
from dunlib.ledger._groups import _shares, _tax_code
from dunlib.payments import (
    FeeWaiver,
    Recovery,
    Reversal,
    allocations,
    record_recovery,
    reverse_payment,
    waive_fees,
)
from dunlib.workflow import book_by_hand, send, transition

ROLE_ACCOUNTS = {
    Role.RECEIVABLES: "1400",
    Role.BANK: "1200",
    Role.DISCOUNTS_GRANTED: "8730",
    Role.BAD_DEBTS: "2400",
    Role.RECOVERIES: "2732",
    Role.FEE_INCOME: "2650",
    Role.INTEREST_INCOME: "2650",
    Role.CUSTOMER_CREDIT: "1495",
}
"""A stand-in chart (SKR03-like numbers; fee and interest income on one account, which
the journal must allow)."""
BY_CATEGORY: dict[tuple[Role, TaxCategory | None], str] = {
    (Role.REVENUE, TaxCategory.STANDARD): "8400",
    (Role.REVENUE, TaxCategory.REDUCED): "8300",
    (Role.OUTPUT_VAT, TaxCategory.STANDARD): "1776",
    (Role.OUTPUT_VAT, TaxCategory.REDUCED): "1771",
}


@attrs.frozen
class StandIn:
    """The interface of :class:`dunlib.ledger.Chart` the journal uses."""

    def account(self, role: Role, category: TaxCategory | None = None) -> str:
        """The account of ``role`` (for ``category``): by category where one is listed."""
        if (role, category) in BY_CATEGORY:
            return BY_CATEGORY[role, category]
        if role is Role.REVENUE:
            return "8100"  # tax-free revenue
        if role is Role.OUTPUT_VAT:
            return "1770"
        return ROLE_ACCOUNTS[role]


CHART = StandIn()

DAY = dt.date(2026, 5, 4)


def postings(entry: JournalEntry) -> list[tuple[str, str, str]]:
    """The entry's postings as (account, amount, tax code)."""
    return [(p.account, str(p.amount.amount), p.tax_code) for p in entry.postings]


def by_role(entries: Any, role: Role, until: dt.date | None = None) -> Decimal:
    """The sum of the postings on ``role`` of ``entries`` dated up to ``until``."""
    return sum(
        (
            p.amount.amount
            for e in entries
            if until is None or e.on <= until
            for p in e.postings
            if p.role is role
        ),
        Decimal(0),
    )


def nineteen(net: str = "100.00", *, terms: PaymentTerms | None = None) -> Invoice:
    """An invoice RE-1 to ACME of one line of ``net`` at 19 %, sent on 4 May 2026."""
    line = LineItem(description="Work", quantity=1, unit_price=eur(net), tax_rate=19)
    return Invoice.sent(number="RE-1", customer=ACME, issue_date=DAY, lines=[line], terms=terms)


def pay(invoice: Invoice, amount: str, on: dt.date, reference: str = "") -> Invoice:
    payment = Payment(on=on, amount=eur(amount), reference=reference)
    return record_payment(invoice, payment, actor=AUTOMATIC, authority=TWO).invoice


# -- worked examples ------------------------------------------------------------------------


def test_an_invoice_of_119_at_19_percent_paid_with_2_percent_cash_discount() -> None:
    """119.00 (100.00 net, 19.00 VAT) on 2 % within 10 days, paid 116.62 on day 5: the
    payment's entry debits the bank 116.62, the discount 2.00 net to discounts granted and
    its 0.38 VAT back to output VAT, and credits receivables 119.00. The discount reduces the
    taxable amount, and with it the VAT (§ 17 (1) Satz 1 UStG: "Hat sich die
    Bemessungsgrundlage für einen steuerpflichtigen Umsatz ... geändert, hat der
    Unternehmer, der diesen Umsatz ausgeführt hat, den dafür geschuldeten Steuerbetrag zu
    berichtigen"; UStAE 17.1 Abs. 1: Skonti are such a change); 2.38 gross at 19 % holds
    2.38 x 19 / 119 = 0.38 VAT (SKR03: 8736 "Gewährte Skonti 19 % USt" is the usual
    account, 8730 here)."""
    terms = PaymentTerms(net_days=30, discount_percent=Decimal(2), discount_days=10)
    paid = pay(nineteen(terms=terms), "116.62", DAY + dt.timedelta(days=5), "RE-1")
    sent, payment = journal(paid, chart=CHART)
    assert (sent.on, sent.document, sent.entry, sent.value_date) == (DAY, "RE-1", 0, None)
    assert postings(sent) == [
        ("1400", "119.00", ""),
        ("8400", "-100.00", "S19"),
        ("1776", "-19.00", "S19"),
    ]
    assert (payment.on, payment.value_date, payment.entry) == (
        dt.date(2026, 5, 9),
        dt.date(2026, 5, 9),
        1,
    )
    assert postings(payment) == [
        ("1200", "116.62", ""),
        ("8730", "2.00", "S19"),
        ("1776", "0.38", "S19"),
        ("1400", "-119.00", ""),
    ]
    assert payment.text == "payment with cash discount RE-1"


def dunned_with_fee() -> Invoice:
    """RE-1 (119.00) dunned on 4 June with a 5.00 fee."""
    invoice = nineteen()
    action = notice_action(invoice, dt.date(2026, 6, 4), fee="5.00")
    return record_stage(invoice, action, actor=AUTOMATIC, authority=TWO)


def test_a_dunned_invoice_paid_fee_first() -> None:
    """Seed 002, state 5: "wird automatisch die Mahngebühr abgezogen und der Restbetrag als
    Teilzahlung angezeigt" (§ 367 (1) BGB: costs, then interest, then the principal). The
    notice's 5.00 fee is booked on receivables against fee income without VAT: a dunning
    fee is damages for late payment, not consideration for a supply (UStAE 1.3 Abs. 6 Satz
    4: "Mahngebühren oder Mahnkosten ... sind ... nicht Entgelt für eine besondere
    Leistung"). A payment of 50.00 settles the fee first and 45.00 of the principal
    (its allocation); its entry is bank 50.00 against receivables 50.00, and the last
    74.00 settles the rest: receivables end at zero."""
    dunned = dunned_with_fee()
    first = pay(dunned, "50.00", dt.date(2026, 6, 10))
    paid = pay(first, "74.00", dt.date(2026, 6, 20))
    assert paid.status is Status.PAID
    (split, _) = allocations(paid)
    assert (split.fees, split.principal) == (eur("5.00"), eur("45.00"))
    _, fee, part, rest = journal(paid, chart=CHART)
    assert (fee.on, fee.text, fee.entry) == (dt.date(2026, 6, 4), "dunning level 1", 1)
    assert postings(fee) == [("1400", "5.00", ""), ("2650", "-5.00", "")]
    assert postings(part) == [("1200", "50.00", ""), ("1400", "-50.00", "")]
    assert postings(rest) == [("1200", "74.00", ""), ("1400", "-74.00", "")]
    assert by_role(journal(paid, chart=CHART), Role.RECEIVABLES) == 0


def test_a_write_off_of_a_partly_paid_invoice_and_a_recovery() -> None:
    """RE-1 (119.00 at 19 %) paid 50.00 before it fell due, dunned with a 5.00 fee and
    written off as uncollectible with 74.00 open: 69.00 of principal and the 5.00 fee. The
    principal's VAT is corrected (§ 17 (2) Nr. 1 Satz 1 UStG: "Ist das vereinbarte Entgelt
    ... uneinbringlich geworden", § 17 (1) applies): 69.00 holds 69 x 19 / 119 = 11.02 VAT,
    57.98 net to bad debts; the fee carried no VAT, so 5.00 goes to bad debts as it is.
    Recoveries of 3.00 and 17.00 later charge the VAT again (§ 17 (2) Nr. 1 Satz 2 UStG: "Wird das
    Entgelt nachträglich vereinnahmt, sind Steuerbetrag ... erneut zu berichtigen"); it
    recovers the fee first (§ 367 (1) BGB): the 3.00 and 2.00 of the 17.00 without VAT, then
    15.00 of principal: 2.39 VAT, 12.61 net."""
    paid = pay(nineteen(), "50.00", dt.date(2026, 5, 10))
    action = notice_action(paid, dt.date(2026, 6, 4), fee="5.00")
    dunned = record_stage(paid, action, actor=AUTOMATIC, authority=TWO)
    written = write_off(dunned, actor=SAM, on=dt.date(2026, 9, 1), authority=TWO)
    recovered = written
    for on, amount in ((dt.date(2026, 9, 20), "3.00"), (dt.date(2026, 10, 1), "17.00")):
        recovered = record_recovery(
            recovered,
            Recovery(on=on, amount=eur(amount), reference="collector"),
            actor=SAM,
            authority=TWO,
        ).invoice
    *_, off, fee_back, back = journal(recovered, chart=CHART)
    assert postings(fee_back) == [("1200", "3.00", ""), ("2732", "-3.00", "")]
    assert (off.on, off.text) == (dt.date(2026, 9, 1), "written off as uncollectible: 74.00 EUR")
    assert postings(off) == [
        ("1400", "-74.00", ""),
        ("2400", "57.98", "S19"),
        ("1776", "11.02", "S19"),
        ("2400", "5.00", ""),
    ]
    assert (back.on, back.value_date, back.text) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 1),
        "recovery collector",
    )
    assert postings(back) == [
        ("1200", "17.00", ""),
        ("2732", "-2.00", ""),
        ("2732", "-12.61", "S19"),
        ("1776", "-2.39", "S19"),
    ]


def test_a_cancellation_reverses_revenue_by_the_cancelling_invoice() -> None:
    """A cancelled invoice (Storno, seed 002: "Über Storno erstellen Sie einen Vorgang zur
    Stornierung der gesamten Ausgangsrechnung") and its cancelling invoice ST-1: the
    cancelling invoice's sending reverses revenue and VAT (its lines are the original's
    negated); the two claims are cleared against each other through the customer-credit
    account, which is back at zero that day; the waived fee reverses fee income. Over both
    invoices revenue, VAT, receivables and customer credit all end at zero."""
    dunned = dunned_with_fee()
    done = cancel(
        dunned,
        id="ST-1",
        actor=SAM,
        on=dt.date(2026, 6, 8),
        sequence=NumberSequence(prefix="ST-"),
        authority=TWO,
    )
    *_, cancelled = journal(done.original, chart=CHART)
    assert cancelled.text == "cancelled by ST-1"
    assert postings(cancelled) == [
        ("1400", "-124.00", ""),
        ("1495", "119.00", ""),
        ("2650", "5.00", ""),
    ]
    sent, cleared = journal(done.cancelling, chart=CHART)
    assert postings(sent) == [
        ("1400", "-119.00", ""),
        ("8400", "100.00", "S19"),
        ("1776", "19.00", "S19"),
    ]
    assert postings(cleared) == [("1400", "119.00", ""), ("1495", "-119.00", "")]
    both = list(journal_of([done.original, done.cancelling], chart=CHART))
    for role in Role:
        if role is not Role.FEE_INCOME:
            assert by_role(both, role) == 0, role


def test_a_credit_note_beyond_the_principal_reverses_fee_income() -> None:
    """A credit note reduces the principal first, then fees (dunlib.payments.allocation):
    with 1.00 of principal and the 5.00 fee open, a credit note of 6.00 reverses 0.84 net
    and 0.16 VAT (1.00 x 19 / 119, half-up) and 5.00 of fee income."""
    dunned = record_stage(
        pay(nineteen(), "118.00", dt.date(2026, 5, 10)),
        notice_action(pay(nineteen(), "118.00", dt.date(2026, 5, 10)), dt.date(2026, 6, 4), "5.00"),
        actor=AUTOMATIC,
        authority=TWO,
    )
    noted = credit(
        dunned, id="GS-1", actor=SAM, on=dt.date(2026, 6, 5), authority=TWO, amount=eur("6.00")
    ).invoice
    note = journal(noted, chart=CHART)[-1]
    assert note.text == "credit note GS-1"
    assert postings(note) == [
        ("1400", "-6.00", ""),
        ("8400", "0.84", "S19"),
        ("1776", "0.16", "S19"),
        ("2650", "5.00", ""),
    ]


def test_a_credit_note_of_lines_reverses_their_revenue_by_category() -> None:
    """A credit note of the second line (50.00 at 7 %) reverses that line's revenue and VAT
    exactly, on the accounts of its category (reduced: 8300 and 1771); a later cash
    discount is then shared over what is left: the 19 % line alone."""
    lines = [
        LineItem(description="Work", quantity=1, unit_price=eur("100.00"), tax_rate=19),
        LineItem(
            description="Book",
            quantity=1,
            unit_price=eur("50.00"),
            tax_rate=7,
            tax_category=TaxCategory.REDUCED,
        ),
    ]
    terms = PaymentTerms(net_days=30, discount_percent=Decimal(2), discount_days=10)
    invoice = Invoice.sent(number="RE-2", customer=ACME, issue_date=DAY, lines=lines, terms=terms)
    noted = credit(
        invoice, id="GS-2", actor=SAM, on=DAY, authority=TWO, selection=[1], drafted_by=DORA
    ).invoice
    paid = pay(noted, "116.62", DAY + dt.timedelta(days=3))
    sent, note, payment = journal(paid, chart=CHART)
    assert postings(sent) == [
        ("1400", "172.50", ""),
        ("8400", "-100.00", "S19"),
        ("1776", "-19.00", "S19"),
        ("8300", "-50.00", "S7"),
        ("1771", "-3.50", "S7"),
    ]
    assert postings(note) == [
        ("1400", "-53.50", ""),
        ("8300", "50.00", "S7"),
        ("1771", "3.50", "S7"),
    ]
    assert postings(payment) == [
        ("1200", "116.62", ""),
        ("8730", "2.00", "S19"),
        ("1776", "0.38", "S19"),
        ("1400", "-119.00", ""),
    ]


def test_an_overpayment_is_kept_as_customer_credit_and_used_on_another_invoice() -> None:
    """Money beyond what is open goes to the customer-credit account (a liability) with the
    payment; keeping it on the customer's account posts nothing more; using it on another
    invoice takes it out of that account instead of the bank."""
    result = record_payment(
        nineteen(), Payment(on=DAY, amount=eur("125.00")), actor=AUTOMATIC, authority=TWO
    )
    _, payment = journal(result.invoice, chart=CHART)
    assert payment.text == "payment, overpaid"
    assert postings(payment) == [
        ("1200", "125.00", ""),
        ("1400", "-119.00", ""),
        ("1495", "-6.00", ""),
    ]
    account = keep_overpayment(
        CustomerAccount(customer_id=ACME.id), result, actor=AUTOMATIC, authority=TWO
    )
    other = Invoice.sent(number="RE-9", customer=ACME, gross=eur("10.00"), issue_date=DAY)
    used = use_credit(account, other, on=DAY, actor=AUTOMATIC, authority=TWO).invoice
    _, taken = journal(used, chart=CHART)
    assert taken.text == "customer credit used"
    assert postings(taken) == [("1495", "6.00", ""), ("1400", "-6.00", "")]
    nothing = Invoice.sent(number="RE-0", customer=ACME, gross=eur("0.00"), issue_date=DAY)
    over = pay(nothing, "3.00", DAY)
    (kept,) = journal(over, chart=CHART)
    assert (kept.text, postings(kept)) == (
        "overpayment kept as customer credit",
        [("1200", "3.00", ""), ("1495", "-3.00", "")],
    )


def test_a_negative_draft_booked_by_hand_clears_its_credit_in_one_entry() -> None:
    """Seed 002, state 0: a negative invoice is booked by hand. Its one entry reverses
    revenue 50.00 and VAT 9.50 and credits the customer 59.50 (cleared: booked outside
    dunlib); receivables are untouched."""
    plus = create_draft(
        id="D-1", customer=ACME, currency="EUR", actor=DORA, on=DAY,
        lines=[LineItem(description="A", quantity=1, unit_price=eur("100.00"), tax_rate=19)],
    )  # fmt: skip
    minus = create_draft(
        id="D-2", customer=ACME, currency="EUR", actor=DORA, on=DAY,
        lines=[LineItem(description="B", quantity=1, unit_price=eur("-150.00"), tax_rate=19)],
    )  # fmt: skip
    merged = merge_drafts([plus, minus], actor=DORA, on=DAY, authority=TWO)
    done = book_by_hand(
        merged, actor=SAM, on=DAY, authority=TWO, sequence=NumberSequence(prefix="RE-")
    )
    (entry,) = journal(done.invoice, chart=CHART)
    assert entry.text == "invoice RE-1 booked by hand"
    assert postings(entry) == [
        ("8400", "50.00", "S19"),
        ("1776", "9.50", "S19"),
        ("1495", "-59.50", ""),
    ]


def test_default_interest_is_income_without_vat() -> None:
    """Default interest (§ 288 BGB) is damages, not consideration (UStAE 1.3 Abs. 6 Satz 3:
    "Verzugszinsen ... sind ... nicht Entgelt"): receivables against interest income, no
    tax code, whether charged on its own or claimed with a notice."""
    dunned = dunned_with_fee()
    charged = record_interest(
        dunned,
        InterestCharge(on=dt.date(2026, 6, 9), amount=eur("1.23")),
        actor=AUTOMATIC,
        authority=TWO,
    )
    entry = journal(charged, chart=CHART)[-1]
    assert (entry.text, postings(entry)) == (
        "default interest",
        [("1400", "1.23", ""), ("2650", "-1.23", "")],
    )
    notice = IssuedStage(
        level=1, on=dt.date(2026, 6, 4), due_date=dt.date(2026, 6, 11), fee=eur("5.00")
    )
    claimed = attrs.evolve(
        nineteen(),
        status=Status.DUNNED,
        issued_stages=(notice,),
        interest_charges=(InterestCharge(on=notice.on, amount=eur("0.50")),),
        history=(
            *nineteen().history,
            HistoryEntry(
                on=notice.on,
                kind=EventKind.STAGE_ISSUED,
                from_status=Status.SENT,
                to_status=Status.DUNNED,
                detail="level 1 notice sent, due 2026-06-11, fee 5.00 EUR, interest 0.50 EUR",
            ),
        ),
    )
    assert claimed.open_amount == eur("124.50")
    assert postings(journal(claimed, chart=CHART)[-1]) == [
        ("1400", "5.50", ""),
        ("2650", "-5.00", ""),
        ("2650", "-0.50", ""),
    ]


def test_entries_that_book_nothing_have_no_journal_entry() -> None:
    """A reminder without a fee, an invoice of nothing and a cancellation of nothing book no
    amount: no entry (a journal entry has two postings or more, none of them zero)."""
    free = record_stage(
        nineteen(), notice_action(nineteen(), dt.date(2026, 6, 4)), actor=AUTOMATIC, authority=TWO
    )
    assert [e.entry for e in journal(free, chart=CHART)] == [0]
    nothing = Invoice.sent(number="RE-0", customer=ACME, gross=eur("0.00"), issue_date=DAY)
    assert journal(nothing, chart=CHART) == ()
    done = cancel(
        nothing, id="ST-0", actor=SAM, on=DAY, sequence=NumberSequence(prefix="ST-"), authority=TWO
    )
    assert journal(done.original, chart=CHART) == journal(done.cancelling, chart=CHART) == ()


def test_a_tax_rate_of_two_categories_shares_its_tax_by_net() -> None:
    """Lines of two categories at one rate (standard and reduced at 7 %) share the rate's
    tax (10.50 on 150.00, the invoice's rounding point) in proportion to their nets; a line
    at 0 % of no known category posts revenue without a tax code."""
    lines = [
        LineItem(description="A", quantity=1, unit_price=eur("100.00"), tax_rate=7,
                 tax_category=TaxCategory.STANDARD),
        LineItem(description="B", quantity=1, unit_price=eur("50.00"), tax_rate=7,
                 tax_category=TaxCategory.REDUCED),
        LineItem(description="C", quantity=1, unit_price=eur("10.00")),
    ]  # fmt: skip
    invoice = Invoice.sent(number="RE-3", customer=ACME, issue_date=DAY, lines=lines)
    (sent,) = journal(invoice, chart=CHART)
    assert postings(sent) == [
        ("1400", "170.50", ""),
        ("8400", "-100.00", "S7"),
        ("1776", "-7.00", "S7"),
        ("8300", "-50.00", "S7"),
        ("1771", "-3.50", "S7"),
        ("8100", "-10.00", ""),
    ]


def test_an_invoice_through_the_workflow_books_only_its_sending() -> None:
    """Drafted, submitted, approved and sent: the steps before sending book nothing; the
    sending entry is dated on the sending day and names the number it took."""
    made = create_draft(
        id="D-1", customer=ACME, currency="EUR", actor=DORA, on=DAY,
        lines=[LineItem(description="A", quantity=2, unit_price=eur("10.00"), tax_rate=7,
                        tax_category=TaxCategory.REDUCED)],
    )  # fmt: skip
    for command, actor in ((Command.SUBMIT, DORA), (Command.APPROVE, RITA)):
        made = transition(made, command, actor=actor, on=DAY, authority=TWO)
    booked = send(made, actor=SAM, on=DAY, authority=TWO, sequence=NumberSequence(prefix="RE-"))
    (entry,) = journal(booked.invoice, chart=CHART)
    assert (entry.entry, entry.document, entry.text) == (3, "RE-1", "invoice RE-1")
    assert postings(entry) == [
        ("1400", "21.40", ""),
        ("8300", "-20.00", "S7"),
        ("1771", "-1.40", "S7"),
    ]


def test_the_tax_code_names_the_category_and_the_rate() -> None:
    """S19, S8.1 (a rate with decimals, as written shortest), S20 (not 2E+1), E0; nothing
    for a category not known."""
    assert [
        _tax_code(category, Decimal(rate))
        for category, rate in (
            (TaxCategory.STANDARD, "19.00"),
            (TaxCategory.STANDARD, "8.10"),
            (TaxCategory.STANDARD, "20"),
            (TaxCategory.EXEMPT, "0"),
            (None, "0"),
        )
    ] == ["S19", "S8.1", "S20", "E0", ""]


@given(
    amount=st.integers(-(10**6), 10**6),
    weights=st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=5),
)
def test_law_shares_add_up_and_each_is_within_a_unit_of_its_proportion(
    amount: int, weights: list[int]
) -> None:
    """Law: the largest-remainder shares add up to the amount exactly, and each is within
    one unit of its exact proportion (where the weights add up to something)."""
    shares = _shares(amount, weights)
    assert sum(shares) == amount
    total = sum(weights)
    if total and len(weights) > 1:
        for share, weight in zip(shares, weights, strict=True):
            assert abs(Fraction(share) - Fraction(amount * weight, total)) < 1


def test_an_entry_that_does_not_balance_is_refused() -> None:
    """A journal entry whose postings do not add up to zero is no journal entry."""
    one = Posting(account="1400", role=Role.RECEIVABLES, amount=eur("1.00"))
    other = Posting(account="8400", role=Role.REVENUE, amount=eur("-0.99"))
    with pytest.raises(InvalidValueError, match="balance to zero, not to 0.01 EUR"):
        JournalEntry(on=DAY, document="RE-1", text="", postings=(one, other), entry=0)
    with pytest.raises(InvalidValueError, match="at least two postings"):
        JournalEntry(on=DAY, document="RE-1", text="", postings=(one,), entry=0)


# -- streaming and refusals ---------------------------------------------------------------


def test_journal_of_streams_a_customer_and_a_range_of_days() -> None:
    """journal_of reads invoices one at a time: of one customer (a Customer or its id) and
    dated within the range only; invoices outside it are skipped without being read."""
    other = Customer(id="C-2", name="Other AG")
    paid = pay(nineteen(), "119.00", dt.date(2026, 6, 1))
    theirs = Invoice.sent(number="RE-5", customer=other, gross=eur("10.00"), issue_date=DAY)
    draft = create_draft(id="D-9", customer=ACME, currency="EUR", actor=DORA, on=DAY)
    later = Invoice.sent(
        number="RE-6", customer=ACME, gross=eur("1.00"), issue_date=dt.date(2026, 7, 1)
    )
    portfolio = [paid, theirs, draft, later]
    everything = list(journal_of(iter(portfolio), chart=CHART))
    assert [e.document for e in everything] == ["RE-1", "RE-1", "RE-5", "RE-6"]
    june = journal_of(portfolio, chart=CHART, start=dt.date(2026, 5, 5), end=dt.date(2026, 6, 30))
    assert [(e.document, e.entry) for e in june] == [("RE-1", 1)]
    for customer in (ACME, ACME.id):
        mine = journal_of(portfolio, chart=CHART, customer=customer, end=dt.date(2026, 5, 31))
        assert [(e.document, e.entry) for e in mine] == [("RE-1", 0)]
    assert list(journal_of(portfolio, chart=CHART, start=dt.date(2026, 7, 2))) == []


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: journal("RE-1", chart=CHART), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: journal(nineteen(), chart=object()), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: journal_of(5, chart=CHART), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: list(journal_of(["x"], chart=CHART)), InvalidTypeError),  # type: ignore[list-item]
        (lambda: journal_of([], chart=CHART, customer=5), InvalidTypeError),  # type: ignore[arg-type]
        (
            lambda: journal_of([], chart=CHART, start=DAY, end=DAY - dt.timedelta(1)),
            InvalidValueError,
        ),
    ],
)
def test_refusals_name_the_argument(call: Any, error: type[DunlibError]) -> None:
    """Not an invoice, not a chart, not an iterable, a customer of no kind, a range that
    ends before it starts: each a typed error."""
    with pytest.raises(error):
        call()


def test_an_account_the_chart_gives_must_be_a_number() -> None:
    """A chart answering something other than a non-empty text is refused, naming the role."""

    class Blank:
        def account(self, role: Role, category: TaxCategory | None = None) -> str:
            return " "

    with pytest.raises(InvalidValueError, match=r"journal\.chart\.account\(RECEIVABLES"):
        journal(nineteen(), chart=Blank())


def test_every_kind_that_books_has_one_booker() -> None:
    """The table: the kinds of history entry that book amounts, one function each."""
    assert set(BOOKINGS) == {
        EventKind.PAYMENT_REVERSED,
        EventKind.FEE_WAIVED,
        EventKind.TRANSITION,
        EventKind.PAYMENT,
        EventKind.CREDIT_NOTE,
        EventKind.STAGE_ISSUED,
        EventKind.INTEREST,
        EventKind.WRITE_OFF,
        EventKind.BOOKED_BY_HAND,
        EventKind.RECOVERY,
    }


# -- laws over drawn histories ------------------------------------------------------------


def _with_discount(invoice: Invoice) -> Invoice:
    """``invoice`` on 2 % cash discount terms, paid less the discount on its issue day."""
    terms = PaymentTerms(
        net_days=invoice.terms.net_days,
        discount_percent=Decimal(2),
        discount_days=min(7, invoice.terms.net_days),
    )
    base = Invoice.sent(
        number=invoice.number, customer=invoice.customer, issue_date=invoice.issue_date,
        lines=invoice.lines, terms=terms, due_date=invoice.due_date,
    )  # fmt: skip
    if not base.open_amount.is_positive:
        return base
    offer = base.terms.discount_on(base.gross, issue_date=base.issue_date, on=base.issue_date)
    amount = base.open_amount - offer
    if not amount.is_positive:
        return base
    payment = Payment(on=base.issue_date, amount=amount)
    return record_payment(base, payment, actor=AUTOMATIC, authority=TWO).invoice


def _recovered(invoice: Invoice, cents: int) -> Invoice:
    """``invoice`` (dunnable) dunned, written off and ``cents`` recovered."""
    day = max(invoice.history[-1].on, invoice.due_date) + dt.timedelta(days=1)
    if invoice.status is Status.SENT:
        invoice = record_stage(invoice, notice_action(invoice, day), actor=AUTOMATIC, authority=TWO)
    written = write_off(invoice, actor=SAM, on=invoice.history[-1].on, authority=TWO)
    amount = min(Money(Decimal(cents).scaleb(-2), "EUR"), written.written_off)
    recovery = Recovery(on=written.history[-1].on + dt.timedelta(days=3), amount=amount)
    return record_recovery(written, recovery, actor=SAM, authority=TWO).invoice


def _credited(invoice: Invoice, share: int) -> Invoice:
    """``invoice`` credited ``share`` percent of what is open, on its last day."""
    amount = Money.rounded(invoice.open_amount.amount * share / 100, invoice.currency)
    amount = min(amount, invoice.gross)
    if not amount.is_positive:
        return invoice
    on = invoice.history[-1].on
    return credit(
        invoice, id="GS-9", actor=SAM, on=on, authority=TWO, amount=amount, drafted_by=DORA
    ).invoice


def _overpaid(invoice: Invoice, cents: int) -> Invoice:
    extra = Money(Decimal(cents).scaleb(-2), invoice.currency)
    payment = Payment(on=invoice.history[-1].on, amount=invoice.open_amount + extra)
    return record_payment(invoice, payment, actor=AUTOMATIC, authority=TWO).invoice


def _waived(invoice: Invoice) -> Invoice:
    """``invoice`` with a cent of its fees waived on its last day (unchanged without fees)."""
    if invoice.status is not Status.DUNNED or not invoice.fees.is_positive:
        return invoice
    waiver = FeeWaiver(on=invoice.history[-1].on, amount=Money("0.01", invoice.currency))
    return waive_fees(invoice, waiver, actor=SAM, authority=TWO)


def _taken_back(invoice: Invoice) -> Invoice:
    """``invoice`` with its last payment not taken back taken back on its last day."""
    back = {reversal.payment for reversal in invoice.reversals}
    kept = [i for i in range(len(invoice.payments)) if i not in back]
    if not kept or invoice.status not in (Status.SENT, Status.DUNNED, Status.PAID):
        return invoice
    reversal = Reversal(on=invoice.history[-1].on, payment=kept[-1], reason="MD06")
    return reverse_payment(invoice, reversal, actor=SAM, authority=TWO).invoice


HISTORIES = st.one_of(
    ds.receivable_invoices(),
    ds.closed_invoices(),
    ds.dunned_invoices(),
    st.builds(_recovered, ds.dunnable_invoices(currency="EUR"), st.integers(1, 10**6)),
    ds.sent_invoices(currency="EUR").map(_with_discount),
    st.builds(_credited, ds.receivable_invoices(currency="EUR"), st.integers(1, 100)),
    st.builds(_overpaid, ds.receivable_invoices(currency="EUR"), st.integers(1, 10**4)),
    ds.dunned_invoices(currency="EUR").map(_waived),
    ds.receivable_invoices(currency="EUR").map(_taken_back).map(_waived),
    st.builds(_overpaid, ds.dunned_invoices(currency="EUR"), st.integers(0, 10)).map(_taken_back),
)
"""Invoice histories with every booking: payments (partial, discounted, overpaid, taken
back), notices with fees (some waived), interest, credit notes, cancellation, write-off and
recovery."""

BOOKING_KINDS = {
    EventKind.PAYMENT,
    EventKind.CREDIT_NOTE,
    EventKind.INTEREST,
    EventKind.WRITE_OFF,
    EventKind.RECOVERY,
    EventKind.BOOKED_BY_HAND,
    EventKind.PAYMENT_REVERSED,
    EventKind.FEE_WAIVED,
}


def _books(invoice: Invoice, index: int, entry: HistoryEntry, before: int) -> bool:
    """Whether history entry ``index`` moves an amount (the specification, independent of
    the journal's code): sending something, a payment, a credit note, interest, a write-off
    or a recovery, a notice with a fee or interest, a cancellation writing off something."""
    kind = entry.kind
    if kind is EventKind.TRANSITION and entry.to_status is Status.SENT:
        return not entry.from_status.is_booked and any(line.net.amount for line in invoice.lines)
    if kind is EventKind.TRANSITION and entry.to_status is Status.CANCELLED:
        return any(w.on == entry.on for w in invoice.write_offs)
    if kind is EventKind.STAGE_ISSUED:
        return bool(invoice.issued_stages[before].fee.amount) or ", interest " in entry.detail
    if kind is EventKind.WRITE_OFF:
        return any(w.on == entry.on for w in invoice.write_offs)
    return kind in BOOKING_KINDS


@settings(max_examples=150, deadline=None)
@given(invoice=HISTORIES)
def test_law_every_journal_entry_balances_to_zero(invoice: Invoice) -> None:
    """Law: the postings of every journal entry add up to zero, none is zero, and the entry
    built by the validating constructor is the same value."""
    with quick.plain():
        checked = journal(invoice, chart=CHART)
    for entry in journal(invoice, chart=CHART):
        assert sum(p.amount.amount for p in entry.postings) == 0
        assert all(p.amount.amount for p in entry.postings)
        assert attrs.evolve(entry) == entry
    assert checked == journal(invoice, chart=CHART)


@settings(max_examples=150, deadline=None)
@given(invoice=HISTORIES)
def test_law_receivables_up_to_each_day_are_the_open_amount_that_day(invoice: Invoice) -> None:
    """Law: the receivables postings of an invoice's journal dated up to any day add up to
    the invoice's open amount at the end of that day (:func:`dunlib.as_of`)."""
    entries = journal(invoice, chart=CHART)
    for day in sorted({entry.on for entry in invoice.history if entry.on >= invoice.issue_date}):
        assert (
            by_role(entries, Role.RECEIVABLES, day) == as_of(invoice, today=day).open_amount.amount
        )


@settings(max_examples=150, deadline=None)
@given(invoice=HISTORIES)
def test_law_revenue_less_reversals_is_the_net_finally_invoiced(invoice: Invoice) -> None:
    """Law: revenue and output VAT less what credit notes reversed is the gross finally
    invoiced (the gross less the principal part of the credit notes, which is what is left
    of it once payments, discounts and write-offs took theirs); where the invoice has one
    tax rate, revenue alone is the net less each note's net (the note less its VAT,
    ``note x r / (100 + r)`` half-up) and discounts less their VAT the same way."""
    entries = journal(invoice, chart=CHART)
    revenue = -by_role(entries, Role.REVENUE)
    vat_on_revenue = -sum(
        (
            p.amount.amount
            for e in entries
            if e.text.startswith(("invoice", "credit note"))
            for p in e.postings
            if p.role is Role.OUTPUT_VAT
        ),
        Decimal(0),
    )
    fees_back = sum(
        (p.amount.amount for e in entries if e.text.startswith("credit note") for p in e.postings
         if p.role in (Role.FEE_INCOME, Role.INTEREST_INCOME)),
        Decimal(0),
    )  # fmt: skip
    assert revenue + vat_on_revenue == invoice.gross.amount - (invoice.credited.amount - fees_back)
    rates = {line.tax_rate for line in invoice.lines}
    if len(rates) == 1 and not any(note.lines for note in invoice.credit_notes):
        (rate,) = rates
        net = invoice.net.amount
        for entry in entries:
            if entry.text.startswith("credit note"):
                principal = sum(
                    (p.amount.amount for p in entry.postings
                     if p.role in (Role.REVENUE, Role.OUTPUT_VAT)),
                    Decimal(0),
                )  # fmt: skip
                quantum = Decimal(1).scaleb(-minor_unit(invoice.currency))
                vat = (principal * rate / (100 + rate)).quantize(quantum, "ROUND_HALF_UP")
                net -= principal - vat
        assert revenue == net


@settings(max_examples=150, deadline=None)
@given(invoice=HISTORIES)
def test_law_every_booking_event_has_exactly_one_entry(invoice: Invoice) -> None:
    """Law: every history entry that moves an amount has exactly one journal entry, dated
    on its day, and no other entry has one."""
    entries = journal(invoice, chart=CHART)
    counts = Counter(entry.entry for entry in entries)
    assert max(counts.values(), default=1) == 1
    stages = 0
    expected = set()
    for index, entry in enumerate(invoice.history):
        if _books(invoice, index, entry, stages):
            expected.add(index)
        stages += entry.kind is EventKind.STAGE_ISSUED
    assert set(counts) == expected
    assert all(e.on == invoice.history[e.entry].on for e in entries)


@settings(max_examples=60, deadline=None)
@given(invoice=ds.dunnable_invoices(currency="EUR"))
def test_law_a_cancellation_and_its_cancelling_invoice_leave_nothing_but_waived_income(
    invoice: Invoice,
) -> None:
    """Law: cancelling an unpaid invoice, the journal of both invoices leaves revenue, VAT,
    receivables and customer credit at zero, and fee and interest income at what the
    original charged less what the cancellation waived (zero)."""
    if invoice.payments or invoice.credit_notes:
        return
    done = cancel(
        invoice, id=f"{invoice.id}-ST", actor=SAM, on=invoice.history[-1].on,
        sequence=NumberSequence(prefix="ST-"), authority=TWO,
    )  # fmt: skip
    both = list(journal_of([done.original, done.cancelling], chart=CHART))
    for role in Role:
        assert by_role(both, role) == 0, role


# -- the junk law -------------------------------------------------------------------------

LEDGER_CALLS: dict[str, tuple[Any, tuple[Any, ...], dict[str, Any]]] = {
    "journal": (journal, (nineteen(),), {"chart": CHART}),
    "journal_of": (
        lambda *a, **k: list(journal_of(*a, **k)),
        ([nineteen()],),
        {"chart": CHART, "start": DAY, "end": DAY, "customer": ACME},
    ),
    "Posting": (Posting, (), {"account": "1400", "role": Role.BANK, "amount": eur("1.00")}),
    "JournalEntry": (
        JournalEntry,
        (),
        {
            "on": DAY,
            "document": "RE-1",
            "text": "x",
            "postings": journal(nineteen(), chart=CHART)[0].postings,
            "entry": 0,
        },
    ),
}

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=4),
    st.dates(),
    st.lists(st.integers(), max_size=2),
    st.just(object()),
    st.just(nineteen()),
    st.just(eur("1.00")),
    st.just(Money("1.00", "USD")),
)


def test_every_public_function_of_the_journal_has_a_valid_call() -> None:
    """The junk law below covers every public function of dunlib.ledger.bookings."""
    import dunlib.ledger.bookings as module

    functions = {n for n in module.__all__ if callable(getattr(module, n)) and n.islower()}
    assert functions <= set(LEDGER_CALLS)
    for function, args, kwargs in LEDGER_CALLS.values():
        function(*args, **kwargs)


@given(data=st.data())
def test_law_junk_in_any_argument_raises_only_dunlib_errors(data: st.DataObject) -> None:
    """Law: a function or value of the journal given junk in any one argument either
    succeeds or raises a DunlibError, never another exception."""
    name = data.draw(st.sampled_from(sorted(LEDGER_CALLS)), label="function")
    function, args, kwargs = LEDGER_CALLS[name]
    call_with_junk(data, function, args, kwargs, JUNK)


def test_a_payment_taken_back_and_a_fee_waived_each_have_one_balanced_entry() -> None:
    """Issue 27's bookings in the journal: a fee waived lowers fee income and receivables;
    a payment taken back is owed again and leaves the bank; a payment's entry carries the
    day the money arrived. Receivables stay equal to what is open."""
    auth = Authority()
    invoice = sent("119.00")
    invoice = record_stage(
        invoice, notice_action(invoice, dt.date(2026, 5, 24), fee="5.00"), actor=AUTOMATIC,
        authority=auth,
    )  # fmt: skip
    money = Payment(on=dt.date(2026, 5, 26), amount=Money("119.00", "EUR"),
                    value_date=dt.date(2026, 5, 20))  # fmt: skip
    paid = record_payment(invoice, money, actor=AUTOMATIC, authority=auth).invoice
    back = reverse_payment(
        paid, Reversal(on=dt.date(2026, 5, 28), payment=0, reason="MD06"), actor=AUTOMATIC,
        authority=auth,
    ).invoice  # fmt: skip
    entries = journal(back, chart=SKR03)
    texts = [entry.text for entry in entries]
    assert texts[-3] == "dunning fee waived"
    assert texts[-2].startswith("payment")
    assert texts[-1] == "payment taken back MD06"
    waived, payment, taken = entries[-3:]
    assert payment.value_date == dt.date(2026, 5, 20)
    assert payment.on == dt.date(2026, 5, 26)
    fee_income = [p.amount for p in waived.postings if p.role is Role.FEE_INCOME]
    assert fee_income == [Money("5.00", "EUR")]
    receivable = sum(
        (p.amount for e in entries for p in e.postings if p.role is Role.RECEIVABLES),
        Money.zero("EUR"),
    )
    assert receivable == back.open_amount == Money("119.00", "EUR")
    assert [p.amount for p in taken.postings if p.role is Role.BANK] == [Money("-119.00", "EUR")]
