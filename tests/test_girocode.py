"""The GiroCode (EPC QR code): its payload exactly as EPC069-12 writes it, its limits refused,
its QR code at level M, the same bytes each time.

The worked examples are those the guideline and its common transcriptions give:

- EPC069-12 v2.1, *Quick Response Code: Guidelines to Enable Data Capture for the Initiation
  of a SEPA Credit Transfer*, European Payments Council, 9 February 2012 (the data element
  table and the example ``BCD 001 1 SCT BHBLDEHHXXX Franz Mustermänn DE71110220330123456789
  EUR12.3 GDDS RF18539007547034``, as transcribed element by element at
  https://www.neodynamic.com/barcodes/EPC-QR-Code-Barcode.aspx; the guideline's definition of
  level M, version 13 and 331 bytes as transcribed at http://doczz.fr/doc/1571788);
- the sample of the Belgian Red Cross (``BCD 001 1 SCT BPOTBEB1 Red Cross of Belgium
  BE72000000001616 EUR1 CHAR`` and, after the empty structured reference, ``Urgency fund`` and
  ``Sample EPC QR code``), https://en.wikipedia.org/wiki/EPC_QR_code.
"""

from __future__ import annotations

import datetime as dt
import inspect
from decimal import Decimal
from typing import Any

import attrs
import pytest
import segno
from hypothesis import assume, given
from hypothesis import strategies as st

from builders import call_with_junk, draft, sent
from dunlib import (
    BankTransaction,
    InvalidTypeError,
    InvalidValueError,
    Money,
    documents,
    match_payments,
)
from dunlib.analytics import statement_of_account
from dunlib.core import Address
from dunlib.documents import (
    MAX_PAYLOAD_BYTES,
    Sender,
    cancellation_pdf,
    cancellation_xml,
    check_bic,
    check_iban,
    credit_note_pdf,
    credit_note_xml,
    creditor_reference_valid,
    delivery_note_pdf,
    einvoice_xml,
    facturx_pdf,
    girocode_payload,
    girocode_png,
    girocode_svg,
    invoice_girocode,
    invoice_message,
    invoice_pdf,
    letter_message,
    letter_pdf,
    preview_pdf,
    statement_pdf,
)
from dunlib.payments.matching import Match
from dunlib.workflow import derive_delivery_note
from test_einvoice import CANCELLED, CREDITED, INVOICE, base_pdf
from test_einvoice import SENDER as SELLER
from test_message import ACME, booked, letter

SENDER = Sender(
    name="Muster Software GmbH",
    street="Hauptstraße 1",
    postcode="10115",
    city="Berlin",
    country="DE",
    iban="DE89 3704 0044 0532 0130 00",
    bic="COBADEFFXXX",
    vat_id="DE123456789",
)
FRANZ = ("Franz Mustermänn", "DE71110220330123456789", "BHBLDEHHXXX")
RED_CROSS = ("Red Cross of Belgium", "BE72000000001616", "BPOTBEB1")


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


# -- the standard's examples, verbatim -----------------------------------------------------


def test_the_example_of_epc069_12_with_a_creditor_reference() -> None:
    """EPC069-12's example: version 001, UTF-8, BIC, a name with an umlaut, EUR12.3 (no
    trailing zero), purpose GDDS and the structured reference ending the payload."""
    payload = girocode_payload(
        FRANZ, eur("12.30"), "RF18539007547034", purpose="GDDS", version="001"
    )
    assert payload == (
        "BCD\n001\n1\nSCT\nBHBLDEHHXXX\nFranz Mustermänn\nDE71110220330123456789\n"
        "EUR12.3\nGDDS\nRF18539007547034"
    )


def test_the_red_cross_sample_with_unstructured_remittance_and_information() -> None:
    """The Red Cross sample: EUR1, purpose CHAR, an empty structured reference, the text in
    the unstructured remittance and the beneficiary-to-originator information last."""
    payload = girocode_payload(
        RED_CROSS,
        eur("1.00"),
        "Urgency fund",
        "Sample EPC QR code",
        purpose="CHAR",
        version="001",
    )
    assert payload == (
        "BCD\n001\n1\nSCT\nBPOTBEB1\nRed Cross of Belgium\nBE72000000001616\nEUR1\nCHAR\n\n"
        "Urgency fund\nSample EPC QR code"
    )


