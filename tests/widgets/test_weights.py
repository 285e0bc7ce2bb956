"""The committee's widgets on the shipped example: they show what the public API computes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from testdata import copy_example, load_example, reveal_prices

from crmselect import InputError, load_project
from crmselect.evaluation import evaluate
from crmselect.widgets.core import SharedWeights, rescale_weights
from crmselect.widgets.weights import ScenarioManager, SensitivityPanel, TcoExplorer, WeightsPanel


@pytest.fixture(scope="module")
def project():  # type: ignore[no-untyped-def]
    return load_example()


@pytest.fixture(scope="module")
def card(project):  # type: ignore[no-untyped-def]
    return evaluate(project).scorecard


def test_import_crmselect_does_not_import_ipywidgets() -> None:
    code = "import sys, crmselect; assert 'ipywidgets' not in sys.modules and 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_moving_a_slider_rescales_the_others_and_reranks(card) -> None:  # type: ignore[no-untyped-def]
    panel = WeightsPanel(card)
    start = [float(x) for x in card.goal_weights]
    panel.sliders[0].value = 40.0
    expected = dict(zip(card.goal_ids, rescale_weights(start, 0, 0.40), strict=True))
    assert panel.weights == pytest.approx(expected)
    assert panel.card.totals == pytest.approx(card.with_goal_weights(expected).totals)
    assert panel.sliders[1].value == pytest.approx(round(expected[card.goal_ids[1]] * 100, 1))
    assert f"data-total='{panel.card.totals[0]:.6f}'" in panel.ranking.value


def test_a_locked_goal_keeps_its_weight(card) -> None:  # type: ignore[no-untyped-def]
    panel = WeightsPanel(card)
    locked = panel.weights[card.goal_ids[1]]
    panel.locks[1].value = True
    panel.sliders[0].value = 50.0
    assert panel.weights[card.goal_ids[1]] == pytest.approx(locked)
    assert sum(panel.weights.values()) == pytest.approx(1.0)


def test_knocked_out_bids_stay_visible_with_their_rule(card) -> None:  # type: ignore[no-untyped-def]
    assert not card.eligible.all(), "the shipped example has a knock-out"
    panel = WeightsPanel(card)
    out = card.bid_ids[int(np.flatnonzero(~card.eligible)[0])]
    assert f"data-bid='{out}'" in panel.ranking.value
    assert "knocked out" in panel.ranking.value
    assert card.knockouts[0].criterion in panel.ranking.value


def test_set_weights_and_listeners(card) -> None:  # type: ignore[no-untyped-def]
    panel = WeightsPanel(card, chart="svg", table=False)
    seen: list[dict[str, float]] = []
    panel.on_change(lambda p: seen.append(p.weights))
    panel.set_weights(dict.fromkeys(card.goal_ids, 1.0))
    assert seen and seen[-1] == pytest.approx(dict.fromkeys(card.goal_ids, 1 / len(card.goal_ids)))
    assert panel.chart is not None and panel.chart.html.value.startswith("<svg class='crmselect-chart")
    with pytest.raises(ValueError, match="positive"):
        panel.set_weights(dict.fromkeys(card.goal_ids, 0.0))


def test_scenarios_are_logged_compared_and_exported(card, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = load_project(copy_example(tmp_path / "selection"))
    panel = WeightsPanel(card, table=False)
    manager = ScenarioManager(panel, project, member="wang_fang", export_dir=tmp_path)
    log = manager.log
    assert log.path == project.root / "decision_log.jsonl"  # the selection's one log, not one beside a notebook
    assert "Wang Fang" in manager.recording.value
    assert not manager.save("Sales view"), "no reason given: nothing saved"
    assert manager.save("Sales view", why="sales management's priorities")
    panel.sliders[0].value = 5.0
    assert manager.save("IT view", why="IT's priorities")
    frame = manager.comparison_frame()
    assert list(frame.columns) == ["Sales view", "IT view"]
    assert frame.loc["winner", "IT view"] in card.labels
    assert manager.apply("Sales view", why="back to the sales view")
    assert panel.weights == pytest.approx(manager.scenarios["Sales view"])
    assert [e.kind for e in log.entries()] == ["open", "scenario_saved", "scenario_saved", "weight_change"]
    assert {e.who for e in log.entries()} == {"wang_fang"}
    assert log.verify() == 4

    written: list[tuple[object, Path]] = []
    manager._exporter = lambda proj, where: written.append((proj, where))
    path = manager.export("IT view")
    assert path is not None and written[0][1] == path
    exported = written[0][0]
    weights = {g.id: g.weight for g in exported.selection.goals}  # type: ignore[attr-defined]
    assert sum(weights.values()) == pytest.approx(100.0)
    assert weights == pytest.approx({g: 100 * w for g, w in manager.scenarios["IT view"].items()})
    assert log.entries()[-1].kind == "scenario_exported"

    # the shell sees what the widget recorded: the same log, verified, through `crmselect log`
    from crmselect.cli.app import main

    assert main(["log", str(project.root)]) == 0


def test_without_a_member_recording_is_off_and_says_why(card, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = load_project(copy_example(tmp_path / "selection"))
    manager = ScenarioManager(WeightsPanel(card, table=False), project, member=None)
    assert "Recording is off" in manager.recording.value
    assert not manager.save("Sales view", why="a reason")
    assert "Recording is off" in manager.status.value
    assert not manager.log.path.exists()
    with pytest.raises(InputError, match="has no member 'nobody'"):
        ScenarioManager(WeightsPanel(card, table=False), project, member="nobody")


def test_export_writes_a_real_workbook(card, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = load_project(copy_example(tmp_path / "selection"))
    panel = WeightsPanel(card, table=False)
    manager = ScenarioManager(panel, project, member="sun_li")
    manager.save("Steering committee", why="for the steering committee")
    path = manager.export("Steering committee")
    assert path is not None and path.exists() and path.suffix == ".xlsx"
    assert path.parent == project.root / "exports"


def test_tco_explorer_is_sealed_until_the_reveal(project) -> None:  # type: ignore[no-untyped-def]
    explorer = TcoExplorer(project)
    assert explorer.comparison is None and explorer.update() is None
    assert "sealed until prices are revealed" in explorer.widget.children[0].value


def test_tco_explorer_shows_compare_tco(tmp_path: Path) -> None:
    from crmselect.money.costs import compare_tco

    project = load_project(reveal_prices(copy_example(tmp_path / "selection")))
    explorer = TcoExplorer(project)
    explorer.users.value = 400
    explorer.horizon.value = 7
    assumptions = project.selection.assumptions.model_copy(update={"users": 400, "horizon_years": 7})
    expected = compare_tco(project, assumptions=assumptions)
    assert explorer.comparison is not None
    assert explorer.comparison.npvs() == pytest.approx(expected.npvs())
    assert "cross" in explorer.crossings.value
    uncapped = explorer.comparison.npvs()
    explorer.cap_on.value = True
    explorer.cap.value = 0.0
    capped = explorer.comparison.npvs()
    assert all(capped[b] <= uncapped[b] + 1e-6 for b in capped)


def test_sensitivity_panel_sweep_and_smaa(card) -> None:  # type: ignore[no-untyped-def]
    from crmselect.whatif import sensitivity
    from crmselect.whatif.acceptability import smaa

    panel = SensitivityPanel(card, samples=4_000, seed=7, shared=SharedWeights(card))  # the committee's weights
    assert "stays first" in panel.interval.value
    panel.goal.value = card.goal_ids[2]
    from crmselect.widgets import views

    swept = sensitivity.sweep(card, card.goal_ids[2])
    assert views.sweep_html(swept) == panel.sweep_table.value  # the API's sweep, as the panel words it
    assert panel.sweep_table.value.split("<tbody>")[1].count("<tr>") == len(swept.t)  # one row per rank change
    steps: list[float] = []
    panel.progress.observe(lambda change: steps.append(change["new"]), names="value")
    result = panel.run_smaa()
    assert steps[-1] == 1.0 and len(steps) > 2
    expected = smaa(card, n=4_000, random_state=7, chunk_size=500)
    assert result.frame().equals(expected.frame())


def test_the_panel_names_the_method_that_made_the_committees_weights(tmp_path: Path) -> None:
    from testdata import copy_minimal

    root = copy_minimal(tmp_path / "selection")
    goals = root / "criteria" / "goals.yaml"
    text = goals.read_text(encoding="utf-8")
    for line in ("    weight: 50\n", "    weight: 30\n", "    weight: 20\n"):
        text = text.replace(line, "", 1)
    goals.write_text(text + "weighting: rank_order\nranking: [forecast, service, risk]\n", encoding="utf-8")
    evaluation = evaluate(load_project(root))
    panel = WeightsPanel(evaluation.scorecard, method=evaluation.weighting.label)
    import ipywidgets as w

    def texts(widget: w.Widget) -> list[str]:
        own = [widget.value] if isinstance(widget, w.HTML) else []
        return own + [t for child in getattr(widget, "children", ()) for t in texts(child)]

    assert any("set by rank order (ROC)" in text for text in texts(panel.widget))
    assert [s.value for s in panel.sliders] == [61.1, 27.8, 11.1]
