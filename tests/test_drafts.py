"""Drafts: creating, editing lines in DRAFT only, merging, converting into credit notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import builders
from builders import ACME, FOUR, RITA, SAM, SIX, clerk, eur, line
from dunlib import (
    AUTOMATIC,
    Authority,
    Command,
    Customer,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    LineItem,
    Payment,
    PaymentTerms,
    PolicyViolationError,
    Status,
    cancel,
    record_payment,
    record_stage,
    send,
    transition,
    write_off,
)
from dunlib.core import DeliveryChannel, EventKind, InvoiceLockedError
from dunlib.core.numbering import NumberSequence
from dunlib.dunning.actions import IssueStage
from dunlib.dunning.engine import next_dunning_action
from dunlib.dunning.stages import DunningRules, DunningStage, StageKind
from dunlib.strategies import line_items
from dunlib.workflow.drafts import (
    add_line,
    convert_to_credit_note,
    create_draft,
    merge_drafts,
    remove_line,
    replace_line,
)
from dunlib.workflow.steps import ACCOUNTANT, CLERK, REVIEWER, Actor

DAY = dt.date(2026, 3, 2)
SEQ = NumberSequence(prefix="RE-", width=4)
ALICE = Actor(id="alice", roles={CLERK})
BOB = Actor(id="bob", roles={CLERK})


def draft(*lines: LineItem, id: str = "D-1", customer: Customer = ACME) -> Invoice:
    """A draft of ``lines`` by alice on DAY."""
    return builders.draft(*lines, id=id, by="alice", on=DAY, customer=customer)


def test_create_draft_records_its_creator() -> None:
    """A new draft is in DRAFT, dated on its day, due after its terms, created by the actor."""
    invoice = create_draft(
        id="D-1",
        customer=ACME,
        currency="EUR",
        actor=ALICE,
        on=DAY,
        terms=PaymentTerms(net_days=30),
    )
    assert invoice.status is Status.DRAFT
    assert (invoice.issue_date, invoice.due_date) == (DAY, dt.date(2026, 4, 1))
    assert [(e.kind, e.actor) for e in invoice.history] == [(EventKind.CREATED, "alice")]


def test_create_draft_refuses_bad_terms() -> None:
    """Terms must be PaymentTerms."""
    with pytest.raises(InvalidTypeError, match="create_draft.terms"):
        create_draft(id="D", customer=ACME, currency="EUR", actor=ALICE, on=DAY, terms=14)  # type: ignore[arg-type]


def test_lines_are_added_edited_and_removed_in_draft() -> None:
    """In DRAFT lines may be added, replaced and removed (seed 002, state 0); each edit is
    recorded with its author and day, the state staying DRAFT."""
    invoice = add_line(
        draft(line("10.00")), line("5.00"), actor=ALICE, on=DAY, authority=Authority()
    )
    assert [item.unit_price for item in invoice.lines] == [eur("10.00"), eur("5.00")]
    later = DAY + dt.timedelta(days=1)
    invoice = replace_line(
        invoice, 0, line("20.00", description="Travel"), actor=BOB, on=later, authority=Authority()
    )
    assert invoice.lines[0].unit_price == eur("20.00")
    invoice = remove_line(invoice, 1, actor=ALICE, on=later, authority=Authority())
    assert invoice.gross == eur("23.80")
    assert invoice.history[0] == draft().history[0]
    assert [(e.kind, e.on, e.actor, e.detail) for e in invoice.history[1:]] == [
        (EventKind.LINES_EDITED, DAY, "alice", "added line 1: Item"),
        (EventKind.LINES_EDITED, later, "bob", "replaced line 0: Travel"),
        (EventKind.LINES_EDITED, later, "alice", "removed line 1: Item"),
    ]
    assert {(e.from_status, e.to_status) for e in invoice.history} == {(Status.DRAFT,) * 2}


def in_state(status: Status) -> Invoice:
    """A one-line draft by alice, taken into ``status`` through the public functions."""
    invoice = draft(line("10.00"))
    if status is Status.DRAFT:
        return invoice
    invoice = transition(invoice, Command.SUBMIT, actor=ALICE, on=DAY, authority=SIX)
    if status is Status.CREATED:
        return invoice
    invoice = transition(invoice, Command.APPROVE, actor=RITA, on=DAY, authority=SIX)
    if status is Status.REVIEWED:
        return invoice
    invoice = send(invoice, actor=SAM, on=DAY, authority=SIX, sequence=SEQ).invoice
    if status is Status.SENT:
        return invoice
    if status is Status.PAID:
        return record_payment(
            invoice, Payment(on=DAY, amount=invoice.gross), actor=AUTOMATIC, authority=Authority()
        ).invoice
    if status is Status.CANCELLED:
        return cancel(
            invoice, id="S-1", actor=SAM, on=DAY, sequence=SEQ.take()[1], authority=Authority()
        ).original
    rules = DunningRules(stages=[DunningStage(StageKind.NOTICE, days_overdue=0)])
    late = invoice.due_date + dt.timedelta(days=1)
    action = next_dunning_action(invoice, rules, today=late)
    assert isinstance(action, IssueStage)
    invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    if status is Status.DUNNED:
        return invoice
    return write_off(invoice, actor=SAM, on=late, authority=Authority())


@pytest.mark.parametrize("status", [s for s in Status if s is not Status.DRAFT])
def test_lines_are_locked_outside_draft(status: Status) -> None:
    """From 1 CREATED on no line may be added, edited or removed: InvoiceLockedError."""
    locked = in_state(status)
    assert locked.status is status
    attempts: tuple[Callable[[], Invoice], ...] = (
        lambda: add_line(locked, line("1.00"), actor=ALICE, on=DAY, authority=Authority()),
        lambda: replace_line(locked, 0, line("1.00"), actor=ALICE, on=DAY, authority=Authority()),
        lambda: remove_line(locked, 0, actor=ALICE, on=DAY, authority=Authority()),
    )
    for attempt in attempts:
        with pytest.raises(InvoiceLockedError, match=f"state {status.value} {status.name}") as e:
            attempt()
        assert e.value.invoice == "D-1"
        assert e.value.status is status
        remedy = "credit notes or a cancellation" if status.is_booked else "reject it back"
        assert remedy in str(e.value)


@pytest.mark.parametrize("index", [-1, 1, True])
def test_line_index_must_exist(index: int) -> None:
    """Line indices count from 0 and must name an existing line."""
    with pytest.raises(InvalidValueError, match="index"):
        remove_line(draft(line("1.00")), index, actor=ALICE, on=DAY, authority=Authority())


def test_no_index_in_an_empty_draft() -> None:
    """An empty draft has no line to edit."""
    with pytest.raises(InvalidValueError, match="no lines"):
        replace_line(draft(), 0, line("1.00"), actor=ALICE, on=DAY, authority=Authority())


def test_editing_needs_an_invoice_a_line_an_actor_and_a_day() -> None:
    """Line editing refuses anything that is not an Invoice, a LineItem, an Actor (an id is
    no actor) or a Permissions, and a day before the draft's last step, naming the field."""
    with pytest.raises(InvalidTypeError, match="add a line.invoice"):
        add_line("D-1", line("1.00"), actor=ALICE, on=DAY, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="replace_line.line"):
        replace_line(draft(line()), 0, "x", actor=ALICE, on=DAY, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="remove_line.actor"):
        remove_line(draft(line()), 0, actor="alice", on=DAY, authority=Authority())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="add_line.authority"):
        add_line(draft(), line(), actor=ALICE, on=DAY, authority=ALICE)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="add_line.on"):
        add_line(draft(), line(), actor=ALICE, on=DAY - dt.timedelta(days=1), authority=Authority())


