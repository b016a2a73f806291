"""MkDocs hooks of the docs site: the API reference, one page per public module.

Every module of ``src/dunlib`` whose name does not start with an underscore gets a
generated page ``reference/<module>.md`` holding the mkdocstrings directive
``::: dunlib.<module>``, and a place under the nav's ``Reference`` section, after the
section's own pages. A new public module therefore appears in the reference without
any edit here or in ``mkdocs.yml``.

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


def public_modules(package: Path = PACKAGE) -> list[str]:
    """The public modules of the package, by name, sorted (underscore modules are plumbing)."""
    names = [path.stem for path in package.glob("*.py")]
    names += [path.parent.name for path in package.glob("*/__init__.py")]
    return sorted(name for name in names if not name.startswith("_"))


def page(module: str) -> str:
    """The Markdown of the reference page of ``dunlib.<module>``."""
    return f"# `dunlib.{module}`\n\n::: dunlib.{module}\n"


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
        parts = target.split(".")
        if len(parts) >= 2 and parts[0] == "dunlib" and parts[1] in modules:
            anchor = "" if len(parts) == 2 else f"#{target}"
            if parts[1] == module:
                return f'<a href="{anchor or "#"}">{shown}</a>'
            return f'<a href="{up}{parts[1]}/{anchor}">{shown}</a>'
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
