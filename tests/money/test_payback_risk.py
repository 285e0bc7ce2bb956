"""Payback percentiles from the risk Monte Carlo: a hand example, the plain payback as a cross-check,
"never" handled explicitly, and a later go-live never shortening the payback."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmselect.money.costs import DAYS_PER_MONTH, TcoInputs, TcoResult
from crmselect.money.returns import roi
from crmselect.money.risk import payback_by_draw, payback_percentile, payback_text, simulate_payback, simulate_risk
from tests import money_fixtures as mf

#: hosting 12,000 a year from signature, one admin at 24,000 a year from go-live, services 30,000 and
#: data migration 10,000 at signature; nothing paid in advance; 3 years
HAND = TcoInputs(horizon_years=3, users=10, hosting_per_year=12_000.0, admin_fte=1.0, loaded_cost_per_fte=24_000.0,
                 services_cost=30_000.0, data_migration_cost=10_000.0, go_live_days=3 * DAYS_PER_MONTH,
                 paid_in_advance=frozenset())


def hand_payback(duration: float, cost: float) -> float:
    """By hand: benefits 10,000 a month in full from go-live (no ramp), hosting 1,000 a month, the admin 2,000 a
    month from go-live; services billed x duration, the migration x cost; go-live at 3 x duration months."""
    live = 3.0 * duration
    initial = 30_000.0 * duration + 10_000.0 * cost
    debt = initial + 1_000.0 * live  # cumulative net at go-live, negated
    months = live + debt / (10_000.0 - 1_000.0 - 2_000.0)
    return months if months <= 36 else math.inf


def test_payback_per_draw_matches_the_hand_calculation() -> None:
    result = TcoResult.from_inputs(HAND)
    duration = np.array([1.0, 2.0, 4.0, 6.0])
    cost = np.array([1.0, 1.5, 1.0, 1.0])
    got = simulate_payback(result, 120_000.0, 0.0, duration, cost)
    expected = [hand_payback(d, c) for d, c in zip(duration, cost, strict=True)]
    assert expected[:3] == pytest.approx([3 + 43_000 / 7_000, 6 + 81_000 / 7_000, 12 + 142_000 / 7_000])
    np.testing.assert_allclose(got[:3], expected[:3], rtol=1e-12)
    assert math.isinf(got[3]) and math.isinf(expected[3])  # 47.7 months: beyond the 36-month horizon


def test_percentiles_are_empirical_and_never_is_none() -> None:
    paybacks = np.array([17.5714, 9.1428, math.inf, 32.2857])
    ordered = sorted(paybacks)  # nearest rank: the ceil(q n / 100)-th smallest
    for q in (10, 50, 90):
        rank = math.ceil(q * len(ordered) / 100)
        expected = ordered[rank - 1]
        assert payback_percentile(paybacks, q) == (None if math.isinf(expected) else expected)
    assert payback_percentile(paybacks, 90) is None
    assert payback_text(None) == "never" and payback_text(math.inf) == "never" and payback_text(9.14) == "9.1"


def test_payback_kernel_edge_cases() -> None:
    # paid back at signature, inside month 2, never
    got = payback_by_draw(np.array([5.0, -15.0, -100.0]), np.array([[1.0, 1.0], [10.0, 10.0], [1.0, 1.0]]))
    assert got[0] == 0.0 and got[1] == pytest.approx(1.5) and math.isinf(got[2])


@pytest.mark.parametrize("bid", ["cloud-saas", "iron-onprem"])
def test_a_draw_pays_back_as_the_plain_payback_at_that_go_live(bid: str) -> None:
    """Cross-check through another path: the TCO recomputed at the draw's go-live (services not billed for the
    delay, no overrun) gives the same payback as the draw; subscriptions and maintenance paid in advance."""
    offers = (mf.saas_offer(paid_in_advance=("subscription",)),
              mf.onprem_offer(paid_in_advance=("maintenance",)))
    project = mf.project(*offers)
    base = roi(project, bid)
    ratios = np.array([1.0, 1.7, 3.2])
    got = simulate_payback(base.tco, base.annual_benefit, base.ramp_months, ratios, np.ones(3), delay_cost_share=0.0)
    for ratio, months in zip(ratios, got, strict=True):
        plain = roi(project, bid, go_live=base.go_live_days * ratio).payback_months()
        assert (math.inf if plain is None else plain) == pytest.approx(months, rel=1e-9)


def test_risk_result_reports_payback_percentiles_and_never_explicitly() -> None:
    paying = simulate_risk(mf.project(selection_=mf.selection((400_000.0, 400_000.0))), "cloud-saas", n=4_000,
                           random_state=3)
    summary = paying.summary()
    for q in (10, 50, 90):
        assert summary[f"payback_months_p{q}"] == pytest.approx(payback_percentile(paying.payback_months, q))
    assert summary["payback_months_p10"] <= summary["payback_months_p50"] <= summary["payback_months_p90"]
    assert summary["probability_payback"] == pytest.approx(np.mean(np.isfinite(paying.payback_months)))
    poor = mf.project(selection_=mf.selection((10.0, 10.0)))  # a benefit of 20 a year never pays back
    never = simulate_risk(poor, "cloud-saas", n=500, random_state=3)
    assert never.payback(50) is None and never.probability_payback == 0.0
    assert math.isnan(never.summary()["payback_months_p50"])
    shown = never._repr_html_()
    assert "never / never / never" in shown and "inf" not in shown


@settings(max_examples=40, deadline=None)
@given(
    hosting=st.floats(0, 50_000), admin=st.floats(0, 2), services=st.floats(0, 200_000),
    subscription=st.floats(0, 100), benefit=st.floats(0, 600_000), ramp=st.integers(0, 12),
    days=st.floats(1, 600), later=st.floats(0, 400), seed=st.integers(0, 100),
)
def test_a_later_go_live_never_shortens_payback(hosting: float, admin: float, services: float, subscription: float,
                                                 benefit: float, ramp: int, days: float, later: float,
                                                 seed: int) -> None:
    """The same draws from a later plan: each draw's payback, and so P50, is never earlier.  (Lines that start at
    go-live are paid in arrears here; subscriptions, paid in advance, run from signature.)"""
    inputs = TcoInputs(horizon_years=4, users=50, subscription_per_user_month=subscription, hosting_per_year=hosting,
                       admin_fte=admin, loaded_cost_per_fte=90_000.0, services_cost=services,
                       data_migration_cost=20_000.0, go_live_days=days)
    rng = np.random.default_rng(seed)
    duration, cost = np.exp(rng.normal(0.2, 0.4, 200)), np.exp(rng.normal(0.1, 0.3, 200))
    early = simulate_payback(TcoResult.from_inputs(inputs), benefit, ramp, duration, cost)
    late = simulate_payback(TcoResult.from_inputs(inputs.replace(go_live_days=days + later)), benefit, ramp,
                            duration, cost)
    assert np.all(late >= early - 1e-9)
    p50_early, p50_late = payback_percentile(early, 50), payback_percentile(late, 50)
    assert p50_late is None or (p50_early is not None and p50_late >= p50_early - 1e-9)
