"""Frozen domain objects: the criteria catalogue, the compliance scale, goals, the committee.

Vendor bids live in :mod:`crmselect.model.bids`, the whole selection in :mod:`crmselect.model.project`.
Every object is an immutable pydantic model: a change makes a new object
(``goals.with_weights(...)``), and the same classes give JSON Schema for editors.

The base types (``Frozen``, ``FrozenDict``, field types, ``field_error``) live in :mod:`crmselect.model.frozen`
and the catalogue (criteria, value functions, compliance scale) in :mod:`crmselect.model.catalogue`; this
module holds goals and the committee and re-exports every public name of both.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Annotated

from pydantic import AfterValidator, Field, Strict, model_validator
from pydantic_core import PydanticCustomError

from crmselect.errors import Message
from crmselect.model.catalogue import (
    AnswerKind,
    Category,
    CategoryFile,
    ComplianceCode,
    ComplianceScale,
    ComputedFrom,
    Criterion,
    Direction,
    Effort,
    Envelope,
    GoalTheme,
    GoalThemesFile,
    LinearValue,
    PiecewiseValue,
    ThresholdValue,
    ValueFunction,
)
from crmselect.model.frozen import (
    Currency,
    FieldPath,
    Frozen,
    FrozenDict,
    Id,
    Letter,
    Money,
    Percent,
    Ref,
    Text,
    Unit,
    field_error,
)
from crmselect.model.frozen import _freeze as _freeze
from crmselect.model.frozen import _plain as _plain
from crmselect.model.readiness import Readiness
from crmselect.model.weighting import (
    Judgment,
    RankingItem,
    SwingRating,
    WeightingMethod,
    WeightingProblem,
    weighting_problems,
)


class Role(enum.StrEnum):
    sales = "sales"
    marketing = "marketing"
    service = "service"
    it = "it"
    finance = "finance"
    executive_sponsor = "executive_sponsor"
    procurement = "procurement"
    project_manager = "project_manager"


class Aggregation(enum.StrEnum):
    mean = "mean"
    median = "median"
    trimmed_mean = "trimmed_mean"

# ---------------------------------------------------------------- goals
class Kpi(Frozen):
    """A measure of a goal: today's baseline, the target, and what one unit of improvement is worth a year."""

    name: Text
    unit: str
    baseline: Annotated[float, Strict()]
    target: Annotated[float, Strict()]
    value_per_unit: Money = 0.0

    @property
    def improvement(self) -> float:
        return abs(self.target - self.baseline)

    @property
    def annual_benefit(self) -> float:
        return self.improvement * self.value_per_unit


class Goal(Frozen):
    """A business goal: it carries weight, and shares it among the criteria that serve it."""

    id: Id
    name: Text
    description: str = ""
    weight: Annotated[float, Strict(), Field(ge=0, le=1_000_000)] | None = Field(
        default=None, description="points, with weighting: points (the default); other methods derive the weight")
    kpis: tuple[Kpi, ...] = Field(default=(), max_length=3)
    criteria: Annotated[dict[Ref, Annotated[float, Strict(), Field(gt=0, le=1000)]], AfterValidator(_freeze)] = Field(
        default_factory=dict
    )


class MustHave(Frozen):
    """A knock-out rule: a vendor whose answer is below ``minimum`` is out."""

    criterion: Id
    minimum: str | float | bool
    reason: str = ""


class StakeholderView(Frozen):
    """Goal weights as one member or role sees them."""

    id: Id
    name: Text
    holder: Ref = ""
    weights: Annotated[dict[Ref, Annotated[float, Strict(), Field(ge=0, le=1_000_000)]], AfterValidator(_freeze)]


