"""Scenarios written from seed 002, section 1: what may and may not happen in each state 0-7.

Each test quotes the sentence of the seed it checks. The cast: Dora drafts (clerk), Rita
reviews (reviewer), Sam books (accountant), the contract series and the sending run are
automatic actors.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from builders import DORA, FOUR, RITA, SAM, SIX, draft, eur, line
from dunlib import (
    AUTOMATIC,
    Command,
    GuardFailedError,
    Invoice,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PaymentTerms,
    PolicyViolationError,
    Status,
    TransitionNotAllowedError,
    next_dunning_action,
    record_payment,
    record_stage,
    send,
    write_off,
)
from dunlib.core import DeliveryChannel, DocumentNotAllowedError, InvoiceLockedError, WriteOff
from dunlib.core.transitions import TRANSITIONS
from dunlib.dunning.actions import IssueStage, NoAction
from dunlib.dunning.stages import DunningRules, DunningStage, StageKind
from dunlib.workflow.documents import (
    DocumentKind,
    allowed_documents,
    cancel,
    credit,
    derive_credit_note,
    derive_delivery_note,
    derive_invoice,
)
from dunlib.workflow.drafts import add_line, convert_to_credit_note, merge_drafts, remove_line
from dunlib.workflow.steps import (
    ACCOUNTANT,
    AUTOMATION,
    Actor,
    Authority,
    due_for_auto_send,
    transition,
)

TERMS = PaymentTerms(net_days=14)
APRIL = dt.date(2026, 4, 20)
SEND_DAY = dt.date(2026, 4, 26)
SEQ = NumberSequence(prefix="RE-2026-", next_value=41, width=5)

SERIES = Actor(id="contract-series", roles={AUTOMATION}, automatic=True)
RUN = Actor(id="sending-run", roles={AUTOMATION}, automatic=True)
CLARA = Actor(id="clara", roles={ACCOUNTANT})
RULES = DunningRules(
    stages=[
        DunningStage(StageKind.REMINDER, days_overdue=0),
        DunningStage(StageKind.NOTICE, days_overdue=7, fee=Money("5.00", "EUR")),
    ]
)


def drafted(*lines: LineItem, id: str = "INV-1", by: str = "dora") -> Invoice:
    """A draft by ``by`` in April on 14 days' terms, of one line of 100.00 unless given."""
    return draft(*(lines or (line("100.00"),)), id=id, by=by, on=APRIL, terms=TERMS)


def created() -> Invoice:
    return transition(drafted(), Command.SUBMIT, actor=DORA, on=APRIL, authority=SIX)


def reviewed() -> Invoice:
    return transition(created(), Command.APPROVE, actor=RITA, on=APRIL, authority=SIX)


def sent() -> Invoice:
    return send(reviewed(), actor=SAM, on=SEND_DAY, authority=SIX, sequence=SEQ).invoice


def dun(invoice: Invoice, on: dt.date) -> Invoice:
    """``invoice`` with the next document of RULES booked on ``on`` by the dunning run."""
    action = next_dunning_action(invoice, RULES, today=on)
    assert isinstance(action, IssueStage), action
    return record_stage(invoice, action, actor=AUTOMATIC, authority=Authority())


def pay(invoice: Invoice, amount: str, on: dt.date = SEND_DAY) -> Invoice:
    return record_payment(
        invoice, Payment(on=on, amount=eur(amount)), actor=AUTOMATIC, authority=Authority()
    ).invoice


def dunned() -> Invoice:
    return dun(sent(), dt.date(2026, 5, 24))


DOCUMENT_COMMANDS = {Command.MAKE_DOCUMENT, Command.RESEND, Command.PRINT}
"""Making, sending again and printing a document: rows in every state that allows them,
recorded in the history, changing neither state nor amounts (seed 002)."""


def commands_in(status: Status) -> set[Command]:
    """The commands that change the invoice in ``status``: every row but the documents'."""
    return {
        command
        for (source, command) in TRANSITIONS
        if source is status and command not in DOCUMENT_COMMANDS
    }


# -- 0 In Bearbeitung -------------------------------------------------------------------


