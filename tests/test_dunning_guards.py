"""Every road that books dunning has the same guards: holds and pauses stop every charge,
claim and escalation; a decision is booked only onto the invoice it was made for, as the
engine decides it; and interest for a day is claimed once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import DUE, eur, notice_action, sent
from dunlib import (
    Actor,
    Authority,
    Customer,
    CustomerKind,
    Decision,
    DunlibError,
    DunningRules,
    DunningStage,
    Escalate,
    Escalation,
    FeeRule,
    GuardFailedError,
    Hold,
    InvalidValueError,
    Invoice,
    IssueStage,
    Payment,
    PermissionDeniedError,
    StageKind,
    accrued_interest,
    next_dunning_action,
    pause,
    place_hold,
    record_escalation,
    record_interest,
    record_payment,
    record_stage,
    record_stages,
)
from dunlib.core import InterestCharge
from dunlib.strategies import dunnable_invoices, dunning_rules
from dunlib.workflow.policy import AUTOMATIC

DAY = dt.timedelta(days=1)
FEE_10 = DunningStage(StageKind.NOTICE, days_overdue=0, fee=eur("10.00"))
INTEREST = DunningRules(
    stages=(DunningStage(StageKind.NOTICE, days_overdue=40, claim_interest=True),)
)


def _holds(on: dt.date) -> list[Hold]:
    return [
        Hold.dispute(on=on, reason="contested"),
        Hold.promise_to_pay(on=on, until=on + 10 * DAY, reason="pays soon"),
        Hold.direct_debit(on=on, collection_date=on + 2 * DAY, reason="SEPA"),
    ]


def _business() -> Invoice:
    """10 000 EUR to a business, due 2023-01-31: in default from 2023-03-03."""
    return Invoice.sent(
        number="RE-V",
        customer=Customer(id="C", name="C", kind=CustomerKind.BUSINESS),
        gross=eur("10000.00"),
        issue_date=dt.date(2023, 1, 1),
        due_date=dt.date(2023, 1, 31),
    )


def test_no_notice_fee_interest_or_escalation_is_booked_under_a_hold_or_a_pause() -> None:
    """Issue 21, finding 1: a dispute, a promise to pay, a pending direct debit and a pause
    each refuse a dunning notice and its fee (DUN, and ISSUE_EARLY before the due date), default
    interest and an escalation (guards ``unheld`` and ``running``)."""
    day = DUE + 5 * DAY
    dunned = record_stage(
        sent(), notice_action(sent(), DUE + DAY, "5.00"), actor=AUTOMATIC, authority=Authority()
    )
    stopped = [
        place_hold(sent(), hold, actor=AUTOMATIC, authority=Authority()) for hold in _holds(day)
    ]
    stopped.append(pause(sent(), on=day, actor=AUTOMATIC, authority=Authority()))
    for invoice in stopped:
        guard = "running" if invoice.paused_since else "unheld"
        with pytest.raises(GuardFailedError, match=guard):
            record_stage(
                invoice,
                notice_action(invoice, day + DAY, "5.00"),
                actor=AUTOMATIC,
                authority=Authority(),
            )
        with pytest.raises(GuardFailedError, match=guard):
            record_interest(
                invoice,
                InterestCharge(on=day + DAY, amount=eur("1.00")),
                actor=AUTOMATIC,
                authority=Authority(),
            )
    early = place_hold(
        sent(),
        Hold.dispute(on=DUE - 9 * DAY, reason="contested"),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    with pytest.raises(GuardFailedError, match="unheld"):
        record_stage(
            early, notice_action(early, DUE - 5 * DAY), actor=AUTOMATIC, authority=Authority()
        )  # ISSUE_EARLY before the due date
    disputed = place_hold(
        dunned, Hold.dispute(on=day, reason="contested"), actor=AUTOMATIC, authority=Authority()
    )
    escalate = Escalate(
        invoice_id=dunned.id,
        escalation=Escalation.COLLECTION,
        on=day,
        due_since=day,
        level=1,
        open_amount=dunned.open_amount,
    )
    with pytest.raises(GuardFailedError, match="unheld"):
        record_escalation(disputed, escalate, actor=AUTOMATIC, authority=Authority())
    with pytest.raises(GuardFailedError, match="running"):
        record_escalation(
            pause(dunned, on=day, actor=AUTOMATIC, authority=Authority()),
            escalate,
            actor=AUTOMATIC,
            authority=Authority(),
        )


def test_interest_a_notice_decided_earlier_claims_is_not_booked_twice() -> None:
    """Issue 21, finding 2: after record_interest booked the 26.19 accrued up to the notice's
    day, the notice decided before it may not claim the same days again (52.38 in all):
    record_stage and record_stages refuse it, and a second charge on that day is refused."""
    invoice, day = _business(), dt.date(2023, 3, 12)
    action = next_dunning_action(invoice, INTEREST, today=day)
    assert isinstance(action, IssueStage)
    assert action.interest == eur("26.19")
    charged = record_interest(
        invoice, InterestCharge(on=day, amount=eur("26.19")), actor=AUTOMATIC, authority=Authority()
    )
    with pytest.raises(InvalidValueError, match=r"IssueStage\.interest.*RE-V"):
        record_stage(charged, action, actor=AUTOMATIC, authority=Authority())
    with pytest.raises(InvalidValueError, match=r"decisions\[0\]\.invoice.*RE-V"):
        record_stages(
            [charged],
            [Decision(invoice=invoice, action=action)],
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(InvalidValueError, match=r"record_interest\.charge\.on"):
        record_interest(
            charged,
            InterestCharge(on=day, amount=eur("26.19")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    assert record_stage(
        invoice, action, actor=AUTOMATIC, authority=Authority()
    ).interest_charged == eur("26.19")


def test_record_notices_refuses_a_decision_made_before_a_payment() -> None:
    """Issue 21, finding 3: a decision made on 1 000.00 open (a 10 % fee of 100.00) is not
    booked onto the invoice after a 900.00 payment; record_stages names the decision and the
    invoice's number, as send_letter refuses it, and record_stage refuses the stale fee."""
    stage = DunningStage(StageKind.NOTICE, days_overdue=0, fee_rules=(FeeRule(percent=10),))
    rules = DunningRules(stages=(stage,))
    invoice = sent("1000.00")
    action = next_dunning_action(invoice, rules, today=DUE + DAY)
    assert isinstance(action, IssueStage)
    assert action.fee == eur("100.00")
    paid = record_payment(
        invoice, Payment(on=DUE + DAY, amount=eur("900.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    with pytest.raises(InvalidValueError, match=r"decisions\[0\]\.invoice.*RE-2026-0001"):
        record_stages(
            [paid],
            [Decision(invoice=invoice, action=action)],
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(InvalidValueError, match=r"IssueStage\.fee.*10\.00"):
        record_stage(paid, action, actor=AUTOMATIC, authority=Authority())
    again = next_dunning_action(paid, rules, today=DUE + DAY)
    assert isinstance(again, IssueStage)
    assert again.fee == eur("10.00")
    assert record_stages(
        [paid], [Decision(invoice=paid, action=again)], actor=AUTOMATIC, authority=Authority()
    )[0].fees == eur("10.00")


def test_a_hand_built_decision_is_booked_only_as_the_engine_decides_it() -> None:
    """Issue 21, finding 10 (IssueStage): record_stage checks a decision built by hand
    against the engine's rules for its stage on its day and refuses, naming the field, a fee
    on a reminder stage, a fee other than the stage's or on its repetition, interest a stage
    does not claim, and amounts that are not the invoice's."""
    invoice, day = sent(), DUE + DAY
    reminder = DunningStage(StageKind.REMINDER, days_overdue=0)
    honest = notice_action(invoice, day, "10.00", stage=FEE_10)
    forged = {
        "IssueStage.fee": [
            attrs.evolve(
                notice_action(invoice, day, stage=reminder),
                fee=eur("5.00"),
                total_gross=eur("124.00"),
                open_amount=eur("124.00"),
            ),
            attrs.evolve(
                honest, fee=eur("99.00"), total_gross=eur("218.00"), open_amount=eur("218.00")
            ),
        ],
        "IssueStage.interest": [attrs.evolve(honest, interest=eur("3.00"))],
        r"IssueStage.fee.*expected 0\.00": [attrs.evolve(honest, repeat=1)],  # a repetition
        "IssueStage.total_gross": [attrs.evolve(honest, total_gross=eur("1.00"))],
        "IssueStage.open_amount": [attrs.evolve(honest, open_amount=eur("1.00"))],
    }
    for field, actions in forged.items():
        for action in actions:
            with pytest.raises(InvalidValueError, match=rf"{field}.*RE-2026-0001"):
                record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    assert record_stage(invoice, honest, actor=AUTOMATIC, authority=Authority()).fees == eur(
        "10.00"
    )
    waived = attrs.evolve(honest, fee=eur("0.00"), total_gross=eur("119.00"),
                          open_amount=eur("119.00"))  # fmt: skip
    assert record_stage(invoice, waived, actor=AUTOMATIC, authority=Authority()).fees == eur(
        "0.00"
    )  # an account with fees off
    clerk = Actor(id="carl", roles={"reviewer"})
    with pytest.raises(PermissionDeniedError, match="carl"):  # rights before amounts
        record_stage(invoice, forged["IssueStage.interest"][0], actor=clerk, authority=Authority())


@given(
    invoice=dunnable_invoices(currency="EUR"),
    rules=dunning_rules(currency="EUR", min_active=1, with_fee_rules=True),
    late=st.integers(min_value=0, max_value=120),
    stop=st.sampled_from(["dispute", "promise", "debit", "pause"]),
    after=st.integers(min_value=0, max_value=5),
)
def test_nothing_is_charged_claimed_or_escalated_while_held_or_paused_law(
    invoice: Invoice, rules: DunningRules, late: int, stop: str, after: int
) -> None:
    """Law: no notice, fee, interest or escalation is booked on a day a hold holds or
    dunning is paused: whatever the engine decided before the hold or pause, booking it
    (and booking interest) on such a day is refused and changes nothing. (Escalations:
    the unit test above; an invoice drawn here is never DUNNED, so never escalated.)"""
    day = max(invoice.due_date, invoice.history[-1].on) + late * DAY
    if stop == "pause":
        held = pause(invoice, on=day, actor=AUTOMATIC, authority=Authority())
    else:
        kinds = dict(zip(["dispute", "promise", "debit"], _holds(day), strict=True))
        held = place_hold(invoice, kinds[stop], actor=AUTOMATIC, authority=Authority())
    on = day + after * DAY
    before = held
    decided = next_dunning_action(invoice, rules, today=on)
    if isinstance(decided, IssueStage):
        with pytest.raises(DunlibError):
            record_stage(held, decided, actor=AUTOMATIC, authority=Authority())
    with pytest.raises(GuardFailedError):
        record_interest(
            held, InterestCharge(on=on, amount=eur("0.01")), actor=AUTOMATIC, authority=Authority()
        )
    assert held == before


@given(
    steps=st.lists(
        st.tuples(st.integers(min_value=0, max_value=40), st.booleans(), st.integers(0, 9)),
        min_size=1,
        max_size=6,
    )
)
def test_interest_for_a_day_is_claimed_at_most_once_law(
    steps: list[tuple[int, bool, int]],
) -> None:
    """Law: interest for a day is claimed at most once across record_interest and notices:
    whatever mix of interest charges and notices (each decided on any earlier state of the
    invoice) is booked, the interest charged never exceeds the interest accrued over the
    same days, but for one rounding per charge."""
    invoice = _business()
    states = [invoice]
    day = dt.date(2023, 3, 3)
    for gap, by_notice, back in steps:
        day = day + gap * DAY
        try:
            if by_notice:
                action = next_dunning_action(states[-1 - back % len(states)], INTEREST, today=day)
                if isinstance(action, IssueStage):
                    invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
            else:
                amount = accrued_interest(invoice, day)
                invoice = record_interest(
                    invoice,
                    InterestCharge(on=day, amount=amount),
                    actor=AUTOMATIC,
                    authority=Authority(),
                )
        except DunlibError:
            continue
        states.append(invoice)
    cent = Decimal("0.01")
    slack = eur(str(cent * (len(invoice.interest_charges) + 1)))
    assert invoice.interest_charged <= accrued_interest(_business(), day + DAY) + slack
