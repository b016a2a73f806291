"""The engine's decisions: a closed union of frozen values, each checked when built."""

from __future__ import annotations

from datetime import date
from typing import Any, assert_never

import attrs
import pytest

from builders import ACME, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    DunningRules,
    DunningStage,
    Escalate,
    Escalation,
    InvalidValueError,
    Invoice,
    IssueStage,
    Money,
    NoAction,
    NoActionReason,
    Payment,
    StageKind,
    next_dunning_action,
    record_payment,
    record_stage,
)
from dunlib.dunning import DunningAction

FEE = Money("5.00", "EUR")
NOTICE = DunningStage(
    StageKind.NOTICE,
    days_overdue=0,
    fee=FEE,
    email_subject="{{ level }}. Mahnung {{ referencedInvoiceNumber }}",
    email_body="{{ customer.name }}: {{ totalGrossAmount }} bis {{ dueDate }} "
    "(Gebühr {{ fee }}, offen {{ openAmount }}). {{ tenant.name }}",
    pdf_text="Rechnung vom {{ referencedInvoiceDate }}",
)


def invoice(locale: str = "de_DE") -> Invoice:
    """The seed invoice, its customer writing ``locale``."""
    return sent(customer=attrs.evolve(ACME, locale=locale))


def decide(day: date) -> DunningAction:
    return next_dunning_action(invoice(), DunningRules(stages=(NOTICE,)), today=day)


def describe(action: DunningAction) -> str:
    """An exhaustive match over the union, as callers are expected to write it."""
    match action:
        case IssueStage():
            return f"issue level {action.level}"
        case NoAction():
            return f"nothing: {action.reason.value}"
        case Escalate():
            return f"escalate: {action.escalation.value}"
        case _:
            assert_never(action)


def test_the_union_matches_exhaustively() -> None:
    """Every decision is one of three types, and a match over them covers it."""
    assert describe(decide(date(2026, 5, 11))) == "issue level 1"
    assert describe(decide(date(2026, 5, 10))) == "nothing: not_yet_due"
    escalate = Escalate(
        invoice_id="RE-1",
        escalation=Escalation.BLOCK_SERVICE,
        on=date(2026, 7, 1),
        due_since=date(2026, 7, 1),
        level=4,
        open_amount=FEE,
    )
    assert describe(escalate) == "escalate: block_service"


def test_issue_stage_documents_render_for_the_customer_locale() -> None:
    """documents() renders the stage's templates with the action's figures, written in the
    customer's locale: 124,00 € including the fee, the document due on 18.05.2026."""
    action = decide(date(2026, 5, 11))
    assert isinstance(action, IssueStage)
    texts = action.documents(invoice(), tenant_name="Muster GmbH")
    assert texts.email_subject == "1. Mahnung RE-2026-0001"
    assert texts.email_body == (
        "ACME GmbH: 124,00\xa0€ bis 18.05.2026 (Gebühr 5,00\xa0€, offen 124,00\xa0€). Muster GmbH"
    )
    assert texts.pdf_text == "Rechnung vom 26.04.2026"
    english = action.documents(invoice("en_GB"), tenant_name="Muster GmbH")
    assert english.language == "en"  # the stage's texts are German: English ones are built in
    assert "invoice RE-2026-0001 of 26 Apr 2026 for €124.00" in english.pdf_text


def test_default_texts_ask_a_partly_paid_invoice_for_its_open_amount() -> None:
    """The default notice of an invoice of 119.00 with 100.00 paid asks for the 24,00 € still
    open (fee included), never for the 124,00 € invoice total: the customer must not be
    told to pay twice. The total with fees is still named, as the seed's placeholder."""
    rules = DunningRules(stages=(DunningStage(StageKind.NOTICE, days_overdue=0, fee=FEE),))
    payment = Payment(on=date(2026, 5, 2), amount=Money("100.00", "EUR"))
    paid = record_payment(invoice(), payment, actor=AUTOMATIC, authority=Authority()).invoice
    action = next_dunning_action(paid, rules, today=date(2026, 5, 11))
    assert isinstance(action, IssueStage)
    texts = action.documents(paid, tenant_name="Muster GmbH")
    for text in (texts.email_body, texts.pdf_text):
        assert "Bitte überweisen Sie den offenen Betrag von 24,00\xa0€ bis zum 18.05.2026" in text
        assert "124,00\xa0€" in text
    reminder = DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=0),))
    first = next_dunning_action(paid, reminder, today=date(2026, 5, 11))
    assert isinstance(first, IssueStage)
    body = first.documents(paid, tenant_name="Muster GmbH").email_body
    assert "Bitte überweisen Sie den offenen Betrag von 19,00\xa0€ bis zum 18.05.2026" in body


