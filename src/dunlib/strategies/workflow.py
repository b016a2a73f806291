"""Strategies for the workflow: approval policies, actors, permissions and number sequences."""

from __future__ import annotations

from hypothesis import strategies as st

from dunlib.numbering import NumberSequence
from dunlib.policy import Operation
from dunlib.transitions import ACCOUNTANT, AUTOMATION, CLERK, REVIEWER, ROWS
from dunlib.workflow import Actor, ApprovalPolicy, Permissions

__all__ = ["actors", "approval_policies", "number_sequences", "permissions"]


def approval_policies() -> st.SearchStrategy[ApprovalPolicy]:
    """The 2-, 4- and 6-eye policies."""
    return st.sampled_from((2, 4, 6)).map(lambda eyes: ApprovalPolicy(eyes=eyes))


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


def number_sequences() -> st.SearchStrategy[NumberSequence]:
    """Invoice number sequences with a prefix, a start value and a width."""
    return st.builds(
        NumberSequence,
        prefix=st.sampled_from(("", "RE-", "RE-2026-", "INV/")),
        next_value=st.integers(min_value=1, max_value=10**6),
        width=st.integers(min_value=1, max_value=8),
    )


def permissions() -> st.SearchStrategy[Permissions]:
    """Rights: some rows of the transition table and some operations outside it
    (:class:`~dunlib.policy.Operation`), each granted to some of the roles."""
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
