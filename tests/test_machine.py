"""Stateful: every public operation that changes an invoice or a customer's account keeps the
closed core's laws, whoever attempts it, in whatever order.

The machine and its laws are the shipped :class:`dunlib.testing.machine.ReceivablesMachine` (see
its module docs for the operations and every law checked after every step); the project's
own subclass runs it with the kit's ladder, its approval and escalation drawn per run, under
every eyes policy and the table's permissions, longer than a user's default.
"""

from __future__ import annotations

from hypothesis import settings

from dunlib.testing.machine import ReceivablesMachine


class ClosedCoreMachine(ReceivablesMachine):
    """The project's machine: the kit's ladder, every policy, the default permissions."""


ClosedCoreMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=60, deadline=None
)
test_every_operation_keeps_the_closed_core_laws = ClosedCoreMachine.TestCase
