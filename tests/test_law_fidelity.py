"""German law, the seeds and the peers, exactly (issue 24, items 1 to 7).

Each test works one difference out from its source (the law, a seed line, a peer's
documented behaviour), with its figures in the docstring.
"""

from __future__ import annotations

import datetime as dt

import attrs
import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ANN, eur
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    CustomerKind,
    DunningRules,
    DunningStage,
    Hold,
    Invoice,
    IssueStage,
    NoAction,
    NoActionReason,
    StageKind,
    TriggerBasis,
    customer_minimum,
    default_begins,
    next_dunning_action,
    place_hold,
    plan,
    record_stage,
    simulate,
)
from dunlib.core import (
    TARGET2,
    Calendar,
    GuardFailedError,
    HolidayCalendar,
    InvalidTypeError,
    InvalidValueError,
    WeekendCalendar,
    add_working_days,
)
from dunlib.core.status import Status
from dunlib.dunning import accrued_interest, pause, resume

BUSINESS = Customer(id="C-B", name="Bau GmbH", kind=CustomerKind.BUSINESS)


def invoice(gross: str, *, issued: dt.date, due: dt.date, number: str = "RE-2026-0100") -> Invoice:
    return Invoice.sent(
        number=number, customer=BUSINESS, gross=eur(gross), issue_date=issued, due_date=due
    )


def issue(invoice: Invoice, rules: DunningRules, day: dt.date) -> IssueStage:
    action = next_dunning_action(invoice, rules, today=day)
    assert isinstance(action, IssueStage), action
    return action


def booked(invoice: Invoice, action: IssueStage) -> Invoice:
    return record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())


# -- 1. § 288 (5) BGB: the flat fee only in default, and once ------------------------------

FLAT_RULES = DunningRules(
    stages=(
        DunningStage(
            StageKind.NOTICE, days_overdue=14, basis=TriggerBasis.DUE_DATE, claim_flat_fee=True
        ),
        DunningStage(StageKind.NOTICE, days_overdue=28, basis=TriggerBasis.DUE_DATE),
        DunningStage(StageKind.NOTICE, days_overdue=42, basis=TriggerBasis.DUE_DATE),
    )
)


def test_1_the_flat_fee_is_claimed_once_the_debtor_is_in_default() -> None:
    """§ 288 (5) BGB: "Der Gläubiger einer Entgeltforderung hat bei Verzug des Schuldners,
    wenn dieser kein Verbraucher ist, außerdem einen Anspruch auf Zahlung einer Pauschale
    in Höhe von 40 Euro." An invoice due Monday 16 March 2026; the first notice (the stage
    claiming the flat fee) goes out on 30 March and only puts the debtor in default, from
    31 March (§ 286 (1) BGB; the 30 days of § 286 (3) would end on 15 April). So the notice
    of 30 March claims no flat fee; the next one, on 13 April, claims 40.00 EUR, and the one
    after (27 April) none: the flat fee is owed once per claim."""
    due = dt.date(2026, 3, 16)
    claim = invoice("10000.00", issued=dt.date(2026, 2, 14), due=due)
    first = issue(claim, FLAT_RULES, dt.date(2026, 3, 30))
    assert (first.fee, first.flat_fee) == (eur("0.00"), eur("0.00"))
    claim = booked(claim, first)
    assert default_begins(claim) == dt.date(2026, 3, 31)
    second = issue(claim, FLAT_RULES, dt.date(2026, 4, 13))
    assert (second.fee, second.flat_fee) == (eur("40.00"), eur("40.00"))
    claim = booked(claim, second)
    assert claim.issued_stages[-1].flat_fee == eur("40.00")
    assert claim.fees == eur("40.00")
    third = issue(claim, FLAT_RULES, dt.date(2026, 4, 27))
    assert (third.fee, third.flat_fee) == (eur("0.00"), eur("0.00"))


