"""Errors name what users know: a refusal or explanation about an invoice names it by the
number it was sent as, with the draft id beside it where they differ (``Invoice.known_as``),
never by the draft id alone (issue 22)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

import attrs
import pytest

from builders import ACME, DORA, RITA, SAM, SEED_RULES, eur, line
from dunlib import (
    AUTOMATIC,
    Authority,
    Command,
    Customer,
    CustomerAccount,
    Decision,
    DunlibError,
    DunningLetter,
    Escalate,
    Escalation,
    Invoice,
    IssueStage,
    NumberSequence,
    Payment,
    add_line,
    ageing,
    as_of,
    cancel,
    create_draft,
    derive_invoice,
    group_letters,
    keep_overpayment,
    match_payments,
    merge_drafts,
    next_dunning_action,
    plan,
    prepare_letter,
    record_escalation,
    record_interest,
    record_payment,
    record_stage,
    record_stages,
    send,
    send_letter,
    send_order_invoice,
    simulate,
    transition,
    use_credit,
)
from dunlib.analytics import Comparison
from dunlib.billing import Order, OrderItem, OrderState
from dunlib.core import InterestCharge
from dunlib.testing import assert_decision, assert_schedule

DRAFTED = dt.date(2026, 1, 5)
LATER = dt.date(2026, 2, 18)
"""A month after the due date: the seed rules' reminder is due."""
FOUR = Authority(eyes=4)
KNOWN_AS = "RE-2026-0042 (id D-7)"


def _sent_from_draft() -> tuple[Invoice, NumberSequence]:
    """Draft D-7, drafted, reviewed and sent as RE-2026-0042; and the sequence after it."""
    draft = create_draft(
        id="D-7", customer=ACME, currency="EUR", actor=DORA, on=DRAFTED, lines=[line()]
    )
    created = transition(draft, Command.SUBMIT, actor=DORA, on=DRAFTED, authority=FOUR)
    reviewed = transition(created, Command.APPROVE, actor=RITA, on=DRAFTED, authority=FOUR)
    sequence = NumberSequence(prefix="RE-2026-", next_value=42, width=4)
    done = send(reviewed, actor=SAM, on=DRAFTED, authority=FOUR, sequence=sequence)
    return done.invoice, done.sequence


INVOICE, SEQUENCE = _sent_from_draft()
OTHER = create_draft(
    id="D-8", customer=ACME, currency="EUR", actor=DORA, on=DRAFTED, lines=[line()]
)
STAGE = cast("IssueStage", next_dunning_action(INVOICE, SEED_RULES, today=LATER))
DECISION = Decision(invoice=INVOICE, action=STAGE)
ELSEWHERE = attrs.evolve(INVOICE, customer=Customer(id="C-2", name="Erika Mustermann"))
"""The same invoice billed to another customer."""
NOT_RULES = cast("Any", lambda invoice: "no rules")
BEFORE = DRAFTED - dt.timedelta(days=1)
ESCALATE_ANOTHER = Escalate(
    invoice_id="D-9",
    escalation=Escalation.COLLECTION,
    on=LATER,
    due_since=LATER,
    level=3,
    open_amount=eur("119.00"),
)


def _changed_before_the_notice_is_sent() -> None:
    prepared = prepare_letter(group_letters([DECISION])[0], actor=AUTOMATIC, authority=FOUR)
    paid = record_payment(
        INVOICE, Payment(on=LATER, amount=eur("1.00")), actor=AUTOMATIC, authority=FOUR
    ).invoice
    send_letter(prepared, [paid], on=LATER, authority=FOUR, actor=AUTOMATIC)


def _overpayment_kept_on_another_account() -> None:
    overpaid = record_payment(
        INVOICE, Payment(on=LATER, amount=eur("500.00")), actor=AUTOMATIC, authority=FOUR
    )
    keep_overpayment(CustomerAccount(customer_id="C-9"), overpaid, actor=AUTOMATIC, authority=FOUR)


def _booked_invoice_sent_from_an_order() -> None:
    order = Order(
        id="A-1",
        customer=ACME,
        currency="EUR",
        state=OrderState.DONE,
        items=[OrderItem(id="1", line=line())],
    )
    send_order_invoice(INVOICE, order, actor=SAM, on=LATER, authority=FOUR, sequence=SEQUENCE)


def _schedules_of_two_invoices_compared() -> None:
    other = record_payment(
        INVOICE, Payment(on=LATER, amount=eur("1.00")), actor=AUTOMATIC, authority=FOUR
    ).invoice
    Comparison(
        a=simulate(INVOICE, SEED_RULES, LATER),
        b=simulate(attrs.evolve(other, id="D-9"), SEED_RULES, LATER),
    )


