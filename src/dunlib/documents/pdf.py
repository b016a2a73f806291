"""The PDFs a customer receives: the invoice, its draft preview, the credit note, the
cancelling invoice (Stornorechnung), the delivery note, the dunning letter and the statement
of account, as A4 business letters that fit a DIN 5008 window envelope (an edge module: it
writes documents for the outside world, and reads nothing from it, not even the clock).

Every document takes the :class:`~dunlib.documents.sender.Sender`: its name and address in
the letterhead and the return address, its VAT id or tax number, bank account and contact
in the footer of every page. The recipient in the window is the customer's name and postal
address (``Customer.address``); a document for a customer without one is refused, naming
the field and the document, since it could not be posted or filed as a letter.

Every figure printed is dunlib's own: the lines' nets, the tax per rate and category, the
totals, the fees, interest and open amounts, written with
:func:`dunlib.core.templates.format_amount` in the customer's locale (``de_DE``:
``1.234,50 €``), never through a float. The words around them are German for a
German-speaking customer and English for any other.

The same inputs give the same bytes: the PDF's creation date is the document's own date
(the invoice's issue date, the note's, the letter's, the statement's day), its producer a
constant, and the font (DejaVu Sans, shipped with dunlib under its licence in
``dunlib/documents/fonts``) is embedded as a subset, so "€", "Łódź" and "ß" print. Needs
the ``documents`` extra (``fpdf2``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Sequence

from dunlib.analytics.statement import StatementOfAccount, statement_words
from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, sum_money
from dunlib.core.records import CreditNote, Customer, LineItem, TaxCategory
from dunlib.core.templates import Template, format_amount, format_day, language_of, written_in
from dunlib.documents import _layout as page
from dunlib.documents.girocode import MAX_PAYLOAD_BYTES, girocode_png
from dunlib.documents.sender import Sender
from dunlib.dunning.decisions import DunningLetter
from dunlib.workflow.documents import DeliveryNote, credit_note_tax

__all__ = [
    "cancellation_pdf",
    "credit_note_pdf",
    "delivery_note_pdf",
    "invoice_pdf",
    "letter_pdf",
    "preview_pdf",
    "statement_pdf",
]

_CATEGORY_WORDS: dict[TaxCategory, tuple[str, str]] = {
    TaxCategory.ZERO: ("USt. 0 %", "VAT 0%"),
    TaxCategory.EXEMPT: ("Steuerfrei", "VAT exempt"),
    TaxCategory.REVERSE_CHARGE: ("Steuerschuldnerschaft des Leistungsempfängers", "Reverse charge"),
    TaxCategory.INTRA_COMMUNITY: (
        "Steuerfreie innergemeinschaftliche Lieferung",
        "VAT-exempt intra-community supply",
    ),
    TaxCategory.EXPORT: ("Steuerfreie Ausfuhrlieferung", "VAT-exempt export"),
    TaxCategory.OUTSIDE_SCOPE: ("Nicht steuerbar", "Outside the scope of VAT"),
}
"""How a zero-rated category is named in the tax lines under the totals."""

_CATEGORY_NOTES: dict[TaxCategory, tuple[str, str]] = {
    TaxCategory.ZERO: (
        "Umsatzsteuer 0 % (Nullsteuersatz, § 12 Abs. 3 UStG).",
        "Zero-rated supply (VAT 0%).",
    ),
    TaxCategory.EXEMPT: (
        "Steuerfreie Leistung (steuerfrei nach § 4 UStG).",
        "VAT-exempt supply.",
    ),
    TaxCategory.REVERSE_CHARGE: (
        "Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG): die Umsatzsteuer "
        "schuldet der Leistungsempfänger.",
        "Reverse charge: the recipient is liable for the VAT (Article 196 of Directive "
        "2006/112/EC).",
    ),
    TaxCategory.INTRA_COMMUNITY: (
        "Steuerfreie innergemeinschaftliche Lieferung (§ 4 Nr. 1b i. V. m. § 6a UStG).",
        "VAT-exempt intra-community supply (Article 138 of Directive 2006/112/EC).",
    ),
    TaxCategory.EXPORT: (
        "Steuerfreie Ausfuhrlieferung (§ 4 Nr. 1a i. V. m. § 6 UStG).",
        "VAT-exempt export supply (Article 146 of Directive 2006/112/EC).",
    ),
    TaxCategory.OUTSIDE_SCOPE: (
        "Im Inland nicht steuerbare Leistung.",
        "Supply outside the scope of VAT.",
    ),
}
"""The legal note printed under the totals for each zero-rated category on the invoice:
German for a German-speaking customer, English for any other."""

_NEEDS_VAT_ID = frozenset({TaxCategory.REVERSE_CHARGE, TaxCategory.INTRA_COMMUNITY})
"""The categories whose invoice must name the customer's VAT id (§ 14a UStG)."""


