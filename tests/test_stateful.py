"""The shipped stateful machine (dunlib.testing.machine): its audit finds each kind of breach, its
steps check what they book, and a subclass runs it with its own rules, policies and
permissions. The machine itself runs in test_machine.py."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

import attrs
import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from dunlib import (
    Actor,
    Authority,
    Command,
    Decision,
    DunningRules,
    DunningStage,
    Escalate,
    Escalation,
    Hold,
    HoldKind,
    Invoice,
    IssueStage,
    Money,
    StageKind,
    Status,
    TriggerBasis,
    group_letters,
)
from dunlib.core import EventKind
from dunlib.core.transitions import AUTOMATION, ROWS, RowKind
from dunlib.portfolio import Rejection
from dunlib.testing.machine import (
    CAST,
    CUSTOMERS,
    ReceivablesMachine,
    cancelling_breaches,
    history_breaches,
    kit_rules,
    letter_breaches,
)
from dunlib.workflow import Permissions

DORA, RITA, SAM, ANN, ROBOT = CAST[:5]
DUE = dt.date(2026, 1, 19)
"""The due date of the invoices the machine starts with (D-2 and D-4, sent on START)."""


class KitMachine(ReceivablesMachine):
    """The kit's machine as shipped."""


def started(eyes: int = 2, *, approval: bool = False) -> KitMachine:
    """A machine after its start: drafts D-1 and D-3, sent invoices D-2 (ACME) and D-4
    (the consumer), due on DUE, under ``eyes``; driven by hand, step by step."""
    machine = KitMachine()
    machine.start(Authority(eyes=eyes), approval, Escalation.COLLECTION, (), 0)
    return machine


def laws_hold(machine: ReceivablesMachine) -> None:
    """Every invariant of the machine, checked as after a step."""
    machine.every_invoice_is_a_state_the_table_can_produce()
    machine.money_is_conserved_per_invoice()
    machine.money_is_conserved_per_customer_with_credit()
    machine.nobody_did_what_their_role_or_the_eyes_policy_forbids()
    machine.invoice_numbers_are_unique_and_gapless()
    machine.a_customer_notice_lists_an_invoice_once()
    machine.a_series_bills_each_item_once()


def without(actors: dict[str, Actor], name: str) -> dict[str, Actor]:
    """``actors`` with ``name`` holding no role."""
    return {**actors, name: Actor(id=name, roles=set())}


def test_the_audit_finds_every_breach_of_rights_and_eyes_in_an_invoice_s_history() -> None:
    """history_breaches names a step by someone without the row's role or unknown, a step
    no row records, a skip by a person, a draft created outside DRAFT, and the drafter
    who reviews (6 eyes), the drafter who sends (4) and the reviewer who sends (6)."""
    machine = started()
    sent = machine.invoices["D-2"]  # submitted by dora, approved by rita, sent by sam
    assert history_breaches(sent, machine.actors, (), 6) == []
    machine.step_by(machine.invoices["D-3"], DORA, Command.SUBMIT)
    machine.step_by(machine.invoices["D-3"], RITA, Command.REJECT)
    assert machine.invoices["D-3"].status is Status.DRAFT
    assert history_breaches(machine.invoices["D-3"], machine.actors, (), 6) == []
    assert any(
        "sam holds none of" in b
        for b in history_breaches(sent, without(machine.actors, "sam"), (), 6)
    )
    unknown = {key: actor for key, actor in machine.actors.items() if key != "rita"}
    assert any("no known actor ('rita')" in b for b in history_breaches(sent, unknown, (), 6))
    assert any(
        "rita drafted and reviewed" in b
        for b in history_breaches(sent, machine.actors, ["rita"], 6)
    )
    assert any(
        "sam drafted and sent" in b for b in history_breaches(sent, machine.actors, ["sam"], 4)
    )
    ann_alone = machine.invoices["D-1"]
    machine.step_by(ann_alone, DORA, Command.SUBMIT)
    machine.step_by(machine.invoices["D-1"], ANN, Command.APPROVE)
    machine.send_by(machine.invoices["D-1"], ANN)
    assert machine.invoices["D-1"].status is Status.SENT  # 2 eyes allow it
    assert any(
        "ann reviewed and sent" in b
        for b in history_breaches(machine.invoices["D-1"], machine.actors, (), 6)
    )

    skip = next(row for row in ROWS if row.kind is RowKind.SKIP)
    forged = [
        SimpleNamespace(
            kind=EventKind.CREATED, from_status=Status.DRAFT, to_status=Status.SENT, actor="dora"
        ),
        SimpleNamespace(
            kind=EventKind.PAYMENT, from_status=Status.DRAFT, to_status=Status.DRAFT, actor="sam"
        ),
        SimpleNamespace(
            kind=EventKind.TRANSITION, from_status=skip.source, to_status=skip.target, actor="ann"
        ),
    ]
    breaches = history_breaches(
        cast("Invoice", SimpleNamespace(id="X-1", history=forged)), machine.actors, (), 2
    )
    assert [b.split(": ", 1)[1].split(" (")[0] for b in breaches][:2] == [
        "a draft created outside DRAFT",
        "no row of the table, or no known actor",
    ]
    assert any("a skip by ann under 2 eyes" in b for b in breaches)


