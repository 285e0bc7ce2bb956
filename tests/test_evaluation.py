"""evaluate(): checks and price feed the computed criteria; the scorecard stays consistent."""

from __future__ import annotations

import numpy as np
import pytest
from testdata import load_example

import crmselect
from crmselect.checks.report import bid_context, contract_score, sla_score
from crmselect.evaluation import evaluate
from crmselect.model.bids import Deployment
from crmselect.model.goals import ComputedFrom


@pytest.fixture(scope="module")
def project() -> crmselect.Project:
    return load_example()


def _computed(project: crmselect.Project, source: ComputedFrom) -> str:
    return next(c.id for c in project.criteria if c.computed_from is source and c.id in project.linked_criteria)


def test_sla_and_contract_criteria_take_the_check_scores(project: crmselect.Project) -> None:
    result = evaluate(project)
    card = result.scorecard
    for source, expected in ((ComputedFrom.sla_score, sla_score), (ComputedFrom.contract_score, contract_score)):
        column = card.criterion_ids.index(_computed(project, source))
        for b, bid in enumerate(project.bids):
            context = bid_context(project, bid.id)  # the bid rules read the answers and our own recovery
            assert card.criterion_values[b, column] == pytest.approx(expected(bid.offer, context=context))


def test_price_is_hidden_until_revealed_and_then_scored_among_survivors(project: crmselect.Project) -> None:
    price_id = _computed(project, ComputedFrom.price)
    sealed = evaluate(project, reveal_prices=False).scorecard
    assert sealed.prices_hidden and price_id in sealed.hidden_criteria and price_id not in sealed.criterion_ids

    result = evaluate(project, reveal_prices=True)
    card = result.scorecard
    column = card.criterion_ids.index(price_id)
    npvs = result.tco.npvs()
    survivors = [b for b, ok in zip(card.bid_ids, card.eligible, strict=True) if ok]
    cheapest = min(npvs[b] for b in survivors)
    for b, bid in enumerate(card.bid_ids):
        if bid in survivors:
            assert card.criterion_values[b, column] == pytest.approx(cheapest / npvs[bid])
        else:
            assert card.criterion_values[b, column] == 0.0


def test_knocked_out_bid_stays_visible_everywhere(project: crmselect.Project) -> None:
    result = evaluate(project)
    out = [b for b, ok in zip(result.scorecard.bid_ids, result.scorecard.eligible, strict=True) if not ok]
    assert out, "the shipped example has one knocked-out bid"
    frame = result.frame()
    assert set(out) <= set(frame.index)
    assert all(frame.loc[b, "rank"] == "out" for b in out)
    assert all(frame.loc[b, "status"].startswith("knocked out") for b in out)


def test_weights_through_evaluate_match_the_fast_path(project: crmselect.Project) -> None:
    goals = project.selection.goal_ids
    weights = {g: float(i + 1) for i, g in enumerate(goals)}
    slow = evaluate(project, weights=weights).scorecard
    fast = evaluate(project).with_goal_weights(weights).scorecard
    np.testing.assert_allclose(slow.totals, fast.totals)
    np.testing.assert_allclose(slow.totals, slow.goal_matrix @ slow.goal_weights)
    assert slow.rank_labels == fast.rank_labels


def test_summary_frame_counts_flags_per_bid(project: crmselect.Project) -> None:
    result = evaluate(project)
    findings = result.checks.frame()
    frame = result.frame()
    for bid in frame.index:
        assert frame.loc[bid, "high flags"] == int(((findings["bid"] == bid) & (findings["severity"] == "high")).sum())
    weak = [b.id for b in project.bids if b.offer.deployment is Deployment.saas and b.offer.sla.uptime_pct is None]
    assert weak and all(frame.loc[b, "high flags"] >= 3 for b in weak)
    assert "<table" in result._repr_html_()


def test_price_kept_apart_leaves_the_scorecard_technical(project: crmselect.Project) -> None:
    kept_apart = evaluate(project, reveal_prices=True, price_method="kept_apart").scorecard
    technical = evaluate(project, reveal_prices=False).scorecard
    assert kept_apart.prices_hidden
    np.testing.assert_allclose(kept_apart.totals, technical.totals)
    assert "not computed" not in " ".join(" ".join(row) for row in kept_apart.answers)
