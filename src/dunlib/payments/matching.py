"""Matching incoming bank transactions to open invoices (Zahlungsabgleich, seed 000).

:func:`match_payments` is deterministic and explains every outcome. It works in
three passes over the transactions, strongest evidence first; within a pass,
transactions are taken in date order (ties in the order given), and every
invoice's remaining open amount shrinks as money is assigned to it, so no money
is assigned twice:

1. **Reference.** An invoice number found in the remittance text, tolerant of
   case, spacing and the separators ``- _ / . : # ,`` (``RE-2026-0001``,
   ``re 2026 0001``, ``RE2026/0001``, ``Rechnung Nr. RE-2026-0001``,
   ``SVWZ+RE20260001``) and, next to its letter prefix, of leading zeros in its
   numeric parts (``RE-2026-1``). The letter prefix may be left out
   (``Rg. 2026-0001``) when the rest has at least
   :data:`MIN_DIGITS_WITHOUT_PREFIX` digits, written out in full, and no other
   prefix is tied to it (``GS-2026-0001`` is another document); a number of
   digits only with fewer digits needs a cue word before it (``Rechnung``,
   ``Rg``, ``Nr``, ``Invoice``…). A number never matches inside a longer one.
   The reference wins over the payer's name. Several invoice numbers in one
   text share the money oldest-due first (the rule of BGB §366 (2)); a referenced
   invoice in another currency, settled, or in a state that takes no payment
   leaves the transaction unmatched with that reason.
2. **Amount.** The payer is recognised (see below); exactly one of the payer's
   open invoices has exactly the transaction's amount open, or, within its
   discount period, exactly the open amount less the cash discount.
3. **Subset sum.** A unique set of 2 to :data:`MAX_SUBSET_SIZE` of the payer's
   open invoices whose open amounts add up exactly to the transaction. The
   search is bounded: only the payer's :data:`MAX_SUBSET_CANDIDATES` oldest-due
   open invoices are considered, at most C(20,2) + C(20,3) + C(20,4) = 6,175 sums
   per transaction.

A transaction that pays an invoice more than it has open is matched for the
open amount and the surplus is reported as :attr:`Match.overpayment`. A
transaction that fits several candidates equally well is :class:`Ambiguous`;
one that fits none is :class:`Unmatched`; both carry the reason as an enum.

**Which invoices to pass.** Pass every booked invoice of the period the
statement may pay, PAID ones included, not only the open ones: a transfer
naming an invoice that is already paid is then reported as
:attr:`UnmatchedReason.REFERENCED_INVOICE_SETTLED` (a double payment, to be
refunded), where without it the number is unknown and the money may go to
another invoice of the payer by amount. Invoices that take no payment are never
assigned money; they only explain why a line naming them is not matched.

**Recognising the payer.** The payer is one customer (customers are told apart
by their id; invoices of one id are one customer's, whatever name they carry),
the one its reference fits best, found in this order:

1. The reference is a customer id (compared without case and separators).
2. Otherwise names are compared after folding case, umlauts and accents,
   dropping punctuation and sorting the words; legal forms (GmbH, AG, Ltd, …)
   are set aside as the name's legal form. A customer whose words equal the
   payer's fits with a score of 100; otherwise every customer whose name is at
   least :data:`PAYER_SIMILARITY` alike (a rapidfuzz ratio, 0 to 100,
   inclusive, of the sorted words or of the words in their order, whichever is
   higher; it forgives a typo or two), or whose words all appear among the
   payer's (``Maschinenbau Müller GmbH, Köln``; for names of four letters or
   more), fits with that score (one found by its words alone: with its
   token-sort ratio).
3. The best score wins; among equal scores, the customer whose legal form is
   the payer's. So ``Müller Bau AG`` is ``Müller Bau AG`` and not ``Müller Bau
   GmbH``, and ``Müller Bau Süd AG`` is neither.

Customers still tied are :attr:`AmbiguityReason.SEVERAL_PAYERS`: nothing is
assigned, and the outcome lists the customers and those of their invoices that
fit the amount (``Müller Bau`` when both ``Müller Bau GmbH`` and ``Müller Bau
AG`` are customers). An invoice number in the text needs no payer at all.
Recognition is built once per call: ids and exact names through dicts, the
similar names by rapidfuzz over the distinct names, the word check through an
index of each name's rarest word.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import Enum
from typing import assert_never

import attrs
from rapidfuzz import fuzz, process

from dunlib.core import quick
from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.records import Customer, Payment
from dunlib.core.status import Status
from dunlib.payments.allocation import discount_offer
from dunlib.payments.recording import PAYABLE_STATES

__all__ = [
    "MAX_SUBSET_CANDIDATES",
    "MAX_SUBSET_SIZE",
    "MIN_DIGITS_WITHOUT_PREFIX",
    "PAYER_SIMILARITY",
    "AmbiguityReason",
    "Ambiguous",
    "BankTransaction",
    "Match",
    "MatchReason",
    "MatchedInvoice",
    "Matching",
    "Outcome",
    "Unmatched",
    "UnmatchedReason",
    "describe_match",
    "match_payments",
]

MAX_SUBSET_SIZE = 4
"""The most invoices one transaction is matched to by subset sum (inclusive)."""
MAX_SUBSET_CANDIDATES = 20
"""How many of a payer's open invoices (oldest due first) the subset search considers."""
MIN_DIGITS_WITHOUT_PREFIX = 6
"""Digits an invoice number needs to be recognised without its letter prefix or a cue word."""
PAYER_SIMILARITY = 85.0
"""Least similarity (inclusive, 0 to 100) of two normalised names for the same payer: the
better of the rapidfuzz token-sort ratio and the ratio of the words in their given order
(``fuzz.ratio``: 200 times the characters in common, in order, / the two lengths together)."""


