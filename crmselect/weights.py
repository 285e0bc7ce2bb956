"""Weight maths: goal weights from points, rank order, swings or AHP; criterion weights from goals.

Every method is a pure function returning weights that sum to 1.  Kernels take ndarrays and do
no validation (``*_kernel``); the public functions validate once and raise ``AnalysisError``
saying what is allowed and what was received.

Goals carry the weight; a criterion earns weight only through the goals it serves::

    criterion weight c_j = sum_g  w_g * p_gj / sum_k p_gk        (p = the goal's points)

so that ``criterion_values @ c == goal_scores @ w`` for every bid.  A criterion linked to no goal
weighs 0 and is reported as an unlinked feature.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from crmselect.errors import AnalysisError
from crmselect.model import Selection

FloatArray = NDArray[np.float64]

#: Saaty's random consistency index RI(n): the mean consistency index of random reciprocal
#: matrices of order n with entries from the 1/9..9 scale.  Saaty, T.L. (1980) *The Analytic
#: Hierarchy Process*, McGraw-Hill, p. 21; repeated in Saaty (1990) "How to make a decision:
#: the Analytic Hierarchy Process", European Journal of Operational Research 48, 9-26.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45, 10: 1.49,
}
#: Saaty's threshold: a consistency ratio above 0.10 means the judgements should be revisited.
CR_THRESHOLD = 0.10
_RECIPROCAL_TOLERANCE = 1e-6


class InconsistentJudgementsWarning(UserWarning):
    """AHP judgements whose consistency ratio is above 0.10 (Saaty's threshold)."""


# ---------------------------------------------------------------- normalisation
def normalise_kernel(values: FloatArray) -> FloatArray:
    """``values / values.sum()`` without checks."""
    out: FloatArray = values / values.sum()
    return out


def _check_vector(values: FloatArray, what: str, labels: Sequence[str] | None = None) -> None:
    names = list(labels) if labels is not None else [str(i) for i in range(values.size)]
    bad = [f"{names[i]}={float(v):g}" for i, v in enumerate(values) if not math.isfinite(v) or v < 0]
    if bad:
        raise AnalysisError(f"{what} must be finite numbers >= 0 (received {', '.join(bad)})")
    if values.size == 0:
        raise AnalysisError(f"{what} must not be empty (received no values)")
    if not values.sum() > 0:
        raise AnalysisError(f"{what} must have at least one value above 0 (received all zero)")


@overload
def normalise(weights: Mapping[str, float]) -> dict[str, float]: ...
@overload
def normalise(weights: Sequence[float] | FloatArray) -> FloatArray: ...
def normalise(weights: Mapping[str, float] | Sequence[float] | FloatArray) -> dict[str, float] | FloatArray:
    """Weights scaled to sum to 1: a mapping gives a dict, a sequence or array gives an array.

    Weights must be finite, non-negative and not all zero.
    """
    if isinstance(weights, Mapping):
        keys = list(weights)
        values = np.asarray([_as_float(weights[k], f"weight of {k}") for k in keys], dtype=float)
        _check_vector(values, "weights", keys)
        return dict(zip(keys, normalise_kernel(values).tolist(), strict=True))
    array = _as_array(weights, "weights")
    if array.ndim != 1:
        raise AnalysisError(f"weights must be one-dimensional (received shape {array.shape})")
    _check_vector(array, "weights")
    return normalise_kernel(array)


def _as_float(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise AnalysisError(f"{what} must be a number (received {value!r})")
    return float(value)


def _as_array(values: ArrayLike, what: str) -> FloatArray:
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise AnalysisError(f"{what} must be numbers (received {values!r})") from exc


# ---------------------------------------------------------------- rank order centroid
def rank_order_centroid_kernel(n: int) -> FloatArray:
    """ROC weights for ranks 1..n: ``w_i = (1/n) * sum_{k=i}^{n} 1/k`` (Barron & Barrett 1996)."""
    inverse = 1.0 / np.arange(1, n + 1, dtype=float)
    return np.cumsum(inverse[::-1])[::-1] / n


def rank_order_centroid(ranking: Sequence[str | Sequence[str]]) -> dict[str, float]:
    """Weights from a rank order alone: the centroid of all weight vectors with that order.

    ``ranking`` lists goal ids from most to least important; an inner list holds goals tied at
    one position, which share the mean of the ROC weights of the positions they occupy.
    Formula: ``w_i = (1/n) * sum_{k=i}^{n} 1/k`` (Barron, F.H. & Barrett, B.E. (1996) "Decision
    quality using ranked attribute weights", Management Science 42(11), 1515-1523).
    """
    groups: list[list[str]] = []
    for item in ranking:
        group = [item] if isinstance(item, str) else list(item)
        if not group or not all(isinstance(g, str) for g in group):
            raise AnalysisError(f"ranking entries must be ids or non-empty lists of ids (received {item!r})")
        groups.append(group)
    flat = [g for group in groups for g in group]
    duplicates = sorted({g for g in flat if flat.count(g) > 1})
    if duplicates:
        raise AnalysisError(f"each id may appear once in a ranking (received duplicates {duplicates})")
    if not flat:
        raise AnalysisError("a ranking needs at least one id (received none)")
    roc = rank_order_centroid_kernel(len(flat))
    out: dict[str, float] = {}
    position = 0
    for group in groups:
        share = float(roc[position : position + len(group)].mean())
        out.update(dict.fromkeys(group, share))
        position += len(group)
    return out


# ---------------------------------------------------------------- swing weighting
def swing(ratings: Mapping[str, float]) -> dict[str, float]:
    """Swing weights: the most valued swing (worst to best on a goal) is rated 100, the others 0..100.

    The weights are the ratings divided by their sum (von Winterfeldt, D. & Edwards, W. (1986)
    *Decision Analysis and Behavioral Research*, Cambridge University Press, ch. 8).
    """
    keys = list(ratings)
    values = np.asarray([_as_float(ratings[k], f"swing rating of {k}") for k in keys], dtype=float)
    _check_vector(values, "swing ratings", keys)
    over = [f"{k}={v:g}" for k, v in zip(keys, values, strict=True) if v > 100]
    if over or values.max() != 100:
        raise AnalysisError(
            "swing ratings run from 0 to 100 with the most valued swing at exactly 100 "
            f"(received {', '.join(over) if over else f'a highest rating of {values.max():g}'})"
        )
    return dict(zip(keys, normalise_kernel(values).tolist(), strict=True))


# ---------------------------------------------------------------- AHP
@dataclass(frozen=True, eq=False)
class AhpResult:
    """Priorities from a pairwise comparison matrix, with Saaty's consistency measures.

    ``ci = (lambda_max - n) / (n - 1)``; ``cr = ci / RI(n)`` with Saaty's random index
    (:data:`RANDOM_INDEX`).  ``consistent`` is ``cr <= 0.10``.
    """

    labels: tuple[str, ...]
    matrix: FloatArray
    weights: FloatArray
    lambda_max: float
    ci: float
    cr: float
    random_index: float
    warning: str | None = field(default=None)

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_THRESHOLD

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.labels, self.weights.tolist(), strict=True))

    def frame(self) -> Any:
        import pandas as pd

        out = pd.DataFrame(self.matrix.copy(), index=list(self.labels), columns=list(self.labels))
        out["priority"] = self.weights.copy()
        return out

    def _repr_html_(self) -> str:
        from crmselect.tables import to_html

        notes = [f"lambda_max = {self.lambda_max:.3f}, CI = {self.ci:.3f}, CR = {self.cr:.3f}"]
        if self.warning:
            notes.append(self.warning)
        return to_html(self.frame(), caption="AHP pairwise comparison", formats={"priority": "score"},
                       default_format="number", notes=notes)


