"""The partner rules ``PTR001``–``PTR007``: the implementation partner and the hosting partner evaluated as
parties of their own (references, certified staff, financial standing, their own terms), and the rule
that a hosted offer is only as strong as its host.

A finding on a party names it (the explanation quotes ``{partner}``) and lowers the score of the area the
party's role touches: the hosting partner's findings the SLA score, the implementation partner's the
contract score (delivery and commercial risk).  The offer-level rules on the host (``PTR005``, ``PTR006``)
lower the SLA score.

**The effective SLA.**  When the hosting partner states its own SLA, the SLA rules read
:func:`effective_sla`: term by term the weaker of the vendor's promise and the host's commitment, for the
terms the host's operation decides (commitment, uptime and how it is measured, maintenance windows,
recovery point and time, disaster recovery, second site, certifications, outage history).  Service
credits, support hours and response times stay the vendor's: our contract is with the vendor, who pays
the credits and answers the calls.  ``PTR006`` says which terms were weakened, so the SLA score of a
hosted offer is that of the weaker party, and the lever asks for a back-to-back SLA.

One deliberate exception to "worse terms never score higher": ``PTR006`` penalises the gap between the
vendor's promise and its host's backing, so a vendor that lowers its promise to what its host commits to
loses that finding (its effective SLA is unchanged).  Promising what the host does not back is the red flag.

Thresholds are module constants, as the SLA and contract rules' are; a committee that disagrees with a
rule ignores its code (``crmselect checks --ignore PTR002``), as for every other rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crmselect.checks.contract_rules import CONTRACT_CHECKS
from crmselect.checks.types import HIGH, LOW, MEDIUM, Check, Found, Severity
from crmselect.checks.wording import Param, Reason, reason
from crmselect.model.bids import (
    CreditRating,
    DowntimeBasis,
    MeasurementPeriod,
    Offer,
    Party,
    PartyRole,
    RevenueBand,
    SlaCommitment,
    SlaTerms,
)
from crmselect.model.frozen import FrozenDict

# ------------------------------------------------------------------ thresholds (documented defaults)
MIN_REFERENCES = 3
MIN_REFERENCES_CHECKED = 2
MIN_CERTIFIED_STAFF = 5
MIN_YEARS_TRADING = 3
MIN_CREDIT_RATING = CreditRating.BBB
WEAK_REVENUE_BANDS = (RevenueBand.under_1m,)

#: the score area a party's findings lower, by its role
AREA_OF_ROLE = {PartyRole.hosting: "sla", PartyRole.implementation: "contract"}

#: the area a rule on both parties shows in the registry: each finding lowers the score of its party's role
BY_ROLE = "sla/contract"

PartyFinder = Callable[[Offer, PartyRole, Party], Reason | None]


@dataclass(frozen=True)
class PartyCheck(Check):
    """A rule run on each party of an offer (of the ``roles`` given): one finding per party it fires on."""

    find_party: PartyFinder | None = None
    roles: tuple[PartyRole, ...] = (PartyRole.implementation, PartyRole.hosting)

    def reason(self, offer: Offer, context: object = None) -> Reason | None:
        """Why the rule fires on the offer's first party it fires on; None when on none (a party rule reads no
        ``context`` beyond the offer)."""
        found = self.found(offer)
        return found[0].reason if found else None

    def found(self, offer: Offer) -> tuple[Found, ...]:
        out = []
        assert self.find_party is not None
        for role, party in offer.partners.parties():
            if role not in self.roles:
                continue
            why = self.find_party(offer, role, party)
            if why is not None:
                out.append(Found(party.name, AREA_OF_ROLE[role], why))
        return tuple(out)


@dataclass(frozen=True)
class HostCheck(Check):
    """A rule on an offer and its host: its finding is said of the host (by name)."""

    def found(self, offer: Offer) -> tuple[Found, ...]:
        why = self.reason(offer)
        return () if why is None else (Found(offer.host_name, self.area, why),)


_CHECKS: list[Check] = []


def _never(offer: Offer) -> Reason | None:
    return None


def _party_rule(code: str, severity: Severity, *roles: PartyRole, **values: Param
                ) -> Callable[[PartyFinder], PartyFinder]:
    def register(find: PartyFinder) -> PartyFinder:
        _CHECKS.append(PartyCheck(code, severity, _never, values=FrozenDict(values), find_party=find,
                                  roles=roles or (PartyRole.implementation, PartyRole.hosting),
                                  score_area="contract" if roles == (PartyRole.implementation,) else BY_ROLE))
        return find

    return register


def _offer_rule(code: str, severity: Severity, area: str, **values: Param
                ) -> Callable[[Callable[[Offer], Reason | None]], Callable[[Offer], Reason | None]]:
    def register(find: Callable[[Offer], Reason | None]) -> Callable[[Offer], Reason | None]:
        _CHECKS.append(HostCheck(code, severity, find, values=FrozenDict(values), score_area=area))
        return find

    return register


def _said(role: PartyRole, party: Party, key: str, **params: Param) -> Reason:
    return reason(key, partner=party.name, **params)


# ================================================================== the parties
@_party_rule("PTR001", MEDIUM, references=MIN_REFERENCES, checked=MIN_REFERENCES_CHECKED)
def _ptr_references(offer: Offer, role: PartyRole, party: Party) -> Reason | None:
    if party.references < MIN_REFERENCES:
        return _said(role, party, "few", count=party.references)
    if len(party.references_checked) < MIN_REFERENCES_CHECKED:
        return _said(role, party, "unchecked", count=party.references, checked=len(party.references_checked))
    return None


@_party_rule("PTR002", MEDIUM, PartyRole.implementation, staff=MIN_CERTIFIED_STAFF)
def _ptr_certified_staff(offer: Offer, role: PartyRole, party: Party) -> Reason | None:
    staff = party.certified_staff
    if staff is None:
        return _said(role, party, "not_stated")
    if staff < MIN_CERTIFIED_STAFF:
        return _said(role, party, "few", staff=staff)
    return None


@_party_rule("PTR003", HIGH, years=MIN_YEARS_TRADING, rating=MIN_CREDIT_RATING.value)
def _ptr_financial_weakness(offer: Offer, role: PartyRole, party: Party) -> Reason | None:
    if party.years_trading is not None and party.years_trading < MIN_YEARS_TRADING:
        return _said(role, party, "young", years=party.years_trading)
    if party.credit_rating is not None and not party.credit_rating.investment_grade:
        return _said(role, party, "rating", rating=party.credit_rating.value)
    if party.revenue_band in WEAK_REVENUE_BANDS:
        return _said(role, party, "small")
    return None


@_party_rule("PTR004", LOW)
def _ptr_financial_evidence(offer: Offer, role: PartyRole, party: Party) -> Reason | None:
    if party.financial_evidence.strip():
        return None
    if party.years_trading is None and party.credit_rating is None and party.revenue_band is None:
        return _said(role, party, "nothing")
    return _said(role, party, "no_evidence")


@_party_rule("PTR007", MEDIUM)
def _ptr_own_contract(offer: Offer, role: PartyRole, party: Party) -> Reason | None:
    if party.contract is None:
        return None
    theirs = offer.model_copy(update={"contract": party.contract})
    codes = [rule.code for rule in CONTRACT_CHECKS if rule.severity is HIGH and rule.reason(theirs) is not None]
    if not codes:
        return None
    return _said(role, party, "high_flags", codes=", ".join(codes), count=len(codes))


# ================================================================== a hosted offer and its host
@_offer_rule("PTR005", MEDIUM, "sla")
def _ptr_host_not_evaluated(offer: Offer) -> Reason | None:
    if offer.deployment.value != "hosted" or offer.partners.hosting is not None:
        return None
    return reason("not_evaluated", partner=offer.host_name)


@_offer_rule("PTR006", MEDIUM, "sla")
def _ptr_host_weaker(offer: Offer) -> Reason | None:
    host = offer.partners.hosting
    if host is None:
        return None
    if host.sla is None:
        return reason("no_sla", partner=host.name)
    weaker = weaker_terms(offer.sla, host.sla)
    if not weaker:
        return None
    listed = "; ".join(f"{name} {_shown(offer.sla, name)} -> {_shown(host.sla, name)}" for name in weaker)
    return reason("weaker", partner=host.name, count=len(weaker), terms=listed)


# ------------------------------------------------------------------ the weaker of two SLAs
_COMMITMENT_ORDER = (SlaCommitment.financially_backed, SlaCommitment.reasonable_efforts, SlaCommitment.none)
_PERIOD_ORDER = (MeasurementPeriod.monthly, MeasurementPeriod.quarterly, MeasurementPeriod.yearly)
_BASIS_ORDER = (DowntimeBasis.user_minutes, DowntimeBasis.whole_service)
#: the terms the host's operation decides, in the order PTR006 lists them
HOST_TERMS = ("commitment", "uptime_pct", "measurement_period", "basis", "maintenance_excluded_hours_per_year",
              "maintenance_notice_hours", "rpo_hours", "rto_hours", "disaster_recovery_plan",
              "disaster_recovery_tested", "secondary_site", "certifications", "outage_history_provided")


def _worse_of(name: str, mine: Any, theirs: Any) -> Any:
    """The weaker of two values of the SLA term ``name`` (None: not committed, the weakest)."""
    orders: dict[str, tuple[Any, ...]] = {"commitment": _COMMITMENT_ORDER, "measurement_period": _PERIOD_ORDER,
                                          "basis": _BASIS_ORDER}
    if name in orders:
        return max(mine, theirs, key=orders[name].index)
    if name == "certifications":
        return tuple(c for c in mine if c in theirs)
    if isinstance(mine, bool):
        return mine and bool(theirs)
    if mine is None or theirs is None:
        return None
    higher_is_better = name in ("uptime_pct", "maintenance_notice_hours")
    return min(mine, theirs) if higher_is_better else max(mine, theirs)


def weaker_terms(vendor: SlaTerms, host: SlaTerms) -> tuple[str, ...]:
    """The host terms (of :data:`HOST_TERMS`) on which the host commits to less than the vendor promises."""
    return tuple(name for name in HOST_TERMS
                 if _worse_of(name, getattr(vendor, name), getattr(host, name)) != getattr(vendor, name))


def effective_sla(offer: Offer) -> SlaTerms:
    """The SLA the offer can keep: the vendor's, with each host term the weaker of vendor and host."""
    host = offer.partners.hosting
    if host is None or host.sla is None:
        return offer.sla
    weaker = weaker_terms(offer.sla, host.sla)
    if not weaker:
        return offer.sla
    return offer.sla.model_copy(update={name: _worse_of(name, getattr(offer.sla, name), getattr(host.sla, name))
                                        for name in weaker})


def effective_offer(offer: Offer) -> Offer:
    """``offer`` with its effective SLA (the same object when the host weakens nothing)."""
    sla = effective_sla(offer)
    return offer if sla is offer.sla else offer.model_copy(update={"sla": sla})


def _shown(sla: SlaTerms, name: str) -> str:
    value = getattr(sla, name)
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return "[" + ", ".join(str(getattr(v, "value", v)) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(getattr(value, "value", value))


PARTNER_CHECKS: tuple[Check, ...] = tuple(sorted(_CHECKS, key=lambda check: check.code))

__all__ = [
    "AREA_OF_ROLE",
    "BY_ROLE",
    "HOST_TERMS",
    "MIN_CERTIFIED_STAFF",
    "MIN_CREDIT_RATING",
    "MIN_REFERENCES",
    "MIN_REFERENCES_CHECKED",
    "MIN_YEARS_TRADING",
    "PARTNER_CHECKS",
    "HostCheck",
    "PartyCheck",
    "effective_offer",
    "effective_sla",
    "weaker_terms",
]
