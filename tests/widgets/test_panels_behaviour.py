"""How the dashboard's panels behave together, in the kernel: the what-if panel follows the sliders, locks hold and
look locked, charts are SVG drawn at their shown size (never an empty image), and the committee reads names and
plain words, not ids and jargon."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import ipywidgets as w
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import copy_example, load_example, reveal_prices

from crmselect import load_project
from crmselect.evaluation import evaluate
from crmselect.show import svg
from crmselect.show.analyses import note
from crmselect.whatif import sensitivity
from crmselect.widgets import views
from crmselect.widgets.core import SharedWeights, rescale_weights, shared_weights
from crmselect.widgets.sensitivity import SensitivityPanel, interval_text
from crmselect.widgets.tco import TcoExplorer
from crmselect.widgets.weights import WeightsPanel


@pytest.fixture(scope="module")
def card() -> Any:
    return evaluate(load_example()).scorecard


def fresh(card: Any) -> Any:
    """A copy of the scorecard no other test's panels share weights with."""
    return card.with_goal_weights(dict(zip(card.goal_ids, card.goal_weights, strict=True)))


def all_widgets(widget: w.Widget) -> list[w.Widget]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out += all_widgets(child)
    return out


# ------------------------------------------------------------------ the what-if panel follows the sliders
@pytest.mark.parametrize("built_first", ["weights", "what-if"])
def test_the_what_if_panel_follows_a_goal_moved_to_100_percent(card: Any, built_first: str) -> None:
    card = fresh(card)
    if built_first == "weights":
        panel = WeightsPanel(card, table=False)
        whatif = SensitivityPanel(card, samples=2_000)
    else:  # notebook 04 builds the what-if panel first
        whatif = SensitivityPanel(card, samples=2_000)
        panel = WeightsPanel(card, table=False)
    goal = 0
    name = card.goal_names[goal]
    assert "weighs <b>" not in whatif.interval.value
    before = whatif.interval.value
    assert f"weighs {views.percent(float(card.goal_weights[goal]))} now" in before

    panel.sliders[goal].value = 100.0  # as the browser sends it
    expected = dict(zip(card.goal_ids, rescale_weights(card.goal_weights, goal, 1.0), strict=True))
    assert expected[card.goal_ids[goal]] == 1.0
    moved = card.with_goal_weights(expected)
    assert f"weighs {views.percent(1.0)} now" in whatif.interval.value  # the words a committee member reads
    assert whatif.interval.value == interval_text(sensitivity.stability(moved), name)
    assert whatif.sweep_table.value == views.sweep_html(sensitivity.sweep(moved, card.goal_ids[goal]))
    sweep = sensitivity.sweep(moved, card.goal_ids[goal])
    assert sweep.current == pytest.approx(1.0)
    assert whatif.sweep_chart.html.value == views.sweep_chart(sweep)

    whatif.goal.value = card.goal_ids[1]  # another goal: asked at the moved weights too (it weighs 0 now)
    assert f"weighs {views.percent(0.0)} now" in whatif.interval.value
    panel.reset_button.click()
    assert whatif.interval.value == interval_text(sensitivity.stability(card), card.goal_names[1])


def test_an_smaa_result_says_when_it_was_drawn_at_earlier_weights(card: Any) -> None:
    card = fresh(card)
    panel = WeightsPanel(card, table=False)
    whatif = SensitivityPanel(card, samples=2_000, seed=5)
    whatif.model.value = "around"
    result = whatif.run_smaa()
    from crmselect.whatif.acceptability import smaa

    assert result.frame().equals(smaa(card, n=2_000, spread=0.25, random_state=5, chunk_size=500).frame())
    assert whatif.smaa_status.value == ""
    panel.sliders[2].value = 60.0
    assert "earlier weights" in whatif.smaa_status.value
    moved = whatif.run_smaa()  # now drawn around the slider's weights
    assert moved.frame().equals(smaa(panel.card, n=2_000, spread=0.25, random_state=5, chunk_size=500).frame())
    assert whatif.smaa_status.value == ""


