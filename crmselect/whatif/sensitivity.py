"""What-if on goal weights, solved exactly: sweeps, stability intervals, minimum flips, weight ranges.

Every bid's total is linear in the goal weights, ``totals = G @ w`` (G: eligible bids x goals,
w: goal weights summing to 1).  So most questions about "how far can the weights move" have
exact answers, and nothing here samples (Monte Carlo lives in :mod:`crmselect.whatif.acceptability`):

- :func:`sweep` moves one goal's weight ``t`` from 0 to 1 and rescales the others in proportion,
  ``w_k(t) = w_k (1 - t) / (1 - w_j)``.  Each total is then a straight line in ``t``, so the
  weights at which two bids swap places are solved for, not searched on a grid.
- :func:`stability` gives, per goal, the interval of that goal's weight (others rescaled in
  proportion) over which the winner stays the winner, and over which the whole ranking holds.
- :func:`min_flip` finds the smallest L1 change of the weight vector (staying on the simplex)
  that lets a challenger at least tie the winner, with :func:`scipy.optimize.linprog`.
- :func:`check_ranges` answers, for weights stated as ranges ("price 30-40 %"), whether the
  winner holds over the whole allowed region, and names the worst-case rival and its weights.

Layout (ARCHITECTURE.md habit 2): ``*_kernel`` functions take and return ndarrays and do not
validate (:mod:`crmselect.whatif.sensitivity_kernels`); the wrappers here accept a Scorecard (only its
eligible bids are used) or :class:`GoalScores`, validate once, and return display objects with
``frame()``, ``plot(ax=None)`` and ``_repr_html_()`` (:mod:`crmselect.whatif.sensitivity_results`).  Every
public name of those two modules is importable from here.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np
from numpy.typing import NDArray

from crmselect.errors import AnalysisError
from crmselect.whatif.sensitivity_kernels import (
    FLIP_MARGIN,
    PARALLEL_TOLERANCE,
    TIE_TOLERANCE,
    FloatArray,
    IntArray,
    crossings_kernel,
    min_flip_kernel,
    min_flips_kernel,
    order_kernel,
    range_check_kernel,
    ranks_kernel,
    stability_kernel,
    sweep_lines_kernel,
    totals_kernel,
)
from crmselect.whatif.sensitivity_results import MinFlip, MinFlipTable, RangeCheck, StabilityIntervals, Sweep


# ================================================================ inputs
class ScorecardLike(Protocol):
    """The part of ``crmselect.scoring.engine.Scorecard`` this module reads (see docs/CONTRACTS.md)."""

    @property
    def bid_ids(self) -> Sequence[str]: ...
    @property
    def labels(self) -> Sequence[str]: ...
    @property
    def goal_ids(self) -> Sequence[str]: ...
    @property
    def goal_names(self) -> Sequence[str]: ...
    @property
    def goal_weights(self) -> NDArray[Any]: ...
    @property
    def goal_matrix(self) -> NDArray[Any]: ...
    @property
    def goal_matrix_sd(self) -> NDArray[Any]: ...
    @property
    def eligible(self) -> NDArray[Any]: ...


@functools.lru_cache(maxsize=64)
def no_spread(shape: tuple[int, ...]) -> FloatArray:
    """A read-only matrix of zeros (the spread of scores known exactly), made once per shape and shared."""
    zeros = np.zeros(shape)
    zeros.flags.writeable = False
    return zeros


@functools.lru_cache(maxsize=64)
def numbered_ids(prefix: str, count: int) -> tuple[str, ...]:
    """``("goal1", "goal2", ...)``: the ids of a raw matrix's rows or columns, made once per size (a tuple of
    500 strings costs more than ranking 20 bids on 500 criteria)."""
    return tuple(f"{prefix}{i + 1}" for i in range(count))


def _weight_problems(w: FloatArray) -> list[str]:
    """What is wrong with weights (finite, >= 0, some > 0): checked in full only when the quick test fails."""
    if w.size and w.min() >= 0 and 0 < w.sum() < math.inf:  # NaN fails both comparisons, -inf the first
        return []
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        return [f"goal weights must be finite and >= 0; received {w.tolist()}"]
    if w.sum() <= 0:
        return ["goal weights sum to 0; at least one goal needs weight"]
    return []


@dataclass(frozen=True, eq=False)
class GoalScores:
    """The eligible bids' goal scores and the committee's goal weights: what every analysis needs.

    Build it with :meth:`from_scorecard` (knocked-out bids are left out) or :meth:`from_arrays`.
    """

    matrix: FloatArray  # bids x goals, 0..1
    weights: FloatArray  # goals, sums to 1
    bid_ids: tuple[str, ...]
    labels: tuple[str, ...]
    goal_ids: tuple[str, ...]
    goal_names: tuple[str, ...]
    sd: FloatArray  # bids x goals, spread of each goal score (zeros when unknown)

    @classmethod
    def from_scorecard(cls, scorecard: ScorecardLike) -> GoalScores:
        keep = np.flatnonzero(np.asarray(scorecard.eligible, dtype=bool))
        sd = getattr(scorecard, "goal_matrix_sd", None)
        matrix = np.asarray(scorecard.goal_matrix, dtype=float)
        return cls.from_arrays(
            matrix[keep],
            np.asarray(scorecard.goal_weights, dtype=float),
            bid_ids=[scorecard.bid_ids[int(i)] for i in keep],
            labels=[scorecard.labels[int(i)] for i in keep],
            goal_ids=list(scorecard.goal_ids),
            goal_names=list(scorecard.goal_names),
            sd=None if sd is None else np.asarray(sd, dtype=float)[keep],
        )

    @classmethod
    def from_arrays(
        cls,
        matrix: Any,
        weights: Any,
        *,
        bid_ids: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        goal_ids: Sequence[str] | None = None,
        goal_names: Sequence[str] | None = None,
        sd: Any = None,
    ) -> GoalScores:
        """Validate and normalise: weights >= 0 are scaled to sum 1; every problem is named."""
        g = np.array(matrix, dtype=float)
        w = np.array(weights, dtype=float)
        problems = []
        if g.ndim != 2:
            problems.append(f"goal matrix must be 2-D (bids x goals); received shape {g.shape}")
        elif w.shape != (g.shape[1],):
            problems.append(f"goal weights must have one entry per goal ({g.shape[1]}); received shape {w.shape}")
        if not np.all(np.isfinite(g)):
            problems.append("goal matrix holds NaN or infinite values")
        problems.extend(_weight_problems(w))
        if problems:
            raise AnalysisError("; ".join(problems))
        s = no_spread(g.shape) if sd is None else np.array(sd, dtype=float)
        if sd is not None and (s.shape != g.shape or not np.all(np.isfinite(s)) or np.any(s < 0)):
            raise AnalysisError(f"goal score spread must be finite, >= 0 and shaped {g.shape}; received {s.shape}")
        return cls._named(g, w, s, bid_ids, labels, goal_ids, goal_names)

    @classmethod
    def from_raw(
        cls,
        matrix: Any,
        weights: Any,
        *,
        lower_is_better: Sequence[bool] | None = None,
        bid_ids: Sequence[str] | None = None,
        labels: Sequence[str] | None = None,
        goal_ids: Sequence[str] | None = None,
        goal_names: Sequence[str] | None = None,
    ) -> GoalScores:
        """A raw decision matrix (bids x criteria in their own units: days, percent, yuan) scaled column by column
        to 0..1 by min-max, the usual first step of a weighted sum: ``(x - min) / (max - min)``, or
        ``(max - x) / (max - min)`` where ``lower_is_better`` (a price, a go-live in days).  A column whose values
        are all equal tells the bids apart nowhere and scores 0 for every bid.  Weights >= 0 are scaled to sum 1.

        The scaling is done in place on one copy, and the finiteness check falls out of the column minima and
        maxima (NaN and infinity reach them), so this costs about what the bare numpy arithmetic costs."""
        g = np.array(matrix, dtype=float)
        w = np.array(weights, dtype=float)
        problems = []
        if g.ndim != 2 or 0 in g.shape:
            problems.append(f"decision matrix must be 2-D (bids x criteria) and not empty; received shape {g.shape}")
            raise AnalysisError("; ".join([*problems, *_weight_problems(w)]))
        m = g.shape[1]
        if w.shape != (m,):
            problems.append(f"weights must have one entry per criterion ({m}); received shape {w.shape}")
        low, high = g.min(axis=0), g.max(axis=0)
        # an infinity or NaN anywhere reaches its column's minimum or maximum, and from there these two
        if not (math.isfinite(low.min()) and math.isfinite(high.max())):
            bad = np.flatnonzero(~np.isfinite(g).all(axis=0))
            problems.append(f"decision matrix holds NaN or infinite values in column(s) {bad.tolist()}")
        flip = None
        if lower_is_better is not None:
            flip = np.array(lower_is_better, dtype=bool)
            if flip.shape != (m,):
                problems.append(f"lower_is_better must have one entry per criterion ({m}); received shape "
                                f"{flip.shape}")
        problems.extend(_weight_problems(w))
        if problems:
            raise AnalysisError("; ".join(problems))
        span = high - low
        span[span <= 0] = 1.0  # a constant column: every bid scores 0 on it
        if flip is not None and flip.any():
            g[:, flip] = high[flip] - g[:, flip]  # (max - x), then divided by the span like the others
            low = np.where(flip, 0.0, low)
        g -= low
        g /= span
        return cls._named(g, w, no_spread(g.shape), bid_ids, labels, goal_ids, goal_names)

    @classmethod
    def _named(cls, g: FloatArray, w: FloatArray, sd: FloatArray, bid_ids: Sequence[str] | None,
               labels: Sequence[str] | None, goal_ids: Sequence[str] | None,
               goal_names: Sequence[str] | None) -> GoalScores:
        k, m = g.shape
        bids = tuple(bid_ids) if bid_ids is not None else numbered_ids("bid", k)
        goals = tuple(goal_ids) if goal_ids is not None else numbered_ids("goal", m)
        names = tuple(labels) if labels is not None else bids
        gnames = tuple(goal_names) if goal_names is not None else goals
        if len(bids) != k or len(names) != k or len(goals) != m or len(gnames) != m:
            raise AnalysisError(f"need {k} bid ids/labels and {m} goal ids/names")
        return cls(g, w / w.sum(), bids, names, goals, gnames, sd)

    @property
    def ranks(self) -> IntArray:
        """Competition ranks of the totals (1 = best; totals within :data:`TIE_TOLERANCE` share a rank)."""
        return ranks_kernel(self.totals)

    @property
    def totals(self) -> FloatArray:
        return totals_kernel(self.matrix, self.weights)

    def goal_index(self, goal: str | int) -> int:
        if isinstance(goal, int | np.integer):
            if 0 <= int(goal) < len(self.goal_ids):
                return int(goal)
            raise AnalysisError(f"goal index {goal} is out of range 0..{len(self.goal_ids) - 1}")
        for index, (gid, name) in enumerate(zip(self.goal_ids, self.goal_names, strict=True)):
            if goal in (gid, name):
                return index
        raise AnalysisError(f"unknown goal {goal!r}; allowed: {', '.join(self.goal_ids)}")

    def bid_index(self, bid: str | int) -> int:
        if isinstance(bid, int | np.integer):
            if 0 <= int(bid) < len(self.bid_ids):
                return int(bid)
            raise AnalysisError(f"bid index {bid} is out of range 0..{len(self.bid_ids) - 1}")
        for index, (bid_id, label) in enumerate(zip(self.bid_ids, self.labels, strict=True)):
            if bid in (bid_id, label):
                return index
        raise AnalysisError(f"unknown or knocked-out bid {bid!r}; eligible: {', '.join(self.bid_ids)}")


Scores = ScorecardLike | GoalScores


def goal_scores(scores: Scores) -> GoalScores:
    """A :class:`GoalScores` from a Scorecard (eligible bids only) or as given."""
    data = scores if isinstance(scores, GoalScores) else GoalScores.from_scorecard(scores)
    if data.matrix.shape[0] < 2:
        raise AnalysisError(f"what-if analysis needs at least two eligible bids; found {data.matrix.shape[0]}")
    return data


# ================================================================ wrappers (validate, then call the kernels)
def sweep(scores: Scores, goal: str | int) -> Sweep:
    """Sweep ``goal``'s weight from 0 to 1 (others rescaled in proportion) with exact rank-change points."""
    data = goal_scores(scores)
    j = data.goal_index(goal)
    if data.matrix.shape[1] < 2:
        raise AnalysisError("a sweep needs at least two goals (the others take up the rest of the weight)")
    start, end = sweep_lines_kernel(data.matrix, data.weights, j)
    t, upper, lower = crossings_kernel(start, end)
    slope = end - start
    orders = []
    for i, ti in enumerate(t):
        nxt = t[i + 1] if i + 1 < len(t) and t[i + 1] > ti else 1.0
        probe = (ti + nxt) / 2 if nxt > ti else ti
        orders.append(np.lexsort((np.arange(len(start)), -slope, -(start + slope * probe))).astype(np.intp))
    return Sweep(data.goal_names[j], data.labels, float(data.weights[j]), start, end, t, upper, lower, tuple(orders))


