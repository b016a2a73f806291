"""The old path of :mod:`dunlib.workflow.drafts`, kept because the docs named it: import from
``dunlib.workflow.drafts`` (or its area, ``dunlib.workflow``) in new code."""

from __future__ import annotations

from dunlib.workflow.drafts import *  # noqa: F403
from dunlib.workflow.drafts import __all__ as __all__
