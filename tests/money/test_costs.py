"""TCO: two offers computed by hand, NPV against a closed form, crossover, tornado, properties."""

from __future__ import annotations

import dataclasses
import itertools
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testdata import copy_example, example_root, load_example, reveal_prices

from crmselect.errors import AnalysisError
from crmselect.files.loaders import load_project
from crmselect.model.bids import Answer, PayableLine, Pricing
from crmselect.model.project import Project
from crmselect.money.costs import (
    LINES,
    TcoComparison,
    TcoInputs,
    TcoResult,
    cheaper_periods,
    compare_tco,
    crossing_times,
    crossover_time,
    npv,
    renewals_by_year,
    tco,
)
from crmselect.money.kernels import tco_npv
from crmselect.money.returns import roi
from tests import money_fixtures as mf


def line(result: TcoResult, name: str) -> list[float]:
    return result.frame().loc[name, list(range(result.horizon_years + 1))].tolist()


# ---------------------------------------------------------------------------- by hand
def test_saas_offer_by_hand() -> None:
    project = mf.project(mf.saas_offer())
    result = tco(project, "cloud-saas", go_live_days=mf.THREE_MONTHS)  # live for 9 of year 1's 12 months
    # users 100, 110, 121 (10 % growth); price 100 - 20 % = 80 a month = 960 a year.
    # Term 2 years, then 1-year auto-renewals; escalator 10 % capped at 6 % (pricing) and 5 % (contract) -> 5 %
    assert line(result, "subscription") == pytest.approx([0, 100 * 960, 110 * 960, 121 * 960 * 1.05])
    assert line(result, "premium support") == pytest.approx([0, 10_000, 10_000, 10_000])
    # consumption from go-live, growing 20 %: 5,000 x 9/12, 6,000, 7,200
    assert line(result, "consumption") == pytest.approx([0, 3_750, 6_000, 7_200])
    assert line(result, "third party") == pytest.approx([0, 2_000, 2_000, 2_000])
    # admin 0.5 FTE x 100,000 from go-live
    assert line(result, "admin staff") == pytest.approx([0, 37_500, 50_000, 50_000])
    assert line(result, "implementation services") == pytest.approx([200_000, 0, 0, 0])
    assert line(result, "data migration")[0] == 30_000
    assert line(result, "integration")[0] == 40_000
    assert line(result, "training")[0] == 10_000
    # linked answers X, X, T, C -> 20 + 20 + 8 + 2 = 50 days x 1,000 (the unlinked X does not count)
    assert line(result, "extra effort") == pytest.approx([50_000, 0, 0, 0])
    # 99.9 % -> 8.76 h a year x users x 50 % affected x 50 an hour, from go-live
    assert line(result, "downtime") == pytest.approx([0, 8.76 * 100 * 25 * 0.75, 8.76 * 110 * 25, 8.76 * 121 * 25])
    assert line(result, "service credits") == pytest.approx([0, 0, 0, 0])  # at exactly 99.9 % nothing is owed
    for name in ("licence", "licence true-ups", "maintenance", "hardware", "hosting", "database and OS", "DBA staff"):
        assert line(result, name) == [0, 0, 0, 0]

    by_year = [330_000.0, 165_675.0, 197_690.0, 217_667.0]
    # 96,000 + 10,000 + 3,750 + 2,000 + 37,500 + 16,425 = 165,675 and so on
    assert result.by_period.tolist() == pytest.approx(by_year)
    assert result.total == pytest.approx(911_032.0)
    assert result.npv == pytest.approx(330_000 + 165_675 / 1.1 + 197_690 / 1.1**2 + 217_667 / 1.1**3)
    assert result.npv == pytest.approx(807_530.24, abs=0.01)
    assert result.cost_per_user_year == pytest.approx(911_032.0 / (100 + 110 + 121))
    assert result.cumulative().tolist() == pytest.approx(np.cumsum(by_year).tolist())


