"""Booking default interest: through the INTEREST row, settled after fees, before principal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import eur
from dunlib import (
    BASE_RATES,
    CurrencyMismatchError,
    Customer,
    CustomerKind,
    DunningRules,
    DunningStage,
    GuardFailedError,
    InterestCharge,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    Payment,
    StageKind,
    TriggerBasis,
    accrued_interest,
    allocations,
    default_begins,
    default_interest,
    flat_fee,
    next_dunning_action,
    record_interest,
    record_notice,
    record_payment,
)
from dunlib.status import Status

INVOICE = Invoice.sent(
    number="RE-1",
    customer=Customer(id="C", name="C GmbH"),
    gross=Money("100.00", "EUR"),
    issue_date=dt.date(2026, 1, 1),
    due_date=dt.date(2026, 1, 15),
)


def test_interest_is_owed_and_paid_before_the_principal() -> None:
    """Interest booked after the due date raises what is owed, and a payment settles it
    before the principal."""
    charged = record_interest(
        INVOICE, InterestCharge(on=dt.date(2026, 2, 1), amount=Money("2.50", "EUR"))
    )
    assert charged.open_amount == Money("102.50", "EUR")
    assert charged.history[-1].detail == "default interest of 2.50 EUR charged"
    paid = record_payment(charged, Payment(on=dt.date(2026, 2, 2), amount=Money("3.00", "EUR")))
    assert paid.allocation.interest == Money("2.50", "EUR")
    assert paid.allocation.principal == Money("0.50", "EUR")


def test_interest_before_the_due_date_is_refused() -> None:
    """Nothing is in default before the due date (guard overdue)."""
    with pytest.raises(GuardFailedError, match="guard overdue"):
        record_interest(
            INVOICE, InterestCharge(on=dt.date(2026, 1, 5), amount=Money("1.00", "EUR"))
        )


def test_interest_in_another_currency_or_of_another_type_is_refused() -> None:
    """The charge must be an InterestCharge in the invoice's currency."""
    with pytest.raises(InvalidValueError, match="record_interest.charge.amount"):
        record_interest(
            INVOICE, InterestCharge(on=dt.date(2026, 2, 1), amount=Money("1.00", "USD"))
        )
    with pytest.raises(InvalidTypeError, match="record_interest.charge"):
        record_interest(INVOICE, Money("1.00", "EUR"))  # type: ignore[arg-type]


# -- statutory default interest -------------------------------------------------------


def test_worked_example_consumer_25_days() -> None:
    """Published example: 1 000.00 EUR owed by a consumer for 25 days at 5.12 % (base rate
    0.12 + 5) is 3.51 EUR, by the day formula capital x days x percent / (365 x 100).
    Source: anleiter.de, "Wie berechnet man Verzugszinsen?",
    https://anleiter.de/wie-berechnet-man-verzugszinsen/ (step 6)."""
    start = dt.date(2010, 3, 1)
    assert default_interest(eur("1000"), start, start + dt.timedelta(25), business=False) == (
        eur("3.51")
    )


def test_worked_example_across_a_base_rate_change() -> None:
    """10 000 EUR owed by a business from 1 June to 1 August 2023: June at 1.62 + 9 =
    10.62 %, July at 3.12 + 9 = 12.12 % (base rates: Deutsche Bundesbank, Basiszinssatz nach
    § 247 BGB), each period by the day formula of anleiter.de
    (https://anleiter.de/wie-berechnet-man-verzugszinsen/):
    10 000 x (30 x 10.62 + 31 x 12.12) / 36 500 = 190.2246... -> 190.22 EUR."""
    got = default_interest(eur("10000"), dt.date(2023, 6, 1), dt.date(2023, 8, 1), business=True)
    assert got == eur("190.22")


def test_worked_example_leap_year() -> None:
    """The whole leap year 2024 on 1 000 EUR owed by a business: 182 days at 3.62 + 9 and 184
    days at 3.37 + 9, act/365 (366 days / 365): 1 000 x (182 x 12.62 + 184 x 12.37) / 36 500
    = 125.2855... -> 125.29 EUR (rates: Deutsche Bundesbank; formula: anleiter.de)."""
    got = default_interest(eur("1000"), dt.date(2024, 1, 1), dt.date(2025, 1, 1), business=True)
    assert got == eur("125.29")


