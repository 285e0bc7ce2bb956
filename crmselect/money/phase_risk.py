"""Per-phase go-live risk of a roll-out plan, and what phasing buys against a big bang.

Each phase's duration ratio (actual / planned) is drawn from the implementation-risk model's duration
:class:`crmselect.money.risk.Overrun` (:class:`crmselect.money.risk.RiskParameters`), the phases linked by a
Gaussian copula with :data:`BETWEEN_PHASE_CORRELATION`; a phase's actual duration is its planned duration
(:func:`crmselect.money.phasing.phase_schedule`: effort share of the whole plan, plus overhead, x the buyer's
readiness) times its ratio; phases run one after another.  The big bang is the same scope in one phase, drawn
from the *first phase's* normal score, so each draw compares like with like (common random numbers), and with
one phase and no overhead it is exactly :func:`crmselect.money.risk.simulate_risk` with the same seed.

Money, from the same draws (only when prices may be shown): the TCO schedule and cost model of
:mod:`crmselect.money.risk`: implementation services billed pro rata to the whole roll-out's actual duration,
the scope lines x one cost ratio per draw (correlated with the mean of the phases' scores as the risk model
correlates cost with duration), the lines that start at go-live starting at the *first* phase's go-live; each
phase's goals' benefits (by fit) ramp up from that phase's go-live.  ROI and payback P10/P50/P90, phased and big
bang.  "First value" is the go-live of the first phase whose goals earn a benefit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.model.phases import PhasePlan
from crmselect.money.costs import DAYS_PER_MONTH, MONTHS_PER_YEAR, TcoResult, live_fraction, tco
from crmselect.money.kernels import month_line_factors
from crmselect.money.phasing import PhaseSchedule, phase_schedule, whole_plan_days
from crmselect.money.returns import benefits_by_fit, month_discount_factors, monthly_benefits
from crmselect.money.risk import (
    MAX_DRAWS,
    PERCENTILES,
    RiskParameters,
    cost_cash_by_draw,
    initial_by_draw,
    payback_by_draw,
    payback_percentile,
    readonly_floats,
)
from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from crmselect.model.goals import Assumptions
    from crmselect.model.project import Project
else:
    pd = lazy_module("pandas")

FloatArray = npt.NDArray[np.float64]

#: Correlation of the phases' duration scores: a design assumption.  The phases share the vendor's team, our own
#: people and the same company, so a late first phase says something about the next (not independent, 0), yet
#: each phase is its own scope and cut-over (not lock-step, 1); halfway between.  docs/PHASES.md.
BETWEEN_PHASE_CORRELATION = 0.5


# ---------------------------------------------------------------------------- kernels
def phase_scores(normals: FloatArray, correlation: float) -> FloatArray:
    """Correlated standard-normal scores of k phases from independent ones ``normals`` (k, n): Cholesky of the
    equicorrelation matrix, so the first phase's score is ``normals[0]`` unchanged."""
    k = normals.shape[0]
    matrix = np.full((k, k), correlation) + (1.0 - correlation) * np.eye(k)
    return np.linalg.cholesky(matrix) @ normals  # type: ignore[no-any-return]


def mean_score(scores: FloatArray, correlation: float) -> FloatArray:
    """The mean of k equicorrelated scores, rescaled to a standard normal."""
    k = scores.shape[0]
    return scores.mean(axis=0) / math.sqrt((1.0 + (k - 1) * correlation) / k)  # type: ignore[no-any-return]


def go_lives(planned_durations: npt.ArrayLike, ratios: FloatArray) -> FloatArray:
    """Go-live days of each phase per draw (n, k): the phases' planned durations x their ratios, one after another."""
    return np.cumsum(np.asarray(planned_durations, dtype=float)[None, :] * ratios, axis=1)  # type: ignore[no-any-return]


def first_value_kernel(go_live_days: FloatArray, phase_benefits: npt.ArrayLike) -> FloatArray:
    """Per draw, the go-live of the first phase whose benefit is above 0 (the first phase when none is)."""
    earning = np.flatnonzero(np.asarray(phase_benefits, dtype=float) > 0)
    return go_live_days[:, int(earning[0]) if earning.size else 0]  # type: ignore[no-any-return]


