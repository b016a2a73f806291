"""Documents derived from an invoice: credit notes, cancellation, delivery notes, new invoices.

Each may be made only from the states the source document gives (:data:`ALLOWED_FROM`,
kept next to the workflow table as :data:`dunlib.core.transitions.DERIVED_FROM` and, for the
cancellation, the table's CANCEL row):

- credit notes from 1 CREATED on, but not in 6 or 7 and never from a cancelling invoice;
  applied to a booked invoice they reduce its open amount and settle it at zero;
- cancellation only from 3 SENT and 5 DUNNED, and only while nothing is paid or credited
  (with payments, credit the invoice instead): a cancelling invoice with the lines negated
  is booked under the next number and settled by matching (straight to 4 PAID), and the
  original goes to 6 CANCELLED; elsewhere the booking path refuses it like any step the
  table has no row for (:class:`~dunlib.core.errors.TransitionNotAllowedError`);
- delivery notes and new invoices from 2 REVIEWED on, in every later state (in 6 and 7
  they are the only documents left).

All lines or a selection (line indices from 0) are taken; amounts of a selection are
computed like an invoice's (tax per rate, rounded half-up once per rate). A credit note
may instead be for an agreed ``amount`` (a price reduction, gross): the amount is split
over the invoice's tax rates in proportion to each rate's gross (largest remainder, so
the shares add up to the amount exactly), and each share holds the tax it contains,
``share x rate / (100 + rate)`` rounded half-up once per rate; the note has one line per
rate holding the share's net (the share less that tax).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType

import attrs

from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import (
    DocumentNotAllowedError,
    InvalidTypeError,
    InvalidValueError,
    PolicyViolationError,
)
from dunlib.core.history import EventKind
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money, minor_unit
from dunlib.core.numbering import NumberSequence
from dunlib.core.records import CreditNote, Customer, LineItem, TaxCategory, WriteOff
from dunlib.core.status import Status
from dunlib.core.templates import format_amount, written_in
from dunlib.core.transitions import AUTOMATION, DERIVED_FROM, Command, DocumentKind, sources
from dunlib.workflow import booking as _booking
from dunlib.workflow.drafts import create_draft
from dunlib.workflow.policy import (
    Actor,
    Authority,
    PolicyRule,
    actor_id,
    checked_actor,
)

__all__ = [
    "ALLOWED_FROM",
    "Cancellation",
    "Credited",
    "DeliveryNote",
    "DocumentKind",
    "allowed_documents",
    "cancel",
    "credit",
    "credit_note_tax",
    "derive_credit_note",
    "derive_delivery_note",
    "derive_invoice",
    "record_credit_note",
    "write_off",
]


ALLOWED_FROM: Mapping[DocumentKind, frozenset[Status]] = MappingProxyType(
    {**DERIVED_FROM, DocumentKind.CANCELLATION: sources(Command.CANCEL)}
)
"""The states each document may be made from: the derived ones'
(:data:`~dunlib.core.transitions.DERIVED_FROM`) and the cancellation's, the table's CANCEL row."""

_NOT_FROM_CANCELLING = frozenset({DocumentKind.CREDIT_NOTE, DocumentKind.CANCELLATION})


def allowed_documents(invoice: Invoice) -> frozenset[DocumentKind]:
    """The documents that may be derived from ``invoice`` in its current state."""
    checked_invoice(invoice, "allowed_documents")
    return frozenset(
        kind
        for kind, states in ALLOWED_FROM.items()
        if invoice.status in states and not (invoice.cancels and kind in _NOT_FROM_CANCELLING)
    )


def _require(kind: DocumentKind, invoice: Invoice) -> None:
    """Refuse deriving ``kind`` from ``invoice`` where it is not allowed. A cancellation in
    a state without a CANCEL row is left to the booking path, which refuses it as it
    refuses that step from every function."""
    if not isinstance(invoice, Invoice):
        raise InvalidTypeError(f"{kind.value}.invoice", invoice, "an Invoice")
    if kind in allowed_documents(invoice):
        return
    if kind is DocumentKind.CANCELLATION and invoice.status not in ALLOWED_FROM[kind]:
        return
    states = [] if invoice.cancels and kind in _NOT_FROM_CANCELLING else ALLOWED_FROM[kind]
    raise DocumentNotAllowedError(
        document=kind.value,
        invoice=invoice.id,
        number=invoice.number,
        status=invoice.status,
        allowed=[f"{s.value} {s.name}" for s in sorted(states)],
    )


def _selected(
    invoice: Invoice, selection: Sequence[int] | None, field: str
) -> tuple[LineItem, ...]:
    if selection is None:
        if not invoice.lines:
            raise InvalidValueError(field, selection, "an invoice with lines to take")
        return invoice.lines
    if isinstance(selection, str | bytes) or not isinstance(selection, Iterable):
        raise InvalidTypeError(field, selection, "a sequence of line indices (ints), or None")
    indices = tuple(selection)
    for index in indices:
        if isinstance(index, bool) or not isinstance(index, int):
            raise InvalidTypeError(field, index, "line indices (ints)")
        if not 0 <= index < len(invoice.lines):
            raise InvalidValueError(
                field,
                index,
                f"a line index from 0 to {len(invoice.lines) - 1} of invoice {invoice.known_as}",
            )
    if not indices or len(set(indices)) != len(indices):
        raise InvalidValueError(field, selection, "distinct line indices, at least one")
    return tuple(invoice.lines[index] for index in sorted(indices))


def _as_invoice(invoice: Invoice, lines: tuple[LineItem, ...]) -> Invoice:
    """``lines`` as an invoice of ``invoice``'s customer and currency (its amounts computed
    as an invoice's: tax per rate, rounded once per rate)."""
    return Invoice(
        id=invoice.id,
        customer=invoice.customer,
        currency=invoice.currency,
        issue_date=invoice.issue_date,
        lines=lines,
    )


