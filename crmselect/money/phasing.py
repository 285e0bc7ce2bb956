"""A roll-out in phases: each goal's effort for a bid, and the planned go-live of each phase.

The model (docs/PHASES.md gives the sources and the reasoning):

- **A goal's effort** for a bid: the effort days of the bid's answers to the criteria serving the goal
  (:func:`crmselect.money.costs.effort_answers`, the TCO's extra-effort line: the answer's own
  ``effort_days``, else ``assumptions.effort_days`` of its compliance code's effort) plus a share of the
  bid's implementation services days (``implementation.services_days``, else ``services_cost /
  assumptions.cost_per_effort_day``) in proportion to the goal's criteria link points.  A criterion serving
  two goals is built once, in the earlier phase (within one phase, for the goal listed first).
- **Planned duration**: the whole roll-out's planned go-live W (the vendor's claim, or the committee's
  reference plan when the vendor promises less: :func:`crmselect.money.returns.planned_go_live_days`) is
  split among the phases in proportion to their effort (by their number of goals when the bid needs no
  effort days at all), plus ``overhead_days`` per phase for its own test, cut-over and training; the phases
  run one after another, and every duration is stretched by the buyer's readiness multiplier
  (:func:`crmselect.money.readiness.readiness_effect`), as :func:`crmselect.money.risk.simulate_risk` does.
  A big bang is one phase: W + ``overhead_days``, stretched.

:func:`phase_schedule` gives the planned schedule (no risk draws).  The proposal (the best order of goals in
phases under an effort cap) and the per-phase go-live risk live in :mod:`crmselect.money.phase_risk`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.model.phases import Phase, PhasePlan
from crmselect.money.costs import DAYS_PER_MONTH, MONTHS_PER_YEAR, effort_answers
from crmselect.money.readiness import readiness_effect
from crmselect.money.returns import benefits_by_fit, month_discount_factors, monthly_benefits, planned_go_live_days
from crmselect.show.i18n import _

if TYPE_CHECKING:
    import pandas as pd

    from crmselect.model.goals import Assumptions
    from crmselect.model.project import Project
else:
    pd = lazy_module("pandas")

FloatArray = npt.NDArray[np.float64]


# ---------------------------------------------------------------------------- effort
@dataclass(frozen=True)
class GoalEfforts:
    """What each goal needs of one bid: criteria effort days (each criterion once) and a services share."""

    goal_ids: tuple[str, ...]
    criterion_days: Mapping[str, float]  # criterion id -> effort days of the bid's answer (only those > 0)
    goal_criteria: Mapping[str, frozenset[str]]  # goal id -> the criteria with effort days that serve it
    services_days: Mapping[str, float]  # goal id -> its share of the implementation services days

    @property
    def total_days(self) -> float:
        return float(sum(self.criterion_days.values()) + sum(self.services_days.values()))

    def alone(self, goal_id: str) -> float:
        """The effort of ``goal_id`` delivered first: all its criteria and its services share."""
        return self.of((goal_id,))

    def of(self, goal_ids: tuple[str, ...] | frozenset[str] | set[str]) -> float:
        """The effort of delivering ``goal_ids`` together (a criterion serving several of them counted once)."""
        criteria: set[str] = set()
        for goal in goal_ids:
            criteria |= self.goal_criteria[goal]
        return float(sum(self.criterion_days[c] for c in criteria) + sum(self.services_days[g] for g in goal_ids))

    def by_goal(self, order: tuple[str, ...]) -> dict[str, float]:
        """Each goal's effort when delivered in ``order``: a shared criterion is counted for the first goal."""
        done: set[str] = set()
        out = {}
        for goal in order:
            new = self.goal_criteria[goal] - done
            done |= new
            out[goal] = float(sum(self.criterion_days[c] for c in new) + self.services_days[goal])
        return out


def services_days_of(project: Project, bid_id: str, assumptions: Assumptions) -> float:
    """The bid's implementation services in days: ``services_days``, else ``services_cost / cost_per_effort_day``."""
    plan = project.bid(bid_id).offer.implementation
    if plan.services_days is not None:
        return float(plan.services_days)
    if assumptions.cost_per_effort_day <= 0:
        return 0.0
    return float(plan.services_cost / assumptions.cost_per_effort_day)


