"""Instalment plans (issue 24, item 12; Ratenzahlungsvereinbarung, ERPNext's payment
schedule): agreed through the booking path, holding dunning while each instalment arrives
within its grace, ended by a miss (dunning resumes the next day, catching up one stage per
run), by a cancellation or by being paid; § 288 BGB interest waived over the days a plan
held only when the plan says so."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, DORA, DUE, SAM, SEED_RULES, eur, notice_action, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    DunningRules,
    DunningStage,
    GuardFailedError,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    NoAction,
    NoActionReason,
    Payment,
    PermissionDeniedError,
    StageKind,
    Status,
    accrued_interest,
    as_of,
    from_json,
    next_dunning_action,
    record_interest,
    record_payment,
    record_stage,
    to_json,
    trigger_date,
)
from dunlib.core import CreditNote, EventKind, InterestCharge, held_days, plan_state
from dunlib.dunning import (
    Instalment,
    InstalmentPlan,
    PlanEnd,
    agree_plan,
    cancel_plan,
    instalment_plan,
    split_amount,
)

D = dt.date
AGREED = D(2026, 5, 20)


def monthly_plan(
    amount: str = "1200.00", *, on: dt.date = AGREED, grace: int = 5, waived: bool = False
) -> InstalmentPlan:
    """Three monthly instalments of ``amount`` from 01.06.2026, ``grace`` days each."""
    return InstalmentPlan.monthly(
        eur(amount),
        on=on,
        first_due=D(2026, 6, 1),
        count=3,
        grace_days=grace,
        waives_interest=waived,
        reason="Ratenzahlungsvereinbarung vom 20.05.2026",
    )


def agreed(invoice: Invoice | None = None, the_plan: InstalmentPlan | None = None) -> Invoice:
    """``invoice`` (the seed invoice of 1 200.00, due 10.05.2026) with ``the_plan`` (three
    instalments of 400.00 due 1 June, 1 July, 1 August, grace 5 days) agreed by Sam."""
    invoice = sent("1200.00") if invoice is None else invoice
    return agree_plan(invoice, the_plan or monthly_plan(), actor=SAM, authority=Authority())


def pay(invoice: Invoice, on: dt.date, amount: str) -> Invoice:
    return record_payment(
        invoice, Payment(on=on, amount=eur(amount)), actor=AUTOMATIC, authority=Authority()
    ).invoice


def action(invoice: Invoice, day: dt.date, rules: DunningRules = SEED_RULES) -> object:
    return next_dunning_action(invoice, rules, today=day)


def test_a_kept_plan_holds_dunning_and_a_miss_resumes_it_the_next_day() -> None:
    """Issue 24, item 12. Sources: ERPNext's payment schedule (the 'Payment Terms Schedule'
    of an invoice: dated portions, each with its due date and amount, whose invoice portions
    add up to 100 %; docs.erpnext.com/docs/v14/user/manual/en/accounts/payment-terms-template);
    seed 003's
    catch-up rule (after a gap the engine issues one stage per run, the next counted from
    the document actually sent).

    Worked figures: 1 200.00 due 10.05.2026, the seed's ladder (reminders 14, 7, 7 days,
    a notice after 7 more): the first reminder would go out on 24.05.2026. On 20.05.2026 a
    plan of 400.00 / 400.00 / 400.00 due 01.06., 01.07., 01.08., grace 5 days, is agreed.

    - 25.05.: NoAction INSTALMENT_PLAN, next_on 07.06. (01.06. + 5 days grace + 1);
    - 400.00 arrives on 05.06. (within the grace): on 07.06. NoAction, next_on 07.07.;
    - nothing more arrives: on 06.07. still held; on 07.07. the plan ended MISSED and the
      engine issues the first reminder (level 1) on the 800.00 open, although every
      stage's date has long passed: one stage per run;
    - the second reminder then counts from the reminder actually sent: 07.07. + 7 days =
      14.07., not the 31.05. of the ladder.
    """
    invoice = agreed()
    entry = invoice.history[-1]
    assert (entry.kind, entry.on, entry.actor) == (EventKind.PLAN_AGREED, AGREED, "sam")
    assert entry.detail == (
        "instalment plan: 3 instalments of 1200.00 EUR in all, due 2026-06-01 to 2026-08-01, "
        "grace 5 days (Ratenzahlungsvereinbarung vom 20.05.2026)"
    )
    held = NoActionReason.INSTALMENT_PLAN
    assert action(invoice, D(2026, 5, 25)) == NoAction(
        invoice_id=invoice.id, reason=held, next_on=D(2026, 6, 7)
    )
    invoice = pay(invoice, D(2026, 6, 5), "400.00")
    assert action(invoice, D(2026, 6, 7)) == NoAction(
        invoice_id=invoice.id, reason=held, next_on=D(2026, 7, 7)
    )
    assert action(invoice, D(2026, 7, 6)) == NoAction(
        invoice_id=invoice.id, reason=held, next_on=D(2026, 7, 7)
    )
    state = instalment_plan(invoice, today=D(2026, 7, 7))
    assert state is not None
    assert (state.holds, state.end, state.ended_on, state.kept) == (
        False,
        PlanEnd.MISSED,
        D(2026, 7, 7),
        1,
    )
    assert state.counted == eur("400.00")
    issued = action(invoice, D(2026, 7, 7))
    assert isinstance(issued, IssueStage)
    assert (issued.level, issued.on, issued.open_amount) == (1, D(2026, 7, 7), eur("800.00"))
    invoice = record_stage(invoice, issued, actor=AUTOMATIC, authority=Authority())
    assert trigger_date(invoice, SEED_RULES) == D(2026, 7, 14)
    assert action(invoice, D(2026, 7, 13)) == NoAction(
        invoice_id=invoice.id, reason=NoActionReason.NOT_YET_DUE, next_on=D(2026, 7, 14)
    )


def test_a_plan_paid_in_full_ends_paid_and_the_invoice_is_settled() -> None:
    """Item 12: paid early, in other amounts than agreed, the payments count toward the
    instalments in date order. Worked figures: 1 200.00 in 3 x 400.00; 500.00 on 25.05.
    (before the first due date: the first instalment and 100.00 of the second), 300.00 on
    03.07. (within the second's grace: 800.00 counted, two kept), 400.00 on 01.08.: the plan
    ended PAID on 01.08., the invoice PAID."""
    invoice = pay(agreed(), D(2026, 5, 25), "500.00")
    state = instalment_plan(invoice, today=D(2026, 6, 30))
    assert state is not None
    assert (state.kept, state.counted, state.next_on) == (1, eur("500.00"), D(2026, 7, 7))
    invoice = pay(invoice, D(2026, 7, 3), "300.00")
    state = instalment_plan(invoice, today=D(2026, 7, 7))
    assert state is not None
    assert (state.holds, state.kept, state.next_on) == (True, 2, D(2026, 8, 7))
    invoice = pay(invoice, D(2026, 8, 1), "400.00")
    state = instalment_plan(invoice, today=D(2026, 8, 1))
    assert state is not None
    assert (state.end, state.ended_on, state.kept, state.holds) == (
        PlanEnd.PAID,
        D(2026, 8, 1),
        3,
        False,
    )
    assert action(invoice, D(2026, 8, 2)) == NoAction(
        invoice_id=invoice.id, reason=NoActionReason.SETTLED
    )


def test_an_underpaid_instalment_is_missed_when_its_grace_has_passed() -> None:
    """Item 12, underpayment: 399.99 of the first 400.00 by 06.06. (its due date 01.06. plus
    5 days grace) leaves it unkept: the plan is missed on 07.06.; had the last cent come on
    06.06., it would have been kept."""
    short = pay(agreed(), D(2026, 6, 1), "399.99")
    state = instalment_plan(short, today=D(2026, 6, 7))
    assert state is not None
    assert (state.end, state.ended_on, state.kept) == (PlanEnd.MISSED, D(2026, 6, 7), 0)
    assert isinstance(action(short, D(2026, 6, 7)), IssueStage)
    kept = pay(short, D(2026, 6, 6), "0.01")
    assert action(kept, D(2026, 6, 7)) == NoAction(
        invoice_id=kept.id, reason=NoActionReason.INSTALMENT_PLAN, next_on=D(2026, 7, 7)
    )


def test_cancelling_a_plan_resumes_dunning_that_day() -> None:
    """Item 12, the end by cancellation: cancelled on 10.06. (it held: the first instalment
    arrived), the plan ended CANCELLED that day, recorded in the history; the engine issues
    the first reminder on 10.06. A second cancellation finds no plan (guard planned)."""
    invoice = pay(agreed(), D(2026, 6, 1), "400.00")
    cancelled = cancel_plan(
        invoice, on=D(2026, 6, 10), actor=SAM, authority=Authority(), reason="customer asked"
    )
    entry = cancelled.history[-1]
    assert (entry.kind, entry.detail) == (
        EventKind.PLAN_CANCELLED,
        "instalment plan cancelled: customer asked",
    )
    assert cancelled.instalment_plans[-1].cancelled_on == D(2026, 6, 10)
    state = instalment_plan(cancelled, today=D(2026, 6, 10))
    assert state is not None
    assert (state.end, state.ended_on, state.holds) == (PlanEnd.CANCELLED, D(2026, 6, 10), False)
    issued = action(cancelled, D(2026, 6, 10))
    assert isinstance(issued, IssueStage)
    assert issued.level == 1
    with pytest.raises(GuardFailedError, match="planned"):
        cancel_plan(cancelled, on=D(2026, 6, 11), actor=SAM, authority=Authority())
    assert as_of(cancelled, today=D(2026, 6, 9)).instalment_plans[-1].cancelled_on is None
    assert from_json(to_json(cancelled), Invoice) == cancelled


def test_agreeing_a_plan_is_refused_unless_it_covers_exactly_what_is_open() -> None:
    """Item 12, amounts: the instalments add up to exactly what is open (1 200.00): a plan
    for 1 199.99 is refused (guard covers-open), as is one agreed on a day a payment was
    booked before it, a second plan while one holds (guard no-plan), one in another
    currency, one by a clerk, and one on a paid invoice."""
    with pytest.raises(GuardFailedError, match="covers-open") as short:
        agreed(the_plan=monthly_plan("1199.99"))
    assert "1199.99 EUR, not to what is open (1200.00 EUR)" in str(short.value)
    paid_today = pay(sent("1300.00"), AGREED, "100.00")
    with pytest.raises(GuardFailedError, match="agree it the next day"):
        agreed(paid_today)
    with pytest.raises(GuardFailedError, match="no-plan"):
        agreed(agreed(), monthly_plan(on=D(2026, 5, 21)))
    usd = InstalmentPlan.monthly(
        Money("1200.00", "USD"), on=AGREED, first_due=D(2026, 6, 1), count=3
    )
    with pytest.raises(InvalidValueError, match="agree_plan.plan.instalments"):
        agreed(the_plan=usd)
    with pytest.raises(PermissionDeniedError, match="AGREE_PLAN"):
        agree_plan(sent("1200.00"), monthly_plan(), actor=DORA, authority=Authority())
    paid = pay(sent("1200.00"), D(2026, 5, 1), "1200.00")
    with pytest.raises(Exception, match="AGREE_PLAN"):
        agreed(paid)
    with pytest.raises(InvalidTypeError, match="agree_plan.plan"):
        agree_plan(sent(), "plan", actor=SAM, authority=Authority())  # type: ignore[arg-type]
    done = attrs.evolve(monthly_plan(), cancelled_on=AGREED)
    with pytest.raises(InvalidValueError, match="agree_plan.plan.cancelled_on"):
        agreed(the_plan=done)
    with pytest.raises(InvalidTypeError, match="cancel_plan.reason"):
        cancel_plan(agreed(), on=AGREED, actor=SAM, authority=Authority(), reason=1)  # type: ignore[arg-type]


def test_nothing_is_charged_or_claimed_while_a_plan_holds() -> None:
    """Item 12: a plan holds like any hold (guard unheld): a notice or an interest charge
    booked by hand on a day it holds is refused, naming the plan."""
    invoice = agreed()
    with pytest.raises(GuardFailedError, match="an instalment plan holds since 2026-05-20"):
        record_stage(
            invoice, notice_action(invoice, D(2026, 5, 25)), actor=SAM, authority=Authority()
        )
    with pytest.raises(GuardFailedError, match="unheld"):
        record_interest(
            invoice,
            InterestCharge(on=D(2026, 5, 25), amount=eur("1.00")),
            actor=SAM,
            authority=Authority(),
        )


def test_a_waiver_leaves_out_the_days_the_plan_held() -> None:
    """Item 12, § 288 (2) BGB: 9 points above the base rate (1.27 % since 01.07.2025:
    10.27 %) for a business debtor, act/365, on what is open; a plan waiving interest
    leaves out every day it held, from its day to the day before it ended.

    Worked figures: 10 000.00 due 31.03.2026 (agreed by the calendar: default from
    01.04.); a plan agreed on 01.05. of 5 000.00 due 01.06. and 5 000.00 due 01.07., no
    grace, nothing paid: missed on 02.06., so it held 01.05. to 01.06. (32 days).

    - not waived, interest up to 01.07. (exclusive) runs 91 days:
      10 000.00 x 10.27 % x 91 / 365 = 256.0465... = 256.05;
    - waived, 91 - 32 = 59 days: 10 000.00 x 10.27 % x 59 / 365 = 166.0082... = 166.01;
    - waived and the first 5 000.00 paid on 01.06. (kept), the second missed on 02.07.: it
      held 01.05. to 01.07.; up to 01.07. only April counts: 10 000.00 x 10.27 % x 30 / 365
      = 84.41; up to 31.07. also 02.07. to 30.07. on 5 000.00: 84.4109... + 5 000.00 x
      10.27 % x 29 / 365 (40.7986...) = 125.2096... = 125.21.
    """
    invoice = Invoice.sent(
        number="RE-9",
        customer=ACME,
        gross=eur("10000.00"),
        issue_date=D(2026, 3, 17),
        due_date=D(2026, 3, 31),
    )
    halves = InstalmentPlan(
        on=D(2026, 5, 1),
        instalments=(
            Instalment(due=D(2026, 6, 1), amount=eur("5000.00")),
            Instalment(due=D(2026, 7, 1), amount=eur("5000.00")),
        ),
        waives_interest=True,
    )
    until = D(2026, 7, 1)
    kept_interest = agreed(invoice, attrs.evolve(halves, waives_interest=False))
    assert accrued_interest(kept_interest, until, due_date_agreed=True) == eur("256.05")
    assert accrued_interest(invoice, until, due_date_agreed=True) == eur("256.05")
    waived = agreed(invoice, halves)
    assert held_days(halves, waived.payments) == (D(2026, 5, 1), D(2026, 6, 2))
    assert accrued_interest(waived, until, due_date_agreed=True) == eur("166.01")
    half_paid = pay(waived, D(2026, 6, 1), "5000.00")
    assert held_days(halves, half_paid.payments) == (D(2026, 5, 1), D(2026, 7, 2))
    assert accrued_interest(half_paid, until, due_date_agreed=True) == eur("84.41")
    assert accrued_interest(half_paid, D(2026, 7, 31), due_date_agreed=True) == eur("125.21")


def test_split_amount_puts_the_remainder_cent_on_the_last_instalment() -> None:
    """Item 12, amounts: 100.00 in 3 is 33.33, 33.33, 33.34; 1 200.00 in 3 is 400.00 each;
    0.02 cannot be split in 3 (a cent each at least); JPY has no cents: 1000 in 3 is 333,
    333, 334. Monthly instalments from 31.01. fall on 28.02. and 31.03."""
    assert split_amount(eur("100.00"), 3) == (eur("33.33"), eur("33.33"), eur("33.34"))
    assert split_amount(eur("1200.00"), 3) == (eur("400.00"),) * 3
    yen = Money("1000", "JPY")
    assert split_amount(yen, 3) == (Money("333", "JPY"), Money("333", "JPY"), Money("334", "JPY"))
    with pytest.raises(InvalidValueError, match="split_amount.amount"):
        split_amount(eur("0.02"), 3)
    with pytest.raises(InvalidValueError, match="split_amount.count"):
        split_amount(eur("1.00"), 0)
    with pytest.raises(InvalidTypeError, match="split_amount.amount"):
        split_amount("1.00", 2)  # type: ignore[arg-type]
    months = InstalmentPlan.monthly(
        eur("90.00"), on=D(2026, 1, 31), first_due=D(2026, 1, 31), count=3
    )
    assert [item.due for item in months.instalments] == [
        D(2026, 1, 31),
        D(2026, 2, 28),
        D(2026, 3, 31),
    ]
    assert months.total == eur("90.00")
    assert months.described() == (
        "instalment plan: 3 instalments of 90.00 EUR in all, due 2026-01-31 to 2026-03-31, "
        "grace 0 days"
    )
    one = InstalmentPlan.monthly(eur("1.00"), on=D(2026, 1, 1), first_due=D(2026, 1, 1), count=1)
    waived = attrs.evolve(one, waives_interest=True)
    assert waived.described().endswith(
        "1 instalment of 1.00 EUR in all, due 2026-01-01 to "
        "2026-01-01, grace 0 days, interest waived"
    )


def test_a_plan_refuses_values_no_agreement_makes() -> None:
    """An instalment plan names what is wrong: no instalments, due dates not one after
    another or before its day, instalments in two currencies, a cancellation before its
    day, a grace running past the calendar; plan_state refuses junk and foreign money."""
    first = Instalment(due=D(2026, 6, 1), amount=eur("1.00"))
    with pytest.raises(InvalidValueError, match="one instalment or more"):
        InstalmentPlan(on=AGREED, instalments=())
    with pytest.raises(InvalidValueError, match=r"instalments\[1\].due"):
        InstalmentPlan(on=AGREED, instalments=(first, first))
    with pytest.raises(InvalidValueError, match=r"instalments\[1\].amount"):
        InstalmentPlan(
            on=AGREED,
            instalments=(first, Instalment(due=D(2026, 7, 1), amount=Money("1.00", "USD"))),
        )
    with pytest.raises(InvalidValueError, match=r"instalments\[0\].due"):
        InstalmentPlan(on=D(2026, 6, 2), instalments=(first,))
    with pytest.raises(InvalidValueError, match="cancelled_on"):
        InstalmentPlan(on=AGREED, instalments=(first,), cancelled_on=D(2026, 5, 1))
    with pytest.raises(InvalidValueError, match="days"):
        InstalmentPlan(
            on=AGREED,
            instalments=(Instalment(due=D(9999, 12, 30), amount=eur("1.00")),),
            grace_days=5,
        )
    the_plan = InstalmentPlan(on=AGREED, instalments=(first,))
    with pytest.raises(InvalidTypeError, match="plan_state.plan"):
        plan_state("plan", (), today=AGREED)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"plan_state.payments\[0\]"):
        plan_state(the_plan, ["x"], today=AGREED)  # type: ignore[list-item]
    dollars = CreditNote(id="G-1", on=AGREED, amount=Money("1.00", "USD"))
    with pytest.raises(InvalidValueError, match=r"held_days.credit_notes\[0\].amount"):
        held_days(the_plan, (), (dollars,))
    assert instalment_plan(sent(), today=AGREED) is None
    assert instalment_plan(agreed(), today=D(2026, 5, 19)) is None


def test_an_invoice_refuses_plans_its_history_did_not_agree() -> None:
    """The invoice checks its plans against its history: none without a PLAN_AGREED entry,
    the entry naming its plan, the plan covering what was open, no second plan while one
    holds, a cancellation only by a PLAN_CANCELLED entry of a plan that held that day, and
    no plan in another currency or before the invoice is sent."""
    invoice = agreed()
    with pytest.raises(InvalidValueError, match=r"instalment_plans\[1\]"):
        attrs.evolve(invoice, instalment_plans=(*invoice.instalment_plans, monthly_plan()))
    other = attrs.evolve(monthly_plan(), reason="another")
    with pytest.raises(InvalidValueError, match=r"history\[1\].detail"):
        attrs.evolve(invoice, instalment_plans=(other,))
    smaller = monthly_plan("1199.99")
    entry = invoice.history[-1]
    with pytest.raises(InvalidValueError, match="covers-open"):
        attrs.evolve(
            invoice,
            instalment_plans=(smaller,),
            history=(*invoice.history[:-1], attrs.evolve(entry, detail=smaller.described())),
        )
    with pytest.raises(InvalidValueError, match="books no more instalment_plans"):
        attrs.evolve(invoice, instalment_plans=())
    cancelled_quietly = attrs.evolve(monthly_plan(), cancelled_on=D(2026, 6, 1))
    with pytest.raises(InvalidValueError, match="PLAN_CANCELLED"):
        attrs.evolve(invoice, instalment_plans=(cancelled_quietly,))
    second = monthly_plan(on=D(2026, 5, 21))
    with pytest.raises(InvalidValueError, match="while no plan holds"):
        attrs.evolve(
            invoice,
            instalment_plans=(monthly_plan(), second),
            history=(
                *invoice.history,
                attrs.evolve(entry, on=D(2026, 5, 21), detail=second.described()),
            ),
        )
    stray = attrs.evolve(
        entry, on=D(2026, 5, 21), kind=EventKind.PLAN_CANCELLED, detail="instalment plan cancelled"
    )
    with pytest.raises(InvalidValueError, match="guard planned"):
        attrs.evolve(invoice, history=(*invoice.history, stray))
    with pytest.raises(InvalidValueError, match=r"Invoice.instalment_plans\[0\]"):
        attrs.evolve(
            invoice,
            instalment_plans=(
                InstalmentPlan.monthly(
                    Money("1200.00", "USD"), on=AGREED, first_due=D(2026, 6, 1), count=3
                ),
            ),
        )
    with pytest.raises(InvalidValueError, match="Invoice.instalment_plans"):
        attrs.evolve(sent(), status=Status.DRAFT, number="", instalment_plans=(second,), history=())
    plain = sent("1200.00")
    reminded = record_stage(
        plain, notice_action(plain, D(2026, 5, 25)), actor=AUTOMATIC, authority=Authority()
    )
    with pytest.raises(InvalidValueError, match="while no instalment plan holds"):
        attrs.evolve(
            reminded,
            instalment_plans=(monthly_plan(),),
            history=(reminded.history[0], entry, reminded.history[1]),
        )


AT_ONCE = DunningRules(stages=(DunningStage(StageKind.NOTICE, days_overdue=0),))
"""A notice due on the due date: whenever nothing holds an overdue invoice, it is dunned."""


@st.composite
def kept_plans(draw: st.DrawFn) -> tuple[Invoice, InstalmentPlan, list[dt.date]]:
    """The seed invoice (due 10.05.2026) of 1.00 to 100 000.00 with a plan agreed 0 to 30
    days after its due date: 1 to 4 instalments 1 to 40 days apart, the first 0 to 20 days
    after the plan's day, a grace of 0 to 7 days; and each instalment's day of payment
    within its grace."""
    cents = draw(st.integers(min_value=100, max_value=10_000_000))
    count = draw(st.integers(min_value=1, max_value=4))
    day = DUE + dt.timedelta(days=draw(st.integers(0, 30)))
    first = day + dt.timedelta(days=draw(st.integers(0, 20)))
    gaps = draw(st.lists(st.integers(1, 40), min_size=count - 1, max_size=count - 1))
    dues = [first]
    for gap in gaps:
        dues.append(dues[-1] + dt.timedelta(days=gap))
    grace = draw(st.integers(0, 7))
    amount = Money(Decimal(cents).scaleb(-2), "EUR")
    instalments = tuple(
        Instalment(due=due, amount=part)
        for due, part in zip(dues, split_amount(amount, count), strict=True)
    )
    the_plan = InstalmentPlan(on=day, instalments=instalments, grace_days=grace)
    invoice = agreed(sent(str(amount.amount)), the_plan)
    paid_on = sorted(due + dt.timedelta(days=draw(st.integers(0, grace))) for due in dues)
    return invoice, the_plan, paid_on


def paid(invoice: Invoice, the_plan: InstalmentPlan, days: list[dt.date]) -> Invoice:
    """``invoice`` with the plan's instalments paid on ``days`` (one each, in order)."""
    for day, item in zip(days, the_plan.instalments, strict=False):
        invoice = pay(invoice, max(day, invoice.history[-1].on), str(item.amount.amount))
    return invoice


@given(case=kept_plans())
def test_law_a_kept_plan_holds_on_every_day_until_it_is_paid(
    case: tuple[Invoice, InstalmentPlan, list[dt.date]],
) -> None:
    """Law (item 12): on every day from a plan's day until its last instalment arrives, with
    every instalment arriving within its grace, the engine (even with a notice due at once)
    says NoAction INSTALMENT_PLAN, ``next_on`` the day after the grace of the first
    instalment not yet paid; from the last payment on the invoice is settled."""
    invoice, the_plan, days = case
    invoice = paid(invoice, the_plan, days)
    last = invoice.history[-1].on
    day = the_plan.on
    while day < last:
        seen = as_of(invoice, today=day)
        unpaid = sum(1 for paid_on in days if paid_on <= day)
        expected = the_plan.deadline(unpaid) + dt.timedelta(days=1)
        assert next_dunning_action(seen, AT_ONCE, today=day) == NoAction(
            invoice_id=invoice.id, reason=NoActionReason.INSTALMENT_PLAN, next_on=expected
        )
        day += dt.timedelta(days=1)
    assert next_dunning_action(invoice, AT_ONCE, today=last).reason is NoActionReason.SETTLED  # type: ignore[union-attr]
    state = instalment_plan(invoice, today=last)
    assert state is not None
    assert state.end is PlanEnd.PAID


@given(case=kept_plans(), data=st.data())
def test_law_after_a_miss_the_engine_acts_the_next_day(
    case: tuple[Invoice, InstalmentPlan, list[dt.date]], data: st.DataObject
) -> None:
    """Law (item 12): when instalment k does not arrive (the ones before it arrive within
    their grace), the plan still holds on the last day of k's grace, and the next day the
    plan has ended MISSED and the engine acts (the notice due at once)."""
    invoice, the_plan, days = case
    missed = data.draw(st.integers(0, len(the_plan.instalments) - 1), label="missed")
    invoice = paid(invoice, the_plan, days[:missed])
    deadline = the_plan.deadline(missed)
    assert next_dunning_action(invoice, AT_ONCE, today=deadline) == NoAction(
        invoice_id=invoice.id,
        reason=NoActionReason.INSTALMENT_PLAN,
        next_on=deadline + dt.timedelta(days=1),
    )
    after = deadline + dt.timedelta(days=1)
    state = instalment_plan(invoice, today=after)
    assert state is not None
    assert (state.end, state.ended_on, state.kept) == (PlanEnd.MISSED, after, missed)
    issued = next_dunning_action(invoice, AT_ONCE, today=after)
    assert isinstance(issued, IssueStage)
    assert issued.on == after


@given(
    cents=st.integers(min_value=1, max_value=10**12),
    count=st.integers(min_value=1, max_value=60),
)
def test_law_split_amount_sums_exactly_with_the_remainder_on_the_last(
    cents: int, count: int
) -> None:
    """Law (item 12): ``split_amount(amount, n)`` gives n instalments that sum exactly to the
    amount, all equal but the last, which is larger by less than n cents."""
    if cents < count:
        with pytest.raises(InvalidValueError):
            split_amount(Money(Decimal(cents).scaleb(-2), "EUR"), count)
        return
    amount = Money(Decimal(cents).scaleb(-2), "EUR")
    parts = split_amount(amount, count)
    assert len(parts) == count
    assert sum(parts, eur("0.00")) == amount
    assert len(set(parts[:-1])) <= 1
    assert eur("0.00") <= parts[-1] - parts[0] < Money(Decimal(count).scaleb(-2), "EUR")


@given(case=kept_plans(), data=st.data())
def test_law_a_waiver_never_raises_the_interest(
    case: tuple[Invoice, InstalmentPlan, list[dt.date]], data: st.DataObject
) -> None:
    """Law (item 12): the same plan and payments with the interest waived never accrue more
    interest than without, on any day; before the plan's day both are equal."""
    _, the_plan, days = case
    kept = data.draw(st.integers(0, len(days)), label="kept")
    base = sent(str(the_plan.total.amount))
    waived_plan = attrs.evolve(the_plan, waives_interest=True)
    plain = paid(agreed(base, the_plan), the_plan, days[:kept])
    waived = paid(agreed(base, waived_plan), waived_plan, days[:kept])
    until = data.draw(st.integers(0, 200), label="days")
    day = DUE + dt.timedelta(days=until)
    lower = accrued_interest(waived, day, due_date_agreed=True)
    upper = accrued_interest(plain, day, due_date_agreed=True)
    assert lower <= upper
    if day <= the_plan.on:
        assert lower == upper
