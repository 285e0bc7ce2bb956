"""What conceding a lever means for the offer: per check code, the changed terms and how much was conceded.

Numbers in, offers out.  ``concede(code, offer, thresholds)`` returns a :class:`LeverAsk`: the offer with
the terms that code's rule reads changed to its threshold, as its lever asks, and the amount conceded.
The change is the smallest that clears the finding without opening another one on the same terms:
escrow comes with the release triggers its lever lists (else CTR020 would fire), an export on exit comes
with the minimum export window (else CTR008 would), a tested recovery plan is a plan.

The amount is counted in the term's own unit when the offer states a figure the lever moves (hours of
RTO, days of renewal notice, percentage points of uptime or credit, months of liability cap); a term
that is missing or not a figure (a clause added, a right granted, "uncapped" given a cap) counts as one
lever.  Scores move only when a term reaches its rule's threshold, so a gain per hour or per day is the
gain spread over the whole amount, not the worth of a single hour.

The thresholds are the rules' own (:mod:`crmselect.checks`); the evaluation hands them over as a
:class:`Thresholds` (siblings in this layer do not import each other), and a test holds every concession
to clearing its rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crmselect.model.bids import (
    AuditRight,
    Certification,
    CreditTier,
    DowntimeBasis,
    MaintenanceBase,
    MeasurementPeriod,
    Offer,
    SlaCommitment,
    SupportHours,
    TrueUpPrice,
)

#: The unit a whole concession counts in when its term is not a figure.
LEVER = "lever"
#: CTR019 and CTR020: the release triggers the escrow lever names.
ESCROW_TRIGGERS = ("insolvency", "ceasing to trade", "failure to support or maintain", "acquisition")
#: SLA009 with no credits at all: the tier its lever asks for ("100 % below 95 %"), at the threshold's credit.
LOWEST_TIER_BELOW_PCT = 95.0


@dataclass(frozen=True)
class Thresholds:
    """The rules' thresholds a concession moves a term to (filled from :mod:`crmselect.checks`)."""

    uptime_pct: float
    maintenance_hours_per_year: float
    maintenance_notice_hours: float
    credit_probe_uptime_pct: float
    credit_at_probe_pct: float
    credit_cap_pct: float
    sev1_response_hours: float
    rpo_hours: float
    rto_hours: float
    renewal_notice_days: int
    renewal_cap_pct: float
    export_window_days: int
    liability_cap_months: float
    upgrade_preview_days: int
    maintenance_uplift_pct: float
    breach_notice_hours: float


@dataclass(frozen=True)
class LeverAsk:
    """One lever conceded: the changed offer, the unit, the term before and after (None: not a figure)."""

    code: str
    offer: Offer
    unit: str = LEVER
    before: float | None = None
    after: float | None = None

    @property
    def amount(self) -> float:
        """How much was conceded, in ``unit``: the distance the figure moved, or 1 for a whole lever."""
        if self.unit == LEVER or self.before is None or self.after is None:
            return 1.0
        return abs(self.after - self.before)


def _sla(offer: Offer, **changes: object) -> Offer:
    return offer.replace(sla=offer.sla.replace(**changes))


def _contract(offer: Offer, **changes: object) -> Offer:
    return offer.replace(contract=offer.contract.replace(**changes))


def _pricing(offer: Offer, **changes: object) -> Offer:
    return offer.replace(pricing=offer.pricing.replace(**changes))


def _plan(offer: Offer, **changes: object) -> Offer:
    return offer.replace(implementation=offer.implementation.replace(**changes))


def _figure(code: str, offer: Offer, unit: str, before: float | None, after: float) -> LeverAsk:
    """A figure moved to ``after``; a missing figure (None) is given, and counts as one lever."""
    return LeverAsk(code, offer, LEVER if before is None else unit, before, after)


def _credit_at(tiers: tuple[CreditTier, ...], uptime_pct: float, cap: float | None) -> float:
    """The credit owed at ``uptime_pct`` (lowest tier strictly above it, then the cap), as the rules count it."""
    above = [t for t in tiers if uptime_pct < t.below_pct]
    credit = min(above, key=lambda t: t.below_pct).credit_pct if above else 0.0
    return credit if cap is None else min(credit, cap)


def _largest_credit(tiers: tuple[CreditTier, ...], cap: float | None) -> float:
    largest = max((t.credit_pct for t in tiers), default=0.0)
    return largest if cap is None else min(largest, cap)


# ------------------------------------------------------------------ SLA levers
def _uptime(code: str, offer: Offer, t: Thresholds) -> LeverAsk:
    before = offer.sla.uptime_pct
    return _figure(code, _sla(offer, uptime_pct=t.uptime_pct), "uptime_pp", before, t.uptime_pct)


