"""Every install line of README.md, docs/ and the example notebook runs.

An *install line* is a shell command the pages show, in a ``sh``/``console`` block or an
inline code span (in the notebook, of a Markdown cell), that runs pip, creates a virtual
environment or runs the example app. dunlib is on no package index, so each line installs
from the clone or from a wheel built in it. A line is a chain (``&&``) of the forms in
:data:`FORMS`, the ones this test knows how to run; a line of any other form (``pip install
dunlib`` among them) fails the test, as does an extra that pyproject.toml does not declare.

The lines run verbatim with ``sh``, in the order of the pages (the virtual environment
created and the wheel built first), in a copy of the checkout (the notebook's in
``examples/``, where its kernel runs), and offline: pip reads no configuration and no index
and builds without isolation (hatchling comes with the ``dev`` extra), and it finds the
dependencies already installed, as the development environment installed them
(``PYTHONPATH`` names its site-packages, dunlib and pip left out): what the lines fetch from
PyPI on a user's machine. Two substitutions: ``path/to/dunlib`` is the path of the copy, and
a notebook's ``%pip`` is ``python -m pip`` of the environment.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from dataclasses import dataclass
from pathlib import Path

from test_docs import PAGES, ROOT, blocks

SHELL = frozenset({"sh", "shell", "bash", "console"})
_CANDIDATE = re.compile(r"\bpip\b|-m venv|-m billing_app|\bcd examples\b")
_SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")
_EXTRAS = r"\[\w+(?:,\w+)*\]"
_PIP = r"(?:(?:python3?|\.venv/bin/python) -m pip|%pip)"
_CLONE = rf"""(?:\.|\.\.|path/to/dunlib|(["'])(?:\.|\.\.|path/to/dunlib){_EXTRAS}\1)"""
_WHEEL = rf"""(?:dunlib|(["'])dunlib{_EXTRAS}\1)"""

FORMS = {
    "a virtual environment": r"python3 -m venv \.venv",
    "an install from the clone": rf"{_PIP} install {_CLONE}",
    "a wheel": rf"{_PIP} wheel --no-deps -w dist \.",
    "an install from the wheel": rf"{_PIP} install --find-links dist {_WHEEL}",
    "into the examples": r"cd examples",
    "the billing app": r"\.\./\.venv/bin/python -m billing_app(?: \w+\.db)?",
}
"""The commands an install line chains, by what they do."""

NOTEBOOK = ROOT / "examples" / "notebook.ipynb"
DECLARED_EXTRAS = frozenset(
    tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
)


@dataclass(frozen=True)
class Line:
    """An install line of a page, ``number`` its line in the page; it runs in ``folder`` of
    the clone."""

    page: str
    number: int
    command: str
    folder: str = "."

    def forms(self) -> list[str] | None:
        """What each command of the line does, in order; None when one is of no known form."""
        found = []
        for part in self.command.split(" && "):
            names = [name for name, form in FORMS.items() if re.fullmatch(form, part)]
            if not names:
                return None
            found += names
        return found

    def problem(self) -> str | None:
        """Why the line would not run from a clone (None when it does)."""
        if self.forms() is None:
            return "is of no form that installs from the clone or a wheel built in it"
        extras = {
            e for group in re.findall(r"\[([\w,]+)\]", self.command) for e in group.split(",")
        }
        if unknown := sorted(extras - DECLARED_EXTRAS):
            return f"names extras pyproject.toml does not declare: {', '.join(unknown)}"
        return None

    def __str__(self) -> str:
        return f"{self.page}:{self.number}: {self.command}"


def install_lines(text: str, page: str = "page.md", folder: str = ".") -> list[Line]:
    """The install lines of a Markdown text: lines of shell blocks (without a ``$`` prompt
    and the comment) and inline code spans (which may break across lines)."""
    found: list[Line] = []
    prose = text.splitlines()
    for block in blocks(text):
        size = len(block.source.splitlines())
        prose[block.line - 2 : block.line + size] = [""] * (size + 2)
        if block.language.lower() in SHELL:
            for offset, raw in enumerate(block.source.splitlines()):
                command = raw.split(" #", 1)[0].strip().removeprefix("$ ")
                found.append(Line(page, block.line + offset, command, folder))
    masked = "\n".join(prose)
    for span in _SPAN.finditer(masked):
        command = " ".join(span[1].split())
        found.append(Line(page, masked.count("\n", 0, span.start()) + 1, command, folder))
    lines = [line for line in found if _CANDIDATE.search(line.command)]
    return sorted(lines, key=lambda line: line.number)


def every_install_line() -> list[Line]:
    """The install lines of README.md, every page of docs/ and the example notebook (its
    Markdown cells, numbered as one text)."""
    found = []
    for path in PAGES:
        found += install_lines(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    markdown = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]
    return found + install_lines("\n\n".join(markdown), "examples/notebook.ipynb", "examples")


def test_every_install_line_installs_from_the_clone() -> None:
    """Each install line shown is of a form that runs from a clone (dunlib is on no index)
    and names only declared extras."""
    problems = [f"{line} {problem}" for line in every_install_line() if (problem := line.problem())]
    assert problems == []


def test_the_pages_show_every_form() -> None:
    """The pages show each known form at least once, so the run below runs each."""
    shown = {form for line in every_install_line() for form in line.forms() or []}
    assert shown == set(FORMS)


def test_lines_installing_by_name_or_needing_a_set_up_environment_are_refused() -> None:
    """An install by name, an unknown extra and the example app run with whatever Python
    is first on the PATH are refused; lines in blocks of other languages are not lines."""
    text = (
        "Install it (`pip install\n dunlib`), or:\n\n"
        '```console\n$ python -m pip install ".[tesing]"  # the kit\n```\n\n'
        "```python\nprint('pip install dunlib')\n```\n\n"
        "```sh\nmake demo\ncd examples && python -m billing_app\n"
        "cd examples && ../.venv/bin/python -m billing_app\n```\n"
    )
    lines = install_lines(text)
    assert [(line.number, line.command) for line in lines] == [
        (1, "pip install dunlib"),
        (5, 'python -m pip install ".[tesing]"'),
        (14, "cd examples && python -m billing_app"),
        (15, "cd examples && ../.venv/bin/python -m billing_app"),
    ]
    by_name, unknown_extra, bare_python, app = lines
    assert "no form" in (by_name.problem() or "")
    assert "tesing" in (unknown_extra.problem() or "")
    assert "no form" in (bare_python.problem() or "")
    assert app.problem() is None


def _clone(tmp_path: Path) -> Path:
    """A copy of what the checkout's build and example app read, without ``.venv``."""
    clone = tmp_path / "dunlib"
    clone.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, clone / name)
    for folder in ("src", "examples"):
        shutil.copytree(ROOT / folder, clone / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return clone


def _installed(tmp_path: Path) -> Path:
    """A folder of the development environment's packages, dunlib and pip left out."""
    installed = tmp_path / "installed"
    installed.mkdir()
    for site in {Path(sysconfig.get_paths()[key]) for key in ("purelib", "platlib")}:
        for entry in site.iterdir():
            left_out = entry.name.startswith(("dunlib", "_editable_impl_dunlib", "pip"))
            if not left_out and entry.suffix != ".pth" and not (installed / entry.name).exists():
                (installed / entry.name).symlink_to(entry)
    return installed


def _offline(clone: Path, tmp_path: Path) -> dict[str, str]:
    """The environment of a shell with the clone's ``.venv`` active (once it exists) and
    pip offline; the development environment's Python is ``python3`` until then."""
    kept = ("PYTHON", "PIP_", "COV_", "VIRTUAL_ENV")
    env = {key: value for key, value in os.environ.items() if not key.startswith(kept)}
    path = [str(clone / ".venv" / "bin"), str(Path(sys.executable).parent), env.get("PATH", "")]
    return env | {
        "PATH": os.pathsep.join(path),
        "VIRTUAL_ENV": str(clone / ".venv"),
        "PYTHONPATH": str(_installed(tmp_path)),
        "PYTHONNOUSERSITE": "1",
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling of --no-build-isolation
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_CACHE_DIR": str(tmp_path / "pip-cache"),
    }


def _sh(command: str, clone: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def _order(command: str) -> tuple[bool, bool]:
    """The virtual environment first, then the wheel, then the pages' order."""
    return " -m venv " not in command, " wheel " not in command


def test_every_install_line_runs_in_a_fresh_environment(tmp_path: Path) -> None:
    """Each distinct install line runs in a copy of the checkout: the first creates its
    ``.venv``, each install installs dunlib there (no extra refused), the example app runs
    from it and prints its quarter. pip finds no dunlib by name there, as on a user's
    machine."""
    clone = _clone(tmp_path)
    env = _offline(clone, tmp_path)
    first: dict[tuple[str, str], Line] = {}  # each command once, where first shown
    for line in every_install_line():
        command = line.command.replace("%pip", "python -m pip")
        first.setdefault((command.replace("path/to/dunlib", str(clone)), line.folder), line)
    for (command, folder), line in sorted(first.items(), key=lambda item: _order(item[0][0])):
        if "--find-links" in command:
            _sh("python -m pip uninstall --yes dunlib", clone, env)
        ran = _sh(command, clone / folder, env)
        output = ran.stdout + ran.stderr
        assert ran.returncode == 0, f"{line}\n{output}"
        assert "does not provide the extra" not in output, f"{line}\n{output}"
        if " install " in command:
            assert "Successfully installed dunlib-" in output, f"{line}\n{output}"
        if "billing_app" in command:
            assert "C-4 Mahnung zu 2 Rechnungen" in ran.stdout, f"{line}\n{output}"
    where = _sh('python -c "import dunlib; print(dunlib.__file__)"', clone, env)
    assert where.stdout.startswith(str(clone / ".venv")), where.stdout + where.stderr
    _sh("python -m pip uninstall --yes dunlib", clone, env)
    assert _sh("python -m pip install dunlib", clone, env).returncode != 0
