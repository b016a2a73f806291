"""What the customer receives: the sender of every document, the invoice and dunning-letter
PDFs, the GiroCode to pay by, and the e-mail that carries a letter.

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
from dunlib.documents.pdf import invoice_pdf, letter_pdf
from dunlib.documents.sender import EEA_COUNTRIES, Sender, check_bic, check_iban

__all__ = [
    "EEA_COUNTRIES",
    "MAX_PAYLOAD_BYTES",
    "Sender",
    "check_bic",
    "check_iban",
    "creditor_reference_valid",
    "girocode_payload",
    "girocode_png",
    "girocode_svg",
    "invoice_girocode",
    "invoice_pdf",
    "letter_message",
    "letter_pdf",
]
