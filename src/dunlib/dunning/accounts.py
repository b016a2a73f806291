"""The customer's account: customer-level dunning settings, holds and credit, dated.

A :class:`~dunlib.core.records.Customer` is copied into every invoice as it was when the
invoice was issued, and stays so. What changes later about a customer lives in one
:class:`CustomerAccount` per customer, a value the caller stores next to its invoices and
hands to :func:`dunlib.next_dunning_action`, :func:`dunlib.plan` and
:func:`dunlib.simulate` (each takes it as an optional ``account``/``accounts``; without
one they behave exactly as before). The account holds nothing but its ``history``, an
append-only tuple of dated :class:`AccountChange` values, and answers every question as of
a day by reading the changes made up to it:

- **dunning on/off** (:func:`switch_dunning`) and **fees on/off** (:func:`switch_fees`):
  on by default. Dunning (fees) of an invoice happens only when both the customer as
  copied into the invoice and the account on that day allow it;
- **customer-level holds** (:func:`hold_account`, :func:`lift_account_hold`): a dispute or
  a promise to pay for every invoice of the customer, with the same dates and ends as an
  invoice's :class:`~dunlib.core.records.Hold` (a direct debit belongs to an invoice);
- **customer credit** (:func:`keep_credit`, :func:`keep_overpayment`,
  :func:`use_credit`): money of the customer not yet allocated to an invoice, per
  currency: an overpayment :func:`dunlib.record_payment` returned, a credit note not
  applied. The engine nets it against the amount a notice claims and skips a notice whose
  open amount it covers (:attr:`~dunlib.dunning.actions.NoActionReason.COVERED_BY_CREDIT`);
  :func:`use_credit` books it onto an invoice as a payment. No cent is lost: the credit
  kept equals the credit left plus the credit used, in every currency.

Every change is dated and never before the account's last change (history never goes
back); a change may be dated ahead (a hold from next week), and the account answers for
any day. Every change is made by an :class:`~dunlib.workflow.policy.Actor` whose roles grant it
(:data:`~dunlib.workflow.policy.OPERATIONS`: accountants by default, automatic processes for holds,
overpayments and using credit; pass ``permissions=`` for others, as for an invoice's
steps), else :class:`~dunlib.core.errors.AccountPermissionDeniedError`; the change records the
actor's id.
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.dates import as_date
from dunlib.core.errors import (
    AccountPermissionDeniedError,
    InvalidTypeError,
    InvalidValueError,
)
from dunlib.core.invoice import Invoice, checked_invoice
from dunlib.core.money import Money
from dunlib.core.records import Hold, HoldKind, Payment
from dunlib.payments.recording import PaymentResult, overpaid_step, record_payment
from dunlib.workflow.policy import (
    Actor,
    Authority,
    Operation,
    checked_actor,
    checked_authority,
)

__all__ = [
    "AccountChange",
    "AccountChangeKind",
    "CreditUse",
    "CustomerAccount",
    "hold_account",
    "keep_credit",
    "keep_overpayment",
    "lift_account_hold",
    "switch_dunning",
    "switch_fees",
    "use_credit",
]


class AccountChangeKind(Enum):
    """What an :class:`AccountChange` changed."""

    DUNNING_ON = "dunning_on"
    """Dunning of the customer's invoices switched on."""
    DUNNING_OFF = "dunning_off"
    """Dunning of the customer's invoices switched off."""
    FEES_ON = "fees_on"
    """Dunning fees for the customer switched on."""
    FEES_OFF = "fees_off"
    """Dunning fees for the customer switched off (dunning goes on without fees)."""
    HOLD_PLACED = "hold_placed"
    """A customer-level hold was placed (``hold``)."""
    HOLD_LIFTED = "hold_lifted"
    """The customer-level hold of ``hold_kind`` was lifted before its end."""
    CREDIT_KEPT = "credit_kept"
    """``amount`` was kept as the customer's credit (an overpayment, a credit note)."""
    CREDIT_USED = "credit_used"
    """``amount`` of the customer's credit was booked onto an invoice."""


_WITH_AMOUNT = (AccountChangeKind.CREDIT_KEPT, AccountChangeKind.CREDIT_USED)


