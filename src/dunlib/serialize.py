"""The old path of :mod:`dunlib.io.serialize`, kept because the docs named it: import from
``dunlib.io.serialize`` (or its area, ``dunlib.io``) in new code."""

from __future__ import annotations

from dunlib.io.serialize import *  # noqa: F403
from dunlib.io.serialize import __all__ as __all__