@attrs.frozen(kw_only=True)
class BankTransaction:
    """One line of a bank statement.

    ``on`` is the value date, ``amount`` what was received (a negative amount is
    an outgoing payment, never matched), ``payer`` the payer reference the bank
    reports (a name, possibly misspelt, or a customer id) and ``text`` the
    remittance information (Verwendungszweck). ``id`` is the bank's line id.
    """

    on: _dt.date = attrs.field(validator=v.calendar_date)
    amount: Money = attrs.field(validator=v.money)
    payer: str = attrs.field(default="", validator=v.text)
    text: str = attrs.field(default="", validator=v.text)
    id: str = attrs.field(default="", validator=v.text)


class MatchReason(Enum):
    """Why a transaction was matched."""

    REFERENCE = "reference"
    """An invoice number was found in the remittance text."""
    EXACT_AMOUNT = "exact_amount"
    """The only open invoice of the payer with exactly this amount open."""
    DISCOUNTED_AMOUNT = "discounted_amount"
    """The only open invoice of the payer open for this amount less its cash discount."""
    SUBSET_SUM = "subset_sum"
    """The only set of the payer's open invoices whose open amounts add up to this amount."""


class UnmatchedReason(Enum):
    """Why a transaction was not matched."""

    NOT_INCOMING = "not_incoming"
    """The amount is zero or negative: an outgoing payment."""
    CURRENCY_MISMATCH = "currency_mismatch"
    """The referenced invoices are in another currency than the transaction."""
    REFERENCED_INVOICE_SETTLED = "referenced_invoice_settled"
    """The referenced invoices have nothing open (paid, or paid earlier in this run)."""
    REFERENCED_INVOICE_NOT_PAYABLE = "referenced_invoice_not_payable"
    """The referenced invoices are in a state that takes no payment (draft, cancelled, …)."""
    UNKNOWN_PAYER = "unknown_payer"
    """No invoice number in the text, and the payer is none of the customers."""
    NO_OPEN_INVOICE = "no_open_invoice"
    """The payer is known but has no open invoice in the transaction's currency."""
    NO_AMOUNT_MATCH = "no_amount_match"
    """The payer is known but no open invoice or set of them fits the amount."""


class AmbiguityReason(Enum):
    """Why a transaction fits several candidates equally well."""

    SEVERAL_EQUAL_AMOUNTS = "several_equal_amounts"
    """Several open invoices of the payer have this amount open."""
    SEVERAL_SUBSETS = "several_subsets"
    """Several sets of the payer's open invoices add up to this amount."""
    SEVERAL_PAYERS = "several_payers"
    """The payer fits several customers equally well (listed in :attr:`Ambiguous.payers`)."""


_transaction = v.of_type(BankTransaction, expected="a BankTransaction")


def _candidates(instance: object, attribute: attrs.Attribute[object], value: object) -> None:
    """A tuple of candidates, each a tuple of invoice ids."""
    expected = "a tuple of tuples of invoice ids (str)"
    name = v.field_name(instance, attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, expected)
    for index, group in enumerate(value):
        if not isinstance(group, tuple) or not all(isinstance(one, str) for one in group):
            raise InvalidTypeError(f"{name}[{index}]", group, "a tuple of invoice ids (str)")


@attrs.frozen(kw_only=True)
class MatchedInvoice:
    """The part of a transaction assigned to one invoice.

    ``amount`` is the money assigned (never more than the invoice had open) and
    ``discount`` the cash discount that payment takes (zero when none).
    """

    invoice_id: str = attrs.field(validator=v.text)
    number: str = attrs.field(validator=v.text)
    amount: Money = attrs.field(validator=v.money)
    discount: Money = attrs.field(validator=v.money)