def test_merged_drafts_may_end_positive() -> None:
    """Drafts to one recipient with the same terms merge; a negative one may end positive."""
    credit = draft(line("30.00", quantity=-1), id="D-2")
    assert credit.gross.is_negative
    merged = merge_drafts([draft(line("100.00")), credit], actor=BOB, on=DAY, authority=Authority())
    assert merged.id == "D-1"
    assert merged.gross == eur("83.30")  # (100 - 30) x 1.19
    assert [(e.kind, e.actor) for e in merged.history] == [
        (EventKind.CREATED, "alice"),
        (EventKind.MERGED, "alice"),  # the author of D-2's lines
        (EventKind.MERGED, "bob"),  # who merged
    ]
    assert merged.history[-1].detail == "merged from D-1, D-2"
    assert merged.history[1].detail == "lines of D-2 drafted by alice"
    assert (
        merge_drafts(
            [draft(), draft(id="D-2")], actor=clerk("b"), on=DAY, id="D-9", authority=Authority()
        ).id
        == "D-9"
    )


def test_merging_needs_same_recipient_and_terms() -> None:
    """Another customer or other payment terms refuse the merge, naming the field."""
    other = draft(id="D-2", customer=Customer(id="C-2", name="Globex Ltd"))
    with pytest.raises(InvalidValueError, match=r"drafts\[1\].customer"):
        merge_drafts([draft(), other], actor=BOB, on=DAY, authority=Authority())
    longer = attrs.evolve(draft(id="D-3"), terms=PaymentTerms(net_days=30))
    with pytest.raises(InvalidValueError, match=r"drafts\[1\].terms"):
        merge_drafts([draft(), longer], actor=BOB, on=DAY, authority=Authority())


