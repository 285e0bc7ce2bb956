"""The SLA rules ``SLA001``–``SLA020``: uptime, measurement, maintenance, service credits, support,
recovery, security reports and outage history.  Each is registered in order on the rule book
``SLA_CHECKS`` comes from; :mod:`crmselect.checks.report` runs them.  Figures and levers draw on
``domain_facts.md`` §4.  A rule returns why it fires (a key of its explanations in ``rules.yaml`` and
the offer's figures); its words, in English and Chinese, are in ``rules.yaml``.
"""

from __future__ import annotations

from crmselect.checks.sla import credit_at, max_credit_pct, worst_month_minutes
from crmselect.checks.slamath import allowed_downtime_minutes
from crmselect.checks.types import HIGH, INTERNATIONAL, LOW, MEDIUM, VENDOR_RUN, BidContext, Check, RuleBook
from crmselect.checks.wording import Reason, reason
from crmselect.model.bids import (
    Certification,
    Deployment,
    DowntimeBasis,
    MeasurementPeriod,
    Offer,
    SlaCommitment,
    SlaTerms,
    SupportHours,
)
from crmselect.model.settings import OwnRecovery

_RULES = RuleBook()
_rule = _RULES.rule

# ------------------------------------------------------------------ thresholds (documented defaults)
MIN_UPTIME_PCT = 99.9
MAX_MAINTENANCE_HOURS_PER_YEAR = 24.0
MIN_MAINTENANCE_NOTICE_HOURS = 48.0
CREDIT_PROBE_UPTIME_PCT = 99.0  # a bad month: 7.2 hours down
MIN_CREDIT_AT_PROBE_PCT = 10.0
MIN_CREDIT_CAP_PCT = 50.0
MAX_SEV1_RESPONSE_HOURS = 1.0
MAX_RPO_HOURS = 4.0
MAX_RTO_HOURS = 12.0


# ================================================================== SLA rules
# Each rule's title, lever and explanations are its entry in rules.yaml, in English and Chinese.
@_rule("SLA001", HIGH, VENDOR_RUN)
def _sla_not_backed(offer: Offer) -> Reason | None:
    commitment = offer.sla.commitment
    if commitment is SlaCommitment.reasonable_efforts:
        return reason("reasonable_efforts")
    if commitment is SlaCommitment.none:
        return reason("none")
    return None


@_rule("SLA002", HIGH, VENDOR_RUN)
def _sla_no_uptime(offer: Offer) -> Reason | None:
    if offer.sla.uptime_pct is None:
        return reason("missing")
    return None


@_rule("SLA003", MEDIUM, VENDOR_RUN)
def _sla_low_uptime(offer: Offer) -> Reason | None:
    uptime = offer.sla.uptime_pct
    if uptime is None or uptime >= MIN_UPTIME_PCT:
        return None
    month = allowed_downtime_minutes(uptime, "month")
    year = allowed_downtime_minutes(uptime, "year") / 60
    return reason("low", uptime=uptime, minutes=month, hours=year)


@_rule("SLA004", MEDIUM, VENDOR_RUN)
def _sla_long_period(offer: Offer) -> Reason | None:
    sla = offer.sla
    if sla.measurement_period is MeasurementPeriod.monthly:
        return None
    period = sla.measurement_period.value
    if sla.uptime_pct is None:
        return reason(period)
    monthly = allowed_downtime_minutes(sla.uptime_pct, "month") / 60
    return reason(f"{period}_worst_month", uptime=sla.uptime_pct, worst=worst_month_minutes(sla) / 60,
                  monthly=monthly)


@_rule("SLA005", LOW, VENDOR_RUN)
def _sla_whole_service(offer: Offer) -> Reason | None:
    if offer.sla.basis is DowntimeBasis.whole_service:
        return reason("whole_service")
    return None


@_rule("SLA006", MEDIUM, VENDOR_RUN, hours=MAX_MAINTENANCE_HOURS_PER_YEAR)
def _sla_maintenance_hours(offer: Offer) -> Reason | None:
    sla = offer.sla
    hours = sla.maintenance_excluded_hours_per_year
    if hours is None:
        return reason("unlimited")
    if hours <= MAX_MAINTENANCE_HOURS_PER_YEAR:
        return None
    if sla.uptime_pct is None:
        return reason("excluded", hours=hours)
    allowed = allowed_downtime_minutes(sla.uptime_pct, "year") / 60
    return reason("excluded_on_top", hours=hours, allowed=allowed, uptime=sla.uptime_pct, total=allowed + hours)


@_rule("SLA007", LOW, VENDOR_RUN, hours=MIN_MAINTENANCE_NOTICE_HOURS)
def _sla_maintenance_notice(offer: Offer) -> Reason | None:
    sla = offer.sla
    if sla.maintenance_excluded_hours_per_year == 0:
        return None
    notice = sla.maintenance_notice_hours
    if notice is None:
        return reason("no_notice")
    if notice < MIN_MAINTENANCE_NOTICE_HOURS:
        return reason("short_notice", hours=notice)
    return None


@_rule("SLA008", MEDIUM, VENDOR_RUN, credit=MIN_CREDIT_AT_PROBE_PCT)
def _sla_small_credits(offer: Offer) -> Reason | None:
    sla = offer.sla
    if not sla.credits:
        return reason("no_credits")
    credit = credit_at(sla, CREDIT_PROBE_UPTIME_PCT)
    if credit >= MIN_CREDIT_AT_PROBE_PCT:
        return None
    down = allowed_downtime_minutes(CREDIT_PROBE_UPTIME_PCT, "month") / 60
    return reason("small", uptime=CREDIT_PROBE_UPTIME_PCT, down=down, credit=credit)


