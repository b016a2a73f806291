"""The PDFs a customer receives: the invoice and the dunning letter, as A4 business letters
that fit a DIN 5008 window envelope (an edge module: it writes documents for the outside
world, and reads nothing from it, not even the clock).

Every figure printed is dunlib's own: the lines' nets, the tax per rate, the totals, the
fees, interest and open amounts, written with :func:`dunlib.core.templates.format_amount`
in the customer's locale (``de_DE``: ``1.234,50 €``), never through a float. The words
around them are German for a German-speaking customer and English for any other.

The same inputs give the same bytes: the PDF's creation date is the document's own date
(the invoice's issue date, or the letter's), its producer a constant, and the font (DejaVu
Sans, shipped with dunlib under its licence in ``dunlib/documents/fonts``) is embedded as a
subset, so "€", "Łódź" and "ß" print. Needs the ``documents`` extra (``fpdf2``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import sum_money
from dunlib.core.templates import format_amount, format_day, language_of
from dunlib.documents import _layout as page
from dunlib.documents.girocode import MAX_PAYLOAD_BYTES, girocode_png
from dunlib.dunning.decisions import DunningLetter

__all__ = ["invoice_pdf", "letter_pdf"]


def invoice_pdf(
    invoice: Invoice,
    *,
    sender_name: str,
    sender_lines: Sequence[str],
    recipient_lines: Sequence[str] = (),
    on: _dt.date | None = None,
    girocode: str | None = None,
) -> bytes:
    """The invoice as the customer receives it: a PDF (A4, DIN 5008 window envelope).

    ``sender_name`` and ``sender_lines`` are the issuer (the tenant) and its address, tax
    and bank lines, printed in the letterhead, the return address and the footer;
    ``recipient_lines`` the customer's address below their name in the window. The
    information block names the invoice number, its date, the customer number (the
    customer's id) and the due date; the table every line (description, quantity, unit
    price, tax rate, net); below it the net total, the tax of each rate on the net of that
    rate, the gross, and the payment terms with the cash discount if the terms give one.
    ``on`` is the day the document is made (a copy made later: it is printed as the day of
    issue); it defaults to the issue date, and is the PDF's creation date. ``girocode``, a
    GiroCode payload (:func:`~dunlib.documents.girocode.invoice_girocode`), is drawn under
    the payment terms.

    Refuses, with a :class:`~dunlib.core.errors.InvalidValueError` naming the field, an
    invoice without a number (a draft: its preview is another document) or a cancelling
    invoice, a day before the issue date, and text with a character the font has no glyph
    for (it would print as nothing: Chinese, Japanese).
    """
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("invoice_pdf.invoice", invoice, "an Invoice")
    name, lines = page.sender(sender_name, sender_lines, "invoice_pdf")
    recipient = page.text_lines(recipient_lines, "invoice_pdf.recipient_lines")
    if not invoice.number.strip():
        raise InvalidValueError(
            "invoice_pdf.invoice",
            invoice.known_as,
            "a booked invoice with its number (a draft has none yet)",
        )
    if invoice.cancels is not None:
        raise InvalidValueError(
            "invoice_pdf.invoice",
            invoice.known_as,
            f"an invoice, not one cancelling invoice {invoice.cancels}",
        )
    day = invoice.issue_date if on is None else as_date(on, "invoice_pdf.on")
    if day < invoice.issue_date:
        raise InvalidValueError(
            "invoice_pdf.on", day, f"on or after the issue date {invoice.issue_date}"
        )
    locale = invoice.customer.locale
    words = page.labels(language_of(locale))
    title = f"{words['invoice']} {invoice.number}"
    pdf = page.document(day=day, title=title, sender_name=name, sender_lines=lines, language=locale)
    info = [
        (words["invoice_number"], invoice.number),
        (words["invoice_date"], format_day(invoice.issue_date, locale)),
    ]
    if day != invoice.issue_date:
        info.append((words["document_date"], format_day(day, locale)))
    info += [
        (words["customer_number"], invoice.customer.id),
        (words["due_date"], format_day(invoice.due_date, locale)),
    ]
    page.first_page(
        pdf,
        sender_name=name,
        sender_lines=lines,
        recipient=(invoice.customer.name, *recipient),
        info=info,
        subject=title,
    )
    page.table(
        pdf,
        headings=[
            words["position"],
            words["description"],
            words["quantity"],
            words["unit_price"],
            words["tax_rate"],
            words["net"],
        ],
        widths=(10, 64, 19, 28, 14, 30),
        right=(True, False, True, True, True, True),
        rows=(
            (
                str(position),
                line.description,
                page.quantity(line.quantity, locale),
                format_amount(line.unit_price, locale),
                page.percent(line.tax_rate, locale),
                format_amount(line.net, locale),
            )
            for position, line in enumerate(invoice.lines, start=1)
        ),
    )
    rows = [(words["net_total"], format_amount(invoice.net, locale), False)]
    for rate, tax in invoice.tax_by_rate:
        base = sum_money((x.net for x in invoice.lines if x.tax_rate == rate), invoice.currency)
        label = words["tax_line"].format(
            rate=page.percent(rate, locale), base=format_amount(base, locale)
        )
        rows.append((label, format_amount(tax, locale), False))
    rows.append((words["gross_total"], format_amount(invoice.gross, locale), True))
    page.totals(pdf, rows)
    page.paragraph(pdf, _terms(invoice, words, locale))
    _girocode(pdf, girocode, words, "invoice_pdf")
    return page.finished(pdf, "invoice_pdf")


def _girocode(pdf: page.Page, payload: str | None, words: dict[str, str], where: str) -> None:
    """Draw the GiroCode of ``payload`` (None: none) with its caption."""
    if payload is None:
        return
    if (
        not isinstance(payload, str)
        or not payload.startswith("BCD\n")
        or len(payload.encode("utf-8")) > MAX_PAYLOAD_BYTES
    ):
        raise InvalidValueError(
            f"{where}.girocode", payload, "a GiroCode payload (girocode_payload), or None"
        )
    page.girocode(pdf, girocode_png(payload, scale=8), words["girocode"])


def _terms(invoice: Invoice, words: dict[str, str], locale: str) -> str:
    """The payment terms under the totals: the due date, the cash discount if any, and the
    invoice number to quote."""
    text = words["terms"].format(due=format_day(invoice.due_date, locale))
    terms = invoice.terms
    deadline = terms.discount_deadline(invoice.issue_date)
    if deadline is not None and terms.discount_percent is not None:
        discount = terms.discount_on(invoice.gross, issue_date=invoice.issue_date, on=deadline)
        text += " " + words["discount"].format(
            deadline=format_day(deadline, locale),
            percent=page.percent(terms.discount_percent, locale),
            discount=format_amount(discount, locale),
            payable=format_amount(invoice.gross - discount, locale),
        )
    return text + "\n" + words["reference"].format(number=invoice.number)


def letter_pdf(
    letter: DunningLetter,
    *,
    sender_name: str,
    sender_lines: Sequence[str],
    tenant: str | None = None,
    recipient_lines: Sequence[str] = (),
    girocode: str | None = None,
) -> bytes:
    """A dunning letter as the customer receives it: a PDF (A4, DIN 5008 window envelope).

    The subject and text are the letter's own (:meth:`DunningLetter.documents
    <dunlib.dunning.decisions.DunningLetter.documents>`: the stage's e-mail subject and PDF
    text in the customer's language, signed by ``tenant``, which defaults to
    ``sender_name``); below them a statement of every invoice of the letter with its date,
    due date, dunning level, fee, interest and the amount it claims, then the letter's fees,
    interest, open total and new payment deadline. The information block names the letter's
    date (the day of its documents, the PDF's creation date), the customer number and the
    deadline. ``sender_name``, ``sender_lines`` and ``recipient_lines`` are as for
    :func:`invoice_pdf`, and so are the refusals of bad arguments and of text the font
    cannot print. ``girocode``, a GiroCode payload for the open total
    (:func:`~dunlib.documents.girocode.girocode_payload`), is drawn under the totals.
    """
    if not isinstance(letter, DunningLetter):
        raise InvalidTypeError("letter_pdf.letter", letter, "a DunningLetter")
    name, lines = page.sender(sender_name, sender_lines, "letter_pdf")
    recipient = page.text_lines(recipient_lines, "letter_pdf.recipient_lines")
    signer = name if tenant is None else tenant
    if not isinstance(signer, str):
        raise InvalidTypeError("letter_pdf.tenant", tenant, "a str (the name signing the letter)")
    texts = letter.documents(tenant_name=signer)
    customer = letter.customer
    locale = customer.locale
    words = page.labels(texts.language)
    day = letter.lead.on
    pdf = page.document(
        day=day,
        title=texts.email_subject,
        sender_name=name,
        sender_lines=lines,
        language=locale,
    )
    page.first_page(
        pdf,
        sender_name=name,
        sender_lines=lines,
        recipient=(customer.name, *recipient),
        info=(
            (words["date"], format_day(day, locale)),
            (words["customer_number"], customer.id),
            (words["deadline"], format_day(letter.due_date, locale)),
        ),
        subject=texts.email_subject,
    )
    page.paragraph(pdf, texts.pdf_text)
    pdf.ln(6.0)
    page.paragraph(pdf, words["statement"], size=10.5, bold=True)
    pdf.ln(1.5)
    page.table(
        pdf,
        headings=[
            words["invoice"],
            words["date"],
            words["due_date"],
            words["level"],
            words["fee"],
            words["interest"],
            words["open"],
        ],
        widths=(33, 23, 23, 12, 23, 23, 28),
        right=(False, True, True, True, True, True, True),
        rows=(
            (
                decision.invoice.number,
                format_day(decision.invoice.issue_date, locale),
                format_day(decision.invoice.due_date, locale),
                str(stage.level),
                format_amount(stage.fee, locale),
                format_amount(stage.interest, locale),
                format_amount(stage.open_amount, locale),
            )
            for decision, stage in zip(letter.decisions, letter.actions, strict=True)
        ),
    )
    page.totals(
        pdf,
        (
            (words["fees_total"], format_amount(letter.fee, locale), False),
            (words["interest_total"], format_amount(letter.interest, locale), False),
            (words["open_total"], format_amount(letter.open_amount, locale), True),
            (words["new_deadline"], format_day(letter.due_date, locale), True),
        ),
    )
    _girocode(pdf, girocode, words, "letter_pdf")
    return page.finished(pdf, "letter_pdf")