def test_version_002_leaves_out_the_bic_within_the_eea() -> None:
    """Version 002 (the default) with no BIC: the BIC line stays, empty; the unstructured
    remittance (an invoice number) ends the payload in line 11."""
    payload = girocode_payload(("ACME GmbH", "DE89370400440532013000", ""), eur("119"), "RE-1")
    assert payload.split("\n") == [
        "BCD",
        "002",
        "1",
        "SCT",
        "",
        "ACME GmbH",
        "DE89370400440532013000",
        "EUR119",
        "",
        "",
        "RE-1",
    ]


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        ("0.01", "EUR0.01"),
        ("0.10", "EUR0.1"),
        ("1.00", "EUR1"),
        ("10.00", "EUR10"),
        ("12.30", "EUR12.3"),
        ("1757.49", "EUR1757.49"),
        ("100.50", "EUR100.5"),
        ("999999999.99", "EUR999999999.99"),
    ],
)
def test_the_amount_has_at_most_two_decimals_and_no_trailing_zeros(
    amount: str, written: str
) -> None:
    """The amount element is 'EUR' and the amount with no trailing zeros (EUR12.3, EUR1)."""
    assert girocode_payload(SENDER, eur(amount), "RE-1").split("\n")[7] == written


def test_creditor_references_are_checked_by_iso_11649() -> None:
    """RF and two check digits whose mod-97 check is 1: structured; anything else is
    remittance text."""
    assert creditor_reference_valid("RF18539007547034")
    assert not creditor_reference_valid("RF19539007547034")
    assert not creditor_reference_valid("RE-2026-0001")
    with pytest.raises(InvalidTypeError):
        creditor_reference_valid(17)  # type: ignore[arg-type]
    wrong = girocode_payload(SENDER, eur("1.00"), "RF19539007547034").split("\n")
    assert wrong[9:] == ["", "RF19539007547034"]


# -- what the standard forbids -----------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Money("12.30", "USD"), "EUR"),
        (Money("0.00", "EUR"), "0.01"),
        (Money("-5.00", "EUR"), "0.01"),
        (Money("1000000000.00", "EUR"), "999999999.99"),
        (Decimal("12.30"), "Money"),
    ],
)
def test_amounts_the_standard_forbids_are_refused(amount: Any, expected: str) -> None:
    """Another currency, below 0.01, above 999 999 999.99, not a Money: refused."""
    with pytest.raises(InvalidValueError, match=expected) as caught:
        girocode_payload(SENDER, amount, "RE-1")
    assert caught.value.field == "amount"


@pytest.mark.parametrize(
    ("beneficiary", "field"),
    [
        (("ACME", "", ""), "beneficiary.iban"),
        (("ACME", None, ""), "beneficiary.iban"),
        (("ACME", "DE89370400440532013001", ""), "beneficiary.iban"),
        (("ACME", "DE89370400440532013000", "COBADE"), "bic"),
        (("ACME", "DE89370400440532013000", None), "beneficiary.bic"),
        (("ACME", "CH9300762011623852957", ""), "bic"),
        (("ACME", "BR1800360305000010009795493C1", "ABCDBRSPXXX"), "iban"),
        (("", "DE89370400440532013000", ""), "name"),
        (("A" * 71, "DE89370400440532013000", ""), "name"),
        ((7, "DE89370400440532013000", ""), "name"),
        (("ACME", "DE89370400440532013000"), "beneficiary"),
        ("ACME", "beneficiary"),
    ],
)
def test_beneficiaries_the_standard_forbids_are_refused(beneficiary: Any, field: str) -> None:
    """No IBAN, a bad one, one outside SEPA, a BIC missing outside the EEA, a bad BIC, a
    name empty or over 70 characters, not a triple: refused naming the field."""
    with pytest.raises(InvalidValueError) as caught:
        girocode_payload(beneficiary, eur("1.00"), "RE-1")
    assert caught.value.field == field