def test_the_audit_finds_a_cancelling_of_an_uncancelled_invoice_or_without_the_right() -> None:
    """cancelling_breaches names a cancelling invoice whose original is not cancelled, and a
    cancellation by someone without the CANCEL row's roles."""
    machine = started()
    original = machine.invoices["D-2"]
    done = machine._cancel(original, "S-1", SAM, machine.today, machine.sequence)
    assert cancelling_breaches(done.cancelling, done.original, machine.actors) == []
    assert cancelling_breaches(done.cancelling, original, machine.actors) == [
        f"{done.cancelling.id}: cancels D-2, which is not cancelled"
    ]
    assert cancelling_breaches(done.cancelling, done.original, without(machine.actors, "sam")) == [
        "D-2: cancelled by sam without the right"
    ]
    made = machine._record_document(done.cancelling, Command.MAKE_DOCUMENT, SAM, machine.today)
    assert cancelling_breaches(made, done.original, machine.actors) == []
    assert cancelling_breaches(
        made, done.original, {**machine.actors, "sam": Actor(id="sam", roles=set())}
    ) == [
        f"{made.id} document_made: sam has no right",
        "D-2: cancelled by sam without the right",
    ]
    strange = attrs.evolve(
        made, history=(*made.history[:3], attrs.evolve(made.history[3], actor="x"))
    )
    assert cancelling_breaches(strange, done.original, machine.actors) == [
        f"{made.id} document_made: not a document of the table"
    ]


def test_the_audit_finds_a_notice_prepared_approved_and_sent_by_one_person() -> None:
    """letter_breaches names a step by someone without the role, the preparer who approves
    (4 eyes) and the preparer or approver who sends (6 eyes)."""
    machine = started(2)
    machine.today = DUE
    decision = machine._decide(machine.invoices["D-2"], DUE)
    (notice,) = group_letters([decision])
    assert machine.prepare_by(ANN, notice, True)
    machine.decide_by(0, ANN, True)
    machine.send_letter_by(0, ANN, False)
    prepared = machine.prepared[0]
    assert letter_breaches(prepared, machine.actors, 2) == []
    assert letter_breaches(prepared, machine.actors, 6) == [
        "ann prepared and approved a letter",
        "ann prepared or approved the letter it sent",
    ]
    assert any(
        "ann may not PREPARE_LETTER" in b
        for b in letter_breaches(prepared, without(machine.actors, "ann"), 2)
    )


def test_a_document_booked_under_a_hold_fails_the_machine() -> None:
    """The machine's check of a booking fails a document dated while a hold holds."""
    machine = started()
    machine.today = DUE
    action = machine._decide(machine.invoices["D-2"], DUE).action
    assert isinstance(action, IssueStage)
    machine.hold_by(machine.invoices["D-2"], ROBOT, Hold.dispute(on=DUE, reason="contested"))
    held = machine.invoices["D-2"]
    with pytest.raises(AssertionError, match="booked under a hold or a pause"):
        machine._booked_as_decided(held, held, action, None)


