"""The docs site's hooks (tools/docs_hooks.py): the reference lists every public module and
turns the docstrings' Sphinx roles into code spans. `make docs` builds the site itself."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import yaml
from docs_hooks import AREAS, KEPT, link_roles, page, public_modules

import dunlib

ROOT = Path(__file__).resolve().parent.parent


def test_the_reference_has_a_page_for_every_public_module() -> None:
    """Every module of the package and its areas without an underscore in its name, and only
    those (an area's ``__init__`` only re-exports: it has no page of its own)."""
    areas = set(AREAS)
    names = [
        m.name.removeprefix("dunlib.") for m in pkgutil.walk_packages(dunlib.__path__, "dunlib.")
    ]
    expected = sorted(
        name
        for name in names
        if not any(part.startswith("_") for part in name.split("."))
        and name not in areas | set(KEPT)
    )
    assert public_modules() == expected
    assert "portfolio.run" in expected
    assert page("portfolio.run") == "# `dunlib.portfolio.run`\n\n::: dunlib.portfolio.run\n"


def test_roles_become_code_linked_where_the_target_is_known() -> None:
    """A role names its target in code (the last name after '~'); it links to an entry on
    the page, or to a public module's page; anything else stays plain code."""
    html = (
        '<h2 id="dunlib.portfolio.run.Decision">Decision</h2>'
        ":class:<code>Decision</code> "
        ":func:<code>~dunlib.dunning.engine.next_dunning_action</code> "
        ":mod:<code>dunlib.io.serialize</code> :func:<code>dunlib.record_stage</code> "
        ":class:<code>~dunlib.portfolio.run.DunningLetter</code>"
    )
    out = link_roles(html, "portfolio.run", public_modules())
    assert '<a href="#dunlib.portfolio.run.Decision"><code>Decision</code></a>' in out
    assert (
        '<a href="../dunning.engine/#dunlib.dunning.engine.next_dunning_action">'
        "<code>next_dunning_action</code></a>" in out
    )
    assert '<a href="../io.serialize/"><code>dunlib.io.serialize</code></a>' in out
    assert " <code>dunlib.record_stage</code> " in out
    assert '<a href="#dunlib.portfolio.run.DunningLetter"><code>DunningLetter</code></a>' in out
    assert ":class:" not in out
    assert '<a href="io.serialize/">' in link_roles(html, "", public_modules(), up="")


def test_every_page_of_docs_is_in_the_nav() -> None:
    """mkdocs.yml lists every page of docs/ (strict mode would fail on one left out)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(items: object) -> set[str]:
        if isinstance(items, str):
            return {items}
        if isinstance(items, list):
            return set().union(*(pages(item) for item in items))
        if isinstance(items, dict):
            return set().union(*(pages(value) for value in items.values()))
        return set()

    listed = pages(config["nav"])
    on_disk = {str(path.relative_to(ROOT / "docs")) for path in (ROOT / "docs").rglob("*.md")}
    assert on_disk == listed


def test_the_machines_page_shows_what_it_inherits_from_its_mixins() -> None:
    """ReceivablesMachine is assembled from private mixins by topic: its reference page shows
    the members it inherits (the ``*_by`` steps and the attributes a subclass gives)."""
    assert "inherited_members: true" in page("testing.machine")
    assert "options" not in page("testing")