# -- checks ---------------------------------------------------------------------------------


def _sender(sender: object, where: str) -> Sender:
    if not isinstance(sender, Sender):
        raise InvalidTypeError(f"{where}.sender", sender, "a Sender (the tenant sending it)")
    return sender


def _recipient(customer: Customer, sender: Sender, document: str, where: str) -> list[str]:
    """The customer's name and postal address as the window shows them, the country in
    capitals when it is not the sender's; refused when the customer has no address."""
    address = customer.address
    if address is None:
        raise InvalidValueError(
            "Customer.address",
            None,
            f"the postal address of customer {customer.id} ({customer.name}): {where} prints "
            f"it in the window of {document}",
        )
    lines = [customer.name]
    if address.extra:
        lines.append(address.extra)
    lines += [address.street, f"{address.postcode} {address.city}"]
    if address.country != sender.country:
        lines.append(page.country_name(address.country, language_of(customer.locale)).upper())
    return lines


def _opened(
    customer: Customer,
    tenant: Sender,
    recipient: list[str],
    *,
    day: _dt.date,
    title: str,
    info: Sequence[tuple[str, str]],
    mark: str = "",
) -> page.Page:
    """A document to ``customer`` from ``tenant`` dated ``day``: its first page with the
    letterhead, ``recipient`` in the window, the information block ``info`` and ``title``
    as the subject (and the PDF's title); ``mark`` across every page (a draft's)."""
    locale = customer.locale
    pdf = page.document(day=day, title=title, sender=tenant, language=locale, mark=mark)
    page.first_page(
        pdf,
        sender=tenant,
        recipient=recipient,
        abroad=_abroad(customer, tenant),
        language=locale,
        info=info,
        subject=title,
    )
    return pdf


def _abroad(customer: Customer, sender: Sender) -> bool:
    address = customer.address
    return address is not None and address.country != sender.country


def _girocode(pdf: page.Page, payload: object, words: dict[str, str], where: str) -> None:
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


# -- the parts of an invoice ----------------------------------------------------------------


def _quantity(line: LineItem, locale: str) -> str:
    return f"{page.quantity(line.quantity, locale)} {page.unit(line.unit, locale)}"


def _lines(
    lines: Sequence[LineItem], currency: str, locale: str, *, prices: bool
) -> Iterator[list[str] | page.Band]:
    """The table's rows for ``lines``: each line, and where consecutive lines share a
    non-empty section, its heading before them and, with ``prices``, its subtotal (net, in
    ``currency``) after them."""
    words = page.labels(locale)
    section = ""
    nets: list[Money] = []
    for position, line in enumerate(lines, start=1):
        if line.section != section:
            if section and prices:
                total = format_amount(sum_money(nets, currency), locale)
                yield page.Band(words["subtotal"].format(section=section), total)
            section, nets = line.section, []
            if section:
                yield page.Band(section)
        nets.append(line.net)
        if prices:
            yield [
                str(position),
                line.description,
                _quantity(line, locale),
                format_amount(line.unit_price, locale),
                page.percent(line.tax_rate, locale),
                format_amount(line.net, locale),
            ]
        else:
            yield [str(position), line.description, _quantity(line, locale)]
    if section and prices:
        yield page.Band(
            words["subtotal"].format(section=section),
            format_amount(sum_money(nets, currency), locale),
        )