def test_version_001_needs_a_bic_and_other_versions_are_refused() -> None:
    """Version 001 has the BIC mandatory; only 001 and 002 exist."""
    with pytest.raises(InvalidValueError, match="BIC") as caught:
        girocode_payload(("ACME", "DE89370400440532013000", ""), eur("1.00"), "RE-1", version="001")
    assert caught.value.field == "bic"
    with pytest.raises(InvalidValueError) as caught:
        girocode_payload(SENDER, eur("1.00"), "RE-1", version="003")
    assert caught.value.field == "version"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reference": ""}, "reference"),
        ({"reference": "x" * 141}, "reference"),
        ({"reference": "RE-1\nEUR1"}, "reference"),
        ({"reference": "RE-1\r"}, "reference"),
        ({"reference": "RE\u20281"}, "reference"),
        ({"reference": 4711}, "reference"),
        ({"text": "y" * 71}, "text"),
        ({"text": "tab\there"}, "text"),
        ({"purpose": "GOODS"}, "purpose"),
        ({"purpose": "gdds"}, "purpose"),
        ({"purpose": None}, "purpose"),
    ],
)
def test_elements_too_long_or_over_lines_are_refused(kwargs: dict[str, Any], field: str) -> None:
    """Remittance over 140, information over 70 characters, line breaks or control
    characters in an element, a purpose not of 4 capitals: refused naming the element."""
    arguments: dict[str, Any] = {"reference": "RE-1", **kwargs}
    with pytest.raises(InvalidValueError) as caught:
        girocode_payload(SENDER, eur("1.00"), **arguments)
    assert caught.value.field == field


def test_a_payload_over_331_bytes_is_refused() -> None:
    """Each element within its limit, but 70 + 140 + 70 characters of 2 bytes each: over 331
    bytes, refused; the same in ASCII fits."""
    name, reference, text = "Ä" * 70, "Ö" * 140, "Ü" * 70
    with pytest.raises(InvalidValueError, match="331 bytes") as caught:
        girocode_payload((name, "DE89370400440532013000", ""), eur("1.00"), reference, text)
    assert caught.value.field == "payload"
    fits = girocode_payload(("A" * 70, "DE89370400440532013000", ""), eur("1"), "O" * 140, "U" * 70)
    assert len(fits.encode()) <= MAX_PAYLOAD_BYTES


# -- the laws ------------------------------------------------------------------------------

IBANS = (
    "DE89370400440532013000",
    "AT611904300234573201",
    "BE72000000001616",
    "FR1420041010050500013M02606",
    "NL91ABNA0417164300",
    "IT60X0542811101000000123456",
    "ES9121000418450200051332",
    "MT84MALT011000012345MTLCAST001S",
)
LINE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))


@st.composite
def inputs(draw: st.DrawFn) -> dict[str, Any]:
    """Valid inputs of a payload: a beneficiary, an amount, a reference and a text (each
    element within its limit; the whole may exceed 331 bytes)."""
    alphabet = draw(st.sampled_from([st.sampled_from("ABCxyz 0123-/."), LINE]))
    name = draw(st.text(alphabet, min_size=1, max_size=70).filter(str.strip))
    reference = draw(
        st.one_of(
            st.text(alphabet, min_size=1, max_size=140).filter(str.strip),
            st.just("RF18539007547034"),
        )
    )
    return {
        "beneficiary": (
            name,
            draw(st.sampled_from(IBANS)),
            draw(st.sampled_from(["", "BPOTBEB1"])),
        ),
        "amount": Money(Decimal(draw(st.integers(1, 99_999_999_999))) / 100, "EUR"),
        "reference": reference,
        "text": draw(st.text(alphabet, max_size=70)),
    }


def _built(arguments: dict[str, Any]) -> str:
    """The payload of ``arguments``; inputs too long as a whole are left out (the law of the
    331 bytes says they are refused)."""
    try:
        return girocode_payload(**arguments)
    except InvalidValueError as error:
        field = error.field
    assert field == "payload"
    assume(False)
    raise AssertionError  # pragma: no cover - assume(False) stops the example


