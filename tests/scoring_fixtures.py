"""Small selections built straight from model objects, for the scoring tests (no YAML involved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from crmselect.model.bids import Answer, ContractTerms, ImplementationPlan, Offer, Pricing, SlaTerms, Vendor
from crmselect.model.goals import (
    Assumptions,
    Category,
    Committee,
    ComplianceCode,
    ComplianceScale,
    Criterion,
    Goal,
    GoalTheme,
    Member,
    MustHave,
    Scenario,
    Selection,
    StakeholderView,
)
from crmselect.model.project import Project

START = dt.date(2026, 1, 1)
NOWHERE = Path("/nonexistent/crmselect-test-selection")


def scale(**values: float) -> ComplianceScale:
    """The usual S C R T X F N scale (values overridable by keyword)."""
    base = {"S": 1.0, "C": 0.85, "R": 0.7, "T": 0.55, "X": 0.35, "F": 0.25, "N": 0.0}
    base.update(values)
    return ComplianceScale(
        codes=tuple(
            ComplianceCode(code=code, label=label, value=base[code], needs_date=code == "F")
            for code, label in zip(base, ("Standard", "Configuration", "Reporting tool", "Third party",
                                          "Customisation", "Future release", "Not supported"), strict=True)
        ),
        future_window_months=12,
    )


def compliance(cid: str, **kw: Any) -> Criterion:
    return Criterion(id=cid, name=f"Criterion {cid}", description="A test criterion.", answer="compliance", **kw)


def number(cid: str, function: Mapping[str, Any], direction: str = "higher_is_better", unit: str = "units",
           **kw: Any) -> Criterion:
    return Criterion(id=cid, name=f"Number {cid}", description="A test number.", answer="number", unit=unit,
                     direction=direction, value_function=dict(function), **kw)


def yes_no(cid: str, **kw: Any) -> Criterion:
    return Criterion(id=cid, name=f"Yes/no {cid}", description="A test yes/no.", answer="yes_no", **kw)


def demo(cid: str) -> Criterion:
    return Criterion(id=cid, name=f"Demo {cid}", description="A scripted demo.", answer="committee_score")


def computed(cid: str, source: str = "sla_score", **kw: Any) -> Criterion:
    return Criterion(id=cid, name=f"Computed {cid}", description="Calculated.", answer="computed",
                     computed_from=source, **kw)


def offer(oid: str, deployment: str = "saas") -> Offer:
    pricing = Pricing(subscription_per_user_month=50) if deployment == "saas" else Pricing(licence_per_user=900)
    return Offer(
        id=oid,
        deployment=deployment,
        hosting_partner="Host Ltd" if deployment == "hosted" else "",
        pricing=pricing,
        implementation=ImplementationPlan(claimed_go_live_days=120, services_cost=50_000),
        sla=SlaTerms(commitment="financially_backed", uptime_pct=99.9),
        contract=ContractTerms(),
    )


def answers_of(given: Mapping[str, Any]) -> dict[str, Answer]:
    """Answers given as codes (``"S"``), numbers, booleans, or ``Answer`` objects."""
    parsed: dict[str, Answer] = {}
    for cid, value in given.items():
        if isinstance(value, Answer):
            parsed[cid] = value
        elif isinstance(value, str):
            parsed[cid] = Answer(code=value)
        else:
            parsed[cid] = Answer(value=value)
    return parsed


def vendor(
    vid: str,
    answers: Mapping[str, Any],
    deployments: Sequence[str] = ("saas",),
    name: str = "",
    offer_answers: Mapping[str, Mapping[str, Any]] | None = None,
) -> Vendor:
    """A vendor with one offer per deployment (ids ``vid`` or ``vid-<deployment>``); offers may override answers."""
    offers = []
    for d in deployments:
        oid = vid if len(deployments) == 1 else f"{vid}-{d}"
        base = offer(oid, d)
        own = (offer_answers or {}).get(oid)
        offers.append(base.replace(answers=answers_of(own)) if own else base)
    return Vendor(id=vid, name=name or vid.title(), currency="EUR", offers=tuple(offers), answers=answers_of(answers))


def goal(gid: str, weight: float, criteria: Mapping[str, float]) -> Goal:
    return Goal(id=gid, name=f"Goal {gid}", weight=weight, criteria=dict(criteria))


def committee(
    scores: Mapping[str, Mapping[str, Mapping[str, float]]] | None = None,
    scenarios: Mapping[str, str] | None = None,
    **kw: Any,
) -> Committee:
    """Members are the keys of ``scores`` (default one member who scores nothing)."""
    scores = dict(scores or {"m1": {}})
    scenario_map = dict(scenarios or {"s0": "DEMO"})
    return Committee(
        members=tuple(Member(id=m, name=m.upper(), role="sales") for m in scores),
        scenarios=tuple(Scenario(id=s, name=f"Scenario {s}", criterion=c) for s, c in scenario_map.items()),
        scores={m: {v: dict(by_s) for v, by_s in by_v.items()} for m, by_v in scores.items()},
        **kw,
    )


def make_project(
    criteria: Iterable[Criterion],
    goals: Iterable[Goal],
    vendors: Iterable[Vendor],
    *,
    committee_: Committee | None = None,
    must_haves: Iterable[MustHave] = (),
    views: Iterable[StakeholderView] = (),
    compliance_values: Mapping[str, float] | None = None,
    root: Path = NOWHERE,
    start_date: dt.date | None = START,
) -> Project:
    criteria = tuple(criteria)
    selection = Selection(
        name="Test", company="Test Ltd", currency="EUR", assumptions=Assumptions(start_date=start_date),
        goals=tuple(goals), must_haves=tuple(must_haves), stakeholder_views=tuple(views),
        compliance_values=dict(compliance_values or {}),
    )
    return Project(
        root=root,
        categories=(Category(id="test", name="Test"),),
        criteria=criteria,
        themes=(GoalTheme(id="theme", name="Theme"),),
        scale=scale(),
        selection=selection,
        vendors=tuple(vendors),
        committee=committee_ or committee(),
    )


def hand_project(**kw: Any) -> Project:
    """The scorecard worked by hand in test_scoring.test_hand_computed_scorecard.

    Goals: g1 (60 points: A 2, B 1); g2 (40 points: B 1, C 1, D 2).
    A compliance, B number linear 0 -> 100, C yes/no, D committee demo (scenario s1).
    v1: A=S, B=50, C=yes, D scored 4, 5, 3;  v2: A=C, B=100, C=no, D scored 2, 2, 5.
    """
    criteria = [compliance("A"), number("B", {"kind": "linear", "worst": 0, "best": 100}), yes_no("C"), demo("D")]
    goals = [goal("g1", 60, {"A": 2, "B": 1}), goal("g2", 40, {"B": 1, "C": 1, "D": 2})]
    vendors = [vendor("v1", {"A": "S", "B": 50, "C": True}), vendor("v2", {"A": "C", "B": 100, "C": False})]
    scores = {"m1": {"v1": {"s1": 4}, "v2": {"s1": 2}}, "m2": {"v1": {"s1": 5}, "v2": {"s1": 2}},
              "m3": {"v1": {"s1": 3}, "v2": {"s1": 5}}}
    kw.setdefault("committee_", committee(scores, {"s1": "D"}))
    return make_project(criteria, goals, vendors, **kw)
