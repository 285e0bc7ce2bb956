"""Total cost of ownership per offer: yearly cash flows by cost line, NPV, crossover, tornado.

Time axis (Forrester TEI convention, domain_facts §3.2): an **initial period** at t = 0 holds the
one-off costs paid at signature (perpetual licences, hardware, database/OS licences,
implementation services, data migration, integration, training, extra effort); **years 1..H**
(H = ``assumptions.horizon_years``) hold the recurring costs, each year's flow counted at the
year's end.  ``PV = Σ_t CF_t / (1 + r)^t`` with r = ``assumptions.discount_rate_pct`` (10 %).

Inside the kernel each recurring line is a monthly rate; lines that only run once the system is
live (maintenance when the contract starts it at go-live, consumption, admin and DBA staff,
downtime and service credits) are multiplied by the fraction of each month after go-live
(``implementation.claimed_go_live_days`` unless given).  Years are sums of their twelve months.
:mod:`crmselect.roi` and :mod:`crmselect.risk` reuse the monthly schedule.

Rules, per line (each is one named row of :meth:`TcoResult.frame`):

- users in year t = users x (1 + growth)^(t-1); seats = users rounded up to whole seats.
- subscription: seats x price per user per month x (1 - discount) x 12, raised at each renewal by
  the renewal escalator, limited by ``pricing.renewal_cap_pct`` and by
  ``contract.renewal_price_cap_pct`` (the lowest wins).  The first renewal comes after
  ``pricing.term_years``; later ones every ``contract.renewal_term_years`` when the contract
  auto-renews (a 1-year evergreen renewal re-prices every year), otherwise every ``term_years``
  (a re-signed term of the same length).  Without ``contract.seat_reduction_allowed`` the billed
  seats never fall (seat ratchet).
- licence: initial seats x list x (1 - discount) at t = 0; **true-ups** for every seat added in a
  later year, at the contract price or at list when ``contract.true_up_price`` is list.
- maintenance: % of list or net value of the licences owned (``pricing.maintenance_base``), raised
  by the yearly uplift; from purchase, or from go-live when ``contract.maintenance_starts_at_go_live``.
- hardware at t = 0 and again every ``hardware_refresh_years`` while the new kit is needed inside
  the horizon (a refresh due exactly at the horizon's end is not counted; no residual values).
- hosting (with its escalator), database/OS (initial + yearly), premium support, third party:
  from signature.  Consumption (with its growth): from go-live.
- admin and DBA staff: FTE x ``assumptions.loaded_cost_per_fte`` a year, from go-live.
- extra effort: every answer (``bid.answers``: the offer's own answers over the vendor's) to a
  *linked* criterion coded with a scale code that has an effort (X customisation: high, T third
  party: medium, C configuration and R reporting: low in the shipped scale) costs
  ``assumptions.effort_days[effort]`` days - or the answer's own ``effort_days`` when given -
  x ``cost_per_effort_day`` at t = 0.  Set ``effort_days`` for ``low`` to 0 if configuration is
  inside the vendor's services price.  Answers to criteria that serve no goal cost nothing: the
  committee will not build features it did not ask for.
- third party (answers): the ``third_party_cost_per_year`` named on linked answers, yearly from
  signature, on top of ``pricing.third_party_per_year`` (the partner products priced in the
  offer itself) - an answer should name only a cost the offer's price lines do not hold.
- downtime: downtime hours a year allowed by the uptime (``slamath``; an SLA with no figure -
  "reasonable efforts" or none - is assumed to deliver ``assumptions.unbacked_uptime_pct``,
  default 99.0 %, or ``self_run_uptime_pct`` for an on-premise system the company runs) x users
  affected x ``downtime_cost_per_user_hour`` x the share of downtime in working hours;
  scheduled-maintenance windows excluded from the SLA are not costed.
- service credits (negative): credit owed at the expected uptime under the credit schedule, as a
  % of the subscription and hosting fees.  The expected uptime is the committed one unless you
  give ``expected_uptime_pct`` or an ``uptime_shortfall_pct``; at exactly the committed uptime
  no credit is owed.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from crmselect import slamath
from crmselect.bids import Deployment, MaintenanceBase, Offer, TrueUpPrice
from crmselect.errors import AnalysisError
from crmselect.model import Assumptions

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from crmselect.project import Project

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
    "implementation services",
    "data migration",
    "integration",
    "training",
    "extra effort",
    "downtime",
    "service credits",
)
_ROW = {name: i for i, name in enumerate(LINES)}
#: the one-off implementation lines (scaled by the cost overrun in :mod:`crmselect.risk`)
IMPLEMENTATION_LINES: tuple[str, ...] = ("data migration", "integration", "training", "extra effort")
_ALWAYS_FROM_GO_LIVE = ("consumption", "admin staff", "DBA staff", "downtime", "service credits")


# ---------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class AnswerCost:
    """What one answer to a linked criterion costs: effort days at t = 0, a third-party product a year."""

    criterion: str
    code: str
    effort: str
    effort_days: float
    third_party_cost_per_year: float = 0.0
    third_party_product: str = ""


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

    @property
    def renewal_uplift_pct(self) -> float:
        """The escalator actually applied at a renewal: the lowest of escalator and caps."""
        return min(self.renewal_escalator_pct, self.renewal_cap_pct)

    @property
    def go_live_months(self) -> float:
        return self.go_live_days / DAYS_PER_MONTH

    def replace(self, **changes: Any) -> TcoInputs:
        return dataclasses.replace(self, **changes)


def assumed_uptime_pct(offer: Offer, assumptions: Assumptions) -> float:
    """Uptime to cost downtime with when the SLA names none: the company's own for self-run systems."""
    if offer.deployment is Deployment.on_premise and assumptions.self_run_uptime_pct is not None:
        return assumptions.self_run_uptime_pct
    return assumptions.unbacked_uptime_pct


