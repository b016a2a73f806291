"""Matching bank transactions to open invoices: reference, amount, subset sum, and the reasons."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import eur, reached
from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    BankTransaction,
    Customer,
    DunlibError,
    DunningRules,
    DunningStage,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    NumberSequence,
    Payment,
    PaymentTerms,
    StageKind,
    Status,
    cancel,
    match_payments,
    next_dunning_action,
    record_payment,
    record_stage,
)
from dunlib.core import sum_money
from dunlib.payments import (
    AmbiguityReason,
    Ambiguous,
    Match,
    MatchReason,
    Unmatched,
    UnmatchedReason,
    discount_offer,
)
from dunlib.payments.matching import (
    MAX_SUBSET_CANDIDATES,
    MAX_SUBSET_SIZE,
    MatchedInvoice,
    Matching,
    Outcome,
    describe_match,
)
from dunlib.strategies import bank_transactions

ACME = Customer(id="K-0001", name="ACME GmbH")
MUELLER = Customer(id="K-0002", name="Müller Maschinenbau GmbH")
ISSUED = dt.date(2026, 4, 27)
PAID_ON = dt.date(2026, 5, 4)
SKONTO = PaymentTerms(net_days=30, discount_percent=Decimal(2), discount_days=10)

FEE_RULES = DunningRules(
    stages=(DunningStage(kind=StageKind.NOTICE, days_overdue=14, fee=Money("5.00", "EUR")),)
)
"""A notice with a fee 14 days after the due date."""


def invoice(
    number: str,
    gross: str,
    customer: Customer = ACME,
    terms: PaymentTerms | None = None,
    due_date: dt.date | None = None,
) -> Invoice:
    return Invoice.sent(
        number=number,
        customer=customer,
        gross=eur(gross),
        issue_date=ISSUED,
        terms=terms,
        due_date=due_date,
    )


def line(
    amount: str, payer: str = "ACME GmbH", text: str = "", on: dt.date = PAID_ON
) -> BankTransaction:
    return BankTransaction(on=on, amount=eur(amount), payer=payer, text=text)


def outcomes(matching: Matching) -> list[Outcome]:
    return [*matching.matches, *matching.unmatched, *matching.ambiguous]


def only(matching: Matching) -> Outcome:
    """The one outcome of a matching of one transaction."""
    found = outcomes(matching)
    assert len(found) == 1
    return found[0]


# -- reference -----------------------------------------------------------------

SPELLINGS = [
    "RE-2026-0001",
    "re 2026 0001",
    "RE2026/0001",
    "Rechnung Nr. RE-2026-0001",
    "RE_2026_0001 danke",
    "re-2026-1",
    "Rg. 2026-0001",
    "SVWZ+RE20260001 EREF+NOTPROVIDED",
    "Ihre Rechnung vom 27.04.2026, Nr.RE 2026-0001",
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_reference_is_found_in_varied_spellings(text: str) -> None:
    """Case, spacing, separators, leading zeros and a left-out prefix do not hide the number."""
    books = [invoice("RE-2026-0001", "119.00"), invoice("RE-2026-0002", "119.00")]
    outcome = only(match_payments([line("119.00", payer="Someone Else", text=text)], books))
    assert isinstance(outcome, Match)
    assert outcome.reason is MatchReason.REFERENCE
    assert [part.invoice_id for part in outcome.invoices] == ["RE-2026-0001"]


@pytest.mark.parametrize(
    "text",
    ["RE-2026-00011", "RE-2026-00010", "GS-2026-0001", "12026-0001", "ARE-2026-0001", "2026-01"],
)
def test_similar_numbers_are_not_the_reference(text: str) -> None:
    """Longer numbers, other digits or letters glued on do not count as RE-2026-0001."""
    books = [invoice("RE-2026-0001", "119.00")]
    outcome = only(match_payments([line("50.00", payer="Nobody", text=text)], books))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is UnmatchedReason.UNKNOWN_PAYER


def test_short_numbers_of_digits_need_a_cue_word() -> None:
    """A digits-only number shorter than six counts only after 'Rechnung', 'Nr' and the like."""
    books = [invoice("4711", "30.00")]
    plain = only(match_payments([line("30.00", payer="Nobody", text="4711 Kölnisch")], books))
    assert isinstance(plain, Unmatched)
    cued = only(match_payments([line("30.00", payer="Nobody", text="Rechnung 4711")], books))
    assert isinstance(cued, Match)
    long_number = [invoice("20260815", "30.00")]
    assert only(match_payments([line("30.00", payer="X", text="zu 20260815")], long_number))


def test_reference_with_overpayment_reports_the_surplus() -> None:
    """130.00 referencing an invoice with 119.00 open: matched for 119.00, 11.00 overpaid."""
    outcome = only(
        match_payments([line("130.00", text="RE-2026-0001")], [invoice("RE-2026-0001", "119.00")])
    )
    assert isinstance(outcome, Match)
    assert outcome.invoices[0].amount == eur("119.00")
    assert outcome.overpayment == eur("11.00")
    assert "overpaid by 11.00 EUR" in describe_match(outcome)


def test_reference_with_partial_payment() -> None:
    """A reference with less than the open amount is a partial payment of that invoice."""
    outcome = only(
        match_payments([line("50.00", text="RE-2026-0001")], [invoice("RE-2026-0001", "119.00")])
    )
    assert isinstance(outcome, Match)
    assert outcome.invoices[0].amount == eur("50.00")
    assert outcome.overpayment == eur("0.00")


def test_reference_within_the_discount_period_takes_the_discount() -> None:
    """116.62 on 119.00 with 2 % Skonto on day 4: matched with a discount of 2.38."""
    books = [invoice("RE-2026-0001", "119.00", terms=SKONTO)]
    outcome = only(match_payments([line("116.62", text="RE-2026-0001")], books))
    assert isinstance(outcome, Match)
    assert outcome.invoices[0].discount == eur("2.38")


def test_two_references_share_the_money_oldest_due_first() -> None:
    """One transfer for two invoices: each gets its open amount, the older one first."""
    older = invoice("RE-2026-0003", "100.00")
    newer = invoice("RE-2026-0004", "50.00", due_date=dt.date(2026, 6, 1))
    both = line("150.00", text="RE-2026-0004 und RE-2026-0003")
    outcome = only(match_payments([both], [newer, older]))
    assert isinstance(outcome, Match)
    assert [(p.invoice_id, p.amount) for p in outcome.invoices] == [
        ("RE-2026-0003", eur("100.00")),
        ("RE-2026-0004", eur("50.00")),
    ]
    short = only(
        match_payments([line("120.00", text="RE-2026-0004 und RE-2026-0003")], [newer, older])
    )
    assert isinstance(short, Match)
    assert [p.amount for p in short.invoices] == [eur("100.00"), eur("20.00")]


def test_reference_to_a_paid_invoice_is_not_matched() -> None:
    """Paying an invoice twice: the second transfer is left for a person (a refund)."""
    paid = record_payment(
        invoice("RE-2026-0001", "119.00"),
        Payment(on=PAID_ON, amount=eur("119.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    outcome = only(match_payments([line("119.00", text="RE-2026-0001")], [paid.invoice]))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is UnmatchedReason.REFERENCED_INVOICE_SETTLED
    assert outcome.invoice_ids == ("RE-2026-0001",)


def test_a_paid_invoice_left_out_hides_the_double_payment() -> None:
    """Why the docs ask for PAID invoices too: without the paid RE-2026-0001, a second transfer
    naming it is taken by its amount for another open invoice of the payer."""
    paid = record_payment(
        invoice("RE-2026-0001", "119.00"),
        Payment(on=PAID_ON, amount=eur("119.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    other = invoice("RE-2026-0002", "119.00")
    again = line("119.00", text="RE-2026-0001")
    with_paid = only(match_payments([again], [paid, other]))
    assert isinstance(with_paid, Unmatched)
    assert with_paid.reason is UnmatchedReason.REFERENCED_INVOICE_SETTLED
    without = only(match_payments([again], [other]))
    assert isinstance(without, Match)
    assert without.invoices[0].invoice_id == "RE-2026-0002"


def test_double_payment_in_one_statement_is_not_matched_twice() -> None:
    """Two transfers referencing one invoice: the first pays it, the second is left over."""
    lines = [line("119.00", text="RE-2026-0001"), line("119.00", text="RE-2026-0001")]
    result = match_payments(lines, [invoice("RE-2026-0001", "119.00")])
    assert len(result.matches) == 1
    assert [u.reason for u in result.unmatched] == [UnmatchedReason.REFERENCED_INVOICE_SETTLED]


def test_reference_to_a_cancelled_invoice_is_not_payable() -> None:
    """A cancelled invoice takes no payment: the transfer is unmatched with that reason."""
    cancelled = cancel(
        invoice("RE-2026-0001", "119.00"),
        id="ST-1",
        actor=Actor(id="ann", roles={"accountant"}),
        on=PAID_ON,
        sequence=NumberSequence(prefix="ST-"),
        authority=Authority(),
    ).original
    outcome = only(match_payments([line("119.00", text="RE-2026-0001")], [cancelled]))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is UnmatchedReason.REFERENCED_INVOICE_NOT_PAYABLE
    assert "takes no payment" in describe_match(outcome)


def test_reference_in_another_currency_is_refused() -> None:
    """A USD transfer naming a EUR invoice is not matched (dunlib never converts)."""
    usd = BankTransaction(
        on=PAID_ON, amount=Money("119.00", "USD"), payer="ACME", text="RE-2026-0001"
    )
    outcome = only(match_payments([usd], [invoice("RE-2026-0001", "119.00")]))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is UnmatchedReason.CURRENCY_MISMATCH
    assert "another currency" in describe_match(outcome)


def test_money_for_the_oldest_referenced_invoice_first() -> None:
    """80.00 naming two invoices goes wholly to the older one; the newer gets nothing."""
    older = invoice("RE-2026-0003", "100.00")
    newer = invoice("RE-2026-0004", "50.00", due_date=dt.date(2026, 6, 1))
    outcome = only(
        match_payments([line("80.00", text="RE-2026-0003, RE-2026-0004")], [newer, older])
    )
    assert isinstance(outcome, Match)
    assert [(p.invoice_id, p.amount) for p in outcome.invoices] == [("RE-2026-0003", eur("80.00"))]


def test_numbers_and_names_without_letters_or_digits_match_nothing() -> None:
    """An invoice numbered '---' is never found in a text; a payer named 'GmbH' is nobody."""
    books = [invoice("---", "10.00")]
    outcome = only(match_payments([line("10.00", payer="GmbH", text="--- ---")], books))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is UnmatchedReason.UNKNOWN_PAYER


# -- amount and subset -------------------------------------------------------------


def test_unique_exact_amount_of_the_payer_matches() -> None:
    """No reference: the payer's only invoice open for exactly the amount."""
    books = [
        invoice("RE-1", "119.00"),
        invoice("RE-2", "200.00"),
        invoice("RE-3", "119.00", MUELLER),
    ]
    outcome = only(match_payments([line("119.00", payer="ACME GMBH")], books))
    assert isinstance(outcome, Match)
    assert outcome.reason is MatchReason.EXACT_AMOUNT
    assert outcome.invoices[0].invoice_id == "RE-1"