def test_state_0_lines_can_be_inserted_edited_deleted() -> None:
    """0: "Artikel können eingefügt, bearbeitet und gelöscht werden." """
    invoice = add_line(
        drafted(), line("20.00", description="Travel"), actor=DORA, on=APRIL, authority=Authority()
    )
    invoice = remove_line(invoice, 0, actor=DORA, on=APRIL, authority=Authority())
    assert [line.description for line in invoice.lines] == ["Travel"]


def test_state_0_drafts_to_one_recipient_with_same_terms_merge() -> None:
    """0: "Mehrere Rechnungen an denselben Empfänger und unter der Voraussetzung derselben
    Zahlungsbedingungen, können zu einer Rechnung zusammengefasst werden." """
    merged = merge_drafts(
        [drafted(), drafted(line("50.00"), id="INV-2")], actor=DORA, on=APRIL, authority=Authority()
    )
    assert merged.gross == eur("178.50")


def test_state_0_goes_to_review_or_further_by_other_processes() -> None:
    """0: "In der Regel ist dies Zur Prüfung. Dadurch wechselt der Status zu 1 - Erstellt.
    Durch andere Abläufe kann der Bearbeitungsstand auch in die Status 2 - Geprüft oder
    3 - Versendet und gebucht wechseln." And a negative draft: "Negative Rechnungen können
    später nur manuell verbucht werden" (BOOK_BY_HAND, issue 24 item 9)."""
    assert commands_in(Status.DRAFT) == {
        Command.SUBMIT,
        Command.APPROVE,
        Command.SEND,
        Command.BOOK_BY_HAND,
    }
    assert (
        transition(drafted(), Command.SUBMIT, actor=DORA, on=APRIL, authority=FOUR).status
        is Status.CREATED
    )
    series_draft = drafted(by="contract-series")
    assert (
        transition(series_draft, Command.APPROVE, actor=SERIES, on=APRIL, authority=FOUR).status
        is Status.REVIEWED
    )
    two = Authority(eyes=2)
    booked = send(series_draft, actor=SERIES, on=APRIL, authority=two, sequence=SEQ)
    assert (booked.invoice.status, booked.invoice.number) == (Status.SENT, "RE-2026-00041")


def test_state_0_negative_total_converts_into_credit_note() -> None:
    """0: "Sollte der Rechnungsbetrag negativ sein, erscheint ein Warnhinweis, welcher es
    Ihnen ermöglicht, die negative Rechnung in eine Gutschrift zu wandeln." Negative totals
    stay in 0; the refusal to leave it says how to convert."""
    negative = drafted(line("100.00", quantity=-1))
    with pytest.raises(GuardFailedError, match="negative.*convert_to_credit_note"):
        transition(negative, Command.SUBMIT, actor=DORA, on=APRIL, authority=FOUR)
    note = convert_to_credit_note(negative, id="G-1", on=APRIL, actor=DORA)
    assert note.amount == eur("119.00")


def test_state_0_merged_negatives_may_end_positive() -> None:
    """0: "Im Fall der Zusammenführung von mehreren Rechnungen könnte am Ende ein positiver
    Betrag herauskommen und daher sind diese in diesem Status möglich." """
    negative = drafted(line("30.00", quantity=-1), id="INV-2")
    merged = merge_drafts([drafted(), negative], actor=DORA, on=APRIL, authority=Authority())
    assert (
        transition(merged, Command.SUBMIT, actor=DORA, on=APRIL, authority=FOUR).status
        is Status.CREATED
    )


# -- 1 Erstellt -------------------------------------------------------------------------


def test_state_1_lines_cannot_change() -> None:
    """1: "Änderungen an Artikeln und der Strukturierung sind nicht möglich." """
    with pytest.raises(InvoiceLockedError, match="reject it back to 0 DRAFT"):
        add_line(created(), line("1.00"), actor=DORA, on=APRIL, authority=Authority())


