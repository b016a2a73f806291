"""The invoice and dunning-letter PDFs (dunlib.documents.pdf): read back with pypdf, every
number the customer needs is on the page, the same inputs give the same bytes, and
characters beyond Latin-1 ("€", "Łódź", "ß") print in the font dunlib ships; what § 14
UStG asks of an invoice is on it; and the other documents (preview, credit note, cancelling
invoice, delivery note, statement of account) read back the same way."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from pypdf import PdfReader

from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    CreditNote,
    Customer,
    DunningLetter,
    DunningRules,
    DunningStage,
    Invoice,
    IssueStage,
    LineItem,
    Money,
    NumberSequence,
    Payment,
    PaymentTerms,
    StageKind,
    TriggerBasis,
    cancel,
    create_draft,
    credit,
    group_letters,
    next_dunning_action,
    plan,
    record_credit_note,
    record_payment,
    record_stage,
)
from dunlib.analytics import statement_of_account
from dunlib.core import Address, DeliveryPeriod, TaxCategory, format_amount, format_day
from dunlib.core.errors import DunlibError, InvalidTypeError, InvalidValueError
from dunlib.documents import Sender, _layout, girocode_payload, invoice_girocode
from dunlib.documents.pdf import (
    cancellation_pdf,
    credit_note_pdf,
    delivery_note_pdf,
    invoice_pdf,
    letter_pdf,
    preview_pdf,
    statement_pdf,
)
from dunlib.strategies import sent_invoices
from dunlib.workflow import credit_note_tax, derive_delivery_note

NAME = "Muster Werkzeugbau GmbH"
SENDER = Sender(
    name=NAME,
    street="Hafenstraße 12",
    postcode="20457",
    city="Hamburg",
    country="DE",
    iban="DE89 3704 0044 0532 0130 00",
    bic="COBADEFFXXX",
    vat_id="DE123456789",
    tax_number="22/815/08154",
    email="rechnung@muster-werkzeugbau.de",
    phone="+49 40 1234567",
)
ADDRESS = ("ul. Piotrkowska 1", "90-001 Łódź", "POLEN")
CUSTOMER = Customer(
    id="K-10042",
    name="Łódź Handel Sp. z o.o.",
    locale="de_DE",
    address=Address(street="ul. Piotrkowska 1", postcode="90-001", city="Łódź", country="PL"),
)
ISSUED = dt.date(2026, 5, 4)
DAY = dt.date(2026, 6, 1)
HOUSE = Authority(eyes=4)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


def invoice(
    customer: Customer = CUSTOMER, terms: PaymentTerms | None = None, lines: int = 0
) -> Invoice:
    """A booked invoice of three lines at two tax rates (and ``lines`` more of one unit)."""
    items = [
        LineItem(description="Fräser HSS 12 mm", quantity=12, unit_price=eur("18.40"), tax_rate=19),
        LineItem(description="Einweisung (Stunden)", quantity="2.5", unit_price=eur("95.00"),
                 tax_rate=19),
        LineItem(description="Fachbuch Maße", quantity=1, unit_price=eur("49.90"), tax_rate=7),
        *(
            LineItem(description=f"Teil {n}", quantity=1, unit_price=eur("1.05"), tax_rate=19)
            for n in range(lines)
        ),
    ]  # fmt: skip
    return Invoice.sent(
        number="RE-2026-0042",
        customer=customer,
        issue_date=ISSUED,
        lines=items,
        terms=PaymentTerms(net_days=30) if terms is None else terms,
    )


def text_of(pdf: bytes) -> str:
    """The text of every page, as pypdf extracts it, a no-break space read as a space (a
    table cell or a paragraph prints CLDR's no-break spaces as plain ones)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\xa0", " ")


def amount(money: Money, locale: str = "de_DE") -> str:
    """``money`` as dunlib writes it for ``locale``, as :func:`text_of` reads it back."""
    return format_amount(money, locale).replace("\xa0", " ")


def created(pdf: bytes) -> dt.date:
    """The PDF's creation date, as its metadata give it."""
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None
    assert meta.creation_date is not None
    return meta.creation_date.date()


def pages_of(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def make_invoice_pdf(bill: Invoice, **options: object) -> bytes:
    return invoice_pdf(bill, sender=SENDER, **options)  # type: ignore[arg-type]


RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=7, basis=TriggerBasis.DUE_DATE),
        DunningStage(StageKind.NOTICE, days_overdue=21, basis=TriggerBasis.DUE_DATE, fee=eur("5")),
        DunningStage(StageKind.NOTICE, days_overdue=35, basis=TriggerBasis.DUE_DATE, fee=eur("10")),
    )
)
OFFSETS = (7, 21, 35)


def letter(customer: Customer = CUSTOMER, count: int = 3) -> DunningLetter:
    """The one letter of the run on DAY for ``count`` invoices of ``customer``, at levels 1,
    2, 3, 1, 2, … (their earlier documents booked on the days before)."""
    book = []
    for n in range(1, count + 1):
        level = (n - 1) % 3 + 1
        due = DAY - dt.timedelta(days=OFFSETS[level - 1])
        bill = Invoice.sent(
            number=f"RE-2026-{n:04d}",
            customer=customer,
            gross=eur(f"{100 * n + 19}.{n % 100:02d}"),
            issue_date=due - dt.timedelta(days=14),
            due_date=due,
        )
        for earlier in OFFSETS[: level - 1]:
            action = next_dunning_action(bill, RULES, today=due + dt.timedelta(days=earlier))
            assert isinstance(action, IssueStage)
            bill = record_stage(bill, action, actor=AUTOMATIC, authority=HOUSE)
        book.append(bill)
    (made,) = group_letters(plan(book, RULES, today=DAY))
    return made


def make_letter_pdf(made: DunningLetter, **options: object) -> bytes:
    return letter_pdf(made, sender=SENDER, **options)  # type: ignore[arg-type]


