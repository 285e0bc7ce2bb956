"""What a check is: severities and their penalties, scopes, the ``Check`` record, and the rule book
that the rule modules (:mod:`crmselect.checks.sla_rules`, :mod:`crmselect.checks.contract_rules`) fill with
``@rule(code, severity, scope, **thresholds)``.  :mod:`crmselect.checks.report` joins the rule books into
``CHECKS`` and runs them.

A check's words (title, lever, explanations) are data, in English and Chinese, in ``rules.yaml``
(:mod:`crmselect.checks.wording`): a rule returns a :class:`~crmselect.checks.wording.Reason` (a template
key and the offer's figures), and the texts are rendered in the surface's language when shown.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from crmselect.checks.wording import Param, Reason, rule_text
from crmselect.model.bids import Deployment, Offer
from crmselect.model.frozen import FrozenDict


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


Finder = Callable[[Offer], Reason | None]


@dataclass(frozen=True)
class Check:
    """One rule: ``find(offer)`` returns why it fires on the offer (template key and figures), or None.

    ``values`` are the thresholds its title and lever quote.  ``title`` and ``lever`` are in the
    current language of the surface; ``title_in(language)``/``lever_in(language)`` in another.
    """

    code: str
    severity: Severity
    find: Finder
    scope: Scope = Scope.every_offer
    values: FrozenDict = field(default_factory=FrozenDict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", FrozenDict(self.values))

    @property
    def area(self) -> str:
        return "sla" if self.code.startswith("SLA") else "contract"

    @property
    def title(self) -> str:
        return self.title_in()

    @property
    def lever(self) -> str:
        return self.lever_in()

    def title_in(self, language: str | None = None) -> str:
        """The title in ``language`` (None: the current language)."""
        return rule_text(self.code).part("title", self.values, language)

    def lever_in(self, language: str | None = None) -> str:
        """What to ask the vendor for, in ``language`` (None: the current language)."""
        return rule_text(self.code).part("lever", self.values, language)

    def applies(self, offer: Offer) -> bool:
        return self.scope.covers(offer)

    def reason(self, offer: Offer) -> Reason | None:
        """Why the rule fires on ``offer``; None when it does not or does not apply."""
        return self.find(offer) if self.applies(offer) else None

    def explain(self, offer: Offer, language: str | None = None) -> str | None:
        """The explanation, in ``language`` (None: the current one), when the rule fires on ``offer``."""
        why = self.reason(offer)
        return None if why is None else self.explanation(why, language)

    def explanation(self, why: Reason, language: str | None = None) -> str:
        """The explanation ``why`` names, in ``language`` (None: the current language)."""
        return rule_text(self.code).explain(why, language)


class RuleBook:
    """An ordered list of rules, filled at import time by the ``@book.rule(...)`` decorator."""

    def __init__(self) -> None:
        self._checks: list[Check] = []

    def rule(self, code: str, severity: Severity, scope: Scope = Scope.every_offer, **values: Param
             ) -> Callable[[Finder], Finder]:
        """Decorator: register ``find`` as the rule ``code`` and return it unchanged.

        Its words are ``code``'s entry in ``rules.yaml``; ``values`` fill the title's and lever's placeholders.
        """
        def register(find: Finder) -> Finder:
            self._checks.append(Check(code, severity, find, scope, FrozenDict(values)))
            return find

        return register

    @property
    def checks(self) -> tuple[Check, ...]:
        """The rules in the order they were registered."""
        return tuple(self._checks)


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
    "Reason",
    "RuleBook",
    "Scope",
    "Severity",
]