def test_state_1_reject_back_to_0_or_approve_to_2_or_on_to_3() -> None:
    """1: "Zurückweisen, auf den Status 0 - In Bearbeitung zurückspringen" / "Geprüft.
    Dadurch wechselt der Status zu 2" / "Durch andere Schrittfolgen kann der Status auch
    3 - Versendet und gebucht sein." """
    assert (
        transition(created(), Command.REJECT, actor=RITA, on=APRIL, authority=SIX).status
        is Status.DRAFT
    )
    assert (
        transition(created(), Command.APPROVE, actor=RITA, on=APRIL, authority=SIX).status
        is Status.REVIEWED
    )
    result = send(created(), actor=RUN, on=APRIL, authority=FOUR, sequence=SEQ)
    assert result.invoice.status is Status.SENT


def test_state_1_credit_notes_but_not_for_cancelling_invoices() -> None:
    """1: "erscheint ... der Button Gutschrift ... Bei Rechnungskorrekturen, also
    Storno-Rechnungen, wird der Button nicht angezeigt." """
    assert allowed_documents(created()) == {DocumentKind.CREDIT_NOTE}
    assert derive_credit_note(created(), id="G-1", on=APRIL, actor="dora").amount == eur("119.00")
    storno = attrs.evolve(created(), cancels="INV-0")
    with pytest.raises(DocumentNotAllowedError):
        derive_credit_note(storno, id="G-1", on=APRIL, actor="dora")


# -- 2 Geprüft --------------------------------------------------------------------------


def test_state_2_reject_back_to_0() -> None:
    """2: "Wieder kann die Ausgangsrechnung mit Hilfe des Buttons Zurückweisen auf den
    Status 0 - In Bearbeitung zurückgesetzt werden." """
    assert (
        transition(reviewed(), Command.REJECT, actor=RITA, on=APRIL, authority=SIX).status
        is Status.DRAFT
    )


def test_state_2_automatic_sending_run() -> None:
    """2: "Dabei werden alle Rechnungen mit dem aktuellen oder zurückliegenden Rechnungsdatum
    versandt, die vor dem Start des Automatismus in diesem Status waren. Später in diesen
    Status überführte Rechnungen oder Rechnungen mit zukünftigem Rechnungsdatum, werden
    erst mit dem nächsten Lauf ... versandt. Papierrechnungen werden generell ignoriert." """
    before = reviewed()
    later = transition(
        transition(drafted(id="INV-2"), Command.SUBMIT, actor=DORA, on=APRIL, authority=SIX),
        Command.APPROVE,
        actor=RITA,
        on=SEND_DAY,
        authority=SIX,
    )
    future = attrs.evolve(reviewed(), id="INV-3", issue_date=dt.date(2026, 4, 30))
    paper = attrs.evolve(reviewed(), id="INV-4", channel=DeliveryChannel.PAPER)
    due = due_for_auto_send([before, later, future, paper], run_started=SEND_DAY, today=SEND_DAY)
    assert [invoice.id for invoice in due] == ["INV-1"]
    result = send(due[0], actor=RUN, on=SEND_DAY, authority=SIX, sequence=SEQ)
    assert result.invoice.number == "RE-2026-00041"


def test_state_2_credit_notes_delivery_notes_new_invoices_also_partial() -> None:
    """2: "Auf Basis der Artikel dieser Rechnung können, Gutschriften, Lieferscheine oder neue
    Ausgangsrechnungen erzeugt werden. Durch Markierung einzelner Artikel können Sie auch
    Teilgutschriften, -lieferscheine oder -rechnungen erstellen." """
    invoice = transition(
        transition(
            drafted(line("100.00"), line("10.00")),
            Command.SUBMIT,
            actor=DORA,
            on=APRIL,
            authority=SIX,
        ),
        Command.APPROVE,
        actor=RITA,
        on=APRIL,
        authority=SIX,
    )
    assert allowed_documents(invoice) == {
        DocumentKind.CREDIT_NOTE,
        DocumentKind.DELIVERY_NOTE,
        DocumentKind.NEW_INVOICE,
    }
    assert derive_credit_note(invoice, id="G", on=APRIL, actor="dora", selection=[1]).amount == (
        eur("11.90")
    )
    assert len(derive_delivery_note(invoice, id="L", on=APRIL, selection=[0]).lines) == 1
    assert derive_invoice(invoice, id="N", actor=DORA, on=APRIL, selection=[1]).gross == eur(
        "11.90"
    )