def test_a_subscription_paid_in_advance_moves_each_year_to_its_start() -> None:
    arrears = tco(mf.project(mf.saas_offer()), "cloud-saas", go_live_days=mf.THREE_MONTHS)
    ahead = tco(mf.project(mf.saas_offer(paid_in_advance=(PayableLine.subscription,))), "cloud-saas",
                go_live_days=mf.THREE_MONTHS)
    fees = [100 * 960, 110 * 960, 121 * 960 * 1.05]
    assert line(ahead, "subscription") == pytest.approx([*fees, 0])  # year t's fee is paid at t - 1
    assert line(arrears, "subscription") == pytest.approx([0, *fees])
    assert ahead.by_period.tolist() == pytest.approx([426_000, 175_275, 214_058, 95_699])
    assert ahead.total == pytest.approx(arrears.total)  # the same money, paid earlier
    earlier = sum(fee * (1.1 ** -t - 1.1 ** -(t + 1)) for t, fee in enumerate(fees))
    assert ahead.npv - arrears.npv == pytest.approx(earlier)
    assert ahead.npv == pytest.approx(426_000 + 175_275 / 1.1 + 214_058 / 1.1**2 + 95_699 / 1.1**3)
    assert tco_npv(ahead.inputs) == ahead.npv
    roi_ahead = roi(mf.project(mf.saas_offer(paid_in_advance=(PayableLine.subscription,))), "cloud-saas",
                    go_live=mf.THREE_MONTHS)
    assert roi_ahead.at(roi_ahead.n_months)["costs_pv"] == pytest.approx(ahead.npv)
    assert roi_ahead.monthly()["cost"].iloc[1] == pytest.approx(  # month 1 pays year 1's subscription at once
        fees[0] + (10_000 + 2_000) / 12)


def test_the_default_is_a_subscription_paid_in_advance() -> None:
    assert Pricing(subscription_per_user_month=10.0).paid_in_advance == (PayableLine.subscription,)


def test_onprem_offer_by_hand() -> None:
    project = mf.project(mf.onprem_offer())
    result = tco(project, "iron-onprem", go_live_days=mf.SIX_MONTHS)
    # licence 1,000 - 25 % = 750 for the 100 initial users; true-ups of 10 and 11 seats at LIST
    assert line(result, "licence") == pytest.approx([75_000, 0, 0, 0])
    assert line(result, "licence true-ups") == pytest.approx([0, 0, 10_000, 11_000])
    # 20 % of list on owned licences, +5 % a year, from purchase (not go-live)
    assert line(result, "maintenance") == pytest.approx(
        [0, 20_000, 0.2 * 1_000 * 110 * 1.05, 0.2 * 1_000 * 121 * 1.05**2]
    )
    # hardware at t=0 and a refresh after 2 years (inside the 3-year horizon)
    assert line(result, "hardware") == pytest.approx([50_000, 0, 50_000, 0])
    assert line(result, "database and OS") == pytest.approx([8_000, 1_500, 1_500, 1_500])
    # admin 1 FTE + DBA 0.5 FTE, from go-live at 6 months
    assert line(result, "admin staff") == pytest.approx([0, 50_000, 100_000, 100_000])
    assert line(result, "DBA staff") == pytest.approx([0, 25_000, 50_000, 50_000])
    # no SLA -> assumed 99.0 % -> 87.6 h a year
    assert line(result, "downtime") == pytest.approx([0, 87.6 * 100 * 25 / 2, 87.6 * 110 * 25, 87.6 * 121 * 25])
    assert result.by_period.tolist() == pytest.approx([483_000, 206_000, 475_500, 454_170.5])
    assert result.total == pytest.approx(483_000 + 206_000 + 475_500 + 454_170.5)


def test_maintenance_from_go_live_on_net_and_true_up_at_contract_price() -> None:
    offer = mf.onprem_offer(maintenance_base="net", maintenance_uplift_pct=0.0)
    offer = offer.replace(contract=offer.contract.replace(maintenance_starts_at_go_live=True, true_up_price="contract"))
    result = tco(mf.project(offer), "iron-onprem", go_live_days=mf.SIX_MONTHS)
    assert line(result, "maintenance") == pytest.approx([0, 0.2 * 750 * 100 / 2, 0.2 * 750 * 110, 0.2 * 750 * 121])
    assert line(result, "licence true-ups") == pytest.approx([0, 0, 10 * 750, 11 * 750])