def _priced_table(pdf: page.Page, lines: Sequence[LineItem], currency: str, locale: str) -> None:
    words = page.labels(locale)
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
        widths=(10, 62, 21, 28, 14, 30),
        right=(True, False, True, True, True, True),
        rows=_lines(lines, currency, locale, prices=True),
    )


def _categories(lines: Sequence[LineItem]) -> list[TaxCategory | None]:
    """The tax categories of ``lines`` in the order they first appear (None: unknown)."""
    seen: list[TaxCategory | None] = []
    for line in lines:
        if line.category not in seen:
            seen.append(line.category)
    return seen


def _tax_rows(bill: Invoice, locale: str) -> list[tuple[str, str, bool]]:
    """The tax lines under the net total: per rate, the tax of that rate on its net (as
    :attr:`Invoice.tax_by_rate` computes it); a rate of zero once per category, named."""
    words = page.labels(locale)
    german = written_in(locale) == "de"
    rows = []
    for rate, tax in bill.tax_by_rate:
        at_rate = [line for line in bill.lines if line.tax_rate == rate]
        groups = [(None, at_rate)] if rate else [
            (category, [x for x in at_rate if x.category == category])
            for category in _categories(at_rate)
        ]  # fmt: skip
        for category, group in groups:
            base = format_amount(sum_money((x.net for x in group), bill.currency), locale)
            named = _CATEGORY_WORDS.get(category) if category is not None else None
            if named is None:
                label = words["tax_line"].format(rate=page.percent(rate, locale), base=base)
            else:
                label = words["tax_category_line"].format(
                    category=named[0] if german else named[1], base=base
                )
            rows.append((label, format_amount(tax, locale), False))
    return rows


def _notes(bill: Invoice, locale: str) -> list[str]:
    """The legal notes of the zero-rated categories on ``bill``, each once."""
    german = written_in(locale) == "de"
    return [
        _CATEGORY_NOTES[category][0 if german else 1]
        for category in _categories(bill.lines)
        if category in _CATEGORY_NOTES
    ]


def _check_vat_id(bill: Invoice, where: str) -> None:
    """A reverse-charge or intra-community invoice names the customer's VAT id (§ 14a
    UStG): refused without one."""
    customer = bill.customer
    needs = [c for c in _categories(bill.lines) if c in _NEEDS_VAT_ID]
    if needs and not customer.vat_id:
        raise InvalidValueError(
            "Customer.vat_id",
            "",
            f"the VAT id of customer {customer.id}: {where} prints it on invoice "
            f"{bill.known_as}, whose lines are {needs[0].value} (§ 14a UStG)",
        )


def _delivery(bill: Invoice, locale: str) -> tuple[str, str] | None:
    """The delivery date or period for the information block (None: none given)."""
    words = page.labels(locale)
    period = bill.delivery
    if period is None:
        return None
    if period.start == period.end:
        return words["delivery_date"], format_day(period.start, locale)
    return (
        words["delivery_period"],
        f"{format_day(period.start, locale)} \N{EN DASH} {format_day(period.end, locale)}",
    )


def _customer_info(customer: Customer, locale: str) -> list[tuple[str, str]]:
    words = page.labels(locale)
    info = [(words["customer_number"], customer.id)]
    if customer.vat_id:
        info.append((words["customer_vat_id"], customer.vat_id))
    if customer.buyer_reference:
        info.append((words["buyer_reference"], customer.buyer_reference))
    return info