def tco_inputs(
    offer: Offer,
    assumptions: Assumptions,
    *,
    effort_days: float = 0.0,
    answer_third_party_per_year: float = 0.0,
    go_live_days: float | None = None,
    expected_uptime_pct: float | None = None,
    uptime_shortfall_pct: float = 0.0,
) -> TcoInputs:
    """Flatten an offer and the company's assumptions into :class:`TcoInputs`."""
    p, c, sla = offer.pricing, offer.contract, offer.sla
    caps = [cap for cap in (p.renewal_cap_pct, c.renewal_price_cap_pct) if cap is not None]
    renewal_period = c.renewal_term_years if c.auto_renewal and c.renewal_term_years >= 1 else p.term_years
    if expected_uptime_pct is None:
        committed = sla.uptime_pct if sla.uptime_pct is not None else assumed_uptime_pct(offer, assumptions)
        expected_uptime_pct = committed - uptime_shortfall_pct
    if not 0.0 <= expected_uptime_pct <= 100.0:
        raise AnalysisError(f"expected uptime must be within 0..100 % (received {expected_uptime_pct})")
    days = offer.implementation.claimed_go_live_days if go_live_days is None else go_live_days
    if days < 0:
        raise AnalysisError(f"go-live must not be before signature (received {days} days)")
    return TcoInputs(
        horizon_years=assumptions.horizon_years,
        users=float(assumptions.users),
        user_growth_pct=assumptions.user_growth_pct,
        discount_rate_pct=assumptions.discount_rate_pct,
        subscription_per_user_month=p.subscription_per_user_month or 0.0,
        subscription_discount_pct=p.subscription_discount_pct,
        term_years=p.term_years,
        renewal_period_years=renewal_period,
        renewal_escalator_pct=p.renewal_escalator_pct,
        renewal_cap_pct=min(caps) if caps else math.inf,
        seat_reduction_allowed=c.seat_reduction_allowed,
        licence_per_user=p.licence_per_user or 0.0,
        licence_discount_pct=p.licence_discount_pct,
        true_up_at_list=c.true_up_price is TrueUpPrice.list_price,
        maintenance_pct=p.maintenance_pct,
        maintenance_on_list=p.maintenance_base is MaintenanceBase.list_price,
        maintenance_uplift_pct=p.maintenance_uplift_pct,
        maintenance_from_go_live=c.maintenance_starts_at_go_live,
        hardware_initial=p.hardware_initial,
        hardware_refresh_years=p.hardware_refresh_years or 0,
        hosting_per_year=p.hosting_per_year,
        hosting_escalator_pct=p.hosting_escalator_pct,
        database_os_initial=p.database_os_initial,
        database_os_per_year=p.database_os_per_year,
        premium_support_per_year=p.premium_support_per_year,
        consumption_per_year=p.consumption_per_year,
        consumption_growth_pct=p.consumption_growth_pct,
        third_party_per_year=p.third_party_per_year,
        answer_third_party_per_year=answer_third_party_per_year,
        admin_fte=offer.operations.admin_fte,
        dba_fte=offer.operations.dba_fte,
        loaded_cost_per_fte=assumptions.loaded_cost_per_fte,
        services_cost=offer.implementation.services_cost,
        data_migration_cost=offer.implementation.data_migration_cost,
        integration_cost=offer.implementation.integration_cost,
        training_cost=offer.implementation.training_cost,
        effort_days=effort_days,
        cost_per_effort_day=assumptions.cost_per_effort_day,
        go_live_days=float(days),
        uptime_pct=float(expected_uptime_pct),
        users_affected_pct=assumptions.users_affected_pct,
        downtime_cost_per_user_hour=assumptions.downtime_cost_per_user_hour
        * assumptions.downtime_in_working_hours_pct
        / 100.0,
        credit_tiers=tuple((t.below_pct, t.credit_pct) for t in sla.credits),
        credit_cap_pct=sla.credit_cap_pct,
    )


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


