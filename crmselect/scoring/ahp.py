"""AHP: priorities from pairwise comparison matrices, Saaty's consistency ratio, group AHP.

Kernels (``*_kernel``) take ndarrays and do no validation; :func:`ahp`, :func:`ahp_matrix` and
:func:`ahp_group` validate once and raise ``AnalysisError``.  Every public name here is also
importable from :mod:`crmselect.scoring.weights`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from crmselect.errors import AnalysisError
from crmselect.scoring.normalisation import FloatArray, _as_array, _as_float, normalise
from crmselect.show.i18n import N_, _

PRIORITY = N_("priority")  # the weights' column, as shown

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
        from crmselect.show.tables import to_html

        notes = [f"lambda_max = {self.lambda_max:.3f}, CI = {self.ci:.3f}, CR = {self.cr:.3f}"]  # symbols, as written
        if self.warning:
            notes.append(self.warning)
        frame = self.frame().rename(columns={"priority": _(PRIORITY)})
        return to_html(frame, caption=_("AHP pairwise comparison"), formats={_(PRIORITY): "score"},
                       default_format="number", notes=notes)


def principal_eigen_kernel(matrix: FloatArray) -> tuple[FloatArray, float]:
    """The principal (Perron) eigenvector, scaled to sum 1, and its eigenvalue, without checks."""
    values, vectors = np.linalg.eig(matrix)
    index = int(np.argmax(values.real))
    vector = np.abs(vectors[:, index].real)
    return vector / vector.sum(), float(values[index].real)


def power_steps_kernel(matrix: FloatArray, steps: int) -> tuple[FloatArray, float, float]:
    """(weights, lambda_max, cr) as a spreadsheet can compute them: row geometric means, then ``steps``
    power-method steps ``w <- A w / sum(A w)``, and ``lambda_max = sum(A w)``.

    The goals workbook's live weights and consistency ratio are these formulas; Excel has no eigen solver.
    """
    n = matrix.shape[0]
    weights = np.exp(np.log(matrix).mean(axis=1))
    weights = weights / weights.sum()
    for _step in range(steps):
        product = matrix @ weights
        weights = product / product.sum()
    lam = float((matrix @ weights).sum())
    ri = random_index(n)
    cr = (lam - n) / (n - 1) / ri if n >= 3 and ri > 0 else 0.0
    return weights, lam, cr


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


__all__ = [
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "AhpResult",
    "InconsistentJudgementsWarning",
    "ahp",
    "ahp_group",
    "ahp_kernel",
    "ahp_matrix",
    "geometric_mean_kernel",
    "power_steps_kernel",
    "principal_eigen_kernel",
    "random_index",
]
