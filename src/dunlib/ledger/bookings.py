"""The journal: the balanced entries an invoice's history implies, derived whenever asked.

Nothing here is stored: :func:`journal` reads one invoice's history, :func:`journal_of`
streams the entries of many invoices (a portfolio, one customer's invoices, a range of
days) one invoice at a time, in constant memory. Each history entry that books an amount
gets exactly one :class:`~dunlib.ledger.entries.JournalEntry`, whose ``entry`` is the
entry's position in the history; entries that book nothing (a draft's edits, a pause, a
reminder without a fee) get none. Amounts are exact: Decimals at the currency's minor unit,
added in an exact context (shares of an amount are reckoned in whole minor units), and
every rounding is named below.

What each booking posts (debit +, credit -; accounts by role and, where the tax matters,
by the tax category of the lines, never by the rate):

- **sending** (the move into SENT, and a negative draft booked by hand): receivables the
  gross against revenue, net per tax category and rate, and output VAT per category and
  rate (the invoice's tax of each rate, split over the categories charged at that rate in
  proportion to their net where there are several);
- **payment**: bank (the money received, dated by the payment's day) against receivables;
  a cash discount granted with it posts the discount, net per tax category and rate, to
  discounts granted and its VAT back to output VAT (§ 17 (1) UStG: the taxable amount is
  reduced); money beyond what was open goes to the customer's credit (a liability; kept by
  :func:`dunlib.dunning.keep_overpayment`, which therefore posts nothing more); a payment
  out of the customer's credit (:func:`dunlib.dunning.use_credit`, reference
  :data:`CREDIT_REFERENCE`) comes from the customer-credit account instead of the bank;
- **credit note**: revenue and output VAT reversed against receivables, by the note's
  lines where it has them and they make its amount, else in proportion; the part of a note
  beyond the principal (it reduces fees, then interest: :mod:`dunlib.payments.allocation`)
  reverses fee and interest income;
- **dunning fee** and **default interest** (a notice's fee and interest, an interest
  charge): receivables against fee or interest income, without VAT. Dunning fees and
  default interest are damages for late payment, not consideration for a supply, so they
  are not taxable (UStAE 1.3 Abs. 6: "Mahngebühren oder Mahnkosten" and "Verzugszinsen"
  are "nicht als Entgelt für eine besondere Leistung", but Schadensersatz);
- **write-off as uncollectible**: what was open to bad debts (§ 17 (2) Nr. 1 UStG: the
  tax on an uncollectible amount is corrected): the principal part net per tax category
  and rate with its VAT back to output VAT, the fees and interest part without VAT;
- **recovery** after a write-off: bank against recoveries, the principal part net per
  category with its output VAT charged again (§ 17 (2) Nr. 1 Satz 2 UStG: an amount
  received after the correction is corrected back); what it recovers is taken as money
  received is, fees first, then interest, then principal (§ 367 (1) BGB);
- **cancellation** (Storno): the cancelling invoice is an invoice of its own and books the
  reversal of revenue and VAT when it is sent (its lines are the original's negated); the
  original's claim is then cleared against it through the customer-credit account (the
  original's write-off of its gross credits receivables, the cancelling invoice's negative
  write-off debits them, on the same day: the account is back at zero), and the fees and
  interest waived with the cancellation reverse fee and interest income. Pass both
  invoices to see the whole cancellation. A negative draft booked by hand clears its
  credit to the customer the same way, in the one entry that books it.

**Principal, fees and interest.** A credit note, a write-off and a recovery may cover
fees and interest as well as the principal (the invoice's gross, which alone carries VAT).
The parts are read along the history with the allocation's rules: money received settles
fees, then interest, then principal (§ 367 (1) BGB); a cash discount reduces the
principal; a credit note reduces the principal first, then fees, then interest; a
write-off clears the principal first, then fees, then interest.

**Rounding.** A principal amount split over the invoice's tax categories and rates
(a discount, a proportional credit note, a write-off, a recovery) is shared in proportion
to what the invoice still charges in each (its gross per category and rate less what
credit notes reversed there) by the largest-remainder method at the minor unit: each share
rounded down, the cents left over given one each to the shares with the largest
remainders (the first of equal ones), so the shares add up to the amount exactly. The VAT
within a share of rate ``r`` is ``share x r / (100 + r)`` rounded half-up to the minor
unit, the net the rest: 2.38 at 19 % is 0.38 VAT and 2.00 net.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Protocol

from dunlib.core import quick
from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.exact import EXACT, ROUNDING
from dunlib.core.generated import trusted
from dunlib.core.history import EventKind, HistoryEntry
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money, minor_unit
from dunlib.core.records import Customer, TaxCategory
from dunlib.core.status import Status
from dunlib.ledger._groups import (
    _ZERO,
    _add,
    _amount,
    _Group,
    _groups,
    _new,
    _shares,
    _sub,
    _total,
    _units,
    _vat_in,
)
from dunlib.ledger.accounts import CATEGORIZED, Role
from dunlib.ledger.entries import JournalEntry, Posting

__all__ = ["BOOKINGS", "CREDIT_REFERENCE", "ChartLike", "journal", "journal_of"]

CREDIT_REFERENCE = "customer credit"
"""The reference of a payment made out of the customer's credit
(:func:`dunlib.dunning.use_credit` writes it): its money comes from the customer-credit
account, not the bank."""


class ChartLike(Protocol):
    """What the journal asks of a chart of accounts (:class:`dunlib.ledger.Chart` is one):
    the account number for a role, and for roles whose account depends on the tax, for a
    tax category (None: a line at 0 % whose category is not known, or no tax at all)."""

    def account(self, role: Role, category: TaxCategory | None = None) -> str:
        """The account number that ``role`` (for ``category``) posts to."""
        ...


_Line = tuple[str, Role, Decimal, str]
"""A posting in the making: account, role, amount (exact at the minor unit; debit +), tax
code."""


class _Accounts:
    """The chart's accounts, asked once per role and category, each checked to be a
    non-empty text (private)."""

    __slots__ = ("chart", "known", "operation", "pairs", "plain")

    def __init__(self, chart: object, operation: str) -> None:
        if not callable(getattr(chart, "account", None)):
            raise InvalidTypeError(
                f"{operation}.chart", chart, "a chart of accounts (dunlib.ledger.SKR03, say)"
            )
        self.chart, self.operation = chart, operation
        self.known: dict[tuple[int, int], str] = {}
        self.pairs: dict[int, tuple[str, str]] = {}
        self.plain: dict[str, str] = {}  # the accounts asked for without a category, by role

    def pair(self, category: TaxCategory | None) -> tuple[str, str]:
        """The revenue and the output VAT account of ``category``."""
        found = self.pairs.get(id(category))
        if found is None:
            revenue = self(Role.REVENUE, category)
            taxed = category is not None and category.charges_tax
            # a category that charges no tax never posts VAT: no VAT account is asked for
            vat = self(Role.OUTPUT_VAT, category) if taxed else revenue
            found = self.pairs[id(category)] = (revenue, vat)
        return found

    def __call__(self, role: Role, category: TaxCategory | None = None) -> str:
        key = (id(role), id(category))  # enum members are singletons (and quick to key)
        found = self.known.get(key)
        if found is None:
            asked = category
            if asked is None and role in CATEGORIZED:  # a line at 0 % that names no category
                asked = TaxCategory.ZERO
            found = self.chart.account(role, asked)  # type: ignore[attr-defined]
            if not isinstance(found, str) or not found.strip():
                raise InvalidValueError(
                    f"{self.operation}.chart.account({role.name}, {asked})",
                    found,
                    "an account number (a non-empty text)",
                )
            self.known[key] = found
            if category is None:
                self.plain[role._value_] = found
        return found


_UNBOOKED = (Status.DRAFT, Status.CREATED, Status.REVIEWED)
"""The states before sending (a tuple: ``in`` compares by identity first)."""
_REVENUE, _OUTPUT_VAT, _RECEIVABLES = Role.REVENUE, Role.OUTPUT_VAT, Role.RECEIVABLES
_BANK, _FEE_INCOME, _INTEREST_INCOME = Role.BANK, Role.FEE_INCOME, Role.INTEREST_INCOME
_SENT, _CANCELLED = Status.SENT, Status.CANCELLED
"""The members the bookings name most, kept at hand (a member of an Enum is slower to read
off its class)."""


# -- the walk along one invoice's history -------------------------------------------------


_CURRENCIES: dict[str, tuple[int, Decimal]] = {}
"""The minor unit's digits of each currency met, and its smallest amount (to round to)."""