def principal_eigen_kernel(matrix: FloatArray) -> tuple[FloatArray, float]:
    """The principal (Perron) eigenvector, scaled to sum 1, and its eigenvalue, without checks."""
    values, vectors = np.linalg.eig(matrix)
    index = int(np.argmax(values.real))
    vector = np.abs(vectors[:, index].real)
    return vector / vector.sum(), float(values[index].real)


def random_index(n: int) -> float:
    """Saaty's random index RI(n); orders above 10 use RI(10) = 1.49 (RI grows very slowly beyond)."""
    return RANDOM_INDEX.get(n, RANDOM_INDEX[10])


def ahp_kernel(matrix: FloatArray) -> tuple[FloatArray, float, float, float]:
    """(weights, lambda_max, ci, cr) of a positive reciprocal matrix, without checks."""
    n = matrix.shape[0]
    if n == 1:
        return np.ones(1), 1.0, 0.0, 0.0
    weights, lam = principal_eigen_kernel(matrix)
    ci = max((lam - n) / (n - 1), 0.0)
    ri = random_index(n)
    cr = ci / ri if ri > 0 else 0.0
    return weights, lam, ci, cr


def _check_matrix(
    matrix: ArrayLike, labels: Sequence[str] | None, what: str = "matrix"
) -> tuple[FloatArray, tuple[str, ...]]:
    array = _as_array(matrix, f"the pairwise {what}")
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.shape[0] == 0:
        raise AnalysisError(f"the pairwise {what} must be square and non-empty (received shape {array.shape})")
    n = array.shape[0]
    names = tuple(labels) if labels is not None else tuple(str(i + 1) for i in range(n))
    if len(names) != n:
        raise AnalysisError(f"labels must name each of the {n} rows (received {len(names)} labels)")
    problems = []
    for i in range(n):
        for j in range(n):
            a = array[i, j]
            if not math.isfinite(a) or a <= 0:
                problems.append(f"[{names[i]}, {names[j]}] = {a!r} is not a positive number")
            elif i == j and abs(a - 1) > _RECIPROCAL_TOLERANCE:
                problems.append(f"[{names[i]}, {names[i]}] = {a:g} should be 1")
            elif j > i and math.isfinite(array[j, i]) and abs(a * array[j, i] - 1) > _RECIPROCAL_TOLERANCE:
                problems.append(f"[{names[i]}, {names[j]}] = {a:g} and [{names[j]}, {names[i]}] = {array[j, i]:g} "
                                "are not reciprocals")
    if problems:
        raise AnalysisError(
            f"the pairwise {what} must be positive and reciprocal (a_ji = 1 / a_ij, a_ii = 1); received: "
            + "; ".join(problems)
        )
    return array, names


