"""The testing kit: schedule and decision assertions with readable diffs, standard data,
the pytest plugin's fixtures and the Hypothesis profile."""

from __future__ import annotations

import datetime as dt
import doctest
import os
import sys
from pathlib import Path
from types import ModuleType

import attrs
import pytest
from hypothesis import settings

import dunlib.strategies
import dunlib.testing
from builders import SEED_RULES, eur, sent
from dunlib import (
    DunningRules,
    Escalation,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    NoActionReason,
    StageKind,
    Status,
    next_dunning_action,
    plan,
    simulate,
)
from dunlib.testing import (
    STANDARD_RULES,
    TODAY,
    ExpectedDocument,
    assert_decision,
    assert_schedule,
    sample_portfolio,
    schedule_rows,
)

pytest_plugins = ["pytester"]

SEED_LADDER: list[ExpectedDocument] = [
    ("reminder", 14, 0),
    ("reminder", 21, 0),
    ("reminder", 28, 0),
    ("notice", 35, "5.00"),
]
"""The seed invoice's documents under the standard rules, in days after its due date."""


def test_assert_schedule_passes_on_the_expected_documents() -> None:
    """The seed ladder passes, with kinds and fees in any of the accepted spellings."""
    schedule = simulate(sent(), STANDARD_RULES, until=dt.date(2026, 8, 31))
    assert_schedule(schedule, SEED_LADDER)
    assert_schedule(
        schedule,
        [
            (StageKind.REMINDER, 14, eur("0.00")),
            ("reminder", 21, 0),
            ("reminder", 28, "0"),
            (StageKind.NOTICE, 35, eur("5.00")),
        ],
    )
    assert schedule_rows(schedule)[3] == (StageKind.NOTICE, 35, eur("5.00"))


def test_assert_schedule_shows_a_readable_diff() -> None:
    """A changed day, a changed fee and a missing document are each marked with '!' in a
    table of expected against actual documents."""
    schedule = simulate(sent(), STANDARD_RULES, until=dt.date(2026, 8, 31))
    expected = [("reminder", 14, 0), ("reminder", 20, 0), ("reminder", 28, 0)]
    with pytest.raises(AssertionError) as failure:
        assert_schedule(schedule, [*expected, ("notice", 35, "7.50")])
    text = str(failure.value)
    assert text.splitlines() == [
        "dunning schedule of RE-2026-0001 (due 2026-05-10) differs from the expected one "
        "(days counted from the due date):",
        "     #  expected                           actual",
        "     1  reminder   +14  level ?  0.00 EUR  reminder   +14  level 1  0.00 EUR",
        " !   2  reminder   +20  level ?  0.00 EUR  reminder   +21  level 2  0.00 EUR",
        "     3  reminder   +28  level ?  0.00 EUR  reminder   +28  level 3  0.00 EUR",
        " !   4  notice     +35  level ?  7.50 EUR  notice     +35  level 4  5.00 EUR",
    ]
    with pytest.raises(
        AssertionError, match=r"(?m)^ !   4  -\s+notice\s+\+35  level 4  5\.00 EUR$"
    ):
        assert_schedule(schedule, SEED_LADDER[:3])


def test_assert_schedule_refuses_what_it_cannot_read() -> None:
    """A kind, fee or schedule of the wrong kind is a typed error, not a failed assertion."""
    schedule = simulate(sent(), STANDARD_RULES, until=dt.date(2026, 8, 31))
    with pytest.raises(InvalidValueError, match=r"expected\[0\]"):
        assert_schedule(schedule, [("letter", 14, 0)])
    with pytest.raises(InvalidTypeError, match=r"expected\[0\]"):
        assert_schedule(schedule, [("reminder", 14, 1.5)])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="schedule_rows.schedule"):
        schedule_rows([])  # type: ignore[arg-type]