@pytest.mark.parametrize(
    "payer",
    [
        "Müller Maschinenbau GmbH",
        "MUELLER MASCHINENBAU",
        "Muller Maschinenbau",
        "Müler Maschinenbau GmbH",
        "K-0002",
        "Maschinenbau Müller GmbH, Köln",
    ],
)
def test_payer_spellings_are_recognised(payer: str) -> None:
    """Umlauts, case, legal forms, a typo, word order or the customer id identify the payer."""
    books = [invoice("RE-3", "77.00", MUELLER), invoice("RE-4", "77.00", ACME)]
    outcome = only(match_payments([line("77.00", payer=payer)], books))
    assert isinstance(outcome, Match)
    assert outcome.invoices[0].invoice_id == "RE-3"


MUELLER_BAU = Customer(id="K-0011", name="Müller Bau GmbH")
MUELLER_BAU_AG = Customer(id="K-0012", name="Müller Bau AG")
MUELLER_BAU_SUED = Customer(id="K-0013", name="Müller Bau Süd AG")
BAU_BOOKS = [
    invoice("RE-11", "500.00", MUELLER_BAU),
    invoice("RE-12", "700.00", MUELLER_BAU_AG),
    invoice("RE-13", "300.00", MUELLER_BAU_SUED),
]


def test_the_payer_is_one_customer_not_every_name_inside_it() -> None:
    """Found in the issue: 1,200.00 from exactly 'Müller Bau Süd AG' was booked on the invoices
    of 'Müller Bau GmbH' and 'Müller Bau AG' (their words appear in the payer), and 700.00
    from it on the AG's invoice. The payer is the one customer it names; neither fits."""
    lines = [line("1200.00", payer="Müller Bau Süd AG"), line("700.00", payer="Müller Bau Süd AG")]
    result = match_payments(lines, BAU_BOOKS)
    assert result.matches == ()
    assert [u.reason for u in result.unmatched] == [UnmatchedReason.NO_AMOUNT_MATCH] * 2
    own = only(match_payments([line("300.00", payer="MUELLER BAU SUED AG")], BAU_BOOKS))
    assert isinstance(own, Match)
    assert own.invoices[0].invoice_id == "RE-13"


