"""The page every PDF document of dunlib is printed on: an A4 business letter laid out for a
DIN 5008 (form B) window envelope, in the DejaVu Sans font shipped beside this module.

Geometry, in millimetres from the page's top left corner: the letterhead above 45; the
address field at 20 from the left and 45 from the top, 85 wide and 45 high (its first
17.7 the return-address zone, the recipient below); the information block at 125 from the
left from 50 down; fold marks at 105 and 210 and the punch mark at 148.5 on the left edge;
the text from 25 to 190. Every later page starts at 20 and repeats the table's headings.

Nothing here reads a clock: the document's date is given, and the PDF's creation date,
producer and creator are fixed from it, so the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import cast

import attrs
from babel import Locale
from babel.numbers import format_decimal, format_percent

from dunlib.core.errors import InvalidValueError, MissingExtraError
from dunlib.core.templates import written_in
from dunlib.documents.sender import Sender

try:
    from fpdf import FPDF
    from fpdf.enums import Align
except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
    raise MissingExtraError(package="fpdf2", extra="documents") from None

FONTS = Path(__file__).resolve().parent / "fonts"
"""Where DejaVu Sans (regular and bold) and its licence are shipped."""

FAMILY = "DejaVuSans"
PRODUCER = "dunlib"
"""The PDF's producer and creator: a constant, never a version (the bytes stay the same)."""

LEFT = 25.0
RIGHT = 20.0
WIDTH = 210.0 - LEFT - RIGHT
"""The width of the text: 165 mm."""
WINDOW_X, WINDOW_Y, WINDOW_W = 20.0, 45.0, 85.0
RETURN_ZONE = 17.7
"""The address field's upper part (return address, notes); the recipient starts below it."""
INFO_X, INFO_Y, INFO_W = 125.0, 50.0, 65.0
BODY_Y = 103.4
"""Where the subject line of the first page starts (form B: below the address field)."""
LINE = 4.6
"""The line height of the body text (10 pt)."""

_GREY = (90, 90, 90)
_RULE = (170, 170, 170)
_MARK = (225, 225, 225)


