"""The daily run: plan decides as the engine does, record_stages books what was sent."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, ANN, FOUR, ISSUED, RITA, SAM, SEED_RULES, eur, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    CustomerAccount,
    Decision,
    DispatchMode,
    DunlibError,
    DunningLetter,
    DunningRules,
    Escalation,
    FeeRule,
    HistoryEntry,
    Hold,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    NoAction,
    NoActionReason,
    Payment,
    PreparedLetter,
    StageRepeat,
    Status,
    TriggerBasis,
    approve_letter,
    customer_minimum,
    group_letters,
    hold_account,
    keep_credit,
    next_dunning_action,
    pause,
    place_hold,
    plan,
    prepare_letter,
    record_payment,
    record_stage,
    record_stages,
    reject_letter,
    send_letter,
    switch_dunning,
    switch_fees,
    trigger_date,
)
from dunlib import strategies as ds
from dunlib.core import EventKind
from dunlib.dunning import Channel, StageTexts
from dunlib.portfolio import LetterState, LetterStep, Rejection

portfolios = st.lists(ds.dunnable_invoices(currency="EUR"), max_size=6, unique_by=lambda i: i.id)
days = ds.dates()


def _rules_by_number(invoice: Invoice) -> DunningRules:
    """Rules per invoice: the seed's ladder for even numbers, no stage at all for odd ones."""
    return SEED_RULES if int(invoice.number[-1]) % 2 == 0 else DunningRules(stages=())


@given(
    invoices=portfolios,
    rules=ds.dunning_rules(min_active=1, with_fee_rules=True, with_repeat=True),
    today=days,
)
def test_plan_equals_the_engine_under_repeating_stages_and_fee_rules_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> None:
    """Law: with a repeating last stage and fee rules too, plan's decisions (explained or
    not) are exactly next_dunning_action's: the cheap path never guesses a stage."""
    actions = [next_dunning_action(i, rules, today=today) for i in invoices]
    assert [d.action for d in plan(invoices, rules, today=today, explain=True)] == actions
    assert [d.action for d in plan(invoices, rules, today=today)] == [
        a for a in actions if not isinstance(a, NoAction)
    ]


@given(invoices=portfolios, rules=ds.dunning_rules(min_active=1), today=days)
def test_plan_explained_equals_the_engine_on_every_invoice_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> None:
    """Law: plan(..., explain=True) is next_dunning_action mapped over the invoices, in their
    order, for one set of rules and for a rules function alike."""
    explained = list(plan(invoices, rules, today=today, explain=True))
    assert [d.invoice for d in explained] == invoices
    assert [d.action for d in explained] == [
        next_dunning_action(i, rules, today=today) for i in invoices
    ]
    chosen = list(plan(invoices, _rules_by_number, today=today, explain=True))
    assert [d.action for d in chosen] == [
        next_dunning_action(i, _rules_by_number(i), today=today) for i in invoices
    ]


@given(invoices=portfolios, rules=ds.dunning_rules(min_active=1), today=days)
def test_plan_is_its_explained_run_without_the_no_actions_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> None:
    """Law: the default run is the explained run's actionable subset, in input order."""
    explained = list(plan(invoices, rules, today=today, explain=True))
    assert list(plan(invoices, rules, today=today)) == [
        d for d in explained if not isinstance(d.action, NoAction)
    ]


@given(invoices=portfolios, rules=ds.dunning_rules(min_active=1), today=days)
def test_record_notices_after_plan_equals_recording_each_decision_alone_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> None:
    """Law: recording a run's decisions at once gives, invoice by invoice, what recording
    each IssueStage alone gives; invoices without a document come back unchanged.

    The law holds over the decisions that may be recorded: those whose stage is sent
    automatically. A run holding a stage sent after approval or by hand is refused as a
    whole, naming the first such decision's index, as recording that decision alone is
    refused (those go through prepare_letter, approve_letter and send_letter)."""
    decisions = list(plan(invoices, rules, today=today))

    def recordable(decision: Decision) -> bool:
        action = decision.action
        return not isinstance(action, IssueStage) or action.dispatch is DispatchMode.AUTOMATIC

    refused = [i for i, d in enumerate(decisions) if not recordable(d)]
    if refused:
        with pytest.raises(InvalidValueError, match=rf"record_stages.decisions\[{refused[0]}\]"):
            record_stages(invoices, decisions, actor=AUTOMATIC, authority=Authority())
        first = decisions[refused[0]]
        with pytest.raises(InvalidValueError, match=r"IssueStage\.(requires_approval|dispatch)"):
            record_stage(first.invoice, first.action, actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]
    decisions = [d for d in decisions if recordable(d)]
    recorded = record_stages(invoices, decisions, actor=AUTOMATIC, authority=Authority())
    alone = {
        d.invoice.id: record_stage(d.invoice, d.action, actor=AUTOMATIC, authority=Authority())
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
    for decision in plan(invoices, rules, today=today, explain=True):
        assert pickle.loads(pickle.dumps(decision)) == decision
    assert pickle.loads(pickle.dumps(rules)) == rules


def test_plan_is_lazy_and_checks_its_arguments_when_called() -> None:
    """plan consumes its input one invoice at a time (an endless generator is fine) and
    refuses bad arguments when called, not when first iterated."""

    def endless() -> Iterator[Invoice]:
        while True:
            yield sent()

    run = plan(endless(), SEED_RULES, today=dt.date(2026, 5, 24), explain=True)
    assert next(run).action == next_dunning_action(sent(), SEED_RULES, today=dt.date(2026, 5, 24))
    with pytest.raises(InvalidTypeError, match="plan.rules"):
        plan([], 3, today=dt.date(2026, 5, 24))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="plan.invoices"):
        plan(None, SEED_RULES, today=dt.date(2026, 5, 24))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="plan.explain"):
        plan([], SEED_RULES, today=dt.date(2026, 5, 24), explain=1)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"plan.invoices\[0\]"):
        list(plan(["RE-1"], SEED_RULES, today=dt.date(2026, 5, 24)))  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="plan.rules"):
        list(plan([sent()], lambda invoice: None, today=dt.date(2026, 5, 24)))  # type: ignore[arg-type,return-value]