def _result(array: FloatArray, names: tuple[str, ...], warn: bool) -> AhpResult:
    weights, lam, ci, cr = ahp_kernel(array)
    message = None
    if cr > CR_THRESHOLD:
        message = (f"consistency ratio {cr:.3f} is above {CR_THRESHOLD:.2f}: the judgements contradict each other; "
                   "revisit the comparisons with the largest a_ij * w_j / w_i")
        if warn:
            warnings.warn(message, InconsistentJudgementsWarning, stacklevel=3)
    array = array.copy()
    array.setflags(write=False)
    weights.setflags(write=False)
    return AhpResult(labels=names, matrix=array, weights=weights, lambda_max=lam, ci=ci, cr=cr,
                     random_index=random_index(array.shape[0]), warning=message)


def ahp(matrix: ArrayLike, *, labels: Sequence[str] | None = None, warn: bool = True) -> AhpResult:
    """Goal weights from Saaty's pairwise comparisons: the principal eigenvector of the matrix.

    ``matrix[i][j]`` says how much more important item i is than item j on Saaty's 1..9 scale
    (reciprocals below the diagonal).  The consistency index is ``CI = (lambda_max - n)/(n - 1)``
    and the consistency ratio ``CR = CI / RI(n)`` with Saaty's random index table
    (:data:`RANDOM_INDEX`, Saaty 1980 p. 21).  Above 0.10 the result carries ``warning`` and an
    :class:`InconsistentJudgementsWarning` is issued (unless ``warn=False``).
    """
    array, names = _check_matrix(matrix, labels)
    return _result(array, names, warn)


def ahp_matrix(judgements: Mapping[tuple[str, str], float], labels: Sequence[str]) -> FloatArray:
    """A full reciprocal matrix from judgements ``{(a, b): how much more a matters than b}``.

    Each unordered pair must be judged exactly once; the diagonal is 1.
    """
    index = {label: i for i, label in enumerate(labels)}
    n = len(labels)
    out = np.full((n, n), np.nan)
    np.fill_diagonal(out, 1.0)
    problems = []
    for (a, b), value in judgements.items():
        if a not in index or b not in index or a == b:
            problems.append(f"({a}, {b}) does not name two different items of {list(labels)}")
            continue
        number = _as_float(value, f"judgement ({a}, {b})")
        if not math.isfinite(number) or number <= 0:
            problems.append(f"({a}, {b}) = {value!r} is not a positive number")
            continue
        i, j = index[a], index[b]
        if not math.isnan(out[i, j]):
            problems.append(f"({a}, {b}) is judged twice")
            continue
        out[i, j], out[j, i] = number, 1.0 / number
    missing = [f"({labels[i]}, {labels[j]})" for i in range(n) for j in range(i + 1, n) if math.isnan(out[i, j])]
    if missing:
        problems.append("missing judgements " + ", ".join(missing))
    if problems:
        raise AnalysisError(
            "AHP judgements must compare every pair once with a positive number; " + "; ".join(problems))
    return out


def geometric_mean_kernel(matrices: FloatArray, member_weights: FloatArray) -> FloatArray:
    """Element-wise weighted geometric mean of a stack of matrices (members x n x n), without checks."""
    out: FloatArray = np.exp(np.tensordot(member_weights, np.log(matrices), axes=1))
    return out


