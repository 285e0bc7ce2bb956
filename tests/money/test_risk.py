"""Implementation-risk Monte Carlo: reproducible, the analytic body, the tail, and the NPV kernel."""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest

from crmselect.errors import AnalysisError
from crmselect.money.costs import tco
from crmselect.money.returns import annual_benefit, roi
from crmselect.money.risk import Overrun, RiskParameters, simulate_npv, simulate_risk
from tests import money_fixtures as mf


def test_reproducible_with_a_seed() -> None:
    project = mf.project()
    a = simulate_risk(project, "cloud-saas", n=5_000, random_state=42)
    b = simulate_risk(project, "cloud-saas", n=5_000, random_state=42)
    c = simulate_risk(project, "cloud-saas", n=5_000, random_state=43)
    np.testing.assert_array_equal(a.go_live_days, b.go_live_days)
    np.testing.assert_array_equal(a.net_npv, b.net_npv)
    assert a.frame().equals(b.frame())
    assert not np.array_equal(a.go_live_days, c.go_live_days)
    generator = simulate_risk(project, "cloud-saas", n=5_000, random_state=np.random.default_rng(42))
    np.testing.assert_array_equal(a.cost_npv, generator.cost_npv)


@pytest.mark.parametrize(("median", "sigma"), [(1.25, 0.45), (1.0, 0.3), (2.0, 0.8)])
def test_median_matches_the_lognormal_body_without_tail(median: float, sigma: float) -> None:
    draws = Overrun(median=median, sigma=sigma, tail_share=0.0, cap=1e9).sample(20_000, random_state=7)
    assert np.median(draws) == pytest.approx(math.exp(math.log(median)), rel=0.02)
    assert np.std(np.log(draws)) == pytest.approx(sigma, rel=0.03)


def test_default_distribution_against_its_analytic_form() -> None:
    duration = RiskParameters().duration
    draws = duration.sample(200_000, random_state=1)
    assert np.median(draws) == pytest.approx(1.25, rel=0.01)  # the tail lives above the 83 % quantile
    # P(on time) = Φ(-ln 1.25 / 0.45) ≈ 31 %, in line with 50-72 % of CRM projects late (CIO Insight)
    on_time = NormalDist().cdf(-math.log(1.25) / 0.45)
    assert np.mean(draws <= 1.0) == pytest.approx(on_time, abs=0.005)
    # Pareto tail: P(X > x) = 0.17 (x / x_q)^-2 above the threshold x_q ≈ 1.92
    x_q = duration.threshold
    assert x_q == pytest.approx(math.exp(math.log(1.25) + 0.45 * NormalDist().inv_cdf(0.83)))
    assert np.mean(draws > x_q) == pytest.approx(0.17, abs=0.005)
    assert np.mean(draws > 2 * x_q) == pytest.approx(0.17 / 4, abs=0.003)
    assert draws.max() <= duration.cap


def test_parameters_are_validated() -> None:
    with pytest.raises(AnalysisError, match="median"):
        Overrun(median=0.0, sigma=0.3)
    with pytest.raises(AnalysisError, match="tail_share"):
        Overrun(median=1.0, sigma=0.3, tail_share=0.7)
    with pytest.raises(AnalysisError, match="correlation"):
        RiskParameters(correlation=1.5)
    with pytest.raises(AnalysisError, match="n must"):
        simulate_risk(mf.project(), "cloud-saas", n=0)


def test_correlation_links_delay_and_overrun() -> None:
    rng = np.random.default_rng(3)
    duration, cost = RiskParameters(correlation=0.6).draw(50_000, rng)
    rho = np.corrcoef(np.log(duration), np.log(cost))[0, 1]
    assert 0.4 < rho < 0.65
    duration, cost = RiskParameters(correlation=0.0).draw(50_000, rng)
    assert abs(np.corrcoef(np.log(duration), np.log(cost))[0, 1]) < 0.03


