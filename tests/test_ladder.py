"""Which stage comes next: stable stage identity and the repeating last stage."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ANN, eur, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    DunningRules,
    DunningStage,
    Escalate,
    Escalation,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    NoAction,
    NoActionReason,
    Pause,
    Resume,
    StageKind,
    StageRepeat,
    from_json,
    next_dunning_action,
    record_stage,
    simulate,
    to_json,
    trigger_date,
)
from dunlib.core import IssuedStage
from dunlib.strategies import dates, dunnable_invoices, dunning_rules

LADDER = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=14),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=eur("5.00")),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=eur("10.00")),
    )
)


def issue(invoice: Invoice, rules: DunningRules, day: date | None = None) -> IssueStage:
    on = trigger_date(invoice, rules) if day is None else day
    assert on is not None
    action = next_dunning_action(invoice, rules, today=on)
    assert isinstance(action, IssueStage), action
    return action


def switched_off(rules: DunningRules, number: int) -> DunningRules:
    stages = list(rules.stages)
    stages[number - 1] = attrs.evolve(stages[number - 1], active=False)
    return attrs.evolve(rules, stages=tuple(stages))


def test_each_notice_records_the_stage_it_came_from() -> None:
    """The document's record names the position of its stage in the rules."""
    rules = switched_off(LADDER, 1)
    invoice = record_stage(sent(), issue(sent(), rules), actor=AUTOMATIC, authority=Authority())
    assert invoice.issued_stages[0].stage_number == 2
    assert invoice.issued_stages[0].level == 1


def test_switching_a_stage_off_mid_ladder_does_not_shift_the_ladder() -> None:
    """Stages 1 and 2 were sent; stage 2 is then switched off. The next stage is stage 3
    (the level-based reading took the third active stage: stage 4, skipping stage 3)."""
    invoice = sent()
    for _ in range(2):
        invoice = record_stage(
            invoice, issue(invoice, LADDER), actor=AUTOMATIC, authority=Authority()
        )
    action = issue(invoice, switched_off(LADDER, 2))
    assert (action.level, action.stage_number, action.fee) == (3, 3, eur("5.00"))


def test_a_stage_switched_off_ahead_is_skipped_and_one_switched_back_on_behind_is_not() -> None:
    """An inactive stage ahead of the invoice is skipped; a stage behind the last one issued
    is never issued, even once it is active again."""
    invoice = record_stage(
        sent(), issue(sent(), switched_off(LADDER, 2)), actor=AUTOMATIC, authority=Authority()
    )
    invoice = record_stage(
        invoice, issue(invoice, switched_off(LADDER, 2)), actor=AUTOMATIC, authority=Authority()
    )
    assert [n.stage_number for n in invoice.issued_stages] == [1, 3]
    assert issue(invoice, LADDER).stage_number == 4


def test_old_notices_without_a_stage_number_stay_valid() -> None:
    """A document stored before stage numbers were kept reads back (the field is optional in
    old documents) and counts as the level-th active stage, as the engine always read it."""
    invoice = record_stage(sent(), issue(sent(), LADDER), actor=AUTOMATIC, authority=Authority())
    text = to_json(invoice).replace(',"stage_number":1', "")
    assert '"stage_number"' not in text
    old = from_json(text, Invoice)
    assert old.issued_stages[0].stage_number is None
    assert issue(old, LADDER).stage_number == 2
    assert issue(old, switched_off(LADDER, 1)).stage_number == 3
    beyond = attrs.evolve(LADDER, stages=LADDER.stages[:1])
    assert trigger_date(attrs.evolve(old, issued_stages=(*old.issued_stages,)), beyond) is None
    gone = DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=1, active=False),))
    assert trigger_date(old, attrs.evolve(gone, stages=(*gone.stages, LADDER.stages[0]))) is None


def test_an_issued_stage_is_never_recorded_twice() -> None:
    """record_stage refuses a document for a stage at or before the last one issued."""
    invoice = record_stage(sent(), issue(sent(), LADDER), actor=AUTOMATIC, authority=Authority())
    again = attrs.evolve(issue(invoice, LADDER), stage_number=1)
    with pytest.raises(InvalidValueError, match=r"IssueStage.stage_number"):
        record_stage(invoice, again, actor=AUTOMATIC, authority=Authority())


