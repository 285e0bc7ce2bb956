"""SLA arithmetic shared by the TCO (:mod:`crmselect.money.costs`) and the SLA checks (:mod:`crmselect.checks.report`).

Pure functions, no model validation: uptime percentage -> allowed downtime, and a service-credit
schedule -> the credit owed at a given uptime.  Conventions (domain_facts §4.1): a month is
30 days = 43,200 minutes, a quarter 90 days = 129,600 minutes, a year 365 days = 525,600 minutes.

Credit tiers follow :class:`crmselect.model.bids.CreditTier`: ``credit_pct`` of the monthly fee is owed
when the measured uptime is *strictly below* ``below_pct``; the lowest tier that applies wins
(Microsoft Dynamics 365: <99.9 -> 25 %, <99 -> 50 %, <95 -> 100 %).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import numpy as np
import numpy.typing as npt

MINUTES_PER_PERIOD: dict[str, float] = {
    "month": 30 * 24 * 60.0,
    "quarter": 90 * 24 * 60.0,
    "year": 365 * 24 * 60.0,
}
_PERIOD_ALIASES = {"monthly": "month", "quarterly": "quarter", "yearly": "year", "annual": "year"}

#: Uptime assumed when an SLA gives no figure ("commercially reasonable efforts" or none).  A
#: pessimistic default: 99.0 % is the bottom of the 99-99.7 % range the on-demand CRM vendors
#: guaranteed in 2006 (domain_facts §4.1, [S9]) and the second Microsoft credit threshold.
PESSIMISTIC_UPTIME_PCT = 99.0


class CreditTierLike(Protocol):
    """Anything with ``below_pct`` and ``credit_pct`` (e.g. :class:`crmselect.model.bids.CreditTier`)."""

    @property
    def below_pct(self) -> float: ...

    @property
    def credit_pct(self) -> float: ...


def _minutes(period: str) -> float:
    key = str(getattr(period, "value", period)).lower()
    key = _PERIOD_ALIASES.get(key, key)
    try:
        return MINUTES_PER_PERIOD[key]
    except KeyError:
        allowed = sorted([*MINUTES_PER_PERIOD, *_PERIOD_ALIASES])
        raise ValueError(f"period must be one of {allowed} (received {period!r})") from None


def allowed_downtime_minutes(uptime_pct: float, period: str = "month") -> float:
    """Minutes of downtime an uptime percentage allows in one period (month, quarter or year).

    >>> allowed_downtime_minutes(99.9, "month")
    43.2
    """
    if not 0.0 <= uptime_pct <= 100.0:
        raise ValueError(f"uptime_pct must be within 0..100 (received {uptime_pct})")
    return round((100.0 - uptime_pct) / 100.0 * _minutes(period), 10)


def allowed_downtime_hours_per_year(uptime_pct: float) -> float:
    """Hours of downtime per 365-day year at ``uptime_pct``."""
    return allowed_downtime_minutes(uptime_pct, "year") / 60.0


def _tiers(credits: Iterable[CreditTierLike | tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for tier in credits:
        if isinstance(tier, tuple):
            out.append((float(tier[0]), float(tier[1])))
        else:
            out.append((float(tier.below_pct), float(tier.credit_pct)))
    return out


def expected_credit_pct(
    credits: Iterable[CreditTierLike | tuple[float, float]],
    uptime_pct: float,
    cap: float | None = None,
) -> float:
    """Service credit (in % of the period's fee) owed at ``uptime_pct`` under a credit schedule.

    The credit is that of the lowest threshold strictly above the uptime (uptime exactly at a
    threshold earns nothing from that tier), then limited by ``cap`` (a % of the fee; None = no cap).
    Tiers may be given in any order, as objects with ``below_pct``/``credit_pct`` or as pairs.
    """
    credit = 0.0
    best_threshold = np.inf
    for below, pct in _tiers(credits):
        if uptime_pct < below and below < best_threshold:
            best_threshold, credit = below, pct
    if cap is not None:
        credit = min(credit, cap)
    return credit


def expected_credit_pct_array(
    credits: Iterable[CreditTierLike | tuple[float, float]],
    uptime_pct: npt.ArrayLike,
    cap: float | None = None,
) -> npt.NDArray[np.float64]:
    """Vectorised :func:`expected_credit_pct` over an array of uptimes (for Monte Carlo draws)."""
    uptime = np.asarray(uptime_pct, dtype=float)
    credit = np.zeros_like(uptime)
    # highest threshold first, so lower (stricter) tiers overwrite
    for below, pct in sorted(_tiers(credits), reverse=True):
        credit = np.where(uptime < below, pct, credit)
    if cap is not None:
        credit = np.minimum(credit, cap)
    return credit