def _gross(invoice: Invoice, lines: tuple[LineItem, ...]) -> Money:
    """The gross amount of ``lines`` computed as an invoice's (tax per rate)."""
    return _as_invoice(invoice, lines).gross


def _half_up(value: Fraction, places: int) -> Decimal:
    """``value`` (zero or more) rounded half-up to ``places`` decimal places, exactly."""
    whole = int(value * 10**places + Fraction(1, 2))
    return Decimal(whole).scaleb(-places)


_WORDS = {
    "de": {
        "share": "Preisnachlass von {share} brutto zu {rate} % USt.",
        "reduction": "Preisnachlass zu Rechnung {name}",
        "credit": "Gutschrift zu Rechnung {name}",
    },
    "en": {
        "share": "price reduction of {share} gross at {rate} % tax",
        "reduction": "price reduction for invoice {name}",
        "credit": "credit for invoice {name}",
    },
}
"""The words of a credit note dunlib writes (its lines for an agreed amount, its reason
when none is given), in the customer's language: German, else English (:func:`_words`)."""


def _words(customer: Customer) -> dict[str, str]:
    """The credit note's words for ``customer``: German for a German-speaking one, else
    English."""
    return _WORDS[written_in(customer.locale)]


def _shares(invoice: Invoice, amount: Money, field: str) -> list[tuple[LineItem, Money]]:
    """The lines of a credit note for ``amount`` off ``invoice`` (see the module docs), each
    with the tax its share holds: one per tax rate whose gross is above zero, holding the
    net of its share of ``amount``, in the category of the invoice's lines at that rate
    where they have one category."""
    if not isinstance(amount, Money):
        raise InvalidTypeError(field, amount, "a Money (the agreed amount, gross)")
    gross = invoice.gross
    if amount.currency != invoice.currency or not amount.is_positive or amount > gross:
        raise InvalidValueError(
            field,
            amount,
            f"an amount in {invoice.currency} above zero and at most the gross {gross} of "
            f"invoice {invoice.known_as}",
        )
    nets: dict[Decimal, Money] = {}
    categories: dict[Decimal, set[TaxCategory | None]] = {}
    for line in invoice.lines:
        nets[line.tax_rate] = nets.get(line.tax_rate, Money.zero(invoice.currency)) + line.net
        categories.setdefault(line.tax_rate, set()).add(line.tax_category)
    rates = [(rate, nets[rate] + tax) for rate, tax in invoice.tax_by_rate]
    shares = amount.allocate([max(each.amount, Decimal(0)) for _, each in rates])
    places = minor_unit(invoice.currency)
    lines = []
    for (rate, _), share in zip(rates, shares, strict=True):
        if not share.is_positive:
            continue
        ratio = Fraction(rate) / (100 + Fraction(rate))
        tax = _half_up(Fraction(share.amount) * ratio, places)
        found = categories[rate]
        words = _words(invoice.customer)
        line = LineItem(
            description=words["share"].format(
                share=format_amount(share, invoice.customer.locale), rate=rate
            ),
            quantity=1,
            unit_price=Money(share.amount - tax, invoice.currency),
            tax_rate=rate,
            tax_category=next(iter(found)) if len(found) == 1 else None,
        )
        lines.append((line, Money(tax, invoice.currency)))
    return lines