def repeating(repeat: StageRepeat, escalation_days: int = 5) -> DunningRules:
    return DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=14),
            DunningStage(StageKind.NOTICE, days_overdue=7, fee=eur("5.00"), repeat=repeat),
        ),
        escalation=Escalation.COLLECTION,
        escalation_days=escalation_days,
    )


def test_the_last_stage_repeats_every_n_days_up_to_its_count_then_escalates() -> None:
    """Every 10 days, twice: the notice (24.05.+7 = 31.05.) is sent again on 10.06. and
    20.06. without a further fee, then the escalation follows 5 days after the last."""
    schedule = simulate(sent(), repeating(StageRepeat(count=2, days=10)), until=date(2026, 9, 1))
    assert [(e.on, e.stage_number, e.level, str(e.fee)) for e in schedule] == [
        (date(2026, 5, 24), 1, 1, "0.00 EUR"),
        (date(2026, 5, 31), 2, 2, "5.00 EUR"),
        (date(2026, 6, 10), 2, 3, "0.00 EUR"),
        (date(2026, 6, 20), 2, 4, "0.00 EUR"),
    ]
    assert schedule.escalation is not None
    assert schedule.escalation.on == date(2026, 6, 25)
    action = next_dunning_action(schedule.invoice, repeating(StageRepeat(count=2, days=10)),
                                 today=date(2026, 6, 20))  # fmt: skip
    assert action == NoAction(
        invoice_id=schedule.invoice.id, reason=NoActionReason.NOT_YET_DUE, next_on=date(2026, 6, 25)
    )


def test_a_repetition_knows_its_number() -> None:
    """The decision to repeat says which repetition it is."""
    rules = repeating(StageRepeat(count=3, days=10))
    invoice = sent()
    for _ in range(2):
        invoice = record_stage(
            invoice, issue(invoice, rules), actor=AUTOMATIC, authority=Authority()
        )
    first = issue(invoice, rules)
    assert (first.repeat, first.fee, first.stage_number) == (1, eur("0.00"), 2)
    second = issue(record_stage(invoice, first, actor=AUTOMATIC, authority=Authority()), rules)
    assert second.repeat == 2


def test_monthly_repetitions_clamp_at_month_ends() -> None:
    """Every month from 31 January: 28 February (clamped), then 31 March (counted from the
    stage's first document, so the clamp does not drift), then 30 April."""
    invoice = sent(issue_date=date(2026, 1, 3), due_date=date(2026, 1, 10))
    rules = DunningRules(
        stages=(
            DunningStage(
                StageKind.NOTICE, days_overdue=21, fee=eur("5.00"),
                repeat=StageRepeat(count=3, months=1),
            ),
        )
    )  # fmt: skip
    schedule = simulate(invoice, rules, until=date(2026, 12, 31))
    assert [e.on for e in schedule] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert schedule.fees == eur("5.00")
    action = next_dunning_action(schedule.invoice, rules, today=date(2026, 12, 31))
    assert action == NoAction(invoice_id=invoice.id, reason=NoActionReason.EXHAUSTED)


def test_no_burst_of_repetitions_after_a_pause() -> None:
    """Paused for three months: on resumption one repetition goes out, the next a month
    after it, not every missed month at once."""
    invoice = sent(issue_date=date(2026, 1, 3), due_date=date(2026, 1, 10))
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.NOTICE, days_overdue=21, repeat=StageRepeat(count=3, months=1)),
        )
    )
    events = (Pause(on=date(2026, 2, 1), actor=ANN), Resume(on=date(2026, 5, 10), actor=ANN))
    schedule = simulate(invoice, rules, until=date(2026, 12, 31), events=events)
    assert [e.on for e in schedule] == [
        date(2026, 1, 31),
        date(2026, 5, 10),
        date(2026, 6, 10),
        date(2026, 7, 10),
    ]


def test_bad_repeats_are_refused() -> None:
    """A repeat needs exactly one of days and months, a count of one or more, and only the
    last stage of the rules may repeat."""
    with pytest.raises(InvalidValueError, match="StageRepeat.days"):
        StageRepeat(count=1)
    with pytest.raises(InvalidValueError, match="StageRepeat.days"):
        StageRepeat(count=1, days=1, months=1)
    with pytest.raises(InvalidValueError, match="StageRepeat.count"):
        StageRepeat(count=0, days=1)
    with pytest.raises(InvalidTypeError, match="DunningStage.repeat"):
        DunningStage(StageKind.NOTICE, days_overdue=1, repeat=3)  # type: ignore[arg-type]
    stage = DunningStage(StageKind.NOTICE, days_overdue=1, repeat=StageRepeat(count=1, days=1))
    with pytest.raises(InvalidValueError, match=r"DunningRules.stages\[0\].repeat"):
        DunningRules(stages=(stage, LADDER.stages[0]))