def test_merging_needs_two_distinct_drafts() -> None:
    """One draft, or the same draft twice, is no merge; non-drafts are locked."""
    with pytest.raises(InvalidValueError, match="at least two"):
        merge_drafts([draft()], actor=BOB, on=DAY, authority=Authority())
    with pytest.raises(InvalidValueError, match="distinct"):
        merge_drafts([draft(), draft()], actor=BOB, on=DAY, authority=Authority())
    sent = Invoice.sent(number="RE-1", customer=ACME, gross=eur("1.00"), issue_date=DAY)
    with pytest.raises(InvoiceLockedError, match="merge"):
        merge_drafts([draft(), sent], actor=BOB, on=DAY, authority=Authority())


def test_negative_draft_converts_into_credit_note() -> None:
    """A negative draft becomes a credit note of its total with the sign turned (seed: state 0)."""
    negative = draft(line("30.00", quantity=-2), line("10.00"))
    note = convert_to_credit_note(negative, id="G-1", on=DAY, actor=ALICE)
    assert note.amount == eur("59.50")  # (60 - 10) x 1.19
    assert [item.quantity for item in note.lines] == [Decimal(2), Decimal(-1)]
    assert note.reason == "converted from draft D-1"
    assert note.drafted_by == "alice"


def test_only_negative_drafts_convert() -> None:
    """A draft with a total of zero or more is not converted."""
    with pytest.raises(InvalidValueError, match="negative total"):
        convert_to_credit_note(draft(line("1.00")), id="G-1", on=DAY, actor=ALICE)


@given(lines=st.lists(line_items(allow_negative=True), min_size=1, max_size=6))
def test_negating_lines_negates_gross_exactly(lines: list[LineItem]) -> None:
    """Law (symmetry): negating every line gives exactly the opposite gross, cent for cent."""
    assert draft(*(item.negated() for item in lines)).gross == -draft(*lines).gross


@pytest.mark.parametrize("actor", ["", "alice", None])
def test_draft_steps_take_an_actor_not_an_id(actor: object) -> None:
    """Creating, merging and converting drafts take the Actor who acts (one convention with
    every other step); an id or nothing is refused with InvalidTypeError naming the field."""
    negative = draft(line("1.00", quantity=-1))
    attempts: dict[str, Callable[[], object]] = {
        "create_draft.actor": lambda: create_draft(
            id="D-1",
            customer=ACME,
            currency="EUR",
            actor=actor,  # type: ignore[arg-type]
            on=DAY,
        ),
        "merge_drafts.actor": lambda: merge_drafts(
            [draft(), draft(id="D-2")],
            actor=actor,  # type: ignore[arg-type]
            on=DAY,
            authority=Authority(),
        ),
        "convert_to_credit_note.actor": lambda: convert_to_credit_note(
            negative,
            id="G-1",
            on=DAY,
            actor=actor,  # type: ignore[arg-type]
        ),
    }
    for field, attempt in attempts.items():
        with pytest.raises(InvalidTypeError, match=field):
            attempt()


def test_merging_never_dates_history_back() -> None:
    """A merge dated before the last step of any draft merged is refused, naming the draft."""
    later = create_draft(
        id="D-2", customer=ACME, currency="EUR", actor=BOB, on=DAY + dt.timedelta(days=3)
    )
    with pytest.raises(InvalidValueError, match=r"merge_drafts.on \(drafts\[1\]\)"):
        merge_drafts([draft(line("1.00")), later], actor=ALICE, on=DAY, authority=Authority())
    merged = merge_drafts(
        [draft(line("1.00")), later], actor=ALICE, on=later.issue_date, authority=Authority()
    )
    assert merged.history[-1].on == later.issue_date


