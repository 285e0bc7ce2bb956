"""SLA and contract red flags as data: each rule has a stable code, a title, a severity, the lever
to ask for, and a pure function ``offer -> explanation | None`` (habit 5 in ARCHITECTURE.md).

- ``SLA001``… read the service levels (uptime, credits, maintenance, support, recovery, audits).
- ``CTR001``… read the contract (renewal, termination, exit, liability, audit, escrow, scope ...).

A rule that does not fit a deployment (escrow for SaaS, maintenance for a subscription) is not
applicable and never fires.  Codes are stable: a code is never reused for another rule.  Figures
and levers draw on ``domain_facts.md`` §4 (uptime arithmetic, published credit schedules, support
and recovery targets, the contract clause checklist).

Scores: ``1 - Σ penalty`` over the findings of one area, floored at 0, with ``PENALTY`` per
severity.  Adding a finding can only lower a score, and every rule fires on worse terms whenever
it fires on better ones, so worse terms never score higher.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from crmselect.bids import (
    AuditRight,
    Certification,
    Deployment,
    DowntimeBasis,
    MaintenanceBase,
    MeasurementPeriod,
    Offer,
    PricingModel,
    SlaCommitment,
    SupportHours,
    TrueUpPrice,
)
from crmselect.errors import AnalysisError
from crmselect.model import ComputedFrom
from crmselect.sla import credit_at, max_credit_pct, worst_month_minutes
from crmselect.slamath import allowed_downtime_minutes

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from crmselect.project import Project


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


_RULES: list[Check] = []


def _rule(code: str, title: str, severity: Severity, lever: str, scope: Scope = Scope.every_offer
          ) -> Callable[[Finder], Finder]:
    def register(find: Finder) -> Finder:
        _RULES.append(Check(code, title, severity, lever, find, scope))
        return find

    return register


def _g(value: float) -> str:
    return f"{value:g}"


def _months(value: float) -> str:
    return f"{value:g} month" if value == 1 else f"{value:g} months"


HIGH, MEDIUM, LOW = Severity.high, Severity.medium, Severity.low
VENDOR_RUN = Scope.vendor_run

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
MAX_RENEWAL_NOTICE_DAYS = 30
MAX_RENEWAL_CAP_PCT = 5.0
MIN_EXPORT_WINDOW_DAYS = 30
MIN_LIABILITY_CAP_MONTHS = 12.0
MIN_UPGRADE_PREVIEW_DAYS = 28
MAX_MAINTENANCE_UPLIFT_PCT = 3.0
MAX_BREACH_NOTICE_HOURS = 72.0


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


# ================================================================== contract rules
@_rule("CTR001", "Long notice to stop auto-renewal", MEDIUM,
       f"At most {MAX_RENEWAL_NOTICE_DAYS} days' notice, a renewal reminder from the vendor, and the "
       "renewal date in our calendar.")
def _ctr_renewal_notice(offer: Offer) -> str | None:
    terms = offer.contract
    if terms.auto_renewal and terms.renewal_notice_days > MAX_RENEWAL_NOTICE_DAYS:
        return f"the contract renews itself unless cancelled {terms.renewal_notice_days} days before the term ends"
    return None


@_rule("CTR002", "Auto-renewal into a multi-year term", MEDIUM,
       "Auto-renewal for one year at most, or month to month.")
def _ctr_evergreen(offer: Offer) -> str | None:
    terms = offer.contract
    if terms.auto_renewal and terms.renewal_term_years > 1:
        return f"at the end of the term it renews itself for another {terms.renewal_term_years} years"
    return None


def renewal_cap_pct(offer: Offer) -> float | None:
    """The renewal price cap the offer states (contract or price sheet; the lower if both), or None."""
    caps = [c for c in (offer.contract.renewal_price_cap_pct, offer.pricing.renewal_cap_pct) if c is not None]
    return min(caps) if caps else None


@_rule("CTR003", "Renewal price uncapped or capped above 5 %", HIGH,
       "A renewal cap of 3 to 5 % a year or CPI, price locks per product for the term, and the same "
       "price for extra seats.", Scope.subscription)
def _ctr_renewal_cap(offer: Offer) -> str | None:
    cap = renewal_cap_pct(offer)
    escalator = offer.pricing.renewal_escalator_pct
    planned = f"; the offer already plans {_g(escalator)}% a year" if escalator > 0 else ""
    if cap is None:
        return ("the renewal price is not capped ('then-current pricing'; uplifts of 7 to 12 % a year "
                f"are reported){planned}")
    if cap > MAX_RENEWAL_CAP_PCT:
        return f"the renewal price may rise up to {_g(cap)}% a year{planned}"
    return None


@_rule("CTR004", "Seat ratchet: seats cannot be reduced", MEDIUM,
       "The right to reduce seats to active users and to downgrade editions at each renewal.", Scope.subscription)
def _ctr_seat_ratchet(offer: Offer) -> str | None:
    if offer.contract.seat_reduction_allowed:
        return None
    return "the seat count can never fall below the previous term's, even when users leave"


@_rule("CTR005", "No termination for convenience", MEDIUM,
       "Termination for convenience on 30 to 90 days' notice, with a pro-rata refund of prepaid fees.")
def _ctr_convenience(offer: Offer) -> str | None:
    if offer.contract.termination_for_convenience:
        return None
    return f"we cannot leave before the end of the {offer.pricing.term_years}-year term, whatever happens"


@_rule("CTR006", "No exit for chronic SLA failure", HIGH,
       "The right to terminate without penalty after repeated SLA misses (say three months in six), with "
       "a pro-rata refund and free help to export.", VENDOR_RUN)
def _ctr_sla_termination(offer: Offer) -> str | None:
    if offer.contract.termination_for_sla_failure:
        return None
    return "we cannot leave even if the service misses its SLA month after month"


@_rule("CTR007", "No data export on exit", HIGH,
       "Export of all data, attachments and metadata in a documented, usable format at no charge, "
       "then certified deletion.", VENDOR_RUN)
def _ctr_no_export(offer: Offer) -> str | None:
    if offer.contract.data_export_on_exit:
        return None
    return "the contract promises no export of our data at the end: the data can be held hostage"


@_rule("CTR008", "Export window shorter than 30 days", MEDIUM,
       "30 to 60 days of access after termination to export our data, in a stated format, at no extra cost.",
       VENDOR_RUN)
def _ctr_export_window(offer: Offer) -> str | None:
    terms = offer.contract
    if not terms.data_export_on_exit or terms.export_window_days >= MIN_EXPORT_WINDOW_DAYS:
        return None
    fmt = "" if terms.export_format else ", in a format not stated"
    return f"after termination only {terms.export_window_days} days are left to take the data out{fmt}"


@_rule("CTR009", "Liability cap below 12 months of fees", MEDIUM,
       "A mutual liability cap of at least 12 months' fees, higher for a mission-critical system.")
def _ctr_liability_cap(offer: Offer) -> str | None:
    months = offer.contract.liability_cap_months
    if months is None or months >= MIN_LIABILITY_CAP_MONTHS:
        return None
    return f"the vendor's liability is capped at {_months(months)} of fees"


@_rule("CTR010", "Liability cap without carve-outs", MEDIUM,
       "Breach of confidentiality and data protection, IP indemnity and gross negligence outside the cap "
       "(or under a higher cap).")
def _ctr_carve_outs(offer: Offer) -> str | None:
    terms = offer.contract
    if terms.liability_cap_months is None or terms.liability_carve_outs:
        return None
    return (f"the {_g(terms.liability_cap_months)}-month liability cap also covers data breaches, "
            "confidentiality and IP claims")


@_rule("CTR011", "Service credits are the sole remedy", MEDIUM,
       "Credits without prejudice to other remedies: damages for serious failures, termination for chronic ones.",
       VENDOR_RUN)
def _ctr_sole_remedy(offer: Offer) -> str | None:
    sla, terms = offer.sla, offer.contract
    if not sla.credits_sole_remedy:
        return None
    cap = "" if sla.credit_cap_pct is None else f" (capped at {_g(sla.credit_cap_pct)}% of a monthly fee)"
    leave = "" if terms.termination_for_sla_failure else "; nor may we leave over it"
    return f"service credits{cap} are the sole and exclusive remedy for missed service levels{leave}"


@_rule("CTR012", "Vendor may change the terms on its own", HIGH,
       "Terms and SLA fixed for the whole term; adverse changes only with 90 days' notice and a right to "
       "leave (Microsoft gives 90 days).")
def _ctr_unilateral(offer: Offer) -> str | None:
    terms = offer.contract
    if not terms.unilateral_changes:
        return None
    notice = f"on {terms.change_notice_days} days' notice" if terms.change_notice_days else "without notice"
    return f"the vendor may change the terms or the SLA during the term, {notice}"


@_rule("CTR013", "Forced upgrades without a preview", MEDIUM,
       "A sandbox preview at least 4 to 6 weeks before each release (Salesforce and Dynamics practice), "
       "an update window we choose, and the right to postpone changes that break our setup.", VENDOR_RUN)
def _ctr_forced_upgrades(offer: Offer) -> str | None:
    terms = offer.contract
    if not terms.forced_upgrades or terms.upgrade_preview_days >= MIN_UPGRADE_PREVIEW_DAYS:
        return None
    preview = f"only {terms.upgrade_preview_days} days' preview" if terms.upgrade_preview_days else "no preview"
    return f"upgrades are installed without our consent, with {preview}"


@_rule("CTR014", "Maintenance charged on the list price", MEDIUM,
       "Maintenance as a percentage of the net (discounted) licence price.", Scope.licence)
def _ctr_maintenance_base(offer: Offer) -> str | None:
    price = offer.pricing
    if price.maintenance_base is not MaintenanceBase.list_price:
        return None
    discount = ""
    if price.licence_discount_pct:
        discount = f", not on the {_g(price.licence_discount_pct)}%-discounted price we pay"
    return f"maintenance of {_g(price.maintenance_pct)}% a year is charged on the list price{discount}"


@_rule("CTR015", "Maintenance rises more than 3 % a year", MEDIUM,
       "A maintenance uplift capped at 3 % or CPI, and the right to drop unused licences from maintenance.",
       Scope.licence)
def _ctr_maintenance_uplift(offer: Offer) -> str | None:
    uplift = offer.pricing.maintenance_uplift_pct
    if uplift <= MAX_MAINTENANCE_UPLIFT_PCT:
        return None
    growth = ((1 + uplift / 100) ** 5 - 1) * 100
    return f"maintenance fees rise {_g(uplift)}% every year: {growth:.0f}% more after five years"


@_rule("CTR016", "Maintenance starts before go-live", LOW,
       "Maintenance starts at go-live or at acceptance.", Scope.licence)
def _ctr_maintenance_start(offer: Offer) -> str | None:
    if offer.contract.maintenance_starts_at_go_live:
        return None
    days = offer.implementation.claimed_go_live_days
    return f"maintenance is paid from signature, at least {days} days before the promised go-live"


@_rule("CTR017", "Licence audit at will", MEDIUM,
       "Audits at most once a year with 30 days' notice, at the vendor's cost, in office hours; self-audit "
       "reports accepted.")
def _ctr_audit(offer: Offer) -> str | None:
    if offer.contract.audit_rights is AuditRight.at_will:
        return "the vendor may audit our use at any time, without notice or limit"
    return None


@_rule("CTR018", "True-up at list price", MEDIUM,
       "An annual true-up at the contract price (Microsoft Enterprise Agreement style), no back-charges "
       "beyond it.")
def _ctr_true_up(offer: Offer) -> str | None:
    if offer.contract.true_up_price is TrueUpPrice.list_price:
        return "extra users found at a true-up or an audit are charged at list price"
    return None


@_rule("CTR019", "No escrow", MEDIUM,
       "Escrow of source code, database and deployment scripts and documentation, released on insolvency, "
       "ceasing to trade, failure to support or acquisition.", Scope.escrow)
def _ctr_no_escrow(offer: Offer) -> str | None:
    if offer.contract.escrow:
        return None
    return "nothing is held in escrow: if the vendor fails, nobody can keep the system running or fix it"


@_rule("CTR020", "Escrow without release triggers", LOW,
       "Written release triggers: bankruptcy, ceasing to trade, failure to support or maintain, acquisition, "
       "failure to fix within a set time.", Scope.escrow)
def _ctr_escrow_triggers(offer: Offer) -> str | None:
    terms = offer.contract
    if not terms.escrow or terms.escrow_triggers:
        return None
    return "escrow is offered but no release triggers are defined"


@_rule("CTR021", "Fixed price without a defined scope", HIGH,
       "Before signing: deliverables, assumptions, our dependencies and a change-order process in the "
       "statement of work; otherwise time and materials with a ceiling.")
def _ctr_fixed_price(offer: Offer) -> str | None:
    plan = offer.implementation
    if plan.pricing_model is PricingModel.fixed_price and not plan.scope_defined:
        return (f"services of {plan.services_cost:,.0f} are at a fixed price without a defined scope: expect "
                "padded estimates and a change request for every grey area")
    return None


@_rule("CTR022", "No acceptance criteria", MEDIUM,
       "Written acceptance criteria and tests per deliverable, with payment tied to acceptance.")
def _ctr_acceptance(offer: Offer) -> str | None:
    if offer.implementation.acceptance_criteria:
        return None
    return "the statement of work has no acceptance criteria: nothing says when a deliverable is done"


@_rule("CTR023", "Fixed price paid without milestones", LOW,
       "Milestone payments against accepted deliverables, with part held back until go-live.")
def _ctr_milestones(offer: Offer) -> str | None:
    plan = offer.implementation
    if plan.pricing_model is PricingModel.fixed_price and not plan.milestone_payments:
        return "the fixed price is not paid against accepted milestones"
    return None


@_rule("CTR024", "Data ownership not in the contract", MEDIUM,
       "A contract clause: all our data and what is derived from it belong to us and serve only to "
       "provide the service.", VENDOR_RUN)
def _ctr_data_ownership(offer: Offer) -> str | None:
    if offer.contract.data_ownership_in_contract:
        return None
    return "the contract does not say that our data belongs to us (at best the privacy policy does)"


@_rule("CTR025", "Breach notice slower than 72 hours", MEDIUM,
       "Notice of a data breach within 72 hours at most, with the facts we need for our own reports.",
       VENDOR_RUN)
def _ctr_breach_notice(offer: Offer) -> str | None:
    hours = offer.contract.breach_notice_hours
    if hours is None:
        return "no deadline is set for telling us about a data breach"
    if hours > MAX_BREACH_NOTICE_HOURS:
        return f"a data breach need only be reported to us within {_g(hours)} hours"
    return None


@_rule("CTR026", "No right to object to subprocessors", LOW,
       "A list of subprocessors, notice of changes, and a right to object (and leave) if a new one is "
       "unacceptable.", VENDOR_RUN)
def _ctr_subprocessors(offer: Offer) -> str | None:
    if offer.contract.subprocessor_objection:
        return None
    return "the vendor may add subprocessors that handle our data without our say"


@_rule("CTR027", "Consumption charges uncapped", MEDIUM,
       "A yearly ceiling on consumption charges, clear definitions of each metered unit, and alerts "
       "before any overage.")
def _ctr_consumption(offer: Offer) -> str | None:
    if offer.contract.consumption_cap:
        return None
    price = offer.pricing
    text = "usage-based charges (API calls, storage, AI credits) have no ceiling"
    if price.consumption_per_year > 0:
        growth = _g(price.consumption_growth_pct)
        text += f"; {price.consumption_per_year:,.0f} a year is quoted, growing {growth}% a year"
    return text


@_rule("CTR028", "No change-of-control protection", LOW,
       "On a change of control: support and roadmap commitments for the term, migration help at the "
       "vendor's cost, and a right to terminate.")
def _ctr_change_of_control(offer: Offer) -> str | None:
    if offer.contract.change_of_control_protection:
        return None
    return "nothing protects us if the vendor is bought: the product may be frozen or migrated"


# ================================================================== the registry
CHECKS: tuple[Check, ...] = tuple(_RULES)
CODES: tuple[str, ...] = tuple(check.code for check in CHECKS)
_BY_CODE: dict[str, Check] = {check.code: check for check in CHECKS}
assert len(_BY_CODE) == len(CHECKS), "check codes must be unique"


def check(code: str) -> Check:
    """The rule with ``code`` (e.g. ``"CTR003"``)."""
    return _BY_CODE[validate_codes([code])[0]]


def validate_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Codes upper-cased and checked; unknown codes raise an error that lists the allowed ones."""
    if isinstance(codes, str):
        codes = [codes]
    normalised = tuple(dict.fromkeys(str(code).strip().upper() for code in codes))
    unknown = [code for code in normalised if code not in _BY_CODE]
    if unknown:
        raise AnalysisError(f"unknown check codes {unknown}; allowed: {', '.join(CODES)}")
    return normalised