def test_renewals_follow_the_contract() -> None:
    # 3-year term then 1-year auto-renewals: renewals at years 4 and 5
    assert renewals_by_year(6, 3, 1).tolist() == [0, 0, 0, 1, 2, 3]
    # no auto-renewal: a new 3-year term each time
    assert renewals_by_year(7, 3, 3).tolist() == [0, 0, 0, 1, 1, 1, 2]
    offer = mf.saas_offer(term_years=1, renewal_escalator_pct=4.0, renewal_cap_pct=None)
    offer = offer.replace(contract=offer.contract.replace(auto_renewal=False, renewal_price_cap_pct=None))
    result = tco(mf.project(offer), "cloud-saas", assumptions=mf.assumptions(user_growth_pct=0.0))
    assert line(result, "subscription") == pytest.approx([0, 96_000, 96_000 * 1.04, 96_000 * 1.04**2])
    uncapped = offer.replace(pricing=offer.pricing.replace(renewal_escalator_pct=12.0, renewal_cap_pct=3.0))
    result = tco(mf.project(uncapped), "cloud-saas", assumptions=mf.assumptions(user_growth_pct=0.0))
    assert line(result, "subscription")[3] == pytest.approx(96_000 * 1.03**2)  # the cap wins


def test_seat_ratchet() -> None:
    shrinking = mf.assumptions(user_growth_pct=-10.0)
    offer = mf.saas_offer(renewal_escalator_pct=0.0)
    held = tco(mf.project(offer), "cloud-saas", assumptions=shrinking)
    assert line(held, "subscription") == pytest.approx([0, 96_000, 96_000, 96_000])
    free = offer.replace(contract=offer.contract.replace(seat_reduction_allowed=True))
    freed = tco(mf.project(free), "cloud-saas", assumptions=shrinking)
    assert line(freed, "subscription") == pytest.approx([0, 96_000, 90 * 960, 81 * 960])


def test_expected_credits_below_the_commitment() -> None:
    project = mf.project(mf.saas_offer())
    result = tco(project, "cloud-saas", go_live_days=mf.THREE_MONTHS, uptime_shortfall_pct=0.4)  # 99.5 %
    subscription = np.array(line(result, "subscription"))
    assert line(result, "service credits") == pytest.approx((-0.10 * subscription * [0, 0.75, 1, 1]).tolist())
    assert line(result, "downtime")[2] == pytest.approx(43.8 * 110 * 25)
    worse = tco(project, "cloud-saas", expected_uptime_pct=98.0)
    assert line(worse, "service credits")[2] == pytest.approx(-0.20 * subscription[2])  # 25 % capped at 20 %


def test_hardware_refresh_due_at_the_horizon_end_is_not_counted() -> None:
    offer = mf.onprem_offer(hardware_refresh_years=3)
    result = tco(mf.project(offer), "iron-onprem")
    assert line(result, "hardware") == [50_000, 0, 0, 0]


def test_frame_total_and_views() -> None:
    result = tco(mf.project(), "iron-onprem")
    frame = result.frame()
    assert list(frame.index) == list(LINES)
    assert frame["total"].sum() == pytest.approx(result.total)
    frame.iloc[0, 0] = 1e12  # a copy: the result is untouched
    assert result.frame().iloc[0, 0] != 1e12
    with pytest.raises(ValueError, match="read-only"):
        result.flows[0, 0] = 1.0
    html = result._repr_html_()
    assert "TCO: Vendor (on-premise)" in html and "initial" in html and "maintenance" in html
    effort = result.effort_frame()
    assert effort["effort_days"].sum() == mf.EFFORT_DAYS
    assert effort["code"].to_dict() == {"C1": "X", "C2": "X", "C3": "T", "C4": "C"}  # C6 serves no goal
    assert effort["effort_cost"].sum() == mf.EFFORT_DAYS * 1_000