def discount_factors(rate_pct: float, periods: int) -> FloatArray:
    """``1 / (1 + r)^t`` for t = 0..periods-1."""
    return (1.0 + rate_pct / 100.0) ** -np.arange(periods, dtype=float)


def npv(flows: npt.ArrayLike, rate_pct: float) -> float | FloatArray:
    """``Σ_t CF_t / (1 + r)^t`` over the last axis, t = 0 being the initial period."""
    cf = np.asarray(flows, dtype=float)
    value = cf @ discount_factors(rate_pct, cf.shape[-1])
    return float(value) if np.ndim(value) == 0 else np.asarray(value)


def crossover_time(cumulative_a: npt.ArrayLike, cumulative_b: npt.ArrayLike) -> float | None:
    """First time (in years, t = 0 initial) where two cumulative cost lines cross, or None.

    Between the yearly points the lines are straight, so the crossing is found by linear
    interpolation inside the year.  Lines that start equal and part, or touch without
    changing order, do not cross.
    """
    gap = np.asarray(cumulative_a, dtype=float) - np.asarray(cumulative_b, dtype=float)
    for t in range(1, gap.size):
        before, after = gap[t - 1], gap[t]
        if before != 0 and (after == 0 or np.sign(before) != np.sign(after)):
            if after == 0:
                # a touch counts only when the order changes afterwards (or the horizon ends there)
                later = gap[t + 1 :][gap[t + 1 :] != 0]
                if later.size and np.sign(later[0]) == np.sign(before):
                    continue
            return float(t - 1 + before / (before - after))
    return None


# ---------------------------------------------------------------------------- results
def _readonly(array: npt.ArrayLike) -> Any:
    out = np.array(array, copy=True)
    out.flags.writeable = False
    return out


def year_labels(horizon_years: int) -> list[str]:
    return ["initial", *[f"year {t}" for t in range(1, horizon_years + 1)]]


