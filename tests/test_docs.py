"""Every Python code block of README.md and docs/ runs in the test suite.

A block fenced as ``python`` (or ``py``, ``python3``, ``pycon``) is one of three kinds:

- a *doctest*: its first line starts with ``>>>``; pytest collects it with the page
  (``--doctest-glob=*.md``) and compares the output;
- a *script*: no line starts with ``>>>``; the tests here run the page's scripts in
  order, in one namespace per page, from the repository's root, and a block that
  raises fails the page's test with the block's place in the traceback;
- an *excerpt*: a script block titled with the path of a Python file of the repository
  (```` ```python title="examples/billing_app/app.py" ````, which the site shows as the
  block's title) is not run on its own; its code must appear verbatim in that file, which
  the test suite runs or imports (only files under ``src/``, ``tests/`` and ``examples/``
  qualify), so an excerpt cannot drift from code that runs.

A block mixing doctest and script (code before its first ``>>>``, which doctest would
skip), a ``pycon`` block without ``>>>`` and a title naming no such file are refused, so
no block is silently left out. Blocks in other languages (``sh``, ``toml``, ``text``,
...) are not Python and not run.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
PYTHON = frozenset({"python", "py", "python3", "pycon"})
EXCERPT_ROOTS = ("src/", "tests/", "examples/")
_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\s]*)(?P<rest>[^`]*)")
_TITLE = re.compile(r"""\btitle=(?P<quote>["'])(?P<title>[^"']*)(?P=quote)""")


@dataclass(frozen=True)
class Block:
    """One fenced code block: ``line`` is the line number of its first code line."""

    language: str
    line: int
    source: str
    title: str = ""

    @property
    def is_python(self) -> bool:
        return self.language.lower() in PYTHON

    @property
    def is_doctest(self) -> bool:
        return any(line.lstrip().startswith(">>>") for line in self.source.splitlines())

    @property
    def is_excerpt(self) -> bool:
        return self.is_python and not self.is_doctest and self.title.endswith(".py")

    def problem(self, root: Path = ROOT) -> str | None:
        """Why this Python block would not run as written (None when it does)."""
        code = [line.strip() for line in self.source.splitlines() if line.strip()]
        if self.is_doctest and not code[0].startswith(">>>"):
            return "mixes code before its first '>>>', which doctest would skip"
        if self.language.lower() == "pycon" and not self.is_doctest:
            return "is a pycon block without '>>>'; fence a script as ```python"
        if self.is_excerpt:
            path = root / self.title
            if not self.title.startswith(EXCERPT_ROOTS) or not path.is_file():
                return f"is titled {self.title!r}, no Python file under {', '.join(EXCERPT_ROOTS)}"
            if not _contains(path.read_text(encoding="utf-8"), self.source):
                return f"is titled {self.title!r} but its code is not in that file"
        return None


def _squeezed(code: str) -> list[str]:
    """The lines of ``code`` dedented, without trailing blanks and blank lines."""
    return [line.rstrip() for line in textwrap.dedent(code).splitlines() if line.strip()]


def _contains(text: str, excerpt: str) -> bool:
    """Whether ``excerpt`` (dedented) is a run of lines of ``text`` at one indentation,
    blank lines and trailing blanks aside: a method may be shown out of its class."""
    lines, wanted = _squeezed(text), _squeezed(excerpt)
    for start, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip())]
        window = lines[start : start + len(wanted)]
        shifted = [row[len(indent) :] for row in window]
        if all(row.startswith(indent) for row in window) and shifted == wanted:
            return True
    return False


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown text, in order."""
    found: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        fence, indent = opening["fence"], len(opening["indent"])
        start = index
        while index < len(lines) and not lines[index].strip().startswith(fence):
            index += 1
        body = "\n".join(line[indent:] for line in lines[start:index])
        title = _TITLE.search(opening["rest"])
        found.append(
            Block(
                language=opening["info"],
                line=start + 1,
                source=body + "\n",
                title="" if title is None else title["title"],
            )
        )
        index += 1
    return found


def run_scripts(path: Path) -> int:
    """Run the script blocks of the page at ``path`` in order; the number run."""
    namespace: dict[str, object] = {"__name__": f"docs:{path.name}"}
    ran = 0
    for block in blocks(path.read_text(encoding="utf-8")):
        if block.is_python and not block.is_doctest and not block.is_excerpt:
            padded = "\n" * (block.line - 1) + block.source
            exec(compile(padded, str(path), "exec"), namespace)
            ran += 1
    return ran


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_python_blocks_of_page_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every script block of the page runs without an error (doctests run as doctests)."""
    monkeypatch.chdir(ROOT)
    run_scripts(page)


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_python_block_is_a_doctest_or_a_script(page: Path) -> None:
    """No Python block of the page is left out of the run: each is one kind or the other."""
    problems = [
        f"{_name(page)}:{block.line}: the block {problem}"
        for block in blocks(page.read_text(encoding="utf-8"))
        if block.is_python and (problem := block.problem()) is not None
    ]
    assert problems == []


