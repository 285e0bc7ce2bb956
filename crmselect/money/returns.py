"""Return on investment from the goals' KPIs: benefits ramping up after go-live against the TCO.

Benefits (Forrester TEI, domain_facts §3.2): every KPI of every goal is worth
``kpi.annual_benefit = |target - baseline| x value_per_unit`` a year once fully realised.  From
go-live (the vendor's ``claimed_go_live_days`` unless given as days or a date) the benefit ramps
up linearly to its full rate over ``assumptions.benefit_ramp_months``; each month gets the exact
integral of that ramp.  Costs are the offer's TCO (:mod:`crmselect.money.costs`), month by month, with the
initial period at month 0.

Figures at 6, 12 and 24 months and over the horizon, plain and risk-adjusted (benefits down by
``risk_benefits_down_pct``, costs up by ``risk_costs_up_pct``, as TEI does):

- PVs: each month's flow is discounted with its year's factor ``(1 + r)^-t`` (the TEI end-of-year
  convention), or ``(1 + r)^-(t-1)`` for cost lines paid yearly in advance (subscriptions by default),
  so the horizon row equals the yearly NPV of :mod:`crmselect.money.costs`;
- net benefit = PV benefits - PV costs;  ROI = net benefit / PV costs;
- payback: the first month in which the *undiscounted* cumulative net benefit reaches 0
  (interpolated inside the month), or None when it does not within the horizon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.model.goals import Assumptions, Selection
from crmselect.money.costs import DAYS_PER_MONTH, MONTHS_PER_YEAR, TcoResult, tco
from crmselect.money.kernels import cash_by_month, month_line_factors
from crmselect.money.labels import localised
from crmselect.money.results import shown_by_label
from crmselect.show.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from crmselect.model.project import Project
else:
    pd = lazy_module("pandas")

FloatArray = npt.NDArray[np.float64]

CHECKPOINT_MONTHS: tuple[int, ...] = (6, 12, 24)


# ---------------------------------------------------------------------------- kernels
def ramp_integral(t_months: npt.ArrayLike, go_live_months: npt.ArrayLike, ramp_months: float) -> FloatArray:
    """∫_0^t of the ramp f(s) = clip((s - go_live) / ramp, 0, 1) ds (in months of full benefit).

    Broadcasts: ``go_live_months`` of shape (n, 1) against ``t_months`` of shape (m,) gives (n, m).
    """
    t = np.asarray(t_months, dtype=float)
    live = np.maximum(t - np.asarray(go_live_months, dtype=float), 0.0)
    if ramp_months <= 0:
        return np.asarray(live, dtype=np.float64)
    rising = np.minimum(live, ramp_months)
    return np.asarray(rising**2 / (2.0 * ramp_months) + (live - rising), dtype=np.float64)


def monthly_benefits(
    annual_benefit: float, n_months: int, go_live_months: npt.ArrayLike, ramp_months: float
) -> FloatArray:
    """Benefit earned in each month 1..n (vectorised over go-lives given with shape (n_draws, 1))."""
    edges = ramp_integral(np.arange(n_months + 1, dtype=float), go_live_months, ramp_months)
    return np.diff(edges, axis=-1) * annual_benefit / MONTHS_PER_YEAR  # type: ignore[no-any-return]


def month_discount_factors(rate_pct: float, n_months: int) -> FloatArray:
    """Factor of months 1..n: ``(1 + r)^-t`` with t the year the month falls in (1..H)."""
    year = np.ceil(np.arange(1, n_months + 1) / MONTHS_PER_YEAR)
    return (1.0 + rate_pct / 100.0) ** -year  # type: ignore[no-any-return]


def payback_month(initial_net: float, monthly_net: FloatArray) -> float | None:
    """First month where cumulative net (initial + months) reaches 0, interpolated; None if never."""
    cumulative = initial_net + np.concatenate([[0.0], np.cumsum(monthly_net)])
    if cumulative[0] >= 0:
        return 0.0
    reached = np.nonzero(cumulative >= 0)[0]
    if reached.size == 0:
        return None
    m = int(reached[0])
    before, after = cumulative[m - 1], cumulative[m]
    return float(m - 1 + (-before) / (after - before))


def annual_benefit(selection: Selection) -> float:
    """The full benefit a year: every KPI of every goal at its target (a bid of full fit)."""
    return float(sum(kpi.annual_benefit for goal in selection.goals for kpi in goal.kpis))


def fit_share_kernel(scores: npt.ArrayLike, weak: float, full: float, floor_pct: float) -> FloatArray:
    """Share of a goal's benefit a bid earns at goal score ``s``: the floor up to ``weak``, all of it from
    ``full``, linear in between: ``floor + (1 - floor) x clip((s - weak) / (full - weak), 0, 1)``."""
    floor = floor_pct / 100.0
    fit = np.clip((np.asarray(scores, dtype=float) - weak) / (full - weak), 0.0, 1.0)
    return np.asarray(floor + (1.0 - floor) * fit, dtype=np.float64)


def benefits_by_fit(selection: Selection, goal_scores: Mapping[str, float] | None,
                    assumptions: Assumptions) -> tuple[tuple[str, str, float], ...]:
    """(goal id, name, benefit a year) for a bid with ``goal_scores`` (None: full benefit, not scaled by fit)."""
    out = []
    for goal in selection.goals:
        full = float(sum(k.annual_benefit for k in goal.kpis))
        if goal_scores is not None:
            full *= float(fit_share_kernel(goal_scores[goal.id], assumptions.benefit_fit_weak,
                                           assumptions.benefit_fit_full, assumptions.benefit_fit_floor_pct))
        out.append((goal.id, goal.name, full))
    return tuple(out)


def planned_go_live_days(claimed_days: float, assumptions: Assumptions, multiplier: float = 1.0) -> float:
    """The go-live a business case should count on: the vendor's claim, or the committee's reference plan
    when the vendor promises less, stretched by the buyer's readiness ``multiplier``."""
    reference = assumptions.reference_go_live_days
    days = max(claimed_days, float(reference)) if reference is not None else claimed_days
    return days * multiplier


