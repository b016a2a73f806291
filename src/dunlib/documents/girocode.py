"""The GiroCode (EPC QR code) printed on invoices and letters: a SEPA credit transfer to scan.

The payload follows the European Payments Council's guideline EPC069-12, *Quick Response
Code: Guidelines to Enable Data Capture for the Initiation of a SEPA Credit Transfer*
(v2.1 and v3.0): one data element a line, separated by LF, in this order::

    1  BCD               service tag
    2  002 / 001         version (002: the BIC may be left out within the EEA)
    3  1                 character set: 1 is UTF-8 (the only one dunlib writes)
    4  SCT               identification: SEPA credit transfer
    5  BIC               8 or 11 characters (required in version 001)
    6  name              of the beneficiary, at most 70 characters
    7  IBAN              of the beneficiary, at most 34 characters
    8  EUR12.3           amount in euro, 0.01 to 999999999.99, at most two decimals
    9  purpose           an ISO 20022 purpose code of 4 characters, or empty
    10 creditor ref.     structured remittance (ISO 11649 ``RF…``), at most 35 characters
    11 remittance        unstructured remittance, at most 140 characters (empty if 10 is used)
    12 information       beneficiary to originator information, at most 70 characters

The last element given ends the payload (no separator follows it), and the whole payload
has at most 331 bytes, what a QR code of version 13 holds at error correction level M, the
level the guideline requires. The QR code is drawn with ``segno`` (the ``documents`` extra).

The remittance of an invoice's code is its number (:func:`invoice_girocode`): the payer's
bank passes it on to the bank statement, where :func:`dunlib.match_payments` finds it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from dunlib.core.errors import InvalidTypeError, InvalidValueError, MissingExtraError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.validate import creditor_reference_valid
from dunlib.documents.sender import EEA_COUNTRIES, Sender, check_bic, check_iban

try:
    import segno
    from schwifty import IBAN
except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
    raise MissingExtraError(package="segno", extra="documents") from None

__all__ = [
    "MAX_PAYLOAD_BYTES",
    "creditor_reference_valid",
    "girocode_payload",
    "girocode_png",
    "girocode_svg",
    "invoice_girocode",
]

MAX_PAYLOAD_BYTES = 331
"""The most bytes a GiroCode's payload may have (EPC069-12: QR version 13, level M)."""

_MIN_AMOUNT = Decimal("0.01")
_MAX_AMOUNT = Decimal("999999999.99")
_PURPOSE = re.compile(r"[A-Z0-9]{4}")
_MAX_SCALE = 100
_BREAKS = frozenset({"Cc", "Zl", "Zp"})
"""Control characters and line and paragraph separators: none may stand in an element."""


def _line(field: str, value: Any, limit: int, *, required: bool = False) -> str:
    """``value`` as one data element: a string on one line of at most ``limit`` characters."""
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "a string")
    if any(unicodedata.category(char) in _BREAKS for char in value):
        raise InvalidValueError(
            field, value, "a single line (no line breaks, tabs or other control characters)"
        )
    if required and not value.strip():
        raise InvalidValueError(field, value, "a non-empty string")
    if len(value) > limit:
        raise InvalidValueError(field, value, f"at most {limit} characters (EPC069-12)")
    return value


def _amount(amount: Any) -> str:
    """The amount element: ``EUR`` and the amount, at most two decimals, no trailing zeros."""
    if not isinstance(amount, Money):
        raise InvalidTypeError("amount", amount, "a Money in EUR")
    if amount.currency != "EUR":
        raise InvalidValueError("amount", amount, "an amount in EUR (a SEPA transfer is in euro)")
    if not _MIN_AMOUNT <= amount.amount <= _MAX_AMOUNT:
        raise InvalidValueError("amount", amount, "from EUR 0.01 to EUR 999999999.99 (EPC069-12)")
    text = f"{amount.amount:.2f}".rstrip("0").rstrip(".")
    return f"EUR{text}"


def _beneficiary(beneficiary: Any) -> tuple[str, str, str]:
    """(name, IBAN, BIC) of a :class:`Sender` or of a (name, IBAN, BIC) triple, checked."""
    if isinstance(beneficiary, Sender):
        return beneficiary.name, beneficiary.iban, beneficiary.bic
    if not isinstance(beneficiary, tuple | list) or len(beneficiary) != 3:
        raise InvalidTypeError("beneficiary", beneficiary, "a Sender or a (name, IBAN, BIC) triple")
    name, iban, bic = beneficiary
    if not isinstance(iban, str) or not iban.strip():
        raise InvalidValueError("beneficiary.iban", iban, "an IBAN (a GiroCode needs one)")
    if not isinstance(bic, str):
        raise InvalidTypeError("beneficiary.bic", bic, "a BIC as a string, or ''")
    return name, check_iban(iban, "beneficiary.iban"), check_bic(bic) if bic.strip() else ""


