"""What the dunning engine decides: one value of the closed union :data:`DunningAction`.

:func:`dunlib.next_dunning_action` returns exactly one of

* :class:`IssueStage` — create and send the next dunning document;
* :class:`NoAction` — nothing to do today, with a :class:`NoActionReason` and,
  where it is known, the next day something can happen;
* :class:`Escalate` — the ladder has run its course; do what the rules say
  (:class:`~dunlib.dunning.stages.Escalation`).

Match on it exhaustively::

    match action:
        case IssueStage(): ...
        case NoAction(): ...
        case Escalate(): ...
        case _: assert_never(action)

The engine only decides; the caller applies the decision (for an
:class:`IssueStage`, with :func:`dunlib.record_stage`; for an :class:`Escalate`, with
:func:`dunlib.record_escalation`).
"""

from __future__ import annotations

import datetime as _dt
from enum import Enum

import attrs

from dunlib.core import validate as v
from dunlib.core.calendars import HolidayCalendar, Target2Calendar, WeekendCalendar
from dunlib.core.errors import InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money
from dunlib.core.records import IssuedStage
from dunlib.core.templates import Template, TemplateValues
from dunlib.dunning.interest import BaseRates, checked_base_rates
from dunlib.dunning.stages import (
    Channel,
    DispatchMode,
    DunningStage,
    Escalation,
    StageKind,
    _rules_calendar,
)

__all__ = [
    "DunningAction",
    "Escalate",
    "IssueStage",
    "LetterDocuments",
    "NoAction",
    "NoActionReason",
]


class NoActionReason(Enum):
    """Why the engine does nothing today."""

    NOT_BOOKED = "not_booked"
    """The invoice is still a draft (DRAFT, CREATED or REVIEWED): it was never sent."""
    SETTLED = "settled"
    """Nothing is owed any more (PAID, or an open amount of zero or less)."""
    CLOSED = "closed"
    """The invoice was cancelled or written off; dunning is over."""
    NOT_YET_DUE = "not_yet_due"
    """The next stage's trigger date has not come yet; ``next_on`` is that date."""
    PAUSED = "paused"
    """Dunning of this invoice is paused (until it is resumed)."""
    CUSTOMER_DISABLED = "customer_disabled"
    """Dunning is switched off for the invoice's customer."""
    NO_ACTIVE_STAGE = "no_active_stage"
    """The rules have no active stage: dunning is suspended globally."""
    BELOW_MINIMUM = "below_minimum"
    """The open amount is below the rules' minimum for the invoice's currency."""
    EXHAUSTED = "exhausted"
    """Every active stage was sent and the rules name no escalation (or the invoice was
    never dunned, only reminded before its due date: there is nothing to escalate)."""
    ESCALATED = "escalated"
    """The invoice was escalated (handed to collection, service blocked): dunning is over."""
    BELOW_CUSTOMER_MINIMUM = "below_customer_minimum"
    """The run would issue a document, but the customer's overdue open amounts in the
    currency add up to less than the customer-level minimum (:func:`dunlib.customer_minimum`);
    the action's ``minimum`` and ``overdue_total`` show both."""
    NOT_SELECTED = "not_selected"
    """The run was restricted to chosen invoices and this one is not among them
    (:func:`dunlib.plan` with ``only``)."""
    DISPUTED = "disputed"
    """A dispute hold holds (on the invoice or the customer's account); ``next_on`` is the
    day it ends by itself, where known (:mod:`dunlib.dunning.holds`)."""
    PROMISED_TO_PAY = "promised_to_pay"
    """The customer promised to pay by a day not yet passed; ``next_on`` is the day after
    it, when a broken promise resumes dunning."""
    DIRECT_DEBIT_PENDING = "direct_debit_pending"
    """A SEPA direct debit is pending; ``next_on`` is the day after its collection date
    and return window."""
    INSTALMENT_PLAN = "instalment_plan"
    """An agreed instalment plan holds: every instalment due so far arrived within its grace
    (:mod:`dunlib.dunning.instalments`); ``next_on`` is the day the next instalment is
    missed unless it arrives (its due date plus the grace, plus one)."""
    COVERED_BY_CREDIT = "covered_by_credit"
    """The customer's credit covers the open amount (:mod:`dunlib.dunning.accounts`): nothing to
    claim."""
    LETTER_WAITING = "letter_waiting"
    """A letter for this invoice is prepared and not yet sent (waiting for approval, or
    approved and waiting to be sent), and the invoice is as the letter was prepared from:
    the run decides nothing more until it is sent, rejected, withdrawn or superseded
    (:func:`dunlib.plan` with ``waiting``, :mod:`dunlib.portfolio.prepared`)."""
    LETTER_REJECTED = "letter_rejected"
    """A letter for this invoice was rejected and its :class:`~dunlib.portfolio.prepared.Rejection`
    still holds (not today, not until something is booked, or never this stage): the run
    does not prepare the stage again (:func:`dunlib.plan` with ``waiting``)."""


