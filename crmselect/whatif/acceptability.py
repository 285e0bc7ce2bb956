"""SMAA: stochastic multicriteria acceptability analysis of the goal weights (and, optionally, the scores).

Where :mod:`crmselect.whatif.sensitivity` answers exact questions about one weight vector, SMAA asks
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

Each estimate p comes with its Monte Carlo standard error ``sqrt(p (1 - p) / n)`` (batch means instead
when score draws are shared, below).

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
treats every score as linear (no clipping at all).  When scores are clipped, each sampled score matrix
serves ``score_reuse`` consecutive weight vectors (default :func:`default_score_reuse`: one per bid, at most
16); every sample keeps the brute-force distribution, but samples sharing a score draw are correlated, so
the variance of a share grows from ``p (1 - p) / n`` to ``p (1 - p) / n * (1 + (r - 1) rho)`` (rho: the
share of the variation due to the scores).  Its standard errors are therefore estimated by batch means over
the independent score draws (:class:`_GroupMoments`), not by the binomial formula.  ``score_reuse=1`` is
the brute-force design, bit for bit as before.  Details and measurements: docs/SMAA_METHOD.md.

Pairwise winning probabilities cost one compare per bid pair and sample: they are counted only with
``pairwise=True``; every other output is the same, bit for bit, with or without them.

Samples are processed in chunks (``chunk_size``; default: about 64 MB of working memory) with one
generator seeded once from ``random_state``; the same seed and chunk size give the same numbers.
``progress(done, total)`` is called after each chunk (total counts both the main and the
confidence-factor pass), so a notebook can attach a progress bar.

Layout: the weight models and the score-noise sampler live in :mod:`crmselect.whatif.smaa_sampling`, the
result objects (:class:`SmaaResult`, :class:`StakeholderWins`) in :mod:`crmselect.whatif.smaa_results`;
this module holds the counting kernel and the wrappers, and every public name of those two
modules is importable from here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from crmselect.errors import AnalysisError
from crmselect.whatif.sensitivity import (
    TIE_TOLERANCE,
    FloatArray,
    GoalScores,
    Scores,
    goal_scores,
    ranks_kernel,
)
from crmselect.whatif.smaa_results import SmaaResult, StakeholderWins
from crmselect.whatif.smaa_sampling import MAX_SAMPLES as MAX_SAMPLES
from crmselect.whatif.smaa_sampling import SAFE_SIGMAS as SAFE_SIGMAS
from crmselect.whatif.smaa_sampling import (
    ScoreNoise,
    WeightModel,
    ordinal_weights,
    range_weights,
    uniform_weights,
    weights_around,
)
from crmselect.whatif.smaa_sampling import WeightSampler as WeightSampler

Progress = Callable[[int, int], None]
_CHUNK_BYTES = 64 * 2**20


# ================================================================ kernel
@dataclass(frozen=True, eq=False)
class SmaaCounts:
    """Raw SMAA tallies (the kernel's output)."""

    n: int
    rank_counts: NDArray[np.int64]  # bids x ranks
    pair_counts: NDArray[np.int64] | None  # [i, j]: samples with total_i > total_j (None: not asked for)
    central_sum: FloatArray  # bids x goals: sum of weights where the bid ranks first
    confidence_counts: NDArray[np.int64]  # bids
    confidence_n: int
    central_weights: FloatArray
    score_reuse: int = 1  # weight vectors served by each sampled score matrix (1: a fresh draw per sample)
    rank_se: FloatArray | None = None  # batch-means standard errors of rank_counts / n (score_reuse > 1 only)
    pair_se: FloatArray | None = None  # the same for pair_counts / n, [winner, loser]


#: Rows tallied at a time: a block's totals, keys and positions stay in the L2 cache (tuned on 20 x 10).
_TALLY_BLOCK = 4_096
#: The most weight vectors one sampled score matrix serves by default (see :func:`default_score_reuse`).
MAX_SCORE_REUSE = 16


def default_score_reuse(bids: int) -> int:
    """Weight vectors per sampled score matrix when scores are clipped: one per bid, at most
    :data:`MAX_SCORE_REUSE`.  A score matrix costs ``bids x goals`` normal draws and a weight vector about
    ``goals`` draws, so this puts both at about equal cost; the cap bounds the design effect (module docstring)."""
    return max(1, min(bids, MAX_SCORE_REUSE))


def default_chunk_size(bids: int, goals: int, uncertain: bool) -> int:
    per_sample = bids * bids + 8 * (bids + goals) + (4 * bids * goals if uncertain else 0)
    return max(256, min(65_536, _CHUNK_BYTES // max(per_sample, 1)))


def _tally_exact(totals: FloatArray, rank_counts: NDArray[np.int64], pair_counts: NDArray[np.int64] | None,
                 offsets: NDArray[np.intp]) -> FloatArray:
    """Add one chunk's ranks and pairwise wins, comparing every pair of totals; return who ranks first (0/1)."""
    c, k = totals.shape
    better = totals[:, None, :] > totals[:, :, None] + TIE_TOLERANCE  # [s, i, j]: j beats i
    flat = better.view(np.uint8)
    rank0 = flat.sum(axis=2, dtype=np.int64)
    rank_counts += np.bincount((rank0 + offsets * k).ravel(), minlength=k * k)
    if pair_counts is not None:
        pair_counts += flat.reshape(c, k * k).sum(axis=0, dtype=np.int64)
    firsts: FloatArray = (rank0 == 0).astype(float)
    return firsts


def _descending_order(totals: FloatArray) -> NDArray[np.intp] | None:
    """Each row's bid indices from the highest total down, from one sort of integer keys (no argsort);
    ``None`` where that shortcut does not apply (more than 65,536 bids, or totals too large for the keys).

    A key is the total's bit pattern, made monotone and inverted (so an ascending sort is descending
    in the totals), with its lowest ``bits`` bits replaced by the bid index.  Dropping them moves a
    total by less than ``|total| * 2**(bits - 52)``, which is kept under half of ``TIE_TOLERANCE``: two
    totals the keys may put in the wrong order are then a near-tie, which :func:`_tally_sorted` finds
    from the exactly sorted totals and counts the exact way.
    """
    k = totals.shape[1]
    bits = max(1, (k - 1).bit_length())
    lowest, highest = float(totals.min()), float(totals.max())
    if bits > 16 or max(-lowest, highest) * 2.0 ** (bits - 52) >= TIE_TOLERANCE / 2:
        return None
    raw = np.ascontiguousarray(totals).view(np.uint64)
    low = np.uint64((1 << bits) - 1)
    flip = np.uint64(0x7FFF_FFFF_FFFF_FFFF)
    keys = raw | low  # the low bits set, so that the flips below clear them
    if lowest >= 0:  # the usual case: flipping the 63 low bits of a non-negative double reverses its order
        keys ^= flip
    else:  # a negative double's pattern grows as it falls: keep it, and it sorts after every non-negative one
        keys = np.where((raw >> np.uint64(63)).astype(bool), keys ^ low, keys ^ flip)
    keys |= np.arange(k, dtype=np.uint64)
    keys.sort(axis=1)
    keys &= low
    order: NDArray[np.intp] = keys.view(np.intp)
    return order


def _order_and_gaps(totals: FloatArray) -> tuple[NDArray[np.intp], NDArray[np.bool_]] | None:
    """:func:`_descending_order` for non-negative totals, with each sample's gaps read off the sorted keys
    (no second sort): ``apart[s, p]`` is True only where the totals in positions p and p + 1 differ by more
    than ``TIE_TOLERANCE``; ``None`` where the keys do not apply (see :func:`_descending_order`).

    A sorted key with its index bits cleared and the flip undone is its total truncated by less than
    ``TIE_TOLERANCE / 2``; two truncated totals more than ``2 * TIE_TOLERANCE`` apart are therefore more than
    ``TIE_TOLERANCE`` apart, also in the kernel's floating-point test.  Samples this stricter test flags are
    counted by :func:`_tally_exact`, which counts a clean sample exactly as the sorted path does.
    """
    k = totals.shape[1]
    bits = max(1, (k - 1).bit_length())
    lowest, highest = float(totals.min()), float(totals.max())
    if bits > 16 or lowest < 0 or highest * 2.0 ** (bits - 52) >= TIE_TOLERANCE / 2:
        return None
    low = np.uint64((1 << bits) - 1)
    flip = np.uint64(0x7FFF_FFFF_FFFF_FFFF)
    keys = np.ascontiguousarray(totals).view(np.uint64) | low
    keys ^= flip
    keys |= np.arange(k, dtype=np.uint64)
    keys.sort(axis=1)
    truncated = (keys | low) ^ flip  # the low bits set, then cleared by the flip
    values = truncated.view(np.float64)
    apart = values[:, :-1] > values[:, 1:] + 2 * TIE_TOLERANCE
    keys &= low
    order: NDArray[np.intp] = keys.view(np.intp)
    return order, apart


def _tally_sorted(totals: FloatArray, rank_counts: NDArray[np.int64], pair_counts: NDArray[np.int64] | None,
                  offsets: NDArray[np.intp]) -> FloatArray:
    """:func:`_tally_exact`'s counts from one sort per sample.

    In a sample whose sorted totals each exceed the next by more than ``TIE_TOLERANCE`` (the kernel's own
    test ``a > b + TIE_TOLERANCE``), the bid in position p has exactly p bids better than it, and bid j
    beats bid i exactly when it stands before it: ranks come from one ``bincount`` and pairwise wins from
    the positions.  Any other sample (a near-tie) is counted by :func:`_tally_exact`.
    """
    c, k = totals.shape
    keyed = _order_and_gaps(totals)
    if keyed is not None:
        order, apart = keyed
    else:
        maybe = _descending_order(totals)
        if maybe is None:
            order = np.argsort(-totals, axis=1, kind="stable")
            ranked = np.take_along_axis(totals, order, axis=1)
        else:
            order = maybe
            ranked = np.sort(totals, axis=1)[:, ::-1]  # the same totals as the keys' order when no two are near
        apart = ranked[:, :-1] > ranked[:, 1:] + TIE_TOLERANCE
    firsts = np.zeros((c, k))
    if apart.all():  # one fast pass over the whole chunk; near-ties are rare with continuous weights
        clean: NDArray[np.bool_] = np.ones(c, dtype=bool)
    else:
        clean = np.asarray(apart.all(axis=1))
        tied = np.flatnonzero(~clean)
        firsts[tied] = _tally_exact(totals[tied], rank_counts, pair_counts, offsets)
        order = order[clean]
    rows = order.shape[0]
    index = order * k
    index += offsets
    rank_counts += np.bincount(index.ravel(), minlength=k * k)
    firsts[np.flatnonzero(clean), order[:, 0]] = 1.0
    if pair_counts is None:
        return firsts
    position_type = np.int8 if k <= 127 else np.int16 if k <= 32_767 else np.int32
    positions = np.empty((rows, k), dtype=position_type)
    np.put_along_axis(positions, order, np.broadcast_to(np.arange(k, dtype=position_type), order.shape), axis=1)
    by_bid = np.ascontiguousarray(positions.T)  # bids x samples
    wins = np.zeros((k, k), dtype=np.int64)  # [i, j]: samples where j stands before i (j beats i)
    for i in range(k - 1):
        before = by_bid[i + 1:] < by_bid[i]  # j > i before i; in the other clean samples i is before j
        for offset, row in enumerate(before, start=i + 1):
            wins[i, offset] = np.count_nonzero(row)
            wins[offset, i] = rows - wins[i, offset]
    pair_counts += wins.ravel()
    return firsts


def _sample_ranks(totals: FloatArray) -> NDArray[np.intp]:
    """Each sample's rank - 1 of each bid as the tallies count it: the bids beating it by over ``TIE_TOLERANCE``."""
    c, k = totals.shape
    order = np.argsort(-totals, axis=1, kind="stable")
    ranked = np.take_along_axis(totals, order, axis=1)
    rank0 = np.empty((c, k), dtype=np.intp)
    np.put_along_axis(rank0, order, np.broadcast_to(np.arange(k), (c, k)), axis=1)
    tied = np.flatnonzero(~np.all(ranked[:, :-1] > ranked[:, 1:] + TIE_TOLERANCE, axis=1))
    if tied.size:
        near = totals[tied]
        rank0[tied] = (near[:, None, :] > near[:, :, None] + TIE_TOLERANCE).sum(axis=2)
    return rank0


class _GroupMoments:
    """Batch means over the groups of samples that share one sampled score matrix.

    Groups are independent of each other, samples within a group are not.  With ``c_g`` a group's count of
    an event and ``r_g`` its size, the share ``p = sum c_g / n`` is a ratio estimator with variance
    ``G / (G - 1) * sum_g (c_g - p r_g)^2 / n^2`` over the ``G`` groups (which is ``p (1 - p) / (n - 1)``
    when every group has one sample).
    """

    def __init__(self, k: int, pairwise: bool) -> None:
        self.k = k
        self.groups = 0
        self.size_sq = 0
        self.rank_sq = np.zeros(k * k)
        self.rank_cross = np.zeros(k * k)
        self.pair_sq = np.zeros(k * k) if pairwise else None
        self.pair_cross = np.zeros(k * k) if pairwise else None

    def add(self, totals: FloatArray, reuse: int) -> None:
        c, k = totals.shape
        group = np.arange(c) // reuse
        g = int(group[-1]) + 1
        sizes = np.bincount(group, minlength=g).astype(float)
        index = (group[:, None] * k + np.arange(k)) * k + _sample_ranks(totals)
        counts = np.bincount(index.ravel(), minlength=g * k * k).reshape(g, k * k).astype(float)
        self.rank_sq += (counts * counts).sum(axis=0)
        self.rank_cross += sizes @ counts
        if self.pair_sq is not None and self.pair_cross is not None:
            beats = (totals[:, :, None] > totals[:, None, :] + TIE_TOLERANCE).reshape(c, k * k)  # [s, winner, loser]
            wins = np.add.reduceat(beats, np.arange(0, c, reuse), axis=0, dtype=np.int64).astype(float)
            self.pair_sq += (wins * wins).sum(axis=0)
            self.pair_cross += sizes @ wins
        self.size_sq += int((sizes * sizes).sum())
        self.groups += g

    def _se(self, counts: NDArray[np.int64], square: FloatArray, cross: FloatArray, n: int) -> FloatArray:
        if self.groups < 2:
            return np.full(counts.shape, np.nan)
        p = counts.ravel() / n
        spread = np.clip(square - 2.0 * p * cross + p * p * self.size_sq, 0.0, None)
        out: FloatArray = np.sqrt(self.groups / (self.groups - 1) * spread / n**2).reshape(counts.shape)
        return out

    def rank_se(self, rank_counts: NDArray[np.int64], n: int) -> FloatArray:
        return self._se(rank_counts, self.rank_sq, self.rank_cross, n)

    def pair_se(self, pair_counts: NDArray[np.int64] | None, n: int) -> FloatArray | None:
        if pair_counts is None or self.pair_sq is None or self.pair_cross is None:
            return None
        return self._se(pair_counts, self.pair_sq, self.pair_cross, n)


def smaa_kernel(
    matrix: FloatArray, model: WeightModel, n: int, *, sd: FloatArray | None = None, clip: bool = True,
    chunk_size: int | None = None, rng: np.random.Generator, progress: Progress | None = None,
    confidence_samples: int | None = None, exact: bool = False, pairwise: bool = False,
    score_reuse: int | None = None,
) -> SmaaCounts:
    """Count ranks, central weights and confidence hits (and pairwise wins with ``pairwise=True``) over ``n``
    samples, chunk by chunk.

    ``exact=True`` counts every sample by comparing all pairs of totals (the plain path); the default sorts
    each sample once and compares all pairs only in samples with a near-tie (see :func:`_tally_sorted`).
    Both give the same counts, bit for bit.

    With clipped uncertain scores, each sampled score matrix serves ``score_reuse`` consecutive weight vectors
    (default :func:`default_score_reuse`; ``1`` draws a fresh score matrix per sample, the brute-force design),
    and the standard errors come from batch means over the score draws (:class:`_GroupMoments`).
    """
    k, m = matrix.shape
    uncertain = sd is not None
    if score_reuse is not None and score_reuse < 1:
        raise AnalysisError(f"score_reuse must be at least 1 weight vector per sampled score matrix; "
                            f"received {score_reuse}")
    chunk = chunk_size or default_chunk_size(k, m, uncertain)
    n_conf = 0 if not uncertain else (confidence_samples if confidence_samples is not None
                                      else min(n, max(10_000, n // 10)))
    total_work = n + n_conf
    transposed = np.ascontiguousarray(matrix.T)
    noise = None if sd is None else ScoreNoise(matrix, sd, clip)
    reuse = 1 if noise is None or not noise.sampled else score_reuse or default_score_reuse(k)
    if reuse > 1:  # whole groups per chunk
        chunk = max(reuse, chunk // reuse * reuse)
    moments = _GroupMoments(k, pairwise) if reuse > 1 else None
    rank_counts = np.zeros(k * k, dtype=np.int64)
    pair_counts = np.zeros(k * k, dtype=np.int64) if pairwise else None
    central_sum = np.zeros((k, m))
    offsets = np.arange(k)
    done = 0
    tally = _tally_exact if exact else _tally_sorted
    while done < n:
        c = min(chunk, n - done)
        w = model.sample(rng, c)
        if noise is None:
            totals = w @ transposed
        elif reuse == 1:
            totals = noise.totals(w, rng)
        else:
            totals = noise.shared_totals(w, rng, reuse)
        if c <= _TALLY_BLOCK:
            firsts_chunk = tally(totals, rank_counts, pair_counts, offsets)
        else:  # counts are integers: tallying block by block changes nothing but the cache misses
            firsts_chunk = np.empty((c, k))
            for start in range(0, c, _TALLY_BLOCK):
                block = slice(start, start + _TALLY_BLOCK)
                firsts_chunk[block] = tally(totals[block], rank_counts, pair_counts, offsets)
        if moments is not None:
            moments.add(totals, reuse)
        central_sum += firsts_chunk.T @ w
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
    pairs = None if pair_counts is None else pair_counts.reshape(k, k).T.copy()
    ranks = rank_counts.reshape(k, k)
    return SmaaCounts(n, ranks, pairs, central_sum, confidence, n_conf if uncertain else 1, central, reuse,
                      None if moments is None else moments.rank_se(ranks, n),
                      None if moments is None else moments.pair_se(pairs, n))


# ================================================================ wrappers
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
    pairwise: bool = False,
    score_reuse: int | None = None,
) -> SmaaResult:
    """SMAA-2 over the eligible bids.  Weights: uniform (default), or by ``order`` (e.g. ``["price >= support"]``),
    ``ranges`` ({goal: (lo, hi)}, others free in 0..1), or ``spread`` around the committee's weights; one at most.

    ``uncertain_scores=True`` also draws each goal score from ``N(score, goal_matrix_sd)`` clipped to [0, 1];
    each sampled score matrix serves ``score_reuse`` weight vectors (see :func:`smaa_kernel`).
    ``pairwise=True`` also counts the pairwise winning probabilities (``result.pairwise``).
    """
    data = goal_scores(scores)
    m = data.matrix.shape[1]
    if not 1 <= n <= MAX_SAMPLES:
        raise AnalysisError(f"n must be from 1 to {MAX_SAMPLES:,} weight samples (what runs in seconds on a 2-core "
                            f"machine); received {n:,}")
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
                         progress=progress, confidence_samples=confidence_samples, pairwise=pairwise,
                         score_reuse=score_reuse)
    return SmaaResult(
        data.labels, data.goal_names, n, model.name, sd is not None, counts.rank_counts / n, counts.central_weights,
        np.where(counts.rank_counts[:, 0] > 0, counts.confidence_counts / max(counts.confidence_n, 1), np.nan),
        counts.confidence_n, None if counts.pair_counts is None else counts.pair_counts / n,
        model.acceptance_rate, ranks_kernel(data.totals), counts.score_reuse, counts.rank_se, counts.pair_se,
    )


# ================================================================ stakeholder views
ViewWeights = Mapping[str, float] | Sequence[float] | FloatArray


def stakeholder_wins(
    scores: Scores, views: Mapping[str, ViewWeights] | Sequence[Any], *, points: Mapping[str, float] | None = None,
    spread: float = 0.0, n: int = 10_000, random_state: int | np.random.Generator | None = None,
) -> StakeholderWins:
    """Rank the bids under each view's goal weights; with ``spread > 0`` also each bid's win probability per view.

    ``views``: {name: weights} or a list of weight vectors or of ``StakeholderView`` objects (their
    ``name`` and ``weights``).  Weights are a {goal id or name: weight} mapping or one weight per goal.
    As in :func:`crmselect.scoring.views.compare_views`, a goal a view leaves out keeps the committee's
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
    "default_score_reuse",
    "ordinal_weights",
    "range_weights",
    "smaa",
    "smaa_kernel",
    "stakeholder_wins",
    "uniform_weights",
    "weights_around",
]