def test_the_invoice_shows_its_number_lines_totals_due_date_and_customer() -> None:
    """The number, every line (description, quantity, unit price, rate, net), the net total,
    the tax of each rate on its own net, the gross, the due date and the customer number are
    in the text, each written as dunlib writes it for the customer's locale."""
    bill = invoice()
    text = text_of(make_invoice_pdf(bill))
    assert bill.number in text
    for line in bill.lines:
        assert line.description in text
        assert amount(line.unit_price) in text
        assert amount(line.net) in text
    assert "2,5" in text
    assert amount(bill.net) in text
    assert bill.tax_by_rate == ((Decimal(7), eur("3.49")), (Decimal(19), eur("87.08")))
    assert "USt. 7 % auf 49,90 €" in text
    assert "USt. 19 % auf 458,30 €" in text
    assert "3,49 €" in text
    assert "87,08 €" in text
    assert f"Rechnungsbetrag {amount(bill.gross)}" in text
    assert bill.gross == eur("598.77")
    assert format_day(bill.due_date, "de_DE") == "03.06.2026"
    assert "Zahlbar ohne Abzug bis zum 03.06.2026." in text
    assert "Fällig am 03.06.2026" in text
    assert "Kundennummer K-10042" in text
    assert "Rechnungsdatum 04.05.2026" in text
    assert "Ausgestellt am" not in text
    assert "Skonto" not in text
    for address_line in ADDRESS:
        assert address_line in text


def test_a_cash_discount_is_stated_with_its_deadline_amount_and_what_is_left_to_pay() -> None:
    """Terms with a cash discount print its deadline, percent, the discount dunlib computes
    on the gross and the gross less it."""
    terms = PaymentTerms(net_days=30, discount_percent=Decimal("2"), discount_days=10)
    bill = invoice(terms=terms)
    discount = terms.discount_on(bill.gross, issue_date=ISSUED, on=dt.date(2026, 5, 14))
    assert discount == eur("11.98")
    text = text_of(make_invoice_pdf(bill))
    assert "bis zum 14.05.2026 ziehen Sie bitte" in text
    assert "2 % Skonto ab (11,98 €, zu zahlen 586,79 €)" in text


@settings(max_examples=min(25, settings().max_examples), deadline=None)
@given(bill=sent_invoices())
def test_law_every_booked_invoice_reads_back_its_number_lines_totals_and_due_date(
    bill: Invoice,
) -> None:
    """Law: for any booked invoice dunlib's strategies make (any currency and locale, partly
    paid or not), the PDF's text holds its number, the customer, every line's description
    and net, the net total, each rate's tax, the gross and the due date, as dunlib writes
    them for the customer's locale (the customer given a postal address)."""
    bill = attrs.evolve(bill, customer=attrs.evolve(bill.customer, address=BERLIN))
    locale = bill.customer.locale
    text = text_of(make_invoice_pdf(bill))
    assert bill.number in text
    assert bill.customer.name in text
    for line in bill.lines:
        assert line.description in text
        assert amount(line.net, locale) in text
    for value in (bill.net, bill.gross, *(tax for _, tax in bill.tax_by_rate)):
        assert amount(value, locale) in text
    assert format_day(bill.due_date, locale) in text


def test_an_english_speaking_customer_reads_english_words_and_their_own_formats() -> None:
    """A customer in en_GB: English labels, and amounts and dates in the British way."""
    bill = invoice(customer=attrs.evolve(CUSTOMER, locale="en_GB"))
    text = text_of(make_invoice_pdf(bill))
    assert "Invoice RE-2026-0042" in text
    assert "Invoice total €598.77" in text
    assert "VAT 19% on €458.30" in text
    assert "Payable without deduction by 3 Jun 2026." in text


def test_a_copy_made_later_names_the_day_it_was_made_and_is_dated_so() -> None:
    """``on`` after the issue date prints it as the day of issue and becomes the PDF's
    creation date; the invoice date stays the issue date."""
    later = dt.date(2026, 5, 20)
    pdf = make_invoice_pdf(invoice(), on=later)
    text = text_of(pdf)
    assert "Ausgestellt am 20.05.2026" in text
    assert "Rechnungsdatum 04.05.2026" in text
    assert created(pdf) == later
    assert created(make_invoice_pdf(invoice())) == ISSUED


def test_same_inputs_give_the_same_bytes_and_fixed_metadata() -> None:
    """Two PDFs of one invoice (and of one letter) are byte for byte equal; the metadata
    name dunlib as producer, the sender as author and the document's own date."""
    first, second = make_invoice_pdf(invoice()), make_invoice_pdf(invoice())
    assert first == second
    assert first[:5] == b"%PDF-"
    meta = PdfReader(io.BytesIO(first)).metadata
    assert meta is not None
    assert meta.producer == "dunlib"
    assert meta.creator == "dunlib"
    assert meta.author == NAME
    assert meta.title == "Rechnung RE-2026-0042"
    assert str(meta["/CreationDate"]).startswith("D:20260504000000")
    made = letter()
    assert make_letter_pdf(made) == make_letter_pdf(made)
    assert make_invoice_pdf(invoice(lines=1)) != first


def test_letters_beyond_latin_1_print_and_read_back() -> None:
    """The letters "Łódź", "ß" and "€" go in and come out of the embedded DejaVu Sans subset."""
    bill = invoice(customer=attrs.evolve(CUSTOMER, name="Łódź Straße Ölwerke"))
    pdf = make_invoice_pdf(bill)
    text = text_of(pdf)
    assert "Łódź Straße Ölwerke" in text
    assert "90-001 Łódź" in text
    assert "€" in text
    assert b"/FontFile2" in pdf
    assert b"/BaseFont /MPDFAA+DejaVuSansBook" in pdf
    assert b"/BaseFont /MPDFAA+DejaVuSansBold" in pdf


