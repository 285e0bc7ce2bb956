"""The SLA report: downtime table (domain_facts §4.1), exposure with maintenance, credit schedules (§4.2)."""

from __future__ import annotations

import math

import pytest
from testdata import load_example

import crmselect
from crmselect.checks.sla import compare_sla, credit_at, credit_table, max_credit_pct, sla_report, worst_month_minutes
from crmselect.errors import CrmSelectError
from crmselect.model.bids import (
    Certification,
    CreditTier,
    DowntimeBasis,
    MeasurementPeriod,
    SlaCommitment,
    SlaTerms,
)

# uptime, minutes per 30-day month, minutes per 365-day year (domain_facts §4.1)
TABLE = [
    (99.0, 432.0, 5256.0),
    (99.5, 216.0, 2628.0),
    (99.9, 43.2, 525.6),
    (99.95, 21.6, 262.8),
    (99.99, 4.32, 52.56),
    (99.999, 0.432, 5.256),
]

MICROSOFT = (
    CreditTier(below_pct=99.9, credit_pct=25),
    CreditTier(below_pct=99.0, credit_pct=50),
    CreditTier(below_pct=95.0, credit_pct=100),
)
# §4.2 healthcare example: 99.0-99.89 -> 5 %, 95-98.99 -> 10 %, <= 94.99 -> 25 %, total capped at 25 %
CAPPED = (
    CreditTier(below_pct=99.9, credit_pct=5),
    CreditTier(below_pct=99.0, credit_pct=10),
    CreditTier(below_pct=95.0, credit_pct=25),
)


def terms(**changes: object) -> SlaTerms:
    base: dict[str, object] = {"commitment": SlaCommitment.financially_backed, "uptime_pct": 99.9}
    base.update(changes)
    return SlaTerms.model_validate(base)


@pytest.mark.parametrize(("uptime", "month", "year"), TABLE)
def test_downtime_table_matches_the_reference(uptime: float, month: float, year: float) -> None:
    table = sla_report_of(terms(uptime_pct=uptime, maintenance_excluded_hours_per_year=0)).frame()
    assert table.loc["month", "allowed_downtime_min"] == pytest.approx(month)
    assert table.loc["year", "allowed_downtime_min"] == pytest.approx(year)
    assert table.loc["year", "allowed_downtime_h"] == pytest.approx(year / 60)
    assert table.loc["quarter", "allowed_downtime_min"] == pytest.approx(month * 3)  # 90-day quarter
    assert table.loc["year", "exposure_h"] == pytest.approx(year / 60)  # no maintenance excluded
    assert table.loc["month", "minutes"] == 43_200 and table.loc["year", "minutes"] == 525_600


def sla_report_of(sla: SlaTerms) -> crmselect.checks.sla.SlaReport:
    return crmselect.checks.sla.SlaReport(bid="x", label="X", deployment=crmselect.model.bids.Deployment.saas,
                                          terms=sla)


def test_maintenance_exclusions_add_to_the_exposure() -> None:
    table = sla_report_of(terms(uptime_pct=99.9, maintenance_excluded_hours_per_year=24)).frame()
    assert table.loc["year", "maintenance_excluded_h"] == pytest.approx(24.0)
    assert table.loc["year", "exposure_h"] == pytest.approx(8.76 + 24.0)
    assert table.loc["month", "maintenance_excluded_h"] == pytest.approx(24.0 * 30 / 365)
    assert table.loc["month", "exposure_h"] == pytest.approx(0.72 + 24.0 * 30 / 365)


def test_unstated_figures_are_nan_not_zero() -> None:
    report = sla_report_of(terms(uptime_pct=None, commitment=SlaCommitment.reasonable_efforts))
    table = report.frame()
    assert math.isnan(table.loc["year", "allowed_downtime_min"])
    assert math.isnan(table.loc["year", "maintenance_excluded_h"])  # no limit stated
    assert math.isnan(table.loc["year", "exposure_h"])
    assert any("unbounded" in note for note in report.notes())
    assert any("no limit" in note for note in report.notes())


def test_measured_flag_follows_the_measurement_period() -> None:
    table = sla_report_of(terms(measurement_period=MeasurementPeriod.quarterly)).frame()
    assert table["measured"].to_dict() == {"month": False, "quarter": True, "year": False}


@pytest.mark.parametrize(
    ("period", "uptime", "minutes"),
    [
        (MeasurementPeriod.monthly, 99.9, 43.2),
        (MeasurementPeriod.quarterly, 99.9, 129.6),
        (MeasurementPeriod.yearly, 99.9, 525.6),
        (MeasurementPeriod.yearly, 99.0, 5256.0),
        (MeasurementPeriod.yearly, 90.0, 43_200.0),  # a year's allowance cannot exceed the month itself
    ],
)
def test_worst_month_without_a_breach(period: MeasurementPeriod, uptime: float, minutes: float) -> None:
    assert worst_month_minutes(terms(uptime_pct=uptime, measurement_period=period)) == pytest.approx(minutes)


