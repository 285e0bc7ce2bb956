"""The scorecard: goals x bids, totals and ranks, knock-outs, and the criteria that explain them.

The model is linear and kept visible::

    share[g, j]      = points of criterion j in goal g / the goal's (visible) points
    goal_matrix      = criterion_values @ share.T          (bids x goals, each in 0..1)
    criterion_weights = goal_weights @ share
    totals           = goal_matrix @ goal_weights          (== criterion_values @ criterion_weights)

Price-envelope criteria stay out of the scorecard until the technical scoring is locked and the
prices are revealed (decision log); each goal's points are then re-shared among its visible
criteria.  Must-have rules knock bids out; knocked-out bids stay in every table, flagged, and get
no rank.  :meth:`Scorecard.with_goal_weights` is the fast path (numpy only) a slider calls.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from crmselect.committee import CommitteeSummary, summarise_committee
from crmselect.decisionlog import DecisionLog
from crmselect.errors import AnalysisError
from crmselect.model import AnswerKind, ComplianceScale, Criterion, Envelope
from crmselect.values import answer_column, answer_value, effective_code, fails_minimum, minimum_text
from crmselect.weights import (
    criterion_weights_kernel,
    goal_weight_vector,
    normalise_kernel,
    points_matrix,
    share_kernel,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from crmselect.bids import Answer
    from crmselect.project import Bid, Project

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]
TIE_TOLERANCE = 1e-9
OUT = "out"


# ---------------------------------------------------------------- kernels
def goal_matrix_kernel(criterion_values: FloatArray, share: FloatArray) -> FloatArray:
    """Goal scores (bids x goals): the points-weighted mean of each goal's criterion values."""
    return criterion_values @ share.T


def goal_sd_kernel(criterion_sd: FloatArray, share: FloatArray) -> FloatArray:
    """Spread of each goal score, treating the criteria's spreads as independent."""
    return np.sqrt((criterion_sd**2) @ (share**2).T)


def totals_kernel(goal_matrix: FloatArray, goal_weights: FloatArray) -> FloatArray:
    """Totals = goal_matrix @ goal_weights (the identity every analysis rests on)."""
    return goal_matrix @ goal_weights


def rank_kernel(totals: FloatArray, eligible: BoolArray, tolerance: float = TIE_TOLERANCE) -> FloatArray:
    """Competition ranks among eligible bids (1 = best; equal totals share a rank); NaN when not eligible."""
    ranks = np.full(totals.shape, np.nan)
    pool = totals[eligible]
    ranks[eligible] = 1.0 + np.count_nonzero(pool[np.newaxis, :] > pool[:, np.newaxis] + tolerance, axis=1)
    return ranks


def rank_labels(ranks: FloatArray) -> tuple[str, ...]:
    """``"1"``, ``"2="`` for a shared rank, ``"out"`` for a knocked-out bid."""
    labels = []
    for r in ranks:
        if math.isnan(r):
            labels.append(OUT)
        else:
            shared = int(np.count_nonzero(ranks == r)) > 1
            labels.append(f"{int(r)}{'=' if shared else ''}")
    return tuple(labels)


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

    def __str__(self) -> str:
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.label}: {self.criterion} {self.criterion_name} must be {self.rule}; answered {self.answer}{why}"


@dataclass(frozen=True)
class Unchecked:
    """A must-have that cannot be judged yet for a bid (no committee scores, not computed, prices hidden)."""

    bid: str
    label: str
    criterion: str
    why: str

    def __str__(self) -> str:
        return f"{self.label}: {self.criterion} not checked yet ({self.why})"


