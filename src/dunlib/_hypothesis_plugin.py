"""Hypothesis entry point: makes ``st.from_type`` know dunlib's value objects.

Kept apart from :mod:`dunlib.strategies` so that importing that module first
(which imports Hypothesis, which runs this hook) does not import it in a circle:
the strategies register themselves when their module has finished loading.
"""

from __future__ import annotations

import importlib


def _hypothesis_setup_hook() -> None:
    """Load :mod:`dunlib.strategies`, which registers every dunlib type on import."""
    importlib.import_module("dunlib.strategies")
