"""The pytest plugin of dunlib's testing kit (entry point ``pytest11``, ``testing`` extra).

Installed with ``pip install dunlib[testing]``, pytest loads it by itself. It adds three
fixtures and registers a Hypothesis profile, and changes nothing else (no profile is
loaded, no option or hook of yours is touched):

* ``dunlib_today``: a fixed day to ask on (:data:`dunlib.testing.TODAY`);
* ``dunlib_rules``: the standard rules of the dunning set-up
  (:data:`dunlib.testing.STANDARD_RULES`);
* ``dunlib_portfolio``: eight invoices, one of each case a run meets, as of
  ``dunlib_today`` (:func:`dunlib.testing.sample_portfolio`);
* the Hypothesis profile ``dunlib`` (:func:`dunlib.testing.register_profiles`): load it
  with ``pytest --hypothesis-profile=dunlib`` or ``settings.load_profile("dunlib")``.

It lives outside the ``dunlib`` package and imports dunlib only once pytest is configured,
so that a coverage measurement started by pytest (pytest-cov) still sees dunlib's modules
being imported. Disable it with ``pytest -p no:dunlib``.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from dunlib import DunningRules, Invoice

__all__ = ["dunlib_portfolio", "dunlib_rules", "dunlib_today", "pytest_configure"]


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Register the Hypothesis profile ``dunlib`` (before Hypothesis's own plugin loads the
    one named by ``--hypothesis-profile``), when Hypothesis is installed."""
    try:
        from dunlib.testing import register_profiles

        register_profiles()
    except ImportError:  # Hypothesis is missing: the fixtures still work
        return


@pytest.fixture
def dunlib_today() -> _dt.date:
    """A fixed day to ask on, so that tests never read the clock."""
    from dunlib.testing import TODAY

    return TODAY


@pytest.fixture
def dunlib_rules() -> DunningRules:
    """The standard rules: reminders after 14, 7 and 7 days, a notice with 5.00 EUR after 7."""
    from dunlib.testing import STANDARD_RULES

    return STANDARD_RULES


@pytest.fixture
def dunlib_portfolio(dunlib_today: _dt.date) -> tuple[Invoice, ...]:
    """Eight sent invoices as a dunning run finds them on ``dunlib_today``."""
    from dunlib.testing import sample_portfolio

    return sample_portfolio(today=dunlib_today)
