"""Dunning stages and rules: defaults, validation at construction, derived views."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import SEED_RULES
from dunlib import (
    DispatchMode,
    DunlibError,
    DunningRules,
    DunningStage,
    Escalation,
    InvalidTypeError,
    InvalidValueError,
    IssueStage,
    Money,
    NumberSequence,
    StageKind,
    TriggerBasis,
)
from dunlib.core import Template, TemplateValues
from dunlib.dunning import Channel
from dunlib.strategies import _hypothesis_setup_hook, dunning_rules, dunning_stages

FEE = Money("5.00", "EUR")


def test_seed_rules_build_with_defaults() -> None:
    """The issue's rules: kind positional, the rest by keyword; defaults are the seed's rule
    (count from the previous document), e-mail only, active, automatic, no copy attached."""
    first = SEED_RULES.stages[0]
    assert first.kind is StageKind.REMINDER
    assert first.days_overdue == 14
    assert first.basis is TriggerBasis.PREVIOUS_DOCUMENT
    assert first.channels == (Channel.EMAIL,)
    assert first.active
    assert first.dispatch is DispatchMode.AUTOMATIC
    assert not first.requires_approval
    assert not first.attach_invoice
    assert first.fee is None
    assert SEED_RULES.active_stages == SEED_RULES.stages
    assert SEED_RULES.fee_currency == "EUR"
    assert SEED_RULES.escalation is None


def test_default_templates_depend_on_the_kind() -> None:
    """Reminders and notices get their own German default subject and texts."""
    reminder, notice = SEED_RULES.stages[0], SEED_RULES.stages[3]
    assert reminder.email_subject.startswith("Zahlungserinnerung")
    assert notice.email_subject.startswith("Mahnung")
    assert "{{ totalGrossAmount }}" in notice.email_body
    assert Template(source=notice.pdf_text).placeholders[0] == "referencedInvoiceNumber"


def test_only_approval_dispatch_requires_approval() -> None:
    """Automatic after approval requires approval; automatic and manual do not."""
    for mode in DispatchMode:
        stage = DunningStage(StageKind.REMINDER, days_overdue=1, dispatch=mode)
        assert stage.requires_approval is (mode is DispatchMode.AFTER_APPROVAL)


def test_inactive_stages_are_left_out_of_the_ladder() -> None:
    """active_stages keeps the order and drops inactive stages."""
    rules = attrs.evolve(
        SEED_RULES,
        stages=(
            SEED_RULES.stages[0],
            attrs.evolve(SEED_RULES.stages[1], active=False),
            *SEED_RULES.stages[2:],
        ),
    )
    assert rules.active_stages == (SEED_RULES.stages[0], *SEED_RULES.stages[2:])


def test_minimum_for_a_currency() -> None:
    """minimum_for finds the currency's minimum, None where none is set."""
    rules = DunningRules(stages=(), minimum_open_amounts=(Money("5.00", "EUR"), Money(500, "JPY")))
    assert rules.minimum_for("JPY") == Money(500, "JPY")
    assert rules.minimum_for("USD") is None
    assert rules.fee_currency is None


def test_lists_become_tuples() -> None:
    """Lists given for stages, channels and minimums are stored as tuples."""
    stage = DunningStage(StageKind.NOTICE, days_overdue=1, channels=[Channel.POST, Channel.EMAIL])
    rules = DunningRules(stages=[stage], minimum_open_amounts=[FEE])
    assert rules.stages == (stage,)
    assert stage.channels == (Channel.POST, Channel.EMAIL)
    assert rules.minimum_open_amounts == (FEE,)


def test_unknown_placeholder_in_a_stage_names_the_field() -> None:
    """A stage's template with an unknown placeholder is refused, naming the stage field."""
    with pytest.raises(InvalidValueError, match=r"DunningStage\.email_body.*tenant\.name"):
        DunningStage(StageKind.REMINDER, days_overdue=14, email_body="{{ tenantName }}")


STAGE: dict[str, Any] = {"kind": StageKind.NOTICE, "days_overdue": 7}