def test_base_rates_are_exact_and_ordered() -> None:
    """BASE_RATES starts on 1 January 2002 at 2.57 %, holds exact Decimals, in date order."""
    assert BASE_RATES[0] == (dt.date(2002, 1, 1), Decimal("2.57"))
    assert all(isinstance(rate, Decimal) for _, rate in BASE_RATES)
    assert [day for day, _ in BASE_RATES] == sorted({day for day, _ in BASE_RATES})
    assert (dt.date(2025, 7, 1), Decimal("1.27")) in BASE_RATES


def test_base_rates_can_be_replaced() -> None:
    """A user's own table is used as given: a flat 0 % base rate gives the bare margin."""
    own = ((dt.date(2000, 1, 1), Decimal(0)),)
    got = default_interest(
        eur("365"), dt.date(2001, 1, 1), dt.date(2001, 1, 11), business=False, base_rates=own
    )
    assert got == eur("0.50")  # 365 x 5 % x 10 / 365


@pytest.mark.parametrize(
    ("args", "kwargs", "field"),
    [
        ((eur("1"), dt.date(2024, 2, 1), dt.date(2024, 1, 1)), {}, "default_interest.end"),
        ((eur("-1"), dt.date(2024, 1, 1), dt.date(2024, 1, 2)), {}, "default_interest.principal"),
        (("1", dt.date(2024, 1, 1), dt.date(2024, 1, 2)), {}, "default_interest.principal"),
        ((eur("1"), dt.date(2001, 1, 1), dt.date(2001, 1, 2)), {}, "default_interest.start"),
        ((eur("1"), dt.date(2024, 1, 1), dt.date(2024, 1, 2)), {"base_rates": 5}, "base_rates"),
        ((eur("1"), dt.date(2024, 1, 1), dt.date(2024, 1, 2)), {"base_rates": ()}, "base_rates"),
        ((eur("1"), dt.date(2024, 1, 1), dt.date(2024, 1, 2)), {"base_rates": [1]}, "base_rates"),
        (
            (eur("1"), dt.date(2024, 1, 1), dt.date(2024, 1, 2)),
            {"base_rates": [(dt.date(2020, 1, 1), Decimal(-6))]},
            "base_rates[0][1]",
        ),
        (
            (eur("1"), dt.date(2024, 1, 1), dt.date(2024, 1, 2)),
            {"base_rates": [(dt.date(2020, 1, 1), 1)]},
            "base_rates[0][1]",
        ),
        (
            (eur("1"), dt.date(2024, 1, 1), dt.date(2024, 1, 2)),
            {"base_rates": [(dt.date(2020, 1, 1), Decimal(1))] * 2},
            "base_rates[1][0]",
        ),
    ],
)
def test_default_interest_refuses_bad_input(
    args: tuple[object, ...], kwargs: dict[str, object], field: str
) -> None:
    """A backwards period, a negative principal, a start before the table, malformed rates:
    InvalidValueError naming the field."""
    with pytest.raises(InvalidValueError) as caught:
        default_interest(*args, business=True, **kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_flat_fee_is_40_eur_for_business_debtors_only() -> None:
    """§ 288 (5) BGB: 40 EUR for a business debtor, nothing for a consumer; a bool only."""
    assert flat_fee(True) == eur("40.00")
    assert flat_fee(False) == eur("0.00")
    with pytest.raises(InvalidTypeError):
        flat_fee("yes")  # type: ignore[arg-type]


def _invoice(kind: CustomerKind, *, warns: bool = False) -> Invoice:
    return Invoice.sent(
        number="RE-V",
        customer=Customer(id="C", name="C", kind=kind),
        gross=eur("10000.00"),
        issue_date=dt.date(2023, 1, 1),
        due_date=dt.date(2023, 1, 31),
        warns_of_default=warns,
    )


def test_default_begins_31_days_after_due_and_receipt_for_businesses() -> None:
    """§ 286 (3): a business debtor is in default on the 31st day after the later of due
    date and receipt; a consumer only when the invoice said so; otherwise not at all."""
    business = _invoice(CustomerKind.BUSINESS)
    assert default_begins(business) == dt.date(2023, 3, 3)
    assert default_begins(business, received_on=dt.date(2023, 2, 10)) == dt.date(2023, 3, 13)
    assert default_begins(_invoice(CustomerKind.CONSUMER)) is None
    assert default_begins(_invoice(CustomerKind.CONSUMER, warns=True)) == dt.date(2023, 3, 3)
    assert accrued_interest(_invoice(CustomerKind.CONSUMER), dt.date(2023, 6, 1)).is_zero


def _scenario_rules() -> DunningRules:
    notice = DunningStage(
        StageKind.NOTICE,
        days_overdue=29,
        basis=TriggerBasis.DUE_DATE,
        claim_interest=True,
        claim_flat_fee=True,
    )
    return DunningRules(
        stages=(notice, attrs.evolve(notice, days_overdue=62, claim_flat_fee=False))
    )


def test_scenario_business_invoice_paid_in_two_parts() -> None:
    """10 000 EUR owed by a business, due 2023-01-31. The notice of 2023-03-01 claims the flat
    fee (40 EUR) and interest up to its date: none yet, since that notice puts the debtor in
    default from 2023-03-02. 5 000 EUR paid on 2023-03-15 settle the fee first, then 4 960
    of the principal. The notice of 2023-04-03 claims interest per period of constant
    principal at 1.62 + 9 = 10.62 %: (10 000 x 13 + 5 040 x 19) x 10.62 / 36 500 = 65.69
    EUR. 5 105.69 EUR on 2023-04-20 settle interest, then principal; the interest still
    unclaimed is 5 040 x 17 x 10.62 / 36 500 = 24.93 EUR."""
    rules = _scenario_rules()
    invoice = _invoice(CustomerKind.BUSINESS)
    first = next_dunning_action(invoice, rules, dt.date(2023, 3, 1))
    assert isinstance(first, IssueStage)
    assert (first.fee, first.interest) == (eur("40.00"), eur("0.00"))
    invoice = record_notice(invoice, first)
    assert default_begins(invoice) == dt.date(2023, 3, 2)
    invoice = record_payment(invoice, Payment(on=dt.date(2023, 3, 15), amount=eur("5000"))).invoice
    part = allocations(invoice)[0]
    assert (part.fees, part.interest, part.principal) == (eur("40"), eur("0"), eur("4960"))
    second = next_dunning_action(invoice, rules, dt.date(2023, 4, 3))
    assert isinstance(second, IssueStage)
    assert (second.fee, second.interest) == (eur("0.00"), eur("65.69"))
    assert second.open_amount == eur("5105.69")
    invoice = record_notice(invoice, second)
    assert invoice.interest == (
        InterestCharge(
            on=dt.date(2023, 4, 3),
            amount=eur("65.69"),
            detail="default interest up to 2023-04-03, level 2",
        ),
    )
    result = record_payment(invoice, Payment(on=dt.date(2023, 4, 20), amount=eur("5105.69")))
    invoice = result.invoice
    part = allocations(invoice)[1]
    assert (part.fees, part.interest, part.principal) == (eur("0"), eur("65.69"), eur("5040"))
    assert invoice.status is Status.PAID
    assert accrued_interest(invoice, dt.date(2023, 4, 20)) == eur("24.93")
    assert accrued_interest(invoice, dt.date(2023, 6, 1)) == eur("24.93")  # nothing owed on


def test_record_notice_refuses_interest_before_due_date_and_in_another_currency() -> None:
    """A reminder before the due date claims no interest; interest shares the currency."""
    invoice = _invoice(CustomerKind.BUSINESS)
    action = next_dunning_action(invoice, _scenario_rules(), dt.date(2023, 3, 1))
    assert isinstance(action, IssueStage)
    early = attrs.evolve(action, on=dt.date(2023, 1, 2), interest=eur("1.00"))
    with pytest.raises(InvalidValueError, match="IssueStage.interest"):
        record_notice(invoice, early)
    other = attrs.evolve(action, interest=Money("1.00", "CHF"))
    with pytest.raises(CurrencyMismatchError):
        record_notice(invoice, other)


# -- laws -----------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(2002, 1, 1), max_value=dt.date(2030, 12, 31))
PRINCIPALS = st.decimals(min_value=0, max_value=10**9, places=2).map(
    lambda amount: Money(amount, "EUR")
)


@given(principal=PRINCIPALS, days=st.lists(DAYS, min_size=3, max_size=3), business=st.booleans())
def test_interest_is_additive_over_adjoining_periods_up_to_one_cent_law(
    principal: Money, days: list[dt.date], business: bool
) -> None:
    """Law: interest over [a, c) equals interest over [a, b) plus [b, c) up to one cent
    (three roundings of at most half a cent each, on a whole number of cents)."""
    a, b, c = sorted(days)
    whole = default_interest(principal, a, c, business=business)
    parts = default_interest(principal, a, b, business=business) + default_interest(
        principal, b, c, business=business
    )
    assert abs((whole - parts).amount) <= Decimal("0.01")


@given(
    principal=PRINCIPALS,
    more=PRINCIPALS,
    days=st.lists(DAYS, min_size=3, max_size=3),
    business=st.booleans(),
)
def test_interest_grows_with_days_and_principal_law(
    principal: Money, more: Money, days: list[dt.date], business: bool
) -> None:
    """Law: interest never falls when the period grows or the principal grows."""
    a, b, c = sorted(days)
    assert default_interest(principal, a, b, business=business) <= default_interest(
        principal, a, c, business=business
    )
    low, high = sorted((principal, more))
    assert default_interest(low, a, c, business=business) <= default_interest(
        high, a, c, business=business
    )


@given(principal=PRINCIPALS, day=DAYS, business=st.booleans())
def test_interest_is_zero_for_an_empty_period_law(
    principal: Money, day: dt.date, business: bool
) -> None:
    """Law: over [a, a) no interest is owed."""
    assert default_interest(principal, day, day, business=business).is_zero


@given(
    gaps=st.lists(st.integers(min_value=1, max_value=120), min_size=1, max_size=4),
    warns=st.booleans(),
)
def test_successive_claims_never_count_a_day_twice_law(gaps: list[int], warns: bool) -> None:
    """Law: interest claimed by successive notices never counts a day twice: after each
    claim nothing is left to claim up to its day, and all claims together equal one claim
    over the whole time up to half a cent per claim."""
    rules = DunningRules(
        stages=tuple(
            DunningStage(StageKind.NOTICE, days_overdue=gap, claim_interest=True) for gap in gaps
        )
    )
    start = _invoice(CustomerKind.CONSUMER, warns=warns)
    invoice = start
    claimed = Money.zero("EUR")
    day = invoice.due_date
    for gap in gaps:
        day = day + dt.timedelta(gap)
        action = next_dunning_action(invoice, rules, day)
        assert isinstance(action, IssueStage)
        invoice = record_notice(invoice, action)
        claimed = claimed + action.interest
        assert accrued_interest(invoice, day).is_zero
    first = default_begins(invoice)
    assert first is not None
    once = default_interest(Money("10000.00", "EUR"), first, max(first, day), business=False)
    assert abs((once - claimed).amount) <= Decimal("0.005") * len(gaps)


def test_stage_claims_are_checked() -> None:
    """Reminders claim neither interest nor the flat fee; one stage at most claims the flat
    fee; the flat fee (EUR) is not charged across currencies."""
    with pytest.raises(InvalidValueError, match="DunningStage.claim_interest"):
        DunningStage(StageKind.REMINDER, days_overdue=1, claim_interest=True)
    flat = DunningStage(StageKind.NOTICE, days_overdue=1, claim_flat_fee=True)
    with pytest.raises(InvalidValueError, match=r"stages\[1\].claim_flat_fee"):
        DunningRules(stages=(flat, flat))
    swiss = Invoice.sent(
        number="RE-CHF",
        customer=Customer(id="C", name="C"),
        gross=Money("10.00", "CHF"),
        issue_date=dt.date(2023, 1, 1),
        due_date=dt.date(2023, 1, 31),
    )
    with pytest.raises(CurrencyMismatchError):
        next_dunning_action(swiss, DunningRules(stages=(flat,)), dt.date(2023, 2, 5))