class Assumptions(Frozen):
    """The company-side numbers that TCO, ROI and risk need."""

    users: Annotated[int, Strict()] = Field(default=250, ge=1, le=1_000_000)
    user_growth_pct: Annotated[float, Strict(), Field(ge=-50, le=200)] = 0.0
    horizon_years: Annotated[int, Strict()] = Field(default=5, ge=3, le=10)
    discount_rate_pct: Annotated[float, Strict(), Field(ge=0, le=50)] = 10.0
    loaded_cost_per_fte: Money = 90_000.0
    cost_per_effort_day: Money = 900.0
    effort_days: Annotated[dict[Effort, Annotated[float, Strict(), Field(ge=0)]], AfterValidator(_freeze)] = Field(
        default_factory=lambda: FrozenDict({Effort.none: 0, Effort.low: 2, Effort.medium: 8, Effort.high: 20})
    )
    downtime_cost_per_user_hour: Money = 60.0
    users_affected_pct: Percent = 100.0
    unbacked_uptime_pct: Annotated[float, Strict(), Field(ge=90, le=100)] = Field(
        default=99.0, description="uptime assumed for a vendor-run offer whose SLA names no figure")
    self_run_uptime_pct: Annotated[float, Strict(), Field(ge=90, le=100)] | None = Field(
        default=None, description="uptime the company expects when it runs the system itself (on-premise); "
        "None = unbacked_uptime_pct")
    downtime_in_working_hours_pct: Percent = Field(
        default=100.0, description="share of downtime hours that fall in working hours and cost work "
        "(2,000 of 8,760 hours is about 23 %)")
    benefit_ramp_months: Annotated[int, Strict()] = Field(default=6, ge=0, le=36)
    reference_go_live_days: Annotated[int, Strict()] | None = Field(
        default=None, ge=1, le=2000,
        description="how long a roll-out of this scope really takes (the reference class, e.g. from the "
        "committee's own past projects); a vendor promising less is simulated from this plan, not its promise",
    )
    risk_benefits_down_pct: Percent = 20.0
    risk_costs_up_pct: Percent = 10.0
    start_date: dt.date | None = None
    benefit_fit_weak: Unit = Field(default=0.4, description="a goal score at or below which a bid earns only "
                                   "benefit_fit_floor_pct of that goal's KPI benefit")
    benefit_fit_full: Unit = Field(default=0.9, description="a goal score from which a bid earns the goal's full "
                                   "KPI benefit (linear in between)")
    benefit_fit_floor_pct: Percent = Field(default=25.0, description="the share of a goal's benefit a bid of weak "
                                           "fit still earns")

    @model_validator(mode="after")
    def _fit_in_order(self) -> Assumptions:
        if self.benefit_fit_weak >= self.benefit_fit_full:
            raise field_error(("benefit_fit_full",), Message("must be above benefit_fit_weak"),
                              Message("a goal score above {low} and at most 1", low=_plain(self.benefit_fit_weak)),
                              self.benefit_fit_full, "fit_out_of_order")
        return self


class Selection(Frozen):
    """A committee's ``goals.yaml``: the company, the goals and weights, knock-outs, stakeholder views."""

    name: Text
    company: Text
    currency: Currency
    assumptions: Assumptions = Field(default_factory=Assumptions)
    goals: tuple[Goal, ...] = Field(min_length=1)
    must_haves: tuple[MustHave, ...] = ()
    stakeholder_views: tuple[StakeholderView, ...] = ()
    readiness: Readiness | None = Field(
        default=None, description="how ready the company is to implement (the same for every bid)")
    weighting: WeightingMethod = WeightingMethod.points
    ranking: tuple[RankingItem, ...] = ()
    swing: Annotated[dict[Id, SwingRating], AfterValidator(_freeze)] = Field(default_factory=dict)
    judgments: Annotated[dict[Id, tuple[Judgment, ...]], AfterValidator(_freeze)] = Field(default_factory=dict)
    compliance_values: Annotated[dict[str, Unit], AfterValidator(_freeze)] = Field(default_factory=dict)

    @property
    def goal_ids(self) -> tuple[str, ...]:
        return tuple(goal.id for goal in self.goals)

    def goal(self, goal_id: str) -> Goal:
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        raise KeyError(goal_id)

    def weighting_problems(self) -> list[WeightingProblem]:
        """Everything wrong with the weighting method's inputs (empty when the weights can be derived)."""
        return weighting_problems(self.weighting, self.goal_ids, [g.weight for g in self.goals], self.ranking,
                                  self.swing, self.judgments)

    def with_weights(self, weights: Mapping[str, float]) -> Selection:
        """A new selection weighted by points: ``weights`` (goal id -> weight).

        Goals not named keep their points; a selection weighted another way (rank order, swing,
        AHP) becomes a points selection, so ``weights`` must then name every goal.
        """
        unknown = sorted(set(weights) - set(self.goal_ids))
        if unknown:
            raise ValueError(f"unknown goals {unknown}; allowed {list(self.goal_ids)}")
        missing = sorted(set(self.goal_ids) - set(weights))
        if missing and self.weighting is not WeightingMethod.points:
            raise ValueError(f"this selection is weighted by {self.weighting.value}: name every goal's points "
                             f"(missing {missing})")
        goals = [g.replace(weight=float(weights[g.id])) if g.id in weights else g for g in self.goals]
        return self.replace(goals=goals, weighting=WeightingMethod.points, ranking=(), swing={}, judgments={})