def test_record_notices_refuses_what_does_not_fit() -> None:
    """A decision about an invoice not given, two documents for one invoice, an invoice id
    given twice and a decision about another invoice are refused."""
    invoice = sent()
    decision = next(plan([invoice], SEED_RULES, today=dt.date(2026, 5, 24)))
    assert isinstance(decision.action, IssueStage)
    with pytest.raises(InvalidValueError, match="one of the invoices"):
        record_stages([], [decision], actor=AUTOMATIC, authority=Authority())
    with pytest.raises(InvalidValueError, match="one document per invoice"):
        record_stages([invoice], [decision, decision], actor=AUTOMATIC, authority=Authority())
    with pytest.raises(InvalidValueError, match="ids once each"):
        record_stages([invoice, invoice], [], actor=AUTOMATIC, authority=Authority())
    other = sent(number="RE-2026-0002")
    with pytest.raises(InvalidValueError, match="Decision.action"):
        Decision(invoice=other, action=decision.action)
    assert (
        record_stages([invoice], [decision], actor=AUTOMATIC, authority=Authority())[
            0
        ].dunning_level
        == 1
    )
    nothing = list(plan([invoice], SEED_RULES, today=dt.date(2026, 5, 11), explain=True))
    assert isinstance(nothing[0].action, NoAction)
    assert record_stages([invoice], nothing, actor=AUTOMATIC, authority=Authority()) == (invoice,)


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
    """Law: the dunning letters hold exactly the run's issued stages, each once; every
    notice holds one customer and one currency; its totals are the sums of its
    invoices' (a portfolio in two currencies, rules chosen per currency)."""
    rules = {"EUR": eur_rules, "CHF": chf_rules}
    decisions = list(plan(invoices, lambda i: rules[i.currency], today=today, explain=True))
    notices = group_letters(decisions)
    issued = [d for d in decisions if isinstance(d.action, IssueStage)]
    grouped = [d for notice in notices for d in notice.decisions]
    assert sorted(grouped, key=issued.index) == issued
    for notice in notices:
        assert {(d.invoice.customer.id, d.invoice.currency) for d in notice.decisions} == {
            (notice.customer.id, notice.currency)
        }
        assert notice.fee == sum((s.fee for s in notice.actions), Money.zero(notice.currency))
        assert notice.open_amount == sum(
            (s.open_amount for s in notice.actions), Money.zero(notice.currency)
        )
        assert notice.lead.level == max(s.level for s in notice.actions)
    keys = [(n.customer.id, n.currency) for n in notices]
    assert len(keys) == len(set(keys))


def test_one_letter_lists_every_invoice_of_the_customer() -> None:
    """Two invoices of one customer due for stages on one day make one notice, worded by
    the higher level, summing fees and open amounts, listing both invoices; the strictest
    dispatch mode, every channel and the invoice copy of either stage apply."""
    first = sent(number="RE-2026-0001", due_date=dt.date(2026, 5, 10))
    second = sent(number="RE-2026-0002", due_date=dt.date(2026, 5, 3))
    second = record_stages(
        [second],
        list(plan([second], SEED_RULES, today=dt.date(2026, 5, 17))),
        actor=AUTOMATIC,
        authority=Authority(),
    )[0]
    rules = DunningRules(
        stages=(
            attrs.evolve(SEED_RULES.stages[0], channels=(Channel.EMAIL,)),
            attrs.evolve(
                SEED_RULES.stages[1],
                channels=(Channel.POST,),
                dispatch=DispatchMode.AFTER_APPROVAL,
                attach_invoice=True,
            ),
        )
    )
    (notice,) = group_letters(plan([first, second], rules, today=dt.date(2026, 5, 24)))
    assert [stage.level for stage in notice.actions] == [1, 2]
    assert notice.lead.level == 2
    assert notice.open_amount == Money("238.00", "EUR")
    assert notice.channels == (Channel.EMAIL, Channel.POST)
    assert notice.dispatch is DispatchMode.AFTER_APPROVAL
    assert notice.requires_approval
    assert notice.attach_invoice  # the level-2 stage attaches the invoices, so the letter does
    assert notice.due_date == max(stage.due_date for stage in notice.actions)
    several = StageTexts(language="de", email_body_several="{{ openAmount }}\n{{ invoiceList }}")
    body = attrs.evolve(notice.lead.stage, texts=(several,))
    lead = attrs.evolve(notice.lead, stage=body)
    letter = DunningLetter(
        decisions=tuple(
            attrs.evolve(d, action=lead) if d.action is notice.lead else d for d in notice.decisions
        )
    )
    text = letter.documents(tenant_name="Muster GmbH").email_body
    assert text.splitlines() == [
        "238,00\xa0€",
        "- RE-2026-0001 vom 26.04.2026: offen 119,00\xa0€, Mahnstufe 1, Gebühr 0,00\xa0€",
        "- RE-2026-0002 vom 26.04.2026: offen 119,00\xa0€, Mahnstufe 2, Gebühr 0,00\xa0€",
    ]


def test_a_customer_notice_holds_issued_stages_of_one_customer_only() -> None:
    """A notice of no decisions, of a decision without a document, or of two customers'
    invoices is refused when built."""
    one = next(plan([sent()], SEED_RULES, today=dt.date(2026, 5, 24)))
    other_customer = sent(customer=Customer(id="C-2", name="Other AG"))
    two = next(plan([other_customer], SEED_RULES, today=dt.date(2026, 5, 24)))
    nothing = next(plan([sent()], SEED_RULES, today=dt.date(2026, 5, 11), explain=True))
    with pytest.raises(InvalidValueError, match="one or more decisions"):
        DunningLetter(decisions=())
    with pytest.raises(InvalidValueError, match="an IssueStage"):
        DunningLetter(decisions=(nothing,))
    with pytest.raises(InvalidValueError, match="customer C-1 in EUR"):
        DunningLetter(decisions=(one, two))
    with pytest.raises(InvalidTypeError, match="tenant_name"):
        DunningLetter(decisions=(one,)).documents(tenant_name=None)  # type: ignore[arg-type]
    assert DunningLetter(decisions=(one,)).documents(tenant_name="T").email_subject == (
        "Zahlungserinnerung zur Rechnung RE-2026-0001"
    )


