"""The audit chain of a stored invoice (issue 28, audit-proof history): sealing, verifying,
erasing a customer's personal data, and reading a sealed document as the invoice it holds."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import ACME, ANN, eur, sent
from dunlib import (
    AUTOMATIC,
    Authority,
    Customer,
    Hold,
    HoldKind,
    Invoice,
    Payment,
    lift_hold,
    place_hold,
    record_payment,
)
from dunlib import strategies as ds
from dunlib.core import quick
from dunlib.core.errors import DocumentError, InvalidTypeError, InvalidValueError
from dunlib.core.records import Address
from dunlib.dunning import InstalmentPlan, agree_plan, cancel_plan
from dunlib.io import (
    CHAIN_KEY,
    ERASED_NAME,
    UPGRADES,
    ChainBreak,
    ChainBrokenError,
    erase_personal_data,
    from_dict,
    from_json,
    personal_digest,
    seal_invoice,
    to_dict,
    upgrade_history_chain,
    verify_chain,
)

SALT = "00112233445566778899aabbccddeeff"
PERSON = Customer(
    id="K-7",
    name="Erika Mustermann",
    email="erika@example.org",
    vat_id="DE123456789",
    address=Address(street="Heidestraße 17", postcode="51147", city="Köln", country="DE"),
)
TWO = Authority()


def _paid(invoice: Invoice, amount: str, day: dt.date) -> Invoice:
    payment = Payment(on=day, amount=eur(amount), reference="RE-2026-0001")
    return record_payment(invoice, payment, actor=AUTOMATIC, authority=TWO).invoice


def _json(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` as it comes back from its JSON text."""
    loaded: dict[str, Any] = json.loads(json.dumps(document))
    return loaded


