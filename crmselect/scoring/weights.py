"""Weight maths: goal weights from points, rank order, swings or AHP; criterion weights from goals.

Every method is a pure function returning weights that sum to 1.  Kernels take ndarrays and do
no validation (``*_kernel``); the public functions validate once and raise ``AnalysisError``
saying what is allowed and what was received.

Goals carry the weight; a criterion earns weight only through the goals it serves::

    criterion weight c_j = sum_g  w_g * p_gj / sum_k p_gk        (p = the goal's points)

so that ``criterion_values @ c == goal_scores @ w`` for every bid.  A criterion linked to no goal
weighs 0 and is reported as an unlinked feature.

The layout: :mod:`crmselect.scoring.normalisation` (``normalise``), :mod:`crmselect.scoring.ahp` (AHP with the
consistency ratio, group AHP), :mod:`crmselect.scoring.weighting` (rank order centroid, swing, and the goals
file's weighting method) and this module (goals -> criteria), which re-exports every public name of the others.
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
from crmselect.scoring.normalisation import FloatArray, _as_float, normalise, normalise_kernel
from crmselect.scoring.weighting import (
    DerivedWeights,
    derive_weights,
    rank_order_centroid,
    rank_order_centroid_kernel,
    swing,
)


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
    """The goals' weights in goal order, with ``weights`` replacing some of them, normalised to sum 1.

    The base weights come from the selection's weighting method (:func:`derive_weights`): points
    as given, other methods' weights as percentage points, so that ``weights`` (points) mix with them.
    """
    derived = derive_weights(selection)
    if derived.method.value == "points":
        raw = {goal.id: float(goal.weight or 0.0) for goal in selection.goals}
    else:
        raw = {goal: 100.0 * w for goal, w in derived.as_dict().items()}
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
    "DerivedWeights",
    "FloatArray",
    "InconsistentJudgementsWarning",
    "ahp",
    "ahp_group",
    "ahp_kernel",
    "ahp_matrix",
    "criterion_weights",
    "criterion_weights_kernel",
    "derive_weights",
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
