"""Goal weights from the goals file's weighting method: points, rank order, swing or (group) AHP.

:func:`derive_weights` reads ``selection.weighting`` and that method's inputs and returns a
:class:`DerivedWeights`: the weights (summing to 1), the method, and for AHP each member's
consistency ratio, the group's, and the judgments that contribute most to an inconsistency.

Which judgments to revisit: with priorities ``w`` from a matrix ``A``, a perfectly consistent
judgment equals ``w_i / w_j``; the error ``e_ij = a_ij * w_j / w_i`` is 1 for it.  The judgments
with the largest ``|ln e_ij|`` pull the matrix furthest from consistency (Saaty, T.L. (2003)
"Decision-making with the AHP: Why is the principal eigenvector necessary", European Journal of
Operational Research 145, 85-91, section 4), and ``w_i / w_j`` is the value the other judgments imply.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from crmselect.errors import AnalysisError
from crmselect.model.goals import Selection
from crmselect.model.weighting import METHOD_LABELS, WeightingMethod
from crmselect.scoring.ahp import CR_THRESHOLD, AhpResult, ahp, ahp_group, ahp_matrix
from crmselect.scoring.normalisation import FloatArray, _as_float, _check_vector, normalise, normalise_kernel
from crmselect.show.i18n import _


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


#: How many judgments to flag per inconsistent matrix: the few worth a second look, not a list.
FLAGGED_PER_MATRIX = 3


@dataclass(frozen=True)
class Revisit:
    """A judgment that contributes most to an inconsistency, with the value the other judgments imply."""

    member: str  # "" for the committee's combined matrix
    index: int | None  # its place in the member's judgments list (None for the combined matrix)
    more: str
    less: str
    given: float
    implied: float

    @property
    def error(self) -> float:
        """``|ln(a_ij * w_j / w_i)|``: 0 for a judgment the other judgments agree with."""
        return abs(math.log(self.given / self.implied))

    def __str__(self) -> str:
        who = f"{self.member}: " if self.member else "the committee's combined judgment: "
        return (f"{who}{self.more} vs {self.less} was judged {_ratio(self.given)}; the other judgments imply "
                f"about {_ratio(self.implied)}")


def _ratio(value: float) -> str:
    """A judgment as the scale reads: 3, 1.4, 1 (equal) or 1/3."""
    if 0.95 <= value <= 1.05:
        return "1 (equal)"
    return f"{value:.2g}" if value > 1 else f"1/{1 / value:.2g}"


@dataclass(frozen=True, eq=False)
class DerivedWeights:
    """The goals' weights (summing to 1) and how they were made."""

    method: WeightingMethod
    goal_ids: tuple[str, ...]
    weights: FloatArray
    group: AhpResult | None = None  # AHP: the committee's matrix (one member's, or the geometric mean)
    members: Mapping[str, AhpResult] = field(default_factory=dict)
    revisit: tuple[Revisit, ...] = ()

    @property
    def shown_label(self) -> str:
        """:attr:`label` in the current language (the label itself stays English: widgets and the log use it)."""
        if self.method is WeightingMethod.ahp and len(self.members) > 1:
            return _("group AHP pairwise judgments ({count} members, geometric mean)").format(count=len(self.members))
        return _(METHOD_LABELS[self.method])

    @property
    def label(self) -> str:
        if self.method is WeightingMethod.ahp and len(self.members) > 1:
            return f"group AHP pairwise judgments ({len(self.members)} members, geometric mean)"
        return METHOD_LABELS[self.method]

    @property
    def cr(self) -> float | None:
        """The consistency ratio of the committee's matrix (AHP only)."""
        return None if self.group is None else self.group.cr

    @property
    def consistent(self) -> bool:
        return all(r.cr <= CR_THRESHOLD for r in (self.group, *self.members.values()) if r is not None)

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.goal_ids, self.weights.tolist(), strict=True))

    def lines(self) -> list[str]:
        """The method, the weights and, for AHP, the consistency: what ``validate`` prints."""
        out = [_("weights by {method}:").format(method=self.shown_label)]
        from crmselect.show.tables import pad  # display width: a Chinese goal id lines up too

        out += [f"  {pad(goal, 28)} {weight:6.1%}" for goal, weight in self.as_dict().items()]
        if self.group is not None:
            if len(self.members) > 1:
                for member, result in self.members.items():
                    out.append("  " + _("consistency ratio of {member}: {cr}").format(
                        member=member, cr=f"{result.cr:.3f}") + _verdict(result.cr))
            combined = (_("consistency ratio of the combined judgments: {cr}") if len(self.members) > 1
                        else _("consistency ratio: {cr}"))
            out.append("  " + combined.format(cr=f"{self.group.cr:.3f}") + _verdict(self.group.cr))
        if self.revisit:
            out.append("  " + _("judgments to revisit first (consistency ratio above {threshold}):").format(
                threshold=f"{CR_THRESHOLD:.2f}"))
            out += [f"    {item}" for item in self.revisit]
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _repr_html_(self) -> str:
        import pandas as pd

        from crmselect.show.tables import to_html

        frame = pd.DataFrame({_("weight"): self.weights.copy()}, index=pd.Index(list(self.goal_ids), name=_("goal")))
        notes = self.lines()[len(self.goal_ids) + 1:]
        caption = _("Goal weights by {method}").format(method=self.shown_label)
        return to_html(frame, caption=caption, formats={_("weight"): "percent"}, notes=notes)