@attrs.frozen(kw_only=True)
class Match:
    """A transaction assigned to one or more invoices.

    The parts and the ``overpayment`` add up exactly to the transaction's amount;
    the overpayment is money beyond what the invoices had open, a credit for the
    customer.
    """

    transaction: BankTransaction = attrs.field(validator=_transaction)
    reason: MatchReason = attrs.field(validator=v.of_type(MatchReason, expected="a MatchReason"))
    invoices: tuple[MatchedInvoice, ...] = attrs.field(
        validator=v.tuple_of(MatchedInvoice, "MatchedInvoice")
    )
    overpayment: Money = attrs.field(validator=v.money)

    def payments(self, *, on: _dt.date | None = None) -> tuple[tuple[str, Payment], ...]:
        """``(invoice_id, Payment)`` pairs to hand to :func:`dunlib.record_payment`.

        ``on`` is the day they are booked, the transaction's day (the day the money
        arrived) their value date; None: booked on the transaction's day. The overpayment
        rides on the last payment, so recording it returns the same overpayment explicitly.
        """
        pairs = []
        last = len(self.invoices) - 1
        arrived = self.transaction.on
        booked = arrived if on is None else as_date(on, "Match.payments.on")
        for index, part in enumerate(self.invoices):
            amount = part.amount + self.overpayment if index == last else part.amount
            reference = self.transaction.text or self.transaction.id
            payment = Payment(
                on=booked,
                amount=amount,
                reference=reference,
                value_date=None if booked == arrived else arrived,
            )
            pairs.append((part.invoice_id, payment))
        return tuple(pairs)


@attrs.frozen(kw_only=True)
class Unmatched:
    """A transaction left for a person, with the reason and the invoices it concerns."""

    transaction: BankTransaction = attrs.field(validator=_transaction)
    reason: UnmatchedReason = attrs.field(
        validator=v.of_type(UnmatchedReason, expected="an UnmatchedReason")
    )
    invoice_ids: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of(str, "str"))


@attrs.frozen(kw_only=True)
class Ambiguous:
    """A transaction that fits several candidates; each candidate is a tuple of invoice ids.

    For :attr:`AmbiguityReason.SEVERAL_PAYERS`, ``payers`` are the ids of the customers
    the payer fits equally well, and the candidates are the invoices of theirs that fit
    the amount (one invoice each, else sets adding up to it; possibly none).
    """

    transaction: BankTransaction = attrs.field(validator=_transaction)
    reason: AmbiguityReason = attrs.field(
        validator=v.of_type(AmbiguityReason, expected="an AmbiguityReason")
    )
    candidates: tuple[tuple[str, ...], ...] = attrs.field(validator=_candidates)
    payers: tuple[str, ...] = attrs.field(default=(), validator=v.tuple_of(str, "str"))


Outcome = Match | Unmatched | Ambiguous
"""What became of one transaction."""


@attrs.frozen(kw_only=True)
class Matching:
    """The result of :func:`match_payments`: every transaction in exactly one of three tuples.

    ``matches`` are in the order the money was assigned (the reference pass, then the
    amount pass, then the subset pass; by date, then the order given, within a pass):
    booking their :meth:`Match.payments` with :func:`~dunlib.payments.recording.record_payment`
    in this order reproduces the split matching computed, cash discounts included.
    ``unmatched`` and ``ambiguous`` are in processing order (date, then the order given).
    """

    matches: tuple[Match, ...]
    unmatched: tuple[Unmatched, ...]
    ambiguous: tuple[Ambiguous, ...]


def describe_match(outcome: Outcome) -> str:
    """One sentence saying what became of a transaction and why.

    Raises :class:`~dunlib.core.errors.InvalidTypeError` for anything but a
    :class:`Match`, :class:`Unmatched` or :class:`Ambiguous`.
    """
    if not isinstance(outcome, Match | Unmatched | Ambiguous):
        raise InvalidTypeError("outcome", outcome, "a Match, Unmatched or Ambiguous")
    line = outcome.transaction
    head = f"{line.on} {line.amount} from {line.payer or 'unknown payer'!r}"
    match outcome:
        case Match(reason=reason, invoices=parts, overpayment=over):
            numbers = ", ".join(part.number for part in parts)
            tail = f"; overpaid by {over}" if over.is_positive else ""
            return f"{head}: matched to {numbers} by {_MATCH_WORDS[reason]}{tail}"
        case Unmatched(reason=reason, invoice_ids=ids):
            about = f" ({', '.join(ids)})" if ids else ""
            return f"{head}: not matched, {_unmatched_words(reason)}{about}"
        case Ambiguous(reason=reason, candidates=candidates, payers=payers):
            options = " or ".join("+".join(group) for group in candidates)
            words = _ambiguity_words(reason, payers)
            return f"{head}: ambiguous, {words}: {options or 'no open invoice fits the amount'}"
        case _:
            assert_never(outcome)


_MATCH_WORDS = {
    MatchReason.REFERENCE: "invoice number in the remittance text",
    MatchReason.EXACT_AMOUNT: "the payer's only invoice with this open amount",
    MatchReason.DISCOUNTED_AMOUNT: "the payer's only invoice open for this amount less discount",
    MatchReason.SUBSET_SUM: "the only set of the payer's invoices adding up to the amount",
}


