"""Benefits by fit and from the planned go-live: the boldest promise no longer buys the best ROI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from testdata import copy_example, load_example, reveal_prices

from crmselect.cli.app import main
from crmselect.evaluation import evaluate
from crmselect.money.returns import benefits_by_fit, fit_share_kernel, planned_go_live_days, roi
from crmselect.money.risk import simulate_risk
from tests import money_fixtures as mf


def test_the_fit_share_by_hand() -> None:
    shares = fit_share_kernel([0.0, 0.4, 0.65, 0.9, 1.0], weak=0.4, full=0.9, floor_pct=25.0)
    np.testing.assert_allclose(shares, [0.25, 0.25, 0.25 + 0.75 * 0.5, 1.0, 1.0])


def test_a_bids_benefit_is_each_goals_benefit_times_its_share() -> None:
    selection = mf.selection((60_000.0, 40_000.0))
    scores = {"sales": 0.65, "service": 0.3}
    by_goal = dict((goal, benefit) for goal, _, benefit in benefits_by_fit(selection, scores, selection.assumptions))
    assert by_goal == pytest.approx({"sales": 60_000 * 0.625, "service": 40_000 * 0.25})
    project = mf.project(mf.saas_offer(), selection_=selection)
    result = roi(project, "cloud-saas", goal_scores=scores)
    assert result.fit_scaled and result.annual_benefit == pytest.approx(37_500 + 10_000)
    assert not roi(project, "cloud-saas").fit_scaled  # no scores: the full benefit, and it says so


@given(st.floats(0, 1), st.floats(0, 1), st.floats(0.05, 0.95), st.floats(0, 100))
def test_a_better_fit_never_lowers_the_benefit(a: float, b: float, weak: float, floor: float) -> None:
    full = min(1.0, weak + 0.05)
    low, high = sorted((a, b))
    assert fit_share_kernel(high, weak, full, floor) >= fit_share_kernel(low, weak, full, floor)


def test_a_shorter_promise_does_not_buy_a_better_business_case() -> None:
    selection = mf.selection(reference_go_live_days=180)
    bold = mf.saas_offer()
    bold = bold.replace(implementation=bold.implementation.replace(claimed_go_live_days=60))
    honest = bold.replace(implementation=bold.implementation.replace(claimed_go_live_days=180))
    promised = roi(mf.project(bold, selection_=selection), "cloud-saas")
    planned = roi(mf.project(honest, selection_=selection), "cloud-saas")
    assert promised.go_live_days == planned.go_live_days == 180
    assert promised.claimed_go_live_days == 60
    assert promised.at(promised.n_months)["roi"] == pytest.approx(planned.at(planned.n_months)["roi"])
    assert promised.payback_months() == pytest.approx(planned.payback_months())
    assert planned_go_live_days(60, selection.assumptions) == 180
    assert planned_go_live_days(240, selection.assumptions, 1.5) == 360


def test_roi_percentiles_come_from_the_same_draws_as_go_live() -> None:
    project = load_example()
    scores = evaluate(project).technical_goal_scores
    bid = project.bids[0].id
    risk = simulate_risk(project, bid, n=3_000, random_state=3, goal_scores=scores[bid])
    np.testing.assert_allclose(risk.roi, risk.net_npv / risk.cost_npv)
    summary = risk.summary()
    assert summary["roi_p10"] <= summary["roi_p50"] <= summary["roi_p90"]
    assert summary["roi_p50"] == pytest.approx(float(np.percentile(risk.net_npv / risk.cost_npv, 50)))


def test_tco_shows_benefits_by_fit_and_marks_knocked_out_bids(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    root = reveal_prices(copy_example(tmp_path / "selection"))
    capsys.readouterr()
    assert main(["tco", str(root), "--draws", "500"]) == 0
    out = capsys.readouterr().out
    assert "earned by the bid's fit" in out and "ROI P50" in out
    knocked = [line for line in out.splitlines() if line.startswith("brightquill-saas")]
    assert knocked and all(line.rstrip().endswith("knocked out") for line in knocked)
