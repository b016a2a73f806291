"""A home for invoices: a store on SQLite or PostgreSQL and a daily run that wakes only what is due.

The ``store`` extra (``pip install -e '.[store]'`` from a checkout; ``.[postgresql]`` adds
psycopg 3) installs SQLAlchemy; ``import dunlib`` never loads this package. See
``docs/store.md``.
"""

from __future__ import annotations

try:
    import sqlalchemy as _sqlalchemy  # noqa: F401
except ImportError:  # pragma: no cover - the extra is installed wherever the tests run
    from dunlib.core.errors import MissingExtraError

    raise MissingExtraError(package="sqlalchemy", extra="store") from None

from dunlib.store.daily import RunSummary
from dunlib.store.errors import ConflictError, SchemaVersionError, StoreError
from dunlib.store.rows import Settings, digest, wake_day
from dunlib.store.schema import SCHEMA_VERSION
from dunlib.store.store import OutboxLetter, RunRecord, Store

__all__ = [
    "SCHEMA_VERSION",
    "ConflictError",
    "OutboxLetter",
    "RunRecord",
    "RunSummary",
    "SchemaVersionError",
    "Settings",
    "Store",
    "StoreError",
    "digest",
    "wake_day",
]