def test_an_inactive_repeating_stage_does_not_repeat() -> None:
    """A repeating last stage switched off after it was sent repeats no more."""
    rules = repeating(StageRepeat(count=2, days=10))
    invoice = sent()
    for _ in range(2):
        invoice = record_stage(
            invoice, issue(invoice, rules), actor=AUTOMATIC, authority=Authority()
        )
    assert trigger_date(invoice, switched_off(rules, 2)) is None
    assert isinstance(next_dunning_action(invoice, switched_off(rules, 2), today=date(2026, 8, 1)),
                      Escalate)  # fmt: skip


@given(data=st.data())
def test_deactivating_any_stage_never_reissues_an_issued_stage_law(data: st.DataObject) -> None:
    """Law: whichever stages are switched off after some documents were sent, the engine
    never issues a stage already issued (other than as a repetition of the repeating last
    stage), and it issues the next active stage after the last one issued, skipping none."""
    invoice = data.draw(dunnable_invoices())
    rules = data.draw(
        dunning_rules(currency=invoice.currency, min_active=2, max_days=10, with_repeat=True)
    )
    horizon = data.draw(st.integers(min_value=0, max_value=120))
    before = simulate(invoice, rules, until=invoice.due_date + timedelta(days=horizon))
    issued = [entry.stage_number for entry in before]
    behind = st.sampled_from(issued) if issued else st.nothing()
    anywhere = st.integers(min_value=1, max_value=len(rules.stages))
    off = data.draw(st.sets(behind | anywhere, max_size=2))  # behind: where ladders shifted
    changed = rules
    for number in off:
        changed = switched_off(changed, number)
    after = simulate(before.invoice, changed, until=invoice.due_date + timedelta(days=500))
    for entry in after:
        if entry.stage_number in issued:
            repeat = changed.stages[entry.stage_number - 1].repeat
            assert repeat is not None
            assert entry.stage_number == len(changed.stages) == issued[-1]
        else:
            assert changed.stages[entry.stage_number - 1].active
            since = issued[-1] if issued else 0
            assert entry.stage_number > since
            between = changed.stages[since : entry.stage_number - 1]
            assert not any(stage.active for stage in between)  # the ladder did not shift
        issued.append(entry.stage_number)
    assert issued == sorted(issued)


@given(data=st.data())
def test_trigger_date_is_the_earliest_day_the_engine_issues_law(data: st.DataObject) -> None:
    """Law (with repeating last stages too): before ``trigger_date`` the engine issues no
    document; on it, it issues one or names a reason other than NOT_YET_DUE; None means it
    issues none on any later day."""
    invoice = data.draw(dunnable_invoices())
    rules = data.draw(dunning_rules(currency=invoice.currency, min_active=1, with_repeat=True))
    horizon = data.draw(st.integers(min_value=0, max_value=300))
    current = simulate(invoice, rules, until=invoice.due_date + timedelta(days=horizon)).invoice
    first = trigger_date(current, rules)
    last_step = current.history[-1].on
    if first is None:
        day = data.draw(dates(min_value=last_step, max_value=date(2032, 12, 31)))
        assert not isinstance(next_dunning_action(current, rules, today=day), IssueStage)
        return
    assert first >= last_step
    if first > last_step:
        day = data.draw(dates(min_value=last_step, max_value=first - timedelta(days=1)))
        assert not isinstance(next_dunning_action(current, rules, today=day), IssueStage)
    action = next_dunning_action(current, rules, today=first)
    if isinstance(action, NoAction):
        assert action.reason is not NoActionReason.NOT_YET_DUE
    else:
        assert isinstance(action, IssueStage)


def test_a_notice_record_refuses_a_stage_number_below_one() -> None:
    """The stage number, where kept, counts from 1."""
    with pytest.raises(InvalidValueError, match="IssuedStage.stage_number"):
        IssuedStage(level=1, on=date(2026, 5, 1), due_date=date(2026, 5, 1), fee=eur("0.00"),
                      stage_number=0)  # fmt: skip