def test_state_2_invoice_date_is_neither_back_nor_forward_dated() -> None:
    """2: "Das Rechnungsdatum wird ... kontrolliert, sodass Rechnungen weder vor- noch
    zurückdatiert werden können." The invoice is dated on the day it is sent."""
    invoice = sent()
    assert invoice.issue_date == SEND_DAY


# -- 3 Versendet und gebucht ------------------------------------------------------------


def test_state_3_number_date_and_terms_on_entry() -> None:
    """3: "Gleichzeitig wird die Rechnungsnummer automatisch vergeben, ggf. das Rechnungsdatum
    auf den aktuellen Tag und die damit verbundenen Zahlungsfristen angepasst." """
    invoice = sent()
    assert (invoice.number, invoice.issue_date, invoice.due_date) == (
        "RE-2026-00041",
        dt.date(2026, 4, 26),
        dt.date(2026, 5, 10),
    )


def test_state_3_cannot_be_changed() -> None:
    """3: "Da eine versendete Ausgangsrechnung rechtskräftig ist, kann diese nicht mehr
    verändert werden." """
    with pytest.raises(InvoiceLockedError, match="credit notes or a cancellation"):
        add_line(sent(), line("1.00"), actor=DORA, on=SEND_DAY, authority=Authority())
    with pytest.raises(TransitionNotAllowedError):
        transition(sent(), Command.REJECT, actor=RITA, on=SEND_DAY, authority=SIX)


def test_state_3_storno_without_payments_credit_note_with_payments() -> None:
    """3: "Im Unterregister Artikelliste kann es anhand der Zahlungen entweder den Button
    Storno oder Gutschrift geben ... Sollte bereits ein Zahlungsfluss stattgefunden haben,
    können Sie über Gutschrift Teile oder die gesamte Ausgangsrechnung gutschreiben." """
    storno = cancel(
        sent(), id="S-1", actor=SAM, on=SEND_DAY, sequence=SEQ.take()[1], authority=Authority()
    )
    assert storno.original.status is Status.CANCELLED
    partly_paid = pay(sent(), "19.00")
    with pytest.raises(GuardFailedError, match="credit the invoice instead"):
        cancel(
            partly_paid,
            id="S-1",
            actor=SAM,
            on=SEND_DAY,
            sequence=SEQ.take()[1],
            authority=Authority(),
        )
    two_lines = send(
        transition(
            transition(
                drafted(line("100.00"), line("10.00")),
                Command.SUBMIT,
                actor=DORA,
                on=APRIL,
                authority=SIX,
            ),
            Command.APPROVE,
            actor=RITA,
            on=APRIL,
            authority=SIX,
        ),
        actor=SAM,
        on=SEND_DAY,
        authority=SIX,
        sequence=SEQ,
    ).invoice
    paid_small_line = pay(two_lines, "11.90")
    rest = credit(
        paid_small_line,
        id="G-1",
        actor=SAM,
        on=SEND_DAY,
        authority=SIX,
        drafted_by="clara",
        selection=[0],
    )
    assert rest.note.amount == eur("119.00")
    assert rest.invoice.status is Status.PAID
    with pytest.raises(PolicyViolationError, match="booker-not-drafter"):
        credit(paid_small_line, id="G-1", actor=SAM, on=SEND_DAY, authority=SIX, selection=[0])


def test_state_3_fully_paid_goes_to_4() -> None:
    """3: "Wurde der Gesamtbetrag beglichen, wechselt die Rechnung in den Status 4 - Bezahlt." """
    partly = pay(sent(), "100.00")
    assert (partly.status, partly.open_amount) == (Status.SENT, eur("19.00"))
    assert pay(partly, "19.00").status is Status.PAID


