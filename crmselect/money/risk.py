"""Implementation risk: a Monte Carlo of go-live delay and cost overrun with a fat right tail.

Each draw gives a **duration ratio** D (actual / planned go-live days) and a **cost-overrun
ratio** C (actual / planned one-off implementation cost), each from a lognormal body with a
Pareto tail above a threshold quantile (:class:`Overrun`), linked by a Gaussian copula
(``correlation``).  Then, per draw:

- the plan is the vendor's claimed days, or the company's ``assumptions.reference_go_live_days``
  when the vendor promises less (a "live in 60 days" pitch does not shorten the work: DOMAIN.md);
- go-live = planned days x D; benefits (:mod:`crmselect.money.returns`) start ramping then, and the costs
  that start at go-live (maintenance when so contracted, staff, consumption, downtime) move too;
- implementation services are billed pro rata to the duration: services x (1 + share x (D - 1)),
  ``share`` = ``delay_cost_share`` (1 = every extra day is billed, as under time and materials);
- data migration, integration, training and extra effort (scope growth) are multiplied by C.

Reported: P10/P50/P90 of go-live days, of the NPV of cost and of the NPV net of benefits, of the ROI
and of the payback (months until the undiscounted cumulative net benefit reaches 0, as in
:mod:`crmselect.money.returns`, from the same draws), and the probability that go-live comes within the
vendor's claimed days.  A draw that does not pay back within the horizon has an infinite payback; a
payback percentile that falls on such draws is reported as None ("not within the horizon"), and the
share of draws that pay back is reported beside it.  Payback percentiles are empirical quantiles
(``inverted_cdf``: the smallest draw with at least q % of the draws at or below it), so a percentile is
always a payback some draw had, or none.  Vectorised over draws; the
random generator is made once from ``random_state`` (``np.random.default_rng``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from crmselect.errors import AnalysisError
from crmselect.imports import lazy_module
from crmselect.model.goals import Assumptions
from crmselect.money.costs import (
    DAYS_PER_MONTH,
    IMPLEMENTATION_LINES,
    LINES,
    MONTHS_PER_YEAR,
    TcoResult,
    cash_by_month,
    live_fraction,
    tco,
)
from crmselect.money.kernels import month_line_factors
from crmselect.money.readiness import readiness_effect
from crmselect.money.returns import benefits_by_fit, month_discount_factors, monthly_benefits
from crmselect.show.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

    from crmselect.model.project import Project
else:
    pd = lazy_module("pandas")

FloatArray = npt.NDArray[np.float64]
PERCENTILES: tuple[int, ...] = (10, 50, 90)


@dataclass(frozen=True)
class Overrun:
    """Ratio actual / plan: lognormal body (``median``, ``sigma``), Pareto tail above a quantile.

    Below the ``1 - tail_share`` quantile the ratio is ``exp(ln(median) + sigma z)``; above it,
    a Pareto tail starts at that quantile x_q with ``P(X > x | tail) = (x / x_q)^-tail_alpha``, so
    the distribution is continuous.  ``tail_share = 0`` switches the tail off (pure lognormal,
    median = ``median``).  Draws are capped at ``cap`` (a project that runs ``cap`` times its plan
    is cancelled in practice; the cap also keeps means finite when ``tail_alpha <= 1``).
    """

    median: float
    sigma: float
    tail_share: float = 0.17
    tail_alpha: float = 2.0
    cap: float = 10.0

    def __post_init__(self) -> None:
        problems = []
        if not self.median > 0:
            problems.append(f"median must be > 0 (received {self.median})")
        if not self.sigma >= 0:
            problems.append(f"sigma must be >= 0 (received {self.sigma})")
        if not 0 <= self.tail_share < 0.5:
            problems.append(f"tail_share must be within 0..0.5 (received {self.tail_share})")
        if not self.tail_alpha > 0:
            problems.append(f"tail_alpha must be > 0 (received {self.tail_alpha})")
        if not self.cap >= self.median:
            problems.append(f"cap must be >= median (received cap {self.cap}, median {self.median})")
        if problems:
            raise AnalysisError("; ".join(problems))

    @property
    def mu(self) -> float:
        return math.log(self.median)

    @property
    def threshold(self) -> float:
        """x_q, where the Pareto tail starts (inf when the tail is off)."""
        if self.tail_share == 0:
            return math.inf
        from statistics import NormalDist

        return math.exp(self.mu + self.sigma * NormalDist().inv_cdf(1.0 - self.tail_share))

    def from_normal(self, z: npt.ArrayLike) -> FloatArray:
        """The ratio for standard-normal scores ``z`` (the quantile function at Φ(z)): a pure kernel."""
        return overrun_from_normal(
            np.asarray(z, dtype=float), self.median, self.sigma, self.tail_share, self.tail_alpha, self.cap
        )

    def sample(self, n: int, random_state: int | np.random.Generator | None = None) -> FloatArray:
        return self.from_normal(np.random.default_rng(random_state).standard_normal(n))


#: The most Monte Carlo draws per bid: a few seconds and well under 1 GiB each.
MAX_DRAWS = 200_000

def overrun_from_normal(
    z: FloatArray, median: float, sigma: float, tail_share: float, tail_alpha: float, cap: float
) -> FloatArray:
    """Body-plus-tail ratio for standard-normal scores (kernel of :class:`Overrun`, no validation)."""
    from scipy.special import ndtr

    body = np.exp(math.log(median) + sigma * z)
    if tail_share > 0:
        from statistics import NormalDist

        z_q = NormalDist().inv_cdf(1.0 - tail_share)
        x_q = math.exp(math.log(median) + sigma * z_q)
        survival = np.maximum(ndtr(-z), 1e-300)  # 1 - Φ(z), precise in the far tail
        with np.errstate(over="ignore"):
            tail = x_q * (tail_share / survival) ** (1.0 / tail_alpha)
        body = np.where(z > z_q, tail, body)
    return np.minimum(body, cap)


@dataclass(frozen=True)
class RiskParameters:
    """Defaults for a mid-sized CRM roll-out, from domain_facts §5 (sources as cited there).

    Duration ratio (actual / claimed go-live): median 1.25, sigma 0.45, so P(late) =
    Φ(ln 1.25 / 0.45) ≈ 69 %, inside CIO Insight's 50 % (small firms) - 72 % (large firms) of CRM
    projects behind schedule [P3] and Panorama's 61-72 % for ERP [P13, P14].  A 17 % Pareto tail
    (the McKinsey/Oxford black-swan share [P5]; HBR: one project in six [P7]) with alpha 2 (the
    power-law exponent Budzier & Flyvbjerg found [P6]) gives P(D > 2) ≈ 16 % and P(D > 3) ≈ 7 %:
    between CIO Insight and Standish 1994, whose challenged/cancelled projects took 222 % of the
    planned time (time-overrun buckets: >100 % for 48 % of them) [P10].

    Cost-overrun ratio: median 1.10 (CIO Insight: half the CRM projects cost ≥ 10 % more than
    planned [P3]), sigma 0.35, a 17 % tail with alpha 1.5: between Budzier & Flyvbjerg's
    exponent 2 and Flyvbjerg et al. 2025's alpha ≤ 1 for IT cost [P9]; P(C > 3) ≈ 6 % against
    McKinsey's 17 % of *large* (>$15M) projects above 200 % [P5].  Both capped at 10x.

    ``correlation`` 0.6 between the two (a design assumption: late projects also overrun -
    Standish's challenged projects show both; set 0 for independence, 1 for lock-step).
    ``delay_cost_share`` 1.0: services billed pro rata to the actual duration.
    """

    duration: Overrun = field(default_factory=lambda: Overrun(median=1.25, sigma=0.45, tail_share=0.17, tail_alpha=2.0))
    cost: Overrun = field(default_factory=lambda: Overrun(median=1.10, sigma=0.35, tail_share=0.17, tail_alpha=1.5))
    correlation: float = 0.6
    delay_cost_share: float = 1.0

    def __post_init__(self) -> None:
        if not -1 <= self.correlation <= 1:
            raise AnalysisError(f"correlation must be within -1..1 (received {self.correlation})")
        if not 0 <= self.delay_cost_share <= 1:
            raise AnalysisError(f"delay_cost_share must be within 0..1 (received {self.delay_cost_share})")

    def draw(self, n: int, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
        """``(duration_ratio, cost_ratio)``: n correlated draws (Gaussian copula)."""
        z = rng.standard_normal((2, n))
        rho = self.correlation
        z_cost = rho * z[0] + math.sqrt(max(1.0 - rho * rho, 0.0)) * z[1]
        return self.duration.from_normal(z[0]), self.cost.from_normal(z_cost)


# ---------------------------------------------------------------------------- kernel
def simulate_npv(
    result: TcoResult,
    annual_benefit_value: float,
    ramp_months: float,
    duration_ratio: FloatArray,
    cost_ratio: FloatArray,
    delay_cost_share: float = 1.0,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(go_live_days, cost_npv, net_npv)`` per draw, from one TCO schedule (claimed go-live)."""
    inputs = result.inputs
    n_months = result.monthly_rate.shape[1]
    factors = month_discount_factors(inputs.discount_rate_pct, n_months)
    go_live_days = inputs.go_live_days * duration_ratio
    go_live_months = go_live_days / DAYS_PER_MONTH

    timed = result.monthly_rate * month_line_factors(inputs.discount_rate_pct, n_months, inputs.advance)
    fixed = float(timed[~result.from_go_live].sum())
    live_rate = timed[result.from_go_live].sum(axis=0)  # (months,): each line discounted by its payment timing
    live_pv = live_fraction(n_months, go_live_months) @ live_rate  # (draws,)

    cost_npv = initial_by_draw(result, duration_ratio, cost_ratio, delay_cost_share) + fixed + live_pv

    benefits = monthly_benefits(annual_benefit_value, n_months, go_live_months[:, None], ramp_months) @ factors
    return go_live_days, cost_npv, benefits - cost_npv


def initial_by_draw(result: TcoResult, duration_ratio: FloatArray, cost_ratio: FloatArray,
                     delay_cost_share: float) -> FloatArray:
    """The initial period's cost per draw: services billed pro rata to the duration, the scope lines x C."""
    index = {name: i for i, name in enumerate(LINES)}
    services = result.initial[index["implementation services"]]
    scope = sum(result.initial[index[name]] for name in IMPLEMENTATION_LINES)
    other_initial = result.initial.sum() - services - scope
    return np.asarray(other_initial + services * (1.0 + delay_cost_share * (duration_ratio - 1.0))
                      + scope * cost_ratio, dtype=np.float64)


def payback_by_draw(initial_net: FloatArray, monthly_net: FloatArray) -> FloatArray:
    """Months until each draw's cumulative net (``initial_net`` at month 0, then ``monthly_net`` of months 1..n)
    first reaches 0, interpolated inside the month; ``inf`` when it does not within the n months.

    The kernel of :func:`crmselect.money.returns.payback_month`, vectorised over draws (rows).
    """
    initial = np.asarray(initial_net, dtype=float)
    flows = np.asarray(monthly_net, dtype=float)
    cumulative = initial[:, None] + np.concatenate([np.zeros((initial.size, 1)), np.cumsum(flows, axis=1)], axis=1)
    reached = cumulative >= 0
    paid = reached.any(axis=1)
    first = np.where(paid, reached.argmax(axis=1), 0)
    rows = np.arange(initial.size)
    before = cumulative[rows, np.maximum(first - 1, 0)]
    after = cumulative[rows, first]
    with np.errstate(divide="ignore", invalid="ignore"):
        inside = first - 1 + (-before) / (after - before)
    out = np.where(first == 0, 0.0, inside)
    return np.asarray(np.where(paid, out, np.inf), dtype=np.float64)


def cost_cash_by_draw(result: TcoResult, live: FloatArray) -> FloatArray:
    """Undiscounted cost paid in each month after the initial period, per draw (draws x months).

    ``live`` is each draw's live share of each month (:func:`crmselect.money.costs.live_fraction`): the lines that
    start at go-live are paid on it; the others as scheduled.  A line paid in advance pays a year's live share in
    the year's first month, as :meth:`crmselect.money.returns.RoiResult.payback_months` counts cash."""
    advance = result.inputs.advance
    live_lines = result.from_go_live
    fixed = cash_by_month(result.monthly_rate * ~live_lines[:, None], advance).sum(axis=0)  # (months,)
    live_cash = live * result.monthly_rate[live_lines & ~advance].sum(axis=0)
    advance_rate = result.monthly_rate[live_lines & advance].sum(axis=0)
    if np.any(advance_rate != 0):
        years = (live * advance_rate).reshape(live.shape[0], -1, MONTHS_PER_YEAR).sum(axis=-1)
        live_cash[:, ::MONTHS_PER_YEAR] += years
    return np.asarray(fixed + live_cash, dtype=np.float64)


def simulate_payback(
    result: TcoResult,
    annual_benefit_value: float,
    ramp_months: float,
    duration_ratio: FloatArray,
    cost_ratio: FloatArray,
    delay_cost_share: float = 1.0,
) -> FloatArray:
    """Payback in months per draw (``inf``: not within the horizon), from the same draws as :func:`simulate_npv`.

    Cash as :meth:`crmselect.money.returns.RoiResult.payback_months` counts it (undiscounted; a line paid in
    advance pays its year in the year's first month), with the draw's go-live moving the benefits' ramp and the
    costs that start at go-live, and the draw's initial period (services pro rata to the duration, the scope
    lines x the cost overrun).
    """
    inputs = result.inputs
    n_months = result.monthly_rate.shape[1]
    go_live_months = inputs.go_live_days * np.asarray(duration_ratio, dtype=float) / DAYS_PER_MONTH
    cash = cost_cash_by_draw(result, live_fraction(n_months, go_live_months))
    benefits = monthly_benefits(annual_benefit_value, n_months, go_live_months[:, None], ramp_months)
    initial = initial_by_draw(result, np.asarray(duration_ratio, dtype=float), np.asarray(cost_ratio, dtype=float),
                               delay_cost_share)
    return payback_by_draw(-initial, benefits - cash)


def payback_percentile(payback_months: FloatArray, q: float) -> float | None:
    """The q-th percentile of paybacks (``inf`` = never), as an empirical quantile; None when it falls on draws
    that do not pay back within the horizon."""
    value = float(np.percentile(np.asarray(payback_months, dtype=float), q, method="inverted_cdf"))
    return None if math.isinf(value) else value


# ---------------------------------------------------------------------------- result
def readonly_floats(array: npt.ArrayLike) -> FloatArray:
    """A read-only float copy of ``array`` (result objects hold their draws this way)."""
    out = np.array(array, dtype=float, copy=True)
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class RiskResult:
    """Draws of go-live days, NPV of cost and NPV net of benefits for one bid."""

    bid_id: str
    label: str
    claimed_go_live_days: float
    planned_go_live_days: float
    planned_cost_npv: float
    planned_net_npv: float
    parameters: RiskParameters
    go_live_days: FloatArray
    cost_npv: FloatArray
    net_npv: FloatArray
    duration_ratio: FloatArray
    cost_ratio: FloatArray
    readiness_multiplier: float = 1.0  # the buyer's readiness stretches every draw's duration by this
    payback_months: FloatArray = field(default_factory=lambda: np.zeros(0))  # per draw; inf: not within the horizon
    horizon_months: int = 0

    def __post_init__(self) -> None:
        for name in ("go_live_days", "cost_npv", "net_npv", "duration_ratio", "cost_ratio", "payback_months"):
            object.__setattr__(self, name, readonly_floats(getattr(self, name)))

    @property
    def n(self) -> int:
        return int(self.go_live_days.size)

    @property
    def probability_on_time(self) -> float:
        """Share of draws with go-live within the vendor's claimed days."""
        return float(np.mean(self.go_live_days <= self.claimed_go_live_days))

    @cached_property
    def _percentiles(self) -> dict[str, FloatArray]:
        return {
            name: np.percentile(getattr(self, name), PERCENTILES)
            for name in ("go_live_days", "cost_npv", "net_npv", "duration_ratio", "cost_ratio")
        }

    def percentile(self, what: str, q: float) -> float:
        return float(np.percentile(getattr(self, what), q))

    def frame(self) -> pd.DataFrame:
        """Rows: go-live days, NPV of cost, NPV net of benefits, the two ratios; columns: plan, P10, P50, P90, mean."""
        plan = {
            "go_live_days": self.planned_go_live_days,
            "cost_npv": self.planned_cost_npv,
            "net_npv": self.planned_net_npv,
            "duration_ratio": 1.0,
            "cost_ratio": 1.0,
        }
        rows = []
        for name, values in self._percentiles.items():
            row = {"quantity": name, "plan": plan[name]}
            row.update({f"P{q}": float(v) for q, v in zip(PERCENTILES, values, strict=True)})
            row["mean"] = float(np.mean(getattr(self, name)))
            rows.append(row)
        return pd.DataFrame(rows).set_index("quantity")

    def samples(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "go_live_days": self.go_live_days,
                "cost_npv": self.cost_npv,
                "net_npv": self.net_npv,
                "duration_ratio": self.duration_ratio,
                "cost_ratio": self.cost_ratio,
            }
        )

    def readiness_adds_days(self, percentile: float) -> float:
        """Days the buyer's readiness adds to go-live at ``percentile`` (0 when it is all in place or unrated).

        The draws are scaled by one multiplier, so the percentile without readiness is this one divided by it.
        """
        at = float(np.percentile(self.go_live_days, percentile))
        return at - at / self.readiness_multiplier

    @property
    def roi(self) -> FloatArray:
        """ROI per draw over the horizon: NPV net of benefits / NPV of cost."""
        return self.net_npv / self.cost_npv  # type: ignore[no-any-return]

    def payback(self, q: float) -> float | None:
        """Payback in months at percentile ``q`` of the draws; None: those draws do not pay back within the horizon."""
        if not self.payback_months.size:
            raise AnalysisError("this result holds no payback draws (made without simulate_risk)")
        return payback_percentile(self.payback_months, q)

    @property
    def probability_payback(self) -> float:
        """Share of draws that pay back within the horizon."""
        return float(np.mean(np.isfinite(self.payback_months))) if self.payback_months.size else math.nan

    def summary(self) -> dict[str, float]:
        """Probabilities and P10/P50/P90 of ROI, payback (months), go-live days, NPV of cost and net NPV.

        A payback percentile that does not come within the horizon is ``nan`` here (None from :meth:`payback`),
        never ``inf``; ``probability_payback`` says how many draws pay back at all.
        """
        out = {"probability_on_time": self.probability_on_time}
        for q, v in zip(PERCENTILES, np.percentile(self.roi, PERCENTILES), strict=True):
            out[f"roi_p{q}"] = float(v)
        if self.payback_months.size:
            out["probability_payback"] = self.probability_payback
            for q in PERCENTILES:
                months = self.payback(q)
                out[f"payback_months_p{q}"] = math.nan if months is None else months
        for name in ("go_live_days", "cost_npv", "net_npv"):
            for q, v in zip(PERCENTILES, self._percentiles[name], strict=True):
                out[f"{name}_p{q}"] = float(v)
        return out

    def plot(self, ax: Axes | None = None, *, kind: str = "go_live_days") -> Axes:
        """Histogram of ``go_live_days`` (default), ``cost_npv`` or ``net_npv`` with plan and P10/P50/P90."""
        from crmselect.show import plots

        allowed = ("go_live_days", "cost_npv", "net_npv")
        if kind not in allowed:
            raise AnalysisError(f"kind must be one of {list(allowed)} (received {kind!r})")
        row = self.frame().loc[kind]
        values = getattr(self, kind)
        shown = pd.DataFrame({kind: values})
        if kind == "go_live_days":  # the far tail squeezes the picture: show up to P99
            shown = shown[shown[kind] <= np.percentile(values, 99)]
        reference_plan = self.planned_go_live_days != self.claimed_go_live_days
        if kind != "go_live_days":
            plan_markers = {_("plan"): row["plan"]}
        elif reference_plan:
            plan_markers = {_("plan (reference)"): row["plan"], _("vendor's promise"): self.claimed_go_live_days}
        else:
            plan_markers = {_("plan (vendor)"): row["plan"]}
        markers = {**plan_markers, **{f"P{q}": row[f"P{q}"] for q in PERCENTILES}}
        names = {
            "go_live_days": _("go-live (days after signature)"),
            "cost_npv": _("NPV of cost"),
            "net_npv": _("NPV net of benefits"),
        }
        title = _("{label}: P(go-live within {days} days) = {probability}").format(
            label=self.label, days=f"{self.claimed_go_live_days:g}", probability=f"{self.probability_on_time:.0%}")
        return plots.histogram(shown, markers=markers, xlabel=names[kind], title=title, ax=ax)

    def _repr_html_(self) -> str:
        from crmselect.show import tables

        notes = [
            _("{draws} draws. Probability that go-live comes within the claimed {days} days: {probability}.").format(
                draws=f"{self.n:,}", days=f"{self.claimed_go_live_days:g}",
                probability=f"{self.probability_on_time:.1%}")
        ]
        if self.payback_months.size:
            notes.append(_("ROI P10 / P50 / P90: {roi}. Payback P10 / P50 / P90: {payback} (months after signature); "
                           "{share} of the draws pay back within the horizon.").format(
                roi=" / ".join(f"{v:.0%}" for v in np.percentile(self.roi, PERCENTILES)),
                payback=" / ".join(payback_text(self.payback(q)) for q in PERCENTILES),
                share=f"{self.probability_payback:.0%}"))
        if self.planned_go_live_days > self.claimed_go_live_days:
            notes.append(
                _("The vendor promises {promised} days; the simulation plans {planned} days, the committee's "
                  "reference for a roll-out of this scope.").format(promised=f"{self.claimed_go_live_days:g}",
                                                                     planned=f"{self.planned_go_live_days:g}")
            )
        names = {"quantity": N_("quantity"), "plan": N_("plan"), "mean": N_("mean"),
                 "go_live_days": N_("go-live (days after signature)"), "cost_npv": N_("NPV of cost"),
                 "net_npv": N_("NPV net of benefits"), "duration_ratio": N_("duration ratio"),
                 "cost_ratio": N_("cost ratio")}

        def label(key: object) -> object:
            return _(names[key]) if isinstance(key, str) and key in names else key

        shown = self.frame().rename(columns=label, index=label)
        shown.index.name = label(shown.index.name)
        return tables.to_html(
            shown, caption=_("Implementation risk: {label}").format(label=self.label), default_format="money",
            notes=notes,
        )