ANY_INVOICE = st.one_of(
    ds.invoices(), ds.dunned_invoices(), ds.held_invoices(), ds.closed_invoices()
)


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value of a document that holds no other (empty lists and objects
    included), the chain left out."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            if path or key != CHAIN_KEY:
                yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _changed(value: Any) -> Any:
    """Another JSON value than ``value``."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    return "x"


def _set(document: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    place: Any = document
    for step in path[:-1]:
        place = place[step]
    place[path[-1]] = value


def _get(document: dict[str, Any], path: tuple[Any, ...]) -> Any:
    place: Any = document
    for step in path:
        place = place[step]
    return place


# -- laws ---------------------------------------------------------------------------------


@given(invoice=ANY_INVOICE)
def test_law_an_untouched_sealed_document_verifies_and_reads_as_its_invoice(
    invoice: Invoice,
) -> None:
    """Law: a sealed invoice's document, untouched (as a dict or through its JSON text),
    verifies, and reads (dict or JSON) as the invoice it was sealed from: one link per entry."""
    document = seal_invoice(invoice, salt=SALT)
    assert verify_chain(document) is None
    assert verify_chain(json.dumps(document)) is None
    assert len(document[CHAIN_KEY]["links"]) == len(invoice.history)
    assert from_dict(document, Invoice) == invoice
    assert from_json(json.dumps(document), Invoice) == invoice


@given(invoice=ANY_INVOICE, data=st.data())
def test_law_any_single_field_change_of_a_sealed_document_is_detected(
    invoice: Invoice, data: st.DataObject
) -> None:
    """Law: any single value of a sealed document changed (an amount, a date, a state, a
    party's field, a line, a booking, a link of the chain itself) makes it fail to verify;
    a change inside history entry i is named as that entry, the first that does not fit."""
    document = _json(seal_invoice(invoice, salt=SALT))
    paths = sorted(_leaves(document), key=repr)
    chain: list[tuple[Any, ...]] = [(CHAIN_KEY, key) for key in ("salt", "personal", "head")]
    chain += [(CHAIN_KEY, "migrated")]
    chain += [(CHAIN_KEY, "links", i) for i in range(len(invoice.history))]
    path = data.draw(st.sampled_from(paths + chain), label="path")
    _set(document, path, _changed(_get(document, path)))
    found = verify_chain(document)
    assert isinstance(found, ChainBreak)
    if path[0] == "history" and len(path) > 2:
        assert (found.entry, found.part) == (path[1], f"history[{path[1]}]")
        assert found.invoice == (invoice.number or invoice.id)


@given(invoice=ANY_INVOICE)
def test_law_erasing_the_personal_data_keeps_the_chain_verifying(invoice: Invoice) -> None:
    """Law: a sealed document whose customer's personal data is erased still verifies,
    holds none of it, reads as the invoice with the customer blanked, and is sealed on
    (the store writing the invoice again) without its salt."""
    document = seal_invoice(invoice, salt=SALT)
    erased = erase_personal_data(document)
    assert verify_chain(erased) is None
    assert erased[CHAIN_KEY]["salt"] == ""
    customer = from_dict(erased, Invoice).customer
    assert (customer.name, customer.email, customer.address, customer.vat_id) == (
        ERASED_NAME,
        "",
        None,
        "",
    )
    assert customer.id == invoice.customer.id
    again = seal_invoice(from_dict(erased, Invoice), previous=erased)
    assert again == erased


# -- examples -----------------------------------------------------------------------------


def test_a_seal_carries_on_from_the_stored_past_and_refuses_another_past() -> None:
    """Sealed after a payment from the stored document, the chain keeps the links it had
    and adds one; an invoice whose past differs from the stored one is refused, naming the
    entry; so is one with fewer entries, another invoice's document, and a broken one."""
    first = sent(customer=PERSON)
    stored = seal_invoice(first, salt=SALT)
    paid = _paid(first, "50.00", dt.date(2026, 5, 2))
    carried = seal_invoice(paid, previous=json.dumps(stored))
    links = carried[CHAIN_KEY]["links"]
    assert links[:1] == stored[CHAIN_KEY]["links"]
    assert len(links) == 2
    assert carried[CHAIN_KEY]["salt"] == SALT
    assert verify_chain(carried) is None
    other = _paid(first, "40.00", dt.date(2026, 5, 2))
    with pytest.raises(ChainBrokenError, match=r"history\[1\]") as info:
        seal_invoice(_paid(other, "10.00", dt.date(2026, 5, 3)), previous=carried)
    assert info.value.breach.entry == 1
    with pytest.raises(ChainBrokenError, match="2 entries, this one 1"):
        seal_invoice(first, previous=carried)
    with pytest.raises(InvalidValueError, match="the document of invoice"):
        seal_invoice(sent(number="RE-9", customer=PERSON), previous=stored)
    broken = _json(stored)
    broken["lines"][0]["unit_price"]["amount"] = "1.00"
    with pytest.raises(ChainBrokenError, match=r"RE-2026-0001: history\[0\]"):
        seal_invoice(paid, previous=broken)


def test_a_change_is_named_by_the_entry_that_booked_it() -> None:
    """A payment's amount changed is named by the payment's entry, with the booking; the
    line's price by the sending entry (the invoice as booked); the status by the head."""
    paid = _paid(sent(customer=PERSON), "50.00", dt.date(2026, 5, 2))
    document = _json(seal_invoice(paid, salt=SALT))
    changed = copy.deepcopy(document)
    changed["payments"][0]["amount"]["amount"] = "5.00"
    found = verify_chain(changed)
    assert found == ChainBreak(
        invoice="RE-2026-0001",
        entry=1,
        part="history[1]",
        what="history[1] or what it ties (payments[0]) differs from what was sealed "
        "(or its link changed)",
    )
    assert str(found).startswith("invoice RE-2026-0001: history[1] does not fit its chain")
    changed = copy.deepcopy(document)
    changed["lines"][0]["unit_price"]["amount"] = "1.00"
    found = verify_chain(changed)
    assert found is not None
    assert found.entry == 0
    assert "the invoice as booked" in found.what
    changed = copy.deepcopy(document)
    changed["warns_of_default"] = True
    found = verify_chain(changed)
    assert found is not None
    assert (found.entry, found.part) == (None, "head")


def test_the_chain_covers_the_personal_data_by_their_salted_digest_only() -> None:
    """The chain holds no personal field in clear; the digest is that of the salt and the
    fields; a name changed is found against the digest; personal data written back after
    the erasure is found as such."""
    document = seal_invoice(sent(customer=PERSON), salt=SALT)
    chain_text = json.dumps(document[CHAIN_KEY])
    assert "Mustermann" not in chain_text
    assert "erika" not in chain_text
    assert document[CHAIN_KEY]["personal"] == personal_digest(document["customer"], SALT)
    assert personal_digest(document["customer"], "ff" * 16) != document[CHAIN_KEY]["personal"]
    changed = _json(document)
    changed["customer"]["name"] = "Erika Musterfrau"
    found = verify_chain(changed)
    assert found is not None
    assert found.part == "personal data"
    assert "digest" in found.what
    erased = erase_personal_data(json.dumps(document))
    erased["customer"]["email"] = "erika@example.org"
    found = verify_chain(erased)
    assert found is not None
    assert found.part == "personal data"
    assert "erased" in found.what
    with pytest.raises(ChainBrokenError, match="present although it was erased"):
        seal_invoice(sent(customer=PERSON), previous=erased)
    with pytest.raises(InvalidValueError, match="stays erased"):
        seal_invoice(sent(customer=PERSON), previous=erase_personal_data(document))


def test_entries_added_or_removed_without_sealing_are_named() -> None:
    """An entry appended to the stored history without a link, or links left after entries
    were removed, are named at the first entry without its pair."""
    paid = _paid(sent(customer=PERSON), "50.00", dt.date(2026, 5, 2))
    document = _json(seal_invoice(paid, salt=SALT))
    shorter = copy.deepcopy(document)
    shorter[CHAIN_KEY]["links"].pop()
    found = verify_chain(shorter)
    assert found is not None
    assert found.entry == 1
    assert "added without sealing" in found.what
    longer = copy.deepcopy(document)
    longer[CHAIN_KEY]["links"].append("0" * 64)
    found = verify_chain(longer)
    assert found is not None
    assert found.entry == 2
    assert "entries removed" in found.what


def test_holds_plans_write_offs_and_interest_are_tied_to_their_entries() -> None:
    """Each booking is tied to the entry that booked it: every booking of a generated
    portfolio's invoices is named by exactly one entry's link (a hold's lift and a plan's
    cancellation by the entry that set it)."""
    from dunlib.io import chain

    invoices = [
        sent(),
        _paid(sent(), "119.00", dt.date(2026, 5, 2)),
    ]
    for invoice in invoices:
        document = to_dict(invoice)
        views = chain._views(document, "0" * 64)
        tied = [(name, at) for view in views for name, at, _ in view["bookings"]]
        expected = [(name, at) for name in chain._LISTS for at in range(len(document[name]))]
        assert sorted(tied) == sorted(expected)


@given(invoice=ANY_INVOICE)
def test_law_every_booking_is_tied_to_one_entry_and_ended_by_at_most_one(
    invoice: Invoice,
) -> None:
    """Law: in a generated invoice, every booking (payment, credit note, stage, interest
    charge, write-off, hold, plan, recovery) is tied to exactly one history entry's link;
    a hold lifted or a plan cancelled is named once more, by the entry that ended it."""
    from dunlib.io import chain

    document = to_dict(invoice)
    views = chain._views(document, "0" * 64)
    booked = [
        (name, at)
        for view in views
        for name, at, item in view["bookings"]
        if not (isinstance(item, dict) and set(item) <= {"lifted_on", "cancelled_on"})
    ]
    expected = [(name, at) for name in chain._LISTS for at in range(len(document[name]))]
    assert sorted(booked) == sorted(expected)


def test_a_chain_of_the_wrong_shape_or_none_is_named() -> None:
    """No chain, or one with other keys, a salt, count or hash of the wrong form, or values
    no JSON holds: each named as the chain, never an error."""
    document = seal_invoice(sent(), salt=SALT)
    plain = to_dict(sent())
    found = verify_chain(plain)
    assert found is not None
    assert found.part == "chain"
    assert "never sealed" in found.what
    assert found.invoice == "RE-2026-0001"
    cases: list[tuple[str, Any, str]] = [
        ("extra", 1, "nothing else"),
        ("salt", "XYZ", "salt"),
        ("migrated", -1, "migrated"),
        ("migrated", True, "migrated"),
        ("head", "abc", "64"),
        ("links", "abc", "64"),
    ]
    for key, value, message in cases:
        changed = _json(document)
        changed[CHAIN_KEY][key] = value
        found = verify_chain(changed)
        assert found is not None, key
        assert (found.part, message in found.what) == ("chain", True), key
    odd = {**document, "lines": [object()]}
    found = verify_chain(odd)
    assert found is not None
    assert "JSON values" in found.what
    nameless = {**document, "number": "", "id": 7, "customer": None}
    found = verify_chain(nameless)
    assert found is not None
    assert found.invoice == "7"


def test_what_is_no_document_or_no_invoice_is_refused_with_typed_errors() -> None:
    """Typed errors naming the argument."""
    with pytest.raises(InvalidTypeError, match=r"verify_chain\.document"):
        verify_chain(7)  # type: ignore[arg-type]
    with pytest.raises(DocumentError, match="not valid JSON"):
        verify_chain("{")
    with pytest.raises(InvalidTypeError, match=r"seal_invoice\.invoice"):
        seal_invoice(ACME, salt=SALT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"seal_invoice\.migration"):
        seal_invoice(sent(), salt=SALT, migration=1)  # type: ignore[arg-type]
    for salt in (None, "", "abc", SALT.upper(), 7):
        with pytest.raises(InvalidValueError, match=r"seal_invoice\.salt"):
            seal_invoice(sent(), salt=salt)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="its salt is kept"):
        seal_invoice(sent(), salt=SALT, previous=seal_invoice(sent(), salt=SALT))
    deep: Any = []
    for _ in range(5000):
        deep = [deep]
    found = verify_chain({**seal_invoice(sent(), salt=SALT), "lines": deep})
    assert found is not None
    assert found.part == "chain"
    with pytest.raises(InvalidTypeError, match=r"personal_digest\.customer"):
        personal_digest([], SALT)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match=r"personal_digest\.salt"):
        personal_digest({}, "")
    with pytest.raises(InvalidValueError, match=r"erase_personal_data\.document"):
        erase_personal_data({"id": "x"})
    erased = erase_personal_data(to_dict(sent(customer=PERSON)))  # unsealed: only blanked
    assert (erased["customer"]["name"], CHAIN_KEY in erased) == (ERASED_NAME, False)


