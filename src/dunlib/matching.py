"""The old path of :mod:`dunlib.payments.matching`, kept because the docs named it: import from
``dunlib.payments.matching`` (or its area, ``dunlib.payments``) in new code."""

from __future__ import annotations

from dunlib.payments.matching import *  # noqa: F403
from dunlib.payments.matching import __all__ as __all__