def _frozen(array: FloatArray | BoolArray) -> Any:
    array.setflags(write=False)
    return array


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
            object.__setattr__(changed, name, _frozen(value))
        return changed

    # ------------------------------------------------------------ tables
    def frame(self) -> pd.DataFrame:
        """Goals x bids (goal scores 0..1) with the goal weight, then rows Total, Rank and Status."""
        import pandas as pd

        weights = [*self.goal_weights.tolist(), float(self.goal_weights.sum()), None, None]
        data: dict[str, list[Any]] = {"weight": weights}
        for b, label in enumerate(self.labels):
            data[label] = [*self.goal_matrix[b].tolist(), float(self.totals[b]), self.rank_labels[b], self.status[b]]
        index = pd.Index([*self.goal_names, "Total", "Rank", "Status"], name="goal")
        return pd.DataFrame(data, index=index)

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
        """Criteria x bids: each criterion's weight and goals, then the bids' values (or answers).

        ``show="answer"`` gives what each vendor answered instead of the 0..1 value.  Unlinked
        criteria ("features that serve no goal") follow with weight 0; hidden price criteria are
        left out until prices are revealed.
        """
        import pandas as pd

        if show not in ("value", "answer"):
            raise AnalysisError(f"show must be 'value' or 'answer' (received {show!r})")
        goals_of = []
        for j in range(len(self.criterion_ids)):
            parts = [f"{goal} {self.share[g, j]:.0%}" for g, goal in enumerate(self.goal_ids) if self.share[g, j]]
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
            notes.append(f"Prices are hidden: {len(self.hidden_criteria)} price criteria stay out until the technical "
                         "scoring is locked and prices are revealed (decision log).")
        else:
            notes.append("Prices are revealed: price criteria count in the scores.")
        notes += [f"Knocked out: {k}" for k in self.knockouts]
        notes += [f"Not yet checked: {u}" for u in self.unchecked]
        if self.empty_goals:
            notes.append(f"Goals with no visible criteria (score 0 for every bid): {', '.join(self.empty_goals)}")
        if self.committee.disagreements:
            notes.append(f"Committee disagreements to discuss: {len(self.committee.disagreements)}")
        notes.append(f"Features that serve no goal (weight 0): {len(self.unlinked)}")
        return notes

    def _repr_html_(self) -> str:
        from crmselect.tables import to_html

        labels = list(self.labels)
        return to_html(
            self.frame(),
            caption="Scorecard: goal scores (0-1) by bid",
            formats={"weight": "percent"},
            default_format="score",
            colour_columns=labels,
            colour_range=(0.0, 1.0),
            struck_columns=self.knocked_out_labels,
            notes=self.summary_notes(),
        )

    def plot(self, kind: str = "stacked", ax: Axes | None = None) -> Axes:
        """``stacked``: bars of each goal's contribution to the total; ``heatmap``: goals x bids scores."""
        import pandas as pd

        from crmselect import plots

        if kind == "stacked":
            frame = pd.DataFrame(self.contributions, index=list(self.labels), columns=list(self.goal_names))
            return plots.stacked_bars(frame, ax=ax, title="Contribution of each goal to the total",
                                      ylabel="weighted score", struck=self.knocked_out_labels)
        if kind == "heatmap":
            frame = pd.DataFrame(self.goal_matrix.T, index=list(self.goal_names), columns=list(self.labels))
            return plots.heatmap(frame, ax=ax, title="Goal scores (0-1)", vmin=0.0, vmax=1.0,
                                 struck_columns=self.knocked_out_labels)
        raise AnalysisError(f"kind must be 'stacked' or 'heatmap' (received {kind!r})")


# ---------------------------------------------------------------- score()
def _check_computed(
    project: Project, computed: Mapping[str, Mapping[str, float]] | None
) -> dict[str, dict[str, float]]:
    if not computed:
        return {}
    problems = []
    bid_ids = {bid.id for bid in project.bids}
    out: dict[str, dict[str, float]] = {}
    for cid, by_bid in computed.items():
        try:
            criterion = project.criterion(cid)
        except KeyError:
            problems.append(f"{cid} is not a catalogue criterion")
            continue
        if criterion.answer is not AnswerKind.computed:
            problems.append(f"{cid} is answered by {criterion.answer.value}, not computed")
            continue
        out[cid] = {}
        for bid, value in by_bid.items():
            if bid not in bid_ids:
                problems.append(f"{cid}: {bid} is not a bid (allowed: {', '.join(sorted(bid_ids))})")
            elif isinstance(value, bool) or not isinstance(value, int | float | np.floating) or not 0 <= value <= 1:
                problems.append(f"{cid}: {bid} = {value!r} is not a value from 0 to 1")
            else:
                out[cid][bid] = float(value)
    if problems:
        raise AnalysisError("computed values must map computed criteria to {bid id: value 0..1}; received: "
                            + "; ".join(problems))
    return out


def prices_revealed(project: Project) -> bool:
    """What the decision log says: True once the technical scoring was locked and prices revealed.

    A log that does not verify raises ``LogTamperedError``: a tampered record decides nothing.
    """
    log = DecisionLog.for_project(project)
    if not log.path.exists():
        return False
    log.verify()
    return log.prices_revealed