def registry() -> pd.DataFrame:
    """Every rule: code, area, title, severity, penalty, which offers it applies to, and the lever."""
    rows = [
        {"code": c.code, "area": c.area, "title": c.title, "severity": c.severity.value,
         "penalty": PENALTY[c.severity], "applies_to": c.scope.value, "lever": c.lever}
        for c in CHECKS
    ]
    return pd.DataFrame(rows).set_index("code")


# ================================================================== running the rules
@dataclass(frozen=True)
class Finding:
    """A rule that fired on one offer, in that offer's figures."""

    code: str
    severity: Severity
    title: str
    explanation: str
    lever: str

    @property
    def area(self) -> str:
        return "sla" if self.code.startswith("SLA") else "contract"


def check_offer(offer: Offer, *, ignore: Iterable[str] = (), area: str | None = None) -> tuple[Finding, ...]:
    """Every finding on ``offer``, most serious first; ``ignore`` drops codes, ``area`` keeps "sla" or "contract"."""
    if area not in (None, "sla", "contract"):
        raise AnalysisError(f"area must be 'sla' or 'contract' (received {area!r})")
    skipped = set(validate_codes(ignore))
    found = []
    for rule in CHECKS:
        if rule.code in skipped or (area is not None and rule.area != area):
            continue
        explanation = rule.explain(offer)
        if explanation is not None:
            found.append(Finding(rule.code, rule.severity, rule.title, explanation, rule.lever))
    return tuple(sorted(found, key=lambda f: (f.severity.rank, f.code)))


