"""SMAA: acceptabilities against exact computations, samplers against their definitions, seeds, chunks."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import matplotlib
import numpy as np
import pytest

from crmselect.errors import AnalysisError
from crmselect.whatif.acceptability import (
    ordinal_weights,
    range_weights,
    smaa,
    smaa_kernel,
    stakeholder_wins,
    uniform_weights,
    weights_around,
)
from crmselect.whatif.sensitivity import GoalScores, ranks_kernel

matplotlib.use("Agg")


def within(estimate: np.ndarray, exact: np.ndarray, n: int, sigmas: float = 5.0) -> None:
    """estimate agrees with exact within ``sigmas`` Monte Carlo standard errors (plus a rounding floor)."""
    se = np.sqrt(exact * (1 - exact) / n)
    assert np.all(np.abs(estimate - exact) <= sigmas * se + 1e-12), (estimate, exact)


def exact_two_goal_acceptability(matrix: np.ndarray) -> np.ndarray:
    """With two goals, uniform weights are w = (t, 1 - t), t ~ U(0, 1): integrate the ranks over t exactly."""
    k = matrix.shape[0]
    start, slope = matrix[:, 1], matrix[:, 0] - matrix[:, 1]
    cuts = {0.0, 1.0}
    for a, b in itertools.combinations(range(k), 2):
        if slope[a] != slope[b]:
            t = (start[b] - start[a]) / (slope[a] - slope[b])
            if 0 < t < 1:
                cuts.add(float(t))
    edges = sorted(cuts)
    out = np.zeros((k, k))
    for left, right in itertools.pairwise(edges):
        ranks = ranks_kernel(start + slope * (left + right) / 2)
        out[np.arange(k), ranks - 1] += right - left
    return out


@pytest.mark.parametrize("seed", range(3))
def test_rank_acceptability_matches_the_exact_two_goal_computation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.random((4, 2))
    n = 200_000
    result = smaa(GoalScores.from_arrays(matrix, [0.5, 0.5]), n=n, random_state=seed, pairwise=True)
    exact = exact_two_goal_acceptability(matrix)
    within(result.rank_acceptability, exact, n)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=1), 1.0)
    # pairwise winning probability: P(i beats j) = length of the t-interval where line i is above line j
    for i, j in itertools.permutations(range(4), 2):
        t = np.linspace(0, 1, 200_001)
        exact_pair = np.mean((matrix[i, 1] + (matrix[i, 0] - matrix[i, 1]) * t)
                             > (matrix[j, 1] + (matrix[j, 0] - matrix[j, 1]) * t))
        assert abs(result.pairwise[i, j] - exact_pair) <= 5 * np.sqrt(exact_pair * (1 - exact_pair) / n) + 1e-4


def test_three_bids_two_goals_central_weights_are_interval_midpoints() -> None:
    # t = weight of goal 1.  A = t, B = 0.4 + 0.1 t, C = 0.9 (1 - t): A wins for t > 0.9 / 1.9, C below, B never
    matrix = np.array([[1.0, 0.0], [0.5, 0.4], [0.0, 0.9]])
    n = 300_000
    result = smaa(GoalScores.from_arrays(matrix, [0.5, 0.5], labels=["A", "B", "C"]), n=n, random_state=7)
    exact = exact_two_goal_acceptability(matrix)
    within(result.rank_acceptability, exact, n)
    cut = 0.9 / 1.9
    assert exact[0, 0] == pytest.approx(1 - cut) and exact[2, 0] == pytest.approx(cut) and exact[1, 0] == 0
    assert result.central_weights[0, 0] == pytest.approx((1 + cut) / 2, abs=3e-3)
    assert result.central_weights[2, 0] == pytest.approx(cut / 2, abs=3e-3)
    np.testing.assert_allclose(result.central_weights[[0, 2]].sum(axis=1), 1.0)
    assert np.isnan(result.central_weights[1]).all() and np.isnan(result.confidence[1])
    assert result.confidence[0] == 1.0 and result.confidence[2] == 1.0


def test_vanishing_spread_reproduces_the_base_ranking() -> None:
    rng = np.random.default_rng(3)
    data = GoalScores.from_arrays(rng.random((6, 4)), rng.dirichlet(np.ones(4)))
    base = ranks_kernel(data.totals)
    for spread in (0.0, 1e-7):
        result = smaa(data, n=2_000, spread=spread, random_state=1)
        expected = np.zeros((6, 6))
        expected[np.arange(6), base - 1] = 1.0
        np.testing.assert_array_equal(result.rank_acceptability, expected)
        assert result.base_ranks.tolist() == base.tolist()


def test_same_seed_same_numbers_and_another_seed_other_numbers() -> None:
    rng = np.random.default_rng(0)
    data = GoalScores.from_arrays(rng.random((5, 3)), [0.5, 0.3, 0.2], sd=np.full((5, 3), 0.05))
    kwargs = {"n": 20_000, "uncertain_scores": True, "chunk_size": 3_000, "pairwise": True}
    a, b = smaa(data, random_state=42, **kwargs), smaa(data, random_state=42, **kwargs)
    c = smaa(data, random_state=43, **kwargs)
    for name in ("rank_acceptability", "pairwise", "confidence", "central_weights"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.rank_acceptability, c.rank_acceptability)


def test_chunks_and_progress() -> None:
    rng = np.random.default_rng(1)
    data = GoalScores.from_arrays(rng.random((4, 3)), [1, 1, 1])
    calls: list[tuple[int, int]] = []
    result = smaa(data, n=10_000, chunk_size=3_000, random_state=0, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(3_000, 10_000), (6_000, 10_000), (9_000, 10_000), (10_000, 10_000)]
    whole = smaa(data, n=10_000, chunk_size=10_000, random_state=5)
    within(result.rank_acceptability, whole.rank_acceptability, 10_000, sigmas=6)


def test_standard_errors_follow_the_binomial_formula() -> None:
    rng = np.random.default_rng(2)
    result = smaa(GoalScores.from_arrays(rng.random((4, 3)), [1, 1, 1]), n=5_000, random_state=0, pairwise=True)
    p = result.rank_acceptability
    np.testing.assert_allclose(result.rank_acceptability_se, np.sqrt(p * (1 - p) / 5_000))
    off = ~np.eye(4, dtype=bool)
    np.testing.assert_allclose((result.pairwise + result.pairwise.T)[off], 1.0)


# ---------------------------------------------------------------- weight models
def test_uniform_weights_are_dirichlet_one() -> None:
    w = uniform_weights(4).sample(np.random.default_rng(0), 200_000)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert np.abs(w.mean(axis=0) - 0.25).max() < 0.003
    assert np.abs(w.var(axis=0) - 3 / 80).max() < 0.001  # Dirichlet(1,1,1,1): var = (1 * 3) / (16 * 5)


def test_ordinal_weights_equal_rejection_from_uniform() -> None:
    statements = [(0, 1), (0, 2), (3, 2)]  # w0 >= w1, w0 >= w2, w3 >= w2: a partial order, not a chain
    rng = np.random.default_rng(0)
    direct = ordinal_weights(4, statements).sample(rng, 100_000)
    for a, b in statements:
        assert np.all(direct[:, a] >= direct[:, b])
    pool = uniform_weights(4).sample(rng, 1_500_000)
    keep = np.all([pool[:, a] >= pool[:, b] for a, b in statements], axis=0)
    rejected = pool[keep]
    se = np.sqrt(direct.var(axis=0) / len(direct) + rejected.var(axis=0) / len(rejected))
    assert np.all(np.abs(direct.mean(axis=0) - rejected.mean(axis=0)) < 5 * se)
    # the share of each goal order matches too: P(w1 >= w3)
    share = lambda w: np.mean(w[:, 1] >= w[:, 3])  # noqa: E731
    assert abs(share(direct) - share(rejected)) < 0.01


def test_ordinal_statements_by_goal_name_and_contradictions() -> None:
    data = GoalScores.from_arrays(np.random.default_rng(0).random((3, 3)), [1, 1, 1],
                                  goal_ids=["price", "fit", "support"])
    result = smaa(data, n=1_000, order=["price >= fit", ("fit", "support")], random_state=0)
    assert result.weight_model.startswith("ordinal")
    with pytest.raises(AnalysisError, match="cycle"):
        smaa(data, n=10, order=["price >= fit", "fit >= price"])
    with pytest.raises(AnalysisError, match="reads 'goal_a >= goal_b'"):
        smaa(data, n=10, order=["price > fit"])
    with pytest.raises(AnalysisError, match="one weight model"):
        smaa(data, n=10, order=["price >= fit"], spread=0.1)


def test_range_weights_stay_in_range_are_uniform_and_report_acceptance() -> None:
    lo, hi = np.array([0.3, 0.1, 0.0]), np.array([0.4, 0.6, 1.0])
    model = range_weights(lo, hi)
    rng = np.random.default_rng(0)
    w = model.sample(rng, 100_000)
    assert w.shape == (100_000, 3)
    assert np.all(w >= lo - 1e-12) and np.all(w <= hi + 1e-12)
    np.testing.assert_allclose(w.sum(axis=1), 1.0)
    assert model.acceptance_rate is not None and 0 < model.acceptance_rate < 1
    pool = uniform_weights(3).sample(rng, 3_000_000)
    rejected = pool[np.all((pool >= lo) & (pool <= hi), axis=1)]
    se = np.sqrt(w.var(axis=0) / len(w) + rejected.var(axis=0) / len(rejected))
    assert np.all(np.abs(w.mean(axis=0) - rejected.mean(axis=0)) < 5 * se)
    with pytest.raises(AnalysisError, match="lower ends add up"):
        range_weights([0.6, 0.6], [1, 1])
    with pytest.raises(AnalysisError, match="widen the ranges"):
        range_weights([0.0] * 8, [0.125 + 1e-4] * 8).sample(rng, 1_000)


def test_weights_around_have_the_documented_spread() -> None:
    w0 = np.array([0.5, 0.3, 0.2, 0.0])
    w = weights_around(w0, 0.1).sample(np.random.default_rng(0), 200_000)
    assert np.all(w[:, 3] == 0)
    np.testing.assert_allclose(w.mean(axis=0), w0, atol=1e-3)
    np.testing.assert_allclose(w.std(axis=0), 0.1 * np.sqrt(w0 * (1 - w0)), rtol=0.02, atol=1e-12)
    with pytest.raises(AnalysisError, match="spread"):
        weights_around(w0, 1.0)


# ---------------------------------------------------------------- uncertain scores
def test_unclipped_closed_form_matches_clipped_sampling_away_from_the_bounds() -> None:
    rng = np.random.default_rng(4)
    data = GoalScores.from_arrays(0.4 + 0.2 * rng.random((4, 3)), [0.4, 0.4, 0.2], sd=np.full((4, 3), 0.03))
    n = 100_000
    clipped = smaa(data, n=n, spread=0.05, uncertain_scores=True, random_state=1)
    closed = smaa(data, n=n, spread=0.05, uncertain_scores=True, clip=False, random_state=2)
    assert np.all(np.abs(clipped.rank_acceptability - closed.rank_acceptability)
                  <= 6 * np.sqrt(2 * closed.rank_acceptability * (1 - closed.rank_acceptability) / n) + 1e-3)
    assert clipped.uncertain_scores and np.all(clipped.confidence[~np.isnan(clipped.confidence)] >= 0)


@pytest.mark.parametrize("layout", ["mixed", "all near the bounds", "none near the bounds"])
def test_uncertain_scores_match_brute_force_clipped_sampling(layout: str) -> None:
    rng = np.random.default_rng(9)
    matrix = {"mixed": np.array([[0.02, 0.5, 0.97], [0.5, 0.45, 0.55], [0.9, 0.1, 0.5], [0.3, 0.6, 0.4]]),
              "all near the bounds": np.array([[0.02, 0.98, 0.03], [0.05, 0.97, 0.01], [0.01, 0.99, 0.04]]),
              "none near the bounds": np.array([[0.5, 0.45, 0.55], [0.48, 0.52, 0.5], [0.55, 0.5, 0.45]])}[layout]
    sd = np.full(matrix.shape, 0.03)
    sd[0, 1] = 0.0  # a score the committee agreed on
    w = np.array([0.3, 0.3, 0.4])
    n = 100_000
    result = smaa(GoalScores.from_arrays(matrix, w, sd=sd), n=n, spread=0.0, uncertain_scores=True, random_state=3)
    noisy = np.clip(matrix + sd * rng.standard_normal((n, *matrix.shape)), 0, 1)  # the definition, brute force
    ranks = ranks_kernel(noisy @ w)
    reference = np.stack([(ranks == r).mean(axis=0) for r in range(1, matrix.shape[0] + 1)], axis=1)
    tolerance = 6 * np.sqrt(2 * reference * (1 - reference) / n) + 1e-4
    assert np.all(np.abs(result.rank_acceptability - reference) <= tolerance)


def test_zero_spread_scores_are_certain() -> None:
    data = GoalScores.from_arrays(np.random.default_rng(0).random((3, 2)), [1, 1])
    result = smaa(data, n=1_000, uncertain_scores=True, random_state=0)
    assert not result.uncertain_scores and np.all(result.confidence_se == 0)


def test_kernel_counts_add_up() -> None:
    rng = np.random.default_rng(0)
    matrix = rng.random((5, 3))
    counts = smaa_kernel(matrix, uniform_weights(3), 7_777, chunk_size=1_000, rng=rng, pairwise=True)
    assert counts.rank_counts.sum() == 5 * 7_777
    assert np.all(counts.rank_counts.sum(axis=1) == 7_777)
    assert counts.pair_counts is not None
    assert counts.pair_counts.shape == (5, 5) and np.all(np.diag(counts.pair_counts) == 0)


# ---------------------------------------------------------------- stakeholder views and displays
def test_stakeholder_views_rank_and_count_wins() -> None:
    data = GoalScores.from_arrays([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]], [0.5, 0.5], labels=["A", "B", "C"],
                                  goal_ids=["price", "fit"])
    views = {"finance": {"price": 3, "fit": 1}, "sales": {"fit": 1, "price": 0}, "it": [0.6, 0.4]}
    result = stakeholder_wins(data, views)
    assert result.frame()["winner"].tolist() == ["A", "B", "A"]
    assert result.wins.to_dict() == pytest.approx({"A": 2 / 3, "B": 1 / 3, "C": 0.0})
    assert "disagree" in result._repr_html_()
    blurred = stakeholder_wins(data, views, spread=0.2, n=5_000, random_state=0)
    frame = blurred.probability_frame()
    assert frame is not None and frame.loc["finance", "A"] > 0.9
    np.testing.assert_allclose(frame.sum(axis=1), 1.0)
    with pytest.raises(AnalysisError, match="unknown goal"):
        stakeholder_wins(data, {"x": {"speed": 1}})
    with pytest.raises(AnalysisError, match="leaves out price"):
        stakeholder_wins(data, {"sales": {"fit": 1}})
    # as in views.compare_views: a goal a view leaves out keeps the committee's points
    sales = SimpleNamespace(name="sales", weights={"fit": 30})
    filled = stakeholder_wins(data, [sales], points={"price": 10, "fit": 5})
    np.testing.assert_allclose(filled.weights[0], [0.25, 0.75])
    assert filled.frame().index.tolist() == ["sales"]
    assert stakeholder_wins(data, [[1, 0], [0, 1]]).frame().index.tolist() == ["view 1", "view 2"]


def test_smaa_result_shows_itself() -> None:
    rng = np.random.default_rng(0)
    data = GoalScores.from_arrays(rng.random((4, 3)), [1, 1, 1], labels=["A", "B", "C", "D"])
    result = smaa(data, n=2_000, random_state=0)
    frame = result.frame()
    assert list(frame.columns[:4]) == ["rank 1", "rank 2", "rank 3", "rank 4"]
    frame.iloc[0, 0] = 9.0
    assert result.rank_acceptability[0, 0] != 9.0  # frame() is a copy
    html = result._repr_html_()
    assert "SMAA rank acceptability" in html and "2,000 samples" in html
    for kind in ("acceptability", "central"):
        assert result.plot(kind).__class__.__name__.endswith("Axes")
    with pytest.raises(AnalysisError, match=r"pairwise=True"):  # pairwise wins are counted only when asked for
        result.plot("pairwise")
    assert smaa(data, n=2_000, random_state=0, pairwise=True).plot("pairwise").__class__.__name__.endswith("Axes")
    assert stakeholder_wins(data, {"v": [1, 0, 0]}).plot() is not None