def _terms(invoice: Invoice, due: _dt.date, issued: _dt.date, words: dict[str, str]) -> str:
    """The payment terms under the totals: the due date and the cash discount if any."""
    locale = invoice.customer.locale
    text = words["terms"].format(due=format_day(due, locale))
    terms = invoice.terms
    deadline = terms.discount_deadline(issued)
    if deadline is not None and terms.discount_percent is not None:
        discount = terms.discount_on(invoice.gross, issue_date=issued, on=deadline)
        text += " " + words["discount"].format(
            deadline=format_day(deadline, locale),
            percent=page.percent(terms.discount_percent, locale),
            discount=format_amount(discount, locale),
            payable=format_amount(invoice.gross - discount, locale),
        )
    return text


def _invoice_body(
    pdf: page.Page, bill: Invoice, *, due: _dt.date, issued: _dt.date, terms: bool
) -> None:
    """The table of lines, the totals, the delivery and legal notes and the terms."""
    locale = bill.customer.locale
    words = page.labels(locale)
    _priced_table(pdf, bill.lines, bill.currency, locale)
    rows = [(words["net_total"], format_amount(bill.net, locale), False)]
    rows += _tax_rows(bill, locale)
    rows.append((words["gross_total"], format_amount(bill.gross, locale), True))
    page.totals(pdf, rows)
    notes = [] if bill.delivery is not None else [words["delivery_is_invoice_date"]]
    notes += _notes(bill, locale)
    if terms:
        notes.append(_terms(bill, due, issued, words))
    page.paragraph(pdf, "\n".join(notes))


# -- the documents --------------------------------------------------------------------------


def invoice_pdf(
    invoice: Invoice,
    *,
    sender: Sender,
    on: _dt.date | None = None,
    girocode: str | None = None,
) -> bytes:
    """The invoice as the customer receives it: a PDF (A4, DIN 5008 window envelope),
    with what § 14 UStG asks of an invoice.

    ``sender`` (the tenant) is printed in the letterhead, the return address and the
    footer (name, address, VAT id and tax number, bank account, contact); the customer's
    name and ``Customer.address`` in the window. The information block names the invoice
    number, its date, the delivery date or period (``Invoice.delivery``), the customer
    number, the customer's VAT id and buyer reference when given, and the due date. The
    table lists every line (position, description, quantity with its unit, unit price, tax
    rate, net); consecutive lines of one section (``LineItem.section``) stand under its
    heading with their subtotal (net). Below it: the net total, the tax of each rate on the
    net of that rate (a rate of zero once per tax category, named), the gross; then the
    notes: "Leistungsdatum entspricht Rechnungsdatum" / "Delivery date: date of invoice"
    when no delivery date is given (the common German practice: the date of the invoice is
    then the date of the supply), the legal note of each zero-rated category (reverse
    charge, § 13b UStG; intra-community supply, § 4 Nr. 1b UStG; export; exempt), and the
    payment terms with the cash discount if the terms give one and the number to quote.
    ``on`` is the day the document is made (a copy made later: it is printed as the day
    of issue); it defaults to the issue date, and is the PDF's creation date. ``girocode``,
    a GiroCode payload (:func:`~dunlib.documents.girocode.invoice_girocode`), is drawn
    under the payment terms.

    Refuses, with a :class:`~dunlib.core.errors.InvalidValueError` naming the field, an
    invoice without a number (a draft: :func:`preview_pdf`) or a cancelling invoice
    (:func:`cancellation_pdf`), a customer without ``Customer.address``, a reverse-charge or
    intra-community invoice whose customer has no ``Customer.vat_id``, a day before the
    issue date, and text with a character the font has no glyph for (it would print as
    nothing: Chinese, Japanese).
    """
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("invoice_pdf.invoice", invoice, "an Invoice")
    tenant = _sender(sender, "invoice_pdf")
    if not invoice.number.strip():
        raise InvalidValueError(
            "invoice_pdf.invoice",
            invoice.known_as,
            "a booked invoice with its number (a draft has none yet: preview_pdf)",
        )
    if invoice.cancels is not None:
        raise InvalidValueError(
            "invoice_pdf.invoice",
            invoice.known_as,
            f"an invoice, not one cancelling invoice {invoice.cancels} (cancellation_pdf)",
        )
    day = invoice.issue_date if on is None else as_date(on, "invoice_pdf.on")
    if day < invoice.issue_date:
        raise InvalidValueError(
            "invoice_pdf.on", day, f"on or after the issue date {invoice.issue_date}"
        )
    recipient = _recipient(invoice.customer, tenant, f"invoice {invoice.known_as}", "invoice_pdf")
    _check_vat_id(invoice, "invoice_pdf")
    locale = invoice.customer.locale
    words = page.labels(locale)
    title = f"{words['invoice']} {invoice.number}"
    info = [
        (words["invoice_number"], invoice.number),
        (words["invoice_date"], format_day(invoice.issue_date, locale)),
    ]
    if day != invoice.issue_date:
        info.append((words["document_date"], format_day(day, locale)))
    delivery = _delivery(invoice, locale)
    if delivery is not None:
        info.append(delivery)
    info += _customer_info(invoice.customer, locale)
    info.append((words["due_date"], format_day(invoice.due_date, locale)))
    pdf = _opened(
        invoice.customer,
        tenant,
        recipient,
        day=day,
        title=title,
        info=info,
    )
    _invoice_body(pdf, invoice, due=invoice.due_date, issued=invoice.issue_date, terms=True)
    page.paragraph(pdf, words["reference"].format(number=invoice.number))
    _girocode(pdf, girocode, words, "invoice_pdf")
    return page.finished(pdf, "invoice_pdf")