def _reduction(invoice: Invoice, amount: Money, field: str) -> tuple[LineItem, ...]:
    """The lines of a credit note for ``amount`` off ``invoice`` (see :func:`_shares`)."""
    return tuple(line for line, _ in _shares(invoice, amount, field))


def _figures(line: LineItem) -> tuple[object, ...]:
    """What of a line makes its amounts (not its words, which change with the language)."""
    return (line.quantity, line.unit_price, line.tax_rate, line.tax_category)


def credit_note_tax(invoice: Invoice, note: CreditNote) -> tuple[tuple[Decimal, Money], ...]:
    """The VAT credit ``note`` takes back off ``invoice``, per tax rate (ascending), so that
    the nets of its lines and this tax make up its amount exactly.

    For a price reduction (a note whose lines are those :func:`derive_credit_note` splits
    its amount into) each share's tax, taken out of the share as the split took it; for a
    note of lines, their tax computed as an invoice's, rounded once per rate. A note without
    lines has none (an empty tuple). The two may differ by a cent from each other's way
    of rounding, within what EN 16931 allows (BR-CO-17: one unit either way)."""
    checked_invoice(invoice, "credit_note_tax")
    if not isinstance(note, CreditNote):
        raise InvalidTypeError("credit_note_tax.note", note, "a CreditNote")
    if not note.lines:
        return ()
    try:
        shares = _shares(invoice, note.amount, "credit_note_tax.note.amount")
    except InvalidValueError:
        shares = []
    if [_figures(line) for line, _ in shares] == list(map(_figures, note.lines)):
        return tuple(sorted((line.tax_rate, tax) for line, tax in shares))
    return _as_invoice(invoice, note.lines).tax_by_rate


def derive_credit_note(
    invoice: Invoice,
    *,
    id: str,
    on: _dt.date,
    actor: Actor | str,
    selection: Sequence[int] | None = None,
    amount: Money | None = None,
    reason: str = "",
) -> CreditNote:
    """A credit note for all lines of ``invoice`` or the selected ones (from 1 CREATED on),
    or for an agreed ``amount`` (a price reduction, gross), drafted by ``actor`` (an
    :class:`~dunlib.workflow.policy.Actor` or its id).

    For lines its amount is the gross of those lines; it must be above zero. For an
    ``amount`` (in the invoice's currency, above zero, at most its gross; not together with
    a ``selection``) the note's amount is exactly ``amount``, split over the invoice's tax
    rates as the module docs say, one line per rate. Deriving changes nothing:
    :func:`record_credit_note` books it, on the note's date ``on`` (the day it takes effect).
    """
    _require(DocumentKind.CREDIT_NOTE, invoice)
    drafter = actor_id(actor, "derive_credit_note.actor")
    name = invoice.number or invoice.id
    if amount is not None:
        if selection is not None:
            raise InvalidValueError(
                "derive_credit_note.amount",
                amount,
                "None with a selection of lines (credit lines or an amount, not both)",
            )
        lines = _reduction(invoice, amount, "derive_credit_note.amount")
        reason = reason or _words(invoice.customer)["reduction"].format(name=name)
    else:
        lines = _selected(invoice, selection, "derive_credit_note.selection")
        amount = _gross(invoice, lines)
        if not amount.is_positive:
            raise InvalidValueError(
                "derive_credit_note.selection",
                selection,
                f"lines with a total above zero ({amount})",
            )
    return CreditNote(
        id=id,
        on=as_date(on, "derive_credit_note.on"),
        amount=amount,
        reason=reason or _words(invoice.customer)["credit"].format(name=name),
        lines=lines,
        drafted_by=drafter,
    )


