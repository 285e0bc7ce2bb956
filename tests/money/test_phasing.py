"""The planned schedule of a phased roll-out, checked by hand on the tiny test selection."""

from __future__ import annotations

import pytest

from crmselect.errors import AnalysisError
from crmselect.files.loaders import load_project
from crmselect.model.phases import Phase, PhasePlan
from crmselect.model.project import Project
from crmselect.model.readiness import FACTORS, FactorRating, Rating, Readiness
from crmselect.money.phasing import goal_efforts, phase_schedule
from crmselect.money.readiness import ALL_MISSING, FACTOR_SHARES
from tests.testdata import MINIMAL


def _project() -> Project:
    return load_project(MINIMAL)


def _shared(project: Project) -> Project:
    """minimal with SRV-001 (coded X by Borealis: 20 days of custom work) serving the risk goal too."""
    goals = [g.replace(criteria={**g.criteria, "SRV-001": 1.0}) if g.id == "risk" else g
             for g in project.selection.goals]
    return project.with_selection(project.selection.replace(goals=goals))


def _plan(*phases: tuple[str, ...], overhead: float = 0.0) -> PhasePlan:
    return PhasePlan(overhead_days=overhead, phases=tuple(
        Phase(id=f"p{i}", name=f"P{i}", goals=goals) for i, goals in enumerate(phases, start=1)))


def test_services_shared_by_link_points() -> None:
    # acme-saas: no answer costs effort; services 60,000 / 900 a day = 66.67 days shared 7 : 5 : 4 by points
    efforts = goal_efforts(_project(), "acme-saas")
    days = 60_000 / 900
    assert efforts.services_days == pytest.approx({"forecast": days * 7 / 16, "service": days * 5 / 16,
                                                   "risk": days * 4 / 16})
    assert efforts.criterion_days == {}
    schedule = phase_schedule(_project(), "acme-saas", _plan(("service",), ("forecast", "risk")))
    # W = 120 claimed days split 5 : 11 by effort
    assert schedule.phase_go_live_days == pytest.approx({"p1": 120 * 5 / 16, "p2": 120.0})
    assert schedule.goal_go_live_days == pytest.approx({"service": 37.5, "forecast": 120.0, "risk": 120.0})
    assert schedule.phase_effort_days == pytest.approx({"p1": days * 5 / 16, "p2": days * 11 / 16})


def test_shared_criterion_built_once_in_the_earlier_phase() -> None:
    project = _shared(_project())
    services = 150_000 / 900  # borealis-onprem gives no services_days: cost / cost per effort day
    share = {"forecast": services * 7 / 17, "service": services * 5 / 17, "risk": services * 5 / 17}
    # SAL-001 coded C: 2 days (forecast); SRV-001 coded X: 20 days (service and risk)
    schedule = phase_schedule(project, "borealis-onprem", _plan(("risk",), ("service", "forecast")))
    assert schedule.goal_effort_days == pytest.approx(
        {"risk": 20 + share["risk"], "service": share["service"], "forecast": 2 + share["forecast"]})
    total = 22 + services
    first = 270 * (20 + share["risk"]) / total
    assert schedule.phase_go_live_days == pytest.approx({"p1": first, "p2": 270.0})
    other_way = phase_schedule(project, "borealis-onprem", _plan(("service",), ("risk", "forecast")))
    assert other_way.goal_effort_days["service"] == pytest.approx(20 + share["service"])
    assert other_way.goal_effort_days["risk"] == pytest.approx(share["risk"])
    assert sum(other_way.goal_effort_days.values()) == pytest.approx(total)


def test_services_days_given_in_the_bid_win() -> None:
    project = _project()
    vendors = []
    for vendor in project.vendors:
        offers = [o.replace(implementation=o.implementation.replace(services_days=32.0)) for o in vendor.offers]
        vendors.append(vendor.replace(offers=offers))
    import dataclasses

    changed = dataclasses.replace(project, vendors=tuple(vendors))
    assert sum(goal_efforts(changed, "acme-saas").services_days.values()) == pytest.approx(32.0)


def test_big_bang_overhead_reference_and_readiness() -> None:
    project = _project()
    none = phase_schedule(project, "acme-saas", None)
    assert none.plan.phase_ids == ("all",) and none.phase_go_live_days == {"all": 120.0}
    assert set(none.goal_go_live_days.values()) == {120.0}
    with_overhead = phase_schedule(project, "acme-saas", _plan(("service",), ("forecast", "risk"), overhead=10))
    assert with_overhead.phase_go_live_days == pytest.approx({"p1": 37.5 + 10, "p2": 120.0 + 20})
    assert with_overhead.big_bang_go_live_days == pytest.approx(130.0)
    # the committee's reference plan wins over a shorter promise; readiness stretches every phase
    ratings = {name: FactorRating(rating=Rating.in_place, evidence="seen") for name in FACTORS}
    ratings["data_quality"] = FactorRating(rating=Rating.missing, evidence="no owner")
    assumptions = project.selection.assumptions.replace(reference_go_live_days=200)
    selection = project.selection.replace(assumptions=assumptions, readiness=Readiness(**ratings))
    stretched = phase_schedule(project.with_selection(selection), "acme-saas",
                               _plan(("service",), ("forecast", "risk")))
    multiplier = ALL_MISSING ** FACTOR_SHARES["data_quality"]
    assert stretched.readiness_multiplier == pytest.approx(multiplier)
    assert stretched.phase_go_live_days == pytest.approx({"p1": 200 * 5 / 16 * multiplier, "p2": 200 * multiplier})
    assert stretched.claimed_go_live_days == 120.0 and stretched.whole_plan_days == 200.0


def test_schedule_refuses_what_does_not_fit() -> None:
    project = _project()
    with pytest.raises(AnalysisError, match="no bid 'nobody'"):
        phase_schedule(project, "nobody", None)
    with pytest.raises(AnalysisError, match=r"in no phase \['risk'\]"):
        phase_schedule(project, "acme-saas", _plan(("service",), ("forecast",)))
    frame = phase_schedule(project, "acme-saas", _plan(("service",), ("forecast", "risk"))).frame()
    assert list(frame.index) == ["p1", "p2"] and frame.loc["p2", "goals"] == "forecast, risk"
