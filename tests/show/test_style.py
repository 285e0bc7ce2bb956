"""One visual language: vendor colours, money and weight axes, legends outside, green is good, pyplot left alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex, to_rgb

from crmselect.show import plots, style
from crmselect.show.analyses import ANALYSES, methods_agreement, note
from crmselect.show.i18n import using

matplotlib.use("Agg")
import matplotlib.pyplot as plt

VENDORS = ["acme", "borealis", "cobalt", "acme"]  # acme has two offers
LABELS = ["Acme (cloud)", "Borealis", "Cobalt", "Acme (on site)"]
IDS = ["acme-saas", "borealis-saas", "cobalt-saas", "acme-onprem"]
PALETTE = style.vendor_palette(VENDORS, LABELS, IDS)


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    yield
    plt.close("all")


# ---------------------------------------------------------------- the palette
def test_a_vendor_keeps_its_colour_whatever_the_order_and_its_offers_differ_by_marker() -> None:
    assert PALETTE.colour("Acme (cloud)") == PALETTE.colour("Acme (on site)") == PALETTE.colour("acme-saas")
    assert PALETTE.colour("Borealis") == style.VENDOR_COLOURS[1] and PALETTE.colour("Cobalt") == style.VENDOR_COLOURS[2]
    assert len({PALETTE.colour(label) for label in LABELS[:3]}) == 3
    first, second = PALETTE.style("Acme (cloud)"), PALETTE.style("Acme (on site)")
    assert (first.marker, first.linestyle, first.hatch) != (second.marker, second.linestyle, second.hatch)
    # a chart of a subset in another order colours each vendor the same
    assert style.palette_for(["Cobalt", "Borealis"], PALETTE).colour("Cobalt") == style.VENDOR_COLOURS[2]
    assert PALETTE.vendor_colour("cobalt") == style.VENDOR_COLOURS[2]


def test_twenty_vendors_get_twenty_colours_and_unknown_names_come_after_the_known() -> None:
    many = style.vendor_palette([f"v{i}" for i in range(20)], [f"V {i}" for i in range(20)])
    assert len({many.colour(f"V {i}") for i in range(20)}) == 20
    extended = style.palette_for(["Borealis", "Newcomer"], PALETTE)
    assert extended.colour("Newcomer") == style.VENDOR_COLOURS[3]
    assert extended.colour("Borealis") == PALETTE.colour("Borealis")


def test_the_look_is_restored_after_the_block() -> None:
    assert style.current_look().palette is None
    with style.look(palette=PALETTE, currency="CNY") as look:
        assert style.current_look() is look and look.currency == "CNY"
    assert style.current_look().palette is None and style.current_look().currency is None


# ---------------------------------------------------------------- every plot function, drawn on sample data
def _sweep(ax: Any = None) -> Any:
    lines = pd.DataFrame({"at 0": [0.2, 0.5, 0.4, 0.3], "at 1": [0.9, 0.1, 0.5, 0.6]}, index=LABELS)
    points = pd.DataFrame({"weight": [0.4], "total": [0.45]})
    return plots.sweep_lines(lines, points, current=0.25, goal="Grow sales", ax=ax)


def _cost(ax: Any = None) -> Any:
    curves = pd.DataFrame({label: np.linspace(1e6, 3e6 + k * 1e5, 6) for k, label in enumerate(LABELS)})
    marks = pd.DataFrame({"year": [3.0212], "cumulative_cost": [2.2e6]})
    return plots.cumulative_cost(curves, crossovers=marks, discounted=True, ax=ax)


def _bars(ax: Any = None) -> Any:
    return plots.horizontal_bars(pd.Series([0.3, 0.1, 0.05, 0.2], index=LABELS[::-1], name="weight moved"), ax=ax)


def _frontier(ax: Any = None) -> Any:
    frame = pd.DataFrame({"npv": [1.2e6, 2e6, 2.5e6, 1.9e6], "technical": [0.8, 0.6, 0.9, 0.7],
                          "efficient": [True, False, True, False]}, index=LABELS)
    return plots.frontier(frame, x="npv", y="technical", efficient="efficient", xlabel="NPV of cost", ax=ax)


def _lines(ax: Any = None) -> Any:
    frame = pd.DataFrame({label: np.linspace(-5e5, 2e6 * (k + 1), 61) for k, label in enumerate(LABELS[1:])})
    return plots.cumulative_lines(frame, markers={"6 months": 6.0, "go-live": 5.8, "12 months": 12.0},
                                  ylabel="cumulative net benefit", ax=ax)


def _acceptability(ax: Any = None) -> Any:
    frame = pd.DataFrame([[0.6, 0.3, 0.1], [0.3, 0.6, 0.1], [0.006, 0.0, 0.994]],
                         index=LABELS[:3], columns=["rank 1", "rank 2", "rank 3"])
    return plots.acceptability_bars(frame, xlabel="share of samples", ax=ax)


def _heatmap(ax: Any = None) -> Any:
    return plots.heatmap(pd.DataFrame([[0.1, 0.9]], index=["Grow sales"], columns=LABELS[:2]), vmin=0, vmax=1, ax=ax)


DRAWINGS: dict[str, Callable[..., Any]] = {
    "sweep_lines": _sweep,
    "interval_bars": lambda ax=None: plots.interval_bars(
        pd.DataFrame({"w": [0.2, 0.3], "a": [0.1, 0.0], "b": [0.5, 0.6], "c": [0.15, 0.2], "d": [0.3, 0.4]},
                     index=["Grow sales", "Serve faster"]), current="w", outer=("a", "b"), inner=("c", "d"), ax=ax),
    "grouped_bars": lambda ax=None: plots.grouped_bars(
        pd.DataFrame({"weight": [0.2, 0.8], "new weight": [0.3, 0.7]}, index=["Grow sales", "Serve faster"]), ax=ax),
    "horizontal_bars": _bars,
    "acceptability_bars": _acceptability,
    "cumulative_cost": _cost,
    "tornado": lambda ax=None: plots.tornado(pd.DataFrame({"npv_low": [9e5, 1.1e6], "npv_high": [1.3e6, 1.05e6]},
                                                          index=["users", "discount rate %"]), base=1e6, ax=ax),
    "histogram": lambda ax=None: plots.histogram(pd.DataFrame({"cost_npv": np.linspace(1e6, 2e6, 50)}),
                                                 markers={"P50": 1.5e6}, xlabel="NPV of cost", ax=ax),
    "cumulative_lines": _lines,
    "frontier": _frontier,
    "severity_bars": lambda ax=None: plots.severity_bars(
        pd.DataFrame({"high": [1, 0], "medium": [2, 1], "low": [0, 3]}, index=LABELS[:2]), ax=ax),
    "downtime_bars": lambda ax=None: plots.downtime_bars(
        pd.DataFrame({"allowed downtime": [8.0, np.nan], "excluded maintenance": [20.0, 4.0]}, index=LABELS[:2]),
        ax=ax),
    "stacked_bars": lambda ax=None: plots.stacked_bars(
        pd.DataFrame({"Grow sales": [0.3, 0.2], "Serve faster": [0.4, 0.1]}, index=LABELS[:2]), struck=[LABELS[1]],
        ax=ax),
    "heatmap": _heatmap,
}


def _state() -> tuple[dict[str, Any], bool, str]:
    params = {k: v for k, v in matplotlib.rcParams.items() if k != "backend"}
    return params, matplotlib.is_interactive(), str(matplotlib.rcParams._get_backend_or_none())  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", list(DRAWINGS))
def test_a_plot_function_leaves_pyplots_global_state_as_it_found_it(name: str) -> None:
    before = _state()
    with style.look(palette=PALETTE, currency="USD"), using("zh-CN"):
        ax = DRAWINGS[name]()
        ax.figure.canvas.draw()  # drawing adds the CJK fallback inside an rc_context: it must restore everything
    assert _state() == before
    plt.ion()  # a notebook's inline backend runs interactive: the figure helper must not switch it off
    try:
        DRAWINGS[name]()
        assert matplotlib.is_interactive()
    finally:
        plt.ioff()


def _colours_by_label(ax: Any) -> dict[str, set[str]]:
    """Face/line colours of each labelled artist; bars (one container per label) and scatter points too."""
    found: dict[str, set[str]] = {}
    for line in ax.get_lines():
        if not line.get_label().startswith("_"):
            found.setdefault(line.get_label(), set()).add(to_hex(line.get_color()))
    for patch in ax.patches:
        y = getattr(patch, "get_y", lambda: None)()
        if y is not None and patch.get_label().startswith("_"):
            tick = [t.get_text() for t in ax.get_yticklabels()]
            index = round(y + patch.get_height() / 2)
            if 0 <= index < len(tick):
                found.setdefault(tick[index], set()).add(to_hex(patch.get_facecolor()))
    for collection, text in zip(ax.collections, [t for t in ax.texts if t.get_text() in LABELS], strict=False):
        found.setdefault(text.get_text(), set()).add(to_hex(collection.get_facecolor()[0]))
    return {label: colours for label, colours in found.items() if label in LABELS}


def test_one_vendor_has_the_same_colour_in_every_chart() -> None:
    seen: dict[str, set[str]] = {}
    charts = 0
    with style.look(palette=PALETTE):
        for draw in (_sweep, _cost, _bars, _frontier, _lines):
            colours = _colours_by_label(draw())
            assert colours, draw.__name__
            charts += 1
            for label, found in colours.items():
                seen.setdefault(label, set()).update(found)
    assert charts == 5
    for label, colours in seen.items():
        assert colours == {to_hex(PALETTE.colour(label))}, label
    assert seen["Acme (cloud)"] == seen["Acme (on site)"], "two offers of one vendor share its colour"


# ---------------------------------------------------------------- axes, legends, colour scales
def test_money_axes_say_the_currency_and_unit_and_never_use_offset_notation() -> None:
    with style.look(currency="CNY"):
        ax = _cost()
    ax.figure.canvas.draw()
    assert ax.get_ylabel() == "discounted cumulative cost (NPV)\n(CNY thousand)"
    assert ax.yaxis.get_offset_text().get_text() == ""
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert "3,000" in ticks and not any("e" in t for t in ticks)
    assert style.money_unit(9_999) == (1.0, "") and style.money_unit(25_000_000)[1] == "million"
    with using("zh-CN"):
        assert style.money_label("成本净现值", divisor=1e3, currency="CNY") == "成本净现值（千CNY）"


def test_the_crossover_is_labelled_as_tables_write_it() -> None:
    ax = _cost()
    assert "year 3.02" in [t.get_text() for t in ax.texts]
    assert plots.crossover_year(3.7) == "year 3.70"


def test_weights_and_shares_are_in_percent() -> None:
    for ax in (_sweep(), _bars(), _acceptability(), DRAWINGS["grouped_bars"](), DRAWINGS["interval_bars"]()):
        ax.figure.canvas.draw()
        ticks = [t.get_text() for t in [*ax.get_xticklabels(), *ax.get_yticklabels()] if t.get_text()]
        assert any(t.endswith("%") for t in ticks), ticks


@pytest.mark.parametrize("name", [n for n in DRAWINGS if n not in ("heatmap", "histogram", "horizontal_bars")])
def test_legends_sit_outside_the_data(name: str) -> None:
    ax = DRAWINGS[name]()
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    legend = ax.get_legend()
    assert legend is not None, name
    box, data = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    assert box.x0 >= data.x1 - 1, f"{name}: the legend overlaps the data"
    assert box.x1 <= figure.bbox.x1 + 1 and box.y0 >= figure.bbox.y0 - 1, f"{name}: the legend is clipped"


def test_checkpoint_labels_are_inside_the_figure() -> None:
    ax = _lines()
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = [t for t in ax.texts if t.get_text().strip() in ("6 months", "go-live", "12 months")]
    assert len(labels) == 3
    for text in labels:
        box = text.get_window_extent(renderer)
        assert figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1), text.get_text()
    sides = {t.get_text().strip(): t.get_horizontalalignment() for t in labels}
    assert sides["go-live"] != sides["6 months"], "close checkpoints are labelled on opposite sides"


def _greenness(colour: Any) -> float:
    red, green, _blue = to_rgb(colour)
    return green - red


def test_green_means_good_a_likely_last_place_is_red() -> None:
    colours = style.rank_colours(5)
    assert _greenness(colours[0]) > 0.2 and _greenness(colours[-1]) < -0.2
    ax = _acceptability()
    last_place = [p for p in ax.patches if p.get_width() > 0.9]  # Cobalt: 99.4 % last
    assert last_place and all(_greenness(p.get_facecolor()) < -0.2 for p in last_place)
    image = _heatmap().images[0]
    low, high = image.to_rgba(np.array([0.1, 0.9]))
    assert _greenness(high) > 0.2 and _greenness(low) < -0.2, "a high score is green"


def test_the_discounted_chart_says_discounted() -> None:
    curves = pd.DataFrame({"A": [1.0, 2.0]})
    assert "discounted" in plots.cumulative_cost(curves, discounted=True).get_ylabel()
    assert "undiscounted" in plots.cumulative_cost(curves, discounted=False).get_ylabel()
    assert plots.cumulative_cost(curves).get_ylabel() == "cumulative cost", "a caller that does not say is not guessed"


# ---------------------------------------------------------------- plain language
def test_each_analysis_has_a_label_and_an_explanation_in_both_languages() -> None:
    assert {"stability", "min_flip", "smaa", "kendall_w"} <= set(ANALYSES)
    for key, analysis in ANALYSES.items():
        english = note(key)
        with using("zh-CN"):
            chinese = note(key)
        assert analysis.label in english and analysis.explanation in english
        assert chinese != english and not any(c.isascii() and c.isalpha() for c in chinese.replace("SMAA", "")
                                              .replace("Kendall's W", "")), (key, chinese)


def test_the_methods_note_says_what_the_numbers_show() -> None:
    frame = pd.DataFrame({"points": [0.37, 0.33, 0.30], "ROC": [0.18, 0.45, 0.37]}, index=["Grow", "Serve", "Keep"])
    text = methods_agreement(frame, 0.25)
    assert "different orders" in text and "Kendall's W 0.25" in text
    assert "They differ most on Grow: 37% by points against 18% by ROC." in text  # gap 19 points, the largest
    assert "nearly the same order" in methods_agreement(frame, 0.95)


BACKEND = '''
"""A backend that, like IPython's inline backend, switches interactive mode on when it is loaded."""
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas  # noqa: F401
from matplotlib.backend_bases import FigureManagerBase as FigureManager  # noqa: F401

matplotlib.interactive(True)
'''
SCRIPT = '''
import matplotlib
from crmselect.show import plots
plots.axes()  # the first figure of the session: pyplot loads its backend now
plots.axes()
assert matplotlib.is_interactive(), "the figure helper switched interactive mode off"
print("interactive kept")
'''


def test_the_first_figure_of_a_notebook_leaves_interactive_mode_on(tmp_path: Any) -> None:
    """The blank-charts bug: a backend loaded inside ``rc_context`` had its interactive mode undone on exit."""
    import os
    import subprocess
    import sys

    (tmp_path / "inline_like_backend.py").write_text(BACKEND, encoding="utf-8")
    env = {**os.environ, "MPLBACKEND": "module://inline_like_backend",
           "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "interactive kept" in done.stdout, done.stderr
