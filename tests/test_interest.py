"""Booking default interest: through the INTEREST row, settled after fees, before principal."""

from __future__ import annotations

import datetime as dt
import itertools
import pickle
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import eur
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    CustomerKind,
    DayCount,
    DunningRules,
    DunningStage,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    Payment,
    StageKind,
    TriggerBasis,
    accrued_interest,
    balance,
    default_begins,
    default_interest,
    flat_fee,
    from_json,
    load_rules,
    next_dunning_action,
    record_interest,
    record_payment,
    record_stage,
    to_json,
)
from dunlib import strategies as ds
from dunlib.core import CurrencyMismatchError, InterestCharge
from dunlib.core.status import Status
from dunlib.dunning import BASE_RATES, checked_base_rates
from dunlib.dunning.interest import (
    NEW_RULES_FROM,
    OLD_BUSINESS_MARGIN,
    _margin,
    _rate_days,
    _rounded,
)
from dunlib.payments import allocations

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
        INVOICE,
        InterestCharge(on=dt.date(2026, 2, 1), amount=Money("2.50", "EUR")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert charged.open_amount == Money("102.50", "EUR")
    assert charged.history[-1].detail == "default interest of 2.50 EUR charged"
    paid = record_payment(
        charged,
        Payment(on=dt.date(2026, 2, 2), amount=Money("3.00", "EUR")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert paid.allocation.interest == Money("2.50", "EUR")
    assert paid.allocation.principal == Money("0.50", "EUR")


def test_interest_before_the_due_date_is_refused() -> None:
    """Nothing is in default before the due date (guard overdue)."""
    with pytest.raises(GuardFailedError, match="guard overdue"):
        record_interest(
            INVOICE,
            InterestCharge(on=dt.date(2026, 1, 5), amount=Money("1.00", "EUR")),
            actor=AUTOMATIC,
            authority=Authority(),
        )


def test_interest_in_another_currency_or_of_another_type_is_refused() -> None:
    """The charge must be an InterestCharge in the invoice's currency."""
    with pytest.raises(InvalidValueError, match="record_interest.charge.amount"):
        record_interest(
            INVOICE,
            InterestCharge(on=dt.date(2026, 2, 1), amount=Money("1.00", "USD")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(InvalidTypeError, match="record_interest.charge"):
        record_interest(INVOICE, Money("1.00", "EUR"), actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]


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


def test_published_example_across_rate_changes_and_the_leap_year_2024() -> None:
    """Published example: 10 000 EUR owed by a business from 15.01.2023, paid 02.10.2025
    (991 days), "Periode 1 (15.01.2023 - 01.07.2023, 167 Tage): 1,62 % + 9 % = 10,62 %,
    (10.000 x 10,62 x 167) / 36.500 = 485,90 EUR", "Periode 2 (02.07.2023 - 01.01.2024,
    183 Tage): 12,12 % ... = 607,66 EUR", "Gesamt: 3.154,20 EUR". Source: README of the
    PHP library ameax/bgb-interest, section "Beispielrechnung",
    https://github.com/ameax/bgb-interest (formula Zinsen = Hauptbetrag x Zinssatz x Tage
    / (100 x 365), act/365 in the leap year 2024 too, as here).

    Its day count differs at each base-rate change: a period ends on the day of the change
    (not counted) and the next one starts the day *after* it, so 1 July 2023, 1 January
    and 1 July 2024 and 1 January and 1 July 2025 are counted in no period (986 days, not
    991), and each period is rounded on its own. Both published period figures match ours
    exactly; the published total is exactly our interest summed over its six periods; our
    figure over the whole [2023-01-15, 2025-10-02) is 3 170.28 EUR, 16.08 EUR more: the five
    days it leaves out."""
    principal = eur("10000.00")
    published_periods = [
        (dt.date(2023, 1, 15), dt.date(2023, 7, 1)),
        (dt.date(2023, 7, 2), dt.date(2024, 1, 1)),
        (dt.date(2024, 1, 2), dt.date(2024, 7, 1)),
        (dt.date(2024, 7, 2), dt.date(2025, 1, 1)),
        (dt.date(2025, 1, 2), dt.date(2025, 7, 1)),
        (dt.date(2025, 7, 2), dt.date(2025, 10, 2)),
    ]
    parts = [default_interest(principal, a, b, business=True) for a, b in published_periods]
    assert parts[:2] == [eur("485.90"), eur("607.66")]
    assert sum(parts, eur("0")) == eur("3154.20")
    assert sum((b - a).days for a, b in published_periods) == 991 - 5
    whole = default_interest(principal, dt.date(2023, 1, 15), dt.date(2025, 10, 2), business=True)
    assert whole == eur("3170.28")
    # the five days left out, at 12.12, 12.62, 12.37, 11.27 and 10.27 %: 10 000 x 58.65 / 36 500
    # = 16.068..., and rounding each period on its own moves the total by a cent
    left_out = Decimal(10000) * Decimal("58.65") / 36500
    assert whole - sum(parts, eur("0")) == eur("16.08")
    assert abs(eur("16.08").amount - left_out) < Decimal("0.02")


def test_published_example_cost_refund_at_a_360_day_year() -> None:
    """Published computation: a cost refund of 2 231.25 EUR bearing interest at five points
    over the base rate from receipt of the application on 8.5.2014 to payment on 20.6.2014,
    "insgesamt 44 Zinstage", base rate -0.63 % so 4.37 % a year, "Bei 360 Zinstagen im Jahr
    ergibt sich ein Tageszins von (97,505 EUR : 360 Zinstage =) 0,2708 EUR ... ein
    Zinsbetrag ... i.H.v. 11,92 EUR". Source: ZAP 7/2016, Gebührentipps für Rechtsanwälte,
    "Gegenstand der Rückfestsetzung",
    https://www.haufe.de/recht/deutsches-anwalt-office-premium/zap-72016-gebuehrentipps-fuer-rechtsanwaelte-d-gegenstand-der-rueckfestsetzung_idesk_PI17574_HI9807644.html

    Its conventions differ from our default twice: a 360-day year (DayCount.ACT_360
    models it) and 44 days, which counts both the day of receipt and the day of payment
    (the half-open period [2014-05-08, 2014-06-21)). With both we get 11.92 EUR exactly;
    our default act/365 over the same days gives 11.75 EUR."""
    start, end = dt.date(2014, 5, 8), dt.date(2014, 6, 21)
    assert (end - start).days == 44
    principal = eur("2231.25")
    assert default_interest(principal, start, end, business=False, day_count=DayCount.ACT_360) == (
        eur("11.92")
    )
    assert default_interest(principal, start, end, business=False) == eur("11.75")


def test_published_example_a_lawyers_program_at_a_360_day_year() -> None:
    """Published figure: a cost order of 354.16 EUR bearing interest from 30 April 2018, paid
    (credited) on 18.06.2018, at 4.12 % (base rate -0.88 + 5): "das Programm rechnet für den
    Zeitraum Zinsen in Höhe von 1,99 Euro aus"; the author counts 49 days ("bis zum 17.
    Juni, weil der Tag des Zahlungseingangs nicht mitzählt") and argues for 365 days a year
    even in leap years (§ 191 BGB). Source: kosmologelei.wordpress.com, tag "Mathematik",
    https://kosmologelei.wordpress.com/tag/mathematik/

    The page does not say how the program counts; a 360-day year over the author's 49 days
    [2018-04-30, 2018-06-18) reproduces its 1.99 EUR exactly (DayCount.ACT_360), and the
    act/365 the author argues for gives 1.96 EUR, our default."""
    start, end = dt.date(2018, 4, 30), dt.date(2018, 6, 18)
    assert (end - start).days == 49
    principal = eur("354.16")
    assert default_interest(principal, start, end, business=False, day_count=DayCount.ACT_360) == (
        eur("1.99")
    )
    assert default_interest(principal, start, end, business=False) == eur("1.96")


def test_published_example_at_30_360_is_not_modelled() -> None:
    """Published example: "Forderungsbetrag: 10.000 EUR, Zinssatz: 6 %; Zinsbeginn: 1.1.2016,
    berechnet bis 30.7.2016. Daraus ergeben sich 210 Zinstage. Hinweis: Bei der
    Zinsberechnung zählt jeder Monat 30 Tage ... 10.000 EUR x 210 Zinstage x 6 % Verzugszins
    / 36000 = 350 EUR Zins". Source: p-konto.de, "Zinsformel",
    https://p-konto.de/wiki/zinsformel/

    That is the 30/360 count (every month 30 days, both the first and the last day
    counted: 6 x 30 + 30 = 210), which dunlib does not offer: every DayCount counts actual
    days. The same claim by the calendar, 1.1. to 30.7.2016 with both days counted, is the
    212 days of [2016-01-01, 2016-07-31); at a fixed 6 % (a flat base rate of 1 % plus the
    consumer's 5 points) act/365 gives 348.49 EUR and act/360 353.33 EUR, not 350."""
    six_percent = ((dt.date(2000, 1, 1), Decimal(1)),)
    start, end = dt.date(2016, 1, 1), dt.date(2016, 7, 31)
    assert (end - start).days == 212
    got = {
        count: default_interest(
            eur("10000"), start, end, business=False, base_rates=six_percent, day_count=count
        )
        for count in (DayCount.ACT_365, DayCount.ACT_360)
    }
    assert got == {DayCount.ACT_365: eur("348.49"), DayCount.ACT_360: eur("353.33")}
    assert Decimal(10000) * 210 * 6 / 36000 == Decimal(350)  # the page's own arithmetic


def test_computed_example_across_a_base_rate_change() -> None:
    """Our own computation (no published figure): 10 000 EUR owed by a business from 1 June
    to 1 August 2023: June at 1.62 + 9 = 10.62 %, July at 3.12 + 9 = 12.12 %, each period by
    the day formula of anleiter.de (https://anleiter.de/wie-berechnet-man-verzugszinsen/):
    10 000 x (30 x 10.62 + 31 x 12.12) / 36 500 = 190.2246... -> 190.22 EUR."""
    got = default_interest(eur("10000"), dt.date(2023, 6, 1), dt.date(2023, 8, 1), business=True)
    assert got == eur("190.22")


def test_computed_example_leap_year_by_each_day_count() -> None:
    """Our own computation (no published figure): the whole leap year 2024 on 1 000 EUR owed by
    a business, 182 days at 3.62 + 9 and 184 days at 3.37 + 9. act/365 (366 days / 365):
    1 000 x (182 x 12.62 + 184 x 12.37) / 36 500 = 125.2855... -> 125.29 EUR. act/act, the
    leap-year divisor 366 that wirtschaftswissen.de prescribes ("In einem Schaltjahr ...
    Säumnistage/366 x 100", https://www.wirtschaftswissen.de/finanzen-steuern/rechnungsstellung/verzugszinsen-berechnen-bei-einer-ausstehenden-forderung-wie-geht-das/):
    ... / 36 600 = 124.9432... -> 124.94 EUR. act/360: ... / 36 000 = 127.0255... -> 127.03."""
    start, end = dt.date(2024, 1, 1), dt.date(2025, 1, 1)
    got = {
        count: default_interest(eur("1000"), start, end, business=True, day_count=count)
        for count in DayCount
    }
    assert got == {
        DayCount.ACT_365: eur("125.29"),
        DayCount.ACT_ACT: eur("124.94"),
        DayCount.ACT_360: eur("127.03"),
    }


def test_act_act_splits_at_the_year_end() -> None:
    """act/act divides each day by the days of its own year: 1 000 EUR at a flat 0 % base
    rate plus 5 from 31 December 2023 to 2 January 2024 is 1 000 x 5 x (1/365 + 1/366) / 100
    = 0.2735... -> 0.27 EUR; a year's 366 days of 2024 give exactly the annual rate."""
    flat = ((dt.date(2000, 1, 1), Decimal(0)),)
    two_days = default_interest(
        eur("1000"),
        dt.date(2023, 12, 31),
        dt.date(2024, 1, 2),
        business=False,
        base_rates=flat,
        day_count=DayCount.ACT_ACT,
    )
    assert two_days == eur("0.27")
    year = default_interest(
        eur("1000"),
        dt.date(2024, 1, 1),
        dt.date(2025, 1, 1),
        business=False,
        base_rates=flat,
        day_count=DayCount.ACT_ACT,
    )
    assert year == eur("50.00")


# The Bundesbank's series of the base rate (Basiszinssatz gemäß § 247 BGB), every change
# since 2002, as published by the Deutsche Bundesbank (statistics series BBIN1
# M.DE.BBK.BBKBAS2.EUR.ME, https://api.statistiken.bundesbank.de/rest/download/BBIN1/M.DE.BBK.BBKBAS2.EUR.ME?format=sdmx&lang=de)
# in the copy of the library ameax/bgb-interest, data/base_rates.json ("last_updated":
# "2025-10-02"), https://github.com/ameax/bgb-interest/blob/main/data/base_rates.json
BUNDESBANK_SERIES = {
    "2002-01": "2.57", "2002-07": "2.47", "2003-01": "1.97", "2003-07": "1.22",
    "2004-01": "1.14", "2004-07": "1.13", "2005-01": "1.21", "2005-07": "1.17",
    "2006-01": "1.37", "2006-07": "1.95", "2007-01": "2.7", "2007-07": "3.19",
    "2008-01": "3.32", "2008-07": "3.19", "2009-01": "1.62", "2009-07": "0.12",
    "2011-07": "0.37", "2012-01": "0.12", "2013-01": "-0.13", "2013-07": "-0.38",
    "2014-01": "-0.63", "2014-07": "-0.73", "2015-01": "-0.83", "2016-07": "-0.88",
    "2023-01": "1.62", "2023-07": "3.12", "2024-01": "3.62", "2024-07": "3.37",
    "2025-01": "2.27", "2025-07": "1.27",
}  # fmt: skip

# The footnote to § 247 BGB in the Federal Law Gazette's English translation, "Since the
# following dates the basic rate of interest has been ..." with each Federal Gazette
# notice, http://www.godoku.de/index.php?DokuID=W502800&id=70&show=anzeiFachwort
GAZETTE_2002_2007 = {
    "2002-01": "2.57", "2002-07": "2.47", "2003-01": "1.97", "2003-07": "1.22",
    "2004-01": "1.14", "2004-07": "1.13", "2005-01": "1.21", "2005-07": "1.17",
    "2006-01": "1.37", "2006-07": "1.95", "2007-01": "2.70",
}  # fmt: skip


def _table(series: dict[str, str]) -> list[tuple[dt.date, Decimal]]:
    return [
        (dt.date(int(month[:4]), int(month[5:]), 1), Decimal(rate))
        for month, rate in series.items()
    ]


def test_base_rates_agree_with_the_bundesbank_series_entry_by_entry() -> None:
    """Every entry of BASE_RATES from 2002-01-01 to the latest published value equals the
    Bundesbank's series (BUNDESBANK_SERIES above, 30 changes to 1 July 2025), and the
    values to 1 January 2007 equal the Federal Gazette notices listed with § 247 BGB."""
    assert list(BASE_RATES) == _table(BUNDESBANK_SERIES)
    assert list(BASE_RATES[: len(GAZETTE_2002_2007)]) == _table(GAZETTE_2002_2007)


def test_base_rate_stays_at_1_27_on_1_january_2026() -> None:
    """ "Daraus ergibt sich ab dem 1. Januar 2026 ein unveränderter Basiszinssatz von 1,27 %
    ... Der neue Basiszinssatz wird am 24. Dezember 2025 im Bundesanzeiger bekannt gegeben"
    (Deutsche Bundesbank press release, as quoted by
    https://finanzmarktnachrichten.de/basiszinssatz-bleibt-ab-1-januar-2026-bei-127). The
    table lists changes only, so 2026 runs on the 1 July 2025 entry: a day in January 2026
    costs 1 000 EUR x (1.27 + 5) % / 365. The value for 1 July 2026 was not found published
    and is not in the table."""
    assert BASE_RATES[-1] == (dt.date(2025, 7, 1), Decimal("1.27"))
    day = dt.date(2026, 1, 15)
    got = default_interest(eur("36500"), day, day + dt.timedelta(1), business=False)
    assert got == eur("6.27")


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
    """§ 286 (3): a business debtor is in default the day after the 30 days from the later
    of due date and receipt; a consumer only when the invoice said so; otherwise not at all.
    Due 31 January 2023: day 30 is Thursday 2 March, default from 3 March. Received 10
    February: day 30 is Sunday 12 March, so the period ends on Monday 13 March (§ 193 BGB)
    and default begins on 14 March."""
    business = _invoice(CustomerKind.BUSINESS)
    assert default_begins(business) == dt.date(2023, 3, 3)
    assert default_begins(business, received_on=dt.date(2023, 2, 10)) == dt.date(2023, 3, 14)
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
    """10 000 EUR owed by a business, due 2023-01-31. The notice of 2023-03-01 (the stage
    that claims the flat fee) claims neither the flat fee nor interest: that notice puts the
    debtor in default from 2023-03-02, and the flat fee is owed only in default (§ 288 (5)
    BGB: "im Falle des Verzugs"). 5 000 EUR paid on 2023-03-15 settle principal. The notice
    of 2023-04-03 claims the flat fee (40 EUR, once) and interest per period of constant
    principal at 1.62 + 9 = 10.62 %: (10 000 x 13 + 5 000 x 19) x 10.62 / 36 500 = 65.47
    EUR. 5 105.47 EUR on 2023-04-20 settle the fee, the interest, then the principal (§ 367
    BGB); the interest still unclaimed is 5 000 x 17 x 10.62 / 36 500 = 24.73 EUR."""
    rules = _scenario_rules()
    invoice = _invoice(CustomerKind.BUSINESS)
    first = next_dunning_action(invoice, rules, today=dt.date(2023, 3, 1))
    assert isinstance(first, IssueStage)
    assert (first.fee, first.flat_fee, first.interest) == (eur("0.00"), eur("0.00"), eur("0.00"))
    invoice = record_stage(invoice, first, actor=AUTOMATIC, authority=Authority())
    assert default_begins(invoice) == dt.date(2023, 3, 2)
    invoice = record_payment(
        invoice,
        Payment(on=dt.date(2023, 3, 15), amount=eur("5000")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    part = allocations(invoice)[0]
    assert (part.fees, part.interest, part.principal) == (eur("0"), eur("0"), eur("5000"))
    second = next_dunning_action(invoice, rules, today=dt.date(2023, 4, 3))
    assert isinstance(second, IssueStage)
    assert (second.fee, second.flat_fee, second.interest) == (
        eur("40.00"),
        eur("40.00"),
        eur("65.47"),
    )
    assert second.open_amount == eur("5105.47")
    invoice = record_stage(invoice, second, actor=AUTOMATIC, authority=Authority())
    assert invoice.issued_stages[-1].flat_fee == eur("40.00")
    assert invoice.interest_charges == (
        InterestCharge(
            on=dt.date(2023, 4, 3),
            amount=eur("65.47"),
            detail="default interest up to 2023-04-03, level 2",
        ),
    )
    result = record_payment(
        invoice,
        Payment(on=dt.date(2023, 4, 20), amount=eur("5105.47")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    invoice = result.invoice
    part = allocations(invoice)[1]
    assert (part.fees, part.interest, part.principal) == (eur("40"), eur("65.47"), eur("5000"))
    assert invoice.status is Status.PAID
    assert accrued_interest(invoice, dt.date(2023, 4, 20)) == eur("24.73")
    assert accrued_interest(invoice, dt.date(2023, 6, 1)) == eur("24.73")  # nothing owed on


def test_record_notice_refuses_interest_before_due_date_and_in_another_currency() -> None:
    """A reminder before the due date claims no interest; interest shares the currency."""
    invoice = _invoice(CustomerKind.BUSINESS)
    action = next_dunning_action(invoice, _scenario_rules(), today=dt.date(2023, 3, 1))
    assert isinstance(action, IssueStage)
    early = attrs.evolve(action, on=dt.date(2023, 1, 2), interest=eur("1.00"))
    with pytest.raises(InvalidValueError, match="IssueStage.interest"):
        record_stage(invoice, early, actor=AUTOMATIC, authority=Authority())
    other = attrs.evolve(action, interest=Money("1.00", "CHF"))
    with pytest.raises(CurrencyMismatchError):
        record_stage(invoice, other, actor=AUTOMATIC, authority=Authority())


# -- laws -----------------------------------------------------------------------------

DAYS = st.dates(min_value=dt.date(2002, 1, 1), max_value=dt.date(2030, 12, 31))
PRINCIPALS = st.decimals(min_value=0, max_value=10**9, places=2).map(
    lambda amount: Money(amount, "EUR")
)


@given(
    principal=PRINCIPALS,
    days=st.lists(DAYS, min_size=3, max_size=3),
    business=st.booleans(),
    day_count=st.sampled_from(DayCount),
)
def test_interest_is_additive_over_adjoining_periods_up_to_one_cent_law(
    principal: Money, days: list[dt.date], business: bool, day_count: DayCount
) -> None:
    """Law: interest over [a, c) equals interest over [a, b) plus [b, c) up to one cent
    (three roundings of at most half a cent each, on a whole number of cents), in every day
    count (act/act too: it splits at each year end)."""
    a, b, c = sorted(days)
    whole = default_interest(principal, a, c, business=business, day_count=day_count)
    parts = default_interest(
        principal, a, b, business=business, day_count=day_count
    ) + default_interest(principal, b, c, business=business, day_count=day_count)
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
        action = next_dunning_action(invoice, rules, today=day)
        assert isinstance(action, IssueStage)
        invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
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
        next_dunning_action(swiss, DunningRules(stages=(flat,)), today=dt.date(2023, 2, 5))


# -- the old 8-point rule (Art. 229 § 34 EGBGB) ---------------------------------------


def test_old_contracts_owe_8_points_and_no_flat_fee() -> None:
    """Art. 229 § 34 EGBGB: "Die §§ 271a, 286, 288, 308 und 310 des Bürgerlichen
    Gesetzbuchs in der seit dem 29. Juli 2014 geltenden Fassung sind nur auf ein
    Schuldverhältnis anzuwenden, das nach dem 28. Juli 2014 entstanden ist" (text:
    https://lxgesetze.de/egbgb/229-34). A business debtor under a contract concluded on 28
    July 2014 owes base rate + 8 (§ 288 (2) BGB old version) and no flat fee (§ 288 (5) came
    with the amendment); concluded on 29 July 2014 or later, or not given: + 9 and 40 EUR.
    10 000 EUR over January 2015 (base rate -0.83): 10 000 x 7.17 x 31 / 36 500 = 60.90 EUR
    against 10 000 x 8.17 x 31 / 36 500 = 69.39 EUR. A consumer's 5 points did not change."""
    old, new = dt.date(2014, 7, 28), NEW_RULES_FROM
    start, end = dt.date(2015, 1, 1), dt.date(2015, 2, 1)
    assert Decimal(8) == OLD_BUSINESS_MARGIN
    assert default_interest(eur("10000"), start, end, business=True, concluded_on=old) == (
        eur("60.90")
    )
    for concluded in (new, None):
        assert default_interest(
            eur("10000"), start, end, business=True, concluded_on=concluded
        ) == eur("69.39")
    assert default_interest(eur("10000"), start, end, business=False, concluded_on=old) == (
        default_interest(eur("10000"), start, end, business=False)
    )
    assert flat_fee(True, concluded_on=old) == eur("0.00")
    assert flat_fee(True, concluded_on=new) == eur("40.00")


def test_accrued_interest_under_an_old_contract() -> None:
    """accrued_interest takes the contract's date too: the business invoice of the
    scenario, in default from 2023-03-03, owes 10 000 x 10.62 x 29 / 36 500 = 84.38 EUR up
    to 2023-04-01 under the new rules and 10 000 x 9.62 x 29 / 36 500 = 76.43 EUR under a
    contract of 2014."""
    invoice = _invoice(CustomerKind.BUSINESS)
    until = dt.date(2023, 4, 1)
    assert accrued_interest(invoice, until) == eur("84.38")
    assert accrued_interest(invoice, until, concluded_on=dt.date(2014, 1, 10)) == eur("76.43")


# -- § 286 (2) no. 1 BGB: a payment date fixed by the calendar -------------------------


def test_a_payment_date_fixed_by_the_calendar_needs_no_notice() -> None:
    """§ 286 (2) no. 1 BGB: "Der Mahnung bedarf es nicht, wenn 1. für die Leistung eine Zeit
    nach dem Kalender bestimmt ist" (https://www.gesetze-im-internet.de/bgb/__286.html).
    When the contract fixed the due date by the calendar, default begins on the day after
    it, for a consumer without the § 286 (3) warning too; the 31-day rule and a notice can
    only make it later, never earlier. The consumer invoice due 2023-01-31 then owes
    10 000 x 6.62 x 28 / 36 500 = 50.78 EUR up to 2023-03-01."""
    consumer = _invoice(CustomerKind.CONSUMER)
    assert default_begins(consumer) is None
    assert default_begins(consumer, due_date_agreed=True) == dt.date(2023, 2, 1)
    assert default_begins(_invoice(CustomerKind.BUSINESS), due_date_agreed=True) == (
        dt.date(2023, 2, 1)
    )
    assert accrued_interest(consumer, dt.date(2023, 3, 1), due_date_agreed=True) == eur("50.78")
    with pytest.raises(InvalidTypeError, match="due_date_agreed"):
        default_begins(consumer, due_date_agreed="yes")  # type: ignore[arg-type]


@given(
    kind=st.sampled_from(CustomerKind),
    warns=st.booleans(),
    received=st.integers(min_value=0, max_value=60),
)
def test_an_agreed_due_date_never_starts_default_later_law(
    kind: CustomerKind, warns: bool, received: int
) -> None:
    """Law: with the due date fixed by the contract, default begins on the day after the due
    date, never later than without it."""
    invoice = _invoice(kind, warns=warns)
    on = invoice.issue_date + dt.timedelta(received)
    agreed = default_begins(invoice, received_on=on, due_date_agreed=True)
    assert agreed == invoice.due_date + dt.timedelta(1)
    plain = default_begins(invoice, received_on=on)
    assert plain is None or agreed <= plain


@given(principal=PRINCIPALS, days=st.lists(DAYS, min_size=2, max_size=2), concluded=DAYS)
def test_the_old_rule_never_owes_more_and_differs_by_one_point_law(
    principal: Money, days: list[dt.date], concluded: dt.date
) -> None:
    """Law: under a contract of any date a business debtor owes at most the new rules'
    interest, and the old rule's interest plus one point over the same days equals the new
    rules' up to a cent."""
    a, b = sorted(days)
    new = default_interest(principal, a, b, business=True)
    old = default_interest(principal, a, b, business=True, concluded_on=concluded)
    assert old <= new
    if concluded < NEW_RULES_FROM:
        one_point = ((dt.date(2000, 1, 1), Decimal(-4)),)  # -4 + 5 = 1 point
        point = default_interest(principal, a, b, business=False, base_rates=one_point)
        assert abs((old + point - new).amount) <= Decimal("0.01")
    else:
        assert old == new


# -- custom base rates in the rules ----------------------------------------------------


def test_rules_with_their_own_base_rates_claim_interest_at_them() -> None:
    """DunningRules.base_rates replaces the built-in table for the interest a stage claims.
    The docs' example (10 000 EUR, business, in default from 2023-03-03, notice on
    2023-03-12) claims 10 000 x 10.62 x 9 / 36 500 = 26.19 EUR at the built-in rates; at a
    flat base rate of 0 % it is 10 000 x 9 x 9 / 36 500 = 22.19 EUR. The table is checked
    when the rules are built."""
    stage = DunningStage(StageKind.NOTICE, days_overdue=40, claim_interest=True)
    invoice = _invoice(CustomerKind.BUSINESS)
    day = dt.date(2023, 3, 12)
    built_in = next_dunning_action(invoice, DunningRules(stages=(stage,)), today=day)
    same = next_dunning_action(
        invoice, DunningRules(stages=(stage,), base_rates=BASE_RATES), today=day
    )
    own = DunningRules(stages=(stage,), base_rates=[(dt.date(2000, 1, 1), Decimal(0))])
    assert own.base_rates == ((dt.date(2000, 1, 1), Decimal(0)),)
    flat = next_dunning_action(invoice, own, today=day)
    assert isinstance(built_in, IssueStage)
    assert isinstance(same, IssueStage)
    assert isinstance(flat, IssueStage)
    assert (built_in.interest, same.interest, flat.interest) == (
        eur("26.19"),
        eur("26.19"),
        eur("22.19"),
    )
    with pytest.raises(InvalidValueError, match=r"DunningRules.base_rates\[0\]\[1\]"):
        DunningRules(stages=(stage,), base_rates=[(dt.date(2000, 1, 1), Decimal(-5))])
    with pytest.raises(InvalidTypeError, match="DunningRules.base_rates"):
        DunningRules(stages=(stage,), base_rates="2.57")


def test_rules_with_their_own_base_rates_round_trip() -> None:
    """The table survives JSON, a TOML rules file and pickling exactly."""
    stage = DunningStage(StageKind.NOTICE, days_overdue=40, claim_interest=True)
    rules = DunningRules(
        stages=(stage,),
        base_rates=[
            (dt.date(2020, 1, 1), Decimal("1.50")),
            (dt.date(2021, 7, 1), Decimal("-0.25")),
        ],
    )
    assert from_json(to_json(rules), DunningRules) == rules
    assert pickle.loads(pickle.dumps(rules)) == rules
    toml = (
        'schema_version = 2\nbase_rates = [[2020-01-01, "1.50"], [2021-07-01, "-0.25"]]\n'
        '[[stages]]\nkind = "NOTICE"\ndays_overdue = 40\nclaim_interest = true\n'
    )
    assert load_rules(toml) == rules


@given(table=ds.base_rate_tables())
def test_checked_base_rates_keeps_every_valid_table_law(
    table: tuple[tuple[dt.date, Decimal], ...],
) -> None:
    """Law: a valid table (as the strategy draws) is kept as it is, from a list too."""
    assert checked_base_rates(table) == table
    assert checked_base_rates(list(table)) == table


def test_new_parameters_refuse_junk() -> None:
    """day_count must be a DayCount, concluded_on a date."""
    start, end = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
    with pytest.raises(InvalidTypeError, match="default_interest.day_count"):
        default_interest(eur("1"), start, end, business=True, day_count="act/365")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="default_interest.concluded_on"):
        default_interest(eur("1"), start, end, business=True, concluded_on="2014")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="flat_fee.concluded_on"):
        flat_fee(True, concluded_on=2014)  # type: ignore[arg-type]


def _accrued_by_replay(
    invoice: Invoice, until: dt.date, base_rates: tuple[tuple[dt.date, Decimal], ...]
) -> Money:
    """Accrued interest as computed before the tables were kept checked: the table
    checked on every call, every base rate walked for every period, and the principal of
    every period by a replay of the bookings up to its first day."""
    rates = checked_base_rates(base_rates)
    business = invoice.customer.kind is CustomerKind.BUSINESS
    margin = _margin(business, "accrued_interest.business")
    begins = default_begins(invoice)
    if begins is None:
        return Money.zero(invoice.currency)
    start = max([begins, *(charge.on for charge in invoice.interest_charges)])
    if until <= start:
        return Money.zero(invoice.currency)
    if start < rates[0][0]:
        raise InvalidValueError("default_interest.start", start, "on or after the first rate")
    changes = [
        *(payment.on for payment in invoice.payments),
        *(note.on for note in invoice.credit_notes),
        *(write_off.on for write_off in invoice.write_offs),
    ]
    bounds = sorted({start, until, *(day for day in changes if start < day < until)})
    total: dict[int, Decimal] = {}
    for low, high in itertools.pairwise(bounds):
        principal = balance(invoice, today=low).principal.amount
        if principal > 0:
            _rate_days(low, high, margin, rates, into=total, weight=principal)
    return _rounded(total, invoice.currency)


@given(data=st.data())
def test_accrued_interest_equals_the_replay_of_every_period_law(data: st.DataObject) -> None:
    """Law: accrued interest (the base-rate table checked once per table, each period
    starting at the rate in force, the principal read without a replay when nothing
    lowers it) equals the computation that replays the bookings for every period and
    walks every base rate, for sent, paid-down, credited and dunned invoices of consumers
    and businesses, on any day, at the built-in rates or a table of one's own, given as a
    tuple or a list."""
    invoice = data.draw(
        st.one_of(
            ds.sent_invoices(currency="EUR"),
            ds.dunnable_invoices(currency="EUR"),
            ds.dunned_invoices(currency="EUR"),
        )
    )
    if data.draw(st.booleans()):
        business = attrs.evolve(invoice.customer, kind=CustomerKind.BUSINESS)
        invoice = attrs.evolve(invoice, customer=business)
    until = data.draw(ds.dates(min_value=invoice.due_date, max_value=dt.date(2035, 12, 31)))
    table = data.draw(st.just(BASE_RATES) | ds.base_rate_tables())
    expected = _accrued_by_replay(invoice, until, table)
    for given_as in (table, list(table)):
        assert accrued_interest(invoice, until, base_rates=given_as) == expected  # type: ignore[arg-type]


def test_an_invoice_of_nothing_accrues_no_interest() -> None:
    """An invoice of 0.00, never paid down, accrues 0.00 of interest once in default."""
    nothing = Invoice.sent(
        number="RE-0",
        customer=Customer(id="C", name="C GmbH", kind=CustomerKind.BUSINESS),
        gross=Money("0.00", "EUR"),
        issue_date=dt.date(2026, 1, 1),
        due_date=dt.date(2026, 1, 15),
    )
    assert accrued_interest(nothing, dt.date(2026, 12, 31)) == Money("0.00", "EUR")
