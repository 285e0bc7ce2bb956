"""Money: TCO (kernels, results, comparison), tornado, ROI, implementation risk, and price-scoring kernels.

Price scoring takes numbers in (NPVs, technical totals); :mod:`crmselect.evaluation` hands them over.
The one sibling import allowed: the SLA arithmetic in :mod:`crmselect.checks.slamath`.
"""

from typing import TYPE_CHECKING

from crmselect.imports import lazy_exports

if TYPE_CHECKING:
    from crmselect.money.costs import compare_tco, tco
    from crmselect.money.drivers import Tornado, tornado
    from crmselect.money.phase_risk import PlanResult, plan_risk
    from crmselect.money.phasing import PhaseSchedule, phase_schedule, propose_plan
    from crmselect.money.price import METHODS, PriceFrontier, frontier, price_frontier, price_scores, price_values
    from crmselect.money.results import TcoComparison, TcoResult
    from crmselect.money.returns import compare_roi, roi
    from crmselect.money.risk import simulate_npv, simulate_risk

# each public name -> its module: imported when the name is first used, so that a command loads only
# what it runs
__getattr__, __dir__ = lazy_exports(__name__, {
    "compare_tco": "costs",
    "tco": "costs",
    "Tornado": "drivers",
    "tornado": "drivers",
    "PlanResult": "phase_risk",
    "plan_risk": "phase_risk",
    "PhaseSchedule": "phasing",
    "phase_schedule": "phasing",
    "propose_plan": "phasing",
    "METHODS": "price",
    "PriceFrontier": "price",
    "frontier": "price",
    "price_frontier": "price",
    "price_scores": "price",
    "price_values": "price",
    "TcoComparison": "results",
    "TcoResult": "results",
    "compare_roi": "returns",
    "roi": "returns",
    "simulate_npv": "risk",
    "simulate_risk": "risk",
})

__all__ = [
    "METHODS",
    "PhaseSchedule",
    "PlanResult",
    "PriceFrontier",
    "TcoComparison",
    "TcoResult",
    "Tornado",
    "compare_roi",
    "compare_tco",
    "frontier",
    "phase_schedule",
    "plan_risk",
    "price_frontier",
    "price_scores",
    "price_values",
    "propose_plan",
    "roi",
    "simulate_npv",
    "simulate_risk",
    "tco",
    "tornado",
]
