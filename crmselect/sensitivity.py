"""What-if on goal weights, solved exactly: sweeps, stability intervals, minimum flips, weight ranges.

Every bid's total is linear in the goal weights, ``totals = G @ w`` (G: eligible bids x goals,
w: goal weights summing to 1).  So most questions about "how far can the weights move" have
exact answers, and nothing here samples (Monte Carlo lives in :mod:`crmselect.smaa`):

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
validate; the wrappers accept a Scorecard (only its eligible bids are used) or
:class:`GoalScores`, validate once, and return display objects with ``frame()``,
``plot(ax=None)`` and ``_repr_html_()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from crmselect.errors import AnalysisError

if TYPE_CHECKING:
    from matplotlib.axes import Axes

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


# ================================================================ inputs
class ScorecardLike(Protocol):
    """The part of ``crmselect.scoring.Scorecard`` this module reads (see docs/CONTRACTS.md)."""

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
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            problems.append(f"goal weights must be finite and >= 0; received {w.tolist()}")
        elif w.sum() <= 0:
            problems.append("goal weights sum to 0; at least one goal needs weight")
        if problems:
            raise AnalysisError("; ".join(problems))
        k, m = g.shape
        s = np.zeros_like(g) if sd is None else np.array(sd, dtype=float)
        if s.shape != g.shape or not np.all(np.isfinite(s)) or np.any(s < 0):
            raise AnalysisError(f"goal score spread must be finite, >= 0 and shaped {g.shape}; received {s.shape}")
        bids = tuple(bid_ids) if bid_ids is not None else tuple(f"bid{i + 1}" for i in range(k))
        goals = tuple(goal_ids) if goal_ids is not None else tuple(f"goal{j + 1}" for j in range(m))
        names = tuple(labels) if labels is not None else bids
        gnames = tuple(goal_names) if goal_names is not None else goals
        if len(bids) != k or len(names) != k or len(goals) != m or len(gnames) != m:
            raise AnalysisError(f"need {k} bid ids/labels and {m} goal ids/names")
        return cls(g, w / w.sum(), bids, names, goals, gnames, s)

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


# ================================================================ kernels (ndarrays, no validation)
def totals_kernel(matrix: FloatArray, weights: FloatArray) -> FloatArray:
    """``totals = G @ w``: the identity everything here rests on."""
    return matrix @ weights


def ranks_kernel(totals: FloatArray) -> IntArray:
    """Competition ranks along the last axis (1 = best; tied totals share a rank)."""
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


# ================================================================ results
def _html(frame: pd.DataFrame, caption: str, formats: Mapping[str, str] | None = None,
          notes: Sequence[str] = ()) -> str:
    from crmselect import tables

    return tables.to_html(frame, caption=caption, formats=formats, default_format="score", notes=notes)


def _order_text(labels: Sequence[str], order: IntArray) -> str:
    return " > ".join(labels[i] for i in order)


@dataclass(frozen=True, eq=False)
class Sweep:
    """One goal's weight swept from 0 to 1, others rescaled in proportion; exact rank-change points."""

    goal: str
    labels: tuple[str, ...]
    current: float
    start: FloatArray  # totals at t = 0
    end: FloatArray  # totals at t = 1
    t: FloatArray  # breakpoints, ascending
    upper: IntArray  # bid on top just after each breakpoint
    lower: IntArray
    orders: tuple[IntArray, ...]  # ranking (best first) just after each breakpoint

    def totals_at(self, t: float | FloatArray) -> FloatArray:
        """Totals at weight(s) ``t`` for this goal: shape (bids,) or (len(t), bids)."""
        tt = np.asarray(t, dtype=float)
        totals: FloatArray = self.start + np.multiply.outer(tt, self.end - self.start)
        return totals

    def frame(self) -> pd.DataFrame:
        """One row per breakpoint: the weight, who overtakes whom, and the ranking just after."""
        return pd.DataFrame(
            {
                "weight": self.t.copy(),
                "overtakes": [self.labels[i] for i in self.upper],
                "overtaken": [self.labels[i] for i in self.lower],
                "order after": [_order_text(self.labels, o) for o in self.orders],
            },
            index=pd.RangeIndex(1, len(self.t) + 1, name="breakpoint"),
        )

    def lines(self) -> pd.DataFrame:
        """Each bid's total at weight 0, at the committee's weight, and at weight 1."""
        return pd.DataFrame(
            {"at 0": self.start, "current": self.totals_at(self.current), "at 1": self.end},
            index=pd.Index(self.labels, name="bid"),
        )

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect import plots

        points = pd.DataFrame({"weight": self.t, "total": self.totals_at(self.t)[np.arange(len(self.t)), self.upper]
                               if len(self.t) else np.zeros(0)})
        return plots.sweep_lines(self.lines(), points, current=self.current, goal=self.goal, ax=ax)

    def _repr_html_(self) -> str:
        note = f"committee's weight for {self.goal}: {self.current:.1%}; {len(self.t)} rank change(s) in 0..100 %"
        return _html(self.frame(), f"Sweep of {self.goal}", {"weight": "percent"}, [note])


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