def test_a_long_invoice_runs_onto_more_pages_with_every_line() -> None:
    """Eighty lines run over several pages, each line on one of them, every later page
    headed by the invoice's title and the table's headings, the totals at the end and the
    page count in the footer."""
    bill = invoice(lines=80)
    pdf = make_invoice_pdf(bill)
    text = text_of(pdf)
    pages = pages_of(pdf)
    assert pages >= 3
    for n in range(80):
        assert re.search(rf"\bTeil {n}\b", text)
    assert f"Seite {pages} von {pages}" in text
    for later in PdfReader(io.BytesIO(pdf)).pages[1:]:
        assert later.extract_text().startswith("Rechnung RE-2026-0042\nPos. Beschreibung")
    assert amount(bill.gross) in text.split(f"Seite {pages - 1} von")[-1]


def test_the_three_invoice_letter_lists_each_invoice_and_the_total() -> None:
    """A letter of three invoices at levels 1, 2 and 3: its subject and text, each invoice's
    number, level, fee and amount claimed, the fees, the open total and the new deadline."""
    made = letter()
    text = text_of(make_letter_pdf(made))
    assert "Mahnung zu 3 Rechnungen" in text
    assert "Sehr geehrte Damen und Herren," in text
    assert f"Mit freundlichen Grüßen\n{NAME}" in text
    for decision, stage in zip(made.decisions, made.actions, strict=True):
        number = decision.invoice.number
        row = (
            f"{number} {format_day(decision.invoice.issue_date, 'de_DE')} "
            f"{format_day(decision.invoice.due_date, 'de_DE')} {stage.level} "
            f"{amount(stage.fee)} {amount(stage.interest)} "
            f"{amount(stage.open_amount)}"
        )
        assert row in text
    assert [stage.level for stage in made.actions] == [1, 2, 3]
    assert made.fee == eur("15.00")
    assert f"Mahngebühren {amount(made.fee)}" in text
    assert f"Offener Gesamtbetrag {amount(made.open_amount)}" in text
    assert made.open_amount == sum((stage.open_amount for stage in made.actions), eur("0"))
    assert "Neue Zahlungsfrist 08.06.2026" in text
    assert "Datum 01.06.2026" in text
    for address_line in ADDRESS:
        assert address_line in text


def test_a_letter_is_signed_by_the_sender_and_worded_for_the_customer() -> None:
    """The sender's name signs the text; an English-speaking customer's letter is in
    English throughout."""
    made = letter(customer=attrs.evolve(CUSTOMER, locale="en_GB"), count=2)
    text = text_of(make_letter_pdf(made))
    assert f"Yours faithfully\n{NAME}" in text
    assert "still open:" in text
    assert "Total open" in text
    assert "RE-2026-0001" in text
    assert "RE-2026-0002" in text


def test_a_letter_of_several_invoices_lists_each_invoice_once() -> None:
    """The letter's text lists its invoices (``{{ invoiceList }}``) and the statement does
    too: the PDF prints the statement in the list's place, so each number appears once,
    the signature after the totals; a letter of one invoice keeps its text whole, with the
    statement under its heading below it."""
    made = letter()
    text = text_of(make_letter_pdf(made))
    for decision in made.decisions:
        assert text.count(decision.invoice.number) == 1
    assert "folgende Rechnungen noch offen:" in text
    assert "Mahnstufe 1, Gebühr" not in text
    assert text.index("Offener Gesamtbetrag") < text.index("Mit freundlichen Grüßen")
    assert "Aufstellung der offenen Rechnungen" not in text
    one = text_of(make_letter_pdf(letter(count=1)))
    assert one.count("RE-2026-0001") == 3  # the subject and text name it, and the table
    assert "Aufstellung der offenen Rechnungen" in one


def test_a_letter_whose_text_does_not_list_its_invoices_prints_them_below() -> None:
    """A wording without ``{{ invoiceList }}``: the text whole, then the statement."""
    from dunlib.dunning import StageTexts

    plain = StageTexts(language="de", pdf_text_several="Bitte zahlen Sie {{ openAmount }}.")
    made = letter()
    stage = attrs.evolve(made.lead.stage, texts=(plain,))
    actions = tuple(attrs.evolve(a, stage=stage) for a in made.actions)
    decisions = tuple(
        attrs.evolve(d, action=a) for d, a in zip(made.decisions, actions, strict=True)
    )
    text = text_of(make_letter_pdf(attrs.evolve(made, decisions=decisions)))
    assert "Bitte zahlen Sie" in text
    assert "Aufstellung der offenen Rechnungen" in text
    assert text.count("RE-2026-0001") == 1


def test_a_letter_of_many_invoices_lists_every_one_over_its_pages() -> None:
    """Forty invoices: every number is printed, the total at the end."""
    made = letter(count=40)
    pdf = make_letter_pdf(made)
    text = text_of(pdf)
    assert pages_of(pdf) >= 2
    for n in range(1, 41):
        assert f"RE-2026-{n:04d}" in text
    assert amount(made.open_amount) in text


def test_a_draft_and_a_cancelling_invoice_are_refused() -> None:
    """A draft has no number; a cancelling invoice is not printed as an invoice."""
    draft = Invoice(id="D-1", customer=CUSTOMER, currency="EUR", issue_date=ISSUED)
    with pytest.raises(InvalidValueError, match="a draft has none yet"):
        make_invoice_pdf(draft)
    cancelling = attrs.evolve(invoice(), cancels="RE-2026-0001")
    with pytest.raises(InvalidValueError, match="not one cancelling invoice RE-2026-0001"):
        make_invoice_pdf(cancelling)