@given(arguments=inputs())
def test_law_every_payload_has_at_most_331_bytes_and_longer_ones_are_refused(
    arguments: dict[str, Any],
) -> None:
    """Law: from valid inputs a payload of at most 331 bytes in UTF-8 is built, or the
    payload is refused as too long, exactly when its elements take more than 331 bytes."""
    name, iban, bic = arguments["beneficiary"]
    amount = f"{arguments['amount'].amount:.2f}".rstrip("0").rstrip(".")
    reference = arguments["reference"]
    structured = creditor_reference_valid(reference)
    elements = ["BCD", "002", "1", "SCT", bic, name, iban, f"EUR{amount}", ""]
    elements += [reference, ""] if structured else ["", reference]
    elements.append(arguments["text"])
    while not elements[-1]:
        elements.pop()
    size = len("\n".join(elements).encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        with pytest.raises(InvalidValueError) as caught:
            girocode_payload(**arguments)
        assert caught.value.field == "payload"
    else:
        assert len(girocode_payload(**arguments).encode("utf-8")) <= MAX_PAYLOAD_BYTES


@given(arguments=inputs())
def test_law_a_payload_has_its_lines_in_the_standards_order(arguments: dict[str, Any]) -> None:
    """Law: a payload has the standard's lines in order: BCD, 002, 1, SCT, BIC, name, IBAN,
    amount, purpose, structured reference, unstructured remittance, information; 11 or 12 lines
    with an unstructured reference (12 with information), no empty last line."""
    lines = _built(arguments).split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert lines[7].startswith("EUR")
    assert lines[-1] != ""
    if creditor_reference_valid(arguments["reference"]):
        assert len(lines) == (12 if arguments["text"] else 10)
    else:
        assert len(lines) == (12 if arguments["text"] else 11)


@given(arguments=inputs())
def test_law_a_payload_split_on_lf_gives_back_its_fields(arguments: dict[str, Any]) -> None:
    """Law: split on LF, a payload gives back the BIC, name, IBAN, amount, reference (in the
    structured or the unstructured line) and text it was built from."""
    lines = _built(arguments).split("\n") + [""] * 2
    name, iban, bic = arguments["beneficiary"]
    assert lines[4:7] == [bic, name, iban]
    assert Money(lines[7].removeprefix("EUR"), "EUR") == arguments["amount"]
    reference = arguments["reference"]
    structured = creditor_reference_valid(reference)
    assert lines[9:11] == ([reference, ""] if structured else ["", reference])
    assert lines[11] == arguments["text"]


# -- the QR code ---------------------------------------------------------------------------


def test_the_qr_code_is_level_m_at_most_version_13_and_the_same_each_time() -> None:
    """The PNG and SVG of a payload are the same bytes twice; the QR code segno draws holds
    the payload's UTF-8 bytes at level M and at most version 13 (the longest payload too)."""
    payload = girocode_payload(FRANZ, eur("12.30"), "RF18539007547034", purpose="GDDS")
    png = girocode_png(payload)
    assert png == girocode_png(payload)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = girocode_svg(payload, scale=2)
    assert svg == girocode_svg(payload, scale=2)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert girocode_png(payload, scale=8) != png
    longest = girocode_payload(("A" * 70, IBANS[0], "COBADEFFXXX"), eur("1"), "O" * 133, "U" * 70)
    assert len(longest.encode()) == MAX_PAYLOAD_BYTES
    for text in (payload, longest):
        qr = segno.make_qr(text.encode("utf-8"), error="m", boost_error=False)
        assert qr.error == "M"
        assert isinstance(qr.version, int)
        assert qr.version <= 13
        out = segno.make_qr(text.encode("utf-8"), error="m", boost_error=False)
        assert out.matrix == qr.matrix


@pytest.mark.parametrize(
    ("payload", "scale", "field"),
    [
        ("hello", 4, "payload"),
        ("BCD\n" + "x" * 400, 4, "payload"),
        (b"BCD\n002", 4, "payload"),
        ("BCD\n002\n1\nSCT", 0, "scale"),
        ("BCD\n002\n1\nSCT", 101, "scale"),
        ("BCD\n002\n1\nSCT", True, "scale"),
        ("BCD\n002\n1\nSCT", 2.5, "scale"),
    ],
)
def test_the_images_refuse_what_is_no_payload_and_bad_scales(
    payload: Any, scale: Any, field: str
) -> None:
    """Not a GiroCode payload (not 'BCD', over 331 bytes, bytes) or a scale outside 1 to 100:
    refused naming the argument."""
    for draw in (girocode_png, girocode_svg):
        with pytest.raises(InvalidValueError) as caught:
            draw(payload, scale)
        assert caught.value.field == field


# -- an invoice's code ---------------------------------------------------------------------


def test_an_invoices_code_asks_for_its_open_amount_by_its_number() -> None:
    """The invoice's open amount, its number as the remittance, the sender's account; a
    transfer with that remittance is matched to the invoice."""
    invoice = sent("119.00")
    payload = invoice_girocode(invoice, SENDER)
    lines = payload.split("\n")
    assert lines[4:8] == ["COBADEFFXXX", "Muster Software GmbH", "DE89370400440532013000", "EUR119"]
    assert lines[10] == invoice.number == "RE-2026-0001"
    transfer = BankTransaction(
        on=dt.date(2026, 5, 5), amount=eur("119.00"), payer="Someone", text=lines[10]
    )
    matching = match_payments([transfer], [invoice])
    assert isinstance(matching.matches[0], Match)
    assert matching.matches[0].invoices[0].invoice_id == invoice.id


def test_an_invoices_code_is_refused_for_a_draft_a_settled_invoice_or_junk() -> None:
    """A draft has no number, a settled invoice nothing open, a USD invoice no euro: refused."""
    with pytest.raises(InvalidValueError) as caught:
        invoice_girocode(draft(), SENDER)
    assert caught.value.field == "invoice.number"
    with pytest.raises(InvalidValueError) as caught:
        invoice_girocode(sent("0.00"), SENDER)
    assert caught.value.field == "amount"
    with pytest.raises(InvalidTypeError):
        invoice_girocode("RE-1", SENDER)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        invoice_girocode(sent(), ("ACME", "DE89370400440532013000", ""))  # type: ignore[arg-type]


# -- junk ----------------------------------------------------------------------------------


def dunlib_credit(bill: Any) -> Any:
    """``bill`` credited in full (its credit note and the invoice it is booked against)."""
    from dunlib import Actor, Authority, credit

    actor = Actor(id="ann", roles={"accountant"})
    return credit(bill, id="GS-1", actor=actor, on=dt.date(2026, 5, 1), authority=Authority(eyes=2))


def dunlib_cancel(bill: Any) -> Any:
    """``bill`` cancelled: the original and its cancelling invoice."""
    from dunlib import Actor, Authority, NumberSequence, cancel

    actor = Actor(id="ann", roles={"accountant"})
    return cancel(bill, id="ST-1", actor=actor, on=dt.date(2026, 5, 1),
                  sequence=NumberSequence(prefix="ST-"), authority=Authority(eyes=2))  # fmt: skip


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True),
    st.text(max_size=6),
    st.just("x" * 100_000),
    st.just("BCD\n" + "9" * 5_000),
    st.decimals(allow_nan=True),
    st.dates(),
    st.lists(st.text(max_size=2), max_size=3),
    st.tuples(st.text(max_size=3), st.text(max_size=3), st.text(max_size=3)),
    st.just(Money("1.00", "USD")),
    st.just(object()),
    st.just(sent()),
    st.just(SENDER),
)
"""Values of every wrong kind, as the public API's junk law draws them."""

