"""The example notebook (examples/notebook.ipynb) runs from top to bottom without an error
and shows what it promises: HTML tables and frames with exact amounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "notebook.ipynb"


def test_the_example_notebook_runs(tmp_path: Path) -> None:
    """Every cell executes in a fresh kernel (nbclient fails on the first error); the
    schedule, the comparison and the ageing report display as HTML tables, and the three
    figures as pictures."""
    reader: Any = nbformat.read  # nbformat has no type hints
    notebook = reader(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()
    html = [
        output["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "text/html" in output.get("data", {})
    ]
    tables = [markup for markup in html if 'class="dunlib ' in markup]
    assert len(tables) == 3  # the schedule, the comparison, the ageing report
    assert "Gamma &amp; Co" in tables[-1]
    pictures = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    assert len(pictures) == 3  # a timeline, the ageing chart, two invoices' timelines
