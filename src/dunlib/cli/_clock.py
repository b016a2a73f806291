"""The machine's time, for the run journal: the command line is the program, the one place
that reads the clock and hands it to :meth:`dunlib.store.Store.run_day`."""

from __future__ import annotations

import datetime as _dt

__all__ = ["now"]


def now() -> str:
    """The machine's time (UTC, to the second), as the run journal keeps it."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