def test_assert_decision_passes_on_what_the_engine_decided() -> None:
    """Documents (with fee, level and day), reasons and escalations are each recognised, for
    actions and for a run's decisions."""
    invoice = sent()
    assert_decision(next_dunning_action(invoice, STANDARD_RULES, today=dt.date(2026, 5, 24)),
                    "reminder", fee=0, level=1, on=dt.date(2026, 5, 24))  # fmt: skip
    assert_decision(
        next_dunning_action(invoice, STANDARD_RULES, today=dt.date(2026, 5, 23)),
        NoActionReason.NOT_YET_DUE,
    )
    decision = next(plan([invoice], STANDARD_RULES, today=dt.date(2026, 5, 24)))
    assert_decision(decision, StageKind.REMINDER)
    escalating = attrs.evolve(SEED_RULES, stages=SEED_RULES.stages[:1],
                              escalation=Escalation.COLLECTION)  # fmt: skip
    reminded = simulate(invoice, escalating, until=dt.date(2026, 5, 24)).invoice
    assert_decision(
        next_dunning_action(reminded, escalating, today=dt.date(2026, 5, 25)), Escalation.COLLECTION
    )


def test_assert_decision_names_what_differs() -> None:
    """A wrong kind, fee, level, day, reason or escalation fails with expected and actual."""
    invoice = sent()
    reminder = next_dunning_action(invoice, STANDARD_RULES, today=dt.date(2026, 5, 24))
    with pytest.raises(AssertionError) as failure:
        assert_decision(reminder, "notice", fee="7.50")
    assert str(failure.value).splitlines() == [
        "decision about RE-2026-0001 differs (another decision):",
        "  expected: issue a notice (fee 7.50)",
        "  actual:   issue a reminder (level 1, fee 0.00 EUR, on 2026-05-24)",
    ]
    with pytest.raises(AssertionError, match=r"fee 0\.00 EUR, level 1, on 2026-05-24\)"):
        assert_decision(reminder, "reminder", fee="1.00", level=2, on=dt.date(2026, 5, 25))
    waiting = next_dunning_action(invoice, STANDARD_RULES, today=dt.date(2026, 5, 23))
    with pytest.raises(AssertionError, match=r"actual:   nothing to do \(NOT_YET_DUE, next on"):
        assert_decision(waiting, NoActionReason.BELOW_MINIMUM)
    with pytest.raises(AssertionError, match=r"expected: escalate: WRITE_OFF"):
        assert_decision(waiting, Escalation.WRITE_OFF)
    off = next_dunning_action(invoice, DunningRules(stages=()), today=dt.date(2026, 5, 23))
    with pytest.raises(AssertionError, match=r"actual:   nothing to do \(NO_ACTIVE_STAGE\)$"):
        assert_decision(off, "reminder")
    escalating = attrs.evolve(SEED_RULES, stages=SEED_RULES.stages[:1],
                              escalation=Escalation.COLLECTION)  # fmt: skip
    reminded = simulate(invoice, escalating, until=dt.date(2026, 5, 24)).invoice
    escalate = next_dunning_action(reminded, escalating, today=dt.date(2026, 5, 25))
    with pytest.raises(
        AssertionError, match=r"actual:   escalate: COLLECTION \(level 1, on 2026-05-25\)"
    ):
        assert_decision(escalate, NoActionReason.EXHAUSTED)
    with pytest.raises(InvalidTypeError, match="assert_decision.decision"):
        assert_decision(invoice, "reminder")  # type: ignore[arg-type]


INTEREST_LADDER = attrs.evolve(
    STANDARD_RULES,
    stages=(
        *STANDARD_RULES.stages[:3],
        attrs.evolve(STANDARD_RULES.stages[3], claim_interest=True),
    ),
    escalation=Escalation.COLLECTION,
    escalation_days=14,
)
"""The standard rules with a notice that claims interest, then collection 14 days on."""


