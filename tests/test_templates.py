"""Templates: placeholders checked when built, values substituted and written per locale."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dunlib import InvalidTypeError, InvalidValueError, Money
from dunlib.core import PLACEHOLDERS, Template, TemplateValues
from dunlib.core.templates import format_amount, format_day, placeholders_in, written_in

SEED_PLACEHOLDERS = (
    "referencedInvoiceNumber",
    "referencedInvoiceDate",
    "totalGrossAmount",
    "dueDate",
    "tenant.name",
)


def values(**changes: object) -> TemplateValues:
    base: dict[str, object] = {
        "invoice_number": "RE-2026-0001",
        "invoice_date": dt.date(2026, 4, 26),
        "total_gross": Money("124.00", "EUR"),
        "due_date": dt.date(2026, 5, 24),
        "tenant_name": "Muster GmbH",
    }
    return TemplateValues(**{**base, **changes})  # type: ignore[arg-type]


def test_seed_placeholders_are_all_known() -> None:
    """The five placeholders of the seed (003) are known, with a description each."""
    for name in SEED_PLACEHOLDERS:
        assert PLACEHOLDERS[name]


def test_placeholders_are_listed_in_order_of_first_use() -> None:
    """placeholders_in gives each name once, in the order it first appears; spaces optional."""
    source = "{{dueDate}} {{ referencedInvoiceNumber }} {{  dueDate  }} {{ tenant.name }}"
    assert placeholders_in(source) == ("dueDate", "referencedInvoiceNumber", "tenant.name")
    assert Template(source="no placeholders").placeholders == ()


def test_renders_the_seed_placeholders_for_a_german_customer() -> None:
    """de_DE writes dates as 24.05.2026 and amounts as 124,00 € (CLDR's no-break space)."""
    template = Template(
        source=(
            "Rechnung {{ referencedInvoiceNumber }} vom {{ referencedInvoiceDate }}: "
            "{{ totalGrossAmount }} bis {{ dueDate }}. {{ tenant.name }}"
        )
    )
    assert template.render(values()) == (
        "Rechnung RE-2026-0001 vom 26.04.2026: 124,00\xa0€ bis 24.05.2026. Muster GmbH"
    )


def test_renders_for_other_locales() -> None:
    """The customer's locale decides the format: en_GB puts € first and spells the month."""
    template = Template(source="{{ totalGrossAmount }} by {{ dueDate }}")
    assert template.render(values(locale="en_GB")) == "€124.00 by 24 May 2026"
    assert template.render(values(locale="en_US")) == "€124.00 by May 24, 2026"


def test_dunlib_placeholders_default_sensibly() -> None:
    """openAmount defaults to the total, fee to zero; level and customer name render as given."""
    template = Template(source="{{ openAmount }}|{{ fee }}|{{ level }}|{{ customer.name }}")
    assert template.render(values()) == "124,00\xa0€|0,00\xa0€|1|"
    rendered = template.render(
        values(
            open_amount=Money("24.00", "EUR"),
            fee=Money("5.00", "EUR"),
            level=4,
            customer_name="ACME GmbH",
        )
    )
    assert rendered == "24,00\xa0€|5,00\xa0€|4|ACME GmbH"


def test_credit_renders_the_credit_netted_or_zero() -> None:
    """{{ credit }} is the customer's credit netted against the document, zero when none."""
    template = Template(source="{{ credit }}|{{ openAmount }}")
    assert template.render(values()) == "0,00\xa0€|124,00\xa0€"
    netted = values(credit=Money("31.00", "EUR"), open_amount=Money("93.00", "EUR"))
    assert template.render(netted) == "31,00\xa0€|93,00\xa0€"


def test_unknown_placeholder_is_refused_listing_the_known_ones() -> None:
    """A name outside PLACEHOLDERS is refused when the template is built; the message lists
    every known placeholder so the fix is obvious."""
    with pytest.raises(InvalidValueError) as caught:
        Template(source="Hallo {{ customerName }}")
    error = caught.value
    assert error.field == "Template.source"
    assert error.value == "{{ customerName }}"
    for name in PLACEHOLDERS:
        assert f"{{{{ {name} }}}}" in str(error)


@pytest.mark.parametrize(
    "source",
    [
        "{{ invoice.customer.__class__ }}",
        "{{ dueDate | upper }}",
        "{{ 1 + 1 }}",
        "{{ }}",
    ],
)
def test_expressions_and_attribute_access_are_refused(source: str) -> None:
    """Only the listed names exist: no filters, expressions, attribute chains or empty names."""
    with pytest.raises(InvalidValueError, match="known placeholder"):
        Template(source=source)


@pytest.mark.parametrize("source", ["{{ dueDate", "dueDate }}", "{{ {{ dueDate }} }}", "{{{"])
def test_stray_braces_are_refused(source: str) -> None:
    """Double braces that do not form one placeholder are a mistake, refused at construction."""
    with pytest.raises(InvalidValueError, match="Template.source"):
        Template(source=source)


def test_single_braces_are_plain_text() -> None:
    """Single braces are ordinary text and are left alone."""
    assert Template(source="{a} {{ level }} }").render(values()) == "{a} 1 }"


def test_a_value_is_never_read_as_a_template() -> None:
    """Substitution is one pass: a value that looks like a placeholder stays literal."""
    rendered = Template(source="{{ tenant.name }}").render(values(tenant_name="{{ dueDate }}"))
    assert rendered == "{{ dueDate }}"


def test_bad_input_is_refused_with_the_field_named() -> None:
    """Non-strings, a bad locale and a non-TemplateValues argument raise typed errors."""
    with pytest.raises(InvalidTypeError, match="Template.source"):
        Template(source=42)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="TemplateValues.locale"):
        values(locale="xx_XX_YY")
    with pytest.raises(InvalidTypeError, match="TemplateValues.total_gross"):
        values(total_gross="124.00")
    with pytest.raises(InvalidTypeError, match="Template.render.values"):
        Template(source="x").render({"dueDate": "x"})  # type: ignore[arg-type]


