"""The customer's account: dated switches, customer-level holds and credit, read by the
engine, plan and simulate; credit netted against what a notice claims, no cent lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, ANN, DUE, ROBOT, SAM, SEED_RULES, eur, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    CustomerAccount,
    DunningRules,
    DunningStage,
    Hold,
    HoldKind,
    InvalidTypeError,
    InvalidValueError,
    IssueStage,
    Money,
    NoAction,
    NoActionReason,
    Payment,
    StageKind,
    Status,
    hold_account,
    keep_credit,
    keep_overpayment,
    lift_account_hold,
    next_dunning_action,
    plan,
    record_payment,
    simulate,
    switch_dunning,
    switch_fees,
    use_credit,
)
from dunlib.dunning import AccountChange, AccountChangeKind
from dunlib.strategies import customer_accounts, dates, dunnable_invoices, dunning_rules

D = dt.date
FIRST = D(2026, 5, 24)
"""The seed invoice's first reminder day under the seed rules."""
FEE_AT_ONCE = DunningRules(
    stages=(DunningStage(StageKind.NOTICE, days_overdue=0, fee=eur("5.00")),)
)
EMPTY = CustomerAccount(customer_id=ACME.id)


def credited(amount: str) -> CustomerAccount:
    """ACME's account with ``amount`` EUR kept as credit on 01.05.2026."""
    return keep_credit(
        EMPTY, eur(amount), on=D(2026, 5, 1), actor=ANN, reason="credit note", authority=Authority()
    )


# -- settings -------------------------------------------------------------------------------


def test_an_account_without_changes_changes_nothing() -> None:
    """Dunning and fees on, no hold, no credit: the engine decides as without an account."""
    for day in (D(2026, 5, 9), FIRST, D(2026, 7, 1)):
        assert next_dunning_action(sent(), SEED_RULES, today=day, account=EMPTY) == (
            next_dunning_action(sent(), SEED_RULES, today=day)
        )
    assert EMPTY.dunning_enabled(today=FIRST)
    assert EMPTY.fees_enabled(today=FIRST)
    assert EMPTY.holds(today=FIRST) == ()
    assert EMPTY.credit("EUR", today=FIRST) == eur("0.00")


def test_switching_dunning_off_and_on_is_dated_and_recorded() -> None:
    """Off from 20.05. to 01.06.: the reminder due 24.05. waits for 01.06.; the account
    names the day dunning is on again; simulate reads the switches on their days."""
    account = switch_dunning(
        EMPTY, enabled=False, on=D(2026, 5, 20), actor=ANN, reason="vip", authority=Authority()
    )
    account = switch_dunning(
        account, enabled=True, on=D(2026, 6, 1), actor=SAM, authority=Authority()
    )
    assert [(c.on, c.kind, c.actor) for c in account.history] == [
        (D(2026, 5, 20), AccountChangeKind.DUNNING_OFF, "ann"),
        (D(2026, 6, 1), AccountChangeKind.DUNNING_ON, "sam"),
    ]
    assert not account.dunning_enabled(today=FIRST)
    assert account.dunning_enabled(today=D(2026, 5, 19))
    assert next_dunning_action(sent(), SEED_RULES, today=FIRST, account=account) == NoAction(
        invoice_id="RE-2026-0001", reason=NoActionReason.CUSTOMER_DISABLED, next_on=D(2026, 6, 1)
    )
    schedule = simulate(sent(), SEED_RULES, until=D(2026, 6, 1), account=account)
    assert [entry.on for entry in schedule] == [D(2026, 6, 1)]


def test_the_invoice_keeps_the_customer_as_issued_and_both_must_allow() -> None:
    """An invoice issued to a customer with dunning off stays undunned whatever the account
    says; the account cannot switch on what the invoice's customer had off."""
    off = sent(customer=attrs.evolve(ACME, dunning_enabled=False))
    action = next_dunning_action(off, SEED_RULES, today=FIRST, account=EMPTY)
    assert isinstance(action, NoAction)
    assert action.reason is NoActionReason.CUSTOMER_DISABLED


