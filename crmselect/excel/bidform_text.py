"""The words of the bid form: each field's label, unit and help, and the labels of its choices.

English texts are marked with ``N_`` and translated when a form is written, in the language of the
form.  A choice (an enum of :mod:`crmselect.model.bids`) is stored as its machine value (``saas``,
``on_premise``): an English form shows that value in its drop-down, as it always did; a form in another
language shows the translated label of :data:`CHOICE_TEXT` ("SaaS 订阅"), and the reader maps a label of
the form's language (or a machine value) back to the value, so a round trip is exact.
"""

from __future__ import annotations

from collections.abc import Iterable

from crmselect.show.i18n import N_, SOURCE_LANGUAGE, _, current, using

CURRENCY = "{currency}"  # replaced by the selection's currency in units and help

# key: (label, unit, help); the key is the field's path below the offer, dotted
TEXTS: dict[str, tuple[str, str, str]] = {
    "id": (
        N_("Offer id"),
        "",
        N_(
            "Your short name for this offer (letters, digits, - and _). Left blank, we make one "
            "from your name and the deployment."
        ),
    ),
    "deployment": (
        N_("Deployment"),
        "",
        N_(
            "saas: you run it as a subscription service. on_premise: we run it on our "
            "servers under a licence. hosted: a hosting partner runs a licensed system for us."
        ),
    ),
    "edition": (N_("Edition or product name"), "", N_("The edition or package this offer is for.")),
    "hosting_partner": (
        N_("Hosting partner"),
        "",
        N_("Required for a hosted offer: the company that hosts and runs the system."),
    ),
    # pricing
    "pricing.subscription_per_user_month": (
        N_("Subscription per user and month"),
        CURRENCY,
        N_("List price per named user and month. Required for saas."),
    ),
    "pricing.subscription_discount_pct": (
        N_("Subscription discount"),
        "%",
        N_("Discount off the subscription list price."),
    ),
    "pricing.term_years": (N_("Contract term"), N_("years"), N_("The committed initial term.")),
    "pricing.renewal_escalator_pct": (
        N_("Yearly price increase after the term"),
        "%",
        N_("How much the subscription rises each year at renewal."),
    ),
    "pricing.renewal_cap_pct": (N_("Cap on the yearly renewal increase"), "%", N_("Blank if there is no cap.")),
    "pricing.licence_per_user": (
        N_("Licence per user (one-off)"),
        CURRENCY,
        N_("Perpetual licence list price per named user. Required for on_premise."),
    ),
    "pricing.licence_discount_pct": (N_("Licence discount"), "%", N_("Discount off the licence list price.")),
    "pricing.maintenance_pct": (
        N_("Yearly maintenance"),
        N_("% of licence"),
        N_("Software maintenance per year, as a percentage of the licence price (list or net, below)."),
    ),
    "pricing.maintenance_base": (
        N_("Maintenance is a percentage of"),
        "",
        N_("list: of the list price; net: of the discounted price."),
    ),
    "pricing.maintenance_uplift_pct": (
        N_("Yearly maintenance increase"),
        "%",
        N_("How much maintenance rises each year."),
    ),
    "pricing.hardware_initial": (N_("Hardware (one-off)"), CURRENCY, N_("Servers and storage the offer needs.")),
    "pricing.hardware_refresh_years": (
        N_("Hardware refresh every"),
        N_("years"),
        N_("Blank if no refresh is planned."),
    ),
    "pricing.hosting_per_year": (N_("Hosting per year"), CURRENCY, N_("Data centre or hosting partner fees.")),
    "pricing.hosting_escalator_pct": (N_("Yearly hosting increase"), "%", ""),
    "pricing.database_os_initial": (N_("Database and OS licences (one-off)"), CURRENCY, ""),
    "pricing.database_os_per_year": (N_("Database and OS support per year"), CURRENCY, ""),
    "pricing.premium_support_per_year": (
        N_("Premium support per year"),
        CURRENCY,
        N_("Only if not included in the prices above."),
    ),
    "pricing.consumption_per_year": (
        N_("Usage-based fees per year"),
        CURRENCY,
        N_("API calls, storage or messages above what is included."),
    ),
    "pricing.consumption_growth_pct": (N_("Yearly growth of usage-based fees"), "%", ""),
    "pricing.third_party_per_year": (
        N_("Partner products per year"),
        CURRENCY,
        N_("Third-party products the offer needs (telephony, add-ons)."),
    ),
    "pricing.third_party_products": (
        N_("Partner products priced above"),
        "",
        N_("Name each third-party product the yearly partner price pays for, separated by ';'. An answer coded T "
           "must name its product here or state its own yearly cost."),
    ),
    # project plan
    "implementation.claimed_go_live_days": (
        N_("Days from signature to go-live"),
        N_("days"),
        N_("Calendar days. Required."),
    ),
    "implementation.services_cost": (
        N_("Implementation services (total)"),
        CURRENCY,
        N_("All consulting and configuration services to go-live. Required."),
    ),
    "implementation.services_days": (
        N_("Services person-days"),
        N_("days"),
        N_("Total person-days behind the services cost."),
    ),
    "implementation.services_day_rate": (
        N_("Day rate"),
        CURRENCY,
        N_("The average day rate; days x rate should match the services cost."),
    ),
    "implementation.data_migration_cost": (N_("Data migration"), CURRENCY, N_("If not in the services cost.")),
    "implementation.integration_cost": (
        N_("Integration (ERP, telephony ...)"),
        CURRENCY,
        N_("If not in the services cost."),
    ),
    "implementation.training_cost": (N_("Training"), CURRENCY, N_("If not in the services cost.")),
    "implementation.partner": (
        N_("Implementation partner"),
        "",
        N_("Who delivers the project (you or a named partner)."),
    ),
    "implementation.pricing_model": (
        N_("Services pricing model"),
        "",
        N_("fixed_price, time_and_materials or shared_risk."),
    ),
    "implementation.scope_defined": (N_("Scope defined in the offer"), "", N_("Is the delivered scope written down?")),
    "implementation.acceptance_criteria": (N_("Acceptance criteria agreed"), "", ""),
    "implementation.milestone_payments": (N_("Payments tied to milestones"), "", ""),
    "implementation.technical_account_manager_hours": (
        N_("Technical account manager"),
        N_("hours"),
        N_("Hours included."),
    ),
    "operations.admin_fte": (N_("Our administrators needed"), N_("FTE"), N_("Full-time equivalents once live.")),
    "operations.dba_fte": (N_("Our database administrators needed"), N_("FTE"), N_("Full-time equivalents once live.")),
    # SLA
    "sla.commitment": (
        N_("SLA commitment"),
        "",
        N_(
            "financially_backed: service credits if missed; reasonable_efforts: "
            "no credits; none: no availability commitment. Required."
        ),
    ),
    "sla.uptime_pct": (N_("Committed uptime"), "%", N_("Blank if no uptime is committed.")),
    "sla.measurement_period": (N_("Uptime measured per"), "", N_("monthly, quarterly or yearly.")),
    "sla.basis": (
        N_("Downtime counted as"),
        "",
        N_("whole_service: only full outages count; user_minutes: every user affected counts."),
    ),
    "sla.maintenance_excluded_hours_per_year": (
        N_("Maintenance excluded from uptime"),
        N_("hours per year"),
        N_("Planned maintenance not counted as downtime. Blank if none."),
    ),
    "sla.maintenance_notice_hours": (N_("Notice before maintenance"), N_("hours"), N_("Blank if none is promised.")),
    "sla.credit_cap_pct": (N_("Cap on service credits"), N_("% of monthly fee"), N_("Blank if uncapped.")),
    "sla.credits_sole_remedy": (N_("Credits are the only remedy"), "", ""),
    "sla.support_hours": (N_("Support hours"), "", N_("24x7, 24x5 or business_hours.")),
    "sla.rpo_hours": (
        N_("Recovery point objective (RPO)"),
        N_("hours"),
        N_("Most data that can be lost. Blank if none."),
    ),
    "sla.rto_hours": (N_("Recovery time objective (RTO)"), N_("hours"), N_("Longest time to restore. Blank if none.")),
    "sla.disaster_recovery_plan": (N_("Disaster recovery plan"), "", ""),
    "sla.disaster_recovery_tested": (N_("Disaster recovery tested yearly"), "", ""),
    "sla.secondary_site": (N_("Secondary data centre"), "", ""),
    "sla.outage_history_provided": (N_("Outage history provided"), "", N_("Have you given us your outage history?")),
    # contract
    "contract.auto_renewal": (N_("Renews automatically"), "", ""),
    "contract.renewal_notice_days": (N_("Notice to stop renewal"), N_("days"), ""),
    "contract.renewal_term_years": (N_("Renewal term"), N_("years"), N_("0 if it does not renew.")),
    "contract.renewal_price_cap_pct": (N_("Cap on renewal price increase"), "%", N_("Blank if uncapped.")),
    "contract.seat_reduction_allowed": (N_("Users can be reduced at renewal"), "", ""),
    "contract.termination_for_convenience": (N_("We may end it for convenience"), "", ""),
    "contract.termination_for_sla_failure": (N_("We may end it for repeated SLA failure"), "", ""),
    "contract.data_export_on_exit": (N_("Full data export on exit"), "", ""),
    "contract.export_window_days": (N_("Export window after the end"), N_("days"), ""),
    "contract.export_format": (N_("Export format"), "", N_("e.g. CSV per object, database dump.")),
    "contract.liability_cap_months": (N_("Liability cap"), N_("months of fees"), N_("Blank if uncapped.")),
    "contract.liability_carve_outs": (
        N_("Carve-outs from the cap"),
        "",
        N_("Data breach and confidentiality outside the cap?"),
    ),
    "contract.unilateral_changes": (N_("You may change terms unilaterally"), "", ""),
    "contract.change_notice_days": (N_("Notice of changes"), N_("days"), ""),
    "contract.forced_upgrades": (N_("Upgrades installed without our consent"), "", ""),
    "contract.upgrade_preview_days": (N_("Upgrade preview"), N_("days"), N_("Sandbox access before an upgrade.")),
    "contract.maintenance_starts_at_go_live": (
        N_("Fees start at go-live"),
        "",
        N_("Maintenance or subscription starts at go-live, not at signature."),
    ),
    "contract.audit_rights": (N_("Your licence audit rights"), "", N_("none, annual_with_notice or at_will.")),
    "contract.true_up_price": (
        N_("Extra users are priced at"),
        "",
        N_("contract: the contract price; list: the list price then."),
    ),
    "contract.escrow": (N_("Source code escrow"), "", N_("Triggers in the table below.")),
    "contract.data_ownership_in_contract": (N_("Our data ownership in the contract"), "", ""),
    "contract.breach_notice_hours": (N_("Notice of a data breach within"), N_("hours"), N_("Blank if not promised.")),
    "contract.subprocessor_objection": (N_("We may object to new subprocessors"), "", ""),
    "contract.consumption_cap": (N_("Usage-based fees have a ceiling"), "", ""),
    "contract.change_of_control_protection": (
        N_("Protection on change of control"),
        "",
        N_("Terms hold if you are acquired."),
    ),
    "contract.data_location": (
        N_("Where our data and its backups are kept"),
        "",
        N_("mainland_china, backups_abroad (production in mainland China, backups outside) or abroad. Blank if "
           "not stated."),
    ),
    "contract.support_access_from_abroad": (
        N_("Staff outside mainland China can reach our data"),
        "",
        N_("Support or operations staff abroad with access to our data (a cross-border transfer)."),
    ),
    "contract.cross_border_mechanism": (
        N_("What a transfer out of mainland China rests on"),
        "",
        N_("security_assessment (by the CAC), standard_contract (filed), certification, or none."),
    ),
    "contract.icp_filing": (N_("ICP filing number of the service"), "", N_("Blank if the service has none.")),
    "contract.domestic_stack": (N_("Runs on domestic products"), "", ""),
    # a partner as a party of its own (the same rows for the implementation and the hosting partner)
    "party.name": (
        N_("Partner's company name"),
        "",
        N_("The same company as named above (implementation partner or hosting partner). Required when this "
           "block is filled in; leave the whole block blank if there is no such partner."),
    ),
    "party.references": (
        N_("Reference customers offered"),
        N_("customers"),
        N_("Customers of similar size and scope we may call about this partner's work."),
    ),
    "party.certified_staff": (
        N_("Staff certified on your product"),
        N_("people"),
        N_("The partner's staff holding a current certification on the product offered. Blank if not known."),
    ),
    "party.years_trading": (N_("Years trading"), N_("years"), N_("Since the partner was founded. Blank if not known.")),
    "party.revenue_band": (N_("Yearly revenue"), "", N_("In USD or the equivalent. Blank if not disclosed.")),
    "party.credit_rating": (
        N_("Credit rating"),
        "",
        N_("The agencies' letter scale without + or -. Blank if not rated."),
    ),
    "party.financial_evidence": (
        N_("Evidence of its finances"),
        "",
        N_("What backs the figures above: audited accounts, a credit report, a bank letter."),
    ),
}
SEVERITY_TEXT = {
    "sev1": N_("system down"),
    "sev2": N_("major function down"),
    "sev3": N_("minor problem"),
    "sev4": N_("question or request"),
}
CERTIFICATION_TEXT = {
    "soc2_type2": "SOC 2 Type II",
    "soc2_type1": "SOC 2 Type I",
    "iso27001": "ISO/IEC 27001",
    "iso27017": N_("ISO/IEC 27017 (cloud security)"),
    "iso27018": N_("ISO/IEC 27018 (cloud privacy)"),
    "mlps2": N_("MLPS level 2 (China)"),
    "mlps3": N_("MLPS level 3 (China)"),
    "mlps4": N_("MLPS level 4 (China)"),
}
#: the layers of a domestic technology stack (信创), asked one Yes/No row each
STACK_TEXT = {
    "chip": N_("chips"),
    "operating_system": N_("operating system"),
    "database": N_("database"),
    "middleware": N_("middleware"),
}
PAYABLE_TEXT = {
    "subscription": N_("subscription"),
    "licence_true_ups": N_("licence true-ups"),
    "maintenance": N_("maintenance"),
    "hosting": N_("hosting"),
    "database_os": N_("database and OS"),
    "premium_support": N_("premium support"),
    "consumption": N_("consumption"),
    "third_party": N_("third-party products"),
}

