"""Test configuration: Hypothesis profiles.

``ci`` (the default) is derandomized, so every run explores the same examples (120 a
property, which keeps ``make test`` under 10 minutes on 2 cores with room to spare);
``long`` (``HYPOTHESIS_PROFILE=long``) hunts with many more examples before a release.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=120,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "long",
    max_examples=5000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_MEASUREMENTS: list[str] = []


@pytest.fixture
def report() -> Callable[[str], None]:
    """Record a measured figure (such as matching precision) for the run's summary."""
    return _MEASUREMENTS.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures tests recorded, so CI output shows them."""
    if _MEASUREMENTS:
        terminalreporter.section("measured by the tests")
        for line in _MEASUREMENTS:
            terminalreporter.write_line(line)