@dataclass(frozen=True, eq=False)
class StabilityIntervals:
    """Per goal: the weight range keeping the winner, and the range keeping the whole ranking."""

    winner: str
    goals: tuple[str, ...]
    weights: FloatArray
    winner_lo: FloatArray
    winner_hi: FloatArray
    rival_at_lo: tuple[str, ...]
    rival_at_hi: tuple[str, ...]
    ranking_lo: FloatArray
    ranking_hi: FloatArray

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "weight": self.weights.copy(),
                "winner holds from": self.winner_lo.copy(),
                "winner holds to": self.winner_hi.copy(),
                "below, winner is": self.rival_at_lo,
                "above, winner is": self.rival_at_hi,
                "ranking holds from": self.ranking_lo.copy(),
                "ranking holds to": self.ranking_hi.copy(),
            },
            index=pd.Index(self.goals, name="goal"),
        )

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect import plots

        return plots.interval_bars(self.frame(), current="weight", outer=("winner holds from", "winner holds to"),
                                   inner=("ranking holds from", "ranking holds to"),
                                   title=f"Weight ranges keeping {self.winner} first", ax=ax)

    def _repr_html_(self) -> str:
        percent = {c: "percent" for c in self.frame().columns if c not in ("below, winner is", "above, winner is")}
        return _html(self.frame(), f"Stability intervals (winner: {self.winner})", percent,
                     ["Each goal's weight moves alone; the other goals share the rest in proportion."])


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


@dataclass(frozen=True, eq=False)
class MinFlip:
    """The smallest L1 change of the goal weights that lets ``challenger`` at least tie ``winner``."""

    challenger: str
    winner: str
    goals: tuple[str, ...]
    weights: FloatArray
    new_weights: FloatArray | None  # None: no weights on the simplex can do it
    distance: float  # L1; the weight actually moved is half of it
    gap: float  # winner's lead at the committee's weights

    @property
    def feasible(self) -> bool:
        return self.new_weights is not None

    @property
    def change(self) -> FloatArray:
        return np.zeros_like(self.weights) if self.new_weights is None else self.new_weights - self.weights

    def moves(self, tolerance: float = 1e-9) -> dict[str, float]:
        """Goals whose weight changes, with the signed change."""
        return {g: float(d) for g, d in zip(self.goals, self.change, strict=True) if abs(d) > tolerance}

    def frame(self) -> pd.DataFrame:
        new = self.new_weights if self.new_weights is not None else np.full_like(self.weights, np.nan)
        return pd.DataFrame({"weight": self.weights, "new weight": new, "change": new - self.weights},
                            index=pd.Index(self.goals, name="goal"))

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect import plots

        return plots.grouped_bars(self.frame()[["weight", "new weight"]],
                                  title=f"Smallest weight change for {self.challenger} to catch {self.winner}", ax=ax)

    def _repr_html_(self) -> str:
        note = (f"L1 change {self.distance:.1%} (moves {self.distance / 2:.1%} of the weight)" if self.feasible
                else f"{self.winner} scores at least as high as {self.challenger} on every goal: no weights flip it")
        return _html(self.frame(), f"{self.challenger} vs {self.winner}", {str(c): "percent" for c in self.frame()},
                     [note])


