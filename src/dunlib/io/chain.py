"""The audit chain of a stored invoice: each history entry's link, a SHA-256 hash chained
to the one before, so that a change to the invoice's past is found (GoBD's "Unveränderbarkeit"
asks that a change to a booked record stays recognisable).

The chain is a property of the stored *document*, not of the invoice value: :func:`seal_invoice`
writes an invoice's document (:func:`dunlib.io.to_dict`) with the chain under the key
:data:`CHAIN_KEY`, and :func:`verify_chain` recomputes it from a stored document and names the
first part that does not fit. Reading a document (:func:`dunlib.io.from_json`) leaves the chain
out; only :func:`verify_chain` checks it.

What the chain covers, hash by hash (each over the canonical JSON of what it names: keys
sorted, no spaces, ASCII; and the hash before it):

* the *identity* (the start of the chain): the invoice's id, currency and customer id, and how
  many entries a migration chained at once (:data:`Chain.migrated`);
* *link i*: history entry ``i`` (day, kind, states, actor, detail) and the bookings it ties to,
  each with every field: the payment, credit note, dunning stage, interest charge, recovery,
  hold or instalment plan it booked (the next one of its kind dated on its day), the
  write-offs dated on its day of a write-off, cancellation or booking by hand, the day a hold
  or a plan was lifted or cancelled for the entry that did so; and for the entry that books
  the invoice (sent, or booked by hand) the invoice as booked: number, issue and due date,
  terms, lines, delivery, channel, the invoice it cancels, and the customer's fields with the
  personal ones replaced by their salted digest;
* the *head*: the whole document as it stands (every field, the customer's personal fields
  again by their digest), chained to the last link; it is written afresh on every write, so
  it covers what may still change (a draft's lines, the state, a pause).

The customer's personal fields (:data:`PERSONAL_FIELDS`: name, e-mail address, address, VAT id)
are covered only through ``sha256(salt + their canonical JSON)``, the salt a random value kept
beside the chain. :func:`erase_personal_data` blanks those fields and removes the salt on request
(GDPR Art. 17): the chain still verifies, and without the salt the digest can no longer be
tried against guessed names. The chain does not make free texts erasable: a payment's
reference, a history entry's detail, a hold's reason and the lines' descriptions are covered
as they are, so keep personal data out of them.

A hash chain shows that nothing changed since it was written; it cannot stop whoever rewrites
the whole chain with the change. Keep the head digests somewhere else as well (a daily export,
a printed journal) when that must be shown too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

import attrs

from dunlib.core.errors import DunlibError, InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.status import Status
from dunlib.io.schema import CHAIN_KEY
from dunlib.io.serialize import _parse_json, to_dict

__all__ = [
    "CHAIN_KEY",
    "ERASED_NAME",
    "PERSONAL_FIELDS",
    "ChainBreak",
    "ChainBrokenError",
    "erase_personal_data",
    "personal_digest",
    "seal_invoice",
    "verify_chain",
]

PERSONAL_FIELDS = ("name", "email", "address", "vat_id")
"""The fields of an invoice's customer that are personal data: covered by the chain only
through their salted digest, and blanked by :func:`erase_personal_data`."""

ERASED_NAME = "[erased]"
"""The name an erased customer is left with (a customer must have a name)."""

_ERASED: dict[str, Any] = {"name": ERASED_NAME, "email": "", "address": None, "vat_id": ""}
"""The personal fields of an erased customer, as a document holds them."""

_HEX64 = re.compile(r"[0-9a-f]{64}")
_SALT = re.compile(r"(?:[0-9a-f]{2}){16,64}")

_WRITTEN_OFF_BY = frozenset({"WRITE_OFF", "BOOKED_BY_HAND"})
_ONE_OF = {
    "PAYMENT": "payments",
    "CREDIT_NOTE": "credit_notes",
    "STAGE_ISSUED": "issued_stages",
    "INTEREST": "interest_charges",
    "RECOVERY": "recoveries",
    "HOLD_PLACED": "holds",
    "PLAN_AGREED": "instalment_plans",
    "PAYMENT_REVERSED": "reversals",
    "FEE_WAIVED": "fee_waivers",
}
"""The kind of entry that books one booking, and the list of the booking it books."""

_LATER = {"holds": "lifted_on", "instalment_plans": "cancelled_on"}
"""The field of a booking that a later entry sets (a hold lifted, a plan cancelled): left out
of the link of the entry that booked it, covered by the link of the entry that set it."""

_LISTS = ("write_offs", *_ONE_OF.values())

_AS_BOOKED = (
    "number",
    "issue_date",
    "due_date",
    "terms",
    "lines",
    "delivery",
    "channel",
    "cancels",
)
"""The invoice's fields fixed once it is booked (covered by the link of the entry booking it)."""