def test_a_new_weights_panel_on_a_scorecard_starts_from_the_committees_weights(card: Any) -> None:
    card = fresh(card)
    first = WeightsPanel(card, table=False)
    first.sliders[0].value = 70.0
    second = WeightsPanel(card, table=False)
    assert second.weights == pytest.approx(dict(zip(card.goal_ids, card.goal_weights, strict=True)))
    assert shared_weights(card) is second.shared  # what-if panels built from now on follow the second one
    assert first.weights[card.goal_ids[0]] == pytest.approx(0.70)


# ------------------------------------------------------------------ locks hold and look locked
def test_a_locked_goal_is_disabled_marked_and_unchanged_by_other_moves(card: Any) -> None:
    card = fresh(card)
    panel = WeightsPanel(card, table=False)
    kept = panel.weights[card.goal_ids[1]]
    panel.locks[1].value = True
    assert panel.sliders[1].disabled
    assert "crmselect-locked" in panel.sliders[1]._dom_classes and "crmselect-locked" in panel.rows[1]._dom_classes
    assert "&#128274;" in panel.names[1].value and "&#128274;" not in panel.names[0].value
    for value in (5.0, 80.0, 33.0):
        panel.sliders[0].value = value
        assert panel.weights[card.goal_ids[1]] == kept  # exactly: a lock holds
        assert sum(panel.weights.values()) == pytest.approx(1.0)
    shown = panel.sliders[1].value
    panel.sliders[1].value = 90.0  # a value that comes anyway (a stale browser): put back
    assert panel.sliders[1].value == shown and panel.weights[card.goal_ids[1]] == kept
    panel.locks[1].value = False
    assert not panel.sliders[1].disabled and "crmselect-locked" not in panel.sliders[1]._dom_classes
    assert "&#128274;" not in panel.names[1].value


@settings(max_examples=25, deadline=None)
@given(locks=st.lists(st.booleans(), min_size=7, max_size=7),
       moves=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 100)), min_size=1, max_size=6))
def test_locked_weights_never_move_whatever_the_other_sliders_do(locks: list[bool], moves: list[tuple[int, int]]
                                                                  ) -> None:
    card = fresh(_EXAMPLE)
    panel = WeightsPanel(card, table=False, chart=None)
    for i, locked in enumerate(locks):
        panel.locks[i].value = locked
    kept = {goal: weight for goal, weight, locked in zip(card.goal_ids, panel.weights.values(), locks, strict=True)
            if locked}
    for goal, value in moves:
        panel.sliders[goal].value = float(value)
        assert {g: panel.weights[g] for g in kept} == kept
        assert sum(panel.weights.values()) == pytest.approx(1.0)
        assert all(weight >= 0 for weight in panel.weights.values())


_EXAMPLE = evaluate(load_example()).scorecard


# ------------------------------------------------------------------ charts: SVG at its shown size, never empty
def svg_size(markup: str) -> tuple[float, float, float, float]:
    width = float(re.search(r"<svg[^>]* width='([\d.]+)'", markup).group(1))  # type: ignore[union-attr]
    height = float(re.search(r"<svg[^>]* height='([\d.]+)'", markup).group(1))  # type: ignore[union-attr]
    box = re.search(r"viewBox='0 0 ([\d.]+) ([\d.]+)'", markup)
    assert box is not None
    return width, height, float(box.group(1)), float(box.group(2))


def test_charts_are_svg_drawn_at_their_shown_size_and_hidden_until_drawn(card: Any, tmp_path: Path) -> None:
    whatif = SensitivityPanel(fresh(card), samples=2_000)
    assert not any(isinstance(x, w.Image) for x in all_widgets(whatif.widget)), "no image can show broken"
    assert whatif.smaa_chart.html.layout.display == "none" and whatif.smaa_chart.html.value == ""
    assert whatif.progress.layout.visibility == "hidden"
    whatif.run_smaa()
    assert whatif.smaa_chart.html.layout.display is None
    revealed = load_project(reveal_prices(copy_example(tmp_path / "selection")))
    explorer = TcoExplorer(revealed)
    assert not any(isinstance(x, w.Image) for x in all_widgets(explorer.widget))
    for chart in (whatif.sweep_chart, whatif.smaa_chart, explorer.chart):
        width, height, box_width, box_height = svg_size(chart.html.value)
        assert (width, height) == (box_width, box_height)  # natural size = shown size: no squeeze
        assert "height:auto" in chart.html.value  # shrunk only as a whole in a narrow window


