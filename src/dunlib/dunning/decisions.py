"""What the engine decided for one invoice, and the documents of one customer sent as one.

A :class:`Decision` pairs an invoice with the engine's action for it on a day (what
:func:`dunlib.plan` yields). :func:`group_letters` gathers the issued stages of one
customer in one currency into one :class:`DunningLetter` (one letter per customer, as
seed 003 and every peer send).

**A customer letter** lists every invoice due for a stage, each at its own level. It is
worded by the stage of the highest level among them (the first such invoice's, in the
order given); its fee, interest, open amount and gross are the sums of its invoices';
its due date the latest of theirs; it goes out on every channel any of them names, with
the invoice attached when any says so; and it is sent in the strictest dispatch mode
among them (manual before after-approval before automatic), needing approval when any
of them does.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

import attrs

from dunlib.core import validate as v
from dunlib.core.errors import InvalidTypeError, InvalidValueError
from dunlib.core.invoice import Invoice
from dunlib.core.money import Money, sum_money
from dunlib.core.records import Customer
from dunlib.core.templates import Template
from dunlib.dunning.actions import (
    DunningAction,
    Escalate,
    IssueStage,
    LetterDocuments,
    NoAction,
)
from dunlib.dunning.stages import Channel, DispatchMode

__all__ = ["Decision", "DunningLetter", "group_letters"]


@attrs.frozen(kw_only=True)
class Decision:
    """What the engine decided about ``invoice`` today: ``action`` (an
    :class:`~dunlib.dunning.actions.IssueStage`, :class:`~dunlib.dunning.actions.Escalate` or, when
    the run explains itself, a :class:`~dunlib.dunning.actions.NoAction`)."""

    invoice: Invoice = attrs.field(validator=v.of_type(Invoice, expected="an Invoice"))
    action: DunningAction = attrs.field(
        validator=v.of_type(IssueStage, NoAction, Escalate, expected="a DunningAction")
    )

    def __attrs_post_init__(self) -> None:
        if self.action.invoice_id != self.invoice.id:
            raise InvalidValueError(
                "Decision.action", self.action, f"an action about invoice {self.invoice.known_as}"
            )


_STRICTNESS = (DispatchMode.AUTOMATIC, DispatchMode.AFTER_APPROVAL, DispatchMode.MANUAL)

_ONE_DOCUMENT = "one document per invoice and run"


def _issued(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.tuple_of(Decision, "a Decision")(instance, attribute, value)
    field = v.field_name(instance, attribute)
    if not value:
        raise InvalidValueError(field, value, "one or more decisions")
    first = value[0].invoice
    seen: set[str] = set()
    for index, decision in enumerate(value):
        invoice = decision.invoice
        if not isinstance(decision.action, IssueStage):
            raise InvalidValueError(f"{field}[{index}]", decision.action, "an IssueStage")
        if (invoice.customer.id, invoice.currency) != (first.customer.id, first.currency):
            raise InvalidValueError(
                f"{field}[{index}]",
                invoice.id,
                f"an invoice of customer {first.customer.id} in {first.currency} (invoice "
                f"{invoice.known_as} is not)",
            )
        if invoice.id in seen:
            raise InvalidValueError(
                f"{field}[{index}]",
                invoice.id,
                f"{_ONE_DOCUMENT} (invoice {invoice.known_as} twice)",
            )
        seen.add(invoice.id)


@attrs.frozen(kw_only=True)
class DunningLetter:
    """The documents of one run for one customer in one currency, sent as one.

    ``decisions`` are the invoices' decisions, each an :class:`~dunlib.dunning.actions.IssueStage`
    at the invoice's own level, in the order the run made them, one per invoice (an
    invoice listed twice is refused: the letter would claim its debt twice). See the
    module docs for how the letter is worded, totalled and dispatched.
    """

    decisions: tuple[Decision, ...] = attrs.field(converter=v.to_tuple, validator=_issued)

    @property
    def actions(self) -> tuple[IssueStage, ...]:
        """The issued stage of every invoice, in order."""
        return tuple(d.action for d in self.decisions if isinstance(d.action, IssueStage))

    @property
    def customer(self) -> Customer:
        """The customer, as on the first invoice."""
        return self.decisions[0].invoice.customer

    @property
    def currency(self) -> str:
        """The currency of every invoice of the letter."""
        return self.decisions[0].invoice.currency

    @property
    def lead(self) -> IssueStage:
        """The stage the letter is worded by: the highest level's (the first such)."""
        stages = self.actions
        return max(stages, key=lambda stage: stage.level)

    @property
    def fee(self) -> Money:
        """The fees of all its documents."""
        return sum_money((stage.fee for stage in self.actions), self.currency)

    @property
    def interest(self) -> Money:
        """The default interest all its documents claim."""
        return sum_money((stage.interest for stage in self.actions), self.currency)

    @property
    def credit(self) -> Money:
        """The customer's credit netted against what its documents claim."""
        return sum_money((stage.credit for stage in self.actions), self.currency)

    @property
    def open_amount(self) -> Money:
        """What the customer owes on these invoices once the fees are added."""
        return sum_money((stage.open_amount for stage in self.actions), self.currency)

    @property
    def total_gross(self) -> Money:
        """The invoices' gross amounts with all fees, these included."""
        return sum_money((stage.total_gross for stage in self.actions), self.currency)

    @property
    def due_date(self) -> _dt.date:
        """The latest due date of its documents."""
        return max(stage.due_date for stage in self.actions)

    @property
    def channels(self) -> tuple[Channel, ...]:
        """Every channel one of its documents goes out on, in the order of :class:`Channel`."""
        named = {channel for stage in self.actions for channel in stage.channels}
        return tuple(channel for channel in Channel if channel in named)

    @property
    def attach_invoice(self) -> bool:
        """Whether the invoices are attached (when any stage says so)."""
        return any(stage.attach_invoice for stage in self.actions)

    @property
    def dispatch(self) -> DispatchMode:
        """The strictest dispatch mode among its documents."""
        return max((stage.dispatch for stage in self.actions), key=_STRICTNESS.index)

    @property
    def requires_approval(self) -> bool:
        """Whether a person approves the letter before it is sent."""
        return any(stage.requires_approval for stage in self.actions)

    def documents(self, *, tenant_name: str) -> LetterDocuments:
        """The letter's e-mail subject, body and PDF text, worded by the lead stage in the
        language of the customer's locale (:meth:`~dunlib.dunning.stages.DunningStage.wording`:
        the texts for one invoice, or for several when it covers more than one).

        Placeholders about one invoice name the lead invoice's number and date; amounts
        are the letter's sums (``{{ paidAmount }}`` what was already paid on its invoices);
        ``{{ invoiceCount }}`` is the number of its invoices and ``{{ invoiceList }}`` lists
        every invoice, one a line, each written by the wording's invoice line with that
        invoice's own figures (number, date, amount open, level, fee), in the same locale.
        """
        if not isinstance(tenant_name, str):
            raise InvalidTypeError("DunningLetter.documents.tenant_name", tenant_name, "a str")
        lead = self.lead
        locale = self.customer.locale
        line = Template(source=lead.stage.wording(locale).invoice_line)
        own = [
            stage.template_values(d.invoice, tenant_name=tenant_name, locale=locale)
            for d, stage in zip(self.decisions, self.actions, strict=True)
        ]
        first = own[self.actions.index(lead)]
        values = attrs.evolve(
            first,
            total_gross=self.total_gross,
            due_date=self.due_date,
            open_amount=self.open_amount,
            fee=self.fee,
            interest=self.interest,
            credit=self.credit,
            paid=sum_money((d.invoice.paid for d in self.decisions), self.currency),
            invoice_list="\n".join(line.render(values) for values in own),
            invoice_count=len(own),
        )
        return LetterDocuments.of(lead.stage, values)


def group_letters(decisions: Iterable[Decision]) -> tuple[DunningLetter, ...]:
    """The issued stages of ``decisions`` as one :class:`DunningLetter` per customer and
    currency, in the order each customer first appears; decisions without a document
    (escalations, no action) are left out. Nothing issued is lost and nothing invented.

    Two documents for one invoice (an invoice planned twice) are refused, as
    :func:`record_stages` refuses them: a letter never claims more than its invoices owe."""
    made = v.items_of(decisions, Decision, "group_letters.decisions", "Decisions")
    groups: dict[tuple[str, str], list[Decision]] = {}
    issued: set[str] = set()
    for index, decision in enumerate(made):
        if isinstance(decision.action, IssueStage):
            if decision.invoice.id in issued:
                raise InvalidValueError(
                    f"group_letters.decisions[{index}]",
                    decision.invoice.id,
                    f"{_ONE_DOCUMENT} (invoice {decision.invoice.known_as} twice)",
                )
            issued.add(decision.invoice.id)
            key = (decision.invoice.customer.id, decision.invoice.currency)
            groups.setdefault(key, []).append(decision)
    return tuple(DunningLetter(decisions=tuple(group)) for group in groups.values())
