"""The contract rules ``CTR001``–``CTR028``: renewal, termination, exit, liability, changes and
upgrades, maintenance, audits, escrow, scope of services, data protection, consumption and change
of control.  Each is registered in order on the rule book ``CONTRACT_CHECKS`` comes from;
:mod:`crmselect.checks.report` runs them.  Levers draw on the contract clause checklist of
``domain_facts.md`` §4.
"""

from __future__ import annotations

from crmselect.checks.types import HIGH, LOW, MEDIUM, VENDOR_RUN, Check, RuleBook, Scope
from crmselect.checks.types import figure as _g
from crmselect.checks.types import months as _months
from crmselect.model.bids import (
    AuditRight,
    MaintenanceBase,
    Offer,
    PricingModel,
    TrueUpPrice,
)

_RULES = RuleBook()
_rule = _RULES.rule

# ------------------------------------------------------------------ thresholds (documented defaults)
MAX_RENEWAL_NOTICE_DAYS = 30
MAX_RENEWAL_CAP_PCT = 5.0
MIN_EXPORT_WINDOW_DAYS = 30
MIN_LIABILITY_CAP_MONTHS = 12.0
MIN_UPGRADE_PREVIEW_DAYS = 28
MAX_MAINTENANCE_UPLIFT_PCT = 3.0
MAX_BREACH_NOTICE_HOURS = 72.0


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


CONTRACT_CHECKS: tuple[Check, ...] = _RULES.checks

__all__ = [
    "CONTRACT_CHECKS",
    "MAX_BREACH_NOTICE_HOURS",
    "MAX_MAINTENANCE_UPLIFT_PCT",
    "MAX_RENEWAL_CAP_PCT",
    "MAX_RENEWAL_NOTICE_DAYS",
    "MIN_EXPORT_WINDOW_DAYS",
    "MIN_LIABILITY_CAP_MONTHS",
    "MIN_UPGRADE_PREVIEW_DAYS",
    "renewal_cap_pct",
]