#: the label of each choice of a field, by field key and machine value (forms not in English show these)
CHOICE_TEXT: dict[str, dict[str, str]] = {
    "deployment": {
        "saas": N_("SaaS subscription"),
        "on_premise": N_("on-premise licence"),
        "hosted": N_("hosted by a partner"),
    },
    "pricing.maintenance_base": {"list": N_("of the list price"), "net": N_("of the net price")},
    "contract.data_location": {"mainland_china": N_("in mainland China, backups too"),
                               "backups_abroad": N_("in mainland China, backups abroad"),
                               "abroad": N_("outside mainland China")},
    "contract.cross_border_mechanism": {"none": N_("none"), "security_assessment": N_("CAC security assessment"),
                                        "standard_contract": N_("standard contract, filed"),
                                        "certification": N_("personal information protection certification")},
    "implementation.pricing_model": {
        "fixed_price": N_("fixed price"),
        "time_and_materials": N_("time and materials"),
        "shared_risk": N_("shared risk"),
    },
    "sla.commitment": {
        "financially_backed": N_("financially backed"),
        "reasonable_efforts": N_("reasonable efforts"),
        "none": N_("no availability commitment"),
    },
    "sla.measurement_period": {"monthly": N_("monthly"), "quarterly": N_("quarterly"), "yearly": N_("yearly")},
    "sla.basis": {"whole_service": N_("whole service down"), "user_minutes": N_("user minutes affected")},
    "sla.support_hours": {
        "24x7": N_("24 hours, 7 days"),
        "24x5": N_("24 hours, 5 days"),
        "business_hours": N_("business hours"),
    },
    "contract.audit_rights": {
        "none": N_("no audit rights"),
        "annual_with_notice": N_("yearly, with notice"),
        "at_will": N_("at any time"),
    },
    "contract.true_up_price": {"contract": N_("the contract price"), "list": N_("the list price then")},
    "party.revenue_band": {
        "under_1m": N_("under 1 million"),
        "1m_10m": N_("1 to 10 million"),
        "10m_50m": N_("10 to 50 million"),
        "50m_250m": N_("50 to 250 million"),
        "over_250m": N_("over 250 million"),
    },
}
#: the parties of an offer as the form names them, by role
PARTY_TEXT = {"implementation": N_("Implementation partner"), "hosting": N_("Hosting partner")}
PARTY_PREFIX = "partners."


