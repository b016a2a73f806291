"""The sender of every document: its address, tax ids and bank account, each field checked."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from dunlib import DunlibError, InvalidTypeError, InvalidValueError
from dunlib.documents import EEA_COUNTRIES, Sender, check_bic, check_iban

FIELDS: dict[str, Any] = {
    "name": "Muster Software GmbH",
    "street": "Hauptstraße 1",
    "postcode": "10115",
    "city": "Berlin",
    "country": "DE",
    "iban": "DE89 3704 0044 0532 0130 00",
    "bic": "cobadeffxxx",
    "vat_id": "DE 123 456 789",
    "tax_number": "21/815/08150",
    "email": "billing@muster.example",
    "phone": "+49 30 1234567",
}


def sender(**changes: Any) -> Sender:
    """The sender of these tests, with ``changes``."""
    return Sender(**{**FIELDS, **changes})


def test_a_sender_keeps_its_bank_codes_in_electronic_form() -> None:
    """IBAN, BIC and VAT id lose their spaces and are kept in capitals."""
    made = sender()
    assert made.iban == "DE89370400440532013000"
    assert made.bic == "COBADEFFXXX"
    assert made.vat_id == "DE123456789"
    assert made.tax_number == "21/815/08150"
    assert made.city == "Berlin"


def test_a_sender_is_frozen_slotted_and_keyword_only() -> None:
    """A value: frozen, slotted, made by keywords only."""
    made = sender()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.name = "Other"  # type: ignore[misc]
    assert not hasattr(made, "__dict__")
    with pytest.raises(TypeError):
        Sender("x")  # type: ignore[call-arg]


def test_the_optional_fields_may_be_left_out() -> None:
    """Only one of VAT id and tax number is needed; e-mail, phone and (in the EEA) the BIC
    are optional."""
    made = Sender(
        name="A",
        street="B 1",
        postcode="1010",
        city="Wien",
        country="AT",
        iban="AT611904300234573201",
        tax_number="12 345/6789",
    )
    assert (made.bic, made.vat_id, made.email, made.phone) == ("", "", "", "")
    assert (made.registration, made.contact) == ("", "")
    assert sender(tax_number="").vat_id == "DE123456789"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("name", "", "non-empty"),
        ("street", "  ", "non-empty"),
        ("postcode", 10115, "non-empty"),
        ("city", None, "non-empty"),
        ("country", "Germany", "ISO 3166"),
        ("country", "de", "ISO 3166"),
        ("country", "XX", "ISO 3166"),
        ("country", 49, "ISO 3166"),
        ("iban", "DE89370400440532013001", "checksum"),
        ("iban", "DE8937040044053201300", "length"),
        ("iban", "XX89370400440532013000", "country"),
        ("iban", "", "IBAN"),
        ("iban", 123, "IBAN as a string"),
        ("bic", "COBADEFF1", "8 or 11"),
        ("bic", "COBAXXFF", "country"),
        ("bic", 7, "string"),
        ("vat_id", "123456789", "country prefix"),
        ("vat_id", 123, "string"),
        ("tax_number", "12", "tax number"),
        ("email", "billing", "e-mail"),
        ("email", "a@b", "e-mail"),
        ("phone", "call me", "phone"),
        ("registration", " HRB 12345 B", "commercial register entry"),
        ("registration", "HRB 12345 B\nAmtsgericht Charlottenburg", "one line"),
        ("registration", "HRB " + "1" * 97, "up to 100 characters"),
        ("registration", "HRB\x0012345", "no control characters"),
        ("registration", 12345, "string"),
        ("contact", "Erika Mustermann ", "person's name"),
        ("contact", "Erika\tMustermann", "one line"),
        ("contact", "E" * 101, "up to 100 characters"),
        ("contact", "Erika\ud800", "no control characters"),
        ("contact", ["Erika"], "string"),
    ],
)
def test_every_bad_field_is_refused_naming_field_value_and_what_is_valid(
    field: str, value: Any, expected: str
) -> None:
    """Each bad field raises an InvalidValueError naming ``Sender.<field>``, the value and
    what would be valid."""
    with pytest.raises(InvalidValueError) as caught:
        sender(**{field: value})
    assert caught.value.field == f"Sender.{field}"
    assert caught.value.value == value
    assert expected in caught.value.expected
    assert f"Sender.{field}" in str(caught.value)


def test_a_sender_needs_a_vat_id_or_a_tax_number() -> None:
    """Neither VAT id nor tax number: refused (an invoice must bear one), even with a
    registration, which is no tax id."""
    for registration in ("", "HRB 12345 B, Amtsgericht Charlottenburg"):
        with pytest.raises(InvalidValueError, match="VAT id or a tax number") as caught:
            sender(vat_id="", tax_number="", registration=registration)
        assert caught.value.field == "Sender.vat_id"


def test_the_registration_and_the_contact_person_are_kept_as_given() -> None:
    """A commercial register entry and a contact person's name, any letters, up to 100
    characters, kept as given."""
    made = sender(registration="HRB 12345 B, Amtsgericht Charlottenburg", contact="Łucja Ńowak")
    assert made.registration == "HRB 12345 B, Amtsgericht Charlottenburg"
    assert made.contact == "Łucja Ńowak"
    assert sender(registration="R" * 100, contact="C").contact == "C"


def test_the_bic_is_required_outside_the_eea_only() -> None:
    """A German IBAN needs no BIC; a Swiss one (SEPA, not EEA) does."""
    assert "DE" in EEA_COUNTRIES
    assert "CH" not in EEA_COUNTRIES
    assert sender(bic="").bic == ""
    swiss = "CH9300762011623852957"
    assert sender(iban=swiss, bic="UBSWCHZH80A", country="CH").iban == swiss
    with pytest.raises(InvalidValueError, match="outside the European Economic Area") as caught:
        sender(iban=swiss, bic="", country="CH")
    assert caught.value.field == "Sender.bic"


def test_the_checks_of_bank_codes_are_public_and_name_the_field() -> None:
    """check_iban and check_bic give the electronic form or a typed error naming the field."""
    assert check_iban("de89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    assert check_bic("BHBL DE HH XXX") == "BHBLDEHHXXX"
    with pytest.raises(InvalidValueError) as caught:
        check_iban("DE00", "Payee.iban")
    assert caught.value.field == "Payee.iban"
    with pytest.raises(InvalidTypeError):
        check_bic(None)
    with pytest.raises(DunlibError):
        check_iban(["DE89370400440532013000"])
