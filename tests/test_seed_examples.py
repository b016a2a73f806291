"""The worked examples of seed 003 ("Beispiele"), pinned literally.

Standard: reminders after 14, 7 and 7 days and a notice after 7 days; the invoice is
due on 10.05.; the documents are created on 24.05., 31.05., 07.06. and 14.06.

Suspended: three reminders (14, 7, 7); due 10.05.; 1st reminder 24.05.; dunning paused
on 25.05. and resumed on 01.06.; the 2nd reminder is created on 01.06. (the previous one
is already more than 7 days old), the 3rd on 08.06.

Each example is run twice: through ``simulate`` and by calling ``next_dunning_action``
and ``record_stage`` by hand, once a day, as a daily dunning run would.
"""

from __future__ import annotations

from datetime import date, timedelta

from builders import ANN, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    DunningRules,
    DunningStage,
    Invoice,
    IssueStage,
    Pause,
    Resume,
    StageKind,
    Status,
    TriggerBasis,
    next_dunning_action,
    pause,
    record_stage,
    resume,
    simulate,
)

YEAR = 2026
DUE = date(YEAR, 5, 10)
STANDARD = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=14),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.NOTICE, days_overdue=7),
    )
)
SUSPENDED = DunningRules(stages=STANDARD.stages[:3])


def invoice() -> Invoice:
    return sent(issue_date=date(YEAR, 4, 26), due_date=DUE)


def test_standard_example_through_simulate() -> None:
    """Standard: 1st reminder 24.05., 2nd 31.05., 3rd 07.06., 1st notice 14.06."""
    schedule = simulate(invoice(), STANDARD, until=date(YEAR, 7, 31))
    assert [(e.on, e.level, e.kind) for e in schedule] == [
        (date(YEAR, 5, 24), 1, StageKind.REMINDER),
        (date(YEAR, 5, 31), 2, StageKind.REMINDER),
        (date(YEAR, 6, 7), 3, StageKind.REMINDER),
        (date(YEAR, 6, 14), 4, StageKind.NOTICE),
    ]
    assert schedule.invoice.status is Status.DUNNED
    assert schedule.escalation is None


def test_standard_example_by_hand() -> None:
    """Standard, run daily by hand: the same four dates, and nothing on any other day."""
    current = invoice()
    issued: list[date] = []
    day = DUE
    while day <= date(YEAR, 7, 31):
        action = next_dunning_action(current, STANDARD, today=day)
        if isinstance(action, IssueStage):
            current = record_stage(current, action, actor=AUTOMATIC, authority=Authority())
            issued.append(day)
        day += timedelta(days=1)
    assert issued == [date(YEAR, 5, 24), date(YEAR, 5, 31), date(YEAR, 6, 7), date(YEAR, 6, 14)]
    assert [n.level for n in current.issued_stages] == [1, 2, 3, 4]


def test_suspended_example_through_simulate() -> None:
    """Suspended: 24.05., paused 25.05., resumed 01.06.; 2nd reminder 01.06., 3rd 08.06."""
    schedule = simulate(
        invoice(),
        SUSPENDED,
        until=date(YEAR, 7, 31),
        events=(Pause(on=date(YEAR, 5, 25)), Resume(on=date(YEAR, 6, 1))),
    )
    assert [(e.on, e.level) for e in schedule] == [
        (date(YEAR, 5, 24), 1),
        (date(YEAR, 6, 1), 2),
        (date(YEAR, 6, 8), 3),
    ]
    assert schedule.invoice.paused_since is None


def test_suspended_example_by_hand() -> None:
    """Suspended, run daily by hand with pause() and resume() at the start of their days."""
    current = invoice()
    issued: list[date] = []
    day = DUE
    while day <= date(YEAR, 7, 31):
        if day == date(YEAR, 5, 25):
            current = pause(current, on=day, actor=ANN, authority=Authority())
        if day == date(YEAR, 6, 1):
            current = resume(current, on=day, actor=ANN, authority=Authority())
        action = next_dunning_action(current, SUSPENDED, today=day)
        if isinstance(action, IssueStage):
            current = record_stage(current, action, actor=AUTOMATIC, authority=Authority())
            issued.append(day)
        day += timedelta(days=1)
    assert issued == [date(YEAR, 5, 24), date(YEAR, 6, 1), date(YEAR, 6, 8)]


def test_resume_day_issues_the_overdue_stage_at_once() -> None:
    """On 01.06. the 2nd reminder is due since 31.05., so it is issued on the resume day."""
    current = record_stage(
        invoice(), _issue(invoice(), date(YEAR, 5, 24)), actor=AUTOMATIC, authority=Authority()
    )
    current = pause(current, on=date(YEAR, 5, 25), actor=ANN, authority=Authority())
    assert not isinstance(
        next_dunning_action(current, SUSPENDED, today=date(YEAR, 5, 31)), IssueStage
    )
    current = resume(current, on=date(YEAR, 6, 1), actor=ANN, authority=Authority())
    action = _issue(current, date(YEAR, 6, 1))
    assert action.level == 2


def _issue(current: Invoice, day: date) -> IssueStage:
    action = next_dunning_action(current, SUSPENDED, today=day)
    assert isinstance(action, IssueStage)
    return action


def test_suspended_example_counted_from_the_due_date_keeps_its_spacing() -> None:
    """The suspended example with the due-date basis (14, 21 and 28 days after 10.05.): the
    2nd reminder, overdue since 31.05., goes out on the resume day 01.06.; the 3rd keeps
    the configured 7 days from it (08.06.), not the due date's 07.06."""
    rules = DunningRules(
        stages=tuple(
            DunningStage(StageKind.REMINDER, days_overdue=days, basis=TriggerBasis.DUE_DATE)
            for days in (14, 21, 28)
        )
    )
    schedule = simulate(
        invoice(),
        rules,
        until=date(YEAR, 7, 31),
        events=(
            Pause(on=date(YEAR, 5, 25), actor=ANN),
            Resume(on=date(YEAR, 6, 1), actor=ANN),
        ),
    )
    assert [(e.on, e.level) for e in schedule] == [
        (date(YEAR, 5, 24), 1),
        (date(YEAR, 6, 1), 2),
        (date(YEAR, 6, 8), 3),
    ]


def test_pre_due_reminder_is_no_dunning() -> None:
    """A reminder ahead of the due date (5 days before 10.05.) is a document, not dunning:
    the invoice stays SENT; the seed's 14/7/7 ladder then counts from that document."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=5, basis=TriggerBasis.BEFORE_DUE_DATE),
            *SUSPENDED.stages[1:],
        )
    )
    schedule = simulate(invoice(), rules, until=date(YEAR, 7, 31))
    assert [e.on for e in schedule] == [date(YEAR, 5, 5), date(YEAR, 5, 12), date(YEAR, 5, 19)]
    first = [h for h in schedule.invoice.history if h.on == date(YEAR, 5, 5)]
    assert [h.to_status for h in first] == [Status.SENT]
    assert schedule.invoice.status is Status.DUNNED
