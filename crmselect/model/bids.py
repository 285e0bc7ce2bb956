"""Frozen vendor bids: answers to the criteria, and one or more offers with prices, SLA and contract.

A vendor may bid several offers (say SaaS and on-premise); each offer is ranked as its own
bid, sharing the vendor's answers and committee scores but carrying its own money and terms.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from typing import Annotated

from pydantic import AfterValidator, Field, Strict, model_validator

from crmselect.errors import Message
from crmselect.model.goals import (
    Currency,
    Frozen,
    Id,
    Letter,
    Money,
    Percent,
    Ref,
    Text,
    _freeze,
    _plain,
    field_error,
)


class Deployment(enum.StrEnum):
    saas = "saas"
    on_premise = "on_premise"
    hosted = "hosted"


class SlaCommitment(enum.StrEnum):
    financially_backed = "financially_backed"
    reasonable_efforts = "reasonable_efforts"
    none = "none"


class MeasurementPeriod(enum.StrEnum):
    monthly = "monthly"
    quarterly = "quarterly"
    yearly = "yearly"


class DowntimeBasis(enum.StrEnum):
    user_minutes = "user_minutes"
    whole_service = "whole_service"


class SupportHours(enum.StrEnum):
    all_day_every_day = "24x7"
    all_day_weekdays = "24x5"
    business_hours = "business_hours"


class MaintenanceBase(enum.StrEnum):
    list_price = "list"
    net_price = "net"


class AuditRight(enum.StrEnum):
    none = "none"
    annual_with_notice = "annual_with_notice"
    at_will = "at_will"


class TrueUpPrice(enum.StrEnum):
    contract = "contract"
    list_price = "list"


class PricingModel(enum.StrEnum):
    fixed_price = "fixed_price"
    time_and_materials = "time_and_materials"
    shared_risk = "shared_risk"


class Certification(enum.StrEnum):
    soc2_type2 = "soc2_type2"
    soc2_type1 = "soc2_type1"
    iso27001 = "iso27001"
    iso27017 = "iso27017"
    iso27018 = "iso27018"
    mlps2 = "mlps2"  # China's Multi-Level Protection Scheme (MLPS 2.0, 等保), level 2: below what personal data needs
    mlps3 = "mlps3"  # China's Multi-Level Protection Scheme, level 3
    mlps4 = "mlps4"  # China's Multi-Level Protection Scheme, level 4


class DataLocation(enum.StrEnum):
    """Where the offer keeps the company's data, backups and recovery copies included (the rules of China read it)."""

    mainland_china = "mainland_china"  # data, backups and recovery copies in mainland China
    backups_abroad = "backups_abroad"  # production in mainland China; backups or recovery copies outside it
    abroad = "abroad"  # stored outside mainland China


class CrossBorderMechanism(enum.StrEnum):
    """What a transfer of personal information out of mainland China rests on (PIPL article 38)."""

    none = "none"
    security_assessment = "security_assessment"  # the CAC's security assessment (数据出境安全评估)
    standard_contract = "standard_contract"  # the standard contract, filed with the provincial CAC (标准合同)
    certification = "certification"  # personal information protection certification (个人信息保护认证)


class StackLayer(enum.StrEnum):
    """A layer of the technology stack that can run on domestic products (信创)."""

    chip = "chip"
    operating_system = "operating_system"
    database = "database"
    middleware = "middleware"