def _unmatched_words(reason: UnmatchedReason) -> str:
    match reason:
        case UnmatchedReason.NOT_INCOMING:
            return "an outgoing payment"
        case UnmatchedReason.CURRENCY_MISMATCH:
            return "the referenced invoice is in another currency"
        case UnmatchedReason.REFERENCED_INVOICE_SETTLED:
            return "the referenced invoice has nothing open"
        case UnmatchedReason.REFERENCED_INVOICE_NOT_PAYABLE:
            return "the referenced invoice takes no payment in its state"
        case UnmatchedReason.UNKNOWN_PAYER:
            return "no invoice number and an unknown payer"
        case UnmatchedReason.NO_OPEN_INVOICE:
            return "the payer has no open invoice in this currency"
        case UnmatchedReason.NO_AMOUNT_MATCH:
            return "no open invoice of the payer fits the amount"
        case _:
            assert_never(reason)


def _ambiguity_words(reason: AmbiguityReason, payers: tuple[str, ...]) -> str:
    match reason:
        case AmbiguityReason.SEVERAL_EQUAL_AMOUNTS:
            return "several invoices of the payer are open for this amount"
        case AmbiguityReason.SEVERAL_SUBSETS:
            return "several sets of the payer's invoices add up to it"
        case AmbiguityReason.SEVERAL_PAYERS:
            named = f" ({', '.join(payers)})" if payers else ""
            return f"the payer fits several customers equally well{named}"
        case _:
            assert_never(reason)


# -- invoice numbers ----------------------------------------------------------

_SEP = r"[\s\-_/.:#,]*"
_CUE = r"(?:rechnung(?:snummer|snr)?|rg|re|rnr|nr|no|invoice|inv)\.?" + _SEP
_TOKEN = re.compile(r"[^\W\d_]+|\d+")


def _token_key(token: str) -> str:
    """Digits compare as strings with leading zeros dropped (by value), letters without case.

    Digits are the decimal digits ``\\d`` matches; other numerals (``²``) are letters here.
    """
    return (token.lstrip("0") or "0") if token.isdecimal() else token.casefold()


def _token_pattern(token: str, *, tolerant: bool) -> str:
    """A token as a pattern; ``tolerant`` lets a numeric token drop or add leading zeros."""
    if token.isdecimal() and tolerant:
        return "0*" + (token.lstrip("0") or "0")
    return re.escape(token)


def _text_keys(text: str, longest: int) -> set[str]:
    """Index keys a text could match: its words, and the tails of its digit runs.

    Tails matter because a remittance may glue the parts of a number (``RE20260001``).
    Only tails of up to ``longest`` digits are taken, the longest key of the invoices
    searched: a longer tail has the key of the shorter tail that starts at its first
    non-zero digit. So a digit run costs at most ``longest`` keys, however long it is.
    """
    keys: set[str] = set()
    for token in _TOKEN.findall(text):
        if token.isdecimal():
            first = max(0, len(token) - longest)
            keys.update(_token_key(token[start:]) for start in range(first, len(token)))
        else:
            keys.add(token.casefold())
    return keys


@attrs.frozen
class _NumberPattern:
    """How one invoice number is recognised in a remittance text."""

    full: re.Pattern[str]
    short: re.Pattern[str] | None


# Not glued to a letter or digit before it.
_ALONE = r"(?<![^\W_])"
# Not a digit before, nor another letter prefix tied on with a dash (GS-2026-0001).
_NO_PREFIX = r"(?<!\d)(?<![^\W\d_][-_/])"


def _number_key(number: str) -> str | None:
    """The key a remittance text must contain for the number to be looked for: the key of
    its last token; None for a number without letters or digits (never found)."""
    tokens = _TOKEN.findall(number)
    return _token_key(tokens[-1]) if tokens else None


@quick.cached(quick.PATTERNS)
def _number_pattern(number: str) -> _NumberPattern:
    """The patterns for a number that has a key (compiled only for numbers a text may name)."""
    tokens = _TOKEN.findall(number)
    after = r"(?!\d)" if tokens[-1].isdecimal() else r"(?![^\W\d_])"
    digits = sum(len(token) for token in tokens if token.isdecimal())
    tolerant = _SEP.join(_token_pattern(token, tolerant=True) for token in tokens)
    short: re.Pattern[str] | None = None
    if tokens[0].isdecimal():
        if digits >= MIN_DIGITS_WITHOUT_PREFIX:
            exact = _SEP.join(_token_pattern(token, tolerant=False) for token in tokens)
            full = re.compile(_NO_PREFIX + exact + after, re.IGNORECASE)
        else:
            full = re.compile(_ALONE + _CUE + tolerant + after, re.IGNORECASE)
    else:
        full = re.compile(_ALONE + tolerant + after, re.IGNORECASE)
        rest = tokens[1:]
        if rest and rest[0].isdecimal() and digits >= MIN_DIGITS_WITHOUT_PREFIX:
            exact = _SEP.join(_token_pattern(token, tolerant=False) for token in rest)
            short = re.compile(_NO_PREFIX + exact + after, re.IGNORECASE)
    return _NumberPattern(full=full, short=short)