@dataclass(frozen=True, eq=False)
class MinFlipTable:
    """``MinFlip`` for every challenger, nearest first."""

    flips: tuple[MinFlip, ...]

    def frame(self) -> pd.DataFrame:
        rows = []
        for f in self.flips:
            moves = f.moves()
            rows.append({
                "winner's lead": f.gap, "L1 change": f.distance, "weight moved": f.distance / 2,
                "goals up": ", ".join(g for g, d in moves.items() if d > 0),
                "goals down": ", ".join(g for g, d in moves.items() if d < 0),
            })
        return pd.DataFrame(rows, index=pd.Index([f.challenger for f in self.flips], name="challenger"))

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect import plots

        frame = self.frame()
        frame = frame[np.isfinite(frame["L1 change"].to_numpy())]
        return plots.horizontal_bars(frame["weight moved"], title="Weight to move before each bid catches the winner",
                                     xlabel="share of total weight moved", ax=ax)

    def _repr_html_(self) -> str:
        winner = self.flips[0].winner if self.flips else ""
        return _html(self.frame(), f"Minimum change to flip the winner ({winner})",
                     {"winner's lead": "score", "L1 change": "percent", "weight moved": "percent"},
                     ["L1 change = sum of absolute weight changes; infinite = no weights can make it win."])


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


@dataclass(frozen=True, eq=False)
class RangeCheck:
    """Does the winner hold over every weight vector allowed by the committee's ranges?"""

    winner: str
    labels: tuple[str, ...]
    goals: tuple[str, ...]
    lo: FloatArray
    hi: FloatArray
    advantage: FloatArray  # per bid: best advantage over the winner anywhere in the region
    where: FloatArray  # bids x goals: the weights at which it is reached
    committee_inside: bool

    @property
    def _worst(self) -> int:
        rivals = np.where(np.array(self.labels) == self.winner, -np.inf, self.advantage)
        return int(np.argmax(rivals))

    @property
    def worst_rival(self) -> str:
        return self.labels[self._worst]

    @property
    def margin(self) -> float:
        """The winner's worst-case lead over all rivals and all allowed weights (< 0: it can lose)."""
        return -float(self.advantage[self._worst])

    @property
    def holds(self) -> bool:
        """True when no rival beats the winner anywhere in the region (a tie still holds)."""
        return self.margin >= -TIE_TOLERANCE

    @property
    def counterexample(self) -> FloatArray | None:
        return None if self.holds else self.where[self._worst].copy()

    def frame(self) -> pd.DataFrame:
        rows = {str(label): {"best advantage over winner": adv, **dict(zip(self.goals, w, strict=True))}
                for label, adv, w in zip(self.labels, self.advantage, self.where, strict=True)
                if label != self.winner}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("rival").sort_values(
            "best advantage over winner", ascending=False)

    def ranges(self) -> pd.DataFrame:
        return pd.DataFrame({"from": self.lo, "to": self.hi}, index=pd.Index(self.goals, name="goal"))

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect import plots

        return plots.horizontal_bars(self.frame()["best advantage over winner"],
                                     title=f"Rivals' best case against {self.winner} within the ranges",
                                     xlabel="rival total - winner total", ax=ax)

    def _repr_html_(self) -> str:
        verdict = (f"{self.winner} stays first everywhere in the ranges (worst-case lead {self.margin:.4f})"
                   if self.holds else
                   f"{self.winner} can lose: {self.worst_rival} leads by {-self.margin:.4f} at the weights shown")
        formats = {g: "percent" for g in self.goals}
        return _html(self.frame(), "Winner over the allowed weight ranges", formats, [verdict])


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
