"""Dunning stages and the rules that order them.

A :class:`DunningRules` is the dunning configuration (Mahnwesen): an ordered
ladder of :class:`DunningStage` values, a minimum open amount per currency below
which nothing is dunned, and what happens after the last stage
(:class:`Escalation`). Everything is checked when it is built: days are whole
numbers of zero or more, fees are notices' only and share one currency, and every
template uses known placeholders only (see :mod:`dunlib.core.templates`).

When a stage fires (thresholds are inclusive: on the day, not the day after):

* :attr:`TriggerBasis.PREVIOUS_DOCUMENT` (the default, the seed's rule):
  ``days_overdue`` days after the date of the previous dunning document, or
  after the invoice's due date when no document was sent yet;
* :attr:`TriggerBasis.DUE_DATE`: ``days_overdue`` days after the invoice's due
  date (as Tryton and Odoo count), but after a gap no earlier than the previous
  document's date plus the spacing the rules give between the two stages, where Tryton
  and Odoo send every level already due at once (docs/catch-up.md);
* :attr:`TriggerBasis.BEFORE_DUE_DATE`: ``days_overdue`` days *before* the due date,
  a friendly reminder ahead of time;
* :attr:`TriggerBasis.ISSUE_DATE`: ``days_overdue`` days after the invoice date (as
  Invoice Ninja counts its reminders).

The last two are *courtesy* stages: any number of them may open the ladder (none after a
stage of another basis). Only they fire on or before the due date, and whatever fires
then charges no fee and claims nothing (the debtor is late only from the day after the
due date, seed 002); every other stage waits for that day.

Whatever the basis, an invoice gets at most one dunning document a day: a stage
never fires on or before the date of the previous document, nor before the
invoice's issue date.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.calendars import HolidayCalendar, Target2Calendar, WeekendCalendar
from dunlib.core.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from dunlib.core.money import Money
from dunlib.core.templates import language_of, placeholders_in
from dunlib.dunning.fees import FeeRule
from dunlib.dunning.interest import BaseRates, checked_base_rates

__all__ = [
    "DEFAULT_TEXTS",
    "Channel",
    "DispatchMode",
    "DunningRules",
    "DunningStage",
    "Escalation",
    "StageKind",
    "StageRepeat",
    "StageTexts",
    "StageWording",
    "TriggerBasis",
]


class StageKind(Enum):
    """What a stage's document is: a payment reminder or a dunning notice."""

    REMINDER = "reminder"
    """Zahlungserinnerung: a friendly reminder; carries no fee."""
    NOTICE = "notice"
    """Mahnung: a formal dunning notice; may carry a fee."""


class Channel(Enum):
    """How a stage's document reaches the customer."""

    EMAIL = "email"
    """The PDF document attached to an e-mail."""
    POST = "post"
    """Brief-Versand: the PDF printed and posted."""


class DispatchMode(Enum):
    """How a stage's document is sent (seed 000)."""

    AUTOMATIC = "automatic"
    """Created and sent without anyone's involvement."""
    AFTER_APPROVAL = "after_approval"
    """Created automatically, sent once a person approved it."""
    MANUAL = "manual"
    """Prepared for a person, who creates and sends it by hand."""


class Escalation(Enum):
    """What happens once the last stage has run its course; :func:`dunlib.record_escalation`
    carries it out through the transition table."""

    COLLECTION = "collection"
    """Inkasso: hand the claim to a debt collector."""
    WRITE_OFF = "write_off"
    """Abschreiben: write the invoice off as uncollectible."""
    BLOCK_SERVICE = "block_service"
    """Block the customer's service until the invoice is paid."""


class TriggerBasis(Enum):
    """From which day a stage's ``days_overdue`` are counted."""

    PREVIOUS_DOCUMENT = "previous_document"
    """After the previous dunning document; after the due date when there is none (seed)."""
    DUE_DATE = "due_date"
    """After the invoice's due date (Tryton, Odoo), keeping the spacing after a gap."""
    BEFORE_DUE_DATE = "before_due_date"
    """Before the invoice's due date: a courtesy reminder ahead of time."""
    ISSUE_DATE = "issue_date"
    """After the invoice date: a courtesy reminder counted from the invoice (Invoice Ninja)."""

    @property
    def courtesy(self) -> bool:
        """True for the bases of courtesy stages (back from the due date, after the invoice
        date): they may fire on or before the due date and open the ladder."""
        return self is TriggerBasis.BEFORE_DUE_DATE or self is TriggerBasis.ISSUE_DATE