@dataclass(frozen=True, eq=False)
class TcoResult:
    """One offer's TCO: cost lines x periods (0 = initial, 1..H = years), NPV and cumulative cost."""

    bid_id: str
    label: str
    deployment: str
    inputs: TcoInputs
    initial: FloatArray
    monthly_rate: FloatArray
    from_go_live: BoolArray
    effort_answers: tuple[AnswerCost, ...] = ()

    def __post_init__(self) -> None:
        for name in ("initial", "monthly_rate", "from_go_live"):
            object.__setattr__(self, name, _readonly(getattr(self, name)))

    @classmethod
    def from_inputs(
        cls,
        inputs: TcoInputs,
        *,
        bid_id: str = "offer",
        label: str = "",
        deployment: str = "",
        effort_answers: tuple[AnswerCost, ...] = (),
    ) -> TcoResult:
        initial, rate, from_go_live = cost_schedule(inputs)
        return cls(bid_id, label or bid_id, deployment, inputs, initial, rate, from_go_live, effort_answers)

    # -------------------------------------------------------------- numbers
    @cached_property
    def monthly(self) -> FloatArray:
        """Cash flows per line and month 1..12H (the initial period not included)."""
        return _readonly(monthly_flows(self.monthly_rate, self.from_go_live, self.inputs.go_live_months))  # type: ignore[no-any-return]

    @cached_property
    def flows(self) -> FloatArray:
        """Cash flows per line (rows, in :data:`LINES` order) and period 0..H (columns)."""
        return _readonly(np.column_stack([self.initial, yearly(self.monthly)]))  # type: ignore[no-any-return]

    @property
    def lines(self) -> tuple[str, ...]:
        return LINES

    @property
    def horizon_years(self) -> int:
        return self.inputs.horizon_years

    @property
    def discount_rate_pct(self) -> float:
        return self.inputs.discount_rate_pct

    @property
    def by_period(self) -> FloatArray:
        """Total cost per period 0..H."""
        return self.flows.sum(axis=0)  # type: ignore[no-any-return]

    @property
    def total(self) -> float:
        """Undiscounted total over the initial period and the horizon."""
        return float(self.flows.sum())

    @property
    def npv(self) -> float:
        """Present value of all costs at the discount rate (t = 0 undiscounted)."""
        return float(npv(self.by_period, self.discount_rate_pct))

    @property
    def users(self) -> FloatArray:
        return users_by_year(self.inputs.users, self.inputs.user_growth_pct, self.horizon_years)

    @property
    def cost_per_user_year(self) -> float:
        """Undiscounted total divided by the user-years of the horizon."""
        return self.total / float(self.users.sum())

    def cumulative(self, *, discounted: bool = False) -> FloatArray:
        """Cumulative cost at t = 0..H (discounted with the TCO's rate if asked)."""
        flows = self.by_period
        if discounted:
            flows = flows * discount_factors(self.discount_rate_pct, flows.size)
        return np.cumsum(flows)

    # -------------------------------------------------------------- views
    def frame(self) -> pd.DataFrame:
        """Cost lines x periods (columns 0 = initial period, 1..H = years), plus a ``total`` column."""
        out = pd.DataFrame(
            self.flows, index=pd.Index(LINES, name="line"), columns=pd.RangeIndex(self.horizon_years + 1)
        )
        out.columns.name = "year"
        out["total"] = out.sum(axis=1)
        return out

    def summary(self) -> dict[str, float]:
        return {
            "total": self.total,
            "npv": self.npv,
            "cost_per_user_year": self.cost_per_user_year,
            "discount_rate_pct": self.discount_rate_pct,
            "horizon_years": float(self.horizon_years),
            "go_live_days": self.inputs.go_live_days,
        }

    def effort_frame(self) -> pd.DataFrame:
        """Answers to linked criteria that cost effort or a third-party product, one row each."""
        out = pd.DataFrame(
            [dataclasses.asdict(a) for a in self.effort_answers],
            columns=[f.name for f in dataclasses.fields(AnswerCost)],
        )
        out["effort_cost"] = out["effort_days"] * self.inputs.cost_per_effort_day
        return out.set_index("criterion")

    def cumulative_frame(self, *, discounted: bool = False) -> pd.DataFrame:
        return pd.DataFrame(
            {self.label: self.cumulative(discounted=discounted)},
            index=pd.RangeIndex(self.horizon_years + 1, name="year"),
        )

    def plot(self, ax: Axes | None = None, *, discounted: bool = False) -> Axes:
        """Cumulative cost curve."""
        from crmselect import plots

        return plots.cumulative_cost(self.cumulative_frame(discounted=discounted), ax=ax)

    def tornado(self, *, pct: float = 20.0) -> Tornado:
        return tornado(self.inputs, pct=pct, label=self.label)

    def _repr_html_(self) -> str:
        from crmselect import tables

        shown = self.frame()
        shown = shown.loc[(shown != 0).any(axis=1)]
        shown.columns = [*year_labels(self.horizon_years), "total"]
        notes = [
            f"Undiscounted total {self.total:,.0f}; NPV {self.npv:,.0f} at {self.discount_rate_pct:g} %; "
            f"{self.cost_per_user_year:,.0f} per user per year; go-live after {self.inputs.go_live_days:g} days."
        ]
        return tables.to_html(shown, caption=f"TCO: {self.label}", default_format="money", notes=notes)


