"""The package stays readable: no module of dunlib is over 1 000 lines."""

from __future__ import annotations

from pathlib import Path

import dunlib

LIMIT = 1000


def test_no_module_of_dunlib_is_over_1000_lines() -> None:
    """Every ``.py`` file under ``src/dunlib`` has at most 1 000 lines: a module that grows
    past it is split by topic (as ``dunlib.strategies`` and ``dunlib.testing.machine`` are)."""
    package = Path(dunlib.__file__).parent
    sizes = {
        str(path.relative_to(package)): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(package.rglob("*.py"))
    }
    assert len(sizes) > 40
    assert {name: size for name, size in sizes.items() if size > LIMIT} == {}