class _Walk:
    """One invoice's history read in order (private): which booking each entry takes, and
    the principal, fees and interest open, written off and recovered."""

    __slots__ = (
        "accounts",
        "currency",
        "digits",
        "document",
        "fees",
        "groups",
        "interest",
        "invoice",
        "principal",
        "quantum",
        "taken",
        "written",
    )

    def __init__(self, invoice: Invoice, accounts: _Accounts) -> None:
        self.invoice, self.accounts = invoice, accounts
        self.currency = currency = invoice.currency
        found = _CURRENCIES.get(currency)
        if found is None:
            found = _CURRENCIES[currency] = (minor_unit(currency), Money.zero(currency).amount)
        self.digits, self.quantum = found
        self.document = invoice.number or invoice.id
        self.groups: list[_Group] | None = None
        self.principal = self.fees = self.interest = _ZERO
        # written off and not recovered: fees, interest, principal
        self.written = [_ZERO, _ZERO, _ZERO]
        # bookings taken: payments, notices, interest, credit notes, write-offs, recoveries,
        # reversals, fee waivers
        self.taken = [0, 0, 0, 0, 0, 0, 0, 0]

    def _groups(self) -> list[_Group]:
        groups = self.groups
        if groups is None:
            groups = self.groups = _groups(self.invoice.lines, self.quantum, self.digits)
        return groups

    # the parts a reduction takes, in the allocation's order

    def take(self, amount: Decimal, order: tuple[str, ...]) -> dict[str, Decimal]:
        parts: dict[str, Decimal] = {}
        for name in order:
            have = getattr(self, name)
            used = min(amount, max(have, _ZERO))
            if used:
                setattr(self, name, _sub(have, used))
                parts[name] = used
                amount = _sub(amount, used)
        # nothing is left over where the history was booked by dunlib's operations (each
        # reduces at most what is open); were it, it would reduce the principal
        self.principal = _sub(self.principal, amount)
        parts["principal"] = _add(parts.get("principal", _ZERO), amount)
        return parts

    # postings

    def shares(self, amount: Decimal) -> Iterator[tuple[_Group, int, int]]:
        """``amount`` of principal (gross) split over the invoice's tax categories and rates
        in proportion to what each still charges: each group, its share and the VAT within
        it, in minor units."""
        groups = self._groups()  # a booked invoice has lines; the principal is their gross
        digits = self.digits
        weights = [_units(g.gross, digits) for g in groups]
        for group, share in zip(groups, _shares(_units(amount, digits), weights), strict=True):
            yield group, share, _vat_in(share, group.rate)

    def principal_lines(self, amount: Decimal, role: Role, sign: int) -> list[_Line]:
        """``amount`` of principal (gross) split over the invoice's tax categories and rates,
        net to ``role`` and VAT to output VAT, each posted with ``sign`` (+1 debit)."""
        lines: list[_Line] = []
        account, digits = self.accounts, self.digits
        for group, share, vat in self.shares(amount):
            net = _amount(sign * (share - vat), digits)
            lines.append((account(role, group.category), role, net, group.code))
            if vat:
                tax = _amount(sign * vat, digits)
                lines.append((account(_OUTPUT_VAT, group.category), _OUTPUT_VAT, tax, group.code))
        return lines

    def group_lines(self, groups: list[_Group], credited: bool) -> list[_Line]:
        """Revenue and output VAT of ``groups``, credited (or debited: reversed)."""
        pair = self.accounts.pair
        lines: list[_Line] = []
        for group in groups:
            revenue, vat = pair(group.category)
            code, net, tax = group.code, group.net, group.tax
            lines.append((revenue, _REVENUE, net.copy_negate() if credited else net, code))
            if tax:
                lines.append((vat, _OUTPUT_VAT, tax.copy_negate() if credited else tax, code))
        return lines

    def receivables(self, amount: Decimal) -> _Line:
        accounts = self.accounts
        account = accounts.plain.get("receivables") or accounts(_RECEIVABLES)
        return (account, _RECEIVABLES, amount, "")

    def plain(self, role: Role, amount: Decimal) -> _Line:
        accounts = self.accounts
        return (accounts.plain.get(role._value_) or accounts(role), role, amount, "")

    def reverse_groups(self, groups: list[_Group]) -> None:
        """What a credit note reversed by lines no longer weighs in later splits."""
        mine = self.by_key()
        for group in groups:
            own = mine[group.category, group.rate]
            own.net = _sub(own.net, group.net)
            own.tax = _sub(own.tax, group.tax)

    def by_key(self) -> dict[tuple[TaxCategory | None, Decimal], _Group]:
        """The invoice's groups by category and rate."""
        return {(g.category, g.rate): g for g in self._groups()}

    def reverse_share(self, amount: Decimal) -> None:
        """A proportional reversal of ``amount`` leaves the weights in proportion: shrink
        them alike (only their ratio counts)."""
        digits = self.digits
        for group, share, vat in list(self.shares(amount)):
            group.net = _sub(group.net, _amount(share - vat, digits))
            group.tax = _sub(group.tax, _amount(vat, digits))