def test_assert_schedule_checks_level_interest_and_the_escalation_the_user_states() -> None:
    """A row may state the document's level and the interest it claims, and the escalation
    that ends the schedule is a row of its own: each passes when right, fails when wrong,
    and the diff shows levels, interest and the escalation."""
    schedule = simulate(sent(), INTEREST_LADDER, until=dt.date(2026, 8, 31))
    interest = schedule[3].interest
    assert interest.is_positive
    ladder: list[ExpectedDocument] = [
        ("reminder", 14, 0, 1),
        ("reminder", 21, 0, 2),
        ("reminder", 28, 0),
        ("notice", 35, "5.00", 4, interest),
        ("collection", 49),
    ]
    assert_schedule(schedule, ladder)
    assert_schedule(schedule, [*ladder[:4], (Escalation.COLLECTION, 49)])
    with pytest.raises(AssertionError) as failure:
        assert_schedule(schedule, [*ladder[:3], ("notice", 35, "5.00", 3, "0.01")])
    assert str(failure.value).splitlines()[-2:] == [
        " !   4  notice       +35  level 3  5.00 EUR  interest 0.01 EUR  "
        f"notice       +35  level 4  5.00 EUR  interest {interest}",
        " !   5  -                                                       collection   +49",
    ]
    with pytest.raises(AssertionError, match=r"(?m)^ !   1  reminder .* level 2 "):
        assert_schedule(schedule, [("reminder", 14, 0, 2), *ladder[1:]])
    with pytest.raises(
        AssertionError, match=r"(?m)^ !   5  write_off    \+49\s+collection   \+49$"
    ):
        assert_schedule(schedule, [*ladder[:4], ("write_off", 49)])
    with pytest.raises(InvalidValueError, match=r"expected\[4\]\[0\]"):
        assert_schedule(schedule, [*ladder[:4], ("escalate", 49)])
    with pytest.raises(InvalidValueError, match=r"expected\[0\]"):
        assert_schedule(schedule, [("reminder",)])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match=r"expected\[0\]\[3\]"):
        assert_schedule(schedule, [("reminder", 14, 0, "1")])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="assert_schedule.schedule"):
        assert_schedule([], ladder)  # type: ignore[arg-type]


def test_assert_decision_checks_the_day_of_the_next_step() -> None:
    """Nothing to do today can be asserted with the day the engine names for the next step,
    an escalation with its level and day; a detail the expected decision does not have is
    refused, not ignored."""
    invoice = sent()
    waiting = next_dunning_action(invoice, STANDARD_RULES, today=dt.date(2026, 5, 23))
    assert_decision(waiting, NoActionReason.NOT_YET_DUE, next_on=dt.date(2026, 5, 24))
    with pytest.raises(AssertionError) as failure:
        assert_decision(waiting, NoActionReason.NOT_YET_DUE, next_on=dt.date(2026, 5, 25))
    assert str(failure.value).splitlines() == [
        "decision about RE-2026-0001 differs (next on 2026-05-24):",
        "  expected: nothing to do (NOT_YET_DUE, next on 2026-05-25)",
        "  actual:   nothing to do (NOT_YET_DUE, next on 2026-05-24)",
    ]
    escalating = attrs.evolve(SEED_RULES, stages=SEED_RULES.stages[:1],
                              escalation=Escalation.COLLECTION)  # fmt: skip
    reminded = simulate(invoice, escalating, until=dt.date(2026, 5, 24)).invoice
    escalate = next_dunning_action(reminded, escalating, today=dt.date(2026, 5, 25))
    assert_decision(escalate, Escalation.COLLECTION, level=1, on=dt.date(2026, 5, 25))
    with pytest.raises(AssertionError, match=r"differs \(level 1, on 2026-05-25\)"):
        assert_decision(escalate, Escalation.COLLECTION, level=2, on=dt.date(2026, 5, 26))
    with pytest.raises(InvalidValueError, match="assert_decision.next_on"):
        assert_decision(escalate, "reminder", next_on=dt.date(2026, 5, 25))
    with pytest.raises(InvalidValueError, match="assert_decision.fee"):
        assert_decision(waiting, NoActionReason.NOT_YET_DUE, fee=0)
    with pytest.raises(InvalidValueError, match="assert_decision.fee"):
        assert_decision(escalate, Escalation.COLLECTION, fee=0)


