"""Offers, assumptions and a tiny project built straight from model objects, for the money tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crmselect.model.bids import (
    Answer,
    ContractTerms,
    CreditTier,
    Deployment,
    ImplementationPlan,
    Offer,
    Operations,
    Pricing,
    SlaCommitment,
    SlaTerms,
    Vendor,
)
from crmselect.model.goals import (
    Assumptions,
    Committee,
    ComplianceCode,
    ComplianceScale,
    Criterion,
    Effort,
    Goal,
    Kpi,
    Member,
    Scenario,
    Selection,
)
from crmselect.model.project import Project

NOWHERE = Path("/nonexistent/crmselect-money-test")

#: 3 months in days: go-live exactly at the end of month 3
THREE_MONTHS = 365 / 12 * 3
SIX_MONTHS = 365 / 12 * 6


def scale() -> ComplianceScale:
    """S/C/T/X/N with the shipped efforts: C low, T medium, X high."""
    spec = [
        ("S", 1.0, Effort.none),
        ("C", 0.85, Effort.low),
        ("T", 0.55, Effort.medium),
        ("X", 0.35, Effort.high),
        ("N", 0.0, Effort.none),
    ]
    return ComplianceScale(
        codes=tuple(ComplianceCode(code=c, label=f"code {c}", value=v, effort=e) for c, v, e in spec)
    )


def assumptions(**changes: Any) -> Assumptions:
    base: dict[str, Any] = dict(
        users=100,
        user_growth_pct=10.0,
        horizon_years=3,
        discount_rate_pct=10.0,
        loaded_cost_per_fte=100_000.0,
        cost_per_effort_day=1_000.0,
        downtime_cost_per_user_hour=50.0,
        users_affected_pct=50.0,
        benefit_ramp_months=6,
        risk_benefits_down_pct=20.0,
        risk_costs_up_pct=10.0,
    )
    base.update(changes)
    return Assumptions(**base)


def saas_offer(**pricing: Any) -> Offer:
    """The hand-checked SaaS offer of test_tco.py: every line paid at the end of its year, as the hand
    calculations count it (the default, subscriptions in advance, has its own tests)."""
    price: dict[str, Any] = dict(
        paid_in_advance=(),
        subscription_per_user_month=100.0,
        subscription_discount_pct=20.0,
        term_years=2,
        renewal_escalator_pct=10.0,
        renewal_cap_pct=6.0,
        premium_support_per_year=10_000.0,
        consumption_per_year=5_000.0,
        consumption_growth_pct=20.0,
        third_party_per_year=2_000.0,
    )
    price.update(pricing)
    return Offer(
        id="cloud-saas",
        deployment=Deployment.saas,
        pricing=Pricing(**price),
        implementation=ImplementationPlan(
            claimed_go_live_days=1,
            services_cost=200_000.0,
            data_migration_cost=30_000.0,
            integration_cost=40_000.0,
            training_cost=10_000.0,
        ),
        operations=Operations(admin_fte=0.5, dba_fte=0.0),
        sla=SlaTerms(
            commitment=SlaCommitment.financially_backed,
            uptime_pct=99.9,
            credits=(CreditTier(below_pct=99.9, credit_pct=10.0), CreditTier(below_pct=99.0, credit_pct=25.0)),
            credit_cap_pct=20.0,
        ),
        contract=ContractTerms(auto_renewal=True, renewal_term_years=1, renewal_price_cap_pct=5.0),
    )


def onprem_offer(**pricing: Any) -> Offer:
    """The hand-checked on-premise offer of test_tco.py."""
    price: dict[str, Any] = dict(
        licence_per_user=1_000.0,
        licence_discount_pct=25.0,
        maintenance_pct=20.0,
        maintenance_base="list",
        maintenance_uplift_pct=5.0,
        hardware_initial=50_000.0,
        hardware_refresh_years=2,
        database_os_initial=8_000.0,
        database_os_per_year=1_500.0,
    )
    price.update(pricing)
    return Offer(
        id="iron-onprem",
        deployment=Deployment.on_premise,
        pricing=Pricing(**price),
        implementation=ImplementationPlan(claimed_go_live_days=1, services_cost=300_000.0),
        operations=Operations(admin_fte=1.0, dba_fte=0.5),
        sla=SlaTerms(commitment=SlaCommitment.none),
        contract=ContractTerms(maintenance_starts_at_go_live=False, true_up_price="list"),
    )


def with_go_live(offer: Offer, days: float) -> Offer:
    return offer.replace(implementation=offer.implementation.replace(claimed_go_live_days=round(days)))


def criteria() -> tuple[Criterion, ...]:
    def compliance(cid: str) -> Criterion:
        return Criterion(id=cid, name=f"Criterion {cid}", description="A test criterion.", answer="compliance")

    price = Criterion(
        id="PRICE",
        name="Price",
        description="TCO, computed.",
        answer="computed",
        computed_from="price",
        envelope="price",
    )
    return (*[compliance(f"C{i}") for i in range(1, 8)], price)


#: answers of the test vendor: linked C1..C5 -> X, X, T, C, S; C6 unlinked X (no effort counted)
ANSWERS = {
    "C1": Answer(code="X"),
    "C2": Answer(code="X"),
    "C3": Answer(code="T"),
    "C4": Answer(code="C"),
    "C5": Answer(code="S"),
    "C6": Answer(code="X"),
    "C7": Answer(value=3.0),
}
#: effort days the answers above cost: 2 x 20 (X) + 8 (T) + 2 (C)
EFFORT_DAYS = 50.0


def selection(annual_benefits: tuple[float, ...] = (60_000.0, 60_000.0), **assume: Any) -> Selection:
    goals = (
        Goal(
            id="sales",
            name="Sell more",
            weight=60,
            kpis=(Kpi(name="Win rate", unit="%", baseline=20, target=26, value_per_unit=annual_benefits[0] / 6),),
            criteria={"C1": 2, "C2": 1, "C3": 1, "PRICE": 1},
        ),
        Goal(
            id="service",
            name="Serve faster",
            weight=40,
            kpis=(
                Kpi(name="Hours to answer", unit="h", baseline=24, target=4, value_per_unit=annual_benefits[1] / 20),
            ),
            criteria={"C4": 1, "C5": 1, "C7": 1},
        ),
    )
    return Selection(
        name="Money test", company="Test Ltd", currency="EUR", assumptions=assumptions(**assume), goals=goals
    )


def project(*offers: Offer, selection_: Selection | None = None, answers: dict[str, Answer] | None = None) -> Project:
    """One vendor bidding ``offers`` (default: the SaaS and on-premise offers above)."""
    vendor = Vendor(
        id="vendor",
        name="Vendor",
        currency="EUR",
        offers=offers or (saas_offer(), onprem_offer()),
        answers=ANSWERS if answers is None else answers,
    )
    committee = Committee(
        members=(Member(id="m1", name="Member", role="sales"),),
        scenarios=(Scenario(id="s1", name="Demo", criterion="C7"),),
    )
    return Project(
        root=NOWHERE,
        categories=(),
        criteria=criteria(),
        themes=(),
        scale=scale(),
        selection=selection_ or selection(),
        vendors=(vendor,),
        committee=committee,
    )