@pytest.mark.parametrize(
    ("payer", "invoice_id"),
    [
        ("Müller Bau GmbH", "RE-11"),
        ("MUELLER BAU GMBH", "RE-11"),
        ("Müler Bau GmbH", "RE-11"),
        ("Müller Bau AG", "RE-12"),
        ("Muller Bau A.G.", "RE-12"),
        ("Müller Bau Sud AG", "RE-13"),
        ("K-0012", "RE-12"),
    ],
)
def test_names_alike_but_for_the_legal_form_are_told_apart_by_it(
    payer: str, invoice_id: str
) -> None:
    """'Müller Bau GmbH' and 'Müller Bau AG' have the same words: the legal form the payer
    names decides, also next to a typo; a typo in 'Süd' still fits 'Müller Bau Süd AG' best."""
    lines = [line(amount, payer=payer) for amount in ("500.00", "700.00", "300.00")]
    result = match_payments(lines, BAU_BOOKS)
    assert [part.invoice_id for m in result.matches for part in m.invoices] == [invoice_id]


def test_a_payer_fitting_several_customers_equally_is_ambiguous() -> None:
    """'Müller Bau' fits the GmbH and the AG alike: nothing is assigned, the line is ambiguous
    with both customers and the invoices of theirs that fit the amount; describe_match() says so."""
    outcome = only(match_payments([line("700.00", payer="Müller Bau")], BAU_BOOKS))
    assert isinstance(outcome, Ambiguous)
    assert outcome.reason is AmbiguityReason.SEVERAL_PAYERS
    assert outcome.payers == ("K-0011", "K-0012")
    assert outcome.candidates == (("RE-12",),)
    assert describe_match(outcome).endswith(
        ": ambiguous, the payer fits several customers equally well (K-0011, K-0012): RE-12"
    )
    books = [*BAU_BOOKS, invoice("RE-14", "200.00", MUELLER_BAU_AG)]
    summed = only(match_payments([line("900.00", payer="MÜLLER BAU")], books))
    assert isinstance(summed, Ambiguous)
    assert summed.candidates == (("RE-12", "RE-14"),)
    none_fit = only(match_payments([line("1.00", payer="Mueller Bau")], books))
    assert isinstance(none_fit, Ambiguous)
    assert none_fit.candidates == ()
    assert describe_match(none_fit).endswith(
        "equally well (K-0011, K-0012): no open invoice fits the amount"
    )


def test_the_customer_is_its_id_whatever_else_it_carries() -> None:
    """Invoices of one customer id with different names or settings are one payer's, not a
    tie; customer ids that differ only in separators are a tie when the payer names them."""
    renamed = attrs.evolve(MUELLER_BAU, name="Müller Bau Nord GmbH", email="a@b.example")
    books = [invoice("RE-11", "500.00", MUELLER_BAU), invoice("RE-15", "250.00", renamed)]
    for payer in ("Müller Bau GmbH", "Müller Bau Nord GmbH", "K-0011"):
        outcome = only(match_payments([line("750.00", payer=payer)], books))
        assert isinstance(outcome, Match), payer
        assert outcome.reason is MatchReason.SUBSET_SUM
    twin = Customer(id="K0011", name="Someone Else")
    books.append(invoice("RE-16", "500.00", twin))
    outcome = only(match_payments([line("500.00", payer="k 0011")], books))
    assert isinstance(outcome, Ambiguous)
    assert outcome.payers == ("K-0011", "K0011")
    assert outcome.candidates == (("RE-11",), ("RE-16",))


def test_a_typo_that_changes_the_order_of_the_words_is_forgiven() -> None:
    """Found by the benchmark's statement: 'Bauer aSnitär' for 'Bauer Sanitär KG' sorts its
    words the other way round, so the sorted names differ in most letters; the names in the
    order given differ in one swap, and that ratio counts too."""
    books = [invoice("RE-1", "10.00", Customer(id="K-8", name="Bauer Sanitär KG")), *BAU_BOOKS]
    outcome = only(match_payments([line("10.00", payer="Bauer aSnitär")], books))
    assert isinstance(outcome, Match)
    assert outcome.invoices[0].invoice_id == "RE-1"


def test_ids_and_names_of_separators_or_legal_forms_only_name_nobody() -> None:
    """A customer with the id '---' and the name 'GmbH' is found by neither: a payer '-' once
    matched it (both ids are empty without separators). A name of fewer than four letters is
    not looked for among the payer's words."""
    books = [
        invoice("RE-1", "10.00", Customer(id="---", name="GmbH")),
        invoice("RE-2", "10.00", Customer(id="K-7", name="Oka GmbH")),
    ]
    for payer in ("-", "---", "GmbH", "Oka Reisen GmbH"):
        outcome = only(match_payments([line("10.00", payer=payer)], books))
        assert isinstance(outcome, Unmatched), payer
        assert outcome.reason is UnmatchedReason.UNKNOWN_PAYER


def test_equal_amounts_are_ambiguous() -> None:
    """Two open invoices of the payer with the same amount: ambiguous, both named."""
    books = [invoice("RE-1", "119.00"), invoice("RE-2", "119.00")]
    outcome = only(match_payments([line("119.00")], books))
    assert isinstance(outcome, Ambiguous)
    assert outcome.reason is AmbiguityReason.SEVERAL_EQUAL_AMOUNTS
    assert outcome.candidates == (("RE-1",), ("RE-2",))
    assert "RE-1 or RE-2" in describe_match(outcome)