@attrs.frozen(kw_only=True)
class AccountChange:
    """One dated change to a customer's account: ``kind`` on day ``on`` by ``actor`` (an id),
    for ``reason``. ``hold`` is the hold placed (HOLD_PLACED only), ``hold_kind`` the kind
    lifted (HOLD_LIFTED only), ``amount`` the credit kept or used (CREDIT_KEPT and
    CREDIT_USED only; positive). ``source`` names the payment whose overpayment a
    CREDIT_KEPT change keeps (:func:`keep_overpayment`; empty otherwise) as
    ``"<invoice id>#<n>"``, the invoice's id and the position (from 0) of the payment's
    step in its history: a payment's overpayment is kept at most once."""

    on: _dt.date = attrs.field(validator=v.calendar_date)
    kind: AccountChangeKind = attrs.field(
        validator=v.of_type(AccountChangeKind, expected="an AccountChangeKind")
    )
    actor: str = attrs.field(default="", validator=v.text)
    reason: str = attrs.field(default="", validator=v.text)
    hold: Hold | None = attrs.field(
        default=None, validator=v.optional(v.of_type(Hold, expected="a Hold"))
    )
    hold_kind: HoldKind | None = attrs.field(
        default=None, validator=v.optional(v.of_type(HoldKind, expected="a HoldKind"))
    )
    amount: Money | None = attrs.field(default=None, validator=v.optional(v.positive_money))
    source: str = attrs.field(default="", validator=v.text)

    def __attrs_post_init__(self) -> None:
        kind = self.kind
        if self.source and kind is not AccountChangeKind.CREDIT_KEPT:
            raise InvalidValueError(
                "AccountChange.source", self.source, f"empty for a {kind.name} change"
            )
        self._only("hold", kind is AccountChangeKind.HOLD_PLACED)
        self._only("hold_kind", kind is AccountChangeKind.HOLD_LIFTED)
        self._only("amount", kind in _WITH_AMOUNT)
        hold = self.hold
        if hold is not None:
            if hold.on != self.on or hold.lifted_on is not None:
                raise InvalidValueError(
                    "AccountChange.hold", hold, f"a hold from {self.on}, not lifted"
                )
            if hold.kind is HoldKind.DIRECT_DEBIT:
                raise InvalidValueError(
                    "AccountChange.hold.kind",
                    hold.kind,
                    "DISPUTE or PROMISE_TO_PAY (a direct "
                    "debit belongs to an invoice: dunlib.place_hold)",
                )
        if self.hold_kind is HoldKind.DIRECT_DEBIT:
            raise InvalidValueError(
                "AccountChange.hold_kind", self.hold_kind, "DISPUTE or PROMISE_TO_PAY"
            )

    def _only(self, name: str, wanted: bool) -> None:
        value = getattr(self, name)
        if wanted and value is None:
            raise InvalidValueError(
                f"AccountChange.{name}", None, f"a value for a {self.kind.name} change"
            )
        if not wanted and value is not None:
            raise InvalidValueError(
                f"AccountChange.{name}", value, f"None for a {self.kind.name} change"
            )


