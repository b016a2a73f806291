"""E-mail and PDF templates of a dunning stage: placeholder checking and rendering.

A template is plain text with placeholders written ``{{ name }}`` (spaces inside
the braces are optional). Only the names in :data:`PLACEHOLDERS` exist; any other
name, and any stray ``{{`` or ``}}``, is refused when the template is built, so a
typo surfaces when the dunning rules are loaded, not when the first reminder goes
out. Rendering substitutes values only: no expressions, no filters, no attribute
access beyond the listed names, and a substituted value is never read again as a
template.

Dates and amounts are written for the customer's locale with ``babel`` (CLDR):
dates in the locale's medium format (``de_DE``: ``24.05.2026``), amounts with the
currency symbol where the locale puts it (``de_DE``: ``124,00 €`` — CLDR separates
number and symbol with a no-break space, U+00A0, which is kept).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from collections.abc import Mapping
from types import MappingProxyType

import attrs
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency

from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.money import Money

__all__ = [
    "PLACEHOLDERS",
    "Template",
    "TemplateValues",
    "format_amount",
    "format_day",
    "language_of",
    "placeholders_in",
    "written_in",
]

PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        "referencedInvoiceNumber": "the number of the invoice being dunned (seed)",
        "referencedInvoiceDate": "the issue date of that invoice (seed)",
        "totalGrossAmount": "the invoice's gross amount including all dunning fees, "
        "this document's fee included (seed)",
        "dueDate": "the due date of this reminder or notice (seed)",
        "tenant.name": "the name of the organisation sending it (seed)",
        "customer.name": "the customer's name (dunlib)",
        "openAmount": "what is still owed once this document's fee is added (dunlib)",
        "fee": "the fee this document charges, zero when none (dunlib)",
        "level": "the dunning level of this document, counted from 1 (dunlib)",
        "interest": "the default interest this document claims, zero when none (dunlib)",
        "invoiceList": "the invoices the letter covers, one a line, each written by the "
        "stage's invoice line in the letter's language: number, date, amount open, level and "
        "fee (dunlib)",
        "credit": "the customer's credit netted against what this document claims, zero when "
        "none (dunlib)",
        "paidAmount": "the money already received for the invoice, dunning fees included, "
        "before this document (seed 002: the notice shows the amount paid; dunlib)",
        "invoiceCount": "the number of invoices the letter covers (dunlib)",
    }
)
"""Every placeholder a template may use, with what it stands for.

The first five are the seed's; the others are dunlib's additions.
"""

_PLACEHOLDER = re.compile(r"\{\{([^{}]*)\}\}")
"""A placeholder; its name is the text between the braces, stripped of whitespace.

