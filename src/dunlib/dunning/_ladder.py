"""Which stage comes next: stable stage identity and the repeating last stage (private).

Every document records the position of its stage in the rules
(:attr:`~dunlib.core.records.IssuedStage.stage_number`). The next stage is the first
*active* stage after the one last issued: switching a stage off later skips it for
invoices still before it and never shifts the ladder for invoices past it, so no stage
is issued twice. A document recorded before stage numbers were kept counts as the
``level``-th active stage under the rules at hand (the old reading). After the last
stage of the rules, a :class:`~dunlib.dunning.stages.StageRepeat` on it issues it again.
"""

from __future__ import annotations

import datetime as _dt

import attrs

from dunlib.core.dates import add_days, add_months
from dunlib.core.invoice import Invoice
from dunlib.dunning.stages import DunningRules, DunningStage, StageRepeat


@attrs.frozen(kw_only=True)
class Next:
    """The stage to issue next: its position ``number`` in the rules (from 1), the stage,
    the stage last issued (``previous``, None when none was or it is no longer in the
    rules) and ``repeat`` (0 for a first issue, k for the k-th repetition)."""

    number: int
    stage: DunningStage
    previous: DunningStage | None
    repeat: int


def last_number(invoice: Invoice, rules: DunningRules) -> int:
    """The position in ``rules`` of the stage last issued (0 when none was)."""
    last = invoice.last_issued_stage
    if last is None:
        return 0
    if last.stage_number is not None:
        return last.stage_number
    active = [n for n, stage in enumerate(rules.stages, start=1) if stage.active]
    level = invoice.dunning_level
    return active[level - 1] if level <= len(active) else len(rules.stages)


def _issued(invoice: Invoice, number: int) -> list[_dt.date]:
    """The dates of the documents of stage ``number``, oldest first (an old document
    without a stage number counts for the stage last issued)."""
    last = len(invoice.issued_stages) - 1
    return [
        notice.on
        for index, notice in enumerate(invoice.issued_stages)
        if notice.stage_number == number or (notice.stage_number is None and index == last)
    ]


def next_stage(invoice: Invoice, rules: DunningRules) -> Next | None:
    """The stage to issue next under ``rules``, or None when the ladder is done."""
    done = last_number(invoice, rules)
    stages = rules.stages
    previous = stages[done - 1] if 0 < done <= len(stages) else None
    for number in range(done + 1, len(stages) + 1):
        if stages[number - 1].active:
            return Next(number=number, stage=stages[number - 1], previous=previous, repeat=0)
    if previous is None or done != len(stages) or not previous.active:
        return None
    repeat = previous.repeat
    times = len(_issued(invoice, done))
    if repeat is None or times > repeat.count:
        return None
    return Next(number=done, stage=previous, previous=previous, repeat=times)


def repeat_trigger(invoice: Invoice, step: Next, repeat: StageRepeat, last: _dt.date) -> _dt.date:
    """The first day the repetition ``step`` of a stage repeating by ``repeat`` may be issued
    (before the engine's common bounds), ``last`` being the previous document's date:
    ``days`` after it, or ``k`` x ``months`` months after the stage's first document but at
    least ``months`` months after the previous one (no burst after a gap)."""
    if repeat.days:
        return add_days(last, repeat.days)
    first = _issued(invoice, step.number)[0]
    return max(add_months(first, step.repeat * repeat.months), add_months(last, repeat.months))
