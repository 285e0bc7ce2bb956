"""The pure TCO arithmetic: flat inputs (:class:`TcoInputs`), the named cost lines, the monthly
cost schedule, yearly sums, discount factors, NPV and crossovers: numbers and ndarrays in and
out; nothing here sees the domain model.

The rules each cost line follows are written out in :mod:`crmselect.money.costs`, whose
:func:`~crmselect.money.costs.tco_inputs` builds the inputs from an offer.  :mod:`crmselect.money.results`,
:mod:`crmselect.money.drivers`, :mod:`crmselect.money.returns` and :mod:`crmselect.money.risk` build on the schedule.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from crmselect.checks import slamath

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MONTHS_PER_YEAR = 12
DAYS_PER_MONTH = 365.0 / 12.0

LINES: tuple[str, ...] = (
    "subscription",
    "licence",
    "licence true-ups",
    "maintenance",
    "hardware",
    "hosting",
    "database and OS",
    "premium support",
    "consumption",
    "third party",
    "third party (answers)",
    "admin staff",
    "DBA staff",
    "upgrade re-work (custom code)",
    "own recovery",
    "implementation services",
    "data migration",
    "integration",
    "training",
    "extra effort",
    "downtime",
    "service credits",
)
_ROW = {name: i for i, name in enumerate(LINES)}
#: the one-off implementation lines (scaled by the cost overrun in :mod:`crmselect.money.risk`)
IMPLEMENTATION_LINES: tuple[str, ...] = ("data migration", "integration", "training", "extra effort")
_ALWAYS_FROM_GO_LIVE = ("consumption", "admin staff", "DBA staff", "upgrade re-work (custom code)", "own recovery",
                        "downtime", "service credits")
#: Lines paid yearly in advance unless an offer says otherwise (SaaS subscriptions are billed so).
DEFAULT_ADVANCE: frozenset[str] = frozenset({"subscription"})


# ---------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class TcoInputs:
    """Every number the TCO kernel needs, flat (percentages as 0..100).  Built by :func:`tco_inputs`."""

    horizon_years: int = 5
    users: float = 250.0
    user_growth_pct: float = 0.0
    discount_rate_pct: float = 10.0
    subscription_per_user_month: float = 0.0
    subscription_discount_pct: float = 0.0
    term_years: int = 3
    renewal_period_years: int = 1
    renewal_escalator_pct: float = 0.0
    renewal_cap_pct: float = math.inf
    seat_reduction_allowed: bool = False
    licence_per_user: float = 0.0
    licence_discount_pct: float = 0.0
    true_up_at_list: bool = False
    maintenance_pct: float = 0.0
    maintenance_on_list: bool = False
    maintenance_uplift_pct: float = 0.0
    maintenance_from_go_live: bool = True
    hardware_initial: float = 0.0
    hardware_refresh_years: int = 0
    hosting_per_year: float = 0.0
    hosting_escalator_pct: float = 0.0
    database_os_initial: float = 0.0
    database_os_per_year: float = 0.0
    premium_support_per_year: float = 0.0
    consumption_per_year: float = 0.0
    consumption_growth_pct: float = 0.0
    third_party_per_year: float = 0.0
    answer_third_party_per_year: float = 0.0
    admin_fte: float = 0.0
    dba_fte: float = 0.0
    loaded_cost_per_fte: float = 0.0
    upgrade_rework_per_year: float = 0.0
    own_recovery_per_year: float = 0.0
    services_cost: float = 0.0
    data_migration_cost: float = 0.0
    integration_cost: float = 0.0
    training_cost: float = 0.0
    effort_days: float = 0.0
    cost_per_effort_day: float = 0.0
    go_live_days: float = 90.0
    uptime_pct: float = 100.0
    users_affected_pct: float = 100.0
    downtime_cost_per_user_hour: float = 0.0
    credit_tiers: tuple[tuple[float, float], ...] = ()
    credit_cap_pct: float | None = None
    paid_in_advance: frozenset[str] = DEFAULT_ADVANCE  # LINES names; the rest are paid in arrears

    @property
    def advance(self) -> BoolArray:
        """Per line of :data:`LINES`: paid at the start of each year (True) or at its end."""
        return np.array([name in self.paid_in_advance for name in LINES])

    @property
    def renewal_uplift_pct(self) -> float:
        """The escalator actually applied at a renewal: the lowest of escalator and caps."""
        return min(self.renewal_escalator_pct, self.renewal_cap_pct)

    @property
    def go_live_months(self) -> float:
        return self.go_live_days / DAYS_PER_MONTH

    def replace(self, **changes: Any) -> TcoInputs:
        return dataclasses.replace(self, **changes)


# ---------------------------------------------------------------------------- kernels
def users_by_year(users: float, growth_pct: float, horizon_years: int) -> FloatArray:
    """Users in years 1..H: ``users x (1 + growth)^(t-1)``."""
    t = np.arange(horizon_years, dtype=float)
    return users * (1.0 + growth_pct / 100.0) ** t


def seats_by_year(users: FloatArray) -> FloatArray:
    """Whole seats covering the users (rounded up; 1e-9 tolerance against float noise)."""
    return np.ceil(np.round(users, 9))


def renewals_by_year(horizon_years: int, term_years: int, renewal_period_years: int) -> FloatArray:
    """How many renewals have happened by the start of each year 1..H."""
    t = np.arange(1, horizon_years + 1)
    after = t - 1 - term_years  # years elapsed since the first renewal
    return np.where(after < 0, 0, 1 + np.floor_divide(np.maximum(after, 0), max(renewal_period_years, 1))).astype(float)


def live_fraction(n_months: int, go_live_months: float | FloatArray) -> FloatArray:
    """Share of each month 1..n (month m covers (m-1, m]) after go-live; vectorised over go-lives."""
    m = np.arange(1, n_months + 1, dtype=float)
    go_live = np.asarray(go_live_months, dtype=float)[..., None]
    return np.asarray(np.clip(m - go_live, 0.0, 1.0), dtype=np.float64)


def cost_schedule(x: TcoInputs) -> tuple[FloatArray, FloatArray, BoolArray]:
    """The kernel: ``(initial[line], monthly_rate[line, month], from_go_live[line])``.

    ``monthly_rate`` is what each line would cost in each month if the system were live from day
    one; lines flagged ``from_go_live`` are paid only for the live share of each month.
    """
    horizon = x.horizon_years
    years = np.arange(horizon, dtype=float)  # t - 1
    initial = np.zeros(len(LINES))
    annual = np.zeros((len(LINES), horizon))
    users = users_by_year(x.users, x.user_growth_pct, horizon)
    seats = seats_by_year(users)

    if x.subscription_per_user_month > 0:
        billed = seats if x.seat_reduction_allowed else np.maximum.accumulate(seats)
        renewals = renewals_by_year(horizon, x.term_years, x.renewal_period_years)
        monthly_price = x.subscription_per_user_month * (1.0 - x.subscription_discount_pct / 100.0)
        annual[_ROW["subscription"]] = billed * monthly_price * 12.0 * (1.0 + x.renewal_uplift_pct / 100.0) ** renewals

    if x.licence_per_user > 0:
        net = x.licence_per_user * (1.0 - x.licence_discount_pct / 100.0)
        owned = np.maximum.accumulate(np.concatenate([seats[:1], seats]))  # owned[0] = bought at t = 0
        initial[_ROW["licence"]] = seats[0] * net
        annual[_ROW["licence true-ups"]] = np.diff(owned) * (x.licence_per_user if x.true_up_at_list else net)
        base = x.licence_per_user if x.maintenance_on_list else net
        uplift = (1.0 + x.maintenance_uplift_pct / 100.0) ** years
        annual[_ROW["maintenance"]] = x.maintenance_pct / 100.0 * base * owned[1:] * uplift

    initial[_ROW["hardware"]] = x.hardware_initial
    if x.hardware_refresh_years > 0:
        for when in range(x.hardware_refresh_years, horizon, x.hardware_refresh_years):
            annual[_ROW["hardware"], when - 1] += x.hardware_initial
    annual[_ROW["hosting"]] = x.hosting_per_year * (1.0 + x.hosting_escalator_pct / 100.0) ** years
    initial[_ROW["database and OS"]] = x.database_os_initial
    annual[_ROW["database and OS"]] = x.database_os_per_year
    annual[_ROW["premium support"]] = x.premium_support_per_year
    annual[_ROW["consumption"]] = x.consumption_per_year * (1.0 + x.consumption_growth_pct / 100.0) ** years
    annual[_ROW["third party"]] = x.third_party_per_year
    annual[_ROW["third party (answers)"]] = x.answer_third_party_per_year
    annual[_ROW["admin staff"]] = x.admin_fte * x.loaded_cost_per_fte
    annual[_ROW["DBA staff"]] = x.dba_fte * x.loaded_cost_per_fte
    annual[_ROW["upgrade re-work (custom code)"]] = x.upgrade_rework_per_year
    annual[_ROW["own recovery"]] = x.own_recovery_per_year
    initial[_ROW["implementation services"]] = x.services_cost
    initial[_ROW["data migration"]] = x.data_migration_cost
    initial[_ROW["integration"]] = x.integration_cost
    initial[_ROW["training"]] = x.training_cost
    initial[_ROW["extra effort"]] = x.effort_days * x.cost_per_effort_day

    hours = slamath.allowed_downtime_hours_per_year(x.uptime_pct)
    annual[_ROW["downtime"]] = hours * users * x.users_affected_pct / 100.0 * x.downtime_cost_per_user_hour
    credit_pct = slamath.expected_credit_pct(x.credit_tiers, x.uptime_pct, x.credit_cap_pct)
    annual[_ROW["service credits"]] = -credit_pct / 100.0 * (annual[_ROW["subscription"]] + annual[_ROW["hosting"]])

    from_go_live = np.array([name in _ALWAYS_FROM_GO_LIVE for name in LINES])
    from_go_live[_ROW["maintenance"]] = x.maintenance_from_go_live
    monthly_rate = np.repeat(annual, MONTHS_PER_YEAR, axis=1) / MONTHS_PER_YEAR
    return initial, monthly_rate, from_go_live


def monthly_flows(monthly_rate: FloatArray, from_go_live: BoolArray, go_live_months: float) -> FloatArray:
    """Monthly cash flows per line: go-live lines paid for the live share of each month only."""
    live = live_fraction(monthly_rate.shape[1], go_live_months)
    return monthly_rate * np.where(from_go_live[:, None], live, 1.0)


def yearly(monthly: FloatArray) -> FloatArray:
    """Sum twelve-month blocks: (..., 12 H) -> (..., H)."""
    shape = (*monthly.shape[:-1], monthly.shape[-1] // MONTHS_PER_YEAR, MONTHS_PER_YEAR)
    return np.asarray(monthly.reshape(shape).sum(axis=-1), dtype=np.float64)


def timed_flows(initial: FloatArray, yearly_flows: FloatArray, advance: BoolArray) -> FloatArray:
    """Cash per line and payment time 0..H: a year's cost is paid at its end (t), or, for lines paid
    in advance, at its start (t - 1), so year 1's advance payment joins the initial period."""
    flows = np.column_stack([initial, yearly_flows])
    shifted = flows.copy()
    shifted[advance, :-1] = flows[advance, 1:]
    shifted[advance, 0] += flows[advance, 0]
    shifted[advance, -1] = 0.0
    return shifted


