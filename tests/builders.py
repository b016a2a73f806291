"""Shared builders for the tests: the customer, money, line items, invoices, actors, policies.

The values are those of the seed examples: ACME GmbH is invoiced 119.00 EUR on
26.04.2026, due on 10.05.2026; Dora drafts (clerk), Rita reviews (reviewer), Sam and
Ann book (accountants) and the robot acts automatically.

Test modules import what they need by name (pytest and mypy both find this module next
to them in ``tests/``)::

    from builders import ACME, eur, sent

A module whose tests depend on other values (another issue day, another line
description) keeps its own helper, usually a thin wrapper around these.

>>> sent().gross == eur("119.00")
True
>>> line("10.00", 2).net == eur("20.00")
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from decimal import Decimal

import attrs
from docs_hooks import AREAS as AREA_NAMES
from hypothesis import strategies as st

import dunlib
from dunlib import (
    AUTOMATIC,
    Command,
    Customer,
    Decision,
    DispatchMode,
    DunningRules,
    DunningStage,
    Invoice,
    IssueStage,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PaymentTerms,
    StageKind,
    Status,
    approve_letter,
    cancel,
    create_draft,
    prepare_letter,
    record_payment,
    record_stage,
    send_letter,
    transition,
    write_off,
)
from dunlib.workflow.steps import (
    ACCOUNTANT,
    AUTOMATION,
    CLERK,
    REVIEWER,
    Actor,
    Authority,
)

__all__ = [
    "ACME",
    "ANN",
    "D0",
    "DORA",
    "DUE",
    "FOUR",
    "ISSUED",
    "NOTICE",
    "RITA",
    "ROBOT",
    "SAM",
    "SEED_RULES",
    "SIX",
    "TWO",
    "clerk",
    "draft",
    "eur",
    "line",
    "notice_action",
    "reached",
    "sent",
    "sent_as_decided",
]

# -- customers and days ---------------------------------------------------------------

ACME = Customer(id="C-1", name="ACME GmbH")
"""The customer of the seed examples."""

ISSUED = dt.date(2026, 4, 26)
"""The seed invoice's issue day."""
DUE = dt.date(2026, 5, 10)
"""The seed invoice's due day."""
D0 = dt.date(2026, 1, 5)
"""The day drafts are created and taken through the workflow."""

# -- actors and policies ----------------------------------------------------------------

DORA = Actor(id="dora", roles={CLERK})
"""A clerk: drafts and submits."""
RITA = Actor(id="rita", roles={REVIEWER})
"""A reviewer: approves or rejects."""
SAM = Actor(id="sam", roles={ACCOUNTANT})
"""An accountant: sends and books."""
ANN = Actor(id="ann", roles={ACCOUNTANT})
"""A second accountant."""
ROBOT = Actor(id="robot", roles={AUTOMATION}, automatic=True)
"""An automatic actor (a sending or dunning run)."""


def clerk(id: str) -> Actor:
    """A clerk named ``id``: drafts, edits lines and submits."""
    return Actor(id=id, roles={CLERK})


TWO, FOUR, SIX = Authority(eyes=2), Authority(eyes=4), Authority(eyes=6)
"""The 2-, 4- and 6-eye approval policies."""

# -- dunning ----------------------------------------------------------------------------

SEED_RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=14),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.REMINDER, days_overdue=7),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=Money("5.00", "EUR")),
    )
)
"""Seed 003's standard rules: reminders after 14, 7 and 7 days, a notice (fee 5.00) after 7."""

NOTICE = DunningStage(StageKind.NOTICE, days_overdue=0)
"""A notice stage due at once, without a fee of its own."""


# -- builders ---------------------------------------------------------------------------


def eur(amount: str) -> Money:
    """``amount`` (a decimal string) in euros."""
    return Money(amount, "EUR")


def line(
    price: str = "100.00",
    quantity: int | str | Decimal = 1,
    rate: int = 19,
    description: str = "Item",
) -> LineItem:
    """A line item of ``quantity`` x ``price`` EUR at ``rate`` percent tax."""
    return LineItem(
        description=description, quantity=quantity, unit_price=eur(price), tax_rate=rate
    )


def sent(
    gross: str = "119.00",
    *,
    customer: Customer = ACME,
    number: str = "RE-2026-0001",
    issue_date: dt.date = ISSUED,
    due_date: dt.date | None = None,
    terms: PaymentTerms | None = None,
) -> Invoice:
    """A booked invoice (SENT) of one line of ``gross`` EUR, built by ``Invoice.sent``.

    It is issued on ISSUED and due on DUE, unless ``terms`` are given (then they set the
    due date) or ``due_date`` is.
    """
    if due_date is None and terms is None:
        due_date = DUE
    return Invoice.sent(
        number=number,
        customer=customer,
        gross=eur(gross),
        issue_date=issue_date,
        due_date=due_date,
        terms=terms,
    )


def draft(
    *lines: LineItem,
    id: str = "INV-1",
    by: str = "dora",
    on: dt.date = D0,
    customer: Customer = ACME,
    terms: PaymentTerms | None = None,
) -> Invoice:
    """A new draft of ``lines`` (none by default) in EUR, created by the clerk ``by`` on ``on``."""
    return create_draft(
        id=id, customer=customer, currency="EUR", actor=clerk(by), on=on, lines=lines, terms=terms
    )