def test_the_fee_opt_out_charges_no_fee_from_its_day() -> None:
    """Fees off from 15.05.: a notice on 20.05. charges none, and claims the rest only."""
    account = switch_fees(EMPTY, enabled=False, on=D(2026, 5, 15), actor=ANN, authority=Authority())
    before = next_dunning_action(sent(), FEE_AT_ONCE, today=D(2026, 5, 11), account=account)
    after = next_dunning_action(sent(), FEE_AT_ONCE, today=D(2026, 5, 20), account=account)
    assert isinstance(before, IssueStage)
    assert isinstance(after, IssueStage)
    assert (before.fee, before.open_amount, before.total_gross) == (
        eur("5.00"),
        eur("124.00"),
        eur("124.00"),
    )
    assert (after.fee, after.open_amount, after.total_gross) == (
        eur("0.00"),
        eur("119.00"),
        eur("119.00"),
    )
    assert not account.fees_enabled(today=D(2026, 5, 20))


def test_customer_level_holds_are_placed_lifted_and_dated() -> None:
    """A dispute on the account from 12.05., lifted on 30.05.: the invoice waits, then the
    first reminder goes out on the day of the lift; a direct debit is refused on an account."""
    account = hold_account(
        EMPTY,
        Hold.dispute(on=D(2026, 5, 12), reason="all deliveries"),
        actor=ANN,
        authority=Authority(),
    )
    action = next_dunning_action(sent(), SEED_RULES, today=FIRST, account=account)
    assert action == NoAction(invoice_id="RE-2026-0001", reason=NoActionReason.DISPUTED)
    lifted = lift_account_hold(
        account, HoldKind.DISPUTE, on=D(2026, 5, 30), actor=ANN, authority=Authority()
    )
    assert lifted.holds_on(today=D(2026, 5, 30)) == ()
    assert lifted.holds(today=D(2026, 5, 30))[0].lifted_on == D(2026, 5, 30)
    assert lifted.holds(today=D(2026, 5, 29))[0].lifted_on is None
    action = next_dunning_action(sent(), SEED_RULES, today=FIRST, account=lifted)
    assert action == NoAction(
        invoice_id="RE-2026-0001", reason=NoActionReason.DISPUTED, next_on=D(2026, 5, 30)
    )
    schedule = simulate(sent(), SEED_RULES, until=D(2026, 6, 30), account=lifted)
    assert [entry.on for entry in schedule][:2] == [D(2026, 5, 30), D(2026, 6, 6)]
    with pytest.raises(InvalidValueError, match="hold.kind"):
        hold_account(
            EMPTY, Hold.direct_debit(on=DUE, collection_date=DUE), actor=ANN, authority=Authority()
        )
    with pytest.raises(InvalidValueError, match="history\\[1\\].hold"):
        hold_account(
            account,
            Hold.dispute(on=D(2026, 5, 13), reason="again"),
            actor=ANN,
            authority=Authority(),
        )
    with pytest.raises(InvalidValueError, match="hold_kind"):
        lift_account_hold(EMPTY, HoldKind.DISPUTE, on=DUE, actor=ANN, authority=Authority())
    with pytest.raises(InvalidValueError, match="hold_kind"):
        lift_account_hold(EMPTY, HoldKind.DIRECT_DEBIT, on=DUE, actor=ANN, authority=Authority())


