"""The public API: every exported name exists, is documented and is listed once."""

from __future__ import annotations

import importlib
import inspect

import pytest

import dunlib

PUBLIC_MODULES = [
    "dunlib",
    "dunlib.actions",
    "dunlib.dates",
    "dunlib.documents",
    "dunlib.drafts",
    "dunlib.engine",
    "dunlib.errors",
    "dunlib.external",
    "dunlib.history",
    "dunlib.invoice",
    "dunlib.matching",
    "dunlib.money",
    "dunlib.numbering",
    "dunlib.payments",
    "dunlib.schedule",
    "dunlib.serialize",
    "dunlib.stages",
    "dunlib.status",
    "dunlib.strategies",
    "dunlib.suspension",
    "dunlib.templates",
    "dunlib.transitions",
    "dunlib.workflow",
]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_module_lists_documented_names(name: str) -> None:
    """Each public module has a docstring and an ``__all__`` of unique, documented names."""
    module = importlib.import_module(name)
    assert module.__doc__
    exported = module.__all__
    assert len(exported) == len(set(exported))
    for attribute in exported:
        obj = getattr(module, attribute)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), f"{name}.{attribute} has no docstring"


def test_package_re_exports_resolve() -> None:
    """Every name in ``dunlib.__all__`` is importable from the package."""
    for attribute in dunlib.__all__:
        assert hasattr(dunlib, attribute), attribute