def test_answers_own_effort_and_third_party_cost_and_offer_overrides() -> None:
    answers = {
        **mf.ANSWERS,
        "C3": Answer(code="T", effort_days=3, third_party_cost_per_year=4_000, third_party_product="Dialer"),
        "C6": Answer(code="T", third_party_cost_per_year=99_000),
    }  # unlinked: not bought
    saas = mf.saas_offer()
    onprem = mf.onprem_offer().replace(answers={"C1": Answer(code="S")})  # this offer has C1 built in
    project = mf.project(saas, onprem, answers=answers)
    cloud, iron = tco(project, "cloud-saas"), tco(project, "iron-onprem")
    assert line(cloud, "extra effort")[0] == (20 + 20 + 3 + 2) * 1_000
    assert line(cloud, "third party (answers)") == pytest.approx([0, 4_000, 4_000, 4_000])
    assert line(iron, "extra effort")[0] == (20 + 3 + 2) * 1_000
    assert cloud.effort_frame().loc["C3", "third_party_product"] == "Dialer"


def test_unknown_bid_is_an_analysis_error() -> None:
    with pytest.raises(AnalysisError, match="no bid 'nope'"):
        tco(mf.project(), "nope")


# ---------------------------------------------------------------------------- NPV
@pytest.mark.parametrize("rate", [0.0, 5.0, 10.0, 23.5])
def test_npv_against_the_annuity_closed_form(rate: float) -> None:
    payment, years, initial = 1_234.5, 7, 10_000.0
    flows = [initial, *[payment] * years]
    r = rate / 100
    closed = initial + (payment * years if r == 0 else payment * (1 - (1 + r) ** -years) / r)
    assert npv(flows, rate) == pytest.approx(closed, rel=1e-12)


def test_npv_of_a_result_matches_an_independent_loop() -> None:
    result = tco(mf.project(), "cloud-saas")
    loop = 0.0
    for t, cash in enumerate(result.by_period):
        loop += cash / (1.10**t)
    assert result.npv == pytest.approx(loop, rel=1e-12)


# ---------------------------------------------------------------------------- crossover
def test_crossover_of_hand_made_lines() -> None:
    assert crossover_time([100, 120, 140, 160], [0, 60, 120, 180]) == pytest.approx(2.5)
    assert crossover_time([0, 10, 20], [5, 15, 25]) is None
    assert crossover_time([0, 10, 30], [5, 15, 30]) == pytest.approx(2.0)  # meet at the horizon's end
    assert crossover_time([0, 20, 30], [5, 20, 35]) is None  # touch at t=1 without changing order
    assert crossover_time([0, 20, 40], [5, 20, 35]) == pytest.approx(1.0)  # touch, then swap
    assert crossover_time([5, 5, 5], [5, 6, 7]) is None  # start equal and part


def test_costs_that_cross_twice_report_both_crossings_and_every_cheaper_period() -> None:
    a, b = [100, 150, 200, 250, 300, 350], [150, 170, 190, 210, 310, 410]  # B's renewal jumps in year 4
    assert crossing_times(a, b) == pytest.approx([1 + 20 / 30, 3 + 40 / 50])
    flat = [x for period in cheaper_periods(a, b) for x in period]
    assert flat == pytest.approx([0, 5 / 3, 0, 5 / 3, 3.8, 1, 3.8, 5, 0])  # A cheaper, then B, then A again
    assert crossover_time(a, b) == pytest.approx(5 / 3)  # the first, as before


