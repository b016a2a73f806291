"""Fee rules: fixed, percentage of the open principal with minimum and maximum, per currency."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, eur, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    DunningRules,
    DunningStage,
    FeeRule,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    Payment,
    StageKind,
    next_dunning_action,
    record_payment,
    record_stage,
    simulate,
)
from dunlib.core import CurrencyMismatchError
from dunlib.strategies import amounts, dunnable_invoices, dunning_rules, fee_rules

TWO_PERCENT = FeeRule(percent=Decimal(2), minimum=eur("5.00"), maximum=eur("50.00"))


def chf(amount: str) -> Money:
    return Money(amount, "CHF")


def one_notice(*rules: FeeRule) -> DunningRules:
    """One notice 14 days after the due date, charging by ``rules``."""
    return DunningRules(stages=(DunningStage(StageKind.NOTICE, days_overdue=14, fee_rules=rules),))


def first_fee(invoice: Invoice, rules: DunningRules) -> Money:
    action = next_dunning_action(invoice, rules, today=invoice.due_date + timedelta(days=14))
    assert isinstance(action, IssueStage), action
    return action.fee


@pytest.mark.parametrize(
    ("gross", "fee"), [("100.00", "5.00"), ("1000.00", "20.00"), ("10000.00", "50.00")]
)
def test_two_percent_with_minimum_five_and_maximum_fifty(gross: str, fee: str) -> None:
    """2 % of the open principal, at least 5.00, at most 50.00: 100 EUR gives 2.00, raised to
    the minimum 5.00; 1 000 EUR gives 20.00; 10 000 EUR gives 200.00, lowered to 50.00."""
    assert first_fee(sent(gross=gross), one_notice(TWO_PERCENT)) == eur(fee)


def test_a_chf_and_a_eur_invoice_under_one_set_of_rules() -> None:
    """One stage with a EUR rule and a CHF rule: each invoice is charged by the rule of its
    own currency (a fixed 5.00 EUR; 1 % of the principal, at least 10.00 CHF), where a
    fixed EUR fee on the CHF invoice used to raise."""
    rules = one_notice(FeeRule(fixed=eur("5.00")), FeeRule(percent=1, minimum=chf("10.00")))
    in_eur = sent(gross="119.00")
    in_chf = Invoice.sent(
        number="RE-CH-1", customer=ACME, gross=chf("2500.00"), issue_date=in_eur.issue_date
    )
    assert first_fee(in_eur, rules) == eur("5.00")
    assert first_fee(in_chf, rules) == chf("25.00")
    with pytest.raises(CurrencyMismatchError, match="CHF and EUR"):
        first_fee(in_chf, DunningRules(stages=(DunningStage(
            StageKind.NOTICE, days_overdue=14, fee=eur("5.00")),)))  # fmt: skip


def test_a_rule_without_currency_serves_every_other_currency() -> None:
    """A pure percentage has no currency: it charges invoices in currencies without a rule of
    their own; with rules for other currencies only, the engine refuses with a typed error."""
    rules = one_notice(FeeRule(fixed=eur("5.00")), FeeRule(percent=Decimal("0.5")))
    in_chf = Invoice.sent(
        number="RE-CH-2", customer=ACME, gross=chf("1000.00"), issue_date=date(2026, 4, 26)
    )
    assert first_fee(in_chf, rules) == chf("5.00")
    assert first_fee(sent(), rules) == eur("5.00")
    with pytest.raises(CurrencyMismatchError, match="no rule for it"):
        first_fee(in_chf, one_notice(FeeRule(fixed=eur("5.00"))))


def test_the_percentage_applies_to_the_open_principal_rounded_half_up_once() -> None:
    """The percentage is of what is open of the invoice's own gross amount, not of fees or
    interest charged before, and is rounded half-up to the minor unit once: after a notice
    with a 40.00 fee and a payment of 50.00 (fees first: 40.00 fee, 10.00 principal), 2 %
    of the 109.00 principal left is 2.18; 0.25 % of 2.00 is 0.005, rounded to 0.01."""
    rules = DunningRules(
        stages=(
            DunningStage(StageKind.NOTICE, days_overdue=14, fee=eur("40.00")),
            DunningStage(StageKind.NOTICE, days_overdue=7, fee_rules=(FeeRule(percent=2),)),
        )
    )
    invoice = sent()
    first = next_dunning_action(invoice, rules, today=date(2026, 5, 24))
    assert isinstance(first, IssueStage)
    invoice = record_stage(invoice, first, actor=AUTOMATIC, authority=Authority())
    invoice = record_payment(
        invoice,
        Payment(on=date(2026, 5, 25), amount=eur("50.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    ).invoice
    second = next_dunning_action(invoice, rules, today=date(2026, 5, 31))
    assert isinstance(second, IssueStage)
    assert second.fee == eur("2.18")
    assert FeeRule(percent=Decimal("0.25")).fee_on(eur("2.00")) == eur("0.01")
    assert FeeRule(fixed=eur("3.00"), percent=1).fee_on(eur("-5.00")) == eur("3.00")


def test_a_fixed_fee_stays_a_fee_rule_and_old_stages_keep_working() -> None:
    """``DunningStage(fee=Money(...))`` is still a fixed fee: the engine charges it as before
    and the stage reports it as a fixed rule."""
    stage = DunningStage(StageKind.NOTICE, days_overdue=0, fee=eur("5.00"))
    assert stage.fee_rule("EUR") == FeeRule(fixed=eur("5.00"))
    assert DunningStage(StageKind.NOTICE, days_overdue=0).fee_rule("EUR") is None
    assert first_fee(sent(), DunningRules(stages=(attrs.evolve(stage, days_overdue=14),))) == (
        eur("5.00")
    )


def test_fees_off_and_before_the_due_date_charge_nothing() -> None:
    """A customer whose fees are off pays no rule's fee, however large the principal."""
    invoice = sent(gross="10000.00", customer=Customer(id="C", name="C", fees_enabled=False))
    assert first_fee(invoice, one_notice(TWO_PERCENT)).is_zero


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({}, "FeeRule.fixed"),
        ({"fixed": eur("1.00"), "minimum": eur("1.00")}, "FeeRule.minimum"),
        ({"fixed": eur("1.00"), "maximum": eur("1.00")}, "FeeRule.maximum"),
        ({"percent": 0}, "FeeRule.percent"),
        ({"percent": 101}, "FeeRule.percent"),
        ({"percent": "x"}, "FeeRule.percent"),
        ({"percent": 1, "minimum": eur("5.00"), "maximum": chf("9.00")}, "FeeRule.maximum"),
        ({"percent": 1, "minimum": eur("5.00"), "maximum": eur("4.00")}, "FeeRule.minimum"),
        ({"fixed": eur("-1.00")}, "FeeRule.fixed"),
    ],
)
def test_bad_fee_rules_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    """A rule that charges nothing, bounds without a percentage, a percentage outside
    (0, 100], amounts in two currencies, a minimum above the maximum or a negative amount."""
    with pytest.raises((InvalidValueError, InvalidTypeError), match=field):
        FeeRule(**changes)  # type: ignore[arg-type]


