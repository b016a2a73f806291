"""Plumbing the readers share: the size limit, decimal text, IBANs, remittance lines, the
reason codes in text and turning a value's complaint into a :class:`StatementError` that
names the place in the file."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator, Sequence
from typing import Any

from dunlib.bank.statement import (
    RETURN_REASONS,
    StatementError,
)
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.validate import creditor_reference_valid

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
"""The largest file a reader takes unless told otherwise: 100 MiB."""

LINE_LENGTH = 140
"""The length of a full line of SEPA unstructured remittance text."""

_CODE = re.compile(r"(?<![A-Z0-9])([A-Z]{2}[0-9]{2}|[A-Z]{4})(?![A-Z0-9])")
_RF = re.compile(r"(?<![A-Z0-9])RF[0-9]{2}[0-9A-Z]{1,21}(?![A-Z0-9])")


def checked_bytes(data: Any, max_bytes: Any, source: str) -> bytes:
    """``data`` as bytes once it is bytes within ``max_bytes``; else a typed error."""
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise InvalidValueError("max_bytes", max_bytes, "a whole number of bytes above zero")
    if not isinstance(data, bytes | bytearray):
        raise InvalidTypeError("data", data, "the file's bytes (bytes)")
    if len(data) > max_bytes:
        raise StatementError(
            source,
            "file",
            f"{len(data)} bytes",
            f"at most {max_bytes} bytes (raise max_bytes to read a larger file)",
        )
    return bytes(data)


@contextlib.contextmanager
def at(source: str, position: str) -> Iterator[None]:
    """Turn a value's complaint (an InvalidValueError) into a StatementError at ``position``."""
    try:
        yield
    except StatementError:
        raise
    except InvalidValueError as error:
        raise StatementError(
            source, f"{position} ({error.field})", error.value, error.expected
        ) from None


def iban(text: str, source: str, position: str) -> str:
    """An IBAN as the values keep it: capitals, no spaces; empty stays empty."""
    compact = "".join(text.split()).upper()
    if compact and not re.fullmatch(r"[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}", compact):
        raise StatementError(source, position, text, "an IBAN (DE89 3704 0044 0532 0130 00)")
    return compact


def joined(lines: Sequence[str]) -> str:
    """Remittance lines as one text: a full 140-character line runs on into the next
    (a word the bank cut stays whole), shorter lines are joined by a space."""
    text = ""
    for index, line in enumerate(lines):
        if index and len(lines[index - 1]) < LINE_LENGTH and line:
            text = text.rstrip() + " "
        text += line
    return text.strip()


def reason_in(text: str) -> str:
    """The first SEPA return reason code (:data:`RETURN_REASONS`) that stands as a word in
    ``text``; empty when none does."""
    for match in _CODE.finditer(text.upper()):
        if match.group(1) in RETURN_REASONS:
            return match.group(1)
    return ""


def creditor_reference_in(text: str) -> str:
    """The first checked ISO 11649 creditor reference that stands as a word in ``text``
    (spaces inside it are not bridged); empty when none does."""
    for match in _RF.finditer(text.upper()):
        if creditor_reference_valid(match.group(0)):
            return match.group(0)
    return ""
