"""``AnswerMemo``: answer columns kept between scorings give the same scorecard, and never a stale one."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from testdata import load_example

from crmselect.evaluation import evaluate
from crmselect.model.project import Project
from crmselect.scoring.engine import score
from crmselect.scoring.values import AnswerMemo


def _same(a: object, b: object) -> None:
    for name in ("totals", "goal_matrix", "criterion_values", "unlinked_values"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name
    assert a.answers == b.answers and a.notes == b.notes  # type: ignore[attr-defined]


def _with_answer(project: Project, vendor_id: str, criterion_id: str, **answer: object) -> Project:
    vendors = tuple(v.replace(answers={**v.model_dump(mode="python")["answers"], criterion_id: answer})
                    if v.id == vendor_id else v for v in project.vendors)
    return dataclasses.replace(project, vendors=vendors)


def test_a_memo_changes_nothing_and_notices_a_changed_answer() -> None:
    project = load_example()
    memo = AnswerMemo()
    first = score(project, reveal_prices=True, memo=memo)
    _same(first, score(project, reveal_prices=True))
    _same(score(project, reveal_prices=True, memo=memo), first)  # served from the memo
    # one answer changed: that column is worked out again, the others come from the memo
    bid = project.bids[0]  # a linked criterion whose answer the bid takes from its vendor, coded as met
    vendor = bid.vendor
    criterion = next(cid for cid in first.criterion_ids if cid in vendor.answers and cid not in bid.offer.answers
                     and vendor.answers[cid].code not in (None, "N"))
    changed = _with_answer(project, vendor.id, criterion, code="N")
    with_memo, without = score(changed, reveal_prices=True, memo=memo), score(changed, reveal_prices=True)
    _same(with_memo, without)
    assert not np.array_equal(with_memo.criterion_values, first.criterion_values, equal_nan=True)


def test_a_memo_is_emptied_for_another_scale_or_date() -> None:
    project = load_example()
    memo = AnswerMemo()
    score(project, reveal_prices=False, memo=memo)
    later = dt.date(2031, 1, 1)  # promises dated before then now count as delivered, or as late
    _same(score(project, reveal_prices=False, as_of=later, memo=memo), score(project, reveal_prices=False, as_of=later))
    code = project.scale.codes[1].code
    selection = project.selection.replace(compliance_values={code: 0.123})
    revalued = project.with_selection(selection)
    _same(score(revalued, reveal_prices=False, memo=memo), score(revalued, reveal_prices=False))


def test_kept_columns_are_read_only() -> None:
    project = load_example()
    memo = AnswerMemo().for_scale(project.effective_scale, dt.date(2027, 1, 4))
    from crmselect.scoring.values import ComplianceTable

    criterion = project.criteria[0]
    answers = [bid.answers.get(criterion.id) for bid in project.bids]
    column = memo.column(criterion, answers, ComplianceTable.of(project.effective_scale, dt.date(2027, 1, 4)))
    assert memo.column(criterion, list(answers), ComplianceTable.of(project.effective_scale,
                                                                    dt.date(2027, 1, 4))) is column
    with pytest.raises(ValueError, match="read-only"):
        column.values[0] = 1.0


def test_levers_with_one_memo_match_fresh_evaluations() -> None:
    """Ranking levers shares one memo across every concession: each outcome equals a fresh evaluation's."""
    evaluation = evaluate(load_example(), reveal_prices=True)
    table = evaluation.levers()
    assert table.outcomes, "the example has levers to rank"
    from crmselect.evaluation import LEVER_THRESHOLDS, _with_offer
    from crmselect.whatif.lever_asks import concede

    for outcome in table.outcomes[:6]:
        bid = evaluation.project.bid(outcome.bid)
        ask = concede(outcome.code, bid.offer, LEVER_THRESHOLDS)
        assert ask is not None
        fresh = evaluate(_with_offer(evaluation.project, bid.id, ask.offer), reveal_prices=True)
        b = fresh.scorecard.bid_ids.index(bid.id)
        assert float(fresh.scorecard.totals[b]) == outcome.total_after