def _credits_at_probe(code: str, offer: Offer, t: Thresholds) -> LeverAsk:
    sla = offer.sla
    before = _credit_at(sla.credits, t.credit_probe_uptime_pct, sla.credit_cap_pct)
    tiers = [tier.replace(credit_pct=max(tier.credit_pct, t.credit_at_probe_pct)) for tier in sla.credits]
    if not any(t.credit_probe_uptime_pct < tier.below_pct for tier in tiers):
        # no tier pays at the probe month: a first tier at the uptime threshold (every tier lies below the probe)
        tiers.append(CreditTier(below_pct=t.uptime_pct, credit_pct=t.credit_at_probe_pct))
    ordered = tuple(sorted(tiers, key=lambda tier: -tier.below_pct))
    cap = sla.credit_cap_pct if sla.credit_cap_pct is None else max(sla.credit_cap_pct, t.credit_at_probe_pct)
    changed = _sla(offer, credits=ordered, credit_cap_pct=cap)
    after = _credit_at(ordered, t.credit_probe_uptime_pct, cap)
    return LeverAsk(code, changed, "credit_pp", before, after)


def _credit_cap(code: str, offer: Offer, t: Thresholds) -> LeverAsk:
    sla = offer.sla
    before = _largest_credit(sla.credits, sla.credit_cap_pct)
    if sla.credits:
        *upper, lowest = sla.credits
        tiers = (*upper, lowest.replace(credit_pct=max(lowest.credit_pct, t.credit_cap_pct)))
    else:
        tiers = (CreditTier(below_pct=LOWEST_TIER_BELOW_PCT, credit_pct=t.credit_cap_pct),)
    cap = sla.credit_cap_pct if sla.credit_cap_pct is None else max(sla.credit_cap_pct, t.credit_cap_pct)
    after = _largest_credit(tiers, cap)
    return LeverAsk(code, _sla(offer, credits=tiers, credit_cap_pct=cap), "credit_pp", before, after)


def _sev1(code: str, offer: Offer, t: Thresholds) -> LeverAsk:
    before = offer.sla.response_hours.get("sev1")
    hours = {**offer.sla.response_hours, "sev1": t.sev1_response_hours}
    return _figure(code, _sla(offer, response_hours=hours), "sev1_hour", before, t.sev1_response_hours)


def _sla_ask(code: str, offer: Offer, t: Thresholds) -> LeverAsk:
    sla = offer.sla
    if code == "SLA001":
        return LeverAsk(code, _sla(offer, commitment=SlaCommitment.financially_backed))
    if code in ("SLA002", "SLA003"):
        return _uptime(code, offer, t)
    if code == "SLA004":
        return LeverAsk(code, _sla(offer, measurement_period=MeasurementPeriod.monthly))
    if code == "SLA005":
        return LeverAsk(code, _sla(offer, basis=DowntimeBasis.user_minutes))
    if code == "SLA006":
        return _figure(code, _sla(offer, maintenance_excluded_hours_per_year=t.maintenance_hours_per_year),
                       "maintenance_hour", sla.maintenance_excluded_hours_per_year, t.maintenance_hours_per_year)
    if code == "SLA007":
        return _figure(code, _sla(offer, maintenance_notice_hours=t.maintenance_notice_hours),
                       "notice_hour", sla.maintenance_notice_hours, t.maintenance_notice_hours)
    if code == "SLA008":
        return _credits_at_probe(code, offer, t)
    if code == "SLA009":
        return _credit_cap(code, offer, t)
    if code == "SLA010":
        return _sev1(code, offer, t)
    if code == "SLA011":  # out of business hours; weekends are SLA012's lever
        return LeverAsk(code, _sla(offer, support_hours=SupportHours.all_day_weekdays))
    if code == "SLA012":
        return LeverAsk(code, _sla(offer, support_hours=SupportHours.all_day_every_day))
    if code == "SLA013":
        return _figure(code, _sla(offer, rpo_hours=t.rpo_hours), "rpo_hour", sla.rpo_hours, t.rpo_hours)
    if code == "SLA014":
        return _figure(code, _sla(offer, rto_hours=t.rto_hours), "rto_hour", sla.rto_hours, t.rto_hours)
    if code == "SLA015":
        return LeverAsk(code, _sla(offer, disaster_recovery_plan=True))
    if code == "SLA016":
        return LeverAsk(code, _sla(offer, disaster_recovery_plan=True, disaster_recovery_tested=True))
    if code == "SLA017":
        return LeverAsk(code, _sla(offer, secondary_site=True))
    if code == "SLA018":
        kept = tuple(c for c in sla.certifications if c is not Certification.soc2_type1)
        return LeverAsk(code, _sla(offer, certifications=(*kept, Certification.soc2_type2)))
    if code == "SLA019":
        return LeverAsk(code, _sla(offer, certifications=(*sla.certifications, Certification.iso27001)))
    return LeverAsk(code, _sla(offer, outage_history_provided=True))  # SLA020


