"""The e-mail that carries a dunning letter to the customer's billing address.

:func:`letter_message` builds a standard-library :class:`email.message.EmailMessage` from a
:class:`~dunlib.dunning.decisions.DunningLetter`: the subject and body its texts give in the
customer's language (:meth:`~dunlib.dunning.decisions.DunningLetter.documents`), a plain-text
part and an HTML alternative, and the letter's PDF attached when given. dunlib builds the
message; the app sends it (``smtplib``, a mail service).

The plain text is the rendered template as it is (substitution only). The HTML part escapes
the whole rendered text, every substituted value included, so a customer named
``<script>`` is shown, never run. The message carries no ``Date`` or ``Message-ID``: the
mailer adds them when it sends, and the same letter gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
from email.headerregistry import Address
from email.message import EmailMessage

from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.documents.sender import Sender
from dunlib.dunning.decisions import DunningLetter

__all__ = ["letter_message"]


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
    if pdf is not None and not isinstance(pdf, bytes):
        raise InvalidTypeError("letter_message.pdf", pdf, "the letter's PDF as bytes, or None")
    customer = letter.customer
    to = _address(
        customer.name, customer.email, f"letter_message.letter.customer({customer.id}).email"
    )
    source = _address(sender.name, sender.email, "letter_message.sender.email")
    texts = letter.documents(tenant_name=sender.name)
    message = EmailMessage()
    message["Subject"] = texts.email_subject
    message["From"] = source
    message["To"] = to
    message.set_content(texts.email_body)
    message.add_alternative(_html(texts.email_body), subtype="html")
    if pdf is not None:
        number = letter.decisions[letter.actions.index(letter.lead)].invoice.number
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=f"{number}.pdf")
    message["Content-Language"] = texts.language  # set_content clears Content-* headers
    # multipart boundaries from the content, not drawn at random when the message is written:
    # the same letter gives the same bytes
    seed = hashlib.sha256(repr((texts, str(to), str(source), pdf)).encode()).hexdigest()[:24]
    for index, part in enumerate(message.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_dunlib_{seed}_{index}")
    return message
