"""The SMAA kernel's sorted path (one integer-key sort and one bincount per chunk) counts exactly what the
plain path (every pair of totals compared) counts: the same arrays, bit for bit, ties included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmselect.whatif.acceptability import (
    SmaaCounts,
    WeightModel,
    _descending_order,
    smaa,
    smaa_kernel,
    uniform_weights,
    weights_around,
)
from crmselect.whatif.sensitivity import GoalScores

FIELDS = ("rank_counts", "pair_counts", "central_sum", "confidence_counts", "central_weights")


def _same(a: SmaaCounts, b: SmaaCounts) -> None:
    for name in FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape and x.tobytes() == y.tobytes(), name


@st.composite
def matrices(draw: st.DrawFn) -> np.ndarray:
    bids = draw(st.integers(1, 12))
    goals = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    kind = draw(st.sampled_from(["continuous", "coarse", "duplicated", "shifted", "large"]))
    matrix = rng.random((bids, goals))
    if kind == "coarse":  # many exact ties between totals
        matrix = np.round(matrix, 1)
    elif kind == "duplicated":  # identical bids tie in every sample
        matrix[bids // 2:] = matrix[: bids - bids // 2]
    elif kind == "shifted":  # negative totals
        matrix -= 0.6
    elif kind == "large":  # too large for the integer keys: the argsort fallback
        matrix *= 1e6
    return matrix


@settings(max_examples=80, deadline=None)
@given(matrices(), st.integers(1, 3_000), st.sampled_from([None, 257, 1_000]), st.integers(0, 10**6),
       st.booleans())
def test_sorted_and_plain_counts_are_identical(matrix: np.ndarray, n: int, chunk: int | None, seed: int,
                                               around: bool) -> None:
    goals = matrix.shape[1]
    def model() -> WeightModel:
        return weights_around(np.arange(1.0, goals + 1), 0.3) if around else uniform_weights(goals)

    fast = smaa_kernel(matrix, model(), n, chunk_size=chunk, rng=np.random.default_rng(seed), pairwise=True)
    plain = smaa_kernel(matrix, model(), n, chunk_size=chunk, rng=np.random.default_rng(seed), exact=True,
                        pairwise=True)
    _same(fast, plain)


@settings(max_examples=25, deadline=None)
@given(matrices(), st.integers(0, 10**6), st.booleans())
def test_sorted_and_plain_counts_agree_with_uncertain_scores(matrix: np.ndarray, seed: int, clip: bool) -> None:
    sd = np.random.default_rng(seed).uniform(0.0, 0.2, matrix.shape)
    counts = [smaa_kernel(matrix, uniform_weights(matrix.shape[1]), 1_500, sd=sd, clip=clip, chunk_size=500,
                          confidence_samples=700, rng=np.random.default_rng(seed), exact=exact, pairwise=True)
              for exact in (False, True)]
    fast, plain = counts
    _same(fast, plain)


def test_a_million_samples_on_twenty_bids_count_the_same_both_ways() -> None:
    matrix = np.random.default_rng(7).random((20, 10))
    fast = smaa_kernel(matrix, uniform_weights(10), 200_000, rng=np.random.default_rng(0), pairwise=True)
    plain = smaa_kernel(matrix, uniform_weights(10), 200_000, rng=np.random.default_rng(0), exact=True,
                        pairwise=True)
    _same(fast, plain)
    assert fast.rank_counts.sum() == 200_000 * 20


@pytest.mark.parametrize("shift", [0.0, -0.5])
def test_the_key_order_is_the_order_of_the_totals(shift: float) -> None:
    totals = np.random.default_rng(3).random((1_000, 37)) + shift
    order = _descending_order(totals)
    assert order is not None
    np.testing.assert_array_equal(order, np.argsort(-totals, axis=1, kind="stable"))
    assert _descending_order(totals * 1e9) is None  # too large for the keys: the caller sorts indices


def test_the_public_result_is_unchanged_by_the_sorted_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import crmselect.whatif.acceptability as acceptability

    rng = np.random.default_rng(11)
    data = GoalScores.from_arrays(rng.random((6, 4)), rng.dirichlet(np.ones(4)), sd=rng.uniform(0, 0.05, (6, 4)))
    fast = smaa(data, n=20_000, uncertain_scores=True, random_state=5, pairwise=True)
    monkeypatch.setattr(acceptability, "_tally_sorted", acceptability._tally_exact)
    plain = smaa(data, n=20_000, uncertain_scores=True, random_state=5, pairwise=True)
    for name in ("rank_acceptability", "pairwise", "central_weights", "confidence"):
        assert getattr(fast, name).tobytes() == getattr(plain, name).tobytes(), name
