"""Strategies for portfolios, accounts and notices: customer accounts and their changes, the
engine's dunning actions and prepared letters.
"""

from __future__ import annotations

import datetime as _dt
from typing import cast

import attrs
from hypothesis import strategies as st

from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.records import HoldKind
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION, REVIEWER
from dunlib.dunning.accounts import (
    AccountChange,
    AccountChangeKind,
    CustomerAccount,
    hold_account,
    keep_credit,
    lift_account_hold,
    switch_dunning,
    switch_fees,
)
from dunlib.dunning.actions import Escalate, IssueStage, NoAction
from dunlib.dunning.decisions import Decision, DunningLetter
from dunlib.dunning.engine import next_dunning_action
from dunlib.dunning.issuing import record_stage
from dunlib.dunning.stages import (
    DispatchMode,
    DunningRules,
    DunningStage,
    Escalation,
    StageKind,
    TriggerBasis,
)
from dunlib.portfolio.prepared import LetterState, LetterStep, PreparedLetter
from dunlib.strategies import _checks as checks
from dunlib.strategies._common import _BOOKKEEPER, _DAY, _REMINDER_STAGE, _TWO_EYES, _cached
from dunlib.strategies.money import amounts, currencies
from dunlib.strategies.rules import holds
from dunlib.strategies.states import dunnable_invoices
from dunlib.workflow.policy import AUTOMATIC

__all__ = ["account_changes", "customer_accounts", "dunning_actions", "prepared_letters"]


@checks.checked(
    {
        "customer_id": checks.instance(str, "a customer id", optional=True),
        "currency": checks.currency(optional=True),
        "min_value": checks.day(),
        "max_size": checks.count(),
    }
)
@_cached
def customer_accounts(
    *,
    customer_id: str | None = None,
    currency: str | None = None,
    min_value: _dt.date = _dt.date(2020, 1, 1),
    max_size: int = 6,
) -> st.SearchStrategy[CustomerAccount]:
    """Customer accounts with up to ``max_size`` dated changes from ``min_value`` on:
    dunning and fees switched, customer-level holds placed and lifted, credit kept (in
    ``currency``, or any) and used, each change valid where it is made."""
    ids = (
        st.from_regex(r"C-[0-9]{1,5}", fullmatch=True)
        if customer_id is None
        else st.just(customer_id)
    )
    codes = currencies() if currency is None else st.just(currency)
    operations = st.sampled_from(("dunning", "fees", "hold", "lift", "keep", "use"))

    @st.composite
    def build(draw: st.DrawFn) -> CustomerAccount:
        account = CustomerAccount(customer_id=draw(ids))
        day = min_value
        for _ in range(draw(st.integers(min_value=0, max_value=max_size))):
            day += _dt.timedelta(days=draw(st.integers(min_value=0, max_value=20)))
            operation = draw(operations)
            code = draw(codes)
            credit = account.credit(code, today=day)
            holding = [hold.kind for hold in account.holds_on(today=day)]
            free = tuple(k for k in (HoldKind.DISPUTE, HoldKind.PROMISE_TO_PAY) if k not in holding)
            if operation in ("dunning", "fees"):
                switch = switch_dunning if operation == "dunning" else switch_fees
                account = switch(
                    account,
                    enabled=draw(st.booleans()),
                    on=day,
                    actor=_BOOKKEEPER,
                    authority=_TWO_EYES,
                )
            elif operation == "lift" and holding:
                account = lift_account_hold(
                    account, holding[0], on=day, actor=_BOOKKEEPER, authority=_TWO_EYES
                )
            elif operation == "hold" and free:  # with both held, credit is kept instead
                hold = draw(holds(kinds=free, min_value=day, max_value=day))
                account = hold_account(account, hold, actor=_BOOKKEEPER, authority=_TWO_EYES)
            elif operation == "use" and credit.is_positive:
                used = draw(amounts(currency=code, min_value=0, max_value=credit.amount))
                if used.is_positive:
                    account = attrs.evolve(
                        account,
                        history=(
                            *account.history,
                            AccountChange(
                                on=day,
                                kind=AccountChangeKind.CREDIT_USED,
                                amount=used,
                                reason="booked onto an invoice",
                            ),
                        ),
                    )
            else:
                kept = draw(amounts(currency=code, min_value=1, max_value=500))
                account = keep_credit(
                    account, kept, on=day, actor=_BOOKKEEPER, reason="overpaid", authority=_TWO_EYES
                )
        return account

    return build()


@checks.checked({})
def account_changes() -> st.SearchStrategy[AccountChange]:
    """Single account changes of every kind (the last change of :func:`customer_accounts`;
    credit kept on its first day for an account that drew no change, rather than a filter)."""

    def last(account: CustomerAccount) -> AccountChange:
        if not account.history:
            kept = Money(10, "EUR")
            account = keep_credit(account, kept, on=_dt.date(2020, 1, 1), actor=_BOOKKEEPER,
                                  reason="overpaid", authority=_TWO_EYES)  # fmt: skip
        return account.history[-1]

    return st.builds(last, customer_accounts(max_size=4))


