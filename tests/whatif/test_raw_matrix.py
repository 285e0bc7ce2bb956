"""``GoalScores.from_raw``: a raw decision matrix scaled by min-max and ranked, as the peer libraries do it, and the
quick validation of ``GoalScores.from_arrays`` pinned to the full one."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from crmselect.errors import AnalysisError
from crmselect.whatif import GoalScores
from crmselect.whatif.sensitivity_kernels import pairwise_ranks_kernel


def test_a_worked_example_by_hand() -> None:
    """Four phones: price (lower is better), storage, camera; weights 0.5 / 0.3 / 0.2.

    Price spans 200..300, so (300 - x) / 100 = 0.5, 1, 0, 0.25; storage 16..32 gives 0, 0, 1, 1; camera 8..16
    gives 0.5, 0, 1, 0.  Totals: 0.35, 0.5, 0.5, 0.425, so B and C share rank 1, then D, then A."""
    data = GoalScores.from_raw([[250, 16, 12], [200, 16, 8], [300, 32, 16], [275, 32, 8]], [5, 3, 2],
                               lower_is_better=[True, False, False], bid_ids=["A", "B", "C", "D"])
    assert data.matrix.tolist() == [[0.5, 0, 0.5], [1, 0, 0], [0, 1, 1], [0.25, 1, 0]]
    assert data.weights.tolist() == [0.5, 0.3, 0.2]
    assert np.allclose(data.totals, [0.35, 0.5, 0.5, 0.425], atol=1e-15)
    assert data.ranks.tolist() == [4, 1, 1, 3]
    assert data.bid_ids == ("A", "B", "C", "D") and data.goal_ids == ("goal1", "goal2", "goal3")


matrices = st.tuples(st.integers(1, 6), st.integers(1, 5)).flatmap(
    lambda shape: arrays(np.float64, shape, elements=st.one_of(
        st.floats(-1e6, 1e6, allow_subnormal=False), st.sampled_from([0.0, 1.0, 7.0]))))


@given(matrices, st.data())
def test_scaling_is_the_textbook_min_max_to_the_last_bit(matrix: np.ndarray, data: st.DataObject) -> None:
    m = matrix.shape[1]
    weights = np.array(data.draw(st.lists(st.floats(0.01, 10), min_size=m, max_size=m)))
    flip = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)))
    before = matrix.copy()
    scaled = GoalScores.from_raw(matrix, weights, lower_is_better=flip)
    assert np.array_equal(matrix, before)  # the caller's matrix is left alone
    for j in range(m):
        low, high = matrix[:, j].min(), matrix[:, j].max()
        span = high - low if high > low else 1.0
        expected = (high - matrix[:, j]) / span if flip[j] else (matrix[:, j] - low) / span
        assert np.array_equal(scaled.matrix[:, j], expected), j
    assert scaled.matrix.min() >= 0 and scaled.matrix.max() <= 1
    assert np.array_equal(scaled.ranks, pairwise_ranks_kernel(scaled.totals))
    plain = GoalScores.from_arrays(scaled.matrix, weights)
    assert np.array_equal(plain.totals, scaled.totals) and np.array_equal(plain.ranks, scaled.ranks)


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(AnalysisError) as caught:
        GoalScores.from_raw([[1.0, math.nan], [2.0, 3.0]], [1.0, -1.0, 2.0], lower_is_better=[True])
    text = str(caught.value)
    assert "NaN or infinite values in column(s) [1]" in text
    assert "weights must have one entry per criterion (2); received shape (3,)" in text
    assert "lower_is_better must have one entry per criterion (2); received shape (1,)" in text
    assert "goal weights must be finite and >= 0; received [1.0, -1.0, 2.0]" in text
    with pytest.raises(AnalysisError, match=r"not empty; received shape \(0, 3\)"):
        GoalScores.from_raw(np.empty((0, 3)), [1, 1, 1])
    with pytest.raises(AnalysisError, match="2-D"):
        GoalScores.from_raw([1.0, 2.0], [1.0])
    with pytest.raises(AnalysisError, match=r"column\(s\) \[0\]"):
        GoalScores.from_raw([[math.inf], [1.0]], [1.0])


def _full_check(g: np.ndarray, w: np.ndarray) -> bool:
    """The validation as it was written before the quick paths: True when the input is refused."""
    return bool(not np.all(np.isfinite(g)) or not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0)


values = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, -1e308, 0.0]))


@given(st.integers(1, 4), st.integers(1, 4), st.data())
def test_quick_validation_refuses_exactly_what_the_full_one_does(k: int, m: int, data: st.DataObject) -> None:
    g = data.draw(arrays(np.float64, (k, m), elements=values))
    # weights large enough for their sum to overflow are left out: normalising them was never defined
    w = data.draw(arrays(np.float64, (m,), elements=st.one_of(st.floats(-1e300, 1e300), st.sampled_from(
        [math.nan, math.inf, -math.inf, 0.0]))))
    refused = _full_check(g, w)
    if refused:
        with pytest.raises(AnalysisError):
            GoalScores.from_arrays(g, w)
    else:
        GoalScores.from_arrays(g, w)