def _history(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(AccountChange, "an AccountChange")(instance, attribute, value)
    field = v.field_name(instance, attribute)
    for index, change in enumerate(value[1:], start=1):
        if change.on < value[index - 1].on:
            raise InvalidValueError(
                f"{field}[{index}].on",
                change.on,
                f"on or after {value[index - 1].on}: history never goes back",
            )
    credit: dict[str, Money] = {}
    holds: list[Hold] = []
    sources: set[str] = set()
    for index, change in enumerate(value):
        if change.source in sources:
            raise InvalidValueError(
                f"{field}[{index}].source", change.source, "a payment whose overpayment is not kept"
            )
        if change.source:
            sources.add(change.source)
        amount = change.amount
        if amount is not None:
            have = credit.get(amount.currency, Money.zero(amount.currency))
            if change.kind is AccountChangeKind.CREDIT_USED and amount > have:
                raise InvalidValueError(
                    f"{field}[{index}].amount", amount, f"at most the credit left, {have}"
                )
            kept = change.kind is AccountChangeKind.CREDIT_KEPT
            credit[amount.currency] = have + amount if kept else have - amount
        if change.hold is not None:
            new = change.hold
            if any(h.kind is new.kind and h.holds_on(today=change.on) for h in holds):
                raise InvalidValueError(
                    f"{field}[{index}].hold", new, f"no {new.kind.name} hold holding already"
                )
            holds.append(new)
        if change.hold_kind is not None:
            lifted = [
                i for i, h in enumerate(holds)
                if h.kind is change.hold_kind and h.holds_on(today=change.on)
            ]  # fmt: skip
            if not lifted:
                raise InvalidValueError(
                    f"{field}[{index}].hold_kind",
                    change.hold_kind,
                    f"the kind of a hold that holds on {change.on}",
                )
            holds[lifted[0]] = attrs.evolve(holds[lifted[0]], lifted_on=change.on)


@attrs.frozen(kw_only=True)
class CustomerAccount:
    """The account of customer ``customer_id``: its dated, append-only ``history`` of
    :class:`AccountChange` values, and the answers it gives for any day (see the module
    docs). An account without changes has dunning and fees on, no hold and no credit."""

    customer_id: str = attrs.field(validator=v.non_empty_text)
    history: tuple[AccountChange, ...] = attrs.field(
        default=(), converter=v.to_tuple, validator=_history
    )

    def _until(self, today: _dt.date, field: str) -> list[AccountChange]:
        day = as_date(today, f"CustomerAccount.{field}.today")
        return [change for change in self.history if change.on <= day]

    def _switch(self, today: _dt.date, on: AccountChangeKind, off: AccountChangeKind) -> bool:
        state = True
        for change in self._until(today, on.value.split("_")[0] + "_enabled"):
            if change.kind in (on, off):
                state = change.kind is on
        return state

    def dunning_enabled(self, *, today: _dt.date) -> bool:
        """Whether dunning of the customer's invoices is on, on ``today``."""
        return self._switch(today, AccountChangeKind.DUNNING_ON, AccountChangeKind.DUNNING_OFF)

    def fees_enabled(self, *, today: _dt.date) -> bool:
        """Whether dunning fees are charged to the customer, on ``today``."""
        return self._switch(today, AccountChangeKind.FEES_ON, AccountChangeKind.FEES_OFF)

    def next_dunning_on(self, *, today: _dt.date) -> _dt.date | None:
        """The first day after ``today`` on which a recorded change switches dunning on, or
        None (while dunning is off, the day it is on again, where the account knows it)."""
        day = as_date(today, "CustomerAccount.next_dunning_on.today")
        return next(
            (
                change.on
                for change in self.history
                if change.on > day and change.kind is AccountChangeKind.DUNNING_ON
            ),
            None,
        )

    def next_change(self, *, today: _dt.date) -> _dt.date | None:
        """The day of the first change recorded after ``today``, or None."""
        day = as_date(today, "CustomerAccount.next_change.today")
        return next((change.on for change in self.history if change.on > day), None)

    def holds(self, *, today: _dt.date) -> tuple[Hold, ...]:
        """The customer-level holds as known on ``today`` (lifts recorded by then applied),
        in the order placed, whether they hold on that day or not."""
        holds: list[Hold] = []
        for change in self._until(today, "holds"):
            if change.hold is not None:
                holds.append(change.hold)
            elif change.hold_kind is not None:
                holds = [
                    attrs.evolve(h, lifted_on=change.on)
                    if h.kind is change.hold_kind and h.holds_on(today=change.on)
                    else h
                    for h in holds
                ]
        return tuple(holds)

    def holds_on(self, *, today: _dt.date) -> tuple[Hold, ...]:
        """The customer-level holds that hold on ``today``, in the order placed."""
        return tuple(hold for hold in self.holds(today=today) if hold.holds_on(today=today))

    def credit(self, currency: str, *, today: _dt.date) -> Money:
        """The customer's credit in ``currency`` on ``today``: kept less used, never negative."""
        total = Money.zero(currency)
        for change in self._until(today, "credit"):
            if change.amount is not None and change.amount.currency == total.currency:
                if change.kind is AccountChangeKind.CREDIT_KEPT:
                    total = total + change.amount
                else:
                    total = total - change.amount
        return total

    def credit_kept(self, currency: str) -> Money:
        """Every credit ever kept in ``currency`` (the whole history)."""
        return self._total(currency, AccountChangeKind.CREDIT_KEPT)

    def credit_used(self, currency: str) -> Money:
        """Every credit ever booked onto an invoice in ``currency`` (the whole history)."""
        return self._total(currency, AccountChangeKind.CREDIT_USED)

    def _total(self, currency: str, kind: AccountChangeKind) -> Money:
        total = Money.zero(currency)
        for change in self.history:
            amount = change.amount
            if change.kind is kind and amount is not None and amount.currency == total.currency:
                total = total + amount
        return total


def checked_account(account: object, operation: str) -> CustomerAccount:
    """``account`` when it is a :class:`CustomerAccount`; else InvalidTypeError."""
    if not isinstance(account, CustomerAccount):
        raise InvalidTypeError(f"{operation}.account", account, "a CustomerAccount")
    return account


def account_for(account: object, invoice: Invoice, operation: str) -> CustomerAccount | None:
    """``account`` checked for ``invoice`` (None passes): the account of its customer."""
    if account is None:
        return None
    checked = checked_account(account, operation)
    if checked.customer_id != invoice.customer.id:
        raise InvalidValueError(
            f"{operation}.account.customer_id",
            checked.customer_id,
            f"the customer {invoice.customer.id!r} of invoice {invoice.known_as}",
        )
    return checked


def _changed(
    account: CustomerAccount, operation: Operation, on: object, actor: Actor, **fields: Any
) -> CustomerAccount:
    """``account`` with the change ``fields`` made by ``actor`` on ``on`` (its rights
    checked already: :func:`_check_rights`)."""
    name = operation.value
    day = as_date(on, f"{name}.on")
    if account.history and day < account.history[-1].on:
        raise InvalidValueError(
            f"{name}.on",
            day,
            f"on or after {account.history[-1].on}, the day of the account's last change",
        )
    change = AccountChange(on=day, actor=actor.id, **fields)
    return attrs.evolve(account, history=(*account.history, change))


def _check_rights(
    account: CustomerAccount, operation: Operation, actor: Actor, authority: Authority
) -> None:
    """The account, the actor and the authority checked for type, and the actor's right
    to ``operation`` (:class:`~dunlib.core.errors.AccountPermissionDeniedError`)."""
    name = operation.value
    checked_account(account, name)
    checked_actor(actor, name)
    allowed = checked_authority(authority, name).permissions
    if not allowed.allows_operation(actor, operation):
        raise AccountPermissionDeniedError(
            actor=actor.id,
            roles=sorted(actor.roles),
            command=operation.name,
            customer_id=account.customer_id,
            required=sorted(allowed.roles_for_operation(operation)),
        )


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(field, value, "a bool")
    return value


def switch_dunning(
    account: CustomerAccount,
    *,
    enabled: bool,
    on: _dt.date,
    actor: Actor,
    reason: str = "",
    authority: Authority,
) -> CustomerAccount:
    """``account`` with dunning of the customer's invoices switched on or off from ``on``
    by ``actor`` (an accountant by default: :data:`~dunlib.workflow.policy.OPERATIONS`)."""
    on_off = _flag(enabled, "switch_dunning.enabled")
    kind = AccountChangeKind.DUNNING_ON if on_off else AccountChangeKind.DUNNING_OFF
    _check_rights(account, Operation.SWITCH_DUNNING, actor, authority)
    return _changed(account, Operation.SWITCH_DUNNING, on, actor, kind=kind, reason=reason)


def switch_fees(
    account: CustomerAccount,
    *,
    enabled: bool,
    on: _dt.date,
    actor: Actor,
    reason: str = "",
    authority: Authority,
) -> CustomerAccount:
    """``account`` with dunning fees for the customer switched on or off from ``on`` by
    ``actor`` (the fee opt-out: dunning goes on, documents charge no fee)."""
    on_off = _flag(enabled, "switch_fees.enabled")
    kind = AccountChangeKind.FEES_ON if on_off else AccountChangeKind.FEES_OFF
    _check_rights(account, Operation.SWITCH_FEES, actor, authority)
    return _changed(account, Operation.SWITCH_FEES, on, actor, kind=kind, reason=reason)


def hold_account(
    account: CustomerAccount,
    hold: Hold,
    *,
    actor: Actor,
    authority: Authority,
) -> CustomerAccount:
    """``account`` with ``hold`` (a dispute or a promise to pay) placed on every invoice of
    the customer from ``hold.on`` by ``actor``; refused while a hold of that kind holds."""
    if not isinstance(hold, Hold):
        raise InvalidTypeError("hold_account.hold", hold, "a Hold")
    _check_rights(account, Operation.HOLD_ACCOUNT, actor, authority)
    return _changed(
        account,
        Operation.HOLD_ACCOUNT,
        hold.on,
        actor,
        kind=AccountChangeKind.HOLD_PLACED,
        reason=hold.reason,
        hold=hold,
    )


def lift_account_hold(
    account: CustomerAccount,
    kind: HoldKind,
    *,
    on: _dt.date,
    actor: Actor,
    reason: str = "",
    authority: Authority,
) -> CustomerAccount:
    """``account`` with its hold of ``kind`` lifted on ``on`` by ``actor`` (dunning resumes
    that day); refused when no hold of that kind holds on ``on``."""
    if not isinstance(kind, HoldKind):
        raise InvalidTypeError("lift_account_hold.kind", kind, "a HoldKind")
    _check_rights(account, Operation.LIFT_ACCOUNT_HOLD, actor, authority)
    return _changed(
        account,
        Operation.LIFT_ACCOUNT_HOLD,
        on,
        actor,
        kind=AccountChangeKind.HOLD_LIFTED,
        reason=reason,
        hold_kind=kind,
    )


def keep_credit(
    account: CustomerAccount,
    amount: Money,
    *,
    on: _dt.date,
    actor: Actor,
    reason: str,
    authority: Authority,
) -> CustomerAccount:
    """``account`` with ``amount`` kept as the customer's credit from ``on`` by ``actor``
    (a credit note not yet applied, money received for no invoice), ``reason`` saying
    where it came from."""
    _check_rights(account, Operation.KEEP_CREDIT, actor, authority)
    return _changed(
        account,
        Operation.KEEP_CREDIT,
        on,
        actor,
        kind=AccountChangeKind.CREDIT_KEPT,
        reason=reason,
        amount=amount,
    )


def keep_overpayment(
    account: CustomerAccount,
    result: PaymentResult,
    *,
    actor: Actor,
    authority: Authority,
) -> CustomerAccount:
    """``account`` with the overpayment of ``result`` (what :func:`dunlib.record_payment`
    returned) kept as credit by ``actor`` on the day of the invoice's last step (the
    payment's day); unchanged when there was none.

    The result is checked against its invoice, not trusted: the invoice's last step must be
    the payment that left exactly this overpayment (an
    :class:`~dunlib.core.errors.InvalidValueError` naming the result's field otherwise). Each
    payment's overpayment is kept once: the change records the payment as its ``source``
    (the invoice's id and the position of the payment's step in its history), and keeping
    it again is refused with an InvalidValueError naming the invoice.
    """
    _check_rights(account, Operation.KEEP_OVERPAYMENT, actor, authority)
    if not isinstance(result, PaymentResult):
        raise InvalidTypeError("keep_overpayment.result", result, "a PaymentResult")
    step = overpaid_step(result, "keep_overpayment")
    invoice = result.invoice
    account_for(account, invoice, "keep_overpayment")
    if step is None:
        return account
    name = invoice.known_as
    source = f"{invoice.id}#{step}"
    for change in account.history:
        if change.source == source:
            raise InvalidValueError(
                "keep_overpayment.result",
                name,
                f"a payment whose overpayment is not kept yet (the overpayment of the payment "
                f"of {invoice.history[step].on} on invoice {name} was kept on {change.on})",
            )
    return _changed(
        account,
        Operation.KEEP_OVERPAYMENT,
        invoice.history[step].on,
        actor,
        kind=AccountChangeKind.CREDIT_KEPT,
        reason=f"overpayment of invoice {name}",
        amount=result.overpayment,
        source=source,
    )


@attrs.frozen(kw_only=True)
class CreditUse:
    """The outcome of :func:`use_credit`: the ``account`` with the credit used recorded,
    the ``invoice`` with it booked as a payment, and the ``amount`` moved."""

    account: CustomerAccount
    invoice: Invoice
    amount: Money


def use_credit(
    account: CustomerAccount,
    invoice: Invoice,
    *,
    on: _dt.date,
    amount: Money | None = None,
    actor: Actor,
    authority: Authority,
) -> CreditUse:
    """Book the customer's credit onto ``invoice`` on ``on``: a payment (reference
    ``customer credit``) through :func:`dunlib.record_payment`, and a CREDIT_USED change of
    exactly what the invoice took, by ``actor`` (its right to use credit and to record the
    payment both checked). ``amount`` defaults to the credit in the invoice's currency, at
    most what is open; asking more than the credit is refused. Nothing is lost: what the
    invoice did not take stays credit."""
    _check_rights(account, Operation.USE_CREDIT, actor, authority)
    checked_invoice(invoice, "use_credit")
    account_for(account, invoice, "use_credit")
    day = as_date(on, "use_credit.on")
    have = account.credit(invoice.currency, today=day)
    open_amount = max(invoice.open_amount, Money.zero(invoice.currency))
    if amount is None:
        amount = min(have, open_amount)
    elif not isinstance(amount, Money):
        raise InvalidTypeError("use_credit.amount", amount, "a Money")
    if amount.currency != invoice.currency or not Money.zero(amount.currency) < amount <= min(
        have, open_amount
    ):
        raise InvalidValueError(
            "use_credit.amount",
            amount,
            f"a positive amount of at most the credit {have} and the open amount {open_amount} of "
            f"invoice {invoice.known_as}",
        )
    after = _changed(
        account,
        Operation.USE_CREDIT,
        day,
        actor,
        kind=AccountChangeKind.CREDIT_USED,
        reason=f"booked onto invoice {invoice.number or invoice.id}",
        amount=amount,
    )
    result = record_payment(
        invoice,
        Payment(on=day, amount=amount, reference="customer credit"),
        actor=actor,
        authority=authority,
    )
    return CreditUse(account=after, invoice=result.invoice, amount=amount)
