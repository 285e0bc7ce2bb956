"""The business case tracked: benefits earned against the forecast, realised ROI against its band, go-live kept.

Earned (what the KPIs' actual values show):

- a KPI's **earned share** at a checkpoint is the part of the way from baseline to target its actual
  value has come: ``clip((actual - baseline) / (target - baseline), 0, 1)``; moving away from the target
  earns 0 and passing it counts as reaching it, so a KPI never earns more than its full benefit;
- its **earned rate** (a year) is that share x ``|target - baseline| x value_per_unit``;
- **earned to date** integrates the rate over time: 0 at the actual go-live of the KPI's goal (its phase's, or
  the roll-out's), linear between measured checkpoints (the trapezoid rule), and flat after the last
  measurement; a KPI not measured yet has earned nothing.

Expected (the forecast the committee approved): each goal's benefit by the bought bid's fit
(:func:`crmselect.money.returns.benefits_by_fit`), shared among the goal's KPIs in proportion to their full
benefit, ramping linearly over ``benefit_ramp_months`` from the goal's **planned** go-live (the phase plan's,
or the whole roll-out's); expected to date is the exact integral of that ramp
(:func:`crmselect.money.returns.ramp_integral`).  Months count from the signature at 365/12 days a month.

Realised ROI at a checkpoint: ``(earned to date - cost to date) / cost to date``, undiscounted (as payback
is), with cost to date the recorded ``cost_to_date`` or else the planned TCO cash from signature to that
day (the source is said).  Its forecast band is the P10/P50/P90 of the same quantity at the same month over
the implementation-risk draws (:class:`crmselect.money.risk.RiskParameters`, one duration ratio per draw
shared by every goal, the buyer's readiness applied, services billed pro rata to the duration, the scope
lines x the cost ratio, the lines that start at go-live starting at the first planned go-live), as
:func:`crmselect.money.risk.simulate_risk` draws them.  Everything that comes from prices stays sealed until
the reveal; surfaces ask :func:`realised_roi` only when prices may be shown.

Kernels take numbers; :func:`track` and :func:`realised_roi` validate and gather them from the selection.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from crmselect.errors import AnalysisError
from crmselect.model.actuals import Actuals
from crmselect.model.project import Bid, Project
from crmselect.money.costs import DAYS_PER_MONTH, IMPLEMENTATION_LINES, LINES, MONTHS_PER_YEAR, TcoResult, tco
from crmselect.money.kernels import cash_by_month, live_fraction
from crmselect.money.readiness import readiness_effect
from crmselect.money.returns import benefits_by_fit, planned_go_live_days, ramp_integral
from crmselect.money.risk import PERCENTILES, RiskParameters

FloatArray = npt.NDArray[np.float64]
WHOLE = "whole"  # the phase of every goal when the roll-out is not phased


# ---------------------------------------------------------------------------- kernels
def earned_share(baseline: npt.ArrayLike, target: npt.ArrayLike, actual: npt.ArrayLike) -> FloatArray:
    """How far from baseline toward target the actual has come, in 0..1 (0 when target equals baseline)."""
    b, t, a = (np.asarray(x, dtype=float) for x in (baseline, target, actual))
    span = t - b
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = np.where(span != 0, (a - b) / np.where(span != 0, span, 1.0), 0.0)
    return np.asarray(np.clip(share, 0.0, 1.0), dtype=np.float64)


def integral_to(times: npt.ArrayLike, rates: npt.ArrayLike, at: float) -> float:
    """∫ from ``times[0]`` to ``at`` of the line through (times, rates), flat after the last point, 0 before the
    first: the trapezoid rule on the points up to ``at`` (times in years gives rate x years)."""
    t = np.asarray(times, dtype=float)
    r = np.asarray(rates, dtype=float)
    if t.size == 0 or at <= t[0]:
        return 0.0
    inside = t < at
    tt, rr = t[inside], r[inside]
    end_rate = float(np.interp(at, t, r)) if at <= t[-1] else float(r[-1])
    tt, rr = np.append(tt, at), np.append(rr, end_rate)
    return float(np.sum((rr[1:] + rr[:-1]) / 2.0 * np.diff(tt)))


def cumulative_at(initial: npt.ArrayLike, monthly: npt.ArrayLike, months: float) -> FloatArray:
    """``initial`` plus the flows of months 1..n up to ``months`` (the last month pro rata), over the last axis."""
    flows = np.asarray(monthly, dtype=float)
    whole = int(min(math.floor(months), flows.shape[-1]))
    total = np.asarray(initial, dtype=float) + flows[..., :whole].sum(axis=-1)
    if whole < flows.shape[-1]:
        total = total + (months - whole) * flows[..., whole]
    return np.asarray(total, dtype=np.float64)


def to_date_by_draw(result: TcoResult, goal_benefits: npt.ArrayLike, goal_go_live_months: npt.ArrayLike,
                    ramp_months: float, duration_ratio: npt.ArrayLike, cost_ratio: npt.ArrayLike, at_months: float,
                    delay_cost_share: float = 1.0) -> tuple[FloatArray, FloatArray]:
    """``(benefits to date, cost to date)`` per draw, undiscounted, at ``at_months`` after signature.

    ``result`` is the TCO schedule at the first goal's go-live at ratio 1; each goal's go-live (months at ratio
    1) and the go-live of the costs that start at go-live move with the draw's ``duration_ratio``; services are
    billed pro rata to the duration and the scope lines scale with ``cost_ratio`` (:mod:`crmselect.money.risk`).
    """
    ratio = np.asarray(duration_ratio, dtype=float)
    costs = np.asarray(cost_ratio, dtype=float)
    benefits = np.asarray(goal_benefits, dtype=float)
    live_months = np.asarray(goal_go_live_months, dtype=float)
    earned = ramp_integral(at_months, live_months[None, :] * ratio[:, None], ramp_months)  # (draws, goals)
    benefit_to_date = earned @ benefits / MONTHS_PER_YEAR
    inputs = result.inputs
    n_months = result.monthly_rate.shape[1]
    live_lines = result.from_go_live
    fixed = cash_by_month(result.monthly_rate * ~live_lines[:, None], inputs.advance).sum(axis=0)
    live = live_fraction(n_months, inputs.go_live_days * ratio / DAYS_PER_MONTH)  # (draws, months)
    live_cash = live * result.monthly_rate[live_lines & ~inputs.advance].sum(axis=0)
    advance_rate = result.monthly_rate[live_lines & inputs.advance].sum(axis=0)
    if np.any(advance_rate != 0):  # a year's live share of an advance line is paid in the year's first month
        years = (live * advance_rate).reshape(live.shape[0], -1, MONTHS_PER_YEAR).sum(axis=-1)
        live_cash[:, ::MONTHS_PER_YEAR] += years
    index = {name: i for i, name in enumerate(LINES)}
    services = result.initial[index["implementation services"]]
    scope = sum(result.initial[index[name]] for name in IMPLEMENTATION_LINES)
    initial = (result.initial.sum() - services - scope + services * (1.0 + delay_cost_share * (ratio - 1.0))
               + scope * costs)
    cost_to_date = cumulative_at(initial, fixed[None, :] + live_cash, at_months)
    return np.asarray(benefit_to_date, dtype=np.float64), cost_to_date


# ---------------------------------------------------------------------------- results
@dataclass(frozen=True)
class KpiRow:
    """One KPI at one checkpoint: actual, earned and expected (rates a year; to date since signature)."""

    checkpoint: int
    date: dt.date
    months_since_signature: float
    goal: str
    goal_name: str
    phase: str
    kpi: str
    unit: str
    baseline: float
    target: float
    actual: float | None  # None: not measured at this checkpoint
    earned_share: float
    earned_rate: float
    expected_rate: float
    earned_to_date: float
    expected_to_date: float
    full_benefit: float  # the KPI's benefit a year at its target (what earned never exceeds)


@dataclass(frozen=True)
class GoLiveRow:
    """Promised (the vendor's claim, whole roll-out only), planned and actual go-live in days after signature."""

    phase: str
    promised_days: float | None
    planned_days: float
    actual: dt.date | None
    actual_days: float | None

    @property
    def late_days(self) -> float | None:
        return None if self.actual_days is None else self.actual_days - self.planned_days


@dataclass(frozen=True)
class RoiRow:
    """Realised ROI at one checkpoint against the forecast band of the same quantity at the same month."""

    checkpoint: int
    date: dt.date
    months_since_signature: float
    earned_to_date: float
    cost_to_date: float
    cost_source: str  # "recorded" or "planned TCO"
    realised_roi: float
    planned_roi: float
    band: tuple[float, ...]  # P10, P50, P90


@dataclass(frozen=True, eq=False)
class TrackingResult:
    """Earned against expected per KPI, goal and phase at each checkpoint, and promised against actual go-live."""

    bid_id: str
    label: str
    signed: dt.date
    rows: tuple[KpiRow, ...]
    go_lives: tuple[GoLiveRow, ...]
    phased: bool
    roi: tuple[RoiRow, ...] = field(default=())

    def frame(self) -> pd.DataFrame:
        """One row per checkpoint and KPI."""
        columns = list(KpiRow.__dataclass_fields__)
        return pd.DataFrame([[getattr(r, c) for c in columns] for r in self.rows], columns=columns)

    def _grouped(self, by: str) -> pd.DataFrame:
        frame = self.frame()
        sums = ["earned_rate", "expected_rate", "earned_to_date", "expected_to_date", "full_benefit"]
        if frame.empty:
            return pd.DataFrame(columns=["checkpoint", by, *sums]).set_index(["checkpoint", by])
        out = frame.groupby(["checkpoint", by], sort=False)[sums].sum()
        out["earned_vs_expected"] = np.where(out["expected_to_date"] > 0,
                                             out["earned_to_date"] / out["expected_to_date"].where(
                                                 out["expected_to_date"] > 0, 1.0), np.nan)
        return out

    def goals_frame(self) -> pd.DataFrame:
        """Per checkpoint and goal: earned and expected rates and to date, and their ratio."""
        return self._grouped("goal")

    def phases_frame(self) -> pd.DataFrame:
        """Per checkpoint and phase (one phase, ``whole``, when the roll-out is not phased)."""
        return self._grouped("phase")

    def totals(self) -> pd.DataFrame:
        """Per checkpoint: earned and expected to date over every KPI."""
        frame = self.frame()
        if frame.empty:
            return pd.DataFrame(columns=["earned_to_date", "expected_to_date"])
        return frame.groupby("checkpoint")[["earned_rate", "expected_rate", "earned_to_date",
                                            "expected_to_date"]].sum()

    def go_live_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"phase": g.phase, "promised_days": g.promised_days, "planned_days": g.planned_days,
                              "actual": g.actual, "actual_days": g.actual_days, "late_days": g.late_days}
                             for g in self.go_lives]).set_index("phase")

    def roi_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{"checkpoint": r.checkpoint, "date": r.date, "earned_to_date": r.earned_to_date,
                              "cost_to_date": r.cost_to_date, "cost_source": r.cost_source,
                              "realised_roi": r.realised_roi, "planned_roi": r.planned_roi,
                              **{f"P{q}": v for q, v in zip(PERCENTILES, r.band, strict=True)}}
                             for r in self.roi]).set_index("checkpoint") if self.roi else pd.DataFrame()

    def _repr_html_(self) -> str:
        from crmselect.show import tables
        from crmselect.show.i18n import _

        return tables.to_html(self.goals_frame().reset_index(), caption=_("Earned against expected: {label}").format(
            label=self.label), default_format="money")


