"""The example user suite (examples/user_suite) catches a changed rule: a day, a fee, an
inclusive threshold. Each mutant of the user's ladder runs the suite in a fresh pytest."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import dunlib

SUITE = Path(__file__).resolve().parents[1] / "examples" / "user_suite"
DOCS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "testing.md"

MUTANTS = {
    "a day": ("SECOND_REMINDER_DAYS = 20", "SECOND_REMINDER_DAYS = 21"),
    "a fee": ('NOTICE_FEE = Money("7.50", "EUR")', 'NOTICE_FEE = Money("7.00", "EUR")'),
    "an inclusive threshold": (
        "invoice.open_amount >= B2B_NOTICE_MINIMUM",
        "invoice.open_amount > B2B_NOTICE_MINIMUM",
    ),
}
"""One change of the user's rules each: (the text in ladder.py, what it becomes)."""

CAUGHT_BY = {
    "a day": "test_reminders_come_10_and_20_days_after_the_due_date",
    "a fee": "test_the_notice_costs_7_50_on_day_30",
    "an inclusive threshold": "test_businesses_get_the_notice_exactly_from_50_euros_open",
}
"""The property of the suite (they come first) that fails for each mutant; the run stops
there (-x), to keep the test short."""


def _run_suite(folder: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("COV_")}
    env["PYTHONPATH"] = str(Path(dunlib.__file__).parents[1])  # the dunlib under test
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-rf"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_the_example_suite_fails_when_one_rule_changes(mutant: str, tmp_path: Path) -> None:
    """Mutating one rule of the user's ladder (a day, a fee, an inclusive threshold) makes
    the example suite fail, first in the property that states that rule (the unchanged
    suite passes: make user-suite runs it)."""
    copy = tmp_path / "user_suite"
    shutil.copytree(SUITE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    ladder = copy / "ladder.py"
    original, changed = MUTANTS[mutant]
    text = ladder.read_text()
    assert text.count(original) == 1
    ladder.write_text(text.replace(original, changed))
    result = _run_suite(copy)
    assert result.returncode == 1, result.stdout
    failed = set(re.findall(r"^FAILED test_our_ladder\.py::(\w+)", result.stdout, re.MULTILINE))
    assert failed == {CAUGHT_BY[mutant]}, result.stdout


def test_the_docs_page_quotes_the_suite_and_a_real_failure() -> None:
    """Every file excerpt on docs/testing.md is part of the example suite as it is, and the
    failure it shows for the changed fee is the one assert_schedule reports."""
    page = DOCS_PAGE.read_text()
    sources = "\n".join(path.read_text() for path in sorted(SUITE.glob("*.py")))
    blocks = re.findall(
        r"```python title=\"examples/user_suite/\w+\.py\"\n(.*?)```", page, re.DOTALL
    )
    listings = [block for block in blocks if ">>>" not in block]
    assert listings
    for block in listings:
        assert block in sources, block[:200]
    assert " !   3  notice     +30  level ?  7.50 EUR  notice     +30  level 3  7.00 EUR" in page