def test_account_changes_never_go_back_and_name_their_customer() -> None:
    """A change before the last one is refused; an account of another customer is refused
    by the engine, plan and simulate; wrong types are named."""
    account = switch_fees(EMPTY, enabled=False, on=DUE, actor=ANN, authority=Authority())
    with pytest.raises(InvalidValueError, match="switch_dunning.on"):
        switch_dunning(account, enabled=False, on=D(2026, 5, 1), actor=ANN, authority=Authority())
    with pytest.raises(InvalidValueError, match="history\\[1\\].on"):
        CustomerAccount(
            customer_id="C-1",
            history=(account.history[0], attrs.evolve(account.history[0], on=D(2026, 5, 1))),
        )
    other = CustomerAccount(customer_id="C-2")
    with pytest.raises(InvalidValueError, match="account.customer_id"):
        next_dunning_action(sent(), SEED_RULES, today=FIRST, account=other)
    with pytest.raises(InvalidValueError, match="simulate.account"):
        simulate(sent(), SEED_RULES, until=FIRST, account=other)
    with pytest.raises(InvalidTypeError, match="next_dunning_action.account"):
        next_dunning_action(sent(), SEED_RULES, today=FIRST, account="C-1")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="switch_dunning.enabled"):
        switch_dunning(EMPTY, enabled="no", on=DUE, actor=ANN, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="hold_account.hold"):
        hold_account(EMPTY, "hold", actor=ANN, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="lift_account_hold.kind"):
        lift_account_hold(EMPTY, "dispute", on=DUE, actor=ANN, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="switch_fees.actor"):
        switch_fees(EMPTY, enabled=True, on=DUE, actor="ann", authority=Authority())  # type: ignore[arg-type]


def test_an_account_change_carries_exactly_its_own_fields() -> None:
    """A credit change needs its amount, a hold change its hold, and nothing else."""
    with pytest.raises(InvalidValueError, match="AccountChange.amount"):
        AccountChange(on=DUE, kind=AccountChangeKind.CREDIT_KEPT)
    with pytest.raises(InvalidValueError, match="AccountChange.amount"):
        AccountChange(on=DUE, kind=AccountChangeKind.DUNNING_ON, amount=eur("1.00"))
    with pytest.raises(InvalidValueError, match="AccountChange.hold"):
        AccountChange(
            on=DUE,
            kind=AccountChangeKind.HOLD_PLACED,
            hold=Hold.dispute(on=D(2026, 5, 1), reason="x"),
        )


# -- credit ---------------------------------------------------------------------------------


def test_credit_is_netted_against_what_a_notice_claims() -> None:
    """30.00 EUR credit: the first reminder claims 119.00 - 30.00 = 89.00 and says so."""
    action = next_dunning_action(sent(), SEED_RULES, today=FIRST, account=credited("30.00"))
    assert isinstance(action, IssueStage)
    assert (action.credit, action.open_amount) == (eur("30.00"), eur("89.00"))
    assert action.total_gross == eur("119.00")


def test_a_notice_covered_by_credit_is_skipped() -> None:
    """Credit of the whole open amount (or more): no notice, its own reason; credit in
    another currency does not count."""
    for amount in ("119.00", "500.00"):
        action = next_dunning_action(sent(), SEED_RULES, today=FIRST, account=credited(amount))
        assert action == NoAction(
            invoice_id="RE-2026-0001", reason=NoActionReason.COVERED_BY_CREDIT
        )
    francs = keep_credit(
        EMPTY, Money("500.00", "CHF"), on=DUE, actor=ANN, reason="x", authority=Authority()
    )
    assert isinstance(
        next_dunning_action(sent(), SEED_RULES, today=FIRST, account=francs), IssueStage
    )
    later = keep_credit(
        EMPTY, eur("500.00"), on=D(2026, 6, 1), actor=ANN, reason="x", authority=Authority()
    )
    action = next_dunning_action(sent(), SEED_RULES, today=FIRST, account=later)
    assert isinstance(action, IssueStage)
    assert action.credit == eur("0.00")


