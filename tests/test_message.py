"""The e-mail of a dunning letter (issue 26): the letter's texts in the customer's language,
a plain and an HTML part that escapes every substituted value, the PDF attached, addressed to
the customer's billing address; the same letter, the same bytes."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy
from email.message import EmailMessage

import attrs
import pytest

from dunlib import (
    Customer,
    Decision,
    DunningLetter,
    DunningRules,
    DunningStage,
    InvalidTypeError,
    InvalidValueError,
    Invoice,
    Money,
    StageKind,
    next_dunning_action,
)
from dunlib.documents import Sender, letter_message

DAY = dt.date(2026, 5, 24)
RULES = DunningRules(stages=(DunningStage(StageKind.REMINDER, days_overdue=14),))
SENDER = Sender(
    name="Muster Software GmbH",
    street="Hauptstraße 1",
    postcode="10115",
    city="Berlin",
    country="DE",
    iban="DE89 3704 0044 0532 0130 00",
    bic="COBADEFFXXX",
    vat_id="DE123456789",
    email="buchhaltung@muster.example",
)


def letter(customer: Customer, count: int = 1) -> DunningLetter:
    """A reminder letter to ``customer`` for ``count`` invoices due 10.05.2026."""
    decisions = []
    for n in range(1, count + 1):
        invoice = Invoice.sent(
            number=f"RE-2026-000{n}",
            customer=customer,
            gross=Money("119.00", "EUR"),
            issue_date=dt.date(2026, 4, 26),
            due_date=dt.date(2026, 5, 10),
        )
        decisions.append(
            Decision(invoice=invoice, action=next_dunning_action(invoice, RULES, today=DAY))
        )
    return DunningLetter(decisions=tuple(decisions))


ACME = Customer(id="C-1", name="ACME GmbH", email="rechnung@acme.example")


def parts(message: EmailMessage) -> dict[str, str]:
    """The message's text parts by content type."""
    return {
        part.get_content_type(): part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "text"
    }


def test_a_letter_becomes_an_email_to_the_billing_address_with_its_pdf() -> None:
    """Worked: a reminder for two invoices of ACME GmbH goes to rechnung@acme.example from the
    sender's address, its subject and body in German, both invoices listed, the PDF attached
    as the lead invoice's number."""
    message = letter_message(letter(ACME, 2), sender=SENDER, pdf=b"%PDF-1.7 test")
    assert message["To"] == "ACME GmbH <rechnung@acme.example>"
    assert message["From"] == "Muster Software GmbH <buchhaltung@muster.example>"
    assert message["Content-Language"] == "de"
    assert message["Subject"] == "Zahlungserinnerung zu 2 Rechnungen"
    text = parts(message)
    assert "RE-2026-0001" in text["text/plain"]
    assert "RE-2026-0002" in text["text/plain"]
    assert "Muster Software GmbH" in text["text/plain"]
    assert text["text/html"].startswith("<!DOCTYPE html>")
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["RE-2026-0001.pdf"]
    assert attachments[0].get_content() == b"%PDF-1.7 test"


def test_html_escapes_every_substituted_value_and_plain_text_stays_as_rendered() -> None:
    """A customer named ``<script>`` is escaped in the HTML part and written as it is in the
    plain text, which is substitution only."""
    evil = attrs.evolve(ACME, name="<script>alert(1)</script> & Co")
    text = parts(letter_message(letter(evil), sender=SENDER))
    rendered = letter(evil).documents(tenant_name=SENDER.name).email_body
    assert text["text/plain"].rstrip("\n") == rendered.rstrip("\n")
    assert "<script>" not in text["text/html"]


def test_the_same_letter_gives_the_same_bytes_and_parses_back() -> None:
    """No date, no message id: the same letter and PDF give identical bytes, which a mail
    reader parses back to the same subject."""
    first = letter_message(letter(ACME), sender=SENDER, pdf=b"%PDF")
    second = letter_message(letter(ACME), sender=SENDER, pdf=b"%PDF")
    assert first.as_bytes() == second.as_bytes()
    parsed = message_from_bytes(first.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == first["Subject"]
    assert first["Date"] is None


def test_an_english_customer_gets_an_english_email() -> None:
    """The texts follow the customer's locale."""
    english = attrs.evolve(ACME, locale="en_GB")
    message = letter_message(letter(english), sender=SENDER)
    assert message["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("customer_email", "sender_email", "field"),
    [
        ("", "buchhaltung@muster.example", r"letter_message\.letter\.customer\(C-1\)\.email"),
        ("no address", "buchhaltung@muster.example", r"customer\(C-1\)\.email"),
        ("rechnung@acme.example", "", r"letter_message\.sender\.email"),
    ],
)
def test_a_missing_or_malformed_address_is_refused(
    customer_email: str, sender_email: str, field: str
) -> None:
    """No billing address, or a sender without one, is a typed error naming the field."""
    with pytest.raises(InvalidValueError, match=field):
        letter_message(
            letter(attrs.evolve(ACME, email=customer_email)),
            sender=attrs.evolve(SENDER, email=sender_email),
        )


def test_arguments_of_the_wrong_type_are_refused() -> None:
    """Typed errors name the argument."""
    with pytest.raises(InvalidTypeError, match=r"letter_message\.letter"):
        letter_message("letter", sender=SENDER)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"letter_message\.sender"):
        letter_message(letter(ACME), sender="me")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"letter_message\.pdf"):
        letter_message(letter(ACME), sender=SENDER, pdf="pdf")  # type: ignore[arg-type]
