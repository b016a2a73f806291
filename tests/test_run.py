"""The daily run: plan decides as the engine does, record_notices books what was sent."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import SEED_RULES, sent
from dunlib import (
    Channel,
    Customer,
    CustomerNotice,
    Decision,
    DispatchMode,
    DunningRules,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    NoAction,
    group_notices,
    next_dunning_action,
    plan,
    record_notice,
    record_notices,
)
from dunlib import strategies as ds

portfolios = st.lists(ds.dunnable_invoices(currency="EUR"), max_size=6, unique_by=lambda i: i.id)
days = ds.dates()


def _rules_by_number(invoice: Invoice) -> DunningRules:
    """Rules per invoice: the seed's ladder for even numbers, no stage at all for odd ones."""
    return SEED_RULES if int(invoice.number[-1]) % 2 == 0 else DunningRules(stages=())


@given(invoices=portfolios, rules=ds.dunning_rules(min_active=1), today=days)
def test_plan_explained_equals_the_engine_on_every_invoice_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> None:
    """Law: plan(..., explain=True) is next_dunning_action mapped over the invoices, in their
    order, for one set of rules and for a rules function alike."""
    explained = list(plan(invoices, rules, today, explain=True))
    assert [d.invoice for d in explained] == invoices
    assert [d.action for d in explained] == [next_dunning_action(i, rules, today) for i in invoices]
    chosen = list(plan(invoices, _rules_by_number, today, explain=True))
    assert [d.action for d in chosen] == [
        next_dunning_action(i, _rules_by_number(i), today) for i in invoices
    ]


@given(invoices=portfolios, rules=ds.dunning_rules(min_active=1), today=days)
def test_plan_is_its_explained_run_without_the_no_actions_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> None:
    """Law: the default run is the explained run's actionable subset, in input order."""
    explained = list(plan(invoices, rules, today, explain=True))
    assert list(plan(invoices, rules, today)) == [
        d for d in explained if not isinstance(d.action, NoAction)
    ]


@given(invoices=portfolios, rules=ds.dunning_rules(min_active=1), today=days)
def test_record_notices_after_plan_equals_recording_each_decision_alone_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> None:
    """Law: recording a run's decisions at once gives, invoice by invoice, what recording
    each IssueStage alone gives; invoices without a document come back unchanged."""
    decisions = list(plan(invoices, rules, today))
    recorded = record_notices(invoices, decisions)
    alone = {
        d.invoice.id: record_notice(d.invoice, d.action)
        for d in decisions
        if isinstance(d.action, IssueStage)
    }
    assert list(recorded) == [alone.get(i.id, i) for i in invoices]


@given(invoices=portfolios, rules=ds.dunning_rules(min_active=1), today=days)
def test_decisions_survive_pickling_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> None:
    """Law: every decision (and the invoice and rules inside) pickles and comes back equal,
    so a run can be spread over processes."""
    for decision in plan(invoices, rules, today, explain=True):
        assert pickle.loads(pickle.dumps(decision)) == decision
    assert pickle.loads(pickle.dumps(rules)) == rules


def test_plan_is_lazy_and_checks_its_arguments_when_called() -> None:
    """plan consumes its input one invoice at a time (an endless generator is fine) and
    refuses bad arguments when called, not when first iterated."""

    def endless() -> Iterator[Invoice]:
        while True:
            yield sent()

    run = plan(endless(), SEED_RULES, dt.date(2026, 5, 24), explain=True)
    assert next(run).action == next_dunning_action(sent(), SEED_RULES, dt.date(2026, 5, 24))
    with pytest.raises(InvalidTypeError, match="plan.rules"):
        plan([], 3, dt.date(2026, 5, 24))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="plan.invoices"):
        plan(None, SEED_RULES, dt.date(2026, 5, 24))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="plan.explain"):
        plan([], SEED_RULES, dt.date(2026, 5, 24), explain=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"plan.invoices\[0\]"):
        list(plan(["RE-1"], SEED_RULES, dt.date(2026, 5, 24)))  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="plan.rules"):
        list(plan([sent()], lambda invoice: None, dt.date(2026, 5, 24)))  # type: ignore[arg-type,return-value]


def test_record_notices_refuses_what_does_not_fit() -> None:
    """A decision about an invoice not given, two documents for one invoice, an invoice id
    given twice and a decision about another invoice are refused."""
    invoice = sent()
    decision = next(plan([invoice], SEED_RULES, dt.date(2026, 5, 24)))
    assert isinstance(decision.action, IssueStage)
    with pytest.raises(InvalidValueError, match="one of the invoices"):
        record_notices([], [decision])
    with pytest.raises(InvalidValueError, match="one document per invoice"):
        record_notices([invoice], [decision, decision])
    with pytest.raises(InvalidValueError, match="ids once each"):
        record_notices([invoice, invoice], [])
    other = sent(number="RE-2026-0002")
    with pytest.raises(InvalidValueError, match="Decision.action"):
        Decision(invoice=other, action=decision.action)
    assert record_notices([invoice], [decision])[0].dunning_level == 1
    nothing = list(plan([invoice], SEED_RULES, dt.date(2026, 5, 11), explain=True))
    assert isinstance(nothing[0].action, NoAction)
    assert record_notices([invoice], nothing) == (invoice,)


