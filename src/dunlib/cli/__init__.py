"""The command line: ``dunlib create``, ``import``, ``run``, ``outbox``, ``ageing``, ``export``,
``restore`` and ``demo`` over a store (:mod:`dunlib.store`).

Installed with the ``store`` extra (SQLAlchemy and rich), as the ``dunlib`` command; see
``docs/cli.md``. A store is named by a database URL (``sqlite:///dunlib.db``,
``postgresql://…``) or by a file path, which means SQLite. Days are written ``YYYY-MM-DD``.

This module is at the edge: it reads the arguments and files, opens databases and prints to
the terminal. A refusal of dunlib's (a :class:`~dunlib.core.errors.DunlibError`) and a database
that cannot be opened (or a file that is none) are printed as one red line, with exit status
2; argparse's own usage errors exit with 2 as well.
"""

from __future__ import annotations

try:  # the store extra: the command's output and its databases
    import rich as _rich  # noqa: F401
    import sqlalchemy as _sqlalchemy  # noqa: F401
except ImportError as missing:  # pragma: no cover - the extra is installed wherever tests run
    from dunlib.core.errors import MissingExtraError

    raise MissingExtraError(package=missing.name or "rich", extra="store") from None

import argparse
from collections.abc import Sequence

import sqlalchemy as sa
from rich.console import Console

from dunlib.cli import _commands
from dunlib.core.errors import DunlibError

__all__ = ["main", "parser"]


def parser() -> argparse.ArgumentParser:
    """The parser of ``dunlib``'s arguments: one subcommand per job."""
    top = argparse.ArgumentParser(
        prog="dunlib",
        description="Dunning over a store of invoices (SQLite or PostgreSQL).",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    store_help = "a database URL (sqlite:///file.db, postgresql://...) or a file path (SQLite)"

    create = commands.add_parser("create", help="create a store with its dunning rules")
    create.add_argument("store", metavar="STORE", help=store_help)
    create.add_argument("--rules", required=True, help="the dunning rules, a .toml or .json file")
    create.add_argument(
        "--minimum",
        action="append",
        default=[],
        metavar="AMOUNT:CURRENCY",
        help="a customer minimum, such as 5.00:EUR (once per currency)",
    )
    create.add_argument("--tenant", default="", help="the sender's name in the letters")

    imported = commands.add_parser("import", help="add invoices from a JSON-lines file")
    imported.add_argument("store", metavar="STORE", help=store_help)
    imported.add_argument("file", metavar="FILE", help="one invoice JSON document per line")

    run = commands.add_parser("run", help="run dunning for a day or a range of days")
    run.add_argument("store", metavar="STORE", help=store_help)
    run.add_argument("day", metavar="DAY", help="the (first) day to run")
    run.add_argument("--to", metavar="DAY", help="run every day up to this one too")

    outbox = commands.add_parser("outbox", help="list the letters to send")
    outbox.add_argument("store", metavar="STORE", help=store_help)
    outbox.add_argument("--day", metavar="DAY", help="only the letters of this day")

    ageing = commands.add_parser("ageing", help="the receivables by how long they are past due")
    ageing.add_argument("store", metavar="STORE", help=store_help)
    ageing.add_argument("--today", required=True, metavar="DAY", help="the report's day")

    export = commands.add_parser("export", help="write the whole store to a JSON-lines file")
    export.add_argument("store", metavar="STORE", help=store_help)
    export.add_argument("file", metavar="FILE", help="the file to write")

    restore = commands.add_parser("restore", help="a new store from an exported file")
    restore.add_argument("store", metavar="STORE", help=store_help + "; empty or new")
    restore.add_argument("file", metavar="FILE", help="a file `dunlib export` wrote")

    demo = commands.add_parser("demo", help="a quarter of dunning over a generated portfolio")
    demo.add_argument("--store", metavar="STORE", help="keep the store here (default: temporary)")
    demo.add_argument("--invoices", type=int, default=300, metavar="N", help="default 300")
    demo.add_argument("--days", type=int, default=91, metavar="N", help="default 91")
    demo.add_argument("--seed", type=int, default=2026, metavar="N", help="default 2026")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``dunlib`` with ``argv`` (the process's arguments when None); the exit status."""
    out, err = Console(), Console(stderr=True)
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # argparse's --help and usage errors
        return int(stop.code or 0)
    try:
        _commands.COMMANDS[args.command](args, out)
    except (DunlibError, sa.exc.DatabaseError) as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        shown = "; ".join(lines) if isinstance(error, DunlibError) else lines[0]
        err.print(f"dunlib: {shown}", style="red", markup=False, highlight=False, soft_wrap=True)
        return 2
    return 0