def test_a_hardware_refresh_crosses_several_times_in_the_comparison() -> None:
    cloud = TcoInputs(horizon_years=5, hosting_per_year=100.0)
    iron = TcoInputs(horizon_years=5, hardware_initial=150.0, hardware_refresh_years=3, database_os_per_year=20.0)
    comparison = TcoComparison((TcoResult.from_inputs(cloud, bid_id="cloud"),
                                TcoResult.from_inputs(iron, bid_id="iron")))
    lines = comparison.cumulative()
    years = lines.index.to_numpy(dtype=float)
    table = comparison.crossovers()
    assert len(table) >= 2
    for row in table.itertuples():  # each crossing is where the interpolated cumulative lines meet
        assert np.interp(row.year, years, lines["cloud"]) == pytest.approx(np.interp(row.year, years, lines["iron"]))
        assert np.interp(row.year, years, lines["cloud"]) == pytest.approx(row.cumulative_cost)
        after = min(row.year + 1e-6, years[-1])
        below = np.interp(after, years, lines["cloud"]) < np.interp(after, years, lines["iron"])
        cheaper = "cloud" if below else "iron"
        assert row.cheaper_after == cheaper
    periods = comparison.cheaper_periods()
    assert periods["from_year"].iloc[0] == 0 and periods["to_year"].iloc[-1] == 5
    assert (periods["from_year"].iloc[1:].to_numpy() == periods["to_year"].iloc[:-1].to_numpy()).all()
    assert all(x != y for x, y in zip(periods["cheaper"], periods["cheaper"].iloc[1:], strict=False))
    text = comparison.periods_text("cloud", "iron")
    assert text.count("year") == len(table) + 1  # one clause per period
    assert text.startswith(comparison["cloud"].label if periods["cheaper"].iloc[0] == "cloud" else
                           comparison["iron"].label)


@given(st.lists(st.tuples(st.floats(0, 1000), st.floats(0, 1000)), min_size=2, max_size=12))
def test_cheaper_periods_tile_the_horizon_and_alternate(points: list[tuple[float, float]]) -> None:
    a = np.cumsum([p[0] for p in points])
    b = np.cumsum([p[1] for p in points])
    periods = cheaper_periods(a, b)
    crossings = crossing_times(a, b)
    if not periods:
        assert (a == b).all()
        return
    assert (periods[0][0] == 0 and periods[-1][1] == pytest.approx(len(points) - 1)) or crossings[-1:] == [
        len(points) - 1]
    for (s1, e1, w1), (s2, _, w2) in itertools.pairwise(periods):
        assert e1 == s2 and w1 != w2 and s1 <= e1
    assert len(crossings) in (len(periods) - 1, len(periods))


def test_saas_against_onprem_crossover() -> None:
    saas = TcoInputs(horizon_years=5, hosting_per_year=100.0)  # cumulative 0, 100, ..., 500
    onprem = TcoInputs(horizon_years=5, hardware_initial=240.0, database_os_per_year=50.0)  # 240, 290, ..., 490
    comparison = TcoComparison(
        (TcoResult.from_inputs(saas, bid_id="saas"), TcoResult.from_inputs(onprem, bid_id="onprem"))
    )
    assert comparison.crossover("saas", "onprem") == pytest.approx(4.8)  # 4 + 40 / 50
    assert comparison.crossover("onprem", "saas") == pytest.approx(4.8)
    table = comparison.crossovers()
    assert table.loc[0, "year"] == pytest.approx(4.8)
    assert table.loc[0, "cumulative_cost"] == pytest.approx(480.0)
    assert table.loc[0, "cheaper_after"] == "onprem"
    # discounted, the SaaS stream is worth less: later or no crossover
    discounted = comparison.crossover("saas", "onprem", discounted=True)
    assert discounted is None or discounted > 4.8


def test_compare_tco_on_the_project() -> None:
    comparison = compare_tco(mf.project())
    frame = comparison.frame()
    assert list(frame.index) == ["cloud-saas", "iron-onprem"]
    assert frame.loc["cloud-saas", "npv"] == pytest.approx(comparison["cloud-saas"].npv)
    assert sorted(frame["npv_rank"]) == [1, 2]
    lines = comparison.lines()
    assert lines.sum().to_dict() == pytest.approx(comparison.npvs())
    assert comparison.cumulative().shape == (4, 2)
    assert "TCO over 3 years" in comparison._repr_html_()
    with pytest.raises(KeyError):
        comparison["missing"]