def goal_efforts(project: Project, bid_id: str, assumptions: Assumptions | None = None) -> GoalEfforts:
    """Each goal's effort for ``bid_id`` (see the module's notes)."""
    bid_or_error(project, bid_id)
    assumptions = assumptions or project.selection.assumptions
    days = {a.criterion: float(a.effort_days) for a in effort_answers(project, bid_id, assumptions)
            if a.effort_days > 0}
    goals = project.selection.goals
    points = {goal.id: float(sum(goal.criteria.values())) for goal in goals}
    total_points = sum(points.values())
    services = services_days_of(project, bid_id, assumptions)
    share = ({g: services * p / total_points for g, p in points.items()} if total_points > 0
             else {goal.id: services / len(goals) for goal in goals})
    return GoalEfforts(
        goal_ids=tuple(goal.id for goal in goals),
        criterion_days=days,
        goal_criteria={goal.id: frozenset(c for c in goal.criteria if c in days) for goal in goals},
        services_days=share,
    )


def bid_or_error(project: Project, bid_id: str) -> None:
    if bid_id not in {b.id for b in project.bids}:
        raise AnalysisError(f"no bid {bid_id!r}; bids are {[b.id for b in project.bids]}")


def readiness_multiplier(project: Project) -> float:
    effect = readiness_effect(project.selection.readiness)
    return 1.0 if effect is None else effect.multiplier


def whole_plan_days(project: Project, bid_id: str, assumptions: Assumptions | None = None) -> float:
    """W: the whole roll-out's planned go-live before readiness (claim, or the reference when it is longer)."""
    assumptions = assumptions or project.selection.assumptions
    claimed = float(project.bid(bid_id).offer.implementation.claimed_go_live_days)
    return planned_go_live_days(claimed, assumptions)


def duration_kernel(phase_weights: tuple[float, ...], whole_days: float, overhead_days: float,
                    multiplier: float) -> tuple[float, ...]:
    """Planned duration of each phase: ``(W x weight / total + overhead) x multiplier`` (equal shares when every
    weight is 0)."""
    total = sum(phase_weights)
    shares = [w / total for w in phase_weights] if total > 0 else [1.0 / len(phase_weights)] * len(phase_weights)
    return tuple((whole_days * s + overhead_days) * multiplier for s in shares)


def phase_weights(efforts: GoalEfforts, plan: PhasePlan) -> tuple[float, ...]:
    """What the whole duration is split by: each phase's effort days, or its number of goals when the bid needs no
    effort at all."""
    if efforts.total_days <= 0:
        return tuple(float(len(phase.goals)) for phase in plan.phases)
    by_goal = efforts.by_goal(plan.goal_ids)
    return tuple(float(sum(by_goal[g] for g in phase.goals)) for phase in plan.phases)


# ---------------------------------------------------------------------------- schedule
@dataclass(frozen=True)
class PhaseSchedule:
    """The planned schedule of a plan for one bid: each phase's effort and go-live (days after signature).

    Planned: no risk draws; the buyer's readiness multiplier applied.  ``big_bang_go_live_days`` is the same
    scope in one phase, for comparison.
    """

    plan: PhasePlan
    bid_id: str
    phase_go_live_days: Mapping[str, float]  # phase id -> planned go-live
    goal_go_live_days: Mapping[str, float]  # goal id -> its phase's go-live
    goal_effort_days: Mapping[str, float]
    phase_effort_days: Mapping[str, float]
    phase_duration_days: Mapping[str, float] = field(default_factory=dict)
    whole_plan_days: float = 0.0  # W, before readiness
    claimed_go_live_days: float = 0.0
    readiness_multiplier: float = 1.0
    big_bang_go_live_days: float = 0.0
    label: str = ""

    @property
    def first_go_live_days(self) -> float:
        return min(self.phase_go_live_days.values())

    @property
    def last_go_live_days(self) -> float:
        return max(self.phase_go_live_days.values())

    def frame(self) -> pd.DataFrame:
        """One row per phase: name, goals, effort days, duration and planned go-live (days after signature)."""
        rows = [{"phase": p.id, "name": p.name, "goals": ", ".join(p.goals),
                 "effort_days": self.phase_effort_days[p.id], "duration_days": self.phase_duration_days.get(p.id),
                 "go_live_days": self.phase_go_live_days[p.id]} for p in self.plan.phases]
        return pd.DataFrame(rows).set_index("phase")