def test_worst_month_without_uptime_figure_is_nan() -> None:
    assert math.isnan(worst_month_minutes(terms(uptime_pct=None)))


@pytest.mark.parametrize(
    ("uptime", "credit"),
    [
        (100.0, 0),
        (99.95, 0),
        (99.9, 0),
        (99.89, 25),
        (99.5, 25),
        (99.0, 25),
        (98.99, 50),
        (95.0, 50),
        (94.99, 100),
        (0.0, 100),
    ],
)
def test_microsoft_schedule_at_and_around_each_threshold(uptime: float, credit: float) -> None:
    assert credit_at(terms(credits=MICROSOFT), uptime) == credit
    assert credit_at(terms(credits=MICROSOFT, credit_cap_pct=100), uptime) == credit


@pytest.mark.parametrize(
    ("uptime", "credit"),
    [(99.95, 0), (99.9, 0), (99.89, 5), (99.0, 5), (98.99, 10), (95.0, 10), (94.99, 25), (50.0, 25)],
)
def test_capped_schedule_at_and_around_each_threshold(uptime: float, credit: float) -> None:
    assert credit_at(terms(credits=CAPPED, credit_cap_pct=25), uptime) == credit


@pytest.mark.parametrize(("uptime", "credit"), [(99.89, 5), (98.99, 8), (94.99, 8)])
def test_cap_below_the_schedule_limits_every_tier(uptime: float, credit: float) -> None:
    assert credit_at(terms(credits=CAPPED, credit_cap_pct=8), uptime) == credit


def test_max_credit() -> None:
    assert max_credit_pct(terms(credits=MICROSOFT)) == 100
    assert max_credit_pct(terms(credits=CAPPED, credit_cap_pct=25)) == 25
    assert max_credit_pct(terms(credits=MICROSOFT, credit_cap_pct=40)) == 40
    assert max_credit_pct(terms()) == 0


def test_credit_table_lists_each_threshold_and_just_below() -> None:
    table = credit_table(terms(uptime_pct=99.9, credits=MICROSOFT))
    assert table["uptime_pct"].tolist() == [99.9, 99.89, 99.0, 98.99, 95.0, 94.99]
    assert table["credit_pct"].tolist() == [0, 25, 25, 50, 50, 100]
    assert table["downtime_min_per_month"].iloc[0] == pytest.approx(43.2)


def test_report_frame_is_a_copy_and_html_shows_both_tables() -> None:
    report = sla_report_of(terms(credits=MICROSOFT, basis=DowntimeBasis.user_minutes))
    frame = report.frame()
    frame.loc["year", "allowed_downtime_min"] = -1
    assert report.frame().loc["year", "allowed_downtime_min"] == pytest.approx(525.6)
    html = report._repr_html_()
    assert "SLA of X (saas)" in html and "Service credit by monthly uptime" in html
    assert "user-minutes" in html


def test_facts_of_a_strong_sla() -> None:
    sla = terms(credits=MICROSOFT, certifications=(Certification.soc2_type2,), response_hours={"sev1": 0.5})
    facts = sla_report_of(sla).facts()
    assert facts["credit_at_99.5_pct"] == 25 and facts["credit_at_99_pct"] == 25 and facts["credit_at_95_pct"] == 50
    assert facts["soc2_type2"] is True and facts["iso27001"] is False
    assert facts["sev1_response_h"] == 0.5 and math.isnan(facts["sev2_response_h"])


def test_compare_sla_on_the_example() -> None:
    project = load_example()
    comparison = compare_sla(project)
    frame = comparison.frame()
    assert frame.index.tolist() == [bid.id for bid in project.bids]
    for bid in project.bids:
        sla = bid.offer.sla
        if sla.uptime_pct is not None and sla.maintenance_excluded_hours_per_year is not None:
            expected = sla.uptime_pct and (100 - sla.uptime_pct) / 100 * 8760 + sla.maintenance_excluded_hours_per_year
            assert frame.loc[bid.id, "exposure_h_year"] == pytest.approx(expected)
    assert comparison.report(project.bids[0].id).bid == project.bids[0].id
    assert "SLAs compared" in comparison._repr_html_()
    with pytest.raises(CrmSelectError, match="allowed"):
        compare_sla(project, bids=["nobody"])
    with pytest.raises(CrmSelectError, match="unknown bid"):
        comparison.report("nobody")


def test_sla_report_of_an_offer_and_plot() -> None:
    import matplotlib.pyplot as plt

    project = load_example()
    bid = project.bids[0]
    assert sla_report(bid.offer, bid.label).label == bid.label
    ax = compare_sla(project).plot()
    assert len(ax.patches) == 2 * len(project.bids)
    plt.close("all")
