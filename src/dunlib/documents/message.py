"""The e-mails that carry an invoice or a dunning letter to the customer's billing address.

:func:`invoice_message` and :func:`letter_message` build a standard-library
:class:`email.message.EmailMessage`: the subject and body in the customer's language (for a
letter the texts of its stage, :meth:`~dunlib.dunning.decisions.DunningLetter.documents`; for
an invoice :data:`INVOICE_TEXTS` or templates of the caller's), a plain-text part and an HTML
alternative, and the document's PDF (and an invoice's e-invoice XML) attached when given
(seed 002: the e-mail opens with the PDF invoice attached, addressed to the billing
account's e-mail address). dunlib builds the message; the app sends it (``smtplib``, a mail
service).

The plain text is the rendered template as it is (substitution only). The HTML part escapes
the whole rendered text, every substituted value included, so a customer named
``<script>`` is shown, never run. The message carries no ``Date`` or ``Message-ID``: the
mailer adds them when it sends, and the same letter gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from types import MappingProxyType

from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.templates import Template, TemplateValues, written_in
from dunlib.documents.sender import Sender
from dunlib.dunning.decisions import DunningLetter

__all__ = ["INVOICE_TEXTS", "invoice_message", "letter_message"]

INVOICE_TEXTS: Mapping[str, tuple[Template, Template]] = MappingProxyType(
    {
        "de": (
            Template(source="Rechnung {{ referencedInvoiceNumber }}"),
            Template(
                source="Sehr geehrte Damen und Herren,\n\n"
                "anbei erhalten Sie unsere Rechnung {{ referencedInvoiceNumber }} vom "
                "{{ referencedInvoiceDate }} über {{ totalGrossAmount }}. Bitte überweisen Sie "
                "den Betrag bis zum {{ dueDate }} unter Angabe der Rechnungsnummer.\n\n"
                "Mit freundlichen Grüßen\n{{ tenant.name }}"
            ),
        ),
        "en": (
            Template(source="Invoice {{ referencedInvoiceNumber }}"),
            Template(
                source="Dear Sir or Madam,\n\n"
                "please find attached our invoice {{ referencedInvoiceNumber }} of "
                "{{ referencedInvoiceDate }} for {{ totalGrossAmount }}. Please transfer the "
                "amount by {{ dueDate }}, quoting the invoice number.\n\n"
                "Kind regards\n{{ tenant.name }}"
            ),
        ),
    }
)
"""The subject and body of an invoice's e-mail by language (German for a German-speaking
customer, English for any other), used unless the caller gives its own templates."""


def _address(name: str, email: str, field: str) -> Address:
    """``email`` under ``name`` as a header address, or a typed error naming ``field``."""
    user, at, domain = email.partition("@")
    if not (user and at and domain) or any(c.isspace() or c in '<>,;"' for c in email):
        raise InvalidValueError(field, email, "an e-mail address such as 'rechnung@example.com'")
    return Address(display_name=name, username=user, domain=domain)


def _html(text: str) -> str:
    """``text`` as an HTML document: every character escaped, paragraphs kept."""
    paragraphs = [html.escape(part).replace("\n", "<br>\n") for part in text.split("\n\n")]
    body = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f"<!DOCTYPE html>\n<html>\n<body>\n{body}\n</body>\n</html>\n"


def _message(
    subject: str,
    body: str,
    language: str,
    addresses: tuple[Address, Address],
    attachments: tuple[tuple[bytes, str, str, str], ...],
) -> EmailMessage:
    """The e-mail of ``subject`` and ``body`` (plain text and HTML) from the first of
    ``addresses`` to the second, with the ``attachments`` (content, main type, subtype,
    file name), its multipart boundaries drawn from its content: the same message gives the
    same bytes."""
    source, to = addresses
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = source
    message["To"] = to
    message.set_content(body)
    message.add_alternative(_html(body), subtype="html")
    for content, maintype, subtype, filename in attachments:
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    message["Content-Language"] = language  # set_content clears Content-* headers
    seed = hashlib.sha256(
        repr((subject, body, str(to), str(source), attachments)).encode()
    ).hexdigest()[:24]
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_dunlib_{seed}_{index}")
    return message


def _bytes(value: object, field: str, expected: str) -> bytes | None:
    if value is not None and not isinstance(value, bytes):
        raise InvalidTypeError(field, value, expected)
    return value


def invoice_message(
    invoice: Invoice,
    *,
    sender: Sender,
    pdf: bytes | None = None,
    xml: bytes | None = None,
    subject: Template | None = None,
    body: Template | None = None,
) -> EmailMessage:
    """The e-mail of the booked ``invoice`` from ``sender`` to the customer's billing
    address (``Customer.email``): subject and body from :data:`INVOICE_TEXTS` (German for a
    German-speaking customer, English for any other), or from the ``subject`` and ``body``
    templates given (their placeholders: the invoice's number, date, gross and due date, the
    customer's and the sender's names), a plain-text and an HTML part, and ``pdf`` attached
    as ``<number>.pdf`` and ``xml`` (an e-invoice, :mod:`dunlib.documents.einvoice`) as
    ``<number>.xml`` when given. A draft (no number yet), a customer without a billing
    address and a sender without an e-mail address are refused
    (:class:`~dunlib.core.errors.InvalidValueError` naming the field)."""
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("invoice_message.invoice", invoice, "an Invoice")
    if not isinstance(sender, Sender):
        raise InvalidTypeError("invoice_message.sender", sender, "a Sender")
    pdf = _bytes(pdf, "invoice_message.pdf", "the invoice's PDF as bytes, or None")
    xml = _bytes(xml, "invoice_message.xml", "the invoice's e-invoice XML as bytes, or None")
    for field, template in (("subject", subject), ("body", body)):
        if template is not None and not isinstance(template, Template):
            raise InvalidTypeError(f"invoice_message.{field}", template, "a Template, or None")
    if not invoice.status.is_booked:
        raise InvalidValueError(
            "invoice_message.invoice",
            invoice.known_as,
            "a booked invoice with its number (a draft is not sent to the customer)",
        )
    customer = invoice.customer
    to = _address(
        customer.name, customer.email, f"invoice_message.invoice.customer({customer.id}).email"
    )
    source = _address(sender.name, sender.email, "invoice_message.sender.email")
    language = written_in(customer.locale)
    default_subject, default_body = INVOICE_TEXTS[language]
    values = TemplateValues(
        invoice_number=invoice.number,
        invoice_date=invoice.issue_date,
        total_gross=invoice.gross,
        due_date=invoice.due_date,
        tenant_name=sender.name,
        customer_name=customer.name,
        locale=customer.locale,
    )
    attachments = tuple(
        (content, maintype, subtype, f"{invoice.number}.{suffix}")
        for content, maintype, subtype, suffix in (
            (pdf, "application", "pdf", "pdf"),
            (xml, "application", "xml", "xml"),
        )
        if content is not None
    )
    return _message(
        (subject or default_subject).render(values),
        (body or default_body).render(values),
        language,
        (source, to),
        attachments,
    )


def letter_message(
    letter: DunningLetter, *, sender: Sender, pdf: bytes | None = None
) -> EmailMessage:
    """The e-mail of ``letter`` from ``sender`` to the customer's billing address
    (``Customer.email``): subject and body from the letter's texts signed with the sender's
    name, a plain-text and an HTML part, and ``pdf`` attached as ``<lead invoice>.pdf`` when
    given. A customer without a billing address, or a sender without an e-mail address, is
    refused (:class:`~dunlib.core.errors.InvalidValueError` naming the field)."""
    if not isinstance(letter, DunningLetter):
        raise InvalidTypeError("letter_message.letter", letter, "a DunningLetter")
    if not isinstance(sender, Sender):
        raise InvalidTypeError("letter_message.sender", sender, "a Sender")
    pdf = _bytes(pdf, "letter_message.pdf", "the letter's PDF as bytes, or None")
    customer = letter.customer
    to = _address(
        customer.name, customer.email, f"letter_message.letter.customer({customer.id}).email"
    )
    source = _address(sender.name, sender.email, "letter_message.sender.email")
    texts = letter.documents(tenant_name=sender.name)
    attachments: tuple[tuple[bytes, str, str, str], ...] = ()
    if pdf is not None:
        number = letter.decisions[letter.actions.index(letter.lead)].invoice.number
        attachments = ((pdf, "application", "pdf", f"{number}.pdf"),)
    return _message(
        texts.email_subject, texts.email_body, texts.language, (source, to), attachments
    )
