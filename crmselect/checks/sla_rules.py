"""The SLA rules ``SLA001``–``SLA020``: uptime, measurement, maintenance, service credits, support,
recovery, security reports and outage history.  Each is registered in order on the rule book
``SLA_CHECKS`` comes from; :mod:`crmselect.checks.report` runs them.  Figures and levers draw on
``domain_facts.md`` §4.
"""

from __future__ import annotations

from crmselect.checks.sla import credit_at, max_credit_pct, worst_month_minutes
from crmselect.checks.slamath import allowed_downtime_minutes
from crmselect.checks.types import HIGH, LOW, MEDIUM, VENDOR_RUN, Check, RuleBook
from crmselect.checks.types import figure as _g
from crmselect.model.bids import (
    Certification,
    DowntimeBasis,
    MeasurementPeriod,
    Offer,
    SlaCommitment,
    SupportHours,
)

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
@_rule("SLA001", "No financially backed uptime commitment", HIGH,
       "A financially backed uptime commitment in the contract: a stated percentage, how it is "
       "measured, and service credits for every month it is missed.", VENDOR_RUN)
def _sla_not_backed(offer: Offer) -> str | None:
    commitment = offer.sla.commitment
    if commitment is SlaCommitment.reasonable_efforts:
        return ("the SLA promises only (commercially) reasonable efforts to keep the service up: "
                "missing it costs the vendor nothing")
    if commitment is SlaCommitment.none:
        return "the offer makes no uptime commitment at all"
    return None


@_rule("SLA002", "No uptime figure", HIGH,
       "A written uptime of at least 99.9 % a month (at most 43 minutes down), as Microsoft and "
       "Zoho publish for their CRM services.", VENDOR_RUN)
def _sla_no_uptime(offer: Offer) -> str | None:
    if offer.sla.uptime_pct is None:
        return "no uptime percentage is stated, so no amount of downtime is ever a breach"
    return None


@_rule("SLA003", "Uptime below 99.9 %", MEDIUM,
       "99.9 % a month or better; failing that, credits that start at the vendor's figure and "
       "grow quickly below it.", VENDOR_RUN)
def _sla_low_uptime(offer: Offer) -> str | None:
    uptime = offer.sla.uptime_pct
    if uptime is None or uptime >= MIN_UPTIME_PCT:
        return None
    month = allowed_downtime_minutes(uptime, "month")
    year = allowed_downtime_minutes(uptime, "year") / 60
    return (f"the committed uptime of {_g(uptime)}% allows {month:,.0f} minutes down a month and "
            f"{year:,.1f} hours a year (99.9% allows 43 minutes and 8.8 hours)")


@_rule("SLA004", "Uptime measured over a quarter or a year", MEDIUM,
       "Measure and report uptime for every calendar month and credit each month on its own.", VENDOR_RUN)
def _sla_long_period(offer: Offer) -> str | None:
    sla = offer.sla
    if sla.measurement_period is MeasurementPeriod.monthly:
        return None
    text = f"uptime is measured {sla.measurement_period.value}"
    if sla.uptime_pct is None:
        return text
    monthly = allowed_downtime_minutes(sla.uptime_pct, "month") / 60
    return (f"{text}: at {_g(sla.uptime_pct)}% one month may hold {worst_month_minutes(sla) / 60:,.1f} hours "
            f"down without a breach (measured monthly: {monthly:,.1f} hours)")


@_rule("SLA005", "Partial outages do not count as downtime", LOW,
       "Count downtime in user-minutes (Microsoft: uptime = (user minutes - downtime) / user minutes), "
       "or count an outage of a module or a region as downtime.", VENDOR_RUN)
def _sla_whole_service(offer: Offer) -> str | None:
    if offer.sla.basis is DowntimeBasis.whole_service:
        return ("downtime counts only when the whole service is down: an outage that hits some users, "
                "one region or one module is not downtime")
    return None


@_rule("SLA006", "Broad or unlimited maintenance exclusions", MEDIUM,
       f"A cap on scheduled maintenance excluded from uptime (at most {MAX_MAINTENANCE_HOURS_PER_YEAR:g} "
       "hours a year) in a fixed off-peak window in our time zone; anything beyond counts as downtime.",
       VENDOR_RUN)