NO_ADDRESS = attrs.evolve(CUSTOMER, address=None)


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda: invoice_pdf("RE-1", sender=SENDER),  # type: ignore[arg-type]
         InvalidTypeError, "invoice_pdf.invoice"),
        (lambda: invoice_pdf(invoice(), sender="Muster GmbH"),  # type: ignore[arg-type]
         InvalidTypeError, "invoice_pdf.sender"),
        (lambda: make_invoice_pdf(invoice(customer=NO_ADDRESS)),
         InvalidValueError, "Customer.address"),
        (lambda: make_invoice_pdf(invoice(), on="2026-05-20"),
         InvalidTypeError, "invoice_pdf.on"),
        (lambda: make_invoice_pdf(invoice(), on=dt.date(2026, 5, 3)),
         InvalidValueError, "invoice_pdf.on"),
        (lambda: letter_pdf(invoice(), sender=SENDER),  # type: ignore[arg-type]
         InvalidTypeError, "letter_pdf.letter"),
        (lambda: letter_pdf(letter(count=1), sender=None),  # type: ignore[arg-type]
         InvalidTypeError, "letter_pdf.sender"),
        (lambda: make_letter_pdf(letter(customer=NO_ADDRESS, count=1)),
         InvalidValueError, "Customer.address"),
    ],
)  # fmt: skip
def test_bad_arguments_are_refused_with_a_typed_error_naming_the_field(
    call: object, error: type[DunlibError], field: str
) -> None:
    """Each bad argument raises a dunlib error naming the argument."""
    with pytest.raises(error) as caught:
        call()  # type: ignore[operator]
    assert isinstance(caught.value, InvalidValueError)
    assert caught.value.field == field


def test_text_the_font_cannot_print_is_refused_not_left_out() -> None:
    """A character DejaVu Sans has no glyph for would print as nothing: the document is
    refused, naming it, whether it is in a line, the customer's name or the sender's."""
    chinese = LineItem(description="螺丝刀", quantity=1, unit_price=eur("1"), tax_rate=19)
    bill = Invoice.sent(number="RE-1", customer=CUSTOMER, issue_date=ISSUED, lines=[chinese])
    with pytest.raises(InvalidValueError, match=r"no glyph for '丝' \(U\+4E1D\)") as caught:
        make_invoice_pdf(bill)
    assert caught.value.field == "invoice_pdf"
    assert caught.value.value == "丝刀螺"
    named = letter(customer=attrs.evolve(CUSTOMER, name="東京商事"), count=1)
    with pytest.raises(InvalidValueError, match="no glyph") as caught:
        make_letter_pdf(named)
    assert caught.value.field == "letter_pdf"
    with pytest.raises(InvalidValueError, match="no glyph"):
        invoice_pdf(invoice(), sender=attrs.evolve(SENDER, name="日本"))


def test_labels_are_german_for_every_german_locale_and_english_otherwise() -> None:
    """``de``, ``de_AT`` and ``de_CH`` read German; ``fr_FR`` and ``en`` English."""
    assert _layout.labels("de_AT")["invoice"] == "Rechnung"
    assert _layout.labels("de")["invoice"] == "Rechnung"
    assert _layout.labels("fr_FR")["invoice"] == "Invoice"
    assert set(_layout.LABELS["de"]) == set(_layout.LABELS["en"])


def test_the_fonts_and_their_licence_are_shipped_beside_the_module() -> None:
    """DejaVu Sans regular and bold, and the DejaVu (Bitstream Vera) licence."""
    assert (_layout.FONTS / "DejaVuSans.ttf").stat().st_size > 100_000
    assert (_layout.FONTS / "DejaVuSans-Bold.ttf").stat().st_size > 100_000
    licence = (_layout.FONTS / "LICENSE").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence
    assert "DejaVu changes are in public domain" in licence


GIRO_SENDER = SENDER


def test_an_invoice_and_a_letter_carry_their_girocode_under_the_terms() -> None:
    """With a GiroCode payload, the invoice shows the code (one image) and its caption under
    the payment terms, the same bytes twice; a letter shows the code of its open total."""
    bill = invoice()
    payload = invoice_girocode(bill, GIRO_SENDER)
    pdf = make_invoice_pdf(bill, girocode=payload)
    assert pdf == make_invoice_pdf(bill, girocode=payload)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1
    assert "GiroCode" in text_of(pdf)
    assert not PdfReader(io.BytesIO(make_invoice_pdf(bill))).pages[0].images
    made = letter()
    code = girocode_payload(GIRO_SENDER, made.open_amount, made.decisions[0].invoice.number)
    assert len(PdfReader(io.BytesIO(make_letter_pdf(made, girocode=code))).pages[-1].images) == 1


def test_a_girocode_that_does_not_fit_goes_onto_the_next_page() -> None:
    """An invoice whose terms end near the foot of the page gets its GiroCode on a new page."""
    bill = invoice(lines=12)
    assert pages_of(make_invoice_pdf(bill)) == 1
    assert pages_of(make_invoice_pdf(bill, girocode=invoice_girocode(bill, GIRO_SENDER))) == 2


def test_a_girocode_that_is_no_payload_is_refused() -> None:
    """Anything but a GiroCode payload is a typed error naming the argument."""
    with pytest.raises(InvalidValueError, match=r"invoice_pdf\.girocode"):
        make_invoice_pdf(invoice(), girocode="https://pay.example")
    with pytest.raises(InvalidValueError, match=r"letter_pdf\.girocode"):
        make_letter_pdf(letter(), girocode=42)
    with pytest.raises(InvalidValueError, match=r"invoice_pdf\.girocode"):
        make_invoice_pdf(invoice(), girocode="BCD\n" + "x" * 400)  # over 331 bytes


# -- what § 14 UStG asks of an invoice --------------------------------------------------------

BERLIN = Address(street="Hauptstraße 1", postcode="10115", city="Berlin", country="DE")
DOMESTIC = Customer(id="K-1", name="Hauptstadt Handel GmbH", address=BERLIN)


def item(description: str, quantity: str, price: str, rate: int = 19, **fields: object) -> LineItem:
    return LineItem(
        description=description, quantity=quantity, unit_price=eur(price), tax_rate=rate,
        **fields,  # type: ignore[arg-type]
    )  # fmt: skip


def booked(
    *lines: LineItem, customer: Customer = DOMESTIC, delivery: DeliveryPeriod | None = None
) -> Invoice:
    bill = Invoice.sent(number="RE-2026-0100", customer=customer, issue_date=ISSUED, lines=lines)
    return attrs.evolve(bill, delivery=delivery)


