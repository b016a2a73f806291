"""What a legal invoice names (§ 14 (4) UStG, EN 16931): the recipient's address, VAT id and
buyer reference, each line's unit and tax category, the day or period of delivery; and how
invoices reach the customer (send mode, channel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dunlib.core import (
    Address,
    Customer,
    DeliveryChannel,
    DeliveryPeriod,
    InvalidTypeError,
    InvalidValueError,
    LineItem,
    Money,
    SendMode,
    TaxCategory,
)
from dunlib.workflow import Actor, create_draft

BERLIN = Address(street="Hauptstraße 1", postcode="10115", city="Berlin", country="DE")


def line(rate: str, category: TaxCategory | None = None, **fields: object) -> LineItem:
    return LineItem(
        description="Beratung",
        quantity=Decimal(2),
        unit_price=Money(Decimal("50.00"), "EUR"),
        tax_rate=Decimal(rate),
        tax_category=category,
        **fields,  # type: ignore[arg-type]
    )


def test_a_customer_names_its_address_vat_id_and_buyer_reference() -> None:
    """The recipient's data a legal invoice names; the VAT id kept in its electronic form."""
    customer = Customer(
        id="C-1",
        name="Muster GmbH",
        address=BERLIN,
        vat_id="de 123 456 789",
        buyer_reference="04011000-12345-67",
    )
    assert (customer.vat_id, customer.address, customer.buyer_reference) == (
        "DE123456789",
        BERLIN,
        "04011000-12345-67",
    )
    assert (customer.send_mode, customer.channel) == (SendMode.AUTOMATIC, DeliveryChannel.ONLINE)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"vat_id": "123456789"}, "Customer.vat_id"),
        ({"buyer_reference": " padded "}, "Customer.buyer_reference"),
        ({"buyer_reference": "x" * 201}, "Customer.buyer_reference"),
        ({"address": "Hauptstraße 1, Berlin"}, "Customer.address"),
        ({"send_mode": "manual"}, "Customer.send_mode"),
        ({"channel": "both"}, "Customer.channel"),
    ],
)
def test_a_customer_refuses_what_no_invoice_could_name(
    fields: dict[str, object], field: str
) -> None:
    """Each refusal names the field and what would be valid."""
    with pytest.raises((InvalidValueError, InvalidTypeError), match=field):
        Customer(id="C-1", name="Muster GmbH", **fields)  # type: ignore[arg-type]


def test_an_address_has_a_country_code_of_iso_3166() -> None:
    """The country is an ISO 3166 alpha-2 code; a name or a lower-case code is refused."""
    for country in ("Deutschland", "de", "XX", 49):
        with pytest.raises(InvalidValueError, match="Address.country.*ISO 3166"):
            Address(street="a", postcode="1", city="b", country=country)  # type: ignore[arg-type]
    assert Address(street="a", postcode="1", city="b", country="PL", extra="c/o").extra == "c/o"


def test_a_line_s_category_fits_its_rate() -> None:
    """Standard and reduced rates charge tax (a rate above 0), every other category none;
    a line without a category is standard from 15 % on (the EU's least standard rate),
    reduced above 0 % below it, and unknown at 0 %."""
    assert line("19").category is TaxCategory.STANDARD
    assert line("15").category is TaxCategory.STANDARD
    assert line("7").category is TaxCategory.REDUCED
    assert line("14.99").category is TaxCategory.REDUCED
    assert line("0").category is None
    assert line("7", TaxCategory.REDUCED).category is TaxCategory.REDUCED
    assert line("0", TaxCategory.REVERSE_CHARGE).category.code == "AE"  # type: ignore[union-attr]
    with pytest.raises(InvalidValueError, match="LineItem.tax_category.*standard or reduced"):
        line("19", TaxCategory.EXEMPT)
    with pytest.raises(InvalidValueError, match="LineItem.tax_category.*not standard"):
        line("0", TaxCategory.STANDARD)
    with pytest.raises(InvalidTypeError, match="LineItem.tax_category"):
        line("0", "exempt")  # type: ignore[arg-type]


def test_every_category_has_its_en_16931_code() -> None:
    """UNCL5305: S (standard and reduced), Z, E, AE, K, G, O."""
    assert [category.code for category in TaxCategory] == [
        "S", "S", "Z", "E", "AE", "K", "G", "O",
    ]  # fmt: skip
    assert [c for c in TaxCategory if c.charges_tax] == [
        TaxCategory.STANDARD,
        TaxCategory.REDUCED,
    ]


def test_a_line_s_unit_is_a_recommendation_20_code() -> None:
    """One piece (C62) unless given; a unit written out is refused."""
    assert line("19").unit == "C62"
    assert line("19", unit="HUR").unit == "HUR"
    with pytest.raises(InvalidValueError, match="LineItem.unit.*Recommendation 20"):
        line("19", unit="Stunden")
    assert line("19", section="Hardware").section == "Hardware"


def test_a_delivery_period_ends_on_or_after_its_start() -> None:
    """One day where start and end are equal; an end before the start is refused."""
    day = dt.date(2026, 3, 2)
    assert DeliveryPeriod(start=day, end=day).end == day
    with pytest.raises(InvalidValueError, match="DeliveryPeriod.end.*on or after the start"):
        DeliveryPeriod(start=day, end=day - dt.timedelta(days=1))


def test_a_draft_carries_its_delivery() -> None:
    """create_draft takes the day or period of delivery; the invoice refuses anything else."""
    period = DeliveryPeriod(start=dt.date(2026, 2, 1), end=dt.date(2026, 2, 28))
    clerk = Actor(id="dora", roles={"clerk"})
    customer = Customer(id="C-1", name="Muster GmbH")
    draft = create_draft(
        id="D-1", customer=customer, currency="EUR", actor=clerk, on=dt.date(2026, 3, 1),
        lines=[line("19")], delivery=period,
    )  # fmt: skip
    assert draft.delivery == period
    with pytest.raises(InvalidTypeError, match="Invoice.delivery"):
        create_draft(
            id="D-2", customer=customer, currency="EUR", actor=clerk, on=dt.date(2026, 3, 1),
            delivery=dt.date(2026, 2, 1),  # type: ignore[arg-type]
        )  # fmt: skip