_SIGN_DE = "\n\nMit freundlichen Grüßen\n{{ tenant.name }}"
_SIGN_EN = "\n\nYours faithfully\n{{ tenant.name }}"
_BODY_DE = {
    StageKind.REMINDER: (
        "Sehr geehrte Damen und Herren,\n\n"
        "unsere Rechnung {{ referencedInvoiceNumber }} vom {{ referencedInvoiceDate }} "
        "über {{ totalGrossAmount }} ist noch offen (Mahnstufe {{ level }}). Bitte überweisen "
        "Sie den offenen Betrag von {{ openAmount }} bis zum {{ dueDate }}." + _SIGN_DE
    ),
    StageKind.NOTICE: (
        "Sehr geehrte Damen und Herren,\n\n"
        "trotz Erinnerung ist unsere Rechnung {{ referencedInvoiceNumber }} vom "
        "{{ referencedInvoiceDate }} über {{ totalGrossAmount }} (einschließlich "
        "Mahngebühren) noch offen (Mahnstufe {{ level }}). Bereits gezahlt: {{ paidAmount }}; "
        "Mahngebühr dieser Mahnung: {{ fee }}. Bitte überweisen Sie den offenen Betrag von "
        "{{ openAmount }} bis zum {{ dueDate }}." + _SIGN_DE
    ),
}
_SEVERAL_DE = {
    StageKind.REMINDER: (
        "Sehr geehrte Damen und Herren,\n\n"
        "folgende Rechnungen sind noch offen:\n\n{{ invoiceList }}\n\n"
        "Bitte überweisen Sie den offenen Gesamtbetrag von {{ openAmount }} bis zum "
        "{{ dueDate }}." + _SIGN_DE
    ),
    StageKind.NOTICE: (
        "Sehr geehrte Damen und Herren,\n\n"
        "trotz Fälligkeit sind folgende Rechnungen noch offen:\n\n{{ invoiceList }}\n\n"
        "Bereits gezahlt: {{ paidAmount }}; Mahngebühren dieser Mahnung: {{ fee }}. Bitte "
        "überweisen Sie den offenen Gesamtbetrag von {{ openAmount }} bis zum "
        "{{ dueDate }}." + _SIGN_DE
    ),
}
_BODY_EN = {
    StageKind.REMINDER: (
        "Dear Sir or Madam,\n\n"
        "our invoice {{ referencedInvoiceNumber }} of {{ referencedInvoiceDate }} for "
        "{{ totalGrossAmount }} is still open (dunning level {{ level }}). Please transfer the "
        "open amount of {{ openAmount }} by {{ dueDate }}." + _SIGN_EN
    ),
    StageKind.NOTICE: (
        "Dear Sir or Madam,\n\n"
        "despite our reminder, our invoice {{ referencedInvoiceNumber }} of "
        "{{ referencedInvoiceDate }} for {{ totalGrossAmount }} (dunning fees included) is "
        "still open (dunning level {{ level }}). Already paid: {{ paidAmount }}; fee of this "
        "notice: {{ fee }}. Please transfer the open amount of {{ openAmount }} by "
        "{{ dueDate }}." + _SIGN_EN
    ),
}
_SEVERAL_EN = {
    StageKind.REMINDER: (
        "Dear Sir or Madam,\n\n"
        "the following invoices are still open:\n\n{{ invoiceList }}\n\n"
        "Please transfer the total open amount of {{ openAmount }} by {{ dueDate }}." + _SIGN_EN
    ),
    StageKind.NOTICE: (
        "Dear Sir or Madam,\n\n"
        "the following invoices are overdue and still open:\n\n{{ invoiceList }}\n\n"
        "Already paid: {{ paidAmount }}; fees of this notice: {{ fee }}. Please transfer the "
        "total open amount of {{ openAmount }} by {{ dueDate }}." + _SIGN_EN
    ),
}