The pattern has no two parts that can match the same whitespace, so it matches in
linear time whatever the text (stripping inside the pattern backtracked quadratically
on a long run of spaces after ``{{``)."""
_KNOWN = ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)


def placeholders_in(source: object, *, field: str = "Template.source") -> tuple[str, ...]:
    """The placeholder names ``source`` uses, in order of first use.

    Raises :class:`~dunlib.core.errors.InvalidValueError` naming ``field`` for a name
    that is not in :data:`PLACEHOLDERS` (the message lists the known ones) or for
    braces that do not form a placeholder.
    """
    if not isinstance(source, str):
        raise InvalidTypeError(field, source, "a string")
    names: list[str] = []
    for match in _PLACEHOLDER.finditer(source):
        name = match.group(1).strip()
        if name not in PLACEHOLDERS:
            raise InvalidValueError(field, match.group(0), f"a known placeholder, one of: {_KNOWN}")
        if name not in names:
            names.append(name)
    rest = _PLACEHOLDER.sub("", source)
    if "{{" in rest or "}}" in rest:
        raise InvalidValueError(
            field,
            source,
            "text whose double braces each enclose one placeholder, as in "
            "'{{ referencedInvoiceNumber }}'",
        )
    return tuple(names)


def _checked_locale(locale: object, field: str) -> str:
    if not isinstance(locale, str) or not v._is_locale(locale):
        raise InvalidValueError(field, locale, "a CLDR locale such as 'de_DE' or 'en_GB'")
    return locale


def language_of(locale: str) -> str:
    """The language of a CLDR ``locale``: ``de`` for ``de_AT``, ``en`` for ``en_GB`` and ``en``.

    Raises :class:`~dunlib.core.errors.InvalidValueError` for a locale babel does not know.
    """
    return _language(_checked_locale(locale, "language_of.locale"))


def written_in(locale: str) -> str:
    """The language dunlib's own words (labels, notes, default texts) are written in for a
    customer of ``locale``: ``de`` for a German-speaking one, ``en`` for any other.

    Raises :class:`~dunlib.core.errors.InvalidValueError` for a locale babel does not know.
    """
    return "de" if language_of(locale) == "de" else "en"


@functools.lru_cache(maxsize=256)
def _language(locale: str) -> str:
    return str(Locale.parse(locale).language)


def format_day(day: _dt.date, locale: str) -> str:
    """``day`` in the locale's medium date format (``de_DE``: ``24.05.2026``).

    Raises :class:`~dunlib.core.errors.InvalidValueError` for a locale babel does not know and
    :class:`~dunlib.core.errors.InvalidTypeError` for a day that is not a plain date.
    """
    day = as_date(day, "format_day.day")
    return str(
        format_date(day, format="medium", locale=_checked_locale(locale, "format_day.locale"))
    )


def format_amount(amount: Money, locale: str) -> str:
    """``amount`` with its currency, as the locale writes it (``de_DE``: ``124,00 €``).

    Raises :class:`~dunlib.core.errors.InvalidValueError` for a locale babel does not know and
    :class:`~dunlib.core.errors.InvalidTypeError` for an amount that is not :class:`Money`.
    """
    if not isinstance(amount, Money):
        raise InvalidTypeError("format_amount.amount", amount, "a Money")
    known = _checked_locale(locale, "format_amount.locale")
    return str(format_currency(amount.amount, amount.currency, locale=known))


@attrs.frozen(kw_only=True)
class TemplateValues:
    """The values a template's placeholders stand for, and the locale to write them in.

    ``invoice_number``/``invoice_date`` describe the invoice being dunned,
    ``total_gross`` is its gross amount with all fees (this document's included),
    ``due_date`` the document's own due date, ``tenant_name`` the sender,
    ``open_amount`` what is owed once this document's fee is added (defaults to
    ``total_gross``), ``fee`` this document's fee (defaults to zero), ``interest``
    the default interest it claims (defaults to zero), ``level`` its dunning level,
    ``invoice_list`` the invoices the letter covers, already written out,
    ``credit`` the customer's credit netted against what it claims (defaults to zero),
    ``paid`` the money already received for the invoice (defaults to zero) and
    ``invoice_count`` the number of invoices the letter covers (defaults to 1).
    ``locale`` is a CLDR locale such as ``de_DE``.
    """

    invoice_number: str = attrs.field(validator=v.text)
    invoice_date: _dt.date = attrs.field(validator=v.calendar_date)
    total_gross: Money = attrs.field(validator=v.money)
    due_date: _dt.date = attrs.field(validator=v.calendar_date)
    tenant_name: str = attrs.field(validator=v.text)
    customer_name: str = attrs.field(default="", validator=v.text)
    open_amount: Money | None = attrs.field(default=None, validator=v.optional(v.money))
    fee: Money | None = attrs.field(default=None, validator=v.optional(v.money))
    level: int = attrs.field(default=1, validator=v.non_negative_int)
    interest: Money | None = attrs.field(default=None, validator=v.optional(v.money))
    invoice_list: str = attrs.field(default="", validator=v.text)
    locale: str = attrs.field(default="de_DE", validator=v.locale)
    credit: Money | None = attrs.field(default=None, validator=v.optional(v.money))
    paid: Money | None = attrs.field(default=None, validator=v.optional(v.money))
    invoice_count: int = attrs.field(default=1, validator=v.positive_int)

    def _amount(self, amount: Money | None) -> str:
        return format_amount(
            Money.zero(self.total_gross.currency) if amount is None else amount, self.locale
        )

    def formatted(self) -> Mapping[str, str]:
        """Each placeholder name mapped to its value, written for :attr:`locale`."""
        return {
            "referencedInvoiceNumber": self.invoice_number,
            "referencedInvoiceDate": format_day(self.invoice_date, self.locale),
            "totalGrossAmount": format_amount(self.total_gross, self.locale),
            "dueDate": format_day(self.due_date, self.locale),
            "tenant.name": self.tenant_name,
            "customer.name": self.customer_name,
            "openAmount": format_amount(
                self.total_gross if self.open_amount is None else self.open_amount, self.locale
            ),
            "fee": self._amount(self.fee),
            "level": str(self.level),
            "interest": self._amount(self.interest),
            "invoiceList": self.invoice_list,
            "credit": self._amount(self.credit),
            "paidAmount": self._amount(self.paid),
            "invoiceCount": str(self.invoice_count),
        }


def _placeholders(template: Template) -> tuple[str, ...]:
    return placeholders_in(template.source)


@attrs.frozen(kw_only=True)
class Template:
    """A checked template: ``source`` text whose placeholders are all known.

    ``placeholders`` are the names it uses, in order of first use.
    """

    source: str = attrs.field()
    placeholders: tuple[str, ...] = attrs.field(
        init=False, default=attrs.Factory(_placeholders, takes_self=True)
    )

    def render(self, values: TemplateValues) -> str:
        """The text with every placeholder replaced by its formatted value (one pass)."""
        if not isinstance(values, TemplateValues):
            raise InvalidTypeError("Template.render.values", values, "a TemplateValues")
        table = values.formatted()
        return _PLACEHOLDER.sub(lambda match: table[match.group(1).strip()], self.source)
