"""Weight maths: goal weights from points, rank order, swings or AHP; criterion weights from goals.

Every method is a pure function returning weights that sum to 1.  Kernels take ndarrays and do
no validation (``*_kernel``); the public functions validate once and raise ``AnalysisError``
saying what is allowed and what was received.

Goals carry the weight; a criterion earns weight only through the goals it serves::

    criterion weight c_j = sum_g  w_g * p_gj / sum_k p_gk        (p = the goal's points)

so that ``criterion_values @ c == goal_scores @ w`` for every bid.  A criterion linked to no goal
weighs 0 and is reported as an unlinked feature.

The layout: :mod:`crmselect.scoring.normalisation` (``normalise``), :mod:`crmselect.scoring.ahp` (AHP with the
consistency ratio, group AHP) and this module (rank order centroid, swing, goals -> criteria),
which re-exports every public name of the other two.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

import numpy as np

from crmselect.errors import AnalysisError
from crmselect.model.goals import Selection
from crmselect.scoring.ahp import (
    CR_THRESHOLD,
    RANDOM_INDEX,
    AhpResult,
    InconsistentJudgementsWarning,
    ahp,
    ahp_group,
    ahp_kernel,
    ahp_matrix,
    geometric_mean_kernel,
    principal_eigen_kernel,
    random_index,
)
from crmselect.scoring.normalisation import FloatArray, _as_float, _check_vector, normalise, normalise_kernel


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


__all__ = [
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "AhpResult",
    "FloatArray",
    "InconsistentJudgementsWarning",
    "ahp",
    "ahp_group",
    "ahp_kernel",
    "ahp_matrix",
    "criterion_weights",
    "criterion_weights_kernel",
    "geometric_mean_kernel",
    "goal_weight_vector",
    "normalise",
    "normalise_kernel",
    "points_matrix",
    "principal_eigen_kernel",
    "random_index",
    "rank_order_centroid",
    "rank_order_centroid_kernel",
    "share_kernel",
    "swing",
]