BAD_STAGES: list[tuple[dict[str, Any], str]] = [
    ({"kind": "notice"}, "DunningStage.kind"),
    ({"days_overdue": -1}, "DunningStage.days_overdue"),
    ({"days_overdue": True}, "DunningStage.days_overdue"),
    ({"payment_term_days": -3}, "DunningStage.payment_term_days"),
    ({"fee": Money("-1.00", "EUR")}, "DunningStage.fee"),
    ({"fee": 5}, "DunningStage.fee"),
    ({"kind": StageKind.REMINDER, "fee": FEE}, "DunningStage.fee"),
    ({"channels": ()}, "DunningStage.channels"),
    ({"channels": (Channel.EMAIL, Channel.EMAIL)}, "DunningStage.channels"),
    ({"channels": ("email",)}, r"DunningStage.channels\[0\]"),
    ({"channels": Channel.EMAIL}, "DunningStage.channels"),
    ({"email_subject": "{{ x }}"}, "DunningStage.email_subject"),
    ({"pdf_text": "{{ dueDate"}, "DunningStage.pdf_text"),
    ({"pdf_text": None}, "DunningStage.pdf_text"),
    ({"active": "yes"}, "DunningStage.active"),
    ({"attach_invoice": 1}, "DunningStage.attach_invoice"),
    ({"dispatch": "manual"}, "DunningStage.dispatch"),
    ({"basis": "due_date"}, "DunningStage.basis"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_STAGES)
def test_bad_stage_names_the_field(changes: dict[str, Any], field: str) -> None:
    """Every bad stage field raises an InvalidValueError at construction naming it."""
    with pytest.raises(InvalidValueError, match=field):
        DunningStage(**{**STAGE, **changes})


BAD_RULES: list[tuple[dict[str, Any], str]] = [
    ({"stages": "x"}, "DunningRules.stages"),
    ({"stages": (STAGE,)}, r"DunningRules.stages\[0\]"),
    (
        {
            "stages": (
                DunningStage(StageKind.NOTICE, days_overdue=1, fee=FEE),
                DunningStage(StageKind.NOTICE, days_overdue=1, fee=Money("5.00", "USD")),
            )
        },
        "fees in one currency",
    ),
    (
        {
            "stages": (
                DunningStage(StageKind.REMINDER, days_overdue=1),
                DunningStage(
                    StageKind.REMINDER, days_overdue=1, basis=TriggerBasis.BEFORE_DUE_DATE
                ),
            )
        },
        r"DunningRules.stages\[1\].basis",
    ),
    ({"minimum_open_amounts": (Money("0.00", "EUR"),)}, r"minimum_open_amounts\[0\]"),
    ({"minimum_open_amounts": (FEE, FEE)}, r"minimum_open_amounts\[1\].*one minimum"),
    ({"minimum_open_amounts": ("5",)}, r"minimum_open_amounts\[0\]"),
    ({"escalation": "collection"}, "DunningRules.escalation"),
    ({"escalation_days": -1, "escalation": Escalation.COLLECTION}, "escalation_days"),
    ({"escalation_days": 30}, "0 when there is no escalation"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_RULES)
def test_bad_rules_are_refused(changes: dict[str, Any], message: str) -> None:
    """Bad rules raise an InvalidValueError at construction saying what would be valid."""
    with pytest.raises(InvalidValueError, match=message):
        DunningRules(**{"stages": (), **changes})


def test_wrong_types_are_also_type_errors() -> None:
    """A wrong type is an InvalidTypeError, which callers may also catch as TypeError."""
    with pytest.raises(TypeError):
        DunningStage(StageKind.NOTICE, days_overdue=1, fee="5.00")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        DunningStage(StageKind.NOTICE, days_overdue=1, email_body=b"x")  # type: ignore[arg-type]


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-5, max_value=5),
    st.sampled_from([10**18 + 1, -(10**30), 10**5000]),
    st.floats(allow_nan=True),
    st.decimals(allow_nan=True),
    st.text(max_size=5),
    st.just("{{ level }}" * 20_000),
    st.tuples(st.integers()),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
    st.just(Money("1.00", "USD")),
    st.just(StageKind.NOTICE),
    st.just(Channel.EMAIL),
    st.just(object()),
)
"""Wrong types, unhashable values, huge numbers and long texts."""

VALID_ARGUMENTS: dict[type, dict[str, Any]] = {
    DunningStage: STAGE,
    DunningRules: {"stages": ()},
    Money: {"amount": "1.00", "currency": "EUR"},
    NumberSequence: {},
    Template: {"source": "{{ level }}"},
    TemplateValues: {
        "invoice_number": "RE-1",
        "invoice_date": dt.date(2026, 5, 1),
        "total_gross": Money("1.00", "EUR"),
        "due_date": dt.date(2026, 5, 15),
        "tenant_name": "Muster GmbH",
    },
}


FIELDS = [
    (cls, field.name)
    for cls in sorted(VALID_ARGUMENTS, key=lambda c: c.__name__)
    for field in attrs.fields(cls)
    if field.init
]


