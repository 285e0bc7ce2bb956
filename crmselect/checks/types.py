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
from crmselect.model.settings import OwnRecovery


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
    saas = "saas"

    def covers(self, offer: Offer) -> bool:
        price = offer.pricing
        if self is Scope.saas:
            return offer.deployment is Deployment.saas
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
class CodedAnswer:
    """A bid's answer to a linked criterion with a compliance code, and what its code carries."""

    criterion: str
    code: str
    upgrade_risk: bool = False  # custom code (X): may break at the next release
    must_be_priced: bool = False  # a third-party product (T): its price must be in the bid
    third_party_product: str = ""
    third_party_cost_per_year: float | None = None
    #: what the code is worth on the compliance scale (S 1.0 ... N 0)
    value: float = 0.0


#: The jurisdiction of a selection without ``selection.yaml`` (and the default of one): SOC 2 / ISO 27001.
INTERNATIONAL = "international"


@dataclass(frozen=True)
class BidContext:
    """What a bid rule reads beyond the offer: the bid's coded answers to linked criteria, our own recovery
    (for a system we run), and the share of custom code above which a bid gets a finding.

    And what the selection decides for every rule (``selection.yaml``): the ``jurisdiction`` whose certification
    and data-protection rules apply, whether a domestic technology stack is required, the codes the committee
    ignores (with their reasons), and the bid's answer to the catalogue's PIPL criterion (``pipl``; ``pipl_asked``
    is false when the selection's catalogue has no such criterion)."""

    answers: tuple[CodedAnswer, ...] = ()
    own_recovery: OwnRecovery | None = None
    high_custom_share_pct: float = 10.0
    jurisdiction: str = INTERNATIONAL
    require_domestic_stack: bool = False
    ignored: tuple[str, ...] = ()
    ignore_reasons: FrozenDict = field(default_factory=FrozenDict)
    pipl: CodedAnswer | None = None
    pipl_asked: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "ignore_reasons", FrozenDict(self.ignore_reasons))


BidFinder = Callable[[Offer, BidContext], Reason | None]


@dataclass(frozen=True)
class Found:
    """One finding of a rule on an offer: the party it is said of ("" for the vendor), its score area, why."""

    party: str
    area: str
    reason: Reason


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
    #: the score the rule's findings lower ("sla" or "contract"); "" reads it from the code (SLA... or not)
    score_area: str = ""
    #: a bid rule: ``find(offer, context)`` also reads the bid's answers and our own recovery (:class:`BidContext`)
    reads_bid: bool = False
    #: the jurisdictions whose selections the rule applies in (``selection.yaml``'s ``jurisdiction``); () all
    jurisdictions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", FrozenDict(self.values))

    @property
    def area(self) -> str:
        if self.score_area:
            return self.score_area
        return "sla" if self.code.startswith("SLA") else "contract"

    def found(self, offer: Offer) -> tuple[Found, ...]:
        """Each finding the rule makes on ``offer``: one at most, said of the vendor (party "")."""
        why = self.reason(offer)
        return () if why is None else (Found("", self.area, why),)

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

    def applies_in(self, jurisdiction: str) -> bool:
        """Whether the rule applies in a selection of ``jurisdiction`` (``international`` or ``cn``)."""
        return not self.jurisdictions or jurisdiction in self.jurisdictions

    def reason(self, offer: Offer, context: BidContext | None = None) -> Reason | None:
        """Why the rule fires on ``offer`` (a bid rule also reads ``context``, default: nothing known of the bid);
        None when it does not or does not apply."""
        if not self.applies(offer):
            return None
        if self.reads_bid:
            return self.find(offer, context or BidContext())  # type: ignore[call-arg]
        return self.find(offer)

    def found_in(self, offer: Offer, context: BidContext | None = None) -> tuple[Found, ...]:
        """:meth:`found`, for a bid rule with the bid's ``context``."""
        if not self.reads_bid:
            return self.found(offer)
        why = self.reason(offer, context)
        return () if why is None else (Found("", self.area, why),)

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

    def rule(self, code: str, severity: Severity, scope: Scope = Scope.every_offer, *, only_in: tuple[str, ...] = (),
             score_area: str = "", **values: Param) -> Callable[[Finder], Finder]:
        """Decorator: register ``find`` as the rule ``code`` and return it unchanged.

        Its words are ``code``'s entry in ``rules.yaml``; ``values`` fill the title's and lever's placeholders.
        ``only_in`` names the jurisdictions it applies in (default: all); ``score_area`` the score it lowers
        (default: read from the code).
        """
        def register(find: Finder) -> Finder:
            self._checks.append(Check(code, severity, find, scope, FrozenDict(values), score_area=score_area,
                                      jurisdictions=only_in))
            return find

        return register

    def bid_rule(self, code: str, severity: Severity, scope: Scope = Scope.every_offer, *,
                 only_in: tuple[str, ...] = (), score_area: str = "", **values: Param
                 ) -> Callable[[BidFinder], BidFinder]:
        """Decorator: register ``find(offer, context)`` as the bid rule ``code`` (it reads :class:`BidContext`)."""
        def register(find: BidFinder) -> BidFinder:
            self._checks.append(Check(code, severity, find, scope, FrozenDict(values),  # type: ignore[arg-type]
                                      score_area=score_area, reads_bid=True, jurisdictions=only_in))
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
    "INTERNATIONAL",
    "LOW",
    "MEDIUM",
    "PENALTY",
    "VENDOR_RUN",
    "BidContext",
    "BidFinder",
    "Check",
    "CodedAnswer",
    "Finder",
    "Found",
    "Reason",
    "RuleBook",
    "Scope",
    "Severity",
]