def test_a_failing_script_block_fails_its_page(tmp_path: Path) -> None:
    """The runner is honest: a block that raises makes the page's run raise, naming it."""
    page = tmp_path / "page.md"
    page.write_text(
        "# A page\n\n```python\nvalue = 1\n```\n\ntext\n\n```python\nassert value == 2\n```\n",
        encoding="utf-8",
    )
    with pytest.raises(AssertionError) as failure:
        run_scripts(page)
    assert failure.traceback[-1].lineno + 1 == 10
    assert failure.traceback[-1].path == page


def test_script_blocks_of_a_page_share_one_namespace(tmp_path: Path) -> None:
    """Later blocks see what earlier ones defined; other languages, doctests and excerpts
    are not run."""
    page = tmp_path / "page.md"
    page.write_text(
        "```python\nx = 2\n```\n```sh\nexit 1\n```\n```pycon\n>>> 1/0\n\n```\n"
        "  ```py\n  assert x == 2\n  ```\n"
        '```python title="examples/billing_app/app.py"\nraise SystemExit\n```\n',
        encoding="utf-8",
    )
    assert run_scripts(page) == 2


def test_an_excerpt_must_be_in_its_file() -> None:
    """A titled block is checked against the file it names: verbatim (but for blank lines,
    trailing blanks and a common indentation), in a file under src/, tests/ or examples/
    that exists."""
    excerpt, changed, missing, outside, plain_title = blocks(
        '```python title="examples/billing_app/app.py"\n'
        "class BillingApp:\n\n"
        '    """The billing app over one SQLite connection.   \n'
        "```\n"
        '```python title="examples/billing_app/app.py"\nclass BillingApp(object):\n```\n'
        '```python title="examples/nothing.py"\nx = 1\n```\n'
        "```python title='tools/docs_hooks.py'\nimport re\n```\n"
        '```python title="Example"\nx = 1\n```\n'
    )
    assert excerpt.is_excerpt
    method = blocks(
        '```python title="examples/billing_app/app.py"\n'
        "def credits(self) -> list[tuple[str, Money]]:\n```\n"
    )[0]
    assert method.problem() is None  # a method, dedented out of its class
    assert excerpt.problem() is None
    assert "not in that file" in (changed.problem() or "")
    assert "no Python file" in (missing.problem() or "")
    assert "no Python file" in (outside.problem() or "")
    assert not plain_title.is_excerpt
    assert plain_title.problem() is None


def test_mixed_and_promptless_blocks_are_refused() -> None:
    """A block with code before its first '>>>', or a pycon block without one, is a problem."""
    mixed, promptless, doctest, script = blocks(
        "```python\nimport os\n>>> os.sep\n'/'\n```\n"
        "```pycon\nprint(1)\n```\n"
        "```pycon\n>>> 1\n1\n```\n"
        "~~~python\nprint(1)\n~~~\n"
    )
    assert "mixes code" in (mixed.problem() or "")
    assert "without '>>>'" in (promptless.problem() or "")
    assert doctest.problem() is None
    assert script.problem() is None
    assert (doctest.line, script.line) == (10, 14)


def test_every_page_is_found() -> None:
    """README.md and every page of docs/ are checked, the site's pages included."""
    assert ROOT / "README.md" in PAGES
    assert {page.name for page in PAGES} >= {"index.md", "tutorial.md", "workflow.md"}