def preview_pdf(draft: Invoice, *, sender: Sender, on: _dt.date) -> bytes:
    """The preview of an invoice not yet booked (a draft, in review or approved): the
    invoice as it would be sent on ``on``, marked "ENTWURF" / "DRAFT" across every page,
    and without a number (it is given when the invoice is sent).

    The page is the invoice's (:func:`invoice_pdf`): the lines with their sections and
    subtotals, the totals, the notes and the payment terms, the due date as sending on
    ``on`` would set it; the information block names the draft's id and the day ``on``,
    which is also the PDF's creation date. Refuses a booked invoice (it has its number:
    :func:`invoice_pdf`), a customer without ``Customer.address``, and the rest as
    :func:`invoice_pdf` does.
    """
    if not isinstance(draft, Invoice):
        raise InvalidTypeError("preview_pdf.draft", draft, "an Invoice not yet booked")
    tenant = _sender(sender, "preview_pdf")
    day = as_date(on, "preview_pdf.on")
    if draft.status.is_booked:
        raise InvalidValueError(
            "preview_pdf.draft",
            draft.known_as,
            "an invoice not yet booked (a booked invoice has its number: invoice_pdf)",
        )
    recipient = _recipient(draft.customer, tenant, f"draft {draft.id}", "preview_pdf")
    _check_vat_id(draft, "preview_pdf")
    locale = draft.customer.locale
    words = page.labels(locale)
    title = f"{words['draft']} {draft.id}"
    due = draft.terms.due_date(day)
    info = [(words["draft_id"], draft.id), (words["date"], format_day(day, locale))]
    delivery = _delivery(draft, locale)
    if delivery is not None:
        info.append(delivery)
    info += _customer_info(draft.customer, locale)
    info.append((words["due_date"], format_day(due, locale)))
    pdf = _opened(
        draft.customer,
        tenant,
        recipient,
        day=day,
        title=title,
        info=info,
        mark=words["mark"],
    )
    page.paragraph(pdf, words["draft_note"], bold=True)
    pdf.ln(3.0)
    _invoice_body(pdf, draft, due=due, issued=day, terms=True)
    return page.finished(pdf, "preview_pdf")


