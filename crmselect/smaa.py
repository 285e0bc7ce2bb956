"""SMAA: stochastic multicriteria acceptability analysis of the goal weights (and, optionally, the scores).

Where :mod:`crmselect.sensitivity` answers exact questions about one weight vector, SMAA asks
which share of all plausible weight vectors makes each bid win (or rank second, third ...).
Definitions follow SMAA-2 (Lahdelma, R. & Salminen, P. (2001), "SMAA-2: Stochastic multicriteria
acceptability analysis for group decision making", Operations Research 49(3), 444-454; and
Lahdelma, Hokkanen & Salminen (1998), EJOR 106(1), 137-143):

- rank acceptability ``b[i, r]``: share of samples in which bid i has rank r + 1;
- central weight vector ``wc[i]``: mean weight vector over the samples in which bid i ranks first
  (NaN when it never does);
- confidence factor ``p[i]``: share of score samples in which bid i ranks first when its own
  central weights are used.  With certain scores it is 1 or 0 by construction;
- pairwise winning probability ``P[i, j]``: share of samples with total_i > total_j.

Each estimate p comes with its Monte Carlo standard error ``sqrt(p (1 - p) / n)``.

Weight models (who decides which weights are plausible):

- :func:`uniform_weights`: uniform on the simplex, drawn as Dirichlet(1) (normalised exponentials).
- :func:`ordinal_weights`: uniform over ``{w : w_a >= w_b for each statement}``, drawn *directly*
  (no rejection): a uniform weight vector is sorted, and its values are handed to the goals along a
  linear extension of the stated order drawn uniformly at random.  The extension is drawn exactly by
  counting extensions over the order's down-sets (2^goals states, so at most 20 goals).  This is
  exact because every linear extension owns a congruent cone of the simplex of equal volume.
- :func:`range_weights`: uniform over ``{lo <= w <= hi, sum w = 1}`` by rejection from the
  shifted simplex ``lo + (1 - sum lo) * Dirichlet(1)`` (which already respects the lower ends);
  the acceptance rate is reported, and a region too small to hit raises ``AnalysisError``.
- :func:`weights_around`: Dirichlet around the committee's weights ``w0`` with concentration
  ``kappa = 1 / spread**2 - 1``, so each weight has standard deviation
  ``spread * sqrt(w0 (1 - w0))``; ``spread = 0`` gives ``w0`` exactly.  Goals with weight 0 stay 0.

Uncertain scores: each sample draws ``G + N(0, sd)`` clipped to [0, 1] (``sd`` = the scorecard's
``goal_matrix_sd``, the spread implied by committee disagreement).  A score at least 8.5 sd inside
[0, 1] is never clipped in double precision, so its noise enters the totals linearly: those scores'
noise is drawn exactly from its closed form ``N(0, sum_j w_j^2 sd_ij^2)``, one draw per bid.  Only
scores near 0 or 1 are drawn one by one (float32, to halve memory) and clipped.  ``clip=False``
treats every score as linear (no clipping at all).

Samples are processed in chunks (``chunk_size``; default: about 64 MB of working memory) with one
generator seeded once from ``random_state``; the same seed and chunk size give the same numbers.
``progress(done, total)`` is called after each chunk (total counts both the main and the
confidence-factor pass), so a notebook can attach a progress bar.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from crmselect.errors import AnalysisError
from crmselect.sensitivity import (
    TIE_TOLERANCE,
    FloatArray,
    GoalScores,
    IntArray,
    Scores,
    goal_scores,
    ranks_kernel,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes

Progress = Callable[[int, int], None]
WeightSampler = Callable[[np.random.Generator, int], FloatArray]
_CHUNK_BYTES = 64 * 2**20
_MIN_ACCEPTANCE = 1e-4
_MAX_ORDINAL_GOALS = 20


# ================================================================ weight models
@dataclass(frozen=True, eq=False)
class WeightModel:
    """A named way to draw plausible goal-weight vectors: ``sample(rng, n) -> (n, goals)``."""

    name: str
    goals: int
    draw: WeightSampler
    proposals: list[int]  # rejection bookkeeping: [proposed, accepted]

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        return self.draw(rng, n)

    @property
    def acceptance_rate(self) -> float | None:
        proposed, accepted = self.proposals
        return None if proposed == 0 else accepted / proposed


def _dirichlet1(rng: np.random.Generator, n: int, m: int) -> FloatArray:
    w: FloatArray = rng.standard_exponential((n, m))
    w /= w.sum(axis=1, keepdims=True)
    return w


def uniform_weights(goals: int) -> WeightModel:
    """Weights uniform on the simplex (Dirichlet(1)): no preference information at all."""
    return WeightModel("uniform on the simplex", goals, lambda rng, n: _dirichlet1(rng, n, goals), [0, 0])


def _extension_counts(before: IntArray, m: int) -> FloatArray:
    """counts[S] = number of ways to finish a linear extension once the goals in bitmask S are placed."""
    size = 1 << m
    masks = np.arange(size, dtype=np.int64)
    popcount = np.zeros(size, dtype=np.int64)
    for x in range(m):
        popcount += (masks >> x) & 1
    counts = np.zeros(size)
    counts[size - 1] = 1.0
    for level in range(m - 1, -1, -1):
        placed = masks[popcount == level]
        total = np.zeros(placed.shape[0])
        for x in range(m):
            ok = (((placed >> x) & 1) == 0) & ((before[x] & ~placed) == 0)
            total += np.where(ok, counts[placed | (1 << x)], 0.0)
        counts[placed] = total
    return counts


def _linear_extensions(rng: np.random.Generator, n: int, before: IntArray, counts: FloatArray, m: int) -> IntArray:
    """n uniformly random linear extensions (goal indices, most important first)."""
    state = np.zeros(n, dtype=np.int64)
    order = np.empty((n, m), dtype=np.intp)
    for step in range(m):
        u = rng.random(n) * counts[state]
        cumulative = np.zeros(n)
        chosen = np.full(n, -1, dtype=np.intp)
        last_ok = np.full(n, -1, dtype=np.intp)
        for x in range(m):
            ok = (((state >> x) & 1) == 0) & ((before[x] & ~state) == 0)
            cumulative += np.where(ok, counts[state | (1 << x)], 0.0)
            chosen[(chosen < 0) & ok & (u < cumulative)] = x
            last_ok[ok] = x
        chosen = np.where(chosen < 0, last_ok, chosen)  # u rounded up to the total
        order[:, step] = chosen
        state |= np.left_shift(1, chosen).astype(np.int64)
    return order


def ordinal_weights(goals: int, statements: Sequence[tuple[int, int]]) -> WeightModel:
    """Uniform over weights with ``w[a] >= w[b]`` for each ``(a, b)`` in ``statements`` (direct construction)."""
    if goals > _MAX_ORDINAL_GOALS:
        raise AnalysisError(f"ordinal statements are supported for up to {_MAX_ORDINAL_GOALS} goals; found {goals}")
    before = np.zeros(goals, dtype=np.int64)
    for a, b in statements:
        if a == b:
            raise AnalysisError(f"an ordinal statement compares goal {a} with itself")
        before[b] |= 1 << a
    counts = _extension_counts(before, goals)
    if counts[0] < 1:
        raise AnalysisError("the ordinal statements contradict each other (they form a cycle, e.g. A >= B >= A)")

    def draw(rng: np.random.Generator, n: int) -> FloatArray:
        values = -np.sort(-_dirichlet1(rng, n, goals), axis=1)
        order = _linear_extensions(rng, n, before, counts, goals)
        w = np.empty_like(values)
        np.put_along_axis(w, order, values, axis=1)
        return w

    return WeightModel(f"ordinal ({len(statements)} statement(s), {counts[0]:.0f} goal orders)", goals, draw, [0, 0])


def _check_region(lo: FloatArray, hi: FloatArray) -> None:
    if np.any(lo < 0) or np.any(hi > 1) or np.any(lo > hi):
        raise AnalysisError("weight ranges must satisfy 0 <= from <= to <= 1 (fractions: 0.30 for 30 %)")
    if lo.sum() > 1 + 1e-12 or hi.sum() < 1 - 1e-12:
        raise AnalysisError(f"no weights fit these ranges: the lower ends add up to {lo.sum():.4f} and the upper "
                            f"ends to {hi.sum():.4f}, but weights must add up to 1")


def range_weights(lo: Any, hi: Any) -> WeightModel:
    """Uniform over ``{lo <= w <= hi, sum w = 1}``: rejection from the shifted simplex; acceptance reported."""
    low, high = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    _check_region(low, high)
    m = low.shape[0]
    free = 1.0 - float(low.sum())
    book = [0, 0]

    def draw(rng: np.random.Generator, n: int) -> FloatArray:
        out: list[FloatArray] = []
        have = 0
        while have < n:
            rate = max(book[1] / book[0], _MIN_ACCEPTANCE) if book[0] else 1.0
            batch = min(max(int((n - have) / rate * 1.1) + 16, 1024), 4_000_000)
            w = low + free * _dirichlet1(rng, batch, m)
            ok = np.all(w <= high + 1e-15, axis=1)
            book[0] += batch
            book[1] += int(ok.sum())
            out.append(w[ok])
            have += int(ok.sum())
            if book[0] >= 100_000 and book[1] / book[0] < _MIN_ACCEPTANCE:
                raise AnalysisError(f"the weight ranges cover only {book[1] / book[0]:.2e} of the simplex shifted to "
                                    "their lower ends; rejection sampling would take too long: widen the ranges")
        return np.concatenate(out)[:n]

    return WeightModel("uniform within weight ranges", m, draw, book)


def weights_around(w0: Any, spread: float) -> WeightModel:
    """Dirichlet around ``w0`` with ``kappa = 1 / spread**2 - 1`` (sd of weight i = spread * sqrt(w0_i (1 - w0_i)))."""
    base = np.asarray(w0, dtype=float)
    if not 0.0 <= spread < 1.0:
        raise AnalysisError(f"spread must be in [0, 1); received {spread}")
    if np.any(base < 0) or base.sum() <= 0:
        raise AnalysisError("the weights to sample around must be >= 0 and not all 0")
    base = base / base.sum()
    m = base.shape[0]
    positive = base > 0

    def draw(rng: np.random.Generator, n: int) -> FloatArray:
        if spread == 0.0:
            return np.tile(base, (n, 1))
        alpha = base[positive] * (1.0 / spread**2 - 1.0)
        w = np.zeros((n, m))
        w[:, positive] = rng.standard_gamma(alpha, size=(n, int(positive.sum())))
        w /= w.sum(axis=1, keepdims=True)
        return w

    return WeightModel(f"around the committee's weights (spread {spread:g})", m, draw, [0, 0])


# ================================================================ kernel
@dataclass(frozen=True, eq=False)
class SmaaCounts:
    """Raw SMAA tallies (the kernel's output)."""

    n: int
    rank_counts: NDArray[np.int64]  # bids x ranks
    pair_counts: NDArray[np.int64]  # [i, j]: samples with total_i > total_j
    central_sum: FloatArray  # bids x goals: sum of weights where the bid ranks first
    confidence_counts: NDArray[np.int64]  # bids
    confidence_n: int
    central_weights: FloatArray



#: A score at least this many standard deviations inside [0, 1] is never clipped in double precision
#: (P(|Z| > 8.5) = 1.9e-17), so its noise enters the totals linearly and is summed in closed form.
SAFE_SIGMAS = 8.5


class _ScoreNoise:
    """Draws totals under uncertain scores ``clip(G + sd Z, 0, 1)``, Z standard normal per score.

    Scores that cannot reach a bound (or all, with ``clip=False``) enter the totals linearly, so their
    noise is drawn exactly in closed form: one normal per bid with variance ``sum_j w_j^2 sd_ij^2``.
    Only the scores near 0 or 1 are drawn one by one (float32) and clipped.
    """

    def __init__(self, matrix: FloatArray, sd: FloatArray, clip: bool) -> None:
        self.matrix = matrix
        reach = SAFE_SIGMAS * sd
        risky = (sd > 0) & ((matrix - reach < 0) | (matrix + reach > 1)) if clip else np.zeros(sd.shape, bool)
        self.linear_var = np.where(risky, 0.0, sd * sd)
        self.has_linear = bool(np.any(self.linear_var > 0))
        self.bid, self.goal = np.nonzero(risky)
        # scattering single draws costs about as much as drawing: past half the scores, draw them all
        # (the others with spread 0 here; their noise is in the closed form) and skip the scatter
        self.dense = self.bid.size >= risky.size / 2
        self.matrix32 = matrix.astype(np.float32)
        self.dense_sd = np.where(risky, sd, 0.0).astype(np.float32)
        self.risky_mean = self.matrix32[self.bid, self.goal]
        self.risky_sd = sd.astype(np.float32)[self.bid, self.goal]

    def _noisy(self, rng: np.random.Generator, c: int) -> NDArray[np.float32] | None:
        """c sampled goal matrices (float32): risky scores drawn and clipped, the others at their mean."""
        if self.bid.size == 0:
            return None
        k, m = self.matrix.shape
        if self.dense:
            noisy = rng.standard_normal((c, k, m), dtype=np.float32)
            noisy *= self.dense_sd
            noisy += self.matrix32
        else:
            draws = rng.standard_normal((c, self.bid.size), dtype=np.float32)
            draws *= self.risky_sd
            draws += self.risky_mean
            noisy = np.broadcast_to(self.matrix32, (c, k, m)).copy()
            noisy[:, self.bid, self.goal] = draws
        np.clip(noisy, 0.0, 1.0, out=noisy)
        return noisy

    def totals(self, w: FloatArray, rng: np.random.Generator) -> FloatArray:
        """Sampled totals (chunk x bids) for weights ``w`` (chunk x goals)."""
        noisy = self._noisy(rng, w.shape[0])
        if noisy is None:
            out: FloatArray = w @ self.matrix.T
        else:
            out = np.matmul(noisy, w.astype(np.float32)[:, :, None])[..., 0].astype(np.float64)
        if self.has_linear:
            out += np.sqrt((w * w) @ self.linear_var.T) * rng.standard_normal(out.shape)
        return out

    def confidence_totals(self, central: FloatArray, rng: np.random.Generator, c: int) -> FloatArray:
        """Totals (c x bids x central vectors) over ``c`` score samples shared by all central weight vectors."""
        noisy = self._noisy(rng, c)
        if noisy is None:
            out: FloatArray = np.broadcast_to(self.matrix @ central.T, (c, *self.matrix.shape[:1], len(central))).copy()
        else:
            out = np.matmul(noisy, central.T.astype(np.float32)).astype(np.float64)
        if self.has_linear:
            spread = np.sqrt(self.linear_var @ (central * central).T)  # bids x vectors
            out += spread[None, :, :] * rng.standard_normal((c, self.matrix.shape[0], 1))
        return out


def default_chunk_size(bids: int, goals: int, uncertain: bool) -> int:
    per_sample = bids * bids + 8 * (bids + goals) + (4 * bids * goals if uncertain else 0)
    return max(256, min(65_536, _CHUNK_BYTES // max(per_sample, 1)))


def smaa_kernel(
    matrix: FloatArray, model: WeightModel, n: int, *, sd: FloatArray | None = None, clip: bool = True,
    chunk_size: int | None = None, rng: np.random.Generator, progress: Progress | None = None,
    confidence_samples: int | None = None,
) -> SmaaCounts:
    """Count ranks, pairwise wins, central weights and confidence hits over ``n`` samples, chunk by chunk."""
    k, m = matrix.shape
    uncertain = sd is not None
    chunk = chunk_size or default_chunk_size(k, m, uncertain)
    n_conf = 0 if not uncertain else (confidence_samples if confidence_samples is not None
                                      else min(n, max(10_000, n // 10)))
    total_work = n + n_conf
    transposed = np.ascontiguousarray(matrix.T)
    noise = None if sd is None else _ScoreNoise(matrix, sd, clip)
    rank_counts = np.zeros(k * k, dtype=np.int64)
    pair_counts = np.zeros(k * k, dtype=np.int64)
    central_sum = np.zeros((k, m))
    offsets = np.arange(k) * k
    done = 0
    while done < n:
        c = min(chunk, n - done)
        w = model.sample(rng, c)
        totals = w @ transposed if noise is None else noise.totals(w, rng)
        better = totals[:, None, :] > totals[:, :, None] + TIE_TOLERANCE  # [s, i, j]: j beats i
        flat = better.view(np.uint8)
        rank0 = flat.sum(axis=2, dtype=np.int64)
        rank_counts += np.bincount((rank0 + offsets).ravel(), minlength=k * k)
        pair_counts += flat.reshape(c, k * k).sum(axis=0, dtype=np.int64)
        central_sum += (rank0 == 0).T.astype(float) @ w
        done += c
        if progress is not None:
            progress(done, total_work)
    firsts = rank_counts.reshape(k, k)[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = central_sum / firsts[:, None]
    central[firsts == 0] = np.nan
    confidence = np.zeros(k, dtype=np.int64)
    defined = np.flatnonzero(firsts > 0)
    if not uncertain:
        for i in defined:
            confidence[i] = int(ranks_kernel(matrix @ central[i])[i] == 1)
    elif noise is not None:
        conf_done = 0
        wc = np.ascontiguousarray(central[defined])  # central weight vectors, one row per defined bid
        while conf_done < n_conf and defined.size:
            c = min(chunk, n_conf - conf_done)
            totals = noise.confidence_totals(wc, rng, c)  # c x bids x central vectors
            leader = totals.max(axis=1)
            for pos, i in enumerate(defined):
                confidence[i] += int(np.sum(totals[:, i, pos] >= leader[:, pos] - TIE_TOLERANCE))
            conf_done += c
            if progress is not None:
                progress(n + conf_done, total_work)
        if not defined.size and progress is not None:
            progress(total_work, total_work)
    # the pair matrix counted "j beats i" at [i, j]; transpose to [winner, loser]
    return SmaaCounts(n, rank_counts.reshape(k, k), pair_counts.reshape(k, k).T.copy(), central_sum, confidence,
                      n_conf if uncertain else 1, central)


def _se(p: FloatArray, n: int) -> FloatArray:
    return np.sqrt(np.clip(p * (1 - p), 0.0, None) / max(n, 1))


# ================================================================ results
@dataclass(frozen=True, eq=False)
class SmaaResult:
    """SMAA-2 measures for the eligible bids, with Monte Carlo standard errors."""

    labels: tuple[str, ...]
    goals: tuple[str, ...]
    n: int
    weight_model: str
    uncertain_scores: bool
    rank_acceptability: FloatArray  # bids x ranks
    central_weights: FloatArray  # bids x goals (NaN: never first)
    confidence: FloatArray  # bids (NaN: never first, so no central weights)
    confidence_n: int
    pairwise: FloatArray  # [i, j] = P(total_i > total_j)
    acceptance_rate: float | None
    base_ranks: IntArray  # ranks at the committee's weights

    @property
    def rank_acceptability_se(self) -> FloatArray:
        return _se(self.rank_acceptability, self.n)

    @property
    def pairwise_se(self) -> FloatArray:
        return _se(self.pairwise, self.n)

    @property
    def confidence_se(self) -> FloatArray:
        return _se(self.confidence, self.confidence_n) if self.uncertain_scores else np.zeros_like(self.confidence)

    @property
    def first_rank(self) -> FloatArray:
        return self.rank_acceptability[:, 0].copy()

    def frame(self) -> pd.DataFrame:
        """Rank acceptability (bid x rank), then first-rank standard error and confidence factor."""
        k = len(self.labels)
        out = pd.DataFrame(self.rank_acceptability, index=pd.Index(self.labels, name="bid"),
                           columns=[f"rank {r}" for r in range(1, k + 1)])
        out["rank 1 ± (se)"] = self.rank_acceptability_se[:, 0]
        out["confidence factor"] = self.confidence
        out["base rank"] = self.base_ranks
        return out

    def central_weights_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.central_weights, index=pd.Index(self.labels, name="bid"), columns=list(self.goals))

    def pairwise_frame(self) -> pd.DataFrame:
        """Row beats column with this probability (the diagonal is empty)."""
        values = self.pairwise.copy()
        np.fill_diagonal(values, np.nan)
        return pd.DataFrame(values, index=pd.Index(self.labels, name="bid"), columns=list(self.labels))

    def plot(self, kind: Literal["acceptability", "pairwise", "central"] = "acceptability",
             ax: Axes | None = None) -> Axes:
        from crmselect import plots

        if kind == "pairwise":
            return plots.heatmap(self.pairwise_frame(), title="Probability that the row bid beats the column bid",
                                 vmin=0.0, vmax=1.0, fmt="{:.0%}", ax=ax)
        if kind == "central":
            return plots.heatmap(self.central_weights_frame(), title="Central weight vectors", vmin=0.0, vmax=1.0,
                                 fmt="{:.0%}", ax=ax)
        acc = self.frame()[[f"rank {r}" for r in range(1, len(self.labels) + 1)]]
        return plots.acceptability_bars(acc, title=f"Rank acceptability ({self.weight_model})",
                                  xlabel="share of samples", ax=ax)

    def _repr_html_(self) -> str:
        from crmselect import tables

        frame = self.frame()
        formats = {c: "percent" for c in frame.columns if c != "base rank"}
        formats["base rank"] = "integer"
        notes = [f"{self.n:,} samples; weights {self.weight_model}"
                 + ("; scores uncertain (committee spread)" if self.uncertain_scores else ""),
                 "Monte Carlo standard error of a share p is sqrt(p(1-p)/n)."]
        if self.acceptance_rate is not None:
            notes.append(f"rejection sampling acceptance rate {self.acceptance_rate:.1%}")
        colour = [c for c in frame.columns if c.startswith("rank ") and "se" not in c]
        return tables.to_html(frame, caption="SMAA rank acceptability", formats=formats, colour_columns=colour,
                              colour_range=(0.0, 1.0), notes=notes)


def _resolve_goal_pairs(data: GoalScores, order: Sequence[tuple[str, str] | str]) -> list[tuple[int, int]]:
    pairs = []
    for item in order:
        if isinstance(item, str):
            if ">=" not in item:
                raise AnalysisError(f"an ordinal statement reads 'goal_a >= goal_b'; received {item!r}")
            a, b = (part.strip() for part in item.split(">=", 1))
        else:
            a, b = item
        pairs.append((data.goal_index(a), data.goal_index(b)))
    return pairs


def _rng(random_state: int | np.random.Generator | None) -> np.random.Generator:
    return random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)


def smaa(
    scores: Scores,
    *,
    n: int = 100_000,
    order: Sequence[tuple[str, str] | str] | None = None,
    ranges: Mapping[str, tuple[float, float]] | None = None,
    spread: float | None = None,
    uncertain_scores: bool = False,
    clip: bool = True,
    chunk_size: int | None = None,
    confidence_samples: int | None = None,
    random_state: int | np.random.Generator | None = None,
    progress: Progress | None = None,
) -> SmaaResult:
    """SMAA-2 over the eligible bids.  Weights: uniform (default), or by ``order`` (e.g. ``["price >= support"]``),
    ``ranges`` ({goal: (lo, hi)}, others free in 0..1), or ``spread`` around the committee's weights; one at most.

    ``uncertain_scores=True`` also draws each goal score from ``N(score, goal_matrix_sd)`` clipped to [0, 1].
    """
    data = goal_scores(scores)
    m = data.matrix.shape[1]
    if n < 1:
        raise AnalysisError(f"n must be at least 1; received {n}")
    if sum(x is not None for x in (order, ranges, spread)) > 1:
        raise AnalysisError("choose one weight model: order, ranges or spread (or none for uniform weights)")
    if order is not None:
        model = ordinal_weights(m, _resolve_goal_pairs(data, order))
    elif ranges is not None:
        lo, hi = np.zeros(m), np.ones(m)
        for goal, (a, b) in ranges.items():
            j = data.goal_index(goal)
            lo[j], hi[j] = float(a), float(b)
        model = range_weights(lo, hi)
    elif spread is not None:
        model = weights_around(data.weights, spread)
    else:
        model = uniform_weights(m)
    sd = data.sd if uncertain_scores and np.any(data.sd > 0) else None
    counts = smaa_kernel(data.matrix, model, n, sd=sd, clip=clip, chunk_size=chunk_size, rng=_rng(random_state),
                         progress=progress, confidence_samples=confidence_samples)
    return SmaaResult(
        data.labels, data.goal_names, n, model.name, sd is not None, counts.rank_counts / n, counts.central_weights,
        np.where(counts.rank_counts[:, 0] > 0, counts.confidence_counts / max(counts.confidence_n, 1), np.nan),
        counts.confidence_n, counts.pair_counts / n,
        model.acceptance_rate, ranks_kernel(data.totals),
    )


# ================================================================ stakeholder views
@dataclass(frozen=True, eq=False)
class StakeholderWins:
    """The ranking under each stakeholder's goal weights, and how often each bid wins across the views."""

    views: tuple[str, ...]
    labels: tuple[str, ...]
    weights: FloatArray  # views x goals
    ranks: IntArray  # views x bids
    win_probability: FloatArray | None  # views x bids, when views were blurred with a spread
    n: int

    @property
    def wins(self) -> pd.Series:
        """Share of views each bid wins (ties count for every tied bid)."""
        return pd.Series((self.ranks == 1).mean(axis=0), index=pd.Index(self.labels, name="bid"), name="share of views")

    def frame(self) -> pd.DataFrame:
        """Rank of each bid (columns) under each view (rows), with the view's winner."""
        out = pd.DataFrame(self.ranks, index=pd.Index(self.views, name="view"), columns=list(self.labels))
        out["winner"] = [", ".join(self.labels[i] for i in np.flatnonzero(r == 1)) for r in self.ranks]
        return out

    def probability_frame(self) -> pd.DataFrame | None:
        if self.win_probability is None:
            return None
        return pd.DataFrame(self.win_probability, index=pd.Index(self.views, name="view"), columns=list(self.labels))

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect import plots

        if self.win_probability is not None:
            return plots.heatmap(self.probability_frame(), title="Probability of winning under each view",
                                 vmin=0.0, vmax=1.0, fmt="{:.0%}", ax=ax)
        return plots.horizontal_bars(self.wins, title="Share of stakeholder views won", xlabel="share", ax=ax)

    def _repr_html_(self) -> str:
        from crmselect import tables

        winners = {self.labels[i] for r in self.ranks for i in np.flatnonzero(r == 1)}
        note = ("All views agree on the winner." if len(winners) == 1
                else f"The views disagree on the winner: {', '.join(sorted(winners))}.")
        return tables.to_html(self.frame(), caption="Ranking under each stakeholder view", default_format="integer",
                              notes=[note])


ViewWeights = Mapping[str, float] | Sequence[float] | FloatArray


def stakeholder_wins(
    scores: Scores, views: Mapping[str, ViewWeights] | Sequence[Any], *, points: Mapping[str, float] | None = None,
    spread: float = 0.0, n: int = 10_000, random_state: int | np.random.Generator | None = None,
) -> StakeholderWins:
    """Rank the bids under each view's goal weights; with ``spread > 0`` also each bid's win probability per view.

    ``views``: {name: weights} or a list of weight vectors or of ``StakeholderView`` objects (their
    ``name`` and ``weights``).  Weights are a {goal id or name: weight} mapping or one weight per goal.
    As in :func:`crmselect.views.compare_views`, a goal a view leaves out keeps the committee's
    points: pass them as ``points`` ({goal id: points}, e.g. from ``goals.yaml``); without ``points``
    a view must weigh every goal.
    """
    data = goal_scores(scores)
    m = data.matrix.shape[1]
    if not views:
        raise AnalysisError("no stakeholder views given")
    if isinstance(views, Mapping):
        named: list[tuple[str, Any]] = [(str(k), v) for k, v in views.items()]
    else:
        named = [(str(getattr(v, "name", f"view {i + 1}")), getattr(v, "weights", v)) for i, v in enumerate(views)]
    rows = []
    for name, view in named:
        if isinstance(view, Mapping):
            given = {data.goal_index(goal): float(value) for goal, value in view.items()}
            missing = [j for j in range(m) if j not in given]
            if missing and points is None:
                raise AnalysisError(f"view {name!r} leaves out {', '.join(data.goal_ids[j] for j in missing)}: "
                                    "give every goal a weight, or pass the committee's points as points=")
            w = np.array([given[j] if j in given else float((points or {})[data.goal_ids[j]]) for j in range(m)])
        else:
            w = np.asarray(view, dtype=float)
            if w.shape != (m,):
                raise AnalysisError(f"view {name!r} must give {m} weights; received {w.shape}")
        if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
            raise AnalysisError(f"view {name!r} needs weights >= 0 that are not all 0; received {w.tolist()}")
        rows.append(w / w.sum())
    weights = np.array(rows)
    ranks = ranks_kernel(weights @ data.matrix.T)
    probability = None
    if spread > 0:
        rng = _rng(random_state)
        probability = np.array([
            smaa_kernel(data.matrix, weights_around(w, spread), n, rng=rng).rank_counts[:, 0] / n for w in weights
        ])
    return StakeholderWins(tuple(name for name, _ in named), data.labels, weights, ranks, probability,
                           n if spread > 0 else 0)


__all__ = [
    "SmaaCounts",
    "SmaaResult",
    "StakeholderWins",
    "WeightModel",
    "default_chunk_size",
    "ordinal_weights",
    "range_weights",
    "smaa",
    "smaa_kernel",
    "stakeholder_wins",
    "uniform_weights",
    "weights_around",
]