# ---------------------------------------------------------------------------- wrappers
def _months(date: dt.date, signed: dt.date) -> float:
    return (date - signed).days / DAYS_PER_MONTH


def planned_goal_days(project: Project, bid_id: str) -> dict[str, float]:
    """Every goal at the whole roll-out's planned go-live (big bang): the vendor's claim, or the committee's
    reference when the vendor promises less, stretched by the buyer's readiness (days after signature)."""
    bid = _bid(project, bid_id)
    effect = readiness_effect(project.selection.readiness)
    days = planned_go_live_days(float(bid.offer.implementation.claimed_go_live_days), project.selection.assumptions,
                                1.0 if effect is None else effect.multiplier)
    return {goal.id: days for goal in project.selection.goals}


def _bid(project: Project, bid_id: str) -> Bid:
    try:
        return project.bid(bid_id)
    except KeyError:
        raise AnalysisError(f"no bid {bid_id!r}; bids are {[b.id for b in project.bids]}") from None


def track(project: Project, actuals: Actuals, signed: dt.date, *, goal_scores: Mapping[str, float] | None,
          goal_go_live_days: Mapping[str, float] | None = None,
          goal_phases: Mapping[str, str] | None = None) -> TrackingResult:
    """Earned against expected for the bid ``actuals`` names (checked by :mod:`crmselect.files.actuals`).

    ``goal_scores``: the bid's goal scores before price (its fit; None counts the full benefit);
    ``goal_go_live_days``: each goal's planned go-live, days after signature (None: big bang,
    :func:`planned_goal_days`); ``goal_phases``: each goal's phase (None: one phase, ``whole``), phases in
    roll-out order (the order their goals are given in): rows, phases and go-lives follow it.
    """
    bid = project.bid(actuals.bid)
    assumptions = project.selection.assumptions
    planned = dict(goal_go_live_days) if goal_go_live_days is not None else planned_goal_days(project, actuals.bid)
    phases = dict(goal_phases) if goal_phases is not None else {g.id: WHOLE for g in project.selection.goals}
    by_fit = {goal: benefit for goal, _, benefit in benefits_by_fit(project.selection, goal_scores, assumptions)}
    ramp = float(assumptions.benefit_ramp_months)
    rank = {phase: k for k, phase in enumerate(dict.fromkeys(phases.values()))}  # roll-out order, as given
    goals_in_order = sorted(project.selection.goals, key=lambda g: rank[phases[g.id]])
    rows: list[KpiRow] = []
    for checkpoint in actuals.checkpoints:
        at = _months(checkpoint.date, signed)
        for goal in goals_in_order:
            phase = phases[goal.id]
            started = actuals.go_live(None if goal_phases is None else phase)
            start = started.date if started is not None else actuals.first_go_live
            goal_full = float(sum(k.annual_benefit for k in goal.kpis))
            for kpi in goal.kpis:
                expected_annual = by_fit[goal.id] * kpi.annual_benefit / goal_full if goal_full > 0 else 0.0
                live_at = planned[goal.id] / DAYS_PER_MONTH
                ramped = float(np.clip((at - live_at) / ramp, 0.0, 1.0)) if ramp > 0 else float(at >= live_at)
                expected_to_date = expected_annual * float(ramp_integral(at, live_at, ramp)) / MONTHS_PER_YEAR
                measured = [(c.date, value) for c in actuals.checkpoints
                            if c.date <= checkpoint.date and (value := c.value(goal.id, kpi.name)) is not None]
                actual = checkpoint.value(goal.id, kpi.name)
                share = float(earned_share(kpi.baseline, kpi.target, actual)) if actual is not None else (
                    float(earned_share(kpi.baseline, kpi.target, measured[-1][1])) if measured else 0.0)
                earned_to_date = 0.0
                if measured and start is not None:
                    times = [0.0, *(_months(d, start) / MONTHS_PER_YEAR for d, _ in measured)]
                    rates = [0.0, *(float(earned_share(kpi.baseline, kpi.target, v)) * kpi.annual_benefit
                                    for _, v in measured)]
                    earned_to_date = integral_to(times, rates, _months(checkpoint.date, start) / MONTHS_PER_YEAR)
                rows.append(KpiRow(
                    checkpoint=checkpoint.months, date=checkpoint.date, months_since_signature=at, goal=goal.id,
                    goal_name=goal.name, phase=phase, kpi=kpi.name, unit=kpi.unit, baseline=kpi.baseline,
                    target=kpi.target, actual=actual, earned_share=share, earned_rate=share * kpi.annual_benefit,
                    expected_rate=expected_annual * ramped, earned_to_date=earned_to_date,
                    expected_to_date=expected_to_date, full_benefit=kpi.annual_benefit))
    return TrackingResult(bid_id=bid.id, label=bid.label, signed=signed, rows=tuple(rows),
                          go_lives=_go_lives(project, actuals, signed, planned, phases, goal_phases is not None),
                          phased=goal_phases is not None)


