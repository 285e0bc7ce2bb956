"""What the CLI says about result objects, in the command's language.

Result objects keep their data and English column keys (``Scorecard.frame()`` has ``weight``,
``Total``, ``Rank``); the CLI translates at the surface: :func:`localised` renames a frame's
column, index and row labels through :data:`LABELS`, and the ``*_text`` functions render the
records a computation returns (knock-outs, disagreements, stakeholder views, weights) from their
fields.  Names and ids from the selection's files are data: they are printed as written.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crmselect.show.i18n import N_, _
from crmselect.words import (  # shared with the other surfaces; re-exported for this surface's callers
    answer_text as answer_text,
)
from crmselect.words import (
    entry_kind as entry_kind,
)
from crmselect.words import (
    knockout_text as knockout_text,
)
from crmselect.words import (
    marker_text as marker_text,
)
from crmselect.words import (
    method_text as method_text,
)
from crmselect.words import (
    rule_text as rule_text,
)
from crmselect.words import (
    seal_warning_text as seal_warning_text,
)
from crmselect.words import (
    unchecked_text as unchecked_text,
)

if TYPE_CHECKING:
    import pandas as pd

    from crmselect.scoring.committee import Disagreement, MissingScore, Settled
    from crmselect.scoring.views import ViewComparison
    from crmselect.scoring.weighting import DerivedWeights

# column keys, index names and row labels of the frames the CLI prints -> their English label (translated on use)
LABELS: dict[str, str] = {
    # the scorecard (rank)
    "goal": N_("goal"), "weight": N_("weight"), "Total": N_("Total"), "Rank": N_("Rank"), "Status": N_("Status"),
    "eligible": N_("eligible"), "out": N_("out"),
    # TCO and ROI (tco)
    "bid": N_("bid"), "label": N_("bid"), "deployment": N_("deployment"), "status": N_("status"),
    "initial": N_("initial"),
    "total": N_("total"), "npv": N_("NPV"), "cost_per_user_year": N_("cost per user and year"),
    "go_live_days": N_("go-live (days)"), "npv_rank": N_("NPV rank"), "annual_benefit": N_("annual benefit"),
    "roi": N_("ROI"), "risk_npv": N_("risk-adjusted NPV"), "risk_roi": N_("risk-adjusted ROI"),
    "payback_months": N_("payback (months)"), "risk_payback_months": N_("risk-adjusted payback (months)"),
    "roi_6m": N_("ROI 6 months"), "roi_12m": N_("ROI 12 months"), "roi_24m": N_("ROI 24 months"),
    "line": N_("cost line"), "saas": N_("saas"), "on_premise": N_("on_premise"), "hosted": N_("hosted"),
    "claimed": N_("claimed (days)"), "P(on time)": N_("P(on time)"),
    "go-live P10": N_("go-live P10"), "go-live P50": N_("go-live P50"), "go-live P90": N_("go-live P90"),
    "NPV P10": N_("NPV P10"), "NPV P50": N_("NPV P50"), "NPV P90": N_("NPV P90"),
    "ROI P10": N_("ROI P10"), "ROI P50": N_("ROI P50"), "ROI P90": N_("ROI P90"),
    # cost lines (crmselect.money.kernels.LINES)
    "subscription": N_("subscription"), "licence": N_("licence"), "licence true-ups": N_("licence true-ups"),
    "maintenance": N_("maintenance"), "hardware": N_("hardware"), "hosting": N_("hosting"),
    "database and OS": N_("database and OS"), "premium support": N_("premium support"),
    "consumption": N_("consumption"), "third party": N_("third party"),
    "third party (answers)": N_("third party (answers)"), "admin staff": N_("admin staff"),
    "DBA staff": N_("DBA staff"), "implementation services": N_("implementation services"),
    "data migration": N_("data migration"), "integration": N_("integration"), "training": N_("training"),
    "extra effort": N_("extra effort"), "downtime": N_("downtime"), "service credits": N_("service credits"),
    # sensitivity
    "winner holds from": N_("winner holds from"), "winner holds to": N_("winner holds to"),
    "below, winner is": N_("below, winner is"), "above, winner is": N_("above, winner is"),
    "ranking holds from": N_("ranking holds from"), "ranking holds to": N_("ranking holds to"),
    "challenger": N_("challenger"), "L1 change": N_("L1 change"), "weight moved": N_("weight moved"),
    "goals up": N_("goals up"), "goals down": N_("goals down"), "base rank": N_("base rank"),
    # check severities and the committee's aggregation
    "high": N_("high"), "medium": N_("medium"), "low": N_("low"),
    "mean": N_("mean"), "median": N_("median"), "trimmed_mean": N_("trimmed mean"),
}
_RANK_COLUMN = re.compile(r"^rank (\d+)$")
_KNOCKED_OUT = re.compile(r"^knocked out: (.+)$")
_PASSED_BY = re.compile(r"^passed by (.+)$")

SUMMARY_KEYS: dict[str, str] = {
    "selection": N_("selection"),
    "goals": N_("goals"), "criteria": N_("criteria"), "linked criteria": N_("linked criteria"),
    "categories": N_("categories"), "vendors": N_("vendors"), "offers": N_("offers"),
    "committee members": N_("committee members"), "demo scenarios": N_("demo scenarios"),
}

METHODS: dict[str, str] = {
    "points": N_("points"), "rank_order": N_("rank order (ROC)"), "swing": N_("swing weights"),
    "ahp": N_("AHP pairwise judgments"),
}


def label(key: str) -> str:
    """A column key, index name or cell of a printed frame, in the command's language (others unchanged)."""
    if key in LABELS:
        return _(LABELS[key])
    if match := _RANK_COLUMN.match(key):
        return _("rank {rank}").format(rank=match.group(1))
    if match := _KNOCKED_OUT.match(key):
        return _("knocked out: {rules}").format(rules=match.group(1))
    if match := _PASSED_BY.match(key):
        return _("passed by {bid}").format(bid=match.group(1))
    return key


