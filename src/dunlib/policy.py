"""The old path of :mod:`dunlib.workflow.policy`, kept because the docs named it: import from
``dunlib.workflow.policy`` (or its area, ``dunlib.workflow``) in new code."""

from __future__ import annotations

from dunlib.workflow.policy import *  # noqa: F403
from dunlib.workflow.policy import __all__ as __all__