@dataclass(frozen=True, eq=False)
class TcoComparison:
    """TCO of several bids side by side: NPV table, cumulative curves, crossovers, tornado."""

    results: tuple[TcoResult, ...]

    def __post_init__(self) -> None:
        if not self.results:
            raise AnalysisError("a TCO comparison needs at least one bid")

    @property
    def bid_ids(self) -> tuple[str, ...]:
        return tuple(r.bid_id for r in self.results)

    def __getitem__(self, bid_id: str) -> TcoResult:
        for result in self.results:
            if result.bid_id == bid_id:
                return result
        raise KeyError(f"no bid {bid_id!r}; bids are {list(self.bid_ids)}")

    def npvs(self) -> dict[str, float]:
        return {r.bid_id: r.npv for r in self.results}

    def frame(self) -> pd.DataFrame:
        """One row per bid: label, deployment, initial, undiscounted total, NPV, cost per user-year, rank."""
        rows = [
            {
                "bid": r.bid_id,
                "label": r.label,
                "deployment": r.deployment,
                "initial": float(r.by_period[0]),
                "total": r.total,
                "npv": r.npv,
                "cost_per_user_year": r.cost_per_user_year,
                "go_live_days": r.inputs.go_live_days,
            }
            for r in self.results
        ]
        out = pd.DataFrame(rows).set_index("bid")
        out["npv_rank"] = out["npv"].rank(method="min").astype(int)
        return out

    def lines(self) -> pd.DataFrame:
        """Cost lines x bids, NPV of each line."""
        data = {r.bid_id: npv(r.flows, r.discount_rate_pct) for r in self.results}
        return pd.DataFrame(data, index=pd.Index(LINES, name="line"))

    def cumulative(self, *, discounted: bool = False) -> pd.DataFrame:
        """Periods (0..H) x bids: cumulative cost."""
        data = {r.bid_id: r.cumulative(discounted=discounted) for r in self.results}
        return pd.DataFrame(data, index=pd.RangeIndex(self.results[0].horizon_years + 1, name="year"))

    def crossover(self, a: str, b: str, *, discounted: bool = False) -> float | None:
        """Year (fractional, t = 0 initial) where the cumulative costs of ``a`` and ``b`` cross, or None."""
        return crossover_time(self[a].cumulative(discounted=discounted), self[b].cumulative(discounted=discounted))

    def crossovers(self, *, discounted: bool = False) -> pd.DataFrame:
        """Every pair of bids whose cumulative costs cross: when, at what cost, which is cheaper after."""
        rows = []
        cumulative = self.cumulative(discounted=discounted)
        for a, b in itertools.combinations(self.bid_ids, 2):
            when = self.crossover(a, b, discounted=discounted)
            if when is None:
                continue
            years = cumulative.index.to_numpy(dtype=float)
            level = float(np.interp(when, years, cumulative[a].to_numpy()))
            end = cumulative.iloc[-1]
            cheaper = a if end[a] < end[b] else b
            rows.append({"a": a, "b": b, "year": when, "cumulative_cost": level, "cheaper_after": cheaper})
        return pd.DataFrame(rows, columns=["a", "b", "year", "cumulative_cost", "cheaper_after"])

    def tornado(self, bid_id: str, *, pct: float = 20.0) -> Tornado:
        return self[bid_id].tornado(pct=pct)

    def plot(self, ax: Axes | None = None, *, discounted: bool = False) -> Axes:
        """Cumulative cost curves, with every crossover marked."""
        from crmselect import plots

        curves = self.cumulative(discounted=discounted)
        curves.columns = [self[b].label for b in curves.columns]
        marks = self.crossovers(discounted=discounted)
        return plots.cumulative_cost(curves, crossovers=marks, ax=ax)

    def _repr_html_(self) -> str:
        from crmselect import tables

        formats = {
            "initial": "money",
            "total": "money",
            "npv": "money",
            "cost_per_user_year": "money",
            "go_live_days": "integer",
            "npv_rank": "integer",
        }
        notes = []
        for row in self.crossovers().itertuples():
            notes.append(f"{self[str(row.a)].label} and {self[str(row.b)].label} cross in year {row.year:.2f}.")
        first = self.results[0]
        caption = f"TCO over {first.horizon_years} years, NPV at {first.discount_rate_pct:g} %"
        return tables.to_html(self.frame(), caption=caption, formats=formats, colour_columns=(), notes=notes)