# ---------------------------------------------------------------------------- tornado
def test_tornado_is_sorted_and_right() -> None:
    inputs = TcoInputs(horizon_years=3, discount_rate_pct=10.0, hosting_per_year=1_000.0, services_cost=5_000.0)
    result = TcoResult.from_inputs(inputs)
    table = result.tornado(pct=20).frame()
    assert list(table["swing"]) == sorted(table["swing"], reverse=True)
    services = table.loc["implementation services"]
    assert services["npv_low"] == pytest.approx(result.npv - 1_000)
    assert services["npv_high"] == pytest.approx(result.npv + 1_000)
    hosting = table.loc["hosting per year"]
    annuity = (1 - 1.1**-3) / 0.1
    assert hosting["swing"] == pytest.approx(400 * annuity)
    assert "licence per user" not in table.index  # no licence: no swing, not shown
    rate = table.loc["discount rate %"]
    assert (rate["low"], rate["high"]) == (5.0, 15.0)
    assert rate["npv_low"] > rate["npv_high"]


def test_tornado_escalator_respects_the_cap() -> None:
    capped = tco(mf.project(mf.saas_offer(renewal_cap_pct=0.0)), "cloud-saas").tornado().frame()
    assert "renewal escalator %" not in capped.index  # a 0 % cap: the escalator cannot move the NPV
    free = mf.saas_offer(renewal_cap_pct=None)
    free = free.replace(contract=free.contract.replace(renewal_price_cap_pct=None))
    uncapped = tco(mf.project(free), "cloud-saas").tornado().frame()
    assert uncapped.loc["renewal escalator %", "swing"] > 0


# ---------------------------------------------------------------------------- properties
money = st.floats(min_value=0, max_value=1e6, allow_nan=False)
pct = st.floats(min_value=0, max_value=30, allow_nan=False)


@st.composite
def tco_inputs(draw: st.DrawFn) -> TcoInputs:
    return TcoInputs(
        horizon_years=draw(st.integers(3, 10)),
        users=float(draw(st.integers(1, 5_000))),
        user_growth_pct=draw(st.floats(-20, 50)),
        discount_rate_pct=draw(st.floats(0, 20)),
        subscription_per_user_month=draw(st.floats(0, 300)),
        subscription_discount_pct=draw(pct),
        term_years=draw(st.integers(1, 5)),
        renewal_period_years=draw(st.integers(1, 3)),
        renewal_escalator_pct=draw(pct),
        renewal_cap_pct=draw(st.sampled_from([math.inf, 0.0, 3.0, 5.0])),
        seat_reduction_allowed=draw(st.booleans()),
        licence_per_user=draw(st.floats(0, 5_000)),
        licence_discount_pct=draw(pct),
        true_up_at_list=draw(st.booleans()),
        maintenance_pct=draw(pct),
        maintenance_on_list=draw(st.booleans()),
        maintenance_uplift_pct=draw(st.floats(0, 10)),
        maintenance_from_go_live=draw(st.booleans()),
        hardware_initial=draw(money),
        hardware_refresh_years=draw(st.integers(0, 6)),
        hosting_per_year=draw(money),
        hosting_escalator_pct=draw(st.floats(0, 10)),
        database_os_initial=draw(money),
        database_os_per_year=draw(money),
        premium_support_per_year=draw(money),
        consumption_per_year=draw(money),
        consumption_growth_pct=draw(st.floats(0, 50)),
        third_party_per_year=draw(money),
        answer_third_party_per_year=draw(money),
        admin_fte=draw(st.floats(0, 5)),
        dba_fte=draw(st.floats(0, 5)),
        loaded_cost_per_fte=draw(st.floats(0, 200_000)),
        services_cost=draw(money),
        data_migration_cost=draw(money),
        integration_cost=draw(money),
        training_cost=draw(money),
        effort_days=draw(st.floats(0, 500)),
        cost_per_effort_day=draw(st.floats(0, 2_000)),
        go_live_days=draw(st.floats(0, 1_500)),
        uptime_pct=draw(st.floats(95, 100)),
        users_affected_pct=draw(st.floats(0, 100)),
        downtime_cost_per_user_hour=draw(st.floats(0, 200)),
        credit_tiers=draw(st.sampled_from([(), ((99.9, 10.0), (99.0, 25.0))])),
        credit_cap_pct=draw(st.sampled_from([None, 15.0])),
    )


