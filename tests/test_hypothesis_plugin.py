"""The Hypothesis entry point registers dunlib's types without an import cycle."""

from __future__ import annotations

import subprocess
import sys

from dunlib._hypothesis_plugin import _hypothesis_setup_hook


def test_importing_strategies_first_works() -> None:
    """``import dunlib.strategies`` in a fresh interpreter (before Hypothesis) succeeds."""
    code = "import dunlib.strategies as s; assert callable(s.invoices)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_hook_loads_the_strategies() -> None:
    """The entry-point hook leaves dunlib.strategies loaded (and so registered)."""
    _hypothesis_setup_hook()
    assert "dunlib.strategies" in sys.modules
