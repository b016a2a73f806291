"""The texts of a letter: every invoice listed, in the customer's language, totals that add up.

Laws over generated portfolios (one customer, one to six invoices each at its own level, some
partly paid) for every built-in text and language, and examples of choosing, overriding and
adding texts per language.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    DunningLetter,
    DunningRules,
    DunningStage,
    Invoice,
    IssueStage,
    Money,
    Payment,
    StageKind,
    TriggerBasis,
    group_letters,
    next_dunning_action,
    plan,
    record_payment,
    record_stage,
)
from dunlib.core import format_amount, language_of
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.dunning import DEFAULT_TEXTS, LetterDocuments, StageTexts

HOUSE = Authority(eyes=4)
DAY = dt.date(2026, 6, 1)
LOCALES = ("de_DE", "de_AT", "de_CH", "en_GB", "en_US", "en_IE", "fr_FR", "nl_NL")
LEVEL_WORD = {"de": "Mahnstufe", "en": "level"}
"""How the built-in texts name a level, by language."""


@st.composite
def ladders(draw: st.DrawFn) -> DunningRules:
    """Three to five stages counted from the due date, reminders first, then notices with or
    without a fee."""
    count = draw(st.integers(3, 5))
    reminders = draw(st.integers(0, count))
    offsets = sorted(draw(st.sets(st.integers(1, 60), min_size=count, max_size=count)))
    stages = []
    for index, offset in enumerate(offsets):
        if index < reminders:
            stages.append(
                DunningStage(StageKind.REMINDER, days_overdue=offset, basis=TriggerBasis.DUE_DATE)
            )
        else:
            fee = draw(st.sampled_from([None, "2.50", "5.00", "10.00"]))
            stages.append(
                DunningStage(
                    StageKind.NOTICE,
                    days_overdue=offset,
                    basis=TriggerBasis.DUE_DATE,
                    fee=None if fee is None else Money(fee, "EUR"),
                )
            )
    return DunningRules(stages=tuple(stages))


@st.composite
def letters(draw: st.DrawFn) -> DunningLetter:
    """The one letter of a run on DAY for one customer whose invoices each reach their own
    level that day (their earlier documents booked on the days before), some partly paid."""
    rules = draw(ladders())
    locale = draw(st.sampled_from(LOCALES))
    customer = Customer(id="C-1", name="ACME", locale=locale)
    offsets = [stage.days_overdue for stage in rules.stages]
    book = []
    for n in range(1, draw(st.integers(1, 6)) + 1):
        level = draw(st.integers(1, len(offsets)))
        due = DAY - dt.timedelta(days=offsets[level - 1])
        cents = draw(st.integers(1_000, 500_000))
        invoice = Invoice.sent(
            number=f"RE-2026-{n:04d}",
            customer=customer,
            gross=Money(f"{cents // 100}.{cents % 100:02d}", "EUR"),
            issue_date=due - dt.timedelta(days=14),
            due_date=due,
        )
        if draw(st.booleans()):
            part = Money(f"{cents // 200}.00", "EUR")
            paid = Payment(on=invoice.issue_date, amount=part)
            invoice = record_payment(invoice, paid, actor=AUTOMATIC, authority=HOUSE).invoice
        for earlier in offsets[: level - 1]:
            action = next_dunning_action(invoice, rules, today=due + dt.timedelta(days=earlier))
            assert isinstance(action, IssueStage)
            invoice = record_stage(invoice, action, actor=AUTOMATIC, authority=HOUSE)
        book.append(invoice)
    (letter,) = group_letters(plan(book, rules, today=DAY))
    return letter


def _texts(letter: DunningLetter) -> LetterDocuments:
    return letter.documents(tenant_name="Muster GmbH")


@given(letter=letters())
def test_law_every_invoice_appears_with_its_own_level_and_amounts(letter: DunningLetter) -> None:
    """Law: in every built-in text and language, every invoice of a letter appears in its
    body with its own level, amount open and fee: in a letter of several, on its own line of
    the list; in a letter of one, in the sentences about it (the fee in a notice's)."""
    texts = _texts(letter)
    locale = letter.customer.locale
    word = LEVEL_WORD[language_of(texts.language)]
    for body in (texts.email_body, texts.pdf_text):
        for decision, stage in zip(letter.decisions, letter.actions, strict=True):
            wanted = [
                decision.invoice.number,
                f"{word} {stage.level}",
                format_amount(stage.open_amount, locale),
            ]
            if len(letter.decisions) > 1 or stage.kind is StageKind.NOTICE:
                wanted.append(format_amount(stage.fee, locale))
            places = body.splitlines() if len(letter.decisions) > 1 else [body]
            assert any(all(part in place for part in wanted) for place in places), wanted


@given(letter=letters())
def test_law_the_letters_total_is_the_sum_of_its_lines(letter: DunningLetter) -> None:
    """Law: the open amount, fees and amount paid a letter states are the sums of its
    invoices' (its lines'), and the text states the open amount and, for several invoices,
    their number in the subject."""
    zero = Money.zero("EUR")
    assert letter.open_amount == sum((s.open_amount for s in letter.actions), zero)
    assert letter.fee == sum((s.fee for s in letter.actions), zero)
    texts = _texts(letter)
    assert format_amount(letter.open_amount, letter.customer.locale) in texts.email_body
    if len(letter.decisions) > 1:
        assert str(len(letter.decisions)) in texts.email_subject
        paid = sum((d.invoice.paid for d in letter.decisions), zero)
        if letter.lead.kind is StageKind.NOTICE:
            assert format_amount(paid, letter.customer.locale) in texts.email_body


@given(letter=letters())
def test_law_no_placeholder_is_left_unrendered(letter: DunningLetter) -> None:
    """Law: no text of a letter keeps a placeholder or a brace pair."""
    texts = _texts(letter)
    for text in (texts.email_subject, texts.email_body, texts.pdf_text):
        assert "{{" not in text
        assert "}}" not in text


@given(letter=letters())
def test_law_a_letter_is_in_the_customers_language_when_there_are_texts_in_it(
    letter: DunningLetter,
) -> None:
    """Law: a letter is worded in the language of the customer's locale whenever the stage has
    texts in it (German and English are built in), else in the stage's own language."""
    texts = _texts(letter)
    language = language_of(letter.customer.locale)
    expected = language if language in DEFAULT_TEXTS else letter.lead.stage.language
    assert texts.language == expected
    greeting = {"de": "Sehr geehrte Damen und Herren", "en": "Dear Sir or Madam"}
    assert texts.email_body.startswith(greeting[expected])


@pytest.mark.parametrize("language", sorted(DEFAULT_TEXTS))
@pytest.mark.parametrize("kind", list(StageKind))
def test_every_built_in_text_names_every_invoice(language: str, kind: StageKind) -> None:
    """Each built-in text for several invoices lists them (``{{ invoiceList }}``) and counts
    them in the subject; each for one invoice names it, its level and the open amount."""
    texts = DEFAULT_TEXTS[language][kind]
    assert texts.email_subject_several is not None
    assert "{{ invoiceCount }}" in texts.email_subject_several
    for several in (texts.email_body_several, texts.pdf_text_several):
        assert several is not None
        assert "{{ invoiceList }}" in several
    for one in (texts.email_body, texts.pdf_text):
        assert one is not None
        for name in ("referencedInvoiceNumber", "level", "openAmount"):
            assert f"{{{{ {name} }}}}" in one


# -- choosing, overriding and adding texts -------------------------------------------------


def test_a_text_is_looked_up_by_locale_then_language_then_the_stages_own() -> None:
    """An en_US customer gets the en_US override, an en_GB one the built-in English text, a
    German one the stage's own text, a French one (no French texts) the stage's language."""
    stage = DunningStage(
        StageKind.REMINDER,
        days_overdue=3,
        email_subject="Erinnerung {{ referencedInvoiceNumber }}",
        texts=(StageTexts(language="en_US", email_subject="Hey {{ referencedInvoiceNumber }}"),),
    )
    assert stage.wording("en_US").email_subject == "Hey {{ referencedInvoiceNumber }}"
    assert stage.wording("en_US").email_body == DEFAULT_TEXTS["en"][StageKind.REMINDER].email_body
    assert stage.wording("en_GB").language == "en"
    assert stage.wording("de_DE").email_subject == "Erinnerung {{ referencedInvoiceNumber }}"
    assert stage.wording("fr_FR").email_subject == "Erinnerung {{ referencedInvoiceNumber }}"
    several = stage.wording("de_DE", invoices=2).email_subject
    assert several == DEFAULT_TEXTS["de"][StageKind.REMINDER].email_subject_several


def test_a_stage_written_in_english_falls_back_to_english() -> None:
    """A stage whose own texts are English (language="en") words a French customer's letter
    in English, and a German customer's still in German (built in)."""
    stage = DunningStage(
        StageKind.NOTICE, days_overdue=3, language="en", email_subject="Notice {{ level }}"
    )
    assert stage.wording("fr_FR").email_subject == "Notice {{ level }}"
    assert stage.wording("de_DE").language == "de"
    english = DunningStage(StageKind.NOTICE, days_overdue=3, language="en")
    assert english.email_subject == DEFAULT_TEXTS["en"][StageKind.NOTICE].email_subject


FRENCH = StageTexts(
    language="fr",
    email_subject="Rappel {{ referencedInvoiceNumber }}",
    email_body="Facture {{ referencedInvoiceNumber }}",
    pdf_text="Facture {{ referencedInvoiceNumber }}",
    email_subject_several="Rappel : {{ invoiceCount }} factures",
    email_body_several="{{ invoiceList }}",
    pdf_text_several="{{ invoiceList }}",
    invoice_line="{{ referencedInvoiceNumber }} : {{ openAmount }}",
)


def test_a_language_can_be_added_with_every_text() -> None:
    """A language without built-in texts is added by giving every text for it, on the stage
    (its own language) or in a StageTexts; one left out is refused when the stage is built,
    naming the texts missing."""
    stage = DunningStage(StageKind.REMINDER, days_overdue=3, texts=(FRENCH,))
    assert (
        stage.wording("fr_CA", invoices=2).email_subject == "Rappel : {{ invoiceCount }} factures"
    )
    own = DunningStage(
        StageKind.REMINDER,
        days_overdue=3,
        language="fr",
        email_subject="R",
        email_body="B",
        pdf_text="P",
        texts=(attrs.evolve(FRENCH, email_subject=None, email_body=None, pdf_text=None),),
    )
    assert own.wording("nl_NL").email_subject == "R"
    with pytest.raises(InvalidValueError, match=r"missing: email_body, pdf_text, email_sub"):
        DunningStage(
            StageKind.REMINDER,
            days_overdue=3,
            texts=(StageTexts(language="fr", email_subject="R"),),
        )
    with pytest.raises(InvalidValueError, match=r"DunningStage.email_subject.*'fr'"):
        DunningStage(StageKind.REMINDER, days_overdue=3, language="fr")
    with pytest.raises(InvalidValueError, match=r"missing: email_subject_several"):
        DunningStage(
            StageKind.REMINDER,
            days_overdue=3,
            language="fr",
            email_subject="R",
            email_body="B",
            pdf_text="P",
        )


def test_texts_are_checked_when_built() -> None:
    """An unknown placeholder in any text of a StageTexts, a text that is not a string, a
    locale babel does not know, a stage language that is a locale, and two StageTexts for one
    language are refused, each naming its field."""
    with pytest.raises(InvalidValueError, match=r"StageTexts.invoice_line: got '\{\{ amount"):
        StageTexts(language="en", invoice_line="{{ amount }}")
    with pytest.raises(InvalidTypeError, match="StageTexts.email_body"):
        StageTexts(language="en", email_body=3)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="StageTexts.language"):
        StageTexts(language="xx_YY")
    with pytest.raises(InvalidValueError, match=r"DunningStage.language: got 'en_GB'.*'en'"):
        DunningStage(StageKind.REMINDER, days_overdue=3, language="en_GB")
    with pytest.raises(InvalidValueError, match=r"DunningStage.texts\[1\].language"):
        DunningStage(
            StageKind.REMINDER,
            days_overdue=3,
            texts=(StageTexts(language="en"), StageTexts(language="en")),
        )
    with pytest.raises(InvalidTypeError, match=r"DunningStage.texts\[0\]"):
        DunningStage(StageKind.REMINDER, days_overdue=3, texts=("en",))


