"""Money: TCO (kernels, results, comparison), tornado, ROI, implementation risk, and price-scoring kernels.

Price scoring takes numbers in (NPVs, technical totals); :mod:`crmselect.evaluation` hands them over.
The one sibling import allowed: the SLA arithmetic in :mod:`crmselect.checks.slamath`.
"""

from crmselect.money.costs import compare_tco, tco
from crmselect.money.drivers import Tornado, tornado
from crmselect.money.phase_risk import PlanResult, plan_risk
from crmselect.money.phasing import PhaseSchedule, phase_schedule, propose_plan
from crmselect.money.price import METHODS, PriceFrontier, frontier, price_frontier, price_scores, price_values
from crmselect.money.results import TcoComparison, TcoResult
from crmselect.money.returns import compare_roi, roi
from crmselect.money.risk import simulate_npv, simulate_risk

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