LABELS: dict[str, dict[str, str]] = {
    "de": {
        "invoice": "Rechnung",
        "invoice_number": "Rechnungsnummer",
        "invoice_date": "Rechnungsdatum",
        "document_date": "Ausgestellt am",
        "customer_number": "Kundennummer",
        "due_date": "Fällig am",
        "date": "Datum",
        "deadline": "Zahlbar bis",
        "position": "Pos.",
        "description": "Beschreibung",
        "quantity": "Menge",
        "unit_price": "Einzelpreis",
        "tax_rate": "USt.",
        "net": "Netto",
        "net_total": "Summe netto",
        "tax_line": "USt. {rate} auf {base}",
        "gross_total": "Rechnungsbetrag",
        "terms": "Zahlbar ohne Abzug bis zum {due}.",
        "discount": (
            "Bei Zahlung bis zum {deadline} ziehen Sie bitte {percent} Skonto ab "
            "({discount}, zu zahlen {payable})."
        ),
        "reference": "Bitte geben Sie bei der Zahlung die Rechnungsnummer {number} an.",
        "girocode": "Bezahlen per GiroCode: mit der Banking-App scannen.",
        "statement": "Aufstellung der offenen Rechnungen",
        "level": "Stufe",
        "fee": "Gebühr",
        "interest": "Zinsen",
        "open": "Offen",
        "fees_total": "Mahngebühren",
        "interest_total": "Verzugszinsen",
        "open_total": "Offener Gesamtbetrag",
        "new_deadline": "Neue Zahlungsfrist",
        "page": "Seite {page} von {pages}",
        "phone": "Tel.",
        "vat_id": "USt-IdNr.",
        "tax_number": "Steuernummer",
        "customer_vat_id": "Ihre USt-IdNr.",
        "buyer_reference": "Ihre Referenz",
        "delivery_date": "Leistungsdatum",
        "delivery_period": "Leistungszeitraum",
        "delivery_is_invoice_date": "Leistungsdatum entspricht Rechnungsdatum.",
        "subtotal": "Zwischensumme {section}",
        "tax_category_line": "{category} auf {base}",
        "draft": "Rechnungsentwurf",
        "draft_id": "Entwurf",
        "mark": "ENTWURF",
        "draft_note": (
            "Entwurf, keine Rechnung: die Rechnungsnummer wird vergeben, wenn die Rechnung "
            "versandt wird."
        ),
        "credit_note": "Gutschrift",
        "credit_note_number": "Gutschriftsnummer",
        "credit_subject": "Gutschrift {id} zur Rechnung {number}",
        "credit_text": "Zu unserer Rechnung {number} vom {date} schreiben wir Ihnen gut:",
        "credit_amount": "Gutschriftsbetrag",
        "reason": "Grund: {reason}",
        "cancellation": "Stornorechnung",
        "cancelled_invoice": "Storniert Rechnung",
        "cancel_subject": "Stornorechnung {number} zur Rechnung {original}",
        "cancel_text": (
            "Hiermit stornieren wir unsere Rechnung {original}{date}. Die Rechnung ist damit "
            "vollständig aufgehoben; es ist nichts mehr zu zahlen."
        ),
        "of_date": " vom {date}",
        "cancel_total": "Stornobetrag",
        "delivery_note": "Lieferschein",
        "delivery_note_number": "Lieferscheinnummer",
        "order_reference": "Bezug",
        "delivery_text": "Wir liefern Ihnen:",
        "statement_title": "Kontoauszug",
        "statement_date": "Stand",
    },
    "en": {
        "invoice": "Invoice",
        "invoice_number": "Invoice number",
        "invoice_date": "Invoice date",
        "document_date": "Issued on",
        "customer_number": "Customer number",
        "due_date": "Due date",
        "date": "Date",
        "deadline": "Payable by",
        "position": "No.",
        "description": "Description",
        "quantity": "Qty",
        "unit_price": "Unit price",
        "tax_rate": "VAT",
        "net": "Net",
        "net_total": "Net total",
        "tax_line": "VAT {rate} on {base}",
        "gross_total": "Invoice total",
        "terms": "Payable without deduction by {due}.",
        "discount": (
            "If paid by {deadline}, please deduct a cash discount of {percent} "
            "({discount}; to pay {payable})."
        ),
        "reference": "Please quote the invoice number {number} with your payment.",
        "girocode": "Pay by GiroCode: scan it with your banking app.",
        "statement": "Statement of the open invoices",
        "level": "Level",
        "fee": "Fee",
        "interest": "Interest",
        "open": "Open",
        "fees_total": "Dunning fees",
        "interest_total": "Default interest",
        "open_total": "Total open",
        "new_deadline": "New payment deadline",
        "page": "Page {page} of {pages}",
        "phone": "Phone",
        "vat_id": "VAT ID",
        "tax_number": "Tax number",
        "customer_vat_id": "Your VAT ID",
        "buyer_reference": "Your reference",
        "delivery_date": "Delivery date",
        "delivery_period": "Delivery period",
        "delivery_is_invoice_date": "Delivery date: date of invoice.",
        "subtotal": "Subtotal {section}",
        "tax_category_line": "{category} on {base}",
        "draft": "Draft invoice",
        "draft_id": "Draft",
        "mark": "DRAFT",
        "draft_note": "Draft, not an invoice: the invoice number is given when it is sent.",
        "credit_note": "Credit note",
        "credit_note_number": "Credit note number",
        "credit_subject": "Credit note {id} for invoice {number}",
        "credit_text": "For our invoice {number} of {date} we credit you:",
        "credit_amount": "Total credited",
        "reason": "Reason: {reason}",
        "cancellation": "Cancellation invoice",
        "cancelled_invoice": "Cancels invoice",
        "cancel_subject": "Cancellation invoice {number} for invoice {original}",
        "cancel_text": (
            "We hereby cancel our invoice {original}{date}. It is cancelled in full; nothing "
            "is left to pay."
        ),
        "of_date": " of {date}",
        "cancel_total": "Total cancelled",
        "delivery_note": "Delivery note",
        "delivery_note_number": "Delivery note number",
        "order_reference": "Reference",
        "delivery_text": "We deliver:",
        "statement_title": "Statement of account",
        "statement_date": "As of",
    },
}
"""The words printed around the figures, by language; any language but German reads
English."""