def test_the_machine_s_steps_by_the_right_people_book_and_keep_every_law() -> None:
    """Driven by hand: the daily run books its documents (a held invoice gets none), an
    overpayment is kept as credit, a notice the wrong person prepares is refused, the
    dunning of an invoice is followed step by step; every law holds after each."""
    machine = started(4, approval=True)
    machine.hold_by(
        machine.invoices["D-4"], ROBOT, Hold.dispute(on=machine.today, reason="contested")
    )
    machine.today = DUE - dt.timedelta(days=3)
    machine.run_by(ROBOT, twice=False, book=True, every=True, approval=False)
    assert len(machine.invoices["D-2"].issued_stages) == 1
    assert machine.invoices["D-4"].issued_stages == ()
    laws_hold(machine)
    machine.pay_by(machine.invoices["D-2"], ROBOT, "over")
    machine.keep_overpayment_by(ROBOT, 0, other_customer=False, forged=False)
    assert machine.accounts["C-1"].credit("EUR", today=DUE).is_positive
    laws_hold(machine)
    other = started(4)
    other.today = DUE
    decision = other._decide(other.invoices["D-2"], DUE)
    other.letter_life(decision, DORA, RITA, SAM)  # a clerk may not prepare a notice
    assert other.prepared == []
    other.dun_by(other.invoices["D-4"], False, steps=1)
    assert len(other.invoices["D-4"].issued_stages) == 1
    laws_hold(other)


def ladder(invoice: Invoice) -> DunningRules:
    """A user's ladder: a reminder 10 days after the due date, a notice with 7.50 EUR after
    30, the notice for consumers and from 50.00 EUR open only."""
    return DunningRules(
        stages=(
            DunningStage(StageKind.REMINDER, days_overdue=10, basis=TriggerBasis.DUE_DATE),
            DunningStage(
                StageKind.NOTICE,
                days_overdue=30,
                basis=TriggerBasis.DUE_DATE,
                fee=Money("7.50", "EUR"),
                active=invoice.open_amount >= Money("50.00", "EUR"),
            ),
        ),
        escalation=Escalation.COLLECTION,
        escalation_days=14,
    )


class OwnRulesMachine(ReceivablesMachine):
    """A user's subclass: their ladder as a rules function, 6 eyes only, and automatic
    processes not allowed to book payments on a sent invoice."""

    dunning_rules = staticmethod(ladder)
    policies = (Authority(eyes=6),)
    permissions = Permissions.from_table().revoking(Status.SENT, Command.PAY, AUTOMATION)


class FixedRulesMachine(ReceivablesMachine):
    """A subclass giving one DunningRules value."""

    dunning_rules = kit_rules(approval=True, escalation=Escalation.BLOCK_SERVICE)


@pytest.mark.parametrize("machine", [OwnRulesMachine, FixedRulesMachine])
def test_a_subclass_with_its_own_rules_policies_and_permissions_keeps_every_law(
    machine: type[ReceivablesMachine],
) -> None:
    """A subclass's rules (a function or a value), policies and permissions are the ones
    every step and the audit use, and every law holds."""
    run_state_machine_as_test(
        machine, settings=settings(max_examples=5, stateful_step_count=20, deadline=None)
    )


def test_a_subclass_starts_with_modest_settings_it_can_change() -> None:
    """A subclass's test runs 25 runs of at most 40 steps unless it says otherwise."""
    assert OwnRulesMachine.TestCase.settings.max_examples == 25
    assert OwnRulesMachine.TestCase.settings.stateful_step_count == 40

    @settings(max_examples=3)
    class Quick(ReceivablesMachine):
        pass

    assert Quick.TestCase.settings.max_examples == 3


def test_a_broken_law_fails_the_machine_even_under_python_o() -> None:
    """The machine checks its laws with a function, not ``assert`` statements, which
    ``python -O`` drops: a law that does not hold raises AssertionError with its reason."""
    from dunlib.testing.machine._model import _law

    _law(True, "holds")
    with pytest.raises(AssertionError, match="a refused step changed argument 0"):
        _law(False, "a refused step changed argument 0")
    code = (
        "from dunlib.testing.machine._model import _law\n"
        "try:\n    _law(False, 'x')\nexcept AssertionError:\n    print('raised')\n"
    )
    ran = subprocess.run(
        [sys.executable, "-O", "-c", code], capture_output=True, text=True, check=True
    )
    assert ran.stdout.strip() == "raised"


class _Drawn:
    """A stand-in for Hypothesis's data object that draws the last choice of every
    strategy it is given (the top of a range, the last element), to drive one rule by hand."""

    def draw(self, strategy: Any, label: object = None) -> Any:
        inner = getattr(strategy, "wrapped_strategy", strategy)
        elements = getattr(inner, "elements", None)
        if elements is not None:
            return elements[-1]
        return inner.end


