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
from dunlib.core import Template
from dunlib.documents import Sender, invoice_message, letter_message
from dunlib.workflow import Actor, create_draft

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


# -- the invoice's e-mail ------------------------------------------------------------------


def booked(customer: Customer = ACME) -> Invoice:
    """A booked invoice of 119.00 EUR to ``customer``, due 10.05.2026."""
    return Invoice.sent(
        number="RE-2026-0007",
        customer=customer,
        gross=Money("119.00", "EUR"),
        issue_date=dt.date(2026, 4, 26),
        due_date=dt.date(2026, 5, 10),
    )


def test_an_invoice_becomes_an_email_with_its_pdf_and_e_invoice() -> None:
    """Seed 002: the e-mail to the billing account's address with the PDF invoice attached;
    the e-invoice XML beside it when given, each named by the invoice number."""
    message = invoice_message(booked(), sender=SENDER, pdf=b"%PDF-1.7", xml=b"<rsm/>")
    assert (message["To"], message["From"]) == (
        "ACME GmbH <rechnung@acme.example>",
        "Muster Software GmbH <buchhaltung@muster.example>",
    )
    assert message["Subject"] == "Rechnung RE-2026-0007"
    text = parts(message)["text/plain"]
    assert "Rechnung RE-2026-0007 vom 26.04.2026 über 119,00" in text
    assert "bis zum 10.05.2026" in text
    assert text.rstrip().endswith("Muster Software GmbH")
    attached = {
        part.get_filename(): (part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    }
    assert attached == {
        "RE-2026-0007.pdf": ("application/pdf", b"%PDF-1.7"),
        "RE-2026-0007.xml": ("application/xml", b"<rsm/>"),
    }
    again = invoice_message(booked(), sender=SENDER, pdf=b"%PDF-1.7", xml=b"<rsm/>")
    assert bytes(again) == bytes(message)


def test_an_invoice_email_speaks_the_customer_s_language_and_escapes_html() -> None:
    """English for a customer writing English; the HTML part escapes the customer's name
    wherever a template substitutes it, the plain text keeps it as it is."""
    english = attrs.evolve(ACME, locale="en_GB", name="<script>x</script>")
    subject = Template(source="Invoice {{ referencedInvoiceNumber }}")
    body = Template(source="Dear {{ customer.name }},\n\nplease pay {{ totalGrossAmount }}.")
    message = invoice_message(booked(english), sender=SENDER, subject=subject, body=body)
    texts = parts(message)
    assert message["Content-Language"] == "en"
    assert "Dear <script>x</script>," in texts["text/plain"]
    assert "&lt;script&gt;x&lt;/script&gt;" in texts["text/html"]
    assert "<script>" not in texts["text/html"]
    plain = invoice_message(booked(english), sender=SENDER)
    assert plain["Subject"] == "Invoice RE-2026-0007"
    french = invoice_message(booked(attrs.evolve(ACME, locale="fr_FR")), sender=SENDER)
    assert (french["Subject"], french["Content-Language"]) == ("Invoice RE-2026-0007", "en")
    assert "please find attached our invoice RE-2026-0007" in parts(plain)["text/plain"]


def test_an_invoice_email_refuses_a_draft_and_wrong_arguments() -> None:
    """A draft has no number and is not sent; each argument of the wrong type is named."""
    clerk = Actor(id="dora", roles={"clerk"})
    draft = create_draft(id="D-1", customer=ACME, currency="EUR", actor=clerk, on=DAY)
    with pytest.raises(InvalidValueError, match="invoice_message.invoice.*a booked invoice"):
        invoice_message(draft, sender=SENDER)
    for kwargs, field in (
        ({"invoice": "RE-1"}, "invoice_message.invoice"),
        ({"sender": "Muster"}, "invoice_message.sender"),
        ({"pdf": "%PDF"}, "invoice_message.pdf"),
        ({"xml": "<x/>"}, "invoice_message.xml"),
        ({"subject": "Rechnung"}, "invoice_message.subject"),
    ):
        arguments: dict[str, object] = {"invoice": booked(), "sender": SENDER, **kwargs}
        with pytest.raises(InvalidTypeError, match=field):
            invoice_message(**arguments)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"customer\(C-1\).email"):
        invoice_message(booked(attrs.evolve(ACME, email="")), sender=SENDER)