_Booked = tuple[list[_Line], str, "_dt.date | None"] | None
"""What one history entry books: its postings, the booking text and the value date (the
day money moved, None where none did); None where it books nothing."""
_Booker = Callable[[_Walk, int, HistoryEntry], _Booked]
"""What books one kind of history entry."""


def _sent_lines(walk: _Walk) -> list[_Line]:
    """Receivables the gross against revenue and output VAT per tax category and rate."""
    groups = walk._groups()
    gross = _ZERO
    for group in groups:
        gross = _add(_add(gross, group.net), group.tax)
    walk.principal = gross
    return [walk.receivables(gross), *walk.group_lines(groups, True)]


def _transition(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    if entry.to_status is _CANCELLED:
        return _cancellation(walk, index, entry)
    if entry.to_status is _SENT and entry.from_status in _UNBOOKED:
        return _sent_lines(walk), f"invoice {walk.document}", None
    return None


def _written_amount(text: str, quantum: Decimal) -> Decimal:
    """An amount as record_payment writes it into a history entry's detail, at the minor
    unit."""
    return Decimal(text).quantize(quantum, ROUNDING, EXACT)


def _payment(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    detail = entry.detail
    over = _ZERO
    applied: Decimal | None = None  # None: the next payment's amount
    if "; overpaid by " in detail:  # as record_payment writes it: received, overpaid
        quantum = walk.quantum
        over = _written_amount(detail.split("; overpaid by ", 1)[1].split(" ", 1)[0], quantum)
        received = _written_amount(detail[len("payment of ") :].split(" ", 1)[0], quantum)
        applied = _sub(received, over)
    lines: list[_Line] = []
    source, text, valued = _BANK, "payment", entry.on
    if applied is None or applied:
        payment = walk.invoice.payments[walk.taken[0]]
        walk.taken[0] += 1
        applied, valued = payment.amount.amount, payment.valued
        discount = _ZERO if payment.discount is None else payment.discount.amount
        if discount:
            walk.take(discount, ("principal",))
            lines.extend(walk.principal_lines(discount, Role.DISCOUNTS_GRANTED, 1))
            text = "payment with cash discount"
        walk.take(applied, ("fees", "interest", "principal"))
        lines.append(walk.receivables(_add(applied, discount).copy_negate()))
        if payment.reference == CREDIT_REFERENCE:
            source, text = Role.CUSTOMER_CREDIT, "customer credit used"
        elif payment.reference:
            text = f"{text} {payment.reference}"
    if over:
        lines.append(walk.plain(Role.CUSTOMER_CREDIT, over.copy_negate()))
        text = f"{text}, overpaid" if applied else "overpayment kept as customer credit"
    lines.insert(0, walk.plain(source, _add(applied, over)))
    return lines, text[:60], valued


def _reversal(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    """A payment taken back: the money leaves the bank (or goes back to the customer's
    credit) and is owed again, its cash discount with it (the discount and its VAT
    correction reversed). The bank's return fee is the creditor's bank charge, not the
    invoice's: it is not posted here."""
    invoice = walk.invoice
    reversal = invoice.reversals[walk.taken[6]]
    walk.taken[6] += 1
    payment = invoice.payments[reversal.payment]
    applied = payment.amount.amount
    discount = _ZERO if payment.discount is None else payment.discount.amount
    owed = _add(applied, discount)
    walk.principal = _add(walk.principal, owed)  # owed again (the replay forgets the payment)
    source = Role.CUSTOMER_CREDIT if payment.reference == CREDIT_REFERENCE else _BANK
    lines = [walk.receivables(owed), walk.plain(source, applied.copy_negate())]
    if discount:
        lines.extend(walk.principal_lines(discount, Role.DISCOUNTS_GRANTED, -1))
    return lines, f"payment taken back {reversal.reason}"[:60], None


def _waiver(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    """Dunning fees taken back: less fee income, less owed (no VAT: the fee was none)."""
    waiver = walk.invoice.fee_waivers[walk.taken[7]]
    walk.taken[7] += 1
    amount = waiver.amount.amount
    walk.take(amount, ("fees", "principal", "interest"))
    lines = [walk.plain(_FEE_INCOME, amount), walk.receivables(amount.copy_negate())]
    return lines, "dunning fee waived", None


def _credit_note(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    note = walk.invoice.credit_notes[walk.taken[3]]
    walk.taken[3] += 1
    amount = note.amount.amount
    parts = walk.take(amount, ("principal", "fees", "interest"))
    principal = parts.get("principal", _ZERO)
    lines: list[_Line] = [walk.receivables(amount.copy_negate())]
    by_lines = _groups(note.lines, walk.quantum, walk.digits) if note.lines else []
    known = walk.by_key()
    if (
        by_lines
        and _total(g.gross for g in by_lines) == principal
        and all((g.category, g.rate) in known for g in by_lines)
    ):  # its lines make its principal part: reversed as they are
        lines.extend(walk.group_lines(by_lines, False))
        walk.reverse_groups(by_lines)
    else:  # in proportion (a principal part of zero posts nothing)
        lines.extend(walk.principal_lines(principal, Role.REVENUE, 1))
        walk.reverse_share(principal)
    lines.extend(_income_back(walk, parts))
    return lines, f"credit note {note.id}", None


def _income_back(walk: _Walk, parts: dict[str, Decimal]) -> list[_Line]:
    """Fee and interest income reversed for the fees and interest parts of ``parts``."""
    lines = []
    if parts.get("fees"):
        lines.append(walk.plain(_FEE_INCOME, parts["fees"]))
    if parts.get("interest"):
        lines.append(walk.plain(_INTEREST_INCOME, parts["interest"]))
    return lines


def _notice(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    invoice, taken = walk.invoice, walk.taken
    notice = invoice.issued_stages[taken[1]]
    taken[1] += 1
    fee = notice.fee.amount
    charges = invoice.interest_charges
    # interest claimed with the notice (its detail says so: read only while charges are left)
    claimed = taken[2] < len(charges) and ", interest " in entry.detail
    if not (fee or claimed):  # a reminder without a fee books nothing
        return None
    walk.fees = _add(walk.fees, fee)
    lines = [walk.plain(_FEE_INCOME, fee.copy_negate())] if fee else []
    charged = _ZERO
    if claimed:
        charge = charges[taken[2]]
        taken[2] += 1
        charged = charge.amount.amount
        walk.interest = _add(walk.interest, charged)
        lines.append(walk.plain(_INTEREST_INCOME, charged.copy_negate()))
    lines.insert(0, walk.receivables(_add(fee, charged)))
    return lines, f"dunning level {notice.level}", None


def _interest(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    charge = walk.invoice.interest_charges[walk.taken[2]]
    walk.taken[2] += 1
    amount = charge.amount.amount
    walk.interest = _add(walk.interest, amount)
    lines = [walk.receivables(amount), walk.plain(_INTEREST_INCOME, amount.copy_negate())]
    return lines, "default interest", None


def _written_off(walk: _Walk, day: _dt.date) -> list[Decimal]:
    """The write-offs dated ``day`` from the next one on (taken)."""
    items = walk.invoice.write_offs
    amounts = []
    while walk.taken[4] < len(items) and items[walk.taken[4]].on == day:
        amounts.append(items[walk.taken[4]].amount.amount)
        walk.taken[4] += 1
    return amounts


def _clearing(walk: _Walk, amount: Decimal) -> _Line:
    """A negative write-off (a negative claim cleared): against the customer's credit (the
    receivables line is the caller's)."""
    walk.principal = _sub(walk.principal, amount)
    return walk.plain(Role.CUSTOMER_CREDIT, amount)


def _write_off(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    """Write-offs as uncollectible (bad debts, the principal's VAT corrected), and a
    negative claim cleared (a cancelling invoice's): one receivables line for all."""
    lines: list[_Line] = []
    cleared = _ZERO
    for amount in _written_off(walk, entry.on):
        cleared = _add(cleared, amount)
        if amount < 0:
            lines.append(_clearing(walk, amount))
            continue
        parts = walk.take(amount, ("principal", "fees", "interest"))
        written = walk.written
        principal = parts.get("principal", _ZERO)
        if principal:
            lines.extend(walk.principal_lines(principal, Role.BAD_DEBTS, 1))
            written[2] = _add(written[2], principal)
        fees, interest = parts.get("fees", _ZERO), parts.get("interest", _ZERO)
        rest = _add(fees, interest)
        if rest:
            lines.append(walk.plain(Role.BAD_DEBTS, rest))
        written[0] = _add(written[0], fees)
        written[1] = _add(written[1], interest)
    if not lines:
        return None
    return [walk.receivables(cleared.copy_negate()), *lines], entry.detail[:60], None


def _cancellation(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    """The original's claim cleared against the cancelling invoice's credit, the fees and
    interest waived taken back from income: one receivables line for all."""
    lines: list[_Line] = []
    cleared = _ZERO
    for amount in _written_off(walk, entry.on):
        cleared = _add(cleared, amount)
        parts = walk.take(amount, ("principal", "fees", "interest"))  # positive claims
        if parts.get("principal"):
            lines.append(walk.plain(Role.CUSTOMER_CREDIT, parts["principal"]))
        lines.extend(_income_back(walk, parts))
    if not lines:
        return None
    return (
        [walk.receivables(cleared.copy_negate()), *lines],
        entry.detail.split(";", 1)[0][:60],
        None,
    )


def _booked_by_hand(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    """A negative invoice booked and its credit to the customer cleared in one: revenue and
    VAT against the customer's credit, receivables untouched."""
    receivables, *lines = _sent_lines(walk)
    cleared = _ZERO
    for amount in _written_off(walk, entry.on):  # its negative total, cleared
        cleared = _add(cleared, amount)
        lines.append(_clearing(walk, amount))
    lines.insert(0, walk.receivables(_sub(receivables[2], cleared)))
    return lines, f"invoice {walk.document} booked by hand", None


def _recovery(walk: _Walk, index: int, entry: HistoryEntry) -> _Booked:
    item = walk.invoice.recoveries[walk.taken[5]]
    walk.taken[5] += 1
    amount = item.amount.amount
    written = walk.written
    lines: list[_Line] = [walk.plain(_BANK, amount)]
    left, rest = amount, _ZERO
    for at in (0, 1):  # fees, then interest (§ 367 BGB)
        used = min(left, written[at])
        written[at] = _sub(written[at], used)
        left = _sub(left, used)
        rest = _add(rest, used)
    if rest:
        lines.append(walk.plain(Role.RECOVERIES, rest.copy_negate()))
    if left:
        written[2] = _sub(written[2], left)
        lines.extend(walk.principal_lines(left, Role.RECOVERIES, -1))
    text = f"recovery {item.reference}" if item.reference else "recovery"
    return lines, text, entry.on


BOOKINGS: dict[EventKind, _Booker] = {
    EventKind.TRANSITION: _transition,
    EventKind.PAYMENT: _payment,
    EventKind.CREDIT_NOTE: _credit_note,
    EventKind.STAGE_ISSUED: _notice,
    EventKind.INTEREST: _interest,
    EventKind.WRITE_OFF: _write_off,
    EventKind.BOOKED_BY_HAND: _booked_by_hand,
    EventKind.RECOVERY: _recovery,
    EventKind.PAYMENT_REVERSED: _reversal,
    EventKind.FEE_WAIVED: _waiver,
}
"""What books each kind of history entry (the kinds not named book nothing): one function
per kind, taking the walk, the entry's position and the entry, giving the postings, the
booking text and the value date of the one journal entry, or None."""


_BY_NAME = {kind.name: booker for kind, booker in BOOKINGS.items()}
"""The bookers by the name of the kind (a string key is quicker to look up)."""
_posting = trusted(Posting)


def _setter(cls: type, name: str) -> Callable[[object, object], None]:
    """What sets the slot ``name`` of an instance of the attrs class ``cls`` (once, as its
    constructor does)."""
    setter: Callable[[object, object], None] = cls.__dict__[name].__set__
    return setter


_entry = trusted(JournalEntry)
_set_amount = _setter(Money, "amount")
_set_currency = _setter(Money, "currency")
_set_account = _setter(Posting, "account")
_set_role = _setter(Posting, "role")
_set_money = _setter(Posting, "amount")
_set_code = _setter(Posting, "tax_code")
"""The slots of an amount and of a posting, set once when a posting is made of parts the
walk has checked (as :func:`~dunlib.core.generated.trusted` constructors set them)."""


_set_on = _setter(JournalEntry, "on")
_set_document = _setter(JournalEntry, "document")
_set_text = _setter(JournalEntry, "text")
_set_postings = _setter(JournalEntry, "postings")
_set_entry = _setter(JournalEntry, "entry")
_set_value_date = _setter(JournalEntry, "value_date")
"""The slots of a journal entry, likewise."""


def _posting_of(account: str, role: Role, amount: Decimal, code: str, currency: str) -> Posting:
    """A posting of ``amount`` in ``currency``, its slots set straight (the quick path: the
    walk has checked what they hold)."""
    money = _new(Money)
    _set_amount(money, amount)
    _set_currency(money, currency)
    posting = _new(Posting)
    _set_account(posting, account)
    _set_role(posting, role)
    _set_money(posting, money)
    _set_code(posting, code)
    return posting


def _entry_of(
    on: _dt.date,
    document: str,
    text: str,
    postings: tuple[Posting, ...],
    index: int,
    valued: _dt.date | None,
) -> JournalEntry:
    """A journal entry of ``postings``, its slots set straight (the quick path)."""
    entry = _new(JournalEntry)
    _set_on(entry, on)
    _set_document(entry, document)
    _set_text(entry, text)
    _set_postings(entry, postings)
    _set_entry(entry, index)
    _set_value_date(entry, valued)
    return entry


def _journal_entry(
    lines: list[_Line],
    currency: str,
    on: _dt.date,
    document: str,
    text: str,
    index: int,
    valued: _dt.date | None,
) -> JournalEntry | None:
    """The journal entry of ``lines`` booked ``on`` by the history entry at ``index``, the
    postings of zero left out (each booker posts one line per account, role and tax code);
    None where fewer than two postings are left."""
    if not quick.on:  # within quick.plain(): the validating constructors
        postings = tuple(
            [
                _posting(account, role, Money(amount, currency), code)
                for account, role, amount, code in lines
                if amount
            ]
        )
        return _entry(on, document, text, postings, index, valued) if len(postings) > 1 else None
    made = tuple(
        [
            _posting_of(account, role, amount, code, currency)
            for account, role, amount, code in lines
            if amount
        ]
    )
    return _entry_of(on, document, text, made, index, valued) if len(made) > 1 else None


def _sent_entry(walk: _Walk, on: _dt.date, index: int, wanted: bool) -> JournalEntry | None:
    """The sending's journal entry (:func:`_sent_lines`' postings) on the quick path, its
    postings made straight from the invoice's groups; the walk's principal set alike. None
    where it is not ``wanted`` (dated out of range) or posts fewer than two amounts."""
    groups = walk.groups = walk.groups or _groups(walk.invoice.lines, walk.quantum, walk.digits)
    # the accounts are asked for (and checked) whether or not the entry is wanted, in the
    # order _sent_lines asks for them
    accounts = walk.accounts
    receivable = accounts.plain.get("receivables") or accounts(_RECEIVABLES)
    pairs, add, gross, currency = accounts.pairs, _add, _ZERO, walk.currency
    made = []
    for group in groups:
        category, net, tax = group.category, group.net, group.tax
        revenue, vat = pairs.get(id(category)) or accounts.pair(category)
        gross = add(add(gross, net), tax)
        if not wanted:
            continue
        if net:
            made.append(_posting_of(revenue, _REVENUE, net.copy_negate(), group.code, currency))
        if tax:
            made.append(_posting_of(vat, _OUTPUT_VAT, tax.copy_negate(), group.code, currency))
    walk.principal = gross
    if not wanted:
        return None
    document = walk.document
    if not gross:  # lines that add up to nothing: as the booker's lines make it
        lines = _sent_lines(walk)
        return _journal_entry(lines, currency, on, document, f"invoice {document}", index, None)
    # receivables the gross, first: with it, two postings at least (the gross is not zero)
    owed = _posting_of(receivable, _RECEIVABLES, gross, "", currency)
    return _entry_of(on, document, f"invoice {document}", (owed, *made), index, None)


def _entries(invoice: Invoice, accounts: _Accounts) -> list[JournalEntry]:
    """The journal entries of ``invoice``, in the order of its history (the loop of
    :func:`_streamed` for one invoice, every day wanted)."""
    walk = _Walk(invoice, accounts)
    bookings, entry_of = _BY_NAME, _journal_entry
    currency, document = invoice.currency, walk.document
    made = []
    for index, entry in enumerate(invoice.history):
        booker = bookings.get(entry.kind._name_)
        if booker is None:
            continue
        if (
            booker is _transition
            and entry.to_status is _SENT
            and entry.from_status in _UNBOOKED
            and quick.on
        ):  # a sending: its postings made straight away
            journal_entry = _sent_entry(walk, entry.on, index, True)
        else:
            booked = booker(walk, index, entry)
            if booked is None:
                continue
            lines, text, valued = booked
            journal_entry = entry_of(lines, currency, entry.on, document, text, index, valued)
        if journal_entry is not None:
            made.append(journal_entry)
    return made


def journal(invoice: Invoice, *, chart: ChartLike) -> tuple[JournalEntry, ...]:
    """The journal entries of ``invoice``'s bookings on ``chart``, in the order of its
    history: one balanced entry for each history entry that books an amount (see the module
    docs for what each posts). Derived from the history whenever asked, never stored."""
    checked_invoice(invoice, "journal")
    return tuple(_entries(invoice, _Accounts(chart, "journal")))


def journal_of(
    invoices: Iterable[Invoice],
    *,
    chart: ChartLike,
    start: _dt.date | None = None,
    end: _dt.date | None = None,
    customer: Customer | str | None = None,
) -> Iterator[JournalEntry]:
    """The journal entries of ``invoices`` (a portfolio, read once, one invoice at a time:
    constant memory) on ``chart``, dated from ``start`` to ``end`` (inclusive; None: open),
    of ``customer``'s invoices only where one is given (a :class:`Customer` or its id);
    invoice by invoice in the order given, each in the order of its history."""
    accounts = _Accounts(chart, "journal_of")
    first = None if start is None else as_date(start, "journal_of.start")
    last = None if end is None else as_date(end, "journal_of.end")
    if first is not None and last is not None and last < first:
        raise InvalidValueError("journal_of.end", last, f"on or after the start {first}")
    if isinstance(customer, Customer):
        customer = customer.id
    elif customer is not None and not isinstance(customer, str):
        raise InvalidTypeError("journal_of.customer", customer, "a Customer, its id, or None")
    try:
        items = iter(invoices)
    except TypeError:
        raise InvalidTypeError("journal_of.invoices", invoices, "an iterable of Invoices") from None
    return _streamed(items, accounts, first, last, customer)


def _streamed(
    items: Iterator[Invoice],
    accounts: _Accounts,
    start: _dt.date | None,
    end: _dt.date | None,
    customer: str | None,
) -> Iterator[JournalEntry]:
    """The journal entries of ``items`` as :func:`_entries` makes them, invoice by invoice
    (its loop, inlined: the per-invoice step is the stream's own)."""
    first = _dt.date.min if start is None else start
    last = _dt.date.max if end is None else end
    bookings, entry_of, transition, notice = _BY_NAME, _journal_entry, _transition, _notice
    sent, unbooked, walk_of, sent_entry = _SENT, _UNBOOKED, _Walk, _sent_entry
    sending, dunning = EventKind.TRANSITION, EventKind.STAGE_ISSUED
    for at, invoice in enumerate(items):
        if not isinstance(invoice, Invoice):
            raise InvalidTypeError(f"journal_of.invoices[{at}]", invoice, "an Invoice")
        history = invoice.history
        if (
            not history
            or (customer is not None and invoice.customer.id != customer)
            or history[-1].on < first
            or invoice.issue_date > last
            or invoice.status < sent  # not booked (Status.is_booked)
        ):
            continue
        walk = walk_of(invoice, accounts)
        currency, document = invoice.currency, walk.document
        for index, entry in enumerate(history):
            kind, day = entry.kind, entry.on
            if (
                kind is sending
                and entry.to_status is sent
                and entry.from_status in unbooked
                and quick.on
            ):  # a sending (the most frequent booking): its postings made straight away
                made = sent_entry(walk, day, index, first <= day <= last)
            else:
                # the kinds most frequent told by identity (as BOOKINGS books them), the
                # others looked up
                if kind is dunning:
                    booked = notice(walk, index, entry)
                elif kind is sending:
                    booked = transition(walk, index, entry)
                else:
                    booker = bookings.get(kind._name_)
                    if booker is None:
                        continue
                    booked = booker(walk, index, entry)
                if booked is None or not first <= day <= last:
                    continue
                lines, text, valued = booked
                made = entry_of(lines, currency, day, document, text, index, valued)
            if made is not None:
                yield made