def stability(scores: Scores) -> StabilityIntervals:
    """Stability intervals of every goal's weight (exact), for the winner and for the whole ranking."""
    data = goal_scores(scores)
    m = data.matrix.shape[1]
    rows = [stability_kernel(data.matrix, data.weights, j) for j in range(m)]
    winner = data.labels[int(order_kernel(data.totals)[0])]

    def who(i: int) -> str:
        return "" if i < 0 else f"passed by {data.labels[i]}"

    return StabilityIntervals(
        winner, data.goal_names, data.weights.copy(),
        np.array([r[0] for r in rows]), np.array([r[1] for r in rows]),
        tuple(who(r[2]) for r in rows), tuple(who(r[3]) for r in rows),
        np.array([r[4] for r in rows]), np.array([r[5] for r in rows]),
    )


def min_flip(scores: Scores, challenger: str | int, *, method: Literal["linprog", "greedy"] = "linprog") -> MinFlip:
    """Smallest L1 change of the goal weights (on the simplex) after which ``challenger`` at least ties the winner.

    The challenger must reach ``winner + FLIP_MARGIN`` (1e-9), so the new weights, recomputed, really
    give at least a tie.  Other bids may still lead; only the current winner is the target.
    """
    data = goal_scores(scores)
    c = data.bid_index(challenger)
    return _flip(data, c, int(order_kernel(data.totals)[0]), method)


