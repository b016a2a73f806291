"""Making the PDFs in bounded time: an invoice of up to 1 000 lines, a letter of 200 invoices.

Prints the median seconds of :func:`dunlib.documents.pdf.invoice_pdf` for invoices of 100,
300 and 1 000 lines and of :func:`~dunlib.documents.pdf.letter_pdf` for letters of 20, 60
and 200 invoices, the cost per line (per invoice) above the empty document and its ratio
to the smallest size's (about 1 when the time grows linearly). Two floors measured in the
same run: an empty document in the same font (loading and subsetting DejaVu Sans, the cost
of any document), and fpdf2 printing the invoice's cells itself, one ``cell`` each, with
no table (the floor of any layout). Building the invoices and the letter is not timed.

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
    group_letters,
    next_dunning_action,
    plan,
    record_stage,
)
from dunlib.documents._layout import FAMILY, FONTS
from dunlib.documents.pdf import invoice_pdf, letter_pdf

SENDER = "Muster Werkzeugbau GmbH"
LINES = ("Hafenstraße 12", "20457 Hamburg", "USt-IdNr. DE123456789")
ACME = Customer(id="K-1", name="ACME Łódź Sp. z o.o.")
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
    return invoice_pdf(bill, sender_name=SENDER, sender_lines=LINES)


def made_letter(made: DunningLetter) -> bytes:
    return letter_pdf(made, sender_name=SENDER, sender_lines=LINES)


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
