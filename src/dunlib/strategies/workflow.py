"""Strategies for the workflow: approval policies, actors, permissions, number sequences and
the rows of the transition table."""

from __future__ import annotations

from hypothesis import strategies as st

from dunlib.core.numbering import NumberSequence
from dunlib.core.transitions import ACCOUNTANT, AUTOMATION, CLERK, REVIEWER, ROWS, Row, RowKind
from dunlib.strategies import _checks as checks
from dunlib.workflow import Actor, Authority, Permissions
from dunlib.workflow.policy import Operation

__all__ = ["actors", "authorities", "number_sequences", "permissions", "rows"]


@checks.checked({})
def authorities() -> st.SearchStrategy[Authority]:
    """The 2-, 4- and 6-eye policies."""
    return st.sampled_from((2, 4, 6)).map(lambda eyes: Authority(eyes=eyes))


@checks.checked({"ids": checks.strategy(optional=True), "automatic": checks.flag(optional=True)})
def actors(
    *,
    ids: st.SearchStrategy[str] | None = None,
    automatic: bool | None = None,
) -> st.SearchStrategy[Actor]:
    """Actors holding some of the default roles (clerk, reviewer, accountant, automation).

    ``automatic`` fixes whether the actor is an automatic process (drawn when None).
    """
    roles = st.frozensets(st.sampled_from((CLERK, REVIEWER, ACCOUNTANT, AUTOMATION)), max_size=4)
    return st.builds(
        Actor,
        id=st.sampled_from(("alice", "bob", "carol", "dave", "robot")) if ids is None else ids,
        roles=roles,
        automatic=st.booleans() if automatic is None else st.just(automatic),
    )


@checks.checked({})
def number_sequences() -> st.SearchStrategy[NumberSequence]:
    """Invoice number sequences with a prefix, a start value and a width."""
    return st.builds(
        NumberSequence,
        prefix=st.sampled_from(("", "RE-", "RE-2026-", "INV/")),
        next_value=st.integers(min_value=1, max_value=10**6),
        width=st.integers(min_value=1, max_value=8),
    )


@checks.checked({})
def permissions() -> st.SearchStrategy[Permissions]:
    """Rights: some rows of the transition table and some operations outside it
    (:class:`~dunlib.workflow.policy.Operation`), each granted to some of the roles."""
    roles = st.sampled_from((CLERK, REVIEWER, ACCOUNTANT, AUTOMATION))
    grants = st.tuples(st.sampled_from(ROWS), roles).map(
        lambda pair: (pair[0].source, pair[0].command, pair[1])
    )
    operations = st.tuples(st.sampled_from(Operation), roles)
    return st.builds(
        Permissions,
        grants=st.frozensets(grants, max_size=12),
        operations=st.frozensets(operations, max_size=6),
    )


@checks.checked({"kinds": checks.members(checks.one_of(tuple(RowKind)), "RowKind", non_empty=True)})
def rows(*, kinds: tuple[RowKind, ...] = tuple(RowKind)) -> st.SearchStrategy[Row]:
    """Rows of the transition table (:data:`dunlib.core.transitions.ROWS`) of ``kinds``, in the
    table's order (a failing example shrinks to the first such row).

    >>> from hypothesis import find
    >>> find(rows(kinds=(RowKind.SKIP,)), lambda row: True).kind
    RowKind.SKIP
    """
    return st.sampled_from(tuple(row for row in ROWS if row.kind in kinds))