def test_discounted_amount_within_the_period_matches() -> None:
    """116.62 = 119.00 less 2 % on day 4 of 10: matched as a discounted amount."""
    books = [invoice("RE-1", "119.00", terms=SKONTO), invoice("RE-2", "50.00")]
    outcome = only(match_payments([line("116.62")], books))
    assert isinstance(outcome, Match)
    assert outcome.reason is MatchReason.DISCOUNTED_AMOUNT
    late = only(match_payments([line("116.62", on=dt.date(2026, 5, 8))], books))
    assert isinstance(late, Unmatched)
    assert late.reason is UnmatchedReason.NO_AMOUNT_MATCH


def test_unique_subset_sum_matches_several_invoices() -> None:
    """150.00 = 100.00 + 50.00, and no other set of the payer's invoices adds up to it."""
    books = [invoice("RE-1", "100.00"), invoice("RE-2", "50.00"), invoice("RE-3", "70.00")]
    outcome = only(match_payments([line("150.00")], books))
    assert isinstance(outcome, Match)
    assert outcome.reason is MatchReason.SUBSET_SUM
    assert sorted(p.invoice_id for p in outcome.invoices) == ["RE-1", "RE-2"]
    assert "only set" in describe_match(outcome)


def test_several_subsets_are_ambiguous() -> None:
    """100 + 50 and 80 + 70 both give 150.00: ambiguous, both sets listed."""
    books = [
        invoice(f"RE-{n}", gross) for n, gross in enumerate(["100.00", "50.00", "80.00", "70.00"])
    ]
    outcome = only(match_payments([line("150.00")], books))
    assert isinstance(outcome, Ambiguous)
    assert outcome.reason is AmbiguityReason.SEVERAL_SUBSETS
    assert set(outcome.candidates) == {("RE-0", "RE-1"), ("RE-2", "RE-3")}
    assert "several sets" in describe_match(outcome)


def test_subset_search_is_bounded_to_sets_of_max_subset_size() -> None:
    """Five invoices of 10.00 add up to 50.00, but no set of at most MAX_SUBSET_SIZE (4) does:
    the line stays unmatched."""
    books = [invoice(f"RE-{n}", "10.00") for n in range(MAX_SUBSET_SIZE + 1)]
    outcome = only(match_payments([line("50.00")], books))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is UnmatchedReason.NO_AMOUNT_MATCH


def test_subset_search_is_bounded_to_the_oldest_invoices() -> None:
    """Only the payer's 20 oldest-due open invoices are searched: a pair beyond them is missed."""
    books = [
        invoice(f"RE-{n:02d}", "1000.00", due_date=ISSUED + dt.timedelta(days=n))
        for n in range(MAX_SUBSET_CANDIDATES)
    ]
    late = ISSUED + dt.timedelta(days=40)
    books += [invoice(f"RE-9{n}", gross, due_date=late) for n, gross in enumerate(["1.00", "2.00"])]
    outcome = only(match_payments([line("3.00")], books))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is UnmatchedReason.NO_AMOUNT_MATCH


def test_subset_sums_of_more_than_four_invoices_are_not_searched() -> None:
    """5.00 is the sum of five of the payer's six 1.00 invoices, but a set holds at most
    MAX_SUBSET_SIZE (4) invoices: no match."""
    books = [invoice(f"RE-{n}", "1.00") for n in range(6)]
    outcome = only(match_payments([line("5.00")], books))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is UnmatchedReason.NO_AMOUNT_MATCH


@pytest.mark.parametrize(
    ("transaction", "reason"),
    [
        (line("-50.00", text="Miete"), UnmatchedReason.NOT_INCOMING),
        (line("119.00", payer="Finanzamt Köln"), UnmatchedReason.UNKNOWN_PAYER),
        (line("119.00", payer=""), UnmatchedReason.UNKNOWN_PAYER),
        (line("119.00", payer="Globex"), UnmatchedReason.NO_OPEN_INVOICE),
        (line("12.34"), UnmatchedReason.NO_AMOUNT_MATCH),
    ],
)
def test_unmatched_reasons(transaction: BankTransaction, reason: UnmatchedReason) -> None:
    """Each way of failing has its own reason, and describe_match() says it in words."""
    globex = reached(
        Status.CANCELLED, invoice("RE-9", "5.00", Customer(id="K-9", name="Globex Ltd"))
    )
    outcome = only(match_payments([transaction], [invoice("RE-1", "119.00"), globex]))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is reason
    assert "not matched" in describe_match(outcome)


def test_reference_beats_amount_across_transactions() -> None:
    """A later transfer naming RE-1 wins RE-1 over an earlier one that only has its amount."""
    books = [invoice("RE-1", "119.00")]
    early = line("119.00", on=dt.date(2026, 5, 1))
    named = line("119.00", text="RE-1", payer="Other Payer", on=dt.date(2026, 5, 2))
    result = match_payments([early, named], books)
    assert [m.transaction for m in result.matches] == [named]
    assert [u.transaction for u in result.unmatched] == [early]


def test_match_payments_records_through_record_payment() -> None:
    """The payments a match proposes book cleanly and give back the same overpayment."""
    books = [invoice("RE-1", "100.00"), invoice("RE-2", "50.00")]
    outcome = only(match_payments([line("170.00", text="RE-1 RE-2")], books))
    assert isinstance(outcome, Match)
    by_id = {book.id: book for book in books}
    overpaid = Money.zero("EUR")
    for invoice_id, payment in outcome.payments():
        result = record_payment(by_id[invoice_id], payment, actor=AUTOMATIC, authority=Authority())
        assert result.invoice.status is Status.PAID
        overpaid = overpaid + result.overpayment
    assert overpaid == outcome.overpayment == eur("20.00")


def test_bad_input_is_refused() -> None:
    """Not a transaction, not an invoice, a duplicate id or number: typed errors."""
    books = [invoice("RE-1", "1.00")]
    with pytest.raises(InvalidTypeError, match=r"transactions\[0\]"):
        match_payments(["x"], books)  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match=r"invoices\[0\]"):
        match_payments([], ["x"])  # type: ignore[list-item]
    with pytest.raises(InvalidValueError, match=r"invoices\[1\].id"):
        match_payments([], [books[0], books[0]])
    twin = attrs.evolve(books[0], id="other", number="re 1")
    with pytest.raises(InvalidValueError, match=r"invoices\[1\].number"):
        match_payments([], [books[0], twin])
    with pytest.raises(InvalidTypeError, match="BankTransaction.amount"):
        BankTransaction(on=PAID_ON, amount=Decimal(1))  # type: ignore[arg-type]


