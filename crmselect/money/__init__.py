"""Money: TCO (kernels, results, comparison), tornado, ROI, implementation risk, and price-scoring kernels.

Price scoring takes numbers in (NPVs, technical totals); :mod:`crmselect.evaluation` hands them over.
The one sibling import allowed: the SLA arithmetic in :mod:`crmselect.checks.slamath`.
"""

from crmselect.money.costs import compare_tco, tco
from crmselect.money.drivers import Tornado, tornado
from crmselect.money.price import METHODS, PriceFrontier, frontier, price_frontier, price_scores, price_values
from crmselect.money.results import TcoComparison, TcoResult
from crmselect.money.returns import compare_roi, roi
from crmselect.money.risk import simulate_npv, simulate_risk

__all__ = [
    "METHODS",
    "PriceFrontier",
    "TcoComparison",
    "TcoResult",
    "Tornado",
    "compare_roi",
    "compare_tco",
    "frontier",
    "price_frontier",
    "price_scores",
    "price_values",
    "roi",
    "simulate_npv",
    "simulate_risk",
    "tco",
    "tornado",
]