def test_credit_given_directly_overrides_the_account() -> None:
    """``credit=`` is the credit available to this invoice; checked for currency and sign."""
    action = next_dunning_action(sent(), SEED_RULES, today=FIRST, credit=eur("19.00"))
    assert isinstance(action, IssueStage)
    assert action.open_amount == eur("100.00")
    with pytest.raises(InvalidValueError, match="next_dunning_action.credit"):
        next_dunning_action(sent(), SEED_RULES, today=FIRST, credit=Money("1.00", "CHF"))
    with pytest.raises(InvalidValueError, match="next_dunning_action.credit"):
        next_dunning_action(sent(), SEED_RULES, today=FIRST, credit=eur("-1.00"))
    with pytest.raises(InvalidTypeError, match="next_dunning_action.credit"):
        next_dunning_action(sent(), SEED_RULES, today=FIRST, credit=1)  # type: ignore[arg-type]


def test_a_run_nets_a_customers_credit_once() -> None:
    """150.00 EUR credit over three invoices of 119.00: the first is covered (skipped), the
    second's notice nets the 31.00 left, the third nets nothing; another customer's
    invoice is decided without an account."""
    invoices = [sent(number=f"RE-{n}") for n in (1, 2, 3)]
    stranger = sent(number="RE-9", customer=Customer(id="C-9", name="Other"))
    account = credited("150.00")
    decisions = list(
        plan(
            [*invoices, stranger], SEED_RULES, today=FIRST, explain=True, accounts={"C-1": account}
        )
    )
    actions = [d.action for d in decisions]
    assert isinstance(actions[0], NoAction)
    assert actions[0].reason is NoActionReason.COVERED_BY_CREDIT
    assert isinstance(actions[1], IssueStage)
    assert isinstance(actions[2], IssueStage)
    assert (actions[1].credit, actions[1].open_amount) == (eur("31.00"), eur("88.00"))
    assert (actions[2].credit, actions[2].open_amount) == (eur("0.00"), eur("119.00"))
    assert isinstance(actions[3], IssueStage)
    assert list(plan(invoices, SEED_RULES, today=DUE, accounts={"C-1": account})) == []
    by_function = list(plan(invoices, SEED_RULES, today=FIRST, accounts=lambda i: account))
    assert [d.action for d in by_function] == actions[1:3]
    with pytest.raises(InvalidTypeError, match="plan.accounts"):
        plan(invoices, SEED_RULES, today=FIRST, accounts=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="plan.accounts"):
        list(plan(invoices, SEED_RULES, today=FIRST, accounts=lambda i: "C-1"))  # type: ignore[arg-type]