def test_paper_and_online_drafts_do_not_merge() -> None:
    """Drafts with different delivery channels are refused, naming the channel."""
    online = create_draft(id="D-1", customer=ACME, currency="EUR", actor=clerk("anna"), on=DAY)
    paper = attrs.evolve(online, id="D-2", channel=DeliveryChannel.PAPER)
    with pytest.raises(InvalidValueError, match=r"merge_drafts.drafts\[1\].channel"):
        merge_drafts([online, paper], actor=clerk("anna"), on=DAY, authority=Authority())


def drafted_by(author: str, id: str) -> Invoice:
    return create_draft(
        id=id, customer=ACME, currency="EUR", actor=clerk(author), on=DAY, lines=[line("10.00")]
    )


@pytest.mark.parametrize("dora_first", [True, False])
def test_merging_drafts_keeps_every_drafter(dora_first: bool) -> None:
    """Whoever drafted any merged draft stays a drafter of the merged invoice, whatever the
    order the drafts are given in: under 4 eyes dora may not send it, under 6 eyes she may
    not review it (nor erik, nor the merger)."""
    d1, d2 = drafted_by("dora", "D-1"), drafted_by("erik", "D-2")
    drafts = [d1, d2] if dora_first else [d2, d1]
    merged = merge_drafts(drafts, actor=clerk("mia"), on=DAY, authority=Authority())
    authors = {e.actor for e in merged.history if e.kind in (EventKind.CREATED, EventKind.MERGED)}
    assert authors == {"dora", "erik", "mia"}
    carl = Actor(id="carl", roles={CLERK})
    submitted = transition(merged, Command.SUBMIT, actor=carl, on=DAY, authority=FOUR)
    reviewed = transition(submitted, Command.APPROVE, actor=RITA, on=DAY, authority=FOUR)
    for drafter in ("dora", "erik", "mia", "carl"):
        with pytest.raises(PolicyViolationError, match="sender-not-drafter"):
            send(
                reviewed,
                actor=Actor(id=drafter, roles={ACCOUNTANT}),
                on=DAY,
                authority=FOUR,
                sequence=SEQ,
            )
        with pytest.raises(PolicyViolationError, match="reviewer-not-drafter") as refused:
            transition(
                submitted,
                Command.APPROVE,
                actor=Actor(id=drafter, roles={REVIEWER}),
                on=DAY,
                authority=SIX,
            )
        assert (refused.value.actor, refused.value.eyes) == (drafter, 6)
    assert (
        send(reviewed, actor=SAM, on=DAY, authority=FOUR, sequence=SEQ).invoice.number == "RE-0001"
    )


def test_merged_drafters_survive_a_second_merge_and_a_rejection() -> None:
    """Drafters carry over when a merged draft is merged again and after a rejection."""
    first = merge_drafts(
        [drafted_by("dora", "D-1"), drafted_by("erik", "D-2")],
        actor=clerk("mia"),
        on=DAY,
        authority=Authority(),
    )
    again = merge_drafts(
        [drafted_by("finn", "D-3"), first], actor=clerk("finn"), on=DAY, authority=Authority()
    )
    submitted = transition(again, Command.SUBMIT, actor=ALICE, on=DAY, authority=SIX)
    rejected = transition(submitted, Command.REJECT, actor=RITA, on=DAY, authority=SIX)
    resubmitted = transition(rejected, Command.SUBMIT, actor=ALICE, on=DAY, authority=SIX)
    for drafter in ("dora", "erik", "mia", "finn", "alice"):
        with pytest.raises(PolicyViolationError, match="reviewer-not-drafter"):
            transition(
                resubmitted,
                Command.APPROVE,
                actor=Actor(id=drafter, roles={REVIEWER}),
                on=DAY,
                authority=SIX,
            )


def test_drafts_need_a_collection_of_lines_and_drafts() -> None:
    """None is no collection: create_draft(lines=None) and merge_drafts(None) are refused."""
    with pytest.raises(InvalidTypeError, match="create_draft.lines"):
        create_draft(id="D", customer=ACME, currency="EUR", actor=ALICE, on=DAY, lines=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="merge_drafts.drafts"):
        merge_drafts(None, actor=ALICE, on=DAY, authority=Authority())  # type: ignore[arg-type]