def test_formatting_helpers() -> None:
    """format_day and format_amount follow CLDR; currencies keep their own minor units."""
    assert format_day(dt.date(2026, 6, 14), "de_DE") == "14.06.2026"
    assert format_amount(Money("1234.50", "EUR"), "de_DE") == "1.234,50\xa0€"
    assert format_amount(Money(500, "JPY"), "en_US") == "¥500"


@pytest.mark.parametrize("locale", ["\x00", "xx_YY", "1_000", "", "de_DE\n"])
def test_formatting_helpers_refuse_an_unknown_locale_naming_the_field(locale: str) -> None:
    """An unknown locale is an InvalidValueError naming the helper's field, not babel's bare
    ValueError or UnknownLocaleError; a datetime or a plain number is a typed error too."""
    with pytest.raises(InvalidValueError, match=r"^format_day\.locale: .*CLDR locale"):
        format_day(dt.date(2026, 6, 14), locale)
    with pytest.raises(InvalidValueError, match=r"^format_amount\.locale: .*CLDR locale"):
        format_amount(Money("1.00", "EUR"), locale)
    with pytest.raises(InvalidTypeError, match=r"^format_day\.day"):
        format_day(dt.datetime(2026, 6, 14, 9, 30), "de_DE")
    with pytest.raises(InvalidTypeError, match=r"^format_amount\.amount"):
        format_amount(1, "de_DE")  # type: ignore[arg-type]


_TEXT = st.text(alphabet=st.characters(blacklist_characters="{}"), max_size=20)


@given(
    parts=st.lists(st.tuples(_TEXT, st.sampled_from(sorted(PLACEHOLDERS))), max_size=5),
    tail=_TEXT,
)
def test_rendering_leaves_no_placeholder_and_keeps_the_text_law(
    parts: list[tuple[str, str]], tail: str
) -> None:
    """Law (substitution only): any text with known placeholders renders to the text with
    each placeholder replaced by its formatted value, and nothing else changed."""
    source = "".join(f"{text}{{{{ {name} }}}}" for text, name in parts) + tail
    table = values().formatted()
    expected = "".join(text + table[name] for text, name in parts) + tail
    rendered = Template(source=source).render(values())
    assert rendered == expected
    assert not re.search(r"\{\{", rendered)


@pytest.mark.parametrize(
    "source",
    [
        "{{" + " " * 200_000 + "x",
        "{{" + " " * 200_000 + "}",
        "{{ a" + " " * 200_000,
        "{{ level }}" + "{{ " * 50_000,
    ],
)
def test_long_texts_are_checked_in_linear_time(source: str) -> None:
    """A long run of spaces after '{{' once made the placeholder pattern backtrack
    quadratically (minutes for this text); it is now refused at once."""
    with pytest.raises(InvalidValueError, match="Template.source"):
        Template(source=source)


def test_whitespace_around_a_name_is_any_unicode_space() -> None:
    """Spaces, tabs, newlines and other Unicode spaces around a name are all optional."""
    template = Template(source="{{\tlevel\n}}|{{\u3000level\u00a0}}|{{level}}")
    assert template.placeholders == ("level",)
    assert template.render(values(level=3)) == "3|3|3"


def test_dunlib_s_own_words_are_german_for_german_speakers_and_english_for_others() -> None:
    """written_in: ``de`` for every German-speaking locale, ``en`` for any other; a locale
    babel does not know is refused."""
    assert [written_in(locale) for locale in ("de_DE", "de_AT", "de", "en_GB", "fr_FR")] == [
        "de", "de", "de", "en", "en",
    ]  # fmt: skip
    with pytest.raises(InvalidValueError, match="language_of.locale"):
        written_in("xx_XX")