def _verdict(cr: float) -> str:
    return "" if cr <= CR_THRESHOLD else _(" (above {threshold}: revisit the judgments)").format(
        threshold=f"{CR_THRESHOLD:.2f}")


def revisit_kernel(matrix: FloatArray, weights: FloatArray) -> FloatArray:
    """``|ln(a_ij * w_j / w_i)|`` for every cell: how far each judgment is from the priorities."""
    implied = weights[:, np.newaxis] / weights[np.newaxis, :]
    out: FloatArray = np.abs(np.log(matrix / implied))
    return out


def _flag(result: AhpResult, member: str, positions: Mapping[frozenset[str], tuple[int, str, str]] | None,
          ) -> list[Revisit]:
    if result.cr <= CR_THRESHOLD:
        return []
    errors = revisit_kernel(result.matrix, result.weights)
    n = len(result.labels)
    upper = sorted(((errors[i, j], i, j) for i in range(n) for j in range(i + 1, n)), reverse=True)
    out = []
    for _error, i, j in upper[:FLAGGED_PER_MATRIX]:
        a, b = result.labels[i], result.labels[j]
        index, more, less = positions[frozenset((a, b))] if positions is not None else (None, a, b)
        k, m = result.labels.index(more), result.labels.index(less)
        out.append(Revisit(member, index, more, less, float(result.matrix[k, m]),
                           float(result.weights[k] / result.weights[m])))
    return out


def derive_weights(selection: Selection) -> DerivedWeights:
    """The goals' weights by the selection's weighting method; ``AnalysisError`` lists every input problem."""
    problems = selection.weighting_problems()
    if problems:
        raise AnalysisError("the goal weighting cannot be computed: " + "; ".join(str(p) for p in problems))
    goals = selection.goal_ids
    method = selection.weighting
    if method is WeightingMethod.points:
        return DerivedWeights(method, goals, _frozen(normalise([g.weight or 0.0 for g in selection.goals])))
    if method is WeightingMethod.rank_order:
        ranked = rank_order_centroid([item if isinstance(item, str) else list(item) for item in selection.ranking])
        return DerivedWeights(method, goals, _frozen(np.asarray([ranked[g] for g in goals])))
    if method is WeightingMethod.swing:
        rated = swing({g: selection.swing[g] for g in goals})
        return DerivedWeights(method, goals, _frozen(np.asarray([rated[g] for g in goals])))
    members: dict[str, AhpResult] = {}
    revisit: list[Revisit] = []
    for member, judged in selection.judgments.items():
        matrix = ahp_matrix({(a, b): v for a, b, v in judged}, goals)
        members[member] = ahp(matrix, labels=goals, warn=False)
        positions = {frozenset((a, b)): (k, a, b) for k, (a, b, _) in enumerate(judged)}
        revisit += _flag(members[member], member, positions)
    if len(members) == 1:
        group = next(iter(members.values()))
    else:
        group = ahp_group([r.matrix for r in members.values()], labels=goals, warn=False)
        if not revisit:
            revisit = _flag(group, "", None)
    return DerivedWeights(method, goals, _frozen(group.weights.copy()), group, members, tuple(revisit))


def _frozen(array: FloatArray) -> FloatArray:
    out = np.asarray(array, dtype=float).copy()
    out.setflags(write=False)
    return out


__all__ = ["FLAGGED_PER_MATRIX", "DerivedWeights", "Revisit", "derive_weights", "rank_order_centroid",
           "rank_order_centroid_kernel", "revisit_kernel", "swing"]
