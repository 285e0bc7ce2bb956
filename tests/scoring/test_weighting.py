"""Every weighting method in the goals file: the weights equal the Python functions', and bad inputs are named."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from testdata import copy_minimal

from crmselect.cli.app import main
from crmselect.errors import AnalysisError, InputError
from crmselect.evaluation import evaluate
from crmselect.files.loaders import load_project
from crmselect.scoring.weighting import derive_weights, revisit_kernel
from crmselect.scoring.weights import ahp, ahp_group, ahp_matrix, goal_weight_vector, rank_order_centroid, swing

GOALS = ("forecast", "service", "risk")
POINTS = {"forecast": "    weight: 50\n", "service": "    weight: 30\n", "risk": "    weight: 20\n"}


def weighted(tmp_path: Path, inputs: str, *, keep_points: bool = False) -> Path:
    """The minimal selection with its goal points removed and ``inputs`` (YAML) appended to goals.yaml."""
    folder = copy_minimal(tmp_path / "selection")
    path = folder / "criteria" / "goals.yaml"
    text = path.read_text(encoding="utf-8")
    if not keep_points:
        for line in POINTS.values():
            text = text.replace(line, "", 1)
    path.write_text(text + "\n" + inputs, encoding="utf-8")
    return folder


def test_rank_order_from_the_file_equals_rank_order_centroid(tmp_path: Path) -> None:
    project = load_project(weighted(tmp_path, "weighting: rank_order\nranking: [service, [forecast, risk]]\n"))
    derived = derive_weights(project.selection)
    expected = rank_order_centroid(["service", ["forecast", "risk"]])
    assert derived.as_dict() == pytest.approx(expected)
    assert derived.as_dict()["service"] == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert derived.label == "rank order (ROC)"


def test_swing_from_the_file_equals_swing(tmp_path: Path) -> None:
    project = load_project(weighted(tmp_path, "weighting: swing\nswing: {forecast: 100, service: 60, risk: 40}\n"))
    assert derive_weights(project.selection).as_dict() == pytest.approx(
        swing({"forecast": 100, "service": 60, "risk": 40}))
    assert derive_weights(project.selection).as_dict()["forecast"] == pytest.approx(0.5)


def test_ahp_from_the_file_equals_ahp_and_the_scorecard_uses_it(tmp_path: Path) -> None:
    judgments = ("weighting: ahp\njudgments:\n  m-sales:\n    - [forecast, service, 3]\n"
                 "    - [forecast, risk, 5]\n    - [service, risk, 2]\n")
    project = load_project(weighted(tmp_path, judgments))
    derived = derive_weights(project.selection)
    reference = ahp(ahp_matrix({("forecast", "service"): 3, ("forecast", "risk"): 5, ("service", "risk"): 2}, GOALS),
                    labels=GOALS)
    np.testing.assert_allclose(derived.weights, reference.weights)
    assert derived.cr == pytest.approx(reference.cr)
    # Saaty's textbook matrix (1, 3, 5 / 1/3, 1, 2 / 1/5, 1/2, 1): priorities about 0.648, 0.230, 0.122
    np.testing.assert_allclose(derived.weights, [0.648, 0.230, 0.122], atol=1e-3)
    card = evaluate(project).scorecard
    np.testing.assert_allclose(card.goal_weights, reference.weights)
    np.testing.assert_allclose(card.totals, card.goal_matrix @ reference.weights)


def test_group_ahp_is_the_geometric_mean_of_the_members(tmp_path: Path) -> None:
    text = ("weighting: ahp\njudgments:\n"
            "  m-sales: [[forecast, service, 5], [forecast, risk, 7], [service, risk, 2]]\n"
            "  m-service: [[service, forecast, 2], [forecast, risk, 3], [service, risk, 4]]\n"
            "  m-it: [[forecast, service, 1], [risk, forecast, 1/2], [service, risk, 1/3]]\n")
    project = load_project(weighted(tmp_path, text))
    derived = derive_weights(project.selection)
    matrices = [
        ahp_matrix({("forecast", "service"): 5, ("forecast", "risk"): 7, ("service", "risk"): 2}, GOALS),
        ahp_matrix({("service", "forecast"): 2, ("forecast", "risk"): 3, ("service", "risk"): 4}, GOALS),
        ahp_matrix({("forecast", "service"): 1, ("risk", "forecast"): 0.5, ("service", "risk"): 1 / 3}, GOALS),
    ]
    reference = ahp_group(matrices, labels=GOALS)
    np.testing.assert_allclose(derived.weights, reference.weights)
    assert derived.cr == pytest.approx(reference.cr)
    assert set(derived.members) == {"m-sales", "m-service", "m-it"}
    assert "group AHP" in derived.label and "3 members" in derived.label


def test_inconsistent_judgments_name_the_pair_to_revisit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # forecast > service > risk, yet risk is judged far above forecast: the loop to break is forecast vs risk
    text = ("weighting: ahp\njudgments:\n  m-sales:\n    - [forecast, service, 3]\n"
            "    - [risk, forecast, 5]\n    - [service, risk, 3]\n")
    folder = weighted(tmp_path, text)
    derived = derive_weights(load_project(folder).selection)
    assert derived.cr is not None and derived.cr > 0.10
    assert not derived.consistent
    first = derived.revisit[0]
    assert first.member == "m-sales" and first.index is not None
    assert {first.more, first.less} <= set(GOALS)
    errors = revisit_kernel(derived.group.matrix, derived.group.weights)  # type: ignore[union-attr]
    worst = np.unravel_index(np.argmax(np.triu(errors, 1)), errors.shape)
    assert {first.more, first.less} == {GOALS[int(worst[0])], GOALS[int(worst[1])]}
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "weights by AHP pairwise judgments" in out
    assert f"consistency ratio: {derived.cr:.3f} (above 0.10" in out
    assert "judgments to revisit first" in out and "the other judgments imply" in out


def test_validate_and_rank_say_which_method_made_the_weights(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = weighted(tmp_path, "weighting: rank_order\nranking: [forecast, service, risk]\n")
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "weights by rank order (ROC):" in out
    assert "forecast" in out and "61.1%" in out  # ROC of the first of three: (1 + 1/2 + 1/3) / 3
    assert main(["rank", str(folder)]) == 0
    assert "goal weights by rank order (ROC)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("inputs", "field", "code"),
    [
        ("weighting: ahp\njudgments:\n  m-sales: [[forecast, service, 3], [forecast, risk, 5]]\n",
         "judgments.m-sales", "incomplete_judgments"),
        ("weighting: ahp\njudgments:\n  m-sales: [[forecast, service, 3], [service, forecast, 1/3], "
         "[forecast, risk, 5], [service, risk, 2]]\n", "judgments.m-sales[1]", "duplicate_judgment"),
        ("weighting: ahp\njudgments:\n  m-sales: [[forecast, service, 12], [forecast, risk, 5], [service, risk, 2]]\n",
         "judgments.m-sales[0]", "off_scale"),
        ("weighting: ahp\njudgments:\n  m-sales: [[forecast, growth, 3], [forecast, risk, 5], [service, risk, 2], "
         "[forecast, service, 2]]\n", "judgments.m-sales[0]", "unknown_goal"),
        ("weighting: ahp\njudgments:\n  m-ghost: [[forecast, service, 3], [forecast, risk, 5], [service, risk, 2]]\n",
         "judgments.m-ghost", "unknown_member"),
        ("weighting: rank_order\nranking: [forecast, service]\n", "ranking", "unranked_goal"),
        ("weighting: swing\nswing: {forecast: 90, service: 60, risk: 40}\n", "swing", "no_top_swing"),
        ("weighting: swing\nranking: [forecast, service, risk]\nswing: {forecast: 100, service: 60, risk: 40}\n",
         "ranking", "unused_inputs"),
    ],
)
def test_bad_weighting_inputs_are_reported_by_field_and_line(tmp_path: Path, inputs: str, field: str,
                                                             code: str) -> None:
    with pytest.raises(InputError) as caught:
        load_project(weighted(tmp_path, inputs))
    found = [i for i in caught.value.issues if i.code == code]
    assert found, [str(i) for i in caught.value.issues]
    assert found[0].field == field
    assert found[0].file == "criteria/goals.yaml" and found[0].line is not None
    assert found[0].allowed and found[0].received


def test_points_left_in_place_with_another_method_are_refused_not_ignored(tmp_path: Path) -> None:
    folder = weighted(tmp_path, "weighting: rank_order\nranking: [forecast, service, risk]\n", keep_points=True)
    with pytest.raises(InputError) as caught:
        load_project(folder)
    fields = sorted(i.field for i in caught.value.issues if i.code == "weight_with_method")
    assert fields == ["goals[0].weight", "goals[1].weight", "goals[2].weight"]


def test_a_selection_built_in_python_with_bad_inputs_is_refused_with_every_problem(tmp_path: Path) -> None:
    selection = load_project(weighted(tmp_path, "weighting: rank_order\nranking: [forecast, service, risk]\n")
                             ).selection
    broken = selection.replace(ranking=("forecast", "forecast"))
    with pytest.raises(AnalysisError, match=r"ranks a goal twice.*leaves goals unranked"):
        derive_weights(broken)


def test_what_if_weights_on_an_ahp_selection_are_points_over_its_weights(tmp_path: Path) -> None:
    text = "weighting: ahp\njudgments:\n  m-it: [[forecast, service, 2], [forecast, risk, 4], [service, risk, 2]]\n"
    selection = load_project(weighted(tmp_path, text)).selection
    base = derive_weights(selection).weights
    np.testing.assert_allclose(goal_weight_vector(selection), base)  # a consistent matrix: 4/7, 2/7, 1/7
    np.testing.assert_allclose(base, [4 / 7, 2 / 7, 1 / 7])
    moved = goal_weight_vector(selection, {"risk": 100 * 4 / 7})
    np.testing.assert_allclose(moved, np.array([4, 2, 4]) / 10)
    as_points = selection.with_weights({"forecast": 1, "service": 1, "risk": 2})
    assert as_points.weighting.value == "points" and not as_points.judgments


@given(st.lists(st.floats(min_value=0.05, max_value=1.0), min_size=2, max_size=9))
def test_a_consistent_matrix_gives_back_its_weights_and_zero_inconsistency(raw: list[float]) -> None:
    weights = np.asarray(raw) / sum(raw)
    labels = tuple(f"g{i}" for i in range(len(raw)))
    ratios = {(labels[i], labels[j]): float(weights[i] / weights[j])
              for i in range(len(raw)) for j in range(i + 1, len(raw))}
    result = ahp(ahp_matrix(ratios, labels), labels=labels, warn=False)
    np.testing.assert_allclose(result.weights, weights, rtol=1e-7)
    assert result.cr == pytest.approx(0.0, abs=1e-7)
    assert float(revisit_kernel(result.matrix, result.weights).max()) == pytest.approx(0.0, abs=1e-7)


@given(st.lists(st.integers(min_value=1, max_value=6), min_size=2, max_size=8))
def test_rank_order_weights_sum_to_one_and_never_rise_down_the_ranking(tied: list[int]) -> None:
    ranking: list[str | list[str]] = []
    count = 0
    for size in tied:
        group = [f"g{count + k}" for k in range(size)]
        count += size
        ranking.append(group[0] if size == 1 else group)
    weights = rank_order_centroid(ranking)
    assert math.isclose(sum(weights.values()), 1.0)
    order = [weights[g if isinstance(g, str) else g[0]] for g in ranking]
    assert all(a >= b - 1e-12 for a, b in itertools.pairwise(order))
