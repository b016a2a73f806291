"""Test configuration: Hypothesis profiles, and the databases the store's tests run on.

``ci`` (the default) is derandomized, so every run explores the same examples (120 a
property, which keeps ``make test`` under 10 minutes on 2 cores with room to spare);
``long`` (``HYPOTHESIS_PROFILE=long``) hunts with many more examples before a release.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

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


# -- stores (issue 25): every store test runs on SQLite and on a real PostgreSQL server ------


@pytest.fixture(scope="session")
def postgresql_server() -> Iterator[str]:
    """A PostgreSQL server for the test session (the ``pgserver`` package ships one), its
    URL; stopped and removed when the session ends. Never skipped: the store's suite runs on
    both databases. Its folder is its own (pytest's temporary folders of other sessions may
    be cleaned away under it)."""
    folder = tempfile.mkdtemp(prefix="dunlib-postgresql-")
    with warnings.catch_warnings():  # no XDG_RUNTIME_DIR on CI machines: pgserver says so
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(folder, cleanup_mode="delete")  # type: ignore[attr-defined]
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


_DATABASES = iter(range(1_000_000))


@pytest.fixture
def postgresql_url(postgresql_server: str) -> str:
    """The URL of a new, empty database on the session's PostgreSQL server."""
    import sqlalchemy as sa

    name = f"store_{os.getpid()}_{next(_DATABASES)}"
    admin = sa.create_engine(postgresql_server.replace("postgresql://", "postgresql+psycopg://"))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    base, _, query = postgresql_server.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}?{query}"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: a SQLite file, or a new database on the session's
    PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("postgresql_url")
    return url