# -- payers -------------------------------------------------------------------

_LEGAL_FORMS = frozenset(
    (
        *("gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "gbr", "ek", "ev", "se"),
        *("ltd", "limited", "inc", "llc", "plc", "co", "sa", "sarl", "bv", "haftungsbeschraenkt"),
    )
)
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@attrs.frozen
class _Name:
    """A name as payer recognition compares it: ``key`` its words without legal forms,
    sorted and joined by spaces; ``ordered`` the same words in their order; ``words`` the
    same as a set; ``forms`` its legal forms."""

    key: str
    ordered: str
    words: frozenset[str]
    forms: frozenset[str]


def _name(name: str) -> _Name:
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    words = re.findall(r"[a-z0-9]+", plain.replace(".", ""))
    kept = [word for word in words if word not in _LEGAL_FORMS]
    return _Name(
        key=" ".join(sorted(kept)),
        ordered=" ".join(kept),
        words=frozenset(kept),
        forms=frozenset(word for word in words if word in _LEGAL_FORMS),
    )


def _plain_id(text: str) -> str:
    return "".join(re.findall(r"[0-9a-z]+", text.casefold()))


_MIN_SUBSET_LETTERS = 4
"""Letters a customer's name (legal forms dropped) needs to be found as words of a payer."""


class _Payers:
    """Which customer a payer reference names, among the customers of one run.

    Built once per :func:`match_payments` call: customer ids and exact names are
    looked up in dicts, names within :data:`PAYER_SIMILARITY` found by rapidfuzz
    over the distinct names, and names whose words all appear in the payer through
    an index by each name's rarest word. Answers are kept per payer reference.
    """

    def __init__(self, customers: Iterable[Customer]) -> None:
        self.by_id: dict[str, set[str]] = {}
        self.by_key: dict[str, set[tuple[str, frozenset[str]]]] = {}
        self.words: dict[str, frozenset[str]] = {}
        self.by_ordered: dict[str, set[str]] = {}
        for customer in customers:
            plain = _plain_id(customer.id)
            if plain:
                self.by_id.setdefault(plain, set()).add(customer.id)
            name = _name(customer.name)
            if name.key:
                self.by_key.setdefault(name.key, set()).add((customer.id, name.forms))
                self.words[name.key] = name.words
                self.by_ordered.setdefault(name.ordered, set()).add(name.key)
        self.keys = sorted(self.by_key)
        self.ordered = sorted(self.by_ordered)
        counts: dict[str, int] = {}
        for key in self.keys:
            for word in self.words[key]:
                counts[word] = counts.get(word, 0) + 1
        self.by_rare_word: dict[str, list[str]] = {}
        for key in self.keys:
            if len(key.replace(" ", "")) >= _MIN_SUBSET_LETTERS:
                rarest = min(self.words[key], key=lambda word: (counts[word], word))
                self.by_rare_word.setdefault(rarest, []).append(key)
        self.known: dict[str, tuple[str, ...]] = {}

    def find(self, payer: str) -> tuple[str, ...]:
        """The ids of the customers the payer fits best: none, one, or several tied (sorted)."""
        found = self.known.get(payer)
        if found is None:
            found = self.known[payer] = self._find(payer)
        return found

    def _find(self, payer: str) -> tuple[str, ...]:
        by_id = self.by_id.get(_plain_id(payer))
        if by_id:
            return tuple(sorted(by_id))
        theirs = _name(payer)
        if not theirs.key:
            return ()
        exact = theirs.key in self.by_key
        scores = {theirs.key: 100.0} if exact else self._similar(theirs)
        ranks: dict[str, tuple[float, bool]] = {}
        for key, score in scores.items():
            for customer_id, forms in self.by_key[key]:
                rank = (score, forms == theirs.forms)
                ranks[customer_id] = max(rank, ranks.get(customer_id, rank))
        best = max(ranks.values(), default=None)
        return tuple(sorted(customer_id for customer_id, rank in ranks.items() if rank == best))

    def _similar(self, theirs: _Name) -> dict[str, float]:
        """Names at least PAYER_SIMILARITY alike, and names whose words all appear in the payer,
        each with its score: the better of the token-sort ratio and the ratio of the words in
        their order (a typo in a first letter changes the sorted order, not the given one)."""
        scores: dict[str, float] = {}
        for key, score, _ in self._alike(theirs.key, self.keys):
            scores[key] = score
        for ordered, score, _ in self._alike(theirs.ordered, self.ordered):
            for key in self.by_ordered[ordered]:
                scores[key] = max(score, scores.get(key, score))
        for word in theirs.words:
            for key in self.by_rare_word.get(word, ()):
                if key not in scores and self.words[key] <= theirs.words:
                    scores[key] = fuzz.ratio(theirs.key, key)
        return scores

    @staticmethod
    def _alike(name: str, names: list[str]) -> list[tuple[str, float, int]]:
        return process.extract(
            name,
            names,
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=PAYER_SIMILARITY,
            limit=None,
        )


# -- the matcher --------------------------------------------------------------


def _age(invoice: Invoice) -> tuple[_dt.date, str, str]:
    return (invoice.due_date, invoice.number, invoice.id)


class _Ledger:
    """Remaining open amounts during one run (private, mutable)."""

    def __init__(self, invoices: Sequence[Invoice]) -> None:
        self.invoices = invoices
        self.remaining = {
            invoice.id: max(invoice.open_amount, Money.zero(invoice.currency))
            for invoice in invoices
        }
        self.discounted: set[str] = set()
        self.by_id = {invoice.id: invoice for invoice in invoices}
        self.by_customer: dict[str, list[Invoice]] = {}
        for invoice in sorted(invoices, key=_age):
            self.by_customer.setdefault(invoice.customer.id, []).append(invoice)
        self.payers = _Payers({invoice.customer for invoice in invoices})
        self.by_key: dict[str, list[Invoice]] = {}
        for invoice in invoices:
            key = _number_key(invoice.number)
            if key is not None:
                self.by_key.setdefault(key, []).append(invoice)
        self.longest_key = max(map(len, self.by_key), default=0)

    def is_open(self, invoice: Invoice, currency: str) -> bool:
        return (
            invoice.status in PAYABLE_STATES
            and invoice.currency == currency
            and self.remaining[invoice.id].is_positive
        )

    def referenced(self, text: str) -> list[Invoice]:
        keys = _text_keys(text, self.longest_key)
        candidates = [
            (invoice, _number_pattern(invoice.number))
            for key in sorted(keys)
            for invoice in self.by_key.get(key, ())
        ]
        found = [invoice for invoice, pattern in candidates if pattern.full.search(text)]
        if not found:
            found = [
                invoice
                for invoice, pattern in candidates
                if pattern.short is not None and pattern.short.search(text)
            ]
        return sorted(found, key=_age)

    def open_invoices(self, customer_id: str, currency: str) -> list[Invoice]:
        """The customer's open invoices in ``currency``, oldest due first."""
        mine = self.by_customer.get(customer_id, ())
        return [invoice for invoice in mine if self.is_open(invoice, currency)]

    def assign(self, invoice: Invoice, amount: Money, discount: Money) -> MatchedInvoice:
        self.remaining[invoice.id] = self.remaining[invoice.id] - amount - discount
        if discount.is_positive:
            self.discounted.add(invoice.id)
        return MatchedInvoice(
            invoice_id=invoice.id, number=invoice.number, amount=amount, discount=discount
        )

    def discount(self, invoice: Invoice, on: _dt.date) -> Money:
        """The cash discount open to a payment on ``on``, as :func:`record_payment` grants it:
        once per invoice, also after part payments (none once this run assigned one)."""
        if invoice.terms.discount_percent is None or invoice.id in self.discounted:
            return Money.zero(invoice.currency)
        return discount_offer(invoice, today=on)


def _by_reference(line: BankTransaction, ledger: _Ledger) -> Outcome | None:
    found = ledger.referenced(line.text)
    if not found:
        return None
    ids = tuple(invoice.id for invoice in found)
    same_currency = [invoice for invoice in found if invoice.currency == line.amount.currency]
    if not same_currency:
        return Unmatched(
            transaction=line, reason=UnmatchedReason.CURRENCY_MISMATCH, invoice_ids=ids
        )
    payable = [invoice for invoice in same_currency if invoice.status in PAYABLE_STATES]
    if not payable:
        paid = all(invoice.status is Status.PAID for invoice in same_currency)
        reason = (
            UnmatchedReason.REFERENCED_INVOICE_SETTLED
            if paid
            else UnmatchedReason.REFERENCED_INVOICE_NOT_PAYABLE
        )
        return Unmatched(transaction=line, reason=reason, invoice_ids=ids)
    open_ones = [invoice for invoice in payable if ledger.is_open(invoice, line.amount.currency)]
    if not open_ones:
        return Unmatched(
            transaction=line, reason=UnmatchedReason.REFERENCED_INVOICE_SETTLED, invoice_ids=ids
        )
    left = line.amount
    parts: list[MatchedInvoice] = []
    nothing = Money.zero(line.amount.currency)
    if len(open_ones) == 1:
        invoice = open_ones[0]
        remaining = ledger.remaining[invoice.id]
        offer = ledger.discount(invoice, line.on)
        if remaining - offer <= left < remaining and offer.is_positive:
            parts.append(ledger.assign(invoice, left, remaining - left))
            return Match(
                transaction=line,
                reason=MatchReason.REFERENCE,
                invoices=tuple(parts),
                overpayment=nothing,
            )
    for invoice in open_ones:
        if not left.is_positive:
            break
        share = min(left, ledger.remaining[invoice.id])
        parts.append(ledger.assign(invoice, share, nothing))
        left = left - share
    return Match(
        transaction=line, reason=MatchReason.REFERENCE, invoices=tuple(parts), overpayment=left
    )


def _amount_fits(
    line: BankTransaction, ledger: _Ledger, mine: Sequence[Invoice]
) -> list[tuple[Invoice, Money]]:
    """Open invoices (of ``mine``) with exactly the line's amount open, or that amount less
    the cash discount open to it on the line's day; each with the discount it takes."""
    nothing = Money.zero(line.amount.currency)
    fits: list[tuple[Invoice, Money]] = []
    for invoice in mine:
        remaining = ledger.remaining[invoice.id]
        if remaining == line.amount:
            fits.append((invoice, nothing))
            continue
        if invoice.terms.discount_percent is None or remaining < line.amount:
            continue
        offer = ledger.discount(invoice, line.on)
        if offer.is_positive and remaining - offer == line.amount:
            fits.append((invoice, offer))
    return fits


def _by_amount(line: BankTransaction, ledger: _Ledger) -> Outcome | None:
    payers = ledger.payers.find(line.payer)
    if not payers:
        return Unmatched(transaction=line, reason=UnmatchedReason.UNKNOWN_PAYER)
    if len(payers) > 1:
        return _several_payers(line, ledger, payers)
    mine = ledger.open_invoices(payers[0], line.amount.currency)
    if not mine:
        return Unmatched(transaction=line, reason=UnmatchedReason.NO_OPEN_INVOICE)
    fits = _amount_fits(line, ledger, mine)
    if len(fits) > 1:
        return Ambiguous(
            transaction=line,
            reason=AmbiguityReason.SEVERAL_EQUAL_AMOUNTS,
            candidates=tuple((invoice.id,) for invoice, _ in fits),
        )
    if len(fits) == 1:
        invoice, discount = fits[0]
        reason = MatchReason.DISCOUNTED_AMOUNT if discount.is_positive else MatchReason.EXACT_AMOUNT
        part = ledger.assign(invoice, line.amount, discount)
        nothing = Money.zero(line.amount.currency)
        return Match(transaction=line, reason=reason, invoices=(part,), overpayment=nothing)
    return None


def _several_payers(line: BankTransaction, ledger: _Ledger, payers: tuple[str, ...]) -> Ambiguous:
    """The payer fits several customers equally well: nothing is assigned. The candidates are
    what the line would pay for each of them: the invoices fitting by amount, else the sets
    adding up to it (at most _MAX_LISTED_SUBSETS), possibly none."""
    theirs = [ledger.open_invoices(customer_id, line.amount.currency) for customer_id in payers]
    candidates: list[tuple[str, ...]] = [
        (invoice.id,) for mine in theirs for invoice, _ in _amount_fits(line, ledger, mine)
    ]
    if not candidates:
        candidates = [combo for mine in theirs for combo in _subset_fits(line, ledger, mine)]
    return Ambiguous(
        transaction=line,
        reason=AmbiguityReason.SEVERAL_PAYERS,
        candidates=tuple(candidates[:_MAX_LISTED_SUBSETS]),
        payers=payers,
    )


_MAX_LISTED_SUBSETS = 10


def _subsets(amounts: Sequence[Decimal], target: Decimal) -> list[tuple[int, ...]]:
    """Every set of 2 to MAX_SUBSET_SIZE positions whose (positive) amounts sum to ``target``.

    Exhaustive within the bound, pruned: amounts are tried in ascending order and
    a branch stops as soon as the next amount exceeds what is left. Sets come
    back smallest first, then in position order.
    """
    order = sorted(range(len(amounts)), key=lambda i: (amounts[i], i))
    found: list[tuple[int, ...]] = []

    def walk(start: int, chosen: tuple[int, ...], left: Decimal) -> None:
        if left == 0 and len(chosen) >= 2:
            found.append(tuple(sorted(chosen)))
            return
        if len(chosen) == MAX_SUBSET_SIZE:
            return
        for position in order[start:]:
            start += 1
            if amounts[position] > left:
                break
            walk(start, (*chosen, position), left - amounts[position])

    walk(0, (), target)
    return sorted(found, key=lambda combo: (len(combo), combo))


def _subset_fits(
    line: BankTransaction, ledger: _Ledger, mine: Sequence[Invoice]
) -> list[tuple[str, ...]]:
    """The sets of ``mine``'s MAX_SUBSET_CANDIDATES oldest invoices whose open amounts add up
    to the line's amount, as invoice ids (smallest sets first)."""
    pool = mine[:MAX_SUBSET_CANDIDATES]
    found = _subsets([ledger.remaining[invoice.id].amount for invoice in pool], line.amount.amount)
    return [tuple(pool[i].id for i in combo) for combo in found]


def _by_subset(line: BankTransaction, ledger: _Ledger) -> Outcome:
    (payer,) = ledger.payers.find(line.payer)
    found = _subset_fits(line, ledger, ledger.open_invoices(payer, line.amount.currency))
    if not found:
        return Unmatched(transaction=line, reason=UnmatchedReason.NO_AMOUNT_MATCH)
    if len(found) > 1:
        return Ambiguous(
            transaction=line,
            reason=AmbiguityReason.SEVERAL_SUBSETS,
            candidates=tuple(found[:_MAX_LISTED_SUBSETS]),
        )
    nothing = Money.zero(line.amount.currency)
    parts = tuple(
        ledger.assign(ledger.by_id[invoice_id], ledger.remaining[invoice_id], nothing)
        for invoice_id in found[0]
    )
    return Match(
        transaction=line, reason=MatchReason.SUBSET_SUM, invoices=parts, overpayment=nothing
    )


def _listed(values: object, field: str, expected: str) -> list[object]:
    """``values`` as a list; InvalidTypeError naming ``field`` if it cannot be iterated."""
    try:
        items = iter(values)  # type: ignore[call-overload]
    except TypeError:
        raise InvalidTypeError(field, values, expected) from None
    return list(items)


def _checked(
    transactions: Iterable[BankTransaction], invoices: Iterable[Invoice]
) -> tuple[list[BankTransaction], list[Invoice]]:
    lines: list[BankTransaction] = []
    line_ids: set[str] = set()
    given = _listed(transactions, "transactions", "an iterable of BankTransaction")
    for index, line in enumerate(given):
        if not isinstance(line, BankTransaction):
            raise InvalidTypeError(f"transactions[{index}]", line, "a BankTransaction")
        if line.id and line.id in line_ids:
            raise InvalidValueError(
                f"transactions[{index}].id", line.id, "bank line ids once each (a line given twice)"
            )
        line_ids.add(line.id)
        lines.append(line)
    books: list[Invoice] = []
    ids: set[str] = set()
    numbers: set[str] = set()
    for index, invoice in enumerate(_listed(invoices, "invoices", "an iterable of Invoice")):
        if not isinstance(invoice, Invoice):
            raise InvalidTypeError(f"invoices[{index}]", invoice, "an Invoice")
        if invoice.id in ids:
            raise InvalidValueError(
                f"invoices[{index}].id",
                invoice.id,
                f"invoice ids once each (invoice {invoice.known_as} twice)",
            )
        key = _plain_id(invoice.number)
        if key and key in numbers:
            raise InvalidValueError(
                f"invoices[{index}].number",
                invoice.number,
                "invoice numbers that differ in more than case and separators",
            )
        ids.add(invoice.id)
        numbers.add(key)
        books.append(invoice)
    return lines, books


def match_payments(
    transactions: Iterable[BankTransaction], invoices: Iterable[Invoice]
) -> Matching:
    """Assign bank transactions to open invoices: by reference, amount, then subset sum.

    Every transaction ends in exactly one of ``matches``, ``unmatched`` and
    ``ambiguous``. No transaction is assigned more than its amount, no invoice
    more than it has open (the surplus is the match's overpayment), and the same
    inputs always give the same result. See the module docs for the passes and
    their bounds.

    Pass all booked invoices of the period, PAID ones included: only then is a
    second transfer for a paid invoice recognised (as
    :attr:`UnmatchedReason.REFERENCED_INVOICE_SETTLED`) instead of being matched
    elsewhere or reported as from an unknown payer. Raises
    :class:`~dunlib.core.errors.InvalidValueError` for an invoice id or number given twice
    and for a bank line id given twice, and
    :class:`~dunlib.core.errors.InvalidTypeError` when ``transactions`` or ``invoices``
    is not an iterable of :class:`BankTransaction` or :class:`Invoice`.
    """
    lines, books = _checked(transactions, invoices)
    order = sorted(range(len(lines)), key=lambda i: (lines[i].on, i))
    ledger = _Ledger(books)
    outcomes: dict[int, Outcome] = {}
    for index in order:
        if not lines[index].amount.is_positive:
            outcomes[index] = Unmatched(
                transaction=lines[index], reason=UnmatchedReason.NOT_INCOMING
            )
            continue
        found = _by_reference(lines[index], ledger)
        if found is not None:
            outcomes[index] = found
    for index in order:
        if index not in outcomes:
            found = _by_amount(lines[index], ledger)
            if found is not None:
                outcomes[index] = found
    for index in order:
        if index not in outcomes:
            outcomes[index] = _by_subset(lines[index], ledger)
    # dicts keep insertion order: the order in which the passes assigned the money
    assigned = [o for o in outcomes.values() if isinstance(o, Match)]
    ordered = [outcomes[index] for index in order]
    return Matching(
        matches=tuple(assigned),
        unmatched=tuple(o for o in ordered if isinstance(o, Unmatched)),
        ambiguous=tuple(o for o in ordered if isinstance(o, Ambiguous)),
    )