def test_state_3_dunning_once_due_date_reached() -> None:
    """3: "Ist der Zahlungsstichtag erreicht bzw. überschritten und es konnte kein
    vollständiger Zahlungsausgleich verzeichnet werden, erscheint ... Mahnen ... Wurde die
    Ausgangsrechnung gemahnt, wechselt der Bearbeitungsstand in 5 - Angemahnt." The notice
    itself: "Mahnungen können erst ... bei überschrittenen Zahlungsstichtag ... angelegt
    werden" -- due 10 May, dunned from 11 May; a document on 10 May is a reminder."""
    invoice = sent()
    waiting = next_dunning_action(invoice, RULES, today=dt.date(2026, 5, 10))
    assert isinstance(waiting, NoAction)
    assert waiting.next_on == dt.date(2026, 5, 11)
    action = next_dunning_action(invoice, RULES, today=dt.date(2026, 5, 11))
    assert isinstance(action, IssueStage)
    assert (
        record_stage(invoice, action, actor=AUTOMATIC, authority=Authority()).status
        is Status.DUNNED
    )
    early = attrs.evolve(action, on=dt.date(2026, 5, 10))
    reminded = record_stage(
        invoice, early, actor=AUTOMATIC, authority=Authority()
    )  # on the due date: a reminder, no dunning
    assert (reminded.status, reminded.dunning_level) == (Status.SENT, 1)
    fee = eur("5.00")  # the amounts with it, so that the guard is what refuses it
    charging = attrs.evolve(
        early, fee=fee, total_gross=early.total_gross + fee, open_amount=early.open_amount + fee
    )
    with pytest.raises(GuardFailedError, match="no-fee"):
        record_stage(invoice, charging, actor=AUTOMATIC, authority=Authority())


def test_state_3_delivery_notes_and_new_invoices() -> None:
    """3: "Weiterhin können Lieferscheine oder neue Rechnungen auf Basis der Artikeldaten
    erzeugt werden." """
    assert {DocumentKind.DELIVERY_NOTE, DocumentKind.NEW_INVOICE} <= allowed_documents(sent())


# -- 4 Bezahlt --------------------------------------------------------------------------


def test_state_4_documents_but_no_further_state() -> None:
    """4: "Weiterhin können Sie Gutschriften, Lieferscheine oder neue Rechnungen aus der
    bezahlten Ausgangsrechnung erzeugen." No workflow step leaves 4: only a payment taken
    back (a returned direct debit, one booked to the wrong invoice; issue 27) reopens it."""
    paid = credit(
        sent(), id="G-1", actor=SAM, on=SEND_DAY, authority=SIX, drafted_by="clara"
    ).invoice
    assert paid.status is Status.PAID
    assert commands_in(Status.PAID) == {Command.REVERSE, Command.REOPEN_DUNNED}
    assert allowed_documents(paid) == {
        DocumentKind.CREDIT_NOTE,
        DocumentKind.DELIVERY_NOTE,
        DocumentKind.NEW_INVOICE,
    }
    with pytest.raises(TransitionNotAllowedError, match="CANCEL"):
        cancel(paid, id="S-1", actor=SAM, on=SEND_DAY, sequence=SEQ, authority=Authority())


# -- 5 Angemahnt ------------------------------------------------------------------------


def test_state_5_payments_settle_and_documents() -> None:
    """5: "In diesem Status haben Sie die Möglichkeit, eine Zahlung ... einzutragen" and
    "Weiterhin können Lieferscheine und neue Rechnungen angelegt werden oder anhand des
    Zahlungsstandes ein Storno durchgeführt oder Gutschriften erstellt werden." """
    invoice = dunned()
    partly = pay(invoice, "100.00", on=dt.date(2026, 5, 25))
    assert (partly.status, partly.open_amount) == (Status.DUNNED, eur("19.00"))
    assert pay(partly, "19.00", on=dt.date(2026, 5, 25)).status is Status.PAID
    assert allowed_documents(invoice) == set(DocumentKind)
    again = dun(invoice, dt.date(2026, 5, 31))
    assert (again.status, again.dunning_level, again.fees) == (Status.DUNNED, 2, eur("5.00"))


def test_state_5_written_off_when_uncollectible() -> None:
    """7 (entry): "wenn die dazugehörige Mahnung den Status 7 - Uneinbringlich erreicht hat." """
    written_off = write_off(dunned(), actor=SAM, on=dt.date(2026, 9, 1), authority=Authority())
    assert written_off.status is Status.WRITTEN_OFF
    assert written_off.write_offs == (
        WriteOff(on=dt.date(2026, 9, 1), amount=eur("119.00"), reason="uncollectible"),
    )
    assert written_off.open_amount == eur("0.00")