def test_a_migration_seal_records_how_many_entries_it_chained_at_once() -> None:
    """Sealed by a migration, the chain counts the entries the invoice had then (0 when
    sealed as written); the count is covered by the chain from its start."""
    paid = _paid(sent(), "50.00", dt.date(2026, 5, 2))
    late = seal_invoice(paid, salt=SALT, migration=True)
    assert late[CHAIN_KEY]["migrated"] == 2
    assert verify_chain(late) is None
    assert seal_invoice(paid, salt=SALT)[CHAIN_KEY]["migrated"] == 0
    changed = _json(late)
    changed[CHAIN_KEY]["migrated"] = 0
    found = verify_chain(changed)
    assert found is not None
    assert found.entry == 0


def test_version_3_documents_read_as_they_are_and_a_chain_is_read_past() -> None:
    """Version 4 adds the chain: a version-3 document has none and is not changed by the
    upgrade; a sealed document reads through the quick paths and the general path alike,
    and a chain on another class's document is an unknown field."""
    invoice = sent(customer=PERSON)
    document = to_dict(invoice)
    document["schema_version"] = 3
    assert UPGRADES[3] is upgrade_history_chain
    assert upgrade_history_chain(document, Invoice) == document
    assert from_dict(document, Invoice) == invoice
    sealed = seal_invoice(invoice, salt=SALT)
    with quick.plain():
        assert from_dict(sealed, Invoice) == invoice
        assert from_json(json.dumps(sealed), Invoice) == invoice
    old = {**sealed, "schema_version": 3}
    with pytest.raises(DocumentError, match="chain: unknown field"):
        from_dict(old, Invoice)
    with pytest.raises(InvalidTypeError, match=r"upgrade_history_chain\.body"):
        upgrade_history_chain([], Invoice)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"upgrade_history_chain\.cls"):
        upgrade_history_chain({}, int)