def test_the_sender_is_in_the_letterhead_return_address_and_footer() -> None:
    """The letterhead names the sender, its address, phone and e-mail; the return address
    its name, street and city (with its country in capitals for a letter abroad); the
    footer its VAT id, tax number, IBAN in groups of four and BIC; the recipient's country
    is printed in capitals under a foreign address, never under a domestic one."""
    abroad = text_of(make_invoice_pdf(invoice()))
    assert "Tel. +49 40 1234567" in abroad
    assert "rechnung@muster-werkzeugbau.de" in abroad
    assert "Hafenstraße 12 · 20457 Hamburg · DEUTSCHLAND" in abroad
    assert "USt-IdNr. DE123456789" in abroad
    assert "Steuernummer 22/815/08154" in abroad
    assert "IBAN DE89 3704 0044 0532 0130 00" in abroad
    assert "BIC COBADEFFXXX" in abroad
    assert "POLEN" in abroad
    home = text_of(make_invoice_pdf(booked(item("Beratung", "1", "100.00"))))
    assert f"{NAME} · Hafenstraße 12 · 20457 Hamburg\n" in home
    assert "DEUTSCHLAND" not in home
    assert "Hauptstadt Handel GmbH\nHauptstraße 1\n10115 Berlin" in home
    extra = attrs.evolve(DOMESTIC, address=attrs.evolve(BERLIN, extra="Buchhaltung"))
    assert "Buchhaltung\nHauptstraße 1" in text_of(
        make_invoice_pdf(booked(item("Beratung", "1", "100.00"), customer=extra))
    )
    minimal = Sender(name="M", street="Weg 1", postcode="20457", city="Hamburg", country="DE",
                     iban=SENDER.iban, tax_number="22/815/08154")  # fmt: skip
    plain = text_of(invoice_pdf(booked(item("Beratung", "1", "100.00")), sender=minimal))
    assert "USt-IdNr." not in plain
    assert "BIC" not in plain
    assert "Tel." not in plain
    vat_only = attrs.evolve(minimal, vat_id="DE123456789", tax_number="")
    assert "Steuernummer" not in text_of(
        invoice_pdf(booked(item("Beratung", "1", "100.00")), sender=vat_only)
    )


def test_a_long_return_address_is_set_smaller_or_on_two_lines_to_fit_the_window() -> None:
    """The return address is one line in the window, set smaller (down to 6 pt) when it is
    long; longer still, the sender's name stands on a line above the address."""
    home = text_of(make_invoice_pdf(booked(item("Beratung", "1", "100.00"))))
    assert f"{NAME} · Hafenstraße 12 · 20457 Hamburg\n" in home
    text = text_of(make_invoice_pdf(invoice()))
    assert f"{NAME}\nHafenstraße 12 · 20457 Hamburg · DEUTSCHLAND\n" in text


def test_the_delivery_date_or_period_is_printed_else_the_invoice_date_is_said_to_be_it() -> None:
    """A delivery period prints as a period, one day as a delivery date; without one the
    invoice says the delivery date is the invoice date (the common German practice)."""
    lines = (item("Wartung", "1", "100.00"),)
    period = DeliveryPeriod(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30))
    text = text_of(make_invoice_pdf(booked(*lines, delivery=period)))
    assert "Leistungszeitraum 01.04.2026 \N{EN DASH} 30.04.2026" in text
    assert "Leistungsdatum entspricht Rechnungsdatum" not in text
    day = DeliveryPeriod(start=dt.date(2026, 4, 30), end=dt.date(2026, 4, 30))
    assert "Leistungsdatum 30.04.2026" in text_of(make_invoice_pdf(booked(*lines, delivery=day)))
    assert "Leistungsdatum entspricht Rechnungsdatum." in text_of(make_invoice_pdf(booked(*lines)))
    english = attrs.evolve(DOMESTIC, locale="en_GB")
    assert "Delivery date: date of invoice." in text_of(
        make_invoice_pdf(booked(*lines, customer=english))
    )


def test_the_customers_vat_id_and_buyer_reference_are_printed_when_given() -> None:
    """The information block names the customer's VAT id and buyer reference (the
    Leitweg-ID) when the customer has them."""
    known = attrs.evolve(DOMESTIC, vat_id="DE987654321", buyer_reference="04011000-12345-67")
    text = text_of(make_invoice_pdf(booked(item("Beratung", "1", "100.00"), customer=known)))
    assert "Ihre USt-IdNr. DE987654321" in text
    assert "Ihre Referenz 04011000-12345-67" in text
    plain = text_of(make_invoice_pdf(booked(item("Beratung", "1", "100.00"))))
    assert "Ihre USt-IdNr." not in plain
    assert "Ihre Referenz" not in plain


def test_each_quantity_is_printed_with_its_unit() -> None:
    """Common UN/ECE Rec. 20 codes print as short words in the customer's language; any
    other code as it is."""
    lines = (
        item("Fräser", "12", "18.40", unit="C62"),
        item("Montage", "2.5", "95.00", unit="HUR"),
        item("Kabel", "30", "1.20", unit="MTR"),
        item("Miete", "1", "400.00", unit="MON"),
        item("Strom", "120", "0.30", unit="KWH"),
        item("Paletten", "3", "10.00", unit="XPX"),
    )
    text = text_of(make_invoice_pdf(booked(*lines)))
    for shown in ("12 Stk.", "2,5 Std.", "30 m", "1 Monat", "120 kWh", "3 XPX"):
        assert shown in text
    british = attrs.evolve(DOMESTIC, locale="en_GB")
    english = text_of(make_invoice_pdf(booked(*lines, customer=british)))
    for shown in ("12 pcs", "2.5 h", "1 month"):
        assert shown in english
    assert [_layout.unit(code, "de") for code in ("H87", "DAY", "KGM", "LTR")] == [
        "Stk.", "Tag", "kg", "l",
    ]  # fmt: skip


