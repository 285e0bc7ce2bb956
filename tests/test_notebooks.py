"""Every committee notebook runs top to bottom on the shipped example (executed with nbclient).

Each notebook is copied to a temporary folder and executed there, so the files it writes
(decision log, Excel workbooks) never land in the repository.  Outputs stay stripped in git:
a test checks that too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PAPERS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 600  # seconds per cell: generous, SMAA and Monte Carlo cells run for seconds here


@pytest.mark.notebook
@pytest.mark.parametrize("path", PAPERS, ids=[p.stem for p in PAPERS])
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    notebook = nbformat.read(copy, as_version=4)
    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors
    nbformat.write(notebook, tmp_path / f"executed_{path.name}")


def test_there_are_five_notebooks() -> None:
    assert [p.name[:2] for p in PAPERS] == ["01", "02", "03", "04", "05"]


@pytest.mark.parametrize("path", PAPERS, ids=[p.stem for p in PAPERS])
def test_outputs_are_stripped_in_git(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a code cell has saved outputs"
            assert cell.execution_count is None