# -- the customer-level minimum ---------------------------------------------------------

TWO_CUSTOMERS = (ACME, Customer(id="C-2", name="Beta AG"))


def _overdue_totals(decisions: list[Decision], today: dt.date) -> dict[tuple[str, str], Money]:
    """What each customer owes past the due date, per currency (booked invoices only)."""
    totals: dict[tuple[str, str], Money] = {}
    for decision in decisions:
        invoice = decision.invoice
        key = (invoice.customer.id, invoice.currency)
        owed = invoice.open_amount
        late = invoice.status in (Status.SENT, Status.DUNNED) and today >= invoice.due_date
        add = owed if late and owed.is_positive else Money.zero(invoice.currency)
        totals[key] = totals.get(key, Money.zero(invoice.currency)) + add
    return totals


@given(
    invoices=st.lists(
        st.tuples(ds.dunnable_invoices(currency="EUR"), st.sampled_from(TWO_CUSTOMERS)).map(
            lambda pair: attrs.evolve(pair[0], customer=pair[1])
        ),
        max_size=6,
        unique_by=lambda i: i.id,
    ),
    rules=ds.dunning_rules(currency="EUR", min_active=1),
    today=days,
    pick=st.sampled_from(("at", "cent above", "cent below", "any")),
    any_minimum=ds.amounts(currency="EUR", min_value=1, max_value=20_000),
)
def test_no_notice_below_the_customer_minimum_law(
    invoices: list[Invoice],
    rules: DunningRules,
    today: dt.date,
    pick: str,
    any_minimum: Money,
) -> None:
    """Law: with a customer-level minimum, no customer whose overdue open amounts add up to
    less gets a document, and every invoice the run would have issued a stage for gets
    BELOW_CUSTOMER_MINIMUM with the minimum and the sum; at or above the minimum (exactly
    at it included) nothing changes; other decisions never change."""
    decisions = list(plan(invoices, rules, today=today, explain=True))
    totals = _overdue_totals(decisions, today)
    first = totals.get(("C-1", "EUR"), Money.zero("EUR"))
    cent = Money("0.01", "EUR")
    minimum = {
        "at": first if first.is_positive else any_minimum,
        "cent above": first + cent,
        "cent below": first - cent if first > cent else any_minimum,
        "any": any_minimum,
    }[pick]
    held = customer_minimum(decisions, [minimum], today=today)
    assert [d.invoice for d in held] == [d.invoice for d in decisions]
    for before, after in zip(decisions, held, strict=True):
        total = totals[(before.invoice.customer.id, "EUR")]
        if isinstance(before.action, IssueStage) and total < minimum:
            assert after.action == NoAction(
                invoice_id=before.invoice.id,
                reason=NoActionReason.BELOW_CUSTOMER_MINIMUM,
                minimum=minimum,
                overdue_total=total,
            )
        else:
            assert after == before
    for notice in group_letters(held):
        assert totals[(notice.customer.id, notice.currency)] >= minimum
    assert customer_minimum(decisions, [Money("1.00", "USD")], today=today) == tuple(decisions)


def test_the_customer_minimum_counts_every_overdue_invoice_and_holds_at_one_cent_less() -> None:
    """Two overdue invoices of 119.00 (one of them not due for a stage today) make 238.00:
    a minimum of 238.00 lets the reminder go out, 238.01 holds it back with both figures;
    an invoice not yet due adds nothing, and another customer is not affected."""
    today = dt.date(2026, 5, 24)
    due = sent(number="RE-2026-0001")
    quiet = sent(number="RE-2026-0002", due_date=dt.date(2026, 5, 20))
    later = sent(number="RE-2026-0003", due_date=dt.date(2026, 6, 30))
    other = sent(number="RE-2026-0004", customer=TWO_CUSTOMERS[1])
    decisions = list(plan([due, quiet, later, other], SEED_RULES, today=today, explain=True))
    assert isinstance(decisions[0].action, IssueStage)
    assert isinstance(decisions[1].action, NoAction)
    assert customer_minimum(decisions, [Money("238.00", "EUR")], today=today)[0] == decisions[0]
    held = customer_minimum(decisions, [Money("238.01", "EUR")], today=today)
    assert held[0].action == NoAction(
        invoice_id=due.id,
        reason=NoActionReason.BELOW_CUSTOMER_MINIMUM,
        minimum=Money("238.01", "EUR"),
        overdue_total=Money("238.00", "EUR"),
    )
    assert held[1:3] == tuple(decisions[1:3])
    assert isinstance(held[3].action, NoAction)  # Beta AG owes 119.00 < 238.01
    assert [n.customer.id for n in group_letters(held)] == []
    assert [n.customer.id for n in group_letters(decisions)] == ["C-1", "C-2"]