_UNBOOKED = frozenset(status.name for status in Status if not status.is_booked)


class ChainBrokenError(DunlibError):
    """A stored invoice's chain does not fit: its past changed since it was sealed, or a
    change would change it. ``breach`` names where (:class:`ChainBreak`)."""

    def __init__(self, breach: ChainBreak) -> None:
        self.breach = breach
        super().__init__(str(breach))


@attrs.frozen(kw_only=True)
class ChainBreak:
    """Where a stored invoice's chain does not fit (:func:`verify_chain`).

    ``invoice`` is the invoice's number (its id while it has none), ``entry`` the index of
    the first history entry whose link does not fit (None: the part is not one entry's:
    the identity, the personal data, the current state or the chain itself), ``part`` what
    that is (``"history[2]"``, ``"identity"``, ``"personal data"``, ``"head"``, ``"chain"``)
    and ``what`` what differs, in words."""

    invoice: str
    entry: int | None
    part: str
    what: str

    def __str__(self) -> str:
        return f"invoice {self.invoice}: {self.part} does not fit its chain: {self.what}"


# -- the hashes -------------------------------------------------------------------------


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _hash(before: str, tag: str, value: Any) -> str:
    digest = hashlib.sha256(f"dunlib-chain-1 {tag} {before}\n".encode())
    digest.update(_canonical(value))
    return digest.hexdigest()


def _personal(customer: Mapping[str, Any]) -> dict[str, Any]:
    return {name: customer.get(name) for name in PERSONAL_FIELDS}


def personal_digest(customer: Mapping[str, Any], salt: str) -> str:
    """The digest the chain covers a customer's personal data by: SHA-256 of the ``salt``'s
    bytes and the canonical JSON of the personal fields (:data:`PERSONAL_FIELDS`) of the
    customer's document ``customer`` (as :func:`dunlib.io.to_dict` writes it)."""
    if not isinstance(customer, Mapping):
        raise InvalidTypeError("personal_digest.customer", customer, "a customer's document")
    if not isinstance(salt, str) or not _SALT.fullmatch(salt):
        raise InvalidValueError(
            "personal_digest.salt", salt, "16 to 64 random bytes as lower-case hex"
        )
    digest = hashlib.sha256(bytes.fromhex(salt))
    digest.update(_canonical(_personal(customer)))
    return digest.hexdigest()


def _customer_view(customer: Any, personal: str) -> Any:
    if not isinstance(customer, Mapping):
        return customer
    view = {key: value for key, value in customer.items() if key not in PERSONAL_FIELDS}
    view["personal"] = personal
    return view


def _identity(document: Mapping[str, Any], migrated: int) -> dict[str, Any]:
    customer = document.get("customer")
    return {
        "id": document.get("id"),
        "currency": document.get("currency"),
        "customer": customer.get("id") if isinstance(customer, Mapping) else customer,
        "migrated": migrated,
    }


def _list(document: Mapping[str, Any], name: str) -> list[Any]:
    items = document.get(name)
    return list(items) if isinstance(items, list | tuple) else []


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else None


def _as_booked(item: Any, name: str) -> Any:
    later = _LATER.get(name)
    if later is None or not isinstance(item, Mapping):
        return item
    return {key: value for key, value in item.items() if key != later}


