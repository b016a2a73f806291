"""The daily dunning run over a portfolio: decide for every invoice, then record what was sent.

A billing app runs dunning once a day over every open invoice it holds. :func:`plan`
asks the engine about each invoice of any iterable, lazily (a generator of millions of
invoices runs in constant memory), and yields a :class:`Decision` for every invoice that
needs something today; :func:`record_notices` books the documents sent back onto the
invoices. The decisions are exactly those of :func:`dunlib.next_dunning_action`.

``rules`` is one :class:`~dunlib.stages.DunningRules` for the whole portfolio, or a
function ``Invoice -> DunningRules`` choosing the rules per invoice (per customer group,
say, or per currency); it is called once per invoice and must return DunningRules.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Iterator

import attrs

from dunlib import _booking
from dunlib import _validate as v
from dunlib.actions import DunningAction, Escalate, IssueStage, NoAction
from dunlib.dates import as_date
from dunlib.engine import next_dunning_action
from dunlib.errors import InvalidTypeError, InvalidValueError
from dunlib.invoice import Invoice
from dunlib.notices import record_notice
from dunlib.policy import AUTOMATIC, Actor, Permissions
from dunlib.stages import DunningRules

__all__ = ["Decision", "RulesFor", "plan", "record_notices"]

RulesFor = DunningRules | Callable[[Invoice], DunningRules]
"""The rules of a run: one set for every invoice, or a function choosing them per invoice."""


@attrs.frozen(kw_only=True)
class Decision:
    """What the engine decided about ``invoice`` today: ``action`` (an
    :class:`~dunlib.actions.IssueStage`, :class:`~dunlib.actions.Escalate` or, when the
    run explains itself, a :class:`~dunlib.actions.NoAction`)."""

    invoice: Invoice = attrs.field(validator=v.of_type(Invoice, expected="an Invoice"))
    action: DunningAction = attrs.field(
        validator=v.of_type(IssueStage, NoAction, Escalate, expected="a DunningAction")
    )

    def __attrs_post_init__(self) -> None:
        if self.action.invoice_id != self.invoice.id:
            raise InvalidValueError(
                "Decision.action", self.action, f"an action about invoice {self.invoice.id!r}"
            )


def plan(
    invoices: Iterable[Invoice], rules: RulesFor, today: _dt.date, *, explain: bool = False
) -> Iterator[Decision]:
    """The decisions of a run on ``today`` over ``invoices``, in their order, lazily.

    Yields a :class:`Decision` for every invoice that needs something today (a stage to
    issue or an escalation); with ``explain``, one for every invoice, the
    :class:`~dunlib.actions.NoAction` and its reason included. The arguments are checked
    when ``plan`` is called; each invoice when it is reached.
    """
    day = as_date(today, "plan.today")
    if not isinstance(rules, DunningRules) and not callable(rules):
        raise InvalidTypeError(
            "plan.rules", rules, "a DunningRules or a function Invoice -> DunningRules"
        )
    if isinstance(invoices, str | bytes) or not isinstance(invoices, Iterable):
        raise InvalidTypeError("plan.invoices", invoices, "an iterable of Invoices")
    if not isinstance(explain, bool):
        raise InvalidTypeError("plan.explain", explain, "a bool")
    return _decisions(iter(invoices), rules, day, explain)


def _decisions(
    invoices: Iterator[Invoice], rules: RulesFor, day: _dt.date, explain: bool
) -> Iterator[Decision]:
    for index, invoice in enumerate(invoices):
        _booking.checked_invoice(invoice, f"plan.invoices[{index}]")
        chosen = rules if isinstance(rules, DunningRules) else rules(invoice)
        if not isinstance(chosen, DunningRules):
            raise InvalidTypeError(
                f"plan.rules({invoice.id!r})", chosen, "DunningRules from the rules function"
            )
        action = next_dunning_action(invoice, chosen, day)
        if explain or not isinstance(action, NoAction):
            yield Decision(invoice=invoice, action=action)


def record_notices(
    invoices: Iterable[Invoice],
    decisions: Iterable[Decision],
    *,
    actor: Actor = AUTOMATIC,
    permissions: Permissions | None = None,
) -> tuple[Invoice, ...]:
    """``invoices`` with the documents of ``decisions`` booked, in the order given.

    Every decision whose action is an :class:`~dunlib.actions.IssueStage` is recorded with
    :func:`dunlib.record_notice` (by ``actor``, by default the automatic one) on the
    invoice of the same id; decisions without a document (escalations, no action) change
    nothing, and invoices without a decision come back unchanged. A decision about an
    invoice that is not among ``invoices``, or two documents for one invoice, are refused.
    """
    books = v.items_of(invoices, Invoice, "record_notices.invoices", "Invoices")
    made = v.items_of(decisions, Decision, "record_notices.decisions", "Decisions")
    position: dict[str, int] = {}
    for index, invoice in enumerate(books):
        if invoice.id in position:
            raise InvalidValueError(
                f"record_notices.invoices[{index}].id", invoice.id, "invoice ids once each"
            )
        position[invoice.id] = index
    issued: set[str] = set()
    for index, decision in enumerate(made):
        if not isinstance(decision.action, IssueStage):
            continue
        key = decision.action.invoice_id
        if key not in position:
            raise InvalidValueError(
                f"record_notices.decisions[{index}]", key, "a decision about one of the invoices"
            )
        if key in issued:
            raise InvalidValueError(
                f"record_notices.decisions[{index}]", key, "one document per invoice and run"
            )
        issued.add(key)
        at = position[key]
        books[at] = record_notice(books[at], decision.action, actor=actor, permissions=permissions)
    return tuple(books)