_AT_ONCE = DunningRules(
    stages=(DunningStage(StageKind.REMINDER, days_overdue=0, basis=TriggerBasis.DUE_DATE),)
)


_ESCALATING = attrs.evolve(_AT_ONCE, escalation=Escalation.COLLECTION, escalation_days=7)


_EUR_DUNNABLE = dunnable_invoices(currency="EUR", max_payments=1)


@checks.checked({})
@_cached
def dunning_actions() -> st.SearchStrategy[IssueStage | NoAction | Escalate]:
    """What the engine decides for a dunnable invoice under some rules on some day: every
    kind of :data:`~dunlib.dunning.actions.DunningAction` (an issued stage, nothing with its
    reason, an escalation)."""
    return st.one_of(_issued_stages(), _no_actions(), _escalations())


@_cached
def _issued_stages() -> st.SearchStrategy[IssueStage]:
    def decide(invoice: Invoice, late: int) -> IssueStage:
        # the rules remind a dunnable invoice at once
        return cast(
            "IssueStage",
            next_dunning_action(invoice, _AT_ONCE, today=invoice.due_date + late * _DAY),
        )

    return st.builds(decide, _EUR_DUNNABLE, st.integers(min_value=1, max_value=60))


@_cached
def _no_actions() -> st.SearchStrategy[NoAction]:
    def decide(invoice: Invoice, early: int, rules: DunningRules) -> NoAction:
        # before the due date, without an active stage or with dunning off: nothing to do
        day = invoice.due_date - early * _DAY
        return cast("NoAction", next_dunning_action(invoice, rules, today=day))

    rules = st.sampled_from(
        (
            _AT_ONCE,
            DunningRules(stages=()),
            attrs.evolve(
                _AT_ONCE, stages=(DunningStage(StageKind.REMINDER, days_overdue=0, active=False),)
            ),
        )
    )
    return st.builds(
        decide,
        dunnable_invoices(currency="EUR", dunning_enabled=None, max_payments=0),
        st.integers(min_value=1, max_value=30),
        rules,
    )


@_cached
def _escalations() -> st.SearchStrategy[Escalate]:
    def decide(invoice: Invoice, late: int) -> Escalate:
        reminded = record_stage(
            invoice, _issue_when_late(invoice), actor=AUTOMATIC, authority=_TWO_EYES
        )
        # asked once the escalation days after the reminder are over
        return cast(
            "Escalate",
            next_dunning_action(reminded, _ESCALATING, today=invoice.due_date + late * _DAY),
        )

    return st.builds(decide, _EUR_DUNNABLE, st.integers(min_value=8, max_value=90))


def _issue_when_late(invoice: Invoice) -> IssueStage:
    """The stage of the rules that remind at once, issued the first day the debtor is late."""
    late = invoice.due_date + _DAY
    return cast("IssueStage", next_dunning_action(invoice, _AT_ONCE, today=late))


_LIVES = {
    True: (
        (),
        (LetterState.APPROVED,),
        (LetterState.REJECTED,),
        (LetterState.APPROVED, LetterState.SENT),
    ),
    False: ((), (LetterState.SENT,)),
}


@checks.checked({"currency": checks.currency(optional=True)})
@st.composite
def prepared_letters(draw: st.DrawFn, *, currency: str | None = None) -> PreparedLetter:
    """Prepared letters of one dunnable invoice, at any point of their life: prepared,
    approved, rejected or sent (approval only for those that need it), by hand or not,
    each step on or after the one before. The invoice is as it was prepared."""
    invoice = draw(dunnable_invoices(currency=currency))
    stage = attrs.evolve(_REMINDER_STAGE, dispatch=draw(st.sampled_from(DispatchMode)))
    day = invoice.due_date + _dt.timedelta(days=draw(st.integers(1, 30)))
    action = next_dunning_action(invoice, DunningRules(stages=(stage,)), today=day)
    notice = DunningLetter(decisions=(Decision(invoice=invoice, action=action),))
    needs = notice.requires_approval or draw(st.booleans())
    manual = draw(st.booleans())
    by_hand = manual or notice.dispatch is DispatchMode.MANUAL
    steps = [LetterStep(on=day, state=LetterState.PREPARED, actor="automatic", roles={AUTOMATION})]
    for state in draw(st.sampled_from(_LIVES[needs])):
        day += _dt.timedelta(days=draw(st.integers(0, 5)))
        people = {"ann": ACCOUNTANT, "rita": REVIEWER}
        if not (by_hand and state is LetterState.SENT):  # a manual notice is sent by a person
            people["automatic"] = AUTOMATION
        actor = draw(st.sampled_from(sorted(people)))
        note = draw(st.text(max_size=8))
        steps.append(LetterStep(on=day, state=state, actor=actor, note=note, roles={people[actor]}))
    return PreparedLetter(letter=notice, needs_approval=needs, steps=tuple(steps), manual=manual)