def test_the_tco_chart_draws_the_comparisons_own_curves(tmp_path: Path) -> None:
    revealed = load_project(reveal_prices(copy_example(tmp_path / "selection")))
    explorer = TcoExplorer(revealed)
    explorer.users.value = 400
    comparison = explorer.comparison
    assert comparison is not None
    markup = explorer.chart.html.value
    curves = comparison.cumulative()
    largest = float(curves.to_numpy().max())
    # the axis ticks run in the unit the style picks (thousands here) and reach the largest cost
    assert "USD thousand" in markup and largest > 10_000
    polylines = re.findall(r"<polyline points='([^']+)'", markup)
    assert len(polylines) == len(curves.columns)
    for points in polylines:
        assert len(points.split()) == len(curves.index)  # one point per year, 0 = initial
    assert len(re.findall(r"<circle [^>]*[^/]><title>", markup)) == len(comparison.crossovers())  # legend dot aside


def test_nice_ticks_cover_the_range_in_even_round_steps() -> None:
    for low, high in [(0.0, 1.0), (0.0, 4_321_000.0), (0.12, 0.97), (-5.0, 5.0), (3.0, 3.0)]:
        ticks = svg.nice_ticks(low, high)
        assert ticks[0] <= low and ticks[-1] >= min(high, ticks[-1])
        steps = np.diff(ticks)
        assert np.allclose(steps, steps[0])
        mantissa = steps[0] / 10 ** np.floor(np.log10(steps[0]))
        assert any(np.isclose(mantissa, m) for m in (1.0, 2.0, 2.5, 5.0))


# ------------------------------------------------------------------ words a committee reads
def test_money_tables_name_bids_and_deployments_in_words(tmp_path: Path) -> None:
    revealed = load_project(reveal_prices(copy_example(tmp_path / "selection")))
    explorer = TcoExplorer(revealed)
    for table in (explorer.table.value, explorer.returns_table.value):
        for bid in revealed.bids if hasattr(revealed, "bids") else ():
            assert f"<th>{bid}</th>" not in table
        assert "cost_per_user_year" not in table and "npv_rank" not in table and "ID</th>" not in table
    assert ">on_premise<" not in explorer.table.value and ">saas<" not in explorer.table.value
    assert "on premises" in explorer.table.value and "SaaS (vendor-hosted)" in explorer.table.value
    assert explorer.evaluation is not None
    for name in explorer.evaluation.scorecard.labels:
        assert f"<th>{html.escape(name)}</th>" in explorer.table.value


def test_smaa_and_sweep_terms_are_explained_in_plain_words(card: Any) -> None:
    whatif = SensitivityPanel(fresh(card), samples=2_000)
    whatif.run_smaa()
    table = whatif.smaa_table.value
    for jargon in ("uniform on the simplex", "confidence factor", "sqrt(p(1-p)/n)"):
        assert jargon not in table
    assert "± on rank 1: how far the share of first places may be off" in table
    headings = " ".join(x.value for x in all_widgets(whatif.widget) if isinstance(x, w.HTML))
    for key in ("stability", "smaa"):
        assert html.escape(note(key), quote=True) in headings  # the shared plain-language note as a tooltip
    assert whatif.run_button.tooltip == note("smaa")


def test_shared_weights_refuse_a_bad_vector_and_keep_the_last_good_one(card: Any) -> None:
    shared = SharedWeights(fresh(card))
    seen: list[tuple[float, ...]] = []
    shared.subscribe(lambda s: seen.append(s.weights))
    shared.set([1.0] * len(card.goal_ids))
    assert seen == [pytest.approx(tuple([1 / len(card.goal_ids)] * len(card.goal_ids)))]
    for bad in ([0.0] * len(card.goal_ids), [1.0], [np.nan] * len(card.goal_ids), [-1.0] + [1.0] * 6):
        with pytest.raises(ValueError, match="one finite value"):
            shared.set(bad)
    assert len(seen) == 1 and shared.weights == seen[0]