def test_consecutive_lines_of_a_section_stand_under_its_heading_with_their_subtotal() -> None:
    """Lines of one section are printed under its heading and followed by their net
    subtotal; a line of no section stands on its own; the totals are the invoice's."""
    lines = (
        item("Fräser HSS", "10", "18.40", section="Material"),
        item("Schrauben", "100", "0.20", section="Material"),
        item("Montage", "3", "95.00", unit="HUR", section="Arbeit"),
        item("Anfahrt", "1", "45.00"),
    )
    bill = booked(*lines)
    text = text_of(make_invoice_pdf(bill))
    assert "Material\n1 Fräser HSS" in text
    assert "Zwischensumme Material 204,00 €" in text
    assert "Arbeit\n3 Montage" in text
    assert "Zwischensumme Arbeit 285,00 €" in text
    assert text.index("Zwischensumme Arbeit") < text.index("Anfahrt")
    assert f"Rechnungsbetrag {amount(bill.gross)}" in text
    ending = text_of(make_invoice_pdf(booked(*lines[:3])))
    assert "Zwischensumme Arbeit 285,00 €" in ending


def test_sections_over_many_pages_repeat_the_headings_where_a_band_breaks() -> None:
    """Three hundred lines in sections of three: every subtotal is printed, a heading row
    starts every later page, and the totals match."""
    lines = [item(f"Teil {n}", "1", "1.00", section=f"Abschnitt {n // 3}") for n in range(300)]
    text = text_of(make_invoice_pdf(booked(*lines)))
    for section in range(100):
        assert f"Zwischensumme Abschnitt {section} 3,00 €" in text
    assert "Rechnungsbetrag 357,00 €" in text


@pytest.mark.parametrize(
    ("category", "german", "english"),
    [
        (TaxCategory.REVERSE_CHARGE, "Steuerschuldnerschaft des Leistungsempfängers (§ 13b UStG)",
         "Reverse charge: the recipient is liable for the VAT"),
        (TaxCategory.INTRA_COMMUNITY, "Steuerfreie innergemeinschaftliche Lieferung (§ 4 Nr. 1b",
         "VAT-exempt intra-community supply (Article 138"),
        (TaxCategory.EXPORT, "Steuerfreie Ausfuhrlieferung (§ 4 Nr. 1a",
         "VAT-exempt export supply"),
        (TaxCategory.EXEMPT, "Steuerfreie Leistung (steuerfrei nach § 4 UStG)",
         "VAT-exempt supply."),
        (TaxCategory.ZERO, "Umsatzsteuer 0 % (Nullsteuersatz", "Zero-rated supply"),
        (TaxCategory.OUTSIDE_SCOPE, "Im Inland nicht steuerbare Leistung",
         "Supply outside the scope of VAT"),
    ],
)  # fmt: skip
def test_a_zero_rated_category_is_named_in_the_tax_lines_with_its_legal_note(
    category: TaxCategory, german: str, english: str
) -> None:
    """A line of a zero-rated category: its tax line names the category and its net, and
    the legal note stands under the totals, in German or English."""
    customer = attrs.evolve(CUSTOMER, vat_id="PL5260001246")
    lines = (
        item("Maschine", "1", "1000.00", rate=0, tax_category=category),
        item("Handbuch", "1", "20.00", rate=7),
    )
    text = text_of(make_invoice_pdf(booked(*lines, customer=customer)))
    assert german in text
    assert "1.000,00 € 0,00 €" in text
    assert "USt. 7 % auf 20,00 € 1,40 €" in text
    assert "Ihre USt-IdNr. PL5260001246" in text
    english_text = text_of(
        make_invoice_pdf(booked(*lines, customer=attrs.evolve(customer, locale="en_GB")))
    )
    assert english in english_text


def test_zero_rate_lines_of_two_categories_get_a_tax_line_each() -> None:
    """At a rate of zero, each category has its own line (and an unknown one the plain
    rate line); a rate above zero has one line whatever its lines' categories."""
    customer = attrs.evolve(CUSTOMER, vat_id="PL5260001246")
    lines = (
        item("Maschine", "1", "1000.00", rate=0, tax_category=TaxCategory.INTRA_COMMUNITY),
        item("Versicherung", "1", "50.00", rate=0, tax_category=TaxCategory.EXEMPT),
        item("Porto", "1", "5.00", rate=0),
        item("Einweisung", "1", "100.00", rate=19, tax_category=TaxCategory.STANDARD),
    )
    text = text_of(make_invoice_pdf(booked(*lines, customer=customer)))
    assert "Steuerfreie innergemeinschaftliche Lieferung auf 1.000,00 € 0,00 €" in text
    assert "Steuerfrei auf 50,00 € 0,00 €" in text
    assert "USt. 0 % auf 5,00 € 0,00 €" in text
    assert "USt. 19 % auf 100,00 € 19,00 €" in text


def test_reverse_charge_without_the_customers_vat_id_is_refused() -> None:
    """§ 14a UStG: a reverse-charge or intra-community invoice names the customer's VAT id;
    without one the invoice is refused, naming the field and the invoice."""
    lines = (item("Montage", "1", "1000.00", rate=0, tax_category=TaxCategory.REVERSE_CHARGE),)
    with pytest.raises(InvalidValueError, match="RE-2026-0100") as caught:
        make_invoice_pdf(booked(*lines))
    assert caught.value.field == "Customer.vat_id"


def test_a_customer_without_an_address_is_refused_naming_the_field_and_the_invoice() -> None:
    """The window needs the recipient's address: refused, naming Customer.address and the
    invoice's number."""
    with pytest.raises(InvalidValueError, match="invoice RE-2026-0042") as caught:
        make_invoice_pdf(invoice(customer=NO_ADDRESS))
    assert caught.value.field == "Customer.address"


# -- the other documents ------------------------------------------------------------------------

ACCOUNTANT = Actor(id="ann", roles={"accountant", "clerk", "reviewer"})
TWO = Authority(eyes=2)


