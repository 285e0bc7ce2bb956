"""The contract rules ``CTR001``–``CTR030``: renewal, termination, exit, liability, changes and
upgrades, maintenance, audits, escrow, scope of services, data protection, consumption, change
of control, and what the bid's answers commit us to (``CTR029`` third-party products the offer does
not price, ``CTR030`` a large share of custom code: bid rules that read the answers, docs/UPGRADES.md).
Each is registered in order on the rule book ``CONTRACT_CHECKS`` comes from;
:mod:`crmselect.checks.report` runs them.  Levers draw on the contract clause checklist of
``domain_facts.md`` §4.  A rule returns why it fires (a key of its explanations in ``rules.yaml`` and
the offer's figures); its words, in English and Chinese, are in ``rules.yaml``.
"""

from __future__ import annotations

from crmselect.checks.types import HIGH, LOW, MEDIUM, VENDOR_RUN, BidContext, Check, CodedAnswer, RuleBook, Scope
from crmselect.checks.wording import Reason, reason
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
# Each rule's title, lever and explanations are its entry in rules.yaml, in English and Chinese.
@_rule("CTR001", MEDIUM, days=MAX_RENEWAL_NOTICE_DAYS)
def _ctr_renewal_notice(offer: Offer) -> Reason | None:
    terms = offer.contract
    if terms.auto_renewal and terms.renewal_notice_days > MAX_RENEWAL_NOTICE_DAYS:
        return reason("long_notice", days=terms.renewal_notice_days)
    return None


@_rule("CTR002", MEDIUM)
def _ctr_evergreen(offer: Offer) -> Reason | None:
    terms = offer.contract
    if terms.auto_renewal and terms.renewal_term_years > 1:
        return reason("multi_year", years=terms.renewal_term_years)
    return None


def renewal_cap_pct(offer: Offer) -> float | None:
    """The renewal price cap the offer states (contract or price sheet; the lower if both), or None."""
    caps = [c for c in (offer.contract.renewal_price_cap_pct, offer.pricing.renewal_cap_pct) if c is not None]
    return min(caps) if caps else None


@_rule("CTR003", HIGH, Scope.subscription)
def _ctr_renewal_cap(offer: Offer) -> Reason | None:
    cap = renewal_cap_pct(offer)
    escalator = offer.pricing.renewal_escalator_pct
    planned = {"escalator": escalator} if escalator > 0 else {}
    suffix = "_planned" if planned else ""
    if cap is None:
        return reason("uncapped" + suffix, **planned)
    if cap > MAX_RENEWAL_CAP_PCT:
        return reason("high_cap" + suffix, cap=cap, **planned)
    return None


@_rule("CTR004", MEDIUM, Scope.subscription)
def _ctr_seat_ratchet(offer: Offer) -> Reason | None:
    if offer.contract.seat_reduction_allowed:
        return None
    return reason("ratchet")


@_rule("CTR005", MEDIUM)
def _ctr_convenience(offer: Offer) -> Reason | None:
    if offer.contract.termination_for_convenience:
        return None
    return reason("locked_in", years=offer.pricing.term_years)


@_rule("CTR006", HIGH, VENDOR_RUN)
def _ctr_sla_termination(offer: Offer) -> Reason | None:
    if offer.contract.termination_for_sla_failure:
        return None
    return reason("no_exit")


@_rule("CTR007", HIGH, VENDOR_RUN)
def _ctr_no_export(offer: Offer) -> Reason | None:
    if offer.contract.data_export_on_exit:
        return None
    return reason("no_export")


@_rule("CTR008", MEDIUM, VENDOR_RUN)
def _ctr_export_window(offer: Offer) -> Reason | None:
    terms = offer.contract
    if not terms.data_export_on_exit or terms.export_window_days >= MIN_EXPORT_WINDOW_DAYS:
        return None
    return reason("short" if terms.export_format else "short_no_format", days=terms.export_window_days)


@_rule("CTR009", MEDIUM)
def _ctr_liability_cap(offer: Offer) -> Reason | None:
    months = offer.contract.liability_cap_months
    if months is None or months >= MIN_LIABILITY_CAP_MONTHS:
        return None
    return reason("one_month" if months == 1 else "low", months=months)


@_rule("CTR010", MEDIUM)
def _ctr_carve_outs(offer: Offer) -> Reason | None:
    terms = offer.contract
    if terms.liability_cap_months is None or terms.liability_carve_outs:
        return None
    return reason("no_carve_outs", months=terms.liability_cap_months)


@_rule("CTR011", MEDIUM, VENDOR_RUN)
def _ctr_sole_remedy(offer: Offer) -> Reason | None:
    sla, terms = offer.sla, offer.contract
    if not sla.credits_sole_remedy:
        return None
    capped = {} if sla.credit_cap_pct is None else {"cap": sla.credit_cap_pct}
    key = "sole_remedy" + ("_capped" if capped else "") + ("" if terms.termination_for_sla_failure else "_no_exit")
    return reason(key, **capped)


@_rule("CTR012", HIGH)
def _ctr_unilateral(offer: Offer) -> Reason | None:
    terms = offer.contract
    if not terms.unilateral_changes:
        return None
    if terms.change_notice_days:
        return reason("with_notice", days=terms.change_notice_days)
    return reason("without_notice")


@_rule("CTR013", MEDIUM, VENDOR_RUN)
def _ctr_forced_upgrades(offer: Offer) -> Reason | None:
    terms = offer.contract
    if not terms.forced_upgrades or terms.upgrade_preview_days >= MIN_UPGRADE_PREVIEW_DAYS:
        return None
    if terms.upgrade_preview_days:
        return reason("short_preview", days=terms.upgrade_preview_days)
    return reason("no_preview")