def test_1_a_debtor_already_in_default_owes_the_flat_fee_on_the_first_notice() -> None:
    """Default begins without a notice 30 days after the due date (§ 286 (3) BGB): due
    16 March 2026, day 30 is Wednesday 15 April, default from 16 April. A first notice on
    20 April (35 days after the due date) claims the 40.00 EUR at once. A hand-built
    decision claiming it on 30 March, before default, is refused."""
    rules = DunningRules(stages=(attrs.evolve(FLAT_RULES.stages[0], days_overdue=35),))
    claim = invoice("10000.00", issued=dt.date(2026, 2, 14), due=dt.date(2026, 3, 16))
    late = issue(claim, rules, dt.date(2026, 4, 20))
    assert (late.fee, late.flat_fee) == (eur("40.00"), eur("40.00"))
    early = issue(claim, FLAT_RULES, dt.date(2026, 3, 30))
    forged = attrs.evolve(early, fee=eur("40.00"), flat_fee=eur("40.00"))
    forged = attrs.evolve(
        forged, total_gross=early.total_gross + eur("40"), open_amount=early.open_amount + eur("40")
    )
    with pytest.raises(InvalidValueError, match="IssueStage.flat_fee"):
        booked(claim, forged)


# -- 2. § 193 BGB on the 30-day period -------------------------------------------------------


def test_2_a_period_ending_on_a_saturday_ends_on_monday() -> None:
    """§ 286 (3) with § 193 BGB (BGH, 1 February 2007, III ZR 159/06): 10 000.00 EUR due
    Thursday 2 April 2026; day 30 is Saturday 2 May, so the period ends on Monday 4 May and
    default begins on Tuesday 5 May. Interest at 1.27 + 9 = 10.27 % up to 15 May: 10 days,
    10 000 x 10.27 x 10 / 36 500 = 28.14 EUR (from 3 May it would be 12 days, 33.76 EUR).
    The same without a calendar in the rules: Saturdays and Sundays are never the end of a
    period."""
    claim = invoice("10000.00", issued=dt.date(2026, 3, 19), due=dt.date(2026, 4, 2))
    assert default_begins(claim) == dt.date(2026, 5, 5)
    assert accrued_interest(claim, dt.date(2026, 5, 15)) == eur("28.14")
    stage = DunningStage(
        StageKind.NOTICE, days_overdue=43, basis=TriggerBasis.DUE_DATE, claim_interest=True
    )
    for calendar in (None, WeekendCalendar()):
        rules = DunningRules(stages=(stage,), calendar=calendar)
        action = issue(claim, rules, dt.date(2026, 5, 15))
        assert action.interest == eur("28.14")
        assert booked(claim, action).interest_charged == eur("28.14")


def test_2_a_public_holiday_ends_the_period_later_with_a_holiday_calendar() -> None:
    """Due Wednesday 1 April 2026: day 30 is Friday 1 May, Labour Day in every German state.
    With the rules' HolidayCalendar for Germany the period ends on Monday 4 May and default
    begins on 5 May; counting weekends only, on 2 May."""
    claim = invoice("10000.00", issued=dt.date(2026, 3, 18), due=dt.date(2026, 4, 1))
    assert default_begins(claim) == dt.date(2026, 5, 2)
    german = HolidayCalendar(country="DE")
    assert default_begins(claim, calendar=german) == dt.date(2026, 5, 5)
    stage = DunningStage(
        StageKind.NOTICE, days_overdue=44, basis=TriggerBasis.DUE_DATE, claim_interest=True
    )
    action = issue(claim, DunningRules(stages=(stage,), calendar=german), dt.date(2026, 5, 15))
    assert action.calendar == german
    assert action.interest == eur("28.14")  # 5 to 14 May: 10 days
    assert booked(claim, action).interest_charged == eur("28.14")


def test_2_an_agreed_due_date_on_a_sunday_moves_to_monday() -> None:
    """§ 286 (2) no. 1 with § 193 BGB: payment agreed for Sunday 3 May 2026 is on time on
    Monday 4 May; default begins on Tuesday 5 May."""
    claim = invoice("100.00", issued=dt.date(2026, 4, 3), due=dt.date(2026, 5, 3))
    assert default_begins(claim, due_date_agreed=True) == dt.date(2026, 5, 5)