REFUSALS: dict[str, Callable[[], object]] = {
    "add_line on a sent invoice": lambda: add_line(
        INVOICE, line(), actor=DORA, on=LATER, authority=FOUR
    ),
    "merge_drafts with a sent invoice": lambda: merge_drafts(
        [INVOICE, OTHER], actor=DORA, on=LATER, authority=FOUR
    ),
    "record_payment before the last step": lambda: record_payment(
        INVOICE, Payment(on=BEFORE, amount=eur("1.00")), actor=AUTOMATIC, authority=FOUR
    ),
    "record_interest before the last step": lambda: record_interest(
        INVOICE,
        InterestCharge(on=BEFORE, amount=eur("1.00")),
        actor=AUTOMATIC,
        authority=FOUR,
    ),
    "cancel with the original's id": lambda: cancel(
        INVOICE, id="D-7", actor=SAM, on=LATER, sequence=SEQUENCE, authority=FOUR
    ),
    "derive_invoice with a line it has not": lambda: derive_invoice(
        INVOICE, id="D-9", actor=DORA, on=LATER, selection=[5]
    ),
    "as_of before it was booked": lambda: as_of(INVOICE, today=BEFORE),
    "record_stage of another invoice's stage": lambda: record_stage(
        INVOICE, attrs.evolve(STAGE, invoice_id="D-9"), actor=AUTOMATIC, authority=FOUR
    ),
    "record_escalation of another invoice's escalation": lambda: record_escalation(
        INVOICE, ESCALATE_ANOTHER, actor=AUTOMATIC, authority=FOUR
    ),
    "a Decision with another invoice's action": lambda: Decision(
        invoice=INVOICE, action=attrs.evolve(STAGE, invoice_id="D-9")
    ),
    "group_letters with an invoice twice": lambda: group_letters([DECISION, DECISION]),
    "a DunningLetter with an invoice twice": lambda: DunningLetter(decisions=(DECISION, DECISION)),
    "a DunningLetter with another customer's invoice": lambda: DunningLetter(
        decisions=(DECISION, Decision(invoice=ELSEWHERE, action=STAGE))
    ),
    "plan with a rules function giving no rules": lambda: list(
        plan([INVOICE], NOT_RULES, today=LATER)
    ),
    "simulate with a rules function giving no rules": lambda: simulate(INVOICE, NOT_RULES, LATER),
    "record_stages with an invoice twice": lambda: record_stages(
        [INVOICE, INVOICE], [DECISION], actor=AUTOMATIC, authority=FOUR
    ),
    "record_stages with a decision twice": lambda: record_stages(
        [INVOICE], [DECISION, DECISION], actor=AUTOMATIC, authority=FOUR
    ),
    "record_stages with a decision about an invoice not given": lambda: record_stages(
        [OTHER], [DECISION], actor=AUTOMATIC, authority=FOUR
    ),
    "send_letter with an invoice twice": lambda: send_letter(
        prepare_letter(DECISION, actor=AUTOMATIC, authority=FOUR),
        [INVOICE, INVOICE],
        on=LATER,
        authority=FOUR,
        actor=AUTOMATIC,
    ),
    "send_letter with the invoice changed": _changed_before_the_notice_is_sent,
    "use_credit from another customer's account": lambda: use_credit(
        CustomerAccount(customer_id="C-9"),
        INVOICE,
        on=LATER,
        actor=AUTOMATIC,
        authority=FOUR,
    ),
    "use_credit with no credit kept": lambda: use_credit(
        CustomerAccount(customer_id=ACME.id),
        INVOICE,
        on=LATER,
        actor=AUTOMATIC,
        authority=FOUR,
    ),
    "keep_overpayment on another customer's account": _overpayment_kept_on_another_account,
    "send_order_invoice with a booked invoice": _booked_invoice_sent_from_an_order,
    "a Comparison of two invoices' schedules": _schedules_of_two_invoices_compared,
    "ageing with an invoice twice": lambda: ageing([INVOICE, INVOICE], today=LATER),
    "match_payments with an invoice twice": lambda: match_payments([], [INVOICE, INVOICE]),
}


@pytest.mark.parametrize("attempt", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refusal_names_the_invoice_by_its_number_and_draft_id(
    attempt: Callable[[], object],
) -> None:
    """Every refusal about invoice D-7, sent as RE-2026-0042, names it "RE-2026-0042 (id
    D-7)": by the number its users know, with the draft id beside it."""
    with pytest.raises(DunlibError) as refused:
        attempt()
    assert KNOWN_AS in str(refused.value)


def test_the_testing_kits_assertions_name_the_invoice_by_its_number() -> None:
    """assert_schedule and assert_decision (given the run's Decision) name the invoice they
    compare by its number and draft id."""
    with pytest.raises(AssertionError, match=r"schedule of RE-2026-0042 \(id D-7\)"):
        assert_schedule(simulate(INVOICE, SEED_RULES, DRAFTED), [("reminder", 14, "0.00")])
    with pytest.raises(AssertionError, match=r"decision about RE-2026-0042 \(id D-7\)"):
        assert_decision(DECISION, Escalation.COLLECTION)