def _go_lives(project: Project, actuals: Actuals, signed: dt.date, planned: Mapping[str, float],
              phases: Mapping[str, str], phased: bool) -> tuple[GoLiveRow, ...]:
    claimed = float(project.bid(actuals.bid).offer.implementation.claimed_go_live_days)
    out = []
    order = list(dict.fromkeys(phases.values()))
    if phased:
        for phase in order:
            recorded = actuals.go_live(phase)
            days = max(planned[g] for g, p in phases.items() if p == phase)
            out.append(GoLiveRow(phase, None, days, recorded.date if recorded else None,
                                 float((recorded.date - signed).days) if recorded else None))
    done = [actuals.go_live(p if phased else None) for p in (order if phased else [WHOLE])]
    last = max((g.date for g in done if g is not None), default=None) if all(done) else None
    out.append(GoLiveRow(WHOLE, claimed, max(planned.values()), last,
                         float((last - signed).days) if last is not None else None))
    return tuple(out)


def realised_roi(project: Project, result: TrackingResult, actuals: Actuals, *,
                 goal_scores: Mapping[str, float] | None, goal_go_live_days: Mapping[str, float] | None = None,
                 n: int = 20_000, random_state: int | np.random.Generator | None = 0,
                 parameters: RiskParameters | None = None) -> TrackingResult:
    """``result`` with the realised ROI at each checkpoint and its forecast band (figures from prices: the caller
    shows them only once prices may be shown)."""
    if not 1 <= n <= 200_000:
        raise AnalysisError(f"n must be from 1 to 200,000 draws (received {n:,})")
    parameters = parameters or RiskParameters()
    assumptions = project.selection.assumptions
    planned = dict(goal_go_live_days) if goal_go_live_days is not None else planned_goal_days(project, actuals.bid)
    effect = readiness_effect(project.selection.readiness)
    stretch = 1.0 if effect is None else effect.multiplier
    goals = [g.id for g in project.selection.goals]
    by_fit = {goal: b for goal, _, b in benefits_by_fit(project.selection, goal_scores, assumptions)}
    benefits = np.array([by_fit[g] for g in goals])
    at_ratio_one = np.array([planned[g] for g in goals]) / stretch  # the plan before the readiness stretch
    schedule = tco(project, actuals.bid, go_live_days=float(at_ratio_one.min()))
    rng = np.random.default_rng(random_state)
    duration, cost = parameters.draw(n, rng)
    duration = duration * stretch
    ramp = float(assumptions.benefit_ramp_months)
    totals = result.totals()
    rows = []
    for checkpoint in actuals.checkpoints:
        at = _months(checkpoint.date, result.signed)
        live_months = at_ratio_one / DAYS_PER_MONTH
        drawn_benefit, drawn_cost = to_date_by_draw(schedule, benefits, live_months, ramp, duration, cost, at,
                                                    parameters.delay_cost_share)
        plan_benefit, plan_cost = to_date_by_draw(schedule, benefits, live_months, ramp, np.array([stretch]),
                                                  np.ones(1), at, parameters.delay_cost_share)
        recorded = checkpoint.cost_to_date
        cost_to_date = float(recorded) if recorded is not None else float(plan_cost[0])
        earned = float(totals["earned_to_date"].get(checkpoint.months, 0.0))
        band = np.percentile((drawn_benefit - drawn_cost) / drawn_cost, PERCENTILES)
        rows.append(RoiRow(checkpoint=checkpoint.months, date=checkpoint.date, months_since_signature=at,
                           earned_to_date=earned, cost_to_date=cost_to_date,
                           cost_source="recorded" if recorded is not None else "planned TCO",
                           realised_roi=(earned - cost_to_date) / cost_to_date if cost_to_date > 0 else math.nan,
                           planned_roi=float((plan_benefit[0] - plan_cost[0]) / plan_cost[0]),
                           band=tuple(float(v) for v in band)))
    return TrackingResult(bid_id=result.bid_id, label=result.label, signed=result.signed, rows=result.rows,
                          go_lives=result.go_lives, phased=result.phased, roi=tuple(rows))


__all__ = [
    "WHOLE",
    "GoLiveRow",
    "KpiRow",
    "RoiRow",
    "TrackingResult",
    "cumulative_at",
    "earned_share",
    "integral_to",
    "planned_goal_days",
    "realised_roi",
    "to_date_by_draw",
    "track",
]