# ---------------------------------------------------------------------------- tornado
#: Inputs the tornado varies.  "relative": base ± pct %.  Tuples: a documented absolute low/high:
#: discount rate ±5 points around the assumption; user growth ±5 points; the renewal escalator
#: over 0..12 %/yr (uncapped Salesforce uplifts reported at 7-12 %, domain_facts §3.1; the
#: contract caps still apply); maintenance uplift 0..8 %/yr (Oracle's claimed 3-8 %).  Downtime is
#: varied as ± pct % of the unavailable share (100 - uptime).
TORNADO_INPUTS: tuple[tuple[str, str, str | tuple[float, float]], ...] = (
    ("users", "users", "relative"),
    ("user_growth_pct", "user growth %/yr", "points:5"),
    ("discount_rate_pct", "discount rate %", "points:5"),
    ("subscription_per_user_month", "subscription per user-month", "relative"),
    ("subscription_discount_pct", "subscription discount %", "relative"),
    ("renewal_escalator_pct", "renewal escalator %", (0.0, 12.0)),
    ("licence_per_user", "licence per user", "relative"),
    ("maintenance_pct", "maintenance %", "relative"),
    ("maintenance_uplift_pct", "maintenance uplift %", (0.0, 8.0)),
    ("hardware_initial", "hardware", "relative"),
    ("hosting_per_year", "hosting per year", "relative"),
    ("database_os_per_year", "database/OS per year", "relative"),
    ("premium_support_per_year", "premium support", "relative"),
    ("consumption_per_year", "consumption", "relative"),
    ("third_party_per_year", "third party", "relative"),
    ("answer_third_party_per_year", "third party (answers)", "relative"),
    ("admin_fte", "admin FTE", "relative"),
    ("dba_fte", "DBA FTE", "relative"),
    ("loaded_cost_per_fte", "loaded cost per FTE", "relative"),
    ("services_cost", "implementation services", "relative"),
    ("data_migration_cost", "data migration", "relative"),
    ("integration_cost", "integration", "relative"),
    ("training_cost", "training", "relative"),
    ("effort_days", "extra effort days", "relative"),
    ("cost_per_effort_day", "cost per effort day", "relative"),
    ("go_live_days", "go-live days", "relative"),
    ("uptime_pct", "uptime % (downtime ± pct)", "downtime"),
    ("downtime_cost_per_user_hour", "downtime cost per user-hour", "relative"),
)

_BOUNDS = {
    "subscription_discount_pct": (0.0, 100.0),
    "maintenance_pct": (0.0, 100.0),
    "user_growth_pct": (-50.0, 200.0),
    "discount_rate_pct": (0.0, 50.0),
    "users": (1.0, math.inf),
}


def _low_high(inputs: TcoInputs, field: str, how: str | tuple[float, float], pct: float) -> tuple[float, float]:
    base = float(getattr(inputs, field))
    if isinstance(how, tuple):
        low, high = how
    elif how == "relative":
        low, high = base * (1 - pct / 100), base * (1 + pct / 100)
    elif how.startswith("points:"):
        step = float(how.split(":")[1])
        low, high = base - step, base + step
    else:  # downtime: vary the unavailable share
        down = 100.0 - base
        low, high = 100.0 - down * (1 - pct / 100), 100.0 - min(down * (1 + pct / 100), 100.0)
    lo_bound, hi_bound = _BOUNDS.get(field, (0.0, math.inf))
    return max(low, lo_bound), min(high, hi_bound)


@dataclass(frozen=True, eq=False)
class Tornado:
    """NPV swing of each input between its low and high value, largest first."""

    label: str
    base_npv: float
    table: pd.DataFrame

    def frame(self) -> pd.DataFrame:
        """Index: input; columns: base, low, high, npv_low, npv_high, swing (sorted by swing)."""
        return self.table.copy()

    def plot(self, ax: Axes | None = None, *, top: int = 12) -> Axes:
        from crmselect import plots

        return plots.tornado(self.table.head(top), base=self.base_npv, title=f"NPV tornado: {self.label}", ax=ax)

    def _repr_html_(self) -> str:
        from crmselect import tables

        formats = {"npv_low": "money", "npv_high": "money", "swing": "money"}
        return tables.to_html(
            self.table,
            caption=f"What moves the NPV of {self.label} most (base {self.base_npv:,.0f})",
            formats=formats,
            default_format="number",
        )