def _check_booker(invoice: Invoice, note: CreditNote, actor: Actor, authority: Authority) -> None:
    """Under 4 and 6 eyes, whoever drafted a credit note (or an unknown drafter) may not
    book it: a credit note is a document of its own, drafted and booked by two people."""
    if authority.eyes == 2:
        return
    if note.drafted_by and note.drafted_by != actor.id:
        return
    reason = (
        f"{actor.id} drafted credit note {note.id}; someone else must book it"
        if note.drafted_by
        else f"credit note {note.id} names no drafter (CreditNote.drafted_by); "
        "derive it with dunlib.derive_credit_note"
    )
    raise PolicyViolationError(
        actor=actor.id,
        command=Command.CREDIT.name,
        status=invoice.status,
        invoice_id=invoice.id,
        number=invoice.number,
        eyes=authority.eyes,
        rule=PolicyRule.BOOKER_NOT_DRAFTER,
        reason=reason,
    )


def record_credit_note(
    invoice: Invoice,
    note: CreditNote,
    *,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
) -> Invoice:
    """``invoice`` with ``note`` booked against it by ``actor``, and settled (4 PAID) when
    nothing is open any more.

    A booking of the table's CREDIT row: only a booked invoice with something open
    (3 SENT or 5 DUNNED) takes a credit note, at most its open amount (refund anything
    beyond it outside dunlib); ``actor`` needs the right to CREDIT (and to SETTLE when it
    settles) and, under 4 and 6 eyes, may not be the note's drafter.

    A credit note takes effect on the day it is booked, so it is dated that day: a note
    whose date ``note.on`` is not ``on`` is refused (an
    :class:`~dunlib.core.errors.InvalidValueError` naming ``record_credit_note.note.on``; derive
    it for the booking day). The invoice as of an earlier day (:func:`dunlib.as_of`) and
    the interest up to the booking day never see it.
    """
    checked_invoice(invoice, "record_credit_note")
    if not isinstance(note, CreditNote):
        raise InvalidTypeError("record_credit_note.note", note, "a CreditNote")
    day = as_date(on, "record_credit_note.on")
    if note.on != day:
        raise InvalidValueError(
            "record_credit_note.note.on",
            note.on,
            f"the booking day {day}: credit note {note.id} for invoice "
            f"{invoice.known_as} takes effect the day it is booked",
        )
    if note.amount.currency != invoice.currency:
        raise InvalidValueError(
            "record_credit_note.note.amount", note.amount, f"an amount in {invoice.currency}"
        )
    checked_actor(actor, "record_credit_note")
    return _booking.book(
        invoice,
        Command.CREDIT,
        operation="record_credit_note",
        actor=actor,
        on=day,
        authority=authority,
        kind=EventKind.CREDIT_NOTE,
        detail=f"credit note {note.id} of {note.amount}",
        changes={"credit_notes": (*invoice.credit_notes, note)},
        settles=True,
        policy_rule=lambda: _check_booker(invoice, note, actor, authority),
    )


@attrs.frozen(kw_only=True)
class Credited:
    """A credit note and the invoice it was booked against."""

    note: CreditNote
    invoice: Invoice


def credit(
    invoice: Invoice,
    *,
    id: str,
    actor: Actor,
    on: _dt.date,
    authority: Authority,
    drafted_by: Actor | str | None = None,
    selection: Sequence[int] | None = None,
    amount: Money | None = None,
    reason: str = "",
) -> Credited:
    """Derive a credit note from all or selected lines, or for an agreed ``amount`` (a price
    reduction, gross), and book it against ``invoice``.

    ``drafted_by`` drafted the note (``actor`` when None) and ``actor`` books it: under
    4 and 6 eyes they must differ (see :func:`record_credit_note`). The note is dated and
    booked ``on``, the day it takes effect. An ``amount`` lowers what is open by exactly
    that amount (at most what is open); it is split over the invoice's tax rates as
    :func:`derive_credit_note` says.
    """
    drafter = actor if drafted_by is None else drafted_by
    note = derive_credit_note(
        invoice,
        id=id,
        on=on,
        actor=drafter,
        selection=selection,
        amount=amount,
        reason=reason,
    )
    booked = record_credit_note(invoice, note, actor=actor, on=on, authority=authority)
    return Credited(note=note, invoice=booked)