@given(
    invoices=st.lists(
        ds.dunnable_invoices(currency="EUR") | ds.dunnable_invoices(currency="CHF"),
        max_size=8,
        unique_by=lambda i: i.id,
    ),
    eur_rules=ds.dunning_rules(currency="EUR", min_active=1),
    chf_rules=ds.dunning_rules(currency="CHF", min_active=1),
    today=days,
)
def test_grouping_loses_no_issued_stage_and_invents_none_law(
    invoices: list[Invoice], eur_rules: DunningRules, chf_rules: DunningRules, today: dt.date
) -> None:
    """Law: the customer notices hold exactly the run's issued stages, each once; every
    notice holds one customer and one currency; its totals are the sums of its
    invoices' (a portfolio in two currencies, rules chosen per currency)."""
    rules = {"EUR": eur_rules, "CHF": chf_rules}
    decisions = list(plan(invoices, lambda i: rules[i.currency], today, explain=True))
    notices = group_notices(decisions)
    issued = [d for d in decisions if isinstance(d.action, IssueStage)]
    grouped = [d for notice in notices for d in notice.decisions]
    assert sorted(grouped, key=issued.index) == issued
    for notice in notices:
        assert {(d.invoice.customer.id, d.invoice.currency) for d in notice.decisions} == {
            (notice.customer.id, notice.currency)
        }
        assert notice.fee == sum((s.fee for s in notice.stages), Money.zero(notice.currency))
        assert notice.open_amount == sum(
            (s.open_amount for s in notice.stages), Money.zero(notice.currency)
        )
        assert notice.lead.level == max(s.level for s in notice.stages)
    keys = [(n.customer.id, n.currency) for n in notices]
    assert len(keys) == len(set(keys))


def test_one_letter_lists_every_invoice_of_the_customer() -> None:
    """Two invoices of one customer due for stages on one day make one notice, worded by
    the higher level, summing fees and open amounts, listing both invoices; the strictest
    dispatch mode, every channel and the invoice copy of either stage apply."""
    first = sent(number="RE-2026-0001", due_date=dt.date(2026, 5, 10))
    second = sent(number="RE-2026-0002", due_date=dt.date(2026, 5, 3))
    second = record_notices([second], list(plan([second], SEED_RULES, dt.date(2026, 5, 17))))[0]
    rules = DunningRules(
        stages=(
            attrs.evolve(SEED_RULES.stages[0], channels=(Channel.EMAIL,)),
            attrs.evolve(
                SEED_RULES.stages[1],
                channels=(Channel.LETTER,),
                dispatch=DispatchMode.AFTER_APPROVAL,
                attach_invoice=True,
            ),
        )
    )
    (notice,) = group_notices(plan([first, second], rules, dt.date(2026, 5, 24)))
    assert [stage.level for stage in notice.stages] == [1, 2]
    assert notice.lead.level == 2
    assert notice.open_amount == Money("238.00", "EUR")
    assert notice.channels == (Channel.EMAIL, Channel.LETTER)
    assert notice.dispatch is DispatchMode.AFTER_APPROVAL
    assert notice.requires_approval
    assert notice.attach_invoice  # the level-2 stage attaches the invoices, so the letter does
    assert notice.due_date == max(stage.due_date for stage in notice.stages)
    body = attrs.evolve(notice.lead.stage, email_body="{{ openAmount }}\n{{ invoiceList }}")
    lead = attrs.evolve(notice.lead, stage=body)
    letter = CustomerNotice(
        decisions=tuple(
            attrs.evolve(d, action=lead) if d.action is notice.lead else d for d in notice.decisions
        )
    )
    text = letter.documents(tenant_name="Muster GmbH").email_body
    assert text.splitlines() == [
        "238,00\xa0€",
        "RE-2026-0001 26.04.2026: 119,00\xa0€ (level 1)",
        "RE-2026-0002 26.04.2026: 119,00\xa0€ (level 2)",
    ]


def test_a_customer_notice_holds_issued_stages_of_one_customer_only() -> None:
    """A notice of no decisions, of a decision without a document, or of two customers'
    invoices is refused when built."""
    one = next(plan([sent()], SEED_RULES, dt.date(2026, 5, 24)))
    other_customer = sent(customer=Customer(id="C-2", name="Other AG"))
    two = next(plan([other_customer], SEED_RULES, dt.date(2026, 5, 24)))
    nothing = next(plan([sent()], SEED_RULES, dt.date(2026, 5, 11), explain=True))
    with pytest.raises(InvalidValueError, match="one or more decisions"):
        CustomerNotice(decisions=())
    with pytest.raises(InvalidValueError, match="an IssueStage"):
        CustomerNotice(decisions=(nothing,))
    with pytest.raises(InvalidValueError, match="customer C-1 in EUR"):
        CustomerNotice(decisions=(one, two))
    with pytest.raises(InvalidTypeError, match="tenant_name"):
        CustomerNotice(decisions=(one,)).documents(tenant_name=None)  # type: ignore[arg-type]
    assert CustomerNotice(decisions=(one,)).documents(tenant_name="T").email_subject == (
        "Zahlungserinnerung zur Rechnung RE-2026-0001"
    )