CALENDARS: tuple[Calendar | None, ...] = (
    None,
    WeekendCalendar(),
    TARGET2,
    HolidayCalendar(country="DE"),
    HolidayCalendar(country="DE", subdivision="BY"),
)


@given(
    due=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)),
    received_after=st.integers(min_value=0, max_value=40),
    calendar=st.sampled_from(CALENDARS),
)
def test_law_default_never_begins_after_a_day_the_period_could_not_end_on(
    due: dt.date, received_after: int, calendar: Calendar | None
) -> None:
    """Law (§ 286 (3) with § 193 BGB): for any due date, day of receipt and calendar,
    default by the 30-day period begins the day after its last day, which is a working day
    on or after day 30, and every day from day 30 up to it is a day off: never the day after
    a Saturday, Sunday or holiday the period could not end on."""
    received = due + dt.timedelta(days=received_after)
    claim = invoice("10.00", issued=min(due, received), due=due)
    begins = default_begins(claim, received_on=received, calendar=calendar)
    assert begins is not None
    days = WeekendCalendar() if calendar is None else calendar
    last = begins - dt.timedelta(days=1)
    day30 = max(due, received) + dt.timedelta(days=30)
    assert last >= day30
    assert days.is_working_day(last)
    off = [day30 + dt.timedelta(days=n) for n in range((last - day30).days)]
    assert not any(days.is_working_day(day) for day in off)


# -- 3. the SEPA Core return window, on TARGET2 business days --------------------------------


def test_3_a_direct_debit_holds_for_five_target2_business_days() -> None:
    """EPC SEPA Core Direct Debit Rulebook: the debtor bank may return a collection up to
    five inter-bank business days after settlement. Collected Wednesday 3 June 2026, the
    window runs to Wednesday 10 June (Thu 4, Fri 5, Mon 8, Tue 9, Wed 10): no reminder on
    9 June (five calendar days would end the hold on 8 June), the first on 11 June."""
    rules = DunningRules(
        stages=(DunningStage(StageKind.REMINDER, days_overdue=1, basis=TriggerBasis.DUE_DATE),)
    )
    claim = invoice("250.00", issued=dt.date(2026, 5, 18), due=dt.date(2026, 6, 1))
    debit = Hold.direct_debit(on=dt.date(2026, 5, 20), collection_date=dt.date(2026, 6, 3))
    assert debit.ends_on == dt.date(2026, 6, 10)
    held = place_hold(claim, debit, actor=ANN, authority=Authority())
    assert next_dunning_action(held, rules, today=dt.date(2026, 6, 9)) == NoAction(
        invoice_id=held.id,
        reason=NoActionReason.DIRECT_DEBIT_PENDING,
        next_on=dt.date(2026, 6, 11),
    )
    assert issue(held, rules, dt.date(2026, 6, 11)).on == dt.date(2026, 6, 11)
    easter = Hold.direct_debit(on=dt.date(2026, 3, 20), collection_date=dt.date(2026, 4, 1))
    assert easter.ends_on == dt.date(2026, 4, 10)  # Good Friday and Easter Monday closed


def test_3_target2_closing_days_match_the_ecb_calendar() -> None:
    """The TARGET2 closing days (Saturdays, Sundays, New Year's Day, Good Friday, Easter
    Monday, 1 May, 25 and 26 December) are those of the ``holidays`` package's ECB
    calendar ("XECB") in every year from 2002 to 2040."""
    for year in range(2002, 2041):
        ecb = holidays.financial_holidays("XECB", years=year)
        day = dt.date(year, 1, 1)
        while day.year == year:
            closed = day.weekday() >= 5 or day in ecb
            assert TARGET2.is_working_day(day) is not closed, day
            day += dt.timedelta(days=1)
    assert add_working_days(dt.date(2026, 6, 3), 5, TARGET2) == dt.date(2026, 6, 10)
    assert add_working_days(dt.date(2026, 6, 3), 0, TARGET2) == dt.date(2026, 6, 3)
    with pytest.raises(InvalidValueError, match="add_working_days.days"):
        add_working_days(dt.date(2026, 6, 3), -1, TARGET2)
    assert not TARGET2.is_working_day(dt.date(2001, 12, 31))  # closed in TARGET's first years
    assert TARGET2.is_working_day(dt.date(2002, 12, 31))