def _tied(
    kind: Any, entry: Any, lists: dict[str, list[Any]], taken: dict[str, int]
) -> list[list[Any]]:
    """The bookings entry ``entry`` of kind ``kind`` ties to, as ``[list, index, booking]``,
    taking them from ``lists`` after those ``taken`` before (see the module docs)."""
    day, tied = _field(entry, "on"), []
    names: list[str] = []
    if kind in _ONE_OF:
        names.append(_ONE_OF[kind])
        detail = _field(entry, "detail")
        if kind == "STAGE_ISSUED" and isinstance(detail, str) and ", interest " in detail:
            names.append("interest_charges")
    cancels = kind == "TRANSITION" and _field(entry, "to_status") == "CANCELLED"
    for name in names:
        at = taken[name]
        if at < len(lists[name]) and _field(lists[name][at], "on") == day:
            tied.append([name, at, _as_booked(lists[name][at], name)])
            taken[name] = at + 1
    if kind in _WRITTEN_OFF_BY or cancels:
        items, at = lists["write_offs"], taken["write_offs"]
        while at < len(items) and _field(items[at], "on") == day:
            tied.append(["write_offs", at, items[at]])
            at += 1
        taken["write_offs"] = at
    ended = _ENDED_BY.get(kind)
    if ended is not None:
        later = _LATER[ended]
        tied.extend(
            [ended, at, {later: day}]
            for at, item in enumerate(lists[ended][: taken[ended]])
            if _field(item, later) == day
        )
    return tied


_ENDED_BY = {"HOLD_LIFTED": "holds", "PLAN_CANCELLED": "instalment_plans"}
"""The kind of entry that ends a booking (lifts a hold, cancels a plan), and its list."""


def _books(entry: Any) -> bool:
    """Whether ``entry`` books the invoice: sends a draft, or books it by hand."""
    kind = _field(entry, "kind")
    return kind == "BOOKED_BY_HAND" or (
        kind == "TRANSITION"
        and _field(entry, "to_status") == "SENT"
        and _field(entry, "from_status") in _UNBOOKED
    )


def _views(document: Mapping[str, Any], personal: str) -> list[dict[str, Any]]:
    """What each link covers: the entry, the bookings it ties to, and, for the entry that
    books the invoice, the invoice as booked (see the module docs)."""
    lists = {name: _list(document, name) for name in _LISTS}
    taken = dict.fromkeys(_LISTS, 0)
    views = []
    for index, entry in enumerate(_list(document, "history")):
        tied = _tied(_field(entry, "kind"), entry, lists, taken)
        view: dict[str, Any] = {"index": index, "entry": entry, "bookings": tied}
        if _books(entry):
            booked = {name: document.get(name) for name in _AS_BOOKED}
            booked["customer"] = _customer_view(document.get("customer"), personal)
            view["booked"] = booked
        views.append(view)
    return views


def _links(
    document: Mapping[str, Any], personal: str, migrated: int
) -> tuple[list[dict[str, Any]], list[str], str]:
    """What each link covers, the links of ``document``'s entries, and its head."""
    views = _views(document, personal)
    links, before = [], _hash("", "identity", _identity(document, migrated))
    for view in views:
        before = _hash(before, "entry", view)
        links.append(before)
    return views, links, _head(document, personal, before)


def _head(document: Mapping[str, Any], personal: str, last: str) -> str:
    view = {key: value for key, value in document.items() if key != CHAIN_KEY}
    view["customer"] = _customer_view(document.get("customer"), personal)
    return _hash(last, "head", view)


# -- sealing, verifying, erasing ---------------------------------------------------------


def _document(value: Any, where: str) -> dict[str, Any]:
    """A stored document given as a mapping or as JSON text, as a dict."""
    if isinstance(value, str | bytes):
        value = _parse_json(value, "Invoice")
    if not isinstance(value, Mapping):
        raise InvalidTypeError(
            where, value, "an invoice's stored document (a mapping or JSON text)"
        )
    return dict(value)


def _known_as(document: Mapping[str, Any]) -> str:
    number, key = document.get("number"), document.get("id")
    if isinstance(number, str) and number:
        return number
    return key if isinstance(key, str) else repr(key)[:60]


_Fields = tuple[str, str, int, list[str], str]
"""A chain's salt, personal digest, migrated count, links and head."""