def month_line_factors(rate_pct: float, n_months: int, advance: BoolArray) -> FloatArray:
    """Discount factor per line and month 1..n: ``(1 + r)^-t`` for the month's year t, or ``(1 + r)^-(t-1)``
    for lines paid in advance.  ``(monthly * factors).sum()`` is then the NPV of the monthly costs."""
    year = np.ceil(np.arange(1, n_months + 1) / MONTHS_PER_YEAR)
    end = (1.0 + rate_pct / 100.0) ** -year
    start = (1.0 + rate_pct / 100.0) ** -(year - 1.0)
    return np.where(advance[:, None], start[None, :], end[None, :])


def cash_by_month(monthly: FloatArray, advance: BoolArray) -> FloatArray:
    """Cash per line and month 1..12H: lines paid in advance pay a year's cost in the year's first month."""
    out = monthly.copy()
    lines = out[advance]
    years = lines.reshape(lines.shape[0], lines.shape[1] // MONTHS_PER_YEAR, MONTHS_PER_YEAR).sum(axis=-1)
    lumped = np.zeros_like(lines)
    lumped[:, ::MONTHS_PER_YEAR] = years
    out[advance] = lumped
    return out


def discount_factors(rate_pct: float, periods: int) -> FloatArray:
    """``1 / (1 + r)^t`` for t = 0..periods-1."""
    return (1.0 + rate_pct / 100.0) ** -np.arange(periods, dtype=float)


def npv(flows: npt.ArrayLike, rate_pct: float) -> float | FloatArray:
    """``Σ_t CF_t / (1 + r)^t`` over the last axis, t = 0 being the initial period."""
    cf = np.asarray(flows, dtype=float)
    value = cf @ discount_factors(rate_pct, cf.shape[-1])
    return float(value) if np.ndim(value) == 0 else np.asarray(value)


def crossing_times(cumulative_a: npt.ArrayLike, cumulative_b: npt.ArrayLike) -> list[float]:
    """Every time (in years, t = 0 initial) where two cumulative cost lines cross, in order.

    Between the yearly points the lines are straight, so each crossing is found by linear
    interpolation inside its year.  Lines that start equal and part, or touch without changing
    order, do not cross; lines that meet at the horizon's end cross there.  Costs can cross more
    than once (a hardware refresh, a renewal escalator), and every crossing is reported.
    """
    gap = np.asarray(cumulative_a, dtype=float) - np.asarray(cumulative_b, dtype=float)
    out: list[float] = []
    for t in range(1, gap.size):
        before, after = gap[t - 1], gap[t]
        if before != 0 and (after == 0 or np.sign(before) != np.sign(after)):
            if after == 0:
                # a touch counts only when the order changes afterwards (or the horizon ends there)
                later = gap[t + 1 :][gap[t + 1 :] != 0]
                if later.size and np.sign(later[0]) == np.sign(before):
                    continue
            out.append(float(t - 1 + before / (before - after)))
    return out


def crossover_time(cumulative_a: npt.ArrayLike, cumulative_b: npt.ArrayLike) -> float | None:
    """The first of :func:`crossing_times`, or None when the lines never cross."""
    found = crossing_times(cumulative_a, cumulative_b)
    return found[0] if found else None


def cheaper_periods(cumulative_a: npt.ArrayLike, cumulative_b: npt.ArrayLike) -> list[tuple[float, float, int]]:
    """The periods in which one line is lower: ``(from, to, 0 for a or 1 for b)``, from 0 to the horizon.

    Periods are bounded by the crossings; where the lines are equal at the start, the first period
    belongs to whichever is lower next.  Lines equal throughout have no cheaper period.
    """
    gap = np.asarray(cumulative_a, dtype=float) - np.asarray(cumulative_b, dtype=float)
    nonzero = gap[gap != 0]
    if not nonzero.size:
        return []
    bounds = [0.0, *crossing_times(cumulative_a, cumulative_b)]
    horizon = float(gap.size - 1)
    if bounds[-1] < horizon:
        bounds.append(horizon)
    cheaper = 0 if nonzero[0] < 0 else 1
    out = []
    for start, end in itertools.pairwise(bounds):
        out.append((start, end, cheaper))
        cheaper = 1 - cheaper
    return out


def tco_npv(x: TcoInputs) -> float:
    """The NPV of the TCO of ``x``: :func:`cost_schedule`, the live share of each month, yearly sums,
    discounted (the same steps and the same number as ``TcoResult.from_inputs(x).npv``)."""
    initial, monthly_rate, from_go_live = cost_schedule(x)
    flows = timed_flows(initial, yearly(monthly_flows(monthly_rate, from_go_live, x.go_live_months)), x.advance)
    return float(npv(flows.sum(axis=0), x.discount_rate_pct))


__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_ADVANCE",
    "IMPLEMENTATION_LINES",
    "LINES",
    "MONTHS_PER_YEAR",
    "BoolArray",
    "FloatArray",
    "TcoInputs",
    "cash_by_month",
    "cheaper_periods",
    "cost_schedule",
    "crossing_times",
    "crossover_time",
    "discount_factors",
    "live_fraction",
    "month_line_factors",
    "monthly_flows",
    "npv",
    "renewals_by_year",
    "seats_by_year",
    "tco_npv",
    "timed_flows",
    "users_by_year",
    "yearly",
]