UNITS: dict[str, tuple[str, str]] = {
    "C62": ("Stk.", "pcs"),
    "H87": ("Stk.", "pcs"),
    "HUR": ("Std.", "h"),
    "DAY": ("Tag", "day"),
    "MON": ("Monat", "month"),
    "KGM": ("kg", "kg"),
    "MTR": ("m", "m"),
    "LTR": ("l", "l"),
    "KWH": ("kWh", "kWh"),
}
"""Short words for the commonest UN/ECE Recommendation 20 unit codes, German and English;
any other code is printed as it is."""


def unit(code: str, language: str) -> str:
    """The word printed after a quantity for the unit ``code`` (``HUR``: ``Std.`` / ``h``)."""
    words = UNITS.get(code)
    if words is None:
        return code
    return words[0] if written_in(language) == "de" else words[1]


def labels(language: str) -> dict[str, str]:
    """The labels for a language or locale (``de``, ``de_AT``: German; any other: English)."""
    return LABELS[written_in(language)]


def quantity(value: Decimal, locale: str) -> str:
    """A quantity with every digit it has, in the locale's way (``de_DE``: ``1.234,5``)."""
    return str(format_decimal(value, locale=locale, decimal_quantization=False))


def percent(rate: Decimal, locale: str) -> str:
    """A tax or discount rate given in percent, as the locale writes it (``de_DE``: ``19 %``)."""
    return str(format_percent(rate.scaleb(-2), locale=locale, decimal_quantization=False))


def iban_groups(iban: str) -> str:
    """An IBAN as it is printed: in groups of four (``DE89 3704 0044 0532 0130 00``)."""
    return " ".join(iban[index : index + 4] for index in range(0, len(iban), 4))


def country_name(code: str, language: str) -> str:
    """The name of the country ``code`` (ISO 3166 alpha-2) in ``language`` (``PL``, ``de``:
    ``Polen``)."""
    return str(Locale.parse(language).territories.get(code, code))


def letterhead(sender: Sender, language: str) -> tuple[str, ...]:
    """The lines under the sender's name at the top right: its address and how to reach it."""
    words = labels(language)
    lines = [sender.street, f"{sender.postcode} {sender.city}"]
    if sender.phone:
        lines.append(f"{words['phone']} {sender.phone}")
    if sender.email:
        lines.append(sender.email)
    return tuple(lines)


def footer_text(sender: Sender, language: str) -> str:
    """The footer of every page: the sender's name and address, its VAT id and tax number,
    its bank account (IBAN in groups of four, BIC) and its contact."""
    words = labels(language)
    parts = [
        sender.name,
        sender.street,
        f"{sender.postcode} {sender.city}",
        country_name(sender.country, language),
    ]
    if sender.vat_id:
        parts.append(f"{words['vat_id']} {sender.vat_id}")
    if sender.tax_number:
        parts.append(f"{words['tax_number']} {sender.tax_number}")
    parts.append(f"IBAN {iban_groups(sender.iban)}")
    if sender.bic:
        parts.append(f"BIC {sender.bic}")
    if sender.email:
        parts.append(sender.email)
    if sender.phone:
        parts.append(f"{words['phone']} {sender.phone}")
    return " · ".join(parts)


def return_address(sender: Sender, abroad: bool, language: str) -> str:
    """The return address above the recipient (DIN 5008): name, street, postcode and city,
    and the sender's country in capitals when the letter goes abroad."""
    parts = [sender.name, sender.street, f"{sender.postcode} {sender.city}"]
    if abroad:
        parts.append(country_name(sender.country, language).upper())
    return " · ".join(parts)


