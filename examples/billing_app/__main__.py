"""Run the simulated quarter and print its outcome: ``python -m billing_app [DATABASE]``."""

from __future__ import annotations

import sqlite3
import sys

from .quarter import run_quarter, summary


def main(argv: list[str]) -> None:
    """Run the quarter on the database file ``argv[0]`` (in memory when none is named)."""
    connection = sqlite3.connect(argv[0] if argv else ":memory:")
    try:
        print(summary(run_quarter(connection)))
    finally:
        connection.close()


if __name__ == "__main__":
    main(sys.argv[1:])
