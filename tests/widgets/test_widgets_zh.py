"""The committee's widgets in zh-CN: Chinese interface text, also after a callback, money and numbers per locale.

A widget's callbacks (a slider moved, a button clicked) run later, outside any ``using()`` block: the
panel keeps its translator and speaks it there too.  English words left in a Chinese panel are found
with :mod:`tests.widgets.english_words` (acronyms, ids and the selection's own data allowed).
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path
from typing import Any

import ipywidgets as w
import pytest
from testdata import copy_example, load_example, reveal_prices

from crmselect.evaluation import evaluate
from crmselect.files.loaders import load_project
from crmselect.show.i18n import current, translator, using
from crmselect.widgets import ScenarioManager, SensitivityPanel, TcoExplorer, WeightsPanel
from crmselect.widgets.launch import dashboard_language, tab_titles
from tests.widgets.english_words import english_words, project_data, visible_text

ZH = translator("zh-CN")


def texts(widget: w.Widget) -> list[str]:
    """Every text a reader sees in ``widget`` and its children: HTML, descriptions, placeholders, options."""
    out = []
    if isinstance(widget, w.HTML | w.Label):
        out.append(visible_text(widget.value))
    for name in ("description", "placeholder", "tooltip"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            out.append(value)
    if isinstance(widget, w.Dropdown):
        out += [str(option[0]) if isinstance(option, tuple) else str(option) for option in widget.options]
    if isinstance(widget, w.Button | w.Checkbox):
        out.append(widget.description)
    for child in getattr(widget, "children", ()):
        out += texts(child)
    return out


def leftovers(widget: w.Widget, data: list[str]) -> dict[str, list[str]]:
    found = {}
    for text in texts(widget):
        words = english_words(text, data)
        if words:
            found[text[:160]] = words
    return found


@pytest.fixture(scope="module")
def project() -> Any:
    return load_example()


@pytest.fixture(scope="module")
def evaluation(project: Any) -> Any:
    return evaluate(project)


def test_weights_panel_speaks_chinese_and_keeps_it_after_a_slider_move(project: Any, evaluation: Any) -> None:
    card = evaluation.scorecard
    panel = WeightsPanel(card, method=evaluation.weighting, translator=ZH)
    assert current().language == "en", "making a panel leaves the current language as it was"
    data = project_data(project, card)
    assert leftovers(panel.widget, data) == {}
    assert "直接打分" in texts(panel.widget)[0]  # the method, said in Chinese
    assert panel.locks[0].description == "锁定"
    panel.sliders[0].value = 50.0  # the callback runs here, in an English context
    assert current().language == "en"
    assert leftovers(panel.widget, data) == {}
    assert "淘汰：COM-011" in panel.ranking.value and "排名" in panel.table.value  # type: ignore[union-attr]
    assert "Total" not in visible_text(panel.table.value)  # type: ignore[union-attr]
    assert f"data-total='{panel.card.totals[0]:.6f}'" in panel.ranking.value  # the hooks keep plain numbers


def test_a_panel_made_inside_using_keeps_that_language(evaluation: Any) -> None:
    with using("zh-CN"):
        panel = WeightsPanel(evaluation.scorecard)
    assert panel.translator.language == "zh-CN"
    panel.set_weights(dict.fromkeys(evaluation.scorecard.goal_ids, 1.0))
    assert "各目标对总分的贡献" in panel.bars.value


def test_english_panels_are_unchanged(evaluation: Any) -> None:
    panel = WeightsPanel(evaluation.scorecard)
    assert panel.table is not None and panel.table.value == evaluation.scorecard._repr_html_()
    assert panel.locks[0].description == "lock"


def test_scenarios_in_chinese_with_chinese_names(project: Any, evaluation: Any, tmp_path: Path) -> None:
    selection = load_project(copy_example(tmp_path / "selection"))
    panel = WeightsPanel(evaluation.scorecard, translator=ZH)
    manager = ScenarioManager(panel, selection, member=selection.committee.member_ids[0], translator=ZH)
    data = [*project_data(project, evaluation.scorecard), str(manager.log.path)]
    assert leftovers(manager.widget, data) == {}
    assert not manager.save("销售视角")  # no reason: refused, in Chinese
    assert "理由" in manager.status.value
    assert manager.save("销售视角", why="销售管理层的优先级")
    assert manager.save("IT 视角", why="IT 部门的优先级")
    frame = manager.comparison_frame()
    assert "第一名" in frame.index and list(frame.columns) == ["销售视角", "IT 视角"]
    assert leftovers(manager.widget, [*data, "IT"]) == {}
    assert "已保存" in manager.status.value


def test_sensitivity_panel_in_chinese_after_a_goal_change_and_smaa(project: Any, evaluation: Any) -> None:
    card = evaluation.scorecard
    panel = SensitivityPanel(card, samples=2_000, seed=3, translator=ZH)
    data = project_data(project, card)
    panel.goal.value = card.goal_ids[1]  # callback, English context
    assert "保持第一" in panel.interval.value
    panel.run_smaa()
    assert "每个名次的机会" in panel.smaa_table.value
    assert leftovers(panel.widget, data) == {}
    for chart in (panel.sweep_chart, panel.smaa_chart):
        assert chart.html.value.startswith("<svg class='crmselect-chart")


def test_tco_explorer_sealed_and_revealed_in_chinese(project: Any, tmp_path: Path) -> None:
    sealed = TcoExplorer(project, translator=ZH)
    assert "揭晓价格之前保持密封" in sealed.widget.children[0].value
    revealed = load_project(reveal_prices(copy_example(tmp_path / "selection")))
    explorer = TcoExplorer(revealed, translator=ZH)
    explorer.users.value = 400  # callback
    data = project_data(revealed)
    assert leftovers(explorer.widget, data) == {}
    assert "净现值" in explorer.table.value and "US$" in explorer.table.value  # USD the zh-CN way
    assert "更便宜" in explorer.crossings.value or "没有交叉" in explorer.crossings.value


def test_the_dashboard_language_is_the_address_then_the_environment_then_the_selection(project: Any) -> None:
    from crmselect.errors import InputError

    assert dashboard_language({}, project).language == project.settings.locale == "en"
    chosen = dashboard_language({"CRMSELECT_LANG": "zh_CN"}, project)
    assert (chosen.language, chosen.source) == ("zh-CN", "environment")
    chosen = dashboard_language({"CRMSELECT_LANG": "zh-CN", "QUERY_STRING": "selection=a&lang=en"}, project)
    assert (chosen.language, chosen.source) == ("en", "address")
    with pytest.raises(InputError, match="fr"):
        dashboard_language({"QUERY_STRING": "lang=fr"}, project)
    with using(ZH):
        assert tab_titles() == ["概览", "权重", "权重方案", "成本与资金", "分期计划", "敏感性分析"]


# ---------------------------------------------------------------- a zh-CN chart with the CJK font
def _require_cjk_font() -> str:
    from crmselect.show import plots

    font = plots.cjk_fallback()
    if font is None:
        message = "no CJK font installed (apt-get install fonts-noto-cjk)"
        if os.environ.get("CRMSELECT_REQUIRE_SYSTEM_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return font


def test_a_chinese_chart_renders_with_the_cjk_font_and_no_missing_glyph(evaluation: Any, tmp_path: Path) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from crmselect.widgets import views

    font = _require_cjk_font()
    before = dict(plt.rcParams)
    ax = __import__("crmselect.show.plots", fromlist=["axes"]).axes(figsize=(7.0, 4.0))
    with using(ZH):
        views.stacked_plot(evaluation.scorecard, ax)
    assert ax.get_title() == "各目标对总分的贡献" and ax.get_ylabel() == "加权得分"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from", category=UserWarning)
        ax.figure.savefig(tmp_path / "stacked_zh.png", dpi=80, bbox_inches="tight")
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format="png")
    assert all(font in text.get_fontfamily() for text in ax.figure.findobj(Text) if text.get_text())
    plt.close(ax.figure)
    assert dict(plt.rcParams) == before, "drawing changed pyplot's global state"
    print(f"zh-CN chart: {tmp_path / 'stacked_zh.png'} (font {font})")