def test_a_bank_line_given_twice_is_refused() -> None:
    """Two lines with one bank id are one line imported twice: matching both would book the
    money twice, so the statement is refused, naming the second line; lines without an id
    are taken as they come."""
    books = [invoice("RE-2026-0001", "119.00")]
    twice = attrs.evolve(line("50.00", text="RE-2026-0001"), id="2026-05-04/17")
    with pytest.raises(InvalidValueError, match=r"transactions\[1\]\.id.*2026-05-04/17"):
        match_payments([twice, twice], books)
    anonymous = line("50.00", text="RE-2026-0001")
    assert len(match_payments([anonymous, anonymous], books).matches) == 2


# -- laws ---------------------------------------------------------------------------


PAYERS = (ACME, MUELLER, Customer(id="K-0003", name="Erika Mustermann"))


@st.composite
def statements(
    draw: st.DrawFn, customers: tuple[Customer, ...] = PAYERS
) -> tuple[list[Invoice], list[BankTransaction]]:
    """A few EUR invoices of three customers, with amounts that collide, and bank lines.

    Invoices are drawn from few amounts so that equal amounts and several subset
    sums happen often; some are already paid, some carry cash discount terms.
    """
    count = draw(st.integers(min_value=1, max_value=7))
    books = []
    for n in range(count):
        gross = draw(st.sampled_from(("10.00", "20.00", "30.00", "50.00", "119.00", "0.01")))
        terms = draw(st.sampled_from((None, SKONTO)))
        book = attrs.evolve(
            invoice(f"RE-2026-{n + 1:04d}", gross, draw(st.sampled_from(customers)), terms),
            id=f"INV-{n}",
        )
        if draw(st.integers(0, 4)) == 0:
            book = record_payment(
                book, Payment(on=ISSUED, amount=eur(gross)), actor=AUTOMATIC, authority=Authority()
            ).invoice
        books.append(book)
    lines = draw(st.lists(bank_transactions(invoices=tuple(books)), min_size=1, max_size=8))
    return books, lines


@given(case=statements())
def test_law_matching_never_assigns_more_than_there_is(
    case: tuple[list[Invoice], list[BankTransaction]],
) -> None:
    """Law: each transaction lands exactly once; a match's parts plus overpayment equal its amount;
    no invoice receives more than it had open (the same money is never assigned twice)."""
    books, lines = case
    result = match_payments(lines, books)
    seen = [o.transaction for o in outcomes(result)]
    assert sorted(map(id, seen)) == sorted(map(id, lines))
    assigned = {book.id: Money.zero("EUR") for book in books}
    for match in result.matches:
        total = sum((p.amount.amount for p in match.invoices), Decimal(0))
        assert Money(total, "EUR") + match.overpayment == match.transaction.amount
        assert not match.overpayment.is_negative
        for part in match.invoices:
            assert part.amount.is_positive
            assigned[part.invoice_id] = assigned[part.invoice_id] + part.amount + part.discount
    for book in books:
        assert assigned[book.id] <= book.open_amount


@given(case=statements(customers=(MUELLER_BAU, MUELLER_BAU_AG, MUELLER_BAU_SUED)))
def test_law_money_found_by_amount_goes_to_one_customer(
    case: tuple[list[Invoice], list[BankTransaction]],
) -> None:
    """Law (one payer per line): a match by amount or subset sum assigns the money to invoices
    of one customer, the one the payer names (drawn with customers named alike: 'Müller Bau
    GmbH', 'Müller Bau AG', 'Müller Bau Süd AG')."""
    books, lines = case
    owner = {book.id: book.customer for book in books}
    for match in match_payments(lines, books).matches:
        if match.reason is MatchReason.REFERENCE:
            continue
        customers = {owner[part.invoice_id] for part in match.invoices}
        assert len(customers) == 1
        assert match.transaction.payer.casefold() in {
            spelling.casefold() for spelling in _spellings(customers.pop())
        }


def _spellings(customer: Customer) -> list[str]:
    """The payer spellings bank_transactions draws, a typo (one letter dropped) aside."""
    name = customer.name
    return [name, *(name[:cut] + name[cut + 1 :] for cut in range(len(name)))]


def _record_matches(books: list[Invoice], result: Matching) -> tuple[dict[str, Invoice], Money]:
    """Book every match's proposed payments, in the matching's order; return the invoices
    by id and the overpayment record_payment gave back in total."""
    by_id = {book.id: book for book in books}
    overpaid = Money.zero("EUR")
    for match in result.matches:
        for invoice_id, payment in match.payments():
            booked = record_payment(
                by_id[invoice_id], payment, actor=AUTOMATIC, authority=Authority()
            )
            by_id[invoice_id] = booked.invoice
            overpaid = overpaid + booked.overpayment
    return by_id, overpaid


def test_matches_are_listed_in_the_order_money_was_assigned() -> None:
    """Found by the long profile: a 0.01 transfer naming RE-2026-0002 (2 % Skonto) and a
    20.00 transfer without text on the same day. Matching gives the 0.01 to RE-2026-0002 by
    reference first, then 20.00 to all three invoices by subset sum. Listed in date order,
    booking the 20.00 first settled RE-2026-0002 with a discount and the 0.01 was then
    refused; listed in assignment order, both book cleanly as matching computed them."""
    erika = Customer(id="K-0003", name="Erika Mustermann")
    books = [
        invoice("RE-2026-0001", "10.00", customer=erika),
        invoice("RE-2026-0002", "10.00", customer=erika, terms=SKONTO),
        invoice("RE-2026-0003", "0.01", customer=erika),
    ]
    lines = [
        line("20.00", payer="Erika Mustermann", on=ISSUED),
        line("0.01", payer="Erika Mustermann", text="RE-2026-0002", on=ISSUED),
    ]
    result = match_payments(lines, books)
    assert [m.reason for m in result.matches] == [MatchReason.REFERENCE, MatchReason.SUBSET_SUM]
    booked, overpaid = _record_matches(books, result)
    assert all(book.status is Status.PAID for book in booked.values())
    assert overpaid == eur("0.00")


