"""What the customer receives: the sender of every document, the PDFs (invoice, draft preview,
credit note, cancelling invoice, delivery note, dunning letter, statement of account), the
GiroCode to pay by, the e-mail that carries a letter, and the e-invoice after EN 16931 (CII
XML for Factur-X/ZUGFeRD and XRechnung, and the Factur-X PDF).

Needs the ``documents`` extra (from the clone, ``python -m pip install ".[documents]"``:
fpdf2, segno, schwifty, drafthorse, factur-x); ``import dunlib`` never loads this package.
See ``docs/documents.md``, ``docs/girocode.md`` and ``docs/einvoice.md``.
"""

from __future__ import annotations

from dunlib.documents.einvoice import (
    PROFILES,
    cancellation_xml,
    credit_note_xml,
    einvoice_xml,
    facturx_pdf,
)
from dunlib.documents.girocode import (
    MAX_PAYLOAD_BYTES,
    creditor_reference_valid,
    girocode_payload,
    girocode_png,
    girocode_svg,
    invoice_girocode,
)
from dunlib.documents.message import INVOICE_TEXTS, invoice_message, letter_message
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
    "INVOICE_TEXTS",
    "MAX_PAYLOAD_BYTES",
    "PROFILES",
    "Sender",
    "cancellation_pdf",
    "cancellation_xml",
    "check_bic",
    "check_iban",
    "credit_note_pdf",
    "credit_note_xml",
    "creditor_reference_valid",
    "delivery_note_pdf",
    "einvoice_xml",
    "facturx_pdf",
    "girocode_payload",
    "girocode_png",
    "girocode_svg",
    "invoice_girocode",
    "invoice_message",
    "invoice_pdf",
    "letter_message",
    "letter_pdf",
    "preview_pdf",
    "statement_pdf",
]
