"""Recording a dunning document: every decision of the engine passes the table's guards."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from dunlib import IssueStage, Status, next_dunning_action, record_notice, simulate
from dunlib.strategies import dates, dunnable_invoices, dunning_rules
from dunlib.transitions import TRANSITIONS, Command, row_for

DUNNED = Status.DUNNED


@given(data=st.data())
def test_every_engine_decision_passes_the_guards_of_its_row_law(data: st.DataObject) -> None:
    """Law: a document the engine decides is booked by the row its day calls for (REMIND
    before the due date, DUN on or after it) with every guard of that row holding, so the
    state after it is that row's target: a pre-due reminder leaves the invoice SENT, and an
    invoice is DUNNED only on or after its due date."""
    invoice = data.draw(dunnable_invoices())
    rules = data.draw(dunning_rules(currency=invoice.currency, min_active=1, with_repeat=True))
    horizon = data.draw(st.integers(min_value=0, max_value=200))
    current = simulate(invoice, rules, until=invoice.due_date + timedelta(days=horizon)).invoice
    day = data.draw(dates(min_value=current.history[-1].on, max_value=current.due_date
                          + timedelta(days=400)))  # fmt: skip
    action = next_dunning_action(current, rules, day)
    if not isinstance(action, IssueStage):
        return
    command = Command.REMIND if day < current.due_date else Command.DUN
    booked = record_notice(current, action)
    assert booked.status is TRANSITIONS[(current.status, command)]
    assert row_for(current.status, command).guards  # the row has guards, and they held
    dunned = [e for e in booked.history if (e.from_status, e.to_status) == (Status.SENT, DUNNED)]
    assert all(entry.on >= current.due_date for entry in dunned)
