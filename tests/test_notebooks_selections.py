"""The committee notebooks 01-04 on any selection: the shipped example, ``tests/data/minimal``, 20 vendors, and
Chinese display names (:mod:`generated`).

Each notebook runs once per selection (module-scoped cache; small Monte Carlo sample counts through the
``samples`` parameter) and three checks read the same executed copy:

- it runs top to bottom;
- every cell that draws (``.plot(``) shows a picture: the blank-charts bug left all but the first empty;
- nothing it shows names a goal, vendor, bid or member by its id where a display name exists.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from generated import chinese_names, many_vendors
from test_notebooks import PAPERS, errors_of, run_paper
from testdata import copy_example, copy_minimal, reveal_prices

from crmselect.files.init import init_selection
from crmselect.files.loaders import load_project

MAKERS: dict[str, Callable[[Path], Path]] = {
    "example": copy_example,
    "minimal": copy_minimal,
    "twenty_vendors": lambda dest: many_vendors(dest, 20),
    "chinese_names": chinese_names,
    "example_zh": lambda dest: init_selection(dest, example="zh").folder,  # the shipped Chinese example
}
SAMPLES = 2_000  # Monte Carlo draws (SMAA, go-live risk): enough to draw every chart, quick on 20 vendors


class Papers:
    """Selections made once, and each (notebook, selection) executed once, for every test of this module."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folders: dict[str, Path] = {}
        self.runs: dict[tuple[str, str], nbformat.NotebookNode] = {}

    def folder(self, name: str) -> Path:
        if name not in self.folders:
            self.folders[name] = reveal_prices(MAKERS[name](self.root / name))  # money charts are drawn too
        return self.folders[name]

    def run(self, paper: Path, name: str) -> nbformat.NotebookNode:
        key = (paper.name, name)
        if key not in self.runs:
            folder = self.folder(name)
            workdir = self.root / f"run_{name}_{paper.stem}"
            workdir.mkdir()
            shutil.copy(paper, workdir / paper.name)
            cells = nbformat.read(paper, as_version=4).cells
            takes_samples = any("samples = " in c.source for c in cells if "parameters" in c.metadata.get("tags", []))
            extra = {"samples": SAMPLES} if takes_samples else {}
            self.runs[key] = run_paper(workdir / paper.name, workdir, selection=str(folder), **extra)
        return self.runs[key]


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> Papers:
    return Papers(tmp_path_factory.mktemp("papers"))


CASES = [pytest.param(paper, name, id=f"{paper.stem[:2]}-{name}") for name in MAKERS for paper in PAPERS[:4]]


def shown(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell number, text) of what a reader sees: streams, HTML and plain results (charts are checked apart)."""
    out = []
    for number, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "stream":
                out.append((number, str(output.get("text", ""))))
            data = output.get("data", {})
            if "text/html" in data:
                markup = re.sub(r"<style[^>]*>.*?</style>", " ", data["text/html"], flags=re.S)
                markup = re.sub(r"<[^>]+>", " ", re.sub(r"\b(?:class|id|data-[\w-]+)='[^']*'", " ", markup))
                out.append((number, markup))
            elif "text/plain" in data and "application/vnd.jupyter.widget-view+json" not in data:
                out.append((number, str(data["text/plain"])))
    return out


def ids_with_names(folder: Path) -> set[str]:
    """Ids of goals, vendors, bids and members whose display name differs from the id.

    A goal or member id that is one plain word ("forecast", "risk") is left out: English text says it too."""
    project = load_project(folder)
    coded = [(g.id, g.name) for g in project.selection.goals] + [(m.id, m.name) for m in project.committee.members]
    pairs = [(i, name) for i, name in coded if re.search(r"[_\-\d]", str(i))]
    pairs += [(v.id, v.name) for v in project.vendors] + [(b.id, b.label) for b in project.bids]
    return {str(i) for i, name in pairs if str(i) != str(name)}


@pytest.mark.notebook
@pytest.mark.parametrize(("paper", "name"), CASES)
def test_the_paper_runs_on_the_selection(papers: Papers, paper: Path, name: str) -> None:
    notebook = papers.run(paper, name)
    assert not errors_of(notebook), [e.get("evalue") for e in errors_of(notebook)]


@pytest.mark.notebook
@pytest.mark.parametrize(("paper", "name"), CASES)
def test_every_cell_that_draws_shows_a_picture(papers: Papers, paper: Path, name: str) -> None:
    notebook = papers.run(paper, name)
    drawing = [n for n, c in enumerate(notebook.cells) if c.cell_type == "code" and ".plot(" in c.source]
    blank = [n for n in drawing
             if not any("image/png" in o.get("data", {}) for o in notebook.cells[n].get("outputs", []))]
    assert blank == [], f"{paper.name} on {name}: cells {blank} draw but show no picture"


@pytest.mark.notebook
@pytest.mark.parametrize(("paper", "name"), CASES)
def test_no_raw_id_where_a_display_name_exists(papers: Papers, paper: Path, name: str) -> None:
    notebook = papers.run(paper, name)
    folder = papers.folder(name)
    ids = ids_with_names(folder)
    found: dict[int, list[str]] = {}
    for number, text in shown(notebook):
        text = text.replace(str(folder), " ")
        words = set(re.findall(r"[\w\-]+", text))
        if hits := sorted(ids & words):
            found[number] = hits
    assert found == {}, f"{paper.name} on {name} shows ids (cell: ids): {found}"


@pytest.mark.notebook
@pytest.mark.parametrize("name", list(MAKERS))
def test_no_table_shows_a_raw_column_key(papers: Papers, name: str) -> None:
    raw = re.compile(r"\b(trimmed_mean|override_reason|cost_per_user_year|npv_rank|go_live_days|risk_npv)\b")
    for paper in PAPERS[:4]:
        for number, text in shown(papers.run(paper, name)):
            assert not raw.search(text), f"{paper.name} on {name}, cell {number}: {raw.search(text)}"