def test_bad_stage_fee_rules_are_refused() -> None:
    """Two rules for one currency, rules on a reminder, rules beside a fixed fee, and a
    principal that is no Money."""
    with pytest.raises(InvalidValueError, match=r"fee_rules\[1\]"):
        one_notice(FeeRule(fixed=eur("1.00")), FeeRule(percent=1, minimum=eur("1.00")))
    with pytest.raises(InvalidValueError, match=r"fee_rules\[1\]"):
        one_notice(FeeRule(percent=1), FeeRule(percent=2))
    with pytest.raises(InvalidValueError, match="DunningStage.fee_rules"):
        DunningStage(StageKind.REMINDER, days_overdue=0, fee_rules=(FeeRule(percent=1),))
    with pytest.raises(InvalidValueError, match="DunningStage.fee_rules"):
        DunningStage(
            StageKind.NOTICE, days_overdue=0, fee=eur("1.00"), fee_rules=(FeeRule(percent=1),)
        )
    with pytest.raises(InvalidTypeError, match="DunningStage.fee_rules"):
        DunningStage(StageKind.NOTICE, days_overdue=0, fee_rules=(eur("1.00"),))
    with pytest.raises(InvalidTypeError, match="fee_on.principal"):
        FeeRule(percent=1).fee_on(100)  # type: ignore[arg-type]


@given(rule=fee_rules(), principal=amounts(currency="EUR", min_value=-100, max_value=10**7))
def test_a_fee_stays_between_its_minimum_and_maximum_law(rule: FeeRule, principal: Money) -> None:
    """Law: a rule's fee never exceeds its maximum nor falls below its minimum, is never
    negative, and is the fixed amount plus the rounded percentage when no bound applies."""
    fee = rule.fee_on(principal)
    assert not fee.is_negative
    if rule.minimum is not None:
        assert fee >= rule.minimum
    if rule.maximum is not None:
        assert fee <= rule.maximum
    raw = rule.fixed or Money.zero("EUR")
    if rule.percent is not None and principal.is_positive:
        raw += principal.scaled(rule.percent / 100)
    if (rule.minimum is None or raw >= rule.minimum) and (
        rule.maximum is None or raw <= rule.maximum
    ):
        assert fee == raw


@given(data=st.data())
def test_a_fee_is_charged_once_per_stage_law(data: st.DataObject) -> None:
    """Law: over a whole simulated dunning (rules with fee rules and a repeating last stage),
    each stage charges a fee at most once: a repetition of a stage charges none, and every
    fee lies within the bounds of the stage's rule for the invoice's currency."""
    invoice = data.draw(dunnable_invoices())
    rules = data.draw(
        dunning_rules(
            currency=invoice.currency, min_active=1, with_fee_rules=True, with_repeat=True
        )
    )
    schedule = simulate(invoice, rules, until=invoice.due_date + timedelta(days=400))
    charged = Counter(entry.stage_number for entry in schedule if entry.fee.is_positive)
    assert all(count == 1 for count in charged.values())
    seen: set[int] = set()
    for entry in schedule:
        if entry.stage_number in seen:
            assert entry.fee.is_zero
        seen.add(entry.stage_number)
        stage = rules.stages[entry.stage_number - 1]
        if stage.fee_rules and not stage.claim_flat_fee:
            rule = stage.fee_rule(invoice.currency)
            assert rule is not None
            if rule.maximum is not None:
                assert entry.fee <= rule.maximum
            if rule.minimum is not None and entry.fee.is_positive:
                assert entry.fee >= rule.minimum
