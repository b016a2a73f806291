"""MkDocs hooks of the docs site: the API reference, one page per public module.

Every module of ``src/dunlib`` and its area packages whose dotted name has no part
starting with an underscore gets a generated page ``reference/<area>.<module>.md``
holding the mkdocstrings directive ``::: dunlib.<area>.<module>`` (a package's own
``__init__``, which only re-exports its modules' names, gets none), and a place under the
nav's ``Reference`` section, after the section's own pages. A new public module therefore appears
in the reference without any edit here or in ``mkdocs.yml``.

The docstrings cross-reference in Sphinx roles (``:class:`~dunlib.dunning.actions.IssueStage```),
which Markdown leaves as text: on the reference pages each role becomes a code span (the
last name only after ``~``), linked to the object's entry when it is documented on this
page or names a public module's member in full.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "dunlib"
SECTION = "Reference"


AREAS = ("analytics", "billing", "core", "dunning", "io", "payments", "portfolio", "workflow")
"""The area packages: their ``__init__`` only re-exports their modules' names."""
KEPT = ("drafts", "matching", "numbering", "policy", "serialize")
"""Old module paths kept because earlier docs named them (each re-exports a module that has
its own page): no page."""


def public_modules(package: Path = PACKAGE) -> list[str]:
    """The public modules of the package by dotted name below ``dunlib``, sorted
    (underscore modules are plumbing; the areas' ``__init__`` files are left out)."""
    names = []
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and ".".join(parts) not in AREAS + KEPT:
            names.append(".".join(parts))
    return sorted(name for name in names if not any(p.startswith("_") for p in name.split(".")))


ASSEMBLED = ("testing.machine",)
"""Modules whose public class is assembled from private mixins: their pages show the members
the class inherits from them."""


def page(module: str) -> str:
    """The Markdown of the reference page of ``dunlib.<module>``."""
    options = "    options:\n      inherited_members: true\n" if module in ASSEMBLED else ""
    return f"# `dunlib.{module}`\n\n::: dunlib.{module}\n{options}"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Append one nav entry per public module to the ``Reference`` section."""
    for item in config.nav or []:
        if isinstance(item, dict) and SECTION in item:
            own: Any = item[SECTION]
            entries = own if isinstance(own, list) else [own]
            modules = [{f"dunlib.{name}": f"reference/{name}.md"} for name in public_modules()]
            item[SECTION] = [*entries, *modules]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated page of every public module."""
    for name in public_modules():
        files.append(File.generated(config, f"reference/{name}.md", content=page(name)))
    return files


_ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|exc|obj):<code>(~?)([\w.]+)</code>")
_ANCHOR = re.compile(r'id="(dunlib\.[\w.]+)"')


def link_roles(html: str, module: str, modules: list[str], *, up: str = "../") -> str:
    """``html`` of the reference page of ``dunlib.<module>`` with its Sphinx roles as code
    spans, linked where the target can be found (see the module docs); ``up`` leads from
    the page to the reference's root (empty on the root page, whose ``module`` is "")."""
    anchors = set(_ANCHOR.findall(html))

    def replace(match: re.Match[str]) -> str:
        short, target = match.group(1), match.group(2)
        shown = f"<code>{target.rsplit('.', 1)[-1] if short else target}</code>"
        here = f"dunlib.{module}.{target}"
        if here in anchors:
            return f'<a href="#{here}">{shown}</a>'
        owner = next(
            (
                name
                for name in sorted(modules, key=len, reverse=True)
                if target == f"dunlib.{name}" or target.startswith(f"dunlib.{name}.")
            ),
            None,
        )
        if owner is not None:
            anchor = "" if target == f"dunlib.{owner}" else f"#{target}"
            if owner == module:
                return f'<a href="{anchor or "#"}">{shown}</a>'
            return f'<a href="{up}{owner}/{anchor}">{shown}</a>'
        return shown

    return _ROLE.sub(replace, html)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Turn the Sphinx roles of a module's reference page into (linked) code spans."""
    uri = page.file.src_uri
    modules = public_modules()
    name = uri.removeprefix("reference/").removesuffix(".md")
    if uri == "reference/index.md":
        return link_roles(html, "", modules, up="")
    if uri.startswith("reference/") and name in modules:
        return link_roles(html, name, modules)
    return html