def min_flips(scores: Scores, *, method: Literal["linprog", "greedy"] = "linprog") -> MinFlipTable:
    """:func:`min_flip` for every eligible bid other than the winner, nearest first."""
    data = goal_scores(scores)
    winner = int(order_kernel(data.totals)[0])
    solved = min_flips_kernel(data.matrix, data.weights, winner, method=method)
    flips = []
    for c, (new, distance) in enumerate(solved):
        if c != winner:
            gap = float((data.matrix[winner] - data.matrix[c]) @ data.weights)
            flips.append(MinFlip(data.labels[c], data.labels[winner], data.goal_names, data.weights.copy(), new,
                                 distance, gap))
    return MinFlipTable(tuple(sorted(flips, key=lambda f: f.distance)))


def _flip(data: GoalScores, challenger: int, winner: int, method: Literal["linprog", "greedy"]) -> MinFlip:
    new, distance = min_flip_kernel(data.matrix, data.weights, challenger, winner, method=method)
    gap = float((data.matrix[winner] - data.matrix[challenger]) @ data.weights)
    return MinFlip(data.labels[challenger], data.labels[winner], data.goal_names, data.weights.copy(), new,
                   distance, gap)


def check_ranges(
    scores: Scores, ranges: Mapping[str, tuple[float, float]], *, method: Literal["linprog", "greedy"] = "linprog"
) -> RangeCheck:
    """Whether the winner holds for every weight vector with ``lo <= w_goal <= hi`` and weights summing to 1.

    ``ranges`` maps goal id (or name) to ``(lo, hi)`` as fractions (0.30, 0.40 for "30-40 %").
    Goals not named may take any weight in 0..1.  Exact: for each rival, the largest advantage
    over the winner in the region is a linear programme.  An empty region raises ``AnalysisError``.
    """
    data = goal_scores(scores)
    m = data.matrix.shape[1]
    lo, hi = np.zeros(m), np.ones(m)
    problems = []
    for goal, bounds in ranges.items():
        try:
            j = data.goal_index(goal)
        except AnalysisError as exc:
            problems.append(str(exc))
            continue
        a, b = (float(x) for x in bounds)
        if not (0.0 <= a <= b <= 1.0):
            problems.append(f"range for {goal} must satisfy 0 <= from <= to <= 1 (fractions: 0.30 for 30 %); "
                            f"received ({a}, {b})")
        lo[j], hi[j] = a, b
    if not problems and (lo.sum() > 1 + 1e-12 or hi.sum() < 1 - 1e-12):
        problems.append(f"no weights fit these ranges: the lower ends add up to {lo.sum():.4f} and the upper ends "
                        f"to {hi.sum():.4f}, but weights must add up to 1")
    if problems:
        raise AnalysisError("; ".join(problems))
    winner = int(order_kernel(data.totals)[0])
    advantage, where = range_check_kernel(data.matrix, winner, lo, hi, method=method)
    inside = bool(np.all(data.weights >= lo - 1e-12) and np.all(data.weights <= hi + 1e-12))
    return RangeCheck(data.labels[winner], data.labels, data.goal_names, lo, hi, advantage, where, inside)


__all__ = [
    "FLIP_MARGIN",
    "PARALLEL_TOLERANCE",
    "TIE_TOLERANCE",
    "FloatArray",
    "GoalScores",
    "IntArray",
    "MinFlip",
    "MinFlipTable",
    "RangeCheck",
    "ScorecardLike",
    "Scores",
    "StabilityIntervals",
    "Sweep",
    "check_ranges",
    "crossings_kernel",
    "goal_scores",
    "min_flip",
    "min_flip_kernel",
    "min_flips",
    "min_flips_kernel",
    "order_kernel",
    "range_check_kernel",
    "ranks_kernel",
    "stability",
    "stability_kernel",
    "sweep",
    "sweep_lines_kernel",
    "totals_kernel",
]