def go_live_days_from(go_live: float | dt.date | None, claimed_days: int, assumptions: Assumptions) -> float:
    """Days from signature to go-live: claimed by default, or days, or a date (needs ``start_date``)."""
    if go_live is None:
        return float(claimed_days)
    if isinstance(go_live, dt.date):
        if assumptions.start_date is None:
            raise AnalysisError(
                "a go-live date needs the start date (as_of in selection.yaml: the signature date); "
                f"received go-live {go_live.isoformat()} and no start date"
            )
        days = float((go_live - assumptions.start_date).days)
    else:
        days = float(go_live)
    if days < 0:
        raise AnalysisError(f"go-live must not be before the start date (received {days} days)")
    return float(days)


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class RoiResult:
    """ROI, net benefit and payback of one bid at 6, 12, 24 months and the horizon."""

    bid_id: str
    label: str
    annual_benefit: float
    benefits_by_goal: tuple[tuple[str, str, float], ...]  # what this bid earns a year per goal
    go_live_days: float
    ramp_months: float
    risk_benefits_down_pct: float
    risk_costs_up_pct: float
    tco: TcoResult
    fit_scaled: bool = False  # benefits scaled by the bid's goal scores (False: the full benefit)
    claimed_go_live_days: float | None = None  # the vendor's promise, when go-live is the plan instead
    @property
    def n_months(self) -> int:
        return self.tco.horizon_years * MONTHS_PER_YEAR

    @cached_property
    def benefits(self) -> FloatArray:
        """Benefit per month 1..12H."""
        return monthly_benefits(
            self.annual_benefit, self.n_months, self.go_live_days / DAYS_PER_MONTH, self.ramp_months
        )

    @cached_property
    def costs(self) -> FloatArray:
        """Cash cost per month 1..12H (the initial period is :attr:`initial_cost`); a line paid in advance
        pays its year in the year's first month."""
        return cash_by_month(self.tco.monthly, self.tco.inputs.advance).sum(axis=0)  # type: ignore[no-any-return]

    @cached_property
    def cost_pv_by_month(self) -> FloatArray:
        """Present value of each month's costs, each line discounted by its payment timing."""
        factors = month_line_factors(self.tco.discount_rate_pct, self.n_months, self.tco.inputs.advance)
        return (self.tco.monthly * factors).sum(axis=0)  # type: ignore[no-any-return]

    @property
    def initial_cost(self) -> float:
        return float(self.tco.initial.sum())

    def _factors(self, risk: bool) -> tuple[float, float]:
        if not risk:
            return 1.0, 1.0
        return 1.0 - self.risk_benefits_down_pct / 100.0, 1.0 + self.risk_costs_up_pct / 100.0

    def at(self, months: int, *, risk_adjusted: bool = False) -> dict[str, float]:
        """PV benefits, PV costs, net benefit and ROI over the first ``months`` months."""
        if not 0 <= months <= self.n_months:
            raise AnalysisError(f"months must be within 0..{self.n_months} (received {months})")
        b, c = self._factors(risk_adjusted)
        factors = month_discount_factors(self.tco.discount_rate_pct, months)
        benefits = b * float(self.benefits[:months] @ factors)
        costs = c * (self.initial_cost + float(self.cost_pv_by_month[:months].sum()))
        net = benefits - costs
        return {
            "benefits_pv": benefits,
            "costs_pv": costs,
            "net_benefit": net,
            "roi": net / costs if costs > 0 else float("nan"),
        }

    def payback_months(self, *, risk_adjusted: bool = False) -> float | None:
        b, c = self._factors(risk_adjusted)
        return payback_month(-c * self.initial_cost, b * self.benefits - c * self.costs)

    @property
    def checkpoints(self) -> tuple[int, ...]:
        return (*CHECKPOINT_MONTHS, self.n_months)

    def frame(self) -> pd.DataFrame:
        """Rows: 6, 12, 24 months and the horizon; plain and risk-adjusted PVs, net benefit, ROI, paid back."""
        rows = []
        plain_payback = self.payback_months()
        risk_payback = self.payback_months(risk_adjusted=True)
        for months in self.checkpoints:
            name = f"{months} months" if months in CHECKPOINT_MONTHS else f"horizon ({self.tco.horizon_years} years)"
            plain, risk = self.at(months), self.at(months, risk_adjusted=True)
            rows.append(
                {
                    "checkpoint": name,
                    "months": months,
                    **plain,
                    "paid_back": plain_payback is not None and plain_payback <= months,
                    **{f"risk_{k}": v for k, v in risk.items()},
                    "risk_paid_back": risk_payback is not None and risk_payback <= months,
                }
            )
        return pd.DataFrame(rows).set_index("checkpoint")

    def monthly(self) -> pd.DataFrame:
        """Month 0..12H: benefit, cost, and cumulative (undiscounted) net benefit, plain and risk-adjusted."""
        b, c = self._factors(True)
        benefits = np.concatenate([[0.0], self.benefits])
        costs = np.concatenate([[self.initial_cost], self.costs])
        return pd.DataFrame(
            {
                "benefit": benefits,
                "cost": costs,
                "cumulative_net": np.cumsum(benefits - costs),
                "risk_cumulative_net": np.cumsum(b * benefits - c * costs),
            },
            index=pd.RangeIndex(self.n_months + 1, name="month"),
        )

    def goals_frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.benefits_by_goal), columns=["goal", "name", "annual_benefit"]).set_index("goal")

    def summary(self) -> dict[str, float | None]:
        horizon = self.at(self.n_months)
        risk = self.at(self.n_months, risk_adjusted=True)
        return {
            "annual_benefit": self.annual_benefit,
            "go_live_days": self.go_live_days,
            "npv": horizon["net_benefit"],
            "roi": horizon["roi"],
            "risk_npv": risk["net_benefit"],
            "risk_roi": risk["roi"],
            "payback_months": self.payback_months(),
            "risk_payback_months": self.payback_months(risk_adjusted=True),
        }

    def plot(self, ax: Axes | None = None) -> Axes:
        """Cumulative net benefit by month, plain and risk-adjusted, with go-live and checkpoints marked."""
        from crmselect.show import plots

        curves = self.monthly()[["cumulative_net", "risk_cumulative_net"]]
        curves.columns = [_("net benefit"), _("risk-adjusted")]
        markers = {
            _("go-live"): self.go_live_days / DAYS_PER_MONTH,
            **{_("{months} months").format(months=m): float(m) for m in CHECKPOINT_MONTHS},
        }
        return plots.cumulative_lines(
            curves,
            markers=markers,
            xlabel=_("months after signature"),
            ylabel=_("cumulative net benefit (undiscounted)"),
            title=_("ROI: {label}").format(label=self.label),
            ax=ax,
        )

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        formats = {
            k: "money"
            for k in ("benefits_pv", "costs_pv", "net_benefit", "risk_benefits_pv", "risk_costs_pv", "risk_net_benefit")
        }
        formats.update({"roi": "percent", "risk_roi": "percent", "months": "integer"})

        def fmt(value: float | None) -> str:
            return _("not within the horizon") if value is None else _("{months} months").format(
                months=f"{value:.1f}")

        notes = [
            _("Full benefit {benefit} a year, ramping over {ramp} months after go-live at {days} days.").format(
                benefit=f"{self.annual_benefit:,.0f}", ramp=f"{self.ramp_months:g}", days=f"{self.go_live_days:g}"),
            _("Payback {payback}; risk-adjusted {risk_payback} (benefits -{down} %, costs +{up} %).").format(
                payback=fmt(self.payback_months()), risk_payback=fmt(self.payback_months(risk_adjusted=True)),
                down=f"{self.risk_benefits_down_pct:g}", up=f"{self.risk_costs_up_pct:g}"),
        ]
        caption = _("ROI: {label}").format(label=self.label)
        shown, shown_formats = localised(self.frame(), formats, cells=("paid_back", "risk_paid_back"))
        return tables.to_html(shown, caption=caption, formats=shown_formats, notes=notes)