def test_3_a_return_window_is_bounded_and_ends_within_the_calendar() -> None:
    """A return window of more than 300 TARGET2 business days (beyond the 13 months of a
    SEPA refund) is refused, as is one that would end after 31 December 9999."""
    with pytest.raises(InvalidValueError, match="Hold.return_days"):
        Hold.direct_debit(
            on=dt.date(2026, 6, 1), collection_date=dt.date(2026, 6, 3), return_days=301
        )
    with pytest.raises(InvalidValueError, match="Hold.return_days"):
        Hold.direct_debit(on=dt.date(9999, 12, 1), collection_date=dt.date(9999, 12, 29))
    with pytest.raises(InvalidTypeError, match="default_begins.calendar"):
        default_begins(invoice("10.00", issued=dt.date(2026, 4, 1), due=dt.date(2026, 4, 2)),
                       calendar="DE")  # type: ignore[arg-type]  # fmt: skip


# -- 4. no fee and no DUNNED on or before the due date ----------------------------------------

FEE_RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=7, basis=TriggerBasis.BEFORE_DUE_DATE),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=eur("102.00")),
    )
)


def test_4_the_debtor_is_late_only_from_the_day_after_the_due_date() -> None:
    """Seed 002 duns an invoice only once its due date has passed: paid on the due date,
    the payment is on time. Due Tuesday 24 March 2026, a courtesy reminder on 17 March; the
    notice (fee 102.00 EUR, 7 days after the reminder) would fall on 24 March but waits for
    25 March, the first day the debtor is late, and only then DUNNED."""
    claim = invoice("1000.00", issued=dt.date(2026, 3, 10), due=dt.date(2026, 3, 24))
    reminder = issue(claim, FEE_RULES, dt.date(2026, 3, 17))
    claim = booked(claim, reminder)
    assert (claim.status, claim.fees) == (Status.SENT, eur("0.00"))
    assert next_dunning_action(claim, FEE_RULES, today=dt.date(2026, 3, 24)) == NoAction(
        invoice_id=claim.id, reason=NoActionReason.NOT_YET_DUE, next_on=dt.date(2026, 3, 25)
    )
    notice = issue(claim, FEE_RULES, dt.date(2026, 3, 25))
    assert notice.fee == eur("102.00")
    dunned = booked(claim, notice)
    assert (dunned.status, dunned.fees) == (Status.DUNNED, eur("102.00"))


def test_4_a_fee_on_the_due_date_is_refused_and_a_stage_then_is_early() -> None:
    """A decision built by hand for the due date itself: with a fee the table's ISSUE_EARLY
    row refuses it (guard no-fee); without one it is a document that keeps the invoice
    SENT, not dunning."""
    claim = invoice("1000.00", issued=dt.date(2026, 3, 10), due=dt.date(2026, 3, 24))
    reminder = issue(claim, FEE_RULES, dt.date(2026, 3, 17))
    on_due = attrs.evolve(reminder, on=dt.date(2026, 3, 24), due_date=dt.date(2026, 3, 31))
    early = booked(claim, on_due)
    assert (early.status, early.history[-1].to_status) == (Status.SENT, Status.SENT)
    charged = attrs.evolve(
        on_due,
        fee=eur("102.00"),
        total_gross=on_due.total_gross + eur("102.00"),
        open_amount=on_due.open_amount + eur("102.00"),
    )
    with pytest.raises(GuardFailedError, match="no-fee"):
        booked(claim, charged)


