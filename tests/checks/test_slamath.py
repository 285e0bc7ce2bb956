"""SLA arithmetic: the uptime -> downtime table (domain_facts §4.1) and credit schedules."""

from __future__ import annotations

import numpy as np
import pytest

from crmselect.checks.slamath import (
    allowed_downtime_hours_per_year,
    allowed_downtime_minutes,
    expected_credit_pct,
    expected_credit_pct_array,
)
from crmselect.model.bids import CreditTier

# uptime, minutes per 30-day month, minutes per 365-day year (domain_facts §4.1)
TABLE = [
    (99.0, 432.0, 5256.0),
    (99.5, 216.0, 2628.0),
    (99.9, 43.2, 525.6),
    (99.95, 21.6, 262.8),
    (99.99, 4.32, 52.56),
    (99.999, 0.432, 5.256),
]


@pytest.mark.parametrize(("uptime", "month", "year"), TABLE)
def test_uptime_to_downtime_table(uptime: float, month: float, year: float) -> None:
    assert allowed_downtime_minutes(uptime, "month") == pytest.approx(month, rel=1e-9)
    assert allowed_downtime_minutes(uptime, "monthly") == pytest.approx(month, rel=1e-9)
    assert allowed_downtime_minutes(uptime, "year") == pytest.approx(year, rel=1e-9)
    assert allowed_downtime_hours_per_year(uptime) == pytest.approx(year / 60, rel=1e-9)


def test_published_rounding_of_the_table() -> None:
    assert round(allowed_downtime_minutes(99.9, "year") / 60, 2) == 8.76
    assert round(allowed_downtime_minutes(99.0, "year") / 60, 1) == 87.6
    assert round(allowed_downtime_minutes(99.999, "month") * 60) == 26  # seconds
    assert allowed_downtime_minutes(99.9, "quarter") == pytest.approx(129.6)
    assert allowed_downtime_minutes(100.0) == 0.0


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ValueError, match="period"):
        allowed_downtime_minutes(99.9, "fortnight")
    with pytest.raises(ValueError, match=r"0\.\.100"):
        allowed_downtime_minutes(100.5)


MICROSOFT = (
    CreditTier(below_pct=99.9, credit_pct=25),
    CreditTier(below_pct=99.0, credit_pct=50),
    CreditTier(below_pct=95.0, credit_pct=100),
)


@pytest.mark.parametrize(
    ("uptime", "credit"),
    [
        (100.0, 0.0),
        (99.95, 0.0),
        (99.9, 0.0),  # exactly at the threshold: no credit ("below")
        (99.8999, 25.0),
        (99.5, 25.0),
        (99.0, 25.0),
        (98.9999, 50.0),
        (95.0, 50.0),
        (94.9999, 100.0),
        (0.0, 100.0),
    ],
)
def test_microsoft_credit_schedule_at_and_around_each_threshold(uptime: float, credit: float) -> None:
    assert expected_credit_pct(MICROSOFT, uptime) == credit
    assert expected_credit_pct(list(reversed(MICROSOFT)), uptime) == credit  # order does not matter
    assert expected_credit_pct([(t.below_pct, t.credit_pct) for t in MICROSOFT], uptime) == credit
    assert expected_credit_pct_array(MICROSOFT, np.array([uptime]))[0] == credit


@pytest.mark.parametrize(("uptime", "credit"), [(99.9, 0.0), (99.89, 5.0), (98.99, 10.0), (94.99, 25.0), (50, 25.0)])
def test_capped_schedule(uptime: float, credit: float) -> None:
    # healthcare example of §4.2: 99.0-99.89 -> 5 %, 95-98.99 -> 10 %, <=94.99 -> 25 %; capped at 25 %
    tiers = [(99.9, 5.0), (99.0, 10.0), (95.0, 30.0)]
    assert expected_credit_pct(tiers, uptime, cap=25.0) == credit


def test_no_schedule_no_credit() -> None:
    assert expected_credit_pct((), 90.0) == 0.0
    assert expected_credit_pct_array((), [90.0, 99.0]).tolist() == [0.0, 0.0]