class Page(FPDF):
    """An A4 page in DejaVu Sans with the sender in the footer and the page count, and the
    document's title above every page after the first."""

    def __init__(self, *, sender: Sender, language: str, mark: str = "") -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(LEFT, 20.0, RIGHT)
        self.set_auto_page_break(auto=True, margin=28.0)
        self.alias_nb_pages()
        self._footer_text = footer_text(sender, language)
        self._page_label = labels(language)["page"]
        self._mark = mark

    def header(self) -> None:
        """On every page after the first, the document's title in small grey type, so a
        loose page says what it belongs to; on every page the document's mark (a draft's
        ``ENTWURF``), large, light and slanted across the page, under everything else."""
        if self._mark:
            self.set_font(FAMILY, "B", 72)
            self.set_text_color(*_MARK)
            with self.rotation(angle=35, x=105.0, y=160.0):
                self.set_xy(105.0 - 90.0, 150.0)
                self.cell(180.0, 20.0, self._mark, align=Align.C)
            self.set_text_color(0, 0, 0)
        if self.page_no() > 1:
            self.set_xy(LEFT, 11.0)
            self.set_font(FAMILY, "", 7.5)
            self.set_text_color(*_GREY)
            self.cell(WIDTH, 3.5, self.title or "", align=Align.L)
            self.set_text_color(0, 0, 0)
            self.set_xy(LEFT, 20.0)

    def footer(self) -> None:
        """The sender in small grey type and the page number, on every page."""
        self.set_y(-22.0)
        self.set_draw_color(*_RULE)
        self.line(LEFT, self.get_y(), LEFT + WIDTH, self.get_y())
        self.set_font(FAMILY, "", 7)
        self.set_text_color(*_GREY)
        self.set_y(-20.5)
        self.multi_cell(WIDTH - 30, 3.2, self._footer_text, align=Align.L)
        self.set_xy(LEFT + WIDTH - 30, -20.5)
        page = self._page_label.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.cell(30, 3.2, page, align=Align.R)
        self.set_text_color(0, 0, 0)


def document(*, day: _dt.date, title: str, sender: Sender, language: str, mark: str = "") -> Page:
    """A new document dated ``day`` (its creation date, at midnight UTC), with its metadata;
    ``mark`` is printed across every page (a draft's)."""
    pdf = Page(sender=sender, language=language, mark=mark)
    pdf.set_creation_date(_dt.datetime.combine(day, _dt.time(0), tzinfo=_dt.UTC))
    pdf.set_producer(PRODUCER)
    pdf.set_creator(PRODUCER)
    pdf.set_author(sender.name)
    pdf.set_title(title)
    pdf.set_lang(language.replace("_", "-"))
    pdf.add_page()
    return pdf


def first_page(
    pdf: Page,
    *,
    sender: Sender,
    recipient: Sequence[str],
    abroad: bool,
    language: str,
    info: Iterable[tuple[str, str]],
    subject: str,
) -> None:
    """The first page's head: letterhead, fold marks, address field (the return address,
    then ``recipient``, at most six lines), information block and subject line; the body
    goes on below it. ``abroad``: the recipient is in another country than the sender."""
    sender_name = sender.name
    sender_lines = letterhead(sender, language)
    pdf.set_draw_color(*_RULE)
    for mark, length in ((105.0, 4.0), (148.5, 6.0), (210.0, 4.0)):
        pdf.line(3.0, mark, 3.0 + length, mark)
    pdf.set_xy(LEFT, 15.0)
    pdf.set_font(FAMILY, "B", 15)
    pdf.cell(WIDTH, 7.0, sender_name, align=Align.R)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(*_GREY)
    for index, line in enumerate(sender_lines):
        pdf.set_xy(LEFT, 23.0 + 3.8 * index)
        pdf.cell(WIDTH, 3.8, line, align=Align.R)
    pdf.set_xy(WINDOW_X + 5.0, WINDOW_Y + 8.0)
    back = return_address(sender, abroad, language)
    size = 7.0
    pdf.set_font(FAMILY, "", size)
    while pdf.get_string_width(back) > WINDOW_W - 7.0 and size > 6.0:
        size -= 0.5
        pdf.set_font(FAMILY, "", size)
    if pdf.get_string_width(back) > WINDOW_W - 7.0:  # too long even at 6 pt: two lines
        name, _, address = back.partition(" · ")
        pdf.set_xy(WINDOW_X + 5.0, WINDOW_Y + 5.2)
        pdf.cell(WINDOW_W - 5.0, 3.0, name, align=Align.L)
        back = address
        pdf.set_xy(WINDOW_X + 5.0, WINDOW_Y + 8.0)
    pdf.cell(WINDOW_W - 5.0, 3.0, back, align=Align.L)
    pdf.set_draw_color(0, 0, 0)
    pdf.line(WINDOW_X + 5.0, WINDOW_Y + 11.2, WINDOW_X + WINDOW_W - 2.0, WINDOW_Y + 11.2)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FAMILY, "", 10)
    for index, line in enumerate(recipient[:6]):
        pdf.set_xy(WINDOW_X + 5.0, WINDOW_Y + RETURN_ZONE + 4.4 * index)
        pdf.cell(WINDOW_W - 5.0, 4.4, line, align=Align.L)
    for index, (label, value) in enumerate(info):
        size = 9.0
        pdf.set_font(FAMILY, "", size)
        while pdf.get_string_width(f"{label}  {value}") > INFO_W and size > 6.0:
            size -= 0.5  # a long value (a delivery period) is set smaller, never over the label
            pdf.set_font(FAMILY, "", size)
        pdf.set_xy(INFO_X, INFO_Y + 4.6 * index)
        pdf.set_text_color(*_GREY)
        pdf.cell(INFO_W * 0.5, 4.6, label, align=Align.L)
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(INFO_X, INFO_Y + 4.6 * index)
        pdf.cell(INFO_W, 4.6, value, align=Align.R)
    pdf.set_xy(LEFT, BODY_Y)
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(WIDTH, 5.5, subject, align=Align.L)
    pdf.ln(5.0)