# -- 5. held amounts stay out of the customer minimum ----------------------------------------


REMIND_AT_ONCE = DunningRules(
    stages=(DunningStage(StageKind.REMINDER, days_overdue=1, basis=TriggerBasis.DUE_DATE),)
)
MAY_10 = dt.date(2026, 5, 10)


def disputed_and_small() -> tuple[Invoice, Invoice]:
    """500.00 EUR disputed from 12 May and 20.00 EUR overdue, one customer, both due 10 May."""
    disputed = place_hold(
        invoice("500.00", issued=dt.date(2026, 4, 26), due=MAY_10, number="RE-1"),
        Hold.dispute(on=dt.date(2026, 5, 12), reason="goods damaged"),
        actor=ANN,
        authority=Authority(),
    )
    return disputed, invoice("20.00", issued=dt.date(2026, 4, 26), due=MAY_10, number="RE-2")


def minimum_run(invoices: list[Invoice], minimum: str) -> dict[str, object]:
    """The actions of the run of 20 May with the customer minimum, by invoice number."""
    today = dt.date(2026, 5, 20)
    decisions = customer_minimum(
        plan(invoices, REMIND_AT_ONCE, today=today, explain=True), [eur(minimum)], today=today
    )
    return {decision.invoice.number: decision.action for decision in decisions}


def test_5_disputed_amounts_do_not_count_toward_the_customer_minimum() -> None:
    """Odoo leaves disputed ("blocked") lines out of the total due of a follow-up. A customer
    owes 500.00 EUR disputed and 20.00 EUR overdue; the customer-level minimum is 50.00 EUR.
    The total that counts is 20.00 (not 520.00), below 50.00: no letter. Without the
    dispute, 40.00 of two invoices reach a minimum of 40.00."""
    disputed, small = disputed_and_small()
    actions = minimum_run([disputed, small], "50.00")
    assert actions["RE-1"] == NoAction(invoice_id=disputed.id, reason=NoActionReason.DISPUTED)
    assert actions["RE-2"] == NoAction(
        invoice_id=small.id,
        reason=NoActionReason.BELOW_CUSTOMER_MINIMUM,
        minimum=eur("50.00"),
        overdue_total=eur("20.00"),
    )
    assert isinstance(minimum_run([small, small], "40.00")["RE-2"], IssueStage)


def test_5_a_paused_and_disputed_invoice_does_not_count_either() -> None:
    """The engine names the pause first for an invoice both paused and disputed; the
    customer minimum still leaves the disputed amount out: 20.00 of 520.00 counts."""
    disputed, small = disputed_and_small()
    paused = pause(disputed, on=dt.date(2026, 5, 13), actor=ANN, authority=Authority())
    actions = minimum_run([paused, small], "50.00")
    assert actions["RE-1"] == NoAction(invoice_id=paused.id, reason=NoActionReason.PAUSED)
    assert actions["RE-2"] == NoAction(
        invoice_id=small.id,
        reason=NoActionReason.BELOW_CUSTOMER_MINIMUM,
        minimum=eur("50.00"),
        overdue_total=eur("20.00"),
    )


# -- 6. courtesy reminders before the due date --------------------------------------------------