def _chain_fields(document: Mapping[str, Any]) -> _Fields | str:
    """The chain's salt, personal digest, migrated count, links and head; or what is wrong
    with its shape."""
    chain = document.get(CHAIN_KEY)
    if not isinstance(chain, Mapping):
        return f"the document carries no chain (no {CHAIN_KEY!r}): it was never sealed"
    salt, personal = chain.get("salt"), chain.get("personal")
    migrated, links, head = chain.get("migrated"), chain.get("links"), chain.get("head")
    if set(chain) != {"salt", "personal", "migrated", "links", "head"}:
        return "a chain of salt, personal, migrated, links and head, nothing else"
    if not isinstance(salt, str) or not (salt == "" or _SALT.fullmatch(salt)):
        return "a salt of lower-case hex, or empty once erased"
    if not isinstance(migrated, int) or isinstance(migrated, bool) or migrated < 0:
        return "migrated: a whole number of entries from 0"
    hashes = [personal, head, *(links if isinstance(links, list) else [None])]
    if not all(isinstance(h, str) and _HEX64.fullmatch(h) for h in hashes):
        return "hashes of 64 lower-case hex digits (personal, head and each link)"
    return salt, str(personal), migrated, list(links or []), str(head)


def _verified(found: Mapping[str, Any]) -> ChainBreak | _Fields:
    """The first part of ``found`` that does not fit its chain, or the chain's fields."""
    known = _known_as(found)
    fields = _chain_fields(found)
    if isinstance(fields, str):
        return ChainBreak(invoice=known, entry=None, part="chain", what=fields)
    salt, personal, migrated, stored, head = fields
    try:
        views, links, end = _links(found, personal, migrated)
    except (TypeError, ValueError, RecursionError):  # no JSON document: no stored one
        what = "a document of JSON values only"
        return ChainBreak(invoice=known, entry=None, part="chain", what=what)
    for index, (link, kept) in enumerate(zip(links, stored, strict=False)):
        if link != kept:
            tied = ", ".join(f"{name}[{at}]" for name, at, _ in views[index]["bookings"])
            parts = [f"history[{index}]"]
            parts += [f"what it ties ({tied})"] if tied else []
            parts += ["the invoice as booked"] if "booked" in views[index] else []
            what = f"{' or '.join(parts)} differs from what was sealed (or its link changed)"
            return ChainBreak(invoice=known, entry=index, part=f"history[{index}]", what=what)
    if len(links) != len(stored):
        index = min(len(links), len(stored))
        how = "an entry added without sealing" if len(links) > index else "entries removed"
        what = f"the history has {len(links)} entries, the chain {len(stored)} links: {how}"
        return ChainBreak(invoice=known, entry=index, part=f"history[{index}]", what=what)
    customer = found.get("customer")
    customer = customer if isinstance(customer, Mapping) else {}
    if salt and personal_digest(customer, salt) != personal:
        what = "the customer's name, e-mail, address or VAT id differ from their sealed digest"
        return ChainBreak(invoice=known, entry=None, part="personal data", what=what)
    if not salt and _personal(customer) != _ERASED:
        what = "personal data is present although it was erased (the salt is gone)"
        return ChainBreak(invoice=known, entry=None, part="personal data", what=what)
    if end != head:
        what = "the document as it stands (its state, a pause, a draft's fields) differs"
        return ChainBreak(invoice=known, entry=None, part="head", what=what)
    return fields


def verify_chain(document: Mapping[str, Any] | str | bytes) -> ChainBreak | None:
    """The first part of a stored invoice's document that does not fit its chain, None when
    every part fits: the chain's shape, each history entry in order from the identity (with
    the bookings it ties to), the customer's personal data against their digest (or, once
    erased, that none is left), and the head (the document as it stands).

    ``document`` is the stored document as a mapping or as its JSON text. A document changed
    in any way, even into one that is no valid invoice, gets an answer naming the part that
    does not fit; only what is no JSON object at all is refused
    (:class:`~dunlib.core.errors.DocumentError`, :class:`~dunlib.core.errors.InvalidTypeError`)."""
    found = _verified(_document(document, "verify_chain.document"))
    return found if isinstance(found, ChainBreak) else None