def test_the_customer_minimum_refuses_what_does_not_fit() -> None:
    """Minimums are positive amounts, one per currency; the decisions are Decisions."""
    day = dt.date(2026, 5, 24)
    with pytest.raises(InvalidValueError, match="above zero"):
        customer_minimum([], [Money("0.00", "EUR")], today=day)
    with pytest.raises(InvalidValueError, match="one minimum per currency"):
        customer_minimum([], [Money("1.00", "EUR"), Money("2.00", "EUR")], today=day)
    with pytest.raises(InvalidTypeError, match="customer_minimum.minimums"):
        customer_minimum([], ["1.00"], today=day)  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="customer_minimum.decisions"):
        customer_minimum([sent()], [], today=day)  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="customer_minimum.today"):
        customer_minimum([], [], today="2026-05-24")  # type: ignore[arg-type]
    drafted = Invoice.sent(number="RE-9", customer=ACME, gross=eur("10.00"), issue_date=ISSUED)
    paid = record_payment(
        drafted, Payment(on=ISSUED, amount=eur("10.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    decisions = list(plan([paid, sent()], SEED_RULES, today=day, explain=True))
    held = customer_minimum(decisions, [Money("200.00", "EUR")], today=day)
    assert held[1].action.overdue_total == Money("119.00", "EUR")  # type: ignore[union-attr]


# -- dunning restricted to chosen invoices -----------------------------------------------


@given(
    invoices=portfolios,
    rules=ds.dunning_rules(min_active=1),
    today=days,
    chosen=st.sets(st.integers(min_value=0, max_value=7)),
)
def test_restricting_to_a_selection_equals_filtering_the_whole_run_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date, chosen: set[int]
) -> None:
    """Law: a run restricted to chosen invoices is the unrestricted run filtered to them, in
    order; explained, every other invoice is NOT_SELECTED (ids not in the portfolio are
    harmless)."""
    only = {invoices[i].id for i in chosen if i < len(invoices)} | {"not-in-portfolio"}
    assert list(plan(invoices, rules, today=today, only=only)) == [
        d for d in plan(invoices, rules, today=today) if d.invoice.id in only
    ]
    explained = list(plan(invoices, rules, today=today, explain=True, only=only))
    for decision, whole in zip(
        explained, plan(invoices, rules, today=today, explain=True), strict=True
    ):
        if decision.invoice.id in only:
            assert decision == whole
        else:
            assert decision.action == NoAction(
                invoice_id=decision.invoice.id, reason=NoActionReason.NOT_SELECTED
            )


def test_a_selection_is_a_collection_of_invoice_ids() -> None:
    """A bare string, a non-collection or ids that are not strings are refused when plan is
    called; a bad invoice when it is reached."""
    day = dt.date(2026, 5, 24)
    for junk in ("RE-1", 5, [1, 2]):
        with pytest.raises(InvalidTypeError, match="plan.only"):
            plan([], SEED_RULES, today=day, only=junk)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"plan.invoices\[0\]"):
        list(plan([None], SEED_RULES, today=day, only=()))  # type: ignore[list-item]
    assert list(plan([sent()], SEED_RULES, today=day, only=())) == []


# -- letters on their way hold their invoices --------------------------------------------


def _in_state(notice: DunningLetter, state: LetterState) -> PreparedLetter:
    """``notice`` prepared by the run (needing approval) and taken to ``state`` on its day."""
    prepared = prepare_letter(
        notice, customer_approval=True, actor=AUTOMATIC, authority=Authority()
    )
    day = prepared.on
    if state is LetterState.REJECTED:
        return reject_letter(
            prepared, actor=RITA, on=day, reason="wrong address", authority=Authority()
        )
    if state is LetterState.PREPARED:
        return prepared
    if state in (LetterState.WITHDRAWN, LetterState.SUPERSEDED):
        return attrs.evolve(
            prepared, steps=(*prepared.steps, LetterStep(on=day, state=state, actor="rita"))
        )
    approved = approve_letter(prepared, actor=RITA, on=day, authority=FOUR)
    if state is LetterState.APPROVED:
        return approved
    sender = SAM if approved.dispatch is DispatchMode.MANUAL else AUTOMATIC
    return send_letter(approved, approved.invoices, actor=sender, on=day, authority=FOUR).letter


_ON_THE_WAY = (LetterState.PREPARED, LetterState.APPROVED)


@given(
    invoices=portfolios,
    rules=ds.dunning_rules(currency="EUR", min_active=1),
    prepared_on=days,
    later=st.integers(min_value=0, max_value=30),
    states=st.lists(st.sampled_from(list(LetterState)), max_size=6),
    chosen=st.none() | st.sets(st.integers(min_value=0, max_value=5)),
)
def test_a_run_with_waiting_notices_equals_the_run_without_their_invoices_law(
    invoices: list[Invoice],
    rules: DunningRules,
    prepared_on: dt.date,
    later: int,
    states: list[LetterState],
    chosen: set[int] | None,
) -> None:
    """Law: plan(..., waiting=W) is the run without W, its invoices on letters still on
    their way (PREPARED or APPROVED) or rejected (until something is booked on them, the
    default rejection) removed, in order; explained, each of those gets a NoAction
    LETTER_WAITING or LETTER_REJECTED in its place and every other decision is the run's
    without W (with or without a selection). Withdrawn, superseded and sent letters hold
    nothing."""
    notices = group_letters(plan(invoices, rules, today=prepared_on))
    waiting = [_in_state(n, s) for n, s in zip(notices, states, strict=False)]
    holding = (*_ON_THE_WAY, LetterState.REJECTED)
    held = {i.id: w.state for w in waiting if w.state in holding for i in w.invoices}
    today = prepared_on + dt.timedelta(days=later)
    only = None if chosen is None else {i.id for k, i in enumerate(invoices) if k in chosen}
    assert list(plan(invoices, rules, today=today, waiting=waiting, only=only)) == [
        d for d in plan(invoices, rules, today=today, only=only) if d.invoice.id not in held
    ]
    explained = list(plan(invoices, rules, today=today, explain=True, waiting=waiting, only=only))
    whole = plan(invoices, rules, today=today, explain=True, only=only)
    for decision, alone in zip(explained, whole, strict=True):
        if decision.invoice.id in held:
            rejected = held[decision.invoice.id] is LetterState.REJECTED
            reason = NoActionReason.LETTER_REJECTED if rejected else NoActionReason.LETTER_WAITING
            assert decision == Decision(
                invoice=alone.invoice,
                action=NoAction(invoice_id=decision.invoice.id, reason=reason),
            )
        else:
            assert decision == alone


def test_the_day_after_a_notice_was_prepared_the_run_does_not_decide_it_again() -> None:
    """Seed 000 "automatisch mit Genehmigung": the run on 24 May prepares the first reminder
    of RE-2026-0001, needing approval. On 25 May, while it waits (and once approved), the
    run passes over RE-2026-0001 (explained: letter_waiting) and still decides the other
    invoice; sent, the engine reads its history. Rejected, it is not prepared again while
    nothing is booked on it (the default rejection), the next day when rejected "not today"
    only, and at this level never when rejected "never" (issue 23, finding 4)."""
    first, second = sent(), sent(number="RE-2026-0002", due_date=dt.date(2026, 5, 11))
    may_24, may_25 = dt.date(2026, 5, 24), dt.date(2026, 5, 25)
    (notice,) = group_letters(plan([first], SEED_RULES, today=may_24))
    prepared = prepare_letter(
        notice, customer_approval=True, actor=AUTOMATIC, authority=Authority()
    )
    approved = approve_letter(prepared, actor=RITA, on=may_25, authority=FOUR)
    for waiting in (prepared, approved):
        assert [d.invoice.number for d in plan([first, second], SEED_RULES, today=may_25)] == [
            "RE-2026-0001",
            "RE-2026-0002",
        ]
        assert [
            d.invoice.number
            for d in plan([first, second], SEED_RULES, today=may_25, waiting=[waiting])
        ] == ["RE-2026-0002"]
        (held, _) = plan([first, second], SEED_RULES, today=may_25, explain=True, waiting=[waiting])
        assert held.action == NoAction(invoice_id=first.id, reason=NoActionReason.LETTER_WAITING)
    rejected = reject_letter(prepared, actor=RITA, on=may_25, authority=Authority())
    assert list(plan([first], SEED_RULES, today=dt.date(2026, 6, 30), waiting=[rejected])) == []
    (reason,) = plan([first], SEED_RULES, today=may_25, waiting=[rejected], explain=True)
    assert reason.action == NoAction(invoice_id=first.id, reason=NoActionReason.LETTER_REJECTED)
    paid = record_payment(
        first, Payment(on=may_25, amount=eur("10.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    (again,) = plan([paid], SEED_RULES, today=may_25, waiting=[rejected])
    assert isinstance(again.action, IssueStage)
    assert again.action.level == 1
    today_only = reject_letter(
        prepared, actor=RITA, on=may_25, authority=Authority(), rejection=Rejection.NOT_TODAY
    )
    assert list(plan([first], SEED_RULES, today=may_25, waiting=[today_only])) == []
    (tomorrow,) = plan([first], SEED_RULES, today=dt.date(2026, 5, 26), waiting=[today_only])
    assert isinstance(tomorrow.action, IssueStage)
    never = reject_letter(
        prepared, actor=RITA, on=may_25, authority=Authority(), rejection=Rejection.NEVER
    )
    assert list(plan([paid], SEED_RULES, today=dt.date(2026, 6, 30), waiting=[never])) == []
    notice_sent = send_letter(approved, [first], on=may_25, authority=FOUR, actor=AUTOMATIC)
    done, (booked,) = notice_sent.letter, notice_sent.invoices
    (after,) = plan([booked], SEED_RULES, today=may_25, explain=True, waiting=[done])
    assert after.action == NoAction(
        invoice_id=first.id, reason=NoActionReason.NOT_YET_DUE, next_on=dt.date(2026, 5, 31)
    )


def _acme_credit(on: dt.date) -> CustomerAccount:
    """ACME's account with 20.00 of credit kept by hand on ``on``."""
    return keep_credit(
        CustomerAccount(customer_id=ACME.id),
        eur("20.00"),
        on=on,
        actor=ANN,
        reason="x",
        authority=Authority(),
    )


def test_waiting_notices_leave_the_others_credit_to_them() -> None:
    """With accounts, the run with waiting notices is the run over the other invoices
    alone: an invoice held by a waiting notice uses up none of its customer's credit."""
    first, second = sent(), sent(number="RE-2026-0002")
    may_24 = dt.date(2026, 5, 24)
    (notice,) = group_letters(plan([first], SEED_RULES, today=may_24))
    prepared = prepare_letter(
        notice, customer_approval=True, actor=AUTOMATIC, authority=Authority()
    )
    account = _acme_credit(may_24)
    accounts = {ACME.id: account}
    kept = list(
        plan([first, second], SEED_RULES, today=may_24, accounts=accounts, waiting=[prepared])
    )
    assert kept == list(plan([second], SEED_RULES, today=may_24, accounts=accounts))
    (decision,) = kept
    assert isinstance(decision.action, IssueStage)
    assert decision.action.credit == eur("20.00")


def test_credit_netted_by_a_notice_on_its_way_is_not_offered_again() -> None:
    """A notice prepared on 24 May with the customer's 20.00 of credit netted keeps it while
    it waits: on 25 May, with 30.00 more kept, the run offers the customer's other invoice
    only the 30.00 left, and nothing without it; a rejected notice keeps none."""
    first, second = sent(), sent(number="RE-2026-0002")
    may_24, may_25 = dt.date(2026, 5, 24), dt.date(2026, 5, 25)
    before = _acme_credit(may_24)
    (notice,) = group_letters(plan([first], SEED_RULES, today=may_24, accounts={ACME.id: before}))
    assert notice.actions[0].credit == eur("20.00")
    prepared = prepare_letter(
        notice, customer_approval=True, actor=AUTOMATIC, authority=Authority()
    )
    more = keep_credit(
        before, eur("30.00"), on=may_25, actor=ANN, reason="y", authority=Authority()
    )
    for account, left in ((more, "30.00"), (before, "0.00")):
        (decision,) = plan(
            [first, second],
            SEED_RULES,
            today=may_25,
            accounts={ACME.id: account},
            waiting=[prepared],
        )
        assert decision.invoice.id == second.id
        assert isinstance(decision.action, IssueStage)
        assert decision.action.credit == eur(left)
    rejected = reject_letter(prepared, actor=RITA, on=may_25, authority=Authority())
    (decision,) = plan([second], SEED_RULES, today=may_25, accounts={ACME.id: before},
                       waiting=[rejected])  # fmt: skip
    assert isinstance(decision.action, IssueStage)
    assert decision.action.credit == eur("20.00")


def test_a_notice_names_the_credit_netted_against_it() -> None:
    """{{ credit }} in a stage's text is the customer's credit the document nets (20.00 of
    the 119.00 open), in the invoice's own document and in the dunning letter alike."""
    account = _acme_credit(ISSUED)
    rules = attrs.evolve(
        SEED_RULES,
        stages=(
            attrs.evolve(SEED_RULES.stages[0], email_body="{{ credit }} / {{ openAmount }}"),
            *SEED_RULES.stages[1:],
        ),
    )
    (decision,) = plan([sent()], rules, today=dt.date(2026, 5, 24), accounts={ACME.id: account})
    assert isinstance(decision.action, IssueStage)
    own = decision.action.documents(invoice=decision.invoice, tenant_name="Muster GmbH")
    (notice,) = group_letters([decision])
    assert notice.credit == eur("20.00")
    grouped = notice.documents(tenant_name="Muster GmbH")
    assert own.email_body == grouped.email_body == "20,00\xa0€ / 99,00\xa0€"


def test_waiting_notices_are_prepared_notices() -> None:
    """A string, a non-iterable or anything but PreparedLetters among them is refused when
    plan is called; a bad invoice when it is reached, at its place in the whole input;
    the invoices are read lazily."""
    day = dt.date(2026, 5, 24)
    for junk in ("RE-1", 5, [sent()]):
        with pytest.raises(InvalidTypeError, match="plan.waiting"):
            plan([], SEED_RULES, today=day, waiting=junk)  # type: ignore[arg-type]
    (notice,) = group_letters(plan([sent()], SEED_RULES, today=day))
    waiting = [prepare_letter(notice, actor=AUTOMATIC, authority=Authority())]
    with pytest.raises(InvalidTypeError, match=r"plan.invoices\[1\]"):
        list(plan([sent(), None], SEED_RULES, today=day, waiting=waiting))  # type: ignore[list-item]
    assert list(plan(iter([sent()]), SEED_RULES, today=day, waiting=iter(waiting))) == []
    endless = plan(_numbered_without_end(), SEED_RULES, today=day, explain=True, waiting=waiting)
    assert next(endless).action.reason is NoActionReason.LETTER_WAITING  # type: ignore[union-attr]


def _numbered_without_end() -> Iterator[Invoice]:
    """The seed invoice, then copies of it numbered on without end."""
    yield sent()
    number = 2
    while True:
        yield sent(number=f"RE-2026-{number:04d}")
        number += 1


# -- the "nothing today" path -------------------------------------------------------------

mixed_portfolios = st.lists(
    ds.dunnable_invoices(currency="EUR")
    | ds.dunned_invoices(currency="EUR")
    | ds.closed_invoices(currency="EUR"),
    max_size=5,
    unique_by=lambda i: i.id,
)


def _engine_run(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> list[tuple[Invoice, object]]:
    actions = [(i, next_dunning_action(i, rules, today=today)) for i in invoices]
    return [(i, a) for i, a in actions if not isinstance(a, NoAction)]


@given(invoices=mixed_portfolios, rules=ds.dunning_rules(min_active=0), today=days)
def test_plan_decides_exactly_as_the_engine_around_every_trigger_date_law(
    invoices: list[Invoice], rules: DunningRules, today: dt.date
) -> None:
    """Law: plan's cheap "nothing today" path changes no decision: on any day, and on the
    days around each invoice's trigger date, the default run yields exactly the invoices the
    engine acts on, with its actions, in input order, and the explained run is the engine
    mapped over every invoice (open, dunned, paused and closed invoices alike)."""
    run_days = {today}
    for invoice in invoices:
        trigger = trigger_date(invoice, rules)
        if trigger is not None:
            run_days |= {trigger - dt.timedelta(days=1), trigger, trigger + dt.timedelta(days=1)}
    for day in sorted(run_days):
        assert [(d.invoice, d.action) for d in plan(invoices, rules, today=day)] == _engine_run(
            invoices, rules, day
        )
        explained = [d.action for d in plan(invoices, rules, today=day, explain=True)]
        assert explained == [next_dunning_action(i, rules, today=day) for i in invoices]


def _cheap_path_cases() -> tuple[list[Invoice], list[DunningRules], list[dt.date]]:
    base = sent()
    paused = pause(
        attrs.evolve(base, id="RE-P", number="RE-P"),
        on=dt.date(2026, 5, 1),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    nobody = Customer(id="C-9", name="Off", dunning_enabled=False)
    off = attrs.evolve(base, id="RE-O", number="RE-O", customer=nobody)
    first = next_dunning_action(base, SEED_RULES, today=dt.date(2026, 5, 24))
    assert isinstance(first, IssueStage)
    dunned = record_stage(base, first, actor=AUTOMATIC, authority=Authority())
    early = Invoice.sent(
        number="RE-EARLY",
        customer=base.customer,
        gross=Money("10.00", "EUR"),
        issue_date=dt.date(3, 1, 1),
        due_date=dt.date(3, 1, 15),
    )
    late = Invoice.sent(
        number="RE-LATE",
        customer=base.customer,
        gross=Money("10.00", "EUR"),
        issue_date=dt.date(9999, 12, 1),
        due_date=dt.date(9999, 12, 20),
    )
    far = 4 * 10**6  # beyond the calendar from any day
    stage = SEED_RULES.stages[0]
    before_due = TriggerBasis.BEFORE_DUE_DATE
    rules = [
        SEED_RULES,
        DunningRules(stages=()),
        DunningRules(stages=SEED_RULES.stages, minimum_open_amounts=(Money("500.00", "EUR"),)),
        DunningRules(stages=(attrs.evolve(stage, days_overdue=far),)),
        DunningRules(stages=(attrs.evolve(stage, days_overdue=far, basis=before_due),)),
        DunningRules(stages=(stage, attrs.evolve(stage, days_overdue=far))),
        DunningRules(stages=(attrs.evolve(stage, days_overdue=3000),)),
        DunningRules(stages=(stage,), escalation=Escalation.COLLECTION, escalation_days=3),
        DunningRules(stages=(stage,), escalation=Escalation.COLLECTION, escalation_days=far),
    ]
    invoices = [base, paused, off, dunned, early, late]
    run_days = [
        dt.date(5, 1, 1),
        dt.date(2026, 5, 23),
        dt.date(2026, 5, 24),
        dt.date(2026, 5, 27),
        dt.date(2026, 6, 30),
        dt.date(9999, 12, 31),
    ]
    return invoices, rules, run_days


def test_the_cheap_path_agrees_with_the_engine_at_the_edges() -> None:
    """Every reason the cheap path gives, every case it leaves to the engine (an exhausted
    ladder, days the engine cannot count to near the ends of the calendar, an invoice before
    every term) and a rules function making new rules every call: the same decisions as the
    engine's."""
    invoices, rules, run_days = _cheap_path_cases()
    for chosen in rules:
        for day in run_days:
            try:
                expected = [next_dunning_action(i, chosen, today=day) for i in invoices]
            except InvalidValueError:  # the engine cannot count this far: neither can plan
                with pytest.raises(InvalidValueError):
                    list(plan(invoices, chosen, today=day, explain=True))
                continue
            explained = [d.action for d in plan(invoices, chosen, today=day, explain=True)]
            assert explained == expected
            actionable = [a for a in expected if not isinstance(a, NoAction)]
            assert [d.action for d in plan(invoices, chosen, today=day)] == actionable
    reasons = {
        a.reason
        for chosen in rules[:3]
        for a in (
            d.action for d in plan(invoices[:4], chosen, today=dt.date(2026, 5, 23), explain=True)
        )
        if isinstance(a, NoAction)
    }
    assert {
        NoActionReason.NO_ACTIVE_STAGE,
        NoActionReason.PAUSED,
        NoActionReason.CUSTOMER_DISABLED,
        NoActionReason.BELOW_MINIMUM,
        NoActionReason.NOT_YET_DUE,
    } <= reasons
    fresh = list(
        plan([sent()] * 70, lambda _: attrs.evolve(SEED_RULES), today=dt.date(2026, 5, 24))
    )
    assert len(fresh) == 70


def test_an_explained_run_leaves_a_held_invoice_to_the_engine() -> None:
    """An invoice on hold (a dispute) gets the engine's reason and date in the explained run,
    and nothing in the default run."""
    invoice = place_hold(
        sent(),
        Hold.dispute(on=dt.date(2026, 5, 12), reason="wrong delivery"),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    day = dt.date(2026, 5, 30)
    explained = [d.action for d in plan([invoice], SEED_RULES, today=day, explain=True)]
    assert explained == [next_dunning_action(invoice, SEED_RULES, today=day)]
    assert explained[0].reason is NoActionReason.DISPUTED  # type: ignore[union-attr]
    assert list(plan([invoice], SEED_RULES, today=day)) == []


def _engine_or_error(
    invoices: list[Invoice], rules: DunningRules, day: dt.date
) -> list[object] | type[Exception]:
    """The engine's actions over ``invoices``, or the class of the error it raises."""
    try:
        return [next_dunning_action(i, rules, today=day) for i in invoices]
    except DunlibError as error:
        return type(error)


def _with_entry(invoice: Invoice, kind: EventKind, on: dt.date) -> Invoice:
    """``invoice`` with one more history entry of ``kind`` on ``on``, written by hand (as an
    app may load it), the status unchanged."""
    entry = HistoryEntry(
        on=on, kind=kind, from_status=invoice.status, to_status=invoice.status, detail="by hand"
    )
    return attrs.evolve(invoice, history=(*invoice.history, entry))


def _fast_path_cases() -> tuple[list[Invoice], list[DunningRules]]:
    base = sent()
    switched = pause(base, on=dt.date(2026, 5, 12), actor=AUTOMATIC, authority=Authority())
    pendulum_days = attrs.evolve(
        base, issue_date=pendulum.Date(2026, 4, 26), due_date=pendulum.Date(2026, 5, 10)
    )
    ladder = SEED_RULES.stages
    first = next_dunning_action(base, SEED_RULES, today=dt.date(2026, 5, 24))
    assert isinstance(first, IssueStage)
    dunned = [base, record_stage(base, first, actor=AUTOMATIC, authority=Authority())]
    for day in (dt.date(2026, 5, 31), dt.date(2026, 6, 7), dt.date(2026, 6, 14)):
        step = next_dunning_action(dunned[-1], SEED_RULES, today=day)
        assert isinstance(step, IssueStage)
        dunned.append(record_stage(dunned[-1], step, actor=AUTOMATIC, authority=Authority()))
    escalated = _with_entry(dunned[1], EventKind.HANDED_TO_COLLECTION, dt.date(2026, 5, 26))
    late_notice = attrs.evolve(
        dunned[4], issued_stages=(*dunned[4].issued_stages[:-1],
                                       attrs.evolve(dunned[4].issued_stages[-1],
                                                    on=pendulum.Date(2026, 6, 14))),
    )  # fmt: skip

    def notice_with(**changes: Any) -> DunningRules:
        return attrs.evolve(SEED_RULES, stages=(*ladder[:3], attrs.evolve(ladder[3], **changes)))

    rules = [
        SEED_RULES,
        notice_with(fee=None, fee_rules=(FeeRule(percent=Decimal(2), minimum=eur("5.00")),)),
        notice_with(fee=None, fee_rules=(FeeRule(fixed=Money("5.00", "CHF")),)),
        notice_with(claim_interest=True),
        notice_with(repeat=StageRepeat(count=2, days=7)),
        attrs.evolve(SEED_RULES, escalation=Escalation.COLLECTION, escalation_days=10),
        attrs.evolve(SEED_RULES, stages=(attrs.evolve(ladder[0], days_overdue=30,
                                                      basis=TriggerBasis.BEFORE_DUE_DATE),)),
    ]  # fmt: skip
    nothing = sent("0.00")  # sent with nothing to pay: settled, never dunned
    invoices = [base, nothing, escalated, switched, pendulum_days, late_notice, *dunned[1:]]
    return invoices, rules


def test_the_fast_path_builds_the_engines_actions_in_every_case() -> None:
    """The actions the run builds itself (stages issued, escalations, reasons and dates) are
    the engine's, and where it leaves an invoice to the engine (a fee on the principal or in
    another currency, interest, a repeating stage) the engine's too, error included: an
    escalated invoice, a pause read from the history, dates of
    a subclass of date, every level of the ladder, on every day of its trigger dates."""
    invoices, rules = _fast_path_cases()
    run_days = sorted({dt.date(2026, 4, 20), dt.date(2026, 5, 9)} | {
        day
        for chosen in rules
        for invoice in invoices
        if (trigger := trigger_date(invoice, chosen)) is not None
        for day in (trigger, trigger + dt.timedelta(days=11))
    })  # fmt: skip
    for chosen in rules:
        for day in run_days:
            expected = _engine_or_error(invoices, chosen, day)
            if not isinstance(expected, list):
                with pytest.raises(expected):
                    list(plan(invoices, chosen, today=day, explain=True))
                continue
            explained = [d.action for d in plan(invoices, chosen, today=day, explain=True)]
            assert explained == expected
            assert [repr(a) for a in explained] == [repr(a) for a in expected]
            actionable = [a for a in expected if not isinstance(a, NoAction)]
            assert [d.action for d in plan(invoices, chosen, today=day)] == actionable


def test_an_invoice_passed_twice_makes_no_letter_claiming_its_debt_twice() -> None:
    """Issue 21, finding 4: the seed invoice passed twice to the run is planned twice, but
    grouping refuses the second document (a letter claiming 248.00 on a 124.00 debt), a
    dunning letter listing the invoice twice cannot be built, and sending refuses an
    invoice given twice, as record_stages does."""
    invoice = sent()
    decisions = list(plan([invoice, invoice], SEED_RULES, today=dt.date(2026, 5, 24)))
    assert [type(d.action) for d in decisions] == [IssueStage, IssueStage]
    with pytest.raises(InvalidValueError) as refused:
        group_letters(decisions)
    assert (refused.value.field, refused.value.value) == ("group_letters.decisions[1]", invoice.id)
    assert refused.value.expected == (
        f"one document per invoice and run (invoice {invoice.known_as} twice)"
    )
    with pytest.raises(InvalidValueError, match=r"DunningLetter.decisions\[1\]"):
        DunningLetter(decisions=decisions)
    (notice,) = group_letters(decisions[:1])
    with pytest.raises(InvalidValueError, match=r"send_letter.invoices\[1\].id"):
        send_letter(
            prepare_letter(notice, actor=AUTOMATIC, authority=Authority()),
            [invoice, invoice],
            on=dt.date(2026, 5, 24),
            authority=FOUR,
            actor=AUTOMATIC,
        )


@given(
    invoices=st.lists(ds.dunnable_invoices(currency="EUR"), min_size=1, max_size=4),
    repeats=st.lists(st.integers(0, 3), max_size=3),
    rules=ds.dunning_rules(currency="EUR", min_active=1),
    today=days,
)
def test_a_letter_never_claims_more_than_its_invoices_open_amounts_law(
    invoices: list[Invoice], repeats: list[int], rules: DunningRules, today: dt.date
) -> None:
    """Law: whatever invoices the run is given (some of them twice), a letter lists each
    invoice once and claims at most what its invoices have open plus the fees and interest
    its documents add; a run that issues two documents for one invoice is refused whole."""
    given_ = invoices + [invoices[i % len(invoices)] for i in repeats]
    decisions = list(plan(given_, rules, today=today))
    issued = [d.invoice.id for d in decisions if isinstance(d.action, IssueStage)]
    if len(issued) != len(set(issued)):
        with pytest.raises(InvalidValueError, match="one document per invoice and run"):
            group_letters(decisions)
        return
    for notice in group_letters(decisions):
        owed = {d.invoice.id: d.invoice.open_amount for d in notice.decisions}
        assert len(owed) == len(notice.decisions)
        assert notice.open_amount <= sum(owed.values(), notice.fee + notice.interest)


def _engine_with_credit(
    invoices: list[Invoice], rules: DunningRules, day: dt.date, account: CustomerAccount
) -> list[object]:
    """The engine over ``invoices`` of one customer in EUR, the account's credit used up in
    order as plan documents it (netted against a notice, or covering an invoice)."""
    left = account.credit("EUR", today=day)
    actions: list[object] = []
    for invoice in invoices:
        action = next_dunning_action(invoice, rules, today=day, account=account, credit=left)
        if isinstance(action, IssueStage):
            left = left - action.credit
        elif isinstance(action, NoAction) and action.reason is NoActionReason.COVERED_BY_CREDIT:
            left = left - invoice.open_amount
        actions.append(action)
    return actions


def test_plan_with_customer_accounts_decides_as_the_engine() -> None:
    """With the customer's account passed (no changes, fees off, dunning off, a hold, some
    credit, credit covering one invoice) and a notice claiming interest, the explained run
    is the engine's over the invoices in order with the credit used up as documented, and
    the default run its actionable part; an account without changes decides as none."""
    day = dt.date(2026, 6, 14)
    rules = attrs.evolve(SEED_RULES, stages=(*SEED_RULES.stages[:3], attrs.evolve(
        SEED_RULES.stages[3], claim_interest=True)))  # fmt: skip
    invoices = [sent(number=f"RE-2026-{n:04d}") for n in range(1, 4)]
    for later in range(3):
        action = next_dunning_action(
            invoices[1], rules, today=dt.date(2026, 5, 24) + dt.timedelta(7 * later)
        )
        assert isinstance(action, IssueStage)
        invoices[1] = record_stage(invoices[1], action, actor=AUTOMATIC, authority=Authority())
    invoices.append(
        sent(number="RE-2026-0009", issue_date=dt.date(2026, 6, 10), due_date=dt.date(2026, 6, 24))
    )
    on = dt.date(2026, 6, 1)
    empty = CustomerAccount(customer_id=ACME.id)
    accounts = [
        empty,
        switch_fees(empty, enabled=False, on=on, actor=SAM, authority=Authority()),
        switch_dunning(empty, enabled=False, on=on, actor=SAM, authority=Authority()),
        hold_account(
            empty, Hold.dispute(on=on, reason="contested"), actor=AUTOMATIC, authority=Authority()
        ),
        keep_credit(
            empty, eur("20.00"), on=on, actor=SAM, reason="overpaid", authority=Authority()
        ),
        keep_credit(
            empty, eur("130.00"), on=on, actor=SAM, reason="overpaid", authority=Authority()
        ),
    ]
    for account in accounts:
        expected = _engine_with_credit(invoices, rules, day, account)
        explained = [d.action for d in plan(invoices, rules, today=day, explain=True,
                                            accounts={ACME.id: account})]  # fmt: skip
        assert explained == expected
        actionable = [a for a in expected if not isinstance(a, NoAction)]
        assert [
            d.action for d in plan(invoices, rules, today=day, accounts={ACME.id: account})
        ] == actionable
    assert list(plan(invoices, rules, today=day, accounts={ACME.id: empty})) == list(
        plan(invoices, rules, today=day)
    )
    for account in (empty, accounts[2]):  # a mapping other than a dict: asked per customer
        by_proxy = MappingProxyType({ACME.id: account})
        assert list(plan(invoices, rules, today=day, accounts=by_proxy)) == list(
            plan(invoices, rules, today=day, accounts={ACME.id: account})
        )
