"""Exact what-if analysis: sweeps, stability intervals, minimum flips, weight ranges.

Every exact answer is checked against brute force (fine grids, random search, dense sampling).
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import matplotlib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from testdata import example_root, load_example

from crmselect.errors import AnalysisError
from crmselect.whatif.sensitivity import (
    FLIP_MARGIN,
    GoalScores,
    check_ranges,
    crossings_kernel,
    min_flip,
    min_flip_kernel,
    min_flips,
    min_flips_kernel,
    order_kernel,
    range_check_kernel,
    ranks_kernel,
    stability,
    stability_kernel,
    sweep,
    sweep_lines_kernel,
)

matplotlib.use("Agg")


def random_case(seed: int, bids: int = 6, goals: int = 4) -> GoalScores:
    rng = np.random.default_rng(seed)
    return GoalScores.from_arrays(rng.random((bids, goals)), rng.dirichlet(np.ones(goals)))


def swept_weights(w: np.ndarray, j: int, t: np.ndarray) -> np.ndarray:
    """The weight vectors of a sweep, written out from the definition (len(t) x goals)."""
    rest = np.delete(w, j)
    scale = (1 - t)[:, None] / (1 - w[j])
    out = np.insert(rest[None, :] * scale, j, 0.0, axis=1)
    out[:, j] = t
    return out


# ---------------------------------------------------------------- sweep
@pytest.mark.parametrize("seed", range(6))
def test_sweep_breakpoints_agree_with_a_fine_grid(seed: int) -> None:
    data = random_case(seed)
    grid = np.linspace(0.0, 1.0, 100_001)
    for j in range(data.matrix.shape[1]):
        result = sweep(data, j)
        totals = swept_weights(data.weights, j, grid) @ data.matrix.T  # grid x bids, from the definition
        np.testing.assert_allclose(result.totals_at(grid), totals, atol=1e-12)
        from_grid = set()
        for a, b in itertools.combinations(range(data.matrix.shape[0]), 2):
            sign = np.sign(totals[:, a] - totals[:, b])
            for cell in np.flatnonzero(sign[:-1] * sign[1:] < 0):
                from_grid.add((min(a, b), max(a, b), int(cell)))
        exact = {(min(u, v), max(u, v), int(np.searchsorted(grid, t) - 1))
                 for t, u, v in zip(result.t, result.upper, result.lower, strict=True)}
        assert exact == from_grid
        assert np.all(np.diff(result.t) >= 0)


def test_sweep_order_after_each_breakpoint_is_the_ranking_there() -> None:
    data = random_case(11, bids=7, goals=3)
    result = sweep(data, 1)
    edges = [*result.t.tolist(), 1.0]
    for i, order in enumerate(result.orders):
        if edges[i + 1] - edges[i] < 1e-9:
            continue
        middle = (edges[i] + edges[i + 1]) / 2
        w = swept_weights(data.weights, 1, np.array([middle]))[0]
        assert order.tolist() == order_kernel(data.matrix @ w).tolist()


def test_sweep_current_point_is_the_committees_totals() -> None:
    data = random_case(3)
    for j in range(4):
        result = sweep(data, j)
        np.testing.assert_allclose(result.totals_at(result.current), data.totals, atol=1e-12)
        assert result.lines()["current"].to_numpy() == pytest.approx(data.totals)


def test_sweep_of_a_goal_that_holds_all_the_weight() -> None:
    matrix = np.array([[0.9, 0.1, 0.3], [0.2, 0.8, 0.5], [0.5, 0.5, 0.5]])
    data = GoalScores.from_arrays(matrix, [1.0, 0.0, 0.0])
    result = sweep(data, 0)
    assert result.current == 1.0
    np.testing.assert_allclose(result.end, matrix[:, 0])
    np.testing.assert_allclose(result.start, matrix[:, 1:].mean(axis=1))  # no proportion left: equal shares
    assert np.all((result.t >= 0) & (result.t <= 1))
    lo, hi, *_ = stability_kernel(data.matrix, data.weights, 0)
    assert hi == 1.0 and 0.0 < lo < 1.0


def test_parallel_lines_never_swap() -> None:
    t, upper, lower = crossings_kernel(np.array([0.2, 0.5]), np.array([0.4, 0.7]))
    assert t.size == upper.size == lower.size == 0


def test_sweep_needs_two_goals_and_a_known_goal() -> None:
    with pytest.raises(AnalysisError, match="two goals"):
        sweep(GoalScores.from_arrays([[0.1], [0.2]], [1.0]), 0)
    with pytest.raises(AnalysisError, match="unknown goal 'nope'"):
        sweep(random_case(0), "nope")


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, (5, 3), elements=st.floats(0, 1)),
    arrays(np.float64, 3, elements=st.floats(0, 1)).filter(lambda w: w.sum() > 1e-3),
    st.integers(0, 2),
)
def test_breakpoints_lie_in_zero_one(matrix: np.ndarray, weights: np.ndarray, goal: int) -> None:
    start, end = sweep_lines_kernel(matrix, weights / weights.sum(), goal)
    t, upper, lower = crossings_kernel(start, end)
    assert np.all((t >= 0.0) & (t <= 1.0))
    assert np.all(upper != lower)


# ---------------------------------------------------------------- stability intervals
@pytest.mark.parametrize("seed", range(5))
def test_stability_intervals_agree_with_a_fine_grid(seed: int) -> None:
    data = random_case(seed + 20, bids=5, goals=4)
    result = stability(data)
    winner = int(order_kernel(data.totals)[0])
    base_order = order_kernel(data.totals)
    grid = np.linspace(0, 1, 20_001)
    for j in range(4):
        totals = swept_weights(data.weights, j, grid) @ data.matrix.T
        lo, hi = result.winner_lo[j], result.winner_hi[j]
        assert lo <= data.weights[j] <= hi
        inside = (grid > lo + 1e-6) & (grid < hi - 1e-6)
        outside = (grid < lo - 1e-6) | (grid > hi + 1e-6)
        assert np.all(totals[inside].argmax(axis=1) == winner)
        assert not np.any(totals[outside].argmax(axis=1) == winner)
        rlo, rhi = result.ranking_lo[j], result.ranking_hi[j]
        assert lo <= rlo <= data.weights[j] <= rhi <= hi
        same = np.all(np.diff(totals[:, base_order], axis=1) <= 1e-15, axis=1)
        assert np.all(same[(grid > rlo + 1e-6) & (grid < rhi - 1e-6)])
        assert not np.any(same[(grid < rlo - 1e-6) | (grid > rhi + 1e-6)])
    frame = result.frame()
    assert list(frame.columns)[:3] == ["weight", "winner holds from", "winner holds to"]
    assert "Stability intervals" in result._repr_html_()


# ---------------------------------------------------------------- minimum flip
def _simplex_points(rng: np.random.Generator, w: np.ndarray, n: int) -> np.ndarray:
    """Random weight vectors on the simplex, many of them close to ``w``."""
    far = rng.dirichlet(np.ones(w.size), n)
    near = np.clip(w + rng.normal(0, 0.05, (n, w.size)) * (rng.random((n, 1)) < 0.8), 0, None)
    near /= near.sum(axis=1, keepdims=True)
    return np.vstack([far, near, 0.5 * (w + far)])


@pytest.mark.parametrize("seed", range(8))
def test_min_flip_really_flips_and_random_search_finds_nothing_smaller(seed: int) -> None:
    data = random_case(seed + 40, bids=5, goals=4)
    winner = int(order_kernel(data.totals)[0])
    rng = np.random.default_rng(seed)
    points = _simplex_points(rng, data.weights, 40_000)
    for challenger in range(5):
        if challenger == winner:
            continue
        new, distance = min_flip_kernel(data.matrix, data.weights, challenger, winner)
        gap = data.matrix[challenger] - data.matrix[winner]
        if new is None:
            assert gap.max() < FLIP_MARGIN and distance == np.inf
            continue
        assert np.all(new >= 0) and new.sum() == pytest.approx(1.0)
        totals = data.matrix @ new
        assert totals[challenger] >= totals[winner]  # recomputed: at least a tie
        assert distance == pytest.approx(np.abs(new - data.weights).sum())
        closer = np.abs(points - data.weights).sum(axis=1) < distance * (1 - 1e-6)
        assert not np.any(points[closer] @ gap > 0)
        greedy, greedy_distance = min_flip_kernel(data.matrix, data.weights, challenger, winner, method="greedy")
        assert greedy_distance == pytest.approx(distance, abs=1e-7)
        assert greedy is not None and greedy @ gap >= 0


@pytest.mark.parametrize("seed", range(4))
def test_stacked_min_flip_lp_equals_one_lp_per_challenger(seed: int) -> None:
    data = random_case(seed + 80, bids=12, goals=6)
    winner = int(order_kernel(data.totals)[0])
    stacked = min_flips_kernel(data.matrix, data.weights, winner)
    greedy = min_flips_kernel(data.matrix, data.weights, winner, method="greedy")
    for c, ((new, distance), (_, greedy_distance)) in enumerate(zip(stacked, greedy, strict=True)):
        single_new, single = min_flip_kernel(data.matrix, data.weights, c, winner)
        assert distance == pytest.approx(single, abs=1e-7) and greedy_distance == pytest.approx(single, abs=1e-7)
        if new is not None:
            totals = data.matrix @ new
            assert totals[c] >= totals[winner] and np.all(new >= 0) and new.sum() == pytest.approx(1.0)
        else:
            assert single_new is None


def test_min_flip_when_the_winner_dominates_is_reported_not_raised() -> None:
    data = GoalScores.from_arrays([[0.9, 0.9], [0.5, 0.6]], [0.5, 0.5], labels=["A", "B"])
    result = min_flip(data, "B")
    assert not result.feasible and result.distance == np.inf
    assert "no weights flip it" in result._repr_html_()


def test_min_flip_display() -> None:
    data = GoalScores.from_arrays([[0.9, 0.2, 0.5], [0.4, 0.8, 0.5], [0.1, 0.1, 0.9]], [0.5, 0.3, 0.2],
                                  labels=["A", "B", "C"], goal_names=["price", "fit", "support"])
    table = min_flips(data)
    frame = table.frame()
    assert list(frame.index) == sorted(frame.index, key=lambda c: frame.loc[c, "L1 change"])
    assert set(frame.index) == {"B", "C"}
    flip = min_flip(data, "B")
    assert flip.winner == "A" and set(flip.moves()) <= {"price", "fit", "support"}
    assert flip.frame()["new weight"].sum() == pytest.approx(1.0)
    for display in (table, flip):
        assert display.plot().__class__.__name__.endswith("Axes")
        assert "<table" in display._repr_html_()


@settings(max_examples=80, deadline=None)
@given(
    arrays(np.float64, (4, 3), elements=st.floats(0, 1)),
    arrays(np.float64, 3, elements=st.floats(0, 1)).filter(lambda w: w.sum() > 1e-3),
    st.integers(0, 3),
)
def test_min_flip_distance_is_non_negative_and_zero_when_already_winning(
    matrix: np.ndarray, weights: np.ndarray, challenger: int
) -> None:
    w = weights / weights.sum()
    winner = int(order_kernel(matrix @ w)[0])
    new, distance = min_flip_kernel(matrix, w, challenger, winner)
    assert distance >= 0
    if (matrix[challenger] - matrix[winner]) @ w >= 0:
        assert distance == 0 and new is not None and np.array_equal(new, w)


# ---------------------------------------------------------------- weight ranges
def _region_samples(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray, n: int) -> np.ndarray:
    w = lo + (1 - lo.sum()) * rng.dirichlet(np.ones(lo.size), n)
    inside = w[np.all(w <= hi, axis=1)]
    vertices = [w for w in itertools.product(*zip(lo, hi, strict=True)) if abs(sum(w) - 1) < 1e-12]
    return np.vstack([inside, *[np.array(v)[None, :] for v in vertices]]) if vertices else inside


@pytest.mark.parametrize("seed", range(5))
def test_range_check_agrees_with_dense_sampling(seed: int) -> None:
    data = random_case(seed + 60, bids=4, goals=3)
    lo = np.clip(data.weights - 0.15, 0, 1)
    hi = np.clip(data.weights + 0.15, 0, 1)
    ranges = {f"goal{j + 1}": (lo[j], hi[j]) for j in range(3)}
    result = check_ranges(data, ranges)
    winner = int(order_kernel(data.totals)[0])
    samples = _region_samples(np.random.default_rng(seed), lo, hi, 400_000)
    advantage = samples @ (data.matrix - data.matrix[winner]).T  # samples x bids
    assert np.all(advantage.max(axis=0) <= result.advantage + 1e-12)
    np.testing.assert_allclose(advantage.max(axis=0), result.advantage, atol=2e-3)
    assert result.holds == bool(advantage.max() <= 1e-12) or abs(result.margin) < 2e-3
    if not result.holds:
        w = result.counterexample
        assert w is not None and np.all(w >= lo - 1e-12) and np.all(w <= hi + 1e-12)
        assert w.sum() == pytest.approx(1.0)
        assert (data.matrix @ w).argmax() != winner
    greedy, _ = range_check_kernel(data.matrix, winner, lo, hi, method="greedy")
    np.testing.assert_allclose(greedy, result.advantage, atol=1e-9)
    assert result.committee_inside


def test_price_range_example_holds_and_fails() -> None:
    matrix = np.array([[0.9, 0.5], [0.6, 0.8]])  # price, quality
    data = GoalScores.from_arrays(matrix, [0.35, 0.65], labels=["Cheap", "Good"], goal_ids=["price", "quality"])
    assert data.labels[int(order_kernel(data.totals)[0])] == "Good"
    narrow = check_ranges(data, {"price": (0.30, 0.40), "quality": (0.60, 0.70)})
    assert narrow.holds and narrow.margin > 0 and narrow.counterexample is None
    wide = check_ranges(data, {"price": (0.30, 0.60)})
    assert not wide.holds and wide.worst_rival == "Cheap"
    assert "can lose" in wide._repr_html_()


def test_empty_or_malformed_region_is_a_clear_error() -> None:
    data = random_case(1, bids=3, goals=3)
    with pytest.raises(AnalysisError, match=r"lower ends add up to 1\.2000"):
        check_ranges(data, {"goal1": (0.6, 0.7), "goal2": (0.6, 0.7)})
    with pytest.raises(AnalysisError, match="upper ends"):
        check_ranges(data, {"goal1": (0, 0.2), "goal2": (0, 0.2), "goal3": (0, 0.2)})
    with pytest.raises(AnalysisError, match="fractions"):
        check_ranges(data, {"goal1": (30, 40)})
    with pytest.raises(AnalysisError, match="unknown goal"):
        check_ranges(data, {"speed": (0.1, 0.2)})


# ---------------------------------------------------------------- kernels and wrappers
def test_ranks_share_ties_and_need_two_bids() -> None:
    assert ranks_kernel(np.array([0.5, 0.7, 0.5, 0.1])).tolist() == [2, 1, 2, 4]
    with pytest.raises(AnalysisError, match="two eligible bids"):
        stability(GoalScores.from_arrays([[0.5, 0.5]], [0.5, 0.5]))


def test_goal_scores_validate_every_problem() -> None:
    with pytest.raises(AnalysisError, match="one entry per goal"):
        GoalScores.from_arrays(np.ones((2, 3)), [1, 1])
    with pytest.raises(AnalysisError, match="sum to 0"):
        GoalScores.from_arrays(np.ones((2, 2)), [0, 0])
    with pytest.raises(AnalysisError, match=">= 0"):
        GoalScores.from_arrays(np.ones((2, 2)), [-1, 2])


def card() -> SimpleNamespace:
    """A stand-in with the Scorecard attributes sensitivity reads (docs/CONTRACTS.md)."""
    return SimpleNamespace(
        bid_ids=("a", "b", "c"), labels=("A", "B", "C"), goal_ids=("g1", "g2"), goal_names=("Goal 1", "Goal 2"),
        goal_weights=np.array([0.5, 0.5]), goal_matrix=np.array([[1.0, 1.0], [0.2, 0.9], [0.8, 0.1]]),
        goal_matrix_sd=np.zeros((3, 2)), eligible=np.array([False, True, True]),
    )


def test_wrappers_use_only_eligible_bids_of_a_scorecard() -> None:
    assert stability(card()).winner == "B"  # "A" beats everyone but is knocked out
    assert min_flips(card()).frame().index.tolist() == ["C"]


def test_sweep_display_shows_itself() -> None:
    data = random_case(5)
    result = sweep(data, "goal2")
    frame = result.frame()
    assert list(frame.columns) == ["weight", "overtakes", "overtaken", "order after"]
    frame.loc[1, "weight"] = -1.0  # a copy
    assert result.t[0] != -1.0
    ax = result.plot()
    assert ax.get_xlim() == (0.0, 1.0)
    assert "Sweep of goal2" in result._repr_html_()
    assert stability(data).plot() is not None
    assert check_ranges(data, {"goal1": (0.1, 0.5)}).plot() is not None


def test_with_the_real_scorecard_of_the_shipped_example() -> None:

    score = pytest.importorskip("crmselect.scoring.engine").score

    card = score(load_example(), reveal_prices=False)
    data = GoalScores.from_scorecard(card)
    keep = np.asarray(card.eligible, dtype=bool)
    np.testing.assert_allclose(data.totals, np.asarray(card.totals)[keep], atol=1e-12)
    intervals = stability(card)
    assert card.winner is not None
    assert intervals.winner == card.labels[card.bid_ids.index(card.winner)]
    for j, goal in enumerate(card.goal_ids):  # just past a finite end of the interval, the winner changes
        for end, step in ((intervals.winner_lo[j], -1e-6), (intervals.winner_hi[j], 1e-6)):
            if 0 < end < 1:
                w = swept_weights(data.weights, j, np.array([end + step]))[0]
                moved = card.with_goal_weights(dict(zip(card.goal_ids, w, strict=True)))
                assert moved.winner != card.winner, goal


def test_cli_sensitivity_prints_intervals_flips_and_smaa(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("crmselect.evaluation")
    from crmselect.cli.app import main

    assert main(["sensitivity", str(example_root()), "--samples", "2000", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Stability intervals" in out and "winner holds from" in out
    assert "Smallest change of the weights" in out
    assert "SMAA, 2,000 weight vectors" in out and "rank 1" in out