def text_key(key: str) -> str:
    """The key of a field's words: a partner's field shares those of the offer's own field (``sla.uptime_pct``)
    or of the party fields (``party.name``); ``partners.hosting.sla.uptime_pct`` -> ``sla.uptime_pct``."""
    if not key.startswith(PARTY_PREFIX):
        return key
    rest = key.split(".", 2)[2] if key.count(".") >= 2 else ""
    return rest if rest.startswith(("sla.", "contract.")) else f"party.{rest}"
DEPLOYMENT_TITLES = {"saas": N_("SaaS"), "on_premise": N_("on-premise"), "hosted": N_("hosted")}


def choice_label(key: str, value: str) -> str:
    """How a form in the current language shows the choice ``value`` of field ``key``."""
    labels = CHOICE_TEXT.get(text_key(key), {})
    if current().language == SOURCE_LANGUAGE or value not in labels:
        return value
    return _(labels[value])


def choice_labels(key: str, values: Iterable[str]) -> tuple[str, ...]:
    return tuple(choice_label(key, value) for value in values)


def parse_choice(key: str, values: Iterable[str], typed: str, language: str) -> str | None:
    """The machine value a cell of a form in ``language`` names: by its label there, or by the value itself."""
    wanted = typed.strip().casefold()
    with using(language):
        for value in values:
            if wanted in (value.casefold(), choice_label(key, value).casefold()):
                return value
    return None


def deployment_title(value: str) -> str:
    """A deployment as a title names it: "SaaS", "on-premise", "hosted" (translated)."""
    return _(DEPLOYMENT_TITLES[value]) if value in DEPLOYMENT_TITLES else value


__all__ = [
    "CERTIFICATION_TEXT",
    "CHOICE_TEXT",
    "CURRENCY",
    "DEPLOYMENT_TITLES",
    "PARTY_PREFIX",
    "PARTY_TEXT",
    "PAYABLE_TEXT",
    "SEVERITY_TEXT",
    "STACK_TEXT",
    "TEXTS",
    "choice_label",
    "choice_labels",
    "deployment_title",
    "parse_choice",
    "text_key",
]