POSTED = attrs.evolve(
    ACME,
    address=Address(street="Hauptstraße 1", postcode="10115", city="Berlin", country="DE"),
)
"""A customer with a postal address, for the PDFs."""
_BILL = sent(customer=POSTED)
_CREDITED = dunlib_credit(_BILL)
_CANCELLED = dunlib_cancel(_BILL)

DOCUMENT_CALLS: dict[str, tuple[Any, tuple[Any, ...], dict[str, Any]]] = {
    "girocode_payload": (
        girocode_payload,
        (FRANZ, eur("12.30"), "RE-1", "t"),
        {"purpose": "GDDS", "version": "001"},
    ),
    "girocode_png": (girocode_png, ("BCD\n002\n1\nSCT",), {"scale": 2}),
    "girocode_svg": (girocode_svg, ("BCD\n002\n1\nSCT",), {"scale": 2}),
    "invoice_girocode": (invoice_girocode, (sent(), SENDER), {}),
    "creditor_reference_valid": (creditor_reference_valid, ("RF18539007547034",), {}),
    "check_iban": (check_iban, ("DE89370400440532013000",), {"field": "iban"}),
    "check_bic": (check_bic, ("COBADEFFXXX",), {"field": "bic"}),
    "Sender": (
        Sender,
        (),
        {
            **attrs.asdict(SENDER),
            "email": "a@b.de",
            "phone": "+49 30 1",
            "registration": "HRB 1",
            "contact": "Erika",
        },
    ),
    "invoice_pdf": (
        invoice_pdf,
        (_BILL,),
        {"sender": SENDER, "on": _BILL.issue_date, "girocode": invoice_girocode(_BILL, SENDER)},
    ),
    "letter_pdf": (
        letter_pdf,
        (letter(POSTED, 2),),
        {"sender": SENDER, "girocode": invoice_girocode(_BILL, SENDER)},
    ),
    "preview_pdf": (
        preview_pdf,
        (draft(customer=POSTED),),
        {"sender": SENDER, "on": dt.date(2026, 1, 5)},
    ),
    "credit_note_pdf": (credit_note_pdf, (_CREDITED.invoice, _CREDITED.note), {"sender": SENDER}),
    "cancellation_pdf": (
        cancellation_pdf,
        (_CANCELLED.cancelling,),
        {"sender": SENDER, "original": _CANCELLED.original},
    ),
    "delivery_note_pdf": (
        delivery_note_pdf,
        (derive_delivery_note(_BILL, id="LS-1", on=dt.date(2026, 5, 1)),),
        {"sender": SENDER},
    ),
    "statement_pdf": (
        statement_pdf,
        (statement_of_account([_BILL], customer=POSTED, today=dt.date(2026, 6, 1)),),
        {"sender": SENDER},
    ),
    "einvoice_xml": (einvoice_xml, (INVOICE,), {"sender": SELLER, "profile": "xrechnung"}),
    "credit_note_xml": (
        credit_note_xml,
        (CREDITED.invoice, CREDITED.note),
        {"sender": SELLER, "profile": "en16931"},
    ),
    "cancellation_xml": (
        cancellation_xml,
        (CANCELLED.cancelling, CANCELLED.original),
        {"sender": SELLER, "profile": "en16931"},
    ),
    "facturx_pdf": (
        facturx_pdf,
        (base_pdf(), einvoice_xml(INVOICE, sender=SELLER)),
        {"on": dt.date(2026, 5, 4)},
    ),
    "letter_message": (
        letter_message,
        (letter(ACME, 2),),
        {"sender": attrs.evolve(SENDER, email="a@b.de"), "pdf": b"%PDF"},
    ),
    "invoice_message": (
        invoice_message,
        (booked(),),
        {"sender": attrs.evolve(SENDER, email="a@b.de"), "pdf": b"%PDF", "xml": b"<x/>"},
    ),
}


def test_the_junk_law_covers_every_public_function_of_the_package_with_a_valid_call() -> None:
    """Every function (and the value) dunlib.documents exports has a call here, which works."""
    exported = {
        name
        for name in documents.__all__
        if inspect.isfunction(getattr(documents, name)) or inspect.isclass(getattr(documents, name))
    }
    assert exported == set(DOCUMENT_CALLS)
    for function, args, kwargs in DOCUMENT_CALLS.values():
        function(*args, **kwargs)


@given(data=st.data())
def test_law_junk_in_any_argument_raises_only_dunlib_errors(data: st.DataObject) -> None:
    """Law: a public function of dunlib.documents (or Sender) given junk in any one argument
    either succeeds or raises a DunlibError, never another exception."""
    name = data.draw(st.sampled_from(sorted(DOCUMENT_CALLS)), label="function")
    function, args, kwargs = DOCUMENT_CALLS[name]
    call_with_junk(data, function, args, kwargs, JUNK)
