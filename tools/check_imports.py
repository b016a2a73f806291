"""What `make lint` checks of dunlib's imports beyond the import-linter contracts.

- no cycle between modules, counting every import (inside functions and under
  ``TYPE_CHECKING`` too);
- no private name imported across areas: a module of one package (``dunlib.core``,
  ``dunlib.dunning``, …) never imports a name or a module with a leading underscore from
  another package.

Prints each finding and exits with 1 when there is one. Run: ``python tools/check_imports.py``.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "dunlib"


def module_name(path: Path) -> str:
    """The dotted name of the module at ``path`` under ``src/``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def area(module: str) -> str:
    """The package a module belongs to: ``dunlib.core`` for ``dunlib.core.money``."""
    return ".".join(module.split(".")[:2])


def imports(path: Path, modules: set[str]) -> list[tuple[str, str]]:
    """(imported module, imported name or "") of every dunlib import in the file."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "dunlib":
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if full in modules:  # a module imported by name
                        found.append((full, ""))
                    else:
                        found.append((node.module, alias.name))
        elif isinstance(node, ast.Import):
            found.extend((a.name, "") for a in node.names if a.name.split(".")[0] == "dunlib")
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    paths = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
    modules = set(paths)
    problems: list[str] = []
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in paths.items():
        for imported, attribute in imports(path, modules):
            target = imported if imported in modules else None
            if target is not None and target != name:
                graph[name].add(target)
            if area(imported) == area(name) or name == "dunlib":
                continue
            private = [part for part in imported.split(".")[1:] if part.startswith("_")]
            dunder = attribute.startswith("__") and attribute.endswith("__")
            if private or (attribute.startswith("_") and not dunder):
                problems.append(f"{path}: imports {imported} {attribute} across areas".rstrip())
    for component in cycles(graph):
        problems.append("an import cycle among: " + ", ".join(component))
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