def payback_text(months: float | None) -> str:
    """A payback in months as shown, in the current language: "14.2", or "never" within the horizon."""
    return _("never") if months is None or not math.isfinite(months) else f"{months:.1f}"


# ---------------------------------------------------------------------------- wrapper
def simulate_risk(
    project: Project,
    bid_id: str,
    *,
    n: int = 20_000,
    random_state: int | np.random.Generator | None = None,
    parameters: RiskParameters | None = None,
    assumptions: Assumptions | None = None,
    goal_scores: Mapping[str, float] | None = None,
) -> RiskResult:
    """Monte Carlo of go-live delay and cost overrun for one bid (seeded by ``random_state``).

    ``goal_scores`` ({goal id: 0..1}) scale the benefits by the bid's fit, as :func:`crmselect.money.returns.roi`
    does; None counts the full benefit.
    """
    if not 1 <= n <= MAX_DRAWS:
        raise AnalysisError(f"n must be from 1 to {MAX_DRAWS:,} draws per bid (larger runs do not fit in memory "
                            f"here); received {n:,}")
    parameters = parameters or RiskParameters()
    assumptions = assumptions or project.selection.assumptions
    rng = np.random.default_rng(random_state)
    planned = tco(project, bid_id, assumptions=assumptions)
    claimed = planned.inputs.go_live_days
    reference = assumptions.reference_go_live_days
    if reference is not None and reference > claimed:
        planned = tco(project, bid_id, assumptions=assumptions, go_live_days=reference)
    benefit = float(sum(b for _, _, b in benefits_by_fit(project.selection, goal_scores, assumptions)))
    ramp = float(assumptions.benefit_ramp_months)
    duration, cost = parameters.draw(n, rng)
    effect = readiness_effect(project.selection.readiness)
    stretch = 1.0 if effect is None else effect.multiplier  # the buyer's readiness, the same for every bid
    duration = duration * stretch
    go_live, cost_npv, net_npv = simulate_npv(planned, benefit, ramp, duration, cost, parameters.delay_cost_share)
    _, plan_cost, plan_net = simulate_npv(planned, benefit, ramp, np.ones(1), np.ones(1), parameters.delay_cost_share)
    payback = simulate_payback(planned, benefit, ramp, duration, cost, parameters.delay_cost_share)
    return RiskResult(
        bid_id=planned.bid_id,
        label=planned.label,
        claimed_go_live_days=claimed,
        planned_go_live_days=planned.inputs.go_live_days,
        planned_cost_npv=float(plan_cost[0]),
        planned_net_npv=float(plan_net[0]),
        parameters=parameters,
        go_live_days=go_live,
        cost_npv=cost_npv,
        net_npv=net_npv,
        duration_ratio=duration,
        cost_ratio=cost,
        readiness_multiplier=stretch,
        payback_months=payback,
        horizon_months=planned.horizon_years * MONTHS_PER_YEAR,
    )