def test_the_npv_kernel_against_the_deterministic_models() -> None:
    project = mf.project(mf.saas_offer(), selection_=mf.selection((600_000.0, 600_000.0)))
    offer = mf.with_go_live(mf.saas_offer(), 100)
    project = mf.project(offer, selection_=project.selection)
    planned = tco(project, "cloud-saas")
    benefit = annual_benefit(project.selection)
    ratios = np.array([1.0, 2.0, 0.5])
    days, cost_npv, net_npv = simulate_npv(planned, benefit, 6.0, ratios, np.array([1.0, 1.0, 1.5]))
    assert days.tolist() == pytest.approx([100, 200, 50])
    services = 200_000.0
    scope = 30_000 + 40_000 + 10_000 + mf.EFFORT_DAYS * 1_000
    for i, (ratio, expected_extra) in enumerate([(1.0, 0.0), (2.0, services), (0.5, -services / 2 + scope / 2)]):
        moved = tco(project, "cloud-saas", go_live_days=100 * ratio)
        assert cost_npv[i] == pytest.approx(moved.npv + expected_extra)
        net = roi(project, "cloud-saas", go_live=100 * ratio).at(36)["net_benefit"]
        assert net_npv[i] == pytest.approx(net - expected_extra)


def test_risk_result_views() -> None:
    project = mf.project()
    result = simulate_risk(project, "iron-onprem", n=2_000, random_state=0)
    frame = result.frame()
    assert list(frame.index) == ["go_live_days", "cost_npv", "net_npv", "duration_ratio", "cost_ratio"]
    assert (frame["P10"] <= frame["P50"]).all() and (frame["P50"] <= frame["P90"]).all()
    assert frame.loc["cost_npv", "plan"] == pytest.approx(tco(project, "iron-onprem").npv)
    assert 0 < result.probability_on_time < 1
    assert result.summary()["go_live_days_p50"] == pytest.approx(frame.loc["go_live_days", "P50"])
    assert len(result.samples()) == 2_000
    assert "within the claimed" in result._repr_html_()
    with pytest.raises(ValueError, match="read-only"):
        result.go_live_days[0] = 0.0


def test_risk_histogram() -> None:
    import matplotlib.pyplot as plt

    result = simulate_risk(mf.project(), "cloud-saas", n=3_000, random_state=5)
    ax = result.plot()
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["plan (vendor)", "P10", "P50", "P90"]
    assert ax.get_lines()[2].get_xdata()[0] == pytest.approx(result.percentile("go_live_days", 50))
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(3_000, abs=31)  # up to P99 shown
    ax = result.plot(kind="net_npv")
    assert sum(p.get_height() for p in ax.patches) == 3_000
    with pytest.raises(AnalysisError, match="kind"):
        result.plot(kind="fun")
    plt.close("all")


def test_a_short_promise_is_simulated_from_the_committees_reference_plan() -> None:
    """A "live in 60 days" pitch does not shorten the work: the plan is the reference, the promise a target."""
    base = mf.project()
    claimed = base.bid("cloud-saas").offer.implementation.claimed_go_live_days
    reference = 3 * claimed
    assumptions = base.selection.assumptions.replace(reference_go_live_days=reference)
    result = simulate_risk(base, "cloud-saas", n=40_000, random_state=3, assumptions=assumptions)
    assert result.claimed_go_live_days == claimed
    assert result.planned_go_live_days == reference
    assert result.frame().loc["go_live_days", "plan"] == reference
    body = RiskParameters().duration
    expected = NormalDist().cdf((math.log(claimed / reference) - math.log(body.median)) / body.sigma)
    assert result.probability_on_time == pytest.approx(expected, abs=4 * math.sqrt(expected / 40_000) + 1e-4)
    assert "the simulation plans" in result._repr_html_()
    labels = [line.get_label() for line in result.plot().get_lines()]
    assert labels[:2] == ["plan (reference)", "vendor's promise"]
    shorter = base.selection.assumptions.replace(reference_go_live_days=max(1, claimed // 2))
    unchanged = simulate_risk(base, "cloud-saas", n=2_000, random_state=3, assumptions=shorter)
    assert unchanged.planned_go_live_days == claimed