def seal_invoice(
    invoice: Invoice,
    *,
    salt: str | None = None,
    previous: Mapping[str, Any] | str | bytes | None = None,
    migration: bool = False,
) -> dict[str, Any]:
    """``invoice``'s document (:func:`dunlib.io.to_dict`) with its chain (see the module docs).

    The first time, give ``salt`` (16 to 64 random bytes as lower-case hex, such as
    ``secrets.token_hex(16)``: dunlib reads no randomness itself). After that, give the
    stored document as ``previous`` instead: its salt and start are kept, it must verify
    (:func:`verify_chain`), and the invoice must keep its past: every link of ``previous``
    comes out the same, else :class:`ChainBrokenError` names the first entry that differs.
    ``migration``: the invoice is chained late, by a migration; the chain records how many
    entries it had then (their links show only that nothing changed since)."""
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError("seal_invoice.invoice", invoice, "an Invoice")
    if not isinstance(migration, bool):
        raise InvalidTypeError("seal_invoice.migration", migration, "a bool")
    document = to_dict(invoice)
    customer = document["customer"]
    kept: list[str] = []
    if previous is None:
        if not isinstance(salt, str) or not _SALT.fullmatch(salt):
            raise InvalidValueError(
                "seal_invoice.salt", salt, "16 to 64 random bytes as lower-case hex (first seal)"
            )
        personal = personal_digest(customer, salt)
        migrated = len(invoice.history) if migration else 0
    elif salt is not None:
        raise InvalidValueError(
            "seal_invoice.salt", salt, "None when the stored document is given: its salt is kept"
        )
    else:
        old = _document(previous, "seal_invoice.previous")
        fields = _verified(old)
        if isinstance(fields, ChainBreak):
            raise ChainBrokenError(fields)
        salt, personal, migrated, kept, _ = fields
        if old.get("id") != invoice.id:
            raise InvalidValueError(
                "seal_invoice.previous", old.get("id"), f"the document of invoice {invoice.id}"
            )
        if salt:
            personal = personal_digest(customer, salt)
        elif _personal(customer) != _ERASED:
            raise InvalidValueError(
                "seal_invoice.invoice",
                invoice.known_as,
                "an invoice whose customer's personal data stays erased, as stored",
            )
    _, links, head = _links(document, personal, migrated)
    for index, (link, old_link) in enumerate(zip(links, kept, strict=False)):
        if link != old_link:
            what = f"history[{index}] or what it ties differs from the stored invoice's"
            breach = ChainBreak(
                invoice=invoice.known_as, entry=index, part=f"history[{index}]", what=what
            )
            raise ChainBrokenError(breach)
    if len(links) < len(kept):
        what = f"the stored invoice has {len(kept)} entries, this one {len(links)}"
        breach = ChainBreak(invoice=invoice.known_as, entry=len(links), part="history", what=what)
        raise ChainBrokenError(breach)
    document[CHAIN_KEY] = {
        "salt": salt,
        "personal": personal,
        "migrated": migrated,
        "links": links,
        "head": head,
    }
    return document


def erase_personal_data(document: Mapping[str, Any] | str | bytes) -> dict[str, Any]:
    """The stored invoice ``document`` with its customer's personal data erased (GDPR
    Art. 17): name, e-mail address, address and VAT id blanked (:data:`ERASED_NAME`) and the
    chain's salt removed. Nothing the chain hashes changes, so a document that verified
    still verifies (:func:`verify_chain`); the customer's id, locale and other settings
    stay."""
    found = _document(document, "erase_personal_data.document")
    customer = found.get("customer")
    if not isinstance(customer, Mapping):
        raise InvalidValueError(
            "erase_personal_data.document",
            _known_as(found),
            "an invoice's document with a customer",
        )
    found["customer"] = {**customer, **_ERASED}
    chain = found.get(CHAIN_KEY)
    if isinstance(chain, Mapping):
        found[CHAIN_KEY] = {**chain, "salt": ""}
    return found