@dataclass(frozen=True)
class _Column:
    """One criterion over every bid: values, spreads, what each cell shows and its note."""

    values: FloatArray
    sd: FloatArray
    shown: tuple[str, ...]
    notes: tuple[str, ...]


def _column(
    scale: ComplianceScale, bids: Sequence[Bid], answer_maps: Sequence[Mapping[str, Answer]], vendor_rows: IntArray,
    criterion: Criterion,
    committee: CommitteeSummary, computed: Mapping[str, Mapping[str, float]], reference: dt.date, linked: bool,
) -> _Column:
    """A criterion's cells for every bid (``vendor_rows``: each bid's row in the committee summary)."""
    n = len(bids)
    missing = 0.0 if linked else float("nan")
    kind = criterion.answer
    if kind is AnswerKind.committee_score:
        if not linked and criterion.id not in committee.scenario_criteria:
            return _Column(np.full(n, np.nan), np.zeros(n), ("",) * n, ("",) * n)
        value, sd, level, notes = committee.criterion_columns(criterion.id)
        shown = tuple("not scored" if math.isnan(x) else f"{x:.2f} / 5" for x in level[vendor_rows].tolist())
        return _Column(value[vendor_rows], sd[vendor_rows], shown,
                       tuple("; ".join(notes[v]) for v in vendor_rows.tolist()))
    if kind is AnswerKind.computed:
        by_bid = computed.get(criterion.id, {})
        got = [by_bid.get(bid.id) for bid in bids]
        return _Column(
            np.array([missing if x is None else x for x in got], dtype=float), np.zeros(n),
            tuple("not computed" if x is None else f"{x:.2f}" for x in got),
            tuple("not computed, counts 0" if x is None else "" for x in got),
        )
    answers = [by_id.get(criterion.id) for by_id in answer_maps]
    column = answer_column(criterion, answers, scale, reference)
    none = [a is None for a in answers]
    if not any(none):
        return _Column(column.values, np.zeros(n), column.shown, column.notes)
    values = np.where(np.array(none, dtype=bool), missing, column.values)
    unanswered = "no answer, counts 0" if linked else ""
    return _Column(values, np.zeros(n),
                   tuple("no answer" if gap else text for gap, text in zip(none, column.shown, strict=True)),
                   tuple(unanswered if gap else text for gap, text in zip(none, column.notes, strict=True)))


def _stack(columns: Sequence[FloatArray], rows: int) -> FloatArray:
    """Columns (one per criterion, each over the bids) side by side: bids x criteria."""
    return np.column_stack(columns) if columns else np.zeros((rows, 0))


def _knockouts(
    project: Project, committee: CommitteeSummary, computed: Mapping[str, Mapping[str, float]],
    reference: dt.date, hidden: set[str],
) -> tuple[list[KnockOut], list[Unchecked]]:
    scale = project.effective_scale
    knocked: list[KnockOut] = []
    unchecked: list[Unchecked] = []
    for rule in project.selection.must_haves:
        criterion = project.criterion(rule.criterion)
        text = minimum_text(criterion, rule, scale)
        for bid in project.bids:
            def out(answer: str, bid: Bid = bid, criterion: Criterion = criterion, text: str = text,
                    reason: str = rule.reason) -> None:
                knocked.append(KnockOut(bid.id, bid.label, criterion.id, criterion.name, text, answer, reason))

            if criterion.id in hidden:
                unchecked.append(Unchecked(bid.id, bid.label, criterion.id, "a price criterion; checked when prices "
                                                                            "are revealed"))
                continue
            kind = criterion.answer
            if kind is AnswerKind.committee_score:
                _, _, level, _ = committee.criterion_value(bid.vendor.id, criterion.id)
                if math.isnan(level):
                    unchecked.append(Unchecked(bid.id, bid.label, criterion.id, "not every demo scenario is scored"))
                elif fails_minimum(criterion, rule, scale, level=level):
                    out(f"{level:.2f} / 5")
                continue
            if kind is AnswerKind.computed:
                got = computed.get(criterion.id, {}).get(bid.id)
                if got is None:
                    unchecked.append(Unchecked(bid.id, bid.label, criterion.id, "not computed"))
                elif fails_minimum(criterion, rule, scale, level=got):
                    out(f"{got:.2f}")
                continue
            answer = bid.answers.get(criterion.id)
            if answer is None:
                out("no answer")
                continue
            code, note = effective_code(answer, scale, reference) if answer.code is not None else (None, "")
            if fails_minimum(criterion, rule, scale, answer=answer, code=code):
                shown = answer_value(criterion, answer, scale, reference).shown
                out(f"{shown}{' — ' + note if note else ''}")
    return knocked, unchecked