@attrs.frozen(kw_only=True)
class LetterDocuments:
    """The texts of one letter, worded and rendered for the customer's locale.

    ``language`` is the language (or locale) whose texts were chosen
    (:meth:`~dunlib.dunning.stages.DunningStage.wording`)."""

    email_subject: str
    email_body: str
    pdf_text: str
    language: str = "de"

    @classmethod
    def of(cls, stage: DunningStage, values: TemplateValues) -> LetterDocuments:
        """``stage``'s e-mail subject, e-mail body and PDF text in the language of
        ``values.locale``, for ``values.invoice_count`` invoices, rendered with ``values``."""
        wording = stage.wording(values.locale, invoices=values.invoice_count)
        return cls(
            email_subject=Template(source=wording.email_subject).render(values),
            email_body=Template(source=wording.email_body).render(values),
            pdf_text=Template(source=wording.pdf_text).render(values),
            language=wording.language,
        )


def _zero_like_fee(action: IssueStage) -> Money | None:
    fee = action.fee
    return Money.zero(fee.currency) if isinstance(fee, Money) else None


def _base_rates(value: object) -> BaseRates | None:
    return None if value is None else checked_base_rates(value, "IssueStage.base_rates")


@attrs.frozen(kw_only=True)
class IssueStage:
    """Create and send the next dunning document for invoice ``invoice_id`` today.

    ``level`` counts from 1 (one more than the documents sent so far);
    ``stage_number`` is the stage's position in the rules (from 1; it differs
    from the level when earlier stages are inactive). ``on`` is the document's
    date (the day of the decision) and ``due_date`` its own payment deadline
    (``on`` plus the stage's payment term). ``fee`` is what this document adds to
    the amount owed (zero for reminders, fee-less notices and customers whose fees
    are off); ``flat_fee`` is the part of it that is the § 288 (5) BGB flat fee (claimed
    once, by the first stage from the one with ``claim_flat_fee`` on that is issued while
    the debtor is in default). ``interest`` is the default interest this document claims
    up to its date (zero when the stage claims none;
    :func:`dunlib.dunning.interest.accrued_interest`).
    ``total_gross`` is the invoice's gross amount with all fees and interest, this
    document's included (the seed's ``totalGrossAmount``); ``open_amount`` is what the
    document claims: what is still owed once this fee and interest are added, less
    ``credit``, the customer's unallocated credit netted against it
    (:mod:`dunlib.dunning.accounts`; zero without). ``channels``, ``attach_invoice``,
    ``dispatch`` and ``requires_approval`` come from the stage. ``repeat`` is 0 when the
    stage is issued for the first time and ``k`` for its k-th repetition (a repeating last
    stage, :class:`~dunlib.dunning.stages.StageRepeat`; a repetition charges no fee).
    ``base_rates`` is the base-rate table a stage claiming interest computed it at (the
    rules' :attr:`~dunlib.dunning.stages.DunningRules.base_rates`; None: the built-in
    :data:`dunlib.dunning.interest.BASE_RATES`, and for a stage claiming none), and
    ``calendar`` the rules' calendar the start of default was reckoned on where the
    interest or the flat fee depended on it (None: Monday to Friday, § 193 BGB).

    Booking it (:func:`dunlib.record_stage`) checks it against what the engine decides for
    the invoice on its day: a value built by hand that claims another fee or interest, or
    one decided before the invoice changed, is refused.
    """

    invoice_id: str = attrs.field(validator=v.non_empty_text)
    level: int = attrs.field(validator=v.positive_int)
    stage_number: int = attrs.field(validator=v.positive_int)
    stage: DunningStage = attrs.field(validator=v.of_type(DunningStage, expected="a DunningStage"))
    on: _dt.date = attrs.field(validator=v.calendar_date)
    due_date: _dt.date = attrs.field(validator=v.calendar_date)
    fee: Money = attrs.field(validator=v.money)
    total_gross: Money = attrs.field(validator=v.money)
    open_amount: Money = attrs.field(validator=v.money)
    channels: tuple[Channel, ...] = attrs.field(
        converter=v.to_tuple, validator=v.tuple_of(Channel, "a Channel")
    )
    attach_invoice: bool = attrs.field(validator=v.of_type(bool, expected="a bool"))
    dispatch: DispatchMode = attrs.field(
        validator=v.of_type(DispatchMode, expected="a DispatchMode")
    )
    requires_approval: bool = attrs.field(validator=v.of_type(bool, expected="a bool"))
    interest: Money = attrs.field(
        default=attrs.Factory(_zero_like_fee, takes_self=True), validator=v.non_negative_money
    )
    repeat: int = attrs.field(default=0, validator=v.non_negative_int)
    credit: Money = attrs.field(
        default=attrs.Factory(_zero_like_fee, takes_self=True), validator=v.non_negative_money
    )
    base_rates: BaseRates | None = attrs.field(default=None, converter=_base_rates)
    flat_fee: Money = attrs.field(
        default=attrs.Factory(_zero_like_fee, takes_self=True), validator=v.non_negative_money
    )
    calendar: WeekendCalendar | HolidayCalendar | Target2Calendar | None = attrs.field(
        default=None, validator=_rules_calendar
    )

    def __attrs_post_init__(self) -> None:
        if self.flat_fee.amount and not (
            self.flat_fee.currency == self.fee.currency and self.flat_fee <= self.fee
        ):
            raise InvalidValueError(
                "IssueStage.flat_fee", self.flat_fee, f"at most the fee {self.fee}, part of it"
            )

    @property
    def kind(self) -> StageKind:
        """Reminder or notice: the kind of the stage issued."""
        return self.stage.kind

    def issued(self) -> IssuedStage:
        """The record of this document, as kept in :attr:`Invoice.stages`."""
        return IssuedStage(
            level=self.level,
            on=self.on,
            due_date=self.due_date,
            fee=self.fee,
            stage_number=self.stage_number,
            flat_fee=self.flat_fee,
        )

    def template_values(
        self, invoice: Invoice, *, tenant_name: str, locale: str | None = None
    ) -> TemplateValues:
        """What the placeholders stand for in a letter about ``invoice`` alone (this
        document's figures, the amount already paid), written in ``locale`` (default: the
        invoice customer's); ``{{ invoiceList }}`` is left empty."""
        if not isinstance(invoice, Invoice) or invoice.id != self.invoice_id:
            raise InvalidValueError(
                "IssueStage.documents.invoice",
                getattr(invoice, "id", invoice),
                f"the invoice this action was decided for ({self.invoice_id!r})",
            )
        return TemplateValues(
            invoice_number=invoice.number,
            invoice_date=invoice.issue_date,
            total_gross=self.total_gross,
            due_date=self.due_date,
            tenant_name=tenant_name,
            customer_name=invoice.customer.name,
            open_amount=self.open_amount,
            fee=self.fee,
            interest=self.interest,
            level=self.level,
            locale=invoice.customer.locale if locale is None else locale,
            credit=self.credit,
            paid=invoice.paid,
        )

    def documents(self, invoice: Invoice, *, tenant_name: str) -> LetterDocuments:
        """The stage's e-mail subject, e-mail body and PDF text for ``invoice``, in the
        language of the invoice customer's locale (:meth:`DunningStage.wording`).

        ``tenant_name`` is the sending organisation (``{{ tenant.name }}``);
        dates and amounts are written in the invoice customer's locale;
        ``{{ invoiceList }}`` is the invoice's one line.
        """
        values = self.template_values(invoice, tenant_name=tenant_name)
        line = self.stage.wording(values.locale).invoice_line
        listed = attrs.evolve(values, invoice_list=Template(source=line).render(values))
        return LetterDocuments.of(self.stage, listed)


