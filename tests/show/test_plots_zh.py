"""Plots in zh-CN: the words a plot adds itself follow the current language, and Chinese renders with the CJK
font on a figure made by ``plots.axes()`` and on a caller's own plain Figure, without touching pyplot's rcParams."""

from __future__ import annotations

import io
import os
import warnings

import pandas as pd
import pytest

from crmselect.show import plots
from crmselect.show.i18n import using


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
        warnings.filterwarnings("error", message=r"Glyph \d+ .*missing from", category=UserWarning)
        figure.savefig(io.BytesIO(), format="png")  # type: ignore[attr-defined]


LINES = pd.DataFrame({"at 0": [0.5, 0.7], "at 1": [0.9, 0.4]}, index=["甲公司 CRM", "乙云客户管理"])
POINTS = pd.DataFrame({"weight": [0.5714], "total": [0.7286]})


def test_a_plots_own_words_follow_the_current_language() -> None:
    import matplotlib.pyplot as plt

    with using("zh-CN"):
        ax = plots.sweep_lines(LINES, POINTS, current=0.18, goal="提高销售预测准确率")
    assert ax.get_ylabel() == "总分" and "提高销售预测准确率 的权重" in ax.get_xlabel()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "排名变化点" in legend and "当前（18%）" in legend
    plt.close(ax.figure)
    ax = plots.sweep_lines(LINES, POINTS, current=0.18, goal="forecast")
    assert ax.get_ylabel() == "total score" and "current (18%)" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(ax.figure)


@pytest.mark.parametrize("own_figure", [False, True], ids=["plots.axes", "a plain Figure"])
def test_chinese_renders_with_the_cjk_font_and_leaves_rcparams_alone(own_figure: bool) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    font = _require_cjk_font()
    before = dict(plt.rcParams)
    ax = Figure(figsize=(6, 4)).add_subplot() if own_figure else None
    curves = pd.DataFrame({"甲公司 CRM": [100.0, 180.0, 260.0], "乙云客户管理": [50.0, 170.0, 290.0]},
                          index=pd.RangeIndex(3, name="year"))
    crossings = pd.DataFrame({"year": [1.2], "cumulative_cost": [190.0]})
    with using("zh-CN"):
        ax = plots.cumulative_cost(curves, crossovers=crossings, ax=ax)
    assert ax.get_xlabel() == "年" and ax.get_xticklabels()[0].get_text() == "初始投入"
    _draw_strictly(ax.figure)
    assert font in ax.xaxis.label.get_fontfamily()
    assert dict(plt.rcParams) == before, "a plot changed pyplot's global state"
    plt.close(ax.figure)