def test_the_machine_s_escalation_and_letter_steps_by_hand() -> None:
    """Driven by hand: an escalation decided earlier is booked (stale), a rule meeting an
    invoice with nothing to escalate does nothing, an escalation by someone without the
    right is refused; a run whose actor may not supersede leaves the letters as they are;
    a letter sent on an approval written in by hand is refused. Every law holds after each."""
    machine = started(4, approval=True)
    machine.today = DUE + dt.timedelta(days=60)
    d2 = machine.invoices["D-2"]
    escalation = Escalate(
        invoice_id=d2.id,
        escalation=Escalation.COLLECTION,
        on=machine.today,
        due_since=machine.today,
        level=d2.dunning_level,
        open_amount=d2.open_amount,
    )
    machine.decisions.append((Decision(invoice=d2, action=escalation), machine.accounts["C-1"]))
    machine.escalate(cast("Any", _Drawn()), True)  # the stale decision: refused or booked
    machine.escalate(cast("Any", _Drawn()), False)  # today's decision: nothing to escalate
    machine.escalate_by(DORA, machine.invoices["D-2"], escalation, machine.accounts["C-1"])
    laws_hold(machine)
    other = started(4)
    other.today = DUE
    (letter,) = group_letters([other._decide(other.invoices["D-2"], DUE)])
    assert other.prepare_by(ROBOT, letter, True)
    other.pay_by(other.invoices["D-2"], ROBOT, "half")
    before = list(other.prepared)
    other.supersede_by(DORA)  # a clerk may not supersede: nothing changes
    assert other.prepared == before
    other.send_letter_by(0, ROBOT, True)  # an approval by a ghost: refused
    assert other.prepared == before
    laws_hold(other)


def test_the_machine_s_series_credit_and_by_hand_steps_by_hand() -> None:
    """Driven by hand (issue 24, items 8, 9, 11): the series bills V-1-1 (hosting and the
    setup) and V-1-2 (hosting) on 5 February; a send or delete of what is no series draft
    is refused; V-1-2 is deleted (its period due again), V-1-1 sent by the automatic actor
    under 2 eyes (the setup ticked); a positive draft is not booked by hand, a negative one
    is; an overpayment forged and kept for the other customer is refused; a letter on its
    way is withdrawn; the customer's credit is used on the series's invoice. Every law holds
    after each."""
    machine = started(2)
    machine.send_a_series_invoice(cast("Any", _Drawn()))  # no series draft yet: refused
    machine.delete_a_series_invoice(cast("Any", _Drawn()))
    machine.book_it_by_hand(cast("Any", _Drawn()))  # no negative draft: refused
    machine.today = dt.date(2026, 2, 5)
    machine.bill_the_series()
    assert sorted(k for k in machine.invoices if k.startswith("V-1-")) == ["V-1-1", "V-1-2"]
    machine.delete_a_series_invoice(cast("Any", _Drawn()))
    assert "V-1-2" not in machine.invoices
    assert machine.series.due_again == (1,)
    machine.send_a_series_invoice(cast("Any", _Drawn()))
    assert machine.invoices["V-1-1"].status is Status.SENT
    assert machine.series.items[1].flag.name == "BILLED"
    laws_hold(machine)
    machine.edit_a_line(cast("Any", _Drawn()), "add", "250.00", 0)
    negative = [k for k, i in machine.invoices.items() if i.gross.is_negative]
    assert negative
    machine.book_it_by_hand(cast("Any", _Drawn()))
    assert machine.invoices[negative[-1]].status is Status.PAID
    laws_hold(machine)
    machine.pay_by(machine.invoices["D-2"], ROBOT, "over")
    machine.keep_an_overpayment(cast("Any", _Drawn()), True, True)  # forged: refused
    machine.keep_an_overpayment(cast("Any", _Drawn()), False, False)
    machine.use_some_credit(cast("Any", _Drawn()), True)  # on V-1-1, the series's invoice
    assert machine.invoices["V-1-1"].payments
    laws_hold(machine)
    other = started(4)
    other.today = DUE
    (letter,) = group_letters([other._decide(other.invoices["D-2"], DUE)])
    assert other.prepare_by(ROBOT, letter, True)
    other.withdraw_a_letter(cast("Any", _Drawn()))
    assert other.prepared[0].state.name == "WITHDRAWN"
    laws_hold(other)


