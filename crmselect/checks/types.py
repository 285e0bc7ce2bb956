"""What a check is: severities and their penalties, scopes, the ``Check`` record, and the rule book
that the rule modules (:mod:`crmselect.checks.sla_rules`, :mod:`crmselect.checks.contract_rules`) fill with
``@rule(code, title, severity, lever, scope)``.  :mod:`crmselect.checks.report` joins the rule books into
``CHECKS`` and runs them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from crmselect.model.bids import Deployment, Offer


class Severity(enum.StrEnum):
    high = "high"
    medium = "medium"
    low = "low"

    @property
    def rank(self) -> int:
        """0 for high, 1 medium, 2 low: sort key, most serious first."""
        return list(Severity).index(self)


#: Score lost per finding; a score is ``max(0, 1 - Σ penalty)``.
PENALTY: dict[Severity, float] = {Severity.high: 0.25, Severity.medium: 0.10, Severity.low: 0.03}


class Scope(enum.Enum):
    """Which offers a rule applies to."""

    every_offer = "every offer"
    vendor_run = "saas, hosted"
    escrow = "on_premise, hosted"
    licence = "licence-based offers paying maintenance"
    subscription = "subscription offers"

    def covers(self, offer: Offer) -> bool:
        price = offer.pricing
        if self is Scope.vendor_run:
            return offer.deployment in (Deployment.saas, Deployment.hosted)
        if self is Scope.escrow:
            return offer.deployment in (Deployment.on_premise, Deployment.hosted)
        if self is Scope.licence:
            return price.licence_per_user is not None and price.maintenance_pct > 0
        if self is Scope.subscription:
            return price.subscription_per_user_month is not None
        return True


Finder = Callable[[Offer], str | None]


@dataclass(frozen=True)
class Check:
    """One rule: ``find(offer)`` returns the red flag in the offer's own figures, or None."""

    code: str
    title: str
    severity: Severity
    lever: str
    find: Finder
    scope: Scope = Scope.every_offer

    @property
    def area(self) -> str:
        return "sla" if self.code.startswith("SLA") else "contract"

    def applies(self, offer: Offer) -> bool:
        return self.scope.covers(offer)

    def explain(self, offer: Offer) -> str | None:
        """The explanation when the rule fires on ``offer``; None when it does not or does not apply."""
        return self.find(offer) if self.applies(offer) else None


class RuleBook:
    """An ordered list of rules, filled at import time by the ``@book.rule(...)`` decorator."""

    def __init__(self) -> None:
        self._checks: list[Check] = []

    def rule(self, code: str, title: str, severity: Severity, lever: str, scope: Scope = Scope.every_offer
             ) -> Callable[[Finder], Finder]:
        """Decorator: register ``find`` as the rule ``code`` and return it unchanged."""
        def register(find: Finder) -> Finder:
            self._checks.append(Check(code, title, severity, lever, find, scope))
            return find

        return register

    @property
    def checks(self) -> tuple[Check, ...]:
        """The rules in the order they were registered."""
        return tuple(self._checks)


def figure(value: float) -> str:
    """A number as the rules write it: ``99.9``, ``4``, ``0.5`` (``format(value, "g")``)."""
    return f"{value:g}"


def months(value: float) -> str:
    """``"1 month"``, ``"3 months"``."""
    return f"{value:g} month" if value == 1 else f"{value:g} months"


HIGH, MEDIUM, LOW = Severity.high, Severity.medium, Severity.low
VENDOR_RUN = Scope.vendor_run

__all__ = [
    "HIGH",
    "LOW",
    "MEDIUM",
    "PENALTY",
    "VENDOR_RUN",
    "Check",
    "Finder",
    "RuleBook",
    "Scope",
    "Severity",
    "figure",
    "months",
]