def test_documents_refuse_another_invoice() -> None:
    """The texts are rendered only for the invoice the action was decided for."""
    action = decide(date(2026, 5, 11))
    assert isinstance(action, IssueStage)
    with pytest.raises(InvalidValueError, match="RE-2026-0001"):
        action.documents(attrs.evolve(invoice(), id="X"), tenant_name="T")
    with pytest.raises(InvalidValueError, match="documents.invoice"):
        action.documents(None, tenant_name="T")  # type: ignore[arg-type]


def test_notice_record_matches_the_action() -> None:
    """The IssuedStage kept on the invoice has the action's level, dates and fee."""
    action = decide(date(2026, 5, 11))
    assert isinstance(action, IssueStage)
    notice = action.issued()
    assert (notice.level, notice.on, notice.due_date, notice.fee) == (
        1,
        date(2026, 5, 11),
        date(2026, 5, 18),
        FEE,
    )
    assert record_stage(
        invoice(), action, actor=AUTOMATIC, authority=Authority()
    ).issued_stages == (notice,)


def _valid_issue() -> dict[str, Any]:
    action = decide(date(2026, 5, 11))
    assert isinstance(action, IssueStage)
    return {a.name: getattr(action, a.name) for a in attrs.fields(IssueStage)}


@pytest.mark.parametrize(
    ("cls", "changes", "field"),
    [
        (IssueStage, {"level": 0}, "IssueStage.level"),
        (IssueStage, {"stage_number": -1}, "IssueStage.stage_number"),
        (IssueStage, {"stage": "notice"}, "IssueStage.stage"),
        (IssueStage, {"fee": "5.00"}, "IssueStage.fee"),
        (IssueStage, {"channels": ("email",)}, r"IssueStage.channels\[0\]"),
        (IssueStage, {"invoice_id": ""}, "IssueStage.invoice_id"),
        (NoAction, {"reason": "paused"}, "NoAction.reason"),
        (NoAction, {"next_on": "2026-05-10"}, "NoAction.next_on"),
        (Escalate, {"escalation": "collection"}, "Escalate.escalation"),
    ],
)
def test_decisions_check_their_fields(cls: type, changes: dict[str, Any], field: str) -> None:
    """Decisions are values like any other: bad fields are refused naming the field."""
    valid: dict[type, dict[str, Any]] = {
        IssueStage: _valid_issue(),
        NoAction: {"invoice_id": "RE-1", "reason": NoActionReason.PAUSED},
        Escalate: {
            "invoice_id": "RE-1",
            "escalation": Escalation.COLLECTION,
            "on": date(2026, 7, 1),
            "due_since": date(2026, 7, 1),
            "level": 4,
            "open_amount": FEE,
        },
    }
    with pytest.raises(InvalidValueError, match=field):
        cls(**{**valid[cls], **changes})


def test_a_no_action_below_the_customer_minimum_shows_both_amounts() -> None:
    """BELOW_CUSTOMER_MINIMUM carries the minimum and the customer's overdue total, in one
    currency, the total below the minimum; any other reason carries neither."""
    minimum, total = Money("50.00", "EUR"), Money("49.99", "EUR")
    held = NoAction(
        invoice_id="RE-1",
        reason=NoActionReason.BELOW_CUSTOMER_MINIMUM,
        minimum=minimum,
        overdue_total=total,
    )
    assert (held.minimum, held.overdue_total) == (minimum, total)
    below = NoActionReason.BELOW_CUSTOMER_MINIMUM
    with pytest.raises(InvalidValueError, match="NoAction.minimum"):
        NoAction(invoice_id="RE-1", reason=below, overdue_total=total)
    with pytest.raises(InvalidValueError, match="NoAction.minimum: .* expected None"):
        NoAction(invoice_id="RE-1", reason=NoActionReason.PAUSED, minimum=minimum)
    with pytest.raises(InvalidValueError, match="minimum's currency EUR"):
        NoAction(
            invoice_id="RE-1", reason=below, minimum=minimum, overdue_total=Money("1.00", "CHF")
        )
    with pytest.raises(InvalidValueError, match="at the minimum, the notice goes out"):
        NoAction(invoice_id="RE-1", reason=below, minimum=minimum, overdue_total=minimum)


def test_a_no_action_shows_the_minimum_only_when_it_has_one() -> None:
    """The repr rebuilds the value: the customer-minimum amounts appear only when given."""
    plain = NoAction(invoice_id="RE-1", reason=NoActionReason.PAUSED)
    assert repr(plain) == (
        "NoAction(invoice_id='RE-1', reason=NoActionReason.PAUSED, next_on=None)"
    )
    held = NoAction(
        invoice_id="RE-1",
        reason=NoActionReason.BELOW_CUSTOMER_MINIMUM,
        minimum=Money("50.00", "EUR"),
        overdue_total=Money("0.00", "EUR"),
    )
    assert "minimum=Money(" in repr(held)
    assert "overdue_total=Money(" in repr(held)