def test_partial_then_discounted_payment_in_one_run_books_cleanly() -> None:
    """50.00 then 48.00 naming an invoice of 100.00 with 2 % Skonto, both in the period:
    the second settles it with the 2.00 discount, as record_payment books it, so a third
    transfer of 2.00 is not matched to an invoice that would then refuse it."""
    books = [invoice("RE-2026-0001", "100.00", terms=SKONTO)]
    lines = [
        attrs.evolve(line(amount, text="RE-2026-0001"), id=f"L{n}")
        for n, amount in enumerate(["50.00", "48.00", "2.00"])
    ]
    result = match_payments(lines, books)
    assert [[(p.amount, p.discount) for p in m.invoices] for m in result.matches] == [
        [(eur("50.00"), eur("0.00"))],
        [(eur("48.00"), eur("2.00"))],
    ]
    assert [(u.transaction.id, u.reason) for u in result.unmatched] == [
        ("L2", UnmatchedReason.REFERENCED_INVOICE_SETTLED)
    ]
    booked, _ = _record_matches(books, result)
    assert booked["RE-2026-0001"].status is Status.PAID


@given(case=statements())
def test_law_proposed_payments_book_as_matched(
    case: tuple[list[Invoice], list[BankTransaction]],
) -> None:
    """Law (matching agrees with record_payment): booking every match's payments in order is
    accepted, leaves each invoice open by what matching left of it, and gives back exactly
    the overpayments matching reported."""
    books, lines = case
    result = match_payments(lines, books)
    booked, overpaid = _record_matches(books, result)
    assigned = {book.id: Money.zero("EUR") for book in books}
    for match in result.matches:
        for part in match.invoices:
            assigned[part.invoice_id] = assigned[part.invoice_id] + part.amount + part.discount
    for book in books:
        assert booked[book.id].open_amount == max(book.open_amount, eur("0")) - assigned[book.id]
    assert overpaid == sum_money((m.overpayment for m in result.matches), "EUR")


@given(case=statements(), seed=st.randoms(use_true_random=False))
def test_law_matching_is_deterministic(
    case: tuple[list[Invoice], list[BankTransaction]], seed: random.Random
) -> None:
    """Law: the same inputs give the same result; the order of the invoices does not matter."""
    books, lines = case
    shuffled = list(books)
    seed.shuffle(shuffled)
    assert match_payments(lines, books) == match_payments(lines, books)
    assert match_payments(lines, shuffled) == match_payments(lines, books)


# -- a realistic bank statement ----------------------------------------------------

STATEMENT_SEED = 20260501
CLIENTS = (
    Customer(id="K-1001", name="Müller Maschinenbau GmbH"),
    Customer(id="K-1002", name="Schröder & Söhne KG"),
    Customer(id="K-1003", name="Bäckerei Weiß"),
    Customer(id="K-1004", name="ACME GmbH"),
    Customer(id="K-1005", name="Globex Ltd"),
    Customer(id="K-1006", name="Erika Mustermann"),
    Customer(id="K-1007", name="Hansen Logistik AG"),
    Customer(id="K-1008", name="Nordlicht Medien UG (haftungsbeschränkt)"),
    Customer(id="K-1009", name="Café Sonnenschein"),
    Customer(id="K-1010", name="Weber Elektrotechnik e.K."),
    Customer(id="K-1011", name="Blau & Partner Steuerberatung"),
    Customer(id="K-1012", name="Dr. Peter Klein"),
)
UNRELATED = (
    ("-1850.00", "Immobilien Verwaltung Nord", "Miete Lager Mai 2026"),
    ("-412.37", "Telekom Deutschland GmbH", "Lastschrift Kundennr 5520193"),
    ("-3200.00", "Lohn Mai", "SAMMLER GEHALT 05/2026"),
    ("-89.90", "Stadtwerke Köln", "Abschlag Strom 2026-05"),
    ("1287.45", "Finanzamt Köln-Mitte", "Erstattung USt 2026-03 StNr 215/5702/1180"),
    ("3.12", "Sparkasse", "Zinsgutschrift"),
    ("49.99", "Amazon Payments Europe", "Erstattung Bestellung 302-7741022"),
    ("-15.00", "Sparkasse", "Kontoführung"),
    ("250.00", "Hans Fremd", "Kaution zurück"),
    ("-620.00", "Office Supplies 24", "RE 88123 Bürobedarf"),
)


def _typo(name: str, rng: random.Random) -> str:
    """The name with two neighbouring letters swapped or one letter dropped."""
    letters = [i for i, c in enumerate(name[:-1]) if c.isalpha() and name[i + 1].isalpha()]
    i = rng.choice(letters)
    if rng.random() < 0.5:
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i + 1 :]


def _payer(customer: Customer, rng: random.Random) -> str:
    name = customer.name
    return rng.choice(
        [
            name,
            name.upper(),
            name.upper().replace("Ü", "UE").replace("Ö", "OE").replace("Ä", "AE"),
            name.split(" (")[0].replace(" GmbH", "").replace(" AG", ""),
            _typo(name, rng),
            _typo(name, rng).upper(),
        ]
    )


def _spelling(number: str, rng: random.Random) -> str:
    _, year, seq = number.split("-")
    return rng.choice(
        [
            number,
            number.lower(),
            f"re {year} {seq}",
            f"RE{year}/{seq}",
            f"Rechnung Nr. {number}",
            f"Rg. {year}-{seq} vielen Dank",
            f"RE-{year}-{int(seq)}",
            f"SVWZ+RE{year}{seq} EREF+NOTPROVIDED",
            f"Ihre Rechnung {number} vom April",
            f"{number.lower().replace('-', ' ')} Kunde",
        ]
    )


@attrs.frozen(kw_only=True)
class StatementLine:
    """A generated bank line, the invoices it truly pays (empty: none) and how it was made."""

    transaction: BankTransaction
    truth: frozenset[str]
    kind: str


# How many invoices play each part in the generated statement.
ROLES = (
    ("reference", 22),
    ("amount", 8),
    ("discounted", 3),
    ("combined", 3),
    ("partial", 3),
    ("overpaid", 2),
    ("fee case", 1),
    ("paid twice", 1),
    ("mistyped number", 1),
    ("third party", 1),
    ("equal amounts", 1),
    ("three in one", 1),
    ("partial, no number", 1),
    ("not paid", 6),
)