class Answer(Frozen):
    """A vendor's answer to one criterion: a compliance ``code`` or a ``value`` (number or yes/no)."""

    code: Letter | None = None
    value: bool | float | None = None
    available: dt.date | None = None
    comment: str = Field(default="", max_length=4000)
    evidence: str = Field(default="", max_length=2000)
    third_party_product: str = Field(default="", max_length=200)
    third_party_cost_per_year: Money | None = None
    effort_days: Annotated[float, Strict(), Field(ge=0, le=10_000)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Answer:
        if self.code is not None and self.value is not None:
            raise field_error(
                ("value",),
                Message("cannot be given together with code (an answer gives exactly one of code or value)"),
                Message("either code (a compliance code) or value (a number or true/false), not both"),
                Message("code: {code} and value: {value}", code=self.code, value=_plain(self.value)),
                "code_and_value",
            )
        if self.code is None and self.value is None:
            raise field_error(
                ("code",),
                Message("is missing, and so is value: an answer gives exactly one of code or value"),
                Message("code (a compliance code) or value (a number or true/false)"),
                Message("nothing"),
                "empty_answer",
            )
        return self


class PayableLine(enum.StrEnum):
    """A recurring price line whose payment timing the contract sets."""

    subscription = "subscription"
    licence_true_ups = "licence_true_ups"
    maintenance = "maintenance"
    hosting = "hosting"
    database_os = "database_os"
    premium_support = "premium_support"
    consumption = "consumption"
    third_party = "third_party"


#: Paid yearly in advance unless the offer says otherwise: subscriptions, as SaaS contracts bill them.
DEFAULT_PAID_IN_ADVANCE: tuple[PayableLine, ...] = (PayableLine.subscription,)


class Pricing(Frozen):
    """Every price line of an offer, in the selection's currency.

    ``paid_in_advance`` lists the recurring lines billed at the start of each contract year; the
    others are paid as they fall due, counted at the end of their year (the TCO's discounting).
    """

    subscription_per_user_month: Money | None = None
    subscription_discount_pct: Percent = 0.0
    term_years: Annotated[int, Strict()] = Field(default=3, ge=1, le=10)
    renewal_escalator_pct: Annotated[float, Strict(), Field(ge=0, le=50)] = 0.0
    renewal_cap_pct: Annotated[float, Strict(), Field(ge=0, le=50)] | None = None
    licence_per_user: Money | None = None
    licence_discount_pct: Percent = 0.0
    maintenance_pct: Percent = 0.0
    maintenance_base: MaintenanceBase = MaintenanceBase.net_price
    maintenance_uplift_pct: Annotated[float, Strict(), Field(ge=0, le=50)] = 0.0
    hardware_initial: Money = 0.0
    hardware_refresh_years: Annotated[int, Strict()] | None = Field(default=None, ge=1, le=15)
    hosting_per_year: Money = 0.0
    hosting_escalator_pct: Annotated[float, Strict(), Field(ge=0, le=50)] = 0.0
    database_os_initial: Money = 0.0
    database_os_per_year: Money = 0.0
    premium_support_per_year: Money = 0.0
    consumption_per_year: Money = 0.0
    consumption_growth_pct: Annotated[float, Strict(), Field(ge=0, le=100)] = 0.0
    third_party_per_year: Money = 0.0
    third_party_products: str = Field(
        default="", max_length=1000,
        description="the third-party products third_party_per_year pays for, by name, separated by ';' or ','")
    paid_in_advance: tuple[PayableLine, ...] = Field(
        default=DEFAULT_PAID_IN_ADVANCE,
        description="recurring lines billed yearly in advance (the rest are counted at the end of their year)")

    @property
    def third_party_product_names(self) -> tuple[str, ...]:
        """The products named in ``third_party_products``, trimmed, in the order written."""
        return tuple(name.strip() for name in self.third_party_products.replace(";", ",").split(",") if name.strip())


class ProjectPhase(Frozen):
    """One phase of the vendor's project plan: its name, person-days, and what it delivers."""

    name: Text
    days: Annotated[int, Strict()] = Field(ge=1, le=2000)
    description: str = Field(default="", max_length=2000)


class ImplementationPlan(Frozen):
    """The vendor's project: go-live, one-off services, the partner, and (optionally) phases, days and rate.

    ``services_days`` and ``services_day_rate`` explain ``services_cost``; TCO reads ``services_cost`` only
    (a cross-check notes when it differs from days x rate).
    """

    claimed_go_live_days: Annotated[int, Strict()] = Field(ge=1, le=2000)
    services_cost: Money
    data_migration_cost: Money = 0.0
    integration_cost: Money = 0.0
    training_cost: Money = 0.0
    partner: str = ""
    pricing_model: PricingModel = PricingModel.time_and_materials
    scope_defined: bool = True
    acceptance_criteria: bool = True
    milestone_payments: bool = False
    technical_account_manager_hours: Annotated[float, Strict(), Field(ge=0)] = 0.0
    phases: tuple[ProjectPhase, ...] = ()
    services_days: Annotated[float, Strict(), Field(ge=0, le=100_000)] | None = None
    services_day_rate: Money | None = None

    @property
    def services_days_times_rate(self) -> float | None:
        """``services_days x services_day_rate`` when both are given (to compare with ``services_cost``)."""
        if self.services_days is None or self.services_day_rate is None:
            return None
        return self.services_days * self.services_day_rate


class Operations(Frozen):
    """Internal staff the offer needs once live (full-time equivalents)."""

    admin_fte: Annotated[float, Strict(), Field(ge=0, le=100)] = 0.5
    dba_fte: Annotated[float, Strict(), Field(ge=0, le=100)] = 0.0


class CreditTier(Frozen):
    """Service credit of ``credit_pct`` of the monthly fee when uptime falls below ``below_pct``."""

    below_pct: Percent
    credit_pct: Percent


SEVERITIES = ("sev1", "sev2", "sev3", "sev4")


class SlaTerms(Frozen):
    commitment: SlaCommitment
    uptime_pct: Percent | None = None
    measurement_period: MeasurementPeriod = MeasurementPeriod.monthly
    basis: DowntimeBasis = DowntimeBasis.whole_service
    maintenance_excluded_hours_per_year: Annotated[float, Strict(), Field(ge=0, le=8760)] | None = None
    maintenance_notice_hours: Annotated[float, Strict(), Field(ge=0)] | None = None
    credits: tuple[CreditTier, ...] = ()
    credit_cap_pct: Percent | None = None
    credits_sole_remedy: bool = True
    support_hours: SupportHours = SupportHours.business_hours
    response_hours: Annotated[dict[str, Annotated[float, Strict(), Field(gt=0)]], AfterValidator(_freeze)] = Field(
        default_factory=dict
    )
    rpo_hours: Annotated[float, Strict(), Field(ge=0)] | None = None
    rto_hours: Annotated[float, Strict(), Field(ge=0)] | None = None
    disaster_recovery_plan: bool = False
    disaster_recovery_tested: bool = False
    secondary_site: bool = False
    certifications: tuple[Certification, ...] = ()
    outage_history_provided: bool = False

    @model_validator(mode="after")
    def _credits_descending(self) -> SlaTerms:
        for index, (above, tier) in enumerate(itertools.pairwise(self.credits), start=1):
            if tier.below_pct >= above.below_pct:
                raise field_error(
                    ("credits", index, "below_pct"),
                    Message("must be lower than in the tier before it: credits go from highest to lowest below_pct"),
                    Message("a percentage below {value}", value=_plain(above.below_pct)),
                    tier.below_pct,
                    "credits_out_of_order",
                )
        for key in self.response_hours:
            if key not in SEVERITIES:
                raise field_error(
                    ("response_hours", key), Message("is not a severity level"), ", ".join(SEVERITIES), key,
                    "unknown_severity",
                )
        return self


class ContractTerms(Frozen):
    auto_renewal: bool = True
    renewal_notice_days: Annotated[int, Strict()] = Field(default=30, ge=0, le=730)
    renewal_term_years: Annotated[int, Strict()] = Field(default=1, ge=0, le=10)
    renewal_price_cap_pct: Annotated[float, Strict(), Field(ge=0, le=50)] | None = None
    seat_reduction_allowed: bool = False
    termination_for_convenience: bool = False
    termination_for_sla_failure: bool = False
    data_export_on_exit: bool = False
    export_window_days: Annotated[int, Strict()] = Field(default=0, ge=0, le=365)
    export_format: str = ""
    liability_cap_months: Annotated[float, Strict(), Field(ge=0, le=120)] | None = None
    liability_carve_outs: bool = False
    unilateral_changes: bool = False
    change_notice_days: Annotated[int, Strict()] = Field(default=0, ge=0, le=365)
    forced_upgrades: bool = False
    upgrade_preview_days: Annotated[int, Strict()] = Field(default=0, ge=0, le=365)
    maintenance_starts_at_go_live: bool = True
    audit_rights: AuditRight = AuditRight.annual_with_notice
    true_up_price: TrueUpPrice = TrueUpPrice.contract
    escrow: bool = False
    escrow_triggers: tuple[str, ...] = ()
    data_ownership_in_contract: bool = False
    breach_notice_hours: Annotated[float, Strict(), Field(ge=0)] | None = None
    subprocessor_objection: bool = False
    consumption_cap: bool = True
    change_of_control_protection: bool = False
    data_location: DataLocation | None = Field(
        default=None, description="where our data, backups included, is kept: mainland_china, backups_abroad or "
        "abroad (unstated: nothing)")
    support_access_from_abroad: bool = Field(
        default=False, description="staff outside mainland China (support, operations) can reach our data")
    cross_border_mechanism: CrossBorderMechanism = Field(
        default=CrossBorderMechanism.none, description="what a transfer of personal information out of mainland "
        "China rests on: security_assessment, standard_contract, certification or none")
    icp_filing: str = Field(default="", max_length=100,
                            description="the service's ICP filing number (ICP备案号), e.g. 沪ICP备2021012345号")
    domestic_stack: tuple[StackLayer, ...] = Field(
        default=(), description="the layers the offer runs on domestic products (信创): chip, operating_system, "
        "database, middleware")


class PartyRole(enum.StrEnum):
    """What a partner does in an offer."""

    implementation = "implementation"
    hosting = "hosting"


class RevenueBand(enum.StrEnum):
    """A partner's annual revenue, in bands (USD or the equivalent)."""

    under_1m = "under_1m"
    from_1m_to_10m = "1m_10m"
    from_10m_to_50m = "10m_50m"
    from_50m_to_250m = "50m_250m"
    over_250m = "over_250m"


class CreditRating(enum.StrEnum):
    """A partner's credit rating on the agencies' letter scale (without + and -)."""

    AAA = "AAA"
    AA = "AA"
    A = "A"
    BBB = "BBB"
    BB = "BB"
    B = "B"
    CCC = "CCC"

    @property
    def investment_grade(self) -> bool:
        """BBB or better: the usual line between investment grade and speculative."""
        return list(CreditRating).index(self) <= list(CreditRating).index(CreditRating.BBB)


class Party(Frozen):
    """A partner evaluated as a party of its own: its references, certified staff, financial standing, and
    (optionally) its own SLA and contract terms with the vendor or with us.

    ``references`` counts the reference customers the partner offered; ``references_checked`` names those the
    committee called.  ``certified_staff`` counts the partner's staff certified on the vendor's product.
    """

    name: Text
    references: Annotated[int, Strict()] = Field(default=0, ge=0, le=10_000)
    references_checked: tuple[Annotated[str, Field(min_length=1, max_length=200)], ...] = ()
    certified_staff: Annotated[int, Strict()] | None = Field(default=None, ge=0, le=100_000)
    years_trading: Annotated[int, Strict()] | None = Field(default=None, ge=0, le=300)
    revenue_band: RevenueBand | None = None
    credit_rating: CreditRating | None = None
    financial_evidence: str = Field(default="", max_length=2000)
    sla: SlaTerms | None = None
    contract: ContractTerms | None = None


class Partners(Frozen):
    """The parties besides the vendor: who implements, and who hosts (required for a hosted offer, by name)."""

    implementation: Party | None = None
    hosting: Party | None = None

    def parties(self) -> tuple[tuple[PartyRole, Party], ...]:
        """The parties given, with their role: implementation first, then hosting."""
        given = ((PartyRole.implementation, self.implementation), (PartyRole.hosting, self.hosting))
        return tuple((role, party) for role, party in given if party is not None)


class Offer(Frozen):
    """One way the vendor offers to deliver: a deployment with its prices, plan, SLA and contract."""

    id: Id
    deployment: Deployment
    edition: str = ""
    hosting_partner: str = ""
    pricing: Pricing
    implementation: ImplementationPlan
    operations: Operations = Field(default_factory=Operations)
    sla: SlaTerms
    contract: ContractTerms
    partners: Partners = Field(default_factory=Partners,
                               description="the implementation and hosting partners, evaluated as parties")
    answers: Annotated[dict[Ref, Answer], AfterValidator(_freeze)] = Field(
        default_factory=dict,
        description="answers that differ for this offer; they replace the vendor's answer to the same criterion",
    )

    @property
    def host_name(self) -> str:
        """Who hosts and runs the system: ``hosting_partner``, or the hosting party's name ("" when none)."""
        host = self.partners.hosting
        return self.hosting_partner or (host.name if host is not None else "")

    @model_validator(mode="after")
    def _prices_fit_deployment(self) -> Offer:
        price, kind = self.pricing, self.deployment.value
        subscription = ("pricing", "subscription_per_user_month")
        licence = ("pricing", "licence_per_user")
        if self.deployment is Deployment.saas and price.subscription_per_user_month is None:
            raise field_error(
                subscription,
                Message("is required for a saas offer"),
                Message("a price per user and month (a number >= 0)"),
                Message("nothing"),
                "required_for_deployment",
            )
        if self.deployment is Deployment.on_premise and price.licence_per_user is None:
            raise field_error(
                licence,
                Message("is required for an on_premise offer"),
                Message("a one-off licence price per user (a number >= 0)"),
                Message("nothing"),
                "required_for_deployment",
            )
        if self.deployment is Deployment.hosted:
            if price.licence_per_user is None and price.subscription_per_user_month is None:
                raise field_error(
                    licence,
                    Message("is required for a hosted offer, unless pricing.subscription_per_user_month is given"),
                    Message("a one-off licence price per user (a number >= 0), or a subscription_per_user_month "
                            "instead"),
                    Message("nothing"),
                    "required_for_deployment",
                )
            if not self.host_name:
                given = "hosting_partner" in self.model_fields_set
                raise field_error(
                    ("hosting_partner",),
                    Message("is required for a {kind} offer (who runs it)", kind=kind),
                    Message("the name of the company that hosts and runs the system"),
                    "''" if given else Message("nothing"),
                    "required_for_deployment",
                )
        self._partners_named_alike()
        return self

    def _partners_named_alike(self) -> None:
        """A party's name must be the one the offer gives its role elsewhere (hosting_partner,
        implementation.partner)."""
        for role, named, path in ((PartyRole.hosting, self.hosting_partner, "hosting_partner"),
                                  (PartyRole.implementation, self.implementation.partner, "implementation.partner")):
            party = getattr(self.partners, role.value)
            if party is not None and named and party.name.strip().casefold() != named.strip().casefold():
                raise field_error(
                    ("partners", role.value, "name"),
                    Message("names another company than {field} ({named}): one offer has one {role} partner",
                            field=path, named=named, role=role.value),
                    Message("{named}, as {field} gives it (or leave {field} empty)", named=named, field=path),
                    party.name,
                    "partner_name_differs",
                )


class Vendor(Frozen):
    """A vendor's whole bid: who they are, their offers, and their answers per criterion id."""

    id: Id
    name: Text
    currency: Currency
    country: str = ""
    description: str = ""
    round: Annotated[int, Strict()] = Field(
        default=1, ge=1, le=99,
        description="the offer round this file holds: 1 for the first bid, 2 for the first best-and-final offer ... "
                    "(earlier rounds are kept in vendors/rounds/ by `crmselect bafo`)")
    offers: tuple[Offer, ...] = Field(min_length=1)
    answers: Annotated[dict[Ref, Answer], AfterValidator(_freeze)] = Field(default_factory=dict)

    def offer(self, offer_id: str) -> Offer:
        for offer in self.offers:
            if offer.id == offer_id:
                return offer
        raise KeyError(offer_id)