#: groups of inputs whose lines do not interact (credits depend on subscription and hosting,
#: maintenance on the licence, so those travel together)
GROUPS = (
    ("subscription_per_user_month", "hosting_per_year", "credit_tiers"),
    ("licence_per_user", "maintenance_pct"),
    ("hardware_initial", "database_os_initial", "database_os_per_year", "premium_support_per_year"),
    ("consumption_per_year", "third_party_per_year", "answer_third_party_per_year", "admin_fte", "dba_fte"),
    ("services_cost", "data_migration_cost", "integration_cost", "training_cost", "effort_days"),
    ("downtime_cost_per_user_hour",),
)
ZERO = {"credit_tiers": ()}


def only(inputs: TcoInputs, fields: tuple[str, ...]) -> TcoInputs:
    cleared = {f: ZERO.get(f, 0.0) for group in GROUPS for f in group if f not in fields}
    return dataclasses.replace(inputs, **cleared)


@settings(max_examples=150, deadline=None)
@given(tco_inputs())
def test_tco_is_additive_over_lines(inputs: TcoInputs) -> None:
    whole = TcoResult.from_inputs(inputs)
    frame = whole.frame()
    assert frame.drop(columns="total").to_numpy().sum() == pytest.approx(whole.total, rel=1e-9, abs=1e-6)
    parts = [TcoResult.from_inputs(only(inputs, group)) for group in GROUPS]
    assert sum(p.total for p in parts) == pytest.approx(whole.total, rel=1e-9, abs=1e-6)
    assert sum(p.npv for p in parts) == pytest.approx(whole.npv, rel=1e-9, abs=1e-6)
    np.testing.assert_allclose(sum(p.flows for p in parts), whole.flows, rtol=1e-9, atol=1e-6)


cash = st.one_of(st.just(0.0), st.floats(1.0, 1e7))


@settings(max_examples=150, deadline=None)
@given(st.lists(cash, min_size=1, max_size=10), cash, st.floats(0, 40), st.floats(0.01, 10))
def test_npv_decreases_with_the_discount_rate_for_positive_flows(
    later: list[float], initial: float, rate: float, step: float
) -> None:
    flows = [initial, *later[:-1], max(later[-1], 1.0)]  # at least one positive flow after t = 0
    assert npv(flows, rate + step) < npv(flows, rate)


@settings(max_examples=150, deadline=None)
@given(tco_inputs(), st.integers(1, 500))
def test_more_users_never_cheaper(inputs: TcoInputs, extra: int) -> None:
    base = TcoResult.from_inputs(inputs)
    more = TcoResult.from_inputs(dataclasses.replace(inputs, users=inputs.users + extra))
    assert more.total >= base.total - 1e-6 * max(1.0, base.total)
    assert more.npv >= base.npv - 1e-6 * max(1.0, base.npv)
    # Per year, more users can cost less: one more user may bring a licence true-up forward a year.
    # What never falls is the money spent up to each year end.
    spent_more = np.cumsum(more.flows.sum(axis=0))
    spent_base = np.cumsum(base.flows.sum(axis=0))
    assert (spent_more >= spent_base - 1e-6 * max(1.0, base.total)).all()


def test_plots_draw_what_the_frames_hold() -> None:
    import matplotlib.pyplot as plt

    saas = TcoInputs(horizon_years=5, hosting_per_year=100.0)
    onprem = TcoInputs(horizon_years=5, hardware_initial=240.0, database_os_per_year=50.0)
    comparison = TcoComparison(
        (TcoResult.from_inputs(saas, bid_id="saas"), TcoResult.from_inputs(onprem, bid_id="onprem"))
    )
    ax = comparison.plot()
    assert [line.get_label() for line in ax.get_lines()] == ["saas", "onprem"]
    marks = ax.collections[0].get_offsets()
    np.testing.assert_allclose(marks, [[4.8, 480.0]])
    ax = comparison["saas"].plot()
    assert ax.get_lines()[0].get_ydata().tolist() == pytest.approx([0, 100, 200, 300, 400, 500])
    table = tco(mf.project(), "iron-onprem").tornado()
    ax = table.plot(top=5)
    assert len(ax.patches) == 2 * min(5, len(table.frame()))
    assert [t.get_text() for t in ax.get_yticklabels()] == list(table.frame().index[:5])
    plt.close("all")


