"""The invoice and dunning-letter PDFs (dunlib.documents.pdf): read back with pypdf, every
number the customer needs is on the page, the same inputs give the same bytes, and
characters beyond Latin-1 ("€", "Łódź", "ß") print in the font dunlib ships."""

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
    Authority,
    Customer,
    DunningLetter,
    DunningRules,
    DunningStage,
    Invoice,
    IssueStage,
    LineItem,
    Money,
    PaymentTerms,
    StageKind,
    TriggerBasis,
    group_letters,
    next_dunning_action,
    plan,
    record_stage,
)
from dunlib.core import format_amount, format_day
from dunlib.core.errors import DunlibError, InvalidTypeError, InvalidValueError
from dunlib.documents import Sender, _layout, girocode_payload, invoice_girocode
from dunlib.documents.pdf import invoice_pdf, letter_pdf
from dunlib.strategies import sent_invoices

SENDER = "Muster Werkzeugbau GmbH"
LINES = ("Hafenstraße 12", "20457 Hamburg", "USt-IdNr. DE123456789")
ADDRESS = ("ul. Piotrkowska 1", "90-001 Łódź")
CUSTOMER = Customer(id="K-10042", name="Łódź Handel Sp. z o.o.", locale="de_DE")
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
    return invoice_pdf(bill, sender_name=SENDER, sender_lines=LINES, **options)  # type: ignore[arg-type]


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
    return letter_pdf(made, sender_name=SENDER, sender_lines=LINES, **options)  # type: ignore[arg-type]


def test_the_invoice_shows_its_number_lines_totals_due_date_and_customer() -> None:
    """The number, every line (description, quantity, unit price, rate, net), the net total,
    the tax of each rate on its own net, the gross, the due date and the customer number are
    in the text, each written as dunlib writes it for the customer's locale."""
    bill = invoice()
    text = text_of(make_invoice_pdf(bill, recipient_lines=ADDRESS))
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
    them for the customer's locale."""
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
    assert meta.author == SENDER
    assert meta.title == "Rechnung RE-2026-0042"
    assert str(meta["/CreationDate"]).startswith("D:20260504000000")
    made = letter()
    assert make_letter_pdf(made) == make_letter_pdf(made)
    assert make_invoice_pdf(invoice(lines=1)) != first


def test_letters_beyond_latin_1_print_and_read_back() -> None:
    """The letters "Łódź", "ß" and "€" go in and come out of the embedded DejaVu Sans subset."""
    bill = invoice(customer=attrs.evolve(CUSTOMER, name="Łódź Straße Ölwerke"))
    pdf = make_invoice_pdf(bill, recipient_lines=("90-001 Łódź",))
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
    text = text_of(make_letter_pdf(made, recipient_lines=ADDRESS))
    assert "Mahnung zu 3 Rechnungen" in text
    assert "Sehr geehrte Damen und Herren," in text
    assert f"Mit freundlichen Grüßen\n{SENDER}" in text
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


def test_a_letter_is_signed_by_the_tenant_given_and_worded_for_the_customer() -> None:
    """``tenant`` signs the text (the sender by default); an English-speaking customer's
    letter is in English throughout."""
    made = letter(customer=attrs.evolve(CUSTOMER, locale="en_GB"), count=2)
    text = text_of(make_letter_pdf(made, tenant="Accounts, Muster"))
    assert "Yours faithfully\nAccounts, Muster" in text
    assert "Statement of the open invoices" in text
    assert "Total open" in text
    assert "RE-2026-0001" in text
    assert "RE-2026-0002" in text


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


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda: invoice_pdf("RE-1", sender_name=SENDER, sender_lines=LINES),  # type: ignore[arg-type]
         InvalidTypeError, "invoice_pdf.invoice"),
        (lambda: invoice_pdf(invoice(), sender_name=None, sender_lines=LINES),  # type: ignore[arg-type]
         InvalidTypeError, "invoice_pdf.sender_name"),
        (lambda: invoice_pdf(invoice(), sender_name=" ", sender_lines=LINES),
         InvalidValueError, "invoice_pdf.sender_name"),
        (lambda: invoice_pdf(invoice(), sender_name=SENDER, sender_lines="Hafenstraße 12"),
         InvalidTypeError, "invoice_pdf.sender_lines"),
        (lambda: invoice_pdf(invoice(), sender_name=SENDER, sender_lines=[1]),  # type: ignore[list-item]
         InvalidTypeError, "invoice_pdf.sender_lines"),
        (lambda: make_invoice_pdf(invoice(), recipient_lines="Łódź"),
         InvalidTypeError, "invoice_pdf.recipient_lines"),
        (lambda: make_invoice_pdf(invoice(), on="2026-05-20"),
         InvalidTypeError, "invoice_pdf.on"),
        (lambda: make_invoice_pdf(invoice(), on=dt.date(2026, 5, 3)),
         InvalidValueError, "invoice_pdf.on"),
        (lambda: letter_pdf(invoice(), sender_name=SENDER, sender_lines=LINES),  # type: ignore[arg-type]
         InvalidTypeError, "letter_pdf.letter"),
        (lambda: letter_pdf(letter(count=1), sender_name=SENDER, sender_lines=("x", 2)),  # type: ignore[arg-type]
         InvalidTypeError, "letter_pdf.sender_lines"),
        (lambda: make_letter_pdf(letter(count=1), tenant=1),
         InvalidTypeError, "letter_pdf.tenant"),
        (lambda: make_letter_pdf(letter(count=1), recipient_lines=None),
         InvalidTypeError, "letter_pdf.recipient_lines"),
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
        invoice_pdf(invoice(), sender_name="日本", sender_lines=LINES)


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


GIRO_SENDER = Sender(
    name=SENDER,
    street="Hafenstraße 12",
    postcode="20457",
    city="Hamburg",
    country="DE",
    iban="DE89 3704 0044 0532 0130 00",
    bic="COBADEFFXXX",
    vat_id="DE123456789",
)


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