def phase_schedule(project: Project, bid_id: str, plan: PhasePlan | None,
                   assumptions: Assumptions | None = None) -> PhaseSchedule:
    """The planned schedule of ``plan`` (None: big bang, every goal in one phase) for ``bid_id``."""
    bid_or_error(project, bid_id)
    assumptions = assumptions or project.selection.assumptions
    plan = plan if plan is not None else PhasePlan.big_bang(project.selection)
    unknown = sorted(set(plan.goal_ids) - set(project.selection.goal_ids))
    missing = [g for g in project.selection.goal_ids if g not in set(plan.goal_ids)]
    if unknown or missing:
        raise AnalysisError(f"the plan does not fit the selection's goals (unknown {unknown}, in no phase {missing})")
    efforts = goal_efforts(project, bid_id, assumptions)
    whole = whole_plan_days(project, bid_id, assumptions)
    multiplier = readiness_multiplier(project)
    by_goal = efforts.by_goal(plan.goal_ids)
    durations = duration_kernel(phase_weights(efforts, plan), whole, plan.overhead_days, multiplier)
    go_live: dict[str, float] = {}
    elapsed = 0.0
    for phase, duration in zip(plan.phases, durations, strict=True):
        elapsed += duration
        go_live[phase.id] = elapsed
    return PhaseSchedule(
        plan=plan,
        bid_id=bid_id,
        phase_go_live_days=go_live,
        goal_go_live_days={g: go_live[p.id] for p in plan.phases for g in p.goals},
        goal_effort_days=by_goal,
        phase_effort_days={p.id: float(sum(by_goal[g] for g in p.goals)) for p in plan.phases},
        phase_duration_days=dict(zip(plan.phase_ids, durations, strict=True)),
        whole_plan_days=whole,
        claimed_go_live_days=float(project.bid(bid_id).offer.implementation.claimed_go_live_days),
        readiness_multiplier=multiplier,
        big_bang_go_live_days=(whole + plan.overhead_days) * multiplier,
        label=project.bid(bid_id).label,
    )


# ---------------------------------------------------------------------------- proposal (exact DP)
#: The most goals a proposal handles: the programme visits every (delivered set, phase count) and every subset
#: of what is left, 3^n steps (x n with overhead), about a second at this size on one core.
MAX_PROPOSAL_GOALS = 12
MAX_PROPOSAL_GOALS_WITH_OVERHEAD = 10
#: Stratified quantiles of the duration ratio the proposal takes its expectation over.
PROPOSAL_QUANTILES = 20


@dataclass(frozen=True)
class ProposalInputs:
    """Numbers in for :func:`propose_kernel`; goals are indices 0..n-1, criteria indices 0..m-1."""

    benefits: tuple[float, ...]  # each goal's yearly benefit (by fit)
    goal_criteria: tuple[int, ...]  # each goal's criteria (with effort days) as a bit mask
    criterion_days: tuple[float, ...]
    services_days: tuple[float, ...]  # each goal's share of the services days
    whole_days: float  # W, before readiness
    overhead_days: float
    multiplier: float  # the buyer's readiness
    ratios: tuple[float, ...]  # equally likely duration ratios (one shared by every phase)
    effort_cap_days: float
    horizon_months: int
    discount_rate_pct: float
    ramp_months: float

    @property
    def n(self) -> int:
        return len(self.benefits)

    def effort(self, mask: int) -> float:
        """Effort days of delivering the goals in ``mask`` (a shared criterion once)."""
        criteria = 0
        services = 0.0
        for g in range(self.n):
            if mask >> g & 1:
                criteria |= self.goal_criteria[g]
                services += self.services_days[g]
        return services + sum(d for c, d in enumerate(self.criterion_days) if criteria >> c & 1)

    def weight(self, mask: int) -> float:
        """What the duration is split by: effort days, or the number of goals when nothing costs effort."""
        return self.effort(mask) if self.total_effort > 0 else float(bin(mask).count("1"))

    @property
    def total_effort(self) -> float:
        return self.effort((1 << self.n) - 1)


