"""What a store refuses: a database of another schema version, and a change that lost a race."""

from __future__ import annotations

from dunlib.core.errors import DunlibError

__all__ = ["ConflictError", "SchemaVersionError", "StoreError"]


class StoreError(DunlibError):
    """The root of the store's errors."""


class SchemaVersionError(StoreError):
    """The database holds a store of a schema version this dunlib cannot open.

    ``found`` is the database's version (None: not a dunlib store), ``supported`` the newest
    version this dunlib knows; a newer store is never opened, so that no older code writes
    into a schema it does not know."""

    def __init__(self, url: str, found: int | None, supported: int) -> None:
        self.url, self.found, self.supported = url, found, supported
        what = "no dunlib store" if found is None else f"a store of schema version {found}"
        super().__init__(
            f"{url}: holds {what}; expected a store of schema version {supported} or older "
            "(create one with Store.create, or upgrade dunlib)"
        )


class ConflictError(StoreError):
    """A row changed under a change made from an older read, again after every retry.

    ``table`` and ``key`` name the row (an invoice by its number, an account by its customer),
    ``attempts`` how often the change was read afresh and tried again."""

    def __init__(self, table: str, key: str, attempts: int) -> None:
        self.table, self.key, self.attempts = table, key, attempts
        super().__init__(
            f"{table} {key}: changed by someone else during each of {attempts} attempts; "
            "expected it to hold still long enough for one change (try again later)"
        )
