"""The business case tracked: earned against expected by hand, realised ROI against the risk band."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmselect import load_project
from crmselect.evaluation import evaluate
from crmselect.model.actuals import Actuals, Checkpoint, GoLive, KpiActual
from crmselect.model.project import Project
from crmselect.money.costs import DAYS_PER_MONTH, tco
from crmselect.money.returns import roi
from crmselect.money.tracking import (
    cumulative_at,
    earned_share,
    integral_to,
    realised_roi,
    to_date_by_draw,
    track,
)
from tests.testdata import copy_minimal

SIGNED = dt.date(2026, 6, 1)  # as_of of tests/data/minimal


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return load_project(copy_minimal(tmp_path_factory.mktemp("tracking") / "selection"))


@pytest.fixture(scope="module")
def scores(project: Project) -> dict[str, float]:
    return dict(evaluate(project).technical_goal_scores["acme-saas"])


def _actuals() -> Actuals:
    return Actuals(bid="acme-saas", go_lives=(GoLive(date=dt.date(2026, 11, 2)),), checkpoints=(
        Checkpoint(months=6, date=dt.date(2027, 5, 3), kpis=(
            KpiActual(goal="forecast", kpi="Forecast error", value=24),
            KpiActual(goal="service", kpi="First response", value=10))),
        Checkpoint(months=12, date=dt.date(2027, 11, 3), cost_to_date=150_000.0, kpis=(
            KpiActual(goal="forecast", kpi="Forecast error", value=18),)),
    ))


def test_earned_share_by_hand() -> None:
    assert earned_share(30, 15, 24) == pytest.approx(0.4)  # error falling from 30 toward 15: 6 of 15
    assert earned_share(30, 15, 35) == 0.0  # away from the target earns nothing
    assert earned_share(30, 15, 10) == 1.0  # beyond the target counts as the target
    assert earned_share(24, 4, 10) == pytest.approx(0.7)
    assert earned_share(50, 80, 65) == pytest.approx(0.5)  # a KPI that rises
    assert earned_share(5, 5, 7) == 0.0  # no improvement asked: nothing to earn


def test_integral_by_hand() -> None:
    # rate 0 at go-live, 12,000 a year half a year later, 24,000 another half year on
    assert integral_to([0, 0.5, 1.0], [0, 12_000, 24_000], 0.5) == pytest.approx(3_000)
    assert integral_to([0, 0.5, 1.0], [0, 12_000, 24_000], 1.0) == pytest.approx(3_000 + 9_000)
    assert integral_to([0, 0.5], [0, 12_000], 0.75) == pytest.approx(3_000 + 3_000)  # flat after the last
    assert integral_to([0, 0.5, 1.0], [0, 12_000, 24_000], 0.75) == pytest.approx(3_000 + 0.25 * 15_000)
    assert integral_to([0, 0.5], [0, 12_000], 0.0) == 0.0
    assert cumulative_at(100.0, [10.0, 20.0, 30.0], 1.5) == pytest.approx(120.0)


def test_earned_and_expected_by_hand(project: Project, scores: dict[str, float]) -> None:
    result = track(project, _actuals(), SIGNED, goal_scores=scores)
    rows = {(r.checkpoint, r.goal, r.kpi): r for r in result.rows}
    forecast = rows[(6, "forecast", "Forecast error")]
    # forecast error 30 -> 15 at 2,000 a point: 30,000 a year at target; the actual 24 is 40 % of the way
    assert forecast.full_benefit == 30_000
    assert forecast.earned_rate == pytest.approx(12_000)
    # go-live 2026-11-02, checkpoint 2027-05-03: 182 days; rate rises linearly from 0 to 12,000
    years = 182 / DAYS_PER_MONTH / 12
    assert forecast.earned_to_date == pytest.approx(0.5 * 12_000 * years)
    # expected: the goal's benefit by fit ramps from the planned go-live (the vendor's 120 days) over 6 months
    assumptions = project.selection.assumptions
    fit = np.clip((scores["forecast"] - assumptions.benefit_fit_weak)
                  / (assumptions.benefit_fit_full - assumptions.benefit_fit_weak), 0, 1)
    share = assumptions.benefit_fit_floor_pct / 100 + (1 - assumptions.benefit_fit_floor_pct / 100) * fit
    at, live = 336 / DAYS_PER_MONTH, 120 / DAYS_PER_MONTH  # 2026-06-01 -> 2027-05-03 is 336 days
    full_months = 6 / 2 + (at - live - 6)  # the ramp's triangle, then the full rate
    assert forecast.expected_to_date == pytest.approx(30_000 * share * full_months / 12)
    assert forecast.expected_rate == pytest.approx(30_000 * share)
    # at 12 months the service KPI was not measured: its 10 hours (70 %) holds, flat after 6 months
    service = rows[(12, "service", "First response")]
    assert service.actual is None
    six, twelve = 182 / DAYS_PER_MONTH / 12, 366 / DAYS_PER_MONTH / 12
    assert service.earned_to_date == pytest.approx(0.5 * 7_000 * six + 7_000 * (twelve - six))
    # goals and the whole roll-out add their KPIs up
    goals = result.goals_frame()
    assert goals.loc[(6, "forecast"), "earned_to_date"] == pytest.approx(forecast.earned_to_date)
    assert result.totals().loc[6, "earned_to_date"] == pytest.approx(
        forecast.earned_to_date + rows[(6, "service", "First response")].earned_to_date)
    whole = result.go_live_frame().loc["whole"]
    assert whole["promised_days"] == 120 and whole["actual_days"] == 154 and whole["late_days"] == 34


def test_phases_earn_from_their_own_go_live(project: Project, scores: dict[str, float]) -> None:
    phases = {"forecast": "first", "service": "second", "risk": "second"}
    actuals = Actuals(bid="acme-saas", go_lives=(GoLive(date=dt.date(2026, 9, 1), phase="first"),
                                                 GoLive(date=dt.date(2027, 3, 1), phase="second")),
                      checkpoints=(Checkpoint(months=6, date=dt.date(2027, 6, 1), kpis=(
                          KpiActual(goal="forecast", kpi="Forecast error", value=15),
                          KpiActual(goal="service", kpi="First response", value=4))),))
    planned = {"forecast": 60.0, "service": 200.0, "risk": 200.0}
    result = track(project, actuals, SIGNED, goal_scores=scores, goal_go_live_days=planned, goal_phases=phases)
    rows = {r.goal: r for r in result.rows if r.kpi in ("Forecast error", "First response")}
    assert rows["forecast"].earned_to_date == pytest.approx(0.5 * 30_000 * 273 / DAYS_PER_MONTH / 12)
    assert rows["service"].earned_to_date == pytest.approx(0.5 * 10_000 * 92 / DAYS_PER_MONTH / 12)
    by_phase = result.phases_frame()
    assert set(by_phase.index.get_level_values("phase")) == {"first", "second"}
    go_lives = result.go_live_frame()
    assert go_lives.loc["first", "actual_days"] == 92 and go_lives.loc["first", "planned_days"] == 60
    assert go_lives.loc["whole", "actual_days"] == 273  # the last phase's go-live


def test_one_plain_draw_is_the_planned_case(project: Project, scores: dict[str, float]) -> None:
    days = 150.0
    schedule = tco(project, "acme-saas", go_live_days=days)
    goals = [g.id for g in project.selection.goals]
    plan = roi(project, "acme-saas", go_live=days, goal_scores=scores)
    benefits = np.array([b for _, _, b in plan.benefits_by_goal])
    assert [g for g, _, _ in plan.benefits_by_goal] == goals
    for at in (3.0, 7.5, 20.25):
        benefit, cost = to_date_by_draw(schedule, benefits, np.full(len(goals), days / DAYS_PER_MONTH),
                                        float(project.selection.assumptions.benefit_ramp_months), np.ones(1),
                                        np.ones(1), at)
        whole = int(at)
        expected_cost = plan.initial_cost + plan.costs[:whole].sum() + (at - whole) * plan.costs[whole]
        expected_benefit = plan.benefits[:whole].sum() + (at - whole) * plan.benefits[whole]
        assert cost[0] == pytest.approx(expected_cost)
        # a month's benefit is the ramp's exact integral, so inside a month it is not linear: compare whole months
        if at == whole:
            assert benefit[0] == pytest.approx(expected_benefit)
        assert plan.benefits[:whole].sum() <= benefit[0] + 1e-9 <= plan.benefits[:whole + 1].sum() + 1e-6


def test_realised_roi_against_the_band(project: Project, scores: dict[str, float]) -> None:
    actuals = _actuals()
    result = realised_roi(project, track(project, actuals, SIGNED, goal_scores=scores), actuals,
                          goal_scores=scores, n=4_000, random_state=1)
    six, twelve = result.roi
    assert six.cost_source == "planned TCO" and twelve.cost_source == "recorded"
    assert twelve.cost_to_date == 150_000
    assert twelve.realised_roi == pytest.approx((twelve.earned_to_date - 150_000) / 150_000)
    assert six.band[0] <= six.band[1] <= six.band[2]
    assert six.band[0] <= six.planned_roi <= six.band[2]
    again = realised_roi(project, track(project, actuals, SIGNED, goal_scores=scores), actuals,
                         goal_scores=scores, n=4_000, random_state=1)
    assert again.roi == result.roi  # the same seed, the same band


kpi_values = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(baseline=kpi_values, target=kpi_values, actual=kpi_values, value=st.floats(0, 1e5))
def test_earned_never_exceeds_the_full_benefit(baseline: float, target: float, actual: float, value: float) -> None:
    share = float(earned_share(baseline, target, actual))
    assert 0.0 <= share <= 1.0
    assert share * abs(target - baseline) * value <= abs(target - baseline) * value * (1 + 1e-12)


@settings(max_examples=30, deadline=None)
@given(actuals=st.lists(st.floats(0, 60, allow_nan=False), min_size=1, max_size=4),
       gaps=st.lists(st.integers(1, 200), min_size=4, max_size=4))
def test_earned_to_date_is_bounded_and_zero_at_baseline(
        project: Project, scores: dict[str, float], actuals: list[float], gaps: list[int]) -> None:
    dates, day = [], dt.date(2026, 11, 2)
    for gap in gaps[:len(actuals)]:
        day += dt.timedelta(days=gap)
        dates.append(day)
    checkpoints = tuple(Checkpoint(months=6 * (i + 1), date=d, kpis=(
        KpiActual(goal="forecast", kpi="Forecast error", value=v),
        KpiActual(goal="forecast", kpi="Deals without next step", value=40))) for i, (d, v) in
        enumerate(zip(dates, actuals, strict=False)))
    actual = Actuals(bid="acme-saas", go_lives=(GoLive(date=dt.date(2026, 11, 2)),), checkpoints=checkpoints)
    for row in track(project, actual, SIGNED, goal_scores=scores).rows:
        years_live = (row.date - dt.date(2026, 11, 2)).days / DAYS_PER_MONTH / 12
        assert row.earned_rate <= row.full_benefit + 1e-9
        assert row.earned_to_date <= row.full_benefit * years_live + 1e-6
    at_baseline = Actuals(bid="acme-saas", go_lives=actual.go_lives, checkpoints=tuple(
        c.model_copy(update={"kpis": (KpiActual(goal="forecast", kpi="Forecast error", value=30),
                                      KpiActual(goal="service", kpi="First response", value=24))})
        for c in checkpoints))
    assert all(r.earned_rate == 0 and r.earned_to_date == 0
               for r in track(project, at_baseline, SIGNED, goal_scores=scores).rows)

