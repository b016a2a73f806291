"""Fee rules: what a dunning notice charges, fixed or as a percentage, per currency.

A :class:`FeeRule` is one stage's fee in one currency (or, for a pure percentage, in
any currency): a ``fixed`` amount, a ``percent`` of the open principal, or both, with
an optional ``minimum`` and ``maximum``. A stage lists its rules in
:attr:`dunlib.DunningStage.fee_rules`, at most one per currency and at most one
without a currency; the engine uses the rule of the invoice's currency, else the rule
without a currency. So one set of rules serves a portfolio of EUR and CHF invoices.
The old ``DunningStage(fee=Money(...))`` is still a fixed fee in that one currency.

How a fee is computed (:meth:`FeeRule.fee_on`), for the principal still open on the
notice's day:

1. the *open principal* is what is open of the invoice's own gross amount, without
   fees and interest charged so far (:attr:`dunlib.payments.allocation.Balance.principal`:
   payments settle fees first, then interest, then principal); never below zero;
2. the percentage part is that principal times ``percent`` / 100, **rounded half-up
   to the currency's minor unit** (the one rounding point);
3. the fixed amount (zero without one) is added;
4. the sum is raised to ``minimum`` and lowered to ``maximum`` where they are given.

A stage's fee is charged once: by the notice that issues the stage (a repetition of a
repeating last stage charges none; see :class:`dunlib.StageRepeat`).

>>> from decimal import Decimal
>>> from dunlib import FeeRule, Money
>>> rule = FeeRule(
...     percent=Decimal("2"), minimum=Money("5.00", "EUR"), maximum=Money("50.00", "EUR")
... )
>>> tuple(str(rule.fee_on(Money(amount, "EUR"))) for amount in ("100", "1000", "10000"))
('5.00 EUR', '20.00 EUR', '50.00 EUR')
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import CurrencyMismatchError, InvalidTypeError, InvalidValueError
from dunlib.core.exact import EXACT
from dunlib.core.money import Money
from dunlib.core.records import HUNDRED

__all__ = ["FeeRule"]


def _percent(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    v.finite_decimal(instance, attribute, value)
    if not Decimal(0) < value <= HUNDRED:
        raise InvalidValueError(
            v.field_name(instance, attribute), value, "a percentage above 0 and up to 100"
        )


@attrs.frozen(kw_only=True)
class FeeRule:
    """A notice's fee: ``fixed`` plus ``percent`` % of the open principal, kept between
    ``minimum`` and ``maximum`` (see the module docs for the order and the rounding point).

    At least one of ``fixed`` and ``percent`` is given; ``minimum`` and ``maximum`` bound a
    percentage only (a fixed fee needs no bounds), ``minimum`` at most ``maximum``. Every
    amount is zero or more and all are in one currency, the rule's :attr:`currency`; a
    pure percentage without amounts has none and serves every currency.
    """

    fixed: Money | None = attrs.field(default=None, validator=v.optional(v.non_negative_money))
    percent: Decimal | None = attrs.field(default=None, converter=v.to_decimal, validator=_percent)
    minimum: Money | None = attrs.field(default=None, validator=v.optional(v.non_negative_money))
    maximum: Money | None = attrs.field(default=None, validator=v.optional(v.non_negative_money))

    def __attrs_post_init__(self) -> None:
        if self.fixed is None and self.percent is None:
            raise InvalidValueError(
                "FeeRule.fixed", None, "a fixed amount, a percent, or both (a rule charges)"
            )
        if self.percent is None:
            for name in ("minimum", "maximum"):
                if getattr(self, name) is not None:
                    raise InvalidValueError(
                        f"FeeRule.{name}", getattr(self, name), "None without a percent"
                    )
        amounts = [(n, getattr(self, n)) for n in ("fixed", "minimum", "maximum")]
        given = [(name, amount) for name, amount in amounts if amount is not None]
        for name, amount in given[1:]:
            if amount.currency != given[0][1].currency:
                raise InvalidValueError(
                    f"FeeRule.{name}", amount, f"an amount in {given[0][1].currency}"
                )
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise InvalidValueError(
                "FeeRule.minimum", self.minimum, f"at most the maximum {self.maximum}"
            )

    @property
    def currency(self) -> str | None:
        """The currency of the rule's amounts; None for a pure percentage (any currency)."""
        for amount in (self.fixed, self.minimum, self.maximum):
            if amount is not None:
                return amount.currency
        return None

    def fee_on(self, principal: Money) -> Money:
        """The fee for ``principal``, the principal still open (less than zero counts as zero).

        Raises :class:`~dunlib.core.errors.CurrencyMismatchError` for a principal in another
        currency than the rule's.
        """
        if not isinstance(principal, Money):
            raise InvalidTypeError("FeeRule.fee_on.principal", principal, "a Money")
        code = principal.currency
        if self.currency is not None and self.currency != code:
            raise CurrencyMismatchError(code, self.currency, "charge a fee across")
        fee = Money.zero(code) if self.fixed is None else self.fixed
        if self.percent is not None and principal.is_positive:
            fee += principal.scaled(self.percent.scaleb(-2, EXACT))  # the rounding point
        if self.minimum is not None and fee < self.minimum:
            fee = self.minimum
        if self.maximum is not None and fee > self.maximum:
            fee = self.maximum
        return fee