@_rule("SLA009", MEDIUM, VENDOR_RUN, cap=MIN_CREDIT_CAP_PCT)
def _sla_credit_cap(offer: Offer) -> Reason | None:
    sla = offer.sla
    most = max_credit_pct(sla)
    if most >= MIN_CREDIT_CAP_PCT:
        return None
    if not sla.credits:
        return reason("no_credits")
    capped = sla.credit_cap_pct is not None and sla.credit_cap_pct < max(t.credit_pct for t in sla.credits)
    return reason("capped" if capped else "largest_tier", credit=most)


@_rule("SLA010", MEDIUM)
def _sla_sev1(offer: Offer) -> Reason | None:
    hours = offer.sla.response_hours.get("sev1")
    if hours is None:
        return reason("no_response_time")
    if hours > MAX_SEV1_RESPONSE_HOURS:
        return reason("slow", hours=hours)
    return None


@_rule("SLA011", MEDIUM)
def _sla_business_hours(offer: Offer) -> Reason | None:
    if offer.sla.support_hours is SupportHours.business_hours:
        return reason("business_hours")
    return None


@_rule("SLA012", LOW)
def _sla_weekends(offer: Offer) -> Reason | None:
    hours = offer.sla.support_hours
    if hours is SupportHours.all_day_every_day:
        return None
    return reason("business_hours" if hours is SupportHours.business_hours else "weekdays")


@_RULES.bid_rule("SLA013", MEDIUM, hours=MAX_RPO_HOURS)
def _sla_rpo(offer: Offer, context: BidContext) -> Reason | None:
    recovery, own = _recovery(offer, context)
    rpo = recovery.rpo_hours
    if rpo is None:
        return reason("missing" + own)
    if rpo > MAX_RPO_HOURS:
        return reason("long" + own, hours=rpo)
    return None


@_RULES.bid_rule("SLA014", MEDIUM, hours=MAX_RTO_HOURS)
def _sla_rto(offer: Offer, context: BidContext) -> Reason | None:
    recovery, own = _recovery(offer, context)
    rto = recovery.rto_hours
    if rto is None:
        return reason("missing" + own)
    if rto > MAX_RTO_HOURS:
        return reason("long" + own, hours=rto)
    return None


def _recovery(offer: Offer, context: BidContext) -> tuple[SlaTerms | OwnRecovery, str]:
    """Whose recovery the rules read, and the key suffix of their explanations.

    A system we run (on-premise) recovers with our own capability (``own_recovery`` in selection.yaml: "_ours");
    without it stated, with the design the vendor proposes for us to run ("_own").  Otherwise the vendor's or
    its host's SLA ("").
    """
    if offer.deployment is Deployment.on_premise:
        if context.own_recovery is not None:
            return context.own_recovery, "_ours"
        return offer.sla, "_own"
    return offer.sla, ""


def _by_operator(key: str, offer: Offer, context: BidContext) -> Reason:
    """``key`` said of the vendor, of the hosting partner (by name) when one runs the service, or of the
    recovery we would run ourselves (on-premise: our own capability, or the design the vendor proposes)."""
    if offer.deployment is Deployment.on_premise:
        return reason(key + _recovery(offer, context)[1])
    if offer.host_name:
        return reason(f"{key}_partner", partner=offer.host_name)
    return reason(key)


@_RULES.bid_rule("SLA015", HIGH)
def _sla_no_dr(offer: Offer, context: BidContext) -> Reason | None:
    if _recovery(offer, context)[0].disaster_recovery_plan:
        return None
    return _by_operator("no_plan", offer, context)


@_RULES.bid_rule("SLA016", MEDIUM)
def _sla_dr_untested(offer: Offer, context: BidContext) -> Reason | None:
    recovery, own = _recovery(offer, context)
    if recovery.disaster_recovery_plan and recovery.disaster_recovery_tested:
        return None
    if not recovery.disaster_recovery_plan:
        return reason("no_plan" + own)
    return reason("untested" + own)


@_RULES.bid_rule("SLA017", MEDIUM)
def _sla_single_site(offer: Offer, context: BidContext) -> Reason | None:
    if _recovery(offer, context)[0].secondary_site:
        return None
    return _by_operator("one_site", offer, context)


@_rule("SLA018", MEDIUM, VENDOR_RUN, only_in=(INTERNATIONAL,))  # China: CN001 reads MLPS
def _sla_soc2(offer: Offer) -> Reason | None:
    certifications = offer.sla.certifications
    if Certification.soc2_type2 in certifications:
        return None
    if Certification.soc2_type1 in certifications:
        return reason("type1_only")
    return reason("missing")


@_rule("SLA019", LOW, VENDOR_RUN, only_in=(INTERNATIONAL,))
def _sla_iso27001(offer: Offer) -> Reason | None:
    if Certification.iso27001 in offer.sla.certifications:
        return None
    return reason("missing")


@_rule("SLA020", LOW, VENDOR_RUN)
def _sla_history(offer: Offer) -> Reason | None:
    if offer.sla.outage_history_provided:
        return None
    return reason("missing")


SLA_CHECKS: tuple[Check, ...] = _RULES.checks

__all__ = [
    "CREDIT_PROBE_UPTIME_PCT",
    "MAX_MAINTENANCE_HOURS_PER_YEAR",
    "MAX_RPO_HOURS",
    "MAX_RTO_HOURS",
    "MAX_SEV1_RESPONSE_HOURS",
    "MIN_CREDIT_AT_PROBE_PCT",
    "MIN_CREDIT_CAP_PCT",
    "MIN_MAINTENANCE_NOTICE_HOURS",
    "MIN_UPTIME_PCT",
    "SLA_CHECKS",
]