def credit_note_pdf(invoice: Invoice, note: CreditNote, *, sender: Sender) -> bytes:
    """The credit note ``note`` booked against ``invoice``, as the customer receives it.

    Its subject and information block name the note's id, its date (the PDF's creation
    date) and the invoice it credits (number and date); the body its lines, as an
    invoice's, with their net, the tax they take back per rate
    (:func:`~dunlib.workflow.documents.credit_note_tax`: a price reduction's as its split
    took it out of each share) and the credited total, the note's ``amount`` as booked; a
    note without lines just the amount; then its reason. Refuses a note not booked against
    ``invoice`` (not among its ``credit_notes``), an invoice without a number, and a
    customer without ``Customer.address``.
    """
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("credit_note_pdf.invoice", invoice, "an Invoice")
    if not isinstance(note, CreditNote):
        raise InvalidTypeError("credit_note_pdf.note", note, "a CreditNote")
    tenant = _sender(sender, "credit_note_pdf")
    if not invoice.number or note not in invoice.credit_notes:
        raise InvalidValueError(
            "credit_note_pdf.note",
            note.id,
            f"a credit note booked against invoice {invoice.known_as} (one of its "
            "credit_notes; record_credit_note books it)",
        )
    recipient = _recipient(
        invoice.customer, tenant, f"credit note {note.id} for invoice {invoice.known_as}",
        "credit_note_pdf",
    )  # fmt: skip
    locale = invoice.customer.locale
    words = page.labels(locale)
    subject = words["credit_subject"].format(id=note.id, number=invoice.number)
    pdf = _opened(
        invoice.customer,
        tenant,
        recipient,
        day=note.on,
        title=subject,
        info=(
            (words["credit_note_number"], note.id),
            (words["date"], format_day(note.on, locale)),
            (words["invoice_number"], invoice.number),
            (words["invoice_date"], format_day(invoice.issue_date, locale)),
            *_customer_info(invoice.customer, locale),
        ),
    )
    page.paragraph(
        pdf,
        words["credit_text"].format(
            number=invoice.number, date=format_day(invoice.issue_date, locale)
        ),
    )
    pdf.ln(3.0)
    rows = []
    if note.lines:
        _priced_table(pdf, note.lines, invoice.currency, locale)
        net = sum_money((line.net for line in note.lines), invoice.currency)
        rows.append((words["net_total"], format_amount(net, locale), False))
        for rate, tax in credit_note_tax(invoice, note):
            base = sum_money((x.net for x in note.lines if x.tax_rate == rate), invoice.currency)
            label = words["tax_line"].format(
                rate=page.percent(rate, locale), base=format_amount(base, locale)
            )
            rows.append((label, format_amount(tax, locale), False))
    rows.append((words["credit_amount"], format_amount(note.amount, locale), True))
    page.totals(pdf, rows)
    if note.reason:
        page.paragraph(pdf, words["reason"].format(reason=note.reason))
    return page.finished(pdf, "credit_note_pdf")


def cancellation_pdf(
    cancelling: Invoice, *, sender: Sender, original: Invoice | None = None
) -> bytes:
    """The cancelling invoice (Stornorechnung) ``cancelling``, as the customer receives it:
    its own number and date, the invoice it cancels, its lines (the original's, negated)
    with the totals, and the sentence that cancels the original in full.

    A cancelling invoice keeps the id of the invoice it cancels (``cancels``); given the
    ``original`` (the invoice of that id), its number and date are printed, else the id.
    Refuses an invoice that cancels nothing (:func:`invoice_pdf`), an ``original`` of
    another id, and a customer without ``Customer.address``.
    """
    if not isinstance(cancelling, Invoice):
        raise InvalidTypeError("cancellation_pdf.cancelling", cancelling, "an Invoice")
    tenant = _sender(sender, "cancellation_pdf")
    if cancelling.cancels is None or not cancelling.number:
        raise InvalidValueError(
            "cancellation_pdf.cancelling",
            cancelling.known_as,
            "a booked cancelling invoice (cancel() makes it; an invoice: invoice_pdf)",
        )
    if original is not None and (
        not isinstance(original, Invoice) or original.id != cancelling.cancels
    ):
        raise InvalidValueError(
            "cancellation_pdf.original",
            original,
            f"the invoice of id {cancelling.cancels} that {cancelling.number} cancels, or None",
        )
    recipient = _recipient(
        cancelling.customer, tenant, f"cancelling invoice {cancelling.known_as}",
        "cancellation_pdf",
    )  # fmt: skip
    locale = cancelling.customer.locale
    words = page.labels(locale)
    name = cancelling.cancels if original is None else original.known_as
    dated = (
        ""
        if original is None
        else words["of_date"].format(date=format_day(original.issue_date, locale))
    )
    subject = words["cancel_subject"].format(number=cancelling.number, original=name)
    pdf = _opened(
        cancelling.customer,
        tenant,
        recipient,
        day=cancelling.issue_date,
        title=subject,
        info=(
            (words["invoice_number"], cancelling.number),
            (words["invoice_date"], format_day(cancelling.issue_date, locale)),
            (words["cancelled_invoice"], name),
            *_customer_info(cancelling.customer, locale),
        ),
    )
    page.paragraph(pdf, words["cancel_text"].format(original=name, date=dated))
    pdf.ln(3.0)
    _invoice_body(
        pdf, cancelling, due=cancelling.due_date, issued=cancelling.issue_date, terms=False
    )
    return page.finished(pdf, "cancellation_pdf")