def test_paid_amount_and_invoice_count_placeholders() -> None:
    """{{ paidAmount }} is what was already paid on the invoice (seed 002), {{ invoiceCount }}
    how many invoices the letter covers, {{ invoiceList }} the invoice's own line."""
    stage = DunningStage(
        StageKind.REMINDER,
        days_overdue=0,
        email_body="{{ paidAmount }} / {{ invoiceCount }}\n{{ invoiceList }}",
    )
    rules = DunningRules(stages=(stage,))
    invoice = Invoice.sent(
        number="RE-1",
        customer=Customer(id="C-1", name="ACME"),
        gross=Money("119.00", "EUR"),
        issue_date=dt.date(2026, 4, 26),
        due_date=dt.date(2026, 5, 10),
    )
    paid = Payment(on=dt.date(2026, 5, 1), amount=Money("19.00", "EUR"))
    invoice = record_payment(invoice, paid, actor=AUTOMATIC, authority=HOUSE).invoice
    action = next_dunning_action(invoice, rules, today=dt.date(2026, 5, 11))
    assert isinstance(action, IssueStage)
    body = action.documents(invoice, tenant_name="T").email_body
    assert body.splitlines() == [
        "19,00\xa0€ / 1",
        "- RE-1 vom 26.04.2026: offen 100,00\xa0€, Mahnstufe 1, Gebühr 0,00\xa0€",
    ]


def test_stage_texts_repr_shortens_long_texts() -> None:
    """A StageTexts' repr leaves out a text not given and shows a long text by its first 30
    characters, as a stage's repr does."""
    shown = repr(StageTexts(language="en", email_body="Dear customer, {{ openAmount }} is open"))
    assert "email_subject" not in shown
    assert "email_body='Dear customer, {{ openAmount }'…" in shown
