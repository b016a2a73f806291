"""The old path of :mod:`dunlib.core.numbering`, kept because the docs named it: import from
``dunlib.core.numbering`` (or its area, ``dunlib.core``) in new code."""

from __future__ import annotations

from dunlib.core.numbering import *  # noqa: F403
from dunlib.core.numbering import __all__ as __all__
