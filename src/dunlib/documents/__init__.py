"""What the customer receives: the invoice and dunning-letter PDFs (:mod:`dunlib.documents.pdf`).

Needs the ``documents`` extra: ``pip install "dunlib[documents]"``.
"""

from __future__ import annotations

from dunlib.documents.pdf import invoice_pdf, letter_pdf

__all__ = ["invoice_pdf", "letter_pdf"]
