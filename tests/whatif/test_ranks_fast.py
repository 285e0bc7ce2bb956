"""Competition ranks of one vector by sorting equal the pairwise count, ties within the tolerance included."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crmselect.whatif.sensitivity_kernels import TIE_TOLERANCE, pairwise_ranks_kernel, ranks_kernel

values = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0.0, 0.5, 1.0, np.nan, np.inf, -np.inf]))


@settings(max_examples=400, deadline=None)
@given(st.lists(values, min_size=1, max_size=40), st.lists(st.sampled_from([0.0, TIE_TOLERANCE / 2, TIE_TOLERANCE,
                                                                               2 * TIE_TOLERANCE]), min_size=40,
                                                            max_size=40))
def test_sorted_ranks_equal_the_pairwise_count(base: list[float], nudges: list[float]) -> None:
    totals = np.array(base) + np.array(nudges[: len(base)])
    fast, plain = ranks_kernel(totals), pairwise_ranks_kernel(totals)
    assert fast.dtype == plain.dtype
    assert np.array_equal(fast, plain), (totals.tolist(), fast.tolist(), plain.tolist())


def test_ties_share_the_best_rank_and_the_next_rank_skips() -> None:
    totals = np.array([0.8, 0.9, 0.8 + TIE_TOLERANCE / 2, 0.7])
    assert ranks_kernel(totals).tolist() == [2, 1, 2, 4]
    stacked = np.stack([totals, totals[::-1]])
    assert ranks_kernel(stacked).tolist() == [[2, 1, 2, 4], [4, 2, 1, 2]]