# ------------------------------------------------------------------ contract levers
def _renewal_cap(code: str, offer: Offer, t: Thresholds) -> LeverAsk:
    caps = [c for c in (offer.contract.renewal_price_cap_pct, offer.pricing.renewal_cap_pct) if c is not None]
    before = min(caps) if caps else None
    return _figure(code, _contract(offer, renewal_price_cap_pct=t.renewal_cap_pct), "renewal_cap_pp", before,
                   t.renewal_cap_pct)


def _export(code: str, offer: Offer, t: Thresholds) -> LeverAsk:
    window = max(offer.contract.export_window_days, t.export_window_days)
    if code == "CTR007":
        return LeverAsk(code, _contract(offer, data_export_on_exit=True, export_window_days=window))
    return LeverAsk(code, _contract(offer, export_window_days=window), "export_day",
                    float(offer.contract.export_window_days), float(window))


#: The contract levers that grant a right or a clause: code -> (part of the offer, field, value conceded).
_CLAUSES: dict[str, tuple[str, str, object]] = {
    "CTR004": ("contract", "seat_reduction_allowed", True),
    "CTR005": ("contract", "termination_for_convenience", True),
    "CTR006": ("contract", "termination_for_sla_failure", True),
    "CTR010": ("contract", "liability_carve_outs", True),
    "CTR011": ("sla", "credits_sole_remedy", False),
    "CTR012": ("contract", "unilateral_changes", False),
    "CTR014": ("pricing", "maintenance_base", MaintenanceBase.net_price),
    "CTR016": ("contract", "maintenance_starts_at_go_live", True),
    "CTR017": ("contract", "audit_rights", AuditRight.annual_with_notice),
    "CTR018": ("contract", "true_up_price", TrueUpPrice.contract),
    "CTR020": ("contract", "escrow_triggers", ESCROW_TRIGGERS),
    "CTR021": ("implementation", "scope_defined", True),
    "CTR022": ("implementation", "acceptance_criteria", True),
    "CTR023": ("implementation", "milestone_payments", True),
    "CTR024": ("contract", "data_ownership_in_contract", True),
    "CTR026": ("contract", "subprocessor_objection", True),
    "CTR027": ("contract", "consumption_cap", True),
    "CTR028": ("contract", "change_of_control_protection", True),
}
_PARTS: dict[str, Callable[..., Offer]] = {"contract": _contract, "sla": _sla, "pricing": _pricing,
                                           "implementation": _plan}


def _contract_ask(code: str, offer: Offer, t: Thresholds) -> LeverAsk:
    terms = offer.contract
    if code in _CLAUSES:
        part, name, value = _CLAUSES[code]
        return LeverAsk(code, _PARTS[part](offer, **{name: value}))
    if code == "CTR001":
        return LeverAsk(code, _contract(offer, renewal_notice_days=t.renewal_notice_days), "renewal_notice_day",
                        float(terms.renewal_notice_days), float(t.renewal_notice_days))
    if code == "CTR002":
        return LeverAsk(code, _contract(offer, renewal_term_years=1), "renewal_year",
                        float(terms.renewal_term_years), 1.0)
    if code == "CTR003":
        return _renewal_cap(code, offer, t)
    if code in ("CTR007", "CTR008"):
        return _export(code, offer, t)
    if code == "CTR009":
        return _figure(code, _contract(offer, liability_cap_months=t.liability_cap_months), "liability_month",
                       terms.liability_cap_months, t.liability_cap_months)
    if code == "CTR013":
        return LeverAsk(code, _contract(offer, upgrade_preview_days=t.upgrade_preview_days), "preview_day",
                        float(terms.upgrade_preview_days), float(t.upgrade_preview_days))
    if code == "CTR015":
        return LeverAsk(code, _pricing(offer, maintenance_uplift_pct=t.maintenance_uplift_pct), "uplift_pp",
                        offer.pricing.maintenance_uplift_pct, t.maintenance_uplift_pct)
    if code == "CTR019":
        return LeverAsk(code, _contract(offer, escrow=True, escrow_triggers=terms.escrow_triggers or ESCROW_TRIGGERS))
    if code == "CTR025":
        return _figure(code, _contract(offer, breach_notice_hours=t.breach_notice_hours), "breach_hour",
                       terms.breach_notice_hours, t.breach_notice_hours)
    raise KeyError(code)


#: Every code a concession is modelled for (SLA001-SLA020, CTR001-CTR028).
MODELLED: frozenset[str] = frozenset(
    {f"SLA{n:03d}" for n in range(1, 21)} | {f"CTR{n:03d}" for n in range(1, 29)})


def concede(code: str, offer: Offer, thresholds: Thresholds) -> LeverAsk | None:
    """``offer`` with the lever of ``code`` conceded (see the module), or None when no concession is modelled."""
    if code not in MODELLED:
        return None
    if code.startswith("SLA"):
        return _sla_ask(code, offer, thresholds)
    return _contract_ask(code, offer, thresholds)


__all__ = ["ESCROW_TRIGGERS", "LEVER", "MODELLED", "LeverAsk", "Thresholds", "concede"]