_REPR_LIMIT = 30


def _template_repr(text: str) -> str:
    """A template in a repr: whole up to 30 characters, else its first 30 and an ellipsis."""
    if len(text) <= _REPR_LIMIT:
        return repr(text)
    return f"{text[:_REPR_LIMIT]!r}…"


@attrs.frozen(kw_only=True)
class StageTexts:
    """A stage's texts in one language, each a template; None leaves a text to the next
    place it is looked up (see :meth:`DunningStage.wording`).

    ``language`` is a language (``en``) or a locale (``en_US``, for texts of one region).
    ``email_subject``, ``email_body`` and ``pdf_text`` word a letter about one invoice;
    the ``…_several`` texts a letter about several invoices (which lists them with
    ``{{ invoiceList }}``); ``invoice_line`` writes one invoice of that list, with the
    placeholders about one invoice (its number, date, open amount, level, fee, …).
    Every text's placeholders are checked when it is built.
    """

    language: str = attrs.field(validator=v.locale)
    email_subject: str | None = attrs.field(default=None, repr=_template_repr)
    email_body: str | None = attrs.field(default=None, repr=_template_repr)
    pdf_text: str | None = attrs.field(default=None, repr=_template_repr)
    email_subject_several: str | None = attrs.field(default=None, repr=_template_repr)
    email_body_several: str | None = attrs.field(default=None, repr=_template_repr)
    pdf_text_several: str | None = attrs.field(default=None, repr=_template_repr)
    invoice_line: str | None = attrs.field(default=None, repr=_template_repr)

    def __attrs_post_init__(self) -> None:
        for name in _TEXTS:
            text = getattr(self, name)
            if text is not None:
                placeholders_in(text, field=f"StageTexts.{name}")


_TEXTS = tuple(field.name for field in attrs.fields(StageTexts)[1:])


_LINE = {
    "de": "- {{ referencedInvoiceNumber }} vom {{ referencedInvoiceDate }}: offen "
    "{{ openAmount }}, Mahnstufe {{ level }}, Gebühr {{ fee }}",
    "en": "- {{ referencedInvoiceNumber }} of {{ referencedInvoiceDate }}: {{ openAmount }} open, "
    "level {{ level }}, fee {{ fee }}",
}
_SUBJECTS = {
    ("de", StageKind.REMINDER): (
        "Zahlungserinnerung zur Rechnung {{ referencedInvoiceNumber }}",
        "Zahlungserinnerung zu {{ invoiceCount }} Rechnungen",
    ),
    ("de", StageKind.NOTICE): (
        "Mahnung zur Rechnung {{ referencedInvoiceNumber }}",
        "Mahnung zu {{ invoiceCount }} Rechnungen",
    ),
    ("en", StageKind.REMINDER): (
        "Payment reminder for invoice {{ referencedInvoiceNumber }}",
        "Payment reminder for {{ invoiceCount }} invoices",
    ),
    ("en", StageKind.NOTICE): (
        "Dunning notice for invoice {{ referencedInvoiceNumber }}",
        "Dunning notice for {{ invoiceCount }} invoices",
    ),
}
_BODIES = {"de": (_BODY_DE, _SEVERAL_DE), "en": (_BODY_EN, _SEVERAL_EN)}

DEFAULT_TEXTS: Mapping[str, Mapping[StageKind, StageTexts]] = MappingProxyType(
    {
        language: MappingProxyType(
            {
                kind: StageTexts(
                    language=language,
                    email_subject=_SUBJECTS[language, kind][0],
                    email_body=one[kind],
                    pdf_text=one[kind],
                    email_subject_several=_SUBJECTS[language, kind][1],
                    email_body_several=several[kind],
                    pdf_text_several=several[kind],
                    invoice_line=_LINE[language],
                )
                for kind in StageKind
            }
        )
        for language, (one, several) in _BODIES.items()
    }
)
"""The built-in texts of every stage kind, by language (``de`` and ``en``): every text given."""


