"""The pure maths of :mod:`crmselect.scoring.engine`: goal matrix, totals and ranks on ndarrays, no validation.

``goal_matrix = criterion_values @ share.T`` and ``totals = goal_matrix @ goal_weights``: the
identity every analysis rests on.  The kernels trust their input (ARCHITECTURE.md habit 2);
:mod:`crmselect.scoring.engine` re-exports every public name of this module.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]
TIE_TOLERANCE = 1e-9
OUT = "out"


# ---------------------------------------------------------------- kernels
def goal_matrix_kernel(criterion_values: FloatArray, share: FloatArray) -> FloatArray:
    """Goal scores (bids x goals): the points-weighted mean of each goal's criterion values."""
    return criterion_values @ share.T


def goal_sd_kernel(criterion_sd: FloatArray, share: FloatArray) -> FloatArray:
    """Spread of each goal score, treating the criteria's spreads as independent."""
    return np.sqrt((criterion_sd**2) @ (share**2).T)


def totals_kernel(goal_matrix: FloatArray, goal_weights: FloatArray) -> FloatArray:
    """Totals = goal_matrix @ goal_weights (the identity every analysis rests on)."""
    return goal_matrix @ goal_weights


def rank_kernel(totals: FloatArray, eligible: BoolArray, tolerance: float = TIE_TOLERANCE) -> FloatArray:
    """Competition ranks among eligible bids (1 = best; equal totals share a rank); NaN when not eligible."""
    ranks = np.full(totals.shape, np.nan)
    pool = totals[eligible]
    ranks[eligible] = 1.0 + np.count_nonzero(pool[np.newaxis, :] > pool[:, np.newaxis] + tolerance, axis=1)
    return ranks


def rank_labels(ranks: FloatArray) -> tuple[str, ...]:
    """``"1"``, ``"2="`` for a shared rank, ``"out"`` for a knocked-out bid."""
    labels = []
    for r in ranks:
        if math.isnan(r):
            labels.append(OUT)
        else:
            shared = int(np.count_nonzero(ranks == r)) > 1
            labels.append(f"{int(r)}{'=' if shared else ''}")
    return tuple(labels)


def read_only(array: FloatArray | BoolArray) -> Any:
    """``array`` made read-only in place (and returned): a scorecard's arrays never change."""
    array.setflags(write=False)
    return array


__all__ = [
    "OUT",
    "TIE_TOLERANCE",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "goal_matrix_kernel",
    "goal_sd_kernel",
    "rank_kernel",
    "rank_labels",
    "read_only",
    "totals_kernel",
]
