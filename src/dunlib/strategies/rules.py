"""Strategies for dunning rules and their parts: stages, fee rules, repeats, calendars, base-rate
tables and holds.
"""

from __future__ import annotations

import datetime as _dt

import attrs
from hypothesis import strategies as st

from dunlib.core.calendars import HolidayCalendar, Target2Calendar, WeekendCalendar
from dunlib.core.money import Money
from dunlib.core.records import Hold, HoldKind
from dunlib.dunning.fees import FeeRule
from dunlib.dunning.interest import BaseRates
from dunlib.dunning.stages import (
    Channel,
    DispatchMode,
    DunningRules,
    DunningStage,
    Escalation,
    StageKind,
    StageRepeat,
    TriggerBasis,
)
from dunlib.strategies import _checks as checks
from dunlib.strategies._common import _cached
from dunlib.strategies.money import amounts, dates

__all__ = [
    "base_rate_tables",
    "calendars",
    "dunning_rules",
    "dunning_stages",
    "fee_rules",
    "holds",
    "stage_repeats",
]


@checks.checked({})
def calendars() -> st.SearchStrategy[WeekendCalendar | HolidayCalendar | Target2Calendar]:
    """Working-day calendars: weekends only, TARGET2's business days, or German public
    holidays (nationwide or of a few states; needs the ``holidays`` extra when drawn)."""
    return st.one_of(st.builds(WeekendCalendar), st.builds(Target2Calendar), _holiday_calendars())


def _holiday_calendars() -> st.SearchStrategy[HolidayCalendar]:
    return st.builds(
        HolidayCalendar,
        country=st.just("DE"),
        subdivision=st.sampled_from((None, "BY", "BE", "NW")),
    )


@checks.checked({"max_size": checks.count(1)})
def base_rate_tables(*, max_size: int = 4) -> st.SearchStrategy[BaseRates]:
    """Base-rate tables shaped as :data:`dunlib.dunning.interest.BASE_RATES`: one to ``max_size``
    (day, percent) pairs in date order, the first no later than 1 January 2002 (so that
    every day the built-in table covers is covered), rates from -4.99 to 15.00 percent."""
    rates = st.decimals(min_value="-4.99", max_value=15, places=2)

    @st.composite
    def build(draw: st.DrawFn) -> BaseRates:
        first = draw(st.dates(min_value=_dt.date(1990, 1, 1), max_value=_dt.date(2002, 1, 1)))
        later = draw(
            st.lists(
                st.dates(min_value=first + _dt.timedelta(1), max_value=_dt.date(2035, 12, 31)),
                max_size=max_size - 1,
                unique=True,
            )
        )
        return tuple((day, draw(rates)) for day in [first, *sorted(later)])

    return build()