def tornado(inputs: TcoInputs, *, pct: float = 20.0, label: str = "") -> Tornado:
    """Vary each input of :data:`TORNADO_INPUTS` on its own and record the NPV at low and high."""
    if not 0 < pct < 100:
        raise AnalysisError(f"pct must be within 0..100 exclusive (received {pct})")
    base_npv = TcoResult.from_inputs(inputs).npv
    rows = []
    for field, name, how in TORNADO_INPUTS:
        low, high = _low_high(inputs, field, how, pct)
        cast = int if field in {"horizon_years"} else float
        values = []
        for value in (low, high):
            values.append(TcoResult.from_inputs(inputs.replace(**{field: cast(value)})).npv)
        swing = abs(values[1] - values[0])
        if swing > 1e-6 * max(1.0, abs(base_npv)):
            rows.append(
                {
                    "input": name,
                    "base": float(getattr(inputs, field)),
                    "low": low,
                    "high": high,
                    "npv_low": values[0],
                    "npv_high": values[1],
                    "swing": swing,
                }
            )
    columns = ["input", "base", "low", "high", "npv_low", "npv_high", "swing"]
    table = pd.DataFrame(rows, columns=columns).set_index("input").sort_values("swing", ascending=False)
    return Tornado(label=label or "offer", base_npv=base_npv, table=table)


# ---------------------------------------------------------------------------- wrappers
def effort_answers(project: Project, bid_id: str, assumptions: Assumptions) -> tuple[AnswerCost, ...]:
    """The bid's coded answers to linked criteria that cost effort days or a third-party product."""
    bid = project.bid(bid_id)
    scale = project.effective_scale
    out = []
    for criterion_id in project.linked_criteria:
        answer = bid.answers.get(criterion_id)
        if answer is None or answer.code is None:
            continue
        try:
            code = scale.code(answer.code)
        except KeyError:  # the loaders refuse unknown codes; a hand-built project may not
            continue
        days = (
            float(assumptions.effort_days.get(code.effort, 0.0)) if answer.effort_days is None else answer.effort_days
        )
        cost = answer.third_party_cost_per_year or 0.0
        if days > 0 or cost > 0:
            out.append(AnswerCost(criterion_id, code.code, code.effort.value, days, cost, answer.third_party_product))
    return tuple(out)


def _bid_or_error(project: Project, bid_id: str) -> Any:
    try:
        return project.bid(bid_id)
    except KeyError:
        raise AnalysisError(f"no bid {bid_id!r}; bids are {[b.id for b in project.bids]}") from None


def tco(
    project: Project,
    bid_id: str,
    *,
    assumptions: Assumptions | None = None,
    go_live_days: float | None = None,
    expected_uptime_pct: float | None = None,
    uptime_shortfall_pct: float = 0.0,
) -> TcoResult:
    """The TCO of one bid (offer) under the selection's assumptions (or ``assumptions``).

    ``go_live_days`` replaces the vendor's claimed go-live; ``expected_uptime_pct`` (or a
    shortfall in points below the committed uptime) sets the uptime used for downtime and credits.
    """
    bid = _bid_or_error(project, bid_id)
    assumptions = assumptions or project.selection.assumptions
    effort = effort_answers(project, bid_id, assumptions)
    inputs = tco_inputs(
        bid.offer,
        assumptions,
        effort_days=sum(a.effort_days for a in effort),
        answer_third_party_per_year=sum(a.third_party_cost_per_year for a in effort),
        go_live_days=go_live_days,
        expected_uptime_pct=expected_uptime_pct,
        uptime_shortfall_pct=uptime_shortfall_pct,
    )
    return TcoResult.from_inputs(
        inputs, bid_id=bid.id, label=bid.label, deployment=bid.offer.deployment.value, effort_answers=effort
    )


def compare_tco(
    project: Project,
    bid_ids: Iterable[str] | None = None,
    *,
    assumptions: Assumptions | None = None,
    uptime_shortfall_pct: float = 0.0,
    go_live_days: Mapping[str, float] | None = None,
) -> TcoComparison:
    """TCO of every bid (or of ``bid_ids``) under the same assumptions."""
    ids: Sequence[str] = [b.id for b in project.bids] if bid_ids is None else list(bid_ids)
    go_live = dict(go_live_days or {})
    results = tuple(
        tco(
            project,
            bid_id,
            assumptions=assumptions,
            uptime_shortfall_pct=uptime_shortfall_pct,
            go_live_days=go_live.get(bid_id),
        )
        for bid_id in ids
    )
    return TcoComparison(results)
