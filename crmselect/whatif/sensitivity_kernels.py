"""The pure maths of :mod:`crmselect.whatif.sensitivity`: ``*_kernel`` functions on ndarrays, no validation.

Every bid's total is linear in the goal weights, ``totals = G @ w`` (G: eligible bids x goals,
w: goal weights summing to 1), so sweeps, stability intervals, minimum flips and weight ranges
are solved exactly here (lines crossing, linear programmes), never sampled.  The kernels take and
return ndarrays and trust their input (ARCHITECTURE.md habit 2); the validating wrappers that take a
Scorecard live in :mod:`crmselect.whatif.sensitivity`, which re-exports every public name of this module.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from crmselect.errors import AnalysisError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]

#: Totals closer than this count as tied (totals are in 0..1).
TIE_TOLERANCE = 1e-12
#: Slopes closer than this count as parallel lines in a sweep (they never cross).
PARALLEL_TOLERANCE = 1e-12
#: ``min_flip`` asks for challenger - winner >= this margin.  It is above HiGHS's feasibility
#: tolerance (set to 1e-10 below), so the returned weights, recomputed, really give a tie-or-win.
FLIP_MARGIN = 1e-9
_HIGHS_OPTIONS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


# ================================================================ kernels (ndarrays, no validation)
def totals_kernel(matrix: FloatArray, weights: FloatArray) -> FloatArray:
    """``totals = G @ w``: the identity everything here rests on."""
    return matrix @ weights


def ranks_kernel(totals: FloatArray) -> IntArray:
    """Competition ranks along the last axis (1 = best; tied totals share a rank).

    A bid's rank is 1 + the number of totals above its own by more than :data:`TIE_TOLERANCE`.  One vector of
    totals is counted by sorting and a binary search (k log k); a stack of them by comparing every pair."""
    # NaN sorts last, yet is above nothing: compare pairs then (the maximum is NaN when any total is)
    if totals.ndim == 1 and totals.size and not math.isnan(totals.max()):
        ranks: IntArray = np.searchsorted(np.sort(totals), totals + TIE_TOLERANCE, side="right")
        np.subtract(totals.size + 1, ranks, out=ranks)  # 1 + the number of totals above, in place
        return ranks
    return pairwise_ranks_kernel(totals)


def pairwise_ranks_kernel(totals: FloatArray) -> IntArray:
    """:func:`ranks_kernel` by comparing every pair of totals (any number of leading axes)."""
    better = totals[..., None, :] > totals[..., :, None] + TIE_TOLERANCE
    ranks: IntArray = (1 + better.sum(axis=-1)).astype(np.intp)
    return ranks


def order_kernel(totals: FloatArray) -> IntArray:
    """Bid indices best first (ties keep input order)."""
    return np.argsort(-totals, kind="stable").astype(np.intp)


def sweep_lines_kernel(matrix: FloatArray, weights: FloatArray, goal: int) -> tuple[FloatArray, FloatArray]:
    """Totals at ``t = 0`` and ``t = 1`` when goal ``goal`` gets weight ``t``; totals(t) = start + (end - start) t.

    The other goals share ``1 - t`` in proportion to their current weights.  When the goal already
    has all the weight (``w_j = 1``) the others have no proportion to keep; they then share equally.
    """
    rest = weights.astype(float)
    rest[goal] = 0.0
    total = rest.sum()
    if total <= 0.0:
        rest = np.ones_like(rest)
        rest[goal] = 0.0
        total = rest.sum()
    start = matrix @ (rest / total) if total > 0 else matrix[:, goal].astype(float)
    return start, matrix[:, goal].astype(float)


def crossings_kernel(start: FloatArray, end: FloatArray) -> tuple[FloatArray, IntArray, IntArray]:
    """Every ``t`` in [0, 1] where two lines cross, exactly: ``(t, upper_after, lower_after)``, sorted by t.

    Lines ``a`` and ``b`` cross where ``start_a + s_a t = start_b + s_b t``, i.e.
    ``t = -(start_a - start_b) / (s_a - s_b)``; parallel lines never swap.  After the crossing the
    line with the larger slope is on top.
    """
    slope = end - start
    a, b = np.triu_indices(start.shape[0], 1)
    dc = start[a] - start[b]
    ds = slope[a] - slope[b]
    ok = np.abs(ds) > PARALLEL_TOLERANCE
    t = np.full(dc.shape, np.nan)
    t[ok] = -dc[ok] / ds[ok]
    keep = ok & (t >= -TIE_TOLERANCE) & (t <= 1 + TIE_TOLERANCE)
    t, a, b, ds = np.clip(t[keep], 0.0, 1.0), a[keep], b[keep], ds[keep]
    upper = np.where(ds > 0, a, b).astype(np.intp)
    lower = np.where(ds > 0, b, a).astype(np.intp)
    order = np.lexsort((lower, upper, t))
    return t[order], upper[order], lower[order]


def _interval(start: FloatArray, slope: FloatArray, upper: IntArray, lower: IntArray, t0: float) -> tuple[
    float, float, int, int
]:
    """The largest [lo, hi] around t0 where every line ``upper[i]`` stays >= line ``lower[i]``.

    Also returns which pair breaks first at each end (index into the pairs, -1 when none does).
    """
    dc = start[upper] - start[lower]
    ds = slope[upper] - slope[lower]
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.where(np.abs(ds) > PARALLEL_TOLERANCE, -dc / ds, np.nan)
    rising = ds > PARALLEL_TOLERANCE  # gap grows with t: it bounds t from below
    falling = ds < -PARALLEL_TOLERANCE
    lo, hi, lo_pair, hi_pair = 0.0, 1.0, -1, -1
    if rising.any():
        i = int(np.flatnonzero(rising)[np.argmax(root[rising])])
        if root[i] > 0.0:
            lo, lo_pair = min(float(root[i]), t0), i
    if falling.any():
        i = int(np.flatnonzero(falling)[np.argmin(root[falling])])
        if root[i] < 1.0:
            hi, hi_pair = max(float(root[i]), t0), i
    return lo, hi, lo_pair, hi_pair


def stability_kernel(matrix: FloatArray, weights: FloatArray, goal: int) -> tuple[float, float, int, int, float,
                                                                                  float]:
    """Interval of goal ``goal``'s weight (others rescaled in proportion) keeping the winner, and the ranking.

    Returns ``(winner_lo, winner_hi, rival_at_lo, rival_at_hi, ranking_lo, ranking_hi)``; a rival
    is -1 when the winner holds up to that end.  "The ranking holds" means every bid keeps at least
    the total of the bid ranked just below it (ties may open or close at the ends).
    """
    start, end = sweep_lines_kernel(matrix, weights, goal)
    slope = end - start
    t0 = float(weights[goal])
    order = order_kernel(matrix @ weights)
    winner = int(order[0])
    rivals = order[1:]
    lo, hi, lo_pair, hi_pair = _interval(start, slope, np.full(rivals.shape, winner, np.intp), rivals, t0)
    rank_lo, rank_hi, _, _ = _interval(start, slope, order[:-1], order[1:], t0)
    return (lo, hi, int(rivals[lo_pair]) if lo_pair >= 0 else -1, int(rivals[hi_pair]) if hi_pair >= 0 else -1,
            rank_lo, rank_hi)


def min_flip_kernel(
    matrix: FloatArray, weights: FloatArray, challenger: int, winner: int, *, margin: float = FLIP_MARGIN,
    method: Literal["linprog", "greedy"] = "linprog",
) -> tuple[FloatArray | None, float]:
    """Smallest L1 change ``d`` with ``w + d`` on the simplex and ``(G[c] - G[win]) @ (w + d) >= margin``.

    Returns ``(new_weights, l1_distance)``; ``(weights, 0.0)`` when the challenger already ties or
    beats the winner, ``(None, inf)`` when no weights can do it (the winner scores at least as much
    on every goal).  ``linprog`` solves the LP with ``d = d_plus - d_minus``:
    minimise ``sum(d_plus + d_minus)`` subject to ``sum(d) = 0``, ``w + d >= 0`` and the gap
    constraint.  ``greedy`` is its closed form (a continuous knapsack: move weight to the
    challenger's best goal, taking it first from the goals where it is weakest).
    """
    gap = matrix[challenger] - matrix[winner]
    w = weights.astype(float)
    current = float(gap @ w)
    if current >= 0.0:
        return w.copy(), 0.0
    if float(gap.max()) < margin:
        return None, float("inf")
    need = margin - current
    if method == "greedy":
        new = w.copy()
        target = int(np.argmax(gap))
        for source in np.argsort(gap, kind="stable"):
            rate = gap[target] - gap[source]
            if need <= 0 or rate <= 0:
                break
            move = min(new[source], need / rate)
            new[source] -= move
            new[target] += move
            need -= move * rate
    else:
        from scipy.optimize import linprog

        m = w.shape[0]
        eye = np.eye(m)
        a_ub = np.vstack([np.concatenate([-gap, gap]), np.hstack([-eye, eye])])
        b_ub = np.concatenate([[current - margin], w])
        a_eq = np.concatenate([np.ones(m), -np.ones(m)])[None, :]
        res = linprog(np.ones(2 * m), A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=[0.0], bounds=(0, None),
                      method="highs", options=_HIGHS_OPTIONS)
        if res.status != 0:
            raise AnalysisError(f"the minimum-flip linear programme failed: {res.message}")
        new = w + res.x[:m] - res.x[m:]
    new = np.clip(new, 0.0, None)
    new /= new.sum()
    return new, float(np.abs(new - w).sum())


def min_flips_kernel(
    matrix: FloatArray, weights: FloatArray, winner: int, *, margin: float = FLIP_MARGIN,
    method: Literal["linprog", "greedy"] = "linprog",
) -> list[tuple[FloatArray | None, float]]:
    """:func:`min_flip_kernel` for every bid against ``winner`` (the winner's own row is ``(weights, 0.0)``).

    With ``linprog`` the challengers' LPs are stacked into one block-diagonal LP and solved in one
    call: the blocks share no variable and the objective is their sum, so its optimum is every
    block's own optimum.
    """
    k, m = matrix.shape
    w = weights.astype(float)
    out: list[tuple[FloatArray | None, float]] = []
    needy = []
    for c in range(k):
        if method == "greedy" or c == winner:
            out.append(min_flip_kernel(matrix, w, c, winner, margin=margin, method="greedy") if c != winner
                       else (w.copy(), 0.0))
            continue
        gap = matrix[c] - matrix[winner]
        current = float(gap @ w)
        if current >= 0.0:
            out.append((w.copy(), 0.0))
        elif float(gap.max()) < margin:
            out.append((None, float("inf")))
        else:
            out.append((None, float("nan")))  # filled below
            needy.append(c)
    if not needy:
        return out
    from scipy import sparse
    from scipy.optimize import linprog

    eye = np.eye(m)
    blocks_ub, rhs_ub = [], []
    for c in needy:
        gap = matrix[c] - matrix[winner]
        blocks_ub.append(np.vstack([np.concatenate([-gap, gap]), np.hstack([-eye, eye])]))
        rhs_ub.append(np.concatenate([[float(gap @ w) - margin], w]))
    a_eq_block = np.concatenate([np.ones(m), -np.ones(m)])[None, :]
    res = linprog(np.ones(2 * m * len(needy)), A_ub=sparse.block_diag(blocks_ub, format="csr"),
                  b_ub=np.concatenate(rhs_ub), A_eq=sparse.block_diag([a_eq_block] * len(needy), format="csr"),
                  b_eq=np.zeros(len(needy)), bounds=(0, None), method="highs", options=_HIGHS_OPTIONS)
    if res.status != 0:
        raise AnalysisError(f"the minimum-flip linear programme failed: {res.message}")
    for b, c in enumerate(needy):
        x = res.x[2 * m * b: 2 * m * (b + 1)]
        new = np.clip(w + x[:m] - x[m:], 0.0, None)
        new /= new.sum()
        out[c] = (new, float(np.abs(new - w).sum()))
    return out


def _box_simplex_max(gain: FloatArray, lo: FloatArray, hi: FloatArray) -> FloatArray:
    """argmax of ``gain @ w`` over ``{lo <= w <= hi, sum w = 1}``: fill the best goals first."""
    w = lo.astype(float)
    free = 1.0 - float(w.sum())
    for j in np.argsort(-gain, kind="stable"):
        add = min(float(hi[j] - lo[j]), free)
        w[j] += add
        free -= add
        if free <= 0:
            break
    return w


def range_check_kernel(
    matrix: FloatArray, winner: int, lo: FloatArray, hi: FloatArray,
    *, method: Literal["linprog", "greedy"] = "linprog",
) -> tuple[FloatArray, FloatArray]:
    """For each bid r: ``max (G[r] - G[winner]) @ w`` over the region ``{lo <= w <= hi, sum w = 1}``.

    Returns ``(advantage, weights)``: the rival's best advantage over the winner (row ``winner`` is 0)
    and the weights that achieve it.  The region must be feasible (checked by the wrapper).
    ``linprog`` solves the rivals' LPs stacked into one block-diagonal LP; ``greedy`` is the exact
    closed form of the same LP (a continuous knapsack: fill the rival's best goals first).
    """
    k, m = matrix.shape
    advantage = np.zeros(k)
    where = np.tile(lo, (k, 1)).astype(float)
    gains = matrix - matrix[winner]
    rivals = [r for r in range(k) if r != winner]
    where[winner] = _box_simplex_max(gains[winner], lo, hi)
    if method == "greedy":
        for r in rivals:
            where[r] = _box_simplex_max(gains[r], lo, hi)
    elif rivals:
        # one block-diagonal LP: the rivals' copies of w share nothing, so the sum's optimum is each one's
        from scipy import sparse
        from scipy.optimize import linprog

        res = linprog(-gains[rivals].ravel(), A_eq=sparse.block_diag([np.ones((1, m))] * len(rivals), format="csr"),
                      b_eq=np.ones(len(rivals)), bounds=np.tile(np.column_stack([lo, hi]), (len(rivals), 1)),
                      method="highs", options=_HIGHS_OPTIONS)
        if res.status != 0:
            raise AnalysisError(f"the weight-range linear programme failed: {res.message}")
        where[rivals] = np.clip(res.x.reshape(len(rivals), m), lo, hi)
    advantage[rivals] = np.einsum("ij,ij->i", gains[rivals], where[rivals])
    return advantage, where


__all__ = [
    "FLIP_MARGIN",
    "PARALLEL_TOLERANCE",
    "TIE_TOLERANCE",
    "FloatArray",
    "IntArray",
    "crossings_kernel",
    "min_flip_kernel",
    "min_flips_kernel",
    "order_kernel",
    "range_check_kernel",
    "ranks_kernel",
    "stability_kernel",
    "sweep_lines_kernel",
    "totals_kernel",
]