@dataclass(frozen=True, eq=False)
class RoiComparison:
    results: tuple[RoiResult, ...]

    def __getitem__(self, bid_id: str) -> RoiResult:
        for result in self.results:
            if result.bid_id == bid_id:
                return result
        raise KeyError(f"no bid {bid_id!r}; bids are {[r.bid_id for r in self.results]}")

    def frame(self) -> pd.DataFrame:
        """One row per bid: horizon NPV and ROI (plain and risk-adjusted), ROI at 6/12/24 months, payback."""
        rows = []
        for r in self.results:
            row: dict[str, object] = {"bid": r.bid_id, "label": r.label, **r.summary()}
            for months in CHECKPOINT_MONTHS:
                row[f"roi_{months}m"] = r.at(months)["roi"]
            rows.append(row)
        return pd.DataFrame(rows).set_index("bid")

    def plot(self, ax: Axes | None = None, *, risk_adjusted: bool = True) -> Axes:
        from crmselect.show import plots

        column = "risk_cumulative_net" if risk_adjusted else "cumulative_net"
        curves = pd.DataFrame({r.label: r.monthly()[column] for r in self.results})
        return plots.cumulative_lines(
            curves,
            markers={_("{months} months").format(months=m): float(m) for m in CHECKPOINT_MONTHS},
            xlabel=_("months after signature"),
            ylabel=_("cumulative net benefit"),
            ax=ax,
            title=_("risk-adjusted net benefit") if risk_adjusted else _("net benefit"),
        )

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        formats = {
            "annual_benefit": "money",
            "npv": "money",
            "risk_npv": "money",
            "go_live_days": "integer",
            "roi": "percent",
            "risk_roi": "percent",
            "payback_months": "number",
            "risk_payback_months": "number",
            **{f"roi_{m}m": "percent" for m in CHECKPOINT_MONTHS},
        }
        shown, shown_formats = localised(shown_by_label(self.frame()), formats)
        return tables.to_html(shown, caption=_("ROI by bid"), formats=shown_formats)


