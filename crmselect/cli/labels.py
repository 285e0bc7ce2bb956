"""What the CLI says about result objects, in the command's language.

Result objects keep their data and English column keys (``Scorecard.frame()`` has ``weight``,
``Total``, ``Rank``); the CLI translates at the surface: :func:`localised` renames a frame's
column, index and row labels through :data:`LABELS`, and the ``*_text`` functions render the
records a computation returns (knock-outs, disagreements, stakeholder views, weights) from their
fields.  Names and ids from the selection's files are data: they are printed as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmselect.show.i18n import N_, _
from crmselect.show.labels import LABELS, label, localised
from crmselect.words import (
    answer_text,
    entry_kind,
    knockout_text,
    marker_text,
    method_text,
    rule_text,
    seal_warning_text,
    unchecked_text,
)

if TYPE_CHECKING:

    from crmselect.scoring.committee import Disagreement, MissingScore, Settled
    from crmselect.scoring.views import ViewComparison
    from crmselect.scoring.weighting import DerivedWeights

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


def word(key: str) -> str:
    """One word of the result's vocabulary (a severity, a deployment, an aggregation), translated."""
    return label(key)


def summary_key(key: str) -> str:
    return _(SUMMARY_KEYS[key]) if key in SUMMARY_KEYS else key


# ------------------------------------------------------------------ records of a computation


def disagreement_text(item: Disagreement) -> str:
    scores = _(", ").join(_("{member} {score}").format(member=m, score=f"{s:g}") for m, s in item.shown_scores)
    return _("{vendor} / {scenario}: range {range} ({scores})").format(
        vendor=item.vendor_name or item.vendor, scenario=item.scenario_name or item.scenario,
        range=f"{item.range:g}", scores=scores)


def settled_text(item: Settled) -> str:
    if item.by:
        return _("{disagreement}: agreed {value} ({reason}; by {by})").format(
            disagreement=disagreement_text(item.disagreement), value=f"{item.value:g}", reason=item.reason,
            by=item.by_name or item.by)
    return _("{disagreement}: agreed {value} ({reason})").format(
        disagreement=disagreement_text(item.disagreement), value=f"{item.value:g}", reason=item.reason)


def missing_text(item: MissingScore) -> str:
    return _("{member} gave no score for {vendor} / {scenario}").format(
        member=item.member_name or item.member, vendor=item.vendor_name or item.vendor,
        scenario=item.scenario_name or item.scenario)


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
            sentences.append(text.format(view=views.view_names[v], holder=views.holder_name(v),
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
