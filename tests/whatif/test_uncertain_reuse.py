"""Clipped uncertain scores with each sampled score matrix shared by several weight vectors (``score_reuse``):
the shared design agrees with the brute-force one (a fresh score draw per weight vector) within their standard
errors, its batch-means standard errors are honest, and the fast paths are pinned to the plain ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import load_example

import crmselect.whatif.acceptability as acceptability
from crmselect.errors import AnalysisError
from crmselect.show.i18n import using
from crmselect.whatif.acceptability import (
    _GroupMoments,
    _tally_exact,
    _tally_sorted,
    default_score_reuse,
    smaa,
    smaa_kernel,
    uniform_weights,
    weights_around,
)
from crmselect.whatif.sensitivity import GoalScores
from crmselect.whatif.sensitivity_kernels import TIE_TOLERANCE
from crmselect.whatif.smaa_sampling import ScoreNoise

NEAR_BOUNDS = np.array([[0.05, 0.9, 0.5, 0.97], [0.1, 0.95, 0.45, 0.9], [0.02, 0.85, 0.55, 0.99],
                        [0.08, 0.92, 0.5, 0.93], [0.04, 0.88, 0.52, 0.96]])


def _data(sd: float = 0.1) -> GoalScores:
    return GoalScores.from_arrays(NEAR_BOUNDS, [0.25, 0.25, 0.25, 0.25], sd=np.full(NEAR_BOUNDS.shape, sd))


# ---------------------------------------------------------------- the design against brute force
@pytest.mark.parametrize("reuse", [None, 16])
def test_shared_design_agrees_with_brute_force_within_standard_errors(reuse: int | None) -> None:
    n = 60_000
    brute = smaa(_data(), n=n, uncertain_scores=True, score_reuse=1, random_state=1, pairwise=True)
    shared = smaa(_data(), n=n, uncertain_scores=True, score_reuse=reuse, random_state=2, pairwise=True)
    assert brute.score_reuse == 1 and shared.score_reuse == (reuse or default_score_reuse(5)) > 1
    for mine, theirs, mine_se, theirs_se in (
        (shared.rank_acceptability, brute.rank_acceptability, shared.rank_acceptability_se,
         brute.rank_acceptability_se),
        (shared.pairwise, brute.pairwise, shared.pairwise_se, brute.pairwise_se),
    ):
        assert mine is not None and theirs is not None
        tolerance = 5 * np.sqrt(mine_se**2 + theirs_se**2) + 1e-4
        assert np.all(np.abs(mine - theirs) <= tolerance)
    # brute force keeps the binomial standard error; the shared design reports its own (batch means)
    p = brute.rank_acceptability
    np.testing.assert_allclose(brute.rank_acceptability_se, np.sqrt(p * (1 - p) / n))
    assert shared.batch_rank_se is not None and brute.batch_rank_se is None


def test_batch_means_standard_errors_are_honest_when_score_noise_dominates() -> None:
    """Replicate the shared design: the spread of its estimates across seeds matches the standard error it
    reports, which is well above sqrt(p(1-p)/n) because the weight vectors of a group share their scores."""
    data = _data(sd=0.15)
    n, reps = 3_000, 60
    runs = [smaa(data, n=n, spread=0.02, uncertain_scores=True, score_reuse=10, random_state=seed)
            for seed in range(reps)]
    shares = np.array([r.rank_acceptability for r in runs])
    reported = np.mean([r.rank_acceptability_se for r in runs], axis=0)
    empirical = shares.std(axis=0, ddof=1)
    p = shares.mean(axis=0)
    seen = (p > 0.1) & (p < 0.9)
    assert seen.sum() >= 4
    # pooled over the shares: one share's sd over 60 replicates is itself uncertain by about 9 %
    pooled = np.sqrt(np.mean(empirical[seen] ** 2) / np.mean(reported[seen] ** 2))
    assert 0.85 <= pooled <= 1.15
    binomial = np.sqrt(p[seen] * (1 - p[seen]) / n)
    assert np.all(reported[seen] > 1.5 * binomial)  # the naive formula would understate the spread
    assert np.sqrt(np.mean(empirical[seen] ** 2) / np.mean(binomial**2)) > 1.5


# ---------------------------------------------------------------- batch means by hand
def test_batch_means_by_hand() -> None:
    # 2 bids, 6 samples in groups of 3: bid 0 first in samples 0, 1 (group 0) and 5 (group 1)
    totals = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.7], [0.2, 0.6], [0.3, 0.5], [0.6, 0.4]])
    moments = _GroupMoments(2, pairwise=True)
    moments.add(totals, 3)
    rank_counts = np.array([[3, 3], [3, 3]])
    se = moments.rank_se(rank_counts, 6)
    # group counts of "bid 0 first": 2 and 1, p = 1/2: G/(G-1) * ((2 - 1.5)^2 + (1 - 1.5)^2) / 6^2 = 2 * 0.5 / 36
    np.testing.assert_allclose(se, np.full((2, 2), np.sqrt(2 * 0.5 / 36)))
    pair_counts = np.array([[0, 3], [3, 0]])
    pair_se = moments.pair_se(pair_counts, 6)
    assert pair_se is not None
    np.testing.assert_allclose(pair_se, [[0.0, np.sqrt(1 / 36)], [np.sqrt(1 / 36), 0.0]])


def test_one_sample_per_group_gives_the_binomial_formula() -> None:
    totals = np.random.default_rng(3).random((5_000, 4))
    moments = _GroupMoments(4, pairwise=False)
    moments.add(totals[:2_000], 1)
    moments.add(totals[2_000:], 1)
    order = np.argsort(-totals, axis=1)
    counts = np.zeros((4, 4), dtype=np.int64)
    np.add.at(counts, (order, np.broadcast_to(np.arange(4), order.shape)), 1)
    p = counts / 5_000
    np.testing.assert_allclose(moments.rank_se(counts, 5_000), np.sqrt(p * (1 - p) / 4_999))
    assert moments.pair_se(None, 5_000) is None


def test_score_reuse_must_be_positive() -> None:
    with pytest.raises(AnalysisError, match=r"score_reuse must be at least 1.*received 0"):
        smaa(_data(), n=100, uncertain_scores=True, score_reuse=0)


# ---------------------------------------------------------------- fast paths pinned to the plain ones
@settings(max_examples=30, deadline=None)
@given(st.integers(1, 6), st.integers(1, 5), st.integers(1, 70), st.integers(1, 9), st.integers(0, 10**6),
       st.floats(0.0, 0.3))
def test_shared_totals_are_each_rows_score_draw_times_its_weights(bids: int, goals: int, c: int, reuse: int,
                                                                 seed: int, far: float) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.random((bids, goals))
    matrix[:, 0] = 0.5 * far + 0.3  # some scores far from the bounds: their noise is in the closed form
    sd = rng.uniform(0.0, 0.2, (bids, goals))
    sd[:, 0] = 0.01
    noise = ScoreNoise(matrix, sd, clip=True)
    w = uniform_weights(goals).sample(rng, c)
    fast = noise.shared_totals(w, np.random.default_rng(seed), reuse)
    plain_rng = np.random.default_rng(seed)
    groups = -(-c // reuse)
    noisy = noise._noisy(plain_rng, groups)
    if noisy is None:
        plain = noise.totals(w, plain_rng)
    else:
        plain = np.stack([noisy[s // reuse].astype(np.float64) @ w[s].astype(np.float32).astype(np.float64)
                          for s in range(c)])
        if noise.has_linear:
            plain += np.sqrt((w * w) @ noise.linear_var.T) * plain_rng.standard_normal(plain.shape)
    np.testing.assert_allclose(fast, plain, rtol=2e-6, atol=2e-6)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 8), st.integers(1, 4), st.integers(1, 2_000), st.integers(0, 10**6), st.integers(1, 20),
       st.sampled_from(["certain", "closed form", "far from the bounds"]))
def test_score_reuse_changes_nothing_where_no_score_is_sampled(bids: int, goals: int, n: int, seed: int,
                                                               reuse: int, kind: str) -> None:
    rng = np.random.default_rng(seed)
    matrix = 0.3 + 0.4 * rng.random((bids, goals))
    sd = None if kind == "certain" else np.full((bids, goals), 0.01)
    clip = kind != "closed form"
    runs = [smaa_kernel(matrix, uniform_weights(goals), n, sd=sd, clip=clip, rng=np.random.default_rng(seed),
                        score_reuse=r, chunk_size=300, confidence_samples=500, pairwise=True) for r in (1, reuse)]
    for name in ("rank_counts", "pair_counts", "central_sum", "confidence_counts", "central_weights"):
        assert getattr(runs[0], name).tobytes() == getattr(runs[1], name).tobytes(), name
    assert runs[1].score_reuse == 1 and runs[1].rank_se is None


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 9), st.integers(1, 3_000), st.integers(0, 10**6), st.booleans())
def test_pairwise_wins_only_when_asked_and_nothing_else_moves(bids: int, n: int, seed: int, uncertain: bool) -> None:
    rng = np.random.default_rng(seed)
    matrix = rng.random((bids, 3))
    sd = rng.uniform(0.0, 0.2, (bids, 3)) if uncertain else None
    kwargs = {"sd": sd, "chunk_size": 700, "confidence_samples": 300}
    without = smaa_kernel(matrix, weights_around([3.0, 2.0, 1.0], 0.3), n, rng=np.random.default_rng(seed), **kwargs)
    with_pairs = smaa_kernel(matrix, weights_around([3.0, 2.0, 1.0], 0.3), n, rng=np.random.default_rng(seed),
                             pairwise=True, **kwargs)
    assert without.pair_counts is None and with_pairs.pair_counts is not None
    for name in ("rank_counts", "central_sum", "confidence_counts", "central_weights"):
        assert getattr(without, name).tobytes() == getattr(with_pairs, name).tobytes(), name


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 12), st.integers(1, 300), st.integers(0, 10**6),
       st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0]), min_size=1, max_size=6),
       st.sampled_from([0.0, 0.7, 1e3]))
def test_sorted_tally_counts_near_ties_as_the_plain_one(bids: int, c: int, seed: int, gaps: list[float],
                                                        base: float) -> None:
    """Totals a few tolerances apart (the keys' gap test is stricter than the plain one): same counts."""
    rng = np.random.default_rng(seed)
    totals = base + rng.random((c, bids))
    steps = np.array(gaps) * TIE_TOLERANCE
    picks = rng.integers(0, bids, (c, 2))
    totals[np.arange(c), picks[:, 1]] = totals[np.arange(c), picks[:, 0]] + rng.choice(steps, c)
    k = bids
    offsets = np.arange(k)
    fast = (np.zeros(k * k, dtype=np.int64), np.zeros(k * k, dtype=np.int64))
    plain = (np.zeros(k * k, dtype=np.int64), np.zeros(k * k, dtype=np.int64))
    firsts_fast = _tally_sorted(totals, *fast, offsets)
    firsts_plain = _tally_exact(totals, *plain, offsets)
    assert firsts_fast.tobytes() == firsts_plain.tobytes()
    assert all(a.tobytes() == b.tobytes() for a, b in zip(fast, plain, strict=True))


def test_tallying_in_blocks_counts_as_one_chunk(monkeypatch: pytest.MonkeyPatch) -> None:
    matrix = np.round(np.random.default_rng(5).random((9, 3)), 1)  # exact ties in many samples
    whole = smaa_kernel(matrix, uniform_weights(3), 20_000, chunk_size=5_000, rng=np.random.default_rng(1),
                        pairwise=True)
    monkeypatch.setattr(acceptability, "_TALLY_BLOCK", 37)
    blocks = smaa_kernel(matrix, uniform_weights(3), 20_000, chunk_size=5_000, rng=np.random.default_rng(1),
                         pairwise=True)
    for name in ("rank_counts", "pair_counts", "central_sum", "confidence_counts", "central_weights"):
        assert getattr(whole, name).tobytes() == getattr(blocks, name).tobytes(), name


# ---------------------------------------------------------------- the committee's path
def test_the_example_committee_disagreement_through_smaa_in_both_languages() -> None:
    """The shipped example's member scores -> scorecard -> SMAA with their disagreement as score uncertainty:
    the shared design agrees with brute force, and the result says how its standard errors were made."""
    from crmselect.scoring.engine import score

    card = score(load_example(), reveal_prices=False)
    n = 40_000
    shared = smaa(card, n=n, uncertain_scores=True, random_state=3)
    brute = smaa(card, n=n, uncertain_scores=True, score_reuse=1, random_state=4)
    assert shared.score_reuse == default_score_reuse(len(shared.labels)) > 1
    tolerance = 5 * np.sqrt(shared.rank_acceptability_se**2 + brute.rank_acceptability_se**2) + 1e-4
    assert np.all(np.abs(shared.rank_acceptability - brute.rank_acceptability) <= tolerance)
    reuse = str(shared.score_reuse)
    assert f"served {reuse} weight vectors; standard errors by batch means" in shared._repr_html_()
    assert "sqrt(p(1-p)/n)" in brute._repr_html_()
    with using("zh-CN"):
        html = shared._repr_html_()
    assert "batch means" not in html and reuse in html
