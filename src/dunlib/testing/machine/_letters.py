"""The rules of the daily run and prepared letters: plan, book, group, prepare, approve or
reject, send."""

from __future__ import annotations

from typing import cast

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from dunlib.core.status import Status
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION, REVIEWER
from dunlib.dunning.actions import IssueStage
from dunlib.dunning.decisions import Decision, DunningLetter
from dunlib.dunning.stages import DispatchMode
from dunlib.portfolio.prepared import (
    ON_ITS_WAY,
    LetterState,
    LetterStep,
    PreparedLetter,
    Rejection,
)
from dunlib.testing.machine._base import MachineBase
from dunlib.testing.machine._model import _law
from dunlib.workflow.policy import Actor


class LetterSteps(MachineBase):
    """The daily run (stale letters superseded, planned, booked or grouped and prepared) and
    the life of prepared letters (approved, rejected by a rule, withdrawn, sent), now and
    then by the wrong person."""

    # -- the daily run and prepared letters ---------------------------------------------------

    @rule(data=st.data(), twice=st.booleans(), book=st.booleans(), every=st.booleans())
    def daily_run(self, data: st.DataObject, twice: bool, book: bool, every: bool) -> None:
        """plan over the open invoices (now and then one of them passed twice), then either
        book the documents (those sent automatically, or ``every`` one) with record_stages,
        or group them into dunning letters and prepare them (with the customer's approval,
        or not)."""
        actor = self._actor(data, AUTOMATION)
        self.run_by(actor, twice=twice, book=book, every=every, approval=data.draw(st.booleans()))

    def run_by(self, actor: Actor, *, twice: bool, book: bool, every: bool, approval: bool) -> None:
        books = [
            inv for inv in self.invoices.values() if inv.status in (Status.SENT, Status.DUNNED)
        ]
        if not books:
            return
        self.supersede_by(actor)
        if twice:
            books.append(books[0])
        accounts = dict(self.accounts)
        waiting = list(self.prepared)
        decisions = self._attempt(
            "plan", lambda: self._plan(books, self.dunning, self.today, accounts, waiting), books
        )
        if not decisions:
            return
        for decision in decisions:  # no stage prepared again while a letter holds it back
            holding = [p for p in waiting if p.holds(decision.invoice, today=self.today)]
            _law(
                not holding or not isinstance(decision.action, IssueStage),
                f"{decision.invoice.id}: decided again while a letter holds it",
            )
        self.decisions.extend((d, accounts[d.invoice.customer.id]) for d in decisions)
        if book:
            issued = [
                d
                for d in decisions
                if isinstance(d.action, IssueStage)
                and (every or d.action.dispatch is DispatchMode.AUTOMATIC)
            ]
            done = self._attempt(
                "record_stages", lambda: self._record_stages(books, issued, actor), books, issued
            )
            if done is None:
                return
            by_id = {d.invoice.id: d.action for d in issued}
            for before, after in zip(books, done, strict=True):
                action = by_id.get(before.id)
                if action is not None:
                    _law(isinstance(action, IssueStage), f"{action} where a stage was issued")
                    issued_stage = cast("IssueStage", action)
                    account = accounts[before.customer.id]
                    self._booked_as_decided(before, after, issued_stage, account)
                    self._store(after)
            return
        notices = self._attempt("group_letters", lambda: self._group_letters(decisions), decisions)
        for notice in notices or ():
            self.prepare_by(actor, notice, approval)

    def supersede_by(self, actor: Actor) -> None:
        """The run's first step: the letters whose invoices changed since they were
        prepared are superseded; afterwards none on its way is stuck (each could be sent
        onto its invoices as they are now)."""
        current = list(self.invoices.values())
        letters = self._attempt(
            "supersede_letters",
            lambda: self._supersede_letters(self.prepared, current, actor, self.today),
            self.prepared,
        )
        if letters is None:
            return
        for index, prepared in enumerate(letters):
            self._store_prepared(index, prepared)
            if prepared.state in ON_ITS_WAY:
                stale = [i.id for i in prepared.invoices if self.invoices[i.id] != i]
                _law(not stale, f"a letter on its way stuck on the changed {stale}")

    @precondition(lambda self: self.prepared)
    @rule(data=st.data())
    def withdraw_a_letter(self, data: st.DataObject) -> None:
        """A person withdraws a letter (refused unless it is still on its way)."""
        index = data.draw(st.integers(0, len(self.prepared) - 1))
        prepared, actor = self.prepared[index], self._actor(data, REVIEWER, ACCOUNTANT)
        done = self._attempt(
            "withdraw_letter",
            lambda: self._withdraw_letter(prepared, actor, self.today),
            prepared,
        )
        if done is not None:
            _law(prepared.state in ON_ITS_WAY, f"a {prepared.state.name} letter withdrawn")
            self._store_prepared(index, done)

    def letter_life(
        self, decision: Decision, preparer: Actor, approver: Actor, sender: Actor
    ) -> None:
        """``decision``'s notice prepared, approved and sent by the three people given."""
        for notice in self._attempt("group_letters", lambda: self._group_letters([decision])) or ():
            if self.prepare_by(preparer, notice, False):
                self.decide_by(len(self.prepared) - 1, approver, True)
                self.send_letter_by(len(self.prepared) - 1, sender, False)

    def prepare_by(self, actor: Actor, notice: DunningLetter, approval: bool) -> bool:
        """``actor`` prepares ``notice``; whether it was."""
        prepared = self._attempt(
            "prepare_letter", lambda: self._prepare_letter(notice, actor, approval), notice
        )
        if prepared is None:
            return False
        self.prepared.append(prepared)
        return True

    @rule(data=st.data())
    def prepare_a_reminder(self, data: st.DataObject) -> None:
        invoice = self._invoice(data, Status.SENT, Status.DUNNED)
        actor = self._actor(data, ACCOUNTANT)
        account = self.accounts[invoice.customer.id]
        prepared = self._attempt(
            "prepare_manual_letter",
            lambda: self._prepare_manual_letter(
                invoice, self._rules(invoice), self.today, actor, account
            ),
            invoice,
            account,
        )
        if prepared is not None:
            self.prepared.append(prepared)

    def _store_prepared(self, index: int, prepared: PreparedLetter) -> None:
        old = self.prepared[index]
        _law(prepared.steps[: len(old.steps)] == old.steps, "a letter's life rewritten")
        self.prepared[index] = prepared

    @precondition(lambda self: self.prepared)
    @rule(data=st.data(), approve=st.booleans(), rejection=st.sampled_from(Rejection))
    def decide_a_letter(self, data: st.DataObject, approve: bool, rejection: Rejection) -> None:
        index = data.draw(st.integers(0, len(self.prepared) - 1))
        self.decide_by(index, self._actor(data, REVIEWER, ACCOUNTANT), approve, rejection)

    def decide_by(
        self,
        index: int,
        actor: Actor,
        approve: bool,
        rejection: Rejection = Rejection.UNTIL_CHANGED,
    ) -> None:
        prepared = self.prepared[index]
        if approve:
            done = self._attempt(
                "approve_letter",
                lambda: self._approve_letter(prepared, actor, self.today, self.policy),
                prepared,
            )
        else:
            done = self._attempt(
                "reject_letter",
                lambda: self._reject_letter(prepared, actor, self.today, rejection),
                prepared,
            )
        if done is not None:
            self._store_prepared(index, done)

    @precondition(lambda self: self.prepared)
    @rule(data=st.data(), forged=st.booleans())
    def send_a_letter(self, data: st.DataObject, forged: bool) -> None:
        """Send a prepared letter; or one waiting for approval with an approval by an actor
        nobody knows written into its steps by hand (``forged``)."""
        index = data.draw(st.integers(0, len(self.prepared) - 1))
        self.send_letter_by(index, self._actor(data, ACCOUNTANT, AUTOMATION), forged)

    def send_letter_by(self, index: int, actor: Actor, forged: bool) -> None:
        prepared = self.prepared[index]
        forged = forged and prepared.state is LetterState.PREPARED and prepared.needs_approval
        if forged:
            ghost = LetterStep(on=self.today, state=LetterState.APPROVED, actor="ghost")
            prepared = attrs.evolve(prepared, steps=(*prepared.steps, ghost))
        current = list(self.invoices.values())
        done = self._attempt(
            "send_letter",
            lambda: self._send_letter(prepared, current, actor, self.today, self.policy),
            prepared,
            current,
        )
        if done is None:
            return
        sent, booked = done.letter, done.invoices
        _law(not forged, "a letter sent on an approval written by hand")
        _law(prepared.state in ON_ITS_WAY, f"a {prepared.state.name} letter sent again")
        self._store_prepared(index, sent)
        for decision, stage, after in zip(
            prepared.letter.decisions, prepared.letter.actions, booked, strict=True
        ):
            before = self.invoices[decision.invoice.id]
            self._booked_as_decided(before, after, stage, None)
            self._store(after)
