"""Each analysis in plain language: a label and a one-line explanation, in the current language.

The notebooks print them as notes above a result and the dashboard shows them as tooltips, so the
committee reads the same words everywhere.  :func:`methods_agreement` says in words what a comparison
of weighting methods shows (it does not claim agreement the numbers do not show).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Analysis:
    """One analysis: its plain-language label and what it tells the committee (English; shown translated)."""

    key: str
    label_text: str
    explanation_text: str

    @property
    def label(self) -> str:
        return _(self.label_text)

    @property
    def explanation(self) -> str:
        return _(self.explanation_text)

    def note(self) -> str:
        """"Label: explanation", for a notebook note or a tooltip."""
        return _("{label}: {explanation}").format(label=self.label, explanation=self.explanation)

    def __str__(self) -> str:
        return self.note()


ANALYSES: dict[str, Analysis] = {
    analysis.key: analysis
    for analysis in (
        Analysis("sweep", N_("One goal's weight from 0 to 100 %"),
                 N_("Each line is a bid's total as one goal's weight moves (the other goals share the rest in "
                    "proportion); where two lines cross, those two bids swap places.")),
        Analysis("stability", N_("How far a weight can move (stability interval)"),
                 N_("For each goal, the range of its weight within which the current winner stays first; a "
                    "narrow range means the recommendation rests on getting that weight right.")),
        Analysis("min_flip", N_("Smallest change that flips the winner"),
                 N_("For each challenger, the least total shift of the goal weights that would let it catch up "
                    "with the winner, and which goals would have to move.")),
        Analysis("ranges", N_("Weights as ranges"),
                 N_("Whether the winner stays first for every set of weights inside the ranges the committee "
                    "agrees on.")),
        Analysis("smaa", N_("Chance of each rank (SMAA rank acceptability)"),
                 N_("Many sets of weights are drawn at random; each bar shows how often a bid came first, "
                    "second and so on, from green (first) to red (last).")),
        Analysis("kendall_w", N_("Committee agreement (Kendall's W)"),
                 N_("How alike the members rank the vendors: 1 means everyone ranks them in the same order, "
                    "0 means no agreement at all.")),
        Analysis("views", N_("Stakeholder views"),
                 N_("The winner under the weights each stakeholder group stated, next to the committee's.")),
    )
}


def analysis(key: str) -> Analysis:
    """The analysis named ``key`` (one of :data:`ANALYSES`)."""
    if key not in ANALYSES:
        raise KeyError(f"no analysis {key!r}; known: {', '.join(ANALYSES)}")
    return ANALYSES[key]


def note(key: str) -> str:
    """The plain-language note of the analysis ``key``, in the current language."""
    return analysis(key).note()


def agreement_word(w: float) -> str:
    """Kendall's W in words: how far several orders agree."""
    if w != w:  # NaN: fewer than two orders or everything tied
        return _("cannot be measured")
    if w >= 0.9:
        return _("nearly the same order")
    if w >= 0.7:
        return _("a similar order")
    if w >= 0.4:
        return _("partly different orders")
    return _("different orders")


def methods_agreement(weights: pd.DataFrame, kendall_w: float) -> str:
    """What a table of goal weights by method (goals as rows, methods as columns) shows, in two sentences.

    ``kendall_w`` is the agreement of the methods' orders of the goals (computed by the caller).  The
    second sentence names the goal on which the methods differ most, with both weights.
    """
    from crmselect.show.formats import format_number, format_percent

    shown = _("The {count} methods put the goals in {agreement} (Kendall's W {w}).").format(
        count=len(weights.columns), agreement=agreement_word(kendall_w), w=format_number(kendall_w, digits=2))
    if len(weights.columns) < 2 or weights.empty:
        return shown
    gaps = (weights.max(axis=1) - weights.min(axis=1)).to_numpy(dtype=float)
    position = int(gaps.argmax())
    goal, row = weights.index[position], weights.iloc[position]
    return shown + " " + _("They differ most on {goal}: {high} by {high_method} against {low} by {low_method}.").format(
        goal=goal, high=format_percent(float(row.max())), high_method=row.idxmax(),
        low=format_percent(float(row.min())), low_method=row.idxmin())


__all__ = ["ANALYSES", "Analysis", "agreement_word", "analysis", "methods_agreement", "note"]
