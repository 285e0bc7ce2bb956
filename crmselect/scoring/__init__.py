"""Goals over features: weighting methods, values, committee aggregation, the scorecard, stakeholder views.

``total = goal_matrix @ goal_weights``; the envelope state (prices revealed or not) is an argument of
:func:`score`, passed in by :func:`crmselect.evaluation.evaluate`.
"""

from crmselect.scoring.committee import CommitteeSummary, kendall_w, summarise_committee
from crmselect.scoring.engine import score
from crmselect.scoring.scorecard import KnockOut, Scorecard, Unchecked
from crmselect.scoring.views import ViewComparison, compare_views
from crmselect.scoring.weights import ahp, ahp_group, criterion_weights, normalise, rank_order_centroid, swing

__all__ = [
    "CommitteeSummary",
    "KnockOut",
    "Scorecard",
    "Unchecked",
    "ViewComparison",
    "ahp",
    "ahp_group",
    "compare_views",
    "criterion_weights",
    "kendall_w",
    "normalise",
    "rank_order_centroid",
    "score",
    "summarise_committee",
    "swing",
]