def test_6_reminders_counted_from_the_invoice_date_as_invoice_ninja_counts() -> None:
    """Invoice Ninja sends reminders a number of days after the invoice date, before the
    due date. Issued 1 June 2026, due 16 June: reminders 5 and 10 days after the invoice
    date (6 and 11 June) keep the invoice SENT and charge nothing; the notice 14 days after
    the due date (30 June) charges its 5.00 EUR and duns. A notice counted from the invoice
    date that falls before the due date charges no fee either (Invoice Ninja's late fee
    before the due date stays a deviation, docs/peers.md)."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=5, basis=TriggerBasis.ISSUE_DATE),
            DunningStage(StageKind.NOTICE, days_overdue=10, basis=TriggerBasis.ISSUE_DATE),
            DunningStage(
                StageKind.NOTICE, days_overdue=14, basis=TriggerBasis.DUE_DATE, fee=eur("5.00")
            ),
        )
    )
    claim = invoice("300.00", issued=dt.date(2026, 6, 1), due=dt.date(2026, 6, 16))
    schedule = simulate(claim, rules, until=dt.date(2026, 7, 31))
    assert [(entry.on, entry.fee) for entry in schedule] == [
        (dt.date(2026, 6, 6), eur("0.00")),
        (dt.date(2026, 6, 11), eur("0.00")),
        (dt.date(2026, 6, 30), eur("5.00")),
    ]
    steps = [entry.to_status for entry in schedule.invoice.history[1:]]
    assert steps == [Status.SENT, Status.SENT, Status.DUNNED]


def test_6_several_reminders_back_from_the_due_date() -> None:
    """Two courtesy reminders 7 and 2 days before the due date (24 March 2026): 17 and
    22 March, then the first notice the day after the due date."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=7, basis=TriggerBasis.BEFORE_DUE_DATE),
            DunningStage(StageKind.REMINDER, days_overdue=2, basis=TriggerBasis.BEFORE_DUE_DATE),
            DunningStage(StageKind.NOTICE, days_overdue=0, basis=TriggerBasis.DUE_DATE),
        )
    )
    claim = invoice("300.00", issued=dt.date(2026, 3, 10), due=dt.date(2026, 3, 24))
    schedule = simulate(claim, rules, until=dt.date(2026, 4, 30))
    assert [entry.on for entry in schedule] == [
        dt.date(2026, 3, 17),
        dt.date(2026, 3, 22),
        dt.date(2026, 3, 25),
    ]


def test_6_courtesy_stages_only_open_the_ladder() -> None:
    """A stage counted from the invoice date or back from the due date after a stage of
    another basis is refused, naming the stage."""
    notice = DunningStage(StageKind.NOTICE, days_overdue=14)
    for basis in (TriggerBasis.ISSUE_DATE, TriggerBasis.BEFORE_DUE_DATE):
        courtesy = DunningStage(StageKind.REMINDER, days_overdue=3, basis=basis)
        with pytest.raises(InvalidValueError, match=r"stages\[1\].basis"):
            DunningRules(stages=(notice, courtesy))
        assert DunningRules(stages=(courtesy, courtesy, notice)).stages[0].basis is basis


# -- 7. the due-date basis after a gap, against Tryton -------------------------------------------


def test_7_after_a_gap_the_due_date_basis_keeps_its_spacing_unlike_tryton() -> None:
    """Tryton counts every level's days from the maturity date ("Days: the number of overdue
    days", trytond account_dunning), so after a gap every level already due follows at
    once. dunlib keeps the configured spacing from the document actually sent: stages 14,
    28 and 42 days after the due date (20 April 2026); the first goes out on 4 May, dunning
    is paused from 5 May to 1 August; the second follows on 1 August, the third 14 days
    later on 15 August (Tryton: the day after the second, 2 August, both long due)."""
    rules = DunningRules(
        stages=tuple(
            DunningStage(StageKind.REMINDER, days_overdue=days, basis=TriggerBasis.DUE_DATE)
            for days in (14, 28, 42)
        )
    )
    claim = invoice("300.00", issued=dt.date(2026, 4, 6), due=dt.date(2026, 4, 20))
    claim = booked(claim, issue(claim, rules, dt.date(2026, 5, 4)))
    claim = pause(claim, on=dt.date(2026, 5, 5), actor=ANN, authority=Authority())
    claim = resume(claim, on=dt.date(2026, 8, 1), actor=ANN, authority=Authority())
    schedule = simulate(claim, rules, until=dt.date(2026, 9, 30))
    assert [entry.on for entry in schedule] == [dt.date(2026, 8, 1), dt.date(2026, 8, 15)]
