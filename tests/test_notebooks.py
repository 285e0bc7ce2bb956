"""Every committee notebook runs top to bottom on a selection named in its parameters cell.

Parameters are injected the papermill way (an ``injected-parameters`` cell after the cell tagged
``parameters``) and the notebook is executed with nbclient in a temporary folder, so nothing it
writes lands in the repository, and a test checks that nothing is written beside the notebook.
Outputs stay stripped in git: a test checks that too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from testdata import copy_example

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PAPERS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 600  # seconds per cell: generous, SMAA and Monte Carlo cells run for seconds here


def run_paper(path: Path, workdir: Path, **parameters: object) -> nbformat.NotebookNode:
    """Execute a copy of ``path`` in ``workdir`` with papermill's parameter injection; return it executed."""
    import papermill

    prepared = workdir / f"prepared_{path.name}"
    papermill.execute_notebook(str(path), str(prepared), parameters=parameters, prepare_only=True,
                               kernel_name="python3", progress_bar=False)
    notebook = nbformat.read(prepared, as_version=4)
    prepared.unlink()
    client = NotebookClient(
        notebook, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    client.execute()
    return notebook


def errors_of(notebook: nbformat.NotebookNode) -> list[dict[str, object]]:
    return [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]


@pytest.mark.notebook
@pytest.mark.parametrize("path", PAPERS[:4], ids=[p.stem for p in PAPERS[:4]])
def test_paper_runs_top_to_bottom_on_the_selection_it_is_given(path: Path, tmp_path: Path) -> None:
    selection = copy_example(tmp_path / "selection")
    workdir = tmp_path / "notebooks"
    workdir.mkdir()
    shutil.copy(path, workdir / path.name)
    notebook = run_paper(workdir / path.name, workdir, selection=str(selection), member="zhao_lei")
    assert not errors_of(notebook)
    nbformat.write(notebook, tmp_path / f"executed_{path.name}")
    assert sorted(p.name for p in workdir.iterdir()) == [path.name], "nothing is written beside the notebook"
    assert not (selection / "decision_log.jsonl").exists(), "running a paper records nothing by itself"


@pytest.mark.notebook
def test_a_paper_without_a_selection_says_how_to_name_one(tmp_path: Path) -> None:
    from nbclient.exceptions import CellExecutionError

    shutil.copy(PAPERS[0], tmp_path / PAPERS[0].name)
    with pytest.raises(CellExecutionError) as caught:
        run_paper(tmp_path / PAPERS[0].name, tmp_path)
    assert "no selection folder was given" in str(caught.value)
    assert "crmselect init DIR" in str(caught.value)


def test_every_paper_takes_its_selection_from_a_parameters_cell() -> None:
    for path in PAPERS[:4]:
        cells = nbformat.read(path, as_version=4).cells
        tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1 and "selection = None" in tagged[0].source, path.name
        assert "load_project()" not in "".join(c.source for c in cells), path.name


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


@pytest.mark.notebook
def test_the_money_paper_opens_prices_before_the_reveal_only_with_a_logged_reason(tmp_path: Path) -> None:
    from crmselect import load_project
    from crmselect.record.log import DecisionLog

    selection = copy_example(tmp_path / "selection")
    paper = NOTEBOOKS / "03_money_and_contract.ipynb"
    sealed = run_paper(paper, tmp_path, selection=str(selection), member="sun_li")
    text = "".join(str(o.get("text", "")) for c in sealed.cells for o in c.get("outputs", []))
    assert "TCO: sealed until prices are revealed" in text and "Lowest NPV" not in text
    opened = run_paper(paper, tmp_path, selection=str(selection), member="sun_li", unseal_why="CFO budget check")
    assert not errors_of(opened)
    text = "".join(str(o.get("text", "")) for c in opened.cells for o in c.get("outputs", []))
    assert "UNSEALED VIEW: prices opened before the reveal by sun_li" in text and "Lowest NPV" in text
    entries = DecisionLog.for_project(load_project(selection)).entries()
    assert [(e.kind, e.who, e.why) for e in entries][-1] == ("unseal_view", "sun_li", "CFO budget check")