def generate_statement(seed: int) -> tuple[list[Invoice], list[StatementLine]]:
    """About 55 invoices of 12 customers and a bank statement of 60-odd lines paying them.

    Per line the generator knows what it pays: full payments with the number
    spelt in ten ways, payments by amount only (the payer's name with typos),
    discounted payments, two invoices in one transfer (twice with both numbers,
    once with none), partial and over-payments, the seed's fee case, a paid
    invoice paid again, a mistyped number, a payment by a third party, one of two
    equal amounts of one customer, and unrelated lines. Invoices with no line are
    distractors.
    """
    rng = random.Random(seed)
    books: list[Invoice] = []
    lines: list[StatementLine] = []

    def book(role: str, customer: Customer, cents: int | None = None) -> Invoice:
        issued = dt.date(
            2026, 4, rng.randint(20, 30) if role == "discounted" else rng.randint(1, 30)
        )
        invoice = Invoice.sent(
            number=f"RE-2026-{len(books) + 1:04d}",
            customer=customer,
            gross=Money(Decimal(cents or rng.randint(4_000, 480_000)).scaleb(-2), "EUR"),
            issue_date=issued,
            terms=SKONTO if role == "discounted" or rng.random() < 0.2 else None,
        )
        if role == "fee case" or (role == "reference" and rng.random() < 0.2):
            on = invoice.due_date + dt.timedelta(days=14)
            action = next_dunning_action(invoice, FEE_RULES, today=on)
            assert isinstance(action, IssueStage)
            invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
        if role == "paid twice":
            payment = Payment(on=dt.date(2026, 5, 2), amount=invoice.gross)
            invoice = record_payment(
                invoice, payment, actor=AUTOMATIC, authority=Authority()
            ).invoice
        books.append(invoice)
        return invoice

    def add(amount: Money, payer: str, text: str, truth: tuple[Invoice, ...], kind: str) -> None:
        on = dt.date(2026, 5, rng.randint(4, 29))
        deadline = truth[0].terms.discount_deadline(truth[0].issue_date) if truth else None
        if kind == "discounted" and deadline is not None:
            on = deadline
        line = BankTransaction(
            on=on, amount=amount, payer=payer, text=text, id=f"L{len(lines):03d}"
        )
        lines.append(
            StatementLine(transaction=line, truth=frozenset(i.id for i in truth), kind=kind)
        )

    for role, count in ROLES:
        for _ in range(count):
            customer = rng.choice(CLIENTS)
            invoice = book(role, customer)
            payer = _payer(customer, rng)
            if role == "reference":
                add(invoice.open_amount, payer, _spelling(invoice.number, rng), (invoice,), role)
            elif role == "amount":
                text = rng.choice(["", "Überweisung", "Zahlung", "Danke", "Auftrag 4711"])
                add(invoice.open_amount, payer, text, (invoice,), role)
            elif role == "discounted":
                deadline = invoice.terms.discount_deadline(invoice.issue_date) or invoice.issue_date
                money = invoice.open_amount - discount_offer(invoice, today=deadline)
                add(money, payer, rng.choice(["", "abzgl. 2% Skonto"]), (invoice,), role)
            elif role == "combined":
                second = book(role, customer)
                text = ""
                if len([line for line in lines if line.kind == role]) < 2:
                    text = f"{_spelling(invoice.number, rng)} und {_spelling(second.number, rng)}"
                add(invoice.open_amount + second.open_amount, payer, text, (invoice, second), role)
            elif role == "partial":
                share = invoice.open_amount.allocate([rng.randint(2, 7), 10])[0]
                add(share, payer, _spelling(invoice.number, rng), (invoice,), role)
            elif role == "overpaid":
                more = invoice.open_amount + eur("10.00")
                add(more, payer, _spelling(invoice.number, rng), (invoice,), role)
            elif role == "fee case":
                add(invoice.gross, payer, invoice.number, (invoice,), role)
            elif role == "paid twice":
                add(invoice.gross, payer, invoice.number, (), role)
            elif role == "mistyped number":
                wrong = "RE-2026-9" + invoice.number[-3:]
                add(invoice.open_amount, payer, f"Rechnung {wrong}", (invoice,), role)
            elif role == "third party":
                add(
                    invoice.open_amount, "Steuerbüro Lange", "Zahlung für Mandant", (invoice,), role
                )
            elif role == "three in one":
                group = (invoice, book(role, customer), book(role, customer))
                total = sum_money((one.open_amount for one in group), "EUR")
                add(total, payer, "Sammelüberweisung April", group, role)
            elif role == "partial, no number":
                add(invoice.open_amount.allocate([1, 1])[0], payer, "Anzahlung", (invoice,), role)
            elif role == "equal amounts":
                cents = int(invoice.gross.amount * 100)
                book("not paid", customer, cents)
                add(invoice.open_amount, payer, "", (invoice,), role)
    for amount, payer, text in UNRELATED:
        add(eur(amount), payer, text, (), "unrelated")
    rng.shuffle(lines)
    return books, lines


def test_realistic_statement_precision_and_recall(report: Callable[[str], None]) -> None:
    """A generated statement of 58 lines (fixed seed) is matched with measured quality.

    Precision: of the lines matched, the share matched to exactly the invoices they
    pay. Recall: of the lines that pay invoices, the share matched to exactly those.
    Measured with seed 20260501: precision 1.00 (44 of 44) and recall 0.94 (44 of
    47). The three misses are lines a clerk could not match without asking either:
    a third party paying without a number, a part payment without a number, and
    one of two equal amounts of one customer (reported as ambiguous). The asserts
    pin what was measured: no wrong match at all, and recall of at least 0.93, so
    one more miss fails the test. The figures are printed in the test run's summary;
    run with ``pytest -s`` to see the whole table.
    """
    books, lines = generate_statement(STATEMENT_SEED)
    assert len(lines) >= 50
    truth = {line.transaction.id: line for line in lines}
    result = match_payments([line.transaction for line in lines], books)
    matched = {
        m.transaction.id: frozenset(part.invoice_id for part in m.invoices) for m in result.matches
    }
    correct = sum(1 for key, ids in matched.items() if truth[key].truth == ids)
    payers = [line for line in lines if line.truth]
    precision = correct / len(matched)
    recall = correct / len(payers)
    print(
        f"\nstatement of {len(lines)} lines, {len(payers)} paying invoices, seed {STATEMENT_SEED}"
    )
    for outcome in sorted(outcomes(result), key=lambda o: o.transaction.id):
        line = truth[outcome.transaction.id]
        mark = "ok " if matched.get(line.transaction.id, frozenset()) == line.truth else "-- "
        text = line.transaction.text[:34]
        print(f"{mark}{line.kind:<18} {text!r:<37} {describe_match(outcome)}")
    print(f"precision {precision:.2f}  recall {recall:.2f}")
    report(
        f"payment matching, generated statement of {len(lines)} lines (seed {STATEMENT_SEED}): "
        f"precision {precision:.2f} ({correct}/{len(matched)}), "
        f"recall {recall:.2f} ({correct}/{len(payers)})"
    )
    assert precision == 1.0
    assert recall >= 0.93
    assert len(lines) == 58
    unrelated = [line for line in lines if not line.truth]
    assert not any(line.transaction.id in matched for line in unrelated)