# ---------------------------------------------------------------- committee
PublicKey = Annotated[str, Field(pattern=r"^ed25519:[A-Za-z0-9+/]{43}=$",
                                 description="the member's Ed25519 public key, written by `crmselect keys new`")]


class Member(Frozen):
    id: Id
    name: Text
    role: Role
    public_key: PublicKey | None = None


class Anchor(Frozen):
    """An envelope event of the decision log (lock, re-lock, reveal, adoption, a new key), kept in the committee
    file too, so a log that was deleted, cut or rewritten after it is noticed."""

    seq: Annotated[int, Strict()] = Field(ge=1)
    kind: str
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    member: Text  # a member id; free text in logs written before members were ids


class Scenario(Frozen):
    """A scripted demo scenario; its scores become the value of a committee-score criterion."""

    id: Id
    name: Text
    criterion: Id
    script: str = ""


class ConsensusOverride(Frozen):
    """The committee's agreed value for one vendor and scenario, replacing the aggregate."""

    vendor: Id
    scenario: Id
    value: Annotated[float, Strict(), Field(ge=0, le=5)]
    reason: Text
    by: str = ""
    date: dt.date | None = None


def _half_step(value: float) -> float:
    if value * 2 != round(value * 2):
        raise PydanticCustomError("half_step", "is not a whole or half point ({received}); scores go 0, 0.5, 1, ... 5",
                                  {"received": value, "allowed": "0 to 5 in steps of 0.5"})
    return value


Score05 = Annotated[float, Strict(), Field(ge=0, le=5), AfterValidator(_half_step)]


class Committee(Frozen):
    """Members, scenarios and the 0-5 scores: ``scores[member][vendor][scenario]``."""

    members: tuple[Member, ...]  # empty in a new selection; scoring then has no demo scores yet
    scenarios: tuple[Scenario, ...]
    scores: Annotated[
        dict[Ref, dict[Ref, dict[Ref, Score05]]], AfterValidator(_freeze)
    ] = Field(default_factory=dict)
    notes: Annotated[dict[Ref, dict[Ref, dict[Ref, str]]], AfterValidator(_freeze)] = Field(default_factory=dict)
    overrides: tuple[ConsensusOverride, ...] = ()
    anchors: tuple[Anchor, ...] = ()  # written by crmselect, never by hand
    aggregation: Aggregation = Aggregation.mean
    trim_pct: Annotated[float, Strict(), Field(ge=0, lt=50)] = 20.0
    disagreement_pct: Annotated[float, Strict(), Field(gt=0, le=100)] = 30.0

    @property
    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.members)

    @property
    def scenario_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.scenarios)


__all__ = [
    "Aggregation",
    "Anchor",
    "AnswerKind",
    "Assumptions",
    "Category",
    "CategoryFile",
    "Committee",
    "ComplianceCode",
    "ComplianceScale",
    "ComputedFrom",
    "ConsensusOverride",
    "Criterion",
    "Currency",
    "Direction",
    "Effort",
    "Envelope",
    "FieldPath",
    "Frozen",
    "FrozenDict",
    "Goal",
    "GoalTheme",
    "GoalThemesFile",
    "Id",
    "Kpi",
    "Letter",
    "LinearValue",
    "Member",
    "Money",
    "MustHave",
    "Percent",
    "PiecewiseValue",
    "PublicKey",
    "Ref",
    "Role",
    "Scenario",
    "Score05",
    "Selection",
    "StakeholderView",
    "Text",
    "ThresholdValue",
    "Unit",
    "ValueFunction",
    "field_error",
]
