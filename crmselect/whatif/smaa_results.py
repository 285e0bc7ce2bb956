"""The result objects of :mod:`crmselect.whatif.acceptability`: each shows itself (``frame()``, ``plot(ax=None)``,
``_repr_html_()``; ARCHITECTURE.md habit 4).

:class:`SmaaResult` holds the SMAA-2 measures (rank acceptability, central weights, confidence
factors, pairwise winning probabilities) with their Monte Carlo standard errors;
:class:`StakeholderWins` the ranking under each stakeholder's weights.  Both are built by
:mod:`crmselect.whatif.acceptability`, which re-exports them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.show.i18n import N_, _
from crmselect.whatif.sensitivity_kernels import FloatArray, IntArray

#: Column keys and index names of the SMAA frames -> their English label, translated when shown (the keys stay).
LABELS: dict[str, str] = {"bid": N_("bid"), "view": N_("view"), "winner": N_("winner"),
                          "rank 1 ± (se)": N_("rank 1 ± (se)"), "confidence factor": N_("confidence factor"),
                          "base rank": N_("base rank")}
_RANK = re.compile(r"^rank (\d+)$")
_AROUND = re.compile(r"^around the committee's weights \(spread (.+)\)$")
_ORDINAL = re.compile(r"^ordinal \((\d+) statement\(s\), (\d+) goal orders\)$")


def _label(key: object) -> object:
    if isinstance(key, str) and key in LABELS:
        return _(LABELS[key])
    if isinstance(key, str) and (match := _RANK.match(key)):
        return _("rank {rank}").format(rank=match.group(1))
    return key


def _shown(frame: pd.DataFrame, formats: dict[str, str], colour: list[str]) -> tuple[pd.DataFrame, dict[str, str],
                                                                                    list[str]]:
    """``frame`` with its labels in the current language, and its formats and coloured columns renamed alike."""
    out = frame.rename(columns=_label)
    out.index.name = _label(out.index.name)
    return out, {str(_label(k)): v for k, v in formats.items()}, [str(_label(c)) for c in colour]


def model_text(model: str) -> str:
    """How the weights were drawn (``uniform on the simplex`` ...), in the current language."""
    if match := _AROUND.match(model):
        return _("around the committee's weights (spread {spread})").format(spread=match.group(1))
    if match := _ORDINAL.match(model):
        return _("ordinal ({statements} statement(s), {orders} goal orders)").format(statements=match.group(1),
                                                                                    orders=match.group(2))
    known = {"uniform on the simplex": N_("uniform on the simplex"),
             "uniform within weight ranges": N_("uniform within weight ranges")}
    return _(known[model]) if model in known else model


if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
else:
    pd = lazy_module("pandas")


def _se(p: FloatArray, n: int) -> FloatArray:
    return np.sqrt(np.clip(p * (1 - p), 0.0, None) / max(n, 1))


# ================================================================ results
@dataclass(frozen=True, eq=False)
class SmaaResult:
    """SMAA-2 measures for the eligible bids, with Monte Carlo standard errors."""

    labels: tuple[str, ...]
    goals: tuple[str, ...]
    n: int
    weight_model: str
    uncertain_scores: bool
    rank_acceptability: FloatArray  # bids x ranks
    central_weights: FloatArray  # bids x goals (NaN: never first)
    confidence: FloatArray  # bids (NaN: never first, so no central weights)
    confidence_n: int
    pairwise: FloatArray | None  # [i, j] = P(total_i > total_j); None unless asked for (smaa(pairwise=True))
    acceptance_rate: float | None
    base_ranks: IntArray  # ranks at the committee's weights
    score_reuse: int = 1  # weight vectors per sampled score matrix (clipped uncertain scores)
    batch_rank_se: FloatArray | None = None  # batch-means standard errors when score_reuse > 1
    batch_pairwise_se: FloatArray | None = None

    @property
    def rank_acceptability_se(self) -> FloatArray:
        """sqrt(p(1-p)/n), or the batch means over the score draws when each served several weight vectors."""
        return _se(self.rank_acceptability, self.n) if self.batch_rank_se is None else self.batch_rank_se

    @property
    def pairwise_se(self) -> FloatArray:
        if self.batch_pairwise_se is not None:
            return self.batch_pairwise_se
        return _se(self._pairwise(), self.n)

    def _pairwise(self) -> FloatArray:
        if self.pairwise is None:
            raise AnalysisError("the pairwise winning probabilities were not counted: run smaa(..., pairwise=True)")
        return self.pairwise

    @property
    def confidence_se(self) -> FloatArray:
        return _se(self.confidence, self.confidence_n) if self.uncertain_scores else np.zeros_like(self.confidence)

    @property
    def first_rank(self) -> FloatArray:
        return self.rank_acceptability[:, 0].copy()

    def frame(self) -> pd.DataFrame:
        """Rank acceptability (bid x rank), then first-rank standard error and confidence factor."""
        k = len(self.labels)
        out = pd.DataFrame(self.rank_acceptability, index=pd.Index(self.labels, name="bid"),
                           columns=[f"rank {r}" for r in range(1, k + 1)])
        out["rank 1 ± (se)"] = self.rank_acceptability_se[:, 0]
        out["confidence factor"] = self.confidence
        out["base rank"] = self.base_ranks
        return out

    def central_weights_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.central_weights, index=pd.Index(self.labels, name="bid"), columns=list(self.goals))

    def pairwise_frame(self) -> pd.DataFrame:
        """Row beats column with this probability (the diagonal is empty)."""
        values = self._pairwise().copy()
        np.fill_diagonal(values, np.nan)
        return pd.DataFrame(values, index=pd.Index(self.labels, name="bid"), columns=list(self.labels))

    def plot(self, kind: Literal["acceptability", "pairwise", "central"] = "acceptability",
             ax: Axes | None = None) -> Axes:
        from crmselect.show import plots

        if kind == "pairwise":
            return plots.heatmap(self.pairwise_frame(), title=_("Probability that the row bid beats the column bid"),
                                 vmin=0.0, vmax=1.0, fmt="{:.0%}", ax=ax)
        if kind == "central":
            return plots.heatmap(self.central_weights_frame(), title=_("Central weight vectors"), vmin=0.0, vmax=1.0,
                                 fmt="{:.0%}", ax=ax)
        acc = self.frame()[[f"rank {r}" for r in range(1, len(self.labels) + 1)]].rename(columns=_label)  # legend
        title = _("Rank acceptability ({model})").format(model=model_text(self.weight_model))
        return plots.acceptability_bars(acc, title=title,
                                  xlabel=_("share of samples"), ax=ax)

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        frame = self.frame()
        formats = {c: "percent" for c in frame.columns if c != "base rank"}
        formats["base rank"] = "integer"
        notes = [(_("{samples} samples; weights {model}; scores uncertain (committee spread)") if self.uncertain_scores
                  else _("{samples} samples; weights {model}")).format(samples=f"{self.n:,}",
                                                                       model=model_text(self.weight_model)),
                 _("Monte Carlo standard error of a share p is sqrt(p(1-p)/n).") if self.batch_rank_se is None else
                 _("Each sampled score matrix served {reuse} weight vectors; standard errors by batch means over the "
                   "score draws.").format(reuse=self.score_reuse)]
        if self.acceptance_rate is not None:
            notes.append(_("rejection sampling acceptance rate {rate}").format(rate=f"{self.acceptance_rate:.1%}"))
        colour = [c for c in frame.columns if c.startswith("rank ") and "se" not in c]
        frame, formats, colour = _shown(frame, formats, colour)
        return tables.to_html(frame, caption=_("SMAA rank acceptability"), formats=formats, colour_columns=colour,
                              colour_range=(0.0, 1.0), notes=notes)


@dataclass(frozen=True, eq=False)
class StakeholderWins:
    """The ranking under each stakeholder's goal weights, and how often each bid wins across the views."""

    views: tuple[str, ...]
    labels: tuple[str, ...]
    weights: FloatArray  # views x goals
    ranks: IntArray  # views x bids
    win_probability: FloatArray | None  # views x bids, when views were blurred with a spread
    n: int

    @property
    def wins(self) -> pd.Series:
        """Share of views each bid wins (ties count for every tied bid)."""
        return pd.Series((self.ranks == 1).mean(axis=0), index=pd.Index(self.labels, name="bid"), name="share of views")

    def frame(self) -> pd.DataFrame:
        """Rank of each bid (columns) under each view (rows), with the view's winner."""
        out = pd.DataFrame(self.ranks, index=pd.Index(self.views, name="view"), columns=list(self.labels))
        out["winner"] = [", ".join(self.labels[i] for i in np.flatnonzero(r == 1)) for r in self.ranks]
        return out

    def probability_frame(self) -> pd.DataFrame | None:
        if self.win_probability is None:
            return None
        return pd.DataFrame(self.win_probability, index=pd.Index(self.views, name="view"), columns=list(self.labels))

    def plot(self, ax: Axes | None = None) -> Axes:
        from crmselect.show import plots

        if self.win_probability is not None:
            return plots.heatmap(self.probability_frame(), title=_("Probability of winning under each view"),
                                 vmin=0.0, vmax=1.0, fmt="{:.0%}", ax=ax)
        return plots.horizontal_bars(self.wins, title=_("Share of stakeholder views won"), xlabel=_("share"), ax=ax)

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        winners = {self.labels[i] for r in self.ranks for i in np.flatnonzero(r == 1)}
        note = (_("All views agree on the winner.") if len(winners) == 1
                else _("The views disagree on the winner: {bids}.").format(bids=", ".join(sorted(winners))))
        frame, _formats, _colour = _shown(self.frame(), {}, [])
        return tables.to_html(frame, caption=_("Ranking under each stakeholder view"), default_format="integer",
                              notes=[note])


__all__ = ["SmaaResult", "StakeholderWins"]