def score(
    project: Project,
    *,
    weights: Mapping[str, float] | None = None,
    computed: Mapping[str, Mapping[str, float]] | None = None,
    reveal_prices: bool | None = None,
    as_of: dt.date | None = None,
) -> Scorecard:
    """Score every bid of ``project`` against the committee's goals.

    ``weights`` ({goal id: weight}) replaces some goals' weights (the rest keep theirs; all are
    normalised to sum 1).  ``computed`` gives {criterion id: {bid id: value 0..1}} for
    ``answer: computed`` criteria; missing ones show "not computed" and count 0.
    ``reveal_prices`` None follows the decision log (hidden until a lock and then a reveal).
    ``as_of`` is the date future-release promises are measured from (default: the selection's
    ``assumptions.start_date``, else today).
    """
    selection = project.selection
    goal_weights = goal_weight_vector(selection, weights)
    checked = _check_computed(project, computed)
    revealed = prices_revealed(project) if reveal_prices is None else bool(reveal_prices)
    reference = as_of or selection.assumptions.start_date or dt.date.today()
    scale = project.effective_scale

    price = {c.id for c in project.criteria if c.envelope is Envelope.price}
    hidden = set() if revealed else price
    linked = [cid for cid in project.linked_criteria if cid not in hidden]
    unlinked = [cid for cid in project.unlinked_criteria if cid not in hidden]
    bids = project.bids
    committee = summarise_committee(project.committee, [v.id for v in project.vendors])

    vendor_rows = np.array([committee.vendor_ids.index(bid.vendor.id) for bid in bids], dtype=np.intp)
    answer_maps = [bid.answers for bid in bids]

    def columns(ids: Sequence[str], linked: bool) -> list[_Column]:
        return [_column(scale, bids, answer_maps, vendor_rows, project.criterion(cid), committee, checked, reference,
                        linked) for cid in ids]

    linked_columns = columns(linked, True)
    values = _stack([c.values for c in linked_columns], len(bids))
    sd = _stack([c.sd for c in linked_columns], len(bids))
    answers = list(zip(*(c.shown for c in linked_columns), strict=True)) or [() for _ in bids]
    notes = list(zip(*(c.notes for c in linked_columns), strict=True)) or [() for _ in bids]
    unlinked_values = _stack([c.values for c in columns(unlinked, False)], len(bids))

    share = share_kernel(points_matrix(selection, linked))
    goal_matrix = goal_matrix_kernel(values, share)
    totals = totals_kernel(goal_matrix, goal_weights)
    knocked, unchecked = _knockouts(project, committee, checked, reference, hidden)
    out_ids = {k.bid for k in knocked}
    eligible = np.array([bid.id not in out_ids for bid in bids], dtype=bool)
    criteria = [project.criterion(cid) for cid in linked]
    return Scorecard(
        bid_ids=tuple(bid.id for bid in bids),
        labels=tuple(bid.label for bid in bids),
        vendor_ids=tuple(bid.vendor.id for bid in bids),
        goal_ids=selection.goal_ids,
        goal_names=tuple(goal.name for goal in selection.goals),
        goal_weights=_frozen(goal_weights),
        goal_matrix=_frozen(goal_matrix),
        goal_matrix_sd=_frozen(goal_sd_kernel(sd, share)),
        share=_frozen(share),
        criterion_ids=tuple(linked),
        criterion_names=tuple(c.name for c in criteria),
        criterion_kinds=tuple(c.answer.value for c in criteria),
        criterion_values=_frozen(values),
        criterion_sd=_frozen(sd),
        criterion_weights=_frozen(criterion_weights_kernel(share, goal_weights)),
        answers=tuple(answers),
        notes=tuple(notes),
        unlinked=tuple(unlinked),
        unlinked_names=tuple(project.criterion(cid).name for cid in unlinked),
        unlinked_values=_frozen(unlinked_values),
        hidden_criteria=tuple(sorted(hidden)),
        prices_hidden=not revealed,
        empty_goals=tuple(g for g, row in zip(selection.goal_ids, share, strict=True) if not row.any()),
        totals=_frozen(totals),
        eligible=_frozen(eligible),
        ranks=_frozen(rank_kernel(totals, eligible)),
        knockouts=tuple(knocked),
        unchecked=tuple(unchecked),
        committee=committee,
        reference_date=reference,
    )