def delivery_note_pdf(note: DeliveryNote, *, sender: Sender) -> bytes:
    """The delivery note (Lieferschein) ``note``: its id, date (the PDF's creation date),
    the invoice it belongs to, and its lines with their quantities and units, under their
    sections, without prices. Refuses a customer without ``Customer.address``."""
    if not isinstance(note, DeliveryNote):
        raise InvalidTypeError("delivery_note_pdf.note", note, "a DeliveryNote")
    tenant = _sender(sender, "delivery_note_pdf")
    recipient = _recipient(note.customer, tenant, f"delivery note {note.id}", "delivery_note_pdf")
    locale = note.customer.locale
    words = page.labels(locale)
    title = f"{words['delivery_note']} {note.id}"
    pdf = _opened(
        note.customer,
        tenant,
        recipient,
        day=note.on,
        title=title,
        info=(
            (words["delivery_note_number"], note.id),
            (words["date"], format_day(note.on, locale)),
            (words["order_reference"], note.invoice_id),
            *_customer_info(note.customer, locale),
        ),
    )
    page.paragraph(pdf, words["delivery_text"])
    pdf.ln(3.0)
    page.table(
        pdf,
        headings=[words["position"], words["description"], words["quantity"]],
        widths=(10, 125, 30),
        right=(True, False, True),
        rows=_lines(note.lines, "", locale, prices=False),
    )
    return page.finished(pdf, "delivery_note_pdf")


def _letter_text(letter: DunningLetter, text: str, signer: str) -> tuple[str, str]:
    """The letter's text split around its list of invoices (``{{ invoiceList }}``), which
    the statement's table replaces: (before it, after it). A text without the list is all
    before."""
    if len(letter.decisions) < 2:
        return text, ""
    locale = letter.customer.locale
    line = Template(source=letter.lead.stage.wording(locale).invoice_line)
    listed = "\n".join(
        line.render(stage.template_values(d.invoice, tenant_name=signer, locale=locale))
        for d, stage in zip(letter.decisions, letter.actions, strict=True)
    )
    before, found, after = text.partition(listed)
    if not found:
        return text, ""
    return before.rstrip(), after.strip()