@_rule("CTR014", MEDIUM, Scope.licence)
def _ctr_maintenance_base(offer: Offer) -> Reason | None:
    price = offer.pricing
    if price.maintenance_base is not MaintenanceBase.list_price:
        return None
    if price.licence_discount_pct:
        return reason("list_not_net", maintenance=price.maintenance_pct, discount=price.licence_discount_pct)
    return reason("list", maintenance=price.maintenance_pct)


@_rule("CTR015", MEDIUM, Scope.licence)
def _ctr_maintenance_uplift(offer: Offer) -> Reason | None:
    uplift = offer.pricing.maintenance_uplift_pct
    if uplift <= MAX_MAINTENANCE_UPLIFT_PCT:
        return None
    growth = ((1 + uplift / 100) ** 5 - 1) * 100
    return reason("steep", uplift=uplift, growth=growth)


@_rule("CTR016", LOW, Scope.licence)
def _ctr_maintenance_start(offer: Offer) -> Reason | None:
    if offer.contract.maintenance_starts_at_go_live:
        return None
    return reason("from_signature", days=offer.implementation.claimed_go_live_days)


@_rule("CTR017", MEDIUM)
def _ctr_audit(offer: Offer) -> Reason | None:
    if offer.contract.audit_rights is AuditRight.at_will:
        return reason("at_will")
    return None


@_rule("CTR018", MEDIUM)
def _ctr_true_up(offer: Offer) -> Reason | None:
    if offer.contract.true_up_price is TrueUpPrice.list_price:
        return reason("list_price")
    return None


@_rule("CTR019", MEDIUM, Scope.escrow)
def _ctr_no_escrow(offer: Offer) -> Reason | None:
    if offer.contract.escrow:
        return None
    return reason("none")


@_rule("CTR020", LOW, Scope.escrow)
def _ctr_escrow_triggers(offer: Offer) -> Reason | None:
    terms = offer.contract
    if not terms.escrow or terms.escrow_triggers:
        return None
    return reason("no_triggers")


@_rule("CTR021", HIGH)
def _ctr_fixed_price(offer: Offer) -> Reason | None:
    plan = offer.implementation
    if plan.pricing_model is PricingModel.fixed_price and not plan.scope_defined:
        return reason("no_scope", cost=plan.services_cost)
    return None


@_rule("CTR022", MEDIUM)
def _ctr_acceptance(offer: Offer) -> Reason | None:
    if offer.implementation.acceptance_criteria:
        return None
    return reason("none")


@_rule("CTR023", LOW)
def _ctr_milestones(offer: Offer) -> Reason | None:
    plan = offer.implementation
    if plan.pricing_model is PricingModel.fixed_price and not plan.milestone_payments:
        return reason("no_milestones")
    return None


@_rule("CTR024", MEDIUM, VENDOR_RUN)
def _ctr_data_ownership(offer: Offer) -> Reason | None:
    if offer.contract.data_ownership_in_contract:
        return None
    return reason("not_in_contract")


@_rule("CTR025", MEDIUM, VENDOR_RUN)
def _ctr_breach_notice(offer: Offer) -> Reason | None:
    hours = offer.contract.breach_notice_hours
    if hours is None:
        return reason("no_deadline")
    if hours > MAX_BREACH_NOTICE_HOURS:
        return reason("slow", hours=hours)
    return None


@_rule("CTR026", LOW, VENDOR_RUN)
def _ctr_subprocessors(offer: Offer) -> Reason | None:
    if offer.contract.subprocessor_objection:
        return None
    return reason("no_objection")


@_rule("CTR027", MEDIUM)
def _ctr_consumption(offer: Offer) -> Reason | None:
    if offer.contract.consumption_cap:
        return None
    price = offer.pricing
    if price.consumption_per_year > 0:
        return reason("uncapped_quoted", amount=price.consumption_per_year, growth=price.consumption_growth_pct)
    return reason("uncapped")


@_rule("CTR028", LOW)
def _ctr_change_of_control(offer: Offer) -> Reason | None:
    if offer.contract.change_of_control_protection:
        return None
    return reason("unprotected")


def priced(answer: CodedAnswer, offer: Offer) -> bool:
    """Whether the third-party product an answer relies on is in the bid's price: the answer states its own
    yearly cost, or names a product the offer's partner-product price line names (case and spaces aside)."""
    if answer.third_party_cost_per_year is not None:
        return True
    named = {" ".join(name.casefold().split()) for name in offer.pricing.third_party_product_names}
    return bool(answer.third_party_product) and " ".join(answer.third_party_product.casefold().split()) in named


@_RULES.bid_rule("CTR029", HIGH)
def _ctr_third_party_unpriced(offer: Offer, context: BidContext) -> Reason | None:
    missing = [a for a in context.answers if a.must_be_priced and not priced(a, offer)]
    if not missing:
        return None
    items = ", ".join(f"{a.criterion} ({a.third_party_product})" if a.third_party_product else a.criterion
                      for a in missing)
    unnamed = sum(not a.third_party_product for a in missing)
    if unnamed == len(missing):
        return reason("unnamed", count=len(missing), criteria=items)
    return reason("unpriced", count=len(missing), criteria=items)


@_RULES.bid_rule("CTR030", MEDIUM)
def _ctr_custom_code(offer: Offer, context: BidContext) -> Reason | None:
    custom = [a.criterion for a in context.answers if a.upgrade_risk]
    if not context.answers or not custom:
        return None
    share = 100.0 * len(custom) / len(context.answers)
    if share <= context.high_custom_share_pct:
        return None
    return reason("high_share", count=len(custom), total=len(context.answers), share=share,
                  limit=context.high_custom_share_pct, criteria=", ".join(custom))


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
    "priced",
    "renewal_cap_pct",
]