def penalty_score(severities: Iterable[Severity]) -> float:
    """``max(0, 1 - Σ PENALTY[severity])``: 1 with no findings; never rises when a finding is added."""
    return max(0.0, 1.0 - sum(PENALTY[s] for s in severities))


def sla_score(offer: Offer, *, ignore: Iterable[str] = ()) -> float:
    """SLA strength in 0..1 (1 = no SLA finding)."""
    return penalty_score(f.severity for f in check_offer(offer, ignore=ignore, area="sla"))


def contract_score(offer: Offer, *, ignore: Iterable[str] = ()) -> float:
    """Contract safety in 0..1 (1 = no contract finding)."""
    return penalty_score(f.severity for f in check_offer(offer, ignore=ignore, area="contract"))


_SCORERS: dict[ComputedFrom, Callable[..., float]] = {
    ComputedFrom.sla_score: sla_score,
    ComputedFrom.contract_score: contract_score,
}


def computed_values(project: Project, *, ignore: Iterable[str] = ()) -> dict[str, dict[str, float]]:
    """``{criterion id: {bid id: score}}`` for every criterion computed from ``sla_score`` or ``contract_score``."""
    skipped = validate_codes(ignore)
    out: dict[str, dict[str, float]] = {}
    for criterion in project.criteria:
        scorer = _SCORERS.get(criterion.computed_from) if criterion.computed_from else None
        if scorer is not None:
            out[criterion.id] = {bid.id: scorer(bid.offer, ignore=skipped) for bid in project.bids}
    return out