@pytest.mark.parametrize(("cls", "field"), FIELDS, ids=[f"{c.__name__}.{f}" for c, f in FIELDS])
@settings(max_examples=max(20, settings().max_examples // 5))
@given(junk=JUNK)
def test_constructors_raise_only_dunlib_errors(cls: type, field: str, junk: object) -> None:
    """Law: a stage, rules, amount, number sequence or template given junk in any field (the
    others left to their defaults) builds or raises a DunlibError, never a bare exception
    from deep inside (such as a TypeError from an unhashable kind)."""
    with contextlib.suppress(DunlibError):
        cls(**{**VALID_ARGUMENTS[cls], field: junk})


@pytest.mark.parametrize("kind", [[], {}, set(), "reminder", None])
def test_a_junk_kind_is_refused_before_the_default_texts_need_it(kind: object) -> None:
    """The default templates depend on the kind; an unhashable kind used to fail looking its
    text up (TypeError) instead of being refused as no StageKind."""
    with pytest.raises(InvalidTypeError, match="DunningStage.kind.*a StageKind"):
        DunningStage(kind=kind, days_overdue=1)  # type: ignore[arg-type]


def test_repr_elides_long_templates_only() -> None:
    """A stage's repr leaves out fields equal to their defaults (default templates too),
    shows long custom templates by their first 30 characters and '…' and short ones whole,
    as valid Python. The value keeps the whole text."""
    body = "Bitte zahlen Sie {{ openAmount }} bis zum {{ dueDate }}, sonst Mahngebühren."
    stage = DunningStage(
        StageKind.NOTICE, days_overdue=7, fee=FEE, email_subject="Mahnung", email_body=body
    )
    text = repr(stage)
    assert "basis=" not in text
    assert "pdf_text=" not in text
    assert "email_subject='Mahnung'," in text
    assert "email_body='Bitte zahlen Sie {{ openAmount'…)" in text
    assert "Mahngebühren" not in text
    assert "fee=Money(amount=Decimal('5.00'), currency='EUR')" in text
    assert len(text) < 600
    assert "Mahngebühren" in stage.email_body
    assert attrs.evolve(stage) == stage
    thirty = DunningStage(StageKind.REMINDER, days_overdue=1, pdf_text="x" * 30)
    assert f"pdf_text='{'x' * 30}')" in repr(thirty)
    assert f"pdf_text='{'x' * 30}'…)" in repr(attrs.evolve(thirty, pdf_text="x" * 31))


def test_repr_of_rules_and_actions_stays_short() -> None:
    """Whatever holds stages (the rules, a decision to issue one) prints them short too:
    default templates are left out."""
    assert "Mahngebühren" not in repr(SEED_RULES)
    assert "Zahlungserinnerung" not in repr(SEED_RULES)
    stage = SEED_RULES.stages[3]
    issue = IssueStage(
        invoice_id="inv-1",
        level=4,
        stage_number=4,
        stage=stage,
        on=dt.date(2026, 6, 1),
        due_date=dt.date(2026, 6, 8),
        fee=FEE,
        total_gross=Money("124.00", "EUR"),
        open_amount=Money("124.00", "EUR"),
        channels=stage.channels,
        attach_invoice=stage.attach_invoice,
        dispatch=stage.dispatch,
        requires_approval=stage.requires_approval,
    )
    assert "Mahngebühren" not in repr(issue)
    assert len(repr(issue)) < 1100  # every field once, the stage elided


@given(stage=dunning_stages(currency="JPY"))
def test_generated_stages_are_valid(stage: DunningStage) -> None:
    """dunning_stages() builds valid stages: fees only on notices, in the requested currency."""
    if stage.fee is not None:
        assert stage.kind is StageKind.NOTICE
        assert stage.fee.currency == "JPY"
    assert stage.basis is not TriggerBasis.BEFORE_DUE_DATE


@given(rules=dunning_rules(min_active=2, max_stages=4))
def test_generated_rules_have_the_requested_active_stages(rules: DunningRules) -> None:
    """dunning_rules(min_active=n) has at least n active stages; courtesy stages (counted
    back from the due date or from the invoice date) only open the ladder."""
    assert len(rules.active_stages) >= 2
    bases = [stage.basis.courtesy for stage in rules.stages]
    assert bases == sorted(bases, reverse=True)


@given(data=st.data())
def test_stage_types_are_registered_for_from_type(data: st.DataObject) -> None:
    """After the entry-point hook, st.from_type builds stages and rules."""
    _hypothesis_setup_hook()
    cls = data.draw(st.sampled_from((DunningStage, DunningRules)))
    assert isinstance(data.draw(st.from_type(cls)), cls)
