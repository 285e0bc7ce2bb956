"""ROI from the goals' KPIs: the ramp, checkpoints at 6/12/24 months and the horizon, payback."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from crmselect.errors import AnalysisError
from crmselect.money.costs import tco
from crmselect.money.returns import compare_roi, monthly_benefits, payback_month, ramp_integral, roi
from tests import money_fixtures as mf


def test_ramp_integral_by_hand() -> None:
    # go-live at month 3, six-month ramp: full-benefit months earned by t
    assert ramp_integral([0, 3, 6, 9, 12], 3.0, 6.0).tolist() == pytest.approx([0, 0, 9 / 12, 3, 6])
    assert ramp_integral([2, 5], 3.0, 0.0).tolist() == [0, 2]  # no ramp: a step at go-live


def test_monthly_benefits_by_hand() -> None:
    months = monthly_benefits(120_000, 12, 3.0, 6.0)  # 10,000 a month at full rate
    expected = [0, 0, 0, 1 / 12, 3 / 12, 5 / 12, 7 / 12, 9 / 12, 11 / 12, 1, 1, 1]
    assert months.tolist() == pytest.approx([10_000 * e for e in expected])
    draws = monthly_benefits(120_000, 12, np.array([[3.0], [24.0]]), 6.0)  # vectorised over go-lives
    assert draws.shape == (2, 12)
    assert draws[1].sum() == 0


def test_payback_month_kernel() -> None:
    # cumulative -100, -110, -80, -30, +30: reaches 0 half way through month 4
    assert payback_month(-100.0, np.array([-10.0, 30.0, 50.0, 60.0])) == pytest.approx(3.5)
    assert payback_month(-100.0, np.array([10.0, 10.0])) is None
    assert payback_month(0.0, np.array([-1.0])) == 0.0


def test_roi_checkpoints_by_hand() -> None:
    # benefits: 6 points of win rate x 10,000 + 20 hours x 3,000 = 120,000 a year
    project = mf.project(mf.saas_offer())
    result = roi(project, "cloud-saas", go_live=mf.THREE_MONTHS)
    assert result.annual_benefit == pytest.approx(120_000)
    frame = result.frame()
    assert list(frame.index) == ["6 months", "12 months", "24 months", "horizon (3 years)"]
    # full-benefit months earned: 0.75 by month 6, 6 by 12, 18 by 24, 30 by 36
    assert frame["benefits_pv"].tolist() == pytest.approx(
        [7_500 / 1.1, 60_000 / 1.1, 60_000 / 1.1 + 120_000 / 1.21, 60_000 / 1.1 + 120_000 / 1.21 + 120_000 / 1.331]
    )
    # first six months: 330,000 at signature; subscription 8,000 + support 833.33 + third party 166.67 a
    # month; from month 4 consumption 416.67, admin 4,166.67 and downtime 1,825 a month
    six = 6 * (8_000 + 10_000 / 12 + 2_000 / 12) + 3 * (5_000 / 12 + 50_000 / 12 + 21_900 / 12)
    assert six == pytest.approx(73_225)
    assert frame.loc["6 months", "costs_pv"] == pytest.approx(330_000 + 73_225 / 1.1)
    costs = tco(project, "cloud-saas", go_live_days=mf.THREE_MONTHS)
    assert frame.loc["horizon (3 years)", "costs_pv"] == pytest.approx(costs.npv)  # same as the TCO NPV
    horizon = frame.loc["horizon (3 years)"]
    assert horizon["net_benefit"] == pytest.approx(horizon["benefits_pv"] - horizon["costs_pv"])
    assert horizon["roi"] == pytest.approx(horizon["net_benefit"] / horizon["costs_pv"])
    # risk-adjusted: benefits -20 %, costs +10 %
    assert horizon["risk_benefits_pv"] == pytest.approx(0.8 * horizon["benefits_pv"])
    assert horizon["risk_costs_pv"] == pytest.approx(1.1 * horizon["costs_pv"])
    assert horizon["risk_roi"] < horizon["roi"]
    assert not frame["paid_back"].any()  # 300,000 of benefit never repays 911,032 of cost
    assert result.payback_months() is None


def test_payback_agrees_with_the_monthly_table() -> None:
    project = mf.project(mf.saas_offer(), selection_=mf.selection((600_000.0, 600_000.0)))
    result = roi(project, "cloud-saas", go_live=mf.THREE_MONTHS)
    plain, risk = result.payback_months(), result.payback_months(risk_adjusted=True)
    assert plain is not None and risk is not None
    assert 3 < plain < risk < 36
    cumulative = result.monthly()["cumulative_net"]
    assert cumulative[int(np.floor(plain))] < 0 <= cumulative[int(np.ceil(plain))]
    frame = result.frame()
    assert frame.loc["horizon (3 years)", "paid_back"]
    assert frame.loc["6 months", "paid_back"] == (plain <= 6)


def test_go_live_as_a_date_and_a_later_go_live_costs_benefit() -> None:
    project = mf.project(mf.saas_offer(), selection_=mf.selection(start_date=dt.date(2026, 1, 1)))
    by_date = roi(project, "cloud-saas", go_live=dt.date(2026, 4, 1))
    assert by_date.go_live_days == 90
    later = roi(project, "cloud-saas", go_live=270)
    assert later.at(36)["benefits_pv"] < by_date.at(36)["benefits_pv"]
    no_start = mf.project(mf.saas_offer())
    with pytest.raises(AnalysisError, match=r"as_of in selection\.yaml"):
        roi(no_start, "cloud-saas", go_live=dt.date(2026, 4, 1))
    with pytest.raises(AnalysisError, match="before"):
        roi(project, "cloud-saas", go_live=dt.date(2025, 4, 1))


def test_compare_roi_and_views() -> None:
    comparison = compare_roi(mf.project())
    frame = comparison.frame()
    assert list(frame.index) == ["cloud-saas", "iron-onprem"]
    assert {"roi", "risk_roi", "payback_months", "roi_6m", "roi_12m", "roi_24m"} <= set(frame.columns)
    assert "ROI by bid" in comparison._repr_html_()
    single = comparison["cloud-saas"]
    assert "Payback" in single._repr_html_()
    assert single.goals_frame()["annual_benefit"].sum() == pytest.approx(single.annual_benefit)


def test_roi_plot() -> None:
    import matplotlib.pyplot as plt

    result = roi(mf.project(), "cloud-saas", go_live=mf.THREE_MONTHS)
    ax = result.plot()
    curves = [line for line in ax.get_lines() if line.get_label() in {"net benefit", "risk-adjusted"}]
    assert len(curves) == 2
    assert curves[0].get_ydata().tolist() == pytest.approx(result.monthly()["cumulative_net"].tolist())
    ax = compare_roi(mf.project()).plot()
    assert {"Vendor (SaaS)", "Vendor (on-premise)"} <= {line.get_label() for line in ax.get_lines()}
    plt.close("all")
