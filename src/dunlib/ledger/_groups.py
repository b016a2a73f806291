"""The amounts of an invoice's journal per tax category and rate (internal to
:mod:`dunlib.ledger`): the groups of its lines, their tax, and the exact shares an amount is
split into over them (see :mod:`dunlib.ledger.bookings` for the rules)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from dunlib.core.exact import EXACT, ROUNDING
from dunlib.core.records import LEAST_STANDARD_RATE, LineItem, TaxCategory

_STANDARD, _REDUCED = TaxCategory.STANDARD, TaxCategory.REDUCED
_new = object.__new__


class _Group:
    """What an invoice (or a credit note) charges in one tax category at one rate (private):
    ``net`` and ``tax`` (exact at the minor unit), the posting's ``code`` and the rate as a
    fraction (``percent``: 0.19 for 19 %); ``kind`` holds its category, code and percent,
    the one tuple of :data:`_KINDS` for them (groups are told apart by it)."""

    __slots__ = ("category", "code", "kind", "net", "percent", "rate", "tax")

    kind: _Kind
    category: TaxCategory | None
    code: str
    net: Decimal
    percent: Decimal
    rate: Decimal
    tax: Decimal

    @property
    def gross(self) -> Decimal:
        return _add(self.net, self.tax)


_Kind = tuple[TaxCategory | None, str, Decimal]
"""A tax category, the tax code of its postings at a rate and the rate as a fraction."""

_KINDS: dict[Decimal | tuple[int, Decimal], _Kind] = {}
"""The kind of each tax category (by identity: its members are singletons) and rate met,
and of each rate met on lines that name no category (by the rate alone): the kind of the
category :attr:`LineItem.category <dunlib.core.records.LineItem.category>` reads off the
rate, the very tuple of the lines that name it, so that lines of one kind are told by
identity. Few: the categories and rates invoices charge, twice at most."""


def _kind(category: TaxCategory | None, rate: Decimal) -> _Kind:
    """The kind of a line in ``category`` (None: it names none) at ``rate``, kept."""
    named = category
    if category is None and rate:  # standard or reduced by its rate
        category = _STANDARD if rate >= LEAST_STANDARD_RATE else _REDUCED
    kind = _KINDS.get((id(category), rate))
    if kind is None:
        kind = _KINDS[id(category), rate] = (category, _tax_code(category, rate), _scaleb(rate, -2))
    if named is None:
        _KINDS[rate] = kind
    return kind


def _tax_code(category: TaxCategory | None, rate: Decimal) -> str:
    """The tax code of a posting in ``category`` at ``rate``: the category's EN 16931 code
    and the rate, ``S19``, ``S7``, ``E0``, ``AE0``; empty where the category is not known."""
    if category is None:
        return ""
    plain = rate.normalize()
    text = format(plain, "f") if plain == plain.to_integral_value() else str(plain)
    return f"{category.code}{text}"


_ZERO = Decimal(0)
_add, _sub, _scaleb = EXACT.add, EXACT.subtract, EXACT.scaleb
"""Sums and differences in the exact context: they never round, whatever the caller's
decimal context."""


def _units(amount: Decimal, digits: int) -> int:
    """``amount`` (at the minor unit) in minor units."""
    return int(_scaleb(amount, digits))


def _amount(units: int, digits: int) -> Decimal:
    """``units`` minor units as an amount at the minor unit."""
    return _scaleb(units, -digits)


def _total(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of ``amounts``."""
    total = _ZERO
    for amount in amounts:
        total = _add(total, amount)
    return total


def _tax_of(net: Decimal, percent: Decimal, quantum: Decimal) -> Decimal:
    """The tax at ``percent`` (0.19 for 19 %) on ``net``, rounded half-up to the minor unit
    (``quantum``): the invoice's rounding point."""
    return EXACT.multiply(net, percent).quantize(quantum, ROUNDING, EXACT)


def _groups(lines: tuple[LineItem, ...], quantum: Decimal, digits: int) -> list[_Group]:
    """The lines' net per tax category and rate, and the tax of each rate (the nets of the
    rate summed, rounded half-up: the invoice's rounding point) shared over the categories
    charged at it in proportion to their net. The groups are few (the categories and rates
    an invoice charges): each line looks for its own among them."""
    groups: list[_Group] = []
    shared = False  # whether a rate is charged in two categories
    add, kinds, new = _add, _KINDS, _new
    for line in lines:
        rate, category = line.tax_rate, line.tax_category
        kind = kinds.get(rate if category is None else (id(category), rate)) or _kind(
            category, rate
        )
        for group in groups:
            if group.kind is kind:
                group.net = add(group.net, line.net.amount)
                break
        else:  # a group of its own (made here alone: no constructor to call)
            for group in groups:
                if group.rate == rate:  # of another category
                    shared = True
            group = new(_Group)
            group.kind, group.rate, group.net, group.tax = kind, rate, line.net.amount, _ZERO
            group.category, group.code, group.percent = kind
            groups.append(group)
    if not shared:  # the tax of each rate is its one group's
        multiply = EXACT.multiply
        for group in groups:
            if group.rate:  # as _tax_of reckons it
                exact = multiply(group.net, group.percent)
                group.tax = exact.quantize(quantum, ROUNDING, EXACT)
        return groups
    by_rate: dict[Decimal, list[_Group]] = {}
    for group in groups:
        by_rate.setdefault(group.rate, []).append(group)
    for rate, members in by_rate.items():
        if rate:
            net = _total(g.net for g in members)
            units = _units(_tax_of(net, members[0].percent, quantum), digits)
            weights = [_units(g.net, digits) for g in members]
            for group, share in zip(members, _shares(units, weights), strict=True):
                group.tax = _amount(share, digits)
    return groups


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` (a positive denominator) rounded half-up (away from
    zero) to a whole number."""
    whole, rest = divmod(abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return whole if numerator >= 0 else -whole


_RATIOS: dict[Decimal, tuple[int, int]] = {}


def _ratio(rate: Decimal) -> tuple[int, int]:
    """``rate`` as a fraction of whole numbers (numerator, denominator)."""
    found = _RATIOS.get(rate)
    if found is None:
        exact = Fraction(rate)
        found = _RATIOS[rate] = (exact.numerator, exact.denominator)
    return found


def _shares(amount: int, weights: list[int]) -> list[int]:
    """``amount`` shared in proportion to ``weights`` by the largest-remainder method: each
    share rounded down, the units left over one each to the largest remainders (the first
    of equal ones); the shares add up to ``amount``. All to the first where the weights add
    up to zero."""
    total = sum(weights)
    if len(weights) == 1 or not total:
        return [amount, *(0 for _ in weights[1:])]
    if total < 0:
        amount, weights, total = -amount, [-w for w in weights], -total
        return [-share for share in _shares(amount, weights)]
    floors, rests = [], []
    for weight in weights:
        share, rest = divmod(amount * weight, total)
        floors.append(share)
        rests.append(rest)
    left = amount - sum(floors)
    for at in sorted(range(len(weights)), key=lambda i: -rests[i])[:left]:
        floors[at] += 1
    return floors


def _vat_in(share: int, rate: Decimal) -> int:
    """The VAT within the gross ``share`` (in minor units) at ``rate`` percent, rounded
    half-up."""
    if not rate:
        return 0
    top, bottom = _ratio(rate)
    return _half_up(share * top, 100 * bottom + top)