# -- junk and very long input --------------------------------------------------------


def test_none_for_the_statement_or_the_books_is_a_typed_error() -> None:
    """None (or anything not iterable) for the transactions or the invoices, and describe_match() of
    something that is no outcome, raise InvalidTypeError naming the argument."""
    with pytest.raises(InvalidTypeError, match=r"^transactions: got None"):
        match_payments(None, [])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"^invoices: got 7"):
        match_payments([], 7)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"^outcome: got None; expected a Match"):
        describe_match(None)  # type: ignore[arg-type]


def test_a_number_of_thousands_of_digits_in_the_text_is_no_error() -> None:
    """A remittance text of 5,000 digits is read like any other: no reference, no error (it
    once hit Python's limit on converting digits to int)."""
    books = [invoice("RE-2026-0001", "119.00")]
    outcome = only(match_payments([line("119.00", payer="Nobody", text="7" * 5000)], books))
    assert isinstance(outcome, Unmatched)
    assert outcome.reason is UnmatchedReason.UNKNOWN_PAYER


def test_long_digit_runs_are_read_whole() -> None:
    """Texts of 4,000 digits are read like any other (every tail of a digit run was once
    converted to an int, 0.4 s a text; benchmarks/bench_matching.py times them); the number
    glued to the end is found."""
    books = [invoice("RE-2026-0001", "119.00")]
    texts = ["SVWZ+RE2026" + "0" * 3990 + "1"] + ["9" * 4000] * 19
    result = match_payments([line("119.00", payer="Nobody", text=text) for text in texts], books)
    assert [m.invoices[0].invoice_id for m in result.matches] == ["RE-2026-0001"]


def test_digits_that_are_no_decimal_digits_are_words() -> None:
    """A superscript two counts as a word character, not as a digit: in a text or in an invoice
    number it is no error (it once reached int())."""
    books = [invoice("RE-²", "1.00")]
    outcome = only(match_payments([line("1.00", payer="Nobody", text="Rechnung RE-²")], books))
    assert isinstance(outcome, Match)
    plain = only(match_payments([line("1.00", payer="Nobody", text="RE-2")], books))
    assert isinstance(plain, Unmatched)


def test_outcomes_refuse_fields_of_the_wrong_type() -> None:
    """Outcomes check their fields when built, so describe_match() never meets a broken one."""
    transaction = line("1.00")
    with pytest.raises(InvalidTypeError, match=r"Ambiguous.candidates\[1\]"):
        Ambiguous(
            transaction=transaction,
            reason=AmbiguityReason.SEVERAL_SUBSETS,
            candidates=(("RE-1",), ("RE-2", 3)),  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidTypeError, match=r"Ambiguous.candidates: got \['RE-1'\]"):
        Ambiguous(
            transaction=transaction,
            reason=AmbiguityReason.SEVERAL_SUBSETS,
            candidates=["RE-1"],  # type: ignore[arg-type]
        )
    with pytest.raises(InvalidTypeError, match=r"Unmatched.reason"):
        Unmatched(transaction=transaction, reason=MatchReason.REFERENCE)  # type: ignore[arg-type]


def _nested(depth: int) -> list[object]:
    nest: list[object] = []
    for _ in range(depth):
        nest = [nest]
    return nest


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**5000),
    st.floats(allow_nan=True),
    st.decimals(allow_nan=True),
    st.text(max_size=8),
    st.just("7" * 100_000),
    st.just("Müller " * 15_000),
    st.just(_nested(10_000)),
    st.dates(),
    st.just(object()),
    st.just(Money("1.00", "EUR")),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=3)), max_size=3),
)


def _junk_line(text: str) -> BankTransaction:
    return BankTransaction(on=PAID_ON, amount=eur("119.00"), payer=text, text=text)


LINES = st.one_of(
    JUNK,
    st.lists(
        st.one_of(
            JUNK,
            st.sampled_from(("7" * 100_000, "RE-2026-" + "0" * 50_000 + "1", "²" * 1000)).map(
                _junk_line
            ),
            st.text().map(_junk_line),
        ),
        max_size=3,
    ),
)


@given(lines=LINES, books=st.one_of(JUNK, st.lists(JUNK, max_size=2), st.just(None)))
def test_law_match_payments_given_junk_raises_only_dunlib_errors(
    lines: object, books: object
) -> None:
    """Law: match_payments given junk (None, numbers, huge ints, strings of 100,000 characters,
    deeply nested lists, lines with such texts) returns a Matching or raises a DunlibError."""
    valid = [invoice("RE-2026-0001", "119.00")]
    for invoices in (books, valid):
        try:
            result = match_payments(lines, invoices)  # type: ignore[arg-type]
        except DunlibError:
            continue
        assert isinstance(result, Matching)


def _one_of_each_outcome() -> list[Outcome]:
    books = [invoice("RE-1", "119.00"), invoice("RE-2", "50.00"), invoice("RE-3", "50.00")]
    result = match_payments([line("119.00"), line("50.00"), line("1.00")], books)
    return [*result.matches, *result.unmatched, *result.ambiguous]


@given(data=st.data(), junk=JUNK)
def test_law_explain_given_junk_raises_only_dunlib_errors(data: st.DataObject, junk: Any) -> None:
    """Law: describe_match() of junk, or of an outcome built with junk in one field (its own or its
    first matched invoice's), either says something or raises a DunlibError: the outcome
    types refuse junk fields when built."""
    with pytest.raises(DunlibError):
        describe_match(junk)
    outcome = data.draw(st.sampled_from(_one_of_each_outcome()), label="outcome")
    try:
        if isinstance(outcome, Match) and data.draw(st.booleans(), label="in a matched invoice"):
            field = data.draw(st.sampled_from([a.name for a in attrs.fields(MatchedInvoice)]))
            part = attrs.evolve(outcome.invoices[0], **{field: junk})
            broken: Outcome = attrs.evolve(outcome, invoices=(part,))
        else:
            field = data.draw(st.sampled_from([a.name for a in attrs.fields(type(outcome))]))
            broken = attrs.evolve(outcome, **{field: junk})
    except DunlibError:
        return
    assert describe_match(broken)