def phased_money(result: TcoResult, phase_benefits: npt.ArrayLike, ramp_months: float, go_live_days: FloatArray,
                 services_ratio: FloatArray, cost_ratio: FloatArray,
                 delay_cost_share: float = 1.0) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(cost_npv, net_npv, payback_months)`` per draw for phases going live at ``go_live_days`` (n, k).

    :func:`crmselect.money.risk.simulate_npv` and :func:`crmselect.money.risk.simulate_payback` with the benefits
    of each phase from its own go-live, the go-live lines from the first phase's, and the services billed at
    ``services_ratio`` (actual whole duration / plan)."""
    inputs = result.inputs
    n_months = result.monthly_rate.shape[1]
    months = go_live_days / DAYS_PER_MONTH
    first = months[:, 0]
    benefits = np.zeros((months.shape[0], n_months))
    for k, benefit in enumerate(np.asarray(phase_benefits, dtype=float)):
        if benefit:
            benefits += monthly_benefits(float(benefit), n_months, months[:, k:k + 1], ramp_months)
    initial = initial_by_draw(result, services_ratio, cost_ratio, delay_cost_share)
    timed = result.monthly_rate * month_line_factors(inputs.discount_rate_pct, n_months, inputs.advance)
    live_lines = result.from_go_live
    live = live_fraction(n_months, first)
    cost_npv = initial + float(timed[~live_lines].sum()) + live @ timed[live_lines].sum(axis=0)
    net_npv = benefits @ month_discount_factors(inputs.discount_rate_pct, n_months) - cost_npv
    payback = payback_by_draw(-initial, benefits - cost_cash_by_draw(result, live))
    return np.asarray(cost_npv, dtype=np.float64), np.asarray(net_npv, dtype=np.float64), payback


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class PlanMoney:
    """ROI, NPV net of benefits and payback per draw, phased and big bang (price-derived: sealed until the reveal)."""

    phased_roi: FloatArray
    big_bang_roi: FloatArray
    phased_net_npv: FloatArray
    big_bang_net_npv: FloatArray
    phased_payback: FloatArray  # months; inf: not within the horizon
    big_bang_payback: FloatArray

    def __post_init__(self) -> None:
        for name in self.__dataclass_fields__:
            object.__setattr__(self, name, readonly_floats(getattr(self, name)))


ROWS = {  # quantity -> its words (marked for translation; shown with _())
    "first_value_days": N_("first value (days after signature)"),
    "all_live_days": N_("everything live (days after signature)"),
    "roi": N_("ROI over the horizon"),
    "net_npv": N_("NPV net of benefits"),
    "payback_months": N_("payback (months after signature)"),
}


@dataclass(frozen=True, eq=False)
class PlanResult:
    """A plan's per-phase go-live draws and, when prices may be shown, its money against the big bang."""

    schedule: PhaseSchedule
    goal_names: Mapping[str, str]
    phase_go_live_days: FloatArray  # (draws, phases)
    big_bang_go_live_days: FloatArray  # (draws,)
    phase_annual_benefit: tuple[float, ...]
    phase_benefit_pv: tuple[float, ...]  # mean over the draws
    benefit_by_month: FloatArray  # mean benefit earned in months 1..12H, phased
    big_bang_benefit_by_month: FloatArray
    correlation: float = BETWEEN_PHASE_CORRELATION
    money: PlanMoney | None = None  # None: prices are sealed
    seed: int | None = None
    currency: str = ""

    def __post_init__(self) -> None:
        for name in ("phase_go_live_days", "big_bang_go_live_days", "benefit_by_month", "big_bang_benefit_by_month"):
            object.__setattr__(self, name, readonly_floats(getattr(self, name)))

    @property
    def plan(self) -> PhasePlan:
        return self.schedule.plan

    @property
    def bid_id(self) -> str:
        return self.schedule.bid_id

    @property
    def label(self) -> str:
        return self.schedule.label

    @property
    def n(self) -> int:
        return int(self.big_bang_go_live_days.size)

    @property
    def prices_shown(self) -> bool:
        return self.money is not None

    @cached_property
    def first_value_days(self) -> FloatArray:
        return readonly_floats(first_value_kernel(self.phase_go_live_days, self.phase_annual_benefit))

    def go_live(self, phase_id: str, q: float) -> float:
        """Go-live days of ``phase_id`` at percentile ``q`` of the draws."""
        column = self.plan.phase_ids.index(phase_id)
        return float(np.percentile(self.phase_go_live_days[:, column], q))

    def frame(self) -> pd.DataFrame:
        """One row per phase: name, goals (names), effort, planned and P10/P50/P90 go-live (days), benefit a year,
        expected PV of the benefit over the horizon."""
        rows = []
        for k, phase in enumerate(self.plan.phases):
            draws = self.phase_go_live_days[:, k]
            rows.append({"phase": phase.id, "name": phase.name,
                         "goals": _(", ").join(self.goal_names.get(g, g) for g in phase.goals),
                         "effort_days": self.schedule.phase_effort_days[phase.id],
                         "planned_go_live_days": self.schedule.phase_go_live_days[phase.id],
                         **{f"P{q}": float(v) for q, v in zip(PERCENTILES, np.percentile(draws, PERCENTILES),
                                                              strict=True)},
                         "annual_benefit": self.phase_annual_benefit[k], "benefit_pv": self.phase_benefit_pv[k]})
        return pd.DataFrame(rows).set_index("phase")

    def comparison(self) -> pd.DataFrame:
        """Phased against big bang at P10/P50/P90: first value and everything live (days), and when prices may be
        shown ROI, NPV net of benefits and payback (months; NaN: not within the horizon at that percentile)."""
        def row(name: str, phased: FloatArray, big: FloatArray, payback: bool = False) -> dict[str, object]:
            out: dict[str, object] = {"quantity": name}
            for tag, values in (("phased", phased), ("big bang", big)):
                for q in PERCENTILES:
                    if payback:
                        months = payback_percentile(values, q)
                        out[f"{tag} P{q}"] = math.nan if months is None else months
                    else:
                        out[f"{tag} P{q}"] = float(np.percentile(values, q))
            return out

        rows = [row("first_value_days", self.first_value_days, self.big_bang_go_live_days),
                row("all_live_days", self.phase_go_live_days[:, -1], self.big_bang_go_live_days)]
        if self.money is not None:
            rows += [row("roi", self.money.phased_roi, self.money.big_bang_roi),
                     row("net_npv", self.money.phased_net_npv, self.money.big_bang_net_npv),
                     row("payback_months", self.money.phased_payback, self.money.big_bang_payback, payback=True)]
        return pd.DataFrame(rows).set_index("quantity")

    def summary(self) -> dict[str, float]:
        """P50s: first value and everything live (days), phased and big bang; with prices, ROI and payback too."""
        frame = self.comparison()
        return {f"{quantity}_{tag.replace(' ', '_')}_p{q}": float(frame.loc[quantity, f"{tag} P{q}"])
                for quantity in frame.index for tag in ("phased", "big bang") for q in PERCENTILES}

    def sentences(self) -> list[str]:
        """What phasing buys, in plain words, in the current language."""
        first = float(np.percentile(self.first_value_days, 50)) / DAYS_PER_MONTH
        big = float(np.percentile(self.big_bang_go_live_days, 50)) / DAYS_PER_MONTH
        last = float(np.percentile(self.phase_go_live_days[:, -1], 50)) / DAYS_PER_MONTH
        out = [_("First value in {first} months at P50 instead of {big} with everything at once (big bang); the "
                 "last phase is live in {last} months at P50.").format(first=f"{first:.0f}", big=f"{big:.0f}",
                                                                       last=f"{last:.0f}")]
        if self.money is not None:
            roi = float(np.percentile(self.money.phased_roi, 50))
            big_roi = float(np.percentile(self.money.big_bang_roi, 50))
            payback = payback_percentile(self.money.phased_payback, 50)
            big_payback = payback_percentile(self.money.big_bang_payback, 50)
            out.append(_("ROI at P50 {roi} phased against {big_roi} big bang; payback at P50 in {payback} against "
                         "{big_payback} months.").format(roi=f"{roi:.0%}", big_roi=f"{big_roi:.0%}",
                                                         payback=_months(payback), big_payback=_months(big_payback)))
        else:
            out.append(_("ROI, NPV and payback are sealed until prices are revealed."))
        return out

    def _shown(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        phases = self.frame().rename(columns={
            "name": _("name"), "goals": _("goals"), "effort_days": _("effort (days)"),
            "planned_go_live_days": _("planned go-live (days)"), "annual_benefit": _("benefit a year"),
            "benefit_pv": _("expected PV of the benefit")})
        phases.index.name = _("phase")
        comparison = self.comparison().rename(index=lambda key: _(ROWS[key]) if key in ROWS else key)
        comparison.columns = [c.replace("phased", _("phased")).replace("big bang", _("big bang"))
                              for c in comparison.columns]
        comparison.index.name = ""
        return phases, comparison

    def comparison_text(self) -> str:
        """The comparison as a plain-text table in the current language: days, ROI in %, NPV, payback months."""
        from crmselect.show import tables

        _phases, comparison = self._shown()
        cells = comparison.astype(object)
        for shown, key in zip(comparison.index, self.comparison().index, strict=True):
            cells.loc[shown] = [_cell(key, v) for v in comparison.loc[shown]]
        return tables.to_text(cells)

    def __str__(self) -> str:
        from crmselect.show import tables

        phases, _comparison = self._shown()
        text = [_("Roll-out plan for {label}: {count} phase(s), {draws} draws (seed {seed}), phases correlated "
                  "{correlation}").format(label=self.label, count=len(self.plan.phases), draws=f"{self.n:,}",
                                          seed=self.seed if self.seed is not None else "-",
                                          correlation=f"{self.correlation:g}"),
                tables.to_text(phases, float_format="{:,.0f}".format), "", self.comparison_text(), "",
                *self.sentences()]
        return "\n".join(text)

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        phases, comparison = self._shown()
        caption = _("Roll-out plan: {label}").format(label=self.label)
        html = tables.to_html(phases, caption=caption, default_format="integer")
        formats = {}
        for key, shown in zip(self.comparison().index, comparison.index, strict=True):
            formats[shown] = "percent" if key == "roi" else "money" if key == "net_npv" else "number"
        rows = comparison.T
        html += tables.to_html(rows, caption=_("Phased against big bang"), formats=formats, notes=self.sentences())
        return html

    def plot(self, ax: Axes | None = None) -> Axes:
        """Expected cumulative benefit by month (undiscounted), phased and big bang, with the P50 go-lives marked."""
        from crmselect.show import plots

        months = np.arange(self.benefit_by_month.size + 1)
        curves = pd.DataFrame({_("phased"): np.concatenate([[0.0], np.cumsum(self.benefit_by_month)]),
                               _("big bang"): np.concatenate([[0.0], np.cumsum(self.big_bang_benefit_by_month)])},
                              index=months)
        markers = {_("first value P50"): float(np.percentile(self.first_value_days, 50)) / DAYS_PER_MONTH,
                   _("big bang go-live P50"): float(np.percentile(self.big_bang_go_live_days, 50)) / DAYS_PER_MONTH}
        return plots.cumulative_lines(curves, markers=markers, xlabel=_("months after signature"),
                                      ylabel=_("expected benefit earned (undiscounted)"),
                                      title=_("Roll-out plan: {label}").format(label=self.label),
                                      currency=self.currency or None, ax=ax)


def _months(value: float | None) -> str:
    return _("never") if value is None else f"{value:.1f}"


def _cell(quantity: str, value: float) -> str:
    """One cell of the comparison as text: ROI in %, NPV in whole money, payback in months (or never), days."""
    if quantity == "roi":
        return f"{value:.0%}"
    if quantity == "payback_months":
        return _months(None if math.isnan(value) else value)
    return f"{value:,.0f}"


# ---------------------------------------------------------------------------- wrapper
def plan_risk(project: Project, bid_id: str, plan: PhasePlan | None, *, n: int = 20_000,
              random_state: int | np.random.Generator | None = None, parameters: RiskParameters | None = None,
              correlation: float = BETWEEN_PHASE_CORRELATION, goal_scores: Mapping[str, float] | None = None,
              prices_visible: bool = True, assumptions: Assumptions | None = None) -> PlanResult:
    """Per-phase go-live draws of ``plan`` (None: big bang) for ``bid_id``, and the big bang from the same draws.

    ``goal_scores`` ({goal id: 0..1}) scale each goal's benefit by the bid's fit (None: full benefit).  With
    ``prices_visible`` false nothing price-derived is computed (``money`` is None): the surfaces pass whether
    prices are revealed, as ``crmselect tco`` does.
    """
    if not 1 <= n <= MAX_DRAWS:
        raise AnalysisError(f"n must be from 1 to {MAX_DRAWS:,} draws (received {n:,})")
    if not 0.0 <= correlation < 1.0:
        raise AnalysisError(f"the phases' correlation must be within 0..1, 1 excluded (received {correlation})")
    parameters = parameters or RiskParameters()
    assumptions = assumptions or project.selection.assumptions
    schedule = phase_schedule(project, bid_id, plan, assumptions)
    plan = schedule.plan
    k = len(plan.phases)
    rng = np.random.default_rng(random_state)
    normals = rng.standard_normal((k + 1, n))  # rows: phase 1, the cost's own part, phases 2..k
    own_cost = normals[1]
    scores = phase_scores(np.vstack([normals[:1], normals[2:]]), correlation)
    ratios = parameters.duration.from_normal(scores).T  # (n, k)
    durations = [schedule.phase_duration_days[p] for p in plan.phase_ids]
    phased = go_lives(durations, ratios)
    big_bang = schedule.big_bang_go_live_days * ratios[:, 0]
    by_goal = {g: b for g, _name, b in benefits_by_fit(project.selection, goal_scores, assumptions)}
    benefits = tuple(float(sum(by_goal[g] for g in phase.goals)) for phase in plan.phases)
    horizon = assumptions.horizon_years * MONTHS_PER_YEAR
    ramp = float(assumptions.benefit_ramp_months)
    factors = month_discount_factors(assumptions.discount_rate_pct, horizon)
    by_phase = [monthly_benefits(b, horizon, phased[:, j:j + 1] / DAYS_PER_MONTH, ramp) for j, b in enumerate(benefits)]
    whole = monthly_benefits(sum(benefits), horizon, big_bang[:, None] / DAYS_PER_MONTH, ramp)
    money = None
    if prices_visible:
        rho = parameters.correlation
        root = math.sqrt(max(1.0 - rho * rho, 0.0))
        planned_days = whole_plan_days(project, bid_id, assumptions)
        costs = tco(project, bid_id, assumptions=assumptions, go_live_days=planned_days)
        cost_phased = parameters.cost.from_normal(rho * mean_score(scores, correlation) + root * own_cost)
        cost_big = parameters.cost.from_normal(rho * normals[0] + root * own_cost)
        share = parameters.delay_cost_share
        cost_p, net_p, pay_p = phased_money(costs, benefits, ramp, phased, phased[:, -1] / planned_days,
                                            cost_phased, share)
        cost_b, net_b, pay_b = phased_money(costs, (sum(benefits),), ramp, big_bang[:, None], big_bang / planned_days,
                                            cost_big, share)
        money = PlanMoney(phased_roi=net_p / cost_p, big_bang_roi=net_b / cost_b, phased_net_npv=net_p,
                          big_bang_net_npv=net_b, phased_payback=pay_p, big_bang_payback=pay_b)
    return PlanResult(
        schedule=schedule,
        goal_names={goal.id: goal.name for goal in project.selection.goals},
        phase_go_live_days=phased,
        big_bang_go_live_days=big_bang,
        phase_annual_benefit=benefits,
        phase_benefit_pv=tuple(float((b @ factors).mean()) for b in by_phase),
        benefit_by_month=np.sum([b.mean(axis=0) for b in by_phase], axis=0),
        big_bang_benefit_by_month=whole.mean(axis=0),
        correlation=correlation,
        money=money,
        seed=random_state if isinstance(random_state, int) else None,
        currency=project.selection.currency,
    )


__all__ = [
    "BETWEEN_PHASE_CORRELATION",
    "PlanMoney",
    "PlanResult",
    "first_value_kernel",
    "go_lives",
    "mean_score",
    "phase_scores",
    "phased_money",
    "plan_risk",
]
