"""How :mod:`crmselect.whatif.acceptability` draws its samples: weight models, and goal scores made uncertain.

- :class:`WeightModel` names a way to draw plausible goal-weight vectors (``sample(rng, n) -> (n, goals)``):
  :func:`uniform_weights` (Dirichlet(1) on the simplex), :func:`ordinal_weights` (uniform under
  stated orders ``w_a >= w_b``, drawn directly through a uniformly random linear extension),
  :func:`range_weights` (uniform within ``lo <= w <= hi`` by rejection from the shifted simplex)
  and :func:`weights_around` (Dirichlet around the committee's weights).
- :class:`ScoreNoise` draws totals under uncertain scores ``clip(G + sd Z, 0, 1)``, in closed form
  for every score that cannot reach 0 or 1 (see :data:`SAFE_SIGMAS`).  :meth:`ScoreNoise.shared_totals` lets
  one sampled score matrix serve several consecutive weight vectors (the shared design; its effect on the
  standard errors, estimated by batch means, is in docs/SMAA_METHOD.md); :meth:`ScoreNoise.totals` draws a
  fresh one per weight vector (brute force).

The definitions and their justification are in the docstring of :mod:`crmselect.whatif.acceptability`.  Every
sampler takes an injected ``numpy.random.Generator`` (ARCHITECTURE.md habit 7).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from crmselect.errors import AnalysisError
from crmselect.whatif.sensitivity_kernels import FloatArray, IntArray

WeightSampler = Callable[[np.random.Generator, int], FloatArray]
#: The most weight samples one SMAA run takes: about 1 s per million at 20 goals x 10 bids here (declared with the
#: sampling, so the command line's bound does not load the SMAA code).
MAX_SAMPLES = 2_000_000
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


# ================================================================ uncertain scores
#: A score at least this many standard deviations inside [0, 1] is never clipped in double precision
#: (P(|Z| > 8.5) = 1.9e-17), so its noise enters the totals linearly and is summed in closed form.
SAFE_SIGMAS = 8.5


class ScoreNoise:
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

    @property
    def sampled(self) -> bool:
        """Whether any score is drawn one by one (clipped); otherwise every score is in the closed form."""
        return bool(self.bid.size)

    def shared_totals(self, w: FloatArray, rng: np.random.Generator, reuse: int) -> FloatArray:
        """Sampled totals (chunk x bids) for weights ``w`` (chunk x goals), one sampled score matrix per ``reuse``
        consecutive weight vectors (the last group may be shorter).

        The closed-form noise of the scores that cannot be clipped is still drawn per weight vector, so each
        row has exactly the distribution of :meth:`totals`; only rows of one group share their clipped draws.
        """
        c, m = w.shape
        k = self.matrix.shape[0]
        groups = -(-c // reuse)
        noisy = self._noisy(rng, groups)
        if noisy is None:
            return self.totals(w, rng)
        padded = np.zeros((groups * reuse, m), dtype=np.float32)
        padded[:c] = w
        shared = np.matmul(noisy, padded.reshape(groups, reuse, m).transpose(0, 2, 1))  # groups x bids x reuse
        out: FloatArray = shared.transpose(0, 2, 1).reshape(groups * reuse, k)[:c].astype(np.float64)
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



__all__ = [
    "SAFE_SIGMAS",
    "ScoreNoise",
    "WeightModel",
    "WeightSampler",
    "ordinal_weights",
    "range_weights",
    "uniform_weights",
    "weights_around",
]
