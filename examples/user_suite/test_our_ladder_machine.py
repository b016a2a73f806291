"""dunlib's state machine over every operation, dunning by our ladder: whatever our people
do, in whatever order, every law of dunlib's closed core holds under our rules."""

from __future__ import annotations

from ladder import rules_for

from dunlib import Authority
from dunlib.testing.machine import ReceivablesMachine


class OurLadderMachine(ReceivablesMachine):
    """Every operation, by our ladder (the function itself), under our 4-eyes policy and
    the default permissions."""

    dunning_rules = staticmethod(rules_for)
    policies = (Authority(eyes=4),)


test_every_operation_keeps_dunlibs_laws_under_our_ladder = OurLadderMachine.TestCase