def _sla_maintenance_hours(offer: Offer) -> str | None:
    sla = offer.sla
    hours = sla.maintenance_excluded_hours_per_year
    if hours is None:
        return "scheduled maintenance is excluded from the uptime figure with no limit on its hours"
    if hours <= MAX_MAINTENANCE_HOURS_PER_YEAR:
        return None
    text = f"{_g(hours)} hours a year of scheduled maintenance are excluded from the uptime figure"
    if sla.uptime_pct is None:
        return text
    allowed = allowed_downtime_minutes(sla.uptime_pct, "year") / 60
    return (f"{text}, on top of the {allowed:,.1f} hours the {_g(sla.uptime_pct)}% allows: "
            f"the service may be down {allowed + hours:,.1f} hours a year without a credit")


@_rule("SLA007", "Short or unstated maintenance notice", LOW,
       f"At least {MIN_MAINTENANCE_NOTICE_HOURS:g} hours' notice of scheduled maintenance (Zoho's "
       "published terms), announced to named contacts.", VENDOR_RUN)
def _sla_maintenance_notice(offer: Offer) -> str | None:
    sla = offer.sla
    if sla.maintenance_excluded_hours_per_year == 0:
        return None
    notice = sla.maintenance_notice_hours
    if notice is None:
        return "no notice period is promised before scheduled maintenance"
    if notice < MIN_MAINTENANCE_NOTICE_HOURS:
        return f"scheduled maintenance may be announced only {_g(notice)} hours ahead"
    return None


@_rule("SLA008", "Service credits small or absent", MEDIUM,
       f"Credits that hurt: at least {MIN_CREDIT_AT_PROBE_PCT:g} % of the monthly fee at the first missed "
       "tier, rising steeply (Microsoft: 25 % below 99.9 %, 50 % below 99 %, 100 % below 95 %).", VENDOR_RUN)
def _sla_small_credits(offer: Offer) -> str | None:
    sla = offer.sla
    if not sla.credits:
        return "no service credits are offered: a missed uptime costs the vendor nothing"
    credit = credit_at(sla, CREDIT_PROBE_UPTIME_PCT)
    if credit >= MIN_CREDIT_AT_PROBE_PCT:
        return None
    down = allowed_downtime_minutes(CREDIT_PROBE_UPTIME_PCT, "month") / 60
    return (f"a month at {_g(CREDIT_PROBE_UPTIME_PCT)}% uptime ({down:g} hours down) earns a credit of only "
            f"{_g(credit)}% of the monthly fee")


@_rule("SLA009", "Service credits capped low", MEDIUM,
       f"A credit cap of at least {MIN_CREDIT_CAP_PCT:g} % of the monthly fee, 100 % for a month below "
       "95 % (Microsoft's schedule), and a right to leave after repeated misses.", VENDOR_RUN)
def _sla_credit_cap(offer: Offer) -> str | None:
    sla = offer.sla
    most = max_credit_pct(sla)
    if most >= MIN_CREDIT_CAP_PCT:
        return None
    if not sla.credits:
        return "no credit at all is payable, however long the outage"
    capped = sla.credit_cap_pct is not None and sla.credit_cap_pct < max(t.credit_pct for t in sla.credits)
    why = "the cap" if capped else "the largest credit tier"
    return f"the most any month can earn is {_g(most)}% of the monthly fee ({why}), however long the outage"


@_rule("SLA010", "Critical incidents answered slower than 1 hour", MEDIUM,
       "First response to a critical (sev1) incident within 1 hour around the clock (a hosted Dynamics "
       "partner gives 1 hour for all users down; HubSpot Premium 30 minutes).")
def _sla_sev1(offer: Offer) -> str | None:
    hours = offer.sla.response_hours.get("sev1")
    if hours is None:
        return "no response time is promised for critical (sev1) incidents"
    if hours > MAX_SEV1_RESPONSE_HOURS:
        return f"a critical (sev1) incident gets a first response only within {_g(hours)} hours"
    return None


@_rule("SLA011", "Support only in business hours", MEDIUM,
       "24x7 support for critical incidents at least, in our time zone and language.")
def _sla_business_hours(offer: Offer) -> str | None:
    if offer.sla.support_hours is SupportHours.business_hours:
        return "support works business hours only: an evening or weekend outage waits for the next working day"
    return None