def letter_pdf(letter: DunningLetter, *, sender: Sender, girocode: str | None = None) -> bytes:
    """A dunning letter as the customer receives it: a PDF (A4, DIN 5008 window envelope),
    for one invoice or for every invoice of a customer's notice.

    The subject and text are the letter's own (:meth:`DunningLetter.documents
    <dunlib.dunning.decisions.DunningLetter.documents>`: the stage's e-mail subject and PDF
    text in the customer's language, signed with the sender's name); the invoices are
    listed once, in a statement of every invoice of the letter with its date, due date,
    dunning level, fee, interest and the amount it claims (where the text lists them, the
    statement stands in the list's place), then the letter's fees, interest, open total and
    new payment deadline. The information block names the letter's date (the day of its
    documents, the PDF's creation date), the customer number and the deadline.
    ``girocode``, a GiroCode payload for the open total
    (:func:`~dunlib.documents.girocode.girocode_payload`), is drawn under the totals.
    Refuses a customer without ``Customer.address``, and text the font cannot print.
    """
    if not isinstance(letter, DunningLetter):
        raise InvalidTypeError("letter_pdf.letter", letter, "a DunningLetter")
    tenant = _sender(sender, "letter_pdf")
    customer = letter.customer
    lead = letter.decisions[letter.actions.index(letter.lead)].invoice
    recipient = _recipient(
        customer, tenant, f"the dunning letter for invoice {lead.known_as}", "letter_pdf"
    )
    texts = letter.documents(tenant_name=tenant.name)
    locale = customer.locale
    words = page.labels(texts.language)
    day = letter.lead.on
    pdf = _opened(
        customer,
        tenant,
        recipient,
        day=day,
        title=texts.email_subject,
        info=(
            (words["date"], format_day(day, locale)),
            (words["customer_number"], customer.id),
            (words["deadline"], format_day(letter.due_date, locale)),
        ),
    )
    before, after = _letter_text(letter, texts.pdf_text, tenant.name)
    page.paragraph(pdf, before)
    pdf.ln(4.0)
    if not after:
        pdf.ln(2.0)
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
    if after:
        page.paragraph(pdf, after)
    _girocode(pdf, girocode, words, "letter_pdf")
    return page.finished(pdf, "letter_pdf")


def statement_pdf(statement: StatementOfAccount, *, sender: Sender) -> bytes:
    """The statement of account (:func:`dunlib.analytics.statement_of_account`) as a
    letter: dated its day (the PDF's creation date), the open items with their parts open
    (principal, fees, interest), the open total, the credit and the balance, then the
    payments and credits booked up to the day. Refuses a customer without
    ``Customer.address``."""
    if not isinstance(statement, StatementOfAccount):
        raise InvalidTypeError("statement_pdf.statement", statement, "a StatementOfAccount")
    tenant = _sender(sender, "statement_pdf")
    customer = statement.customer
    recipient = _recipient(
        customer, tenant, f"the statement of account of {statement.today}", "statement_pdf"
    )
    locale = customer.locale
    words = page.labels(locale)
    said = statement_words(locale)
    day = format_day(statement.today, locale)
    subject = f"{words['statement_title']} {day}"
    pdf = _opened(
        customer,
        tenant,
        recipient,
        day=statement.today,
        title=subject,
        info=(
            (words["statement_date"], day),
            *_customer_info(customer, locale),
        ),
    )
    page.paragraph(pdf, said["items"], size=10.5, bold=True)
    pdf.ln(1.5)
    rows = statement.item_rows()
    if rows:
        shown = (0, 1, 2, 3, 5, 6, 7, 8, 9)  # the dunning level is left out: no room
        page.table(
            pdf,
            headings=[said["item_columns"].split("|")[index] for index in shown],
            widths=(24, 18.5, 18.5, 10.5, 21, 21, 17.5, 15, 20),
            right=(False, *([True] * 8)),
            rows=([row[index] for index in shown] for row in rows),
            size=7.5,
        )
    else:
        page.paragraph(pdf, said["no_items"])
        pdf.ln(2.0)
    page.totals(
        pdf,
        [
            (label, value, index == len(statement.total_rows()) - 1)
            for index, (label, value) in enumerate(statement.total_rows())
        ],
    )
    page.paragraph(pdf, said["movements"], size=10.5, bold=True)
    pdf.ln(1.5)
    moves = statement.movement_rows()
    if moves:
        page.table(
            pdf,
            headings=said["movement_columns"].split("|"),
            widths=(20, 30, 28, 62, 25),
            right=(False, False, False, False, True),
            rows=moves,
        )
    else:
        page.paragraph(pdf, said["no_movements"])
    return page.finished(pdf, "statement_pdf")