def test_a_preview_is_marked_as_a_draft_on_every_page_and_has_no_number() -> None:
    """A draft's preview: "ENTWURF" across every page, the draft's id instead of a number,
    its lines, totals and the due date sending on ``on`` would set; the same bytes twice."""
    draft = create_draft(
        id="D-7", customer=CUSTOMER, currency="EUR", actor=ACCOUNTANT, on=ISSUED,
        lines=[item(f"Teil {n}", "1", "10.00", section="Teile") for n in range(60)],
        delivery=DeliveryPeriod(start=ISSUED, end=ISSUED),
    )  # fmt: skip
    pdf = preview_pdf(draft, sender=SENDER, on=DAY)
    assert pdf == preview_pdf(draft, sender=SENDER, on=DAY)
    assert pages_of(pdf) >= 2
    for each in PdfReader(io.BytesIO(pdf)).pages:
        assert "ENTWURF" in each.extract_text()
    text = text_of(pdf)
    assert "Rechnungsentwurf D-7" in text
    assert "Entwurf, keine Rechnung" in text
    assert "Rechnungsnummer RE" not in text
    assert f"Fällig am {format_day(draft.terms.due_date(DAY), 'de_DE')}" in text
    assert "Zwischensumme Teile 600,00 €" in text
    assert "Leistungsdatum 04.05.2026" in text
    assert amount(draft.gross) in text
    assert created(pdf) == DAY
    english = attrs.evolve(draft, customer=attrs.evolve(CUSTOMER, locale="en_GB"), delivery=None)
    english_text = text_of(preview_pdf(english, sender=SENDER, on=DAY))
    assert "DRAFT" in english_text
    assert "Delivery date: date of invoice." in english_text


def test_a_preview_of_a_booked_invoice_is_refused() -> None:
    """A booked invoice has its number: invoice_pdf prints it; anything but an invoice is
    refused too."""
    with pytest.raises(InvalidTypeError):
        preview_pdf("D-1", sender=SENDER, on=DAY)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="invoice_pdf") as caught:
        preview_pdf(invoice(), sender=SENDER, on=DAY)
    assert caught.value.field == "preview_pdf.draft"


def test_a_credit_note_of_lines_names_the_invoice_its_lines_tax_and_total() -> None:
    """A credit note for two lines of the invoice: its id and date, the invoice's number
    and date, the lines with their tax per rate and the amount credited, its reason."""
    bill = invoice()
    done = credit(bill, id="GS-1", actor=ACCOUNTANT, on=DAY, authority=TWO, selection=[0, 2])
    pdf = credit_note_pdf(done.invoice, done.note, sender=SENDER)
    assert pdf == credit_note_pdf(done.invoice, done.note, sender=SENDER)
    text = text_of(pdf)
    assert "Gutschrift GS-1 zur Rechnung RE-2026-0042" in text
    assert "Zu unserer Rechnung RE-2026-0042 vom 04.05.2026 schreiben wir Ihnen gut:" in text
    assert "Fräser HSS 12 mm" in text
    assert "Fachbuch Maße" in text
    assert "Einweisung" not in text
    assert "USt. 19 % auf 220,80 € 41,95 €" in text
    assert f"Gutschriftsbetrag {amount(done.note.amount)}" in text
    assert "Grund: Gutschrift zu Rechnung RE-2026-0042" in text
    assert created(pdf) == DAY


def test_a_credit_note_of_an_amount_states_the_tax_it_takes_back_per_rate() -> None:
    """A price reduction of 1.00 split over two rates: its lines' nets, each rate's tax as
    the split took it out of its share (the tax on the nets would round to 0.99 in all),
    adding up to the amount; a note without lines just the amount."""
    bill = invoice(customer=attrs.evolve(CUSTOMER, locale="en_GB"))
    done = credit(bill, id="GS-2", actor=ACCOUNTANT, on=DAY, authority=TWO, amount=eur("1.00"))
    text = text_of(credit_note_pdf(done.invoice, done.note, sender=SENDER))
    nets = sum((line.net for line in done.note.lines), eur("0"))
    assert len(done.note.lines) == 2
    assert "Credit note GS-2 for invoice RE-2026-0042" in text
    assert f"Net total {amount(nets, 'en_GB')}" in text
    taxes = credit_note_tax(done.invoice, done.note)
    assert nets + sum((tax for _, tax in taxes), eur("0")) == eur("1.00")
    for rate, tax in taxes:
        assert f"VAT {rate}% on" in text
        assert amount(tax, "en_GB") in text
    assert "Total credited €1.00" in text
    bare = record_credit_note(
        bill, CreditNote(id="GS-3", on=DAY, amount=eur("10.00")), actor=ACCOUNTANT, on=DAY,
        authority=TWO,
    )  # fmt: skip
    plain = text_of(credit_note_pdf(bare, bare.credit_notes[0], sender=SENDER))
    assert "Total credited €10.00" in plain
    assert "Reason" not in plain
    assert "Net total" not in plain


def test_a_credit_note_must_be_booked_against_the_invoice() -> None:
    """A note not among the invoice's credit notes is refused, naming it."""
    note = CreditNote(id="GS-9", on=DAY, amount=eur("1.00"))
    with pytest.raises(InvalidValueError, match="GS-9") as caught:
        credit_note_pdf(invoice(), note, sender=SENDER)
    assert caught.value.field == "credit_note_pdf.note"
    with pytest.raises(InvalidTypeError):
        credit_note_pdf(invoice(), "GS-9", sender=SENDER)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        credit_note_pdf("RE-1", note, sender=SENDER)  # type: ignore[arg-type]


def cancelled() -> tuple[Invoice, Invoice]:
    made = cancel(invoice(), id="ST-1", actor=ACCOUNTANT, on=DAY,
                  sequence=NumberSequence(prefix="RE-2026-"), authority=TWO)  # fmt: skip
    return made.original, made.cancelling