HIDDEN_FRAMES = """
import datetime as dt
from dunlib import Customer, Invoice, Money, NoActionReason, next_dunning_action, simulate
from dunlib.testing import STANDARD_RULES, assert_decision, assert_schedule

INVOICE = Invoice.sent(number="RE-1", customer=Customer(id="C-1", name="ACME GmbH"),
                       gross=Money("119.00", "EUR"), issue_date=dt.date(2026, 4, 26),
                       due_date=dt.date(2026, 5, 10))


def test_schedule():
    schedule = simulate(INVOICE, STANDARD_RULES, until=dt.date(2026, 8, 31))
    assert_schedule(schedule, [("reminder", 15, 0)])  # the user's line


def test_decision():
    action = next_dunning_action(INVOICE, STANDARD_RULES, today=dt.date(2026, 5, 24))
    assert_decision(action, NoActionReason.NOT_YET_DUE)  # the user's line
"""


def test_a_failing_assertion_shows_the_user_s_line_and_the_diff_not_the_kit_s_source(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pytest reports a failed assert_schedule or assert_decision at the user's line, with
    the diff, and shows none of the kit's own source."""
    pytester.makepyfile(test_mine=HIDDEN_FRAMES)
    monkeypatch.setenv("PYTHONPATH", str(Path(dunlib.__file__).parents[1]))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(failed=2)
    output = result.stdout.str()
    assert output.count("# the user's line") == 2
    assert "differs from the expected one" in output
    assert "decision about RE-1 differs" in output
    assert "dunlib/testing/" not in output
    assert "raise AssertionError" not in output


def test_sample_portfolio_has_one_invoice_of_each_case() -> None:
    """The sample portfolio's eight invoices meet the standard rules as described: one not
    due, five to dun, one of a customer with dunning off and one paused."""
    portfolio = sample_portfolio()
    assert len({invoice.id for invoice in portfolio}) == 8
    reasons = [
        getattr(decision.action, "reason", None)
        for decision in plan(portfolio, STANDARD_RULES, today=TODAY, explain=True)
    ]
    assert reasons == [NoActionReason.NOT_YET_DUE, None, None, None, None,
                       NoActionReason.CUSTOMER_DISABLED, NoActionReason.PAUSED, None]  # fmt: skip
    assert portfolio[2].status is Status.DUNNED
    assert portfolio[7].open_amount == eur("0.50")


# -- the pytest plugin ------------------------------------------------------------------------


def test_plugin_fixtures_give_the_standard_values(
    dunlib_today: dt.date, dunlib_rules: DunningRules, dunlib_portfolio: tuple[Invoice, ...]
) -> None:
    """The plugin's fixtures: the fixed day, the standard rules, the portfolio as of that day."""
    assert dunlib_today == TODAY
    assert dunlib_rules == STANDARD_RULES == SEED_RULES
    assert dunlib_portfolio == sample_portfolio(today=dunlib_today)


def test_plugin_registers_its_profile_and_leaves_the_suites_own(
    request: pytest.FixtureRequest,
) -> None:
    """The plugin is loaded, its profile 'dunlib' is registered but not loaded: the suite
    keeps the profile its conftest chose (ci unless HYPOTHESIS_PROFILE says otherwise)."""
    assert request.config.pluginmanager.has_plugin("dunlib")
    profile = settings.get_profile("dunlib")
    assert (profile.derandomize, profile.max_examples, profile.deadline) == (True, 100, None)
    if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci":
        assert settings.default is not None
        assert settings.default.max_examples == settings.get_profile("ci").max_examples == 120


def test_plugin_works_without_hypothesis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Hypothesis (the testing extra), configuring the plugin registers nothing and
    does not fail."""
    import dunlib_pytest

    monkeypatch.setitem(sys.modules, "hypothesis", None)
    dunlib_pytest.pytest_configure(pytest.Config.__new__(pytest.Config))


@pytest.mark.parametrize("module", [dunlib.testing, dunlib.strategies], ids=lambda m: m.__name__)
def test_docstring_examples_run(module: ModuleType) -> None:
    """The examples in the kit's docstrings (strategies' arguments, the schedule assertion)
    run as written."""
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    assert doctest.testmod(module, optionflags=flags).failed == 0