def paragraph(pdf: Page, text: str, *, size: float = 10, bold: bool = False) -> None:
    """Running text over the text width, with its own line breaks kept."""
    pdf.set_font(FAMILY, "B" if bold else "", size)
    pdf.set_x(LEFT)
    pdf.multi_cell(WIDTH, LINE, text, align=Align.L)


GIROCODE = 30.0
"""The GiroCode's side on the page, in mm (the EPC recommends at least 2 cm)."""


def girocode(pdf: Page, png: bytes, caption: str) -> None:
    """The GiroCode ``png`` at the left margin below what came before (on a new page when
    it does not fit), its ``caption`` beside it."""
    if pdf.get_y() + GIROCODE + 6.0 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(4.0)
    top = pdf.get_y()
    pdf.image(io.BytesIO(png), x=LEFT, y=top, w=GIROCODE, h=GIROCODE)
    pdf.set_xy(LEFT + GIROCODE + 4.0, top + GIROCODE / 2 - LINE)
    pdf.set_font(FAMILY, "", 9)
    pdf.multi_cell(WIDTH - GIROCODE - 4.0, LINE, caption, align=Align.L)
    pdf.set_y(top + GIROCODE)


_CELL_LINE = 4.0
"""The line height in a table cell (8.5 pt)."""
_PAD_X, _PAD_Y = 1.0, 0.8
_HEADING_FILL = (236, 236, 236)


@attrs.frozen
class Band:
    """A table row across the whole width, in bold: a section's heading (``amount`` empty)
    or its subtotal (``text`` over every column but the last, ``amount`` in the last)."""

    text: str
    amount: str = ""


def table(
    pdf: Page,
    *,
    headings: Sequence[str],
    widths: Sequence[float],
    right: Sequence[bool],
    rows: Iterable[Sequence[str] | Band],
    size: float = 8.5,
) -> None:
    """A table over the text width: a bold heading row (repeated on every page the table
    runs onto), then one row per item, numbers set right, and :class:`Band` rows across
    it; long text wraps in its cell and a row is never split across pages. Drawn cell by
    cell: a cell wider than its text (every number) is measured once and printed as one
    line. ``size`` is the type size (a wide table is set smaller)."""
    scale = WIDTH / sum(widths)
    columns = [width * scale for width in widths]
    band = [sum(columns[:-1]), columns[-1]]
    pdf.set_draw_color(*_RULE)
    heading = _measured(pdf, headings, columns, bold=True, size=size)
    _draw(pdf, heading, columns, right, bold=True, size=size)
    for cells in rows:
        if isinstance(cells, Band):
            row = _measured(pdf, (cells.text, cells.amount), band, bold=True, size=size)
            if pdf.get_y() + row[1] > pdf.page_break_trigger:
                pdf.add_page()
                _draw(pdf, heading, columns, right, bold=True, size=size)
            _draw(pdf, row, band, (False, True), bold=True, fill=False, size=size)
            continue
        row = _measured(pdf, cells, columns, bold=False, size=size)
        if pdf.get_y() + row[1] > pdf.page_break_trigger:
            pdf.add_page()
            _draw(pdf, heading, columns, right, bold=True, size=size)
        _draw(pdf, row, columns, right, bold=False, size=size)
    pdf.ln(2.0)


