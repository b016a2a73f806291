"""What the customer receives: the sender of every document, the PDFs (invoice, draft preview,
credit note, cancelling invoice, delivery note, dunning letter, statement of account), the
GiroCode to pay by, and the e-mail that carries a letter.

Needs the ``documents`` extra (``pip install 'dunlib[documents]'``: fpdf2, segno, schwifty);
``import dunlib`` never loads this package. See ``docs/girocode.md``.
"""

from __future__ import annotations

from dunlib.documents.girocode import (
    MAX_PAYLOAD_BYTES,
    creditor_reference_valid,
    girocode_payload,
    girocode_png,
    girocode_svg,
    invoice_girocode,
)
from dunlib.documents.message import letter_message
from dunlib.documents.pdf import (
    cancellation_pdf,
    credit_note_pdf,
    delivery_note_pdf,
    invoice_pdf,
    letter_pdf,
    preview_pdf,
    statement_pdf,
)
from dunlib.documents.sender import EEA_COUNTRIES, Sender, check_bic, check_iban

__all__ = [
    "EEA_COUNTRIES",
    "MAX_PAYLOAD_BYTES",
    "Sender",
    "cancellation_pdf",
    "check_bic",
    "check_iban",
    "credit_note_pdf",
    "creditor_reference_valid",
    "delivery_note_pdf",
    "girocode_payload",
    "girocode_png",
    "girocode_svg",
    "invoice_girocode",
    "invoice_pdf",
    "letter_message",
    "letter_pdf",
    "preview_pdf",
    "statement_pdf",
]
