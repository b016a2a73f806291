"""A letter's whole life (issue 23): a way out for every letter on its way (withdrawn,
superseded, rejected even once approved), what a rejection means for the next runs, one
letter per customer on purpose, and the life's diagram generated from its table."""

from __future__ import annotations

import datetime as dt
import pathlib

import attrs
import pytest

from builders import ANN, FOUR, RITA, SEED_RULES, eur, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    DispatchMode,
    DunningRules,
    Hold,
    HoldKind,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    IssueStage,
    NoAction,
    NoActionReason,
    Payment,
    PermissionDeniedError,
    PreparedLetter,
    approve_letter,
    group_letters,
    place_hold,
    plan,
    prepare_letter,
    record_payment,
    reject_letter,
    send_letter,
    supersede_letters,
    withdraw_letter,
)
from dunlib.core import LetterStateError
from dunlib.portfolio import LetterState, Rejection, render_life

MAY_24, MAY_25 = dt.date(2026, 5, 24), dt.date(2026, 5, 25)

APPROVAL_RULES = DunningRules(
    stages=tuple(
        attrs.evolve(stage, dispatch=DispatchMode.AFTER_APPROVAL) for stage in SEED_RULES.stages
    )
)


def _prepared(rules: DunningRules = APPROVAL_RULES) -> tuple[Invoice, PreparedLetter]:
    invoice = sent()
    (letter,) = group_letters(plan([invoice], rules, today=MAY_24))
    return invoice, prepare_letter(letter, actor=AUTOMATIC, authority=Authority())