@attrs.frozen(kw_only=True)
class Cancellation:
    """The result of cancelling an invoice.

    ``original`` is the invoice, now in 6 CANCELLED with its whole claim written off;
    ``cancelling`` the cancelling invoice (``cancels`` set, lines negated), booked under
    its own number and cleared against the original (4 PAID, nothing open); ``sequence``
    the number sequence to pass to the next send.
    """

    original: Invoice
    cancelling: Invoice
    sequence: NumberSequence


_CANCELLING = Authority(eyes=2)
"""The authority of the cancelling invoice's own steps: the table's rights, and no eyes to
keep apart (its lines are the original's negated, drafted by nobody's choice)."""


def cancel(
    invoice: Invoice,
    *,
    id: str,
    actor: Actor,
    on: _dt.date,
    sequence: NumberSequence,
    authority: Authority,
) -> Cancellation:
    """Cancel ``invoice`` (Storno) with a cancelling invoice ``id`` booked on ``on``.

    A booking of the table's CANCEL row: from 3 SENT and 5 DUNNED, for an invoice that is
    not itself a cancelling one and on which nothing is paid or credited yet (then credit
    it instead); ``actor`` needs the right to CANCEL. The eyes policy has nothing to
    separate here: the cancelling invoice is the original's lines negated, drafted by
    nobody's choice.

    The whole claim is written off on the original, recorded as :class:`WriteOff` values:
    its gross, offset by the cancelling invoice, and the dunning fees and interest charged
    on it, which are waived with the cancellation (a cancelled claim was never owed, so
    neither is the cost of dunning it). Afterwards both invoices have nothing open.
    """
    _require(DocumentKind.CANCELLATION, invoice)
    if not isinstance(sequence, NumberSequence):
        raise InvalidTypeError("cancel.sequence", sequence, "a NumberSequence")
    v.non_empty_text(invoice, attrs.fields(Invoice).id, id)
    if id == invoice.id:
        raise InvalidValueError(
            "cancel.id", id, f"an id other than that of the original, invoice {invoice.known_as}"
        )
    _booking.check(
        invoice, Command.CANCEL, operation="cancel", actor=actor, on=on, authority=authority
    )
    day = as_date(on, "cancel.on")
    number, advanced = sequence.take()
    claims = (
        (invoice.gross, f"offset by cancelling invoice {number}"),
        (invoice.fees + invoice.interest_charged, "dunning fees and interest waived with the "
         "cancellation"),
    )  # fmt: skip
    write_offs = [
        WriteOff(on=day, amount=amount, reason=why) for amount, why in claims if not amount.is_zero
    ]
    original = _booking.book(
        invoice,
        Command.CANCEL,
        operation="cancel",
        actor=actor,
        on=day,
        authority=authority,
        kind=EventKind.TRANSITION,
        detail=f"cancelled by {number}; written off: "
        + ", ".join(f"{w.amount} ({w.reason})" for w in write_offs),
        changes={"write_offs": (*invoice.write_offs, *write_offs)},
    )
    # The cancelling invoice takes the path any invoice takes: drafted, booked by the skip
    # of an automatic step, and cleared against the original by the SETTLE row, each step
    # on the cancelling actor's behalf (their right to CANCEL covers it).
    booker = Actor(id=actor.id, roles={AUTOMATION}, automatic=True)
    draft = create_draft(
        id=id,
        customer=invoice.customer,
        currency=invoice.currency,
        actor=actor,
        on=day,
        lines=tuple(line.negated() for line in invoice.lines),
        terms=invoice.terms,
        channel=invoice.channel,
    )
    booked = _booking.book(
        attrs.evolve(draft, cancels=invoice.id),
        Command.SEND,
        operation="cancel",
        actor=booker,
        on=day,
        authority=_CANCELLING,
        kind=EventKind.TRANSITION,
        detail=f"cancelling invoice for {invoice.number} booked as {number}",
        changes={"number": number, "issue_date": day, "due_date": draft.due_date},
    )
    cleared = tuple(
        WriteOff(on=day, amount=-amount, reason=f"cleared against {invoice.number}")
        for amount in (invoice.gross,)
        if not amount.is_zero
    )
    cancelling = _booking.book(
        booked,
        Command.SETTLE,
        operation="cancel",
        actor=booker,
        on=day,
        authority=_CANCELLING,
        kind=EventKind.WRITE_OFF,
        detail=f"cleared against {invoice.number}",
        changes={"write_offs": cleared},
    )
    return Cancellation(original=original, cancelling=cancelling, sequence=advanced)