def ahp_group(
    matrices: Sequence[ArrayLike],
    *,
    labels: Sequence[str] | None = None,
    member_weights: Sequence[float] | None = None,
    warn: bool = True,
) -> AhpResult:
    """One judgement for the committee: the element-wise geometric mean of members' matrices.

    The geometric mean is the aggregation that keeps the result reciprocal (Aczél, J. & Saaty,
    T.L. (1983) "Procedures for synthesizing ratio judgements", Journal of Mathematical
    Psychology 27, 93-102); it is then analysed like one member's matrix.  ``member_weights``
    (normalised) weight the members; default equal.
    """
    if len(matrices) == 0:
        raise AnalysisError("ahp_group needs at least one member's matrix (received none)")
    checked = [_check_matrix(m, labels, f"matrix of member {k + 1}")[0] for k, m in enumerate(matrices)]
    shapes = {m.shape for m in checked}
    if len(shapes) != 1:
        raise AnalysisError(f"every member must compare the same items (received shapes {sorted(shapes)})")
    count = len(checked)
    if member_weights is None:
        mw = np.full(count, 1.0 / count)
    else:
        mw = normalise(list(member_weights))
        if mw.size != count:
            raise AnalysisError(f"member_weights needs one weight per matrix ({count}) (received {mw.size})")
    combined = geometric_mean_kernel(np.stack(checked), mw)
    n = combined.shape[0]
    names = tuple(labels) if labels is not None else tuple(str(i + 1) for i in range(n))
    return _result(combined, names, warn)


# ---------------------------------------------------------------- goals -> criteria
def share_kernel(points: FloatArray, visible: FloatArray | None = None) -> FloatArray:
    """Each goal's points as shares of its (visible) criteria: rows sum to 1, or 0 when none is visible.

    ``points`` is goals x criteria; ``visible`` a 0/1 vector over criteria (hidden criteria's points
    are re-shared among the goal's visible ones).
    """
    masked = points if visible is None else points * visible[np.newaxis, :]
    totals = masked.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals > 0, masked / np.where(totals > 0, totals, 1.0), 0.0)
    return share


def criterion_weights_kernel(share: FloatArray, goal_weights: FloatArray) -> FloatArray:
    """``c = goal_weights @ share``: criterion weight = sum over goals of goal weight x share."""
    out: FloatArray = goal_weights @ share
    return out


def points_matrix(selection: Selection, criterion_ids: Sequence[str]) -> FloatArray:
    """Goals x criteria matrix of the points each goal gives each criterion (0 when not linked)."""
    column = {cid: j for j, cid in enumerate(criterion_ids)}
    out = np.zeros((len(selection.goals), len(criterion_ids)))
    for g, goal in enumerate(selection.goals):
        for cid, points in goal.criteria.items():
            if cid in column:
                out[g, column[cid]] = points
    return out


def goal_weight_vector(selection: Selection, weights: Mapping[str, float] | None = None) -> FloatArray:
    """The goals' weights in goal order, with ``weights`` replacing some of them, normalised to sum 1."""
    raw = {goal.id: goal.weight for goal in selection.goals}
    if weights:
        unknown = sorted(set(weights) - set(raw))
        if unknown:
            raise AnalysisError(f"weights name unknown goals {unknown} (allowed: {', '.join(raw)})")
        raw.update({k: _as_float(v, f"weight of goal {k}") for k, v in weights.items()})
    return normalise(np.asarray([raw[g] for g in selection.goal_ids], dtype=float))


def criterion_weights(
    selection: Selection,
    goal_weights: Mapping[str, float] | None = None,
    *,
    catalogue: Iterable[str] = (),
    hidden: Collection[str] = (),
) -> dict[str, float]:
    """Criterion id -> weight: sum over goals of goal weight x the criterion's share of the goal's points.

    ``goal_weights`` replaces some goals' weights (points, normalised with the rest); ``catalogue``
    lists every criterion id so the unlinked ones appear with weight 0; ``hidden`` criteria (the
    price envelope before prices are revealed) weigh 0 and each goal's points are re-shared
    among its visible criteria.  Linked criteria come first, in the order the goals name them.
    """
    linked: list[str] = []
    for goal in selection.goals:
        linked.extend(cid for cid in goal.criteria if cid not in linked)
    others = [cid for cid in catalogue if cid not in linked]
    ids = linked + others
    points = points_matrix(selection, ids)
    hidden_set = set(hidden)
    visible = np.asarray([0.0 if cid in hidden_set else 1.0 for cid in ids])
    weights = criterion_weights_kernel(share_kernel(points, visible), goal_weight_vector(selection, goal_weights))
    return dict(zip(ids, weights.tolist(), strict=True))
