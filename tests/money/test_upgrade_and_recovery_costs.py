"""The TCO lines "upgrade re-work (custom code)" and "own recovery": hand calculations, who pays them, when."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crmselect.model.goals import ComplianceScale
from crmselect.model.project import Project
from crmselect.model.settings import OwnRecovery, SelectionSettings, UpgradeRework
from crmselect.money.costs import LINES, tco
from tests import money_fixtures as mf

REWORK, RECOVERY = LINES.index("upgrade re-work (custom code)"), LINES.index("own recovery")


def flagged_scale() -> ComplianceScale:
    """The fixture scale with the shipped flags: X carries an upgrade risk, T must be priced."""
    codes = [c.replace(upgrade_risk=c.code == "X", must_be_priced=c.code == "T") for c in mf.scale().codes]
    return mf.scale().replace(codes=codes)


def settings_with(**changes: object) -> SelectionSettings:
    base: dict[str, object] = dict(format=1, id="0" * 32, name="Money test", company="Test Ltd", currency="EUR",
                                   locale="en", as_of=dt.date(2027, 1, 1), horizon_years=3, discount_rate_pct=10.0,
                                   price_method="lowest_over_price")
    base.update(changes)
    return SelectionSettings.model_validate(base)


def project(settings: SelectionSettings | None = None, **kwargs: object) -> Project:
    return dataclasses.replace(mf.project(**kwargs), scale=flagged_scale(), settings=settings)  # type: ignore[arg-type]


def test_upgrade_rework_by_hand() -> None:
    """Linked X answers C1 and C2 cost 20 days each (assumptions: high = 20, 1,000 a day); the unlinked X (C6)
    costs nothing.  SaaS: 40 days x 1,000 x 15 % x 2 upgrades = 12,000 a year; on-premise: x 0.25 = 1,500."""
    p = project(settings_with())
    saas, onprem = tco(p, "cloud-saas"), tco(p, "iron-onprem")
    assert saas.inputs.upgrade_rework_per_year == pytest.approx(40 * 1_000 * 0.15 * 2)
    assert onprem.inputs.upgrade_rework_per_year == pytest.approx(40 * 1_000 * 0.15 * 0.25)
    # from go-live (the SaaS offer's go-live is day 1 here): paid at each year's end, in full from year 2
    assert saas.flows[REWORK, 0] == 0.0
    assert saas.flows[REWORK, 2:] == pytest.approx([12_000.0, 12_000.0])
    custom = settings_with(upgrade_rework={"rework_pct": 50.0, "saas_upgrades_per_year": 3.0})
    assert tco(project(custom), "cloud-saas").inputs.upgrade_rework_per_year == pytest.approx(40 * 1_000 * 0.5 * 3)
    assert tco(project(None), "cloud-saas").inputs.upgrade_rework_per_year == pytest.approx(12_000.0)  # defaults


def test_own_recovery_only_for_on_premise_and_with_its_payment_timing() -> None:
    own = {"disaster_recovery_plan": True, "cost_per_year": 24_000.0}
    p = project(settings_with(own_recovery=own))
    assert tco(p, "cloud-saas").inputs.own_recovery_per_year == 0.0  # the vendor's recovery is in its price
    onprem = tco(p, "iron-onprem")
    assert onprem.inputs.own_recovery_per_year == 24_000.0
    np.testing.assert_allclose(onprem.flows[RECOVERY, 2:], [24_000.0, 24_000.0])
    ahead = tco(project(settings_with(own_recovery={**own, "paid_in_advance": True})), "iron-onprem")
    assert "own recovery" in ahead.inputs.paid_in_advance
    assert ahead.flows[RECOVERY].sum() == pytest.approx(onprem.flows[RECOVERY].sum())  # same cash, a year earlier
    assert ahead.npv - onprem.npv == pytest.approx(
        sum(onprem.flows[RECOVERY, t] * (1.1 ** -(t - 1) - 1.1 ** -t) for t in range(1, 4)))
    assert tco(project(settings_with()), "iron-onprem").inputs.own_recovery_per_year == 0.0


@settings(max_examples=30, deadline=None)
@given(pct=st.floats(0, 100), cost=st.floats(0, 1e6))
def test_the_new_lines_add_to_the_npv_as_any_line(pct: float, cost: float) -> None:
    """TCO is additive over lines: the new lines raise the NPV by their own discounted flows, never lower it."""
    plain = tco(project(settings_with(upgrade_rework={"rework_pct": 0.0})), "iron-onprem")
    loaded = tco(project(settings_with(upgrade_rework={"rework_pct": pct},
                                       own_recovery={"cost_per_year": cost})), "iron-onprem")
    factors = 1.1 ** -np.arange(plain.horizon_years + 1)
    extra = (loaded.flows[REWORK] + loaded.flows[RECOVERY]) @ factors
    assert loaded.npv - plain.npv == pytest.approx(extra, rel=1e-9, abs=1e-6)
    assert loaded.npv >= plain.npv - 1e-6


def test_own_recovery_is_validated() -> None:
    with pytest.raises(ValueError, match="disaster_recovery_tested"):
        OwnRecovery(disaster_recovery_tested=True)
    with pytest.raises(ValueError, match="rpo_hours"):
        OwnRecovery(rpo_hours=-1.0)
    with pytest.raises(ValueError, match="saas_upgrades_per_year"):
        UpgradeRework(saas_upgrades_per_year=20.0)