@_rule("SLA012", "No weekend support", LOW,
       "Critical incidents answered 24x7, weekends and public holidays included.")
def _sla_weekends(offer: Offer) -> str | None:
    hours = offer.sla.support_hours
    if hours is SupportHours.all_day_every_day:
        return None
    when = "business hours only" if hours is SupportHours.business_hours else hours.value
    return f"support hours are {when}: nobody answers at weekends"


@_rule("SLA013", "Recovery point objective above 4 hours", MEDIUM,
       f"An RPO of {MAX_RPO_HOURS:g} hours or less in the contract (Salesforce states 4 hours), with "
       "backups kept off-site.", VENDOR_RUN)
def _sla_rpo(offer: Offer) -> str | None:
    rpo = offer.sla.rpo_hours
    if rpo is None:
        return "no recovery point objective is stated: how much data a disaster may lose is unknown"
    if rpo > MAX_RPO_HOURS:
        return f"a disaster may lose up to {_g(rpo)} hours of data (RPO)"
    return None


@_rule("SLA014", "Recovery time objective above 12 hours", MEDIUM,
       f"An RTO of {MAX_RTO_HOURS:g} hours or less in the contract (Salesforce states 12 hours; "
       "business-critical systems aim for 4).", VENDOR_RUN)
def _sla_rto(offer: Offer) -> str | None:
    rto = offer.sla.rto_hours
    if rto is None:
        return "no recovery time objective is stated: how long a disaster keeps us offline is unknown"
    if rto > MAX_RTO_HOURS:
        return f"after a disaster the service may stay down up to {_g(rto)} hours (RTO)"
    return None


def _operator(offer: Offer) -> str:
    return f"the hosting partner {offer.hosting_partner}" if offer.hosting_partner else "the vendor"


@_rule("SLA015", "No disaster recovery plan", HIGH,
       "A written disaster recovery plan for our data: who does what, in what order, within the "
       "stated RPO and RTO.", VENDOR_RUN)
def _sla_no_dr(offer: Offer) -> str | None:
    if offer.sla.disaster_recovery_plan:
        return None
    return f"{_operator(offer)} offers no disaster recovery plan"


@_rule("SLA016", "Disaster recovery not tested", MEDIUM,
       "A failover test at least once a year, with the results shared with us.", VENDOR_RUN)
def _sla_dr_untested(offer: Offer) -> str | None:
    sla = offer.sla
    if sla.disaster_recovery_plan and sla.disaster_recovery_tested:
        return None
    if not sla.disaster_recovery_plan:
        return "with no disaster recovery plan there is no tested recovery either"
    return "the disaster recovery plan is not tested"


@_rule("SLA017", "No secondary site", MEDIUM,
       "Failover to a second data centre in another region, with our data replicated there.", VENDOR_RUN)
def _sla_single_site(offer: Offer) -> str | None:
    if offer.sla.secondary_site:
        return None
    return f"{_operator(offer)} runs the service from one site: there is no second data centre to fail over to"


@_rule("SLA018", "No SOC 2 Type II report", MEDIUM,
       "A current SOC 2 Type II report (controls shown to work over at least six months), every year.",
       VENDOR_RUN)
def _sla_soc2(offer: Offer) -> str | None:
    certifications = offer.sla.certifications
    if Certification.soc2_type2 in certifications:
        return None
    if Certification.soc2_type1 in certifications:
        return "only a SOC 2 Type I report: controls designed at one point in time, not shown to work over a period"
    return "no SOC 2 Type II report on the vendor's controls"


@_rule("SLA019", "No ISO 27001 certification", LOW,
       "An ISO 27001 certificate whose scope covers the CRM service and its data centres.", VENDOR_RUN)
def _sla_iso27001(offer: Offer) -> str | None:
    if Certification.iso27001 in offer.sla.certifications:
        return None
    return "no ISO 27001 certification of the vendor's information security"


@_rule("SLA020", "No outage history", LOW,
       "Actual monthly uptime and major incidents for the last 12 to 24 months, and a public status page.",
       VENDOR_RUN)
def _sla_history(offer: Offer) -> str | None:
    if offer.sla.outage_history_provided:
        return None
    return "the vendor did not share its outage history, so its uptime claim cannot be checked"


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