def localised(frame: pd.DataFrame, *, cells: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` with its column, index and (with ``cells``) text cells translated."""
    out = frame.rename(columns=_relabel, index=_relabel)
    out.columns.name = _relabel(out.columns.name)
    out.index.name = _relabel(out.index.name)
    if cells:
        out = out.map(_relabel)
    return out


def _relabel(key: Any) -> Any:
    return label(key) if isinstance(key, str) else key


def word(key: str) -> str:
    """One word of the result's vocabulary (a severity, a deployment, an aggregation), translated."""
    return label(key)


def summary_key(key: str) -> str:
    return _(SUMMARY_KEYS[key]) if key in SUMMARY_KEYS else key


# ------------------------------------------------------------------ records of a computation


def disagreement_text(item: Disagreement) -> str:
    scores = _(", ").join(_("{member} {score}").format(member=m, score=f"{s:g}") for m, s in item.scores)
    return _("{vendor} / {scenario}: range {range} ({scores})").format(
        vendor=item.vendor, scenario=item.scenario, range=f"{item.range:g}", scores=scores)


def settled_text(item: Settled) -> str:
    if item.by:
        return _("{disagreement}: agreed {value} ({reason}; by {by})").format(
            disagreement=disagreement_text(item.disagreement), value=f"{item.value:g}", reason=item.reason,
            by=item.by)
    return _("{disagreement}: agreed {value} ({reason})").format(
        disagreement=disagreement_text(item.disagreement), value=f"{item.value:g}", reason=item.reason)


def missing_text(item: MissingScore) -> str:
    return _("{member} gave no score for {vendor} / {scenario}").format(
        member=item.member, vendor=item.vendor, scenario=item.scenario)


def views_text(views: ViewComparison) -> tuple[str, list[str]]:
    """The stakeholder views' verdict: a heading and one sentence per view that picks another winner."""

    def bid(bid_id: str | None) -> str:
        return _("a tie") if bid_id is None else views.labels[views.bid_ids.index(bid_id)]

    if views.agree:
        return _("Stakeholder views: all {count} pick {bid}.").format(count=len(views.view_ids),
                                                                       bid=bid(views.winners[0])), []
    base = views.winners[0]
    sentences = []
    for v in range(1, len(views.view_ids)):
        if views.winners[v] != base:
            text = (_("{view} ({holder}) would pick {bid}; the committee's weights pick {base}") if views.holders[v]
                    else _("{view} would pick {bid}; the committee's weights pick {base}"))
            sentences.append(text.format(view=views.view_names[v], holder=views.holders[v],
                                         bid=bid(views.winners[v]), base=bid(base)))
    return _("Stakeholder views disagree on the winner:"), sentences or [_("The views tie for the winner.")]


def _ratio(value: float) -> str:
    return f"{value:.2g}" if value >= 1 else f"1/{1 / value:.2g}"


def weights_lines(weights: DerivedWeights) -> list[str]:
    """What ``validate`` prints of the goal weights: the method, each weight, and for AHP its consistency."""
    from crmselect.scoring.ahp import CR_THRESHOLD

    def verdict(cr: float) -> str:
        return "" if cr <= CR_THRESHOLD else _(" (above {threshold}: revisit the judgments)").format(
            threshold=f"{CR_THRESHOLD:.2f}")

    out = [_("weights by {method}:").format(method=method_text(weights))]
    out += [f"  {goal:<28} {weight:6.1%}" for goal, weight in weights.as_dict().items()]
    if weights.group is not None:
        if len(weights.members) > 1:
            for member, result in weights.members.items():
                out.append("  " + _("consistency ratio of {member}: {cr}").format(member=member, cr=f"{result.cr:.3f}")
                           + verdict(result.cr))
        text = _("consistency ratio of the combined judgments: {cr}") if len(weights.members) > 1 \
            else _("consistency ratio: {cr}")
        out.append("  " + text.format(cr=f"{weights.group.cr:.3f}") + verdict(weights.group.cr))
    if weights.revisit:
        out.append("  " + _("judgments to revisit first (consistency ratio above {threshold}):").format(
            threshold=f"{CR_THRESHOLD:.2f}"))
        for item in weights.revisit:
            text = (_("{member}: {more} vs {less} was judged {given}; the other judgments imply about {implied}")
                    if item.member else _("the committee's combined judgment: {more} vs {less} was judged {given}; "
                                          "the other judgments imply about {implied}"))
            out.append("    " + text.format(member=item.member, more=item.more, less=item.less,
                                            given=_ratio(item.given), implied=_ratio(item.implied)))
    return out


# ------------------------------------------------------------------ the envelopes


__all__ = [
    "LABELS",
    "answer_text",
    "disagreement_text",
    "entry_kind",
    "knockout_text",
    "label",
    "localised",
    "marker_text",
    "method_text",
    "missing_text",
    "rule_text",
    "seal_warning_text",
    "settled_text",
    "summary_key",
    "unchecked_text",
    "views_text",
    "weights_lines",
    "word",
]
