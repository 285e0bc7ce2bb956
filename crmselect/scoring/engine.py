"""The scorecard: goals x bids, totals and ranks, knock-outs, and the criteria that explain them.

The model is linear and kept visible::

    share[g, j]      = points of criterion j in goal g / the goal's (visible) points
    goal_matrix      = criterion_values @ share.T          (bids x goals, each in 0..1)
    criterion_weights = goal_weights @ share
    totals           = goal_matrix @ goal_weights          (== criterion_values @ criterion_weights)

Price-envelope criteria stay out of the scorecard until the technical scoring is locked and the
prices are revealed (the envelope state is an argument); each goal's points are then re-shared among its visible
criteria.  Must-have rules knock bids out; knocked-out bids stay in every table, flagged, and get
no rank.  :meth:`Scorecard.with_goal_weights` is the fast path (numpy only) a slider calls.

The kernels live in :mod:`crmselect.scoring.kernels` and the result objects (:class:`Scorecard`,
:class:`KnockOut`, :class:`Unchecked`) in :mod:`crmselect.scoring.scorecard`; every public name of both is
importable from here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import is_
from typing import TYPE_CHECKING

import numpy as np

from crmselect.errors import AnalysisError
from crmselect.model.goals import AnswerKind, ComplianceScale, Criterion, Envelope
from crmselect.scoring.committee import CommitteeSummary, summarise_committee
from crmselect.scoring.kernels import (
    OUT,
    TIE_TOLERANCE,
    BoolArray,
    FloatArray,
    IntArray,
    goal_matrix_kernel,
    goal_sd_kernel,
    rank_kernel,
    rank_labels,
    read_only,
    totals_kernel,
)
from crmselect.scoring.scorecard import KnockOut, Scorecard, Unchecked
from crmselect.scoring.values import (
    AnswerMemo,
    ComplianceTable,
    answer_column,
    answer_value,
    effective_code,
    fails_minimum,
    minimum_text,
)
from crmselect.scoring.weights import (
    criterion_weights_kernel,
    goal_weight_vector,
    points_matrix,
    share_kernel,
)

if TYPE_CHECKING:
    from crmselect.model.bids import Answer
    from crmselect.model.project import Bid, Project


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


@dataclass(frozen=True)
class _Column:
    """One criterion over every bid: values, spreads, what each cell shows and its note."""

    values: FloatArray
    sd: FloatArray
    shown: tuple[str, ...]
    notes: tuple[str, ...]


def _column(
    scale: ComplianceScale, bids: Sequence[Bid], answer_maps: Sequence[dict[str, Answer]], vendor_rows: IntArray,
    criterion: Criterion,
    committee: CommitteeSummary, computed: Mapping[str, Mapping[str, float]], reference: dt.date, linked: bool,
    table: ComplianceTable, memo: AnswerMemo | None = None,
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
    answers: list[Answer | None] = list(map(dict.get, answer_maps, repeat(criterion.id)))  # C-level, per bid
    column = (answer_column(criterion, answers, scale, reference, table) if memo is None
              else memo.column(criterion, answers, table))
    none = list(map(is_, answers, repeat(None)))
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
        label = (scale.code(rule.minimum).label if criterion.answer is AnswerKind.compliance
                 and isinstance(rule.minimum, str) and rule.minimum in scale.letters else "")
        for bid in project.bids:
            def out(answer: str, bid: Bid = bid, criterion: Criterion = criterion, text: str = text,
                    reason: str = rule.reason, label: object = label) -> None:
                knocked.append(KnockOut(bid.id, bid.label, criterion.id, criterion.name, text, answer, reason,
                                        label))

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
    reveal_prices: bool,
    as_of: dt.date | None = None,
    memo: AnswerMemo | None = None,
) -> Scorecard:
    """Score every bid of ``project`` against the committee's goals.

    ``weights`` ({goal id: weight}) replaces some goals' weights (the rest keep theirs; all are
    normalised to sum 1).  ``computed`` gives {criterion id: {bid id: value 0..1}} for
    ``answer: computed`` criteria; missing ones show "not computed" and count 0.
    ``reveal_prices`` is the envelope state: False keeps ``envelope: price`` criteria out (the
    decision log's state comes from :func:`crmselect.record.envelopes.prices_revealed`, passed in by
    :func:`crmselect.evaluation.evaluate`).
    ``as_of`` is the date future-release promises are measured from (default: the selection's
    ``assumptions.start_date``, else today).
    ``memo`` keeps answer columns between calls that score the same answers again (:class:`AnswerMemo`); the
    scorecard is the same with it or without it.
    """
    selection = project.selection
    goal_weights = goal_weight_vector(selection, weights)
    checked = _check_computed(project, computed)
    revealed = bool(reveal_prices)
    reference = as_of or selection.assumptions.start_date or dt.date.today()
    scale = project.effective_scale

    price = {c.id for c in project.criteria if c.envelope is Envelope.price}
    hidden = set() if revealed else price
    linked = [cid for cid in project.linked_criteria if cid not in hidden]
    unlinked = [cid for cid in project.unlinked_criteria if cid not in hidden]
    bids = project.bids
    committee = summarise_committee(project.committee, [v.id for v in project.vendors],
                                    [v.name for v in project.vendors])

    vendor_rows = np.array([committee.vendor_ids.index(bid.vendor.id) for bid in bids], dtype=np.intp)
    answer_maps = [bid.answers for bid in bids]
    table = ComplianceTable.of(scale, reference)
    kept = None if memo is None else memo.for_scale(scale, reference)

    def columns(ids: Sequence[str], linked: bool) -> list[_Column]:
        return [_column(scale, bids, answer_maps, vendor_rows, project.criterion(cid), committee, checked, reference,
                        linked, table, kept) for cid in ids]

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
        goal_weights=read_only(goal_weights),
        goal_matrix=read_only(goal_matrix),
        goal_matrix_sd=read_only(goal_sd_kernel(sd, share)),
        share=read_only(share),
        criterion_ids=tuple(linked),
        criterion_names=tuple(c.name for c in criteria),
        criterion_kinds=tuple(c.answer.value for c in criteria),
        criterion_values=read_only(values),
        criterion_sd=read_only(sd),
        criterion_weights=read_only(criterion_weights_kernel(share, goal_weights)),
        answers=tuple(answers),
        notes=tuple(notes),
        unlinked=tuple(unlinked),
        unlinked_names=tuple(project.criterion(cid).name for cid in unlinked),
        unlinked_values=read_only(unlinked_values),
        hidden_criteria=tuple(sorted(hidden)),
        prices_hidden=not revealed,
        empty_goals=tuple(g for g, row in zip(selection.goal_ids, share, strict=True) if not row.any()),
        totals=read_only(totals),
        eligible=read_only(eligible),
        ranks=read_only(rank_kernel(totals, eligible)),
        knockouts=tuple(knocked),
        unchecked=tuple(unchecked),
        committee=committee,
        reference_date=reference,
    )


__all__ = [
    "OUT",
    "TIE_TOLERANCE",
    "BoolArray",
    "FloatArray",
    "IntArray",
    "KnockOut",
    "Scorecard",
    "Unchecked",
    "goal_matrix_kernel",
    "goal_sd_kernel",
    "rank_kernel",
    "rank_labels",
    "score",
    "totals_kernel",
]