@attrs.frozen(kw_only=True, repr=False)
class NoAction:
    """Nothing to do today for invoice ``invoice_id``, because of ``reason``.

    ``next_on`` is the next day something can happen when the engine knows it
    (the trigger date of the next stage or of the escalation); None when only an
    outside change (a payment, a resume, new rules) can change the answer.
    ``minimum`` and ``overdue_total`` are given exactly for
    :attr:`NoActionReason.BELOW_CUSTOMER_MINIMUM`: the customer-level minimum and the
    customer's overdue open amounts in that currency, which fall short of it.
    """

    invoice_id: str = attrs.field(validator=v.non_empty_text)
    reason: NoActionReason = attrs.field(
        validator=v.of_type(NoActionReason, expected="a NoActionReason")
    )
    next_on: _dt.date | None = attrs.field(default=None, validator=v.optional(v.calendar_date))
    minimum: Money | None = attrs.field(default=None, validator=v.optional(v.positive_money))
    overdue_total: Money | None = attrs.field(
        default=None, validator=v.optional(v.non_negative_money)
    )

    def __repr__(self) -> str:
        """Every field, the customer-minimum amounts only when they are given."""
        shown = [f"invoice_id={self.invoice_id!r}", f"reason={self.reason!r}"]
        shown.append(f"next_on={self.next_on!r}")
        if self.minimum is not None:
            shown.append(f"minimum={self.minimum!r}, overdue_total={self.overdue_total!r}")
        return f"NoAction({', '.join(shown)})"

    def __attrs_post_init__(self) -> None:
        held = self.reason is NoActionReason.BELOW_CUSTOMER_MINIMUM
        for name in ("minimum", "overdue_total"):
            if (getattr(self, name) is not None) != held:
                expected = "an amount for BELOW_CUSTOMER_MINIMUM" if held else "None"
                raise InvalidValueError(f"NoAction.{name}", getattr(self, name), expected)
        if self.minimum is not None and self.overdue_total is not None:
            if self.overdue_total.currency != self.minimum.currency:
                raise InvalidValueError(
                    "NoAction.overdue_total",
                    self.overdue_total,
                    f"an amount in the minimum's currency {self.minimum.currency}",
                )
            if not self.overdue_total < self.minimum:
                raise InvalidValueError(
                    "NoAction.overdue_total",
                    self.overdue_total,
                    f"less than the minimum {self.minimum} (at the minimum, the notice goes out)",
                )


@attrs.frozen(kw_only=True)
class Escalate:
    """Every active stage was sent: escalate invoice ``invoice_id`` as the rules say.

    ``escalation`` is what to do (hand to collection, write off, block the
    service), ``on`` the day of the decision, ``due_since`` the day the
    escalation became due (the last document's date plus the rules'
    ``escalation_days``), ``level`` the last level sent and ``open_amount`` what
    is still owed, fees included.
    """

    invoice_id: str = attrs.field(validator=v.non_empty_text)
    escalation: Escalation = attrs.field(validator=v.of_type(Escalation, expected="an Escalation"))
    on: _dt.date = attrs.field(validator=v.calendar_date)
    due_since: _dt.date = attrs.field(validator=v.calendar_date)
    level: int = attrs.field(validator=v.non_negative_int)
    open_amount: Money = attrs.field(validator=v.money)


DunningAction = IssueStage | NoAction | Escalate
"""The engine's decision: exactly one of :class:`IssueStage`, :class:`NoAction`,
:class:`Escalate`."""