def test_the_machine_s_plan_and_recovery_steps_by_hand() -> None:
    """Driven by hand (issue 24, items 10 and 12): a plan for a cent less than is open is
    refused, one for what is open agreed; while it holds the engine says INSTALMENT_PLAN;
    instalments are paid in part and in full; the plan is cancelled, and a second
    cancellation is refused; a paused invoice under a plan is held for the pause. An invoice
    is dunned and written off, and money recovered: a cent, half, the rest and more (the
    overpayment kept apart); every law holds after each step."""
    machine = started()
    machine.today = DUE + dt.timedelta(days=3)
    machine.agree_plan_by(machine.invoices["D-2"], SAM, 3, 0, 2, waived=True, short=True)
    assert not machine.invoices["D-2"].instalment_plans
    machine.agree_plan_by(machine.invoices["D-2"], SAM, 3, 0, 2, waived=True, short=False)
    planned = machine.invoices["D-2"]
    assert len(planned.instalment_plans) == 1
    assert planned.instalment_plans[0].total == planned.open_amount
    plan_laws_hold(machine)
    machine.pay_instalment_by(machine.invoices["D-2"], ROBOT, "half")
    machine.pay_instalment_by(machine.invoices["D-2"], ROBOT, "instalment")
    machine.pay_instalment_by(machine.invoices["D-2"], ROBOT, "cent")
    state = machine.invoices["D-2"].instalment_plans
    assert len(machine.invoices["D-2"].payments) == 3
    assert state[0].cancelled_on is None
    plan_laws_hold(machine)
    machine.pause_by(machine.invoices["D-2"], SAM, True)
    plan_laws_hold(machine)
    machine.pause_by(machine.invoices["D-2"], SAM, False)
    machine.cancel_plan_by(machine.invoices["D-2"], SAM)
    assert machine.invoices["D-2"].instalment_plans[0].cancelled_on == machine.today
    machine.cancel_plan_by(machine.invoices["D-2"], SAM)
    assert machine.invoices["D-2"].history[-1].kind is EventKind.PLAN_CANCELLED
    plan_laws_hold(machine)

    machine.dun_by(machine.invoices["D-4"], False, steps=1)
    dunned = machine.invoices["D-4"]
    assert dunned.status is Status.DUNNED
    machine._store(machine._write_off(dunned, SAM, machine.today))
    for share in ("cent", "half", "more", "rest"):
        machine.recover_by(machine.invoices["D-4"], SAM, share)
        plan_laws_hold(machine)
    gone = machine.invoices["D-4"]
    assert gone.recovered == gone.written_off
    assert machine.recovered_over["D-4"] == Money("5.00", "EUR")
    assert len(gone.recoveries) == 3  # the last share found nothing left: refused


def test_a_document_booked_under_an_instalment_plan_fails_the_machine() -> None:
    """The machine's check of a booking fails a document dated while a plan holds; a hold
    lifted by hand lets the engine decide again."""
    machine = started()
    machine.today = DUE
    action = machine._decide(machine.invoices["D-2"], DUE).action
    assert isinstance(action, IssueStage)
    machine.agree_plan_by(machine.invoices["D-2"], SAM, 2, 5, 0, waived=False, short=False)
    planned = machine.invoices["D-2"]
    with pytest.raises(AssertionError, match="booked under an instalment plan"):
        machine._booked_as_decided(planned, planned, action, None)
    machine.hold_by(machine.invoices["D-4"], ROBOT, Hold.dispute(on=DUE, reason="contested"))
    machine.lift_by(machine.invoices["D-4"], ROBOT, HoldKind.DISPUTE)
    assert machine.invoices["D-4"].history[-1].kind is EventKind.HOLD_LIFTED
    plan_laws_hold(machine)


def plan_laws_hold(machine: ReceivablesMachine) -> None:
    """Every invariant of the machine, its plans' and recoveries' included."""
    laws_hold(machine)
    machine.a_kept_plan_holds_dunning()
    machine.recoveries_conserve_money()