# -- 6 Storniert ------------------------------------------------------------------------


def test_state_6_only_from_3_and_5() -> None:
    """6: "Ausgangsrechnungen können nur im Status 3 - Versendet und gebucht und
    5 - Angemahnt storniert werden." """
    assert {s for (s, c) in TRANSITIONS if c is Command.CANCEL} == {Status.SENT, Status.DUNNED}
    for early in (drafted(), created(), reviewed()):
        with pytest.raises(TransitionNotAllowedError, match="only in 3 SENT, 5 DUNNED"):
            cancel(early, id="S-1", actor=SAM, on=SEND_DAY, sequence=SEQ, authority=Authority())
    result = cancel(
        dunned(), id="S-1", actor=SAM, on=dt.date(2026, 6, 1), sequence=SEQ, authority=Authority()
    )
    assert (result.original.status, result.original.open_amount) == (
        Status.CANCELLED,
        eur("0.00"),
    )


def test_state_6_cancelling_invoice_goes_straight_to_paid() -> None:
    """6: "Die Ausgangsrechnung wechselt automatisch in den Status, sobald die Stornorechnung
    verbucht wird. Durch den automatischen Abgleich wechselt die Stornorechnung direkt in den
    Status 4 - Bezahlt." """
    result = cancel(
        sent(), id="S-1", actor=SAM, on=SEND_DAY, sequence=SEQ.take()[1], authority=Authority()
    )
    assert (result.original.status, result.cancelling.status) == (Status.CANCELLED, Status.PAID)
    assert result.cancelling.number == "RE-2026-00042"
    assert result.cancelling.gross == eur("-119.00")
    assert result.cancelling.open_amount == eur("0.00")
    assert result.cancelling.cancels == result.original.id


def test_state_6_only_delivery_notes_and_new_invoices() -> None:
    """6: "In diesem Bearbeitungsstand ist die Anlage neuer Lieferscheine und Rechnungen
    möglich." Nothing else: no credit note, no transition."""
    cancelled = cancel(
        sent(), id="S-1", actor=SAM, on=SEND_DAY, sequence=SEQ.take()[1], authority=Authority()
    ).original
    assert allowed_documents(cancelled) == {DocumentKind.DELIVERY_NOTE, DocumentKind.NEW_INVOICE}
    assert commands_in(Status.CANCELLED) == set()


# -- 7 Abgeschrieben --------------------------------------------------------------------


def test_state_7_only_delivery_notes_and_new_invoices() -> None:
    """7: "In diesem Arbeitsschritt der Ausgangsrechnung ist nur noch die Erzeugung von
    Lieferscheinen und neuen Rechnungen möglich." """
    written_off = write_off(dunned(), actor=SAM, on=dt.date(2026, 9, 1), authority=Authority())
    assert allowed_documents(written_off) == {DocumentKind.DELIVERY_NOTE, DocumentKind.NEW_INVOICE}
    # no step and no document but one booking: money received after the write-off is
    # booked against the dunning as a recovery, and the invoice stays 7 (issue 24, item 10)
    assert commands_in(Status.WRITTEN_OFF) == {Command.RECOVER}
    with pytest.raises(DocumentNotAllowedError):
        derive_credit_note(written_off, id="G-1", on=dt.date(2026, 9, 1), actor="clara")
    assert derive_invoice(written_off, id="N-1", actor=DORA, on=dt.date(2026, 9, 1)).lines


# -- the 2- to 6-eye principle ----------------------------------------------------------


def test_rights_per_state_decide_who_does_which_step() -> None:
    """Intro: "individuelle Rechte dafür sorgen, dass Mitarbeiter nur bestimmte Stufen
    ausführen dürfen oder automatische Abläufe Stufen überspringen oder ausführen können." """
    with pytest.raises(PolicyViolationError, match="skip-not-allowed"):
        send(created(), actor=RUN, on=APRIL, authority=SIX, sequence=SEQ)
    rita = Actor(id="rita", roles={ACCOUNTANT})
    with pytest.raises(PolicyViolationError, match="sender-not-reviewer"):
        send(reviewed(), actor=rita, on=APRIL, authority=SIX, sequence=SEQ)