# ---------------------------------------------------------------------------- wrappers
def roi(
    project: Project,
    bid_id: str,
    *,
    assumptions: Assumptions | None = None,
    go_live: float | dt.date | None = None,
    goal_scores: Mapping[str, float] | None = None,
) -> RoiResult:
    """ROI of one bid: the goals' KPI benefits, earned by fit, against the bid's TCO.

    ``go_live``: None (the plan a business case counts on: the vendor's claim, or the committee's
    reference plan when the vendor promises less, stretched by the buyer's readiness), a number of
    days after signature, or a date (then ``assumptions.start_date`` must be set).  Costs that start
    at go-live move with it.  ``goal_scores`` ({goal id: 0..1}, the bid's scorecard row) scale each
    goal's benefit by the bid's fit (:func:`fit_share_kernel`); None counts the full benefit for
    every bid, and the result says so (``fit_scaled``).
    """
    from crmselect.money.readiness import readiness_effect

    assumptions = assumptions or project.selection.assumptions
    try:
        bid = project.bid(bid_id)
    except KeyError:
        raise AnalysisError(f"no bid {bid_id!r}; bids are {[b.id for b in project.bids]}") from None
    claimed = bid.offer.implementation.claimed_go_live_days
    if go_live is None:
        effect = readiness_effect(project.selection.readiness)
        days = planned_go_live_days(float(claimed), assumptions, 1.0 if effect is None else effect.multiplier)
    else:
        days = go_live_days_from(go_live, claimed, assumptions)
    costs = tco(project, bid_id, assumptions=assumptions, go_live_days=days)
    by_goal = benefits_by_fit(project.selection, goal_scores, assumptions)
    return RoiResult(
        bid_id=bid.id,
        label=bid.label,
        annual_benefit=float(sum(b for _, _, b in by_goal)),
        benefits_by_goal=by_goal,
        go_live_days=days,
        ramp_months=float(assumptions.benefit_ramp_months),
        risk_benefits_down_pct=assumptions.risk_benefits_down_pct,
        risk_costs_up_pct=assumptions.risk_costs_up_pct,
        tco=costs,
        fit_scaled=goal_scores is not None,
        claimed_go_live_days=float(claimed),
    )


def compare_roi(
    project: Project, bid_ids: Iterable[str] | None = None, *, assumptions: Assumptions | None = None,
    goal_scores: Mapping[str, Mapping[str, float]] | None = None,
) -> RoiComparison:
    """ROI of every bid (or of ``bid_ids``) from the plan a business case counts on (see :func:`roi`);
    ``goal_scores`` ({bid id: {goal id: score}}) scales each bid's benefits by its fit."""
    ids = [b.id for b in project.bids] if bid_ids is None else list(bid_ids)
    return RoiComparison(tuple(roi(project, bid_id, assumptions=assumptions,
                                   goal_scores=None if goal_scores is None else goal_scores[bid_id])
                               for bid_id in ids))