@attrs.frozen(kw_only=True)
class StageWording:
    """The texts a letter is worded in, chosen for one customer's locale and number of
    invoices (:meth:`DunningStage.wording`): ``language`` is the language or locale whose
    texts were chosen; the others are templates."""

    language: str
    email_subject: str
    email_body: str
    pdf_text: str
    invoice_line: str


def _first(layers: list[StageTexts | DunningStage], name: str) -> Any:
    """The first text called ``name`` the layers give (None when none does)."""
    return next((text for t in layers if (text := getattr(t, name, None)) is not None), None)


def _built_in(name: str) -> Any:
    def default(stage: DunningStage) -> str:
        # The default is built before the validators run: a kind or language that is not
        # valid (possibly unhashable) gets no text here and is refused by its validator; a
        # language without built-in texts gets none either (refused when built: give them).
        if not isinstance(stage.kind, StageKind) or not isinstance(stage.language, str):
            return ""
        texts = DEFAULT_TEXTS.get(stage.language)
        return "" if texts is None else str(getattr(texts[stage.kind], name))

    return attrs.Factory(default, takes_self=True)


def _language(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.locale(instance, attribute, value)
    if language_of(value) != value:
        raise InvalidValueError(
            v.field_name(instance, attribute), value, f"a language such as {language_of(value)!r}"
        )


def _stage_texts(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(StageTexts, "a StageTexts")(instance, attribute, value)
    seen: set[str] = set()
    for index, texts in enumerate(value):
        if texts.language in seen:
            raise InvalidValueError(
                f"{v.field_name(instance, attribute)}[{index}].language",
                texts.language,
                "at most one StageTexts per language or locale",
            )
        seen.add(texts.language)


def _template(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    placeholders_in(value, field=v.field_name(instance, attribute))


def _fee(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, Money):
        raise InvalidTypeError(v.field_name(instance, attribute), value, "a Money or None")
    if value.is_negative:
        raise InvalidValueError(v.field_name(instance, attribute), value, "a fee of zero or more")


def _fee_rules(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(FeeRule, "a FeeRule")(instance, attribute, value)
    seen: set[str | None] = set()
    for index, rule in enumerate(value):
        if rule.currency in seen:
            raise InvalidValueError(
                f"{v.field_name(instance, attribute)}[{index}]",
                rule,
                "at most one rule per currency and one without a currency",
            )
        seen.add(rule.currency)


@attrs.frozen(kw_only=True)
class StageRepeat:
    """How often the last stage repeats before the escalation (an endless reminder, capped).

    After the stage was issued, it is issued again up to ``count`` more times: each
    repetition ``days`` days after the previous document, or ``months`` months after the
    stage was first issued (the k-th repetition k x ``months`` months after it, clamped to a
    shorter month's end: 31 Jan, 28 Feb, 31 Mar), and never earlier than that many months
    after the previous document. Exactly one of ``days`` and ``months`` is above zero.
    A repetition charges no fee: a stage's fee is charged once.
    """

    count: int = attrs.field(validator=v.positive_int)
    days: int = attrs.field(default=0, validator=v.non_negative_int)
    months: int = attrs.field(default=0, validator=v.non_negative_int)

    def __attrs_post_init__(self) -> None:
        if (self.days > 0) == (self.months > 0):
            raise InvalidValueError(
                "StageRepeat.days",
                (self.days, self.months),
                "exactly one of days and months above zero",
            )


def _channels(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(Channel, "a Channel")(instance, attribute, value)
    if not value or len(set(value)) != len(value):
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "one or more distinct Channels"
        )


@attrs.frozen
class DunningStage:
    """One rung of the dunning ladder (Mahnstufe).

    ``kind`` (the only positional argument) says whether the document is a
    reminder or a notice. It fires ``days_overdue`` days after the day its
    ``basis`` names (inclusive; see the module docs). The document is due
    ``payment_term_days`` after the day it is created; the term plays no part in
    when the next stage fires. ``fee`` is charged by notices only (None: no fee)
    and is added to what the customer owes: a fixed amount in one currency. Instead of
    it, ``fee_rules`` (:class:`~dunlib.dunning.fees.FeeRule`, at most one per currency and one
    without) charge a fixed amount, a percentage of the open principal with a minimum and a
    maximum, per currency. ``repeat`` (last stage only, :class:`StageRepeat`) sends the
    stage again, without a further fee, before the escalation. ``attach_invoice`` attaches a copy of
    the original invoice; ``channels`` are the ways it is sent (e-mail, post).
    ``email_subject``, ``email_body`` and ``pdf_text`` are templates (defaults in
    German, by kind). An inactive stage is skipped; ``dispatch`` says whether the
    document goes out automatically, after approval or only by hand.

    A notice may claim statutory default interest up to its date (``claim_interest``,
    :func:`dunlib.dunning.interest.accrued_interest`) and the flat fee of § 288 (5) BGB on top of
    its fee (``claim_flat_fee``, :func:`dunlib.dunning.interest.flat_fee`: business debtors only).

    Its ``repr`` shows every field, but a template longer than 30 characters only by
    its first 30 and ``…``; the value itself keeps the whole text.
    """

    kind: StageKind = attrs.field(validator=v.of_type(StageKind, expected="a StageKind"))
    days_overdue: int = attrs.field(kw_only=True, validator=v.non_negative_int)
    basis: TriggerBasis = attrs.field(
        kw_only=True,
        default=TriggerBasis.PREVIOUS_DOCUMENT,
        validator=v.of_type(TriggerBasis, expected="a TriggerBasis"),
    )
    payment_term_days: int = attrs.field(kw_only=True, default=7, validator=v.non_negative_int)
    fee: Money | None = attrs.field(kw_only=True, default=None, validator=_fee)
    attach_invoice: bool = attrs.field(
        kw_only=True, default=False, validator=v.of_type(bool, expected="a bool")
    )
    channels: tuple[Channel, ...] = attrs.field(
        kw_only=True, default=(Channel.EMAIL,), converter=v.to_tuple, validator=_channels
    )
    language: str = attrs.field(kw_only=True, default="de", validator=_language)
    email_subject: str = attrs.field(
        kw_only=True, default=_built_in("email_subject"), validator=_template, repr=_template_repr
    )
    email_body: str = attrs.field(
        kw_only=True, default=_built_in("email_body"), validator=_template, repr=_template_repr
    )
    pdf_text: str = attrs.field(
        kw_only=True, default=_built_in("pdf_text"), validator=_template, repr=_template_repr
    )
    active: bool = attrs.field(
        kw_only=True, default=True, validator=v.of_type(bool, expected="a bool")
    )
    dispatch: DispatchMode = attrs.field(
        kw_only=True,
        default=DispatchMode.AUTOMATIC,
        validator=v.of_type(DispatchMode, expected="a DispatchMode"),
    )
    claim_interest: bool = attrs.field(
        kw_only=True, default=False, validator=v.of_type(bool, expected="a bool")
    )
    claim_flat_fee: bool = attrs.field(
        kw_only=True, default=False, validator=v.of_type(bool, expected="a bool")
    )
    fee_rules: tuple[FeeRule, ...] = attrs.field(
        kw_only=True, default=(), converter=v.to_tuple, validator=_fee_rules
    )
    repeat: StageRepeat | None = attrs.field(
        kw_only=True,
        default=None,
        validator=v.optional(v.of_type(StageRepeat, expected="a StageRepeat or None")),
    )
    texts: tuple[StageTexts, ...] = attrs.field(
        kw_only=True, default=(), converter=v.to_tuple, validator=_stage_texts
    )

    def __attrs_post_init__(self) -> None:
        self._check_fees()
        if self.language not in DEFAULT_TEXTS:
            for name in _TEXTS[:3]:
                if not getattr(self, name):
                    raise InvalidValueError(
                        f"DunningStage.{name}",
                        getattr(self, name),
                        f"a text in {self.language!r} (built-in texts exist in "
                        f"{', '.join(DEFAULT_TEXTS)} only)",
                    )
        for tag in dict.fromkeys((self.language, *(texts.language for texts in self.texts))):
            if tag in DEFAULT_TEXTS and not self.texts:
                continue  # the built-in texts give every text the own ones leave out
            layers = self._layers(tag)
            missing = [name for name in _TEXTS if _first(layers, name) is None]
            if missing:
                raise InvalidValueError(
                    "DunningStage.texts",
                    tag,
                    f"every text in {tag!r} (missing: {', '.join(missing)}; built-in texts "
                    f"exist in {', '.join(DEFAULT_TEXTS)})",
                )

    def _layers(self, tag: str) -> list[StageTexts | DunningStage]:
        """The texts that may word a letter in ``tag``, the first that gives a text first
        (the stage itself for its own language's texts)."""
        language = language_of(tag)
        keys = dict.fromkeys((tag, language))
        layers: list[StageTexts | DunningStage] = [
            texts for key in keys for texts in self.texts if texts.language == key
        ]
        if language == self.language:
            layers.append(self)
        if language in DEFAULT_TEXTS:
            layers.append(DEFAULT_TEXTS[language][self.kind])
        return layers

    def wording(self, locale: str, *, invoices: int = 1) -> StageWording:
        """The texts a letter of ``invoices`` invoices (the ``…_several`` ones for more than
        one) to a customer in ``locale`` is worded in.

        Each text is looked up in the stage's :attr:`texts` for the locale as written
        (``en_US``), then for its language (``en``), then, for the stage's own
        :attr:`language`, in its ``email_subject``, ``email_body`` and ``pdf_text``, then in
        the built-in :data:`DEFAULT_TEXTS` of that language. A locale whose language has no
        text at all (neither given nor built in) gets the stage's own language: German
        unless the stage says otherwise.
        """
        layers = self._layers(locale) or self._layers(self.language)
        several = "_several" if invoices > 1 else ""
        return StageWording(
            language=layers[0].language,
            email_subject=_first(layers, "email_subject" + several),
            email_body=_first(layers, "email_body" + several),
            pdf_text=_first(layers, "pdf_text" + several),
            invoice_line=_first(layers, "invoice_line"),
        )

    def _check_fees(self) -> None:
        if self.kind is StageKind.REMINDER and self.fee is not None:
            raise InvalidValueError(
                "DunningStage.fee", self.fee, "None for a reminder (only notices carry a fee)"
            )
        if self.kind is StageKind.REMINDER and self.fee_rules:
            raise InvalidValueError(
                "DunningStage.fee_rules", self.fee_rules, "() for a reminder (only notices)"
            )
        if self.fee is not None and self.fee_rules:
            raise InvalidValueError(
                "DunningStage.fee_rules", self.fee_rules, "() when a fixed fee= is given"
            )
        for name in ("claim_interest", "claim_flat_fee"):
            if self.kind is StageKind.REMINDER and getattr(self, name):
                raise InvalidValueError(
                    f"DunningStage.{name}",
                    True,
                    "False for a reminder (only notices claim interest or the flat fee)",
                )

    @property
    def requires_approval(self) -> bool:
        """True when a person must approve the document before it is sent."""
        return self.dispatch is DispatchMode.AFTER_APPROVAL

    def fee_rule(self, currency: str) -> FeeRule | None:
        """The fee rule for an invoice in ``currency``: the rule in that currency, else the
        rule without a currency, else the fixed ``fee`` (whatever its currency); None when
        the stage charges no fee. Raises :class:`~dunlib.core.errors.CurrencyMismatchError` when
        the stage has rules but none for ``currency``."""
        if self.fee is not None:
            return FeeRule(fixed=self.fee)
        if not self.fee_rules:
            return None
        rules = {rule.currency: rule for rule in self.fee_rules}
        rule = rules.get(currency, rules.get(None))
        if rule is None:
            named = ", ".join(sorted(code for code in rules if code is not None))
            raise CurrencyMismatchError(currency, named, "charge a fee (no rule for it) across")
        return rule


def _minimums(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(Money, "a Money")(instance, attribute, value)
    seen: set[str] = set()
    for index, amount in enumerate(value):
        name = f"{v.field_name(instance, attribute)}[{index}]"
        if not amount.is_positive:
            raise InvalidValueError(name, amount, "an amount above zero")
        if amount.currency in seen:
            raise InvalidValueError(name, amount, "at most one minimum per currency")
        seen.add(amount.currency)


def _base_rates(value: object) -> BaseRates | None:
    return None if value is None else checked_base_rates(value, "DunningRules.base_rates")


_rules_calendar = v.optional(
    v.of_type(
        WeekendCalendar,
        HolidayCalendar,
        Target2Calendar,
        expected="a WeekendCalendar, HolidayCalendar, Target2Calendar or None",
    )
)
"""The check of a calendar rules (and the decisions made by them) may carry: one of the
calendars dunlib stores, or None."""


@attrs.frozen(kw_only=True)
class DunningRules:
    """The dunning configuration: ordered ``stages`` and what surrounds them.

    ``minimum_open_amounts`` holds at most one amount per currency: an invoice
    whose open amount is below its currency's minimum is not dunned (an open
    amount equal to the minimum is). ``escalation`` is what the caller should do
    once the last active stage has been sent, ``escalation_days`` after that
    document's date (inclusive); None ends the ladder without escalation. With
    no active stage nothing is dunned at all (global suspension). With a ``calendar``,
    a document's due date that falls on a day off moves to the next working day
    (§ 193 BGB, :func:`dunlib.core.calendars.roll_forward`). ``base_rates`` is the base-rate
    table a stage that claims interest uses (pairs of day and percent, as
    :data:`dunlib.dunning.interest.BASE_RATES`); None, the default, means the built-in table of
    the dunlib version in use.
    """

    stages: tuple[DunningStage, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(DunningStage, "a DunningStage")
    )
    minimum_open_amounts: tuple[Money, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=_minimums
    )
    escalation: Escalation | None = attrs.field(
        default=None,
        validator=v.optional(v.of_type(Escalation, expected="an Escalation or None")),
    )
    escalation_days: int = attrs.field(default=0, validator=v.non_negative_int)
    calendar: WeekendCalendar | HolidayCalendar | Target2Calendar | None = attrs.field(
        default=None, validator=_rules_calendar
    )
    base_rates: BaseRates | None = attrs.field(default=None, converter=_base_rates)

    def __attrs_post_init__(self) -> None:
        flat = [index for index, stage in enumerate(self.stages) if stage.claim_flat_fee]
        if len(flat) > 1:
            raise InvalidValueError(
                f"DunningRules.stages[{flat[1]}].claim_flat_fee",
                True,
                "False: at most one stage claims the flat fee (it is owed once per claim)",
            )
        currencies = sorted({stage.fee.currency for stage in self.stages if stage.fee is not None})
        if len(currencies) > 1:
            raise InvalidValueError(
                "DunningRules.stages", currencies, "fees in one currency across all stages"
            )
        dunning = False
        for index, stage in enumerate(self.stages):
            if stage.basis.courtesy and dunning:
                raise InvalidValueError(
                    f"DunningRules.stages[{index}].basis",
                    stage.basis,
                    "PREVIOUS_DOCUMENT or DUE_DATE: courtesy stages (BEFORE_DUE_DATE, "
                    "ISSUE_DATE) only open the ladder, before every other stage",
                )
            dunning = dunning or not stage.basis.courtesy
        for index, stage in enumerate(self.stages[:-1]):
            if stage.repeat is not None:
                raise InvalidValueError(
                    f"DunningRules.stages[{index}].repeat",
                    stage.repeat,
                    "None: only the last stage repeats",
                )
        if self.escalation is None and self.escalation_days:
            raise InvalidValueError(
                "DunningRules.escalation_days",
                self.escalation_days,
                "0 when there is no escalation",
            )

    @property
    def active_stages(self) -> tuple[DunningStage, ...]:
        """The stages that take part, in order: level ``n`` uses the ``n``-th of them."""
        return tuple(stage for stage in self.stages if stage.active)

    @property
    def fee_currency(self) -> str | None:
        """The currency of the stages' fees, or None when no stage has a fee."""
        return next((s.fee.currency for s in self.stages if s.fee is not None), None)

    def minimum_for(self, currency: str) -> Money | None:
        """The minimum open amount for ``currency``, or None when there is none."""
        return next((m for m in self.minimum_open_amounts if m.currency == currency), None)