def notice_action(
    invoice: Invoice, on: dt.date, fee: str = "0.00", stage: DunningStage = NOTICE
) -> IssueStage:
    """The next dunning document for ``invoice`` on ``on``, charging ``fee``, built by hand
    (not decided by the engine), due seven days later; book it with ``record_stage``."""
    charge = eur(fee)
    level = invoice.dunning_level + 1
    if charge.is_positive and stage.fee is None and not stage.fee_rules:
        stage = attrs.evolve(stage, fee=charge)  # the stage charges the fee booked
    return IssueStage(
        invoice_id=invoice.id,
        level=level,
        stage_number=level,
        stage=stage,
        on=on,
        due_date=on + dt.timedelta(days=7),
        fee=charge,
        total_gross=invoice.gross + invoice.fees + invoice.interest_charged + charge,
        open_amount=invoice.open_amount + charge,
        channels=stage.channels,
        attach_invoice=False,
        dispatch=stage.dispatch,
        requires_approval=False,
    )


def sent_as_decided(
    invoice: Invoice, action: IssueStage, *, by_hand: Actor | None = None
) -> Invoice:
    """``invoice`` with ``action`` booked through the public path its stage's dispatch
    calls for, on the document's day: an automatic stage recorded by the automatic run
    (``record_stage``); a stage sent after approval prepared by the automatic run,
    approved by Rita and sent by the automatic run; a manual one prepared by the automatic
    run and sent by ``by_hand`` (Sam unless given). The invoice booked equals what
    ``record_stage`` books for an automatic stage, with the sender as actor."""
    manual = action.dispatch is DispatchMode.MANUAL
    if not manual and not action.requires_approval:
        return record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())
    prepared = prepare_letter(
        Decision(invoice=invoice, action=action), actor=AUTOMATIC, authority=Authority()
    )
    if prepared.needs_approval:
        prepared = approve_letter(prepared, actor=RITA, on=action.on, authority=TWO)
    sender = (by_hand or SAM) if manual else AUTOMATIC
    notice_sent = send_letter(prepared, (invoice,), actor=sender, on=action.on, authority=TWO)
    (booked,) = notice_sent.invoices
    return booked


def reached(status: Status, invoice: Invoice | None = None) -> Invoice:
    """An invoice brought into ``status`` through the operations, as the transition table
    leads there (never a state set by hand): a draft of one line submitted by Dora and
    approved by Rita for 0 to 2; from ``invoice`` (SENT, :func:`sent` by default) paid in
    full for PAID, dunned the day after its due date (the first day it is late) for DUNNED,
    cancelled by Sam for CANCELLED, and
    dunned and written off by Sam for WRITTEN_OFF."""
    if not status.is_booked:
        made = draft(line())
        steps = {
            Status.CREATED: (Command.SUBMIT,),
            Status.REVIEWED: (Command.SUBMIT, Command.APPROVE),
        }
        for command in steps.get(status, ()):
            actor = DORA if command is Command.SUBMIT else RITA
            made = transition(made, command, actor=actor, on=D0, authority=TWO)
        return made
    invoice = sent() if invoice is None else invoice
    day = max(invoice.history[-1].on, invoice.issue_date)
    if status is Status.PAID:
        return record_payment(
            invoice,
            Payment(on=day, amount=invoice.open_amount),
            actor=AUTOMATIC,
            authority=Authority(),
        ).invoice
    if status is Status.CANCELLED:
        sequence = NumberSequence(prefix="ST-", next_value=1)
        return cancel(
            invoice,
            id=f"ST-{invoice.id}",
            actor=SAM,
            on=day,
            sequence=sequence,
            authority=Authority(),
        ).original
    if status is Status.SENT:
        return invoice
    dunned = invoice
    if invoice.status is Status.SENT:
        on = max(day, invoice.due_date + dt.timedelta(days=1))
        dunned = record_stage(
            invoice, notice_action(invoice, on), actor=AUTOMATIC, authority=Authority()
        )
    if status is Status.DUNNED:
        return dunned
    return write_off(dunned, actor=SAM, on=dunned.history[-1].on, authority=Authority())


AREAS = tuple(importlib.import_module(f"dunlib.{name}") for name in AREA_NAMES)
"""The area packages (``dunlib.core``, …), as the docs site lists them."""

EXPORTED = tuple(
    {
        id(obj): obj
        for module in (dunlib, *AREAS)
        for obj in (getattr(module, name) for name in module.__all__)
    }.values()
)
"""Everything dunlib exports from the root and the areas, each object once."""


def call_with_junk(
    data: st.DataObject,
    function: Callable[..., object],
    args: tuple[object, ...],
    kwargs: Mapping[str, object],
    junk: st.SearchStrategy[object],
) -> None:
    """Call ``function`` with ``args`` and ``kwargs``, one of them (drawn) replaced by drawn
    ``junk``: the junk law, under which a DunlibError is the only refusal allowed."""
    slot = data.draw(st.sampled_from([*range(len(args)), *sorted(kwargs)]), label="argument")
    value = data.draw(junk, label="junk")
    call_args, call_kwargs = list(args), dict(kwargs)
    if isinstance(slot, int):
        call_args[slot] = value
    else:
        call_kwargs[slot] = value
    with contextlib.suppress(dunlib.DunlibError):
        function(*call_args, **call_kwargs)
