"""The sender: the tenant whose name, address, tax ids and bank account every document bears.

One :class:`Sender` is printed on every invoice and letter and pays into the account its
GiroCode names (:mod:`dunlib.documents.girocode`). Its bank account is checked when the value
is made: the IBAN's checksum and its country's format, the BIC's format (with ``schwifty``, the
``documents`` extra), both kept in their electronic form (capitals, no spaces).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import InvalidTypeError, InvalidValueError, MissingExtraError

try:
    from schwifty import BIC, IBAN
    from schwifty.exceptions import SchwiftyException
except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
    raise MissingExtraError(package="schwifty", extra="documents") from None

__all__ = ["EEA_COUNTRIES", "Sender", "check_bic", "check_iban"]

EEA_COUNTRIES = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE"}
    | {"IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"}
)
"""The countries of the European Economic Area (ISO 3166 alpha-2): a SEPA credit transfer to
an IBAN of one of them needs no BIC."""

_TAX_NUMBER = re.compile(r"[0-9][0-9 /-]{8,18}[0-9]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_PHONE = re.compile(r"\+?[0-9][0-9 ()/-]{4,24}[0-9]")


def check_iban(value: Any, field: str = "iban") -> str:
    """``value`` as an IBAN in its electronic form (``DE89370400440532013000``), after
    checking its country, its length and structure there, and its checksum digits.

    Raises :class:`~dunlib.core.errors.InvalidValueError` naming ``field`` and why the IBAN
    is not valid."""
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "an IBAN as a string")
    compact = v.compact(value)
    try:
        return str(IBAN(compact).compact)
    except SchwiftyException as error:
        raise InvalidValueError(
            field, value, f"a valid IBAN (country code, length, checksum): {error}"
        ) from None


def check_bic(value: Any, field: str = "bic") -> str:
    """``value`` as a BIC in its electronic form (8 or 11 capitals and digits: bank, country,
    location, optional branch), after checking its structure and country.

    Raises :class:`~dunlib.core.errors.InvalidValueError` naming ``field`` and why."""
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "a BIC as a string")
    compact = v.compact(value)
    try:
        return str(BIC(compact).compact)
    except SchwiftyException as error:
        raise InvalidValueError(
            field, value, f"a valid BIC of 8 or 11 characters (bank, country, location): {error}"
        ) from None


def _iban(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    check_iban(value, v.field_name(instance, attribute))


def _bic(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.text(instance, attribute, value)
    if value:
        check_bic(value, v.field_name(instance, attribute))


@attrs.frozen(kw_only=True)
class Sender:
    """The tenant that sends invoices and letters: its name and postal address, its VAT id
    and/or tax number (an invoice needs one of them, § 14 UStG), its bank account and how
    to reach it.

    ``country`` is an ISO 3166 alpha-2 code (``DE``). ``iban`` and ``bic`` are checked with
    ``schwifty`` and kept in their electronic form, capitals without spaces
    (``"de89 3704 0044 0532 0130 00"`` is kept as ``"DE89370400440532013000"``). The BIC may
    be left empty where the IBAN is of the European Economic Area (:data:`EEA_COUNTRIES`),
    since a SEPA transfer there needs none; elsewhere it is required. ``vat_id`` is the VAT
    identification number with its country prefix (``DE123456789``), ``tax_number`` the
    national tax number (``21/815/08150``); ``email`` and ``phone`` are optional.
    """

    name: str = attrs.field(validator=v.non_empty_text)
    street: str = attrs.field(validator=v.non_empty_text)
    postcode: str = attrs.field(validator=v.non_empty_text)
    city: str = attrs.field(validator=v.non_empty_text)
    country: str = attrs.field(validator=v.country)
    iban: str = attrs.field(converter=v.compact, validator=_iban)
    bic: str = attrs.field(default="", converter=v.compact, validator=_bic)
    vat_id: str = attrs.field(default="", converter=v.compact, validator=v.vat_id)
    tax_number: str = attrs.field(
        default="",
        validator=v.matching(_TAX_NUMBER, "a tax number of 10 to 20 digits, '/', '-' or spaces"),
    )
    email: str = attrs.field(
        default="", validator=v.matching(_EMAIL, "an e-mail address such as 'billing@example.com'")
    )
    phone: str = attrs.field(
        default="",
        validator=v.matching(_PHONE, "a phone number of digits, spaces, '/', '-', '()', '+'"),
    )

    def __attrs_post_init__(self) -> None:
        if not self.vat_id and not self.tax_number:
            raise InvalidValueError(
                "Sender.vat_id", "", "a VAT id or a tax number (an invoice must bear one)"
            )
        if not self.bic and self.iban[:2] not in EEA_COUNTRIES:
            raise InvalidValueError(
                "Sender.bic",
                "",
                f"a BIC: an IBAN of {self.iban[:2]}, outside the European Economic Area, needs one",
            )
