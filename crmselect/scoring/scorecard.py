"""The scorecard result: goals x bids scores, totals and ranks, knock-outs, and the criteria that explain them.

:func:`crmselect.scoring.engine.score` builds a :class:`Scorecard`; :meth:`Scorecard.with_goal_weights`
is the fast path (numpy only) a slider calls.  Every public name here is also importable from
:mod:`crmselect.scoring.engine`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from crmselect.errors import AnalysisError
from crmselect.scoring.committee import CommitteeSummary
from crmselect.scoring.kernels import (
    BoolArray,
    FloatArray,
    rank_kernel,
    rank_labels,
    read_only,
    totals_kernel,
)
from crmselect.scoring.weights import criterion_weights_kernel, normalise_kernel
from crmselect.show.i18n import N_, _, current
from crmselect.show.tables import Grid

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes


# ---------------------------------------------------------------- records
@dataclass(frozen=True)
class KnockOut:
    """A bid below a must-have minimum: the rule, the answer that knocked it out, and why the rule exists."""

    bid: str
    label: str
    criterion: str
    criterion_name: str
    rule: str
    answer: str
    reason: str = ""
    rule_label: object = ""  # the scale code's catalogue label (LocalText) of a compliance minimum, shown translated

    def __str__(self) -> str:
        """In the current language: ``Brightquill CRM: COM-011 Data export ... must be yes; answered no (reason)``."""
        text = _("{bid}: {criterion} {name} must be {rule}; answered {answer}").format(
            bid=self.label, criterion=self.criterion, name=shown_text(self.criterion_name), rule=_word(self.rule),
            answer=_word(self.answer))
        return _("{text} ({reason})").format(text=text, reason=self.reason) if self.reason else text


@dataclass(frozen=True)
class Unchecked:
    """A must-have that cannot be judged yet for a bid (no committee scores, not computed, prices hidden)."""

    bid: str
    label: str
    criterion: str
    why: str

    def __str__(self) -> str:
        return _("{bid}: {criterion} not checked yet ({why})").format(bid=self.label, criterion=self.criterion,
                                                                       why=_word(self.why))


#: Words of results shown as they are kept (answers, rules, status cells, row names) -> translated when shown.
WORDS: dict[str, str] = {
    "yes": N_("yes"), "no": N_("no"), "yes or no": N_("yes or no"), "goal": N_("goal"), "weight": N_("weight"),
    "Total": N_("Total"), "Rank": N_("Rank"), "Status": N_("Status"), "eligible": N_("eligible"), "out": N_("out"),
    "not every demo scenario is scored": N_("not every demo scenario is scored"), "not computed": N_("not computed"),
    "a price criterion; checked when prices are revealed": N_("a price criterion; checked when prices are revealed"),
}


def shown_text(text: object) -> str:
    """Catalogue text (a criterion's name) in the current language; other text as written."""
    in_ = getattr(text, "in_", None)
    return str(in_(current().language)) if callable(in_) else str(text)


def _word(text: str) -> str:
    return _(WORDS[text]) if text in WORDS else text


def _status_word(text: object) -> object:
    """A status cell (``eligible``, ``knocked out: COM-011 (not yet checked: ...)``) or row name, as shown."""
    if not isinstance(text, str):
        return text
    head, _sep, pending = text.partition(" (not yet checked: ")
    if head.startswith("knocked out: "):
        shown = _("knocked out: {rules}").format(rules=head.removeprefix("knocked out: "))
    else:
        shown = _word(head)
    if pending:
        shown += _(" (not yet checked: {criteria})").format(criteria=pending.removesuffix(")"))
    return shown


#: Column keys and kept words of :meth:`Scorecard.by_criterion` -> their English label, translated when shown.
CRITERIA_WORDS: dict[str, str] = {
    "criterion": N_("criterion"), "name": N_("name"), "answer": N_("answer"), "goals": N_("goals"),
    "weight": N_("weight"), "notes": N_("notes"), "serves no goal": N_("serves no goal"),
    "compliance": N_("compliance"), "number": N_("number"), "computed": N_("computed"), "yes_no": N_("yes no"),
    "committee_score": N_("committee score"), "yes": N_("yes"), "no": N_("no"),
}


def criteria_shown(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame of :meth:`Scorecard.by_criterion` as a reader sees it in the current language: labels and kept words
    translated, criterion names (catalogue text) in the language; the frame itself keeps its keys."""
    import pandas as pd

    def word(cell: object) -> object:
        return _(CRITERIA_WORDS[cell]) if isinstance(cell, str) and cell in CRITERIA_WORDS else cell

    out = frame.copy()
    if "name" in out.columns:
        out["name"] = out["name"].map(shown_text)
    for column in out.columns:
        if column not in ("name", "notes") and not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(word)
    out = out.rename(columns=word)
    out.index.name = word(out.index.name)
    return out


# ---------------------------------------------------------------- the scorecard
@dataclass(frozen=True, eq=False)
class Scorecard:
    """Goals x bids scores, totals, ranks and knock-outs, with the criterion table that explains them.

    Arrays are read-only.  ``goal_matrix`` is bids x goals (0..1), ``goal_weights`` sums to 1,
    ``totals == goal_matrix @ goal_weights``, and over the visible linked criteria
    ``totals == criterion_values @ criterion_weights``.  ``ranks`` are floats (NaN = knocked out).
    """

    bid_ids: tuple[str, ...]
    labels: tuple[str, ...]
    vendor_ids: tuple[str, ...]
    goal_ids: tuple[str, ...]
    goal_names: tuple[str, ...]
    goal_weights: FloatArray
    goal_matrix: FloatArray
    goal_matrix_sd: FloatArray
    share: FloatArray
    criterion_ids: tuple[str, ...]
    criterion_names: tuple[str, ...]
    criterion_kinds: tuple[str, ...]
    criterion_values: FloatArray
    criterion_sd: FloatArray
    criterion_weights: FloatArray
    answers: tuple[tuple[str, ...], ...]
    notes: tuple[tuple[str, ...], ...]
    unlinked: tuple[str, ...]
    unlinked_names: tuple[str, ...]
    unlinked_values: FloatArray
    hidden_criteria: tuple[str, ...]
    prices_hidden: bool
    empty_goals: tuple[str, ...]
    totals: FloatArray
    eligible: BoolArray
    ranks: FloatArray
    knockouts: tuple[KnockOut, ...]
    unchecked: tuple[Unchecked, ...]
    committee: CommitteeSummary
    reference_date: dt.date

    # ------------------------------------------------------------ derived
    @property
    def rank_labels(self) -> tuple[str, ...]:
        return rank_labels(self.ranks)

    @property
    def winners(self) -> tuple[str, ...]:
        """Every bid ranked first (several when tied)."""
        return tuple(b for b, r in zip(self.bid_ids, self.ranks, strict=True) if r == 1)

    @property
    def winner(self) -> str | None:
        """The bid ranked first alone; None when the first place is tied or every bid is out."""
        winners = self.winners
        return winners[0] if len(winners) == 1 else None

    @property
    def contributions(self) -> FloatArray:
        """bids x goals: goal weight x goal score; each row sums to the bid's total."""
        return self.goal_matrix * self.goal_weights[np.newaxis, :]

    @property
    def status(self) -> tuple[str, ...]:
        """Per bid: ``eligible``, or ``knocked out: <criteria>``; pending must-haves are added."""
        out = []
        for b, bid in enumerate(self.bid_ids):
            rules = [k.criterion for k in self.knockouts if k.bid == bid]
            pending = [u.criterion for u in self.unchecked if u.bid == bid]
            text = f"knocked out: {', '.join(rules)}" if rules else "eligible"
            if pending and self.eligible[b]:
                text += f" (not yet checked: {', '.join(pending)})"
            out.append(text)
        return tuple(out)

    @property
    def knocked_out_labels(self) -> tuple[str, ...]:
        return tuple(label for label, ok in zip(self.labels, self.eligible, strict=True) if not ok)

    # ------------------------------------------------------------ the fast path
    def with_goal_weights(self, weights: Mapping[str, float] | Sequence[float] | FloatArray) -> Scorecard:
        """The same scorecard under other goal weights: only weights, totals and ranks change (numpy only).

        ``weights`` is a mapping over every goal id, or a vector in ``goal_ids`` order; any
        non-negative numbers not all zero (normalised here).
        """
        if isinstance(weights, Mapping):
            if len(weights) != len(self.goal_ids) or not all(g in weights for g in self.goal_ids):
                missing = [g for g in self.goal_ids if g not in weights]
                unknown = sorted(set(weights) - set(self.goal_ids))
                raise AnalysisError(f"weights must name every goal exactly: {', '.join(self.goal_ids)} "
                                    f"(missing {missing}, unknown {unknown})")
            vector = np.array([weights[g] for g in self.goal_ids], dtype=float)
        else:
            vector = np.array(weights, dtype=float)
        if vector.shape != (len(self.goal_ids),):
            raise AnalysisError(
                f"weights need one value per goal ({len(self.goal_ids)}) (received shape {vector.shape})")
        if not np.isfinite(vector).all() or (vector < 0).any() or not vector.sum() > 0:
            raise AnalysisError(f"goal weights must be finite, >= 0 and not all zero (received {vector.tolist()})")
        goal_weights = normalise_kernel(vector)
        totals = totals_kernel(self.goal_matrix, goal_weights)
        # A shallow copy with four fields swapped: dataclasses.replace re-runs __init__ over ~30
        # fields and was a third of a slider move's time.
        changed = copy.copy(self)
        for name, value in (
            ("goal_weights", goal_weights),
            ("criterion_weights", criterion_weights_kernel(self.share, goal_weights)),
            ("totals", totals),
            ("ranks", rank_kernel(totals, self.eligible)),
        ):
            object.__setattr__(changed, name, read_only(value))
        return changed

    # ------------------------------------------------------------ tables
    def frame(self) -> pd.DataFrame:
        """Goals x bids (goal scores 0..1) with the goal weight, then rows Total, Rank and Status."""
        return self.grid().frame()

    def grid(self) -> Grid:
        """:meth:`frame`'s table as plain tuples (the terminal prints it without importing pandas)."""
        weights = (*self.goal_weights.tolist(), float(self.goal_weights.sum()), None, None)
        columns = [weights]
        for b in range(len(self.labels)):
            columns.append((*self.goal_matrix[b].tolist(), float(self.totals[b]), self.rank_labels[b],
                            self.status[b]))
        return Grid("goal", (*self.goal_names, "Total", "Rank", "Status"), ("weight", *self.labels), tuple(columns))

    def by_goal(self) -> pd.DataFrame:
        """One row per goal and bid: weight, score, its spread from committee disagreement, contribution."""
        import pandas as pd

        rows = []
        for g, goal in enumerate(self.goal_ids):
            for b, bid in enumerate(self.bid_ids):
                rows.append({
                    "goal": goal, "goal_name": self.goal_names[g], "weight": float(self.goal_weights[g]),
                    "bid": bid, "label": self.labels[b], "score": float(self.goal_matrix[b, g]),
                    "sd": float(self.goal_matrix_sd[b, g]),
                    "contribution": float(self.goal_matrix[b, g] * self.goal_weights[g]),
                    "eligible": bool(self.eligible[b]),
                })
        return pd.DataFrame(rows)

    def by_criterion(self, show: str = "value") -> pd.DataFrame:
        """Criteria x bids: each criterion's weight and the goals it serves (by name, with its share of each goal's
        points), then the bids' values (or answers).

        ``show="answer"`` gives what each vendor answered instead of the 0..1 value.  Unlinked
        criteria ("features that serve no goal") follow with weight 0; hidden price criteria are
        left out until prices are revealed.
        """
        import pandas as pd

        if show not in ("value", "answer"):
            raise AnalysisError(f"show must be 'value' or 'answer' (received {show!r})")
        goals_of = []
        for j in range(len(self.criterion_ids)):
            parts = [f"{shown_text(name)} {self.share[g, j]:.0%}" for g, name in enumerate(self.goal_names)
                     if self.share[g, j]]
            goals_of.append(", ".join(parts))
        data: dict[str, list[Any]] = {
            "name": [*self.criterion_names, *self.unlinked_names],
            "answer": [*self.criterion_kinds, *([""] * len(self.unlinked))],
            "goals": [*goals_of, *(["serves no goal"] * len(self.unlinked))],
            "weight": [*self.criterion_weights.tolist(), *([0.0] * len(self.unlinked))],
        }
        for b, label in enumerate(self.labels):
            if show == "value":
                data[label] = [*self.criterion_values[b].tolist(), *self.unlinked_values[b].tolist()]
            else:
                data[label] = [*self.answers[b], *([""] * len(self.unlinked))]
        data["notes"] = ["; ".join(f"{self.labels[b]}: {self.notes[b][j]}" for b in range(len(self.bid_ids))
                                   if self.notes[b][j]) for j in range(len(self.criterion_ids))]
        data["notes"] += [""] * len(self.unlinked)
        index = pd.Index([*self.criterion_ids, *self.unlinked], name="criterion")
        return pd.DataFrame(data, index=index)

    def summary_notes(self) -> list[str]:
        """Plain sentences for what the table cannot show: hidden prices, knock-outs, open checks."""
        notes = []
        if self.prices_hidden:
            notes.append(_("Prices are hidden: {count} price criteria stay out until the technical scoring is locked "
                           "and prices are revealed (decision log).").format(count=len(self.hidden_criteria)))
        else:
            notes.append(_("Prices are revealed: price criteria count in the scores."))
        notes += [_("Knocked out: {what}").format(what=k) for k in self.knockouts]
        notes += [_("Not yet checked: {what}").format(what=u) for u in self.unchecked]
        if self.empty_goals:
            notes.append(_("Goals with no visible criteria (score 0 for every bid): {goals}").format(
                goals=", ".join(self.empty_goals)))
        if self.committee.disagreements:
            notes.append(_("Committee disagreements to discuss: {count}").format(
                count=len(self.committee.disagreements)))
        notes.append(_("Features that serve no goal (weight 0): {count}").format(count=len(self.unlinked)))
        return notes

    def _repr_html_(self) -> str:
        from crmselect.show.tables import to_html

        labels = list(self.labels)
        shown = self.frame().rename(columns=_status_word, index=_status_word).map(_status_word)
        shown.index.name = _("goal")
        return to_html(
            shown,
            caption=_("Scorecard: goal scores (0-1) by bid"),
            formats={_("weight"): "percent"},
            default_format="score",
            colour_columns=labels,
            colour_range=(0.0, 1.0),
            struck_columns=self.knocked_out_labels,
            notes=self.summary_notes(),
        )

    def plot(self, kind: str = "stacked", ax: Axes | None = None) -> Axes:
        """``stacked``: bars of each goal's contribution to the total; ``heatmap``: goals x bids scores."""
        import pandas as pd

        from crmselect.show import plots

        if kind == "stacked":
            frame = pd.DataFrame(self.contributions, index=list(self.labels), columns=list(self.goal_names))
            return plots.stacked_bars(frame, ax=ax, title=_("Contribution of each goal to the total"),
                                      ylabel=_("weighted score"), struck=self.knocked_out_labels)
        if kind == "heatmap":
            frame = pd.DataFrame(self.goal_matrix.T, index=list(self.goal_names), columns=list(self.labels))
            return plots.heatmap(frame, ax=ax, title=_("Goal scores (0-1)"), vmin=0.0, vmax=1.0,
                                 struck_columns=self.knocked_out_labels)
        raise AnalysisError(f"kind must be 'stacked' or 'heatmap' (received {kind!r})")



__all__ = ["KnockOut", "Scorecard", "Unchecked"]