def girocode_payload(
    beneficiary: Sender | Sequence[str],
    amount: Money,
    reference: str,
    text: str = "",
    *,
    purpose: str = "",
    version: str = "002",
) -> str:
    """The payload of a GiroCode asking to transfer ``amount`` (EUR) to ``beneficiary`` (a
    :class:`~dunlib.documents.sender.Sender`, or a (name, IBAN, BIC) triple, the BIC ``''``
    where none is needed) with ``reference`` as remittance: EPC069-12 exactly (see the
    module's docstring).

    ``reference`` goes to the structured remittance when it is an ISO 11649 creditor
    reference (:func:`creditor_reference_valid`), else to the unstructured remittance (an
    invoice number). ``text`` is the beneficiary-to-originator information (line 12; the
    payer's app may show it), ``purpose`` an ISO 20022 purpose code (``GDDS``). ``version``
    is ``"002"`` (the BIC optional within the EEA) or ``"001"`` (the BIC required).

    Raises :class:`~dunlib.core.errors.InvalidValueError` where the guideline forbids: an
    amount not in EUR or outside 0.01 to 999 999 999.99, no IBAN (or one outside SEPA), a
    missing BIC where it is required, an element too long or spanning lines, and a payload
    over 331 bytes.
    """
    name, iban, bic = _beneficiary(beneficiary)
    name = _line("name", name, 70, required=True)
    if version not in ("001", "002"):
        raise InvalidValueError("version", version, "'001' or '002'")
    if not bic and (version == "001" or iban[:2] not in EEA_COUNTRIES):
        raise InvalidValueError(
            "bic", bic, "a BIC: version 001 and an IBAN outside the EEA require one"
        )
    if not IBAN(iban).in_sepa_zone:
        raise InvalidValueError("iban", iban, "an IBAN of a SEPA country (a SEPA transfer)")
    reference = _line("reference", reference, 140, required=True)
    structured = creditor_reference_valid(reference)
    text = _line("text", text, 70)
    purpose = _line("purpose", purpose, 4)
    if purpose and not _PURPOSE.fullmatch(purpose):
        raise InvalidValueError("purpose", purpose, "an ISO 20022 purpose code of 4 capitals")
    elements = [
        "BCD",
        version,
        "1",
        "SCT",
        bic,
        name,
        iban,
        _amount(amount),
        purpose,
        reference if structured else "",
        "" if structured else reference,
        text,
    ]
    while not elements[-1]:
        elements.pop()
    payload = "\n".join(elements)
    size = len(payload.encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise InvalidValueError(
            "payload", f"{size} bytes", f"at most {MAX_PAYLOAD_BYTES} bytes in UTF-8 (EPC069-12)"
        )
    return payload


def invoice_girocode(invoice: Invoice, sender: Sender) -> str:
    """The GiroCode payload for paying what is open on ``invoice`` to ``sender``: the
    invoice's open amount, its number as remittance (so :func:`dunlib.match_payments` finds
    the payment by it), the sender's name, IBAN and BIC.

    Raises :class:`~dunlib.core.errors.InvalidValueError` for an invoice without a number
    (a draft), one with nothing open, or one not in EUR."""
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("invoice", invoice, "an Invoice")
    if not isinstance(sender, Sender):
        raise InvalidTypeError("sender", sender, "a Sender")
    if not invoice.number:
        raise InvalidValueError(
            "invoice.number", invoice.number, "a booked invoice's number (a draft has none)"
        )
    return girocode_payload(sender, invoice.open_amount, invoice.number)


def _qr(payload: Any, scale: Any) -> segno.QRCode:
    """The QR code of a GiroCode payload: its UTF-8 bytes, error correction level M, at most
    version 13 (EPC069-12)."""
    if not isinstance(payload, str):
        raise InvalidTypeError("payload", payload, "a GiroCode payload (a string)")
    data = payload.encode("utf-8", errors="replace")
    if not payload.startswith("BCD\n") or len(data) > MAX_PAYLOAD_BYTES:
        raise InvalidValueError(
            "payload",
            payload,
            f"a GiroCode payload (from girocode_payload): 'BCD', at most {MAX_PAYLOAD_BYTES} bytes",
        )
    if isinstance(scale, bool) or not isinstance(scale, int) or not 1 <= scale <= _MAX_SCALE:
        raise InvalidValueError("scale", scale, f"an int from 1 to {_MAX_SCALE} (pixels a module)")
    return segno.make_qr(data, error="m", boost_error=False)


def girocode_png(payload: str, scale: int = 4) -> bytes:
    """The GiroCode of ``payload`` as a PNG image, ``scale`` pixels a module, with the quiet
    zone of four modules: the same payload gives the same bytes."""
    qr = _qr(payload, scale)
    out = io.BytesIO()
    qr.save(out, kind="png", scale=scale)
    return out.getvalue()


def girocode_svg(payload: str, scale: int = 4) -> str:
    """The GiroCode of ``payload`` as an SVG document, ``scale`` units a module, with the
    quiet zone of four modules: the same payload gives the same text."""
    qr = _qr(payload, scale)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=scale, xmldecl=False, svgns=True, nl=True)
    return out.getvalue().decode("utf-8")