@checks.checked(
    {
        "currency": checks.currency(),
        "kind": checks.one_of(tuple(StageKind), optional=True),
        "basis": checks.one_of(tuple(TriggerBasis), optional=True),
        "active": checks.flag(optional=True),
        "max_days": checks.count(),
        "with_fee_rules": checks.flag(),
    }
)
@_cached
def dunning_stages(
    *,
    currency: str = "EUR",
    kind: StageKind | None = None,
    basis: TriggerBasis | None = None,
    active: bool | None = None,
    max_days: int = 30,
    with_fee_rules: bool = False,
) -> st.SearchStrategy[DunningStage]:
    """Dunning stages of either kind (or ``kind``), with notices' fees in ``currency``.

    ``basis`` defaults to PREVIOUS_DOCUMENT or DUE_DATE (never a courtesy basis,
    BEFORE_DUE_DATE or ISSUE_DATE, which only the stages opening a ladder may use);
    ``active`` None draws it. With ``with_fee_rules``,
    a notice may charge by :class:`~dunlib.dunning.fees.FeeRule` values instead of a fixed fee
    (one in ``currency``, one for any currency, or both).
    """

    def build(stage_kind: StageKind) -> st.SearchStrategy[DunningStage]:
        fee: st.SearchStrategy[Money | None] = st.none()
        rules: st.SearchStrategy[tuple[FeeRule, ...]] = st.just(())
        if stage_kind is StageKind.NOTICE:
            fee = st.none() | amounts(currency=currency, min_value=0, max_value=50)
            rules = st.lists(
                st.sampled_from((currency, None)).flatmap(lambda code: fee_rules(currency=code)),
                max_size=2,
                unique_by=lambda rule: rule.currency,
            ).map(tuple)
        stages = st.builds(
            DunningStage,
            st.just(stage_kind),
            days_overdue=st.integers(min_value=0, max_value=max_days),
            basis=st.sampled_from((TriggerBasis.PREVIOUS_DOCUMENT, TriggerBasis.DUE_DATE))
            if basis is None
            else st.just(basis),
            payment_term_days=st.integers(min_value=0, max_value=30),
            fee=fee,
            attach_invoice=st.booleans(),
            channels=st.sampled_from(
                ((Channel.EMAIL,), (Channel.POST,), (Channel.EMAIL, Channel.POST))
            ),
            active=st.booleans() if active is None else st.just(active),
            dispatch=st.sampled_from(DispatchMode),
            claim_interest=st.booleans() if stage_kind is StageKind.NOTICE else st.just(False),
            claim_flat_fee=st.booleans()
            if stage_kind is StageKind.NOTICE and currency == "EUR"
            else st.just(False),
        )

        @st.composite
        def with_rules(draw: st.DrawFn) -> DunningStage:
            stage = draw(stages)
            if with_fee_rules and stage.fee is None and draw(st.booleans()):
                stage = attrs.evolve(stage, fee_rules=draw(rules))
            return stage

        return with_rules()

    kinds = tuple(StageKind) if kind is None else (kind,)
    return st.one_of(*(build(each) for each in kinds))


_COURTESY = (TriggerBasis.BEFORE_DUE_DATE, TriggerBasis.ISSUE_DATE)


@checks.checked(
    {
        "currency": checks.currency(),
        "min_stages": checks.count(),
        "max_stages": checks.count(),
        "min_active": checks.count(),
        "max_days": checks.count(),
        "with_fee_rules": checks.flag(),
        "with_repeat": checks.flag(),
    },
    ordered=(("min_stages", "max_stages"), ("min_active", "max_stages")),
)
@_cached
def dunning_rules(
    *,
    currency: str = "EUR",
    min_stages: int = 0,
    max_stages: int = 5,
    min_active: int = 0,
    max_days: int = 30,
    with_fee_rules: bool = False,
    with_repeat: bool = False,
) -> st.SearchStrategy[DunningRules]:
    """Dunning rules of ``min_stages`` to ``max_stages`` stages, at least ``min_active`` active.

    The first stages (up to three) may be courtesy reminders, counted back from the due date
    or from the invoice date; fees and minimum amounts are in ``currency``.
    ``with_fee_rules`` lets notices charge by fee rules (see :func:`dunning_stages`);
    ``with_repeat`` lets the last stage repeat (:func:`stage_repeats`).
    """
    stage_lists = st.lists(
        dunning_stages(currency=currency, max_days=max_days, with_fee_rules=with_fee_rules),
        min_size=max(min_stages, min_active),
        max_size=max_stages,
    )
    minimums = st.lists(amounts(currency=currency, min_value=1, max_value=100), max_size=1)
    escalations = st.none() | st.sampled_from(Escalation)
    escalation_days = st.integers(min_value=0, max_value=max_days)
    one_in_five = st.integers(min_value=0, max_value=4)

    @st.composite
    def build(draw: st.DrawFn) -> DunningRules:
        stages = draw(stage_lists)
        for index in draw(st.permutations(range(len(stages))))[:min_active]:
            stages[index] = attrs.evolve(stages[index], active=True)
        if stages and draw(one_in_five) == 0:  # courtesy stages open the ladder
            for index in range(draw(st.integers(1, min(3, len(stages))))):
                basis = draw(st.sampled_from(_COURTESY))
                stages[index] = attrs.evolve(stages[index], basis=basis)
        flat = [index for index, stage in enumerate(stages) if stage.claim_flat_fee]
        for index in flat[1:]:  # the flat fee is claimed by one stage at most
            stages[index] = attrs.evolve(stages[index], claim_flat_fee=False)
        if with_repeat and stages and draw(one_in_five) < 2:  # an endless reminder, capped
            stages[-1] = attrs.evolve(stages[-1], repeat=draw(stage_repeats()))
        escalation = draw(escalations)
        return DunningRules(
            stages=tuple(stages),
            minimum_open_amounts=tuple(draw(minimums)),
            escalation=escalation,
            escalation_days=0 if escalation is None else draw(escalation_days),
            calendar=draw(st.none() | calendars()),
            base_rates=draw(st.none() | base_rate_tables()),
        )

    return build()


