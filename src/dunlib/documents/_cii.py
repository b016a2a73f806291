"""The XML of an e-invoice in the UN/CEFACT Cross Industry Invoice syntax (CII, D16B), written
with ``drafthorse`` (the ``documents`` extra) from a plain description of the document.

:mod:`dunlib.documents.einvoice` checks an invoice and describes it here (:class:`CiiDocument`:
every figure already computed, every code chosen); this module only places the figures in
their elements, in the order the schema wants, and checks the result against the Factur-X
EN 16931 XSD that ``drafthorse`` ships. Every amount is written as the exact ``Decimal`` it
is given, in plain notation (``1000``, never ``1E+3``); nothing is rounded here.
"""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs

from dunlib.core.errors import MissingExtraError

try:
    from drafthorse.models.accounting import ApplicableTradeTax
    from drafthorse.models.document import Document
    from drafthorse.models.note import IncludedNote
    from drafthorse.models.party import PostalTradeAddress, TaxRegistration, TradeParty
    from drafthorse.models.payment import PaymentMeans, PaymentTerms
    from drafthorse.models.tradelines import LineItem as CiiLine
except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
    raise MissingExtraError(package="drafthorse", extra="documents") from None

__all__ = ["CiiDocument", "CiiLine", "Party", "TaxGroup", "cii_xml", "plain"]


def plain(value: Decimal) -> str:
    """``value`` in plain decimal notation, as the schema's decimals are written (no
    exponent; a negative zero written as zero)."""
    return f"{value if value else value.copy_abs():f}"


@attrs.frozen(kw_only=True)
class Party:
    """The seller or the buyer as the e-invoice names them: name, postal address, tax ids
    (empty when not given), electronic address (an e-mail, BT-34/BT-49) and contact point
    (``contact`` named, with ``phone`` and ``email``: BG-6)."""

    name: str
    street: str
    extra: str
    postcode: str
    city: str
    country: str
    vat_id: str = ""
    tax_number: str = ""
    electronic: str = ""
    contact: str = ""
    email: str = ""
    phone: str = ""


@attrs.frozen(kw_only=True)
class Line:
    """One invoice line (BG-25): its figures as they are written."""

    id: str
    name: str
    quantity: Decimal
    unit: str
    price: Decimal
    net: Decimal
    category: str
    rate: Decimal


@attrs.frozen(kw_only=True)
class TaxGroup:
    """One VAT breakdown (BG-23): a category and rate, the nets' sum and its tax."""

    category: str
    rate: Decimal
    basis: Decimal
    tax: Decimal
    reason: str = ""
    reason_code: str = ""


@attrs.frozen(kw_only=True)
class CiiDocument:
    """An e-invoice described: the figures and codes of every element dunlib writes."""

    guideline: str
    number: str
    type_code: str
    issue_date: _dt.date
    notes: tuple[str, ...]
    buyer_reference: str
    seller: Party
    buyer: Party
    ship_to_country: str
    delivery: tuple[_dt.date, _dt.date]
    currency: str
    iban: str
    bic: str
    terms: str
    due_date: _dt.date
    preceding: tuple[str, _dt.date] | None
    lines: tuple[Line, ...]
    groups: tuple[TaxGroup, ...]
    net: Decimal
    tax: Decimal
    gross: Decimal


def _address(target: PostalTradeAddress, party: Party) -> None:
    target.postcode = party.postcode
    target.line_one = party.street
    if party.extra:
        target.line_two = party.extra
    target.city_name = party.city
    target.country_id = party.country


def _party(target: TradeParty, party: Party) -> None:
    target.name = party.name
    if party.contact:
        target.contact.person_name = party.contact
        if party.phone:
            target.contact.telephone.number = party.phone
        if party.email:
            target.contact.email.address = party.email
    _address(target.address, party)
    if party.electronic:
        target.electronic_address.uri_ID = ("EM", party.electronic)
    if party.tax_number:
        target.tax_registrations.add(TaxRegistration(id=("FC", party.tax_number)))
    if party.vat_id:
        target.tax_registrations.add(TaxRegistration(id=("VA", party.vat_id)))


def _line(line: Line) -> CiiLine:
    item = CiiLine()
    item.document.line_id = line.id
    item.product.name = line.name
    item.agreement.net.amount = plain(line.price)
    item.delivery.billed_quantity = (plain(line.quantity), line.unit)
    item.settlement.trade_tax.type_code = "VAT"
    item.settlement.trade_tax.category_code = line.category
    item.settlement.trade_tax.rate_applicable_percent = plain(line.rate)
    item.settlement.monetary_summation.total_amount = plain(line.net)
    return item


def _group(group: TaxGroup) -> ApplicableTradeTax:
    tax = ApplicableTradeTax()
    tax.calculated_amount = plain(group.tax)
    tax.type_code = "VAT"
    if group.reason:
        tax.exemption_reason = group.reason
    tax.basis_amount = plain(group.basis)
    tax.category_code = group.category
    if group.reason_code:
        tax.exemption_reason_code = group.reason_code
    tax.rate_applicable_percent = plain(group.rate)
    return tax


def cii_xml(document: CiiDocument) -> bytes:
    """The CII XML of ``document`` as UTF-8 bytes, checked against the Factur-X EN 16931 XSD
    (``drafthorse`` refuses what the schema does not allow)."""
    doc = Document()
    doc.context.guideline_parameter.id = document.guideline
    doc.header.id = document.number
    doc.header.type_code = document.type_code
    doc.header.issue_date_time = document.issue_date
    for text in document.notes:
        doc.header.notes.add(IncludedNote(content=text))

    agreement = doc.trade.agreement
    if document.buyer_reference:
        agreement.buyer_reference = document.buyer_reference
    _party(agreement.seller, document.seller)
    _party(agreement.buyer, document.buyer)

    delivery = doc.trade.delivery
    if document.ship_to_country:
        delivery.ship_to.address.country_id = document.ship_to_country
    start, end = document.delivery
    if start == end:
        delivery.event.occurrence = start

    settlement = doc.trade.settlement
    settlement.currency_code = document.currency
    means = PaymentMeans()
    means.type_code = "58"  # SEPA credit transfer
    means.payee_account.iban = document.iban
    if document.bic:
        means.payee_institution.bic = document.bic
    settlement.payment_means.add(means)
    for group in document.groups:
        settlement.trade_tax.add(_group(group))
    if start != end:
        settlement.period.start = start
        settlement.period.end = end
    terms = PaymentTerms()
    if document.terms:
        terms.description = document.terms
    terms.due = document.due_date
    settlement.terms.add(terms)
    totals = settlement.monetary_summation
    totals.line_total = plain(document.net)
    totals.tax_basis_total = (plain(document.net), None)
    totals.tax_total = (plain(document.tax), document.currency)
    totals.grand_total = (plain(document.gross), None)
    totals.due_amount = plain(document.gross)
    if document.preceding is not None:
        number, issued = document.preceding
        settlement.invoice_referenced_document.issuer_assigned_id = number
        settlement.invoice_referenced_document.issue_date_time = issued

    for line in document.lines:
        doc.trade.items.add(_line(line))
    xml: bytes = doc.serialize(schema="FACTUR-X_EN16931")
    return xml