def test_the_machine_s_rarer_steps_and_the_flat_fee_by_hand() -> None:
    """Driven by hand: a decision booked after a dispute placed the same day is refused; a
    reminder is prepared by hand, its rejection tried, and withdrawn (a second withdrawal
    refused); a decision
    booked after the consumer's interest was charged the same day is refused; the business
    invoice D-2 is dunned: its first reminder, the day after the due date, puts it in
    default, so the notice after it claims the flat fee (40.00 EUR on its 5.00 EUR fee) and
    no later one does; then it is written off. Every law holds after each."""
    machine = started(2)
    machine.today = DUE + dt.timedelta(days=1)
    machine.book_after_change_by(ROBOT, machine.invoices["D-2"], "hold", False)
    assert machine.invoices["D-2"].holds
    laws_hold(machine)
    machine.today = DUE + dt.timedelta(days=2)
    machine.prepare_a_reminder(cast("Any", _Drawn()))
    machine.decide_by(len(machine.prepared) - 1, ANN, False, Rejection.NOT_TODAY)
    machine.withdraw_a_letter(cast("Any", _Drawn()))
    machine.withdraw_a_letter(cast("Any", _Drawn()))  # withdrawn already: refused
    machine.today = DUE + dt.timedelta(days=45)
    machine.book_after_change_by(ROBOT, machine.invoices["D-4"], "interest", False)
    laws_hold(machine)
    flat = started(2)
    flat.today = DUE + dt.timedelta(days=1)
    flat.dun_by(flat.invoices["D-2"], False, steps=3)
    flat.today = DUE + dt.timedelta(days=30)
    flat.dun_by(flat.invoices["D-2"], False, steps=1)
    dunned = flat.invoices["D-2"]
    flat_fees = [stage.flat_fee.amount for stage in dunned.issued_stages]
    assert flat_fees == [Decimal("0.00"), Decimal("40.00"), Decimal("0.00")]
    assert dunned.issued_stages[1].fee == Money("45.00", "EUR")
    flat.nothing_is_charged_before_default_and_the_flat_fee_once()
    flat.write_it_off(cast("Any", _Drawn()))
    laws_hold(flat)


def test_the_machine_s_changes_before_a_booking_and_a_credit_note_by_hand() -> None:
    """Driven by hand: decisions made before interest is charged or dunning paused are
    booked after the change (the machine's check tells stale from fresh); a run's first
    step leaves an unchanged letter on its way; a credit note is derived and booked. Every
    law holds after each."""
    for change in ("pay", "interest", "hold", "pause"):
        machine = started(4, approval=True)
        machine.today = DUE
        machine.book_after_change_by(ROBOT, machine.invoices["D-2"], change, False)
        laws_hold(machine)
    other = started(4, approval=True)
    other.today = DUE
    (letter,) = group_letters([other._decide(other.invoices["D-2"], DUE)])
    assert other.prepare_by(ROBOT, letter, True)
    other.supersede_by(ROBOT)
    assert other.prepared[0].state.name != "SUPERSEDED"
    laws_hold(other)
    two = started(2)
    before = {key: len(invoice.credit_notes) for key, invoice in two.invoices.items()}
    two.credit_it(cast("Any", _Drawn()), True, False, 0, None)
    laws_hold(two)
    assert any(len(i.credit_notes) > before.get(k, 0) for k, i in two.invoices.items())


class _First(_Drawn):
    """A stand-in that draws the first element of a choice (the top of a range, as
    :class:`_Drawn`)."""

    def draw(self, strategy: Any, label: object = None) -> Any:
        inner = getattr(strategy, "wrapped_strategy", strategy)
        elements = getattr(inner, "elements", None)
        return inner.end if elements is None else elements[0]


def test_the_machine_s_value_dates_returns_and_waivers_by_hand() -> None:
    """Driven by hand (issue 27): D-2 is dunned with a fee, then paid in full by money that
    arrived before the notice (the fee waived first, in a booking of its own); the payment is
    taken back (returned: D-2 reopens as dunned, the money law counts it out), a fee waived
    by hand, a second reversal of the same payment refused; a switch by a clerk is refused.
    Every law holds after each."""
    machine = started(2)
    machine.today = DUE + dt.timedelta(days=1)
    machine.dun_by(machine.invoices["D-2"], False, steps=3)
    machine.today = DUE + dt.timedelta(days=30)
    machine.dun_by(machine.invoices["D-2"], False, steps=1)
    dunned = machine.invoices["D-2"]
    assert dunned.fees.is_positive
    machine.today = DUE + dt.timedelta(days=40)
    machine.pay_by(dunned, ROBOT, "whole", 38)
    paid = machine.invoices["D-2"]
    assert paid.fee_waivers
    assert paid.status is Status.PAID
    laws_hold(machine)
    machine.take_back(cast("Any", _First()), True)
    assert machine.invoices["D-2"].reversals
    laws_hold(machine)
    machine.waive_a_fee(cast("Any", _First()), "cent")
    laws_hold(machine)
    reversed_ = machine.invoices["D-2"]
    machine.take_back(cast("Any", _First()), False)  # nothing left to take back: refused
    assert machine.invoices["D-2"].reversals == reversed_.reversals
    machine.pool = [DORA]  # a clerk may not switch fees off
    before = machine.accounts["C-1"]
    machine.switch(cast("Any", _Drawn()), CUSTOMERS[0], True, False)
    assert machine.accounts["C-1"] == before
    laws_hold(machine)