def value_of_start(inputs: ProposalInputs, planned_days: npt.ArrayLike) -> FloatArray:
    """Expected PV over the horizon of one unit of yearly benefit whose go-live is ``planned_days`` (before
    readiness and the duration ratio), ramping over ``ramp_months``: the mean over ``inputs.ratios``."""
    days = np.asarray(planned_days, dtype=float)
    factors = month_discount_factors(inputs.discount_rate_pct, inputs.horizon_months)
    ratios = np.asarray(inputs.ratios, dtype=float)
    out = np.empty(days.size)
    flat = days.reshape(-1)
    step = max(1, 2_000_000 // (ratios.size * inputs.horizon_months))  # rows per chunk: at most ~16 MB at once
    for start in range(0, flat.size, step):
        chunk = flat[start:start + step]
        months = (chunk[:, None] * ratios[None, :] * inputs.multiplier / DAYS_PER_MONTH).reshape(-1, 1)
        pv = monthly_benefits(1.0, inputs.horizon_months, months, inputs.ramp_months) @ factors
        out[start:start + step] = pv.reshape(chunk.size, ratios.size).mean(axis=1)
    return out.reshape(days.shape)


def propose_kernel(inputs: ProposalInputs) -> tuple[float, tuple[tuple[int, ...], ...]]:
    """The ordered partition of the goals into phases with the most expected discounted benefit, each phase's
    effort within the cap: (value, phases as goal indices).  An exact dynamic programme over the delivered set
    (and the number of phases so far when ``overhead_days > 0``: each phase adds its overhead).  Raises
    ``AnalysisError`` when no partition fits the cap.  No validation beyond that (see :func:`propose_plan`)."""
    n = inputs.n
    full = (1 << n) - 1
    counting = inputs.overhead_days > 0
    layers = n + 1 if counting else 1
    effort = [inputs.effort(mask) for mask in range(full + 1)]
    whole_weight = inputs.weight(full)
    weight = [inputs.weight(mask) for mask in range(full + 1)] if inputs.total_effort <= 0 else effort
    benefit = [sum(inputs.benefits[g] for g in range(n) if mask >> g & 1) for mask in range(full + 1)]
    share = np.array([w / whole_weight if whole_weight > 0 else 0.0 for w in weight])
    planned = inputs.whole_days * share[:, None] + inputs.overhead_days * np.arange(1, layers + 1)[None, :]
    start_value = value_of_start(inputs, planned).tolist()  # [mask][phases - 1]
    cap = inputs.effort_cap_days * (1 + 1e-12)
    best: dict[tuple[int, int], float] = {(full, k): 0.0 for k in range(layers)}
    choice: dict[tuple[int, int], int] = {}
    for done in sorted(range(full), key=lambda m: -bin(m).count("1")):
        rest = full & ~done
        for k in range(min(bin(done).count("1"), layers - 1) + 1 if counting else 1):
            top, pick = -math.inf, 0
            nxt = k + 1 if counting else 0
            part = rest
            while part:
                after = done | part
                if effort[after] - effort[done] <= cap:
                    tail = best.get((after, nxt), -math.inf)
                    if tail > -math.inf:
                        value = benefit[part] * start_value[after][k] + tail
                        if not pick or value > top + 1e-9 * max(1.0, abs(top)):  # ties keep the first found
                            top, pick = value, part
                part = (part - 1) & rest
            if pick:
                best[(done, k)], choice[(done, k)] = top, pick
    if (0, 0) not in best:
        raise AnalysisError("no plan fits the effort cap")
    phases = []
    done, k = 0, 0
    while done != full:
        part = choice[(done, k)]
        phases.append(tuple(g for g in range(n) if part >> g & 1))
        done, k = done | part, (k + 1 if counting else 0)
    return best[(0, 0)], tuple(phases)


def proposal_inputs(project: Project, bid_id: str, *, effort_cap_days: float, overhead_days: float = 0.0,
                    goal_scores: Mapping[str, float] | None = None, assumptions: Assumptions | None = None,
                    quantiles: int = PROPOSAL_QUANTILES) -> ProposalInputs:
    """The numbers of a proposal for ``bid_id``: goals in the selection's order (see :func:`propose_plan`)."""
    from statistics import NormalDist

    from crmselect.money.risk import RiskParameters

    assumptions = assumptions or project.selection.assumptions
    efforts = goal_efforts(project, bid_id, assumptions)
    criteria = sorted(efforts.criterion_days)
    index = {c: i for i, c in enumerate(criteria)}
    z = [NormalDist().inv_cdf((j + 0.5) / quantiles) for j in range(quantiles)]
    ratios = RiskParameters().duration.from_normal(np.array(z))
    by_fit = {goal: benefit for goal, _name, benefit in benefits_by_fit(project.selection, goal_scores, assumptions)}
    return ProposalInputs(
        benefits=tuple(by_fit[g] for g in efforts.goal_ids),
        goal_criteria=tuple(sum(1 << index[c] for c in efforts.goal_criteria[g]) for g in efforts.goal_ids),
        criterion_days=tuple(efforts.criterion_days[c] for c in criteria),
        services_days=tuple(efforts.services_days[g] for g in efforts.goal_ids),
        whole_days=whole_plan_days(project, bid_id, assumptions),
        overhead_days=float(overhead_days),
        multiplier=readiness_multiplier(project),
        ratios=tuple(float(r) for r in ratios),
        effort_cap_days=float(effort_cap_days),
        horizon_months=assumptions.horizon_years * MONTHS_PER_YEAR,
        discount_rate_pct=assumptions.discount_rate_pct,
        ramp_months=float(assumptions.benefit_ramp_months),
    )


def phase_names(count: int) -> tuple[str, ...]:
    """The names of a proposal's phases in the current language: Roll-out phase 1, 2 ... (第1期 ...)."""
    return tuple(_("Roll-out phase {number}").format(number=number) for number in range(1, count + 1))


def propose_plan(project: Project, bid_id: str, *, effort_cap_days: float, overhead_days: float = 0.0,
                 goal_scores: Mapping[str, float] | None = None, assumptions: Assumptions | None = None) -> PhasePlan:
    """The roll-out plan for ``bid_id`` with the most expected discounted benefit over the horizon, quick wins first.

    Goals are put in phases, the phases in order, so that the expected PV of the benefits (each goal's yearly
    benefit by the bid's fit, ``goal_scores``; None: full benefit) is largest, with no phase needing more than
    ``effort_cap_days`` effort days.  The expectation is over the risk model's duration ratio, one ratio shared
    by every phase, taken at :data:`PROPOSAL_QUANTILES` stratified quantiles (deterministic).  Exact: a dynamic
    programme over the goals delivered so far.  Refused beyond :data:`MAX_PROPOSAL_GOALS` goals
    (:data:`MAX_PROPOSAL_GOALS_WITH_OVERHEAD` with overhead days), and when a goal alone needs more than the cap
    even with every shared criterion built before it.
    """
    bid_or_error(project, bid_id)
    problems = []
    if not (math.isfinite(effort_cap_days) and effort_cap_days > 0):
        problems.append(_("the effort cap must be a number of days above 0 (received {cap})").format(
            cap=f"{effort_cap_days:g}"))
    if not (math.isfinite(overhead_days) and overhead_days >= 0):
        problems.append(_("the overhead must be 0 or more days (received {days})").format(days=f"{overhead_days:g}"))
    goals = project.selection.goal_ids
    most = MAX_PROPOSAL_GOALS_WITH_OVERHEAD if overhead_days > 0 else MAX_PROPOSAL_GOALS
    if len(goals) > most:
        problems.append((_("a proposal handles at most {most} goals with overhead days (received {count}); write "
                           "phases.yaml by hand, or group goals") if overhead_days > 0 else
                         _("a proposal handles at most {most} goals without overhead days (received {count}); write "
                           "phases.yaml by hand, or group goals")).format(most=most, count=len(goals)))
    if problems:
        raise AnalysisError("; ".join(problems))
    inputs = proposal_inputs(project, bid_id, effort_cap_days=effort_cap_days, overhead_days=overhead_days,
                             goal_scores=goal_scores, assumptions=assumptions)
    efforts = goal_efforts(project, bid_id, assumptions)
    try:
        _value, phases = propose_kernel(inputs)
    except AnalysisError:
        alone = sorted(((g, efforts.alone(g)) for g in goals if efforts.alone(g) > effort_cap_days),
                       key=lambda item: -item[1])
        needs = _(", ").join(_("{goal} {days}").format(goal=project.selection.goal(g).name, days=f"{days:,.1f}")
                             for g, days in alone)
        least = max([d for _g, d in alone], default=effort_cap_days)
        raise AnalysisError(_("an effort cap of {cap} days is below what a goal needs in one phase (its criteria and "
                              "its share of the services, in effort days: {needs}); with a cap of at least {least} "
                              "every goal fits").format(cap=f"{effort_cap_days:g}", needs=needs,
                                                        least=f"{least:,.1f}")) from None
    names = phase_names(len(phases))
    return PhasePlan(
        bid=bid_id, effort_cap_days=float(effort_cap_days), overhead_days=float(overhead_days),
        phases=tuple(Phase(id=f"phase_{i}", name=names[i - 1], goals=tuple(goals[g] for g in members))
                     for i, members in enumerate(phases, start=1)),
    )


__all__ = [
    "MAX_PROPOSAL_GOALS",
    "MAX_PROPOSAL_GOALS_WITH_OVERHEAD",
    "PROPOSAL_QUANTILES",
    "GoalEfforts",
    "PhaseSchedule",
    "ProposalInputs",
    "bid_or_error",
    "duration_kernel",
    "goal_efforts",
    "phase_names",
    "phase_schedule",
    "phase_weights",
    "proposal_inputs",
    "propose_kernel",
    "propose_plan",
    "readiness_multiplier",
    "services_days_of",
    "value_of_start",
    "whole_plan_days",
]
