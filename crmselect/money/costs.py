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
:mod:`crmselect.money.returns` and :mod:`crmselect.money.risk` reuse the monthly schedule.

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
- upgrade re-work (custom code): every answer to a linked criterion coded with a scale code that
  carries an upgrade risk (X customisation in the shipped scale) is partly redone at each upgrade
  that touches custom code: its effort days x ``cost_per_effort_day`` x ``upgrade_rework.rework_pct``
  x the upgrades a year of the offer's deployment (``selection.yaml`` ``upgrade_rework``; defaults
  15 % and 2 a year for SaaS, 1 hosted, 0.25 on-premise: docs/UPGRADES.md), yearly from go-live.
- own recovery (on-premise offers only): ``own_recovery.cost_per_year`` of ``selection.yaml``, our
  own second site, backups and yearly test for a system we run, yearly from go-live, paid in
  advance when ``own_recovery.paid_in_advance``.
- downtime: downtime hours a year allowed by the uptime (``slamath``; an SLA with no figure -
  "reasonable efforts" or none - is assumed to deliver ``assumptions.unbacked_uptime_pct``,
  default 99.0 %, or ``self_run_uptime_pct`` for an on-premise system the company runs) x users
  affected x ``downtime_cost_per_user_hour`` x the share of downtime in working hours;
  scheduled-maintenance windows excluded from the SLA are not costed.
- service credits (negative): credit owed at the expected uptime under the credit schedule, as a
  % of the subscription and hosting fees.  The expected uptime is the committed one unless you
  give ``expected_uptime_pct`` or an ``uptime_shortfall_pct``; at exactly the committed uptime
  no credit is owed.

The code is split by layer: :mod:`crmselect.money.kernels` holds the pure array maths
(:class:`TcoInputs`, :func:`cost_schedule`, :func:`npv`, :func:`crossover_time` ...),
:mod:`crmselect.money.results` the result objects (:class:`TcoResult`, :class:`TcoComparison`),
:mod:`crmselect.money.drivers` the NPV tornado, and this module the wrappers that read a project
(:func:`tco`, :func:`compare_tco`, :func:`tco_inputs`, :func:`effort_answers`).  Every name is
importable from here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from crmselect.errors import AnalysisError
from crmselect.model.bids import Deployment, MaintenanceBase, Offer, PayableLine, TrueUpPrice
from crmselect.model.goals import Assumptions
from crmselect.model.settings import OwnRecovery, UpgradeRework
from crmselect.money.drivers import TORNADO_INPUTS, Tornado, tornado
from crmselect.money.kernels import (
    DAYS_PER_MONTH,
    DEFAULT_ADVANCE,
    IMPLEMENTATION_LINES,
    LINES,
    MONTHS_PER_YEAR,
    BoolArray,
    FloatArray,
    TcoInputs,
    cash_by_month,
    cheaper_periods,
    cost_schedule,
    crossing_times,
    crossover_time,
    discount_factors,
    live_fraction,
    month_line_factors,
    monthly_flows,
    npv,
    renewals_by_year,
    seats_by_year,
    tco_npv,
    timed_flows,
    users_by_year,
    yearly,
)
from crmselect.money.results import AnswerCost, TcoComparison, TcoResult, year_labels

if TYPE_CHECKING:
    from crmselect.model.project import Project


# ---------------------------------------------------------------------------- inputs
def assumed_uptime_pct(offer: Offer, assumptions: Assumptions) -> float:
    """Uptime to cost downtime with when the SLA names none: the company's own for self-run systems."""
    if offer.deployment is Deployment.on_premise and assumptions.self_run_uptime_pct is not None:
        return assumptions.self_run_uptime_pct
    return assumptions.unbacked_uptime_pct


#: The kernel's cost line for each payable line of an offer's pricing.
LINE_OF: dict[PayableLine, str] = {
    PayableLine.subscription: "subscription", PayableLine.licence_true_ups: "licence true-ups",
    PayableLine.maintenance: "maintenance", PayableLine.hosting: "hosting", PayableLine.database_os: "database and OS",
    PayableLine.premium_support: "premium support", PayableLine.consumption: "consumption",
    PayableLine.third_party: "third party",
}


def tco_inputs(
    offer: Offer,
    assumptions: Assumptions,
    *,
    effort_days: float = 0.0,
    answer_third_party_per_year: float = 0.0,
    go_live_days: float | None = None,
    expected_uptime_pct: float | None = None,
    uptime_shortfall_pct: float = 0.0,
    custom_code_days: float = 0.0,
    upgrade_rework: UpgradeRework | None = None,
    own_recovery: OwnRecovery | None = None,
) -> TcoInputs:
    """Flatten an offer and the company's assumptions into :class:`TcoInputs`.

    ``custom_code_days``: the effort days of the answers in custom code, partly redone at each upgrade
    (``upgrade_rework``, default :class:`UpgradeRework`); ``own_recovery``: our own recovery, costed for an
    on-premise offer only.
    """
    p, c, sla = offer.pricing, offer.contract, offer.sla
    caps = [cap for cap in (p.renewal_cap_pct, c.renewal_price_cap_pct) if cap is not None]
    renewal_period = c.renewal_term_years if c.auto_renewal and c.renewal_term_years >= 1 else p.term_years
    if expected_uptime_pct is None:
        committed = sla.uptime_pct if sla.uptime_pct is not None else assumed_uptime_pct(offer, assumptions)
        expected_uptime_pct = committed - uptime_shortfall_pct
    if not 0.0 <= expected_uptime_pct <= 100.0:
        raise AnalysisError(f"expected uptime must be within 0..100 % (received {expected_uptime_pct})")
    rework = upgrade_rework or UpgradeRework()
    upgrade_rework_per_year = (custom_code_days * assumptions.cost_per_effort_day * rework.rework_pct / 100.0
                               * rework.per_year(offer.deployment.value))
    ours = own_recovery if offer.deployment is Deployment.on_premise else None
    advance = frozenset(LINE_OF[line] for line in p.paid_in_advance)
    if ours is not None and ours.paid_in_advance:
        advance |= {"own recovery"}
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
        upgrade_rework_per_year=upgrade_rework_per_year,
        own_recovery_per_year=0.0 if ours is None else ours.cost_per_year,
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
        paid_in_advance=advance,
        credit_cap_pct=sla.credit_cap_pct,
    )


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
            out.append(AnswerCost(criterion_id, code.code, code.effort.value, days, cost, answer.third_party_product,
                                  code.upgrade_risk))
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
        custom_code_days=sum(a.effort_days for a in effort if a.upgrade_risk),
        upgrade_rework=None if project.settings is None else project.settings.upgrade_rework,
        own_recovery=None if project.settings is None else project.settings.own_recovery,
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


__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_ADVANCE",
    "IMPLEMENTATION_LINES",
    "LINES",
    "MONTHS_PER_YEAR",
    "TORNADO_INPUTS",
    "AnswerCost",
    "BoolArray",
    "FloatArray",
    "TcoComparison",
    "TcoInputs",
    "TcoResult",
    "Tornado",
    "assumed_uptime_pct",
    "cash_by_month",
    "cheaper_periods",
    "compare_tco",
    "cost_schedule",
    "crossing_times",
    "crossover_time",
    "discount_factors",
    "effort_answers",
    "live_fraction",
    "month_line_factors",
    "monthly_flows",
    "npv",
    "renewals_by_year",
    "seats_by_year",
    "tco",
    "tco_inputs",
    "tco_npv",
    "timed_flows",
    "tornado",
    "users_by_year",
    "year_labels",
    "yearly",
]