def test_a_cancelling_invoice_names_the_invoice_it_cancels() -> None:
    """The Stornorechnung: its own number and date, the cancelled invoice (its number and
    date given the original, else its id), the negated lines and totals, no payment terms."""
    original, cancelling = cancelled()
    pdf = cancellation_pdf(cancelling, sender=SENDER, original=original)
    assert pdf == cancellation_pdf(cancelling, sender=SENDER, original=original)
    text = text_of(pdf)
    assert f"Stornorechnung {cancelling.number} zur Rechnung RE-2026-0042" in text
    assert "Hiermit stornieren wir unsere Rechnung RE-2026-0042 vom 04.05.2026." in text
    assert f"Rechnungsbetrag {amount(cancelling.gross)}" in text
    assert cancelling.gross == -original.gross
    assert "Zahlbar" not in text
    bare = text_of(cancellation_pdf(cancelling, sender=SENDER))
    assert f"zur Rechnung {original.id}" in bare
    with pytest.raises(InvalidValueError, match="not one cancelling invoice"):
        make_invoice_pdf(cancelling)


def test_a_cancellation_pdf_refuses_an_invoice_that_cancels_nothing_and_a_wrong_original() -> None:
    original, cancelling = cancelled()
    with pytest.raises(InvalidValueError) as caught:
        cancellation_pdf(original, sender=SENDER)
    assert caught.value.field == "cancellation_pdf.cancelling"
    with pytest.raises(InvalidValueError) as caught:
        cancellation_pdf(cancelling, sender=SENDER, original=attrs.evolve(original, id="X"))
    assert caught.value.field == "cancellation_pdf.original"
    with pytest.raises(InvalidTypeError):
        cancellation_pdf("ST-1", sender=SENDER)  # type: ignore[arg-type]


def test_a_delivery_note_lists_lines_and_quantities_without_prices() -> None:
    """The Lieferschein: its id, date and reference, every line with its quantity and unit
    under its section, and no amount at all."""
    lines = (
        item("Fräser HSS", "10", "18.40", section="Material"),
        item("Montage", "3", "95.00", unit="HUR"),
    )
    note = derive_delivery_note(booked(*lines), id="LS-1", on=DAY)
    pdf = delivery_note_pdf(note, sender=SENDER)
    assert pdf == delivery_note_pdf(note, sender=SENDER)
    text = text_of(pdf)
    assert "Lieferschein LS-1" in text
    assert "Material\n1 Fräser HSS 10 Stk." in text
    assert "2 Montage 3 Std." in text
    assert "€" not in text.split("Wir liefern Ihnen:")[1].split("IBAN")[0]
    assert "Zwischensumme" not in text
    assert created(pdf) == DAY
    with pytest.raises(InvalidTypeError):
        delivery_note_pdf("LS-1", sender=SENDER)  # type: ignore[arg-type]


def test_the_statement_of_account_as_a_letter() -> None:
    """The statement's open items with their parts, the totals and balance, and the
    payments and credits; a statement with nothing says so."""
    bill = invoice()
    part = record_payment(bill, Payment(on=DAY, amount=eur("100.00"), reference="ÜW 7"),
                          actor=AUTOMATIC, authority=TWO).invoice  # fmt: skip
    made = statement_of_account([part], customer=CUSTOMER, today=DAY)
    pdf = statement_pdf(made, sender=SENDER)
    assert pdf == statement_pdf(made, sender=SENDER)
    text = text_of(pdf)
    assert "Kontoauszug 01.06.2026" in text
    assert "RE-2026-0042 04.05.2026 03.06.2026 0 598,77 € 498,77 € 0,00 € 0,00 € 498,77 €" in text
    assert "Offener Gesamtbetrag 498,77 €" in text
    assert "Saldo zu Ihren Lasten 498,77 €" in text
    assert "01.06.2026 Zahlung RE-2026-0042 ÜW 7 100,00 €" in text
    assert created(pdf) == DAY
    empty = text_of(statement_pdf(
        statement_of_account([], customer=CUSTOMER, today=DAY, currency="EUR"), sender=SENDER
    ))  # fmt: skip
    assert "Keine offenen Posten." in empty
    assert "Keine Zahlungen oder Gutschriften." in empty
    with pytest.raises(InvalidTypeError):
        statement_pdf(made.text(), sender=SENDER)  # type: ignore[arg-type]


@pytest.mark.parametrize("document", ["preview", "credit", "cancellation", "delivery", "statement"])
def test_every_document_refuses_a_customer_without_an_address_and_a_sender_of_no_sender(
    document: str,
) -> None:
    """No document is made for a customer without Customer.address, nor from anything but
    a Sender."""
    bill = invoice(customer=NO_ADDRESS)
    _, cancelling = cancelled()
    calls = {
        "preview": lambda sender: preview_pdf(
            create_draft(
                id="D-1", customer=NO_ADDRESS, currency="EUR", actor=ACCOUNTANT, on=ISSUED
            ),
            sender=sender,
            on=DAY,
        ),
        "credit": lambda sender: credit_note_pdf(
            *(lambda c: (c.invoice, c.note))(
                credit(bill, id="GS-1", actor=ACCOUNTANT, on=DAY, authority=TWO)
            ),
            sender=sender,
        ),
        "cancellation": lambda sender: cancellation_pdf(
            attrs.evolve(cancelling, customer=NO_ADDRESS), sender=sender
        ),
        "delivery": lambda sender: delivery_note_pdf(
            derive_delivery_note(bill, id="LS-1", on=DAY), sender=sender
        ),
        "statement": lambda sender: statement_pdf(
            statement_of_account([bill], customer=NO_ADDRESS, today=DAY), sender=sender
        ),
    }
    with pytest.raises(InvalidValueError) as caught:
        calls[document](SENDER)
    assert caught.value.field == "Customer.address"
    with pytest.raises(InvalidTypeError) as caught:
        calls[document]("Muster GmbH")
    assert caught.value.field.endswith(".sender")