@dataclass(frozen=True)
class BidFindings:
    """The findings on one bid, with who it is."""

    bid: str
    label: str
    vendor: str
    deployment: str
    findings: tuple[Finding, ...]

    def score(self, area: str) -> float:
        return penalty_score(f.severity for f in self.findings if f.area == area)


COLUMNS = ("bid", "vendor", "deployment", "code", "severity", "title", "explanation", "lever")


@dataclass(frozen=True)
class CheckReport:
    """All findings on all bids: ``frame()`` lists them, ``negotiation_list(bid)`` turns them into asks."""

    bids: tuple[BidFindings, ...]
    ignored: tuple[str, ...] = ()

    @property
    def bid_ids(self) -> tuple[str, ...]:
        return tuple(b.bid for b in self.bids)

    def _bid(self, bid: str) -> BidFindings:
        for item in self.bids:
            if item.bid == bid:
                return item
        raise AnalysisError(f"unknown bid {bid!r}; allowed {list(self.bid_ids)}")

    def findings(self, bid: str) -> tuple[Finding, ...]:
        return self._bid(bid).findings

    def frame(self) -> pd.DataFrame:
        """One row per finding: bid, vendor, deployment, code, severity, title, explanation, lever."""
        rows = [
            {"bid": b.bid, "vendor": b.vendor, "deployment": b.deployment, "code": f.code,
             "severity": f.severity.value, "title": f.title, "explanation": f.explanation, "lever": f.lever}
            for b in self.bids for f in b.findings
        ]
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def by_bid(self) -> pd.DataFrame:
        """Per bid: label, the number of findings per severity, the total, and the SLA and contract scores."""
        rows = []
        for b in self.bids:
            counts = {s.value: sum(f.severity is s for f in b.findings) for s in Severity}
            rows.append({"label": b.label, **counts, "total": len(b.findings),
                         "sla_score": b.score("sla"), "contract_score": b.score("contract")})
        columns = ["label", *[s.value for s in Severity], "total", "sla_score", "contract_score"]
        return pd.DataFrame(rows, index=pd.Index(self.bid_ids, name="bid"), columns=columns)

    def scores(self) -> dict[str, dict[str, float]]:
        """``{"sla_score": {bid: score}, "contract_score": {bid: score}}``."""
        return {f"{area}_score": {b.bid: b.score(area) for b in self.bids} for area in ("sla", "contract")}

    def negotiation_frame(self, bid: str) -> pd.DataFrame:
        """What to ask ``bid`` for, most serious first: severity, code, title, lever."""
        rows = [{"severity": f.severity.value, "code": f.code, "title": f.title, "lever": f.lever}
                for f in self._bid(bid).findings]
        return pd.DataFrame(rows, columns=["severity", "code", "title", "lever"])

    def negotiation_list(self, bid: str) -> list[str]:
        """The levers to ask ``bid`` for, high severity first: ``"CTR003: <lever>"``."""
        return [f"{f.code}: {f.lever}" for f in self._bid(bid).findings]

    def ignoring(self, codes: Iterable[str]) -> CheckReport:
        """A new report without the findings of ``codes`` (unknown codes are an error)."""
        dropped = set(validate_codes(codes))
        bids = tuple(replace(b, findings=tuple(f for f in b.findings if f.code not in dropped)) for b in self.bids)
        return CheckReport(bids, tuple(sorted(dropped | set(self.ignored))))

    def plot(self, ax: Axes | None = None) -> Axes:
        """Stacked bars: findings per bid, by severity."""
        from crmselect.plots import severity_bars

        counts = self.by_bid()
        data = counts[[s.value for s in Severity]]
        data.index = pd.Index(counts["label"].tolist())
        return severity_bars(data, ax=ax)

    def _repr_html_(self) -> str:
        from crmselect.tables import severity_html, to_html

        notes = [f"ignored: {', '.join(self.ignored)}"] if self.ignored else []
        summary = to_html(self.by_bid(), caption="Findings per bid",
                          formats={"sla_score": "score", "contract_score": "score"},
                          colour_columns=("sla_score", "contract_score"), colour_range=(0.0, 1.0))
        return summary + severity_html(self.frame(), caption="SLA and contract findings", notes=notes)


def check_project(project: Project, ignore: Iterable[str] = ()) -> CheckReport:
    """Run every rule on every bid of ``project``; ``ignore`` drops codes (unknown codes are an error)."""
    skipped = validate_codes(ignore)
    bids = tuple(
        BidFindings(bid=bid.id, label=bid.label, vendor=bid.vendor.name, deployment=bid.offer.deployment.value,
                    findings=check_offer(bid.offer, ignore=skipped))
        for bid in project.bids
    )
    return CheckReport(bids, tuple(sorted(skipped)))


__all__ = [
    "CHECKS",
    "CODES",
    "PENALTY",
    "BidFindings",
    "Check",
    "CheckReport",
    "Finding",
    "Scope",
    "Severity",
    "check",
    "check_offer",
    "check_project",
    "computed_values",
    "contract_score",
    "penalty_score",
    "registry",
    "sla_score",
    "validate_codes",
]