_Row = tuple[list[list[str]], float]
"""A table row measured: the lines of each cell, and the row's height."""


def _measured(
    pdf: Page, cells: Sequence[str], columns: Sequence[float], *, bold: bool, size: float
) -> _Row:
    """The lines each cell wraps to in its column, and the height of the row."""
    pdf.set_font(FAMILY, "B" if bold else "", size)
    wrapped = [
        [text] if pdf.get_string_width(text) <= width - 2 * _PAD_X else _lines(pdf, text, width)
        for text, width in zip(cells, columns, strict=True)
    ]
    return wrapped, max(len(lines) for lines in wrapped) * _CELL_LINE + 2 * _PAD_Y


def _lines(pdf: Page, text: str, width: float) -> list[str]:
    """The lines ``text`` wraps to in a cell ``width`` wide (fpdf2's own line breaking)."""
    lines = pdf.multi_cell(width - 2 * _PAD_X, _CELL_LINE, text, dry_run=True, output="LINES")
    return cast("list[str]", lines)


def _draw(
    pdf: Page,
    row: _Row,
    columns: Sequence[float],
    right: Sequence[bool],
    *,
    bold: bool,
    size: float,
    fill: bool = True,
) -> None:
    """Draw a measured row at the current height, a rule under it (a bold row filled grey
    where ``fill``: the heading row), and move below it."""
    wrapped, height = row
    top = pdf.get_y()
    pdf.set_font(FAMILY, "B" if bold else "", size)
    if bold and fill:
        pdf.set_fill_color(*_HEADING_FILL)
        pdf.rect(LEFT, top, WIDTH, height, style="F")
    x = LEFT
    for lines, width, flush_right in zip(wrapped, columns, right, strict=True):
        align = Align.R if flush_right else Align.L
        for index, line in enumerate(lines):
            pdf.set_xy(x + _PAD_X, top + _PAD_Y + index * _CELL_LINE)
            pdf.cell(width - 2 * _PAD_X, _CELL_LINE, line, align=align)
        x += width
    pdf.line(LEFT, top + height, LEFT + WIDTH, top + height)
    pdf.set_xy(LEFT, top + height)


def totals(pdf: Page, rows: Iterable[tuple[str, str, bool]]) -> None:
    """Label and amount pairs set right under a table, each in bold where asked."""
    for label, value, bold in rows:
        pdf.set_font(FAMILY, "B" if bold else "", 9.5)
        pdf.set_x(LEFT + WIDTH - 100.0)
        pdf.cell(65.0, LINE, label, align=Align.R)
        pdf.cell(35.0, LINE, value, align=Align.R)
        pdf.ln(LINE)
    pdf.ln(3.0)


def finished(pdf: Page, where: str) -> bytes:
    """The document's bytes; refused, with an error naming the characters, when its text
    has a character DejaVu Sans has no glyph for (it would print as nothing)."""
    fonts = pdf.fonts.values()  # DejaVu Sans only: no core font has a list of missing glyphs
    missing = sorted({code for font in fonts for code in getattr(font, "missing_glyphs", ())})
    if missing:
        shown = ", ".join(f"{chr(code)!r} (U+{code:04X})" for code in missing[:10])
        raise InvalidValueError(
            where,
            "".join(map(chr, missing)),
            f"text in characters the DejaVu Sans font prints; it has no glyph for {shown}",
        )
    return bytes(pdf.output())