def test_an_overpayment_is_kept_as_credit_and_used_on_the_next_invoice() -> None:
    """150.00 paid on a 119.00 invoice: 31.00 kept as credit; booked onto the next invoice
    as a payment; nothing is lost on the way."""
    result = record_payment(
        sent(number="RE-1"),
        Payment(on=DUE, amount=eur("150.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    account = keep_overpayment(EMPTY, result, actor=ROBOT, authority=Authority())
    assert account.credit("EUR", today=DUE) == eur("31.00")
    assert account.history[-1].reason == "overpayment of invoice RE-1"
    exact = record_payment(
        sent(number="RE-3"),
        Payment(on=DUE, amount=eur("119.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    assert keep_overpayment(account, exact, actor=AUTOMATIC, authority=Authority()) == account
    used = use_credit(
        account, sent(number="RE-2"), on=D(2026, 5, 12), actor=AUTOMATIC, authority=Authority()
    )
    assert used.amount == eur("31.00")
    assert used.invoice.open_amount == eur("88.00")
    assert used.invoice.payments[-1].reference == "customer credit"
    assert used.account.credit("EUR", today=D(2026, 5, 12)) == eur("0.00")
    assert used.account.credit_kept("EUR") == used.account.credit_used("EUR") == eur("31.00")
    small = sent("10.00", number="RE-4")
    part = use_credit(account, small, on=D(2026, 5, 12), actor=AUTOMATIC, authority=Authority())
    assert part.amount == eur("10.00")
    assert part.invoice.status is Status.PAID
    assert part.account.credit("EUR", today=D(2026, 5, 12)) == eur("21.00")
    with pytest.raises(InvalidValueError, match="use_credit.amount"):
        use_credit(
            account,
            sent(),
            on=D(2026, 5, 12),
            amount=eur("40.00"),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(InvalidValueError, match="use_credit.amount"):
        use_credit(EMPTY, sent(), on=D(2026, 5, 12), actor=AUTOMATIC, authority=Authority())
    with pytest.raises(InvalidTypeError, match="use_credit.amount"):
        use_credit(
            account,
            sent(),
            on=D(2026, 5, 12),
            amount=3,  # type: ignore[arg-type]
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(InvalidTypeError, match="keep_overpayment.result"):
        keep_overpayment(account, sent(), actor=AUTOMATIC, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="history\\[1\\].amount"):
        CustomerAccount(
            customer_id="C-1",
            history=(
                *account.history,
                AccountChange(on=DUE, kind=AccountChangeKind.CREDIT_USED, amount=eur("31.01")),
            ),
        )


# -- laws -----------------------------------------------------------------------------------


@given(data=st.data())
def test_a_notice_never_claims_more_than_the_open_amount_less_credit_law(
    data: st.DataObject,
) -> None:
    """Law: a notice claims exactly the open amount with its fee and interest less the
    customer's credit, never more and never less than zero; credit covering the open amount
    issues no notice (COVERED_BY_CREDIT)."""
    invoice = data.draw(dunnable_invoices(currency="EUR"))
    rules = data.draw(dunning_rules(currency="EUR", min_active=1))
    account = data.draw(customer_accounts(customer_id=invoice.customer.id, currency="EUR"))
    day = data.draw(dates(min_value=invoice.due_date, max_value=D(2031, 12, 31)))
    credit = account.credit("EUR", today=day)
    action = next_dunning_action(invoice, rules, today=day, account=account)
    if isinstance(action, IssueStage):
        assert action.credit == credit < invoice.open_amount
        claim = invoice.open_amount + action.fee + action.interest
        assert action.open_amount == claim - credit
        assert action.open_amount <= invoice.open_amount + action.fee + action.interest - credit
        assert action.open_amount.is_positive
    elif isinstance(action, NoAction) and action.reason is NoActionReason.COVERED_BY_CREDIT:
        assert credit >= invoice.open_amount


@given(
    account=customer_accounts(customer_id="C-1", currency="EUR", max_size=8),
    cents=st.integers(min_value=1, max_value=20_000),
)
def test_no_cent_of_credit_is_lost_law(account: CustomerAccount, cents: int) -> None:
    """Law: at any day, the credit kept equals the credit left plus the credit used; booking
    credit onto an invoice moves exactly the amount from the account to the invoice."""
    last = account.history[-1].on if account.history else D(2020, 1, 1)
    left = account.credit("EUR", today=last)
    assert account.credit_kept("EUR") == left + account.credit_used("EUR")
    assert not left.is_negative
    invoice = sent(
        str(Decimal(cents).scaleb(-2)), issue_date=D(2019, 12, 1), due_date=D(2019, 12, 15)
    )
    if not left.is_positive:
        return
    used = use_credit(account, invoice, on=last, actor=AUTOMATIC, authority=Authority())
    moved = min(left, invoice.open_amount)
    assert used.amount == moved
    assert used.invoice.paid - invoice.paid == moved
    assert used.account.credit("EUR", today=last) == left - moved
    assert used.account.credit_kept("EUR") == (
        used.account.credit("EUR", today=last) + used.account.credit_used("EUR")
    )


def test_an_overpayment_is_kept_as_credit_once_per_payment() -> None:
    """Issue 21, finding 5: keeping the same payment's overpayment twice would double the
    credit (62.00 for 31.00 overpaid), which use_credit then books as payments; the second
    keep is refused naming the invoice, and the account records which payment it kept."""
    result = record_payment(
        sent(number="RE-1"),
        Payment(on=DUE, amount=eur("150.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    account = keep_overpayment(EMPTY, result, actor=AUTOMATIC, authority=Authority())
    assert account.history[-1].source == f"{result.invoice.id}#{len(result.invoice.history) - 1}"
    with pytest.raises(InvalidValueError) as refused:
        keep_overpayment(account, result, actor=AUTOMATIC, authority=Authority())
    assert (refused.value.field, refused.value.value) == ("keep_overpayment.result", "RE-1")
    assert "not kept yet" in refused.value.expected
    assert account.credit("EUR", today=DUE) == eur("31.00")
    twice = attrs.evolve(account.history[-1])
    with pytest.raises(InvalidValueError, match=r"history\[1\].source"):
        attrs.evolve(account, history=(*account.history, twice))
    with pytest.raises(InvalidValueError, match="AccountChange.source"):
        attrs.evolve(twice, kind=AccountChangeKind.CREDIT_USED)


def test_a_hand_built_payment_result_is_checked_against_its_invoice() -> None:
    """Issue 21, finding 10 (payment results): keep_overpayment keeps only what the payment
    left over on the invoice it was recorded on; a result claiming another overpayment, a
    payment not booked on the invoice, or an invoice whose last step is no settling payment
    is refused with an InvalidValueError naming the result's field."""
    result = record_payment(
        sent(number="RE-1"),
        Payment(on=DUE, amount=eur("150.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    other = record_payment(
        sent(number="RE-2"),
        Payment(on=DUE, amount=eur("20.00")),
        actor=AUTOMATIC,
        authority=Authority(),
    )
    bad = {
        "overpayment": attrs.evolve(result, overpayment=eur("1000.00")),
        "payment": attrs.evolve(result, payment=other.payment),
        "invoice": attrs.evolve(result, invoice=sent(number="RE-1")),
    }
    for field, forged in bad.items():
        with pytest.raises(InvalidValueError) as refused:
            keep_overpayment(EMPTY, forged, actor=AUTOMATIC, authority=Authority())
        assert refused.value.field == f"keep_overpayment.result.{field}"
    with pytest.raises(InvalidValueError, match=r"keep_overpayment.result.overpayment"):
        keep_overpayment(
            EMPTY,
            attrs.evolve(other, overpayment=Money("1.00", "CHF")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
    with pytest.raises(InvalidTypeError, match=r"keep_overpayment.result.invoice"):
        keep_overpayment(
            EMPTY,
            attrs.evolve(other, invoice="RE-2"),  # type: ignore[arg-type]
            actor=AUTOMATIC,
            authority=Authority(),
        )
    assert keep_overpayment(EMPTY, other, actor=AUTOMATIC, authority=Authority()) == EMPTY


@given(
    paid=st.lists(st.integers(1, 300), min_size=1, max_size=4),
    again=st.lists(st.integers(0, 3), max_size=4),
)
def test_credit_is_kept_per_payment_at_most_once_law(paid: list[int], again: list[int]) -> None:
    """Law: keeping the overpayments of payments on 119.00 invoices, some results given
    again, the credit kept is exactly the sum of the payments' overpayments, each once: a
    result kept already is refused and changes nothing."""
    results = [
        record_payment(
            sent(number=f"RE-{n}"),
            Payment(on=DUE, amount=eur(f"{amount}.00")),
            actor=AUTOMATIC,
            authority=Authority(),
        )
        for n, amount in enumerate(paid)
    ]
    account = EMPTY
    for result in [*results, *(results[i % len(results)] for i in again)]:
        try:
            account = keep_overpayment(account, result, actor=AUTOMATIC, authority=Authority())
        except InvalidValueError:
            assert result.overpayment.is_positive
    assert account.credit_kept("EUR") == sum((r.overpayment for r in results), Money.zero("EUR"))
