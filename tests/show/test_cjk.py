"""Chinese goal and vendor names render in plots without missing-glyph boxes.

matplotlib warns ``Glyph 20379 (...) missing from font(s) DejaVu Sans.`` for every character it
cannot draw; here that warning is a failure.  Needs a CJK font (``fonts-noto-cjk`` on Debian).
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

import pytest
from testdata import load_example

from crmselect.show import plots

GOALS = ["提高销售预测准确率", "客户服务满意度", "降低总拥有成本"]
VENDORS = ["甲公司 CRM", "乙云客户管理", "Gamma 客户管理"]


def _require_cjk_font() -> str:
    font = plots.cjk_fallback()
    if font is None:
        message = "no CJK font installed (apt-get install fonts-noto-cjk)"
        if os.environ.get("CRMSELECT_REQUIRE_SYSTEM_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return font


def _draw_strictly(figure: object) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from", category=UserWarning)
        figure.savefig(io.BytesIO(), format="png")  # type: ignore[attr-defined]


def test_font_chain_has_latin_first_then_cjk() -> None:
    font = _require_cjk_font()
    assert plots.font_families() == ["DejaVu Sans", font]


def test_chinese_labels_added_after_axes_draw_without_missing_glyphs() -> None:
    _require_cjk_font()
    ax = plots.axes()
    bottom = [0.0] * len(VENDORS)
    for i, goal in enumerate(GOALS):
        heights = [0.1 * (i + 1 + j) for j in range(len(VENDORS))]
        ax.bar(VENDORS, heights, bottom=bottom, label=goal)
        bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.set_title("供应商评分：按目标加权")
    ax.set_ylabel("加权得分")
    ax.legend(title="业务目标")
    ax.text(0, 0.05, "淘汰", fontsize=8)
    _draw_strictly(ax.figure)
    import matplotlib.pyplot as plt

    plt.close(ax.figure)


def test_missing_glyph_is_caught_without_the_fallback() -> None:
    """The guard itself works: a plain DejaVu figure with Chinese text fails."""
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.add_subplot()
    ax.set_title("供应商", fontfamily="DejaVu Sans")
    with pytest.raises(UserWarning, match="Glyph"):
        _draw_strictly(figure)
    plt.close(figure)


# ---------------------------------------------------------------- the example with Chinese names
CHINESE_GOALS = ("提高销售预测准确率", "缩短客户服务响应时间", "销售离职不丢客户历史", "干净可信的客户数据",
                 "为外勤销售配备移动CRM", "报价与订单连通ERP", "控制总成本与合同风险")
CHINESE_VENDORS = ("明羽客户管理", "云岚 CRM", "铁韦尔企业版", "港湾线 CRM", "玉港 CRM")


def chinese_project():  # type: ignore[no-untyped-def]
    """The shipped example with Chinese goal and vendor names (everything else unchanged)."""
    import dataclasses


    project = load_example()
    selection = project.selection
    assert len(selection.goals) == len(CHINESE_GOALS) and len(project.vendors) == len(CHINESE_VENDORS)
    goals = [goal.replace(name=name) for goal, name in zip(selection.goals, CHINESE_GOALS, strict=True)]
    vendors = tuple(vendor.replace(name=name) for vendor, name in zip(project.vendors, CHINESE_VENDORS, strict=True))
    return dataclasses.replace(project.with_selection(selection.replace(goals=goals)), vendors=vendors)


@pytest.mark.parametrize("kind", ["stacked", "heatmap"])
def test_scorecard_plot_with_chinese_goals_and_vendors(kind: str) -> None:
    _require_cjk_font()
    import matplotlib.pyplot as plt

    from crmselect.scoring.engine import score

    card = score(chinese_project(), reveal_prices=False)
    assert set(card.goal_names) == set(CHINESE_GOALS)
    ax = card.plot(kind)
    _draw_strictly(ax.figure)
    plt.close(ax.figure)


def test_excel_scorecard_keeps_chinese_names(tmp_path: Path) -> None:
    excel = pytest.importorskip("crmselect.excel.scorecard")
    from openpyxl import load_workbook

    path = tmp_path / "评分卡.xlsx"
    excel.export_scorecard(chinese_project(), path, smaa_samples=2_000)
    workbook = load_workbook(path)
    texts = {
        str(cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    workbook.close()
    text = "\n".join(texts)
    for name in (*CHINESE_GOALS, *CHINESE_VENDORS):
        assert name in text, f"{name} is missing from the workbook"