# ---------------------------------------------------------------------------- the shipped example
def _example() -> object:
    return load_example()


def test_shipped_example_end_to_end() -> None:
    from crmselect.money.price import price_values
    from crmselect.money.returns import compare_roi
    from crmselect.money.risk import simulate_risk

    project = _example()
    assert isinstance(project, Project)
    comparison = compare_tco(project)
    frame = comparison.frame()
    assert list(frame.index) == [b.id for b in project.bids]
    assert (frame["npv"] > 0).all() and (frame["npv"] < frame["total"]).all()  # 10 % discounting shrinks costs
    for result in comparison.results:
        flows = result.frame()
        assert flows["total"].sum() == pytest.approx(result.total)
        offer = project.bid(result.bid_id).offer
        if offer.pricing.subscription_per_user_month:
            assert flows.loc["subscription", 1] > 0
        if offer.pricing.licence_per_user:
            assert flows.loc["licence", 0] > 0 and flows.loc["maintenance"].sum() > 0
    # pairs that cross are reported consistently both ways, every crossing
    for row in comparison.crossovers().itertuples():
        lines = comparison.cumulative()
        assert any(row.year == pytest.approx(t) for t in crossing_times(lines[str(row.b)], lines[str(row.a)]))
    returns = compare_roi(project).frame()
    assert (returns["risk_roi"] < returns["roi"]).all()
    values = price_values(project, comparison=comparison)
    price_criteria = [
        c.id for c in project.criteria if c.computed_from is not None and c.computed_from.value == "price"
    ]
    assert set(values) == set(price_criteria)
    for per_bid in values.values():
        assert max(per_bid.values()) == pytest.approx(1.0)
        assert all(0 < v <= 1 for v in per_bid.values())
    reference = project.selection.assumptions.reference_go_live_days
    assert reference is not None
    slow = next(b for b in project.bids if b.offer.implementation.claimed_go_live_days >= reference)
    risk = simulate_risk(project, slow.id, n=4_000, random_state=11)
    assert 0.2 < risk.probability_on_time < 0.45  # about Φ(-ln 1.25 / 0.45) = 31 % with the defaults
    hype = next(b for b in project.bids if b.offer.implementation.claimed_go_live_days * 2 <= reference)
    risk = simulate_risk(project, hype.id, n=4_000, random_state=11)
    assert risk.probability_on_time < 0.02  # "live in 60 days" against a 180-day reference plan


def test_tco_command_is_sealed_until_the_reveal(capsys: pytest.CaptureFixture[str]) -> None:
    from crmselect.cli.app import main

    assert main(["tco", str(example_root()), "--draws", "500"]) == 0
    out = capsys.readouterr().out
    assert "sealed until prices are revealed" in out and "NPV at" not in out and "Crossovers" not in out


def test_tco_command_unsealed_with_a_logged_reason(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from crmselect.cli.app import main
    from crmselect.record.log import DecisionLog

    root = copy_example(tmp_path / "selection")
    assert main(["tco", str(root), "--unseal", "--unseal-why", "x"]) == 2
    assert "--member" in capsys.readouterr().err
    assert main(["--member", "sun_li", "tco", str(root), "--unseal"]) == 2
    assert "needs a reason" in capsys.readouterr().err
    project = load_project(root)
    assert main(["--member", "sun_li", "tco", str(root), "--draws", "500", "--seed", "3", "--unseal",
                 "--unseal-why", "budget check for the CFO"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("UNSEALED VIEW: prices opened before the reveal by sun_li (decision log entry 2: budget")
    assert [e.kind for e in DecisionLog.for_project(project).entries()] == ["open", "unseal_view"]
    for bid in project.bids:
        assert out.count(bid.id) >= 3  # TCO table, ROI table, risk table
    assert "NPV at 10 %" in out and "Crossovers of cumulative cost" in out
    assert "ROI from the goals' KPIs" in out and "P(on time)" in out
    reveal_prices(root)
    capsys.readouterr()
    assert main(["tco", str(root), "--draws", "200", "--lines"]) == 0
    out = capsys.readouterr().out
    assert "cost lines by year" in out and "UNSEALED" not in out