def test_a_lifted_hold_and_a_cancelled_plan_are_covered_where_they_ended() -> None:
    """A hold's lift day is covered by the lift's entry (not the placing one, sealed before
    it was lifted), and so is a plan's cancellation: sealing on after each keeps the past."""
    day = dt.date(2026, 5, 12)
    held = place_hold(sent(), Hold.dispute(on=day, reason="contested"), actor=ANN, authority=TWO)
    stored = seal_invoice(held, salt=SALT)
    lifted = lift_hold(held, HoldKind.DISPUTE, on=day, actor=ANN, reason="settled", authority=TWO)
    carried = seal_invoice(lifted, previous=stored)
    assert verify_chain(carried) is None
    changed = _json(carried)
    changed["holds"][0]["lifted_on"] = "2026-05-13"
    found = verify_chain(changed)
    assert found is not None
    assert found.entry == 2  # the lift's entry: the day it lifted the hold differs
    plan = InstalmentPlan.monthly(held.open_amount, on=day, first_due=day, count=2)
    planned = agree_plan(sent(), plan, actor=ANN, authority=TWO)
    stored = seal_invoice(planned, salt=SALT)
    cancelled = cancel_plan(planned, on=day, actor=ANN, authority=TWO, reason="x")
    carried = seal_invoice(cancelled, previous=stored)
    assert verify_chain(carried) is None
    changed = _json(carried)
    changed["instalment_plans"][0]["cancelled_on"] = "2026-05-13"
    found = verify_chain(changed)
    assert found is not None
    assert found.entry == 2  # the cancellation's entry


def test_interest_claimed_with_a_notice_is_tied_to_the_notice() -> None:
    """A stage whose entry claims interest ties the interest charge of its day; an entry of
    a kind that books one booking when none is dated on its day ties none."""
    from dunlib.io import chain

    entry = {
        "on": "2026-06-01",
        "kind": "STAGE_ISSUED",
        "detail": "…, fee 5.00 EUR, interest 1.20 EUR",
    }
    charge = {"on": "2026-06-01", "amount": {"amount": "1.20", "currency": "EUR"}}
    stage = {"on": "2026-06-01", "level": 1}
    paid = {"on": "2026-06-02", "kind": "PAYMENT", "detail": ""}
    document = {
        "history": [entry, paid],
        "interest_charges": [charge],
        "issued_stages": [stage],
        "payments": [],
    }
    views = chain._views(document, "0" * 64)
    assert views[0]["bookings"] == [["issued_stages", 0, stage], ["interest_charges", 0, charge]]
    assert views[1]["bookings"] == []