def test_a_letter_whose_invoice_changed_is_superseded_and_the_run_decides_afresh() -> None:
    """Issue 23, finding 3: after a payment on RE-2026-0001 its prepared letter can no longer
    be sent; before, the run passed over the invoice for good while the letter was handed
    to it as waiting. Now the run decides the changed invoice afresh even with the stale
    letter waiting, and ``supersede_letters`` moves the letter to SUPERSEDED (by the run,
    the changed invoice named), after which it holds nothing."""
    invoice, prepared = _prepared()
    paid = record_payment(
        invoice, Payment(on=MAY_25, amount=eur("20.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    approved = approve_letter(prepared, actor=RITA, on=MAY_25, authority=FOUR)
    with pytest.raises(InvalidValueError, match="changed"):
        send_letter(approved, [paid], actor=ANN, on=MAY_25, authority=FOUR)
    (again,) = plan([paid], APPROVAL_RULES, today=MAY_25, waiting=[prepared])
    assert isinstance(again.action, IssueStage)
    assert again.action.open_amount == eur("99.00")
    (done,) = supersede_letters(
        [prepared], [paid], actor=AUTOMATIC, on=MAY_25, authority=Authority()
    )
    assert done.state is LetterState.SUPERSEDED
    assert done.steps[-1].actor == AUTOMATIC.id
    assert "RE-2026-0001" in done.steps[-1].note
    assert not done.holds(invoice, today=MAY_25)
    (unchanged,) = supersede_letters(
        [prepared], [invoice], actor=AUTOMATIC, on=MAY_25, authority=Authority()
    )
    assert unchanged == prepared
    with pytest.raises(LetterStateError, match="it is SUPERSEDED"):
        send_letter(done, [paid], actor=ANN, on=MAY_25, authority=FOUR)


def test_a_hold_supersedes_a_letter_too() -> None:
    """A dispute hold placed after the letter was prepared changes the invoice: the letter
    is superseded, and the run then passes over the held invoice for its own reason."""
    invoice, prepared = _prepared()
    held = place_hold(
        invoice,
        Hold(kind=HoldKind.DISPUTE, on=MAY_25, reason="wrong amount"),
        actor=ANN,
        authority=Authority(),
    )
    (done,) = supersede_letters([prepared], [held], actor=ANN, on=MAY_25, authority=Authority())
    assert done.state is LetterState.SUPERSEDED
    (why,) = plan([held], APPROVAL_RULES, today=MAY_25, explain=True, waiting=[done])
    assert isinstance(why.action, NoAction)
    assert why.action.reason is not NoActionReason.LETTER_WAITING


def test_an_approved_letter_can_still_be_rejected_or_withdrawn() -> None:
    """Issue 23, finding 3: an APPROVED letter could not be rejected. Now a reviewer rejects
    it, or withdraws it, until it is sent; a sent letter takes neither."""
    invoice, prepared = _prepared()
    approved = approve_letter(prepared, actor=RITA, on=MAY_25, authority=FOUR)
    rejected = reject_letter(approved, actor=RITA, on=MAY_25, authority=FOUR, reason="no")
    assert [s.state for s in rejected.steps][-2:] == [LetterState.APPROVED, LetterState.REJECTED]
    assert rejected.rejection is Rejection.UNTIL_CHANGED
    withdrawn = withdraw_letter(approved, actor=RITA, on=MAY_25, authority=FOUR, reason="paid")
    assert withdrawn.state is LetterState.WITHDRAWN
    assert withdrawn.steps[-1].note == "paid"
    assert list(plan([invoice], APPROVAL_RULES, today=MAY_25, waiting=[withdrawn])) != []
    sent_letter = send_letter(approved, [invoice], actor=ANN, on=MAY_25, authority=FOUR).letter
    for step in (reject_letter, withdraw_letter):
        with pytest.raises(LetterStateError, match="it is SENT"):
            step(sent_letter, actor=RITA, on=MAY_25, authority=FOUR)


def test_withdrawing_and_superseding_are_rights_of_the_table() -> None:
    """WITHDRAW_LETTER is a reviewer's or an accountant's; SUPERSEDE_LETTER the run's or an
    accountant's: a clerk may do neither (checked on every invoice by the booking path)."""
    from dunlib import Actor

    clerk = Actor(id="carl", roles=frozenset({"clerk"}))
    invoice, prepared = _prepared()
    with pytest.raises(PermissionDeniedError, match="WITHDRAW_LETTER"):
        withdraw_letter(prepared, actor=clerk, on=MAY_25, authority=Authority())
    paid = record_payment(
        invoice, Payment(on=MAY_25, amount=eur("20.00")), actor=AUTOMATIC, authority=Authority()
    ).invoice
    with pytest.raises(PermissionDeniedError, match="SUPERSEDE_LETTER"):
        supersede_letters([prepared], [paid], actor=clerk, on=MAY_25, authority=Authority())


def test_one_letter_per_customer_waits_whole_for_its_approval() -> None:
    """Issue 23, finding 5, chosen on purpose: a customer gets one letter per run and
    currency, so when one of its stages is sent after approval the whole letter waits,
    the automatic reminders of the customer's other invoices included (one letter listing
    every invoice, not an automatic letter now and a second one days later). The run
    holds every invoice of it until it is sent, rejected, withdrawn or superseded."""
    first = sent()
    second = sent(number="RE-2026-0002", due_date=dt.date(2026, 5, 10))
    approval_first = DunningRules(
        stages=(
            attrs.evolve(SEED_RULES.stages[0], dispatch=DispatchMode.AFTER_APPROVAL),
            *SEED_RULES.stages[1:],
        )
    )
    decisions = list(plan([first, second], approval_first, today=MAY_24))
    (letter,) = group_letters(decisions)
    assert [d.invoice.number for d in letter.decisions] == ["RE-2026-0001", "RE-2026-0002"]
    assert letter.dispatch is DispatchMode.AFTER_APPROVAL
    prepared = prepare_letter(letter, actor=AUTOMATIC, authority=Authority())
    assert prepared.needs_approval
    reasons = plan([first, second], approval_first, today=MAY_25, explain=True, waiting=[prepared])
    assert [d.action for d in reasons] == [
        NoAction(invoice_id=first.id, reason=NoActionReason.LETTER_WAITING),
        NoAction(invoice_id=second.id, reason=NoActionReason.LETTER_WAITING),
    ]


def test_a_rejection_rule_is_a_rejected_step_s_alone() -> None:
    """``LetterStep.rejection`` is set on a REJECTED step only; the prepared letter reads
    None there as UNTIL_CHANGED."""
    _, prepared = _prepared()
    first = prepared.steps[0]
    with pytest.raises(InvalidValueError, match="LetterStep.rejection"):
        attrs.evolve(first, rejection=Rejection.NEVER)
    rejected = reject_letter(
        prepared,
        actor=RITA,
        on=MAY_25,
        authority=FOUR,
        rejection=Rejection.NEVER,
    )
    assert rejected.rejection is Rejection.NEVER
    plain = attrs.evolve(
        rejected, steps=(*rejected.steps[:-1], attrs.evolve(rejected.steps[-1], rejection=None))
    )
    assert plain.rejection is Rejection.UNTIL_CHANGED
    assert prepared.rejection is None


DOC = pathlib.Path(__file__).resolve().parent.parent / "docs" / "daily-run.md"
BEGIN = "```mermaid\n"


def test_the_docs_show_the_life_generated_from_its_table() -> None:
    """docs/daily-run.md shows exactly render_life() as its state diagram (no drift)."""
    text = DOC.read_text(encoding="utf-8")
    start = text.index(BEGIN) + len(BEGIN)
    assert text[start : text.index("```", start)] == render_life()
    assert "APPROVED --> REJECTED" in render_life()
    assert "PREPARED --> SUPERSEDED" in render_life()


def test_bad_input_to_the_life_s_new_steps_is_refused_by_name() -> None:
    """A rejection that is not a Rejection, an invoice passed twice to supersede_letters:
    typed errors naming the field; a letter holds no invoice it does not list."""
    invoice, prepared = _prepared()
    with pytest.raises(InvalidTypeError, match="reject_letter.rejection"):
        reject_letter(prepared, actor=RITA, on=MAY_25, authority=FOUR, rejection="never")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"supersede_letters.invoices\[1\].id"):
        supersede_letters(
            [prepared], [invoice, invoice], actor=AUTOMATIC, on=MAY_25, authority=Authority()
        )
    other = sent(number="RE-2026-0009")
    assert not prepared.holds(attrs.evolve(other, id="D-9"), today=MAY_25)
