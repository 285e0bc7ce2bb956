"""How the buyer's readiness stretches an implementation: a stated multiplier on every plan's duration.

The model (sources and reasoning in ``docs/READINESS.md``):

- a factor in place adds nothing, one partly in place counts half, one missing counts in full;
- each factor has a share of the whole effect (:data:`FACTOR_SHARES`, summing to 1), and a company
  missing every factor takes :data:`ALL_MISSING` times as long: the Standish CHAOS average for
  challenged and cancelled projects, 222 % of the planned time;
- the multiplier is ``ALL_MISSING ** sum(share x gap)``, so shares combine multiplicatively and
  a factor's own effect does not depend on the others.

The same multiplier applies to every bid: readiness is the company's, not the vendor's.  It
scales the Monte Carlo's duration draws (:func:`crmselect.money.risk.simulate_risk`), and from them
go-live, the services billed for the delay, the start of benefits, ROI and payback.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from crmselect.model.readiness import FACTORS, Rating, Readiness
from crmselect.show.i18n import N_

#: Standish CHAOS (1994/95): challenged and cancelled projects took 222 % of the original time.
ALL_MISSING = 2.22
GAP = {Rating.in_place: 0.0, Rating.partly: 0.5, Rating.missing: 1.0}
#: Each factor's share of the effect: judgement, ordered by how often the factor is named among the
#: success factors of CRM projects (docs/READINESS.md).
FACTOR_SHARES: Mapping[str, float] = {
    "executive_sponsor": 0.18,
    "steering_committee": 0.10,
    "defined_processes": 0.14,
    "change_management": 0.14,
    "training_plan": 0.12,
    "data_quality": 0.14,
    "internal_staff": 0.10,
    "infrastructure": 0.08,
}
ACTIONS: Mapping[str, str] = {  # marked for translation; surfaces show them with _()
    "executive_sponsor": N_("name an executive sponsor who owns the benefits"),
    "steering_committee": N_("set up a steering committee that meets and decides"),
    "defined_processes": N_("write down and agree the sales and service processes"),
    "change_management": N_("plan the change: who works differently, and how they are brought along"),
    "training_plan": N_("plan training and free the users' time for it"),
    "data_quality": N_("clean the customer data and give it an owner before migration"),
    "internal_staff": N_("free our own people for the project"),
    "infrastructure": N_("get network, devices, identity and integration endpoints ready"),
}


def multiplier_kernel(gaps: Mapping[str, float]) -> float:
    """``ALL_MISSING ** sum(share x gap)`` over the factors (gap 0 = in place, 1 = missing)."""
    exponent = sum(FACTOR_SHARES[name] * gaps.get(name, 0.0) for name in FACTORS)
    return float(ALL_MISSING**exponent)


@dataclass(frozen=True)
class ReadinessEffect:
    """The multiplier on every plan's duration, and what each factor not in place costs."""

    multiplier: float
    gaps: Mapping[str, float]
    evidence: Mapping[str, str]

    def alone(self, factor: str) -> float:
        """The multiplier with ``factor`` put in place and the rest as rated."""
        return multiplier_kernel({**self.gaps, factor: 0.0})

    def actions(self, limit: int = 3) -> list[tuple[str, str, float]]:
        """The factors whose fixing saves most: (factor, action, share of the added time removed)."""
        added = self.multiplier - 1.0
        if added <= 0:
            return []
        saved = [(name, ACTIONS[name], (self.multiplier - self.alone(name)) / added)
                 for name in FACTORS if self.gaps[name] > 0]
        return sorted(saved, key=lambda item: -item[2])[:limit]

    def adds_days(self, planned_days: float) -> float:
        """Days readiness adds to a duration of ``planned_days`` (any percentile: the scaling is linear)."""
        return (self.multiplier - 1.0) * planned_days


def readiness_effect(readiness: Readiness | None) -> ReadinessEffect | None:
    """The effect of the committee's readiness assessment; None when the selection has none."""
    if readiness is None:
        return None
    ratings = readiness.ratings()
    gaps = {name: GAP[rating.rating] for name, rating in ratings.items()}
    return ReadinessEffect(multiplier_kernel(gaps), gaps, {name: r.evidence for name, r in ratings.items()})


def months(days: float) -> float:
    return days / (365.0 / 12.0)


__all__ = [
    "ACTIONS",
    "ALL_MISSING",
    "FACTOR_SHARES",
    "GAP",
    "ReadinessEffect",
    "months",
    "multiplier_kernel",
    "readiness_effect",
]
assert math.isclose(sum(FACTOR_SHARES.values()), 1.0)