def write_off(
    invoice: Invoice,
    *,
    actor: Actor,
    on: _dt.date,
    reason: str = "uncollectible",
    authority: Authority,
) -> Invoice:
    """``invoice`` written off as uncollectible by ``actor`` on ``on`` (5 DUNNED → 7).

    A booking of the table's WRITE_OFF row: what is open (fees, interest and principal) is
    recorded as a :class:`WriteOff` with ``reason``; afterwards nothing is open and
    money received for it is booked as a recovery (:func:`dunlib.payments.record_recovery`), not
    a payment.
    """
    checked_invoice(invoice, "write_off")
    v.text(invoice, attrs.fields(WriteOff).reason, reason)
    return _booking.book(
        invoice,
        Command.WRITE_OFF,
        operation="write_off",
        actor=actor,
        on=on,
        authority=authority,
        kind=EventKind.WRITE_OFF,
        detail=f"written off as {reason}: {invoice.open_amount}",
        changes=written_off(invoice, as_date(on, "write_off.on"), reason),
    )


def written_off(invoice: Invoice, day: _dt.date, reason: str) -> dict[str, object]:
    """The changes of writing off what is open on ``invoice`` on ``day`` for ``reason``: a
    :class:`~dunlib.core.records.WriteOff` of the open amount (none when nothing is open).
    The WRITE_OFF row's bookings, :func:`write_off` and an escalation's, make them alike."""
    if not invoice.open_amount.is_positive:
        return {}
    entry = WriteOff(on=day, amount=invoice.open_amount, reason=reason)
    return {"write_offs": (*invoice.write_offs, entry)}


@attrs.frozen(kw_only=True)
class DeliveryNote:
    """A delivery note (Lieferschein) listing lines of invoice ``invoice_id`` for ``customer``."""

    id: str = attrs.field(validator=v.non_empty_text)
    on: _dt.date = attrs.field(validator=v.calendar_date)
    invoice_id: str = attrs.field(validator=v.non_empty_text)
    customer: Customer = attrs.field(validator=v.of_type(Customer, expected="a Customer"))
    lines: tuple[LineItem, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(LineItem, "LineItem")
    )


def derive_delivery_note(
    invoice: Invoice, *, id: str, on: _dt.date, selection: Sequence[int] | None = None
) -> DeliveryNote:
    """A delivery note for all lines of ``invoice`` or the selected ones (from 2 REVIEWED on)."""
    _require(DocumentKind.DELIVERY_NOTE, invoice)
    return DeliveryNote(
        id=id,
        on=on,
        invoice_id=invoice.id,
        customer=invoice.customer,
        lines=_selected(invoice, selection, "derive_delivery_note.selection"),
    )


def derive_invoice(
    invoice: Invoice,
    *,
    id: str,
    actor: Actor,
    on: _dt.date,
    selection: Sequence[int] | None = None,
) -> Invoice:
    """A new draft invoice with all or the selected lines of ``invoice`` (from 2 REVIEWED on).

    Customer, currency, payment terms and channel are taken over; ``actor`` is its creator.
    """
    _require(DocumentKind.NEW_INVOICE, invoice)
    checked_actor(actor, "derive_invoice")
    return create_draft(
        id=id,
        customer=invoice.customer,
        currency=invoice.currency,
        actor=actor,
        on=on,
        lines=_selected(invoice, selection, "derive_invoice.selection"),
        terms=invoice.terms,
        channel=invoice.channel,
    )
