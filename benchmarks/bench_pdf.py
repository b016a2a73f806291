"""Making the PDFs in bounded time: an invoice of up to 1 000 lines, a letter of 200 invoices.

Prints the median seconds of :func:`dunlib.documents.pdf.invoice_pdf` for invoices of 100,
300 and 1 000 lines (in sections of ten, each with its heading and subtotal) and of
:func:`~dunlib.documents.pdf.letter_pdf` for letters of 20, 60 and 200 invoices, the cost
per line (per invoice) above the empty document and its ratio to the smallest size's
(about 1 when the time grows linearly); then the preview of the 1 000-line invoice and the
statement of account of the 200 invoices. Two floors measured in the same run: an empty
document in the same font (loading and subsetting DejaVu Sans, the cost of any document),
and fpdf2 printing the invoice's cells itself, one ``cell`` each, with no table (the floor
of any layout). Building the invoices and the letter is not timed.

Run: ``PYTHONPATH=src python benchmarks/bench_pdf.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
import statistics
import timeit
from collections.abc import Callable

from fpdf import FPDF

from dunlib import (
    AUTOMATIC,
    Actor,
    Authority,
    Customer,
    DunningLetter,
    DunningRules,
    DunningStage,
    Invoice,
    IssueStage,
    LineItem,
    Money,
    StageKind,
    TriggerBasis,
    create_draft,
    group_letters,
    next_dunning_action,
    plan,
    record_stage,
)
from dunlib.analytics import statement_of_account
from dunlib.core import Address
from dunlib.documents import Sender
from dunlib.documents._layout import FAMILY, FONTS
from dunlib.documents.pdf import invoice_pdf, letter_pdf, preview_pdf, statement_pdf

SENDER = Sender(
    name="Muster Werkzeugbau GmbH",
    street="Hafenstraße 12",
    postcode="20457",
    city="Hamburg",
    country="DE",
    iban="DE89 3704 0044 0532 0130 00",
    vat_id="DE123456789",
)
ACME = Customer(
    id="K-1",
    name="ACME Łódź Sp. z o.o.",
    address=Address(street="ul. Piotrkowska 1", postcode="90-001", city="Łódź", country="PL"),
)
DAY = dt.date(2026, 6, 1)
RULES = DunningRules(
    stages=(
        DunningStage(StageKind.REMINDER, days_overdue=7, basis=TriggerBasis.DUE_DATE),
        DunningStage(
            StageKind.NOTICE, days_overdue=21, basis=TriggerBasis.DUE_DATE, fee=Money("5", "EUR")
        ),
    )
)


def invoice(count: int) -> Invoice:
    lines = [
        LineItem(
            description=f"Artikel {n}: Fräser HSS Ø {n % 20 + 1} mm",
            quantity=n % 7 + 1,
            unit_price=Money(f"{n % 90 + 10}.{n % 100:02d}", "EUR"),
            tax_rate=19 if n % 3 else 7,
            unit="HUR" if n % 5 == 0 else "C62",
            section=f"Baugruppe {n // 10 + 1}",
        )
        for n in range(count)
    ]
    return Invoice.sent(number="RE-2026-0001", customer=ACME, issue_date=DAY, lines=lines)


def letter(count: int) -> DunningLetter:
    book = []
    for n in range(count):
        level = n % 2 + 1
        due = DAY - dt.timedelta(days=(7, 21)[level - 1])
        bill = Invoice.sent(
            number=f"RE-2026-{n:04d}",
            customer=ACME,
            gross=Money(f"{100 + n}.{n % 100:02d}", "EUR"),
            issue_date=due - dt.timedelta(days=14),
            due_date=due,
        )
        if level == 2:
            action = next_dunning_action(bill, RULES, today=due + dt.timedelta(days=7))
            assert isinstance(action, IssueStage)
            bill = record_stage(bill, action, actor=AUTOMATIC, authority=Authority(eyes=4))
        book.append(bill)
    (made,) = group_letters(plan(book, RULES, today=DAY))
    return made


def empty() -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(100, 5, "Rechnung €")
    pdf.set_font(FAMILY, "B", 10)
    pdf.cell(100, 5, "Rechnung €")
    return bytes(pdf.output())


def plain_cells(bill: Invoice) -> bytes:
    pdf = FPDF(format="A4")
    pdf.add_font(FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_page()
    pdf.set_font(FAMILY, "", 8.5)
    for line in bill.lines:
        for text, width in (
            (line.description, 64),
            (str(line.quantity), 19),
            (str(line.unit_price), 28),
            (str(line.tax_rate), 14),
            (str(line.net), 30),
        ):
            pdf.cell(width, 4.4, text)
        pdf.ln(4.4)
    return bytes(pdf.output())


def made_invoice(bill: Invoice) -> bytes:
    return invoice_pdf(bill, sender=SENDER)


def made_letter(made: DunningLetter) -> bytes:
    return letter_pdf(made, sender=SENDER)


def median(function: Callable[[], object], repeat: int = 3) -> float:
    return statistics.median(timeit.repeat(function, number=1, repeat=repeat))


if __name__ == "__main__":
    floor = median(empty)
    print(f"floor: an empty document in DejaVu Sans (regular, bold): {floor:.3f} s")
    print()
    print("invoice_pdf, an invoice of n lines (cells: fpdf2 printing the same cells itself,")
    print("one cell each, no table; x cells: invoice_pdf's time over that floor)")
    print(f"{'n':>5}  {'seconds':>8}  {'pages':>5}  {'ms/line':>8}  {'vs n=100':>8}  {'cells':>6}  "
          f"{'x cells':>7}")  # fmt: skip
    base = 0.0
    for count in (100, 300, 1000):
        bill = invoice(count)
        took = median(functools.partial(made_invoice, bill))
        cells = median(functools.partial(plain_cells, bill))
        pages = made_invoice(bill).count(b"/Type /Page\n")
        per = (took - floor) / count
        base = base or per
        print(
            f"{count:>5}  {took:>8.3f}  {pages:>5}  {per * 1000:>8.3f}  {per / base:>8.2f}"
            f"  {cells:>6.3f}  {took / cells:>7.2f}"
        )
    print()
    print("letter_pdf, a letter of n invoices")
    print(f"{'n':>5}  {'seconds':>8}  {'pages':>5}  {'ms/invoice':>10}  {'vs n=20':>7}")
    base = 0.0
    for count in (20, 60, 200):
        made = letter(count)
        took = median(functools.partial(made_letter, made))
        pages = made_letter(made).count(b"/Type /Page\n")
        per = (took - floor) / count
        base = base or per
        print(f"{count:>5}  {took:>8.3f}  {pages:>5}  {per * 1000:>10.3f}  {per / base:>7.2f}")
    print()
    print("other documents (seconds, pages)")
    bill = invoice(1000)
    clerk = Actor(id="dora", roles={"clerk"})
    draft = create_draft(
        id="D-1", customer=ACME, currency="EUR", actor=clerk, on=DAY, lines=bill.lines
    )
    took = median(functools.partial(preview_pdf, draft, sender=SENDER, on=DAY))
    pages = preview_pdf(draft, sender=SENDER, on=DAY).count(b"/Type /Page\n")
    ratio = took / floor
    print(f"preview_pdf, 1000 lines:            {took:>6.3f}  {pages:>3}  x floor {ratio:.1f}")
    made = letter(200)
    book = [decision.invoice for decision in made.decisions]
    statement = statement_of_account(book, customer=ACME, today=DAY)
    took = median(functools.partial(statement_pdf, statement, sender=SENDER))
    pages = statement_pdf(statement, sender=SENDER).count(b"/Type /Page\n")
    ratio = took / floor
    print(f"statement_pdf, 200 open invoices:   {took:>6.3f}  {pages:>3}  x floor {ratio:.1f}")