@checks.checked({"currency": checks.currency(optional=True)})
@_cached
def fee_rules(*, currency: str | None = "EUR") -> st.SearchStrategy[FeeRule]:
    """Fee rules in ``currency`` (None: pure percentages, for any currency): a fixed fee, a
    percentage of 0.01 to 10 % with or without a minimum and a maximum, or both."""
    percents = st.decimals(min_value="0.01", max_value="10", places=2)
    if currency is None:
        return st.builds(FeeRule, percent=percents)
    money = amounts(currency=currency, min_value=0, max_value=50)

    @st.composite
    def build(draw: st.DrawFn) -> FeeRule:
        fixed = draw(st.none() | money)
        percent = draw(percents) if fixed is None else draw(st.none() | percents)
        if percent is None:
            return FeeRule(fixed=fixed)
        low, high = sorted(draw(st.tuples(money, money)))
        return FeeRule(
            fixed=fixed,
            percent=percent,
            minimum=draw(st.none() | st.just(low)),
            maximum=draw(st.none() | st.just(high)),
        )

    return build()


@checks.checked(
    {
        "kinds": checks.members(checks.one_of(tuple(HoldKind)), "HoldKind", non_empty=True),
        "min_value": checks.day(),
        "max_value": checks.day(),
        "max_days": checks.count(),
        "lifted": checks.flag(optional=True),
    },
    ordered=(("min_value", "max_value"),),
)
@_cached
def holds(
    *,
    kinds: tuple[HoldKind, ...] = tuple(HoldKind),
    min_value: _dt.date = _dt.date(2020, 1, 1),
    max_value: _dt.date = _dt.date(2030, 12, 31),
    max_days: int = 60,
    lifted: bool | None = False,
) -> st.SearchStrategy[Hold]:
    """Holds of ``kinds`` from a day between ``min_value`` and ``max_value``, lasting up to
    ``max_days`` (a dispute may be open-ended; a direct debit has a return window of up to
    10 days). ``lifted`` True draws holds lifted on a day within them, None either, False
    none (as placed)."""
    kind_of = st.sampled_from(kinds)
    reasons = st.sampled_from(("contested delivery", "promised by phone", "mandate M-1"))

    @st.composite
    def build(draw: st.DrawFn) -> Hold:
        kind = draw(kind_of)
        on = draw(dates(min_value=min_value, max_value=max_value))
        span = draw(st.integers(min_value=0, max_value=max_days))
        until = on + _dt.timedelta(days=span)
        match kind:
            case HoldKind.DISPUTE:
                open_ended = draw(st.booleans())
                hold = Hold.dispute(
                    on=on, reason=draw(reasons), until=None if open_ended else until
                )
            case HoldKind.PROMISE_TO_PAY:
                hold = Hold.promise_to_pay(on=on, until=until, reason=draw(reasons))
            case _:
                hold = Hold.direct_debit(
                    on=on, collection_date=until, return_days=draw(st.integers(0, 10))
                )
        lift = draw(st.booleans()) if lifted is None else lifted
        if lift:
            end = hold.ends_on or on + _dt.timedelta(days=max_days)
            lifted_on = draw(dates(min_value=on, max_value=end))
            hold = attrs.evolve(hold, lifted_on=lifted_on)
        return hold

    return build()


@checks.checked({})
@_cached
def stage_repeats() -> st.SearchStrategy[StageRepeat]:
    """Repetitions of the last stage: 1 to 3 times, every 1 to 30 days or 1 to 3 months."""
    counts = st.integers(min_value=1, max_value=3)
    return st.builds(StageRepeat, count=counts, days=st.integers(min_value=1, max_value=30)) | (
        st.builds(StageRepeat, count=counts, months=st.integers(min_value=1, max_value=3))
    )
