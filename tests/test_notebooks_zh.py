"""The committee notebooks 01-04 in zh-CN: a selection whose ``locale`` is zh-CN gets Chinese tables, notes and text.

The shipped example is copied with ``locale: zh-CN`` in its selection.yaml (prices revealed, so the money
paper shows its figures) and each paper runs top to bottom the papermill way (:func:`test_notebooks.run_paper`)
without a ``lang`` parameter: the paper takes the selection's locale and says so.  What it shows (HTML as a
reader sees it, printed text, plain results) is searched for English interface words once the selection's
own data, ids, numbers and the acronyms committees use in Chinese too are taken out
(:mod:`tests.widgets.english_words`).  Charts are pictures and are not read here.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest
from test_notebooks import PAPERS, errors_of, run_paper
from testdata import copy_example, replace_in, reveal_prices

from crmselect.evaluation import evaluate
from crmselect.files.loaders import load_project
from tests.widgets.english_words import english_words, project_data, visible_text

#: Acronyms and symbols of the papers' figures, beyond those of the dashboard's check.
MORE_ALLOWED = ("P10", "P50", "P90", "CR", "CI", "lambda_max", "Kendall's W", "L1", "Monte Carlo", "p(1-p)/n",
                # names of standards and products in the check texts, as Chinese procurement writes them too
                "ISO", "SOC", "Type II", "API", "AI", "RPO", "RTO", "CPI", "CTR", "Salesforce", "Dynamics", "HubSpot",
                "Zoho", "Premium", "sev1", "ROC", "PTR")


@pytest.fixture(scope="module")
def zh_selection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = copy_example(tmp_path_factory.mktemp("zh") / "selection")
    replace_in(folder / "selection.yaml", "locale: en", "locale: zh-CN")
    return reveal_prices(folder)


def allowed_data(folder: Path) -> list[str]:
    project = load_project(folder)
    data = project_data(project, evaluate(project).scorecard)
    data += [c.id for c in project.criteria] + [vendor.id for vendor in project.vendors]
    data += [str(view.name) for view in project.selection.stakeholder_views]
    data += [str(view.holder) for view in project.selection.stakeholder_views if view.holder]
    kpis = [kpi for goal in project.selection.goals for kpi in goal.kpis]
    data += [str(kpi.name) for kpi in kpis] + [str(kpi.unit) for kpi in kpis if kpi.unit]
    data += [str(rule.reason) for rule in project.selection.must_haves if rule.reason]
    data += [str(o.reason) for o in project.committee.overrides if o.reason]
    # pandas shows a long cell's first characters (up to its max_colwidth, less the "...")
    data += [item[:width].rstrip() for item in data if len(item) > 50 for width in range(40, 50)]
    return [*data, *MORE_ALLOWED, str(folder)]


def shown_text(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell number, text) of everything a reader sees: streams, HTML as text, plain results without HTML."""
    out: list[tuple[int, str]] = []
    for number, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "stream":
                out.append((number, output.get("text", "")))
                continue
            data = output.get("data", {})
            if "application/vnd.jupyter.widget-view+json" in data or "image/png" in data:
                continue  # a live widget (checked in tests/widgets) or a chart (a picture)
            if "text/html" in data:  # pandas writes <style scoped>, which visible_text leaves in
                markup = re.sub(r"<style[^>]*>.*?</style>", " ", data["text/html"], flags=re.S)
                out.append((number, visible_text(markup)))
            elif "text/plain" in data:
                out.append((number, data["text/plain"]))
    return out


@pytest.mark.notebook
@pytest.mark.parametrize("path", PAPERS[:4], ids=[p.stem for p in PAPERS[:4]])
def test_a_zh_cn_selection_gets_a_chinese_paper(path: Path, zh_selection: Path, tmp_path: Path) -> None:
    workdir = tmp_path / "notebooks"
    workdir.mkdir()
    shutil.copy(path, workdir / path.name)
    notebook = run_paper(workdir / path.name, workdir, selection=str(zh_selection), member="zhao_lei")
    assert not errors_of(notebook)
    nbformat.write(notebook, tmp_path / f"executed_{path.name}")
    shown = shown_text(notebook)
    assert any("界面语言：简体中文（来自 selection.yaml 的语言设置）" in text for _, text in shown), \
        "the paper says which language it speaks and why"
    data = allowed_data(zh_selection)
    found = {number: sorted(set(words)) for number, text in shown if (words := english_words(text, data))}
    assert found == {}, f"English interface words in {path.name} (cell: words): {found}"


@pytest.mark.notebook
def test_the_lang_parameter_overrides_the_selections_locale(tmp_path: Path) -> None:
    selection = copy_example(tmp_path / "selection")  # locale: en
    workdir = tmp_path / "notebooks"
    workdir.mkdir()
    shutil.copy(PAPERS[3], workdir / PAPERS[3].name)
    notebook = run_paper(workdir / PAPERS[3].name, workdir, selection=str(selection), lang="zh-CN")
    assert not errors_of(notebook)
    shown = "\n".join(text for _, text in shown_text(notebook))
    assert "界面语言：简体中文（来自笔记本参数单元格中的 lang）" in shown
    assert "各干系人视角下的排名" in shown, "the results' own displays speak the parameter's language"


def test_every_paper_takes_a_lang_parameter() -> None:
    for path in PAPERS[:4]:
        cells = nbformat.read(path, as_version=4).cells
        tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
        assert "lang = None" in tagged[0].source, path.name
        assert "paper_language(project, lang)" in "".join(c.source for c in cells), path.name


def test_every_sentence_a_paper_translates_is_in_the_catalogue() -> None:
    """A paper says its own words with ``_("...")``; Babel reads only crmselect/**.py, so each is marked in
    :data:`crmselect.evaluation.PAPER_MESSAGES` and translated in the zh-CN catalogue."""
    from crmselect.evaluation import PAPER_MESSAGES
    from crmselect.show.i18n import translator

    chinese = translator("zh-CN")
    for path in PAPERS[:4]:
        source = "".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
        for message in re.findall(r'\b_\("((?:[^"\\]|\\.)*)"\)', source):
            message = message.replace("\\'", "'")
            assert message in PAPER_MESSAGES, (path.name, message)
            assert chinese.gettext(message) != message or message in ("KPI",), (path.name, message)
